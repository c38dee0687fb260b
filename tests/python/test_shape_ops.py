"""Shape and data movement (issue 6): expand_dims ... clip, against NumPy itself.

Every test compares with ``check`` (same dtype, shape and values, or the same
exception type); the view tests also write through the result and compare the
original, so that views stay views (``np.flip(a)[0] = 5`` changes ``a``) and
copies stay copies.
"""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import starp.numpy as snp  # noqa: F401 (the system under test, through ``check``)
from _helpers import (
    arrays,
    assert_same,
    check,
    dtypes,
    shapes,
    starp_only,
    to_numpy,
    to_starp,
)

SOME_DTYPES = [np.dtype(n) for n in ("bool", "int8", "uint16", "int64", "float32",
                                     "float64", "complex128")]


def arange(shape, dtype=np.float64):
    n = int(np.prod(shape))
    return (np.arange(n) % 11 - 3).astype(dtype).reshape(shape)


def write_through(fn, value=5, idx=0):
    """``fn(xp, a)`` is a view (or a copy) of ``a``: write into it, return both."""

    def f(xp, a):
        v = fn(xp, a)
        v[idx] = value
        return xp.concatenate([xp.ravel(a), xp.ravel(v)])

    return f


# --------------------------------------------------------------------------
# views: expand_dims, squeeze, swapaxes, moveaxis, broadcast_to, atleast_*d
# --------------------------------------------------------------------------


@pytest.mark.parametrize("shape", [(), (3,), (2, 3), (2, 0, 3)], ids=str)
@pytest.mark.parametrize("axis", [0, -1, 1, 2, (0, 2), (-1, -2), (0, 0), 4, -5], ids=str)
def test_expand_dims(shape, axis):
    check(lambda xp, a: xp.expand_dims(a, axis), arange(shape))


@pytest.mark.parametrize("shape", [(1, 3, 1), (1,), (), (2, 1, 0, 1), (3, 4)], ids=str)
@pytest.mark.parametrize("axis", [None, 0, -1, (0, 2), 1, 5, (0, 0), (0, -3)], ids=str)
def test_squeeze(shape, axis):
    check(lambda xp, a: xp.squeeze(a, axis), arange(shape))
    check(lambda xp, a: a.squeeze(axis), arange(shape))


@pytest.mark.parametrize("shape", [(2, 3, 4), (3,), (1, 5)], ids=str)
@pytest.mark.parametrize("axes", [(0, 1), (0, -1), (-1, -2), (1, 1), (0, 3), (-4, 0)], ids=str)
def test_swapaxes(shape, axes):
    check(lambda xp, a: xp.swapaxes(a, *axes), arange(shape))
    check(lambda xp, a: a.swapaxes(*axes), arange(shape))


@pytest.mark.parametrize(
    "src,dst",
    [(0, -1), (-1, 0), ([0, 1], [-1, -2]), ((0, 2), (2, 0)), (0, 3), ([0, 0], [1, 2]),
     ([0, 1], [1, 1]), ([0, 1], 2), ((), ())],
    ids=str,
)
def test_moveaxis(src, dst):
    check(lambda xp, a: xp.moveaxis(a, src, dst), arange((2, 3, 4)))


@pytest.mark.parametrize(
    "shape,to",
    [((3,), (2, 3)), ((3, 1), (2, 3, 4)), ((), (2, 2)), ((), ()), ((1,), (0,)), ((3,), (3,)),
     ((2, 1, 3), (4, 2, 5, 3)), ((3,), (4,)), ((2, 3), (3,)), ((3,), (-1, 3)), ((3,), ()),
     ((3, 1), (2, 4, 2)), ((0,), (2, 0)), ((3,), 3)],
    ids=str,
)
def test_broadcast_to(shape, to):
    check(lambda xp, a: xp.broadcast_to(a, to), arange(shape))


def test_broadcast_to_is_a_read_only_view():
    x = arange((3,))
    check(lambda xp, a: xp.broadcast_to(a, (2, 3)).__setitem__(0, 1), x)
    check(lambda xp, a: xp.broadcast_to(a, (2, 3))[1:].__setitem__(0, 1), x)

    def iadd(xp, a):
        b = xp.broadcast_to(a, (2, 3))
        b += 1

    check(iadd, x)

    def sees_writes(xp, a):
        b = xp.broadcast_to(a, (2, 3))
        a[1] = 40
        return b

    check(sees_writes, x)
    # A copy of it is writable again.
    check(write_through(lambda xp, a: xp.broadcast_to(a, (2, 3)).copy()), x)


