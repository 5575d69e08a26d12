//! The importers of instances with shared resources: PSPLIB single-mode RCPSP files
//! (`convert --from psplib`, the `psplib` set format of `instances/psplib-j30` and
//! `instances/psplib-j120`) and Gavel traces with measured throughputs (`convert --from gavel`,
//! `instances/gavel`): what the files become, that every shipped file loads, that no schedule
//! beats a proven optimum, and bad input through the command line (exit 2, the file named).

mod common;

use common::run;

use hetsched::bench::set::InstanceSet;
use hetsched::io::{gavel, psplib};
use hetsched::solve::{self, SolveOptions};
use hetsched::{Instance, InstanceData};
use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn j30() -> PathBuf {
    root().join("instances/psplib-j30")
}

fn gavel_dir() -> PathBuf {
    root().join("instances/gavel")
}

/// `args` must exit 2 without a panic and print nothing on standard output, with one line on
/// standard error holding every `expect` string.
fn assert_bad_input<S: AsRef<OsStr>>(args: &[S], expect: &[&str]) {
    let stderr = common::assert_bad_input(args, expect);
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
}

/// A scratch directory holding `name` with the given content.
fn scratch(name: &str, content: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join(name);
    std::fs::write(&path, content).unwrap();
    (tmp, path)
}

// ---------------------------------------------------------------------------------------------
// PSPLIB
// ---------------------------------------------------------------------------------------------

/// Four real jobs, three resources, the layout of PSPLIB's files: 2 → 4, 3 → 4, 3 → 5, with
/// edges from the supersource (1) and to the sink (6).
const SMALL_SM: &str = "\
************************************************************************
file with basedata            : small.bas
************************************************************************
projects                      :  1
jobs (incl. supersource/sink ):  6
horizon                       :  12
RESOURCES
  - renewable                 :  3   R
  - nonrenewable              :  0   N
  - doubly constrained        :  0   D
************************************************************************
PRECEDENCE RELATIONS:
jobnr.    #modes  #successors   successors
   1        1          2           2   3
   2        1          1           4
   3        1          2           4   5
   4        1          1           6
   5        1          1           6
   6        1          0
************************************************************************
REQUESTS/DURATIONS:
jobnr. mode duration  R 1  R 2  R 3
------------------------------------------------------------------------
  1      1     0       0    0    0
  2      1     3       2    0    1
  3      1     4       0    5    0
  4      1     0       0    0    0
  5      1     5       1    1    1
  6      1     0       0    0    0
************************************************************************
RESOURCEAVAILABILITIES:
  R 1  R 2  R 3
    2    5    1
************************************************************************
";

fn demand(pairs: &[(&str, f64)]) -> BTreeMap<String, f64> {
    pairs.iter().map(|&(k, v)| (k.to_string(), v)).collect()
}

