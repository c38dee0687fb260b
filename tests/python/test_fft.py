"""starp.numpy.fft against numpy.fft (NumPy 2: float32 stays single precision)."""

import numpy as np
import pytest

import starp.numpy as snp
from _helpers import assert_same, check, eps, is_starp, starp_only, to_numpy, to_starp

NORMS = [None, "backward", "ortho", "forward"]
SIZES = [1, 2, 5, 7, 8, 9, 12, 16]  # 5 and 7 prime, odd, even, powers of two
DTYPES = ["float64", "float32", "complex128", "complex64", "int64"]


def rand(shape, dtype, seed=0):
    rng = np.random.default_rng(seed)
    if np.dtype(dtype).kind in "iub":
        return rng.integers(-5, 6, shape).astype(dtype)
    x = rng.standard_normal(shape)
    if np.dtype(dtype).kind == "c":
        x = x + 1j * rng.standard_normal(shape)
    return x.astype(dtype)


def compare(fn, x, *args):
    """fn(np, x) vs fn(snp, x): same dtype and shape; values within an FFT's rounding."""
    expected = np.asarray(fn(np, x, *args))
    actual = fn(snp, to_starp(x), *args)
    if is_starp(actual) or not isinstance(actual, np.ndarray):
        pass
    n = max(x.size, expected.size, 2)
    ep = eps(expected.dtype)
    scale = float(np.max(np.abs(expected))) if expected.size else 1.0
    t = 16 * ep * np.log2(n)
    assert_same(actual, expected, rtol=t, atol=t * max(scale, 1e-300))
    return actual


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("norm", NORMS)
def test_1d_transforms(n, norm, dtype):
    x = rand((n,), dtype, seed=n)
    compare(lambda xp, x: xp.fft.fft(x, norm=norm), x)
    compare(lambda xp, x: xp.fft.ifft(x, norm=norm), x)
    if np.dtype(dtype).kind != "c":
        compare(lambda xp, x: xp.fft.rfft(x, norm=norm), x)
    h = np.fft.rfft(rand((n,), "float64", seed=n + 1)).astype(np.complex64 if dtype in ("float32", "complex64") else np.complex128)
    compare(lambda xp, h: xp.fft.irfft(h, n=n, norm=norm), h)
    if n > 1:
        compare(lambda xp, h: xp.fft.irfft(h, norm=norm), h)


@pytest.mark.parametrize("length, n", [(8, 5), (5, 8), (7, 7), (4, 1), (1, 6), (6, 13)], ids=repr)
def test_truncation_and_zero_padding(length, n):
    x = rand((length,), "complex128", seed=length)
    r = rand((length,), "float64", seed=n)
    compare(lambda xp, x: xp.fft.fft(x, n=n), x)
    compare(lambda xp, x: xp.fft.ifft(x, n=n, norm="ortho"), x)
    compare(lambda xp, x: xp.fft.rfft(x, n=n), r)
    compare(lambda xp, x: xp.fft.irfft(x, n=n), x)  # the imaginary parts of DC / Nyquist are ignored


@pytest.mark.parametrize("shape", [(3, 4), (5, 1), (2, 3, 4), (0, 4), (4, 2, 0)], ids=repr)
@pytest.mark.parametrize("axis", [0, 1, -1])
def test_along_an_axis(shape, axis):
    if shape[axis] == 0:
        return
    for dtype in ("complex128", "float32"):
        x = rand(shape, dtype, seed=len(shape))
        compare(lambda xp, x: xp.fft.fft(x, axis=axis), x)
        compare(lambda xp, x: xp.fft.ifft(x, n=6, axis=axis), x)
        if dtype == "float32":
            compare(lambda xp, x: xp.fft.rfft(x, axis=axis, norm="forward"), x)
        compare(lambda xp, x: xp.fft.irfft(x, n=5, axis=axis), x.astype(np.complex64))


@pytest.mark.parametrize("norm", NORMS)
@pytest.mark.parametrize("dtype", ["float64", "float32", "complex128"])
def test_nd_transforms(norm, dtype):
    x = rand((4, 5, 6), dtype, seed=3)
    for axes in (None, (0, 1), (-1, 0), (2,), (1, 1)):
        compare(lambda xp, x: xp.fft.fftn(x, axes=axes, norm=norm), x)
        compare(lambda xp, x: xp.fft.ifftn(x, axes=axes, norm=norm), x)
        if dtype != "complex128":
            compare(lambda xp, x: xp.fft.rfftn(x, axes=axes, norm=norm), x)
        h = np.fft.rfftn(x.real, axes=axes)
        compare(lambda xp, h: xp.fft.irfftn(h, axes=axes, norm=norm), h)
    m = x[0]
    compare(lambda xp, m: xp.fft.fft2(m, norm=norm), m)
    compare(lambda xp, m: xp.fft.ifft2(m, norm=norm), m)
    compare(lambda xp, x: xp.fft.fft2(x, s=(3, 8), axes=(0, 2), norm=norm), x)
    compare(lambda xp, x: xp.fft.ifftn(x, s=(2, 7), axes=(1, 2), norm=norm), x)
    compare(lambda xp, x: xp.fft.fftn(x, s=(-1, 3), axes=(0, 1)), x)
    if dtype != "complex128":
        compare(lambda xp, m: xp.fft.rfft2(m, norm=norm), m)
        compare(lambda xp, x: xp.fft.rfftn(x, s=(3, 7), axes=(2, 0), norm=norm), x)
    h2 = np.fft.rfft2(m.real)
    compare(lambda xp, h: xp.fft.irfft2(h, norm=norm), h2)
    compare(lambda xp, h: xp.fft.irfftn(h, s=(5, 6), axes=(0, 1), norm=norm), h2)


