//! Benchmarks: every solver on every instance, compared with the proven bounds and the instance
//! sets' reference values.
//!
//! [`run`] solves each (instance, solver) pair, checks every schedule with the feasibility
//! checker and records one [`BenchRow`]; [`Analysis`] adds what needs all rows of an instance
//! (the best bound, the best-known value and the gaps to them) and a [`SolverSummary`] per
//! solver; [`report`] prints it as a table, Markdown, CSV or JSON. A large sweep can be split
//! with a [`Shard`] and the shards' JSON outputs joined again with [`merge`].
//!
//! ```no_run
//! use hetsched::bench::{self, Analysis, BenchOptions};
//! use std::time::Duration;
//!
//! let instances = bench::set::load_paths(&["instances/orlib-gap/gap1.txt".into()])?;
//! let solvers = vec![hetsched::solve::by_name("milp")?, hetsched::solve::by_name("ls")?];
//! let options = BenchOptions { time_limit: Some(Duration::from_secs(5)), ..Default::default() };
//! let run = bench::run(&instances, &solvers, &options, &|_| {});
//! let analysis = Analysis::new(&run);
//! println!("{}", bench::report::markdown(&analysis));
//! # Ok::<(), hetsched::Error>(())
//! ```

mod analysis;
pub mod report;
pub mod set;
mod shard;

pub use analysis::{Analysis, RowAnalysis, SolverSummary, relative_gap};
pub use set::{BenchInstance, InstanceSet, Reference};

use crate::batch::{par_map, solve_one};
use crate::error::Error;
use crate::solve::{Cancel, Progress, SolveOptions, Solver, Status};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;
use std::time::Duration;

/// The JSON format version written by [`report::json`] and read by [`merge`].
pub const FORMAT_VERSION: u32 = 1;

/// The `I`-th of `N` slices of a sweep (`I` from 1): instance k (in load order, from 0) belongs
/// to the slice `k mod N + 1`, so slices get a fair share of every instance set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    /// Which slice, from 1.
    pub index: usize,
    /// How many slices.
    pub count: usize,
}

impl Shard {
    /// True when instance `k` (from 0) belongs to this slice.
    pub fn contains(&self, k: usize) -> bool {
        k % self.count + 1 == self.index
    }
}