@pytest.mark.parametrize("shape", [(), (3,), (2, 3), (2, 3, 4), (0,)], ids=str)
def test_atleast(shape):
    x = arange(shape)
    for f in ("atleast_1d", "atleast_2d", "atleast_3d"):
        check(lambda xp, a: getattr(xp, f)(a), x)
        check(lambda xp, a: getattr(xp, f)(a, a)[1], x)
    check(write_through(lambda xp, a: xp.atleast_3d(a), idx=(0,) * max(3, len(shape))), x)


def test_atleast_scalars_and_lists():
    check(lambda xp: xp.atleast_1d(1.5))
    check(lambda xp: xp.atleast_2d([1, 2]))
    check(lambda xp: xp.atleast_3d(7))


@given(data=st.data())
def test_views_write_through(data):
    shape = data.draw(shapes(min_dims=2, max_dims=3, min_side=1))
    x = arange(shape, data.draw(dtypes(SOME_DTYPES)))
    check(write_through(lambda xp, a: xp.swapaxes(a, 0, -1)), x)
    check(write_through(lambda xp, a: xp.moveaxis(a, 0, -1)), x)
    check(write_through(lambda xp, a: xp.expand_dims(a, 1), idx=(0, 0)), x)
    check(write_through(lambda xp, a: xp.squeeze(a[:1]), idx=...), x)
    check(write_through(lambda xp, a: xp.flip(a)), x)
    check(write_through(lambda xp, a: xp.flip(a, -1)[..., :1]), x)
    check(write_through(lambda xp, a: xp.fliplr(a)), x)
    check(write_through(lambda xp, a: xp.flipud(a)), x)
    check(write_through(lambda xp, a: xp.split(a, [1], axis=-1)[1], idx=...), x)


# --------------------------------------------------------------------------
# flip, split
# --------------------------------------------------------------------------


@pytest.mark.parametrize("shape", [(), (5,), (3, 4), (2, 0, 3), (2, 3, 4)], ids=str)
@pytest.mark.parametrize("axis", [None, 0, -1, (0, -1), 1, (0, 0), 3], ids=str)
def test_flip(shape, axis):
    check(lambda xp, a: xp.flip(a, axis), arange(shape))


@pytest.mark.parametrize("shape", [(), (5,), (3, 4), (2, 3, 4)], ids=str)
def test_fliplr_flipud(shape):
    check(lambda xp, a: xp.fliplr(a), arange(shape))
    check(lambda xp, a: xp.flipud(a), arange(shape))


@pytest.mark.parametrize(
    "sections",
    [1, 2, 3, 4, 5, 0, -1, [], [2], [1, 3], [3, 1, 10], [-2], [-10, 2], np.array([2, 4]), 2.0],
    ids=str,
)
@pytest.mark.parametrize("axis", [0, -1, 1, 2, -3], ids=str)
def test_split(sections, axis):
    x = arange((6, 4))
    for name in ("split", "array_split"):
        r = check(lambda xp, a: len(getattr(xp, name)(a, sections, axis)), x)
        if r is None:
            continue
        for i in range(r[1]):
            check(lambda xp, a: getattr(xp, name)(a, sections, axis)[i], x)


def test_split_edge_cases():
    check(lambda xp, a: xp.array_split(a, 4)[3], np.arange(7.0))
    check(lambda xp, a: xp.array_split(a, 10)[9], np.arange(7.0))
    check(lambda xp, a: xp.split(a, 1), np.float64(3.0))
    check(lambda xp, a: xp.split(a, 2, axis=1)[1], np.zeros((0, 4)))