#[test]
fn a_small_project_becomes_one_shared_device() {
    let d = psplib::parse(SMALL_SM, Path::new("x/small.sm")).unwrap();
    assert_eq!(d.name.as_deref(), Some("small"));
    assert_eq!(d.objective.as_deref(), Some("makespan"));
    assert_eq!(d.devices.len(), 1);
    assert_eq!(d.devices[0].id, psplib::DEVICE_ID);
    assert_eq!(
        d.devices[0].resources,
        Some(demand(&[("R1", 2.0), ("R2", 5.0), ("R3", 1.0)]))
    );
    let rows: Vec<(&str, Option<f64>, Vec<&str>)> = d
        .tasks
        .iter()
        .map(|t| {
            (
                t.id.as_str(),
                t.work,
                t.after.iter().map(|a| a.task.as_str()).collect(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("j2", Some(3.0), vec![]),
            ("j3", Some(4.0), vec![]),
            ("j4", Some(0.0), vec!["j2", "j3"]),
            ("j5", Some(5.0), vec!["j3"]),
        ]
    );
    assert_eq!(d.tasks[0].demand, demand(&[("R1", 2.0), ("R3", 1.0)]));
    assert_eq!(d.tasks[1].demand, demand(&[("R2", 5.0)]));
    assert_eq!(d.tasks[2].demand, demand(&[("R1", 0.0)])); // shares, holds nothing
    assert_eq!(
        d.tasks[3].demand,
        demand(&[("R1", 1.0), ("R2", 1.0), ("R3", 1.0)])
    );
    let inst = Instance::new(d).unwrap();
    assert!(inst.has_sharing());
    assert!((0..4).all(|t| !inst.is_exclusive(t)));
    // j2 and j5 both need all of R3, so they cannot overlap; j3 needs all of R2, so j5 waits for
    // it: j3 [0,4), then j5 [4,9); j2 fits beside j3. Optimum 9; the best greedy schedule too.
    let report = solve::by_name("best-greedy")
        .unwrap()
        .solve(&inst, &SolveOptions::default())
        .unwrap();
    let schedule = report.schedule.unwrap();
    assert!(schedule.violations(&inst).is_empty());
    assert_eq!(report.value, Some(9.0));
}

#[test]
fn j301_1_matches_the_file() {
    let d = psplib::read(&j30().join("j301_1.sm")).unwrap();
    assert_eq!(d.name.as_deref(), Some("j301_1"));
    assert_eq!(d.tasks.len(), 30);
    assert_eq!(
        d.devices[0].resources,
        Some(demand(&[
            ("R1", 12.0),
            ("R2", 13.0),
            ("R3", 4.0),
            ("R4", 12.0)
        ]))
    );
    let task = |id: &str| d.tasks.iter().find(|t| t.id == id).unwrap();
    // Requests: `2 1 8 4 0 0 0`, `17 1 6 0 0 0 8`, `31 1 2 0 0 2 0`.
    assert_eq!(task("j2").work, Some(8.0));
    assert_eq!(task("j2").demand, demand(&[("R1", 4.0)]));
    assert_eq!(task("j17").work, Some(6.0));
    assert_eq!(task("j17").demand, demand(&[("R4", 8.0)]));
    assert_eq!(task("j31").demand, demand(&[("R3", 2.0)]));
    // Predecessors, from the successor lists: 5 ← 4; 20 ← 5, 11, 18; 2 ← the supersource only.
    assert!(task("j2").after.is_empty());
    assert_eq!(task("j5").after, ["j4"]);
    assert_eq!(task("j20").after, ["j5", "j11", "j18"]);
    assert_eq!(task("j22").after, ["j16", "j17", "j18"]);
    // 42 edges between real jobs (the 3 edges from the source and the 3 to the sink dropped).
    assert_eq!(d.tasks.iter().map(|t| t.after.len()).sum::<usize>(), 42);
    assert_eq!(d.tasks.first().unwrap().id, "j2");
    assert_eq!(d.tasks.last().unwrap().id, "j31");
}

#[test]
fn the_psplib_sets_load_with_their_references() {
    let set = InstanceSet::open(j30()).unwrap();
    let all = set.load().unwrap();
    assert_eq!(all.len(), 480);
    for b in &all {
        let inst = b.instance.as_ref().unwrap();
        assert_eq!(inst.num_tasks(), 30, "{}", b.id);
        assert!(inst.has_sharing());
        let r = b.reference.unwrap();
        assert!(r.optimal, "{}", b.id);
    }
    let j301_1 = all.iter().find(|b| b.id == "j301_1").unwrap();
    assert_eq!(j301_1.reference.unwrap().value, 43.0);

    let set = InstanceSet::open(root().join("instances/psplib-j120")).unwrap();
    let all = set.load().unwrap();
    assert_eq!(all.len(), 120);
    assert!(
        all.iter()
            .all(|b| b.instance.as_ref().unwrap().num_tasks() == 120)
    );
    let optimal = all.iter().filter(|b| b.reference.unwrap().optimal).count();
    assert_eq!(optimal, 60);
    let find = |id: &str| all.iter().find(|b| b.id == id).unwrap().reference.unwrap();
    assert_eq!(
        (find("j1201_1").value, find("j1201_1").optimal),
        (105.0, false)
    );
    assert_eq!(
        (find("j1201_2").value, find("j1201_2").optimal),
        (109.0, true)
    );
}

#[test]
fn greedy_schedules_never_beat_the_j30_optima() {
    let set = InstanceSet::open(j30()).unwrap();
    let solver = solve::by_name("best-greedy").unwrap();
    let mut reached = 0;
    for b in set.load().unwrap() {
        let inst = b.instance.unwrap();
        let report = solver.solve(&inst, &SolveOptions::default()).unwrap();
        let schedule = report.schedule.unwrap();
        assert!(schedule.violations(&inst).is_empty(), "{}", b.id);
        let value = report.value.unwrap();
        let opt = b.reference.unwrap().value;
        assert!(value >= opt, "{}: {value} below the optimum {opt}", b.id);
        reached += usize::from(value == opt);
    }
    assert!(reached > 0);
}

#[test]
fn convert_from_psplib_writes_a_loadable_instance() {
    let file = j30().join("j301_1.sm");
    let (code, stdout, stderr) = run([
        OsStr::new("convert"),
        OsStr::new("--from"),
        OsStr::new("psplib"),
        file.as_os_str(),
    ]);
    assert_eq!(code, Some(0), "{stderr}");
    let data: InstanceData = serde_json::from_str(&stdout).unwrap();
    assert_eq!(data, psplib::read(&file).unwrap());
    Instance::new(data).unwrap();
    // TOML output, named.
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("p.toml");
    let (code, _, stderr) = run([
        OsStr::new("convert"),
        OsStr::new("--from"),
        OsStr::new("psplib"),
        file.as_os_str(),
        OsStr::new("--name"),
        OsStr::new("p"),
        OsStr::new("--out"),
        out.as_os_str(),
    ]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stderr.contains("30 tasks, 1 devices"), "{stderr}");
    let inst = hetsched::io::read_instance(&out).unwrap();
    assert_eq!((inst.name(), inst.num_tasks()), ("p", 30));
}

#[test]
fn bad_psplib_input_exits_2_naming_the_file() {
    // (file, its text, the message expected besides the file's name)
    let cases = [
        (
            "bad.sm",
            SMALL_SM.replace(
                "   3        1          2           4   5",
                "   3        1          3           4   5",
            ),
            "job 3: 3 successors announced, 2 listed",
        ),
        (
            "nr.sm",
            SMALL_SM.replace("nonrenewable              :  0", "nonrenewable :  2"),
            "2 nonrenewable resource(s): only renewable resources are supported",
        ),
        (
            "over.sm",
            SMALL_SM.replace(
                "  3      1     4       0    5    0",
                "  3      1     4       0    6    0",
            ),
            "job 3: demands 6 of R2 but its capacity is 5",
        ),
        // A cycle passes the parser and is named by validation, with the file.
        (
            "cycle.sm",
            SMALL_SM.replace(
                "   4        1          1           6",
                "   4        1          2           6   2",
            ),
            "cycle",
        ),
        ("empty.sm", String::new(), "the file is empty"),
    ];
    for (file, text, message) in &cases {
        let (_tmp, f) = scratch(file, text);
        let name = f.to_str().unwrap();
        assert_bad_input(&["convert", "--from", "psplib", name], &[name, message]);
    }
    assert_bad_input(
        &["convert", "--from", "psplib", "no/such/file.sm"],
        &["no/such/file.sm"],
    );
    // Options of other formats are refused.
    let j = j30().join("j301_1.sm");
    let j = j.to_str().unwrap();
    assert_bad_input(
        &["convert", "--from", "psplib", j, "--problem", "1"],
        &["--problem only applies to --from orlib-gap and orlib-wt"],
    );
    assert_bad_input(
        &["convert", "--from", "psplib", j, "--cluster", "v100=8"],
        &["--cluster only applies to --from gavel"],
    );
}

#[test]
fn bench_attaches_the_psplib_references() {
    let (code, stdout, stderr) = run([
        "bench",
        j30().join("j301_1.sm").to_str().unwrap(),
        root()
            .join("instances/psplib-j120/j1201_1.sm")
            .to_str()
            .unwrap(),
        "--solvers",
        "best-greedy",
        "--format",
        "csv",
    ]);
    assert_eq!(code, Some(0), "{stderr}");
    let rows: Vec<Vec<&str>> = stdout.lines().map(|l| l.split(',').collect()).collect();
    let col = |name: &str| rows[0].iter().position(|h| *h == name).unwrap();
    let (id, reference, optimal) = (col("instance"), col("reference"), col("reference_optimal"));
    assert_eq!(rows.len(), 3, "{stdout}");
    assert_eq!(
        (rows[1][id], rows[1][reference], rows[1][optimal]),
        ("j301_1", "43.0", "true")
    );
    assert_eq!(
        (rows[2][id], rows[2][reference], rows[2][optimal]),
        ("j1201_1", "105.0", "false")
    );
}

// ---------------------------------------------------------------------------------------------
// Gavel
// ---------------------------------------------------------------------------------------------

fn throughputs() -> PathBuf {
    gavel_dir().join("simulation_throughputs.json")
}

/// The `"null"` throughput of (job type, gpus) on `gpu`, straight from the JSON file.
fn null_throughput(json: &serde_json::Value, gpu: &str, job_type: &str, gpus: u32) -> f64 {
    json[gpu][format!("('{job_type}', {gpus})")]["null"]
        .as_f64()
        .unwrap()
}

/// Equal up to a few units in the last place: serde_json's default float parser may read a
/// printed `f64` back one unit off.
fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-12 * a.abs().max(b.abs())
}

#[test]
fn the_bundled_gavel_instance_is_what_convert_writes() {
    let trace = gavel_dir().join("artifact_evaluation.trace");
    let (code, stdout, stderr) = run([
        OsStr::new("convert"),
        OsStr::new("--from"),
        OsStr::new("gavel"),
        trace.as_os_str(),
        OsStr::new("--throughputs"),
        throughputs().as_os_str(),
        OsStr::new("--name"),
        OsStr::new("artifact-evaluation"),
    ]);
    assert_eq!(code, Some(0), "{stderr}");
    let bundled = std::fs::read_to_string(gavel_dir().join("artifact-evaluation.json")).unwrap();
    assert_eq!(stdout, bundled);

    let data: InstanceData = serde_json::from_str(&stdout).unwrap();
    // 36 GPUs of each type in nodes of 8: 8, 8, 8, 8, 4 per type.
    assert_eq!(data.devices.len(), 15);
    for w in ["k80", "p100", "v100"] {
        let gpus: Vec<f64> = data
            .devices
            .iter()
            .filter(|d| d.kind() == w)
            .map(|d| d.resources.as_ref().unwrap()["gpu"])
            .collect();
        assert_eq!(gpus, [8.0, 8.0, 8.0, 8.0, 4.0], "{w}");
    }
    assert_eq!(data.devices[0].id, "k80-0");
    // Every job, against the trace and the throughputs read here independently.
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(throughputs()).unwrap()).unwrap();
    let text = std::fs::read_to_string(&trace).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!((lines.len(), data.tasks.len()), (15, 15));
    for (i, (line, task)) in lines.iter().zip(&data.tasks).enumerate() {
        let f: Vec<&str> = line.split('\t').collect();
        let (steps, gpus): (f64, u32) = (f[5].parse().unwrap(), f[6].parse().unwrap());
        assert_eq!(task.id, format!("job-{i}"));
        assert_eq!(task.demand, demand(&[("gpu", gpus as f64)]));
        assert_eq!(task.release, f[9].parse::<f64>().unwrap());
        assert_eq!(task.weight, f[7].parse::<f64>().unwrap());
        let times = task.times.as_ref().unwrap();
        for w in ["k80", "p100", "v100"] {
            let tp = null_throughput(&json, w, f[0], gpus);
            match times.get(w) {
                Some(&t) => assert!(close(t, steps / tp), "job-{i} on {w}: {t}"),
                None => assert_eq!(tp, 0.0, "job-{i} on {w}"),
            }
        }
    }
    // Job 0: ResNet-50 (batch size 64), 1 GPU, 2931 steps.
    let v100 = null_throughput(&json, "v100", "ResNet-50 (batch size 64)", 1);
    assert!(close(
        data.tasks[0].times.as_ref().unwrap()["v100"],
        2931.0 / v100
    ));
    let inst = Instance::new(data).unwrap();
    assert!(inst.has_sharing());
    // The set holds the converted traces.
    let set = InstanceSet::open(gavel_dir()).unwrap().load().unwrap();
    let ids: Vec<&str> = set.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(ids, ["artifact-evaluation", "minimize-makespan"]);
}

