"""Statistics and numeric functions (starp.numpy._statistics) against NumPy: comparisons
(isclose, allclose, array_equal, array_equiv), average/ptp/cov/corrcoef, histograms, bincount,
digitize, interp, gradient, trapezoid, convolve/correlate, ediff1d and the NaN-aware functions.

Every expectation is NumPy's own result (or exception type) on the same inputs."""

import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import starp.numpy as snp
from _helpers import (
    AGAINST_NUMPY, arrays, assert_same, check_all, quiet, starp_only, to_starp,
)

SHAPES = [(), (0,), (7,), (13,), (3, 13), (2, 0)]
NUM_DTYPES = ["int64", "int8", "uint8", "float32", "float64", "complex128"]
REAL_DTYPES = ["int64", "int8", "uint8", "float32", "float64"]
FLOATS = ["float32", "float64"]


def data(shape, dtype, nan=False, seed=0, lo=-20, hi=20):
    """Reproducible test data of a dtype (NaNs at every third element when nan)."""
    rng = np.random.default_rng(seed)
    dtype = np.dtype(dtype)
    if dtype.kind == "b":
        x = rng.integers(0, 2, shape).astype(bool)
    elif dtype.kind in "iu":
        x = rng.integers(0 if dtype.kind == "u" else lo, hi, shape).astype(dtype)
    elif dtype.kind == "f":
        x = rng.normal(size=shape).astype(dtype)
    else:
        x = (rng.normal(size=shape) + 1j * rng.normal(size=shape)).astype(dtype)
    x = np.array(x)
    if nan and dtype.kind in "fc" and x.size:
        x.reshape(-1)[::3] = np.nan
    return x








# ---- comparisons ----
PAIRS = [
    ("float64", "float64"), ("float32", "float64"), ("int64", "float64"), ("int8", "int64"),
    ("complex128", "float64"), ("float64", "complex128"), ("bool", "float64"), ("uint8", "uint8"),
]


@pytest.mark.parametrize("da,db", PAIRS)
@pytest.mark.parametrize("shape", [(), (0,), (7,), (3, 13)])
@pytest.mark.parametrize("equal_nan", [False, True])
def test_isclose_allclose(da, db, shape, equal_nan):
    a = data(shape, da, nan=True)
    b = a.astype(db) if np.can_cast(a.dtype, db) else data(shape, db)
    b = np.array(b)
    if b.size and b.dtype.kind in "fc":
        b.reshape(-1)[1::4] += 1e-6  # close
        b.reshape(-1)[2::5] += 1.0  # not close
    for fn in (lambda np, a, b: np.isclose(a, b, equal_nan=equal_nan),
               lambda np, a, b: np.allclose(a, b, equal_nan=equal_nan),
               lambda np, a, b: np.isclose(a, b, rtol=1e-3, atol=0.5, equal_nan=equal_nan),
               lambda np, a, b: np.allclose(a, b, rtol=0, atol=0)):
        check_all(fn, a, b)


def test_isclose_special_values():
    a = np.array([np.inf, -np.inf, np.inf, np.nan, 1.0, 0.0, 1e-300, -0.0, np.nan])
    b = np.array([np.inf, np.inf, 1e308, np.nan, np.inf, 1e-9, 0.0, 0.0, 1.0])
    for en in (False, True):
        check_all(lambda np, a, b: np.isclose(a, b, equal_nan=en), a, b)
        check_all(lambda np, a, b: np.isclose(b, a, equal_nan=en), a, b)
        check_all(lambda np, a, b: np.allclose(a[:3], b[:3], equal_nan=en), a, b)
    z = np.array([complex(np.inf, 0), complex(1, np.nan), 1 + 1j])
    check_all(lambda np, a: np.isclose(a, a), z)
    check_all(lambda np, a: np.isclose(a, a, equal_nan=True), z)


def test_isclose_broadcast_and_scalars():
    m = data((3, 13), "float64")
    check_all(lambda np, a, b: np.isclose(a, b), m, m[0] + 1e-9)
    check_all(lambda np, a: np.isclose(a, 0.5), m)
    check_all(lambda np, a: np.isclose(0.5, a), m)
    check_all(lambda np, a: np.isclose(a, 2), np.array(2.0))
    check_all(lambda np, a: np.isclose(a, 2), np.arange(4))
    check_all(lambda np, a: np.allclose(a, 2), np.array([2, 2]))
    check_all(lambda np: np.isclose(1.0, 1.0 + 1e-9))
    check_all(lambda np: np.isclose(1, 2))
    check_all(lambda np, a, b: np.isclose(a, b), m, m[:, :5])  # ValueError (broadcast)
    check_all(lambda np, a, b: np.allclose(a, b), m, m[:, :5])
    check_all(lambda np, a, t: np.isclose(a, a + 0.1, atol=t), m, np.linspace(0, 0.2, 13))


def test_isclose_nonfinite_tolerance_warns():
    x = np.ones(3)
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        r = snp.isclose(to_starp(x), to_starp(x), atol=np.inf)
    assert any(issubclass(i.category, RuntimeWarning) for i in w)
    with quiet():
        assert_same(r, np.isclose(x, x, atol=np.inf))


@pytest.mark.parametrize("dtype", ["int64", "float32", "float64", "complex128", "bool"])
@pytest.mark.parametrize("shape", SHAPES)
def test_array_equal_equiv(dtype, shape):
    a = data(shape, dtype, nan=True)
    b = a.copy()
    c = np.array(a)
    if c.size:
        c.reshape(-1)[-1] = 1 if dtype != "bool" else not c.reshape(-1)[-1]
    for en in (False, True):
        check_all(lambda np, a, b: np.array_equal(a, b, equal_nan=en), a, b)
        check_all(lambda np, a, b: np.array_equal(a, b, equal_nan=en), a, c)
        check_all(lambda np, a: np.array_equal(a, a, equal_nan=en), a)
    check_all(lambda np, a, b: np.array_equiv(a, b), a, b)
    check_all(lambda np, a, b: np.array_equiv(a, b), a, c)


