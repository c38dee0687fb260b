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
from starp.numpy._array import store_out as _store_out
from starp.numpy._array import wrap as _wrap

# dtypes and constants are NumPy's own objects.
from numpy import (  # noqa: F401
    bool_, complex64, complex128, dtype, e, float32, float64, inf, int8, int16, int32, int64, nan, newaxis, pi,
    uint8, uint16, uint32, uint64,
)

__version__ = _np.__version__

# The module re-exports NumPy's `bool` (and defines sum, min, max, any, all, round, abs): the
# builtins are reached through these names.
_builtin_bool = bool


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
        dtype = _np.result_type(*[type(v) if not isinstance(v, _builtin_bool) else int for v in vals])
        if _np.dtype(dtype).kind in "iub":
            dtype = _np.int64
    return _wrap(_session().arange(vals[0], vals[1], vals[2], _dtype_name(dtype)))


def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0, *, device=None):
    """NumPy's linspace: arange(num) * step + start, the last sample set to stop. Python-number
    endpoints into float64 build the values in one Rust node; other cases (array or NumPy-scalar
    endpoints, complex, other dtypes, axis) follow NumPy's function step by step."""
    import builtins
    import operator

    from starp.numpy._index_tricks import _linspace

    num = operator.index(num)
    if num < 0:
        raise ValueError(f"Number of samples, {num}, must be non-negative.")
    div = (num - 1) if endpoint else num
    plain = builtins.all(type(v) in (int, float) for v in (start, stop))
    if plain and axis == 0 and (dtype is None or _np.dtype(dtype) == float64):
        r = _wrap(_session().linspace(float(start), float(stop), num, builtins.bool(endpoint), "float64"))
    else:
        r = _linspace(start, stop, num=num, endpoint=endpoint, dtype=dtype, axis=axis)
    if not retstep:
        return r
    if plain:
        return r, (float(stop) - float(start)) / div if div > 0 else _np.nan
    dt = _np.result_type(*(v.dtype if isinstance(v, ndarray) else v for v in (start, stop)), float(num))
    delta = subtract(asarray(stop).astype(dt), asarray(start).astype(dt))
    step = delta / div if div > 0 else full_like(delta, _np.nan)
    return r, step


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


# out=/where= belong to the ufunc objects these become (install_ufuncs, at the end).
def _binary(name):
    def f(x1, x2):
        s = _s_of(x1, x2)
        if not isinstance(x1, ndarray) and not isinstance(x2, ndarray):
            # Two scalars: NumPy gives a 0-d result with the scalars' default dtypes.
            x1 = asarray(x1)
        return _wrap(s.binary(name, _operand(x1, s), _operand(x2, s)), s)

    f.__name__ = name
    f.__doc__ = f"NumPy's {name}, elementwise with broadcasting."
    return f


def _unary(name):
    def f(x):
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

# ---- the remaining ufuncs (issue 6): IR ops of their own ----
expm1 = _unary("expm1")
log1p = _unary("log1p")
log2 = _unary("log2")
log10 = _unary("log10")
exp2 = _unary("exp2")
cbrt = _unary("cbrt")
tan = _unary("tan")
arcsin = asin = _unary("arcsin")
arccos = acos = _unary("arccos")
arctan = atan = _unary("arctan")
sinh = _unary("sinh")
cosh = _unary("cosh")
arcsinh = asinh = _unary("arcsinh")
arccosh = acosh = _unary("arccosh")
arctanh = atanh = _unary("arctanh")
floor = _unary("floor")
ceil = _unary("ceil")
trunc = _unary("trunc")
rint = _unary("rint")
sign = _unary("sign")
fmod = _binary("fmod")
arctan2 = atan2 = _binary("arctan2")
hypot = _binary("hypot")
copysign = _binary("copysign")
logaddexp = _binary("logaddexp")
logaddexp2 = _binary("logaddexp2")
left_shift = bitwise_left_shift = _binary("left_shift")
right_shift = bitwise_right_shift = _binary("right_shift")

