//! [`fit`]: from a history to a [`Model`] — encode the features, cross-validate every candidate,
//! keep the best, refit it on every row, and derive the prediction interval from its held-out
//! residuals.

use super::history::{FeatureKind, History, Value};
use super::model::{
    CandidateScore, FORMAT, FeatureSpec, KindModel, LinearModel, Model, Seen, UnseenPairs, VERSION,
    encode, term_names,
};
use super::solve::{Candidate, Data, Fitted, fit_candidate};
use super::validate::{folds, interval, mape, out_of_fold, out_of_group};
use crate::error::Error;
use std::collections::{BTreeMap, BTreeSet};

/// How [`fit`] fits and selects.
#[derive(Debug, Clone, PartialEq)]
pub struct FitOptions {
    /// Cross-validation folds (at least 2; fewer rows than folds: one row per fold).
    pub folds: usize,
    /// Seed of the fold assignment: same seed, same model.
    pub seed: u64,
    /// Level of the prediction intervals, in (0, 1).
    pub level: f64,
    /// The candidates to compare ([`Candidate::defaults`] by default).
    pub candidates: Vec<Candidate>,
}

impl Default for FitOptions {
    fn default() -> Self {
        FitOptions {
            folds: 5,
            seed: 0,
            level: 0.9,
            candidates: Candidate::defaults(),
        }
    }
}

/// The feature specifications of a history: numeric features in log space when every value is
/// > 0, categorical ones with their sorted levels.
fn specs(history: &History) -> Vec<FeatureSpec> {
    history
        .features
        .iter()
        .enumerate()
        .map(|(j, f)| match f.kind {
            FeatureKind::Numeric => FeatureSpec::Numeric {
                name: f.name.clone(),
                log: history
                    .records
                    .iter()
                    .all(|r| matches!(r.values[j], Value::Num(x) if x > 0.0)),
            },
            FeatureKind::Categorical => {
                let levels: BTreeSet<&str> = history
                    .records
                    .iter()
                    .filter_map(|r| match &r.values[j] {
                        Value::Cat(c) => Some(c.as_str()),
                        Value::Num(_) => None,
                    })
                    .collect();
                FeatureSpec::Categorical {
                    name: f.name.clone(),
                    levels: levels.into_iter().map(str::to_string).collect(),
                }
            }
        })
        .collect()
}

/// What the history covered per kind.
fn seen(history: &History, kinds: &[String]) -> Vec<Seen> {
    let mut out = vec![Seen::default(); kinds.len()];
    for r in &history.records {
        let k = kinds.binary_search(&r.kind).expect("kind listed");
        let s = &mut out[k];
        s.rows += 1;
        for (f, v) in history.features.iter().zip(&r.values) {
            match v {
                Value::Num(x) => {
                    let e = s.ranges.entry(f.name.clone()).or_insert([*x, *x]);
                    e[0] = e[0].min(*x);
                    e[1] = e[1].max(*x);
                }
                Value::Cat(c) => {
                    let l = s.levels.entry(f.name.clone()).or_default();
                    if let Err(at) = l.binary_search(c) {
                        l.insert(at, c.clone());
                    }
                }
            }
        }
    }
    out
}

/// The (level, kind) pairs to leave out: for every categorical feature, the rows of each level
/// on each kind, when that level also ran on another kind.
fn pair_groups(history: &History) -> Vec<Vec<usize>> {
    let mut groups = Vec::new();
    for (j, f) in history.features.iter().enumerate() {
        if f.kind != FeatureKind::Categorical {
            continue;
        }
        let mut by_pair: BTreeMap<(&str, &str), Vec<usize>> = BTreeMap::new();
        for (i, r) in history.records.iter().enumerate() {
            if let Value::Cat(c) = &r.values[j] {
                by_pair
                    .entry((c.as_str(), r.kind.as_str()))
                    .or_default()
                    .push(i);
            }
        }
        for ((level, kind), rows) in &by_pair {
            if by_pair.keys().any(|(l, k)| l == level && k != kind) {
                groups.push(rows.clone());
            }
        }
    }
    groups
}

