#!/usr/bin/env bash
# Writes the CLI reference (docs/cli.md) from the commands' own help texts,
# or with --check compares it with them (the CLI test suite does), so the
# reference can never drift from the program.
# Usage: bash tools/cli-reference.sh LRNNKIT [--check]
set -euo pipefail
export LC_ALL=C.UTF-8 # the help texts as a UTF-8 terminal shows them
LK=${1:?usage: cli-reference.sh LRNNKIT [--check]}
DOC="$(dirname "$0")/../docs/cli.md"
gen() {
  echo "# lrnnkit command reference"
  echo
  echo "Generated from \`lrnnkit help COMMAND\` by \`tools/cli-reference.sh\`; the tests check that it"
  echo "matches the program. Exit codes: 0 ok, 1 a checked property is false, 2 bad usage or input,"
  echo "3 a resource limit was hit, 4 internal error."
  echo
  echo '```'
  "$LK" help
  echo '```'
  for c in $("$LK" help | awk '/^commands:/ {on=1; next} on && NF && $1 != "help" {print $1} /^$/ && on {exit}'); do
    echo
    echo "## lrnnkit $c"
    echo
    echo '```'
    "$LK" help "$c"
    echo '```'
  done
}
if [ "${2:-}" = "--check" ]; then
  diff -u "$DOC" <(gen) >/dev/null
else
  gen > "$DOC"
fi
