"""The Python package against independent references: Python's re module on
every short word, brute-force enumeration, the command's own JSON and files,
and the float32 engine against the PyTorch module. Needs LRNNKIT (the
command's path) and the package importable (PYTHONPATH, LRNNKIT_LIBRARY)."""
import itertools
import json
import os
import re
import subprocess

import numpy as np
import pytest

import lrnnkit

LK = os.environ.get("LRNNKIT", "lrnnkit")
REGEXES = ["(a|b)*a(a|b)", "(aa|b)*", "a*b*", "((a|b)(a|b)(a|b))*", "(ab|ba)*", "b*(ab*ab*)*",
           "(a|b)*abb", "a(a|b)*b|()"]


def cli(*args):
    return subprocess.run([LK, *args], capture_output=True, text=True, check=True).stdout


def words(alphabet, up_to):
    for n in range(up_to + 1):
        for w in itertools.product(alphabet, repeat=n):
            yield "".join(w)


def py_regex(rx):
    """lrnnkit's syntax on single-character symbols as Python's (() is the empty word)."""
    return re.compile(rx.replace("()", "(?:)"))


@pytest.mark.parametrize("rx", REGEXES)
def test_dfa_matches_python_re_and_the_command(rx):
    d = lrnnkit.dfa(rx, alphabet="ab")
    ref = py_regex(rx)
    for w in words("ab", 8):
        assert d.accepts(w) == bool(ref.fullmatch(w)), w
    j = json.loads(cli("dfa", "--json", "--alphabet", "ab", rx))
    assert d.n == j["states"] and d.start == j["start"] and d.alphabet == j["alphabet"]
    assert d.delta.tolist() == j["delta"]
    assert np.flatnonzero(d.accept).tolist() == j["accept"]
    assert json.loads(d.to_json()) == j


def test_sources_like_the_command(tmp_path):
    d = lrnnkit.dfa(family="S:3")
    assert json.loads(d.to_json()) == json.loads(cli("dfa", "--json", "--family", "S:3"))
    f = tmp_path / "d.json"
    f.write_text(lrnnkit.dfa("(a|b)*a").to_json())
    assert lrnnkit.equivalent(lrnnkit.dfa(load=str(f)), "(a|b)*a")
    sym = lrnnkit.dfa("<push><pop>", symbols=["push", "pop", "nop"])
    assert json.loads(sym.to_json()) == json.loads(
        cli("dfa", "--json", "--symbols", "push,pop,nop", "<push><pop>"))
    assert sym.accepts(["push", "pop"]) and not sym.accepts(["pop", "push"])
    # the same DFA given again, widened to a larger alphabet
    wide = lrnnkit.dfa(lrnnkit.dfa("a*"), alphabet="abc")
    assert wide.alphabet == ["a", "b", "c"] and wide.accepts("aa") and not wide.accepts("ac")


def test_equivalence_against_brute_force():
    rng = np.random.default_rng(3)
    for _ in range(40):
        r1, r2 = (REGEXES[i] for i in rng.integers(0, len(REGEXES), 2))
        eq = lrnnkit.equivalent(r1, r2, alphabet="ab")
        p1, p2 = py_regex(r1), py_regex(r2)
        diff = [w for w in words("ab", 7) if bool(p1.fullmatch(w)) != bool(p2.fullmatch(w))]
        assert bool(eq) == (not diff)
        if diff:  # the shortest, shortlex-least word that tells them apart
            assert eq.counterexample == diff[0]
            assert eq.accepted_by == ("first" if p1.fullmatch(diff[0]) else "second")
    assert lrnnkit.included("(ab)*", "(a|b)*", alphabet="ab")
    assert not lrnnkit.included("(a|b)*", "(ab)*", alphabet="ab")


def test_count_exact():
    for rx in REGEXES:
        ref = py_regex(rx)
        for n in range(9):
            want = sum(1 for w in itertools.product("ab", repeat=n) if ref.fullmatch("".join(w)))
            assert lrnnkit.count(rx, n, alphabet="ab") == want
    assert lrnnkit.count("(a|b)*", 200) == 2**200  # beyond 64 bits: a Python int
    assert lrnnkit.count("(a|b)*a(a|b)", 300) == int(cli("count", "-n", "300", "(a|b)*a(a|b)"))


