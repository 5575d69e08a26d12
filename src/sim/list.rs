//! The list policies: jobs served in an [`Order`], each started where its [`Placement`] says;
//! with preemption, running jobs take part too (see [`ListPolicy`]).

use super::policy::{Decision, Policy, View};
use super::{WaitKey, wait_key};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rustc_hash::{FxHashMap, FxHashSet};
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// The order a list policy serves jobs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// First come, first served: by arrival.
    Arrival,
    /// Shortest job first: by estimated time on the fastest eligible device.
    Shortest,
    /// Shortest remaining processing time: by estimated remaining time on the fastest device.
    ShortestRemaining,
    /// Earliest deadline first: by due date (jobs without one last).
    Deadline,
    /// Priority: by weight, heaviest first.
    Weight,
    /// Least attained service: by time run so far.
    LeastAttained,
}

/// Where a list policy starts a job, among the devices where it fits now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Placement {
    /// Where it ends first by the estimates (heterogeneity-aware, greedily).
    #[default]
    Fastest,
    /// Any of them, uniformly at random (seeded): heterogeneity-agnostic, as a scheduler that
    /// treats all devices alike. A running job keeps its device.
    Any,
    /// Where the job is fastest *relative to the other jobs present* (waiting or running): the
    /// smallest p(t, d) ÷ the mean time on d of those eligible there (ties: the fastest) — a
    /// device goes to the jobs it speeds up most, as Gavel's heterogeneity-aware policies do.
    Relative,
}

/// A list policy: at every decision, the jobs in its [`Order`] (ties by arrival, then task
/// index), each started on a device where it fits now, chosen by its [`Placement`] (by
/// default where it ends first by the estimates). It never leaves a device idle while a
/// waiting job fits there (work-conserving).
///
/// Preemptive (when the simulation allows it), two ways:
/// - **In rounds** (the simulation decides every quantum; and always for
///   [`Order::LeastAttained`] and the placements other than [`Placement::Fastest`]): every
///   decision places the running jobs again with the waiting ones, in the order (a running job
///   keeps its device unless another one where it fits would end it sooner), and stops those
///   not served — a global re-allocation, as round-based schedulers such as Gavel make. It
///   costs time in proportion to the jobs running at every decision.
/// - **In place** (decisions at events only): what runs stays where it is, and a decision
///   reconsiders only what changed since the previous one, in the order — the jobs that just
///   started waiting (arrived, became ready, or stopped by an outage) take the fastest class
///   where they fit or where stopping running jobs behind them in the order makes room (the
///   last in the order first, as few as needed; those stopped do the same in turn); the
///   waiting jobs take the room that frees; a running job on a class slower for it than that
///   of a device that gained room (a completion, a device coming up, a job moving away) moves
///   there when its turn in the order comes. Its cost grows with what changed, not with the
///   jobs running. Waiting jobs and the running jobs that may move stand in the order at
///   the key they had when they last waited (a job that moves takes its key then); whether a
///   running job is behind one that starts waiting is judged by its key now. A running job's
///   key only falls in these orders (`srpt`: its remaining time; the others do not change),
///   so a job that keeps waiting never gets ahead of one that runs, and what runs is stopped
///   only for a job that starts waiting. Unlike a round, a decision does not swap two running
///   jobs between a slow and a fast device.
#[derive(Debug, Clone)]
pub struct ListPolicy {
    /// The order.
    pub order: Order,
    /// Where a job starts.
    pub placement: Placement,
    rng: ChaCha8Rng,
}

impl ListPolicy {
    /// The policy of `order` and `placement`; `seed` drives [`Placement::Any`].
    pub fn new(order: Order, placement: Placement, seed: u64) -> ListPolicy {
        ListPolicy {
            order,
            placement,
            rng: ChaCha8Rng::seed_from_u64(seed),
        }
    }

    /// Per device class, the mean estimated time of the jobs present (waiting and running)
    /// that may run there (infinite where none may).
    fn mean_times(view: &View) -> Vec<f64> {
        let inst = view.instance();
        let mut sum = vec![0.0; inst.num_device_classes()];
        let mut count = vec![0usize; inst.num_device_classes()];
        for t in view.waiting().chain(view.running().map(|(t, _)| t)) {
            for &c in inst.eligible_classes(t) {
                sum[c] += inst.class_ptime(t, c);
                count[c] += 1;
            }
        }
        sum.iter()
            .zip(&count)
            .map(|(&s, &c)| if c > 0 { s / c as f64 } else { f64::INFINITY })
            .collect()
    }

