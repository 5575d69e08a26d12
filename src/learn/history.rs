//! Execution histories (`HISTORY.csv`) and task lists (`TASKS.csv`): CSV files with a header.
//!
//! A history has one row per past execution: a `kind` column (the device kind it ran on), the
//! target column (`runtime` unless told otherwise, a number > 0), an optional `task` id, and every
//! other column a task feature. A feature column is **numeric** when its value in the first data
//! row is a number, **categorical** otherwise; a later row whose value in a numeric column is not
//! a finite number is an error (it is not turned into a category), and so is an empty cell.
//! Every error names the file, the line and the column; no row is silently dropped.
//!
//! The format is documented in `docs/format.md` (section "Execution histories").

use crate::error::Error;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Whether a feature is a number or a category.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeatureKind {
    /// A number (parameters, batch size, steps…).
    Numeric,
    /// A category (model family…), one indicator per level in the models.
    Categorical,
}

/// A feature column: its name and kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feature {
    /// The column name in the header.
    pub name: String,
    /// Numeric or categorical.
    pub kind: FeatureKind,
}

/// One feature value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// The value of a numeric feature (finite).
    Num(f64),
    /// The value of a categorical feature (not empty).
    Cat(String),
}

/// One past execution.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// Its line in the file (the header is line 1).
    pub line: usize,
    /// The task id, when the file has a `task` column.
    pub task: Option<String>,
    /// The device kind it ran on.
    pub kind: String,
    /// The observed runtime (> 0).
    pub runtime: f64,
    /// The feature values, in the order of [`History::features`].
    pub values: Vec<Value>,
}

/// An execution history read from a CSV file.
#[derive(Debug, Clone, PartialEq)]
pub struct History {
    /// The file it was read from (named in errors).
    pub origin: PathBuf,
    /// The name of the target column (`runtime` by default).
    pub target: String,
    /// The feature columns, in file order.
    pub features: Vec<Feature>,
    /// The executions, in file order.
    pub records: Vec<Record>,
}

/// One row of a task list: a task to predict.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskRow {
    /// Its line in the file.
    pub line: usize,
    /// The task id.
    pub id: String,
    /// The feature values, in the order of the features asked for.
    pub values: Vec<Value>,
}

/// How to read a history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadOptions {
    /// The target column (default `runtime`).
    pub target: String,
    /// The feature columns to use; `None`: every column other than `kind`, the target and
    /// `task`.
    pub features: Option<Vec<String>>,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            target: "runtime".into(),
            features: None,
        }
    }
}

/// The reserved column naming the device kind.
pub const KIND_COLUMN: &str = "kind";
/// The optional column naming the task.
pub const TASK_COLUMN: &str = "task";

/// Most distinct values a categorical feature may take. Each is a column of the fitted models:
/// an identifier column taken as a feature (found by fuzzing: `step` with 184 values in 184
/// rows) made fitting take 7 s, and a longer history would never end.
pub const MAX_LEVELS: usize = 64;

/// Most device kinds a history may have (each is a block of the cross-kind model).
pub const MAX_KINDS: usize = 256;

fn parse_error(origin: &Path, message: String) -> Error {
    Error::Parse {
        path: origin.to_path_buf(),
        message,
    }
}

/// The rows of a CSV file: (line, fields).
type Rows = Vec<(usize, Vec<String>)>;

/// The header and rows of a CSV text (fields trimmed); errors name the line.
fn read_csv(text: &str, origin: &Path) -> Result<(Vec<String>, Rows), Error> {
    if text.trim().is_empty() {
        return Err(parse_error(origin, "the file is empty".into()));
    }
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| parse_error(origin, format!("line 1: {e}")))?
        .iter()
        .map(str::to_string)
        .collect();
    let mut seen = BTreeSet::new();
    for (i, name) in header.iter().enumerate() {
        if name.is_empty() {
            return Err(parse_error(
                origin,
                format!("line 1, column {}: empty column name", i + 1),
            ));
        }
        if !seen.insert(name.as_str()) {
            return Err(parse_error(
                origin,
                format!("line 1, column {} ('{name}'): repeated column name", i + 1),
            ));
        }
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map(|p| p.line() as usize);
            let message = match e.kind() {
                csv::ErrorKind::UnequalLengths { len, .. } => {
                    format!("{} fields where the header has {}", len, header.len())
                }
                _ => e.to_string(),
            };
            match line {
                Some(l) => parse_error(origin, format!("line {l}: {message}")),
                None => parse_error(origin, message),
            }
        })?;
        let line = record.position().map_or(0, |p| p.line() as usize);
        rows.push((line, record.iter().map(str::to_string).collect()));
    }
    if rows.is_empty() {
        return Err(parse_error(origin, "no data rows after the header".into()));
    }
    Ok((header, rows))
}

