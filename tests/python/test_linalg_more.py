"""The rest of starp.numpy.linalg (cond, matrix_power, multi_dot, matrix_norm, vector_norm,
svdvals, tensorinv, tensorsolve and the array API's names) and the products kron and cross,
against NumPy.

Tolerances: results of LAPACK calls (cond, svdvals, tensorinv/tensorsolve, negative powers) are
compared with rtol = 64 * n * eps * cond(a) (as test_linalg.py; both sides compute in double
precision, float32 results are rounded from it), products of matrices (matrix_power,
multi_dot, tensordot) with rtol = 8 * n * eps(dtype) relative to the largest magnitude of the
result; integer and boolean results, kron and cross exactly (the same products and
differences as NumPy's).
"""

import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import starp.numpy as snp
from _helpers import AGAINST_NUMPY, arrays, assert_same, check, eps, starp_only, to_numpy, to_starp

LinAlgError = np.linalg.LinAlgError
ALL_P = [None, "fro", "nuc", np.inf, -np.inf, 1, -1, 2, -2]


def rand(shape, dtype, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape)
    if np.dtype(dtype).kind == "c":
        x = x + 1j * rng.standard_normal(shape)
    return x.astype(dtype)


def well_conditioned(n, dtype, batch=(), seed=0):
    """A random matrix plus n*I: a condition number of a few units."""
    dt = np.complex128 if np.dtype(dtype).kind == "c" else np.float64
    a = rand(batch + (n, n), dt, seed) + n * np.eye(n)
    if np.dtype(dtype).kind in "iu":
        return np.round(a).astype(dtype)
    return a.astype(dtype)


def close(fn, *args, rtol=None, factor=8.0):
    """fn(np, ...) vs fn(snp, ...): same dtype and shape; values within rtol (default
    factor * n * eps of the result's dtype) relative to the largest magnitude of the result."""
    expected = fn(np, *args)
    actual = fn(snp, *[to_starp(a) if isinstance(a, np.ndarray) else a for a in args])
    e = np.asarray(expected)
    if rtol is None:
        n = max([max(np.shape(a), default=1) for a in args if isinstance(a, np.ndarray)] + [1])
        rtol = factor * n * eps(e.dtype)
    scale = float(np.max(np.abs(e[np.isfinite(e)]))) if e.size and np.isfinite(e).any() else 1.0
    assert_same(actual, expected, rtol=rtol, atol=rtol * scale)
    return to_numpy(actual), e


def raises_like_numpy(fn, *args):
    """NumPy raises; starp raises the same exception type (at the call or at compute)."""
    with pytest.raises(Exception) as e_np:
        fn(np, *args)
    with pytest.raises(type(e_np.value)):
        to_numpy(fn(snp, *[to_starp(a) if isinstance(a, np.ndarray) else a for a in args]))


# ---------------------------------------------------------------------------------------------
# cond
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("p", ALL_P, ids=repr)
@pytest.mark.parametrize("dtype", ["float64", "float32", "complex128", "complex64", "int64"])
@pytest.mark.parametrize("shape", [(1, 1), (2, 2), (7, 7), (2, 3, 3), (3, 13, 13)], ids=repr)
def test_cond(shape, dtype, p):
    a = well_conditioned(shape[-1], dtype, batch=shape[:-2], seed=sum(shape))
    # cond(a) is a few units: the result is good to a few hundred ulps of the double computation
    rtol = 1e-5 if np.dtype(dtype) in (np.float32, np.complex64) else 1e-11
    close(lambda xp, a: xp.linalg.cond(a, p), a, rtol=rtol)


@pytest.mark.parametrize("p", [None, 2, -2], ids=repr)
@pytest.mark.parametrize("shape", [(3, 7), (7, 3), (2, 3, 13)], ids=repr)
def test_cond_rectangular_svd_orders(shape, p):
    a = rand(shape, "float64", seed=3)
    close(lambda xp, a: xp.linalg.cond(a, p), a, rtol=1e-11)


