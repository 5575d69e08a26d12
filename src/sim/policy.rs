//! Online policies: the [`Policy`] trait, what a policy sees ([`View`]) and decides
//! ([`Decision`]), and the built-in list policies.

use super::{DeviceState, State};
use rustc_hash::{FxHashMap, FxHashSet};

use super::list::{ListPolicy, Order, Placement};
use crate::model::Instance;

/// An online scheduling policy: after every batch of events the simulator shows it the present
/// ([`View`]: arrived jobs, their estimated times, what runs where) and applies its [`Decision`].
///
/// A policy never sees the future: jobs that have not arrived, or the actual durations when
/// they differ from the estimates (`--noise`).
///
/// ```
/// use hetsched::sim::{Decision, Policy, View};
///
/// /// Longest estimated job first, each on the free device where it ends first.
/// struct LongestFirst;
///
/// impl Policy for LongestFirst {
///     fn decide(&mut self, view: &View, decision: &mut Decision) {
///         let mut waiting: Vec<usize> = view.waiting().collect();
///         waiting.sort_by(|&a, &b| view.shortest(b).total_cmp(&view.shortest(a)));
///         for t in waiting {
///             if let Some(d) = decision.fastest_fit(view, t) {
///                 decision.start(view, t, d);
///             }
///         }
///     }
/// }
/// ```
pub trait Policy {
    /// Record in `decision` which waiting jobs start where (and, when the simulation allows
    /// preemption, which running jobs stop). Called at time `view.now()`.
    fn decide(&mut self, view: &View, decision: &mut Decision);

    /// Where job `t` goes among the waiting jobs ([`View::waiting`] lists them by this key,
    /// smallest first, then by arrival and task index). Asked once each time `t` starts
    /// waiting (it arrives, its predecessors complete, or it is stopped), so it must not change
    /// while `t` waits. By default 0: the waiting jobs in order of arrival.
    fn order_key(&self, view: &View, t: usize) -> f64 {
        let _ = (view, t);
        0.0
    }
}

/// What a policy sees at a decision.
pub struct View<'a> {
    pub(super) instance: &'a Instance,
    pub(super) state: &'a State,
    pub(super) now: f64,
}

impl<'a> View<'a> {
    /// The current time.
    pub fn now(&self) -> f64 {
        self.now
    }

    /// The instance: tasks with their estimated times, weights, due dates, users; devices.
    pub fn instance(&self) -> &'a Instance {
        self.instance
    }

    /// Jobs that have arrived, whose predecessors have completed and that do not run, in the
    /// order of the policy's [`Policy::order_key`] (by default of arrival), then of arrival and
    /// task index.
    pub fn waiting(&self) -> impl Iterator<Item = usize> + '_ {
        self.state.waiting.iter().map(|k| k.2)
    }

    /// The number of waiting jobs.
    pub fn num_waiting(&self) -> usize {
        self.state.waiting.len()
    }

    /// Jobs running now, with their devices.
    pub fn running(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        self.state
            .running
            .iter()
            .map(|&t| (t, self.state.jobs[t].run.as_ref().map_or(0, |r| r.device)))
    }

    /// The device job `t` runs on now, if it runs.
    pub fn device_of(&self, t: usize) -> Option<usize> {
        self.state.jobs[t].run.as_ref().map(|r| r.device)
    }

    /// When job `t` arrived (its release).
    pub fn arrival(&self, t: usize) -> f64 {
        self.instance.task(t).release
    }

    /// Time job `t` has run so far (all its segments, the current one up to now).
    pub fn attained(&self, t: usize) -> f64 {
        let job = &self.state.jobs[t];
        job.attained
            + job
                .run
                .as_ref()
                .map_or(0.0, |r| (self.now - r.work_from).max(0.0))
    }

    /// The share of job `t`'s work done so far as the estimates tell it (each segment's length
    /// over the estimated time on its device), at most 1.
    pub fn estimated_done(&self, t: usize) -> f64 {
        let job = &self.state.jobs[t];
        let current = job.run.as_ref().map_or(0.0, |r| {
            let p = self.instance.ptime(t, r.device);
            if p > 0.0 {
                (self.now - r.work_from).max(0.0) / p
            } else {
                1.0
            }
        });
        (job.estimated_done + current).min(1.0)
    }

    /// Estimated time job `t` still needs on device `d`.
    pub fn remaining(&self, t: usize, d: usize) -> f64 {
        (1.0 - self.estimated_done(t)) * self.instance.ptime(t, d)
    }

    /// Estimated time job `t` still needs on its fastest eligible device.
    pub fn shortest_remaining(&self, t: usize) -> f64 {
        (1.0 - self.estimated_done(t)) * self.instance.min_ptime(t)
    }

    /// Estimated time of job `t` on its fastest eligible device.
    pub fn shortest(&self, t: usize) -> f64 {
        self.instance.min_ptime(t)
    }
}

