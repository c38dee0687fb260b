"""Window functions (bartlett, blackman, hamming, hanning, kaiser), sinc and i0 against NumPy.

Tolerances: bartlett is exact (NumPy's divisions and additions); the others go through starp's
vectorized cos/sin/exp, which may differ from NumPy's by an ulp or two: rtol = 8 eps of the
result's dtype (i0's and kaiser's 30-term Chebyshev series: 16 eps, relative to each value),
plus 8 eps absolute where a window or sinc crosses zero (there the relative error of a rounded
cos/sin is unbounded).
"""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import starp.numpy as snp
from _helpers import arrays, assert_same, check, eps, to_numpy, to_starp

LENGTHS = [-3, 0, 1, 2, 3, 7, 13, 64, 7.5, 2.5, np.int64(7), np.float32(13), True]
WINDOWS = ["bartlett", "blackman", "hamming", "hanning"]


@pytest.mark.parametrize("M", LENGTHS, ids=repr)
@pytest.mark.parametrize("name", WINDOWS)
def test_windows(name, M):
    rtol = 0 if name == "bartlett" else 8 * eps(np.float64)
    check(lambda xp: getattr(xp, name)(M), rtol=rtol, atol=8 * eps(np.float64))


@pytest.mark.parametrize("name", WINDOWS + ["kaiser"])
def test_window_bad_lengths(name):
    args = (14.0,) if name == "kaiser" else ()
    for M in ("7", [3, 4], None):
        with pytest.raises(Exception) as e_np:
            getattr(np, name)(M, *args)
        with pytest.raises(type(e_np.value)):
            to_numpy(getattr(snp, name)(M, *args))


@pytest.mark.parametrize("beta", [0.0, 5.0, 6, 8.6, 14.0, 50.0, -3.0])
@pytest.mark.parametrize("M", [-3, 0, 1, 2, 7, 13, 64, 7.5, np.int64(12)], ids=repr)
def test_kaiser(M, beta):
    check(lambda xp: xp.kaiser(M, beta), rtol=16 * eps(np.float64), atol=1e-300)


@pytest.mark.parametrize("dtype", ["float64", "float32", "int64", "int8", "uint16", "bool", "complex128", "complex64"])
@pytest.mark.parametrize("shape", [(), (0,), (7,), (3, 13)], ids=repr)
def test_sinc(shape, dtype):
    rng = np.random.default_rng(len(shape))
    x = rng.uniform(-6, 6, size=shape)
    if np.dtype(dtype).kind == "c":
        x = x + 1j * rng.uniform(-2, 2, size=shape)
    x = (x > 0) if dtype == "bool" else x.astype(dtype)
    res = np.sinc(x).dtype
    check(lambda xp, x: xp.sinc(x), x, rtol=8 * eps(res), atol=8 * eps(res))


def test_sinc_special_values():
    x = np.array([0.0, -0.0, 1.0, -1.0, 0.5, np.nan, np.inf, -np.inf, 1e-30, 1e300, 2.0, 100.0])
    check(lambda xp, x: xp.sinc(x), x, rtol=8 * eps(np.float64), atol=8 * eps(np.float64))
    check(lambda xp, x: xp.sinc(x), x.astype(np.float32), rtol=8 * eps(np.float32), atol=8 * eps(np.float32))
    check(lambda xp: xp.sinc(0), rtol=0)
    check(lambda xp: xp.sinc([0.25, 0]), rtol=8 * eps(np.float64))
    z = np.array([0j, complex(0, 1e-30), complex(np.nan, 0), 1 + 1j])
    check(lambda xp, x: xp.sinc(x), z, rtol=8 * eps(np.float64))


@pytest.mark.parametrize("dtype", ["float64", "float32", "int64", "int16", "uint8", "bool"])
@pytest.mark.parametrize("shape", [(), (0,), (7,), (3, 13)], ids=repr)
def test_i0(shape, dtype):
    rng = np.random.default_rng(len(shape) + 3)
    x = rng.uniform(-30, 30, size=shape)
    x = (x > 0) if dtype == "bool" else x.astype(dtype) if np.dtype(dtype).kind == "f" else np.round(x).astype(dtype) if dtype != "uint8" else np.abs(np.round(x)).astype(dtype)
    res = np.i0(x).dtype
    check(lambda xp, x: xp.i0(x), x, rtol=16 * eps(res))


def test_i0_special_values():
    # both Chebyshev branches (|x| <= 8, > 8), the boundary, overflow to inf, NaN, -0.0
    x = np.array([0.0, -0.0, 1e-300, 7.999999, 8.0, 8.000001, -8.0, 20.0, 700.0, 713.9, 720.0, -750.0, np.inf, -np.inf,
                  np.nan])
    check(lambda xp, x: xp.i0(x), x, rtol=16 * eps(np.float64))
    check(lambda xp, x: xp.i0(x), x.astype(np.float32), rtol=16 * eps(np.float32))
    check(lambda xp: xp.i0(2.5), rtol=16 * eps(np.float64))
    check(lambda xp: xp.i0([0, 1, 2, 3]), rtol=16 * eps(np.float64))


def test_i0_complex_raises():
    for x in (np.array([1 + 1j]), np.array(2j), np.ones((2, 2), np.complex64)):
        check(lambda xp, x: xp.i0(x), x)


@given(data=st.data())
def test_i0_sinc_hypothesis(data):
    dtype = data.draw(st.sampled_from(["float32", "float64"]))
    x = data.draw(arrays(dtype, data.draw(st.sampled_from([(), (1,), (7,), (2, 5)])), lo=-40.0, hi=40.0))
    check(lambda xp, x: xp.i0(x), x, rtol=16 * eps(dtype))
    check(lambda xp, x: xp.sinc(x), x, rtol=8 * eps(dtype), atol=8 * eps(dtype))


def test_windows_are_float64_and_lazy_friendly():
    # combine a window with an array computation, as NumPy programs do
    sig = np.sin(np.arange(13) / 2.0)
    expected = np.hanning(13) * sig + np.kaiser(13, 5.0)
    actual = snp.hanning(13) * to_starp(sig) + snp.kaiser(13, 5.0)
    assert_same(actual, expected, rtol=16 * eps(np.float64), atol=16 * eps(np.float64))
