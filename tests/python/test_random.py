"""snp.random: shapes, dtypes, ranges, statistics, reproducibility, and the
same numbers for P = 1..4.  starp's generator (Philox) is not NumPy's, so the
values themselves are never compared with NumPy's."""

import math

import numpy as np
import pytest

import starp.numpy as snp
from _helpers import ALL_RANKS, at_ranks, starp_only, to_numpy

N = 200_000
Z = 6.0  # z-score allowed for statistical checks (deterministic seeds anyway)


def arr(x):
    return to_numpy(x)


# --------------------------------------------------------------------------
# shapes and dtypes
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "call, shape, dtype",
    [
        (lambda r: r.rand(3, 4), (3, 4), np.float64),
        (lambda r: r.rand(7), (7,), np.float64),
        (lambda r: r.rand(0), (0,), np.float64),
        (lambda r: r.rand(2, 1, 3), (2, 1, 3), np.float64),
        (lambda r: r.randn(13), (13,), np.float64),
        (lambda r: r.randn(2, 3, 4), (2, 3, 4), np.float64),
        (lambda r: r.random((3, 4)), (3, 4), np.float64),
        (lambda r: r.random(size=5), (5,), np.float64),
        (lambda r: r.random(size=(1, 5)), (1, 5), np.float64),
        (lambda r: r.uniform(-2, 3, size=(7, 13)), (7, 13), np.float64),
        (lambda r: r.uniform(size=4), (4,), np.float64),
        (lambda r: r.normal(1.0, 2.0, size=(2, 3)), (2, 3), np.float64),
        (lambda r: r.normal(size=9), (9,), np.float64),
        (lambda r: r.randint(0, 10, size=(3, 5)), (3, 5), np.int64),
        (lambda r: r.randint(5, size=13), (13,), np.int64),
        (lambda r: r.randint(-3, 4, size=(2, 0)), (2, 0), np.int64),
    ],
)
def test_legacy_shapes_dtypes(call, shape, dtype):
    snp.random.seed(0)
    x = call(snp.random)
    assert x.shape == shape
    assert x.dtype == np.dtype(dtype)
    r = arr(x)
    assert r.shape == shape and r.dtype == np.dtype(dtype)


@pytest.mark.parametrize(
    "call, shape, dtype",
    [
        (lambda g: g.random(5), (5,), np.float64),
        (lambda g: g.random((3, 4)), (3, 4), np.float64),
        (lambda g: g.random(size=(2, 0)), (2, 0), np.float64),
        (lambda g: g.normal(0.0, 1.0, size=(7, 13)), (7, 13), np.float64),
        (lambda g: g.normal(size=3), (3,), np.float64),
        (lambda g: g.uniform(1.0, 2.0, size=(13,)), (13,), np.float64),
        (lambda g: g.uniform(size=(1, 5)), (1, 5), np.float64),
        (lambda g: g.integers(0, 10, size=(3, 3)), (3, 3), np.int64),
        (lambda g: g.integers(7, size=7), (7,), np.int64),
        (lambda g: g.integers(-5, 5, size=(2, 3, 4)), (2, 3, 4), np.int64),
    ],
)
def test_generator_shapes_dtypes(call, shape, dtype):
    g = snp.random.default_rng(1)
    x = call(g)
    assert x.shape == shape
    assert x.dtype == np.dtype(dtype)
    r = arr(x)
    assert r.shape == shape and r.dtype == np.dtype(dtype)


def test_scalar_draws():
    snp.random.seed(3)
    for v in (snp.random.rand(), snp.random.random(), snp.random.uniform()):
        assert 0.0 <= float(v) < 1.0
    assert math.isfinite(float(snp.random.randn()))
    assert math.isfinite(float(snp.random.normal()))
    assert 0 <= int(snp.random.randint(10)) < 10
    g = snp.random.default_rng(3)
    assert 0.0 <= float(g.random()) < 1.0
    assert math.isfinite(float(g.normal()))
    assert 2.0 <= float(g.uniform(2.0, 3.0)) < 3.0
    assert 0 <= int(g.integers(10)) < 10


# --------------------------------------------------------------------------
# ranges and statistics
# --------------------------------------------------------------------------


def check_uniform(x, lo, hi):
    assert x.min() >= lo and x.max() < hi
    n = x.size
    mean, sd = (lo + hi) / 2, (hi - lo) / math.sqrt(12)
    assert abs(x.mean() - mean) < Z * sd / math.sqrt(n)
    assert abs(x.std() - sd) < Z * sd / math.sqrt(n) * 1.2
    # 10 equal bins, each close to 1/10
    counts, _ = np.histogram(x, bins=10, range=(lo, hi))
    p = 0.1
    assert np.all(np.abs(counts / n - p) < Z * math.sqrt(p * (1 - p) / n)), counts


def check_normal(x, loc, scale):
    n = x.size
    assert abs(x.mean() - loc) < Z * scale / math.sqrt(n)
    assert abs(x.std() - scale) < Z * scale / math.sqrt(2 * n)
    within1 = np.mean(np.abs(x - loc) < scale)
    assert abs(within1 - 0.682689) < Z * math.sqrt(0.6827 * 0.3173 / n)
    within2 = np.mean(np.abs(x - loc) < 2 * scale)
    assert abs(within2 - 0.954500) < Z * math.sqrt(0.9545 * 0.0455 / n)


