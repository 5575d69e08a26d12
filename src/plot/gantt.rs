//! The Gantt chart of a schedule: one lane per device, lanes grouped by device kind, a bar per
//! assignment (per run segment for a preemptive schedule), release and due marks, late tasks
//! outlined in red, optional precedence arrows, and under each device with `resources` the
//! usage profile of every resource it offers.
//!
//! Structure (what the tests and the HTML tooltip rely on): `g.kind[data-kind]` holds the
//! kind's `g.lane[data-device]`; each bar is a `rect.bar` (`rect.bar.late` when its task ends
//! after its due date) with `data-task`, `data-device` and a `<title>` (task, device, start, end,
//! weight, lateness); `g.profile[data-device][data-resource]` holds a usage path; `g.axis` the
//! `line.tick`s and `text.tick-label`s; `g.legend` the `g.legend-item`s.

use super::axis::Ticks;
use super::legend::{self, Colours, LATE, Swatch};
use super::svg::{Svg, text_width};
use super::{GanttOptions, check_schedule};
use crate::error::Error;
use crate::model::Instance;
use crate::schedule::Schedule;
use crate::schedule::render::num;

pub(super) const BAR: f64 = 14.0;
pub(super) const PITCH: f64 = 18.0;
pub(super) const PAD: f64 = 3.0;
const GROUP: f64 = 18.0;
pub(super) const PROFILE: f64 = 26.0;
pub(super) const LABEL_SIZE: f64 = 10.0;
/// Release and due marks are drawn for plans of at most this many tasks: beyond, they hide the
/// bars (the tooltips still give both dates, and late bars stay outlined).
pub(crate) const MARKS_UP_TO: usize = 1000;

/// Where each thing goes: the x scale and the rows of every lane.
pub(super) struct Layout {
    pub(super) left: f64,
    pub(super) plot_w: f64,
    pub(super) t0: f64,
    pub(super) t1: f64,
}

impl Layout {
    pub(super) fn x(&self, t: f64) -> f64 {
        self.left + (t - self.t0) / (self.t1 - self.t0) * self.plot_w
    }
}

/// One device's lane: its assignments (indices into the schedule) with the sub-row of each.
pub(super) struct Lane {
    pub(super) device: usize,
    /// (assignment index, sub-row), by start.
    pub(super) bars: Vec<(usize, usize)>,
    pub(super) rows: usize,
}

/// Sub-rows for the assignments of one device, first fit by start: tasks that share a device
/// overlap, and each overlapping bar gets a row of its own.
fn lane(schedule: &Schedule, device: usize) -> Lane {
    let mut on: Vec<usize> = (0..schedule.assignments.len())
        .filter(|&i| schedule.assignments[i].device == device)
        .collect();
    let a = &schedule.assignments;
    on.sort_by(|&i, &j| {
        a[i].start
            .total_cmp(&a[j].start)
            .then(a[i].end.total_cmp(&a[j].end))
            .then(a[i].task.cmp(&a[j].task))
    });
    let mut row_end: Vec<f64> = Vec::new();
    let bars = on
        .into_iter()
        .map(|i| {
            let r = match row_end.iter().position(|&e| e <= a[i].start + 1e-12) {
                Some(r) => r,
                None => {
                    row_end.push(f64::NEG_INFINITY);
                    row_end.len() - 1
                }
            };
            row_end[r] = a[i].end.max(a[i].start);
            (i, r)
        })
        .collect();
    Lane {
        device,
        bars,
        rows: row_end.len().max(1),
    }
}

/// Devices grouped by kind, kinds in order of first appearance, devices in file order.
fn kinds(instance: &Instance) -> Vec<(String, Vec<usize>)> {
    let mut out: Vec<(String, Vec<usize>)> = Vec::new();
    for (d, dev) in instance.devices().iter().enumerate() {
        match out.iter_mut().find(|(k, _)| k == dev.kind()) {
            Some((_, v)) => v.push(d),
            None => out.push((dev.kind().to_string(), vec![d])),
        }
    }
    out
}

/// Resources offered by device `d` (index, capacity).
fn offered(instance: &Instance, d: usize) -> Vec<(usize, f64)> {
    if !instance.offers_resources(d) {
        return Vec::new();
    }
    (0..instance.num_resources())
        .map(|k| (k, instance.resource_capacity(d, k)))
        .filter(|&(_, c)| c > 0.0)
        .collect()
}