@pytest.mark.parametrize("p", ["fro", np.inf, -np.inf, 1, -1])
@pytest.mark.parametrize("dtype", ["float64", "float32", "complex128"])
def test_cond_singular_is_inf(dtype, p):
    s = np.array([[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [0.0, 1.0, 1.0]], dtype=dtype)  # exactly singular
    assert np.linalg.cond(s, p) == np.inf
    check(lambda xp, a: xp.linalg.cond(a, p), s)


def test_cond_singular_nuc_raises():
    # NumPy: the 'nuc' norm of inv's NaN matrix is an svd of NaNs -> LinAlgError
    s = np.array([[1.0, 2.0], [2.0, 4.0]])
    raises_like_numpy(lambda xp, a: xp.linalg.cond(a, "nuc"), s)


@pytest.mark.parametrize("p", ALL_P, ids=repr)
def test_cond_singular_in_a_stack(p):
    a = well_conditioned(3, "float64", batch=(3,), seed=1)
    a[1] = [[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [0.0, 1.0, 1.0]]
    if p == "nuc":
        raises_like_numpy(lambda xp, a: xp.linalg.cond(a, p), a)
        return
    expected = np.linalg.cond(a, p)
    actual = to_numpy(snp.linalg.cond(to_starp(a), p))
    assert actual.dtype == expected.dtype and actual.shape == expected.shape
    ok = [0, 2]
    assert_same(actual[ok], expected[ok], rtol=1e-11)
    if p in (None, 2, -2):
        # the smallest singular value is rounding noise: only its size is defined
        assert (actual[1] > 1e14 if p != -2 else actual[1] < 1e-14) and (
            expected[1] > 1e14 if p != -2 else expected[1] < 1e-14
        )
    else:
        assert actual[1] == expected[1] == np.inf


def test_cond_ill_conditioned():
    i = np.arange(6)
    h = 1.0 / (i[:, None] + i[None, :] + 1)  # Hilbert, cond ~ 1.5e7
    for p in ALL_P:
        close(lambda xp, a: xp.linalg.cond(a, p), h, rtol=64 * 6 * eps(np.float64) * 1.5e7)


@pytest.mark.parametrize("p", ["fro", 1, np.inf, -np.inf, None, 2, "nuc"], ids=repr)
def test_cond_with_inf_entries(p):
    # NumPy's svd of an inf matrix gives NaNs (cond: inf); inv(x) gives NaNs or zeros
    check(lambda xp, a: xp.linalg.cond(a, p), np.array([[np.inf, 1.0], [1.0, 1.0]]))


@pytest.mark.parametrize("p", ["fro", 1, np.inf, -1], ids=repr)
def test_cond_with_nan_entries_stays_nan(p):
    a = np.array([[[np.nan, 1.0], [1.0, 1.0]], [[2.0, 1.0], [1.0, 3.0]]])
    check(lambda xp, a: xp.linalg.cond(a, p), a, rtol=1e-12)


@pytest.mark.parametrize("p", [None, 2, -2, "nuc"], ids=repr)
def test_cond_svd_of_nan_raises_linalgerror(p):
    check(lambda xp, a: xp.linalg.cond(a, p), np.array([[np.nan, 1.0], [1.0, 1.0]]))


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.complex128])
@pytest.mark.parametrize("name, fn", [
    ("svd", lambda xp, a: xp.linalg.svd(a)),
    ("svdvals", lambda xp, a: xp.linalg.svdvals(a)),
    ("lstsq", lambda xp, a: xp.linalg.lstsq(a, xp.ones(2, a.dtype))),
    ("pinv", lambda xp, a: xp.linalg.pinv(a)),
    ("matrix_rank", lambda xp, a: xp.linalg.matrix_rank(a)),
    ("norm 2", lambda xp, a: xp.linalg.norm(a, 2)),
])
def test_svd_based_functions_of_nan_raise_linalgerror(name, fn, dtype):
    """A NaN makes LAPACK's gesdd/gelsd reject the input; NumPy reports that as LinAlgError."""
    check(fn, np.array([[np.nan, 1.0], [1.0, 1.0]], dtype))


