use crate::Outcome;
use anyhow::{Context, Result};
use hetsched::Error;
use hetsched::io::ScheduleFile;
use hetsched::schedule::render::num;
use hetsched::sim::{self, ListPolicy, Options, Order, POLICIES, Placement};
use std::path::PathBuf;

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum PlacementArg {
    Fastest,
    Any,
    Relative,
}

#[derive(clap::Args)]
pub struct Args {
    /// Instance file: each task arrives at its `release`.
    #[arg(required_unless_present = "policies")]
    instance: Option<PathBuf>,
    /// Policy: fcfs, sjf, srpt, edf, priority, las, backfill, fair, drf or replan:SOLVER
    /// (`hetsched simulate --policies` lists them).
    #[arg(long, default_value = "fcfs")]
    policy: String,
    /// Where the list policies (fcfs, sjf, srpt, edf, priority, las) start a job among the
    /// devices where it fits: fastest (where it ends first), any (uniformly at random, seeded
    /// by --seed: heterogeneity-agnostic) or relative (where it is fastest relative to the
    /// other jobs present, as Gavel).
    #[arg(long, value_enum, default_value = "fastest")]
    placement: PlacementArg,
    /// Let the policy stop running jobs (they resume with the work done kept, on any eligible
    /// device); srpt and las always preempt.
    #[arg(long)]
    preemption: bool,
    /// Restart delay: a stopped job holds its device this long when it starts again, before
    /// its work goes on.
    #[arg(long, default_value_t = 0.0)]
    preemption_cost: f64,
    /// σ of a log-normal factor (mean 1) between each job's actual and estimated times; the
    /// policy sees the estimates, the metrics use the actual times.
    #[arg(long, default_value_t = 0.0)]
    noise: f64,
    /// Seed of the noise.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Also decide every Q time units while jobs run (default for las and maxmin: the mean
    /// estimated job time on the fastest device ÷ 10; else only at arrivals and completions).
    #[arg(long)]
    quantum: Option<f64>,
    /// Device outages: a JSON file `{"outages": [{"device": ID, "from": T, "to": T}, …]}`;
    /// what runs on a device going down is stopped (its work since it started lost, unless
    /// --preemption) and waits again.
    #[arg(long)]
    outages: Option<PathBuf>,
    /// Write the simulated schedule (a preemptive schedule file when jobs ran in segments).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Write the metrics as JSON.
    #[arg(long)]
    metrics: Option<PathBuf>,
    /// Write a self-contained HTML report: JCT distribution (CDF), jobs waiting and devices
    /// busy over time, utilization per device kind, and the Gantt chart of what ran.
    #[arg(long, value_name = "FILE.html")]
    report: Option<PathBuf>,
    /// Write every event as JSON lines.
    #[arg(long)]
    log: Option<PathBuf>,
    /// Write the state after every decision as CSV: time, jobs waiting, jobs running, busy
    /// devices per kind.
    #[arg(long)]
    timeline: Option<PathBuf>,
    /// With --noise: write the instance with the actual times, against which `hetsched check`
    /// accepts the schedule.
    #[arg(long)]
    realized: Option<PathBuf>,
    /// Also plan the same instance offline with full knowledge (every arrival and, with
    /// --noise, the actual times): `ls` for a schedule and the MILP's lower bound, each with
    /// --compare-time seconds; print the price of being online.
    #[arg(long)]
    compare: bool,
    /// Seconds for each of the offline `ls` run and the bound of --compare.
    #[arg(long, default_value_t = 10.0)]
    compare_time: f64,
    /// With replan:SOLVER: seconds each plan may take (one plan per decision; the solver's
    /// result may depend on it, as for `solve --time-limit`).
    #[arg(long, default_value_t = 0.1)]
    plan_time: f64,
    /// List the policies and exit.
    #[arg(long)]
    policies: bool,
}