# --------------------------------------------------------------------------
# concatenate and the stacks
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "shapes_,axis",
    [([(2, 3), (4, 3)], 0), ([(2, 3), (2, 1), (2, 0)], 1), ([(2, 3), (2, 5)], -1),
     ([(3,), (0,), (4,)], 0), ([(2, 3), (2, 3)], -2), ([(1, 2, 3), (1, 2, 4)], 2),
     ([(2, 3)], 0), ([(2, 3), (3,)], None), ([(), (2, 2)], None),
     ([(2, 3), (2, 4)], 0), ([(2, 3), (3,)], 0), ([(), ()], 0), ([(2, 3), (2, 3)], 2),
     ([(2, 3), (2, 3)], -3)],
    ids=str,
)
def test_concatenate_shapes(shapes_, axis):
    xs = [arange(s) + i for i, s in enumerate(shapes_)]
    check(lambda xp, *a: xp.concatenate(a, axis=axis), *xs)
    check(lambda xp, *a: xp.concatenate(list(a), axis), *xs)


def test_concatenate_errors():
    check(lambda xp: xp.concatenate([]))
    check(lambda xp, a: xp.concatenate([a, a], casting="foo"), arange((2,)))
    check(lambda xp, a, b: xp.concatenate([a, b], casting="no"), arange((2,), np.int8), arange((2,), np.int16))


@pytest.mark.parametrize("d1", SOME_DTYPES, ids=str)
@pytest.mark.parametrize("d2", SOME_DTYPES, ids=str)
def test_concatenate_promotes(d1, d2):
    check(lambda xp, a, b: xp.concatenate((a, b)), arange((3, 2), d1), arange((1, 2), d2))


@pytest.mark.parametrize("dtype", ["int8", "float32", "complex64", "bool"])
@pytest.mark.parametrize("casting", ["same_kind", "unsafe", "safe", "equiv"])
def test_concatenate_dtype(dtype, casting):
    xs = [arange((2, 2), np.int16), arange((1, 2), np.float64)]
    check(lambda xp, a, b: xp.concatenate([a, b], dtype=dtype, casting=casting), *xs)
    check(lambda xp, a, b: xp.concatenate([a, b], axis=None, dtype=dtype, casting=casting), *xs)


@given(data=st.data())
def test_concatenate_random(data):
    base = data.draw(shapes(min_dims=1, max_dims=3))
    axis = data.draw(st.integers(-len(base), len(base) - 1))
    n = data.draw(st.integers(1, 4))
    xs = []
    for _ in range(n):
        s = list(base)
        s[axis] = data.draw(st.integers(0, 5))
        xs.append(data.draw(arrays(data.draw(dtypes(SOME_DTYPES)), tuple(s))))
    check(lambda xp, *a: xp.concatenate(a, axis=axis), *xs)
    # Inputs that are views (transposed, reversed) of other arrays.
    check(lambda xp, *a: xp.concatenate([v[::-1] for v in a], axis=axis), *xs)


def test_concatenate_is_a_copy():
    check(write_through(lambda xp, a: xp.concatenate([a, a])), arange((3,)))

    def later(xp, a):
        c = xp.concatenate([a, a])
        a[0] = 100
        return c

    check(later, arange((3,)))


@pytest.mark.parametrize("shape", [(), (3,), (2, 3), (0, 2)], ids=str)
def test_stacks(shape):
    a, b = arange(shape), arange(shape, np.int32) + 1
    for f in ("vstack", "hstack", "dstack", "column_stack"):
        check(lambda xp, x, y: getattr(xp, f)((x, y)), a, b)
        check(lambda xp, x: getattr(xp, f)([x]), a)
    for axis in range(-len(shape) - 2, len(shape) + 2):
        check(lambda xp, x, y: xp.stack([x, y], axis=axis), a, b)


def test_stack_family_errors_and_dtypes():
    check(lambda xp: xp.stack([]))
    check(lambda xp: xp.hstack([]))
    check(lambda xp: xp.vstack(()))
    check(lambda xp, a, b: xp.stack([a, b]), arange((2, 3)), arange((3, 2)))
    check(lambda xp, a, b: xp.vstack([a, b]), arange((2, 3)), arange((2,)))
    check(lambda xp, a, b: xp.column_stack([a, b]), arange((2, 3, 1)), arange((2,)))
    check(lambda xp, a, b: xp.stack([a, b], dtype=np.float32), arange((2,), np.int64), arange((2,)))
    check(lambda xp, a, b: xp.vstack([a, b], dtype=np.int8), arange((2,)), arange((2,)))
    check(lambda xp, a, b: xp.hstack([a, b], dtype=np.int8, casting="unsafe"), arange((2,)), arange((2,)))
    check(lambda xp: xp.column_stack([1, [2]]))
    check(lambda xp: xp.dstack([1, 2]))
    check(lambda xp: xp.vstack([[1], [2.0]]))
    check(lambda xp: xp.hstack([np.float64(1), np.zeros(2)]))


