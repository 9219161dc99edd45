#!/usr/bin/env bash
# Holonomy decomposition and compile + exact verification by automaton size,
# against the transition-monoid enumeration in the same run (holonomy-bench.py).
# Usage: bash bench/holonomy-bench.sh [CAP_SECONDS]   (default 60)
set -uo pipefail
cd "$(dirname "$0")/.."
bash tools/bootstrap.sh build-bench >/dev/null || exit 2
python3 bench/holonomy-bench.py build-bench/tools/lrnnkit "${1:-60}"
