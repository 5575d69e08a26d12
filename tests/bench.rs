//! `hetsched bench`: the comparison table, reference values read from the sets' files, shards
//! and their merge, and bad input.

use assert_cmd::cargo::cargo_bin_cmd;
use hetsched::bench::BenchRun;
use predicates::prelude::*;
use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn gap1() -> PathBuf {
    root().join("instances/orlib-gap/gap1.txt")
}

fn examples() -> PathBuf {
    root().join("instances/examples")
}

/// Deterministic solvers (greedy rules; the MILP proves these small instances optimal well
/// within the limit), so two runs give the same values.
const SOLVERS: &str = "min-min,best-greedy,milp";

fn bench_json(extra: &[&str]) -> BenchRun {
    let out = cargo_bin_cmd!("hetsched")
        .arg("bench")
        .arg(gap1())
        .arg(examples().join("ai-cluster.json"))
        .args([
            "--solvers",
            SOLVERS,
            "--time-limit",
            "20",
            "--format",
            "json",
        ])
        .args(extra)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The rows without what depends on the clock.
fn timeless(run: &BenchRun) -> Vec<hetsched::bench::BenchRow> {
    run.rows
        .iter()
        .map(|r| hetsched::bench::BenchRow {
            seconds: 0.0,
            message: None,
            progress: Vec::new(),
            ..r.clone()
        })
        .collect()
}

#[test]
fn table_has_a_row_per_instance_and_solver_and_reads_the_optima_from_the_set() {
    let run = bench_json(&[]);
    assert_eq!(run.solvers, ["min-min", "best-greedy", "milp"]);
    // gap1 holds 5 problems; plus the AI-cluster example: 6 instances × 3 solvers.
    assert_eq!(run.rows.len(), 18);
    let optima = std::fs::read_to_string(root().join("instances/orlib-gap/optima.csv")).unwrap();
    for k in 1..=5 {
        let line = optima
            .lines()
            .find(|l| l.starts_with(&format!("gap1.txt,{k},")))
            .unwrap();
        let published: f64 = line.split(',').nth(5).unwrap().parse().unwrap();
        let milp = run
            .rows
            .iter()
            .find(|r| r.instance == format!("gap1-{k}") && r.solver == "milp")
            .unwrap();
        assert_eq!(milp.set.as_deref(), Some("orlib-gap"));
        assert_eq!(
            milp.reference,
            Some(-published),
            "gap1-{k}: maximised profit, negated"
        );
        assert!(milp.reference_optimal);
        assert_eq!(milp.status, "optimal");
        assert_eq!(milp.value, Some(-published));
    }
    let ai = run
        .rows
        .iter()
        .find(|r| r.instance == "ai-cluster")
        .unwrap();
    assert_eq!(ai.set, None);
    assert_eq!(ai.reference, None);
}

#[test]
fn every_format_prints_the_comparison_and_a_summary_per_solver() {
    let base = || {
        let mut c = cargo_bin_cmd!("hetsched");
        c.arg("bench")
            .arg(gap1())
            .args(["--solvers", "min-min,milp", "--time-limit", "20"]);
        c
    };
    base()
        .args(["--format", "table"])
        .assert()
        .success()
        .stdout(predicate::str::contains("orlib-gap/gap1-1  milp"))
        .stdout(predicate::str::contains("-336 (opt)"))
        .stdout(predicate::str::contains("mean gap to best known"))
        .stdout(predicate::str::is_match(r"milp\s+5\s+5\s+5\s+0\.00%\s+0\.00%\s+5").unwrap());
    base()
        .args(["--format", "md"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "| orlib-gap/gap1-1 | milp | optimal | -336 | -336 | 0.00% | -336 (opt) | 0.00% |",
        ))
        .stdout(predicate::str::contains("| solver | runs | solved |"));
    let csv = base().args(["--format", "csv"]).output().unwrap();
    let text = String::from_utf8(csv.stdout).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    assert!(
        header.starts_with("order,set,instance,file,problem,"),
        "{header}"
    );
    assert!(header.contains("gap_to_best_known"));
    assert_eq!(lines.count(), 10);
}

#[test]
fn sharded_runs_merged_equal_the_unsharded_run() {
    let whole = bench_json(&[]);
    let dir = tempfile::tempdir().unwrap();
    let mut shards = Vec::new();
    for i in 1..=3 {
        let run = bench_json(&["--shard", &format!("{i}/3")]);
        assert!(run.rows.len() < whole.rows.len());
        let path = dir.path().join(format!("shard-{i}.json"));
        std::fs::write(&path, serde_json::to_string(&run).unwrap()).unwrap();
        shards.push(path);
    }
    // Merge in a scrambled order.
    let out = cargo_bin_cmd!("hetsched")
        .args(["bench", "--merge", "--format", "json"])
        .arg(&shards[2])
        .arg(&shards[0])
        .arg(&shards[1])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let merged: BenchRun = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(merged.shard, None);
    assert_eq!(merged.solvers, whole.solvers);
    assert_eq!(timeless(&merged), timeless(&whole));
    // The merged table is the unsharded one, but for the times.
    let md = |args: &[&Path], merge: bool| {
        let mut c = cargo_bin_cmd!("hetsched");
        c.arg("bench");
        if merge {
            c.arg("--merge");
        } else {
            c.args(["--solvers", SOLVERS, "--time-limit", "20"]);
        }
        let out = c.args(args).args(["--format", "md"]).output().unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        // Drop the time column and the summary's total time.
        text.lines()
            .map(|l| l.rsplitn(3, '|').nth(2).unwrap_or(l).to_string())
            .collect::<Vec<_>>()
    };
    let shard_paths: Vec<&Path> = shards.iter().map(|p| p.as_path()).collect();
    let ai = examples().join("ai-cluster.json");
    let unsharded = md(&[gap1().as_path(), ai.as_path()], false);
    assert_eq!(md(&shard_paths, true), unsharded);
}

/// `bench --shard auto` inside a Slurm job array task or a Kubernetes Indexed Job pod (simulated
/// by their environment variables) runs the same slice as `--shard I/N`.
#[test]
fn shard_auto_takes_the_slice_from_slurm_or_kubernetes() {
    const VARS: [&str; 6] = [
        "SLURM_ARRAY_TASK_ID",
        "SLURM_ARRAY_TASK_MIN",
        "SLURM_ARRAY_TASK_MAX",
        "SLURM_ARRAY_TASK_STEP",
        "SLURM_ARRAY_TASK_COUNT",
        "JOB_COMPLETION_INDEX",
    ];
    let run = |env: &[(&str, String)], extra: &[&str]| -> Result<BenchRun, String> {
        let mut c = cargo_bin_cmd!("hetsched");
        for v in VARS {
            c.env_remove(v);
        }
        c.envs(env.iter().map(|(k, v)| (*k, v.as_str())));
        let out = c
            .arg("bench")
            .arg(gap1())
            .arg(examples().join("ai-cluster.json"))
            .args(["--solvers", "min-min", "--format", "json"])
            .args(extra)
            .output()
            .unwrap();
        if out.status.success() {
            Ok(serde_json::from_slice(&out.stdout).unwrap())
        } else {
            assert_eq!(out.status.code(), Some(2));
            Err(String::from_utf8_lossy(&out.stderr).into_owned())
        }
    };
    for i in 1..=3usize {
        let by_hand = run(&[], &["--shard", &format!("{i}/3")]).unwrap();
        // Slurm: sbatch --array=1-3 (ids from 1).
        let slurm = [
            ("SLURM_ARRAY_TASK_ID", i.to_string()),
            ("SLURM_ARRAY_TASK_MIN", "1".to_string()),
            ("SLURM_ARRAY_TASK_MAX", "3".to_string()),
            ("SLURM_ARRAY_TASK_COUNT", "3".to_string()),
        ];
        let from_slurm = run(&slurm, &["--shard", "auto"]).unwrap();
        assert_eq!(from_slurm.shard, by_hand.shard);
        assert_eq!(timeless(&from_slurm), timeless(&by_hand));
        // Kubernetes: completions 3, completionMode Indexed (indexes from 0).
        let k8s = [("JOB_COMPLETION_INDEX", (i - 1).to_string())];
        let from_k8s = run(&k8s, &["--shard", "auto", "--shard-count", "3"]).unwrap();
        assert_eq!(timeless(&from_k8s), timeless(&by_hand));
        let err = run(&k8s, &["--shard", "auto"]).unwrap_err();
        assert!(err.contains("--shard-count"), "{err}");
    }
    let err = run(&[], &["--shard", "auto"]).unwrap_err();
    assert!(
        err.contains("SLURM_ARRAY_TASK_ID") && err.contains("JOB_COMPLETION_INDEX"),
        "{err}"
    );
    let err = run(&[], &["--shard", "1/3", "--shard-count", "3"]).unwrap_err();
    assert!(err.contains("--shard auto only"), "{err}");
}

#[test]
fn merge_refuses_missing_or_repeated_shards() {
    let dir = tempfile::tempdir().unwrap();
    let run = bench_json(&["--shard", "1/2"]);
    let path = dir.path().join("one.json");
    std::fs::write(&path, serde_json::to_string(&run).unwrap()).unwrap();
    cargo_bin_cmd!("hetsched")
        .args(["bench", "--merge"])
        .arg(&path)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("missing shard(s): 2/2"));
    cargo_bin_cmd!("hetsched")
        .args(["bench", "--merge"])
        .arg(&path)
        .arg(&path)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("shard 1/2 is also given as"));
    let junk = dir.path().join("junk.json");
    std::fs::write(&junk, "{}").unwrap();
    cargo_bin_cmd!("hetsched")
        .args(["bench", "--merge"])
        .arg(&junk)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("junk.json"))
        .stderr(predicate::str::contains(
            "not a `hetsched bench --format json` output",
        ));
}

