//! Gavel deep-learning job traces with measured GPU throughputs (Narayanan et al., OSDI 2020).
//!
//! Two files make an instance:
//!
//! - a **throughputs** JSON file (Gavel's `simulation_throughputs.json`):
//!   `{gpu_type: {"('<job type>', <gpus>)": {"null": steps_per_second, …}, …}, …}`. The key is a
//!   Python tuple written as a string: the job type and its GPU count. `"null"` is the throughput
//!   of the whole k-GPU job running alone, in training steps per second (0: it cannot run there);
//!   the other entries (throughputs when sharing a GPU with another job) are not used. GPU types
//!   named `*_unconsolidated` (a job spread over several servers) are skipped.
//! - a **trace**: one job per line, 10 tab-separated fields: job type, command, working
//!   directory, steps flag, needs-data flag, **total steps**, **GPU count**, **priority weight**,
//!   SLO (−1: none), **arrival time** (seconds). Blank lines are skipped. The command, directory,
//!   flags and SLO are checked for shape only and not used.
//!
//! Mapping, for a cluster of N_w GPUs of each type w packed into nodes of G GPUs (default: 36 of
//! every type of the throughputs file, G = 8): the devices are the nodes, ⌈N_w / G⌉ per type,
//! with ids `w-0, w-1, …`, kind w and `resources` `{"gpu": G}` (the last node of a type gets the
//! remainder). Job number i of the trace (from 0, blank lines not counted) becomes task `job-i`
//! with `demand` `{"gpu": k}` (k its GPU count: it holds k GPUs of one node while it runs),
//! `times` by kind, `{w: total_steps / throughput[w][(type, k)]["null"]}` for every type w of the
//! cluster where that throughput is positive (a type where it is 0 or missing cannot run the job),
//! `release` = arrival time and `weight` = priority weight. Times are in seconds. The objective is
//! `makespan` (edit the file's `objective` for another one, e.g. `weighted_completion`); the
//! instance is named after the trace's file stem.

use crate::error::Error;
use crate::model::{Device, InstanceData, Task};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The resource every node offers and every job demands: GPUs.
pub const RESOURCE: &str = "gpu";
/// GPUs of each type in the default cluster (Gavel's 36:36:36).
pub const DEFAULT_GPUS_PER_TYPE: usize = 36;
/// GPUs per node by default.
pub const DEFAULT_GPUS_PER_NODE: usize = 8;
/// Most nodes a cluster may have (a guard against a mistyped GPU count).
pub const MAX_NODES: usize = 100_000;

/// The number of fields of a trace line.
const FIELDS: usize = 10;
/// What each trace field is, for errors.
const FIELD_NAMES: [&str; FIELDS] = [
    "job type",
    "command",
    "working directory",
    "steps flag",
    "needs-data flag",
    "total steps",
    "GPU count",
    "priority weight",
    "SLO",
    "arrival time",
];

/// Measured throughputs: for each GPU type, the steps per second of each (job type, GPU count)
/// running alone (the `"null"` entries of Gavel's file).
#[derive(Debug, Clone, PartialEq)]
pub struct Throughputs {
    /// The file they were read from (named in errors).
    pub origin: PathBuf,
    /// GPU type → (job type, GPU count) → steps per second (≥ 0).
    pub table: BTreeMap<String, BTreeMap<(String, u32), f64>>,
}

impl Throughputs {
    /// The GPU types, sorted (without the skipped `*_unconsolidated` ones).
    pub fn gpu_types(&self) -> Vec<String> {
        self.table.keys().cloned().collect()
    }

    /// The throughput of `job_type` with `gpus` GPUs on `gpu_type`, when measured.
    pub fn get(&self, gpu_type: &str, job_type: &str, gpus: u32) -> Option<f64> {
        self.table
            .get(gpu_type)?
            .get(&(job_type.to_string(), gpus))
            .copied()
    }
}

/// One job of a trace.
#[derive(Debug, Clone, PartialEq)]
pub struct TraceJob {
    /// Its line in the trace file, from 1.
    pub line: usize,
    /// The job type, as the throughputs file names it (`ResNet-50 (batch size 64)`).
    pub job_type: String,
    /// Training steps to run.
    pub total_steps: f64,
    /// GPUs it uses (its scale factor), all of one type.
    pub gpus: u32,
    /// Priority weight (≥ 0).
    pub priority_weight: f64,
    /// Service-level objective, `None` when the trace says −1 (or any negative value).
    pub slo: Option<f64>,
    /// Arrival time in seconds (≥ 0).
    pub arrival: f64,
}

