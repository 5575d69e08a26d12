//! Reading a JSON instance, its tasks on all threads when the file is large.
//!
//! A 5000-task × 64-device file is 8.6 MB of JSON, almost all of it the `tasks` array. A short
//! scan finds where that array starts (only strings and brackets are followed, up to the
//! top-level `tasks` key). The array's text is then cut into one piece per thread and a few
//! more, each starting at a guessed task: the first `{` after the cut that follows a `,`. Each
//! piece is parsed on its own thread, task after task, until it reaches the next piece's
//! start. A guess can be wrong (a `, {` inside a task's `after` list or inside a string), but
//! the first piece starts at the array's real start, and a piece is kept only when the piece
//! before it ended exactly where it starts, so every kept piece started at a real task; where a
//! piece is not kept, its tasks are parsed again from where the one before ended. The rest of
//! the file (name, objective, devices, network) is then read with the array left empty.
//!
//! Anything either step does not accept (a syntax error, an unknown field, a task that does not
//! parse, a `tasks` key spelled with escapes) sends the whole text through the ordinary one-pass
//! reader, whose error gives the line and column: a bad large file is read twice, its message is
//! unchanged.

use crate::model::{Device, InstanceData, Network, Task};
use rayon::prelude::*;
use serde::Deserialize;
use serde::de::IgnoredAny;
use std::ops::Range;

/// Files of at least 1 MiB parse their tasks in parallel (below it the threads cost more than
/// they save).
const PARALLEL_BYTES: usize = 1 << 20;

/// Pieces of the tasks array per thread (more than one, so that a thread whose piece is short
/// takes another).
const PIECES_PER_THREAD: usize = 4;

/// [`InstanceData`] from JSON text, with serde_json's error (line and column) when it is not one.
pub(super) fn parse(text: &str) -> Result<InstanceData, serde_json::Error> {
    if text.len() >= PARALLEL_BYTES
        && let Some(data) = parse_parallel(text, rayon::current_num_threads() * PIECES_PER_THREAD)
    {
        return Ok(data);
    }
    serde_json::from_str(text)
}

/// [`InstanceData`]'s fields, read from the text with its tasks array emptied. A field added to
/// [`InstanceData`] must be added here too (`parse_parallel` no longer builds without it), and
/// to the test's `every_field`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Outline {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    objective: Option<String>,
    #[serde(default)]
    devices: Vec<Device>,
    /// Always `[]` (the tasks are read apart); a second `tasks` key is an error, as it is for
    /// the one-pass reader.
    #[serde(default)]
    #[allow(dead_code)]
    tasks: IgnoredAny,
    #[serde(default)]
    network: Option<Network>,
}

/// The instance with its tasks parsed in `pieces` pieces on all threads; `None` when any part
/// does not parse.
fn parse_parallel(text: &str, pieces: usize) -> Option<InstanceData> {
    let (array, tasks) = parse_tasks(text, pieces)?;
    let rest = [&text[..array.start], "[]", &text[array.end..]].concat();
    let outline: Outline = serde_json::from_str(&rest).ok()?;
    Some(InstanceData {
        name: outline.name,
        objective: outline.objective,
        devices: outline.devices,
        tasks,
        network: outline.network,
    })
}

/// The tasks of the top-level `tasks` array, and the bytes of the array (from `[` to `]`).
fn parse_tasks(text: &str, pieces: usize) -> Option<(Range<usize>, Vec<Task>)> {
    let b = text.as_bytes();
    let open = tasks_array(b)?;
    let first = skip_whitespace(b, open + 1);
    if *b.get(first)? == b']' {
        return Some((open..first + 1, Vec::new()));
    }
    // Piece starts: the array's first task, then one guess after each cut.
    let span = b.len() - first;
    let mut starts = vec![first];
    for k in 1..pieces {
        let cut = first + span / pieces * k;
        match next_task_guess(b, cut.max(*starts.last()? + 1)) {
            Some(s) => starts.push(s),
            None => break,
        }
    }
    let mut runs: Vec<Option<Run>> = (0..starts.len())
        .into_par_iter()
        .with_max_len(1)
        .map(|k| parse_run(text, starts[k], starts.get(k + 1).copied()))
        .collect();
    // Keep the runs that start where the kept ones before them ended.
    let mut tasks = Vec::new();
    let mut at = first;
    let mut k = 0;
    loop {
        while k < starts.len() && starts[k] < at {
            k += 1;
        }
        let run = if k < starts.len() && starts[k] == at {
            // It starts at a real task, so a failure is the text's.
            k += 1;
            runs[k - 1].take()?
        } else {
            parse_run(text, at, starts.get(k).copied())?
        };
        tasks.extend(run.tasks);
        match run.end {
            End::Next(next) => at = next,
            End::Close(close) => return Some((open..close, tasks)),
        }
    }
}

