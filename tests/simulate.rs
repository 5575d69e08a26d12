//! The online simulator: SRPT against the preemptive optimum, FCFS by hand, every simulated
//! schedule through the checker, work conservation, same seed ⇒ same simulation.

mod common;

use common::Rng;
use hetsched::sim::{self, Decision, Options, Policy, View};
use hetsched::{Instance, InstanceData};
use std::collections::HashMap;

fn instance(json: &str) -> Instance {
    Instance::new(serde_json::from_str::<InstanceData>(json).unwrap()).unwrap()
}

/// The optimum of 1 | r_j, pmtn | Σ C_j for integer data, by a search over unit time slots
/// (with integer releases and times some optimal schedule preempts only at integer times).
fn preemptive_optimum(jobs: &[(u32, u32)]) -> u32 {
    fn best(
        time: u32,
        left: &mut Vec<u32>,
        jobs: &[(u32, u32)],
        memo: &mut HashMap<(u32, Vec<u32>), u32>,
    ) -> u32 {
        if left.iter().all(|&x| x == 0) {
            return 0;
        }
        if let Some(&v) = memo.get(&(time, left.clone())) {
            return v;
        }
        let ready: Vec<usize> = (0..jobs.len())
            .filter(|&j| left[j] > 0 && jobs[j].0 <= time)
            .collect();
        let value = if ready.is_empty() {
            let next = (0..jobs.len())
                .filter(|&j| left[j] > 0)
                .map(|j| jobs[j].0)
                .min()
                .unwrap();
            best(next, left, jobs, memo)
        } else {
            ready
                .into_iter()
                .map(|j| {
                    left[j] -= 1;
                    let done = if left[j] == 0 { time + 1 } else { 0 };
                    let v = done + best(time + 1, left, jobs, memo);
                    left[j] += 1;
                    v
                })
                .min()
                .unwrap()
        };
        memo.insert((time, left.clone()), value);
        value
    }
    let mut left: Vec<u32> = jobs.iter().map(|j| j.1).collect();
    best(0, &mut left, jobs, &mut HashMap::new())
}

