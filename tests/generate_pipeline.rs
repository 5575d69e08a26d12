//! `generate --family pipeline --ccr R` (issue 13): every edge carries a data volume, the
//! network's bandwidth gives exactly the asked communication-to-computation ratio, nothing else
//! in the instance changes, and without `--ccr` nothing changes at all.

use hetsched::generate::{Family, GeneratorParams, generate};
use hetsched::{After, Instance, InstanceData, SolveOptions};

mod common;

use common::run;

/// The generated instance without its data volumes and network.
fn stripped(mut data: InstanceData) -> InstanceData {
    data.network = None;
    for t in &mut data.tasks {
        for a in &mut t.after {
            *a = After::new(a.task.clone());
        }
    }
    data
}

#[test]
fn pipeline_ccr_adds_data_and_a_network_and_nothing_else() {
    for (n, m, seed) in [(30, 4, 1), (100, 8, 2), (200, 16, 3), (3, 1, 4)] {
        let plain = generate(&GeneratorParams::new(Family::Pipeline, n, m), seed).unwrap();
        assert!(plain.network.is_none());
        assert!(
            plain
                .tasks
                .iter()
                .flat_map(|t| &t.after)
                .all(|a| a.data.is_none())
        );
        for ccr in [0.1, 1.0, 10.0] {
            let mut p = GeneratorParams::new(Family::Pipeline, n, m);
            p.ccr = Some(ccr);
            let data = generate(&p, seed).unwrap();
            assert_eq!(data, generate(&p, seed).unwrap(), "reproducible");
            assert!(
                data.tasks
                    .iter()
                    .flat_map(|t| &t.after)
                    .all(|a| a.data.is_some_and(|d| d > 0.0))
            );
            assert_eq!(
                stripped(data.clone()),
                plain,
                "{n}x{m}: only data and network differ"
            );
            let has_edges = data.tasks.iter().any(|t| !t.after.is_empty());
            assert_eq!(data.network.is_some(), has_edges);
            let inst = Instance::new(data).unwrap();
            match inst.ccr() {
                Some(got) => assert!((got - ccr).abs() <= 1e-9 * ccr, "{n}x{m} s{seed}: {got}"),
                None => assert!(!has_edges, "{n}x{m} s{seed}: no ratio"),
            }
        }
    }
    // No edges: no ratio to reach, no network.
    let mut p = GeneratorParams::new(Family::Pipeline, 20, 4);
    p.dag_density = 0.0;
    p.ccr = Some(1.0);
    assert!(generate(&p, 0).unwrap().network.is_none());
    // Only pipeline, and in range.
    p.ccr = Some(0.0);
    assert!(
        generate(&p, 0)
            .unwrap_err()
            .to_string()
            .contains("(0, 1000]")
    );
    let mut p = GeneratorParams::new(Family::AiCluster, 20, 4);
    p.ccr = Some(1.0);
    assert!(
        generate(&p, 0)
            .unwrap_err()
            .to_string()
            .contains("pipeline family only")
    );
}

#[test]
fn generate_ccr_on_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("p.json");
    let (code, _, stderr) = run([
        "generate",
        "--family",
        "pipeline",
        "--tasks",
        "60",
        "--devices",
        "6",
        "--seed",
        "5",
        "--ccr",
        "2",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, Some(0), "{stderr}");
    let inst = hetsched::io::read_instance(&out).unwrap();
    assert!((inst.ccr().unwrap() - 2.0).abs() < 1e-9);
    for solver in ["heft", "cpop", "peft"] {
        let report = hetsched::solve::by_name(solver)
            .unwrap()
            .solve(&inst, &SolveOptions::default())
            .unwrap();
        assert!(
            report.schedule.unwrap().violations(&inst).is_empty(),
            "{solver}"
        );
    }
    let (code, stdout, stderr) = run([
        "generate",
        "--family",
        "ai-cluster",
        "--tasks",
        "10",
        "--devices",
        "2",
        "--ccr",
        "1",
    ]);
    assert_eq!((code, stdout.as_str()), (Some(2), ""), "{stderr}");
    assert!(
        stderr.contains("--ccr does not apply to --family ai-cluster"),
        "{stderr}"
    );
    // Without --ccr the pipeline file has no data and no network.
    let (code, stdout, _) = run([
        "generate",
        "--family",
        "pipeline",
        "--tasks",
        "60",
        "--devices",
        "6",
        "--seed",
        "5",
    ]);
    assert_eq!(code, Some(0));
    assert!(!stdout.contains("\"data\"") && !stdout.contains("\"network\""));
}
