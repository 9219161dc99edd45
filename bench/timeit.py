#!/usr/bin/env python3
"""Times a command: prints 'SECONDS PEAK_KB' (best of up to 5 runs when a run
takes under half a second; at least TIMEIT_RUNS runs, default 1, on a noisy
machine), or 'timeout' / 'fail'.
Usage: timeit.py CAP_SECONDS CMD...  (each run under `timeout CAP`)"""
import os
import subprocess
import sys
import time

cap = float(sys.argv[1])
cmd = sys.argv[2:]
best, peak, runs = None, 0, 0
while runs < 5:
    t0 = time.perf_counter()
    p = subprocess.Popen(["timeout", str(cap)] + cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _, status, ru = os.wait4(p.pid, 0)
    except KeyboardInterrupt:
        p.kill()
        raise
    dt = time.perf_counter() - t0
    if os.WIFEXITED(status) and os.WEXITSTATUS(status) == 124:
        print("timeout")
        sys.exit(0)
    if status != 0:
        print("fail")
        sys.exit(0)
    best = dt if best is None else min(best, dt)
    peak = max(peak, ru.ru_maxrss)
    runs += 1
    if dt > 0.5 and runs >= int(os.environ.get("TIMEIT_RUNS", "1")):
        break
print(f"{best:.4f} {peak}")
