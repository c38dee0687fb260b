"""Boolean-mask and integer-array ("fancy") indexing, nonzero and friends, take/put and
take_along_axis, against NumPy computed here (every test runs on P = 1..4 in-process ranks).

Shapes include 0-d, empty, sizes that do not divide P and fewer rows than ranks."""

import numpy as np
import pytest

import starp.numpy as snp
from _helpers import assert_same, check, to_numpy, to_starp

SHAPES = [(), (0,), (1,), (7,), (13,), (2, 3), (3, 1), (7, 5), (0, 4), (3, 0), (2, 3, 4), (5, 1, 3)]
DTYPES = ["int64", "int8", "uint16", "float64", "float32", "bool", "complex128"]


def data(shape, dtype, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.integers(-50, 50, size=shape)
    if np.dtype(dtype).kind == "c":
        return (x + 1j * rng.integers(-5, 5, size=shape)).astype(dtype)
    if np.dtype(dtype).kind == "b":
        return x > 0
    if np.dtype(dtype).kind == "u":
        x = np.abs(x)
    return x.astype(dtype)


def mask_of(shape, seed=1, p=0.5):
    return np.random.default_rng(seed).random(shape) < p


# ---------------------------------------------------------------------------------------------
# boolean masks
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", SHAPES)
def test_mask_read_full_shape(shape, dtype):
    a = data(shape, dtype)
    m = mask_of(shape)
    check(lambda xp, a, m: a[m], a, m)
    check(lambda xp, a: a[a != 0], a)


@pytest.mark.parametrize("shape", [(7, 5), (2, 3, 4), (3, 0), (1, 4)])
def test_mask_read_prefix(shape):
    a = data(shape, "float64")
    check(lambda xp, a, m: a[m], a, mask_of(shape[:1]))
    if len(shape) == 3:
        check(lambda xp, a, m: a[m], a, mask_of(shape[:2]))
        check(lambda xp, a, m: a[1, m], a, mask_of(shape[1:2]))
        check(lambda xp, a, m: a[:, m], a, mask_of(shape[1:]))


def test_mask_mixed_with_slices_and_ints():
    a = data((6, 5, 4), "int32")
    check(lambda xp, a, m: a[m, 1:3], a, mask_of((6,)))
    check(lambda xp, a, m: a[::2, m], a, mask_of((5,), seed=3))
    check(lambda xp, a, m: a[m, :, 2], a, mask_of((6,)))
    check(lambda xp, a, m: a[..., m], a, mask_of((4,)))
    check(lambda xp, a, m: a[None, m], a, mask_of((6, 5)))


def test_mask_python_list_and_0d():
    a = data((5,), "int64")
    check(lambda xp, a: a[[True, False, True, True, False]], a)
    check(lambda xp, a: a[True], a)
    check(lambda xp, a: a[False], a)
    z = np.array(3.5)
    check(lambda xp, z: z[z > 1], z)
    check(lambda xp, z: z[z > 5], z)


def test_mask_shape_errors():
    a = data((10,), "int64")
    check(lambda xp, a, m: a[m], a, mask_of((9,)))
    b = data((3, 4), "int64")
    check(lambda xp, b, m: b[m], b, mask_of((3, 3)))
    check(lambda xp, b, m, n: b[m, n], b, mask_of((3,)), mask_of((2,)))


@pytest.mark.parametrize("dtype", ["int64", "float32", "bool", "uint8"])
@pytest.mark.parametrize("shape", [(0,), (1,), (7,), (13,), (3, 5), (2, 3, 4)])
def test_mask_write_scalar(shape, dtype):
    a = data(shape, dtype)
    m = mask_of(shape)

    def f(xp, a, m):
        a[m] = 1
        return a

    check(f, a, m)

    def g(xp, a, m):
        a[m] = a[0] if a.ndim == 1 and a.shape[0] else 0  # a 0-d array value
        return a

    check(g, a, m)


@pytest.mark.parametrize("shape", [(7,), (13,), (3, 5), (2, 3, 4), (0, 3)])
def test_mask_write_array_of_selected_count(shape):
    a = data(shape, "float64")
    m = mask_of(shape)
    v = np.arange(int(m.sum()), dtype=np.float64) * 10

    def f(xp, a, m, v):
        a[m] = v
        return a

    check(f, a, m, v)

    def g(xp, a, m):
        a[m] = a[m] * 2 + 1
        return a

    check(g, a, m)


def test_mask_write_prefix_and_errors():
    a = data((4, 3), "int64")
    m = mask_of((4,))

    def f(xp, a, m):
        a[m] = 7
        return a

    check(f, a, m)

    def g(xp, a, m):
        a[m] = xp.arange(3)  # broadcast over the selected rows
        return a

    check(g, a, m)
    b = data((10,), "int64")
    mb = np.arange(10) > 3

    def wrong_count(xp, b, mb):
        b[mb] = [1, 2]
        return b

    check(wrong_count, b, mb)

    def nan_to_int(xp, b, mb):
        b[mb] = np.nan
        return b

    check(nan_to_int, b, mb)


def test_mask_write_through_view():
    a = np.arange(20.0).reshape(4, 5)
    sa = to_starp(a)
    v, sv = a[1:, ::2], sa[1:, ::2]
    v[v > 8] = -1
    sv[sv > 8] = -1
    assert_same(sa, a)
    assert_same(sv, v)
    v[v < 0] = np.arange((v < 0).sum()) + 100
    sv[sv < 0] = snp.arange(int(to_numpy((sv < 0).sum()))) + 100
    assert_same(sa, a)


# ---------------------------------------------------------------------------------------------
# nonzero, argwhere, flatnonzero, count_nonzero, extract, compress
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", SHAPES)
def test_nonzero_family(shape, dtype):
    a = data(shape, dtype) * (mask_of(shape) if np.dtype(dtype).kind != "b" else True)
    a = a.astype(dtype)
    if a.ndim:
        res = snp.nonzero(to_starp(a))
        exp = np.nonzero(a)
        assert len(res) == len(exp)
        for r, e in zip(res, exp):
            assert_same(r, e)
        check(lambda xp, a: xp.flatnonzero(a), a)
        check(lambda xp, a: xp.where(a)[0], a)
    else:
        check(lambda xp, a: xp.nonzero(a), a)
    check(lambda xp, a: xp.argwhere(a), a)
    check(lambda xp, a: xp.count_nonzero(a), a)
    for ax in range(a.ndim):
        check(lambda xp, a: xp.count_nonzero(a, axis=ax), a)
        check(lambda xp, a: xp.count_nonzero(a, axis=ax, keepdims=True), a)


def test_extract_compress():
    a = data((5, 4), "float64")
    c = mask_of((5, 4))
    check(lambda xp, c, a: xp.extract(c, a), c, a)
    check(lambda xp, a: xp.extract(a > 0, a), a)
    check(lambda xp, a: xp.compress([True, False, True], a, axis=0), a)
    check(lambda xp, a: xp.compress([False, True], a, axis=1), a)
    check(lambda xp, a: xp.compress([0, 1, 1, 0, 1, 1], a), a)
    check(lambda xp, a: xp.compress(np.ones(6, bool), a, axis=0), a)  # longer, True beyond: IndexError
    check(lambda xp, a: xp.compress([False] * 7, a, axis=0), a)  # longer, all False: fine
    check(lambda xp, a: a.compress([True, True], axis=1), a)
    e = np.zeros((0, 3))
    check(lambda xp, e: xp.compress([], e, axis=0), e)


# ---------------------------------------------------------------------------------------------
# integer-array indexing
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("n", [1, 7, 13])
def test_fancy_1d(n, dtype):
    a = data((n,), dtype)
    rng = np.random.default_rng(n)
    idx = rng.integers(-n, n, size=9)
    check(lambda xp, a, i: a[i], a, idx)
    check(lambda xp, a: a[[0, -1, 0]], a)
    check(lambda xp, a, i: a[i], a, idx.reshape(3, 3))
    check(lambda xp, a, i: a[i], a, idx.astype(np.uint8) % n)
    check(lambda xp, a, i: a[i], a, idx.astype(np.int32))
    check(lambda xp, a: a[[]], a)


@pytest.mark.parametrize("shape", [(7, 5), (3, 1), (2, 3, 4), (5, 2, 3), (0, 4)])
def test_fancy_on_each_axis(shape):
    a = data(shape, "float64")
    for ax, n in enumerate(shape):
        if n == 0:
            continue
        idx = np.random.default_rng(ax).integers(-n, n, size=(2, 3))
        key = (slice(None),) * ax + (idx,)
        check(lambda xp, a, i: a[(slice(None),) * ax + (i,)], a, idx)
        check(lambda xp, a, i: a[(Ellipsis, i) + (slice(None),) * (len(shape) - ax - 1)], a, idx)
        assert key is not None


def test_fancy_several_arrays():
    a = data((6, 5, 4), "int64")
    i = np.array([0, 5, -1, 2])
    j = np.array([[1], [4], [0]])
    check(lambda xp, a: a[[0, 5, 2], [1, 4, 0]], a)  # adjacent, first two axes
    check(lambda xp, a, i, j: a[i, j], a, i, j)  # broadcast (3, 4)
    check(lambda xp, a, j, i: a[:, j, i], a, j, i % 4)  # adjacent, not first
    check(lambda xp, a, i: a[i, :, i % 4], a, i)  # separated by a slice: broadcast dims first
    check(lambda xp, a, i: a[i, 1:4, 2], a, i)  # int + array separated: dims first
    check(lambda xp, a, i: a[1, :, i % 4], a, i)
    check(lambda xp, a, i: a[2, i % 5], a, i)  # int and array adjacent
    check(lambda xp, a, i: a[None, i, None, 1:3], a, i)
    check(lambda xp, a, i: a[..., i % 4], a, i)
    check(lambda xp, a, i: a[i, ..., i % 4], a, i)
    check(lambda xp, a, i, j: a[i[:, None], j[:, 0]], a, i, j)
    check(lambda xp, a, i, m: a[i, m], a, i[:2], mask_of((5,), seed=4, p=0.4) | np.eye(1, 5, 0, dtype=bool)[0] | np.eye(1, 5, 3, dtype=bool)[0])


def test_fancy_errors():
    a = data((10,), "int64")
    check(lambda xp, a: a[[12]], a)
    check(lambda xp, a: a[[-11]], a)
    check(lambda xp, a: a[np.array([1.0])], a)
    check(lambda xp, a: a[[1.0]], a)
    check(lambda xp, a: a[[1], [2]], a)
    b = data((3, 4), "int64")
    check(lambda xp, b: b[[0, 1], [0, 1, 2]], b)
    check(lambda xp, b: b[[0, 1], [0, 4]], b)
    check(lambda xp, b: b[..., [0], ...], b)
    e = np.zeros((0, 3))
    check(lambda xp, e: e[[0]], e)
    check(lambda xp, e: e[:, [2, 0]], e)
    with pytest.raises(IndexError, match="index 12 is out of bounds for axis 0 with size 10"):
        to_starp(a)[[1, 12]]


def test_fancy_of_views_and_0d():
    a = np.arange(60).reshape(5, 12)
    check(lambda xp, a: a.T[[1, 3, 3]], a)
    check(lambda xp, a: a[1:, ::3][[0, -1], [1, 2]], a)
    check(lambda xp, a: a[::-1][[0, 1]], a)
    z = np.array(5)
    check(lambda xp, z: z[None][[0, 0]], z)
    check(lambda xp, z: z[[0]], z)  # too many indices


def test_fancy_write_last_wins():
    a = np.zeros(10, dtype=np.int64)

    def f(xp, a):
        a[[1, 3, 1, 1, -1]] = [5, 6, 7, 8, 9]
        return a

    check(f, a)

    def g(xp, a):
        a[[2, 2, 2]] = 4
        a[[0, 0]] += 1  # no accumulation on repeated indices
        return a

    check(g, a)


@pytest.mark.parametrize("dtype", ["int64", "float32", "bool", "complex64", "uint8"])
def test_fancy_write_shapes(dtype):
    a = data((6, 5, 4), dtype)
    i = np.array([0, 5, -1, 2])

    def f1(xp, a, i):
        a[i] = 1
        return a

    def f2(xp, a, i):
        a[:, i % 5, 1:3] = xp.zeros((4, 2), dtype=a.dtype)
        return a

    def f3(xp, a, i):
        a[i, :, i % 4] = xp.arange(5).astype(a.dtype)
        return a

    def f4(xp, a, i):
        a[[[0], [1]], [1, 2]] = xp.ones((2, 1, 4), dtype=a.dtype)
        return a

    def f5(xp, a, i):
        a[i] = xp.ones((3, 4), dtype=a.dtype)  # broadcast mismatch
        return a

    for f in (f1, f2, f3, f4, f5):
        check(f, a, i)


def test_fancy_write_through_view_and_errors():
    a = np.arange(20.0).reshape(4, 5)
    sa = to_starp(a)
    v, sv = a[::2, 1:], sa[::2, 1:]
    v[[1, 0], [3, 0]] = [-1, -2]
    sv[[1, 0], [3, 0]] = [-1, -2]
    assert_same(sa, a)

    def oob(xp, a):
        a[[0, 4]] = 0
        return a

    check(oob, a)

    def bad_shape(xp, a):
        a[[1, 2]] = [1, 2, 3]
        return a

    check(bad_shape, a)
    r = snp.broadcast_to(snp.arange(3), (2, 3))
    with pytest.raises(ValueError):
        r[[0]] = 1


# ---------------------------------------------------------------------------------------------
# take, put, take_along_axis
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("shape", [(7,), (13,), (3, 5), (2, 3, 4), (1, 4)])
def test_take(shape):
    a = data(shape, "float64")
    idx = np.array([0, -1, 1, 0])
    check(lambda xp, a, i: xp.take(a, i), a, idx)
    for ax in range(-a.ndim, a.ndim):
        n = a.shape[ax]
        check(lambda xp, a, i: xp.take(a, i, axis=ax), a, idx % n)
        check(lambda xp, a, i: a.take(i.reshape(2, 2), axis=ax), a, idx % n)
        check(lambda xp, a: xp.take(a, 0, axis=ax), a)
        check(lambda xp, a: xp.take(a, [n + 5, -n - 3], axis=ax, mode="wrap"), a)
        check(lambda xp, a: xp.take(a, [n + 5, -n - 3], axis=ax, mode="clip"), a)
    check(lambda xp, a: xp.take(a, [a.size]), a)  # IndexError
    check(lambda xp, a: xp.take(a, [0], axis=a.ndim), a)  # AxisError


def test_put():
    a = np.arange(10)

    def f(xp, a):
        xp.put(a, [0, 2, 4, 6], [-1, -2])  # values cycle
        return a

    def g(xp, a):
        xp.put(a, [1, 1, -1], [7, 8, 9])  # last write wins
        return a

    def h(xp, a):
        xp.put(a, [20], 1)
        return a

    def m(xp, a):
        a.put([3, 25], [1, 2], mode="clip")
        return a

    for fn in (f, g, h, m):
        check(fn, a)
    b = np.arange(12.0).reshape(3, 4)

    def k(xp, b):
        v = b[:, 1:3]
        xp.put(v, [0, 5, 3], 100.0)  # flat indices of the view
        return b

    check(k, b)


@pytest.mark.parametrize("shape", [(7,), (3, 5), (2, 3, 4), (4, 1, 3)])
def test_take_along_axis(shape):
    a = data(shape, "float64", seed=5)
    for ax in range(a.ndim):
        check(lambda xp, a: xp.take_along_axis(a, xp.argsort(a, axis=ax, kind="stable"), axis=ax), a)
        i = np.zeros_like(a, dtype=np.int64).take([0], axis=ax) - 1
        check(lambda xp, a, i: xp.take_along_axis(a, i, axis=ax), a, i)
    check(lambda xp, a: xp.take_along_axis(a, xp.argsort(a, axis=None, kind="stable"), axis=None), a)
    check(lambda xp, a: xp.take_along_axis(a, np.array([[0]]), axis=0), a if a.ndim != 2 else a[0])
    check(lambda xp, a: xp.take_along_axis(a, np.zeros(a.shape), axis=0), a)
    big = np.full(a.shape, a.shape[0], dtype=np.int64)
    check(lambda xp, a, big: xp.take_along_axis(a, big, axis=0), a, big)
