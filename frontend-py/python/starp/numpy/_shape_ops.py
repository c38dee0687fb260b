"""Shape and data movement with NumPy's signatures: the arguments are parsed here, every
semantic decision (views or copies, dtypes, shapes, errors) is made in Rust
(runtime/src/api/shape.rs and nan.rs)."""

import numpy as _np

from starp._session import current_session as _session
from starp.numpy._array import _axis
from starp.numpy._array import _index
from starp.numpy._array import _no_out, store_out
from starp.numpy._array import dtype_name as _dtype_name
from starp.numpy._array import from_numpy as _from_numpy
from starp.numpy._array import ndarray
from starp.numpy._array import operand as _operand
from starp.numpy._array import wrap as _wrap

__all__ = [
    "expand_dims", "squeeze", "swapaxes", "moveaxis", "broadcast_to",
    "atleast_1d", "atleast_2d", "atleast_3d",
    "concatenate", "stack", "vstack", "hstack", "dstack", "column_stack", "row_stack",
    "split", "array_split", "tile", "repeat", "flip", "fliplr", "flipud", "roll", "diff", "pad",
    "tril", "triu", "diag", "diagonal", "trace", "meshgrid", "outer", "copy", "fill_diagonal",
    "nansum", "nanmean", "nanmax", "nanmin", "nanprod", "isnan", "isinf", "isfinite", "clip",
]

_NoValue = _np._NoValue


def _arr(a):
    if isinstance(a, ndarray):
        return a
    return _from_numpy(_np.asarray(a))


def _w(core, a, scalar=False):
    return _wrap(core, a._s, scalar=scalar)


def _ints(x):
    """An int or a sequence of ints as a list (NumPy's axis / shape arguments)."""
    if isinstance(x, (tuple, list)):
        return [int(_index(v)) for v in x]
    return [int(_index(x))]


def _dt(dtype):
    return None if dtype is None else _dtype_name(dtype)


def _seq(arrays):
    """A sequence of array-likes (an array argument is iterated over its first axis)."""
    return [_arr(x) for x in arrays]


def _same_session(xs):
    s = xs[0]._s if xs else _session()
    return s, [x if x._s is s else _from_numpy(x.compute(), s) for x in xs]


# ---- views ----
def expand_dims(a, axis):
    a = _arr(a)
    return _w(a._s.expand_dims(a._a, _ints(axis)), a)


def squeeze(a, axis=None):
    a = _arr(a)
    int_axis = not isinstance(axis, (tuple, list))
    return _w(a._s.squeeze(a._a, None if axis is None else _ints(axis), int_axis), a)


def swapaxes(a, axis1, axis2):
    a = _arr(a)
    return _w(a._s.swapaxes(a._a, int(_index(axis1)), int(_index(axis2))), a)


def moveaxis(a, source, destination):
    a = _arr(a)
    return _w(a._s.moveaxis(a._a, _ints(source), _ints(destination)), a)


def broadcast_to(array, shape, subok=False):
    a = _arr(array)
    shape = list(shape) if _np.iterable(shape) else [shape]
    return _w(a._s.broadcast_to(a._a, [int(_index(d)) for d in shape]), a)


def _atleast(n, arys):
    out = []
    for x in arys:
        x = _arr(x)
        out.append(x if x.ndim >= n else _w(x._s.atleast_nd(x._a, n), x))
    return out[0] if len(out) == 1 else tuple(out)


def atleast_1d(*arys):
    return _atleast(1, arys)


def atleast_2d(*arys):
    return _atleast(2, arys)


def atleast_3d(*arys):
    return _atleast(3, arys)


def flip(m, axis=None):
    m = _arr(m)
    return _w(m._s.flip(m._a, None if axis is None else _ints(axis)), m)


def fliplr(m):
    m = _arr(m)
    return _w(m._s.fliplr(m._a), m)


def flipud(m):
    m = _arr(m)
    return _w(m._s.flipud(m._a), m)


