#!/usr/bin/env bash
# Fuzzing with libFuzzer (clang, ASan, UBSan) in ./build-fuzz.
#   bash tools/fuzz.sh                 every harness for 25 s from its seed corpus
#                                      (the 'fuzz' suite; ends with "N passed, N failed")
#   bash tools/fuzz.sh --long SECONDS [NAME...]
#                                      long runs: the corpus grows in fuzz-out/NAME, crashing
#                                      inputs land in fuzz-out/crashes (turn each into a
#                                      regression test before fixing it)
set -uo pipefail
cd "$(dirname "$0")/.."
CC=clang LK_EXTRA_PKGS="clang libclang-rt-14-dev" bash tools/bootstrap.sh build-fuzz -Dfuzz=true \
  -Dbuildtype=debugoptimized -Db_sanitize=address,undefined -Db_lundef=false || exit 2
if [ "${1:-}" = "--long" ]; then
  secs=${2:?usage: fuzz.sh --long SECONDS [NAME...]}
  shift 2
  names=("$@")
  [ ${#names[@]} -gt 0 ] || names=($(ls tests/fuzz/corpus))
  mkdir -p fuzz-out/crashes
  rc=0
  for n in "${names[@]}"; do
    mkdir -p "fuzz-out/$n"
    echo "== fuzz-$n: $secs s"
    ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 \
      build-fuzz/tests/fuzz/fuzz-"$n" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
      -max_len=65536 -artifact_prefix=fuzz-out/crashes/ -print_final_stats=1 \
      $( [ -f "tests/fuzz/dict/$n.dict" ] && echo -dict="tests/fuzz/dict/$n.dict" ) \
      "fuzz-out/$n" "tests/fuzz/corpus/$n" 2>&1 | grep -E "stat::number_of_executed_units|stat::peak_rss|ERROR|SUMMARY|Done" || true
    [ "${PIPESTATUS[0]}" -eq 0 ] || rc=1
  done
  exit $rc
fi
meson test -C build-fuzz --suite fuzz --print-errorlogs
rc=$?
python3 tools/tap-summary.py build-fuzz/meson-logs/testlog.json || rc=1
exit $rc
