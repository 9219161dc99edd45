#!/usr/bin/env python3
"""Writes an alternation of N random words over {a,b,c,d} (lengths 4..16),
deterministic for a seed. Usage: gen-words.py N SEED"""
import random
import sys

n, seed = int(sys.argv[1]), int(sys.argv[2])
rng = random.Random(seed)
words = ["".join(rng.choice("abcd") for _ in range(rng.randint(4, 16))) for _ in range(n)]
print("|".join(words))
