"""NumPy 2 / NEP 50 type promotion, for every dtype pair.

Every check compares with NumPy: same result dtype and values, or the same
exception type (TypeError where NumPy has no loop, e.g. bool - bool or
float & float; OverflowError for out-of-range Python ints; ValueError for
integers to negative integer powers).
"""

import contextlib
import operator

import numpy as np
import pytest

import starp.numpy as snp
from _helpers import DTYPES, assert_same, check, dtype_id, quiet, to_starp

OPERATORS = {
    "+": operator.add, "-": operator.sub, "*": operator.mul,
    "/": operator.truediv, "//": operator.floordiv, "%": operator.mod,
    "**": operator.pow, "==": operator.eq, "!=": operator.ne, "<": operator.lt,
    "<=": operator.le, ">": operator.gt, ">=": operator.ge, "&": operator.and_,
    "|": operator.or_, "^": operator.xor,
}

FUNCTIONS = [
    "add", "subtract", "multiply", "divide", "true_divide", "floor_divide",
    "remainder", "mod", "power", "maximum", "minimum", "equal", "not_equal",
    "less", "less_equal", "greater", "greater_equal", "bitwise_and",
    "bitwise_or", "bitwise_xor", "logical_and", "logical_or", "logical_xor",
]

INPLACE = {
    "+=": operator.iadd, "-=": operator.isub, "*=": operator.imul,
    "/=": operator.itruediv, "//=": operator.ifloordiv, "%=": operator.imod,
    "**=": operator.ipow, "&=": operator.iand, "|=": operator.ior,
    "^=": operator.ixor,
}


@contextlib.contextmanager
def label(text):
    """Prefix assertion / pytest.raises failures with the case being run."""
    try:
        yield
    except (AssertionError, pytest.fail.Exception) as e:
        raise AssertionError(f"[{text}] {e}") from e


def _inplace(op):
    def f(xp, a, b):
        a = op(a, b)
        return a
    return f


# --------------------------------------------------------------------------
# array (op) array for all 13 x 13 dtype pairs
# --------------------------------------------------------------------------


