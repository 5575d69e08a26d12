//! Braun et al. (2001) ETC matrix files: expected time to compute of each task on each machine.
//!
//! The format is whitespace-separated numbers, task-major (`ETC[t][m] = v[t·M + m]`), usually one
//! per line. The files distributed with the HCSP benchmark start with a header line
//! `TASKS MACHINES FLAG`; a header of two or three integers whose product matches the number of
//! values is recognised. Without a header, give the machine count.

use crate::error::Error;
use crate::model::{Device, InstanceData, Task};
use std::collections::BTreeMap;
use std::path::Path;

/// Read an ETC file into instance data: devices `m0..`, tasks `t0..` with explicit `times`,
/// objective `makespan`.
///
/// `machines` is required when the file has no header and must agree with the header when both
/// are given.
pub fn read(path: impl AsRef<Path>, machines: Option<usize>) -> Result<InstanceData, Error> {
    let path = path.as_ref();
    let text = super::read_text(path)?;
    let name = path
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "etc".into());
    parse(&text, machines, &name).map_err(|message| Error::Parse {
        path: path.to_path_buf(),
        message,
    })
}

/// Parse ETC text (see [`read`]); errors are plain messages with line numbers.
pub fn parse(text: &str, machines: Option<usize>, name: &str) -> Result<InstanceData, String> {
    // Every number with its line, then decide whether the first line is a header: two or three
    // integers whose product (tasks × machines) is the count of the numbers after that line.
    let mut values: Vec<(usize, &str)> = Vec::new();
    let mut first_line_len = 0;
    for (i, line) in text.lines().enumerate() {
        let before = values.len();
        values.extend(line.split_whitespace().map(|tok| (i + 1, tok)));
        if before == 0 && values.len() > before && first_line_len == 0 {
            first_line_len = values.len();
        }
    }
    let mut header: Option<(usize, usize)> = None;
    if first_line_len == 2 || first_line_len == 3 {
        let ints: Vec<Option<usize>> = values[..first_line_len]
            .iter()
            .map(|(_, t)| t.parse::<usize>().ok())
            .collect();
        if let (Some(Some(n)), Some(Some(m))) = (ints.first(), ints.get(1))
            && ints.iter().all(Option::is_some)
        {
            let rest = values.len() - first_line_len;
            // A header unless the numbers read as plain data rows of the given machine count.
            let plain_data = machines
                .is_some_and(|mm| values.len() % mm == 0 && n.checked_mul(*m) != Some(rest));
            if !plain_data {
                header = Some((*n, *m));
            }
        }
    }
    let skip = if header.is_some() { first_line_len } else { 0 };
    let mut parsed = Vec::with_capacity(values.len());
    for &(line, tok) in &values[skip..] {
        let v: f64 = tok
            .parse()
            .map_err(|_| format!("line {line}: '{tok}' is not a number"))?;
        if !v.is_finite() || v < 0.0 {
            return Err(format!(
                "line {line}: '{tok}' is not a finite non-negative time"
            ));
        }
        parsed.push(v);
    }
    let values = parsed;
    let (n, m) = match (header, machines) {
        (Some((_, m)), Some(mm)) if mm != m => {
            return Err(format!(
                "the header says {m} machines but --machines says {mm}"
            ));
        }
        (Some((n, m)), _) => (n, m),
        (None, Some(0)) => return Err("the machine count must be positive".into()),
        (None, Some(m)) => {
            if values.len() % m != 0 {
                return Err(format!(
                    "{} values do not divide into rows of {m} machines",
                    values.len()
                ));
            }
            (values.len() / m, m)
        }
        (None, None) => {
            return Err(
                "the file has no `TASKS MACHINES` header: give the machine count (--machines)"
                    .into(),
            );
        }
    };
    if n == 0 || m == 0 {
        return Err(format!("{n} tasks × {m} machines is empty"));
    }
    if values.len() != n * m {
        return Err(format!(
            "expected {n} × {m} = {} values, found {}",
            n * m,
            values.len()
        ));
    }
    let devices = (0..m).map(|d| Device::new(format!("m{d}"))).collect();
    let tasks = (0..n)
        .map(|t| {
            let times: BTreeMap<String, f64> = (0..m)
                .map(|d| (format!("m{d}"), values[t * m + d]))
                .collect();
            Task {
                work: None,
                times: Some(times),
                ..Task::new(format!("t{t}"), 0.0)
            }
        })
        .collect();
    Ok(InstanceData {
        name: Some(name.to_string()),
        objective: Some("makespan".into()),
        devices,
        tasks,
        network: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_and_task_major() {
        let d = parse("2 3 0\n1\n2\n3\n4\n5\n6\n", None, "x").unwrap();
        assert_eq!(d.tasks.len(), 2);
        assert_eq!(d.devices.len(), 3);
        assert_eq!(d.tasks[1].times.as_ref().unwrap()["m0"], 4.0);
    }

    #[test]
    fn headerless_needs_machines() {
        assert!(
            parse("1\n2\n3\n4\n", None, "x")
                .unwrap_err()
                .contains("--machines")
        );
        let d = parse("1\n2\n3\n4\n", Some(2), "x").unwrap();
        assert_eq!(d.tasks.len(), 2);
        assert!(
            parse("1\n2\n3\n", Some(2), "x")
                .unwrap_err()
                .contains("do not divide")
        );
        assert!(
            parse("2 2\n1\nx\n", None, "x")
                .unwrap_err()
                .contains("line 3")
        );
        // Rows of data are not mistaken for a header when --machines fits them.
        let d = parse("1 2 3\n4 5 6\n", Some(3), "x").unwrap();
        assert_eq!(d.tasks.len(), 2);
    }
}