/// A one-file instance set in a temporary folder, with its reference value in a CSV.
fn tiny_set(dir: &Path, reference: &str) {
    std::fs::copy(examples().join("ai-cluster.json"), dir.join("cluster.json")).unwrap();
    std::fs::write(
        dir.join("set.toml"),
        r#"name = "tiny"
format = "instance"
[[reference]]
file = "values.csv"
file-column = "file"
value-column = "best"
kind = "best-known"
"#,
    )
    .unwrap();
    std::fs::write(
        dir.join("values.csv"),
        format!("file,best\ncluster.json,{reference}\n"),
    )
    .unwrap();
}

#[test]
fn reference_values_come_from_the_sets_files() {
    for reference in ["1700", "1900.5"] {
        let dir = tempfile::tempdir().unwrap();
        tiny_set(dir.path(), reference);
        let out = cargo_bin_cmd!("hetsched")
            .arg("bench")
            .arg(dir.path())
            .args(["--solvers", "best-greedy", "--format", "json"])
            .output()
            .unwrap();
        assert!(out.status.success());
        let run: BenchRun = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(run.rows[0].set.as_deref(), Some("tiny"));
        assert_eq!(run.rows[0].reference, Some(reference.parse().unwrap()));
        assert!(!run.rows[0].reference_optimal);
    }
}

