//! The OR-Library single-machine weighted tardiness importer (`convert --from orlib-wt`): the
//! three files of `instances/orlib-wt`, their listed optima against the EDD schedule, bad input
//! through the command line, and convert → solve → check.

use assert_cmd::cargo::cargo_bin_cmd;
use hetsched::io::orlib_wt;
use hetsched::solve::{self, SolveOptions};
use hetsched::{Instance, InstanceData, Objective};
use predicates::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("instances/orlib-wt")
}

const FILES: [(&str, usize); 3] = [("wt40.txt", 40), ("wt50.txt", 50), ("wt100.txt", 100)];

/// One row of `optima.csv`.
struct Listed {
    file: String,
    index: usize,
    n: usize,
    value: f64,
    status: String,
}

fn listed() -> Vec<Listed> {
    let text = std::fs::read_to_string(dir().join("optima.csv")).expect("read optima.csv");
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("file,instance_index,n,optimum,status,source")
    );
    lines
        .map(|l| {
            // The last column (source) is quoted and holds commas; the first five do not.
            let f: Vec<&str> = l.splitn(6, ',').collect();
            Listed {
                file: f[0].to_string(),
                index: f[1].parse().unwrap(),
                n: f[2].parse().unwrap(),
                value: f[3].parse().unwrap(),
                status: f[4].to_string(),
            }
        })
        .collect()
}

#[test]
fn each_file_holds_125_valid_instances_with_the_right_job_count() {
    for (file, n) in FILES {
        let all = orlib_wt::read(&dir().join(file), None).unwrap();
        assert_eq!(all.len(), 125, "{file}");
        let stem = file.trim_end_matches(".txt");
        for (k, d) in all.iter().enumerate() {
            assert_eq!(
                d.name.as_deref(),
                Some(format!("{stem}-{}", k + 1).as_str())
            );
            assert_eq!(d.tasks.len(), n, "{file} #{}", k + 1);
            assert_eq!(d.devices.len(), 1);
            let inst = Instance::new(d.clone()).unwrap();
            assert_eq!(inst.objective(), Objective::WeightedTardiness);
        }
        // An explicit --jobs equal to the file name's is accepted.
        assert_eq!(orlib_wt::read(&dir().join(file), Some(n)).unwrap(), all);
    }
}

#[test]
fn wt40_instance_1_matches_the_file() {
    let all = orlib_wt::read(&dir().join("wt40.txt"), None).unwrap();
    let d = &all[0];
    // Rows 1-2 of the file: processing times; rows 3-4: weights; rows 5-6: due dates.
    let pwd = |j: usize| {
        let t = &d.tasks[j];
        (t.id.clone(), t.work, t.weight, t.due)
    };
    assert_eq!(pwd(0), ("j1".into(), Some(26.0), 1.0, Some(1588.0)));
    assert_eq!(pwd(1), ("j2".into(), Some(24.0), 10.0, Some(1620.0)));
    assert_eq!(pwd(2), ("j3".into(), Some(79.0), 9.0, Some(1731.0)));
    assert_eq!(pwd(39), ("j40".into(), Some(50.0), 3.0, Some(1814.0)));
    assert!(
        d.tasks
            .iter()
            .all(|t| t.times.is_none() && t.costs.is_none())
    );
    assert_eq!(d.devices[0].id, orlib_wt::DEVICE_ID);
    assert_eq!(d.devices[0].speed, 1.0);
    // Instance 2 starts right after instance 1's 120 numbers (row 7).
    assert_eq!(all[1].tasks[0].work, Some(56.0));
}

/// Σ w·max(0, C − d) of the jobs in EDD order (ties: file order), computed here directly.
fn edd_by_hand(d: &InstanceData) -> f64 {
    let mut order: Vec<usize> = (0..d.tasks.len()).collect();
    order.sort_by(|&a, &b| d.tasks[a].due.unwrap().total_cmp(&d.tasks[b].due.unwrap()));
    let mut c = 0.0;
    let mut sum = 0.0;
    for j in order {
        let t = &d.tasks[j];
        c += t.work.unwrap();
        sum += t.weight * (c - t.due.unwrap()).max(0.0);
    }
    sum
}

