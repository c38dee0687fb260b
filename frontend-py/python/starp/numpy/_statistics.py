"""Statistics with NumPy's signatures and semantics (comparisons, averages, covariance, NaN-aware
functions; histograms and interpolation are in _histograms.py and _interpolation.py), composed of starp's
lazy primitives (ufuncs, where, reductions, sort, searchsorted, take, matmul, cumsum).

Each function follows NumPy's own algorithm (numpy/lib/_function_base_impl.py, _histograms_impl.py,
_nanfunctions_impl.py, _core/numeric.py and the C code of bincount/interp/correlate) so that dtypes,
edge cases and the order of floating-point operations are NumPy's. Where NumPy's result is a Python
bool (allclose, array_equal, array_equiv) or an error depends on the data (a ZeroDivisionError of
average, a negative bincount input, an all-NaN slice of nanargmin), the value is computed at the call:
a sync point. Results whose *shape* depends on the data (bincount, estimated histogram bins) sync
too. Everything else stays lazy.

Not supported (NotImplementedError): out=, where=, mean= arguments; quantile methods other than
'linear' and quantile weights. Warnings NumPy emits after looking at the data
(all-NaN slices, degrees of freedom <= 0) are not emitted, so that these functions stay lazy.
"""

import builtins as _builtins
import math as _math
import operator as _operator
import warnings as _warnings

import numpy as _np
from numpy.lib.array_utils import normalize_axis_tuple as _normalize_axis_tuple

from starp.numpy._array import _no_out
from starp.numpy._array import ndarray
from starp.numpy._array import namespace as _snp

__all__ = [
    "allclose", "isclose", "array_equal", "array_equiv", "average", "ptp", "cov", "corrcoef",
    "nanstd", "nanvar", "nanargmax", "nanargmin", "nancumsum", "nancumprod",
    "nanmedian", "nanpercentile", "nanquantile",
]

_NoValue = _np._NoValue
_range = range




def _arr(a):
    if isinstance(a, ndarray):
        return a
    return _snp().asarray(a)


def _host(*xs):
    """Compute starp values (one sync); NumPy scalars / arrays, in order."""
    import starp

    arrays = [x for x in xs if isinstance(x, ndarray)]
    vals = iter(starp.compute(*arrays)) if arrays else iter(())
    out = []
    for x in xs:
        if isinstance(x, ndarray):
            v = _np.asarray(next(vals))
            out.append(v[()] if v.ndim == 0 else v)
        else:
            out.append(x)
    return out


def _one(x):
    return _host(x)[0]


def _ndim(x):
    return x.ndim if isinstance(x, ndarray) else _np.ndim(x)


def _kd(keepdims):
    return False if keepdims is _NoValue else bool(keepdims)


def _axis_0d(a, axis):
    """NumPy's ufunc reductions take axis=0 or -1 on a 0-d array (as axis=None); starp's
    reductions raise AxisError there, so that axis is passed on as None."""
    if a.ndim == 0 and axis is not None and not isinstance(axis, (tuple, list)):
        if _operator.index(axis) in (0, -1):
            return None
    return axis


def _complex_from(re, im, dtype):
    """re + i*im as a complex array of `dtype`, exact also for non-finite im (re + im * 1j would
    turn an infinite or NaN imaginary part into a NaN real part)."""
    snp = _snp()
    dtype = _np.dtype(dtype)
    finite = snp.where(snp.isfinite(im), im, 0).astype(dtype) * 1j
    special = snp.where(snp.isnan(im), complex(0, _np.nan),
                        snp.where(im > 0, complex(0, _np.inf), complex(0, -_np.inf)))
    im_c = snp.where(snp.isfinite(im), finite, special).astype(dtype)
    return (re.astype(dtype) + im_c).astype(dtype)


def _depth_check(x):
    """NumPy's C-level conversion of a 1-d argument: ValueError for 0-d and n-d inputs."""
    if x.ndim < 1:
        raise ValueError("object of too small depth for desired array")
    if x.ndim > 1:
        raise ValueError("object too deep for desired array")


def _safe_cast(x, dtype):
    """x as `dtype` under NumPy's 'safe' casting rule (TypeError otherwise)."""
    dtype = _np.dtype(dtype)
    if not _np.can_cast(x.dtype, dtype, "safe"):
        raise TypeError(f"Cannot cast array data from {x.dtype!r} to {dtype!r} according to the rule 'safe'")
    return x.astype(dtype, copy=False)


