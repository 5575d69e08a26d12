//! Helpers shared by the integration tests (each test file includes what it uses).
#![allow(dead_code)]

use hetsched::{Instance, Objective, Schedule};

/// splitmix64: a tiny deterministic generator, so the instances are the same on every run.
pub struct Rng(pub u64);
impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E3779B97F4A7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58476D1CE4E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D049BB133111EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, k: u64) -> u64 {
        self.next() % k
    }
    pub fn chance(&mut self, p: f64) -> bool {
        ((self.next() >> 11) as f64 / (1u64 << 53) as f64) < p
    }
}

/// Objective value computed here, independently of the library's evaluator.
pub fn recompute(inst: &Instance, s: &Schedule) -> f64 {
    let a = &s.assignments;
    match inst.objective() {
        Objective::Makespan => a.iter().map(|x| x.end).fold(0.0, f64::max),
        Objective::WeightedCompletion => a.iter().map(|x| inst.task(x.task).weight * x.end).sum(),
        Objective::WeightedTardiness => a
            .iter()
            .map(|x| {
                let t = inst.task(x.task);
                t.due.map_or(0.0, |d| t.weight * (x.end - d).max(0.0))
            })
            .sum(),
        Objective::TotalCost => a
            .iter()
            .map(|x| inst.device(x.device).cost_rate * (x.end - x.start))
            .sum(),
        Objective::AssignmentCost => a.iter().map(|x| inst.cost(x.task, x.device)).sum(),
    }
}

/// Objective value recomputed here for a schedule whose tasks may run in segments: a task
/// completes at the end of its last segment, and a segment costs its fraction of the task's
/// assignment cost.
pub fn recompute_preemptive(inst: &Instance, s: &Schedule) -> f64 {
    let mut end = vec![0.0f64; inst.num_tasks()];
    for x in &s.assignments {
        end[x.task] = end[x.task].max(x.end);
    }
    let a = &s.assignments;
    match inst.objective() {
        Objective::Makespan => end.iter().copied().fold(0.0, f64::max),
        Objective::WeightedCompletion => (0..end.len()).map(|t| inst.task(t).weight * end[t]).sum(),
        Objective::WeightedTardiness => (0..end.len())
            .map(|t| {
                let task = inst.task(t);
                task.due
                    .map_or(0.0, |d| task.weight * (end[t] - d).max(0.0))
            })
            .sum(),
        Objective::TotalCost => a
            .iter()
            .map(|x| inst.device(x.device).cost_rate * (x.end - x.start))
            .sum(),
        Objective::AssignmentCost => a
            .iter()
            .map(|x| (x.end - x.start) / inst.ptime(x.task, x.device) * inst.cost(x.task, x.device))
            .sum(),
    }
}

/// `hetsched generate --family FAMILY ARGS --out OUT`, asserting success (and the "wrote" line);
/// returns the file's text.
pub fn generate_to(family: &str, out: &std::path::Path, args: &[&str]) -> String {
    use predicates::prelude::*;
    assert_cmd::cargo::cargo_bin_cmd!("hetsched")
        .args(["generate", "--family", family])
        .args(args)
        .arg("--out")
        .arg(out)
        .assert()
        .success()
        .stderr(predicate::str::contains("wrote"));
    std::fs::read_to_string(out).expect("generated file")
}

/// Run the `hetsched` binary with `args`; return (exit code, stdout, stderr).
pub fn run<I, S>(args: I) -> (Option<i32>, String, String)
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_hetsched"))
        .args(args)
        .output()
        .expect("run hetsched");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// `args` must exit 2 without a panic, print nothing on standard output and name every
/// `expect` string on standard error; returns standard error.
pub fn assert_bad_input<S: AsRef<std::ffi::OsStr>>(args: &[S], expect: &[&str]) -> String {
    let shown: Vec<String> = args
        .iter()
        .map(|a| a.as_ref().to_string_lossy().into_owned())
        .collect();
    let (code, stdout, stderr) = run(args);
    assert_eq!(
        code,
        Some(2),
        "{shown:?}: expected exit 2; stderr:\n{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{shown:?}: panic:\n{stderr}");
    assert_eq!(stdout, "", "{shown:?}");
    for e in expect {
        assert!(stderr.contains(e), "{shown:?}: no {e:?} in:\n{stderr}");
    }
    stderr
}
