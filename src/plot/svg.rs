//! A small typed SVG writer: elements with attributes whose values are escaped text or numbers
//! written with one fixed format, so the same drawing always gives the same bytes.
//!
//! The Gantt chart needs what general charting crates do not give per element: a `<title>` child
//! (the browser's tooltip), a `class` and `data-*` attributes (for tests and the HTML tooltip
//! script), groups per lane. This writer is that and nothing more.

use std::fmt::Write;

/// An attribute value: text (escaped when written) or a number (fixed format).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Value<'a> {
    /// Text.
    Str(&'a str),
    /// A number, written with at most two decimals and no trailing zeros.
    Num(f64),
}

impl<'a> From<&'a str> for Value<'a> {
    fn from(s: &'a str) -> Self {
        Value::Str(s)
    }
}

impl<'a> From<&'a String> for Value<'a> {
    fn from(s: &'a String) -> Self {
        Value::Str(s)
    }
}

impl From<f64> for Value<'_> {
    fn from(x: f64) -> Self {
        Value::Num(x)
    }
}

/// A coordinate or length with at most two decimals, no trailing zeros, no `-0`.
pub(crate) fn coord(x: f64) -> String {
    if !x.is_finite() {
        return "0".into();
    }
    let r = (x * 100.0).round() / 100.0;
    if r == 0.0 {
        return "0".into();
    }
    let s = format!("{r:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Escape text for XML content and attribute values.
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if (c as u32) < 0x20 && c != '\n' && c != '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// An SVG document being written.
#[derive(Debug)]
pub(crate) struct Svg {
    out: String,
    open: Vec<&'static str>,
}

impl Svg {
    /// A document of this size in pixels, with the default font and a white background.
    pub(crate) fn new(width: f64, height: f64, class: &str) -> Svg {
        let mut svg = Svg {
            out: String::with_capacity(1 << 16),
            open: Vec::new(),
        };
        svg.open(
            "svg",
            &[
                ("xmlns", "http://www.w3.org/2000/svg".into()),
                ("class", class.into()),
                ("width", width.into()),
                ("height", height.into()),
                (
                    "viewBox",
                    format!("0 0 {} {}", coord(width), coord(height))
                        .as_str()
                        .into(),
                ),
                ("font-family", "Helvetica, Arial, sans-serif".into()),
                ("font-size", 11.0.into()),
            ],
        );
        svg.leaf(
            "rect",
            &[
                ("width", width.into()),
                ("height", height.into()),
                ("fill", "#ffffff".into()),
            ],
        );
        svg
    }

    fn start_tag(&mut self, tag: &str, attrs: &[(&str, Value)]) {
        self.out.push('<');
        self.out.push_str(tag);
        for (name, value) in attrs {
            let _ = match value {
                Value::Str(s) => write!(self.out, " {name}=\"{}\"", escape(s)),
                Value::Num(x) => write!(self.out, " {name}=\"{}\"", coord(*x)),
            };
        }
    }

    /// Open an element (closed by [`Svg::close`]).
    pub(crate) fn open(&mut self, tag: &'static str, attrs: &[(&str, Value)]) {
        self.start_tag(tag, attrs);
        self.out.push_str(">\n");
        self.open.push(tag);
    }

    /// Close the innermost open element.
    pub(crate) fn close(&mut self) {
        if let Some(tag) = self.open.pop() {
            let _ = writeln!(self.out, "</{tag}>");
        }
    }

    /// An element without children.
    pub(crate) fn leaf(&mut self, tag: &str, attrs: &[(&str, Value)]) {
        self.start_tag(tag, attrs);
        self.out.push_str("/>\n");
    }

    /// An element holding text.
    pub(crate) fn text(&mut self, tag: &str, attrs: &[(&str, Value)], text: &str) {
        self.start_tag(tag, attrs);
        let _ = writeln!(self.out, ">{}</{tag}>", escape(text));
    }

    /// An element with a `<title>` child: the tooltip browsers show on hover.
    pub(crate) fn with_title(&mut self, tag: &str, attrs: &[(&str, Value)], title: &str) {
        self.start_tag(tag, attrs);
        let _ = writeln!(self.out, "><title>{}</title></{tag}>", escape(title));
    }

    /// Raw markup (definitions written by hand, already valid).
    pub(crate) fn raw(&mut self, markup: &str) {
        self.out.push_str(markup);
    }

    /// Close every open element and return the document.
    pub(crate) fn finish(mut self) -> String {
        while !self.open.is_empty() {
            self.close();
        }
        self.out
    }
}

/// Estimated width in pixels of `text` at `size` px (Helvetica-like average advance).
pub(crate) fn text_width(text: &str, size: f64) -> f64 {
    text.chars().count() as f64 * size * 0.58
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_text_are_written_one_way() {
        assert_eq!(coord(1.0), "1");
        assert_eq!(coord(1.005), "1");
        assert_eq!(coord(2.5), "2.5");
        assert_eq!(coord(-0.001), "0");
        assert_eq!(coord(f64::NAN), "0");
        assert_eq!(escape("a<b & \"c\""), "a&lt;b &amp; &quot;c&quot;");
        let mut s = Svg::new(10.0, 5.0, "t");
        s.with_title("rect", &[("x", 1.5.into())], "x<y");
        let out = s.finish();
        assert!(out.contains("<rect x=\"1.5\"><title>x&lt;y</title></rect>"));
        assert!(out.ends_with("</svg>\n"));
    }
}
