"""`out=` of the functions that are not ufuncs (reductions, concatenate, take, median, cumsum...):
the result is written into `out` (a starp or a NumPy array) with NumPy's casting rule for the
function, `out` itself is returned, and a wrong shape or a forbidden cast is NumPy's error.

Each case runs `fn(xp, a, out)` with NumPy and with starp on the same inputs and a fresh `out`
of the same dtype and shape, then compares the returned array and `out`."""

import numpy as np
import pytest

import starp.numpy as snp
from _helpers import AGAINST_NUMPY, assert_same, check, expected_exception, to_numpy, to_starp

A = np.arange(39, dtype=np.float64).reshape(3, 13) * 0.37 - 4.1
A[1, 5] = np.nan
B = np.linspace(-2.2, 3.3, 39).reshape(3, 13)

# (name, fn(xp, a, out), out dtype, out shape)
CASES = [
    ("sum axis 0", lambda xp, a, o: xp.sum(a, axis=0, out=o), np.float64, (13,)),
    ("sum to int", lambda xp, a, o: xp.sum(a, axis=1, out=o), np.int64, (3,)),
    ("sum to float32 0-d", lambda xp, a, o: xp.sum(a, out=o), np.float32, ()),
    ("sum keepdims", lambda xp, a, o: xp.sum(a, axis=1, keepdims=True, out=o), np.float64, (3, 1)),
    ("method sum", lambda xp, a, o: a.sum(axis=0, out=o), np.float64, (13,)),
    ("prod", lambda xp, a, o: xp.prod(a[:, :4], axis=1, out=o), np.float64, (3,)),
    # (rows 0 and 2: a NaN cast to int is undefined, see the README's known differences)
    ("max to int", lambda xp, a, o: xp.max(a[::2], axis=0, out=o), np.int32, (13,)),
    ("min", lambda xp, a, o: a.min(axis=1, out=o), np.float64, (3,)),
    ("any", lambda xp, a, o: xp.any(a > 3, axis=0, out=o), np.bool_, (13,)),
    ("all to float", lambda xp, a, o: xp.all(a > -5, axis=1, out=o), np.float64, (3,)),
    ("argmax int32", lambda xp, a, o: xp.argmax(a, axis=0, out=o), np.int32, (13,)),
    ("argmin int64", lambda xp, a, o: a.argmin(axis=1, out=o), np.int64, (3,)),
    ("mean", lambda xp, a, o: xp.mean(a, axis=0, out=o), np.float64, (13,)),
    ("mean to int", lambda xp, a, o: xp.mean(a, axis=1, out=o), np.int64, (3,)),
    ("var", lambda xp, a, o: xp.var(a, axis=0, ddof=1, out=o), np.float64, (13,)),
    ("std", lambda xp, a, o: a.std(axis=1, out=o), np.float32, (3,)),
    ("var to int", lambda xp, a, o: xp.var(a, axis=0, ddof=1, out=o), np.int64, (13,)),
    ("nansum", lambda xp, a, o: xp.nansum(a, axis=0, out=o), np.float64, (13,)),
    ("nanmean", lambda xp, a, o: xp.nanmean(a, axis=1, out=o), np.float64, (3,)),
    ("nanmax", lambda xp, a, o: xp.nanmax(a, axis=1, out=o), np.float64, (3,)),
    ("nanmin", lambda xp, a, o: xp.nanmin(a, out=o), np.float64, ()),
    ("nanprod", lambda xp, a, o: xp.nanprod(a[:, :3], axis=0, out=o), np.float64, (3,)),
    ("trace", lambda xp, a, o: xp.trace(a, out=o), np.float64, ()),
    ("median", lambda xp, a, o: xp.median(a[::2], axis=1, out=o), np.float64, (2,)),
    ("percentile", lambda xp, a, o: xp.percentile(a[2], [10, 50, 90], out=o), np.float64, (3,)),
    ("quantile", lambda xp, a, o: xp.quantile(a[0], 0.3, out=o), np.float64, ()),
    ("cumsum", lambda xp, a, o: xp.cumsum(a[0], out=o), np.float64, (13,)),
    ("cumsum to int", lambda xp, a, o: xp.cumsum(a[0], out=o), np.int64, (13,)),
    ("cumprod axis", lambda xp, a, o: xp.cumprod(a[:, :4], axis=1, out=o), np.float64, (3, 4)),
    ("take", lambda xp, a, o: xp.take(a, [0, 5, 5, 38], out=o), np.float64, (4,)),
    ("take axis", lambda xp, a, o: xp.take(a, [2, 0], axis=0, out=o), np.float64, (2, 13)),
    ("compress", lambda xp, a, o: xp.compress([True, False, True], a, axis=0, out=o), np.float64, (2, 13)),
    ("concatenate", lambda xp, a, o: xp.concatenate([a, a[:1]], out=o), np.float64, (4, 13)),
    ("concatenate to float32", lambda xp, a, o: xp.concatenate([a, a], axis=1, out=o), np.float32, (3, 26)),
    ("stack", lambda xp, a, o: xp.stack([a[0], a[1]], axis=1, out=o), np.float64, (13, 2)),
    ("clip", lambda xp, a, o: xp.clip(a, -1, 2, out=o), np.float64, (3, 13)),
    ("outer", lambda xp, a, o: xp.outer(a[0, :4], a[1, :3], out=o), np.float64, (4, 3)),
    ("round", lambda xp, a, o: xp.round(a, 1, out=o), np.float64, (3, 13)),
    ("empty sum", lambda xp, a, o: xp.sum(a[:, :0], axis=1, out=o), np.float64, (3,)),
]