impl FromStr for Shard {
    type Err = Error;
    /// Parse `I/N` with 1 ≤ I ≤ N.
    fn from_str(s: &str) -> Result<Shard, Error> {
        let bad = || {
            Error::Usage(format!(
                "bad shard '{s}': expected I/N with 1 ≤ I ≤ N, e.g. 2/8"
            ))
        };
        let (i, n) = s.split_once('/').ok_or_else(bad)?;
        let (index, count): (usize, usize) = (
            i.trim().parse().map_err(|_| bad())?,
            n.trim().parse().map_err(|_| bad())?,
        );
        if index == 0 || count == 0 || index > count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// How to run a benchmark.
#[derive(Debug, Clone, Default)]
pub struct BenchOptions {
    /// Time limit per (instance, solver) run.
    pub time_limit: Option<Duration>,
    /// Seed given to every run.
    pub seed: u64,
    /// Runs at a time (default: as many as cores). Each run's solver gets
    /// `cores / jobs` threads (at least one).
    pub jobs: Option<usize>,
    /// Run only this slice of the instances.
    pub shard: Option<Shard>,
    /// Also compute each Σw·C and Σw·T instance's time-indexed lower bound (see
    /// [`crate::solve::milp::lower_bound`]), within the time limit (10 s without one), and
    /// compare every solver with it.
    pub lower_bounds: bool,
    /// Stop early once this is cancelled: runs under way return their best so far (their row
    /// says "interrupted"), runs not started are left out, and [`BenchRun::interrupted`] is set.
    pub cancel: Option<Cancel>,
}

/// Time for one instance's lower bound when the run has no time limit.
const LOWER_BOUND_SECONDS: u64 = 10;

/// The outcome of one (instance, solver) run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BenchRow {
    /// The instance's position in the whole (unsharded) list, from 0.
    pub order: usize,
    /// The instance set, when the instance belongs to one.
    pub set: Option<String>,
    /// The instance's name.
    pub instance: String,
    /// The file it was read from.
    pub file: String,
    /// The problem's index within the file (from 1), for files with several problems.
    pub problem: Option<usize>,
    /// Tasks × devices, when the instance could be read.
    pub tasks: Option<usize>,
    /// Number of devices.
    pub devices: Option<usize>,
    /// The objective minimised.
    pub objective: Option<String>,
    /// The solver.
    pub solver: String,
    /// `optimal`, `feasible`, `infeasible`, `unknown` (the solver's status), `failed` (the
    /// solver found nothing), `invalid` (the schedule broke a rule: a bug) or `bad-input`.
    pub status: String,
    /// The schedule's value, recomputed by the evaluator.
    pub value: Option<f64>,
    /// The lower bound this run proved.
    pub bound: Option<f64>,
    /// The instance's time-indexed lower bound, when the benchmark computed one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lower_bound: Option<f64>,
    /// The instance set's reference value.
    pub reference: Option<f64>,
    /// True when the reference value is a proven optimum.
    pub reference_optimal: bool,
    /// Wall-clock seconds.
    pub seconds: f64,
    /// The solver's message, or what went wrong.
    pub message: Option<String>,
    /// The run's anytime curve — best value and bound over time — for solvers that record it
    /// (`ls`, `ga`, `milp`); drawn by the HTML report.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub progress: Vec<Progress>,
}

/// A benchmark's rows and the settings that produced them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BenchRun {
    /// The JSON format version.
    pub version: u32,
    /// The solvers, in the order given.
    pub solvers: Vec<String>,
    /// Time limit per run, in seconds.
    pub time_limit: Option<f64>,
    /// Seed given to every run.
    pub seed: u64,
    /// The slice this run covers (`None`: everything).
    pub shard: Option<Shard>,
    /// Whether the instances' time-indexed lower bounds were computed.
    #[serde(default)]
    pub lower_bounds: bool,
    /// How many instances the whole (unsharded) sweep has.
    pub instances: usize,
    /// A hash of the whole sweep's instance list (set, name, file, problem, in order), so that
    /// [`merge`] joins only shards of the same sweep.
    pub fingerprint: String,
    /// One row per (instance, solver), instances in load order, solvers in the order given.
    pub rows: Vec<BenchRow>,
    /// True when the run was cancelled (e.g. Ctrl-C): rows are missing, and the rows of the runs
    /// then under way hold their best so far. [`merge`] refuses such a run.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub interrupted: bool,
}

/// The fingerprint of an instance list (FNV-1a, 64 bits, in hex).
pub fn fingerprint(instances: &[BenchInstance]) -> String {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in instances {
        let line = format!(
            "{}\u{1f}{}\u{1f}{}\u{1f}{:?}\n",
            b.set.as_deref().unwrap_or(""),
            b.id,
            b.file.display(),
            b.problem
        );
        for byte in line.bytes() {
            h ^= byte as u64;
            h = h.wrapping_mul(0x100000001b3);
        }
    }
    format!("{h:016x}")
}

/// Run every solver on every instance (of the shard) and check every schedule.
///
/// `on_done` is called after each run (from worker threads), e.g. to advance a progress bar.
pub fn run(
    instances: &[BenchInstance],
    solvers: &[Box<dyn Solver>],
    options: &BenchOptions,
    on_done: &(dyn Fn(&BenchRow) + Sync),
) -> BenchRun {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let jobs = options.jobs.unwrap_or(cores).max(1);
    let solve_options = SolveOptions {
        time_limit: options.time_limit,
        seed: options.seed,
        threads: Some((cores / jobs).max(1)),
        verbose: false,
        cancel: options.cancel.clone(),
        exchange: None,
    };
    let mine: Vec<(usize, &BenchInstance)> = instances
        .iter()
        .enumerate()
        .filter(|(k, _)| options.shard.is_none_or(|s| s.contains(*k)))
        .collect();
    let lower_bounds: BTreeMap<usize, f64> = if options.lower_bounds {
        let bound_options = SolveOptions {
            time_limit: Some(
                options
                    .time_limit
                    .unwrap_or(Duration::from_secs(LOWER_BOUND_SECONDS)),
            ),
            ..solve_options.clone()
        };
        par_map(Some(jobs), &mine, |&(order, b)| {
            (
                order,
                b.instance
                    .as_ref()
                    .ok()
                    .and_then(|inst| lower_bound(inst, &bound_options)),
            )
        })
        .into_iter()
        .filter_map(|(order, b)| b.map(|b| (order, b)))
        .collect()
    } else {
        BTreeMap::new()
    };
    let units: Vec<(usize, &BenchInstance, &dyn Solver)> = mine
        .iter()
        .flat_map(|&(k, b)| solvers.iter().map(move |s| (k, b, s.as_ref())))
        .collect();
    let rows = par_map(Some(jobs), &units, |&(order, b, solver)| {
        if solve_options.cancelled() {
            return None;
        }
        let mut row = run_one(order, b, solver, &solve_options);
        row.lower_bound = lower_bounds.get(&order).copied();
        if solve_options.cancelled() {
            row.message = Some(match row.message.take() {
                Some(m) => format!("interrupted; {m}"),
                None => "interrupted".into(),
            });
        }
        on_done(&row);
        Some(row)
    });
    let interrupted = solve_options.cancelled();
    let rows: Vec<BenchRow> = rows.into_iter().flatten().collect();
    BenchRun {
        version: FORMAT_VERSION,
        solvers: solvers.iter().map(|s| s.name().to_string()).collect(),
        time_limit: options.time_limit.map(|d| d.as_secs_f64()),
        seed: options.seed,
        shard: options.shard,
        lower_bounds: options.lower_bounds,
        instances: instances.len(),
        fingerprint: fingerprint(instances),
        rows,
        interrupted,
    }
}