/// The Gantt chart as an SVG document (see the module text).
pub fn gantt_svg(
    instance: &Instance,
    schedule: &Schedule,
    options: &GanttOptions,
) -> Result<String, Error> {
    check_schedule(instance, schedule)?;
    let n = instance.num_tasks();
    let a = &schedule.assignments;
    let colours = Colours::new(instance, options.colour_by);
    let completions = schedule.completions(n);
    let late: Vec<bool> = (0..n)
        .map(|t| {
            instance.task(t).due.is_some_and(|d| {
                completions[t].is_finite() && completions[t] > d + 1e-9 * d.abs().max(1.0)
            })
        })
        .collect();

    // Horizontal scale: from 0 (or an earlier start) to the last end, release or due date,
    // but not stretched by a due date far beyond the plan.
    let end = a.iter().map(|x| x.end).fold(0.0_f64, f64::max);
    let start = a.iter().map(|x| x.start).fold(0.0_f64, f64::min);
    let mut hi = end;
    for t in instance.tasks() {
        hi = hi.max(t.release);
        if let Some(d) = t.due
            && d <= 1.25 * end.max(1e-9)
        {
            hi = hi.max(d);
        }
    }
    let ticks = Ticks::new(
        start,
        hi,
        ((options.width - 200.0) / 90.0).clamp(2.0, 14.0) as usize,
    );
    let label_w = instance
        .devices()
        .iter()
        .map(|d| text_width(&d.id, 11.0))
        .fold(60.0_f64, f64::max)
        .min(220.0);
    let left = 16.0 + label_w + 12.0;
    let right = options.width - 24.0;
    let layout = Layout {
        left,
        plot_w: (right - left).max(100.0),
        t0: ticks.first(),
        t1: ticks.last(),
    };

    let groups = kinds(instance);
    let lanes: Vec<Lane> = (0..instance.num_devices())
        .map(|d| lane(schedule, d))
        .collect();
    let profiles: Vec<Vec<(usize, f64)>> = (0..instance.num_devices())
        .map(|d| {
            if options.profiles {
                offered(instance, d)
            } else {
                Vec::new()
            }
        })
        .collect();

    // Legend entries, measured first so the lanes start below them.
    let mut entries = legend::key_entries(&colours);
    if late.iter().any(|&l| l) {
        entries.push(("late".into(), Swatch::Late));
    }
    let marks = n <= MARKS_UP_TO;
    if marks && instance.tasks().iter().any(|t| t.release > 0.0) {
        entries.push(("release".into(), Swatch::Mark("#333333", false)));
    }
    if marks && instance.tasks().iter().any(|t| t.due.is_some()) {
        entries.push(("due".into(), Swatch::Mark(LATE, true)));
    }
    if options.arrows && instance.has_precedence() {
        entries.push(("precedence".into(), Swatch::Arrow));
    }
    if profiles.iter().any(|p| !p.is_empty()) {
        entries.push(("resource in use".into(), Swatch::Fill("#8da0cb")));
    }
    let legend_rows = legend_height(&entries, 16.0, right);

    let title = options
        .title
        .clone()
        .unwrap_or_else(|| format!("{} — {}", instance.name(), instance.objective().name()));
    let metrics = schedule.metrics(instance);
    let mut subtitle = format!(
        "{} tasks on {} devices · {} bars · makespan {}",
        n,
        instance.num_devices(),
        a.len(),
        num(metrics.makespan),
    );
    if instance.objective() != crate::model::Objective::Makespan {
        subtitle.push_str(&format!(
            " · {} {}",
            instance.objective().name(),
            num(metrics.value(instance.objective()))
        ));
    }
    if late.iter().any(|&l| l) {
        subtitle.push_str(&format!(" · {} late", late.iter().filter(|&&l| l).count()));
    }
    let top = 48.0 + legend_rows + 8.0;
    let body: f64 = groups
        .iter()
        .map(|(_, ds)| {
            GROUP
                + ds.iter()
                    .map(|&d| {
                        lanes[d].rows as f64 * PITCH
                            + 2.0 * PAD
                            + profiles[d].len() as f64 * PROFILE
                    })
                    .sum::<f64>()
        })
        .sum();
    let height = top + body + 46.0;

    let mut svg = Svg::new(options.width, height, "gantt");
    svg.raw(concat!(
        "<defs><marker id=\"arrowhead\" viewBox=\"0 0 8 8\" refX=\"7\" refY=\"4\" ",
        "markerWidth=\"6\" markerHeight=\"6\" orient=\"auto\">",
        "<path d=\"M0 0L8 4L0 8z\" fill=\"#555555\"/></marker></defs>\n"
    ));
    svg.text(
        "text",
        &[
            ("class", "title".into()),
            ("x", 16.0.into()),
            ("y", 22.0.into()),
            ("font-size", 15.0.into()),
            ("font-weight", "bold".into()),
        ],
        &title,
    );
    svg.text(
        "text",
        &[
            ("class", "subtitle".into()),
            ("x", 16.0.into()),
            ("y", 38.0.into()),
            ("fill", "#555555".into()),
        ],
        &subtitle,
    );
    legend::draw(&mut svg, &entries, 16.0, 46.0, right);

    // Grid and axis.
    let bottom = top + body;
    svg.open("g", &[("class", "axis".into())]);
    for &t in &ticks.values {
        let x = layout.x(t);
        svg.leaf(
            "line",
            &[
                ("class", "grid".into()),
                ("x1", x.into()),
                ("x2", x.into()),
                ("y1", top.into()),
                ("y2", bottom.into()),
                ("stroke", "#e4e4e4".into()),
            ],
        );
        svg.leaf(
            "line",
            &[
                ("class", "tick".into()),
                ("x1", x.into()),
                ("x2", x.into()),
                ("y1", bottom.into()),
                ("y2", (bottom + 5.0).into()),
                ("stroke", "#333333".into()),
            ],
        );
        svg.text(
            "text",
            &[
                ("class", "tick-label".into()),
                ("x", x.into()),
                ("y", (bottom + 17.0).into()),
                ("text-anchor", "middle".into()),
            ],
            &ticks.label(t),
        );
    }
    svg.leaf(
        "line",
        &[
            ("class", "baseline".into()),
            ("x1", layout.left.into()),
            ("x2", (layout.left + layout.plot_w).into()),
            ("y1", bottom.into()),
            ("y2", bottom.into()),
            ("stroke", "#333333".into()),
        ],
    );
    svg.text(
        "text",
        &[
            ("class", "axis-title".into()),
            ("x", (layout.left + layout.plot_w / 2.0).into()),
            ("y", (bottom + 34.0).into()),
            ("text-anchor", "middle".into()),
        ],
        "time",
    );
    svg.close();

    // Lanes, and where each task's first and last bar sit (for marks and arrows).
    let mut row_y = vec![f64::NAN; a.len()];
    let mut y = top;
    let mut shade = false;
    for (kind, devices) in &groups {
        svg.open("g", &[("class", "kind".into()), ("data-kind", kind.into())]);
        svg.text(
            "text",
            &[
                ("class", "kind-label".into()),
                ("x", 16.0.into()),
                ("y", (y + 13.0).into()),
                ("font-weight", "bold".into()),
            ],
            &format!("{kind} ({})", devices.len()),
        );
        y += GROUP;
        for &d in devices {
            let l = &lanes[d];
            let h = l.rows as f64 * PITCH + 2.0 * PAD;
            super::lanes::draw_lane(
                &mut svg, instance, schedule, l, &layout, y, h, shade, &colours, &late, &mut row_y,
            );
            y += h;
            for &(k, cap) in &profiles[d] {
                super::lanes::draw_profile(&mut svg, instance, schedule, d, k, cap, &layout, y);
                y += PROFILE;
            }
            shade = !shade;
        }
        svg.close();
    }

    if marks {
        super::marks::draw_marks(&mut svg, instance, schedule, &layout, &row_y, &ticks);
    }
    if options.arrows {
        super::marks::draw_arrows(&mut svg, instance, schedule, &layout, &row_y);
    }
    Ok(svg.finish())
}

/// Height of the legend without drawing it.
fn legend_height(entries: &[(String, Swatch)], x: f64, right: f64) -> f64 {
    let mut scratch = Svg::new(1.0, 1.0, "scratch");
    legend::draw(&mut scratch, entries, x, 0.0, right)
}
