"""Array creation, attributes, iteration, STARP_RANKS."""

import os
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import starp  # noqa: F401
import starp.numpy as snp
from _helpers import (
    AGAINST_NUMPY,
    DTYPES,
    SPECIAL_SHAPES,
    arrays,
    assert_same,
    check,
    dtype_id,
    dtypes,
    is_starp,
    quiet,
    shapes,
    to_numpy,
    to_starp,
)

HERE = os.path.dirname(os.path.abspath(__file__))


# --------------------------------------------------------------------------
# array / asarray
# --------------------------------------------------------------------------


@pytest.mark.parametrize("func", ["array", "asarray"])
@given(data=st.data())
def test_from_numpy_array(func, data):
    d = data.draw(dtypes())
    x = data.draw(arrays(d, shapes(), kind="full"))
    a = getattr(snp, func)(x)
    assert is_starp(a)
    assert a.dtype == x.dtype
    assert a.shape == x.shape
    assert_same(a, x, rtol=0)


@pytest.mark.parametrize(
    "obj",
    [
        [1, 2, 3],
        [[1, 2], [3, 4], [5, 6]],
        [1.0, 2, 3],
        [[1.5, -2.0]],
        [True, False, True],
        [1 + 2j, 3],
        [[[1], [2]], [[3], [4]]],
        [],
        [[]],
        [[], []],
        3,
        -7,
        2.5,
        True,
        1 - 1j,
        [2**40, -(2**40)],
        [2**63],  # NumPy: uint64
    ],
    ids=repr,
)
@pytest.mark.parametrize("func", ["array", "asarray"])
def test_from_python_objects(func, obj):
    a = getattr(snp, func)(obj)
    e = np.asarray(obj)
    assert is_starp(a)
    assert_same(a, e)


@pytest.mark.parametrize(
    "obj",
    [[1, 2, 3], [[1.7, -2.7], [0.0, 3.2]], 5, 2.5, True, [True, False], [1, 0]],
    ids=repr,
)
@pytest.mark.parametrize(
    "dtype",
    ["bool", "int8", "int32", "int64", "uint8", "uint64", "float32", "float64",
     "complex64", "complex128"],
)
def test_from_python_objects_with_dtype(obj, dtype):
    if np.dtype(dtype).kind == "u" and np.any(np.asarray(obj, dtype=float) < 0):
        pytest.skip("negative float to unsigned is undefined behaviour in NumPy")
    check(lambda xp: xp.array(obj, dtype=dtype))
    check(lambda xp: xp.asarray(obj, dtype=dtype))


