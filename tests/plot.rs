//! Pictures: the Gantt chart of `plot` and `solve --gantt` parsed as XML and checked for its
//! structure (a bar per assignment or run segment, a lane per device grouped by kind, axis
//! ticks, legend, profiles, marks, arrows), the HTML page for self-containment, determinism,
//! and bad input.

mod common;

use common::{assert_bad_input, run};
use hetsched::io::ScheduleFile;
use hetsched::plot::{self, GanttOptions};
use hetsched::{Assignment, Device, Instance, InstanceData, Schedule, Task};
use std::path::{Path, PathBuf};

const DEMO: &str = "instances/examples/ai-cluster.json";
const NODES: &str = "instances/examples/gpu-nodes.json";

fn path(dir: &Path, name: &str) -> String {
    dir.join(name).display().to_string()
}

/// Solve `instance` with `solver`, writing the schedule and the chart; return both files' text.
fn solve_and_draw(
    dir: &Path,
    instance: &str,
    chart: &str,
    extra: &[&str],
) -> (ScheduleFile, String) {
    let out = path(dir, "plan.json");
    let gantt = path(dir, chart);
    let mut args = vec!["solve", instance, "--out", &out, "--gantt", &gantt];
    args.extend_from_slice(extra);
    let (code, stdout, stderr) = run(&args);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.contains("Gantt chart written to"), "{stdout}");
    let file = ScheduleFile::read(&out).unwrap();
    (file, std::fs::read_to_string(&gantt).unwrap())
}

fn has_class(n: &roxmltree::Node, class: &str) -> bool {
    n.attribute("class")
        .is_some_and(|c| c.split_whitespace().any(|x| x == class))
}

fn count(doc: &roxmltree::Document, tag: &str, class: &str) -> usize {
    doc.descendants()
        .filter(|n| n.has_tag_name(tag) && has_class(n, class))
        .count()
}

/// The `<svg>…</svg>` of an HTML page.
fn svg_of(html: &str) -> &str {
    let start = html.find("<svg").expect("an svg in the page");
    let end = html.rfind("</svg>").expect("the svg closes") + "</svg>".len();
    &html[start..end]
}

#[test]
fn the_demo_plan_has_a_bar_per_task_a_lane_per_device_an_axis_and_a_legend() {
    let dir = tempfile::tempdir().unwrap();
    let (file, svg) = solve_and_draw(dir.path(), DEMO, "plan.svg", &["--arrows"]);
    let doc = roxmltree::Document::parse(&svg).expect("well-formed SVG");
    let inst = hetsched::io::read_instance(DEMO).unwrap();
    assert_eq!(doc.root_element().tag_name().name(), "svg");

    // One bar per assignment, each on the lane of its device, with the task's id.
    let bars: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("rect") && has_class(n, "bar"))
        .collect();
    assert_eq!(bars.len(), file.assignments.len());
    for r in &file.assignments {
        let bar = bars
            .iter()
            .find(|b| b.attribute("data-task") == Some(r.task.as_str()))
            .unwrap_or_else(|| panic!("no bar for {}", r.task));
        assert_eq!(bar.attribute("data-device"), Some(r.device.as_str()));
        let lane = bar.ancestors().find(|a| has_class(a, "lane")).unwrap();
        assert_eq!(lane.attribute("data-device"), Some(r.device.as_str()));
        let tip = bar.children().find(|c| c.has_tag_name("title")).unwrap();
        let tip = tip.text().unwrap();
        assert!(
            tip.starts_with(&format!("{} on {}", r.task, r.device)),
            "{tip}"
        );
        assert!(tip.contains("start") && tip.contains("end") && tip.contains("weight"));
    }

    // A lane per device, inside a group per kind, in file order within the kind.
    let lanes: Vec<&str> = doc
        .descendants()
        .filter(|n| has_class(n, "lane"))
        .map(|n| n.attribute("data-device").unwrap())
        .collect();
    assert_eq!(
        lanes,
        ["h100-0", "a100-0", "a100-1", "v100-0", "cpu-0", "cpu-1"]
    );
    let kinds: Vec<&str> = doc
        .descendants()
        .filter(|n| has_class(n, "kind"))
        .map(|n| n.attribute("data-kind").unwrap())
        .collect();
    assert_eq!(kinds, ["h100", "a100", "v100", "cpu"]);

    // Axis: at least 3 ticks with increasing numeric labels, covering the makespan.
    let labels: Vec<f64> = doc
        .descendants()
        .filter(|n| has_class(n, "tick-label"))
        .map(|n| n.text().unwrap().parse::<f64>().unwrap())
        .collect();
    assert!(labels.len() >= 3, "{labels:?}");
    assert!(labels.windows(2).all(|w| w[0] < w[1]));
    let makespan = file.metrics.as_ref().unwrap().makespan;
    assert!(labels[0] <= 0.0 && *labels.last().unwrap() >= makespan);
    assert_eq!(count(&doc, "line", "tick"), labels.len());

    // Legend: every family, plus release, due and precedence entries.
    let keys: Vec<&str> = doc
        .descendants()
        .filter(|n| has_class(n, "legend-item"))
        .map(|n| n.attribute("data-key").unwrap())
        .collect();
    for t in inst.tasks() {
        assert!(keys.contains(&plot::family(&t.id).as_str()), "{keys:?}");
    }
    for k in ["release", "due", "precedence"] {
        assert!(keys.contains(&k), "{keys:?}");
    }

    // Marks and arrows: one release mark per released task, one due mark per due date in
    // range, one arrow per precedence edge.
    let released = inst.tasks().iter().filter(|t| t.release > 0.0).count();
    assert_eq!(count(&doc, "line", "release"), released);
    assert!(count(&doc, "line", "due") >= 1);
    let edges: usize = (0..inst.num_tasks()).map(|t| inst.preds(t).len()).sum();
    assert_eq!(count(&doc, "path", "arrow"), edges);
}

