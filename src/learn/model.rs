//! The fitted performance model and its file format (`MODEL.json`, documented in
//! `docs/format.md`, section "Performance models").
//!
//! Whatever candidate was selected, the model is stored the same way: per device kind an
//! intercept and one coefficient per *term* (log of a positive numeric feature, the value of
//! another numeric feature, or one indicator per non-reference level of a categorical feature),
//! plus optional task effects. The predicted runtime of a task on kind k is
//! `exp(intercept_k + Σ coefficient_k,term · term + task effect)`, the median of the log-normal
//! the model assumes; the interval adds the residual quantiles.

use super::history::{Feature, FeatureKind, Value};
use crate::error::Error;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// The `format` field of every model file.
pub const FORMAT: &str = "hetsched-model";
/// The version of the model file format this library writes and reads.
pub const VERSION: u32 = 1;

/// How a feature enters the models.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, tag = "type", rename_all = "snake_case")]
pub enum FeatureSpec {
    /// A numeric feature: one term, `ln(x)` when `log` (every value seen was > 0; the power
    /// law), else `x`.
    Numeric {
        /// Column name.
        name: String,
        /// Whether the term is the natural log of the value.
        log: bool,
    },
    /// A categorical feature: one indicator term `name=level` per level but the first (the
    /// reference level, whose effect is in the intercept).
    Categorical {
        /// Column name.
        name: String,
        /// Levels seen in the history, sorted.
        levels: Vec<String>,
    },
}

impl FeatureSpec {
    /// The column name.
    pub fn name(&self) -> &str {
        match self {
            FeatureSpec::Numeric { name, .. } | FeatureSpec::Categorical { name, .. } => name,
        }
    }

    /// The feature as a history column.
    pub fn feature(&self) -> Feature {
        Feature {
            name: self.name().to_string(),
            kind: match self {
                FeatureSpec::Numeric { .. } => FeatureKind::Numeric,
                FeatureSpec::Categorical { .. } => FeatureKind::Categorical,
            },
        }
    }

    /// The names of the terms this feature adds, in order.
    pub fn terms(&self) -> Vec<String> {
        match self {
            FeatureSpec::Numeric { name, log: true } => vec![format!("ln({name})")],
            FeatureSpec::Numeric { name, log: false } => vec![name.clone()],
            FeatureSpec::Categorical { name, levels } => levels
                .iter()
                .skip(1)
                .map(|l| format!("{name}={l}"))
                .collect(),
        }
    }
}

/// The term names of a list of features, in order.
pub fn term_names(features: &[FeatureSpec]) -> Vec<String> {
    features.iter().flat_map(FeatureSpec::terms).collect()
}

/// The term values of one row (`values` in the order of `features`). A category not among the
/// levels gives all-zero indicators (the reference level's effect) and `unseen` is set; a
/// non-positive value of a log feature gives `None`.
pub(crate) fn encode(features: &[FeatureSpec], values: &[Value]) -> Option<(Vec<f64>, bool)> {
    let mut out = Vec::new();
    let mut unseen = false;
    for (spec, value) in features.iter().zip(values) {
        match (spec, value) {
            (FeatureSpec::Numeric { log: true, .. }, Value::Num(x)) if *x > 0.0 => out.push(x.ln()),
            (FeatureSpec::Numeric { log: true, .. }, _) => return None,
            (FeatureSpec::Numeric { log: false, .. }, Value::Num(x)) => out.push(*x),
            (FeatureSpec::Categorical { levels, .. }, Value::Cat(c)) => {
                unseen |= !levels.contains(c);
                out.extend(levels.iter().skip(1).map(|l| f64::from(u8::from(l == c))));
            }
            _ => return None,
        }
    }
    Some((out, unseen))
}

/// What the history showed of one device kind: how many rows, and the feature ranges and
/// levels they covered (predictions outside them are flagged as extrapolations).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Seen {
    /// Rows of the history on this kind.
    pub rows: usize,
    /// Numeric feature → [smallest, largest] value seen on this kind.
    #[serde(default)]
    pub ranges: BTreeMap<String, [f64; 2]>,
    /// Categorical feature → the levels seen on this kind, sorted.
    #[serde(default)]
    pub levels: BTreeMap<String, Vec<String>>,
}

/// The linear model in log space of one device kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KindModel {
    /// Intercept of ln(runtime).
    pub intercept: f64,
    /// Term name → coefficient; a term left out has coefficient 0.
    pub coefficients: BTreeMap<String, f64>,
    /// What the history covered on this kind.
    pub seen: Seen,
}

/// The cross-validated score of one candidate model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CandidateScore {
    /// Candidate name, e.g. `per-kind` or `cross-kind(λ=1)`.
    pub name: String,
    /// Mean absolute percentage error over the held-out rows it could predict (0.05 = 5 %).
    pub mape: Option<f64>,
    /// Held-out rows it could not predict (a kind absent from the training folds).
    pub unpredicted: usize,
    /// Share of held-out rows inside its own interval at the model's level.
    pub coverage: Option<f64>,
    /// MAPE when every (level of a categorical feature, kind) pair is left out in turn and
    /// predicted from the rest: how well it predicts a family on a kind it never ran on.
    /// `None` when the history has no such pair (no categorical level seen on two kinds).
    #[serde(default)]
    pub unseen_pair_mape: Option<f64>,
}