@pytest.mark.parametrize("src", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("dst", DTYPES, ids=dtype_id)
def test_from_numpy_with_dtype(src, dst):
    x = np.array([[0, 1, 2], [3, 100, 127]]).astype(src)
    check(lambda xp, x: xp.array(x, dtype=dst), x)
    with quiet():
        a = snp.asarray(x, dtype=dst)
        e = np.asarray(x, dtype=dst)
    assert_same(a, e)


@pytest.mark.parametrize(
    "spelling, expected",
    [
        ("float32", np.float32), (np.float32, np.float32),
        (np.dtype("float32"), np.float32), (float, np.float64), (int, np.int64),
        (bool, np.bool_), (complex, np.complex128), ("f8", np.float64),
        ("i4", np.int32), ("u1", np.uint8), ("int16", np.int16),
        ("uint32", np.uint32), ("complex64", np.complex64), ("bool", np.bool_),
    ],
    ids=repr,
)
def test_dtype_spellings(spelling, expected):
    for a in (
        snp.zeros(3, dtype=spelling),
        snp.ones((2, 2), dtype=spelling),
        snp.array([1, 0, 1], dtype=spelling),
        snp.arange(2, dtype=spelling),
        snp.full(2, 1, dtype=spelling),
    ):
        assert isinstance(a.dtype, np.dtype)
        assert a.dtype == np.dtype(expected)


# --------------------------------------------------------------------------
# zeros / ones / full / empty and *_like
# --------------------------------------------------------------------------

SHAPE_ARGS = [0, 1, 5, 7, 13, (), (0,), (3,), (2, 3), (1, 5), (7, 13), (3, 0), (2, 3, 4)]


@pytest.mark.parametrize("shape", SHAPE_ARGS, ids=repr)
@pytest.mark.parametrize("func", ["zeros", "ones"])
@pytest.mark.parametrize("dtype", [None] + DTYPES, ids=lambda d: "default" if d is None else d.name)
def test_zeros_ones(func, shape, dtype):
    kw = {} if dtype is None else {"dtype": dtype}
    a = getattr(snp, func)(shape, **kw)
    assert is_starp(a)
    assert_same(a, getattr(np, func)(shape, **kw))


@pytest.mark.parametrize("shape", SHAPE_ARGS, ids=repr)
@pytest.mark.parametrize("dtype", [None] + DTYPES, ids=lambda d: "default" if d is None else d.name)
def test_empty(shape, dtype):
    kw = {} if dtype is None else {"dtype": dtype}
    a = snp.empty(shape, **kw)
    e = np.empty(shape, **kw)
    assert is_starp(a)
    assert a.shape == e.shape and a.dtype == e.dtype
    r = to_numpy(a)
    assert r.shape == e.shape and r.dtype == e.dtype


@pytest.mark.parametrize(
    "shape, fill, dtype",
    [
        ((2, 3), 7, None), (5, 2.5, None), ((), True, None), (3, 1 + 2j, None),
        ((7,), -1, np.int8), (4, 2.5, np.float32), ((2, 2), 3, np.float64),
        ((3, 1), 0, np.bool_), (13, 255, np.uint8), ((1, 5), 1.5, np.complex64),
        ((0, 3), 9, None), (2, np.float32(1.5), None), (3, np.int16(4), None),
        ((2, 3), 2.9, np.int32),
    ],
    ids=repr,
)
def test_full(shape, fill, dtype):
    kw = {} if dtype is None else {"dtype": dtype}
    check(lambda xp: xp.full(shape, fill, **kw))


@pytest.mark.parametrize("shape", [(), (0,), (7,), (2, 3), (1, 5), (3, 0, 2)], ids=repr)
@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
def test_like(shape, dtype):
    proto_np = np.ones(shape, dtype=dtype)
    proto = to_starp(proto_np)
    assert_same(snp.zeros_like(proto), np.zeros_like(proto_np))
    assert_same(snp.ones_like(proto), np.ones_like(proto_np))
    assert_same(snp.full_like(proto, 1), np.full_like(proto_np, 1))
    e = snp.empty_like(proto)
    assert e.shape == shape and e.dtype == dtype
    assert to_numpy(e).shape == shape
    for other in (np.float32, np.int16, np.complex128, np.bool_):
        assert_same(snp.zeros_like(proto, dtype=other), np.zeros_like(proto_np, dtype=other))
        assert_same(snp.ones_like(proto, dtype=other), np.ones_like(proto_np, dtype=other))
        assert_same(snp.full_like(proto, 1, dtype=other), np.full_like(proto_np, 1, dtype=other))
        e = snp.empty_like(proto, dtype=other)
        assert e.shape == shape and e.dtype == other


def test_full_like_casts_fill_value():
    proto_np = np.arange(6, dtype=np.int32).reshape(2, 3)
    check(lambda xp, p: xp.full_like(p, 2.7), proto_np)
    check(lambda xp, p: xp.full_like(p, True), proto_np)
    check(lambda xp, p: xp.full_like(p, 3.5, dtype=np.float32), proto_np)


def test_like_of_view():
    x = np.arange(24.0).reshape(2, 3, 4)
    check(lambda xp, a: xp.zeros_like(a[:, ::-2].T), x)
    check(lambda xp, a: xp.full_like(a[1], 5), x)


# --------------------------------------------------------------------------
# arange / linspace / eye / identity
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args, kw",
    [
        ((5,), {}), ((0,), {}), ((-3,), {}), ((1,), {}), ((13,), {}),
        ((2, 10), {}), ((2, 10, 3), {}), ((10, 2, -3), {}), ((-5, 5, 2), {}),
        ((3, 3), {}), ((5, 1), {}), ((0, 1, 0.1), {}), ((1.5, 4.2, 0.5), {}),
        ((0.0, -2.0, -0.25), {}), ((7.0,), {}), ((0, 5), {"dtype": np.float32}),
        ((5,), {"dtype": np.int8}), ((4,), {"dtype": np.uint16}),
        ((2, 9, 2), {"dtype": np.float64}),
        ((1000,), {}), ((1, 2, 0.3), {}),
    ],
    ids=repr,
)
def test_arange(args, kw):
    r = check(lambda xp: xp.arange(*args, **kw), atol=1e-13)
    assert r is not None
    assert is_starp(r[0])


def test_arange_keywords():
    check(lambda xp: xp.arange(start=2, stop=11, step=3))
    check(lambda xp: xp.arange(0, 9, step=2))


@pytest.mark.parametrize(
    "args, kw",
    [
        ((0, 1, 5), {}), ((0, 1, 5), {"endpoint": False}), ((-2.5, 7, 13), {}),
        ((-2.5, 7, 13), {"endpoint": False}), ((0, 1, 1), {}), ((0, 1, 1), {"endpoint": False}),
        ((0, 1, 0), {}), ((5, -5, 7), {}), ((0, 1), {}), ((2, 3, 4), {"dtype": np.float32}),
        ((0, 10, 6), {"dtype": np.int64}), ((1, 1, 4), {}), ((0, 100, 1001), {}),
        ((0, 1), {"num": 3}), ((1e-3, 1e3, 7), {}),
    ],
    ids=repr,
)
def test_linspace(args, kw):
    hi = max(abs(float(args[0])), abs(float(args[1])))
    r = check(lambda xp: xp.linspace(*args, **kw), atol=4e-15 * hi)
    assert r is not None


def test_linspace_endpoint_exact():
    a = to_numpy(snp.linspace(0.1, 0.7, 7))
    assert a[0] == 0.1 and a[-1] == 0.7


