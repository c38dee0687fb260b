"""The ufuncs with IR ops of their own (nextafter, spacing, ldexp, frexp, gcd, lcm,
bitwise_count, fmax, fmin, heaviside) and the composites float_power, divmod, modf, fabs, against
NumPy: every dtype with a loop, edge values (±0, subnormals, the largest float, ±inf, NaN, INT_MIN,
INT_MAX), shapes 0-d / empty / 7 / (3, 13), broadcasting with Python scalars (NEP 50), fused
expressions, fmax/fmin/gcd reduce and accumulate, and NumPy's exception types. Every test runs at
P = 1..4 (the ``ranks`` fixture).

All of these are exact in NumPy (no transcendental), so the comparison is exact: same dtype, same
values, same sign of zero, NaN where NumPy has NaN. One exception: NumPy's real fmax/fmin of +0.0
and -0.0 depend on its loop (SIMD lanes, scalar tail, libm: even within one array), so their
zeros are compared without their sign.

float16 does not exist in starp: where NumPy's loop is float16 (bool, int8, uint8 inputs)
starp's frexp, modf, fabs and heaviside give float32 (the same values: these are exact), compared
against NumPy's result on float32 inputs; nextafter, spacing and ldexp, whose results are the
float16 format's own, raise NotImplementedError.
"""

import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import starp.numpy as snp
from _helpers import (
    AGAINST_NUMPY,
    BOOL,
    COMPLEXES,
    DTYPES,
    FLOAT16_PRODUCERS,
    FLOATS,
    INTS,
    SIGNED,
    UNSIGNED,
    arrays,
    check,
    dtype_id,
    is_starp,
    quiet,
    shapes,
    starp_only,
    to_numpy,
    to_starp,
)

REALS = BOOL + INTS + FLOATS
SHAPES = [(), (0,), (7,), (3, 13)]
#: real dtypes whose float loop is float32 or float64 in NumPy too
NO_FLOAT16 = [d for d in REALS if d not in FLOAT16_PRODUCERS]


# --------------------------------------------------------------------------
# values and comparison
# --------------------------------------------------------------------------


def edge_values(d):
    """Edge values of dtype ``d`` followed by ordinary ones."""
    d = np.dtype(d)
    if d.kind == "b":
        return np.array([True, False, True, True, False, False, True])
    if d.kind in "iu":
        info = np.iinfo(d)
        v = [0, 1, 2, 3, 4, 6, 7, 12, 18, 100, int(info.max), int(info.min), int(info.max) - 1, int(info.min) + 1]
        if d.kind == "i":
            v += [-1, -2, -6, -12, -18, -100]
        return np.array(v, dtype=object).astype(d)
    if d.kind == "f":
        fi = np.finfo(d)
        sub = float(fi.smallest_subnormal)
        v = [0.0, -0.0, 1.0, -1.0, 0.5, -2.5, 3.0, 7.25, -7.25, 1e-3, 1e10, -1e10, float(fi.max), -float(fi.max),
             float(fi.tiny), -float(fi.tiny), sub, -sub, sub * 12345, np.inf, -np.inf, np.nan]
        rng = np.random.default_rng(len(v))
        v += list(rng.uniform(-50, 50, 9))
        return np.array(v, dtype=d)
    parts = [0.0, -0.0, 1.0, -1.0, np.inf, -np.inf, np.nan, 2.5]
    return np.array([complex(a, b) for a in parts for b in parts], dtype=d)


def shaped(x, shape):
    """``x`` cycled into ``shape``."""
    n = int(np.prod(shape))
    return np.resize(x, n).reshape(shape) if n else np.zeros(shape, x.dtype)


def cross(da, db):
    """Every pair of edge values of ``da`` and ``db`` (two 1-d arrays)."""
    a, b = edge_values(da), edge_values(db)
    return np.repeat(a, len(b)), np.tile(b, len(a))


def exps_of(d):
    """Exponents of integer dtype ``d`` around the float formats' limits."""
    d = np.dtype(d)
    if d.kind == "b":
        return np.array([True, False])
    info = np.iinfo(d)
    v = [0, 1, -1, 3, -3, 24, -24, 127, 128, -126, -149, -150, 1023, 1024, -1022, -1074, -1075, 2098,
         -2098, 2**31 - 1, -2**31, 2**31, -2**31 - 1, 2**40, -2**40, int(info.max), int(info.min)]
    return np.array([x for x in v if info.min <= x <= info.max], dtype=d)


