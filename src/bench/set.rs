//! Instance sets and the instances a benchmark runs on.
//!
//! An **instance set** is a folder with a manifest, `set.toml`, saying how its files are read and
//! where its reference values are (optima or best-known values from the literature):
//!
//! ```toml
//! name = "orlib-gap"
//! description = "OR-Library generalized assignment problems"
//! format = "orlib-gap"                  # instance | etc | orlib-gap | orlib-wt | psplib
//! files = ["gap1.txt", "gap2.txt"]      # optional: default every file of the format
//!
//! [[reference]]
//! file = "optima.csv"                   # a CSV file in the folder
//! file-column = "file"                  # the column naming the instance file
//! problem-column = "problem_index"      # for files holding several problems (from 1)
//! value-column = "optimum"
//! kind = "optimum"                      # optimum (proven) or best-known (an upper bound)
//! status-column = "status"              # optional: rows saying "optimal" here are optima
//! negate-when = { column = "sense", equals = "max" }  # optional: values to negate
//! ```
//!
//! Values are read from the set's own files, never typed into code. Files and folders without a
//! manifest are read as plain instance files (`.json`, `.toml`), without reference values.

use crate::error::Error;
use crate::io::{self, etc, orlib_gap, psplib};
use crate::model::{Instance, InstanceData};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The file name of an instance set's manifest.
pub const MANIFEST: &str = "set.toml";

/// How the files of an instance set are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FileFormat {
    /// hetsched instance files (`.json`, or `.toml`).
    #[default]
    Instance,
    /// Braun et al. ETC matrices ([`crate::io::etc`]), one instance per file.
    Etc,
    /// OR-Library generalized assignment files ([`crate::io::orlib_gap`]), several problems per
    /// file; the sense (profit or cost) follows the file name.
    OrlibGap,
    /// OR-Library weighted tardiness files ([`crate::io::orlib_wt`]), 125 problems per file.
    OrlibWt,
    /// PSPLIB single-mode RCPSP files ([`crate::io::psplib`], `*.sm`), one instance per file.
    Psplib,
}

/// What a reference value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReferenceKind {
    /// A proven optimum: also a bound.
    Optimum,
    /// The best value known (reached by some method): an upper bound on the optimum.
    BestKnown,
}

/// A condition on a CSV column.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColumnEquals {
    /// The column.
    pub column: String,
    /// The value it must hold.
    pub equals: String,
}

/// Where a set's reference values are: one CSV file and the meaning of its columns.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ReferenceSource {
    /// The CSV file, relative to the set's folder.
    pub file: String,
    /// The column holding the instance file's name.
    pub file_column: String,
    /// For files with several problems: the column holding the problem's index (from 1).
    #[serde(default)]
    pub problem_column: Option<String>,
    /// The column holding the value.
    pub value_column: String,
    /// What the values are (unless `status_column` says otherwise row by row).
    pub kind: ReferenceKind,
    /// A column whose value `optimal` marks a proven optimum and anything else a best-known value.
    #[serde(default)]
    pub status_column: Option<String>,
    /// Rows meeting this condition hold the negated value (a profit where hetsched minimises
    /// the negated profit).
    #[serde(default)]
    pub negate_when: Option<ColumnEquals>,
}

/// An instance set's manifest (`set.toml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// The set's name, shown in benchmark rows.
    pub name: String,
    /// One line about the set.
    #[serde(default)]
    pub description: Option<String>,
    /// How the files are read.
    #[serde(default)]
    pub format: FileFormat,
    /// The instance files (paths relative to the folder), in order; by default every file of
    /// the format in the folder.
    #[serde(default)]
    pub files: Option<Vec<String>>,
    /// `orlib-wt` only: jobs per problem, when the file names do not say (`wt40.txt` says 40).
    #[serde(default)]
    pub jobs: Option<usize>,
    /// Reference values.
    #[serde(default)]
    pub reference: Vec<ReferenceSource>,
}

/// A reference value for one instance, read from its set's files.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Reference {
    /// The value, in hetsched's sense (minimised).
    pub value: f64,
    /// True for a proven optimum, false for a best-known value.
    pub optimal: bool,
}

/// One instance to benchmark: where it comes from, the instance (or why it could not be read)
/// and its reference value.
#[derive(Debug)]
pub struct BenchInstance {
    /// The instance set, when the file belongs to one.
    pub set: Option<String>,
    /// The instance's name: the file stem (`.json`/`.toml`, PSPLIB `.sm`), the file name (ETC) or
    /// `<file stem>-<problem>` for files with several problems.
    pub id: String,
    /// The file it was read from.
    pub file: PathBuf,
    /// The problem's index within the file (from 1), for files with several problems.
    pub problem: Option<usize>,
    /// The validated instance, or the error that names the file and the problem.
    pub instance: Result<Instance, Error>,
    /// The set's reference value for it.
    pub reference: Option<Reference>,
}

