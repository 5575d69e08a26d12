//! The online simulator: jobs arrive over time (a task arrives at its `release`), and a
//! [`Policy`] decides, after every batch of events, which waiting jobs start where and — with
//! preemption — which running jobs stop.
//!
//! Event-driven: arrivals, completions, devices becoming available and (with a quantum) periodic
//! decisions; events at one time are handled together (completions first), then the policy
//! decides once. A job is *waiting* once it has arrived and its predecessors have completed.
//! With `noise` σ > 0 each job's actual durations are its estimates times a seeded log-normal
//! factor of mean 1 (the same factor on every device); policies see only the estimates, the
//! schedule and metrics use the actual times. A stopped job keeps the work it has done and may
//! resume on any eligible device, where the remaining fraction takes that fraction of its time
//! there.
//!
//! ```
//! use hetsched::sim::{self, Options};
//! use hetsched::{Instance, InstanceData};
//!
//! let data: InstanceData = serde_json::from_str(r#"{
//!     "devices": [{"id": "gpu0"}],
//!     "tasks": [{"id": "long", "work": 10},
//!               {"id": "short", "work": 2, "release": 1}]}"#).unwrap();
//! let inst = Instance::new(data).unwrap();
//! let (mut srpt, _) = sim::by_name("srpt").unwrap();
//! let options = Options { preemption: true, ..Options::default() };
//! let run = sim::simulate(&inst, srpt.as_mut(), &options).unwrap();
//! // The short job preempts the long one at its arrival: it ends at 3, the long one at 12.
//! assert_eq!(run.completions, vec![12.0, 3.0]);
//! assert!(run.schedule.violations(&inst).is_empty());
//! ```

mod backfill;
mod displaced;
mod engine;
mod list;
mod maxmin;
mod metrics;
mod outages;
mod policy;
mod replan;
mod room;
mod share;

pub use backfill::Backfill;
pub use list::{ListPolicy, Order, Placement};
pub use maxmin::MaxMin;
pub use metrics::{Metrics, UserMetrics};
pub use outages::{Outage, parse_outages, read_outages};
pub use policy::{Decision, POLICIES, Policy, PolicyInfo, View, by_name};
pub use replan::Replan;
pub use share::FairShare;

use crate::model::Instance;
use crate::order::ordered;
use crate::schedule::Schedule;
use displaced::Displaced;
use room::Room;
use serde::Serialize;
use std::cell::{Cell, RefCell};
use std::collections::BTreeSet;

/// Simulate `policy` on `instance` (see the module text). Errors: an instance with data
/// transfers (not simulated yet: refused rather than run without its delays), bad options (a
/// negative or non-finite noise or quantum), and jobs the policy leaves unfinished when nothing
/// else can happen (each named, with why it cannot start).
pub fn simulate(
    instance: &Instance,
    policy: &mut dyn Policy,
    options: &Options,
) -> Result<Simulation, crate::Error> {
    if instance.has_transfers() {
        return Err(crate::Error::Unsupported {
            what: "the online simulator".into(),
            feature: "data transfers between devices (`after` entries with `data`)".into(),
            hint: "plan the instance offline with `hetsched solve` (heft, cpop, peft, ls, ga)"
                .into(),
        });
    }
    engine::simulate(instance, policy, options)
}

/// Tolerance of the resource comparisons (demands are real numbers).
const TOLERANCE: f64 = 1e-9;

/// How to simulate.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Policies may stop running jobs (they resume later with the work done kept).
    pub preemption: bool,
    /// σ of the log-normal factor between actual and estimated durations (0: exact estimates).
    pub noise: f64,
    /// Seed of the noise.
    pub seed: u64,
    /// Also decide every `quantum` time units while jobs run (else only at events).
    pub quantum: Option<f64>,
    /// Record every event in [`Simulation::events`].
    pub log: bool,
    /// Restart delay: a job that ran before holds its device this long before its work goes
    /// on (not a segment of the schedule; counted in [`Metrics::restart_overhead`]).
    pub preemption_cost: f64,
    /// Record the state after every decision in [`Simulation::timeline`].
    pub timeline: bool,
    /// Intervals during which devices are down: what runs there is stopped (its work since it
    /// started lost, unless preemption is on: then it resumes later), nothing starts there.
    pub outages: Vec<Outage>,
}

