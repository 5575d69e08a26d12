//! The generator's parameters: [`GeneratorParams`], its defaults per family and its
//! validation (the option values it holds are in `options.rs`).

use super::cluster::KINDS;
use super::options::{Consistency, DeviceMix, GpuCounts, Heterogeneity, TaskMix};
use super::{Family, MAX_DEVICES, MAX_ENTRIES, MAX_TASKS};
use crate::error::Error;
use crate::model::Objective;
use serde::{Deserialize, Serialize};

/// Everything [`generate`](super::generate) needs besides the seed. Start from
/// [`GeneratorParams::new`], which gives the family's defaults, and override fields.
///
/// Parameters a family does not use are ignored by it: `etc` ignores `task_mix`, `device_mix`,
/// `memory_tightness` and `due_slack`; `ai-cluster` and `pipeline` ignore `consistency` and
/// `heterogeneity`; `gpu-cluster` ignores `task_mix`, `device_mix`, `consistency` and
/// `heterogeneity`; `trace` uses only `tasks`, `devices` (its number of GPUs), `objective`,
/// `arrival_rate`, `users`, `gpu_counts` and `gpus_per_node`; only `trace` uses the last two.
///
/// ```
/// use hetsched::generate::{generate, Family, GeneratorParams};
/// let mut params = GeneratorParams::new(Family::AiCluster, 50, 8);
/// params.objective = "weighted_tardiness".into();
/// params.dag_density = 0.0; // independent jobs
/// params.memory_tightness = 1.0; // full memory needs: big jobs only fit on big GPUs and CPUs
/// let data = generate(&params, 1).unwrap();
/// assert!(data.tasks.iter().all(|t| t.after.is_empty() && t.due.is_some()));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct GeneratorParams {
    /// The family (default `ai-cluster`).
    pub family: Family,
    /// Number of tasks, 1 to [`MAX_TASKS`].
    pub tasks: usize,
    /// Number of devices, 1 to [`MAX_DEVICES`].
    pub devices: usize,
    /// Objective written into the instance: any name [`Objective`] accepts (default `makespan`).
    /// `etc` instances have no weights, due dates or costs, so only `makespan` and
    /// `weighted_completion` are accepted there.
    pub objective: String,
    /// `ai-cluster` and `pipeline`: shares of training, fine-tuning, inference and preprocessing
    /// tasks.
    pub task_mix: TaskMix,
    /// `ai-cluster` and `pipeline`: shares of the device kinds.
    pub device_mix: DeviceMix,
    /// Releases are drawn uniformly from [0, spread × L), L the estimated makespan (0: every
    /// task released at time 0). Range [0, 10].
    pub release_spread: f64,
    /// Scales the tasks' memory needs: 0 ⇒ every need is 0 (memory never restricts), 1 ⇒ the
    /// full needs (a large training run fits only on 80 GB GPUs and CPUs; in `gpu-cluster`, the
    /// jobs' `mem` demand, up to 56 GB per GPU). Range [0, 1].
    pub memory_tightness: f64,
    /// Expected number of predecessors of a task that can have some (0 ⇒ no edges). Range
    /// [0, 10].
    pub dag_density: f64,
    /// Due dates are the ready time plus s × the task's fastest time, s drawn uniformly from
    /// [1, due_slack]. Range [1, 1000].
    pub due_slack: f64,
    /// `etc` only: consistency of the matrix.
    pub consistency: Consistency,
    /// `etc` only: task and machine heterogeneity.
    pub heterogeneity: Heterogeneity,
    /// `gpu-cluster` and `trace`: the jobs arrive as a Poisson process of this rate (jobs per
    /// hour, the families' time unit; `gpu-cluster`: instead of uniformly over the release
    /// spread). Range (0, 10⁶]. `trace`: default [`TRACE_ARRIVAL_RATE`](super::TRACE_ARRIVAL_RATE).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arrival_rate: Option<f64>,
    /// Each task gets a `user` among `u1` … `uU`, drawn uniformly (0: no `user`, the
    /// default). At most 10⁶.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub users: usize,
    /// `trace` only: single-GPU or multi-GPU jobs (default multi).
    #[serde(default, skip_serializing_if = "is_multi")]
    pub gpu_counts: GpuCounts,
    /// `trace` only: GPUs per device; each GPU type's GPUs fill ⌈N / G⌉ devices, the last one
    /// holding the remainder. `None` (the default): one device per GPU type holding all its
    /// GPUs. At least 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gpus_per_node: Option<usize>,
    /// `pipeline` only: the communication-to-computation ratio. When given, every edge carries
    /// the data (GB) its predecessor sends and the instance gets a network whose bandwidth makes
    /// the mean transfer time of an edge (between two distinct devices) R times the mean task
    /// time (see [`Instance::ccr`](crate::Instance::ccr)). `None` (the default): plain edges,
    /// no network. Range (0, 1000].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ccr: Option<f64>,
}

