"""NumPy interoperability (issue 6): NumPy ufuncs and functions called on starp arrays
(__array_ufunc__, __array_function__), starp's ufunc objects (out=, where=, dtype=, reduce,
accumulate, outer, at), the array API namespace, finfo/iinfo/version, save/load."""

import operator
import re
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import starp
import starp.numpy as snp
from _helpers import (
    AGAINST_NUMPY,
    DTYPES,
    INTS,
    arrays,
    assert_same,
    check,
    quiet,
    starp_only,
    to_numpy,
    to_starp,
)

UFuncTypeError = np._core._exceptions.UFuncTypeError

SHAPES = [(), (0,), (1,), (7,), (2, 3), (0, 4), (3, 1, 5)]


def lazy(x):
    """A starp result must stay a starp array (NumPy itself: anything goes)."""
    if not AGAINST_NUMPY:
        assert isinstance(x, snp.ndarray), type(x)
    return x


# --------------------------------------------------------------------------
# __array_ufunc__: NumPy ufuncs and operators with starp operands on either side
# --------------------------------------------------------------------------

BINARY = ["add", "subtract", "multiply", "divide", "maximum", "minimum", "less", "equal",
          "power", "arctan2", "bitwise_and", "logical_xor"]
OPERATORS = [operator.add, operator.sub, operator.mul, operator.truediv, operator.lt,
             operator.eq, operator.ge]


@pytest.mark.parametrize("name", BINARY)
@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_numpy_ufunc_mixed(name, shape):
    rng = np.random.default_rng(1)
    dt = "int64" if name == "bitwise_and" else "float64"
    a = (rng.random(shape) * 10).astype(dt)
    b = (rng.random(shape[-1:] if shape else ()) * 10 + 1).astype(dt)
    f = getattr(np, name)
    with quiet():
        expected = f(a, b)
        for x, y in [(a, to_starp(b)), (to_starp(a), b), (to_starp(a), to_starp(b))]:
            assert_same(lazy(f(x, y)), expected)


@pytest.mark.parametrize("op", OPERATORS, ids=lambda o: o.__name__)
@pytest.mark.parametrize("shape", [(), (0,), (5,), (2, 3)], ids=str)
def test_numpy_operands_either_side(op, shape):
    a = np.arange(int(np.prod(shape)), dtype=np.float32).reshape(shape) + 1
    sa = to_starp(a)
    n = np.full(shape, 3.0, np.float32)
    for other in [n, np.float64(2.5), np.int8(3), np.float32(0.5), 2, 1.5]:
        with quiet():
            assert_same(lazy(op(other, sa)), op(other, a))
            assert_same(lazy(op(sa, other)), op(a, other))


@pytest.mark.parametrize("name", ["exp", "sqrt", "negative", "absolute", "isnan", "sin", "floor"])
def test_numpy_unary_ufunc(name):
    a = np.linspace(0.5, 4, 12).reshape(3, 4)
    f = getattr(np, name)
    assert_same(lazy(f(to_starp(a))), f(a))
    assert_same(lazy(f(to_starp(np.float64(2.0)))), f(np.float64(2.0)))


def test_numpy_inplace_into_numpy_array():
    a = np.arange(6.0)
    n = np.ones(6)
    n += to_starp(a)
    np.testing.assert_array_equal(n, 1 + a)
    m = np.zeros(6)
    np.multiply(to_starp(a), 2, out=m)
    np.testing.assert_array_equal(m, a * 2)


def test_matmul_mixed():
    a, b = np.arange(6.0).reshape(2, 3), np.arange(12.0).reshape(3, 4)
    assert_same(lazy(a @ to_starp(b)), a @ b)
    assert_same(lazy(np.matmul(to_starp(a), b)), a @ b)


# --------------------------------------------------------------------------
# starp's ufunc objects: out=, where=, dtype=
# --------------------------------------------------------------------------

def test_ufunc_objects():
    assert snp.add.nin == 2 and snp.add.nout == 1 and snp.exp.nin == 1
    assert snp.add.identity == 0 and snp.multiply.identity == 1
    assert snp.add.__name__ == "add" and snp.divide is snp.true_divide and snp.abs is snp.absolute
    assert isinstance(snp.add, snp.ufunc) and isinstance(snp.isnan, snp.ufunc)


