//! Task patterns: k-means++ over standardised execution features (nalgebra), seeded, with the
//! number of patterns given or chosen by the mean silhouette.
//!
//! The numeric features of a history are put in log space when all their values are > 0 (as
//! the power laws are), then standardised (mean 0, standard deviation 1), so that no unit
//! dominates; categorical features are left out (a pattern is a region of the numeric feature
//! space; its share of each category can be read from the assignments).

use super::history::{History, Value};
use crate::error::Error;
use crate::solve::meta::rng_stream;
use nalgebra::{DMatrix, RowDVector};
use rand::Rng;
use std::collections::BTreeMap;

/// k-means restarts; the partition with the least inertia is kept.
pub const RESTARTS: u64 = 10;
/// Largest number of Lloyd iterations per restart.
pub const MAX_ITERATIONS: usize = 300;
/// Rows the silhouette is computed on at most (a seeded sample beyond), as it is quadratic.
pub const SILHOUETTE_SAMPLE: usize = 2000;

/// A partition of points into k clusters.
#[derive(Debug, Clone, PartialEq)]
pub struct Clustering {
    /// Cluster of each point, 0 … k−1, numbered by first appearance in point order.
    pub labels: Vec<usize>,
    /// Centre of each cluster (rows), in the points' coordinates.
    pub centres: DMatrix<f64>,
    /// Sum of squared distances of the points to their centres.
    pub inertia: f64,
}

/// Squared distance between row i of `a` and row j of `b` (no allocation: it is the inner loop).
fn dist2(a: &DMatrix<f64>, i: usize, b: &DMatrix<f64>, j: usize) -> f64 {
    (0..a.ncols())
        .map(|c| {
            let d = a[(i, c)] - b[(j, c)];
            d * d
        })
        .sum()
}

/// One k-means++ start (Arthur and Vassilvitskii, 2007) and Lloyd's iterations.
fn lloyd(points: &DMatrix<f64>, k: usize, rng: &mut rand_chacha::ChaCha8Rng) -> Clustering {
    let (n, d) = points.shape();
    let mut centres = DMatrix::<f64>::zeros(k, d);
    centres.set_row(0, &points.row(rng.random_range(0..n)));
    let mut nearest: Vec<f64> = (0..n).map(|i| dist2(points, i, &centres, 0)).collect();
    for c in 1..k {
        let total: f64 = nearest.iter().sum();
        let pick = if total > 0.0 {
            let mut r = rng.random::<f64>() * total;
            let mut pick = n - 1;
            for (i, w) in nearest.iter().enumerate() {
                if r < *w {
                    pick = i;
                    break;
                }
                r -= w;
            }
            pick
        } else {
            rng.random_range(0..n)
        };
        centres.set_row(c, &points.row(pick));
        for (i, m) in nearest.iter_mut().enumerate() {
            *m = m.min(dist2(points, i, &centres, c));
        }
    }
    let mut labels = vec![usize::MAX; n];
    for _ in 0..MAX_ITERATIONS {
        let mut changed = false;
        for (i, label) in labels.iter_mut().enumerate() {
            let best = (0..k)
                .min_by(|&a, &b| {
                    dist2(points, i, &centres, a).total_cmp(&dist2(points, i, &centres, b))
                })
                .expect("k ≥ 1");
            changed |= *label != best;
            *label = best;
        }
        if !changed {
            break;
        }
        let mut sums = DMatrix::<f64>::zeros(k, d);
        let mut counts = vec![0usize; k];
        for (i, &l) in labels.iter().enumerate() {
            let row = sums.row(l) + points.row(i);
            sums.set_row(l, &row);
            counts[l] += 1;
        }
        for (c, &count) in counts.iter().enumerate() {
            if count > 0 {
                let row: RowDVector<f64> = sums.row(c) / count as f64;
                centres.set_row(c, &row);
            } else {
                // An empty cluster restarts at the point farthest from its centre.
                let far = (0..n)
                    .max_by(|&a, &b| {
                        dist2(points, a, &centres, labels[a])
                            .total_cmp(&dist2(points, b, &centres, labels[b]))
                    })
                    .expect("n ≥ 1");
                centres.set_row(c, &points.row(far));
                labels[far] = c;
            }
        }
    }
    let inertia = (0..n).map(|i| dist2(points, i, &centres, labels[i])).sum();
    Clustering {
        labels,
        centres,
        inertia,
    }
}

/// Renumber the clusters by first appearance, so equal partitions print equally.
fn canonical(c: Clustering) -> Clustering {
    let k = c.centres.nrows();
    let mut map = vec![usize::MAX; k];
    let mut next = 0;
    for &l in &c.labels {
        if map[l] == usize::MAX {
            map[l] = next;
            next += 1;
        }
    }
    for m in map.iter_mut().filter(|m| **m == usize::MAX) {
        *m = next;
        next += 1;
    }
    let mut centres = c.centres.clone();
    for (old, &new) in map.iter().enumerate() {
        centres.set_row(new, &c.centres.row(old));
    }
    Clustering {
        labels: c.labels.iter().map(|&l| map[l]).collect(),
        centres,
        inertia: c.inertia,
    }
}

