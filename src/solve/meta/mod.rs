//! Metaheuristics: iterated local search (`ls`) and a parallel island genetic algorithm (`ga`).
//!
//! Both work on [`Genome`]s (a device per task and a priority order) decoded by the one schedule
//! builder, so every schedule they return is feasible by construction. Both are seeded with the
//! greedy solvers' schedules and are reproducible: the same seed gives the same result whatever
//! the number of threads, as long as they stop on an iteration or generation budget (a wall-clock
//! limit stops them wherever they are when it expires).

pub mod eval;
pub mod fractional;
pub mod genetic;
pub mod lns;
pub mod local_search;

pub use eval::{Evaluator, Genome, Mode};
pub use fractional::fractional_bound;
pub use genetic::Genetic;
pub use local_search::Budget;

use super::greedy::{GreedyRule, justify};
use super::{SolveOptions, SolveReport, Solver};
use crate::error::Error;
use crate::model::{Instance, Objective};
use crate::schedule::Schedule;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use std::time::{Duration, Instant};

/// The random stream of worker `stream` for a run seeded with `seed`: independent streams, one
/// per island or worker, never shared across threads.
pub fn rng_stream(seed: u64, stream: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(stream);
    rng
}

/// Each task on its fastest eligible device, in index order: a start when no greedy rule
/// succeeds (the decoder repairs what a capacity forbids).
pub fn fastest_genome(inst: &Instance) -> Genome {
    let n = inst.num_tasks();
    let device = (0..n)
        .map(|t| {
            *inst
                .eligible(t)
                .iter()
                .min_by(|&&a, &&b| {
                    inst.ptime(t, a)
                        .total_cmp(&inst.ptime(t, b))
                        .then(a.cmp(&b))
                })
                .expect("validated: every task has an eligible device")
        })
        .collect();
    Genome {
        device,
        order: inst.topological_order().to_vec(),
    }
}

/// The greedy schedules as genomes (best first), used to seed the metaheuristics, and the best
/// greedy schedule itself; when every greedy rule fails (capacities), the [`fastest_genome`]
/// and no schedule. For the makespan of an instance that is not independent, each rule's
/// schedule is first justified (forward–backward passes), as `best-greedy` does, so the best
/// one is at least as good as `best-greedy`'s.
///
/// A genome decodes to a schedule at least as good as the greedy one in most cases, but not
/// always (the decoder fills gaps in its own way), so the solvers compare their answer with the
/// best greedy schedule and never return worse.
pub fn greedy_genomes(inst: &Instance) -> (Vec<Genome>, Option<Schedule>) {
    let improve = inst.objective() == Objective::Makespan && !inst.is_independent();
    let mut seeds: Vec<(f64, Genome, Schedule)> = GreedyRule::ALL
        .par_iter()
        .filter(|r| r.affordable(inst))
        .filter_map(|r| {
            let s = r.schedule(inst).ok()?;
            Some(if improve {
                justify(inst, &s).unwrap_or(s)
            } else {
                s
            })
        })
        .map(|s| (s.value(inst), Genome::from_schedule(inst, &s), s))
        .collect();
    // Stable sort on the value keeps the rule order on ties, whatever the thread count.
    seeds.sort_by(|a, b| a.0.total_cmp(&b.0));
    if seeds.is_empty() {
        return (vec![fastest_genome(inst)], None);
    }
    let best = seeds[0].2.clone();
    (seeds.into_iter().map(|(_, g, _)| g).collect(), Some(best))
}

/// The better of a metaheuristic's answer (`genome`, whose value is `value`) and the best greedy
/// schedule: the schedule to return, and whether the greedy one won.
pub(crate) fn no_worse_than_greedy(
    ev: &Evaluator,
    genome: &Genome,
    value: f64,
    greedy: Option<Schedule>,
) -> Result<(Schedule, bool), Error> {
    let inst = ev.instance();
    if let Some(s) = greedy {
        let gv = s.value(inst);
        if !value.is_finite() || gv < value - 1e-9 * value.abs().max(1.0) {
            return Ok((s, true));
        }
    }
    if !value.is_finite() {
        return Err(Error::Solve(
            "no assignment found that fits the device capacities".into(),
        ));
    }
    Ok((ev.schedule(genome)?, false))
}

