"""Array manipulation with NumPy's semantics, composed of starp's lazy primitives: append,
insert, delete, resize, block, the split helpers, rot90, rollaxis, diagflat, trim_zeros,
choose, select, piecewise, copyto/putmask/place/put_along_axis (in place), apply_along_axis,
apply_over_axes, vectorize, frompyfunc, matvec, vecmat, nan_to_num, the isposinf/iscomplex
family, real_if_close and fix.

Where these read data to decide something (index arguments such as ``obj`` of insert/delete,
the bounds of trim_zeros, ``mode='raise'`` of choose, real_if_close, the selections of
piecewise, an empty ``vals`` of place) they are sync points: the small host values are
computed at the call, so NumPy's exceptions are raised there. Everything else stays a lazy
graph node. ``vectorize`` and ``frompyfunc`` call a Python function per element: they compute
their inputs, run the function on the host (every rank runs it, on the same values) and wrap
the result as a starp array.
"""

import operator as _operator

import numpy as _np
from numpy.lib.array_utils import normalize_axis_index as _normalize_axis_index
from numpy.lib.array_utils import normalize_axis_tuple as _normalize_axis_tuple

from starp.numpy._array import from_numpy as _from_numpy
from starp.numpy._array import ndarray
from starp.numpy._array import namespace as _snp

__all__ = [
    "append", "insert", "delete", "resize", "block", "hsplit", "vsplit", "dsplit", "rot90",
    "rollaxis", "diagflat", "trim_zeros", "choose", "select", "piecewise", "copyto", "putmask",
    "place", "put_along_axis", "apply_along_axis", "apply_over_axes", "vectorize", "frompyfunc",
    "matvec", "vecmat", "nan_to_num", "isneginf", "isposinf", "iscomplex", "isreal",
    "iscomplexobj", "isrealobj", "real_if_close", "fix",
]

_PY_SCALARS = (bool, int, float, complex)

#: at most this many contiguous pieces are joined by concatenate; more become one gather
_MAX_RUNS = 16



def _host(x):
    """x with its starp arrays computed (index arguments and the like: a sync point)."""
    return x.compute() if isinstance(x, ndarray) else x


def _along(axis, sl):
    return (slice(None),) * axis + (sl,)


def _take_runs(parts, idx, axis):
    """Entries idx (host ints >= 0) along axis of the arrays `parts` joined along axis, as a
    new array. A few contiguous runs are slices of the parts joined by concatenate (lazy,
    distributed); many become one gather (take)."""
    snp = _snp()
    idx = _np.asarray(idx, dtype=_np.intp).ravel()
    offsets = _np.cumsum([0] + [p.shape[axis] for p in parts])
    n = idx.size
    if n == 0:
        return parts[0][_along(axis, slice(0, 0))].copy()
    # a run ends where the next index does not follow, or where the next part begins
    cut = (_np.diff(idx) != 1) | _np.isin(idx[1:], offsets[1:-1])
    breaks = _np.flatnonzero(cut) + 1
    starts = [0] + breaks.tolist()
    ends = breaks.tolist() + [n]
    if len(starts) > _MAX_RUNS:
        x = parts[0] if len(parts) == 1 else snp.concatenate(parts, axis=axis)
        return snp.take(x, idx, axis=axis)
    pieces = []
    for s, e in zip(starts, ends):
        k = int(_np.searchsorted(offsets, idx[s], side="right")) - 1
        lo = int(idx[s] - offsets[k])
        pieces.append(parts[k][_along(axis, slice(lo, lo + e - s))])
    return pieces[0].copy() if len(pieces) == 1 else snp.concatenate(pieces, axis=axis)


def _flat_axis(arr, axis):
    """NumPy's (arr, axis) of insert/delete/append: axis=None works on the flattened array."""
    if axis is None:
        if arr.ndim != 1:
            arr = arr.ravel()
        return arr, arr.ndim - 1
    return arr, _normalize_axis_index(axis, arr.ndim)


# ---- append, insert, delete, resize ----
def append(arr, values, axis=None):
    """Values appended to the end of arr along axis (both flattened when axis is None)."""
    snp = _snp()
    arr = snp.asarray(arr)
    if axis is None:
        if arr.ndim != 1:
            arr = arr.ravel()
        values = snp.ravel(values)
        axis = arr.ndim - 1
    return snp.concatenate((arr, values), axis=axis)


def delete(arr, obj, axis=None):
    """A new array without the entries obj (int, slice, int array or boolean mask) along axis
    (of the flattened array when axis is None).

    Which entries stay is decided by NumPy's own delete run on ``arange(N)`` (host indices of
    one axis only), so the index errors are NumPy's; the data is sliced and concatenated."""
    snp = _snp()
    arr, axis = _flat_axis(snp.asarray(arr), axis)
    n = arr.shape[axis]
    keep = _np.delete(_np.arange(n, dtype=_np.intp), _host(obj))
    return _take_runs([arr], keep, axis)


def _values_ndmin(values, arr):
    """NumPy's ``array(values, copy=None, ndmin=arr.ndim, dtype=arr.dtype)``."""
    if isinstance(values, ndarray):
        v = values.astype(arr.dtype, copy=False)
        if v.ndim < arr.ndim:
            v = v.reshape((1,) * (arr.ndim - v.ndim) + v.shape)
        return v
    return _from_numpy(_np.array(values, copy=None, ndmin=arr.ndim, dtype=arr.dtype), arr._s)