@pytest.mark.parametrize(
    "shape, p",
    [((0, 0), None), ((0, 0), 1), ((3, 0), None), ((0,), None), ((3,), 1), ((3,), None), ((2, 3), 1), ((2, 3), "fro"),
     ((), None), ((3, 3), 3), ((3, 3), "abc"), ((2, 2, 3), -1)],
    ids=repr,
)
def test_cond_errors(shape, p):
    raises_like_numpy(lambda xp, a: xp.linalg.cond(a, p), np.ones(shape))


def test_cond_stack_of_empty_batch():
    check(lambda xp, a: xp.linalg.cond(a), np.ones((0, 3, 3)))
    check(lambda xp, a: xp.linalg.cond(a, 1), np.ones((0, 3, 3)))


# ---------------------------------------------------------------------------------------------
# matrix_power
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("n", [0, 1, 2, 3, 4, 5, 7, 13])
@pytest.mark.parametrize("dtype", ["float64", "float32", "complex128"])
@pytest.mark.parametrize("shape", [(1, 1), (3, 3), (7, 7), (2, 3, 3), (2, 1, 4, 4)], ids=repr)
def test_matrix_power(shape, dtype, n):
    a = (rand(shape, dtype, seed=n) / np.sqrt(shape[-1])).astype(dtype)  # norm ~1: no blow-up
    close(lambda xp, a: xp.linalg.matrix_power(a, n), a, factor=8.0 * max(n, 1))


@pytest.mark.parametrize("n", [-1, -2, -3, -7])
@pytest.mark.parametrize("dtype", ["float64", "float32", "complex128", "int64"])
def test_matrix_power_negative(dtype, n):
    a = well_conditioned(4, dtype, batch=(2,), seed=-n)
    rtol = 1e-5 if dtype == "float32" else 1e-12 * abs(n)
    close(lambda xp, a: xp.linalg.matrix_power(a, n), a, rtol=rtol)


@pytest.mark.parametrize("n", [0, 1, 2, 3, 5, 13])
@pytest.mark.parametrize("dtype", ["int64", "int8", "uint8", "int32", "bool"])
def test_matrix_power_integers_exact(dtype, n):
    # int8/uint8 products wrap around as NumPy's matmul does
    a = np.random.default_rng(n).integers(-3, 4, size=(2, 5, 5))
    a = (a > 0) if dtype == "bool" else a.astype(dtype)
    check(lambda xp, a: xp.linalg.matrix_power(a, n), a)


def test_matrix_power_identity_and_empty():
    check(lambda xp, a: xp.linalg.matrix_power(a, 0), np.arange(9.0).reshape(3, 3))
    for n in (-1, 0, 1, 2, 5):
        check(lambda xp, a: xp.linalg.matrix_power(a, n), np.zeros((0, 0)))
        check(lambda xp, a: xp.linalg.matrix_power(a, n), np.zeros((2, 0, 0)))


@pytest.mark.parametrize(
    "shape, n",
    [((3,), 2), ((), 2), ((2, 3), 2), ((2, 3, 4), 0), ((3, 3), 2.0), ((3, 3), 1.5), ((3, 3), "2")],
    ids=repr,
)
def test_matrix_power_errors(shape, n):
    raises_like_numpy(lambda xp, a: xp.linalg.matrix_power(a, n), np.ones(shape))


def test_matrix_power_singular_negative():
    s = np.array([[1.0, 2.0], [2.0, 4.0]])
    raises_like_numpy(lambda xp, a: xp.linalg.matrix_power(a, -2), s)
    check(lambda xp, a: xp.linalg.matrix_power(a, 3), s)
    check(lambda xp, a: xp.linalg.matrix_power(a, np.int64(3)), s)