#[test]
fn srpt_reaches_the_preemptive_optimum_on_one_device() {
    // SRPT minimises Σ C_j on one device with releases and preemption (Schrage 1968).
    let mut rng = Rng(5);
    let mut preempted = 0;
    for case in 0..200 {
        let n = 2 + rng.below(5) as usize;
        let jobs: Vec<(u32, u32)> = (0..n)
            .map(|_| (rng.below(8) as u32, 1 + rng.below(5) as u32))
            .collect();
        let tasks: Vec<String> = jobs
            .iter()
            .enumerate()
            .map(|(j, (r, p))| format!(r#"{{"id": "j{j}", "work": {p}, "release": {r}}}"#))
            .collect();
        let inst = instance(&format!(
            r#"{{"objective": "weighted_completion", "devices": [{{"id": "gpu"}}], "tasks": [{}]}}"#,
            tasks.join(",")
        ));
        let (mut srpt, _) = sim::by_name("srpt").unwrap();
        let options = Options {
            preemption: true,
            ..Options::default()
        };
        let run = sim::simulate(&inst, srpt.as_mut(), &options).unwrap();
        assert!(run.schedule.violations(&inst).is_empty(), "case {case}");
        let total: f64 = run.completions.iter().sum();
        assert_eq!(
            total,
            preemptive_optimum(&jobs) as f64,
            "case {case}: {jobs:?}"
        );
        assert_eq!(run.metrics.value, total);
        preempted += usize::from(run.metrics.preemptions > 0);
    }
    assert!(preempted > 20, "only {preempted} cases preempted");
}

#[test]
fn fcfs_by_hand() {
    // gpu (speed 2) and cpu (speed 1). At 0, a takes the gpu (ends 2), b the cpu (ends 2); c
    // arrives at 1 and waits; at 2 c takes the gpu (6 / 2: ends 5); d arrives at 3, the gpu is
    // busy: it runs on the cpu and ends at 5.
    let inst = instance(
        r#"{"devices": [{"id": "gpu", "speed": 2}, {"id": "cpu"}],
            "tasks": [{"id": "a", "work": 4}, {"id": "b", "work": 2},
                      {"id": "c", "work": 6, "release": 1}, {"id": "d", "work": 2, "release": 3}]}"#,
    );
    let (mut fcfs, info) = sim::by_name("fcfs").unwrap();
    assert!(!info.preemptive && info.work_conserving);
    let run = sim::simulate(&inst, fcfs.as_mut(), &Options::default()).unwrap();
    assert_eq!(run.completions, vec![2.0, 2.0, 5.0, 5.0]);
    let devices: Vec<usize> = run.schedule.assignments.iter().map(|a| a.device).collect();
    assert_eq!(devices, vec![0, 1, 0, 1]);
    assert_eq!(run.metrics.mean_jct, 2.5);
    assert_eq!(run.metrics.max_jct, 4.0);
    assert_eq!(run.metrics.makespan, 5.0);
    assert!(!run.schedule.preemptive);
    assert!(run.schedule.violations(&inst).is_empty());
}

/// A random instance: a node with resources (sharing and exclusive tasks), a gpu and a cpu of
/// different speeds, releases, precedence, eligibility by kind, a late device.
fn random_instance(rng: &mut Rng) -> Instance {
    let n = 4 + rng.below(12) as usize;
    let tasks: Vec<String> = (0..n)
        .map(|t| {
            let demand = if rng.chance(0.6) {
                format!(
                    r#", "demand": {{"gpu": {}, "mem": {}}}"#,
                    1 + rng.below(4),
                    rng.below(60)
                )
            } else {
                String::new()
            };
            let times = if rng.chance(0.3) {
                format!(
                    r#", "times": {{"node": {}, "gpu": {}}}"#,
                    1 + rng.below(9),
                    1 + rng.below(9)
                )
            } else {
                format!(r#", "work": {}"#, 1 + rng.below(12))
            };
            let after: Vec<String> = (0..t)
                .filter(|_| rng.chance(0.15))
                .map(|k| format!(r#""t{k}""#))
                .collect();
            format!(
                r#"{{"id": "t{t}", "release": {}, "weight": {}, "due": {}, "user": "u{}", "after": [{}]{times}{demand}}}"#,
                rng.below(15),
                1 + rng.below(3),
                5 + rng.below(30),
                rng.below(3),
                after.join(",")
            )
        })
        .collect();
    instance(&format!(
        r#"{{"devices": [{{"id": "node", "resources": {{"gpu": 4, "mem": 100}}}},
                        {{"id": "g", "kind": "gpu", "speed": 2, "available_from": 3}},
                        {{"id": "c", "kind": "cpu", "speed": 0.5}}],
            "tasks": [{}]}}"#,
        tasks.join(",")
    ))
}

/// A policy that checks, after deciding, that no waiting job fits on a device (when the policy
/// is work-conserving), and counts its decisions.
struct WorkConserving(Box<dyn Policy>, bool, usize);

impl Policy for WorkConserving {
    fn decide(&mut self, view: &View, decision: &mut Decision) {
        self.0.decide(view, decision);
        self.2 += 1;
        if !self.1 {
            return;
        }
        for t in view.waiting() {
            for &d in view.instance().eligible(t) {
                if decision.start(view, t, d) {
                    panic!(
                        "at {}: '{}' waits while device {d} is free for it",
                        view.now(),
                        view.instance().task(t).id
                    );
                }
            }
        }
    }
}

#[test]
fn every_policy_gives_checked_schedules_and_never_idles_a_fitting_device() {
    let mut rng = Rng(17);
    for case in 0..60 {
        let inst = random_instance(&mut rng);
        // Half the cases: one or two outages on random devices.
        let outages: Vec<sim::Outage> = (0..rng.below(3) * (case % 2))
            .map(|_| {
                let from = rng.below(20) as f64;
                sim::Outage {
                    device: rng.below(3) as usize,
                    from,
                    to: from + 1.0 + rng.below(6) as f64,
                }
            })
            .collect();
        for info in sim::POLICIES {
            let name = info.name;
            for preemption in [false, true] {
                for noise in [0.0, 0.5] {
                    let (mut policy, info) = sim::by_name(name).unwrap();
                    // The list policies with each placement in turn.
                    if let Some(order) = sim::Order::of_policy(name) {
                        let placement = [
                            sim::Placement::Fastest,
                            sim::Placement::Any,
                            sim::Placement::Relative,
                        ][case as usize % 3];
                        policy = Box::new(sim::ListPolicy::new(order, placement, case));
                    }
                    let mut policy = WorkConserving(policy, info.work_conserving, 0);
                    let options = Options {
                        preemption: preemption || info.preemptive,
                        noise,
                        seed: case,
                        quantum: (name == "las").then_some(1.5),
                        log: true,
                        timeline: true,
                        preemption_cost: if case % 3 == 0 { 0.5 } else { 0.0 },
                        outages: outages.clone(),
                    };
                    let what =
                        format!("case {case}, {name}, preemption {preemption}, noise {noise}");
                    let run = sim::simulate(&inst, &mut policy, &options)
                        .unwrap_or_else(|e| panic!("{what}: {e}"));
                    let checked = run.realized.as_ref().unwrap_or(&inst);
                    let v = run.schedule.violations(checked);
                    assert!(v.is_empty(), "{what}: {v:?}");
                    assert!(policy.2 > 0);
                    let sum_jct: f64 = (0..inst.num_tasks())
                        .map(|t| run.completions[t] - inst.task(t).release)
                        .sum();
                    let mean = sum_jct / inst.num_tasks() as f64;
                    assert!((run.metrics.mean_jct - mean).abs() < 1e-9, "{what}");
                    assert_eq!(
                        run.metrics.value,
                        common::recompute_preemptive(checked, &run.schedule),
                        "{what}"
                    );
                    let count = |what: &str| run.events.iter().filter(|e| e.event == what).count();
                    let restarts = run.metrics.preemptions + count("lost");
                    assert_eq!(count("start"), inst.num_tasks() + restarts, "{what}");
                    assert_eq!(count("down"), outages.len(), "{what}");
                    // Decisions follow real events only (not the completion events of runs
                    // stopped since): at most one per time of an arrival, completion, outage
                    // edge or device becoming available (and, for las, per tick).
                    if name != "las" {
                        let mut times: Vec<f64> = run
                            .events
                            .iter()
                            .filter(|e| ["arrive", "complete", "down", "up"].contains(&e.event))
                            .map(|e| e.time)
                            .chain([3.0])
                            .collect();
                        times.sort_by(f64::total_cmp);
                        times.dedup();
                        assert!(policy.2 <= times.len(), "{what}: {} decisions", policy.2);
                    }
                    let rows = &run.timeline.rows;
                    assert_eq!(run.timeline.kinds, ["cpu", "gpu", "node"], "{what}");
                    assert!(rows.windows(2).all(|w| w[0].0 <= w[1].0), "{what}");
                    assert_eq!(rows.last().map(|r| (r.1, r.2)), Some((0, 0)), "{what}");
                }
            }
        }
    }
}

#[test]
fn same_seed_same_simulation() {
    let mut rng = Rng(3);
    let inst = random_instance(&mut rng);
    let run = |seed| {
        let (mut p, _) = sim::by_name("srpt").unwrap();
        let options = Options {
            preemption: true,
            noise: 0.8,
            seed,
            ..Options::default()
        };
        sim::simulate(&inst, p.as_mut(), &options).unwrap()
    };
    let (a, b, c) = (run(1), run(1), run(2));
    assert_eq!(a.schedule, b.schedule);
    assert_eq!(a.metrics, b.metrics);
    assert_ne!(a.schedule, c.schedule);
}

#[test]
fn bad_options_are_refused() {
    let inst = instance(r#"{"devices": [{"id": "d"}], "tasks": [{"id": "a", "work": 1}]}"#);
    let (mut p, _) = sim::by_name("fcfs").unwrap();
    for options in [
        Options {
            noise: -1.0,
            ..Options::default()
        },
        Options {
            quantum: Some(0.0),
            ..Options::default()
        },
    ] {
        let err = sim::simulate(&inst, p.as_mut(), &options).unwrap_err();
        assert!(err.is_bad_input(), "{err}");
    }
}

fn example(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("instances/examples")
        .join(name)
}

#[test]
fn cli_simulates_writes_what_check_accepts_and_refuses_bad_input() {
    use assert_cmd::cargo::cargo_bin_cmd;
    use predicates::prelude::*;
    let dir = tempfile::tempdir().unwrap();
    for (name, extra) in [
        ("gpu-nodes.json", vec!["--policy", "srpt"]),
        (
            "ai-cluster.json",
            vec!["--policy", "las", "--noise", "0.4", "--seed", "3"],
        ),
        (
            "gpu-nodes.json",
            vec![
                "--policy",
                "replan:ls",
                "--plan-time",
                "0.05",
                "--noise",
                "0.3",
            ],
        ),
    ] {
        let out = dir.path().join("plan.json");
        let realized = dir.path().join("realized.json");
        let metrics = dir.path().join("metrics.json");
        let log = dir.path().join("events.jsonl");
        let timeline = dir.path().join("timeline.csv");
        cargo_bin_cmd!("hetsched")
            .arg("simulate")
            .arg(example(name))
            .args(&extra)
            .arg("--out")
            .arg(&out)
            .arg("--realized")
            .arg(&realized)
            .arg("--metrics")
            .arg(&metrics)
            .arg("--log")
            .arg(&log)
            .arg("--timeline")
            .arg(&timeline)
            .assert()
            .success()
            .stdout(predicate::str::contains("JCT             mean"));
        cargo_bin_cmd!("hetsched")
            .arg("check")
            .arg(&realized)
            .arg(&out)
            .assert()
            .success()
            .stdout(predicate::str::starts_with("feasible"));
        let m: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&metrics).unwrap()).unwrap();
        assert!(m["mean_jct"].as_f64().unwrap() > 0.0);
        let csv = std::fs::read_to_string(&timeline).unwrap();
        assert!(csv.starts_with("time,waiting,running,busy_"), "{csv}");
        let events = std::fs::read_to_string(&log).unwrap();
        assert!(events.lines().count() > 0);
        for line in events.lines() {
            let e: serde_json::Value = serde_json::from_str(line).unwrap();
            assert!(e["time"].is_number() && e["task"].is_string());
        }
    }
    cargo_bin_cmd!("hetsched")
        .arg("simulate")
        .arg(example("gpu-nodes.json"))
        .args(["--policy", "sjf", "--compare", "--compare-time", "1"])
        .assert()
        .success()
        .stdout(
            predicate::str::is_match(
                r"offline \(ls\)    3\d\d(\.\d+)? \(online \+\d+\.\d\d % above it\)",
            )
            .unwrap(),
        )
        .stdout(predicate::str::contains("offline bound   "));
    cargo_bin_cmd!("hetsched")
        .arg("simulate")
        .arg(example("gpu-nodes.json"))
        .args(["--policy", "round-robin"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "unknown policy 'round-robin'; the policies are fcfs, sjf, srpt",
        ));
    cargo_bin_cmd!("hetsched")
        .args(["simulate", "--policies"])
        .assert()
        .success()
        .stdout(predicate::str::contains("maxmin"))
        .stdout(predicate::str::contains("replan:SOLVER"));
    cargo_bin_cmd!("hetsched")
        .arg("simulate")
        .arg(example("gpu-nodes.json"))
        .args(["--policy", "replan:nope"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "unknown solver 'nope' (available: ",
        ));
    cargo_bin_cmd!("hetsched")
        .arg("simulate")
        .arg(example("gpu-nodes.json"))
        .args(["--policy", "replan", "--plan-time", "0"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--plan-time must be a number of seconds > 0",
        ));
    cargo_bin_cmd!("hetsched")
        .arg("simulate")
        .arg(example("gpu-nodes.json"))
        .arg("--noise=-0.5")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "the noise must be a finite number",
        ));
    cargo_bin_cmd!("hetsched")
        .arg("simulate")
        .arg(example("gpu-nodes.json"))
        .args(["--policy", "backfill", "--placement", "any"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--placement applies to the list policies",
        ));
    let outages = dir.path().join("outages.json");
    std::fs::write(
        &outages,
        r#"{"outages": [{"device": "nope", "from": 1, "to": 2}]}"#,
    )
    .unwrap();
    cargo_bin_cmd!("hetsched")
        .arg("simulate")
        .arg(example("gpu-nodes.json"))
        .arg("--outages")
        .arg(&outages)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "outage 1 (device 'nope'): no such device",
        ))
        .stderr(predicate::str::contains("outages.json"));
}

