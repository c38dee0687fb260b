"""starp.numpy.linalg against numpy.linalg.

Factorizations whose factors are not unique (qr, svd, eig, eigh vectors) are checked by
reconstruction and by comparing the unique parts (R's diagonal magnitudes, singular values,
sorted eigenvalues) with NumPy's. Tolerances scale with the condition number.
"""

import numpy as np
import pytest

import starp.numpy as snp
from _helpers import assert_close, assert_same, check, eps, is_starp, starp_only, to_numpy, to_starp

LinAlgError = np.linalg.LinAlgError
SIZES = [1, 2, 3, 5, 7]
DTYPES = ["float64", "float32", "complex128"]


def rand(shape, dtype, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape)
    if np.dtype(dtype).kind == "c":
        x = x + 1j * rng.standard_normal(shape)
    return x.astype(dtype)


def well_conditioned(n, dtype, batch=(), seed=0):
    """A random matrix plus n*I: condition number of a few units."""
    return (rand(batch + (n, n), dtype, seed) + n * np.eye(n)).astype(dtype)


def spd(n, dtype, batch=(), seed=0):
    a = rand(batch + (n, n), dtype, seed)
    return (a @ np.conj(np.swapaxes(a, -1, -2)) + n * np.eye(n)).astype(dtype)


def hilbert(n):
    i = np.arange(n)
    return 1.0 / (i[:, None] + i[None, :] + 1)


def cond(a):
    a = np.asarray(a, dtype=np.complex128 if np.iscomplexobj(a) else np.float64)
    if a.size == 0:
        return 1.0
    return float(np.max(np.linalg.cond(a)))


def tol(a, expected, factor=1.0):
    """(rtol, atol) for a result of a computation on `a` whose error grows with cond(a)."""
    e = np.asarray(expected)
    ep = eps(e.dtype)
    c = cond(a) * factor
    scale = float(np.max(np.abs(e))) if e.size else 1.0
    n = max(np.shape(a)[-1] if np.ndim(a) else 1, 1)
    return 64 * n * ep * c, 64 * n * ep * c * scale


def compare(fn, a, *more, factor=1.0):
    """fn(np, ...) vs fn(snp, ...): same dtype and shape, values within the cond-scaled tolerance."""
    expected = fn(np, a, *more)
    actual = fn(snp, to_starp(a), *[to_starp(m) if isinstance(m, np.ndarray) else m for m in more])
    rtol, atol = tol(a, expected, factor)
    assert_same(actual, expected, rtol=rtol, atol=atol)
    return to_numpy(actual), np.asarray(expected)


def ct(x):
    return np.conj(np.swapaxes(x, -1, -2))


# ---------------------------------------------------------------------------------------------
# inv, solve, det, slogdet
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("n", SIZES)
def test_inv_det_slogdet(n, dtype):
    a = well_conditioned(n, dtype, seed=n)
    compare(lambda xp, a: xp.linalg.inv(a), a)
    compare(lambda xp, a: xp.linalg.det(a), a)
    compare(lambda xp, a: xp.linalg.slogdet(a)[0], a)
    compare(lambda xp, a: xp.linalg.slogdet(a)[1], a)


@pytest.mark.parametrize("dtype", DTYPES + ["int64", "complex64"])
def test_batched_inv_det(dtype):
    a = well_conditioned(3, "complex128" if "complex" in dtype else "float64", batch=(2,), seed=4)
    a = np.round(a * 4).astype(dtype) if dtype == "int64" else a.astype(dtype)
    compare(lambda xp, a: xp.linalg.inv(a), a)
    compare(lambda xp, a: xp.linalg.det(a), a)
    compare(lambda xp, a: xp.linalg.slogdet(a).logabsdet, a)
    b = well_conditioned(2, "float64", batch=(2, 3), seed=5)
    compare(lambda xp, a: xp.linalg.inv(a), b)
    compare(lambda xp, a: xp.linalg.det(a), b)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize(
    "sa, sb",
    [((1, 1), (1,)), ((3, 3), (3,)), ((5, 5), (5, 2)), ((7, 7), (7, 7)), ((2, 3, 3), (3,)), ((2, 3, 3), (2, 3, 4)),
     ((2, 1, 3, 3), (4, 3, 2)), ((3, 3), (2, 3, 1)), ((4, 4), (4, 0))],
    ids=repr,
)
def test_solve(sa, sb, dtype):
    n = sa[-1]
    a = well_conditioned(n, dtype, batch=sa[:-2], seed=7)
    b = rand(sb, dtype, seed=8)
    compare(lambda xp, a, b: xp.linalg.solve(a, b), a, b)


