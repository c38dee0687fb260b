"""The legacy polynomial functions (poly, roots, polyval, polyfit, polyadd, polysub, polymul,
polydiv, polyder, polyint, poly1d), vander and unwrap, against NumPy.

Tolerances: polyval, polyadd/polysub, polyder/polyint, vander, unwrap and polydiv's steps are
NumPy's own elementwise operations in NumPy's order: exact (rtol 0) for real dtypes; complex
products a few ulps per step (NumPy's SIMD complex multiply may use FMA), polydiv 8 eps; polymul and poly sum the same
products as NumPy's convolve in another order: rtol = 4 * n * eps relative to the largest
coefficient; roots and polyfit go through LAPACK (eigenvalues, least squares): rtol 1e-9
relative to the largest value (the inputs are well conditioned).
"""

import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import starp.numpy as snp
from _helpers import AGAINST_NUMPY, arrays, assert_same, check, eps, to_numpy, to_starp


def rand(shape, dtype, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape)
    if np.dtype(dtype).kind == "c":
        x = x + 1j * rng.standard_normal(shape)
    if np.dtype(dtype).kind in "iu":
        return np.round(5 * x).astype(dtype)
    if np.dtype(dtype).kind == "b":
        return x > 0
    return x.astype(dtype)


def conv(args):
    return [to_starp(a) if isinstance(a, np.ndarray) else a for a in args]


def scaled_close(actual, expected, rtol):
    e = np.asarray(expected)
    finite = e[np.isfinite(e)] if e.size else e
    scale = float(np.max(np.abs(finite))) if finite.size else 1.0
    assert_same(actual, expected, rtol=rtol, atol=rtol * scale)


def close(fn, *args, rtol):
    expected = fn(np, *args)
    actual = fn(snp, *conv(args))
    scaled_close(actual, expected, rtol)
    return actual, expected


def raises_like_numpy(fn, *args):
    with pytest.raises(Exception) as e_np:
        fn(np, *args)
    with pytest.raises(type(e_np.value)):
        r = fn(snp, *conv(args))
        to_numpy(r[0] if isinstance(r, tuple) else r)


def coeffs(p):
    """poly1d coefficients as NumPy (from either poly1d)."""
    return to_numpy(p.coeffs)


def same_poly(actual, expected, rtol=0.0):
    assert type(actual).__name__ == "poly1d"
    assert actual.variable == expected.variable
    assert actual.order == expected.order
    if rtol:
        scaled_close(coeffs(actual), expected.coeffs, rtol)
    else:
        assert_same(coeffs(actual), expected.coeffs)


# ---------------------------------------------------------------------------------------------
# polyval
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("pdtype", ["float64", "float32", "int64", "complex128", "int8"])
@pytest.mark.parametrize("xdtype", ["float64", "float32", "int32", "complex64", "bool"])
@pytest.mark.parametrize("plen", [0, 1, 4, 13])
@pytest.mark.parametrize("xshape", [(), (0,), (7,), (3, 13)], ids=repr)
def test_polyval(xshape, plen, xdtype, pdtype):
    p = rand((plen,), pdtype, seed=plen)
    x = rand(xshape, xdtype, seed=1)
    # NumPy's SIMD complex multiply may fuse (FMA): complex results to a few ulps per step
    res = np.result_type(p, x)
    check(lambda xp, p, x: xp.polyval(p, x), p, x, rtol=4 * max(plen, 1) * eps(res) if res.kind == "c" else 0)


def test_polyval_special():
    p = np.array([1.0, -2.0, 0.5])
    check(lambda xp, p, x: xp.polyval(p, x), p, np.array([np.nan, np.inf, -np.inf, 0.0, -0.0, 1e200]), rtol=0)
    check(lambda xp, p: xp.polyval(p, 3), p, rtol=0)
    check(lambda xp, p: xp.polyval(p, 2.5), p, rtol=0)
    check(lambda xp: xp.polyval([3, 0, 1], [1, 2, 3]), rtol=0)
    check(lambda xp, x: xp.polyval([1, 2], x), np.arange(7, dtype=np.int8) * 20, rtol=0)  # int8 wraps
    # a 2-d p evaluates one polynomial per column of p
    check(lambda xp, p, x: xp.polyval(p, x), rand((4, 3), "float64"), rand((7, 1), "float64"), rtol=0)
    raises_like_numpy(lambda xp, p: xp.polyval(p, 1.0), np.float64(2.0) * np.ones(()))


