"""The NumPy baselines of orbit-bench.sh.

orbit-numpy.py F.npz: the step orbit of token 0 in float32 (h = A h + B with
float32 arrays), detecting the first repeated state with a dict of the
visited states' bytes; prints transient, period and steps per second.
orbit-numpy.py F.npz --fractions K: the exact powers A^k B for k < K with
Python's fractions (diagonal A), as lrnnkit's cast model computes them."""
import json
import sys
import time
from fractions import Fraction

import numpy as np

d = np.load(sys.argv[1])
A = d["A"][0]
n = A.shape[0]
B = d["B"][0] if "B" in d else np.zeros(n, A.dtype)
h0 = d["h0"] if "h0" in d else np.zeros(n, A.dtype)
if len(sys.argv) > 3 and sys.argv[2] == "--fractions":
    K = int(sys.argv[3])
    s = [Fraction(float(x)) for x in np.diag(A)]
    b = [Fraction(float(x)) for x in B]
    t0 = time.perf_counter()
    p = [Fraction(1)] * n
    for k in range(K):
        x = [p[i] * b[i] for i in range(n)]
        p = [p[i] * s[i] for i in range(n)]
    t1 = time.perf_counter()
    print(json.dumps({"baseline": "python fractions, exact powers", "steps": K,
                      "seconds": round(t1 - t0, 3)}))
    sys.exit(0)
A = A.astype(np.float32)
B = B.astype(np.float32)
h = h0.astype(np.float32)
seen = {}
t0 = time.perf_counter()
k = 0
while True:
    key = h.tobytes()
    if key in seen:
        break
    seen[key] = k
    h = (A @ h + B).astype(np.float32)
    k += 1
    if k > 10_000_000:
        break
t1 = time.perf_counter()
print(json.dumps({"baseline": "numpy float32 loop + dict", "transient": seen.get(h.tobytes(), -1),
                  "period": k - seen.get(h.tobytes(), k), "steps": k,
                  "steps_per_second": round(k / (t1 - t0))}))
