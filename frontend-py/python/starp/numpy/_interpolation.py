"""Interpolation, differences, integration and convolution with NumPy's semantics (interp,
gradient, trapezoid, ediff1d, convolve, correlate), following numpy/lib/_function_base_impl.py and
the C interp/correlate. See _statistics.py for the shared rules."""

import builtins as _builtins

import numpy as _np
from numpy.lib.array_utils import normalize_axis_tuple as _normalize_axis_tuple

from starp.numpy._array import ndarray
from starp.numpy._statistics import _arr, _complex_from, _depth_check, _ndim, _one, _safe_cast, _snp

__all__ = ["interp", "gradient", "trapezoid", "ediff1d", "correlate", "convolve"]

_range = range

#: correlate/convolve: kernels up to this long are a sum of shifted slices, longer ones a matmul
#: of sliding windows built in row chunks of about this many elements
_SHIFTED_SUM_MAX = 64
_WINDOW_CHUNK = 1 << 21


# ---- interpolation, differences, integration ----
def _interp_fill(v, is_complex):
    """left/right as NumPy's C code reads them (PyFloat_AsDouble / PyComplex_*AsDouble)."""
    if isinstance(v, (ndarray, _np.ndarray)) and v.ndim != 0:
        raise TypeError("only 0-dimensional arrays can be converted to Python scalars")
    if isinstance(v, ndarray):
        v = _one(v)
    return complex(v) if is_complex else float(v)


def interp(x, xp, fp, left=None, right=None, period=None):
    """NumPy's interp (its C loop, vectorized): j = the last xp[j] <= x; fp[j] at and beyond the
    ends (left/right outside), NaN for NaN x, else slope * (x - xp[j]) + fp[j], retried from
    xp[j + 1] when that is NaN. xp must be increasing (as NumPy assumes; NaNs last)."""
    snp = _snp()
    fp = _arr(fp)
    is_complex = fp.dtype.kind == "c"
    out_dtype = _np.dtype(_np.complex128 if is_complex else _np.float64)
    if period is not None:
        if period == 0:
            raise ValueError("period must be a non-zero value")
        period = abs(period)
        left = right = None
        x = _arr(x).astype(_np.float64)
        xp = _arr(xp).astype(_np.float64)
        fp = fp.astype(out_dtype)
        if xp.ndim != 1 or fp.ndim != 1:
            raise ValueError("Data points must be 1-D sequences")
        if xp.shape[0] != fp.shape[0]:
            raise ValueError("fp and xp are not of the same length")
        x = x % period
        xp = xp % period
        order = snp.argsort(xp)
        xp = snp.take(xp, order)
        fp = snp.take(fp, order)
        xp = snp.concatenate((xp[-1:] - period, xp, xp[0:1] + period))
        fp = snp.concatenate((fp[-1:], fp, fp[0:1]))
    # The C function's conversions: fp, xp 1-d; x any shape; all float64 (fp complex128) by 'safe' casts.
    _depth_check(fp)
    fp = _safe_cast(fp, out_dtype)
    xp = _arr(xp)
    _depth_check(xp)
    xp = _safe_cast(xp, _np.float64)
    x = _safe_cast(_arr(x), _np.float64)
    n = xp.shape[0]
    if n == 0:
        raise ValueError("array of sample points is empty")
    if fp.shape[0] != n:
        raise ValueError("fp and xp are not of the same length.")
    if x.size == 0:
        return snp.zeros(x.shape, dtype=out_dtype)
    lval = fp[0] if left is None else _interp_fill(left, is_complex)
    rval = fp[n - 1] if right is None else _interp_fill(right, is_complex)
    if n == 1:
        r = snp.where(x < xp[0], lval, snp.where(x > xp[0], rval, fp[0]))
        return _finish_interp(r, x, out_dtype)
    j = snp.searchsorted(xp, x, side="right") - 1
    j = snp.where(x > xp[n - 1], n, j)
    jc = snp.clip(j, 0, n - 2)
    xj, xj1 = snp.take(xp, jc), snp.take(xp, jc + 1)
    yj, yj1 = snp.take(fp, jc), snp.take(fp, jc + 1)
    if is_complex:
        inv_dx = 1.0 / (xj1 - xj)
        parts = []
        for part in (snp.real, snp.imag):
            a, b = part(yj), part(yj1)
            parts.append(_interp_line((b - a) * inv_dx, x, xj, xj1, a, b))
        r = _complex_from(parts[0], parts[1], out_dtype)
    else:
        r = _interp_line((yj1 - yj) / (xj1 - xj), x, xj, xj1, yj, yj1)
    # The C loop's cases, the first that holds wins (so applied here in reverse): x == xp[j]
    # gives fp[j] (j <= n - 2 here; the cases below override the others), j == n - 1 fp[n - 1],
    # outside the ends left/right, NaN x itself.
    r = snp.where(x == xj, yj, r)
    r = snp.where(j == n - 1, fp[n - 1], r)
    r = snp.where(j == -1, lval, r)
    r = snp.where(j == n, rval, r)
    r = snp.where(snp.isnan(x), x, r)
    return _finish_interp(r, x, out_dtype)