# --------------------------------------------------------------------------
# tile, repeat, roll
# --------------------------------------------------------------------------


@pytest.mark.parametrize("shape", [(), (3,), (2, 3), (0, 2)], ids=str)
@pytest.mark.parametrize("reps", [1, 2, 0, (2, 1), (1, 2), (2, 2, 2), (), (3, 1, 2, 1), -1, (2, -1)], ids=str)
def test_tile(shape, reps):
    check(lambda xp, a: xp.tile(a, reps), arange(shape))


def test_tile_is_a_copy():
    check(write_through(lambda xp, a: xp.tile(a, 1)), arange((3,)))
    check(write_through(lambda xp, a: xp.tile(a, (2, 1))), arange((3,)))


@pytest.mark.parametrize("shape", [(), (3,), (2, 3), (0, 2), (3, 0)], ids=str)
@pytest.mark.parametrize("axis", [None, 0, -1, 1, 2], ids=str)
@pytest.mark.parametrize("repeats", [0, 1, 2, [1], [2], "per", "per0", -1, [-1], "neg", [1, 2, 3, 4, 5], [[2]]], ids=str)
def test_repeat(shape, axis, repeats):
    x = arange(shape, np.int16)
    n = x.size if axis is None else (x.shape[axis] if -x.ndim <= axis < x.ndim else 1)
    if repeats == "per":
        repeats = [(i % 3) + 1 for i in range(n)]
    elif repeats == "per0":
        repeats = [(i % 3) for i in range(n)]
    elif repeats == "neg":
        repeats = [-1] * max(n, 2)
    check(lambda xp, a: xp.repeat(a, repeats, axis), x)
    check(lambda xp, a: a.repeat(repeats, axis=axis), x)


def test_repeat_arguments():
    x = arange((3, 2))
    check(lambda xp, a: xp.repeat(a, 1.5), x)
    check(lambda xp, a: xp.repeat(a, [2.7, 1, 0], axis=0), x)
    check(lambda xp, a: xp.repeat(a, np.array(1.5)), x)
    check(lambda xp, a: xp.repeat(a, np.array([1.0, 2.0]), axis=1), x)
    check(lambda xp, a: xp.repeat(a, np.array([1, 0, 2]), axis=0), x)
    check(lambda xp, a: xp.repeat(a, [True, False], axis=1), x)
    check(lambda xp, a: xp.repeat(a, np.uint8(2), axis=-1), x)
    check(lambda xp: xp.repeat(3, 4))
    check(write_through(lambda xp, a: xp.repeat(a, 2)), x)


@pytest.mark.parametrize("shape", [(), (7,), (3, 4), (2, 0, 3), (2, 3, 4)], ids=str)
@pytest.mark.parametrize(
    "shift,axis",
    [(1, None), (-2, None), (10, None), ((1, 2), None), (1, 0), (-1, -1), (3, (0, -1)),
     ((1, -2), (0, 1)), ((1, 1), (0, 0)), (1, ()), ((1, 2, 3), (0, 1)), ([[1, 2]], (0, 1)),
     (5, 3), (0, 0), (2, (1, 1)), (1.7, 0), (np.array([1, -1]), (0, -1))],
    ids=str,
)
def test_roll(shape, shift, axis):
    check(lambda xp, a: xp.roll(a, shift, axis), arange(shape, np.int32))


# --------------------------------------------------------------------------
# diff, pad
# --------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", ["bool", "int8", "uint8", "int64", "float32", "complex128"])
@pytest.mark.parametrize("n", [0, 1, 2, 5, -1])
@pytest.mark.parametrize("axis", [-1, 0, 1, 2])
def test_diff(dtype, n, axis):
    x = (np.arange(12) ** 2 % 7).astype(dtype).reshape(3, 4)
    check(lambda xp, a: xp.diff(a, n, axis), x)


