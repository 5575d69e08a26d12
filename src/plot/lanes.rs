//! Drawing one lane of the Gantt chart (its background, device label and bars with their
//! tooltips) and the usage profile of a resource under it.

use super::gantt::{BAR, LABEL_SIZE, Lane, Layout, PAD, PITCH, PROFILE};
use super::legend::{self, Colours, LATE};
use super::svg::{Svg, coord, text_width};
use crate::model::Instance;
use crate::schedule::Schedule;
use crate::schedule::render::num;

#[allow(clippy::too_many_arguments)]
pub(super) fn draw_lane(
    svg: &mut Svg,
    instance: &Instance,
    schedule: &Schedule,
    lane: &Lane,
    layout: &Layout,
    y: f64,
    h: f64,
    shade: bool,
    colours: &Colours,
    late: &[bool],
    row_y: &mut [f64],
) {
    let dev = instance.device(lane.device);
    svg.open(
        "g",
        &[("class", "lane".into()), ("data-device", (&dev.id).into())],
    );
    svg.leaf(
        "rect",
        &[
            ("class", "lane-bg".into()),
            ("x", layout.left.into()),
            ("y", y.into()),
            ("width", layout.plot_w.into()),
            ("height", h.into()),
            ("fill", if shade { "#f4f6f8" } else { "#fbfbfc" }.into()),
        ],
    );
    if dev.available_from > 0.0 {
        let w = layout.x(dev.available_from) - layout.left;
        svg.with_title(
            "rect",
            &[
                ("class", "unavailable".into()),
                ("x", layout.left.into()),
                ("y", y.into()),
                ("width", w.max(0.0).into()),
                ("height", h.into()),
                ("fill", "#dddddd".into()),
            ],
            &format!("{} available from {}", dev.id, num(dev.available_from)),
        );
    }
    svg.text(
        "text",
        &[
            ("class", "device-label".into()),
            ("x", 24.0.into()),
            ("y", (y + h / 2.0 + 4.0).into()),
        ],
        &dev.id,
    );
    let a = &schedule.assignments;
    let completions = schedule.completions(instance.num_tasks());
    for &(i, r) in &lane.bars {
        let s = &a[i];
        let task = instance.task(s.task);
        let by = y + PAD + r as f64 * PITCH + (PITCH - BAR) / 2.0;
        row_y[i] = by + BAR / 2.0;
        let x0 = layout.x(s.start);
        let w = (layout.x(s.end) - x0).max(1.0);
        let fill = colours.of(s.task);
        let is_late = late[s.task];
        let mut tip = format!(
            "{} on {}\nstart {} · end {} · duration {}\nweight {}",
            task.id,
            dev.id,
            num(s.start),
            num(s.end),
            num(s.end - s.start),
            num(task.weight)
        );
        if task.release > 0.0 {
            tip.push_str(&format!(" · release {}", num(task.release)));
        }
        if let Some(due) = task.due {
            let lateness = completions[s.task] - due;
            tip.push_str(&format!(" · due {}\nlateness {}", num(due), num(lateness)));
            if is_late {
                tip.push_str(" (late)");
            }
        }
        if let Some(u) = &task.user {
            tip.push_str(&format!("\nuser {u}"));
        }
        let mut attrs = vec![
            ("class", if is_late { "bar late" } else { "bar" }.into()),
            ("data-task", (&task.id).into()),
            ("data-device", (&dev.id).into()),
            ("x", x0.into()),
            ("y", by.into()),
            ("width", w.into()),
            ("height", BAR.into()),
            ("rx", 2.0.into()),
            ("fill", fill.into()),
        ];
        if is_late {
            attrs.push(("stroke", LATE.into()));
            attrs.push(("stroke-width", 1.5.into()));
        }
        svg.with_title("rect", &attrs, &tip);
        if w >= text_width(&task.id, LABEL_SIZE) + 6.0 {
            svg.text(
                "text",
                &[
                    ("class", "label".into()),
                    ("x", (x0 + 3.0).into()),
                    ("y", (by + BAR / 2.0 + 3.5).into()),
                    ("font-size", LABEL_SIZE.into()),
                    ("fill", legend::ink_on(fill).into()),
                    ("pointer-events", "none".into()),
                ],
                &task.id,
            );
        }
    }
    svg.close();
}

#[allow(clippy::too_many_arguments)]
pub(super) fn draw_profile(
    svg: &mut Svg,
    instance: &Instance,
    schedule: &Schedule,
    d: usize,
    k: usize,
    cap: f64,
    layout: &Layout,
    y: f64,
) {
    // Step function of the amount held: +held at each start, −held at each end.
    let mut events: Vec<(f64, f64)> = Vec::new();
    for s in schedule
        .assignments
        .iter()
        .filter(|s| s.device == d && s.end > s.start)
    {
        let held = instance.held(s.task, d, k);
        events.push((s.start, held));
        events.push((s.end, -held));
    }
    events.sort_by(|p, q| p.0.total_cmp(&q.0).then(p.1.total_cmp(&q.1)));
    let name = instance.resource_name(k);
    let (top, h) = (y + 3.0, PROFILE - 6.0);
    let yv = |v: f64| top + h - (v / cap).clamp(0.0, 1.0) * h;
    let mut path = format!("M{} {}", coord(layout.left), coord(top + h));
    let (mut level, mut peak) = (0.0_f64, 0.0_f64);
    let mut i = 0;
    while i < events.len() {
        let t = events[i].0;
        while i < events.len() && events[i].0 == t {
            level += events[i].1;
            i += 1;
        }
        let level_clean = if level.abs() < 1e-9 { 0.0 } else { level };
        peak = peak.max(level_clean);
        let x = coord(layout.x(t));
        path.push_str(&format!("H{x}V{}", coord(yv(level_clean))));
    }
    path.push_str(&format!("H{}Z", coord(layout.left + layout.plot_w)));
    let dev = &instance.device(d).id;
    svg.open(
        "g",
        &[
            ("class", "profile".into()),
            ("data-device", dev.into()),
            ("data-resource", name.into()),
        ],
    );
    svg.leaf(
        "rect",
        &[
            ("x", layout.left.into()),
            ("y", top.into()),
            ("width", layout.plot_w.into()),
            ("height", h.into()),
            ("fill", "#ffffff".into()),
            ("stroke", "#cccccc".into()),
        ],
    );
    svg.with_title(
        "path",
        &[
            ("class", "usage".into()),
            ("d", path.as_str().into()),
            ("fill", "#8da0cb".into()),
        ],
        &format!(
            "{dev} {name}: capacity {}, peak in use {}",
            num(cap),
            num(peak)
        ),
    );
    svg.text(
        "text",
        &[
            ("class", "profile-label".into()),
            ("x", 32.0.into()),
            ("y", (top + h / 2.0 + 4.0).into()),
            ("font-size", 10.0.into()),
            ("fill", "#555555".into()),
        ],
        &format!("{name} / {}", num(cap)),
    );
    svg.close();
}
