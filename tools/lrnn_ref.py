#!/usr/bin/env python3
"""Reference reader and runner for lrnnkit weight files, with NumPy only.

Reads a .safetensors file without the safetensors package (8-byte
little-endian header length, JSON header, raw little-endian tensors), runs the
DeltaProduct recurrence of layer 0 token by token,

    H <- g H;  for each factor j:  H <- H - beta_j k_j (k_j . H) + beta_j k_j v_j

and decodes after each token: the state index round(readout . H) - 1, or,
when the file has layer0.codes, the code_outputs entry of the nearest code.

Usage: lrnn_ref.py MODEL.safetensors WORD...   prints one JSON object per word:
       {"accepted": bool, "states": [...]}  (same as `lrnnkit run --json`)
"""
import json
import struct
import sys

import numpy as np

DTYPES = {"F32": np.float32, "F64": np.float64}


def load(path):
    with open(path, "rb") as f:
        raw = f.read()
    (hlen,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8 : 8 + hlen])
    data = raw[8 + hlen :]
    meta = header.pop("__metadata__")
    tensors = {}
    for name, t in header.items():
        a, b = t["data_offsets"]
        arr = np.frombuffer(data[a:b], dtype=np.dtype(DTYPES[t["dtype"]]).newbyteorder("<"))
        tensors[name] = arr.reshape(t["shape"]).astype(np.float64)
    model = json.loads(meta["model"])
    return tensors, model


def tokens_of(word, alphabet):
    if all(len(s) == 1 for s in alphabet):
        return [alphabet.index(c) for c in word]
    return [alphabet.index(s) for s in word.split()]


def run(tensors, word_tokens):
    keys, betas, values = tensors["layer0.keys"], tensors["layer0.betas"], tensors["layer0.values"]
    gates, readout, accept = tensors["layer0.gates"], tensors["layer0.readout"], tensors["layer0.accept"]
    codes = tensors.get("layer0.codes")
    h = tensors["layer0.h0"].copy()
    n_out = accept.shape[0]

    def decode(h):
        if codes is not None:  # the output of the nearest code
            c = int(np.argmin(((codes - h) ** 2).sum(axis=1)))
            return int(tensors["layer0.code_outputs"][c])
        idx = int(np.floor(readout @ h + 0.5)) - 1
        return idx if 0 <= idx < n_out else -1

    states = []
    for t in word_tokens:
        h = gates[t] * h
        for j in range(keys.shape[1]):
            k, b, v = keys[t, j], betas[t, j], values[t, j]
            h = h - b * k * (k @ h) + b * k * v
        states.append(decode(h))
    idx = decode(h)
    ok = 0 <= idx < n_out and accept[idx] == 1.0
    return {"accepted": bool(ok), "states": states}


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    tensors, model = load(sys.argv[1])
    for word in sys.argv[2:]:
        print(json.dumps(run(tensors, tokens_of(word, model["alphabet"]))))


if __name__ == "__main__":
    main()