def with_float32_inputs(fn, *xs):
    """NumPy's result with its float16 loops replaced by float32 ones (starp's loops)."""
    with quiet():
        r = fn(*xs)
        rs = r if isinstance(r, tuple) else (r,)
        if any(np.asarray(x).dtype == np.float16 for x in rs):
            r = fn(*[x.astype(np.float32) if isinstance(x, np.ndarray) and x.dtype in FLOAT16_PRODUCERS else x
                     for x in xs])
    return r


def assert_exact(got, want, signed_zeros=True, what=""):
    """Same dtype, shape and values; NaN where NumPy has NaN; and the same sign of zero."""
    g, w = to_numpy(got), np.asarray(want)
    assert g.dtype == w.dtype, f"{what}: dtype {g.dtype}, NumPy gives {w.dtype}"
    assert g.shape == w.shape, f"{what}: shape {g.shape}, NumPy gives {w.shape}"
    np.testing.assert_array_equal(g, w, err_msg=what)
    if signed_zeros and w.dtype.kind in "fc":
        for part in (np.real, np.imag) if w.dtype.kind == "c" else (lambda x: x,):
            gp, wp = part(g), part(w)
            ok = np.isnan(wp) | (np.signbit(gp) == np.signbit(wp))
            assert ok.all(), f"{what}: sign of zero differs at {np.argwhere(~ok)[:5].tolist()}"


def compare(fn, *xs, signed_zeros=True, what=""):
    """``fn(snp, *starp xs)`` against ``fn(np, *xs)`` (float16 loops read as float32 ones);
    tuples compared item by item."""
    want = with_float32_inputs(lambda *a: fn(np, *a), *xs)
    with quiet():
        got = fn(snp, *[to_starp(x) if isinstance(x, np.ndarray) else x for x in xs])
    if AGAINST_NUMPY and any(np.asarray(r).dtype == np.float16 for r in (got if isinstance(got, tuple) else (got,))):
        return  # NumPy's own float16 (starp's float32 is compared against NumPy's float32)
    if isinstance(want, tuple):
        assert isinstance(got, tuple) and len(got) == len(want), what
        for k, (g, w) in enumerate(zip(got, want)):
            assert_exact(g, w, signed_zeros, f"{what} [{k}]")
    else:
        assert_exact(got, want, signed_zeros, what)


# --------------------------------------------------------------------------
# nextafter, spacing, ldexp, frexp
# --------------------------------------------------------------------------


@pytest.mark.parametrize("d", FLOATS, ids=dtype_id)
def test_nextafter_and_spacing_of_floats(d, ranks):
    a, b = cross(d, d)
    compare(lambda xp, x, y: xp.nextafter(x, y), a, b, what=f"nextafter {d}")
    for shape in SHAPES:
        x = shaped(edge_values(d), shape)
        compare(lambda xp, v: xp.spacing(v), x, what=f"spacing {d} {shape}")
        compare(lambda xp, v: xp.nextafter(v, v[::-1] if v.ndim else -v), x, what=f"nextafter {d} {shape}")


@pytest.mark.parametrize("d", [x for x in NO_FLOAT16 if x.kind != "f"], ids=dtype_id)
def test_nextafter_and_spacing_of_integers(d, ranks):
    x = edge_values(d)
    compare(lambda xp, v: xp.spacing(v), x, what=f"spacing {d}")
    compare(lambda xp, v: xp.nextafter(v, v[::-1]), x, what=f"nextafter {d}")
    # NEP 50: a Python float is weak, an integer array's float loop stays.
    check(lambda xp, v: xp.nextafter(v, 0.5), x)


@pytest.mark.parametrize("d", FLOATS + [np.dtype(n) for n in ("int16", "uint16", "int32", "int64", "uint64")],
                         ids=dtype_id)
@pytest.mark.parametrize("e", [np.dtype(n) for n in ("bool", "int8", "uint8", "int16", "uint16", "int32", "uint32",
                                                     "int64")], ids=dtype_id)
def test_ldexp_is_exact(d, e, ranks):
    x = edge_values(d)
    n = exps_of(e)
    a, b = np.repeat(x, len(n)), np.tile(n, len(x))
    compare(lambda xp, u, v: xp.ldexp(u, v), a, b, what=f"ldexp {d} {e}")


