"""Shared helpers of the starp Python test suite.

Imported by ``conftest.py`` (which first puts the NumPy stand-in on
``sys.path`` when ``STARP_TEST_AGAINST_NUMPY=1``) and by every test module.

Conventions
-----------
* ``snp`` is ``starp.numpy`` (the system under test), ``np`` is real NumPy.
* Inputs are built with NumPy, then converted with ``to_starp`` (a copy).
* Results are brought back with ``to_numpy`` (``x.compute()`` for starp
  arrays), never with ``.compute()`` directly, so that the suite also runs
  against NumPy itself.
* ``check(fn, *args)`` runs ``fn(np, *args)`` and ``fn(snp, *starp_args)``
  and requires the same dtype/shape/values, or the same exception type.
"""

from __future__ import annotations

import contextlib
import math
import os
import warnings

import numpy as np
import pytest
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import starp
import starp.numpy as snp

AGAINST_NUMPY = os.environ.get("STARP_TEST_AGAINST_NUMPY", "") not in ("", "0")

#: skip marker for tests that only make sense for the real starp
starp_only = pytest.mark.skipif(
    AGAINST_NUMPY, reason="starp-specific (STARP_TEST_AGAINST_NUMPY=1)"
)

ALL_RANKS = (1, 2, 3, 4)

#: the P currently installed by the session fixture ``ranks`` (conftest)
CURRENT_RANKS = [1]


@contextlib.contextmanager
def at_ranks(p):
    """Switch the default session to ``p`` ranks; restore the fixture's P."""
    starp.config(ranks=p)
    try:
        yield p
    finally:
        starp.config(ranks=CURRENT_RANKS[0])


# --------------------------------------------------------------------------
# dtypes
# --------------------------------------------------------------------------

DTYPE_NAMES = [
    "bool",
    "int8", "int16", "int32", "int64",
    "uint8", "uint16", "uint32", "uint64",
    "float32", "float64",
    "complex64", "complex128",
]
DTYPES = [np.dtype(n) for n in DTYPE_NAMES]
BOOL = [np.dtype("bool")]
SIGNED = [np.dtype(n) for n in ("int8", "int16", "int32", "int64")]
UNSIGNED = [np.dtype(n) for n in ("uint8", "uint16", "uint32", "uint64")]
INTS = SIGNED + UNSIGNED
FLOATS = [np.dtype("float32"), np.dtype("float64")]
COMPLEXES = [np.dtype("complex64"), np.dtype("complex128")]
INEXACT = FLOATS + COMPLEXES
NUMERIC = INTS + INEXACT
#: dtypes whose unary float functions (sqrt, exp, ...) give float16 in NumPy
FLOAT16_PRODUCERS = [np.dtype(n) for n in ("bool", "int8", "uint8")]


def dtype_id(d):
    return np.dtype(d).name


# --------------------------------------------------------------------------
# conversion and comparison
# --------------------------------------------------------------------------


def to_starp(x):
    """NumPy array (or scalar) -> starp array, always a copy."""
    return snp.array(np.array(x, copy=True))


def to_numpy(x):
    """starp array / NumPy array / scalar -> numpy.ndarray."""
    if not AGAINST_NUMPY and isinstance(x, snp.ndarray):
        r = x.compute()
        assert isinstance(r, np.ndarray), f"compute() returned {type(r)!r}"
        return r
    return np.asarray(x)


def is_starp(x):
    return isinstance(x, snp.ndarray)


@contextlib.contextmanager
def quiet():
    """Silence NumPy's floating point warnings (and ComplexWarning...)."""
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def default_rtol(dtype):
    dtype = np.dtype(dtype)
    if dtype.kind == "c":
        return 1e-12 if dtype.itemsize >= 16 else 1e-5
    if dtype.kind == "f":
        return 1e-12 if dtype.itemsize >= 8 else 1e-5
    return 0.0


def eps(dtype):
    dtype = np.dtype(dtype)
    if dtype.kind in "fc":
        return float(np.finfo(dtype).eps)
    return float(np.finfo(np.float64).eps)


