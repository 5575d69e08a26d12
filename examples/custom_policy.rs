//! A policy of your own beside the built-in ones: "largest job first", each on the free device
//! where it ends first, simulated on the bundled AI-cluster example.
//!
//! `cargo run --release --example custom_policy`

use hetsched::sim::{self, Decision, Options, Policy, View};

/// Largest estimated job first (on its fastest device), never preempting.
struct LargestFirst;

impl Policy for LargestFirst {
    fn decide(&mut self, view: &View, decision: &mut Decision) {
        let mut waiting: Vec<usize> = view.waiting().collect();
        waiting.sort_by(|&a, &b| view.shortest(b).total_cmp(&view.shortest(a)));
        for t in waiting {
            if let Some(d) = decision.fastest_fit(view, t) {
                decision.start(view, t, d);
            }
        }
    }
}

fn main() -> Result<(), hetsched::Error> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/instances/examples/ai-cluster.json"
    );
    let instance = hetsched::io::read_instance(path)?;
    let options = Options::default();
    let mut rows = vec![(
        "largest-first",
        sim::simulate(&instance, &mut LargestFirst, &options)?,
    )];
    for name in ["fcfs", "srpt"] {
        let (mut policy, info) = sim::by_name(name).expect("built-in");
        let options = Options {
            preemption: info.preemptive,
            ..Options::default()
        };
        rows.push((name, sim::simulate(&instance, policy.as_mut(), &options)?));
    }
    println!(
        "{:<14} {:>10} {:>10} {:>12}",
        "policy", "mean JCT", "p95 JCT", "Σ w·C"
    );
    for (name, run) in rows {
        assert!(run.schedule.violations(&instance).is_empty());
        let m = &run.metrics;
        println!(
            "{name:<14} {:>10.2} {:>10.2} {:>12.1}",
            m.mean_jct, m.p95_jct, m.value
        );
    }
    Ok(())
}
