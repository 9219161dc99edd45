#!/usr/bin/env python3
"""Prints 'N passed, N failed' from meson testlog.json files: TAP tests count
their subtests (ok / not ok lines), other tests count once by their result."""
import json
import sys

passed = failed = 0
lines = []
for path in sys.argv[1:]:
    with open(path) as f:
        lines += f.readlines()
if True:
    for line in lines:
        t = json.loads(line)
        out = t.get("stdout") or ""
        oks = sum(1 for l in out.splitlines() if l.startswith("ok "))
        bad = sum(1 for l in out.splitlines() if l.startswith("not ok "))
        if oks or bad:
            passed += oks
            failed += bad
            if t.get("result") not in ("OK", "EXPECTEDFAIL") and not bad:
                failed += 1  # crashed or timed out after its last subtest
        elif t.get("result") in ("OK", "EXPECTEDFAIL"):
            passed += 1
        else:
            failed += 1
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
