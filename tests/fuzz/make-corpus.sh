#!/usr/bin/env bash
# Regenerates the seed corpus of tests/fuzz/corpus from files the tools write
# (valid inputs) plus edge cases; the inputs the fuzzers found (found-*, each
# also a test in tests/check_hostile.c) stay. Usage: bash tests/fuzz/make-corpus.sh PATH/TO/lrnnkit
set -euo pipefail
LK=${1:?usage: make-corpus.sh LRNNKIT}
cd "$(dirname "$0")"
C=corpus
[ -d "$C" ] && find "$C" -type f ! -name 'found-*' -delete
mkdir -p "$C"/{regex,regex-diff,dfa-json,transf-json,cascade-json,model-json,safetensors,npz,dataset,compile}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
i=0
put() { i=$((i + 1)); printf '%s' "$2" > "$C/$1/seed-$i"; }
for r in 'a*b*' '(a|b)*a(a|b){3}' '(ab|ba)*' '[a-c]+x?' '~(a*)&(a|b)*' '<push><pop>*' \
         '((a|b)(a|b))*' 'a{2,5}b{0,}' '(a*)*' '' '()' '[^ab]' '\(\)' 'a|' '(((((a)))))' 'x{0}' '.*a.{2}'; do
  put regex "$r"
  [ ${#r} -le 20 ] && put regex-diff "$r"
done
for r in 'a*b*' '(a|b)*a(a|b){2}' '(ab|ba)*' '[a-c]x'; do
  "$LK" dfa --json "$r" > "$C/dfa-json/$(echo "$r" | md5sum | cut -c1-8).json"
done
put dfa-json '{"format": "lrnnkit-dfa", "version": 1, "alphabet": ["a"], "states": 1, "start": 0, "accept": [], "delta": [[0]]}'
put dfa-json '{"format": "lrnnkit-dfa", "version": 1, "alphabet": ["a", "b"], "states": 4000000000, "start": 0, "accept": [], "delta": []}'
put transf-json '{"degree": 3, "generators": [[1, 2, 0], [1, 0, 2], [0, 0, 2]]}'
put transf-json '{"degree": 5, "generators": [[1, 2, 3, 4, 0], [0, 0, 2, 3, 4]]}'
put transf-json '{"degree": 1, "generators": []}'
cp ../../examples/z4-cascade.json "$C/cascade-json/"
for f in flipflop 'D:3'; do
  "$LK" decompose --json --family "$f" | python3 -c "import json,sys; print(json.dumps(json.load(sys.stdin)['cascade']))" > "$C/cascade-json/$(echo "$f" | tr -c 'a-zA-Z0-9\n' _).json"
done
"$LK" decompose --json 'a*b*' | python3 -c "import json,sys; print(json.dumps(json.load(sys.stdin)['cascade']))" > "$C/cascade-json/ab.json"
for spec in "--family parity" "--family S:3" "a*b*" "--family flipflop" "--rotation --family Z:5" "--points --family A:4" "--gated (a|b)*a"; do
  name=$(echo "$spec" | tr -c 'a-zA-Z0-9\n' _)
  # shellcheck disable=SC2086
  "$LK" compile $spec -o "$C/safetensors/$name.safetensors" >/dev/null
  python3 - "$C/safetensors/$name.safetensors" > "$C/model-json/$name.json" <<'PY'
import json, struct, sys
b = open(sys.argv[1], 'rb').read()
n = struct.unpack('<Q', b[:8])[0]
print(json.loads(b[8:8 + n])['__metadata__']['model'])
PY
done
cp ../data/*.npz "$C/npz/"
"$LK" gen S:3 --split test:1-4:3 --format npz -o "$T/z" -q && cp "$T/z/test.npz" "$C/npz/dataset.npz"
python3 -c "import sys; sys.stdout.buffer.write(open('$C/npz/matrices-z3.npz','rb').read()[:40])" > "$C/npz/truncated.npz"
# dataset: the first byte picks format (0 jsonl, 1 csv, 2 npy, 3 npz; +4 prefix labels; >= 128 manifest)
for f in jsonl csv npy npz; do
  for kind in final prefix; do
    rm -rf "$T/d"
    "$LK" gen parity --split test:2:2 --format $f --labels $kind -o "$T/d" -q
    b=$(( $(echo "jsonl csv npy npz" | tr ' ' '\n' | grep -n "^$f$" | cut -d: -f1) - 1 ))
    [ $kind = prefix ] && b=$((b + 4))
    file=$(ls "$T/d" | grep -E "^test\.(jsonl|csv|tokens\.npy|npz)$")
    { printf "\\x$(printf %02x $b)"; cat "$T/d/$file"; } > "$C/dataset/$f-$kind"
  done
  { printf '\x80'; cat "$T/d/manifest.json"; } > "$C/dataset/manifest-$f"
done
# compile: n-1, k-1, accept bits, delta bytes, then a word
printf '\x02\x01\x05\x01\x02\x00\x01\x02\x00\x01\x01\x00' > "$C/compile/seed-ab"
printf '\x01\x00\x01\x01\x00\x00\x00\x00' > "$C/compile/seed-parity"
printf '\x06\x02\x55\x01\x02\x03\x04\x05\x06\x00\x00\x01\x02\x03\x04\x05\x06\x01\x02\x03\x04\x05\x06\x00\x01\x02' > "$C/compile/seed-7"
echo "corpus: $(find "$C" -type f | wc -l) files"