#[test]
fn a_broken_manifest_or_reference_file_is_named() {
    let dir = tempfile::tempdir().unwrap();
    tiny_set(dir.path(), "oops");
    cargo_bin_cmd!("hetsched")
        .arg("bench")
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("values.csv"))
        .stderr(predicate::str::contains(
            "line 2: value 'oops' is not a number",
        ));
    let text = std::fs::read_to_string(dir.path().join("set.toml"))
        .unwrap()
        .replace("value-column = \"best\"", "value-column = \"optimum\"");
    std::fs::write(dir.path().join("set.toml"), text).unwrap();
    cargo_bin_cmd!("hetsched")
        .arg("bench")
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no column 'optimum'"));
    std::fs::write(
        dir.path().join("set.toml"),
        "name = \"x\"\nformat = \"zip\"\n",
    )
    .unwrap();
    cargo_bin_cmd!("hetsched")
        .arg("bench")
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("set.toml"))
        .stderr(predicate::str::contains(
            "not a valid instance-set manifest",
        ));
}

#[test]
fn an_unreadable_instance_is_a_row_of_its_own_and_the_rest_still_runs() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        examples().join("ai-cluster.json"),
        dir.path().join("good.json"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("bad.json"),
        "{\"devices\": [], \"tasks\": []",
    )
    .unwrap();
    let out = cargo_bin_cmd!("hetsched")
        .arg("bench")
        .arg(dir.path())
        .args(["--solvers", "min-min", "--format", "md"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("| bad | min-min | bad-input |"), "{stdout}");
    assert!(stdout.contains("| good | min-min | feasible |"), "{stdout}");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("1 instance(s) could not be read"),
        "{stderr}"
    );
}