def test_array_equal_shapes_and_dtypes():
    a = np.arange(6).reshape(2, 3)
    check_all(lambda np, a: np.array_equal(a, a.ravel()), a)
    check_all(lambda np, a: np.array_equal(a, a.astype(np.float32)), a)
    check_all(lambda np, a: np.array_equal(a, [[0, 1, 2], [3, 4, 5]]), a)
    check_all(lambda np, a: np.array_equiv(a, [0, 1, 2]), a)
    check_all(lambda np, a: np.array_equiv(a[:1], [[0, 1, 2], [0, 1, 2]]), a)
    check_all(lambda np, a: np.array_equiv(a, [0, 1]), a)
    check_all(lambda np, a: np.array_equiv(a, a[:, :1]), a)
    x = np.array([1.0, np.nan, complex(np.nan, 1)])
    check_all(lambda np, a, b: np.array_equal(a, b, equal_nan=True), x, np.array([1.0, complex(2, np.nan), np.nan]))
    check_all(lambda np, a, b: np.array_equal(a, b, equal_nan=True), np.array([1.0, np.nan]), np.array([np.nan, 1.0]))
    check_all(lambda np, a, b: np.array_equal(a, b, equal_nan=True), np.array([1, 2]), np.array([1.0, np.nan]))


# ---- ptp, average ----
@pytest.mark.parametrize("dtype", NUM_DTYPES + ["bool"])
@pytest.mark.parametrize("shape", SHAPES)
def test_ptp(dtype, shape):
    a = data(shape, dtype, nan=True)
    check_all(lambda np, a: np.ptp(a), a)
    for axis in range(-len(shape), len(shape)):
        check_all(lambda np, a: np.ptp(a, axis=axis), a)
        check_all(lambda np, a: np.ptp(a, axis=axis, keepdims=True), a)
    if shape == ():
        check_all(lambda np, a: np.ptp(a, axis=0), a)


@pytest.mark.parametrize("dtype", NUM_DTYPES + ["bool"])
@pytest.mark.parametrize("shape", [(), (7,), (13,), (3, 13), (0,)])
def test_average(dtype, shape):
    a = data(shape, dtype)
    check_all(lambda np, a: np.average(a), a, rtol=1e-5)
    check_all(lambda np, a: np.average(a, returned=True), a, rtol=1e-5)
    for axis in range(len(shape)):
        check_all(lambda np, a: np.average(a, axis=axis, returned=True), a, rtol=1e-5)
        check_all(lambda np, a: np.average(a, axis=axis, keepdims=True), a, rtol=1e-5)
    w = data(shape, "float64", seed=3) ** 2 + 0.1
    check_all(lambda np, a, w: np.average(a, weights=w), a, w, rtol=1e-5)
    check_all(lambda np, a, w: np.average(a, weights=w, returned=True), a, w, rtol=1e-5)
    check_all(lambda np, a, w: np.average(a, weights=w.astype(np.float32), keepdims=True), a, w, rtol=1e-5)


def test_average_weights_along_axes_and_errors():
    a = data((3, 13), "float64")
    a3 = data((2, 3, 4), "float32")
    check_all(lambda np, a, w: np.average(a, axis=1, weights=w, returned=True), a, np.arange(1, 14.0))
    check_all(lambda np, a, w: np.average(a, axis=0, weights=w), a, np.array([1, 2, 3]))
    check_all(lambda np, a, w: np.average(a, axis=(2, 0), weights=w, returned=True), a3, data((2, 4), "float64") ** 2,
              rtol=1e-5)
    check_all(lambda np, a, w: np.average(a, axis=(1, 0), weights=w, keepdims=True), a, data((3, 13), "int64") ** 2)
    check_all(lambda np, a, w: np.average(a, weights=w), a, np.arange(1, 14.0))  # TypeError: axis needed
    check_all(lambda np, a, w: np.average(a, axis=1, weights=w), a, np.arange(1, 4.0))  # ValueError
    check_all(lambda np, a, w: np.average(a, axis=1, weights=w), a, np.zeros(13))  # ZeroDivisionError
    w = np.ones(13)
    w[3:] = 0
    w[1] = -1
    check_all(lambda np, a, w: np.average(a, axis=1, weights=w), a, w)  # ZeroDivisionError
    check_all(lambda np, a: np.average(a, axis=2), a)  # AxisError
    check_all(lambda np, a: np.average(a, axis=1, returned=True), np.zeros((0, 3)))  # 0/0 in Python


# ---- cov, corrcoef ----
@pytest.mark.parametrize("dtype", ["int64", "float32", "float64", "complex128", "bool"])
@pytest.mark.parametrize("shape", [(7,), (13,), (3, 13), (1, 7), (13, 3), (2, 1)])
def test_cov_corrcoef(dtype, shape):
    x = data(shape, dtype)
    rtol = 1e-5 if dtype == "float32" else 1e-10
    for rowvar in (True, False):
        check_all(lambda np, x: np.cov(x, rowvar=rowvar), x, rtol=rtol)
        check_all(lambda np, x: np.corrcoef(x, rowvar=rowvar), x, rtol=rtol)
    check_all(lambda np, x: np.cov(x, bias=True), x, rtol=rtol)
    check_all(lambda np, x: np.cov(x, ddof=0), x, rtol=rtol)
    check_all(lambda np, x: np.cov(x, dtype=np.float32), x, rtol=1e-5)
    check_all(lambda np, x: np.cov(x, x[::-1] if x.ndim == 1 else x[::-1] * 2), x, rtol=rtol)
    check_all(lambda np, x: np.corrcoef(x, x[::-1] if x.ndim == 1 else x[::-1] * 2), x, rtol=rtol)