/// A finite number, or `None`.
fn number(cell: &str) -> Option<f64> {
    cell.parse::<f64>().ok().filter(|x| x.is_finite())
}

fn cell_error(origin: &Path, line: usize, col: usize, name: &str, problem: &str) -> Error {
    parse_error(
        origin,
        format!("line {line}, column {} ('{name}'): {problem}", col + 1),
    )
}

/// A feature value read from a cell of a column of the given kind.
fn value(
    origin: &Path,
    line: usize,
    col: usize,
    feature: &Feature,
    cell: &str,
) -> Result<Value, Error> {
    if cell.is_empty() {
        return Err(cell_error(origin, line, col, &feature.name, "empty value"));
    }
    match feature.kind {
        FeatureKind::Numeric => number(cell).map(Value::Num).ok_or_else(|| {
            cell_error(
                origin,
                line,
                col,
                &feature.name,
                &format!("'{cell}' is not a finite number (the column is numeric)"),
            )
        }),
        FeatureKind::Categorical => Ok(Value::Cat(cell.to_string())),
    }
}

impl History {
    /// Read a history file (see [`History::parse`]).
    pub fn read(path: &Path, options: &ReadOptions) -> Result<History, Error> {
        let text = crate::io::read_text(path)?;
        History::parse(&text, path, options)
    }

    /// Parse a history from CSV text; `origin` names the source in errors.
    ///
    /// Errors ([`Error::Parse`], naming `origin`, the line and the column): an empty file or no
    /// data row; an empty or repeated column name; no `kind` or target column; a feature asked
    /// for that is not a column (or is `kind`, `task` or the target); a row with another number
    /// of fields than the header; an empty cell; a target that is not a number > 0; a
    /// non-number in a numeric feature column.
    ///
    /// ```
    /// use hetsched::learn::history::{History, ReadOptions, Value};
    /// let text = "kind,model,batch,runtime\na100,llm,32,12.5\ncpu,cnn,8,40\n";
    /// let h = History::parse(text, "h.csv".as_ref(), &ReadOptions::default()).unwrap();
    /// assert_eq!(h.features.len(), 2);
    /// assert_eq!(h.records[1].values, [Value::Cat("cnn".into()), Value::Num(8.0)]);
    /// let bad = "kind,batch,runtime\na100,32,12.5\ncpu,x8,40\n";
    /// let e = History::parse(bad, "h.csv".as_ref(), &ReadOptions::default()).unwrap_err();
    /// assert!(e.to_string().contains("line 3, column 2 ('batch')"));
    /// ```
    pub fn parse(text: &str, origin: &Path, options: &ReadOptions) -> Result<History, Error> {
        let (header, rows) = read_csv(text, origin)?;
        let find = |name: &str| header.iter().position(|h| h == name);
        let missing = |name: &str| {
            parse_error(
                origin,
                format!(
                    "line 1: no '{name}' column (the header is: {})",
                    header.join(",")
                ),
            )
        };
        let kind_col = find(KIND_COLUMN).ok_or_else(|| missing(KIND_COLUMN))?;
        let target_col = find(&options.target).ok_or_else(|| missing(&options.target))?;
        if target_col == kind_col {
            return Err(parse_error(
                origin,
                "the target column cannot be 'kind'".into(),
            ));
        }
        let task_col = find(TASK_COLUMN).filter(|&c| c != target_col);
        let reserved = |c: usize| c == kind_col || c == target_col || Some(c) == task_col;
        let columns: Vec<usize> = match &options.features {
            None => (0..header.len()).filter(|&c| !reserved(c)).collect(),
            Some(names) => names
                .iter()
                .map(|n| match find(n) {
                    Some(c) if reserved(c) => Err(parse_error(
                        origin,
                        format!("'{n}' is the kind, task or target column, not a feature"),
                    )),
                    Some(c) => Ok(c),
                    None => Err(missing(n)),
                })
                .collect::<Result<_, _>>()?,
        };
        if let Some(c) = (1..columns.len()).find(|&i| columns[..i].contains(&columns[i])) {
            return Err(parse_error(
                origin,
                format!("feature '{}' is asked for twice", header[columns[c]]),
            ));
        }
        let first = &rows[0].1;
        let features: Vec<Feature> = columns
            .iter()
            .map(|&c| Feature {
                name: header[c].clone(),
                kind: if number(&first[c]).is_some() {
                    FeatureKind::Numeric
                } else {
                    FeatureKind::Categorical
                },
            })
            .collect();
        let mut records = Vec::with_capacity(rows.len());
        for (line, cells) in &rows {
            let line = *line;
            let kind = &cells[kind_col];
            if kind.is_empty() {
                return Err(cell_error(
                    origin,
                    line,
                    kind_col,
                    KIND_COLUMN,
                    "empty kind",
                ));
            }
            let target = &cells[target_col];
            let runtime = number(target).filter(|&t| t > 0.0).ok_or_else(|| {
                cell_error(
                    origin,
                    line,
                    target_col,
                    &options.target,
                    &format!("'{target}' is not a number > 0"),
                )
            })?;
            let task = match task_col {
                Some(c) if cells[c].is_empty() => {
                    return Err(cell_error(origin, line, c, TASK_COLUMN, "empty task id"));
                }
                Some(c) => Some(cells[c].clone()),
                None => None,
            };
            let values = columns
                .iter()
                .zip(&features)
                .map(|(&c, f)| value(origin, line, c, f, &cells[c]))
                .collect::<Result<_, _>>()?;
            records.push(Record {
                line,
                task,
                kind: kind.clone(),
                runtime,
                values,
            });
        }
        let kinds: BTreeSet<&str> = records.iter().map(|r| r.kind.as_str()).collect();
        if kinds.len() > MAX_KINDS {
            return Err(parse_error(
                origin,
                format!(
                    "{} distinct device kinds in {} rows, more than {MAX_KINDS}: the `kind` \
                     column names the kind of device a run used (a100, cpu, …), not the device",
                    kinds.len(),
                    records.len()
                ),
            ));
        }
        for (k, f) in features.iter().enumerate() {
            if f.kind != FeatureKind::Categorical {
                continue;
            }
            let levels: BTreeSet<&str> = records
                .iter()
                .filter_map(|r| match &r.values[k] {
                    Value::Cat(level) => Some(level.as_str()),
                    Value::Num(_) => None,
                })
                .collect();
            if levels.len() > MAX_LEVELS {
                return Err(parse_error(
                    origin,
                    format!(
                        "feature '{}' has {} distinct values in {} rows, more than the {MAX_LEVELS} \
                         a category may have: an identifier is not a feature (name the column \
                         `task` for a per-task effect, or leave it out with --features)",
                        f.name,
                        levels.len(),
                        records.len()
                    ),
                ));
            }
        }
        Ok(History {
            origin: origin.to_path_buf(),
            target: options.target.clone(),
            features,
            records,
        })
    }

