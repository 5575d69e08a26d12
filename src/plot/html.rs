//! Self-contained HTML pages: inline SVG charts, inline CSS and a few lines of inline script for
//! tooltips. Nothing is loaded from the network (no external script, style sheet, font or
//! image), so a report opens offline and can be mailed as one file.

use super::svg::escape;

/// The tooltip script: shows the `<title>` of the element under the pointer (bars, marks,
/// profiles, chart points) in a floating box, at once rather than after the browser's delay.
const SCRIPT: &str = r#"<script>
(function () {
  var tip = document.getElementById('tip');
  document.addEventListener('mousemove', function (e) {
    var el = e.target.closest ? e.target.closest('[data-tip], .bar, .release, .due, .usage, .unavailable') : null;
    var t = el && (el.getAttribute('data-tip') || (el.querySelector('title') || {}).textContent);
    if (!t) { tip.style.display = 'none'; return; }
    tip.textContent = t;
    tip.style.display = 'block';
    tip.style.left = (e.pageX + 14) + 'px';
    tip.style.top = (e.pageY + 12) + 'px';
  });
})();
</script>
"#;

const STYLE: &str = r#"<style>
body { font-family: Helvetica, Arial, sans-serif; margin: 24px; color: #1a1a1a; }
h1 { font-size: 20px; margin: 0 0 8px; }
h2 { font-size: 16px; margin: 28px 0 8px; }
p.note { color: #555; max-width: 60em; }
svg .bar:hover { stroke: #1a1a1a; stroke-width: 2; }
#tip { position: absolute; display: none; white-space: pre; background: #fffff0; border: 1px solid #888;
       padding: 4px 6px; font-size: 12px; pointer-events: none; box-shadow: 1px 1px 3px #aaa; }
table { border-collapse: collapse; font-size: 13px; }
th, td { border: 1px solid #ddd; padding: 3px 8px; text-align: right; }
th { background: #f4f6f8; }
td.l, th.l { text-align: left; }
.chart { margin: 8px 0 16px; }
</style>
"#;

/// One section of a page.
#[derive(Debug, Clone)]
pub enum Part {
    /// A second-level heading.
    Heading(String),
    /// A paragraph of plain text.
    Note(String),
    /// Markup made by this crate (an SVG chart, a table), inserted as is.
    Markup(String),
}

/// A complete HTML page titled `title` holding `parts`, with the tooltip box and script.
pub fn page(title: &str, parts: &[Part]) -> String {
    let mut out = String::with_capacity(parts.iter().map(|p| p.len()).sum::<usize>() + 4096);
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str(&format!("<title>{}</title>\n", escape(title)));
    out.push_str(STYLE);
    out.push_str("</head>\n<body>\n");
    out.push_str(&format!("<h1>{}</h1>\n", escape(title)));
    for p in parts {
        match p {
            Part::Heading(h) => out.push_str(&format!("<h2>{}</h2>\n", escape(h))),
            Part::Note(t) => out.push_str(&format!("<p class=\"note\">{}</p>\n", escape(t))),
            Part::Markup(m) => {
                out.push_str("<div class=\"chart\">\n");
                out.push_str(&inline(m));
                out.push_str("</div>\n");
            }
        }
    }
    out.push_str("<div id=\"tip\"></div>\n");
    out.push_str(SCRIPT);
    out.push_str("</body>\n</html>\n");
    out
}

/// An SVG document ready to sit inside HTML: without its XML declaration and its `xmlns`
/// (HTML does not need it, and the page then names no URL at all).
fn inline(markup: &str) -> String {
    let body = match markup.strip_prefix("<?xml") {
        Some(rest) => rest
            .split_once("?>")
            .map_or(markup, |(_, r)| r.trim_start()),
        None => markup,
    };
    body.replacen(" xmlns=\"http://www.w3.org/2000/svg\"", "", 1)
}

impl Part {
    fn len(&self) -> usize {
        match self {
            Part::Heading(s) | Part::Note(s) | Part::Markup(s) => s.len() + 32,
        }
    }
}

/// An HTML table: a header row, then rows; the first `left` columns are left-aligned.
pub fn table(header: &[&str], rows: &[Vec<String>], left: usize) -> String {
    let cell = |tag: &str, k: usize, s: &str| {
        let class = if k < left { " class=\"l\"" } else { "" };
        format!("<{tag}{class}>{}</{tag}>", escape(s))
    };
    let mut out = String::from("<table>\n<tr>");
    for (k, h) in header.iter().enumerate() {
        out.push_str(&cell("th", k, h));
    }
    out.push_str("</tr>\n");
    for r in rows {
        out.push_str("<tr>");
        for (k, c) in r.iter().enumerate() {
            out.push_str(&cell("td", k, c));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</table>\n");
    out
}