def test_cov_weights_and_errors():
    x = data((3, 13), "float64")
    f = np.arange(13) % 3
    a = np.linspace(0.1, 1.0, 13)
    check_all(lambda np, x, f: np.cov(x, fweights=f), x, f)
    check_all(lambda np, x, a: np.cov(x, aweights=a), x, a)
    check_all(lambda np, x, f, a: np.cov(x, fweights=f, aweights=a), x, f, a)
    check_all(lambda np, x, f, a: np.cov(x, fweights=f, aweights=a, ddof=0), x, f, a)
    check_all(lambda np, x, f, a: np.cov(x, fweights=f, aweights=a, bias=True), x, f, a)
    check_all(lambda np, x, f: np.cov(x, fweights=f), x + 1j * x[::-1], f)
    check_all(lambda np, x, f: np.cov(x, fweights=f + 0.5), x, f)  # TypeError: fweights must be integer
    check_all(lambda np, x, f: np.cov(x, fweights=f - 1), x, f)  # ValueError: negative
    check_all(lambda np, x, a: np.cov(x, aweights=-a), x, a)  # ValueError
    check_all(lambda np, x, f: np.cov(x, fweights=f[:5]), x, f)  # RuntimeError
    check_all(lambda np, x, f: np.cov(x, aweights=np.ones((2, 13))), x, f)  # RuntimeError
    check_all(lambda np, x: np.cov(x, ddof=1.5), x)  # ValueError
    check_all(lambda np, x: np.cov(x.reshape(3, 13, 1)), x)  # ValueError
    check_all(lambda np, x: np.cov(x, x[:, :5]), x)  # ValueError (concatenate)
    check_all(lambda np, x: np.cov(x, ddof=13), x)  # fact <= 0 (warning, inf/nan)
    check_all(lambda np, x: np.cov(x), np.zeros((0, 3)))
    check_all(lambda np, x: np.cov(x), np.array(2.0))
    check_all(lambda np, x: np.corrcoef(x), np.array([1.0, 2.0, 4.0]))  # a 0-d cov: c / c
    check_all(lambda np, x: np.corrcoef(x), np.array([[1.0, 1.0, 1.0], [1.0, 2.0, 3.0]]))  # zero variance
    z = data((2, 7), "complex128")
    z[0, 2] = complex(np.inf, 1)
    check_all(lambda np, x: np.corrcoef(x), z)


# ---- bincount, digitize ----
@pytest.mark.parametrize("dtype", ["int64", "int8", "uint8", "uint64", "int32", "bool"])
@pytest.mark.parametrize("size", [0, 1, 7, 13, 300])
def test_bincount(dtype, size):
    hi = 2 if dtype == "bool" else (100 if size == 300 else 9)
    x = np.random.default_rng(size).integers(0, hi, size).astype(dtype)
    w = np.linspace(-1, 2, size)
    check_all(lambda np, x: np.bincount(x), x)
    check_all(lambda np, x: np.bincount(x, minlength=15), x)
    check_all(lambda np, x: np.bincount(x, minlength=0), x)
    check_all(lambda np, x, w: np.bincount(x, weights=w), x, w)
    check_all(lambda np, x, w: np.bincount(x, weights=w.astype(np.float32), minlength=120), x, w)
    check_all(lambda np, x, w: np.bincount(x, weights=(w * 10).astype(np.int64)), x, w)
    check_all(lambda np, x, w: np.bincount(x, weights=w > 0), x, w)


def test_bincount_errors():
    x = np.array([0, 3, 1, 3])
    check_all(lambda np, x: np.bincount(x - 1), x)  # negative
    check_all(lambda np, x: np.bincount(x.astype(np.float64)), x)  # TypeError
    check_all(lambda np, x: np.bincount(x.reshape(2, 2)), x)  # ValueError
    check_all(lambda np, x: np.bincount(x[0]), x)  # ValueError (0-d)
    check_all(lambda np, x: np.bincount(x, minlength=-1), x)
    check_all(lambda np, x: np.bincount(x, minlength=None), x)
    check_all(lambda np, x: np.bincount(x, minlength=2.0), x)
    check_all(lambda np, x: np.bincount(x, weights=np.ones(3)), x)
    check_all(lambda np, x: np.bincount(x, weights=np.ones(4) * 1j), x)
    check_all(lambda np, x: np.bincount(x, weights=np.ones((4, 1))), x)
    check_all(lambda np: np.bincount([]))
    check_all(lambda np: np.bincount([1, 1, 4]))
    check_all(lambda np: np.bincount([1.0, 2.5]))  # deprecated in NumPy 2.1, still cast


@pytest.mark.parametrize("dtype", REAL_DTYPES + ["bool"])
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("right", [False, True])
def test_digitize(dtype, shape, right):
    x = data(shape, dtype, nan=True)
    for bins in (np.array([-1.0, 0.0, 0.5, 2.0, 2.0, 3.0]), np.array([0, 1, 5, 10]), np.array([7.0]),
                 np.array([]), np.array([3.0, 3.0, 1.0, 0.0, -2.0]), np.array([2.0, 2.0, 2.0])):
        check_all(lambda np, x, b: np.digitize(x, b, right=right), x, bins)


def test_digitize_errors_and_quirks():
    x = data((13,), "float64")
    check_all(lambda np, x, b: np.digitize(x, b), x, np.array([0.0, 2.0, 1.0]))  # not monotonic
    check_all(lambda np, x, b: np.digitize(x, b), x, np.array([0.0, np.nan, 3.0]))  # NumPy's NaN reading
    check_all(lambda np, x, b: np.digitize(x, b), x, np.array([0.0, 1.0, np.nan]))
    check_all(lambda np, x, b: np.digitize(x, b), x + 1j, np.array([0.0, 1.0]))  # TypeError
    check_all(lambda np, x, b: np.digitize(x, b), x, np.array([0.0, 1j]))  # TypeError
    check_all(lambda np, x, b: np.digitize(x, b), x, np.array([[0.0, 1.0]]))  # ValueError
    check_all(lambda np, b: np.digitize(1.5, b), np.array([0.0, 1.0, 2.0]))
    check_all(lambda np, x, b: np.digitize(x, b), np.array([3, 2**40], np.uint64), np.array([-1, 5]))


# ---- histograms ----
HIST_DTYPES = ["int64", "int8", "uint8", "float32", "float64"]
HIST_SHAPES = [(), (0,), (7,), (13,), (3, 13)]


@pytest.mark.parametrize("dtype", HIST_DTYPES + ["bool"])
@pytest.mark.parametrize("shape", HIST_SHAPES)
def test_histogram_bins(dtype, shape):
    a = data(shape, dtype)
    for bins in (10, 1, 3, 70, [-1, 0, 0.5, 2], np.array([-3.0, -1.0, 1.0, 1.5, 5.0, 30.0])):
        check_all(lambda np, a: np.histogram(a, bins=bins), a)
        check_all(lambda np, a: np.histogram(a, bins=bins, density=True), a)
    check_all(lambda np, a: np.histogram(a, bins=4, range=(-1, 1)), a)
    check_all(lambda np, a: np.histogram(a, bins=4, range=(-1.5, 2.25), density=True), a)
    check_all(lambda np, a: np.histogram(a, bins=5, range=(0, 0)), a)


