//! Typed errors of the library.
//!
//! Bad input (a file that cannot be read or parsed, an instance that does not validate) is kept
//! apart from solve failures, so the CLI can map the first to exit code 2 and the second to 1.

use std::fmt;
use std::path::PathBuf;

/// Every error the library returns.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file concerned.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// A file was read but its content is not in the expected format.
    #[error("{path}: {message}")]
    Parse {
        /// The file concerned.
        path: PathBuf,
        /// What is wrong, with a line/column where the parser gives one.
        message: String,
    },
    /// An instance was parsed but breaks the model's rules; every problem is listed.
    #[error("{}invalid instance: {report}", source_prefix(.path))]
    Invalid {
        /// The file the instance came from, when it came from a file.
        path: Option<PathBuf>,
        /// All the problems found.
        report: ValidationReport,
    },
    /// A request that does not make sense (unknown solver name, bad option value).
    #[error("{0}")]
    Usage(String),
    /// A solver (or the simulator) that does not handle a feature of the instance refuses it
    /// rather than return a schedule that ignores the feature.
    #[error("{what} does not support {feature} yet: {hint}")]
    Unsupported {
        /// The solver or tool that refuses (e.g. `milp`).
        what: String,
        /// The feature of the instance it does not handle (e.g. data transfers).
        feature: String,
        /// What to use instead.
        hint: String,
    },
    /// A solver could not produce a schedule.
    #[error("solve failed: {0}")]
    Solve(String),
    /// A chart could not be drawn (a failure of the drawing back-end, not of the input).
    #[error("cannot draw the chart: {0}")]
    Plot(String),
    /// Building something would take more memory than [`crate::memory::limit`] allows.
    #[error(
        "{what} would need about {}, more than the memory limit of {} (--max-memory, or \
         hetsched::memory::set_limit)",
        crate::memory::human(*.needed),
        crate::memory::human(*.limit)
    )]
    TooLarge {
        /// What would have been built, and how big it is (e.g. `the disjunctive model (…)`).
        what: String,
        /// Its estimated size in bytes.
        needed: u64,
        /// The limit in bytes.
        limit: u64,
    },
}

fn source_prefix(path: &Option<PathBuf>) -> String {
    match path {
        Some(p) => format!("{}: ", p.display()),
        None => String::new(),
    }
}

impl Error {
    /// True when the error is caused by the input (file, instance or request), not by solving.
    ///
    /// The CLI exits with code 2 for these and 1 for the others.
    pub fn is_bad_input(&self) -> bool {
        !matches!(
            self,
            Error::Solve(_) | Error::Plot(_) | Error::TooLarge { .. }
        )
    }

    /// Attach a file path to a validation error that has none.
    pub fn in_file(self, file: impl Into<PathBuf>) -> Self {
        match self {
            Error::Invalid { path: None, report } => Error::Invalid {
                path: Some(file.into()),
                report,
            },
            other => other,
        }
    }
}

/// The list of every problem validation found in an instance.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ValidationReport {
    /// One human-readable message per problem, each naming the task or device concerned.
    pub problems: Vec<String>,
}

impl ValidationReport {
    /// Record one problem.
    pub fn push(&mut self, problem: impl Into<String>) {
        self.problems.push(problem.into());
    }

    /// True when no problem was recorded.
    pub fn is_empty(&self) -> bool {
        self.problems.is_empty()
    }
}

impl fmt::Display for ValidationReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.problems.len() {
            0 => write!(f, "no problems"),
            1 => write!(f, "{}", self.problems[0]),
            n => {
                write!(f, "{n} problems:")?;
                for p in &self.problems {
                    write!(f, "\n  - {p}")?;
                }
                Ok(())
            }
        }
    }
}

/// Shorthand for results of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
