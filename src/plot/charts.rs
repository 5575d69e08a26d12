//! Line and bar charts of the reports, drawn with plotters' SVG backend.
//!
//! Plotters gives axes, meshes, series and legends; these wrappers fix the look (size, fonts,
//! palette) and turn its drawing errors into [`Error::Plot`]. Text sizes are estimated (no font
//! feature), which keeps the output the same on every machine.

use super::legend::PALETTE;
use crate::error::Error;
use plotters::coord::ranged1d::{SegmentValue, SegmentedCoord};
use plotters::coord::types::RangedCoordusize;
use plotters::prelude::*;

/// Chart size in pixels.
pub(crate) const SIZE: (u32, u32) = (960, 360);

/// One line of a line chart.
#[derive(Debug, Clone)]
pub(crate) struct Line {
    /// Legend name.
    pub(crate) name: String,
    /// Index into the palette.
    pub(crate) colour: usize,
    /// Points, by increasing x.
    pub(crate) points: Vec<(f64, f64)>,
    /// Dashed (bounds) rather than solid (values).
    pub(crate) dashed: bool,
    /// Mark each point with a dot (for lines of a few points, like proven bounds).
    pub(crate) dots: bool,
}

/// The palette colour `i` (cycling).
pub(crate) fn colour(i: usize) -> RGBColor {
    let hex = PALETTE[i % PALETTE.len()];
    let c = |k: usize| u8::from_str_radix(&hex[k..k + 2], 16).unwrap_or(0);
    RGBColor(c(1), c(3), c(5))
}

/// The series legend every chart draws: upper right, on a translucent white box.
fn legend<'a, DB: DrawingBackend + 'a, CT: CoordTranslate>(
    chart: &mut ChartContext<'a, DB, CT>,
) -> Result<(), Error> {
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .background_style(WHITE.mix(0.85))
        .border_style(RGBColor(170, 170, 170))
        .label_font(("sans-serif", 12))
        .draw()
        .map_err(err)
}

fn err<E: std::fmt::Display>(e: E) -> Error {
    Error::Plot(e.to_string())
}

/// A range with a little room around `[lo, hi]` (and a non-empty one when they are equal).
pub(crate) fn padded(lo: f64, hi: f64) -> (f64, f64) {
    if !(lo.is_finite() && hi.is_finite()) {
        return (0.0, 1.0);
    }
    if hi - lo <= 1e-12 * hi.abs().max(1.0) {
        let d = hi.abs().max(1.0) * 0.05;
        return (lo - d, hi + d);
    }
    let d = (hi - lo) * 0.05;
    (lo - d, hi + d)
}

/// A line chart: `lines` over x in `[x0, x1]`, y in `[y0, y1]`.
pub(crate) fn line_chart(
    title: &str,
    x_desc: &str,
    y_desc: &str,
    (x0, x1): (f64, f64),
    (y0, y1): (f64, f64),
    lines: &[Line],
) -> Result<String, Error> {
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, SIZE).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 16))
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(70)
            .build_cartesian_2d(x0..x1, y0..y1)
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_desc(x_desc)
            .y_desc(y_desc)
            .light_line_style(WHITE)
            .bold_line_style(RGBColor(226, 226, 226))
            .label_style(("sans-serif", 12))
            .x_label_formatter(&|x| super::svg::coord(*x))
            .y_label_formatter(&|y| super::svg::coord(*y))
            .draw()
            .map_err(err)?;
        for l in lines.iter().filter(|l| l.dots) {
            // Bounds are often a few points (a solver proves one at its end): mark each.
            let c = colour(l.colour);
            chart
                .draw_series(l.points.iter().map(|&p| Circle::new(p, 3, c.filled())))
                .map_err(err)?;
        }
        for l in lines {
            let c = colour(l.colour);
            let style = c.stroke_width(2);
            let series = if l.dashed {
                chart
                    .draw_series(DashedLineSeries::new(l.points.iter().copied(), 6, 4, style))
                    .map_err(err)?
            } else {
                chart
                    .draw_series(LineSeries::new(l.points.iter().copied(), style))
                    .map_err(err)?
            };
            let dashed = l.dashed;
            series.label(&l.name).legend(move |(x, y)| {
                let end = if dashed { x + 8 } else { x + 18 };
                PathElement::new(vec![(x, y), (end, y)], c.stroke_width(2))
            });
        }
        if !lines.is_empty() {
            legend(&mut chart)?;
        }
        root.present().map_err(err)?;
    }
    Ok(out)
}

