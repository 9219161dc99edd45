"""lrnnkit: state tracking in linear RNNs, from Python.

Bindings over the shared library liblrnnkit (ctypes): the same languages,
limits and results as the `lrnnkit` command, with NumPy arrays.

    import lrnnkit
    d = lrnnkit.dfa("(a|b)*a(a|b)")            # minimal DFA: d.delta, d.start, d.accept
    lrnnkit.count("(a|b)*a(a|b)", 100)           # exact, a Python int
    lrnnkit.classify("(aa)*")["eigenvalues_needed"]
    m = lrnnkit.compile("(a|b)*a(a|b)")          # LRNN weights: m.layers[i]["keys"], ...
    bool(lrnnkit.verify(m, "(a|b)*a(a|b)"))      # proved for every input length
    m.run(["abab", "bbba"], engine="f32")        # batched: a NumPy bool array
    data = lrnnkit.gen("parity", ["train:3-40:1000"], seed=1)

A language is given as the command takes it: a regex (with alphabet="ab" as
--alphabet or symbols=[...] as --symbols), family="S:5", load="dfa.json",
cascade="c.json", or a Dfa. Limits are keyword arguments (max_states=,
max_positions=, max_elements=, max_memory=, max_pairs=, max_images=,
max_steps=, max_words=, max_dim=); errors raise lrnnkit.Error (InputError,
LimitError) with the library's message.
"""
import ctypes
import os

import numpy as np

from . import _lib
from ._lib import lib, take_string

__all__ = ["Error", "InputError", "LimitError", "Dfa", "Model", "Verification", "Comparison",
           "dfa", "equivalent", "included", "count", "monoid", "classify", "compile", "verify",
           "gen", "load", "version"]


class Error(Exception):
    """An error the library reported; .code is the command's exit code (2 input, 3 limit);
    .line and .column say where in the input (a regex: line 1), or are None."""

    def __init__(self, message, code=4, line=None, column=None):
        super().__init__(message)
        self.code, self.line, self.column = code, line, column


class InputError(Error, ValueError):
    pass


class LimitError(Error):
    pass


def _raise(err):
    msg, code = err.contents.message.decode(), err.contents.code
    line, col = ctypes.c_uint32(), ctypes.c_uint32()
    where = lib.lk_error_location(err, ctypes.byref(line), ctypes.byref(col))
    _lib.glib.g_error_free(err)
    raise (InputError if code == 2 else LimitError if code == 3 else Error)(
        msg, code, line.value if where else None, col.value if where else None)


def _call(f, *args):
    """f(*args, &error): the result, or the error raised."""
    err = ctypes.POINTER(_lib.GError)()
    r = f(*args, ctypes.byref(err))
    if err:
        _raise(err)
    return r


def version():
    return lib.lk_version().decode()


def _limits(kw):
    lim = _lib.Limits()
    for name in list(kw):
        if name in _lib.LIMIT_NAMES:
            v = kw.pop(name)
            if v is not None:
                if int(v) < 1:
                    raise InputError(f"{name} must be a positive number")
                setattr(lim, name, int(v))
    return lim


def _no_more(kw):
    if kw:
        raise TypeError("unexpected keyword arguments: " + ", ".join(sorted(kw)))


def _alphabet(alphabet, symbols):
    """A new reference to the alphabet given (chars or a list of names), or None."""
    if alphabet is not None and symbols is not None:
        raise InputError("give alphabet or symbols, not both")
    if alphabet is not None:
        return _call(lib.lk_alphabet_new_chars, alphabet.encode())
    if symbols is not None:
        names = [symbols] if isinstance(symbols, str) else list(symbols)
        if any("," in s for s in names):
            raise InputError("a symbol name cannot contain ','")
        return _call(lib.lk_alphabet_new_list, ",".join(names).encode())
    return None


def _names(alpha):
    return [lib.lk_alphabet_name(alpha, i).decode() for i in range(lib.lk_alphabet_size(alpha))]