# ---- comparisons ----
def isclose(a, b, rtol=1.e-5, atol=1.e-8, equal_nan=False):
    """NumPy 2's isclose: |a - b| <= atol + rtol * |b| where b is finite, or a == b (infinities of
    the same sign); NaNs equal when equal_nan. b is compared in its float type (result_type(b, 1.))."""
    snp = _snp()
    x, y, atol, rtol = (v if isinstance(v, (int, float, complex)) else _arr(v) for v in (a, b, atol, rtol))
    if isinstance(y, ndarray):
        y = y.astype(_np.result_type(y.dtype, 1.0), copy=False)
    elif isinstance(y, int):
        y = float(y)
    if not isinstance(x, ndarray) and not isinstance(y, ndarray):
        x = snp.asarray(x)
    finite = [_math.isfinite(v.real) and _math.isfinite(v.imag) if isinstance(v, complex) else _math.isfinite(v)
              for v in (atol, rtol) if not isinstance(v, ndarray)]
    finite += [bool(snp.all(snp.isfinite(v))) for v in (atol, rtol) if isinstance(v, ndarray)]
    if not _builtins.all(finite):
        err = _np.geterr()["invalid"]
        msg = f"One of rtol or atol is not valid, atol: {atol}, rtol: {rtol}"
        if err == "warn":
            _warnings.warn(msg, RuntimeWarning, stacklevel=2)
        elif err == "raise":
            raise FloatingPointError(msg)
        elif err == "print":
            print(msg)
    result = (snp.less_equal(snp.abs(x - y), atol + rtol * snp.abs(y)) & snp.isfinite(y)) | snp.equal(x, y)
    if equal_nan:
        result = result | (snp.isnan(x) & snp.isnan(y))
    return result


def allclose(a, b, rtol=1.e-5, atol=1.e-8, equal_nan=False):
    """Whether isclose holds everywhere: a Python bool (computed here)."""
    return bool(_snp().all(isclose(a, b, rtol=rtol, atol=atol, equal_nan=equal_nan)))


def array_equal(a1, a2, equal_nan=False):
    """Same shape and elements (NaNs at the same places are equal when equal_nan): a Python bool."""
    snp = _snp()
    try:
        a1, a2 = _arr(a1), _arr(a2)
    except Exception:  # noqa: BLE001 - NumPy: anything that cannot be an array is not equal
        return False
    if a1.shape != a2.shape:
        return False
    if not equal_nan or (a1.dtype.kind in "biu" and a2.dtype.kind in "biu"):
        return bool((a1 == a2).all())
    if a1 is a2:
        return True
    # NumPy: NaN masks equal, and the non-NaN elements equal; in one pass.
    return bool(((a1 == a2) | (snp.isnan(a1) & snp.isnan(a2))).all())


def array_equiv(a1, a2):
    """Shape consistent (broadcastable) and all elements equal: a Python bool."""
    try:
        a1, a2 = _arr(a1), _arr(a2)
    except Exception:  # noqa: BLE001
        return False
    try:
        _np.broadcast_shapes(a1.shape, a2.shape)
    except ValueError:
        return False
    return bool((a1 == a2).all())


# ---- averages, spread, covariance ----
def ptp(a, axis=None, out=None, keepdims=_NoValue):
    """max - min along the axes (NumPy: maximum.reduce - minimum.reduce, bool raises TypeError)."""
    _no_out(out)
    a = _arr(a)
    kd = _kd(keepdims)
    axis = _axis_0d(a, axis)
    return _snp().subtract(a.max(axis=axis, keepdims=kd), a.min(axis=axis, keepdims=kd))


def _weights_are_valid(weights, a, axis):
    wgt = _arr(weights)
    if a.shape != wgt.shape:
        if axis is None:
            raise TypeError("Axis must be specified when shapes of a and weights differ.")
        if wgt.shape != tuple(a.shape[ax] for ax in axis):
            raise ValueError("Shape of weights must be consistent with shape of a along specified axis.")
        wgt = wgt.transpose([int(i) for i in _np.argsort(axis)])
        wgt = wgt.reshape(tuple((s if ax in axis else 1) for ax, s in enumerate(a.shape)))
    return wgt