def _run(xp, fn, a, out_kind, dtype, shape):
    out = np.zeros(shape, dtype)
    if xp is snp and out_kind == "starp":
        out = to_starp(out)
    with np.errstate(invalid="ignore"):
        r = fn(xp, to_starp(a) if xp is snp else a, out)
    return r, out


@pytest.mark.parametrize("out_kind", ["starp", "numpy"])
@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_out_receives_the_result_and_is_returned(case, out_kind):
    _, fn, dtype, shape = case
    want, want_out = _run(np, fn, A, out_kind, dtype, shape)
    got, got_out = _run(snp, fn, A, out_kind, dtype, shape)
    assert got is got_out
    assert_same(got_out, want_out)


@pytest.mark.parametrize("bad", [
    ("wrong shape", lambda xp, a, o: xp.sum(a, axis=0, out=o), np.float64, (3,)),
    ("missing keepdims", lambda xp, a, o: xp.sum(a, axis=0, out=o), np.float64, (1, 13)),
    ("argmax float out", lambda xp, a, o: xp.argmax(a, axis=0, out=o), np.float64, (13,)),
    ("argmax uint64 out", lambda xp, a, o: xp.argmax(a, axis=0, out=o), np.uint64, (13,)),
    ("concatenate same_kind", lambda xp, a, o: xp.concatenate([a, a], out=o), np.int64, (6, 13)),
    ("concatenate out and dtype", lambda xp, a, o: xp.concatenate([a, a], out=o, dtype=np.float64), np.float64,
     (6, 13)),
    ("clip same_kind", lambda xp, a, o: xp.clip(a, 0, 1, out=o), np.int64, (3, 13)),
    ("round same_kind", lambda xp, a, o: xp.round(a, 1, out=o), np.int64, (3, 13)),
    ("std to int", lambda xp, a, o: xp.std(a, axis=0, out=o), np.int64, (13,)),
    ("outer same_kind", lambda xp, a, o: xp.outer(a[0], a[0], out=o), np.int64, (13, 13)),
    ("not an array", lambda xp, a, o: xp.sum(a, axis=0, out=[0.0] * 13), np.float64, (13,)),
], ids=lambda c: c[0])
def test_bad_out_is_numpys_error(bad):
    _, fn, dtype, shape = bad
    with pytest.raises(Exception) as want:
        _run(np, fn, A, "numpy", dtype, shape)
    with pytest.raises(expected_exception(want.value)):
        _run(snp, fn, A, "starp", dtype, shape)


def test_out_may_be_an_input():
    """`np.clip(a, lo, hi, out=a)` and `np.cumsum(a, out=a)`: the result replaces the input."""
    for fn in (lambda xp, a: xp.clip(a, -1, 1, out=a), lambda xp, a: xp.cumsum(a, axis=1, out=a),
               lambda xp, a: xp.sum(a, axis=0, keepdims=True, out=a[:1])):
        want = B.copy()
        fn(np, want)
        got = to_starp(B)
        fn(snp, got)
        assert_same(to_numpy(got), want)


def test_a_view_of_out_sees_the_write():
    want = np.zeros((2, 13))
    got = to_starp(want)
    view = got[1]
    np.sum(A, axis=0, out=want[1])
    snp.sum(to_starp(A), axis=0, out=view)
    assert_same(to_numpy(got), want)
    if not AGAINST_NUMPY:
        assert_same(to_numpy(view), want[1])