#[test]
fn bad_arguments_exit_2_with_the_reason() {
    let cases: [(&[&str], &str); 6] = [
        (&["--shard", "0/3"], "bad shard '0/3'"),
        (&["--shard", "4/3"], "bad shard '4/3'"),
        (
            &["--solvers", "min-min,simplex"],
            "unknown solver 'simplex'",
        ),
        (
            &["--time-limit", "-1"],
            "--time-limit must be a non-negative",
        ),
        (&["--jobs", "0"], "--jobs must be at least 1"),
        (&["--solvers", ","], "--solvers names no solver"),
    ];
    for (args, message) in cases {
        cargo_bin_cmd!("hetsched")
            .arg("bench")
            .arg(examples())
            .args(args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(message));
    }
    cargo_bin_cmd!("hetsched")
        .args(["bench", "no/such/folder"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no/such/folder"));
    cargo_bin_cmd!("hetsched")
        .arg("bench")
        .arg(root().join("instances/orlib-gap/README.md"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a file of an instance set"));
}

#[test]
fn a_reference_row_for_no_file_of_the_set_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    tiny_set(dir.path(), "1700");
    std::fs::write(
        dir.path().join("values.csv"),
        "file,best\ncluster.json,1700\nclustr.json,1800\n",
    )
    .unwrap();
    cargo_bin_cmd!("hetsched")
        .arg("bench")
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("values.csv"))
        .stderr(predicate::str::contains(
            "line 3: 'clustr.json' is not a file of the set tiny",
        ));
}

#[test]
fn a_reference_for_a_problem_the_file_does_not_hold_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(gap1(), dir.path().join("gap1.txt")).unwrap();
    std::fs::write(
        dir.path().join("set.toml"),
        "name = \"g\"\nformat = \"orlib-gap\"\n[[reference]]\nfile = \"o.csv\"\nfile-column = \"file\"\nproblem-column = \"k\"\nvalue-column = \"v\"\nkind = \"optimum\"\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("o.csv"),
        "file,k,v\ngap1.txt,1,-336\ngap1.txt,9,-1\n",
    )
    .unwrap();
    cargo_bin_cmd!("hetsched")
        .arg("bench")
        .arg(dir.path())
        .args(["--solvers", "min-min"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "o.csv: line 3: a reference value for problem 9 of gap1.txt, which holds 5",
        ));
}

#[test]
fn a_value_below_a_proven_optimum_is_flagged() {
    // The optimum of gap1-1 as the published maximum, without the negation hetsched needs.
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(gap1(), dir.path().join("gap1.txt")).unwrap();
    std::fs::write(
        dir.path().join("set.toml"),
        "name = \"g\"\nformat = \"orlib-gap\"\n[[reference]]\nfile = \"o.csv\"\nfile-column = \"file\"\nproblem-column = \"k\"\nvalue-column = \"v\"\nkind = \"optimum\"\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("o.csv"), "file,k,v\ngap1.txt,1,336\n").unwrap();
    let out = cargo_bin_cmd!("hetsched")
        .arg("bench")
        .arg(dir.path().join("gap1.txt"))
        .args(["--solvers", "best-greedy", "--format", "md"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains("is below the set's proven optimum"),
        "{stdout}"
    );
}

#[test]
fn a_link_back_up_the_tree_is_searched_once() {
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("sub");
    std::fs::create_dir(&sub).unwrap();
    std::fs::copy(examples().join("ai-cluster.json"), sub.join("a.json")).unwrap();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("..", sub.join("up")).unwrap();
        std::os::unix::fs::symlink("..", sub.join("up2")).unwrap();
    }
    let out = cargo_bin_cmd!("hetsched")
        .arg("bench")
        .arg(dir.path())
        .args(["--solvers", "min-min", "--format", "json"])
        .timeout(std::time::Duration::from_secs(20))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let run: BenchRun = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(run.rows.len(), 1);
}

#[test]
fn a_solver_named_twice_is_refused_and_shards_of_another_sweep_are_not_merged() {
    cargo_bin_cmd!("hetsched")
        .arg("bench")
        .arg(examples())
        .args(["--solvers", "min-min,minmin"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--solvers names min-min twice"));
    let dir = tempfile::tempdir().unwrap();
    let one = dir.path().join("one.json");
    let other = dir.path().join("other.json");
    let shard = |paths: &[PathBuf], spec: &str, out: &Path| {
        cargo_bin_cmd!("hetsched")
            .arg("bench")
            .args(paths)
            .args([
                "--solvers",
                "min-min",
                "--shard",
                spec,
                "--format",
                "json",
                "--out",
            ])
            .arg(out)
            .assert()
            .success();
    };
    shard(&[examples()], "1/2", &one);
    shard(&[gap1()], "2/2", &other);
    cargo_bin_cmd!("hetsched")
        .args(["bench", "--merge"])
        .arg(&one)
        .arg(&other)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "other.json: not a shard of the same sweep",
        ));
}

#[test]
fn untimed_runs_are_reproducible_and_shard_exactly() {
    let run = |extra: &[&str]| -> BenchRun {
        let out = cargo_bin_cmd!("hetsched")
            .arg("bench")
            .arg(examples().join("ai-cluster.json"))
            .arg(root().join("instances/orlib-gap/gap1.txt"))
            .args(["--solvers", "ls,ga", "--no-time-limit", "--format", "json"])
            .args(extra)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let whole = run(&[]);
    assert_eq!(whole.time_limit, None);
    let again = run(&["--jobs", "1"]);
    let values = |r: &BenchRun| r.rows.iter().map(|x| x.value).collect::<Vec<_>>();
    assert_eq!(values(&whole), values(&again));
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for i in 1..=2 {
        let shard = run(&["--shard", &format!("{i}/2")]);
        let path = dir.path().join(format!("s{i}.json"));
        std::fs::write(&path, serde_json::to_string(&shard).unwrap()).unwrap();
        files.push(path);
    }
    let out = cargo_bin_cmd!("hetsched")
        .args(["bench", "--merge", "--format", "json"])
        .args(&files)
        .output()
        .unwrap();
    let merged: BenchRun = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(values(&merged), values(&whole));
}

#[test]
fn an_orlib_wt_set_whose_names_say_no_job_count_takes_it_from_the_manifest() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        root().join("instances/orlib-wt/wt40.txt"),
        dir.path().join("tardy.txt"),
    )
    .unwrap();
    let manifest = |extra: &str| {
        std::fs::write(
            dir.path().join("set.toml"),
            format!("name = \"w\"\nformat = \"orlib-wt\"\n{extra}"),
        )
        .unwrap();
    };
    manifest("");
    let out = cargo_bin_cmd!("hetsched")
        .arg("bench")
        .arg(dir.path())
        .args(["--solvers", "edf", "--format", "md"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("add `jobs = N`"), "{stdout}");
    manifest("jobs = 40\n");
    let out = cargo_bin_cmd!("hetsched")
        .arg("bench")
        .arg(dir.path())
        .args(["--solvers", "edf", "--format", "json", "--no-lower-bound"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let run: BenchRun = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(run.rows.len(), 125);
    assert_eq!(run.rows[0].instance, "tardy-1");
}