/// A linear model in log space without its history summary: the fallback's per-kind part.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinearModel {
    /// Intercept of ln(runtime).
    pub intercept: f64,
    /// Term name → coefficient; a term left out has coefficient 0.
    pub coefficients: BTreeMap<String, f64>,
}

/// The model used for a category never seen on a kind (a family that never ran there): the
/// cross-kind candidate that predicted left-out (level, kind) pairs best.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnseenPairs {
    /// The candidate's name.
    pub selected: String,
    /// Quantiles of its log residuals on the left-out pairs, as
    /// [`Model::residual_quantiles`].
    pub residual_quantiles: [f64; 2],
    /// Device kind → its model.
    pub kinds: BTreeMap<String, LinearModel>,
    /// Task id → effect on ln(runtime).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub task_effects: BTreeMap<String, f64>,
}

/// A fitted performance model: the content of `MODEL.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Model {
    /// Always [`FORMAT`].
    pub format: String,
    /// The file format version, [`VERSION`].
    pub version: u32,
    /// The target column that was modelled (e.g. `runtime`).
    pub target: String,
    /// The features, in the order of the history's columns.
    pub features: Vec<FeatureSpec>,
    /// The selected candidate's name.
    pub selected: String,
    /// Every candidate's cross-validated score, the selected one among them.
    pub candidates: Vec<CandidateScore>,
    /// Rows of the history the model was fitted on.
    pub rows: usize,
    /// Number of cross-validation folds.
    pub folds: usize,
    /// Seed of the fold assignment.
    pub seed: u64,
    /// Level of the prediction intervals (0.9 = 90 %).
    pub level: f64,
    /// [lower, upper] quantiles of the held-out log residuals ln(observed / predicted) of the
    /// selected candidate at (1 − level)/2 and (1 + level)/2: the interval of a prediction p is
    /// [p·e^lower, p·e^upper].
    pub residual_quantiles: [f64; 2],
    /// Device kind → its model.
    pub kinds: BTreeMap<String, KindModel>,
    /// Task id → effect added to ln(runtime) for that task on every kind (cross-kind models;
    /// only tasks seen at least twice).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub task_effects: BTreeMap<String, f64>,
    /// The model for a categorical level never seen on a kind, when the selected one is not
    /// cross-kind and the history has such pairs to validate it on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unseen_pairs: Option<UnseenPairs>,
}

/// One prediction with its interval.
#[derive(Debug, Clone, PartialEq)]
pub struct Prediction {
    /// Predicted runtime (the median of the model's log-normal).
    pub estimate: f64,
    /// Lower end of the interval at the model's level.
    pub low: f64,
    /// Upper end of the interval.
    pub high: f64,
    /// Whether a task effect from the history was used (the task id was seen).
    pub known_task: bool,
    /// Which model predicted: the selected candidate's name, or the [`UnseenPairs`] one's for
    /// a category never seen on the kind.
    pub model: String,
    /// Why the prediction extrapolates (a value outside the range seen on the kind, a level
    /// never seen on it); empty when it does not.
    pub extrapolation: Vec<String>,
}

fn bad_model(path: &Path, message: String) -> Error {
    Error::Parse {
        path: path.to_path_buf(),
        message,
    }
}

