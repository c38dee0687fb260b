"""Array manipulation (append ... fix, starp/numpy/_array_manipulation.py) against NumPy itself.

Every test compares with ``check`` (same dtype, shape and values, or the same exception type).
The in-place functions (copyto, putmask, place, put_along_axis, nan_to_num(copy=False)) return
the array they wrote into, and a view taken before the write, so that views see the write.
"""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import starp.numpy as snp  # noqa: F401 (the system under test, through ``check``)
from _helpers import AGAINST_NUMPY, arrays, check, check_all, quiet, shapes, to_numpy, to_starp


SOME_DTYPES = [np.dtype(n) for n in ("bool", "int8", "uint16", "int64", "float32", "float64", "complex128")]
SHAPES = [(), (0,), (7,), (3, 13), (2, 0, 3)]


def vals(shape, dtype=np.float64):
    """Small distinct-ish values of any dtype (bool: alternating)."""
    n = int(np.prod(shape))
    x = np.arange(n) % 11 - 3
    if np.dtype(dtype).kind == "c":
        return (x + 1j * (x % 3)).astype(dtype).reshape(shape)
    if np.dtype(dtype).kind == "u":
        x = np.abs(x)
    return x.astype(dtype).reshape(shape)



def signs(xp, r):
    """r's values and the sign bits of its (real and imaginary) parts: -0.0 is not 0.0."""
    r = xp.asarray(r)
    if r.dtype.kind == "c":
        return xp.stack([xp.signbit(xp.real(r)), xp.signbit(xp.imag(r))])
    return xp.signbit(r)


# --------------------------------------------------------------------------
# append, delete, insert, resize
# --------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", SOME_DTYPES, ids=str)
@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_append_flat(shape, dtype):
    x = vals(shape, dtype)
    check(lambda xp, a: xp.append(a, [1, 2]), x)
    check(lambda xp, a: xp.append(a, a), x)
    check(lambda xp, a: xp.append(a, 2.5), x)


@pytest.mark.parametrize("axis", [0, 1, -1, 2], ids=str)
def test_append_axis(axis):
    x = vals((3, 13), np.int32)
    check(lambda xp, a: xp.append(a, a, axis=axis), x)
    check(lambda xp, a: xp.append(a, a[:1].astype(np.float32), axis=axis), x)
    check(lambda xp, a: xp.append(a, [1, 2, 3], axis=axis), x)  # ndim mismatch: ValueError


@pytest.mark.parametrize("dtype", SOME_DTYPES, ids=str)
@pytest.mark.parametrize(
    "obj",
    [0, -1, 6, 7, -8, np.int8(3), slice(None, None, 2), slice(1, None, 3), slice(None, None, -2), slice(5, 1),
     [0, 2, 2, -1], [], np.array([], dtype=float), [True, False] * 3 + [True], [True, False], [1.0],
     np.array([1]), np.array([[1, 2]]), 1.5],
    ids=repr,
)
def test_delete_flat(obj, dtype):
    check(lambda xp, a: xp.delete(a, obj), vals((7,), dtype))


@pytest.mark.parametrize("obj", [1, -1, slice(0, 13, 4), [0, 12, 5, 6, 7, 8], [True] * 13, np.arange(0, 13, 2),
                                 13, [3, 14]], ids=repr)
@pytest.mark.parametrize("axis", [None, 1, -1, 0, 2], ids=str)
def test_delete_axis(obj, axis):
    check(lambda xp, a: xp.delete(a, obj, axis=axis), vals((3, 13)))


def test_delete_0d_and_starp_obj():
    check(lambda xp, a: xp.delete(a, 0), vals(()))
    check(lambda xp, a: xp.delete(a, 0, axis=0), vals(()))
    check(lambda xp, a: xp.delete(a, xp.asarray([1, 3])), vals((7,)))
    check(lambda xp, a: xp.delete(a, a > 1), vals((7,)))
    check(lambda xp, a: xp.delete(a, [0, 1, 2]), vals((0,)))  # out of bounds on an empty axis
    # many scattered pieces: the gather path
    check(lambda xp, a: xp.delete(a, slice(None, None, 2)), vals((101,)))


def test_delete_is_a_copy():
    def f(xp, a):
        d = xp.delete(a, [])
        d[0] = 100
        return xp.concatenate([a, d])

    check(f, vals((7,)))


@pytest.mark.parametrize("dtype", SOME_DTYPES, ids=str)
@pytest.mark.parametrize(
    "obj,values",
    [(0, 9), (7, 9), (-1, [8, 9]), (3, [[1, 2]]), ([1], [7, 8]), ([1, 1, 5], [7, 8, 9]), ([5, 1, 1], 4),
     (slice(None, None, 3), [1, 2, 3]), ([True, False] * 3 + [True], 5), ([], []), (np.array([2, 0]), [1, 2]),
     (8, 1), (-8, 1), ([-5, 2], 9), ([8, 2], 9), ([[1]], 9), (np.array([True]), 9), (1.5, 9), ([1.5, 2], 9),
     ([], [1, 2]), (np.array([], dtype=float), [])],
    ids=repr,
)
def test_insert_flat(obj, values, dtype):
    check(lambda xp, a: xp.insert(a, obj, values), vals((7,), dtype))


