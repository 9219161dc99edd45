#!/usr/bin/env bash
# Training speed: `lrnnkit train` (float32) against its PyTorch reference
# (tools/train_ref.py bench: the same model, batch 256, parity at lengths
# 3-40, AdamW, CPU) on this machine with the same number of threads, for the
# toy diagonal model (dim 10), DeltaNet and Mamba-style (dim 32, one layer);
# prints steps per second of each and the ratio.
# Usage: bash bench/train-bench.sh [THREADS]
set -uo pipefail
cd "$(dirname "$0")/.."
bash tools/bootstrap.sh build-bench >/dev/null || exit 2
LK=build-bench/tools/lrnnkit
OUT=bench/out
TH=${1:-1}
mkdir -p "$OUT"
rm -rf "$OUT/train-data"
"$LK" gen parity -q --format npy --split train:3-40:100000 --split test:40-256:16 -o "$OUT/train-data"
printf 'batch 256, parity at lengths 3-40, %s thread(s); steps per second\n' "$TH"
printf '%-10s %12s %12s %8s\n' model lrnnkit PyTorch ratio
for spec in diagonal:10:2000:50 deltanet:32:300:10 mamba:32:300:10; do
  IFS=: read -r model dim csteps psteps <<<"$spec"
  rm -rf "$OUT/train-run"
  t0=$(date +%s.%N)
  "$LK" train --model "$model" --dim "$dim" --eig 11 --data "$OUT/train-data" -o "$OUT/train-run" -q \
    --steps "$csteps" --eval-every "$csteps" --threads "$TH"
  t1=$(date +%s.%N)
  c=$(echo "$csteps / ($t1 - $t0)" | bc -l)
  p=$(/usr/bin/python3 tools/train_ref.py bench "$OUT/train-data" --model "$model" --dim "$dim" \
      --steps "$psteps" --threads "$TH")
  printf '%-10s %12.1f %12.2f %7.1fx\n' "$model" "$c" "$p" "$(echo "$c / $p" | bc -l)"
done
echo "(lrnnkit: the whole run, start-up and one evaluation included; PyTorch: steps after 5 warm-up steps)"
