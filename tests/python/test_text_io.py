"""Text and raw-binary I/O (starp.numpy._text_io) against NumPy itself: loadtxt, genfromtxt,
fromregex, savetxt, frombuffer, fromiter, fromstring, fromfile and ndarray.tofile. Files written by
starp must be byte-identical to NumPy's; under mpirun rank 0 writes and every rank reads."""

import io
import os

import numpy as np
import pytest

import starp
import starp.numpy as snp
from _helpers import (
    assert_same,
    check,
    starp_only,
    to_numpy,
    to_starp,
)


@pytest.fixture
def shared_path(tmp_path):
    """tmp_path, or under mpirun a directory every rank of the job sees (rank 0 writes)."""
    if not starp.under_mpi():
        return tmp_path
    import pathlib
    import tempfile

    d = pathlib.Path(tempfile.gettempdir()) / f"starp-test-{os.environ.get('PMIX_NAMESPACE', os.getppid())}"
    d.mkdir(exist_ok=True)
    return d


#: a suffix that keeps files written by NumPy itself on each MPI rank apart
RANK = os.environ.get("OMPI_COMM_WORLD_RANK", "")


def vals(shape, dtype=np.float64):
    n = int(np.prod(shape))
    x = (np.arange(n) % 11 - 4).astype(dtype).reshape(shape)
    if np.dtype(dtype).kind == "f":
        x = x / 3
    return x


def text(s):
    return lambda: io.StringIO(s)


TABLE = "# comment\n1 2 3\n4 5 6\n7 8 9.5\n10 11 12\n"
CSV_MISSING = "a,b,c\n1,2,3\n4,,6\n7,8,\n"


# --------------------------------------------------------------------------
# loadtxt
# --------------------------------------------------------------------------

LOADTXT_CASES = {
    "basic": (TABLE, {}),
    "int": ("1 2\n3 4\n", {"dtype": int}),
    "float32": (TABLE, {"dtype": np.float32}),
    "complex": ("1+2j 3\n-1j 4\n", {"dtype": complex}),
    "bool": ("1 0\n0 1\n", {"dtype": bool}),
    "usecols": (TABLE, {"usecols": (0, 2)}),
    "usecols_int": (TABLE, {"usecols": 1}),
    "skiprows": (TABLE, {"skiprows": 2}),
    "max_rows": (TABLE, {"max_rows": 2}),
    "unpack": (TABLE, {"unpack": True}),
    "unpack_1col": (TABLE, {"unpack": True, "usecols": 1}),
    "ndmin2": ("1 2 3\n", {"ndmin": 2}),
    "ndmin1_single": ("5\n", {"ndmin": 1}),
    "single_value": ("5\n", {}),
    "delimiter": ("1,2\n3,4\n", {"delimiter": ","}),
    "comments": ("1 2 // x\n3 4\n", {"comments": "//"}),
    "converters": ("1 a\n2 b\n", {"converters": {1: lambda s: float(ord(s[0]))}}),
    "bad_value": ("1 2\n3 x\n", {}),
    "ragged": ("1 2\n3\n", {}),
    "nan_inf": ("nan inf\n-inf 1\n", {}),
    "int_overflow": ("300\n", {"dtype": np.uint8}),
}


@pytest.mark.parametrize("case", sorted(LOADTXT_CASES))
def test_loadtxt(case):
    src, kw = LOADTXT_CASES[case]
    check(lambda xp: xp.loadtxt(io.StringIO(src), **kw))


def test_loadtxt_empty_warns_like_numpy():
    with pytest.warns(UserWarning):
        r = snp.loadtxt(io.StringIO(""))
    with pytest.warns(UserWarning):
        assert_same(r, np.loadtxt(io.StringIO("")))


def test_loadtxt_from_file(shared_path):
    x = vals((13, 7))
    p = shared_path / f"in{RANK}.txt"
    np.savetxt(p, x)
    check(lambda xp: xp.loadtxt(p))
    check(lambda xp: xp.loadtxt(str(p), usecols=(1, 3)))
    with open(p) as f:
        assert_same(snp.loadtxt(f), np.loadtxt(p))


