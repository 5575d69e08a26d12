//! The process's memory limit: before building anything large (an MILP model, a time-indexed
//! grid, a dense tasks × devices table, a simulator's quantum ticks) hetsched estimates its size
//! and refuses with [`Error::TooLarge`] — or, in a portfolio, leaves that component out and says
//! so — rather than being killed by the operating system.
//!
//! The limit is process-wide (memory is): by default three quarters of the memory the process
//! may use (the smaller of the machine's RAM and the cgroup limit of a container); the CLI's
//! `--max-memory` and [`set_limit`] change it.

use crate::error::Error;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

/// The limit set by [`set_limit`] (0: the default).
static LIMIT: AtomicU64 = AtomicU64::new(0);

/// The limit when neither the machine nor a cgroup tells how much memory there is.
pub const FALLBACK_LIMIT: u64 = 8 << 30;

/// Set the limit in bytes (`None`: back to the default).
pub fn set_limit(bytes: Option<u64>) {
    LIMIT.store(bytes.unwrap_or(0), Ordering::Relaxed);
}

/// The limit in bytes.
pub fn limit() -> u64 {
    static DEFAULT: OnceLock<u64> = OnceLock::new();
    match LIMIT.load(Ordering::Relaxed) {
        0 => *DEFAULT.get_or_init(default_limit),
        set => set,
    }
}

/// Three quarters of the memory available to the process: the smaller of `MemTotal` in
/// `/proc/meminfo` and the cgroup v2 (`memory.max`) or v1 (`memory.limit_in_bytes`) limit;
/// [`FALLBACK_LIMIT`] where neither can be read.
pub fn default_limit() -> u64 {
    let total = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|text| {
            text.lines()
                .find_map(|l| l.strip_prefix("MemTotal:"))
                .and_then(|rest| {
                    rest.trim()
                        .trim_end_matches("kB")
                        .trim()
                        .parse::<u64>()
                        .ok()
                })
                .map(|kb| kb.saturating_mul(1024))
        });
    let cgroup = [
        "/sys/fs/cgroup/memory.max",
        "/sys/fs/cgroup/memory/memory.limit_in_bytes",
    ]
    .iter()
    .find_map(|p| std::fs::read_to_string(p).ok()?.trim().parse::<u64>().ok());
    match (total, cgroup) {
        (Some(a), Some(b)) => a.min(b) / 4 * 3,
        (Some(a), None) | (None, Some(a)) => a / 4 * 3,
        (None, None) => FALLBACK_LIMIT,
    }
}

/// `Ok` when `bytes` fit the limit; else [`Error::TooLarge`] naming `what`.
pub fn check(what: impl Into<String>, bytes: u64) -> Result<(), Error> {
    let limit = limit();
    if bytes <= limit {
        Ok(())
    } else {
        Err(Error::TooLarge {
            what: what.into(),
            needed: bytes,
            limit,
        })
    }
}

/// A byte count for people: `512 B`, `3.2 MB`, `41.0 GB` (decimal units).
pub fn human(bytes: u64) -> String {
    let b = bytes as f64;
    match bytes {
        u64::MAX => "more than 18 EB".into(),
        0..1_000 => format!("{bytes} B"),
        1_000..1_000_000 => format!("{:.1} kB", b / 1e3),
        1_000_000..1_000_000_000 => format!("{:.1} MB", b / 1e6),
        _ => format!("{:.1} GB", b / 1e9),
    }
}

/// A `--max-memory` value: a number of bytes with an optional unit `k`, `M`, `G` or `T` (powers
/// of 1024; a trailing `B`/`iB` is allowed), e.g. `512M`, `4G`, `2.5GiB`.
pub fn parse_size(text: &str) -> Result<u64, Error> {
    let t = text.trim();
    let bad = || {
        Error::Usage(format!(
            "--max-memory '{text}': expected a size such as 512M, 4G or 2.5GiB"
        ))
    };
    let body = t
        .strip_suffix("iB")
        .or_else(|| t.strip_suffix('B'))
        .unwrap_or(t);
    let (number, shift) = match body.chars().last() {
        Some('k' | 'K') => (&body[..body.len() - 1], 10),
        Some('m' | 'M') => (&body[..body.len() - 1], 20),
        Some('g' | 'G') => (&body[..body.len() - 1], 30),
        Some('t' | 'T') => (&body[..body.len() - 1], 40),
        _ => (body, 0),
    };
    let value: f64 = number.trim().parse().map_err(|_| bad())?;
    let bytes = value * (1u64 << shift) as f64;
    if !(bytes.is_finite() && bytes >= 1.0 && bytes < u64::MAX as f64) {
        return Err(bad());
    }
    Ok(bytes as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_with_binary_units() {
        assert_eq!(parse_size("512M").unwrap(), 512 << 20);
        assert_eq!(parse_size("4G").unwrap(), 4 << 30);
        assert_eq!(parse_size("2.5GiB").unwrap(), 5 << 29);
        assert_eq!(parse_size("1000").unwrap(), 1000);
        assert_eq!(parse_size("64kB").unwrap(), 64 << 10);
        for bad in ["", "G", "-1G", "0", "lots", "1e30T"] {
            assert!(parse_size(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_default_is_positive_and_a_refusal_names_what() {
        assert!(default_limit() > 0);
        let e = check("a model", u64::MAX).unwrap_err().to_string();
        assert!(e.contains("a model"), "{e}");
        assert_eq!(human(1_500_000), "1.5 MB");
    }
}