#[test]
fn shared_devices_get_a_profile_per_resource_and_overlapping_bars_separate_rows() {
    let dir = tempfile::tempdir().unwrap();
    let (file, svg) = solve_and_draw(dir.path(), NODES, "plan.svg", &[]);
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let inst = hetsched::io::read_instance(NODES).unwrap();
    assert_eq!(count(&doc, "rect", "bar"), file.assignments.len());
    let offered: usize = (0..inst.num_devices())
        .filter(|&d| inst.offers_resources(d))
        .map(|d| {
            (0..inst.num_resources())
                .filter(|&k| inst.resource_capacity(d, k) > 0.0)
                .count()
        })
        .sum();
    assert!(offered > 0);
    assert_eq!(count(&doc, "g", "profile"), offered);
    assert_eq!(count(&doc, "path", "usage"), offered);
    // Bars that overlap in time on one device do not overlap on the page.
    let bars: Vec<(f64, f64, f64, f64)> = doc
        .descendants()
        .filter(|n| n.has_tag_name("rect") && has_class(n, "bar"))
        .map(|n| {
            let f = |a: &str| n.attribute(a).unwrap().parse::<f64>().unwrap();
            (f("x"), f("y"), f("width"), f("height"))
        })
        .collect();
    for (i, a) in bars.iter().enumerate() {
        for b in &bars[i + 1..] {
            let apart_x = a.0 + a.2 <= b.0 + 0.01 || b.0 + b.2 <= a.0 + 0.01;
            let apart_y = a.1 + a.3 <= b.1 + 0.01 || b.1 + b.3 <= a.1 + 0.01;
            assert!(apart_x || apart_y, "{a:?} overlaps {b:?}");
        }
    }
    // Without profiles: none.
    let (_, svg) = solve_and_draw(dir.path(), NODES, "bare.svg", &["--no-profiles"]);
    let doc = roxmltree::Document::parse(&svg).unwrap();
    assert_eq!(count(&doc, "g", "profile"), 0);
}

