"""Errors: NumPy's exception types, raised when the operation is called (the
shapes are known without computing), with messages that mention the shapes.

Messages are matched loosely (``(2, 3)`` or ``(2,3)``, sizes as numbers),
since starp formats them itself."""

import re

import numpy as np
import pytest

import starp.numpy as snp
from _helpers import AGAINST_NUMPY, to_numpy, to_starp

AxisError = np.exceptions.AxisError


def shape_re(*dims):
    """Regex for a shape tuple printed as ``(2, 3)``, ``(2,3)`` or ``(4,)``."""
    if len(dims) == 1:
        return rf"\(\s*{dims[0]}\s*,?\s*\)"
    return r"\(\s*" + r"\s*,\s*".join(str(d) for d in dims) + r"\s*,?\s*\)"


def mentions(msg, *patterns):
    return all(re.search(p, msg) for p in patterns)


def ones(*shape, dtype=np.float64):
    return to_starp(np.ones(shape, dtype=dtype))


# --------------------------------------------------------------------------
# broadcasting
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "op",
    [lambda a, b: a + b, lambda a, b: a * b, lambda a, b: a < b, lambda a, b: snp.add(a, b),
     lambda a, b: snp.maximum(a, b), lambda a, b: snp.where(a > 0, a, b),
     lambda a, b: b - a, lambda a, b: a & b],
)
def test_broadcast_mismatch(op):
    a, b = ones(2, 3, dtype=np.int32), ones(4, dtype=np.int32)
    with pytest.raises(ValueError) as ei:
        op(a, b)
    assert mentions(str(ei.value), shape_re(2, 3), shape_re(4)), str(ei.value)


@pytest.mark.parametrize(
    "sa, sb", [((3,), (4,)), ((2, 1, 5), (3, 4)), ((0,), (2,)), ((7, 13), (13, 7))],
    ids=repr,
)
def test_broadcast_mismatch_shapes(sa, sb):
    with pytest.raises(ValueError) as ei:
        ones(*sa) + ones(*sb)
    assert mentions(str(ei.value), shape_re(*sa), shape_re(*sb)), str(ei.value)


def test_setitem_broadcast_mismatch_leaves_array_unchanged():
    a = to_starp(np.arange(6.0).reshape(2, 3))
    with pytest.raises(ValueError) as ei:
        a[:] = ones(4)
    assert mentions(str(ei.value), shape_re(4), shape_re(2, 3)), str(ei.value)
    with pytest.raises(ValueError):
        a[0] = ones(2)
    np.testing.assert_array_equal(to_numpy(a), np.arange(6.0).reshape(2, 3))


def test_inplace_broadcast_to_bigger_shape():
    a = to_starp(np.arange(3.0))
    with pytest.raises(ValueError) as ei:
        a += ones(2, 3)
    assert mentions(str(ei.value), shape_re(3), shape_re(2, 3)), str(ei.value)
    np.testing.assert_array_equal(to_numpy(a), np.arange(3.0))


# --------------------------------------------------------------------------
# axis
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "call",
    [lambda a: snp.sum(a, axis=2), lambda a: a.sum(axis=-3), lambda a: a.mean(axis=5),
     lambda a: snp.max(a, axis=(0, 2)), lambda a: a.var(axis=2), lambda a: a.std(axis=-3),
     lambda a: snp.argmax(a, axis=2), lambda a: a.argmin(axis=-3), lambda a: a.any(axis=2),
     lambda a: snp.all(a, axis=9), lambda a: a.prod(axis=(1, -3)), lambda a: a.min(axis=2),
     lambda a: a.transpose((0, 2)), lambda a: snp.transpose(a, (2, 0))],
)
def test_bad_axis(call):
    a = ones(2, 3)
    with pytest.raises(AxisError) as ei:
        call(a)
    assert isinstance(ei.value, ValueError) and isinstance(ei.value, IndexError)
    assert re.search(r"\b(2|-3|5|9)\b", str(ei.value)), str(ei.value)


def test_bad_axis_message():
    with pytest.raises(AxisError, match=r"axis 2 .*dimension 2"):
        snp.sum(ones(2, 3), axis=2)


