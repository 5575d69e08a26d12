//! `hetsched learn`, `predict`, `patterns` and `generate --family history`: the bundled example
//! end to end (history → learn → predict → solve), bad input named by line and column (exit 2),
//! same seed ⇒ same bytes.

use std::path::{Path, PathBuf};

mod common;
use common::{assert_bad_input, run};

fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("instances/learn")
        .join(name)
}

fn ok(args: &[&std::ffi::OsStr]) -> String {
    let (code, stdout, stderr) = run(args);
    assert_eq!(code, Some(0), "{args:?}: {stderr}");
    stdout
}

macro_rules! args {
    ($($a:expr),* $(,)?) => { &[$(std::ffi::OsStr::new(&$a)),*] };
}

#[test]
fn history_learn_predict_solve() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("model.json");
    let planned = dir.path().join("planned.json");
    let intervals = dir.path().join("intervals.csv");
    let out = ok(args!["learn", example("history.csv"), "--out", model]);
    assert!(
        out.contains("per-kind") && out.contains("cross-kind"),
        "{out}"
    );
    assert!(out.contains("selected"), "{out}");
    let out = ok(args![
        "predict",
        model,
        example("tasks.csv"),
        "--devices",
        example("devices.toml"),
        "--out",
        planned,
        "--intervals",
        intervals
    ]);
    assert!(out.contains("giant-pretrain on h100: params"), "{out}");
    let data: hetsched::InstanceData =
        serde_json::from_str(&std::fs::read_to_string(&planned).unwrap()).unwrap();
    assert_eq!(data.tasks.len(), 5);
    for t in &data.tasks {
        let times = t.times.as_ref().unwrap();
        assert_eq!(
            times.keys().collect::<Vec<_>>(),
            ["a100", "cpu", "h100", "t4"]
        );
        assert!(times.values().all(|&x| x > 0.0));
    }
    let table = std::fs::read_to_string(&intervals).unwrap();
    assert_eq!(table.lines().count(), 1 + 5 * 4);
    for line in table.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let (est, lo, hi): (f64, f64, f64) = (
            f[2].parse().unwrap(),
            f[3].parse().unwrap(),
            f[4].parse().unwrap(),
        );
        assert!(lo < est && est < hi, "{line}");
    }
    let schedule = dir.path().join("s.json");
    // `solve` runs auto: five tasks are proven optimal at once.
    let out = ok(args!["solve", planned, "--out", schedule]);
    assert!(out.contains("status     optimal"), "{out}");
    ok(args!["check", planned, schedule]);
    // TOML out as well.
    let toml = dir.path().join("planned.toml");
    ok(args![
        "predict",
        model,
        example("tasks.csv"),
        "--devices",
        example("devices.toml"),
        "--out",
        toml
    ]);
    ok(args!["solve", toml]);
}

#[test]
fn bad_history_rows_name_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("m.json");
    let cases = [
        (
            "kind,batch,runtime\na,8,1\nb,8,0\n",
            &["line 3, column 3 ('runtime')", "not a number > 0"][..],
        ),
        (
            "kind,batch,runtime\na,8,1\nb,x8,2\n",
            &["line 3, column 2 ('batch')", "'x8' is not a finite number"],
        ),
        ("kind,batch,runtime\na,8,1\nb,8\n", &["line 3", "2 fields"]),
        (
            "kind,batch,runtime\na,8,1\n,8,2\n",
            &["line 3, column 1 ('kind')"],
        ),
        ("batch,runtime\n8,1\n", &["no 'kind' column"]),
    ];
    for (i, (text, expect)) in cases.iter().enumerate() {
        let path = dir.path().join(format!("h{i}.csv"));
        std::fs::write(&path, text).unwrap();
        let name = format!("h{i}.csv");
        let mut all = expect.to_vec();
        all.push(&name);
        assert_bad_input(args!["learn", path, "--out", model], &all);
        assert!(!model.exists());
    }
    let missing = dir.path().join("nope.csv");
    assert_bad_input(args!["learn", missing, "--out", model], &["nope.csv"]);
}

