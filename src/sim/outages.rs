//! Device outages: intervals during which a device is down (the outages file of
//! `hetsched simulate --outages`).

use crate::error::Error;
use crate::model::Instance;
use serde::Deserialize;
use std::path::Path;

/// Device `device` is down over `[from, to)`: nothing starts there, and what runs there at
/// `from` is stopped (its work since it started is lost, unless the simulation allows
/// preemption).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Outage {
    /// Device index.
    pub device: usize,
    /// When it goes down.
    pub from: f64,
    /// When it is up again.
    pub to: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    outages: Vec<Record>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Record {
    device: String,
    from: f64,
    to: f64,
}

/// Read an outages file: `{"outages": [{"device": "gpu0", "from": 10, "to": 25}, …]}` (JSON;
/// device ids of `instance`; 0 ≤ from < to, finite). Every bad entry is named.
pub fn read_outages(path: &Path, instance: &Instance) -> Result<Vec<Outage>, Error> {
    let text = crate::io::read_text(path)?;
    parse_outages(&text, path, instance)
}

/// [`read_outages`] on text already read from `origin`.
pub fn parse_outages(text: &str, origin: &Path, instance: &Instance) -> Result<Vec<Outage>, Error> {
    let bad = |message: String| Error::Parse {
        path: origin.to_path_buf(),
        message,
    };
    let file: File =
        serde_json::from_str(text).map_err(|e| bad(format!("not a valid outages file: {e}")))?;
    let mut problems = Vec::new();
    let mut outages = Vec::new();
    for (i, r) in file.outages.iter().enumerate() {
        let what = format!("outage {} (device '{}')", i + 1, r.device);
        let device = instance.device_index(&r.device);
        if device.is_none() {
            problems.push(format!("{what}: no such device in the instance"));
        }
        if !(r.from.is_finite() && r.to.is_finite() && r.from >= 0.0 && r.from < r.to) {
            problems.push(format!(
                "{what}: needs 0 ≤ from < to, finite; got from {} to {}",
                r.from, r.to
            ));
        }
        if let Some(device) = device {
            outages.push(Outage {
                device,
                from: r.from,
                to: r.to,
            });
        }
    }
    if problems.is_empty() {
        Ok(outages)
    } else {
        Err(bad(problems.join("; ")))
    }
}
