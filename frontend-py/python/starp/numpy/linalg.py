"""``starp.numpy.linalg``: NumPy's linear algebra, lazily.

Rank-local for now: a factorization's inputs are gathered to every rank, each rank computes the
same result with LAPACK (in double precision, as NumPy does) and keeps it, so the result is
replicated and later operations read it without communication. ``norm`` of vectors and the
'fro', 1, -1, inf and -inf matrix norms are built from distributed reductions.

Argument parsing only; every shape, dtype and error decision is made in Rust. The functions after
``norm`` (cond, matrix_power, multi_dot, the array API's names...) are NumPy's own Python code
over these and over starp.numpy, so they stay lazy.
"""

import operator
from typing import NamedTuple

import numpy as _np
from numpy.linalg import LinAlgError  # noqa: F401  (NumPy's own exception class)

from starp import _core
from starp.numpy._array import from_numpy as _from_numpy
from starp.numpy._array import ndarray as _ndarray
from starp.numpy._array import wrap as _wrap
from starp.numpy._array import namespace as _snp

__all__ = [
    "LinAlgError", "cholesky", "det", "eig", "eigh", "eigvals", "eigvalsh", "inv", "lstsq", "matrix_rank",
    "norm", "pinv", "qr", "slogdet", "solve", "svd",
    # composed of the above and of starp.numpy (below)
    "cond", "matrix_power", "multi_dot", "matrix_norm", "vector_norm", "svdvals", "tensorinv", "tensorsolve",
    # the array API's names
    "cross", "outer", "diagonal", "trace", "matmul", "matrix_transpose", "vecdot", "tensordot",
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


# ---- NumPy's Python-level linalg functions, over the factorizations above ----

def _assert_stacked_square(*arrays):
    for a in arrays:
        if a.ndim < 2:
            raise LinAlgError(f"{a.ndim}-dimensional array given. Array must be at least two-dimensional")
        m, n = a.shape[-2:]
        if m != n:
            raise LinAlgError("Last 2 dimensions of the array must be square")


def _assert_2d(*arrays):
    for a in arrays:
        if a.ndim != 2:
            raise LinAlgError(f"{a.ndim}-dimensional array given. Array must be two-dimensional")


def _result_real_type(dtype):
    """NumPy's _commonType(x)[1], made real: float32 for float32/complex64, float64 otherwise."""
    dtype = _np.dtype(dtype)
    if dtype.kind in "fc":
        return _np.dtype(_np.float32) if dtype.itemsize == (4 if dtype.kind == "f" else 8) else _np.dtype(_np.float64)
    return _np.dtype(_np.float64)


def cond(x, p=None):
    """NumPy's cond: the ratio of the extreme singular values (p None, 2, -2), otherwise
    norm(x, p) * norm(inv(x), p) with the inverse in double precision; matrices that LAPACK finds
    singular give inf (NaN where x holds a NaN), as NumPy's inv under errstate(all='ignore')."""
    snp = _snp()
    x = _asarray(x)
    if x.size == 0 and _np.prod(x.shape[-2:]) == 0:
        raise LinAlgError("cond is not defined on empty arrays")
    if p is None or p in {2, -2}:
        s = svd(x, compute_uv=False)
        r = s[..., -1] / s[..., 0] if p == -2 else s[..., 0] / s[..., -1]
    else:
        _assert_stacked_square(x)
        result_t = _result_real_type(x.dtype)
        x64 = x.astype(_np.complex128 if x.dtype.kind == "c" else _np.float64)
        if p == "nuc":
            # NumPy's 'nuc' norm of the NaN inverse of a singular matrix is an svd of NaNs, a
            # LinAlgError: starp's inv raises one for those matrices
            r = norm(x, p, axis=(-2, -1)) * norm(inv(x64), p, axis=(-2, -1))
        else:
            # NumPy's inv puts NaNs where gesv fails; starp's raises. slogdet's getrf is the same
            # LU as gesv's, so its zero sign marks exactly those matrices: invert the identity
            # in their place and put the NaN back afterwards.
            singular = slogdet(x64).sign == 0
            n = x.shape[-1]
            safe = snp.where(singular[..., None, None], snp.eye(n, dtype=x64.dtype), x64)
            r = norm(x, p, axis=(-2, -1)) * norm(inv(safe), p, axis=(-2, -1))
            r = snp.where(singular, _np.nan, r)
        r = r.astype(result_t, copy=False)
    # NaN (from 0/0, inf/inf or a failed inverse) means inf, unless x itself holds a NaN
    nan_in_x = snp.isnan(x).any(axis=(-2, -1))
    return snp.where(snp.isnan(r) & ~nan_in_x, _np.inf, r)


def matrix_power(a, n):
    """NumPy's matrix_power: a**n by repeated squaring (the same products in the same order);
    inv(a) first for negative n; n == 0 gives the identity in a's dtype."""
    snp = _snp()
    a = _asarray(a)
    _assert_stacked_square(a)
    try:
        n = operator.index(n)
    except TypeError as e:
        raise TypeError("exponent must be an integer") from e
    if n == 0:
        r = snp.empty_like(a)
        r[...] = snp.eye(a.shape[-2], dtype=a.dtype)
        return r
    elif n < 0:
        a = inv(a)
        n = abs(n)
    if n == 1:
        return a
    elif n == 2:
        return snp.matmul(a, a)
    elif n == 3:
        return snp.matmul(snp.matmul(a, a), a)
    z = result = None
    while n > 0:
        z = a if z is None else snp.matmul(z, z)
        n, bit = divmod(n, 2)
        if bit:
            result = z if result is None else snp.matmul(result, z)
    return result


def _multi_dot_three(A, B, C):
    snp = _snp()
    a0, a1b0 = A.shape
    b1c0, c1 = C.shape
    cost1 = a0 * b1c0 * (a1b0 + c1)  # (AB)C
    cost2 = a1b0 * c1 * (a0 + b1c0)  # A(BC)
    if cost1 < cost2:
        return snp.dot(snp.dot(A, B), C)
    return snp.dot(A, snp.dot(B, C))


def _multi_dot_matrix_chain_order(arrays):
    """NumPy's O(n^3) dynamic program on the shapes alone (ties resolved the same way)."""
    n = len(arrays)
    p = [a.shape[0] for a in arrays] + [arrays[-1].shape[1]]
    m = [[0.0] * n for _ in range(n)]
    s = [[0] * n for _ in range(n)]
    for length in range(1, n):
        for i in range(n - length):
            j = i + length
            m[i][j] = _np.inf
            for k in range(i, j):
                # NumPy keeps its costs in a float64 array
                q = float(m[i][k] + m[k + 1][j] + float(p[i] * p[k + 1] * p[j + 1]))
                if q < m[i][j]:
                    m[i][j] = q
                    s[i][j] = k
    return s


def _multi_dot(arrays, order, i, j):
    if i == j:
        return arrays[i]
    snp = _snp()
    return snp.dot(_multi_dot(arrays, order, i, order[i][j]), _multi_dot(arrays, order, order[i][j] + 1, j))


def multi_dot(arrays, *, out=None):
    """NumPy's multi_dot: the chain of dots in the cheapest order (NumPy's cost model); a 1-d
    first (last) array is a row (column) vector and its axis is dropped from the result."""
    snp = _snp()
    if out is not None:
        raise NotImplementedError("starp does not support out= yet")
    n = len(arrays)
    if n < 2:
        raise ValueError("Expecting at least two arrays.")
    elif n == 2:
        return snp.dot(arrays[0], arrays[1])
    arrays = [snp.asarray(a) for a in arrays]
    ndim_first, ndim_last = arrays[0].ndim, arrays[-1].ndim
    if arrays[0].ndim == 1:
        arrays[0] = snp.atleast_2d(arrays[0])
    if arrays[-1].ndim == 1:
        arrays[-1] = snp.atleast_2d(arrays[-1]).T
    _assert_2d(*arrays)
    if n == 3:
        result = _multi_dot_three(arrays[0], arrays[1], arrays[2])
    else:
        order = _multi_dot_matrix_chain_order(arrays)
        result = _multi_dot(arrays, order, 0, n - 1)
    if ndim_first == 1 and ndim_last == 1:
        return result[0, 0]
    elif ndim_first == 1 or ndim_last == 1:
        return result.ravel()
    return result


def matrix_norm(x, /, *, keepdims=False, ord="fro"):
    """The array API's matrix_norm: norm over the last two axes."""
    x = _asarray(x)
    return norm(x, axis=(-2, -1), keepdims=keepdims, ord=ord)


def vector_norm(x, /, *, axis=None, keepdims=False, ord=2):
    """The array API's vector_norm: a vector norm over all of `axis` (flattened together)."""
    from numpy.lib.array_utils import normalize_axis_tuple

    x = _asarray(x)
    shape = list(x.shape)
    if axis is None:
        x = x.ravel()
        _axis = 0
    elif isinstance(axis, tuple):
        normalized_axis = normalize_axis_tuple(axis, x.ndim)
        rest = tuple(i for i in range(x.ndim) if i not in normalized_axis)
        newshape = axis + rest
        x = x.transpose(newshape).reshape((int(_np.prod([x.shape[i] for i in axis], dtype=int)), *[x.shape[i] for i in rest]))
        _axis = 0
    else:
        _axis = axis
    res = norm(x, axis=_axis, ord=ord)
    if keepdims:
        # NumPy reshapes after the fact (norm's keepdims would see the reshaped x)
        _axis = normalize_axis_tuple(range(len(shape)) if axis is None else axis, len(shape))
        for i in _axis:
            shape[i] = 1
        res = res.reshape(tuple(shape))
    return res


def svdvals(x, /):
    """The singular values, as svd(x, compute_uv=False)."""
    return svd(x, compute_uv=False, hermitian=False)


def tensorinv(a, ind=2):
    """NumPy's tensorinv: inv of a reshaped to (prod(shape[ind:]), -1), reshaped back."""
    a = _asarray(a)
    oldshape = a.shape
    prod = 1
    if ind > 0:
        invshape = oldshape[ind:] + oldshape[:ind]
        for k in oldshape[ind:]:
            prod *= k
    else:
        raise ValueError("Invalid ind argument.")
    a = a.reshape(prod, -1)
    ia = inv(a)
    return ia.reshape(*invshape)


def tensorsolve(a, b, axes=None):
    """NumPy's tensorsolve: solve of a reshaped to a square matrix against b flattened."""
    a = _asarray(a)
    b = _asarray(b, a._s)
    an = a.ndim
    if axes is not None:
        allaxes = list(range(an))
        for k in axes:
            allaxes.remove(k)
            allaxes.insert(an, k)
        a = a.transpose(allaxes)
    oldshape = a.shape[-(an - b.ndim):]
    prod = 1
    for k in oldshape:
        prod *= k
    if a.size != prod**2:
        raise LinAlgError(
            "Input arrays must satisfy the requirement             "
            "prod(a.shape[b.ndim:]) == prod(a.shape[:b.ndim])"
        )
    a = a.reshape(prod, prod)
    b = b.ravel()
    return solve(a, b).reshape(oldshape)


# ---- the array API's linalg names (NumPy 2) ----
def cross(x1, x2, /, *, axis=-1):
    """Cross product of 3-vectors along `axis` (the array API's version: no 2-vectors)."""
    snp = _snp()
    x1, x2 = snp.asarray(x1), snp.asarray(x2)
    if x1.shape[axis] != 3 or x2.shape[axis] != 3:
        raise ValueError(
            "Both input arrays must be (arrays of) 3-dimensional vectors, "
            f"but they are {x1.shape[axis]} and {x2.shape[axis]} dimensional instead."
        )
    return snp.cross(x1, x2, axis=axis)


def outer(x1, x2, /):
    """Outer product of two 1-d arrays."""
    snp = _snp()
    x1, x2 = snp.asarray(x1), snp.asarray(x2)
    if x1.ndim != 1 or x2.ndim != 1:
        raise ValueError(
            f"Input arrays must be one-dimensional, but they are x1.ndim={x1.ndim!r} and x2.ndim={x2.ndim!r}."
        )
    return snp.outer(x1, x2)


def diagonal(x, /, *, offset=0):
    """Diagonals of the matrices in the last two axes."""
    return _snp().diagonal(x, offset, axis1=-2, axis2=-1)


def trace(x, /, *, offset=0, dtype=None):
    """Traces of the matrices in the last two axes."""
    return _snp().trace(x, offset, axis1=-2, axis2=-1, dtype=dtype)


def matmul(x1, x2, /):
    return _snp().matmul(x1, x2)


def tensordot(x1, x2, /, *, axes=2):
    return _snp().tensordot(x1, x2, axes=axes)


def matrix_transpose(x, /):
    return _snp().matrix_transpose(x)


def vecdot(x1, x2, /, *, axis=-1):
    return _snp().vecdot(x1, x2, axis=axis)
