"""Compiled lrnnkit models as PyTorch modules (optional: needs torch).

    import lrnnkit, lrnnkit.torch
    net = lrnnkit.torch.LrnnModule(lrnnkit.compile("(a|b)*a(a|b)"))
    accepted, outputs = net(tokens, lengths)      # tokens: LongTensor [B, T] of letter indices

Each layer runs the recurrence of the weight file on a batch, on CPU or GPU:

    H <- g_x H;  for each factor j:  H <- H - beta_j k_j (k_j . H) + beta_j k_j v_j

(products of generalized Householder matrices), and decodes H after every
letter: the nearest code's output when the layer has codes, else
round(readout . H) - 1. Layer i of a stack reads the token its route gives
for the letter and the outputs of the layers below before it (or x * k + a
without a route), as `lrnnkit run` does; the stack's output comes from
stack.map. In float32 it agrees with `lrnnkit run --engine f32`.
"""
import numpy as np
import torch

__all__ = ["LrnnModule"]


def _radix_index(outs, sizes):
    """Mixed-radix index of the tuples outs[..., j] < sizes[j] (first most significant)."""
    x = torch.zeros_like(outs[..., 0])
    for j, n in enumerate(sizes):
        x = x * n + outs[..., j]
    return x


class LrnnModule(torch.nn.Module):
    """The model's layers as buffers (float32 by default; .double() for float64)."""

    def __init__(self, model, dtype=torch.float32):
        super().__init__()
        t = model.tensors
        self.k = len(model.alphabet)
        self.n_layers = model.n_layers
        self.n_out = []
        self.has_codes = []
        for i, layer in enumerate(model.layers):
            for name in ("keys", "betas", "values", "gates", "h0", "readout"):
                self.register_buffer(f"l{i}_{name}", torch.tensor(layer[name], dtype=dtype))
            if "codes" in layer:
                self.register_buffer(f"l{i}_codes", torch.tensor(layer["codes"], dtype=dtype))
                self.register_buffer(f"l{i}_code_outputs",
                                     torch.tensor(layer["code_outputs"]).long())
            self.has_codes.append("codes" in layer)
            self.n_out.append(int(layer["accept"].shape[0]))
            # the token of layer i for (outputs of the layers below, letter): a dense table
            below = self.n_out[:i]
            size = int(np.prod(below, dtype=np.int64)) * self.k
            table = np.full(size, -1, np.int64)
            if "route" in layer:
                for row in layer["route"].astype(np.int64):
                    x = 0
                    for o, n in zip(row[:i], below):
                        x = x * n + o
                    table[x * self.k + row[i]] = row[i + 1]
            else:
                table = np.arange(size, dtype=np.int64)  # x * k + a
            self.register_buffer(f"l{i}_route", torch.tensor(table))
        smap, sacc = t.get("stack.map"), t.get("stack.accept")
        self.stacked = smap is not None
        if self.stacked:
            if smap.ndim == 2:  # rows (outputs of every layer, output)
                dense = np.full(int(np.prod(self.n_out, dtype=np.int64)), -1, np.int64)
                for row in smap.astype(np.int64):
                    x = 0
                    for o, n in zip(row[:-1], self.n_out):
                        x = x * n + o
                    dense[x] = row[-1]
            else:
                dense = smap.astype(np.int64)
            self.register_buffer("stack_map", torch.tensor(dense))
        acc = sacc if sacc is not None else model.layers[0]["accept"]
        self.register_buffer("accept_flags", torch.tensor(acc == 1.0))

    def _layer(self, i, name):
        return getattr(self, f"l{i}_{name}")

    def _decode(self, i, h):
        if self.has_codes[i]:
            d = ((h[:, None, :] - self._layer(i, "codes")[None]) ** 2).sum(-1)
            return self._layer(i, "code_outputs")[d.argmin(-1)]
        idx = torch.floor(h @ self._layer(i, "readout") + 0.5).long() - 1
        return torch.where((idx >= 0) & (idx < self.n_out[i]), idx, torch.full_like(idx, -1))

    def _step(self, i, h, tok):
        h = self._layer(i, "gates")[tok][:, None] * h
        keys, betas, values = self._layer(i, "keys"), self._layer(i, "betas"), self._layer(i, "values")
        for j in range(keys.shape[1]):
            k, b, v = keys[tok, j], betas[tok, j][:, None], values[tok, j][:, None]
            h = h - b * k * (k * h).sum(-1, keepdim=True) + b * k * v
        return h

    def _output(self, outs):
        if not self.stacked:
            return outs[:, 0]
        valid = torch.ones_like(outs[:, 0], dtype=torch.bool)
        for j, n in enumerate(self.n_out):
            valid &= (outs[:, j] >= 0) & (outs[:, j] < n)
        x = _radix_index(outs.clamp(min=0), self.n_out)
        return torch.where(valid, self.stack_map[x], torch.full_like(x, -1))

    def forward(self, tokens, lengths=None):
        """tokens: LongTensor [B, T] of letter indices (rows padded past their length);
        lengths: LongTensor [B] (None: all T). Returns (accepted [B] bool, outputs [B, T]
        long: the stack's output after each letter, -1 where a readout fails or past the
        row's length)."""
        tokens = torch.as_tensor(tokens, device=self.l0_h0.device).long()
        B, T = tokens.shape
        lengths = (torch.full((B,), T, device=tokens.device, dtype=torch.long)
                   if lengths is None else torch.as_tensor(lengths, device=tokens.device).long())
        hs = [self._layer(i, "h0").expand(B, -1).clone() for i in range(self.n_layers)]
        outs = torch.stack([self._decode(i, hs[i]) for i in range(self.n_layers)], 1)
        dead = torch.zeros(B, dtype=torch.bool, device=tokens.device)
        result = torch.full((B, T), -1, dtype=torch.long, device=tokens.device)
        for t in range(T):
            live = t < lengths
            a = tokens[:, t].clamp(0, self.k - 1)
            toks = []
            for i in range(self.n_layers):
                x = _radix_index(outs[:, :i].clamp(min=0), self.n_out[:i]) if i else torch.zeros_like(a)
                toks.append(self._layer(i, "route")[x * self.k + a])
            missing = torch.zeros_like(dead)
            for i in range(self.n_layers):
                missing |= toks[i] < 0
            dead = dead | (missing & live)
            step = live & ~dead
            for i in range(self.n_layers):
                h = self._step(i, hs[i], toks[i].clamp(min=0))
                hs[i] = torch.where(step[:, None], h, hs[i])
            outs = torch.stack([self._decode(i, hs[i]) for i in range(self.n_layers)], 1)
            out = torch.where(dead, torch.full_like(a, -1), self._output(outs))
            result[:, t] = torch.where(live, out, torch.full_like(out, -1))
        final = torch.where(dead, torch.full((B,), -1, dtype=torch.long, device=tokens.device),
                            self._output(outs))
        ok = (final >= 0) & (final < self.accept_flags.shape[0])
        accepted = ok & self.accept_flags[final.clamp(0, self.accept_flags.shape[0] - 1)]
        return accepted, result
