"""``starp.numpy.fft``: NumPy 2's FFTs, lazily.

Rank-local for now: each 1-d transform gathers its input to every rank, computes it there with
rustfft in the input's precision (float32 gives complex64, as in NumPy 2) and keeps the result
replicated; n-d transforms are chains of 1-d ones in NumPy's order. ``fftfreq``, ``rfftfreq``,
``fftshift`` and ``ifftshift`` are ordinary distributed expressions. ``hfft`` and ``ihfft`` are
NumPy's: irfft of the conjugate and the conjugate of rfft, with the norm's direction swapped.

Argument parsing only; every shape, dtype and error decision is made in Rust.
"""

import operator
import warnings

import numpy as _np

from starp import _core
from starp._session import current_session as _session
from starp.numpy._array import from_numpy as _from_numpy
from starp.numpy._array import ndarray as _ndarray
from starp.numpy._array import wrap as _wrap

__all__ = [
    "fft", "ifft", "rfft", "irfft", "fft2", "ifft2", "rfft2", "irfft2", "fftn", "ifftn", "rfftn", "irfftn",
    "fftfreq", "rfftfreq", "fftshift", "ifftshift", "hfft", "ihfft",
]


def _asarray(a):
    if isinstance(a, _ndarray):
        return a
    return _from_numpy(_np.asarray(a))


def _no_out(out):
    if out is not None:
        raise NotImplementedError("starp does not support out= yet")


def _norm(norm):
    return None if norm is None else str(norm)


def _one(kind, a, n, axis, norm, out):
    _no_out(out)
    a = _asarray(a)
    n = None if n is None else operator.index(n)
    return _wrap(_core.fft_1d(a._s, a._a, kind, n, operator.index(axis), _norm(norm)), a._s, scalar=False)


def _nd(kind, a, s, axes, norm, out):
    _no_out(out)
    a = _asarray(a)
    if s is not None and axes is None:
        warnings.warn(
            "`axes` should not be `None` if `s` is not `None` (Deprecated in NumPy 2.0). In a future version of "
            "NumPy, this will raise an error and `s[i]` will correspond to the size along the transformed axis "
            "specified by `axes[i]`. To retain current behaviour, pass a sequence [0, ..., k-1] to `axes` for an "
            "array of dimension k.",
            DeprecationWarning,
            stacklevel=3,
        )
    s = None if s is None else [operator.index(v) for v in s]
    axes = None if axes is None else [operator.index(v) for v in axes]
    return _wrap(_core.fft_nd(a._s, a._a, kind, s, axes, _norm(norm)), a._s, scalar=False)


def fft(a, n=None, axis=-1, norm=None, out=None):
    return _one("fft", a, n, axis, norm, out)


def ifft(a, n=None, axis=-1, norm=None, out=None):
    return _one("ifft", a, n, axis, norm, out)


def rfft(a, n=None, axis=-1, norm=None, out=None):
    return _one("rfft", a, n, axis, norm, out)


def irfft(a, n=None, axis=-1, norm=None, out=None):
    return _one("irfft", a, n, axis, norm, out)


def fftn(a, s=None, axes=None, norm=None, out=None):
    return _nd("fft", a, s, axes, norm, out)


def ifftn(a, s=None, axes=None, norm=None, out=None):
    return _nd("ifft", a, s, axes, norm, out)


def rfftn(a, s=None, axes=None, norm=None, out=None):
    return _nd("rfft", a, s, axes, norm, out)


def irfftn(a, s=None, axes=None, norm=None, out=None):
    return _nd("irfft", a, s, axes, norm, out)


def fft2(a, s=None, axes=(-2, -1), norm=None, out=None):
    return _nd("fft", a, s, axes, norm, out)


def ifft2(a, s=None, axes=(-2, -1), norm=None, out=None):
    return _nd("ifft", a, s, axes, norm, out)


def rfft2(a, s=None, axes=(-2, -1), norm=None, out=None):
    return _nd("rfft", a, s, axes, norm, out)


def irfft2(a, s=None, axes=(-2, -1), norm=None, out=None):
    return _nd("irfft", a, s, axes, norm, out)


def _freq(n, d, real):
    if not isinstance(n, (int, _np.integer)):
        raise ValueError("n should be an integer")
    val = 1.0 / (n * d)
    return _wrap(_core.fft_freq(_session(), int(n), float(val), real), scalar=False)


def fftfreq(n, d=1.0, device=None):
    return _freq(n, d, False)


def rfftfreq(n, d=1.0, device=None):
    return _freq(n, d, True)


def _shift(x, axes, inverse):
    x = _asarray(x)
    if axes is not None:
        axes = [operator.index(axes)] if isinstance(axes, (int, _np.integer)) else [operator.index(v) for v in axes]
    return _wrap(_core.fft_shift(x._s, x._a, axes, inverse), x._s, scalar=False)


def fftshift(x, axes=None):
    return _shift(x, axes, False)


def ifftshift(x, axes=None):
    return _shift(x, axes, True)


_SWAP_DIRECTION = {"backward": "forward", None: "forward", "ortho": "ortho", "forward": "backward"}


def _swap_direction(norm):
    try:
        return _SWAP_DIRECTION[norm]
    except KeyError:
        raise ValueError(f'Invalid norm value {norm}; should be "backward", "ortho" or "forward".') from None


def hfft(a, n=None, axis=-1, norm=None, out=None):
    """FFT of a signal with Hermitian symmetry (a real spectrum): irfft(conj(a)) with the
    normalization's direction swapped; n defaults to 2 * (a.shape[axis] - 1)."""
    import starp.numpy as snp

    _no_out(out)
    a = _asarray(a)
    if n is None:
        n = (a.shape[axis] - 1) * 2
    new_norm = _swap_direction(norm)
    return irfft(snp.conjugate(a), n, axis, norm=new_norm)


def ihfft(a, n=None, axis=-1, norm=None, out=None):
    """Inverse of hfft: conj(rfft(a)) with the normalization's direction swapped."""
    import starp.numpy as snp

    _no_out(out)
    a = _asarray(a)
    if n is None:
        n = a.shape[axis]
    new_norm = _swap_direction(norm)
    return snp.conjugate(rfft(a, n, axis, norm=new_norm))