@pytest.mark.parametrize(
    "obj,values",
    [(1, [7, 8, 9]), (1, [[7], [8], [9]]), ([1], [7, 8, 9]), ([1], [[7], [8], [9]]), (1, 5), ([0, 13], 5),
     (slice(None), [[7], [8], [9]]), (0, [7, 8]), (2, np.arange(6).reshape(3, 2)),
     ([2, 2], np.arange(6).reshape(3, 2))],
    ids=repr,
)
@pytest.mark.parametrize("axis", [1, -1, 0, None], ids=str)
def test_insert_axis(obj, values, axis):
    check(lambda xp, a: xp.insert(a, obj, values, axis=axis), vals((3, 13)))


def test_insert_values_conversion():
    i8 = vals((7,), np.int8)
    check(lambda xp, a: xp.insert(a, 1, 300), i8)  # OverflowError
    check(lambda xp, a: xp.insert(a, [1, 2], 300), i8)
    check(lambda xp, a: xp.insert(a, [1, 2], [1.5, 2.7]), i8)
    check(lambda xp, a: xp.insert(a, [1, 2], np.array([300, 2])), i8)  # arrays cast unsafely
    check(lambda xp, a: xp.insert(a, 2, np.array([1.5, -2.5])), i8)
    check(lambda xp, a: xp.insert(a, [1, 2], [1j, 2]), vals((7,)))  # TypeError
    check(lambda xp, a: xp.insert(a, 0, 3), vals(()))
    check(lambda xp, a: xp.insert(a, 0, 3, axis=0), vals(()))  # AxisError
    # starp values and obj
    check(lambda xp, a: xp.insert(a, xp.asarray([1, 2]), a[:2] * 10), vals((7,), np.float32))
    check(lambda xp, a: xp.insert(a, 2, a[1] * 10, axis=1), vals((3, 13)))
    check(lambda xp, a: xp.insert(a, [3], a[1:2] * 10, axis=0), vals((3, 13)))
    check(lambda xp, a: xp.insert(a, slice(None), a[:, :1] * 10, axis=1), vals((3, 13)))


@pytest.mark.parametrize("dtype", SOME_DTYPES, ids=str)
@pytest.mark.parametrize("shape", [(), (0,), (7,), (3, 13)], ids=str)
@pytest.mark.parametrize("new_shape", [5, 0, (4, 9), (2, 0), (), (3, 1, 2), [13], (-1,), (3, -2), np.int64(30)],
                         ids=repr)
def test_resize(shape, new_shape, dtype):
    check(lambda xp, a: xp.resize(a, new_shape), vals(shape, dtype))


# --------------------------------------------------------------------------
# block, splits, rot90, rollaxis, diagflat
# --------------------------------------------------------------------------


def test_block():
    a = vals((2, 3), np.int16)
    b = vals((2, 2), np.float32)
    v = vals((7,))
    check(lambda xp, a, b: xp.block([[a, b], [b, a]]), a, b)  # ValueError: mismatched
    check(lambda xp, a, b: xp.block([[a, b], [a[:, :2], xp.concatenate([b, a[:, :1]], axis=1)]]), a, b)
    check(lambda xp, a, b: xp.block([a, b]), a, b)
    check(lambda xp, v: xp.block([v, 1, [2, 3]]), v)
    check(lambda xp, v: xp.block([[v], [v]]), v)
    check(lambda xp, v: xp.block([[[v]], [[v]]]), v)
    check(lambda xp, v: xp.block(v), v)
    check(lambda xp, v: xp.block(2.5), v)
    check(lambda xp, v: xp.block([1, 2, 3]), v)
    check(lambda xp, v: xp.block([[1, 2], [3, 4]]), v)
    check(lambda xp, v: xp.block([[1, True], [3, 4.5]]), v)
    check(lambda xp, a: xp.block([[a], a]), a)  # depth mismatch: ValueError
    check(lambda xp, a: xp.block([[a], []]), a)  # empty list: ValueError
    check(lambda xp, a: xp.block([]), a)
    check(lambda xp, a: xp.block((a, a)), a)  # tuple: TypeError
    check(lambda xp, a: xp.block([[a, (a,)]]), a)
    check(lambda xp, a: xp.block([[vals((2, 0, 3)), vals((2, 0, 3))]]), a)
    check(lambda xp, a: xp.block([[vals(()), vals((1,))], [vals((3, 1, 2)), vals((3, 1, 1))]]), a)
    check(lambda xp: xp.block([np.ones(2), np.zeros(3, np.float32)]))


def test_block_is_a_copy():
    def f(xp, a):
        b = xp.block(a)
        b[0] = 100
        return xp.concatenate([a, b])

    check(f, vals((7,)))