class Dfa:
    """A complete minimal DFA (canonical: states numbered breadth-first from the start).

    delta[q, a] is the successor of state q on the a-th symbol of alphabet;
    accept[q] says whether q accepts (NumPy arrays, copies)."""

    def __init__(self, ptr):
        if not ptr:
            raise Error("no DFA")
        self._p = ptr
        d = ptr.contents
        self.n, self.k, self.start = d.n, d.k, d.start
        self.delta = np.ctypeslib.as_array(d.delta, (d.n * d.k,)).reshape(d.n, d.k).copy()
        self.accept = np.ctypeslib.as_array(d.accept, (d.n,)).astype(bool)
        self.alphabet = _names(d.alphabet)
        self._index = {s: i for i, s in enumerate(self.alphabet)}

    def __del__(self):
        if getattr(self, "_p", None):
            lib.lk_dfa_free(self._p)
            self._p = None

    def __repr__(self):
        return f"<lrnnkit.Dfa: {self.n} states over {self.alphabet}>"

    def tokens(self, word):
        """A word (a str of one-character symbols, or a sequence of names or indices) as indices."""
        if isinstance(word, np.ndarray):
            return word.astype(np.int64)
        try:
            return np.array([self._index[s] if isinstance(s, str) else int(s) for s in word],
                            dtype=np.int64)
        except KeyError as e:
            raise InputError(f"{e.args[0]!r} is not a symbol of the alphabet {self.alphabet}")

    def accepts(self, word):
        q = self.start
        for a in self.tokens(word):
            if not 0 <= a < self.k:
                raise InputError(f"symbol index {a} is outside the alphabet")
            q = self.delta[q, a]
        return bool(self.accept[q])

    def to_json(self):
        """The DFA file format of `lrnnkit dfa --json` (lrnnkit-dfa version 1)."""
        return take_string(lib.lk_dfa_to_json(self._p))


def _source(regex, family, load, cascade):
    given = [(k, v) for k, v in ((_lib.SOURCE_REGEX, regex), (_lib.SOURCE_FAMILY, family),
                                  (_lib.SOURCE_DFA_FILE, load),
                                  (_lib.SOURCE_CASCADE_FILE, cascade)) if v is not None]
    if len(given) != 1:
        raise InputError("give one of a regex, family=, load=, cascade= (or a Dfa)")
    kind, text = given[0]
    return _lib.Source(kind, os.fsencode(text) if kind != _lib.SOURCE_REGEX else text.encode())


def _dfa_ptr(lang=None, *, alphabet=None, symbols=None, family=None, load=None, cascade=None,
             minimizer="auto", limits=None):
    """A new LkDfa* for a language given as the command takes it."""
    if isinstance(lang, Dfa):
        if family or load or cascade:
            raise InputError("give one of a regex, family=, load=, cascade= (or a Dfa)")
        alpha = _alphabet(alphabet, symbols)
        if alpha is None:
            return lib.lk_dfa_copy(lang._p)
        try:
            wide = _call(lib.lk_dfa_with_alphabet, lang._p, alpha)
            out = lib.lk_dfa_minimize(wide)
            lib.lk_dfa_free(wide)
            return out
        finally:
            lib.lk_alphabet_unref(alpha)
    if minimizer not in _lib.MINIMIZERS:
        raise InputError(f"unknown minimizer {minimizer!r} ({', '.join(_lib.MINIMIZERS)})")
    src = _source(lang, family, load, cascade)
    alpha = _alphabet(alphabet, symbols)
    try:
        return _call(lib.lk_source_dfa, ctypes.byref(src), alpha, _lib.MINIMIZERS[minimizer],
                     ctypes.byref(limits or _lib.Limits()))
    finally:
        if alpha:
            lib.lk_alphabet_unref(alpha)


def dfa(lang=None, *, alphabet=None, symbols=None, family=None, load=None, cascade=None,
        minimizer="auto", **kw):
    """The minimal DFA of a language (`lrnnkit dfa`)."""
    lim = _limits(kw)
    _no_more(kw)
    return Dfa(_dfa_ptr(lang, alphabet=alphabet, symbols=symbols, family=family, load=load,
                        cascade=cascade, minimizer=minimizer, limits=lim))


class Comparison:
    """The answer of equivalent() or included(): truthy when it holds; otherwise
    counterexample is the shortest (shortlex-least) word that breaks it and
    accepted_by says which side accepts it ("first" or "second")."""

    def __init__(self, holds, counterexample, accepted_by):
        self.holds, self.counterexample, self.accepted_by = holds, counterexample, accepted_by

    def __bool__(self):
        return self.holds

    def __repr__(self):
        if self.holds:
            return "<lrnnkit.Comparison: holds>"
        return f"<lrnnkit.Comparison: fails on {self.counterexample!r} ({self.accepted_by})>"


