//! `hetsched generate --family gpu-cluster`: reproducible files with shared resources, options
//! the family does not use rejected, generated instances that solve and check.

use assert_cmd::cargo::cargo_bin_cmd;
use predicates::prelude::*;
use std::path::Path;

mod common;

fn hetsched() -> assert_cmd::Command {
    cargo_bin_cmd!("hetsched")
}

/// `hetsched generate --family gpu-cluster ARGS --out OUT`, asserting success; returns the text.
fn generate_to(out: &Path, args: &[&str]) -> String {
    common::generate_to("gpu-cluster", out, args)
}

#[test]
fn gpu_cluster_files_are_reproducible_valid_and_solvable() {
    let dir = tempfile::tempdir().unwrap();
    let args = ["--tasks", "40", "--devices", "5", "--seed", "3"];
    let a = generate_to(&dir.path().join("a.json"), &args);
    let b = generate_to(&dir.path().join("b.json"), &args);
    assert_eq!(a, b, "same seed, same bytes");
    let c = generate_to(
        &dir.path().join("c.json"),
        &["--tasks", "40", "--devices", "5", "--seed", "4"],
    );
    assert_ne!(a, c, "another seed, another instance");
    assert!(a.contains("\"name\": \"gpu-cluster-40x5-s3\""), "{a}");
    assert!(
        a.contains("\"resources\"") && a.contains("\"demand\""),
        "{a}"
    );
    let inst = hetsched::io::read_instance(dir.path().join("a.json")).unwrap();
    assert_eq!((inst.num_tasks(), inst.num_devices()), (40, 5));
    assert!(inst.has_sharing());

    // Solve and check, with edges and a weighted objective too.
    let tardy = dir.path().join("tardy.json");
    generate_to(
        &tardy,
        &[
            "--tasks",
            "30",
            "--devices",
            "4",
            "--objective",
            "weighted_tardiness",
            "--dag-density",
            "1",
            "--memory-tightness",
            "1",
            "--due-slack",
            "2",
        ],
    );
    for instance in [dir.path().join("a.json"), tardy] {
        let schedule = instance.with_extension("sched.json");
        hetsched()
            .arg("solve")
            .arg(&instance)
            .args(["--solver", "best-greedy", "--out"])
            .arg(&schedule)
            .assert()
            .success();
        hetsched()
            .arg("check")
            .arg(&instance)
            .arg(&schedule)
            .assert()
            .success();
    }
}

#[test]
fn gpu_cluster_rejects_options_it_does_not_use() {
    let cases: &[(&[&str], &str)] = &[
        (
            &["--task-mix", "training=1"],
            "--task-mix does not apply to --family gpu-cluster",
        ),
        (
            &["--device-mix", "a100=1", "--consistency", "consistent"],
            "--device-mix, --consistency do not apply to --family gpu-cluster",
        ),
        (
            &["--memory-tightness", "2"],
            "memory tightness must be in [0, 1]",
        ),
    ];
    for (args, words) in cases {
        hetsched()
            .args([
                "generate",
                "--family",
                "gpu-cluster",
                "--tasks",
                "5",
                "--devices",
                "3",
            ])
            .args(*args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(*words))
            .stderr(predicate::str::contains("panicked").not());
    }
}

#[test]
fn arrivals_at_a_rate_with_users_feed_the_simulator() {
    // 2,000 jobs at 4.8 per hour: exponential gaps, so the last arrival is near 2000 / 4.8 h
    // (within 10 %: the sum of 2,000 gaps has a relative spread of about 2 %); four users;
    // every policy simulates the file and the schedule checks.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("trace.json");
    let args = [
        "--tasks",
        "2000",
        "--devices",
        "12",
        "--arrival-rate",
        "4.8",
        "--users",
        "4",
        "--seed",
        "5",
    ];
    let text = generate_to(&out, &args);
    assert_eq!(text, generate_to(&dir.path().join("again.json"), &args));
    let data: hetsched::InstanceData = serde_json::from_str(&text).unwrap();
    let releases: Vec<f64> = data.tasks.iter().map(|t| t.release).collect();
    assert!(releases.windows(2).all(|w| w[0] <= w[1]));
    let expected = 2000.0 / 4.8;
    let last = *releases.last().unwrap();
    assert!(
        (last - expected).abs() < 0.1 * expected,
        "{last} vs {expected}"
    );
    let users: std::collections::BTreeSet<&str> = data
        .tasks
        .iter()
        .filter_map(|t| t.user.as_deref())
        .collect();
    assert_eq!(
        users.into_iter().collect::<Vec<_>>(),
        ["u1", "u2", "u3", "u4"]
    );
    for policy in ["fcfs", "drf"] {
        hetsched()
            .args(["simulate", "--policy", policy])
            .arg(&out)
            .assert()
            .success()
            .stdout(predicate::str::contains("(Jain, over 4 users)"));
    }
    hetsched()
        .args([
            "generate",
            "--family",
            "etc",
            "--tasks",
            "5",
            "--devices",
            "2",
        ])
        .args(["--arrival-rate", "2"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "an arrival rate applies to the gpu-cluster and trace families only",
        ));
}