/// At most this many (level, kind) pairs are left out to score unseen pairs: more would only
/// refine an estimate, each costs one fit per candidate.
pub const MAX_PAIR_GROUPS: usize = 24;

/// Largest fitting work [`fit`] accepts, in floating-point operations of the factorisations
/// (about ten seconds on one core).
pub const MAX_FIT_WORK: f64 = 2e10;

/// At most `max` of `items`, evenly spread over them (all when there are not more).
fn spread<T>(items: Vec<T>, max: usize) -> Vec<T> {
    let n = items.len();
    if n <= max {
        return items;
    }
    items
        .into_iter()
        .enumerate()
        .filter(|(i, _)| i * max / n != (i + 1) * max / n)
        .map(|(_, item)| item)
        .collect()
}

/// Refuse a fit whose factorisations would cost more than [`MAX_FIT_WORK`]: `fits` fits per
/// candidate, each a Cholesky factorisation of its normal matrix (a cross-kind model has a
/// column per kind, per term and per kind × term).
fn check_work(
    history: &History,
    data: &Data,
    options: &FitOptions,
    fits: usize,
) -> Result<(), Error> {
    let dim = |c: &Candidate| match c {
        Candidate::PerKind { .. } => (data.terms + 1) as f64,
        Candidate::CrossKind { .. } => (data.kinds * (data.terms + 1) + data.terms) as f64,
    };
    let work: f64 = options
        .candidates
        .iter()
        .map(|c| fits as f64 * dim(c).powi(3) / 3.0)
        .sum();
    if work > MAX_FIT_WORK {
        return Err(Error::Usage(format!(
            "{}: {} device kinds × {} model terms make a cross-kind model of {} columns, \
             too large to cross-validate ({:.0e} operations); choose fewer features (a \
             categorical feature adds a term per value)",
            history.origin.display(),
            data.kinds,
            data.terms,
            data.kinds * (data.terms + 1) + data.terms,
            work
        )));
    }
    Ok(())
}

/// The cross-validated result of one candidate.
struct Scored {
    score: CandidateScore,
    residuals: Vec<f64>,
    pair_residuals: Vec<f64>,
}

fn score(
    candidate: Candidate,
    data: &Data,
    (fold, k): (&[usize], usize),
    groups: &[Vec<usize>],
    level: f64,
) -> Scored {
    let by_pair = if groups.is_empty() {
        Vec::new()
    } else {
        out_of_group(candidate, data, groups)
    };
    let oof = out_of_fold(candidate, data, fold, k);
    let unpredicted = oof.iter().filter(|p| p.is_none()).count();
    let pairs: Vec<(usize, f64)> = oof
        .iter()
        .enumerate()
        .filter_map(|(i, p)| p.map(|p| (i, p)))
        .collect();
    let error = mape(pairs.iter().map(|&(i, p)| (p.exp(), data.y[i].exp())));
    // Coverage of the interval, cross-fitted: the quantiles of the other folds' residuals
    // applied to each fold's.
    let mut inside = 0usize;
    for f in 0..k {
        let others: Vec<f64> = pairs
            .iter()
            .filter(|&&(i, _)| fold[i] != f)
            .map(|&(i, p)| data.y[i] - p)
            .collect();
        if let Some([lo, hi]) = interval(&others, level) {
            inside += pairs
                .iter()
                .filter(|&&(i, p)| fold[i] == f && (lo..=hi).contains(&(data.y[i] - p)))
                .count();
        }
    }
    Scored {
        score: CandidateScore {
            name: candidate.name(),
            mape: error,
            unpredicted,
            coverage: (!pairs.is_empty()).then(|| inside as f64 / pairs.len() as f64),
            unseen_pair_mape: mape(by_pair.iter().map(|&(i, p)| (p.exp(), data.y[i].exp()))),
        },
        residuals: pairs.iter().map(|&(i, p)| data.y[i] - p).collect(),
        pair_residuals: by_pair.iter().map(|&(i, p)| data.y[i] - p).collect(),
    }
}

