#!/usr/bin/env bash
# Regex -> minimal DFA: lrnnkit against libfa (Hopcroft and Brzozowski settings)
# and refa, in one run on this machine. Prints seconds, peak memory of lrnnkit,
# and the ratio fastest peer / lrnnkit. Each run is capped at $CAP seconds.
# Usage: bash bench/regex-bench.sh [K_MIN K_MAX]
set -uo pipefail
cd "$(dirname "$0")/.."
KMIN=${1:-8}
KMAX=${2:-20}
CAP=${CAP:-60}
bash tools/bootstrap.sh build-bench >/dev/null || exit 2
OUT=bench/out
mkdir -p "$OUT"
LK=build-bench/tools/lrnnkit
LIBFA=build-bench/bench/libfa-bench
[ -x "$LIBFA" ] || echo "note: libfa-bench not built (apt-get install libaugeas-dev, then reconfigure)" >&2
if [ ! -d bench/node_modules/refa ]; then
  (cd bench && npm install --no-save --silent refa@0.12.1 >/dev/null 2>&1) || echo "note: refa not installed" >&2
fi

# run CMD...: prints "seconds peakKB" (best of up to 5 runs), or "timeout" / "fail"
run() { python3 bench/timeit.py "$CAP" "$@"; }
secs() { case "$1" in timeout|fail) echo "$1";; *) echo "${1%% *}";; esac; }

printf "%-22s %10s %8s %10s %10s %10s %8s\n" case lrnnkit MiB libfa-brz libfa-hop refa ratio
bench_case() {
  local name=$1 file=$2
  local lk fb fh rf
  lk=$(run "$LK" dfa --stats --max-states 100000000 --max-positions 100000000 -f "$file")
  fb=$( [ -x "$LIBFA" ] && run "$LIBFA" brzozowski "$file" || echo n/a)
  fh=$( [ -x "$LIBFA" ] && run "$LIBFA" hopcroft "$file" || echo n/a)
  rf=$( [ -d bench/node_modules/refa ] && run node bench/refa-bench.mjs "$file" || echo n/a)
  local best
  best=$(printf "%s\n%s\n%s\n" "$(secs "$fb")" "$(secs "$fh")" "$(secs "$rf")" | grep -E '^[0-9.]+$' | sort -g | head -1)
  local lks=$(secs "$lk") mem=n/a ratio=n/a
  case "$lk" in timeout|fail) ;; *) mem=$(( ${lk##* } / 1024 ));; esac
  if [ -n "$best" ] && [[ "$lks" =~ ^[0-9.]+$ ]]; then
    ratio=$(python3 -c "print(f'{$best/$lks:.1f}x')")
  fi
  printf "%-22s %10s %8s %10s %10s %10s %8s\n" "$name" "$lks" "$mem" "$(secs "$fb")" "$(secs "$fh")" "$(secs "$rf")" "$ratio"
}
for k in $(seq "$KMIN" 2 "$KMAX"); do
  echo "(a|b)*a(a|b){$k}" > "$OUT/suffix$k.rx"
  bench_case "suffix k=$k" "$OUT/suffix$k.rx"
done
python3 bench/gen-words.py 2000 1 > "$OUT/words2000.rx"
bench_case "2000 words" "$OUT/words2000.rx"
echo "(seconds of wall clock incl. process start, best of up to 5 runs; MiB = lrnnkit's peak"
echo " resident memory; ratio = fastest peer / lrnnkit; timeout = over ${CAP}s)"
