//! The event loop: events in time order, the policy's decisions applied, the schedule, the
//! metrics.

use super::displaced::Displaced;
use super::metrics;
use super::room::Room;
use super::{
    DeviceState, Event, Job, Options, Policy, Run, Simulation, State, Timeline, View, WaitKey,
    policy::Decision, wait_key,
};
use crate::error::Error;
use crate::model::{Instance, InstanceData};
use crate::schedule::{Assignment, Schedule};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, LogNormal};
use rustc_hash::{FxHashMap, FxHashSet};
use std::cell::RefCell;
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap};

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Complete {
        task: usize,
        stamp: u64,
    },
    Down(usize),
    Up(usize),
    Arrive(usize),
    /// Device `d` becomes available (its `available_from`).
    Available(usize),
    Wake,
}

#[derive(Debug, Clone, Copy)]
struct Timed {
    time: f64,
    seq: u64,
    kind: Kind,
}

impl Timed {
    fn rank(&self) -> u8 {
        match self.kind {
            Kind::Complete { .. } => 0,
            Kind::Down(_) | Kind::Up(_) | Kind::Available(_) => 1,
            Kind::Arrive(_) => 2,
            Kind::Wake => 3,
        }
    }
}

impl PartialEq for Timed {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Timed {}
impl PartialOrd for Timed {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Timed {
    /// Reversed: the earliest event (completions first, then by sequence) is the heap's top.
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .time
            .total_cmp(&self.time)
            .then(other.rank().cmp(&self.rank()))
            .then(other.seq.cmp(&self.seq))
    }
}

/// The simulator's working state.
struct Engine<'a> {
    inst: &'a Instance,
    /// Per task, its actual times ÷ its estimated ones (the noise factor).
    factor: Vec<f64>,
    state: State,
    /// Events other than arrivals.
    heap: BinaryHeap<Timed>,
    /// Completions in the heap of runs stopped since (ignored when they come; dropped from
    /// the heap when they are most of it, so that it holds about the running jobs' events).
    stale: usize,
    seq: u64,
    /// The tasks by release (ties by index): the arrivals, taken in order beside the heap so
    /// that it holds only the events of the jobs running.
    arrivals: Vec<usize>,
    next_arrival: usize,
    segments: Vec<Assignment>,
    completions: Vec<f64>,
    events: Vec<Event>,
    log: bool,
    preemption: bool,
    preemptions: usize,
    migrations: usize,
    /// Run time lost to outages (without preemption).
    lost: f64,
    preemption_cost: f64,
    /// Restart delays spent.
    overhead: f64,
}

/// Refuse a quantum so small that its ticks would not fit the memory limit: about (latest
/// release + the work spread over the devices + the longest task) / quantum decisions, each with
/// an event, a timeline row and, under preemption, a run segment per device.
fn check_ticks(instance: &Instance, options: &Options, q: f64) -> Result<(), Error> {
    let (n, m) = (instance.num_tasks(), instance.num_devices().max(1));
    let min_p = |t: usize| Some(instance.min_ptime(t)).filter(|p| p.is_finite());
    let work: f64 = (0..n).filter_map(min_p).sum();
    let longest = (0..n).filter_map(min_p).fold(0.0, f64::max);
    let latest = instance
        .tasks()
        .iter()
        .map(|t| t.release)
        .fold(0.0, f64::max);
    let ticks = (latest + work / m as f64 + longest) / q;
    let mut per_tick = 64.0;
    if options.timeline {
        per_tick += 32.0 + 8.0 * m as f64;
    }
    if options.preemption {
        per_tick += 48.0 * m as f64;
    }
    let bytes = (ticks * per_tick).min(u64::MAX as f64) as u64;
    crate::memory::check(
        format!("the simulation's quantum ticks (about {ticks:.3e} ticks of {q})"),
        bytes,
    )
}

