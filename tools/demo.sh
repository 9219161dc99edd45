#!/usr/bin/env bash
# The main job on a built-in example: installs what is missing, builds, then
# takes the word problem of S_5 from automaton to verified LRNN weights.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/bootstrap.sh build
LK=build/tools/lrnnkit
OUT=${OUT:-demo-out}
mkdir -p "$OUT"
set -x
"$LK" dfa --family S:5 --stats
"$LK" classify --family S:5
"$LK" compile --family S:5 -o "$OUT/s5.safetensors"
"$LK" verify "$OUT/s5.safetensors" --family S:5
"$LK" run --engine bf16 "$OUT/s5.safetensors" "(12) (345) (12) (354)"
"$LK" prove parity --models 24
"$LK" gen S:5 --split train:3-40:1000 --split test:40-256:100 --labels prefix --format npy -o "$OUT/s5-data" -q
head -c 600 "$OUT/s5-data/manifest.json"; echo