@pytest.mark.parametrize("shape", [(), (0,), (4,), (2, 3)], ids=str)
def test_out(shape):
    a = np.arange(int(np.prod(shape)), dtype=np.float64).reshape(shape)
    for out_dt in ["float64", "float32", "complex128"]:
        def f(xp, a):
            o = xp.full(shape, 7, dtype=out_dt)
            r = xp.add(a, 1.5, out=o)
            assert r is o
            return o
        check(f, a)

        def g(xp, a):
            o = xp.full(shape, 7, dtype=out_dt)
            r = xp.exp(a, out=(o,))
            assert r is o
            return o
        check(g, a)


def test_out_int_loop_casts_to_wider_out():
    a = np.array([100, 27, -3], np.int8)

    def f(xp, a):
        o = xp.zeros(3, dtype=xp.int16)
        xp.add(a, a, out=o)  # the int8 loop wraps, then widens
        return o
    check(f, a)


@pytest.mark.parametrize("src, dst", [("float64", "int64"), ("complex128", "float64"),
                                      ("float64", "bool"), ("int64", "uint8")])
def test_out_casting_errors(src, dst):
    a = np.ones(4, dtype=src)
    o = snp.zeros(4, dtype=dst)
    with pytest.raises(UFuncTypeError):
        np.add(a, a, out=np.zeros(4, dtype=dst))
    with pytest.raises(TypeError) as e:
        snp.add(to_starp(a), to_starp(a), out=o)
    assert isinstance(e.value, UFuncTypeError)
    with pytest.raises(UFuncTypeError):
        snp.sqrt(to_starp(a), out=o) if src != "int64" else snp.negative(to_starp(a), out=o)
    # unsafe casting is allowed when asked for
    check(lambda xp, a: xp.add(a, a, out=xp.zeros(4, dtype=dst), casting="unsafe"), a)


def test_out_shape_errors():
    a = np.ones((2, 3))
    check(lambda xp, a: xp.add(a, 1, out=xp.zeros(3)), a)
    check(lambda xp, a: xp.add(a, 1, out=xp.zeros((2, 2, 3))), a)  # out broadcasts the inputs
    check(lambda xp, a: xp.add(a, 1, out=(xp.zeros((2, 3)), xp.zeros((2, 3)))), a)


def test_where():
    a = np.arange(12.0).reshape(3, 4)
    m = (a % 3) == 0

    def f(xp, a, m):
        o = xp.full((3, 4), -1.0)
        xp.multiply(a, 10, out=o, where=m)
        return o
    check(f, a, m)

    def g(xp, a):
        o = xp.zeros(4, dtype=xp.int32)
        xp.negative(a.astype(xp.int32)[0], out=o, where=[True, False, True, False])
        return o
    check(g, a)


def test_dtype_keyword():
    a = np.arange(5, dtype=np.int64)
    check(lambda xp, a: xp.add(a, 1, dtype=xp.float32), a)
    check(lambda xp, a: xp.multiply(a, a, dtype=xp.int8), a)
    check(lambda xp, a: xp.add(a * 0.5, 1, dtype=xp.int64), a)  # same_kind input cast: error


def test_out_is_a_view_write():
    def f(xp):
        base = xp.zeros((3, 4))
        xp.add(xp.ones(4), 2, out=base[1])
        return base
    check(f)


# --------------------------------------------------------------------------
# ufunc methods: reduce, accumulate, outer, at (starp's and NumPy's on starp arrays)
# --------------------------------------------------------------------------

REGROUPABLE = ["add", "multiply", "maximum", "minimum", "logical_and", "logical_or",
               "logical_xor", "bitwise_and", "bitwise_or", "bitwise_xor"]