/// A cluster: how many GPUs of each type, and how many GPUs a node holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cluster {
    /// (GPU type, GPU count) in device order; a count may be 0 (no node of that type).
    pub gpus: Vec<(String, usize)>,
    /// GPUs per node (≥ 1).
    pub gpus_per_node: usize,
}

impl Cluster {
    /// `count` GPUs of each of `types`, in nodes of `gpus_per_node`.
    pub fn uniform(types: &[String], count: usize, gpus_per_node: usize) -> Cluster {
        Cluster {
            gpus: types.iter().map(|t| (t.clone(), count)).collect(),
            gpus_per_node,
        }
    }

    /// Parse a `TYPE=N,TYPE=N,…` specification (`v100=36,p100=36,k80=36`), in nodes of
    /// `gpus_per_node`. Errors are [`Error::Usage`]: an entry that is not `TYPE=N`, a count that
    /// is not a non-negative integer, a type named twice, a cluster without any GPU, a
    /// `gpus_per_node` of 0.
    pub fn parse(spec: &str, gpus_per_node: usize) -> Result<Cluster, Error> {
        let usage = |m: String| Error::Usage(format!("--cluster {spec}: {m}"));
        if gpus_per_node == 0 {
            return Err(Error::Usage("--gpus-per-node must be at least 1".into()));
        }
        let mut gpus: Vec<(String, usize)> = Vec::new();
        for entry in spec.split(',').map(str::trim).filter(|e| !e.is_empty()) {
            let (name, count) = entry
                .split_once('=')
                .map(|(a, b)| (a.trim(), b.trim()))
                .filter(|(a, _)| !a.is_empty())
                .ok_or_else(|| {
                    usage(format!(
                        "'{entry}' is not TYPE=N (a GPU type and its number of GPUs)"
                    ))
                })?;
            let count: usize = count.parse().map_err(|_| {
                usage(format!(
                    "'{count}' (for {name}) is not a non-negative integer"
                ))
            })?;
            if gpus.iter().any(|(n, _)| n == name) {
                return Err(usage(format!("{name} is named twice")));
            }
            gpus.push((name.to_string(), count));
        }
        let cluster = Cluster {
            gpus,
            gpus_per_node,
        };
        if cluster.gpus.iter().all(|&(_, c)| c == 0) {
            return Err(usage("the cluster has no GPU".into()));
        }
        Ok(cluster)
    }

    /// The nodes: (id, GPU type, GPUs), ⌈N / G⌉ per type, the last one holding the remainder.
    pub fn nodes(&self) -> Vec<(String, String, usize)> {
        let g = self.gpus_per_node.max(1);
        let mut out = Vec::new();
        for (w, count) in &self.gpus {
            for i in 0..count.div_ceil(g) {
                out.push((format!("{w}-{i}"), w.clone(), g.min(count - i * g)));
            }
        }
        out
    }
}

/// Read a throughputs file (see [`parse_throughputs`]).
pub fn read_throughputs(path: &Path) -> Result<Throughputs, Error> {
    let text = super::read_text(path)?;
    parse_throughputs(&text, path)
}

/// Read a Python tuple key `('<job type>', <gpus>)` (either quote); `None` when it is not one.
fn parse_key(key: &str) -> Option<(String, u32)> {
    let inner = key.trim().strip_prefix('(')?.strip_suffix(')')?;
    let (name, count) = inner.rsplit_once(',')?;
    let count: u32 = count.trim().parse().ok().filter(|&k| k >= 1)?;
    let name = name.trim();
    let quote = name.chars().next().filter(|&q| q == '\'' || q == '"')?;
    let name = name.strip_prefix(quote)?.strip_suffix(quote)?;
    if name.is_empty() {
        return None;
    }
    Some((name.replace("\\'", "'").replace("\\\\", "\\"), count))
}