#[test]
fn a_preemptive_schedule_gets_a_bar_per_run_segment() {
    let dir = tempfile::tempdir().unwrap();
    let inst = path(dir.path(), "i.json");
    std::fs::write(
        &inst,
        r#"{"devices": [{"id": "gpu0"}],
            "tasks": [{"id": "long", "work": 10}, {"id": "short", "work": 2, "release": 1}]}"#,
    )
    .unwrap();
    let sched = path(dir.path(), "s.json");
    let (code, _, stderr) = run(["simulate", &inst, "--policy", "srpt", "--out", &sched]);
    assert_eq!(code, Some(0), "{stderr}");
    let file = ScheduleFile::read(&sched).unwrap();
    assert!(file.preemptive && file.assignments.len() == 3, "{file:?}");
    let html = path(dir.path(), "s.html");
    let (code, stdout, stderr) = run(["plot", &sched, "--instance", &inst, "--out", &html]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.contains("wrote"));
    let page = std::fs::read_to_string(&html).unwrap();
    let doc = roxmltree::Document::parse(svg_of(&page)).unwrap();
    let long: Vec<_> = doc
        .descendants()
        .filter(|n| has_class(n, "bar") && n.attribute("data-task") == Some("long"))
        .collect();
    assert_eq!(long.len(), 2, "two segments of the preempted job");
    assert_eq!(count(&doc, "rect", "bar"), 3);
}

#[test]
fn the_html_page_is_self_contained_with_a_tooltip_per_bar() {
    let dir = tempfile::tempdir().unwrap();
    let (file, page) = solve_and_draw(dir.path(), DEMO, "plan.html", &[]);
    assert!(page.starts_with("<!DOCTYPE html>"));
    let lower = page.to_ascii_lowercase();
    for external in [
        "http:", "https:", "src=", "<link", "@import", "url(http", "//cdn",
    ] {
        assert!(
            !lower.contains(external),
            "the page loads something: {external}"
        );
    }
    assert!(page.contains("<script>") && page.contains("id=\"tip\""));
    let doc = roxmltree::Document::parse(svg_of(&page)).unwrap();
    let inst = hetsched::io::read_instance(DEMO).unwrap();
    let bars: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("rect") && has_class(n, "bar"))
        .collect();
    assert_eq!(bars.len(), file.assignments.len());
    for b in bars {
        let task = inst.task(inst.task_index(b.attribute("data-task").unwrap()).unwrap());
        let tip = b.children().find(|c| c.has_tag_name("title")).unwrap();
        let tip = tip.text().unwrap();
        for word in ["on", "start", "end", "weight"] {
            assert!(tip.contains(word), "{tip}");
        }
        assert_eq!(task.due.is_some(), tip.contains("lateness"), "{tip}");
    }
}

fn late_instance() -> Instance {
    let mut a = Task::new("a", 4.0);
    a.due = Some(10.0);
    let mut b = Task::new("b", 4.0);
    b.due = Some(5.0);
    b.after = vec!["a".into()];
    Instance::new(InstanceData {
        devices: vec![Device::new("d0"), Device::new("d1")],
        tasks: vec![a, b],
        ..Default::default()
    })
    .unwrap()
}

#[test]
fn late_tasks_are_outlined_and_say_so() {
    let inst = late_instance();
    let s = Schedule::new(vec![
        Assignment {
            task: 0,
            device: 0,
            start: 0.0,
            end: 4.0,
        },
        Assignment {
            task: 1,
            device: 1,
            start: 4.0,
            end: 8.0,
        },
    ]);
    let svg = plot::gantt_svg(&inst, &s, &GanttOptions::default()).unwrap();
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let late: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("rect") && has_class(n, "late"))
        .collect();
    assert_eq!(late.len(), 1);
    assert_eq!(late[0].attribute("data-task"), Some("b"));
    let tip = late[0]
        .children()
        .find(|c| c.has_tag_name("title"))
        .unwrap();
    assert!(tip.text().unwrap().contains("lateness 3 (late)"));
    assert!(
        doc.descendants()
            .any(|n| has_class(&n, "legend-item") && n.attribute("data-key") == Some("late"))
    );
}

