#!/usr/bin/env python3
"""Reference reader and runner for lrnnkit weight files, with NumPy only.

Reads a .safetensors file without the safetensors package (8-byte
little-endian header length, JSON header, raw little-endian tensors), runs the
DeltaProduct recurrence of every layer token by token,

    H <- g H;  for each factor j:  H <- H - beta_j k_j (k_j . H) + beta_j k_j v_j

and decodes after each token: the state index round(readout . H) - 1, or,
when the file has layer<i>.codes, the code_outputs entry of the nearest code.
Stacks (stack.map present) feed layer i the letter and the lower layers'
outputs before it, as `lrnnkit run` does: densely (token x * k + a), or
through layer<i>.route rows (outputs of layers 0..i-1, letter, token) when
the file has them; then stack.map holds rows (outputs of every layer, output).

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


class Layer:
    """One layer: the DeltaProduct recurrence and its readout."""

    def __init__(self, tensors, i):
        t = lambda name: tensors.get("layer%d.%s" % (i, name))
        self.keys, self.betas, self.values = t("keys"), t("betas"), t("values")
        self.gates, self.readout, self.accept = t("gates"), t("readout"), t("accept")
        self.codes, self.code_outputs = t("codes"), t("code_outputs")
        self.h = t("h0").copy()
        self.n_out = self.accept.shape[0]

    def step(self, tok):
        h = self.gates[tok] * self.h
        for j in range(self.keys.shape[1]):
            k, b, v = self.keys[tok, j], self.betas[tok, j], self.values[tok, j]
            h = h - b * k * (k @ h) + b * k * v
        self.h = h

    def decode(self):
        if self.codes is not None:  # the output of the nearest code
            c = int(np.argmin(((self.codes - self.h) ** 2).sum(axis=1)))
            return int(self.code_outputs[c])
        idx = int(np.floor(self.readout @ self.h + 0.5)) - 1
        return idx if 0 <= idx < self.n_out else -1


def run(tensors, word_tokens, k):
    """Layer i reads token x * k + a: letter a and the outputs x of layers
    below before the letter (mixed radix, layer 0 most significant), or the
    token its route gives (outputs below, a); the stack's output is
    stack.map[outputs of all layers] (one layer: its own)."""
    layers = []
    while "layer%d.keys" % len(layers) in tensors:
        layers.append(Layer(tensors, len(layers)))
    routes = []
    for i in range(len(layers)):
        r = tensors.get("layer%d.route" % i)
        routes.append(None if r is None else {tuple(int(v) for v in row[:-1]): int(row[-1]) for row in r})
    smap, saccept = tensors.get("stack.map"), tensors.get("stack.accept")
    rows = None
    if smap is not None and smap.ndim == 2:
        rows = {tuple(int(v) for v in row[:-1]): int(row[-1]) for row in smap}

    def output(outs):
        if smap is None:
            return outs[0]
        if any(not 0 <= o < layer.n_out for o, layer in zip(outs, layers)):
            return -1
        if rows is not None:
            return rows.get(tuple(outs), -1)
        x = 0
        for o, layer in zip(outs, layers):
            x = x * layer.n_out + o
        return int(smap[x])

    def accepted(out):
        acc = layers[0].accept if saccept is None else saccept
        return 0 <= out < acc.shape[0] and acc[out] == 1.0

    outs = [layer.decode() for layer in layers]
    states = []
    dead = False
    for a in word_tokens:
        toks, x = [], 0
        for i, (layer, o) in enumerate(zip(layers, outs)):
            if routes[i] is None:
                toks.append(x * k + a)
            else:
                toks.append(routes[i].get(tuple(outs[:i]) + (a,)))
            x = x * layer.n_out + max(o, 0)
        dead = dead or None in toks
        if not dead:
            for layer, t in zip(layers, toks):
                layer.step(t)
            outs = [layer.decode() for layer in layers]
        states.append(-1 if dead else output(outs))
    final = -1 if dead else output(outs)
    return {"accepted": bool(accepted(final)), "states": states}


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    tensors, model = load(sys.argv[1])
    for word in sys.argv[2:]:
        alphabet = model["alphabet"]
        print(json.dumps(run(tensors, tokens_of(word, alphabet), len(alphabet))))


if __name__ == "__main__":
    main()