/// k-means++ with [`RESTARTS`] seeded restarts on the rows of `points`: same seed, same
/// clusters.
///
/// Returns [`Error::Usage`] unless 1 ≤ k ≤ number of points.
///
/// ```
/// use hetsched::learn::patterns::kmeans;
/// let points = nalgebra::DMatrix::from_row_slice(6, 1, &[0.0, 0.1, 0.2, 10.0, 10.1, 10.2]);
/// let c = kmeans(&points, 2, 7).unwrap();
/// assert_eq!(c.labels, [0, 0, 0, 1, 1, 1]);
/// ```
pub fn kmeans(points: &DMatrix<f64>, k: usize, seed: u64) -> Result<Clustering, Error> {
    let n = points.nrows();
    if k == 0 || k > n {
        return Err(Error::Usage(format!(
            "k must be 1 to the number of rows ({n}), got {k}"
        )));
    }
    let best = (0..RESTARTS)
        .map(|r| lloyd(points, k, &mut rng_stream(seed, 100 + r)))
        .reduce(|a, b| if b.inertia < a.inertia { b } else { a })
        .expect("RESTARTS ≥ 1");
    Ok(canonical(best))
}

/// Mean silhouette (Rousseeuw, 1987) of a partition: for each point, (b − a) / max(a, b) with a
/// its mean distance to its own cluster and b to the nearest other one. Computed on at most
/// [`SILHOUETTE_SAMPLE`] points (a seeded sample).
pub fn silhouette(points: &DMatrix<f64>, labels: &[usize], seed: u64) -> f64 {
    let n = points.nrows();
    let k = labels.iter().max().map_or(0, |m| m + 1);
    let mut sample: Vec<usize> = (0..n).collect();
    if n > SILHOUETTE_SAMPLE {
        use rand::seq::SliceRandom;
        sample.shuffle(&mut rng_stream(seed, 99));
        sample.truncate(SILHOUETTE_SAMPLE);
        sample.sort_unstable();
    }
    let mut total = 0.0;
    for &i in &sample {
        let mut sum = vec![0.0; k];
        let mut count = vec![0usize; k];
        for &j in &sample {
            if j != i {
                sum[labels[j]] += dist2(points, i, points, j).sqrt();
                count[labels[j]] += 1;
            }
        }
        let own = labels[i];
        if count[own] == 0 {
            continue; // a singleton scores 0
        }
        let a = sum[own] / count[own] as f64;
        let b = (0..k)
            .filter(|&c| c != own && count[c] > 0)
            .map(|c| sum[c] / count[c] as f64)
            .fold(f64::INFINITY, f64::min);
        if b.is_finite() && a.max(b) > 0.0 {
            total += (b - a) / a.max(b);
        }
    }
    total / sample.len().max(1) as f64
}

/// How many patterns to look for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KChoice {
    /// Exactly this many.
    Fixed(usize),
    /// The k in 2 ..= max with the largest mean silhouette (the smaller k on ties).
    Auto {
        /// Largest k tried.
        max: usize,
    },
}

/// One pattern of a history.
#[derive(Debug, Clone, PartialEq)]
pub struct Pattern {
    /// Rows in it.
    pub size: usize,
    /// Its centre in the features' units (geometric mean for log features), per feature.
    pub centre: Vec<f64>,
    /// Device kind → (rows, median runtime) of its rows on that kind.
    pub runtime: BTreeMap<String, (usize, f64)>,
}

/// The patterns of a history.
#[derive(Debug, Clone, PartialEq)]
pub struct PatternReport {
    /// The numeric features used, in order.
    pub features: Vec<String>,
    /// Whether each was taken in log space.
    pub log: Vec<bool>,
    /// Pattern of each row.
    pub labels: Vec<usize>,
    /// The patterns.
    pub patterns: Vec<Pattern>,
    /// With [`KChoice::Auto`]: the mean silhouette of each k tried.
    pub silhouettes: Vec<(usize, f64)>,
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    let m = v.len() / 2;
    if v.len() % 2 == 1 {
        v[m]
    } else {
        (v[m - 1] + v[m]) / 2.0
    }
}