    /// The device where job `t` starts, if it fits anywhere.
    fn place(&mut self, view: &View, decision: &Decision, t: usize, mean: &[f64]) -> Option<usize> {
        let inst = view.instance();
        match self.placement {
            Placement::Fastest => decision.fastest_fit(view, t),
            Placement::Any => {
                if let Some(d) = view.device_of(t).filter(|&d| decision.fits(view, t, d)) {
                    return Some(d);
                }
                let fitting: Vec<usize> = inst
                    .eligible(t)
                    .iter()
                    .copied()
                    .filter(|&d| decision.fits(view, t, d))
                    .collect();
                (!fitting.is_empty()).then(|| fitting[self.rng.random_range(0..fitting.len())])
            }
            Placement::Relative => inst
                .eligible(t)
                .iter()
                .copied()
                .filter(|&d| decision.fits(view, t, d))
                .min_by(|&a, &b| {
                    let score = |d: usize| inst.ptime(t, d) / mean[inst.device_class(d)];
                    score(a)
                        .total_cmp(&score(b))
                        .then(inst.ptime(t, a).total_cmp(&inst.ptime(t, b)))
                        .then(a.cmp(&b))
                }),
        }
    }

    /// Job `t`'s key in `order` (smallest first).
    fn key(order: Order, view: &View, t: usize) -> f64 {
        match order {
            Order::Arrival => 0.0,
            Order::Shortest => view.shortest(t),
            Order::ShortestRemaining => view.shortest_remaining(t),
            Order::Deadline => view.instance.task(t).due.unwrap_or(f64::INFINITY),
            Order::Weight => -view.instance.task(t).weight,
            Order::LeastAttained => view.attained(t),
        }
    }
}

/// Where a job in [`ListPolicy::decide_in_place`]'s merged order comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    Waiting,
    Fresh,
    Mover,
    Victim,
}

/// The running jobs that may move in a decision in place: for the devices that gained room,
/// the first in the order that [`Displaced`](super::displaced::Displaced) finds within what one
/// of them has left and faster on its class.
#[derive(Debug, Default)]
struct Movers {
    /// The devices that gained room (at events, or left by a job that moved), each with what
    /// it had left when last searched and the job found then.
    freed: Vec<(usize, Vec<f64>, Option<WaitKey>)>,
    /// The jobs already taken.
    tried: FxHashSet<usize>,
}

impl Movers {
    /// Device `d` gained room.
    fn add(&mut self, d: usize) {
        if !self.freed.iter().any(|f| f.0 == d) {
            self.freed.push((d, Vec::new(), None));
        }
    }

    /// Whether job `t` could move to one of the devices that gained room: faster there, and
    /// room for it.
    fn fits(&self, view: &View, decision: &Decision, t: usize) -> bool {
        let inst = view.instance;
        let here = view
            .device_of(t)
            .map_or(f64::INFINITY, |d| inst.ptime(t, d));
        (self.freed.iter()).any(|&(d, ..)| inst.ptime(t, d) < here && decision.fits(view, t, d))
    }

    /// The next job that may move, if any (job `t` taken since the previous call when given).
    fn next(&mut self, view: &View, decision: &Decision, taken: Option<usize>) -> Option<WaitKey> {
        let (inst, state) = (view.instance, view.state);
        if let Some(t) = taken {
            self.tried.insert(t);
        }
        if self.freed.is_empty() || state.displaced.len() == 0 {
            return None;
        }
        let mut next: Option<WaitKey> = None;
        for (d, searched, found) in &mut self.freed {
            if !decision.is_open(view, *d) {
                continue;
            }
            let left: Vec<f64> = (0..inst.num_resources())
                .map(|k| decision.left(view, *d, k))
                .collect();
            // Search again when the room changed or the job found was taken; not when nothing
            // was found in at least this room.
            let stale = found.is_some_and(|f| self.tried.contains(&f.2))
                || (left != *searched
                    && !(found.is_none()
                        && !searched.is_empty()
                        && left.iter().zip(&*searched).all(|(l, s)| l <= s)));
            if stale || searched.is_empty() {
                let c = inst.device_class(*d);
                let times = |t: usize| inst.class_ptime(t, c);
                let tried = &self.tried;
                *found = (state.displaced)
                    .best(&left, c, times, |key| !tried.contains(&key.2))
                    .map(|(key, _)| key);
                *searched = left;
            }
            if let Some(f) = *found {
                next = Some(next.map_or(f, |n| n.min(f)));
            }
        }
        next
    }
}

impl ListPolicy {
    /// Whether this policy, when it preempts, keeps running jobs in place and reconsiders
    /// only what changed (see [`ListPolicy`]): its placement is [`Placement::Fastest`] and a
    /// running job never falls behind a waiting one in its order (every order but
    /// [`Order::LeastAttained`], whose running jobs' keys grow).
    fn preempts_in_place(&self) -> bool {
        self.placement == Placement::Fastest && self.order != Order::LeastAttained
    }