def assert_close(actual, expected, rtol, atol=0.0, msg=""):
    """``isclose`` with NaN == NaN; ``atol`` may be an array."""
    with quiet():
        ok = np.isclose(actual, expected, rtol=rtol, atol=atol, equal_nan=True)
    if not np.all(ok):
        bad = np.argwhere(~np.asarray(ok))[:5]
        lines = [f"{msg} not close (rtol={rtol}, atol={np.max(atol)})"]
        for i in bad:
            i = tuple(i)
            lines.append(
                f"  at {i}: actual={np.asarray(actual)[i]!r} "
                f"expected={np.asarray(expected)[i]!r}"
            )
        lines.append(f"actual:\n{actual!r}\nexpected:\n{expected!r}")
        raise AssertionError("\n".join(lines))


def assert_same(actual, expected, rtol=None, atol=0.0, check_dtype=True):
    """Same dtype, shape and values (exact for bool/int, close for inexact)."""
    a = to_numpy(actual)
    e = np.asarray(expected)
    if check_dtype:
        assert a.dtype == e.dtype, f"dtype: got {a.dtype}, NumPy gives {e.dtype}"
    assert a.shape == e.shape, f"shape: got {a.shape}, NumPy gives {e.shape}"
    inexact = [d for d in (e.dtype, a.dtype) if d.kind in "fc"]
    if inexact:
        r = default_rtol(inexact[0]) if rtol is None else rtol
        assert_close(a, e, rtol=r, atol=atol)
    else:
        np.testing.assert_array_equal(a, e, strict=False)


def expected_exception(exc):
    """The exception type starp must raise where NumPy raised ``exc``.

    ``AxisError`` must be NumPy's own; for the rest any class with the same
    builtin base (``TypeError`` for ``UFuncTypeError``...) is accepted.
    """
    if isinstance(exc, np.exceptions.AxisError):
        return np.exceptions.AxisError
    for cls in type(exc).__mro__:
        if cls.__module__ == "builtins":
            return cls
    return Exception


def convert_args(args):
    return [to_starp(a) if isinstance(a, np.ndarray) else a for a in args]


def _run_both(fn, args, materialize):
    """(starp result, NumPy result) of ``fn`` on copies of ``args``; or None once starp has been
    checked to raise the same kind of exception as NumPy (at the call or when materialized)."""
    np_args = [a.copy() if isinstance(a, np.ndarray) else a for a in args]
    sp_args = convert_args(args)
    with quiet():
        try:
            expected = fn(np, *np_args)
        except Exception as e:  # noqa: BLE001 - any exception NumPy raises
            exc = expected_exception(e)
        else:
            exc = None
    if exc is not None:
        with pytest.raises(exc):
            with quiet():
                materialize(fn(snp, *sp_args))
        return None
    with quiet():
        actual = fn(snp, *sp_args)
    return actual, expected


def check(fn, *args, rtol=None, atol=0.0, check_dtype=True):
    """Compare ``fn(snp, *starp_args)`` to ``fn(np, *args)``.

    NumPy-array arguments are copied / converted with ``to_starp``; other
    arguments (Python and NumPy scalars, tuples...) are passed unchanged.
    If NumPy raises, starp must raise the same kind of exception, either when
    ``fn`` is called or when the result is computed.  Returns the pair
    (starp result, numpy result) or None when NumPy raised.
    """
    both = _run_both(fn, args, to_numpy)
    if both is not None:
        assert_same(*both, rtol=rtol, atol=atol, check_dtype=check_dtype)
    return both


def _same_structure(actual, expected, rtol, atol):
    if isinstance(expected, (tuple, list)):
        assert isinstance(actual, type(expected)), f"got {type(actual)}, NumPy gives {type(expected)}"
        assert len(actual) == len(expected)
        for a, e in zip(actual, expected):
            _same_structure(a, e, rtol, atol)
    elif isinstance(expected, bool):
        assert type(actual) is bool, f"got {type(actual)}, NumPy gives a Python bool"
        assert actual == expected
    else:
        assert_same(actual, expected, rtol=rtol, atol=atol)


def _materialize(r):
    if isinstance(r, (tuple, list)):
        return [_materialize(x) for x in r]
    return to_numpy(r)


def check_all(fn, *args, rtol=None, atol=0.0):
    """``check`` for results that are tuples / lists of arrays or Python bools: the same
    structure, each element with NumPy's dtype, shape and values; or the same exception type.
    Returns the starp result, or None when NumPy raised."""
    both = _run_both(fn, args, _materialize)
    if both is None:
        return None
    _same_structure(*both, rtol, atol)
    return both[0]


