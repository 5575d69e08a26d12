//! The measurements of `docs/learning.md`, reproducible:
//!
//! ```sh
//! cargo run --release --example learn_measure            # all three tables
//! cargo run --release --example learn_measure -- gavel   # one of: generated, gavel, unseen, patterns
//! ```
//!
//! 1. Generated histories (`generate --family history`: 5 kinds, 5 % log-normal noise): fit on
//!    2,000 rows, predict 1,000 more rows of the same truth; held-out MAPE and 90 %-interval
//!    coverage, seeds 1–5.
//! 2. Gavel's measured throughputs (`instances/gavel/simulation_throughputs.json`): every
//!    (job, GPU type) measurement left out in turn and predicted from the rest, against the
//!    baseline "the job's time on another type × the mean ratio between the two types".
//! 3. A family never run on a kind: each candidate's error on the pairs left out.
//! 4. k-means on planted histories: adjusted Rand index of the patterns found against the
//!    planted families, k given and `--k auto`.

use hetsched::generate::history::{HistoryParams, history};
use hetsched::learn::history::{Feature, FeatureKind, History, ReadOptions, Record, Value};
use hetsched::learn::patterns::{KChoice, patterns};
use hetsched::learn::validate::adjusted_rand_index;
use hetsched::learn::{FitOptions, fit};
use std::collections::BTreeMap;
use std::path::Path;

const SEEDS: [u64; 5] = [1, 2, 3, 4, 5];

fn generated() {
    println!(
        "## Generated histories: 2,000 rows to fit, 1,000 held out, 5 kinds, noise σ = 0.05\n"
    );
    println!(
        "| seed | selected | CV MAPE per-kind / cross-kind λ=0.1, 1, 10 | held-out MAPE | 90 % coverage |"
    );
    println!("|---|---|---|---|---|");
    let (mut sum_mape, mut sum_cov) = (0.0, 0.0);
    for seed in SEEDS {
        let g = history(&HistoryParams::new(3000, 5), seed).unwrap();
        let mut lines = g.csv.lines();
        let header = lines.next().unwrap();
        let rows: Vec<&str> = lines.collect();
        let train = format!("{header}\n{}\n", rows[..2000].join("\n"));
        let test = format!("{header}\n{}\n", rows[2000..].join("\n"));
        let o = ReadOptions::default();
        let h = History::parse(&train, Path::new("train.csv"), &o).unwrap();
        let t = History::parse(&test, Path::new("test.csv"), &o).unwrap();
        let model = fit(&h, &FitOptions::default()).unwrap();
        let (mut err, mut inside) = (0.0, 0usize);
        for r in &t.records {
            let p = model.predict(&r.kind, None, &r.values).unwrap();
            err += (p.estimate - r.runtime).abs() / r.runtime;
            inside += usize::from(p.low <= r.runtime && r.runtime <= p.high);
        }
        let mape = err / t.records.len() as f64;
        let cov = inside as f64 / t.records.len() as f64;
        sum_mape += mape;
        sum_cov += cov;
        let cv: Vec<String> = model
            .candidates
            .iter()
            .map(|c| format!("{:.2}", 100.0 * c.mape.unwrap_or(f64::NAN)))
            .collect();
        println!(
            "| {seed} | {} | {} % | {:.2} % | {:.1} % |",
            model.selected,
            cv.join(" / "),
            100.0 * mape,
            100.0 * cov
        );
    }
    let n = SEEDS.len() as f64;
    println!(
        "| mean | | | {:.2} % | {:.1} % |\n",
        100.0 * sum_mape / n,
        100.0 * sum_cov / n
    );
}

/// Gavel's measurements as a history: one row per (job type, GPUs, GPU type) measured, the
/// runtime being seconds per training step (1 / throughput).
fn gavel_history() -> History {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let path = root.join("instances/gavel/simulation_throughputs.json");
    let tp = hetsched::io::gavel::read_throughputs(&path).unwrap();
    let mut records = Vec::new();
    for (gpu_type, table) in &tp.table {
        for ((job, gpus), &steps_per_s) in table {
            if steps_per_s <= 0.0 {
                continue; // cannot run there
            }
            let (model, batch) = match job.split_once(" (batch size ") {
                Some((m, b)) => (m.to_string(), b.trim_end_matches(')').parse().unwrap()),
                None => (job.clone(), 1.0),
            };
            records.push(Record {
                line: records.len() + 2,
                task: Some(format!("{job} x{gpus}")),
                kind: gpu_type.clone(),
                runtime: 1.0 / steps_per_s,
                values: vec![
                    Value::Cat(model),
                    Value::Num(batch),
                    Value::Num(f64::from(*gpus)),
                ],
            });
        }
    }
    History {
        origin: path,
        target: "seconds_per_step".into(),
        features: vec![
            Feature {
                name: "model".into(),
                kind: FeatureKind::Categorical,
            },
            Feature {
                name: "batch".into(),
                kind: FeatureKind::Numeric,
            },
            Feature {
                name: "gpus".into(),
                kind: FeatureKind::Numeric,
            },
        ],
        records,
    }
}