/// Ruin and recreate: move `k` random tasks off their devices, then put each back (longest
/// first) on the eligible device that minimises the resulting device finish (load-based), or a
/// random eligible device for non-independent instances; order genes get `k` random swaps.
pub fn perturb<R: Rng>(ev: &Evaluator, g: &mut Genome, k: usize, rng: &mut R) {
    let inst = ev.instance();
    let n = inst.num_tasks();
    if n == 0 {
        return;
    }
    let picked: Vec<usize> = (0..k.min(n)).map(|_| rng.random_range(0..n)).collect();
    match ev.mode() {
        Mode::Loads | Mode::Smith => {
            let m = inst.num_devices();
            let mut load: Vec<f64> = inst.devices().iter().map(|d| d.available_from).collect();
            let mut busy = vec![0.0; m];
            let mut out = vec![false; n];
            for &t in &picked {
                out[t] = true;
            }
            for t in 0..n {
                if !out[t] {
                    load[g.device[t]] += inst.ptime(t, g.device[t]);
                    busy[g.device[t]] += inst.ptime(t, g.device[t]);
                }
            }
            let mut back: Vec<usize> = (0..n).filter(|&t| out[t]).collect();
            back.sort_by(|&a, &b| {
                inst.min_ptime(b)
                    .total_cmp(&inst.min_ptime(a))
                    .then(a.cmp(&b))
            });
            for t in back {
                // Random tie-breaking among near-best devices keeps the move from undoing itself.
                let mut best: Option<(f64, usize)> = None;
                for &d in inst.eligible(t) {
                    let p = inst.ptime(t, d);
                    if busy[d] + p > inst.capacity_limit(d) {
                        continue;
                    }
                    let key = (load[d] + p) * (1.0 + 0.02 * rng.random::<f64>());
                    if best.is_none_or(|b| key < b.0) {
                        best = Some((key, d));
                    }
                }
                let d = best.map_or(g.device[t], |b| b.1);
                g.device[t] = d;
                load[d] += inst.ptime(t, d);
                busy[d] += inst.ptime(t, d);
            }
        }
        Mode::Timetable => {
            for &t in &picked {
                let e = inst.eligible(t);
                g.device[t] = e[rng.random_range(0..e.len())];
            }
            for _ in 0..k {
                let (i, j) = (rng.random_range(0..n), rng.random_range(0..n));
                g.order.swap(i, j);
            }
        }
    }
}

/// A lower bound that needs no solving: 0 for weighted tardiness, [`makespan_lower_bound`] for
/// makespan, −∞ otherwise. A timed search that reaches it stops early.
pub(crate) fn trivial_lower_bound(inst: &Instance) -> f64 {
    match inst.objective() {
        Objective::WeightedTardiness => 0.0,
        Objective::Makespan => makespan_lower_bound(inst),
        _ => f64::NEG_INFINITY,
    }
}

