//! Solvers: one [`Solver`] trait, the options every solver takes, the report every solver returns,
//! and the registry that maps names to solvers.
//!
//! ```
//! use hetsched::{Instance, InstanceData, Device, Task, solve::{self, SolveOptions, Status}};
//! let data = InstanceData {
//!     devices: vec![Device::new("gpu"), Device::new("cpu")],
//!     tasks: vec![Task::new("a", 4.0), Task::new("b", 3.0), Task::new("c", 2.0)],
//!     ..Default::default()
//! };
//! let inst = Instance::new(data).unwrap();
//! let solver = solve::by_name("lpt").unwrap(); // longest first, each where it ends first
//! let report = solver.solve(&inst, &SolveOptions::default()).unwrap();
//! assert_eq!(report.status, Status::Feasible);
//! assert_eq!(report.value, Some(5.0));
//! assert!(report.schedule.unwrap().violations(&inst).is_empty());
//! ```

pub mod auto;
mod cancel;
mod exchange;
pub mod greedy;
pub mod meta;
pub mod milp;
mod progress;

pub use cancel::Cancel;
pub use exchange::{Exchange, Shared};
pub use progress::{Progress, ProgressLog};

use crate::error::Error;
use crate::model::{Instance, Objective};
use crate::schedule::Schedule;
use std::fmt;
use std::time::{Duration, Instant};

/// Options every solver takes. Solvers document which ones they use.
#[derive(Debug, Clone, Default)]
pub struct SolveOptions {
    /// Wall-clock budget. Greedy solvers finish in milliseconds and do not poll it.
    pub time_limit: Option<Duration>,
    /// Seed for randomised solvers (same seed ⇒ same result).
    pub seed: u64,
    /// Worker threads for parallel solvers (`None`: rayon's default).
    pub threads: Option<usize>,
    /// Print solver progress on standard error.
    pub verbose: bool,
    /// Stop early once this is cancelled (by another thread, a signal handler, or a portfolio
    /// whose exact search proved optimality): the searches that poll their time limit (`ls`,
    /// `ga`, `auto`, HiGHS inside `milp`) poll it too and return the best schedule found so far,
    /// with status `feasible` and the bound known.
    pub cancel: Option<Cancel>,
    /// Share schedules with other searches running beside this one ([`Exchange`]): `ls` and
    /// `milp` offer their new best schedules and go on from better ones found by others. A
    /// portfolio (`auto`) sets it under a time limit only, so that untimed runs stay
    /// reproducible.
    pub exchange: Option<std::sync::Arc<Exchange>>,
}

impl SolveOptions {
    /// True once [`SolveOptions::cancel`] is cancelled.
    pub fn cancelled(&self) -> bool {
        self.cancel.as_ref().is_some_and(Cancel::is_cancelled)
    }
}

/// What a solver could establish about its answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    /// Proven optimal.
    Optimal,
    /// A feasible schedule, optimality not proven.
    Feasible,
    /// Proven that no feasible schedule exists.
    Infeasible,
    /// Nothing proven and no schedule found.
    Unknown,
}

impl Status {
    /// The name used in schedule files.
    pub fn name(self) -> &'static str {
        match self {
            Status::Optimal => "optimal",
            Status::Feasible => "feasible",
            Status::Infeasible => "infeasible",
            Status::Unknown => "unknown",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Status {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "optimal" => Ok(Status::Optimal),
            "feasible" => Ok(Status::Feasible),
            "infeasible" => Ok(Status::Infeasible),
            "unknown" => Ok(Status::Unknown),
            other => Err(format!(
                "unknown status '{other}' (expected optimal, feasible, infeasible or unknown)"
            )),
        }
    }
}

