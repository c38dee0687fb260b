"""Basic indexing, transpose/reshape/ravel, __setitem__, in-place operators
and NumPy's view semantics (including lazy nodes built before a write)."""

import operator

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import starp.numpy as snp
from _helpers import (
    SPECIAL_SHAPES,
    arrays,
    assert_same,
    check,
    dtypes,
    is_starp,
    quiet,
    shapes,
    to_numpy,
    to_starp,
)

VIEW_DTYPES = [np.dtype(n) for n in ("bool", "int8", "int64", "uint16", "float32",
                                     "float64", "complex128")]


def value_shape_for(data, target_shape):
    """A shape that broadcasts *into* ``target_shape`` (drop leading dims,
    turn some dims into 1)."""
    drop = data.draw(st.integers(0, len(target_shape)))
    shp = list(target_shape[drop:])
    for i in range(len(shp)):
        if data.draw(st.booleans()):
            shp[i] = 1
    return tuple(shp)


def draw_value(data, dtype, target_shape):
    """A Python scalar, or a (numpy) array broadcastable into target_shape."""
    if data.draw(st.booleans()):
        v = data.draw(hnp.from_dtype(dtype) if dtype.kind not in "fc"
                      else st.floats(-100, 100, width=32))
        if dtype.kind == "b":
            return bool(v)
        if dtype.kind in "iu":
            return int(v)
        return float(v)
    return data.draw(arrays(dtype, value_shape_for(data, target_shape)))


def as_rhs(v):
    return to_starp(v) if isinstance(v, np.ndarray) else v


# --------------------------------------------------------------------------
# getitem
# --------------------------------------------------------------------------


@given(data=st.data())
def test_getitem_basic(data):
    d = data.draw(dtypes(VIEW_DTYPES))
    shape = data.draw(shapes(max_dims=4))
    x = data.draw(arrays(d, shape))
    idx = data.draw(hnp.basic_indices(shape, allow_newaxis=True, allow_ellipsis=True))
    r = check(lambda xp, a: a[idx], x, rtol=0)
    assert r is not None
    if isinstance(r[1], np.ndarray):
        assert is_starp(r[0])
        assert r[0].shape == r[1].shape


@given(data=st.data())
def test_getitem_chained(data):
    shape = data.draw(shapes(min_dims=1, max_dims=3))
    x = np.arange(int(np.prod(shape)), dtype=np.int32).reshape(shape)
    i1 = data.draw(hnp.basic_indices(shape, allow_newaxis=True))
    v = x[i1]
    if not isinstance(v, np.ndarray):
        return
    i2 = data.draw(hnp.basic_indices(v.shape, allow_newaxis=True))
    check(lambda xp, a: a[i1][i2], x)
    check(lambda xp, a: (a[i1] * 2)[i2], x)


@pytest.mark.parametrize(
    "idx",
    [0, -1, 2, -7, (1, 2), (-1, -1), slice(None), slice(None, None, -1), slice(5, 1, -2),
     slice(-3, None), (slice(None), 0), (slice(None), -1), (Ellipsis, 1), (None, 0),
     (0, None, slice(None, None, -3)), (Ellipsis, None), (slice(1, 6, 2), slice(None, 3)),
     (slice(100, 200),), (slice(-100, 100, 3), Ellipsis), (0, 0, Ellipsis), ()],
    ids=repr,
)
def test_getitem_examples(idx):
    x = np.arange(7 * 13, dtype=np.float64).reshape(7, 13)
    check(lambda xp, a: a[idx], x)


# --------------------------------------------------------------------------
# transpose / reshape / ravel
# --------------------------------------------------------------------------


@given(data=st.data())
def test_transpose(data):
    shape = data.draw(shapes(max_dims=4))
    x = data.draw(arrays(data.draw(dtypes(VIEW_DTYPES)), shape))
    perm = tuple(data.draw(st.permutations(range(len(shape)))))
    check(lambda xp, a: a.T, x, rtol=0)
    check(lambda xp, a: a.transpose(), x, rtol=0)
    check(lambda xp, a: a.transpose(perm), x, rtol=0)
    check(lambda xp, a: xp.transpose(a, perm), x, rtol=0)
    check(lambda xp, a: xp.transpose(a), x, rtol=0)
    if len(shape):
        neg = tuple(p - len(shape) for p in perm)
        check(lambda xp, a: a.transpose(neg), x, rtol=0)