/// A set opened from its folder: the manifest and its reference table.
#[derive(Debug, Clone)]
pub struct InstanceSet {
    /// The folder.
    pub dir: PathBuf,
    /// Its manifest.
    pub manifest: Manifest,
    /// Reference values keyed by (file path relative to the folder, problem index).
    references: BTreeMap<(String, Option<usize>), RefEntry>,
}

/// A reference value and where it was read (for error messages).
#[derive(Debug, Clone)]
struct RefEntry {
    reference: Reference,
    csv: PathBuf,
    line: u64,
}

impl InstanceSet {
    /// Open the set in `dir` (which must hold a `set.toml`), reading its reference files.
    pub fn open(dir: impl AsRef<Path>) -> Result<InstanceSet, Error> {
        let dir = dir.as_ref().to_path_buf();
        let path = dir.join(MANIFEST);
        let text = io::read_text(&path)?;
        let manifest: Manifest = toml::from_str(&text).map_err(|e| Error::Parse {
            path: path.clone(),
            message: format!(
                "not a valid instance-set manifest: {}",
                e.to_string().trim_end()
            ),
        })?;
        let mut references = BTreeMap::new();
        for source in &manifest.reference {
            let several = matches!(manifest.format, FileFormat::OrlibGap | FileFormat::OrlibWt);
            if source.problem_column.is_some() != several {
                return Err(Error::Parse {
                    path: path.clone(),
                    message: format!(
                        "reference {}: problem-column {} for format {:?} ({})",
                        source.file,
                        if several {
                            "is required"
                        } else {
                            "does not apply"
                        },
                        manifest.format,
                        if several {
                            "its files hold several problems"
                        } else {
                            "one instance per file"
                        }
                    ),
                });
            }
            read_references(&dir, source, &mut references)?;
        }
        Ok(InstanceSet {
            dir,
            manifest,
            references,
        })
    }

    /// The set's instance files, in manifest order (or sorted by name).
    pub fn files(&self) -> Result<Vec<PathBuf>, Error> {
        if let Some(files) = &self.manifest.files {
            return Ok(files.iter().map(|f| self.dir.join(f)).collect());
        }
        let mut out = Vec::new();
        for entry in read_dir_sorted(&self.dir)? {
            if !entry.is_file() {
                continue;
            }
            let name = file_name(&entry);
            let take = match self.manifest.format {
                FileFormat::Instance => is_instance_file(&entry) && name != MANIFEST,
                // Braun et al.'s names: u_c_hihi.0 (a numeric extension).
                FileFormat::Etc => name.rsplit_once('.').is_some_and(|(stem, ext)| {
                    !stem.is_empty() && !ext.is_empty() && ext.chars().all(|c| c.is_ascii_digit())
                }),
                FileFormat::OrlibGap | FileFormat::OrlibWt => name.ends_with(".txt"),
                FileFormat::Psplib => name.ends_with(".sm"),
            };
            if take {
                out.push(entry);
            }
        }
        Ok(out)
    }

    /// True when `file` (a path inside the folder) is one of the set's instance files.
    pub fn contains(&self, file: &Path) -> bool {
        self.files()
            .map(|fs| fs.iter().any(|f| same_file(f, file)))
            .unwrap_or(false)
    }

    /// `file`'s path relative to the folder, as reference rows name it.
    fn key(&self, file: &Path) -> String {
        let rel = file.strip_prefix(&self.dir).unwrap_or(file);
        let parts: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        parts.join("/")
    }

    /// The reference value for problem `problem` of `file`.
    pub fn reference(&self, file: &Path, problem: Option<usize>) -> Option<Reference> {
        self.references
            .get(&(self.key(file), problem))
            .map(|e| e.reference)
    }