def average(a, axis=None, weights=None, returned=False, *, keepdims=_NoValue):
    """NumPy's average: mean, or sum(a * w) / sum(w) in result_type(a, w[, float64]);
    ZeroDivisionError when a weight sum is 0 (checked here: a sync point)."""
    snp = _snp()
    a = _arr(a)
    if axis is not None:
        axis = _normalize_axis_tuple(axis, a.ndim, argname="axis")
    kw = {} if keepdims is _NoValue else {"keepdims": bool(keepdims)}
    if weights is None:
        avg = a.mean(axis, **kw)
        scl = avg.dtype.type(a.size / avg.size)
    else:
        wgt = _weights_are_valid(weights, a, axis)
        if a.dtype.kind in "biu":
            rd = _np.result_type(a.dtype, wgt.dtype, "f8")
        else:
            rd = _np.result_type(a.dtype, wgt.dtype)
        scl = wgt.sum(axis=axis, dtype=rd, **kw)
        if bool((scl == 0.0).any()):
            raise ZeroDivisionError("Weights sum to zero, can't be normalized")
        avg = (a.astype(rd) * wgt.astype(rd)).sum(axis, **kw) / scl
    if returned:
        if tuple(_np.shape(scl)) != avg.shape:
            scl = snp.broadcast_to(scl, avg.shape).copy()
        return avg, scl
    return avg


def cov(m, y=None, rowvar=True, bias=False, ddof=None, fweights=None, aweights=None, *, dtype=None):
    """NumPy's cov: (X - mean) @ (X * w).T.conj() * (1 / fact), squeezed."""
    snp = _snp()
    if ddof is not None and ddof != int(ddof):
        raise ValueError("ddof must be integer")
    m = _arr(m)
    if m.ndim > 2:
        raise ValueError("m has more than 2 dimensions")
    if y is not None:
        y = _arr(y)
        if y.ndim > 2:
            raise ValueError("y has more than 2 dimensions")
    if dtype is None:
        dtype = _np.result_type(m.dtype, _np.float64) if y is None else _np.result_type(m.dtype, y.dtype, _np.float64)
    X = snp.atleast_2d(m).astype(dtype)
    if not rowvar and m.ndim != 1:
        X = X.T
    if X.shape[0] == 0:
        return snp.zeros((0, 0))
    if y is not None:
        y = snp.atleast_2d(y).astype(dtype)
        if not rowvar and y.shape[0] != 1:
            y = y.T
        X = snp.concatenate((X, y), axis=0)
    if ddof is None:
        ddof = 1 if bias == 0 else 0
    w = None
    if fweights is not None:
        fweights = _arr(fweights).astype(_np.float64)
        if not bool((fweights == snp.around(fweights)).all()):
            raise TypeError("fweights must be integer")
        if fweights.ndim > 1:
            raise RuntimeError("cannot handle multidimensional fweights")
        if fweights.shape[0] != X.shape[1]:
            raise RuntimeError("incompatible numbers of samples and fweights")
        if bool((fweights < 0).any()):
            raise ValueError("fweights cannot be negative")
        w = fweights
    if aweights is not None:
        aweights = _arr(aweights).astype(_np.float64)
        if aweights.ndim > 1:
            raise RuntimeError("cannot handle multidimensional aweights")
        if aweights.shape[0] != X.shape[1]:
            raise RuntimeError("incompatible numbers of samples and aweights")
        if bool((aweights < 0).any()):
            raise ValueError("aweights cannot be negative")
        w = aweights if w is None else w * aweights
    avg, w_sum = average(X, axis=1, weights=w, returned=True)
    if w is None:
        fact = X.shape[1] - ddof
    else:
        w_sum = w_sum[0]
        if ddof == 0:
            fact = w_sum
        elif aweights is None:
            fact = w_sum - ddof
        else:
            fact = w_sum - ddof * snp.sum(w * aweights) / w_sum
    if bool(fact <= 0):
        _warnings.warn("Degrees of freedom <= 0 for slice", RuntimeWarning, stacklevel=2)
        fact = 0.0
    X = (X - avg[:, None]).astype(X.dtype)
    X_T = X.T if w is None else (X * w).T
    if X_T.dtype.kind == "c":
        X_T = snp.conj(X_T)
    c = snp.matmul(X, X_T)
    # c *= true_divide(1, fact): a float64 factor, the product cast back to c's dtype.
    if isinstance(fact, ndarray):
        factor = snp.true_divide(1, fact)
    else:
        with _np.errstate(divide="ignore"):
            factor = _np.true_divide(1, fact)
    c = (c * factor).astype(c.dtype)
    return c.squeeze()


