//! Workflow importers (issue 13): `convert --from wfcommons` and `--from dax` on the bundled
//! workflows of `instances/workflows/` (valid instances, every greedy list scheduler's schedule
//! accepted by the checker), edge data summed by hand on tiny files, devices files with speed
//! rules, `--ccr` reaching the asked ratio, and bad input (exit 2, the problem named).

mod common;

use common::{assert_bad_input, run};

use hetsched::{Instance, InstanceData, SolveOptions};
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/instances/workflows");

const WORKFLOWS: [(&str, &str, usize, usize); 4] = [
    ("wfcommons", "helloworld-forkjoin-10-chameleon.json", 10, 16),
    ("wfcommons", "srasearch-chameleon-10a-001.json", 22, 30),
    ("dax", "Montage_25.xml", 25, 45),
    ("dax", "CyberShake_30.xml", 30, 52),
];

/// `convert --from FORMAT FILE EXTRA…` to standard output, asserting success; the instance data.
fn convert(format: &str, file: &Path, extra: &[&str]) -> InstanceData {
    let mut args: Vec<&OsStr> = vec!["convert".as_ref(), "--from".as_ref(), format.as_ref()];
    args.push(file.as_os_str());
    args.extend(extra.iter().map(OsStr::new));
    let (code, stdout, stderr) = run(&args);
    assert_eq!(code, Some(0), "{args:?}: {stderr}");
    assert!(stderr.contains("CCR"), "the summary line: {stderr}");
    serde_json::from_str(&stdout).expect("the instance JSON")
}

fn scratch(dir: &Path, name: &str, content: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    path
}

/// The edges of an instance as (parent, child, data).
fn edges(data: &InstanceData) -> Vec<(String, String, Option<f64>)> {
    data.tasks
        .iter()
        .flat_map(|t| {
            t.after
                .iter()
                .map(|a| (a.task.clone(), t.id.clone(), a.data))
        })
        .collect()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

#[test]
fn bundled_workflows_convert_and_every_list_scheduler_is_checked() {
    for (format, file, tasks, n_edges) in WORKFLOWS {
        for ccr in [None, Some("1")] {
            let extra: Vec<&str> = ccr.map_or(vec![], |r| vec!["--ccr", r]);
            let data = convert(format, &Path::new(DIR).join(file), &extra);
            assert_eq!(data.tasks.len(), tasks, "{file}");
            assert_eq!(edges(&data).len(), n_edges, "{file}");
            assert_eq!(data.devices.len(), 6, "{file}: the default device set");
            let inst = Instance::new(data).unwrap();
            assert!(inst.has_transfers(), "{file}");
            if ccr.is_some() {
                assert!(close(inst.ccr().unwrap(), 1.0), "{file}: {:?}", inst.ccr());
            }
            for solver in ["heft", "cpop", "peft", "best-greedy"] {
                let report = hetsched::solve::by_name(solver)
                    .unwrap()
                    .solve(&inst, &SolveOptions::default())
                    .unwrap();
                let s = report.schedule.expect("a schedule");
                let v = s.violations(&inst);
                assert!(v.is_empty(), "{file} {solver} {ccr:?}: {v:?}");
            }
        }
    }
}

const TINY_DAX: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<adag xmlns="http://pegasus.isi.edu/schema/DAX" version="2.1">
  <job id="A" name="split" runtime="10">
    <uses file="in" link="input" size="123"/>
    <uses file="x" link="output" size="1500000"/>
    <uses file="y" link="output" size="500000"/>
  </job>
  <job id="B" name="work" runtime="20">
    <uses file="x" link="input" size="1400000"/>
    <uses file="y" link="input" size="500000"/>
    <uses file="z" link="output" size="250000"/>
  </job>
  <job id="C" name="work" runtime="4">
    <uses file="y" link="input" size="500000"/>
  </job>
  <job id="D" name="merge" runtime="8">
    <uses file="z" link="input" size="250000"/>
  </job>
  <child ref="B"><parent ref="A"/></child>
  <child ref="C"><parent ref="A"/></child>
  <child ref="D"><parent ref="B"/><parent ref="C"/></child>
</adag>
"#;

const TINY_WFC: &str = r#"{"name": "tiny", "schemaVersion": "1.5", "workflow": {
  "specification": {
    "tasks": [
      {"name": "split", "id": "A", "parents": [], "children": ["B", "C"], "inputFiles": ["in"], "outputFiles": ["x", "y"]},
      {"name": "work", "id": "B", "parents": ["A"], "children": ["D"], "inputFiles": ["x", "y"], "outputFiles": ["z"]},
      {"name": "work", "id": "C", "parents": ["A"], "children": ["D"], "inputFiles": ["y"], "outputFiles": []},
      {"name": "merge", "id": "D", "parents": ["B", "C"], "children": [], "inputFiles": ["z"], "outputFiles": []}
    ],
    "files": [{"id": "in", "sizeInBytes": 123}, {"id": "x", "sizeInBytes": 1500000},
              {"id": "y", "sizeInBytes": 500000}, {"id": "z", "sizeInBytes": 250000}]
  },
  "execution": {"makespanInSeconds": 42, "tasks": [
      {"id": "A", "runtimeInSeconds": 10}, {"id": "B", "runtimeInSeconds": 20},
      {"id": "C", "runtimeInSeconds": 4}, {"id": "D", "runtimeInSeconds": 8}]}
}}"#;