    /// The device kinds, sorted.
    pub fn kinds(&self) -> Vec<String> {
        let set: BTreeSet<&str> = self.records.iter().map(|r| r.kind.as_str()).collect();
        set.into_iter().map(str::to_string).collect()
    }
}

/// Parse a task list (`TASKS.csv`): a `task` column and a column for every feature in
/// `features` (numeric columns must hold numbers); `origin` names the source in errors.
///
/// Errors ([`Error::Parse`] with line and column): no `task` column; a feature column missing;
/// a column that is neither `task` nor a feature (nothing is silently ignored); an empty cell;
/// a non-number in a numeric column; a task id listed twice.
pub fn parse_tasks(text: &str, origin: &Path, features: &[Feature]) -> Result<Vec<TaskRow>, Error> {
    let (header, rows) = read_csv(text, origin)?;
    let find = |name: &str| header.iter().position(|h| h == name);
    let task_col = find(TASK_COLUMN).ok_or_else(|| {
        parse_error(
            origin,
            format!(
                "line 1: no 'task' column (the header is: {})",
                header.join(",")
            ),
        )
    })?;
    let columns: Vec<usize> = features
        .iter()
        .map(|f| {
            find(&f.name).ok_or_else(|| {
                parse_error(
                    origin,
                    format!(
                        "line 1: no '{}' column; the model needs the features {}",
                        f.name,
                        features
                            .iter()
                            .map(|f| f.name.as_str())
                            .collect::<Vec<_>>()
                            .join(",")
                    ),
                )
            })
        })
        .collect::<Result<_, _>>()?;
    if let Some(extra) = (0..header.len()).find(|c| *c != task_col && !columns.contains(c)) {
        return Err(parse_error(
            origin,
            format!(
                "line 1, column {} ('{}'): not a feature of the model (a task list has a 'task' column and the model's features only)",
                extra + 1,
                header[extra]
            ),
        ));
    }
    let mut ids = BTreeSet::new();
    let mut out = Vec::with_capacity(rows.len());
    for (line, cells) in rows {
        let id = cells[task_col].clone();
        if id.is_empty() {
            return Err(cell_error(
                origin,
                line,
                task_col,
                TASK_COLUMN,
                "empty task id",
            ));
        }
        if !ids.insert(id.clone()) {
            return Err(cell_error(
                origin,
                line,
                task_col,
                TASK_COLUMN,
                &format!("task '{id}' is listed twice"),
            ));
        }
        let values = columns
            .iter()
            .zip(features)
            .map(|(&c, f)| value(origin, line, c, f, &cells[c]))
            .collect::<Result<_, _>>()?;
        out.push(TaskRow { line, id, values });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<History, Error> {
        History::parse(text, Path::new("h.csv"), &ReadOptions::default())
    }

    /// Regression (fuzzing, `history` target): an id column read as a categorical feature.
    #[test]
    fn an_identifier_column_is_not_taken_as_a_feature() {
        let mut text = String::from("step,kind,params,runtime\n");
        for i in 0..=MAX_LEVELS {
            text.push_str(&format!(
                "s{i},cpu,{},{}\n",
                1e6 * (i + 1) as f64,
                1.0 + i as f64
            ));
        }
        let e = parse(&text).unwrap_err().to_string();
        assert!(
            e.contains("feature 'step' has 65 distinct values in 65 rows"),
            "{e}"
        );
        let fewer: String = text
            .lines()
            .take(MAX_LEVELS + 1)
            .collect::<Vec<_>>()
            .join("\n");
        assert!(parse(&fewer).is_ok());
    }

    #[test]
    fn reads_features_task_and_kinds() {
        let h = parse("task,kind,family,params,runtime\nt1,a100,llm,7e9,3.5\nt1,cpu,llm,7e9,90\n")
            .unwrap();
        assert_eq!(h.kinds(), ["a100", "cpu"]);
        assert_eq!(h.records[0].task.as_deref(), Some("t1"));
        assert_eq!(h.records[1].line, 3);
        assert_eq!(h.features[0].kind, FeatureKind::Categorical);
        assert_eq!(h.features[1].kind, FeatureKind::Numeric);
    }

    #[test]
    fn bad_cells_name_line_and_column() {
        let cases = [
            (
                "kind,x,runtime\na,1,2\nb,1,0\n",
                "line 3, column 3 ('runtime')",
            ),
            ("kind,x,runtime\na,1,2\nb,1,-1\n", "not a number > 0"),
            (
                "kind,x,runtime\na,1,2\n,1,1\n",
                "line 3, column 1 ('kind'): empty kind",
            ),
            (
                "kind,x,runtime\na,1,2\nb,,1\n",
                "line 3, column 2 ('x'): empty value",
            ),
            (
                "kind,x,runtime\na,1,2\nb,1\n",
                "line 3: 2 fields where the header has 3",
            ),
            (
                "kind,x,runtime\na,1,2\nb,nan,1\n",
                "'nan' is not a finite number",
            ),
            ("x,runtime\n1,2\n", "no 'kind' column"),
            ("kind,x\na,1\n", "no 'runtime' column"),
            ("kind,x,x,runtime\na,1,1,2\n", "repeated column name"),
            ("kind,x,runtime\n", "no data rows"),
            ("", "empty"),
        ];
        for (text, expect) in cases {
            let e = parse(text).unwrap_err().to_string();
            assert!(e.contains(expect), "{text:?}: {e}");
            assert!(e.starts_with("h.csv: "), "{e}");
        }
    }

    #[test]
    fn features_and_target_can_be_chosen() {
        let text = "kind,a,b,secs\nx,1,2,3\n";
        let options = ReadOptions {
            target: "secs".into(),
            features: Some(vec!["b".into()]),
        };
        let h = History::parse(text, Path::new("h.csv"), &options).unwrap();
        assert_eq!(h.features.len(), 1);
        assert_eq!(h.records[0].runtime, 3.0);
        for bad in [vec!["c"], vec!["b", "b"], vec!["kind"]] {
            let options = ReadOptions {
                target: "secs".into(),
                features: Some(bad.iter().map(|s| s.to_string()).collect()),
            };
            assert!(
                History::parse(text, Path::new("h.csv"), &options).is_err(),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn task_lists_need_every_feature_and_nothing_else() {
        let features = [
            Feature {
                name: "family".into(),
                kind: FeatureKind::Categorical,
            },
            Feature {
                name: "batch".into(),
                kind: FeatureKind::Numeric,
            },
        ];
        let p = |t: &str| parse_tasks(t, Path::new("t.csv"), &features);
        let rows = p("batch,task,family\n8,a,llm\n16,b,cnn\n").unwrap();
        assert_eq!(rows[1].values, [Value::Cat("cnn".into()), Value::Num(16.0)]);
        for (text, expect) in [
            ("task,family\na,llm\n", "no 'batch' column"),
            (
                "task,family,batch,kind\na,llm,1,x\n",
                "column 4 ('kind'): not a feature",
            ),
            ("task,family,batch\na,llm,x\n", "line 2, column 3 ('batch')"),
            (
                "task,family,batch\na,llm,1\na,llm,2\n",
                "line 3, column 1 ('task'): task 'a' is listed twice",
            ),
        ] {
            let e = p(text).unwrap_err().to_string();
            assert!(e.contains(expect), "{text:?}: {e}");
        }
    }
}
