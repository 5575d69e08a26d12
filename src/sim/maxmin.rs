//! Heterogeneity-aware max-min fairness, after Gavel (Narayanan et al., OSDI 2020): a linear
//! program shares the device classes' time among the jobs present so that the smallest
//! normalized throughput is as large as possible, and jobs run where the allocation owes them
//! most.

use super::{Decision, Policy, View};
use crate::solve::milp::solve_lp;
use good_lp::{Expression, ProblemVariables, Solution, Variable, variable};
use rustc_hash::FxHashMap;

/// Gavel's heterogeneity-aware max-min fairness (`maxmin` on the command line; preemptive,
/// decides at every event and every quantum).
///
/// **Allocation.** When the set of jobs present (waiting or running) changes, an LP over the
/// device classes ([`crate::Instance::device_class`]) gives each job j a share x(j, c) of
/// class c's time: Σ_c x(j, c) ≤ 1; Σ_j size(j, c) · x(j, c) ≤ the devices of class c that are
/// up, where size is the largest fraction of a device's resources the job holds (1 on a device
/// it holds alone); and it maximises z with Σ_c x(j, c) · p_min(j) / p(j, c) ≥ weight(j) · z
/// for every job — the throughput of each job relative to its fastest device, the least of
/// them as large as possible (plus 10⁻³ of their mean, so that capacity no job's minimum needs
/// is not left idle). Running alone on its fastest device a job has throughput 1.
///
/// **Rounds.** At every decision the running jobs stop and, by priority — a job's total share
/// divided by the fraction of the time since its arrival it has run (Gavel's priorities;
/// infinite before it first runs) — each job starts on the class where its share is largest
/// among those where it fits (its current device first), then the jobs left start where they
/// end first, so that no device idles while a job fits there.
#[derive(Debug, Default)]
pub struct MaxMin {
    /// The jobs present at the last allocation (sorted).
    present: Vec<usize>,
    /// Per job, its shares (class, share) with share > 0, largest first.
    shares: FxHashMap<usize, Vec<(usize, f64)>>,
    /// Allocations computed so far.
    pub allocations: usize,
    /// Allocations the LP solver failed to compute (the jobs then start where they end first).
    pub failures: usize,
}

impl MaxMin {
    /// The policy, with no allocation yet.
    pub fn new() -> MaxMin {
        MaxMin::default()
    }

    /// Solve the allocation LP for `jobs`: per job its shares of the classes, largest first.
    pub fn allocate(view: &View, jobs: &[usize]) -> Option<FxHashMap<usize, Vec<(usize, f64)>>> {
        let inst = view.instance();
        let classes = inst.num_device_classes();
        let mut up = vec![0usize; classes];
        for d in 0..inst.num_devices() {
            if view.state.devices[d].up(view.now(), inst, d) {
                up[inst.device_class(d)] += 1;
            }
        }
        let size = |t: usize, d: usize| -> f64 {
            if !inst.shares(t, d) {
                return 1.0;
            }
            (0..inst.num_resources())
                .filter(|&k| inst.resource_capacity(d, k) > 0.0)
                .map(|k| inst.held(t, d, k) / inst.resource_capacity(d, k))
                .fold(0.0, f64::max)
        };
        let mut vars = ProblemVariables::new();
        let z = vars.add(variable().min(0.0));
        let mut x: Vec<Vec<(usize, Variable)>> = Vec::with_capacity(jobs.len());
        for &t in jobs {
            let row = inst
                .eligible_classes(t)
                .iter()
                .filter(|&&c| up[c] > 0)
                .map(|&c| (c, vars.add(variable().min(0.0).max(1.0))))
                .collect();
            x.push(row);
        }
        let mut constraints = Vec::new();
        let mut load: Vec<Expression> = vec![Expression::default(); classes];
        let mut total = Expression::default();
        for (i, &t) in jobs.iter().enumerate() {
            let fastest = inst.min_ptime(t);
            let mut time = Expression::default();
            let mut throughput = Expression::default();
            for &(c, v) in &x[i] {
                time += v;
                let p = inst.class_ptime(t, c);
                let speed = if p > 0.0 { fastest / p } else { 1.0 };
                throughput += speed * v;
                load[c] += size(t, inst.class_device(c)) * v;
            }
            constraints.push(time.leq(1.0));
            total += throughput.clone();
            constraints.push(throughput.geq(inst.task(t).weight * z));
        }
        for (c, l) in load.into_iter().enumerate() {
            if up[c] > 0 {
                constraints.push(l.leq(up[c] as f64));
            }
        }
        let objective = z + total * (1e-3 / jobs.len().max(1) as f64);
        let solution = solve_lp(vars, objective, true, constraints).ok()?;
        Some(
            jobs.iter()
                .zip(&x)
                .map(|(&t, row)| {
                    let mut shares: Vec<(usize, f64)> = row
                        .iter()
                        .map(|&(c, v)| (c, solution.value(v)))
                        .filter(|&(_, s)| s > 1e-9)
                        .collect();
                    shares.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
                    (t, shares)
                })
                .collect(),
        )
    }

    /// Job `t`'s priority: its total share ÷ the fraction of the time since its arrival it has
    /// run (infinite before it first runs; 0 without a share).
    fn priority(&self, view: &View, t: usize) -> f64 {
        let share: f64 = self
            .shares
            .get(&t)
            .map_or(0.0, |s| s.iter().map(|x| x.1).sum());
        let since = view.now() - view.arrival(t);
        let ran = if since > 0.0 {
            view.attained(t) / since
        } else {
            0.0
        };
        if share <= 0.0 {
            0.0
        } else if ran <= 0.0 {
            f64::INFINITY
        } else {
            share / ran
        }
    }
}