#[test]
fn edge_data_are_the_shared_files_in_megabytes() {
    let dir = tempfile::tempdir().unwrap();
    for (format, name, text) in [
        ("dax", "tiny.xml", TINY_DAX),
        ("wfcommons", "tiny.json", TINY_WFC),
    ] {
        let data = convert(format, &scratch(dir.path(), name, text), &[]);
        // A → B: x (1.5 MB, the size A writes) + y (0.5 MB); A → C: y; B → D: z; C → D: no
        // shared file, a plain precedence.
        let expected = [
            ("A", "B", Some(2.0)),
            ("A", "C", Some(0.5)),
            ("B", "D", Some(0.25)),
            ("C", "D", None),
        ];
        let got = edges(&data);
        assert_eq!(got.len(), 4, "{name}");
        for ((p, c, d), (ep, ec, ed)) in got.iter().zip(expected) {
            assert_eq!((p.as_str(), c.as_str()), (ep, ec), "{name}");
            match (d, ed) {
                (Some(d), Some(ed)) => assert!(close(*d, ed), "{name} {p}->{c}: {d} vs {ed}"),
                _ => assert_eq!(*d, ed, "{name} {p}->{c}"),
            }
        }
        assert_eq!(data.name.as_deref(), Some("tiny"));
        assert_eq!(data.tasks[1].work, Some(20.0));
        let net = data.network.as_ref().unwrap();
        assert_eq!((net.bandwidth, net.latency), (125.0, 0.0));
        // With the default devices (4 at speed 1, 2 at speed 4) the mean task time is
        // (10+20+4+8)/4 × (4 + 2/4)/6 = 7.875; the mean edge (2+0.5+0.25)/3 MB at 125 MB/s.
        let ccr = Instance::new(data).unwrap().ccr().unwrap();
        assert!(close(ccr, (2.75 / 3.0 / 125.0) / 7.875), "{ccr}");
    }
}

#[test]
fn a_devices_file_sets_speeds_rules_and_the_network() {
    let dir = tempfile::tempdir().unwrap();
    let dax = scratch(dir.path(), "tiny.xml", TINY_DAX);
    let devices = scratch(
        dir.path(),
        "cluster.toml",
        r#"
devices = [
  {id = "cpu-0", kind = "cpu"},
  {id = "cpu-1", kind = "cpu", speed = 2},
  {id = "gpu-0", kind = "gpu", speed = 5},
]
network = {bandwidth = 10, latency = 0.5, links = [{between = ["gpu", "cpu"], bandwidth = 2}]}
speeds = [{tasks = "work", kind = "gpu", speed = 40}, {tasks = "nothing*", kind = "cpu", speed = 1}]
"#,
    );
    let d = devices.to_str().unwrap();
    let (code, stdout, stderr) = run([
        "convert",
        "--from",
        "dax",
        dax.to_str().unwrap(),
        "--devices",
        d,
        "--latency",
        "0.25",
    ]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stderr.contains("speed rule #2 (tasks 'nothing*'"),
        "{stderr}"
    );
    let data: InstanceData = serde_json::from_str(&stdout).unwrap();
    assert_eq!(data.devices.len(), 3);
    let net = data.network.as_ref().unwrap();
    assert_eq!(
        (net.bandwidth, net.latency, net.links.len()),
        (10.0, 0.25, 1)
    );
    // B and C ("work") run 40× faster on the GPU; on the CPUs, whose speeds differ, by id.
    let b = &data.tasks[1];
    let times = b.times.as_ref().unwrap();
    assert_eq!(times.len(), 3, "{times:?}");
    assert_eq!(
        (times["gpu"], times["cpu-0"], times["cpu-1"]),
        (0.5, 20.0, 10.0)
    );
    assert_eq!(data.tasks[0].work, Some(10.0));
    assert!(data.tasks[0].times.is_none());
    let inst = Instance::new(data).unwrap();
    assert_eq!(inst.ptime(1, 2), 0.5);
    assert_eq!(inst.ptime(0, 2), 2.0);
    // JSON devices files too, and --bandwidth overrides the file's default bandwidth.
    let json = scratch(
        dir.path(),
        "cluster.json",
        r#"{"devices": [{"id": "a", "kind": "cpu"}, {"id": "b", "kind": "cpu", "speed": 3}]}"#,
    );
    let data = convert(
        "dax",
        &dax,
        &["--devices", json.to_str().unwrap(), "--bandwidth", "50"],
    );
    assert_eq!(data.network.unwrap().bandwidth, 50.0);
}

