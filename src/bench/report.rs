//! A benchmark as a terminal table, Markdown, CSV or JSON.
//!
//! Every form has one row per (instance, solver) — status, value, the instance's best bound and
//! the gap to it, the best-known value and the gap to it, wall time — then one summary line per
//! solver. JSON also carries every raw field, so that [`super::merge`] can read it back.

use super::{Analysis, BenchRow, RowAnalysis, SolverSummary};
use crate::schedule::render::num;
use serde::Serialize;

pub(crate) const HEADER: [&str; 9] = [
    "instance",
    "solver",
    "status",
    "value",
    "bound",
    "gap to bound",
    "best known",
    "gap to best known",
    "time (s)",
];

pub(crate) const SUMMARY_HEADER: [&str; 8] = [
    "solver",
    "runs",
    "solved",
    "optimal",
    "mean gap to bound",
    "mean gap to best known",
    "wins",
    "total time (s)",
];

pub(crate) fn label(r: &BenchRow) -> String {
    match &r.set {
        Some(s) => format!("{s}/{}", r.instance),
        None => r.instance.clone(),
    }
}

fn pct(g: Option<f64>) -> String {
    match g {
        None => "-".into(),
        Some(g) if g.is_infinite() => if g > 0.0 { "inf" } else { "-inf" }.into(),
        Some(g) => format!("{:.2}%", 100.0 * g),
    }
}

fn opt(x: Option<f64>) -> String {
    x.map_or("-".into(), num)
}

pub(crate) fn cells(r: &BenchRow, a: &RowAnalysis) -> [String; 9] {
    let known = match a.best_known {
        Some(k) if a.best_known_from_run => format!("{}*", num(k)),
        Some(k) if r.reference_optimal => format!("{} (opt)", num(k)),
        Some(k) => num(k),
        None => "-".into(),
    };
    [
        label(r),
        r.solver.clone(),
        r.status.clone(),
        opt(r.value),
        opt(a.best_bound),
        pct(a.gap_to_bound),
        known,
        pct(a.gap_to_best_known),
        format!("{:.2}", r.seconds),
    ]
}

pub(crate) fn summary_cells(s: &SolverSummary) -> [String; 8] {
    // Infinite gaps (a bound or best known of 0) are left out of the means; say how many.
    let with_inf = |mean: Option<f64>, inf: usize| match inf {
        0 => pct(mean),
        k => format!("{} (+{k} inf)", pct(mean)),
    };
    [
        s.solver.clone(),
        s.runs.to_string(),
        s.solved.to_string(),
        s.optimal.to_string(),
        with_inf(s.mean_gap_to_bound, s.infinite_gaps_to_bound),
        with_inf(s.mean_gap_to_best_known, s.infinite_gaps_to_best_known),
        s.wins.to_string(),
        format!("{:.2}", s.seconds),
    ]
}

/// Columns before `left` are left-aligned (text), the others right-aligned (numbers).
fn aligned<const N: usize>(header: [&str; N], rows: &[[String; N]], left: usize) -> String {
    let mut width: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for r in rows {
        for (w, c) in width.iter_mut().zip(r) {
            *w = (*w).max(c.chars().count());
        }
    }
    let line = |cs: Vec<&str>| {
        let mut s = String::new();
        for (i, (c, w)) in cs.iter().zip(&width).enumerate() {
            if i < left {
                s.push_str(&format!("{c:<w$}  "));
            } else {
                s.push_str(&format!("{c:>w$}  "));
            }
        }
        s.trim_end().to_string() + "\n"
    };
    let mut out = line(header.to_vec());
    let rule: Vec<String> = width.iter().map(|&w| "-".repeat(w)).collect();
    out.push_str(&line(rule.iter().map(|s| s.as_str()).collect()));
    for r in rows {
        out.push_str(&line(r.iter().map(|s| s.as_str()).collect()));
    }
    out
}

