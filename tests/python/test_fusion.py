"""Fusion of the standard workloads: how many kernels each launches (what the optimizer fused)
and that the answers are NumPy's. The plan dumps are pinned for two of them."""

import os
import sys

import numpy as np
import pytest

from _helpers import AGAINST_NUMPY, to_starp

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "benches"))
from benches_common import black_scholes  # noqa: E402

pytestmark = [pytest.mark.cross_ranks, pytest.mark.skipif(AGAINST_NUMPY, reason="starp-specific")]


def kernels_of(fn, *arrays):
    """Runs fn on starp copies of `arrays` (made and computed first); (result, kernels launched)."""
    import starp

    xs = [to_starp(a).persist() for a in arrays]
    before = starp.stats()["kernels"]
    out = fn(*xs).compute()
    return out, starp.stats()["kernels"] - before


@pytest.fixture(autouse=True)
def one_rank():
    import starp

    starp.config(ranks=1)
    yield


def softmax(xp, x):
    e = xp.exp(x - x.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def normalize_rows(xp, x):
    return x / xp.sqrt((x * x).sum(axis=1, keepdims=True))


def stencil(x):
    return 0.25 * (x[:-2, 1:-1] + x[2:, 1:-1] + x[1:-1, :-2] + x[1:-1, 2:]) - x[1:-1, 1:-1]


def test_black_scholes_is_one_kernel():
    import starp.numpy as snp

    rng = np.random.default_rng(0)
    S, X, T = rng.uniform(5, 30, 1001), rng.uniform(1, 100, 1001), rng.uniform(0.25, 10, 1001)
    got, k = kernels_of(lambda s, x, t: black_scholes(snp, s, x, t, 0.02, 0.3), S, X, T)
    # The price is a difference of two terms: ulp-level exp differences show up at ~1e-12.
    np.testing.assert_allclose(got, black_scholes(np, S, X, T, 0.02, 0.3), rtol=1e-10, atol=1e-12)
    # d1, d2 and both CDFs are read several times, but all inside one kernel: no temporaries.
    assert k == 1, f"expected 1 kernel, got {k}"


def test_softmax_kernels():
    import starp.numpy as snp

    x = np.random.default_rng(1).standard_normal((37, 50))
    got, k = kernels_of(lambda a: softmax(snp, a), x)
    np.testing.assert_allclose(got, softmax(np, x), rtol=1e-12)
    # max (reduction), e = exp(x - max) (read by two kernels, so materialized once), its row
    # sums (reduction), and the division.
    assert k == 4, f"expected 4 kernels, got {k}"


def test_normalize_rows_kernels():
    import starp.numpy as snp

    x = np.random.default_rng(2).standard_normal((40, 9))
    got, k = kernels_of(lambda a: normalize_rows(snp, a), x)
    np.testing.assert_allclose(got, normalize_rows(np, x), rtol=1e-12)
    # The squares fuse into the row sums; the sqrt fuses into the division.
    assert k == 2, f"expected 2 kernels, got {k}"


def test_stencil_step_is_one_kernel_and_its_plan_is_pinned():
    x = np.random.default_rng(3).standard_normal((9, 7))
    got, k = kernels_of(stencil, x)
    np.testing.assert_allclose(got, stencil(x), rtol=1e-12)
    assert k == 1, f"expected 1 kernel, got {k}"
    a = to_starp(x).persist()
    plan = stencil(a).explain().split("== physical plan ==\n")[1].split("  -- step")[0]
    assert plan == (
        "plan on 1 rank(s): 1 step(s), 1 kernel(s)\n"
        "  v0: float64[9, 7] replicated <- buffer " + plan.split("<- buffer ")[1].split("\n")[0] + "\n"
        "  0. kernel elementwise over [7, 5] (11 instrs) reads [v0, v0, v0, v0, v0] -> [v1]\n"
        "       v1: float64[7, 5] replicated\n"
    ), plan


def test_squared_distance_sum_is_one_kernel():
    a, b = np.random.default_rng(4).standard_normal((2, 30, 8))
    got, k = kernels_of(lambda x, y: ((x - y) ** 2).sum(axis=1), a, b)
    np.testing.assert_allclose(got, ((a - b) ** 2).sum(axis=1), rtol=1e-12)
    assert k == 1, f"expected 1 kernel, got {k}"
