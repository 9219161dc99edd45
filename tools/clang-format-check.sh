#!/bin/sh
# Fails when a C file in the tree is not formatted as .clang-format says.
cf=${1:-clang-format}
cd "${MESON_SOURCE_ROOT:-.}" || exit 2
git ls-files '*.c' '*.h' | xargs "$cf" --dry-run --Werror
