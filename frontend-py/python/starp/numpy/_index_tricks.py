"""NumPy's index tricks and index-building creation functions on starp arrays: ``mgrid``,
``ogrid``, ``r_``, ``c_``, ``s_``, ``index_exp``, ``ix_``, ``indices``, ``tri`` and the
``*_indices`` family, ``ravel_multi_index``, ``unravel_index``, ``ndindex``, ``ndenumerate``,
``logspace``, ``geomspace``, ``fromfunction``.

All are compositions of starp's lazy primitives (arange, comparisons, arithmetic, reshape,
broadcast_to, stack, concatenate, nonzero) following NumPy's own algorithms step by step, so the
values and dtypes are NumPy's. Sync points (the data decides something on the host): the bounds
checks of ``ravel_multi_index(mode='raise')`` and ``unravel_index``, the ``*_indices`` (nonzero of
a mask), boolean ``ix_`` arguments, ``geomspace``'s zero check, ``ndenumerate``.
"""

import operator as _operator

import numpy as _np

from starp.numpy._array import ndarray as _ndarray

# Pure index-expression / shape objects: NumPy's own.
from numpy import index_exp, ndindex, s_  # noqa: F401
from starp.numpy._array import namespace as _snp

__all__ = [
    "mgrid", "ogrid", "r_", "c_", "s_", "index_exp", "ix_", "indices", "tri",
    "tril_indices", "tril_indices_from", "triu_indices", "triu_indices_from",
    "diag_indices", "diag_indices_from", "mask_indices", "ravel_multi_index", "unravel_index",
    "ndindex", "ndenumerate", "logspace", "geomspace", "fromfunction",
]

_INTP_MAX = 2**63 - 1



def _proxy(x):
    """What NumPy's result_type sees for x without computing it: starp arrays by their dtype
    (strong, as NumPy's arrays), Python scalars as they are (weak)."""
    return _np.empty(0, x.dtype) if isinstance(x, _ndarray) else x


def _ndmin(x, ndmin):
    """np.array(x, ndmin=ndmin) for a starp array: ones prepended to the shape."""
    if x.ndim >= ndmin:
        return x
    return x.reshape((1,) * (ndmin - x.ndim) + x.shape)


# ---- indices, fromfunction ----
def indices(dimensions, dtype=int, sparse=False):
    """NumPy's indices: the grid of each axis' index, stacked (dense, shape (N,) + dimensions) or
    as N broadcastable arrays (sparse)."""
    snp = _snp()
    dimensions = tuple(dimensions)
    n = len(dimensions)
    if not sparse and any(_operator.index(d) < 0 for d in dimensions):
        raise ValueError("negative dimensions are not allowed")
    ones = (1,) * n
    parts = [snp.arange(dim, dtype=dtype).reshape(ones[:i] + (dim,) + ones[i + 1:])
             for i, dim in enumerate(dimensions)]
    if sparse:
        return tuple(parts)
    shape = tuple(_operator.index(d) for d in dimensions)
    if n == 0:
        return snp.zeros((0,), dtype=dtype)
    return snp.stack([snp.broadcast_to(p, shape) for p in parts])


def fromfunction(function, shape, *, dtype=float, like=None, **kwargs):
    """NumPy's fromfunction: function(*indices(shape, dtype), **kwargs)."""
    return function(*indices(shape, dtype=dtype), **kwargs)