def _compare(fn, a, b, alphabet, symbols, kw):
    lim = _limits(kw)
    _no_more(kw)
    ds = (ctypes.POINTER(_lib.Dfa) * 2)()
    ds[0] = _dfa_ptr(a, alphabet=alphabet, symbols=symbols, limits=lim)
    try:
        ds[1] = _dfa_ptr(b, alphabet=alphabet, symbols=symbols, limits=lim)
    except Error:
        lib.lk_dfa_free(ds[0])
        raise
    cex = _lib.glib.g_array_new(0, 0, 4)
    try:
        if alphabet is None and symbols is None:
            lib.lk_dfas_unify_alphabets(ds, 2)
        yes = ctypes.c_bool()
        _call(fn, ds[0], ds[1], ctypes.byref(yes), cex, ctypes.byref(lim))
        if yes.value:
            return Comparison(True, None, None)
        c = cex.contents
        word = take_string(lib.lk_alphabet_word_to_string(
            ds[0].contents.alphabet, ctypes.cast(c.data, ctypes.POINTER(ctypes.c_uint32)), c.len))
        first = lib.lk_dfa_accepts(ds[0], ctypes.cast(c.data, ctypes.POINTER(ctypes.c_uint32)),
                                   c.len)
        return Comparison(False, word, "first" if first else "second")
    finally:
        _lib.glib.g_array_unref(cex)
        lib.lk_dfa_free(ds[0])
        lib.lk_dfa_free(ds[1])


def equivalent(a, b, *, alphabet=None, symbols=None, **kw):
    """Whether two languages are equal (`lrnnkit equiv`); a Comparison."""
    return _compare(lib.lk_dfa_equivalent, a, b, alphabet, symbols, kw)


def included(a, b, *, alphabet=None, symbols=None, **kw):
    """Whether the first language is included in the second (`lrnnkit equiv --subset`)."""
    return _compare(lib.lk_dfa_included, a, b, alphabet, symbols, kw)


def count(lang, n, **kw):
    """The number of words of length n in the language (exact; `lrnnkit count`)."""
    if int(n) < 0 or int(n) > 2**32 - 2:
        raise InputError("n must be a length in 0..2^32-2")
    d = dfa(lang, **kw)
    return int(take_string(lib.lk_dfa_count_text(d._p, int(n))))


class _Monoid:
    def __init__(self, lang, kw):
        lim = _limits(kw)
        src = {k: kw.pop(k) for k in ("alphabet", "symbols", "family", "load", "cascade")
               if k in kw}
        _no_more(kw)
        self.d = Dfa(_dfa_ptr(lang, limits=lim, **src))
        self.m = _call(lib.lk_monoid_new_from_dfa, self.d._p, ctypes.byref(lim))
        self.a = lib.lk_monoid_analyze(self.m, False)

    def __del__(self):
        if getattr(self, "a", None):
            lib.lk_monoid_analysis_free(self.a)
        if getattr(self, "m", None):
            lib.lk_monoid_free(self.m)

    def word(self, x):
        return take_string(lib.lk_monoid_word_text(self.m, x, self.d._p.contents.alphabet))

    def facts(self):
        a = self.a.contents
        periods = np.ctypeslib.as_array(ctypes.cast(a.periods.contents.data,
                                                    ctypes.POINTER(ctypes.c_uint32)),
                                        (a.periods.contents.len,)).tolist()
        groups = []
        g = ctypes.cast(a.groups.contents.data, ctypes.POINTER(_lib.MonoidGroup))
        for i in range(a.groups.contents.len):
            groups.append({"order": g[i].order, "solvable": g[i].solvable,
                           "abelian": g[i].abelian, "cyclic": g[i].cyclic,
                           "exponent": g[i].exponent, "degree": g[i].degree,
                           "count": g[i].count, "idempotent": self.word(g[i].example)})
        return {"size": a.size, "degree": lib.lk_monoid_degree(self.m),
                "generators": lib.lk_monoid_ngens(self.m), "idempotents": a.idempotents,
                "is_group": a.is_group, "is_aperiodic": a.is_aperiodic,
                "d_classes": a.d_classes, "regular_d_classes": a.regular_d_classes,
                "r_classes": a.r_classes, "l_classes": a.l_classes, "h_classes": a.h_classes,
                "periods": periods,
                "eigenvalues_needed": _lib.EIGEN_CLASSES[a.eigenvalues],
                "groups": groups, "groups_solvable": a.groups_solvable,
                "theorem3": {"applies": a.is_group,
                             "max_reflections": a.max_reflections if a.is_group else None}}


