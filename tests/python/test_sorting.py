"""sort/argsort/partition, unique, searchsorted, median/percentile/quantile and cumsum/cumprod
against NumPy computed here, on P = 1..4 in-process ranks (the `ranks` fixture), with NaNs,
ties, 0-d and empty arrays, and sizes that do not divide P."""

import numpy as np
import pytest

import starp.numpy as snp
from _helpers import assert_same, check, to_numpy, to_starp

SHAPES = [(), (0,), (1,), (7,), (13,), (2, 3), (3, 1), (7, 5), (0, 4), (3, 0), (2, 3, 4)]
DTYPES = ["int64", "int8", "uint32", "float64", "float32", "bool", "complex128"]


def data(shape, dtype, seed=0, nans=True, distinct=False):
    rng = np.random.default_rng(seed)
    n = int(np.prod(shape))
    if distinct:
        x = rng.permutation(n).reshape(shape) - n // 2
    else:
        x = rng.integers(-5, 6, size=shape)  # many ties
    d = np.dtype(dtype)
    if d.kind == "b":
        return x > 0
    if d.kind == "u":
        return np.abs(x).astype(dtype)
    if d.kind == "f":
        x = (x + rng.random(shape) * (0 if distinct else 0.5)).astype(dtype)
        if nans and x.size > 2:
            x.reshape(-1)[[1, -1]] = np.nan
        return x
    if d.kind == "c":
        x = (x + 1j * rng.integers(-2, 3, size=shape)).astype(dtype)
        if nans and x.size > 3:
            x.reshape(-1)[1] = complex(np.nan, 0)
            x.reshape(-1)[-1] = complex(1, np.nan)
        return x
    return x.astype(dtype)


# ---------------------------------------------------------------------------------------------
# sort, argsort, partition
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", SHAPES)
def test_sort(shape, dtype):
    a = data(shape, dtype)
    check(lambda xp, a: xp.sort(a, axis=None), a)
    for ax in range(-a.ndim, a.ndim):
        check(lambda xp, a: xp.sort(a, axis=ax), a)
        check(lambda xp, a: xp.sort(a, axis=ax, kind="stable"), a)
    if a.ndim == 0:
        check(lambda xp, a: xp.sort(a), a)  # AxisError


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", SHAPES)
def test_argsort_stable_with_ties_and_nans(shape, dtype):
    a = data(shape, dtype)
    check(lambda xp, a: xp.argsort(a, axis=None, kind="stable"), a)
    for ax in range(a.ndim):
        check(lambda xp, a: xp.argsort(a, axis=ax, kind="stable"), a)
        check(lambda xp, a: xp.argsort(a, axis=ax, stable=True), a)


@pytest.mark.parametrize("dtype", ["int64", "float64", "float32", "int16"])
@pytest.mark.parametrize("shape", [(7,), (13,), (2, 3), (7, 5), (2, 3, 4), (0, 3)])
def test_argsort_default_kind_distinct(shape, dtype):
    a = data(shape, dtype, distinct=True, nans=False)
    for ax in list(range(a.ndim)) + [None]:
        check(lambda xp, a: xp.argsort(a, axis=ax), a)
        check(lambda xp, a: a.argsort(axis=ax) if ax is not None else a.argsort(axis=None), a)


@pytest.mark.parametrize("dtype", ["int64", "float64", "complex64", "bool"])
@pytest.mark.parametrize("shape", [(7,), (3, 5), (2, 3, 4), (0,)])
def test_ndarray_sort_in_place(shape, dtype):
    a = data(shape, dtype)

    def f(xp, a):
        a.sort()
        return a

    def g(xp, a):
        a.sort(axis=0)
        return a

    check(f, a)
    check(g, a)


def test_sort_in_place_through_view():
    a = data((4, 6), "float64", nans=False)
    sa = to_starp(a)
    row, srow = a[1], sa[1]
    row.sort()
    srow.sort()
    assert_same(sa, a)
    col, scol = a[:, 2], sa[:, 2]
    col.sort()
    scol.sort()
    assert_same(sa, a)