# ---------------------------------------------------------------------------------------------
# multi_dot
# ---------------------------------------------------------------------------------------------

CHAINS = [
    [(7, 13), (13, 3), (3, 7)],
    [(3, 13), (13, 7), (7, 2)],
    [(13,), (13, 7), (7, 3)],
    [(7, 13), (13, 3), (3,)],
    [(13,), (13, 7), (7,)],
    [(10, 30), (30, 5), (5, 60), (60, 3)],
    [(2, 13), (13, 1), (1, 7), (7, 13), (13, 3)],
    [(13,), (13, 2), (2, 7), (7, 1), (1, 5), (5,)],
    [(7, 0), (0, 3), (3, 2)],
    [(3, 4), (4, 4)],
    [(4,), (4, 3)],
    [(4,), (4,)],
]


@pytest.mark.parametrize("shapes", CHAINS, ids=repr)
@pytest.mark.parametrize("dtype", ["float64", "float32", "complex128"])
def test_multi_dot(shapes, dtype):
    arrays = [rand(s, dtype, seed=i) for i, s in enumerate(shapes)]
    close(lambda xp, *xs: xp.linalg.multi_dot(list(xs)), *arrays, factor=8.0 * len(shapes))


@pytest.mark.parametrize("shapes", CHAINS, ids=repr)
def test_multi_dot_integers_exact(shapes):
    arrays = [np.random.default_rng(i).integers(-5, 6, size=s) for i, s in enumerate(shapes)]
    check(lambda xp, *xs: xp.linalg.multi_dot(xs), *arrays)
    check(lambda xp, *xs: xp.linalg.multi_dot(list(xs)), *[a.astype(np.int32) for a in arrays])


@starp_only
@pytest.mark.parametrize("seed", range(6))
def test_multi_dot_chain_order_is_numpys(seed):
    from numpy.linalg._linalg import _multi_dot_matrix_chain_order as numpy_order

    from starp.numpy.linalg import _multi_dot_matrix_chain_order as starp_order

    rng = np.random.default_rng(seed)
    dims = list(rng.integers(1, 40, size=rng.integers(4, 9)))
    arrays = [np.empty((dims[i], dims[i + 1])) for i in range(len(dims) - 1)]
    expected = numpy_order(arrays)
    actual = starp_order(arrays)
    n = len(arrays)
    assert [[actual[i][j] for j in range(i + 1, n)] for i in range(n)] == [
        [int(expected[i, j]) for j in range(i + 1, n)] for i in range(n)
    ]


@pytest.mark.parametrize(
    "shapes",
    [[(3, 3)], [], [(2, 3), (3, 2, 2), (2, 2)], [(2, 3), (4, 2), (2, 2)], [(3,), (3,), (3, 2)], [(), (3, 3), (3, 3)],
     [(2, 3), (3, 3), (2, 3, 3)]],
    ids=repr,
)
def test_multi_dot_errors(shapes):
    raises_like_numpy(lambda xp, *xs: xp.linalg.multi_dot(list(xs)), *[np.ones(s) for s in shapes])


# ---------------------------------------------------------------------------------------------
# matrix_norm, vector_norm, svdvals
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("ord", ["fro", "nuc", np.inf, -np.inf, 1, -1, 2, -2], ids=repr)
@pytest.mark.parametrize("dtype", ["float64", "float32", "complex128", "int64"])
@pytest.mark.parametrize("shape", [(7, 13), (2, 3, 13), (1, 1)], ids=repr)
def test_matrix_norm(shape, dtype, ord, keepdims):
    a = rand(shape, dtype, seed=2) if dtype != "int64" else np.arange(np.prod(shape)).reshape(shape) - 20
    close(lambda xp, a: xp.linalg.matrix_norm(a, ord=ord, keepdims=keepdims), a, factor=16.0)


