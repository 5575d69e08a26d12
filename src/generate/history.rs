//! The `history` family: seeded execution histories (`HISTORY.csv`) with a known ground-truth
//! performance model and log-normal noise, for testing and measuring [`crate::learn`].
//!
//! The truth: `P` task families (the planted patterns) each with a centre in the unit cube of
//! (log parameters, log batch, log steps), at least 0.4 apart; tasks drawn around their
//! family's centre (standard deviation 0.04 per coordinate); `K` device kinds, each with a speed
//! and its own exponents (the offsets a_k sorted, so the kinds in name order go from
//! fastest to slowest offset). A task of family f with parameters N, batch B and S steps takes
//!
//! ```text
//! log10 t = a_k + b_f + (log10 S − 3) + p_k·(log10 N − 8) + q_k·log10(B / 64) + 1
//! ```
//!
//! seconds on kind k (a_k ~ U[−0.6, 0.6], b_f ~ U[−0.2, 0.2], p_k ~ U[0.6, 1], q_k ~ U[0.5, 0.9]),
//! times e^ε with ε ~ σ·(Σ of 12 uniforms − 6) (Irwin–Hall, mean 0 and standard deviation σ:
//! approximately normal, made from additions only so the bytes are the same on every platform).
//! Each row is a task drawn uniformly run on a kind drawn uniformly; there are rows / 4 tasks.

use super::draw::{exp10, uniform};
use crate::error::Error;
use crate::solve::meta::rng_stream;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use std::fmt::Write;

/// Device kind names, in order; `kinds` takes the first K.
pub const KIND_NAMES: [&str; 8] = ["h100", "a100", "v100", "t4", "cpu", "l4", "mi250", "tpu"];
/// Family (pattern) names, in order; `patterns` takes the first P.
pub const FAMILY_NAMES: [&str; 8] = [
    "llm",
    "vision",
    "speech",
    "recsys",
    "diffusion",
    "gnn",
    "rl",
    "tabular",
];

/// Parameters of a generated history.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryParams {
    /// Rows (executions), at least 1.
    pub rows: usize,
    /// Device kinds, 1 to 8.
    pub kinds: usize,
    /// Standard deviation σ of the log-normal noise (0 to 2; 0.05 ≈ 5 %).
    pub noise: f64,
    /// Planted task families (patterns), 1 to 8.
    pub patterns: usize,
}

impl HistoryParams {
    /// `rows` executions on `kinds` kinds, 5 % noise, 4 families.
    pub fn new(rows: usize, kinds: usize) -> Self {
        HistoryParams {
            rows,
            kinds,
            noise: 0.05,
            patterns: 4,
        }
    }

    /// [`Error::Usage`] naming the first parameter out of range.
    pub fn validate(&self) -> Result<(), Error> {
        let problem = if !(1..=super::MAX_TASKS).contains(&self.rows) {
            format!("rows must be 1 to {}, got {}", super::MAX_TASKS, self.rows)
        } else if !(1..=KIND_NAMES.len()).contains(&self.kinds) {
            format!(
                "kinds must be 1 to {}, got {}",
                KIND_NAMES.len(),
                self.kinds
            )
        } else if !(1..=FAMILY_NAMES.len()).contains(&self.patterns) {
            format!(
                "patterns must be 1 to {}, got {}",
                FAMILY_NAMES.len(),
                self.patterns
            )
        } else if !(self.noise.is_finite() && (0.0..=2.0).contains(&self.noise)) {
            format!("noise must be 0 to 2, got {}", self.noise)
        } else {
            return Ok(());
        };
        Err(Error::Usage(format!("history: {problem}")))
    }
}

/// The ground truth of a generated history.
#[derive(Debug, Clone, PartialEq)]
pub struct Truth {
    /// Per kind: (name, a_k, p_k, q_k).
    pub kinds: Vec<(String, f64, f64, f64)>,
    /// Per family: (name, b_f, centre in the unit cube).
    pub families: Vec<(String, f64, [f64; 3])>,
}

impl Truth {
    /// log10 of the noiseless runtime of family `f` on kind `k` with the unit-cube coordinates
    /// `u` (log10 N = 6 + 4u₀, log2 B = round(3 + 6u₁), log10 S = 2 + 3u₂).
    pub fn log10_runtime(&self, k: usize, f: usize, u: [f64; 3]) -> f64 {
        let (_, a, p, q) = self.kinds[k];
        let b = self.families[f].1;
        let log2_batch = (3.0 + 6.0 * u[1]).round();
        a + b
            + (2.0 + 3.0 * u[2] - 3.0)
            + p * (6.0 + 4.0 * u[0] - 8.0)
            + q * (log2_batch - 6.0) * std::f64::consts::LOG10_2
            + 1.0
    }
}

/// A generated history: the CSV text, each row's planted family, and the truth.
#[derive(Debug, Clone, PartialEq)]
pub struct GeneratedHistory {
    /// The history file: `task,kind,family,params,batch,steps,runtime`.
    pub csv: String,
    /// The family (pattern) index of each row, in row order.
    pub pattern: Vec<usize>,
    /// The noiseless runtime of each row.
    pub noiseless: Vec<f64>,
    /// The ground truth.
    pub truth: Truth,
}

const STREAM_TRUTH: u64 = 20;
const STREAM_TASKS: u64 = 21;
const STREAM_ROWS: u64 = 22;

/// 10^x for |x| < 300, with the platform-independent [`exp10`].
fn pow10(x: f64) -> f64 {
    if x >= 0.0 { exp10(x) } else { 1.0 / exp10(-x) }
}