#[test]
fn ccr_reaches_the_asked_ratio() {
    let dir = tempfile::tempdir().unwrap();
    let devices = scratch(
        dir.path(),
        "d.toml",
        r#"
devices = [{id = "c0", kind = "cpu"}, {id = "c1", kind = "cpu"}, {id = "g0", kind = "gpu", speed = 4}]
network = {bandwidth = 100, latency = 0.01, links = [{between = ["cpu", "cpu"], bandwidth = 1000}]}
"#,
    );
    for (format, file, _, _) in WORKFLOWS {
        for ccr in ["0.1", "1", "5"] {
            let data = convert(
                format,
                &Path::new(DIR).join(file),
                &["--devices", devices.to_str().unwrap(), "--ccr", ccr],
            );
            let net = data.network.clone().unwrap();
            // The links keep their ratio to the default bandwidth, the latency is kept.
            assert!(close(net.links[0].bandwidth.unwrap() / net.bandwidth, 10.0));
            assert_eq!(net.latency, 0.01);
            let got = Instance::new(data).unwrap().ccr().unwrap();
            let want: f64 = ccr.parse().unwrap();
            assert!(
                (got - want).abs() <= 1e-6 * want,
                "{file} --ccr {ccr}: {got}"
            );
        }
    }
}

#[test]
fn bad_workflows_and_options_exit_2_naming_the_problem() {
    let dir = tempfile::tempdir().unwrap();
    let p = |name: &str, text: &str| scratch(dir.path(), name, text);
    let arg = |p: &PathBuf| p.to_str().unwrap().to_string();
    // WfCommons.
    let f = p(
        "no-runtime.json",
        &TINY_WFC.replace(r#"{"id": "C", "runtimeInSeconds": 4}, "#, ""),
    );
    assert_bad_input(
        &["convert", "--from", "wfcommons", &arg(&f)],
        &["no-runtime.json", "task 'C'", "workflow.execution.tasks"],
    );
    let f = p(
        "parent.json",
        &TINY_WFC.replace(r#""parents": ["B", "C"]"#, r#""parents": ["B", "X"]"#),
    );
    assert_bad_input(
        &["convert", "--from", "wfcommons", &arg(&f)],
        &["parent.json", "task 'D': parent 'X'"],
    );
    let f = p(
        "file.json",
        &TINY_WFC.replace(r#""inputFiles": ["z"]"#, r#""inputFiles": ["w"]"#),
    );
    assert_bad_input(
        &["convert", "--from", "wfcommons", &arg(&f)],
        &["file.json", "task 'D'", "file 'w'"],
    );
    let f = p(
        "size.json",
        &TINY_WFC.replace(r#""sizeInBytes": 250000"#, r#""sizeInBytes": -1"#),
    );
    assert_bad_input(
        &["convert", "--from", "wfcommons", &arg(&f)],
        &["size.json", "file 'z'", "sizeInBytes"],
    );
    let f = p("broken.json", "{\"workflow\": {\n\"specification\": [}");
    assert_bad_input(
        &["convert", "--from", "wfcommons", &arg(&f)],
        &["broken.json", "line 2"],
    );
    // A cycle: D → A.
    let f = p(
        "cycle.json",
        &TINY_WFC.replace(
            r#""id": "A", "parents": []"#,
            r#""id": "A", "parents": ["D"]"#,
        ),
    );
    assert_bad_input(
        &["convert", "--from", "wfcommons", &arg(&f)],
        &["cycle.json", "cycle"],
    );
    // DAX.
    let f = p(
        "unclosed.xml",
        &TINY_DAX.replace("</job>\n  <job id=\"C\"", "\n  <job id=\"C\""),
    );
    assert_bad_input(
        &["convert", "--from", "dax", &arg(&f)],
        &["unclosed.xml", "not valid XML"],
    );
    let f = p(
        "runtime.xml",
        &TINY_DAX.replace(r#"runtime="4""#, r#"runtime="-4""#),
    );
    assert_bad_input(
        &["convert", "--from", "dax", &arg(&f)],
        &["runtime.xml", "line 13: job 'C': runtime '-4'"],
    );
    let f = p(
        "ref.xml",
        &TINY_DAX.replace(r#"<parent ref="C"/>"#, r#"<parent ref="E"/>"#),
    );
    assert_bad_input(
        &["convert", "--from", "dax", &arg(&f)],
        &["ref.xml", "line 21", "parent 'E' of job 'D'"],
    );
    let f = p(
        "size.xml",
        &TINY_DAX.replace(
            r#"size="250000"/>
  </job>
  <job id="C""#,
            r#"/>
  </job>
  <job id="C""#,
        ),
    );
    assert_bad_input(
        &["convert", "--from", "dax", &arg(&f)],
        &["size.xml", "job 'B': file 'z' has no size"],
    );
    // Devices files and options.
    let dax = p("tiny.xml", TINY_DAX);
    let d = p("typo.toml", "devices = [{id = \"a\", sped = 2}]\n");
    assert_bad_input(
        &[
            "convert",
            "--from",
            "dax",
            &arg(&dax),
            "--devices",
            &arg(&d),
        ],
        &["typo.toml", "sped"],
    );
    let d = p(
        "rule.toml",
        "devices = [{id = \"a\"}]\nspeeds = [{tasks = \"*\", kind = \"gpu\", speed = 2}]\n",
    );
    assert_bad_input(
        &[
            "convert",
            "--from",
            "dax",
            &arg(&dax),
            "--devices",
            &arg(&d),
        ],
        &["rule.toml", "speed rule #1", "'gpu'"],
    );
    let d = p("zero.json", r#"{"devices": [{"id": "a", "speed": 0}]}"#);
    assert_bad_input(
        &[
            "convert",
            "--from",
            "dax",
            &arg(&dax),
            "--devices",
            &arg(&d),
        ],
        &["tiny.xml on", "zero.json", "speed"],
    );
    assert_bad_input(
        &["convert", "--from", "dax", &arg(&dax), "--bandwidth", "0"],
        &["tiny.xml", "bandwidth must be > 0"],
    );
    assert_bad_input(
        &["convert", "--from", "dax", &arg(&dax), "--ccr", "-1"],
        &["tiny.xml", "--ccr -1", "> 0"],
    );
    assert_bad_input(
        &[
            "convert",
            "--from",
            "dax",
            &arg(&dax),
            "--latency",
            "100",
            "--ccr",
            "0.5",
        ],
        &["tiny.xml", "latency alone"],
    );
    let etc = Path::new(env!("CARGO_MANIFEST_DIR")).join("instances/braun-512x16/u_c_hihi.0");
    assert_bad_input(
        &[
            "convert",
            "--from",
            "etc",
            etc.to_str().unwrap(),
            "--ccr",
            "1",
        ],
        &["--ccr only applies to --from wfcommons and dax"],
    );
}

#[test]
fn the_ccr_bench_set_is_the_bundled_workflows_converted_at_their_ratio() {
    for (format, file, _, _) in WORKFLOWS {
        let stem = file.rsplit_once('.').unwrap().0;
        for ccr in ["0.1", "1", "10"] {
            let name = format!("{stem}-ccr{ccr}");
            let source = Path::new(DIR).join(file);
            let converted = convert(format, &source, &["--ccr", ccr, "--name", &name]);
            let path = Path::new(DIR).join("ccr").join(format!("{name}.json"));
            let shipped: InstanceData =
                serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            assert_eq!(
                serde_json::to_value(&converted).unwrap(),
                serde_json::to_value(&shipped).unwrap(),
                "{name}"
            );
            let inst = Instance::new(shipped).unwrap();
            let ratio = inst.ccr().unwrap();
            let asked: f64 = ccr.parse().unwrap();
            assert!(close(ratio, asked), "{name}: CCR {ratio}");
        }
    }
}