@pytest.mark.parametrize("dtype", HIST_DTYPES)
@pytest.mark.parametrize("shape", [(0,), (7,), (13,), (3, 13), (300,)])
@pytest.mark.parametrize("estimator", ["auto", "fd", "doane", "scott", "stone", "rice", "sturges", "sqrt"])
def test_histogram_estimators(dtype, shape, estimator):
    a = data(shape, dtype, lo=-50, hi=50)
    check_all(lambda np, a: np.histogram_bin_edges(a, bins=estimator), a)
    check_all(lambda np, a: np.histogram(a, bins=estimator), a)
    check_all(lambda np, a: np.histogram(a, bins=estimator, range=(-1, 1)), a)


@pytest.mark.parametrize("wdtype", ["float64", "float32", "int32", "int64", "uint8", "complex64", "complex128", "bool"])
@pytest.mark.parametrize("shape", [(0,), (7,), (3, 13)])
def test_histogram_weights(wdtype, shape):
    a = data(shape, "float64")
    w = data(shape, wdtype, seed=5)
    rtol = 1e-5 if wdtype in ("float32", "complex64") else None
    check_all(lambda np, a, w: np.histogram(a, bins=4, weights=w), a, w, rtol=rtol)
    check_all(lambda np, a, w: np.histogram(a, bins=[-2, -0.5, 0, 0.1, 3], weights=w), a, w, rtol=rtol)
    check_all(lambda np, a, w: np.histogram(a, bins=4, range=(-1, 1), weights=w, density=True), a, w, rtol=rtol)


def test_histogram_large_blocks():
    rng = np.random.default_rng(7)
    a = rng.normal(size=70001)
    w = rng.normal(size=70001)
    check_all(lambda np, a: np.histogram(a, bins=7), a)
    check_all(lambda np, a: np.histogram(a, bins=500), a)
    check_all(lambda np, a, w: np.histogram(a, bins=7, weights=w), a, w)
    check_all(lambda np, a, w: np.histogram(a, bins=[-3, -1, 0, 0.1, 2], weights=w), a, w)
    check_all(lambda np, a, w: np.histogram(a, bins=[-3, -1, 0, 0.1, 2], weights=w.astype(np.float32)), a, w,
              rtol=1e-4)


def test_histogram_nan_and_errors():
    a = data((13,), "float64", nan=True)
    f = data((13,), "float64")
    check_all(lambda np, a: np.histogram(a), a)  # ValueError: range not finite
    check_all(lambda np, a: np.histogram(a, bins="auto"), a)
    check_all(lambda np, a: np.histogram(a, range=(0, 1)), a)  # NaNs are left out
    check_all(lambda np, a: np.histogram(a, bins=[-1, 0, 1]), a)
    check_all(lambda np, a: np.histogram(a, bins=0), f)
    check_all(lambda np, a: np.histogram(a, bins=2.5), f)
    check_all(lambda np, a: np.histogram(a, bins=[[1, 2]]), f)
    check_all(lambda np, a: np.histogram(a, bins=[2, 1]), f)
    check_all(lambda np, a: np.histogram(a, bins="foo"), f)
    check_all(lambda np, a: np.histogram(a, bins="auto", weights=np.ones(13)), f)
    check_all(lambda np, a: np.histogram(a, range=(2, 1)), f)
    check_all(lambda np, a: np.histogram(a, range=(0, np.inf)), f)
    check_all(lambda np, a: np.histogram(a, weights=np.ones(3)), f)
    check_all(lambda np, a: np.histogram(a, bins=100), np.array([1.0, 1.0 + 1e-15]))
    check_all(lambda np, a, w: np.histogram(a, bins=[0, 2, 5], weights=w), np.arange(5), np.arange(5) > 1)
    check_all(lambda np, a: np.histogram(a, bins=[-np.inf, 0, np.inf]), f)
    check_all(lambda np, a: np.histogram(a, bins=3), np.array([np.inf, 1.0]))
    x = np.array([0.0, 1.0, 1.5, 2.0, 2.0, np.nan, -1.0, 3.0])
    for bins in ([], [1.0], [1.0, 1.0], [0, 1, 1, 2, 2], [-np.inf, 0, np.inf]):
        check_all(lambda np, a: np.histogram(a, bins=bins), x)
        check_all(lambda np, a: np.histogram(a, bins=bins, weights=np.arange(8.0)), x)


@pytest.mark.parametrize("dtype", ["float32", "float64", "int64", "int16"])
@pytest.mark.parametrize("bins,rng", [(10, None), (7, (-1, 1)), (3, (0.1, 0.7)), (1000, None), (33, (-3, 3.3))])
def test_histogram_values_on_edges(dtype, bins, rng):
    """Values at the bin edges and their float neighbours land in NumPy's bins."""
    base = data((13,), "float64", seed=8) * 3
    lo, hi = (float(base.min()), float(base.max())) if rng is None else rng
    edges = np.linspace(lo, hi, bins + 1)
    vals = np.concatenate([edges, np.nextafter(edges, -np.inf), np.nextafter(edges, np.inf), base])
    a = np.round(vals * 5).astype(dtype) if dtype.startswith("int") else vals.astype(dtype)
    check_all(lambda np, a: np.histogram(a, bins=bins, range=rng), a)
    check_all(lambda np, a: np.histogram(a, bins=bins, range=rng, weights=np.ones(a.size)), a)


@pytest.mark.parametrize("dtype", ["float64", "float32", "int64"])
@pytest.mark.parametrize("n", [0, 1, 7, 13])
def test_histogramdd_histogram2d(dtype, n):
    s2 = data((n, 2), dtype)
    s3 = data((n, 3), dtype, seed=2)
    w = np.linspace(0, 1, n)
    check_all(lambda np, s: np.histogramdd(s), s2)
    check_all(lambda np, s: np.histogramdd(s, bins=3, density=True), s3)
    check_all(lambda np, s, w: np.histogramdd(s, bins=(2, 3, 4), weights=w), s3, w)
    check_all(lambda np, s: np.histogramdd(s, bins=[[-1, 0, 1], 4], range=[None, (-1, 1)]), s2)
    check_all(lambda np, s: np.histogramdd(s[:, 0], bins=4), s2)
    x, y = s2[:, 0].copy(), s2[:, 1].copy()
    check_all(lambda np, x, y: np.histogram2d(x, y), x, y)
    check_all(lambda np, x, y: np.histogram2d(x, y, bins=(3, 5), range=[[-1, 1], [-2, 2]]), x, y)
    check_all(lambda np, x, y: np.histogram2d(x, y, bins=[-1, 0, 1, 2], density=True), x, y)
    check_all(lambda np, x, y, w: np.histogram2d(x, y, bins=[3, [-1, 0, 2]], weights=w), x, y, w)
    check_all(lambda np, x, y: np.histogramdd([x, y], bins=(2, 3)), x, y)


