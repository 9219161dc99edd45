#!/usr/bin/env bash
# Datasets: tokens per second written by `lrnnkit gen` for parity and the S_5
# word problem (train lengths 40-256, prefix labels) in every format, against
# a vectorized NumPy generator of the same arrays (bench/gen-numpy.py: random
# tokens, cumulative labels, np.save, then sync) and against dd writing the
# same number of bytes with a final sync (conv=fsync); lrnnkit syncs its files
# too. Disk times here vary a lot from run to run, so every timing is the
# median (and best) of REPS runs.
# Usage: bash bench/gen-bench.sh [EXAMPLES [REPS]]   (default 200000 ~ 30 M tokens, 5)
set -uo pipefail
cd "$(dirname "$0")/.."
N=${1:-200000}
REPS=${2:-5}
bash tools/bootstrap.sh build-bench >/dev/null || exit 2
LK=build-bench/tools/lrnnkit
OUT=bench/out/gen
PY=/usr/bin/python3
rm -rf "$OUT"; mkdir -p "$OUT"
now() { date +%s.%N; }
# median and best of the numbers on stdin
stats() { sort -g | awk '{a[NR]=$1} END {printf "%.3f %.3f", a[int((NR+1)/2)], a[1]}'; }
for task in parity S5; do
  spec=$task; [ $task = S5 ] && spec=S:5
  times=""
  for rep in $(seq "$REPS"); do
    rm -rf "$OUT/np"; mkdir -p "$OUT/np"; sync
    t0=$(now)
    read -r np_tokens np_secs < <("$PY" bench/gen-numpy.py $task "$N" 40 256 "$OUT/np")
    sync; t1=$(now)
    times="$times $(echo "$t1 - $t0" | bc -l)"
  done
  np_bytes=$(cat "$OUT"/np/* | wc -c)
  read -r np_med np_best < <(echo $times | tr ' ' '\n' | stats)
  np_rate=$(echo "$np_tokens / $np_med" | bc -l)
  printf '%-6s numpy         %9d tokens  %6.1f MB  median %.3f s (best %.3f)  %6.1f M tokens/s\n' \
    $task "$np_tokens" "$(echo "$np_bytes / 1000000" | bc -l)" "$np_med" "$np_best" "$(echo "$np_rate / 1000000" | bc -l)"
  rm -rf "$OUT/np"
  for f in npy jsonl csv npz; do
    times=""; dd_times=""
    for rep in $(seq "$REPS"); do
      rm -rf "$OUT/lk"; sync
      t0=$(now)
      "$LK" gen "$spec" --split "train:40-256:$N" --labels prefix --format $f -o "$OUT/lk" -q || exit 1
      t1=$(now)
      times="$times $(echo "$t1 - $t0" | bc -l)"
      bytes=$(cat "$OUT"/lk/train* | wc -c)
      tokens=$("$PY" -c "import json; print(json.load(open('$OUT/lk/manifest.json'))['splits'][0]['tokens'])")
      rm -rf "$OUT/lk"; sync
      t0=$(now); dd if=/dev/zero of="$OUT/dd" bs=1M count=$(((bytes + 1048575) / 1048576)) conv=fsync status=none; t1=$(now)
      dd_times="$dd_times $(echo "$t1 - $t0" | bc -l)"
      rm -f "$OUT/dd"; sync
    done
    read -r med best < <(echo $times | tr ' ' '\n' | stats)
    read -r dd_med dd_best < <(echo $dd_times | tr ' ' '\n' | stats)
    rate=$(echo "$tokens / $med" | bc -l)
    printf '%-6s lrnnkit %-5s %9d tokens  %6.1f MB  median %.3f s (best %.3f)  %6.1f M tokens/s  numpy/lrnnkit %4.1fx (best %4.1fx)  dd median %.3f s (best %.3f): lrnnkit/dd %4.2fx (best %4.2fx)\n' \
      $task $f "$tokens" "$(echo "$bytes / 1000000" | bc -l)" "$med" "$best" "$(echo "$rate / 1000000" | bc -l)" \
      "$(echo "$np_med / $med" | bc -l)" "$(echo "$np_best / $best" | bc -l)" "$dd_med" "$dd_best" \
      "$(echo "$med / $dd_med" | bc -l)" "$(echo "$best / $dd_best" | bc -l)"
  done
done
