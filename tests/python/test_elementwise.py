"""Elementwise operators and functions, with broadcasting (hypothesis)."""

import operator

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import starp.numpy as snp
from _helpers import (
    AGAINST_NUMPY,
    COMPLEXES,
    DTYPES,
    FLOAT16_PRODUCERS,
    FLOATS,
    INTS,
    SIGNED,
    arrays,
    assert_same,
    check,
    dtype_id,
    dtypes,
    elements,
    nonzero,
    quiet,
    starp_only,
    to_numpy,
    to_starp,
)

MAX_SIDE = 6


def broadcast_pair(data, max_dims=3):
    shp = data.draw(
        hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=max_dims,
                                          min_side=0, max_side=MAX_SIDE)
    )
    return shp.input_shapes


# --------------------------------------------------------------------------
# binary operators and functions
# --------------------------------------------------------------------------

# ops whose IEEE result is exactly defined: full float domain (nan, inf, ...)
EXACT_BINARY = {
    "op+": operator.add, "op-": operator.sub, "op*": operator.mul,
    "op==": operator.eq, "op!=": operator.ne, "op<": operator.lt,
    "op<=": operator.le, "op>": operator.gt, "op>=": operator.ge,
    "op&": operator.and_, "op|": operator.or_, "op^": operator.xor,
}
EXACT_FUNCS = [
    "add", "subtract", "multiply", "maximum", "minimum", "equal", "not_equal",
    "less", "less_equal", "greater", "greater_equal", "bitwise_and",
    "bitwise_or", "bitwise_xor", "logical_and", "logical_or", "logical_xor",
]
DIVISION = {
    "op/": operator.truediv, "divide": None, "true_divide": None,
}
FLOOR = {"op//": operator.floordiv, "op%": operator.mod, "floor_divide": None,
         "remainder": None, "mod": None}


def _fn(name, op):
    if op is not None:
        return lambda xp, a, b: op(a, b)
    return lambda xp, a, b: getattr(xp, name)(a, b)


ALL_EXACT = [(n, _fn(n, o)) for n, o in EXACT_BINARY.items()] + [
    (n, _fn(n, None)) for n in EXACT_FUNCS
]


@pytest.mark.parametrize("name, fn", ALL_EXACT, ids=[n for n, _ in ALL_EXACT])
@given(data=st.data())
def test_binary_exact(name, fn, data):
    da, db = data.draw(dtypes()), data.draw(dtypes())
    sa, sb = broadcast_pair(data)
    a = data.draw(arrays(da, sa, kind="full"))
    b = data.draw(arrays(db, sb, kind="full"))
    r = check(fn, a, b)
    if r is not None and r[1].ndim > 0:
        assert isinstance(r[0], snp.ndarray)


@pytest.mark.parametrize("name", list(DIVISION))
@given(data=st.data())
def test_true_divide(name, data):
    fn = _fn(name, DIVISION[name])
    da, db = data.draw(dtypes()), data.draw(dtypes())
    sa, sb = broadcast_pair(data)
    a = data.draw(arrays(da, sa, kind="full"))
    b = data.draw(arrays(db, sb, kind="full"))
    if np.result_type(da, db).kind == "c":
        b = nonzero(b)  # complex division by 0 is implementation defined
    check(fn, a, b)


@pytest.mark.parametrize("name", list(FLOOR))
@given(data=st.data())
def test_floor_divide_remainder(name, data):
    """Floats: multiples of 1/4 (incl. 0 divisors); ints: full range, incl. 0
    divisors and INT_MIN // -1 (NumPy gives 0 / INT_MIN, no crash)."""
    fn = _fn(name, FLOOR[name])
    da, db = data.draw(dtypes()), data.draw(dtypes())
    sa, sb = broadcast_pair(data)
    a = data.draw(arrays(da, sa, kind="quarter"))
    if da.kind in "iu" and data.draw(st.booleans()):
        a = data.draw(arrays(da, sa, kind="full"))
    b = data.draw(arrays(db, sb, kind="quarter", lo=-8, hi=8))
    check(fn, a, b)


