//! Local search on genomes, with incremental evaluation where the objective allows.
//!
//! - makespan on an independent instance ([`Mode::Loads`]): moves of a task off the critical
//!   (latest-finishing) device and swaps of a critical task with a task elsewhere, evaluated from
//!   the two device loads involved — O(1) per neighbour; when none lowers the makespan, a move
//!   or swap between two other devices that lowers the later of their finishes (the sorted
//!   finish times fall lexicographically: room for the critical device's tasks);
//! - weighted completion on an independent instance ([`Mode::Smith`]): moves of any task to any
//!   device, evaluated from Smith-ordered prefix sums on the two devices — O(log k) per neighbour;
//! - anything else ([`Mode::Timetable`]): device moves and order shifts, each evaluated by decoding.
//!
//! Every search stops at a local optimum or when the [`Budget`] runs out.

use super::eval::{Evaluator, Genome, Mode};
use crate::model::Instance;
use crate::solve::{Cancel, Exchange, ProgressLog};
use rand::Rng;
use rand::seq::SliceRandom;
use std::sync::Arc;
use std::time::Instant;

/// When a search must stop, and how many evaluations it has made.
#[derive(Debug, Clone)]
pub struct Budget {
    /// Wall-clock deadline.
    pub deadline: Option<Instant>,
    /// Neighbours and genomes evaluated so far.
    pub evaluations: u64,
    /// Print the best value about once a second on standard error.
    pub verbose: bool,
    /// When the run started (for progress lines).
    pub started: Instant,
    /// Stop once this is cancelled ([`crate::SolveOptions::cancel`]).
    pub cancel: Option<Cancel>,
    /// Where to record each new best value (the anytime curve), when the caller keeps one.
    pub progress: Option<Arc<ProgressLog>>,
    /// Where to offer new best schedules and look for better ones found by other searches
    /// ([`crate::SolveOptions::exchange`]).
    pub exchange: Option<Arc<Exchange>>,
}

impl Budget {
    /// A budget with an optional deadline.
    pub fn new(deadline: Option<Instant>) -> Self {
        Budget {
            deadline,
            evaluations: 0,
            verbose: false,
            started: Instant::now(),
            cancel: None,
            progress: None,
            exchange: None,
        }
    }

    /// Record a new best value in the progress log, if there is one.
    #[inline]
    pub fn record(&self, value: f64) {
        if let Some(log) = &self.progress {
            log.value(value);
        }
    }

    /// True once the deadline has passed or the run was cancelled.
    #[inline]
    pub fn exhausted(&self) -> bool {
        self.deadline.is_some_and(|d| Instant::now() >= d)
            || self.cancel.as_ref().is_some_and(Cancel::is_cancelled)
    }
}

/// Improve `g` (whose value is `value`) to a local optimum; returns the new value.
pub fn improve<R: Rng>(
    ev: &Evaluator,
    g: &mut Genome,
    value: f64,
    budget: &mut Budget,
    rng: &mut R,
) -> f64 {
    if !value.is_finite() {
        return value;
    }
    match ev.mode() {
        Mode::Loads => improve_loads(ev.instance(), &mut g.device, budget),
        Mode::Smith => improve_smith(ev.instance(), &mut g.device, budget),
        Mode::Timetable => improve_timetable(ev, g, value, budget, rng),
    }
}