# ---- mgrid, ogrid ----
class _Grid:
    """NumPy's nd_grid (mgrid: dense, ogrid: sparse), step by step: a real step is arange's, an
    imaginary step ``Nj`` means N points from start to stop inclusive."""

    def __init__(self, sparse):
        self.sparse = sparse

    def __getitem__(self, key):
        snp = _snp()
        try:
            size = []
            num_list = [0]
            for k in range(len(key)):
                step, start, stop = key[k].step, key[k].start, key[k].stop
                start = 0 if start is None else start
                step = 1 if step is None else step
                if isinstance(step, (_np.complexfloating, complex)):
                    step = abs(step)
                    size.append(int(step))
                else:
                    import math

                    size.append(math.ceil((stop - start) / step))
                num_list += [start, stop, step]
            typ = _np.result_type(*num_list)
            if not self.sparse and any(d < 0 for d in size):
                raise ValueError("negative dimensions are not allowed")
            nn = [snp.arange(d, dtype=typ) for d in size]
            for k, kk in enumerate(key):
                step, start = kk.step, kk.start
                start = 0 if start is None else start
                step = 1 if step is None else step
                if isinstance(step, (_np.complexfloating, complex)):
                    step = int(abs(step))
                    if step != 1:
                        step = (kk.stop - start) / float(step - 1)
                # NumPy assigns into a grid of dtype typ: the same cast.
                nn[k] = (nn[k] * step + start).astype(typ, copy=False)
            n = len(size)
            nn = [x[(None,) * k + (slice(None),) + (None,) * (n - k - 1)] for k, x in enumerate(nn)]
            if self.sparse:
                return tuple(nn)
            if not nn:
                return snp.zeros((0,), dtype=typ)
            shape = tuple(size)
            return snp.stack([snp.broadcast_to(x, shape) for x in nn])
        except (IndexError, TypeError):
            step, stop, start = key.step, key.stop, key.start
            start = 0 if start is None else start
            if isinstance(step, (_np.complexfloating, complex)):
                step_float = abs(step)
                step = length = int(step_float)
                if step != 1:
                    step = (key.stop - start) / float(step - 1)
                typ = _np.result_type(start, stop, step_float)
                return snp.arange(0, length, 1, dtype=typ) * step + start
            return snp.arange(start, stop, step)


class MGridClass(_Grid):
    """NumPy's mgrid: a dense multi-dimensional mesh grid (``mgrid[0:5, 0:3:4j]``)."""

    def __init__(self):
        super().__init__(sparse=False)


class OGridClass(_Grid):
    """NumPy's ogrid: an open (sparse) mesh grid (``ogrid[0:5, 0:3:4j]``)."""

    def __init__(self):
        super().__init__(sparse=True)


mgrid = MGridClass()
ogrid = OGridClass()


# ---- r_, c_ ----
class AxisConcatenator:
    """NumPy's AxisConcatenator (r_, c_): slices become arange / linspace, scalars and arrays
    are raised to ``ndmin`` dimensions, a leading string 'axis[,ndmin[,trans1d]]' sets the
    options, and all are concatenated in the dtype NumPy's result_type gives. The matrix forms
    ('r', 'c', string keys) are not supported: starp has no numpy.matrix."""

    def __init__(self, axis=0, matrix=False, ndmin=1, trans1d=-1):
        self.axis = axis
        self.matrix = matrix
        self.trans1d = trans1d
        self.ndmin = ndmin

    def __getitem__(self, key):
        snp = _snp()
        if isinstance(key, str):
            raise NotImplementedError("starp has no numpy.matrix: the matrix-building string syntax of r_ / c_ is not supported")
        if not isinstance(key, tuple):
            key = (key,)
        trans1d, ndmin, axis = self.trans1d, self.ndmin, self.axis
        objs, scalars, rt_objs = [], [], []
        for k, item in enumerate(key):
            scalar = False
            if isinstance(item, slice):
                step, start, stop = item.step, item.start, item.stop
                start = 0 if start is None else start
                step = 1 if step is None else step
                if isinstance(step, (_np.complexfloating, complex)):
                    newobj = _linspace(start, stop, num=int(abs(step)))
                else:
                    newobj = snp.arange(start, stop, step)
                if ndmin > 1:
                    newobj = _ndmin(newobj, ndmin)
                    if trans1d != -1:
                        newobj = newobj.swapaxes(-1, trans1d)
            elif isinstance(item, str):
                if k != 0:
                    raise ValueError("special directives must be the first entry.")
                if item in ("r", "c"):
                    raise NotImplementedError(f"starp has no numpy.matrix: the {item!r} directive of r_ / c_ is not supported")
                if "," in item:
                    vec = item.split(",")
                    try:
                        axis, ndmin = [int(x) for x in vec[:2]]
                        if len(vec) == 3:
                            trans1d = int(vec[2])
                        continue
                    except Exception as e:
                        raise ValueError(f"unknown special directive {item!r}") from e
                try:
                    axis = int(item)
                    continue
                except (ValueError, TypeError) as e:
                    raise ValueError("unknown special directive") from e
            elif type(item) in _np.ScalarType:
                scalar = True
                newobj = item
            else:
                newobj = snp.asarray(item)
                item_ndim = newobj.ndim
                newobj = _ndmin(newobj, ndmin)
                if trans1d != -1 and item_ndim < ndmin:
                    k2 = ndmin - item_ndim
                    k1 = trans1d
                    if k1 < 0:
                        k1 += k2 + 1
                    defaxes = list(range(ndmin))
                    axes = defaxes[:k1] + defaxes[k2:] + defaxes[k1:k2]
                    newobj = newobj.transpose(axes)
            objs.append(newobj)
            scalars.append(scalar)
            rt_objs.append(item if scalar else newobj.dtype)
        if rt_objs:
            final = _np.result_type(*rt_objs)
            # A scalar is converted by NumPy (its OverflowError for an out-of-range Python int).
            objs = [_ndmin(snp.asarray(_np.array(o, dtype=final)) if s else o.astype(final, copy=False), ndmin)
                    for o, s in zip(objs, scalars)]
        return snp.concatenate(tuple(objs), axis=axis)

    def __len__(self):
        return 0