def _values_into(values, shape, arr):
    """``new[index] = values``: values converted to arr's dtype as setitem converts them (unsafe
    for arrays, NumPy's conversion of Python objects) and broadcast to shape."""
    snp = _snp()
    if isinstance(values, ndarray):
        v = values.astype(arr.dtype, copy=False)
    else:
        tmp = _np.empty(_np.shape(values), arr.dtype)
        tmp[...] = values
        v = _from_numpy(tmp, arr._s)
    while v.ndim > len(shape) and v.shape[0] == 1:
        v = v[0]
    if v.ndim > len(shape) or _np.broadcast_shapes(v.shape, tuple(shape)) != tuple(shape):
        raise ValueError(f"shape mismatch: value array of shape {v.shape} could not be broadcast to "
                         f"indexing result of shape {tuple(shape)}")
    return snp.broadcast_to(v, tuple(shape))


def insert(arr, obj, values, axis=None):
    """A new array with values inserted before the indices obj along axis (of the flattened
    array when axis is None); NumPy's rules: a scalar obj inserts values as one block (moved to
    the axis), a sequence inserts one slice per index (stable for repeated indices).

    The positions come from NumPy's insert run on ``arange(N)`` (host indices of one axis), so
    the index errors are NumPy's; the data is concatenated."""
    snp = _snp()
    arr, axis = _flat_axis(snp.asarray(arr), axis)
    obj = _host(obj)
    n = arr.shape[axis]
    # NumPy's reading of obj (its error messages and the single/multiple split).
    if isinstance(obj, slice):
        indices = _np.arange(*obj.indices(n), dtype=_np.intp)
    else:
        indices = _np.array(obj)
        if indices.dtype == bool:
            if obj.ndim != 1:  # (an AttributeError for a list, as NumPy)
                raise ValueError("boolean array argument obj to insert must be one dimensional")
            indices = _np.flatnonzero(obj)
        elif indices.ndim > 1:
            raise ValueError("index array argument obj to insert must be one dimensional or scalar")
    shape = list(arr.shape)
    if indices.size == 1:
        v = _values_ndmin(values, arr)
        if indices.ndim == 0:
            # a[:, 0] = ... broadcasts differently from a[:, [0]] = ...: values move to the axis
            v = snp.moveaxis(v, 0, axis)
        numnew = v.shape[axis]
        shape[axis] = numnew
        src = _np.insert(_np.arange(n, dtype=_np.intp), obj, _np.arange(-1, -numnew - 1, -1))
        v = _values_into(v, shape, arr)
    else:
        numnew = len(indices)
        src = _np.insert(_np.arange(n, dtype=_np.intp), obj, _np.arange(-1, -numnew - 1, -1))
        shape[axis] = numnew
        v = _values_into(values, shape, arr)
    # src[p] >= 0: old entry src[p]; src[p] = -1 - j: inserted slice j (stored after the old ones)
    idx = _np.where(src >= 0, src, n - 1 - src)
    return _take_runs([arr, v], idx, axis)