def monoid(lang=None, **kw):
    """The transition monoid's facts as `lrnnkit monoid --json` gives them (a dict)."""
    return _Monoid(lang, kw).facts()


def classify(lang=None, **kw):
    """What an LRNN needs for the language (`lrnnkit classify --json`, a dict)."""
    mo = _Monoid(lang, kw)
    f, a = mo.facts(), mo.a.contents
    wit = mo.word(a.witness) if a.witness != 0xFFFFFFFF else None
    return {"eigenvalues_needed": f["eigenvalues_needed"],
            "reason": take_string(lib.lk_monoid_analysis_reason(mo.m, mo.a,
                                                                mo.d._p.contents.alphabet)),
            "witness": wit, "witness_period": a.witness_period if wit is not None else 1,
            "monoid_size": f["size"], "is_group": f["is_group"],
            "is_aperiodic": f["is_aperiodic"], "groups_solvable": f["groups_solvable"],
            "groups": f["groups"], "theorem3": f["theorem3"]}


class Model:
    """A compiled (or loaded) LRNN: a stack of layers of Householder products.

    tensors: every weight tensor by name, as the weight file has them
    (layer<i>.keys [T, factors, n], betas, values, gates, h0, readout, accept,
    codes, code_outputs, route; stack.map, stack.accept); layers: the same per
    layer without the prefix. run() runs words batched in C; save() writes the
    weight file."""

    def __init__(self, ptr, construction=None):
        if not ptr:
            raise Error("no model")
        self._p = ptr
        s = ptr.contents
        self.alphabet = _names(s.alphabet)
        self.n_layers = s.n_layers
        self.construction = construction
        self._index = {a: i for i, a in enumerate(self.alphabet)}
        arr = lib.lk_stack_tensors(ptr, False)
        try:
            self.tensors = {}
            for i in range(arr.contents.len):
                t = ctypes.cast(arr.contents.pdata[i], ctypes.POINTER(_lib.Tensor)).contents
                shape = tuple(t.shape[j] for j in range(t.rank))
                self.tensors[t.name.decode()] = np.ctypeslib.as_array(
                    t.data, (max(t.size, 1),))[:t.size].reshape(shape).copy()
        finally:
            _lib.glib.g_ptr_array_unref(arr)
        self.layers = []
        for i in range(self.n_layers):
            p = f"layer{i}."
            self.layers.append({k[len(p):]: v for k, v in self.tensors.items()
                                if k.startswith(p)})

    def __del__(self):
        if getattr(self, "_p", None):
            lib.lk_stack_free(self._p)
            self._p = None

    def __repr__(self):
        dims = [layer["h0"].shape[0] for layer in self.layers]
        return f"<lrnnkit.Model: {self.n_layers} layer(s) of state sizes {dims} over {self.alphabet}>"

    def to_json(self):
        """The exact model (rationals) as the weight file's __metadata__ holds it."""
        return take_string(lib.lk_stack_to_json(self._p))

    def save(self, path, f32=False):
        """Writes the weight file (`lrnnkit compile -o`), atomically."""
        _call(lib.lk_stack_save, self._p, os.fsencode(path), bool(f32))

    def _batch(self, words, lengths):
        """Words as one flat uint32 array and uint64 offsets."""
        if isinstance(words, np.ndarray) and words.ndim == 2:
            n, width = words.shape
            lens = (np.full(n, width, np.int64) if lengths is None
                    else np.asarray(lengths, dtype=np.int64))
            if lens.shape != (n,) or (lens < 0).any() or (lens > width).any():
                raise InputError("lengths must give one length per row, within the row width")
            keep = np.arange(width)[None, :] < lens[:, None]
            flat = words[keep]
            offsets = np.zeros(n + 1, np.uint64)
            np.cumsum(lens, out=offsets[1:])
        else:
            if lengths is not None:
                raise InputError("lengths= goes with a 2-D array of token indices")
            if isinstance(words, (str, np.ndarray)):
                raise InputError("words is a batch: a list of words, or a 2-D array")
            parts = [self._word(w) for w in words]
            offsets = np.zeros(len(parts) + 1, np.uint64)
            np.cumsum([len(p) for p in parts], out=offsets[1:])
            flat = np.concatenate(parts) if parts else np.zeros(0, np.int64)
        flat = np.asarray(flat)
        if flat.size and (flat.min() < 0 or flat.max() >= len(self.alphabet)):
            raise InputError(f"a token index is outside 0..{len(self.alphabet) - 1}")
        return np.ascontiguousarray(flat, dtype=np.uint32), offsets

    def _word(self, w):
        if isinstance(w, np.ndarray):
            return w.astype(np.int64, copy=False)
        if isinstance(w, str) and all(len(a) == 1 for a in self.alphabet):
            codes = np.frombuffer(w.encode("utf-32-le"), dtype=np.uint32)
            lut = self._lut()
            out = np.where(codes < lut.size, lut[np.minimum(codes, lut.size - 1)], -1)
            if (out < 0).any():
                bad = w[int(np.argmax(out < 0))]
                raise InputError(f"{bad!r} is not a letter of the model {self.alphabet}")
            return out
        try:
            return np.array([self._index[s] if isinstance(s, str) else int(s) for s in w],
                            dtype=np.int64)
        except KeyError as e:
            raise InputError(f"{e.args[0]!r} is not a letter of the model {self.alphabet}")

    def _lut(self):
        if not hasattr(self, "_lut_cache"):
            top = max(ord(a) for a in self.alphabet)
            lut = np.full(top + 1, -1, np.int64)
            for i, a in enumerate(self.alphabet):
                lut[ord(a)] = i
            self._lut_cache = lut
        return self._lut_cache

    def run(self, words, engine="f32", states=False, lengths=None):
        """Runs a batch of words: a list of words (str of one-character letters, or
        sequences of letter names or indices) or a 2-D array of letter indices
        (rows padded; lengths= gives each row's length). Returns a NumPy bool
        array (acceptance per word), and with states=True also the output after
        every letter of every word (a list of int64 arrays; -1 where a readout
        fails), as `lrnnkit run`."""
        if engine not in _lib.ENGINES:
            raise InputError(f"unknown engine {engine!r} ({', '.join(_lib.ENGINES)})")
        flat, offsets = self._batch(words, lengths)
        n = offsets.size - 1
        acc = np.zeros(n, np.uint8)
        st = np.empty(max(int(offsets[-1]), 1), np.int64) if states else None
        _call(lib.lk_stack_run_words, self._p, _lib.ENGINES[engine],
              flat.ctypes.data_as(ctypes.c_void_p), offsets.ctypes.data_as(ctypes.c_void_p), n,
              acc.ctypes.data_as(ctypes.c_void_p),
              st.ctypes.data_as(ctypes.c_void_p) if states else None)
        if not states:
            return acc.astype(bool)
        return acc.astype(bool), np.split(st[:int(offsets[-1])], offsets[1:-1].astype(np.int64))