/// Where a run of tasks stopped.
enum End {
    /// At the start of the next task, the first at or after the given stop.
    Next(usize),
    /// After the array's `]`.
    Close(usize),
}

/// Tasks parsed one after the other.
struct Run {
    tasks: Vec<Task>,
    end: End,
}

/// The tasks from byte `start` (a task's `{`) up to the first task that starts at or after
/// `stop`, or up to the array's end; `None` when a task or a separator does not parse.
fn parse_run(text: &str, start: usize, stop: Option<usize>) -> Option<Run> {
    let b = text.as_bytes();
    let mut tasks = Vec::new();
    let mut at = start;
    loop {
        let mut stream = serde_json::Deserializer::from_str(&text[at..]).into_iter::<Task>();
        tasks.push(stream.next()?.ok()?);
        let after = skip_whitespace(b, at + stream.byte_offset());
        match *b.get(after)? {
            b',' => at = skip_whitespace(b, after + 1),
            b']' => {
                return Some(Run {
                    tasks,
                    end: End::Close(after + 1),
                });
            }
            _ => return None,
        }
        if stop.is_some_and(|stop| at >= stop) {
            return Some(Run {
                tasks,
                end: End::Next(at),
            });
        }
    }
}

/// The first `{` at or after `from` whose previous byte other than whitespace is a `,`: a guess
/// at a task's start, which may also be an object in a task's `after` list, a `{` in a string,
/// or past the array's end (the cuts run to the end of the text): the runs check it.
fn next_task_guess(b: &[u8], from: usize) -> Option<usize> {
    let mut at = from;
    loop {
        at += memchr::memchr(b'{', b.get(at..)?)?;
        let before = b[..at]
            .iter()
            .rposition(|c| !matches!(c, b' ' | b'\n' | b'\r' | b'\t'));
        if before.is_some_and(|i| b[i] == b',') {
            return Some(at);
        }
        at += 1;
    }
}

/// The index of the `[` that opens the value of the root object's `tasks` key (spelled without
/// escapes); only strings and brackets are followed on the way, nothing is checked.
fn tasks_array(b: &[u8]) -> Option<usize> {
    let mut at = skip_whitespace(b, 0);
    if *b.get(at)? != b'{' {
        return None;
    }
    at += 1;
    let mut depth = 1usize;
    loop {
        match *b.get(at)? {
            b'"' => {
                let end = string_end(b, at)?;
                if depth == 1 && &b[at + 1..end - 1] == b"tasks" {
                    let colon = skip_whitespace(b, end);
                    if b.get(colon) == Some(&b':') {
                        let open = skip_whitespace(b, colon + 1);
                        return (*b.get(open)? == b'[').then_some(open);
                    }
                }
                at = end;
            }
            b'{' | b'[' => {
                depth += 1;
                at += 1;
            }
            b'}' | b']' => {
                depth -= 1;
                if depth == 0 {
                    return None;
                }
                at += 1;
            }
            _ => at += 1,
        }
    }
}

/// `at` at a string's opening quote: the index after its closing quote.
fn string_end(b: &[u8], at: usize) -> Option<usize> {
    let mut at = at + 1;
    loop {
        at += memchr::memchr2(b'"', b'\\', b.get(at..)?)?;
        if b[at] == b'"' {
            return Some(at + 1);
        }
        at += 2;
    }
}

/// The first index at or after `at` that is not JSON whitespace.
fn skip_whitespace(b: &[u8], mut at: usize) -> usize {
    while let Some(b' ' | b'\n' | b'\r' | b'\t') = b.get(at) {
        at += 1;
    }
    at
}
#[cfg(test)]
mod tests {
    use super::*;

