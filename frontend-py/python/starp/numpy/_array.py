"""The starp ndarray: a handle on a lazy node. Arguments are parsed here, NumPy's conventions
applied; every semantic decision (promotion, shapes, views, errors) is made in Rust."""

import sys as _sys

import numpy as _np

from starp import _core
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


def _no_out(out):
    if out is not None:
        raise NotImplementedError("starp does not support out= yet")


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


def _reduction(op, with_dtype=False):
    """A reduction method with NumPy's signature (sum and prod also take dtype=)."""
    if with_dtype:
        def f(self, axis=None, dtype=None, out=None, keepdims=False):
            return self._reduce(op, axis, keepdims, dtype, out)
    else:
        def f(self, axis=None, out=None, keepdims=False):
            return self._reduce(op, axis, keepdims, None, out)
    f.__name__ = op
    return f


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
            raise TypeError(f"only length-1 arrays can be converted to Python scalars")
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

    def _reduce(self, op, axis, keepdims, dtype=None, out=None):
        _no_out(out)
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
    any = _reduction("any")
    all = _reduction("all")
    argmin = _reduction("argmin")
    argmax = _reduction("argmax")

    def mean(self, axis=None, dtype=None, out=None, keepdims=False):
        _no_out(out)
        a = self if dtype is None else self.astype(dtype)
        return wrap(self._s.mean(a._a, _axis(axis), bool(keepdims)), self._s)

    def var(self, axis=None, dtype=None, out=None, ddof=0, keepdims=False):
        _no_out(out)
        a = self if dtype is None else self.astype(dtype)
        return wrap(self._s.var(a._a, _axis(axis), float(ddof), bool(keepdims)), self._s)

    def std(self, axis=None, dtype=None, out=None, ddof=0, keepdims=False):
        _no_out(out)
        a = self if dtype is None else self.astype(dtype)
        return wrap(self._s.std(a._a, _axis(axis), float(ddof), bool(keepdims)), self._s)
