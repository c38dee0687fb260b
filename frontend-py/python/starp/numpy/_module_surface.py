"""The module surface NumPy code expects beyond arrays: NumPy's scalar types and type hierarchy
(NumPy's own objects, so ``starp.numpy.float64 is numpy.float64``), dtype queries, error-state and
print-option knobs, display functions, ``testing``, ``emath``, memory-sharing queries and the
``as*array`` family.

* The floating-point error knobs (``errstate``, ``seterr``, ``geterr``, ``seterrcall``,
  ``geterrcall``) and ``getbufsize`` / ``setbufsize`` are NumPy's own objects. starp's kernels
  never emit floating-point warnings (nor raise ``FloatingPointError``, nor call an ``errcall``),
  so for starp arrays ``errstate`` only silences; it still governs what NumPy computes (display,
  fallbacks, host-side I/O).
* Display (``array2string``, ``array_repr``, ``array_str``, ``format_float_*``) computes the
  array and formats it with NumPy: a sync point. ``printoptions`` / ``set_printoptions`` are
  NumPy's and govern starp's ``repr`` / ``str`` too (they print the computed NumPy array).
* ``testing`` is ``numpy.testing``: its assertions compute starp arrays through ``__array__``.
* Memory layout is not observable in starp (``compute()`` always gives C-contiguous NumPy arrays;
  there are no ``flags`` / ``strides``): ``ascontiguousarray`` / ``asfortranarray`` /
  ``require`` convert without copying, and ``isfortran`` answers only where the layout cannot
  matter (see each docstring).
"""

import builtins as _builtins
import operator as _operator
import types as _types

import numpy as _np

from starp.numpy._array import namespace as _snp
from starp.numpy._array import ndarray as _ndarray

# ---- NumPy's scalar types, type hierarchy and type tables (NumPy's own objects) ----
from numpy import (  # noqa: F401
    False_, ScalarType, True_, bool, byte, bytes_, cdouble, character, clongdouble, complex256,
    complexfloating, csingle, datetime64, double, euler_gamma, flexible, float16, float128, floating,
    generic, half, inexact, int_, intc, integer, intp, little_endian, long, longdouble, longlong, number,
    object_, sctypeDict, short, signedinteger, single, str_, timedelta64, typecodes, ubyte, uint, uintc,
    uintp, ulong, ulonglong, unsignedinteger, ushort, void,
)

# ---- pure dtype / shape / Python-object functions and knobs: NumPy's own ----
from numpy import (  # noqa: F401
    base_repr, broadcast_shapes, dtypes, errstate, exceptions, format_float_positional,
    format_float_scientific, get_printoptions, getbufsize, geterr, geterrcall, iterable,
    printoptions, promote_types, set_printoptions, setbufsize, seterr, seterrcall, testing, typename,
)

__all__ = [
    # scalar types and hierarchy
    "False_", "ScalarType", "True_", "bool", "byte", "bytes_", "cdouble", "character", "clongdouble",
    "complex256", "complexfloating", "csingle", "datetime64", "double", "euler_gamma", "flexible",
    "float16", "float128", "floating", "generic", "half", "inexact", "int_", "intc", "integer", "intp",
    "little_endian", "long", "longdouble", "longlong", "number", "object_", "sctypeDict", "short",
    "signedinteger", "single", "str_", "timedelta64", "typecodes", "ubyte", "uint", "uintc", "uintp",
    "ulong", "ulonglong", "unsignedinteger", "ushort", "void", "dtypes", "exceptions",
    # dtype queries
    "issubdtype", "promote_types", "min_scalar_type", "common_type", "mintypecode",
    "isscalar", "iterable", "isfortran", "broadcast_shapes",
    # error state, buffers, printing
    "errstate", "seterr", "geterr", "seterrcall", "geterrcall", "getbufsize", "setbufsize",
    "printoptions", "set_printoptions", "get_printoptions",
    "array2string", "array_repr", "array_str", "format_float_positional", "format_float_scientific",
    "base_repr", "binary_repr", "typename",
    # submodules
    "testing", "emath", "lib",
    # shapes only: broadcasting, einsum paths; iterators; datetime predicates
    "broadcast", "einsum_path", "flatiter", "isnat",
    # memory and conversion
    "may_share_memory", "shares_memory",
    "asanyarray", "ascontiguousarray", "asfortranarray", "asarray_chkfinite", "require",
]