@pytest.mark.parametrize("name", REGROUPABLE)
@given(data=st.data())
def test_reduce(name, data):
    dt = data.draw(st.sampled_from(INTS + [np.dtype("bool")] if name.startswith("bitwise")
                                   else DTYPES[:11]))
    shape = data.draw(st.sampled_from(SHAPES))
    a = data.draw(arrays(dt, shape, kind="small", lo=-3, hi=3))
    nd = len(shape)
    axis = data.draw(st.sampled_from([0, -1, None, (), tuple(range(nd))] if nd else [None, ()]))
    keepdims = data.draw(st.booleans())
    check(lambda xp, a: getattr(xp, name).reduce(a, axis=axis, keepdims=keepdims), a)
    if nd:
        check(lambda xp, a: getattr(xp, name).reduce(a), a)  # axis=0 by default
    # NumPy's ufunc method on a starp array dispatches to starp's
    if not AGAINST_NUMPY and axis != ():
        with quiet():
            try:
                e = getattr(np, name).reduce(a, axis=axis, keepdims=keepdims)
            except Exception as exc:  # noqa: BLE001
                with pytest.raises(type(exc).__mro__[-3] if len(type(exc).__mro__) > 2 else Exception):
                    to_numpy(getattr(np, name).reduce(to_starp(a), axis=axis, keepdims=keepdims))
            else:
                assert_same(lazy(getattr(np, name).reduce(to_starp(a), axis=axis, keepdims=keepdims)), e)


def test_reduce_dtype_initial_out():
    a = np.arange(1, 13, dtype=np.int8).reshape(3, 4)
    check(lambda xp, a: xp.add.reduce(a, axis=1, dtype=xp.float32), a)
    check(lambda xp, a: xp.multiply.reduce(a, axis=0), a)  # int8 accumulates in int64
    check(lambda xp, a: xp.maximum.reduce(a, axis=0, initial=6), a)
    check(lambda xp, a: xp.add.reduce(a[:, :0], axis=1, initial=5), a)
    check(lambda xp, a: xp.maximum.reduce(a[:0], axis=0), a)  # zero-size: ValueError
    check(lambda xp, a: xp.maximum.reduce(a, axis=2), a)  # AxisError

    def f(xp, a):
        o = xp.zeros(4, dtype=xp.float64)
        xp.add.reduce(a, axis=0, out=o)
        return o
    check(f, a)


@pytest.mark.parametrize("name", ["add", "multiply", "maximum", "minimum", "logical_or",
                                  "logical_and", "bitwise_xor", "bitwise_or"])
@pytest.mark.parametrize("shape", [(0,), (1,), (7,), (2, 5), (3, 0), (4, 3, 2)], ids=str)
@pytest.mark.parametrize("dt", ["int8", "int64", "float64", "bool"])
def test_accumulate(name, shape, dt):
    if name.startswith("bitwise") and dt == "float64":
        return
    rng = np.random.default_rng(3)
    a = (rng.integers(-3, 4, size=shape)).astype(dt)
    for axis in range(len(shape)):
        check(lambda xp, a: getattr(xp, name).accumulate(a, axis=axis), a)
    check(lambda xp, a: getattr(xp, name).accumulate(a), a)


def test_accumulate_errors_and_out():
    check(lambda xp, a: xp.maximum.accumulate(a), np.float64(3.0))  # 0-d: TypeError
    a = np.array([[3.0, 1.0, 4.0], [1.0, 5.0, 9.0]])
    check(lambda xp, a: xp.add.accumulate(a, axis=1, dtype=xp.float32), a)

    def f(xp, a):
        o = xp.zeros((2, 3))
        xp.maximum.accumulate(a, axis=1, out=o)
        return o
    check(f, a)
    assert_same(lazy(np.maximum.accumulate(to_starp(a), axis=1)), np.maximum.accumulate(a, axis=1))


@pytest.mark.parametrize("name", ["add", "multiply", "subtract", "maximum", "less", "power"])
def test_outer(name):
    a, b = np.arange(1.0, 4.0), np.arange(6.0).reshape(2, 3)
    check(lambda xp, a, b: getattr(xp, name).outer(a, b), a, b)
    check(lambda xp, a: getattr(xp, name).outer(a, 2.0), a)
    check(lambda xp: getattr(xp, name).outer(2, 3))
    check(lambda xp, a, b: getattr(xp, name).outer(a[:0], b), a, b)
    assert_same(lazy(getattr(np, name).outer(to_starp(a), b)), getattr(np, name).outer(a, b))