class RClass(AxisConcatenator):
    """NumPy's r_: concatenation along the first axis (``r_[1:4, 0, array]``)."""

    def __init__(self):
        super().__init__(0)


class CClass(AxisConcatenator):
    """NumPy's c_: 1-d inputs become columns, concatenated along the last axis."""

    def __init__(self):
        super().__init__(-1, ndmin=2, trans1d=0)


r_ = RClass()
c_ = CClass()


# ---- ix_ ----
def ix_(*args):
    """NumPy's ix_: 1-d sequences reshaped to index an open mesh; a boolean one stands for its
    nonzero positions (computed: a sync point)."""
    snp = _snp()
    out = []
    nd = len(args)
    for k, new in enumerate(args):
        if isinstance(new, _ndarray):
            pass
        elif isinstance(new, _np.ndarray):
            new = snp.asarray(new)
        else:
            host = _np.asarray(new)
            if host.size == 0:
                # An empty list is float in NumPy: ix_ makes it intp.
                host = host.astype(_np.intp)
            new = snp.asarray(host)
        if new.ndim != 1:
            raise ValueError("Cross index must be 1 dimensional")
        if new.dtype == _np.bool_:
            (new,) = snp.nonzero(new)
        new = new.reshape((1,) * k + (new.size,) + (1,) * (nd - k - 1))
        out.append(new)
    return tuple(out)


# ---- tri and the *_indices family ----
def tri(N, M=None, k=0, dtype=float, *, like=None):
    """NumPy's tri: ones at and below the k-th diagonal of an N x M array."""
    snp = _snp()
    if M is None:
        M = N
    m = snp.arange(N).reshape(-1, 1) >= snp.arange(-k, M - k).reshape(1, -1)
    return m.astype(dtype, copy=False)


def tril_indices(n, k=0, m=None):
    """NumPy's tril_indices: the (row, column) indices of tri(n, m, k), in C order."""
    return _snp().nonzero(tri(n, m, k=k, dtype=bool))


def triu_indices(n, k=0, m=None):
    """NumPy's triu_indices: the indices of ~tri(n, m, k - 1), in C order."""
    return _snp().nonzero(~tri(n, m, k=k - 1, dtype=bool))


def tril_indices_from(arr, k=0):
    if _snp().ndim(arr) != 2:
        raise ValueError("input array must be 2-d")
    shape = _snp().shape(arr)
    return tril_indices(shape[-2], k=k, m=shape[-1])


def triu_indices_from(arr, k=0):
    if _snp().ndim(arr) != 2:
        raise ValueError("input array must be 2-d")
    shape = _snp().shape(arr)
    return triu_indices(shape[-2], k=k, m=shape[-1])


def diag_indices(n, ndim=2):
    """NumPy's diag_indices: ndim times the same arange(n)."""
    idx = _snp().arange(n)
    return (idx,) * ndim


