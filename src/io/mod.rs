//! Reading and writing files: instances (JSON or TOML), schedules (JSON), and external formats
//! (Braun et al. ETC matrices, OR-Library generalized assignment and single-machine weighted
//! tardiness files, PSPLIB single-mode RCPSP files, Gavel deep-learning traces with measured GPU
//! throughputs, Standard Task Graph Set files, WfCommons and Pegasus DAX scientific workflows
//! mapped onto a device set).

pub mod dax;
pub mod etc;
pub mod gavel;
mod json;
pub mod orlib_gap;
pub mod orlib_wt;
pub mod psplib;
mod schedule_file;
pub mod stg;
pub mod wfcommons;
pub mod workflow;

pub use schedule_file::{AssignmentRecord, MetricsRecord, ScheduleFile, metrics_record};

use crate::error::Error;
use crate::model::{Instance, InstanceData};
use std::path::Path;

/// The formats an instance file may be in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InstanceFormat {
    /// JSON.
    Json,
    /// TOML with the same structure as the JSON form.
    Toml,
}

impl InstanceFormat {
    /// Guess the format from the file extension (`.toml` ⇒ TOML, anything else ⇒ JSON).
    pub fn from_path(path: &Path) -> Self {
        match path.extension().and_then(|e| e.to_str()) {
            Some(e) if e.eq_ignore_ascii_case("toml") => InstanceFormat::Toml,
            _ => InstanceFormat::Json,
        }
    }
}

/// Read a file to a string, naming the file in the error. A UTF-8 byte-order mark (which some
/// editors write) is dropped.
pub fn read_text(path: &Path) -> Result<String, Error> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    })
}

/// Write a string to a file, naming the file in the error.
///
/// The write is atomic: the text goes to a temporary file in the same directory, is flushed to
/// disk, and is renamed over `path`, so a crash or a kill never leaves a half-written schedule,
/// report or shard that `check` or `bench --merge` would read — `path` holds the old content or
/// the new one. A symbolic link is followed (the file it points to is replaced, the link kept);
/// a path that exists but is not a regular file (a terminal, a pipe, `/dev/stdout`) is written
/// in place.
pub fn write_text(path: &Path, text: &str) -> Result<(), Error> {
    use std::io::Write;
    use std::sync::atomic::{AtomicU64, Ordering};
    static TEMPORARIES: AtomicU64 = AtomicU64::new(0);
    let error = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    if std::fs::metadata(path).is_ok_and(|m| !m.is_file()) {
        return std::fs::write(path, text).map_err(error);
    }
    let target = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let Some(name) = target.file_name() else {
        return Err(error(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "not a file name",
        )));
    };
    let dir = target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let temporary = dir.join(format!(
        ".{}.{}-{}.tmp",
        name.to_string_lossy(),
        std::process::id(),
        TEMPORARIES.fetch_add(1, Ordering::Relaxed)
    ));
    let written = (|| {
        let mut file = std::fs::File::create(&temporary)?;
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
        std::fs::rename(&temporary, &target)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    written.map_err(error)
}

/// Parse instance data from text in the given format; `origin` names the source in errors.
pub fn parse_instance_data(
    text: &str,
    format: InstanceFormat,
    origin: &Path,
) -> Result<InstanceData, Error> {
    if text.trim().is_empty() {
        return Err(Error::Parse {
            path: origin.to_path_buf(),
            message: "the file is empty".into(),
        });
    }
    let parsed = match format {
        InstanceFormat::Json => json::parse(text).map_err(|e| e.to_string()),
        InstanceFormat::Toml => toml::from_str::<InstanceData>(text).map_err(|e| e.to_string()),
    };
    parsed.map_err(|message| Error::Parse {
        path: origin.to_path_buf(),
        message: format!(
            "not a valid {} instance: {}",
            match format {
                InstanceFormat::Json => "JSON",
                InstanceFormat::Toml => "TOML",
            },
            message.trim_end()
        ),
    })
}

/// Read and validate an instance file (JSON, or TOML for a `.toml` extension).
///
/// The instance is named after the file stem when the file gives no name. Errors name the file.
pub fn read_instance(path: impl AsRef<Path>) -> Result<Instance, Error> {
    let path = path.as_ref();
    let text = read_text(path)?;
    let mut data = parse_instance_data(&text, InstanceFormat::from_path(path), path)?;
    if data.name.is_none() {
        data.name = path.file_stem().map(|s| s.to_string_lossy().into_owned());
    }
    Instance::new(data).map_err(|e| e.in_file(path))
}

/// Serialize instance data as pretty JSON.
pub fn instance_to_json(data: &InstanceData) -> String {
    serde_json::to_string_pretty(data).expect("instance data always serializes") + "\n"
}

/// Serialize instance data as TOML.
pub fn instance_to_toml(data: &InstanceData) -> Result<String, Error> {
    toml::to_string_pretty(data).map_err(|e| Error::Usage(format!("cannot write TOML: {e}")))
}

#[cfg(test)]
mod write_tests {
    use super::write_text;

    fn names(dir: &std::path::Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn writes_replace_the_file_and_leave_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.json");
        write_text(&path, "old").unwrap();
        write_text(&path, "new").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(names(dir.path()), ["s.json"]);
    }

    #[test]
    fn a_missing_directory_is_named_and_nothing_is_left() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("no-such-dir").join("s.json");
        let e = write_text(&path, "x").unwrap_err().to_string();
        assert!(e.contains("no-such-dir"), "{e}");
        assert!(names(dir.path()).is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn a_link_is_followed_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.json");
        let link = dir.path().join("link.json");
        std::fs::write(&real, "old").unwrap();
        std::os::unix::fs::symlink(&real, &link).unwrap();
        write_text(&link, "new").unwrap();
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "new");
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(names(dir.path()), ["link.json", "real.json"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_special_file_is_written_in_place() {
        use std::os::unix::fs::FileTypeExt;
        write_text(std::path::Path::new("/dev/null"), "x").unwrap();
        assert!(
            std::fs::metadata("/dev/null")
                .unwrap()
                .file_type()
                .is_char_device()
        );
    }
}

#[cfg(test)]
mod bom_tests {
    #[test]
    fn a_byte_order_mark_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bom.json");
        std::fs::write(
            &path,
            "\u{feff}{\"devices\": [{\"id\": \"d\"}], \"tasks\": [{\"id\": \"t\", \"work\": 2}]}",
        )
        .unwrap();
        let inst = super::read_instance(&path).unwrap();
        assert_eq!(inst.num_tasks(), 1);
    }
}