def test_histogramdd_errors():
    s = data((13, 2), "float64", nan=True)
    f = data((13, 2), "float64")
    check_all(lambda np, s: np.histogramdd(s), s)  # ValueError: range not finite
    check_all(lambda np, s: np.histogramdd(s, range=[(-1, 1), (0, 1)]), s)
    check_all(lambda np, s: np.histogramdd(s, bins=(2, 3, 4)), f)
    check_all(lambda np, s: np.histogramdd(s, bins=0), f)
    check_all(lambda np, s: np.histogramdd(s, bins=2.5), f)
    check_all(lambda np, s: np.histogramdd(s, bins=[[1, 0], 2]), f)
    check_all(lambda np, s: np.histogramdd(s, bins=[[[1, 0]], 2]), f)
    check_all(lambda np, s: np.histogramdd(s, range=[(0, 1)]), f)
    check_all(lambda np, s: np.histogramdd(s, weights=np.ones(3)), f)
    check_all(lambda np, x, y: np.histogram2d(x, y), f[:, 0], f[:5, 1])


# ---- interp ----
XP = np.array([0.0, 1.0, 1.0, 2.5, 4.0, 4.0])
FP = np.array([1.0, 2.0, 3.0, np.nan, 0.0, 5.0])
XS = np.array([-1.0, 0.0, 0.5, 1.0, 1.5, 2.5, 3.0, 4.0, 5.0, np.nan, np.inf, -np.inf])


@pytest.mark.parametrize("fp", [FP, np.array([1.0, 2.0, 3.0, 4.0, 0.0, -1.0]), FP + 1j * FP[::-1],
                                np.arange(6), np.array([np.inf, 1.0, -np.inf, 2.0, np.inf, np.inf]),
                                np.arange(6, dtype=np.float32)], ids=["nan", "plain", "complex", "int", "inf", "f32"])
def test_interp(fp):
    check_all(lambda np, x, a, b: np.interp(x, a, b), XS, XP, fp)
    check_all(lambda np, x, a, b: np.interp(x, a, b, left=-7, right=9.5), XS, XP, fp)
    check_all(lambda np, x, a, b: np.interp(x, a, b), XS.reshape(3, 4), XP, fp)
    check_all(lambda np, x, a, b: np.interp(x, a, b), np.array(0.25), XP, fp)
    check_all(lambda np, a, b: np.interp(1.75, a, b), XP, fp)
    check_all(lambda np, x, a, b: np.interp(x, a, b), XS[:0], XP, fp)
    check_all(lambda np, x, a, b: np.interp(x, a, b), XS.astype(np.float32), XP.astype(np.int64), fp)
    for period in (3, -2.5):
        check_all(lambda np, x, a, b: np.interp(x, a, b, period=period), XS[:9], XP[[0, 1, 3, 4]], fp[[0, 1, 3, 4]])


def test_interp_more():
    check_all(lambda np, x, a, b: np.interp(x, a, b), XS, np.array([1.0]), np.array([5.0]))
    check_all(lambda np, x, a, b: np.interp(x, a, b, left=1j, right=2), XS, np.array([1.0]), np.array([5.0 + 1j]))
    check_all(lambda np, x, a, b: np.interp(x, a, b, left=1j, right=2), XS, XP, FP + 0j)
    check_all(lambda np, x, a, b: np.interp(x, a, b), XS, np.array([0.0, 1.0, 2.0, np.nan]), np.arange(4.0))
    check_all(lambda np, x, a, b: np.interp(x, a, b), np.array([True, False]), np.array([0, 1]),
              np.array([False, True]))
    x = data((300,), "float64") * 3
    xp = np.sort(data((40,), "float64", seed=4)) * 2
    check_all(lambda np, x, a, b: np.interp(x, a, b), x, xp, np.cos(xp))
    check_all(lambda np, x, a, b: np.interp(x, a, b), x[:20], xp, np.cos(xp) + 1j * np.sin(xp))


def test_interp_errors():
    check_all(lambda np, x, a, b: np.interp(x, a, b), XS, XP, FP[:3])
    check_all(lambda np, x, a, b: np.interp(x, a, b), XS, XP[:0], FP[:0])
    check_all(lambda np, x, a, b: np.interp(x, a, b), XS[:0], XP[:0], FP[:0])
    check_all(lambda np, x, a, b: np.interp(x, a, b), XS + 1j, XP, FP)
    check_all(lambda np, x, a, b: np.interp(x, a, b), XS, XP + 1j, FP)
    check_all(lambda np, x, a, b: np.interp(x, a, b), XS, XP.reshape(2, 3), FP.reshape(2, 3))
    check_all(lambda np, x, a, b: np.interp(x, a, b), XS, XP[0], FP[0])
    check_all(lambda np, x, a, b: np.interp(x, a, b, left=np.array([1.0])), XS, XP, FP)
    check_all(lambda np, x, a, b: np.interp(x, a, b, right=1j), XS, XP, FP)
    check_all(lambda np, x, a, b: np.interp(x, a, b, period=0), XS, XP, FP)
    check_all(lambda np, x, a, b: np.interp(x, a, b, period=1), XS, XP.reshape(2, 3), FP)
    check_all(lambda np, x, a, b: np.interp(x, a, b, period=1), XS, XP, FP[:3])