#[test]
fn edd_never_beats_a_listed_value_and_attains_every_zero_optimum() {
    let rows = listed();
    assert_eq!(rows.len(), 375);
    let wt40: Vec<&Listed> = rows.iter().filter(|r| r.file == "wt40.txt").collect();
    assert_eq!(wt40.len(), 125);
    let best_known: Vec<usize> = wt40
        .iter()
        .filter(|r| r.status != "optimal")
        .map(|r| r.index)
        .collect();
    assert_eq!(best_known, vec![19]);

    let edf = solve::by_name("edf").unwrap();
    let mut cache: BTreeMap<String, Vec<InstanceData>> = BTreeMap::new();
    let mut zeros = 0;
    for r in &rows {
        let all = cache
            .entry(r.file.clone())
            .or_insert_with(|| orlib_wt::read(&dir().join(&r.file), None).unwrap());
        let data = &all[r.index - 1];
        assert_eq!(data.tasks.len(), r.n);
        let inst = Instance::new(data.clone()).unwrap();
        let report = edf.solve(&inst, &SolveOptions::default()).unwrap();
        let schedule = report.schedule.unwrap();
        assert!(schedule.violations(&inst).is_empty());
        let value = schedule.metrics(&inst).weighted_tardiness;
        assert_eq!(report.value, Some(value));
        assert_eq!(value, edd_by_hand(data), "{} #{}", r.file, r.index);
        assert!(
            value >= r.value,
            "{} #{}: EDD {value} < listed {}",
            r.file,
            r.index,
            r.value
        );
        if r.value == 0.0 {
            assert_eq!(value, 0.0, "{} #{}: listed 0, EDD {value}", r.file, r.index);
            zeros += 1;
        }
    }
    assert_eq!(zeros, 53); // 18 wt40, 17 wt50, 18 wt100
}

/// A scratch directory holding `name` with the given content.
fn scratch(name: &str, content: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join(name);
    std::fs::write(&path, content).unwrap();
    (tmp, path)
}

fn wt40_text() -> String {
    std::fs::read_to_string(dir().join("wt40.txt")).unwrap()
}

/// `hetsched convert --from orlib-wt FILE extra...` must exit 2, without a panic, naming the
/// file and saying each of `expect`.
fn assert_rejected(file: &Path, extra: &[&str], expect: &[&str]) {
    let assert = cargo_bin_cmd!("hetsched")
        .args(["convert", "--from", "orlib-wt"])
        .arg(file)
        .args(extra)
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("panicked").not())
        .stderr(predicate::str::contains(file.to_str().unwrap()));
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    for e in expect {
        assert!(stderr.contains(e), "{extra:?}: no {e:?} in:\n{stderr}");
    }
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
}

#[test]
fn truncated_file_is_rejected() {
    // Drop the last row (20 numbers) of the 750.
    let text = wt40_text();
    let cut: Vec<&str> = text.lines().take(749).collect();
    let (_tmp, f) = scratch("wt40.txt", &cut.join("\n"));
    assert_rejected(
        &f,
        &["--problem", "1"],
        &[
            "found 14980 numbers",
            "3 × 40 = 120",
            "124 whole instance(s) and 100 number(s) left over",
        ],
    );
    let (_tmp, f) = scratch("wt40.txt", "\n \n");
    assert_rejected(&f, &["--problem", "1"], &["the file is empty"]);
}

#[test]
fn a_letter_in_the_file_is_rejected_with_its_position() {
    let text = wt40_text();
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    lines[2] = lines[2].replacen(" 9 ", " x ", 1); // row 3: weights 1 10 9 ...
    let (_tmp, f) = scratch("wt40.txt", &lines.join("\n"));
    assert_rejected(
        &f,
        &["--problem", "1"],
        &["line 3, token 3 (number 43 of the file): 'x' is not an integer"],
    );
}

