"""``starp.numpy.linalg``: NumPy's linear algebra, lazily.

Rank-local for now: a factorization's inputs are gathered to every rank, each rank computes the
same result with LAPACK (in double precision, as NumPy does) and keeps it, so the result is
replicated and later operations read it without communication. ``norm`` of vectors and the
'fro', 1, -1, inf and -inf matrix norms are built from distributed reductions.

Argument parsing only; every shape, dtype and error decision is made in Rust.
"""

import operator
from typing import NamedTuple

import numpy as _np
from numpy.linalg import LinAlgError  # noqa: F401  (NumPy's own exception class)

from starp import _core
from starp.numpy._array import from_numpy as _from_numpy
from starp.numpy._array import ndarray as _ndarray
from starp.numpy._array import wrap as _wrap

__all__ = [
    "LinAlgError", "cholesky", "det", "eig", "eigh", "eigvals", "eigvalsh", "inv", "lstsq", "matrix_rank",
    "norm", "pinv", "qr", "slogdet", "solve", "svd",
]


class EigResult(NamedTuple):
    eigenvalues: object
    eigenvectors: object


class EighResult(NamedTuple):
    eigenvalues: object
    eigenvectors: object


class QRResult(NamedTuple):
    Q: object
    R: object


class SlogdetResult(NamedTuple):
    sign: object
    logabsdet: object


class SVDResult(NamedTuple):
    U: object
    S: object
    Vh: object


def _asarray(a, s=None):
    if isinstance(a, _ndarray):
        return a
    return _from_numpy(_np.asarray(a), s)


def _out(core, s):
    return _wrap(core, s)


def _scalar_arg(x, name):
    """A float from a scalar argument (array tolerances are not supported yet)."""
    if x is None:
        return None
    v = _np.asarray(x)
    if v.ndim != 0:
        raise NotImplementedError(f"starp's linalg takes a scalar {name}, not an array")
    return float(v)


def inv(a):
    a = _asarray(a)
    return _out(_core.linalg_inv(a._s, a._a), a._s)


def solve(a, b):
    a = _asarray(a)
    b = _asarray(b, a._s)
    return _out(_core.linalg_solve(a._s, a._a, b._a), a._s)


def det(a):
    a = _asarray(a)
    return _out(_core.linalg_det(a._s, a._a), a._s)


def slogdet(a):
    a = _asarray(a)
    sign, logabsdet = _core.linalg_slogdet(a._s, a._a)
    return SlogdetResult(_out(sign, a._s), _out(logabsdet, a._s))


def cholesky(a, /, *, upper=False):
    a = _asarray(a)
    return _out(_core.linalg_cholesky(a._s, a._a, bool(upper)), a._s)


def qr(a, mode="reduced"):
    if mode in ("f", "full"):
        import warnings

        warnings.warn(
            "The 'full' option is deprecated in favor of 'reduced'.\nFor backward compatibility let mode default.",
            DeprecationWarning,
            stacklevel=2,
        )
        mode = "reduced"
    a = _asarray(a)
    r = [_out(x, a._s) for x in _core.linalg_qr(a._s, a._a, str(mode))]
    return r[0] if mode == "r" else QRResult(*r)


def eigh(a, UPLO="L"):
    a = _asarray(a)
    w, v = _core.linalg_eigh(a._s, a._a, str(UPLO), True)
    return EighResult(_out(w, a._s), _out(v, a._s))


def eigvalsh(a, UPLO="L"):
    a = _asarray(a)
    (w,) = _core.linalg_eigh(a._s, a._a, str(UPLO), False)
    return _out(w, a._s)


def eig(a):
    a = _asarray(a)
    w, v = _core.linalg_eig(a._s, a._a, True)
    return EigResult(_out(w, a._s), _out(v, a._s))


def eigvals(a):
    a = _asarray(a)
    (w,) = _core.linalg_eig(a._s, a._a, False)
    return _out(w, a._s)


def svd(a, full_matrices=True, compute_uv=True, hermitian=False):
    a = _asarray(a)
    r = [_out(x, a._s) for x in _core.linalg_svd(a._s, a._a, bool(full_matrices), bool(compute_uv), bool(hermitian))]
    return SVDResult(*r) if compute_uv else r[0]


def lstsq(a, b, rcond=None):
    a = _asarray(a)
    b = _asarray(b, a._s)
    x, resids, rank, s = _core.linalg_lstsq(a._s, a._a, b._a, _scalar_arg(rcond, "rcond"))
    return _out(x, a._s), _out(resids, a._s), _out(rank, a._s), _out(s, a._s)


_NoValue = object()


def pinv(a, rcond=None, hermitian=False, *, rtol=_NoValue):
    a = _asarray(a)
    rtol_given = rtol is not _NoValue
    rt = _scalar_arg(rtol, "rtol") if rtol_given else None
    return _out(_core.linalg_pinv(a._s, a._a, _scalar_arg(rcond, "rcond"), rt, rtol_given, bool(hermitian)), a._s)


def matrix_rank(A, tol=None, hermitian=False, *, rtol=None):
    A = _asarray(A)
    r = _core.linalg_matrix_rank(A._s, A._a, _scalar_arg(tol, "tol"), _scalar_arg(rtol, "rtol"), bool(hermitian))
    return _out(r, A._s)


def norm(x, ord=None, axis=None, keepdims=False):
    x = _asarray(x)
    if axis is not None:
        if isinstance(axis, tuple):
            axis = [operator.index(ax) for ax in axis]
        else:
            try:
                axis = [int(axis)]
            except Exception as e:
                raise TypeError("'axis' must be None, an integer or a tuple of integers") from e
    if ord is not None and not isinstance(ord, str):
        ord = float(ord)
    return _out(_core.linalg_norm(x._s, x._a, ord, axis, bool(keepdims)), x._s)
