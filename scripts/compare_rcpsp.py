#!/usr/bin/env python3
"""Side by side on PSPLIB single-mode RCPSP files (.sm), in one run: hetsched's milp (optionally
also a heuristic such as ga) and OR-Tools CP-SAT, under the same time limit and thread count,
against the sets' reference values. Prints a Markdown table and one summary line per solver.

    python3 scripts/compare_rcpsp.py [--time-limit 60] [--threads 2] [--heuristic ga] FILE.sm...

e.g. (the comparison in the report):
    python3 scripts/compare_rcpsp.py --time-limit 10 --threads 2 instances/psplib-j30/j30{1,13,29,45}_*.sm

hetsched side: `hetsched convert --from psplib FILE.sm --out TMP.json`, then `hetsched solve TMP.json
--solver milp --time-limit T --threads K` (and `--solver NAME` for --heuristic NAME, no bound);
status, value, bound and time are read from its plain-text summary (time: the one it reports).
CP-SAT side: the model is built here straight from the .sm file: one interval per job (the dummy
source and sink have duration 0), finish-to-start precedence, AddCumulative per renewable resource,
minimise the makespan; max_time_in_seconds = T, num_workers = K; time: the solver's wall time.

Reference: the `opt` column of a j30_opt.csv beside the file (a proven optimum), else the `ub` column
of a j120_bounds.csv (its `status`: optimal or best-known; `lb` is shown for open instances); any
*.csv in the file's folder with a `file` column is read. Summary: proven = status optimal; "= ref"
counts values equal to the reference; mean gap = mean of 100 (value − ref) / ref over the values
found; median time over all instances. A value below a proven optimum is flagged with "!".

Needs a release build (target/release/hetsched; this script does not build it) and, for CP-SAT,
the virtual environment ${CPSAT_VENV:-/tmp/hetsched-cpsat-venv} that scripts/cpsat_compare.sh uses
(created with ortools from PyPI on first use; the script re-runs itself with that venv's python).
The Rust tests never use this.
"""
import argparse
import csv
import glob
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HETSCHED = os.path.join(ROOT, "target", "release", "hetsched")
VENV = os.environ.get("CPSAT_VENV", "/tmp/hetsched-cpsat-venv")


def ensure_ortools():
    """Re-run this script under the venv's python (creating the venv first) unless ortools imports."""
    try:
        import ortools  # noqa: F401
        return
    except ImportError:
        pass
    if os.environ.get("HETSCHED_RCPSP_REEXEC"):
        raise SystemExit(f"ortools does not import in {sys.executable}; remove {VENV} and retry")
    py = os.path.join(VENV, "bin", "python")
    if not os.access(py, os.X_OK):
        print(f"creating {VENV} (pip install ortools) …", file=sys.stderr, flush=True)
        subprocess.run([sys.executable, "-m", "venv", VENV], check=True)
        subprocess.run([os.path.join(VENV, "bin", "pip"), "install", "--quiet", "ortools"], check=True)
    os.environ["HETSCHED_RCPSP_REEXEC"] = "1"
    os.execv(py, [py, os.path.abspath(__file__)] + sys.argv[1:])


# ---------------------------------------------------------------- PSPLIB .sm