def test_axis_on_0d():
    # (NumPy accepts axis=0 / -1 on 0-d input for some reductions: not tested)
    for name in ("sum", "mean", "max", "any", "var"):
        with pytest.raises(AxisError):
            getattr(snp, name)(snp.array(1.0), axis=1)


def test_duplicate_axis():
    with pytest.raises(ValueError):
        snp.sum(ones(2, 3), axis=(0, 0))
    with pytest.raises(ValueError):
        ones(2, 3).transpose((1, 1))


# --------------------------------------------------------------------------
# indexing
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "idx, nums",
    [(5, ("5", "3")), (-4, ("-4", "3")), ((0, 10), ("10", "4")), ((3, 0), ("3", "3")),
     ((1, -5), ("-5", "4")), ((Ellipsis, 4), ("4", "4"))],
    ids=repr,
)
def test_index_out_of_range(idx, nums):
    a = to_starp(np.zeros((3, 4)))
    with pytest.raises(IndexError) as ei:
        a[idx]
    assert all(re.search(rf"(?<![\d-]){re.escape(n)}\b", str(ei.value)) for n in nums), \
        str(ei.value)
    with pytest.raises(IndexError):
        a[idx] = 1.0
    np.testing.assert_array_equal(to_numpy(a), np.zeros((3, 4)))


def test_index_out_of_range_1d_and_empty():
    with pytest.raises(IndexError):
        to_starp(np.arange(7))[7]
    with pytest.raises(IndexError):
        snp.zeros(0)[0]
    with pytest.raises(IndexError):
        snp.zeros((2, 0))[1, 0]


@pytest.mark.parametrize("idx", [(0, 0, 0), (0, Ellipsis, 0, 0), (slice(None),) * 3],
                         ids=repr)
def test_too_many_indices(idx):
    a = to_starp(np.zeros((3, 4)))
    with pytest.raises(IndexError) as ei:
        a[idx]
    assert "2" in str(ei.value) and "3" in str(ei.value), str(ei.value)
    with pytest.raises(IndexError):
        a[idx] = 0


def test_too_many_indices_0d():
    with pytest.raises(IndexError):
        snp.array(1.0)[0]


def test_two_ellipses():
    with pytest.raises(IndexError):
        ones(2, 3)[..., ...]


# --------------------------------------------------------------------------
# reshape / matmul / dtype
# --------------------------------------------------------------------------


@pytest.mark.parametrize("shape", [(4,), (4, 2), (7, -1), (5, -1), (2, 2, 2)], ids=repr)
def test_reshape_wrong_size(shape):
    a = ones(2, 3)
    with pytest.raises(ValueError) as ei:
        a.reshape(shape)
    msg = str(ei.value)
    assert "6" in msg, msg
    with pytest.raises(ValueError):
        snp.reshape(a, shape)


def test_reshape_two_unknowns():
    with pytest.raises(ValueError):
        ones(2, 3).reshape(-1, -1)


@pytest.mark.parametrize(
    "sa, sb",
    [((2, 3), (4, 2)), ((3,), (4,)), ((2, 3), (2,)), ((5,), (3, 5)), ((7, 13), (7, 13)),
     ((1, 5), (4, 1))],
    ids=repr,
)
def test_matmul_shape_mismatch(sa, sb):
    a, b = ones(*sa), ones(*sb)
    with pytest.raises(ValueError) as ei:
        a @ b
    k_a, k_b = sa[-1], sb[0] if len(sb) == 1 else sb[-2]
    assert str(k_a) in str(ei.value) and str(k_b) in str(ei.value), str(ei.value)
    with pytest.raises(ValueError):
        snp.matmul(a, b)


def test_matmul_0d():
    with pytest.raises(ValueError):
        ones(3) @ snp.array(2.0)
    with pytest.raises(ValueError):
        snp.matmul(snp.array(2.0), ones(3))


