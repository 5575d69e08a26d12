#!/usr/bin/env python3
"""Side by side on the same instances, in one run: hetsched's milp with the time-indexed model
(auto), with the disjunctive model, and OR-Tools CP-SAT, each proving optimality under a time
limit; plus the root bound of each hetsched model. Prints a Markdown table.

    python3 scripts/compare_sequencing.py [--time-limit 60] [--threads 2] FILE.json...

Needs a release build (target/release/hetsched) and, for CP-SAT, the virtual environment that
scripts/cpsat_compare.sh creates (it is created on first use). The Rust tests never use this.
"""
import argparse
import os
import re
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HETSCHED = os.path.join(ROOT, "target", "release", "hetsched")


def field(out, name):
    m = re.search(rf"^{name}\s+(\S+)", out, re.M)
    return m.group(1) if m else ""


def solve(path, formulation, limit, threads):
    args = [HETSCHED, "solve", path, "--solver", "milp", "--time-limit", str(limit),
            "--threads", str(threads)]
    if formulation:
        args += ["--formulation", formulation]
    t0 = time.time()
    out = subprocess.run(args, capture_output=True, text=True).stdout
    wall = time.time() - t0
    note = field(out, "note")
    m = re.search(r"root bound (\S+?),", out)
    return {
        "status": field(out, "status"),
        "value": field(out, "value"),
        "bound": field(out, "bound"),
        "seconds": wall,
        "root": m.group(1) if m else "",
        "note": note,
    }


def lp_bound(path, formulation, limit):
    out = subprocess.run([HETSCHED, "bound", path, "--formulation", formulation,
                          "--time-limit", str(limit)], capture_output=True, text=True).stdout
    m = re.search(r"^lower bound: (\S+)", out, re.M)
    return float(m.group(1)) if m else None


def cpsat(path, limit, workers):
    script = os.path.join(ROOT, "scripts", "cpsat_compare.sh")
    out = subprocess.run([script, "--workers", str(workers), "--time-limit", str(limit), path],
                         capture_output=True, text=True).stdout.strip().splitlines()
    _, status, value, bound, seconds = out[-1].split(",")
    return {"status": status, "value": value, "bound": bound, "seconds": float(seconds)}


def gap(value, bound):
    try:
        v, b = float(value), float(bound)
    except (TypeError, ValueError):
        return "–"
    if v == 0:
        return "0 %" if b >= 0 else "–"
    return f"{100 * (v - b) / abs(v):.1f} %"


def shown(r):
    return f"{r['seconds']:.2f} s" if r["status"] == "optimal" else f"not proven ({r['value']} ≥ {r['bound']})"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--time-limit", type=float, default=60.0)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("files", nargs="+")
    a = ap.parse_args()
    print("| instance | optimum | time-indexed (auto) | its root gap | disjunctive | its root LP gap | CP-SAT, "
          f"{a.threads} workers |")
    print("|---|---|---|---|---|---|---|")
    for f in a.files:
        ti = solve(f, None, a.time_limit, a.threads)
        dj = solve(f, "disjunctive", a.time_limit, a.threads)
        cp = cpsat(f, a.time_limit, a.threads)
        best = min(float(x["value"]) for x in (ti, dj, cp) if x["value"])
        # Root bound of the time-indexed side: the column generation's, else HiGHS's LP.
        ti_root = ti["root"] or lp_bound(f, "time-indexed", a.time_limit)
        dj_root = lp_bound(f, "disjunctive", a.time_limit)
        name = os.path.splitext(os.path.basename(f))[0]
        print(f"| {name} | {best:g} | {shown(ti)} | {gap(best, ti_root)} | {shown(dj)} | "
              f"{gap(best, dj_root)} | {shown(cp)} |", flush=True)


if __name__ == "__main__":
    sys.exit(main())
