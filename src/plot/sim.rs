//! The HTML simulation report: the JCT distribution (CDF), queue length and busy devices over
//! time, utilization per device kind, the metrics, and the Gantt chart of what ran.

use super::charts::{self, Line};
use super::html::{self, Part};
use super::{GanttOptions, gantt_svg};
use crate::error::Error;
use crate::model::Instance;
use crate::schedule::render::num;
use crate::sim::Simulation;

/// One row of a simulation's timeline: time, jobs waiting, jobs running, busy devices per kind.
type TimelineRow = (f64, usize, usize, Vec<usize>);

/// The Gantt chart of the simulated schedule is included for at most this many segments.
pub const GANTT_UP_TO: usize = 20_000;

/// The simulation `run` of `instance` under `policy` as a self-contained HTML page. The queue
/// chart needs the run's timeline ([`crate::sim::Options::timeline`]); without it the section
/// says so.
pub fn sim_html(instance: &Instance, run: &Simulation, policy: &str) -> Result<String, Error> {
    let m = &run.metrics;
    let mut parts = vec![Part::Note(format!(
        "{} jobs on {} devices; JCT mean {}, median {}, p95 {}, p99 {}, max {}; mean slowdown {}; \
         makespan {}{}; {} deadline misses; {} preemptions ({} migrations).",
        m.jobs,
        instance.num_devices(),
        num(m.mean_jct),
        num(m.median_jct),
        num(m.p95_jct),
        num(m.p99_jct),
        num(m.max_jct),
        num(m.mean_slowdown),
        num(m.makespan),
        if m.objective == "makespan" {
            String::new()
        } else {
            format!("; {} = {}", m.objective, num(m.value))
        },
        m.deadline_misses,
        m.preemptions,
        m.migrations
    ))];

    // JCT distribution.
    let mut jct: Vec<f64> = (0..instance.num_tasks())
        .map(|t| run.completions[t] - instance.task(t).release)
        .filter(|x| x.is_finite())
        .collect();
    jct.sort_by(f64::total_cmp);
    parts.push(Part::Heading("Job completion times".into()));
    let n = jct.len().max(1) as f64;
    let mut cdf = Vec::with_capacity(2 * jct.len() + 1);
    cdf.push((jct.first().copied().unwrap_or(0.0).min(0.0), 0.0));
    for (k, &x) in jct.iter().enumerate() {
        cdf.push((x, k as f64 / n));
        cdf.push((x, (k + 1) as f64 / n));
    }
    let hi = jct.last().copied().unwrap_or(1.0).max(1e-9);
    parts.push(Part::Markup(charts::line_chart(
        "Distribution of the job completion time (CDF)",
        "JCT (completion − arrival)",
        "share of jobs",
        (0.0_f64.min(cdf[0].0), hi * 1.02),
        (0.0, 1.02),
        &[Line {
            name: format!("{policy} ({} jobs)", jct.len()),
            colour: 0,
            points: cdf,
            dashed: false,
            dots: false,
        }],
    )?));

    // Queue and busy devices over time.
    parts.push(Part::Heading("Queue and busy devices over time".into()));
    let tl = &run.timeline;
    if tl.rows.is_empty() {
        parts.push(Part::Note(
            "No timeline was recorded (simulate with Options::timeline).".into(),
        ));
    } else {
        let end = tl
            .rows
            .last()
            .map_or(1.0, |r| r.0)
            .max(m.makespan)
            .max(1e-9);
        let step = |f: &dyn Fn(&TimelineRow) -> f64| {
            let mut pts: Vec<(f64, f64)> = Vec::with_capacity(2 * tl.rows.len() + 1);
            for r in &tl.rows {
                if let Some(&(_, y)) = pts.last() {
                    pts.push((r.0, y));
                }
                pts.push((r.0, f(r)));
            }
            if let Some(&(t, y)) = pts.last()
                && t < end
            {
                pts.push((end, y));
            }
            pts
        };
        let mut lines = vec![
            Line {
                name: "jobs waiting".into(),
                colour: 0,
                points: step(&|r| r.1 as f64),
                dashed: false,
                dots: false,
            },
            Line {
                name: "jobs running".into(),
                colour: 1,
                points: step(&|r| r.2 as f64),
                dashed: false,
                dots: false,
            },
        ];
        for (k, kind) in tl.kinds.iter().enumerate() {
            lines.push(Line {
                name: format!("busy {kind}"),
                colour: 2 + k,
                points: step(&|r| r.3.get(k).copied().unwrap_or(0) as f64),
                dashed: true,
                dots: false,
            });
        }
        let top = lines
            .iter()
            .flat_map(|l| l.points.iter().map(|p| p.1))
            .fold(1.0_f64, f64::max);
        parts.push(Part::Markup(charts::line_chart(
            "Jobs waiting and running, devices busy per kind",
            "time",
            "count",
            (0.0, end),
            (0.0, top * 1.08),
            &lines,
        )?));
    }

    // Utilization per kind.
    parts.push(Part::Heading("Utilization per device kind".into()));
    let kinds: Vec<String> = m.utilization_by_kind.keys().cloned().collect();
    let util: Vec<Vec<Option<f64>>> = m
        .utilization_by_kind
        .values()
        .map(|u| vec![Some(100.0 * u)])
        .collect();
    parts.push(Part::Markup(charts::bars(
        "Mean utilization of the devices of each kind over [0, makespan]",
        "utilization (%)",
        &kinds,
        &["utilization"],
        &util,
    )?));
    let rows: Vec<Vec<String>> = m
        .utilization_by_kind
        .iter()
        .map(|(k, u)| vec![k.clone(), format!("{:.1}%", 100.0 * u)])
        .collect();
    parts.push(Part::Markup(html::table(
        &["kind", "utilization"],
        &rows,
        1,
    )));

    // What ran.
    if run.schedule.assignments.len() <= GANTT_UP_TO {
        parts.push(Part::Heading("What ran where".into()));
        let checked = run.realized.as_ref().unwrap_or(instance);
        parts.push(Part::Markup(gantt_svg(
            checked,
            &run.schedule,
            &GanttOptions::default(),
        )?));
    }
    Ok(html::page(
        &format!("hetsched simulate: {} with {policy}", instance.name()),
        &parts,
    ))
}
