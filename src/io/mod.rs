//! Reading and writing files: instances (JSON or TOML), schedules (JSON), and external formats
//! (Braun et al. ETC matrices, OR-Library generalized assignment and single-machine weighted
//! tardiness files, PSPLIB single-mode RCPSP files, Gavel deep-learning traces with measured GPU
//! throughputs, Standard Task Graph Set files, WfCommons and Pegasus DAX scientific workflows
//! mapped onto a device set).

pub mod dax;
pub mod etc;
pub mod gavel;
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
pub fn write_text(path: &Path, text: &str) -> Result<(), Error> {
    std::fs::write(path, text).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })
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
        InstanceFormat::Json => {
            serde_json::from_str::<InstanceData>(text).map_err(|e| e.to_string())
        }
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