def resize(a, new_shape):
    """a flattened, repeated as often as needed and cut to new_shape (zeros if a is empty)."""
    snp = _snp()
    if isinstance(new_shape, (int, _np.integer)):
        new_shape = (new_shape,)
    a = snp.ravel(a)
    new_size = 1
    for dim_length in new_shape:
        new_size *= dim_length
        if dim_length < 0:
            raise ValueError("all elements of `new_shape` must be non-negative")
    new_shape = tuple(_operator.index(d) for d in new_shape)
    if a.size == 0 or new_size == 0:
        return snp.zeros(new_shape, a.dtype)
    repeats = -(-new_size // a.size)
    if repeats > 1:
        a = snp.tile(a, repeats)
    return a[:new_size].reshape(new_shape)


# ---- block ----
def _block_format_index(index):
    return "arrays" + "".join(f"[{i}]" for i in index if i is not None)


def _size(x):
    return x.size if isinstance(x, ndarray) else _np.size(x)


def _ndim(x):
    return x.ndim if isinstance(x, ndarray) else _np.ndim(x)


def _block_check_depths_match(arrays, parent_index=()):
    """NumPy's check: (index of the first bottom, largest array ndim, total size)."""
    parent_index = list(parent_index)
    if isinstance(arrays, tuple):
        raise TypeError(
            f"{_block_format_index(parent_index)} is a tuple. Only lists can be used to arrange blocks, "
            "and np.block does not allow implicit conversion from tuple to ndarray."
        )
    if isinstance(arrays, list) and len(arrays) > 0:
        idxs_ndims = (_block_check_depths_match(arr, parent_index + [i]) for i, arr in enumerate(arrays))
        first_index, max_arr_ndim, final_size = next(idxs_ndims)
        for index, ndim, size in idxs_ndims:
            final_size += size
            max_arr_ndim = max(max_arr_ndim, ndim)
            if len(index) != len(first_index):
                raise ValueError(
                    "List depths are mismatched. First element was at depth "
                    f"{len(first_index)}, but there is an element at depth {len(index)} "
                    f"({_block_format_index(index)})"
                )
            if index[-1] is None:
                first_index = index
        return first_index, max_arr_ndim, final_size
    if isinstance(arrays, list):
        return parent_index + [None], 0, 0
    return parent_index, _ndim(arrays), _size(arrays)


def _atleast_nd(x, ndim):
    x = _snp().asarray(x)
    return x.reshape((1,) * (ndim - x.ndim) + x.shape) if x.ndim < ndim else x


def _block(arrays, max_depth, result_ndim, depth=0):
    if depth < max_depth:
        arrs = [_block(arr, max_depth, result_ndim, depth + 1) for arr in arrays]
        return _snp().concatenate(arrs, axis=-(max_depth - depth))
    return _atleast_nd(arrays, result_ndim)


def block(arrays):
    """An array assembled from nested lists of blocks: the innermost lists are concatenated
    along the last axis, the next ones along the second last, ... (NumPy's depth rules)."""
    bottom_index, arr_ndim, _ = _block_check_depths_match(arrays)
    list_ndim = len(bottom_index)
    if bottom_index and bottom_index[-1] is None:
        raise ValueError(f"List at {_block_format_index(bottom_index)} cannot be empty")
    result_ndim = max(arr_ndim, list_ndim)
    result = _block(arrays, list_ndim, result_ndim)
    if list_ndim == 0:
        result = result.copy()
    return result


# ---- splits and rotations ----
def hsplit(ary, indices_or_sections):
    """split along axis 1 (axis 0 for 1-d arrays)."""
    if _ndim(ary) == 0:
        raise ValueError("hsplit only works on arrays of 1 or more dimensions")
    # (ary.ndim: a list is an AttributeError, as in NumPy)
    return _snp().split(ary, indices_or_sections, 1 if ary.ndim > 1 else 0)


def vsplit(ary, indices_or_sections):
    """split along axis 0 of an array of 2 or more dimensions."""
    if _ndim(ary) < 2:
        raise ValueError("vsplit only works on arrays of 2 or more dimensions")
    return _snp().split(ary, indices_or_sections, 0)


def dsplit(ary, indices_or_sections):
    """split along axis 2 of an array of 3 or more dimensions."""
    if _ndim(ary) < 3:
        raise ValueError("dsplit only works on arrays of 3 or more dimensions")
    return _snp().split(ary, indices_or_sections, 2)


def rot90(m, k=1, axes=(0, 1)):
    """m rotated by 90 degrees k times, from the first towards the second axis (a view)."""
    snp = _snp()
    axes = tuple(axes)
    if len(axes) != 2:
        raise ValueError("len(axes) must be 2.")
    m = snp.asarray(m)
    if axes[0] == axes[1] or abs(axes[0] - axes[1]) == m.ndim:
        raise ValueError("Axes must be different.")
    if axes[0] >= m.ndim or axes[0] < -m.ndim or axes[1] >= m.ndim or axes[1] < -m.ndim:
        raise ValueError(f"Axes={axes} out of range for array of ndim={m.ndim}.")
    k %= 4
    if k == 0:
        return m[:]
    if k == 2:
        return snp.flip(snp.flip(m, axes[0]), axes[1])
    axes_list = list(range(m.ndim))
    axes_list[axes[0]], axes_list[axes[1]] = axes_list[axes[1]], axes_list[axes[0]]
    if k == 1:
        return snp.transpose(snp.flip(m, axes[1]), axes_list)
    return snp.flip(snp.transpose(m, axes_list), axes[1])


def rollaxis(a, axis, start=0):
    """a view with axis moved to before position start (NumPy's older moveaxis)."""
    a = _snp().asarray(a)
    n = a.ndim
    axis = _normalize_axis_index(axis, n)
    if start < 0:
        start += n
    if not 0 <= start < n + 1:
        raise _np.exceptions.AxisError(f"'start' arg requires {-n} <= start < {n + 1}, but {start} was passed in")
    if axis < start:
        start -= 1
    if axis == start:
        return a[...]
    axes = list(range(n))
    axes.remove(axis)
    axes.insert(start, axis)
    return a.transpose(axes)


def diagflat(v, k=0):
    """A 2-d array with the flattened v on its k-th diagonal."""
    snp = _snp()
    return snp.diag(snp.asarray(v).ravel(), _operator.index(k))


def trim_zeros(filt, trim="fb", axis=None):
    """filt without its leading ('f') and/or trailing ('b') zeros along the given axes (all by
    default): a slice of filt. The bounds are computed at the call (one sync of sum(shape)
    flags: which slices along each axis hold a nonzero)."""
    snp = _snp()
    f = snp.asarray(filt)
    if isinstance(filt, _np.ndarray):
        filt = f  # a slice of starp's copy (lists stay lists, as in NumPy)
    trim = trim.lower()
    if trim not in {"fb", "bf", "f", "b"}:
        raise ValueError(f"unexpected character(s) in `trim`: {trim!r}")
    if axis is None:
        axis_tuple = tuple(range(f.ndim))
    else:
        axis_tuple = _normalize_axis_tuple(axis, f.ndim, argname="axis")
    if not axis_tuple:
        return filt
    if f.size == 0:
        start = stop = [0] * f.ndim
    else:
        nz = f != 0
        flags = [nz.any(axis=tuple(i for i in range(f.ndim) if i != ax)) if f.ndim > 1 else nz
                 for ax in range(f.ndim)]
        host = _np.asarray(snp.concatenate(flags) if len(flags) > 1 else flags[0])
        start, stop, off = [], [], 0
        for d in f.shape:
            idx = _np.flatnonzero(host[off:off + d])
            off += d
            if idx.size:
                start.append(int(idx[0]))
                stop.append(int(idx[-1]) + 1)
        if len(start) != f.ndim:  # all zero: an empty slice
            start = stop = [0] * f.ndim
        else:
            if "f" not in trim:
                start = [None] * f.ndim
            if "b" not in trim:
                stop = [None] * f.ndim
    sl = tuple(slice(start[ax], stop[ax]) if ax in axis_tuple else slice(None) for ax in range(f.ndim))
    if len(sl) == 1:
        return filt[sl[0]]
    return filt[sl]


# ---- choose, select, piecewise ----
def _weak_or_array(x):
    """Python scalars stay as they are (weak, NEP 50); anything else becomes a starp array."""
    if type(x) in _PY_SCALARS:
        return x
    return _snp().asarray(x)


def _dtype_or_weak(x):
    return x if type(x) in _PY_SCALARS else x.dtype


def _cast_to(x, dtype):
    """x in dtype: arrays by an (unsafe) astype, Python scalars by NumPy's unsafe conversion."""
    if isinstance(x, ndarray):
        return x.astype(dtype, copy=False)
    with _np.errstate(all="ignore"):
        return _np.asarray(x).astype(dtype)[()]


def choose(a, choices, out=None, mode="raise"):
    """choices[a[i]][i] for every i of the broadcast shape of a and the choices; mode 'raise'
    (an index out of range is a ValueError: checked at the call, a sync point), 'wrap' (modulo)
    or 'clip'. The result dtype is that of the choices (Python scalars weak)."""
    snp = _snp()
    if out is not None:
        raise NotImplementedError("starp's choose does not support out= yet")
    if mode not in ("raise", "wrap", "clip"):
        raise ValueError(f"clipmode must be one of 'clip', 'raise', or 'wrap' (got {mode!r})")
    a = snp.asarray(a)
    if not _np.can_cast(a.dtype, _np.intp, "safe"):
        raise TypeError(f"Cannot cast array data from dtype('{a.dtype}') to dtype('int64') "
                        "according to the rule 'safe'")
    if isinstance(choices, ndarray):
        if choices.ndim == 0:
            raise TypeError("iteration over a 0-d array")
        choices = [choices[i] for i in range(choices.shape[0])]
    else:
        choices = list(choices)
    n = len(choices)
    if n == 0:
        raise ValueError("0-length sequence.")
    if n > 64:
        raise ValueError("Need at least 0 and at most 64 array objects.")
    cs = [_weak_or_array(c) for c in choices]
    dtype = _np.result_type(*[_dtype_or_weak(c) for c in cs])
    cs = [_cast_to(c, dtype) for c in cs]
    shape = _np.broadcast_shapes(a.shape, *[_np.shape(c) for c in cs])
    idx = a.astype(_np.int64, copy=False)
    if mode == "raise":
        if a.size and bool(((idx < 0) | (idx >= n)).any()):
            raise ValueError("invalid entry in choice array")
    elif mode == "wrap":
        idx = idx % n
    else:
        idx = snp.clip(idx, 0, n - 1)
    r = cs[-1]
    for j in range(n - 2, -1, -1):
        r = snp.where(idx == j, cs[j], r)
    r = snp.asarray(r)
    if r.shape != shape:
        r = snp.broadcast_to(r, shape)
    return r.copy()


def select(condlist, choicelist, default=0):
    """choicelist[i] where condlist[i] is the first true condition, default elsewhere; the
    dtype is the result type of the choices and default (Python scalars weak)."""
    snp = _snp()
    if len(condlist) != len(choicelist):
        raise ValueError("list of cases must be same length as list of conditions")
    if len(condlist) == 0:
        raise ValueError("select with an empty condition list is not possible")
    choices = [_weak_or_array(c) for c in choicelist] + [_weak_or_array(default)]
    try:
        dtype = _np.result_type(*[_dtype_or_weak(c) for c in choices])
    except TypeError as e:
        raise TypeError(f"Choicelist and default value do not have a common dtype: {e}") from None
    conds = [snp.asarray(c) for c in condlist]
    cond_shape = _np.broadcast_shapes(*[c.shape for c in conds])
    choice_shape = _np.broadcast_shapes(*[_np.shape(c) for c in choices])
    for i, c in enumerate(conds):
        if c.dtype != _np.bool_:
            raise TypeError(f"invalid entry {i} in condlist: should be boolean ndarray")
    result_shape = _np.broadcast_shapes(cond_shape, choice_shape)
    # NumPy turns the Python scalars into (strong) arrays, then copies each choice with
    # casting='same_kind' (the default with 'unsafe'): the values convert as astype does.
    for c in choices[:-1]:
        cd = _np.asarray(c).dtype if type(c) in _PY_SCALARS else c.dtype
        if not _np.can_cast(cd, dtype, "same_kind"):
            raise TypeError(f"Cannot cast array data from dtype('{cd}') to dtype('{dtype}') "
                            "according to the rule 'same_kind'")
    choices = [_cast_to(c, dtype) for c in choices]
    r = choices[-1]
    for c, cond in zip(choices[-2::-1], conds[::-1]):
        r = snp.where(cond, c, r)
    r = snp.asarray(r)
    if r.shape != result_shape:
        r = snp.broadcast_to(r, result_shape)
    return r.copy()


def _bool_stack(condlist):
    """NumPy's ``asarray(condlist, dtype=bool)`` with starp arrays in the list kept lazy."""
    snp = _snp()
    if isinstance(condlist, ndarray):
        return condlist.astype(bool, copy=False)
    if isinstance(condlist, (list, tuple)) and any(isinstance(c, ndarray) for c in condlist):
        return snp.stack([snp.asarray(c).astype(bool, copy=False) for c in condlist])
    return _from_numpy(_np.asarray(condlist, dtype=bool))


def piecewise(x, condlist, funclist, *args, **kw):
    """funclist[i] evaluated where condlist[i] holds (a function gets x[condlist[i]], a scalar
    is the value); one more function than conditions covers where none holds; 0 elsewhere.
    The selections x[cond] are boolean-mask reads (sync points)."""
    snp = _snp()
    x = snp.asarray(x)
    n2 = len(funclist)
    if _np.isscalar(condlist) or (
            not isinstance(condlist[0], (list, _np.ndarray, ndarray)) and x.ndim != 0):
        condlist = [condlist]
    condlist = _bool_stack(condlist)
    n = len(condlist)
    if n == n2 - 1:
        condelse = ~snp.any(condlist, axis=0, keepdims=True)
        condlist = snp.concatenate([condlist, condelse], axis=0)
        n += 1
    elif n != n2:
        raise ValueError(f"with {n} condition(s), either {n} or {n + 1} functions are expected")
    y = snp.zeros_like(x)
    for i, func in enumerate(funclist):
        cond = condlist[i]
        if not callable(func):
            y[cond] = func
        else:
            vals = x[cond]
            if vals.size > 0:
                y[cond] = func(vals, *args, **kw)
    return y


# ---- writes in place: copyto, putmask, place, put_along_axis ----
def _where_mask(where):
    """copyto's where=: arrays must be boolean (NumPy's safe cast), other objects convert."""
    if isinstance(where, ndarray) or isinstance(where, _np.ndarray):
        if where.dtype != _np.bool_:
            raise TypeError(f"Cannot cast array data from dtype('{where.dtype}') to dtype('bool') "
                            "according to the rule 'safe'")
        return _snp().asarray(where)
    return _from_numpy(_np.asarray(where, dtype=bool))


def copyto(dst, src, casting="same_kind", where=True):
    """Copies src (broadcast) into the starp array dst in place, where `where` holds; the cast
    from src's dtype must follow `casting` (Python scalars are weak, NEP 50). Every view of
    dst sees the write."""
    if isinstance(dst, _np.ndarray):
        return _np.copyto(dst, _host(src), casting=casting, where=_host(where))
    if not isinstance(dst, ndarray):
        raise TypeError(f"copyto() argument 1 must be a numpy.ndarray, not {type(dst).__name__}")
    snp = _snp()
    probe = _np.zeros((), dst.dtype)
    # NumPy checks the cast (and converts a scalar, with its OverflowErrors) on a 0-d probe.
    if isinstance(src, ndarray):
        _np.copyto(probe, _np.zeros((), src.dtype), casting=casting)
        value = src.astype(dst.dtype, copy=False)
    elif isinstance(src, (*_PY_SCALARS, _np.generic)):
        _np.copyto(probe, src, casting=casting)
        value = probe[()]
    else:
        h = _np.asarray(src)
        _np.copyto(probe, _np.zeros((), h.dtype), casting=casting)
        value = _from_numpy(h.astype(dst.dtype), dst._s)
    shape = dst.shape
    vshape = _np.shape(value)
    if isinstance(value, ndarray):
        # NumPy broadcasts src "into" dst: leading 1s beyond dst's dimensions are dropped.
        while value.ndim > len(shape) and value.shape[0] == 1:
            value = value[0]
    if len(_np.shape(value)) > len(shape) or _np.broadcast_shapes(_np.shape(value), shape) != shape:
        raise ValueError(f"could not broadcast input array from shape {vshape} into shape {shape}")
    if where is True:
        dst[...] = value
        return None
    w = _where_mask(where)
    if w.ndim > len(shape) or _np.broadcast_shapes(w.shape, shape) != shape:
        raise ValueError(f"could not broadcast where mask from shape {w.shape} into shape {shape}")
    dst[...] = snp.where(w, value, dst)
    return None


def _mask_of(mask, a, name):
    """The mask as a bool array of a's shape (NumPy forces the cast; the sizes must agree)."""
    if isinstance(mask, ndarray):
        m = mask.astype(bool, copy=False)
    else:
        m = _from_numpy(_np.asarray(mask).astype(bool), a._s)
    if m.size != a.size:
        raise ValueError(f"{name}: mask and data must be the same size")
    return m.reshape(a.shape) if m.shape != a.shape else m


def _flat_values(values, a, fn):
    """values as a flat starp array of a's dtype, converted as NumPy's putmask / place convert
    them (starp arrays: a safe cast; host values: NumPy's fn on a probe); None when empty."""
    if isinstance(values, ndarray):
        if not _np.can_cast(values.dtype, a.dtype, "safe"):
            raise TypeError(f"Cannot cast array data from dtype('{values.dtype}') to dtype('{a.dtype}') "
                            "according to the rule 'safe'")
        return values.ravel().astype(a.dtype, copy=False) if values.size else None
    n = _np.size(values)
    if n == 0:
        return None
    probe = _np.zeros(n, a.dtype)
    fn(probe, _np.ones(n, bool), values)
    return _from_numpy(probe, a._s)


def putmask(a, mask, values):
    """a.flat[i] = values.flat[i % len(values)] where mask.flat[i]: in place on the starp array
    a (lazy: a where over a cyclic repeat of values)."""
    if isinstance(a, _np.ndarray):
        return _np.putmask(a, _host(mask), _host(values))
    if not isinstance(a, ndarray):
        raise TypeError("putmask: first argument must be an array")
    snp = _snp()
    m = _mask_of(mask, a, "putmask")
    v = _flat_values(values, a, _np.putmask)
    if v is None:
        return None
    if v.size != a.size:
        v = snp.tile(v, -(-a.size // v.size))[:a.size]
    a[...] = snp.where(m, v.reshape(a.shape), a)
    return None


def place(arr, mask, vals):
    """The k-th true position of mask gets vals[k % len(vals)]: in place on the starp array arr.
    Lazy (a cumulative count of the mask picks the values), except that an empty vals needs to
    know whether mask has a true element (a sync)."""
    if isinstance(arr, _np.ndarray):
        return _np.place(arr, _host(mask), _host(vals))
    if not isinstance(arr, ndarray):
        raise TypeError(f"place() argument 1 must be numpy.ndarray, not {type(arr).__name__}")
    snp = _snp()
    m = _mask_of(mask, arr, "place").ravel()
    v = _flat_values(vals, arr, _np.place)
    if v is None:
        if m.size and bool(m.any()):
            raise ValueError("Cannot insert from an empty array!")
        return None
    if v.size == 1:
        picked = v[0]
    else:
        k = snp.cumsum(m, dtype=_np.int64) - 1
        picked = snp.take(v, k % v.size)
    arr[...] = snp.where(m, picked, arr.ravel()).reshape(arr.shape)
    return None


def _make_along_axis_idx(arr_shape, indices, axis):
    if not _np.issubdtype(indices.dtype, _np.integer):
        raise IndexError("`indices` must be an integer array")
    if len(arr_shape) != indices.ndim:
        raise ValueError("`indices` and `arr` must have the same number of dimensions")
    shape_ones = (1,) * indices.ndim
    dest_dims = list(range(axis)) + [None] + list(range(axis + 1, indices.ndim))
    fancy_index = []
    for dim, n in zip(dest_dims, arr_shape):
        if dim is None:
            fancy_index.append(indices)
        else:
            ind_shape = shape_ones[:dim] + (-1,) + shape_ones[dim + 1:]
            fancy_index.append(_np.arange(n).reshape(ind_shape))
    return tuple(fancy_index)


def put_along_axis(arr, indices, values, axis):
    """arr[..., indices[i], ...] = values along axis (the flattened arr when axis is None), in
    place on the starp array arr (a fancy-index write; indices are computed at the call)."""
    if isinstance(arr, _np.ndarray):
        return _np.put_along_axis(arr, _host(indices), _host(values), axis)
    if not isinstance(arr, ndarray):
        raise TypeError(f"put_along_axis: arr must be a starp array, not {type(arr).__name__}")
    indices.dtype  # noqa: B018 - NumPy needs an array (an AttributeError otherwise)
    if axis is None:
        if indices.ndim != 1:
            raise ValueError("when axis=None, `indices` must have a single dimension.")
        target, axis = arr.ravel(), 0
    else:
        axis = _normalize_axis_index(axis, arr.ndim)
        target = arr
    target[_make_along_axis_idx(target.shape, indices, axis)] = values
    return None


# ---- apply_along_axis, apply_over_axes ----
def apply_along_axis(func1d, axis, arr, *args, **kwargs):
    """func1d applied to every 1-d slice of arr along axis (a Python loop over the slices, as
    in NumPy; func1d receives starp arrays). Its results (all of the first one's shape, cast to
    its dtype) replace the axis."""
    snp = _snp()
    arr = snp.asarray(arr)
    nd = arr.ndim
    axis = _normalize_axis_index(axis, nd)
    in_dims = list(range(nd))
    inarr_view = snp.transpose(arr, in_dims[:axis] + in_dims[axis + 1:] + [axis])
    inds = (ind + (Ellipsis,) for ind in _np.ndindex(inarr_view.shape[:-1]))
    try:
        ind0 = next(inds)
    except StopIteration:
        raise ValueError("Cannot apply_along_axis when any iteration dimensions are 0") from None
    res = snp.asarray(func1d(inarr_view[ind0], *args, **kwargs))
    outs = [res]
    for ind in inds:
        r = snp.asarray(func1d(inarr_view[ind], *args, **kwargs)).astype(res.dtype, copy=False)
        if r.shape != res.shape:
            if r.ndim > res.ndim or _np.broadcast_shapes(r.shape, res.shape) != res.shape:
                raise ValueError(f"could not broadcast input array from shape {r.shape} into shape {res.shape}")
            r = snp.broadcast_to(r, res.shape)
        outs.append(r)
    outer = inarr_view.shape[:-1]
    buff = snp.stack(outs).reshape(outer + res.shape)
    buff_dims = list(range(buff.ndim))
    buff_permute = buff_dims[0:axis] + buff_dims[buff.ndim - res.ndim:] + buff_dims[axis:buff.ndim - res.ndim]
    return snp.transpose(buff, buff_permute)


def apply_over_axes(func, a, axes):
    """func(a, axis) applied repeatedly over the axes, each result keeping (or given back) the
    reduced axis; func receives starp arrays."""
    snp = _snp()
    val = snp.asarray(a)
    n = val.ndim
    if _np.ndim(axes) == 0:
        axes = (axes,)
    for axis in axes:
        if axis < 0:
            axis = n + axis
        res = snp.asarray(func(val, axis))
        if res.ndim == val.ndim:
            val = res
        else:
            res = snp.expand_dims(res, axis)
            if res.ndim == val.ndim:
                val = res
            else:
                raise ValueError("function is not returning an array of the correct shape")
    return val


# ---- vectorize, frompyfunc: Python functions per element, on the host ----
def _to_starp_result(r, s=None, infer=False):
    """A host result (array, scalar, tuple of them) as starp arrays. `infer`: object arrays
    (frompyfunc's) take the dtype NumPy infers from their values (starp has no object dtype)."""
    if isinstance(r, tuple):
        return tuple(_to_starp_result(x, s, infer) for x in r)
    if r is None:
        return None
    x = _np.asarray(r)
    if x.dtype == object and infer:
        x = _np.array(x.tolist()) if x.ndim else _np.asarray(x[()])
        if x.shape != _np.shape(r) or x.dtype == object:
            raise NotImplementedError("starp has no object dtype: the Python function's results do not "
                                      "form an array of one numeric dtype")
    try:
        out = _from_numpy(x, s)
    except TypeError as e:
        raise NotImplementedError(f"starp cannot hold this result: {e}") from None
    if x.ndim == 0 and not isinstance(r, _np.ndarray):
        out._scalar = True
    return out


def _session_of(args, kwargs):
    for x in (*args, *kwargs.values()):
        if isinstance(x, ndarray):
            return x._s
    return None


class vectorize:
    """NumPy's vectorize over starp arrays: the starp inputs are computed (a sync point: every
    rank gathers them), ``numpy.vectorize`` calls pyfunc per element on the host (on every
    rank, the same values), and the result comes back as a starp array (a tuple of them for
    several outputs). Arguments named in ``excluded`` are passed through unchanged."""

    def __init__(self, pyfunc=_np._NoValue, otypes=None, doc=None, excluded=None, cache=False, signature=None):
        self._v = _np.vectorize(pyfunc, otypes=otypes, doc=doc, excluded=excluded, cache=cache,
                                signature=signature)
        self.__doc__ = self._v.__doc__

    def __getattr__(self, name):
        if name == "_v":
            raise AttributeError(name)
        return getattr(self._v, name)

    def __call__(self, *args, **kwargs):
        if self._v.pyfunc is _np._NoValue:
            # the decorator form: vectorize(otypes=...)(f)
            self._v(*args, **kwargs)
            self.__doc__ = self._v.__doc__
            return self
        ex = self._v.excluded
        s = _session_of(args, kwargs)
        hargs = [a if i in ex else _host(a) for i, a in enumerate(args)]
        hkw = {k: (v if k in ex else _host(v)) for k, v in kwargs.items()}
        return _to_starp_result(self._v(*hargs, **hkw), s)


class _PyUfunc:
    """What frompyfunc returns: NumPy's object ufunc run on the host over the computed inputs
    (a sync point; every rank calls the function on the same values). starp has no object
    dtype: results take the dtype NumPy infers from the returned values (int64 for ints...)."""

    def __init__(self, uf):
        self._u = uf
        self.__name__ = uf.__name__
        self.__doc__ = uf.__doc__

    def __getattr__(self, name):
        if name == "_u":
            raise AttributeError(name)
        return getattr(self._u, name)

    def __repr__(self):
        return f"<starp ufunc {self.__name__!r} (frompyfunc)>"

    def _run(self, method, args, kwargs):
        if kwargs.get("out") is not None:
            raise NotImplementedError("starp's frompyfunc ufuncs do not support out= yet")
        s = _session_of(args, kwargs)
        r = getattr(self._u, method)(*[_host(a) for a in args], **{k: _host(v) for k, v in kwargs.items()})
        return _to_starp_result(r, s, infer=True)

    def __call__(self, *args, **kwargs):
        return self._run("__call__", args, kwargs)

    def reduce(self, *args, **kwargs):
        return self._run("reduce", args, kwargs)

    def accumulate(self, *args, **kwargs):
        return self._run("accumulate", args, kwargs)

    def outer(self, *args, **kwargs):
        return self._run("outer", args, kwargs)

    def at(self, a, indices, b=None, /):
        """In place on a starp array a (computed, updated on the host, written back)."""
        if not isinstance(a, ndarray):
            return self._u.at(a, _host(indices), *(() if b is None else (_host(b),)))
        x = _np.array(a.compute(), dtype=object)
        self._u.at(x, _host(indices), *(() if b is None else (_host(b),)))
        a[...] = _np.asarray(x.tolist(), dtype=a.dtype)
        return None


def frompyfunc(func, /, nin, nout, *, identity=None):
    """A ufunc-like object calling func per element (NumPy's frompyfunc); see _PyUfunc."""
    kw = {} if identity is None else {"identity": identity}
    return _PyUfunc(_np.frompyfunc(func, nin, nout, **kw))


# ---- matvec, vecmat ----
def _gufunc_checks(name, sig, x1, x2, core1, core2):
    for i, (x, c) in enumerate(((x1, core1), (x2, core2))):
        if x.ndim < c:
            raise ValueError(f"{name}: Input operand {i} does not have enough dimensions (has {x.ndim}, "
                             f"gufunc core with signature {sig} requires {c})")
    n1 = x1.shape[-1]
    n2 = x2.shape[-1] if core2 == 1 else x2.shape[-2]
    if n1 != n2:
        raise ValueError(f"{name}: Input operand 1 has a mismatch in its core dimension 0, with gufunc "
                         f"signature {sig} (size {n2} is different from {n1})")
    _np.broadcast_shapes(x1.shape[:x1.ndim - core1], x2.shape[:x2.ndim - core2])


def _gufunc_inputs(npufunc, x1, x2, kwargs):
    """x1, x2 cast to the loop NumPy's gufunc selects (dtype= and casting= as NumPy's, with
    its casting errors); out= and the axes arguments are not supported."""
    kwargs = dict(kwargs)
    if kwargs.pop("out", None) is not None:
        raise NotImplementedError(f"starp's {npufunc.__name__} does not support out= yet")
    dtype = kwargs.pop("dtype", None)
    casting = kwargs.pop("casting", "same_kind")
    if kwargs:
        raise NotImplementedError(f"starp's {npufunc.__name__} does not support {sorted(kwargs)} yet")
    sig = {} if dtype is None else {"signature": (None, None, _np.dtype(dtype))}
    loop = npufunc.resolve_dtypes((x1.dtype, x2.dtype, None), casting=casting, **sig)
    return x1.astype(loop[0], copy=False), x2.astype(loop[1], copy=False)


def matvec(x1, x2, /, **kwargs):
    """The matrix-vector product over the last two axes of x1 and the last of x2 (NumPy's
    gufunc (m,n),(n)->(m), broadcasting the other axes; dtype= and casting= as NumPy's)."""
    snp = _snp()
    x1, x2 = snp.asarray(x1), snp.asarray(x2)
    _gufunc_checks("matvec", "(m,n),(n)->(m)", x1, x2, 2, 1)
    x1, x2 = _gufunc_inputs(_np.matvec, x1, x2, kwargs)
    return snp.matmul(x1, x2[..., None])[..., 0]


def vecmat(x1, x2, /, **kwargs):
    """The vector-matrix product of the complex conjugate of x1's last axis with x2's last two
    axes (NumPy's gufunc (n),(n,m)->(m); dtype= and casting= as NumPy's)."""
    snp = _snp()
    x1, x2 = snp.asarray(x1), snp.asarray(x2)
    _gufunc_checks("vecmat", "(n),(n,m)->(m)", x1, x2, 1, 2)
    x1, x2 = _gufunc_inputs(_np.vecmat, x1, x2, kwargs)
    if x1.dtype.kind == "c":
        x1 = snp.conjugate(x1)
    return snp.matmul(x1[..., None, :], x2)[..., 0, :]


# ---- nan_to_num and the classification helpers ----
def _signbit(x):
    return _snp().signbit(x)


def isposinf(x, out=None):
    """x is +inf (elementwise); TypeError for complex input."""
    snp = _snp()
    x = snp.asarray(x)
    if x.dtype.kind == "c":
        raise TypeError(f"This operation is not supported for {x.dtype} values because it would be ambiguous.")
    return snp.logical_and(snp.isinf(x), ~_signbit(x), out)


def isneginf(x, out=None):
    """x is -inf (elementwise); TypeError for complex input."""
    snp = _snp()
    x = snp.asarray(x)
    if x.dtype.kind == "c":
        raise TypeError(f"This operation is not supported for {x.dtype} values because it would be ambiguous.")
    return snp.logical_and(snp.isinf(x), _signbit(x), out)


def _complex_from_parts(re, im, dtype, specials):
    """re + 1j * im in dtype, exactly (starp has no complex constructor): 1j * im is exact for
    finite im but for the signs of zeros, which are set back; non-finite im (only the special
    replacement values) are added as complex constants."""
    snp = _snp()
    z = re.astype(dtype) + im * dtype.type(1j)
    for k in specials:
        hit = snp.isnan(im) if _np.isnan(k) else (im == k)
        z = snp.where(hit, re.astype(dtype) + dtype.type(complex(0.0, k)), z)
    # zeros: the composition gives +0.0 where re or im is -0.0; negating or conjugating flips
    # one sign bit exactly.
    flip_re = (re == 0) & (_signbit(re) != _signbit(snp.real(z)))
    z = snp.where(flip_re, -snp.conj(z), z)
    flip_im = (im == 0) & (_signbit(im) != _signbit(snp.imag(z)))
    return snp.where(flip_im, snp.conj(z), z)


def _replacement(value, dtype):
    """A replacement value as NumPy's copyto(d, value) converts it into dtype (its errors)."""
    probe = _np.zeros((), dtype)
    with _np.errstate(over="ignore"):
        _np.copyto(probe, value)
    return probe[()]


def nan_to_num(x, copy=True, nan=0.0, posinf=None, neginf=None):
    """NaN replaced by `nan`, +inf by `posinf` (the largest finite value by default), -inf by
    `neginf` (the most negative finite value); real and imaginary parts of complex numbers
    separately; integers and bools unchanged. copy=False writes into x in place (a starp x:
    a new version every view sees; a NumPy x: NumPy's own nan_to_num)."""
    snp = _snp()
    if isinstance(x, _np.ndarray) and not copy:
        # in place on a NumPy array: only NumPy can write into it
        return _np.nan_to_num(x, copy=False, nan=nan, posinf=posinf, neginf=neginf)
    is_starp = isinstance(x, ndarray)
    a = snp.asarray(x)
    if a.dtype.kind not in "fc":
        if is_starp and copy:
            a = a.copy()
        if a.ndim == 0:
            a._scalar = True
        return a
    real_dtype = _np.dtype(_np.float32) if a.dtype in (_np.float32, _np.complex64) else _np.dtype(_np.float64)
    info = _np.finfo(real_dtype)
    values = [_replacement(v, real_dtype) for v in
              (nan, info.max if posinf is None else posinf, info.min if neginf is None else neginf)]

    def part(d):
        pos, neg = isposinf(d), isneginf(d)
        d = snp.where(snp.isnan(d), values[0], d)
        d = snp.where(pos, values[1], d)
        return snp.where(neg, values[2], d)

    if a.dtype.kind == "c":
        specials = sorted({float(v) for v in values if not _np.isfinite(v)}, key=repr)
        r = _complex_from_parts(part(snp.real(a)), part(snp.imag(a)), a.dtype, specials)
    else:
        r = part(a)
    if is_starp and not copy:
        x[...] = r
        return x
    r = snp.asarray(r)
    if r.ndim == 0:
        r._scalar = True
    return r


def iscomplex(x):
    """x has a nonzero imaginary part (elementwise; False for real dtypes)."""
    snp = _snp()
    ax = snp.asarray(x)
    if ax.dtype.kind == "c":
        return snp.imag(ax) != 0
    r = snp.zeros(ax.shape, bool)
    r._scalar = ax.ndim == 0
    return r


def isreal(x):
    """x has a zero imaginary part (elementwise; True for real dtypes)."""
    snp = _snp()
    r = snp.imag(snp.asarray(x)) == 0
    return r


def iscomplexobj(x):
    """Whether x's dtype (or the dtype NumPy gives x) is complex (no data is read)."""
    try:
        type_ = x.dtype.type
    except AttributeError:
        type_ = _np.asarray(x).dtype.type
    return issubclass(type_, _np.complexfloating)


def isrealobj(x):
    """Whether x's dtype (or the dtype NumPy gives x) is not complex (no data is read)."""
    return not iscomplexobj(x)


def real_if_close(a, tol=100):
    """The real part of a complex a if every imaginary part is below tol (in machine epsilons
    when tol > 1), else a; decided at the call (a sync point)."""
    snp = _snp()
    a = snp.asarray(a)
    if a.dtype.kind != "c":
        return a
    if tol > 1:
        tol = _np.finfo(a.dtype).eps * tol
    if bool(snp.all(snp.absolute(snp.imag(a)) < tol)):
        a = snp.real(a)
    return a


def fix(x, out=None):
    """Rounds towards zero (trunc), keeping integer and bool dtypes."""
    return _snp().trunc(x, out=out)
