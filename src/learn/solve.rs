//! The candidate models and their least-squares fits (nalgebra): ridge regression in log space
//! through the normal equations, solved by Cholesky (SVD when the matrix is not positive
//! definite).
//!
//! Terms are standardised (centred, divided by their standard deviation over the training rows)
//! before the penalty applies, so one λ means the same for every feature; the coefficients are
//! turned back into the units of the terms afterwards.

use nalgebra::{DMatrix, DVector};

/// A candidate model, one of those cross-validation chooses from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Candidate {
    /// One power law per device kind, fitted on that kind's rows only:
    /// ln t = β₀,k + Σ β_k,i · term_i (ridge `lambda` on the standardised terms).
    PerKind {
        /// Ridge penalty.
        lambda: f64,
    },
    /// One model over all kinds: ln t = α_k + Σ (β_i + γ_k,i) · term_i + u_task. The kind effect
    /// α_k is free, the shared slopes β nearly so; the kind-specific deviations γ and the task
    /// effects u are shrunk with ridge `lambda`, so a kind a family never ran on is predicted
    /// from how the kind compares on the other tasks.
    CrossKind {
        /// Ridge penalty on the kind-specific deviations and the task effects.
        lambda: f64,
    },
}

impl Candidate {
    /// The candidates `learn` compares by default: `per-kind`, and `cross-kind` with λ = 0.1,
    /// 1 and 10.
    pub fn defaults() -> Vec<Candidate> {
        vec![
            Candidate::PerKind { lambda: 1e-3 },
            Candidate::CrossKind { lambda: 0.1 },
            Candidate::CrossKind { lambda: 1.0 },
            Candidate::CrossKind { lambda: 10.0 },
        ]
    }

    /// The name written in reports and model files, e.g. `cross-kind(λ=1)`.
    pub fn name(&self) -> String {
        match self {
            Candidate::PerKind { .. } => "per-kind".to_string(),
            Candidate::CrossKind { lambda } => format!("cross-kind(λ={lambda})"),
        }
    }
}

/// The history as numbers: encoded terms, ln(runtime), kind and task indices.
pub(crate) struct Data {
    /// Rows × terms.
    pub x: Vec<Vec<f64>>,
    /// ln(runtime) per row.
    pub y: Vec<f64>,
    /// Kind index per row.
    pub kind: Vec<usize>,
    /// Task index per row, when the history names tasks.
    pub task: Vec<Option<usize>>,
    /// Number of kinds.
    pub kinds: usize,
    /// Number of distinct tasks.
    pub tasks: usize,
    /// Number of terms.
    pub terms: usize,
}

/// A fitted candidate: per kind (when it could be fitted) an intercept and term coefficients in
/// the units of the terms; per task an effect.
#[derive(Debug, Clone)]
pub(crate) struct Fitted {
    pub kinds: Vec<Option<(f64, Vec<f64>)>>,
    pub tasks: Vec<Option<f64>>,
}

impl Fitted {
    /// Predicted ln(runtime) of row `i` of `data`; `None` for a kind it was not fitted on.
    pub fn predict(&self, data: &Data, i: usize) -> Option<f64> {
        let (b0, b) = self.kinds[data.kind[i]].as_ref()?;
        let mut y = b0 + b.iter().zip(&data.x[i]).map(|(c, x)| c * x).sum::<f64>();
        if let Some(u) = data.task[i].and_then(|t| self.tasks[t]) {
            y += u;
        }
        Some(y)
    }
}

/// Mean and standard deviation (1 when the term is constant) of every term over `rows`.
fn standardise(data: &Data, rows: &[usize]) -> (Vec<f64>, Vec<f64>) {
    let n = rows.len().max(1) as f64;
    let mut mean = vec![0.0; data.terms];
    for &i in rows {
        for (m, x) in mean.iter_mut().zip(&data.x[i]) {
            *m += x / n;
        }
    }
    let mut sd = vec![0.0; data.terms];
    for &i in rows {
        for ((s, x), m) in sd.iter_mut().zip(&data.x[i]).zip(&mean) {
            *s += (x - m) * (x - m) / n;
        }
    }
    for s in &mut sd {
        *s = if *s > 1e-24 { s.sqrt() } else { 1.0 };
    }
    (mean, sd)
}