/// Parse a throughputs JSON text (see the [module](self) docs); `origin` names the source in
/// errors.
///
/// Errors are [`Error::Parse`] naming `origin`: text that is not JSON; a top level, GPU type or
/// entry that is not an object; a key that is not a `('<job type>', <gpus>)` tuple (gpus ≥ 1),
/// or names a tuple already read; an entry without a `"null"` throughput, or whose `"null"` is
/// not a finite number ≥ 0; no GPU type left once `*_unconsolidated` ones are skipped.
pub fn parse_throughputs(text: &str, origin: &Path) -> Result<Throughputs, Error> {
    let fail = |message: String| Error::Parse {
        path: origin.to_path_buf(),
        message,
    };
    if text.trim().is_empty() {
        return Err(fail("the file is empty".into()));
    }
    let value: serde_json::Value = serde_json::from_str(text)
        .map_err(|e| fail(format!("not a valid JSON throughputs file: {e}")))?;
    let top = value.as_object().ok_or_else(|| {
        fail("expected an object {gpu_type: {\"('<job type>', <gpus>)\": {\"null\": …}}}".into())
    })?;
    let mut table = BTreeMap::new();
    for (gpu_type, entries) in top {
        if gpu_type.ends_with("_unconsolidated") {
            continue;
        }
        let entries = entries
            .as_object()
            .ok_or_else(|| fail(format!("GPU type '{gpu_type}': expected an object")))?;
        let mut rows = BTreeMap::new();
        for (key, entry) in entries {
            let at = |m: &str| fail(format!("GPU type '{gpu_type}', key \"{key}\": {m}"));
            let parsed = parse_key(key)
                .ok_or_else(|| at("not a ('<job type>', <gpus>) tuple with gpus ≥ 1"))?;
            let null = entry
                .as_object()
                .ok_or_else(|| at("expected an object with a \"null\" throughput"))?
                .get("null")
                .ok_or_else(|| at("no \"null\" throughput"))?;
            let tp = null
                .as_f64()
                .filter(|v| v.is_finite() && *v >= 0.0)
                .ok_or_else(|| {
                    at(&format!(
                        "the \"null\" throughput {null} is not a number ≥ 0"
                    ))
                })?;
            if rows.insert(parsed, tp).is_some() {
                return Err(at("names a (job type, GPUs) pair already listed"));
            }
        }
        table.insert(gpu_type.clone(), rows);
    }
    if table.is_empty() {
        return Err(fail(
            "no GPU type (other than *_unconsolidated ones, which are skipped)".into(),
        ));
    }
    Ok(Throughputs {
        origin: origin.to_path_buf(),
        table,
    })
}

/// Read a trace file (see [`parse_trace`]).
pub fn read_trace(path: &Path) -> Result<Vec<TraceJob>, Error> {
    let text = super::read_text(path)?;
    parse_trace(&text, path)
}

/// Parse a trace text (see the [module](self) docs); `origin` names the source in errors.
///
/// Errors are [`Error::Parse`] naming `origin` and the line: a line without exactly 10
/// tab-separated fields; an empty job type; total steps, priority weight or arrival time that is
/// not a finite number ≥ 0; a GPU count that is not an integer ≥ 1; an SLO that is not a number;
/// a trace without any job.
pub fn parse_trace(text: &str, origin: &Path) -> Result<Vec<TraceJob>, Error> {
    let fail = |message: String| Error::Parse {
        path: origin.to_path_buf(),
        message,
    };
    let mut jobs = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        if raw.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = raw.split('\t').collect();
        if fields.len() != FIELDS {
            return Err(fail(format!(
                "line {line}: {} tab-separated field(s), expected {FIELDS} ({})",
                fields.len(),
                FIELD_NAMES.join(", ")
            )));
        }
        let field = |k: usize| fields[k].trim();
        let bad = |k: usize, what: &str| {
            let v = field(k);
            let v = match v.char_indices().nth(40) {
                Some((cut, _)) => format!("{}…", &v[..cut]),
                None => v.to_string(),
            };
            fail(format!(
                "line {line}: field {} ({}) '{v}' {what}",
                k + 1,
                FIELD_NAMES[k]
            ))
        };
        let non_negative = |k: usize| {
            field(k)
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite() && *v >= 0.0)
                .ok_or_else(|| bad(k, "is not a number ≥ 0"))
        };
        let job_type = field(0);
        if job_type.is_empty() {
            return Err(fail(format!("line {line}: field 1 (job type) is empty")));
        }
        let total_steps = non_negative(5)?;
        let gpus = field(6)
            .parse::<u32>()
            .ok()
            .filter(|&k| k >= 1)
            .ok_or_else(|| bad(6, "is not an integer ≥ 1"))?;
        let priority_weight = non_negative(7)?;
        let slo = field(8)
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .ok_or_else(|| bad(8, "is not a number"))?;
        let arrival = non_negative(9)?;
        jobs.push(TraceJob {
            line,
            job_type: job_type.to_string(),
            total_steps,
            gpus,
            priority_weight,
            slo: (slo >= 0.0).then_some(slo),
            arrival,
        });
    }
    if jobs.is_empty() {
        return Err(fail("the trace holds no job".into()));
    }
    Ok(jobs)
}