# ---- gradient, trapezoid, ediff1d ----
@pytest.mark.parametrize("dtype", ["int64", "int8", "float32", "float64", "complex128", "bool"])
@pytest.mark.parametrize("shape", [(), (0,), (2,), (3,), (7,), (13,), (3, 13), (2, 3, 4)])
def test_gradient(dtype, shape):
    f = data(shape, dtype)
    rtol = 1e-5 if dtype == "float32" else 1e-10
    check_all(lambda np, f: np.gradient(f), f, rtol=rtol)
    check_all(lambda np, f: np.gradient(f, edge_order=2), f, rtol=rtol)
    check_all(lambda np, f: np.gradient(f, 0.5), f, rtol=rtol)
    check_all(lambda np, f: np.gradient(f, np.float32(0.25), edge_order=2), f, rtol=rtol)
    if len(shape) >= 1:
        check_all(lambda np, f: np.gradient(f, axis=-1), f, rtol=rtol)
        c = np.cumsum(np.arange(1, shape[-1] + 1) ** 1.5)
        check_all(lambda np, f, c: np.gradient(f, c, axis=-1), f, c, rtol=rtol)
        check_all(lambda np, f, c: np.gradient(f, c, axis=-1, edge_order=2), f, c, rtol=rtol)
        check_all(lambda np, f: np.gradient(f, np.arange(shape[-1]) * 3, axis=-1), f, rtol=rtol)
    if len(shape) >= 2:
        check_all(lambda np, f: np.gradient(f, axis=(0, -1)), f, rtol=rtol)
        spacing = [np.linspace(0, 1, shape[0]) ** 2, 2.0]
        check_all(lambda np, f: np.gradient(f, *spacing, axis=(0, 1), edge_order=2), f, rtol=rtol)


def test_gradient_errors():
    f = data((7,), "float64")
    check_all(lambda np, f: np.gradient(f, edge_order=3), f)
    check_all(lambda np, f: np.gradient(f, edge_order=0), f)
    check_all(lambda np, f: np.gradient(f, np.ones((7, 1))), f)
    check_all(lambda np, f: np.gradient(f, np.ones(6)), f)
    check_all(lambda np, f: np.gradient(f, 1.0, 2.0), f)
    check_all(lambda np, f: np.gradient(f, axis=1), f)
    check_all(lambda np, f: np.gradient(f, np.ones(1)), f[:1])  # IndexError of diffx[0]
    check_all(lambda np, f: np.gradient(f), f[:1])  # ValueError: too small


@pytest.mark.parametrize("dtype", ["int64", "float32", "float64", "complex128", "bool"])
@pytest.mark.parametrize("shape", [(0,), (1,), (7,), (13,), (3, 13)])
def test_trapezoid(dtype, shape):
    y = data(shape, dtype)
    rtol = 1e-5 if dtype == "float32" else 1e-10
    check_all(lambda np, y: np.trapezoid(y), y, rtol=rtol)
    check_all(lambda np, y: np.trapezoid(y, dx=0.5), y, rtol=rtol)
    check_all(lambda np, y: np.trapezoid(y, x=np.linspace(0, 2, shape[-1]) ** 2), y, rtol=rtol)
    if len(shape) == 2:
        check_all(lambda np, y: np.trapezoid(y, axis=0), y, rtol=rtol)
        check_all(lambda np, y: np.trapezoid(y, x=np.arange(3.0) ** 2, axis=0), y, rtol=rtol)
        check_all(lambda np, y: np.trapezoid(y, x=np.cumsum(np.ones(shape), axis=1)), y, rtol=rtol)
    check_all(lambda np, y: np.trapezoid(y[..., 0] if y.ndim else y), y)  # IndexError for 0-d


@pytest.mark.parametrize("dtype", ["int64", "int8", "uint8", "float32", "float64", "complex128", "bool"])
@pytest.mark.parametrize("shape", [(), (0,), (1,), (7,), (3, 13)])
def test_ediff1d(dtype, shape):
    a = data(shape, dtype)
    check_all(lambda np, a: np.ediff1d(a), a)
    check_all(lambda np, a: np.ediff1d(a, to_begin=[9]), a)
    check_all(lambda np, a: np.ediff1d(a, to_end=np.array([1, 2]), to_begin=300), a)
    check_all(lambda np, a: np.ediff1d(a, to_end=[1.5]), a)  # TypeError for integer a
    check_all(lambda np, a: np.ediff1d(a, to_end=np.array([[1j]])), a)


# ---- convolve, correlate ----
CORR_CASES = [
    ("float64", 13, 4), ("float64", 4, 13), ("float64", 7, 7), ("float32", 13, 2), ("int64", 13, 3),
    ("int8", 150, 80), ("uint8", 7, 13), ("complex128", 13, 5), ("complex128", 5, 13), ("bool", 7, 3),
    ("bool", 100, 90), ("float64", 200, 101), ("int64", 1, 1), ("float64", 1, 7), ("complex128", 90, 70),
]


@pytest.mark.parametrize("dtype,n1,n2", CORR_CASES)
@pytest.mark.parametrize("mode", ["valid", "same", "full"])
def test_convolve_correlate(dtype, n1, n2, mode):
    a = data((n1,), dtype, lo=-100, hi=100)
    v = data((n2,), dtype, seed=9, lo=-100, hi=100)
    rtol = 1e-4 if dtype == "float32" else 1e-9
    check_all(lambda np, a, v: np.convolve(a, v, mode), a, v, rtol=rtol)
    check_all(lambda np, a, v: np.correlate(a, v, mode), a, v, rtol=rtol)


def test_convolve_correlate_mixed_and_errors():
    a = data((7,), "float64")
    check_all(lambda np, a, v: np.convolve(a, v), a, np.array([1, 2, 3], np.int8))
    check_all(lambda np, a, v: np.correlate(a, v, "full"), np.array([1, 2, 3], np.int8), np.array([1, 200], np.uint8))
    check_all(lambda np, a, v: np.correlate(a, v, "same"), a, a[:3] * 1j)
    check_all(lambda np, a, v: np.correlate(a, v, 2), a, a[:3])
    check_all(lambda np, a: np.convolve(a, 2.0), a)
    check_all(lambda np, a: np.convolve(np.array(2.0), a, "same"), a)
    check_all(lambda np, a: np.correlate(np.array(2.0), a), a)  # ValueError (0-d)
    check_all(lambda np, a: np.correlate(a, a.reshape(7, 1)), a)
    check_all(lambda np, a: np.correlate(a[:0], a), a)
    check_all(lambda np, a: np.correlate(a, a[:0]), a)
    check_all(lambda np, a: np.convolve(a[:0], a), a)
    check_all(lambda np, a: np.convolve(a, a[:0]), a)
    check_all(lambda np, a: np.convolve(a, a, "xyz"), a)
    check_all(lambda np, a: np.convolve(a, a, "v"), a)
    check_all(lambda np, a: np.correlate(a, a, None), a)


# ---- NaN-aware functions ----
NAN_SHAPES = [(), (0,), (7,), (13,), (3, 13), (2, 3, 4), (0, 3)]