fn is_zero(x: &usize) -> bool {
    *x == 0
}

fn is_multi(x: &GpuCounts) -> bool {
    *x == GpuCounts::Multi
}

impl GeneratorParams {
    /// The defaults of `family` for `tasks` tasks on `devices` devices.
    ///
    /// | | ai-cluster | etc | pipeline | gpu-cluster | trace |
    /// |---|---|---|---|---|---|
    /// | release_spread | 0.5 | 0 | 0.5 | 0.5 | (unused) |
    /// | memory_tightness | 0.7 | (unused) | 0.7 | 0.7 | (unused) |
    /// | dag_density | 0.5 | 0 | 1.5 | 0 | (unused) |
    /// | due_slack | 3 | (unused) | 3 | 3 | (unused) |
    /// | task_mix (train, fine-tune, infer, prep) | 0.2, 0.15, 0.45, 0.2 | (unused) | 0.2, 0.15, 0.3, 0.35 | (unused) | (unused) |
    /// | arrival_rate | none | none | none | none | 1 job per hour |
    ///
    /// Every family: objective `makespan`, the default [`DeviceMix`], `inconsistent`, `hihi`.
    pub fn new(family: Family, tasks: usize, devices: usize) -> Self {
        let base = GeneratorParams {
            family,
            tasks,
            devices,
            objective: Objective::Makespan.name().to_string(),
            task_mix: TaskMix::default(),
            device_mix: DeviceMix::default(),
            release_spread: 0.5,
            memory_tightness: 0.7,
            dag_density: 0.5,
            due_slack: 3.0,
            consistency: Consistency::default(),
            heterogeneity: Heterogeneity::default(),
            arrival_rate: None,
            users: 0,
            gpu_counts: GpuCounts::Multi,
            gpus_per_node: None,
            ccr: None,
        };
        match family {
            Family::AiCluster => base,
            Family::Etc => GeneratorParams {
                release_spread: 0.0,
                memory_tightness: 0.0,
                dag_density: 0.0,
                ..base
            },
            // Gavel's jobs are independent.
            Family::GpuCluster => GeneratorParams {
                dag_density: 0.0,
                ..base
            },
            Family::Trace => GeneratorParams {
                dag_density: 0.0,
                arrival_rate: Some(super::TRACE_ARRIVAL_RATE),
                ..base
            },
            Family::Pipeline => GeneratorParams {
                dag_density: 1.5,
                task_mix: TaskMix {
                    training: 0.2,
                    fine_tuning: 0.15,
                    inference: 0.3,
                    preprocessing: 0.35,
                },
                ..base
            },
        }
    }

    /// The name [`generate`](super::generate) gives the instance: `<family>-<tasks>x<devices>-s<seed>`.
    ///
    /// ```
    /// use hetsched::generate::{Family, GeneratorParams};
    /// assert_eq!(GeneratorParams::new(Family::Etc, 512, 16).instance_name(3), "etc-512x16-s3");
    /// ```
    pub fn instance_name(&self, seed: u64) -> String {
        format!(
            "{}-{}x{}-s{seed}",
            self.family.name(),
            self.tasks,
            self.devices
        )
    }