/// Solve the symmetric system a·x = b: Cholesky, SVD when `a` is not positive definite.
fn solve_dense(a: DMatrix<f64>, b: &DVector<f64>) -> DVector<f64> {
    if let Some(chol) = a.clone().cholesky() {
        return chol.solve(b);
    }
    let n = b.len();
    a.svd(true, true)
        .solve(b, 1e-12)
        .unwrap_or_else(|_| DVector::zeros(n))
}

/// Minimise Σ (y − x·β)² + Σ penalty_j β_j² over the rows given as sparse (column, value)
/// lists, through the normal equations.
///
/// The columns from `dense` on must be indicators of which a row has at most one (the task
/// effects): their block of the normal matrix is diagonal, so it is eliminated (Schur
/// complement) and only the first `dense` columns are factorised — a history of many tasks
/// costs no cubic time in the number of tasks. Their penalties must be > 0.
fn ridge(
    ncols: usize,
    dense: usize,
    rows: &[(Vec<(usize, f64)>, f64)],
    penalty: &[f64],
) -> Vec<f64> {
    let sparse = ncols - dense;
    let mut a = DMatrix::<f64>::zeros(dense, dense);
    let mut b = DVector::<f64>::zeros(dense);
    // c: dense × sparse cross products; d: the diagonal of the sparse block; e: its right side.
    let mut c = DMatrix::<f64>::zeros(dense, sparse);
    let mut d = DVector::<f64>::zeros(sparse);
    let mut e = DVector::<f64>::zeros(sparse);
    for (nz, y) in rows {
        for &(i, vi) in nz {
            if i >= dense {
                let t = i - dense;
                d[t] += vi * vi;
                e[t] += vi * y;
                for &(j, vj) in nz.iter().filter(|(j, _)| *j < dense) {
                    c[(j, t)] += vj * vi;
                }
                continue;
            }
            b[i] += vi * y;
            for &(j, vj) in nz.iter().filter(|(j, _)| *j < dense) {
                a[(i, j)] += vi * vj;
            }
        }
    }
    for (j, p) in penalty.iter().enumerate() {
        if j < dense {
            a[(j, j)] += p;
        } else {
            d[j - dense] += p;
        }
    }
    if sparse == 0 {
        return solve_dense(a, &b).iter().copied().collect();
    }
    // (a − c d⁻¹ cᵀ) x = b − c d⁻¹ e, then z = d⁻¹ (e − cᵀ x).
    let mut c_scaled = c.clone();
    for (t, mut col) in c_scaled.column_iter_mut().enumerate() {
        col /= d[t];
    }
    let schur = &a - &c_scaled * c.transpose();
    let rhs = &b - &c_scaled * &e;
    let x = solve_dense(schur, &rhs);
    let z = (&e - c.transpose() * &x).component_div(&d);
    x.iter().chain(z.iter()).copied().collect()
}

/// Fit `candidate` on the rows `rows` of `data`.
pub(crate) fn fit_candidate(candidate: Candidate, data: &Data, rows: &[usize]) -> Fitted {
    match candidate {
        Candidate::PerKind { lambda } => per_kind(data, rows, lambda),
        Candidate::CrossKind { lambda } => cross_kind(data, rows, lambda),
    }
}

fn per_kind(data: &Data, rows: &[usize], lambda: f64) -> Fitted {
    let p = data.terms;
    let kinds = (0..data.kinds)
        .map(|k| {
            let mine: Vec<usize> = rows
                .iter()
                .copied()
                .filter(|&i| data.kind[i] == k)
                .collect();
            if mine.is_empty() {
                return None;
            }
            let (mean, sd) = standardise(data, &mine);
            let design: Vec<(Vec<(usize, f64)>, f64)> = mine
                .iter()
                .map(|&i| {
                    let mut nz = vec![(0, 1.0)];
                    nz.extend((0..p).map(|j| (1 + j, (data.x[i][j] - mean[j]) / sd[j])));
                    (nz, data.y[i])
                })
                .collect();
            let mut penalty = vec![lambda.max(1e-9); 1 + p];
            penalty[0] = 0.0;
            let beta = ridge(1 + p, 1 + p, &design, &penalty);
            let coefs: Vec<f64> = (0..p).map(|j| beta[1 + j] / sd[j]).collect();
            let intercept = beta[0] - (0..p).map(|j| coefs[j] * mean[j]).sum::<f64>();
            Some((intercept, coefs))
        })
        .collect();
    Fitted {
        kinds,
        tasks: vec![None; data.tasks],
    }
}