    /// Job `t`'s place in the order now.
    fn rank(&self, view: &View, t: usize) -> WaitKey {
        let key = Self::key(self.order, view, t);
        wait_key(key, view.arrival(t), t)
    }

    /// A preemptive decision that keeps what runs in place and reconsiders only what changed
    /// since the previous decision: in the order, the waiting jobs take the devices with room
    /// (while some device is open), the jobs that just started waiting and those this decision
    /// stops may also stop jobs behind them in the order, and running jobs on a device slower
    /// for them than one that gained room may move there.
    fn decide_in_place(&mut self, view: &View, decision: &mut Decision) {
        let state = view.state;
        // The jobs that started waiting since the previous decision (their wait key is their
        // rank now: a waiting job's key does not change in these orders).
        let mut fresh: Vec<WaitKey> = state
            .fresh
            .iter()
            .filter(|&&t| state.jobs[t].waiting)
            .map(|&t| state.jobs[t].wait_key)
            .collect();
        fresh.sort_unstable();
        fresh.dedup();
        // The devices that gained room, and the running jobs that may move there.
        let mut freed = state.freed.clone();
        freed.sort_unstable();
        freed.dedup();
        let mut movers = Movers::default();
        for d in freed {
            movers.add(d);
        }
        let mut taken = None;
        let mut waiting = state.waiting.iter().copied().peekable();
        let mut fresh = fresh.into_iter().peekable();
        let mut victims: BinaryHeap<Reverse<WaitKey>> = BinaryHeap::new();
        // The last job taken from `waiting` (fresh jobs up to it were seen there).
        let mut seen: Option<WaitKey> = None;
        loop {
            while fresh.peek().is_some_and(|&f| seen.is_some_and(|s| f <= s)) {
                fresh.next();
            }
            let open = decision.open_devices(view) > 0;
            let mover = movers.next(view, decision, taken.take());
            let heads = [
                (
                    open.then(|| waiting.peek().copied()).flatten(),
                    Source::Waiting,
                ),
                (fresh.peek().copied(), Source::Fresh),
                (mover, Source::Mover),
                (victims.peek().map(|v| v.0), Source::Victim),
            ];
            let Some((key, source)) = heads
                .into_iter()
                .filter_map(|(k, s)| k.map(|k| (k, s)))
                .min_by_key(|&(k, _)| k)
            else {
                break;
            };
            let t = key.2;
            match source {
                Source::Waiting => {
                    waiting.next();
                    seen = Some(key);
                    if fresh.peek() == Some(&key) {
                        fresh.next();
                        self.place_preempting(view, decision, t, key, &mut victims);
                    } else if let Some(d) = decision.fastest_fit(view, t) {
                        decision.start(view, t, d);
                    }
                }
                Source::Fresh => {
                    fresh.next();
                    self.place_preempting(view, decision, t, key, &mut victims);
                }
                Source::Victim => {
                    victims.pop();
                    self.place_preempting(view, decision, t, key, &mut victims);
                }
                Source::Mover => {
                    taken = Some(t);
                    if !decision.is_stopped(t)
                        && movers.fits(view, decision, t)
                        && let Some(d) = decision.faster_fit(view, t)
                    {
                        decision.stop(view, t);
                        decision.start(view, t, d);
                        // The device it leaves gained room: others may move there in turn.
                        let left = view.device_of(t).expect("running");
                        movers.add(left);
                    }
                }
            }
        }
        // What the moves and stops above left room for, for the jobs seen before it freed.
        if !decision.stops.is_empty() {
            let mut stopped: Vec<WaitKey> = decision
                .stops
                .iter()
                .filter(|&&t| decision.started_on(t).is_none())
                .map(|&t| self.rank(view, t))
                .collect();
            stopped.sort_unstable();
            let mut waiting = state.waiting.iter().copied().peekable();
            let mut stopped = stopped.into_iter().peekable();
            while decision.open_devices(view) > 0 {
                let next = match (waiting.peek(), stopped.peek()) {
                    (Some(w), Some(s)) if w <= s => waiting.next(),
                    (_, Some(_)) => stopped.next(),
                    (Some(_), None) => waiting.next(),
                    (None, None) => break,
                };
                let t = next.expect("a job").2;
                if decision.started_on(t).is_none()
                    && let Some(d) = decision.fastest_fit(view, t)
                {
                    decision.start(view, t, d);
                }
            }
        }
    }