#[test]
fn the_same_plan_gives_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let (_, first) = solve_and_draw(dir.path(), NODES, "a.html", &["--arrows"]);
    let (_, second) = solve_and_draw(dir.path(), NODES, "b.html", &["--arrows"]);
    assert_eq!(first, second);
    // And through `plot` from the schedule file, too.
    let sched = path(dir.path(), "plan.json");
    let out = path(dir.path(), "c.html");
    let (code, _, stderr) = run([
        "plot",
        &sched,
        "--instance",
        NODES,
        "--out",
        &out,
        "--arrows",
    ]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(std::fs::read_to_string(&out).unwrap(), first);
}

#[test]
fn an_empty_schedule_and_zero_length_tasks_still_draw() {
    let inst = late_instance();
    let svg = plot::gantt_svg(&inst, &Schedule::default(), &GanttOptions::default()).unwrap();
    let doc = roxmltree::Document::parse(&svg).unwrap();
    assert_eq!(count(&doc, "rect", "bar"), 0);
    assert_eq!(count(&doc, "g", "lane"), 2);
    assert!(count(&doc, "text", "tick-label") >= 2);
    let s = Schedule::new(vec![Assignment {
        task: 0,
        device: 0,
        start: 2.0,
        end: 2.0,
    }]);
    let svg = plot::gantt_svg(&inst, &s, &GanttOptions::default()).unwrap();
    assert_eq!(
        roxmltree::Document::parse(&svg)
            .map(|d| count(&d, "rect", "bar"))
            .unwrap(),
        1
    );
}

#[test]
fn the_library_refuses_what_it_cannot_draw() {
    let inst = late_instance();
    for bad in [
        Assignment {
            task: 5,
            device: 0,
            start: 0.0,
            end: 1.0,
        },
        Assignment {
            task: 0,
            device: 9,
            start: 0.0,
            end: 1.0,
        },
        Assignment {
            task: 0,
            device: 0,
            start: 3.0,
            end: 1.0,
        },
        Assignment {
            task: 0,
            device: 0,
            start: f64::NAN,
            end: 1.0,
        },
    ] {
        let e = plot::gantt_svg(&inst, &Schedule::new(vec![bad]), &GanttOptions::default())
            .unwrap_err();
        assert!(e.is_bad_input(), "{e}");
    }
}

#[test]
fn bad_input_exits_2_with_a_message_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let sched = path(dir.path(), "s.json");
    std::fs::write(
        &sched,
        r#"{"assignments": [{"task": "ghost", "device": "h100-0", "start": 0, "end": 1}]}"#,
    )
    .unwrap();
    let out = path(dir.path(), "p.svg");
    assert_bad_input(
        &["plot", &sched, "--instance", DEMO, "--out", &out],
        &["s.json", "task 'ghost'"],
    );
    assert!(!Path::new(&out).exists());
    // An unknown device, a bad time, a file that is not a schedule, a missing file.
    std::fs::write(
        &sched,
        r#"{"assignments": [{"task": "prep", "device": "tpu-9", "start": 0, "end": 1}]}"#,
    )
    .unwrap();
    assert_bad_input(
        &["plot", &sched, "--instance", DEMO, "--out", &out],
        &["s.json", "device 'tpu-9'"],
    );
    std::fs::write(
        &sched,
        r#"{"assignments": [{"task": "prep", "device": "h100-0", "start": 5, "end": 1}]}"#,
    )
    .unwrap();
    assert_bad_input(
        &["plot", &sched, "--instance", DEMO, "--out", &out],
        &["s.json", "end"],
    );
    std::fs::write(&sched, "[1, 2").unwrap();
    assert_bad_input(
        &["plot", &sched, "--instance", DEMO, "--out", &out],
        &["s.json"],
    );
    let missing = path(dir.path(), "missing.json");
    assert_bad_input(
        &["plot", &missing, "--instance", DEMO, "--out", &out],
        &["missing.json"],
    );
    // Options: an unknown picture format, a missing folder, a bad colour key, flags without a
    // picture.
    let (_, _) = solve_and_draw(dir.path(), DEMO, "ok.svg", &[]);
    let good = path(dir.path(), "plan.json");
    assert_bad_input(
        &["plot", &good, "--instance", DEMO, "--out", "x.png"],
        &["x.png", ".svg or .html"],
    );
    let nowhere = PathBuf::from(dir.path()).join("no/such/dir/p.svg");
    assert_bad_input(
        &[
            "plot",
            &good,
            "--instance",
            DEMO,
            "--out",
            nowhere.to_str().unwrap(),
        ],
        &["does not exist"],
    );
    assert_bad_input(
        &[
            "plot",
            &good,
            "--instance",
            DEMO,
            "--out",
            &out,
            "--colour-by",
            "mood",
        ],
        &["mood"],
    );
    assert_bad_input(&["solve", DEMO, "--arrows"], &["--arrows", "--gantt"]);
    assert_bad_input(&["solve", DEMO, "--gantt", "plan.pdf"], &["plan.pdf"]);
}