@starp_only
def test_loadtxt_structured_not_supported():
    with pytest.raises(TypeError, match="structured"):
        snp.loadtxt(io.StringIO("1 2\n3 4\n"), dtype=[("a", int), ("b", float)])
    with pytest.raises(TypeError, match="structured"):
        snp.loadtxt(io.StringIO("1 2\n3 4\n"), dtype=[("a", int), ("b", float)], unpack=True)
    with pytest.raises(TypeError, match="starp does not support dtype"):
        snp.loadtxt(io.StringIO("a b\n"), dtype=str)


# --------------------------------------------------------------------------
# genfromtxt
# --------------------------------------------------------------------------

GENFROMTXT_CASES = {
    "basic": (TABLE, {}),
    "missing": (CSV_MISSING, {"delimiter": ",", "skip_header": 1}),
    "filling": (CSV_MISSING, {"delimiter": ",", "skip_header": 1, "filling_values": -1}),
    "int_missing": (CSV_MISSING, {"delimiter": ",", "skip_header": 1, "dtype": int, "filling_values": 0}),
    "usecols": (CSV_MISSING, {"delimiter": ",", "skip_header": 1, "usecols": (0, 2)}),
    "skip_footer": (TABLE, {"skip_footer": 1}),
    "unpack": (TABLE, {"unpack": True}),
    "max_rows": (TABLE, {"max_rows": 2}),
    "float32": (TABLE, {"dtype": np.float32}),
    "ndmin": ("1 2\n", {"ndmin": 2}),
    "bad_row": ("1 2\n3 4 5\n", {}),
    "bad_row_skipped": ("1 2\n3 4 5\n", {"invalid_raise": False}),
    "missing_values": ("1 N/A\n3 4\n", {"missing_values": "N/A", "filling_values": 9}),
    "autostrip": ("1 , 2\n3 ,4\n", {"delimiter": ",", "autostrip": True}),
    "nan_text": ("1 x\n3 4\n", {}),
}


@pytest.mark.parametrize("case", sorted(GENFROMTXT_CASES))
def test_genfromtxt(case):
    src, kw = GENFROMTXT_CASES[case]
    check(lambda xp: xp.genfromtxt(io.StringIO(src), **kw))


@starp_only
def test_genfromtxt_unsupported_results():
    with pytest.raises(NotImplementedError, match="masked"):
        snp.genfromtxt(io.StringIO(CSV_MISSING), delimiter=",", skip_header=1, usemask=True)
    with pytest.raises(TypeError, match="structured"):
        snp.genfromtxt(io.StringIO(CSV_MISSING), delimiter=",", names=True)
    with pytest.raises(TypeError, match="structured"):
        snp.genfromtxt(io.StringIO("1 a\n2 b\n"), dtype=None, encoding="utf-8")


# --------------------------------------------------------------------------
# fromregex
# --------------------------------------------------------------------------


def test_fromregex_non_structured_dtype_raises_numpys_error():
    check(lambda xp: xp.fromregex(io.StringIO("1 2 3"), r"(\d)", np.int64))


@starp_only
def test_fromregex_structured_not_supported():
    with pytest.raises(TypeError, match="structured"):
        snp.fromregex(io.StringIO("1 2 3"), r"(\d)", [("num", np.int64)])


# --------------------------------------------------------------------------
# savetxt: byte-identical files
# --------------------------------------------------------------------------

SAVETXT_KW = {
    "default": {},
    "fmt_int": {"fmt": "%d"},
    "fmt_g_delim": {"fmt": "%.4g", "delimiter": ","},
    "fmt_list": {"fmt": ["%.2f", "%10.3e", "%g", "%d", "%.1f", "%s", "%r"]},
    "header_footer": {"header": "h1\nh2", "footer": "end", "comments": "## "},
    "newline": {"newline": ";\n", "fmt": "%.3f"},
    "encoding": {"encoding": "utf-8", "header": "caf\u00e9"},
}