/// Find the patterns of a history: k-means++ on its standardised numeric features.
///
/// Returns [`Error::Usage`] when the history has no numeric feature, or k is out of range.
pub fn patterns(history: &History, k: KChoice, seed: u64) -> Result<PatternReport, Error> {
    let cols: Vec<usize> = (0..history.features.len())
        .filter(|&j| matches!(history.records[0].values[j], Value::Num(_)))
        .collect();
    if cols.is_empty() {
        return Err(Error::Usage(format!(
            "{}: patterns need at least one numeric feature",
            history.origin.display()
        )));
    }
    let n = history.records.len();
    let num = |i: usize, j: usize| match history.records[i].values[j] {
        Value::Num(x) => x,
        Value::Cat(_) => unreachable!("numeric column"),
    };
    let log: Vec<bool> = cols
        .iter()
        .map(|&j| (0..n).all(|i| num(i, j) > 0.0))
        .collect();
    let mut raw = DMatrix::<f64>::zeros(n, cols.len());
    for i in 0..n {
        for (c, &j) in cols.iter().enumerate() {
            raw[(i, c)] = if log[c] { num(i, j).ln() } else { num(i, j) };
        }
    }
    let mut points = raw.clone();
    for c in 0..cols.len() {
        let mean = raw.column(c).mean();
        let sd = raw.column(c).variance().sqrt();
        let sd = if sd > 1e-12 { sd } else { 1.0 };
        for i in 0..n {
            points[(i, c)] = (raw[(i, c)] - mean) / sd;
        }
    }
    let (clustering, silhouettes) = match k {
        KChoice::Fixed(k) => (kmeans(&points, k, seed)?, Vec::new()),
        KChoice::Auto { max } => {
            let max = max.min(n.saturating_sub(1));
            if max < 2 {
                return Err(Error::Usage(format!(
                    "--k auto needs at least 3 rows and a largest k ≥ 2 (here {n} rows)"
                )));
            }
            let mut best: Option<(f64, Clustering)> = None;
            let mut scores = Vec::new();
            for k in 2..=max {
                let c = kmeans(&points, k, seed)?;
                let s = silhouette(&points, &c.labels, seed);
                scores.push((k, s));
                if best.as_ref().is_none_or(|(b, _)| s > *b) {
                    best = Some((s, c));
                }
            }
            (best.expect("k = 2 tried").1, scores)
        }
    };
    let k = clustering.centres.nrows();
    let patterns = (0..k)
        .map(|p| {
            let rows: Vec<usize> = (0..n).filter(|&i| clustering.labels[i] == p).collect();
            let centre = (0..cols.len())
                .map(|c| {
                    let m =
                        rows.iter().map(|&i| raw[(i, c)]).sum::<f64>() / rows.len().max(1) as f64;
                    if log[c] { m.exp() } else { m }
                })
                .collect();
            let mut by_kind: BTreeMap<String, Vec<f64>> = BTreeMap::new();
            for &i in &rows {
                let r = &history.records[i];
                by_kind.entry(r.kind.clone()).or_default().push(r.runtime);
            }
            let runtime = by_kind
                .into_iter()
                .map(|(kind, mut v)| (kind, (v.len(), median(&mut v))))
                .collect();
            Pattern {
                size: rows.len(),
                centre,
                runtime,
            }
        })
        .collect();
    Ok(PatternReport {
        features: cols
            .iter()
            .map(|&j| history.features[j].name.clone())
            .collect(),
        log,
        labels: clustering.labels,
        patterns,
        silhouettes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::history::{HistoryParams, history};
    use crate::learn::history::ReadOptions;
    use crate::learn::validate::adjusted_rand_index;

    fn planted(seed: u64) -> (History, Vec<usize>) {
        let g = history(&HistoryParams::new(1000, 5), seed).unwrap();
        let h = History::parse(&g.csv, "h.csv".as_ref(), &ReadOptions::default()).unwrap();
        (h, g.pattern)
    }

    #[test]
    fn planted_patterns_are_recovered_the_same_way_every_time() {
        for seed in [1, 2] {
            let (h, truth) = planted(seed);
            let a = patterns(&h, KChoice::Fixed(4), 3).unwrap();
            let ari = adjusted_rand_index(&a.labels, &truth);
            assert!(ari >= 0.9, "seed {seed}: ARI {ari}");
            assert_eq!(a, patterns(&h, KChoice::Fixed(4), 3).unwrap());
            assert_eq!(a.patterns.iter().map(|p| p.size).sum::<usize>(), 1000);
        }
    }

    #[test]
    fn auto_finds_the_planted_number() {
        let (h, _) = planted(1);
        let a = patterns(&h, KChoice::Auto { max: 8 }, 0).unwrap();
        assert_eq!(a.patterns.len(), 4, "{:?}", a.silhouettes);
        assert_eq!(a.silhouettes.len(), 7);
    }

    #[test]
    fn k_out_of_range_is_refused() {
        let points = DMatrix::from_row_slice(2, 1, &[0.0, 1.0]);
        assert!(kmeans(&points, 0, 0).is_err());
        assert!(kmeans(&points, 3, 0).is_err());
        assert_eq!(kmeans(&points, 2, 0).unwrap().inertia, 0.0);
    }
}