def test_matrix_norm_errors():
    raises_like_numpy(lambda xp, a: xp.linalg.matrix_norm(a), np.ones(3))
    raises_like_numpy(lambda xp, a: xp.linalg.matrix_norm(a, ord=3), np.ones((3, 3)))
    check(lambda xp, a: xp.linalg.matrix_norm(a), np.ones((0, 3)))


@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("axis", [None, 0, -1, (0, 2), (-1, 0), (1,), (0, 1, 2)], ids=repr)
@pytest.mark.parametrize("ord", [2, 1, np.inf, -np.inf, 0, 3, -1, 0.5], ids=repr)
@pytest.mark.parametrize("dtype", ["float64", "float32", "complex64", "int32"])
def test_vector_norm(dtype, ord, axis, keepdims):
    a = rand((3, 7, 2), dtype, seed=5) if dtype != "int32" else (np.arange(42).reshape(3, 7, 2) - 21).astype(dtype)
    close(lambda xp, a: xp.linalg.vector_norm(a, axis=axis, keepdims=keepdims, ord=ord), a, factor=16.0)


@pytest.mark.parametrize("shape", [(), (0,), (7,), (13,), (0, 3)], ids=repr)
@pytest.mark.parametrize("keepdims", [False, True])
def test_vector_norm_small_shapes(shape, keepdims):
    a = np.arange(np.prod(shape), dtype=np.float64).reshape(shape) - 3.5
    check(lambda xp, a: xp.linalg.vector_norm(a, keepdims=keepdims), a, rtol=1e-14)
    check(lambda xp, a: xp.linalg.vector_norm(a, keepdims=keepdims, ord=np.inf), a)


def test_vector_norm_nan_and_errors():
    a = np.array([1.0, np.nan, -3.0])
    for o in (2, 1, np.inf, -np.inf, 0):
        check(lambda xp, a: xp.linalg.vector_norm(a, ord=o), a)
    raises_like_numpy(lambda xp, a: xp.linalg.vector_norm(a, axis=3), np.ones((2, 3)))
    raises_like_numpy(lambda xp, a: xp.linalg.vector_norm(a, axis=(0, 0)), np.ones((2, 3)))


@pytest.mark.parametrize("dtype", ["float64", "float32", "complex128", "complex64", "int64"])
@pytest.mark.parametrize("shape", [(7, 13), (13, 7), (2, 3, 3), (1, 1), (0, 3)], ids=repr)
def test_svdvals(shape, dtype):
    a = rand(shape, dtype, seed=9) if dtype != "int64" else np.arange(np.prod(shape)).reshape(shape) % 5
    rtol = 1e-5 if np.dtype(dtype) in (np.float32, np.complex64) else 1e-12
    close(lambda xp, a: xp.linalg.svdvals(a), a, rtol=rtol)


def test_svdvals_errors():
    raises_like_numpy(lambda xp, a: xp.linalg.svdvals(a), np.ones(3))


# ---------------------------------------------------------------------------------------------
# tensorinv, tensorsolve
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "shape, ind",
    [((4, 6, 8, 3), 2), ((6, 2, 3), 1), ((2, 3, 6), 2), ((3, 3), 1), ((2, 2, 2, 2), 2), ((7, 7), 1)],
    ids=repr,
)
@pytest.mark.parametrize("dtype", ["float64", "float32", "complex128", "int64"])
def test_tensorinv(shape, ind, dtype):
    n = int(np.prod(shape[ind:]))
    a = well_conditioned(n, dtype, seed=n).reshape(shape)
    rtol = 1e-5 if dtype == "float32" else 1e-12
    close(lambda xp, a: xp.linalg.tensorinv(a, ind=ind), a, rtol=rtol)


