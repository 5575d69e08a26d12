#!/usr/bin/env python3
"""Solve hetsched instance files with OR-Tools CP-SAT, for side-by-side timing with `milp`.

Usage (through scripts/cpsat_compare.sh, which makes the virtual environment):
    cpsat_compare.py [--workers 2] [--time-limit 60] FILE.json...
Prints one CSV line per instance: file,status,value,bound,seconds.

The model: per task and eligible device an optional interval (start ≥ release and the device's
available_from, size = the processing time), exactly one per task, NoOverlap per device,
end(pred) ≤ start(succ), busy-time capacities; objective makespan, Σw·C or Σw·T. Times must be
integers (the instance sets used here are); other instances are refused. Eligibility: a task's
`times` by device id, then kind, else `work / speed`; memory as in hetsched.
"""
import argparse
import json
import sys
import time

from ortools.sat.python import cp_model


def ptime(task, dev):
    times = task.get("times")
    if times:
        if dev["id"] in times:
            return times[dev["id"]]
        kind = dev.get("kind", dev["id"])
        if kind in times:
            return times[kind]
        if "work" not in task:
            return None
    return task["work"] / dev.get("speed", 1.0)


def as_int(x, what):
    if abs(x - round(x)) > 1e-9:
        raise SystemExit(f"{what} = {x} is not an integer; this script needs integer times")
    return int(round(x))


def solve(path, workers, limit):
    inst = json.load(open(path))
    devs, tasks = inst["devices"], inst["tasks"]
    objective = inst.get("objective", "makespan")
    horizon = max([t.get("release", 0) for t in tasks] + [d.get("available_from", 0) for d in devs])
    p = {}
    for i, t in enumerate(tasks):
        longest = 0
        for j, d in enumerate(devs):
            v = ptime(t, d)
            if v is None or (d.get("memory") is not None and t.get("memory", 0) > d["memory"]):
                continue
            p[i, j] = as_int(v, f"time of {t['id']} on {d['id']}")
            longest = max(longest, p[i, j])
        horizon += longest
    m = cp_model.CpModel()
    start = [m.NewIntVar(0, horizon, f"s{i}") for i in range(len(tasks))]
    end = [m.NewIntVar(0, horizon, f"e{i}") for i in range(len(tasks))]
    per_dev = {j: [] for j in range(len(devs))}
    busy = {j: [] for j in range(len(devs))}
    for i, t in enumerate(tasks):
        opts = []
        for j, d in enumerate(devs):
            if (i, j) not in p:
                continue
            lo = max(as_int(t.get("release", 0), "release"), as_int(d.get("available_from", 0), "availability"))
            b = m.NewBoolVar(f"b{i}_{j}")
            s = m.NewIntVar(lo, horizon, f"s{i}_{j}")
            e = m.NewIntVar(lo, horizon, f"e{i}_{j}")
            iv = m.NewOptionalIntervalVar(s, p[i, j], e, b, f"i{i}_{j}")
            m.Add(start[i] == s).OnlyEnforceIf(b)
            m.Add(end[i] == e).OnlyEnforceIf(b)
            per_dev[j].append(iv)
            busy[j].append((p[i, j], b))
            opts.append(b)
        m.AddExactlyOne(opts)
    for j, ivs in per_dev.items():
        m.AddNoOverlap(ivs)
        cap = devs[j].get("capacity")
        if cap is not None:
            m.Add(sum(pp * b for pp, b in busy[j]) <= int(cap))
    ids = {t["id"]: i for i, t in enumerate(tasks)}
    for i, t in enumerate(tasks):
        for a in t.get("after", []):
            m.Add(end[ids[a]] <= start[i])
    if objective == "makespan":
        cmax = m.NewIntVar(0, horizon, "cmax")
        m.AddMaxEquality(cmax, end)
        m.Minimize(cmax)
    elif objective == "weighted_completion":
        m.Minimize(sum(as_int(t.get("weight", 1), "weight") * end[i] for i, t in enumerate(tasks)))
    elif objective == "weighted_tardiness":
        terms = []
        for i, t in enumerate(tasks):
            if "due" not in t:
                continue
            tard = m.NewIntVar(0, horizon, f"T{i}")
            m.Add(tard >= end[i] - as_int(t["due"], "due"))
            terms.append(as_int(t.get("weight", 1), "weight") * tard)
        m.Minimize(sum(terms))
    else:
        raise SystemExit(f"objective {objective} is not modelled here")
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = workers
    solver.parameters.max_time_in_seconds = limit
    t0 = time.time()
    status = solver.Solve(m)
    seconds = time.time() - t0
    name = {cp_model.OPTIMAL: "optimal", cp_model.FEASIBLE: "feasible", cp_model.INFEASIBLE: "infeasible"}.get(status, "unknown")
    value = solver.ObjectiveValue() if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) else ""
    return f"{path},{name},{value},{solver.BestObjectiveBound()},{seconds:.3f}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--time-limit", type=float, default=60.0)
    ap.add_argument("files", nargs="+")
    a = ap.parse_args()
    print("file,status,value,bound,seconds")
    for f in a.files:
        print(solve(f, a.workers, a.time_limit), flush=True)


if __name__ == "__main__":
    sys.exit(main())
