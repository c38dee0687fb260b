"""snp.random: the rest of numpy.random's distributions (gamma ... multivariate_normal, integers
with array bounds, bytes, random_integers, SeedSequence, RandomState, get_state/set_state).

starp's numbers are not NumPy's (counter-based Philox), so values are checked against closed-form
truth (no scipy here): sample means and variances within Z standard errors of the exact moments,
a Kolmogorov-Smirnov distance against the exact CDF where it has a closed form, frequencies of
small supports against the exact pmf. Seeds are fixed, so every check is deterministic (Z = 6 and
the KS bound leave room for any seed). Shapes, dtypes, broadcasting and parameter errors are
compared with NumPy's own Generator / RandomState; the numbers are bit-identical for P = 1..4.
"""

import math
import warnings

import numpy as np
import pytest

import starp.numpy as snp
from _helpers import assert_same_bits_on_all_ranks, assert_seeded, expected_exception, starp_only, to_numpy

N = 200_000
Z = 6.0
KS = 2.5  # sqrt(n) * KS distance: P(exceeding) ~ 2 exp(-2 KS^2) ~ 7e-6 for an exact sampler


def arr(x):
    return to_numpy(x)


def check_moments(x, mean=None, var=None):
    """mean within Z SE (from the exact variance), variance within Z SE (from the sample's 4th
    central moment: Var(s^2) ~ (m4 - var^2) / n)."""
    x = np.asarray(x, dtype=np.float64)
    n = x.size
    if mean is not None:
        v = var if var is not None else x.var()
        assert abs(x.mean() - mean) <= Z * math.sqrt(v / n) + 1e-12 * abs(mean), (x.mean(), mean)
    if var is not None:
        d = x - x.mean()
        m4 = np.mean(d ** 4)
        assert abs(x.var() - var) <= Z * math.sqrt(max(m4 - var * var, 0.0) / n) + 1e-12 * var, (x.var(), var)


def check_ks(x, cdf):
    """Kolmogorov-Smirnov distance of the sample against the exact CDF (continuous)."""
    x = np.sort(np.asarray(x, dtype=np.float64))
    n = x.size
    F = np.asarray(cdf(x), dtype=np.float64)
    i = np.arange(1, n + 1)
    d = max(np.max(i / n - F), np.max(F - (i - 1) / n))
    assert math.sqrt(n) * d < KS, f"KS: sqrt(n) * D = {math.sqrt(n) * d:.3f}"


def check_pmf(x, pmf, start=0):
    """Frequencies of start .. start + len(pmf) - 1 against the exact pmf, each within Z binomial
    sigmas; values expected fewer than 5 times are pooled (with everything outside the range)
    into one tail whose frequency is checked the same way."""
    x = np.asarray(x)
    n = x.size
    pmf = np.asarray(pmf, dtype=np.float64)
    counts = np.array([np.count_nonzero(x == start + k) for k in range(len(pmf))])
    big = pmf * n >= 5
    f, p = counts[big] / n, pmf[big]
    rest_f, rest_p = 1 - f.sum(), max(1 - p.sum(), 0.0)
    f, p = np.append(f, rest_f), np.append(p, rest_p)
    sig = np.sqrt(p * (1 - p) / n)
    assert np.all(np.abs(f - p) <= Z * sig + 1e-9), (f, p)


# ---- exact CDFs and pmfs ----
_erfc = np.vectorize(math.erfc, otypes=[np.float64])


def Phi(x):
    return 0.5 * _erfc(-np.asarray(x, dtype=np.float64) / math.sqrt(2.0))


def erlang_cdf(k, x):
    x = np.maximum(x, 0.0)
    s = np.zeros_like(x)
    t = np.ones_like(x)
    for j in range(k):
        s += t
        t = t * x / (j + 1)
    return 1.0 - np.exp(-x) * s


def beta_int_cdf(a, b, x):
    m = a + b - 1
    return sum(math.comb(m, j) * x ** j * (1 - x) ** (m - j) for j in range(a, m + 1))


def t3_cdf(t):
    u = t / math.sqrt(3.0)
    return 0.5 + (u / (1 + u * u) + np.arctan(u)) / math.pi


def triangular_cdf(l, m, r, x):
    return np.where(x <= m, (x - l) ** 2 / ((r - l) * (m - l)), 1 - (r - x) ** 2 / ((r - l) * (r - m)))


def wald_cdf(mu, lam, x):
    a = np.sqrt(lam / x)
    return Phi(a * (x / mu - 1)) + np.exp(2 * lam / mu) * Phi(-a * (x / mu + 1))


def bessel_i(n, x, terms=400):
    """Modified Bessel function I_n(x), x > 0, from its series (terms in logs: no overflow)."""
    lx = math.log(x / 2)
    return sum(math.exp((2 * m + n) * lx - math.lgamma(m + 1) - math.lgamma(m + n + 1)) for m in range(terms))


def zeta(a, terms=100_000):
    k = np.arange(1, terms + 1, dtype=np.float64)
    # partial sum + Euler-Maclaurin tail
    return np.sum(k ** -a) + terms ** (1 - a) / (a - 1) - 0.5 * terms ** -a + a / 12 * terms ** (-a - 1)


def negbin_pmf(n, p, kmax):
    k = np.arange(kmax)
    lg = np.array([math.lgamma(kk + n) - math.lgamma(n) - math.lgamma(kk + 1) for kk in k])
    return np.exp(lg + n * math.log(p) + k * math.log1p(-p))


def hyper_pmf(g, b, s):
    tot = math.comb(g + b, s)
    return np.array([math.comb(g, k) * math.comb(b, s - k) / tot for k in range(s + 1)])


def binom_pmf(n, p):
    return np.array([math.comb(n, k) * p ** k * (1 - p) ** (n - k) for k in range(n + 1)])


EULER = 0.5772156649015329

