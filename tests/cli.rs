//! The `hetsched` command line on good input: solve, check, solvers, convert.

use assert_cmd::cargo::cargo_bin_cmd;
use predicates::prelude::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

const SOLVERS: [&str; 24] = [
    "auto",
    "milp",
    "ga",
    "ls",
    "fcfs",
    "spt",
    "lpt",
    "edf",
    "wspt",
    "priority",
    "olb",
    "met",
    "mct",
    "min-min",
    "max-min",
    "sufferage",
    "heft",
    "lft",
    "lst",
    "mts",
    "grpw",
    "cpop",
    "peft",
    "best-greedy",
];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn ai_cluster() -> PathBuf {
    root().join("instances/examples/ai-cluster.json")
}

fn braun_hihi() -> PathBuf {
    root().join("instances/examples/braun-u_c_hihi.0.json")
}

fn lolo_etc() -> PathBuf {
    root().join("instances/braun-512x16/u_c_lolo.0")
}

fn hetsched() -> assert_cmd::Command {
    cargo_bin_cmd!("hetsched")
}

/// `hetsched solve INSTANCE [extra...] --out OUT`, asserting success; returns stdout.
fn solve_to(instance: &Path, out: &Path, extra: &[&str]) -> String {
    let assert = hetsched()
        .arg("solve")
        .arg(instance)
        .args(extra)
        .arg("--out")
        .arg(out)
        .assert()
        .success()
        .stderr(predicate::str::contains("panicked").not());
    String::from_utf8_lossy(&assert.get_output().stdout).into_owned()
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).expect("read JSON file");
    serde_json::from_str(&text).expect("valid JSON")
}

fn write_json(path: &Path, value: &Value) {
    std::fs::write(path, serde_json::to_string_pretty(value).unwrap()).expect("write JSON");
}

/// The value on the `value` line of a solve summary.
fn summary_value(stdout: &str) -> f64 {
    stdout
        .lines()
        .find_map(|l| l.strip_prefix("value"))
        .unwrap_or_else(|| panic!("no value line in:\n{stdout}"))
        .trim()
        .parse()
        .expect("value is a number")
}

/// Index of the assignment of `task` in a schedule file.
fn assignment_of(schedule: &Value, task: &str) -> usize {
    schedule["assignments"]
        .as_array()
        .unwrap()
        .iter()
        .position(|a| a["task"] == task)
        .unwrap_or_else(|| panic!("task {task} not in schedule"))
}

#[test]
fn solvers_lists_every_solver() {
    let assert = hetsched().arg("solvers").assert().success();
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    let names: Vec<&str> = stdout
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    for s in SOLVERS {
        assert!(names.contains(&s), "solver {s} not listed:\n{stdout}");
    }
    assert_eq!(
        names.len(),
        SOLVERS.len(),
        "unexpected solver list:\n{stdout}"
    );
    for line in stdout.lines() {
        assert!(
            line.split_whitespace().count() > 1,
            "solver without a description: {line:?}"
        );
    }
}