def test_ldexp_dtypes_scalars_and_errors(ranks):
    x32 = np.array([1.5, -0.0, 3e-39, 1e38, np.inf, np.nan], np.float32)
    x64 = np.array([1.5, -0.0, 5e-324, 1e308, -np.inf, np.nan])
    for x in (x32, x64):
        check(lambda xp, v: xp.ldexp(v, 3), x)
        check(lambda xp, v: xp.ldexp(v, -1080), x)
        check(lambda xp, v: xp.ldexp(v, 2**31), x)  # OverflowError: a Python int is an int32 here
        check(lambda xp, v: xp.ldexp(v, np.int64(2**40)), x)  # the int64 loop
        check(lambda xp, v: xp.ldexp(v, np.uint32(7)), x)
        check(lambda xp, v: xp.ldexp(v, True), x)
        check(lambda xp, v: xp.ldexp(v, 2.0), x)  # TypeError: no float exponents
        check(lambda xp, v: xp.ldexp(v, np.array([1, 2], np.uint64)[:1]), x)  # TypeError
        check(lambda xp, v: xp.ldexp(v, np.arange(6).reshape(6, 1) * 40 - 100), x)  # broadcast
    check(lambda xp: xp.ldexp(1.5, np.arange(-1080, -1070)))  # a Python float is float64
    check(lambda xp: xp.ldexp(2, 3))  # two Python scalars: float64 and the int64 loop
    check(lambda xp: xp.ldexp(2.0, 2**40))
    check(lambda xp: xp.ldexp(np.float64(2.0), 2**40))  # OverflowError: strong float64, int32 loop
    check(lambda xp: xp.ldexp(np.array([1j]), 3))  # TypeError
    check(lambda xp: xp.ldexp(np.array([1j]), 2**40))  # TypeError before OverflowError
    check(lambda xp: xp.ldexp(np.array([1.0]), 2**40 + 0.5))  # TypeError
    check(lambda xp: xp.ldexp(np.float32(1.0), np.int16(-149)))


@pytest.mark.parametrize("d", REALS, ids=dtype_id)
def test_frexp(d, ranks):
    for shape in SHAPES:
        x = shaped(edge_values(d), shape)
        compare(lambda xp, v: xp.frexp(v), x, what=f"frexp {d} {shape}")
        m, e = snp.frexp(to_starp(x))
        assert is_starp(m) and is_starp(e) or AGAINST_NUMPY
    check(lambda xp: xp.frexp(np.array([1 + 1j])))  # TypeError
    compare(lambda xp: xp.frexp(3), what="frexp of a Python int")


# --------------------------------------------------------------------------
# gcd, lcm, bitwise_count
# --------------------------------------------------------------------------


@pytest.mark.parametrize("d", INTS, ids=dtype_id)
def test_gcd_lcm_with_int_min_and_zero(d, ranks):
    a, b = cross(d, d)
    compare(lambda xp, x, y: xp.gcd(x, y), a, b, what=f"gcd {d}")
    compare(lambda xp, x, y: xp.lcm(x, y), a, b, what=f"lcm {d}")
    for shape in SHAPES:
        x = shaped(edge_values(d), shape)
        y = shaped(edge_values(d)[::-1], shape)
        compare(lambda xp, u, v: xp.gcd(u, v), x, y, what=f"gcd {d} {shape}")
        compare(lambda xp, u, v: xp.lcm(u, v), x, y, what=f"lcm {d} {shape}")


def test_gcd_lcm_promotion_and_errors(ranks):
    i8, u8 = edge_values(np.int8), edge_values(np.uint8)
    n = min(len(i8), len(u8))
    check(lambda xp, x, y: xp.gcd(x, y), i8[:n], u8[:n])  # int16
    check(lambda xp, x, y: xp.lcm(x, y), i8[:n], u8[:n])
    check(lambda xp, x: xp.gcd(x, 12), i8)  # weak Python int: int8
    check(lambda xp, x: xp.lcm(x, -4), i8)
    check(lambda xp, x: xp.gcd(x, 300), i8)  # OverflowError
    check(lambda xp: xp.gcd(12, 18))
    check(lambda xp: xp.lcm(-4, 6))
    check(lambda xp, x, y: xp.gcd(x, y), np.array([6], np.uint64), np.array([4], np.int64))  # TypeError
    for bad in (np.array([True]), np.array([1.0]), np.array([1j])):
        check(lambda xp, x: xp.gcd(x, x), bad)  # TypeError
        check(lambda xp, x: xp.lcm(x, x), bad)
    check(lambda xp, x: xp.gcd(x, 1.5), i8)  # TypeError: float64