# id, draw(generator, n), exact mean, exact variance, exact CDF or None
CONTINUOUS = [
    ("gamma(3,2)", lambda r, n: r.gamma(3.0, 2.0, n), 6.0, 12.0, lambda x: erlang_cdf(3, x / 2)),
    ("gamma(0.3)", lambda r, n: r.gamma(0.3, size=n), 0.3, 0.3, None),
    ("gamma(1e-3,5)", lambda r, n: r.gamma(1e-3, 5.0, n), 5e-3, 0.025, None),
    ("gamma(1e4)", lambda r, n: r.gamma(1e4, size=n), 1e4, 1e4, None),
    ("standard_gamma(1)", lambda r, n: r.standard_gamma(1.0, n), 1.0, 1.0, lambda x: 1 - np.exp(-x)),
    ("standard_gamma(2.5)", lambda r, n: r.standard_gamma(2.5, size=n), 2.5, 2.5, None),
    ("beta(2,3)", lambda r, n: r.beta(2.0, 3.0, n), 0.4, 0.04, lambda x: beta_int_cdf(2, 3, x)),
    ("beta(.5,.5)", lambda r, n: r.beta(0.5, 0.5, n), 0.5, 0.125, lambda x: 2 / math.pi * np.arcsin(np.sqrt(x))),
    ("beta(.1,.2)", lambda r, n: r.beta(0.1, 0.2, n), 1 / 3, 0.02 / (0.09 * 1.3), None),
    ("chisquare(1)", lambda r, n: r.chisquare(1.0, n), 1.0, 2.0, lambda x: 2 * Phi(np.sqrt(x)) - 1),
    ("chisquare(2)", lambda r, n: r.chisquare(2, n), 2.0, 4.0, lambda x: 1 - np.exp(-x / 2)),
    ("chisquare(7.5)", lambda r, n: r.chisquare(7.5, n), 7.5, 15.0, None),
    ("noncentral_chisquare(3,2)", lambda r, n: r.noncentral_chisquare(3.0, 2.0, n), 5.0, 14.0, None),
    ("noncentral_chisquare(.5,2)", lambda r, n: r.noncentral_chisquare(0.5, 2.0, n), 2.5, 9.0, None),
    ("noncentral_chisquare(.5,40)", lambda r, n: r.noncentral_chisquare(0.5, 40.0, n), 40.5, 161.0, None),
    ("noncentral_chisquare(2,0)", lambda r, n: r.noncentral_chisquare(2.0, 0.0, n), 2.0, 4.0, lambda x: 1 - np.exp(-x / 2)),
    ("f(2,2)", lambda r, n: r.f(2.0, 2.0, n), None, None, lambda x: x / (1 + x)),
    ("f(5,10)", lambda r, n: r.f(5.0, 10.0, n), 1.25, 2 * 100 * 13 / (5 * 64 * 6), None),
    ("noncentral_f(3,20,2)", lambda r, n: r.noncentral_f(3.0, 20.0, 2.0, n), 20 * 5 / (3 * 18),
     2 * (20 / 3) ** 2 * (25 + 7 * 18) / (18 ** 2 * 16), None),
    ("standard_t(1)", lambda r, n: r.standard_t(1.0, n), None, None, lambda x: 0.5 + np.arctan(x) / math.pi),
    ("standard_t(3)", lambda r, n: r.standard_t(3.0, n), None, None, t3_cdf),
    ("standard_t(10)", lambda r, n: r.standard_t(10, n), 0.0, 1.25, None),
    ("standard_cauchy", lambda r, n: r.standard_cauchy(n), None, None, lambda x: 0.5 + np.arctan(x) / math.pi),
    ("lognormal(.1,.5)", lambda r, n: r.lognormal(0.1, 0.5, n), math.exp(0.225), (math.exp(0.25) - 1) * math.exp(0.45),
     lambda x: Phi((np.log(x) - 0.1) / 0.5)),
    ("laplace(1,2)", lambda r, n: r.laplace(1.0, 2.0, n), 1.0, 8.0,
     lambda x: np.where(x < 1, 0.5 * np.exp((x - 1) / 2), 1 - 0.5 * np.exp(-(x - 1) / 2))),
    ("logistic(1,2)", lambda r, n: r.logistic(1.0, 2.0, n), 1.0, 4 * math.pi ** 2 / 3, lambda x: 1 / (1 + np.exp(-(x - 1) / 2))),
    ("gumbel(1,2)", lambda r, n: r.gumbel(1.0, 2.0, n), 1 + 2 * EULER, math.pi ** 2 / 6 * 4,
     lambda x: np.exp(-np.exp(-(x - 1) / 2))),
    ("weibull(2)", lambda r, n: r.weibull(2.0, n), math.sqrt(math.pi) / 2, 1 - math.pi / 4, lambda x: 1 - np.exp(-x ** 2)),
    ("weibull(.5)", lambda r, n: r.weibull(0.5, n), 2.0, 20.0, lambda x: 1 - np.exp(-np.sqrt(x))),
    ("pareto(5)", lambda r, n: r.pareto(5.0, n), 0.25, 5 / 48, lambda x: 1 - (1 + x) ** -5.0),
    ("power(3)", lambda r, n: r.power(3.0, n), 0.75, 3 / 80, lambda x: x ** 3),
    ("rayleigh(2)", lambda r, n: r.rayleigh(2.0, n), 2 * math.sqrt(math.pi / 2), (4 - math.pi) / 2 * 4,
     lambda x: 1 - np.exp(-x ** 2 / 8)),
    ("triangular(0,1,3)", lambda r, n: r.triangular(0, 1, 3, n), 4 / 3, (9 + 1 - 3) / 18, lambda x: triangular_cdf(0, 1, 3, x)),
    ("triangular(-1,-1,2)", lambda r, n: r.triangular(-1.0, -1.0, 2.0, n), 0.0, 0.5, lambda x: 1 - (2 - x) ** 2 / 9),
    ("wald(2,3)", lambda r, n: r.wald(2.0, 3.0, n), 2.0, 8 / 3, lambda x: wald_cdf(2.0, 3.0, x)),
    ("standard_exponential", lambda r, n: r.standard_exponential(n), 1.0, 1.0, lambda x: 1 - np.exp(-x)),
]


