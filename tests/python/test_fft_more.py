"""starp.numpy.fft.hfft and ihfft against NumPy.

Both are irfft/rfft with a conjugate and the normalization's direction swapped, computed by
rustfft in the input's precision (NumPy: pocketfft): values are compared with
rtol = 8 * log2(n) * eps(dtype) relative to the largest magnitude of the result.
"""

import numpy as np
import pytest

import starp.numpy as snp
from _helpers import assert_same, check, eps, to_numpy, to_starp

NORMS = [None, "backward", "ortho", "forward"]


def rand(shape, dtype, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape)
    if np.dtype(dtype).kind == "c":
        x = x + 1j * rng.standard_normal(shape)
    if np.dtype(dtype).kind in "iub":
        return np.round(4 * x).astype(dtype)
    return x.astype(dtype)


def close(fn, a, n_points):
    expected = fn(np, a)
    actual = fn(snp, to_starp(a))
    e = np.asarray(expected)
    rtol = 8 * max(np.log2(max(n_points, 2)), 1) * eps(e.dtype)
    scale = float(np.max(np.abs(e))) if e.size else 1.0
    assert_same(actual, expected, rtol=rtol, atol=rtol * scale)


@pytest.mark.parametrize("norm", NORMS)
@pytest.mark.parametrize("n", [None, 1, 2, 7, 12, 13, 30])
@pytest.mark.parametrize("dtype", ["float64", "float32", "complex128", "complex64", "int64", "bool"])
@pytest.mark.parametrize("shape, axis", [((7,), -1), ((13,), 0), ((3, 13), -1), ((13, 3), 0), ((2, 3, 4), 1)], ids=repr)
def test_hfft(shape, axis, dtype, n, norm):
    a = rand(shape, dtype, seed=len(shape))
    m = n if n is not None else 2 * (shape[axis] - 1)
    close(lambda xp, a: xp.fft.hfft(a, n=n, axis=axis, norm=norm), a, m)


@pytest.mark.parametrize("norm", NORMS)
@pytest.mark.parametrize("n", [None, 1, 2, 7, 12, 13, 30])
@pytest.mark.parametrize("dtype", ["float64", "float32", "int64", "bool"])
@pytest.mark.parametrize("shape, axis", [((7,), -1), ((13,), 0), ((3, 13), -1), ((13, 3), 0), ((2, 3, 4), 1)], ids=repr)
def test_ihfft(shape, axis, dtype, n, norm):
    a = rand(shape, dtype, seed=len(shape) + 1)
    m = n if n is not None else shape[axis]
    close(lambda xp, a: xp.fft.ihfft(a, n=n, axis=axis, norm=norm), a, m)


@pytest.mark.parametrize("norm", NORMS)
@pytest.mark.parametrize("m", [7, 8, 13])
def test_roundtrip(m, norm):
    # hfft(ihfft(x), m) == x for real x of length m (NumPy's own identity)
    x = rand((3, m), "float64", seed=m)
    close(lambda xp, a: xp.fft.hfft(xp.fft.ihfft(a, norm=norm), m, norm=norm), x, m)
    close(lambda xp, a: xp.fft.ihfft(xp.fft.hfft(a, 2 * m - 2, axis=0, norm=norm), axis=0, norm=norm)[:m], x.T + 0j, m)


def test_special_values():
    a = np.array([1.0, np.nan, 2.0, np.inf, -1.0, 0.5, 3.0])
    check(lambda xp, a: xp.fft.hfft(a), a)
    check(lambda xp, a: xp.fft.ihfft(a), a)
    check(lambda xp, a: xp.fft.hfft(a, n=4), a)  # the input is cut to n // 2 + 1 = 3 values
    z = np.zeros(7)
    check(lambda xp, a: xp.fft.hfft(a), z)
    check(lambda xp, a: xp.fft.ihfft(a), z)


def test_length_one_hfft():
    check(lambda xp, a: xp.fft.hfft(a, n=1), np.array([2.0, 1.0]))
    check(lambda xp, a: xp.fft.ihfft(a), np.array([2.5]))


@pytest.mark.parametrize(
    "fn, a",
    [
        (lambda xp, a: xp.fft.hfft(a), np.ones(())),                 # 0-d
        (lambda xp, a: xp.fft.ihfft(a), np.ones(())),
        (lambda xp, a: xp.fft.hfft(a), np.ones(1)),                  # n = 0
        (lambda xp, a: xp.fft.hfft(a, n=0), np.ones(7)),
        (lambda xp, a: xp.fft.hfft(a, n=-2), np.ones(7)),
        (lambda xp, a: xp.fft.ihfft(a, n=0), np.ones(7)),
        (lambda xp, a: xp.fft.ihfft(a), np.ones(0)),
        (lambda xp, a: xp.fft.hfft(a), np.ones(0)),
        (lambda xp, a: xp.fft.hfft(a, axis=2), np.ones((3, 4))),
        (lambda xp, a: xp.fft.ihfft(a, axis=-3), np.ones((3, 4))),
        (lambda xp, a: xp.fft.hfft(a, norm="bad"), np.ones(7)),
        (lambda xp, a: xp.fft.ihfft(a, norm="Ortho"), np.ones(7)),
        (lambda xp, a: xp.fft.ihfft(a), np.ones(7, dtype=complex)),   # rfft of complex
    ],
)
def test_errors(fn, a):
    with pytest.raises(Exception) as e_np:
        fn(np, a)
    with pytest.raises(type(e_np.value)):
        to_numpy(fn(snp, to_starp(a)))


def test_python_list_input():
    # rounding noise of about eps * max|result| where NumPy has exact zeros
    check(lambda xp: xp.fft.hfft([1.0, 2.0, 3.0, 4.0]), rtol=1e-12, atol=1e-13)
    check(lambda xp: xp.fft.ihfft([1, 2, 3, 4, 5]), rtol=1e-12, atol=1e-13)