def _dtype_proxy(x):
    """An empty NumPy array of a starp array's dtype: NumPy's dtype rules apply to it as to the
    array itself, without computing anything."""
    return _np.empty(0, x.dtype) if isinstance(x, _ndarray) else x


def _host(x):
    """A starp array computed as NumPy gives it: a NumPy scalar for the 0-d results that stand
    for NumPy scalars (reductions, ``a[i, j]``), a numpy.ndarray otherwise (a sync point)."""
    if not isinstance(x, _ndarray):
        return x
    v = x.compute()
    return v[()] if v.ndim == 0 and x._scalar else v


# ---- dtype queries ----
def issubdtype(arg1, arg2):
    """NumPy's issubdtype. A starp array is not a dtype-like (NumPy: TypeError for an array),
    although it has a ``dtype`` attribute that numpy.dtype() would accept."""
    for a in (arg1, arg2):
        if isinstance(a, _ndarray):
            raise TypeError("Cannot construct a dtype from an array")
    return _np.issubdtype(arg1, arg2)


def min_scalar_type(a, /):
    """NumPy's min_scalar_type: the value's smallest dtype for a 0-d array (computed: a sync
    point), the array's dtype otherwise."""
    if isinstance(a, _ndarray):
        return _np.min_scalar_type(a.compute() if a.ndim == 0 else _np.empty(0, a.dtype))
    return _np.min_scalar_type(a)


def common_type(*arrays):
    """NumPy's common_type: the inexact scalar type of the arrays' dtypes (integers count as
    float64); only dtypes are read, nothing is computed."""
    return _np.common_type(*[_dtype_proxy(a) for a in arrays])


def mintypecode(typechars, typeset="GDFgdf", default="d"):
    """NumPy's mintypecode; starp arrays count by their dtype's character."""
    return _np.mintypecode([_dtype_proxy(t) for t in typechars], typeset, default)


def isscalar(element):
    """NumPy's isscalar. A starp 0-d array standing for what NumPy returns as a scalar (a
    reduction, ``a[i, j]``, a ufunc of scalars) is a scalar; one made by ``asarray`` / ``array``
    is a 0-d array (False), as in NumPy."""
    if isinstance(element, _ndarray):
        return element.ndim == 0 and element._scalar
    return _np.isscalar(element)


def isfortran(a):
    """NumPy's isfortran: Fortran-contiguous and not C-contiguous.

    starp does not expose memory layout, so the answer is given only where layout cannot matter:
    False for arrays with at most one dimension longer than 1 or with no elements (both C- and
    Fortran-contiguous in NumPy). Otherwise NotImplementedError (``a.T`` is Fortran-ordered in
    NumPy, a fresh array is not; starp cannot tell them apart from Python)."""
    if not isinstance(a, _ndarray):
        return _np.isfortran(a)
    if a.size == 0 or sum(1 for d in a.shape if d > 1) <= 1:
        return False
    raise NotImplementedError(
        f"isfortran: starp does not expose the memory layout of a {a.shape} array (it cannot tell "
        "a transposed view from a C-ordered array)"
    )


# ---- display (computes the array: a sync point) ----
def array2string(a, max_line_width=None, precision=None, suppress_small=None, separator=" ", prefix="", *,
                 formatter=None, threshold=None, edgeitems=None, sign=None, floatmode=None, suffix="",
                 legacy=None):
    """NumPy's array2string of the computed array."""
    return _np.array2string(_host(a), max_line_width, precision, suppress_small, separator, prefix,
                            formatter=formatter, threshold=threshold, edgeitems=edgeitems, sign=sign,
                            floatmode=floatmode, suffix=suffix, legacy=legacy)


def array_repr(arr, max_line_width=None, precision=None, suppress_small=None):
    """NumPy's array_repr of the computed array (``array([...])``, as NumPy prints it)."""
    return _np.array_repr(_host(arr), max_line_width, precision, suppress_small)


def array_str(a, max_line_width=None, precision=None, suppress_small=None):
    """NumPy's array_str of the computed array."""
    return _np.array_str(_host(a), max_line_width, precision, suppress_small)


