#!/usr/bin/env python3
"""Holonomy decomposition and compile + exact verification by automaton size.

For each case: `lrnnkit decompose --json` (image sets, holonomy levels, the
widest cascade level), `lrnnkit compile --json` (layers after merging, state
dimensions, exact verification), and as the baseline in the same run the
enumeration of the transition monoid (`lrnnkit monoid --enumerate-only`),
which the decomposition never does. Levels are set against the paper's
bound (2^|Q| levels of at most |Q| states) and against |Q|.
Usage: python3 bench/holonomy-bench.py LRNNKIT [CAP_SECONDS]  (see holonomy-bench.sh)
"""
import json
import os
import random
import subprocess
import sys
import tempfile
import time

LK = sys.argv[1]
CAP = float(sys.argv[2]) if len(sys.argv) > 2 else 60.0
TMP = tempfile.mkdtemp(prefix="lk-holonomy-bench-")


def run(args):
    """(seconds, parsed JSON stdout) or (None, 'timeout'/'fail')."""
    t0 = time.perf_counter()
    try:
        p = subprocess.run([LK] + args, capture_output=True, text=True, timeout=CAP)
    except subprocess.TimeoutExpired:
        return None, "timeout"
    dt = time.perf_counter() - t0
    if p.returncode != 0:
        return None, "limit" if p.returncode == 3 else "fail"
    try:
        return dt, json.loads(p.stdout) if p.stdout.strip().startswith("{") else None
    except json.JSONDecodeError:
        return dt, None


def write(name, obj):
    path = os.path.join(TMP, name)
    with open(path, "w") as f:
        json.dump(obj, f)
    return path


def tn(n):
    cycle = [(i + 1) % n for i in range(n)]
    swap = [1, 0] + list(range(2, n))
    merge = [0, 0] + list(range(2, n))
    return write("T%d.json" % n, {"degree": n, "generators": [cycle, swap, merge]})


def random_dfa(n, k, seed):
    """Uniform transitions, half the states accepting (not minimized)."""
    rng = random.Random(seed)
    letters = "abcdefgh"[:k]
    d = {"alphabet": list(letters), "states": n, "start": 0,
         "accept": sorted(rng.sample(range(n), max(1, n // 2))),
         "delta": [[rng.randrange(n) for _ in range(k)] for _ in range(n)]}
    return write("rand-%d-%d-%d.json" % (n, k, seed), d)


def transformations_of(dfa_args):
    """The letters of a DFA as transformations (for the monoid baseline)."""
    _, d = run(["dfa", "--json"] + dfa_args)
    if not isinstance(d, dict):
        return None
    gens = [[d["delta"][q][a] for q in range(d["states"])] for a in range(len(d["alphabet"]))]
    return write("t-%d.json" % abs(hash(tuple(dfa_args))), {"degree": d["states"], "generators": gens})


def fmt(t):
    return "%.3f" % t if isinstance(t, float) else str(t)


def case(name, dfa_args=None, tjson=None):
    if tjson is None:
        tjson = transformations_of(dfa_args)
    src = dfa_args if dfa_args is not None else ["-t", tjson]
    td, dj = run(["decompose", "--json", "--max-states", "10000000"] + src)
    tm, _ = run(["monoid", "--enumerate-only", "--max-elements", "100000000", "-t", tjson]) if tjson else (None, "n/a")
    row = {"case": name, "Q": "?", "images": "-", "levels": "-", "width": "-", "decompose": dj if td is None else td,
           "layers": "-", "dims": "-", "compile+verify": "-", "monoid": tm if tm is not None else _}
    if isinstance(dj, dict):
        row.update(Q=dj["states"], images=dj["images"], levels=len(dj["levels"]),
                   width=max([l["states"] for l in dj["levels"]] or [0]))
    if dfa_args is not None:
        tc, cj = run(["compile", "--json", "--max-states", "10000000", "-o",
                      os.path.join(TMP, "m.safetensors")] + dfa_args)
        if isinstance(cj, dict):
            row.update(layers=cj["layers"], dims=max(cj["state_dim"]), **{"compile+verify": tc})
            assert cj["verified"] is True
        else:
            row["compile+verify"] = cj
    print("%-22s %6s %8s %7s %6s %10s %7s %6s %14s %10s" % (
        row["case"], row["Q"], row["images"], row["levels"], row["width"], fmt(row["decompose"]),
        row["layers"], row["dims"], fmt(row["compile+verify"]), fmt(row["monoid"])), flush=True)


print("%-22s %6s %8s %7s %6s %10s %7s %6s %14s %10s" % (
    "case", "|Q|", "images", "levels", "width", "decompose", "layers", "dim", "compile+verify", "monoid"))
for fam in ["flipflop", "evenpairs", "cycle:7", "D:6", "arith"]:
    case(fam, ["--family", fam])
for n in range(5, 11):
    case("T_%d" % n, tjson=tn(n))
for k in [4, 6, 8, 10, 12, 13, 14, 15, 16]:
    case("(a|b)*a(a|b){%d}" % k, ["(a|b)*a(a|b){%d}" % k])
for n, k in [(10, 2), (12, 2), (14, 2), (16, 2), (18, 2), (20, 2), (22, 2), (10, 3), (12, 3), (14, 3)]:
    for seed in (1, 2):
        case("random %d x %d #%d" % (n, k, seed), ["--load", random_dfa(n, k, 1000 * n + seed)])
print("(seconds per process, start-up included; cap %g s; levels: holonomy levels (the paper's bound is"
      " 2^|Q| levels of <= |Q| states); width: widest cascade level; layers/dim: the compiled model after"
      " merging; monoid: enumerating the transition monoid, the baseline the decomposition avoids;"
      " limit = a --max-* limit was hit)" % CAP)
