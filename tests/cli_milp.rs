//! The exact solver through the command line.

use assert_cmd::cargo::cargo_bin_cmd;
use predicates::prelude::*;
use std::path::PathBuf;

fn path(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(rel)
}

#[test]
fn milp_prints_model_size_and_result() {
    cargo_bin_cmd!("hetsched")
        .args(["solve", "--solver", "milp", "--objective", "makespan"])
        .arg(path("instances/examples/ai-cluster.json"))
        .assert()
        .success()
        .stdout(predicate::str::contains("status     optimal"))
        .stdout(predicate::str::contains("formulation time-indexed"))
        // The makespan model holds only schedules shorter than the warm start: propagation
        // shows that none exists (here, before HiGHS is called), or HiGHS gets the model (its
        // size is printed) and proves either a shorter one optimal or that none exists.
        .stdout(
            predicate::str::contains("proven optimal by propagation").or(predicate::str::contains(
                "integers",
            )
            .and(
                predicate::str::contains("HiGHS: optimal").or(predicate::str::contains(
                    "HiGHS: no schedule better than the warm start",
                )),
            )),
        )
        .stdout(predicate::str::contains(
            "only schedules at least one unit shorter",
        ))
        .stdout(predicate::str::contains("bound"));
}

#[test]
fn verbose_shows_the_highs_log() {
    cargo_bin_cmd!("hetsched")
        .args([
            "solve",
            "--solver",
            "milp",
            "--verbose",
            "--objective",
            "total_cost",
        ])
        .arg(path("instances/examples/ai-cluster.json"))
        .assert()
        .success()
        .stdout(predicate::str::contains("HiGHS"))
        .stdout(predicate::str::contains("Solving MIP").or(predicate::str::contains("MIP")));
}

#[test]
fn milp_options_with_another_solver_are_refused() {
    cargo_bin_cmd!("hetsched")
        .args(["solve", "--solver", "min-min", "--mip-gap", "0.1"])
        .arg(path("instances/examples/ai-cluster.json"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--mip-gap only applies to --solver milp",
        ));
    cargo_bin_cmd!("hetsched")
        .args(["solve", "--solver", "milp", "--formulation", "makespan"])
        .arg(path("instances/examples/ai-cluster.json"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "makespan formulation handles makespan",
        ));
    cargo_bin_cmd!("hetsched")
        .args(["solve", "--solver", "milp", "--min-utilization", "1.5"])
        .arg(path("instances/examples/ai-cluster.json"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("between 0 and 1"));
}

#[test]
fn infeasible_exits_1_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("tight.json");
    std::fs::write(
        &f,
        r#"{"objective": "total_cost", "devices": [{"id": "g", "capacity": 3}, {"id": "c", "capacity": 3}],
            "tasks": [{"id": "a", "work": 2}, {"id": "b", "work": 2}, {"id": "c1", "work": 2}]}"#,
    )
    .unwrap();
    cargo_bin_cmd!("hetsched")
        .args(["solve", "--solver", "milp"])
        .arg(&f)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("status     infeasible"))
        .stdout(predicate::str::contains("'g' (3)"));
}

#[test]
fn orlib_gap_convert_and_solve() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("gap1-1.json");
    cargo_bin_cmd!("hetsched")
        .args(["convert", "--from", "orlib-gap"])
        .arg(path("instances/orlib-gap/gap1.txt"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "holds 5 problems: choose one with --problem",
        ));
    cargo_bin_cmd!("hetsched")
        .args(["convert", "--from", "orlib-gap", "--problem", "1", "--out"])
        .arg(&out)
        .arg(path("instances/orlib-gap/gap1.txt"))
        .assert()
        .success()
        .stderr(predicate::str::contains("negated"));
    let assert = cargo_bin_cmd!("hetsched")
        .args(["solve", "--solver", "milp"])
        .arg(&out)
        .assert()
        .success();
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    assert!(stdout.contains("status     optimal"), "{stdout}");
    assert!(stdout.contains("value      -336"), "{stdout}"); // published maximum: 336
}

#[test]
fn absurd_time_limit_is_a_usage_error_not_a_panic() {
    cargo_bin_cmd!("hetsched")
        .args(["solve", "--time-limit", "1e30"])
        .arg(path("instances/examples/ai-cluster.json"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--time-limit 1000000000000000000000000000000 is too large",
        ));
}