def binary_repr(num, width=None):
    """NumPy's binary_repr (a starp integer 0-d array is computed)."""
    if isinstance(num, _ndarray):
        num = _operator.index(num)
    return _np.binary_repr(num, width)


# ---- emath: NumPy's numpy.emath, switching to complex where the real result is undefined ----
def _complex_of(dt):
    """NumPy's emath._tocomplex: the small real types (and complex64) go to complex64, the rest
    to complex128."""
    if _np.dtype(dt).name in ("float32", "int8", "int16", "uint8", "uint16", "complex64"):
        return _np.dtype(_np.complex64)
    return _np.dtype(_np.complex128)


def _any(x):
    # A data-dependent decision (NumPy's emath switches the whole array): a sync point.
    return _builtins.bool(_snp().any(x))


def _fix_real_lt_zero(x):
    """x as an array, complex when it is real with a negative element (NumPy's rule)."""
    x = _snp().asarray(x)
    if x.dtype.kind != "c" and _any(x < 0):
        x = x.astype(_complex_of(x.dtype))
    return x


def _fix_int_lt_zero(x):
    """x as an array, times 1.0 when it is real with a negative element (integer powers)."""
    x = _snp().asarray(x)
    if x.dtype.kind != "c" and _any(x < 0):
        x = x * 1.0
    return x


def _fix_real_abs_gt_1(x):
    """x as an array, complex when it is real with an element of absolute value > 1."""
    snp = _snp()
    x = snp.asarray(x)
    if x.dtype.kind != "c" and _any(snp.absolute(x) > 1):
        x = x.astype(_complex_of(x.dtype))
    return x


def _emath_unary(name, fix, doc):
    def f(x):
        return getattr(_snp(), name)(fix(x))

    f.__doc__ = doc
    return f


def _emath_logn(n, x):
    """NumPy's emath.logn: log(x) / log(n), complex when x or n has a negative real."""
    snp = _snp()
    x = _fix_real_lt_zero(x)
    n = _fix_real_lt_zero(n)
    return snp.log(x) / snp.log(n)


def _emath_power(x, p):
    """NumPy's emath.power: x complex when it has a negative real, p float when it has a negative
    value (a Python scalar p becomes an array first: strong, as in NumPy's emath)."""
    return _snp().power(_fix_real_lt_zero(x), _fix_int_lt_zero(p))


_NEG = "complex results (NumPy's _tocomplex types) when any input is a negative real"
_GT1 = "complex results (NumPy's _tocomplex types) when any real input has |x| > 1"
_EMATH = {
    "sqrt": _emath_unary("sqrt", _fix_real_lt_zero, f"NumPy's emath.sqrt: {_NEG}."),
    "log": _emath_unary("log", _fix_real_lt_zero, f"NumPy's emath.log: {_NEG}."),
    "log2": _emath_unary("log2", _fix_real_lt_zero, f"NumPy's emath.log2: {_NEG}."),
    "log10": _emath_unary("log10", _fix_real_lt_zero, f"NumPy's emath.log10: {_NEG}."),
    "logn": _emath_logn,
    "power": _emath_power,
    "arccos": _emath_unary("arccos", _fix_real_abs_gt_1, f"NumPy's emath.arccos: {_GT1}."),
    "arcsin": _emath_unary("arcsin", _fix_real_abs_gt_1, f"NumPy's emath.arcsin: {_GT1}."),
    "arctanh": _emath_unary("arctanh", _fix_real_abs_gt_1, f"NumPy's emath.arctanh: {_GT1}."),
}


def _named(f, name):
    f.__name__ = f.__qualname__ = name
    f.__module__ = "starp.numpy.emath"
    return f


emath = _types.ModuleType(
    "starp.numpy.emath",
    "NumPy's numpy.emath on starp arrays: sqrt, log, log2, log10, logn, power, arccos, arcsin and "
    "arctanh whose results are complex when an input is outside the real domain (deciding that "
    "reads the data: a sync point).",
)
for _name, _f in _EMATH.items():
    setattr(emath, _name, _named(_f, _name))
emath.__all__ = ["sqrt", "log", "log2", "logn", "log10", "power", "arccos", "arcsin", "arctanh"]
del _name, _f


