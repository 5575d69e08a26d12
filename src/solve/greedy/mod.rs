//! Greedy solvers: dispatch rules, the Braun et al. (2001) mapping heuristics, HEFT, CPOP and
//! PEFT for task graphs with communication costs, the classic project-scheduling priority rules
//! (serial scheme), forward–backward improvement, and a portfolio that runs them all and keeps
//! the best.
//!
//! All of them build their schedule through [`crate::schedule::Timetable`], so releases,
//! eligibility, device availability, precedence and capacities hold by construction.

mod batch;
mod comm;
mod justify;
mod list;
mod project;

use super::{SolveOptions, SolveReport, Solver};
use crate::error::Error;
use crate::model::{Instance, Objective};
use crate::schedule::Schedule;
use rayon::prelude::*;
use std::time::Instant;

pub use batch::BatchRule;
pub use comm::{downward_rank, optimistic_cost_table, upward_rank};
pub use justify::justify;
pub(crate) use justify::justify_rounds;
pub use list::DeviceRule;

/// One greedy rule. Each is a [`Solver`] named as on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GreedyRule {
    /// First come, first served: by release date.
    Fcfs,
    /// Shortest processing time first (SJF), by the task's fastest eligible time.
    Spt,
    /// Longest processing time first, by the task's fastest eligible time.
    Lpt,
    /// Earliest due date first (tasks without a due date last).
    Edf,
    /// Weighted shortest processing time (Smith's ratio p/w, smallest first).
    Wspt,
    /// Highest weight first.
    Priority,
    /// Opportunistic load balancing: each task, in file order, to the device that can start it first.
    Olb,
    /// Minimum execution time: each task, in file order, to its fastest device.
    Met,
    /// Minimum completion time: each task, in file order, to the device that finishes it first.
    Mct,
    /// Min-Min: repeatedly map the task with the smallest earliest completion.
    MinMin,
    /// Max-Min: repeatedly map the task with the largest earliest completion.
    MaxMin,
    /// Sufferage: repeatedly map the task that would suffer most from losing its best device.
    Sufferage,
    /// HEFT (Topcuoglu et al. 2002): tasks by upward rank (mean time + longest successor path,
    /// with mean communication costs), each to the device that finishes it first (transfers
    /// included), inserted into idle gaps.
    Heft,
    /// Latest finish time first (project scheduling): by the longest chain of successors.
    Lft,
    /// Latest start time first (project scheduling): by the longest chain from the task on.
    Lst,
    /// Most total successors first (project scheduling).
    Mts,
    /// Greatest rank positional weight first (project scheduling): own time plus the immediate
    /// successors' times.
    Grpw,
    /// CPOP (Topcuoglu et al. 2002): tasks by upward + downward rank; the critical path's tasks
    /// on the one device that runs them fastest, the others to their earliest-finish device.
    Cpop,
    /// PEFT (Arabnejad & Barbosa 2014): tasks by mean optimistic cost, each to the device
    /// minimising earliest finish + optimistic cost of the rest of the graph.
    Peft,
}

impl GreedyRule {
    /// Every rule.
    pub const ALL: [GreedyRule; 19] = [
        GreedyRule::Fcfs,
        GreedyRule::Spt,
        GreedyRule::Lpt,
        GreedyRule::Edf,
        GreedyRule::Wspt,
        GreedyRule::Priority,
        GreedyRule::Olb,
        GreedyRule::Met,
        GreedyRule::Mct,
        GreedyRule::MinMin,
        GreedyRule::MaxMin,
        GreedyRule::Sufferage,
        GreedyRule::Heft,
        GreedyRule::Lft,
        GreedyRule::Lst,
        GreedyRule::Mts,
        GreedyRule::Grpw,
        GreedyRule::Cpop,
        GreedyRule::Peft,
    ];

    /// Whether the rule is expected to finish quickly on `inst`: every rule but Max-Min and
    /// Sufferage, which only when [`BestGreedy::batch_rules_fit`]. Portfolios ([`BestGreedy`],
    /// the metaheuristics' seeds) run only these.
    pub fn affordable(self, inst: &Instance) -> bool {
        !matches!(self, GreedyRule::MaxMin | GreedyRule::Sufferage)
            || BestGreedy::batch_rules_fit(inst)
    }

