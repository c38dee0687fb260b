"""The module surface beyond arrays (starp.numpy._module_surface), against NumPy itself: scalar
types and type tables (NumPy's own objects), dtype queries, error-state and print knobs, display
functions, ``testing``, ``emath``, memory-sharing queries, the ``as*array`` family and
``require``; unsupported dtypes raise TypeError."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import starp.numpy as snp
from _helpers import (
    AGAINST_NUMPY,
    arrays,
    assert_same,
    check,
    quiet,
    shapes,
    starp_only,
    to_numpy,
    to_starp,
)

#: names that must be NumPy's own objects
SAME_OBJECTS = [
    "False_", "ScalarType", "True_", "bool", "byte", "bytes_", "cdouble", "character", "clongdouble",
    "complex256", "complexfloating", "csingle", "datetime64", "double", "euler_gamma", "flexible",
    "float16", "float128", "floating", "generic", "half", "inexact", "int_", "intc", "integer", "intp",
    "little_endian", "long", "longdouble", "longlong", "number", "object_", "sctypeDict", "short",
    "signedinteger", "single", "str_", "timedelta64", "typecodes", "ubyte", "uint", "uintc", "uintp",
    "ulong", "ulonglong", "unsignedinteger", "ushort", "void", "dtypes", "exceptions",
    "promote_types", "iterable", "broadcast_shapes",
    "errstate", "seterr", "geterr", "seterrcall", "geterrcall", "getbufsize", "setbufsize",
    "printoptions", "set_printoptions", "get_printoptions", "format_float_positional",
    "format_float_scientific", "base_repr", "typename", "testing",
]

#: every name this group adds
ALL_NAMES = SAME_OBJECTS + [
    "issubdtype", "min_scalar_type", "common_type", "mintypecode", "isscalar", "isfortran", "array2string",
    "array_repr", "array_str", "binary_repr", "emath", "may_share_memory", "shares_memory",
    "asanyarray", "ascontiguousarray", "asfortranarray", "asarray_chkfinite", "require",
]


def vals(shape, dtype=np.float64):
    n = int(np.prod(shape))
    return (np.arange(n) % 7 - 2).astype(dtype).reshape(shape)


# --------------------------------------------------------------------------
# NumPy's own objects
# --------------------------------------------------------------------------


@pytest.mark.parametrize("name", SAME_OBJECTS)
def test_same_object_as_numpy(name):
    assert getattr(snp, name) is getattr(np, name)


@pytest.mark.parametrize("name", ALL_NAMES)
def test_name_present(name):
    assert hasattr(snp, name)


def test_type_hierarchy_with_starp_dtypes():
    a = to_starp(vals((3,), np.float32))
    assert snp.issubdtype(a.dtype, snp.floating)
    assert not snp.issubdtype(a.dtype, snp.integer)
    assert snp.issubdtype(to_starp(vals(3, np.uint8)).dtype, snp.unsignedinteger)
    assert snp.promote_types(a.dtype, snp.int16) == np.promote_types(np.float32, np.int16)
    assert isinstance(np.float64(1), snp.inexact)
    assert snp.sctypeDict["float32"] is np.float32
    assert snp.typecodes["AllFloat"] == np.typecodes["AllFloat"]
    assert snp.broadcast_shapes((3, 1), (1, 4)) == (3, 4)
    assert snp.euler_gamma == np.euler_gamma


def test_issubdtype_of_an_array_raises():
    check(lambda xp, a: xp.issubdtype(a, xp.floating), vals(3))


def test_bool_name_is_numpys_and_module_still_works():
    # ``bool`` is NumPy's in the namespace (as numpy.bool): functions must not be hurt by it.
    assert snp.bool is np.bool
    check(lambda xp: xp.linspace(0, 1, 5, endpoint=False))
    check(lambda xp: xp.arange(True, 4))
    check(lambda xp: xp.zeros(3, dtype=xp.bool))


# --------------------------------------------------------------------------
# dtype queries
# --------------------------------------------------------------------------


@pytest.mark.parametrize("value", [np.array(300), np.array(-1), np.array(1.5), np.array([300]),
                                   np.array(3, np.uint32), np.zeros((0, 2), np.int8), np.array(1e50),
                                   np.array(1 + 2j), np.array(True)], ids=repr)
def test_min_scalar_type(value):
    assert snp.min_scalar_type(to_starp(value)) == np.min_scalar_type(value)
    assert np.min_scalar_type(to_starp(value)) == np.min_scalar_type(value)


@pytest.mark.parametrize("dts", [("int8",), ("float32",), ("float32", "int16"), ("complex64", "float64"),
                                 ("uint64", "float32"), ("complex64",), ("bool",), ("int8", "bool"), ()],
                         ids=str)
def test_common_type(dts):
    arrs = [vals(3, d) for d in dts]
    try:
        expected = np.common_type(*arrs)
    except TypeError:
        with pytest.raises(TypeError):
            snp.common_type(*[to_starp(a) for a in arrs])
        return
    assert snp.common_type(*[to_starp(a) for a in arrs]) is expected


@pytest.mark.parametrize("chars", [["f", "d"], ["F"], ["i"], [], ["f", "F"]], ids=str)
def test_mintypecode(chars):
    assert snp.mintypecode(chars) == np.mintypecode(chars)
    mixed = chars + [vals(2, np.float32)]
    assert snp.mintypecode(chars + [to_starp(vals(2, np.float32))]) == np.mintypecode(mixed)


def test_isscalar():
    x = vals((7,))
    # a reduction and an element are NumPy scalars; asarray(1) is a 0-d array
    check(lambda xp, a: xp.isscalar(xp.sum(a)), x)
    check(lambda xp, a: xp.isscalar(a[3]), x)
    check(lambda xp, a: xp.isscalar(a), x)
    check(lambda xp, a: xp.isscalar(a), np.array(1.5))
    check(lambda xp: xp.isscalar(xp.asarray(1)))
    check(lambda xp: xp.isscalar(1.5))
    check(lambda xp: xp.isscalar("a"))
    check(lambda xp: xp.isscalar([1]))


@pytest.mark.parametrize("shape", [(), (0,), (7,), (3, 4), (1, 5), (0, 3)], ids=str)
def test_iterable(shape):
    check(lambda xp, a: xp.iterable(a), vals(shape))


@pytest.mark.parametrize("shape", [(), (0,), (7,), (1, 5), (5, 1), (0, 3), (2, 0, 3), (1, 1, 4)], ids=str)
def test_isfortran_where_layout_cannot_matter(shape):
    check(lambda xp, a: xp.isfortran(a), vals(shape))
    check(lambda xp, a: xp.isfortran(a.T), vals(shape))


def test_isfortran_of_numpy_arrays_and_lists():
    f = np.asfortranarray(vals((3, 4)))
    assert snp.isfortran(f) is np.isfortran(f) is True
    assert snp.isfortran(vals((3, 4))) is False
    with pytest.raises(AttributeError):
        snp.isfortran([1, 2])


@starp_only
def test_isfortran_unknown_layout_raises():
    with pytest.raises(NotImplementedError, match="layout"):
        snp.isfortran(to_starp(vals((3, 4))).T)


# --------------------------------------------------------------------------
# error state, buffers, printing
# --------------------------------------------------------------------------


def test_errstate_silences_and_restores():
    before = snp.geterr()
    with snp.errstate(all="ignore"):
        assert snp.geterr()["divide"] == "ignore"
        r = to_numpy(to_starp(np.array([1.0, 0.0])) / 0.0)
    assert snp.geterr() == before
    assert np.isinf(r[0]) and np.isnan(r[1])
    old = snp.seterr(over="ignore")
    try:
        assert np.geterr()["over"] == "ignore"
    finally:
        snp.seterr(**old)
    assert snp.geterrcall() is np.geterrcall()
    assert snp.getbufsize() == np.getbufsize()


def test_printoptions_govern_starp_repr():
    x = vals((7,)) / 3
    with snp.printoptions(precision=2):
        assert repr(to_starp(x)) == repr(x)
        assert str(to_starp(x)) == str(x)
    opts = snp.get_printoptions()
    snp.set_printoptions(precision=3)
    try:
        assert repr(to_starp(x)) == repr(x)
    finally:
        snp.set_printoptions(**opts)


@pytest.mark.parametrize("shape", [(), (0,), (7,), (2, 3), (13, 7), (2, 0, 3)], ids=str)
@pytest.mark.parametrize("dtype", ["float64", "int8", "complex64", "bool", "float32"])
def test_array_display(shape, dtype):
    x = vals(shape, dtype)
    if dtype == "float64" and x.size:
        x = np.asarray(x / 3)
        x.flat[0] = np.nan
    a = to_starp(x)
    assert snp.array2string(a) == np.array2string(x)
    assert snp.array2string(a, precision=2, separator=",", prefix="  ") == \
        np.array2string(x, precision=2, separator=",", prefix="  ")
    assert snp.array_repr(a) == np.array_repr(x)
    assert snp.array_repr(a, max_line_width=20, precision=3) == np.array_repr(x, max_line_width=20, precision=3)
    assert snp.array_str(a) == np.array_str(x)
    # NumPy's own functions dispatch to starp's
    assert np.array_repr(a) == np.array_repr(x)
    assert np.array2string(a) == np.array2string(x)


def test_display_of_scalar_results():
    x = vals((7,)) / 3
    a = to_starp(x)
    assert snp.array_repr(snp.sum(a)) == np.array_repr(np.sum(x))
    assert snp.array2string(snp.sum(a)) == np.array2string(np.sum(x))
    assert snp.format_float_positional(snp.sum(a)) == np.format_float_positional(np.sum(x))
    assert snp.format_float_scientific(a[2], precision=3) == np.format_float_scientific(x[2], precision=3)
    assert snp.format_float_positional(to_starp(np.array(1.5))) == np.format_float_positional(np.array(1.5))


@pytest.mark.parametrize("num", [0, 5, -5, 255, -128, 2**40])
def test_binary_and_base_repr(num):
    n = np.array(num)
    assert snp.binary_repr(to_starp(n)) == np.binary_repr(n)
    assert snp.binary_repr(to_starp(n), width=48) == np.binary_repr(n, width=48)
    assert snp.base_repr(to_starp(n), 3, padding=2) == np.base_repr(n, 3, padding=2)
    assert snp.binary_repr(num) == np.binary_repr(num)
    assert snp.typename("d") == np.typename("d")


# --------------------------------------------------------------------------
# numpy.testing on starp arrays
# --------------------------------------------------------------------------


def test_numpy_testing_on_starp_arrays():
    x = vals((13, 7)) / 7
    a = to_starp(x)
    np.testing.assert_allclose(a, x)
    snp.testing.assert_allclose(a * (1 + 1e-12), x, rtol=1e-9)
    np.testing.assert_array_equal(a, x)
    np.testing.assert_array_almost_equal(a, x)
    np.testing.assert_equal(to_starp(np.array([1, 2])), np.array([1, 2]))
    np.testing.assert_allclose(snp.sum(a), x.sum())
    with pytest.raises(AssertionError):
        np.testing.assert_allclose(a + 1, x)
    with pytest.raises(AssertionError):
        np.testing.assert_array_equal(to_starp(np.array([1, 2])), np.array([1, 3]))


# --------------------------------------------------------------------------
# emath
# --------------------------------------------------------------------------

EMATH_INPUTS = {
    "neg": [-4.0, 4.0, 0.25, 0.0, -0.0, 1.0, 2.0],
    "pos": [4.0, 0.25, 0.0, 1.0, 9.0],
    "big": [2.0, -3.0, 0.5, 1.0, -1.0, 0.0, -0.0, 100.0],
    "unit": [0.5, -0.25, 1.0, -1.0, 0.0],
    "special": [np.nan, np.inf, -np.inf, -2.0, 3.0, 0.5],
}
#: real dtypes whose unconverted results are not float16 in NumPy (starp has no float16)
EMATH_DTYPES = ["float64", "float32", "int16", "int32", "int64", "uint16", "uint32"]


def emath_input(kind, dtype):
    x = np.array(EMATH_INPUTS[kind])
    if np.dtype(dtype).kind in "iu":
        x = x[np.isfinite(x)]
        x = np.trunc(x)
        if np.dtype(dtype).kind == "u":
            x = np.abs(x)
    return x.astype(dtype)


@pytest.mark.parametrize("fn", ["sqrt", "log", "log2", "log10", "arccos", "arcsin", "arctanh"])
@pytest.mark.parametrize("kind", sorted(EMATH_INPUTS))
@pytest.mark.parametrize("dtype", EMATH_DTYPES)
def test_emath_unary(fn, kind, dtype):
    check(lambda xp, a: getattr(xp.emath, fn)(a), emath_input(kind, dtype))


@pytest.mark.parametrize("fn", ["sqrt", "log", "log2", "log10", "arccos", "arcsin", "arctanh"])
@pytest.mark.parametrize("dtype", ["int8", "uint8", "int16", "float32"])
def test_emath_small_types_go_to_complex64(fn, dtype):
    # int8/uint8/int16/uint16/float32 inputs become complex64 (NumPy's _tocomplex)
    x = np.array([-3, 2, 0, 1, 5], dtype=dtype) if dtype != "uint8" else np.array([3, 2, 200], dtype)
    if dtype == "uint8" and fn in ("sqrt", "log", "log2", "log10"):
        pytest.skip("no negative uint8: NumPy's float16 result")
    check(lambda xp, a: getattr(xp.emath, fn)(a), x)


@pytest.mark.parametrize("fn", ["sqrt", "log", "log2", "log10", "arccos", "arcsin", "arctanh"])
@pytest.mark.parametrize("dtype", ["complex64", "complex128"])
def test_emath_complex_inputs(fn, dtype):
    x = np.array([1 + 2j, -3 + 0j, 2 - 1j, -1e-3 - 4j, 0j, 5 + 0j, 0.5 - 0j, complex(np.inf, 1)], dtype=dtype)
    check(lambda xp, a: getattr(xp.emath, fn)(a), x)


@pytest.mark.parametrize("shape", [(), (0,), (13,), (3, 0), (7, 13)], ids=str)
@pytest.mark.parametrize("fn", ["sqrt", "log10", "arccos", "arctanh"])
def test_emath_shapes(shape, fn):
    x = (np.arange(int(np.prod(shape))) % 9 - 4.0).reshape(shape) / 2
    check(lambda xp, a: getattr(xp.emath, fn)(a), x)


@pytest.mark.parametrize("value", [-1, 4, -2.5, 0.5, 3])
@pytest.mark.parametrize("fn", ["sqrt", "log", "log2", "log10", "arccos", "arcsin", "arctanh"])
def test_emath_python_scalars(fn, value):
    check(lambda xp: getattr(xp.emath, fn)(value))


@pytest.mark.parametrize("n,x", [(2, [8.0, 0.5, -4.0]), (-2, [8.0]), (10, [100, 1000]), (0.5, [4.0, -2.0])], ids=str)
def test_emath_logn(n, x):
    check(lambda xp, a: xp.emath.logn(n, a), np.array(x))
    check(lambda xp, a, b: xp.emath.logn(a, b), np.array([2.0, -3.0]), np.array([[8.0], [-1.0]]))


@pytest.mark.parametrize("x,p", [
    ([2.0, 3.0], 2), ([-2.0, 3.0], 2), ([2, 3], -1), ([-2, 3], [2, -1]), ([4.0, -8.0], 0.5),
    ([2, 4], [1, 2]), ([2.0, 3.0], np.array([2], np.int8)),
], ids=str)
def test_emath_power(x, p):
    pn = np.array(p) if isinstance(p, list) else p
    check(lambda xp, a, b: xp.emath.power(a, b), np.array(x), pn)


def test_emath_float32_python_exponent_is_strong():
    # NumPy's emath converts Python scalars to arrays: float32 ** 2 is float64 there
    check(lambda xp, a: xp.emath.power(a, 2), np.array([2.0, 3.0], np.float32))


def test_emath_namespace():
    assert sorted(snp.emath.__all__) == sorted(np.emath.__all__)
    for name in np.emath.__all__:
        assert callable(getattr(snp.emath, name))


# --------------------------------------------------------------------------
# shares_memory, may_share_memory
# --------------------------------------------------------------------------

VIEW_PAIRS = {
    "same": lambda a: (a, a),
    "tail": lambda a: (a, a[1:]),
    "disjoint": lambda a: (a[:3], a[3:]),
    "touching": lambda a: (a[:4], a[3:6]),
    "copy": lambda a: (a, a.copy()),
    "reshape": lambda a: (a.reshape(3, 4), a[5:7]),
    "row_col": lambda a: (a.reshape(3, 4)[1], a.reshape(3, 4)[:, 2]),
    "row_col_miss": lambda a: (a.reshape(3, 4)[1, :2], a.reshape(3, 4)[:, 2]),
    "transpose": lambda a: (a.reshape(3, 4).T, a[11:]),
    "empty": lambda a: (a[:0], a),
    "other": lambda a: (a, a + 1),
    "scalar_elem": lambda a: (a[4:5], a.reshape(3, 4)[1, 0:1]),
}


@pytest.mark.parametrize("pair", sorted(VIEW_PAIRS))
@pytest.mark.parametrize("dtype", ["float64", "bool", "int8", "complex64"])
def test_shares_memory(pair, dtype):
    x = vals((12,), dtype)
    if dtype == "float64":
        x[[1, 5]] = [np.nan, -0.0]
    check(lambda xp, a: xp.shares_memory(*VIEW_PAIRS[pair](a)), x)
    check(lambda xp, a: np.shares_memory(*VIEW_PAIRS[pair](a)), x)
    if np.may_share_memory(*VIEW_PAIRS[pair](x)) == np.shares_memory(*VIEW_PAIRS[pair](x)):
        # (where NumPy's bounds check and the exact answer differ, starp gives the exact one)
        check(lambda xp, a: xp.may_share_memory(*VIEW_PAIRS[pair](a)), x)


def test_shares_memory_broadcast_views():
    x = vals((7,))
    check(lambda xp, a: xp.shares_memory(xp.broadcast_to(a, (2, 7)), a), x)
    check(lambda xp, a: xp.shares_memory(a[2:], xp.broadcast_to(a, (3, 7))), x)
    check(lambda xp, a: xp.shares_memory(a[:2], xp.broadcast_to(a[3:], (3, 4))), x)


def test_shares_memory_interleaved():
    x = vals((12,))
    check(lambda xp, a: xp.shares_memory(a[::2], a[1::2]), x)


@starp_only
def test_may_share_memory_is_exact_for_interleaved_views():
    # NumPy's bounds check says True; starp cannot see addresses and answers exactly (documented)
    a = to_starp(vals((12,)))
    assert snp.may_share_memory(a[::2], a[1::2]) is False
    m = a.reshape(3, 4)
    assert snp.may_share_memory(m[1, :2], m[:, 2]) is False


@starp_only
def test_shares_memory_probe_leaves_values_and_pending_work_alone():
    x = vals((13,))
    x[3] = np.nan
    a = to_starp(x)
    pending = a * 2  # built before the probe: reads the version it saw
    v = a[2:9]
    assert snp.shares_memory(a, v)
    assert not snp.shares_memory(a[:2], a[2:])
    assert_same(a, x)
    assert_same(v, x[2:9])
    assert_same(pending, x * 2)
    # NumPy arrays never share memory with starp arrays (asarray is a snapshot)
    assert snp.shares_memory(a, x) is False
    assert snp.may_share_memory(x, x[1:]) is True


# --------------------------------------------------------------------------
# asanyarray, ascontiguousarray, asfortranarray, asarray_chkfinite, require
# --------------------------------------------------------------------------


@pytest.mark.parametrize("fn", ["asanyarray", "ascontiguousarray", "asfortranarray", "asarray_chkfinite"])
@pytest.mark.parametrize("shape", [(), (0,), (7,), (13, 7), (2, 0, 3)], ids=str)
@pytest.mark.parametrize("dtype", [None, "float32", "int64", "complex128"])
def test_as_array_family(fn, shape, dtype):
    x = vals(shape, np.int16)
    check(lambda xp, a: getattr(xp, fn)(a, dtype=dtype), x)
    check(lambda xp: getattr(xp, fn)(x.tolist(), dtype=dtype))


@pytest.mark.parametrize("fn", ["ascontiguousarray", "asfortranarray"])
def test_contiguous_of_scalars_and_transposes(fn):
    check(lambda xp: getattr(xp, fn)(5.0))
    check(lambda xp: getattr(xp, fn)(xp.float32(2.5)))
    check(lambda xp, a: getattr(xp, fn)(a.T), vals((3, 4)))
    check(lambda xp, a: getattr(xp, fn)(a[::2, 1:]), vals((7, 5)))


def test_asanyarray_arguments():
    x = vals((7,))
    a = to_starp(x)
    assert snp.asanyarray(a) is a
    check(lambda xp, a: xp.asanyarray(a, copy=True), x)
    check(lambda xp: xp.asanyarray([1, 2], copy=False))
    check(lambda xp, a: xp.asanyarray(a, dtype=np.float32, copy=False), x)
    check(lambda xp: xp.asanyarray([1, 2], order="X"))
    check(lambda xp: xp.asanyarray([1, 2], order="F"))
    check(lambda xp: xp.asanyarray([1, 2], device="gpu"))
    check(lambda xp: xp.asanyarray([1, 2], device="cpu"))


def test_asanyarray_copy_true_does_not_alias():
    def f(xp, a):
        b = xp.asanyarray(a, copy=True)
        b[0] = 99
        return xp.concatenate([a, b])

    check(f, vals((7,)))


@starp_only
def test_asanyarray_copy_false_from_numpy_raises():
    with pytest.raises(ValueError, match="avoid copy"):
        snp.asanyarray(vals((3,)), copy=False)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("dtype", ["float64", "float32", "complex64"])
def test_asarray_chkfinite_rejects(bad, dtype):
    x = vals((13,), dtype)
    x[7] = bad
    check(lambda xp, a: xp.asarray_chkfinite(a), x)
    check(lambda xp, a: xp.asarray_chkfinite(a[:7]), x)
    check(lambda xp: xp.asarray_chkfinite([1.0, bad]))
    check(lambda xp: xp.asarray_chkfinite([1, 2], dtype=dtype))


@pytest.mark.parametrize("req", [None, "C", "F", "A", "W", "O", "E", ["C", "W"], "FA", ["OWNDATA", "aligned"],
                                 "CF", ["C", "F_CONTIGUOUS"], "X"], ids=str)
@pytest.mark.parametrize("dtype", [None, "float32"])
def test_require(req, dtype):
    check(lambda xp, a: xp.require(a, dtype=dtype, requirements=req), vals((3, 4)))
    check(lambda xp: xp.require([[1, 2], [3, 4]], dtype=dtype, requirements=req))


@pytest.mark.parametrize("req", ["W", "O"])
def test_require_writeable_owndata_gives_an_array_to_write(req):
    def f(xp, a):
        v = xp.broadcast_to(a, (2, 5))  # read-only in NumPy and starp: require copies it
        r = xp.require(v, requirements=req)
        r[0, 0] = 99
        return xp.concatenate([a, r.ravel()])

    check(f, vals((5,)))


# --------------------------------------------------------------------------
# dtypes starp does not hold: a clear TypeError
# --------------------------------------------------------------------------

UNSUPPORTED = [np.float16, np.longdouble, np.clongdouble, object, str, "S3", "datetime64[s]",
               "timedelta64[ms]", [("a", np.int32)]]


@starp_only
@pytest.mark.parametrize("dt", UNSUPPORTED, ids=str)
def test_unsupported_dtypes_raise_type_error(dt):
    d = np.dtype(dt)
    for make in (lambda: snp.zeros(3, dtype=dt), lambda: snp.ones((2, 2), dtype=dt),
                 lambda: snp.full(2, 0, dtype=dt), lambda: snp.asarray(np.zeros(2, dtype=d)),
                 lambda: snp.array(np.zeros(2, dtype=d)), lambda: snp.arange(3).astype(dt),
                 lambda: snp.asanyarray(np.zeros(2, dtype=d)), lambda: snp.ascontiguousarray(np.zeros(2, dtype=d))):
        with pytest.raises(TypeError, match="starp does not support dtype"):
            make()


@starp_only
def test_unsupported_python_objects_raise_type_error():
    for obj in (["a", "b"], [None, 1], [np.float16(1)]):
        with pytest.raises(TypeError, match="starp does not support dtype"):
            snp.asarray(obj)


# --------------------------------------------------------------------------
# hypothesis: display and chkfinite on random arrays
# --------------------------------------------------------------------------


@given(st.data())
def test_display_and_chkfinite_random(data):
    dt = data.draw(st.sampled_from(["float64", "float32", "int32", "uint8", "bool", "complex128"]))
    shape = data.draw(shapes(max_dims=2, max_side=13))
    x = data.draw(arrays(dt, shape, kind="full" if dt.startswith("float") else "bounded"))
    a = to_starp(x)
    assert snp.array_repr(a) == np.array_repr(x)
    assert snp.array2string(a, precision=4) == np.array2string(x, precision=4)
    with quiet():
        check(lambda xp, v: xp.asarray_chkfinite(v), x)
    assert snp.shares_memory(a, a) == np.shares_memory(x, x)
    if AGAINST_NUMPY:
        return
    assert snp.isscalar(a) is False


def test_broadcast_einsum_path_flatiter_isnat():
    a, b = np.ones((3, 1)), np.arange(4.0)
    sa, sb = to_starp(a), to_starp(b)
    for attr in ("shape", "ndim", "nd", "size", "numiter"):
        assert getattr(snp.broadcast(sa, sb), attr) == getattr(np.broadcast(a, b), attr)
    for opt in ("greedy", "optimal", False):
        m = np.ones((2, 3))
        assert snp.einsum_path("ij,jk,kl", to_starp(m), to_starp(m.T), to_starp(m), optimize=opt) == \
            np.einsum_path("ij,jk,kl", m, m.T, m, optimize=opt)
    assert isinstance(sa.flat, snp.flatiter)
    check(lambda xp, x: xp.isnat(x), a)