@pytest.mark.parametrize("shape", [(), (7,), (12,), (3, 13), (4, 6), (2, 4, 6), (3, 4, 7)], ids=str)
@pytest.mark.parametrize("ios", [2, 3, [1, 3], [], [0, 0, 5]], ids=repr)
def test_splits(shape, ios):
    check_all(lambda xp: xp.hsplit([1, 2, 3, 4], 2))  # AttributeError, as NumPy
    x = vals(shape)
    for name in ("hsplit", "vsplit", "dsplit"):
        check_all(lambda xp, a: getattr(xp, name)(a, ios), x)


@pytest.mark.parametrize("k", [-1, 0, 1, 2, 3, 5, 4], ids=str)
@pytest.mark.parametrize("axes", [(0, 1), (1, 0), (0, -1), (-1, 1), (0, 2), (1, 1), (0,), (0, 3), (-3, 0)], ids=str)
@pytest.mark.parametrize("shape", [(3, 13), (2, 3, 4), (7,), (0, 3)], ids=str)
def test_rot90(shape, axes, k):
    check(lambda xp, a: xp.rot90(a, k, axes), vals(shape, np.int32))


def test_rot90_is_a_view():
    def f(xp, a):
        r = xp.rot90(a)
        r[0, 1] = 100
        return a

    check(f, vals((3, 4)))


@pytest.mark.parametrize("axis", [0, 1, 2, -1, 3, -4], ids=str)
@pytest.mark.parametrize("start", [0, 1, 2, 3, -1, -3, 4, -4], ids=str)
def test_rollaxis(axis, start):
    check(lambda xp, a: xp.rollaxis(a, axis, start), vals((2, 3, 4)))


@pytest.mark.parametrize("fn", ["rollaxis", "rot90_2", "rot90_0", "rot90_3"])
def test_rollaxis_rot90_are_views(fn):
    def f(xp, a):
        if fn == "rollaxis":
            r = xp.rollaxis(a, 2)
        else:
            r = xp.rot90(a, int(fn[-1]), axes=(1, 2))
        r[0, 1] = 100
        return a

    check(f, vals((2, 3, 4)))


@pytest.mark.parametrize("dtype", SOME_DTYPES, ids=str)
@pytest.mark.parametrize("shape", [(), (0,), (3,), (2, 2)], ids=str)
@pytest.mark.parametrize("k", [0, 1, -2, 3], ids=str)
def test_diagflat(shape, k, dtype):
    check(lambda xp, a: xp.diagflat(a, k), vals(shape, dtype))
    check(lambda xp: xp.diagflat([[1, 2], [3, 4]], k))


# --------------------------------------------------------------------------
# trim_zeros
# --------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", SOME_DTYPES, ids=str)
@pytest.mark.parametrize("trim", ["fb", "f", "b", "BF", "x", "fbx"], ids=str)
@pytest.mark.parametrize(
    "data", [[0, 0, 1, 0, 2, 0, 0], [1, 0, 2], [0, 0, 0], [], [0, 0, 0, 0, 0, 0, 3], [5]], ids=str)
def test_trim_zeros_1d(data, trim, dtype):
    check(lambda xp, a: xp.trim_zeros(a, trim), np.array(data, dtype=dtype))


def test_trim_zeros_special():
    check(lambda xp, a: xp.trim_zeros(a), np.array([0.0, -0.0, np.nan, 0.0, 1.0, 0.0]))
    check(lambda xp, a: xp.trim_zeros(a), np.array([0j, 1j, 0j, 0j]))
    check(lambda xp, a: xp.trim_zeros(a), np.array(0.0))
    check(lambda xp, a: xp.trim_zeros(a, axis=0), np.array(0.0))  # AxisError
    check(lambda xp: np.asarray(xp.trim_zeros([0, 1, 2, 0])))
    assert isinstance(snp.trim_zeros([0, 1, 2, 0]), list)
    # the result is a view of filt
    def f(xp, a):
        t = xp.trim_zeros(a)
        t[0] = 100
        return a

    check(f, np.array([0, 0, 1, 2, 0, 0]))


@pytest.mark.parametrize("axis", [None, 0, 1, -1, (0, 1), (1,), 2, ()], ids=str)
@pytest.mark.parametrize("trim", ["fb", "f", "b"], ids=str)
def test_trim_zeros_nd(axis, trim):
    x = np.zeros((5, 13))
    x[1, 3] = 1
    x[3, 9] = np.nan
    check(lambda xp, a: xp.trim_zeros(a, trim, axis=axis), x)
    check(lambda xp, a: xp.trim_zeros(a, trim, axis=axis), np.zeros((3, 4)))
    check(lambda xp, a: xp.trim_zeros(a, trim, axis=axis), np.zeros((0, 4)))
    x3 = np.zeros((3, 4, 5), np.int8)
    x3[1:, 2, 1:3] = 1
    if axis is None or axis in (0, 1, -1, (0, 1)):
        check(lambda xp, a: xp.trim_zeros(a, trim, axis=axis), x3)


