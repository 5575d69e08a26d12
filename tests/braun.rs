//! The 12 Braun et al. (2001) 512×16 ETC instances: Min-Min reproduces the reference makespans in
//! instances/braun-512x16/reference.csv, and every greedy schedule passes the checker. The
//! 1024×32 set: every committed schedule in instances/braun-1024x32/best passes the checker and
//! beats the published best-known makespan.

use hetsched::Instance;
use hetsched::io::etc;
use hetsched::solve::greedy::GreedyRule;
use std::path::PathBuf;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("instances/braun-512x16")
}

struct Reference {
    instance: String,
    best_known: f64,
    min_min: f64,
}

fn references() -> Vec<Reference> {
    let text = std::fs::read_to_string(dir().join("reference.csv")).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (ci, cb, cm) = (
        col("instance"),
        col("best_known_makespan"),
        col("min_min_makespan"),
    );
    lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            Reference {
                instance: f[ci].to_string(),
                best_known: f[cb].parse().unwrap(),
                min_min: f[cm].parse().unwrap(),
            }
        })
        .collect()
}

fn load(name: &str) -> Instance {
    Instance::new(etc::read(dir().join(name), None).unwrap()).unwrap()
}

#[test]
fn min_min_matches_reference_on_all_twelve() {
    let refs = references();
    assert_eq!(refs.len(), 12);
    for r in &refs {
        let inst = load(&r.instance);
        assert_eq!((inst.num_tasks(), inst.num_devices()), (512, 16));
        let s = GreedyRule::MinMin.schedule(&inst).unwrap();
        assert!(s.violations(&inst).is_empty());
        let v = s.value(&inst);
        assert!(
            (v - r.min_min).abs() <= 0.005 + 1e-9 * v,
            "{}: Min-Min {v} vs reference {}",
            r.instance,
            r.min_min
        );
        assert!(
            v >= r.best_known - 0.005,
            "{}: below best known",
            r.instance
        );
    }
}

#[test]
fn every_greedy_rule_is_feasible_on_braun() {
    for name in ["u_c_hihi.0", "u_i_lolo.0", "u_s_hilo.0"] {
        let inst = load(name);
        for rule in GreedyRule::ALL {
            let s = rule.schedule(&inst).unwrap();
            assert!(s.violations(&inst).is_empty(), "{name} {rule:?}");
        }
    }
}

#[test]
fn the_committed_1024x32_schedules_are_feasible_and_beat_the_published_values() {
    let set = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("instances/braun-1024x32");
    let text = std::fs::read_to_string(set.join("reference.csv")).unwrap();
    let published: Vec<(String, f64)> = text
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (f[0].to_string(), f[3].parse().unwrap())
        })
        .collect();
    assert_eq!(published.len(), 24);
    let mut checked = 0;
    for (name, value) in &published {
        let file = set.join("best").join(format!("{name}.json"));
        if !file.exists() {
            continue;
        }
        let inst = Instance::new(etc::read(set.join(name), None).unwrap()).unwrap();
        let (schedule, unknown) = hetsched::io::ScheduleFile::read(&file)
            .unwrap()
            .to_schedule(&inst);
        assert!(unknown.is_empty(), "{name}: {unknown:?}");
        let v = schedule.violations(&inst);
        assert!(v.is_empty(), "{name}: {v:?}");
        let makespan = schedule.value(&inst);
        assert!(makespan < *value, "{name}: {makespan} is not below {value}");
        checked += 1;
    }
    // All 24 have been beaten (docs/benchmarks.md).
    assert!(checked == 24, "only {checked} committed schedules");
}