#[test]
fn a_job_that_can_never_start_is_named() {
    // The device's busy-time capacity holds one of the two jobs: the other never completes,
    // and the simulation says so. Without a quantum a runs to its end and b never starts. With
    // one, LAS alternates while the capacity allows: a 0–1, b 1–2 (a stop gives back what the
    // start reserved), a from 2 to its end at 5; b's remaining 3 no longer fit (5 + 3 > 5).
    // The ticks must not run on forever.
    let inst = instance(
        r#"{"devices": [{"id": "gpu0", "capacity": 5}],
            "tasks": [{"id": "a", "work": 4}, {"id": "b", "work": 4}]}"#,
    );
    for quantum in [None, Some(1.0)] {
        let (mut p, _) = sim::by_name("las").unwrap();
        let options = Options {
            preemption: true,
            quantum,
            ..Options::default()
        };
        let err = sim::simulate(&inst, p.as_mut(), &options).unwrap_err();
        assert!(
            err.to_string().ends_with(
                "the simulation ended with task 'b' unfinished: every eligible device has used \
                 its busy-time capacity"
            ),
            "{err}"
        );
    }
}

/// Completions (by task) of `policy` on `inst` without preemption or noise.
fn completions(inst: &Instance, policy: &str) -> Vec<f64> {
    let (mut p, _) = sim::by_name(policy).unwrap();
    let run = sim::simulate(inst, p.as_mut(), &Options::default()).unwrap();
    assert!(run.schedule.violations(inst).is_empty());
    run.completions
}