#[test]
fn wrong_or_missing_job_count_is_rejected() {
    let wt40 = dir().join("wt40.txt");
    assert_rejected(
        &wt40,
        &["--jobs", "50", "--problem", "1"],
        &["--jobs 50 contradicts the file name, which says 40 jobs"],
    );
    assert_rejected(&wt40, &["--jobs", "0"], &["--jobs must be at least 1"]);
    // A name that says nothing: --jobs is required, and a wrong one does not divide the count.
    let (_tmp, f) = scratch("jobs.txt", &wt40_text());
    assert_rejected(&f, &["--problem", "1"], &["give it with --jobs N"]);
    assert_rejected(
        &f,
        &["--jobs", "41", "--problem", "1"],
        &["found 15000 numbers", "multiple of 123"],
    );
    cargo_bin_cmd!("hetsched")
        .args([
            "convert",
            "--from",
            "orlib-wt",
            "--jobs",
            "40",
            "--problem",
            "2",
        ])
        .arg(&f)
        .assert()
        .success()
        .stdout(predicate::str::contains("\"name\": \"jobs-2\""));
    // --jobs belongs to orlib-wt only.
    cargo_bin_cmd!("hetsched")
        .args(["convert", "--from", "etc", "--jobs", "40"])
        .arg(&wt40)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--jobs only applies to --from orlib-wt",
        ));
    // So do the other format-specific options: none is silently ignored.
    for (from, args, message) in [
        (
            "orlib-wt",
            &["--sense", "max"][..],
            "--sense only applies to --from orlib-gap",
        ),
        (
            "orlib-wt",
            &["--machines", "3"][..],
            "--machines only applies to --from etc",
        ),
        (
            "etc",
            &["--problem", "1"][..],
            "--problem only applies to --from orlib-gap and orlib-wt",
        ),
    ] {
        cargo_bin_cmd!("hetsched")
            .args(["convert", "--from", from])
            .args(args)
            .arg(&wt40)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(message));
    }
}

#[test]
fn problem_out_of_range_or_missing_is_rejected() {
    let wt40 = dir().join("wt40.txt");
    assert_rejected(
        &wt40,
        &[],
        &["the file holds 125 problems: choose one with --problem K (1 to 125)"],
    );
    for k in ["0", "126"] {
        assert_rejected(
            &wt40,
            &["--problem", k],
            &[&format!(
                "--problem {k} is out of range: the file holds 125 problem(s)"
            )],
        );
    }
}

#[test]
fn convert_solve_with_ls_and_check_wt40_19() {
    let tmp = tempfile::tempdir().unwrap();
    let inst = tmp.path().join("wt40-19.json");
    let sched = tmp.path().join("wt40-19.sched.json");
    cargo_bin_cmd!("hetsched")
        .args(["convert", "--from", "orlib-wt"])
        .arg(dir().join("wt40.txt"))
        .args(["--problem", "19", "--out"])
        .arg(&inst)
        .assert()
        .success()
        .stderr(predicate::str::contains("(40 tasks, 1 devices)"));
    let assert = cargo_bin_cmd!("hetsched")
        .arg("solve")
        .arg(&inst)
        .args(["--solver", "ls", "--time-limit", "1", "--out"])
        .arg(&sched)
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    assert!(stdout.contains("objective  weighted_tardiness"), "{stdout}");
    let value: f64 = stdout
        .lines()
        .find_map(|l| l.strip_prefix("value"))
        .unwrap_or_else(|| panic!("no value line in:\n{stdout}"))
        .trim()
        .parse()
        .unwrap();
    assert!(value >= 77122.0, "ls beat the best known 77122: {value}"); // wtopt40 #19
    cargo_bin_cmd!("hetsched")
        .arg("check")
        .arg(&inst)
        .arg(&sched)
        .assert()
        .success()
        .stdout(predicate::str::contains("feasible: 40 assignments"));
}

/// Regression: the MILP reported a bound of −55,219,694 for Σw·T on wt100 problem 25 at a 2 s
/// limit (the root bound of a weak relaxation). No schedule has negative tardiness: the bound is
/// raised to 0.
#[test]
fn the_milp_never_reports_a_negative_tardiness_bound() {
    let data = orlib_wt::read(&dir().join("wt100.txt"), None)
        .unwrap()
        .swap_remove(24);
    let inst = Instance::new(data).unwrap();
    let options = SolveOptions {
        time_limit: Some(std::time::Duration::from_secs(2)),
        ..SolveOptions::default()
    };
    let r = solve::Solver::solve(&solve::milp::Milp::default(), &inst, &options).unwrap();
    let (value, bound) = (r.value.unwrap(), r.bound.unwrap_or(0.0));
    assert!(
        (0.0..=value).contains(&bound),
        "bound {bound}, value {value}"
    );
}