@pytest.mark.parametrize("i", range(len(CONTINUOUS)), ids=[c[0] for c in CONTINUOUS])
def test_continuous(i):
    name, draw, mean, var, cdf = CONTINUOUS[i]
    g = snp.random.default_rng(1000 + i)
    x = arr(draw(g, N))
    assert x.dtype == np.float64 and x.shape == (N,)
    assert np.all(np.isfinite(x))
    check_moments(x, mean, var)
    if cdf is not None:
        with np.errstate(all="ignore"):
            check_ks(x, cdf)


def test_triangular_bounds_and_beta_range():
    g = snp.random.default_rng(5)
    x = arr(g.triangular(-1.0, 0.5, 2.0, 20_000))
    assert x.min() >= -1.0 and x.max() <= 2.0
    b = arr(g.beta(0.01, 0.02, 20_000))  # both gammas underflow often: no 0 / 0
    assert np.all((b >= 0) & (b <= 1))
    check_moments(b, 1 / 3)
    p = arr(g.power(0.2, 20_000))
    assert p.min() >= 0 and p.max() <= 1


@pytest.mark.parametrize("kappa, mu", [(2.0, 0.5), (0.3, -2.0), (50.0, 3.0), (1e-6, 1.0), (1e7, 0.25)])
def test_vonmises(kappa, mu):
    g = snp.random.default_rng(17)
    x = arr(g.vonmises(mu, kappa, N))
    assert x.dtype == np.float64 and np.all(np.abs(x) <= math.pi)
    # circular moments: E cos(k (X - mu)) = I_k(kappa) / I_0(kappa), E sin(k (X - mu)) = 0
    for k in (1, 2):
        c = np.cos(k * (x - mu))
        s = np.sin(k * (x - mu))
        if kappa < 100:
            ec = bessel_i(k, kappa) / bessel_i(0, kappa)
        else:  # wrapped normal of variance 1 / kappa
            ec = math.exp(-k * k / (2 * kappa))
        assert abs(c.mean() - ec) <= Z * c.std() / math.sqrt(N) + 1e-9, (k, c.mean(), ec)
        assert abs(s.mean()) <= Z * s.std() / math.sqrt(N) + 1e-9


def test_vonmises_uniform_for_tiny_kappa():
    g = snp.random.default_rng(18)
    x = arr(g.vonmises(1.0, 1e-9, N))
    check_ks(x, lambda t: (t + math.pi) / (2 * math.pi))


# ---- discrete ----

@pytest.mark.parametrize("p", [0.3, 0.9, 1e-3, 1.0])
def test_geometric(p):
    g = snp.random.default_rng(20)
    x = arr(g.geometric(p, N))
    assert x.dtype == np.int64 and x.min() >= 1
    check_moments(x, 1 / p, (1 - p) / p ** 2)
    if p >= 0.3:
        k = np.arange(1, 30)
        check_pmf(x, (1 - p) ** (k - 1) * p, start=1)


@pytest.mark.parametrize("n, p", [(3, 0.4), (30, 0.2), (0.5, 0.9), (2.5, 0.05), (1, 1.0)])
def test_negative_binomial(n, p):
    g = snp.random.default_rng(21)
    x = arr(g.negative_binomial(n, p, N))
    assert x.dtype == np.int64 and x.min() >= 0
    check_moments(x, n * (1 - p) / p, n * (1 - p) / p ** 2)
    if p < 1:
        mean = n * (1 - p) / p
        check_pmf(x, negbin_pmf(n, p, int(mean + 10 * math.sqrt(mean / p) + 10)))


@pytest.mark.parametrize("good, bad, s", [(20, 30, 10), (5, 5, 10), (1000, 500, 200), (0, 7, 3), (7, 0, 3), (5, 5, 0)])
def test_hypergeometric(good, bad, s):
    g = snp.random.default_rng(22)
    x = arr(g.hypergeometric(good, bad, s, N))
    assert x.dtype == np.int64
    tot = good + bad
    mean = s * good / tot
    var = s * (good / tot) * (bad / tot) * (tot - s) / (tot - 1)
    check_moments(x, mean, var)
    if s <= 10:
        check_pmf(x, hyper_pmf(good, bad, s))