def diag_indices_from(arr):
    shape = _snp().shape(arr)
    if not len(shape) >= 2:
        raise ValueError("input array must be at least 2-d")
    if any(d != shape[0] for d in shape):
        raise ValueError("All dimensions of input must be of equal length")
    return diag_indices(shape[0], len(shape))


def mask_indices(n, mask_func, k=0):
    """NumPy's mask_indices: the nonzero positions of mask_func(ones((n, n), int), k)."""
    snp = _snp()
    a = mask_func(snp.ones((n, n), int), k)
    return snp.nonzero(a != 0)


# ---- ravel_multi_index, unravel_index ----
_EMPTY_SEQUENCE = ("indices must be integral: the provided empty sequence was inferred as float. "
                   "Wrap it with 'np.array(indices, dtype=np.intp)'")
_CLIPMODES = {"raise": "raise", "wrap": "wrap", "clip": "clip", 0: "clip", 1: "wrap", 2: "raise"}


def _intp_list(dims):
    """NumPy's PyArray_IntpConverter: an integer or a sequence of integers."""
    if isinstance(dims, _ndarray):
        dims = dims.tolist()
    if isinstance(dims, (_np.ndarray, list, tuple)):
        return [_operator.index(d) for d in (dims.tolist() if isinstance(dims, _np.ndarray) else dims)]
    return [_operator.index(dims)]


def _clipmode(m):
    if isinstance(m, str):
        if m not in _CLIPMODES:
            if m[:1] in ("c", "C", "r", "R", "w", "W"):
                raise ValueError("Use one of 'clip', 'raise', or 'wrap' for clip mode")
            raise ValueError(f"clipmode must be one of 'clip', 'raise', or 'wrap' (got {m!r})")
        return _CLIPMODES[m]
    i = _operator.index(m)
    if i not in (0, 1, 2):
        raise ValueError("integer clipmode must be RAISE, WRAP, or CLIP from 'numpy._core.multiarray'")
    return _CLIPMODES[i]


def _clipmodes(mode, n):
    if isinstance(mode, (list, tuple)):
        if len(mode) != n:
            raise ValueError(f"list of clipmodes has wrong length ({len(mode)} instead of {n})")
        return [_clipmode(m) for m in mode]
    return [_clipmode(mode)] * n


def _order(order):
    """NumPy's PyArray_OrderConverter, then only C or F."""
    if order is None:
        return "C"
    if not isinstance(order, str) or order.upper() not in ("C", "F", "A", "K"):
        raise ValueError(f"order must be one of 'C', 'F', 'A', or 'K' (got {order!r})")
    o = order.upper()
    if o not in ("C", "F"):
        raise ValueError("only 'C' or 'F' order is permitted")
    return o


def _any_int(x):
    """NumPy's astype_anyint: an integer or bool array (starp), TypeError otherwise."""
    snp = _snp()
    if not isinstance(x, (_ndarray, _np.ndarray)):
        host = _np.asarray(x)
        if host.size == 0 and host.dtype == _np.float64 and isinstance(x, (list, tuple)):
            raise TypeError(_EMPTY_SEQUENCE)
        x = host
    if x.dtype.kind not in "biu":
        raise TypeError("only int indices permitted")
    return snp.asarray(x).astype(_np.intp, copy=False)


def _strides(dims, order):
    s = 1
    strides = [0] * len(dims)
    for i in (range(len(dims) - 1, -1, -1) if order == "C" else range(len(dims))):
        strides[i] = s
        s *= dims[i]
        if abs(s) > _INTP_MAX:
            raise ValueError("invalid dims: array size defined by dims is larger than the maximum possible size.")
    return strides


def _true_somewhere(mask):
    # The bounds checks of NumPy's index functions raise at the call: a sync point.
    import builtins

    return builtins.bool(_snp().any(mask))