/// The baseline for row `i`: for each other GPU type g' the job ran on, its time there × the
/// mean over the other jobs measured on both types of time(g) / time(g'); the geometric mean
/// of these estimates. `None` when no other type gives one. With `geometric`, the ratios'
/// geometric mean instead of their mean (a stronger baseline in log space).
fn baseline(h: &History, i: usize, geometric: bool) -> Option<f64> {
    let held = &h.records[i];
    let task = held.task.as_deref().unwrap();
    let mut time: BTreeMap<(&str, &str), f64> = BTreeMap::new();
    for (j, r) in h.records.iter().enumerate() {
        if j != i {
            time.insert((r.task.as_deref().unwrap(), r.kind.as_str()), r.runtime);
        }
    }
    let kinds = h.kinds();
    let mut logs = Vec::new();
    for other in kinds.iter().filter(|k| **k != held.kind) {
        let Some(&t_other) = time.get(&(task, other.as_str())) else {
            continue;
        };
        let ratios: Vec<f64> = time
            .iter()
            .filter(|((t, k), _)| *t != task && *k == held.kind)
            .filter_map(|((t, _), &tg)| time.get(&(*t, other.as_str())).map(|&to| tg / to))
            .collect();
        if ratios.is_empty() {
            continue;
        }
        let mean = if geometric {
            (ratios.iter().map(|r| r.ln()).sum::<f64>() / ratios.len() as f64).exp()
        } else {
            ratios.iter().sum::<f64>() / ratios.len() as f64
        };
        logs.push((t_other * mean).ln());
    }
    (!logs.is_empty()).then(|| (logs.iter().sum::<f64>() / logs.len() as f64).exp())
}

fn gavel() {
    let h = gavel_history();
    let n = h.records.len();
    let mut selected: BTreeMap<String, usize> = BTreeMap::new();
    let (mut model_err, mut base_err, mut both, mut inside, mut wins) = (0.0, 0.0, 0usize, 0, 0);
    let mut geo_err = 0.0;
    let mut per_kind: BTreeMap<String, (f64, f64, f64, usize)> = BTreeMap::new();
    for i in 0..n {
        let mut rest = h.clone();
        let held = rest.records.remove(i);
        let Some(b) = baseline(&h, i, false) else {
            continue;
        };
        let g = baseline(&h, i, true).expect("as the mean");
        let model = fit(&rest, &FitOptions::default()).unwrap();
        let p = model
            .predict(&held.kind, held.task.as_deref(), &held.values)
            .unwrap();
        *selected.entry(model.selected.clone()).or_default() += 1;
        let em = (p.estimate - held.runtime).abs() / held.runtime;
        let eb = (b - held.runtime).abs() / held.runtime;
        let eg = (g - held.runtime).abs() / held.runtime;
        model_err += em;
        base_err += eb;
        geo_err += eg;
        wins += usize::from(em < eb);
        inside += usize::from(p.low <= held.runtime && held.runtime <= p.high);
        both += 1;
        let e = per_kind.entry(held.kind.clone()).or_default();
        e.0 += em;
        e.1 += eb;
        e.2 += eg;
        e.3 += 1;
    }
    println!(
        "## Gavel: leave one (job, GPU type) out, {both} of {n} measurements predictable by both\n"
    );
    println!(
        "| held-out type | rows | learned model MAPE | baseline (mean ratio) MAPE | baseline (geometric-mean ratio) MAPE |"
    );
    println!("|---|---|---|---|---|");
    for (kind, (m, b, g, c)) in &per_kind {
        let c = *c as f64;
        println!(
            "| {kind} | {c} | {:.1} % | {:.1} % | {:.1} % |",
            100.0 * m / c,
            100.0 * b / c,
            100.0 * g / c
        );
    }
    println!(
        "| all | {both} | {:.1} % | {:.1} % | {:.1} % |\n",
        100.0 * model_err / both as f64,
        100.0 * base_err / both as f64,
        100.0 * geo_err / both as f64
    );
    println!(
        "learned model closer than the baseline on {wins} of {both}; 90 % interval covered {inside} of {both} ({:.1} %); selected: {selected:?}\n",
        100.0 * inside as f64 / both as f64
    );
}