def assert_seeded(sequence):
    """`sequence(seed)` (a list of NumPy arrays drawn from a fresh seeded stream) gives the same
    bytes for the same seed and mostly other bytes for another seed."""
    a, b, c = sequence(5), sequence(5), sequence(6)
    for x, y in zip(a, b):
        assert x.dtype == y.dtype and x.tobytes() == y.tobytes()
    assert sum(x.tobytes() != z.tobytes() for x, z in zip(a, c)) >= len(a) - 2


def assert_same_bits_on_all_ranks(sequence, seed):
    """`sequence(seed)` gives bit-identical arrays on 1, 2, 3 and 4 ranks."""
    results = {}
    for p in ALL_RANKS:
        with at_ranks(p):
            results[p] = sequence(seed)
    for p in ALL_RANKS[1:]:
        for i, (x, y) in enumerate(zip(results[1], results[p])):
            assert x.dtype == y.dtype and x.shape == y.shape
            assert x.tobytes() == y.tobytes(), f"draw {i}: P=1 vs P={p}"


# --------------------------------------------------------------------------
# hypothesis strategies
# --------------------------------------------------------------------------

#: shapes every test should meet: 0-d, empty, sizes that do not divide P,
#: fewer rows than ranks
SPECIAL_SHAPES = [
    (), (0,), (1,), (2,), (7,), (13,),
    (1, 5), (2, 3), (3, 1), (7, 13), (13, 7), (0, 4), (3, 0),
    (1, 1, 1), (2, 3, 4), (3, 1, 5), (2, 0, 3),
]


def shapes(min_dims=0, max_dims=3, min_side=0, max_side=7):
    special = [
        s for s in SPECIAL_SHAPES
        if min_dims <= len(s) <= max_dims and all(min_side <= d for d in s)
        and all(d <= max(max_side, 13) for d in s)
    ]
    generic = hnp.array_shapes(
        min_dims=min_dims, max_dims=max_dims, min_side=min_side, max_side=max_side
    )
    if not special:
        return generic
    return st.one_of(st.sampled_from(special), generic)


def _int_bounds(dtype, lo, hi):
    info = np.iinfo(dtype)
    return max(int(info.min), lo), min(int(info.max), hi)


def elements(dtype, kind="bounded", lo=-100.0, hi=100.0):
    """Element strategy for ``dtype``.

    kind:
      "full"    - every value of the dtype (NaN, inf, extremes, subnormals for
                  reals; complex still bounded and finite);
      "bounded" - ints full range, inexact values in [lo, hi], finite;
      "small"   - ints clipped to [lo, hi] too;
      "quarter" - multiples of 0.25 in [lo, hi] for inexact (exact in f32).
    """
    dtype = np.dtype(dtype)
    if dtype.kind == "b":
        return st.booleans()
    if dtype.kind in "iu":
        if kind == "small" or kind == "quarter":
            a, b = _int_bounds(dtype, int(math.ceil(lo)), int(math.floor(hi)))
            return st.integers(a, b)
        return hnp.from_dtype(dtype)
    width = dtype.itemsize * 8
    if dtype.kind == "f":
        if kind == "full":
            return hnp.from_dtype(dtype)
        if kind == "quarter":
            return st.integers(int(lo * 4), int(hi * 4)).map(lambda i: i / 4.0)
        return st.floats(lo, hi, width=width, allow_subnormal=False)
    # complex: components bounded, finite
    cw = width // 2
    if kind == "quarter":
        comp = st.integers(int(lo * 4), int(hi * 4)).map(lambda i: i / 4.0)
    else:
        comp = st.floats(lo, hi, width=cw, allow_subnormal=False)
    return st.builds(complex, comp, comp)


def arrays(dtype, shape, kind="bounded", lo=-100.0, hi=100.0):
    return hnp.arrays(np.dtype(dtype), shape, elements=elements(dtype, kind, lo, hi))


def dtypes(choices=DTYPES):
    return st.sampled_from(list(choices))


def nonzero(x):
    """Replace zeros by ones (for divisors whose result is complex)."""
    x = np.array(x, copy=True)
    if x.ndim == 0:
        if x == 0:
            x = np.ones_like(x)
        return x
    x[x == 0] = 1
    return x
