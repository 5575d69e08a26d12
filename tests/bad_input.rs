//! Bad input must be rejected with exit code 2 and a message naming the file and the problem.
//!
//! Every file in `tests/bad_inputs/` (except its README) has exactly one problem; the table below
//! says which words the error message must contain for it.

mod common;

use common::run;

use std::collections::BTreeSet;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

/// How a bad file is fed to the binary.
#[derive(Debug, Clone, Copy)]
enum Via {
    /// `hetsched solve FILE`.
    Solve,
    /// `hetsched convert --from etc FILE`.
    ConvertEtc,
}

/// One bad file: its name, how it is read, and substrings the error message must contain.
struct Case {
    file: &'static str,
    via: Via,
    expect: &'static [&'static str],
}

const CASES: &[Case] = &[
    Case {
        file: "not-json.json",
        via: Via::Solve,
        expect: &["not a valid JSON instance", "line 1 column 1"],
    },
    Case {
        file: "truncated.json",
        via: Via::Solve,
        expect: &["not a valid JSON instance", "EOF while parsing"],
    },
    Case {
        file: "empty.json",
        via: Via::Solve,
        expect: &["the file is empty"],
    },
    Case {
        file: "speed-as-string.json",
        via: Via::Solve,
        expect: &["invalid type", "\"fast\"", "line 2"],
    },
    Case {
        file: "unknown-field-reelase.json",
        via: Via::Solve,
        expect: &["unknown field `reelase`", "`release`"],
    },
    Case {
        file: "duplicate-task-id.json",
        via: Via::Solve,
        expect: &["task id 'train' is used more than once"],
    },
    Case {
        file: "duplicate-device-id.json",
        via: Via::Solve,
        expect: &["device id 'cpu0' is used more than once"],
    },
    Case {
        file: "unknown-predecessor.json",
        via: Via::Solve,
        expect: &["task 'train'", "unknown predecessor 'perp'"],
    },
    Case {
        file: "cycle-3-tasks.json",
        via: Via::Solve,
        expect: &["cycle", "alpha", "beta", "gamma"],
    },
    Case {
        file: "empty-user.json",
        via: Via::Solve,
        expect: &["task 'finetune'", "`user` is empty"],
    },
    Case {
        file: "network-unknown-link-end.json",
        via: Via::Solve,
        expect: &[
            "network link #1 ('gpu' – 'tpu')",
            "'tpu' matches no device id or kind",
        ],
    },
    Case {
        file: "network-zero-bandwidth.json",
        via: Via::Solve,
        expect: &["network: bandwidth must be > 0, got 0"],
    },
    Case {
        file: "network-duplicate-link.json",
        via: Via::Solve,
        expect: &["network links #1 and #2 both join 'cpu' and 'gpu'"],
    },
    Case {
        file: "after-negative-data.json",
        via: Via::Solve,
        expect: &["task 'train': `after` entry 'prep': data must be ≥ 0, got -5"],
    },
    Case {
        file: "self-predecessor.json",
        via: Via::Solve,
        expect: &["task 'loop'", "lists itself in `after`"],
    },
    Case {
        file: "no-device-fits-memory.json",
        via: Via::Solve,
        expect: &[
            "task 'big-train' has no eligible device",
            "'a100-40g' (needs memory 80 but it has 40)",
            "'v100-32g' (needs memory 80 but it has 32)",
        ],
    },
    Case {
        file: "times-unknown-key.json",
        via: Via::Solve,
        expect: &[
            "task 'train'",
            "`times` key 'h100' matches no device id or kind",
        ],
    },
    Case {
        file: "negative-work.json",
        via: Via::Solve,
        expect: &["task 'train'", "work must be ≥ 0", "-10"],
    },
    Case {
        file: "speed-zero.json",
        via: Via::Solve,
        expect: &["device 'gpu0'", "speed must be > 0"],
    },
    Case {
        file: "no-devices.json",
        via: Via::Solve,
        expect: &["no devices"],
    },
    Case {
        file: "no-tasks.json",
        via: Via::Solve,
        expect: &["no tasks"],
    },
    Case {
        file: "unknown-objective.json",
        via: Via::Solve,
        expect: &["unknown objective 'fastest'", "makespan"],
    },
    Case {
        file: "no-work-no-times.json",
        via: Via::Solve,
        expect: &["task 'idle'", "needs `work` or `times`"],
    },
    Case {
        file: "work-nan.toml",
        via: Via::Solve,
        expect: &["task 'train'", "work must be a finite number", "NaN"],
    },
    Case {
        file: "speed-inf.toml",
        via: Via::Solve,
        expect: &["device 'gpu0'", "speed must be a finite number", "inf"],
    },
    Case {
        file: "release-negative.toml",
        via: Via::Solve,
        expect: &["task 'train'", "release must be ≥ 0", "-5"],
    },
    Case {
        file: "etc-not-a-number.etc",
        via: Via::ConvertEtc,
        expect: &["line 4", "'abc' is not a number"],
    },
    Case {
        file: "etc-count-mismatch.etc",
        via: Via::ConvertEtc,
        expect: &["expected 3 × 2 = 6 values, found 5"],
    },
];

