//! Small drawing and rounding helpers shared by the families.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// Uniform in [lo, hi).
pub(super) fn uniform(rng: &mut ChaCha8Rng, lo: f64, hi: f64) -> f64 {
    lo + (hi - lo) * rng.random::<f64>()
}

/// ⌊x⌋ + 1 with probability x − ⌊x⌋: an integer with mean x.
pub(super) fn draw_count(rng: &mut ChaCha8Rng, x: f64) -> usize {
    let base = x.floor();
    base as usize + usize::from(rng.random::<f64>() < x - base)
}

pub(super) fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

pub(super) fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// The fluid estimate of the makespan: Σ_t 1 / Σ_d 1/p(t, d), each task spread over all its
/// devices (Σ work / Σ speed when every task runs everywhere at work / speed).
pub(super) fn estimated_makespan<'a>(rows: impl Iterator<Item = &'a [f64]>) -> f64 {
    rows.map(|row| {
        let rate: f64 = row.iter().filter(|p| p.is_finite()).map(|p| 1.0 / p).sum();
        if rate.is_finite() && rate > 0.0 {
            1.0 / rate
        } else {
            0.0
        }
    })
    .sum()
}

/// Split `total` among the entries by largest remainder (ties: lower index first); zero
/// weights get nothing. The weights must not all be 0.
pub(super) fn apportion(total: usize, weights: &[f64]) -> Vec<usize> {
    let sum: f64 = weights.iter().sum();
    let quota: Vec<f64> = weights.iter().map(|w| w / sum * total as f64).collect();
    let mut counts: Vec<usize> = quota.iter().map(|q| q.floor() as usize).collect();
    let given: usize = counts.iter().sum();
    let mut order: Vec<usize> = (0..weights.len()).filter(|&i| weights[i] > 0.0).collect();
    order.sort_by(|&a, &b| {
        let (ra, rb) = (quota[a] - counts[a] as f64, quota[b] - counts[b] as f64);
        rb.total_cmp(&ra).then(a.cmp(&b))
    });
    for &i in order.iter().cycle().take(total.saturating_sub(given)) {
        counts[i] += 1;
    }
    counts
}

/// 10^x for 0 ≤ x < 300, the same bits on every platform: 10^⌊x⌋ by repeated multiplication
/// times e^y, y = (x − ⌊x⌋) · ln 10 < 2.31, by its Taylor series to the term y^30/30! (below
/// 10^−21). Only `+ × ÷`, in a fixed order, unlike `powf`, whose last bit depends on the
/// platform's libm. Relative error below 10^−15.
pub(super) fn exp10(x: f64) -> f64 {
    debug_assert!((0.0..300.0).contains(&x), "{x}");
    let whole = x.floor();
    let y = (x - whole) * std::f64::consts::LN_10;
    let (mut term, mut sum) = (1.0, 1.0);
    for k in 1..=30 {
        term = term * y / f64::from(k);
        sum += term;
    }
    let mut scale = 1.0;
    for _ in 0..whole as u32 {
        scale *= 10.0;
    }
    scale * sum
}

/// Due dates, taking the tasks in `order` (predecessors first): due(v) = max(release(v), due
/// dates of v's predecessors) + s × fastest(v), s ~ U[1, due_slack), rounded to 2 decimals.
/// `release_fastest(v)` gives task v's release and its fastest time.
pub(super) fn draw_dues(
    order: impl IntoIterator<Item = usize>,
    preds: &[Vec<usize>],
    release_fastest: impl Fn(usize) -> (f64, f64),
    due_slack: f64,
    rng: &mut ChaCha8Rng,
) -> Vec<f64> {
    let mut due = vec![0.0; preds.len()];
    for v in order {
        let (release, fastest) = release_fastest(v);
        let ready = preds[v].iter().map(|&u| due[u]).fold(release, f64::max);
        let slack = uniform(rng, 1.0, due_slack);
        due[v] = round2(ready + slack * fastest);
    }
    due
}

/// The smallest of a task's times (∞ for none).
pub(super) fn fastest(times: &[f64]) -> f64 {
    times.iter().copied().fold(f64::INFINITY, f64::min)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exp10_matches_powf() {
        for i in 0..=4000 {
            let x = f64::from(i) / 1000.0;
            let (ours, libm) = (exp10(x), 10f64.powf(x));
            assert!(
                (ours - libm).abs() <= 2e-15 * libm,
                "10^{x}: {ours} vs {libm}"
            );
        }
        assert_eq!(exp10(0.0), 1.0);
        assert_eq!(exp10(3.0), 1000.0);
    }

    #[test]
    fn apportion_by_largest_remainder() {
        assert_eq!(apportion(7, &[1.0, 0.0, 1.0]), vec![4, 0, 3]);
        assert_eq!(apportion(1, &[0.0, 0.0, 0.3]), vec![0, 0, 1]);
        assert_eq!(apportion(2, &[1.0; 3]), vec![1, 1, 0]);
        assert_eq!(apportion(16, &[1.0; 3]), vec![6, 5, 5]);
    }
}