@pytest.mark.parametrize("d", BOOL + INTS, ids=dtype_id)
def test_bitwise_count(d, ranks):
    for shape in SHAPES:
        compare(lambda xp, v: xp.bitwise_count(v), shaped(edge_values(d), shape), what=f"bitwise_count {d}")
    check(lambda xp: xp.bitwise_count(-1))
    for bad in (np.array([1.0]), np.array([1j], np.complex64)):
        check(lambda xp, x: xp.bitwise_count(x), bad)  # TypeError


# --------------------------------------------------------------------------
# fmax, fmin, heaviside
# --------------------------------------------------------------------------


@pytest.mark.parametrize("d", DTYPES, ids=dtype_id)
def test_fmax_fmin_ignore_nan(d, ranks):
    a, b = cross(d, d)
    # NumPy's real fmax/fmin of ±0 depend on its loop; its complex ones do not.
    sz = d.kind == "c"
    compare(lambda xp, x, y: xp.fmax(x, y), a, b, signed_zeros=sz, what=f"fmax {d}")
    compare(lambda xp, x, y: xp.fmin(x, y), a, b, signed_zeros=sz, what=f"fmin {d}")
    for shape in SHAPES:
        x = shaped(edge_values(d), shape)
        y = shaped(edge_values(d)[::-1], shape)
        compare(lambda xp, u, v: xp.fmax(u, v), x, y, signed_zeros=sz, what=f"fmax {d} {shape}")
        compare(lambda xp, u, v: xp.fmin(u, v), x, y, signed_zeros=sz, what=f"fmin {d} {shape}")


def test_fmax_fmin_promotion(ranks):
    f32 = np.array([np.nan, 1.0, -2.0], np.float32)
    i8 = np.array([-128, 0, 127], np.int8)
    check(lambda xp, x: xp.fmax(x, 0.5), f32)  # float32
    check(lambda xp, x: xp.fmin(x, np.float64(0.5)), f32)  # float64
    check(lambda xp, x: xp.fmax(x, 5), i8)  # int8
    check(lambda xp, x: xp.fmax(x, 1000), i8)  # OverflowError
    check(lambda xp, x: xp.fmin(x, 2.5), i8)  # float64
    check(lambda xp, x: xp.fmax(x, 1j), f32)  # complex64
    check(lambda xp, x, y: xp.fmax(x, y), i8, np.array([1, 2, 3], np.uint64))  # float64
    check(lambda xp: xp.fmax(np.nan, 1.0))
    check(lambda xp, x: xp.fmax(x, x[::-1]), np.array([True, False, False]))


@pytest.mark.parametrize("d", REALS, ids=dtype_id)
def test_heaviside(d, ranks):
    for shape in SHAPES:
        x = shaped(edge_values(d), shape)
        h = shaped(edge_values(d)[::-1], shape)
        compare(lambda xp, u, v: xp.heaviside(u, v), x, h, what=f"heaviside {d} {shape}")
    if d.kind == "f":
        x = edge_values(d)
        for h in (0.5, np.nan, -0.0, np.inf):
            check(lambda xp, v: xp.heaviside(v, h), x)
    check(lambda xp: xp.heaviside(np.array([1j]), 0.5))  # TypeError


# --------------------------------------------------------------------------
# composites: float_power, divmod, modf, fabs
# --------------------------------------------------------------------------


@pytest.mark.parametrize("d", REALS, ids=dtype_id)
def test_float_power(d, ranks):
    x = edge_values(d)
    if d.kind in "iub":
        x = x[np.abs(x.astype(np.float64)) < 200]
    e = np.array([2, 0.5, -1, 3, 0, -0.5, 1.5, np.inf, -np.inf, np.nan])
    for ex in e:
        # float64 pow is glibc's in both (NumPy's float_power has no SIMD loop): exact, and
        # x**0.5 is pow's (inf for -inf), not sqrt's as in power's scalar fast path.
        compare(lambda xp, v: xp.float_power(v, ex), x, what=f"float_power {d} {ex}")
    a, b = np.repeat(x, len(e)), np.tile(e, len(x))
    compare(lambda xp, u, v: xp.float_power(u, v), a, b, what=f"float_power {d} arrays")