def _split(ary, indices_or_sections, axis, equal):
    a = _arr(ary)
    axis = int(_index(axis))
    try:
        indices = [int(_index(i)) for i in indices_or_sections]
        count = None
    except TypeError:
        if not hasattr(indices_or_sections, "__index__") and not isinstance(indices_or_sections, float):
            raise
        count, indices = int(indices_or_sections), None
        if equal and count == 0:
            _ = a.shape[axis]  # NumPy reads the axis first (IndexError)
            raise ZeroDivisionError("integer modulo by zero") from None
    return [_w(c, a) for c in a._s.array_split(a._a, count, indices, axis, equal)]


def split(ary, indices_or_sections, axis=0):
    return _split(ary, indices_or_sections, axis, True)


def array_split(ary, indices_or_sections, axis=0):
    return _split(ary, indices_or_sections, axis, False)


def diagonal(a, offset=0, axis1=0, axis2=1):
    a = _arr(a)
    return _w(a._s.diagonal(a._a, int(_index(offset)), int(_index(axis1)), int(_index(axis2))), a)


# ---- copies ----
def concatenate(arrays, axis=0, out=None, *, dtype=None, casting="same_kind"):
    if out is not None and dtype is not None:
        raise TypeError("concatenate() only takes `out` or `dtype` as an argument, but both were provided.")
    s, xs = _same_session(_seq(arrays))
    ax = None if axis is None else int(_index(axis))
    if out is not None:
        # NumPy concatenates straight into out: the inputs are cast to out's dtype by `casting`.
        for x in xs:
            if not _np.can_cast(x.dtype, out.dtype, casting):
                raise TypeError(f"Cannot cast array data from {x.dtype!r} to {out.dtype!r} according to "
                                f"the rule {casting!r}")
        dtype = out.dtype
    r = _wrap(s.concatenate([x._a for x in xs], ax, _dt(dtype), casting), s, scalar=False)
    return store_out(r, out)


def _stack(kind, arrays, axis=0, dtype=None, casting="same_kind"):
    s, xs = _same_session(_seq(arrays))
    return _wrap(s.stack(kind, [x._a for x in xs], int(_index(axis)), _dt(dtype), casting), s, scalar=False)


def stack(arrays, axis=0, out=None, *, dtype=None, casting="same_kind"):
    if out is None:
        return _stack("stack", arrays, axis, dtype, casting)
    xs = [expand_dims(x, axis) for x in _seq(arrays)] if _seq(arrays) else []
    if not xs:
        raise ValueError("need at least one array to stack")
    shapes = {tuple(_arr(x).shape) for x in _seq(arrays)}
    if len(shapes) > 1:
        raise ValueError("all input arrays must have the same shape")
    return concatenate(xs, axis, out, dtype=dtype, casting=casting)


def vstack(tup, *, dtype=None, casting="same_kind"):
    return _stack("vstack", tup, 0, dtype, casting)


row_stack = vstack


def hstack(tup, *, dtype=None, casting="same_kind"):
    return _stack("hstack", tup, 0, dtype, casting)


def dstack(tup):
    return _stack("dstack", tup)


def column_stack(tup):
    return _stack("column_stack", tup)


def tile(A, reps):
    a = _arr(A)
    try:
        reps = [int(_index(r)) for r in reps]
    except TypeError:
        reps = [int(_index(reps))]
    return _w(a._s.tile(a._a, reps), a)


def _int_array(x):
    """`repeats` as NumPy converts it to intp: Python objects (scalars, sequences) unsafely,
    arrays safely (a starp array is computed: a sync point)."""
    if isinstance(x, ndarray):
        x = x.compute()
    if isinstance(x, _np.ndarray):
        if x.dtype.kind not in "biu":
            what = "scalar" if x.ndim == 0 else "array data"
            raise TypeError(f"Cannot cast {what} from dtype('{x.dtype}') to dtype('int64') according to the rule 'safe'")
    else:
        x = _np.array(x, dtype=_np.intp)
    return [int(v) for v in x.ravel()], list(x.shape)


def _shifts(x):
    """`shift` of roll: any numbers, truncated by int() as NumPy's roll does."""
    x = _np.asarray(x.compute() if isinstance(x, ndarray) else x)
    return [int(v) for v in x.ravel()], list(x.shape)


def repeat(a, repeats, axis=None):
    a = _arr(a)
    reps, shape = _int_array(repeats)
    ax = None if axis is None else int(_index(axis))
    return _w(a._s.repeat(a._a, reps, shape, ax), a)