    /// Build this rule's schedule.
    pub fn schedule(self, inst: &Instance) -> Result<Schedule, Error> {
        use GreedyRule::*;
        let n = inst.num_tasks();
        let by_key = |key: &dyn Fn(usize) -> f64| -> Vec<usize> {
            let keys: Vec<f64> = (0..n).map(key).collect();
            let mut order: Vec<usize> = (0..n).collect();
            order.sort_by(|&a, &b| keys[a].total_cmp(&keys[b]).then(a.cmp(&b)));
            order
        };
        match self {
            Fcfs => list::schedule(
                inst,
                &by_key(&|t| inst.task(t).release),
                DeviceRule::EarliestCompletion,
            ),
            Spt => list::schedule(
                inst,
                &by_key(&|t| inst.min_ptime(t)),
                DeviceRule::EarliestCompletion,
            ),
            Lpt => list::schedule(
                inst,
                &by_key(&|t| -inst.min_ptime(t)),
                DeviceRule::EarliestCompletion,
            ),
            Edf => list::schedule(
                inst,
                &by_key(&|t| inst.task(t).due.unwrap_or(f64::INFINITY)),
                DeviceRule::EarliestCompletion,
            ),
            Wspt => list::schedule(
                inst,
                &by_key(&|t| {
                    let w = inst.task(t).weight;
                    if w > 0.0 {
                        inst.min_ptime(t) / w
                    } else {
                        f64::INFINITY
                    }
                }),
                DeviceRule::EarliestCompletion,
            ),
            Priority => list::schedule(
                inst,
                &by_key(&|t| -inst.task(t).weight),
                DeviceRule::EarliestCompletion,
            ),
            Olb => list::schedule(inst, &(0..n).collect::<Vec<_>>(), DeviceRule::EarliestStart),
            Met => list::schedule(inst, &(0..n).collect::<Vec<_>>(), DeviceRule::MinTime),
            Mct => list::schedule(
                inst,
                &(0..n).collect::<Vec<_>>(),
                DeviceRule::EarliestCompletion,
            ),
            MinMin => batch::schedule(inst, BatchRule::MinMin),
            MaxMin => batch::schedule(inst, BatchRule::MaxMin),
            Sufferage => batch::schedule(inst, BatchRule::Sufferage),
            Heft => {
                let rank = upward_rank(inst);
                list::schedule(inst, &by_key(&|t| -rank[t]), DeviceRule::EarliestCompletion)
            }
            Lft | Lst | Mts | Grpw => {
                let key = match self {
                    Lft => project::latest_finish(inst),
                    Lst => project::latest_start(inst),
                    Mts => project::total_successors(inst),
                    _ => project::rank_positional_weight(inst),
                };
                list::schedule(inst, &by_key(&|t| key[t]), DeviceRule::EarliestCompletion)
            }
            Cpop => comm::cpop(inst),
            Peft => comm::peft(inst),
        }
    }
}

impl Solver for GreedyRule {
    fn name(&self) -> &'static str {
        use GreedyRule::*;
        match self {
            Fcfs => "fcfs",
            Spt => "spt",
            Lpt => "lpt",
            Edf => "edf",
            Wspt => "wspt",
            Priority => "priority",
            Olb => "olb",
            Met => "met",
            Mct => "mct",
            MinMin => "min-min",
            MaxMin => "max-min",
            Sufferage => "sufferage",
            Heft => "heft",
            Lft => "lft",
            Lst => "lst",
            Mts => "mts",
            Grpw => "grpw",
            Cpop => "cpop",
            Peft => "peft",
        }
    }

    fn description(&self) -> &'static str {
        use GreedyRule::*;
        match self {
            Fcfs => {
                "dispatch by release date (first come, first served), each to its earliest-completion device"
            }
            Spt => {
                "dispatch shortest fastest-time first (SJF), each to its earliest-completion device"
            }
            Lpt => "dispatch longest fastest-time first, each to its earliest-completion device",
            Edf => "dispatch by due date (earliest first), each to its earliest-completion device",
            Wspt => {
                "dispatch by Smith's ratio time/weight (smallest first), each to its earliest-completion device"
            }
            Priority => {
                "dispatch by weight (largest first), each to its earliest-completion device"
            }
            Olb => "Braun et al.: each task in file order to the device that can start it first",
            Met => "Braun et al.: each task in file order to the device where it runs fastest",
            Mct => "Braun et al.: each task in file order to the device where it completes first",
            MinMin => "Braun et al.: repeatedly map the task with the smallest earliest completion",
            MaxMin => "Braun et al.: repeatedly map the task with the largest earliest completion",
            Sufferage => {
                "Braun et al.: repeatedly map the task that loses most if denied its best device"
            }
            Heft => {
                "HEFT for task graphs: upward-rank order (mean communication costs), earliest finish with gap insertion"
            }
            Cpop => {
                "CPOP for task graphs: upward + downward rank order, critical path on its fastest device, others earliest finish"
            }
            Peft => {
                "PEFT for task graphs: optimistic cost table rank, device minimising earliest finish + optimistic cost"
            }
            Lft => {
                "project scheduling: latest finish time first (longest successor chain), serial scheme"
            }
            Lst => "project scheduling: latest start time first, serial scheme",
            Mts => "project scheduling: most total successors first, serial scheme",
            Grpw => {
                "project scheduling: greatest rank positional weight first (own + successors' times), serial scheme"
            }
        }
    }

    fn solve(&self, instance: &Instance, _options: &SolveOptions) -> Result<SolveReport, Error> {
        let started = Instant::now();
        let schedule = self.schedule(instance)?;
        Ok(SolveReport::feasible(
            self.name(),
            instance,
            schedule,
            started,
        ))
    }
}

