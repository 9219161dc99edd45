#!/usr/bin/env bash
# Installs what lrnnkit needs from Debian's archive (only what is missing) and
# builds it in ./build (optimized). Usage: bash tools/bootstrap.sh [BUILDDIR] [MESON-OPTIONS...]
# (LK_EXTRA_PKGS: more Debian packages for that build, as tools/fuzz.sh asks for clang)
set -euo pipefail
cd "$(dirname "$0")/.."
PKGS="${LK_EXTRA_PKGS:-} gcc meson ninja-build pkg-config libgmp-dev libglib2.0-dev libjson-glib-dev libxxhash-dev xxhash zlib1g-dev libplplot-dev check python3 python3-numpy python3-torch python3-pytest doxygen"
missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  echo "lrnnkit bootstrap: installing$missing" >&2
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
BUILD=${1:-build}
[ $# -gt 0 ] && shift
[ $# -gt 0 ] || set -- --buildtype=release
if [ ! -f "$BUILD/build.ninja" ]; then
  meson setup "$BUILD" "$@" >"$BUILD.setup.log" 2>&1 || { cat "$BUILD.setup.log" >&2; exit 2; }
  rm -f "$BUILD.setup.log"
fi
ninja -C "$BUILD" >"$BUILD.ninja.log" 2>&1 || { cat "$BUILD.ninja.log" >&2; exit 2; }
rm -f "$BUILD.ninja.log"
