#!/usr/bin/env bash
# LRNN engines: tokens per second of lrnnkit's f32 and exact engines on the
# compiled S_5 word-problem model against two NumPy loops over the same weight
# file: factor by factor like fla's naive recurrence, and with precomputed
# per-token n x n matrices; plus the time to verify the model exactly. Two
# models: S_5 acting on 5 points (compile --points: 120 tokens, up to 4
# reflections each) and on itself (the regular representation, 120 points).
# Usage: bash bench/lrnn-bench.sh [TOKENS]
set -uo pipefail
cd "$(dirname "$0")/.."
N=${1:-2000000}
NP=${NP:-20000}
bash tools/bootstrap.sh build-bench >/dev/null || exit 2
LK=build-bench/tools/lrnnkit
OUT=bench/out
mkdir -p "$OUT"
PY=/usr/bin/python3
for variant in points regular; do
echo "== S_5, $variant"
opt=""; [ $variant = points ] && opt=--points
"$LK" compile $opt --family S:5 -o "$OUT/s5.safetensors" >/dev/null
for e in f32 exact; do
  "$LK" run --json --random "$N" --engine "$e" "$OUT/s5.safetensors"
done
"$PY" - "$OUT/s5.safetensors" "$NP" <<'PY'
import json, sys, time
import numpy as np
sys.path.insert(0, "tools")
from lrnn_ref import load
tensors, model = load(sys.argv[1])
n_tok = int(sys.argv[2])
keys = tensors["layer0.keys"].astype(np.float32); betas = tensors["layer0.betas"].astype(np.float32)
values = tensors["layer0.values"].astype(np.float32)
T, nh, n = keys.shape
rng = np.random.default_rng(0)
toks = rng.integers(0, T, n_tok)
h = tensors["layer0.h0"].astype(np.float32)
t0 = time.perf_counter()
for t in toks:
    for j in range(nh):
        k = keys[t, j]; b = betas[t, j]
        h = h - b * k * (k @ h) + b * k * values[t, j]
t1 = time.perf_counter()
print(json.dumps({"engine": "numpy factor by factor", "tokens": n_tok, "tokens_per_second": round(n_tok / (t1 - t0))}))
mats = np.zeros((T, n, n), np.float32); bias = np.zeros((T, n), np.float32)
for t in range(T):
    A = np.eye(n, dtype=np.float32); c = np.zeros(n, np.float32)
    for j in range(nh):
        k = keys[t, j]; b = betas[t, j]
        F = np.eye(n, dtype=np.float32) - b * np.outer(k, k)
        A = F @ A; c = F @ c + b * k * values[t, j]
    mats[t] = A; bias[t] = c
h = tensors["layer0.h0"].astype(np.float32)
t0 = time.perf_counter()
for t in toks:
    h = mats[t] @ h + bias[t]
t1 = time.perf_counter()
print(json.dumps({"engine": "numpy per-token matrices", "tokens": n_tok, "tokens_per_second": round(n_tok / (t1 - t0))}))
PY
"$LK" verify --json "$OUT/s5.safetensors" --family S:5
done