@pytest.mark.parametrize("d", COMPLEXES, ids=dtype_id)
def test_float_power_of_complex(d, ranks):
    # complex128 power is starp's power op (npy_cpow: exact small integer powers, exp(b log a)
    # otherwise), within rounding of NumPy's on finite values.
    x = edge_values(d)
    # (0 ** complex is power's own business: NumPy 2.4 gives 0 where npy_cpow gave NaN.)
    x = x[np.isfinite(x) & (x != 0)]
    for ex in (2, 3, -1, 0.5, 1.5 - 2j, 0):
        with quiet():
            want = np.float_power(x, ex)
        got = to_numpy(snp.float_power(to_starp(x), ex))
        assert got.dtype == want.dtype == np.complex128
        np.testing.assert_allclose(got, want, rtol=1e-13, atol=1e-300)


def test_float_power_dtypes(ranks):
    check(lambda xp: xp.float_power(2, 3))
    check(lambda xp: xp.float_power(2.0, -1))
    check(lambda xp, v: xp.float_power(v, 2), np.array([1.5, -2.0], np.float32))  # float64
    check(lambda xp, v: xp.float_power(v, -1), np.array([2, 4], np.int8))  # no integer error
    check(lambda xp, v: xp.float_power(v, 2), np.array([1 + 2j], np.complex64))  # complex128
    check(lambda xp, v: xp.float_power(v, 1j), np.array([2.0]))


@pytest.mark.parametrize("d", BOOL + INTS + FLOATS + COMPLEXES, ids=dtype_id)
def test_divmod(d, ranks):
    a, b = cross(d, d)
    if d.kind == "c":
        check(lambda xp, x, y: xp.divmod(x, y), a[:3], b[:3])  # TypeError
        return
    compare(lambda xp, x, y: xp.divmod(x, y), a, b, what=f"divmod {d}")
    for shape in SHAPES:
        x = shaped(edge_values(d), shape)
        y = shaped(edge_values(d)[::-1], shape)
        compare(lambda xp, u, v: xp.divmod(u, v), x, y, what=f"divmod {d} {shape}")
    if d.kind != "b":
        compare(lambda xp, u: xp.divmod(u, 3), edge_values(d), what=f"divmod {d} by 3")
        compare(lambda xp, u: xp.divmod(7, u), edge_values(d), what=f"divmod 7 by {d}")


@pytest.mark.parametrize("d", REALS, ids=dtype_id)
def test_modf_and_fabs(d, ranks):
    for shape in SHAPES:
        x = shaped(edge_values(d), shape)
        compare(lambda xp, v: xp.modf(v), x, what=f"modf {d} {shape}")
        compare(lambda xp, v: xp.fabs(v), x, what=f"fabs {d} {shape}")


def test_composites_of_scalars_and_complex(ranks):
    for fn in (lambda xp: xp.modf(-2.0), lambda xp: xp.modf(np.inf), lambda xp: xp.modf(-np.inf),
               lambda xp: xp.divmod(7, -2), lambda xp: xp.divmod(-0.0, 3.0), lambda xp: xp.fabs(-3)):
        compare(fn, what="scalars")
    check(lambda xp: xp.fabs(np.array([1j])))  # TypeError
    check(lambda xp: xp.modf(np.array([1j], np.complex64)))  # TypeError
    check(lambda xp: xp.divmod(np.array([1.0]), 1j))  # TypeError


# --------------------------------------------------------------------------
# broadcasting, fusion, reductions
# --------------------------------------------------------------------------


@given(shape=shapes(max_dims=2), data=st.data())
def test_broadcasting_against_a_row(shape, data, ranks):
    x = data.draw(arrays(np.float64, shape, kind="full"))
    row = data.draw(arrays(np.float64, shape[-1:] if shape else (), kind="full"))
    for name in ("fmax", "fmin", "nextafter", "heaviside"):
        compare(lambda xp, u, v: getattr(xp, name)(u, v), x, row, signed_zeros=name not in ("fmax", "fmin"),
                what=name)
    n = data.draw(arrays(np.int16, shape, kind="full"))
    compare(lambda xp, u, v: xp.ldexp(u, v), row, n, what="ldexp")
    compare(lambda xp, u, v: xp.gcd(u, v), n, n[..., ::-1] if n.ndim else n, what="gcd")


