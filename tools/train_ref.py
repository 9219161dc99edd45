#!/usr/bin/env python3
"""PyTorch reference of `lrnnkit train` (train/train.h), on the CPU.

The same models (the toy diagonal model, one-layer DeltaNet, one-layer
Mamba-style), written the way PyTorch users write it (batched,
padded, autograd), started from a run's RUN/init.safetensors and fed the
batches the C trainer drew (RUN/batches.npy, from --dump-batches), so that the
two can be compared step by step:

  python3 tools/train_ref.py check RUN DATA [--rtol 1e-9]
      trains in float64 for as many steps as RUN/batches.npy holds and checks
      that every step's loss (RUN/metrics.jsonl, --log-every 1) and the final
      parameters (RUN/model.safetensors, --f64) agree to rtol. Exit 0 when
      they do, 1 when not (printing the worst disagreement).
  python3 tools/train_ref.py bench DATA --steps N --batch B --threads T [--eig 01|11]
      times N float32 steps of the reference and prints steps per second.

Needs Debian's python3-torch and python3-numpy.
"""
import argparse
import json
import math
import os
import struct
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F


def load_safetensors(path):
    with open(path, "rb") as f:
        raw = f.read()
    (hlen,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8 : 8 + hlen])
    meta = header.pop("__metadata__", {})
    data = raw[8 + hlen :]
    out = {}
    for name, e in header.items():
        dt = {"F32": np.float32, "F64": np.float64}[e["dtype"]]
        a, b = e["data_offsets"]
        out[name] = np.frombuffer(data[a:b], dtype=dt).reshape(e["shape"]).copy()
    return out, meta


def load_split(data, name):
    """tokens [N, W] (padded), labels [N] or [N, W], lengths [N] of a split written with --format npy."""
    man = json.load(open(os.path.join(data, "manifest.json")))
    tok = np.load(os.path.join(data, f"{name}.tokens.npy"))
    lab = np.load(os.path.join(data, f"{name}.labels.npy"))
    lengths = np.load(os.path.join(data, f"{name}.lengths.npy"))
    prefix = man["labels"]["kind"] == "prefix"
    if prefix:  # positions that do not count carry the ignore index
        mask = np.load(os.path.join(data, f"{name}.mask.npy"))
        lab = np.where(mask.astype(bool), lab, -100)
    return man, tok, lab, lengths, prefix


class NoBiasLayerNorm(torch.nn.Module):
    def __init__(self, d):
        super().__init__()
        self.weight = torch.nn.Parameter(torch.ones(d))

    def forward(self, x):
        return F.layer_norm(x, (x.shape[-1],), self.weight, None, 1e-5)


class Diagonal(torch.nn.Module):
    """The paper's toy model (its Figure 1): h_t = a_t * h_{t-1} + b_t * u_t."""

    def __init__(self, V, D, C, negative):
        super().__init__()
        self.embedding = torch.nn.Embedding(V, D)
        self.pre_norm = NoBiasLayerNorm(D)
        self.A = torch.nn.Linear(D, D)
        self.B = torch.nn.Linear(D, D)
        self.post_norm = NoBiasLayerNorm(D)
        self.decoder = torch.nn.Linear(D, C, bias=False)
        self.negative = negative

    def forward(self, tokens):
        u = self.pre_norm(self.embedding(tokens))
        pre = 10 * self.A(u)
        a = torch.tanh(pre) if self.negative else torch.sigmoid(pre)
        bu = self.B(u) * u
        h = torch.zeros_like(u[:, 0])
        hs = []
        for t in range(tokens.shape[1]):
            h = a[:, t] * h + bu[:, t]
            hs.append(h)
        return self.decoder(self.post_norm(torch.stack(hs, 1)))


class MLP(torch.nn.Module):
    def __init__(self, d, hidden):
        super().__init__()
        self.fc1 = torch.nn.Linear(d, hidden)
        self.fc2 = torch.nn.Linear(hidden, d)

    def forward(self, x):
        return self.fc2(F.gelu(self.fc1(x)))