/// Makespan local search on device loads (see the module documentation).
pub fn improve_loads(inst: &Instance, device: &mut [usize], budget: &mut Budget) -> f64 {
    let m = inst.num_devices();
    let avail: Vec<f64> = inst.devices().iter().map(|d| d.available_from).collect();
    let cap: Vec<f64> = (0..m).map(|d| inst.capacity_limit(d)).collect();
    let mut load = vec![0.0; m];
    let mut on: Vec<Vec<usize>> = vec![Vec::new(); m];
    for (t, &d) in device.iter().enumerate() {
        load[d] += inst.ptime(t, d);
        on[d].push(t);
    }
    loop {
        let (c, cmax) = (0..m)
            .map(|d| (d, finish_of(&on, &load, &avail, d)))
            .fold((0, f64::NEG_INFINITY), |a, b| if b.1 > a.1 { b } else { a });
        if budget.exhausted() {
            return cmax;
        }
        let eps = 1e-12 * cmax.abs().max(1.0);
        // Best move off the critical device: (resulting max of the two devices, task, to).
        let mut best: Option<Step> = None;
        for &t in &on[c] {
            let ptc = inst.ptime(t, c);
            let new_c = if on[c].len() == 1 {
                0.0
            } else {
                avail[c] + load[c] - ptc
            };
            for &d in inst.eligible(t) {
                if d == c {
                    continue;
                }
                let ptd = inst.ptime(t, d);
                budget.evaluations += 1;
                if load[d] + ptd > cap[d] {
                    continue;
                }
                let r = new_c.max(avail[d] + load[d] + ptd);
                if r < cmax - eps && best.is_none_or(|b| r < b.0) {
                    best = Some((r, t, d, None));
                }
            }
        }
        if best.is_none() {
            // Swaps: a critical task t for a task u on another device d.
            'outer: for &t in &on[c] {
                let ptc = inst.ptime(t, c);
                for (u, &d) in device.iter().enumerate() {
                    if d == c {
                        continue;
                    }
                    let ptd = inst.ptime(t, d);
                    let puc = inst.ptime(u, c);
                    if !ptd.is_finite() || !puc.is_finite() {
                        continue;
                    }
                    budget.evaluations += 1;
                    let pud = inst.ptime(u, d);
                    let lc = load[c] - ptc + puc;
                    let ld = load[d] - pud + ptd;
                    if lc > cap[c] || ld > cap[d] {
                        continue;
                    }
                    let r = (avail[c] + lc).max(avail[d] + ld);
                    if r < cmax - eps {
                        best = Some((r, t, d, Some(u)));
                        break 'outer;
                    }
                }
            }
        }
        if best.is_none() {
            best = balance_step(inst, &on, &load, &avail, &cap, budget);
        }
        let Some((_, t, d, swap)) = best else {
            return cmax;
        };
        let c = device[t];
        let pos = on[c]
            .iter()
            .position(|&x| x == t)
            .expect("t is on its device");
        on[c].swap_remove(pos);
        load[c] -= inst.ptime(t, c);
        load[d] += inst.ptime(t, d);
        on[d].push(t);
        device[t] = d;
        if let Some(u) = swap {
            let pos = on[d].iter().position(|&x| x == u).expect("u is on d");
            on[d].swap_remove(pos);
            load[d] -= inst.ptime(u, d);
            load[c] += inst.ptime(u, c);
            on[c].push(u);
            device[u] = c;
        }
    }
}

/// A move of a task to a device, or a swap with a task there: (value that ranks it, task, to,
/// swapped task).
type Step = (f64, usize, usize, Option<usize>);

/// When device `d` finishes its tasks back to back: 0 when it has none.
#[inline]
fn finish_of(on: &[Vec<usize>], load: &[f64], avail: &[f64], d: usize) -> f64 {
    if on[d].is_empty() {
        0.0
    } else {
        avail[d] + load[d]
    }
}

