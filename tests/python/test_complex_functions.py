"""Complex inputs of NumPy's transcendental ufuncs against NumPy, with its special values.

The 20 functions: sqrt exp log sin cos tan sinh cosh tanh arcsin arccos arctan arcsinh arccosh
arctanh expm1 log1p exp2 log2 log10, for complex64 and complex128 (cbrt has no complex loop in
NumPy: a TypeError, also in starp).

What NumPy computes (on Linux): the C library's complex functions (glibc's csqrt, cexp, clog,
csin, ..., catanh, and the float versions csqrtf, ... for complex64, which run in float32 with
float32's overflow thresholds), and its own formulas for expm1, log1p, exp2, log2 and log10
(umath funcs.inc.src; e.g. log1p(z) = log(hypot(x + 1, y)) + i atan2(y, x + 1), so complex64's
log1p(1e-10 + 1e-10j) has real part 0). starp (codegen/src/complex_math.rs) follows glibc's
algorithms and NumPy's formulas step by step in the dtype's precision, on the same libm.

Comparison (``assert_parts``), per real and imaginary part: NaN-ness equal; infinities equal,
with their signs; zeros equal with their signs (not where the part is NaN); finite values within
``ULP[name]`` units in the last place of the dtype's part (the spacing of subnormals below the
normal range). Bound: on x86-64 with glibc 2.36 every result here is bit-identical to NumPy's (0
ulp), for every function and both dtypes; the bound is 2 ulp for every function, room for a
libm whose real functions round differently in the last place between two builds. Identities
such as exp(z) = e^x cis(y) are not used as references: NumPy's own values are.

Every test runs on 1..4 in-process ranks (the ``ranks`` fixture), and the file passes against
NumPy itself (``STARP_TEST_AGAINST_NUMPY=1``).
"""

import numpy as np
import pytest

import starp.numpy as snp
from _helpers import COMPLEXES, assert_same, check, dtype_id, quiet, to_numpy, to_starp

FUNCS = [
    "sqrt", "exp", "log", "sin", "cos", "tan", "sinh", "cosh", "tanh", "arcsin", "arccos",
    "arctan", "arcsinh", "arccosh", "arctanh", "expm1", "log1p", "exp2", "log2", "log10",
]

#: ulp bound per function (see the module docstring: 0 observed everywhere).
ULP = {name: 2 for name in FUNCS}


def _real_of(dt):
    return np.dtype(np.float32 if np.dtype(dt) == np.complex64 else np.float64)


def grid_values(dt):
    """Every pair (re, im) of 0, -0, the smallest subnormal, 0.5, ±1, ±2, ±huge, ±inf, NaN."""
    tiny = float(np.nextafter(_real_of(dt).type(0), _real_of(dt).type(1)))
    big = 1e38 if np.dtype(dt) == np.complex64 else 1e300
    v = [0.0, -0.0, tiny, 0.5, 1.0, -1.0, 2.0, -2.0, big, -big, np.inf, -np.inf, np.nan]
    re = np.repeat(np.array(v, _real_of(dt)), len(v))
    im = np.tile(np.array(v, _real_of(dt)), len(v))
    return _make(re, im, dt)


def _make(re, im, dt):
    """The complex array re + i im, exactly (re + 1j * im would spoil infinities and -0.0)."""
    z = np.empty(np.shape(re), dt)
    z.real = re
    z.imag = im
    return z


def random_values(dt, n=3000, seed=7):
    """Random arguments in the regions that matter: every magnitude, the branch cuts (one part
    tiny, of either sign), near 0 (where expm1 and log1p cancel), near |z| = 1, near ±1 and ±i
    (the branch points of the inverse functions), and large parts (overflow of exp and the
    hyperbolic functions, float32's thresholds for complex64)."""
    rng = np.random.default_rng(seed)
    k = n // 8
    sign = lambda m: rng.choice([-1.0, 1.0], m)  # noqa: E731
    mag = lambda lo, hi, m: 10.0 ** rng.uniform(lo, hi, m)  # noqa: E731
    parts = [
        (sign(k) * mag(-12, 12, k), sign(k) * mag(-12, 12, k)),
        (rng.uniform(-4, 4, k), sign(k) * mag(-30, -3, k)),
        (sign(k) * mag(-30, -3, k), rng.uniform(-4, 4, k)),
        (sign(k) * mag(-20, -5, k), sign(k) * mag(-20, -5, k)),
        (rng.uniform(-10, 10, k), rng.uniform(-10, 10, k)),
        (rng.uniform(-800, 800, k), rng.uniform(-800, 800, k)),
    ]
    t = rng.uniform(-np.pi, np.pi, k)
    r = 1 + sign(k) * mag(-15, -1, k)
    parts.append((r * np.cos(t), r * np.sin(t)))
    c = rng.choice(np.array([1, -1, 1j, -1j]), k)
    parts.append((c.real + sign(k) * mag(-16, -1, k), c.imag + sign(k) * mag(-16, -1, k)))
    re = np.concatenate([p[0] for p in parts] + [[1e-10, -1e-10, 1e-10, 0.0]])
    im = np.concatenate([p[1] for p in parts] + [[1e-10, 1e-10, -0.0, 1e-10]])
    with quiet():
        return _make(re.astype(_real_of(dt)), im.astype(_real_of(dt)), dt)