def compile(lang=None, *, strategy="auto", gated=False, no_merge=False, max_width=0, **kw):
    """Compiles a language into LRNN weights (`lrnnkit compile`): a Model."""
    if strategy not in _lib.STRATEGIES:
        raise InputError(f"unknown strategy {strategy!r} ({', '.join(_lib.STRATEGIES)})")
    lim = _limits(kw)
    src = {k: kw.pop(k) for k in ("alphabet", "symbols", "family", "load", "cascade") if k in kw}
    _no_more(kw)
    d = Dfa(_dfa_ptr(lang, limits=lim, **src))
    family = src.get("family") if strategy == "points" else None
    if isinstance(family, (list, tuple)):
        family = family[0] if len(family) == 1 else None
    fam = family.encode() if isinstance(family, str) else None
    opt = _lib.CompileOptions(bool(gated), lim, bool(no_merge), int(max_width), fam)
    info = _lib.CompileInfo()
    p = _call(lib.lk_stack_compile_dfa, d._p, _lib.STRATEGIES[strategy], ctypes.byref(opt),
              ctypes.byref(info))
    return Model(p, info.construction.decode() if info.construction else None)


class Verification:
    """verify()'s answer: truthy when the model implements the language for every
    input length; otherwise counterexample is a shortest word on which it does not.
    pairs: reachable (DFA state, model state) pairs; max_float_error: the largest
    |float32 - exact| over them."""

    def __init__(self, verified, counterexample, pairs, lrnn_states, max_float_error):
        self.verified, self.counterexample = verified, counterexample
        self.pairs, self.lrnn_states, self.max_float_error = pairs, lrnn_states, max_float_error

    def __bool__(self):
        return self.verified

    def __repr__(self):
        if self.verified:
            return f"<lrnnkit.Verification: verified ({self.pairs} pairs)>"
        return f"<lrnnkit.Verification: fails on {self.counterexample!r}>"