    /// Read every instance of one of the set's files. A reference row for a problem the file
    /// does not hold is an error (it names the CSV file and line).
    pub fn load_file(&self, file: &Path) -> Result<Vec<BenchInstance>, Error> {
        let set = Some(self.manifest.name.clone());
        let one = |instance: Result<Instance, Error>, id: String| {
            vec![BenchInstance {
                set: set.clone(),
                id,
                file: file.to_path_buf(),
                problem: None,
                instance,
                reference: self.reference(file, None),
            }]
        };
        let problems: Vec<InstanceData> = match self.manifest.format {
            FileFormat::Instance => {
                return Ok(one(io::read_instance(file), file_stem(file)));
            }
            FileFormat::Etc => {
                let instance = etc::read(file, None)
                    .and_then(|d| Instance::new(d).map_err(|e| e.in_file(file)));
                return Ok(one(instance, file_name(file)));
            }
            FileFormat::Psplib => {
                let instance =
                    psplib::read(file).and_then(|d| Instance::new(d).map_err(|e| e.in_file(file)));
                return Ok(one(instance, file_stem(file)));
            }
            FileFormat::OrlibGap => {
                let read = orlib_gap::Sense::from_file_name(file)
                    .ok_or_else(|| Error::Parse {
                        path: file.to_path_buf(),
                        message: "cannot tell from the name whether the GAP file holds profits \
                                  (gapN) or costs (gapa–gapd)"
                            .into(),
                    })
                    .and_then(|sense| orlib_gap::read(file, sense));
                match read {
                    Ok(p) => p,
                    Err(e) => return Ok(one(Err(e), file_name(file))),
                }
            }
            FileFormat::OrlibWt => {
                let jobs = self.manifest.jobs;
                if jobs.is_none() && crate::io::orlib_wt::jobs_from_file_name(file).is_none() {
                    let e = Error::Parse {
                        path: file.to_path_buf(),
                        message: format!(
                            "the name does not give the jobs per problem (wtN.txt): add \
                             `jobs = N` to {}",
                            self.dir.join(MANIFEST).display()
                        ),
                    };
                    return Ok(one(Err(e), file_name(file)));
                }
                match crate::io::orlib_wt::read(file, jobs) {
                    Ok(p) => p,
                    Err(e) => return Ok(one(Err(e), file_name(file))),
                }
            }
        };
        let count = problems.len();
        let key = self.key(file);
        if let Some(((_, k), e)) = self
            .references
            .range((key.clone(), Some(count + 1))..)
            .find(|((f, _), _)| f == &key)
        {
            return Err(Error::Parse {
                path: e.csv.clone(),
                message: format!(
                    "line {}: a reference value for problem {} of {key}, which holds {count}",
                    e.line,
                    k.unwrap_or(0)
                ),
            });
        }
        let stem = file_stem(file);
        Ok(problems
            .into_iter()
            .enumerate()
            .map(|(i, data)| {
                let k = i + 1;
                BenchInstance {
                    set: set.clone(),
                    id: format!("{stem}-{k}"),
                    file: file.to_path_buf(),
                    problem: Some(k),
                    instance: Instance::new(data).map_err(|e| e.in_file(file)),
                    reference: self.reference(file, Some(k)),
                }
            })
            .collect())
    }

    /// Read every instance of the set. A reference row that names no file of the set is an
    /// error (a misspelt name would otherwise be dropped silently).
    pub fn load(&self) -> Result<Vec<BenchInstance>, Error> {
        let files = self.files()?;
        let keys: BTreeSet<String> = files.iter().map(|f| self.key(f)).collect();
        if let Some(((f, _), e)) = self.references.iter().find(|((f, _), _)| !keys.contains(f)) {
            return Err(Error::Parse {
                path: e.csv.clone(),
                message: format!(
                    "line {}: '{f}' is not a file of the set {} ({} files)",
                    e.line,
                    self.manifest.name,
                    files.len()
                ),
            });
        }
        let mut out = Vec::new();
        for f in &files {
            out.extend(self.load_file(f)?);
        }
        Ok(out)
    }
}

/// Read the instances named by `paths`: instance-set folders (with `set.toml`), files of a set
/// (read with their set's format and references), plain instance files, and folders of those
/// (searched recursively). The same problem named twice is read once.
///
/// Errors concern the paths themselves (a path that does not exist, a broken manifest or
/// reference file, a file in an unknown format); an instance that cannot be read is returned
/// with its error, so that the rest can still run.
pub fn load_paths(paths: &[PathBuf]) -> Result<Vec<BenchInstance>, Error> {
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    let mut visited = BTreeSet::new();
    for path in paths {
        let mut found = Vec::new();
        collect(path, &mut found, &mut visited)?;
        for b in found {
            let key = (
                std::fs::canonicalize(&b.file).unwrap_or_else(|_| b.file.clone()),
                b.problem,
            );
            if seen.insert(key) {
                out.push(b);
            }
        }
    }
    Ok(out)
}

