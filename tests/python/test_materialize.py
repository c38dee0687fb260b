"""Materialization: compute(), starp.compute, __array__, repr/str, Python
scalar conversions, item/tolist, explain(), visualize(), snapshots."""

import re

import numpy as np
import pytest

import starp
import starp.numpy as snp
from _helpers import AGAINST_NUMPY, DTYPES, assert_same, dtype_id, starp_only, to_numpy, to_starp

REPR_CASES = [
    np.array([1, 2, 3]),
    np.array([0.1, 1e10, -3.5]),
    np.array([1.5, 2.25], dtype=np.float32),
    np.array([True, False]),
    np.array([1 + 2j, -0.5j], dtype=np.complex64),
    np.array([1 + 2j, 3 - 4j]),
    np.array(5.0),
    np.array(-3),
    np.array(True),
    np.array(2 + 1j),
    np.array(7, dtype=np.uint8),
    np.zeros(0),
    np.zeros(0, dtype=np.int64),
    np.zeros(0, dtype=np.int8),
    np.zeros((0, 3)),
    np.arange(12).reshape(3, 4),
    np.arange(24, dtype=np.int8).reshape(2, 3, 4),
    np.arange(2000, dtype=np.float64),
    np.arange(3000).reshape(30, 100),
    np.array([np.nan, np.inf, -np.inf, -0.0, 0.0]),
    np.array([1e-10, 1.0, 123456789.0]),
    np.array([255, 0, 17], dtype=np.uint8),
    np.array([[1.0, 2.5], [1e-5, 3.0]], dtype=np.float32),
    np.array([2**63 + 1], dtype=np.uint64),
]


@pytest.mark.parametrize("x", REPR_CASES, ids=lambda x: f"{x.dtype}{x.shape}")
def test_repr_str_equal_numpy(x):
    a = to_starp(x)
    assert repr(a) == repr(x)
    assert str(a) == str(x)
    if x.dtype.kind in "iuf":
        b = a * 2
        y = x * 2
        # for 0-d x, NumPy gives a scalar: starp may give it or a 0-d array
        assert repr(b) in (repr(y), repr(np.asarray(y)))
        assert str(b) in (str(y), str(np.asarray(y)))


def test_repr_of_views_and_reductions():
    x = np.arange(20.0).reshape(4, 5)
    a = to_starp(x)
    assert repr(a.T[::-1]) == repr(x.T[::-1])
    assert repr(a[1]) == repr(x[1])
    assert str(a.sum(axis=0)) == str(x.sum(axis=0))
    assert str(a.sum()) == str(x.sum())
    assert repr(snp.zeros((2, 0))) == repr(np.zeros((2, 0)))


@pytest.mark.parametrize("d", DTYPES, ids=dtype_id)
def test_asarray_dunder_array(d):
    x = np.array([[0, 1, 2], [3, 4, 5]]).astype(d)
    a = to_starp(x)
    for got in (np.asarray(a), np.array(a), np.asarray(a.T), np.asarray(a[1])):
        assert isinstance(got, np.ndarray)
    assert_same(np.asarray(a), x)
    assert_same(np.array(a), x)
    assert_same(np.asarray(a.T), x.T)
    assert_same(np.asarray(a[1]), x[1])
    assert_same(np.asarray(snp.array(x[0, 0])), x[0, 0])


def test_starp_compute_tuple():
    x = np.arange(12.0).reshape(3, 4)
    a = to_starp(x)
    b = a * 2
    c = b.sum(axis=0)
    r = starp.compute(b, c)
    assert isinstance(r, tuple) and len(r) == 2
    assert all(isinstance(v, np.ndarray) for v in r)
    assert_same(r[0], x * 2)
    assert_same(r[1], (x * 2).sum(axis=0))
    r3 = starp.compute(a.T, b[0], b.sum())
    assert len(r3) == 3 and all(isinstance(v, np.ndarray) for v in r3)
    assert_same(r3[0], x.T)
    assert_same(r3[1], (x * 2)[0])
    assert_same(r3[2], np.asarray((x * 2).sum()))


@starp_only
def test_compute_method():
    x = np.arange(12.0).reshape(3, 4)
    a = snp.array(x)
    for expr, want in [
        (a, x), (a + 1, x + 1), (a.T, x.T), (a[::-1, 1], x[::-1, 1]),
        (a.sum(axis=1), x.sum(axis=1)), (a[0, 0, ...], x[0, 0, ...]),
        (snp.zeros((0, 3)), np.zeros((0, 3))),
    ]:
        r = expr.compute()
        assert type(r) is np.ndarray
        assert r.dtype == want.dtype and r.shape == want.shape
        np.testing.assert_array_equal(r, want)
    # computing twice gives the same values; compute does not consume
    b = a * 3 - 1
    np.testing.assert_array_equal(b.compute(), b.compute())
    a[0, 0] = 99
    assert a.compute()[0, 0] == 99


