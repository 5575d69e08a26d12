//! Interruption from outside: SIGINT (Ctrl-C) or SIGTERM during `solve` and `bench` stops the
//! search, writes what was found (a schedule that passes `check`, the finished rows) and exits
//! with 128 + the signal; a second signal exits at once.

use assert_cmd::cargo::cargo_bin_cmd;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_hetsched"))
}

/// A 1024-task Braun instance on which `ls` uses its whole time limit.
fn braun(dir: &Path) -> PathBuf {
    let out = dir.join("braun.json");
    let status = cargo_bin_cmd!("hetsched")
        .args(["convert", "--from", "etc"])
        .arg(format!("{ROOT}/instances/braun-1024x32/A.u_c_hihi"))
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(status.status.success());
    out
}

/// Start `hetsched ARGS` in the background, output discarded.
fn start(args: &[&str]) -> Child {
    Command::new(bin())
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

fn signal(child: &Child, name: &str) {
    let ok = Command::new("kill")
        .args([&format!("-{name}"), &child.id().to_string()])
        .status()
        .unwrap()
        .success();
    assert!(ok, "kill -{name} failed");
}

/// Wait for the child at most `limit`; its exit code and how long it took.
fn wait(mut child: Child, limit: Duration) -> (Option<i32>, Duration) {
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return (status.code(), started.elapsed());
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            panic!("the process did not end within {limit:?} of the signal");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn ctrl_c_during_solve_writes_the_best_schedule_so_far() {
    let dir = tempfile::tempdir().unwrap();
    let inst = braun(dir.path());
    let out = dir.path().join("schedule.json");
    let child = start(&[
        "solve",
        "--solver",
        "ls",
        "--time-limit",
        "60",
        inst.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    std::thread::sleep(Duration::from_millis(1500));
    signal(&child, "INT");
    let (code, took) = wait(child, Duration::from_secs(20));
    assert_eq!(code, Some(130), "exit code after SIGINT");
    assert!(took < Duration::from_secs(10), "took {took:?} after SIGINT");
    let file: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(file["status"], "feasible");
    assert_eq!(file["assignments"].as_array().unwrap().len(), 1024);
    let check = cargo_bin_cmd!("hetsched")
        .arg("check")
        .arg(&inst)
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
}

#[test]
fn a_second_ctrl_c_exits_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let inst = braun(dir.path());
    let child = start(&[
        "solve",
        "--solver",
        "ga",
        "--time-limit",
        "60",
        inst.to_str().unwrap(),
    ]);
    std::thread::sleep(Duration::from_millis(1000));
    signal(&child, "INT");
    std::thread::sleep(Duration::from_millis(50));
    signal(&child, "INT");
    let (code, took) = wait(child, Duration::from_secs(20));
    assert_eq!(code, Some(130));
    assert!(took < Duration::from_secs(5), "took {took:?}");
}

#[test]
fn sigterm_during_bench_writes_the_finished_rows() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("bench.json");
    let sets = format!("{ROOT}/instances/ai-cluster");
    let child = start(&[
        "bench",
        "--solvers",
        "ls",
        "--time-limit",
        "2",
        "--jobs",
        "1",
        "--format",
        "json",
        &sets,
        "--out",
        out.to_str().unwrap(),
    ]);
    std::thread::sleep(Duration::from_millis(3000));
    signal(&child, "TERM");
    let (code, _) = wait(child, Duration::from_secs(20));
    assert_eq!(code, Some(143), "exit code after SIGTERM");
    let run: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(run["interrupted"], true);
    let rows = run["rows"].as_array().unwrap();
    assert!(
        !rows.is_empty() && rows.len() < 12,
        "{} rows of 12",
        rows.len()
    );
    for row in rows {
        assert!(
            ["feasible", "optimal"].contains(&row["status"].as_str().unwrap()),
            "{row}"
        );
    }
    // A partial run is not merged as if it were a whole shard.
    let merged = cargo_bin_cmd!("hetsched")
        .args(["bench", "--merge"])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(merged.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&merged.stderr).contains("interrupted"));
}