/// Simulate `policy` on `instance` (see the module text). Errors: bad options (a negative or
/// non-finite noise or quantum), and jobs the policy leaves unfinished when nothing else can
/// happen (each named, with why it cannot start).
pub fn simulate(
    instance: &Instance,
    policy: &mut dyn Policy,
    options: &Options,
) -> Result<Simulation, Error> {
    if !(options.noise.is_finite() && options.noise >= 0.0) {
        return Err(Error::Usage(format!(
            "the noise must be a finite number ≥ 0, not {}",
            options.noise
        )));
    }
    if !(options.preemption_cost.is_finite() && options.preemption_cost >= 0.0) {
        return Err(Error::Usage(format!(
            "the preemption cost must be a finite number ≥ 0, not {}",
            options.preemption_cost
        )));
    }
    if let Some(q) = options.quantum
        && !(q.is_finite() && q > 0.0)
    {
        return Err(Error::Usage(format!(
            "the quantum must be a finite number > 0, not {q}"
        )));
    }
    let (n, m) = (instance.num_tasks(), instance.num_devices());
    if let Some(q) = options.quantum {
        check_ticks(instance, options, q)?;
    }
    let factors: Vec<f64> = if options.noise > 0.0 {
        let sigma = options.noise;
        let dist = LogNormal::new(-sigma * sigma / 2.0, sigma)
            .map_err(|e| Error::Usage(format!("noise {sigma}: {e}")))?;
        let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
        (0..n).map(|_| dist.sample(&mut rng)).collect()
    } else {
        vec![1.0; n]
    };
    let r = instance.num_resources();
    let mut engine = Engine {
        inst: instance,
        factor: factors,
        state: State {
            jobs: (0..n)
                .map(|t| Job {
                    open_preds: instance.preds(t).len(),
                    ..Job::default()
                })
                .collect(),
            devices: vec![
                DeviceState {
                    held: vec![0.0; r],
                    ..DeviceState::default()
                };
                m
            ],
            waiting: BTreeSet::new(),
            pending: Vec::new(),
            running: Vec::new(),
            running_keys: RefCell::new(vec![BTreeSet::new(); instance.num_device_classes()]),
            displaced: Displaced::new(r, instance.num_device_classes()),
            fresh: Vec::new(),
            freed: Vec::new(),
            open: vec![false; m],
            open_count: 0,
            room: RefCell::new(Room::new(instance)),
            least: least_holdings(instance),
        },
        heap: BinaryHeap::new(),
        stale: 0,
        seq: 0,
        arrivals: Vec::new(),
        next_arrival: 0,
        segments: Vec::new(),
        completions: vec![f64::NAN; n],
        events: Vec::new(),
        log: options.log,
        preemption: options.preemption,
        preemptions: 0,
        migrations: 0,
        lost: 0.0,
        preemption_cost: options.preemption_cost,
        overhead: 0.0,
    };
    for o in &options.outages {
        if o.device >= m || !(o.from.is_finite() && o.to.is_finite() && o.from < o.to) {
            return Err(Error::Usage(format!(
                "an outage needs a device of the instance and from < to, finite; got device #{} \
                 from {} to {}",
                o.device, o.from, o.to
            )));
        }
        engine.push(o.from, Kind::Down(o.device));
        engine.push(o.to, Kind::Up(o.device));
    }
    engine.arrivals = (0..n).collect();
    engine.arrivals.sort_by(|&a, &b| {
        instance
            .task(a)
            .release
            .total_cmp(&instance.task(b).release)
    });
    for d in 0..m {
        let from = instance.device(d).available_from;
        if from > 0.0 {
            engine.push(from, Kind::Available(d));
        }
        engine.refresh(d, from.min(0.0));
    }
    let kind_of: Vec<String> = instance
        .devices()
        .iter()
        .map(|d| d.kind.clone().unwrap_or_else(|| d.id.clone()))
        .collect();
    let mut timeline = Timeline::default();
    if options.timeline {
        timeline.kinds = kind_of.clone();
        timeline.kinds.sort();
        timeline.kinds.dedup();
    }
    let mut tick_at: Option<f64> = None;
    let mut decisions = 0;
    while let Some(first) = engine.next_event() {
        let now = first.time;
        let mut news = engine.handle(first);
        while engine.peek_time() == Some(now) {
            let e = engine.next_event().expect("peeked");
            news |= engine.handle(e);
        }
        if tick_at.is_some_and(|t| t <= now) {
            tick_at = None;
        }
        if !news {
            continue;
        }
        engine.state.fresh.clear();
        let pending = &engine.state.pending;
        engine.state.fresh.extend(pending);
        engine.admit(policy, now);
        decisions += 1;
        let mut decision = Decision::new(options.preemption, options.quantum.is_some());
        let view = View {
            instance,
            state: &engine.state,
            now,
        };
        policy.decide(&view, &mut decision);
        engine.apply(now, decision, policy);
        engine.state.freed.clear();
        engine.admit(policy, now);
        if options.timeline {
            let mut busy = vec![0; timeline.kinds.len()];
            for (d, dev) in engine.state.devices.iter().enumerate() {
                if dev.jobs > 0 {
                    busy[timeline.kinds.binary_search(&kind_of[d]).expect("a kind")] += 1;
                }
            }
            let (waiting, running) = (engine.state.waiting.len(), engine.state.running.len());
            timeline.rows.push((now, waiting, running, busy));
        }
        // Ticks only while a job runs: with none running, only an arrival or a device waking
        // can change what fits (and a job that never fits cannot keep the clock going).
        if let Some(q) = options.quantum
            && tick_at.is_none()
            && !engine.state.running.is_empty()
        {
            tick_at = Some(now + q);
            engine.push(now + q, Kind::Wake);
        }
    }
    if let Some(t) = (0..n).find(|&t| !engine.state.jobs[t].done) {
        return Err(engine.unfinished(t));
    }
    let preemptive = {
        let mut count = vec![0usize; n];
        engine.segments.iter().for_each(|a| count[a.task] += 1);
        count.iter().any(|&c| c > 1)
    };
    let mut assignments = engine.segments;
    assignments.sort_by(|a, b| a.task.cmp(&b.task).then(a.start.total_cmp(&b.start)));
    let schedule = Schedule {
        assignments,
        preemptive,
    };
    let realized = (options.noise > 0.0)
        .then(|| realize(instance, &engine.factor))
        .transpose()?;
    let metrics = metrics::measure(
        realized.as_ref().unwrap_or(instance),
        &schedule,
        &engine.completions,
        engine.preemptions,
        engine.migrations,
        engine.lost,
        engine.overhead,
    );
    Ok(Simulation {
        schedule,
        completions: engine.completions,
        realized,
        metrics,
        events: engine.events,
        timeline,
        decisions,
    })
}