def parse_sm(path):
    """Jobs 1…n of a single-mode .sm file: durations, successors, demands, and the capacities."""
    lines = open(path).read().splitlines()

    def header_int(label):
        for ln in lines:
            if ln.strip().startswith(label):
                return int(re.search(r":\s*(\d+)", ln).group(1))
        raise SystemExit(f"{path}: no '{label}' line")

    n = header_int("jobs (incl. supersource/sink )")
    renewable = header_int("- renewable")
    if header_int("- nonrenewable") or header_int("- doubly constrained"):
        raise SystemExit(f"{path}: non-renewable resources: not a single-mode RCPSP file")

    def section(title, skip):
        """Integer tokens of the section starting at `title`, after `skip` header lines."""
        i = next((k for k, ln in enumerate(lines) if ln.startswith(title)), None)
        if i is None:
            raise SystemExit(f"{path}: no '{title}' section")
        toks = []
        for ln in lines[i + 1 + skip:]:
            if ln.startswith("***"):
                break
            toks += [int(t) for t in ln.split()]
        return toks

    succ, dur, dem = {}, {}, {}
    toks = section("PRECEDENCE RELATIONS:", 1)
    k = 0
    while k < len(toks):
        job, modes, ns = toks[k:k + 3]
        if modes != 1:
            raise SystemExit(f"{path}: job {job} has {modes} modes: not single-mode")
        succ[job] = toks[k + 3:k + 3 + ns]
        k += 3 + ns
    toks = section("REQUESTS/DURATIONS:", 2)  # column header and dashed line
    width = 3 + renewable
    for k in range(0, len(toks), width):
        job, _mode, d = toks[k:k + 3]
        dur[job] = d
        dem[job] = toks[k + 3:k + width]
    caps = section("RESOURCEAVAILABILITIES:", 1)
    if sorted(succ) != list(range(1, n + 1)) or sorted(dur) != list(range(1, n + 1)) \
            or len(caps) != renewable:
        raise SystemExit(f"{path}: could not read {n} jobs and {renewable} capacities")
    return {"jobs": n, "dur": dur, "succ": succ, "dem": dem, "cap": caps}


def references(paths):
    """file name → (reference value, kind, lower bound or None) from the CSVs next to the files."""
    ref = {}
    for d in sorted({os.path.dirname(os.path.abspath(p)) for p in paths}):
        for c in sorted(glob.glob(os.path.join(d, "*.csv"))):
            with open(c, newline="") as fh:
                for row in csv.DictReader(fh):
                    name = row.get("file")
                    if not name:
                        continue
                    if row.get("opt"):
                        ref[name] = (float(row["opt"]), "optimal", None)
                    elif row.get("ub"):
                        kind = row.get("status") or ("optimal" if row.get("lb") == row["ub"] else "best-known")
                        lb = float(row["lb"]) if row.get("lb") else None
                        ref[name] = (float(row["ub"]), kind, lb)
    return ref


# ---------------------------------------------------------------- the solvers


def field(out, name):
    m = re.search(rf"^{name}\s+(\S+)", out, re.M)
    return m.group(1) if m else ""


def hetsched(json_path, solver, limit, threads):
    args = [HETSCHED, "solve", json_path, "--solver", solver, "--time-limit", str(limit),
            "--threads", str(threads)]
    t0 = time.time()
    p = subprocess.run(args, capture_output=True, text=True)
    wall = time.time() - t0
    out = p.stdout
    reported = field(out, "time")
    status = field(out, "status") or f"error (exit {p.returncode})"
    if p.returncode != 0 and not field(out, "status"):
        print(f"hetsched solve {solver}: {p.stderr.strip()[:300]}", file=sys.stderr)
    return {
        "status": status,
        "value": field(out, "value"),
        "bound": field(out, "bound"),
        "seconds": float(reported) if reported else wall,
    }


def convert(sm_path, json_path):
    p = subprocess.run([HETSCHED, "convert", "--from", "psplib", sm_path, "--out", json_path],
                       capture_output=True, text=True)
    if p.returncode != 0:
        raise SystemExit(f"hetsched convert {sm_path}: {p.stderr.strip()}")


def cpsat(inst, limit, workers):
    from ortools.sat.python import cp_model

    jobs = range(1, inst["jobs"] + 1)
    horizon = sum(inst["dur"].values())
    m = cp_model.CpModel()
    start = {j: m.NewIntVar(0, horizon, f"s{j}") for j in jobs}
    end = {j: m.NewIntVar(0, horizon, f"e{j}") for j in jobs}
    iv = {j: m.NewIntervalVar(start[j], inst["dur"][j], end[j], f"i{j}") for j in jobs}
    for j in jobs:
        for s in inst["succ"][j]:
            m.Add(end[j] <= start[s])
    for r, cap in enumerate(inst["cap"]):
        users = [j for j in jobs if inst["dem"][j][r] > 0]
        if users:
            m.AddCumulative([iv[j] for j in users], [inst["dem"][j][r] for j in users], cap)
    makespan = m.NewIntVar(0, horizon, "makespan")
    m.AddMaxEquality(makespan, [end[j] for j in jobs])
    m.Minimize(makespan)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = float(limit)
    solver.parameters.num_workers = int(workers)
    t0 = time.time()
    st = solver.Solve(m)
    wall = time.time() - t0
    found = st in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    return {
        "status": solver.StatusName(st).lower(),
        "value": f"{solver.ObjectiveValue():g}" if found else "",
        "bound": f"{solver.BestObjectiveBound():g}" if found or st == cp_model.UNKNOWN else "",
        "seconds": wall,
    }


