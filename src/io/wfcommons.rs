//! WfCommons workflow instances (WfFormat 1.5 JSON, e.g. the traces of wfcommons/WfInstances).
//!
//! Fields read (everything else is ignored):
//!
//! - `workflow.specification.tasks[]`: `id` (unique), `name` (default: the id), `parents` and
//!   `children` (task ids), `inputFiles` and `outputFiles` (file ids);
//! - `workflow.specification.files[]`: `id`, `sizeInBytes` (≥ 0);
//! - `workflow.execution.tasks[]`: `id`, `runtimeInSeconds` (≥ 0), one entry per task.
//!
//! The edges are the union of the `parents` and `children` lists (a relation given on one side
//! only counts). An edge parent → child carries the total size of the files the parent lists in
//! `outputFiles` and the child in `inputFiles`, each file counted once; with no such file it is
//! a plain precedence. The runtimes are taken as measured, whatever machine ran them
//! (`execution.machines` is not read). The older layouts (WfFormat ≤ 1.4, with
//! `workflow.tasks`) are refused with a message saying so.
//!
//! [`read`] gives a [`Workflow`]; [`to_instance`](super::workflow::to_instance) maps it onto
//! devices.

use super::workflow::{Workflow, WorkflowEdge, WorkflowTask};
use crate::error::Error;
use serde::Deserialize;
use std::collections::{BTreeSet, HashMap};
use std::path::Path;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Root {
    schema_version: Option<serde_json::Value>,
    workflow: Option<Body>,
}

#[derive(Deserialize)]
struct Body {
    specification: Option<Specification>,
    execution: Option<Execution>,
    /// WfFormat ≤ 1.4 keeps its tasks here.
    tasks: Option<serde::de::IgnoredAny>,
}

