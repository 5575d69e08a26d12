//! The HTML benchmark report: the bench table plus charts — mean gap to the bound and to the
//! best known value per solver, the gap per instance, and the anytime curves (best value and
//! bound over time) of the solvers that record them (`ls`, `ga`, `milp`).

use super::charts::{self, Line};
use super::html::{self, Part};
use crate::bench::report::{HEADER, SUMMARY_HEADER, cells, label, notes, summary_cells};
use crate::bench::{Analysis, BenchRow, relative_gap};
use crate::error::Error;
use crate::solve::Progress;

/// At most this many instances get an anytime chart of their own.
pub const ANYTIME_INSTANCES: usize = 6;
/// Points of the mean anytime curve.
const GRID: usize = 120;

/// The instances of a run in order, each with the indices of its rows.
/// Instances are named without their set when the run holds one set only.
fn instances(a: &Analysis) -> Vec<(String, Vec<usize>)> {
    let one_set = a.run.rows.iter().all(|r| r.set == a.run.rows[0].set);
    let mut out: Vec<(usize, String, Vec<usize>)> = Vec::new();
    for (i, r) in a.run.rows.iter().enumerate() {
        match out.iter_mut().find(|(o, _, _)| *o == r.order) {
            Some((_, _, rows)) => rows.push(i),
            None => {
                let name = if one_set {
                    r.instance.clone()
                } else {
                    label(r)
                };
                out.push((r.order, name, vec![i]));
            }
        }
    }
    out.sort_by_key(|(o, _, _)| *o);
    out.into_iter().map(|(_, l, rows)| (l, rows)).collect()
}

/// The best value known `t` seconds into a run, from its progress points.
fn value_at(progress: &[Progress], t: f64) -> Option<f64> {
    progress
        .iter()
        .take_while(|p| p.seconds <= t)
        .filter_map(|p| p.value)
        .last()
}

/// A step line through the points `(seconds, y)`, held until `end`.
fn steps(points: &[(f64, f64)], end: f64) -> Vec<(f64, f64)> {
    let mut out = Vec::with_capacity(2 * points.len() + 1);
    for (k, &(t, y)) in points.iter().enumerate() {
        if k > 0 {
            out.push((t, points[k - 1].1));
        }
        out.push((t, y));
    }
    if let Some(&(t, y)) = out.last()
        && t < end
    {
        out.push((end, y));
    }
    out
}

fn pct(x: Option<f64>) -> Option<f64> {
    x.filter(|g| g.is_finite()).map(|g| 100.0 * g)
}