/// A move or swap that lowers the later finish of two devices, neither of them the critical
/// one (found none): the finish times, sorted from the latest, then fall lexicographically, so
/// the makespan does not rise and the search cannot cycle. It makes room below the makespan for
/// the critical device's tasks. Devices are taken from the second latest finish down; moves to
/// any device first (the best one for that device), then swaps with a device finishing earlier,
/// from the earliest (the first that fits). The step is ranked by the receiving device's new
/// finish.
fn balance_step(
    inst: &Instance,
    on: &[Vec<usize>],
    load: &[f64],
    avail: &[f64],
    cap: &[f64],
    budget: &mut Budget,
) -> Option<Step> {
    let m = load.len();
    let finish = |d: usize| finish_of(on, load, avail, d);
    let mut order: Vec<usize> = (0..m).collect();
    order.sort_by(|&a, &b| finish(b).total_cmp(&finish(a)).then(a.cmp(&b)));
    let cmax = finish(order[0]);
    let eps = 1e-12 * cmax.abs().max(1.0);
    for (i, &a) in order.iter().enumerate().skip(1) {
        let fa = finish(a);
        let mut best: Option<Step> = None;
        for &t in &on[a] {
            for &b in inst.eligible(t) {
                if b == a {
                    continue;
                }
                let ptb = inst.ptime(t, b);
                budget.evaluations += 1;
                if load[b] + ptb > cap[b] {
                    continue;
                }
                let r = avail[b] + load[b] + ptb;
                if r < fa - eps && best.is_none_or(|x| r < x.0) {
                    best = Some((r, t, b, None));
                }
            }
        }
        if best.is_some() {
            return best;
        }
        for &b in order[i + 1..].iter().rev() {
            let fb = finish(b);
            if fb >= fa - eps {
                break;
            }
            for &t in &on[a] {
                let pta = inst.ptime(t, a);
                let ptb = inst.ptime(t, b);
                if !ptb.is_finite() {
                    continue;
                }
                for &u in &on[b] {
                    let pua = inst.ptime(u, a);
                    // (An ineligible u has an infinite time on a.)
                    if pua >= pta - eps {
                        continue;
                    }
                    budget.evaluations += 1;
                    let lb = load[b] - inst.ptime(u, b) + ptb;
                    let la = load[a] - pta + pua;
                    if avail[b] + lb < fa - eps && lb <= cap[b] && la <= cap[a] {
                        return Some((avail[b] + lb, t, b, Some(u)));
                    }
                }
            }
        }
    }
    None
}

/// One device's tasks in Smith order with prefix sums of times and suffix sums of weights.
#[derive(Debug, Clone, Default)]
struct SmithLine {
    /// (Smith key, task), sorted.
    tasks: Vec<(f64, usize)>,
    /// prefix[i] = Σ p of tasks[..i].
    prefix: Vec<f64>,
    /// suffix[i] = Σ w of tasks[i..].
    suffix: Vec<f64>,
    busy: f64,
}

impl SmithLine {
    fn rebuild(&mut self, inst: &Instance, d: usize) {
        self.tasks
            .sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let k = self.tasks.len();
        self.prefix.clear();
        self.prefix.push(0.0);
        for &(_, t) in &self.tasks {
            let last = *self.prefix.last().expect("non-empty");
            self.prefix.push(last + inst.ptime(t, d));
        }
        self.suffix = vec![0.0; k + 1];
        for i in (0..k).rev() {
            self.suffix[i] = self.suffix[i + 1] + inst.task(self.tasks[i].1).weight;
        }
        self.busy = self.prefix[k];
    }

    /// Position a task with this key takes (after equal keys with lower index).
    fn position(&self, key: f64, t: usize) -> usize {
        self.tasks
            .partition_point(|&(k, u)| k < key || (k == key && u < t))
    }
}

