#!/usr/bin/env bash
# Long runs (meson test --suite long): the large cases of the benchmarks as
# checks of exact known values. TAP. Usage: test-long.sh PATH/TO/lrnnkit
set -u
LK=${1:?usage: test-long.sh LRNNKIT}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
n=0
fails=0
PY=$(command -v python3)
check() { # DESC EXPR CMD...: EXPR over j = JSON output of CMD
  local desc=$1 expr=$2; shift 2
  n=$((n + 1))
  if "$@" >"$T/out" 2>"$T/err" && "$PY" -c "import json,sys; j=json.load(open('$T/out')); sys.exit(0 if ($expr) else 1)"; then
    echo "ok $n - $desc"
  else
    fails=$((fails + 1)); echo "not ok $n - $desc"; head -c 300 "$T/err" | sed 's/^/# /'
  fi
}
for k in 16 18 20; do
  check "(a|b)*a(a|b){$k} has 2^$((k + 1)) states" "j['states'] == 2**($k + 1) and len(j['accept']) == 2**$k" \
    "$LK" dfa --json --max-states 5000000 "(a|b)*a(a|b){$k}"
done
"$LK" dfa --json '(a|b)*a(a|b){14}' > "$T/h.json"
"$LK" dfa --json --minimizer brzozowski '(a|b)*a(a|b){14}' > "$T/b.json"
n=$((n + 1))
if [ -s "$T/h.json" ] && cmp -s "$T/h.json" "$T/b.json"; then echo "ok $n - Hopcroft and Brzozowski agree at k = 14"
else fails=$((fails + 1)); echo "not ok $n - Hopcroft and Brzozowski agree at k = 14"; fi
printf '{"degree": 8, "generators": [[1,2,3,4,5,6,7,0],[1,0,2,3,4,5,6,7],[0,0,2,3,4,5,6,7]]}' > "$T/t8.json"
check "T_8 has 8^8 elements" "j['size'] == 8**8" "$LK" monoid --enumerate-only --json --max-elements 20000000 -t "$T/t8.json"
printf '{"degree": 7, "generators": [[1,2,3,4,5,6,0],[1,0,2,3,4,5,6],[0,0,2,3,4,5,6]]}' > "$T/t7.json"
check "T_7: 7 D-classes, 6322 idempotents, groups S_1..S_7" \
  "j['size'] == 7**7 and j['d_classes'] == 7 and j['idempotents'] == 6322 and sorted(g['order'] for g in j['groups']) == [1, 2, 6, 24, 120, 720, 5040]" \
  "$LK" monoid --json -t "$T/t7.json"
check "count: 2^9999 words of length 10000 in parity" "int(j['count']) == 2**9999" "$LK" count --json --length 10000 --family parity
"$LK" compile --family S:6/swaps -o "$T/s6.safetensors" >/dev/null 2>&1
check "S_6 with swaps compiles and verifies" "j['verified'] is True and j['lrnn_states'] == 720" "$LK" verify --json "$T/s6.safetensors" --family S:6/swaps
echo "1..$n"
[ "$fails" -eq 0 ]