# --------------------------------------------------------------------------
# choose, select, piecewise
# --------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["raise", "wrap", "clip", "foo"], ids=str)
@pytest.mark.parametrize(
    "idx", [[0, 1, 2], [0, 1, 3], [-1, 0, 5], [[0], [2]], 1, [], np.array([True, False, True]),
            np.array([1, 0, 2], np.uint8), np.array([1, 0, 2], np.uint64), [0.0, 1.0, 2.0]],
    ids=repr,
)
def test_choose(idx, mode):
    c = [vals((3,), np.int8), vals((2, 1), np.float32) + 10, 7]
    check(lambda xp, a: xp.choose(idx, [a, a * 2, a * 3], mode=mode), vals((3,), np.int16))
    check(lambda xp, a: xp.choose(idx, [a, c[1], 7], mode=mode), c[0])


def test_choose_dtypes_and_errors():
    i8 = vals((3,), np.int8)
    check(lambda xp, a: xp.choose([0, 1, 2], [a, 300, 2]), i8)  # weak 300 converts unsafely
    check(lambda xp, a: xp.choose([0, 1, 2], [a, 3.5, np.float32(2)]), i8)
    check(lambda xp, a: xp.choose([0, 1, 2], [a, 2.5j, 1]), vals((3,), np.float32))
    check(lambda xp, a: xp.choose([0, 1, 0], a), vals((2, 3)))  # choices: an array's rows
    check(lambda xp, a: xp.choose(1, [3, 4]), i8)
    check(lambda xp, a: xp.choose([0], []), i8)  # ValueError
    check(lambda xp, a: xp.choose(0, [a] * 65), i8)  # ValueError: at most 64
    check(lambda xp, a: xp.choose([0, 0], [a]), i8)  # broadcast: ValueError
    check(lambda xp, a: xp.choose(xp.asarray(np.array([[0], [1]])), [a, a[::-1]]), vals((7,)))
    check(lambda xp, a: xp.choose(a, [1, 2]), np.zeros((0, 3), np.int64))
    check(lambda xp, a: xp.choose(0, a), np.array(5))  # TypeError: a 0-d array of choices


@pytest.mark.parametrize("dtype", SOME_DTYPES, ids=str)
def test_select(dtype):
    x = vals((3, 13), dtype)
    check(lambda xp, a: xp.select([a > 1, a < 0], [a, a * 2]), x)
    check(lambda xp, a: xp.select([a > 1, a < 0], [a, 2.5], default=-1), x)
    check(lambda xp, a: xp.select([a > 1, a < 0], [a, 300], default=7), x)
    check(lambda xp, a: xp.select([a > 1], [1j], default=a), x)
    check(lambda xp, a: xp.select([a[0] > 1, True], [a[:, :1], a[1]], default=a[2, 0]), x)


def test_select_errors():
    x = vals((7,))
    check(lambda xp, a: xp.select([a > 1], [a, a]), x)
    check(lambda xp, a: xp.select([], []), x)
    check(lambda xp, a: xp.select([a], [a]), x)  # not boolean: TypeError
    check(lambda xp, a: xp.select([a > 1], [a[:3]]), x)  # broadcast: ValueError
    check(lambda xp, a: xp.select([a > 1, a[:2] > 0], [a, a]), x)
    check(lambda xp, a: xp.select([True, False], [1, 2], 3.5), x)
    check(lambda xp, a: xp.select([a > 1], [np.int8(1)], np.uint8(3)), x)
    check(lambda xp, a: xp.select([a > 100], [a], np.nan), vals((0,)))


@pytest.mark.parametrize("dtype", [np.int32, np.float64, np.complex128, np.float32], ids=str)
def test_piecewise(dtype):
    x = vals((3, 13), dtype)
    r = np.real
    check(lambda xp, a: xp.piecewise(a, [r(a) < 0, r(a) > 3], [lambda v: v * 2, 7]), x)
    check(lambda xp, a: xp.piecewise(a, [r(a) < 0, r(a) > 3], [lambda v: v * 2, 7, lambda v: -v]), x)
    check(lambda xp, a: xp.piecewise(a, [r(a) < -10], [lambda v: v * 2]), x)  # no element selected
    check(lambda xp, a: xp.piecewise(a, r(a) < 0, [-1, 1]), x)  # a single condition
    check(lambda xp, a: xp.piecewise(a, [r(a) < 0], [1, 2, 3]), x)  # ValueError
    check(lambda xp, a: xp.piecewise(a, [r(a) < 0, r(a) > 3], [lambda v, k: v * k, 2.5], 3), x)


def test_piecewise_0d_and_lists():
    check(lambda xp, a: xp.piecewise(a, [True], [lambda v: v + 1]), np.array(3.0))
    check(lambda xp, a: xp.piecewise(a, [False], [lambda v: v + 1, 9]), np.array(3.0))
    check(lambda xp, a: xp.piecewise(a, True, [5]), np.array(3))
    check(lambda xp, a: xp.piecewise(a, [[True, False, True]], [5]), np.arange(3.0))
    check(lambda xp, a: xp.piecewise(a, [[1, 0, 2]], [5, 6]), np.arange(3.0))
    check(lambda xp, a: xp.piecewise(a, [a < 1], [5]), np.zeros(0))