@given(data=st.data())
def test_polyval_hypothesis(data):
    p = data.draw(arrays("float64", (data.draw(st.integers(0, 6)),)))
    x = data.draw(arrays("float64", data.draw(st.sampled_from([(), (0,), (3,), (2, 5)]))))
    check(lambda xp, p, x: xp.polyval(p, x), p, x, rtol=0)


# ---------------------------------------------------------------------------------------------
# polyadd, polysub, polymul, polydiv, polyder, polyint
# ---------------------------------------------------------------------------------------------

PAIRS = [((3,), (3,)), ((5,), (2,)), ((2,), (7,)), ((1,), (13,)), ((), (4,)), ((4,), ()), ((0,), (3,))]


@pytest.mark.parametrize("sa, sb", PAIRS, ids=repr)
@pytest.mark.parametrize("da, db", [("float64", "float64"), ("int64", "float32"), ("int8", "int16"), ("complex128", "float64"),
                                    ("bool", "int32"), ("float32", "float32")])
def test_polyadd_polysub(sa, sb, da, db):
    a, b = rand(sa, da, 1), rand(sb, db, 2)
    check(lambda xp, a, b: xp.polyadd(a, b), a, b, rtol=0)
    check(lambda xp, a, b: xp.polysub(a, b), a, b, rtol=0)
    check(lambda xp, a: xp.polysub(a, a), a, rtol=0)  # bool - bool: TypeError in both


def test_polyadd_lists():
    check(lambda xp: xp.polyadd([1, 2], [9, 5, 4]), rtol=0)
    check(lambda xp: xp.polysub([1.5, 2], 3), rtol=0)


@pytest.mark.parametrize("sa, sb", [((3,), (3,)), ((5,), (2,)), ((2,), (7,)), ((1,), (13,)), ((), (4,)), ((13,), (7,))], ids=repr)
@pytest.mark.parametrize("da, db", [("int64", "int64"), ("int8", "int8"), ("int32", "uint8")])
def test_polymul_integers_exact(sa, sb, da, db):
    a, b = rand(sa, da, 3), rand(sb, db, 4)
    check(lambda xp, a, b: xp.polymul(a, b), a, b)


@pytest.mark.parametrize("sa, sb", [((3,), (3,)), ((5,), (2,)), ((2,), (7,)), ((13,), (13,)), ((), (4,))], ids=repr)
@pytest.mark.parametrize("da, db", [("float64", "float64"), ("float32", "float32"), ("float32", "int64"), ("complex128", "float64"),
                                    ("complex64", "complex64")])
def test_polymul_floats(sa, sb, da, db):
    a, b = rand(sa, da, 5), rand(sb, db, 6)
    n = max(sum(sa) + sum(sb), 1)
    close(lambda xp, a, b: xp.polymul(a, b), a, b, rtol=4 * n * eps(np.result_type(a, b)))


def test_polymul_trims_leading_zeros():
    check(lambda xp, a, b: xp.polymul(a, b), np.array([0.0, 0.0, 1.0, 2.0]), np.array([0, 3, 4]), rtol=0)
    check(lambda xp, a, b: xp.polymul(a, b), np.zeros(3), np.array([1.0, 2.0]), rtol=0)
    check(lambda xp, a, b: xp.polymul(a, b), np.array([0.0, np.nan, 1.0]), np.array([1.0, 2.0]), rtol=0)
    check(lambda xp: xp.polymul([1, 2, 3], [9, 5, 1]), rtol=0)
    check(lambda xp, a: xp.polymul(a, a), np.array([True, False, True]), rtol=0)
    raises_like_numpy(lambda xp, a, b: xp.polymul(a, b), np.ones((2, 2)), np.ones(2))


