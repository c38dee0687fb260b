"""The starp ndarray: a handle on a lazy node. Arguments are parsed here, NumPy's conventions
applied; every semantic decision (promotion, shapes, views, errors) is made in Rust."""

import sys as _sys

import numpy as _np

from starp._session import current_session

SUPPORTED = (
    "bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
    "float32", "float64", "complex64", "complex128",
)


def dtype_name(dt):
    """A dtype-like (numpy dtype, type, string) as starp's dtype name; TypeError if unsupported."""
    d = _np.dtype(dt)
    if d.name not in SUPPORTED:
        raise TypeError(f"starp does not support dtype {d.name!r} (supported: {', '.join(SUPPORTED)})")
    return d.name


def wrap(core, session=None, scalar=True):
    """A starp array around a core handle. `scalar`: a 0-d result stands for what NumPy returns
    as a scalar (ufunc and reduction results, a[i, j]) and prints as one."""
    a = ndarray.__new__(ndarray)
    a._a = core
    a._s = session if session is not None else current_session()
    a._scalar = scalar
    return a


def from_numpy(x, session=None):
    """A snapshot of a NumPy array (later writes to it do not reach starp)."""
    s = session if session is not None else current_session()
    x = _np.asarray(x, order="C")
    name = dtype_name(x.dtype)
    if x.dtype.byteorder not in ("=", "|"):
        x = x.astype(x.dtype.newbyteorder("="))
    return wrap(s.from_bytes(name, list(x.shape), x.tobytes()), s, scalar=False)


def operand(x, s):
    """What the Rust layer takes: starp arrays, Python scalars and NumPy scalars; anything
    array-like (NumPy arrays, lists) becomes a starp array first."""
    if isinstance(x, ndarray):
        return x._a
    if isinstance(x, (bool, int, float, complex, _np.generic)):
        if isinstance(x, _np.generic):
            dtype_name(x.dtype)
        return x
    return from_numpy(_np.asarray(x), s)._a


def fetch(arrays, consume=None):
    if not arrays:
        return []
    s = arrays[0]._s
    raw = s.fetch([a._a for a in arrays], consume)
    out = []
    for a, buf in zip(arrays, raw):
        out.append(_np.frombuffer(buf, dtype=_np.dtype(a._a.dtype)).reshape(a.shape))
    return out


def _axis(axis):
    if axis is None:
        return None
    if isinstance(axis, (tuple, list)):
        return [int(_index(x)) for x in axis]
    return [int(_index(axis))]


def _index(x):
    if isinstance(x, bool) or not hasattr(x, "__index__"):
        raise TypeError(f"'{type(x).__name__}' object cannot be interpreted as an integer")
    return x.__index__()


def _advanced(key):
    """Whether an index holds index arrays or masks (lists, arrays, bools): NumPy's advanced
    indexing, done by starp.numpy._data_dependent."""
    t = type(key)
    if t is int or t is slice:
        return False
    for k in key if t is tuple else (key,):
        if isinstance(k, (ndarray, list, _np.ndarray, bool, _np.bool_)):
            if getattr(k, "ndim", 1) == 0 and k.dtype.kind in "iu":
                continue
            return True
    return False


def namespace():
    """`starp.numpy` itself, for the modules it imports (they load before it is complete, so
    they reach its functions at call time)."""
    import starp.numpy as snp

    return snp


def _no_out(out):
    if out is not None:
        raise NotImplementedError("starp does not support out= yet")


def store_out(r, out, casting="unsafe"):
    """NumPy's `out=` of a function that is not a ufunc: the result r, of exactly out's shape,
    written into out (a starp or NumPy array) under `casting` (reductions cast unsafely, as
    NumPy's do); returns out, or r when out is None."""
    if out is None:
        return r
    if isinstance(out, tuple) and len(out) == 1:
        out = out[0]
    if not isinstance(out, (ndarray, _np.ndarray)):
        raise TypeError(f"out must be an array, not {type(out).__name__}")
    if tuple(out.shape) != tuple(r.shape):
        raise ValueError(f"output array has the wrong shape: found {tuple(out.shape)} but the result "
                         f"has shape {tuple(r.shape)}")
    if not _np.can_cast(r.dtype, out.dtype, casting):
        raise TypeError(f"Cannot cast array data from {r.dtype!r} to {out.dtype!r} according to the "
                        f"rule {casting!r}")
    if isinstance(out, ndarray):
        out[...] = r
    else:
        out[...] = _np.asarray(r)
    return out


