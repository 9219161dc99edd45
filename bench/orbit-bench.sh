#!/usr/bin/env bash
# Finite-precision orbits: lrnnkit's cycle detection (`orbit`, step model,
# f32) against a NumPy loop doing the same float32 arithmetic with a dict of
# visited states; exact powers (`orbit --model cast`) against Python's
# fractions computing the same powers; and the default `prove sweep` (models
# per second, and the share of its time spent emulating roundings, from perf
# when it is installed).
# Usage: bash bench/orbit-bench.sh
set -uo pipefail
cd "$(dirname "$0")/.."
bash tools/bootstrap.sh build-bench >/dev/null || exit 2
LK=build-bench/tools/lrnnkit
OUT=bench/out
mkdir -p "$OUT"
PY=/usr/bin/python3
# a contraction with a long f32 transient, and a rotation whose f32 orbit is a long cycle
"$PY" - "$OUT" <<'PY'
import sys
import numpy as np
out = sys.argv[1]
n = 8
rng = np.random.default_rng(1)
s = 1 - rng.integers(1, 64, n) / 4096.0          # eigenvalues in (0.98, 1)
np.savez(f"{out}/orbit-diag.npz", A=np.diag(s)[None].astype(np.float32),
         B=rng.integers(-8, 8, (1, n)).astype(np.float32) / 8)
c, si = 3 / 5, 4 / 5                               # rotation with rational cosine
np.savez(f"{out}/orbit-rot.npz", A=np.array([[[c, -si], [si, c]]], np.float32),
         h0=np.array([1.0, 0.0], np.float32))
PY
for m in diag rot; do
  echo "== step orbit, f32, $m"
  t0=$(date +%s.%N)
  "$LK" orbit --json --matrices "$OUT/orbit-$m.npz" --token 0 --precision f32 --max-steps 30000000 \
    > "$OUT/orbit.json" 2>/dev/null
  t1=$(date +%s.%N)
  "$PY" -c "import json; j=json.load(open('$OUT/orbit.json')) if open('$OUT/orbit.json').read() else {'horizon': 30000000, 'transient': None, 'period': None}; t=$t1-$t0; print(json.dumps({'lrnnkit': 'orbit --model step', 'transient': j['transient'], 'period': j['period'], 'steps': j['horizon'], 'seconds': round(t, 3), 'steps_per_second': round(j['horizon']/t)}))"
  "$PY" bench/orbit-numpy.py "$OUT/orbit-$m.npz"
done
for p in f32 f64; do
  echo "== exact powers (cast model), $p, diag"
  t0=$(date +%s.%N)
  "$LK" orbit --json --matrices "$OUT/orbit-diag.npz" --token 0 --model cast --precision $p \
    --max-steps 100000 > "$OUT/orbit.json"
  t1=$(date +%s.%N)
  K=$("$PY" -c "import json; j=json.load(open('$OUT/orbit.json')); print(j['horizon'])")
  "$PY" -c "import json; j=json.load(open('$OUT/orbit.json')); print(json.dumps({'lrnnkit': 'orbit --model cast', 'method': j['method'], 'transient': j['transient'], 'exact_steps': j['horizon'], 'seconds': round($t1-$t0, 3)}))"
  "$PY" bench/orbit-numpy.py "$OUT/orbit-diag.npz" --fractions "$K"
done
echo "== prove sweep (defaults: 1200 models x 9 families x 5 precisions, <= 10^4 steps)"
start=$(date +%s.%N)
"$LK" prove sweep --json > "$OUT/sweep.json"
end=$(date +%s.%N)
"$PY" -c "import json; j=json.load(open('$OUT/sweep.json')); t=$end-$start; print(f'sweep: {t:.1f} s, {j[\"orbits\"]} orbits, {j[\"orbits\"]/t:.0f} orbits/s')"
if command -v perf >/dev/null; then
  perf record -q -o "$OUT/perf.data" -- "$LK" prove sweep --models 300 --threads 1 >/dev/null 2>&1
  perf report -q -i "$OUT/perf.data" --sort symbol --stdio 2>/dev/null |
    awk '/%/ {gsub("%","",$1); t+=$1; if ($0 ~ /round|lk_precision_(mul|add|round)|nearbyint|frexp|ldexp/) r+=$1}
         END {printf "share of the sweep in rounding emulation: %.0f%%\n", r}'
fi