def nan_data(shape, dtype):
    x = data(shape, dtype, nan=True)
    if x.ndim == 2 and x.shape[0] >= 2 and dtype not in REAL_DTYPES[:3]:
        x[1, :] = np.nan  # an all-NaN lane
    return x


def _axes(ndim):
    return [None] + list(range(-ndim, ndim)) + ([(0, ndim - 1)] if ndim >= 2 else [])


@pytest.mark.parametrize("dtype", ["int64", "int8", "float32", "float64", "complex128"])
@pytest.mark.parametrize("shape", NAN_SHAPES)
def test_nanvar_nanstd(dtype, shape):
    a = nan_data(shape, dtype)
    rtol = 1e-4 if dtype == "float32" else 1e-10
    for axis in _axes(len(shape)):
        for kd in (False, True):
            check_all(lambda np, a: np.nanvar(a, axis=axis, keepdims=kd), a, rtol=rtol)
            check_all(lambda np, a: np.nanstd(a, axis=axis, ddof=1, keepdims=kd), a, rtol=rtol)
    check_all(lambda np, a: np.nanvar(a, ddof=2.5), a, rtol=rtol)
    check_all(lambda np, a: np.nanstd(a, dtype=np.float64), a, rtol=rtol)
    check_all(lambda np, a: np.nanvar(a, axis=-1 if a.ndim else None, dtype=np.float32), a, rtol=1e-4)
    check_all(lambda np, a: np.nanvar(a, axis=0 if a.ndim else None, dtype=np.int8, keepdims=True), a, rtol=1e-4)
    check_all(lambda np, a: np.nanvar(a, correction=1), a, rtol=rtol)
    check_all(lambda np, a: np.nanvar(a, ddof=1, correction=1), a, rtol=rtol)  # ValueError for inexact a
    check_all(lambda np, a: np.nanvar(a, dtype=np.int64), a, rtol=rtol)  # TypeError for inexact a
    if shape == ():
        check_all(lambda np, a: np.nanvar(a, axis=0), a)


@pytest.mark.parametrize("dtype", ["int64", "uint8", "float32", "float64", "complex128", "bool"])
@pytest.mark.parametrize("shape", NAN_SHAPES)
def test_nanargmin_nanargmax(dtype, shape):
    a = nan_data(shape, dtype)
    for axis in [None] + list(range(-len(shape), len(shape))):
        for kd in (False, True):
            check_all(lambda np, a: np.nanargmin(a, axis=axis, keepdims=kd), a)
            check_all(lambda np, a: np.nanargmax(a, axis=axis, keepdims=kd), a)
    if shape == ():
        check_all(lambda np, a: np.nanargmax(a, axis=0), a)
    b = np.array(data(shape, dtype))
    check_all(lambda np, a: np.nanargmin(a), b)  # no all-NaN slice
    if b.ndim == 2 and b.size and dtype != "bool":
        b[:, 2] = np.nan if b.dtype.kind in "fc" else 0
        check_all(lambda np, a: np.nanargmax(a, axis=1), b)
        check_all(lambda np, a: np.nanargmax(a, axis=0), b)  # ValueError for inexact b


@pytest.mark.parametrize("dtype", ["int64", "int8", "float32", "float64", "complex128", "bool"])
@pytest.mark.parametrize("shape", NAN_SHAPES)
def test_nancumsum_nancumprod(dtype, shape):
    a = nan_data(shape, dtype)
    rtol = 1e-5 if dtype == "float32" else 1e-10
    for axis in [None] + list(range(-len(shape), len(shape))):
        check_all(lambda np, a: np.nancumsum(a, axis=axis), a, rtol=rtol)
        check_all(lambda np, a: np.nancumprod(a, axis=axis), a, rtol=rtol)
    check_all(lambda np, a: np.nancumsum(a, dtype=np.float64), a, rtol=rtol)
    if shape == ():
        check_all(lambda np, a: np.nancumsum(a, axis=0), a)


@pytest.mark.parametrize("dtype", ["int64", "int8", "float32", "float64", "complex128", "bool"])
@pytest.mark.parametrize("shape", NAN_SHAPES)
def test_nanmedian(dtype, shape):
    a = nan_data(shape, dtype)
    for axis in _axes(len(shape)):
        for kd in (False, True):
            check_all(lambda np, a: np.nanmedian(a, axis=axis, keepdims=kd), a)


def test_nanmedian_long_lanes():
    """Lanes of 600 or more take np.median's path in NumPy (the middle value for odd counts)."""
    rng = np.random.default_rng(3)
    a = rng.normal(size=(3, 701))
    a[0, :6] = np.nan
    a[1] = np.nan
    a[2, 5] = np.nan
    for x in (a, a.astype(np.float32), a.T.copy()):
        check_all(lambda np, x: np.nanmedian(x, axis=-1), x)
        check_all(lambda np, x: np.nanmedian(x, axis=0, keepdims=True), x)
        check_all(lambda np, x: np.nanmedian(x), x)
    b = np.full(9, 1e308)
    b[:2] = np.nan
    b2 = np.stack([b, b])
    check_all(lambda np, x: np.nanmedian(x, axis=1), b2)  # NumPy's masked path: (x + x) / 2 = inf
    check_all(lambda np, x: np.nanmedian(x), b)


QS = [0.5, 0.3, 1, 0, [0.1, 0.9], np.array([0.0, 1.0]), np.float32(0.25), np.array([0.3, 0.75], np.float32),
      np.array([[0.2], [0.7]])]


@pytest.mark.parametrize("dtype", ["int64", "float32", "float64"])
@pytest.mark.parametrize("shape", NAN_SHAPES)
@pytest.mark.parametrize("qi", range(len(QS)))
def test_nanquantile_nanpercentile(dtype, shape, qi):
    a = nan_data(shape, dtype)
    q = QS[qi]
    qp = q * 100 if not isinstance(q, list) else [v * 100 for v in q]
    axes = _axes(len(shape)) if qi < 4 else [None, -1]
    for axis in axes:
        for kd in (False, True):
            check_all(lambda np, a: np.nanquantile(a, q, axis=axis, keepdims=kd), a)
            check_all(lambda np, a: np.nanpercentile(a, qp, axis=axis, keepdims=kd), a)