@pytest.mark.parametrize("kw", sorted(SAVETXT_KW))
@pytest.mark.parametrize("shape", [(13, 7), (7,), (0, 7), (1, 7)], ids=str)
def test_savetxt_matches_numpy(shared_path, kw, shape):
    kwargs = SAVETXT_KW[kw]
    x = vals(shape)
    if kw == "fmt_list" and len(shape) == 1:
        kwargs = {"fmt": "%.2f"}
    if kw == "fmt_int":
        x = vals(shape, np.int32)
    p = shared_path / f"s_{kw}_{len(shape)}_{shape[0]}.txt"
    q = shared_path / f"n_{kw}_{len(shape)}_{shape[0]}{RANK}.txt"
    snp.savetxt(p, to_starp(x) * 1, **kwargs)
    np.savetxt(q, x, **kwargs)
    assert p.read_bytes() == q.read_bytes()


@pytest.mark.parametrize("dtype", ["complex128", "bool", "uint64", "float32"])
def test_savetxt_dtypes(shared_path, dtype):
    x = vals((3, 4), dtype)
    p = shared_path / f"sd_{dtype}.txt"
    q = shared_path / f"nd_{dtype}{RANK}.txt"
    snp.savetxt(p, to_starp(x))
    np.savetxt(q, x)
    assert p.read_bytes() == q.read_bytes()
    if dtype in ("complex128", "float32"):
        assert_same(snp.loadtxt(p, dtype=dtype), np.loadtxt(q, dtype=dtype))


def test_savetxt_gzip_roundtrip(shared_path):
    x = vals((7, 13))
    p = shared_path / "g.txt.gz"
    snp.savetxt(p, to_starp(x))
    assert_same(snp.loadtxt(p), np.loadtxt(p))
    assert_same(snp.loadtxt(p), x)


@pytest.mark.parametrize("shape", [(), (2, 3, 4)], ids=str)
def test_savetxt_bad_ndim(shared_path, shape):
    x = vals(shape)
    p = shared_path / f"bad{len(shape)}{RANK}.txt"
    check(lambda xp, a: xp.savetxt(p, a), x)


def test_savetxt_of_lazy_expression(shared_path):
    x = vals((13, 7))
    p = shared_path / "lazy.txt"
    a = to_starp(x)
    snp.savetxt(p, (a.T @ a)[::2] + 1)
    assert_same(snp.loadtxt(p), (x.T @ x)[::2] + 1)


# --------------------------------------------------------------------------
# tofile, fromfile
# --------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", ["float64", "int8", "complex64", "bool", "uint32"])
@pytest.mark.parametrize("shape", [(), (0,), (13,), (7, 13)], ids=str)
def test_tofile_fromfile_binary(shared_path, dtype, shape):
    x = vals(shape, dtype)
    p = shared_path / f"t_{dtype}_{len(shape)}_{x.size}.bin"
    q = shared_path / f"tn_{dtype}_{len(shape)}_{x.size}{RANK}.bin"
    to_starp(x).tofile(p)
    x.tofile(q)
    assert p.read_bytes() == q.read_bytes()
    check(lambda xp: xp.fromfile(q, dtype=dtype))
    check(lambda xp: xp.fromfile(q, dtype=dtype, count=2))
    if x.size > 2:
        check(lambda xp: xp.fromfile(q, dtype=dtype, offset=x.itemsize))


@pytest.mark.parametrize("sep,fmt", [(" ", "%s"), (",", "%.3f"), ("\n", "%g")], ids=str)
def test_tofile_fromfile_text(shared_path, sep, fmt):
    x = vals((3, 5))
    p = shared_path / f"tt_{ord(sep[0])}.txt"
    q = shared_path / f"ttn_{ord(sep[0])}{RANK}.txt"
    to_starp(x).tofile(p, sep=sep, format=fmt)
    x.tofile(q, sep=sep, format=fmt)
    assert p.read_bytes() == q.read_bytes()
    check(lambda xp: xp.fromfile(q, sep=sep))
    check(lambda xp: xp.fromfile(q, dtype=np.float32, sep=sep, count=4))