def test_diff_prepend_append():
    x = arange((3, 4))
    check(lambda xp, a: xp.diff(a, prepend=0), x)
    check(lambda xp, a: xp.diff(a, append=7.5, axis=0), x)
    check(lambda xp, a, p: xp.diff(a, axis=0, prepend=p, append=p), x, arange((1, 4)))
    check(lambda xp, a, p: xp.diff(a, n=2, prepend=p), x, arange((3, 2), np.int8))
    check(lambda xp, a, p: xp.diff(a, prepend=p), x, arange((3,)))
    check(lambda xp, a: xp.diff(a, prepend=5), np.array([1, 2], np.uint8))
    check(lambda xp, a: xp.diff(a), np.float64(3))
    check(lambda xp, a: xp.diff(a), np.zeros(0))


@pytest.mark.parametrize("shape", [(), (3,), (2, 3), (2, 0), (2, 3, 2)], ids=str)
@pytest.mark.parametrize(
    "width",
    [0, 1, (1, 2), ((1, 2),), ((1, 0), (0, 2)), [[1], [2]], ((0, 1), (2, 0), (1, 1)), -1, (1, -1),
     ((1, 2, 3),), []],
    ids=str,
)
@pytest.mark.parametrize("mode", ["constant", "edge"])
def test_pad(shape, width, mode):
    x = arange(shape, np.int16)
    check(lambda xp, a: xp.pad(a, width, mode=mode), x)


@pytest.mark.parametrize(
    "values",
    [0, 7, -1.5, (1, 2), ((1, 2),), ((1, 2), (3, 4)), [[5], [6]], 300, np.nan, np.inf,
     ((1, 2), (3, 4), (5, 6)), []],
    ids=str,
)
@pytest.mark.parametrize("dtype", ["int8", "float32", "complex64", "bool"])
def test_pad_constant_values(values, dtype):
    x = arange((2, 3), dtype)
    check(lambda xp, a: xp.pad(a, ((1, 2), (2, 1)), constant_values=values), x)


def test_pad_arguments():
    x = arange((2, 3))
    check(lambda xp, a: xp.pad(a, 1.5), x)
    check(lambda xp, a: xp.pad(a, np.uint8(1)), x)
    check(lambda xp, a: xp.pad(a, 1, mode="foo"), x)
    check(lambda xp, a: xp.pad(a, 1, mode="edge", constant_values=3), x)
    check(lambda xp, a: xp.pad(a, 1, mode="constant", end_values=3), x)
    check(lambda xp, a: xp.pad(a, 1, mode="edge"), np.zeros((0, 3)))
    check(lambda xp, a: xp.pad(a, ((0, 0), (1, 1)), mode="edge"), np.zeros((0, 3)))
    check(lambda xp, a: xp.pad(a[::-1, ::2], ((2, 1), (1, 3)), mode="edge"), arange((4, 5)))
    check(lambda xp, a: xp.pad(a.T, 2, constant_values=((1, 2), (3, 4))), arange((4, 5)))
    check(lambda xp, a: xp.pad(a, 2, "empty").shape, x)
    check(write_through(lambda xp, a: xp.pad(a, 0)), x)


@given(data=st.data())
def test_pad_random(data):
    shape = data.draw(shapes(max_dims=3, max_side=5))
    x = data.draw(arrays(data.draw(dtypes(SOME_DTYPES)), shape))
    width = [(data.draw(st.integers(0, 3)), data.draw(st.integers(0, 3))) for _ in shape]
    mode = data.draw(st.sampled_from(["constant", "edge"]))
    check(lambda xp, a: xp.pad(a, width, mode=mode), x)


# --------------------------------------------------------------------------
# tril/triu, diag, diagonal, trace
# --------------------------------------------------------------------------


@pytest.mark.parametrize("shape", [(3, 4), (4, 3), (5,), (2, 3, 4), (0, 3), (1, 1), ()], ids=str)
@pytest.mark.parametrize("k", [0, 1, -1, 2, -3, 10, -10])
@pytest.mark.parametrize("dtype", ["bool", "int8", "uint32", "float32", "complex128"])
def test_tril_triu(shape, k, dtype):
    x = arange(shape, dtype)
    check(lambda xp, a: xp.tril(a, k), x)
    check(lambda xp, a: xp.triu(a, k=k), x)


