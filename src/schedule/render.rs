//! Human-readable renderings of schedules and solve reports.

use super::Schedule;
use crate::model::Instance;
use crate::solve::SolveReport;
use std::fmt::Write;

/// Format a number compactly: integers without decimals, others with up to 3 significant decimals.
pub fn num(x: f64) -> String {
    if !x.is_finite() {
        return format!("{x}");
    }
    if x == x.round() && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else if x.abs() >= 1000.0 {
        format!("{x:.1}")
    } else {
        let s = format!("{x:.3}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// A summary of a solve: status, objective value, bound and gap, then one row per device
/// (tasks, busy time, utilization, last end, cost).
pub fn summary(instance: &Instance, report: &SolveReport) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "instance   {} ({} tasks, {} devices)",
        instance.name(),
        instance.num_tasks(),
        instance.num_devices()
    );
    let _ = writeln!(out, "solver     {}", report.solver);
    let _ = writeln!(out, "objective  {}", report.objective);
    let _ = writeln!(out, "status     {}", report.status);
    if let Some(v) = report.value {
        let _ = writeln!(out, "value      {}", num(v));
    }
    if let Some(b) = report.bound {
        let _ = writeln!(out, "bound      {}", num(b));
    }
    if let Some(g) = report.gap() {
        let _ = writeln!(out, "gap        {:.4}%", 100.0 * g);
    }
    let _ = writeln!(out, "time       {:.3} s", report.seconds);
    if let Some(msg) = &report.message {
        let _ = writeln!(out, "note       {msg}");
    }
    if let Some(s) = &report.schedule {
        out.push('\n');
        out.push_str(&device_table(instance, s));
    }
    out
}

/// One row per device: tasks, busy time, utilization, last end, cost; then, when devices have
/// `resources`, one row per such device with the share of each resource's capacity held.
pub fn device_table(instance: &Instance, schedule: &Schedule) -> String {
    let metrics = schedule.metrics(instance);
    let mut rows = vec![[
        "device".to_string(),
        "kind".to_string(),
        "tasks".to_string(),
        "busy".to_string(),
        "util".to_string(),
        "last end".to_string(),
        "cost".to_string(),
    ]];
    for (d, dev) in instance.devices().iter().enumerate() {
        let on: Vec<_> = schedule
            .assignments
            .iter()
            .filter(|a| a.device == d)
            .collect();
        let last = on.iter().map(|a| a.end).fold(0.0_f64, f64::max);
        rows.push([
            dev.id.clone(),
            dev.kind().to_string(),
            on.len().to_string(),
            num(metrics.busy[d]),
            format!("{:.0}%", 100.0 * metrics.utilization[d]),
            num(last),
            num(dev.cost_rate * metrics.busy[d]),
        ]);
    }
    let mut out = table(&rows, 2);
    // Shared devices: the share of each resource's capacity held over [0, makespan].
    let shared: Vec<[String; 2]> = (0..instance.num_devices())
        .filter(|&d| instance.offers_resources(d))
        .map(|d| {
            let held: Vec<String> = (0..instance.num_resources())
                .filter(|&k| instance.resource_capacity(d, k) > 0.0)
                .map(|k| {
                    format!(
                        "{} {:.0}%",
                        instance.resource_name(k),
                        100.0 * metrics.resource_utilization[d][k]
                    )
                })
                .collect();
            [instance.device(d).id.clone(), held.join("  ")]
        })
        .collect();
    if !shared.is_empty() {
        let mut rows = vec![["device".to_string(), "resources held".to_string()]];
        rows.extend(shared);
        out.push('\n');
        out.push_str(&table(&rows, 2));
    }
    out
}

/// Every assignment, by device then start: task, device, start, end.
pub fn assignment_table(instance: &Instance, schedule: &Schedule) -> String {
    let mut asg = schedule.assignments.clone();
    asg.sort_by(|a, b| a.device.cmp(&b.device).then(a.start.total_cmp(&b.start)));
    let mut rows = vec![[
        "device".to_string(),
        "task".to_string(),
        "start".to_string(),
        "end".to_string(),
    ]];
    for a in asg {
        rows.push([
            instance.device(a.device).id.clone(),
            instance.task(a.task).id.clone(),
            num(a.start),
            num(a.end),
        ]);
    }
    table(&rows, 2)
}

/// Align columns; the first `left` columns are left-aligned, the others right-aligned.
fn table<const K: usize>(rows: &[[String; K]], left: usize) -> String {
    let mut width = [0usize; K];
    for r in rows {
        for (w, c) in width.iter_mut().zip(r) {
            *w = (*w).max(c.chars().count());
        }
    }
    let mut out = String::new();
    for (i, r) in rows.iter().enumerate() {
        let line: Vec<String> = r
            .iter()
            .zip(width)
            .enumerate()
            .map(|(k, (c, w))| {
                if k < left || i == 0 {
                    format!("{c:<w$}")
                } else {
                    format!("{c:>w$}")
                }
            })
            .collect();
        let _ = writeln!(out, "{}", line.join("  ").trim_end());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::num;

    #[test]
    fn numbers_are_compact() {
        assert_eq!(num(3.0), "3");
        assert_eq!(num(2.5), "2.5");
        assert_eq!(num(1234.5678), "1234.6");
        assert_eq!(num(0.123456), "0.123");
    }
}