#[test]
fn solve_writes_a_schedule_file_matching_the_contract() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("s.json");
    let stdout = solve_to(&ai_cluster(), &out, &["--solver", "best-greedy"]);
    assert!(stdout.contains("status"), "{stdout}");
    assert!(stdout.contains("feasible"), "{stdout}");
    assert!(stdout.contains("weighted_completion"), "{stdout}");

    let s = read_json(&out);
    assert_eq!(s["instance"], "ai-cluster");
    assert_eq!(s["solver"], "best-greedy");
    assert_eq!(s["objective"], "weighted_completion");
    assert_eq!(s["status"], "feasible");
    let value = s["value"].as_f64().expect("value is a number");
    assert!(
        s.get("bound").is_some_and(Value::is_null),
        "bound: {}",
        s["bound"]
    );
    let seconds = s["seconds"].as_f64().expect("seconds is a number");
    assert!(seconds >= 0.0);

    let assignments = s["assignments"].as_array().expect("assignments array");
    assert_eq!(assignments.len(), 15);
    let mut tasks: Vec<&str> = Vec::new();
    for a in assignments {
        let obj = a.as_object().expect("assignment object");
        let mut keys: Vec<&str> = obj.keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(keys, ["device", "end", "start", "task"]);
        tasks.push(a["task"].as_str().unwrap());
        assert!(a["device"].is_string());
        let (start, end) = (a["start"].as_f64().unwrap(), a["end"].as_f64().unwrap());
        assert!(0.0 <= start && start <= end, "{a}");
    }
    tasks.sort_unstable();
    tasks.dedup();
    assert_eq!(tasks.len(), 15, "each task exactly once");

    let m = &s["metrics"];
    for key in [
        "makespan",
        "weighted_completion",
        "weighted_tardiness",
        "total_cost",
        "assignment_cost",
    ] {
        assert!(
            m[key].is_f64() || m[key].is_u64(),
            "metrics.{key}: {}",
            m[key]
        );
    }
    let util = m["utilization"].as_object().expect("utilization object");
    let mut devices: Vec<&str> = util.keys().map(String::as_str).collect();
    devices.sort_unstable();
    assert_eq!(
        devices,
        ["a100-0", "a100-1", "cpu-0", "cpu-1", "h100-0", "v100-0"]
    );
    for (d, u) in util {
        let u = u.as_f64().unwrap_or_else(|| panic!("utilization of {d}"));
        assert!((0.0..=1.0 + 1e-9).contains(&u), "utilization of {d}: {u}");
    }
    let wc = m["weighted_completion"].as_f64().unwrap();
    assert!(
        (wc - value).abs() <= 1e-9 * value.abs().max(1.0),
        "{wc} vs {value}"
    );
    let makespan = m["makespan"].as_f64().unwrap();
    let latest = assignments
        .iter()
        .map(|a| a["end"].as_f64().unwrap())
        .fold(0.0, f64::max);
    assert!((makespan - latest).abs() < 1e-9, "{makespan} vs {latest}");

    // The value in the summary is the one in the file.
    assert!((summary_value(&stdout) - value).abs() < 0.5, "{stdout}");

    hetsched()
        .arg("check")
        .arg(ai_cluster())
        .arg(&out)
        .assert()
        .success()
        .stdout(predicate::str::contains("feasible"))
        .stdout(predicate::str::contains("infeasible").not());
}

/// Solve ai-cluster into a temp dir and return (dir, schedule JSON).
fn solved_ai_cluster() -> (tempfile::TempDir, Value) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("s.json");
    solve_to(&ai_cluster(), &out, &[]);
    let s = read_json(&out);
    (dir, s)
}

/// Write `schedule` to the temp dir, run `check`, assert exit 1 and return stdout.
fn check_tampered(dir: &Path, schedule: &Value) -> String {
    let path = dir.join("tampered.json");
    write_json(&path, schedule);
    let assert = hetsched()
        .arg("check")
        .arg(ai_cluster())
        .arg(&path)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("panicked").not());
    String::from_utf8_lossy(&assert.get_output().stdout).into_owned()
}

#[test]
fn check_reports_start_before_release() {
    let (dir, mut s) = solved_ai_cluster();
    // finetune-chat is released at 20: move it (keeping its duration) to start at 0.
    let i = assignment_of(&s, "finetune-chat");
    let a = &mut s["assignments"][i];
    let len = a["end"].as_f64().unwrap() - a["start"].as_f64().unwrap();
    a["start"] = 0.0.into();
    a["end"] = len.into();
    let stdout = check_tampered(dir.path(), &s);
    assert!(stdout.contains("infeasible"), "{stdout}");
    assert!(
        stdout.contains("task 'finetune-chat' starts at 0, before its release 20"),
        "{stdout}"
    );
}

#[test]
fn check_reports_overlap() {
    let (dir, mut s) = solved_ai_cluster();
    // Find two tasks on the same device and start the later one when the earlier one starts.
    let assignments = s["assignments"].as_array().unwrap().clone();
    let (first, second) = (0..assignments.len())
        .flat_map(|i| (0..assignments.len()).map(move |j| (i, j)))
        .find(|&(i, j)| {
            i != j
                && assignments[i]["device"] == assignments[j]["device"]
                && assignments[i]["start"].as_f64() < assignments[j]["start"].as_f64()
        })
        .expect("some device runs two tasks");
    let (t1, t2) = (
        assignments[first]["task"].as_str().unwrap().to_string(),
        assignments[second]["task"].as_str().unwrap().to_string(),
    );
    let start = assignments[first]["start"].as_f64().unwrap();
    let a = &mut s["assignments"][second];
    let len = a["end"].as_f64().unwrap() - a["start"].as_f64().unwrap();
    a["start"] = start.into();
    a["end"] = (start + len).into();
    let stdout = check_tampered(dir.path(), &s);
    assert!(stdout.contains("overlap"), "{stdout}");
    assert!(
        stdout.lines().any(|l| l.contains("overlap")
            && l.contains(&format!("'{t1}'"))
            && l.contains(&format!("'{t2}'"))),
        "overlap of {t1} and {t2} not reported:\n{stdout}"
    );
}