@pytest.mark.parametrize("dtype", ["int64", "float64", "float32"])
@pytest.mark.parametrize("shape", [(7,), (13,), (3, 5), (2, 3, 4)])
def test_partition_guarantee(shape, dtype):
    a = data(shape, dtype)
    n = a.shape[-1]
    for kth in sorted({0, n // 2, n - 1, -1}):
        p = to_numpy(snp.partition(to_starp(a), kth))
        ip = to_numpy(snp.argpartition(to_starp(a), kth))
        full = np.sort(a, axis=-1)
        k = kth % n
        # kth element in place; everything before is <= it, everything after >= it (NaN last)
        np.testing.assert_array_equal(p[..., k], full[..., k])
        np.testing.assert_array_equal(np.take_along_axis(a, ip, axis=-1)[..., k], full[..., k])
        for x in (p, np.take_along_axis(a, ip, axis=-1)):
            piv = x[..., k : k + 1]
            with np.errstate(invalid="ignore"):
                assert np.all((x[..., :k] <= piv) | np.isnan(piv))
                assert np.all((x[..., k + 1 :] >= piv) | np.isnan(x[..., k + 1 :]))
        np.testing.assert_array_equal(np.sort(ip, axis=-1), np.broadcast_to(np.arange(n), ip.shape))
    check(lambda xp, a: xp.partition(a, n), a)  # ValueError: kth out of bounds
    check(lambda xp, a: xp.argpartition(a, -n - 1), a)


# ---------------------------------------------------------------------------------------------
# unique
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", SHAPES)
def test_unique(shape, dtype):
    a = data(shape, dtype)
    check(lambda xp, a: xp.unique(a), a)
    res = snp.unique(to_starp(a), return_index=True, return_inverse=True, return_counts=True)
    exp = np.unique(a, return_index=True, return_inverse=True, return_counts=True)
    assert len(res) == len(exp) == 4
    for r, e in zip(res, exp):
        assert_same(r, e)
    check(lambda xp, a: xp.unique(a, return_counts=True)[1], a)
    check(lambda xp, a: xp.unique(a, return_inverse=True)[1], a)


def test_unique_nans_collapse():
    a = np.array([np.nan, 1.0, np.nan, -0.0, 0.0, 1.0, np.inf, np.nan])
    res = snp.unique(to_starp(a), return_index=True, return_inverse=True, return_counts=True)
    for r, e in zip(res, np.unique(a, return_index=True, return_inverse=True, return_counts=True)):
        assert_same(r, e)
    c = np.array([complex(np.nan, 1), 1 + 1j, complex(0, np.nan), 1, 1 + 1j])
    check(lambda xp, c: xp.unique(c, return_counts=True)[1], c)
    check(lambda xp, c: xp.unique(c), c)


# ---------------------------------------------------------------------------------------------
# searchsorted
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", ["int64", "float64", "float32", "uint8", "bool"])
@pytest.mark.parametrize("n", [0, 1, 7, 13])
def test_searchsorted(n, dtype):
    a = np.sort(data((n,), dtype))
    v = data((3, 4), dtype, seed=9)
    for side in ("left", "right"):
        check(lambda xp, a, v: xp.searchsorted(a, v, side=side), a, v)
        check(lambda xp, a: xp.searchsorted(a, a, side=side), a)
        check(lambda xp, a: xp.searchsorted(a, 1, side=side), a)
        check(lambda xp, a: a.searchsorted([0, 1.5, 2], side=side), a)
        if np.dtype(dtype).kind == "f":
            check(lambda xp, a: xp.searchsorted(a, [np.nan, np.inf, -np.inf], side=side), a)


def test_searchsorted_sorter_and_errors():
    a = data((11,), "float64", nans=False, distinct=True)
    s = np.argsort(a, kind="stable")
    v = np.array([-3.5, 0.0, 2.2, 100.0])
    check(lambda xp, a, s, v: xp.searchsorted(a, v, sorter=s), a, s, v)
    check(lambda xp, a, s, v: xp.searchsorted(a, v, side="right", sorter=s), a, s, v)
    check(lambda xp, a: xp.searchsorted(a.reshape(1, 11), 3.0), a)


# ---------------------------------------------------------------------------------------------
# median, percentile, quantile
# ---------------------------------------------------------------------------------------------

STAT_SHAPES = [(1,), (7,), (13,), (2, 3), (3, 1), (7, 5), (2, 3, 4), (4, 1, 6)]


@pytest.mark.parametrize("dtype", ["float64", "float32", "int64", "int8", "uint16"])
@pytest.mark.parametrize("shape", STAT_SHAPES)
def test_median(shape, dtype):
    for nans in (False, True):
        a = data(shape, dtype, nans=nans)
        check(lambda xp, a: xp.median(a), a)
        check(lambda xp, a: xp.median(a, keepdims=True), a)
        for ax in range(-a.ndim, a.ndim):
            check(lambda xp, a: xp.median(a, axis=ax), a)
            check(lambda xp, a: xp.median(a, axis=ax, keepdims=True), a)
        if a.ndim == 3:
            check(lambda xp, a: xp.median(a, axis=(0, 2)), a)
            check(lambda xp, a: xp.median(a, axis=(2, 1), keepdims=True), a)


def test_median_edge_cases():
    check(lambda xp, z: xp.median(z), np.array(2.5))
    check(lambda xp, z: xp.median(z), np.array(3))
    check(lambda xp, e: xp.median(e), np.zeros((0,)))
    check(lambda xp, e: xp.median(e, axis=1), np.zeros((3, 0)))
    check(lambda xp, b: xp.median(b), np.array([True, False, True]))
    check(lambda xp, a: xp.median(a, axis=2), np.zeros((2, 3)))


@pytest.mark.parametrize("dtype", ["float64", "float32", "int64", "int16", "uint8"])
@pytest.mark.parametrize("shape", STAT_SHAPES)
def test_quantile_percentile(shape, dtype):
    for nans in (False, True):
        a = data(shape, dtype, nans=nans)
        for q in (0.5, 0, 1, 0.25, [0.1, 0.9], [[0.0, 0.33], [0.5, 1.0]], np.float64(0.7)):
            check(lambda xp, a: xp.quantile(a, q), a)
            p = q * 100 if not isinstance(q, list) else (np.asarray(q) * 100).tolist()
            check(lambda xp, a: xp.percentile(a, p), a)
        for ax in range(-a.ndim, a.ndim):
            check(lambda xp, a: xp.quantile(a, 0.3, axis=ax), a)
            check(lambda xp, a: xp.percentile(a, [25, 50, 75], axis=ax, keepdims=True), a)
        if a.ndim >= 2:
            check(lambda xp, a: xp.quantile(a, [0.2, 0.6], axis=(0, 1)), a)
            check(lambda xp, a: xp.percentile(a, 40, axis=(1, 0), keepdims=True), a)


@pytest.mark.parametrize("dtype", ["float64", "float32", "int32"])
def test_quantile_of_a_float32_q_indexes_in_float32_bit_for_bit(dtype):
    """NumPy computes the virtual index of a float32 q array (not of a Python float) in float32,
    and its fraction and 1 - fraction too: starp's values are NumPy's bits."""
    rng = np.random.default_rng(3)
    a = (rng.normal(size=(13, 1001)) * 100).astype(dtype)
    q = rng.random(40).astype(np.float32)
    for fn in (lambda xp, a: xp.quantile(a, q, axis=1), lambda xp, a: xp.quantile(a, np.float32(0.3), axis=1),
               lambda xp, a: xp.quantile(a, q.reshape(5, 8), axis=1),
               lambda xp, a: xp.percentile(a, q * np.float32(100), axis=1)):
        r = check(fn, a, rtol=0)
        if r is not None:
            assert np.array_equal(to_numpy(r[0]), r[1])


def test_quantile_errors_and_0d():
    a = data((7,), "float64", nans=False)
    check(lambda xp, a: xp.quantile(a, 1.5), a)
    check(lambda xp, a: xp.quantile(a, [-0.1, 0.5]), a)
    check(lambda xp, a: xp.percentile(a, 101), a)
    check(lambda xp, a: xp.percentile(a, np.nan), a)
    check(lambda xp, a: xp.quantile(a, 0.5, axis=1), a)
    check(lambda xp, a: xp.quantile(a.astype(complex), 0.5), a)
    check(lambda xp, z: xp.quantile(z, 0.25), np.array(4.0))
    check(lambda xp, z: xp.percentile(z, [10, 90]), np.array(7))


# ---------------------------------------------------------------------------------------------
# cumsum, cumprod
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", ["int8", "int32", "int64", "uint8", "uint32", "bool", "float32", "float64", "complex64"])
@pytest.mark.parametrize("shape", SHAPES)
def test_cumsum_cumprod(shape, dtype):
    a = data(shape, dtype, nans=False)
    check(lambda xp, a: xp.cumsum(a), a)
    check(lambda xp, a: xp.cumprod(a), a)
    for ax in range(-a.ndim, a.ndim):
        check(lambda xp, a: xp.cumsum(a, axis=ax), a)
        check(lambda xp, a: a.cumprod(axis=ax), a)
        check(lambda xp, a: a.cumsum(axis=ax, dtype=np.float64), a)
    if a.ndim == 0:
        check(lambda xp, a: xp.cumsum(a, axis=0), a)  # a 0-d array accumulates as 1-d
        check(lambda xp, a: xp.cumsum(a, axis=1), a)  # AxisError


def test_cumsum_overflow_wraps_and_nan():
    a = np.full(40, 100, dtype=np.int8)
    check(lambda xp, a: xp.cumsum(a, dtype=np.int8), a)
    check(lambda xp, a: xp.cumprod(a, dtype=np.int16), a)
    check(lambda xp, a: xp.cumsum(a), a)
    f = np.array([1.0, np.nan, 2.0, np.inf, -np.inf])
    check(lambda xp, f: xp.cumsum(f), f)
    check(lambda xp, f: xp.cumprod(f), f)