/// Build the instance of `jobs` (read from `trace`) on `cluster`, with the throughputs `tp` (see
/// the [module](self) docs).
///
/// Errors: a cluster GPU type that the throughputs file does not have ([`Error::Usage`] naming
/// that file and listing its types), a `gpus_per_node` of 0, a cluster without GPU or with more
/// than [`MAX_NODES`] nodes ([`Error::Usage`]); a job that no GPU type of the cluster can run (no
/// positive throughput for its type and GPU count) or that needs more GPUs than any node of a type
/// that can run it holds ([`Error::Parse`] naming `trace` and the job's line).
pub fn convert(
    jobs: &[TraceJob],
    trace: &Path,
    tp: &Throughputs,
    cluster: &Cluster,
) -> Result<InstanceData, Error> {
    let g = cluster.gpus_per_node;
    if g == 0 {
        return Err(Error::Usage("--gpus-per-node must be at least 1".into()));
    }
    for (w, _) in &cluster.gpus {
        if !tp.table.contains_key(w) {
            return Err(Error::Usage(format!(
                "--cluster: GPU type '{w}' is not in {} (its types: {})",
                tp.origin.display(),
                tp.gpu_types().join(", ")
            )));
        }
    }
    if cluster.gpus.iter().all(|&(_, c)| c == 0) {
        return Err(Error::Usage("--cluster: the cluster has no GPU".into()));
    }
    let nodes: usize = cluster.gpus.iter().map(|(_, c)| c.div_ceil(g)).sum();
    if nodes > MAX_NODES {
        return Err(Error::Usage(format!(
            "the cluster would have {nodes} nodes, more than {MAX_NODES}: check --cluster and \
             --gpus-per-node"
        )));
    }
    let devices: Vec<Device> = cluster
        .nodes()
        .into_iter()
        .map(|(id, kind, gpus)| {
            let mut d = Device::new(id);
            d.kind = Some(kind);
            d.resources = Some(BTreeMap::from([(RESOURCE.to_string(), gpus as f64)]));
            d
        })
        .collect();
    // The largest node of each type present.
    let largest: BTreeMap<&str, usize> = cluster
        .gpus
        .iter()
        .filter(|(_, c)| *c > 0)
        .map(|(w, c)| (w.as_str(), (*c).min(g)))
        .collect();

    let mut tasks = Vec::with_capacity(jobs.len());
    for (i, job) in jobs.iter().enumerate() {
        let id = format!("job-{i}");
        let what = format!(
            "line {} ({id}): '{}' with {} GPU(s)",
            job.line, job.job_type, job.gpus
        );
        let fail = |m: String| Error::Parse {
            path: trace.to_path_buf(),
            message: format!("{what} {m}"),
        };
        let mut times = BTreeMap::new();
        let mut measured = Vec::new();
        for &w in largest.keys() {
            match tp.get(w, &job.job_type, job.gpus) {
                Some(v) if v > 0.0 => {
                    times.insert(w.to_string(), job.total_steps / v);
                }
                Some(_) => measured.push(format!("{w}: throughput 0")),
                None => measured.push(format!("{w}: not measured")),
            }
        }
        if times.is_empty() {
            return Err(fail(format!(
                "can run on no GPU type of the cluster: {} has no positive throughput for it \
                 ({})",
                tp.origin.display(),
                measured.join("; ")
            )));
        }
        let fits = times.keys().map(|w| largest[w.as_str()]).max().unwrap_or(0);
        if job.gpus as usize > fits {
            return Err(fail(format!(
                "fits on no node: the largest node of a GPU type that runs it ({}) has {fits} \
                 GPU(s) (nodes hold at most {g}: see --gpus-per-node and --cluster)",
                times.keys().cloned().collect::<Vec<_>>().join(", ")
            )));
        }
        tasks.push(Task {
            work: None,
            times: Some(times),
            weight: job.priority_weight,
            release: job.arrival,
            demand: BTreeMap::from([(RESOURCE.to_string(), job.gpus as f64)]),
            ..Task::new(id, 0.0)
        });
    }
    Ok(InstanceData {
        name: Some(
            trace
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| "gavel".into()),
        ),
        objective: Some("makespan".into()),
        devices,
        tasks,
        network: None,
    })
}

