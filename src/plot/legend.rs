//! Colours and legends: a fixed palette, the colour key of each task (its family or its user),
//! and a legend drawn as rows of swatches that wrap at the chart's width.

use super::svg::{Svg, text_width};
use crate::model::Instance;

/// A categorical palette (Tableau 20 reordered so neighbours differ), used in order of first
/// appearance; keys beyond it reuse it from the start.
pub(crate) const PALETTE: [&str; 20] = [
    "#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#edc948", "#76b7b2", "#ff9da7", "#9c755f",
    "#e15759", "#bab0ac", "#a0cbe8", "#ffbe7d", "#8cd17d", "#d4a6c8", "#f1ce63", "#86bcb6",
    "#fabfd2", "#d7b5a6", "#79706e", "#499894",
];

/// The red of late tasks and due-date marks.
pub(crate) const LATE: &str = "#c1121f";
/// The grey of tasks without a user and of "more" entries.
pub(crate) const GREY: &str = "#9e9e9e";
/// At most this many keys get their own legend entry.
const MAX_ENTRIES: usize = 24;

/// What decides a bar's colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ColourBy {
    /// By user when some task names one, else by family.
    #[default]
    Auto,
    /// By task family: the first word of the id without digits (`finetune-chat` and
    /// `finetune-code` are both `finetune`, `infer-batch-1` is `infer`, `w3-train-0` is
    /// `train`); see [`family`].
    Family,
    /// By the task's `user` (tasks without one share a grey).
    User,
}

impl std::str::FromStr for ColourBy {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "auto" => Ok(ColourBy::Auto),
            "family" => Ok(ColourBy::Family),
            "user" => Ok(ColourBy::User),
            other => Err(format!(
                "unknown colour key '{other}' (expected auto, family or user)"
            )),
        }
    }
}

/// The family of a task id (see [`ColourBy::Family`]): its first word without digits (words
/// are split at `-`, `_`, `.`, `/`, `:` and blanks), else its first word with the digits taken
/// out, else the whole id.
pub fn family(id: &str) -> String {
    let words = || {
        id.split(['-', '_', '.', '/', ':', ' '])
            .filter(|w| !w.is_empty())
    };
    if let Some(w) = words().find(|w| !w.chars().any(|c| c.is_ascii_digit())) {
        return w.to_string();
    }
    let first: String = words()
        .next()
        .unwrap_or("")
        .chars()
        .filter(|c| !c.is_ascii_digit())
        .collect();
    if first.is_empty() {
        id.to_string()
    } else {
        first
    }
}

/// The colour key of every task and the keys in order of first appearance with their colours.
pub(crate) struct Colours {
    /// Per task, the index of its key in `keys`.
    pub(crate) of_task: Vec<usize>,
    /// (key, colour), in order of first appearance.
    pub(crate) keys: Vec<(String, &'static str)>,
}

impl Colours {
    /// Colour every task of `instance` by `by`.
    pub(crate) fn new(instance: &Instance, by: ColourBy) -> Colours {
        let by_user = match by {
            ColourBy::Auto => instance.tasks().iter().any(|t| t.user.is_some()),
            ColourBy::Family => false,
            ColourBy::User => true,
        };
        let mut keys: Vec<(String, &'static str)> = Vec::new();
        let mut index = std::collections::BTreeMap::<String, usize>::new();
        let mut palette = 0;
        let of_task = instance
            .tasks()
            .iter()
            .map(|t| {
                let key = if by_user {
                    t.user.clone().unwrap_or_else(|| "-".into())
                } else {
                    family(&t.id)
                };
                *index.entry(key.clone()).or_insert_with(|| {
                    let colour = if by_user && key == "-" {
                        GREY
                    } else {
                        palette += 1;
                        PALETTE[(palette - 1) % PALETTE.len()]
                    };
                    keys.push((key, colour));
                    keys.len() - 1
                })
            })
            .collect();
        Colours { of_task, keys }
    }

    /// The colour of task `t`.
    pub(crate) fn of(&self, t: usize) -> &'static str {
        self.keys[self.of_task[t]].1
    }
}

/// Black or white, whichever reads better on `fill` (`#rrggbb`).
pub(crate) fn ink_on(fill: &str) -> &'static str {
    let channel = |i: usize| {
        fill.get(i..i + 2)
            .and_then(|h| u8::from_str_radix(h, 16).ok())
            .unwrap_or(0) as f64
    };
    let luma = 0.299 * channel(1) + 0.587 * channel(3) + 0.114 * channel(5);
    if luma > 150.0 { "#1a1a1a" } else { "#ffffff" }
}

