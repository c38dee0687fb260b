"""Data-dependent operations: boolean-mask and integer-array indexing, nonzero and friends,
take/put, sorting, unique, searchsorted, quantiles and cumulative sums.

How each one runs (the decisions are made in Rust, runtime/src/api/{select,sorting}.rs):

* index arrays and masks are computed at the call (a sync point, so that NumPy's IndexErrors
  are raised there); the selection itself is a lazy gather/scatter node of known shape, run
  on a replicated copy of the indexed array. ``a[mask] = scalar`` is a ``where``: no sync.
* ``nonzero``, ``argwhere``, ``flatnonzero``, ``extract``, ``compress`` and ``unique`` have
  data-dependent shapes: they compute at the call.
* ``sort``, ``argsort``, ``partition``, ``argpartition``, ``searchsorted``, ``cumsum``,
  ``cumprod``, ``quantile``, ``percentile`` and ``median`` are lazy host nodes: every rank
  computes the same result on a full copy (replicated, not distributed yet).
* ``count_nonzero`` is a reduction (distributed).

Argument parsing only, as in the rest of starp.numpy.
"""

import numpy as _np
from numpy.lib.array_utils import normalize_axis_index as _normalize_axis_index
from numpy.lib.array_utils import normalize_axis_tuple as _normalize_axis_tuple

from starp import _core
from starp.numpy._array import store_out
from starp.numpy._array import dtype_name as _dtype_name
from starp.numpy._array import from_numpy as _from_numpy
from starp.numpy._array import ndarray
from starp.numpy._array import operand as _operand
from starp.numpy._array import wrap as _wrap

__all__ = [
    "nonzero", "argwhere", "flatnonzero", "count_nonzero", "extract", "compress", "take", "put",
    "take_along_axis", "sort", "argsort", "partition", "argpartition", "searchsorted", "unique",
    "median", "percentile", "quantile", "cumsum", "cumprod",
]

_INDEX_MSG = (
    "only integers, slices (`:`), ellipsis (`...`), numpy.newaxis (`None`) and integer or boolean "
    "arrays are valid indices"
)


def _asarray(a, s=None):
    if isinstance(a, ndarray):
        return a
    return _from_numpy(_np.asarray(a), s)


# ---- indexing ----
def _items(key, s):
    items = key if type(key) is tuple else (key,)
    out = []
    for k in items:
        if isinstance(k, ndarray):
            if k.dtype.kind not in "biu":
                raise IndexError("arrays used as indices must be of integer (or boolean) type")
            out.append(int(k) if k.ndim == 0 and k.dtype.kind in "iu" else k._a)
        elif isinstance(k, (list, _np.ndarray, bool, _np.bool_)):
            x = _np.asarray(k)
            if x.dtype.kind not in "biu":
                if x.size == 0 and not isinstance(k, _np.ndarray):
                    x = x.astype(_np.intp)
                elif isinstance(k, _np.ndarray):
                    raise IndexError("arrays used as indices must be of integer (or boolean) type")
                else:
                    raise IndexError(_INDEX_MSG)
            out.append(int(x) if x.ndim == 0 and x.dtype.kind in "iu" else _from_numpy(x, s)._a)
        else:
            out.append(k)
    return out


def getitem(a, key):
    """``a[key]`` with index arrays or masks (called by ndarray.__getitem__)."""
    return _wrap(_core.getitem_adv(a._s, a._a, _items(key, a._s)), a._s, scalar=False)


def setitem(a, key, value):
    """``a[key] = value`` with index arrays or masks (called by ndarray.__setitem__)."""
    _core.setitem_adv(a._s, a._a, _items(key, a._s), _operand(value, a._s))


# ---- nonzero and friends ----
def nonzero(a):
    a = _asarray(a)
    return tuple(_wrap(x, a._s, scalar=False) for x in _core.nonzero(a._s, a._a))


def argwhere(a):
    a = _asarray(a)
    return _wrap(_core.argwhere(a._s, a._a), a._s, scalar=False)