#[test]
fn check_reports_a_dropped_task() {
    let (dir, mut s) = solved_ai_cluster();
    let i = assignment_of(&s, "export");
    s["assignments"].as_array_mut().unwrap().remove(i);
    let stdout = check_tampered(dir.path(), &s);
    assert!(stdout.contains("infeasible"), "{stdout}");
    assert!(
        stdout.contains("task 'export' is not scheduled"),
        "{stdout}"
    );
}

#[test]
fn check_reports_an_unknown_device() {
    let (dir, mut s) = solved_ai_cluster();
    let i = assignment_of(&s, "embed-corpus");
    s["assignments"][i]["device"] = "tpu-9".into();
    let stdout = check_tampered(dir.path(), &s);
    assert!(stdout.contains("unknown device 'tpu-9'"), "{stdout}");
    // The record is dropped, so the task it placed is reported as not scheduled.
    assert!(
        stdout.contains("task 'embed-corpus' is not scheduled"),
        "{stdout}"
    );
}

#[test]
fn check_reports_a_wrong_claimed_value() {
    let (dir, mut s) = solved_ai_cluster();
    let v = s["value"].as_f64().unwrap();
    s["value"] = (v - 100.0).into();
    let stdout = check_tampered(dir.path(), &s);
    assert!(
        stdout.contains("the file claims weighted_completion"),
        "{stdout}"
    );
}

#[test]
fn objective_override_changes_the_output_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("s.json");
    let stdout = solve_to(&ai_cluster(), &out, &["--objective", "makespan"]);
    assert!(stdout.contains("makespan"), "{stdout}");
    let s = read_json(&out);
    assert_eq!(s["objective"], "makespan");
    let value = s["value"].as_f64().unwrap();
    let makespan = s["metrics"]["makespan"].as_f64().unwrap();
    assert!((value - makespan).abs() < 1e-9, "{value} vs {makespan}");
    // `check` uses the file's objective, so the claimed value agrees.
    hetsched()
        .arg("check")
        .arg(ai_cluster())
        .arg(&out)
        .assert()
        .success()
        .stdout(predicate::str::contains("makespan"));
    // The hyphenated spelling is accepted too.
    let out2 = dir.path().join("s2.json");
    solve_to(&ai_cluster(), &out2, &["--objective", "total-cost"]);
    assert_eq!(read_json(&out2)["objective"], "total_cost");
}

#[test]
fn every_solver_produces_a_schedule_that_checks() {
    let dir = tempfile::tempdir().unwrap();
    for name in SOLVERS {
        let out = dir.path().join(format!("{name}.json"));
        solve_to(&ai_cluster(), &out, &["--solver", name]);
        let s = read_json(&out);
        assert_eq!(s["solver"], name);
        assert_eq!(s["assignments"].as_array().unwrap().len(), 15, "{name}");
        hetsched()
            .arg("check")
            .arg(ai_cluster())
            .arg(&out)
            .assert()
            .success()
            .stdout(predicate::str::starts_with("feasible"));
    }
}

#[test]
fn every_solver_checks_on_the_braun_example() {
    let dir = tempfile::tempdir().unwrap();
    for name in SOLVERS {
        let out = dir.path().join(format!("{name}.json"));
        solve_to(
            &braun_hihi(),
            &out,
            &["--solver", name, "--time-limit", "2"],
        );
        hetsched()
            .arg("check")
            .arg(braun_hihi())
            .arg(&out)
            .assert()
            .success()
            .stdout(predicate::str::starts_with("feasible: 512 assignments"));
    }
}

#[test]
fn assignments_flag_prints_every_task() {
    let assert = hetsched()
        .arg("solve")
        .arg(ai_cluster())
        .arg("--assignments")
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    for task in ["prep", "train", "infer-realtime", "feature-extract"] {
        assert!(stdout.contains(task), "{task} missing:\n{stdout}");
    }
}