def corrcoef(x, y=None, rowvar=True, *, dtype=None):
    """cov / outer(stddev, stddev), real (and imaginary) parts clipped to [-1, 1]."""
    snp = _snp()
    c = cov(x, y, rowvar, dtype=dtype)
    if c.ndim not in (1, 2):
        return c / c
    d = snp.diag(c)
    stddev = snp.sqrt(snp.real(d))
    c = (c / stddev[:, None]).astype(c.dtype)
    c = (c / stddev[None, :]).astype(c.dtype)
    if c.dtype.kind == "c":
        return _complex_from(snp.clip(snp.real(c), -1, 1), snp.clip(snp.imag(c), -1, 1), c.dtype)
    return snp.clip(c, -1, 1)


# ---- NaN-aware functions ----
def _nan_unsupported(where=_NoValue, mean=_NoValue):
    if where is not _NoValue and where is not True:
        raise NotImplementedError("starp's nan-functions do not support where= yet")
    if mean is not _NoValue:
        raise NotImplementedError("starp's nanvar/nanstd do not support mean= yet")


def nanvar(a, axis=None, dtype=None, out=None, ddof=0, keepdims=_NoValue, *, where=_NoValue, mean=_NoValue,
           correction=_NoValue):
    """Variance ignoring NaNs, NumPy's formula: sum(|x - mean|^2 over non-NaN) / (count - ddof);
    NaN where count - ddof <= 0."""
    snp = _snp()
    _no_out(out)
    _nan_unsupported(where, mean)
    a = _arr(a)
    kd = _kd(keepdims)
    if correction is not _NoValue:
        if ddof != 0:
            raise ValueError("ddof and correction can't be provided simultaneously.")
        ddof = correction
    if a.dtype.kind not in "fc":
        if dtype is None:
            return snp.var(a, axis=axis, ddof=ddof, keepdims=kd)
        return _var_in(a, axis, _np.dtype(dtype), ddof, kd)
    axis = _axis_0d(a, axis)
    if dtype is not None:
        dtype = _np.dtype(dtype)
        if dtype.kind not in "fc":
            raise TypeError("If a is inexact, then dtype must be inexact")
    mask = snp.isnan(a)
    arr = snp.where(mask, 0, a)
    cnt = snp.logical_not(mask).sum(axis=axis, dtype=_np.intp, keepdims=True)
    avg = arr.sum(axis=axis, dtype=dtype, keepdims=True)
    avg = (avg / cnt).astype(avg.dtype)
    arr = (arr - avg).astype(arr.dtype)
    arr = snp.where(mask, 0, arr)
    if arr.dtype.kind == "c":
        sqr = snp.real(arr * snp.conj(arr))
    else:
        sqr = arr * arr
    var = sqr.sum(axis=axis, dtype=dtype, keepdims=kd)
    if var.ndim < cnt.ndim:
        cnt = cnt.reshape(var.shape)
    dof = cnt - ddof
    var = (var / dof).astype(var.dtype)
    return snp.where(dof <= 0, _np.nan, var).astype(var.dtype)


def _var_in(a, axis, dtype, ddof, keepdims):
    """NumPy's _var with an explicit dtype (integer dtypes truncate the mean and the result):
    sum(a, dtype) / n, (a - mean)**2 summed in dtype, / max(n - ddof, 0), each cast to dtype."""
    axes = None if axis is None else _normalize_axis_tuple(axis, a.ndim)
    rcount = a.size if axes is None else int(_np.prod([a.shape[i] for i in axes]))
    arrmean = a.sum(axis=axes, dtype=dtype, keepdims=True)
    arrmean = (arrmean / rcount).astype(arrmean.dtype)
    x = a - arrmean
    ret = (x * x).sum(axis=axes, dtype=dtype, keepdims=keepdims)
    return (ret / _builtins.max(rcount - ddof, 0)).astype(ret.dtype)


def nanstd(a, axis=None, dtype=None, out=None, ddof=0, keepdims=_NoValue, *, where=_NoValue, mean=_NoValue,
           correction=_NoValue):
    """sqrt(nanvar(...))."""
    return _snp().sqrt(nanvar(a, axis=axis, dtype=dtype, out=out, ddof=ddof, keepdims=keepdims, where=where,
                              mean=mean, correction=correction))


