//! Sharing between users: weighted fair share of running jobs, and dominant resource fairness
//! (DRF, Ghodsi et al. 2011) across resource types.

use super::policy::{Decision, Policy, View};
use crate::model::Instance;
use std::collections::BTreeMap;

/// Progressive filling between users: at every decision, repeatedly the user with the smallest
/// share (ties: the one whose job arrived first) starts its earliest waiting job that fits
/// somewhere, on the device where it ends first; until no waiting job fits. Work-conserving.
///
/// - `fair` (`dominant: false`): a user's share is the number of its running jobs.
/// - `drf` (`dominant: true`): a user's share is its dominant share: over every resource type,
///   what its running jobs hold of the cluster's total. The types are the resources of the
///   devices with `resources` (an exclusive job holds all of its device's) and, for devices
///   without, one type per device kind (each device one unit).
///
/// Tasks without `user` form one user, "-".
#[derive(Debug, Clone)]
pub struct FairShare {
    /// Dominant resource fairness instead of counting jobs.
    pub dominant: bool,
}

/// The resource types of DRF: per device, the types and amounts a job there holds.
struct Types {
    total: Vec<f64>,
    /// Type index of each device kind (devices without `resources`).
    of_device: Vec<Option<usize>>,
}

impl Types {
    fn new(inst: &Instance) -> Types {
        let r = inst.num_resources();
        let mut total = vec![0.0; r];
        let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
        let mut of_device = vec![None; inst.num_devices()];
        for (d, dev) in inst.devices().iter().enumerate() {
            if inst.offers_resources(d) {
                for (k, x) in total.iter_mut().enumerate() {
                    *x += inst.resource_capacity(d, k);
                }
            } else {
                let kind = dev.kind.clone().unwrap_or_else(|| dev.id.clone());
                let next = r + kinds.len();
                let k = *kinds.entry(kind).or_insert(next);
                if k == total.len() {
                    total.push(0.0);
                }
                total[k] += 1.0;
                of_device[d] = Some(k);
            }
        }
        Types { total, of_device }
    }

    /// Add what job `t` holds on device `d` to `usage`.
    fn add(&self, inst: &Instance, t: usize, d: usize, usage: &mut [f64]) {
        match self.of_device[d] {
            Some(k) => usage[k] += 1.0,
            None => {
                for (k, u) in usage.iter_mut().enumerate().take(inst.num_resources()) {
                    *u += inst.held(t, d, k);
                }
            }
        }
    }

    fn dominant(&self, usage: &[f64]) -> f64 {
        usage
            .iter()
            .zip(&self.total)
            .filter(|&(_, &total)| total > 0.0)
            .map(|(u, total)| u / total)
            .fold(0.0, f64::max)
    }
}

impl Policy for FairShare {
    fn decide(&mut self, view: &View, decision: &mut Decision) {
        let inst = view.instance();
        let types = Types::new(inst);
        let user_of = |t: usize| inst.task(t).user.as_deref().unwrap_or("-");
        let mut usage: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
        let mut running: BTreeMap<&str, usize> = BTreeMap::new();
        for (t, d) in view.running() {
            let u = usage
                .entry(user_of(t))
                .or_insert_with(|| vec![0.0; types.total.len()]);
            types.add(inst, t, d, u);
            *running.entry(user_of(t)).or_default() += 1;
        }
        // Per user its waiting jobs, in order of arrival.
        let mut queues: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for t in view.waiting() {
            queues.entry(user_of(t)).or_default().push(t);
        }
        loop {
            let share = |user: &str| {
                if self.dominant {
                    usage.get(user).map_or(0.0, |u| types.dominant(u))
                } else {
                    running.get(user).copied().unwrap_or(0) as f64
                }
            };
            // Each user's first waiting job that fits somewhere now, with its device.
            let candidates = queues.iter().filter_map(|(&user, jobs)| {
                jobs.iter()
                    .find_map(|&t| decision.fastest_fit(view, t).map(|d| (user, t, d)))
            });
            let best = candidates.min_by(|a, b| {
                share(a.0)
                    .total_cmp(&share(b.0))
                    .then(view.arrival(a.1).total_cmp(&view.arrival(b.1)))
                    .then(a.1.cmp(&b.1))
            });
            let Some((user, t, d)) = best else { break };
            decision.start(view, t, d);
            queues
                .get_mut(user)
                .expect("a user with a candidate")
                .retain(|&u| u != t);
            let u = usage
                .entry(user)
                .or_insert_with(|| vec![0.0; types.total.len()]);
            types.add(inst, t, d, u);
            *running.entry(user).or_default() += 1;
        }
    }
}