/// One legend entry's swatch.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Swatch {
    /// A filled box.
    Fill(&'static str),
    /// A box outlined in red (late tasks).
    Late,
    /// A vertical line of this colour, dashed or not (release and due marks).
    Mark(&'static str, bool),
    /// An arrow (precedence).
    Arrow,
}

/// Lay out `entries` in rows from (`x`, `y`) wrapping at `right`; returns the height used.
pub(crate) fn draw(svg: &mut Svg, entries: &[(String, Swatch)], x: f64, y: f64, right: f64) -> f64 {
    let row = 16.0;
    let (mut cx, mut cy) = (x, y);
    svg.open("g", &[("class", "legend".into())]);
    for (label, swatch) in entries {
        let w = 16.0 + text_width(label, 11.0) + 14.0;
        if cx + w > right && cx > x {
            cx = x;
            cy += row;
        }
        svg.open(
            "g",
            &[("class", "legend-item".into()), ("data-key", label.into())],
        );
        match swatch {
            Swatch::Fill(c) => svg.leaf(
                "rect",
                &[
                    ("x", cx.into()),
                    ("y", (cy + 2.0).into()),
                    ("width", 11.0.into()),
                    ("height", 11.0.into()),
                    ("fill", (*c).into()),
                ],
            ),
            Swatch::Late => svg.leaf(
                "rect",
                &[
                    ("x", (cx + 1.0).into()),
                    ("y", (cy + 3.0).into()),
                    ("width", 10.0.into()),
                    ("height", 10.0.into()),
                    ("fill", "#ffffff".into()),
                    ("stroke", LATE.into()),
                    ("stroke-width", 2.0.into()),
                ],
            ),
            Swatch::Mark(c, dashed) => svg.leaf(
                "line",
                &[
                    ("x1", (cx + 5.5).into()),
                    ("x2", (cx + 5.5).into()),
                    ("y1", (cy + 1.0).into()),
                    ("y2", (cy + 14.0).into()),
                    ("stroke", (*c).into()),
                    ("stroke-width", 2.0.into()),
                    (
                        "stroke-dasharray",
                        if *dashed { "3,2" } else { "none" }.into(),
                    ),
                ],
            ),
            Swatch::Arrow => svg.leaf(
                "path",
                &[
                    ("d", format!("M{} {}h10", cx, cy + 8.0).as_str().into()),
                    ("stroke", "#555555".into()),
                    ("marker-end", "url(#arrowhead)".into()),
                ],
            ),
        }
        svg.text(
            "text",
            &[("x", (cx + 16.0).into()), ("y", (cy + 12.0).into())],
            label,
        );
        svg.close();
        cx += w;
    }
    svg.close();
    cy + row - y
}

/// The legend entries of a colour key: at most [`MAX_ENTRIES`], then one "+N more".
pub(crate) fn key_entries(colours: &Colours) -> Vec<(String, Swatch)> {
    let mut out: Vec<(String, Swatch)> = colours
        .keys
        .iter()
        .take(MAX_ENTRIES)
        .map(|(k, c)| (k.clone(), Swatch::Fill(c)))
        .collect();
    if colours.keys.len() > MAX_ENTRIES {
        out.push((
            format!("+{} more", colours.keys.len() - MAX_ENTRIES),
            Swatch::Fill(GREY),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn families_cut_at_the_first_separator() {
        assert_eq!(family("finetune-chat"), "finetune");
        assert_eq!(family("infer-batch-1"), "infer");
        assert_eq!(family("t12"), "t");
        assert_eq!(family("train"), "train");
        assert_eq!(family("w3-train-0"), "train");
        assert_eq!(family("resnet50-3"), "resnet");
        assert_eq!(family("42"), "42");
        assert_eq!(ink_on("#4e79a7"), "#ffffff");
        assert_eq!(ink_on("#edc948"), "#1a1a1a");
    }
}