/// The `<svg>` documents of a page, each parsed.
fn svgs_of(page: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = page;
    while let Some(start) = rest.find("<svg") {
        let end = rest[start..].find("</svg>").expect("closed") + start + "</svg>".len();
        out.push(rest[start..end].to_string());
        rest = &rest[end..];
    }
    out
}

/// The texts of a chart's `<text>` elements, trimmed.
fn texts(svg: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(svg).expect("well-formed chart");
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text().map(|t| t.trim().to_string()))
        .collect()
}

fn assert_self_contained(page: &str) {
    assert!(page.starts_with("<!DOCTYPE html>"));
    let lower = page.to_ascii_lowercase();
    for external in ["http:", "https:", "src=", "<link", "@import", "url(http"] {
        assert!(
            !lower.contains(external),
            "the page loads something: {external}"
        );
    }
}

#[test]
fn the_bench_report_has_the_tables_gap_charts_and_anytime_curves() {
    let dir = tempfile::tempdir().unwrap();
    let out = path(dir.path(), "bench.html");
    let (code, _, stderr) = run([
        "bench",
        DEMO,
        NODES,
        "--solvers",
        "lpt,ls,ga",
        "--time-limit",
        "0.3",
        "--jobs",
        "1",
        "--format",
        "html",
        "--out",
        &out,
    ]);
    assert_eq!(code, Some(0), "{stderr}");
    let page = std::fs::read_to_string(&out).unwrap();
    assert_self_contained(&page);
    for h in [
        "Mean gap per solver",
        "Gap per instance",
        "Anytime curves",
        "Summary per solver",
        "All runs",
    ] {
        assert!(page.contains(&format!("<h2>{h}</h2>")), "no section {h}");
    }
    // One row per (instance, solver) in the runs table, one per solver in the summary.
    assert_eq!(page.matches("<tr>").count(), 1 + 3 + 1 + 6);
    // Charts: mean gaps, two gap-per-instance charts, the mean anytime curve and one per
    // instance; each is well-formed SVG with its title.
    let charts = svgs_of(&page);
    assert_eq!(charts.len(), 1 + 2 + 1 + 2, "{}", charts.len());
    for c in &charts {
        roxmltree::Document::parse(c).expect("well-formed chart");
    }
    assert!(texts(&charts[3]).contains(&"Mean gap to the best known value over time".to_string()));
    let legend = texts(&charts[4]);
    for s in ["ls", "ga"] {
        assert!(
            legend.contains(&format!("{s} value")),
            "no {s} curve: {legend:?}"
        );
    }
    assert!(
        !legend.contains(&"lpt value".to_string()),
        "lpt records no history"
    );
}

#[test]
fn ls_ga_and_milp_record_their_anytime_history() {
    let inst = hetsched::io::read_instance(DEMO).unwrap();
    let options = hetsched::SolveOptions {
        time_limit: Some(std::time::Duration::from_millis(300)),
        ..Default::default()
    };
    for name in ["ls", "ga", "milp"] {
        let report = hetsched::solve::by_name(name)
            .unwrap()
            .solve(&inst, &options)
            .unwrap();
        let p = &report.progress;
        assert!(!p.is_empty(), "{name} recorded nothing");
        assert!(
            p.windows(2).all(|w| w[0].seconds <= w[1].seconds),
            "{name}: {p:?}"
        );
        let last = p.last().unwrap();
        assert_eq!(
            (last.value, last.bound),
            (report.value, report.bound),
            "{name}"
        );
        assert!(
            p.windows(2).all(|w| match (w[0].bound, w[1].bound) {
                (Some(a), Some(b)) => b >= a,
                (Some(_), None) => false,
                _ => true,
            }),
            "{name}: bounds only rise: {p:?}"
        );
    }
    let lpt = hetsched::solve::by_name("lpt")
        .unwrap()
        .solve(&inst, &options)
        .unwrap();
    assert!(lpt.progress.is_empty());
}