#[test]
fn backfill_keeps_the_head_reservation_by_hand() {
    // A node of 4 GPUs. x holds 3 until 10; h (4 GPUs) arrives at 1 and cannot start: it is
    // reserved at 10. s (1 GPU, 5 long) arrives at 2 and ends by 10: backfilled at once. l
    // (1 GPU, 20 long) would hold a GPU past 10: it waits for h (10–14) and runs 14–34.
    // FCFS without reservations starts l at 7, when s ends, and h waits until 27.
    let inst = instance(
        r#"{"devices": [{"id": "node", "resources": {"gpu": 4}}],
            "tasks": [{"id": "x", "work": 10, "demand": {"gpu": 3}},
                      {"id": "h", "work": 4, "release": 1, "demand": {"gpu": 4}},
                      {"id": "s", "work": 5, "release": 2, "demand": {"gpu": 1}},
                      {"id": "l", "work": 20, "release": 3, "demand": {"gpu": 1}}]}"#,
    );
    assert_eq!(completions(&inst, "backfill"), vec![10.0, 14.0, 7.0, 34.0]);
    assert_eq!(completions(&inst, "fcfs"), vec![10.0, 31.0, 7.0, 27.0]);
}

#[test]
fn fair_share_and_drf_serve_the_user_with_less_by_hand() {
    // Two devices. Alice submits four jobs at 0, Bob one at 1 (all 4 long). At 4 both devices
    // free: FCFS serves Alice's a3 and a4, Bob's b waits until 8; fair share serves each
    // user once (Alice first: her job arrived first), so b runs 4–8.
    let inst = instance(
        r#"{"devices": [{"id": "d0"}, {"id": "d1"}],
            "tasks": [{"id": "a1", "work": 4, "user": "alice"}, {"id": "a2", "work": 4, "user": "alice"},
                      {"id": "a3", "work": 4, "user": "alice"}, {"id": "a4", "work": 4, "user": "alice"},
                      {"id": "b", "work": 4, "release": 1, "user": "bob"}]}"#,
    );
    assert_eq!(completions(&inst, "fcfs"), vec![4.0, 4.0, 8.0, 8.0, 12.0]);
    for policy in ["fair", "drf"] {
        assert_eq!(
            completions(&inst, policy),
            vec![4.0, 4.0, 8.0, 12.0, 8.0],
            "{policy}"
        );
    }
    // DRF weighs what the jobs hold. A node of 8 GPUs: at 0 Alice's a1 (4 GPUs) and Bob's b1,
    // b2 (1 GPU each) start, all 10 long. At 1, a2 and b3 (2 GPUs, 2 long) arrive; one fits.
    // Fair share counts jobs: Alice runs 1, Bob 2, so a2 goes first (as with FCFS: it is
    // first in the file). DRF compares dominant shares: Alice holds 1/2 of the GPUs, Bob 1/4,
    // so b3 goes first.
    let inst = instance(
        r#"{"devices": [{"id": "node", "resources": {"gpu": 8}}],
            "tasks": [{"id": "a1", "work": 10, "user": "alice", "demand": {"gpu": 4}},
                      {"id": "b1", "work": 10, "user": "bob", "demand": {"gpu": 1}},
                      {"id": "b2", "work": 10, "user": "bob", "demand": {"gpu": 1}},
                      {"id": "a2", "work": 2, "release": 1, "user": "alice", "demand": {"gpu": 2}},
                      {"id": "b3", "work": 2, "release": 1, "user": "bob", "demand": {"gpu": 2}}]}"#,
    );
    assert_eq!(completions(&inst, "fcfs"), vec![10.0, 10.0, 10.0, 3.0, 5.0]);
    assert_eq!(completions(&inst, "fair"), vec![10.0, 10.0, 10.0, 3.0, 5.0]);
    assert_eq!(completions(&inst, "drf"), vec![10.0, 10.0, 10.0, 5.0, 3.0]);
}

