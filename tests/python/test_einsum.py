"""snp.einsum (and dot, vdot, inner, tensordot) against numpy.einsum / NumPy: explicit and
implicit output, ellipsis broadcasting, diagonals, batched contractions, size-1 broadcasting,
integer and bool dtypes, the interleaved form, and NumPy's errors."""

import numpy as np
import pytest

import starp.numpy as snp
from _helpers import check

rng = np.random.default_rng(0)


def R(*shape, dtype=np.float64):
    x = rng.standard_normal(shape)
    if np.dtype(dtype).kind == "b":
        return x > 0
    if np.dtype(dtype).kind in "iu":
        return np.round(x * 3).astype(dtype)
    if np.dtype(dtype).kind == "c":
        return (x + 1j * rng.standard_normal(shape)).astype(dtype)
    return x.astype(dtype)


CASES = [
    ("ij,jk->ik", [(3, 4), (4, 5)]),
    ("ij,jk", [(3, 4), (4, 5)]),  # implicit output
    ("ij->ji", [(3, 4)]),
    ("ji", [(3, 4)]),  # implicit: a transpose
    ("ij", [(3, 4)]),
    ("ii->i", [(4, 4)]),
    ("ii", [(4, 4)]),  # trace
    ("ij->", [(3, 4)]),
    ("ij->j", [(7, 13)]),
    ("ij,ij->i", [(3, 4), (3, 4)]),
    ("ij,ij->ij", [(3, 4), (3, 4)]),
    ("bij,bjk->bik", [(2, 3, 4), (2, 4, 5)]),
    ("bij,bjk->bki", [(2, 3, 4), (2, 4, 5)]),
    ("i,i", [(5,), (5,)]),
    ("i,i->", [(5,), (5,)]),
    ("i,j->ij", [(3,), (4,)]),
    ("i,j", [(3,), (4,)]),
    ("...ij,...jk->...ik", [(2, 3, 4), (2, 4, 5)]),
    ("...ij,...jk->...ik", [(3, 4), (2, 4, 5)]),  # ellipses of different lengths broadcast
    ("...ij,...jk", [(2, 1, 3, 4), (5, 4, 2)]),
    ("...i,...i->...", [(2, 3), (2, 3)]),
    ("i...,i...->...", [(2, 3), (2, 1)]),
    ("...", [(2, 3)]),
    ("i...->...", [(3, 2)]),
    ("ij,jk,kl->il", [(2, 3), (3, 4), (4, 5)]),
    ("ij,jk,kl", [(2, 3), (3, 4), (4, 5)]),
    ("i,i,i", [(6,), (6,), (6,)]),
    ("ij,j->i", [(3, 4), (4,)]),
    ("ij,j", [(3, 4), (1,)]),  # a size-1 summed label broadcasts
    ("ij,kj->ikj", [(3, 4), (1, 4)]),
    ("iij->j", [(3, 3, 2)]),
    ("iji->j", [(3, 2, 3)]),
    ("iii->i", [(3, 3, 3)]),
    ("ijk,ikj->i", [(2, 3, 3), (2, 3, 3)]),
    ("bhqd,bhkd->bhqk", [(2, 3, 4, 5), (2, 3, 6, 5)]),  # attention scores
    ("Ba,aB", [(2, 3), (3, 2)]),  # upper-case labels
    ("ba", [(2, 3)]),  # implicit output is sorted: a transpose
    ("ij,jk->ik", [(0, 3), (3, 4)]),  # empty
    ("ij,jk->ik", [(3, 0), (0, 4)]),  # empty contraction: zeros
    ("i,i", [(0,), (0,)]),
    ("", [()]),
    ("->", [()]),
    ("ij->ij", [(1, 1)]),
    ("i,ij->ij", [(3,), (3, 4)]),
    ("ijkl->lkji", [(2, 3, 1, 2)]),
    ("ijk,jl->ikl", [(2, 3, 4), (3, 5)]),
    ("ij, jk -> ik", [(3, 4), (4, 5)]),  # spaces
]


