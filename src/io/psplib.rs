//! PSPLIB single-mode resource-constrained project scheduling files (`.sm`: j30, j60, j90, j120).
//!
//! Format (Kolisch & Sprecher 1996): plain text in sections separated by lines of `*`; the
//! numbers are whitespace-separated integers. The lines read are:
//!
//! - `jobs (incl. supersource/sink ):  N` — the job count N, including job 1 (the *supersource*)
//!   and job N (the *sink*), two dummies of duration 0;
//! - in `RESOURCES`: `- renewable : K R`, `- nonrenewable : 0 N`, `- doubly constrained : 0 D` —
//!   K renewable resources (4 in PSPLIB; any K ≥ 1 is read); nonrenewable and doubly constrained
//!   resources belong to the multi-mode files and are refused;
//! - `PROJECT INFORMATION:` — a header line, then `pronr. #jobs rel.date duedate tardcost
//!   MPM-Time`; #jobs (the real jobs, N − 2) is checked, the rest is informative;
//! - `PRECEDENCE RELATIONS:` — a header line, then one line per job:
//!   `jobnr  #modes  #successors  successor…` (finish-to-start, no lag; #modes must be 1);
//! - `REQUESTS/DURATIONS:` — a header line and a dashed line, then one line per job:
//!   `jobnr  mode  duration  r_1 … r_K` (the amount of each resource held while the job runs);
//! - `RESOURCEAVAILABILITIES:` — a header line `R 1  R 2 …`, then the K capacities.
//!
//! `projects` must be 1 when given; `horizon`, the file's comment lines and anything else are not
//! used. The makespan is the end of the last real job (the sink's start).
//!
//! Mapping: one device `project` (speed 1) with `resources` `{"R1": c_1, …, "RK": c_K}`, so
//! that jobs share it as long as, at every instant, the demands of the running jobs fit each
//! capacity; one task `j<jobnr>` per real job (jobs 2 … N − 1; the dummies are dropped) with
//! `work` = its duration (0 is kept), `demand` = its positive amounts (`{"R2": 5}`; a job that
//! demands nothing gets `{"R1": 0}`, since an empty demand would make it exclusive) and `after`
//! = its real predecessors (the successor lists inverted; edges from the supersource and to the
//! sink are dropped). The objective is `makespan`; the instance is named after the file stem.

use crate::error::Error;
use crate::model::{Device, InstanceData, Task};
use std::collections::BTreeMap;
use std::path::Path;

/// Id of the single device of every converted instance.
pub const DEVICE_ID: &str = "project";

/// Largest magnitude accepted for a number: beyond 2^53 an integer is no longer exact as `f64`.
const MAX_ABS: i64 = 1 << 53;

/// Read and convert one `.sm` file (see the [module](self) docs); errors name the file.
pub fn read(path: &Path) -> Result<InstanceData, Error> {
    let text = super::read_text(path)?;
    parse(&text, path)
}

/// The section of the file a line belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    /// Before the first known section, or after a line of `*`.
    Other,
    /// `RESOURCES`.
    Resources,
    /// `PROJECT INFORMATION:`.
    Project,
    /// `PRECEDENCE RELATIONS:`.
    Precedence,
    /// `REQUESTS/DURATIONS:`.
    Requests,
    /// `RESOURCEAVAILABILITIES:`.
    Availabilities,
}

impl Section {
    fn title(self) -> &'static str {
        match self {
            Section::Other => "",
            Section::Resources => "RESOURCES",
            Section::Project => "PROJECT INFORMATION",
            Section::Precedence => "PRECEDENCE RELATIONS",
            Section::Requests => "REQUESTS/DURATIONS",
            Section::Availabilities => "RESOURCEAVAILABILITIES",
        }
    }
}

/// A data row: its line number (from 1) and its integers.
struct Row {
    line: usize,
    nums: Vec<i64>,
}

/// A token as quoted in an error: at most 40 characters.
fn shorten(tok: &str) -> String {
    match tok.char_indices().nth(40) {
        Some((cut, _)) => format!("{}…", &tok[..cut]),
        None => tok.to_string(),
    }
}

/// The integers of a data row, or a message naming the bad token.
fn integers(line: &str) -> Result<Vec<i64>, String> {
    line.split_whitespace()
        .enumerate()
        .map(|(pos, tok)| match tok.parse::<i64>() {
            Ok(v) if v.abs() <= MAX_ABS => Ok(v),
            Ok(_) => Err(format!(
                "token {}: {tok} is too large (at most 2^53 in magnitude)",
                pos + 1
            )),
            Err(_) => Err(format!(
                "token {}: '{}' is not an integer",
                pos + 1,
                shorten(tok)
            )),
        })
        .collect()
}

