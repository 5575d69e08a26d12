//! Column generation on the time-indexed model, for the objectives that are sums over tasks
//! (Σw·C, Σw·T, costs): its LP bound, reduced-cost fixing, and branch-and-price.
//!
//! Relax "every task starts once" with multipliers λ (and the devices' busy-time and task-count
//! budgets with ν ≤ 0) and drop precedence: what is left splits into one shortest-path problem
//! per device over its periods ([`paths`]). Every λ gives a valid lower bound
//! L(λ) = Σλ_t + Σ_d ν_d·budget_d + Σ_d (shortest path of d); the best one is found by column
//! generation ([`master`]): a master LP over device paths (HiGHS) whose duals are the next λ.
//! Since the paths never run a task twice in a row nor a pair that a swap would improve, the
//! bound is at least the time-indexed LP bound (van den Akker, Hurkens & Savelsbergh 2000) and
//! often well above it. On OR-Library wt40 the root takes well under a second to a few seconds,
//! where HiGHS's simplex method does not finish the plain time-indexed LP in 100 s.
//!
//! [`tree`] branches on start times with this bound at every node (branch-and-price); without
//! precedence the master is the whole model, so an integral node is a schedule.

pub(super) mod master;
pub(super) mod paths;
pub(super) mod sequence;
pub(super) mod tree;