def flatnonzero(a):
    return nonzero(_asarray(a).ravel())[0]


def count_nonzero(a, axis=None, *, keepdims=False):
    a = _asarray(a)
    return (a != 0).sum(axis=axis, dtype=_np.intp, keepdims=keepdims)


def extract(condition, arr):
    arr = _asarray(arr)
    cond = _asarray(condition, arr._s)
    return take(arr.ravel(), nonzero(cond.ravel())[0])


def compress(condition, a, axis=None, out=None):
    a = _asarray(a)
    cond = _asarray(condition, a._s)
    if cond.ndim != 1:
        raise ValueError("condition must be a 1-d array")
    idx = nonzero(cond)[0]
    return take(a, idx, axis=axis, out=out)


def _mode_index(indices, n, mode, s):
    if mode == "raise":
        return indices
    idx = _asarray(indices, s)
    if mode == "wrap":
        return idx % n
    if mode == "clip":
        return idx.clip(0, n - 1) if hasattr(idx, "clip") else _np.clip(idx, 0, n - 1)
    raise ValueError(f"clipmode must be one of 'clip', 'raise', or 'wrap' (got {mode!r})")


def take(a, indices, axis=None, out=None, mode="raise"):
    return store_out(_take(a, indices, axis, mode), out)


def _take(a, indices, axis, mode):
    a = _asarray(a)
    if axis is None:
        a = a.ravel()
        axis = 0
    axis = _normalize_axis_index(axis, a.ndim)
    indices = _mode_index(indices, a.shape[axis], mode, a._s)
    if isinstance(indices, (int, _np.integer)) and not isinstance(indices, (bool, _np.bool_)):
        return a[(slice(None),) * axis + (int(indices),)].copy()
    idx = _asarray(indices, a._s)
    if idx.dtype.kind not in "iu":
        raise TypeError(f"Cannot cast array data from dtype('{idx.dtype}') to dtype('int64') according to the rule 'safe'")
    if idx.ndim == 0:
        return a[(slice(None),) * axis + (int(idx),)].copy()
    return getitem(a, (slice(None),) * axis + (idx,))


def put(a, ind, v, mode="raise"):
    if not isinstance(a, ndarray):
        raise TypeError(f"argument 1 must be starp.numpy.ndarray, not {type(a).__name__}")
    ind = _mode_index(ind, a.size, mode, a._s)
    ind = _asarray(ind, a._s)
    _core.put(a._s, a._a, ind._a, _operand(v, a._s))


def take_along_axis(arr, indices, axis=-1):
    arr = _asarray(arr)
    indices = _asarray(indices, arr._s)
    if axis is None:
        if indices.ndim != 1:
            raise ValueError("when axis=None, `indices` must have a single dimension.")
        arr = arr.ravel()
        axis = 0
    return _wrap(_core.take_along_axis(arr._s, arr._a, indices._a, int(axis)), arr._s, scalar=False)


# ---- sorting ----
def _no_order(order):
    if order is not None:
        raise NotImplementedError("starp does not support structured dtypes (order=)")


def sort(a, axis=-1, kind=None, order=None, *, stable=None):
    _no_order(order)
    a = _asarray(a)
    return _wrap(_core.sort(a._s, a._a, None if axis is None else int(axis), False), a._s, scalar=False)


def argsort(a, axis=-1, kind=None, order=None, *, stable=None):
    _no_order(order)
    a = _asarray(a)
    return _wrap(_core.sort(a._s, a._a, None if axis is None else int(axis), True), a._s, scalar=False)


def _check_kth(a, kth, axis):
    n = a.size if axis is None else a.shape[_normalize_axis_index(axis, a.ndim)]
    ks = _np.asarray(kth)
    if ks.dtype.kind not in "iu":
        raise TypeError("Partition index must be integer")
    for k in ks.ravel().tolist():
        if not -n <= k < n:
            raise ValueError(f"kth(={k}) out of bounds ({n})")


def partition(a, kth, axis=-1, kind="introselect", order=None):
    """Sorted along the axis: a valid partition for every kth (NumPy guarantees only that)."""
    _no_order(order)
    a = _asarray(a)
    _check_kth(a, kth, axis)
    return sort(a, axis)