# --------------------------------------------------------------------------
# copyto, putmask, place, put_along_axis (in place; views see the writes)
# --------------------------------------------------------------------------


def writes(fn):
    """fn(xp, a) writes into a: return a and a view of it taken before the write."""

    def f(xp, a):
        view = a[..., ::-1] if a.ndim else a[...]
        fn(xp, a)
        return xp.concatenate([xp.ravel(a), xp.ravel(view)])

    return f


@pytest.mark.parametrize("dtype", SOME_DTYPES, ids=str)
@pytest.mark.parametrize(
    "src", [5, 1.5, -1, 300, 2j, True, np.float64(2.5), np.int8(3), [1, 2, 3], np.array([1.5, 2, 3]),
            np.array(7, np.uint8), np.arange(6).reshape(2, 3), [1, 2]],
    ids=repr,
)
@pytest.mark.parametrize("casting", ["same_kind", "unsafe", "safe", "no"], ids=str)
def test_copyto(src, casting, dtype):
    x = vals((2, 3), dtype)
    check(writes(lambda xp, a: xp.copyto(a, src, casting=casting)), x)


@pytest.mark.parametrize("where", [True, False, [True, False, True], np.array([[True], [False]]), [1, 0, 1],
                                   np.array([1, 0, 1]), np.array([True, False]), "mask"], ids=repr)
def test_copyto_where(where):
    x = vals((2, 3), np.float32)

    def f(xp, a):
        w = a > 0 if isinstance(where, str) else where
        xp.copyto(a, xp.asarray(np.arange(3.0)) * 10, where=w)

    check(writes(f), x)


def test_copyto_errors():
    x = vals((2, 3))
    check(lambda xp, a: xp.copyto(a, 1, casting="foo"), x)
    check(lambda xp, a: xp.copyto([1, 2], 5), x)
    check(writes(lambda xp, a: xp.copyto(a, a.astype(np.int32))), x)
    check(writes(lambda xp, a: xp.copyto(a.astype(np.int32), a)), x)  # TypeError (same_kind)
    check(writes(lambda xp, a: xp.copyto(a, a[0])), x)
    check(writes(lambda xp, a: xp.copyto(a, a[:, :1].T)), x)
    check(writes(lambda xp, a: xp.copyto(a, 5, where=a[:, :2] > 0)), x)
    check(writes(lambda xp, a: xp.copyto(a[0], a[1])), x)  # into a view
    check(writes(lambda xp, a: xp.copyto(a, np.ones((1, 1, 2, 3)))), x)  # leading 1s are dropped
    check(writes(lambda xp, a: xp.copyto(a, xp.asarray(np.ones((1, 2, 3))))), x)
    check(writes(lambda xp, a: xp.copyto(a, np.ones((2, 2, 3)))), x)
    check(writes(lambda xp, a: xp.copyto(a, 1, where=np.ones((1, 2, 3), bool))), x)  # not for where


@pytest.mark.parametrize("dtype", SOME_DTYPES, ids=str)
@pytest.mark.parametrize(
    "values", [[1, 2], [3.5, -2.5], 300, 2.5, [], np.array([1.5, 2]), np.array([1, 2], np.int8), 1j, np.float64(2.5),
               [[1, 2], [3, 4]]],
    ids=repr,
)
def test_putmask_and_place(values, dtype):
    x = vals((3, 5), dtype)
    check(writes(lambda xp, a: xp.putmask(a, a > 0, values)), x)
    check(writes(lambda xp, a: xp.place(a, a > 0, values)), x)


def test_putmask_place_masks_and_errors():
    x = vals((3, 5))
    for name in ("putmask", "place"):
        check(writes(lambda xp, a: getattr(xp, name)(a, np.arange(15) % 3, [7, 8])), x)
        check(writes(lambda xp, a: getattr(xp, name)(a, (np.arange(15) % 3).astype(float), [7, 8])), x)
        check(writes(lambda xp, a: getattr(xp, name)(a, (a > 0).ravel(), [7, 8])), x)  # same size, flat
        check(writes(lambda xp, a: getattr(xp, name)(a, a[0] > 0, [7, 8])), x)  # ValueError
        check(writes(lambda xp, a: getattr(xp, name)(a, a > 100, [])), x)
        check(writes(lambda xp, a: getattr(xp, name)(a, a > 0, xp.asarray(np.array([7.0, 8, 9])))), x)
        check(writes(lambda xp, a: getattr(xp, name)(a, a > 0, xp.asarray(np.array([7, 8, 9])))), x.astype(np.int8))
        check(writes(lambda xp, a: getattr(xp, name)(a, True, [7, 8])), vals(()))
        check(writes(lambda xp, a: getattr(xp, name)(a, a > 0, a * 10)), x)
        check(lambda xp: getattr(xp, name)([1, 2], [True, False], 1))  # TypeError
    check(writes(lambda xp, a: xp.place(a, a > 0, [])), x)  # ValueError: empty vals


