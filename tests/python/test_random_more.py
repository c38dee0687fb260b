"""snp.random extras (issue 6): Generator.exponential/poisson/binomial/choice/permutation/shuffle
and the legacy random_sample/choice/exponential/permutation/poisson/binomial/shuffle.

starp's numbers are not NumPy's (counter-based Philox), so values are checked statistically:
means and variances within Z standard errors (fixed seeds, so the checks are deterministic; Z = 6
leaves room for any seed), frequencies of small supports against the exact pmf, permutations
are permutations and uniform (position counts), and the numbers are identical for P = 1..4.
Shapes, dtypes and errors are compared with NumPy itself.
"""

import math

import numpy as np
import pytest

import starp.numpy as snp
from _helpers import assert_same_bits_on_all_ranks, assert_seeded, expected_exception, starp_only, to_numpy

N = 100_000
Z = 6.0


def arr(x):
    return to_numpy(x)


def check_moments(x, mean, var, n=None):
    x = np.asarray(x, dtype=np.float64)
    n = x.size if n is None else n
    assert abs(x.mean() - mean) < Z * math.sqrt(var / n), (x.mean(), mean)
    # Var of the sample variance <= (mu4) / n; with mu4 <= 3 var^2 + var (Poisson-like) this bound is generous
    assert abs(x.var() - var) < Z * math.sqrt((3 * var * var + var + 1e-300) / n) + 1e-12, (x.var(), var)


def check_pmf(x, pmf):
    """Frequencies of 0..len(pmf)-1 against the exact pmf, each within Z binomial sigmas."""
    x = np.asarray(x)
    counts = np.bincount(x, minlength=len(pmf))[: len(pmf)]
    f = counts / x.size
    sig = np.sqrt(np.asarray(pmf) * (1 - np.asarray(pmf)) / x.size)
    assert np.all(np.abs(f - pmf) <= Z * sig + 1e-12), (f, pmf)
    assert counts.sum() == x.size


def poisson_pmf(lam, kmax):
    return np.array([math.exp(-lam + k * math.log(lam) - math.lgamma(k + 1)) for k in range(kmax)])


def binom_pmf(n, p):
    return np.array([math.comb(n, k) * p**k * (1 - p) ** (n - k) for k in range(n + 1)])


# --------------------------------------------------------------------------
# distributions
# --------------------------------------------------------------------------


def test_exponential():
    g = snp.random.default_rng(1)
    x = arr(g.exponential(2.5, size=N))
    assert x.dtype == np.float64 and x.shape == (N,) and x.min() >= 0
    check_moments(x, 2.5, 6.25)
    # P(X > t) = exp(-t / scale)
    for t in (1.0, 5.0):
        p = math.exp(-t / 2.5)
        assert abs(np.mean(x > t) - p) < Z * math.sqrt(p * (1 - p) / N)
    check_moments(arr(g.exponential(size=N)), 1.0, 1.0)
    check_moments(arr(g.standard_exponential(N)), 1.0, 1.0)
    snp.random.seed(2)
    check_moments(arr(snp.random.exponential(0.5, N)), 0.5, 0.25)