def test_tril_is_a_copy():
    check(write_through(lambda xp, a: xp.tril(a)), arange((3, 3)))
    check(lambda xp, a: xp.triu(a[::-1, 1:]), arange((4, 4)))


@pytest.mark.parametrize("shape", [(3,), (0,), (1,), (3, 3), (2, 4), (4, 2), (), (2, 2, 2)], ids=str)
@pytest.mark.parametrize("k", [0, 1, -1, 2, -5])
def test_diag(shape, k):
    check(lambda xp, a: xp.diag(a, k), arange(shape, np.int32))


@pytest.mark.parametrize("shape", [(3, 3), (2, 4), (4, 2), (2, 3, 4), (0, 3), (3,)], ids=str)
@pytest.mark.parametrize("offset", [0, 1, -1, 3, -4])
@pytest.mark.parametrize("axes", [(0, 1), (1, 0), (-1, 0), (0, 2), (1, 1), (0, -3)], ids=str)
def test_diagonal_and_trace(shape, offset, axes):
    x = arange(shape, np.int8)
    check(lambda xp, a: xp.diagonal(a, offset, *axes), x)
    check(lambda xp, a: a.diagonal(offset, *axes), x)
    check(lambda xp, a: xp.trace(a, offset, *axes), x)
    check(lambda xp, a: a.trace(offset, *axes, dtype=np.float32), x)
    check(lambda xp, a: xp.trace(a, offset, *axes, dtype=np.int8), x)


def test_diagonal_is_a_read_only_view():
    x = arange((3, 4))
    check(lambda xp, a: xp.diagonal(a).__setitem__(0, 1), x)
    check(lambda xp, a: xp.diag(a)[1:].__setitem__(0, 1), x)

    def sees_writes(xp, a):
        d = xp.diagonal(a, 1)
        a[1, 2] = 99
        return d

    check(sees_writes, x)
    check(lambda xp, a: xp.diagonal(a[::-1, ::2]), arange((5, 6)))
    check(lambda xp, a: xp.diagonal(a.T, -1), arange((5, 6)))


@pytest.mark.parametrize("dtype", ["bool", "int8", "uint16", "float32", "complex64"])
def test_trace_dtypes(dtype):
    check(lambda xp, a: xp.trace(a), arange((4, 4), dtype))
    check(lambda xp, a: xp.trace(a, 1, 1, 2), arange((2, 3, 3), dtype))


# --------------------------------------------------------------------------
# meshgrid, outer, copy, fill_diagonal
# --------------------------------------------------------------------------


@pytest.mark.parametrize("n", [0, 1, 2, 3])
@pytest.mark.parametrize("indexing", ["xy", "ij"])
@pytest.mark.parametrize("sparse", [False, True])
@pytest.mark.parametrize("copy", [True, False])
def test_meshgrid(n, indexing, sparse, copy):
    xs = [arange((k + 2,), [np.float64, np.int32, np.int8][k]) for k in range(n)]
    r = check(lambda xp, *a: len(xp.meshgrid(*a, indexing=indexing, sparse=sparse, copy=copy)), *xs)
    for i in range(r[1]):
        check(lambda xp, *a: xp.meshgrid(*a, indexing=indexing, sparse=sparse, copy=copy)[i], *xs)


def test_meshgrid_arguments():
    check(lambda xp, a: xp.meshgrid(a, a, indexing="foo"), arange((2,)))
    check(lambda xp, a, b: xp.meshgrid(a, b)[1], arange((2, 2)), arange((0,)))
    check(lambda xp: xp.meshgrid([1, 2], 3.5)[0])
    # The copies are writable and independent.
    check(write_through(lambda xp, a: xp.meshgrid(a, a)[0], idx=(0, 0)), arange((3,)))