def test_round_trips():
    x = rand((6, 7), "float64", seed=9)
    back = snp.fft.irfftn(snp.fft.rfftn(to_starp(x)), s=x.shape, axes=(0, 1))
    assert_same(back, x, rtol=1e-12, atol=1e-13)
    z = rand((6, 7), "complex128", seed=10)
    assert_same(snp.fft.ifft2(snp.fft.fft2(to_starp(z))), z, rtol=1e-12, atol=1e-13)


@pytest.mark.parametrize(
    "fn",
    [
        lambda xp, x: xp.fft.fft(x, n=0),
        lambda xp, x: xp.fft.ifft(x, n=-2),
        lambda xp, x: xp.fft.rfft(x, n=0),
        lambda xp, x: xp.fft.irfft(x[:1]),  # n = 0
        lambda xp, x: xp.fft.fft(x, norm="bogus"),
        lambda xp, x: xp.fft.ifft(x, norm="bogus"),
        lambda xp, x: xp.fft.rfft(x.astype(complex)),
        lambda xp, x: xp.fft.fft(x, axis=2),
        lambda xp, x: xp.fft.fft(x, n=3, axis=-3),
        lambda xp, x: xp.fft.fftn(x, s=(2, 3, 4), axes=(0, 1)),
        lambda xp, x: xp.fft.fftn(x, axes=(5,)),
        lambda xp, x: xp.fft.fft(x[0, 0]),
        lambda xp, x: xp.fft.fftshift(x, axes=4),
        lambda xp, x: xp.fft.fft(x[:0]),
    ],
)
def test_errors(fn):
    x = rand((3, 4), "float64")
    check(fn, x)


def test_empty_batches_and_dtypes():
    x = np.zeros((0, 4))
    check(lambda xp, x: xp.fft.fft(x), x)
    check(lambda xp, x: xp.fft.rfft(x, axis=1), x)
    check(lambda xp, x: xp.fft.irfft(x.astype(np.complex64)), x)
    for dtype in ("bool", "int8", "uint16", "int32"):
        b = (rand((5,), "int64") > 0).astype(dtype)
        compare(lambda xp, b: xp.fft.fft(b), b)
        compare(lambda xp, b: xp.fft.rfft(b), b)
    assert snp.fft.fft(to_starp(np.ones(4, np.float32))).dtype == np.complex64
    assert snp.fft.irfft(to_starp(np.ones(4, np.complex64))).dtype == np.float32


@pytest.mark.parametrize("n", [1, 2, 5, 8, 9])
@pytest.mark.parametrize("d", [1.0, 0.1, 3])
def test_fftfreq(n, d):
    check(lambda xp: xp.fft.fftfreq(n, d))
    check(lambda xp: xp.fft.rfftfreq(n, d))
    check(lambda xp: xp.fft.fftfreq(np.int64(n), d=d))


def test_fftfreq_errors():
    check(lambda xp: xp.fft.fftfreq(2.5))
    check(lambda xp: xp.fft.rfftfreq(2.5))
    check(lambda xp: xp.fft.fftfreq(0))


@pytest.mark.parametrize("shape", [(1,), (4,), (5,), (4, 5), (3, 2, 7), (0, 3)], ids=repr)
def test_fftshift(shape):
    x = np.arange(int(np.prod(shape))).reshape(shape).astype(np.float64)
    for axes in [None, 0, -1, (0,), tuple(range(len(shape))), (0, 0)]:
        check(lambda xp, x: xp.fft.fftshift(x, axes=axes), x)
        check(lambda xp, x: xp.fft.ifftshift(x, axes=axes), x)
        check(lambda xp, x: xp.fft.ifftshift(xp.fft.fftshift(x, axes=axes), axes=axes), x)
    check(lambda xp, x: xp.fft.fftshift(x), x.astype(np.complex64))


def test_fftshift_of_fftfreq_is_sorted():
    f = to_numpy(snp.fft.fftshift(snp.fft.fftfreq(9, 0.5)))
    assert np.all(np.diff(f) > 0)
    assert_same(f, np.fft.fftshift(np.fft.fftfreq(9, 0.5)))


@starp_only
def test_fft_is_lazy_and_runs_on_blocks_of_the_other_axis():
    x = to_starp(rand((8, 6), "complex128"))
    y = snp.fft.fft(x, axis=0)
    assert is_starp(y)
    plan = y.explain()
    assert "host fft.fft(n=8, axis=0, norm=backward) (split along axis 1)" in plan, plan
    # A consumer of the column blocks gets its rows back through one exchange.
    z = (y * 2).sum(axis=1)
    assert_same(z, (np.fft.fft(to_numpy(x), axis=0) * 2).sum(axis=1), rtol=1e-12, atol=1e-12)