# ---- more ufuncs with IR ops of their own (they fuse like the others) ----
nextafter = _binary("nextafter")
spacing = _unary("spacing")
gcd = _binary("gcd")
lcm = _binary("lcm")
bitwise_count = _unary("bitwise_count")
fmax = _binary("fmax")
fmin = _binary("fmin")
heaviside = _binary("heaviside")


def _is_py_scalar(x):
    # Exact types: NumPy's float64 and complex128 scalars subclass float and complex, but are strong.
    return type(x) in (bool, int, float, complex)


def ldexp(x1, x2):
    """NumPy's ldexp: x1 * 2**x2, rounded once (subnormal results, overflow to inf)."""
    s = _s_of(x1, x2)
    if _is_py_scalar(x1) and _is_py_scalar(x2):
        # NumPy gives two Python scalars their default dtypes (the int64 exponent loop).
        x1, x2 = asarray(x1), asarray(x2)
    return _wrap(s.binary("ldexp", _operand(x1, s), _operand(x2, s)), s)


# ---- ufuncs composed of the IR's ops (they fuse like the others) ----
def _no_out(out):
    if out is not None:
        raise NotImplementedError("starp does not support out= yet")


def _no_loop(name):
    return TypeError(
        f"ufunc '{name}' not supported for the input types, and the inputs could not be safely "
        "coerced to any supported types according to the casting rule ''safe''"
    )


def square(x, out=None):
    """x * x; bool squares in int8, as NumPy's loops."""
    _no_out(out)
    x = asarray(x)
    if x.dtype == bool_:
        x = x.astype(int8)
    return multiply(x, x)


#: NumPy's integer reciprocal is the C conversion of 1.0 / x: 1.0 / 0 = inf converts to INT_MIN
#: for the 32- and 64-bit signed types and to 0 for the others (x86-64).
_RECIPROCAL_OF_ZERO = {"int32": -(2**31), "int64": -(2**63)}


def reciprocal(x, out=None):
    _no_out(out)
    x = asarray(x)
    if x.dtype == bool_:
        x = x.astype(int8)
    t = x.dtype.type
    if x.dtype.kind in "fc":
        return divide(t(1), x)
    unit = (x == 1) | (x == -1) if x.dtype.kind == "i" else (x == 1)
    zero = where(x == 0, t(_RECIPROCAL_OF_ZERO.get(x.dtype.name, 0)), t(0))
    return where(unit, x, zero)


def _scale_by(name, f64c, f32c):
    """x * c in x's float loop (NumPy's npy_deg2rad / npy_rad2deg: one multiplication by a
    constant computed in the loop's precision)."""

    def f(x, out=None):
        _no_out(out)
        x = asarray(x)
        if x.dtype.kind == "c":
            raise _no_loop(name)
        if x.dtype.kind != "f":
            # float16 for the 1-byte types in NumPy: float32 in starp.
            x = x.astype(float32 if x.dtype.itemsize <= 2 else float64)
        return multiply(x, f32c if x.dtype == float32 else f64c)

    f.__name__ = name
    f.__doc__ = f"NumPy's {name}, elementwise."
    return f


deg2rad = radians = _scale_by("deg2rad", _np.pi / 180.0, _np.float32(_np.float32(_np.pi) / _np.float32(180.0)))
rad2deg = degrees = _scale_by("rad2deg", 180.0 / _np.pi, _np.float32(_np.float32(180.0) / _np.float32(_np.pi)))


def real(val):
    x = asarray(val)
    if x.dtype.kind == "c":
        return x.astype(float32 if x.dtype == complex64 else float64)
    return x


def imag(val):
    x = asarray(val)
    if x.dtype.kind == "c":
        return _wrap(x._s.unary("imag", x._a), x._s, scalar=x._scalar)
    return zeros_like(x)


