#!/usr/bin/env bash
# Installs what is missing, builds with ASan+UBSan in ./build-test and runs the
# default test suites; ends with "N passed, N failed" counted from meson's log.
# Usage: bash tools/test.sh [meson test options, e.g. --suite unit]
set -uo pipefail
cd "$(dirname "$0")/.."
WERROR=false
[ "${CI:-}" = "true" ] && WERROR=true
bash tools/bootstrap.sh build-test -Dbuildtype=debugoptimized -Db_sanitize=address,undefined \
  -Db_lundef=false -Dwerror=$WERROR || exit 2
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
meson test -C build-test --print-errorlogs --no-suite long "$@"
rc=$?
python3 tools/tap-summary.py build-test/meson-logs/testlog.json || rc=1
exit $rc