fn cross_kind(data: &Data, rows: &[usize], lambda: f64) -> Fitted {
    let p = data.terms;
    let (mean, sd) = standardise(data, rows);
    // Columns: the kinds present, then the shared slopes, then per present kind its deviations,
    // then the tasks seen at least twice.
    let mut kind_col = vec![None; data.kinds];
    let mut present = 0;
    for &i in rows {
        if kind_col[data.kind[i]].is_none() {
            kind_col[data.kind[i]] = Some(present);
            present += 1;
        }
    }
    let mut task_count = vec![0usize; data.tasks];
    for &i in rows {
        if let Some(t) = data.task[i] {
            task_count[t] += 1;
        }
    }
    let shared = present;
    let inter = shared + p;
    let mut task_col = vec![None; data.tasks];
    let mut ncols = inter + present * p;
    for (t, &c) in task_count.iter().enumerate() {
        if c >= 2 {
            task_col[t] = Some(ncols);
            ncols += 1;
        }
    }
    let design: Vec<(Vec<(usize, f64)>, f64)> = rows
        .iter()
        .map(|&i| {
            let k = kind_col[data.kind[i]].expect("present");
            let mut nz = Vec::with_capacity(2 + 2 * p);
            nz.push((k, 1.0));
            for j in 0..p {
                let z = (data.x[i][j] - mean[j]) / sd[j];
                nz.push((shared + j, z));
                nz.push((inter + k * p + j, z));
            }
            if let Some(c) = data.task[i].and_then(|t| task_col[t]) {
                nz.push((c, 1.0));
            }
            (nz, data.y[i])
        })
        .collect();
    let mut penalty = vec![lambda.max(1e-9); ncols];
    penalty[..shared].fill(0.0);
    penalty[shared..inter].fill(1e-6);
    let beta = ridge(ncols, inter + present * p, &design, &penalty);
    let kinds = kind_col
        .iter()
        .map(|col| {
            let k = (*col)?;
            let coefs: Vec<f64> = (0..p)
                .map(|j| (beta[shared + j] + beta[inter + k * p + j]) / sd[j])
                .collect();
            let intercept = beta[k] - (0..p).map(|j| coefs[j] * mean[j]).sum::<f64>();
            Some((intercept, coefs))
        })
        .collect();
    let tasks = task_col.iter().map(|c| c.map(|c| beta[c])).collect();
    Fitted { kinds, tasks }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// ln t = 1 + k + 0.5·x on kind k, exactly: both candidates recover it.
    #[test]
    fn exact_power_laws_are_recovered() {
        let mut data = Data {
            x: Vec::new(),
            y: Vec::new(),
            kind: Vec::new(),
            task: Vec::new(),
            kinds: 3,
            tasks: 0,
            terms: 1,
        };
        for i in 0..30 {
            let k = i % 3;
            let x = (i / 3) as f64;
            data.x.push(vec![x]);
            data.y.push(1.0 + k as f64 + 0.5 * x);
            data.kind.push(k);
            data.task.push(None);
        }
        let rows: Vec<usize> = (0..30).collect();
        for c in [
            Candidate::PerKind { lambda: 1e-9 },
            Candidate::CrossKind { lambda: 1e-3 },
        ] {
            let f = fit_candidate(c, &data, &rows);
            for i in 0..30 {
                let e = (f.predict(&data, i).unwrap() - data.y[i]).abs();
                assert!(e < 1e-4, "{c:?} row {i}: {e}");
            }
        }
        // A kind absent from the training rows cannot be predicted.
        let some: Vec<usize> = rows.iter().copied().filter(|i| i % 3 != 2).collect();
        let f = fit_candidate(Candidate::CrossKind { lambda: 1.0 }, &data, &some);
        assert!(f.predict(&data, 2).is_none());
    }

    /// Eliminating the task block gives the same solution as factorising everything.
    #[test]
    fn schur_complement_matches_the_dense_solve() {
        let mut rows = Vec::new();
        let mut state = 1u64;
        let mut next = || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        for i in 0..60 {
            let task = 3 + i % 7;
            let nz = vec![(0, 1.0), (1, next()), (2, next() - 0.5), (task, 1.0)];
            rows.push((nz, next() * 3.0));
        }
        let penalty = [0.0, 1e-3, 1e-3, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5];
        let full = ridge(10, 10, &rows, &penalty);
        let split = ridge(10, 3, &rows, &penalty);
        for (a, b) in full.iter().zip(&split) {
            assert!((a - b).abs() < 1e-9, "{full:?}\n{split:?}");
        }
    }
}
