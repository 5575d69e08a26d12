//! Pegasus DAX workflows (XML, e.g. the synthetic Montage, CyberShake, Epigenomics, Inspiral
//! and Sipht workflows of the Pegasus workflow generator, as WorkflowSim ships them).
//!
//! Elements read, under the root `<adag>` (in any XML namespace; everything else is ignored):
//!
//! - `<job id=… name=… runtime=…>`: one task per job; `id` unique; `name` (the transformation,
//!   default: the id) is what [speed rules](super::workflow::SpeedRule) match besides the id;
//!   `runtime` in seconds (≥ 0) — or, without that attribute, a child
//!   `<profile namespace="pegasus" key="runtime">…</profile>`;
//! - `<uses file=… link=input|output|inout size=…>` inside a job (`name=` is accepted for
//!   `file=`, as DAX 3 writes it): the files the job reads and writes, `size` in bytes (≥ 0,
//!   required);
//! - `<child ref=…><parent ref=…/>…</child>`: the edges parent → child.
//!
//! An edge parent → child carries the total size of the files the parent writes and the child
//! reads (matched by file name, each counted once); when the two `uses` give different sizes
//! (the synthetic Pegasus files do, by a few per cent), the parent's — the size written —
//! counts. An edge without such a file is a plain precedence. Sub-workflows (`<dax>`, `<dag>`)
//! are refused. Errors name the file, the line and the job or element concerned.

use super::workflow::{Workflow, WorkflowEdge, WorkflowTask};
use crate::error::Error;
use roxmltree::{Document, Node};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// Read a DAX file (see the [module](self) docs); errors name the file and the line.
pub fn read(path: &Path) -> Result<Workflow, Error> {
    let text = super::read_text(path)?;
    parse(&text, path)
}

/// A job as read: its files by name, with sizes.
struct Job<'a> {
    id: &'a str,
    name: &'a str,
    runtime: f64,
    reads: BTreeMap<&'a str, f64>,
    writes: BTreeMap<&'a str, f64>,
}

/// Parse the text of a DAX file; `origin` names the source in errors.
pub fn parse(text: &str, origin: &Path) -> Result<Workflow, Error> {
    let fail = |message: String| Error::Parse {
        path: origin.to_path_buf(),
        message,
    };
    if text.trim().is_empty() {
        return Err(fail("the file is empty".into()));
    }
    let doc = Document::parse(text).map_err(|e| fail(format!("not valid XML: {e}")))?;
    let root = doc.root_element();
    if root.tag_name().name() != "adag" {
        return Err(fail(format!(
            "line {}: the root element is <{}>, not <adag>: not a DAX file",
            line(&doc, root),
            root.tag_name().name()
        )));
    }
    let mut problems: Vec<String> = Vec::new();
    let mut jobs: Vec<Job> = Vec::new();
    let mut index: HashMap<&str, usize> = HashMap::new();
    let mut edges: Vec<(Node, &str, &str)> = Vec::new();
    for node in root.children().filter(Node::is_element) {
        let at = format!("line {}", line(&doc, node));
        match node.tag_name().name() {
            "job" => {
                if let Some(job) = read_job(&doc, node, &mut problems) {
                    if index.insert(job.id, jobs.len()).is_some() {
                        problems.push(format!("{at}: job '{}' is defined twice", job.id));
                    }
                    jobs.push(job);
                }
            }
            "child" => {
                let Some(child) = node.attribute("ref") else {
                    problems.push(format!("{at}: <child> has no ref attribute"));
                    continue;
                };
                for p in node.children().filter(Node::is_element) {
                    let at = format!("line {}", line(&doc, p));
                    match (p.tag_name().name(), p.attribute("ref")) {
                        ("parent", Some(parent)) => edges.push((p, parent, child)),
                        ("parent", None) => {
                            problems.push(format!("{at}: <parent> has no ref attribute"))
                        }
                        (other, _) => problems.push(format!(
                            "{at}: <{other}> inside <child ref=\"{child}\">: only <parent> \
                             elements belong there"
                        )),
                    }
                }
            }
            tag @ ("dax" | "dag") => problems.push(format!(
                "{at}: <{tag}> (a sub-workflow) is not supported: expand it into jobs first"
            )),
            _ => {}
        }
    }
    let mut parents: Vec<Vec<usize>> = vec![Vec::new(); jobs.len()];
    for (node, parent, child) in edges {
        let at = format!("line {}", line(&doc, node));
        match (index.get(parent), index.get(child)) {
            (Some(&p), Some(&c)) if p == c => {
                problems.push(format!("{at}: job '{child}' is its own parent"))
            }
            (Some(&p), Some(&c)) => {
                if !parents[c].contains(&p) {
                    parents[c].push(p);
                }
            }
            (None, _) => problems.push(format!(
                "{at}: parent '{parent}' of job '{child}' is not a job of the workflow"
            )),
            (_, None) => problems.push(format!(
                "{at}: <child ref=\"{child}\">: '{child}' is not a job of the workflow"
            )),
        }
    }
    if jobs.is_empty() && problems.is_empty() {
        problems.push("the workflow has no <job>".into());
    }
    if !problems.is_empty() {
        return Err(fail(super::wfcommons::listed(problems)));
    }
    let tasks = jobs
        .iter()
        .zip(parents)
        .map(|(job, ps)| WorkflowTask {
            id: job.id.to_string(),
            name: job.name.to_string(),
            runtime: job.runtime,
            parents: ps
                .into_iter()
                .map(|p| {
                    let shared: Vec<f64> = jobs[p]
                        .writes
                        .iter()
                        .filter(|(f, _)| job.reads.contains_key(*f))
                        .map(|(_, &size)| size)
                        .collect();
                    WorkflowEdge {
                        parent: p,
                        bytes: (!shared.is_empty()).then(|| shared.iter().sum()),
                    }
                })
                .collect(),
        })
        .collect();
    Ok(Workflow { tasks })
}