/// What a policy decides: jobs to stop and jobs to start, checked as they are recorded against
/// what the devices hold (the running jobs, less the stopped, plus the started).
pub struct Decision {
    pub(super) starts: Vec<(usize, usize)>,
    pub(super) stops: Vec<usize>,
    /// The jobs of `starts` with their devices, and those of `stops`.
    started: FxHashMap<usize, usize>,
    stopped: FxHashSet<usize>,
    /// The devices whose holding this decision changed, as it leaves them (busy time by the
    /// estimates for the jobs it starts).
    changed: FxHashMap<usize, DeviceState>,
    /// Open devices (up and not full) now, less those at the simulation's state.
    open_delta: isize,
    preemption: bool,
    rounds: bool,
}

impl Decision {
    pub(super) fn new(preemption: bool, rounds: bool) -> Decision {
        Decision {
            starts: Vec::new(),
            stops: Vec::new(),
            started: FxHashMap::default(),
            stopped: FxHashSet::default(),
            changed: FxHashMap::default(),
            open_delta: 0,
            preemption,
            rounds,
        }
    }

    /// Whether the simulation also decides every quantum of time (in rounds, as round-based
    /// schedulers do), not only at events.
    pub fn rounds(&self) -> bool {
        self.rounds
    }

    /// Whether the simulation lets policies stop running jobs.
    pub fn preemption(&self) -> bool {
        self.preemption
    }

    /// The number of devices that are up and could take another job as this decision leaves
    /// them (a device counts unless it holds an exclusive job or some resource has less left
    /// than any job needs; 0 means no waiting job fits anywhere).
    pub fn open_devices(&self, view: &View) -> usize {
        (view.state.open_count as isize + self.open_delta).max(0) as usize
    }

    /// Whether device `d` is up and could take another job as this decision leaves it.
    pub(super) fn is_open(&self, view: &View, d: usize) -> bool {
        let state = view.state;
        state.is_open(view.instance, d, self.holding(view, d), view.now)
    }

    /// How much of resource `k` device `d` has left as this decision leaves it.
    pub(super) fn left(&self, view: &View, d: usize, k: usize) -> f64 {
        view.instance.resource_capacity(d, k) - self.holding(view, d).held[k]
    }

    /// Device `d` as this decision leaves it.
    fn holding<'s>(&'s self, view: &'s View, d: usize) -> &'s DeviceState {
        self.changed.get(&d).unwrap_or(&view.state.devices[d])
    }

    /// Job `t` starts (`start`) or stops holding device `d`, whose busy time changes by `busy`.
    fn change(&mut self, view: &View, t: usize, d: usize, start: bool, busy: f64) {
        let (inst, state, now) = (view.instance, view.state, view.now);
        let dev = self
            .changed
            .entry(d)
            .or_insert_with(|| state.devices[d].clone());
        let before = state.is_open(inst, d, dev, now);
        if start {
            dev.hold(inst, t, d);
        } else {
            dev.release(inst, t, d);
        }
        dev.busy += busy;
        let after = state.is_open(inst, d, dev, now);
        self.open_delta += isize::from(after) - isize::from(before);
        state.room.borrow_mut().set(inst, d, after, dev);
    }

    /// Whether job `t` could start on device `d` now: eligible, the device up and within its
    /// busy-time capacity (by the estimate), and room for it beside what the device holds.
    pub fn fits(&self, view: &View, t: usize, d: usize) -> bool {
        self.fits_without(view, t, d, &[])
    }

