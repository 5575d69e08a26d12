//! OR-Library single-machine total weighted tardiness files (`wt40.txt`, `wt50.txt`, `wt100.txt`).
//!
//! Format (whitespace-separated integers; the line layout carries no meaning): the instances
//! follow one another with no count and no header. With n jobs per instance, instance k is 3n
//! numbers: the n processing times p_j, the n weights w_j, then the n due dates d_j. n is not in
//! the file: it comes from the file name (`wt40.txt` → 40) or from the caller.
//!
//! Each instance becomes one device `machine` (speed 1) and tasks `j1..jn` with `work` p_j,
//! `weight` w_j and `due` d_j; the objective is `weighted_tardiness`, Σ w_j · max(0, C_j − d_j),
//! which is OR-Library's objective (1‖ΣwjTj, every release time 0).

use crate::error::Error;
use crate::model::{Device, InstanceData, Task};
use std::path::Path;

/// Id of the single device of every converted instance.
pub const DEVICE_ID: &str = "machine";

/// Largest magnitude accepted for a number: beyond 2^53 an integer is no longer exact as `f64`.
const MAX_ABS: i64 = 1 << 53;

/// A token as quoted in an error: at most 40 characters.
fn shorten(tok: &str) -> String {
    match tok.char_indices().nth(40) {
        Some((cut, _)) => format!("{}…", &tok[..cut]),
        None => tok.to_string(),
    }
}

/// The number of jobs per instance that OR-Library's file name gives: `wtN…` (`wt40.txt` → 40,
/// `WT100.TXT` → 100); `None` when the stem does not start with `wt` followed by a positive
/// number.
pub fn jobs_from_file_name(path: &Path) -> Option<usize> {
    let stem = path.file_stem()?.to_str()?.to_ascii_lowercase();
    let rest = stem.strip_prefix("wt")?;
    let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
    digits.parse().ok().filter(|&n| n > 0)
}

/// Read every instance of a weighted tardiness file, with `n` jobs per instance.
///
/// When `n` is `None` it is taken from the file name ([`jobs_from_file_name`]); a name that gives
/// none, an `n` of 0, or an `n` that contradicts the file name is an [`Error::Usage`] naming the
/// file. Instances are named `<file stem>-<k>` (k from 1, in file order); see [`parse`] for the
/// format errors.
pub fn read(path: &Path, n: Option<usize>) -> Result<Vec<InstanceData>, Error> {
    let from_name = jobs_from_file_name(path);
    let n = match (n, from_name) {
        (Some(0), _) => {
            return Err(Error::Usage(format!(
                "{}: --jobs must be at least 1",
                path.display()
            )));
        }
        (Some(n), Some(m)) if n != m => {
            return Err(Error::Usage(format!(
                "{}: --jobs {n} contradicts the file name, which says {m} jobs per instance",
                path.display()
            )));
        }
        (Some(n), _) | (None, Some(n)) => n,
        (None, None) => {
            return Err(Error::Usage(format!(
                "{}: cannot tell the number of jobs per instance from the file name (OR-Library \
                 names its files wtN.txt, e.g. wt40.txt): give it with --jobs N",
                path.display()
            )));
        }
    };
    let text = super::read_text(path)?;
    parse(&text, n, path)
}

