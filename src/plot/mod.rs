//! Pictures: the Gantt chart of a schedule (SVG or a self-contained HTML page), and the charts
//! of benchmark and simulation reports.
//!
//! ```
//! use hetsched::{Instance, InstanceData, Device, Task, solve::{self, SolveOptions}};
//! use hetsched::plot::{self, GanttOptions};
//! let data = InstanceData {
//!     devices: vec![Device::new("gpu"), Device::new("cpu")],
//!     tasks: vec![Task::new("train", 4.0), Task::new("eval", 3.0)],
//!     ..Default::default()
//! };
//! let inst = Instance::new(data).unwrap();
//! let report = solve::by_name("lpt").unwrap().solve(&inst, &SolveOptions::default()).unwrap();
//! let svg = plot::gantt_svg(&inst, &report.schedule.unwrap(), &GanttOptions::default()).unwrap();
//! assert_eq!(svg.matches("class=\"bar\"").count(), 2);
//! ```
//!
//! # How the pictures are drawn
//!
//! Two drawing layers, each where it fits:
//!
//! - **The Gantt chart** is written by a small typed SVG writer of this module (`svg.rs`). A
//!   Gantt chart is thousands of marks that each carry meaning: a bar needs a `<title>` child
//!   (the tooltip), a `class` and `data-task`/`data-device` attributes (what the HTML script
//!   and the tests read), lanes are groups per device inside groups per kind. Charting crates
//!   draw primitives without such structure — plotters' SVG backend writes bare `<rect>`s and
//!   `<text>`s with no way to attach a title or a class to one bar — so the chart is written
//!   directly, with one number format and sorted inputs, so the same plan gives the same bytes.
//! - **Line and bar charts** of reports (anytime curves, gaps, JCT distributions, queue length
//!   over time) are drawn with [plotters](https://docs.rs/plotters)' SVG backend, which gives
//!   axes, meshes, series and legends; their tooltips come from the tables beside them.
//!
//! Both are deterministic: no hash-map order, no clocks, fixed float formatting.

mod axis;
mod charts;
mod gantt;
pub mod html;
mod lanes;
mod legend;
mod marks;
pub mod report;
pub mod sim;

mod svg;

pub use axis::Ticks;
pub use gantt::gantt_svg;
pub use legend::{ColourBy, family};

use crate::error::Error;
use crate::model::Instance;
use crate::schedule::Schedule;
use std::path::Path;

/// How to draw a Gantt chart.
#[derive(Debug, Clone)]
pub struct GanttOptions {
    /// Width of the picture in pixels (the height follows from the lanes). Default 1200.
    pub width: f64,
    /// Draw an arrow from each predecessor's end to its successor's start. Default false.
    pub arrows: bool,
    /// Draw the usage profile of each resource under the lanes of devices with `resources`.
    /// Default true.
    pub profiles: bool,
    /// What decides the bars' colours. Default [`ColourBy::Auto`].
    pub colour_by: ColourBy,
    /// Title; default: the instance's name and objective.
    pub title: Option<String>,
}

impl Default for GanttOptions {
    fn default() -> Self {
        GanttOptions {
            width: 1200.0,
            arrows: false,
            profiles: true,
            colour_by: ColourBy::Auto,
            title: None,
        }
    }
}

/// The picture formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// An SVG document.
    Svg,
    /// A self-contained HTML page (inline SVG, tooltips, no network).
    Html,
}

impl Format {
    /// The format named by a file's extension: `.svg`, or `.html`/`.htm` (any case).
    pub fn from_path(path: &Path) -> Result<Format, Error> {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("svg") => Ok(Format::Svg),
            Some("html" | "htm") => Ok(Format::Html),
            _ => Err(Error::Usage(format!(
                "{}: cannot tell the picture format; name the file .svg or .html",
                path.display()
            ))),
        }
    }
}

/// The Gantt chart in a self-contained HTML page with a tooltip per bar.
pub fn gantt_html(
    instance: &Instance,
    schedule: &Schedule,
    options: &GanttOptions,
) -> Result<String, Error> {
    let svg = gantt_svg(instance, schedule, options)?;
    let title = options
        .title
        .clone()
        .unwrap_or_else(|| format!("{} — plan", instance.name()));
    Ok(html::page(
        &title,
        &[
            html::Part::Note(
                "One lane per device, grouped by kind; hover a bar for its task, times, weight and lateness."
                    .into(),
            ),
            html::Part::Markup(svg),
        ],
    ))
}

/// The Gantt chart in `format`.
pub fn gantt(
    instance: &Instance,
    schedule: &Schedule,
    options: &GanttOptions,
    format: Format,
) -> Result<String, Error> {
    match format {
        Format::Svg => gantt_svg(instance, schedule, options),
        Format::Html => gantt_html(instance, schedule, options),
    }
}

/// Write the Gantt chart to `path`, in the format its extension names.
pub fn write_gantt(
    path: &Path,
    instance: &Instance,
    schedule: &Schedule,
    options: &GanttOptions,
) -> Result<(), Error> {
    let format = Format::from_path(path)?;
    let text = gantt(instance, schedule, options, format)?;
    crate::io::write_text(path, &text)
}

/// Refuse what cannot be drawn: an assignment naming a task or device the instance does not
/// have, or a time that is not finite or an end before its start.
fn check_schedule(instance: &Instance, schedule: &Schedule) -> Result<(), Error> {
    for (i, a) in schedule.assignments.iter().enumerate() {
        if a.task >= instance.num_tasks() {
            return Err(Error::Usage(format!(
                "assignment {} names task index {} but the instance has {} tasks",
                i + 1,
                a.task,
                instance.num_tasks()
            )));
        }
        if a.device >= instance.num_devices() {
            return Err(Error::Usage(format!(
                "assignment {} names device index {} but the instance has {} devices",
                i + 1,
                a.device,
                instance.num_devices()
            )));
        }
        if !a.start.is_finite() || !a.end.is_finite() || a.end < a.start {
            return Err(Error::Usage(format!(
                "assignment {} ({} on {}) has start {} and end {}: times must be finite with end ≥ start",
                i + 1,
                instance.task(a.task).id,
                instance.device(a.device).id,
                a.start,
                a.end
            )));
        }
    }
    Ok(())
}