class DeltaNetBlock(torch.nn.Module):
    """One DeltaNet layer (no convolution) in a pre-norm residual block with an MLP block:
    S_t = S_{t-1} + beta_t k_t (v_t - S_{t-1}^T k_t)^T per head, o_t = S_t^T q_t,
    q and k L2-normalized, beta = scale * sigmoid(w_beta . y) with scale 1 ([0, 1]) or 2 ([-1, 1])."""

    def __init__(self, D, H, negative):
        super().__init__()
        self.norm1 = NoBiasLayerNorm(D)
        self.q_proj = torch.nn.Linear(D, D, bias=False)
        self.k_proj = torch.nn.Linear(D, D, bias=False)
        self.v_proj = torch.nn.Linear(D, D, bias=False)
        self.b_proj = torch.nn.Linear(D, H, bias=False)
        self.o_proj = torch.nn.Linear(D, D, bias=False)
        self.norm2 = NoBiasLayerNorm(D)
        self.mlp = MLP(D, 4 * D)
        self.H, self.scale = H, 2.0 if negative else 1.0

    def block(self, e):
        y = self.norm1(e)
        B, T, D = y.shape
        H, dh = self.H, D // self.H
        q = F.normalize(self.q_proj(y).view(B, T, H, dh), dim=-1)
        k = F.normalize(self.k_proj(y).view(B, T, H, dh), dim=-1)
        v = self.v_proj(y).view(B, T, H, dh)
        beta = self.scale * torch.sigmoid(self.b_proj(y))
        S = torch.zeros(B, H, dh, dh, dtype=y.dtype)
        outs = []
        for t in range(T):
            u = v[:, t] - torch.einsum("bhij,bhi->bhj", S, k[:, t])
            S = S + beta[:, t, :, None, None] * k[:, t, :, :, None] * u[:, :, None, :]
            outs.append(torch.einsum("bhij,bhi->bhj", S, q[:, t]).reshape(B, D))
        r = e + self.o_proj(torch.stack(outs, 1))
        return r + self.mlp(self.norm2(r))


class DeltaNet(DeltaNetBlock):
    """One or two DeltaNet blocks between the embedding and the final norm and decoder; the first
    block's tensors are the model's own (unprefixed names), the second's are under layer2."""

    def __init__(self, V, D, C, H, negative, layers=1):
        super().__init__(D, H, negative)
        self.embedding = torch.nn.Embedding(V, D)
        if layers == 2:
            self.layer2 = DeltaNetBlock(D, H, negative)
        self.norm_f = NoBiasLayerNorm(D)
        self.decoder = torch.nn.Linear(D, C, bias=False)
        self.layers = layers

    def forward(self, tokens):
        z = self.block(self.embedding(tokens))
        if self.layers == 2:
            z = self.layer2.block(z)
        return self.decoder(self.norm_f(z))


class Mamba(torch.nn.Module):
    """One Mamba-style selective diagonal layer (no convolution, no gate) in the same block:
    h_t = Abar_t * h_{t-1} + dt_t x_t B_t per channel, y_t = C_t . h_t + D x_t, with
    P = exp(-dt exp(A_log)), Abar = P ([0, 1]) or 2 P - 1 ([-1, 1]), dt = softplus(W_dt y + b)."""

    def __init__(self, V, D, C, N, negative):
        super().__init__()
        self.embedding = torch.nn.Embedding(V, D)
        self.norm1 = NoBiasLayerNorm(D)
        self.in_proj = torch.nn.Linear(D, D, bias=False)
        self.dt_proj = torch.nn.Linear(D, D)
        self.B_proj = torch.nn.Linear(D, N, bias=False)
        self.C_proj = torch.nn.Linear(D, N, bias=False)
        self.A_log = torch.nn.Parameter(torch.zeros(D, N))
        self.D_skip = torch.nn.Parameter(torch.ones(D))
        self.o_proj = torch.nn.Linear(D, D, bias=False)
        self.norm2 = NoBiasLayerNorm(D)
        self.mlp = MLP(D, 4 * D)
        self.norm_f = NoBiasLayerNorm(D)
        self.decoder = torch.nn.Linear(D, C, bias=False)
        self.negative = negative

    def forward(self, tokens):
        e = self.embedding(tokens)
        y = self.norm1(e)
        xin = self.in_proj(y)
        dt = F.softplus(self.dt_proj(y))
        Bm, Cm = self.B_proj(y), self.C_proj(y)
        P = torch.exp(-dt[..., None] * torch.exp(self.A_log))
        Abar = 2 * P - 1 if self.negative else P
        U = (dt * xin)[..., None] * Bm[:, :, None, :]
        h = torch.zeros_like(U[:, 0])
        outs = []
        for t in range(tokens.shape[1]):
            h = Abar[:, t] * h + U[:, t]
            outs.append((h * Cm[:, t, None, :]).sum(-1) + self.D_skip * xin[:, t])
        r = e + self.o_proj(torch.stack(outs, 1))
        z = r + self.mlp(self.norm2(r))
        return self.decoder(self.norm_f(z))


def loss_of(model, tok, lab, lengths, prefix):
    W = int(lengths.max())
    logits = model(tok[:, :W])
    if prefix:
        return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), lab[:, :W].reshape(-1),
                               ignore_index=-100)
    last = logits[torch.arange(tok.shape[0]), lengths - 1]
    return F.cross_entropy(last, lab)


def rate(s, steps, warmup, lr, min_lr):
    """The schedule of train.h (the paper's LinearWarmupCosineAnnealing) at 0-based step s."""
    if s < warmup:
        return lr * s / warmup
    if s >= steps:
        return min_lr
    r = (s - warmup) / (steps - warmup)
    return min_lr + 0.5 * (1 + math.cos(math.pi * r)) * (lr - min_lr)