#[test]
fn an_outage_loses_the_work_without_preemption_and_keeps_it_with() {
    // One device, a job of 10 from 0; the device is down over [4, 6). Without preemption the
    // 4 units run are lost and the job starts again at 6 (ends 16); with preemption it resumes
    // at 6 with 6 left (ends 12).
    let inst = instance(r#"{"devices": [{"id": "gpu0"}], "tasks": [{"id": "a", "work": 10}]}"#);
    let outages = sim::parse_outages(
        r#"{"outages": [{"device": "gpu0", "from": 4, "to": 6}]}"#,
        std::path::Path::new("outages.json"),
        &inst,
    )
    .unwrap();
    for (preemption, end, lost, segments) in [(false, 16.0, 4.0, 1), (true, 12.0, 0.0, 2)] {
        let (mut p, _) = sim::by_name("fcfs").unwrap();
        let options = Options {
            preemption,
            outages: outages.clone(),
            ..Options::default()
        };
        let run = sim::simulate(&inst, p.as_mut(), &options).unwrap();
        assert_eq!(run.completions, vec![end]);
        assert_eq!(run.metrics.lost_work, lost);
        assert_eq!(run.schedule.assignments.len(), segments);
        assert!(run.schedule.violations(&inst).is_empty());
    }
    // Bad entries are named, with the file.
    let err = sim::parse_outages(
        r#"{"outages": [{"device": "gpu9", "from": 4, "to": 6}, {"device": "gpu0", "from": 6, "to": 6}]}"#,
        std::path::Path::new("outages.json"),
        &inst,
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("outages.json"), "{err}");
    assert!(
        err.contains("outage 1 (device 'gpu9'): no such device"),
        "{err}"
    );
    assert!(
        err.contains("outage 2 (device 'gpu0'): needs 0 ≤ from < to"),
        "{err}"
    );
}

#[test]
fn a_restart_delay_holds_the_device_before_the_work_goes_on() {
    // SRPT on one device, restart delay 1: l (10) from 0; s (2) arrives at 1 and preempts it,
    // ending at 3; l restarts at 3, holds the device until 4 without progress, and ends at 13.
    let inst = instance(
        r#"{"devices": [{"id": "gpu0"}],
            "tasks": [{"id": "l", "work": 10}, {"id": "s", "work": 2, "release": 1}]}"#,
    );
    let (mut srpt, _) = sim::by_name("srpt").unwrap();
    let options = Options {
        preemption: true,
        preemption_cost: 1.0,
        ..Options::default()
    };
    let run = sim::simulate(&inst, srpt.as_mut(), &options).unwrap();
    assert_eq!(run.completions, vec![13.0, 3.0]);
    assert_eq!(run.metrics.restart_overhead, 1.0);
    let segments: Vec<(usize, f64, f64)> = run
        .schedule
        .assignments
        .iter()
        .map(|a| (a.task, a.start, a.end))
        .collect();
    assert_eq!(segments, vec![(0, 0.0, 1.0), (0, 4.0, 13.0), (1, 1.0, 3.0)]);
    assert!(run.schedule.violations(&inst).is_empty());
    let bad = Options {
        preemption_cost: f64::NAN,
        ..Options::default()
    };
    assert!(
        sim::simulate(&inst, srpt.as_mut(), &bad)
            .unwrap_err()
            .is_bad_input()
    );
}