@pytest.mark.parametrize("db", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("da", DTYPES, ids=dtype_id)
def test_array_array_all_ops(da, db):
    a = np.array([[1, 2, 3], [4, 5, 6]]).astype(da)
    b = np.array([3, 1, 2]).astype(db)
    for name, op in OPERATORS.items():
        with label(f"{da} {name} {db}"):
            check(lambda xp, x, y: op(x, y), a, b)
    for name in FUNCTIONS:
        with label(f"{name}({da}, {db})"):
            check(lambda xp, x, y: getattr(xp, name)(x, y), a, b)
    with label(f"where(c, {da}, {db})"):
        c = np.array([True, False, True])
        check(lambda xp, c, x, y: xp.where(c, x, y), c, a, b)


@pytest.mark.parametrize("db", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("da", DTYPES, ids=dtype_id)
def test_result_type(da, db):
    """Explicit: result dtype == np.result_type for the arithmetic ops."""
    a = to_starp(np.ones(4, dtype=da))
    b = to_starp(np.ones((2, 1), dtype=db))
    want = np.result_type(da, db)
    with quiet():
        if want.kind != "b":  # NumPy has no bool subtract
            assert (a - b).dtype == want
        assert (a + b).dtype == want
        assert (a * b).dtype == want
        assert snp.maximum(a, b).dtype == want
        assert snp.minimum(a, b).dtype == want
        assert snp.where(a == b, a, b).dtype == want
        assert (a == b).dtype == np.bool_
        assert (a < b).dtype == np.bool_


@pytest.mark.parametrize("db", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("da", DTYPES, ids=dtype_id)
def test_inplace_all_ops(da, db):
    """In-place ops cast back to ``a.dtype`` with 'same_kind' (else TypeError)."""
    a = np.array([[1, 2, 3], [4, 5, 6]]).astype(da)
    b = np.array([3, 1, 2]).astype(db)
    for name, op in INPLACE.items():
        with label(f"{da} {name} {db}"):
            check(_inplace(op), a, b)


# --------------------------------------------------------------------------
# Python scalars are weak, NumPy scalars and 0-d arrays are strong
# --------------------------------------------------------------------------

PY_SCALARS = [True, 0, 1, -1, 7, 300, 2**40, 2**63, 1.5, -2.25, 1e300, 2j, 1 + 0.5j]
POW_SCALARS = [True, 0, 1, 2, -1, 0.5, 1.5, 2j]


@pytest.mark.parametrize("d", DTYPES, ids=dtype_id)
def test_python_scalars(d):
    a = np.array([1, 2, 3, 5]).astype(d)
    for s in PY_SCALARS:
        for name, op in OPERATORS.items():
            if name == "**" and s not in POW_SCALARS:
                continue
            if name in ("/", "//", "%") and s == 0 and np.dtype(d).kind == "c":
                continue  # complex division by zero: implementation defined
            if name in ("//", "%") and s == 1e300:
                continue  # becomes inf in float32: floor division by/of inf
            with label(f"{d} {name} {s!r}"):
                check(lambda xp, x: op(x, s), a)
            with label(f"{s!r} {name} {d}"):
                check(lambda xp, x: op(s, x), a)
        for fname in ("add", "multiply", "maximum", "minimum", "less", "equal"):
            with label(f"{fname}({d}, {s!r})"):
                check(lambda xp, x: getattr(xp, fname)(x, s), a)
        for name, op in INPLACE.items():
            if name == "**=" and s not in POW_SCALARS:
                continue
            if name in ("/=", "//=", "%=") and s == 0 and np.dtype(d).kind == "c":
                continue
            if name in ("//=", "%=") and s == 1e300:
                continue
            with label(f"{d} {name} {s!r}"):
                check(_inplace(op), a, s)


@pytest.mark.parametrize("d", DTYPES, ids=dtype_id)
def test_where_with_python_scalars(d):
    a = np.array([1, 2, 3, 5]).astype(d)
    c = np.array([True, False, False, True])
    for s in (True, 0, 1, 7, 1.5, 2j):
        with label(f"where(c, {d}, {s!r})"):
            check(lambda xp, c, x: xp.where(c, x, s), c, a)
        with label(f"where(c, {s!r}, {d})"):
            check(lambda xp, c, x: xp.where(c, s, x), c, a)
    check(lambda xp, c: xp.where(c, 1, 2.5), c)
    check(lambda xp, c: xp.where(c, 1, 2), c)
    check(lambda xp, c: xp.where(c, True, False), c)


def test_documented_weak_scalar_examples():
    f32 = to_starp(np.array([1.0, 2.0], dtype=np.float32))
    i8 = to_starp(np.array([1, 2], dtype=np.int8))
    u8 = to_starp(np.array([1, 2], dtype=np.uint8))
    assert (f32 + 1.5).dtype == np.float32
    assert (1.5 + f32).dtype == np.float32
    assert (f32 * 2).dtype == np.float32
    assert (i8 + 1).dtype == np.int8
    assert (1 + i8).dtype == np.int8
    assert (i8 * 1.5).dtype == np.float64
    assert (f32 + 1j).dtype == np.complex64
    assert (u8 + True).dtype == np.uint8
    with pytest.raises(OverflowError):
        i8 + 300
    with pytest.raises(OverflowError):
        300 + i8
    with pytest.raises(OverflowError):
        u8 - (-1)
    with pytest.raises(OverflowError):
        i8 * (2**70)
    # comparisons with out-of-range Python ints are well defined in NumPy 2
    assert_same(i8 < 300, np.array([True, True]))
    assert_same(i8 == 300, np.array([False, False]))
    assert_same(u8 > -1, np.array([True, True]))


@pytest.mark.parametrize("d", DTYPES, ids=dtype_id)
def test_numpy_scalars_are_strong(d):
    a = np.array([1, 2, 3, 5]).astype(d)
    for sd in DTYPES:
        s = sd.type(2)
        for name in ("+", "*", "-", "<"):
            op = OPERATORS[name]
            with label(f"{d} {name} {sd.name}(2)"):
                check(lambda xp, x: op(x, s), a)
            with label(f"{sd.name}(2) {name} {d}"):
                check(lambda xp, x: op(s, x), a)
        with label(f"maximum({d}, {sd.name}(2))"):
            check(lambda xp, x: xp.maximum(x, s), a)


def test_documented_strong_scalar_examples():
    i8 = to_starp(np.array([1, 2], dtype=np.int8))
    f32 = to_starp(np.array([1.0, 2.0], dtype=np.float32))
    u8 = to_starp(np.array([1, 2], dtype=np.uint8))
    assert (i8 * np.int16(3)).dtype == np.int16
    assert (f32 + np.float64(1.5)).dtype == np.float64
    assert (i8 + np.float32(1.5)).dtype == np.float32
    assert (u8 + np.int8(1)).dtype == np.int16
    # a 0-d array is strong too (only Python scalars are weak)
    assert (i8 + snp.array(300)).dtype == np.int64
    assert_same(i8 + snp.array(300), np.array([301, 302]))
    assert (f32 + snp.array(1.5)).dtype == np.float64


@pytest.mark.parametrize("db", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("da", DTYPES, ids=dtype_id)
def test_zero_d_arrays_pair(da, db):
    a = np.array([1, 2, 3]).astype(da)
    b = np.array(2).astype(db)
    for name in ("+", "*", "/", "<", "&"):
        op = OPERATORS[name]
        with label(f"{da}[3] {name} {db}[()]"):
            check(lambda xp, x, y: op(x, y), a, b)
        with label(f"{db}[()] {name} {da}[3]"):
            check(lambda xp, x, y: op(y, x), a, b)
        with label(f"{da}[()] {name} {db}[()]"):
            check(lambda xp, x, y: op(x[0, ...], y), a, b)