#[test]
fn converted_etc_gives_the_reference_min_min_makespan() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("lolo.json");
    hetsched()
        .args(["convert", "--from", "etc"])
        .arg(lolo_etc())
        .arg("--out")
        .arg(&json)
        .assert()
        .success()
        .stderr(predicate::str::contains("512 tasks, 16 devices"));
    let data = read_json(&json);
    assert_eq!(data["objective"], "makespan");
    assert_eq!(data["devices"].as_array().unwrap().len(), 16);
    assert_eq!(data["tasks"].as_array().unwrap().len(), 512);

    let out = dir.path().join("s.json");
    let stdout = solve_to(&json, &out, &["--solver", "min-min"]);
    // The summary rounds to one decimal at this size.
    assert!((summary_value(&stdout) - 5441.43).abs() < 0.1, "{stdout}");
    let value = read_json(&out)["value"].as_f64().unwrap();
    assert!((value - 5441.43).abs() < 0.01, "min-min makespan {value}");
}

#[test]
fn converted_etc_to_toml_is_readable() {
    let dir = tempfile::tempdir().unwrap();
    let toml = dir.path().join("lolo.toml");
    hetsched()
        .args(["convert", "--from", "etc"])
        .arg(lolo_etc())
        .arg("--out")
        .arg(&toml)
        .assert()
        .success();
    let text = std::fs::read_to_string(&toml).unwrap();
    assert!(
        text.contains("[[devices]]") && text.contains("[[tasks]]"),
        "not TOML?"
    );
    assert!(
        serde_json::from_str::<Value>(&text).is_err(),
        "wrote JSON, not TOML"
    );
    let out = dir.path().join("s.json");
    solve_to(&toml, &out, &["--solver", "min-min"]);
    let value = read_json(&out)["value"].as_f64().unwrap();
    assert!((value - 5441.43).abs() < 0.01, "min-min makespan {value}");
}

#[test]
fn convert_to_stdout_and_name_option() {
    let assert = hetsched()
        .args(["convert", "--from", "etc", "--name", "lolo"])
        .arg(lolo_etc())
        .assert()
        .success();
    let data: Value = serde_json::from_slice(&assert.get_output().stdout).expect("JSON on stdout");
    assert_eq!(data["name"], "lolo");
    assert_eq!(data["tasks"][0]["id"], "t0");
    assert_eq!(data["devices"][15]["id"], "m15");
}

#[test]
fn headerless_etc_needs_the_machine_count() {
    let dir = tempfile::tempdir().unwrap();
    let etc = dir.path().join("tiny.etc");
    std::fs::write(&etc, "1.5\n2\n3\n4\n5\n6.25\n").unwrap();

    let out = dir.path().join("tiny.json");
    hetsched()
        .args(["convert", "--from", "etc", "--machines", "3"])
        .arg(&etc)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let data = read_json(&out);
    let tasks = data["tasks"].as_array().unwrap();
    assert_eq!(tasks.len(), 2);
    assert_eq!(data["devices"].as_array().unwrap().len(), 3);
    // Task-major: the second row is 4, 5, 6.25.
    assert_eq!(tasks[1]["times"]["m0"].as_f64(), Some(4.0));
    assert_eq!(tasks[1]["times"]["m2"].as_f64(), Some(6.25));
    let sched = dir.path().join("s.json");
    solve_to(&out, &sched, &["--solver", "min-min"]);

    hetsched()
        .args(["convert", "--from", "etc"])
        .arg(&etc)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("tiny.etc"))
        .stderr(predicate::str::contains("--machines"))
        .stderr(predicate::str::contains("panicked").not());

    // A machine count that does not divide the values is rejected too.
    hetsched()
        .args(["convert", "--from", "etc", "--machines", "4"])
        .arg(&etc)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("do not divide"));
}

#[test]
fn etc_header_and_machines_must_agree() {
    hetsched()
        .args(["convert", "--from", "etc", "--machines", "8"])
        .arg(lolo_etc())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("16 machines"))
        .stderr(predicate::str::contains("--machines says 8"));
    hetsched()
        .args(["convert", "--from", "etc", "--machines", "16"])
        .arg(lolo_etc())
        .assert()
        .success();
}