@starp_only
def test_compute_result_does_not_alias_the_array():
    """Writing into the result of compute() (if it is writeable) must not
    change the starp array."""
    a = snp.array(np.arange(6.0))
    r = a.compute()
    try:
        r[0] = 123.0
    except ValueError:
        return  # read-only result: fine
    assert a.compute()[0] == 0.0
    assert float(a.sum()) == 15.0


@pytest.mark.parametrize("d", DTYPES, ids=dtype_id)
def test_python_scalar_conversions(d):
    x = np.array(3).astype(d)
    a = to_starp(x)
    if d.kind != "c":
        assert float(a) == float(x) and type(float(a)) is float
        assert int(a) == int(x) and type(int(a)) is int
    assert bool(a) == bool(x) and type(bool(a)) is bool
    assert complex(a) == complex(x) and type(complex(a)) is complex
    assert a.item() == x.item()
    assert type(a.item()) is type(x.item())
    assert a.tolist() == x.tolist()
    assert type(a.tolist()) is type(x.tolist())


def test_python_scalar_conversions_values():
    assert float(snp.array(2.5)) == 2.5
    assert int(snp.array(2.7)) == 2
    assert int(snp.array(-2.7)) == -2
    assert bool(snp.array(0.0)) is False
    assert bool(snp.array([0.5])) is True
    assert complex(snp.array(1 - 2j)) == 1 - 2j
    assert int(snp.array(np.uint64(2**64 - 1))) == 2**64 - 1
    assert float(snp.array([1.0, 2.0]).sum()) == 3.0
    assert snp.array([[7]]).item() == 7
    assert snp.array([1.5]).item() == 1.5
    assert snp.arange(6).reshape(2, 3).T[2, 1].item() == 5
    a = snp.array(np.float32(0.1))
    assert float(a) == float(np.float32(0.1))


@pytest.mark.parametrize("d", DTYPES, ids=dtype_id)
def test_tolist(d):
    for x in (np.array([[0, 1, 2], [3, 4, 5]]).astype(d), np.zeros((0, 2), d),
              np.arange(6).astype(d)[::-2], np.ones((2, 1, 2), d)):
        got = to_starp(x).tolist()
        want = x.tolist()
        assert got == want
        assert type(got) is list

        def types(v):
            return [types(i) for i in v] if isinstance(v, list) else type(v)

        assert types(got) == types(want)


# --------------------------------------------------------------------------
# starp-only: explain, visualize, snapshot of numpy input
# --------------------------------------------------------------------------


def _mentions(text, aliases):
    low = text.lower()
    return any(al in low for al in aliases)


@starp_only
def test_explain():
    a = snp.array(np.arange(12.0).reshape(3, 4))
    b = snp.ones((3, 4))
    expr = ((a + b) * 2).sum(axis=0)
    text = expr.explain()
    assert isinstance(text, str) and text.strip()
    assert _mentions(text, ["add", "+"]), text
    assert _mentions(text, ["mul", "*"]), text
    assert _mentions(text, ["sum", "reduce"]), text
    t2 = snp.sqrt(a).explain()
    assert isinstance(t2, str) and _mentions(t2, ["sqrt"]), t2
    t3 = (a @ a.T).explain()
    assert isinstance(t3, str) and _mentions(t3, ["matmul", "@", "dot", "gemm"]), t3
    # explain does not compute or change anything
    np.testing.assert_array_equal(expr.compute(), ((np.arange(12.0).reshape(3, 4) + 1) * 2).sum(0))


@starp_only
def test_visualize_writes_dot(tmp_path):
    a = snp.array(np.arange(6.0).reshape(2, 3))
    expr = (a * 2 + snp.ones(3)).T.sum(axis=1)
    path = tmp_path / "graph.dot"
    expr.visualize(str(path))
    assert path.exists()
    text = path.read_text()
    assert re.search(r"\b(di)?graph\b[^{]*\{", text), text[:200]
    assert text.rstrip().endswith("}")
    assert "->" in text or "--" in text
    np.testing.assert_array_equal(expr.compute(), (np.arange(6.0).reshape(2, 3) * 2 + 1).T.sum(1))


@starp_only
def test_asarray_takes_a_snapshot():
    n = np.arange(5)
    x = snp.asarray(n)
    y = x + 1
    n[0] = 100
    n[1:] = -1
    np.testing.assert_array_equal(x.compute(), np.arange(5))
    np.testing.assert_array_equal(y.compute(), np.arange(5) + 1)


def test_array_takes_a_copy():
    n = np.arange(5)
    x = snp.array(n)
    n[0] = 100
    assert_same(x, np.arange(5))
    # ... and writes to the starp array do not reach the numpy input
    m = np.arange(3.0)
    z = snp.array(m)
    z[0] = 7.0
    assert m[0] == 0.0


def test_numpy_result_is_independent_of_later_writes():
    a = to_starp(np.arange(4))
    r = to_numpy(a)
    r = np.array(r, copy=True)
    a[0] = 10
    assert r[0] == 0
    assert to_numpy(a)[0] == 10


@pytest.mark.skipif(not AGAINST_NUMPY, reason="only documents the stand-in")
def test_stand_in_is_numpy():
    assert snp is np
    assert getattr(starp, "IS_NUMPY_STAND_IN", False)
