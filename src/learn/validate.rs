//! k-fold cross-validation and the error measures: mean absolute percentage error, empirical
//! quantiles, interval coverage.

use super::solve::{Candidate, Data, fit_candidate};
use rand::seq::SliceRandom;

/// The fold (0 … k−1) of each of `n` rows: a seeded shuffle dealt round-robin, so fold sizes
/// differ by at most one and the same seed gives the same folds.
pub fn folds(n: usize, k: usize, seed: u64) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    order.shuffle(&mut crate::solve::meta::rng_stream(seed, 0x1ea2));
    let mut fold = vec![0; n];
    for (pos, &i) in order.iter().enumerate() {
        fold[i] = pos % k.max(1);
    }
    fold
}

/// Out-of-fold predictions of ln(runtime): each row predicted by `candidate` fitted on the
/// other folds (`None` when its kind is absent from them).
pub(crate) fn out_of_fold(
    candidate: Candidate,
    data: &Data,
    fold: &[usize],
    k: usize,
) -> Vec<Option<f64>> {
    let mut out = vec![None; data.y.len()];
    for f in 0..k {
        let train: Vec<usize> = (0..fold.len()).filter(|&i| fold[i] != f).collect();
        if train.is_empty() {
            continue;
        }
        let fitted = fit_candidate(candidate, data, &train);
        for i in (0..fold.len()).filter(|&i| fold[i] == f) {
            out[i] = fitted.predict(data, i);
        }
    }
    out
}

/// Predictions of ln(runtime) for the rows of each group by `candidate` fitted on the rows
/// outside the group: (row, prediction) pairs, a row once per group it is in.
pub(crate) fn out_of_group(
    candidate: Candidate,
    data: &Data,
    groups: &[Vec<usize>],
) -> Vec<(usize, f64)> {
    let mut out = Vec::new();
    let mut inside = vec![false; data.y.len()];
    for group in groups {
        for &i in group {
            inside[i] = true;
        }
        let train: Vec<usize> = (0..data.y.len()).filter(|&i| !inside[i]).collect();
        let fitted = fit_candidate(candidate, data, &train);
        out.extend(
            group
                .iter()
                .filter_map(|&i| fitted.predict(data, i).map(|p| (i, p))),
        );
        for &i in group {
            inside[i] = false;
        }
    }
    out
}

/// Mean of |predicted − observed| / observed over the pairs (0.05 = 5 %); `None` when empty.
pub fn mape(pairs: impl IntoIterator<Item = (f64, f64)>) -> Option<f64> {
    let (mut sum, mut n) = (0.0, 0usize);
    for (predicted, observed) in pairs {
        sum += (predicted - observed).abs() / observed;
        n += 1;
    }
    (n > 0).then(|| sum / n as f64)
}

/// The q-quantile (0 ≤ q ≤ 1) of `values`, interpolating linearly between order statistics
/// (type 7 of Hyndman and Fan); `None` when empty.
pub fn quantile(values: &[f64], q: f64) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let h = q.clamp(0.0, 1.0) * (v.len() - 1) as f64;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(v.len() - 1);
    Some(v[lo] + (h - lo as f64) * (v[hi] - v[lo]))
}

/// The residual quantiles at (1 − level)/2 and (1 + level)/2.
pub fn interval(residuals: &[f64], level: f64) -> Option<[f64; 2]> {
    Some([
        quantile(residuals, (1.0 - level) / 2.0)?,
        quantile(residuals, (1.0 + level) / 2.0)?,
    ])
}

/// Adjusted Rand index of two labellings of the same items (Hubert and Arabie, 1985): 1 for
/// identical partitions (up to renaming), about 0 for independent ones.
///
/// ```
/// use hetsched::learn::validate::adjusted_rand_index;
/// assert_eq!(adjusted_rand_index(&[0, 0, 1, 1], &[5, 5, 3, 3]), 1.0);
/// assert!(adjusted_rand_index(&[0, 0, 1, 1], &[0, 1, 0, 1]) < 0.0);
/// ```
pub fn adjusted_rand_index(a: &[usize], b: &[usize]) -> f64 {
    use std::collections::BTreeMap;
    let pairs = |n: f64| n * (n - 1.0) / 2.0;
    let mut table: BTreeMap<(usize, usize), f64> = BTreeMap::new();
    let mut rows: BTreeMap<usize, f64> = BTreeMap::new();
    let mut cols: BTreeMap<usize, f64> = BTreeMap::new();
    for (&x, &y) in a.iter().zip(b) {
        *table.entry((x, y)).or_default() += 1.0;
        *rows.entry(x).or_default() += 1.0;
        *cols.entry(y).or_default() += 1.0;
    }
    let index: f64 = table.values().map(|&n| pairs(n)).sum();
    let sa: f64 = rows.values().map(|&n| pairs(n)).sum();
    let sb: f64 = cols.values().map(|&n| pairs(n)).sum();
    let total = pairs(a.len().min(b.len()) as f64);
    let expected = if total > 0.0 { sa * sb / total } else { 0.0 };
    let max = (sa + sb) / 2.0;
    if (max - expected).abs() < 1e-12 {
        return 1.0;
    }
    (index - expected) / (max - expected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_are_balanced_and_seeded() {
        let f = folds(103, 5, 7);
        for k in 0..5 {
            let n = f.iter().filter(|&&x| x == k).count();
            assert!(n == 20 || n == 21, "{n}");
        }
        assert_eq!(f, folds(103, 5, 7));
        assert_ne!(f, folds(103, 5, 8));
    }

    #[test]
    fn quantiles_and_mape() {
        let v = [3.0, 1.0, 2.0, 4.0, 5.0];
        assert_eq!(quantile(&v, 0.5), Some(3.0));
        assert_eq!(quantile(&v, 0.0), Some(1.0));
        assert_eq!(quantile(&v, 0.125), Some(1.5));
        assert_eq!(quantile(&[], 0.5), None);
        assert_eq!(mape([(110.0, 100.0), (45.0, 50.0)]), Some(0.1));
    }
}