def make(name, V, D, C, heads, negative, state=16, layers=1):
    if name == "deltanet":
        return DeltaNet(V, D, C, heads, negative, layers)
    if name == "mamba":
        return Mamba(V, D, C, state, negative)
    return Diagonal(V, D, C, negative)


def build(init, cfg, dtype):
    V, D = init["embedding.weight"].shape
    C = init["decoder.weight"].shape[0]
    model = make(cfg["model"], V, D, C, cfg.get("heads", 1), cfg["eig"] == "11",
                 cfg.get("state", 16), cfg.get("layers", 1)).to(dtype)
    with torch.no_grad():
        for name, p in model.named_parameters():
            p.copy_(torch.from_numpy(init[name]).to(dtype))
    return model


def check(args):
    torch.set_default_dtype(torch.float64)
    init, meta = load_safetensors(os.path.join(args.run, "init.safetensors"))
    cfg = json.loads(meta["config"])
    opts = cfg["options"]
    model = build(init, cfg, torch.float64)
    _, tok, lab, lengths, prefix = load_split(args.data, "train")
    batches = np.load(os.path.join(args.run, "batches.npy"))
    steps = opts["steps"]
    opt = torch.optim.AdamW(model.parameters(), lr=opts["lr"], betas=(0.9, 0.999), eps=1e-8,
                            weight_decay=0.0)
    c_loss = {}
    for line in open(os.path.join(args.run, "metrics.jsonl")):
        d = json.loads(line)
        if "loss" in d and "split" not in d:
            c_loss[d["step"]] = d["loss"]
    worst = 0.0
    for s in range(1, batches.shape[0] + 1):
        idx = batches[s - 1]
        for g in opt.param_groups:
            g["lr"] = rate(s - 1, steps, opts["warmup"], opts["lr"], opts["min_lr"])
        opt.zero_grad()
        loss = loss_of(model, torch.from_numpy(tok[idx]).long(), torch.from_numpy(lab[idx]).long(),
                       torch.from_numpy(lengths[idx]).long(), prefix)
        loss.backward()
        opt.step()
        if s not in c_loss:
            print(f"train_ref: metrics.jsonl has no loss for step {s} (train with --log-every 1)")
            return 1
        rel = abs(c_loss[s] - loss.item()) / abs(loss.item())
        worst = max(worst, rel)
        if rel > args.rtol:
            print(f"train_ref: step {s}: loss {c_loss[s]!r} (C) vs {loss.item()!r} (PyTorch), "
                  f"relative {rel:.3g}")
            return 1
    final, _ = load_safetensors(os.path.join(args.run, "model.safetensors"))
    pworst = 0.0
    for name, p in model.named_parameters():
        ref = p.detach().numpy()
        scale = max(np.abs(ref).max(), 1e-300)
        rel = float(np.abs(final[name] - ref).max() / scale)
        pworst = max(pworst, rel)
        if rel > args.rtol:
            print(f"train_ref: parameter {name} differs by {rel:.3g} of its largest entry")
            return 1
    print(f"train_ref: {batches.shape[0]} steps agree: losses within {worst:.3g}, parameters "
          f"within {pworst:.3g} (relative)")
    return 0


def bench(args):
    torch.set_num_threads(args.threads)
    man, tok, lab, lengths, prefix = load_split(args.data, "train")
    V = len(man["vocabulary"]) + 1
    C = len(man["labels"]["names"])
    torch.manual_seed(0)
    model = make(args.model, V, args.dim, C, args.heads, args.eig == "11", args.state,
                 args.layers)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.0)
    rng = np.random.default_rng(0)
    t0 = None
    for s in range(args.steps + 5):
        if s == 5:  # after warm-up
            t0 = time.perf_counter()
        idx = rng.integers(0, tok.shape[0], args.batch)
        opt.zero_grad()
        loss = loss_of(model, torch.from_numpy(tok[idx]).long(), torch.from_numpy(lab[idx]).long(),
                       torch.from_numpy(lengths[idx]).long(), prefix)
        loss.backward()
        opt.step()
    dt = time.perf_counter() - t0
    print(f"{args.steps / dt:.2f}")
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("check")
    c.add_argument("run")
    c.add_argument("data")
    c.add_argument("--rtol", type=float, default=1e-9)
    b = sub.add_parser("bench")
    b.add_argument("data")
    b.add_argument("--steps", type=int, default=50)
    b.add_argument("--batch", type=int, default=256)
    b.add_argument("--threads", type=int, default=1)
    b.add_argument("--dim", type=int, default=10)
    b.add_argument("--eig", default="11")
    b.add_argument("--model", default="diagonal")
    b.add_argument("--heads", type=int, default=1)
    b.add_argument("--state", type=int, default=16)
    b.add_argument("--layers", type=int, default=1)
    args = ap.parse_args()
    return check(args) if args.cmd == "check" else bench(args)


if __name__ == "__main__":
    sys.exit(main())