/// What a solver returns.
#[derive(Debug, Clone)]
pub struct SolveReport {
    /// Name of the solver that produced it.
    pub solver: String,
    /// The objective it was solved for.
    pub objective: Objective,
    /// What was established.
    pub status: Status,
    /// The schedule found (present for `optimal` and `feasible`).
    pub schedule: Option<Schedule>,
    /// Objective value of `schedule`, recomputed by the evaluator.
    pub value: Option<f64>,
    /// Proven lower bound on the optimum, when the solver proves one.
    pub bound: Option<f64>,
    /// Wall-clock seconds spent.
    pub seconds: f64,
    /// Extra information (e.g. which rule or formulation was used, why nothing was found).
    pub message: Option<String>,
    /// How the best value and bound evolved (empty for solvers that do not record it; `ls`,
    /// `ga` and `milp` do, see [`ProgressLog`]).
    pub progress: Vec<Progress>,
}

impl SolveReport {
    /// A `feasible` report for a schedule, with its value recomputed from the instance.
    pub fn feasible(
        solver: &str,
        instance: &Instance,
        schedule: Schedule,
        started: Instant,
    ) -> Self {
        let value = schedule.value(instance);
        SolveReport {
            solver: solver.to_string(),
            objective: instance.objective(),
            status: Status::Feasible,
            schedule: Some(schedule),
            value: Some(value),
            bound: None,
            seconds: started.elapsed().as_secs_f64(),
            message: None,
            progress: Vec::new(),
        }
    }

    /// Relative gap between value and bound, `(value − bound) / max(|value|, tiny)`, when both exist.
    pub fn gap(&self) -> Option<f64> {
        let (v, b) = (self.value?, self.bound?);
        Some(((v - b) / v.abs().max(1e-9)).max(0.0))
    }
}

/// Run `f` on a rayon pool of `threads` workers, or on the global pool when `threads` is `None`.
pub fn with_threads<T: Send>(
    threads: Option<usize>,
    f: impl FnOnce() -> T + Send,
) -> Result<T, Error> {
    match threads {
        Some(k) => Ok(rayon::ThreadPoolBuilder::new()
            .num_threads(k)
            .build()
            .map_err(|e| Error::Solve(format!("cannot start {k} threads: {e}")))?
            .install(f)),
        None => Ok(f()),
    }
}

/// A scheduling method.
pub trait Solver: Send + Sync {
    /// Name used on the command line and in reports (e.g. `"min-min"`).
    fn name(&self) -> &'static str;
    /// One line saying what the method does.
    fn description(&self) -> &'static str;
    /// Solve `instance` for its objective.
    ///
    /// Returns `Err(Error::Solve)` when the method fails to produce any answer.
    fn solve(&self, instance: &Instance, options: &SolveOptions) -> Result<SolveReport, Error>;
}

/// Every solver, in the order `hetsched solvers` lists them.
pub fn all() -> Vec<Box<dyn Solver>> {
    let mut v: Vec<Box<dyn Solver>> = vec![
        Box::new(auto::Auto::default()),
        Box::new(greedy::BestGreedy),
        Box::new(milp::Milp::default()),
        Box::new(meta::Genetic::default()),
        Box::new(meta::IteratedLocalSearch::default()),
    ];
    v.extend(
        greedy::GreedyRule::ALL
            .into_iter()
            .map(|r| Box::new(r) as Box<dyn Solver>),
    );
    v
}

/// The solver with this name (case-insensitive; `_` and `-` interchangeable).
pub fn by_name(name: &str) -> Result<Box<dyn Solver>, Error> {
    let norm = name.trim().to_ascii_lowercase().replace('_', "-");
    let norm = match norm.as_str() {
        "sjf" => "spt".to_string(),
        "minmin" => "min-min".to_string(),
        "maxmin" => "max-min".to_string(),
        _ => norm,
    };
    all().into_iter().find(|s| s.name() == norm).ok_or_else(|| {
        let names: Vec<&str> = all().iter().map(|s| s.name()).collect();
        Error::Usage(format!(
            "unknown solver '{name}' (available: {})",
            names.join(", ")
        ))
    })
}