def test_tensorinv_errors():
    raises_like_numpy(lambda xp, a: xp.linalg.tensorinv(a, ind=0), np.eye(4).reshape(4, 2, 2))
    raises_like_numpy(lambda xp, a: xp.linalg.tensorinv(a, ind=1), np.ones((4, 2, 3)))
    raises_like_numpy(lambda xp, a: xp.linalg.tensorinv(a, ind=2), np.ones((2, 2, 2, 2)))  # singular
    check(lambda xp, a: xp.linalg.tensorinv(a, ind=1), np.ones((0, 0)))


@pytest.mark.parametrize(
    "ashape, bshape, axes",
    [((6, 2, 3), (6,), None), ((6, 4, 2, 3, 4), (6, 4), None), ((2, 3, 6), (6,), (0, 1)), ((3, 3), (3,), None),
     ((4, 2, 2), (4,), None), ((2, 6, 3), (6,), (0, 2))],
    ids=repr,
)
@pytest.mark.parametrize("dtype", ["float64", "complex128"])
def test_tensorsolve(ashape, bshape, axes, dtype):
    n = int(np.prod(bshape))
    a = well_conditioned(n, dtype, seed=n)
    if axes is None:
        a = a.reshape(ashape)
    else:
        # build `a` so that moving `axes` to the end gives the square (b-shape, x-shape) system
        rest = [k for k in range(len(ashape)) if k not in axes]
        perm_shape = [ashape[k] for k in rest] + [ashape[k] for k in axes]
        a = np.moveaxis(a.reshape(perm_shape), list(range(len(rest), len(ashape))), list(axes))
    b = rand(bshape, dtype, seed=1)
    close(lambda xp, a, b: xp.linalg.tensorsolve(a, b, axes=axes), a, b, rtol=1e-12)


def test_tensorsolve_errors():
    raises_like_numpy(lambda xp, a, b: xp.linalg.tensorsolve(a, b), np.ones((6, 2, 2)), np.ones(6))
    raises_like_numpy(lambda xp, a, b: xp.linalg.tensorsolve(a, b), np.ones((2, 2, 2)), np.ones(4))
    raises_like_numpy(lambda xp, a, b: xp.linalg.tensorsolve(a, b, axes=(5,)), np.ones((4, 4)), np.ones(4))


# ---------------------------------------------------------------------------------------------
# the array API's names in linalg
# ---------------------------------------------------------------------------------------------


def test_array_api_linalg_names():
    a = rand((2, 3, 3), "float64", seed=1)
    b = rand((2, 3, 3), "float64", seed=2)
    v = rand((7,), "float64", seed=3)
    w = rand((13,), "float64", seed=4)
    check(lambda xp, a, b: xp.linalg.cross(a, b), a, b, rtol=1e-15)
    check(lambda xp, a, b: xp.linalg.cross(a, b, axis=1), a, b, rtol=1e-15)
    check(lambda xp, a, b: xp.linalg.outer(a, b), v, w)
    check(lambda xp, a: xp.linalg.diagonal(a), a)
    check(lambda xp, a: xp.linalg.diagonal(a, offset=1), a)
    check(lambda xp, a: xp.linalg.diagonal(a, offset=-2), a)
    check(lambda xp, a: xp.linalg.trace(a), a, rtol=1e-15)
    check(lambda xp, a: xp.linalg.trace(a, offset=1, dtype=np.float32), a, rtol=1e-6)
    check(lambda xp, a: xp.linalg.trace(a), np.arange(24, dtype=np.int8).reshape(2, 3, 4))
    close(lambda xp, a, b: xp.linalg.matmul(a, b), a, b)
    check(lambda xp, a: xp.linalg.matrix_transpose(a), a)
    close(lambda xp, a, b: xp.linalg.vecdot(a, b), a, b)
    close(lambda xp, a, b: xp.linalg.vecdot(a, b, axis=0), a, b)
    t = rand((3, 3, 4), "float64", seed=6)
    close(lambda xp, a, b: xp.linalg.tensordot(a, b), a, t)
    close(lambda xp, a, b: xp.linalg.tensordot(a, b, axes=1), a, t)
    close(lambda xp, a, b: xp.linalg.tensordot(a, b, axes=([1, 2], [1, 0])), a, t)
    raises_like_numpy(lambda xp, a, b: xp.linalg.tensordot(a, b), a, b)
    c = rand((4, 3), "complex128", seed=5)
    close(lambda xp, a, b: xp.linalg.vecdot(a, b), c, c[::-1])