/// A makespan lower bound computed without solving (one pass over the tasks and their times, a
/// sort of the devices' availabilities): the longest chain of fastest times from the
/// releases and the earliest device availability (critical path); on a one-device instance also
/// the energy bound, per resource, available_from + Σ demand · time / capacity (an exclusive task
/// or a device that runs one task at a time counts the whole capacity); with several shared
/// devices, per resource, the earliest availability + Σ over tasks of the least demand · time
/// over their devices / the total capacity; with several devices that run one task at a time,
/// the load bound: the least H at which the devices, each from its availability, have room for
/// Σ over tasks of the fastest time. Rounded up when every time, release and availability is a
/// whole number and nothing is transferred.
pub fn makespan_lower_bound(inst: &Instance) -> f64 {
    let n = inst.num_tasks();
    let mut head = vec![0.0_f64; n];
    let mut bound = 0.0_f64;
    for &t in inst.topological_order() {
        let open = inst
            .eligible(t)
            .iter()
            .map(|&d| inst.device(d).available_from)
            .fold(f64::INFINITY, f64::min);
        let ready = inst
            .preds(t)
            .iter()
            .map(|&p| head[p] + inst.min_ptime(p))
            .fold(inst.task(t).release.max(open), f64::max);
        head[t] = ready;
        bound = bound.max(ready + inst.min_ptime(t));
    }
    if inst.num_devices() == 1 {
        let from = inst.device(0).available_from;
        if inst.offers_resources(0) && inst.has_sharing() {
            for k in 0..inst.num_resources() {
                let cap = inst.resource_capacity(0, k);
                if cap <= 0.0 {
                    continue;
                }
                let energy: f64 = (0..n)
                    .map(|t| inst.held(t, 0, k) / cap * inst.ptime(t, 0))
                    .sum();
                bound = bound.max(from + energy);
            }
        } else {
            bound = bound.max(from + (0..n).map(|t| inst.ptime(t, 0)).sum::<f64>());
        }
    } else if !inst.has_sharing() {
        // The least H with Σ_d (H − available_d)⁺ ≥ the fastest times' sum: with the k earliest
        // devices working, H = (work + their availabilities) / k, valid when H is at least the
        // k-th availability.
        let work: f64 = (0..n).map(|t| inst.min_ptime(t)).sum();
        let mut available: Vec<f64> = inst.devices().iter().map(|d| d.available_from).collect();
        available.sort_unstable_by(f64::total_cmp);
        let mut before = 0.0;
        let mut load = f64::INFINITY;
        for (k, &a) in available.iter().enumerate() {
            before += a;
            load = load.min(((work + before) / (k + 1) as f64).max(a));
        }
        bound = bound.max(load);
    } else {
        // Several devices: per resource, the least energy each task needs anywhere (demand ·
        // time, or the whole capacity where it runs alone) fits in the total capacity.
        let m = inst.num_devices();
        let from = inst
            .devices()
            .iter()
            .map(|d| d.available_from)
            .fold(f64::INFINITY, f64::min);
        for k in 0..inst.num_resources() {
            let total: f64 = (0..m).map(|d| inst.resource_capacity(d, k)).sum();
            if total <= 0.0 {
                continue;
            }
            let energy: f64 = (0..n)
                .map(|t| {
                    inst.eligible(t)
                        .iter()
                        .map(|&d| inst.held(t, d, k) * inst.ptime(t, d))
                        .fold(f64::INFINITY, f64::min)
                })
                .sum();
            if energy.is_finite() {
                bound = bound.max(from + energy / total);
            }
        }
    }
    // With whole-number times, releases and availabilities and no transfers, flooring every
    // start of a best schedule keeps it feasible (an end at or before a start stays so, a task
    // runs in [k, k + 1) exactly when it ran just before k + 1, so resources hold), and ends
    // no later: the least makespan is a whole number.
    if integral(inst) {
        bound = (bound - 1e-9 * bound.abs().max(1.0)).ceil().max(0.0) + 0.0;
    }
    bound
}

/// Whether every time, release and availability of `inst` is a whole number and no dependency
/// carries a transfer.
fn integral(inst: &Instance) -> bool {
    let whole = |x: f64| x.fract() == 0.0;
    !inst.has_transfers()
        && inst.devices().iter().all(|d| whole(d.available_from))
        && inst.tasks().iter().all(|t| whole(t.release))
        && (0..inst.num_tasks()).all(|t| {
            inst.class_ptimes(t)
                .iter()
                .all(|&p| !p.is_finite() || whole(p))
        })
}

fn deadline(started: Instant, limit: Option<Duration>) -> Option<Instant> {
    limit.map(|l| started + l)
}

/// Offer `g` (of value `v`) to the budget's exchange, if it has one and `v` beats its best.
fn share(ev: &Evaluator, g: &Genome, v: f64, budget: &Budget) {
    if let Some(x) = &budget.exchange {
        x.offer("ls", v, || ev.schedule(g).ok());
    }
}