#[derive(Deserialize)]
struct Specification {
    tasks: Vec<SpecTask>,
    #[serde(default)]
    files: Vec<SpecFile>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SpecTask {
    id: String,
    name: Option<String>,
    #[serde(default)]
    parents: Vec<String>,
    #[serde(default)]
    children: Vec<String>,
    #[serde(default)]
    input_files: Vec<String>,
    #[serde(default)]
    output_files: Vec<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SpecFile {
    id: String,
    size_in_bytes: Option<f64>,
}

#[derive(Deserialize)]
struct Execution {
    tasks: Vec<ExecTask>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ExecTask {
    id: String,
    runtime_in_seconds: Option<f64>,
}

/// Read a WfCommons JSON file (see the [module](self) docs); errors name the file and the task
/// or file concerned.
pub fn read(path: &Path) -> Result<Workflow, Error> {
    let text = super::read_text(path)?;
    parse(&text, path)
}

/// Parse the text of a WfCommons JSON file; `origin` names the source in errors.
pub fn parse(text: &str, origin: &Path) -> Result<Workflow, Error> {
    let fail = |message: String| Error::Parse {
        path: origin.to_path_buf(),
        message,
    };
    if text.trim().is_empty() {
        return Err(fail("the file is empty".into()));
    }
    let root: Root = serde_json::from_str(text)
        .map_err(|e| fail(format!("not a valid WfCommons JSON file: {e}")))?;
    let version = root
        .schema_version
        .map_or("(none)".to_string(), |v| v.to_string());
    let body = root
        .workflow
        .ok_or_else(|| fail("no `workflow` object: not a WfCommons instance".into()))?;
    let spec = match (body.specification, body.tasks) {
        (Some(spec), _) => spec,
        (None, Some(_)) => {
            return Err(fail(format!(
                "schemaVersion {version}: the older WfFormat layout (workflow.tasks) is not \
                 supported; convert it to WfFormat 1.5 (workflow.specification and \
                 workflow.execution), e.g. with the wfcommons Python package"
            )));
        }
        (None, None) => return Err(fail("no `workflow.specification`".into())),
    };
    let execution = body
        .execution
        .ok_or_else(|| fail("no `workflow.execution` (the task runtimes)".into()))?;
    let mut problems: Vec<String> = Vec::new();

    // Files and their sizes.
    let mut size: HashMap<&str, f64> = HashMap::new();
    for f in &spec.files {
        match f.size_in_bytes {
            Some(s) if s.is_finite() && s >= 0.0 => {
                if size.insert(&f.id, s).is_some() {
                    problems.push(format!("file '{}' is listed twice", f.id));
                }
            }
            Some(s) => problems.push(format!("file '{}': sizeInBytes must be ≥ 0, got {s}", f.id)),
            None => problems.push(format!("file '{}': no sizeInBytes", f.id)),
        }
    }

    // Tasks, by id.
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (i, t) in spec.tasks.iter().enumerate() {
        if index.insert(&t.id, i).is_some() {
            problems.push(format!("task '{}' is listed twice", t.id));
        }
    }
    for t in &spec.tasks {
        for (list, files) in [
            ("inputFiles", &t.input_files),
            ("outputFiles", &t.output_files),
        ] {
            for f in files {
                if !size.contains_key(f.as_str()) && spec.files.iter().all(|x| &x.id != f) {
                    problems.push(format!(
                        "task '{}': {list} names file '{f}', which workflow.specification.files \
                         does not list",
                        t.id
                    ));
                }
            }
        }
    }

    // Runtimes.
    let mut runtime: Vec<Option<f64>> = vec![None; spec.tasks.len()];
    let mut entries = vec![0usize; spec.tasks.len()];
    for e in &execution.tasks {
        let Some(&i) = index.get(e.id.as_str()) else {
            problems.push(format!(
                "workflow.execution.tasks: task '{}' is not in workflow.specification.tasks",
                e.id
            ));
            continue;
        };
        entries[i] += 1;
        match e.runtime_in_seconds {
            _ if entries[i] == 2 => problems.push(format!(
                "workflow.execution.tasks: task '{}' is listed twice",
                e.id
            )),
            _ if entries[i] > 2 => {}
            Some(r) if r.is_finite() && r >= 0.0 => runtime[i] = Some(r),
            Some(r) => problems.push(format!(
                "task '{}': runtimeInSeconds must be ≥ 0, got {r}",
                e.id
            )),
            None => problems.push(format!(
                "task '{}': no runtimeInSeconds in workflow.execution.tasks",
                e.id
            )),
        }
    }
    for (t, &count) in spec.tasks.iter().zip(&entries) {
        if count == 0 {
            problems.push(format!(
                "task '{}': no entry in workflow.execution.tasks (its runtime)",
                t.id
            ));
        }
    }

    // Edges: parents and children lists, each edge once, in the order first met.
    let mut parents: Vec<Vec<usize>> = vec![Vec::new(); spec.tasks.len()];
    let mut add = |problems: &mut Vec<String>, child: usize, parent: &str| {
        let Some(&p) = index.get(parent) else {
            problems.push(format!(
                "task '{}': parent '{parent}' is not a task of the workflow",
                spec.tasks[child].id
            ));
            return;
        };
        if p == child {
            problems.push(format!("task '{parent}' is its own parent"));
        } else if !parents[child].contains(&p) {
            parents[child].push(p);
        }
    };
    for (i, t) in spec.tasks.iter().enumerate() {
        for p in &t.parents {
            add(&mut problems, i, p);
        }
    }
    for t in &spec.tasks {
        for c in &t.children {
            match index.get(c.as_str()) {
                Some(&ci) => add(&mut problems, ci, &t.id),
                None => problems.push(format!(
                    "task '{}': child '{c}' is not a task of the workflow",
                    t.id
                )),
            }
        }
    }
    if spec.tasks.is_empty() {
        problems.push("workflow.specification.tasks is empty".into());
    }
    if !problems.is_empty() {
        return Err(fail(listed(problems)));
    }

    let tasks = spec
        .tasks
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let reads: BTreeSet<&str> = t.input_files.iter().map(String::as_str).collect();
            let parents = parents[i]
                .iter()
                .map(|&p| {
                    let writes: BTreeSet<&str> = spec.tasks[p]
                        .output_files
                        .iter()
                        .map(String::as_str)
                        .collect();
                    let shared: Vec<&str> = writes.intersection(&reads).copied().collect();
                    WorkflowEdge {
                        parent: p,
                        bytes: (!shared.is_empty())
                            .then(|| shared.iter().map(|f| size[f]).sum::<f64>()),
                    }
                })
                .collect();
            WorkflowTask {
                id: t.id.clone(),
                name: t.name.clone().unwrap_or_else(|| t.id.clone()),
                runtime: runtime[i].expect("checked above"),
                parents,
            }
        })
        .collect();
    Ok(Workflow { tasks })
}

/// One problem as is, several as a count and a list (at most 20 shown).
pub(super) fn listed(problems: Vec<String>) -> String {
    if problems.len() == 1 {
        return problems.into_iter().next().expect("one problem");
    }
    let n = problems.len();
    let mut text = format!("{n} problems: ");
    text.push_str(&problems[..n.min(20)].join("; "));
    if n > 20 {
        text.push_str(&format!("; … and {} more", n - 20));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(text: &str) -> Result<Workflow, Error> {
        parse(text, Path::new("w.json"))
    }

    const SMALL: &str = r#"{"schemaVersion": "1.5", "workflow": {
        "specification": {
            "tasks": [
                {"id": "a", "name": "split", "parents": [], "children": ["b", "c"],
                 "inputFiles": ["in"], "outputFiles": ["x", "y"]},
                {"id": "b", "parents": ["a"], "inputFiles": ["x", "y", "x"], "outputFiles": ["z"]},
                {"id": "c", "parents": [], "inputFiles": ["in"], "outputFiles": []},
                {"id": "d", "parents": ["b", "c"], "inputFiles": ["z"], "outputFiles": []}
            ],
            "files": [{"id": "in", "sizeInBytes": 5}, {"id": "x", "sizeInBytes": 1000000},
                      {"id": "y", "sizeInBytes": 2500000}, {"id": "z", "sizeInBytes": 0}]
        },
        "execution": {"tasks": [{"id": "a", "runtimeInSeconds": 1.5}, {"id": "b", "runtimeInSeconds": 2},
                                {"id": "c", "runtimeInSeconds": 0}, {"id": "d", "runtimeInSeconds": 4}]}
    }}"#;