/// The 1-based line of a node's start.
fn line(doc: &Document, node: Node) -> u32 {
    doc.text_pos_at(node.range().start).row
}

/// A number ≥ 0 (finite) from an attribute or element text.
fn non_negative(text: &str) -> Option<f64> {
    text.trim()
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite() && *v >= 0.0)
}

/// One `<job>`: its id, name, runtime and files; `None` when it has no id. Problems are
/// recorded (the caller builds no workflow then).
fn read_job<'a>(doc: &Document, node: Node<'a, '_>, problems: &mut Vec<String>) -> Option<Job<'a>> {
    let at = format!("line {}", line(doc, node));
    let Some(id) = node.attribute("id") else {
        problems.push(format!("{at}: <job> has no id attribute"));
        return None;
    };
    let what = format!("{at}: job '{id}'");
    let runtime_text = node.attribute("runtime").or_else(|| {
        node.children()
            .filter(|c| c.has_tag_name("profile"))
            .find(|c| {
                c.attribute("namespace") == Some("pegasus") && c.attribute("key") == Some("runtime")
            })
            .and_then(|c| c.text())
    });
    let runtime = match runtime_text {
        None => {
            problems.push(format!(
                "{what}: no runtime (neither a runtime attribute nor a pegasus runtime profile)"
            ));
            None
        }
        Some(t) => {
            let r = non_negative(t);
            if r.is_none() {
                problems.push(format!(
                    "{what}: runtime '{}' is not a number ≥ 0",
                    t.trim()
                ));
            }
            r
        }
    };
    let mut reads = BTreeMap::new();
    let mut writes = BTreeMap::new();
    for u in node.children().filter(|c| c.has_tag_name("uses")) {
        let at = format!("line {}", line(doc, u));
        let Some(file) = u.attribute("file").or_else(|| u.attribute("name")) else {
            problems.push(format!(
                "{at}: job '{id}': <uses> has no file (or name) attribute"
            ));
            continue;
        };
        let size = match u.attribute("size") {
            None => {
                problems.push(format!(
                    "{at}: job '{id}': file '{file}' has no size attribute (bytes)"
                ));
                continue;
            }
            Some(s) => match non_negative(s) {
                Some(v) => v,
                None => {
                    problems.push(format!(
                        "{at}: job '{id}': file '{file}': size '{s}' is not a number ≥ 0"
                    ));
                    continue;
                }
            },
        };
        match u.attribute("link") {
            Some("input") => {
                reads.insert(file, size);
            }
            Some("output") => {
                writes.insert(file, size);
            }
            Some("inout") => {
                reads.insert(file, size);
                writes.insert(file, size);
            }
            Some(other) => problems.push(format!(
                "{at}: job '{id}': file '{file}': link '{other}' is not input, output or inout"
            )),
            None => problems.push(format!(
                "{at}: job '{id}': file '{file}' has no link attribute (input or output)"
            )),
        }
    }
    Some(Job {
        id,
        name: node.attribute("name").unwrap_or(id),
        // A bad runtime is recorded among the problems; the job still counts for the edges.
        runtime: runtime.unwrap_or(f64::NAN),
        reads,
        writes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(text: &str) -> Result<Workflow, Error> {
        parse(text, Path::new("w.xml"))
    }

    const SMALL: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<adag xmlns="http://pegasus.isi.edu/schema/DAX" version="2.1" name="t">
  <job id="A" name="split" runtime="1.5">
    <uses file="x" link="output" size="1000000"/>
    <uses file="y" link="output" size="2500000"/>
  </job>
  <job id="B" name="work">
    <profile namespace="pegasus" key="runtime">2</profile>
    <uses file="x" link="input" size="999999"/>
    <uses file="y" link="input" size="2500000"/>
    <uses file="z" link="output" size="7"/>
  </job>
  <job id="C" runtime="0"/>
  <child ref="B"><parent ref="A"/></child>
  <child ref="C"><parent ref="A"/><parent ref="B"/><parent ref="A"/></child>
</adag>
"#;

    #[test]
    fn edges_carry_the_files_the_parent_writes() {
        let wf = parse_str(SMALL).unwrap();
        assert_eq!(wf.tasks.len(), 3);
        assert_eq!(
            (wf.tasks[1].name.as_str(), wf.tasks[1].runtime),
            ("work", 2.0)
        );
        assert_eq!(wf.tasks[2].name, "C");
        // A → B: x and y at the sizes A writes; A → C and B → C: no shared file.
        assert_eq!(
            wf.tasks[1].parents,
            [WorkflowEdge {
                parent: 0,
                bytes: Some(3_500_000.0)
            }]
        );
        let c: Vec<(usize, Option<f64>)> = wf.tasks[2]
            .parents
            .iter()
            .map(|e| (e.parent, e.bytes))
            .collect();
        assert_eq!(c, [(0, None), (1, None)]);
    }

    #[test]
    fn problems_name_the_line_and_the_job() {
        let bad = SMALL
            .replace(r#"runtime="1.5""#, r#"runtime="fast""#)
            .replace(
                r#"<uses file="z" link="output" size="7"/>"#,
                r#"<uses file="z" link="output"/>"#,
            )
            .replace(r#"<parent ref="B"/>"#, r#"<parent ref="Q"/>"#);
        let err = parse_str(&bad).unwrap_err().to_string();
        for word in [
            "w.xml",
            "3 problems",
            "line 3: job 'A': runtime 'fast'",
            "line 11: job 'B': file 'z' has no size",
            "line 15: parent 'Q' of job 'C'",
        ] {
            assert!(err.contains(word), "{word}: {err}");
        }
        let err = parse_str("<adag><job id='a' runtime='1'></adag>")
            .unwrap_err()
            .to_string();
        assert!(err.contains("not valid XML") && err.contains("1:"), "{err}");
        let err = parse_str("<workflow/>").unwrap_err().to_string();
        assert!(err.contains("not <adag>"), "{err}");
        let err = parse_str("<adag><job id='a'/></adag>")
            .unwrap_err()
            .to_string();
        assert!(err.contains("job 'a': no runtime"), "{err}");
    }
}
