#!/usr/bin/env python3
"""The NumPy baseline of bench/gen-bench.sh: a vectorized generator of the same
data as `lrnnkit gen TASK --labels prefix --format npy` (padded int32 tokens
and prefix labels, lengths), written with np.save.

    gen-numpy.py parity|S5 N MINLEN MAXLEN OUTDIR   prints tokens, seconds
"""
import itertools
import sys
import time

import numpy as np


def s5_table():
    """Cayley table of S_5: state x token -> state (apply the state first)."""
    perms = list(itertools.permutations(range(5)))
    index = {p: i for i, p in enumerate(perms)}
    table = np.empty((120, 120), dtype=np.int32)
    for i, p in enumerate(perms):
        for j, q in enumerate(perms):
            table[i, j] = index[tuple(q[p[x]] for x in range(5))]
    return table, index[tuple(range(5))]


def main():
    task, n, lo, hi, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
    t0 = time.perf_counter()
    rng = np.random.default_rng(0)
    lengths = rng.integers(lo, hi + 1, n, dtype=np.int32)
    valid = np.arange(hi)[None, :] < lengths[:, None]
    if task == "parity":
        tokens = rng.integers(0, 2, (n, hi), dtype=np.int32)
        labels = np.cumsum(tokens, axis=1, dtype=np.int32) & 1
        pad = 2
    else:
        table, e = s5_table()
        tokens = rng.integers(0, 120, (n, hi), dtype=np.int32)
        labels = np.empty_like(tokens)
        state = np.full(n, e, dtype=np.int32)
        for t in range(hi):  # vectorized over the examples
            state = table[state, tokens[:, t]]
            labels[:, t] = state
        pad = 120
    tokens[~valid] = pad
    labels[~valid] = -100
    np.save(f"{out}/train.tokens.npy", tokens)
    np.save(f"{out}/train.labels.npy", labels)
    np.save(f"{out}/train.lengths.npy", lengths)
    secs = time.perf_counter() - t0
    print(int(lengths.sum()), f"{secs:.3f}")


if __name__ == "__main__":
    main()