def check_integers(x, lo, hi):
    assert x.min() == lo and x.max() == hi - 1
    counts = np.bincount(x - lo, minlength=hi - lo)
    p = 1 / (hi - lo)
    n = x.size
    assert np.all(np.abs(counts / n - p) < Z * math.sqrt(p * (1 - p) / n)), counts


def test_legacy_distributions():
    snp.random.seed(12345)
    check_uniform(arr(snp.random.rand(N)), 0.0, 1.0)
    check_uniform(arr(snp.random.random(N)), 0.0, 1.0)
    check_uniform(arr(snp.random.uniform(-3.0, 5.0, size=N)), -3.0, 5.0)
    check_normal(arr(snp.random.randn(N)), 0.0, 1.0)
    check_normal(arr(snp.random.normal(10.0, 3.0, size=N)), 10.0, 3.0)
    check_integers(arr(snp.random.randint(-3, 4, size=N)), -3, 4)
    check_integers(arr(snp.random.randint(10, size=N)), 0, 10)


def test_generator_distributions():
    g = snp.random.default_rng(2024)
    check_uniform(arr(g.random(N)), 0.0, 1.0)
    check_uniform(arr(g.uniform(2.0, 2.5, size=N)), 2.0, 2.5)
    check_normal(arr(g.normal(-1.0, 0.5, size=N)), -1.0, 0.5)
    check_normal(arr(g.normal(size=N)), 0.0, 1.0)
    check_integers(arr(g.integers(0, 6, size=N)), 0, 6)
    check_integers(arr(g.integers(100, 107, size=N)), 100, 107)


def test_draws_are_not_constant_and_not_repeated():
    snp.random.seed(1)
    a = arr(snp.random.rand(1000))
    b = arr(snp.random.rand(1000))
    assert len(np.unique(a)) == 1000
    assert not np.array_equal(a, b)  # the state advances
    g = snp.random.default_rng(1)
    c, d = arr(g.random(1000)), arr(g.random(1000))
    assert not np.array_equal(c, d)
    # rows of a 2-d draw are not copies of each other (per-rank streams)
    m = arr(snp.random.rand(8, 64))
    assert len({row.tobytes() for row in m}) == 8


def test_random_arrays_compose_lazily():
    snp.random.seed(5)
    x = snp.random.rand(7, 13)
    y = x * 2 - 1
    xv, yv = arr(x), arr(y)
    np.testing.assert_allclose(yv, xv * 2 - 1, rtol=1e-15)
    assert np.all((yv >= -1) & (yv < 1))
    # a drawn array is a value: computing it twice gives the same numbers
    np.testing.assert_array_equal(arr(x), xv)


# --------------------------------------------------------------------------
# reproducibility
# --------------------------------------------------------------------------


def _legacy_sequence(seed):
    snp.random.seed(seed)
    return [
        arr(snp.random.rand(101)), arr(snp.random.randn(7, 13)),
        arr(snp.random.random((3, 5))), arr(snp.random.uniform(-1, 1, size=13)),
        arr(snp.random.normal(2.0, 0.1, size=(2, 3))),
        arr(snp.random.randint(0, 1000, size=257)),
    ]


def _generator_sequence(seed):
    g = snp.random.default_rng(seed)
    return [
        arr(g.random(101)), arr(g.normal(size=(7, 13))), arr(g.uniform(-1, 1, size=13)),
        arr(g.integers(0, 1000, size=257)), arr(g.random((1, 5))),
    ]


@pytest.mark.parametrize("seq", [_legacy_sequence, _generator_sequence])
def test_same_seed_same_numbers(seq):
    a = seq(42)
    b = seq(42)
    c = seq(43)
    for x, y in zip(a, b):
        assert x.dtype == y.dtype and x.tobytes() == y.tobytes()
    assert any(x.tobytes() != z.tobytes() for x, z in zip(a, c))


def test_generators_are_independent_objects():
    g1 = snp.random.default_rng(9)
    g2 = snp.random.default_rng(9)
    a1 = arr(g1.random(50))
    _ = arr(g1.random(50))
    a2 = arr(g2.random(50))  # g2 is not advanced by g1's draws
    np.testing.assert_array_equal(a1, a2)
    # the generator does not touch the legacy global state
    snp.random.seed(11)
    r1 = arr(snp.random.rand(20))
    snp.random.seed(11)
    snp.random.default_rng(11).random(20)
    r2 = arr(snp.random.rand(20))
    np.testing.assert_array_equal(r1, r2)


@starp_only
@pytest.mark.cross_ranks
@pytest.mark.parametrize("seq", [_legacy_sequence, _generator_sequence])
def test_identical_numbers_for_all_ranks(seq):
    results = {}
    for p in ALL_RANKS:
        with at_ranks(p):
            results[p] = seq(2718)
    for p in ALL_RANKS[1:]:
        for x, y in zip(results[1], results[p]):
            assert x.dtype == y.dtype and x.shape == y.shape
            assert x.tobytes() == y.tobytes(), f"P=1 vs P={p}"