def test_exponential_array_scale():
    g = snp.random.default_rng(3)
    scale = np.array([0.5, 1.0, 4.0])
    x = arr(g.exponential(scale, size=(N // 3, 3)))
    for j, s in enumerate(scale):
        check_moments(x[:, j], s, s * s)
    assert arr(g.exponential(scale)).shape == (3,)


@pytest.mark.parametrize("lam", [0.05, 1.0, 3.5, 30.0, 1000.0, 1e7])
def test_poisson(lam):
    g = snp.random.default_rng(4)
    x = arr(g.poisson(lam, N))
    assert x.dtype == np.int64 and x.min() >= 0
    check_moments(x, lam, lam)
    if lam <= 30:
        check_pmf(x, poisson_pmf(lam, int(lam + 10 * math.sqrt(lam) + 10)))


def test_poisson_zero_and_array_lam():
    g = snp.random.default_rng(5)
    assert np.all(arr(g.poisson(0.0, 50)) == 0)
    lam = np.array([0.5, 2.0, 10.0, 2.0])
    x = arr(g.poisson(lam, size=(N // 4, 4)))
    assert x.shape == (N // 4, 4) and x.dtype == np.int64
    for j, l in enumerate(lam):
        check_moments(x[:, j], l, l)
    snp.random.seed(6)
    check_moments(arr(snp.random.poisson(4.0, N)), 4.0, 4.0)


@pytest.mark.parametrize("n, p", [(1, 0.5), (10, 0.3), (20, 0.95), (1000, 0.01), (10**6, 0.4), (10**9, 0.5)])
def test_binomial(n, p):
    g = snp.random.default_rng(7)
    x = arr(g.binomial(n, p, N))
    assert x.dtype == np.int64 and x.min() >= 0 and x.max() <= n
    check_moments(x, n * p, n * p * (1 - p))
    if n <= 20:
        check_pmf(x, binom_pmf(n, p))


def test_binomial_edges_and_arrays():
    g = snp.random.default_rng(8)
    assert np.all(arr(g.binomial(5, 0.0, 20)) == 0)
    assert np.all(arr(g.binomial(5, 1.0, 20)) == 5)
    assert np.all(arr(g.binomial(0, 0.5, 20)) == 0)
    x = arr(g.binomial([10, 40], [0.5, 0.25], size=(N // 2, 2)))
    check_moments(x[:, 0], 5, 2.5)
    check_moments(x[:, 1], 10, 7.5)
    snp.random.seed(9)
    check_moments(arr(snp.random.binomial(8, 0.25, N)), 2, 1.5)


def test_choice_with_replacement():
    g = snp.random.default_rng(10)
    x = arr(g.choice(6, N))
    check_pmf(x, np.full(6, 1 / 6))
    p = np.array([0.1, 0.0, 0.6, 0.3])
    x = arr(g.choice(4, N, p=p))
    check_pmf(x, p)
    assert not np.any(x == 1)
    pop = np.array([2.5, -1.0, 7.0])
    y = arr(g.choice(pop, size=(50, 2)))
    assert y.shape == (50, 2) and y.dtype == np.float64 and set(np.unique(y)) <= set(pop)
    snp.random.seed(11)
    check_pmf(arr(snp.random.choice(3, N, p=[0.5, 0.25, 0.25])), [0.5, 0.25, 0.25])


def test_choice_without_replacement():
    g = snp.random.default_rng(12)
    for _ in range(3):
        s = arr(g.choice(50, 20, replace=False))
        assert len(np.unique(s)) == 20 and s.min() >= 0 and s.max() < 50
    assert sorted(arr(g.choice(7, 7, replace=False))) == list(range(7))
    # uniform: each element is in a sample of 3 out of 5 with probability 3/5
    hits = np.zeros(5)
    T = 2000
    for _ in range(T):
        hits[arr(g.choice(5, 3, replace=False))] += 1
    assert np.all(np.abs(hits / T - 0.6) < Z * math.sqrt(0.24 / T)), hits
    # weighted, without replacement: the first pick follows p exactly
    p = np.array([0.5, 0.3, 0.2])
    first = np.array([arr(g.choice(3, 2, replace=False, p=p))[0] for _ in range(T)])
    check_pmf(first, p)
    snp.random.seed(13)
    assert len(np.unique(arr(snp.random.choice(30, 10, replace=False)))) == 10


def test_permutation_and_shuffle():
    g = snp.random.default_rng(14)
    p = arr(g.permutation(100))
    assert p.dtype == np.int64 and sorted(p) == list(range(100))
    assert not np.array_equal(p, np.arange(100))
    x = np.arange(12).reshape(4, 3)
    q = arr(g.permutation(snp.asarray(x)))
    assert q.shape == (4, 3)
    assert sorted(map(tuple, q)) == sorted(map(tuple, x))  # rows permuted, rows kept whole
    # uniform: position of element 0 over many permutations of 4
    T = 2000
    pos = np.array([int(np.flatnonzero(arr(g.permutation(4)) == 0)[0]) for _ in range(T)])
    check_pmf(pos, np.full(4, 0.25))
    a = snp.arange(10.0)
    b = a[2:5]
    g.shuffle(a)
    av = arr(a)
    assert sorted(av) == list(range(10))
    np.testing.assert_array_equal(arr(b), av[2:5])  # in place: views see the shuffle
    c = np.arange(8)
    g.shuffle(c)  # NumPy arrays are shuffled in place too
    assert sorted(c) == list(range(8))
    snp.random.seed(15)
    assert sorted(arr(snp.random.permutation(9))) == list(range(9))
    d = snp.arange(5)
    snp.random.shuffle(d)
    assert sorted(arr(d)) == list(range(5))


def test_random_sample_alias():
    snp.random.seed(16)
    x = arr(snp.random.random_sample((3, 4)))
    assert x.shape == (3, 4) and x.dtype == np.float64 and x.min() >= 0 and x.max() < 1
    assert 0 <= float(snp.random.random_sample()) < 1


# --------------------------------------------------------------------------
# shapes, dtypes, scalars and errors: as NumPy
# --------------------------------------------------------------------------

SHAPE_CALLS = [
    lambda r: r.exponential(size=(2, 3)),
    lambda r: r.exponential(2.0, 5),
    lambda r: r.exponential([1.0, 2.0]),
    lambda r: r.poisson(3.0, (4, 0)),
    lambda r: r.poisson(3.0, 7),
    lambda r: r.poisson([1.0, 2.0, 3.0]),
    lambda r: r.poisson([1.0, 2.0], size=(3, 2)),
    lambda r: r.binomial(10, 0.5, (2, 2)),
    lambda r: r.binomial([3, 4], 0.5),
    lambda r: r.choice(5, 3),
    lambda r: r.choice(5, (2, 3)),
    lambda r: r.choice([1.5, 2.5, 3.5], 4),
    lambda r: r.choice(5, 0),
    lambda r: r.choice(0, 0),
    lambda r: r.choice(5, 5, replace=False),
    lambda r: r.choice(5, (2, 2), replace=False, p=[0.1, 0.2, 0.3, 0.2, 0.2]),
    lambda r: r.permutation(6),
    lambda r: r.permutation(0),
    lambda r: r.permutation(np.arange(12.0).reshape(3, 4)),
]
ERROR_CALLS = [
    lambda r: r.exponential(-1.0, 3),
    lambda r: r.poisson(-1.0, 3),
    lambda r: r.poisson(np.nan, 3),
    lambda r: r.poisson(1e300, 3),
    lambda r: r.binomial(-1, 0.5, 3),
    lambda r: r.binomial(3, 1.5, 3),
    lambda r: r.binomial(3, -0.1, 3),
    lambda r: r.binomial(3, np.nan, 3),
    lambda r: r.choice(0, 3),
    lambda r: r.choice(-2, 3),
    lambda r: r.choice(3, 5, replace=False),
    lambda r: r.choice(3, 2, p=[0.5, 0.5]),
    lambda r: r.choice(3, 2, p=[0.5, 0.6, -0.1]),
    lambda r: r.choice(3, 2, p=[0.5, 0.6, 0.1]),
    lambda r: r.choice(3, 2, p=[[0.5, 0.5, 0.0]]),
    lambda r: r.permutation(np.ones(())),
]


def _rngs():
    return [("generator", lambda m: m.random.default_rng(0)), ("legacy", lambda m: m.random)]


@pytest.mark.parametrize("kind", ["generator", "legacy"])
@pytest.mark.parametrize("i", range(len(SHAPE_CALLS)))
def test_shapes_dtypes_as_numpy(kind, i):
    call = SHAPE_CALLS[i]
    get = dict(_rngs())[kind]
    np.random.seed(0)
    snp.random.seed(0)
    e = np.asarray(call(get(np)))
    x = arr(call(get(snp)))
    assert x.shape == e.shape and x.dtype == e.dtype, (x.shape, x.dtype, e.shape, e.dtype)


@pytest.mark.parametrize("kind", ["generator", "legacy"])
@pytest.mark.parametrize("i", range(len(ERROR_CALLS)))
def test_errors_as_numpy(kind, i):
    call = ERROR_CALLS[i]
    get = dict(_rngs())[kind]
    try:
        call(get(np))
    except Exception as e:  # noqa: BLE001
        exc = expected_exception(e)
        msg = str(e)
    else:
        pytest.skip("NumPy accepts it")
    with pytest.raises(exc) as info:
        arr(call(get(snp)))
    if kind == "generator" and "Notes section" not in msg and "p must be 1" not in msg:
        assert str(info.value) == msg


@pytest.mark.parametrize("call, kind", [
    (lambda r: r.poisson(2.0), int), (lambda r: r.binomial(5, 0.5), int), (lambda r: r.exponential(), float),
    (lambda r: r.choice(5), int), (lambda r: r.choice([1.5, 2.5]), float),
])
def test_scalar_results(call, kind):
    for m in (snp.random.default_rng(1), snp.random):
        v = call(m)
        assert np.ndim(v) == 0
        kind(v)


# --------------------------------------------------------------------------
# reproducibility and P-independence
# --------------------------------------------------------------------------


def _sequence(seed):
    g = snp.random.default_rng(seed)
    out = [
        arr(g.exponential(1.5, 101)), arr(g.poisson(4.0, (7, 13))), arr(g.poisson(1e6, 33)),
        arr(g.poisson([1.0, 5.0], (5, 2))), arr(g.binomial(30, 0.2, 57)), arr(g.binomial([5, 9], 0.5, (3, 2))),
        arr(g.choice(10, 23)), arr(g.choice(10, 23, p=np.arange(10) / 45)), arr(g.choice(40, 17, replace=False)),
        arr(g.choice(9, 4, replace=False, p=np.full(9, 1 / 9))), arr(g.permutation(31)),
        arr(g.permutation(snp.arange(20).reshape(5, 4))),
    ]
    x = snp.arange(25)
    g.shuffle(x)
    out.append(arr(x))
    snp.random.seed(seed)
    out += [arr(snp.random.exponential(size=9)), arr(snp.random.choice(7, 11)), arr(snp.random.permutation(13)),
            arr(snp.random.random_sample(5)), arr(snp.random.poisson(3.0, 8)), arr(snp.random.binomial(4, 0.5, 8))]
    return out


def test_same_seed_same_numbers():
    assert_seeded(_sequence)


@starp_only
@pytest.mark.cross_ranks
def test_identical_numbers_for_all_ranks():
    assert_same_bits_on_all_ranks(_sequence, 31415)