/// The largest exact step of [`IteratedLocalSearch`], in task–device pairs: the whole 2048 × 64
/// instance (131,072 pairs) is within it, 4096 × 128 (524,288) is not: a 1 s step on it stayed
/// in HiGHS for more than ten minutes (in the presolve of a sub-MIP of its RENS heuristic, which
/// does not look at the clock; RENS is now off in node-limited solves, see `Milp::configure`).
const MAX_STEP_CELLS: usize = 150_000;

/// The exact step's sub-problem sizes (devices re-solved) on `n` tasks and `m` devices, up to the
/// whole instance (a warm-started MILP polish), each of at most [`MAX_STEP_CELLS`] task–device
/// pairs by estimate (on k of m devices: about n·k/m tasks, k devices each; exact for the whole
/// instance, while busy devices can hold more than n/m tasks).
fn step_sizes(n: usize, m: usize) -> Vec<usize> {
    let cells = |k: usize| n * k / m.max(1) * k;
    let mut sizes: Vec<usize> = [3, 4, 6, 8, 10, 12]
        .into_iter()
        .filter(|&k| k < m && cells(k) <= MAX_STEP_CELLS)
        .collect();
    if cells(m) <= MAX_STEP_CELLS {
        sizes.push(m);
    }
    sizes
}

/// Iterated local search: local search from the best greedy schedule, then repeatedly perturb
/// (ruin and recreate), search again, and keep the result when it is not worse.
#[derive(Debug, Clone)]
pub struct IteratedLocalSearch {
    /// Perturbation–search rounds at most, without a time limit (a timed run uses its whole
    /// limit).
    pub max_iterations: usize,
    /// Stop after this many rounds without a new best.
    pub stagnation: usize,
    /// For makespan on independent instances under a time limit, alternate the perturbation
    /// with an exact step: re-solve the critical device and a few others with the MILP
    /// ([`lns::lns_step`], each sub-solve capped at 1 s). Untimed runs skip it: its cost is
    /// only bounded by the clock.
    pub exact_neighbourhood: bool,
    /// Independent searches run in parallel (each with its own random stream; the best wins).
    /// Fixed, so that the result does not depend on the thread count.
    pub streams: usize,
    /// Stop after `max_iterations` rounds under a time limit too (a short improvement run, as
    /// the MILP's warm start uses), instead of using the whole limit.
    pub stop_after_max_iterations: bool,
    /// Start from this schedule (feasible for the instance solved) when it is better than the
    /// best greedy one ([`crate::solve::milp::WithInitialSchedule`]).
    pub initial: Option<Schedule>,
}

impl crate::solve::milp::WithInitialSchedule for IteratedLocalSearch {
    fn with_initial_schedule(mut self, schedule: Schedule) -> Self {
        self.initial = Some(schedule);
        self
    }
}

impl Default for IteratedLocalSearch {
    fn default() -> Self {
        IteratedLocalSearch {
            max_iterations: 500,
            stagnation: 100,
            exact_neighbourhood: true,
            streams: 2,
            stop_after_max_iterations: false,
            initial: None,
        }
    }
}