@pytest.mark.parametrize("axis", [0, 1, -1, None, 2], ids=str)
@pytest.mark.parametrize("dtype", [np.int16, np.float64, np.complex64], ids=str)
def test_put_along_axis(axis, dtype):
    x = vals((3, 7), dtype)
    idx = np.array([[1, 0, 2, 2, 0, 1, 1]]) if axis == 0 else np.array([[6], [0], [3]])
    if axis is None:
        idx = np.array([0, 20, 5])
    check(writes(lambda xp, a: xp.put_along_axis(a, idx, 99, axis=axis)), x)
    check(writes(lambda xp, a: xp.put_along_axis(a, idx, np.arange(21).reshape(3, 7)[:idx.shape[0], :idx.shape[-1]]
                                                 if idx.ndim == 2 else [1, 2, 3], axis=axis)), x)
    check(writes(lambda xp, a: xp.put_along_axis(a, xp.argsort(a, axis=axis)[..., :1] if axis is not None
                                                 else xp.argsort(a, axis=None)[:2], -5, axis=axis)), x)


def test_put_along_axis_errors():
    x = vals((3, 7))
    check(writes(lambda xp, a: xp.put_along_axis(a, np.array([[1.0]]), 9, axis=1)), x)  # IndexError
    check(writes(lambda xp, a: xp.put_along_axis(a, np.array([1]), 9, axis=1)), x)  # ValueError
    check(writes(lambda xp, a: xp.put_along_axis(a, np.array([[7]]), 9, axis=1)), x)  # IndexError
    check(writes(lambda xp, a: xp.put_along_axis(a, np.array([[1]]), 9, axis=None)), x)  # ValueError
    check(writes(lambda xp, a: xp.put_along_axis(a, np.array([[-1], [0], [1]]), 9, axis=1)), x)
    check(writes(lambda xp, a: xp.put_along_axis(a, np.zeros((3, 0), np.int64), 9, axis=1)), x)


# --------------------------------------------------------------------------
# apply_along_axis, apply_over_axes
# --------------------------------------------------------------------------


@pytest.mark.parametrize("axis", [0, 1, -1, 2], ids=str)
@pytest.mark.parametrize("shape", [(3, 7), (2, 3, 4), (7,)], ids=str)
def test_apply_along_axis(shape, axis):
    x = vals(shape, np.int32)
    check(lambda xp, a: xp.apply_along_axis(lambda v: v.sum(), axis, a), x)
    check(lambda xp, a: xp.apply_along_axis(lambda v: v[::-1] * 2, axis, a), x)
    check(lambda xp, a: xp.apply_along_axis(lambda v: xp.outer(v, v[:2]), axis, a), x)
    check(lambda xp, a: xp.apply_along_axis(lambda v, k: v[:1] * k, axis, a, 2.5), x)
    check(lambda xp, a: xp.apply_along_axis(lambda v, k=1: xp.sort(v) + k, axis, a, k=3), x)


def test_apply_along_axis_special():
    # later results are cast to the first one's dtype
    check(lambda xp, a: xp.apply_along_axis(lambda v: v.sum() if v[0] == 0 else v.mean(), 1, a),
          np.arange(12).reshape(3, 4))
    check(lambda xp, a: xp.apply_along_axis(lambda v: 3.5, 0, a), vals((3, 4)))
    check(lambda xp, a: xp.apply_along_axis(lambda v: v.sum(), 1, a), vals((0, 4)))  # ValueError
    check(lambda xp, a: xp.apply_along_axis(lambda v: v.sum(), 0, a), vals((0, 4)))
    check(lambda xp, a: xp.apply_along_axis(lambda v: v, 0, a), vals(()))  # AxisError


@pytest.mark.parametrize("axes", [0, 1, [0, 1], (0, 2), [-1], [2, 0, 2], 3], ids=str)
def test_apply_over_axes(axes):
    x = vals((2, 3, 4), np.float32)
    check(lambda xp, a: xp.apply_over_axes(xp.sum, a, axes), x)
    check(lambda xp, a: xp.apply_over_axes(lambda v, ax: xp.max(v, axis=ax, keepdims=True), a, axes), x)
    check(lambda xp, a: xp.apply_over_axes(lambda v, ax: xp.sum(v), a, axes), x)  # ValueError


# --------------------------------------------------------------------------
# vectorize, frompyfunc
# --------------------------------------------------------------------------


def test_vectorize():
    x = vals((3, 13))

    def step(v, lo=0):
        return v + 1 if v > lo else v - 1

    check(lambda xp, a: xp.vectorize(step)(a), x)
    check(lambda xp, a: xp.vectorize(step)(a, lo=2), x)
    check(lambda xp, a: xp.vectorize(step)(a, a[0]), x)
    check(lambda xp, a: xp.vectorize(step, otypes=[np.float32])(a), x)
    check(lambda xp, a: xp.vectorize(lambda v: int(v) % 3 == 0)(a), x)
    check_all(lambda xp, a: xp.vectorize(lambda v: (v, v * 2))(a), x)
    check(lambda xp, a: xp.vectorize(lambda v, p: v * p[1], excluded={1})(a, [2, 3]), x)
    check(lambda xp, a: xp.vectorize(lambda v: v[::-1], signature="(n)->(n)")(a), x)
    check(lambda xp, a: xp.vectorize(lambda v: v.sum(), signature="(n)->()")(a), x)
    check(lambda xp, a: xp.vectorize(step)(a), vals(()))
    check(lambda xp, a: xp.vectorize(step, otypes=[float])(a), vals((0,)))
    check(lambda xp, a: xp.vectorize(step)(a), vals((0,)))  # ValueError: no otypes

    def decorated(xp, a):
        @xp.vectorize(otypes=[np.int64])
        def f(v):
            return int(v) * 3

        return f(a)

    check(decorated, x)


