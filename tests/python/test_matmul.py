"""matmul / @ for 1-d and 2-d operands (and batched n-d, marked below)."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import starp.numpy as snp
from _helpers import (
    arrays,
    assert_same,
    check,
    default_rtol,
    dtype_id,
    eps,
    is_starp,
    to_starp,
)

DTYPE_PAIRS = [
    ("float64", "float64"), ("float32", "float32"), ("int64", "int64"),
    ("int32", "int32"), ("int8", "int8"), ("uint8", "uint8"), ("bool", "bool"),
    ("complex128", "complex128"), ("complex64", "complex64"), ("int32", "float32"),
    ("float32", "float64"), ("int64", "float64"), ("bool", "int16"),
    ("float32", "complex64"), ("uint16", "int16"),
]
SIDES = st.one_of(st.sampled_from([0, 1, 2, 3, 5, 7, 13]), st.integers(0, 9))


def tol(a, b, out_dtype):
    out_dtype = np.dtype(out_dtype)
    if out_dtype.kind not in "fc":
        return 0.0, 0.0
    k = a.shape[-1] if a.ndim else 1
    ma = float(np.abs(a).max()) if a.size else 0.0
    mb = float(np.abs(b).max()) if b.size else 0.0
    return default_rtol(out_dtype), 2 * max(k, 1) * eps(out_dtype) * ma * mb


def _mm(form):
    if form == "@":
        return lambda xp, a, b: a @ b
    return lambda xp, a, b: xp.matmul(a, b)


@pytest.mark.parametrize("da, db", DTYPE_PAIRS, ids=lambda p: p if isinstance(p, str) else None)
@given(data=st.data())
def test_matmul_2d_1d(da, db, data):
    form = data.draw(st.sampled_from(["@", "matmul"]))
    n, k, m = data.draw(SIDES), data.draw(SIDES), data.draw(SIDES)
    kind = data.draw(st.sampled_from(["1x1", "2x1", "1x2", "2x2"]))
    sa = {"1x1": (k,), "1x2": (k,), "2x1": (n, k), "2x2": (n, k)}[kind]
    sb = {"1x1": (k,), "2x1": (k,), "1x2": (k, m), "2x2": (k, m)}[kind]
    a = data.draw(arrays(da, sa, lo=-10, hi=10))
    b = data.draw(arrays(db, sb, lo=-10, hi=10))
    out = np.result_type(a, b)
    rtol, atol = tol(a, b, out)
    r = check(_mm(form), a, b, rtol=rtol, atol=atol)
    if r is not None and r[1].ndim:
        assert is_starp(r[0])


@pytest.mark.parametrize(
    "sa, sb",
    [((2, 3), (3, 4)), ((1, 5), (5, 1)), ((5, 1), (1, 5)), ((7, 13), (13, 7)),
     ((13, 7), (7,)), ((7,), (7, 13)), ((13,), (13,)), ((0, 3), (3, 4)),
     ((3, 0), (0, 4)), ((3, 4), (4, 0)), ((0,), (0,)), ((2, 3), (3,)),
     ((1, 1), (1, 1)), ((64, 33), (33, 17))],
    ids=repr,
)
@pytest.mark.parametrize("dtype", ["float64", "float32", "int64", "complex128"])
def test_matmul_shapes(sa, sb, dtype):
    rng = np.random.default_rng(3)
    a = (rng.standard_normal(sa) * 4).astype(dtype)
    b = (rng.standard_normal(sb) * 4).astype(dtype)
    rtol, atol = tol(a, b, dtype)
    check(lambda xp, a, b: a @ b, a, b, rtol=rtol, atol=atol)
    check(lambda xp, a, b: xp.matmul(a, b), a, b, rtol=rtol, atol=atol)


def test_matmul_int_wraps_and_bool():
    a = np.full((3, 40), 100, dtype=np.int8)
    b = np.full((40, 2), 3, dtype=np.int8)
    check(lambda xp, a, b: a @ b, a, b)
    t = np.array([[True, False, False], [False, False, False]])
    u = np.array([[False, True], [True, True], [False, False]])
    check(lambda xp, a, b: a @ b, t, u)


def test_matmul_of_views_and_expressions():
    x = np.arange(7 * 13, dtype=np.float64).reshape(7, 13) / 10
    check(lambda xp, a: a @ a.T, x, atol=1e-11)
    check(lambda xp, a: a.T @ a, x, atol=1e-11)
    check(lambda xp, a: a[::-1, 2:9] @ a[:, ::2][:7], x, atol=1e-11)
    check(lambda xp, a: (a * 2 + 1) @ xp.ones(13), x, atol=1e-11)
    check(lambda xp, a: (a @ a.T).sum(axis=0), x, atol=1e-9)
    check(lambda xp, a: xp.matmul(a[0], a.T), x, atol=1e-11)


def test_matmul_result_before_write_keeps_value():
    e = np.arange(6.0).reshape(2, 3)
    a = to_starp(e)
    p = a @ a.T
    a[0, 0] = 100.0
    assert_same(p, np.arange(6.0).reshape(2, 3) @ np.arange(6.0).reshape(2, 3).T)


# Batched n-d matmul: batch axes broadcast as in NumPy.
@pytest.mark.parametrize(
    "sa, sb",
    [((3, 2, 4), (4, 5)), ((3, 2, 4), (3, 4, 5)), ((1, 2, 4), (3, 4, 5)),
     ((2, 1, 3, 4), (5, 4, 2)), ((4,), (3, 4, 5)), ((3, 2, 4), (4,)), ((0, 2, 3), (3, 2))],
    ids=repr,
)
@pytest.mark.parametrize("dtype", ["float64", "int32"], ids=dtype_id)
def test_matmul_batched(sa, sb, dtype):
    rng = np.random.default_rng(5)
    a = (rng.standard_normal(sa) * 4).astype(dtype)
    b = (rng.standard_normal(sb) * 4).astype(dtype)
    rtol, atol = tol(a, b, dtype)
    check(lambda xp, a, b: a @ b, a, b, rtol=rtol, atol=atol)