#[test]
fn relative_placement_gives_each_device_to_the_job_it_speeds_up_most() {
    // A gpu and a cpu, both free; a (1 on the gpu, 2 on the cpu) and b (1 and 10) wait, a
    // first. Fastest: a takes the gpu, b the cpu (ends 10). Relative: the mean times are 1 on
    // the gpu and 6 on the cpu; a is relatively fast on the cpu (2/6 < 1/1), b on the gpu
    // (1/1 < 10/6): a ends at 2, b at 1. Any (random, seeded) still starts both at once.
    let inst = instance(
        r#"{"devices": [{"id": "gpu", "kind": "gpu"}, {"id": "cpu", "kind": "cpu"}],
            "tasks": [{"id": "a", "times": {"gpu": 1, "cpu": 2}},
                      {"id": "b", "times": {"gpu": 1, "cpu": 10}}]}"#,
    );
    let run = |placement| {
        let mut p = sim::ListPolicy::new(sim::Order::Arrival, placement, 1);
        let run = sim::simulate(&inst, &mut p, &Options::default()).unwrap();
        assert!(run.schedule.violations(&inst).is_empty());
        run.completions
    };
    assert_eq!(run(sim::Placement::Fastest), vec![1.0, 10.0]);
    assert_eq!(run(sim::Placement::Relative), vec![2.0, 1.0]);
    let any = run(sim::Placement::Any);
    assert!(any == vec![1.0, 10.0] || any == vec![2.0, 1.0], "{any:?}");
}