impl Model {
    /// The model as pretty JSON (ends with a newline).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a model always serializes") + "\n"
    }

    /// Read a model file, checking its format, version and numbers.
    pub fn read(path: &Path) -> Result<Model, Error> {
        let text = crate::io::read_text(path)?;
        Model::parse(&text, path)
    }

    /// Parse a model from JSON text; `origin` names the source in errors.
    pub fn parse(text: &str, origin: &Path) -> Result<Model, Error> {
        let model: Model = serde_json::from_str(text)
            .map_err(|e| bad_model(origin, format!("not a valid model file: {e}")))?;
        if model.format != FORMAT {
            return Err(bad_model(
                origin,
                format!("format is '{}', expected '{FORMAT}'", model.format),
            ));
        }
        if model.version != VERSION {
            return Err(bad_model(
                origin,
                format!(
                    "version {} is not supported (this hetsched reads version {VERSION})",
                    model.version
                ),
            ));
        }
        let terms = term_names(&model.features);
        let quantiles_ok = |q: &[f64; 2]| q.iter().all(|x| x.is_finite()) && q[0] <= q[1];
        let finite = quantiles_ok(&model.residual_quantiles)
            && model.task_effects.values().all(|v| v.is_finite());
        if !(finite && model.level > 0.0 && model.level < 1.0) {
            return Err(bad_model(
                origin,
                "level must be in (0, 1), residual_quantiles and task_effects finite and ordered"
                    .into(),
            ));
        }
        if model.kinds.is_empty() {
            return Err(bad_model(origin, "no device kind".into()));
        }
        let mut names = std::collections::BTreeSet::new();
        for f in &model.features {
            if f.name().is_empty() || !names.insert(f.name()) {
                return Err(bad_model(
                    origin,
                    format!("feature name '{}' is empty or repeated", f.name()),
                ));
            }
        }
        let check = |what: &str, intercept: f64, coefficients: &BTreeMap<String, f64>| {
            if !intercept.is_finite() {
                return Err(bad_model(origin, format!("{what}: intercept not finite")));
            }
            for (term, c) in coefficients {
                if !terms.contains(term) {
                    return Err(bad_model(
                        origin,
                        format!("{what}: coefficient of unknown term '{term}'"),
                    ));
                }
                if !c.is_finite() {
                    return Err(bad_model(
                        origin,
                        format!("{what}: coefficient of '{term}' not finite"),
                    ));
                }
            }
            Ok(())
        };
        for (kind, m) in &model.kinds {
            check(&format!("kind '{kind}'"), m.intercept, &m.coefficients)?;
        }
        if let Some(u) = &model.unseen_pairs {
            if !quantiles_ok(&u.residual_quantiles)
                || u.task_effects.values().any(|v| !v.is_finite())
            {
                return Err(bad_model(
                    origin,
                    "unseen_pairs: residual_quantiles and task_effects must be finite and ordered"
                        .into(),
                ));
            }
            for (kind, m) in &u.kinds {
                check(
                    &format!("unseen_pairs, kind '{kind}'"),
                    m.intercept,
                    &m.coefficients,
                )?;
            }
        }
        Ok(model)
    }

    /// The history columns a task list must give, in order.
    pub fn feature_columns(&self) -> Vec<Feature> {
        self.features.iter().map(FeatureSpec::feature).collect()
    }

    /// Predict the runtime of a task with feature `values` (in the order of
    /// [`Model::features`]) on device kind `kind`; `task` names it, so a task seen in the
    /// history gets its task effect.
    ///
    /// Returns [`Error::Usage`] when the model knows no such kind, or a value does not fit its
    /// feature (a non-number for a numeric one, a value ≤ 0 for a log one).
    pub fn predict(
        &self,
        kind: &str,
        task: Option<&str>,
        values: &[Value],
    ) -> Result<Prediction, Error> {
        let km = self.kinds.get(kind).ok_or_else(|| {
            Error::Usage(format!(
                "the model knows no device kind '{kind}' (it knows {})",
                self.kinds.keys().cloned().collect::<Vec<_>>().join(", ")
            ))
        })?;
        if values.len() != self.features.len() {
            return Err(Error::Usage(format!(
                "{} feature values for {} features",
                values.len(),
                self.features.len()
            )));
        }
        let (terms, _) = encode(&self.features, values).ok_or_else(|| {
            Error::Usage(
                "a feature value does not fit the model (a log feature needs a value > 0)".into(),
            )
        })?;
        let mut extrapolation = Vec::new();
        let mut unseen_level = false;
        for (spec, value) in self.features.iter().zip(values) {
            match value {
                Value::Num(x) => match km.seen.ranges.get(spec.name()) {
                    Some([lo, hi]) if x < lo || x > hi => extrapolation.push(format!(
                        "{} {x} outside [{lo}, {hi}] seen on {kind}",
                        spec.name()
                    )),
                    _ => {}
                },
                Value::Cat(c) => {
                    let seen = km.seen.levels.get(spec.name());
                    if !seen.is_some_and(|l| l.contains(c)) {
                        unseen_level = true;
                        extrapolation.push(format!("{} '{c}' never seen on {kind}", spec.name()));
                    }
                }
            }
        }
        let fallback = self
            .unseen_pairs
            .as_ref()
            .filter(|_| unseen_level)
            .and_then(|u| Some((u, u.kinds.get(kind)?)));
        let (intercept, coefficients, effects, [lo, hi], name) = match fallback {
            Some((u, m)) => (
                m.intercept,
                &m.coefficients,
                &u.task_effects,
                u.residual_quantiles,
                &u.selected,
            ),
            None => (
                km.intercept,
                &km.coefficients,
                &self.task_effects,
                self.residual_quantiles,
                &self.selected,
            ),
        };
        let names = term_names(&self.features);
        let mut y = intercept;
        for (name, x) in names.iter().zip(&terms) {
            y += coefficients.get(name).copied().unwrap_or(0.0) * x;
        }
        let effect = task.and_then(|t| effects.get(t));
        y += effect.copied().unwrap_or(0.0);
        Ok(Prediction {
            estimate: y.exp(),
            low: (y + lo).exp(),
            high: (y + hi).exp(),
            known_task: effect.is_some(),
            model: name.clone(),
            extrapolation,
        })
    }
}