# ---------------------------------------------------------------- report


def num(x):
    try:
        return float(x)
    except (TypeError, ValueError):
        return None


def cells(r, ref, with_bound=True):
    v = num(r["value"])
    mark = "!" if v is not None and ref and ref[1] == "optimal" and v < ref[0] - 1e-6 else ""
    b = num(r["bound"])
    out = [r["status"], (f"{v:g}" if v is not None else "–") + mark]
    if with_bound:
        out.append(f"{b:g}" if b is not None else "–")
    out.append(f"{r['seconds']:.2f} s")
    return out


def summary(name, rows, refs):
    n = len(rows)
    proven = sum(r["status"] == "optimal" for r in rows)
    gaps, equal = [], 0
    for r, ref in zip(rows, refs):
        v = num(r["value"])
        if v is None or not ref:
            continue
        gaps.append(100 * (v - ref[0]) / ref[0])
        equal += abs(v - ref[0]) < 1e-6
    with_ref = sum(1 for r, ref in zip(rows, refs) if ref and num(r["value"]) is not None)
    mean = f"{statistics.mean(gaps):+.2f} % (over {len(gaps)} values)" if gaps else "–"
    med = statistics.median(r["seconds"] for r in rows)
    return (f"- **{name}**: proven optimal {proven}/{n}; value = reference {equal}/{with_ref}; "
            f"mean gap to reference {mean}; median time {med:.2f} s")


def main():
    ap = argparse.ArgumentParser(description="hetsched milp vs OR-Tools CP-SAT on PSPLIB .sm files")
    ap.add_argument("--time-limit", type=float, default=60.0)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--heuristic", metavar="SOLVER",
                    help="also run this hetsched solver (e.g. ga) with the same limit and threads")
    ap.add_argument("files", nargs="+")
    a = ap.parse_args()
    if not os.access(HETSCHED, os.X_OK):
        raise SystemExit(f"{HETSCHED} is missing: build it first (cargo build --release)")
    ensure_ortools()
    refs = references(a.files)
    limit = f"{a.time_limit:g}"

    head = ["instance", "reference", "milp status", "value", "bound", "time"]
    if a.heuristic:
        head += [f"{a.heuristic} status", "value", "time"]
    head += ["CP-SAT status", "value", "bound", "time"]
    print(f"Time limit {limit} s, {a.threads} thread(s) / worker(s) each.\n")
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))

    res = {"milp": [], "heur": [], "cpsat": []}
    ref_list = []
    with tempfile.TemporaryDirectory(prefix="compare_rcpsp.") as tmp:
        for f in a.files:
            base = os.path.basename(f)
            name = os.path.splitext(base)[0]
            ref = refs.get(base)
            ref_list.append(ref)
            inst = parse_sm(f)
            js = os.path.join(tmp, name + ".json")
            convert(f, js)
            mi = hetsched(js, "milp", limit, a.threads)
            res["milp"].append(mi)
            row = [name]
            if ref is None:
                row.append("–")
            elif ref[1] == "optimal":
                row.append(f"{ref[0]:g} (opt)")
            else:
                row.append(f"{ref[0]:g} (best-known" + (f", lb {ref[2]:g})" if ref[2] is not None else ")"))
            row += cells(mi, ref)
            if a.heuristic:
                he = hetsched(js, a.heuristic, limit, a.threads)
                res["heur"].append(he)
                row += cells(he, ref, with_bound=False)
            cp = cpsat(inst, a.time_limit, a.threads)
            res["cpsat"].append(cp)
            row += cells(cp, ref)
            print("| " + " | ".join(row) + " |", flush=True)

    print()
    print(summary("hetsched milp", res["milp"], ref_list))
    if a.heuristic:
        print(summary(f"hetsched {a.heuristic}", res["heur"], ref_list))
    print(summary(f"CP-SAT ({a.threads} workers)", res["cpsat"], ref_list))


if __name__ == "__main__":
    sys.exit(main())
