//! `hetsched generate --family trace`: Gavel's cluster by default, both GPU mixes, the options
//! it does not use and bad values rejected (exit 2), traces that the simulator runs and checks.

use assert_cmd::cargo::cargo_bin_cmd;
use predicates::prelude::*;
use std::path::Path;

mod common;

fn hetsched() -> assert_cmd::Command {
    cargo_bin_cmd!("hetsched")
}

/// `hetsched generate --family trace ARGS --out OUT`, asserting success; returns the instance.
fn generate_to(out: &Path, args: &[&str]) -> hetsched::InstanceData {
    serde_json::from_str(&common::generate_to("trace", out, args)).unwrap()
}

fn gpus(task: &hetsched::model::Task) -> f64 {
    task.demand["gpu"]
}

#[test]
fn default_is_gavels_cluster_with_the_multi_gpu_mix() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("t.json");
    let data = generate_to(
        &out,
        &["--tasks", "2000", "--arrival-rate", "2.6", "--seed", "1"],
    );
    assert_eq!(data.name.as_deref(), Some("trace-2000x108-s1"));
    let devices: Vec<(&str, f64)> = data
        .devices
        .iter()
        .map(|d| (d.id.as_str(), d.resources.as_ref().unwrap()["gpu"]))
        .collect();
    assert_eq!(
        devices,
        [("v100-0", 36.0), ("p100-0", 36.0), ("k80-0", 36.0)]
    );
    let counts: std::collections::BTreeSet<u32> =
        data.tasks.iter().map(|t| gpus(t) as u32).collect();
    assert_eq!(counts.into_iter().collect::<Vec<_>>(), [1, 2, 4, 8]);
    // 2,000 arrivals at 2.6 per hour: the last near 2000 / 2.6 h.
    let last = data.tasks.last().unwrap().release;
    assert!((last / (2000.0 / 2.6) - 1.0).abs() < 0.1, "{last}");
    // Same arguments, same bytes.
    let again = dir.path().join("again.json");
    generate_to(
        &again,
        &["--tasks", "2000", "--arrival-rate", "2.6", "--seed", "1"],
    );
    assert_eq!(std::fs::read(&out).unwrap(), std::fs::read(&again).unwrap());

    // Agnostic and aware LAS run the trace; the schedules pass the checker (simulate checks).
    for placement in ["any", "relative"] {
        hetsched()
            .args([
                "simulate",
                "--policy",
                "las",
                "--quantum",
                "0.1",
                "--placement",
            ])
            .arg(placement)
            .arg(&out)
            .assert()
            .success()
            .stdout(predicate::str::contains("JCT"));
    }
}

#[test]
fn single_gpu_mix_split_devices_and_users() {
    let dir = tempfile::tempdir().unwrap();
    let data = generate_to(
        &dir.path().join("t.json"),
        &[
            "--tasks",
            "300",
            "--gpu-counts",
            "single",
            "--devices",
            "12",
            "--gpus-per-node",
            "2",
            "--users",
            "3",
        ],
    );
    assert!(
        data.tasks
            .iter()
            .all(|t| gpus(t) == 1.0 && t.user.is_some())
    );
    let ids: Vec<&str> = data.devices.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(
        ids,
        ["v100-0", "v100-1", "p100-0", "p100-1", "k80-0", "k80-1"]
    );
}

#[test]
fn trace_rejects_what_it_does_not_use_and_bad_values() {
    let cases: &[(&[&str], &str)] = &[
        (
            &["--release-spread", "1", "--due-slack", "2"],
            "--release-spread, --due-slack do not apply to --family trace",
        ),
        (
            &["--memory-tightness", "1"],
            "--memory-tightness does not apply to --family trace",
        ),
        (&["--gpu-counts", "few"], "invalid value 'few'"),
        (
            &["--gpus-per-node", "0"],
            "GPUs per device must be at least 1",
        ),
        (
            &["--gpus-per-node", "4"],
            "the multi-GPU mix has jobs of 8 GPUs, but 108 GPUs in devices of 4",
        ),
        (&["--devices", "12"], "use at least 24 GPUs"),
        (
            &["--arrival-rate", "-1"],
            "the arrival rate must be in (0, 1000000]",
        ),
        (
            &["--objective", "weighted_tardiness"],
            "trace jobs have no due dates",
        ),
    ];
    for (args, words) in cases {
        hetsched()
            .args(["generate", "--family", "trace", "--tasks", "5"])
            .args(*args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(*words))
            .stderr(predicate::str::contains("panicked").not());
    }
    // The trace options belong to trace; --devices stays required elsewhere.
    for (args, words) in [
        (
            &[
                "--family",
                "gpu-cluster",
                "--devices",
                "3",
                "--gpu-counts",
                "single",
            ][..],
            "--gpu-counts does not apply to --family gpu-cluster",
        ),
        (
            &["--family", "etc", "--devices", "3", "--gpus-per-node", "8"][..],
            "--gpus-per-node does not apply to --family etc",
        ),
        (
            &["--family", "ai-cluster"][..],
            "--devices is required for --family ai-cluster",
        ),
    ] {
        hetsched()
            .args(["generate", "--tasks", "5"])
            .args(args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(words));
    }
}
