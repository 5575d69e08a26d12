//! A parallel island genetic algorithm with a memetic local-search step.
//!
//! Individuals are [`Genome`]s. Each island runs tournament selection, uniform crossover of the
//! device genes with order crossover (OX) of the priority genes, move/swap/insert mutation,
//! elitism, and (where evaluation is incremental) local search on a share of the offspring.
//! Islands evolve in parallel with rayon for an epoch of generations, then the best of each island
//! replaces the worst of the next (ring migration). Each island has its own random stream derived
//! from the seed, so the result does not depend on how many threads run the islands.

use super::eval::{Evaluator, Genome, Mode};
use super::local_search::{self, Budget};
use super::{
    deadline, greedy_genomes, lns, no_worse_than_greedy, perturb, rng_stream, trivial_lower_bound,
};
use crate::error::Error;
use crate::model::Instance;
use crate::schedule::Schedule;
use crate::solve::{ProgressLog, SolveOptions, SolveReport, Solver};
use rand::Rng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use std::time::Instant;

/// Settings of the genetic algorithm.
#[derive(Debug, Clone)]
pub struct Genetic {
    /// Number of islands (fixed, so results do not depend on the thread count).
    pub islands: usize,
    /// Individuals per island.
    pub population: usize,
    /// Tournament size.
    pub tournament: usize,
    /// Best individuals copied unchanged into the next generation.
    pub elite: usize,
    /// Generations between migrations.
    pub epoch: usize,
    /// Generations at most (per island).
    pub max_generations: usize,
    /// Stop after this many generations without a new overall best.
    pub stagnation: usize,
    /// Share of offspring improved by local search (when evaluation is incremental).
    pub local_search_share: f64,
    /// For makespan on independent instances under a time limit, improve each island's best once
    /// per epoch with the exact large-neighbourhood step ([`super::lns::lns_step`], capped at
    /// 0.5 s). Untimed runs skip it.
    pub exact_step: bool,
}

impl Default for Genetic {
    fn default() -> Self {
        Genetic {
            islands: 4,
            population: 24,
            tournament: 3,
            elite: 2,
            epoch: 10,
            max_generations: 100,
            stagnation: 30,
            local_search_share: 0.25,
            exact_step: true,
        }
    }
}

#[derive(Clone)]
struct Individual {
    genome: Genome,
    value: f64,
}

struct Island {
    pop: Vec<Individual>,
    rng: ChaCha8Rng,
    budget: Budget,
}

impl Island {
    fn best(&self) -> &Individual {
        self.pop
            .iter()
            .min_by(|a, b| a.value.total_cmp(&b.value))
            .expect("non-empty population")
    }

    fn worst_index(&self) -> usize {
        (0..self.pop.len())
            .max_by(|&a, &b| {
                self.pop[a]
                    .value
                    .total_cmp(&self.pop[b].value)
                    .then(a.cmp(&b))
            })
            .expect("non-empty population")
    }
}

/// Order crossover: a slice of `a` kept in place, the rest filled in `b`'s order.
fn order_crossover<R: Rng>(a: &[usize], b: &[usize], rng: &mut R) -> Vec<usize> {
    let n = a.len();
    if n < 2 {
        return a.to_vec();
    }
    let (mut i, mut j) = (rng.random_range(0..n), rng.random_range(0..n));
    if i > j {
        std::mem::swap(&mut i, &mut j);
    }
    let mut taken = vec![false; n];
    let mut child = vec![usize::MAX; n];
    for k in i..=j {
        child[k] = a[k];
        taken[a[k]] = true;
    }
    let mut fill = b.iter().copied().filter(|&t| !taken[t]);
    for slot in child.iter_mut() {
        if *slot == usize::MAX {
            *slot = fill.next().expect("permutation sizes match");
        }
    }
    child
}