def _ordered(x):
    """The float values as integers in the order of the floats (adjacent floats differ by 1)."""
    it = np.int32 if x.dtype == np.float32 else np.int64
    i = x.view(it).astype(np.int64)
    return np.where(i < 0, np.int64(np.iinfo(it).min) - i, i)


def assert_parts(got, want, max_ulp, what, z=None):
    """The comparison of the module docstring, for each part of complex results."""
    g = to_numpy(got)
    w = np.asarray(want)
    assert g.dtype == w.dtype, f"{what}: dtype {g.dtype}, NumPy gives {w.dtype}"
    assert g.shape == w.shape, f"{what}: shape {g.shape}, NumPy gives {w.shape}"
    g, w = g.reshape(-1), w.reshape(-1)
    zs = None if z is None else np.asarray(z).reshape(-1)
    for part in ("real", "imag"):
        a = np.ascontiguousarray(getattr(g, part))
        e = np.ascontiguousarray(getattr(w, part))
        an, en = np.isnan(a), np.isnan(e)
        with quiet():
            special = np.isinf(a) | np.isinf(e) | (a == 0) | (e == 0)
            bad = an != en
            # Infinities and zeros: equal, sign included.
            bad |= ~an & ~en & special & ((a != e) | (np.signbit(a) != np.signbit(e)))
            finite = ~an & ~en & ~special
            dist = np.abs(_ordered(a) - _ordered(e))
            bad |= finite & ((np.signbit(a) != np.signbit(e)) | (dist > max_ulp))
        if np.any(bad):
            i = int(np.argmax(bad))
            at = "" if zs is None else f" at z={zs[i]!r}"
            raise AssertionError(
                f"{what}: {part} part{at}: got {g[i]!r}, NumPy {w[i]!r} "
                f"({int(bad.sum())} of {bad.size} differ; bound {max_ulp} ulp)"
            )


def _both(name, z):
    with quiet():
        want = getattr(np, name)(z)
        got = getattr(snp, name)(to_starp(z))
        return got, want


@pytest.mark.parametrize("dt", COMPLEXES, ids=dtype_id)
@pytest.mark.parametrize("name", FUNCS)
def test_special_value_grid(name, dt, ranks):
    z = grid_values(dt)
    got, want = _both(name, z)
    assert_parts(got, want, ULP[name], f"{name}({np.dtype(dt).name}) grid", z)


@pytest.mark.parametrize("dt", COMPLEXES, ids=dtype_id)
@pytest.mark.parametrize("name", FUNCS)
def test_random_values_over_magnitudes(name, dt, ranks):
    z = random_values(dt)
    got, want = _both(name, z)
    assert_parts(got, want, ULP[name], f"{name}({np.dtype(dt).name}) random", z)


@pytest.mark.parametrize("dt", COMPLEXES, ids=dtype_id)
def test_cancellation_near_zero_is_numpys(dt, ranks):
    """expm1 and log1p of a tiny z: NumPy's formulas in the dtype's precision, not the accurate
    values. complex64's log1p(1e-10 + 1e-10j) is 1e-10j (1 + 1e-10 rounds to 1 in float32),
    complex128's real part 1.00000008269e-10 (the rounding of 1 + 1e-10); expm1 keeps the
    relative accuracy (expm1(x) cos(y) - 2 sin^2(y / 2))."""
    z = np.array([1e-10 + 1e-10j, -1e-10 + 1e-10j, 1e-10 - 1e-10j, 1e-300 + 1e-300j], dt)
    for name in ("expm1", "log1p"):
        got, want = _both(name, z)
        assert_parts(got, want, ULP[name], f"{name}({np.dtype(dt).name}) near 0", z)
    got = to_numpy(snp.log1p(to_starp(z[:1])))
    if np.dtype(dt) == np.complex64:
        assert got[0].real == 0 and got[0].imag == np.float32(1e-10)
    else:
        assert abs(got[0].real / 1.000000082690371e-10 - 1) < 1e-15
    e = to_numpy(snp.expm1(to_starp(z[:1])))
    assert abs(e[0].real / 1e-10 - 1) < 1e-6 and abs(e[0].imag / 1e-10 - 1) < 1e-6