@pytest.mark.parametrize(
    "call",
    [lambda: snp.zeros(3, dtype="floaty"), lambda: snp.ones((2, 2), dtype="floaty"),
     lambda: snp.array([1, 2], dtype="floaty"), lambda: snp.asarray([1.0], dtype="floaty"),
     lambda: snp.full(3, 1.0, dtype="floaty"), lambda: snp.arange(3, dtype="floaty"),
     lambda: snp.eye(2, dtype="floaty"), lambda: ones(3).astype("floaty"),
     lambda: snp.zeros_like(ones(2), dtype="floaty")],
)
def test_bad_dtype_name(call):
    with pytest.raises(TypeError) as ei:
        call()
    assert "floaty" in str(ei.value), str(ei.value)


# --------------------------------------------------------------------------
# dtype rules
# --------------------------------------------------------------------------


def test_python_int_out_of_range():
    i8 = to_starp(np.arange(3, dtype=np.int8))
    for call in (lambda: i8 + 300, lambda: 300 + i8, lambda: i8 * -129, lambda: snp.add(i8, 300),
                 lambda: snp.maximum(i8, 1000), lambda: i8 // 128):
        with pytest.raises(OverflowError) as ei:
            call()
        assert "int8" in str(ei.value) or re.search(r"\d{3}", str(ei.value)), str(ei.value)
    u = to_starp(np.arange(3, dtype=np.uint64))
    with pytest.raises(OverflowError):
        u + (-1)
    with pytest.raises(OverflowError):
        u + 2**64


def test_setitem_python_int_out_of_range():
    a = to_starp(np.zeros(3, dtype=np.int8))
    with pytest.raises(OverflowError):
        a[0] = 300
    np.testing.assert_array_equal(to_numpy(a), np.zeros(3, dtype=np.int8))


def test_inplace_unsafe_cast_is_type_error():
    a = to_starp(np.arange(3))
    with pytest.raises(TypeError):
        a += 1.5
    with pytest.raises(TypeError):
        a *= ones(3)
    i8 = to_starp(np.arange(3, dtype=np.int8))
    with pytest.raises(TypeError):
        i8 /= 2
    b = to_starp(np.array([True, False]))
    with pytest.raises(TypeError):
        b += 1
    np.testing.assert_array_equal(to_numpy(a), np.arange(3))


@pytest.mark.parametrize(
    "call",
    [lambda: ones(2, dtype=bool) - ones(2, dtype=bool), lambda: -ones(2, dtype=bool),
     lambda: ones(2) & ones(2), lambda: ~ones(2), lambda: ones(2, dtype=np.complex128) // 2,
     lambda: ones(2, dtype=np.complex128) % ones(2), lambda: snp.bitwise_or(ones(2), 1),
     lambda: ones(2, dtype=np.uint64) ^ ones(2, dtype=np.int64)],
)
def test_no_loop_for_dtype_is_type_error(call):
    with pytest.raises(TypeError):
        call()


# --------------------------------------------------------------------------
# misc
# --------------------------------------------------------------------------


def test_truth_value_ambiguous():
    with pytest.raises(ValueError):
        bool(ones(2))
    with pytest.raises(ValueError):
        if ones(2, 3) > 0:
            pass


def test_len_and_iter_of_0d():
    z = snp.array(1.0)
    with pytest.raises(TypeError):
        len(z)
    with pytest.raises(TypeError):
        list(z)  # NumPy raises in iter(); a lazy __iter__ may raise on next()
    with pytest.raises(TypeError):
        for _ in z:
            pass


def test_errors_do_not_break_the_session():
    a = ones(2, 3)
    for bad in (lambda: a + ones(4), lambda: a.sum(axis=3), lambda: a[5], lambda: a @ a):
        with pytest.raises((ValueError, IndexError)):
            bad()
    np.testing.assert_array_equal(to_numpy(a * 2), np.full((2, 3), 2.0))


def test_allocation_failure_is_memory_error():
    """An array too large for the machine is a MemoryError at compute, not an abort."""
    if AGAINST_NUMPY:
        pytest.skip("NumPy raises at creation")
    big = snp.zeros(10**13)  # 80 TB
    with pytest.raises(MemoryError):
        big.compute()
    # The session still works afterwards.
    np.testing.assert_array_equal(to_numpy(snp.ones(3) * 2), np.full(3, 2.0))
