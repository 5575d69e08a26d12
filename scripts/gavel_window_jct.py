#!/usr/bin/env python3
"""Mean JCT of a window of jobs, as Gavel measures it (jobs 4000-5000 of a trace).

Usage: gavel_window_jct.py INSTANCE.json SCHEDULE.json FROM TO

The jobs are taken in the instance's file order, which for `hetsched generate --family trace` is
arrival order; jobs FROM .. TO-1 (0-based, Gavel's `range(FROM, TO)`) form the window. A job
completes at the end of its last segment in the schedule (a preemptive schedule has several).
Prints one line: window mean JCT (hours), the number of window jobs, whether every window job
completed before the trace's last arrival (1/0: if 0, the window's tail ran while the cluster
drained, which lowers contention compared with Gavel, whose arrivals go on until the window
completes), and the mean JCT over all jobs.
"""
import json
import sys


def main():
    instance, schedule, lo, hi = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    with open(instance) as f:
        tasks = json.load(f)["tasks"]
    with open(schedule) as f:
        assignments = json.load(f)["assignments"]
    if len(tasks) < hi:
        sys.exit(f"{instance}: {len(tasks)} jobs, the window needs {hi}")
    end = {}
    for a in assignments:
        end[a["task"]] = max(end.get(a["task"], 0.0), a["end"])
    jct = [end[t["id"]] - t.get("release", 0.0) for t in tasks]
    window = jct[lo:hi]
    last_arrival = max(t.get("release", 0.0) for t in tasks)
    done = all(end[t["id"]] <= last_arrival for t in tasks[lo:hi])
    print(f"{sum(window) / len(window):.2f} {len(window)} {int(done)} {sum(jct) / len(jct):.2f}")


if __name__ == "__main__":
    main()