@pytest.mark.parametrize("sa", [(), (3,), (2, 2), (0,)], ids=str)
@pytest.mark.parametrize("sb", [(), (4,), (1, 3)], ids=str)
@pytest.mark.parametrize("dtypes_", [("int8", "int8"), ("bool", "bool"), ("float32", "int64"), ("uint8", "complex64")], ids=str)
def test_outer(sa, sb, dtypes_):
    check(lambda xp, a, b: xp.outer(a, b), arange(sa, dtypes_[0]), arange(sb, dtypes_[1]))


def test_outer_scalars():
    check(lambda xp: xp.outer(1, 2.0))
    check(lambda xp, a: xp.outer(a.T, [1, 2]), arange((2, 3)))


@pytest.mark.parametrize("shape", [(), (3,), (2, 3)], ids=str)
def test_copy(shape):
    x = arange(shape)
    check(lambda xp, a: xp.copy(a), x)
    if shape:
        check(write_through(lambda xp, a: xp.copy(a)), x)
        check(write_through(lambda xp, a: xp.copy(a[::-1])), x)


@pytest.mark.parametrize("shape", [(3, 3), (2, 4), (5, 3), (7, 2), (9, 1), (3, 3, 3), (2, 3, 2), (3,), (0, 3), (4, 1)], ids=str)
@pytest.mark.parametrize("val", [5, 2.7, [1, 2], [[9, 8], [7, 6]], [], np.nan], ids=str)
@pytest.mark.parametrize("wrap", [False, True])
@pytest.mark.parametrize("view", ["none", "T", "rev"])
def test_fill_diagonal(shape, val, wrap, view):
    x = arange(shape, np.int32 if val != 2.7 else np.int16)
    if val is np.nan or val == [1, 2]:
        x = x.astype(np.float64)

    def f(xp, a):
        v = a
        if view == "T":
            v = a.T
        elif view == "rev" and a.ndim:
            v = a[::-1]
        xp.fill_diagonal(v, val, wrap=wrap)
        return a

    check(f, x)


def test_fill_diagonal_read_only():
    check(lambda xp, a: xp.fill_diagonal(xp.broadcast_to(a, (3, 3)), 1), arange((3,)))


# --------------------------------------------------------------------------
# NaN-aware reductions, isnan/isinf/isfinite
# --------------------------------------------------------------------------


def with_nans(shape, dtype):
    x = arange(shape, dtype)
    if np.dtype(dtype).kind in "fc" and x.size:
        flat = x.reshape(-1)
        flat[::3] = np.nan
        if x.ndim == 2 and x.shape[0] > 1:
            x[1, :] = np.nan  # an all-NaN row
    return x


@pytest.mark.parametrize("shape", [(), (5,), (3, 4), (2, 3, 2), (0,), (0, 3)], ids=str)
@pytest.mark.parametrize("dtype", ["bool", "int8", "uint32", "float32", "float64", "complex128"])
@pytest.mark.parametrize("axis", [None, 0, -1, (0, 1), 3])
@pytest.mark.parametrize("keepdims", [False, True])
def test_nan_reductions(shape, dtype, axis, keepdims):
    x = with_nans(shape, dtype)
    kw = {} if not keepdims else {"keepdims": True}
    for name in ("nansum", "nanprod", "nanmean", "nanmax", "nanmin"):
        check(lambda xp, a: getattr(xp, name)(a, axis=axis, **kw), x)


def test_nan_reductions_dtypes():
    x = with_nans((3, 4), np.float32)
    check(lambda xp, a: xp.nansum(a, dtype=np.float64), x)
    check(lambda xp, a: xp.nanmean(a, axis=0, dtype=np.float64), x)
    check(lambda xp, a: xp.nanmean(a, dtype=np.int64), x)
    check(lambda xp, a: xp.nansum(a, dtype=np.int8), arange((3, 4), np.int8) * 20)
    check(lambda xp, a: xp.nanprod(a, axis=1, dtype=np.int16), arange((3, 4), np.int8))
    check(lambda xp, a: xp.nanmean(a, dtype=np.float32), arange((3, 4), np.int8))
    check(lambda xp, a: xp.nanmax(a), np.array([np.nan, -np.inf]))
    check(lambda xp, a: xp.nanmin(a, axis=1), np.array([[np.nan, np.inf], [1.0, np.nan]]))
    check(lambda xp: xp.nansum([1.0, np.nan, 2.0]))