/// Parse weighted tardiness text with `n` jobs per instance (see the [module](self) docs).
///
/// `origin` names the source in errors and gives the instance names (`<stem>-<k>`). Errors are
/// [`Error::Parse`] naming `origin`: an empty file, a token that is not an integer (with its line
/// and position), a count of numbers that is not a positive multiple of 3n, a processing time
/// below 1, a negative weight or a negative due date. An `n` of 0 is an [`Error::Usage`].
pub fn parse(text: &str, n: usize, origin: &Path) -> Result<Vec<InstanceData>, Error> {
    let fail = |message: String| Error::Parse {
        path: origin.to_path_buf(),
        message,
    };
    if n == 0 {
        return Err(Error::Usage(format!(
            "{}: the number of jobs per instance must be at least 1",
            origin.display()
        )));
    }
    if text.trim().is_empty() {
        return Err(fail("the file is empty".into()));
    }
    let mut nums: Vec<i64> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        for (pos, tok) in line.split_whitespace().enumerate() {
            let v: i64 = tok.parse().map_err(|_| {
                fail(format!(
                    "line {}, token {} (number {} of the file): '{}' is not an integer",
                    i + 1,
                    pos + 1,
                    nums.len() + 1,
                    shorten(tok)
                ))
            })?;
            if v.abs() > MAX_ABS {
                return Err(fail(format!(
                    "line {}, token {}: {tok} is too large (at most 2^53 in magnitude)",
                    i + 1,
                    pos + 1
                )));
            }
            nums.push(v);
        }
    }
    let per = n.checked_mul(3).ok_or_else(|| {
        Error::Usage(format!(
            "{}: {n} jobs per instance is too many",
            origin.display()
        ))
    })?;
    if nums.len() % per != 0 {
        return Err(fail(format!(
            "found {} numbers, but with {n} jobs per instance each instance is 3 × {n} = {per} \
             numbers, so the count must be a multiple of {per} ({} whole instance(s) and {} \
             number(s) left over); is the file truncated, or is the number of jobs wrong?",
            nums.len(),
            nums.len() / per,
            nums.len() % per
        )));
    }
    let stem = origin
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "wt".into());
    let mut out = Vec::with_capacity(nums.len() / per);
    for (k0, chunk) in nums.chunks_exact(per).enumerate() {
        let k = k0 + 1;
        let (p, rest) = chunk.split_at(n);
        let (w, d) = rest.split_at(n);
        let mut tasks = Vec::with_capacity(n);
        for j in 0..n {
            if p[j] < 1 {
                return Err(fail(format!(
                    "instance {k}, job {}: processing time {} must be at least 1 (number {} of \
                     the file)",
                    j + 1,
                    p[j],
                    k0 * per + j + 1
                )));
            }
            if w[j] < 0 {
                return Err(fail(format!(
                    "instance {k}, job {}: weight {} is negative (number {} of the file)",
                    j + 1,
                    w[j],
                    k0 * per + n + j + 1
                )));
            }
            if d[j] < 0 {
                return Err(fail(format!(
                    "instance {k}, job {}: due date {} is negative (number {} of the file)",
                    j + 1,
                    d[j],
                    k0 * per + 2 * n + j + 1
                )));
            }
            tasks.push(Task {
                weight: w[j] as f64,
                due: Some(d[j] as f64),
                ..Task::new(format!("j{}", j + 1), p[j] as f64)
            });
        }
        out.push(InstanceData {
            name: Some(format!("{stem}-{k}")),
            objective: Some("weighted_tardiness".into()),
            devices: vec![Device::new(DEVICE_ID)],
            tasks,
            network: None,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn origin() -> &'static Path {
        Path::new("dir/wt2.txt")
    }

    #[test]
    fn parses_two_instances() {
        let text = "3 4 5 6\n1 2 7 8\n 9 9 0 0\n";
        let v = parse(text, 2, origin()).unwrap();
        assert_eq!(v.len(), 2);
        assert_eq!(v[1].name.as_deref(), Some("wt2-2"));
        assert_eq!(v[0].objective.as_deref(), Some("weighted_tardiness"));
        assert_eq!(v[0].devices, vec![Device::new("machine")]);
        let t = &v[0].tasks[1];
        assert_eq!(
            (t.id.as_str(), t.work, t.weight, t.due),
            ("j2", Some(4.0), 6.0, Some(2.0))
        );
        let t = &v[1].tasks[0];
        assert_eq!((t.work, t.weight, t.due), (Some(7.0), 9.0, Some(0.0)));
    }

    #[test]
    fn rejects_bad_text() {
        let msg = |text: &str| parse(text, 2, origin()).unwrap_err().to_string();
        assert!(msg("  \n").contains("the file is empty"));
        let m = msg("1 2 3\n4 x 6\n");
        assert!(
            m.contains("dir/wt2.txt")
                && m.contains("line 2, token 2 (number 5")
                && m.contains("'x'"),
            "{m}"
        );
        assert!(msg("1 2 3 4 5 6 7").contains("found 7 numbers"));
        assert!(msg("1 2.5 3 4 5 6").contains("'2.5' is not an integer"));
        assert!(msg("1 0 3 4 5 6").contains("job 2: processing time 0 must be at least 1"));
        assert!(msg("1 2 3 -4 5 6").contains("job 2: weight -4 is negative"));
        assert!(msg("1 2 3 4 -5 6").contains("job 1: due date -5 is negative"));
        assert!(msg("1 2 3 4 5 99999999999999999999").contains("not an integer"));
        assert!(msg(&"7".repeat(100)).contains(&format!("'{}…'", "7".repeat(40))));
        assert!(matches!(parse("1 2 3", 0, origin()), Err(Error::Usage(_))));
    }

    #[test]
    fn jobs_from_names() {
        assert_eq!(jobs_from_file_name(Path::new("a/wt40.txt")), Some(40));
        assert_eq!(jobs_from_file_name(Path::new("WT100.TXT")), Some(100));
        assert_eq!(jobs_from_file_name(Path::new("wt50-copy.txt")), Some(50));
        assert_eq!(jobs_from_file_name(Path::new("wt0.txt")), None);
        assert_eq!(jobs_from_file_name(Path::new("wtopt40.txt")), None);
        assert_eq!(jobs_from_file_name(Path::new("jobs.txt")), None);
    }
}