@pytest.mark.parametrize("rx", ["(a|b)*a(a|b)", "(aa)*", "(aaa)*", "((ab)*|c)*"])
def test_monoid_and_classify_as_the_command(rx):
    mine, theirs = lrnnkit.monoid(rx), json.loads(cli("monoid", "--json", rx))
    for key, value in mine.items():
        assert theirs[key] == value, key
    mine, theirs = lrnnkit.classify(rx), json.loads(cli("classify", "--json", rx))
    for key, value in mine.items():
        assert theirs[key] == value, key


def test_classify_theorems():
    assert lrnnkit.classify("(a|b)*a(a|b)")["eigenvalues_needed"] == "nonnegative"
    assert lrnnkit.classify("(aa)*")["eigenvalues_needed"] == "negative"
    assert lrnnkit.classify("(aaa)*")["eigenvalues_needed"] == "complex"


@pytest.mark.parametrize("rx", REGEXES)
def test_compile_run_verify(rx):
    m = lrnnkit.compile(rx, alphabet="ab")
    d = lrnnkit.dfa(rx, alphabet="ab")
    assert lrnnkit.verify(m, rx)
    rng = np.random.default_rng(5)
    batch = ["".join(rng.choice(list("ab"), rng.integers(0, 30))) for _ in range(200)]
    for engine in ("exact", "f64", "f32"):
        got = m.run(batch, engine=engine)
        assert got.dtype == bool and got.tolist() == [d.accepts(w) for w in batch]
    # a padded 2-D array with lengths gives the same, and the states come along
    width = max(len(w) for w in batch)
    arr = np.zeros((len(batch), width), np.int64)
    for i, w in enumerate(batch):
        arr[i, :len(w)] = [m.alphabet.index(c) for c in w]
    acc, states = m.run(arr, lengths=[len(w) for w in batch], states=True)
    assert acc.tolist() == m.run(batch).tolist()
    assert [len(s) for s in states] == [len(w) for w in batch]


@pytest.mark.parametrize("family,strategy,construction,dim", [
    ("parity", "scalar", "scalar", 1), ("Z:5", "rotation", "rotation", 2),
    ("S:4", "points", "group action", 4)])
def test_compile_one_layer_strategies(family, strategy, construction, dim):
    m = lrnnkit.compile(family=family, strategy=strategy)
    assert m.construction == construction and m.layers[0]["h0"].shape[0] == dim
    assert lrnnkit.verify(m, family=family)
    with pytest.raises(lrnnkit.InputError):
        lrnnkit.compile(family="S:3", strategy="scalar")


def test_verify_finds_a_shortest_counterexample():
    m = lrnnkit.compile("(a|b)*a(a|b)")
    r = lrnnkit.verify(m, "(a|b)*a")
    assert not r and r.counterexample is not None
    # no shorter word tells the model's language and this one apart
    p = py_regex("(a|b)*a")
    first_diff = next(w for w in words("ab", 6)
                      if m.run([w])[0] != bool(p.fullmatch(w)))
    assert len(r.counterexample) <= len(first_diff)


def test_weight_file_round_trip(tmp_path):
    m = lrnnkit.compile("(a|b)*a(a|b)")
    path = str(tmp_path / "m.safetensors")
    m.save(path)
    back = lrnnkit.load(path)
    assert set(back.tensors) == set(m.tensors)
    for k, v in m.tensors.items():
        assert np.array_equal(back.tensors[k], v), k
    assert back.to_json() == m.to_json()
    cli_path = str(tmp_path / "c.safetensors")
    cli("compile", "(a|b)*a(a|b)", "-o", cli_path)
    theirs = lrnnkit.load(cli_path)
    for k, v in m.tensors.items():
        assert np.array_equal(theirs.tensors[k], v), k
    assert lrnnkit.verify(lrnnkit.load(cli_path, from_tensors=True), "(a|b)*a(a|b)")