def _nanarg(a, axis, out, keepdims, fill, name):
    snp = _snp()
    _no_out(out)
    a = _arr(a)
    axis = _axis_0d(a, axis)
    if a.dtype.kind in "fc":
        mask = snp.isnan(a)
        if mask.size and bool(mask.all(axis=axis).any()):
            raise ValueError("All-NaN slice encountered")
        a = snp.where(mask, fill, a)
    return getattr(snp, name)(a, axis=axis, keepdims=_kd(keepdims))


def nanargmin(a, axis=None, out=None, *, keepdims=_NoValue):
    """argmin with NaNs ignored; ValueError for a slice of NaNs only (checked here: a sync point)."""
    return _nanarg(a, axis, out, keepdims, _np.inf, "argmin")


def nanargmax(a, axis=None, out=None, *, keepdims=_NoValue):
    """argmax with NaNs ignored; ValueError for a slice of NaNs only (checked here: a sync point)."""
    return _nanarg(a, axis, out, keepdims, -_np.inf, "argmax")


def _nan_replaced(a, val):
    snp = _snp()
    a = _arr(a)
    if a.dtype.kind in "fc":
        return snp.where(snp.isnan(a), val, a)
    return a


def nancumsum(a, axis=None, dtype=None, out=None):
    """cumsum with NaNs taken as 0."""
    return _snp().cumsum(_nan_replaced(a, 0), axis=axis, dtype=dtype, out=out)


def nancumprod(a, axis=None, dtype=None, out=None):
    """cumprod with NaNs taken as 1."""
    return _snp().cumprod(_nan_replaced(a, 1), axis=axis, dtype=dtype, out=out)


def _nan_lanes(a, axis):
    """The reduced axes of a as the last axis, sorted (NaNs last), with the non-NaN count of each
    lane: (lanes, sorted lanes, count (..., 1) int64, kept-dims shape)."""
    snp = _snp()
    from starp.numpy._data_dependent import _reduce_axes

    x, ax, kept = _reduce_axes(a, axis)
    if ax != x.ndim - 1:
        x = snp.moveaxis(x, ax, -1)
    s = snp.sort(x, axis=-1)
    n = snp.logical_not(snp.isnan(x)).sum(axis=-1, dtype=_np.intp, keepdims=True)
    return x, s, n, kept