/// Per kind (intercept, coefficients by term) and the task effects of a fitted candidate.
fn linear(
    fitted: &Fitted,
    terms: &[String],
    kinds: &[String],
    task_ids: &BTreeMap<&str, usize>,
) -> (Vec<LinearModel>, BTreeMap<String, f64>) {
    let models = kinds
        .iter()
        .zip(&fitted.kinds)
        .map(|(_, f)| {
            let (intercept, coefs) = f.clone().expect("every kind has rows");
            LinearModel {
                intercept,
                coefficients: terms.iter().cloned().zip(coefs).collect(),
            }
        })
        .collect();
    let effects = task_ids
        .iter()
        .filter_map(|(&t, &i)| fitted.tasks[i].map(|u| (t.to_string(), u)))
        .collect();
    (models, effects)
}

/// Fit a performance model to an execution history.
///
/// Every candidate (per-kind power laws, cross-kind models) is scored by k-fold
/// cross-validation (MAPE of the held-out rows); the one that predicts every held-out row with
/// the lowest error is refitted on all rows. Its interval is the empirical quantiles of its
/// held-out log residuals at the requested level.
///
/// Returns [`Error::Usage`] for fewer than 2 rows, fewer than 2 folds, a level outside (0, 1),
/// no candidate, when no held-out row can be predicted, or when the fits would cost more than
/// [`MAX_FIT_WORK`] (many kinds × many terms). At most [`MAX_PAIR_GROUPS`] (level, kind) pairs,
/// evenly spread, are left out to score unseen pairs.
///
/// ```
/// use hetsched::learn::{fit, FitOptions, history::{History, ReadOptions}};
/// let mut csv = String::from("kind,batch,runtime\n");
/// for b in [8, 16, 32, 64, 128] {
///     csv += &format!("gpu,{b},{}\ncpu,{b},{}\n", 0.1 * b as f64, 2.0 * b as f64);
/// }
/// let h = History::parse(&csv, "h.csv".as_ref(), &ReadOptions::default()).unwrap();
/// let model = fit(&h, &FitOptions::default()).unwrap();
/// let p = model.predict("gpu", None, &[hetsched::learn::history::Value::Num(50.0)]).unwrap();
/// assert!((p.estimate - 5.0).abs() < 0.05);
/// ```
pub fn fit(history: &History, options: &FitOptions) -> Result<Model, Error> {
    let n = history.records.len();
    if n < 2 {
        return Err(Error::Usage(format!(
            "{}: at least 2 rows are needed to fit and validate a model",
            history.origin.display()
        )));
    }
    if options.folds < 2 || options.candidates.is_empty() {
        return Err(Error::Usage(
            "at least 2 folds and one candidate are needed".into(),
        ));
    }
    if !(options.level > 0.0 && options.level < 1.0) {
        return Err(Error::Usage(format!(
            "the interval level must be in (0, 1), got {}",
            options.level
        )));
    }
    let features = specs(history);
    let kinds = history.kinds();
    let mut task_ids: BTreeMap<&str, usize> = BTreeMap::new();
    for r in &history.records {
        if let Some(t) = &r.task {
            let next = task_ids.len();
            task_ids.entry(t.as_str()).or_insert(next);
        }
    }
    let x: Vec<Vec<f64>> = history
        .records
        .iter()
        .map(|r| {
            encode(&features, &r.values)
                .expect("specs fit the history")
                .0
        })
        .collect();
    let data = Data {
        terms: term_names(&features).len(),
        x,
        y: history.records.iter().map(|r| r.runtime.ln()).collect(),
        kind: history
            .records
            .iter()
            .map(|r| kinds.binary_search(&r.kind).expect("kind listed"))
            .collect(),
        task: history
            .records
            .iter()
            .map(|r| r.task.as_deref().map(|t| task_ids[t]))
            .collect(),
        kinds: kinds.len(),
        tasks: task_ids.len(),
    };
    let k = options.folds.min(n);
    let fold = folds(n, k, options.seed);
    let groups = spread(pair_groups(history), MAX_PAIR_GROUPS);
    check_work(history, &data, options, k + groups.len() + 2)?;
    let scored: Vec<Scored> = options
        .candidates
        .iter()
        .map(|&c| score(c, &data, (&fold, k), &groups, options.level))
        .collect();
    // Best: fewest unpredicted rows, then lowest error; ties keep the earlier candidate.
    let best = (0..scored.len())
        .filter(|&i| scored[i].score.mape.is_some())
        .min_by(|&a, &b| {
            let (sa, sb) = (&scored[a].score, &scored[b].score);
            sa.unpredicted
                .cmp(&sb.unpredicted)
                .then(sa.mape.unwrap().total_cmp(&sb.mape.unwrap()))
        })
        .ok_or_else(|| {
            Error::Usage(format!(
                "{}: cross-validation could not predict any held-out row",
                history.origin.display()
            ))
        })?;
    let candidate = options.candidates[best];
    let residual_quantiles =
        interval(&scored[best].residuals, options.level).expect("some residuals");
    let all: Vec<usize> = (0..n).collect();
    let terms = term_names(&features);
    let (models, task_effects) = linear(
        &fit_candidate(candidate, &data, &all),
        &terms,
        &kinds,
        &task_ids,
    );
    let kind_models = kinds
        .iter()
        .zip(seen(history, &kinds))
        .zip(models)
        .map(|((name, seen), m)| {
            (
                name.clone(),
                KindModel {
                    intercept: m.intercept,
                    coefficients: m.coefficients,
                    seen,
                },
            )
        })
        .collect();
    // For a level never seen on a kind: the cross-kind candidate best on left-out pairs.
    let unseen = (0..scored.len())
        .filter(|&i| matches!(options.candidates[i], Candidate::CrossKind { .. }))
        .filter(|&i| scored[i].score.unseen_pair_mape.is_some())
        .min_by(|&a, &b| {
            let m = |i: usize| scored[i].score.unseen_pair_mape.unwrap();
            m(a).total_cmp(&m(b))
        });
    let unseen_pairs = unseen.map(|i| {
        let c = options.candidates[i];
        let (models, task_effects) =
            linear(&fit_candidate(c, &data, &all), &terms, &kinds, &task_ids);
        UnseenPairs {
            selected: c.name(),
            residual_quantiles: interval(&scored[i].pair_residuals, options.level)
                .expect("some residuals"),
            kinds: kinds.iter().cloned().zip(models).collect(),
            task_effects,
        }
    });
    Ok(Model {
        format: FORMAT.to_string(),
        version: VERSION,
        target: history.target.clone(),
        features,
        selected: candidate.name(),
        candidates: scored.into_iter().map(|s| s.score).collect(),
        rows: n,
        folds: k,
        seed: options.seed,
        level: options.level,
        residual_quantiles,
        kinds: kind_models,
        task_effects,
        unseen_pairs,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::learn::history::ReadOptions;
    use std::path::Path;

    #[test]
    fn spread_keeps_at_most_max_evenly() {
        assert_eq!(spread((0..5).collect(), 8), vec![0, 1, 2, 3, 4]);
        let kept = spread((0..100).collect::<Vec<usize>>(), 24);
        assert_eq!(kept.len(), 24);
        assert!(kept.windows(2).all(|w| (4..=5).contains(&(w[1] - w[0]))));
    }

    /// Regression (fuzzing, `history` target): a 105-row history with a 62-value categorical
    /// column on 6 kinds left out every (value, kind) pair and fitted ~500-column models ~90
    /// times. A history whose fits cost too much is refused at once.
    #[test]
    fn a_fit_too_costly_is_refused_with_the_counts() {
        let mut text = String::from("kind,a,b,c,runtime\n");
        for i in 0..4000 {
            text.push_str(&format!(
                "k{},a{},b{},c{},{}\n",
                i % 200,
                i % 60,
                (i / 7) % 60,
                (i / 11) % 60,
                1.0 + (i % 13) as f64
            ));
        }
        let h = History::parse(&text, Path::new("h.csv"), &ReadOptions::default()).unwrap();
        let started = std::time::Instant::now();
        let e = fit(&h, &FitOptions::default()).unwrap_err().to_string();
        assert!(started.elapsed().as_secs() < 2, "{:?}", started.elapsed());
        assert!(
            e.contains("h.csv: 200 device kinds × 177 model terms"),
            "{e}"
        );
        assert!(e.contains("choose fewer features"), "{e}");
    }
}