@pytest.mark.parametrize(
    "u, v",
    [([1.0, -6, 11, -6], [1.0, -1]), ([3.0, 5, 2], [2.0, 1]), ([1.0, 2], [1.0, 2, 3]), ([1, 0, -1], [1, 1]), ([4.0], [2.0]),
     ([1.0, 2, 3, 4, 5, 6, 7], [2.0, 0.5, 1]), ([2.0, 1e-9, 3], [1.0]), ([1.0, 1, 1e-9, 1e-12], [1.0, 1]),
     ([1.0, 2], [0.0, 1]), ([1 + 2j, 3, 4j], [1j, 2]), ([0.0, 0.0, 1.0], [1.0, 1.0]), ([np.nan, 1.0], [1.0, 1.0])],
    ids=repr,
)
def test_polydiv(u, v):
    u, v = np.asarray(u), np.asarray(v)
    expected = np.polydiv(u, v)
    actual = snp.polydiv(to_starp(u), to_starp(v))
    for a, e in zip(actual, expected):
        scaled_close(a, e, 8 * eps(np.float64))


@pytest.mark.parametrize("du, dv", [("float32", "float32"), ("int64", "int8"), ("complex64", "float32"), ("float32", "float64")])
def test_polydiv_dtypes(du, dv):
    u, v = rand((7,), du, 1), rand((3,), dv, 2)
    if np.dtype(dv).kind in "iu":
        v[0] = 3
    expected = np.polydiv(u, v)
    actual = snp.polydiv(to_starp(u), to_starp(v))
    for a, e in zip(actual, expected):
        scaled_close(a, e, 64 * eps(np.asarray(e).dtype))


def test_polydiv_errors():
    raises_like_numpy(lambda xp, u, v: xp.polydiv(u, v), np.ones(0), np.ones(2))
    raises_like_numpy(lambda xp, u, v: xp.polydiv(u, v), np.ones(3), np.ones(0))


@pytest.mark.parametrize("m", [0, 1, 2, 4, 7])
@pytest.mark.parametrize("dtype", ["float64", "float32", "int64", "complex128", "int8"])
@pytest.mark.parametrize("n", [0, 1, 2, 7, 13])
def test_polyder(n, dtype, m):
    p = rand((n,), dtype, seed=n)
    check(lambda xp, p: xp.polyder(p, m), p, rtol=0)


@pytest.mark.parametrize("m, k", [(0, None), (1, None), (2, None), (3, None), (1, 2.5), (2, 3), (2, [1, 2]), (3, [1.0, 2.0, 3.0]),
                                  (1, np.array([4])), (2, [1.0, 2.0, 3.0])], ids=repr)
@pytest.mark.parametrize("dtype", ["float64", "float32", "int64", "complex128"])
@pytest.mark.parametrize("n", [0, 1, 4, 13])
def test_polyint(n, dtype, m, k):
    p = rand((n,), dtype, seed=n + 1)
    check(lambda xp, p: xp.polyint(p, m, k), p, rtol=0)


def test_polyder_polyint_errors():
    raises_like_numpy(lambda xp, p: xp.polyder(p, -1), np.ones(3))
    raises_like_numpy(lambda xp, p: xp.polyint(p, -1), np.ones(3))
    raises_like_numpy(lambda xp, p: xp.polyint(p, 3, [1, 2]), np.ones(3))
    raises_like_numpy(lambda xp, p: xp.polyder(p), np.ones(()))
    raises_like_numpy(lambda xp, p: xp.polyint(p), np.ones(()))


# ---------------------------------------------------------------------------------------------
# poly, roots
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "zeros",
    [[1.0, 2.0, 3.0], [1, 2, 3], [2.0], [0.5, -0.25, 3.0, 7.0, -2.0, 1.5, 4.0], [1 + 2j, 1 - 2j, 3.0], [1 + 2j, 3.0],
     [1j, -1j], [True, False], np.arange(13) / 3.0, [0.0, 0.0]],
    ids=repr,
)
def test_poly(zeros):
    z = np.asarray(zeros)
    close(lambda xp, z: xp.poly(z), z, rtol=4 * len(z) * eps(np.float64))