@pytest.mark.parametrize("name", ["op**", "power"])
@given(data=st.data())
def test_power(name, data):
    fn = _fn(name, operator.pow if name == "op**" else None)
    da, db = data.draw(dtypes()), data.draw(dtypes())
    sa, sb = broadcast_pair(data)
    a = data.draw(arrays(da, sa, kind="small", lo=-4, hi=4))
    b = data.draw(arrays(db, sb, kind="small", lo=0 if db.kind in "iu" else -3, hi=6))
    rt = np.result_type(da, db)
    if rt.kind == "c":
        a = nonzero(a)
        check(fn, a, b, rtol=1e-9 if rt == np.complex128 else 1e-4)
    else:
        check(fn, a, b, rtol=1e-12 if rt == np.float64 else 1e-5)


def test_integer_division_by_zero():
    for d in INTS:
        a = np.array([7, 0, 1, 100]).astype(d)
        z = np.zeros(4, dtype=d)
        for fn in (
            lambda xp, a, b: a // b, lambda xp, a, b: a % b,
            lambda xp, a, b: xp.floor_divide(a, b), lambda xp, a, b: xp.remainder(a, b),
            lambda xp, a, b: xp.mod(a, b),
        ):
            check(fn, a, z)
        check(lambda xp, a: a // 0, a)
        check(lambda xp, a: a % 0, a)
    # INT_MIN // -1 and INT_MIN % -1
    for d in SIGNED:
        m = np.array([np.iinfo(d).min, -5, 5]).astype(d)
        n1 = np.array([-1, -1, -1]).astype(d)
        check(lambda xp, a, b: a // b, m, n1)
        check(lambda xp, a, b: a % b, m, n1)


def test_float_division_by_zero():
    for d in FLOATS:
        a = np.array([7.0, 0.0, -1.5, np.nan, np.inf]).astype(d)
        z = np.zeros(5, dtype=d)
        check(lambda xp, a, b: a / b, a, z)
        check(lambda xp, a, b: a // b, a, z)
        check(lambda xp, a, b: a % b, a, z)
        check(lambda xp, a, b: a / b, a, -z)


def test_maximum_minimum_nan_propagation():
    for d in FLOATS:
        a = np.array([np.nan, 1.0, np.nan, -np.inf, 2.0]).astype(d)
        b = np.array([1.0, np.nan, np.nan, 0.0, np.inf]).astype(d)
        for fn in (lambda xp, a, b: xp.maximum(a, b), lambda xp, a, b: xp.minimum(a, b)):
            check(fn, a, b)
            check(fn, b, a)
        assert np.isnan(to_numpy(snp.maximum(to_starp(a), 0.0))[0])
        assert np.isnan(to_numpy(snp.minimum(0.0, to_starp(a)))[2])


def test_integer_overflow_wraps():
    for d in INTS:
        info = np.iinfo(d)
        a = np.array([info.max, info.min, info.max], dtype=d)
        b = np.array([1, -1 if d.kind == "i" else 1, info.max], dtype=d)
        check(lambda xp, a, b: a + b, a, b)
        check(lambda xp, a, b: a - b, a, b)
        check(lambda xp, a, b: a * b, a, b)
        check(lambda xp, a: -a, a)
        check(lambda xp, a: abs(a), a)
        check(lambda xp, a: a ** 3, a)


# --------------------------------------------------------------------------
# unary
# --------------------------------------------------------------------------

UNARY_EXACT = {
    "neg": lambda xp, a: -a, "negative": lambda xp, a: xp.negative(a),
    "abs": lambda xp, a: abs(a), "absolute": lambda xp, a: xp.absolute(a),
    "np.abs": lambda xp, a: xp.abs(a), "invert_op": lambda xp, a: ~a,
    "invert": lambda xp, a: xp.invert(a),
    "logical_not": lambda xp, a: xp.logical_not(a),
}


@pytest.mark.parametrize("name", list(UNARY_EXACT))
@given(data=st.data())
def test_unary_exact(name, data):
    d = data.draw(dtypes())
    x = data.draw(arrays(d, data.draw(hnp.array_shapes(min_dims=0, max_dims=3, min_side=0,
                                                          max_side=MAX_SIDE)), kind="full"))
    check(UNARY_EXACT[name], x)


# (name, float-input element range, atol for f64, atol for f32)
UNARY_FLOAT = {
    "sqrt": (0.0, 1e4), "exp": (-50.0, 50.0), "log": (2.0**-10, 1e4),
    "sin": (-100.0, 100.0), "cos": (-100.0, 100.0), "tanh": (-20.0, 20.0),
}
UNARY_FLOAT_DTYPES = [d for d in DTYPES if d not in FLOAT16_PRODUCERS]


def _unary_elements(d, lo, hi, name):
    if d.kind in "iu":
        lo_i = int(max(lo, np.iinfo(d).min))
        hi_i = int(min(hi, np.iinfo(d).max))
        if name == "exp":
            lo_i, hi_i = max(lo_i, -50), min(hi_i, 50)
        return st.integers(max(lo_i, int(np.ceil(lo))), hi_i)
    if d.kind == "f":
        return st.floats(lo, hi, width=d.itemsize * 8, allow_subnormal=False)
    # complex: the branch cuts (a zero part of either sign, tiny parts) and the overflow ranges
    # included; starp's complex functions give NumPy's values there (test_complex_functions.py).
    cw = d.itemsize * 4
    lim = {"exp": 800.0, "sin": 800.0, "cos": 800.0, "tanh": 800.0}.get(name, 2.0**100)

    def part():
        return st.one_of(st.floats(-10.0, 10.0, width=cw), st.floats(-lim, lim, width=cw),
                         st.sampled_from([0.0, -0.0, 2.0**-100, -(2.0**-100)]))

    return st.builds(complex, part(), part())


@pytest.mark.parametrize("name", list(UNARY_FLOAT))
@given(data=st.data())
def test_unary_float_functions(name, data):
    d = data.draw(dtypes(UNARY_FLOAT_DTYPES))
    lo, hi = UNARY_FLOAT[name]
    shape = data.draw(hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=MAX_SIDE))
    x = data.draw(hnp.arrays(d, shape, elements=_unary_elements(d, lo, hi, name)))
    out = np.result_type(getattr(np, name)(np.ones(1, d)))
    single = out in (np.dtype(np.float32), np.dtype(np.complex64))
    rtol = 1e-5 if single else 1e-12
    atol = 1e-6 if single else 1e-14
    if d.kind == "c":
        rtol, atol = (1e-4, 1e-5) if single else (1e-11, 1e-13)
    check(lambda xp, a: getattr(xp, name)(a), x, rtol=rtol, atol=atol)


def test_unary_float_edge_values():
    for d in FLOATS:
        x = np.array([0.0, -0.0, -1.0, np.inf, -np.inf, np.nan, 1e-30, 1000.0]).astype(d)
        for name in UNARY_FLOAT:
            check(lambda xp, a: getattr(xp, name)(a), x, atol=1e-6)


def test_unary_float_of_ints_result_dtype():
    for d in INTS + [np.dtype(bool)]:
        x = np.array([1, 2, 3]).astype(d)
        for name in UNARY_FLOAT:
            want = getattr(np, name)(x).dtype
            got = getattr(snp, name)(to_starp(x)).dtype
            if want == np.float16:
                continue  # documented difference, see below
            assert got == want, (name, d)


@starp_only
def test_float16_documented_difference():
    """NumPy gives float16 for sqrt/exp/... of bool/int8/uint8; starp has no
    float16 and gives float32 (documented difference)."""
    for d in FLOAT16_PRODUCERS:
        x = np.array([1, 0, 1] if d == bool else [4, 9, 16]).astype(d)
        for name in UNARY_FLOAT:
            assert getattr(np, name)(x).dtype == np.float16
            r = getattr(snp, name)(to_starp(x))
            assert r.dtype == np.float32, (name, d)
            with quiet():
                want = getattr(np, name)(x.astype(np.float32))
            assert_same(r, want, rtol=1e-6, atol=1e-7)


def test_float16_difference_numpy_side():
    """The NumPy half of the statement above (also runs against NumPy)."""
    for d in FLOAT16_PRODUCERS:
        assert np.sqrt(np.ones(2, d)).dtype == np.float16
    assert np.sqrt(np.ones(2, np.int16)).dtype == np.float32
    if AGAINST_NUMPY:
        assert snp.sqrt(np.ones(2, np.int8)).dtype == np.float16


# --------------------------------------------------------------------------
# where
# --------------------------------------------------------------------------


@given(data=st.data())
def test_where(data):
    shp = data.draw(hnp.mutually_broadcastable_shapes(num_shapes=3, min_dims=0, max_dims=3,
                                                      min_side=0, max_side=MAX_SIDE))
    sc, sa, sb = shp.input_shapes
    dc = data.draw(st.sampled_from([np.dtype(bool), np.dtype(bool), np.dtype(np.int32),
                                    np.dtype(np.float64)]))
    da, db = data.draw(dtypes()), data.draw(dtypes())
    c = data.draw(arrays(dc, sc, kind="small", lo=-1, hi=1))
    a = data.draw(arrays(da, sa, kind="full"))
    b = data.draw(arrays(db, sb, kind="full"))
    check(lambda xp, c, a, b: xp.where(c, a, b), c, a, b)
    check(lambda xp, c, a, b: xp.where(c > 0 if c.dtype != bool else c, a, b), c, a, b)


def test_where_scalars_and_expressions():
    x = np.arange(-5, 8, dtype=np.float64)
    check(lambda xp, x: xp.where(x > 0, x, 0.0), x)
    check(lambda xp, x: xp.where(x > 0, 1, -1), x)
    check(lambda xp, x: xp.where((x > -2) & (x < 3), x * 2, x - 1), x)
    i8 = np.arange(7, dtype=np.int8)
    check(lambda xp, x: xp.where(x > 3, x, 0), i8)


# --------------------------------------------------------------------------
# astype
# --------------------------------------------------------------------------


def _cast_values(src):
    v = [0, 1, 2, 3, 100, 127]
    if src.kind == "i":
        v += [-1, -128]
    if src.kind in "fc":
        v += [0.5, 2.7, 126.9]
    if src.kind == "b":
        v = [0, 1, 1, 0]
    return np.array(v).astype(src)


@pytest.mark.parametrize("dst", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("src", DTYPES, ids=dtype_id)
def test_astype(src, dst):
    x = _cast_values(src)
    if src.kind in "fc" and dst.kind in "iu":
        x = x[x.real >= 0]  # negative float -> int is undefined in C
    r = check(lambda xp, a: a.astype(dst), x)
    assert r[0].dtype == dst
    check(lambda xp, a: a.reshape(3, -1).T.astype(dst), x)


def test_astype_wraps_ints():
    x = np.array([-1, 255, 256, -129, 70000, 2**40 + 5], dtype=np.int64)
    for dst in INTS:
        check(lambda xp, a: a.astype(dst), x)
    check(lambda xp, a: a.astype(np.float32), np.array([2**60 + 1, 3], dtype=np.int64))


def test_astype_spellings():
    x = np.arange(5, dtype=np.int32)
    for spelling in ("float32", np.float64, float, int, bool, complex, "u1", np.dtype("i2")):
        check(lambda xp, a: a.astype(spelling), x)


# --------------------------------------------------------------------------
# expressions with several ops, reflected ops with Python scalars
# --------------------------------------------------------------------------


@given(data=st.data())
def test_compound_expression(data):
    d = data.draw(dtypes(FLOATS + COMPLEXES))
    shape = data.draw(hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=MAX_SIDE))
    x = data.draw(arrays(d, shape, lo=-10, hi=10))
    y = data.draw(arrays(d, shape, lo=-10, hi=10))
    rtol = 1e-4 if d.itemsize <= 8 else 1e-11

    def f(xp, x, y):
        return (x * 2 - y) * (x + 1.5) - y * y / 4 + xp.abs(x - y) - 3

    check(f, x, y, rtol=rtol, atol=rtol * 100)


@pytest.mark.parametrize("d", DTYPES, ids=dtype_id)
def test_reflected_operators(d):
    x = np.array([1, 2, 3, 6]).astype(d)
    for s in (2, 1.5, True):
        for fn in (
            lambda xp, a: s + a, lambda xp, a: s - a, lambda xp, a: s * a,
            lambda xp, a: s / a, lambda xp, a: s // a, lambda xp, a: s % a,
            lambda xp, a: s ** a, lambda xp, a: s & a, lambda xp, a: s | a,
            lambda xp, a: s ^ a, lambda xp, a: s < a, lambda xp, a: s == a,
        ):
            check(fn, x)


def test_int64_uint64_comparisons_are_exact():
    """NumPy 2 compares int64 with uint64 exactly (not through float64),
    while arithmetic on the pair promotes to float64."""
    a = np.array([2**63, 2**64 - 1, 2**53], dtype=np.uint64)
    b = np.array([2**63 - 1, -1, 2**53 + 1], dtype=np.int64)
    for op in (operator.eq, operator.ne, operator.lt, operator.le, operator.gt, operator.ge):
        check(lambda xp, a, b: op(a, b), a, b)
        check(lambda xp, a, b: op(b, a), a, b)
    check(lambda xp, a, b: a + b, a, b)
    check(lambda xp, a, b: xp.maximum(a, b), a, b)


@pytest.mark.parametrize("dtype", COMPLEXES, ids=dtype_id)
def test_complex_power_of_zero(dtype):
    """NumPy 2: 0 to a power with a positive real part is 0 (whatever the imaginary part), 1 for
    a zero power, NaN otherwise."""
    z = np.zeros(8, dtype)
    e = np.array([2 + 1j, 2, 0.5 - 3j, 1j, -1, -2 + 3j, 0, -0.0], dtype)
    with quiet():
        check(lambda xp, a, b: xp.power(a, b), z, e)


@pytest.mark.parametrize("dtype", FLOATS, ids=dtype_id)
def test_maximum_minimum_and_clip_of_signed_zeros_give_numpys_sign(dtype):
    """On a tie (+0 against -0) NumPy's maximum/minimum give the second operand; its clip keeps
    the bound with one bound and the value with two."""
    a = np.array([0.0, -0.0, 0.0, -0.0, 1.0, np.nan] * 3, dtype)
    b = np.array([-0.0, 0.0, 0.0, -0.0, 1.0, 0.0] * 3, dtype)
    for fn in (lambda xp, x, y: xp.maximum(x, y), lambda xp, x, y: xp.minimum(x, y),
               lambda xp, x, y: xp.maximum(x[::2], y[::2]), lambda xp, x, y: xp.clip(x, -0.0, 0.0),
               lambda xp, x, y: xp.clip(y, 0.0, 1.0), lambda xp, x, y: xp.clip(x, -0.0, None),
               lambda xp, x, y: xp.clip(x, None, 0.0)):
        with quiet():
            r = check(fn, a, b)
        if r is not None:
            assert np.array_equal(np.signbit(to_numpy(r[0])), np.signbit(r[1]))