#[test]
fn bad_predict_inputs_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("model.json");
    ok(args!["learn", example("history.csv"), "--out", model]);
    let out = dir.path().join("i.json");
    let write = |name: &str, text: &str| {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p
    };
    let tasks = write(
        "t.csv",
        "task,family,params,batch,steps\na,llm,1e9,16,4000\nb,llm,1e9,many,4000\n",
    );
    assert_bad_input(
        args![
            "predict",
            model,
            tasks,
            "--devices",
            example("devices.toml"),
            "--out",
            out
        ],
        &["t.csv", "line 3, column 4 ('batch')"],
    );
    let tasks = write("t2.csv", "task,family,params\na,llm,1e9\n");
    assert_bad_input(
        args![
            "predict",
            model,
            tasks,
            "--devices",
            example("devices.toml"),
            "--out",
            out
        ],
        &["t2.csv", "no 'batch' column"],
    );
    let good = write(
        "t3.csv",
        "task,family,params,batch,steps\na,llm,1e9,16,4000\n",
    );
    let devices = write("d.json", r#"{"devices": [{"id": "x", "kind": "tpu9"}]}"#);
    assert_bad_input(
        args!["predict", model, good, "--devices", devices, "--out", out],
        &["no device kind 'tpu9'"],
    );
    let devices = write("d2.json", r#"{"devices": [{"id": "x", "knd": "a100"}]}"#);
    assert_bad_input(
        args!["predict", model, good, "--devices", devices, "--out", out],
        &["d2.json", "knd"],
    );
    let text = std::fs::read_to_string(&model).unwrap();
    let future = write(
        "future.json",
        &text.replace("\"version\": 1", "\"version\": 9"),
    );
    assert_bad_input(
        args![
            "predict",
            future,
            good,
            "--devices",
            example("devices.toml"),
            "--out",
            out
        ],
        &["future.json", "version 9"],
    );
    assert!(!out.exists());
}

#[test]
fn same_seed_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.csv");
    let b = dir.path().join("b.csv");
    let c = dir.path().join("c.csv");
    let base = ["--tasks", "600", "--devices", "4", "--patterns", "3"];
    let text = common::generate_to("history", &a, &[&base[..], &["--seed", "5"]].concat());
    common::generate_to("history", &b, &[&base[..], &["--seed", "5"]].concat());
    common::generate_to("history", &c, &[&base[..], &["--seed", "6"]].concat());
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
    assert_ne!(std::fs::read(&a).unwrap(), std::fs::read(&c).unwrap());
    assert_eq!(text.lines().count(), 601);
    assert!(text.starts_with("task,kind,family,params,batch,steps,runtime\n"));
    let kinds: std::collections::BTreeSet<&str> = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(1).unwrap())
        .collect();
    assert_eq!(kinds.len(), 4);

    let p1 = ok(args!["patterns", a, "--k", "auto", "--seed", "2"]);
    let p2 = ok(args!["patterns", a, "--k", "auto", "--seed", "2"]);
    assert_eq!(p1, p2);
    assert!(p1.contains("3 patterns of 600 rows"), "{p1}");
    let assignments = dir.path().join("assign.csv");
    ok(args![
        "patterns",
        a,
        "--k",
        "3",
        "--assignments",
        assignments
    ]);
    let rows = std::fs::read_to_string(&assignments).unwrap();
    assert_eq!(rows.lines().count(), 601);
}

#[test]
fn options_that_do_not_apply_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("h.csv");
    assert_bad_input(
        args![
            "generate", "--family", "history", "--tasks", "10", "--ccr", "1", "--out", out
        ],
        &["--ccr", "history"],
    );
    assert_bad_input(
        args![
            "generate",
            "--family",
            "history",
            "--tasks",
            "10",
            "--devices",
            "9"
        ],
        &["kinds must be 1 to 8"],
    );
    assert_bad_input(
        args![
            "generate",
            "--family",
            "etc",
            "--tasks",
            "10",
            "--devices",
            "2",
            "--noise",
            "0.1"
        ],
        &["--noise"],
    );
    assert_bad_input(
        args!["patterns", example("history.csv"), "--k", "x"],
        &["--k must be a number"],
    );
    assert_bad_input(
        args!["patterns", example("history.csv"), "--k", "0"],
        &["k must be 1 to"],
    );
}
