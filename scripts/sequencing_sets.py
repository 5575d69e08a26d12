#!/usr/bin/env python3
"""Write the sequencing instance set of instances/sequencing/ (integer data, fixed seeds).

- rrwc-N-M-sK.json: R|r_j|ΣwC — N tasks on M unrelated devices, times U{1..20} per device,
  releases U{0..⌊Σ mean times / (2M)⌋}, weights U{1..10}.
- wt-N-sK.json: 1||ΣwT — N jobs as in OR-Library's generator (Crauwels, Potts & Van Wassenhove
  1998): p U{1..100}, w U{1..10}, due U{⌊P(1−TF−RDD/2)⌋..⌊P(1−TF+RDD/2)⌋} with TF, RDD drawn
  from {0.2, 0.4, 0.6, 0.8, 1.0} per instance, P = Σp.
- prec-12-sK.json: makespan with precedence — 12 tasks, 3 devices, times U{1..9}, a random DAG.

Run from the repository root: python3 scripts/sequencing_sets.py
The files are committed; this script documents and reproduces them.
"""
import json
import os
import random

OUT = "instances/sequencing"


def write(name, data):
    with open(os.path.join(OUT, name + ".json"), "w") as f:
        json.dump(data, f, indent=1)
        f.write("\n")


def rrwc(n, m, seed):
    rng = random.Random(seed)
    devices = [{"id": f"d{d}"} for d in range(m)]
    times = [[rng.randint(1, 20) for _ in range(m)] for _ in range(n)]
    spread = sum(sum(t) / m for t in times) // (2 * m)
    tasks = []
    for t in range(n):
        tasks.append({
            "id": f"t{t}",
            "times": {f"d{d}": times[t][d] for d in range(m)},
            "weight": rng.randint(1, 10),
            "release": rng.randint(0, int(spread)),
        })
    name = f"rrwc-{n}-{m}-s{seed}"
    write(name, {"name": name, "objective": "weighted_completion", "devices": devices, "tasks": tasks})


def wt(n, seed):
    rng = random.Random(1000 + seed)
    p = [rng.randint(1, 100) for _ in range(n)]
    w = [rng.randint(1, 10) for _ in range(n)]
    total = sum(p)
    tf = rng.choice([0.2, 0.4, 0.6, 0.8, 1.0])
    rdd = rng.choice([0.2, 0.4, 0.6, 0.8, 1.0])
    lo = max(0, int(total * (1 - tf - rdd / 2)))
    hi = int(total * (1 - tf + rdd / 2))
    due = [rng.randint(lo, hi) for _ in range(n)]
    tasks = [{"id": f"j{j}", "work": p[j], "weight": w[j], "due": due[j]} for j in range(n)]
    name = f"wt-{n}-s{seed}"
    write(name, {"name": name, "objective": "weighted_tardiness", "devices": [{"id": "machine"}], "tasks": tasks})


def prec(seed):
    rng = random.Random(2000 + seed)
    n, m = 12, 3
    devices = [{"id": f"d{d}"} for d in range(m)]
    tasks = []
    for t in range(n):
        after = [f"t{k}" for k in range(t) if rng.random() < 0.2]
        tasks.append({
            "id": f"t{t}",
            "times": {f"d{d}": rng.randint(1, 9) for d in range(m)},
            "after": after,
        })
    name = f"prec-12-s{seed}"
    write(name, {"name": name, "objective": "makespan", "devices": devices, "tasks": tasks})


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    for k, (n, m) in enumerate([(10, 3), (10, 4), (12, 3), (12, 4), (14, 3), (14, 4), (16, 3), (16, 4), (18, 4), (20, 4)]):
        rrwc(n, m, k + 1)
    for k, n in enumerate([20, 20, 22, 24, 25, 26, 28, 30, 30, 30]):
        wt(n, k + 1)
    for k in range(3):
        prec(k + 1)