def test_frompyfunc():
    x = vals((3, 7))
    check(lambda xp, a: xp.frompyfunc(lambda v: v * 2, 1, 1)(a).astype(np.float64), x)
    check(lambda xp, a: xp.frompyfunc(lambda v, w: v + w, 2, 1)(a, a[0]).astype(np.float64), x)
    check(lambda xp, a: xp.frompyfunc(lambda v: (v, -v), 1, 2)(a)[1].astype(np.float64), x)
    check(lambda xp, a: xp.frompyfunc(lambda v, w: v + w, 2, 1).reduce(a, axis=0).astype(np.float64), x)
    check(lambda xp, a: xp.frompyfunc(lambda v, w: v * w, 2, 1).accumulate(a, axis=1).astype(np.float64), x)
    check(lambda xp, a: xp.frompyfunc(lambda v, w: v - w, 2, 1).outer(a[0], a[1]).astype(np.float64), x)
    check(lambda xp, a: xp.asarray(xp.frompyfunc(lambda v: v * 2, 1, 1)(a)).astype(np.float64), vals(()))

    def at(xp, a):
        xp.frompyfunc(lambda v, w: v + w, 2, 1).at(a, [0, 0, 2], 5)
        return a

    check(at, vals((5,)))
    f = snp.frompyfunc(lambda v: v, 1, 1)
    assert (f.nin, f.nout) == (1, 1)


@pytest.mark.skipif(AGAINST_NUMPY, reason="starp has no object dtype")
def test_frompyfunc_result_dtype_is_inferred():
    r = snp.frompyfunc(lambda v: int(v) * 2, 1, 1)(to_starp(vals((7,))))
    assert to_numpy(r).dtype == np.int64
    with pytest.raises(NotImplementedError):
        snp.frompyfunc(lambda v: str(v), 1, 1)(to_starp(vals((7,))))


# --------------------------------------------------------------------------
# matvec, vecmat
# --------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", SOME_DTYPES, ids=str)
@pytest.mark.parametrize(
    "s1,s2", [((3, 7), (7,)), ((2, 3, 7), (7,)), ((3, 7), (4, 7)), ((2, 1, 3, 7), (5, 7)), ((0, 7), (7,)),
              ((3, 0), (0,)), ((3, 7), (6,)), ((7,), (7,)), ((3, 7), ()), ((2, 3, 7), (3, 7))],
    ids=str,
)
def test_matvec(s1, s2, dtype):
    check(lambda xp, a, b: xp.matvec(a, b), vals(s1, dtype), vals(s2, dtype) + 1)


@pytest.mark.parametrize("dtype", SOME_DTYPES, ids=str)
@pytest.mark.parametrize(
    "s1,s2", [((7,), (7, 3)), ((2, 7), (7, 3)), ((4, 7), (2, 1, 7, 3)), ((0,), (0, 3)), ((7,), (0, 7, 3)),
              ((6,), (7, 3)), ((), (7, 3)), ((7,), (7,))],
    ids=str,
)
def test_vecmat(s1, s2, dtype):
    x1 = vals(s1, dtype)
    if x1.dtype.kind == "c":
        x1 = x1 * (1 - 2j)
    check(lambda xp, a, b: xp.vecmat(a, b), x1, vals(s2, dtype) + 1)


def test_matvec_mixed_dtypes_and_keywords():
    a, b = vals((3, 7), np.int8), vals((7,), np.float32)
    check(lambda xp, a, b: xp.matvec(a, b), a, b)
    check(lambda xp, a, b: xp.matvec(a, b, dtype=np.float64), a, b)
    check(lambda xp, a, b: xp.matvec(a, b, dtype=np.int16), a, b)  # TypeError (same_kind)
    check(lambda xp, a, b: xp.matvec(a, b, dtype=np.int16, casting="unsafe"), a, b)
    check(lambda xp, a, b: xp.matvec(a, b.astype(np.int64), dtype=bool), a, b)
    check(lambda xp: xp.matvec([[1, 2], [3, 4]], [1, 1]))
    check(lambda xp, a, b: xp.vecmat(a, b), vals((7,), np.complex64) * 1j, vals((7, 2), np.float64))
    check(lambda xp, a, b: xp.vecmat(a, b, dtype=np.complex64), vals((7,), np.complex64) * 1j, vals((7, 2)))