@pytest.mark.parametrize("subs, shapes", CASES, ids=[c[0] or "empty" for c in CASES])
def test_einsum_float(subs, shapes):
    args = [R(*s) for s in shapes]
    check(lambda xp, *a: xp.einsum(subs, *a), *args, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("dtype", ["int8", "int32", "int64", "uint8", "bool", "float32", "complex128", "complex64"])
@pytest.mark.parametrize("subs, shapes", [
    ("ij,jk->ik", [(3, 4), (4, 5)]), ("ij->", [(3, 4)]), ("i,i", [(5,), (5,)]), ("ii", [(3, 3)]),
    ("i,j->ij", [(3,), (2,)]), ("ij,ij->i", [(3, 4), (3, 4)]), ("bij,bjk->bik", [(2, 3, 4), (2, 4, 2)]),
])
def test_einsum_dtypes(subs, shapes, dtype):
    args = [R(*s, dtype=dtype) for s in shapes]
    rtol = 1e-5 if dtype in ("float32", "complex64") else 1e-12
    check(lambda xp, *a: xp.einsum(subs, *a), *args, rtol=rtol, atol=1e-5)


def test_einsum_mixed_dtypes():
    check(lambda xp, a, b: xp.einsum("ij,jk->ik", a, b), R(3, 4, dtype="int32"), R(4, 2, dtype="float32"), rtol=1e-5)
    check(lambda xp, a, b: xp.einsum("i,i", a, b), R(4, dtype="int8"), R(4, dtype="int16"))


def test_einsum_dtype_argument():
    check(lambda xp, a, b: xp.einsum("ij,jk->ik", a, b, dtype=np.float64), R(3, 4, dtype="int32"), R(4, 2, dtype="int32"))


def test_einsum_interleaved():
    a, b = R(3, 4), R(4, 5)
    check(lambda xp, a, b: xp.einsum(a, [0, 1], b, [1, 2], [0, 2]), a, b, rtol=1e-12)
    check(lambda xp, a, b: xp.einsum(a, [0, 1], b, [1, 2]), a, b, rtol=1e-12)
    check(lambda xp, a: xp.einsum(a, [Ellipsis, 1], [1]), R(2, 3, 4), rtol=1e-12)


def test_einsum_python_lists_and_scalars():
    check(lambda xp: xp.einsum("i,i", [1.0, 2.0, 3.0], [4.0, 5.0, 6.0]))
    check(lambda xp: xp.einsum(",i->i", 2.0, np.arange(3.0)))


def test_einsum_is_lazy_and_composes():
    a, b = R(6, 5), R(5, 4)
    check(lambda xp, a, b: xp.einsum("ij,jk->ik", xp.exp(a) * 2, b.T.T + 1).sum(axis=0), a, b, rtol=1e-12)


ERRORS = [
    ("ij,jk", [(2, 3), (4, 5)]),  # size mismatch
    ("ii", [(2, 3)]),  # diagonal of unequal axes
    ("ij->k", [(2, 2)]),  # output label not in the inputs
    ("ij->ii", [(2, 2)]),  # repeated output label
    ("i1", [(2,)]),  # not a letter
    ("ij,jk", [(2, 3)]),  # too few operands
    ("ij", [(2, 3), (3,)]),  # too many operands
    ("ijk", [(2, 3)]),  # too many subscripts
    ("ij", [(2, 3, 4)]),  # too few subscripts, no ellipsis
    ("i.j", [(2, 3)]),  # stray '.'
    ("..i...", [(2,)]),
    ("i->i->", [(2,)]),
    ("i-j", [(2,)]),
    ("...i->i", [(2, 3)]),  # ellipsis dims without '...' in the output
    ("...i,...i", [(2, 3), (4, 3)]),  # ellipsis dims do not broadcast
]


@pytest.mark.parametrize("subs, shapes", ERRORS, ids=[e[0] for e in ERRORS])
def test_einsum_errors(subs, shapes):
    args = [R(*s) for s in shapes]
    check(lambda xp, *a: xp.einsum(subs, *a), *args)


def test_einsum_error_messages():
    a = snp.ones((2, 3))
    with pytest.raises(ValueError, match="which never appeared in an input"):
        snp.einsum("ij->k", a)
    with pytest.raises(ValueError, match="subscripts must be letters"):
        snp.einsum("i1", a)
    with pytest.raises(ValueError, match="too many subscripts for operand 0"):
        snp.einsum("ijk", a)
    with pytest.raises(ValueError, match="could not be broadcast together"):
        snp.einsum("ij,ij", a, snp.ones((3, 2)))


# ---- dot, vdot, inner, tensordot ----
@pytest.mark.parametrize("sa, sb", [
    ((4,), (4,)), ((3, 4), (4,)), ((4,), (4, 5)), ((3, 4), (4, 5)), ((2, 3, 4), (4,)), ((2, 3, 4), (4, 5)),
    ((2, 3, 4), (5, 4, 2)), ((), (3, 4)), ((3,), ()), ((3, 4), (5, 6)), ((0, 4), (4, 2)),
])
def test_dot(sa, sb):
    check(lambda xp, a, b: xp.dot(a, b), R(*sa), R(*sb), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("sa, sb", [((4,), (4,)), ((3, 4), (5, 4)), ((2, 3, 4), (4,)), ((2, 4), (3, 2, 4)), ((), (3,)), ((3,), (4,))])
def test_inner(sa, sb):
    check(lambda xp, a, b: xp.inner(a, b), R(*sa), R(*sb), rtol=1e-12, atol=1e-12)


def test_vdot():
    check(lambda xp, a, b: xp.vdot(a, b), R(3, 4), R(4, 3), rtol=1e-12)
    check(lambda xp, a, b: xp.vdot(a, b), R(5, dtype="complex128"), R(5, dtype="complex128"), rtol=1e-12)


@pytest.mark.parametrize("sa, sb, axes", [
    ((3, 4, 5), (4, 5, 2), 2), ((3, 4), (4, 5), 1), ((3, 4), (5, 6), 0), ((3, 4, 5), (5, 3, 2), ([0, 2], [1, 0])),
    ((3, 4, 5), (4, 2), (1, 0)), ((2, 3), (3, 2), ([1], [0])), ((3, 4), (5, 4), ([1], [0])),
])
def test_tensordot(sa, sb, axes):
    check(lambda xp, a, b: xp.tensordot(a, b, axes=axes), R(*sa), R(*sb), rtol=1e-12, atol=1e-12)