/// Decides as a preemptive list policy would (stopping every other running job), asserting at
/// each placement that `fastest_fit` (which searches device classes and their free room) picks
/// what a scan over every eligible device picks, and that no job fits anywhere when
/// `open_devices` says 0.
struct CheckedFastest(usize);

impl Policy for CheckedFastest {
    fn decide(&mut self, view: &View, decision: &mut Decision) {
        let inst = view.instance();
        let running: Vec<usize> = view.running().map(|(t, _)| t).collect();
        for (i, &t) in running.iter().enumerate() {
            if (i + self.0) % 2 == 0 {
                decision.stop(view, t);
            }
        }
        self.0 += 1;
        let jobs: Vec<usize> = view
            .waiting()
            .chain(running.into_iter().filter(|&t| decision.is_stopped(t)))
            .collect();
        for t in jobs {
            let current = view.device_of(t);
            let scan = inst
                .eligible(t)
                .iter()
                .copied()
                .filter(|&d| decision.fits(view, t, d))
                .min_by(|&a, &b| {
                    view.remaining(t, a)
                        .total_cmp(&view.remaining(t, b))
                        .then((Some(b) == current).cmp(&(Some(a) == current)))
                        .then(a.cmp(&b))
                });
            assert_eq!(
                decision.fastest_fit(view, t),
                scan,
                "job {t} at {}",
                view.now()
            );
            if decision.open_devices(view) == 0 {
                assert_eq!(scan, None, "job {t} fits although no device is open");
            }
            if let Some(d) = scan {
                assert!(decision.start(view, t, d));
            }
        }
    }
}