def test_solve_mixed_dtypes():
    a = well_conditioned(3, "float32", seed=1)
    b = rand((3,), "complex128", seed=2)
    compare(lambda xp, a, b: xp.linalg.solve(a, b), a, b)
    compare(lambda xp, a, b: xp.linalg.solve(a, b), a.astype(np.int32) + 1, np.arange(3))


@pytest.mark.parametrize("n", [3, 5, 6])
def test_ill_conditioned(n):
    h = hilbert(n)  # cond up to ~1.5e7
    compare(lambda xp, a: xp.linalg.inv(a), h)
    compare(lambda xp, a, b: xp.linalg.solve(a, b), h, np.ones(n))
    compare(lambda xp, a: xp.linalg.det(a), h)
    s_np = np.linalg.svd(h, compute_uv=False)
    s = to_numpy(snp.linalg.svd(to_starp(h), compute_uv=False))
    assert_close(s, s_np, rtol=1e-12, atol=1e-14 * s_np[0])


@pytest.mark.parametrize("dtype", ["float64", "complex128", "float32"])
def test_singular_matrices_raise_at_compute(dtype):
    s = np.array([[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [0.0, 1.0, 1.0]], dtype=dtype)
    for f in (lambda xp, a: xp.linalg.inv(a), lambda xp, a: xp.linalg.solve(a, xp.asarray([1.0, 2.0, 3.0]))):
        with pytest.raises(LinAlgError, match="Singular matrix"):
            f(np, s)
        with pytest.raises(LinAlgError, match="Singular matrix"):
            to_numpy(f(snp, to_starp(s)))
    assert to_numpy(snp.linalg.det(to_starp(s))) == np.linalg.det(s) == 0
    sign, logdet = snp.linalg.slogdet(to_starp(s))
    assert to_numpy(sign) == 0 and to_numpy(logdet) == -np.inf


def test_one_singular_matrix_in_a_batch_fails_the_batch():
    a = well_conditioned(2, "float64", batch=(3,))
    a[1] = [[1.0, 1.0], [1.0, 1.0]]
    with pytest.raises(LinAlgError, match="Singular matrix"):
        to_numpy(snp.linalg.inv(to_starp(a)))


@starp_only
def test_data_dependent_errors_wait_for_compute():
    s = np.ones((3, 3))
    r = snp.linalg.inv(to_starp(s))  # lazy: no error yet
    assert is_starp(r)
    with pytest.raises(LinAlgError):
        r.compute()
    c = snp.linalg.cholesky(to_starp(-np.eye(2)))
    with pytest.raises(LinAlgError, match="Matrix is not positive definite"):
        c.compute()


@pytest.mark.parametrize(
    "fn",
    [
        lambda xp, a: xp.linalg.inv(a), lambda xp, a: xp.linalg.det(a), lambda xp, a: xp.linalg.slogdet(a),
        lambda xp, a: xp.linalg.cholesky(a), lambda xp, a: xp.linalg.eigh(a), lambda xp, a: xp.linalg.eigvalsh(a),
        lambda xp, a: xp.linalg.eig(a), lambda xp, a: xp.linalg.eigvals(a), lambda xp, a: xp.linalg.solve(a, a),
    ],
)
@pytest.mark.parametrize("shape", [(3,), (2, 3), (2, 3, 4), ()], ids=repr)
def test_shape_errors_at_the_call(fn, shape):
    a = np.ones(shape)
    with pytest.raises(LinAlgError) as e_np:
        fn(np, a)
    with pytest.raises(LinAlgError) as e_sp:
        fn(snp, to_starp(a))  # raised when the operation is written
    assert str(e_sp.value) == str(e_np.value)


@pytest.mark.parametrize("fn", [lambda xp, a: xp.linalg.svd(a), lambda xp, a: xp.linalg.qr(a), lambda xp, a: xp.linalg.pinv(a)])
def test_1d_input_errors(fn):
    with pytest.raises(LinAlgError, match="1-dimensional array given. Array must be at least two-dimensional"):
        fn(snp, to_starp(np.ones(3)))


@pytest.mark.parametrize(
    "a, b",
    [((3, 3), (2,)), ((3, 3), (2, 1)), ((3, 3), ()), ((2, 3, 3), (4, 3, 1))],
    ids=repr,
)
def test_solve_shape_errors(a, b):
    check(lambda xp, a, b: xp.linalg.solve(a, b), np.eye(a[-1]) * np.ones(a), np.ones(b))


def test_empty_matrices():
    e = np.zeros((0, 0))
    for f in (
        lambda xp, a: xp.linalg.inv(a), lambda xp, a: xp.linalg.det(a), lambda xp, a: xp.linalg.slogdet(a)[0],
        lambda xp, a: xp.linalg.slogdet(a)[1], lambda xp, a: xp.linalg.cholesky(a), lambda xp, a: xp.linalg.eigvalsh(a),
        lambda xp, a: xp.linalg.eigh(a)[1], lambda xp, a: xp.linalg.eigvals(a), lambda xp, a: xp.linalg.pinv(a),
        lambda xp, a: xp.linalg.matrix_rank(a),
    ):
        check(f, e)
    for shape in [(0, 3), (3, 0), (2, 0, 0)]:
        z = np.zeros(shape)
        for full in (True, False):
            check(lambda xp, a: xp.linalg.svd(a, full_matrices=full)[0], z)
            check(lambda xp, a: xp.linalg.svd(a, full_matrices=full)[1], z)
            check(lambda xp, a: xp.linalg.svd(a, full_matrices=full)[2], z)
        for mode in ("reduced", "complete"):
            check(lambda xp, a: xp.linalg.qr(a, mode=mode)[0], z)
            check(lambda xp, a: xp.linalg.qr(a, mode=mode)[1], z)
        check(lambda xp, a: xp.linalg.pinv(a), z)
        check(lambda xp, a: xp.linalg.norm(a), z)


# ---------------------------------------------------------------------------------------------
# cholesky, qr
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("n", SIZES)
def test_cholesky(n, dtype):
    a = spd(n, dtype, seed=n)
    compare(lambda xp, a: xp.linalg.cholesky(a), a)
    compare(lambda xp, a: xp.linalg.cholesky(a, upper=True), a)


def test_cholesky_batched_and_not_positive_definite():
    compare(lambda xp, a: xp.linalg.cholesky(a), spd(3, "float64", batch=(2,)))
    for bad in (-np.eye(3), np.array([[1.0, 2.0], [2.0, 1.0]]), np.zeros((2, 2))):
        with pytest.raises(LinAlgError, match="Matrix is not positive definite"):
            np.linalg.cholesky(bad)
        with pytest.raises(LinAlgError, match="Matrix is not positive definite"):
            to_numpy(snp.linalg.cholesky(to_starp(bad)))


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", [(1, 1), (3, 3), (5, 3), (3, 5), (7, 7), (2, 4, 3), (2, 3, 4)], ids=repr)
@pytest.mark.parametrize("mode", ["reduced", "complete"])
def test_qr_reconstructs(shape, dtype, mode):
    a = rand(shape, dtype, seed=sum(shape))
    q_np, r_np = np.linalg.qr(a, mode=mode)
    q, r = snp.linalg.qr(to_starp(a), mode=mode)
    q, r = to_numpy(q), to_numpy(r)
    assert (q.dtype, q.shape, r.dtype, r.shape) == (q_np.dtype, q_np.shape, r_np.dtype, r_np.shape)
    t = 200 * max(shape) * eps(dtype)
    scale = np.max(np.abs(a))
    assert_close(q @ r, a, rtol=t, atol=t * scale)
    assert_close(ct(q) @ q, np.broadcast_to(np.eye(q.shape[-1]), q.shape[:-2] + (q.shape[-1],) * 2), rtol=t, atol=t)
    assert np.all(np.tril(r, -1) == 0)
    # R is unique up to the phases of its rows.
    assert_close(np.abs(r), np.abs(r_np), rtol=t, atol=t * scale)
    r_only = to_numpy(snp.linalg.qr(to_starp(a), mode="r"))
    assert_close(np.abs(r_only), np.abs(np.linalg.qr(a, mode="r")), rtol=t, atol=t * scale)


def test_qr_mode_errors():
    check(lambda xp, a: xp.linalg.qr(a, mode="bogus"), np.eye(2))


# ---------------------------------------------------------------------------------------------
# eigh, eig
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("uplo", ["L", "U"])
def test_eigh(n, dtype, uplo):
    a = rand((n, n), dtype, seed=n)
    a = (a + ct(a)).astype(dtype)
    w_np = np.linalg.eigvalsh(a, UPLO=uplo)
    w, v = snp.linalg.eigh(to_starp(a), UPLO=uplo)
    w, v = to_numpy(w), to_numpy(v)
    assert (w.dtype, v.dtype, w.shape, v.shape) == (w_np.dtype, np.dtype(dtype), (n,), (n, n))
    t = 200 * n * eps(dtype) * max(1.0, np.max(np.abs(w_np)))
    assert_close(np.sort(w), np.sort(w_np), rtol=t, atol=t)
    assert_close(a @ v, v * w, rtol=t, atol=t)
    assert_close(ct(v) @ v, np.eye(n), rtol=t, atol=t)
    check(lambda xp, a: xp.linalg.eigvalsh(a, UPLO=uplo), a, rtol=t, atol=t)


def test_eigh_batched_and_uplo_error():
    a = rand((2, 3, 3), "float64")
    a = a + np.swapaxes(a, -1, -2)
    w_np, _ = np.linalg.eigh(a)
    w, v = (to_numpy(x) for x in snp.linalg.eigh(to_starp(a)))
    assert_close(w, w_np, rtol=1e-12, atol=1e-12)
    assert_close(a @ v, v * w[..., None, :], rtol=1e-12, atol=1e-12)
    check(lambda xp, a: xp.linalg.eigh(a, UPLO="X"), a)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("n", SIZES)
def test_eig_general(n, dtype):
    a = rand((n, n), dtype, seed=10 + n)
    w_np = np.linalg.eigvals(a)
    w, v = snp.linalg.eig(to_starp(a))
    w, v = to_numpy(w), to_numpy(v)
    assert w.dtype == w_np.dtype and v.dtype == np.linalg.eig(a)[1].dtype
    c = max(1.0, cond(np.linalg.eig(a)[1]))
    t = 200 * n * eps(dtype) * c * max(1.0, np.max(np.abs(w_np)))
    assert_close(np.sort_complex(w), np.sort_complex(w_np), rtol=t, atol=t)
    assert_close(a @ v, v * w, rtol=t, atol=t * np.max(np.abs(a)))
    ws = to_numpy(snp.linalg.eigvals(to_starp(a)))
    assert ws.dtype == w_np.dtype
    assert_close(np.sort_complex(ws), np.sort_complex(w_np), rtol=t, atol=t)


@pytest.mark.parametrize("dtype", ["float64", "float32", "int64"])
def test_eig_result_dtype_depends_on_the_eigenvalues(dtype):
    real = np.array([[2, 1], [0, 3]], dtype=dtype)  # triangular: real eigenvalues
    rot = np.array([[0, -1], [1, 0]], dtype=dtype)  # +-i
    for a in (real, rot):
        check(lambda xp, a: xp.linalg.eigvals(a), a)
        w_np, v_np = np.linalg.eig(a)
        w, v = (to_numpy(x) for x in snp.linalg.eig(to_starp(a)))
        assert (w.dtype, v.dtype) == (w_np.dtype, v_np.dtype)
        assert_close(a @ v, v * w, rtol=1e-5, atol=1e-5)
    b = np.stack([real, rot])  # one complex pair makes the whole batch complex
    w = to_numpy(snp.linalg.eigvals(to_starp(b)))
    assert w.dtype == np.linalg.eigvals(b).dtype and w.dtype.kind == "c"


def test_eig_of_non_finite_input():
    a = np.array([[1.0, np.nan], [0.0, 1.0]])
    check(lambda xp, a: xp.linalg.eigvals(a), a)


# ---------------------------------------------------------------------------------------------
# svd, pinv, matrix_rank, lstsq
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", [(1, 1), (3, 3), (5, 3), (3, 5), (7, 7), (2, 3, 4), (2, 4, 3)], ids=repr)
@pytest.mark.parametrize("full", [True, False])
def test_svd(shape, dtype, full):
    a = rand(shape, dtype, seed=sum(shape))
    u_np, s_np, vh_np = np.linalg.svd(a, full_matrices=full)
    u, s, vh = (to_numpy(x) for x in snp.linalg.svd(to_starp(a), full_matrices=full))
    for x, y in ((u, u_np), (s, s_np), (vh, vh_np)):
        assert (x.dtype, x.shape) == (y.dtype, y.shape)
    t = 200 * max(shape) * eps(dtype)
    scale = float(np.max(s_np))
    assert_close(s, s_np, rtol=t, atol=t * scale)
    k = min(shape[-2:])
    recon = (u[..., :, :k] * s[..., None, :]) @ vh[..., :k, :]
    assert_close(recon, a, rtol=t, atol=t * scale)
    assert_close(ct(u) @ u, np.broadcast_to(np.eye(u.shape[-1]), u.shape[:-2] + (u.shape[-1],) * 2), rtol=t, atol=t)
    assert_close(vh @ ct(vh), np.broadcast_to(np.eye(vh.shape[-2]), vh.shape[:-2] + (vh.shape[-2],) * 2), rtol=t, atol=t)
    check(lambda xp, a: xp.linalg.svd(a, compute_uv=False), a, rtol=t, atol=t * scale)


def test_svd_hermitian():
    a = rand((4, 4), "float64")
    a = a + a.T
    s = to_numpy(snp.linalg.svd(to_starp(a), compute_uv=False, hermitian=True))
    assert_close(s, np.linalg.svd(a, compute_uv=False, hermitian=True), rtol=1e-12, atol=1e-12)
    u, s, vh = (to_numpy(x) for x in snp.linalg.svd(to_starp(a), hermitian=True))
    assert_close((u * s) @ vh, a, rtol=1e-12, atol=1e-12)


@starp_only
def test_outputs_of_one_factorization_are_computed_together():
    import starp

    a = to_starp(rand((4, 4), "float64"))
    u, s, vh = snp.linalg.svd(a)
    x = snp.linalg.inv(a)
    plan = x.explain()
    assert "host linalg.inv" in plan and "replicated" in plan, plan
    with starp.profile(quiet=True) as p:
        starp.compute(u, s, vh, x)
    if starp.current_session().rank != 0:
        return  # profiles record on rank 0 only
    calls = {r["what"]: r["calls"] for r in p.rows if r["what"].startswith("host")}
    svd = [k for k in calls if "linalg.svd" in k]
    assert len(svd) == 1 and calls[svd[0]] == 1, calls  # U, S and Vh: one LAPACK run
    assert sum(calls.values()) == 2, calls


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", [(3, 3), (5, 3), (3, 5), (2, 4, 3)], ids=repr)
def test_pinv(shape, dtype):
    a = rand(shape, dtype, seed=3)
    compare(lambda xp, a: xp.linalg.pinv(a), a)
    compare(lambda xp, a: xp.linalg.pinv(a, rcond=0.5), a, factor=1e3)
    compare(lambda xp, a: xp.linalg.pinv(a, rtol=None), a)


def test_pinv_rank_deficient():
    rng = np.random.default_rng(2)
    a = rng.standard_normal((5, 2)) @ rng.standard_normal((2, 4))
    compare(lambda xp, a: xp.linalg.pinv(a), a, factor=1e3)
    check(lambda xp, a: xp.linalg.pinv(a, rcond=1e-3, rtol=1e-3), a)


@pytest.mark.parametrize("dtype", ["float64", "float32", "complex128", "int64"])
def test_matrix_rank(dtype):
    rng = np.random.default_rng(5)
    for m, n, r in [(4, 4, 4), (5, 3, 2), (3, 6, 1), (6, 6, 3), (1, 1, 1)]:
        a = (rng.integers(-3, 4, (m, r)) @ rng.integers(-3, 4, (r, n))).astype(dtype)
        check(lambda xp, a: xp.linalg.matrix_rank(a), a)
        check(lambda xp, a: xp.linalg.matrix_rank(a, tol=0.5), a)
        check(lambda xp, a: xp.linalg.matrix_rank(a, rtol=1e-3), a)
    check(lambda xp, a: xp.linalg.matrix_rank(a), np.zeros((2, 3, 3), dtype=dtype))
    check(lambda xp, a: xp.linalg.matrix_rank(a), np.stack([np.eye(3), np.diag([1.0, 1.0, 0.0])]).astype(dtype))
    for v in (np.zeros(3, dtype=dtype), np.arange(3).astype(dtype), np.zeros((), dtype=dtype)):
        assert int(to_numpy(snp.linalg.matrix_rank(to_starp(v)))) == np.linalg.matrix_rank(v)
    check(lambda xp, a: xp.linalg.matrix_rank(a, tol=1.0, rtol=1.0), np.eye(2))


@pytest.mark.parametrize("dtype", ["float64", "float32", "complex128"])
@pytest.mark.parametrize("shape, bshape", [((6, 3), (6,)), ((6, 3), (6, 2)), ((3, 3), (3,)), ((3, 5), (3,)), ((3, 5), (3, 2)), ((4, 2), (4, 0))], ids=repr)
def test_lstsq(shape, bshape, dtype):
    a = rand(shape, dtype, seed=1)
    b = rand(bshape, dtype, seed=2)
    x_np, res_np, rank_np, s_np = np.linalg.lstsq(a, b)
    x, res, rank, s = snp.linalg.lstsq(to_starp(a), to_starp(b))
    rtol, atol = tol(a, x_np, factor=10)
    assert_same(x, x_np, rtol=rtol, atol=atol)
    assert_same(res, res_np, rtol=rtol, atol=atol * max(1.0, float(np.max(np.abs(b), initial=0)) ** 2))
    assert_same(rank, np.asarray(rank_np))
    assert_same(s, s_np, rtol=rtol, atol=atol)


def test_lstsq_rank_deficient_and_errors():
    rng = np.random.default_rng(8)
    a = rng.standard_normal((6, 2)) @ rng.standard_normal((2, 3))  # rank 2 < n = 3: no residuals
    b = rng.standard_normal(6)
    x_np, res_np, rank_np, s_np = np.linalg.lstsq(a, b)
    x, res, rank, s = snp.linalg.lstsq(to_starp(a), to_starp(b))
    assert_same(x, x_np, rtol=1e-9, atol=1e-9)
    assert_same(res, res_np)
    assert int(to_numpy(rank)) == rank_np == 2
    assert_same(s, s_np, rtol=1e-12, atol=1e-12)
    x, res, rank, s = snp.linalg.lstsq(to_starp(a), to_starp(b), rcond=0.9)
    assert_same(x, np.linalg.lstsq(a, b, rcond=0.9)[0], rtol=1e-9, atol=1e-9)
    check(lambda xp, a, b: xp.linalg.lstsq(a, b), np.ones((3, 2)), np.ones(2))
    check(lambda xp, a, b: xp.linalg.lstsq(a, b), np.ones((2, 3, 2)), np.ones(3))
    for shape in [(0, 3), (3, 0)]:
        z = np.zeros(shape)
        for i in range(4):
            check(lambda xp, a, b: xp.linalg.lstsq(a, b)[i], z, np.ones(shape[0]))


# ---------------------------------------------------------------------------------------------
# norm
# ---------------------------------------------------------------------------------------------

VECTOR_ORDS = [None, 0, 1, 2, 3, 0.5, -1, np.inf, -np.inf]
MATRIX_ORDS = [None, "fro", "nuc", np.inf, -np.inf, 1, -1, 2, -2]


@pytest.mark.parametrize("dtype", ["float64", "float32", "complex128", "int64"])
@pytest.mark.parametrize("ord", VECTOR_ORDS, ids=repr)
def test_vector_norms(ord, dtype):
    x = (rand((7,), "complex128" if dtype == "complex128" else "float64", seed=3) * 3)
    x = np.round(x).astype(dtype) if dtype == "int64" else x.astype(dtype)
    t = 50 * eps(dtype if dtype != "int64" else "float64")
    check(lambda xp, x: xp.linalg.norm(x, ord), x, rtol=t, atol=t)
    m = rand((3, 4), "float64", seed=4).astype(dtype) if dtype != "int64" else np.arange(12).reshape(3, 4) - 5
    for axis in (0, 1, -1):
        check(lambda xp, x: xp.linalg.norm(x, ord, axis=axis), m, rtol=t, atol=t)
        check(lambda xp, x: xp.linalg.norm(x, ord, axis=axis, keepdims=True), m, rtol=t, atol=t)


@pytest.mark.parametrize("dtype", ["float64", "float32", "complex128", "int64"])
@pytest.mark.parametrize("ord", MATRIX_ORDS, ids=repr)
def test_matrix_norms(ord, dtype):
    m = rand((4, 3), "complex128" if dtype == "complex128" else "float64", seed=5) * 2
    m = np.round(m).astype(dtype) if dtype == "int64" else m.astype(dtype)
    t = 100 * eps(dtype if dtype != "int64" else "float64")
    check(lambda xp, x: xp.linalg.norm(x, ord), m, rtol=t, atol=t)
    check(lambda xp, x: xp.linalg.norm(x, ord, keepdims=True), m, rtol=t, atol=t)
    s = np.stack([m, 2 * m])
    for axis in [(1, 2), (2, 1), (0, 2), (-1, 0)]:
        check(lambda xp, x: xp.linalg.norm(x, ord, axis=axis), s, rtol=t, atol=t)
    check(lambda xp, x: xp.linalg.norm(x, ord, axis=(1, 2), keepdims=True), s, rtol=t, atol=t)


def test_norm_defaults_and_errors():
    x = rand((2, 3, 4), "float64")
    check(lambda xp, x: xp.linalg.norm(x), x)
    check(lambda xp, x: xp.linalg.norm(x, keepdims=True), x)
    check(lambda xp, x: xp.linalg.norm(x, axis=(0, 1, 2)), x)  # Improper number of dimensions
    check(lambda xp, x: xp.linalg.norm(x, "fro"), x)  # 3-d without axes: improper
    check(lambda xp, x: xp.linalg.norm(x, "nuc", axis=0), x)  # invalid for vectors
    check(lambda xp, x: xp.linalg.norm(x, 3, axis=(0, 1)), x)  # invalid for matrices
    check(lambda xp, x: xp.linalg.norm(x, "bogus", axis=(0, 1)), x)
    check(lambda xp, x: xp.linalg.norm(x, axis=(1, 1)), x)  # duplicate axes
    check(lambda xp, x: xp.linalg.norm(x, axis=(0, 5)), x)  # AxisError
    check(lambda xp, x: xp.linalg.norm(x, axis=3), x)
    check(lambda xp, x: xp.linalg.norm(x), np.zeros(0))
    check(lambda xp, x: xp.linalg.norm(x, np.inf), np.zeros(0))
    check(lambda xp, x: xp.linalg.norm(x, -np.inf), np.zeros(0))
    check(lambda xp, x: xp.linalg.norm(x, 1), np.zeros((0, 2)))
    check(lambda xp, x: xp.linalg.norm(x, 2), np.zeros((0, 2)))
    check(lambda xp, x: xp.linalg.norm(x, -2), np.zeros((0, 2)))
    check(lambda xp, x: xp.linalg.norm(x), np.float64(3.0) * np.ones(()))
    with pytest.raises(TypeError):
        snp.linalg.norm(to_starp(x), axis=[0, 1])