pub fn run(args: Args) -> Result<Outcome> {
    if args.policies {
        for p in POLICIES {
            println!("{:<10} {}", p.name, p.description);
        }
        return Ok(Outcome::Ok);
    }
    let path = args.instance.as_ref().expect("clap requires the instance");
    let instance = hetsched::io::read_instance(path)?;
    if let Some(report) = &args.report
        && crate::plot::check_out(report)? != hetsched::plot::Format::Html
    {
        return Err(Error::Usage(format!(
            "--report {}: the report is an HTML page; name it .html",
            report.display()
        ))
        .into());
    }
    if !(args.plan_time.is_finite() && args.plan_time > 0.0) {
        return Err(Error::Usage(format!(
            "--plan-time must be a number of seconds > 0, not {}",
            args.plan_time
        ))
        .into());
    }
    let replan_with = match args.policy.as_str() {
        "replan" => Some("best-greedy"),
        name => name.strip_prefix("replan:"),
    };
    let (mut policy, info) = match replan_with {
        // A solver name the policy table cannot check: say which solvers there are.
        Some(solver) => {
            let options = hetsched::SolveOptions {
                time_limit: Some(std::time::Duration::from_secs_f64(args.plan_time)),
                seed: args.seed,
                threads: Some(1),
                verbose: false,
                // After Ctrl-C each re-plan returns at once: the simulation ends quickly and
                // writes its outputs.
                cancel: Some(crate::interrupt::watch()),
                exchange: None,
            };
            let info = *POLICIES
                .iter()
                .find(|p| p.name == "replan")
                .expect("listed");
            let replan = sim::Replan::new(hetsched::solve::by_name(solver)?, options);
            (Box::new(replan) as Box<dyn sim::Policy>, info)
        }
        None => sim::by_name(&args.policy).ok_or_else(|| {
            let names: Vec<&str> = POLICIES.iter().map(|p| p.name).collect();
            Error::Usage(format!(
                "unknown policy '{}'; the policies are {} (replan as replan:SOLVER)",
                args.policy,
                names.join(", ")
            ))
        })?,
    };
    if args.placement != PlacementArg::Fastest {
        let order = Order::of_policy(&args.policy).ok_or_else(|| {
            Error::Usage(format!(
                "--placement applies to the list policies (fcfs, sjf, srpt, edf, priority, las), \
                 not {}",
                args.policy
            ))
        })?;
        let placement = match args.placement {
            PlacementArg::Any => Placement::Any,
            _ => Placement::Relative,
        };
        policy = Box::new(ListPolicy::new(order, placement, args.seed));
    }
    let quantum = args.quantum.or_else(|| {
        (["las", "maxmin"].contains(&args.policy.as_str()) && instance.num_tasks() > 0).then(|| {
            let n = instance.num_tasks() as f64;
            (0..instance.num_tasks())
                .map(|t| instance.min_ptime(t))
                .sum::<f64>()
                / n
                / 10.0
        })
    });
    let options = Options {
        preemption: args.preemption || info.preemptive,
        noise: args.noise,
        seed: args.seed,
        quantum: quantum.filter(|&q| q > 0.0 || args.quantum.is_some()),
        log: args.log.is_some(),
        timeline: args.timeline.is_some() || args.report.is_some(),
        preemption_cost: args.preemption_cost,
        outages: match &args.outages {
            Some(path) => sim::read_outages(path, &instance)?,
            None => Vec::new(),
        },
    };
    let run = sim::simulate(&instance, policy.as_mut(), &options)?;
    let checked = run.realized.as_ref().unwrap_or(&instance);
    let violations = run.schedule.violations(checked);
    if !violations.is_empty() {
        // The simulator's own schedule must pass the checker: a bug, not bad input.
        let list: Vec<String> = violations.iter().map(|v| v.to_string()).collect();
        return Err(Error::Solve(format!(
            "the simulated schedule breaks a rule: {}",
            list.join("; ")
        ))
        .into());
    }
    let m = &run.metrics;
    println!("policy          {}", args.policy);
    println!(
        "preemption      {}",
        if options.preemption { "on" } else { "off" }
    );
    if args.noise > 0.0 {
        println!("noise           σ = {} (seed {})", args.noise, args.seed);
    }
    println!("jobs            {}", m.jobs);
    println!(
        "JCT             mean {}, median {}, p95 {}, p99 {}, max {}",
        num(m.mean_jct),
        num(m.median_jct),
        num(m.p95_jct),
        num(m.p99_jct),
        num(m.max_jct)
    );
    println!("mean slowdown   {}", num(m.mean_slowdown));
    println!("makespan        {}", num(m.makespan));
    println!("objective       {} = {}", m.objective, num(m.value));
    println!("deadline misses {}", m.deadline_misses);
    println!(
        "preemptions     {} ({} migrations, restart delays {})",
        m.preemptions,
        m.migrations,
        num(m.restart_overhead)
    );
    if !options.outages.is_empty() {
        println!(
            "outages         {} (work lost: {})",
            options.outages.len(),
            num(m.lost_work)
        );
    }
    let kinds: Vec<String> = m
        .utilization_by_kind
        .iter()
        .map(|(k, u)| format!("{k} {:.1} %", 100.0 * u))
        .collect();
    println!("utilization     {}", kinds.join(", "));
    if let Some(f) = m.fairness {
        println!(
            "fairness        {f:.4} (Jain, over {} users)",
            m.users.len()
        );
    }
    if args.compare {
        compare(checked, m.value, args.compare_time)?;
    }
    if let Some(path) = &args.out {
        let report = hetsched::SolveReport {
            solver: format!("simulate:{}", args.policy),
            objective: checked.objective(),
            status: hetsched::Status::Feasible,
            value: Some(m.value),
            bound: None,
            schedule: Some(run.schedule.clone()),
            seconds: 0.0,
            progress: Vec::new(),
            message: Some(format!(
                "online simulation with policy {}{}",
                args.policy,
                if args.noise > 0.0 {
                    " and noisy times: check it against the instance --realized writes"
                } else {
                    ""
                }
            )),
        };
        ScheduleFile::from_report(checked, &report).write(path)?;
    }
    if let Some(path) = &args.metrics {
        let text = serde_json::to_string_pretty(m).context("metrics as JSON")? + "\n";
        hetsched::io::write_text(path, &text)?;
    }
    if let Some(path) = &args.report {
        let page = hetsched::plot::sim::sim_html(&instance, &run, &args.policy)?;
        hetsched::io::write_text(path, &page)?;
        println!("report written to {}", path.display());
    }
    if let Some(path) = &args.log {
        let mut text = Vec::new();
        for e in &run.events {
            serde_json::to_writer(&mut text, e).context("an event as JSON")?;
            text.push(b'\n');
        }
        hetsched::io::write_text(path, &String::from_utf8(text).context("UTF-8 events")?)?;
    }
    if let Some(path) = &args.timeline {
        hetsched::io::write_text(path, &run.timeline.to_csv())?;
    }
    if let Some(path) = &args.realized {
        hetsched::io::write_text(path, &hetsched::io::instance_to_json(&checked.to_data()))?;
    }
    Ok(Outcome::Ok)
}

/// The offline plan with full knowledge beside the online value: `ls`'s schedule and the MILP's
/// lower bound (each within `seconds`).
fn compare(instance: &hetsched::Instance, online: f64, seconds: f64) -> Result<()> {
    use hetsched::SolveOptions;
    use hetsched::solve::milp;
    let options = SolveOptions {
        time_limit: crate::time_limit(Some(seconds))?,
        ..SolveOptions::default()
    };
    let ls = hetsched::solve::by_name("ls")?.solve(instance, &options)?;
    let bound = milp::lower_bound(instance, None, milp::TIME_INDEXED_BUDGET, &options)?;
    let above = |x: f64| {
        if x > 0.0 {
            format!("{:+.2} %", 100.0 * (online - x) / x)
        } else {
            "-".to_string()
        }
    };
    match ls.value {
        Some(v) => println!("offline (ls)    {} (online {} above it)", num(v), above(v)),
        None => println!("offline (ls)    no schedule in {seconds} s"),
    }
    match bound {
        Some(b) => println!(
            "offline bound   {} ({}; online at most {} above the optimum)",
            num(b.value),
            b.method,
            above(b.value)
        ),
        None => println!("offline bound   none"),
    }
    Ok(())
}
