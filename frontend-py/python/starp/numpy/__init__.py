"""``import starp.numpy as np``: NumPy's names, signatures and semantics, computed lazily."""

import numpy as _np

from starp._session import current_session as _session
from starp.numpy import fft
from starp.numpy import linalg
from starp.numpy import random
from starp.numpy._array import dtype_name as _dtype_name
from starp.numpy._array import from_numpy as _from_numpy
from starp.numpy._array import ndarray
from starp.numpy._array import operand as _operand
from starp.numpy._array import wrap as _wrap

# dtypes and constants are NumPy's own objects.
from numpy import (  # noqa: F401
    bool_, complex64, complex128, dtype, e, float32, float64, inf, int8, int16, int32, int64, nan, newaxis, pi,
    uint8, uint16, uint32, uint64,
)

__version__ = _np.__version__


def _shape(shape):
    if isinstance(shape, (tuple, list)):
        return [int(d) for d in shape]
    return [int(shape)]


def _check_shape(shape):
    for d in shape:
        if d < 0:
            raise ValueError("negative dimensions are not allowed")
    return shape


# ---- creation ----
def asarray(a, dtype=None):
    if isinstance(a, ndarray):
        return a if dtype is None else a.astype(dtype, copy=False)
    return _from_numpy(_np.asarray(a, dtype=dtype))


def array(obj, dtype=None, copy=True):
    if isinstance(obj, ndarray):
        r = obj if dtype is None else obj.astype(dtype)
        return r.copy() if copy and r is obj else r
    return _from_numpy(_np.array(obj, dtype=dtype))


def full(shape, fill_value, dtype=None):
    if isinstance(fill_value, ndarray) or isinstance(fill_value, (list, tuple, _np.ndarray)):
        base = asarray(fill_value, dtype=dtype)
        out = empty(shape, dtype=base.dtype)
        out[...] = base
        return out
    if dtype is None:
        dtype = _np.asarray(fill_value).dtype
    name = _dtype_name(dtype)
    if isinstance(fill_value, _np.generic):
        fill_value = fill_value.item()
    return _wrap(_session().full(_check_shape(_shape(shape)), fill_value, name), scalar=False)


def zeros(shape, dtype=float):
    return full(shape, 0, dtype)


def ones(shape, dtype=float):
    return full(shape, 1, dtype)


def empty(shape, dtype=float):
    # Defined (zeros): starp never exposes uninitialized memory.
    return full(shape, 0, dtype)


def _like(a, dtype, shape):
    a = asarray(a)
    return (a.shape if shape is None else shape), (a.dtype if dtype is None else dtype)


def zeros_like(a, dtype=None, shape=None):
    s, d = _like(a, dtype, shape)
    return zeros(s, d)


def ones_like(a, dtype=None, shape=None):
    s, d = _like(a, dtype, shape)
    return ones(s, d)


def empty_like(a, dtype=None, shape=None):
    s, d = _like(a, dtype, shape)
    return empty(s, d)


def full_like(a, fill_value, dtype=None, shape=None):
    s, d = _like(a, dtype, shape)
    return full(s, fill_value, d)


def arange(start, stop=None, step=None, dtype=None):
    if stop is None:
        start, stop = 0, start
    if step is None:
        step = 1
    vals = [v.item() if isinstance(v, _np.generic) else v for v in (start, stop, step)]
    if dtype is None:
        dtype = _np.result_type(*[type(v) if not isinstance(v, bool) else int for v in vals])
        if _np.dtype(dtype).kind in "iub":
            dtype = _np.int64
    return _wrap(_session().arange(vals[0], vals[1], vals[2], _dtype_name(dtype)))


def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0):
    if axis != 0:
        raise NotImplementedError("starp's linspace supports axis=0 only")
    num = int(_np.asarray(num).item()) if not isinstance(num, int) else num
    name = _dtype_name(float if dtype is None else dtype)
    r = _wrap(_session().linspace(float(start), float(stop), num, bool(endpoint), name))
    if retstep:
        div = (num - 1) if endpoint else num
        step = (float(stop) - float(start)) / div if div > 0 else _np.nan
        return r, step
    return r