def _interp_line(slope, x, xj, xj1, yj, yj1):
    snp = _snp()
    r = slope * (x - xj) + yj
    r2 = slope * (x - xj1) + yj1
    r2 = snp.where(snp.isnan(r2) & (yj == yj1), yj, r2)
    return snp.where(snp.isnan(r), r2, r)


def _finish_interp(r, x, dtype):
    r = r.astype(dtype, copy=False)
    if r.ndim == 0:
        r._scalar = True  # NumPy returns a scalar for a 0-d x
    return r


def gradient(f, *varargs, axis=None, edge_order=1):
    """NumPy's gradient: second-order central differences inside, first- or second-order one-sided
    differences at the ends; spacings as scalars or coordinate arrays."""
    snp = _snp()
    f = _arr(f)
    N = f.ndim
    axes = tuple(_range(N)) if axis is None else _normalize_axis_tuple(axis, N)
    len_axes = len(axes)
    n = len(varargs)
    if n == 0:
        dx = [1.0] * len_axes
    elif n == 1 and _ndim(varargs[0]) == 0:
        dx = list(varargs) * len_axes
    elif n == len_axes:
        dx = list(varargs)
        for i, distances in enumerate(dx):
            if _ndim(distances) == 0:
                continue
            distances = _arr(distances)
            if distances.ndim != 1:
                raise ValueError("distances must be either scalars or 1d")
            if len(distances) != f.shape[axes[i]]:
                raise ValueError("when 1d, distances must match the length of the corresponding dimension")
            if distances.dtype.kind in "iu":
                distances = distances.astype(_np.float64)
            diffx = snp.diff(distances)
            if bool((diffx == diffx[0]).all()):
                diffx = diffx[0]
            dx[i] = diffx
    else:
        raise TypeError("invalid number of arguments")
    if edge_order > 2:
        raise ValueError("'edge_order' greater than 2 not supported")
    otype = f.dtype
    if otype.kind not in "fc":
        if otype.kind in "iu":
            f = f.astype(_np.float64)
        otype = _np.dtype(_np.float64)
    outvals = []
    for ax, ax_dx in zip(axes, dx):
        if f.shape[ax] < edge_order + 1:
            raise ValueError("Shape of array too small to calculate a numerical gradient, "
                             "at least (edge_order + 1) elements are required.")
        outvals.append(_gradient_axis(f, ax, ax_dx, edge_order, otype))
    if len_axes == 1:
        return outvals[0]
    return tuple(outvals)


