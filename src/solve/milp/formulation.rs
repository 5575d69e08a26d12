//! The formulations [`super::Milp`] can build, which one fits an instance, and why one does not.

use crate::model::{Instance, Objective};
use std::fmt;

/// The MILP formulations (see the module documentation of [`super`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Formulation {
    /// Generalized assignment, for cost objectives.
    Assignment,
    /// Makespan on unrelated devices without releases or precedence.
    Makespan,
    /// Σ w·C on unrelated devices without releases or precedence (Smith's order per device).
    WeightedCompletion,
    /// General sequencing model with start times and disjunctive big-M constraints.
    Disjunctive,
    /// General sequencing model over a time grid: x\[t,d,s\] = 1 when t starts on d at period s.
    TimeIndexed,
}

impl Formulation {
    /// Every formulation.
    pub const ALL: [Formulation; 5] = [
        Formulation::Assignment,
        Formulation::Makespan,
        Formulation::WeightedCompletion,
        Formulation::Disjunctive,
        Formulation::TimeIndexed,
    ];

    /// Name used on the command line and in reports.
    pub fn name(self) -> &'static str {
        match self {
            Formulation::Assignment => "assignment",
            Formulation::Makespan => "makespan",
            Formulation::WeightedCompletion => "weighted-completion",
            Formulation::Disjunctive => "disjunctive",
            Formulation::TimeIndexed => "time-indexed",
        }
    }

    /// True for the formulations that decide start times (any objective, releases, precedence).
    pub fn sequences(self) -> bool {
        matches!(self, Formulation::Disjunctive | Formulation::TimeIndexed)
    }

    /// The formulation that models `inst` without sequencing when one does, else
    /// [`Formulation::Disjunctive`] (which [`super::Milp`] replaces by
    /// [`Formulation::TimeIndexed`] when the instance has an exact time grid of a size that fits
    /// its budget).
    pub fn choose(inst: &Instance, min_utilization: Option<f64>) -> Formulation {
        let simple = inst.is_independent();
        match inst.objective() {
            Objective::AssignmentCost | Objective::TotalCost
                if min_utilization.is_none() || simple =>
            {
                Formulation::Assignment
            }
            Objective::Makespan if simple => Formulation::Makespan,
            Objective::WeightedCompletion if simple && min_utilization.is_none() => {
                Formulation::WeightedCompletion
            }
            _ => Formulation::Disjunctive,
        }
    }

    /// Why this formulation cannot model `inst` exactly, if it cannot. (The time-indexed
    /// formulation also needs an exact time grid, which [`super::Milp`] checks.)
    pub fn unfit_reason(self, inst: &Instance, min_utilization: Option<f64>) -> Option<String> {
        let obj = inst.objective();
        match self {
            Formulation::Assignment => {
                if !matches!(obj, Objective::AssignmentCost | Objective::TotalCost) {
                    return Some(format!(
                        "the assignment formulation handles assignment_cost and total_cost, not {obj}"
                    ));
                }
                if min_utilization.is_some() && !inst.is_independent() {
                    return Some("a minimum utilization with releases or precedence needs a sequencing formulation (disjunctive or time-indexed)".into());
                }
                None
            }
            Formulation::Makespan | Formulation::WeightedCompletion => {
                let want = if self == Formulation::Makespan {
                    Objective::Makespan
                } else {
                    Objective::WeightedCompletion
                };
                if obj != want {
                    return Some(format!(
                        "the {} formulation handles {want}, not {obj}",
                        self.name()
                    ));
                }
                if !inst.is_independent() {
                    return Some(format!(
                        "the {} formulation needs no precedence and no release after a device becomes available",
                        self.name()
                    ));
                }
                if self == Formulation::WeightedCompletion && min_utilization.is_some() {
                    return Some("a minimum utilization needs a sequencing formulation (disjunctive or time-indexed) for weighted_completion".into());
                }
                None
            }
            Formulation::Disjunctive => shared_device(inst).map(|d| {
                format!(
                    "the disjunctive formulation runs one task at a time on each device, and \
                     device '{}' is shared by tasks with a demand; use the time-indexed formulation",
                    inst.device(d).id
                )
            }),
            Formulation::TimeIndexed => None,
        }
    }
}

/// The first device that some eligible task with a demand may share with others.
pub(super) fn shared_device(inst: &Instance) -> Option<usize> {
    if !inst.has_sharing() {
        return None;
    }
    (0..inst.num_devices()).find(|&d| {
        inst.offers_resources(d)
            && (0..inst.num_tasks()).any(|t| inst.shares(t, d) && inst.is_eligible(t, d))
    })
}

impl fmt::Display for Formulation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Formulation {
    type Err = String;
    /// A formulation by name; `auto` is not one (it is `None` in [`super::Milp::formulation`]).
    fn from_str(s: &str) -> Result<Self, String> {
        let norm = s.trim().to_ascii_lowercase().replace('_', "-");
        Formulation::ALL
            .into_iter()
            .find(|f| f.name() == norm)
            .ok_or_else(|| {
                format!(
                    "unknown formulation '{s}' (expected auto, assignment, makespan, weighted-completion, disjunctive or time-indexed)"
                )
            })
    }
}