@pytest.mark.parametrize("task,labels,extra", [
    ("parity", "final", []), ("S:5", "prefix", []), ("arith", "prefix", []),
    ("flipflop", "prefix", []), ("parity", "final", ["--dedup"]), ("Z:3", "final", ["--lengths", "words"]),
])
def test_gen_equals_the_command_files(tmp_path, task, labels, extra):
    splits = ["train:3-20:300", "test:20-40:50"]
    out = str(tmp_path / "d")
    args = ["gen", task, "-q", "--format", "npy", "--seed", "7", "--labels", labels, "-o", out]
    for s in splits:
        args += ["--split", s]
    cli(*args, *extra)
    kw = {"dedup": "--dedup" in extra, "lengths": "words" if "words" in extra else "uniform"}
    g = lrnnkit.gen(task, splits, seed=7, labels=labels, **kw)
    for name in ("train", "test"):
        for key, arr in g["splits"][name].items():
            ref = np.load(os.path.join(out, f"{name}.{key}.npy"))
            assert np.array_equal(arr, ref), (name, key)
    loaded = lrnnkit.load(out)
    assert loaded["vocabulary"] == g["vocabulary"] and loaded["labels"] == g["labels"]
    for name in ("train", "test"):
        for key in ("tokens", "labels", "lengths"):
            assert np.array_equal(loaded["splits"][name][key], g["splits"][name][key]), key


def test_gen_member_and_tuples():
    g = lrnnkit.gen("member", [("train", 1, 12, 100)], seed=2, lang="(a|b)*a(a|b)")
    d = lrnnkit.dfa("(a|b)*a(a|b)")
    sp = g["splits"]["train"]
    assert g["labels"] == ["rejected", "accepted"]
    assert 20 < sp["labels"].sum() < 80  # both classes drawn (classes alternate)
    for t, n, y in zip(sp["tokens"], sp["lengths"], sp["labels"]):
        assert d.accepts([g["vocabulary"][i] for i in t[:n]]) == (y == 1)


def test_gen_dedup_memory_limit():
    with pytest.raises(lrnnkit.LimitError, match="max-memory"):
        lrnnkit.gen("parity", ["train:1-40:1000000"], dedup=True, max_memory=1000000)
    g = lrnnkit.gen("parity", ["train:1-12:500"], dedup=True, max_memory=1000000)
    rows = {tuple(t[:n]) for t, n in zip(g["splits"]["train"]["tokens"],
                                         g["splits"]["train"]["lengths"])}
    assert len(rows) == 500  # de-duplicated


def test_errors_carry_the_library_message():
    with pytest.raises(lrnnkit.InputError, match="column") as e:
        lrnnkit.dfa("ab|(a|b")
    assert (e.value.line, e.value.column) == (1, 4)  # the '(' without its ')'
    with pytest.raises(lrnnkit.InputError) as e:
        lrnnkit.dfa(load="/nonexistent.json")
    assert e.value.column is None
    with pytest.raises(lrnnkit.LimitError) as e:
        lrnnkit.dfa("(a|b)*a(a|b){14}", max_states=1000)
    assert e.value.code == 3 and "max-states" in str(e.value)
    with pytest.raises(lrnnkit.InputError):
        lrnnkit.compile("(a|b)*").run(["abc"])
    with pytest.raises(lrnnkit.InputError):
        lrnnkit.dfa("a", alphabet="ab", symbols=["a"])
    with pytest.raises(lrnnkit.InputError):
        lrnnkit.gen("nosuchtask", ["train:1-3:2"])
    with pytest.raises(lrnnkit.InputError):
        lrnnkit.load("/nonexistent/model.safetensors")
    with pytest.raises(TypeError):
        lrnnkit.dfa("a", max_sttaes=3)


def test_torch_module_agrees_with_the_f32_engine():
    import torch
    import lrnnkit.torch as lt
    rng = np.random.default_rng(11)
    models = [lrnnkit.compile(r) for r in ("(a|b)*a(a|b)", "(aa|b)*", "(a|b)*a(a|b){3}", "a*b*c*")]
    models += [lrnnkit.compile(family=f) for f in ("S:3", "Z:5", "A:4")]
    for m in models:
        net = lt.LrnnModule(m)
        toks = rng.integers(0, len(m.alphabet), (200, 32))
        lens = rng.integers(0, 33, 200)
        acc, outs = net(torch.tensor(toks), torch.tensor(lens))
        ref_acc, ref_states = m.run(toks, engine="f32", states=True, lengths=lens)
        assert acc.numpy().tolist() == ref_acc.tolist()
        for i in range(200):
            assert outs[i, :lens[i]].numpy().tolist() == ref_states[i].tolist()