# ---- where= and initial= of reductions (NumPy's masked reductions) ----
M = (np.arange(39).reshape(3, 13) % 3) != 1
I8 = (np.arange(39).reshape(3, 13) % 11 - 5).astype(np.int8)

MASKED = [
    ("sum where", lambda xp, a: xp.sum(a, axis=0, where=xp.asarray(M))),
    ("sum where list row", lambda xp, a: xp.sum(a, axis=1, where=[True, False] * 6 + [True])),
    ("sum initial", lambda xp, a: xp.sum(a, initial=2.5)),
    ("int8 sum initial float", lambda xp, a: xp.sum(xp.asarray(I8), axis=1, initial=0.5)),
    ("prod where initial", lambda xp, a: xp.prod(a[:, :5], axis=1, where=xp.asarray(M[:, :5]), initial=2)),
    ("max where initial", lambda xp, a: xp.max(a, axis=0, where=xp.asarray(M), initial=-1.0)),
    ("min initial", lambda xp, a: a.min(axis=1, initial=-3.0)),
    ("max initial int", lambda xp, a: xp.max(xp.asarray(I8), initial=2.7)),
    ("max of empty with initial", lambda xp, a: xp.max(a[:, :0], axis=1, initial=7.0)),
    ("max over empty axis", lambda xp, a: xp.max(a[:0], axis=0, initial=7.0)),
    ("sum of empty with initial", lambda xp, a: xp.sum(a[:0], initial=1.5)),
    ("any where", lambda xp, a: xp.any(a > 2, axis=0, where=xp.asarray(M))),
    ("all where", lambda xp, a: (a > -1.5).all(axis=1, where=xp.asarray(M))),
    ("mean where", lambda xp, a: xp.mean(a, axis=0, where=xp.asarray(M))),
    ("mean where int", lambda xp, a: xp.mean(xp.asarray(I8), axis=1, where=xp.asarray(M))),
    ("mean where float32", lambda xp, a: xp.mean(a.astype(np.float32), where=xp.asarray(M))),
    ("var where", lambda xp, a: xp.var(a, axis=1, where=xp.asarray(M), ddof=1)),
    ("std where keepdims", lambda xp, a: xp.std(a, axis=0, where=xp.asarray(M), keepdims=True)),
    ("var correction", lambda xp, a: xp.var(a, axis=0, correction=1)),
    ("max where without initial", lambda xp, a: xp.max(a, where=xp.asarray(M))),
    ("where of a larger shape", lambda xp, a: xp.sum(a[0], where=xp.asarray(M))),
    ("ddof and correction", lambda xp, a: xp.var(a, ddof=1, correction=1)),
]


@pytest.mark.parametrize("case", MASKED, ids=[c[0] for c in MASKED])
def test_where_and_initial_of_reductions(case):
    _, fn = case
    a = np.where(np.isnan(A), 0.5, A)
    with np.errstate(invalid="ignore", divide="ignore"):
        check(fn, a)


@pytest.mark.parametrize("name", ["sum", "prod", "max", "min", "any", "all", "argmax", "argmin", "mean"])
@pytest.mark.parametrize("axis", [0, -1, (0,), 1, -2])
def test_reductions_of_0d_arrays_take_axis_0_like_numpy(name, axis):
    check(lambda xp, a: getattr(xp, name)(a, axis=axis), np.array(2.5))


@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.int8, np.uint16, np.bool_])
@pytest.mark.parametrize("fn", [
    lambda xp, a, d: xp.mean(a, dtype=d),
    lambda xp, a, d: xp.mean(a, axis=0, dtype=d),
    lambda xp, a, d: a.mean(axis=1, dtype=d, keepdims=True),
    lambda xp, a, d: xp.var(a, dtype=d),
    lambda xp, a, d: xp.var(a, axis=0, dtype=d, ddof=1),
    lambda xp, a, d: xp.std(a, dtype=d),
    lambda xp, a, d: xp.std(a, axis=1, dtype=d),
])
def test_mean_var_std_with_an_integer_dtype_truncate_like_numpy(fn, dtype):
    a = (np.arange(39).reshape(3, 13) * 7 % 11).astype(np.int16)
    with np.errstate(all="ignore"):
        check(lambda xp, a: fn(xp, a, dtype), a)