/// Per device class and resource, the least a job eligible on the class holds of the resource
/// (see [`State`]'s `least`); infinite where no job is eligible.
fn least_holdings(inst: &Instance) -> Vec<f64> {
    let r = inst.num_resources();
    let classes = inst.num_device_classes();
    let mut least = vec![f64::INFINITY; classes * r];
    for t in 0..inst.num_tasks() {
        for &c in inst.eligible_classes(t) {
            for k in 0..r {
                let held = inst.held(t, inst.class_device(c), k);
                least[c * r + k] = least[c * r + k].min(held);
            }
        }
    }
    least
}

/// The instance with the actual times: each task's `times` by device id, on its eligible
/// devices.
fn realize(instance: &Instance, factor: &[f64]) -> Result<Instance, Error> {
    let mut data: InstanceData = instance.to_data();
    for (t, task) in data.tasks.iter_mut().enumerate() {
        let times: BTreeMap<String, f64> = instance
            .eligible(t)
            .iter()
            .map(|&d| {
                (
                    instance.device(d).id.clone(),
                    instance.ptime(t, d) * factor[t],
                )
            })
            .collect();
        task.work = None;
        task.times = Some(times);
    }
    Instance::new(data)
}

impl Engine<'_> {
    /// Actual time of task `t` on device `d`.
    fn actual(&self, t: usize, d: usize) -> f64 {
        self.inst.ptime(t, d) * self.factor[t]
    }

    /// The next arrival, as an event.
    fn arrival(&self) -> Option<Timed> {
        self.arrivals.get(self.next_arrival).map(|&t| Timed {
            time: self.inst.task(t).release,
            seq: 0,
            kind: Kind::Arrive(t),
        })
    }

    /// The next event (the heap's or the next arrival, whichever comes first), taken.
    fn next_event(&mut self) -> Option<Timed> {
        match (self.heap.peek(), self.arrival()) {
            // Reversed order: the greater is the earlier.
            (Some(top), Some(arrival)) if arrival > *top => {
                self.next_arrival += 1;
                Some(arrival)
            }
            (None, Some(arrival)) => {
                self.next_arrival += 1;
                Some(arrival)
            }
            _ => self.heap.pop(),
        }
    }

    /// When the next event happens.
    fn peek_time(&self) -> Option<f64> {
        match (self.heap.peek(), self.arrival()) {
            (Some(top), Some(arrival)) => Some(top.time.min(arrival.time)),
            (top, arrival) => top.or(arrival.as_ref()).map(|e| e.time),
        }
    }

    fn push(&mut self, time: f64, kind: Kind) {
        if self.stale > 1024 && 2 * self.stale > self.heap.len() {
            let jobs = &self.state.jobs;
            self.heap.retain(|e| match e.kind {
                Kind::Complete { task, stamp } => {
                    jobs[task].stamp == stamp && jobs[task].run.is_some()
                }
                _ => true,
            });
            self.stale = 0;
        }
        self.seq += 1;
        self.heap.push(Timed {
            time,
            seq: self.seq,
            kind,
        });
    }

    fn record(&mut self, time: f64, event: &'static str, t: Option<usize>, d: Option<usize>) {
        if self.log {
            self.events.push(Event {
                time,
                event,
                task: t.map_or_else(String::new, |t| self.inst.task(t).id.clone()),
                device: d.map(|d| self.inst.device(d).id.clone()),
            });
        }
    }

    /// Handle one event; false when it changes nothing (the completion of a run that was
    /// stopped since), so that no decision follows it.
    fn handle(&mut self, e: Timed) -> bool {
        match e.kind {
            Kind::Arrive(t) => {
                self.state.jobs[t].arrived = true;
                self.record(e.time, "arrive", Some(t), None);
                if self.state.jobs[t].open_preds == 0 {
                    self.enqueue(t);
                }
            }
            Kind::Complete { task, stamp } => {
                let job = &self.state.jobs[task];
                let Some(run) = job.run.as_ref().filter(|_| job.stamp == stamp) else {
                    self.stale = self.stale.saturating_sub(1);
                    return false;
                };
                self.state.freed.push(run.device);
                self.finish_run(task, e.time, true);
                for i in 0..self.inst.succs(task).len() {
                    let s = self.inst.succs(task)[i];
                    self.state.jobs[s].open_preds -= 1;
                    if self.state.jobs[s].open_preds == 0 && self.state.jobs[s].arrived {
                        self.record(e.time, "ready", Some(s), None);
                        self.enqueue(s);
                    }
                }
            }
            Kind::Down(d) => {
                self.state.devices[d].down += 1;
                self.record(e.time, "down", None, Some(d));
                self.refresh(d, e.time);
                let on_it: Vec<usize> = self
                    .state
                    .running
                    .iter()
                    .copied()
                    .filter(|&t| {
                        self.state.jobs[t]
                            .run
                            .as_ref()
                            .is_some_and(|r| r.device == d)
                    })
                    .collect();
                for t in on_it {
                    if self.preemption {
                        self.finish_run(t, e.time, false);
                    } else {
                        self.lose_run(t, e.time);
                    }
                }
            }
            Kind::Up(d) => {
                self.state.devices[d].down -= 1;
                self.record(e.time, "up", None, Some(d));
                self.refresh(d, e.time);
                self.state.freed.push(d);
            }
            Kind::Available(d) => {
                self.refresh(d, e.time);
                self.state.freed.push(d);
            }
            Kind::Wake => {}
        }
        true
    }

    /// Stop job `t` at `now` and forget the work of its current segment (an outage without
    /// preemption): the segment is left out of the schedule, its length counted as lost, and
    /// the job waits again.
    fn lose_run(&mut self, t: usize, now: f64) {
        let run = self.state.jobs[t].run.take().expect("running");
        let d = run.device;
        self.lost += now - run.start;
        self.stale += 1;
        let dev = &mut self.state.devices[d];
        dev.release(self.inst, t, d);
        dev.busy -= run.reserved;
        self.leave_running(t, d);
        self.refresh(d, now);
        self.record(now, "lost", Some(t), Some(d));
        self.enqueue(t);
    }

    /// Job `t` starts waiting (the policy orders it before its next decision: [`Self::admit`]).
    fn enqueue(&mut self, t: usize) {
        self.state.pending.push(t);
        self.state.jobs[t].waiting = true;
    }

    /// Put the jobs that started waiting among the waiting, where the policy's key puts them.
    fn admit(&mut self, policy: &dyn Policy, now: f64) {
        if self.state.pending.is_empty() {
            return;
        }
        let pending = std::mem::take(&mut self.state.pending);
        let keys: Vec<WaitKey> = {
            let view = View {
                instance: self.inst,
                state: &self.state,
                now,
            };
            // A job stopped and started again by one decision no longer waits.
            pending
                .iter()
                .filter(|&&t| self.state.jobs[t].waiting)
                .map(|&t| wait_key(policy.order_key(&view, t), self.inst.task(t).release, t))
                .collect()
        };
        for key in keys {
            self.state.jobs[key.2].wait_key = key;
            self.state.waiting.insert(key);
        }
        self.state.pending = pending;
        self.state.pending.clear();
    }

    /// Job `t` leaves the running ones (it ran on device `d`).
    fn leave_running(&mut self, t: usize, d: usize) {
        let job = &self.state.jobs[t];
        let c = self.inst.device_class(d);
        self.state.running_keys.get_mut()[c].remove(&job.bound.get());
        self.state.displaced.remove(t);
        let at = self.state.jobs[t].running_at;
        self.state.running.swap_remove(at);
        if let Some(&moved) = self.state.running.get(at) {
            self.state.jobs[moved].running_at = at;
        }
    }

    /// Device `d` joins or leaves the open ones of its class, as its state at `now` says.
    fn refresh(&mut self, d: usize, now: f64) {
        let inst = self.inst;
        let state = &mut self.state;
        let open = state.is_open(inst, d, &state.devices[d], now);
        if open != state.open[d] {
            state.open[d] = open;
            if open {
                state.open_count += 1;
            } else {
                state.open_count -= 1;
            }
        }
        state.room.get_mut().set(inst, d, open, &state.devices[d]);
    }

    /// End job `t`'s current segment at `now` (completed, or stopped and waiting again).
    fn finish_run(&mut self, t: usize, now: f64, complete: bool) {
        let run = self.state.jobs[t].run.take().expect("running");
        let d = run.device;
        let length = (now - run.work_from).max(0.0);
        self.overhead += now.min(run.work_from) - run.start;
        // Zero-length segments are left out, except the only one of a zero-length job.
        if length > 0.0 || (complete && self.state.jobs[t].attained == 0.0) {
            self.segments.push(Assignment {
                task: t,
                device: d,
                start: run.work_from,
                end: now,
            });
        }
        let p_est = self.inst.ptime(t, d);
        let p_act = self.actual(t, d);
        let job = &mut self.state.jobs[t];
        job.attained += length;
        job.estimated_done += if p_est > 0.0 { length / p_est } else { 1.0 };
        job.actual_done = if complete || p_act <= 0.0 {
            1.0
        } else {
            (job.actual_done + length / p_act).min(1.0)
        };
        let dev = &mut self.state.devices[d];
        dev.release(self.inst, t, d);
        dev.busy += (now - run.start) - run.reserved;
        self.leave_running(t, d);
        self.refresh(d, now);
        if complete {
            let job = &mut self.state.jobs[t];
            job.done = true;
            self.completions[t] = now;
            self.record(now, "complete", Some(t), Some(d));
        } else {
            self.preemptions += 1;
            self.stale += 1;
            self.record(now, "stop", Some(t), Some(d));
            self.enqueue(t);
        }
    }

    fn apply(&mut self, now: f64, decision: Decision, policy: &dyn Policy) {
        // A job stopped and started again on its device at once just runs on.
        let kept = |t: usize| {
            let device = self.state.jobs[t].run.as_ref().map(|r| r.device);
            device.is_some() && decision.started_on(t) == device
        };
        let kept: FxHashSet<usize> = decision
            .stops
            .iter()
            .copied()
            .filter(|&t| kept(t))
            .collect();
        // A job that moves takes its key now, as if it had waited in between.
        let moved: FxHashMap<usize, WaitKey> = {
            let view = View {
                instance: self.inst,
                state: &self.state,
                now,
            };
            decision
                .starts
                .iter()
                .filter(|(t, _)| decision.is_stopped(*t) && !kept.contains(t))
                .map(|&(t, _)| {
                    let key = policy.order_key(&view, t);
                    (t, wait_key(key, self.inst.task(t).release, t))
                })
                .collect()
        };
        let Decision { starts, stops, .. } = decision;
        for &t in stops.iter().filter(|t| !kept.contains(t)) {
            self.finish_run(t, now, false);
        }
        for (t, d) in starts.into_iter().filter(|(t, _)| !kept.contains(t)) {
            let job = &mut self.state.jobs[t];
            job.waiting = false;
            job.stamp += 1;
            if job.last_device.is_some_and(|l| l != d) {
                self.migrations += 1;
            }
            let delay = if job.last_device.is_some() {
                self.preemption_cost
            } else {
                0.0
            };
            job.last_device = Some(d);
            let left = 1.0 - job.actual_done;
            let reserved = (1.0 - job.estimated_done).max(0.0) * self.inst.ptime(t, d);
            job.run = Some(Run {
                device: d,
                start: now,
                work_from: now + delay,
                reserved: reserved + delay,
            });
            let stamp = job.stamp;
            job.running_at = self.state.running.len();
            let key = job.wait_key;
            if let Some(&now_key) = moved.get(&t) {
                job.wait_key = now_key;
            }
            self.state.waiting.remove(&key);
            self.state.running.push(t);
            let c = self.inst.device_class(d);
            let key = self.state.jobs[t].wait_key;
            let here = self.inst.class_ptime(t, c);
            if self.preemption {
                self.state.running_keys.get_mut()[c].insert(key);
                self.state.jobs[t].bound.set(key);
                if here > self.inst.min_ptime(t) {
                    let need: Vec<f64> = if self.inst.shares(t, d) {
                        self.inst.demand_of(t).to_vec()
                    } else {
                        vec![0.0; self.inst.num_resources()]
                    };
                    let times: Vec<f64> = (0..self.inst.num_device_classes())
                        .map(|c| self.inst.class_ptime(t, c))
                        .collect();
                    self.state.displaced.insert(key, here, &need, &times);
                }
            }
            let dev = &mut self.state.devices[d];
            dev.hold(self.inst, t, d);
            dev.busy += reserved;
            self.refresh(d, now);
            self.record(now, "start", Some(t), Some(d));
            self.push(
                now + delay + left * self.actual(t, d),
                Kind::Complete { task: t, stamp },
            );
        }
    }

    /// Why job `t` is left unfinished when no event is left.
    fn unfinished(&self, t: usize) -> Error {
        let inst = self.inst;
        let job = &self.state.jobs[t];
        let id = &inst.task(t).id;
        let why = if !job.arrived {
            "it never arrived".to_string()
        } else if job.open_preds > 0 {
            "a predecessor never completed".to_string()
        } else {
            let budget = inst
                .eligible(t)
                .iter()
                .all(|&d| self.state.devices[d].busy + inst.ptime(t, d) > inst.capacity_limit(d));
            if budget {
                "every eligible device has used its busy-time capacity".to_string()
            } else {
                "the policy never started it although a device was free".to_string()
            }
        };
        Error::Solve(format!(
            "the simulation ended with task '{id}' unfinished: {why}"
        ))
    }
}