def test_array_api_linalg_errors():
    raises_like_numpy(lambda xp, a, b: xp.linalg.cross(a, b), np.ones((4, 2)), np.ones((4, 2)))
    raises_like_numpy(lambda xp, a, b: xp.linalg.cross(a, b, axis=0), np.ones((4, 3)), np.ones((4, 3)))
    raises_like_numpy(lambda xp, a, b: xp.linalg.outer(a, b), np.ones((2, 2)), np.ones(3))
    raises_like_numpy(lambda xp, a, b: xp.linalg.outer(a, b), np.ones(()), np.ones(3))
    raises_like_numpy(lambda xp, a: xp.linalg.matrix_transpose(a), np.ones(3))
    raises_like_numpy(lambda xp, a, b: xp.linalg.vecdot(a, b), np.ones(3), np.ones(4))


# ---------------------------------------------------------------------------------------------
# kron
# ---------------------------------------------------------------------------------------------

KRON_SHAPES = [
    ((), ()), ((), (3,)), ((7,), ()), ((2,), (3,)), ((2, 3), (3, 2)), ((7,), (2, 3)), ((2, 3), (7,)),
    ((2, 1, 3), (3, 2)), ((0,), (3,)), ((2, 0), (3, 4)), ((1, 1), (1,)), ((3, 13), (2, 1)),
]


@pytest.mark.parametrize("sa, sb", KRON_SHAPES, ids=repr)
@pytest.mark.parametrize("da, db", [("float64", "float64"), ("int64", "float32"), ("int8", "int8"), ("bool", "bool"),
                                    ("complex64", "float64"), ("uint8", "int16")])
def test_kron(sa, sb, da, db):
    rng = np.random.default_rng(0)
    a = rng.integers(-9, 10, size=sa).astype(da)
    b = rng.integers(-9, 10, size=sb).astype(db)
    check(lambda xp, a, b: xp.kron(a, b), a, b, rtol=0)


def test_kron_python_inputs():
    check(lambda xp: xp.kron([1, 2], [[1.5], [2.0]]), rtol=0)
    check(lambda xp: xp.kron(3, [1, 2]), rtol=0)
    check(lambda xp, b: xp.kron(2.5, b), np.arange(6, dtype=np.float32).reshape(2, 3), rtol=0)


@given(data=st.data())
def test_kron_hypothesis(data):
    sa = data.draw(st.lists(st.integers(0, 4), max_size=3).map(tuple))
    sb = data.draw(st.lists(st.integers(0, 4), max_size=3).map(tuple))
    a = data.draw(arrays("int32", sa, kind="small"))
    b = data.draw(arrays("float64", sb))
    check(lambda xp, a, b: xp.kron(a, b), a, b, rtol=0)


# ---------------------------------------------------------------------------------------------
# cross
# ---------------------------------------------------------------------------------------------

CROSS_CASES = [
    ((3,), (3,), {}), ((7, 3), (3,), {}), ((3,), (13, 3), {}), ((2, 7, 3), (7, 3), {}), ((3, 7), (3, 7), {"axis": 0}),
    ((3, 7), (7, 3), {"axisa": 0}), ((7, 3), (3, 7), {"axisb": 0, "axisc": 0}), ((2, 3, 4), (4, 3), {"axisa": 1, "axisc": 1}),
    ((0, 3), (3,), {}), ((3,), (3,), {"axisc": 0}), ((1, 3), (5, 1, 3), {"axisc": -2}),
]
CROSS2_CASES = [
    ((2,), (2,), {}), ((7, 2), (2,), {}), ((2,), (3,), {}), ((3,), (2,), {}), ((7, 2), (7, 3), {}),
    ((2, 7), (3, 7), {"axis": 0}), ((4, 3), (2,), {"axisc": 0}), ((0, 2), (2,), {}),
]
CROSS_DTYPES = [("float64", "float64"), ("float32", "float32"), ("int64", "int64"), ("int8", "int8"),
                ("uint8", "uint8"), ("int32", "float32"), ("complex128", "float64"), ("int8", "uint8")]