def _index_out(out):
    """argmin/argmax write int64 indices through out, which NumPy requires to be safely castable
    to intp (so int32, uint8 and bool work, uint64 and floats do not)."""
    if out is not None and isinstance(out, (ndarray, _np.ndarray)) and not _np.can_cast(out.dtype, _np.intp, "safe"):
        raise TypeError(f"Cannot cast array data from {out.dtype!r} to dtype('int64') according to the rule 'safe'")


def _binop(name, reflected=False):
    def f(self, other):
        s = self._s
        try:
            o = operand(other, s)
        except TypeError:
            return NotImplemented
        a, b = (o, self._a) if reflected else (self._a, o)
        return wrap(s.binary(name, a, b), s)

    f.__name__ = name
    return f


def _iop(name):
    def f(self, other):
        self._s.inplace(name, self._a, operand(other, self._s))
        return self

    f.__name__ = name
    return f


_NoValue = _np._NoValue

#: The value a where= mask leaves in place of skipped elements (min/max have none: initial=).
_IDENTITY = {"sum": 0, "prod": 1, "any": False, "all": True}
_UFUNC_OF = {"min": "minimum", "max": "maximum", "sum": "add", "prod": "multiply"}


def _reduction(op, with_dtype=False, with_initial=True):
    """A reduction method with NumPy's signature (sum and prod also take dtype=; any and all
    take where= but no initial=; argmin/argmax neither)."""
    if op in ("argmin", "argmax"):
        def f(self, axis=None, out=None, *, keepdims=False):
            return self._reduce(op, axis, keepdims, None, out)
    elif with_dtype:
        def f(self, axis=None, dtype=None, out=None, keepdims=False, initial=_NoValue, where=True):
            return self._reduce(op, axis, keepdims, dtype, out, initial, where)
    elif with_initial:
        def f(self, axis=None, out=None, keepdims=False, initial=_NoValue, where=True):
            return self._reduce(op, axis, keepdims, None, out, initial, where)
    else:
        def f(self, axis=None, out=None, keepdims=False, *, where=True):
            return self._reduce(op, axis, keepdims, None, out, _NoValue, where)
    f.__name__ = op
    return f


def _has_mask(where):
    """A reduction's where= other than NumPy's default (True)."""
    return not (where is True or where is _NoValue)


def _squared_deviations(a, mean):
    """|a - mean|^2 as NumPy's _var computes it (x * conj(x), real part, for complex)."""
    dev = a - mean
    return (dev * dev.conj()).real if dev.dtype.kind == "c" else dev * dev


def _reduced_shape(shape, axis, keepdims):
    from numpy.lib.array_utils import normalize_axis_tuple

    axes = range(len(shape)) if axis is None else normalize_axis_tuple(axis, len(shape))
    if keepdims:
        return tuple(1 if i in axes else d for i, d in enumerate(shape))
    return tuple(d for i, d in enumerate(shape) if i not in axes)


