#!/usr/bin/env python3
"""Plot docs/data/gavel_sweep.csv as an SVG: mean JCT (jobs 4000-4999) against the arrival rate,
ours (mean over the trace seeds) beside Gavel's published values, one panel per GPU mix.

Usage: scripts/gavel_plot.py [CSV] [SVG]   (defaults docs/data/gavel_sweep.csv, docs/img/gavel_jct_vs_rate.svg;
the maxmin runs of docs/data/gavel_maxmin.csv are added when that file exists)

Standard library only. The y axis is logarithmic (the JCT grows by an order of magnitude past
the saturation knee); values above the top of the axis (1000 h) are drawn on it.
"""
import csv
import math
import sys
from collections import defaultdict

CSV = sys.argv[1] if len(sys.argv) > 1 else "docs/data/gavel_sweep.csv"
SVG = sys.argv[2] if len(sys.argv) > 2 else "docs/img/gavel_jct_vs_rate.svg"

# (policy, placement) of ours; the published counterpart shares the colour, dashed.
SERIES = [
    ("las", "any", "#d62728", "LAS agnostic (any)", "max_min_fairness", "Gavel LAS agnostic"),
    ("las", "relative", "#1f77b4", "LAS aware (relative)", "max_min_fairness_perf", "Gavel LAS aware"),
    ("fcfs", "any", "#ff7f0e", "FCFS agnostic (any)", "fifo", "Gavel FIFO agnostic"),
    ("fcfs", "relative", "#2ca02c", "FCFS aware (relative)", "fifo_perf", "Gavel FIFO aware"),
    ("fcfs-preempt", "fastest", "#9467bd", "FCFS preemptive aware (fastest)", None, None),
    ("maxmin", "lp", "#111111", "maxmin (LP, aware)", None, None),
]
# The maxmin runs (scripts/gavel_maxmin.sh), drawn when the file exists.
MAXMIN_CSV = "docs/data/gavel_maxmin.csv"
Y_MIN, Y_MAX = 10.0, 1000.0
W, H = 980, 520
PANEL_W, PANEL_H = 400, 330
LEFT, TOP = 70, 70


def load():
    ours = defaultdict(list)
    gavel = {}
    with open(CSV) as f:
        for r in csv.DictReader(f):
            rate = float(r["rate_jobs_per_h"])
            ours[(r["mix"], r["policy"], r["placement"], rate)].append(float(r["mean_jct_h_window"]))
            if r["gavel_mean_jct_h"]:
                gavel[(r["mix"], r["gavel_policy"], rate)] = float(r["gavel_mean_jct_h"])
    try:
        with open(MAXMIN_CSV) as f:
            for r in csv.DictReader(f):
                key = (r["mix"], "maxmin", "lp", float(r["rate"]))
                ours[key].append(float(r["window_mean_jct_h"]))
    except FileNotFoundError:
        pass
    return ours, gavel


def main():
    ours, gavel = load()
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" '
        f'viewBox="0 0 {W} {H}" font-family="sans-serif" font-size="12">',
        f'<rect width="{W}" height="{H}" fill="white"/>',
    ]
    seeds = max(len(v) for v in ours.values())
    out.append(
        f'<text x="{W / 2}" y="20" text-anchor="middle" font-size="14">Mean JCT of jobs '
        f"4000–4999 against the arrival rate, 36 V100 + 36 P100 + 36 K80 GPUs</text>"
    )
    out.append(
        f'<text x="{W / 2}" y="38" text-anchor="middle">hetsched simulate (solid, filled marks: '
        f"mean of {seeds} trace seed{'s' if seeds > 1 else ''}) and Gavel's published values "
        f"(dashed, open marks)</text>"
    )
    for p, (mix, title) in enumerate([("single", "single-GPU jobs"), ("multi", "multi-GPU jobs (1/2/4/8)")]):
        x0 = LEFT + p * (PANEL_W + 90)
        rates = sorted({k[3] for k in ours if k[0] == mix})
        x_max = max(rates) * 1.05
        sx = lambda r: x0 + r / x_max * PANEL_W
        sy = lambda v: TOP + PANEL_H - (math.log10(min(max(v, Y_MIN), Y_MAX)) - 1) / 2 * PANEL_H
        out.append(f'<text x="{x0 + PANEL_W / 2}" y="{TOP - 8}" text-anchor="middle">{title}</text>')
        out.append(
            f'<rect x="{x0}" y="{TOP}" width="{PANEL_W}" height="{PANEL_H}" fill="none" stroke="#444"/>'
        )
        for v in [10, 20, 50, 100, 200, 500, 1000]:
            y = sy(v)
            out.append(f'<line x1="{x0}" x2="{x0 + PANEL_W}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>')
            out.append(f'<text x="{x0 - 6}" y="{y + 4:.1f}" text-anchor="end">{v}</text>')
        step = 1.0 if mix == "single" else 0.5
        t = 0.0
        while t <= x_max + 1e-9:
            x = sx(t)
            out.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{TOP + PANEL_H}" y2="{TOP + PANEL_H + 5}" stroke="#444"/>')
            out.append(f'<text x="{x:.1f}" y="{TOP + PANEL_H + 18}" text-anchor="middle">{t:g}</text>')
            t += step
        out.append(
            f'<text x="{x0 + PANEL_W / 2}" y="{TOP + PANEL_H + 36}" text-anchor="middle">'
            f"arrival rate (jobs per hour)</text>"
        )
        out.append(
            f'<text transform="translate({x0 - 45},{TOP + PANEL_H / 2}) rotate(-90)" '
            f'text-anchor="middle">mean JCT (hours, log scale)</text>'
        )
        for policy, placement, colour, _, gname, _ in SERIES:
            for dashed, pts in [
                (False, [(r, sum(v) / len(v)) for r in rates if (v := ours.get((mix, policy, placement, r)))]),
                (True, sorted((r, v) for (m, g, r), v in gavel.items() if m == mix and g == gname)
                 if gname else []),
            ]:
                if not pts:
                    continue
                path = " ".join(f"{sx(r):.1f},{sy(v):.1f}" for r, v in pts)
                dash = ' stroke-dasharray="6,4"' if dashed else ""
                out.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>')
                for r, v in pts:
                    fill = "white" if dashed else colour
                    out.append(
                        f'<circle cx="{sx(r):.1f}" cy="{sy(v):.1f}" r="3" fill="{fill}" stroke="{colour}"/>'
                    )
    # Legend.
    ly = TOP + PANEL_H + 55
    for i, (_, _, colour, label, _, glabel) in enumerate(SERIES):
        x = LEFT + i % 4 * 225
        y = ly + i // 4 * 36
        out.append(f'<line x1="{x}" x2="{x + 24}" y1="{y}" y2="{y}" stroke="{colour}" stroke-width="2"/>')
        out.append(f'<text x="{x + 30}" y="{y + 4}">{label}</text>')
        if glabel is None:
            continue
        out.append(
            f'<line x1="{x}" x2="{x + 24}" y1="{y + 18}" y2="{y + 18}" stroke="{colour}" '
            f'stroke-width="2" stroke-dasharray="6,4"/>'
        )
        out.append(f'<text x="{x + 30}" y="{y + 22}">{glabel}</text>')
    out.append("</svg>")
    with open(SVG, "w") as f:
        f.write("\n".join(out) + "\n")
    print(f"wrote {SVG}")


if __name__ == "__main__":
    main()
