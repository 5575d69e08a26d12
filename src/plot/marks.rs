//! Marks drawn over the lanes: release and due dates, precedence arrows.

use super::axis::Ticks;
use super::gantt::{BAR, Layout};
use super::legend::{GREY, LATE};
use super::svg::{Svg, coord};
use crate::model::Instance;
use crate::schedule::Schedule;
use crate::schedule::render::num;

/// Release (dark) and due (red, dashed) marks on the row of each task's first bar.
pub(super) fn draw_marks(
    svg: &mut Svg,
    instance: &Instance,
    schedule: &Schedule,
    layout: &Layout,
    row_y: &[f64],
    ticks: &Ticks,
) {
    let first = first_bars(schedule, instance.num_tasks());
    svg.open("g", &[("class", "marks".into())]);
    for (t, task) in instance.tasks().iter().enumerate() {
        let Some(i) = first[t] else { continue };
        let y = row_y[i];
        let mut mark = |class: &str, at: f64, colour: &str, dash: &str, what: &str| {
            if at < ticks.first() || at > ticks.last() {
                return;
            }
            let x = layout.x(at);
            svg.with_title(
                "line",
                &[
                    ("class", class.into()),
                    ("data-task", (&task.id).into()),
                    ("x1", x.into()),
                    ("x2", x.into()),
                    ("y1", (y - BAR / 2.0 - 2.0).into()),
                    ("y2", (y + BAR / 2.0 + 2.0).into()),
                    ("stroke", colour.into()),
                    ("stroke-width", 2.0.into()),
                    ("stroke-dasharray", dash.into()),
                ],
                &format!("{} {what} {}", task.id, num(at)),
            );
        };
        if task.release > 0.0 {
            mark("release", task.release, "#333333", "none", "released at");
        }
        if let Some(d) = task.due {
            mark("due", d, LATE, "3,2", "due at");
        }
    }
    svg.close();
}

/// Per task, the index of its earliest bar.
fn first_bars(schedule: &Schedule, n: usize) -> Vec<Option<usize>> {
    let mut first: Vec<Option<usize>> = vec![None; n];
    for (i, s) in schedule.assignments.iter().enumerate() {
        let f = &mut first[s.task];
        if f.is_none_or(|j| s.start < schedule.assignments[j].start) {
            *f = Some(i);
        }
    }
    first
}

/// An arrow from the end of each predecessor's last bar to the start of the task's first bar.
pub(super) fn draw_arrows(
    svg: &mut Svg,
    instance: &Instance,
    schedule: &Schedule,
    layout: &Layout,
    row_y: &[f64],
) {
    let n = instance.num_tasks();
    let first = first_bars(schedule, n);
    let mut last: Vec<Option<usize>> = vec![None; n];
    for (i, s) in schedule.assignments.iter().enumerate() {
        let l = &mut last[s.task];
        if l.is_none_or(|j| s.end >= schedule.assignments[j].end) {
            *l = Some(i);
        }
    }
    let c = coord;
    svg.open(
        "g",
        &[
            ("class", "arrows".into()),
            ("fill", "none".into()),
            ("stroke", GREY.into()),
        ],
    );
    for (t, &first) in first.iter().enumerate() {
        let Some(j) = first else { continue };
        for &p in instance.preds(t) {
            let Some(i) = last[p] else { continue };
            let (x1, y1) = (layout.x(schedule.assignments[i].end), row_y[i]);
            let (x2, y2) = (layout.x(schedule.assignments[j].start), row_y[j]);
            let dx = 14.0_f64.min((x2 - x1).abs() / 2.0 + 6.0);
            svg.leaf(
                "path",
                &[
                    ("class", "arrow".into()),
                    ("data-from", (&instance.task(p).id).into()),
                    ("data-to", (&instance.task(t).id).into()),
                    (
                        "d",
                        format!(
                            "M{} {}C{} {} {} {} {} {}",
                            c(x1),
                            c(y1),
                            c(x1 + dx),
                            c(y1),
                            c(x2 - dx),
                            c(y2),
                            c(x2),
                            c(y2)
                        )
                        .as_str()
                        .into(),
                    ),
                    ("stroke", "#555555".into()),
                    ("stroke-opacity", 0.7.into()),
                    ("marker-end", "url(#arrowhead)".into()),
                ],
            );
        }
    }
    svg.close();
}
