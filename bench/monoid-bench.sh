#!/usr/bin/env bash
# Transition monoids: lrnnkit (enumeration with both Cayley graphs) against
# GAP's Size(Semigroup(...)) (Debian package gap), in one run on this machine.
# Cases: the full transformation monoids T_5..T_8 (an n-cycle, a transposition,
# a rank n-1 map) and the syntactic monoids of (a|b)*a(a|b){k}.
# Usage: bash bench/monoid-bench.sh   (CAP=seconds per run, default 120)
set -uo pipefail
cd "$(dirname "$0")/.."
CAP=${CAP:-120}
bash tools/bootstrap.sh build-bench >/dev/null || exit 2
LK=build-bench/tools/lrnnkit
OUT=bench/out
mkdir -p "$OUT"
command -v gap >/dev/null || echo "note: GAP not installed (apt-get install gap-core gap-libs)" >&2

# gap_script JSON-FILE: GAP code that prints the size of the monoid generated
# by the transformations in the file (lrnnkit transformations format).
gap_script() {
  python3 - "$1" <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))
gens = ", ".join("Transformation([%s])" % ",".join(str(x + 1) for x in g) for g in t["generators"])
print("S := Monoid(%s);; Print(Size(S), \"\\n\"); QUIT;" % gens)
PY
}

printf "%-22s %10s %10s %8s %8s %10s %8s %10s %8s %10s\n" case size lrnnkit MiB B/elem GAP ratio analysis MiB an/enum
bench_case() {
  local name=$1 tjson=$2
  local res size secs mem bpe gs ratio
  res=$(TIMEIT_RUNS=3 python3 bench/timeit.py "$CAP" "$LK" monoid --enumerate-only --max-elements 100000000 -t "$tjson")
  local full fsecs fmem an
  full=$(TIMEIT_RUNS=3 python3 bench/timeit.py "$CAP" "$LK" monoid --json --max-elements 100000000 -t "$tjson")
  fsecs=${full%% *}
  case "$full" in timeout|fail) fmem=n/a;; *) fmem=$(( ${full##* } / 1024 ));; esac
  out=$(timeout "$CAP" "$LK" monoid --enumerate-only --json --max-elements 100000000 -t "$tjson" 2>/dev/null)
  size=$(python3 -c "import json,sys; print(json.loads(sys.argv[1])['size'])" "$out" 2>/dev/null || echo "?")
  bpe=$(python3 -c "import json,sys; print(json.loads(sys.argv[1])['bytes_per_element'])" "$out" 2>/dev/null || echo "?")
  secs=${res%% *}
  case "$res" in timeout|fail) mem=n/a;; *) mem=$(( ${res##* } / 1024 ));; esac
  gs=n/a
  if command -v gap >/dev/null; then
    gap_script "$tjson" > "$OUT/$name.g"
    gs=$(python3 bench/timeit.py "$CAP" gap -q "$OUT/$name.g"); gs=${gs%% *}
  fi
  ratio=n/a
  if [[ "$gs" =~ ^[0-9.]+$ ]] && [[ "$secs" =~ ^[0-9.]+$ ]]; then ratio=$(python3 -c "print(f'{$gs/$secs:.0f}x')"); fi
  an=n/a
  if [[ "$fsecs" =~ ^[0-9.]+$ ]] && [[ "$secs" =~ ^[0-9.]+$ ]]; then an=$(python3 -c "print(f'{$fsecs/$secs:.2f}x')"); fi
  printf "%-22s %10s %10s %8s %8s %10s %8s %10s %8s %10s\n" "$name" "$size" "$secs" "$mem" "$bpe" "$gs" "$ratio" "$fsecs" "$fmem" "$an"
}
for n in 5 6 7 8; do
  python3 bench/gen-tn.py "$n" > "$OUT/T$n.json"
  bench_case "T_$n" "$OUT/T$n.json"
done
for k in 2 3 4; do
  "$LK" dfa --json "(a|b)*a(a|b){$k}" > "$OUT/sfx$k.dfa.json"
  python3 - "$OUT/sfx$k.dfa.json" > "$OUT/sfx$k.t.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
gens = [[d["delta"][q][a] for q in range(d["states"])] for a in range(len(d["alphabet"]))]
print(json.dumps({"degree": d["states"], "generators": gens}))
PY
  bench_case "suffix k=$k" "$OUT/sfx$k.t.json"
done
echo "(seconds: wall clock incl. process start, best of up to 5 runs; lrnnkit enumerates every"
echo " element with its shortest word and both Cayley graphs; GAP computes Size only; ratio = GAP / lrnnkit;"
echo " analysis = the full 'monoid --json' (Green's classes, groups, periods), an/enum = its time over the"
echo " enumeration's; best of 3 runs each)"