@pytest.mark.parametrize("dtype", ["float32", "complex64", "uint8", "int16"])
def test_poly_dtypes(dtype):
    z = rand((7,), dtype, seed=3)
    close(lambda xp, z: xp.poly(z), z, rtol=28 * eps(np.result_type(z.dtype, np.float32) if dtype in ("float32", "complex64") else np.float64))


def test_poly_empty_and_scalar():
    assert snp.poly(to_starp(np.zeros(0))) == np.poly(np.zeros(0)) == 1.0
    raises_like_numpy(lambda xp: xp.poly(2.5))  # NumPy's dispatcher iterates the argument
    raises_like_numpy(lambda xp, z: xp.poly(z), np.ones(()))


@pytest.mark.parametrize("seed", range(3))
def test_poly_of_matrix(seed):
    a = rand((4, 4), "float64", seed=seed)
    close(lambda xp, a: xp.poly(a), a, rtol=1e-12)
    s = a + a.T  # real eigenvalues
    close(lambda xp, a: xp.poly(a), s, rtol=1e-12)


def test_poly_errors():
    for shape in ((2, 3), (0, 0), (2, 2, 2)):
        raises_like_numpy(lambda xp, a: xp.poly(a), np.ones(shape))


def sorted_complex(x):
    x = np.asarray(x)
    return x[np.lexsort((np.round(x.imag, 8), np.round(x.real, 8)))]


@pytest.mark.parametrize(
    "p",
    [[1.0, -6, 11, -6], [1, -6, 11, -6], [0.0, 0.0, 1.0, -3.0, 2.0, 0.0, 0.0], [2.0, 0.0, 0.0], [0.0, 0.0], [5.0], [0.0, 3.0],
     [1.0, 0, 1], [1.0, 2, 3, 4, 5, 6, 7], [1 + 1j, 2, 3j], [1.0, 1.0], [3, 0, 0, 0]],
    ids=repr,
)
def test_roots(p):
    p = np.asarray(p)
    expected = np.roots(p)
    actual = to_numpy(snp.roots(to_starp(p)))
    assert actual.dtype == expected.dtype and actual.shape == expected.shape
    scaled_close(sorted_complex(actual), sorted_complex(expected), 1e-9)


@pytest.mark.parametrize("dtype", ["float32", "complex64", "int8", "float64"])
def test_roots_dtypes(dtype):
    p = rand((7,), dtype, seed=5)
    p[0] = 3
    expected = np.roots(p)
    actual = to_numpy(snp.roots(to_starp(p)))
    assert actual.dtype == expected.dtype and actual.shape == expected.shape
    scaled_close(sorted_complex(actual), sorted_complex(expected), 1e-9 if expected.dtype.itemsize in (8, 16) and expected.dtype != np.complex64 else 1e-5)


def test_roots_errors():
    raises_like_numpy(lambda xp, p: xp.roots(p), np.ones((2, 2)))
    raises_like_numpy(lambda xp, p: xp.roots(p), np.ones(()))
    raises_like_numpy(lambda xp: xp.roots(3.0))
    check(lambda xp, p: xp.roots(p), np.zeros(0))


# ---------------------------------------------------------------------------------------------
# polyfit
# ---------------------------------------------------------------------------------------------


def fit_data(n, dtype="float64", ncols=None, seed=0):
    rng = np.random.default_rng(seed)
    x = np.linspace(-1.0, 2.0, n).astype(dtype)
    base = 1.0 - 2.0 * x + 0.5 * x**2
    if ncols is None:
        y = base + 0.1 * rng.standard_normal(n)
    else:
        y = base[:, None] * np.arange(1, ncols + 1) + 0.1 * rng.standard_normal((n, ncols))
    return x, y


