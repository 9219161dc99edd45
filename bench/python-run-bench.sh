#!/usr/bin/env bash
# The Python package's batched run against the command's own throughput, same
# model, engine and tokens, in one run: `lrnnkit run --random N` (one word of N
# random letters, timed inside the process) against lrnnkit.Model.run on the
# same N letters as a NumPy array (timed around the call: the batch goes to C
# through NumPy buffers). Goal: Python within 1.5x of the command.
# Usage: bash bench/python-run-bench.sh [BUILD_DIR] [N]
set -euo pipefail
cd "$(dirname "$0")/.."
B=${1:-build}
N=${2:-1000000}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
printf "%-22s %-6s %14s %14s %7s\n" model engine "command tok/s" "python tok/s" ratio
for spec in "family S:5" "regex (a|b)*a(a|b)" "family Z:7" "regex ((a|b)(a|b)(a|b))*"; do
  kind=${spec%% *}; what=${spec#* }
  if [ "$kind" = family ]; then "$B/tools/lrnnkit" compile --family "$what" -o "$T/m.safetensors" >/dev/null
  else "$B/tools/lrnnkit" compile "$what" -o "$T/m.safetensors" >/dev/null; fi
  for engine in f32 exact; do
    best_cli=0
    for rep in 1 2 3; do
      t=$("$B/tools/lrnnkit" run "$T/m.safetensors" --engine $engine --random "$N" --json |
        /usr/bin/python3 -c "import json,sys; print(json.load(sys.stdin)['tokens_per_second'])")
      best_cli=$(/usr/bin/python3 -c "print(max($best_cli, $t))")
    done
    py=$(PYTHONPATH=python LRNNKIT_LIBRARY="$B/liblrnnkit.so" /usr/bin/python3 - "$T/m.safetensors" $engine "$N" <<'PY'
import sys, time
import numpy as np
import lrnnkit
m = lrnnkit.load(sys.argv[1])
n = int(sys.argv[3])
words = np.random.default_rng(0).integers(0, len(m.alphabet), (1, n))
best = 0.0
for _ in range(3):
    t0 = time.perf_counter()
    m.run(words, engine=sys.argv[2])
    best = max(best, n / (time.perf_counter() - t0))
print(round(best))
PY
)
    printf "%-22s %-6s %14.0f %14.0f %7.2f\n" "$what" $engine "$best_cli" "$py" \
      "$(/usr/bin/python3 -c "print($best_cli / $py)")"
  done
done