pub(crate) fn notes(a: &Analysis) -> String {
    let mut s = String::new();
    if let Some(t) = a.run.time_limit {
        s.push_str(&format!(
            "time limit {} s per run, seed {}",
            num(t),
            a.run.seed
        ));
    } else {
        s.push_str(&format!("no time limit, seed {}", a.run.seed));
    }
    if let Some(sh) = a.run.shard {
        s.push_str(&format!(", shard {sh}"));
    }
    if a.run.interrupted {
        s.push_str(
            ". INTERRUPTED: the runs not started are missing, and the rows marked \
             'interrupted' hold the best found until then",
        );
    }
    s.push_str(". bound: the best bound proved by any run, or a proven optimum of the set; best known: the set's reference value ((opt) = proven optimum), or * the best value of this run; gap = (value − x) / |x|.");
    s
}

/// An aligned plain-text table for a terminal, then the summary per solver.
pub fn table(a: &Analysis) -> String {
    let rows: Vec<[String; 9]> = a
        .run
        .rows
        .iter()
        .zip(&a.rows)
        .map(|(r, x)| cells(r, x))
        .collect();
    let summary: Vec<[String; 8]> = a.summary.iter().map(summary_cells).collect();
    let mut out = aligned(HEADER, &rows, 3);
    out.push('\n');
    out.push_str(&aligned(SUMMARY_HEADER, &summary, 1));
    out.push('\n');
    out.push_str(&notes(a));
    out.push('\n');
    out.push_str(&problems(a));
    out
}

/// One line per row that failed, broke a rule or could not be read, and per value below the
/// best bound.
pub fn problems(a: &Analysis) -> String {
    let mut out = String::new();
    for r in &a.run.rows {
        if matches!(r.status.as_str(), "bad-input" | "failed" | "invalid")
            && let Some(m) = &r.message
        {
            out.push_str(&format!("{} {} ({}): {m}\n", label(r), r.solver, r.status));
        }
    }
    for (r, what) in a.contradictions() {
        out.push_str(&format!(
            "{} {}: value {} is below {what} — check the reference file (a maximisation not negated?) or the solver\n",
            label(r),
            r.solver,
            opt(r.value)
        ));
    }
    out
}

fn md_line(cs: &[String]) -> String {
    format!(
        "| {} |\n",
        cs.iter()
            .map(|c| c.replace('|', "\\|"))
            .collect::<Vec<_>>()
            .join(" | ")
    )
}

/// GitHub-flavoured Markdown: the table, the summary table and a note on the columns.
pub fn markdown(a: &Analysis) -> String {
    let mut out = md_line(&HEADER.map(String::from));
    out.push_str(&md_line(&HEADER.map(|_| "---".to_string())));
    for (r, x) in a.run.rows.iter().zip(&a.rows) {
        out.push_str(&md_line(&cells(r, x)));
    }
    out.push('\n');
    out.push_str(&md_line(&SUMMARY_HEADER.map(String::from)));
    out.push_str(&md_line(&SUMMARY_HEADER.map(|_| "---".to_string())));
    for s in &a.summary {
        out.push_str(&md_line(&summary_cells(s)));
    }
    out.push('\n');
    out.push_str(&notes(a));
    out.push('\n');
    let p = problems(a);
    if !p.is_empty() {
        out.push('\n');
        for line in p.lines() {
            out.push_str(&format!("- {}\n", line.replace('|', "\\|")));
        }
    }
    out
}

#[derive(Serialize)]
struct FullRow<'a> {
    #[serde(flatten)]
    row: &'a BenchRow,
    #[serde(flatten)]
    analysis: JsonAnalysis,
}

/// [`RowAnalysis`] with infinite gaps as `null` (JSON has no infinity).
#[derive(Serialize)]
struct JsonAnalysis {
    best_bound: Option<f64>,
    best_known: Option<f64>,
    best_known_from_run: bool,
    gap_to_bound: Option<f64>,
    gap_to_best_known: Option<f64>,
    win: bool,
    below_bound: bool,
}