/// The benchmark as a self-contained HTML page (see the module text).
pub fn bench_html(a: &Analysis) -> Result<String, Error> {
    let solvers = &a.run.solvers;
    let insts = instances(a);
    let mut parts = vec![Part::Note(notes(a))];

    // Mean gaps per solver.
    parts.push(Part::Heading("Mean gap per solver".into()));
    let values: Vec<Vec<Option<f64>>> = a
        .summary
        .iter()
        .map(|s| vec![pct(s.mean_gap_to_bound), pct(s.mean_gap_to_best_known)])
        .collect();
    parts.push(Part::Markup(charts::bars(
        "Mean gap to the best bound and to the best known value",
        "gap (%)",
        solvers,
        &["to best bound", "to best known"],
        &values,
    )?));

    // Gap per instance.
    parts.push(Part::Heading("Gap per instance".into()));
    // Category labels: the instance names, or numbers when there are many (listed below).
    let many = insts.len() > 8;
    let names: Vec<String> = if many {
        (1..=insts.len()).map(|k| k.to_string()).collect()
    } else {
        insts.iter().map(|(l, _)| l.clone()).collect()
    };
    let per_solver =
        |gap: fn(&crate::bench::RowAnalysis) -> Option<f64>| -> Vec<(String, Vec<Option<f64>>)> {
            solvers
                .iter()
                .map(|s| {
                    let v = insts
                        .iter()
                        .map(|(_, rows)| {
                            rows.iter()
                                .find(|&&i| &a.run.rows[i].solver == s)
                                .and_then(|&i| pct(gap(&a.rows[i])))
                        })
                        .collect();
                    (s.clone(), v)
                })
                .collect()
        };
    parts.push(Part::Markup(charts::category_chart(
        "Gap to the best known value per instance",
        "gap (%)",
        &names,
        &per_solver(|x| x.gap_to_best_known),
    )?));
    parts.push(Part::Markup(charts::category_chart(
        "Gap to the best bound per instance",
        "gap (%)",
        &names,
        &per_solver(|x| x.gap_to_bound),
    )?));
    if many {
        parts.push(Part::Note(format!(
            "Instances: {}.",
            insts
                .iter()
                .enumerate()
                .map(|(k, (l, _))| format!("{} = {l}", k + 1))
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }

    // Anytime curves.
    let recorded: Vec<&String> = solvers
        .iter()
        .filter(|s| {
            a.run
                .rows
                .iter()
                .any(|r| &r.solver == *s && !r.progress.is_empty())
        })
        .collect();
    if !recorded.is_empty() {
        parts.push(Part::Heading("Anytime curves".into()));
        parts.push(Part::Note(format!(
            "Best value (solid) and proven bound (dashed) over time, as the solvers recorded them \
             ({}). The first chart is the mean over the instances of the gap of the best value \
             so far to the instance's best known value, counting an instance from the solver's \
             first schedule on; then one chart for each of the first {} instances.",
            recorded
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            ANYTIME_INSTANCES.min(insts.len())
        )));
        parts.push(Part::Markup(mean_anytime(a, &insts, solvers)?));
        for (name, rows) in insts.iter().take(ANYTIME_INSTANCES) {
            let rows: Vec<&BenchRow> = rows.iter().map(|&i| &a.run.rows[i]).collect();
            if rows.iter().any(|r| !r.progress.is_empty()) {
                parts.push(Part::Markup(instance_anytime(name, &rows, solvers)?));
            }
        }
    }

    // The tables.
    parts.push(Part::Heading("Summary per solver".into()));
    let summary: Vec<Vec<String>> = a
        .summary
        .iter()
        .map(|s| summary_cells(s).to_vec())
        .collect();
    parts.push(Part::Markup(html::table(&SUMMARY_HEADER, &summary, 1)));
    parts.push(Part::Heading("All runs".into()));
    let rows: Vec<Vec<String>> = a
        .run
        .rows
        .iter()
        .zip(&a.rows)
        .map(|(r, x)| cells(r, x).to_vec())
        .collect();
    parts.push(Part::Markup(html::table(&HEADER, &rows, 3)));
    let title = format!(
        "hetsched bench: {} instance{} × {} solver{}",
        insts.len(),
        if insts.len() == 1 { "" } else { "s" },
        solvers.len(),
        if solvers.len() == 1 { "" } else { "s" }
    );
    Ok(html::page(&title, &parts))
}

/// The mean gap to the best known value over time, per recording solver.
fn mean_anytime(
    a: &Analysis,
    insts: &[(String, Vec<usize>)],
    solvers: &[String],
) -> Result<String, Error> {
    let end = a
        .run
        .rows
        .iter()
        .flat_map(|r| r.progress.last().map(|p| p.seconds))
        .fold(a.run.time_limit.unwrap_or(0.0), f64::max)
        .max(1e-3);
    let mut lines = Vec::new();
    let mut hi = 0.0_f64;
    for (k, s) in solvers.iter().enumerate() {
        let runs: Vec<(&[Progress], f64)> = insts
            .iter()
            .filter_map(|(_, rows)| {
                let &i = rows.iter().find(|&&i| &a.run.rows[i].solver == s)?;
                let r = &a.run.rows[i];
                let known = a.rows[i].best_known.filter(|k| k.is_finite())?;
                (!r.progress.is_empty()).then_some((r.progress.as_slice(), known))
            })
            .collect();
        if runs.is_empty() {
            continue;
        }
        let points: Vec<(f64, f64)> = (0..=GRID)
            .filter_map(|g| {
                let t = end * g as f64 / GRID as f64;
                let gaps: Vec<f64> = runs
                    .iter()
                    .filter_map(|(p, known)| value_at(p, t).map(|v| relative_gap(v, *known)))
                    .filter(|g| g.is_finite())
                    .collect();
                (!gaps.is_empty())
                    .then(|| 100.0 * gaps.iter().sum::<f64>() / gaps.len() as f64)
                    .map(|m| (t, m))
            })
            .collect();
        hi = points.iter().map(|p| p.1).fold(hi, f64::max);
        lines.push(Line {
            name: s.clone(),
            colour: k,
            points,
            dashed: false,
            dots: false,
        });
    }
    charts::line_chart(
        "Mean gap to the best known value over time",
        "seconds",
        "gap (%)",
        (0.0, end),
        (0.0, if hi > 0.0 { hi * 1.1 } else { 1.0 }),
        &lines,
    )
}

/// One instance's anytime chart: per recording solver its best value and bound over time.
fn instance_anytime(name: &str, rows: &[&BenchRow], solvers: &[String]) -> Result<String, Error> {
    let end = rows
        .iter()
        .flat_map(|r| r.progress.last().map(|p| p.seconds))
        .fold(0.0_f64, f64::max)
        .max(1e-3);
    let mut lines = Vec::new();
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for (k, s) in solvers.iter().enumerate() {
        let Some(r) = rows
            .iter()
            .find(|r| &r.solver == s && !r.progress.is_empty())
        else {
            continue;
        };
        for (dashed, pick) in [(false, 0), (true, 1)] {
            let pts: Vec<(f64, f64)> = r
                .progress
                .iter()
                .filter_map(|p| {
                    let y = if pick == 0 { p.value } else { p.bound };
                    y.filter(|y| y.is_finite()).map(|y| (p.seconds, y))
                })
                .collect();
            if pts.is_empty() {
                continue;
            }
            for p in &pts {
                lo = lo.min(p.1);
                hi = hi.max(p.1);
            }
            lines.push(Line {
                name: format!("{s} {}", if dashed { "bound" } else { "value" }),
                colour: k,
                points: steps(&pts, end),
                dashed,
                dots: dashed,
            });
        }
    }
    charts::line_chart(
        &format!("{name}: best value and bound over time"),
        "seconds",
        "objective",
        (0.0, end),
        charts::padded(lo, hi),
        &lines,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn step_lines_hold_each_value_until_the_next() {
        let s = steps(&[(0.5, 10.0), (2.0, 8.0)], 3.0);
        assert_eq!(s, [(0.5, 10.0), (2.0, 10.0), (2.0, 8.0), (3.0, 8.0)]);
        let p = [
            Progress {
                seconds: 1.0,
                value: Some(5.0),
                bound: None,
            },
            Progress {
                seconds: 2.0,
                value: Some(4.0),
                bound: Some(3.0),
            },
        ];
        assert_eq!(value_at(&p, 0.5), None);
        assert_eq!(value_at(&p, 1.5), Some(5.0));
        assert_eq!(value_at(&p, 9.0), Some(4.0));
    }
}