# ---- memory sharing ----
def _probe_value(x):
    """Values that differ from x's in every element (and in every bit pattern): 1, or 2 where x
    is 1 (NaN and -0.0 are not 1, so they become 1; True/False flip)."""
    snp = _snp()
    if x.dtype == _np.bool_:
        return ~x
    return snp.where(x == 1, x.dtype.type(2), x.dtype.type(1))


def _overlap(a, b):
    """Whether some element of b is an element of a (both starp arrays).

    starp's Python layer does not see bases and views, so this is observed: a is overwritten
    with values differing everywhere, b is read, a is restored. Every write is a new version, so
    work already queued keeps reading the old values. A sync point (a and b are computed)."""
    if a.size == 0 or b.size == 0 or a._s is not b._s:
        return False
    if a is b:
        return True
    for w, r in ((a, b), (b, a)):
        before_w, before_r = w.compute(), r.compute()
        try:
            w[...] = _probe_value(w)
        except ValueError:
            continue  # read-only (a broadcast view): try writing the other one
        try:
            after_r = r.compute()
        finally:
            w[...] = before_w
        return after_r.tobytes() != before_r.tobytes()
    raise NotImplementedError(
        "shares_memory: both starp arrays are read-only views, starp cannot tell whether they overlap"
    )


def _sharing(a, b, name, max_work):
    if max_work is not None and not isinstance(max_work, int):
        raise TypeError(f"'{type(max_work).__name__}' object cannot be interpreted as an integer")
    sa, sb = isinstance(a, _ndarray), isinstance(b, _ndarray)
    if sa and sb:
        return _overlap(a, b)
    if sa or sb:
        # A starp array never shares memory with a NumPy object (asarray takes a snapshot).
        return False
    return getattr(_np, name)(a, b) if max_work is None else getattr(_np, name)(a, b, max_work=max_work)


def shares_memory(a, b, /, max_work=None):
    """NumPy's shares_memory: whether a and b have an element in common.

    For two starp arrays the answer is exact (a and b are views of one base that overlap) and is
    observed by writing (see _overlap): a sync point. starp arrays never share memory with NumPy
    arrays. ``real`` / ``imag`` of a complex starp array are copies (README), not views."""
    return _sharing(a, b, "shares_memory", max_work)


def may_share_memory(a, b, /, max_work=None):
    """NumPy's may_share_memory.

    NumPy checks only the memory bounds by default; starp cannot see addresses and answers
    exactly (as shares_memory): True when the arrays overlap, False otherwise — also for views
    that interleave without a common element (``a[::2]`` and ``a[1::2]``), where NumPy's bounds
    check answers True. A sync point."""
    return _sharing(a, b, "may_share_memory", max_work)


# ---- conversion ----
_ORDERS = (None, "K", "A", "C", "F", "k", "a", "c", "f")


def _check_order(order):
    if order not in _ORDERS:
        raise ValueError(f"order must be one of 'C', 'F', 'A', or 'K' (got {order!r})")


def asanyarray(a, dtype=None, order=None, *, device=None, copy=None, like=None):
    """NumPy's asanyarray: starp has no ndarray subclasses, so it is asarray.

    ``order`` is accepted and has no effect (starp's layout is not observable). ``copy=False``
    raises ValueError unless ``a`` is a starp array of that dtype: anything else is copied into
    starp (NumPy 2's meaning of copy=False: never copy, or raise)."""
    snp = _snp()
    _check_order(order)
    if device not in (None, "cpu"):
        raise ValueError(f'Device not understood. Only "cpu" is allowed, but received: {device}')
    if isinstance(a, _ndarray):
        same = dtype is None or _np.dtype(dtype) == a.dtype
        if copy is False and not same:
            raise ValueError("Unable to avoid copy while creating an array as requested.")
        r = a if same else a.astype(dtype)
        return r.copy() if copy and r is a else r
    if copy is False:
        raise ValueError("Unable to avoid copy while creating an array as requested. "
                         "(starp arrays never share memory with NumPy or Python objects)")
    return snp.asarray(a, dtype=dtype)


def _at_least_1d(a):
    return a.reshape(1) if a.ndim == 0 else a