@pytest.mark.parametrize("deg", [0, 1, 2, 3, 5])
@pytest.mark.parametrize("ncols", [None, 3])
@pytest.mark.parametrize("n", [7, 13])
def test_polyfit(n, ncols, deg):
    x, y = fit_data(n, ncols=ncols, seed=deg)
    close(lambda xp, x, y: xp.polyfit(x, y, deg), x, y, rtol=1e-9)


@pytest.mark.parametrize("ncols", [None, 2])
def test_polyfit_full_weights_cov(ncols):
    x, y = fit_data(13, ncols=ncols, seed=1)
    w = np.linspace(0.5, 2.0, 13)
    close(lambda xp, x, y, w: xp.polyfit(x, y, 3, w=w), x, y, w, rtol=1e-9)
    for i in range(5):
        r = close(lambda xp, x, y: xp.polyfit(x, y, 3, full=True)[i], x, y, rtol=1e-9)
    assert float(to_numpy(r[0])) == float(r[1])  # rcond: len(x) * eps
    r = close(lambda xp, x, y: xp.polyfit(x, y, 2, full=True, rcond=1e-3)[2], x, y, rtol=0)
    for cov in (True, "unscaled"):
        close(lambda xp, x, y: xp.polyfit(x, y, 2, cov=cov)[0], x, y, rtol=1e-9)
        close(lambda xp, x, y: xp.polyfit(x, y, 2, cov=cov)[1], x, y, rtol=1e-8)
        close(lambda xp, x, y, w: xp.polyfit(x, y, 2, w=w, cov=cov)[1], x, y, w, rtol=1e-8)


@pytest.mark.parametrize("xd, yd", [("float32", "float32"), ("int64", "float64"), ("float64", "complex128"), ("int32", "int64"),
                                    ("float64", "float32")])
def test_polyfit_dtypes(xd, yd):
    x, y = fit_data(13, seed=2)
    x = (x * 4).astype(xd)
    y = (y * 4).astype(yd) if np.dtype(yd).kind != "c" else y + 1j * y[::-1]
    close(lambda xp, x, y: xp.polyfit(x, y, 2), x, y, rtol=1e-5 if "float32" in (xd, yd) else 1e-9)
    w = np.linspace(1, 2, 13).astype(np.float32)
    close(lambda xp, x, y, w: xp.polyfit(x, y, 2, w=w), x, y, w, rtol=1e-5 if "float32" in (xd, yd) else 1e-9)


def test_polyfit_rank_warning():
    x = np.array([0.0, 1.0, 2.0])
    y = np.array([1.0, 3.0, 2.0])
    with pytest.warns(np.exceptions.RankWarning, match="Polyfit may be poorly conditioned"):
        expected = np.polyfit(x, y, 4)
    with pytest.warns(np.exceptions.RankWarning, match="Polyfit may be poorly conditioned"):
        actual = snp.polyfit(to_starp(x), to_starp(y), 4)
    scaled_close(actual, expected, 1e-9)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r = snp.polyfit(to_starp(x), to_starp(y), 4, full=True)  # no warning with full=True
        assert int(to_numpy(r[2])) == 3