def eye(N, M=None, k=0, dtype=float):
    M = N if M is None else M
    _check_shape([int(N), int(M)])
    return _wrap(_session().eye(int(N), int(M), int(k), _dtype_name(dtype)))


def identity(n, dtype=None):
    return eye(n, dtype=float if dtype is None else dtype)


def copy(a):
    return asarray(a).copy()


# ---- elementwise ----
def _s_of(*xs):
    for x in xs:
        if isinstance(x, ndarray):
            return x._s
    return _session()


def _binary(name):
    def f(x1, x2, out=None):
        if out is not None:
            raise NotImplementedError("starp does not support out= yet")
        s = _s_of(x1, x2)
        if not isinstance(x1, ndarray) and not isinstance(x2, ndarray):
            # Two scalars: NumPy gives a 0-d result with the scalars' default dtypes.
            x1 = asarray(x1)
        return _wrap(s.binary(name, _operand(x1, s), _operand(x2, s)), s)

    f.__name__ = name
    f.__doc__ = f"NumPy's {name}, elementwise with broadcasting."
    return f


def _unary(name):
    def f(x, out=None):
        if out is not None:
            raise NotImplementedError("starp does not support out= yet")
        x = asarray(x)
        return _wrap(x._s.unary(name, x._a), x._s)

    f.__name__ = name
    f.__doc__ = f"NumPy's {name}, elementwise."
    return f


add = _binary("add")
subtract = _binary("subtract")
multiply = _binary("multiply")
divide = true_divide = _binary("divide")
floor_divide = _binary("floor_divide")
remainder = mod = _binary("remainder")
power = _binary("power")
maximum = _binary("maximum")
minimum = _binary("minimum")
equal = _binary("equal")
not_equal = _binary("not_equal")
less = _binary("less")
less_equal = _binary("less_equal")
greater = _binary("greater")
greater_equal = _binary("greater_equal")
bitwise_and = _binary("bitwise_and")
bitwise_or = _binary("bitwise_or")
bitwise_xor = _binary("bitwise_xor")
logical_and = _binary("logical_and")
logical_or = _binary("logical_or")
logical_xor = _binary("logical_xor")
negative = _unary("negative")
absolute = abs = _unary("absolute")
sqrt = _unary("sqrt")
exp = _unary("exp")
log = _unary("log")
sin = _unary("sin")
cos = _unary("cos")
tanh = _unary("tanh")
invert = bitwise_not = _unary("invert")
logical_not = _unary("logical_not")


def where(condition, x=None, y=None):
    if x is None or y is None:
        raise NotImplementedError("where(condition) with one argument (nonzero) is not supported yet")
    s = _s_of(condition, x, y)
    c, a, b = (_operand(v, s) for v in (condition, x, y))
    return _wrap(s.where_(c, a, b), s)


def astype(x, dtype, copy=True):
    return asarray(x).astype(dtype, copy=copy)


# ---- reductions ----
def _red(name):
    def f(a, axis=None, *args, **kwargs):
        return getattr(asarray(a), name)(axis, *args, **kwargs)

    f.__name__ = name
    return f


sum = _red("sum")
prod = _red("prod")
mean = _red("mean")
any = _red("any")
all = _red("all")
argmin = _red("argmin")
argmax = _red("argmax")
min = amin = _red("min")
max = amax = _red("max")


def var(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False):
    return asarray(a).var(axis=axis, dtype=dtype, out=out, ddof=ddof, keepdims=keepdims)


def std(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False):
    return asarray(a).std(axis=axis, dtype=dtype, out=out, ddof=ddof, keepdims=keepdims)


# ---- shapes ----
def reshape(a, shape, order="C"):
    return asarray(a).reshape(shape, order=order)


def ravel(a, order="C"):
    return asarray(a).ravel(order)


def transpose(a, axes=None):
    return asarray(a).transpose(axes)


def matmul(a, b):
    return asarray(a) @ asarray(b)


def shape(a):
    return asarray(a).shape


def ndim(a):
    return asarray(a).ndim


def size(a):
    return asarray(a).size

# ---- shape and data movement, NaN-aware reductions (issue 6) ----
from starp.numpy._shape_ops import *  # noqa: E402,F401,F403