@pytest.mark.parametrize("sa, sb, kw", CROSS_CASES, ids=repr)
@pytest.mark.parametrize("da, db", CROSS_DTYPES)
def test_cross(sa, sb, kw, da, db):
    rng = np.random.default_rng(1)
    a = rng.integers(-50, 50, size=sa).astype(da) if np.dtype(da).kind != "c" else rand(sa, da, 1)
    b = rng.integers(-50, 50, size=sb).astype(db) if np.dtype(db).kind != "c" else rand(sb, db, 2)
    if np.dtype(da).kind == "f":
        a = a + rng.standard_normal(sa).astype(da)
    check(lambda xp, a, b: xp.cross(a, b, **kw), a, b, rtol=0)


@pytest.mark.parametrize("sa, sb, kw", CROSS2_CASES, ids=repr)
@pytest.mark.parametrize("da, db", CROSS_DTYPES)
def test_cross_2_vectors(sa, sb, kw, da, db):
    rng = np.random.default_rng(2)
    a = rng.integers(-50, 50, size=sa).astype(da) if np.dtype(da).kind != "c" else rand(sa, da, 1)
    b = rng.integers(-50, 50, size=sb).astype(db) if np.dtype(db).kind != "c" else rand(sb, db, 2)
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        expected = np.cross(a, b, **kw)
        actual = snp.cross(to_starp(a), to_starp(b), **kw)
    assert sum(issubclass(x.category, DeprecationWarning) for x in w) == 2
    assert_same(actual, expected, rtol=0)


def test_cross_deprecation_warning_type():
    with pytest.warns(DeprecationWarning, match="2-dimensional vectors are deprecated"):
        snp.cross(to_starp(np.ones(2)), to_starp(np.ones(2)))


def test_cross_special_values():
    a = np.array([[np.nan, 1.0, 2.0], [np.inf, 0.0, -0.0], [1e308, 1e308, 1.0]])
    b = np.array([[1.0, 2.0, 3.0], [1.0, np.inf, 2.0], [1e308, -1e308, 2.0]])
    check(lambda xp, a, b: xp.cross(a, b), a, b, rtol=0)


@pytest.mark.parametrize(
    "sa, sb, kw",
    [((), (3,), {}), ((3,), (), {}), ((4,), (3,), {}), ((3,), (1,), {}), ((2, 3), (4, 3), {}), ((3,), (3,), {"axisa": 1}),
     ((3,), (3,), {"axisb": -2}), ((3,), (3,), {"axisc": 1}), ((2, 3), (2, 3), {"axis": 2})],
    ids=repr,
)
def test_cross_errors(sa, sb, kw):
    raises_like_numpy(lambda xp, a, b: xp.cross(a, b, **kw), np.ones(sa), np.ones(sb))


def test_cross_bool_raises_like_numpy():
    for s in ((3,), (2,)):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            raises_like_numpy(lambda xp, a, b: xp.cross(a, b), np.ones(s, bool), np.ones(s, bool))


@given(data=st.data())
def test_cross_hypothesis(data):
    batch_a = data.draw(st.lists(st.integers(1, 4), max_size=2).map(tuple))
    batch_b = batch_a[data.draw(st.integers(0, len(batch_a))):]
    a = data.draw(arrays("int16", batch_a + (3,), kind="small"))
    b = data.draw(arrays("int64", batch_b + (3,)))
    check(lambda xp, a, b: xp.cross(a, b), a, b)