impl Genetic {
    fn tournament<'p, R: Rng>(&self, pop: &'p [Individual], rng: &mut R) -> &'p Individual {
        let mut best = &pop[rng.random_range(0..pop.len())];
        for _ in 1..self.tournament {
            let c = &pop[rng.random_range(0..pop.len())];
            if c.value < best.value {
                best = c;
            }
        }
        best
    }

    fn child<R: Rng>(&self, ev: &Evaluator, a: &Genome, b: &Genome, rng: &mut R) -> Genome {
        let inst = ev.instance();
        let n = inst.num_tasks();
        let device = (0..n)
            .map(|t| {
                if rng.random_bool(0.5) {
                    a.device[t]
                } else {
                    b.device[t]
                }
            })
            .collect();
        let order = if ev.mode() == Mode::Timetable {
            order_crossover(&a.order, &b.order, rng)
        } else {
            a.order.clone()
        };
        let mut g = Genome { device, order };
        // Mutation: a few device moves, a swap of two tasks' devices, an order insertion.
        let moves = 1 + rng.random_range(0..3);
        for _ in 0..moves {
            let t = rng.random_range(0..n);
            let e = inst.eligible(t);
            g.device[t] = e[rng.random_range(0..e.len())];
        }
        if n >= 2 && rng.random_bool(0.5) {
            let (t, u) = (rng.random_range(0..n), rng.random_range(0..n));
            let (dt, du) = (g.device[t], g.device[u]);
            if inst.is_eligible(t, du) && inst.is_eligible(u, dt) {
                g.device[t] = du;
                g.device[u] = dt;
            }
        }
        if ev.mode() == Mode::Timetable && n >= 2 {
            let i = rng.random_range(0..n);
            let t = g.order.remove(i);
            g.order.insert(rng.random_range(0..n), t);
        }
        g
    }

    fn generation(&self, ev: &Evaluator, island: &mut Island) {
        let mut pop = std::mem::take(&mut island.pop);
        pop.sort_by(|a, b| a.value.total_cmp(&b.value));
        let mut next: Vec<Individual> = pop.iter().take(self.elite).cloned().collect();
        let memetic = ev.mode() != Mode::Timetable || ev.instance().num_tasks() <= 64;
        while next.len() < self.population {
            if island.budget.exhausted() {
                break;
            }
            let a = self.tournament(&pop, &mut island.rng).genome.clone();
            let b = self.tournament(&pop, &mut island.rng).genome.clone();
            let mut g = self.child(ev, &a, &b, &mut island.rng);
            let mut v = ev.value(&mut g);
            island.budget.evaluations += 1;
            if memetic && island.rng.random_bool(self.local_search_share) {
                v = local_search::improve(ev, &mut g, v, &mut island.budget, &mut island.rng);
            }
            next.push(Individual {
                genome: g,
                value: v,
            });
        }
        // Refill from the old population if the time ran out mid-generation.
        for ind in pop {
            if next.len() >= self.population {
                break;
            }
            next.push(ind);
        }
        island.pop = next;
    }

    /// Run the GA on `ev`'s instance; returns the best genome and its value, the evaluations,
    /// and the best greedy schedule it was seeded with.
    pub fn run(
        &self,
        ev: &Evaluator,
        seed: u64,
        options: &SolveOptions,
        started: Instant,
    ) -> (Genome, f64, u64, Option<Schedule>) {
        self.run_logged(ev, seed, options, started, None)
    }

    /// [`Genetic::run`], recording each new best value in `log`.
    fn run_logged(
        &self,
        ev: &Evaluator,
        seed: u64,
        options: &SolveOptions,
        started: Instant,
        log: Option<&ProgressLog>,
    ) -> (Genome, f64, u64, Option<Schedule>) {
        let record = |v: f64| {
            if let Some(log) = log {
                log.value(v);
            }
        };
        let inst = ev.instance();
        let (seeds, greedy) = greedy_genomes(inst);
        let deadline = deadline(started, options.time_limit);
        let islands_n = self.islands.max(1);
        let pop_n = self.population.max(self.elite + 2);
        let mut islands: Vec<Island> = (0..islands_n)
            .into_par_iter()
            .map(|i| {
                let mut rng = rng_stream(seed, 1 + i as u64);
                let mut budget = Budget::new(deadline);
                budget.cancel = options.cancel.clone();
                let mut pop = Vec::with_capacity(pop_n);
                // Island i starts from the greedy schedules, rotated so islands differ, then
                // perturbed copies of them.
                for k in 0..pop_n {
                    let mut g = seeds[(i + k) % seeds.len()].clone();
                    if k >= seeds.len() {
                        let strength = 1 + rng.random_range(0..(inst.num_tasks() / 8).max(2));
                        perturb(ev, &mut g, strength, &mut rng);
                        if ev.mode() == Mode::Timetable {
                            g.order.shuffle(&mut rng);
                        }
                    }
                    let v = ev.value(&mut g);
                    budget.evaluations += 1;
                    pop.push(Individual {
                        genome: g,
                        value: v,
                    });
                }
                Island { pop, rng, budget }
            })
            .collect();

        let mut best = islands
            .iter()
            .map(|isl| isl.best().clone())
            .min_by(|a, b| a.value.total_cmp(&b.value))
            .expect("at least one island");
        record(best.value);
        let mut generations = 0;
        let mut since_best = 0;
        let mut last_print = Instant::now();
        // Under a time limit the clock decides: generation and stagnation limits apply only to
        // untimed runs.
        let timed = deadline.is_some();
        // A timed run also stops once it reaches a lower bound that needs no solving.
        let lower_bound = trivial_lower_bound(inst);
        while timed || (generations < self.max_generations && since_best < self.stagnation) {
            if deadline.is_some_and(|d| Instant::now() >= d)
                || options.cancelled()
                || (timed && best.value <= lower_bound + 1e-9 * lower_bound.abs().max(1.0))
            {
                break;
            }
            let epoch = if timed {
                self.epoch
            } else {
                self.epoch.min(self.max_generations - generations)
            }
            .max(1);
            let exact =
                self.exact_step && timed && ev.mode() == Mode::Loads && inst.num_devices() >= 3;
            islands.par_iter_mut().for_each(|isl| {
                for _ in 0..epoch {
                    if isl.budget.exhausted() {
                        break;
                    }
                    self.generation(ev, isl);
                }
                if exact && !isl.budget.exhausted() {
                    // Memetic exact step on the island's best: re-solve six devices with the MILP.
                    let i = (0..isl.pop.len())
                        .min_by(|&a, &b| {
                            isl.pop[a]
                                .value
                                .total_cmp(&isl.pop[b].value)
                                .then(a.cmp(&b))
                        })
                        .expect("non-empty");
                    let mut g = isl.pop[i].genome.clone();
                    let left = isl.budget.deadline.map(|d| {
                        d.saturating_duration_since(Instant::now())
                            .min(std::time::Duration::from_millis(500))
                    });
                    if lns::lns_step(
                        inst,
                        &mut g.device,
                        6,
                        left,
                        isl.budget.cancel.as_ref(),
                        &mut isl.rng,
                    ) {
                        let v = ev.value(&mut g);
                        let v = local_search::improve(ev, &mut g, v, &mut isl.budget, &mut isl.rng);
                        if v < isl.pop[i].value {
                            isl.pop[i] = Individual {
                                genome: g,
                                value: v,
                            };
                        }
                    }
                }
            });
            generations += epoch;
            // Ring migration: island i's best replaces island i+1's worst.
            let bests: Vec<Individual> = islands.iter().map(|isl| isl.best().clone()).collect();
            if islands_n > 1 {
                for (i, b) in bests.iter().enumerate() {
                    let to = &mut islands[(i + 1) % islands_n];
                    let w = to.worst_index();
                    if b.value < to.pop[w].value {
                        to.pop[w] = b.clone();
                    }
                }
            }
            let epoch_best = bests
                .into_iter()
                .min_by(|a, b| a.value.total_cmp(&b.value))
                .expect("at least one island");
            if epoch_best.value < best.value - 1e-12 * best.value.abs().max(1.0) {
                best = epoch_best;
                record(best.value);
                since_best = 0;
            } else {
                since_best += epoch;
            }
            if options.verbose && last_print.elapsed().as_secs_f64() >= 1.0 {
                eprintln!(
                    "[ga] {:>6.1} s  generation {generations:>5}  best {}",
                    started.elapsed().as_secs_f64(),
                    best.value
                );
                last_print = Instant::now();
            }
        }
        let evaluations = islands.iter().map(|i| i.budget.evaluations).sum();
        (best.genome, best.value, evaluations, greedy)
    }
}

