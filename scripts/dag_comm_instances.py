#!/usr/bin/env python3
"""Convert the task-graph reference examples of ../shared/benchmarks/dag-comm (W matrix + edges
with communication costs) into hetsched instance files in instances/dag-comm/.

Usage: python3 scripts/dag_comm_instances.py [SOURCE_DIR]   (default: ../shared/benchmarks/dag-comm)

Each processor becomes a device (its id as in the source, kind = id); each task a task with
`times` per device (the W row); each edge an `after` entry {"task": parent, "data": comm} on the
child. The network is the default one (bandwidth 1, latency 0): the transfer time of an edge
between two devices is its communication cost, 0 on one device (the papers' model). The
reference values go to reference.csv.
"""
import json
import os
import sys

FILES = {
    "topcuoglu2002_fig2.json": "topcuoglu2002-fig2",
    "arabnejad2014_peft_fig.json": "arabnejad2014-peft",
}


def convert(src):
    base = src["task_index_base"]
    procs = src["processors"]
    tasks = []
    for i, tid in enumerate(src["tasks"]):
        tasks.append({"id": tid, "times": {p: w for p, w in zip(procs, src["W"][i])}})
    for e in src["edges"]:
        child = tasks[e["to"] - base]
        child.setdefault("after", []).append({"task": src["tasks"][e["from"] - base], "data": e["comm"]})
    return procs, tasks


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    source = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "..", "shared", "benchmarks", "dag-comm")
    out_dir = os.path.join(here, "..", "instances", "dag-comm")
    rows = []
    for name, stem in FILES.items():
        with open(os.path.join(source, name)) as f:
            src = json.load(f)
        procs, tasks = convert(src)
        lines = ["{", f'  "name": "{stem}",', '  "objective": "makespan",', '  "network": {"bandwidth": 1, "latency": 0},',
                 '  "devices": [' + ", ".join(json.dumps({"id": p}) for p in procs) + "],", '  "tasks": [']
        lines += ["    " + json.dumps(t) + ("," if i + 1 < len(tasks) else "") for i, t in enumerate(tasks)]
        lines += ["  ]", "}"]
        with open(os.path.join(out_dir, stem + ".json"), "w") as f:
            f.write("\n".join(lines) + "\n")
        computed = src["computed_here"]["values"]
        published = src.get("published_makespans", {})
        for rule in ["HEFT", "CPOP", "PEFT"]:
            source_of = "published" if rule in published else "computed"
            value = published[rule]["value"] if rule in published else computed[rule]
            rows.append(f"{stem}.json,{rule.lower()},{value},{source_of}")
        rows.append(f"{stem}.json,optimum,{computed['OPT_no_duplication']},computed")
    with open(os.path.join(out_dir, "reference.csv"), "w") as f:
        f.write("file,solver,makespan,source\n" + "\n".join(rows) + "\n")


if __name__ == "__main__":
    main()