def test_nanquantile_special():
    f = np.array([1.0, np.inf, np.nan, -2.0])
    check_all(lambda np, a: np.nanquantile(a, [0.5, 1.0, 0.75, 0.0]), f)
    check_all(lambda np, a: np.nanquantile(a, [0.5]), np.array([-np.inf, np.inf, np.nan]))
    check_all(lambda np, a: np.nanquantile(a, np.array([0.5])), np.array([np.nan, np.nan], np.float32))
    first_all_nan = np.array([[np.nan, np.nan], [1, 2]], np.float32)
    check_all(lambda np, a: np.nanquantile(a, np.array([0.5]), axis=1), first_all_nan)
    check_all(lambda np, a: np.nanquantile(a, np.array([0.5]), axis=1), first_all_nan[::-1].copy())
    check_all(lambda np, a: np.nanquantile(a, 1.5), f)
    check_all(lambda np, a: np.nanquantile(a, np.nan), f)
    check_all(lambda np, a: np.nanpercentile(a, -1), f)
    check_all(lambda np, a: np.nanpercentile(a, [10, 101]), f)
    check_all(lambda np, a: np.nanquantile(a, 0.5), f + 1j)
    check_all(lambda np, a: np.nanquantile(a, np.full((1, 1, 1), 0.5)), f)
    check_all(lambda np, a: np.nanquantile(a, 0.5, method="foo"), f)
    check_all(lambda np, a: np.nanquantile(a, 0.5, weights=np.ones(4)), f)
    check_all(lambda np, a: np.nanquantile(a, 0.5, axis=2), f)
    check_all(lambda np, a: np.nanquantile(a, 0.5), np.array([True, False]))
    long = np.random.default_rng(2).normal(size=(3, 700))
    long[1] = np.nan
    long[0, ::7] = np.nan
    check_all(lambda np, a: np.nanquantile(a, [0.2, 0.5], axis=1), long)


# ---- hypothesis: random arrays ----
@given(data=st.data())
def test_histogram_random(data):
    dtype = data.draw(st.sampled_from([np.dtype("float64"), np.dtype("float32"), np.dtype("int16")]))
    n = data.draw(st.integers(0, 40))
    a = data.draw(arrays(dtype, (n,), kind="small", lo=-1000, hi=1000))
    bins = data.draw(st.integers(1, 80))
    check_all(lambda np, a: np.histogram(a, bins=bins), a)
    lo = data.draw(st.floats(-100, 100))
    check_all(lambda np, a: np.histogram(a, bins=bins, range=(lo, lo + 50.5)), a)


@given(data=st.data())
def test_nan_reductions_random(data):
    dtype = data.draw(st.sampled_from([np.dtype("float64"), np.dtype("float32")]))
    shape = data.draw(st.sampled_from([(7,), (13,), (3, 13), (4, 5)]))
    a = np.array(data.draw(arrays(dtype, shape, kind="quarter", lo=-10, hi=10)))
    mask = np.array(data.draw(arrays(np.dtype(bool), shape)))
    a[mask] = np.nan
    axis = data.draw(st.sampled_from([None, 0, -1]))
    q = data.draw(st.floats(0, 1))
    check_all(lambda np, a: np.nanmedian(a, axis=axis), a)
    check_all(lambda np, a: np.nanquantile(a, q, axis=axis), a)
    check_all(lambda np, a: np.nanvar(a, axis=axis), a, rtol=1e-4)


# ---- starp specifics: laziness, NumPy dispatch, what is not supported ----
@starp_only
def test_results_are_lazy_starp_arrays():
    a = to_starp(data((13,), "float64"))
    m = to_starp(data((3, 13), "float64"))
    for r in (snp.isclose(a, a), snp.ptp(a), snp.average(a), snp.cov(m), snp.corrcoef(m), snp.gradient(a),
              snp.trapezoid(a), snp.convolve(a, a[:3]), snp.correlate(a, a[:3]), snp.ediff1d(a),
              snp.nanvar(a), snp.nanstd(a), snp.nancumsum(a), snp.nanmedian(m, axis=1), snp.nanquantile(a, 0.5),
              snp.interp(a, snp.sort(a), a), snp.digitize(a, [0.0, 1.0]), snp.histogram(a)[0],
              snp.histogram(a, bins=[-1, 0, 1])[0], snp.bincount(snp.asarray([1, 2, 2]))):
        assert isinstance(r, snp.ndarray)
    assert type(snp.allclose(a, a)) is bool
    assert type(snp.array_equal(a, a)) is bool
    assert type(snp.array_equiv(a, a)) is bool


@starp_only
def test_numpy_functions_dispatch_to_starp():
    a = data((13,), "float64")
    s = to_starp(a)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no fallback to NumPy (that warns)
        r = np.histogram(s, bins=5)
        assert isinstance(r[0], snp.ndarray)
        assert_same(r[0], np.histogram(a, bins=5)[0])
        assert_same(np.interp(s, np.sort(a), a), np.interp(a, np.sort(a), a))
        assert_same(np.nanmedian(s), np.nanmedian(a))
        assert np.allclose(s, a) is True


@starp_only
def test_not_supported():
    a = to_starp(data((7,), "float64"))
    out = to_starp(np.zeros(()))
    for fn in (lambda: snp.ptp(a, out=out), lambda: snp.nanvar(a, out=out), lambda: snp.nanmedian(a, out=out),
               lambda: snp.nanquantile(a, 0.5, out=out), lambda: snp.nanvar(a, where=np.ones(7, bool)),
               lambda: snp.nanvar(a, mean=0.0), lambda: snp.nanquantile(a, 0.5, method="lower"),
               lambda: snp.nanpercentile(a, 50, method="nearest"),
               lambda: snp.nanquantile(a, 0.5, method="inverted_cdf", weights=np.ones(7)),
               lambda: snp.nanargmin(a, out=to_starp(np.zeros((), np.int64)))):
        with pytest.raises(NotImplementedError):
            fn()


@pytest.mark.skipif(AGAINST_NUMPY, reason="compares starp runs")
def test_bincount_histogram_exact_large():
    """Integer results are exact: counts of many values over many bins."""
    rng = np.random.default_rng(11)
    x = rng.integers(0, 1000, 5000)
    assert_same(snp.bincount(to_starp(x)), np.bincount(x))
    assert_same(snp.histogram(to_starp(x), bins=300)[0], np.histogram(x, bins=300)[0])
    assert_same(snp.digitize(to_starp(x), np.arange(0, 1000, 7)), np.digitize(x, np.arange(0, 1000, 7)))