def nanmedian(a, axis=None, out=None, overwrite_input=False, keepdims=_NoValue):
    """Median of the non-NaN values of each lane (NaN for all-NaN lanes): the middle value, or the
    mean of the two middle values in a's float type."""
    snp = _snp()
    _no_out(out)
    a = _arr(a)
    kd = _kd(keepdims)
    if a.size == 0:
        return snp.nanmean(a, axis, keepdims=keepdims)
    if a.dtype.kind not in "fc":
        return snp.median(a, axis=axis, keepdims=kd)
    # Complex values with a NaN part sort after all others, as NaNs do.
    x, s, n, kept = _nan_lanes(a, axis)
    lo = snp.take_along_axis(s, snp.maximum((n - 1) // 2, 0), axis=-1)
    hi = snp.take_along_axis(s, snp.minimum(n // 2, s.shape[-1] - 1), axis=-1)
    mid = (lo + hi) / 2
    # NumPy's masked-array path (an axis, several lanes shorter than 600) halves lo + hi also for
    # odd counts; np.median (one lane, or long lanes) takes the middle value itself.
    masked_path = axis is not None and s.ndim > 1 and s.shape[-1] < 600
    med = mid if masked_path else snp.where(n % 2 == 1, hi, mid)
    # All-NaN lanes: NaN (masked path), or the lane's last element (np.median path).
    med = snp.where(n == 0, _np.nan if masked_path else x[..., -1:], med).astype(mid.dtype)
    rest = kept if kd else s.shape[:-1]
    return med.reshape(rest)


def _check_quantile_method(method, weights):
    if weights is not None:
        if method != "inverted_cdf":
            raise ValueError(f"Only method 'inverted_cdf' supports weights. Got: {method}.")
        raise NotImplementedError("starp's nanquantile does not support weights yet")
    if method != "linear":
        from numpy.lib._function_base_impl import _QuantileMethods

        if method not in _QuantileMethods:
            raise ValueError(f"{method!r} is not a valid method. Use one of: {_QuantileMethods.keys()}")
        raise NotImplementedError(f"starp's nanquantile supports method='linear' only (got {method!r})")


def _nanquantile(a, q, axis, keepdims, method, weights, percent):
    snp = _snp()
    a = _arr(a)
    if a.dtype.kind == "c":
        raise TypeError("a must be an array of real numbers")
    weak = type(q) in (int, float)
    qh = _one(q) if isinstance(q, ndarray) else q
    qa = _np.true_divide(qh, 100) if percent else _np.asanyarray(qh)
    qa = _np.asanyarray(qa)
    with _np.errstate(invalid="ignore"):
        valid = qa.size == 0 or (_np.all(0 <= qa) and _np.all(qa <= 1))
    if not valid:
        raise ValueError("Percentiles must be in the range [0, 100]" if percent else
                         "Quantiles must be in the range [0, 1]")
    if weights is not None:
        _check_quantile_method(method, weights)
    kd = _kd(keepdims)
    if a.size == 0:
        return snp.nanmean(a, axis, keepdims=keepdims)
    _check_quantile_method(method, None)
    if qa.ndim > 2:
        raise ValueError("q must be a scalar or 1d")
    adt = a.dtype
    _, s, n, kept = _nan_lanes(a, axis)
    m = s.shape[-1]
    qf = snp.asarray(qa.ravel())
    if qa.dtype.kind in "iub":
        # Integer q (0 or 1): the order statistic itself, in a's dtype.
        idx = snp.clip((n - 1) * qf.astype(_np.intp), 0, m - 1)
        res = snp.take_along_axis(s, idx, axis=-1)
        res = snp.where(n == 0, _np.nan, res).astype(adt)
    else:
        qd = qa.dtype
        nm1 = (n - 1).astype(qd)
        virtual = nm1 * qf
        prev = snp.floor(virtual)
        nxt = prev + 1
        above = virtual >= nm1
        prev, nxt = snp.where(above, -1, prev), snp.where(above, -1, nxt)
        below = virtual < 0
        prev, nxt = snp.where(below, 0, prev), snp.where(below, 0, nxt)
        isn = snp.isnan(virtual)
        prev, nxt = snp.where(isn, -1, prev), snp.where(isn, -1, nxt)
        prev_i, nxt_i = prev.astype(_np.intp), nxt.astype(_np.intp)
        gamma = (virtual - prev_i).astype(qd)
        # -1 is the last non-NaN value of the lane.
        pv = snp.take_along_axis(s, snp.clip(snp.where(prev_i < 0, prev_i + n, prev_i), 0, m - 1), axis=-1)
        nv = snp.take_along_axis(s, snp.clip(snp.where(nxt_i < 0, nxt_i + n, nxt_i), 0, m - 1), axis=-1)
        if weak:
            # A Python-float gamma per lane in NumPy: converted to a's float type, 1 - gamma in double.
            wt = adt if adt.kind == "f" else _np.dtype(_np.float64)
            t, omt = gamma.astype(wt), (1 - gamma.astype(_np.float64)).astype(wt)
        else:
            t, omt = gamma, 1 - gamma
        diff = nv - pv
        lerp = pv + diff * t
        alt = (nv - diff * omt).astype(lerp.dtype)
        res = snp.where(gamma >= 0.5, alt, lerp)
        res = snp.where(n == 0, _np.nan, res).astype(lerp.dtype)
        if res.dtype != adt and bool(n.ravel()[0] == 0):
            # NumPy's result takes the dtype of its first lane, a's dtype when it is all NaN.
            res = res.astype(adt)
    res = snp.moveaxis(res, -1, 0)
    rest = kept if kd else s.shape[:-1]
    return res.reshape(qa.shape + tuple(rest))


def nanquantile(a, q, axis=None, out=None, overwrite_input=False, method="linear", keepdims=_NoValue, *,
                weights=None):
    """q-th quantiles of the non-NaN values of each lane (NaN for all-NaN lanes), linear method."""
    _no_out(out)
    return _nanquantile(a, q, axis, keepdims, method, weights, False)


def nanpercentile(a, q, axis=None, out=None, overwrite_input=False, method="linear", keepdims=_NoValue, *,
                  weights=None):
    """q-th percentiles of the non-NaN values of each lane (NaN for all-NaN lanes), linear method."""
    _no_out(out)
    return _nanquantile(a, q, axis, keepdims, method, weights, True)