@pytest.mark.parametrize("dt", COMPLEXES, ids=dtype_id)
def test_branch_cuts_take_the_sign_of_zero(dt, ranks):
    """On the cuts, the side is the sign of the zero part: sqrt/log of a negative real, arcsin,
    arccos and arctanh beyond ±1, arccosh below 1, arcsinh and arctan beyond ±i."""
    re = np.array([-4.0, -4.0, -1.0, -1.0, 2.0, 2.0, -2.0, -2.0, 0.0, -0.0, 0.0, -0.0])
    im = np.array([0.0, -0.0, 0.0, -0.0, 0.0, -0.0, 0.0, -0.0, 2.0, 2.0, -2.0, -2.0])
    z = _make(re.astype(_real_of(dt)), im.astype(_real_of(dt)), dt)
    for name in FUNCS:
        got, want = _both(name, z)
        assert_parts(got, want, ULP[name], f"{name}({np.dtype(dt).name}) on the cuts", z)


@pytest.mark.parametrize("dt", COMPLEXES, ids=dtype_id)
@pytest.mark.parametrize("shape", [(), (0,), (7,), (3, 13)], ids=str)
def test_shapes(shape, dt, ranks):
    n = int(np.prod(shape))
    z = np.resize(random_values(dt, n=400, seed=3), n).reshape(shape)
    for name in FUNCS:
        got, want = _both(name, z)
        assert_parts(got, want, ULP[name], f"{name}({np.dtype(dt).name}) {shape}")


@pytest.mark.parametrize("dt", COMPLEXES, ids=dtype_id)
def test_inside_fused_expressions(dt, ranks):
    z = np.concatenate([random_values(dt, n=156, seed=11), grid_values(dt)]).reshape(-1, 13)
    # Around the functions: complex + - and products with real or imaginary scalars, which
    # starp rounds as NumPy does. (Not the product of two complex values: starp computes its
    # parts as ar br - ai bi and ar bi + ai br, in float64 for complex64 too, while NumPy rounds
    # complex64's in float32 steps and its SIMD loops may fuse a multiply-add, so the parts can
    # differ where the two products cancel; that is complex arithmetic, not these functions.)
    exprs = [
        ("log10(z * 2) + 1", lambda xp, a: xp.log10(a * 2) + 1),
        ("exp(z) - sqrt(z) * 0.5", lambda xp, a: xp.exp(a) - xp.sqrt(a) * 0.5),
        ("arctan(z) + arcsinh(z) * 1j", lambda xp, a: xp.arctan(a) + xp.arcsinh(a) * 1j),
        ("expm1(log1p(z))", lambda xp, a: xp.expm1(xp.log1p(a))),
        ("cosh(z.T)[::2] * 0.25 - tan(z.T)[::2]", lambda xp, a: xp.cosh(a.T)[::2] * 0.25 - xp.tan(a.T)[::2]),
    ]
    for what, f in exprs:
        with quiet():
            want = f(np, z)
            got = f(snp, to_starp(z))
        assert_parts(got, want, 2, f"{what} ({np.dtype(dt).name})")
    # A reduction of a complex function (starp's summation order is its own: close, not equal).
    zf = random_values(dt, n=200, seed=5)
    zf = zf[np.isfinite(zf) & (np.abs(zf) < 5)][:120].reshape(-1, 4)
    with quiet():
        want = np.sum(np.sin(zf), axis=0)
        got = snp.sum(snp.sin(to_starp(zf)), axis=0)
    assert_same(got, want, rtol=1e-5 if np.dtype(dt) == np.complex64 else 1e-12)


def test_result_dtypes_and_cbrt(ranks):
    """Complex in, the same complex out; cbrt has no complex loop (TypeError in both)."""
    for dt in COMPLEXES:
        z = np.array([1 + 2j, -3 - 0.5j], dt)
        for name in FUNCS:
            assert getattr(snp, name)(to_starp(z)).dtype == getattr(np, name)(z).dtype == dt
        check(lambda xp, a: xp.cbrt(a), z)
    # A complex Python scalar makes a real array complex (NEP 50: weak, but complex).
    x = np.array([0.5, -2.0, 3.0], np.float32)
    check(lambda xp, a: xp.arccos(a + 0j), x)
    check(lambda xp, a: xp.log2(a * (1 + 1j)), x)
