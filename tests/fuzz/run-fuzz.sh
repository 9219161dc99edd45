#!/usr/bin/env bash
# Runs one libFuzzer harness for SECONDS from its seed corpus: new inputs go
# to a scratch directory, crashes to ARTIFACTS (default: a scratch directory,
# printed). Usage: run-fuzz.sh HARNESS FUZZ-SOURCE-DIR NAME SECONDS [ARTIFACTS]
set -uo pipefail
exe=$1 src=$2 name=$3 secs=$4
art=${5:-$(mktemp -d)}
mkdir -p "$art"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
args=(-max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=65536
      -artifact_prefix="$art/" -print_final_stats=1)
dict=$src/dict/$name.dict
[ -f "$dict" ] && args+=(-dict="$dict")
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
"$exe" "${args[@]}" "$work" "$src/corpus/$name" 2>&1 | tail -n 40
rc=${PIPESTATUS[0]}
[ "$rc" -ne 0 ] && echo "fuzz-$name: failed (exit $rc); crashing inputs in $art"
exit "$rc"