def roll(a, shift, axis=None):
    a = _arr(a)
    shifts, shift_shape = _shifts(shift)
    if axis is None:
        axes, axis_shape = None, []
    else:
        axes = _ints(axis)
        axis_shape = [len(axes)] if isinstance(axis, (tuple, list)) else []
    return _w(a._s.roll(a._a, shifts, shift_shape, axes, axis_shape), a)


def diff(a, n=1, axis=-1, prepend=_NoValue, append=_NoValue):
    if n == 0:
        return a
    a = _arr(a)
    p = None if prepend is _NoValue else _arr(prepend)._a
    q = None if append is _NoValue else _arr(append)._a
    return _w(a._s.diff(a._a, int(_index(n)), int(_index(axis)), p, q), a)


_PAD_KWARGS = {
    "constant": ["constant_values"], "edge": [], "empty": [], "wrap": [], "linear_ramp": ["end_values"],
    "maximum": ["stat_length"], "mean": ["stat_length"], "median": ["stat_length"],
    "minimum": ["stat_length"], "reflect": ["reflect_type"], "symmetric": ["reflect_type"],
}


def pad(array, pad_width, mode="constant", **kwargs):
    a = _arr(array)
    pw = _np.asarray(pad_width.compute() if isinstance(pad_width, ndarray) else pad_width)
    if pw.dtype.kind != "i":
        raise TypeError("`pad_width` must be of integral type.")
    pads = a._s.pad_pairs(a.ndim, [int(v) for v in pw.ravel()], list(pw.shape))
    if callable(mode):
        raise NotImplementedError("np.pad with a callable mode is not supported by starp")
    try:
        unsupported = set(kwargs) - set(_PAD_KWARGS[mode])
    except (KeyError, TypeError):
        raise ValueError(f"mode '{mode}' is not supported") from None
    if unsupported:
        raise ValueError(f"unsupported keyword arguments for mode '{mode}': {unsupported}")
    cv = kwargs.get("constant_values", 0)
    cv = _np.asarray(cv.compute() if isinstance(cv, ndarray) else cv)
    return _w(a._s.pad(a._a, pads, mode, cv.ravel().tolist(), list(cv.shape)), a)


def tril(m, k=0):
    m = _arr(m)
    return _w(m._s.tri_part(m._a, int(_index(k)), False), m)


def triu(m, k=0):
    m = _arr(m)
    return _w(m._s.tri_part(m._a, int(_index(k)), True), m)


def diag(v, k=0):
    v = _arr(v)
    return _w(v._s.diag(v._a, int(_index(k))), v)


def trace(a, offset=0, axis1=0, axis2=1, dtype=None, out=None):
    a = _arr(a)
    core = a._s.trace(a._a, int(_index(offset)), int(_index(axis1)), int(_index(axis2)), _dt(dtype))
    return store_out(_w(core, a, scalar=True), out)


def meshgrid(*xi, copy=True, sparse=False, indexing="xy"):
    s, xs = _same_session([_arr(x) for x in xi])
    return tuple(_wrap(c, s, scalar=False) for c in s.meshgrid([x._a for x in xs], indexing, bool(sparse), bool(copy)))


def outer(a, b, out=None):
    s, (a, b) = _same_session([_arr(a), _arr(b)])
    return store_out(_wrap(s.outer(a._a, b._a), s, scalar=False), out, "same_kind")


def copy(a, order="K", subok=False):
    if order not in ("K", "A", "C"):
        raise NotImplementedError("starp arrays are C-ordered: copy supports order='K', 'A' or 'C'")
    a = _arr(a)
    return _w(a._s.copy(a._a), a)


def fill_diagonal(a, val, wrap=False):
    if not isinstance(a, ndarray):
        raise TypeError("starp's fill_diagonal writes into a starp array in place")
    a._s.fill_diagonal(a._a, _operand(val, a._s), bool(wrap))


# ---- NaN-aware reductions ----
def _nan_args(where, initial=_NoValue):
    if where is not _NoValue and where is not True:
        raise NotImplementedError("starp's nan-reductions do not support where= yet")
    if initial is not _NoValue:
        raise NotImplementedError("starp's nan-reductions do not support initial= yet")