impl IteratedLocalSearch {
    /// Run from `start` and return the best genome, its value and the evaluations made.
    pub fn run(
        &self,
        ev: &Evaluator,
        start: Genome,
        seed: u64,
        stream: u64,
        budget: &mut Budget,
    ) -> (Genome, f64) {
        let n = ev.instance().num_tasks();
        let mut rng = rng_stream(seed, stream);
        let verbose = budget.verbose && stream == 0;
        let mut last_print = Instant::now();
        let mut cur = start;
        let v0 = ev.value(&mut cur);
        budget.evaluations += 1;
        let mut cur_v = local_search::improve(ev, &mut cur, v0, budget, &mut rng);
        let (mut best, mut best_v) = (cur.clone(), cur_v);
        budget.record(best_v);
        let mut since_best = 0;
        let timed = budget.deadline.is_some();
        let m = ev.instance().num_devices();
        let lns_sizes = step_sizes(n, m);
        let mut lns_scores = vec![1.0; lns_sizes.len()];

        // An untimed run stops after `max_iterations` rounds; a timed one uses its whole limit,
        // unless it reaches a trivial lower bound.
        let lower_bound = trivial_lower_bound(ev.instance());
        // The last exchange version looked at.
        let mut seen = 0;
        share(ev, &best, best_v, budget);
        for round in 0.. {
            // A better schedule found by another search (not its own, which would undo the
            // stagnation kicks): go on from it.
            if let Some(x) = &budget.exchange
                && x.best_value() < cur_v - 1e-9 * cur_v.abs().max(1.0)
                && let Some((version, shared)) = x.newer(seen)
                && {
                    seen = version;
                    shared.from != "ls"
                }
            {
                let mut g = Genome::from_schedule(ev.instance(), &shared.schedule);
                let v = ev.value(&mut g);
                if v < cur_v {
                    (cur, cur_v) = (g, v);
                    since_best = 0;
                    if cur_v < best_v {
                        (best, best_v) = (cur.clone(), cur_v);
                    }
                }
            }
            if budget.exhausted()
                || ((!timed || self.stop_after_max_iterations) && round >= self.max_iterations)
                || best_v <= lower_bound + 1e-9 * lower_bound.abs().max(1.0)
            {
                break;
            }
            if since_best >= self.stagnation {
                if !timed || self.stop_after_max_iterations {
                    break;
                }
                // With time left, restart from the best with a stronger kick.
                let mut kick = best.clone();
                perturb(ev, &mut kick, (n / 8).max(4), &mut rng);
                let v = ev.value(&mut kick);
                cur_v = local_search::improve(ev, &mut kick, v, budget, &mut rng);
                cur = kick;
                since_best = 0;
                continue;
            }
            let mut cand = cur.clone();
            let lns = self.exact_neighbourhood
                && timed
                && ev.mode() == Mode::Loads
                && ev.instance().num_devices() >= 3
                && !lns_sizes.is_empty()
                && rng.random_bool(0.5);
            let mut arm = None;
            let improved_exactly = lns && {
                // Adaptive sub-problem size: larger sub-problems suit consistent matrices,
                // smaller ones inconsistent ones; each size is drawn with probability
                // proportional to its recent improvement per device re-solved.
                let total: f64 = lns_scores.iter().sum();
                let mut x = rng.random::<f64>() * total;
                let mut a = 0;
                while a + 1 < lns_sizes.len() && x > lns_scores[a] {
                    x -= lns_scores[a];
                    a += 1;
                }
                arm = Some(a);
                let left = budget.deadline.map(|d| {
                    d.saturating_duration_since(Instant::now())
                        .min(Duration::from_millis(1000))
                });
                lns::lns_step(
                    ev.instance(),
                    &mut cand.device,
                    lns_sizes[a],
                    left,
                    budget.cancel.as_ref(),
                    &mut rng,
                )
            };
            if let Some(a) = arm {
                let gain = if improved_exactly {
                    let v = ev.value(&mut cand.clone());
                    ((cur_v - v) / cur_v.abs().max(1e-12)).max(0.0)
                } else {
                    0.0
                };
                let reward = 1000.0 * gain / lns_sizes[a] as f64;
                lns_scores[a] = (0.8 * lns_scores[a] + 0.2 * reward).max(0.02);
            }
            if !improved_exactly {
                let k = rng.random_range(2..=(n / 32).clamp(3, 12));
                perturb(ev, &mut cand, k, &mut rng);
            }
            let v = ev.value(&mut cand);
            budget.evaluations += 1;
            let v = local_search::improve(ev, &mut cand, v, budget, &mut rng);
            if v <= cur_v {
                cur = cand;
                cur_v = v;
            }
            if cur_v < best_v - 1e-12 * best_v.abs().max(1.0) {
                best = cur.clone();
                best_v = cur_v;
                budget.record(best_v);
                share(ev, &best, best_v, budget);
                since_best = 0;
            } else {
                since_best += 1;
            }
            if verbose && last_print.elapsed().as_secs_f64() >= 1.0 {
                eprintln!(
                    "[ls] {:>6.1} s  best {best_v}  ({} evaluations)",
                    budget.started.elapsed().as_secs_f64(),
                    budget.evaluations
                );
                last_print = Instant::now();
            }
        }
        (best, best_v)
    }
}