def argpartition(a, kth, axis=-1, kind="introselect", order=None):
    _no_order(order)
    a = _asarray(a)
    _check_kth(a, kth, axis)
    return argsort(a, axis)


def searchsorted(a, v, side="left", sorter=None):
    a = _asarray(a)
    if side not in ("left", "right"):
        raise ValueError(f"side must be 'left' or 'right' (got {side!r})")
    if sorter is not None:
        a = take(a, sorter)
    return _wrap(_core.searchsorted(a._s, a._a, _operand(v, a._s), side == "right"), a._s)


def unique(ar, return_index=False, return_inverse=False, return_counts=False, axis=None, *, equal_nan=True,
           sorted=True):
    ar = _asarray(ar)
    if axis is not None:
        raise NotImplementedError("starp's unique does not support axis= yet")
    if not equal_nan:
        raise NotImplementedError("starp's unique supports equal_nan=True only")
    vals, idx, inv, cnt = (_wrap(x, ar._s, scalar=False) for x in _core.unique(ar._s, ar._a))
    if not (return_index or return_inverse or return_counts):
        return vals
    out = [vals]
    if return_index:
        out.append(idx)
    if return_inverse:
        out.append(inv.reshape(ar.shape))
    if return_counts:
        out.append(cnt)
    return tuple(out)


# ---- order statistics ----
def _reduce_axes(a, axis):
    """(array, axis) with the reduced axes merged into one; and the kept-dims shape."""
    if axis is None:
        return a.ravel(), 0, (1,) * a.ndim
    axes = _normalize_axis_tuple(axis, a.ndim)
    kept = tuple(1 if i in axes else d for i, d in enumerate(a.shape))
    if len(axes) == 1:
        return a, axes[0], kept
    from starp.numpy._shape_ops import moveaxis

    k = len(axes)
    x = moveaxis(a, list(axes), list(range(a.ndim - k, a.ndim)))
    x = x.reshape(x.shape[: a.ndim - k] + (-1,))
    return x, x.ndim - 1, kept


def _quantile(a, q, axis, keepdims, method, weights, interpolation, percent):
    if weights is not None or interpolation is not None:
        raise NotImplementedError("starp's quantile does not support weights= or interpolation= yet")
    if method != "linear":
        raise NotImplementedError(f"starp's quantile supports method='linear' only (got {method!r})")
    a = _asarray(a)
    if a.dtype.kind == "c":
        raise TypeError("a must be an array of real numbers")
    weak = type(q) in (int, float)
    if isinstance(q, ndarray):
        q = q.compute()
    qa = _np.true_divide(q, 100) if percent else _np.asanyarray(q)
    with _np.errstate(invalid="ignore"):
        if not (_np.all(0 <= qa) and _np.all(qa <= 1)):
            raise ValueError("Percentiles must be in the range [0, 100]" if percent else "Quantiles must be in the range [0, 1]")
    if qa.ndim > 2:
        raise ValueError("q must be a scalar or 1d")
    x, ax, kept = _reduce_axes(a, axis)
    rest = kept if keepdims else tuple(d for i, d in enumerate(x.shape) if i != ax)
    if qa.dtype.kind in "iu":
        # Integer q (0 or 1): NumPy takes the order statistic itself, in a's dtype.
        return _quantile_take(x, ax, qa, rest)
    if a.dtype == _np.float32 and weak:
        out = "float32"
    else:
        base = a.dtype if a.dtype.kind == "f" else _np.dtype(_np.float64)
        out = _np.result_type(base, qa.dtype).name if qa.dtype.kind == "f" else "float64"
    # A float32 q array (not a Python float) makes NumPy index in float32.
    f32_index = not weak and qa.dtype == _np.float32
    r = _wrap(_core.quantile(a._s, x._a, [float(v) for v in qa.ravel()], int(ax), out, f32_index), a._s)
    r = r.reshape(qa.shape + rest)
    if r.ndim == 0 and a.dtype.kind == "f" and r.dtype != a.dtype and _np.isnan(r.compute()):
        # NumPy's quirk: a 0-d result of a lane with NaN is that lane's last element, in a's dtype.
        return r.astype(a.dtype)
    return r