impl From<&RowAnalysis> for JsonAnalysis {
    fn from(a: &RowAnalysis) -> Self {
        let finite = |g: Option<f64>| g.filter(|g| g.is_finite());
        JsonAnalysis {
            best_bound: a.best_bound,
            best_known: a.best_known,
            best_known_from_run: a.best_known_from_run,
            gap_to_bound: finite(a.gap_to_bound),
            gap_to_best_known: finite(a.gap_to_best_known),
            win: a.win,
            below_bound: a.below_bound,
        }
    }
}

/// CSV: every raw field of a row and the comparisons, one line per (instance, solver); gaps as
/// fractions (not percent), empty when undefined or infinite.
pub fn csv(a: &Analysis) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    for (r, x) in a.run.rows.iter().zip(&a.rows) {
        w.serialize(FlatRow::new(r, x))
            .expect("CSV of plain fields");
    }
    String::from_utf8(w.into_inner().expect("in-memory writer")).expect("UTF-8 fields")
}

/// The CSV form (the csv crate cannot serialize nested or flattened structures).
#[derive(Serialize)]
struct FlatRow<'a> {
    order: usize,
    set: Option<&'a str>,
    instance: &'a str,
    file: &'a str,
    problem: Option<usize>,
    tasks: Option<usize>,
    devices: Option<usize>,
    objective: Option<&'a str>,
    solver: &'a str,
    status: &'a str,
    value: Option<f64>,
    bound: Option<f64>,
    lower_bound: Option<f64>,
    reference: Option<f64>,
    reference_optimal: bool,
    best_bound: Option<f64>,
    best_known: Option<f64>,
    best_known_from_run: bool,
    gap_to_bound: Option<f64>,
    gap_to_best_known: Option<f64>,
    win: bool,
    below_bound: bool,
    seconds: f64,
    message: Option<&'a str>,
}

impl<'a> FlatRow<'a> {
    fn new(r: &'a BenchRow, x: &RowAnalysis) -> Self {
        let j = JsonAnalysis::from(x);
        FlatRow {
            order: r.order,
            set: r.set.as_deref(),
            instance: &r.instance,
            file: &r.file,
            problem: r.problem,
            tasks: r.tasks,
            devices: r.devices,
            objective: r.objective.as_deref(),
            solver: &r.solver,
            status: &r.status,
            value: r.value,
            bound: r.bound,
            lower_bound: r.lower_bound,
            reference: r.reference,
            reference_optimal: r.reference_optimal,
            best_bound: j.best_bound,
            best_known: j.best_known,
            best_known_from_run: j.best_known_from_run,
            gap_to_bound: j.gap_to_bound,
            gap_to_best_known: j.gap_to_best_known,
            win: j.win,
            below_bound: j.below_bound,
            seconds: r.seconds,
            message: r.message.as_deref(),
        }
    }
}

#[derive(Serialize)]
struct JsonRun<'a> {
    version: u32,
    solvers: &'a [String],
    time_limit: Option<f64>,
    seed: u64,
    shard: Option<super::Shard>,
    lower_bounds: bool,
    instances: usize,
    fingerprint: &'a str,
    rows: Vec<FullRow<'a>>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    interrupted: bool,
    summary: &'a [SolverSummary],
}

/// JSON: the run (readable again by [`super::merge`]) with the comparisons and the summary.
pub fn json(a: &Analysis) -> String {
    let run = JsonRun {
        version: a.run.version,
        solvers: &a.run.solvers,
        time_limit: a.run.time_limit,
        seed: a.run.seed,
        shard: a.run.shard,
        lower_bounds: a.run.lower_bounds,
        instances: a.run.instances,
        fingerprint: &a.run.fingerprint,
        rows: a
            .run
            .rows
            .iter()
            .zip(&a.rows)
            .map(|(row, x)| FullRow {
                row,
                analysis: x.into(),
            })
            .collect(),
        interrupted: a.run.interrupted,
        summary: &a.summary,
    };
    serde_json::to_string_pretty(&run).expect("plain data serializes") + "\n"
}
