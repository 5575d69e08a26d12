//! First come, first served with EASY backfilling (Lifka 1995), what Slurm does.

use super::DeviceState;
use super::policy::{Decision, Policy, View};
use crate::model::Instance;

/// Jobs start in order of arrival, each on the device where it fits now and ends first. The
/// first job that fits nowhere (the *head*) gets a reservation: the earliest time and device
/// where it would fit once the running jobs end as estimated (start + estimated time). A later
/// job may start now — *backfill* — only where it cannot delay that reservation: on another
/// device, ending (by the estimate) by the reserved time, or leaving the head room beside it
/// then. Not work-conserving: a device may idle while a job that fits waits behind the head.
/// When the head can fit nowhere even after every running job ends, there is no reservation.
#[derive(Debug, Clone, Default)]
pub struct Backfill;

/// Whether job `t` fits on device `d` beside `others` (the jobs holding it then).
fn fits_beside(inst: &Instance, t: usize, d: usize, others: &[usize]) -> bool {
    let mut dev = DeviceState {
        held: vec![0.0; inst.num_resources()],
        ..DeviceState::default()
    };
    for &u in others {
        dev.hold(inst, u, d);
    }
    dev.has_room(inst, t, d)
}

/// The jobs on each device with their estimated ends: those running and those this decision
/// started.
fn holders(view: &View, decision: &Decision) -> Vec<(usize, usize, f64)> {
    let now = view.now();
    view.running()
        .filter(|&(t, _)| !decision.is_stopped(t))
        .map(|(t, d)| (t, d, now + view.remaining(t, d)))
        .chain(
            decision
                .starts
                .iter()
                .map(|&(t, d)| (t, d, now + view.remaining(t, d))),
        )
        .collect()
}

/// The earliest (time, device) at which job `t` fits once the jobs in `holding` end as
/// estimated, if any.
fn reserve(view: &View, holding: &[(usize, usize, f64)], t: usize) -> Option<(f64, usize)> {
    let inst = view.instance();
    let now = view.now();
    let mut times: Vec<f64> = holding
        .iter()
        .map(|h| h.2)
        .chain(
            inst.eligible(t)
                .iter()
                .map(|&d| inst.device(d).available_from),
        )
        .map(|x| x.max(now))
        .collect();
    times.push(now);
    times.sort_by(f64::total_cmp);
    times.dedup();
    times.into_iter().find_map(|at| {
        inst.eligible(t)
            .iter()
            .copied()
            .filter(|&d| inst.device(d).available_from <= at)
            .filter(|&d| {
                let others: Vec<usize> = holding
                    .iter()
                    .filter(|h| h.1 == d && h.2 > at)
                    .map(|h| h.0)
                    .collect();
                fits_beside(inst, t, d, &others)
            })
            .min_by(|&a, &b| {
                inst.ptime(t, a)
                    .total_cmp(&inst.ptime(t, b))
                    .then(a.cmp(&b))
            })
            .map(|d| (at, d))
    })
}

impl Policy for Backfill {
    fn decide(&mut self, view: &View, decision: &mut Decision) {
        let inst = view.instance();
        let now = view.now();
        let mut reservation: Option<(usize, f64, usize)> = None;
        let mut blocked = false;
        for t in view.waiting() {
            if !blocked {
                if let Some(d) = decision.fastest_fit(view, t) {
                    decision.start(view, t, d);
                    continue;
                }
                blocked = true;
                reservation = reserve(view, &holders(view, decision), t).map(|(at, d)| (t, at, d));
                continue;
            }
            // Backfill: a device where t fits now and cannot delay the head's reservation.
            let harmless = |e: usize| match reservation {
                None => true,
                Some((head, at, d)) => {
                    if e != d || now + view.remaining(t, e) <= at {
                        return true;
                    }
                    let mut others: Vec<usize> = holders(view, decision)
                        .iter()
                        .filter(|h| h.1 == d && h.2 > at)
                        .map(|h| h.0)
                        .collect();
                    others.push(t);
                    fits_beside(inst, head, d, &others)
                }
            };
            let best = inst
                .eligible(t)
                .iter()
                .copied()
                .filter(|&e| decision.fits(view, t, e) && harmless(e))
                .min_by(|&a, &b| {
                    view.remaining(t, a)
                        .total_cmp(&view.remaining(t, b))
                        .then(a.cmp(&b))
                });
            if let Some(e) = best {
                decision.start(view, t, e);
            }
        }
    }
}
