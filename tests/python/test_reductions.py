"""Reductions: values close to NumPy, NumPy's dtypes, axis / keepdims / ddof,
empty and 0-d inputs, and bit-for-bit identical results for P = 1..4."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import starp.numpy as snp
from _helpers import (
    AGAINST_NUMPY,
    ALL_RANKS,
    DTYPES,
    FLOATS,
    assert_same,
    at_ranks,
    check,
    default_rtol,
    dtype_id,
    dtypes,
    elements,
    eps,
    quiet,
    shapes,
    starp_only,
    to_numpy,
    to_starp,
)

REDUCTIONS = ["sum", "prod", "mean", "var", "std", "min", "max", "any", "all"]
ARG_REDUCTIONS = ["argmin", "argmax"]
NO_AXIS = object()


def tolerance(name, x, out_dtype):
    """(rtol, atol) for comparing reduction ``name`` of ``x`` with NumPy.

    The summation order of starp differs from NumPy's (pairwise), so the
    absolute tolerance follows the worst-case rounding error bound."""
    out_dtype = np.dtype(out_dtype)
    if out_dtype.kind not in "fc":
        return 0.0, 0.0
    if name in ("min", "max"):
        return 0.0, 0.0
    e = eps(out_dtype)
    n = max(x.size, 1)
    with quiet():
        mag = np.abs(x.astype(np.complex128 if x.dtype.kind == "c" else np.float64))
    mag = mag[np.isfinite(mag)]
    m = float(mag.max()) if mag.size else 0.0
    s = float(mag.sum()) if mag.size else 0.0
    rtol = default_rtol(out_dtype)
    if name == "sum":
        return rtol, 2 * n * e * s
    if name == "mean":
        return rtol, 2 * n * e * m
    if name == "var":
        return rtol, 4 * n * e * m * m
    if name == "std":
        return rtol, 4 * n * e * m
    if name == "prod":
        return max(rtol, 4 * n * e), (1e-30 if e > 1e-10 else 1e-300)
    return rtol, 0.0


def axis_strategy(ndim, allow_tuple=True):
    options = [st.just(NO_AXIS), st.none()]
    if ndim:
        options.append(st.integers(-ndim, ndim - 1))
        if allow_tuple:
            options.append(hnp.valid_tuple_axes(ndim, min_size=1))
    return st.one_of(*options)


def draw_input(data, name, max_dims=3):
    d = data.draw(dtypes())
    shape = data.draw(shapes(max_dims=max_dims))
    if name == "prod":
        kind, lo, hi = ("small", -3, 3) if d.kind in "iu" and data.draw(st.booleans()) \
            else ("bounded", -1.25, 1.25)
        if d.kind == "c":
            lo, hi = -0.75, 0.75
    elif name in ("min", "max", "argmin", "argmax", "any", "all"):
        kind, lo, hi = ("quarter", -3, 3) if data.draw(st.booleans()) else ("bounded", -100, 100)
    else:
        kind, lo, hi = "bounded", -100, 100
    x = data.draw(hnp.arrays(d, shape, elements=elements(d, kind, lo, hi)))
    if d.kind == "f" and x.size and data.draw(st.booleans()):
        # sprinkle one NaN / inf (real floats only: complex inf arithmetic is
        # order dependent)
        i = data.draw(st.integers(0, x.size - 1))
        x.flat[i] = data.draw(st.sampled_from([np.nan, np.inf, -np.inf]))
    return x


@pytest.mark.parametrize("form", ["function", "method"])
@pytest.mark.parametrize("name", REDUCTIONS)
@given(data=st.data())
def test_reduction(name, form, data):
    x = draw_input(data, name)
    kw = {}
    axis = data.draw(axis_strategy(x.ndim))
    if axis is not NO_AXIS:
        kw["axis"] = axis
    if data.draw(st.booleans()):
        kw["keepdims"] = data.draw(st.booleans())
    if name in ("var", "std") and data.draw(st.booleans()):
        kw["ddof"] = data.draw(st.sampled_from([0, 1]))
    with quiet():
        out_dtype = getattr(np, name)(np.ones((1,), x.dtype)).dtype
    rtol, atol = tolerance(name, x, out_dtype)
    if form == "function":
        check(lambda xp, a: getattr(xp, name)(a, **kw), x, rtol=rtol, atol=atol)
    else:
        check(lambda xp, a: getattr(a, name)(**kw), x, rtol=rtol, atol=atol)


@pytest.mark.parametrize("form", ["function", "method"])
@pytest.mark.parametrize("name", ARG_REDUCTIONS)
@given(data=st.data())
def test_arg_reduction(name, form, data):
    x = draw_input(data, name)
    kw = {}
    axis = data.draw(axis_strategy(x.ndim, allow_tuple=False))
    if axis is not NO_AXIS:
        kw["axis"] = axis
    if form == "function":
        check(lambda xp, a: getattr(xp, name)(a, **kw), x)
    else:
        check(lambda xp, a: getattr(a, name)(**kw), x)


@pytest.mark.parametrize("d", DTYPES, ids=dtype_id)
def test_result_dtypes(d):
    """sum/prod of small ints -> (u)int64, mean/var/std of ints -> float64,
    of complex var/std -> float, min/max keep the dtype, argmin -> int64."""
    x = np.array([[1, 2, 3], [3, 0, 1]]).astype(d)
    a = to_starp(x)
    for name in REDUCTIONS + ARG_REDUCTIONS:
        for axis in (None, 0, 1, -1):
            got = getattr(snp, name)(a, axis=axis)
            want = getattr(np, name)(x, axis=axis)
            assert got.dtype == want.dtype, (name, axis, got.dtype, want.dtype)
            assert_same(got, want)


@pytest.mark.parametrize(
    "shape", [(), (0,), (1,), (7,), (13,), (1, 5), (2, 3), (0, 3), (3, 0), (7, 13), (2, 0, 3)],
    ids=repr,
)
@pytest.mark.parametrize("name", REDUCTIONS + ARG_REDUCTIONS)
def test_special_shapes(name, shape):
    """0-d, empty (identity / nan / ValueError as NumPy) and P-unfriendly sizes."""
    x = (np.arange(int(np.prod(shape)), dtype=np.float64).reshape(shape) * 1.5 - 4) % 7
    axes = [None] + list(range(-len(shape), len(shape)))
    for axis in axes:
        kw = {} if axis is None else {"axis": axis}
        rtol, atol = tolerance(name, x, np.float64)
        check(lambda xp, a: getattr(xp, name)(a, **kw), x, rtol=rtol, atol=atol)
        if name not in ARG_REDUCTIONS:
            check(lambda xp, a: getattr(a, name)(keepdims=True, **kw), x, rtol=rtol, atol=atol)


def test_keepdims_shapes():
    x = np.arange(2 * 3 * 4, dtype=np.float64).reshape(2, 3, 4)
    a = to_starp(x)
    for axis, shape in [(None, (1, 1, 1)), (0, (1, 3, 4)), (-1, (2, 3, 1)),
                        ((0, 2), (1, 3, 1)), ((-1, -3), (1, 3, 1))]:
        for name in REDUCTIONS:
            r = getattr(snp, name)(a, axis=axis, keepdims=True)
            assert r.shape == shape, (name, axis)
            assert_same(r, getattr(np, name)(x, axis=axis, keepdims=True),
                        atol=1e-12)


def test_nan_propagation_and_ties():
    x = np.array([[3.0, np.nan, 1.0, 1.0], [2.0, 0.0, 0.0, 5.0], [np.nan, 4.0, np.nan, -1.0]])
    for name in REDUCTIONS + ARG_REDUCTIONS:
        for axis in (None, 0, 1):
            check(lambda xp, a: getattr(xp, name)(a, axis=axis), x)
    ties = np.array([1, 5, 5, 0, 0, 5, 1], dtype=np.int16)
    check(lambda xp, a: xp.argmax(a), ties)
    check(lambda xp, a: xp.argmin(a), ties)
    assert int(snp.argmax(to_starp(ties))) == 1
    assert int(snp.argmin(to_starp(ties))) == 3


def test_integer_sum_wraps_and_bool_sum():
    x = np.array([2**62, 2**62, 2**62, 7], dtype=np.int64)
    check(lambda xp, a: xp.sum(a), x)
    check(lambda xp, a: xp.prod(a), x)
    b = np.array([[True, False, True], [True, True, True]])
    for name in ("sum", "prod", "mean", "min", "max", "any", "all", "argmax"):
        check(lambda xp, a: getattr(xp, name)(a), b)
        check(lambda xp, a: getattr(xp, name)(a, axis=0), b)
    u8 = np.full(1000, 255, dtype=np.uint8)
    check(lambda xp, a: a.sum(), u8)
    check(lambda xp, a: a.mean(), u8)


@pytest.mark.parametrize("ddof", [0, 1, 2])
def test_var_std_ddof(ddof):
    x = np.array([[1.0, 2.0, 4.0, 7.0], [0.5, -3.0, 2.5, 10.0], [1.0, 1.0, 1.0, 1.0]])
    for name in ("var", "std"):
        for axis in (None, 0, 1, -1, (0, 1)):
            check(lambda xp, a: getattr(xp, name)(a, axis=axis, ddof=ddof), x)
            check(lambda xp, a: getattr(a, name)(axis=axis, ddof=ddof, keepdims=True), x)
    c = x + 1j * x[::-1]
    check(lambda xp, a: xp.var(a, ddof=ddof), c)
    check(lambda xp, a: xp.std(a, axis=1, ddof=ddof), c)


def test_reduction_of_expressions_and_views():
    x = np.arange(7 * 13, dtype=np.float64).reshape(7, 13) / 7.0
    check(lambda xp, a: ((a * 3 - 1) ** 2).sum(axis=0), x)
    check(lambda xp, a: a[::-1, 1::2].mean(), x)
    check(lambda xp, a: a.T.max(axis=1), x)
    # Equal values: the std is rounding noise (~1e-16) whose digits depend on summation order.
    check(lambda xp, a: xp.std(a[2:5] - a[:3], axis=-1), x, atol=1e-14)
    check(lambda xp, a: (a > 3).sum(), x)
    check(lambda xp, a: a.sum() / a.size, x)
    check(lambda xp, a: a - a.mean(axis=0, keepdims=True), x, atol=1e-13)


def test_reduction_result_usable_as_python_number():
    x = np.arange(10, dtype=np.float64)
    a = to_starp(x)
    assert float(snp.sum(a)) == 45.0
    assert float(a.mean()) == 4.5
    assert int(a.argmax()) == 9
    assert bool(a.any()) is True
    assert bool((a > 100).any()) is False


# --------------------------------------------------------------------------
# bit-for-bit identical across P
# --------------------------------------------------------------------------

CROSS_CASES = [
    ((1001,), None), ((1001,), 0), ((7, 13, 11), None), ((7, 13, 11), 0),
    ((7, 13, 11), 1), ((7, 13, 11), -1), ((7, 13, 11), (0, 2)), ((13, 7), 1),
    ((2, 3), 0), ((1, 5), 1), ((3, 1000), 1), ((1000, 3), 0),
]


def _cross_input(shape, dtype, name):
    rng = np.random.default_rng(20240601)
    n = int(np.prod(shape))
    if name == "prod":
        v = 1.0 + 0.01 * rng.standard_normal(n)
    else:
        v = rng.standard_normal(n) * 10.0 + 3.0
    if np.dtype(dtype).kind == "c":
        v = v + 1j * rng.standard_normal(n)
    return v.astype(dtype).reshape(shape)


@starp_only
@pytest.mark.cross_ranks
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.complex128], ids=dtype_id)
@pytest.mark.parametrize("name", REDUCTIONS + ARG_REDUCTIONS)
def test_bit_identical_across_ranks(name, dtype):
    results = {}
    for p in ALL_RANKS:
        with at_ranks(p):
            out = []
            for shape, axis in CROSS_CASES:
                if name in ARG_REDUCTIONS and isinstance(axis, tuple):
                    continue
                x = _cross_input(shape, dtype, name)
                a = snp.array(x)
                out.append(to_numpy(getattr(snp, name)(a, axis=axis)))
                out.append(to_numpy(getattr(a * 0.5 + 1, name)(axis=axis)))
            results[p] = out
    for p in ALL_RANKS[1:]:
        for r1, rp in zip(results[1], results[p]):
            assert r1.dtype == rp.dtype and r1.shape == rp.shape
            assert r1.tobytes() == rp.tobytes(), f"P=1 vs P={p}: {r1!r} != {rp!r}"
    # ... and close to NumPy
    i = 0
    for shape, axis in CROSS_CASES:
        if name in ARG_REDUCTIONS and isinstance(axis, tuple):
            continue
        x = _cross_input(shape, dtype, name)
        want = getattr(np, name)(x, axis=axis)
        rtol, atol = tolerance(name, x, np.asarray(want).dtype)
        assert_same(results[1][i], want, rtol=rtol, atol=atol)
        i += 2


@starp_only
@pytest.mark.cross_ranks
def test_bit_identical_across_ranks_float32_sum_mean_large():
    rng = np.random.default_rng(7)
    x = rng.uniform(-1, 1, size=(257, 129)).astype(np.float32)
    results = []
    for p in ALL_RANKS:
        with at_ranks(p):
            a = snp.array(x)
            results.append([to_numpy(f) for f in (
                a.sum(), a.sum(axis=0), a.sum(axis=1), a.mean(), a.var(axis=0), a.std(),
                (a * a).sum(axis=(0, 1)),
            )])
    for other in results[1:]:
        for r1, rp in zip(results[0], other):
            assert np.array_equal(r1, rp) and r1.tobytes() == rp.tobytes()


@starp_only
@pytest.mark.cross_ranks
@pytest.mark.parametrize("name", REDUCTIONS + ARG_REDUCTIONS)
@given(data=st.data())
def test_bit_identical_across_ranks_random(name, data):
    d = data.draw(dtypes([np.dtype(np.float64), np.dtype(np.float32),
                          np.dtype(np.complex128), np.dtype(np.int64)]))
    shape = data.draw(shapes(max_dims=3, max_side=13))
    x = data.draw(hnp.arrays(d, shape, elements=elements(d, "bounded", -100, 100)))
    kw = {}
    axis = data.draw(axis_strategy(x.ndim, allow_tuple=name not in ARG_REDUCTIONS))
    if axis is not NO_AXIS:
        kw["axis"] = axis
    with quiet():
        try:
            getattr(np, name)(x, **kw)
        except ValueError:
            return  # empty min/max/argmin...: covered elsewhere
    got = []
    for p in ALL_RANKS:
        with at_ranks(p):
            with quiet():
                got.append(to_numpy(getattr(snp, name)(snp.array(x), **kw)))
    for p, r in zip(ALL_RANKS[1:], got[1:]):
        assert r.dtype == got[0].dtype and r.shape == got[0].shape
        assert r.tobytes() == got[0].tobytes(), f"P=1 vs P={p}: {got[0]!r} != {r!r}"


@pytest.mark.cross_ranks
def test_threads_do_not_change_results():
    """Rank boxes and reduction leaves split over threads as over ranks: bit-identical sums."""
    if AGAINST_NUMPY:
        pytest.skip("starp-specific")
    import starp

    rng = np.random.default_rng(7)
    x = rng.standard_normal((600, 700))
    results = []
    try:
        for t in (1, 2, 3):
            starp.config(threads=t)
            a = to_starp(x)
            results.append([to_numpy(a.sum()), to_numpy((a * 2 - 1).sum(axis=1)), to_numpy(a.max(axis=0)), to_numpy(a * a + 1)])
    finally:
        starp.config(threads=0)
    for r in results[1:]:
        for got, want in zip(r, results[0]):
            assert got.tobytes() == want.tobytes()


@pytest.mark.parametrize("dtype", ["int8", "int16", "int32", "uint8", "bool", "float32"])
def test_an_explicit_dtype_is_the_result_dtype_and_wraps_as_numpy(dtype):
    x = (np.arange(37, dtype=np.int64) * 1001).reshape(37, 1) * np.ones((1, 3), dtype=np.int64)
    check(lambda xp, a: xp.sum(a, axis=0, dtype=dtype), x)
    check(lambda xp, a: a.prod(axis=1, dtype=dtype), x % 7 + 1)