    /// Check every parameter; returns the parsed objective, or [`Error::Usage`] listing every
    /// problem.
    ///
    /// ```
    /// use hetsched::generate::{Family, GeneratorParams};
    /// let mut p = GeneratorParams::new(Family::AiCluster, 0, 4);
    /// p.memory_tightness = 1.5;
    /// let err = p.validate().unwrap_err().to_string();
    /// assert!(err.contains("tasks must be at least 1") && err.contains("memory tightness"));
    /// ```
    pub fn validate(&self) -> Result<Objective, Error> {
        let mut problems: Vec<String> = Vec::new();
        if self.tasks == 0 || self.tasks > MAX_TASKS {
            problems.push(format!(
                "the number of tasks must be at least 1 and at most {MAX_TASKS}, got {}",
                self.tasks
            ));
        }
        if self.devices == 0 || self.devices > MAX_DEVICES {
            problems.push(format!(
                "the number of devices must be at least 1 and at most {MAX_DEVICES}, got {}",
                self.devices
            ));
        }
        // trace: `devices` counts GPUs; the instance has the pools.
        let pools = match (self.family, self.gpus_per_node) {
            (Family::Trace, Some(0)) => {
                problems.push("the GPUs per device must be at least 1, got 0".into());
                None
            }
            (Family::Trace, per) => Some(super::trace::pools(self.devices, per)),
            _ => None,
        };
        let device_count = pools.as_ref().map_or(self.devices, Vec::len);
        // The gpu-cluster and trace families' times are per GPU type: their instances hold a
        // time per task and device shape (at most 6), whatever the number of devices.
        if !matches!(self.family, Family::GpuCluster | Family::Trace)
            && self.tasks.saturating_mul(device_count) > MAX_ENTRIES
        {
            problems.push(format!(
                "{} tasks × {device_count} devices exceeds {MAX_ENTRIES} task-device pairs (each \
                 instance holds a processing time per pair once loaded)",
                self.tasks
            ));
        }
        if let Some(pools) = &pools
            && self.gpu_counts == GpuCounts::Multi
            && self.devices > 0
        {
            // Every job runs on V100 (ratio 1), which gets the most GPUs: the 8-GPU jobs need a
            // V100 device of at least 8.
            let largest = super::trace::largest_pool(pools, 0);
            if largest < 8 {
                problems.push(format!(
                    "the multi-GPU mix has jobs of 8 GPUs, but {} GPUs{} give V100 devices of \
                     {largest} GPU(s): use at least 24 GPUs (8 per type) and at least 8 GPUs \
                     per device, or the single-GPU mix",
                    self.devices,
                    self.gpus_per_node
                        .map_or(String::new(), |g| format!(" in devices of {g}")),
                ));
            }
        }
        let objective = match self.objective.parse::<Objective>() {
            Ok(o) => Some(o),
            Err(e) => {
                problems.push(e);
                None
            }
        };
        if self.family == Family::Etc
            && let Some(o) = objective
            && !matches!(o, Objective::Makespan | Objective::WeightedCompletion)
        {
            problems.push(format!(
                "etc instances have no due dates or costs, so {o} is 0 for every schedule: \
                 use makespan or weighted_completion"
            ));
        }
        if self.family == Family::Trace
            && let Some(o) = objective
            && o == Objective::WeightedTardiness
        {
            problems.push(
                "trace jobs have no due dates (Gavel's have no SLO), so weighted_tardiness is 0 \
                 for every schedule: use makespan, weighted_completion or total_cost"
                    .into(),
            );
        }
        if let Some(rate) = self.arrival_rate {
            if !matches!(self.family, Family::GpuCluster | Family::Trace) {
                problems.push(format!(
                    "an arrival rate applies to the gpu-cluster and trace families only, not {}",
                    self.family
                ));
            }
            if !(rate.is_finite() && rate > 0.0 && rate <= 1e6) {
                problems.push(format!(
                    "the arrival rate must be in (0, 1000000] jobs per hour, got {rate}"
                ));
            }
        }
        if let Some(ccr) = self.ccr {
            if self.family != Family::Pipeline {
                problems.push(format!(
                    "a communication-to-computation ratio applies to the pipeline family only, \
                     not {}",
                    self.family
                ));
            }
            if !(ccr.is_finite() && ccr > 0.0 && ccr <= 1000.0) {
                problems.push(format!(
                    "the communication-to-computation ratio must be in (0, 1000], got {ccr}"
                ));
            }
        }
        if self.users > 1_000_000 {
            problems.push(format!(
                "the number of users must be at most 1000000, got {}",
                self.users
            ));
        }
        let mut range = |what: &str, v: f64, lo: f64, hi: f64| {
            if !(v.is_finite() && lo <= v && v <= hi) {
                problems.push(format!("{what} must be in [{lo}, {hi}], got {v}"));
            }
        };
        if self.family != Family::Trace {
            range("release spread", self.release_spread, 0.0, 10.0);
            range("DAG density", self.dag_density, 0.0, 10.0);
        }
        if !matches!(self.family, Family::Etc | Family::Trace) {
            range("memory tightness", self.memory_tightness, 0.0, 1.0);
            range("due slack", self.due_slack, 1.0, 1000.0);
        }
        if matches!(self.family, Family::AiCluster | Family::Pipeline) {
            check_mix(
                &mut problems,
                "task mix",
                &TaskMix::KEYS,
                &self.task_mix.values(),
            );
            let keys: Vec<&str> = KINDS.iter().map(|k| k.name).collect();
            check_mix(
                &mut problems,
                "device mix",
                &keys,
                &self.device_mix.values(),
            );
        }
        if problems.is_empty() {
            Ok(objective.expect("no problem, so the objective parsed"))
        } else {
            Err(Error::Usage(format!(
                "invalid generator parameters: {}",
                problems.join("; ")
            )))
        }
    }
}

