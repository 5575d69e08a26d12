//! Bounded memory: what would not fit the memory limit (`--max-memory`, by default 3/4 of the
//! machine's memory) is refused up front with a message naming it, or left out by `auto` with a
//! note, instead of the process being killed by the operating system.

use assert_cmd::cargo::cargo_bin_cmd;
use std::path::Path;
use std::time::{Duration, Instant};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn run(args: &[&str]) -> (Option<i32>, String, String, Duration) {
    let started = Instant::now();
    let out = cargo_bin_cmd!("hetsched").args(args).output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        started.elapsed(),
    )
}

fn braun(dir: &Path) -> String {
    let out = dir.join("braun.json");
    let (code, _, err, _) = run(&[
        "convert",
        "--from",
        "etc",
        &format!("{ROOT}/instances/braun-1024x32/A.u_c_hihi"),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, Some(0), "{err}");
    out.display().to_string()
}

/// Before the check, this run took 23.7 GB and 90 s (every byte of the machine).
#[test]
fn a_time_indexed_grid_too_fine_for_memory_is_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let inst = braun(dir.path());
    let (code, _, err, took) = run(&[
        "solve",
        &inst,
        "--solver",
        "milp",
        "--formulation",
        "time-indexed",
        "--time-limit",
        "10",
    ]);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("the time-indexed model on unit 0.01") && err.contains("memory limit"),
        "{err}"
    );
    assert!(took < Duration::from_secs(10), "{took:?}");
}

#[test]
fn max_memory_refuses_a_large_disjunctive_model_and_auto_leaves_it_out() {
    let inst = format!("{ROOT}/instances/ai-cluster/ai-cluster-200x16-s1.json");
    let (code, _, err, _) = run(&[
        "solve",
        &inst,
        "--solver",
        "milp",
        "--formulation",
        "disjunctive",
        "--max-memory",
        "200M",
    ]);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("the disjunctive model") && err.contains("memory limit of 209.7 MB"),
        "{err}"
    );
    let (code, out, err, _) = run(&[
        "solve",
        &inst,
        "--time-limit",
        "2",
        "--max-memory",
        "200M",
        "--verbose",
    ]);
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(out.contains("memory limit"), "{out}");
}

#[test]
fn tables_and_simulator_ticks_are_checked_too() {
    let example = format!("{ROOT}/instances/examples/ai-cluster.json");
    let (code, _, err, _) = run(&["solve", &example, "--max-memory", "100", "--solver", "lpt"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("the time and cost tables"), "{err}");
    let (code, _, err, took) = run(&["simulate", &example, "--policy", "las", "--quantum", "1e-9"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("quantum ticks"), "{err}");
    assert!(took < Duration::from_secs(5), "{took:?}");
    let (code, _, err, _) = run(&["solve", &example, "--max-memory", "lots"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("--max-memory 'lots'"), "{err}");
}