/// Values per category for several series, drawn as points joined by lines (one colour and
/// legend entry per series), categories along x.
pub(crate) fn category_chart(
    title: &str,
    y_desc: &str,
    categories: &[String],
    series: &[(String, Vec<Option<f64>>)],
) -> Result<String, Error> {
    let values = series.iter().flat_map(|(_, v)| v.iter().flatten().copied());
    let (lo, hi) = values
        .filter(|v| v.is_finite())
        .fold((0.0_f64, 0.0_f64), |(a, b), v| (a.min(v), b.max(v)));
    let (y0, y1) = padded(lo, hi);
    let n = categories.len().max(1);
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, SIZE).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 16))
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(70)
            .build_cartesian_2d(segments(n), y0..y1)
            .map_err(err)?;
        let label = |v: &SegmentValue<usize>| match v {
            SegmentValue::CenterOf(i) => short(categories.get(*i).map_or("", |s| s.as_str()), n),
            _ => String::new(),
        };
        chart
            .configure_mesh()
            .y_desc(y_desc)
            .light_line_style(WHITE)
            .bold_line_style(RGBColor(226, 226, 226))
            .label_style(("sans-serif", 12))
            .x_labels(n.min(40))
            .x_label_formatter(&label)
            .y_label_formatter(&|y| super::svg::coord(*y))
            .draw()
            .map_err(err)?;
        for (k, (name, values)) in series.iter().enumerate() {
            let c = colour(k);
            let points: Vec<(SegmentValue<usize>, f64)> = values
                .iter()
                .enumerate()
                .filter_map(|(i, v)| {
                    v.filter(|v| v.is_finite())
                        .map(|v| (SegmentValue::CenterOf(i), v))
                })
                .collect();
            chart
                .draw_series(LineSeries::new(
                    points.iter().cloned(),
                    c.mix(0.5).stroke_width(1),
                ))
                .map_err(err)?;
            chart
                .draw_series(points.iter().map(|p| Circle::new(p.clone(), 4, c.filled())))
                .map_err(err)?
                .label(name)
                .legend(move |(x, y)| Circle::new((x + 6, y), 4, c.filled()));
        }
        legend(&mut chart)?;
        root.present().map_err(err)?;
    }
    Ok(out)
}

/// One or two bars per category (e.g. a solver's mean gap to the bound and to the best known):
/// one fills the category; of two, the first takes the left half and the second the right.
pub(crate) fn bars(
    title: &str,
    y_desc: &str,
    categories: &[String],
    names: &[&str],
    values: &[Vec<Option<f64>>],
) -> Result<String, Error> {
    let hi = values
        .iter()
        .flatten()
        .flatten()
        .copied()
        .filter(|v| v.is_finite())
        .fold(0.0_f64, f64::max);
    let y1 = if hi > 0.0 { hi * 1.15 } else { 1.0 };
    let n = categories.len().max(1);
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, SIZE).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 16))
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(70)
            .build_cartesian_2d(segments(n), 0.0..y1)
            .map_err(err)?;
        let label = |v: &SegmentValue<usize>| match v {
            SegmentValue::CenterOf(i) => short(categories.get(*i).map_or("", |s| s.as_str()), n),
            _ => String::new(),
        };
        chart
            .configure_mesh()
            .disable_x_mesh()
            .y_desc(y_desc)
            .light_line_style(WHITE)
            .bold_line_style(RGBColor(226, 226, 226))
            .label_style(("sans-serif", 12))
            .x_labels(n)
            .x_label_formatter(&label)
            .y_label_formatter(&|y| super::svg::coord(*y))
            .draw()
            .map_err(err)?;
        let pair = names.len() > 1;
        for (k, name) in names.iter().enumerate().take(2) {
            let c = colour(k);
            chart
                .draw_series(values.iter().enumerate().filter_map(|(i, v)| {
                    let v = v.get(k).copied().flatten().filter(|v| v.is_finite())?;
                    let (a, b, left, right) = match (pair, k) {
                        (false, _) => (SegmentValue::Exact(i), SegmentValue::Exact(i + 1), 12, 12),
                        (true, 0) => (SegmentValue::Exact(i), SegmentValue::CenterOf(i), 6, 1),
                        _ => (SegmentValue::CenterOf(i), SegmentValue::Exact(i + 1), 1, 6),
                    };
                    let mut bar = Rectangle::new([(a, 0.0), (b, v)], c.filled());
                    bar.set_margin(0, 0, left, right);
                    Some(bar)
                }))
                .map_err(err)?
                .label(*name)
                .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 10, y + 5)], c.filled()));
        }
        legend(&mut chart)?;
        root.present().map_err(err)?;
    }
    Ok(out)
}

/// `n` categories as segments (plotters' integer ranges include their end: `0..n - 1` has
/// `n` segments).
fn segments(n: usize) -> SegmentedCoord<RangedCoordusize> {
    (0..n.max(1) - 1).into_segmented()
}

/// A category label cut to the width of one of `n` categories.
fn short(s: &str, n: usize) -> String {
    let room = ((f64::from(SIZE.0) - 100.0) / n.max(1) as f64 / 6.5).clamp(4.0, 40.0) as usize;
    if s.chars().count() <= room {
        s.to_string()
    } else {
        let head: String = s.chars().take(room - 1).collect();
        format!("{head}…")
    }
}