def verify(model, lang=None, **kw):
    """Proves with exact arithmetic that model implements the language for every
    input length, or finds a shortest counterexample (`lrnnkit verify`)."""
    lim = _limits(kw)
    src = {k: kw.pop(k) for k in ("alphabet", "symbols", "family", "load", "cascade")
           if k in kw and kw[k] is not None}
    kw.pop("alphabet", None), kw.pop("symbols", None)
    _no_more(kw)
    if not isinstance(model, Model):
        model = load(model)
    if "alphabet" not in src and "symbols" not in src:  # the model's letters, as the command
        src["symbols"] = model.alphabet
    d = Dfa(_dfa_ptr(lang, limits=lim, **src))
    r = _lib.VerifyResult()
    _call(lib.lk_stack_verify, model._p, d._p, ctypes.byref(lim), ctypes.byref(r))
    try:
        cex = None
        if not r.verified and r.counterexample:
            c = r.counterexample.contents
            cex = take_string(lib.lk_alphabet_word_to_string(
                model._p.contents.alphabet,
                ctypes.cast(c.data, ctypes.POINTER(ctypes.c_uint32)), c.len))
        return Verification(bool(r.verified), cex, r.pairs, r.lrnn_states, r.max_float_error)
    finally:
        lib.lk_verify_result_clear(ctypes.byref(r))


def gen(task, splits=("train:3-40:10000", "validation:3-40:1000", "test:40-256:1000"), seed=0,
        *, labels="final", lengths="uniform", dedup=False, max_attempts=0, pad=0, modulus=0,
        p_write=0.1, p_read=0.1, p_ignore=0.8, lang=None, **kw):
    """Draws a dataset in memory (`lrnnkit gen`, same seed: the same values as its
    npy files). splits: "NAME:MIN-MAX:COUNT" strings or (name, min, max, count).
    Returns {"task", "vocabulary", "labels" (names), "pad_token", "prefix_labels",
    "splits": {name: {"tokens" [N, W] int32, "labels" [N] or [N, W] int32,
    "lengths" [N] int32, "mask" [N, W] uint8 (prefix labels)}}}. For task
    "member", lang (and alphabet=, family=, ...) gives the language."""
    if labels not in ("final", "prefix"):
        raise InputError("labels is 'final' or 'prefix'")
    if lengths not in ("uniform", "words"):
        raise InputError("lengths is 'uniform' or 'words'")
    lim = _limits(kw)
    src = {k: kw.pop(k) for k in ("alphabet", "symbols", "family", "load", "cascade") if k in kw}
    _no_more(kw)
    parsed = []
    for s in splits:
        if isinstance(s, str):
            tmp = _lib.Split()
            _call(lib.lk_split_parse, s.encode(), ctypes.byref(tmp))
            parsed.append((tmp.name.decode(), tmp.min_len, tmp.max_len, tmp.count))
            lib.lk_split_clear(ctypes.byref(tmp))
        else:
            name, lo, hi, n = s
            if not (0 <= int(lo) <= int(hi) < 2**32) or int(n) < 0:
                raise InputError(f"split {name!r}: lengths {lo}-{hi}, count {n}")
            parsed.append((str(name), int(lo), int(hi), int(n)))
    names = [p[0] for p in parsed]
    sp = (_lib.Split * max(len(parsed), 1))(*[_lib.Split(p[0].encode(), p[1], p[2], p[3])
                                              for p in parsed])
    if len(set(names)) != len(names):
        raise InputError("a split name is given twice")
    max_len = max([s.max_len for s in sp[:len(splits)]] + [1])
    d = Dfa(_dfa_ptr(lang, limits=lim, **src)) if task == "member" else None
    if task != "member" and (lang is not None or src):
        raise InputError(f"task {task!r} takes no language")
    opt = _lib.TaskOptions(int(pad), float(p_write), float(p_read), float(p_ignore),
                           int(modulus), ctypes.cast(d._p, ctypes.c_void_p) if d else None,
                           b"python", max_len, lim)
    t = _call(lib.lk_task_new, task.encode(), ctypes.byref(opt))
    try:
        spec = _lib.DatasetSpec(b"", 2, labels == "prefix", 1 if lengths == "words" else 0,
                                int(seed), sp, len(splits), bool(dedup), int(max_attempts), 0, 1,
                                False, None, 0, lim)
        arrays = (_lib.ExampleArrays * max(len(splits), 1))()
        out = {}
        prefix = labels == "prefix"
        for i, name in enumerate(names):
            n, w = sp[i].count, max(sp[i].max_len, 1)
            a = {"tokens": np.zeros((n, w), np.int32),
                 "labels": np.zeros((n, w) if prefix else (n,), np.int32),
                 "lengths": np.zeros(n, np.int32)}
            if prefix:
                a["mask"] = np.zeros((n, w), np.uint8)
            ptr = lambda x, ty=ctypes.c_int32: x.ctypes.data_as(ctypes.POINTER(ty))
            arrays[i] = _lib.ExampleArrays(n, w, ptr(a["tokens"]), ptr(a["labels"]),
                                           ptr(a["lengths"]),
                                           ptr(a["mask"], ctypes.c_uint8) if prefix else None)
            out[name] = a
        _call(lib.lk_dataset_fill, t, ctypes.byref(spec), arrays)
        vocab = _names(lib.lk_task_vocabulary(t))
        return {"task": task, "vocabulary": vocab,
                "labels": [lib.lk_task_label_name(t, i).decode()
                           for i in range(lib.lk_task_n_labels(t))],
                "pad_token": len(vocab), "prefix_labels": prefix, "splits": out}
    finally:
        lib.lk_task_free(t)


