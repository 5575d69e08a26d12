#!/usr/bin/env python3
"""Print docs/data/gavel_sweep.csv as the Markdown tables of docs/simulation.md: per mix and rate,
the mean JCT of jobs 4000-4999 in hours (mean over the trace seeds, with the range over them when
there are several) beside Gavel's published value.

Usage: scripts/gavel_table.py [CSV] [RATES_SINGLE] [RATES_MULTI]
  e.g. scripts/gavel_table.py docs/data/gavel_sweep.csv 0.4,1.6,2.8 0.4,1.2,2.0
"""
import csv
import sys
from collections import defaultdict

CSV = sys.argv[1] if len(sys.argv) > 1 else "docs/data/gavel_sweep.csv"
PICK = {
    "single": sys.argv[2] if len(sys.argv) > 2 else "0.4,1.6,2.8,3.6,4.0,4.4,4.8,5.2,5.6,6.0",
    "multi": sys.argv[3] if len(sys.argv) > 3 else "0.4,1.2,1.6,2.0,2.2,2.4,2.6,2.8,3.0",
}

ours = defaultdict(list)
gavel = {}
with open(CSV) as f:
    for r in csv.DictReader(f):
        key = (r["mix"], float(r["rate_jobs_per_h"]), r["policy"], r["placement"])
        ours[key].append(float(r["mean_jct_h_window"]))
        gavel[key] = r["gavel_mean_jct_h"]


def cell(key):
    v = ours.get(key)
    if not v:
        return "–"
    text = f"{sum(v) / len(v):.1f}"
    if len(v) > 1:
        text += f" <sub>{min(v):.0f}–{max(v):.0f}</sub>"
    return text


COLUMNS = {
    "fcfs": [("fcfs", "any", "FCFS `any`"), ("gavel", "any", "Gavel `fifo`"),
             ("fcfs", "relative", "FCFS `relative`"), ("fcfs", "fastest", "FCFS `fastest`"),
             ("fcfs-preempt", "relative", "FCFS preemptive `relative`"),
             ("fcfs-preempt", "fastest", "FCFS preemptive `fastest`"),
             ("gavel", "relative", "Gavel `fifo_perf`")],
    "las": [("las", "any", "LAS `any`"), ("gavel", "any", "Gavel `max_min_fairness`"),
            ("las", "relative", "LAS `relative`"), ("las", "fastest", "LAS `fastest`"),
            ("gavel", "relative", "Gavel `max_min_fairness_perf`")],
}

for mix, title in [("single", "single-GPU jobs"), ("multi", "multi-GPU jobs")]:
    for family in ["fcfs", "las"]:
        print(f"\n**{title}, {family.upper()}**: mean JCT (h) of jobs 4000–4999\n")
        print("| rate (jobs/h) | " + " | ".join(c[2] for c in COLUMNS[family]) + " |")
        print("|---" * (len(COLUMNS[family]) + 1) + "|")
        for rate in [float(x) for x in PICK[mix].split(",")]:
            row = [f"{rate:.1f}"]
            for policy, placement, _ in COLUMNS[family]:
                if policy == "gavel":
                    row.append(gavel.get((mix, rate, family, placement)) or "–")
                else:
                    row.append(cell((mix, rate, policy, placement)))
            print("| " + " | ".join(row) + " |")