# --------------------------------------------------------------------------
# nan_to_num and the classification helpers
# --------------------------------------------------------------------------

SPECIAL = [np.nan, np.inf, -np.inf, 0.0, -0.0, 1.5, -2.0, 1e30]


def special(dtype):
    d = np.dtype(dtype)
    if d.kind == "c":
        with quiet():
            return np.array([complex(p, q) for p in SPECIAL for q in SPECIAL], dtype=d)
    if d.kind == "f":
        with quiet():
            return np.array(SPECIAL, dtype=d)
    return vals((7,), d)


@pytest.mark.parametrize("dtype", SOME_DTYPES + [np.dtype("complex64")], ids=str)
@pytest.mark.parametrize(
    "kw", [{}, {"nan": 5}, {"nan": -1.5, "posinf": 7, "neginf": -7}, {"posinf": np.inf}, {"nan": np.nan},
           {"neginf": 1e300}, {"nan": 2j}, {"posinf": np.nan, "neginf": np.inf, "nan": -np.inf}],
    ids=repr,
)
def test_nan_to_num(dtype, kw):
    x = special(dtype)
    check(lambda xp, a: xp.nan_to_num(a, **kw), x)
    check(lambda xp, a: signs(xp, xp.nan_to_num(a, **kw)), x)
    check(lambda xp, a: xp.nan_to_num(a[0], **kw), x)  # 0-d


@pytest.mark.parametrize("dtype", [np.float32, np.complex128, np.int16], ids=str)
def test_nan_to_num_copy(dtype):
    x = special(dtype)

    def inplace(xp, a):
        view = a[1:]
        r = xp.nan_to_num(a, copy=False)
        r[0] = 3  # r is a itself
        return xp.concatenate([a, view])

    def copy(xp, a):
        r = xp.nan_to_num(a)
        r[0] = 3  # a copy
        return xp.concatenate([a, r])

    check(inplace, x)
    check(copy, x)
    check(lambda xp: xp.nan_to_num([np.nan, 1, np.inf]))


def test_nan_to_num_numpy_input_in_place():
    x = special(np.float32)
    r = snp.nan_to_num(x, copy=False)
    assert np.array_equal(x, np.nan_to_num(special(np.float32)))
    assert np.array_equal(to_numpy(r), x)


@pytest.mark.parametrize("dtype", SOME_DTYPES + [np.dtype("uint64"), np.dtype("complex64")], ids=str)
def test_classification(dtype):
    x = special(dtype)
    for name in ("isposinf", "isneginf", "iscomplex", "isreal", "fix"):
        check(lambda xp, a: getattr(xp, name)(a), x)
        check(lambda xp, a: getattr(xp, name)(a[0]), x)
    for name in ("iscomplexobj", "isrealobj"):
        check(lambda xp, a: getattr(xp, name)(a), x)
    check(lambda xp, a: xp.real_if_close(a), x)


def test_classification_scalars_and_out():
    for name in ("isposinf", "isneginf", "iscomplex", "isreal", "iscomplexobj", "isrealobj", "fix", "real_if_close"):
        check(lambda xp: getattr(xp, name)(3))
        check(lambda xp: getattr(xp, name)([1, 2j]))
        check(lambda xp: getattr(xp, name)(-np.inf))
    for name in ("isposinf", "isneginf", "fix"):

        def f(xp, a):
            out = xp.zeros(a.shape, dtype=bool if name != "fix" else a.dtype)
            r = getattr(xp, name)(a, out)
            return xp.concatenate([out, r])

        check(f, special(np.float64))


@pytest.mark.parametrize("dtype", ["complex64", "complex128"], ids=str)
@pytest.mark.parametrize("imag", [0.0, 1e-16, 1e-9, 1e-6, 1e-3], ids=str)
@pytest.mark.parametrize("tol", [100, 1e-5, 1, 1000], ids=str)
def test_real_if_close(dtype, imag, tol):
    x = (vals((3, 7)) + 1j * imag * (np.arange(21).reshape(3, 7) % 2)).astype(dtype)
    check(lambda xp, a: xp.real_if_close(a, tol=tol), x)
    check(lambda xp, a: xp.real_if_close(a[:0], tol=tol), x)


# --------------------------------------------------------------------------
# random inputs
# --------------------------------------------------------------------------


@given(st.data())
def test_random_delete_insert_append(data):
    shape = data.draw(shapes(min_dims=1, max_dims=2, max_side=7))
    dtype = data.draw(st.sampled_from(SOME_DTYPES))
    x = data.draw(arrays(dtype, shape, kind="small"))
    axis = data.draw(st.sampled_from([None, 0, -1]))
    n = x.size if axis is None else shape[axis]
    obj = data.draw(st.lists(st.integers(-n - 1, n + 1), max_size=5))
    check(lambda xp, a: xp.delete(a, obj, axis=axis), x)
    check(lambda xp, a: xp.insert(a, obj, 1, axis=axis), x)
    check(lambda xp, a: xp.append(a, a, axis=axis), x)
    check(lambda xp, a: xp.resize(a, (n + 3, 2)), x)