def test_at():
    a = np.arange(6.0)

    def f(xp, a):
        xp.add.at(a, [0, 0, 2, 5], 1.5)
        xp.negative.at(a, [1])
        return a
    check(f, a)
    x = to_starp(a)
    np.add.at(x, np.array([1, 1]), 1)  # NumPy's method on a starp array writes into it
    e = a.copy()
    np.add.at(e, [1, 1], 1)
    assert_same(x, e)


# --------------------------------------------------------------------------
# __array_function__
# --------------------------------------------------------------------------

@pytest.mark.parametrize("shape", [(), (0,), (5,), (3, 4)], ids=str)
def test_numpy_functions_stay_lazy(shape):
    a = np.arange(int(np.prod(shape)), dtype=np.float64).reshape(shape) - 2
    sa = to_starp(a)
    assert_same(lazy(np.sum(sa)), np.sum(a))
    assert_same(lazy(np.prod(sa)), np.prod(a))
    assert_same(lazy(np.where(sa > 0, sa, a)), np.where(a > 0, a, a))
    assert_same(lazy(np.linalg.norm(sa)), np.linalg.norm(a))
    assert_same(lazy(np.round(sa, 1)), np.round(a, 1))
    assert_same(lazy(np.clip(sa, -1, 1)), np.clip(a, -1, 1))
    assert np.shape(sa) == a.shape and np.ndim(sa) == a.ndim and np.size(sa) == a.size
    if a.ndim:
        with quiet():
            assert_same(lazy(np.mean(sa, axis=0)), np.mean(a, axis=0))
        assert_same(lazy(np.concatenate([sa, a])), np.concatenate([a, a]))
        assert_same(lazy(np.cumsum(sa)), np.cumsum(a))
        if a.size:
            assert_same(lazy(np.fft.fft(sa)), np.fft.fft(a))
        assert_same(lazy(np.stack([a, sa], axis=-1)), np.stack([a, a], axis=-1))


def test_result_type_can_cast():
    x = snp.zeros(3, dtype=snp.float32)
    assert np.result_type(x, 1.0) == np.float32
    assert snp.result_type(x, np.int64) == np.float64
    assert snp.can_cast(x, snp.float64) and not np.can_cast(x, np.int8)


@starp_only
def test_fallback_warns_once():
    from starp.numpy import _interop

    a = np.linspace(-2, 2, 9)
    sa = to_starp(a)
    m = np.arange(12.0).reshape(3, 4)
    sm = to_starp(m)
    # A ufunc starp cannot know (a Python function made a ufunc) and functions it lacks.
    double = np.frompyfunc(lambda x: x * 2, 1, 1)
    label = f"numpy.{double.__name__}"
    windows = np.lib.stride_tricks.sliding_window_view
    for name in (label, "numpy.lib.stride_tricks.sliding_window_view", "numpy.subtract.reduce", "numpy.subtract.accumulate"):
        _interop._WARNED.discard(name)
    with pytest.warns(UserWarning, match=re.escape(label)):
        r = double(sa)
    assert isinstance(r, np.ndarray)
    np.testing.assert_array_equal(r, double(a))
    with pytest.warns(UserWarning, match="numpy.lib.stride_tricks.sliding_window_view"):
        np.testing.assert_array_equal(windows(sm, 2, axis=1), windows(m, 2, axis=1))
    with pytest.warns(UserWarning, match=r"numpy.subtract.reduce"):
        np.testing.assert_array_equal(snp.subtract.reduce(sa), np.subtract.reduce(a))
    with pytest.warns(UserWarning, match=r"numpy.subtract.accumulate"):
        np.testing.assert_array_equal(np.subtract.accumulate(sa), np.subtract.accumulate(a))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        double(sa)  # once only
        windows(sm, 2, axis=1)
        # the fallback's out= is a starp array: it receives the result
        o = to_starp(np.zeros(9))
        double(sa, out=o, casting="unsafe")
        np.testing.assert_array_equal(to_numpy(o), a * 2)


