#!/usr/bin/env python3
"""Writes the generators of the full transformation monoid T_n as lrnnkit
transformations JSON: an n-cycle, a transposition, a rank n-1 map."""
import json
import sys

n = int(sys.argv[1])
cycle = [(i + 1) % n for i in range(n)]
swap = [1, 0] + list(range(2, n))
merge = [0, 0] + list(range(2, n))
print(json.dumps({"degree": n, "generators": [cycle, swap, merge]}))