def test_hypergeometric_array_params():
    g = snp.random.default_rng(23)
    x = arr(g.hypergeometric([20, 6, 1000], [30, 4, 3000], [10, 10, 500], size=(N // 4, 3)))
    assert x.shape == (N // 4, 3)
    check_pmf(x[:, 0], hyper_pmf(20, 30, 10))
    assert np.all(x[:, 1] == 6)
    check_moments(x[:, 2], 125.0, 500 * 0.25 * 0.75 * 3500 / 3999)


@pytest.mark.parametrize("p", [0.6, 0.99, 0.0])
def test_logseries(p):
    g = snp.random.default_rng(24)
    x = arr(g.logseries(p, N))
    assert x.dtype == np.int64 and x.min() >= 1
    if p == 0:
        assert np.all(x == 1)
        return
    l = math.log1p(-p)
    mean = -p / ((1 - p) * l)
    var = -p * (p + l) / ((1 - p) ** 2 * l * l)
    check_moments(x, mean, var)
    k = np.arange(1, 25)
    check_pmf(x, -(p ** k) / (k * l), start=1)


@pytest.mark.parametrize("a", [3.0, 1.5, 7.0, 2000.0])
def test_zipf(a):
    g = snp.random.default_rng(25)
    x = arr(g.zipf(a, N))
    assert x.dtype == np.int64 and x.min() >= 1
    if a > 1000:
        assert np.all(x == 1)
        return
    k = np.arange(1, 20, dtype=np.float64)
    check_pmf(x, k ** -a / zeta(a), start=1)
    if a > 5:
        check_moments(x, zeta(a - 1) / zeta(a), zeta(a - 2) / zeta(a) - (zeta(a - 1) / zeta(a)) ** 2)


def test_multinomial():
    g = snp.random.default_rng(26)
    p = np.array([0.2, 0.3, 0.5])
    x = arr(g.multinomial(20, p, size=N))
    assert x.shape == (N, 3) and x.dtype == np.int64
    assert np.all(x.sum(axis=1) == 20)
    for j in range(3):
        check_pmf(x[:, j], binom_pmf(20, p[j]))
    # Cov(X_0, X_1) = -n p0 p1
    c = np.mean((x[:, 0] - 4.0) * (x[:, 1] - 6.0))
    d = (x[:, 0] - 4.0) * (x[:, 1] - 6.0)
    assert abs(c + 20 * 0.2 * 0.3) <= Z * d.std() / math.sqrt(N)
    # pvals whose sum is below 1: the last category takes the rest; n broadcast against size
    y = arr(g.multinomial([5, 50], [0.1, 0.1], size=(N // 2, 2)))
    assert y.shape == (N // 2, 2, 2)
    assert np.all(y.sum(axis=-1) == [5, 50])
    check_pmf(y[:, 0, 0], binom_pmf(5, 0.1))
    check_moments(y[:, 1, 0], 5.0, 4.5)
    z = arr(g.multinomial(1000, [0.0, 1.0, 0.0], size=10))
    assert np.all(z == [0, 1000, 0])


def test_multinomial_pvals_2d():
    g = snp.random.default_rng(27)
    x = arr(g.multinomial([[10], [20]], [[0.5, 0.5], [0.1, 0.9]], size=(N // 4, 2, 2)))
    assert x.shape == (N // 4, 2, 2, 2)
    assert np.all(x.sum(axis=-1) == np.array([[10, 10], [20, 20]]))
    check_pmf(x[:, 0, 1, 0], binom_pmf(10, 0.1))
    check_moments(x[:, 1, 0, 0], 10.0, 5.0)


@pytest.mark.parametrize("alpha", [[1.0, 2.0, 3.0], [0.1, 0.05, 0.2], [50.0, 0.5]])
def test_dirichlet(alpha):
    g = snp.random.default_rng(28)
    a = np.asarray(alpha)
    x = arr(g.dirichlet(a, N // 2))
    assert x.shape == (N // 2, a.size) and x.dtype == np.float64
    assert np.allclose(x.sum(axis=1), 1.0) and np.all(x >= 0)
    a0 = a.sum()
    for j in range(a.size):
        check_moments(x[:, j], a[j] / a0, a[j] * (a0 - a[j]) / (a0 * a0 * (a0 + 1)))


def test_dirichlet_zero_alpha():
    g = snp.random.default_rng(29)
    x = arr(g.dirichlet([0.0, 2.0, 2.0], 1000))
    assert np.all(x[:, 0] == 0) and np.allclose(x.sum(axis=1), 1)
    assert np.all(arr(g.dirichlet([0.0, 0.0], 3)) == 0)


@pytest.mark.parametrize("method", ["svd", "eigh", "cholesky"])
def test_multivariate_normal(method):
    g = snp.random.default_rng(30)
    mean = np.array([1.0, -2.0, 0.5])
    cov = np.array([[2.0, 0.6, -0.3], [0.6, 1.0, 0.2], [-0.3, 0.2, 0.5]])
    x = arr(g.multivariate_normal(mean, cov, size=N // 2, method=method))
    assert x.shape == (N // 2, 3) and x.dtype == np.float64
    n = x.shape[0]
    for i in range(3):
        check_moments(x[:, i], mean[i], cov[i, i])
        for j in range(i):
            c = np.mean((x[:, i] - mean[i]) * (x[:, j] - mean[j]))
            se = math.sqrt((cov[i, i] * cov[j, j] + cov[i, j] ** 2) / n)
            assert abs(c - cov[i, j]) <= Z * se, (i, j, c, cov[i, j])


@pytest.mark.parametrize("method", ["svd", "eigh"])
def test_multivariate_normal_singular(method):
    g = snp.random.default_rng(31)
    # rank 1: X_1 = 2 X_0 exactly (up to rounding)
    cov = np.array([[1.0, 2.0], [2.0, 4.0]])
    x = arr(g.multivariate_normal([0.0, 0.0], cov, size=(100, 2), method=method))
    assert x.shape == (100, 2, 2)
    assert np.allclose(x[..., 1], 2 * x[..., 0], atol=1e-6)
    with pytest.warns(RuntimeWarning):
        g.multivariate_normal([0.0, 0.0], [[1.0, 2.0], [2.0, 1.0]], method=method)
    with pytest.raises(ValueError):
        g.multivariate_normal([0.0, 0.0], [[1.0, 2.0], [2.0, 1.0]], check_valid="raise", method=method)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        g.multivariate_normal([0.0, 0.0], [[1.0, 2.0], [2.0, 1.0]], check_valid="ignore", method=method)


def test_multivariate_normal_cholesky_not_pd():
    g = snp.random.default_rng(32)
    with pytest.raises(np.linalg.LinAlgError):
        arr(g.multivariate_normal([0.0, 0.0], [[1.0, 2.0], [2.0, 1.0]], method="cholesky"))


def test_integers_array_bounds():
    g = snp.random.default_rng(33)
    x = arr(g.integers([0, 10, -5], [5, 13, 5], size=(N // 2, 3)))
    assert x.dtype == np.int64 and x.shape == (N // 2, 3)
    check_pmf(x[:, 0], np.full(5, 0.2))
    check_pmf(x[:, 1], np.full(3, 1 / 3), start=10)
    check_pmf(x[:, 2], np.full(10, 0.1), start=-5)
    y = arr(g.integers(0, [2, 3], size=(N // 2, 2), endpoint=True, dtype=np.uint8))
    assert y.dtype == np.uint8
    check_pmf(y[:, 0], np.full(3, 1 / 3))
    check_pmf(y[:, 1], np.full(4, 1 / 4))
    # a range above 2^63 (rejection is rare but possible), uint64 bounds
    big = np.array([2 ** 63 + 12345, 2 ** 64 - 1], dtype=np.uint64)
    z = arr(g.integers(np.uint64(0), big, size=(N // 2, 2), dtype=np.uint64))
    assert z.dtype == np.uint64 and np.all(z < big)
    for j in range(2):
        f = np.mean(z[:, j] >= big[j] // np.uint64(2))
        assert abs(f - 0.5) <= Z * math.sqrt(0.25 / (N // 2))
    legacy = arr(snp.random.RandomState(3).randint([1, 100], 200, size=(N // 2, 2)))
    assert legacy.min() >= 1 and legacy.max() < 200
    check_moments(legacy[:, 1], 149.5, (100 ** 2 - 1) / 12)


def test_random_float32_stays_below_one():
    g = snp.random.default_rng(34)
    x = arr(g.random(N, dtype=np.float32))
    assert x.dtype == np.float32 and x.min() >= 0 and x.max() < 1
    assert np.all(x * np.float32(2 ** 24) == np.floor(x * np.float32(2 ** 24)))  # the 2^-24 grid
    check_moments(x, 0.5, 1 / 12)


def test_permuted():
    g = snp.random.default_rng(37)
    x = np.arange(20).reshape(4, 5)
    for axis in (0, 1, -1):
        y = arr(g.permuted(x, axis=axis))
        assert y.shape == x.shape and y.dtype == x.dtype
        assert np.array_equal(np.sort(y, axis=axis), x)  # every slice along axis is a permutation of itself
    z = arr(g.permuted(x))
    assert sorted(z.ravel()) == list(range(20))
    out = np.zeros((4, 5), dtype=x.dtype)
    assert g.permuted(x, axis=1, out=out) is out and np.array_equal(np.sort(out, axis=1), x)
    # uniform: the position of 0 in a row of 4, over many rows shuffled independently
    rows = arr(g.permuted(np.tile(np.arange(4), (N // 8, 1)), axis=1))
    check_pmf(np.argmax(rows == 0, axis=1), np.full(4, 0.25))


def test_bytes():
    g = snp.random.default_rng(35)
    b = g.bytes(N)
    assert isinstance(b, bytes) and len(b) == N
    check_pmf(np.frombuffer(b, dtype=np.uint8), np.full(256, 1 / 256))
    assert isinstance(snp.random.bytes(7), bytes) and len(snp.random.bytes(7)) == 7
    assert g.bytes(0) == b""


def test_random_integers_deprecated():
    snp.random.seed(36)
    with pytest.warns(DeprecationWarning):
        x = arr(snp.random.random_integers(3, 6, size=N))
    assert x.min() >= 3 and x.max() <= 6
    check_pmf(x, np.full(4, 0.25), start=3)
    with pytest.warns(DeprecationWarning):
        y = arr(snp.random.random_integers(5, size=1000))
    assert y.min() >= 1 and y.max() <= 5


def test_nan_parameters_propagate_as_numpy():
    nan = np.nan
    for name, call in [
        ("gamma", lambda r: r.gamma(nan, size=3)), ("standard_gamma", lambda r: r.standard_gamma(nan, 3)),
        ("gamma scale", lambda r: r.gamma(1.0, nan, 3)), ("beta", lambda r: r.beta(nan, 1.0, 3)),
        ("chisquare", lambda r: r.chisquare(nan, 3)), ("noncentral_chisquare", lambda r: r.noncentral_chisquare(1.5, nan, 3)),
        ("noncentral_chisquare small df", lambda r: r.noncentral_chisquare(0.5, nan, 3)),
        ("f", lambda r: r.f(nan, 1.0, 3)), ("standard_t", lambda r: r.standard_t(nan, 3)),
        ("lognormal", lambda r: r.lognormal(0.0, nan, 3)), ("laplace", lambda r: r.laplace(0.0, nan, 3)),
        ("vonmises", lambda r: r.vonmises(0.0, nan, 3)), ("vonmises mu", lambda r: r.vonmises(nan, 1.0, 3)),
        ("wald", lambda r: r.wald(nan, 1.0, 3)), ("triangular", lambda r: r.triangular(nan, 1.0, 2.0, 3)),
        ("gamma array", lambda r: r.gamma([nan, 2.0, 0.0, np.inf], size=(2, 4))),
        ("exponential", lambda r: r.exponential([nan, 1.0])),
    ]:
        e = np.asarray(call(np.random.default_rng(0)))
        x = arr(call(snp.random.default_rng(0)))
        assert x.shape == e.shape and x.dtype == e.dtype, name
        assert np.array_equal(np.isnan(x), np.isnan(e)), (name, x, e)
        assert np.array_equal(np.isinf(x), np.isinf(e)), (name, x, e)
    assert np.all(arr(snp.random.default_rng(0).gamma([0.0, 0.0])) == 0)
    assert np.all(arr(snp.random.default_rng(0).weibull(0.0, 4)) == 0)


# --------------------------------------------------------------------------
# shapes, dtypes, broadcasting, scalars and errors: as NumPy
# --------------------------------------------------------------------------

BOTH = [
    lambda r: r.gamma(2.0, size=(2, 3)), lambda r: r.gamma([1.0, 2.0], [[1.0], [2.0], [3.0]]),
    lambda r: r.gamma(np.array([[0.5], [2.0]]), 1.0, (4, 2, 3)), lambda r: r.standard_gamma(0.5, 0),
    lambda r: r.standard_gamma([0.5, 3.0]), lambda r: r.beta([0.5, 2.0], 3.0), lambda r: r.beta(1.0, 2.0, (3, 0)),
    lambda r: r.chisquare([1.0, 2.0, 3.0]), lambda r: r.chisquare(2, (2, 2)),
    lambda r: r.noncentral_chisquare([0.5, 3.0], [[1.0], [0.0]]), lambda r: r.f(3, [4.0, 5.0], (3, 2)),
    lambda r: r.noncentral_f(3.0, 4.0, [0.0, 1.0]), lambda r: r.lognormal([0.0, 1.0], 0.5),
    lambda r: r.laplace(size=5), lambda r: r.laplace([1.0, 2.0], [[1.0], [3.0]]), lambda r: r.logistic(0, [1, 2]),
    lambda r: r.gumbel(size=(2, 1)), lambda r: r.weibull([0.5, 1.0, 0.0]), lambda r: r.pareto(3, 4),
    lambda r: r.power([1.0, 2.0], (2, 2)), lambda r: r.rayleigh(size=3), lambda r: r.rayleigh([1.0, 2.0]),
    lambda r: r.standard_cauchy((2, 3)), lambda r: r.standard_t([1.0, 5.0]), lambda r: r.standard_t(3, 0),
    lambda r: r.geometric([0.5, 0.1]), lambda r: r.geometric(0.5, (3, 2)),
    lambda r: r.negative_binomial([1.5, 3], 0.5), lambda r: r.negative_binomial(3, [0.2, 0.7], (4, 2)),
    lambda r: r.hypergeometric([5, 6], 5, 3, size=(2, 2)), lambda r: r.hypergeometric(5.7, 5.2, 3.9, size=2),
    lambda r: r.hypergeometric(10, 20, 5, 6), lambda r: r.logseries([0.1, 0.9]), lambda r: r.logseries(0.5, (2, 2)),
    lambda r: r.zipf([2.0, 3.0]), lambda r: r.zipf(2.5, 7), lambda r: r.triangular(0, [1, 2], 3),
    lambda r: r.triangular(0, 1, 3, (2, 2)), lambda r: r.vonmises([0.0, 1.0], [1e-9, 2.0, 1e7][:2]),
    lambda r: r.vonmises(0.0, 2.0, (3,)), lambda r: r.wald([1.0, 2.0], 3.0), lambda r: r.wald(1.0, 1.0, size=()),
    lambda r: r.multinomial(10, [0.2, 0.8]), lambda r: r.multinomial(10, [0.2, 0.3, 0.5], size=(2, 3)),
    lambda r: r.multinomial(5, [0.2, 0.3], size=(2, 0)), lambda r: r.multinomial(np.int64(3), [0.5, 0.5], 4),
    lambda r: r.dirichlet([1.0, 2.0]), lambda r: r.dirichlet([1, 2, 3], size=(2, 2)), lambda r: r.dirichlet([1.0, 2.0], size=0),
    lambda r: r.dirichlet([]),
    lambda r: r.multivariate_normal([0.0, 1.0], np.eye(2), size=3), lambda r: r.multivariate_normal([0, 1], [[1, 0], [0, 1]]),
    lambda r: r.multivariate_normal([0.0], [[2.0]], size=(2, 3)),
    lambda r: r.standard_exponential((2, 2)), lambda r: r.exponential([1.0, 2.0], (3, 2)),
    lambda r: r.uniform([0.0, 1.0], 2.0), lambda r: r.uniform(0.0, [[1.0], [2.0]], (2, 3)),
    lambda r: r.normal([0.0, 1.0], [[1.0], [2.0]]), lambda r: r.normal(0.0, [1.0, 2.0], (3, 2)),
]
GENERATOR_ONLY = [
    lambda r: r.standard_gamma(2.0, 3, dtype=np.float32), lambda r: r.standard_gamma(2.0, dtype=np.float32),
    lambda r: r.standard_exponential(3, dtype=np.float32), lambda r: r.standard_normal(3, dtype=np.float32),
    lambda r: r.random((2, 2), dtype=np.float32), lambda r: r.random(dtype=np.float32),
    lambda r: r.integers([0, 5], 10), lambda r: r.integers(3, [5, 6], size=(2, 2), dtype=np.int32, endpoint=True),
    lambda r: r.integers(np.array([[0], [1]]), np.array([5, 6, 7]), dtype=np.int8),
    lambda r: r.integers(0, 2, size=3, dtype=np.uint16),
    lambda r: r.multinomial([2, 3], [0.5, 0.5]), lambda r: r.multinomial([2, 3], [0.5, 0.5], size=(4, 2)),
    lambda r: r.multinomial([[3], [4]], [[0.5, 0.5], [0.2, 0.8], [1.0, 0.0]]),
    lambda r: r.multivariate_normal([0.0, 1.0], np.eye(2), size=3, method="eigh"),
    lambda r: r.multivariate_normal([0.0, 1.0], np.eye(2), size=(2, 2), method="cholesky"),
    lambda r: r.dirichlet([0.0, 1.0]), lambda r: r.hypergeometric(5, 5, 0, 3),
]
LEGACY_ONLY = [
    lambda r: r.randint([1, 2], 5), lambda r: r.randint(5, size=(2, 2), dtype=np.int16),
    lambda r: r.multinomial(2, []), lambda r: r.rand(2, 3),
]


def _gen(m):
    return m.random.default_rng(0)


def _leg(m):
    return m.random


def _rs(m):
    return m.random.RandomState(0)


CASES = ([("generator", c) for c in BOTH + GENERATOR_ONLY] + [("legacy", c) for c in BOTH + LEGACY_ONLY]
         + [("randomstate", c) for c in BOTH[::4] + LEGACY_ONLY])
GET = {"generator": _gen, "legacy": _leg, "randomstate": _rs}


@pytest.mark.parametrize("kind, call", CASES)
def test_shapes_dtypes_as_numpy(kind, call):
    np.random.seed(0)
    snp.random.seed(0)
    e = call(GET[kind](np))
    x = call(GET[kind](snp))
    assert np.ndim(x) == np.ndim(e)
    if np.ndim(e) == 0 and not isinstance(e, np.ndarray):  # NumPy returned a scalar
        assert not isinstance(x, snp.ndarray) or snp is np, type(x)
        assert isinstance(x, (int, float, np.generic)), type(x)
        assert np.asarray(x).dtype.kind == np.asarray(e).dtype.kind
        return
    x = arr(x)
    e = np.asarray(e)
    assert x.shape == e.shape and x.dtype == e.dtype, (x.shape, x.dtype, e.shape, e.dtype)


@pytest.mark.parametrize("kind", ["generator", "legacy"])
def test_scalar_results(kind):
    calls = [
        (lambda r: r.gamma(2.0), float), (lambda r: r.standard_gamma(0.5), float), (lambda r: r.beta(1.0, 2.0), float),
        (lambda r: r.chisquare(2.0), float), (lambda r: r.noncentral_chisquare(0.5, 1.0), float),
        (lambda r: r.f(1.0, 2.0), float), (lambda r: r.noncentral_f(1.0, 2.0, 3.0), float),
        (lambda r: r.lognormal(), float), (lambda r: r.laplace(), float), (lambda r: r.logistic(), float),
        (lambda r: r.gumbel(), float), (lambda r: r.weibull(1.0), float), (lambda r: r.pareto(1.0), float),
        (lambda r: r.power(1.0), float), (lambda r: r.rayleigh(), float), (lambda r: r.standard_cauchy(), float),
        (lambda r: r.standard_t(2.0), float), (lambda r: r.triangular(0, 1, 2), float),
        (lambda r: r.vonmises(0.0, 1.0), float), (lambda r: r.wald(1.0, 1.0), float),
        (lambda r: r.geometric(0.5), int), (lambda r: r.negative_binomial(2, 0.5), int),
        (lambda r: r.hypergeometric(5, 5, 3), int), (lambda r: r.logseries(0.5), int), (lambda r: r.zipf(2.0), int),
        (lambda r: r.gamma(np.float64(2.0)), float), (lambda r: r.gamma(np.array(2.0)), float),
    ]
    for call, kind_ in calls:
        v = call(GET[kind](snp))
        assert np.ndim(v) == 0 and not isinstance(v, snp.ndarray) or snp is np
        kind_(v)
        assert np.asarray(v).dtype.kind == ("f" if kind_ is float else "i")


ERRORS = [
    "gamma(-1.0)", "gamma(1.0, -1.0)", "gamma([1.0, -1.0])", "standard_gamma(-1.0)", "gamma([1.0, 2.0], size=3)",
    "beta(0.0, 1.0)", "beta(1.0, -1.0)", "chisquare(0.0)", "noncentral_chisquare(0.0, 1.0)",
    "noncentral_chisquare(1.0, -1.0)", "f(0.0, 1.0)", "f(1.0, 0.0)", "noncentral_f(0.0, 1.0, 1.0)",
    "noncentral_f(1.0, 0.0, 1.0)", "noncentral_f(1.0, 1.0, -1.0)", "lognormal(0.0, -1.0)", "laplace(0.0, -1.0)",
    "logistic(0.0, -1.0)", "gumbel(0.0, -1.0)", "weibull(-1.0)", "pareto(0.0)", "power(0.0)", "power(-1.0)",
    "rayleigh(-1.0)", "standard_t(0.0)", "geometric(0.0)", "geometric(1.1)", "geometric(np.nan)",
    "negative_binomial(0, 0.5)", "negative_binomial(1, 1.5)", "negative_binomial(1, 0.0)",
    "negative_binomial(np.nan, 0.5)", "negative_binomial(1, np.nan)", "hypergeometric(-1, 5, 1)",
    "hypergeometric(5, -1, 1)", "hypergeometric(5, 5, -1)", "hypergeometric(5, 5, 11)", "hypergeometric(5, 5, 0)",
    "hypergeometric(10 ** 9, 1, 1)", "hypergeometric(np.nan, 5, 1)", "logseries(1.0)", "logseries(-0.1)",
    "logseries(np.nan)", "zipf(1.0)", "zipf(np.nan)", "zipf([2.0, 0.5])", "triangular(1, 0, 2)",
    "triangular(0, 3, 2)", "triangular(1, 1, 1)", "vonmises(0, -1)", "wald(0, 1)", "wald(1, 0)", "wald(1, -1)",
    "multinomial(-1, [0.5, 0.5])", "multinomial(3, [0.7, 0.7, 0.1])", "multinomial(3, [-0.1, 0.7, 0.4])",
    "multinomial(3, [np.nan, 0.5])", "multinomial(3, 0.5)", "multinomial(np.nan, [0.5, 0.5])",
    "multinomial([2, 3], [0.5, 0.5])", "dirichlet([0.0, 1.0])", "dirichlet([-1.0, 1.0])", "dirichlet([[1.0, 1.0]])",
    "multivariate_normal([[0.0]], [[1.0]])", "multivariate_normal([0.0], [1.0])",
    "multivariate_normal([0.0, 0.0], [[1.0]])", "multivariate_normal([0.0], [[1.0]], check_valid='x')",
    "multivariate_normal([0.0, 0.0], [[1.0, 2.0], [2.0, 1.0]], check_valid='raise')",
    "multivariate_normal([0.0], [[1.0]], method='x')", "standard_gamma(1.0, dtype=np.int64)",
    "random(dtype=np.int64)", "integers(5, 5)", "integers([1, 5], 5)", "integers(-1, 5, dtype=np.uint8)",
    "integers(0, [5, 300], dtype=np.uint8)", "randint(5, 5)", "randint([1, 5], 3)", "uniform(-1e308, 1e308)",
    "normal(0.0, [1.0, -1.0])", "gamma([[1.0], [2.0]], size=(3, 2))", "gamma([[1.0, 2.0]], [3.0, 4.0], size=(2,))",
    "beta([1.0, 2.0], [1.0, 2.0, 3.0])", "logseries([0.5, 2.0])", "zipf([2.0, np.nan])", "poisson([-1.0, 2.0])",
    "binomial(3, [0.5, 2.0])", "hypergeometric(5, 5, [1, 0])", "negative_binomial(1, [0.5, 2.0])",
    "integers(0, 5, dtype=float)", "randint(0, 5, dtype=float)", "permuted(np.ones((2, 2)), axis=2)",
]
#: NumPy's message is not starp's (the exception type is still NumPy's)
OTHER_MESSAGE = {"dirichlet([[1.0, 1.0]])", "multinomial(3, 0.5)", "multinomial([2, 3], [0.5, 0.5])",
                 "hypergeometric(np.nan, 5, 1)", "multinomial(np.nan, [0.5, 0.5])"}


@pytest.mark.parametrize("kind", ["generator", "legacy"])
@pytest.mark.parametrize("src", ERRORS)
def test_errors_as_numpy(kind, src):

    def call(r):
        return eval("r." + src)

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            call(GET[kind](np))
    except AttributeError:
        pytest.skip("not in this NumPy interface")
    except Exception as e:  # noqa: BLE001
        exc, msg = expected_exception(e), str(e)
    else:
        pytest.skip("NumPy accepts it")
    with pytest.raises(exc) as info:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            arr(call(GET[kind](snp)))
    if kind == "generator" and exc is ValueError and src not in OTHER_MESSAGE:
        assert str(info.value) == msg


@starp_only
def test_get_state_set_state_say_why():
    for obj in (snp.random, snp.random.RandomState(1)):
        with pytest.raises(NotImplementedError, match="Philox"):
            obj.get_state()
        with pytest.raises(NotImplementedError, match="MT19937"):
            obj.set_state(("MT19937", np.zeros(624, np.uint32), 0, 0, 0.0))


# --------------------------------------------------------------------------
# seeding: RandomState, SeedSequence, default_rng
# --------------------------------------------------------------------------


def test_randomstate_is_seeded_like_the_legacy_functions():
    calls = [lambda r: r.gamma(2.0, size=7), lambda r: r.rand(5), lambda r: r.negative_binomial(3, 0.5, 9),
             lambda r: r.multinomial(10, [0.5, 0.5], 4), lambda r: r.zipf(2.0, 6), lambda r: r.randint(0, 9, 8),
             lambda r: r.standard_t(3.0, 5), lambda r: r.hypergeometric(5, 5, 3, 6)]
    rs = snp.random.RandomState(123)
    a = [arr(c(rs)) for c in calls]
    snp.random.seed(123)
    b = [arr(c(snp.random)) for c in calls]
    rs.seed(123)
    c_ = [arr(c(rs)) for c in calls]
    for x, y, z in zip(a, b, c_):
        assert x.tobytes() == y.tobytes() == z.tobytes()
    # independent of the global stream
    snp.random.seed(5)
    u = arr(snp.random.rand(4))
    snp.random.seed(5)
    snp.random.RandomState(5).rand(4)
    assert arr(snp.random.rand(4)).tobytes() == u.tobytes()


def test_seed_sequence_and_default_rng():
    ss = snp.random.SeedSequence(2024)
    a = arr(snp.random.default_rng(ss).gamma(2.0, size=20))
    b = arr(snp.random.default_rng(snp.random.SeedSequence(2024)).gamma(2.0, size=20))
    assert a.tobytes() == b.tobytes()
    c = arr(snp.random.default_rng(snp.random.SeedSequence(2025)).gamma(2.0, size=20))
    assert a.tobytes() != c.tobytes()
    d = arr(snp.random.default_rng(np.random.SeedSequence(2024)).gamma(2.0, size=20))  # NumPy's SeedSequence
    assert d.tobytes() == a.tobytes()
    e = arr(snp.random.default_rng([1, 2, 3]).random(10))
    f = arr(snp.random.default_rng([1, 2, 3]).random(10))
    assert e.tobytes() == f.tobytes()
    g = snp.random.default_rng(7)
    assert snp.random.default_rng(g) is g
    kids = g.spawn(3)
    vals = [arr(k.random(10)).tobytes() for k in kids]
    assert len(set(vals)) == 3
    assert all(v != arr(snp.random.default_rng(7).random(10)).tobytes() for v in vals)
    x = arr(snp.random.default_rng(snp.random.SeedSequence()).random(5))  # rank 0's entropy
    assert x.shape == (5,)
    y = arr(snp.random.default_rng(np.random.PCG64(11)).random(5))  # a BitGenerator: its seed sequence
    assert y.tobytes() == arr(snp.random.default_rng(np.random.PCG64(11)).random(5)).tobytes()
    with pytest.raises(TypeError):
        snp.random.default_rng(1.5)
    with pytest.raises(ValueError):
        snp.random.default_rng(-1)


# --------------------------------------------------------------------------
# reproducibility and P-independence
# --------------------------------------------------------------------------


def _sequence(seed):
    g = snp.random.default_rng(seed)
    n = 257
    out = [
        g.gamma(2.5, 2.0, n), g.gamma([0.3, 4.0, 0.0], size=(n, 3)), g.standard_gamma(0.7, n),
        g.beta(0.5, [0.2, 3.0], size=(n, 2)), g.chisquare(3.0, n), g.noncentral_chisquare([0.5, 3.0], 2.0, size=(n, 2)),
        g.noncentral_chisquare(0.5, 40.0, n), g.f(5.0, 10.0, n), g.noncentral_f(3.0, 4.0, 2.0, n), g.standard_t(4.0, n),
        g.negative_binomial([3, 30], 0.4, size=(n, 2)), g.geometric(0.3, n), g.geometric([0.5, 1e-3], size=(n, 2)),
        g.hypergeometric([20, 5], 30, 10, size=(n, 2)), g.hypergeometric(100, 200, 50, n), g.logseries(0.9, n),
        g.zipf([1.5, 3.0], size=(n, 2)), g.vonmises(0.5, [1e-9, 2.0, 1e7, 1e-6], size=(n, 4)), g.wald(2.0, 3.0, n),
        g.multinomial(50, [0.2, 0.3, 0.5], size=n), g.dirichlet([0.1, 1.0, 3.0], size=n),
        g.multivariate_normal([0.0, 1.0], [[1.0, 0.5], [0.5, 2.0]], size=n),
        g.multivariate_normal([0.0, 1.0], [[1.0, 0.5], [0.5, 2.0]], size=n, method="cholesky"),
        g.integers([0, 10], [5, 2 ** 40], size=(n, 2)), g.laplace(size=n), g.logistic(size=n), g.gumbel(size=n),
        g.weibull(2.0, n), g.pareto(3.0, n), g.power(2.0, n), g.rayleigh(size=n), g.standard_cauchy(n),
        g.triangular(0, 1, 3, n), g.lognormal(size=n), g.random(n, dtype=np.float32),
        g.standard_gamma(3.0, n, dtype=np.float32), np.frombuffer(g.bytes(n), dtype=np.uint8),
        g.permuted(np.arange(3 * n).reshape(n, 3), axis=1), g.permuted(np.arange(n)),
    ]
    rs = snp.random.RandomState(seed)
    out += [rs.gamma(0.5, size=n), rs.negative_binomial(2.5, 0.3, n), rs.multinomial(7, [0.5, 0.5], n),
            rs.dirichlet([1.0, 1.0], n), rs.multivariate_normal([0.0], [[4.0]], n), rs.zipf(2.0, n)]
    snp.random.seed(seed)
    out += [snp.random.standard_t(3.0, n), snp.random.logseries(0.5, n), snp.random.vonmises(1.0, 3.0, n)]
    return [arr(x) for x in out]


def test_same_seed_same_numbers():
    assert_seeded(_sequence)


@starp_only
@pytest.mark.cross_ranks
def test_identical_numbers_for_all_ranks():
    assert_same_bits_on_all_ranks(_sequence, 27182)