def conjugate(x, out=None):
    _no_out(out)
    x = asarray(x)
    if x.dtype.kind == "c":
        return _wrap(x._s.unary("conjugate", x._a), x._s)
    if x.dtype == bool_:
        return x.astype(int8)
    return x.copy()


conj = conjugate


def angle(z, deg=False):
    """NumPy's angle: arctan2(z.imag, z.real) (arctan2(0, z) for real z), in degrees if deg."""
    z = asarray(z)
    if z.dtype.kind == "c":
        zimag, zreal = imag(z), real(z)
    else:
        zimag, zreal = 0, z
    a = arctan2(zimag, zreal)
    if deg:
        a = multiply(a, 180 / _np.pi)
    return a


def _power_of_ten(n):
    # NumPy's power_of_ten (multiarray/calculation.c): exact up to 1e22, then repeated * 10.
    if n < 9:
        return float(10**n)
    r = 1e9
    for _ in range(n - 9):
        r *= 10.0
    return r


def round(a, decimals=0, out=None):
    """NumPy's round (PyArray_Round): half to even; for decimals != 0, rint(a * 10**d) / 10**d
    (or rint(a / 10**-d) * 10**-d), integers through float64 for negative decimals."""
    import operator

    if out is not None:
        return _store_out(round(a, decimals), out, "same_kind")
    a = asarray(a)
    decimals = operator.index(decimals)
    kind = a.dtype.kind
    if kind == "c":
        if decimals == 0:
            return rint(a)
        re, im = round(real(a), decimals), round(imag(a), decimals)
        return add(re, multiply(im, 1j))
    if decimals >= 0:
        if kind in "iu":
            return a.copy()
        if decimals == 0:
            return rint(a)
        f = _power_of_ten(decimals)
        return divide(rint(multiply(a, f)), f)
    f = _power_of_ten(-decimals)
    x = a.astype(float64) if kind in "iub" else a
    r = multiply(rint(divide(x, f)), f)
    return r.astype(a.dtype) if kind in "iu" else r


around = round


def _method_round(self, decimals=0, out=None):
    return round(self, decimals, out)


ndarray.real = property(real)
ndarray.imag = property(imag)
def _method_conj(self):
    # The method keeps real arrays as they are (the ufunc sends bool to int8).
    return conjugate(self) if self.dtype.kind == "c" else self


ndarray.conj = ndarray.conjugate = _method_conj
ndarray.round = _method_round


def where(condition, x=None, y=None):
    if x is None or y is None:
        if x is None and y is None:
            return nonzero(condition)  # noqa: F405 (from _data_dependent)
        raise ValueError("either both or neither of x and y should be given")
    s = _s_of(condition, x, y)
    c, a, b = (_operand(v, s) for v in (condition, x, y))
    return _wrap(s.where_(c, a, b), s)


def astype(x, dtype, copy=True):
    return asarray(x).astype(dtype, copy=copy)


# ---- ufuncs composed of the IR's ops: float_power, fabs, and the 2-output frexp, modf, divmod
# (plain functions returning tuples; their out=/where= raise NotImplementedError) ----
_select = where


def _float_input(x, name):
    """x in the float loop of a float-only ufunc: floats stay, integers and bool go to their
    float counterpart (NumPy's float16 loop runs in float32: README), complex raises TypeError."""
    x = asarray(x)
    if x.dtype.kind == "c":
        raise _no_loop(name)
    if x.dtype.kind != "f":
        x = x.astype(float32 if x.dtype.itemsize <= 2 else float64)
    return x


def _no_ufunc_args(name, outs, out, where, kwargs):
    given = [o for o in (*outs, *(out if isinstance(out, tuple) else (out,))) if o is not None]
    if given or where is not True or kwargs:
        raise NotImplementedError(f"starp's {name} (a 2-output function returning a tuple) does not "
                                  "support out=, where= or other ufunc arguments yet")