fn bad_inputs_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("bad_inputs")
}

fn instance(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("instances")
        .join("examples")
        .join(name)
}

/// Assert a usage error: exit code 2, no panic, and stderr containing every `expect` string.
fn assert_usage_error(args: &[&str], expect: &[&str]) {
    let (code, _, stderr) = run(args);
    assert_eq!(
        code,
        Some(2),
        "args {args:?}: expected exit 2; stderr:\n{stderr}"
    );
    assert!(
        !stderr.contains("panicked"),
        "args {args:?}: panic:\n{stderr}"
    );
    for e in expect {
        assert!(
            stderr.contains(e),
            "args {args:?}: stderr does not contain {e:?}:\n{stderr}"
        );
    }
}

#[test]
fn every_bad_file_is_rejected_with_exit_2_and_a_specific_message() {
    let dir = bad_inputs_dir();
    let mut failures = Vec::new();
    for case in CASES {
        let path = dir.join(case.file);
        assert!(path.is_file(), "{} is missing", path.display());
        let path_str = path.to_str().expect("utf-8 path");
        let args: Vec<&str> = match case.via {
            Via::Solve => vec!["solve", path_str],
            Via::ConvertEtc => vec!["convert", "--from", "etc", path_str],
        };
        let (code, stdout, stderr) = run(&args);
        let mut problems = Vec::new();
        if code != Some(2) {
            problems.push(format!("exit code {code:?}, expected 2"));
        }
        if stderr.contains("panicked") {
            problems.push("stderr contains panic text".to_string());
        }
        if !stderr.contains(case.file) {
            problems.push("stderr does not name the file".to_string());
        }
        for e in case.expect {
            if !stderr.contains(e) {
                problems.push(format!("stderr does not contain {e:?}"));
            }
        }
        if !problems.is_empty() {
            failures.push(format!(
                "{} ({:?}): {}\n  stdout: {stdout}\n  stderr: {stderr}",
                case.file,
                case.via,
                problems.join("; ")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_bad_file_reports_exactly_one_problem() {
    // Each file is meant to show ONE problem; a validation report with several would mean the
    // file (or the validator) is muddled.
    for case in CASES {
        let path = bad_inputs_dir().join(case.file);
        let args: Vec<&str> = match case.via {
            Via::Solve => vec!["solve", path.to_str().unwrap()],
            Via::ConvertEtc => vec!["convert", "--from", "etc", path.to_str().unwrap()],
        };
        let (_, _, stderr) = run(&args);
        assert!(
            !stderr.contains(" problems:"),
            "{}: several problems reported:\n{stderr}",
            case.file
        );
        assert_eq!(
            stderr.trim_end().lines().count(),
            1,
            "{}: expected a one-line message:\n{stderr}",
            case.file
        );
    }
}

#[test]
fn table_covers_every_file_in_bad_inputs() {
    let on_disk: BTreeSet<String> = std::fs::read_dir(bad_inputs_dir())
        .expect("read tests/bad_inputs")
        .map(|e| {
            e.expect("dir entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|name| name != "README.md")
        .collect();
    let in_table: BTreeSet<String> = CASES.iter().map(|c| c.file.to_string()).collect();
    assert_eq!(in_table.len(), CASES.len(), "a file appears twice in CASES");
    let untested: Vec<_> = on_disk.difference(&in_table).collect();
    let missing: Vec<_> = in_table.difference(&on_disk).collect();
    assert!(
        untested.is_empty(),
        "files not in the CASES table: {untested:?}"
    );
    assert!(
        missing.is_empty(),
        "CASES names files that do not exist: {missing:?}"
    );
    assert!(
        CASES.len() >= 18,
        "the suite shrank to {} files",
        CASES.len()
    );
}

#[test]
fn readme_describes_every_file() {
    let readme =
        std::fs::read_to_string(bad_inputs_dir().join("README.md")).expect("read README.md");
    for case in CASES {
        assert!(
            readme.contains(&format!("`{}`", case.file)),
            "tests/bad_inputs/README.md does not list {}",
            case.file
        );
    }
}

#[test]
fn unknown_solver_lists_the_available_solvers() {
    let inst = instance("ai-cluster.json");
    assert_usage_error(
        &[
            "solve",
            inst.to_str().unwrap(),
            "--solver",
            "simulated-magic",
        ],
        &[
            "unknown solver 'simulated-magic'",
            "min-min",
            "heft",
            "best-greedy",
            "sufferage",
        ],
    );
}

#[test]
fn unknown_objective_option_lists_the_objectives() {
    let inst = instance("ai-cluster.json");
    assert_usage_error(
        &["solve", inst.to_str().unwrap(), "--objective", "fastest"],
        &[
            "unknown objective 'fastest'",
            "makespan",
            "weighted_completion",
        ],
    );
}

#[test]
fn unknown_objective_option_in_check_is_a_usage_error() {
    let inst = instance("ai-cluster.json");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("s.json");
    let (code, _, stderr) = run([
        OsStr::new("solve"),
        inst.as_os_str(),
        OsStr::new("--out"),
        out.as_os_str(),
    ]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_usage_error(
        &[
            "check",
            inst.to_str().unwrap(),
            out.to_str().unwrap(),
            "--objective",
            "fastest",
        ],
        &["unknown objective 'fastest'"],
    );
}

#[test]
fn negative_time_limit_is_a_usage_error() {
    let inst = instance("ai-cluster.json");
    assert_usage_error(
        &["solve", inst.to_str().unwrap(), "--time-limit=-1"],
        &[
            "--time-limit must be a non-negative number of seconds",
            "-1",
        ],
    );
    // Without `=`, clap takes `-1` for a flag; still a usage error with exit 2.
    assert_usage_error(
        &["solve", inst.to_str().unwrap(), "--time-limit", "-1"],
        &["-1"],
    );
    assert_usage_error(
        &["solve", inst.to_str().unwrap(), "--time-limit=nan"],
        &["--time-limit must be a non-negative number of seconds"],
    );
}

#[test]
fn zero_threads_is_a_usage_error() {
    let inst = instance("ai-cluster.json");
    assert_usage_error(
        &["solve", inst.to_str().unwrap(), "--threads", "0"],
        &["--threads must be at least 1"],
    );
}

#[test]
fn missing_instance_file_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no-such-instance.json");
    let missing = missing.to_str().unwrap();
    assert_usage_error(&["solve", missing], &[missing]);
    let inst = instance("ai-cluster.json");
    assert_usage_error(&["check", missing, inst.to_str().unwrap()], &[missing]);
    let etc = dir.path().join("no-such-matrix.etc");
    let etc = etc.to_str().unwrap();
    assert_usage_error(&["convert", "--from", "etc", etc], &[etc]);
}

#[test]
fn missing_schedule_file_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no-such-schedule.json");
    let missing = missing.to_str().unwrap();
    let inst = instance("ai-cluster.json");
    assert_usage_error(&["check", inst.to_str().unwrap(), missing], &[missing]);
}

#[test]
fn malformed_schedule_file_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("garbled-schedule.json");
    std::fs::write(&bad, "{\"assignments\": [{\"task\": \"prep\"}]}").unwrap();
    let inst = instance("ai-cluster.json");
    assert_usage_error(
        &["check", inst.to_str().unwrap(), bad.to_str().unwrap()],
        &["garbled-schedule.json", "not a valid schedule file"],
    );
}

#[test]
fn missing_subcommand_or_instance_is_a_usage_error() {
    assert_usage_error(&[], &["Usage"]);
    assert_usage_error(&["solve"], &["<INSTANCE>"]);
    assert_usage_error(&["convert", "--from", "csv", "x.csv"], &["csv"]);
}
