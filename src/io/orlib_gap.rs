//! OR-Library generalized assignment problem files (`gap1.txt` … `gap12.txt`, `gapa.txt` … `gapd.txt`).
//!
//! Format (whitespace-separated integers): the number of problems P, then per problem
//! `m n`, the m×n objective matrix (agent-major), the m×n resource matrix, and the m capacities.
//! Agents become devices `a1..am` with `capacity` b_i; jobs become tasks `j1..jn` with explicit
//! `times` (the resource use r_ij, a busy time) and `costs`; the objective is `assignment_cost`.
//!
//! OR-Library's gap1–gap12 are **maximisation** problems (the first matrix is a profit). hetsched
//! minimises, so with [`Sense::Maximize`] each cost is the negated profit: the optimum of the
//! converted instance is minus the published optimum. gapa–gapd are minimisation problems.

use crate::error::Error;
use crate::model::{Device, InstanceData, Task};
use std::collections::BTreeMap;
use std::path::Path;

/// Whether the file's objective matrix is a profit to maximise or a cost to minimise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sense {
    /// Profits (gap1–gap12): costs are negated profits.
    Maximize,
    /// Costs (gapa–gapd).
    Minimize,
}

impl Sense {
    /// OR-Library's convention from the file name: `gapN` (a number) maximises, `gapa`–`gapd`
    /// minimise; `None` for other names.
    pub fn from_file_name(path: &Path) -> Option<Sense> {
        let stem = path.file_stem()?.to_str()?.to_ascii_lowercase();
        let rest = stem.strip_prefix("gap")?;
        if !rest.is_empty() && rest.chars().all(|c| c.is_ascii_digit()) {
            Some(Sense::Maximize)
        } else if matches!(rest, "a" | "b" | "c" | "d") {
            Some(Sense::Minimize)
        } else {
            None
        }
    }
}

/// Read every problem of a GAP file. Instances are named `<file stem>-<k>` (k from 1).
pub fn read(path: impl AsRef<Path>, sense: Sense) -> Result<Vec<InstanceData>, Error> {
    let path = path.as_ref();
    let text = super::read_text(path)?;
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "gap".into());
    parse(&text, sense, &stem).map_err(|message| Error::Parse {
        path: path.to_path_buf(),
        message,
    })
}

/// Parse GAP text (see [`read`]).
pub fn parse(text: &str, sense: Sense, stem: &str) -> Result<Vec<InstanceData>, String> {
    let mut nums = Vec::new();
    for (i, line) in text.lines().enumerate() {
        for tok in line.split_whitespace() {
            let v: f64 = tok
                .parse()
                .map_err(|_| format!("line {}: '{tok}' is not a number", i + 1))?;
            if !v.is_finite() {
                return Err(format!("line {}: '{tok}' is not a finite number", i + 1));
            }
            nums.push(v);
        }
    }
    let mut it = nums.into_iter();
    let mut take = |what: &str| {
        it.next()
            .ok_or_else(|| format!("the file ends before {what}"))
    };
    let count = |v: f64, what: &str| -> Result<usize, String> {
        if v >= 1.0 && v.fract() == 0.0 && v < 1e7 {
            Ok(v as usize)
        } else {
            Err(format!("{what} must be a positive integer, got {v}"))
        }
    };
    let p = count(take("the problem count")?, "the problem count")?;
    let mut out = Vec::with_capacity(p);
    for k in 1..=p {
        let m = count(
            take(&format!("problem {k}'s agent count"))?,
            "the agent count",
        )?;
        let n = count(take(&format!("problem {k}'s job count"))?, "the job count")?;
        let mut obj = vec![0.0; m * n];
        for (idx, v) in obj.iter_mut().enumerate() {
            *v = take(&format!("problem {k}'s objective entry {}", idx + 1))?;
        }
        let mut res = vec![0.0; m * n];
        for (idx, v) in res.iter_mut().enumerate() {
            *v = take(&format!("problem {k}'s resource entry {}", idx + 1))?;
            if *v < 0.0 {
                return Err(format!(
                    "problem {k}: resource entry {} is negative",
                    idx + 1
                ));
            }
        }
        let mut cap = vec![0.0; m];
        for (i, v) in cap.iter_mut().enumerate() {
            *v = take(&format!("problem {k}'s capacity of agent {}", i + 1))?;
        }
        let devices = (0..m)
            .map(|i| Device {
                capacity: Some(cap[i]),
                ..Device::new(format!("a{}", i + 1))
            })
            .collect();
        let tasks = (0..n)
            .map(|j| {
                let times: BTreeMap<String, f64> = (0..m)
                    .map(|i| (format!("a{}", i + 1), res[i * n + j]))
                    .collect();
                let costs: BTreeMap<String, f64> = (0..m)
                    .map(|i| {
                        let c = obj[i * n + j];
                        let c = if sense == Sense::Maximize && c != 0.0 {
                            -c
                        } else {
                            c
                        };
                        (format!("a{}", i + 1), c)
                    })
                    .collect();
                Task {
                    work: None,
                    times: Some(times),
                    costs: Some(costs),
                    ..Task::new(format!("j{}", j + 1), 0.0)
                }
            })
            .collect();
        out.push(InstanceData {
            name: Some(format!("{stem}-{k}")),
            objective: Some("assignment_cost".into()),
            devices,
            tasks,
            network: None,
        });
    }
    if it.next().is_some() {
        return Err(format!(
            "the file has numbers left after its {p} problem(s)"
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_negates_profits() {
        let text = "1\n2 3\n1 2 3\n4 5 6\n1 1 1\n2 2 2\n5 6\n";
        let v = parse(text, Sense::Maximize, "g").unwrap();
        assert_eq!(v.len(), 1);
        let d = &v[0];
        assert_eq!(d.name.as_deref(), Some("g-1"));
        assert_eq!(d.devices[1].capacity, Some(6.0));
        assert_eq!(d.tasks[2].costs.as_ref().unwrap()["a2"], -6.0);
        assert_eq!(d.tasks[2].times.as_ref().unwrap()["a2"], 2.0);
        let v = parse(text, Sense::Minimize, "g").unwrap();
        assert_eq!(v[0].tasks[0].costs.as_ref().unwrap()["a1"], 1.0);
        assert!(
            parse("1\n2 3\n1 2\n", Sense::Minimize, "g")
                .unwrap_err()
                .contains("ends before")
        );
        assert!(Sense::from_file_name(Path::new("x/gap12.txt")) == Some(Sense::Maximize));
        assert!(Sense::from_file_name(Path::new("gapd.txt")) == Some(Sense::Minimize));
    }
}