@pytest.mark.parametrize("dtype", ["bool", "int8", "uint64", "float32", "float64", "complex64", "complex128"])
def test_classification(dtype):
    if np.dtype(dtype).kind == "f":
        x = np.array([0.0, -1.5, np.nan, np.inf, -np.inf, 3.0, -0.0], dtype)
    elif np.dtype(dtype).kind == "c":
        vals = [0, 1 + 2j, complex(np.nan, 1), complex(1, np.nan), complex(np.inf, 0),
                complex(0, -np.inf), complex(np.inf, np.nan), complex(np.nan, np.inf)]
        x = np.array(vals, dtype)
    else:
        x = arange((7,), dtype)
    for f in ("isnan", "isinf", "isfinite"):
        check(lambda xp, a: getattr(xp, f)(a), x)
        check(lambda xp, a: getattr(xp, f)(a.reshape(-1, 1)[::-1]), x)
        check(lambda xp, a: getattr(xp, f)(a[0]), x)


def test_classification_scalars():
    for f in ("isnan", "isinf", "isfinite"):
        check(lambda xp: getattr(xp, f)(1))
        check(lambda xp: getattr(xp, f)(float("inf")))
        check(lambda xp: getattr(xp, f)([1.0, float("nan")]))
        check(lambda xp, a: getattr(xp, f)(a), np.zeros((0, 3)))


# --------------------------------------------------------------------------
# clip
# --------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", ["bool", "int8", "uint8", "int64", "float32", "float64"])
@pytest.mark.parametrize(
    "lo,hi",
    [(0, 5), (-1, 2), (None, 3), (2, None), (None, None), (1.5, 2), (-1000, 300), (300, None),
     (None, -300), (5, 1), (np.int16(0), 2), (np.float32(-1), np.float32(1)), ("arr", 4),
     (0, "arr"), (np.nan, 1.0), (-(2**70), None)],
    ids=str,
)
def test_clip(dtype, lo, hi):
    x = arange((3, 4), dtype)
    bound = arange((4,), np.int64) - 1
    args = [x]
    lo_ = hi_ = None

    if isinstance(lo, str):
        args.append(bound)
        lo_ = "arr"
    if isinstance(hi, str):
        args.append(bound)
        hi_ = "arr"

    def f(xp, a, *b):
        l = b[0] if lo_ else lo
        h = b[-1] if hi_ else hi
        return xp.clip(a, l, h)

    check(f, *args)
    if not lo_ and not hi_:
        check(lambda xp, a: a.clip(lo, hi), x)


def test_clip_arguments():
    x = np.array([1.0, np.nan, -3.0, 10.0])
    check(lambda xp, a: xp.clip(a, 0, 5), x)
    check(lambda xp, a: xp.clip(a, min=0), x)
    check(lambda xp, a: xp.clip(a, max=0), x)
    check(lambda xp, a: xp.clip(a), x)
    check(lambda xp, a: xp.clip(a, 0), x)
    check(lambda xp, a: xp.clip(a, 0, 1, min=2), x)
    check(lambda xp, a: xp.clip(a.reshape(2, 2).T, -1, 1), x)
    check(lambda xp: xp.clip(3, 0, 1))
    check(write_through(lambda xp, a: xp.clip(a, 0, 5)), x)


# --------------------------------------------------------------------------
# starp specifics: views share the base, lazy nodes see the version they read
# --------------------------------------------------------------------------


@starp_only
def test_views_share_the_base():
    a = to_starp(arange((3, 4)))
    e = arange((3, 4))
    for fn in (lambda xp, v: xp.squeeze(v[None]), lambda xp, v: xp.swapaxes(v, 0, 1),
               lambda xp, v: xp.flip(v), lambda xp, v: xp.expand_dims(v, 0)[0]):
        fn(snp, a)[1, 1] = 42
        fn(np, e)[1, 1] = 42
    assert_same(a, e)
    b = snp.broadcast_to(a[0], (5, 4))
    before = snp.sum(b)  # built before the write: reads the old version
    expected_before = np.sum(np.broadcast_to(e[0], (5, 4)))
    a[0, 0] = -7
    e[0, 0] = -7
    assert to_numpy(before) == expected_before
    assert_same(b, np.broadcast_to(e[0], (5, 4)))