impl Default for GeneratorParams {
    /// `ai-cluster`, 20 tasks, 4 devices, with that family's defaults.
    fn default() -> Self {
        GeneratorParams::new(Family::AiCluster, 20, 4)
    }
}

pub(super) fn check_mix(problems: &mut Vec<String>, what: &str, keys: &[&str], values: &[f64]) {
    for (k, v) in keys.iter().zip(values) {
        if !(v.is_finite() && (0.0..=1.0).contains(v)) {
            problems.push(format!("{what}: {k} must be in [0, 1], got {v}"));
        }
    }
    if values.iter().all(|v| *v == 0.0) {
        problems.push(format!("{what}: at least one share must be positive"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::generate;

    fn params(family: Family, n: usize, m: usize) -> GeneratorParams {
        GeneratorParams::new(family, n, m)
    }

    #[test]
    fn generate_rejects_bad_parameters() {
        let bad = |f: &dyn Fn(&mut GeneratorParams), family: Family, words: &str| {
            let mut p = params(family, 20, 4);
            f(&mut p);
            let err = generate(&p, 0).unwrap_err();
            assert!(matches!(err, Error::Usage(_)), "{err}");
            assert!(err.to_string().contains(words), "{err} lacks {words}");
        };
        bad(&|p| p.tasks = 0, Family::AiCluster, "number of tasks");
        bad(&|p| p.devices = 0, Family::Pipeline, "number of devices");
        bad(&|p| p.tasks = MAX_TASKS + 1, Family::Etc, "number of tasks");
        bad(
            &|p| (p.tasks, p.devices) = (100_000, 1000),
            Family::Etc,
            "exceeds",
        );
        bad(
            &|p| p.memory_tightness = 1.5,
            Family::AiCluster,
            "memory tightness",
        );
        bad(
            &|p| p.memory_tightness = f64::NAN,
            Family::Pipeline,
            "memory tightness",
        );
        bad(
            &|p| p.release_spread = -0.1,
            Family::AiCluster,
            "release spread",
        );
        bad(&|p| p.dag_density = 11.0, Family::Etc, "DAG density");
        bad(&|p| p.due_slack = 0.5, Family::AiCluster, "due slack");
        bad(
            &|p| p.task_mix.inference = 1.2,
            Family::AiCluster,
            "inference",
        );
        bad(
            &|p| p.task_mix.training = -0.2,
            Family::Pipeline,
            "training",
        );
        bad(
            &|p| {
                p.device_mix = DeviceMix {
                    h100: 0.0,
                    a100: 0.0,
                    v100: 0.0,
                    t4: 0.0,
                    accel: 0.0,
                    cpu: 0.0,
                }
            },
            Family::AiCluster,
            "at least one share",
        );
        bad(
            &|p| p.objective = "fastest".into(),
            Family::AiCluster,
            "unknown objective",
        );
        bad(
            &|p| p.objective = "weighted_tardiness".into(),
            Family::Etc,
            "no due dates",
        );
        // Mix text.
        assert!(
            "training=2"
                .parse::<TaskMix>()
                .unwrap_err()
                .contains("[0, 1]")
        );
        assert!(
            "gpu=1"
                .parse::<DeviceMix>()
                .unwrap_err()
                .contains("unknown key")
        );
        assert!(
            "training"
                .parse::<TaskMix>()
                .unwrap_err()
                .contains("KEY=VALUE")
        );
        assert!(
            "training=x"
                .parse::<TaskMix>()
                .unwrap_err()
                .contains("not a number")
        );
        assert!(
            "training=0"
                .parse::<TaskMix>()
                .unwrap_err()
                .contains("positive")
        );
        assert!(
            "cpu=1,cpu=0.5"
                .parse::<DeviceMix>()
                .unwrap_err()
                .contains("more than once")
        );
        assert!("nope".parse::<Family>().unwrap_err().contains("ai-cluster"));
    }

    #[test]
    fn gpu_cluster_checks_what_it_uses_and_ignores_the_rest() {
        let mut p = params(Family::GpuCluster, 20, 4);
        p.memory_tightness = 1.5;
        p.due_slack = 0.0;
        let err = p.validate().unwrap_err().to_string();
        assert!(
            err.contains("memory tightness") && err.contains("due slack"),
            "{err}"
        );
        // The mixes are not used, so not checked (as for etc).
        let mut p = params(Family::GpuCluster, 20, 4);
        p.task_mix.training = 2.0;
        p.device_mix.cpu = -1.0;
        assert!(matches!(p.validate(), Ok(Objective::Makespan)));
        assert_eq!(p.dag_density, 0.0);
        p.objective = "total_cost".into();
        assert!(generate(&p, 0).is_ok());
    }

    #[test]
    fn names_round_trip() {
        for f in Family::ALL {
            assert_eq!(f.name().parse::<Family>(), Ok(f));
        }
        for c in Consistency::ALL {
            assert_eq!(c.name().parse::<Consistency>(), Ok(c));
        }
        for h in Heterogeneity::ALL {
            assert_eq!(h.name().parse::<Heterogeneity>(), Ok(h));
        }
        let mix = TaskMix::default();
        assert_eq!(mix.to_string().parse::<TaskMix>(), Ok(mix));
        let mix = DeviceMix::default();
        assert_eq!(mix.to_string().parse::<DeviceMix>(), Ok(mix));
        assert_eq!("fine_tuning=1".parse::<TaskMix>().unwrap().fine_tuning, 1.0);
        // The parameters serialize (e.g. to record them next to a generated set).
        let p = GeneratorParams::new(Family::Pipeline, 10, 3);
        let text = serde_json::to_string(&p).unwrap();
        assert!(text.contains("\"family\":\"pipeline\""), "{text}");
        assert_eq!(serde_json::from_str::<GeneratorParams>(&text).unwrap(), p);
    }
}