class ndarray:
    """A lazy, possibly distributed n-dimensional array with NumPy's semantics."""

    __slots__ = ("_a", "_s", "_scalar", "__weakref__")
    __array_priority__ = 1000

    # NumPy's protocols (starp.numpy._interop): NumPy ufuncs and functions called with starp
    # arrays run starp's function of the same name (lazily), or NumPy's with a one-time warning.
    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        from starp.numpy._interop import array_ufunc

        return array_ufunc(ufunc, method, inputs, kwargs)

    def __array_function__(self, func, types, args, kwargs):
        from starp.numpy._interop import array_function

        return array_function(func, types, args, kwargs)

    def __array_namespace__(self, *, api_version=None):
        from starp.numpy._interop import array_namespace

        return array_namespace(api_version)

    def __init__(self, *args, **kwargs):
        raise TypeError("create starp arrays with starp.numpy.array, zeros, arange, ...")

    # ---- attributes ----
    @property
    def shape(self):
        return tuple(self._a.shape)

    @property
    def dtype(self):
        return _np.dtype(self._a.dtype)

    @property
    def ndim(self):
        return len(self._a.shape)

    @property
    def size(self):
        n = 1
        for d in self._a.shape:
            n *= d
        return n

    @property
    def itemsize(self):
        return self.dtype.itemsize

    @property
    def nbytes(self):
        return self.size * self.itemsize

    @property
    def T(self):
        return self.transpose()

    def __len__(self):
        if self.ndim == 0:
            raise TypeError("len() of unsized object")
        return self.shape[0]

    def __iter__(self):
        if self.ndim == 0:
            raise TypeError("iteration over a 0-d array")
        return (self[i] for i in range(self.shape[0]))

    __hash__ = None

    # ---- materialization ----
    def compute(self):
        """Run the graph; a numpy.ndarray with the values."""
        # A temporary (`(a * b + c).compute()`: only the caller's stack and `self` refer to it)
        # can give its memory to NumPy instead of a copy; nothing can use it afterwards.
        temporary = _sys.getrefcount(self) <= 2 and _sys.getrefcount(self._a) <= 2
        return fetch([self], [temporary])[0]

    def persist(self):
        """Compute this array where it lives (distributed, nothing gathered); returns self."""
        self._s.persist([self._a])
        return self

    def __array__(self, dtype=None, copy=None):
        x = self.compute()
        return x if dtype is None else x.astype(dtype, copy=False)

    def __repr__(self):
        # 0-d results are what NumPy returns as scalars (reductions, a[i, j]): print them so.
        x = self.compute()
        return repr(x[()] if x.ndim == 0 and self._scalar else x)

    def __str__(self):
        x = self.compute()
        return str(x[()] if x.ndim == 0 and self._scalar else x)

    def __format__(self, spec):
        return format(self.compute(), spec)

    def _one_value(self, what):
        if self.size != 1:
            if what == "bool":
                raise ValueError(
                    "The truth value of an array with more than one element is ambiguous. Use a.any() or a.all()"
                )
            raise TypeError("only length-1 arrays can be converted to Python scalars")
        return self.compute().reshape(())

    def __bool__(self):
        return bool(self._one_value("bool"))

    def __float__(self):
        return float(self._one_value("float"))

    def __int__(self):
        return int(self._one_value("int"))

    def __complex__(self):
        return complex(self._one_value("complex"))

    def __index__(self):
        if self.ndim != 0 or not _np.issubdtype(self.dtype, _np.integer):
            raise TypeError("only integer scalar arrays can be converted to a scalar index")
        return int(self._one_value("int"))

    def item(self, *args):
        return self.compute().item(*args)

    # ---- Python protocols: pickling and copying compute the values ----
    def __reduce__(self):
        # A pickle holds the values (NumPy's), so it loads in any process and at any rank count.
        return (_unpickle, (self.compute(), self._scalar))

    def __copy__(self):
        return self.copy()

    def __deepcopy__(self, memo):
        return self.copy()

    def dumps(self):
        import pickle

        return pickle.dumps(self)

    def dump(self, file):
        import pickle

        if isinstance(file, (str, bytes)) or hasattr(file, "__fspath__"):
            with open(file, "wb") as f:
                pickle.dump(self, f)
        else:
            pickle.dump(self, file)

    def __contains__(self, value):
        return bool((self == value).any())

    def tobytes(self, order="C"):
        return self.compute().tobytes(order)

    # ---- small methods NumPy programs use ----
    def fill(self, value):
        """Sets every element to `value` (cast as NumPy casts a scalar into the array)."""
        if isinstance(value, ndarray) and value.size != 1 or _np.ndim(value) != 0 and not isinstance(value, ndarray):
            raise ValueError("fill value must be a scalar")
        self[...] = value

    def dot(self, b, out=None):
        from starp.numpy import dot

        return store_out(dot(self, b), out, "same_kind")

    @property
    def mT(self):
        if self.ndim < 2:
            raise ValueError("matrix transpose with ndim < 2 is undefined")
        return self.swapaxes(-1, -2)

    def view(self, dtype=None, type=None):
        """A new array object over the same data (writes through it are seen here). starp cannot
        reinterpret bytes as another dtype."""
        if type is not None and not (isinstance(type, _builtin_type) and issubclass(type, ndarray)):
            raise NotImplementedError("starp's view supports type=None (starp arrays) only")
        if dtype is not None and _np.dtype(dtype) != self.dtype:
            raise NotImplementedError(f"starp cannot reinterpret {self.dtype} data as {_np.dtype(dtype)} "
                                      "(view with another dtype); use astype to convert values")
        return self[...]

    @property
    def flat(self):
        return FlatIter(self)

    @property
    def device(self):
        return "cpu"

    def __dlpack__(self, *, stream=None, max_version=None, dl_device=None, copy=None):
        # The computed values are exported (a NumPy array the capsule keeps alive): consumers
        # get a snapshot, not a view of the lazy array.
        kwargs = {} if max_version is None else {"max_version": max_version}
        return self.compute().__dlpack__(stream=stream, dl_device=dl_device, copy=copy, **kwargs)

    def __dlpack_device__(self):
        return (1, 0)  # kDLCPU, device 0

    def to_device(self, device, /, *, stream=None):
        if device != "cpu":
            raise ValueError(f"unsupported device {device!r}: starp arrays live on 'cpu'")
        return self

    def tolist(self):
        return self.compute().tolist()

    def explain(self):
        """The logical graph, the physical plan (kernels, layouts, bytes moved) and the session."""
        return self._s.explain(self._a)

    def visualize(self, path):
        """Write the graph as DOT to `path` (and an SVG beside it when Graphviz's dot exists)."""
        import shutil
        import subprocess

        dot = self._s.dot(self._a)
        with open(path, "w") as f:
            f.write(dot)
        if shutil.which("dot"):
            svg = str(path).rsplit(".", 1)[0] + ".svg"
            subprocess.run(["dot", "-Tsvg", str(path), "-o", svg], check=False)
        return path

    # ---- operators ----
    __add__ = _binop("add")
    __radd__ = _binop("add", True)
    __sub__ = _binop("subtract")
    __rsub__ = _binop("subtract", True)
    __mul__ = _binop("multiply")
    __rmul__ = _binop("multiply", True)
    __truediv__ = _binop("divide")
    __rtruediv__ = _binop("divide", True)
    __floordiv__ = _binop("floor_divide")
    __rfloordiv__ = _binop("floor_divide", True)
    __mod__ = _binop("remainder")
    __rmod__ = _binop("remainder", True)
    __pow__ = _binop("power")
    __rpow__ = _binop("power", True)
    __and__ = _binop("bitwise_and")
    __rand__ = _binop("bitwise_and", True)
    __or__ = _binop("bitwise_or")
    __ror__ = _binop("bitwise_or", True)
    __xor__ = _binop("bitwise_xor")
    __rxor__ = _binop("bitwise_xor", True)
    __lshift__ = _binop("left_shift")
    __rlshift__ = _binop("left_shift", True)
    __rshift__ = _binop("right_shift")
    __rrshift__ = _binop("right_shift", True)
    __eq__ = _binop("equal")
    __ne__ = _binop("not_equal")
    __lt__ = _binop("less")
    __le__ = _binop("less_equal")
    __gt__ = _binop("greater")
    __ge__ = _binop("greater_equal")
    __iadd__ = _iop("add")
    __isub__ = _iop("subtract")
    __imul__ = _iop("multiply")
    __itruediv__ = _iop("divide")
    __ifloordiv__ = _iop("floor_divide")
    __imod__ = _iop("remainder")
    __ipow__ = _iop("power")
    __iand__ = _iop("bitwise_and")
    __ior__ = _iop("bitwise_or")
    __ixor__ = _iop("bitwise_xor")
    __ilshift__ = _iop("left_shift")
    __irshift__ = _iop("right_shift")

    def __neg__(self):
        return wrap(self._s.unary("negative", self._a), self._s)

    def __pos__(self):
        return self.copy()

    def __abs__(self):
        return wrap(self._s.unary("absolute", self._a), self._s)

    def __invert__(self):
        return wrap(self._s.unary("invert", self._a), self._s)

    def __matmul__(self, other):
        o = other if isinstance(other, ndarray) else from_numpy(_np.asarray(other), self._s)
        return wrap(self._s.matmul(self._a, o._a), self._s)

    def __rmatmul__(self, other):
        o = from_numpy(_np.asarray(other), self._s)
        return wrap(self._s.matmul(o._a, self._a), self._s)

    def __imatmul__(self, other):
        r = self @ other
        self[...] = r
        return self

    # ---- indexing ----
    def __getitem__(self, key):
        if _advanced(key):
            from starp.numpy._data_dependent import getitem

            return getitem(self, key)
        ints = key if isinstance(key, tuple) else (key,)
        scalar = all(not isinstance(k, (slice, type(None), type(Ellipsis))) for k in ints)
        return wrap(self._s.getitem(self._a, key), self._s, scalar=scalar)

    def __setitem__(self, key, value):
        if _advanced(key):
            from starp.numpy._data_dependent import setitem

            return setitem(self, key, value)
        self._s.setitem(self._a, key, operand(value, self._s))

    # ---- methods ----
    def astype(self, dtype, copy=True):
        name = dtype_name(dtype)
        if not copy and name == self._a.dtype:
            return self
        return wrap(self._s.astype(self._a, name), self._s)

    def copy(self):
        return wrap(self._s.copy(self._a), self._s, scalar=self._scalar)

    def reshape(self, *shape, order="C"):
        if order != "C":
            raise NotImplementedError("starp supports order='C' only")
        if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
            shape = shape[0]
        return wrap(self._s.reshape(self._a, [int(_index(d)) for d in shape]), self._s)

    def ravel(self, order="C"):
        return self.reshape(-1, order=order)

    def flatten(self, order="C"):
        return self.ravel(order).copy()

    def transpose(self, *axes):
        if len(axes) == 1 and (axes[0] is None or isinstance(axes[0], (tuple, list))):
            axes = axes[0]
        axes = None if axes is None or len(axes) == 0 else [int(_index(a)) for a in axes]
        return wrap(self._s.transpose(self._a, axes), self._s)

    def _reduce(self, op, axis, keepdims, dtype=None, out=None, initial=_NoValue, where=True):
        if op in ("argmin", "argmax"):
            _index_out(out)
            if isinstance(axis, (tuple, list)):
                raise TypeError(f"'{type(axis).__name__}' object cannot be interpreted as an integer")
        if self.ndim == 0 and axis is not None and not isinstance(axis, (tuple, list)) and _index(axis) in (0, -1):
            axis = None  # NumPy's ufunc reductions accept an int axis 0 or -1 on 0-d arrays
        if initial is _NoValue and not _has_mask(where):
            return store_out(self._reduce_value(op, axis, keepdims, dtype), out)
        return store_out(self._reduce_masked(op, axis, keepdims, dtype, initial, where), out)

    def _reduce_masked(self, op, axis, keepdims, dtype, initial, where):
        """NumPy's where= (skipped elements count as the identity, or as `initial` for min/max)
        and initial= (one more operand of the reduction, cast to its dtype)."""
        from starp.numpy import full, maximum, minimum
        from starp.numpy import where as select

        a = self if dtype is None else self.astype(dtype)
        if initial is not _NoValue:
            # Cast to the reduction's dtype (sum/prod of small ints widen, as NumPy's do).
            rdt = getattr(_np, op)(_np.zeros(1, a.dtype)).dtype
            initial = _np.asarray(initial).astype(rdt)[()]
        if _has_mask(where):
            fill = _IDENTITY.get(op, initial)
            if fill is _NoValue:
                raise ValueError(f"reduction operation '{_UFUNC_OF[op]}' does not have an identity, so to use a "
                                 "where mask one has to specify 'initial'")
            a = select(self._mask(where), a, _np.asarray(fill).astype(a.dtype)[()])
        if initial is _NoValue:
            return a._reduce_value(op, axis, keepdims, None)
        shape = _reduced_shape(self.shape, axis, keepdims)
        if op in ("min", "max") and self.size // max(1, _prod(shape)) == 0 or self.size == 0:
            return full(shape, initial, dtype=initial.dtype)
        r = a._reduce_value(op, axis, keepdims, None)
        combine = {"sum": lambda r: r + initial, "prod": lambda r: r * initial,
                   "min": lambda r: minimum(r, initial), "max": lambda r: maximum(r, initial)}[op]
        return combine(r).astype(r.dtype, copy=False)

    def _reduce_value(self, op, axis, keepdims, dtype):
        a = self if dtype is None else self.astype(dtype)
        r = wrap(self._s.reduce(op, a._a, _axis(axis), bool(keepdims)), self._s)
        # An explicit dtype is the result's too (sums of small ints otherwise widen to int64;
        # integer sums and products wrap the same way in the narrower type).
        if dtype is not None and r.dtype != _np.dtype(dtype):
            r = r.astype(dtype)
        return r

    sum = _reduction("sum", with_dtype=True)
    prod = _reduction("prod", with_dtype=True)
    min = _reduction("min")
    max = _reduction("max")
    any = _reduction("any", with_initial=False)
    all = _reduction("all", with_initial=False)
    argmin = _reduction("argmin")
    argmax = _reduction("argmax")

    def _mask(self, where):
        """A where= mask broadcast to this array's shape (NumPy's error if it cannot be)."""
        from starp.numpy import broadcast_to

        return broadcast_to(where if isinstance(where, ndarray) else _np.asarray(where), self.shape)

    def mean(self, axis=None, dtype=None, out=None, keepdims=False, *, where=True):
        if _has_mask(where):
            return store_out(self._mean_where(axis, dtype, keepdims, where), out)
        if out is not None:
            return self._mean_into(axis, dtype, out, keepdims)
        if dtype is not None and _np.dtype(dtype).kind in "biu":
            return self._integer_moment(axis, dtype, 0, keepdims, "mean")
        a = self if dtype is None else self.astype(dtype)
        return wrap(self._s.mean(a._a, _axis(axis), bool(keepdims)), self._s)

    def _integer_moment(self, axis, dtype, ddof, keepdims, which):
        """NumPy's _mean/_var/_std with an integer dtype=: sums in that dtype, and every division
        (and std's square root) is cast back to it, truncating."""
        dtype = _np.dtype(dtype)
        total = self.sum(axis=axis, dtype=dtype, keepdims=True)
        n = self.size // total.size if total.size else 0
        with _np.errstate(divide="ignore", invalid="ignore"):
            mean = (total / n).astype(dtype)
            if which == "mean":
                return mean if keepdims else mean.reshape(_reduced_shape(self.shape, axis, False))
            dev = self - mean  # in the promoted dtype of the input and the mean, as NumPy's
            ssq = (dev * dev).sum(axis=axis, dtype=dtype, keepdims=keepdims)
            var = (ssq / max(n - ddof, 0)).astype(dtype)
        if which == "var":
            return var
        if var.ndim:
            # NumPy's std takes sqrt(ret, out=ret) of an integer array: same_kind refuses it.
            raise TypeError(f"Cannot cast ufunc 'sqrt' output from dtype('float64') to {dtype!r} with casting "
                            "rule 'same_kind'")
        return (var ** 0.5).astype(dtype)

    def _mean_into(self, axis, dtype, out, keepdims):
        # NumPy's _mean with out=: the sum is cast into out, then out is divided in place, both
        # unsafely (an integer out holds the truncated sum; a NaN sum becomes INT_MIN first).
        if dtype is None and self.dtype.kind in "biu":
            dtype = _np.float64
        total = self.sum(axis=axis, dtype=dtype, keepdims=keepdims)
        count = self.size // total.size if total.size else 0
        store_out(total, out)
        with _np.errstate(divide="ignore", invalid="ignore"):
            out[...] = out / count
        return out

    def _mean_where(self, axis, dtype, keepdims, where):
        # NumPy's _mean with where=: the masked sum over the count of selected elements.
        if dtype is None and self.dtype.kind in "biu":
            dtype = _np.float64
        mask = self._mask(where)
        total = self.sum(axis=axis, dtype=dtype, keepdims=keepdims, where=mask)
        count = mask.sum(axis=axis, keepdims=keepdims)
        with _np.errstate(divide="ignore", invalid="ignore"):
            return total / count.astype(_np.dtype(total.dtype.char.lower()) if total.dtype.kind == "c" else total.dtype)

    def _var_where(self, axis, dtype, ddof, keepdims, where):
        from starp.numpy import maximum

        mask = self._mask(where)
        a = self if dtype is None else self.astype(dtype)
        sq = _squared_deviations(a, self._mean_where(axis, dtype, True, mask))
        total = sq.sum(axis=axis, keepdims=keepdims, where=mask)
        count = maximum(mask.sum(axis=axis, keepdims=keepdims) - ddof, 0)
        return total / count.astype(total.dtype)

    def var(self, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *, where=True, mean=_NoValue,
            correction=_NoValue):
        return self._variance(axis, dtype, out, self._ddof(ddof, mean, correction), keepdims, where, False)

    def std(self, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *, where=True, mean=_NoValue,
            correction=_NoValue):
        return self._variance(axis, dtype, out, self._ddof(ddof, mean, correction), keepdims, where, True)

    def _variance(self, axis, dtype, out, ddof, keepdims, where, root):
        """var (std when `root`): NumPy's where=, integer out= and integer dtype= paths, else the
        Rust node."""
        if _has_mask(where):
            r = self._var_where(axis, dtype, ddof, keepdims, where)
            return store_out(r ** 0.5 if root else r, out)
        if out is not None and _np.dtype(out.dtype).kind not in "fc":
            return self._var_into(axis, dtype, out, ddof, keepdims, root)
        if dtype is not None and _np.dtype(dtype).kind in "biu":
            return store_out(self._integer_moment(axis, dtype, ddof, keepdims, "std" if root else "var"), out)
        a = self if dtype is None else self.astype(dtype)
        node = (self._s.std if root else self._s.var)(a._a, _axis(axis), float(ddof), bool(keepdims))
        return store_out(wrap(node, self._s), out)

    @staticmethod
    def _ddof(ddof, mean, correction):
        if mean is not _NoValue:
            raise NotImplementedError("starp's var/std do not take a precomputed mean= yet")
        if correction is not _NoValue:
            if ddof != 0:
                raise ValueError("ddof and correction can't be provided simultaneously.")
            return correction
        return ddof

    def _var_into(self, axis, dtype, out, ddof, keepdims, root):
        # NumPy's _var with an integer out=: the sum of squared deviations is cast into out, then
        # divided (and square-rooted for std) in place, each step truncating.
        if dtype is None and self.dtype.kind in "biu":
            dtype = _np.float64
        a = self if dtype is None else self.astype(dtype)
        total = _squared_deviations(a, a.mean(axis=axis, keepdims=True)).sum(axis=axis, keepdims=keepdims)
        count = max(self.size // total.size - ddof, 0) if total.size else 0
        store_out(total, out)
        with _np.errstate(divide="ignore", invalid="ignore"):
            out[...] = out / count
        if root:
            # NumPy's std then takes sqrt(out, out=out), which same_kind casting refuses.
            raise TypeError(f"Cannot cast ufunc 'sqrt' output from dtype('float64') to {out.dtype!r} with "
                            "casting rule 'same_kind'")
        return out


_builtin_type = type


def _unpickle(values, scalar=False):
    a = from_numpy(values)
    a._scalar = scalar
    return a


class FlatIter:
    """`a.flat`: NumPy's flat iterator over a starp array, in row-major order. Reading indexes
    the flattened values; writing writes through to `a` (and every view of it)."""

    __slots__ = ("base",)

    def __init__(self, base):
        self.base = base

    def __len__(self):
        return self.base.size

    def __iter__(self):
        return iter(self.base.ravel())

    def __getitem__(self, key):
        return self.base.ravel()[key]

    def __setitem__(self, key, value):
        flat = self.base.ravel().copy()
        flat[key] = value
        self.base[...] = flat.reshape(self.base.shape)

    def __array__(self, dtype=None, copy=None):
        x = self.base.compute().ravel()
        return x if dtype is None else x.astype(dtype)

    def copy(self):
        return self.base.ravel().copy()


def _prod(xs):
    n = 1
    for x in xs:
        n *= x
    return n