impl Solver for IteratedLocalSearch {
    fn name(&self) -> &'static str {
        "ls"
    }

    fn description(&self) -> &'static str {
        "iterated local search (moves, swaps, ruin-and-recreate) from the best greedy schedule; seeded, time-limited"
    }

    fn solve(&self, inst: &Instance, options: &SolveOptions) -> Result<SolveReport, Error> {
        let started = Instant::now();
        let log = std::sync::Arc::new(crate::solve::ProgressLog::new(started));
        let ev = Evaluator::new(inst);
        // The best greedy schedule (or, when every rule fails, the fastest-device genome).
        let (mut seeds, mut greedy) = greedy_genomes(inst);
        let mut start = seeds.swap_remove(0);
        if let Some(init) = &self.initial
            && init.violations(inst).is_empty()
            && greedy
                .as_ref()
                .is_none_or(|g| init.value(inst) < g.value(inst))
        {
            start = Genome::from_schedule(inst, init);
            greedy = Some(init.clone());
        }
        let deadline = deadline(started, options.time_limit);
        // Streams from `from`, each until `until`: (genome, value, evaluations, stream).
        // One search stream from `from` until `until`: (genome, value, evaluations).
        let search_from = |from: Genome, until: Option<Instant>, stream: u64| {
            let mut budget = Budget::new(until);
            budget.cancel = options.cancel.clone();
            budget.verbose = options.verbose;
            budget.started = started;
            budget.progress = Some(log.clone());
            budget.exchange = options.exchange.clone();
            let (g, v) = self.run(&ev, from, options.seed, stream, &mut budget);
            (g, v, budget.evaluations)
        };
        // The streams in parallel: (genome, value, evaluations, stream) each.
        let streams = |from: &Genome, until: Option<Instant>, first_stream: u64| {
            (0..self.streams.max(1) as u64)
                .into_par_iter()
                .map(|k| {
                    let (g, v, e) = search_from(from.clone(), until, first_stream + k);
                    (g, v, e, first_stream + k)
                })
                .collect::<Vec<_>>()
        };
        let best_of = |results: Vec<(Genome, f64, u64, u64)>| {
            let evaluations: u64 = results.iter().map(|r| r.2).sum();
            let (g, v, _, _) = results
                .into_iter()
                .min_by(|a, b| a.1.total_cmp(&b.1).then(a.3.cmp(&b.3)))
                .expect("at least one stream");
            (g, v, evaluations)
        };
        let polish = self.exact_neighbourhood
            && ev.mode() == Mode::Loads
            && inst.num_devices() >= 3
            && options.time_limit.is_some();
        let search = || match (polish, options.time_limit) {
            (true, Some(limit)) => {
                // Search for a fifth of the time, then a size-reduced exact polish of the best
                // (until four fifths) beside one search stream that goes on; the polish then
                // searches on to the end from its result, and the better wins. With one thread,
                // the polish side runs first and the other stream gets no time.
                let phase = |f: f64| Some(started + limit.mul_f64(f));
                let (g1, _, e1) = best_of(streams(&start, phase(0.2), 0));
                let polish_end = started + limit.mul_f64(0.8);
                let ((gp, vp, ep), (gs, vs, es)) = rayon::join(
                    || {
                        let mut g = g1.clone();
                        let cancel = options.cancel.as_ref();
                        lns::polish_until(inst, &mut g.device, polish_end, cancel, |k, found| {
                            if options.verbose {
                                eprintln!(
                                    "[ls] {:>6.1} s  exact polish, {k} devices per task: {}",
                                    started.elapsed().as_secs_f64(),
                                    found.map_or("no better".to_string(), |v| format!("{v}"))
                                );
                            }
                        });
                        search_from(g, deadline, 2 * self.streams as u64)
                    },
                    || search_from(g1.clone(), deadline, self.streams as u64),
                );
                if vp <= vs {
                    (gp, vp, e1 + ep + es)
                } else {
                    (gs, vs, e1 + ep + es)
                }
            }
            _ => best_of(streams(&start, deadline, 0)),
        };
        let (g, v, evaluations) = crate::solve::with_threads(options.threads, search)?;
        let budget = Budget {
            evaluations,
            ..Budget::new(deadline)
        };
        let (schedule, kept_greedy) = no_worse_than_greedy(&ev, &g, v, greedy)?;
        let mut report = SolveReport::feasible(self.name(), inst, schedule, started);
        if let Ok(log) = std::sync::Arc::try_unwrap(log) {
            log.finish(&mut report);
        }
        debug_assert!(kept_greedy || (report.value.unwrap() - v).abs() <= 1e-6 * v.abs().max(1.0));
        let secs = report.seconds.max(1e-9);
        report.message = Some(format!(
            "{} evaluations ({:.0}/s), {:?} evaluation{}",
            budget.evaluations,
            budget.evaluations as f64 / secs,
            ev.mode(),
            if kept_greedy {
                "; the best greedy schedule was better"
            } else {
                ""
            }
        ));
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Device, InstanceData, Task};

    /// The exact step re-solves at most MAX_STEP_CELLS task–device pairs: the whole instance on
    /// Braun's sizes up to 2048 × 64, not on 4096 × 128 (where HiGHS overran its limit by
    /// minutes), and only the smaller sizes on 50,000 tasks and more.
    #[test]
    fn exact_step_sizes_stay_within_the_cell_limit() {
        assert_eq!(step_sizes(512, 16), [3, 4, 6, 8, 10, 12, 16]);
        assert_eq!(step_sizes(2048, 64), [3, 4, 6, 8, 10, 12, 64]);
        assert_eq!(step_sizes(4096, 128), [3, 4, 6, 8, 10, 12]);
        assert_eq!(step_sizes(50_000, 64), [3, 4, 6, 8, 10, 12]);
        assert_eq!(step_sizes(500_000, 64), [3, 4]);
        assert_eq!(step_sizes(10, 3), [3]);
        for (n, m) in [(4096, 128), (50_000, 64), (500_000, 64)] {
            for k in step_sizes(n, m) {
                assert!(n * k / m * k <= MAX_STEP_CELLS, "{n}x{m}: {k}");
            }
        }
    }

    /// On devices that run one task at a time, no device works before its availability nor past
    /// the makespan: the fastest times shared out are a bound, here above the critical path.
    #[test]
    fn load_bound_on_devices_that_run_one_task_at_a_time() {
        let mut fast = Device::new("fast");
        fast.speed = 2.0;
        fast.available_from = 1.0;
        let mut late = Device::new("late");
        late.available_from = 3.0;
        let data = InstanceData {
            devices: vec![fast, late],
            tasks: (0..6).map(|t| Task::new(format!("t{t}"), 4.0)).collect(),
            ..Default::default()
        };
        let inst = Instance::new(data).unwrap();
        // Six tasks of 2 at best (12 in all), devices free at 1 and 3: (12 + 1 + 3) / 2 = 8 (the
        // best schedule ends at 11: five tasks on the fast device, one on the late one).
        assert_eq!(makespan_lower_bound(&inst), 8.0);
        // Seven tasks: (14 + 4) / 2 = 9; with a half-unit task, 17.5 / 2 = 8.75, not rounded up.
        let mut data = inst.to_data();
        data.tasks.push(Task::new("t6", 4.0));
        assert_eq!(
            makespan_lower_bound(&Instance::new(data.clone()).unwrap()),
            9.0
        );
        data.tasks[6].work = Some(3.0);
        assert_eq!(
            makespan_lower_bound(&Instance::new(data.clone()).unwrap()),
            8.75
        );
        // Three tasks of 5 on two processors: 7.5, rounded up to 8; with one of 5.5, 7.75.
        let mut data = InstanceData {
            devices: vec![Device::new("a"), Device::new("b")],
            tasks: (0..3).map(|t| Task::new(format!("t{t}"), 5.0)).collect(),
            ..Default::default()
        };
        assert_eq!(
            makespan_lower_bound(&Instance::new(data.clone()).unwrap()),
            8.0
        );
        data.tasks[0].work = Some(5.5);
        assert_eq!(makespan_lower_bound(&Instance::new(data).unwrap()), 7.75);
    }
}