def ravel_multi_index(multi_index, dims, mode="raise", order="C"):
    """NumPy's ravel_multi_index: flat indices of (broadcast) coordinate arrays into an array of
    shape dims, per-dimension mode 'raise' (ValueError for an out-of-range coordinate: checked
    at the call, a sync point), 'wrap' or 'clip'; intp results."""
    snp = _snp()
    dims = _intp_list(dims)
    n = len(dims)
    modes = _clipmodes(mode, n)
    order = _order(order)
    strides = _strides(dims, order)
    try:
        count = len(multi_index)
    except TypeError:
        if not hasattr(multi_index, "__iter__"):
            raise TypeError("dispatcher for __array_function__ did not return an iterable") from None
        count = -1
    if count != n:
        raise ValueError(f"parameter multi_index must be a sequence of length {n}")
    coords = [_any_int(multi_index[i]) for i in range(n)]
    try:
        shape = _np.broadcast_shapes(*[c.shape for c in coords])
    except ValueError:
        shapes = " ".join(str(c.shape) for c in coords)
        raise ValueError(f"operands could not be broadcast together with shapes {shapes} ") from None
    if _np.prod(shape, dtype=_np.int64) != 0 and 0 in dims:
        raise ValueError("cannot unravel if shape has zero entries (is empty).")
    bad = None
    total = None
    for j, m, md, s in zip(coords, dims, modes, strides):
        if md == "raise":
            b = (j < 0) | (j >= m)
            bad = b if bad is None else bad | b
        elif m < 0:
            raise NotImplementedError(f"ravel_multi_index: mode {md!r} with a negative dimension ({m})")
        elif md == "wrap":
            # C's wrap loop gives j mod m in [0, m): Python's (floor) remainder.
            j = j % m if m > 0 else j
        else:
            j = snp.clip(j, 0, m - 1) if m > 0 else j
        term = j * s
        total = term if total is None else total + term
    if bad is not None and _true_somewhere(bad):
        raise ValueError("invalid entry in coordinates array")
    if total is None:
        return snp.zeros((), _np.intp) + 0
    return snp.broadcast_to(total, shape) if total.shape != shape else total


def unravel_index(indices, shape, order="C"):
    """NumPy's unravel_index: the coordinate arrays of flat indices into an array of this shape
    (ValueError naming the first out-of-range index: checked at the call, a sync point)."""
    snp = _snp()
    dims = _intp_list(shape)
    size = 1
    for d in dims:
        size *= d
    if abs(size) > _INTP_MAX:
        raise ValueError("dimensions are too large; arrays and shapes with a total size greater than "
                         "'intp' are not supported.")
    idx = _any_int(indices)
    o = "C" if order is None else order
    if not isinstance(o, str) or o.upper() not in ("C", "F", "A", "K"):
        raise ValueError(f"order must be one of 'C', 'F', 'A', or 'K' (got {order!r})")
    if o.upper() not in ("C", "F"):
        raise ValueError("only 'C' or 'F' order is permitted")
    bad = (idx < 0) | (idx >= size)
    if _true_somewhere(bad):
        flat = bad.ravel()
        val = int(idx.ravel()[snp.argmax(flat)])
        raise ValueError(f"index {val} is out of bounds for array with size {size}")
    if not dims and idx.ndim != 0:
        raise ValueError("multiple indices are not supported for 0d arrays")
    coords = [None] * len(dims)
    val = idx
    for i in (range(len(dims) - 1, -1, -1) if o.upper() == "C" else range(len(dims))):
        coords[i] = val % dims[i]
        val = val // dims[i]
    return tuple(coords)


# ---- ndenumerate ----
class ndenumerate:
    """NumPy's ndenumerate: (index tuple, value) pairs in C order. The array is computed when
    the iterator is made (a sync point); values are NumPy scalars, as NumPy's."""

    def __init__(self, arr):
        self._it = _np.ndenumerate(arr.compute() if isinstance(arr, _ndarray) else _np.asarray(arr))

    def __iter__(self):
        return self

    def __next__(self):
        return next(self._it)


# ---- linspace (general), logspace, geomspace ----
def _ndim(x):
    return x.ndim if isinstance(x, _ndarray) else _np.ndim(x)


def _is_host_scalar(x):
    return not isinstance(x, _ndarray) and _np.ndim(x) == 0