@starp_only
def test_unsupported_keyword_falls_back():
    from starp.numpy import _interop

    _interop._WARNED.discard("numpy.var")
    a = np.arange(6.0).reshape(2, 3)
    m = a.mean(axis=0, keepdims=True)
    with pytest.warns(UserWarning, match="numpy.var"):
        r = np.var(to_starp(a), axis=0, mean=m)
    np.testing.assert_array_equal(r, np.var(a, axis=0, mean=m))


def test_numpy_sum_with_out_stays_in_starp():
    a = np.arange(6.0).reshape(2, 3)
    out = to_starp(np.zeros(3))
    r = np.sum(to_starp(a), axis=0, out=out)
    assert r is out
    np.testing.assert_array_equal(to_numpy(out), a.sum(axis=0))


# --------------------------------------------------------------------------
# array API namespace, finfo / iinfo / version, save / load
# --------------------------------------------------------------------------

@starp_only
def test_array_namespace():
    x = snp.ones(3)
    assert x.__array_namespace__() is snp
    assert x.__array_namespace__(api_version="2023.12") is snp
    with pytest.raises(ValueError):
        x.__array_namespace__(api_version="1999.01")
    compat = pytest.importorskip("array_api_compat")
    assert compat.array_namespace(x) is snp
    assert compat.array_namespace(x, snp.zeros(2)) is snp


def test_finfo_iinfo_version():
    x = snp.zeros(2, dtype=snp.float32)
    if not AGAINST_NUMPY:  # starp also takes the array itself
        assert snp.finfo(x).eps == np.finfo(np.float32).eps
        assert snp.iinfo(snp.zeros(1, dtype=snp.uint16)).max == 65535
    assert snp.finfo(snp.float64).max == np.finfo(np.float64).max
    assert snp.finfo(x.dtype).bits == 32
    assert snp.iinfo(snp.int8).min == -128
    assert snp.version.version == np.__version__ == snp.__version__
    assert snp.version.full_version == np.version.full_version
    assert snp.version.short_version == np.version.short_version


@pytest.fixture
def shared_path(tmp_path):
    """tmp_path, or under mpirun a directory every rank of the job sees (rank 0 writes)."""
    if not starp.under_mpi():
        return tmp_path
    import os
    import pathlib
    import tempfile

    d = pathlib.Path(tempfile.gettempdir()) / f"starp-test-{os.environ.get('PMIX_NAMESPACE', os.getppid())}"
    d.mkdir(exist_ok=True)
    return d


@pytest.mark.parametrize("dt", ["float64", "int8", "complex64", "bool", "uint32"])
@pytest.mark.parametrize("shape", [(), (0,), (7,), (3, 5)], ids=str)
def test_save_load(shared_path, dt, shape):
    tmp_path = shared_path
    a = (np.arange(int(np.prod(shape))) % 5).astype(dt).reshape(shape)
    p = tmp_path / f"a_{dt}_{len(shape)}.npy"
    snp.save(p, to_starp(a) * 2)
    np.testing.assert_array_equal(np.load(p), a * 2)
    b = snp.load(p)
    lazy(b)
    assert_same(b + 1, a * 2 + 1)


def test_savez_and_pickle_default(shared_path):
    tmp_path = shared_path
    a, b = np.arange(4.0), np.ones((2, 2), np.int32)
    p = tmp_path / "z.npz"
    snp.savez(p, to_starp(a), b=to_starp(b))
    with snp.load(p) as z:
        assert sorted(z.files) == ["arr_0", "b"]
        assert_same(lazy(z["arr_0"]), a)
        assert_same(lazy(z["b"]), b)
    import os

    q = tmp_path / f"obj{os.environ.get('OMPI_COMM_WORLD_RANK', '')}.npy"  # each rank its own file
    np.save(q, np.array([{"a": 1}], dtype=object), allow_pickle=True)
    with pytest.raises(ValueError):
        snp.load(q)