def _quantile_take(x, ax, qa, rest):
    import starp.numpy as snp

    n = x.shape[ax]
    s = sort(x, axis=ax)
    r = take(s, (qa.ravel().astype(_np.int64) * (n - 1)), axis=ax)
    r = snp.moveaxis(r, ax, 0)
    if x.dtype.kind == "f":
        last = s[(slice(None),) * ax + (-1,)]
        r = snp.where(snp.isnan(last), _np.nan, r).astype(x.dtype)
    return r.reshape(qa.shape + rest)


def quantile(a, q, axis=None, out=None, overwrite_input=False, method="linear", keepdims=False, *, weights=None,
             interpolation=None):
    return store_out(_quantile(a, q, axis, keepdims, method, weights, interpolation, False), out)


def percentile(a, q, axis=None, out=None, overwrite_input=False, method="linear", keepdims=False, *, weights=None,
               interpolation=None):
    return store_out(_quantile(a, q, axis, keepdims, method, weights, interpolation, True), out)


def median(a, axis=None, out=None, overwrite_input=False, keepdims=False):
    return store_out(_median(a, axis, keepdims), out)


def _median(a, axis, keepdims):
    a = _asarray(a)
    x, ax, kept = _reduce_axes(a, axis)
    r = _wrap(_core.median(a._s, x._a, int(ax)), a._s)
    return r.reshape(kept) if keepdims else r


# ---- cumulative ----
def _acc_dtype(a, dtype):
    if dtype is not None:
        return _dtype_name(dtype)
    d = a.dtype
    if d.kind == "b" or (d.kind == "i" and d.itemsize < 8):
        return "int64"
    if d.kind == "u" and d.itemsize < 8:
        return "uint64"
    return d.name


def _cumulative(a, axis, dtype, out, prod):
    a = _asarray(a)
    if a.ndim == 0:
        a = a.reshape(1)  # NumPy accumulates a 0-d array as a 1-d one, on any axis
    ax = None if axis is None else int(axis)
    return store_out(_wrap(_core.cumulative(a._s, a._a, ax, prod, _acc_dtype(a, dtype)), a._s, scalar=False), out)


def cumsum(a, axis=None, dtype=None, out=None):
    return _cumulative(a, axis, dtype, out, False)


def cumprod(a, axis=None, dtype=None, out=None):
    return _cumulative(a, axis, dtype, out, True)


# ---- ndarray methods ----
def _m_sort(self, axis=-1, kind=None, order=None, *, stable=None):
    _no_order(order)
    self[...] = sort(self, axis)


def _m_partition(self, kth, axis=-1, kind="introselect", order=None):
    _check_kth(self, kth, axis)
    self[...] = sort(self, axis)


def _m_put(self, indices, values, mode="raise"):
    put(self, indices, values, mode)


ndarray.sort = _m_sort
ndarray.argsort = lambda self, axis=-1, kind=None, order=None, *, stable=None: argsort(self, axis, kind, order)
ndarray.partition = _m_partition
ndarray.argpartition = lambda self, kth, axis=-1, kind="introselect", order=None: argpartition(self, kth, axis)
ndarray.nonzero = lambda self: nonzero(self)
ndarray.cumsum = lambda self, axis=None, dtype=None, out=None: cumsum(self, axis, dtype, out)
ndarray.cumprod = lambda self, axis=None, dtype=None, out=None: cumprod(self, axis, dtype, out)
ndarray.take = lambda self, indices, axis=None, out=None, mode="raise": take(self, indices, axis, out, mode)
ndarray.put = _m_put
ndarray.compress = lambda self, condition, axis=None, out=None: compress(condition, self, axis, out)
ndarray.searchsorted = lambda self, v, side="left", sorter=None: searchsorted(self, v, side, sorter)