@pytest.mark.parametrize(
    "x, y, kw",
    [(np.ones(3), np.ones(3), {"deg": -1}), (np.ones((3, 1)), np.ones(3), {"deg": 1}), (np.ones(0), np.ones(0), {"deg": 1}),
     (np.ones(3), np.ones((3, 1, 1)), {"deg": 1}), (np.ones(3), np.ones(()), {"deg": 1}), (np.ones(3), np.ones(4), {"deg": 1}),
     (np.ones(3), np.ones(3), {"deg": 1, "w": np.ones((3, 1))}), (np.ones(3), np.ones(3), {"deg": 1, "w": np.ones(2)}),
     (np.arange(3.0), np.ones(3), {"deg": 2, "cov": True})],
    ids=repr,
)
def test_polyfit_errors(x, y, kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        raises_like_numpy(lambda xp, x, y: xp.polyfit(x, y, **kw), x, y)


# ---------------------------------------------------------------------------------------------
# vander
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("increasing", [False, True])
@pytest.mark.parametrize("N", [None, 0, 1, 2, 3, 7])
@pytest.mark.parametrize("dtype", ["float64", "float32", "int64", "int8", "uint64", "uint8", "bool", "complex64", "complex128"])
@pytest.mark.parametrize("n", [0, 1, 7, 13])
def test_vander(n, dtype, N, increasing):
    x = rand((n,), dtype, seed=n)
    # complex products: NumPy's SIMD complex multiply may fuse (FMA), a few ulps
    rtol = 4 * (N or n) * eps(np.complex128) if "complex" in dtype else 0
    check(lambda xp, x: xp.vander(x, N, increasing=increasing), x, rtol=rtol)


def test_vander_special_values():
    x = np.array([np.nan, np.inf, -np.inf, 0.0, -0.0, 1e200, 3.0])
    check(lambda xp, x: xp.vander(x), x, rtol=0)
    z = np.array([complex(np.inf, 0.0), complex(0.0, -0.0), complex(-0.0, 1.0), 1j])
    check(lambda xp, x: xp.vander(x, 4, increasing=True), z, rtol=0)
    check(lambda xp: xp.vander([1, 2, 3], 4), rtol=0)
    check(lambda xp, x: xp.vander(x, np.int64(3)), np.arange(4), rtol=0)


def test_vander_errors():
    raises_like_numpy(lambda xp, x: xp.vander(x), np.ones((2, 2)))
    raises_like_numpy(lambda xp, x: xp.vander(x), np.ones(()))
    raises_like_numpy(lambda xp, x: xp.vander(x, -1), np.ones(3))
    raises_like_numpy(lambda xp, x: xp.vander(x, 2.0), np.ones(3))


# ---------------------------------------------------------------------------------------------
# unwrap
# ---------------------------------------------------------------------------------------------


def phase_walk(shape, seed=0, step=2.5):
    rng = np.random.default_rng(seed)
    return np.cumsum(rng.uniform(-step, step, size=shape), axis=-1) % (2 * np.pi)


@pytest.mark.parametrize("shape, axis", [((13,), -1), ((13,), 0), ((3, 13), -1), ((3, 13), 1), ((13, 3), 0), ((2, 3, 7), 1)], ids=repr)
@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("discont", [None, 1.0, 4.0])
def test_unwrap(shape, axis, dtype, discont):
    p = phase_walk(shape, seed=len(shape)).astype(dtype)
    check(lambda xp, p: xp.unwrap(p, discont=discont, axis=axis), p, rtol=0)


@pytest.mark.parametrize("period", [360, 360.0, 4, 5, 2.5, np.float32(6.0)], ids=repr)
@pytest.mark.parametrize("dtype", ["float64", "int64", "int32", "float32"])
def test_unwrap_period(period, dtype):
    rng = np.random.default_rng(1)
    p = (np.cumsum(rng.integers(-3, 4, size=13) * period / 4) % period).astype(dtype)
    check(lambda xp, p: xp.unwrap(p, period=period), p, rtol=0)
    check(lambda xp, p: xp.unwrap(p, discont=period / 3, period=period), p, rtol=0)


def test_unwrap_boundary_and_special():
    # differences of exactly +-period/2 (NumPy's boundary_ambiguous correction)
    p = np.array([0.0, np.pi, 0.0, -np.pi, 2 * np.pi, np.pi])
    check(lambda xp, p: xp.unwrap(p), p, rtol=0)
    check(lambda xp, p: xp.unwrap(p, period=4), np.array([0, 2, 0, -2, 4, 2, 5, 1]), rtol=0)
    check(lambda xp, p: xp.unwrap(p), np.array([0.0, np.nan, 6.0, 0.5, np.inf, 1.0]), rtol=0)
    check(lambda xp, p: xp.unwrap(p), np.zeros(0), rtol=0)
    check(lambda xp, p: xp.unwrap(p), np.zeros(1), rtol=0)
    check(lambda xp, p: xp.unwrap(p), np.zeros((3, 0)), rtol=0)
    check(lambda xp: xp.unwrap([0.0, 6.0, 0.5]), rtol=0)
    raises_like_numpy(lambda xp, p: xp.unwrap(p), np.ones(()))
    raises_like_numpy(lambda xp, p: xp.unwrap(p, axis=2), np.ones((3, 4)))


@given(data=st.data())
def test_unwrap_hypothesis(data):
    shape = data.draw(st.sampled_from([(1,), (7,), (3, 5)]))
    p = data.draw(arrays("float64", shape, lo=-20.0, hi=20.0))
    check(lambda xp, p: xp.unwrap(p), p, rtol=0)


# ---------------------------------------------------------------------------------------------
# poly1d
# ---------------------------------------------------------------------------------------------


def test_poly1d_construction():
    for c in ([1.0, 2.0, 3.0], [0.0, 0.0, 1.0, 2.0], [0, 0], [5], np.array(2.5), [0.0, np.nan, 1.0], [1 + 2j, 0]):
        c = np.asarray(c)
        same_poly(snp.poly1d(to_starp(c)), np.poly1d(c))
        same_poly(snp.poly1d(c.tolist()), np.poly1d(c.tolist()))
    same_poly(snp.poly1d(to_starp(np.array([1.0, 2.0])), variable="z"), np.poly1d([1.0, 2.0], variable="z"))
    same_poly(snp.poly1d(to_starp(np.array([1.0, 2.0, 3.0])), r=True), np.poly1d([1.0, 2.0, 3.0], r=True), rtol=1e-15)
    same_poly(snp.poly1d([2, 3], True), np.poly1d([2, 3], True))
    p = snp.poly1d([1.0, 2.0])
    same_poly(snp.poly1d(p), np.poly1d([1.0, 2.0]))
    same_poly(snp.poly1d(p, variable="t"), np.poly1d(np.poly1d([1.0, 2.0]), variable="t"))
    with pytest.raises(ValueError):
        snp.poly1d(to_starp(np.ones((2, 2))))
    with pytest.raises(AttributeError):
        p.coeffs = to_starp(np.ones(2))


def test_poly1d_attributes_and_printing():
    c = np.array([0.0, 1.5, -2.0, 0.0, 3.25])
    e, a = np.poly1d(c), snp.poly1d(to_starp(c))
    assert a.order == a.o == e.order and len(a) == len(e)
    assert_same(a.c, e.c)
    assert_same(a.coef, e.coef)
    assert_same(a.coefficients, e.coefficients)
    assert a.variable == e.variable
    assert str(a) == str(e) and repr(a) == repr(e)
    assert_same(np.asarray(a), np.asarray(e))
    assert_same(np.asarray(a, dtype=np.float32), np.asarray(e, dtype=np.float32))
    for k in (-1, 0, 1, 3, 4, 9):
        assert_same(a[k], e[k])
    assert [float(to_numpy(v)) for v in a] == [float(v) for v in e]
    assert_same(sorted_complex(to_numpy(a.roots)), sorted_complex(e.roots), rtol=1e-9)
    assert_same(sorted_complex(to_numpy(a.r)), sorted_complex(e.r), rtol=1e-9)
    z = np.array([1 + 2j, -3j, 2.0])
    assert str(snp.poly1d(to_starp(z), variable="s")) == str(np.poly1d(z, variable="s"))
    assert repr(snp.poly1d(to_starp(z))) == repr(np.poly1d(z))


def test_poly1d_setitem():
    e, a = np.poly1d([1.0, 2.0, 3.0]), snp.poly1d(to_starp(np.array([1.0, 2.0, 3.0])))
    for k, v in ((0, 7.0), (2, -1.0), (5, 4.0)):
        e[k] = v
        a[k] = v
        same_poly(a, e)
    with pytest.raises(ValueError):
        a[-1] = 2.0


def test_poly1d_call():
    e, a = np.poly1d([1.0, -2.0, 0.5]), snp.poly1d(to_starp(np.array([1.0, -2.0, 0.5])))
    x = rand((3, 7), "float64")
    assert_same(a(to_starp(x)), e(x), rtol=0)
    assert_same(a(2.5), e(2.5), rtol=0)
    assert_same(a(3), e(3), rtol=0)
    same_poly(a(snp.poly1d([1.0, 1.0])), e(np.poly1d([1.0, 1.0])))


def test_poly1d_arithmetic():
    pe, qe = np.poly1d([1.0, -2.0, 0.5]), np.poly1d([3.0, 1.0])
    pa, qa = snp.poly1d(to_starp(np.array([1.0, -2.0, 0.5]))), snp.poly1d([3.0, 1.0])
    same_poly(pa + qa, pe + qe)
    same_poly(pa - qa, pe - qe)
    same_poly(qa - pa, qe - pe)
    same_poly(pa * qa, pe * qe)
    same_poly(pa * 2, pe * 2)
    same_poly(2.5 * pa, 2.5 * pe)
    same_poly(pa + [1, 1], pe + [1, 1])
    same_poly([1, 1] + pa, [1, 1] + pe)
    same_poly([1, 1] - pa, [1, 1] - pe)
    same_poly(pa - pa, pe - pe)
    same_poly(-pa, -pe)
    same_poly(+pa, +pe)
    same_poly(pa**0, pe**0)
    same_poly(pa**3, pe**3, rtol=1e-14)
    same_poly(pa / 2.0, pe / 2.0)
    same_poly(2.0 / qa, 2.0 / qe)
    for x, y in zip(pa / qa, pe / qe):
        same_poly(x, y, rtol=1e-15)
    for x, y in zip([1.0, 2.0, 3.0, 4.0] / qa, [1.0, 2.0, 3.0, 4.0] / qe):
        same_poly(x, y, rtol=1e-15)
    with pytest.raises(ValueError):
        pa**-1
    with pytest.raises(ValueError):
        pa**1.5
    same_poly(pa.deriv(), pe.deriv())
    same_poly(pa.deriv(2), pe.deriv(2))
    same_poly(pa.integ(), pe.integ())
    same_poly(pa.integ(2, k=[1.0, 2.0]), pe.integ(2, k=[1.0, 2.0]))
    same_poly(snp.polyder(pa), np.polyder(pe))
    same_poly(snp.polyint(pa, 0), np.polyint(pe, 0))
    same_poly(snp.polyadd(pa, [1.0]), np.polyadd(pe, [1.0]))
    same_poly(snp.polysub([1.0], pa), np.polysub([1.0], pe))
    same_poly(snp.polymul(pa, [2.0, 0.0]), np.polymul(pe, [2.0, 0.0]))
    for x, y in zip(snp.polydiv(pa, [1.0, 1.0]), np.polydiv(pe, [1.0, 1.0])):
        same_poly(x, y, rtol=1e-15)


def test_poly1d_equality():
    a, b = snp.poly1d([1.0, 2.0]), snp.poly1d([0.0, 1.0, 2.0])
    assert a == b
    assert not (a != b)
    assert a != snp.poly1d([1.0, 3.0])
    assert a != snp.poly1d([1.0, 2.0, 3.0])
    assert (a == [1.0, 2.0]) is False  # NotImplemented: Python falls back to identity
    assert snp.poly1d.__hash__ is None


@pytest.mark.skipif(AGAINST_NUMPY, reason="starp's poly1d holds starp arrays")
def test_poly1d_holds_starp_arrays_and_is_lazy():
    p = snp.poly1d(to_starp(np.array([0.0, 1.0, 2.0])))
    assert isinstance(p.coeffs, snp.ndarray)
    r = p(to_starp(np.arange(7.0)))
    assert isinstance(r, snp.ndarray)
    assert_same(r, np.poly1d([1.0, 2.0])(np.arange(7.0)), rtol=0)
