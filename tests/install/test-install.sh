#!/usr/bin/env bash
# The library as an outside C program sees it (TAP): installs the build into
# a scratch prefix, compiles examples/*.c against it through pkg-config alone
# and runs them. Usage: test-install.sh BUILD_DIR SOURCE_DIR LRNNKIT [CFLAGS...]
# (CFLAGS: what the build's objects need at link time, e.g. its sanitizers).
set -u
B=${1:?usage: test-install.sh BUILD_DIR SOURCE_DIR LRNNKIT [CFLAGS...]}
S=$2
LK=$3
shift 3
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
n=0
fails=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $1"; shift; for l in "$@"; do echo "# $l"; done; }

if meson install -C "$B" --destdir "$T/root" --no-rebuild --quiet >"$T/log" 2>&1; then
  ok "meson install into a scratch destdir"
else
  not_ok "meson install into a scratch destdir" "$(tail -5 "$T/log")"
fi
pc=$(find "$T/root" -name lrnnkit.pc | head -1)
prefix=${pc%/lib*/pkgconfig/lrnnkit.pc}
[ -n "$pc" ] && ok "lrnnkit.pc installed" || not_ok "lrnnkit.pc installed"
libdir=$(dirname "$(dirname "$pc")")
so=$(readelf -d "$libdir/liblrnnkit.so" 2>/dev/null | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')
[ "$so" = "liblrnnkit.so.$("$LK" --version | sed 's/lrnnkit \([0-9]*\)\..*/\1/')" ] &&
  ok "versioned soname ($so)" || not_ok "versioned soname" "soname '$so'"
[ -f "$prefix/include/lrnnkit/lrnnkit.h" ] && ok "lrnnkit.h installed" || not_ok "lrnnkit.h installed"
priv=$(find "$prefix/include" -name '*-private.h' -o -name '*-impl.h')
[ -z "$priv" ] && ok "no private header installed" || not_ok "no private header installed" "$priv"
# every public header of the tree is installed (lrnnkit.h includes them all, so this
# also checks that it does)
missing=""
for h in $(cd "$S" && ls automata/*.h automata/semigroup/*.h lrnn/*.h proofs/*.h generators/*.h train/*.h | grep -v -e '-private\.h$' -e '-impl\.h$'); do
  [ -f "$prefix/include/lrnnkit/$h" ] || missing="$missing $h"
  grep -q "#include \"$h\"" "$S/lrnnkit.h" || missing="$missing (lrnnkit.h:$h)"
done
[ -z "$missing" ] && ok "every public header installed and in lrnnkit.h" || not_ok "every public header installed and in lrnnkit.h" "$missing"

# the scratch prefix stands where the configured one would (--destdir keeps the
# configured prefix in the .pc; only lrnnkit's own paths move)
sed -i "s|^prefix=.*|prefix=$prefix|" "$pc"
export PKG_CONFIG_PATH="$libdir/pkgconfig"
flags=$(pkg-config --cflags --libs lrnnkit 2>"$T/err")
[ -n "$flags" ] && ok "pkg-config --cflags --libs lrnnkit" || not_ok "pkg-config --cflags --libs lrnnkit" "$(cat "$T/err")"
for ex in regex-monoid compile-verify; do
  # -I only from pkg-config: the source tree is not on the include path
  if cc -std=c11 -Wall -Wextra -Werror "$@" "$S/examples/$ex.c" -o "$T/$ex" $flags 2>"$T/err"; then
    ok "examples/$ex.c builds against the installed library"
  else
    not_ok "examples/$ex.c builds against the installed library" "$(head -c 600 "$T/err")"
  fi
done
export LD_LIBRARY_PATH="$libdir"
# linked to the installed shared library, not the build tree's
ldd "$T/regex-monoid" 2>/dev/null | grep -q "$libdir/liblrnnkit.so" && ok "examples link the installed liblrnnkit.so" ||
  not_ok "examples link the installed liblrnnkit.so" "$(ldd "$T/regex-monoid" 2>&1 | grep lrnnkit)"

# regex-monoid against the command on the same languages
for rx in '(a|b)*a(a|b)' '((ab)*|c)*' '(a|bb)*'; do
  out=$("$T/regex-monoid" "$rx" 2>&1)
  want=$("$LK" monoid --json "$rx" | python3 -c "import json,sys; j=json.load(sys.stdin); print(j['size'], j['idempotents'], j['is_group'], j['is_aperiodic'])" 2>&1)
  got=$(echo "$out" | python3 -c "
import re, sys
t = sys.stdin.read()
m = re.search(r'monoid: (\d+) elements, (\d+) idempotents', t)
g = re.search(r'group: (\w+), aperiodic: (\w+)', t)
print(m.group(1), m.group(2), g.group(1) == 'yes', g.group(2) == 'yes')" 2>&1)
  [ "$got" = "$want" ] && ok "regex-monoid '$rx' agrees with lrnnkit monoid ($got)" ||
    not_ok "regex-monoid '$rx' agrees with lrnnkit monoid" "example: $got" "command: $want" "$out"
done
"$T/regex-monoid" '(' >"$T/out" 2>&1
[ $? -eq 2 ] && grep -q "column" "$T/out" && ok "regex-monoid: a bad regex is an error naming the column" ||
  not_ok "regex-monoid: a bad regex is an error naming the column" "$(cat "$T/out")"

# compile-verify: exact verification, and the float32 run agrees with the DFA
for rx in '(a|b)*a(a|b)' '(aa|b)*' '((a|b)(a|b)(a|b))*'; do
  for w in abbab aab bbbbbb a; do
    out=$("$T/compile-verify" "$rx" "$w" 2>&1)
    if echo "$out" | grep -q "correct for every length" && echo "$out" | python3 -c "
import re, sys
m = re.search(r'float32 model (\w+), DFA (\w+)', sys.stdin.read())
sys.exit(0 if m and m.group(1) == m.group(2) else 1)"; then
      ok "compile-verify '$rx' $w"
    else
      not_ok "compile-verify '$rx' $w" "$out"
    fi
  done
done

# the Python package, as installed, imports and finds the installed library
site=$(find "$T/root" -type d -name dist-packages | head -1)
got=$(cd "$T" && env -u LRNNKIT_LIBRARY PYTHONPATH="$site" LD_PRELOAD="${LK_PRELOAD:-}" \
  ASAN_OPTIONS=detect_leaks=0:verify_asan_link_order=0 /usr/bin/python3 -c \
  'import lrnnkit; print(lrnnkit.__file__.startswith("'"$site"'"), lrnnkit.count("(a|b)*", 64))' 2>&1)
[ "$got" = "True 18446744073709551616" ] && ok "the installed Python package imports and runs" ||
  not_ok "the installed Python package imports and runs" "$got"

echo "1..$n"
[ "$fails" -eq 0 ]