impl Policy for MaxMin {
    fn decide(&mut self, view: &View, decision: &mut Decision) {
        let running: Vec<usize> = view.running().map(|(t, _)| t).collect();
        let mut jobs: Vec<usize> = view.waiting().chain(running.iter().copied()).collect();
        jobs.sort_unstable();
        if jobs.is_empty() {
            return;
        }
        if jobs != self.present {
            self.allocations += 1;
            self.shares = Self::allocate(view, &jobs).unwrap_or_else(|| {
                self.failures += 1;
                FxHashMap::default()
            });
            self.present = jobs.clone();
        }
        for &t in &running {
            decision.stop(view, t);
        }
        let mut order: Vec<(f64, f64, usize)> = jobs
            .iter()
            .map(|&t| (self.priority(view, t), view.arrival(t), t))
            .collect();
        order.sort_by(|a, b| {
            b.0.total_cmp(&a.0)
                .then(a.1.total_cmp(&b.1))
                .then(a.2.cmp(&b.2))
        });
        let inst = view.instance();
        let mut left = Vec::new();
        for &(_, _, t) in &order {
            if decision.open_devices(view) == 0 {
                break;
            }
            let shares = self.shares.get(&t).map_or(&[][..], |s| &s[..]);
            let current = view.device_of(t);
            let placed = shares.iter().find_map(|&(c, _)| {
                current
                    .filter(|&d| inst.device_class(d) == c && decision.fits(view, t, d))
                    .or_else(|| decision.first_fit(view, t, c))
            });
            match placed {
                Some(d) => {
                    decision.start(view, t, d);
                }
                None => left.push(t),
            }
        }
        for t in left {
            if decision.open_devices(view) == 0 {
                break;
            }
            if let Some(d) = decision.fastest_fit(view, t) {
                decision.start(view, t, d);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Instance;
    use crate::sim::{Options, simulate};

    fn instance(json: &str) -> Instance {
        Instance::new(serde_json::from_str(json).unwrap()).unwrap()
    }

    /// Records the allocation of the first decision.
    struct First(Option<FxHashMap<usize, Vec<(usize, f64)>>>);

    impl Policy for First {
        fn decide(&mut self, view: &View, decision: &mut Decision) {
            let jobs: Vec<usize> = view.waiting().collect();
            if self.0.is_none() {
                self.0 = MaxMin::allocate(view, &jobs);
            }
            for t in jobs {
                if let Some(d) = decision.fastest_fit(view, t) {
                    decision.start(view, t, d);
                }
            }
        }
    }

    #[test]
    fn the_allocation_maximises_the_least_normalized_throughput() {
        // "a" is 10× faster on the fast device, "b" 1.2×. Each alone on a device: a gets 1,
        // b 1/1.2. Max-min moves a share f of the fast device to b: a = 1 − 0.9 f,
        // b = 5/6 + f/6, equal at f = 15/96, both 0.859375.
        let inst = instance(
            r#"{"devices": [{"id": "fast", "kind": "f"}, {"id": "slow", "kind": "s"}],
                "tasks": [{"id": "a", "times": {"f": 1, "s": 10}},
                          {"id": "b", "times": {"f": 1, "s": 1.2}}]}"#,
        );
        let mut first = First(None);
        simulate(&inst, &mut first, &Options::default()).unwrap();
        let shares = first.0.expect("an allocation");
        let share = |t: usize, c: usize| shares[&t].iter().find(|s| s.0 == c).map_or(0.0, |s| s.1);
        let (f, s) = (inst.device_class(0), inst.device_class(1));
        assert!((share(1, f) - 15.0 / 96.0).abs() < 1e-6, "{shares:?}");
        assert!(
            (share(0, f) - (1.0 - 15.0 / 96.0)).abs() < 1e-6,
            "{shares:?}"
        );
        let a = share(0, f) + share(0, s) / 10.0;
        let b = share(1, f) + share(1, s) / 1.2;
        assert!((a - 0.859375).abs() < 1e-6 && (b - 0.859375).abs() < 1e-6);
    }

    #[test]
    fn jobs_go_where_their_share_is() {
        // Two devices per kind; "a" jobs gain 10× on the fast kind, "b" jobs 1.2×: the
        // allocation sends the a jobs to the fast devices and the b jobs to the slow ones
        // (where a greedy fastest-device rule sends whoever comes first to the fast ones).
        let inst = instance(
            r#"{"devices": [{"id": "f0", "kind": "f"}, {"id": "f1", "kind": "f"},
                            {"id": "s0", "kind": "s"}, {"id": "s1", "kind": "s"}],
                "tasks": [{"id": "b0", "times": {"f": 10, "s": 12}},
                          {"id": "b1", "times": {"f": 10, "s": 12}},
                          {"id": "a0", "times": {"f": 10, "s": 100}},
                          {"id": "a1", "times": {"f": 10, "s": 100}}]}"#,
        );
        let options = Options {
            preemption: true,
            quantum: Some(1.0),
            ..Options::default()
        };
        let run = simulate(&inst, &mut MaxMin::new(), &options).unwrap();
        assert!(run.schedule.violations(&inst).is_empty());
        // When the a jobs end at 10 the b jobs, alone, get the fast devices: their last sixth
        // takes 10 / 6 there.
        let b = 10.0 + 10.0 / 6.0;
        for (t, expected) in [b, b, 10.0, 10.0].into_iter().enumerate() {
            assert!(
                (run.completions[t] - expected).abs() < 1e-9,
                "{:?}",
                run.completions
            );
        }
        assert_eq!((run.metrics.preemptions, run.metrics.migrations), (2, 2));
    }
}