fn kmeans() {
    println!("## k-means on planted histories (2,000 rows, 5 kinds, 4 families, σ = 0.05)\n");
    println!("| seed | ARI, k = 4 | k chosen by --k auto | ARI, auto | same seed, same labels |");
    println!("|---|---|---|---|---|");
    for seed in SEEDS {
        let g = history(&HistoryParams::new(2000, 5), seed).unwrap();
        let h = History::parse(&g.csv, Path::new("h.csv"), &ReadOptions::default()).unwrap();
        let fixed = patterns(&h, KChoice::Fixed(4), 0).unwrap();
        let again = patterns(&h, KChoice::Fixed(4), 0).unwrap();
        let auto = patterns(&h, KChoice::Auto { max: 10 }, 0).unwrap();
        println!(
            "| {seed} | {:.3} | {} | {:.3} | {} |",
            adjusted_rand_index(&fixed.labels, &g.pattern),
            auto.patterns.len(),
            adjusted_rand_index(&auto.labels, &g.pattern),
            fixed.labels == again.labels
        );
    }
    println!();
}

/// A family never run on a kind: the history's `vision` rows on `t4` removed; those rows of a
/// fresh sample predicted by each candidate.
fn unseen_pair() {
    use hetsched::learn::Candidate;
    println!(
        "## A family never run on a kind: vision on t4 left out of 2,000 rows, 1,000 fresh rows\n"
    );
    println!(
        "| seed | per-kind | cross-kind λ=0.1 | λ=1 | λ=10 | learned model (fallback chosen by left-out pairs) | its 90 % coverage |"
    );
    println!("|---|---|---|---|---|---|---|");
    for seed in SEEDS {
        let g = history(&HistoryParams::new(3000, 5), seed).unwrap();
        let mut lines = g.csv.lines();
        let header = lines.next().unwrap();
        let rows: Vec<&str> = lines.collect();
        let pair = |l: &&str| l.contains(",t4,vision,");
        let train: Vec<&str> = rows[..2000].iter().filter(|l| !pair(l)).copied().collect();
        let test: Vec<&str> = rows[2000..].iter().filter(|l| pair(l)).copied().collect();
        let o = ReadOptions::default();
        let h = History::parse(
            &format!("{header}\n{}\n", train.join("\n")),
            Path::new("train.csv"),
            &o,
        )
        .unwrap();
        let t = History::parse(
            &format!("{header}\n{}\n", test.join("\n")),
            Path::new("test.csv"),
            &o,
        )
        .unwrap();
        let mut cells = Vec::new();
        let candidates = Candidate::defaults();
        for c in candidates
            .iter()
            .map(|&c| vec![c])
            .chain([candidates.clone()])
        {
            let alone = c.len() == 1;
            let options = FitOptions {
                candidates: c,
                ..FitOptions::default()
            };
            let model = fit(&h, &options).unwrap();
            let (mut err, mut inside) = (0.0, 0usize);
            let mut used = String::new();
            for r in &t.records {
                let p = model.predict(&r.kind, None, &r.values).unwrap();
                err += (p.estimate - r.runtime).abs() / r.runtime;
                inside += usize::from(p.low <= r.runtime && r.runtime <= p.high);
                used = p.model.clone();
            }
            let n = t.records.len() as f64;
            if alone {
                // A single candidate: its own fit, not the fallback.
                let own: f64 = t
                    .records
                    .iter()
                    .map(|r| {
                        let mut m = model.clone();
                        m.unseen_pairs = None;
                        let p = m.predict(&r.kind, None, &r.values).unwrap();
                        (p.estimate - r.runtime).abs() / r.runtime
                    })
                    .sum();
                cells.push(format!("{:.1} %", 100.0 * own / n));
            } else {
                cells.push(format!("{:.1} % ({used})", 100.0 * err / n));
                cells.push(format!("{:.1} %", 100.0 * inside as f64 / n));
            }
        }
        println!("| {seed} | {} |", cells.join(" | "));
    }
    println!();
}

fn main() {
    let which = std::env::args().nth(1);
    let run = |name: &str| which.as_deref().is_none_or(|w| w == name);
    if run("generated") {
        generated();
    }
    if run("gavel") {
        gavel();
    }
    if run("unseen") {
        unseen_pair();
    }
    if run("patterns") {
        kmeans();
    }
}