/// x > 0 with 4 significant digits.
fn sig4(x: f64) -> String {
    let mut e = 0i32;
    let mut scale = 1.0;
    while x >= scale * 10.0 && e < 300 {
        scale *= 10.0;
        e += 1;
    }
    while x < scale && e > -300 {
        scale /= 10.0;
        e -= 1;
    }
    format!("{x:.*}", (3 - e).max(0) as usize)
}

fn normal(rng: &mut ChaCha8Rng) -> f64 {
    (0..12).map(|_| rng.random::<f64>()).sum::<f64>() - 6.0
}

/// Generate the history of `params` for `seed`: same parameters and seed, same bytes.
///
/// ```
/// use hetsched::generate::history::{history, HistoryParams};
/// let h = history(&HistoryParams::new(100, 5), 1).unwrap();
/// assert!(h.csv.starts_with("task,kind,family,params,batch,steps,runtime\n"));
/// assert_eq!(h.csv.lines().count(), 101);
/// assert_eq!(h, history(&HistoryParams::new(100, 5), 1).unwrap());
/// ```
pub fn history(params: &HistoryParams, seed: u64) -> Result<GeneratedHistory, Error> {
    params.validate()?;
    let mut rng = rng_stream(seed, STREAM_TRUTH);
    let mut kinds: Vec<(String, f64, f64, f64)> = KIND_NAMES[..params.kinds]
        .iter()
        .map(|name| {
            let a = uniform(&mut rng, -0.6, 0.6);
            let p = uniform(&mut rng, 0.6, 1.0);
            let q = uniform(&mut rng, 0.5, 0.9);
            (name.to_string(), a, p, q)
        })
        .collect();
    // The kinds in name order from the fastest offset to the slowest (h100 first, cpu last).
    let mut offsets: Vec<f64> = kinds.iter().map(|k| k.1).collect();
    offsets.sort_by(f64::total_cmp);
    for (k, a) in kinds.iter_mut().zip(offsets) {
        k.1 = a;
    }
    let mut centres: Vec<[f64; 3]> = Vec::new();
    let mut families = Vec::new();
    for name in &FAMILY_NAMES[..params.patterns] {
        let mut c = [0.0; 3];
        for _ in 0..1000 {
            c = [0, 1, 2].map(|_| uniform(&mut rng, 0.1, 0.9));
            let far = centres.iter().all(|o| {
                let d2: f64 = (0..3).map(|i| (o[i] - c[i]) * (o[i] - c[i])).sum();
                d2 >= 0.16
            });
            if far {
                break;
            }
        }
        centres.push(c);
        families.push((name.to_string(), uniform(&mut rng, -0.2, 0.2), c));
    }
    let truth = Truth { kinds, families };

    let mut rng = rng_stream(seed, STREAM_TASKS);
    let n_tasks = (params.rows / 4).max(1);
    let tasks: Vec<(usize, [f64; 3])> = (0..n_tasks)
        .map(|_| {
            let f = rng.random_range(0..params.patterns);
            let c = truth.families[f].2;
            (f, c.map(|x| (x + 0.04 * normal(&mut rng)).clamp(0.0, 1.0)))
        })
        .collect();

    let mut rng = rng_stream(seed, STREAM_ROWS);
    let mut csv = String::from("task,kind,family,params,batch,steps,runtime\n");
    let mut pattern = Vec::with_capacity(params.rows);
    let mut noiseless = Vec::with_capacity(params.rows);
    for _ in 0..params.rows {
        let t = rng.random_range(0..n_tasks);
        let k = rng.random_range(0..params.kinds);
        let (f, u) = tasks[t];
        let log_t = truth.log10_runtime(k, f, u);
        let eps = params.noise * normal(&mut rng);
        let runtime = pow10(log_t + eps * std::f64::consts::LOG10_E);
        let batch = 1u64 << (3.0 + 6.0 * u[1]).round() as u32;
        let _ = writeln!(
            csv,
            "{}-{t},{},{},{:.0},{batch},{:.0},{}",
            truth.families[f].0,
            truth.kinds[k].0,
            truth.families[f].0,
            pow10(6.0 + 4.0 * u[0]),
            pow10(2.0 + 3.0 * u[2]),
            sig4(runtime)
        );
        pattern.push(f);
        noiseless.push(pow10(log_t));
    }
    Ok(GeneratedHistory {
        csv,
        pattern,
        noiseless,
        truth,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sig4_keeps_four_digits() {
        assert_eq!(sig4(1234.567), "1235");
        assert_eq!(sig4(12.34567), "12.35");
        assert_eq!(sig4(0.0123456), "0.01235");
        assert_eq!(sig4(98765.4), "98765");
    }

    #[test]
    fn rejects_out_of_range() {
        for p in [
            HistoryParams::new(0, 5),
            HistoryParams::new(10, 0),
            HistoryParams::new(10, 9),
            HistoryParams {
                noise: -0.1,
                ..HistoryParams::new(10, 5)
            },
            HistoryParams {
                patterns: 0,
                ..HistoryParams::new(10, 5)
            },
        ] {
            assert!(history(&p, 0).is_err(), "{p:?}");
        }
    }

    #[test]
    fn noise_free_rows_follow_the_truth() {
        let p = HistoryParams {
            noise: 0.0,
            ..HistoryParams::new(50, 3)
        };
        let h = history(&p, 3).unwrap();
        for (line, truth) in h.csv.lines().skip(1).zip(&h.noiseless) {
            let runtime: f64 = line.rsplit(',').next().unwrap().parse().unwrap();
            assert!((runtime / truth - 1.0).abs() < 1e-3, "{line}: {truth}");
        }
    }
}