impl Solver for Genetic {
    fn name(&self) -> &'static str {
        "ga"
    }

    fn description(&self) -> &'static str {
        "parallel island genetic algorithm with local search, seeded with the greedy schedules; seeded, time-limited"
    }

    fn solve(&self, inst: &Instance, options: &SolveOptions) -> Result<SolveReport, Error> {
        let started = Instant::now();
        let ev = Evaluator::new(inst);
        // For makespan on independent instances under a time limit, the GA gets three quarters
        // of it and its best is then polished exactly, as `ls` does (docs/metaheuristics.md).
        let polish_limit = options
            .time_limit
            .filter(|_| self.exact_step && ev.mode() == Mode::Loads && inst.num_devices() >= 3);
        let ga_options = SolveOptions {
            time_limit: options.time_limit.map(|l| {
                if polish_limit.is_some() {
                    l.mul_f64(0.75)
                } else {
                    l
                }
            }),
            ..options.clone()
        };
        let log = ProgressLog::new(started);
        let run = || self.run_logged(&ev, options.seed, &ga_options, started, Some(&log));
        let (mut genome, mut value, evaluations, greedy) =
            crate::solve::with_threads(options.threads, run)?;
        if let Some(limit) = polish_limit
            && value.is_finite()
        {
            lns::polish_until(
                inst,
                &mut genome.device,
                started + limit.mul_f64(0.97),
                options.cancel.as_ref(),
                |_, _| {},
            );
            let mut budget = Budget::new(Some(started + limit));
            budget.cancel = options.cancel.clone();
            local_search::improve_loads(inst, &mut genome.device, &mut budget);
            value = ev.value(&mut genome);
        }
        let (schedule, kept_greedy) = no_worse_than_greedy(&ev, &genome, value, greedy)?;
        let mut report = SolveReport::feasible(self.name(), inst, schedule, started);
        log.finish(&mut report);
        let secs = report.seconds.max(1e-9);
        report.message = Some(format!(
            "{} evaluations ({:.0}/s), {:?} evaluation, {} islands × {}{}",
            evaluations,
            evaluations as f64 / secs,
            ev.mode(),
            self.islands,
            self.population,
            if kept_greedy {
                "; the best greedy schedule was better"
            } else {
                ""
            }
        ));
        Ok(report)
    }
}