/// One thing that happened, for the event log.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Event {
    /// When.
    pub time: f64,
    /// `arrive`, `ready` (its predecessors completed after it arrived), `start`, `stop`,
    /// `complete`, `lost` (stopped by an outage without preemption: the work since its start is
    /// lost), `down` or `up` (a device; `task` is empty).
    pub event: &'static str,
    /// Task id.
    pub task: String,
    /// Device id (`start`, `stop`, `complete`, `lost`, `down`, `up`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device: Option<String>,
}

/// The outcome of a simulation.
#[derive(Debug, Clone)]
pub struct Simulation {
    /// What ran where and when, in actual times (preemptive when some job ran in segments).
    pub schedule: Schedule,
    /// Per task (by index) its completion.
    pub completions: Vec<f64>,
    /// With noise: the instance with the actual times, against which the schedule checks
    /// (without noise, the instance simulated).
    pub realized: Option<Instance>,
    /// Job completion times, slowdowns, utilization, fairness…
    pub metrics: Metrics,
    /// Every event, in order (with [`Options::log`]).
    pub events: Vec<Event>,
    /// The state after every decision (with [`Options::timeline`]).
    pub timeline: Timeline,
    /// How many times the policy decided (once per batch of simultaneous events that changed
    /// something).
    pub decisions: usize,
}

/// The state of the cluster over time: one row after every decision.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Timeline {
    /// The device kinds (a device without a kind under its id), sorted.
    pub kinds: Vec<String>,
    /// Per decision: time, jobs waiting, jobs running, and per kind the devices running a job.
    pub rows: Vec<(f64, usize, usize, Vec<usize>)>,
}

impl Timeline {
    /// As CSV: `time,waiting,running,busy_<kind>…`.
    pub fn to_csv(&self) -> String {
        let mut out = String::from("time,waiting,running");
        for k in &self.kinds {
            out.push_str(&format!(",busy_{k}"));
        }
        out.push('\n');
        for (time, waiting, running, busy) in &self.rows {
            out.push_str(&format!("{time},{waiting},{running}"));
            for b in busy {
                out.push_str(&format!(",{b}"));
            }
            out.push('\n');
        }
        out
    }
}

/// A running job's current segment.
#[derive(Debug, Clone)]
struct Run {
    device: usize,
    start: f64,
    /// When the work starts: after the restart delay of a job that ran before.
    work_from: f64,
    /// The busy time reserved on the device at the start (the estimate).
    reserved: f64,
}

#[derive(Debug, Clone, Default)]
struct Job {
    arrived: bool,
    waiting: bool,
    done: bool,
    /// Predecessors not completed yet.
    open_preds: usize,
    /// Time run in finished segments.
    attained: f64,
    /// Work done in finished segments, by the estimates and actually.
    estimated_done: f64,
    actual_done: f64,
    run: Option<Run>,
    /// Bumped at every start, so that a stopped run's completion event is ignored.
    stamp: u64,
    last_device: Option<usize>,
    /// Its place among the waiting (while it waits).
    wait_key: WaitKey,
    /// While it runs: its place in `State::running_keys`, at first the key it had when it
    /// last waited; a list policy that preempts in place lowers it to its key now when it
    /// finds it lower (a bound on its key, which only falls in the orders of those policies).
    bound: Cell<WaitKey>,
    /// Its position in `State::running` (while it runs).
    running_at: usize,
}

/// The order of the waiting jobs: the policy's key, the arrival, the index (the numbers as
/// integers in [`f64::total_cmp`]'s order).
type WaitKey = (i64, i64, usize);

/// The place of job `t`, arrived at `arrival`, among the waiting at the policy's `key`.
fn wait_key(key: f64, arrival: f64, t: usize) -> WaitKey {
    (ordered(key), ordered(arrival), t)
}

#[derive(Debug, Clone, Default)]
struct DeviceState {
    /// Outages in progress.
    down: usize,
    jobs: usize,
    exclusive: usize,
    held: Vec<f64>,
    /// Busy time: finished segments, plus the estimate of each running one.
    busy: f64,
}

impl DeviceState {
    fn up(&self, now: f64, inst: &Instance, d: usize) -> bool {
        self.down == 0 && now >= inst.device(d).available_from
    }

