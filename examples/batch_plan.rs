//! Plan every instance of a folder in one call, in parallel, one result per instance.
//!
//! ```sh
//! cargo run --release --example batch_plan                 # instances/ai-cluster
//! cargo run --release --example batch_plan -- DIR SOLVER   # any folder of .json/.toml instances
//! ```

use hetsched::SolveOptions;
use hetsched::batch::Batch;
use hetsched::schedule::render::num;
use std::time::Duration;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = args.next().unwrap_or_else(|| "instances/ai-cluster".into());
    let solver = hetsched::solve::by_name(&args.next().unwrap_or_else(|| "ls".into()))?;

    let mut paths: Vec<_> = std::fs::read_dir(&dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json" || e == "toml"))
        // An instance set's manifest is not an instance.
        .filter(|p| !p.ends_with(hetsched::bench::set::MANIFEST))
        .collect();
    paths.sort();
    // A file that cannot be read is reported and left out; the rest is planned.
    let mut instances = Vec::new();
    for path in &paths {
        match hetsched::io::read_instance(path) {
            Ok(instance) => instances.push(instance),
            Err(e) => eprintln!("left out: {e}"),
        }
    }

    let options = SolveOptions {
        time_limit: Some(Duration::from_secs(1)),
        seed: 1,
        ..Default::default()
    };
    let results = Batch::new(solver.as_ref())
        .options(options)
        .plan(&instances);

    println!(
        "{:<28} {:>12} {:>9} {:>8}",
        "instance", "value", "status", "time (s)"
    );
    for (instance, result) in instances.iter().zip(&results) {
        match result {
            Ok(r) => println!(
                "{:<28} {:>12} {:>9} {:>8.2}",
                instance.name(),
                r.value.map_or("-".into(), num),
                r.status,
                r.seconds
            ),
            Err(e) => println!("{:<28} failed: {e}", instance.name()),
        }
    }
    Ok(())
}