    /// An instance using every field of the file format, as JSON.
    fn every_field() -> String {
        let text = r#"{
            "name": "all", "objective": "total-weighted-tardiness",
            "devices": [
                {"id": "g0", "kind": "gpu", "speed": 2, "memory": 16, "available_from": 1,
                 "capacity": 100, "cost_rate": 3, "resources": {"gpu": 1}},
                {"id": "c0"}
            ],
            "tasks": [
                {"id": "a", "work": 4, "times": {"gpu": 2, "c0": 5}, "costs": {"c0": 1},
                 "memory": 8, "weight": 2, "release": 1, "due": 9, "demand": {"gpu": 1},
                 "user": "u"},
                {"id": "b\u00e9", "work": 1, "after": ["a", {"task": "a", "data": 3}]}
            ],
            "network": {"bandwidth": 2, "latency": 0.5}
        }"#;
        let data: InstanceData = serde_json::from_str(text).expect("the one-pass reader reads it");
        crate::io::instance_to_json(&data)
    }

    #[test]
    fn outline_knows_every_field() {
        let text = every_field();
        let one_pass = serde_json::from_str::<InstanceData>(&text).unwrap();
        for pieces in 1..8 {
            let parallel = parse_parallel(&text, pieces).expect("the outline reads every field");
            assert_eq!(parallel, one_pass, "{pieces} pieces");
        }
    }

    /// Tasks whose texts hold many false starts of a task (`, {` in `after` lists and in
    /// strings, quotes and brackets in strings), the key `tasks` as a value and in a device.
    fn tricky(tasks: usize) -> String {
        let mut text = String::from(
            r#"{"name": "tasks", "devices": [{"id": "tasks", "kind": "[{"}, {"id": "d\"}"}],
            "tasks": ["#,
        );
        for t in 0..tasks {
            if t > 0 {
                text.push_str(if t % 3 == 0 { ",\n  " } else { "," });
            }
            text.push_str(&format!(
                r#"{{"id": "t{t}, {{\"x\": [}}", "work": {}, "times": {{"tasks": {t}.5}}"#,
                t + 1
            ));
            if t > 0 {
                text.push_str(&format!(
                    r#", "after": [{{"task": "t{}, {{\"x\": [}}", "data": 2}}, {{"task": "t0, {{\"x\": [}}"}}]"#,
                    t - 1
                ));
            }
            text.push('}');
        }
        text.push_str("], \"network\": {\"bandwidth\": 1}}");
        text
    }

    #[test]
    fn pieces_cut_anywhere_give_the_one_pass_tasks() {
        let text = tricky(300);
        let one_pass: InstanceData = serde_json::from_str(&text).expect("the text is valid");
        assert_eq!(one_pass.tasks.len(), 300);
        for pieces in [1, 2, 3, 5, 8, 13, 40, 299, 300, 1000, 5000] {
            assert_eq!(
                parse_parallel(&text, pieces).as_ref(),
                Some(&one_pass),
                "{pieces} pieces"
            );
        }
        let empty = r#"{"devices": [{"id": "a"}], "tasks": [ ]}"#;
        assert_eq!(
            parse_parallel(empty, 4),
            Some(serde_json::from_str(empty).unwrap())
        );
    }

    /// Whatever the parallel reader accepts, the one-pass reader reads the same; here on every
    /// text one character away from two valid ones.
    #[test]
    fn the_parallel_reader_accepts_nothing_the_one_pass_reader_rejects() {
        let mut accepted = 0;
        for text in [every_field(), tricky(4)] {
            let cuts: Vec<usize> = (0..=text.len())
                .filter(|&i| text.is_char_boundary(i))
                .collect();
            let mut variants = Vec::new();
            for w in cuts.windows(2) {
                variants.push(format!("{}{}", &text[..w[0]], &text[w[1]..]));
            }
            for &i in &cuts {
                for c in ["{", "}", "[", "]", ",", "\"", "\\", " "] {
                    variants.push(format!("{}{c}{}", &text[..i], &text[i..]));
                }
            }
            for variant in variants {
                for pieces in [1, 3] {
                    if let Some(data) = parse_parallel(&variant, pieces) {
                        accepted += 1;
                        let one_pass = serde_json::from_str::<InstanceData>(&variant);
                        assert_eq!(one_pass.ok(), Some(data), "{variant}");
                    }
                }
            }
        }
        assert!(accepted > 1000, "{accepted}");
    }

    #[test]
    fn anything_the_outline_rejects_gets_the_one_pass_error() {
        let mut text = every_field();
        text.push_str(&" ".repeat(PARALLEL_BYTES));
        assert!(parse(&text).is_ok());
        let bad = text.replacen("\"user\"", "\"usr\"", 1);
        let e = parse(&bad).unwrap_err().to_string();
        assert!(
            e.contains("unknown field `usr`") && e.contains("line"),
            "{e}"
        );
        let bad = text.replacen("\"weight\": 2", "\"weight\": \"2\"", 1);
        let e = parse(&bad).unwrap_err().to_string();
        assert!(e.contains("invalid type") && e.contains("line"), "{e}");
    }
}