#[test]
fn the_simulation_report_has_the_jct_cdf_queue_utilization_and_gantt() {
    let dir = tempfile::tempdir().unwrap();
    let out = path(dir.path(), "sim.html");
    let (code, stdout, stderr) = run(["simulate", NODES, "--policy", "srpt", "--report", &out]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.contains("report written to"));
    let page = std::fs::read_to_string(&out).unwrap();
    assert_self_contained(&page);
    for h in [
        "Job completion times",
        "Queue and busy devices over time",
        "Utilization per device kind",
        "What ran where",
    ] {
        assert!(page.contains(&format!("<h2>{h}</h2>")), "no section {h}");
    }
    let charts = svgs_of(&page);
    assert_eq!(charts.len(), 4);
    assert!(charts[0].contains("CDF"));
    let legend = texts(&charts[1]);
    for l in ["jobs waiting", "jobs running", "busy h100"] {
        assert!(legend.contains(&l.to_string()), "{legend:?}");
    }
    let gantt = roxmltree::Document::parse(&charts[3]).unwrap();
    assert!(count(&gantt, "rect", "bar") >= 13);
    // Same run, same bytes.
    let again = path(dir.path(), "again.html");
    let (code, _, _) = run(["simulate", NODES, "--policy", "srpt", "--report", &again]);
    assert_eq!(code, Some(0));
    assert_eq!(std::fs::read_to_string(&again).unwrap(), page);
    // A report that is not HTML is refused before simulating.
    assert_bad_input(
        &["simulate", NODES, "--report", "r.svg"],
        &["r.svg", ".html"],
    );
}

#[test]
fn bars_are_coloured_by_user_when_tasks_name_one_and_the_width_is_honoured() {
    let mut a = Task::new("train-a", 3.0);
    a.user = Some("alice".into());
    let mut b = Task::new("train-b", 2.0);
    b.user = Some("bob".into());
    let c = Task::new("eval", 1.0);
    let inst = Instance::new(InstanceData {
        devices: vec![Device::new("d0")],
        tasks: vec![a, b, c],
        ..Default::default()
    })
    .unwrap();
    let s = Schedule::new(vec![
        Assignment {
            task: 0,
            device: 0,
            start: 0.0,
            end: 3.0,
        },
        Assignment {
            task: 1,
            device: 0,
            start: 3.0,
            end: 5.0,
        },
        Assignment {
            task: 2,
            device: 0,
            start: 5.0,
            end: 6.0,
        },
    ]);
    let keys = |options: &GanttOptions| {
        let svg = plot::gantt_svg(&inst, &s, options).unwrap();
        let doc = roxmltree::Document::parse(&svg).unwrap();
        let fills: Vec<String> = doc
            .descendants()
            .filter(|n| has_class(n, "bar"))
            .map(|n| n.attribute("fill").unwrap().to_string())
            .collect();
        let keys: Vec<String> = doc
            .descendants()
            .filter(|n| has_class(n, "legend-item"))
            .map(|n| n.attribute("data-key").unwrap().to_string())
            .collect();
        let width = doc.root_element().attribute("width").unwrap().to_string();
        (fills, keys, width)
    };
    let (fills, by_user, width) = keys(&GanttOptions {
        width: 800.0,
        ..Default::default()
    });
    assert_eq!(by_user, ["alice", "bob", "-"]);
    assert_ne!(fills[0], fills[1]);
    assert_eq!(width, "800");
    let (fills, by_family, _) = keys(&GanttOptions {
        colour_by: plot::ColourBy::Family,
        ..Default::default()
    });
    assert_eq!(by_family, ["train", "eval"]);
    assert_eq!(fills[0], fills[1]);
}
