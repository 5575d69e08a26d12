//! The batch planning API: many generated instances planned in parallel, one checked result
//! per instance, failures kept to their own instance.

use hetsched::batch::Batch;
use hetsched::generate::{Family, GeneratorParams, generate};
use hetsched::{Device, Instance, InstanceData, SolveOptions, Task};

/// 100 generated instances: the three families, several sizes and every objective the family
/// supports.
fn generated() -> Vec<Instance> {
    let families = [Family::AiCluster, Family::Etc, Family::Pipeline];
    (0..100u64)
        .map(|k| {
            let family = families[k as usize % 3];
            let tasks = 8 + (k as usize * 7) % 33;
            let devices = 2 + (k as usize) % 5;
            let mut params = GeneratorParams::new(family, tasks, devices);
            let objectives: &[&str] = match family {
                Family::Etc => &["makespan", "weighted_completion"],
                _ => &[
                    "makespan",
                    "weighted_completion",
                    "weighted_tardiness",
                    "total_cost",
                ],
            };
            params.objective = objectives[(k as usize / 3) % objectives.len()].to_string();
            let data = generate(&params, 1000 + k).expect("valid parameters");
            Instance::new(data).expect("generated instances are valid")
        })
        .collect()
}

fn assert_checked(
    instances: &[Instance],
    results: &[Result<hetsched::SolveReport, hetsched::Error>],
) {
    assert_eq!(results.len(), instances.len());
    for (inst, r) in instances.iter().zip(results) {
        let report = r
            .as_ref()
            .unwrap_or_else(|e| panic!("{}: {e}", inst.name()));
        let schedule = report.schedule.as_ref().expect("a schedule");
        let violations = schedule.violations(inst);
        assert!(violations.is_empty(), "{}: {violations:?}", inst.name());
        let value = report.value.expect("a value");
        let recomputed = schedule.value(inst);
        assert!(
            (value - recomputed).abs() <= 1e-6 * recomputed.abs().max(1.0),
            "{}: reported {value}, recomputed {recomputed}",
            inst.name()
        );
    }
}

#[test]
fn a_hundred_generated_instances_are_planned_in_parallel_and_every_result_is_checked() {
    let instances = generated();
    for solver in ["best-greedy", "ls"] {
        let solver = hetsched::solve::by_name(solver).unwrap();
        let results = Batch::new(solver.as_ref()).jobs(2).plan(&instances);
        assert_checked(&instances, &results);
        // Untimed, the result does not depend on how many run at once.
        let one_at_a_time = Batch::new(solver.as_ref()).jobs(1).plan(&instances[..12]);
        for (a, b) in results.iter().zip(&one_at_a_time) {
            let (a, b) = (a.as_ref().unwrap(), b.as_ref().unwrap());
            assert_eq!(a.value, b.value);
            assert_eq!(a.schedule, b.schedule);
        }
    }
}

#[test]
fn a_failing_instance_gets_its_own_error_and_the_others_their_schedules() {
    let mut instances = generated()[..5].to_vec();
    // One task longer than the only device's capacity: no schedule exists.
    instances.insert(
        2,
        Instance::new(InstanceData {
            name: Some("too-small".into()),
            objective: None,
            devices: vec![Device {
                capacity: Some(5.0),
                ..Device::new("gpu")
            }],
            tasks: vec![Task::new("big", 10.0)],
            network: None,
        })
        .unwrap(),
    );
    let solver = hetsched::solve::by_name("min-min").unwrap();
    let results = Batch::new(solver.as_ref())
        .options(SolveOptions {
            seed: 7,
            ..Default::default()
        })
        .plan(&instances);
    assert_eq!(results.len(), 6);
    let err = results[2].as_ref().unwrap_err().to_string();
    assert!(err.contains("big"), "{err}");
    let ok: Vec<Instance> = instances
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != 2)
        .map(|(_, x)| x.clone())
        .collect();
    let ok_results: Vec<_> = results
        .into_iter()
        .enumerate()
        .filter(|(i, _)| *i != 2)
        .map(|(_, r)| r)
        .collect();
    assert_checked(&ok, &ok_results);
}