    #[test]
    fn edges_carry_the_shared_files() {
        let wf = parse_str(SMALL).unwrap();
        let edges: Vec<(usize, usize, Option<f64>)> = wf
            .tasks
            .iter()
            .enumerate()
            .flat_map(|(i, t)| t.parents.iter().map(move |e| (e.parent, i, e.bytes)))
            .collect();
        // a → b: x and y (x listed twice by b, counted once); a → c (given only as a child of
        // a): no shared file; b → d: z of 0 bytes; c → d: nothing.
        assert_eq!(
            edges,
            [
                (0, 1, Some(3_500_000.0)),
                (0, 2, None),
                (1, 3, Some(0.0)),
                (2, 3, None)
            ]
        );
        assert_eq!(wf.tasks[0].name, "split");
        assert_eq!(wf.tasks[1].name, "b");
        assert_eq!(wf.tasks[0].runtime, 1.5);
    }

    #[test]
    fn problems_are_named() {
        let bad = SMALL
            .replace(r#""parents": ["b", "c"]"#, r#""parents": ["b", "q"]"#)
            .replace(r#"{"id": "y", "sizeInBytes": 2500000}"#, r#"{"id": "y"}"#)
            .replace(
                r#"{"id": "d", "runtimeInSeconds": 4}"#,
                r#"{"id": "d", "runtimeInSeconds": -4}"#,
            )
            .replace(
                r#""inputFiles": ["in"], "outputFiles": []"#,
                r#""inputFiles": ["nope"], "outputFiles": []"#,
            );
        let err = parse_str(&bad).unwrap_err().to_string();
        for word in [
            "w.json",
            "4 problems",
            "task 'd': parent 'q'",
            "file 'y': no sizeInBytes",
            "task 'd': runtimeInSeconds must be ≥ 0",
            "task 'c': inputFiles names file 'nope'",
        ] {
            assert!(err.contains(word), "{word}: {err}");
        }
        let err = parse_str(&SMALL.replace(r#"{"id": "b", "runtimeInSeconds": 2},"#, ""))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("task 'b': no entry in workflow.execution"),
            "{err}"
        );
        let err = parse_str(r#"{"workflow": {"tasks": []}, "schemaVersion": "1.3"}"#)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("1.3") && err.contains("not supported"),
            "{err}"
        );
        let err = parse_str("{\"workflow\": \n {\"specification\": 3}}")
            .unwrap_err()
            .to_string();
        assert!(err.contains("line 2"), "{err}");
    }
}