def test_new_ops_inside_fused_expressions(ranks):
    rng = np.random.default_rng(7)
    x = rng.uniform(-4, 4, (3, 13))
    x[0, :3] = [np.nan, 0.0, -0.0]
    y = rng.uniform(-4, 4, (3, 13))
    n = rng.integers(-1100, 1100, (3, 13))
    i = rng.integers(-100, 100, (3, 13)).astype(np.int32)

    def expr(xp, x, y, n, i):
        m, e = xp.frexp(x * 3 + 1)
        return (xp.ldexp(xp.fmax(x, y) * 2, n) + xp.heaviside(x, 0.5) - xp.spacing(y)
                + xp.nextafter(x, y) * m + e + xp.gcd(i, 12) + xp.lcm(i, 3) * xp.bitwise_count(i)
                + xp.fmin(x, y * 2) + xp.fabs(y) + xp.modf(x)[0] + xp.divmod(x, 1.5)[1] + xp.float_power(xp.fabs(y), 0.5))

    compare(expr, x, y, n, i, what="fused")


@starp_only
def test_a_chain_of_new_ops_is_one_kernel():
    import starp

    rng = np.random.default_rng(3)
    x, y = rng.uniform(-4, 4, 1001), rng.uniform(-4, 4, 1001)
    sx, sy = to_starp(x).persist(), to_starp(y).persist()
    before = starp.stats()["kernels"]
    got = (snp.ldexp(snp.fmax(sx, sy), 3) + snp.heaviside(sx, 0.5) + snp.nextafter(sx, sy)
           + snp.spacing(sy) + snp.frexp(sx)[0]).compute()
    assert starp.stats()["kernels"] - before == 1
    want = np.ldexp(np.fmax(x, y), 3) + np.heaviside(x, 0.5) + np.nextafter(x, y) + np.spacing(y) + np.frexp(x)[0]
    np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("d", [np.dtype(n) for n in ("bool", "int8", "uint64", "float32", "float64", "complex128")],
                         ids=dtype_id)
@pytest.mark.parametrize("name", ["fmax", "fmin"])
def test_fmax_fmin_reduce_and_accumulate(name, d, ranks):
    u = getattr(snp, name)
    x = shaped(edge_values(d), (7, 13))
    if d.kind == "f":
        x[:, 2] = np.nan  # an all-NaN column reduces to NaN
    # Equal values of different zeros (complex ties too) are picked in NumPy's sequential order,
    # starp reduces in a fixed tree: values compare, signs of zero do not.
    sz = False
    for axis in (0, 1, None, (0, 1)):
        compare(lambda xp, v: getattr(xp, name).reduce(v, axis=axis), x, signed_zeros=sz, what=f"{name}.reduce {axis}")
    compare(lambda xp, v: getattr(xp, name).reduce(v, axis=1, keepdims=True), x, signed_zeros=sz, what="keepdims")
    compare(lambda xp, v: getattr(xp, name).accumulate(v, axis=1), x, signed_zeros=sz, what=f"{name}.accumulate")
    if d.kind != "c":
        compare(lambda xp, v: getattr(xp, name).reduce(v, axis=0, initial=1), x, signed_zeros=sz, what="initial")
    compare(lambda xp, v: getattr(xp, name).reduce(v), x[0], signed_zeros=sz, what="1-d")
    check(lambda xp, v: getattr(xp, name).reduce(v, axis=0), x[:0])  # ValueError: no identity
    assert isinstance(u, snp.ufunc)


@pytest.mark.parametrize("d", INTS, ids=dtype_id)
def test_gcd_reduce_and_accumulate(d, ranks):
    x = shaped(edge_values(d), (3, 13))
    for axis in (0, 1, None):
        compare(lambda xp, v: xp.gcd.reduce(v, axis=axis), x, what=f"gcd.reduce {axis}")
    compare(lambda xp, v: xp.gcd.accumulate(v, axis=1), x, what="gcd.accumulate")
    compare(lambda xp, v: xp.gcd.reduce(v, axis=0), x[:0], what="empty")  # the identity 0
    compare(lambda xp, v: xp.gcd.reduce(v, axis=1, keepdims=True), x, what="keepdims")