    /// Job `t` starts holding this device (`d`).
    fn hold(&mut self, inst: &Instance, t: usize, d: usize) {
        self.jobs += 1;
        self.exclusive += usize::from(!inst.shares(t, d));
        for (k, h) in self.held.iter_mut().enumerate() {
            *h += inst.held(t, d, k);
        }
    }

    /// Whether job `t` has room on this device (`d`) beside what it holds: alone when `t` or a
    /// job running there is exclusive, else within every resource's capacity.
    fn has_room(&self, inst: &Instance, t: usize, d: usize) -> bool {
        self.has_room_without(inst, t, d, &[])
    }

    /// Whether job `t` would have room on this device (`d`) once the jobs `stopped` (running
    /// here) leave it.
    fn has_room_without(&self, inst: &Instance, t: usize, d: usize, stopped: &[usize]) -> bool {
        if !inst.shares(t, d) {
            return self.jobs == stopped.len();
        }
        let exclusive = stopped.iter().filter(|&&v| !inst.shares(v, d)).count();
        self.exclusive == exclusive
            && (0..inst.num_resources()).all(|k| {
                let freed: f64 = stopped.iter().map(|&v| inst.held(v, d, k)).sum();
                self.held[k] - freed + inst.held(t, d, k)
                    <= inst.resource_capacity(d, k) + TOLERANCE
            })
    }

    /// Whether no job at all has room on this device (`d`) beside what it holds: it holds an
    /// exclusive job, or (without resources) any job, or some resource has less left than
    /// `least` (per resource, the least a job eligible there holds of it).
    fn full(&self, inst: &Instance, d: usize, least: &[f64]) -> bool {
        if self.exclusive > 0 || (self.jobs > 0 && !inst.offers_resources(d)) {
            return true;
        }
        self.jobs > 0
            && (0..inst.num_resources())
                .any(|k| self.held[k] + least[k] > inst.resource_capacity(d, k) + TOLERANCE)
    }

    /// Job `t` stops holding this device (`d`).
    fn release(&mut self, inst: &Instance, t: usize, d: usize) {
        self.jobs -= 1;
        self.exclusive -= usize::from(!inst.shares(t, d));
        for (k, h) in self.held.iter_mut().enumerate() {
            *h -= inst.held(t, d, k);
        }
    }
}

/// What the simulator knows now (shown to policies through [`View`]).
pub(crate) struct State {
    jobs: Vec<Job>,
    devices: Vec<DeviceState>,
    /// Waiting jobs in the policy's order ([`Policy::order_key`], then arrival and index).
    waiting: BTreeSet<WaitKey>,
    /// Jobs that started waiting since the policy last ordered them.
    pending: Vec<usize>,
    running: Vec<usize>,
    /// Per device class, the running jobs there by their [`Job::bound`].
    running_keys: RefCell<Vec<BTreeSet<WaitKey>>>,
    /// The running jobs on a device class slower for them than their fastest one (kept with
    /// preemption only).
    displaced: Displaced,
    /// The jobs that started waiting since the previous decision (arrived, became ready, or
    /// stopped by an outage), as the policy decides.
    fresh: Vec<usize>,
    /// The devices that gained room since the previous decision (a job completed there, or
    /// the device came up), as the policy decides; may repeat.
    freed: Vec<usize>,
    /// Per device, whether it is up and not [full](DeviceState::full).
    open: Vec<bool>,
    /// The number of open devices.
    open_count: usize,
    /// What the devices have left, for finding where a job fits; a decision updates it as it
    /// records starts and stops (the engine's updates when applying them agree).
    room: RefCell<Room>,
    /// Per device class and resource, the least a job eligible there holds of it
    /// (`least[c * r + k]`).
    least: Vec<f64>,
}

impl State {
    /// The least amounts of device class `c` (see `least`).
    fn least(&self, inst: &Instance, c: usize) -> &[f64] {
        let r = inst.num_resources();
        &self.least[c * r..(c + 1) * r]
    }

    /// Whether device `d`, as `dev` leaves it, may take another job at `now`.
    fn is_open(&self, inst: &Instance, d: usize, dev: &DeviceState, now: f64) -> bool {
        dev.up(now, inst, d) && !dev.full(inst, d, self.least(inst, inst.device_class(d)))
    }
}