    /// Start job `t` (waiting or stopped, at `key` in the order) on the fastest class where it
    /// fits, or where stopping running jobs behind it in the order makes room (the last in the
    /// order first, as few as needed); those stopped join `victims`.
    fn place_preempting(
        &self,
        view: &View,
        decision: &mut Decision,
        t: usize,
        key: WaitKey,
        victims: &mut BinaryHeap<Reverse<WaitKey>>,
    ) {
        if decision.started_on(t).is_some() {
            return;
        }
        let inst = view.instance;
        let mut classes: Vec<(f64, usize)> = inst
            .eligible_classes(t)
            .iter()
            .map(|&c| (inst.class_ptime(t, c), c))
            .collect();
        classes.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        for (_, c) in classes {
            if let Some(d) = decision.first_fit(view, t, c) {
                decision.start(view, t, d);
                return;
            }
            if let Some((d, stopped)) = self.victims(view, decision, t, key, c) {
                for v in stopped {
                    decision.stop(view, v);
                    victims.push(Reverse(self.rank(view, v)));
                }
                decision.start(view, t, d);
                return;
            }
        }
    }

    /// A device of class `c` where job `t` (at `key` in the order) fits once running jobs
    /// behind it stop, with those jobs: the device where the last jobs in the order make
    /// enough room first.
    fn victims(
        &self,
        view: &View,
        decision: &Decision,
        t: usize,
        key: WaitKey,
        c: usize,
    ) -> Option<(usize, Vec<usize>)> {
        let state = view.state;
        let mut on: FxHashMap<usize, Vec<usize>> = FxHashMap::default();
        let mut found = None;
        // Bounds found too high, lowered after the search.
        let mut lower: Vec<(usize, WaitKey)> = Vec::new();
        {
            let running = state.running_keys.borrow();
            // By their bounds, the last first (a running job's key only falls, so the search
            // ends at the first bound not behind `t`).
            for &bound in running[c].iter().rev() {
                if bound <= key {
                    break;
                }
                let r = bound.2;
                if decision.is_stopped(r) {
                    continue;
                }
                let rank = self.rank(view, r);
                if rank < bound {
                    lower.push((r, rank));
                }
                if rank <= key {
                    continue;
                }
                let d = view.device_of(r).expect("running");
                let list = on.entry(d).or_default();
                list.push(r);
                if decision.fits_without(view, t, d, list) {
                    found = Some((d, std::mem::take(list)));
                    break;
                }
            }
        }
        let mut running = state.running_keys.borrow_mut();
        for (r, rank) in lower {
            running[c].remove(&state.jobs[r].bound.get());
            running[c].insert(rank);
            state.jobs[r].bound.set(rank);
        }
        found
    }
}

impl Policy for ListPolicy {
    fn order_key(&self, view: &View, t: usize) -> f64 {
        Self::key(self.order, view, t)
    }

    fn decide(&mut self, view: &View, decision: &mut Decision) {
        if decision.preemption() && !decision.rounds() && self.preempts_in_place() {
            return self.decide_in_place(view, decision);
        }
        let order = |a: &(f64, f64, usize), b: &(f64, f64, usize)| {
            a.0.total_cmp(&b.0)
                .then(a.1.total_cmp(&b.1))
                .then(a.2.cmp(&b.2))
        };
        let by = self.order;
        let keyed = |t: usize| (Self::key(by, view, t), view.arrival(t), t);
        // Preemptive: every running job stops and takes its turn in the order.
        let mut running: Vec<(f64, f64, usize)> = Vec::new();
        if decision.preemption() {
            running = view.running().map(|(t, _)| keyed(t)).collect();
            running.sort_by(order);
            for r in &running {
                decision.stop(view, r.2);
            }
        }
        let mean = if self.placement == Placement::Relative {
            Self::mean_times(view)
        } else {
            Vec::new()
        };
        // The waiting jobs come in the order already (their key is this policy's order key).
        let mut waiting = view.waiting().map(keyed).peekable();
        let mut running = running.into_iter().peekable();
        while decision.open_devices(view) > 0 {
            let next = match (waiting.peek(), running.peek()) {
                (Some(w), Some(r)) if order(w, r).is_le() => waiting.next(),
                (_, Some(_)) => running.next(),
                (Some(_), None) => waiting.next(),
                (None, None) => break,
            };
            let t = next.expect("a job").2;
            if let Some(d) = self.place(view, decision, t, &mean) {
                decision.start(view, t, d);
            }
        }
    }
}

impl Order {
    /// The order of the list policy named `name` (`fcfs`, `sjf`, `srpt`, `edf`, `priority`,
    /// `las`); `None` for another name.
    pub fn of_policy(name: &str) -> Option<Order> {
        Some(match name {
            "fcfs" => Order::Arrival,
            "sjf" => Order::Shortest,
            "srpt" => Order::ShortestRemaining,
            "edf" => Order::Deadline,
            "priority" => Order::Weight,
            "las" => Order::LeastAttained,
            _ => return None,
        })
    }
}