    /// Whether job `t` could start on device `d` once the running jobs `stopped` (all on `d`)
    /// stop there.
    pub(super) fn fits_without(&self, view: &View, t: usize, d: usize, stopped: &[usize]) -> bool {
        let inst = view.instance;
        if !inst.is_eligible(t, d) || !view.state.devices[d].up(view.now, inst, d) {
            return false;
        }
        let h = self.holding(view, d);
        let mut busy = h.busy;
        for &v in stopped {
            let run = view.state.jobs[v].run.as_ref().expect("running");
            busy += (view.now - run.start) - run.reserved;
        }
        busy + view.remaining(t, d) <= inst.capacity_limit(d)
            && h.has_room_without(inst, t, d, stopped)
    }

    /// A device where running job `t` fits now and would end sooner than where it runs: of the
    /// fastest such class, the first by index.
    pub(super) fn faster_fit(&self, view: &View, t: usize) -> Option<usize> {
        let inst = view.instance;
        let here = inst.class_ptime(t, inst.device_class(view.device_of(t)?));
        let mut classes: Vec<(f64, usize)> = inst
            .eligible_classes(t)
            .iter()
            .map(|&c| (inst.class_ptime(t, c), c))
            .filter(|&(time, _)| time < here)
            .collect();
        classes.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        classes
            .into_iter()
            .find_map(|(_, c)| self.first_fit(view, t, c))
    }

    /// The first device of class `c` (by index) where job `t` fits now, if any.
    pub(super) fn first_fit(&self, view: &View, t: usize, c: usize) -> Option<usize> {
        let inst = view.instance;
        let room = view.state.room.borrow();
        let d = inst.class_device(c);
        room.first(c, |k| inst.held(t, d, k), |d| self.fits(view, t, d))
    }

    /// The device where job `t` fits now and would end first by the estimates (its current
    /// device on ties, then the lowest index), if any.
    pub fn fastest_fit(&self, view: &View, t: usize) -> Option<usize> {
        let inst = view.instance;
        let current = view.device_of(t).filter(|&d| self.fits(view, t, d));
        let left = 1.0 - view.estimated_done(t);
        // (remaining time, not the current device, index)
        let mut best: Option<(f64, bool, usize)> = None;
        let better = |a: (f64, bool, usize), b: Option<(f64, bool, usize)>| {
            b.is_none_or(|b| {
                a.0.total_cmp(&b.0)
                    .then(a.1.cmp(&b.1))
                    .then(a.2.cmp(&b.2))
                    .is_lt()
            })
        };
        if let Some(d) = current {
            best = Some((left * inst.ptime(t, d), false, d));
        }
        // The classes from the fastest: the first where the job fits, and those as fast.
        let mut classes: Vec<(f64, usize)> = inst
            .eligible_classes(t)
            .iter()
            .map(|&c| (left * inst.class_ptime(t, c), c))
            .collect();
        classes.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        for (time, c) in classes {
            if best.is_some_and(|b| b.0 < time) {
                break;
            }
            if let Some(d) = self.first_fit(view, t, c) {
                let candidate = (time, Some(d) != current, d);
                if better(candidate, best) {
                    best = Some(candidate);
                }
            }
        }
        best.map(|b| b.2)
    }

    /// Start waiting (or stopped) job `t` on device `d`; false, and nothing recorded, when it
    /// does not fit there or is already started.
    pub fn start(&mut self, view: &View, t: usize, d: usize) -> bool {
        let stopped = self.is_stopped(t);
        let waiting = view.state.jobs[t].waiting;
        if !(waiting || stopped) || self.started.contains_key(&t) || !self.fits(view, t, d) {
            return false;
        }
        self.change(view, t, d, true, view.remaining(t, d));
        self.starts.push((t, d));
        self.started.insert(t, d);
        true
    }

    /// Stop running job `t` (it keeps the work done and waits again); false when it does not
    /// run, is stopped already, or the simulation does not allow preemption.
    pub fn stop(&mut self, view: &View, t: usize) -> bool {
        let Some(d) = view.device_of(t) else {
            return false;
        };
        if !self.preemption || self.is_stopped(t) {
            return false;
        }
        // The device's busy time keeps what the job ran and gives back the rest of what its
        // start reserved.
        let run = view.state.jobs[t].run.as_ref().expect("running");
        self.change(view, t, d, false, (view.now - run.start) - run.reserved);
        self.stops.push(t);
        self.stopped.insert(t);
        true
    }

