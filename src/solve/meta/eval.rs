//! Genomes and their evaluation: the decoder every metaheuristic uses.
//!
//! A [`Genome`] is a device per task plus a priority order. It decodes through the one schedule
//! builder ([`crate::schedule::Timetable`]): tasks in priority order (repaired for precedence),
//! each on its device — or, when that device's capacity has no room left, on the eligible device
//! where it completes first (the genome is repaired to match). So every decoded schedule is
//! feasible by construction.
//!
//! For the makespan of an instance that is not independent (precedence, releases, shared
//! devices, …), each decoded schedule gets one forward–backward justification round
//! ([`crate::solve::greedy::justify`]) and, when that improves it, the genome's order becomes
//! the justified schedule's (Valls, Ballestín & Quintanilla 2005: "justification pays").
//!
//! Two objective-specific shortcuts evaluate without building a timetable, when the instance
//! [is independent](Instance::is_independent) and no capacity is exceeded:
//! - makespan: max over used devices of available_from + load;
//! - weighted completion: each device in Smith's order (p/w ascending), which is optimal for a
//!   fixed assignment, so the order genes do not matter.

use crate::error::Error;
use crate::model::{Instance, Objective};
use crate::schedule::{Schedule, Timetable, build, priority_topological_order};
use crate::solve::greedy::justify_rounds;

/// A candidate solution: a device per task and a priority order of the tasks.
#[derive(Debug, Clone, PartialEq)]
pub struct Genome {
    /// Device of each task (by task index).
    pub device: Vec<usize>,
    /// Priority order of the tasks (a permutation), most urgent first.
    pub order: Vec<usize>,
}

impl Genome {
    /// The genome of a schedule: its devices, and its tasks ordered by start time.
    pub fn from_schedule(inst: &Instance, s: &Schedule) -> Genome {
        let n = inst.num_tasks();
        let mut device = vec![0; n];
        let mut start = vec![0.0; n];
        for a in &s.assignments {
            device[a.task] = a.device;
            start[a.task] = a.start;
        }
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by(|&a, &b| start[a].total_cmp(&start[b]).then(a.cmp(&b)));
        Genome { device, order }
    }
}

/// How an [`Evaluator`] computes values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Makespan from device loads (independent instance).
    Loads,
    /// Σ w·C with Smith's order per device (independent instance).
    Smith,
    /// Decode through the schedule builder and evaluate the timetable.
    Timetable,
}

/// Evaluates genomes for one instance.
#[derive(Debug, Clone)]
pub struct Evaluator<'a> {
    inst: &'a Instance,
    mode: Mode,
    has_capacity: bool,
    /// Makespan of a non-independent instance: each decoded schedule is improved by one
    /// forward–backward justification round, and its order written back into the genome.
    justify: bool,
}

impl<'a> Evaluator<'a> {
    /// The evaluator for `inst`, with the fastest exact mode its objective allows.
    pub fn new(inst: &'a Instance) -> Self {
        let mode = match inst.objective() {
            Objective::Makespan if inst.is_independent() => Mode::Loads,
            Objective::WeightedCompletion if inst.is_independent() => Mode::Smith,
            _ => Mode::Timetable,
        };
        Evaluator {
            inst,
            mode,
            has_capacity: inst.devices().iter().any(|d| d.capacity.is_some()),
            justify: mode == Mode::Timetable && inst.objective() == Objective::Makespan,
        }
    }

    /// The instance.
    pub fn instance(&self) -> &'a Instance {
        self.inst
    }

    /// The evaluation mode.
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// True when the device loads of `device` fit every capacity.
    pub fn fits_capacities(&self, device: &[usize]) -> bool {
        if !self.has_capacity {
            return true;
        }
        let mut load = vec![0.0; self.inst.num_devices()];
        for (t, &d) in device.iter().enumerate() {
            load[d] += self.inst.ptime(t, d);
        }
        load.iter()
            .enumerate()
            .all(|(d, &l)| l <= self.inst.capacity_limit(d))
    }

    /// Objective value of `g` (repairing its devices where a capacity is exceeded);
    /// `f64::INFINITY` when no repair fits the capacities.
    pub fn value(&self, g: &mut Genome) -> f64 {
        match self.mode {
            Mode::Loads if self.fits_capacities(&g.device) => loads_makespan(self.inst, &g.device),
            Mode::Smith if self.fits_capacities(&g.device) => smith_value(self.inst, &g.device),
            _ => match self.decode(g) {
                Some(s) => match self.mode {
                    Mode::Loads => loads_makespan(self.inst, &g.device),
                    Mode::Smith => smith_value(self.inst, &g.device),
                    Mode::Timetable if self.justify => {
                        let v = s.value(self.inst);
                        match justify_rounds(self.inst, &s, &g.device, v, 1) {
                            Ok(Some((_, order, better))) => {
                                // Lamarckian: the genome becomes the justified schedule's
                                // order, which rebuilds it exactly.
                                g.order = order;
                                better
                            }
                            _ => v,
                        }
                    }
                    Mode::Timetable => s.value(self.inst),
                },
                None => f64::INFINITY,
            },
        }
    }

    /// Decode `g` through the builder, repairing devices whose capacity is used up.
    pub fn decode(&self, g: &mut Genome) -> Option<Schedule> {
        let inst = self.inst;
        let order = match self.mode {
            Mode::Smith => inst.smith_order(&g.device),
            _ => priority_topological_order(inst, &g.order),
        };
        let mut tt = Timetable::new(inst);
        for t in order {
            let mut d = g.device[t];
            if !tt.fits_capacity(t, d) {
                let ready = tt.ready_time(t)?;
                d = inst
                    .eligible(t)
                    .iter()
                    .filter_map(|&e| tt.completion_from(t, e, ready).map(|c| (c, e)))
                    .min_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)))?
                    .1;
                g.device[t] = d;
            }
            tt.place(t, d).ok()?;
        }
        tt.into_schedule().ok()
    }

    /// The schedule of `g`, whose value is what [`Evaluator::value`] returned for it.
    pub fn schedule(&self, g: &Genome) -> Result<Schedule, Error> {
        let order = match self.mode {
            Mode::Smith => self.inst.smith_order(&g.device),
            _ => g.order.clone(),
        };
        build(self.inst, &order, &g.device)
    }
}

/// Each device's finish time when it runs its tasks back to back: available_from + load for a
/// device with tasks, 0 for an idle one.
pub fn device_finish(inst: &Instance, device: &[usize]) -> Vec<f64> {
    let mut done: Vec<f64> = inst.devices().iter().map(|d| d.available_from).collect();
    let mut used = vec![false; inst.num_devices()];
    for (t, &d) in device.iter().enumerate() {
        done[d] += inst.ptime(t, d);
        used[d] = true;
    }
    done.iter()
        .zip(&used)
        .map(|(&f, &u)| if u { f } else { 0.0 })
        .collect()
}

/// max over used devices of available_from + load.
pub fn loads_makespan(inst: &Instance, device: &[usize]) -> f64 {
    device_finish(inst, device).into_iter().fold(0.0, f64::max)
}

/// Σ w·C with every device in Smith's order from its `available_from`.
pub fn smith_value(inst: &Instance, device: &[usize]) -> f64 {
    let mut clock: Vec<f64> = inst.devices().iter().map(|d| d.available_from).collect();
    let mut total = 0.0;
    for t in inst.smith_order(device) {
        let d = device[t];
        clock[d] += inst.ptime(t, d);
        total += inst.task(t).weight * clock[d];
    }
    total
}