/// Runs every greedy rule (in parallel) and keeps the best schedule for the instance's objective.
#[derive(Debug, Clone, Copy, Default)]
pub struct BestGreedy;

impl BestGreedy {
    /// Whether Max-Min and Sufferage are expected to finish within [`MAX_BATCH_SECONDS`]. Each
    /// step re-evaluates the tasks that counted on the device just used, about n / m of them on
    /// an independent instance (measured 0.8 µs per task and step: 30 s for Sufferage on
    /// 50,000 tasks × 64 devices), and scans the ready list otherwise (0.03 µs per task and
    /// step: 0.7 s on 5000 tasks with precedence).
    pub fn batch_rules_fit(inst: &Instance) -> bool {
        let n = inst.num_tasks() as f64;
        let m = inst.num_devices() as f64;
        let seconds = if inst.is_independent() {
            n * n / m * 0.8e-6
        } else {
            n * n * 3e-8
        };
        seconds <= MAX_BATCH_SECONDS
    }

    /// The best greedy schedule, with the name of the rule that produced it.
    ///
    /// For the makespan of an instance that is not independent (precedence, releases, shared
    /// devices, …) each rule's schedule is then improved by [`justify`] (forward–backward
    /// passes). Ties go to the rule listed first in [`GreedyRule::ALL`]. Fails only if every rule
    /// fails (e.g. device capacities too tight for all of them).
    pub fn best(inst: &Instance) -> Result<(GreedyRule, Schedule, f64), Error> {
        let improve = inst.objective() == Objective::Makespan && !inst.is_independent();
        // CPOP and PEFT rank by the task graph; without one they are MCT-like rules.
        let graph = inst.has_precedence();
        let rules: Vec<GreedyRule> = GreedyRule::ALL
            .into_iter()
            .filter(|r| graph || !matches!(r, GreedyRule::Cpop | GreedyRule::Peft))
            .filter(|r| r.affordable(inst))
            .collect();
        let results: Vec<(GreedyRule, Result<Schedule, Error>)> = rules
            .par_iter()
            .map(|&r| {
                let s = r.schedule(inst);
                (
                    r,
                    if improve {
                        s.and_then(|s| justify(inst, &s))
                    } else {
                        s
                    },
                )
            })
            .collect();
        let mut best: Option<(GreedyRule, Schedule, f64)> = None;
        let mut first_err = None;
        for (rule, res) in results {
            match res {
                Ok(s) => {
                    let v = s.value(inst);
                    if best.as_ref().is_none_or(|b| v < b.2) {
                        best = Some((rule, s, v));
                    }
                }
                Err(e) => {
                    first_err.get_or_insert(e);
                }
            }
        }
        best.ok_or_else(|| first_err.expect("at least one rule ran"))
    }
}

/// Estimated seconds above which [`BestGreedy`] leaves out Max-Min and Sufferage.
pub const MAX_BATCH_SECONDS: f64 = 2.0;

impl Solver for BestGreedy {
    fn name(&self) -> &'static str {
        "best-greedy"
    }

    fn description(&self) -> &'static str {
        "run every greedy rule in parallel (makespan: each justified forward-backward) and keep the best schedule for the objective (default)"
    }

    fn solve(&self, instance: &Instance, _options: &SolveOptions) -> Result<SolveReport, Error> {
        let started = Instant::now();
        let (rule, schedule, _) = Self::best(instance)?;
        let mut report = SolveReport::feasible(self.name(), instance, schedule, started);
        let mut message = format!("best rule: {}", rule.name());
        if !Self::batch_rules_fit(instance) {
            message.push_str(&format!(
                "; max-min and sufferage left out (about n²/m steps, over {MAX_BATCH_SECONDS} s)"
            ));
        }
        report.message = Some(message);
        Ok(report)
    }
}