/// Read a trace and a throughputs file and build the instance on `cluster` (by default
/// [`DEFAULT_GPUS_PER_TYPE`] GPUs of every type of the throughputs file, in nodes of
/// [`DEFAULT_GPUS_PER_NODE`]); see [`convert`] for the errors.
pub fn read(
    trace: &Path,
    throughputs: &Path,
    cluster: Option<&Cluster>,
) -> Result<InstanceData, Error> {
    let tp = read_throughputs(throughputs)?;
    let jobs = read_trace(trace)?;
    let default;
    let cluster = match cluster {
        Some(c) => c,
        None => {
            default = Cluster::uniform(
                &tp.gpu_types(),
                DEFAULT_GPUS_PER_TYPE,
                DEFAULT_GPUS_PER_NODE,
            );
            &default
        }
    };
    convert(&jobs, trace, &tp, cluster)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TP: &str = r#"{
        "v100": {"('ResNet-50 (batch size 64)', 1)": {"null": 4.0, "('A3C', 1)": [1.0, 2.0]},
                 "('ResNet-50 (batch size 64)', 4)": {"null": 10.0},
                 "('A3C', 1)": {"null": 0}},
        "k80": {"('ResNet-50 (batch size 64)', 1)": {"null": 1.0},
                "('A3C', 1)": {"null": 2.5}},
        "v100_unconsolidated": {"garbage": 1}
    }"#;

    fn tp() -> Throughputs {
        parse_throughputs(TP, Path::new("tp.json")).unwrap()
    }

    fn line(ty: &str, steps: &str, gpus: &str, weight: &str, arrival: &str) -> String {
        format!(
            "{ty}\tpython3 main.py\tdir\t--steps\t1\t{steps}\t{gpus}\t{weight}\t-1.000000\t{arrival}"
        )
    }

    fn trace_err(text: &str) -> String {
        parse_trace(text, Path::new("t.trace"))
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn tuple_keys() {
        assert_eq!(
            parse_key("('ResNet-50 (batch size 64)', 4)"),
            Some(("ResNet-50 (batch size 64)".into(), 4))
        );
        assert_eq!(parse_key(" (\"it's\",1) "), Some(("it's".into(), 1)));
        assert_eq!(parse_key("('a, b', 2)"), Some(("a, b".into(), 2)));
        assert_eq!(parse_key("('x\\'y', 2)"), Some(("x'y".into(), 2)));
        for bad in [
            "('A3C', 0)",
            "(A3C, 1)",
            "('A3C')",
            "'A3C', 1",
            "('', 1)",
            "('A3C', x)",
        ] {
            assert_eq!(parse_key(bad), None, "{bad}");
        }
    }

    #[test]
    fn throughputs_are_read_and_unconsolidated_types_skipped() {
        let t = tp();
        assert_eq!(t.gpu_types(), ["k80", "v100"]);
        assert_eq!(t.get("v100", "ResNet-50 (batch size 64)", 4), Some(10.0));
        assert_eq!(t.get("v100", "A3C", 1), Some(0.0));
        assert_eq!(t.get("k80", "ResNet-50 (batch size 64)", 4), None);
    }

    #[test]
    fn bad_throughputs_are_named() {
        let err = |text: &str| {
            parse_throughputs(text, Path::new("tp.json"))
                .unwrap_err()
                .to_string()
        };
        assert!(err("").contains("tp.json: the file is empty"));
        assert!(err("{").contains("not a valid JSON throughputs file"));
        assert!(err("[]").contains("expected an object"));
        assert!(err(r#"{"v100": 3}"#).contains("GPU type 'v100': expected an object"));
        let m = err(r#"{"v100": {"A3C": {"null": 1}}}"#);
        assert!(
            m.contains("GPU type 'v100', key \"A3C\": not a ('<job type>', <gpus>) tuple"),
            "{m}"
        );
        assert!(err(r#"{"v100": {"('A3C', 1)": {}}}"#).contains("no \"null\" throughput"));
        assert!(err(r#"{"v100": {"('A3C', 1)": 2}}"#).contains("expected an object with"));
        let m = err(r#"{"v100": {"('A3C', 1)": {"null": -1}}}"#);
        assert!(
            m.contains("the \"null\" throughput -1 is not a number ≥ 0"),
            "{m}"
        );
        let m = err(r#"{"v100": {"('A3C', 1)": {"null": 1}, "( 'A3C',1)": {"null": 1}}}"#);
        assert!(m.contains("already listed"), "{m}");
        assert!(err(r#"{"v100_unconsolidated": {}}"#).contains("no GPU type"));
    }

    #[test]
    fn traces_are_read() {
        let text = format!(
            "{}\r\n\n{}\n",
            line("A3C", "100", "1", "2", "0"),
            line("ResNet-50 (batch size 64)", "2931", "4", "1", "12.5")
        );
        let jobs = parse_trace(&text, Path::new("t.trace")).unwrap();
        assert_eq!(jobs.len(), 2);
        assert_eq!(
            jobs[1],
            TraceJob {
                line: 3,
                job_type: "ResNet-50 (batch size 64)".into(),
                total_steps: 2931.0,
                gpus: 4,
                priority_weight: 1.0,
                slo: None,
                arrival: 12.5,
            }
        );
        assert_eq!(jobs[0].priority_weight, 2.0);
    }

    #[test]
    fn bad_traces_are_named() {
        assert!(trace_err("\n \n").contains("t.trace: the trace holds no job"));
        let m = trace_err("a\tb\tc\n");
        assert!(
            m.contains("line 1: 3 tab-separated field(s), expected 10 (job type, command"),
            "{m}"
        );
        let m = trace_err(&format!("\n{}", line("A3C", "1e", "1", "1", "0")));
        assert!(
            m.contains("line 2: field 6 (total steps) '1e' is not a number ≥ 0"),
            "{m}"
        );
        assert!(trace_err(&line("A3C", "-5", "1", "1", "0")).contains("'-5' is not a number ≥ 0"));
        assert!(
            trace_err(&line("A3C", "5", "0", "1", "0"))
                .contains("field 7 (GPU count) '0' is not an integer ≥ 1")
        );
        assert!(trace_err(&line("A3C", "5", "1.5", "1", "0")).contains("'1.5' is not an integer"));
        assert!(
            trace_err(&line("A3C", "5", "1", "nan", "0")).contains("field 8 (priority weight)")
        );
        assert!(trace_err(&line("A3C", "5", "1", "1", "inf")).contains("field 10 (arrival time)"));
        assert!(trace_err(&line(" ", "5", "1", "1", "0")).contains("field 1 (job type) is empty"));
        let m = trace_err(&line("A3C", "5", "1", "1", "0").replace("-1.000000", "none"));
        assert!(m.contains("field 9 (SLO) 'none' is not a number"), "{m}");
    }

    #[test]
    fn clusters() {
        let c = Cluster::parse("v100=20, k80=3,p100=0", 8).unwrap();
        assert_eq!(
            c.gpus,
            [("v100".into(), 20), ("k80".into(), 3), ("p100".into(), 0)]
        );
        let nodes: Vec<(String, usize)> = c.nodes().into_iter().map(|(id, _, g)| (id, g)).collect();
        assert_eq!(
            nodes,
            [
                ("v100-0".into(), 8),
                ("v100-1".into(), 8),
                ("v100-2".into(), 4),
                ("k80-0".into(), 3)
            ]
        );
        let err = |s: &str, g: usize| Cluster::parse(s, g).unwrap_err().to_string();
        assert!(err("v100", 8).contains("'v100' is not TYPE=N"));
        assert!(err("=3", 8).contains("'=3' is not TYPE=N"));
        assert!(err("v100=-1", 8).contains("'-1' (for v100) is not a non-negative integer"));
        assert!(err("v100=1,v100=2", 8).contains("v100 is named twice"));
        assert!(err("v100=0", 8).contains("the cluster has no GPU"));
        assert!(err("", 8).contains("the cluster has no GPU"));
        assert!(err("v100=1", 0).contains("--gpus-per-node must be at least 1"));
    }

    #[test]
    fn converts_jobs_to_tasks_on_nodes() {
        let text = format!(
            "{}\n{}\n",
            line("A3C", "100", "1", "2", "7"),
            line("ResNet-50 (batch size 64)", "200", "4", "1", "0")
        );
        let jobs = parse_trace(&text, Path::new("dir/my.trace")).unwrap();
        let cluster = Cluster::parse("v100=5,k80=2", 4).unwrap();
        let d = convert(&jobs, Path::new("dir/my.trace"), &tp(), &cluster).unwrap();
        assert_eq!(d.name.as_deref(), Some("my"));
        assert_eq!(d.objective.as_deref(), Some("makespan"));
        let devs: Vec<(&str, &str, f64)> = d
            .devices
            .iter()
            .map(|x| {
                (
                    x.id.as_str(),
                    x.kind(),
                    x.resources.as_ref().unwrap()["gpu"],
                )
            })
            .collect();
        assert_eq!(
            devs,
            [
                ("v100-0", "v100", 4.0),
                ("v100-1", "v100", 1.0),
                ("k80-0", "k80", 2.0)
            ]
        );
        // A3C: throughput 0 on v100, so k80 only.
        let t = &d.tasks[0];
        assert_eq!(t.id, "job-0");
        assert_eq!(t.work, None);
        assert_eq!(t.times, Some(BTreeMap::from([("k80".to_string(), 40.0)])));
        assert_eq!((t.release, t.weight), (7.0, 2.0));
        assert_eq!(t.demand, BTreeMap::from([("gpu".to_string(), 1.0)]));
        // 4 GPUs: measured on v100 only (200 / 10).
        let t = &d.tasks[1];
        assert_eq!(t.times, Some(BTreeMap::from([("v100".to_string(), 20.0)])));
        assert_eq!(t.demand["gpu"], 4.0);
        let inst = crate::Instance::new(d).unwrap();
        assert_eq!(inst.eligible(1), &[0]);
    }

    #[test]
    fn jobs_that_cannot_run_are_named() {
        let conv = |text: String, spec: &str, g: usize| {
            let jobs = parse_trace(&text, Path::new("my.trace")).unwrap();
            let cluster = Cluster::parse(spec, g).unwrap();
            convert(&jobs, Path::new("my.trace"), &tp(), &cluster)
                .unwrap_err()
                .to_string()
        };
        let ok = line("A3C", "1", "1", "1", "0");
        let m = conv(
            format!("{ok}\n\n{}", line("A3C", "1", "1", "1", "0")),
            "v100=8",
            8,
        );
        assert!(
            m.contains("my.trace: line 1 (job-0): 'A3C' with 1 GPU(s) can run on no GPU type of the cluster: tp.json has no positive throughput for it (v100: throughput 0)"),
            "{m}"
        );
        let m = conv(
            format!("{ok}\n\n{}", line("Nope", "1", "2", "1", "0")),
            "k80=8,v100=8",
            8,
        );
        assert!(
            m.contains("line 3 (job-1): 'Nope' with 2 GPU(s) can run on no GPU type"),
            "{m}"
        );
        assert!(m.contains("k80: not measured; v100: not measured"), "{m}");
        let m = conv(
            line("ResNet-50 (batch size 64)", "1", "4", "1", "0"),
            "v100=8,k80=8",
            2,
        );
        assert!(m.contains("'ResNet-50 (batch size 64)' with 4 GPU(s) fits on no node: the largest node of a GPU type that runs it (v100) has 2 GPU(s)"), "{m}");
        let m = conv(ok.clone(), "a100=8", 8);
        assert!(
            m.contains("--cluster: GPU type 'a100' is not in tp.json (its types: k80, v100)"),
            "{m}"
        );
        let m = conv(ok, "v100=100000000", 1);
        assert!(m.contains("100000000 nodes"), "{m}");
    }
}