def _reshape_targets(size):
    out = [(size,), (-1,), (1, size), (size, 1), (1, -1, 1)]
    if size:
        for d in range(2, size + 1):
            if size % d == 0:
                out += [(d, size // d), (-1, d), (d, -1)]
    else:
        out += [(0, 5), (3, 0, 2), (0,)]
    return out


@given(data=st.data())
def test_reshape_and_ravel(data):
    shape = data.draw(shapes(max_dims=3))
    x = data.draw(arrays(data.draw(dtypes(VIEW_DTYPES)), shape))
    pre = data.draw(st.sampled_from(["none", "T", "rev", "step"]))

    def prep(a):
        if pre == "T":
            return a.T
        if pre == "rev" and a.ndim:
            return a[::-1]
        if pre == "step" and a.ndim:
            return a[..., ::2]
        return a

    target = data.draw(st.sampled_from(_reshape_targets(prep(x).size)))
    check(lambda xp, a: prep(a).reshape(target), x, rtol=0)
    check(lambda xp, a: xp.reshape(prep(a), target), x, rtol=0)
    if len(target) > 1:
        check(lambda xp, a: prep(a).reshape(*target), x, rtol=0)
    check(lambda xp, a: prep(a).ravel(), x, rtol=0)
    check(lambda xp, a: xp.ravel(prep(a)), x, rtol=0)


def test_reshape_examples():
    x = np.arange(24)
    check(lambda xp, a: a.reshape(2, 3, 4), x)
    check(lambda xp, a: a.reshape((4, -1)), x)
    check(lambda xp, a: a.reshape(2, 3, 4).transpose((2, 0, 1)).reshape(-1, 6), x)
    check(lambda xp, a: a.reshape(6, 4).T.ravel(), x)
    check(lambda xp, a: a.reshape(6, 4)[::-2, 1:].ravel(), x)
    check(lambda xp, a: xp.array(5).reshape(1, 1), np.array(0))
    check(lambda xp, a: a[0].reshape(()), np.arange(3))


# --------------------------------------------------------------------------
# setitem
# --------------------------------------------------------------------------


@given(data=st.data())
def test_setitem_basic(data):
    d = data.draw(dtypes(VIEW_DTYPES))
    shape = data.draw(shapes(max_dims=3))
    x = data.draw(arrays(d, shape))
    idx = data.draw(hnp.basic_indices(shape, allow_newaxis=True, allow_ellipsis=True))
    target_shape = np.shape(x[idx])
    v = draw_value(data, d, target_shape)
    e = x.copy()
    a = to_starp(x)
    with quiet():
        e[idx] = v
        a[idx] = as_rhs(v)
    assert_same(a, e, rtol=0)


@given(data=st.data())
def test_setitem_with_cast(data):
    """Values of another dtype are cast to the array's dtype (as NumPy)."""
    d = data.draw(dtypes([np.dtype(n) for n in ("int16", "int64", "float32", "float64",
                                                 "complex64")]))
    shape = data.draw(shapes(min_dims=1, max_dims=2))
    x = data.draw(arrays(d, shape, kind="small", lo=-50, hi=50))
    idx = data.draw(hnp.basic_indices(shape))
    vd = data.draw(dtypes([np.dtype(n) for n in ("bool", "int8", "int32", "float32",
                                                  "float64")]))
    v = data.draw(arrays(vd, value_shape_for(data, np.shape(x[idx])), kind="small",
                         lo=-50, hi=50))
    e = x.copy()
    a = to_starp(x)
    with quiet():
        e[idx] = v
        a[idx] = to_starp(v)
    assert_same(a, e)


def test_setitem_examples():
    e = np.zeros((4, 5), dtype=np.float64)
    a = to_starp(e)
    ops = [
        ((0, 0), 1.5), (1, 2.0), (-1, np.arange(5.0)), ((slice(None), 1), 7),
        ((slice(None, None, -1), slice(1, 4)), np.array([[1.0, 2.0, 3.0]])),
        ((Ellipsis, -1), np.array([9.0, 8.0, 7.0, 6.0])), ((None, 2, slice(None, None, 2)), -1),
        ((slice(1, 3),), np.array([[5.0], [6.0]])), ((), 0.25), (Ellipsis, 3),
        ((2, slice(None)), np.array(4.5)),
    ]
    for idx, v in ops:
        e[idx] = v
        a[idx] = as_rhs(v)
        assert_same(a, e)


def test_setitem_int_array_casts_float_value():
    e = np.arange(6, dtype=np.int32)
    a = to_starp(e)
    e[1] = 2.7
    a[1] = 2.7
    e[2:4] = np.array([-1.9, 3.99])
    a[2:4] = snp.array(np.array([-1.9, 3.99]))
    e[4] = True
    a[4] = True
    assert_same(a, e)


def test_setitem_with_numpy_array_value():
    e = np.zeros((3, 4))
    a = to_starp(e)
    v = np.arange(4.0)
    e[1] = v
    a[1] = v
    v[0] = 100.0  # the value was taken at assignment time
    assert_same(a, e)


def test_setitem_with_starp_expression_value():
    x = np.arange(12.0).reshape(3, 4)
    e = x.copy()
    a = to_starp(x)
    b = a * 2
    e[0] = (x * 2)[2]
    a[0] = b[2]
    e[1:, ::2] = e[:2, 1::2] + 100
    a[1:, ::2] = a[:2, 1::2] + 100
    assert_same(a, e)
    assert_same(b, x * 2)


def test_setitem_overlapping_self():
    """NumPy semantics: the RHS is read fully before the write."""
    for shift in (slice(1, None), slice(None, -1)):
        e = np.arange(10)
        a = to_starp(e)
        other = slice(None, -1) if shift.start else slice(1, None)
        e[shift] = e[other]
        a[shift] = a[other]
        assert_same(a, e)
    e = np.arange(16).reshape(4, 4)
    a = to_starp(e)
    e[...] = e.T
    a[...] = a.T
    assert_same(a, e)
    e = np.arange(10)
    a = to_starp(e)
    e[::-1] = e
    a[::-1] = a
    assert_same(a, e)


# --------------------------------------------------------------------------
# view semantics
# --------------------------------------------------------------------------


def test_view_row_sees_later_write():
    e = np.arange(12).reshape(3, 4)
    a = to_starp(e)
    b, eb = a[0], e[0]
    a[0, 0] = 5
    e[0, 0] = 5
    assert_same(b, eb)
    assert int(to_numpy(b)[0]) == 5


def test_write_through_column_view():
    e = np.arange(12).reshape(3, 4)
    a = to_starp(e)
    b, eb = a[:, 1], e[:, 1]
    b[:] = 7
    eb[:] = 7
    assert_same(a, e)
    assert (to_numpy(a)[:, 1] == 7).all()


def test_transpose_view_sees_later_write():
    e = np.arange(12).reshape(3, 4)
    a = to_starp(e)
    c, ec = a.T, e.T
    a[1, 2] = 9
    e[1, 2] = 9
    assert_same(c, ec)
    assert int(to_numpy(c)[2, 1]) == 9
    c[0, 1] = -3  # and writes through .T reach a
    ec[0, 1] = -3
    assert_same(a, e)


def test_node_before_write_keeps_old_value():
    e = np.arange(12).reshape(3, 4)
    a = to_starp(e)
    d = a + 0
    s = a.sum()
    m = a * a
    a[0] = 1
    assert_same(d, e)
    assert_same(s, e.sum())
    assert_same(m, e * e)
    assert_same(a, np.where(np.arange(3)[:, None] == 0, 1, e))


def test_scalar_from_integer_index_is_a_copy():
    """a[i, j] with all integer indices is a scalar in NumPy, not a view."""
    e = np.arange(6.0).reshape(2, 3)
    a = to_starp(e)
    s = a[1, 2]
    a[1, 2] = -1.0
    assert float(s) == 5.0
    v = a[1, 2, ...]  # ... makes it a 0-d view
    a[1, 2] = -2.0
    assert float(v) == -2.0
    # on a 0-d array, a[()] is a scalar (copy) and a[...] a 0-d view
    z = to_starp(np.array(3.0))
    c, w = z[()], z[...]
    z[...] = 4.0
    assert float(c) == 3.0
    assert float(w) == 4.0


def test_view_of_view_chain_writes():
    e = np.arange(20)
    a = to_starp(e)
    b, eb = a[1:], e[1:]
    c, ec = b[::-1], eb[::-1]
    c[0] = 42
    ec[0] = 42
    assert_same(a, e)
    assert int(to_numpy(a)[-1]) == 42
    d, ed = c[None, 2:8:3], ec[None, 2:8:3]
    d[...] = -1
    ed[...] = -1
    assert_same(a, e)
    assert_same(b, eb)


def test_reshape_of_contiguous_array_is_a_view():
    e = np.arange(6).reshape(2, 3)
    a = to_starp(e)
    r, er = a.reshape(6), e.reshape(6)
    a[1, 1] = 40
    e[1, 1] = 40
    assert_same(r, er)
    r[0] = -5
    er[0] = -5
    assert_same(a, e)


@given(data=st.data())
def test_view_semantics_random(data):
    """Random view, random writes to the base and to the view, and a lazy
    node built before the writes; everything must match NumPy."""
    d = data.draw(dtypes([np.dtype(np.int32), np.dtype(np.float64)]))
    shape = data.draw(shapes(max_dims=3))
    x = data.draw(arrays(d, shape, kind="small", lo=-100, hi=100))
    e = x.copy()
    a = to_starp(x)
    vidx = data.draw(hnp.basic_indices(shape, allow_newaxis=True, allow_ellipsis=True))
    ev, av = e[vidx], a[vidx]
    before = a * 1
    widx = data.draw(hnp.basic_indices(shape, allow_ellipsis=True))
    val = data.draw(st.integers(-5, 5))
    e[widx] = val
    a[widx] = val
    assert_same(a, e)
    assert_same(av, ev)
    if isinstance(ev, np.ndarray):
        widx2 = data.draw(hnp.basic_indices(ev.shape, allow_ellipsis=True))
        val2 = data.draw(st.integers(-5, 5))
        ev[widx2] = val2
        av[widx2] = val2
        assert_same(a, e)
        assert_same(av, ev)
    assert_same(before, x)


# --------------------------------------------------------------------------
# in-place operators
# --------------------------------------------------------------------------


def test_inplace_whole_array_and_views():
    e = np.arange(12, dtype=np.float64).reshape(3, 4)
    a = to_starp(e)
    t, et = a.T, e.T
    a += 1
    e += 1
    a *= 2
    e *= 2
    a[::2] -= 3
    e[::2] -= 3
    b, eb = a[:, 1:3], e[:, 1:3]
    b /= 4
    eb /= 4
    a[0, 0] **= 2
    e[0, 0] **= 2
    assert_same(a, e)
    assert_same(t, et)
    assert_same(b, eb)


def test_inplace_keeps_identity_and_dtype():
    a = to_starp(np.arange(5, dtype=np.int8))
    before = a
    a += 1
    assert a is before
    assert a.dtype == np.int8
    a *= np.int8(3)
    assert a.dtype == np.int8
    f = to_starp(np.ones(3, dtype=np.float32))
    f += np.float64(2.5)
    assert f.dtype == np.float32
    assert_same(f, np.full(3, 3.5, dtype=np.float32))


def test_inplace_with_aliasing_rhs():
    e = np.arange(16.0).reshape(4, 4)
    a = to_starp(e)
    e += e.T
    a += a.T
    assert_same(a, e)
    e = np.arange(10)
    a = to_starp(e)
    e[1:] += e[:-1]
    a[1:] += a[:-1]
    assert_same(a, e)


INPLACE_OPS = {"+=": operator.iadd, "-=": operator.isub, "*=": operator.imul,
               "&=": operator.iand}


@given(data=st.data())
def test_inplace_random(data):
    """``a[idx] op= v`` is ``a[idx] = iop(a[idx], v)``, as NumPy."""
    d = data.draw(dtypes([np.dtype(n) for n in ("int16", "int64", "uint8", "float32",
                                                 "float64", "complex128")]))
    shape = data.draw(shapes(max_dims=3))
    x = data.draw(arrays(d, shape, kind="small", lo=-20, hi=20))
    idx = data.draw(hnp.basic_indices(shape, allow_ellipsis=True))
    v = draw_value(data, d, np.shape(x[idx]))
    names = ["+=", "-=", "*="] + (["&="] if d.kind in "iu" else [])
    op = INPLACE_OPS[data.draw(st.sampled_from(names))]
    e = x.copy()
    a = to_starp(x)
    with quiet():
        e[idx] = op(e[idx], v)
        a[idx] = op(a[idx], as_rhs(v))
    assert_same(a, e)


# --------------------------------------------------------------------------
# loops of writes
# --------------------------------------------------------------------------


@pytest.mark.parametrize("n", [1, 2, 7, 13, 50])
def test_loop_of_writes_1d(n):
    e = np.zeros(n, dtype=np.int64)
    a = to_starp(e)
    for i in range(1, n):
        e[i] = e[i - 1] + 1
        a[i] = a[i - 1] + 1
    assert_same(a, e)


def test_loop_of_writes_rows():
    e = np.ones((9, 5))
    a = to_starp(e)
    for i in range(1, 9):
        e[i] = e[i - 1] * 2 + np.arange(5)
        a[i] = a[i - 1] * 2 + snp.arange(5)
    assert_same(a, e)
    e[:, 0] = e.sum(axis=1)
    a[:, 0] = a.sum(axis=1)
    assert_same(a, e)


def test_interleaved_reads_and_writes():
    e = np.arange(7.0)
    a = to_starp(e)
    snaps = []
    for i in range(7):
        a[i] = a[(i + 3) % 7] * 2
        e[i] = e[(i + 3) % 7] * 2
        snaps.append((a + 0, e.copy()))
    for got, want in snaps:
        assert_same(got, want)


@pytest.mark.parametrize("shape", [s for s in SPECIAL_SHAPES if len(s) >= 1], ids=repr)
def test_fill_every_row(shape):
    e = np.zeros(shape, dtype=np.float32)
    a = to_starp(e)
    for i in range(shape[0]):
        e[i] = i + 0.5
        a[i] = i + 0.5
    assert_same(a, e)