def _linspace(start, stop, num=50, endpoint=True, dtype=None, axis=0):
    """NumPy's linspace step by step (array start / stop, any axis, complex), as logspace and
    geomspace call it: y = arange(num) * step + start (or / div * delta where a step is 0), the
    last sample set to stop."""
    snp = _snp()
    num = _operator.index(num)
    if num < 0:
        raise ValueError(f"Number of samples, {num}, must be non-negative.")
    div = (num - 1) if endpoint else num
    dt = _np.result_type(_proxy(start), _proxy(stop), 0.0)
    integer_dtype = dtype is not None and _np.issubdtype(dtype, _np.integer)
    if _is_host_scalar(start) and _is_host_scalar(stop):
        # NumPy's scalar path, its arithmetic on the host (0-d arrays: strong types).
        start, stop = _np.asarray(start)[()], _np.asarray(stop)[()]
        delta = _np.subtract(stop, start, dtype=type(dt))
        y = snp.arange(0, num, 1, dtype=dt)
        if div > 0:
            step = delta / div
            y = (y / div) * delta if step == 0 else y * step
        else:
            y = y * delta
    else:
        start, stop = snp.asarray(start), snp.asarray(stop)
        delta = snp.subtract(stop.astype(dt, copy=False), start.astype(dt, copy=False))
        y = snp.arange(0, num, 1, dtype=dt).reshape((-1,) + (1,) * delta.ndim)
        if div > 0:
            step = delta / div
            import builtins

            # NumPy switches the whole array when any step underflows to 0: a sync point.
            y = (y / div) * delta if builtins.bool(snp.any(step == 0)) else y * step
        else:
            y = y * delta
    # NumPy adds start in place: computed in the promoted type, cast back to dt.
    y = (y + start).astype(dt, copy=False)
    if endpoint and num > 1:
        y[-1, ...] = stop
    if axis != 0:
        y = snp.moveaxis(y, 0, axis)
    if integer_dtype:
        y = snp.floor(y)
    return y.astype(dtype, copy=False) if dtype is not None else y


def logspace(start, stop, num=50, endpoint=True, base=10.0, dtype=None, axis=0):
    """NumPy's logspace: base ** linspace(start, stop, num) (array start / stop / base
    broadcast, any axis)."""
    snp = _snp()
    if not isinstance(base, (float, int)) and _ndim(base):
        shapes = [snp.shape(v) for v in (start, stop, base)]
        ndmax = len(_np.broadcast_shapes(*shapes))
        start, stop, base = (_ndmin(snp.asarray(v), ndmax) for v in (start, stop, base))
        base = snp.expand_dims(base, axis=axis)
    y = _linspace(start, stop, num=num, endpoint=endpoint, axis=axis)
    if isinstance(base, _np.ndarray):
        base = snp.asarray(base)
    r = snp.power(base, y)
    return r if dtype is None else r.astype(dtype, copy=False)


def geomspace(start, stop, num=50, endpoint=True, dtype=None, axis=0):
    """NumPy's geomspace: start rotated to the positive reals (divided by its sign), a logspace
    between the log10s, the exact endpoints put back, the rotation undone (so negative and
    complex endpoints work as in NumPy). Checking for zeros reads the data: a sync point."""
    import builtins

    snp = _snp()
    start = snp.asarray(start)
    stop = snp.asarray(stop)
    if builtins.bool(snp.any(start == 0)) or builtins.bool(snp.any(stop == 0)):
        raise ValueError("Geometric sequence cannot include zero")
    dt = _np.result_type(_proxy(start), _proxy(stop), float(num), _np.zeros((), dtype))
    dtype = dt if dtype is None else _np.dtype(dtype)
    start = start.astype(dt)
    stop = stop.astype(dt)
    out_sign = snp.sign(start)
    start = start / out_sign
    stop = stop / out_sign
    result = logspace(snp.log10(start), snp.log10(stop), num=num, endpoint=endpoint, base=10.0, dtype=dt)
    if num > 0:
        result[0] = start
        if num > 1 and endpoint:
            result[-1] = stop
    result = (result * out_sign).astype(dt, copy=False)
    if axis != 0:
        result = snp.moveaxis(result, 0, axis)
    return result.astype(dtype, copy=False)