def ascontiguousarray(a, dtype=None, *, like=None):
    """NumPy's ascontiguousarray: an array of ndim >= 1 (a 0-d input becomes shape (1,)).

    starp's layout is not observable (``compute()`` gives C-contiguous NumPy arrays), so no copy
    is made: a starp array of that dtype comes back itself (or, 0-d, as a view of shape (1,)),
    also where NumPy would have copied a non-contiguous array (a transpose)."""
    return _at_least_1d(asanyarray(a, dtype=dtype))


def asfortranarray(a, dtype=None, *, like=None):
    """NumPy's asfortranarray: an array of ndim >= 1. The values are the same as NumPy's; the
    layout is not observable in starp (see ascontiguousarray), so no copy is made."""
    return _at_least_1d(asanyarray(a, dtype=dtype))


def asarray_chkfinite(a, dtype=None, order=None):
    """NumPy's asarray_chkfinite: ValueError if an inexact array holds an inf or a NaN (checking
    reads the data: a sync point)."""
    snp = _snp()
    a = asanyarray(a, dtype=dtype, order=order)
    if a.dtype.char in _np.typecodes["AllFloat"] and not _builtins.bool(snp.isfinite(a).all()):
        raise ValueError("array must not contain infs or NaNs")
    return a


_REQUIREMENTS = {
    "C": "C", "C_CONTIGUOUS": "C", "CONTIGUOUS": "C",
    "F": "F", "F_CONTIGUOUS": "F", "FORTRAN": "F",
    "A": "A", "ALIGNED": "A",
    "W": "W", "WRITEABLE": "W",
    "O": "O", "OWNDATA": "O",
    "E": "E", "ENSUREARRAY": "E",
}


def require(a, dtype=None, requirements=None, *, like=None):
    """NumPy's require.

    'C', 'F', 'A' and 'E' hold for every starp array (layout is not observable, there are no
    subclasses). 'W' and 'O' give a copy: starp cannot see whether an array is a read-only view
    or owns its data, and a copy is both (NumPy returns ``a`` itself when it already is)."""
    if not requirements:
        return asanyarray(a, dtype=dtype)
    reqs = {_REQUIREMENTS[x.upper()] for x in requirements}
    if reqs >= {"C", "F"}:
        raise ValueError('Cannot specify both "C" and "F" order')
    r = asanyarray(a, dtype=dtype)
    if reqs & {"W", "O"} and r is a:
        r = r.copy()
    return r


# ---- shapes only ----
#: NumPy's own `numpy.lib` (its functions reach starp through __array_function__).
lib = _np.lib


def _shape_stand_in(x):
    """A zero-stride NumPy array of x's shape and dtype: what shape-only NumPy functions need."""
    if isinstance(x, _ndarray):
        return _np.broadcast_to(_np.zeros((), x.dtype), x.shape)
    return x


class broadcast:
    """NumPy's broadcast object of starp (or NumPy) arrays: shape, ndim/nd, size, numiter. Its
    iteration over element tuples is NumPy's element-by-element Python loop, which starp does not
    offer (NotImplementedError); use broadcast_arrays."""

    def __init__(self, *args):
        self._b = _np.broadcast(*[_shape_stand_in(a) for a in args])

    shape = property(lambda self: self._b.shape)
    ndim = property(lambda self: self._b.ndim)
    nd = ndim
    size = property(lambda self: self._b.size)
    numiter = property(lambda self: self._b.numiter)

    def __iter__(self):
        raise NotImplementedError("starp's broadcast objects do not iterate; use broadcast_arrays")


def einsum_path(subscripts, *operands, optimize="greedy", einsum_call=False):
    """NumPy's einsum_path: it reads only the operands' shapes, so it runs on stand-ins of them."""
    return _np.einsum_path(subscripts, *[_shape_stand_in(x) for x in operands], optimize=optimize,
                           einsum_call=einsum_call)


def isnat(x, /, out=None, **kwargs):
    """NumPy's isnat is defined for datetime64/timedelta64 only; starp has no such arrays, so
    every input is NumPy's TypeError."""
    raise TypeError("ufunc 'isnat' is only defined for np.datetime64 and np.timedelta64.")


def _flatiter():
    from starp.numpy._array import FlatIter

    return FlatIter


flatiter = _flatiter()