def _gradient_axis(f, axis, ax_dx, edge_order, otype):
    snp = _snp()
    N = f.ndim

    def sl(s):
        k = [slice(None)] * N
        k[axis] = s
        return f[tuple(k)]

    def one(i):
        return sl(slice(i, i + 1) if i != -1 else slice(-1, None))

    uniform = _ndim(ax_dx) == 0
    if uniform:
        inner = (sl(slice(2, None)) - sl(slice(None, -2))) / (2. * ax_dx)
    else:
        dx1, dx2 = ax_dx[0:-1], ax_dx[1:]
        a = -(dx2) / (dx1 * (dx1 + dx2))
        b = (dx2 - dx1) / (dx1 * dx2)
        c = dx1 / (dx2 * (dx1 + dx2))
        shape = [1] * N
        shape[axis] = -1
        a, b, c = a.reshape(shape), b.reshape(shape), c.reshape(shape)
        inner = a * sl(slice(None, -2)) + b * sl(slice(1, -1)) + c * sl(slice(2, None))
    if edge_order == 1:
        dx_0 = ax_dx if uniform else ax_dx[0]
        dx_n = ax_dx if uniform else ax_dx[-1]
        first = (one(1) - one(0)) / dx_0
        last = (one(-1) - one(-2)) / dx_n
    else:
        if uniform:
            a, b, c = -1.5 / ax_dx, 2. / ax_dx, -0.5 / ax_dx
        else:
            dx1, dx2 = ax_dx[0], ax_dx[1]
            a = -(2. * dx1 + dx2) / (dx1 * (dx1 + dx2))
            b = (dx1 + dx2) / (dx1 * dx2)
            c = - dx1 / (dx2 * (dx1 + dx2))
        first = a * one(0) + b * one(1) + c * one(2)
        if uniform:
            a, b, c = 0.5 / ax_dx, -2. / ax_dx, 1.5 / ax_dx
        else:
            dx1, dx2 = ax_dx[-2], ax_dx[-1]
            a = (dx2) / (dx1 * (dx1 + dx2))
            b = - (dx2 + dx1) / (dx1 * dx2)
            c = (2. * dx2 + dx1) / (dx2 * (dx1 + dx2))
        last = a * one(-3) + b * one(-2) + c * one(-1)
    # NumPy writes each piece into an array of otype (a cast).
    pieces = [first.astype(otype), inner.astype(otype), last.astype(otype)]
    return snp.concatenate(pieces, axis=axis)


def trapezoid(y, x=None, dx=1.0, axis=-1):
    """sum(d * (y[1:] + y[:-1]) / 2) along axis, d = diff(x) or dx."""
    snp = _snp()
    y = _arr(y)
    if x is None:
        d = dx
    else:
        x = _arr(x)
        if x.ndim == 1:
            d = snp.diff(x)
            shape = [1] * y.ndim
            shape[axis] = d.shape[0]
            d = d.reshape(shape)
        else:
            d = snp.diff(x, axis=axis)
    nd = y.ndim
    slice1 = [slice(None)] * nd
    slice2 = [slice(None)] * nd
    slice1[axis] = slice(1, None)
    slice2[axis] = slice(None, -1)
    return (d * (y[tuple(slice1)] + y[tuple(slice2)]) / 2.0).sum(axis)


def ediff1d(ary, to_end=None, to_begin=None):
    """Differences of the flattened array, with to_begin / to_end around them (cast to ary's
    dtype; TypeError unless 'same_kind')."""
    snp = _snp()
    ary = _arr(ary).ravel()
    dtype_req = ary.dtype
    if to_begin is None and to_end is None:
        return ary[1:] - ary[:-1]
    parts = []
    for name, extra in (("to_begin", to_begin), ("to_end", to_end)):
        if extra is None:
            parts.append(None)
            continue
        extra = _arr(extra)
        if not _np.can_cast(extra.dtype, dtype_req, casting="same_kind"):
            raise TypeError(f"dtype of `{name}` must be compatible with input `ary` under the `same_kind` rule.")
        parts.append(extra.ravel().astype(dtype_req))
    d = ary[1:] - ary[:-1]
    return snp.concatenate([p for p in (parts[0], d.astype(dtype_req), parts[1]) if p is not None])