@pytest.mark.parametrize(
    "args, kw",
    [
        ((3,), {}), ((1,), {}), ((0,), {}), ((3, 5), {}), ((5, 3), {}),
        ((4,), {"k": 1}), ((4,), {"k": -2}), ((3, 4), {"k": 10}), ((3, 4), {"k": -10}),
        ((3,), {"dtype": np.int32}), ((2,), {"dtype": bool}), ((7, 13), {"k": 3}),
        ((13, 7), {"k": -4}), ((4, 4), {"k": 0, "dtype": np.complex64}),
        ((3,), {"M": 2}), ((2,), {"M": 3}),
    ],
    ids=repr,
)
def test_eye(args, kw):
    check(lambda xp: xp.eye(*args, **kw))


@pytest.mark.parametrize(
    "n, kw", [(4, {}), (0, {}), (1, {}), (7, {}), (3, {"dtype": np.int8}), (2, {"dtype": bool})],
    ids=repr,
)
def test_identity(n, kw):
    check(lambda xp: xp.identity(n, **kw))


# --------------------------------------------------------------------------
# attributes, len, iteration
# --------------------------------------------------------------------------


@given(data=st.data())
def test_attributes(data):
    d = data.draw(dtypes())
    x = data.draw(arrays(d, shapes(max_dims=4)))
    a = to_starp(x)
    assert isinstance(a, snp.ndarray)
    assert isinstance(a.shape, tuple) and a.shape == x.shape
    assert all(type(s) is int for s in a.shape)
    assert a.ndim == x.ndim and type(a.ndim) is int
    assert a.size == x.size and type(a.size) is int
    assert isinstance(a.dtype, np.dtype) and a.dtype == x.dtype
    assert a.itemsize == x.itemsize
    assert a.nbytes == x.nbytes
    assert a.T.shape == x.T.shape
    assert_same(a.T, x.T, rtol=0)
    if x.ndim:
        assert len(a) == len(x)


@pytest.mark.parametrize("shape", SPECIAL_SHAPES, ids=repr)
def test_attributes_special_shapes(shape):
    x = np.arange(int(np.prod(shape)), dtype=np.float32).reshape(shape)
    a = to_starp(x)
    assert (a.shape, a.ndim, a.size, a.dtype, a.itemsize, a.nbytes) == (
        x.shape, x.ndim, x.size, x.dtype, x.itemsize, x.nbytes)
    # attributes of lazy results (shape inference without computing)
    b = (a + 1)[..., None] * 2
    y = (x + 1)[..., None] * 2
    assert (b.shape, b.ndim, b.size, b.dtype) == (y.shape, y.ndim, y.size, y.dtype)


@pytest.mark.parametrize(
    "shape", [(0,), (1,), (7,), (13,), (2, 3), (1, 5), (3, 1), (0, 4), (4, 0), (2, 3, 4)],
    ids=repr,
)
def test_iteration(shape):
    x = np.arange(int(np.prod(shape)), dtype=np.int16).reshape(shape) - 3
    a = to_starp(x)
    items = list(a)
    assert len(items) == len(x)
    for got, want in zip(items, x):
        if x.ndim == 1:
            assert_same(got, want, check_dtype=False)
        else:
            assert is_starp(got)
            assert_same(got, want)


def test_iteration_values_1d_float():
    x = np.array([0.5, -1.25, 3.0], dtype=np.float32)
    assert [float(v) for v in to_starp(x)] == [0.5, -1.25, 3.0]


# --------------------------------------------------------------------------
# STARP_RANKS at import
# --------------------------------------------------------------------------

_SCRIPT = r"""
import numpy as np
import starp, starp.numpy as snp
x = snp.arange(1000, dtype=np.float64).reshape(8, 125)
y = (x * 2 + 1)[::-1, 3:100:7]
print(repr(float(y.sum())), repr(float(snp.sum(x, axis=0)[7])), int(snp.argmax(y)))
"""


def child_env(ranks):
    env = dict(os.environ)
    env["STARP_RANKS"] = str(ranks)
    paths = [p for p in sys.path if p and os.path.isdir(p)]
    if AGAINST_NUMPY:
        paths.insert(0, os.path.join(HERE, "_numpy_as_starp"))
    env["PYTHONPATH"] = os.pathsep.join(paths)
    return env


@pytest.mark.own_process
@pytest.mark.cross_ranks
@pytest.mark.parametrize("p", [1, 2, 3, 4])
def test_env_starp_ranks_at_import(p):
    out = subprocess.run(
        [sys.executable, "-c", _SCRIPT], env=child_env(p), capture_output=True,
        text=True, timeout=240,
    )
    assert out.returncode == 0, out.stderr
    x = np.arange(1000, dtype=np.float64).reshape(8, 125)
    y = (x * 2 + 1)[::-1, 3:100:7]
    want = f"{float(y.sum())!r} {float(np.sum(x, axis=0)[7])!r} {int(np.argmax(y))}"
    assert out.stdout.strip() == want
