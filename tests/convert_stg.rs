//! Standard Task Graph Set files (`convert --from stg`, `instances/stg`): the shipped instances
//! are what the converter makes of their sources, the list heuristics' schedules check and never
//! beat a proven optimum, and bad input exits 2 naming the file and the line.

use hetsched::io::{parse_instance_data, stg};
use hetsched::solve::{self, SolveOptions};
use hetsched::{Instance, InstanceData};
use std::path::{Path, PathBuf};
use std::process::Command;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("instances/stg")
}

/// (file, optimum) rows of `reference.csv`.
fn references() -> Vec<(String, f64)> {
    let text = std::fs::read_to_string(dir().join("reference.csv")).unwrap();
    text.lines()
        .skip(1)
        .map(|line| {
            let (file, opt) = line.split_once(',').unwrap();
            (file.to_string(), opt.parse().unwrap())
        })
        .collect()
}

fn read(path: &Path) -> InstanceData {
    let text = std::fs::read_to_string(path).unwrap();
    parse_instance_data(&text, hetsched::io::InstanceFormat::Json, path).unwrap()
}

#[test]
fn shipped_instances_are_their_sources_converted_and_no_schedule_beats_an_optimum() {
    let rows = references();
    assert_eq!(rows.len(), 15);
    for (file, optimum) in rows {
        // rand0000-p2.json ← src/rand0000.stg on 2 processors
        let (base, p) = file.trim_end_matches(".json").rsplit_once("-p").unwrap();
        let p: usize = p.parse().unwrap();
        let mut converted = stg::read(&dir().join(format!("src/{base}.stg")), p).unwrap();
        converted.name = Some(format!("{base}-p{p}"));
        let shipped = read(&dir().join(&file));
        assert_eq!(
            serde_json::to_value(&converted).unwrap(),
            serde_json::to_value(&shipped).unwrap(),
            "{file}"
        );
        let inst = Instance::new(shipped).unwrap();
        for name in ["heft", "cpop", "peft"] {
            let report = solve::by_name(name)
                .unwrap()
                .solve(&inst, &SolveOptions::default())
                .unwrap();
            let schedule = report.schedule.unwrap();
            assert!(schedule.violations(&inst).is_empty(), "{file} {name}");
            let value = report.value.unwrap();
            assert_eq!(value, schedule.value(&inst));
            assert!(
                value >= optimum,
                "{file} {name}: {value} < optimum {optimum}"
            );
        }
    }
}

#[test]
fn bad_stg_input_exits_2_naming_the_file_and_line() {
    let tmp = tempfile::tempdir().unwrap();
    let bad = tmp.path().join("bad.stg");
    std::fs::write(&bad, "1\n0 0 0\n1 2 1 1\n2 0 1 1\n").unwrap();
    let run = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_hetsched"))
            .args(args)
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let path = bad.to_str().unwrap();
    let (code, err) = run(&["convert", "--from", "stg", "--machines", "2", path]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("bad.stg") && err.contains("line 3") && err.contains("earlier task"));
    let (code, err) = run(&["convert", "--from", "stg", path]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("--machines"), "{err}");
    let (code, err) = run(&["convert", "--from", "stg", "--machines", "0", path]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("at least 1"), "{err}");
    assert!(!err.contains("panicked"));
}