# ---- convolve / correlate ----
def _correlate_mode(mode, dt1, dt2):
    """NumPy's mode check and result dtype, by NumPy itself on 3- and 2-element probes: (result
    dtype, mode as 0 valid / 1 same / 2 full)."""
    probe = _np.correlate(_np.zeros(3, dt1), _np.zeros(2, dt2), mode)
    return probe.dtype, {2: 0, 3: 1, 4: 2}[probe.shape[0]]


def _correlate_core(A, B, mode):
    """NumPy's _pyarray_correlate with len(A) >= len(B): out[k] = sum_j A[k + j - (n2 - 1)] * B[j]
    over the lags the mode keeps."""
    snp = _snp()
    n1, n2 = A.shape[0], B.shape[0]
    if mode == 0:
        k0, k1 = n2 - 1, n1
    elif mode == 1:
        k0 = n2 - 1 - n2 // 2
        k1 = k0 + n1
    else:
        k0, k1 = 0, n1 + n2 - 1
    L = k1 - k0
    dtype = A.dtype
    pad = snp.zeros(n2 - 1, dtype=dtype)
    Ap = snp.concatenate((pad, A, pad)) if n2 > 1 else A
    if dtype == _np.bool_:
        if n2 <= _SHIFTED_SUM_MAX:
            acc = None
            for j in _range(n2):
                t = B[j] & Ap[k0 + j:k1 + j]
                acc = t if acc is None else acc | t
            return acc
        return _correlate_windows(Ap.astype(_np.int64), B.astype(_np.int64), k0, L, n2) != 0
    if n2 <= _SHIFTED_SUM_MAX:
        acc = None
        for j in _range(n2):
            t = B[j] * Ap[k0 + j:k1 + j]
            acc = t if acc is None else acc + t
        return acc.astype(dtype, copy=False)
    return _correlate_windows(Ap, B, k0, L, n2).astype(dtype, copy=False)


def _correlate_windows(Ap, B, k0, L, n2):
    """The sliding windows of Ap times B, in row chunks (a gather and a matmul each)."""
    snp = _snp()
    rows = _builtins.max(1, _WINDOW_CHUNK // n2)
    offs = snp.arange(n2)[None, :]
    out = []
    for r0 in _range(0, L, rows):
        r1 = _builtins.min(L, r0 + rows)
        idx = snp.arange(k0 + r0, k0 + r1)[:, None] + offs
        out.append(snp.matmul(snp.take(Ap, idx), B))
    return out[0] if len(out) == 1 else snp.concatenate(out)


def correlate(a, v, mode="valid"):
    """NumPy's correlate (correlate2): c[k] = sum_n a[n + k] * conj(v[n]), 1-d inputs; the
    shorter input slides, the result is reversed when v is the longer one."""
    snp = _snp()
    a, v = _arr(a), _arr(v)
    dtype, m = _correlate_mode(mode, a.dtype, v.dtype)
    _depth_check(a)
    _depth_check(v)
    a, v = a.astype(dtype, copy=False), v.astype(dtype, copy=False)
    if dtype.kind == "c":
        v = snp.conj(v)
    if a.shape[0] == 0:
        raise ValueError("first array argument cannot be empty")
    if v.shape[0] == 0:
        raise ValueError("second array argument cannot be empty")
    if a.shape[0] < v.shape[0]:
        return snp.flip(_correlate_core(v, a, m))
    return _correlate_core(a, v, m)


def convolve(a, v, mode="full"):
    """NumPy's convolve: correlate(a, v[::-1]) without conjugation, the longer input first."""
    snp = _snp()
    a, v = snp.atleast_1d(_arr(a)), snp.atleast_1d(_arr(v))
    if len(a) == 0:
        raise ValueError("a cannot be empty")
    if len(v) == 0:
        raise ValueError("v cannot be empty")
    if len(v) > len(a):
        a, v = v, a
    dtype, m = _correlate_mode(mode, a.dtype, v.dtype)
    _depth_check(a)
    _depth_check(v)
    return _correlate_core(a.astype(dtype, copy=False), snp.flip(v).astype(dtype, copy=False), m)