def _kd(keepdims):
    return False if keepdims is _NoValue else bool(keepdims)


def _nanred(op, a, axis, dtype, keepdims):
    a = _arr(a)
    int_axis = not isinstance(axis, (tuple, list))
    return _w(a._s.nanreduce(op, a._a, _axis(axis), int_axis, _dt(dtype), _kd(keepdims)), a, scalar=True)


def nansum(a, axis=None, dtype=None, out=None, keepdims=_NoValue, initial=_NoValue, where=_NoValue):
    _nan_args(where, initial)
    return store_out(_nanred("nansum", a, axis, dtype, keepdims), out)


def nanprod(a, axis=None, dtype=None, out=None, keepdims=_NoValue, initial=_NoValue, where=_NoValue):
    _nan_args(where, initial)
    return store_out(_nanred("nanprod", a, axis, dtype, keepdims), out)


def nanmean(a, axis=None, dtype=None, out=None, keepdims=_NoValue, *, where=_NoValue):
    _nan_args(where)
    return store_out(_nanred("nanmean", a, axis, dtype, keepdims), out)


def nanmax(a, axis=None, out=None, keepdims=_NoValue, initial=_NoValue, where=_NoValue):
    _nan_args(where, initial)
    return store_out(_nanred("nanmax", a, axis, None, keepdims), out)


def nanmin(a, axis=None, out=None, keepdims=_NoValue, initial=_NoValue, where=_NoValue):
    _nan_args(where, initial)
    return store_out(_nanred("nanmin", a, axis, None, keepdims), out)


# ---- classification and clip ----
def _classify(name):
    def f(x, /, out=None, *, where=True):
        _no_out(out)
        if where is not True:
            raise NotImplementedError(f"starp's {name} does not support where= yet")
        x = _arr(x)
        return _w(x._s.classify(name, x._a), x, scalar=True)

    f.__name__ = name
    f.__doc__ = f"NumPy's {name}, elementwise."
    return f


isnan = _classify("isnan")
isinf = _classify("isinf")
isfinite = _classify("isfinite")


def clip(a, a_min=_NoValue, a_max=_NoValue, out=None, *, min=_NoValue, max=_NoValue, **kwargs):
    if kwargs:
        raise NotImplementedError(f"starp's clip does not support {sorted(kwargs)} yet")
    if a_min is _NoValue and a_max is _NoValue:
        a_min = None if min is _NoValue else min
        a_max = None if max is _NoValue else max
    elif a_min is _NoValue:
        raise TypeError("clip() missing 1 required positional argument: 'a_min'")
    elif a_max is _NoValue:
        raise TypeError("clip() missing 1 required positional argument: 'a_max'")
    elif min is not _NoValue or max is not _NoValue:
        raise ValueError("Passing `min` or `max` keyword argument when `a_min` and `a_max` are provided is forbidden.")
    a = _arr(a)
    s = a._s
    lo = None if a_min is None else _operand(a_min, s)
    hi = None if a_max is None else _operand(a_max, s)
    return store_out(_w(s.clip(a._a, lo, hi), a, scalar=a._scalar), out, "same_kind")


# ---- the ndarray methods NumPy has for these ----
def _method_squeeze(self, axis=None):
    return squeeze(self, axis)


def _method_swapaxes(self, axis1, axis2):
    return swapaxes(self, axis1, axis2)


def _method_repeat(self, repeats, axis=None):
    return repeat(self, repeats, axis)


def _method_diagonal(self, offset=0, axis1=0, axis2=1):
    return diagonal(self, offset, axis1, axis2)


def _method_trace(self, offset=0, axis1=0, axis2=1, dtype=None, out=None):
    return trace(self, offset, axis1, axis2, dtype, out)


def _method_clip(self, min=None, max=None, out=None, **kwargs):
    return clip(self, min, max, out, **kwargs)


for _name, _f in [
    ("squeeze", _method_squeeze), ("swapaxes", _method_swapaxes), ("repeat", _method_repeat),
    ("diagonal", _method_diagonal), ("trace", _method_trace), ("clip", _method_clip),
]:
    _f.__name__ = _name
    setattr(ndarray, _name, _f)
del _name, _f