#[test]
fn every_bundled_trace_converts_on_a_custom_cluster() {
    for trace in [
        "minimize_makespan",
        "max_min_fairness",
        "artifact_evaluation",
    ] {
        let path = gavel_dir().join(format!("{trace}.trace"));
        let cluster = gavel::Cluster::parse("v100=6,p100=4,k80=10", 4).unwrap();
        let data = gavel::read(&path, &throughputs(), Some(&cluster)).unwrap();
        let ids: Vec<&str> = data.devices.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(
            ids,
            ["v100-0", "v100-1", "p100-0", "k80-0", "k80-1", "k80-2"],
            "{trace}"
        );
        assert_eq!(data.name.as_deref(), Some(trace));
        let inst = Instance::new(data).unwrap();
        let report = solve::by_name("best-greedy")
            .unwrap()
            .solve(&inst, &SolveOptions::default())
            .unwrap();
        assert!(
            report.schedule.unwrap().violations(&inst).is_empty(),
            "{trace}"
        );
    }
    let all = gavel::read_trace(&gavel_dir().join("max_min_fairness.trace")).unwrap();
    assert_eq!(all.len(), 96);
    assert_eq!(all.iter().map(|j| j.arrival).fold(0.0, f64::max), 46317.0);
}

#[test]
fn bad_gavel_input_exits_2_naming_the_file() {
    let tp = throughputs();
    let tp = tp.to_str().unwrap();
    let trace = gavel_dir().join("minimize_makespan.trace");
    let trace = trace.to_str().unwrap();
    assert_bad_input(
        &["convert", "--from", "gavel", trace],
        &[
            trace,
            "--from gavel needs the measured throughputs: --throughputs FILE",
        ],
    );
    // Nodes of 2 GPUs cannot hold a 4-GPU job: the first is on line 10.
    assert_bad_input(
        &[
            "convert",
            "--from",
            "gavel",
            trace,
            "--throughputs",
            tp,
            "--gpus-per-node",
            "2",
        ],
        &[
            trace,
            "line 10 (job-9): 'Transformer (batch size 16)' with 4 GPU(s) fits on no node",
        ],
    );
    assert_bad_input(
        &[
            "convert",
            "--from",
            "gavel",
            trace,
            "--throughputs",
            tp,
            "--cluster",
            "a100=8",
        ],
        &[
            "--cluster: GPU type 'a100' is not in",
            tp,
            "(its types: k80, p100, v100)",
        ],
    );
    assert_bad_input(
        &[
            "convert",
            "--from",
            "gavel",
            trace,
            "--throughputs",
            tp,
            "--cluster",
            "v100",
        ],
        &["--cluster v100: 'v100' is not TYPE=N"],
    );
    assert_bad_input(
        &[
            "convert",
            "--from",
            "gavel",
            trace,
            "--throughputs",
            tp,
            "--gpus-per-node",
            "0",
        ],
        &["--gpus-per-node must be at least 1"],
    );
    // A truncated line, an unknown job type.
    let text = std::fs::read_to_string(gavel_dir().join("artifact_evaluation.trace")).unwrap();
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    let cut = lines[2].rsplit_once('\t').unwrap().0.to_string();
    lines[2] = cut;
    let (_tmp, f) = scratch("cut.trace", &lines.join("\n"));
    let name = f.to_str().unwrap();
    assert_bad_input(
        &["convert", "--from", "gavel", name, "--throughputs", tp],
        &[name, "line 3: 9 tab-separated field(s), expected 10"],
    );
    let (_tmp, f) = scratch(
        "odd.trace",
        &text.replacen("ResNet-50 (batch size 64)", "ResNet-51", 1),
    );
    let name = f.to_str().unwrap();
    assert_bad_input(
        &["convert", "--from", "gavel", name, "--throughputs", tp],
        &[
            name,
            "line 1 (job-0): 'ResNet-51' with 1 GPU(s) can run on no GPU type",
            "k80: not measured",
        ],
    );
    // A broken throughputs file is named.
    let (_tmp, bad_tp) = scratch("tp.json", r#"{"v100": {"ResNet": {"null": 1}}}"#);
    let bad = bad_tp.to_str().unwrap();
    assert_bad_input(
        &["convert", "--from", "gavel", trace, "--throughputs", bad],
        &[
            bad,
            "GPU type 'v100', key \"ResNet\": not a ('<job type>', <gpus>) tuple",
        ],
    );
    // Gavel's options belong to gavel.
    assert_bad_input(
        &["convert", "--from", "etc", trace, "--throughputs", tp],
        &["--throughputs only applies to --from gavel"],
    );
    assert_bad_input(
        &["convert", "--from", "psplib", trace, "--gpus-per-node", "4"],
        &["--gpus-per-node only applies to --from gavel"],
    );
}

/// `milp` proves the optimum of a j30 file, and its note says how (`reason`).
fn assert_j30_proven(file: &str, optimum: f64, seconds: u64, reason: &str) {
    use hetsched::solve::milp::Milp;
    use hetsched::{Instance, SolveOptions, Solver, Status};
    let options = SolveOptions {
        time_limit: Some(std::time::Duration::from_secs(seconds)),
        ..SolveOptions::default()
    };
    let inst = Instance::new(psplib::read(&j30().join(file)).unwrap()).unwrap();
    let report = Milp::default().solve(&inst, &options).unwrap();
    let msg = report.message.clone().unwrap();
    assert_eq!(report.status, Status::Optimal, "{msg}");
    assert_eq!(report.value, Some(optimum), "{msg}");
    assert!(msg.contains(reason), "{msg}");
    let s = report.schedule.as_ref().unwrap();
    assert!(s.violations(&inst).is_empty());
}

#[test]
fn milp_proves_a_j30_optimum_by_propagation() {
    // j301_1 (optimum 43): one unit below the warm start, propagation empties a window.
    assert_j30_proven("j301_1.sm", 43.0, 10, "proven optimal by propagation");
}

#[test]
fn milp_proves_a_tight_j30_optimum_by_the_search() {
    // j3045_1 (optimum 82, a tightly constrained class): the rules and shaving leave it open;
    // the precedence tree with the cutset memory refutes 81 (about 20,000 nodes, 2 s).
    assert_j30_proven("j3045_1.sm", 82.0, 60, "dominated) found none");
}