def float_power(x1, x2):
    """x1 ** x2 in float64 (complex128 if either is complex), as NumPy's float_power."""
    x1, x2 = asarray(x1), asarray(x2)
    d = complex128 if "c" in (x1.dtype.kind, x2.dtype.kind) else float64
    # The exponent stays an array: power's scalar fast paths (x**0.5 as sqrt) are not pow's
    # results for -0.0 and -inf, and float_power has none.
    return power(x1.astype(d, copy=False), x2.astype(d, copy=False))


def fabs(x):
    """|x| of real values, as floats."""
    return absolute(_float_input(x, "fabs"))


def frexp(x, out1=None, out2=None, /, *, out=None, where=True, **kwargs):
    """(mantissa, exponent): x = mantissa * 2**exponent, 0.5 <= |mantissa| < 1, int32 exponent."""
    _no_ufunc_args("frexp", (out1, out2), out, where, kwargs)
    x = asarray(x)
    s = x._s
    return _wrap(s.unary("frexp_mantissa", x._a), s), _wrap(s.unary("frexp_exponent", x._a), s)


def modf(x, out1=None, out2=None, /, *, out=None, where=True, **kwargs):
    """(fractional, integral) parts with C's signs: modf(-2.0) = (-0.0, -2.0), modf(inf) = (0.0, inf)."""
    _no_ufunc_args("modf", (out1, out2), out, where, kwargs)
    x = _float_input(x, "modf")
    i = trunc(x)
    # x - trunc(x) is exact; infinities have no fraction; the fraction has x's sign (also for 0).
    return copysign(_select(isinf(x), 0.0, subtract(x, i)), x), i


def divmod(x1, x2, out1=None, out2=None, /, *, out=None, where=True, **kwargs):
    """(floor_divide(x1, x2), remainder(x1, x2)): NumPy's divmod loops give exactly these."""
    _no_ufunc_args("divmod", (out1, out2), out, where, kwargs)
    s = _s_of(x1, x2)
    # Array-likes become one starp array for both halves; scalars stay (weak or strong).
    x1, x2 = (x if isinstance(x, (ndarray, _np.generic)) or _is_py_scalar(x) else _from_numpy(_np.asarray(x), s)
              for x in (x1, x2))
    if "c" in (_kind(x1), _kind(x2)):
        raise _no_loop("divmod")
    return floor_divide(x1, x2), remainder(x1, x2)


def _kind(x):
    return x.dtype.kind if isinstance(x, ndarray) else _np.asarray(x).dtype.kind


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


var = _red("var")
std = _red("std")


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
from starp.numpy._data_dependent import *  # noqa: E402,F401,F403
from starp.numpy._einsum import *  # noqa: E402,F401,F403
from starp.numpy._array_api import *  # noqa: E402,F401,F403
from starp.numpy._statistics import *  # noqa: E402,F401,F403
from starp.numpy._histograms import *  # noqa: E402,F401,F403
from starp.numpy._interpolation import *  # noqa: E402,F401,F403
from starp.numpy._polynomial import *  # noqa: E402,F401,F403
from starp.numpy._window_functions import *  # noqa: E402,F401,F403
from starp.numpy._module_surface import *  # noqa: E402,F401,F403
from starp.numpy._index_tricks import *  # noqa: E402,F401,F403
from starp.numpy._text_io import *  # noqa: E402,F401,F403
from starp.numpy._array_manipulation import *  # noqa: E402,F401,F403
from starp.numpy._set_ops import *  # noqa: E402,F401,F403

# ---- NumPy interoperability (issue 6): ufunc objects (out=, where=, reduce, accumulate, outer,
# at), finfo/iinfo, version, save/load; ndarray's __array_ufunc__/__array_function__ use it ----
from starp.numpy._interop import (  # noqa: E402,F401
    NpzFile, can_cast, finfo, iinfo, load, result_type, save, savez, savez_compressed, ufunc, version,
)
from starp.numpy._interop import install_ufuncs as _install_ufuncs  # noqa: E402

_install_ufuncs(globals())
