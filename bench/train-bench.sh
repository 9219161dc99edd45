#!/usr/bin/env bash
# Training speed: `lrnnkit train` (the toy diagonal model, float32) against
# its PyTorch reference (tools/train_ref.py bench: the same model, batch 256,
# parity at lengths 3-40, AdamW) on this machine, with the same number of
# threads; prints steps per second of each and the ratio.
# Usage: bash bench/train-bench.sh [THREADS]
set -uo pipefail
cd "$(dirname "$0")/.."
bash tools/bootstrap.sh build-bench >/dev/null || exit 2
LK=build-bench/tools/lrnnkit
OUT=bench/out
TH=${1:-1}
mkdir -p "$OUT"
rm -rf "$OUT/train-data" "$OUT/train-run"
"$LK" gen parity -q --format npy --split train:3-40:100000 --split test:40-256:256 -o "$OUT/train-data"
STEPS=2000
t0=$(date +%s.%N)
"$LK" train --model diagonal --eig 11 --data "$OUT/train-data" -o "$OUT/train-run" -q \
  --steps $STEPS --eval-every $STEPS --threads "$TH"
t1=$(date +%s.%N)
c=$(echo "$STEPS / ($t1 - $t0)" | bc -l)
p=$(/usr/bin/python3 tools/train_ref.py bench "$OUT/train-data" --steps 50 --threads "$TH")
printf 'toy diagonal model, batch 256, lengths 3-40, %s thread(s)\n' "$TH"
printf '  lrnnkit train   %10.1f steps/s (%d steps, whole run with start-up and evaluation)\n' "$c" $STEPS
printf '  PyTorch (CPU)   %10.1f steps/s (50 steps after 5 warm-up steps)\n' "$p"
printf '  ratio           %10.1fx\n' "$(echo "$c / $p" | bc -l)"