/// Add what `path` holds; `visited` holds the folders already searched (by canonical path), so
/// that a link back up the tree is searched once, not forever.
fn collect(
    path: &Path,
    out: &mut Vec<BenchInstance>,
    visited: &mut BTreeSet<PathBuf>,
) -> Result<(), Error> {
    let io_err = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let meta = std::fs::metadata(path).map_err(io_err)?;
    if meta.is_dir() {
        let canonical = std::fs::canonicalize(path).map_err(io_err)?;
        if !visited.insert(canonical) {
            return Ok(());
        }
        if path.join(MANIFEST).is_file() {
            out.extend(InstanceSet::open(path)?.load()?);
            return Ok(());
        }
        for entry in read_dir_sorted(path)? {
            if entry.is_dir() || is_instance_file(&entry) {
                collect(&entry, out, visited)?;
            }
        }
        return Ok(());
    }
    if file_name(path) == MANIFEST {
        return Err(Error::Parse {
            path: path.to_path_buf(),
            message: "this is an instance set's manifest: give its folder to run the set".into(),
        });
    }
    let parent = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if parent.join(MANIFEST).is_file() {
        let set = InstanceSet::open(parent)?;
        if set.contains(path) {
            out.extend(set.load_file(path)?);
            return Ok(());
        }
    }
    if is_instance_file(path) {
        out.push(load_instance_file(path));
        return Ok(());
    }
    Err(Error::Parse {
        path: path.to_path_buf(),
        message: "not an instance file (.json or .toml) and not a file of an instance set (no set.toml listing it beside it); convert it with `hetsched convert` first".into(),
    })
}

fn load_instance_file(file: &Path) -> BenchInstance {
    BenchInstance {
        set: None,
        id: file_stem(file),
        file: file.to_path_buf(),
        problem: None,
        instance: io::read_instance(file),
        reference: None,
    }
}

fn is_instance_file(path: &Path) -> bool {
    path.is_file()
        && matches!(
            path.extension()
                .and_then(|e| e.to_str())
                .map(|e| e.to_ascii_lowercase())
                .as_deref(),
            Some("json" | "toml")
        )
        && file_name(path) != MANIFEST
}

fn read_dir_sorted(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let io_err = |source| Error::Io {
        path: dir.to_path_buf(),
        source,
    };
    let mut entries = std::fs::read_dir(dir)
        .map_err(io_err)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<Vec<_>, _>>()
        .map_err(io_err)?;
    entries.sort();
    Ok(entries)
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn file_stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// Read one reference CSV into `out`, checking its columns and values.
fn read_references(
    dir: &Path,
    source: &ReferenceSource,
    out: &mut BTreeMap<(String, Option<usize>), RefEntry>,
) -> Result<(), Error> {
    let path = dir.join(&source.file);
    let text = io::read_text(&path)?;
    let bad = |message: String| Error::Parse {
        path: path.clone(),
        message,
    };
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| bad(format!("cannot read the header: {e}")))?
        .clone();
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim() == name)
            .ok_or_else(|| {
                bad(format!(
                    "no column '{name}' (the manifest names it; columns: {})",
                    headers.iter().collect::<Vec<_>>().join(", ")
                ))
            })
    };
    let file_col = column(&source.file_column)?;
    let value_col = column(&source.value_column)?;
    let problem_col = source.problem_column.as_deref().map(column).transpose()?;
    let status_col = source.status_column.as_deref().map(column).transpose()?;
    let negate = source
        .negate_when
        .as_ref()
        .map(|c| column(&c.column).map(|i| (i, c.equals.as_str())))
        .transpose()?;
    for record in reader.records() {
        let record = record.map_err(|e| bad(e.to_string()))?;
        let line = record.position().map_or(0, |p| p.line());
        let field = |i: usize| record.get(i).unwrap_or("").trim();
        let file = field(file_col).to_string();
        let problem = match problem_col {
            Some(i) => Some(
                field(i)
                    .parse::<usize>()
                    .ok()
                    .filter(|&k| k >= 1)
                    .ok_or_else(|| {
                        bad(format!(
                            "line {line}: problem index '{}' is not a positive integer",
                            field(i)
                        ))
                    })?,
            ),
            None => None,
        };
        let raw = field(value_col);
        let mut value: f64 = raw
            .parse()
            .ok()
            .filter(|v: &f64| v.is_finite())
            .ok_or_else(|| bad(format!("line {line}: value '{raw}' is not a number")))?;
        if let Some((i, equals)) = negate
            && field(i).eq_ignore_ascii_case(equals)
        {
            value = -value;
        }
        let optimal = match status_col {
            Some(i) => field(i).eq_ignore_ascii_case("optimal"),
            None => source.kind == ReferenceKind::Optimum,
        };
        let key = (file, problem);
        if out.contains_key(&key) {
            return Err(bad(format!(
                "line {line}: a second reference value for {}{}",
                key.0,
                key.1.map(|k| format!(" problem {k}")).unwrap_or_default()
            )));
        }
        out.insert(
            key,
            RefEntry {
                reference: Reference { value, optimal },
                csv: path.clone(),
                line,
            },
        );
    }
    Ok(())
}
