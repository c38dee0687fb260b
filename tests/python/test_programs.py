"""Real NumPy programs (examples/programs/*.py), written once against a module ``xp``, run with
NumPy and with starp.numpy on the same inputs (built with NumPy, converted by ``xp.asarray``
inside each program) and compared, on every P of the ``ranks`` fixture.

Tolerances. Elementwise work is the same IEEE operations in the same order, but starp's
reductions use a fixed pairwise tree (NumPy: pairwise over 8-way unrolled blocks), its
transcendentals are its own vector math (within a few ulp of libm) and matmul/LAPACK run with a
different blocking, so every float result may differ by a few ulp per operation. The programs
are well conditioned and at most a few thousand operations deep, so the default is
rtol = 1e-9 (10^7 ulp of headroom over ~1e-16 per operation), atol = 1e-12 for values that may
be ~0. Iterative programs compound the differences over their loops, and the Gaussian-process
solve goes through a matrix of condition ~1e4: those get rtol = 1e-7 (still 8+ digits).
Discrete results (iteration counts, labels, argsort order, cluster sizes) must be equal.
"""

import importlib.util
import os

import numpy as np
import pytest

import starp.numpy as snp
from _helpers import to_numpy

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PROGRAMS = os.path.join(ROOT, "examples", "programs")


def load(name):
    spec = importlib.util.spec_from_file_location(f"program_{name}", os.path.join(PROGRAMS, f"{name}.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def val(x):
    if isinstance(x, list):
        return np.array([val(v) for v in x])
    return to_numpy(x) if isinstance(x, snp.ndarray) else np.asarray(x)


def both(name, **kw):
    mod = load(name)
    ref = mod.run(np, **mod.inputs(np), **kw)
    got = mod.run(snp, **mod.inputs(np), **kw)
    assert set(ref) == set(got)
    return {k: val(v) for k, v in got.items()}, {k: val(v) for k, v in ref.items()}


def close(got, ref, keys, rtol=1e-9, atol=1e-12):
    for k in keys:
        assert got[k].shape == ref[k].shape, k
        np.testing.assert_allclose(got[k], ref[k], rtol=rtol, atol=atol, err_msg=k)


def equal(got, ref, keys):
    for k in keys:
        assert got[k].dtype.kind == ref[k].dtype.kind, k
        np.testing.assert_array_equal(got[k], ref[k], err_msg=k)


def test_program_directory_is_complete():
    names = {f[:-3] for f in os.listdir(PROGRAMS) if f.endswith(".py") and not f.startswith("_")}
    tested = {n[len("test_"):] for n in globals() if n.startswith("test_")}
    assert names <= tested, names - tested


def test_jacobi():
    got, ref = both("jacobi")
    equal(got, ref, ["iterations"])
    # ~1100 sweeps of averages of 4 values: the error does not grow (a contraction)
    close(got, ref, ["u", "delta", "mean_temperature"], rtol=1e-9)


def test_nbody():
    got, ref = both("nbody")
    # 20 steps of a chaotic system: differences grow, still far below 1e-7 here
    close(got, ref, ["pos", "vel", "energy0", "energy1", "center_of_mass"], rtol=1e-7, atol=1e-10)


def test_kmeans():
    got, ref = both("kmeans")
    equal(got, ref, ["labels", "sizes", "iterations"])
    close(got, ref, ["centroids", "inertia"], rtol=1e-9)


def test_mlp():
    got, ref = both("mlp")
    close(got, ref, ["probs", "losses", "accuracy", "W1", "W2"], rtol=1e-9, atol=1e-12)


def test_gaussian_process():
    got, ref = both("gaussian_process")
    # triangular solves with K (condition ~1e4 with noise 0.1): ~1e-12 relative at worst; the
    # predictive variance is a difference of O(1) numbers, hence the absolute tolerance
    close(got, ref, ["mean", "logml", "coef", "residual"], rtol=1e-7)
    close(got, ref, ["var"], rtol=1e-7, atol=1e-9)


def test_monte_carlo():
    got, ref = both("monte_carlo")
    close(got, ref, ["pi", "call", "call_stderr", "asian", "payoff_median", "ST_p95"], rtol=1e-9)
    # and the estimates are right: within 4 standard errors of Black-Scholes, pi within 4 sigma
    assert abs(float(got["call"]) - float(got["call_exact"])) < 4 * float(got["call_stderr"])
    assert abs(float(got["pi"]) - np.pi) < 4 * 4 * np.sqrt(np.pi / 4 * (1 - np.pi / 4) / 20000)


def test_conjugate_gradient():
    got, ref = both("conjugate_gradient")
    equal(got, ref, ["iterations"])
    # residual ~1e-11 is itself rounding noise: compare it only to the tolerance it met
    close(got, ref, ["x"], rtol=1e-7, atol=1e-12)
    assert float(got["residual"]) < 1e-9


def test_pagerank():
    got, ref = both("pagerank")
    equal(got, ref, ["iterations", "top"])
    close(got, ref, ["rank", "total"], rtol=1e-9)


def test_attention():
    got, ref = both("attention")
    # einsum -> matmul/sums, exp, layer norm: a few hundred operations deep
    close(got, ref, ["y", "weights", "entropy", "trace"], rtol=1e-9, atol=1e-12)