    /// Whether this decision stops job `t`.
    pub fn is_stopped(&self, t: usize) -> bool {
        self.stopped.contains(&t)
    }

    /// The device where this decision starts job `t`, if it does.
    pub fn started_on(&self, t: usize) -> Option<usize> {
        self.started.get(&t).copied()
    }
}

/// A built-in policy: its name, what it does, and how it behaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PolicyInfo {
    /// Its name on the command line.
    pub name: &'static str,
    /// One line on what it does.
    pub description: &'static str,
    /// It stops running jobs by nature (the simulation then allows preemption).
    pub preemptive: bool,
    /// It never leaves a device idle while a waiting job fits there.
    pub work_conserving: bool,
}

const fn info(
    name: &'static str,
    description: &'static str,
    preemptive: bool,
    work_conserving: bool,
) -> PolicyInfo {
    PolicyInfo {
        name,
        description,
        preemptive,
        work_conserving,
    }
}

/// The built-in policies.
pub const POLICIES: &[PolicyInfo] = &[
    info(
        "fcfs",
        "first come, first served (a job that fits nowhere now does not block later ones)",
        false,
        true,
    ),
    info(
        "sjf",
        "shortest job first, by the estimate on the fastest eligible device",
        false,
        true,
    ),
    info(
        "srpt",
        "shortest remaining processing time (preemptive)",
        true,
        true,
    ),
    info("edf", "earliest due date first", false, true),
    info("priority", "heaviest weight first", false, true),
    info(
        "las",
        "least attained service (preemptive; decides at every quantum)",
        true,
        true,
    ),
    info(
        "backfill",
        "first come, first served with EASY backfilling (the first job that cannot start gets a reservation)",
        false,
        false,
    ),
    info(
        "fair",
        "fair share between users: the user with the fewest running jobs starts next",
        false,
        true,
    ),
    info(
        "drf",
        "dominant resource fairness between users across resource types",
        false,
        true,
    ),
    info(
        "maxmin",
        "heterogeneity-aware max-min fairness (Gavel's LP over device classes; preemptive, decides every quantum)",
        true,
        true,
    ),
    info(
        "replan",
        "rolling horizon: replan:SOLVER (e.g. replan:ls; replan alone: best-greedy) plans the \
         waiting jobs at every decision, and those it starts at once start",
        false,
        false,
    ),
];

/// The built-in policy named `name`, with its [`PolicyInfo`]; `None` for an unknown name.
/// `replan:SOLVER` names [`Replan`](super::Replan) with a solver of [`crate::solve::by_name`]
/// (one thread, 0.1 s per plan; `replan` alone: `best-greedy`).
pub fn by_name(name: &str) -> Option<(Box<dyn Policy>, PolicyInfo)> {
    if let Some(solver) = name
        .strip_prefix("replan:")
        .or((name == "replan").then_some("best-greedy"))
    {
        let options = crate::solve::SolveOptions {
            time_limit: Some(std::time::Duration::from_millis(100)),
            threads: Some(1),
            ..Default::default()
        };
        let solver = crate::solve::by_name(solver).ok()?;
        let info = *POLICIES.iter().find(|p| p.name == "replan")?;
        return Some((Box::new(super::Replan::new(solver, options)), info));
    }
    let info = *POLICIES.iter().find(|p| p.name == name)?;
    let list =
        |order| -> Box<dyn Policy> { Box::new(ListPolicy::new(order, Placement::Fastest, 0)) };
    let policy: Box<dyn Policy> = match name {
        "backfill" => Box::new(super::backfill::Backfill),
        "fair" => Box::new(super::share::FairShare { dominant: false }),
        "drf" => Box::new(super::share::FairShare { dominant: true }),
        "maxmin" => Box::new(super::MaxMin::new()),
        _ => list(Order::of_policy(name)?),
    };
    Some((policy, info))
}