/// The time-indexed lower bound of a Σw·C or Σw·T instance (other objectives: `None`; their
/// exact models' bounds come from the solvers).
fn lower_bound(inst: &crate::model::Instance, options: &SolveOptions) -> Option<f64> {
    use crate::model::Objective;
    if !matches!(
        inst.objective(),
        Objective::WeightedCompletion | Objective::WeightedTardiness
    ) {
        return None;
    }
    crate::solve::milp::lower_bound(inst, None, crate::solve::milp::LAGRANGE_CELLS, options)
        .ok()
        .flatten()
        .map(|b| b.value)
}

/// The number of (instance, solver) runs [`run`] will make.
pub fn run_count(instances: &[BenchInstance], solvers: usize, shard: Option<Shard>) -> usize {
    (0..instances.len())
        .filter(|&k| shard.is_none_or(|s| s.contains(k)))
        .count()
        * solvers
}

fn run_one(
    order: usize,
    b: &BenchInstance,
    solver: &dyn Solver,
    options: &SolveOptions,
) -> BenchRow {
    let mut row = BenchRow {
        order,
        set: b.set.clone(),
        instance: b.id.clone(),
        file: b.file.display().to_string(),
        problem: b.problem,
        tasks: None,
        devices: None,
        objective: None,
        solver: solver.name().to_string(),
        status: "bad-input".into(),
        value: None,
        bound: None,
        lower_bound: None,
        reference: b.reference.map(|r| r.value),
        reference_optimal: b.reference.is_some_and(|r| r.optimal),
        seconds: 0.0,
        message: None,
        progress: Vec::new(),
    };
    let inst = match &b.instance {
        Ok(inst) => inst,
        Err(e) => {
            row.message = Some(e.to_string());
            return row;
        }
    };
    row.tasks = Some(inst.num_tasks());
    row.devices = Some(inst.num_devices());
    row.objective = Some(inst.objective().name().to_string());
    let started = std::time::Instant::now();
    let result = solve_one(solver, inst, options);
    row.seconds = started.elapsed().as_secs_f64();
    match result {
        Err(e) => {
            row.status = "failed".into();
            row.message = Some(e.to_string());
        }
        Ok(report) => {
            row.status = report.status.name().into();
            row.bound = report.bound;
            row.message = report.message;
            row.progress = report.progress;
            if let Some(schedule) = &report.schedule {
                let violations = crate::schedule::check(inst, schedule);
                if violations.is_empty() {
                    row.value = Some(schedule.value(inst));
                } else {
                    row.status = "invalid".into();
                    row.message = Some(format!(
                        "the schedule breaks {} rule(s), first: {}",
                        violations.len(),
                        violations[0]
                    ));
                }
            } else if report.status == Status::Feasible || report.status == Status::Optimal {
                row.status = "invalid".into();
                row.message = Some("a feasible status without a schedule".into());
            }
        }
    }
    row
}

