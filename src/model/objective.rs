use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// What a schedule is judged by. Every objective is minimised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Objective {
    /// Latest end time over all tasks.
    #[default]
    Makespan,
    /// Σ weight · end.
    WeightedCompletion,
    /// Σ weight · max(0, end − due); tasks without a due date count 0.
    WeightedTardiness,
    /// Σ over devices of cost_rate · busy time.
    TotalCost,
    /// Σ c(task, device), c = the task's `costs` entry if given, else cost_rate · processing time.
    AssignmentCost,
}

impl Objective {
    /// All objectives, in documentation order.
    pub const ALL: [Objective; 5] = [
        Objective::Makespan,
        Objective::WeightedCompletion,
        Objective::WeightedTardiness,
        Objective::TotalCost,
        Objective::AssignmentCost,
    ];

    /// The least value any schedule can have whatever the instance, when there is one: 0 for
    /// makespan, Σw·C and Σw·T (times and weights are ≥ 0); none for the costs (OR-Library GAP
    /// profits are read as negative costs). A bound below it says nothing and is raised to it.
    pub fn floor(self) -> Option<f64> {
        match self {
            Objective::Makespan | Objective::WeightedCompletion | Objective::WeightedTardiness => {
                Some(0.0)
            }
            Objective::TotalCost | Objective::AssignmentCost => None,
        }
    }

    /// The name used in files and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Objective::Makespan => "makespan",
            Objective::WeightedCompletion => "weighted_completion",
            Objective::WeightedTardiness => "weighted_tardiness",
            Objective::TotalCost => "total_cost",
            Objective::AssignmentCost => "assignment_cost",
        }
    }
}

impl fmt::Display for Objective {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Objective {
    type Err = String;

    /// Parse an objective name; `-` and `_` are interchangeable.
    ///
    /// ```
    /// use hetsched::Objective;
    /// assert_eq!("weighted-completion".parse::<Objective>(), Ok(Objective::WeightedCompletion));
    /// assert!("fastest".parse::<Objective>().unwrap_err().contains("makespan"));
    /// ```
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let norm = s.trim().replace('-', "_");
        Objective::ALL
            .into_iter()
            .find(|o| o.name() == norm)
            .ok_or_else(|| {
                let names: Vec<&str> = Objective::ALL.iter().map(|o| o.name()).collect();
                format!(
                    "unknown objective '{s}' (expected one of: {})",
                    names.join(", ")
                )
            })
    }
}