def _load_dataset(path, kw):
    lim = _limits(kw)
    _no_more(kw)
    ds = _call(lib.lk_dataset_open, os.fsencode(path))
    try:
        d = ds.contents
        out = {"task": d.task.decode(), "vocabulary": _names(d.vocabulary),
               "labels": [d.label_names[i].decode() for i in range(d.n_labels)],
               "pad_token": d.pad_token, "prefix_labels": d.prefix_labels, "splits": {}}
        for s in range(d.n_splits):
            info = d.splits[s]
            ex = _call(lib.lk_dataset_read, ds, ctypes.byref(info), ctypes.byref(lim))
            try:
                e = ex.contents
                n = e.n
                off = np.ctypeslib.as_array(e.offset, (n + 1,)).astype(np.int64)
                total = int(off[-1])
                tok = (np.ctypeslib.as_array(e.tokens, (total,)).copy() if total
                       else np.zeros(0, np.int32))
                lens = np.diff(off).astype(np.int32)
                w = max(int(info.max_len), 1)
                tokens = np.full((n, w), d.pad_token, np.int32)
                rows = np.repeat(np.arange(n), lens)
                cols = np.arange(total) - np.repeat(off[:-1], lens)
                tokens[rows, cols] = tok
                split = {"tokens": tokens, "lengths": lens}
                if d.prefix_labels:
                    lab = (np.ctypeslib.as_array(e.labels, (total,)).copy() if total
                           else np.zeros(0, np.int32))
                    labels = np.full((n, w), d.ignore_index, np.int32)
                    labels[rows, cols] = lab
                    split["labels"] = labels
                else:
                    split["labels"] = (np.ctypeslib.as_array(e.labels, (n,)).copy() if n
                                       else np.zeros(0, np.int32))
                out["splits"][info.name.decode()] = split
            finally:
                lib.lk_examples_free(ex)
        return out
    finally:
        lib.lk_dataset_free(ds)


def load(path, *, from_tensors=False, **kw):
    """A weight file (.safetensors of `lrnnkit compile`) as a Model (from_tensors:
    run the tensors as written, `--from-tensors`), or a dataset of `lrnnkit gen`
    (its directory or manifest) as gen() returns it (labels with the manifest's
    ignore index where they do not count)."""
    p = os.fspath(path)
    if os.path.isdir(p) or p.endswith(".json"):
        return _load_dataset(p, kw)
    _no_more(kw)
    f = lib.lk_stack_load_tensors if from_tensors else lib.lk_stack_load
    return Model(_call(f, os.fsencode(p)))