/// Join the JSON outputs of the shards of one sweep into the run the unsharded sweep makes.
/// Each run comes with a label naming where it was read (a file name), used in errors.
///
/// Every shard must come from the same sweep (instance list, solvers, time limit and seed), and
/// each of `1..=N` must be present exactly once.
pub fn merge(runs: Vec<(String, BenchRun)>) -> Result<BenchRun, Error> {
    let (first_label, first) = runs
        .first()
        .map(|(l, r)| (l.clone(), r.clone()))
        .ok_or_else(|| Error::Usage("nothing to merge".into()))?;
    let count = first.shard.map_or(1, |s| s.count).max(1);
    let mut present: Vec<Option<String>> = vec![None; count];
    let mut rows = Vec::new();
    for (label, run) in runs {
        let bad = |message: String| Error::Usage(format!("{label}: {message}"));
        if run.interrupted {
            return Err(bad(
                "this run was interrupted: some of its rows are missing or cut short; run it \
                 again"
                    .into(),
            ));
        }
        if run.version != FORMAT_VERSION {
            return Err(bad(format!(
                "format version {}, expected {FORMAT_VERSION}",
                run.version
            )));
        }
        if run.fingerprint != first.fingerprint || run.instances != first.instances {
            return Err(bad(format!(
                "not a shard of the same sweep as {first_label} (another instance list: {} \
                 instances, fingerprint {}, against {} and {})",
                run.instances, run.fingerprint, first.instances, first.fingerprint
            )));
        }
        if run.solvers != first.solvers
            || run.time_limit != first.time_limit
            || run.seed != first.seed
            || run.lower_bounds != first.lower_bounds
        {
            return Err(bad(format!(
                "run with solvers {:?}, time limit {:?}, seed {}; {first_label} with {:?}, {:?}, {}",
                run.solvers, run.time_limit, run.seed, first.solvers, first.time_limit, first.seed
            )));
        }
        let shard = run.shard.unwrap_or(Shard { index: 1, count: 1 });
        if shard.count != count || shard.index == 0 || shard.index > shard.count {
            return Err(bad(format!(
                "shard {}/{} does not fit the {count} shard(s) of {first_label}",
                shard.index, shard.count
            )));
        }
        if let Some(other) = present[shard.index - 1].replace(label.clone()) {
            return Err(bad(format!("shard {shard} is also given as {other}")));
        }
        for r in &run.rows {
            if !first.solvers.contains(&r.solver) {
                return Err(bad(format!(
                    "a row of solver '{}', which the sweep did not run",
                    r.solver
                )));
            }
            if r.order >= first.instances || shard.count > 1 && !shard.contains(r.order) {
                return Err(bad(format!(
                    "a row for instance #{} ({}), which is not in shard {shard}",
                    r.order, r.instance
                )));
            }
        }
        rows.extend(run.rows);
    }
    let missing: Vec<String> = (1..=count)
        .filter(|&i| present[i - 1].is_none())
        .map(|i| format!("{i}/{count}"))
        .collect();
    if !missing.is_empty() {
        return Err(Error::Usage(format!(
            "missing shard(s): {}",
            missing.join(", ")
        )));
    }
    let solver_pos: BTreeMap<&str, usize> = first
        .solvers
        .iter()
        .enumerate()
        .map(|(i, s)| (s.as_str(), i))
        .collect();
    rows.sort_by_key(|r| {
        (
            r.order,
            solver_pos
                .get(r.solver.as_str())
                .copied()
                .unwrap_or(usize::MAX),
        )
    });
    Ok(BenchRun {
        shard: None,
        rows,
        ..first
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_split_the_instances_round_robin() {
        let s: Shard = "2/3".parse().unwrap();
        assert_eq!(s, Shard { index: 2, count: 3 });
        let mine: Vec<usize> = (0..8).filter(|&k| s.contains(k)).collect();
        assert_eq!(mine, [1, 4, 7]);
        for bad in ["0/3", "4/3", "1/0", "x/2", "2", "1/2/3", ""] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
        // Every instance lands in exactly one shard.
        for k in 0..20 {
            let owners = (1..=4)
                .filter(|&i| Shard { index: i, count: 4 }.contains(k))
                .count();
            assert_eq!(owners, 1);
        }
    }

    #[test]
    fn relative_gaps() {
        assert_eq!(relative_gap(110.0, 100.0), 0.1);
        assert_eq!(relative_gap(-90.0, -100.0), 0.1); // negated profits
        assert_eq!(relative_gap(99.0, 100.0), -0.01);
        assert_eq!(relative_gap(0.0, 0.0), 0.0);
        assert_eq!(relative_gap(5.0, 0.0), f64::INFINITY);
    }

    fn row(order: usize, solver: &str, value: Option<f64>, bound: Option<f64>) -> BenchRow {
        BenchRow {
            order,
            set: None,
            instance: format!("i{order}"),
            file: String::new(),
            problem: None,
            tasks: Some(3),
            devices: Some(2),
            objective: Some("makespan".into()),
            solver: solver.into(),
            status: if value.is_some() {
                "feasible"
            } else {
                "failed"
            }
            .into(),
            value,
            bound,
            lower_bound: None,
            reference: None,
            reference_optimal: false,
            seconds: 1.0,
            message: None,
            progress: Vec::new(),
        }
    }

    fn run(rows: Vec<BenchRow>, shard: Option<Shard>) -> BenchRun {
        BenchRun {
            version: FORMAT_VERSION,
            solvers: vec!["a".into(), "b".into()],
            time_limit: Some(1.0),
            seed: 0,
            shard,
            lower_bounds: false,
            instances: 2,
            fingerprint: "f".into(),
            rows,
            interrupted: false,
        }
    }

    #[test]
    fn analysis_takes_the_best_bound_and_the_best_value_of_the_run() {
        let r = run(
            vec![
                row(0, "a", Some(12.0), Some(9.0)),
                row(0, "b", Some(10.0), Some(8.0)),
                row(1, "a", None, None),
                row(1, "b", Some(5.0), None),
            ],
            None,
        );
        let a = Analysis::new(&r);
        assert_eq!(a.rows[0].best_bound, Some(9.0));
        assert_eq!(a.rows[0].best_known, Some(10.0));
        assert!(a.rows[0].best_known_from_run);
        assert!((a.rows[0].gap_to_best_known.unwrap() - 0.2).abs() < 1e-12);
        assert!(a.rows[1].win && !a.rows[0].win);
        assert_eq!(a.rows[2].gap_to_best_known, None);
        assert_eq!(a.summary[0].solved, 1);
        assert_eq!(a.summary[1].wins, 2);
        assert_eq!(a.summary[1].runs, 2);
    }

    #[test]
    fn merge_restores_the_order_and_checks_the_shards() {
        let s1 = run(
            vec![row(0, "a", Some(1.0), None), row(0, "b", Some(1.0), None)],
            Some(Shard { index: 1, count: 2 }),
        );
        let s2 = run(
            vec![row(1, "b", Some(2.0), None), row(1, "a", Some(2.0), None)],
            Some(Shard { index: 2, count: 2 }),
        );
        let l = |name: &str, r: &BenchRun| (name.to_string(), r.clone());
        let merged = merge(vec![l("two.json", &s2), l("one.json", &s1)]).unwrap();
        let order: Vec<(usize, &str)> = merged
            .rows
            .iter()
            .map(|r| (r.order, r.solver.as_str()))
            .collect();
        assert_eq!(order, [(0, "a"), (0, "b"), (1, "a"), (1, "b")]);
        assert_eq!(merged.shard, None);
        let err = |runs: Vec<(String, BenchRun)>| merge(runs).unwrap_err().to_string();
        assert!(err(vec![l("one.json", &s1)]).contains("missing shard(s): 2/2"));
        let mut other = s2.clone();
        other.seed = 9;
        assert!(err(vec![l("one.json", &s1), l("x.json", &other)]).starts_with("x.json: run with"));
        let mut elsewhere = s2.clone();
        elsewhere.fingerprint = "g".into();
        assert!(err(vec![l("one.json", &s1), l("y.json", &elsewhere)]).contains("same sweep"));
        for (index, count) in [(0, 2), (3, 2), (1, 0)] {
            let mut broken = s2.clone();
            broken.shard = Some(Shard { index, count });
            assert!(
                err(vec![l("one.json", &s1), l("z.json", &broken)]).starts_with("z.json: shard")
            );
        }
        assert!(
            err(vec![l("one.json", &s1), l("again.json", &s1)]).contains("also given as one.json")
        );
        let mut stranger = s2.clone();
        stranger.rows[0].solver = "zzz".into();
        assert!(err(vec![l("one.json", &s1), l("w.json", &stranger)]).contains("'zzz'"));
        assert!(merge(vec![]).is_err());
    }
}
