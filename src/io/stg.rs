//! Standard Task Graph Set files (`.stg`; Tobita & Kasahara, Journal of Scheduling 5(5), 2002):
//! random task graphs for multiprocessor scheduling, with proven optima on identical
//! processors for many of them.
//!
//! Format: plain text, whitespace-separated integers. The first data line is n, the number of
//! real tasks; then n + 2 lines, one per task `id  time  #preds  pred…`, for the tasks 0 … n + 1
//! in order, where task 0 (the entry) and task n + 1 (the exit) are dummies of time 0. Lines
//! from a `#` on are comments (the files end with a description of the graph).
//!
//! Mapping: `processors` identical devices `p0`, `p1`, … (speed 1, kind `cpu`); one task
//! `t<id>` per real task with `work` = its time and `after` = its real predecessors (edges from
//! the entry and to the exit are dropped: they constrain nothing). The objective is
//! `makespan`; the instance is named after the file stem.

use crate::error::Error;
use crate::model::{After, Device, InstanceData, Task};
use std::path::Path;

/// Read and convert one `.stg` file onto `processors` identical devices (see the
/// [module](self) docs); errors name the file.
pub fn read(path: &Path, processors: usize) -> Result<InstanceData, Error> {
    let text = super::read_text(path)?;
    parse(&text, path, processors)
}

/// Convert the text of a `.stg` file (`origin` names it in errors). Errors are
/// [`Error::Parse`] naming the line: a missing or non-numeric field, task lines out of order,
/// a predecessor that is not an earlier task, a count that does not match; [`Error::Usage`] for
/// 0 processors.
pub fn parse(text: &str, origin: &Path, processors: usize) -> Result<InstanceData, Error> {
    let fail = |line: usize, message: String| Error::Parse {
        path: origin.to_path_buf(),
        message: format!("line {line}: {message}"),
    };
    if processors == 0 {
        return Err(Error::Usage(format!(
            "{}: the number of processors must be at least 1",
            origin.display()
        )));
    }
    // Data lines with their numbers (comments and blank lines skipped).
    let mut rows = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let data = raw.split('#').next().unwrap_or("");
        if data.trim().is_empty() {
            continue;
        }
        let nums = data
            .split_whitespace()
            .map(|w| {
                w.parse::<u64>()
                    .map_err(|_| fail(i + 1, format!("'{w}' is not a non-negative integer")))
            })
            .collect::<Result<Vec<u64>, Error>>()?;
        rows.push((i + 1, nums));
    }
    let Some((first_line, first)) = rows.first() else {
        return Err(fail(
            1,
            "the file has no data (the task count first)".into(),
        ));
    };
    if first.len() != 1 {
        return Err(fail(
            *first_line,
            format!(
                "the first line holds the task count alone, not {} numbers",
                first.len()
            ),
        ));
    }
    let n = first[0] as usize;
    let tasks_rows = &rows[1..];
    if tasks_rows.len() != n + 2 {
        let line = tasks_rows.last().map_or(*first_line, |r| r.0);
        return Err(fail(
            line,
            format!(
                "{n} tasks need {} task lines (with the entry and exit dummies), found {}",
                n + 2,
                tasks_rows.len()
            ),
        ));
    }
    let mut tasks = Vec::with_capacity(n);
    for (id, (line, nums)) in tasks_rows.iter().enumerate() {
        let line = *line;
        if nums.len() < 3 {
            return Err(fail(line, "a task line is `id time #preds pred…`".into()));
        }
        if nums[0] as usize != id {
            return Err(fail(
                line,
                format!("task {id} expected here, found {}", nums[0]),
            ));
        }
        let count = nums[2] as usize;
        let preds = &nums[3..];
        if preds.len() != count {
            return Err(fail(
                line,
                format!("task {id} lists {} predecessors, says {count}", preds.len()),
            ));
        }
        if let Some(&p) = preds.iter().find(|&&p| p as usize >= id) {
            return Err(fail(
                line,
                format!("task {id}: predecessor {p} is not an earlier task"),
            ));
        }
        if id == 0 || id == n + 1 {
            if nums[1] != 0 {
                return Err(fail(
                    line,
                    format!("the dummy task {id} must take 0, not {}", nums[1]),
                ));
            }
            continue;
        }
        let mut task = Task::new(format!("t{id}"), nums[1] as f64);
        task.after = preds
            .iter()
            .filter(|&&p| p != 0)
            .map(|p| After::new(format!("t{p}")))
            .collect();
        tasks.push(task);
    }
    let devices = (0..processors)
        .map(|k| {
            let mut device = Device::new(format!("p{k}"));
            device.kind = Some("cpu".into());
            device
        })
        .collect();
    Ok(InstanceData {
        name: Some(
            origin
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| "stg".into()),
        ),
        objective: Some("makespan".into()),
        devices,
        tasks,
        network: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Instance;

    const TINY: &str = "  3
  0  0  0
  1  2  1  0
  2  3  1  0
  3  4  2  1  2
  4  0  1  3
# a diamond
";

    #[test]
    fn a_diamond_on_two_processors() {
        let data = parse(TINY, Path::new("dir/tiny.stg"), 2).unwrap();
        assert_eq!(data.name.as_deref(), Some("tiny"));
        assert_eq!(data.devices.len(), 2);
        let ids: Vec<&str> = data.tasks.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, ["t1", "t2", "t3"]);
        assert!(data.tasks[0].after.is_empty());
        assert_eq!(
            data.tasks[2].after,
            vec![After::new("t1"), After::new("t2")]
        );
        assert_eq!(data.tasks[2].work, Some(4.0));
        let inst = Instance::new(data).unwrap();
        assert_eq!(inst.num_tasks(), 3);
    }

    #[test]
    fn bad_files_name_the_line() {
        let origin = Path::new("bad.stg");
        let message = |text: &str| parse(text, origin, 2).unwrap_err().to_string();
        assert!(message("").contains("no data"));
        assert!(message("2\n0 0 0\n1 2 1 0\n").contains("4 task lines"));
        assert!(message("1\n0 0 0\n1 x 1 0\n2 0 1 1\n").contains("line 3: 'x'"));
        assert!(message("1\n0 0 0\n1 2 1 1\n2 0 1 1\n").contains("not an earlier task"));
        assert!(message("1\n0 0 0\n1 2 2 0\n2 0 1 1\n").contains("says 2"));
        assert!(message("1\n0 0 0\n2 2 1 0\n2 0 1 1\n").contains("task 1 expected"));
        assert!(message("1\n0 5 0\n1 2 1 0\n2 0 1 1\n").contains("dummy task 0"));
        assert!(matches!(parse(TINY, origin, 0), Err(Error::Usage(_))));
    }
}