#[test]
fn fastest_fit_searches_classes_as_a_scan_of_every_device_would() {
    let mut rng = Rng(11);
    for case in 0..60 {
        // Identical nodes of two GPU kinds (with resources), plain CPUs, and one node named
        // by some job's times (a class of its own).
        let mut devices = Vec::new();
        for (kind, gpus) in [("v100", 8), ("k80", 4)] {
            for i in 0..1 + rng.below(5) {
                devices.push(format!(
                    r#"{{"id": "{kind}-{i}", "kind": "{kind}", "resources": {{"gpu": {gpus}, "cpu": 16}}}}"#
                ));
            }
        }
        for i in 0..1 + rng.below(3) {
            devices.push(format!(
                r#"{{"id": "cpu-{i}", "kind": "cpu", "available_from": {}}}"#,
                rng.below(4)
            ));
        }
        devices.push(r#"{"id": "odd", "kind": "v100", "resources": {"gpu": 8, "cpu": 16}}"#.into());
        let tasks: Vec<String> = (0..10 + rng.below(30))
            .map(|t| {
                let demand = if rng.chance(0.8) {
                    format!(
                        r#", "demand": {{"gpu": {}, "cpu": {}}}"#,
                        [1, 1, 2, 4, 8][rng.below(5) as usize],
                        rng.below(9)
                    )
                } else {
                    String::new()
                };
                let odd = if rng.chance(0.2) {
                    format!(r#", "odd": {}"#, 1 + rng.below(5))
                } else {
                    String::new()
                };
                format!(
                    r#"{{"id": "t{t}", "release": {}, "times": {{"v100": {}, "k80": {}, "cpu": {}{odd}}}{demand}}}"#,
                    rng.below(20),
                    1 + rng.below(6),
                    2 + rng.below(12),
                    5 + rng.below(20)
                )
            })
            .collect();
        let inst = instance(&format!(
            r#"{{"devices": [{}], "tasks": [{}]}}"#,
            devices.join(","),
            tasks.join(",")
        ));
        assert!(inst.num_device_classes() < inst.num_devices() || inst.num_devices() <= 4);
        let options = Options {
            preemption: true,
            ..Options::default()
        };
        let run = sim::simulate(&inst, &mut CheckedFastest(case), &options).unwrap();
        assert!(run.schedule.violations(&inst).is_empty(), "case {case}");
    }
}

/// Completions (by task) of `policy` with preemption, checked.
fn preemptive_completions(inst: &Instance, policy: &str) -> Vec<f64> {
    let (mut p, _) = sim::by_name(policy).unwrap();
    let options = Options {
        preemption: true,
        ..Options::default()
    };
    let run = sim::simulate(inst, p.as_mut(), &options).unwrap();
    assert!(run.schedule.violations(inst).is_empty());
    run.completions
}

#[test]
fn srpt_gives_the_fast_device_to_the_shortest_and_moves_jobs_back_by_hand() {
    // a and b (10 on fast, 20 on slow) arrive at 0: a (first by arrival) on fast, b on slow.
    // c (1 / 2) arrives at 1 and stops a (9 left on fast, behind c) to take fast; a then stops
    // b (9.5 left, behind a) to take slow; b waits. At 2 c completes: a (its 0.15 done) moves
    // back to fast and ends at 2 + 8.5 = 10.5, b resumes on slow (0.05 done); at 10.5 b moves
    // to fast with 0.05 + 8.5 / 20 = 0.475 done and ends at 10.5 + 5.25 = 15.75.
    let inst = instance(
        r#"{"devices": [{"id": "fast"}, {"id": "slow"}],
            "tasks": [{"id": "a", "times": {"fast": 10, "slow": 20}},
                      {"id": "b", "times": {"fast": 10, "slow": 20}},
                      {"id": "c", "times": {"fast": 1, "slow": 2}, "release": 1}]}"#,
    );
    let done = preemptive_completions(&inst, "srpt");
    assert_eq!(done, vec![10.5, 15.75, 2.0]);
}

#[test]
fn a_preempting_job_stops_as_many_jobs_behind_it_as_it_needs_by_hand() {
    // A node of 2 GPUs holds x and y (1 GPU, 10 each); z (2 GPUs, 1) arrives at 1 and, being
    // shorter, stops both; they resume at 2 and end at 11.
    let inst = instance(
        r#"{"devices": [{"id": "node", "resources": {"gpu": 2}}],
            "tasks": [{"id": "x", "work": 10, "demand": {"gpu": 1}},
                      {"id": "y", "work": 10, "demand": {"gpu": 1}},
                      {"id": "z", "work": 1, "demand": {"gpu": 2}, "release": 1}]}"#,
    );
    assert_eq!(preemptive_completions(&inst, "srpt"), vec![11.0, 11.0, 2.0]);
    // With priority (by weight), a lighter z stops nothing: it waits for both.
    let light = instance(
        r#"{"devices": [{"id": "node", "resources": {"gpu": 2}}],
            "tasks": [{"id": "x", "work": 10, "weight": 2, "demand": {"gpu": 1}},
                      {"id": "y", "work": 3, "weight": 2, "demand": {"gpu": 1}},
                      {"id": "z", "work": 1, "weight": 1, "demand": {"gpu": 2}, "release": 1}]}"#,
    );
    assert_eq!(
        preemptive_completions(&light, "priority"),
        vec![10.0, 3.0, 11.0]
    );
}