@starp_only
def test_reductions_stay_in_starp():
    x = to_starp(shaped(edge_values(np.float64), (7, 13)))
    i = to_starp(shaped(edge_values(np.int32), (7, 13)))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the NumPy fallback warns
        for r in (snp.fmax.reduce(x, axis=0), snp.fmin.reduce(x, axis=1), snp.gcd.reduce(i, axis=0),
                  snp.fmax.accumulate(x, axis=0), np.fmax.reduce(x, axis=1), np.gcd.reduce(i, axis=1)):
            assert is_starp(r)
            to_numpy(r)


# --------------------------------------------------------------------------
# ufunc objects, tuples, out=, NumPy interop, float16 loops
# --------------------------------------------------------------------------


def test_one_output_functions_are_ufunc_objects(ranks):
    for name in ("nextafter", "spacing", "ldexp", "gcd", "lcm", "bitwise_count", "fmax", "fmin", "heaviside",
                 "float_power", "fabs"):
        u = getattr(snp, name)
        assert isinstance(u, snp.ufunc), name
        assert u.__name__ == name and u.nout == 1
    x = np.array([1.0, np.nan, -3.0])
    y = np.array([np.nan, 2.0, -4.0])
    check(lambda xp, a, b: xp.fmax(a, b, where=np.array([True, False, True]), out=xp.zeros(3)), x, y)

    def into_out(xp, a, b):
        o = xp.zeros(3)
        xp.fmax(a, b, out=o)
        return o

    check(into_out, x, y)
    check(lambda xp, a: xp.spacing(a, dtype=np.float32), x)
    check(lambda xp, a, b: xp.fmin.outer(a, b), x, y)


def test_two_output_functions_return_tuples(ranks):
    x = np.array([-2.5, 0.0, 7.0])
    for name in ("frexp", "modf"):
        r = getattr(snp, name)(to_starp(x))
        assert isinstance(r, tuple) and len(r) == 2
        assert all(is_starp(v) for v in r) or AGAINST_NUMPY
    r = snp.divmod(to_starp(x), 2.0)
    assert isinstance(r, tuple) and len(r) == 2
    assert all(is_starp(v) for v in r) or AGAINST_NUMPY


@starp_only
def test_two_output_functions_reject_out_and_where():
    x = to_starp(np.array([1.5, 2.0]))
    o = snp.zeros(2)
    for call in (lambda: snp.frexp(x, out=(o, None)), lambda: snp.modf(x, o, o), lambda: snp.divmod(x, x, out=(o, o)),
                 lambda: snp.modf(x, where=np.array([True, False])), lambda: snp.frexp(x, dtype=np.float32)):
        with pytest.raises(NotImplementedError, match="out="):
            call()
    snp.frexp(x, out=(None, None))  # NumPy's default


@starp_only
def test_numpy_calls_stay_lazy():
    x = to_starp(np.array([1.5, -0.0, np.nan]))
    y = to_starp(np.array([np.nan, 2.0, 1.0]))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for r in (np.fmax(x, y), np.gcd(to_starp(np.array([4, 6])), 2), np.ldexp(x, 3), np.heaviside(x, 0.5),
                  np.float_power(x, 2), np.fabs(x), *np.frexp(x), *np.modf(x), *np.divmod(x, y)):
            assert is_starp(r)


@starp_only
@pytest.mark.parametrize("d", FLOAT16_PRODUCERS, ids=dtype_id)
def test_float16_loops_raise_or_give_float32(d):
    x = to_starp(edge_values(d))
    for call in (lambda: snp.spacing(x), lambda: snp.nextafter(x, x), lambda: snp.ldexp(x, 2),
                 lambda: snp.ldexp(1, to_starp(np.array([3], np.int8)))):
        with pytest.raises(NotImplementedError, match="float16"):
            call()
    # Exact functions: NumPy's float16 values, as float32.
    assert snp.frexp(x)[0].dtype == snp.modf(x)[1].dtype == snp.fabs(x).dtype == np.float32
    assert snp.heaviside(x, x).dtype == np.float32


@pytest.mark.skipif(not AGAINST_NUMPY, reason="the NumPy side of the float16 difference")
def test_float16_numpy_side():
    assert np.spacing(np.ones(2, np.int8)).dtype == np.float16
    assert np.ldexp(1, np.ones(2, np.int8)).dtype == np.float16