/// The integer after the `:` of a `key : value [letter]` line.
fn value_after_colon(rest: &str) -> Result<i64, String> {
    let tok = rest.split_whitespace().next().unwrap_or("");
    match tok.parse::<i64>() {
        Ok(v) if (0..=MAX_ABS).contains(&v) => Ok(v),
        _ if tok.is_empty() => Err("no number after ':'".into()),
        _ => Err(format!("'{}' is not a non-negative integer", shorten(tok))),
    }
}

/// Parse the text of a `.sm` file (see the [module](self) docs); `origin` names the source in
/// errors and gives the instance its name (the file stem).
///
/// Errors are [`Error::Parse`] naming `origin`, the line and, where there is one, the job: an
/// empty file; a missing job count or section; a token that is not an integer; nonrenewable or
/// doubly constrained resources, several modes or several projects (unsupported); a job number
/// out of range, listed twice or missing from a section; a successor count that does not match
/// the list; a successor out of range, equal to the job, equal to the supersource or given to the
/// sink; a negative duration or demand; a dummy job with a non-zero duration; a capacity count
/// that differs from the resource count; a capacity below 1; a demand above its capacity. A
/// precedence cycle is left to [`crate::Instance::new`], which names it.
pub fn parse(text: &str, origin: &Path) -> Result<InstanceData, Error> {
    let fail = |message: String| Error::Parse {
        path: origin.to_path_buf(),
        message,
    };
    if text.trim().is_empty() {
        return Err(fail("the file is empty".into()));
    }

    let mut section = Section::Other;
    // (value, line) of the header values.
    let mut jobs: Option<(i64, usize)> = None;
    let mut renewable: Option<(i64, usize)> = None;
    let mut project_rows: Vec<Row> = Vec::new();
    let mut precedence: Vec<Row> = Vec::new();
    let mut requests: Vec<Row> = Vec::new();
    let mut capacities: Vec<Row> = Vec::new();
    let mut seen = Vec::new();

    for (i, raw) in text.lines().enumerate() {
        let line_no = i + 1;
        let line = raw.trim();
        let at = |m: String| fail(format!("line {line_no}: {m}"));
        if line.is_empty() {
            continue;
        }
        if line.chars().all(|c| c == '*') {
            section = Section::Other;
            continue;
        }
        let upper = line.to_ascii_uppercase();
        let start = if upper.starts_with("RESOURCEAVAILABILITIES") {
            Some(Section::Availabilities)
        } else if upper.starts_with("RESOURCES") {
            Some(Section::Resources)
        } else if upper.starts_with("PROJECT INFORMATION") {
            Some(Section::Project)
        } else if upper.starts_with("PRECEDENCE RELATIONS") {
            Some(Section::Precedence)
        } else if upper.starts_with("REQUESTS/DURATIONS") {
            Some(Section::Requests)
        } else {
            None
        };
        if let Some(s) = start {
            if seen.contains(&s) {
                return Err(at(format!("a second {} section", s.title())));
            }
            seen.push(s);
            section = s;
            continue;
        }
        // `key : value` lines, wherever they are.
        if let Some((key, rest)) = line.split_once(':') {
            let key = key.trim().to_ascii_lowercase();
            let key = key.trim_start_matches('-').trim();
            if key.starts_with("jobs") {
                let n = value_after_colon(rest).map_err(|m| at(format!("job count: {m}")))?;
                jobs = Some((n, line_no));
            } else if key == "projects" {
                let n = value_after_colon(rest).map_err(|m| at(format!("projects: {m}")))?;
                if n != 1 {
                    return Err(at(format!(
                        "{n} projects: only files holding one project are supported"
                    )));
                }
            } else if key == "renewable" {
                let n =
                    value_after_colon(rest).map_err(|m| at(format!("renewable resources: {m}")))?;
                renewable = Some((n, line_no));
            } else if key == "nonrenewable" || key == "doubly constrained" {
                let n = value_after_colon(rest).map_err(|m| at(format!("{key} resources: {m}")))?;
                if n != 0 {
                    return Err(at(format!(
                        "{n} {key} resource(s): only renewable resources are supported \
                         (single-mode RCPSP); nonrenewable and doubly constrained resources \
                         belong to multi-mode (.mm) files"
                    )));
                }
            }
            continue;
        }
        // Data rows start with an integer; other lines are column headers.
        let first_is_number = line
            .split_whitespace()
            .next()
            .is_some_and(|t| t.parse::<i64>().is_ok());
        if !first_is_number {
            continue;
        }
        let rows = match section {
            Section::Project => &mut project_rows,
            Section::Precedence => &mut precedence,
            Section::Requests => &mut requests,
            Section::Availabilities => &mut capacities,
            Section::Resources | Section::Other => continue,
        };
        let nums = integers(line).map_err(|m| at(format!("in {}, {m}", section.title())))?;
        rows.push(Row {
            line: line_no,
            nums,
        });
    }

    // The job count.
    let (n, jobs_line) = jobs
        .ok_or_else(|| fail("no job count (a line `jobs (incl. supersource/sink ):  N`)".into()))?;
    if n < 3 {
        return Err(fail(format!(
            "line {jobs_line}: {n} jobs including the supersource and the sink: the project has \
             no real job"
        )));
    }
    let n = n as usize;
    for s in [
        Section::Precedence,
        Section::Requests,
        Section::Availabilities,
    ] {
        if !seen.contains(&s) {
            return Err(fail(format!("no {}: section", s.title())));
        }
    }
    if let Some(row) = project_rows.first()
        && row.nums.len() >= 2
        && row.nums[1] != (n - 2) as i64
    {
        return Err(fail(format!(
            "line {}: PROJECT INFORMATION gives {} jobs, but line {jobs_line} gives {n} jobs \
             including the supersource and the sink, so {} real jobs",
            row.line,
            row.nums[1],
            n - 2
        )));
    }

    // Resources and capacities.
    let cap_row = match capacities.as_slice() {
        [] => {
            return Err(fail(
                "RESOURCEAVAILABILITIES: no line of capacities after the header".into(),
            ));
        }
        [row] => row,
        [_, second, ..] => {
            return Err(fail(format!(
                "line {}: RESOURCEAVAILABILITIES holds one line of capacities; this is a second",
                second.line
            )));
        }
    };
    let k = match renewable {
        Some((k, line)) => {
            if k < 1 {
                return Err(fail(format!(
                    "line {line}: {k} renewable resources: at least one is needed"
                )));
            }
            if cap_row.nums.len() != k as usize {
                return Err(fail(format!(
                    "line {}: {} capacities, but line {line} announces {k} renewable resources",
                    cap_row.line,
                    cap_row.nums.len()
                )));
            }
            k as usize
        }
        None => cap_row.nums.len(),
    };
    let names: Vec<String> = (1..=k).map(|r| format!("R{r}")).collect();
    for (r, &c) in cap_row.nums.iter().enumerate() {
        if c < 1 {
            return Err(fail(format!(
                "line {}: the capacity of {} is {c}: it must be at least 1",
                cap_row.line, names[r]
            )));
        }
    }

    // One row per job in a section: jobnr in 1..=n, each once.
    let index_rows = |rows: &[Row], title: &str| -> Result<Vec<usize>, Error> {
        let mut at_job: Vec<Option<usize>> = vec![None; n + 1];
        for (idx, row) in rows.iter().enumerate() {
            let j = row.nums[0];
            if j < 1 || j as usize > n {
                return Err(fail(format!(
                    "line {}: in {title}, job number {j} is out of range (jobs are 1 to {n})",
                    row.line
                )));
            }
            if let Some(prev) = at_job[j as usize] {
                return Err(fail(format!(
                    "line {}: in {title}, job {j} is listed a second time (first on line {})",
                    row.line, rows[prev].line
                )));
            }
            at_job[j as usize] = Some(idx);
        }
        (1..=n)
            .map(|j| {
                at_job[j].ok_or_else(|| {
                    fail(format!(
                        "{title}: job {j} has no line (the file announces {n} jobs on line \
                         {jobs_line})"
                    ))
                })
            })
            .collect()
    };
    let prec_at = index_rows(&precedence, "PRECEDENCE RELATIONS")?;
    let req_at = index_rows(&requests, "REQUESTS/DURATIONS")?;

    // Precedence: successor lists, inverted into predecessor lists of real jobs.
    let mut preds: Vec<Vec<usize>> = vec![Vec::new(); n + 1];
    for j in 1..=n {
        let row = &precedence[prec_at[j - 1]];
        let at = |m: String| fail(format!("line {}: job {j}: {m}", row.line));
        if row.nums.len() < 3 {
            return Err(at(
                "expected `jobnr  #modes  #successors  successor…`, found fewer than 3 numbers"
                    .into(),
            ));
        }
        let modes = row.nums[1];
        if modes != 1 {
            return Err(at(format!(
                "{modes} modes: only single-mode files (.sm) are supported"
            )));
        }
        let count = row.nums[2];
        let succ = &row.nums[3..];
        if count < 0 || count as usize != succ.len() {
            return Err(at(format!(
                "{count} successors announced, {} listed",
                succ.len()
            )));
        }
        if j == n && !succ.is_empty() {
            return Err(at(format!("job {n} is the sink and can have no successor")));
        }
        for &s in succ {
            if s < 1 || s as usize > n {
                return Err(at(format!(
                    "successor {s} is out of range (jobs are 1 to {n})"
                )));
            }
            let s = s as usize;
            if s == j {
                return Err(at("lists itself as a successor".into()));
            }
            if s == 1 {
                return Err(at("lists job 1, the supersource, as a successor".into()));
            }
            if j != 1 && s != n && !preds[s].contains(&j) {
                preds[s].push(j);
            }
        }
    }

    // Durations and demands.
    let mut tasks = Vec::with_capacity(n - 2);
    for j in 1..=n {
        let row = &requests[req_at[j - 1]];
        let at = |m: String| fail(format!("line {}: job {j}: {m}", row.line));
        if row.nums.len() != 3 + k {
            return Err(at(format!(
                "expected `jobnr  mode  duration` and {k} demand(s), {} numbers; found {}",
                3 + k,
                row.nums.len()
            )));
        }
        let (mode, duration) = (row.nums[1], row.nums[2]);
        if mode != 1 {
            return Err(at(format!(
                "mode {mode}: only single-mode files (.sm, mode 1) are supported"
            )));
        }
        if duration < 0 {
            return Err(at(format!("duration {duration} is negative")));
        }
        if (j == 1 || j == n) && duration != 0 {
            return Err(at(format!(
                "job {j} is the {} (a dummy) but has duration {duration}; dummies must have \
                 duration 0",
                if j == 1 { "supersource" } else { "sink" }
            )));
        }
        let mut demand = BTreeMap::new();
        for (r, &amount) in row.nums[3..].iter().enumerate() {
            if amount < 0 {
                return Err(at(format!("demand {amount} of {} is negative", names[r])));
            }
            if amount > cap_row.nums[r] {
                return Err(at(format!(
                    "demands {amount} of {} but its capacity is {} (line {})",
                    names[r], cap_row.nums[r], cap_row.line
                )));
            }
            if amount > 0 {
                demand.insert(names[r].clone(), amount as f64);
            }
        }
        if j == 1 || j == n {
            continue;
        }
        if demand.is_empty() {
            // An empty demand means "exclusive"; a zero amount keeps the job sharing.
            demand.insert(names[0].clone(), 0.0);
        }
        let mut before = preds[j].clone();
        before.sort_unstable();
        tasks.push(Task {
            demand,
            after: before
                .into_iter()
                .map(|p| format!("j{p}"))
                .map(Into::into)
                .collect(),
            ..Task::new(format!("j{j}"), duration as f64)
        });
    }

    let mut device = Device::new(DEVICE_ID);
    device.resources = Some(
        names
            .iter()
            .zip(&cap_row.nums)
            .map(|(name, &c)| (name.clone(), c as f64))
            .collect(),
    );
    Ok(InstanceData {
        name: Some(
            origin
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| "psplib".into()),
        ),
        objective: Some("makespan".into()),
        devices: vec![device],
        tasks,
        network: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn origin() -> &'static Path {
        Path::new("dir/tiny.sm")
    }

    /// A 3-real-job project in PSPLIB's layout, with `edit` applied to it.
    fn tiny() -> String {
        "************************************************************************
file with basedata            : tiny.bas
initial value random generator: 1
************************************************************************
projects                      :  1
jobs (incl. supersource/sink ):  5
horizon                       :  9
RESOURCES
  - renewable                 :  2   R
  - nonrenewable              :  0   N
  - doubly constrained        :  0   D
************************************************************************
PROJECT INFORMATION:
pronr.  #jobs rel.date duedate tardcost  MPM-Time
    1      3      0        7        1        7
************************************************************************
PRECEDENCE RELATIONS:
jobnr.    #modes  #successors   successors
   1        1          2           2   3
   2        1          1           4
   3        1          1           5
   4        1          1           5
   5        1          0
************************************************************************
REQUESTS/DURATIONS:
jobnr. mode duration  R 1  R 2
------------------------------------------------------------------------
  1      1     0       0    0
  2      1     3       2    0
  3      1     4       0    1
  4      1     0       0    0
  5      1     0       0    0
************************************************************************
RESOURCEAVAILABILITIES:
  R 1  R 2
    2    1
************************************************************************
"
        .to_string()
    }

    fn msg(text: &str) -> String {
        parse(text, origin()).unwrap_err().to_string()
    }

    #[test]
    fn parses_a_tiny_project() {
        let d = parse(&tiny(), origin()).unwrap();
        assert_eq!(d.name.as_deref(), Some("tiny"));
        assert_eq!(d.objective.as_deref(), Some("makespan"));
        assert_eq!(d.devices.len(), 1);
        let dev = &d.devices[0];
        assert_eq!((dev.id.as_str(), dev.speed), ("project", 1.0));
        let caps = dev.resources.as_ref().unwrap();
        assert_eq!(caps.len(), 2);
        assert_eq!((caps["R1"], caps["R2"]), (2.0, 1.0));
        let ids: Vec<&str> = d.tasks.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, ["j2", "j3", "j4"]);
        let t = &d.tasks[0];
        assert_eq!((t.work, t.after.len()), (Some(3.0), 0));
        assert_eq!(t.demand, BTreeMap::from([("R1".to_string(), 2.0)]));
        assert_eq!(d.tasks[1].demand, BTreeMap::from([("R2".to_string(), 1.0)]));
        // A zero-duration job that demands nothing: kept, sharing (not exclusive).
        let t = &d.tasks[2];
        assert_eq!(t.work, Some(0.0));
        assert_eq!(t.demand, BTreeMap::from([("R1".to_string(), 0.0)]));
        assert_eq!(t.after, vec![crate::After::new("j2")]);
        let inst = crate::Instance::new(d).unwrap();
        assert!(inst.has_sharing() && !inst.is_exclusive(2));
    }

    #[test]
    fn windows_line_ends_and_missing_project_information_are_fine() {
        let text = tiny().replace('\n', "\r\n");
        assert_eq!(parse(&text, origin()).unwrap().tasks.len(), 3);
        let text = tiny().replace("    1      3      0        7        1        7\n", "");
        assert_eq!(parse(&text, origin()).unwrap().tasks.len(), 3);
    }

    #[test]
    fn without_a_resources_section_the_capacities_give_the_count() {
        let text = tiny()
            .replace("  - renewable                 :  2   R\n", "")
            .replace("  - nonrenewable              :  0   N\n", "")
            .replace("  - doubly constrained        :  0   D\n", "");
        let d = parse(&text, origin()).unwrap();
        assert_eq!(d.devices[0].resources.as_ref().unwrap().len(), 2);
    }

    #[test]
    fn rejects_bad_structure() {
        assert!(msg(" \n").contains("the file is empty"));
        let m = msg(&tiny().replace("jobs (incl. supersource/sink ):  5", ""));
        assert!(m.contains("dir/tiny.sm: no job count"), "{m}");
        let m = msg(&tiny().replace("jobs (incl. supersource/sink ):  5", "jobs :  2"));
        assert!(m.contains("no real job"), "{m}");
        let m = msg(&tiny().replace("jobs (incl. supersource/sink ):  5", "jobs :  6"));
        assert!(
            m.contains("line 15: PROJECT INFORMATION gives 3 jobs"),
            "{m}"
        );
        let m = msg(&tiny().replace("REQUESTS/DURATIONS:", "REQUESTS:"));
        assert!(m.contains("no REQUESTS/DURATIONS: section"), "{m}");
        let m = msg(&tiny().replace(
            "  2      1     3       2    0",
            "  2      1     3       x    0",
        ));
        assert!(
            m.contains("line 29: in REQUESTS/DURATIONS, token 4: 'x' is not an integer"),
            "{m}"
        );
        let m = msg(&tiny().replace("   4        1          1           5\n", ""));
        assert!(m.contains("PRECEDENCE RELATIONS: job 4 has no line"), "{m}");
        let m = msg(&tiny().replace("   4        1          1", "   3        1          1"));
        assert!(
            m.contains(
                "line 22: in PRECEDENCE RELATIONS, job 3 is listed a second time (first on line 21)"
            ),
            "{m}"
        );
        let m = msg(&tiny().replace(
            "  5      1     0       0    0",
            "  6      1     0       0    0",
        ));
        assert!(
            m.contains("job number 6 is out of range (jobs are 1 to 5)"),
            "{m}"
        );
        let m = msg(&tiny().replace(
            "RESOURCEAVAILABILITIES:",
            "RESOURCEAVAILABILITIES:\nRESOURCES",
        ));
        assert!(m.contains("a second RESOURCES section"), "{m}");
    }

    #[test]
    fn rejects_unsupported_features() {
        let m = msg(&tiny().replace("nonrenewable              :  0", "nonrenewable :  2"));
        assert!(
            m.contains("line 10: 2 nonrenewable resource(s): only renewable"),
            "{m}"
        );
        let m = msg(&tiny().replace("doubly constrained        :  0", "doubly constrained : 1"));
        assert!(m.contains("1 doubly constrained resource(s)"), "{m}");
        let m = msg(&tiny().replace("projects                      :  1", "projects : 2"));
        assert!(m.contains("2 projects"), "{m}");
        let m = msg(&tiny().replace("   2        1          1", "   2        3          1"));
        assert!(
            m.contains("line 20: job 2: 3 modes: only single-mode"),
            "{m}"
        );
        let m = msg(&tiny().replace("  3      1     4", "  3      2     4"));
        assert!(m.contains("job 3: mode 2"), "{m}");
    }

    #[test]
    fn rejects_bad_values() {
        let m = msg(&tiny().replace(
            "   2        1          1           4",
            "   2        1          2           4",
        ));
        assert!(
            m.contains("line 20: job 2: 2 successors announced, 1 listed"),
            "{m}"
        );
        let m = msg(&tiny().replace("           4\n", "           9\n"));
        assert!(m.contains("job 2: successor 9 is out of range"), "{m}");
        let m = msg(&tiny().replace("           4\n", "           2\n"));
        assert!(m.contains("job 2: lists itself"), "{m}");
        let m = msg(&tiny().replace("           4\n", "           1\n"));
        assert!(m.contains("the supersource, as a successor"), "{m}");
        let m = msg(&tiny().replace("   5        1          0", "   5        1          1  4"));
        assert!(m.contains("job 5 is the sink"), "{m}");
        let m = msg(&tiny().replace("  3      1     4", "  3      1    -4"));
        assert!(m.contains("line 30: job 3: duration -4 is negative"), "{m}");
        let m = msg(&tiny().replace("  5      1     0", "  5      1     2"));
        assert!(
            m.contains("job 5 is the sink (a dummy) but has duration 2"),
            "{m}"
        );
        let m = msg(&tiny().replace(
            "  3      1     4       0    1",
            "  3      1     4       0    -1",
        ));
        assert!(m.contains("job 3: demand -1 of R2 is negative"), "{m}");
        let m = msg(&tiny().replace(
            "  3      1     4       0    1",
            "  3      1     4       0    3",
        ));
        assert!(
            m.contains("job 3: demands 3 of R2 but its capacity is 1 (line 36)"),
            "{m}"
        );
        let m = msg(&tiny().replace("  3      1     4       0    1", "  3      1     4       0"));
        assert!(
            m.contains(
                "job 3: expected `jobnr  mode  duration` and 2 demand(s), 5 numbers; found 4"
            ),
            "{m}"
        );
        let m = msg(&tiny().replace("    2    1\n", "    2    0\n"));
        assert!(m.contains("line 36: the capacity of R2 is 0"), "{m}");
        let m = msg(&tiny().replace("    2    1\n", "    2    1    3\n"));
        assert!(
            m.contains("line 36: 3 capacities, but line 9 announces 2"),
            "{m}"
        );
        let m = msg(&tiny().replace("    2    1\n", ""));
        assert!(m.contains("no line of capacities"), "{m}");
        let m = msg(&tiny().replace("  2      1     3", "  2      1     99999999999999999"));
        assert!(m.contains("too large"), "{m}");
    }

    #[test]
    fn a_cycle_is_left_to_validation() {
        // 2 → 4 and 4 → 2.
        let text = tiny().replace(
            "   4        1          1           5",
            "   4        1          2           5  2",
        );
        let d = parse(&text, origin()).unwrap();
        let e = crate::Instance::new(d).unwrap_err().to_string();
        assert!(e.contains("cycle"), "{e}");
    }
}