/// Weighted-completion local search with Smith-ordered devices (see the module documentation).
#[allow(clippy::needless_range_loop)] // `device[t]` is read and reassigned inside the scan
pub fn improve_smith(inst: &Instance, device: &mut [usize], budget: &mut Budget) -> f64 {
    let n = inst.num_tasks();
    let m = inst.num_devices();
    let avail: Vec<f64> = inst.devices().iter().map(|d| d.available_from).collect();
    let cap: Vec<f64> = (0..m).map(|d| inst.capacity_limit(d)).collect();
    let mut lines: Vec<SmithLine> = vec![SmithLine::default(); m];
    for (t, &d) in device.iter().enumerate() {
        lines[d].tasks.push((inst.smith_ratio(t, d), t));
    }
    for (d, line) in lines.iter_mut().enumerate() {
        line.rebuild(inst, d);
    }
    let total = |lines: &[SmithLine]| -> f64 {
        let mut s = 0.0;
        for (d, line) in lines.iter().enumerate() {
            for (i, &(_, t)) in line.tasks.iter().enumerate() {
                s += inst.task(t).weight * (avail[d] + line.prefix[i + 1]);
            }
        }
        s
    };
    let mut value = total(&lines);
    loop {
        let mut improved = false;
        for t in 0..n {
            if budget.exhausted() {
                return value;
            }
            let c = device[t];
            let w = inst.task(t).weight;
            let line = &lines[c];
            let i = line.position(inst.smith_ratio(t, c), t);
            let ptc = inst.ptime(t, c);
            let removal = w * (avail[c] + line.prefix[i] + ptc) + ptc * line.suffix[i + 1];
            let mut best: Option<(f64, usize)> = None;
            for &d in inst.eligible(t) {
                if d == c {
                    continue;
                }
                let ptd = inst.ptime(t, d);
                budget.evaluations += 1;
                if lines[d].busy + ptd > cap[d] {
                    continue;
                }
                let ld = &lines[d];
                let j = ld.position(inst.smith_ratio(t, d), t);
                let insertion = w * (avail[d] + ld.prefix[j] + ptd) + ptd * ld.suffix[j];
                let delta = insertion - removal;
                if delta < -1e-9 * value.abs().max(1.0) && best.is_none_or(|b| delta < b.0) {
                    best = Some((delta, d));
                }
            }
            if let Some((delta, d)) = best {
                let pos = lines[c]
                    .tasks
                    .iter()
                    .position(|&(_, u)| u == t)
                    .expect("t on c");
                lines[c].tasks.remove(pos);
                lines[c].rebuild(inst, c);
                lines[d].tasks.push((inst.smith_ratio(t, d), t));
                lines[d].rebuild(inst, d);
                device[t] = d;
                value += delta;
                improved = true;
            }
        }
        if !improved {
            // Recompute exactly to shed accumulated rounding.
            return total(&lines);
        }
    }
}

/// Local search by decoding: device moves, then order insertions and swaps, first improvement,
/// random scan order.
fn improve_timetable<R: Rng>(
    ev: &Evaluator,
    g: &mut Genome,
    mut value: f64,
    budget: &mut Budget,
    rng: &mut R,
) -> f64 {
    let inst = ev.instance();
    let n = inst.num_tasks();
    let mut tasks: Vec<usize> = (0..n).collect();
    loop {
        let mut improved = false;
        tasks.shuffle(rng);
        for &t in &tasks {
            for &d in inst.eligible(t) {
                if d == g.device[t] {
                    continue;
                }
                if budget.exhausted() {
                    return value;
                }
                let mut cand = g.clone();
                cand.device[t] = d;
                budget.evaluations += 1;
                let v = ev.value(&mut cand);
                if v < value - 1e-9 * value.abs().max(1.0) {
                    *g = cand;
                    value = v;
                    improved = true;
                }
            }
        }
        // Order moves: insert one task up to 8 places earlier or later in the priority order,
        // or swap it with a task up to 8 places away.
        for _ in 0..2 * n {
            if n < 2 {
                break;
            }
            if budget.exhausted() {
                return value;
            }
            let i = rng.random_range(0..n);
            let reach = rng.random_range(1..=(n - 1).min(8));
            let j = if rng.random_bool(0.5) {
                i.saturating_sub(reach)
            } else {
                (i + reach).min(n - 1)
            };
            if i == j {
                continue;
            }
            let mut cand = g.clone();
            if rng.random_bool(0.5) {
                let t = cand.order.remove(i);
                cand.order.insert(j, t);
            } else {
                cand.order.swap(i, j);
            }
            budget.evaluations += 1;
            let v = ev.value(&mut cand);
            if v < value - 1e-9 * value.abs().max(1.0) {
                *g = cand;
                value = v;
                improved = true;
            }
        }
        if !improved {
            return value;
        }
    }
}