def test_fromfile_open_file(shared_path):
    x = vals((13,))
    q = shared_path / f"of{RANK}.bin"
    x.tofile(q)
    with open(q, "rb") as f:
        f.seek(8)
        assert_same(snp.fromfile(f, count=3), x[1:4])


# --------------------------------------------------------------------------
# frombuffer, fromiter, fromstring
# --------------------------------------------------------------------------

BUF = np.arange(12, dtype=np.int32).tobytes()

FROMBUFFER_CASES = {
    "int32": (BUF, {"dtype": np.int32}),
    "default_float": (BUF, {}),
    "uint8_count": (BUF, {"dtype": np.uint8, "count": 5}),
    "offset": (BUF, {"dtype": np.int16, "offset": 6}),
    "complex64": (BUF, {"dtype": np.complex64}),
    "bool": (b"\x00\x01\x01", {"dtype": bool}),
    "empty": (b"", {"dtype": np.int8}),
    "bad_size": (b"\x00\x01\x02", {"dtype": np.int16}),
    "bad_count": (BUF, {"dtype": np.int32, "count": 20}),
    "bytearray": (bytearray(BUF), {"dtype": np.float32}),
    "memoryview": (memoryview(BUF)[4:], {"dtype": np.int32}),
}


@pytest.mark.parametrize("case", sorted(FROMBUFFER_CASES))
def test_frombuffer(case):
    buf, kw = FROMBUFFER_CASES[case]
    check(lambda xp: xp.frombuffer(buf, **kw))


@starp_only
def test_frombuffer_is_a_snapshot():
    buf = bytearray(np.arange(4, dtype=np.int32).tobytes())
    a = snp.frombuffer(buf, dtype=np.int32)
    buf[0] = 99
    assert_same(a, np.arange(4, dtype=np.int32))


FROMITER_CASES = {
    "range": (lambda: range(7), {"dtype": int}),
    "gen_float32": (lambda: (i / 3 for i in range(13)), {"dtype": np.float32}),
    "count": (lambda: iter(range(100)), {"dtype": np.int8, "count": 5}),
    "count_too_big": (lambda: range(3), {"dtype": float, "count": 5}),
    "empty": (lambda: [], {"dtype": complex}),
    "bool": (lambda: [True, False, True], {"dtype": bool}),
    "complex": (lambda: [1j, 2, 3 + 1j], {"dtype": np.complex64}),
    "overflow": (lambda: [300], {"dtype": np.uint8}),
}


@pytest.mark.parametrize("case", sorted(FROMITER_CASES))
def test_fromiter(case):
    make, kw = FROMITER_CASES[case]
    check(lambda xp: xp.fromiter(make(), **kw))


FROMSTRING_CASES = {
    "spaces": ("1 2 3.5", {"sep": " "}),
    "commas": ("1,2,3", {"sep": ",", "dtype": int}),
    "count": ("1 2 3 4", {"sep": " ", "count": 2}),
    "float32": ("0.1 0.2", {"sep": " ", "dtype": np.float32}),
    "binary_removed": ("\x01\x02", {"dtype": np.uint8}),
    "empty": ("", {"sep": " "}),
}


@pytest.mark.parametrize("case", sorted(FROMSTRING_CASES))
def test_fromstring(case):
    s, kw = FROMSTRING_CASES[case]
    check(lambda xp: xp.fromstring(s, **kw))


@starp_only
def test_readers_give_starp_arrays():
    assert isinstance(snp.loadtxt(io.StringIO("1 2\n")), snp.ndarray)
    assert isinstance(snp.fromiter(range(3), int), snp.ndarray)
    r = snp.loadtxt(io.StringIO("1 2\n3 4\n"), unpack=True)
    assert isinstance(r, snp.ndarray)
    assert_same(r, np.array([[1.0, 3.0], [2.0, 4.0]]))
    # and they compute like any other starp array
    assert_same(snp.fromstring("1 2 3", sep=" ") * 2, np.array([2.0, 4.0, 6.0]))
    assert to_numpy(snp.frombuffer(BUF, dtype=np.int32).sum()) == 66
