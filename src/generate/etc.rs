//! The `etc` family: the range-based ETC matrices of Braun et al. (2001).

use super::draw::{draw_count, estimated_makespan, round2, uniform};
use super::{Consistency, GeneratorParams, STREAM_EDGES, STREAM_RELEASES, STREAM_TASKS};
use crate::model::{Device, Task};
use crate::solve::meta::rng_stream;
use rand::Rng;

/// The ETC instance of `params` for `seed`: machines `m0` … and tasks `t0` … with one time per
/// machine.
pub(super) fn etc(params: &GeneratorParams, seed: u64) -> (Vec<Device>, Vec<Task>) {
    let (n, m) = (params.tasks, params.devices);
    let devices: Vec<Device> = (0..m).map(|d| Device::new(format!("m{d}"))).collect();
    let (phi_b, phi_r) = (
        params.heterogeneity.task_range(),
        params.heterogeneity.machine_range(),
    );
    let mut rng = rng_stream(seed, STREAM_TASKS);
    let mut rows: Vec<Vec<f64>> = Vec::with_capacity(n);
    for _ in 0..n {
        let baseline = uniform(&mut rng, 1.0, phi_b);
        let mut row: Vec<f64> = (0..m)
            .map(|_| round2(baseline * uniform(&mut rng, 1.0, phi_r)))
            .collect();
        match params.consistency {
            Consistency::Consistent => row.sort_by(f64::total_cmp),
            Consistency::SemiConsistent => {
                let mut even: Vec<f64> = row.iter().copied().step_by(2).collect();
                even.sort_by(f64::total_cmp);
                for (slot, v) in row.iter_mut().step_by(2).zip(even) {
                    *slot = v;
                }
            }
            Consistency::Inconsistent => {}
        }
        rows.push(row);
    }
    let horizon = params.release_spread * estimated_makespan(rows.iter().map(|r| &r[..]));
    let mut rng = rng_stream(seed, STREAM_RELEASES);
    let release: Vec<f64> = (0..n)
        .map(|_| round2(rng.random::<f64>() * horizon))
        .collect();
    // Edges: task v picks its predecessors among the tasks before it.
    let mut rng = rng_stream(seed, STREAM_EDGES);
    let tasks = rows
        .into_iter()
        .enumerate()
        .map(|(t, row)| {
            let mut task = Task::new(format!("t{t}"), 0.0);
            task.work = None;
            task.times = Some(
                row.into_iter()
                    .enumerate()
                    .map(|(d, v)| (format!("m{d}"), v))
                    .collect(),
            );
            task.release = release[t];
            if params.dag_density > 0.0 && t > 0 {
                let k = draw_count(&mut rng, params.dag_density).min(t);
                let mut chosen = rand::seq::index::sample(&mut rng, t, k).into_vec();
                chosen.sort_unstable();
                task.after = chosen
                    .into_iter()
                    .map(|u| format!("t{u}"))
                    .map(Into::into)
                    .collect();
            }
            task
        })
        .collect();
    (devices, tasks)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Instance;
    use crate::generate::{Family, Heterogeneity, generate};

    fn params(family: Family, n: usize, m: usize) -> GeneratorParams {
        GeneratorParams::new(family, n, m)
    }

    #[test]
    fn etc_is_valid_for_every_consistency_and_heterogeneity() {
        for c in Consistency::ALL {
            for h in Heterogeneity::ALL {
                let mut p = params(Family::Etc, 40, 5);
                p.consistency = c;
                p.heterogeneity = h;
                p.dag_density = 3.0;
                p.release_spread = 1.0;
                for seed in 0..20 {
                    Instance::new(generate(&p, seed).unwrap()).unwrap();
                }
            }
        }
    }

    #[test]
    fn etc_consistency() {
        let rows = |c: Consistency| -> Vec<Vec<f64>> {
            let mut p = params(Family::Etc, 50, 6);
            p.consistency = c;
            generate(&p, 9)
                .unwrap()
                .tasks
                .iter()
                .map(|t| t.times.as_ref().unwrap().values().copied().collect())
                .collect()
        };
        // BTreeMap order is m0..m5 for 6 machines.
        let sorted = |r: &[f64]| r.windows(2).all(|w| w[0] <= w[1]);
        assert!(rows(Consistency::Consistent).iter().all(|r| sorted(r)));
        let semi = rows(Consistency::SemiConsistent);
        assert!(semi.iter().all(|r| {
            let even: Vec<f64> = r.iter().copied().step_by(2).collect();
            sorted(&even)
        }));
        assert!(!semi.iter().all(|r| sorted(r)));
        assert!(!rows(Consistency::Inconsistent).iter().all(|r| sorted(r)));
        // Ranges: hihi up to 3000 × 1000, lolo below 100 × 10.
        let mut p = params(Family::Etc, 200, 8);
        p.heterogeneity = Heterogeneity::LoLo;
        let data = generate(&p, 1).unwrap();
        let max = data
            .tasks
            .iter()
            .flat_map(|t| t.times.as_ref().unwrap().values().copied())
            .fold(0.0, f64::max);
        assert!((100.0..=1000.0).contains(&max), "{max}");
    }
}
