"""``starp.numpy.random``: counter-based (Philox 4x32-10) streams.

Element i of a stream's k-th draw is a function of (seed, k, i) only, so the same seed gives the same
numbers on any number of ranks or threads. The numbers are not NumPy's: NumPy's bit generators
(MT19937, PCG64, ...) are sequential and starp's streams are counter-based, so a seed gives other
values than in NumPy -- the same distributions, shapes, dtypes and errors, not the same draws. For the
same reason ``get_state``/``set_state`` raise NotImplementedError: a starp stream (a seed and a count
of draws) is not an MT19937 state; reseed with ``seed(s)``/``default_rng(s)``/``RandomState(s)``.

Samplers that need rejection (gamma and everything built on it: beta, chisquare, the t and F
families, dirichlet, negative_binomial; zipf, vonmises, logseries, Poisson with per-element means,
integers with array bounds) run in rounds: each round is a fresh draw over the whole shape, element i
keeps the candidate of the first round that accepted it, and rounds continue until every element is
accepted (one sync point per round, no cap on the rounds; Poisson means below 10 search the CDF with
one uniform per element, a few terms per round). Element i only ever reads its own
counters (seed, draw, i), so the samplers are exact in distribution and independent of the rank
count. Discrete distributions with scalar parameters (poisson, binomial, hypergeometric) invert a
CDF table with one uniform per element; with array parameters, and for multinomial, the uniforms
are inverted on the host, one table per distinct parameter tuple (every rank computes the same).
"""

import warnings as _warnings

import numpy as _np

from starp._session import current_session

from starp.numpy.random._streams import (
    SeedSequence,
    _draw,
    _host,
    _legacy,
    _new_rng,
    _rng,
    _seed_int,
)
from starp.numpy.random._samplers import (
    _STATE_MSG,
    _beta,
    _binomial,
    _bytes,
    _chisquare,
    _choice,
    _dirichlet,
    _exponential,
    _f,
    _float_dtype,
    _gamma,
    _geometric,
    _gumbel,
    _hypergeometric,
    _integers,
    _laplace,
    _logistic,
    _lognormal,
    _logseries,
    _multinomial,
    _multivariate_normal,
    _negative_binomial,
    _noncentral_chisquare,
    _noncentral_f,
    _normal_p,
    _out,
    _out_size,
    _pareto,
    _permutation,
    _permuted,
    _poisson,
    _power,
    _rayleigh,
    _shuffle,
    _standard_cauchy,
    _standard_gamma,
    _standard_t,
    _triangular,
    _uniform_p,
    _vonmises,
    _wald,
    _weibull,
    _zipf,
)


# ---- the classes ----

class _Distributions:
    """The distributions NumPy's Generator and RandomState share (``self._rng`` is the stream)."""

    _legacy = False

    def exponential(self, scale=1.0, size=None):
        return _exponential(self._rng, scale, size)

    def poisson(self, lam=1.0, size=None):
        return _poisson(self._rng, lam, size)

    def binomial(self, n, p, size=None):
        return _binomial(self._rng, n, p, size)

    def uniform(self, low=0.0, high=1.0, size=None):
        return _uniform_p(self._rng, low, high, size)

    def normal(self, loc=0.0, scale=1.0, size=None):
        return _normal_p(self._rng, loc, scale, size)

    def gamma(self, shape, scale=1.0, size=None):
        return _gamma(self._rng, shape, scale, size)

    def beta(self, a, b, size=None):
        return _beta(self._rng, a, b, size)

    def chisquare(self, df, size=None):
        return _chisquare(self._rng, df, size)

    def noncentral_chisquare(self, df, nonc, size=None):
        return _noncentral_chisquare(self._rng, df, nonc, size)

    def f(self, dfnum, dfden, size=None):
        return _f(self._rng, dfnum, dfden, size)

    def noncentral_f(self, dfnum, dfden, nonc, size=None):
        return _noncentral_f(self._rng, dfnum, dfden, nonc, size)

    def lognormal(self, mean=0.0, sigma=1.0, size=None):
        return _lognormal(self._rng, mean, sigma, size)

    def laplace(self, loc=0.0, scale=1.0, size=None):
        return _laplace(self._rng, loc, scale, size)

    def logistic(self, loc=0.0, scale=1.0, size=None):
        return _logistic(self._rng, loc, scale, size)

    def gumbel(self, loc=0.0, scale=1.0, size=None):
        return _gumbel(self._rng, loc, scale, size)

    def weibull(self, a, size=None):
        return _weibull(self._rng, a, size)

    def pareto(self, a, size=None):
        return _pareto(self._rng, a, size)

    def power(self, a, size=None):
        return _power(self._rng, a, size)

    def rayleigh(self, scale=1.0, size=None):
        return _rayleigh(self._rng, scale, size)

    def standard_cauchy(self, size=None):
        return _standard_cauchy(self._rng, size)

    def standard_t(self, df, size=None):
        return _standard_t(self._rng, df, size)

    def geometric(self, p, size=None):
        return _geometric(self._rng, p, size, self._legacy)

    def negative_binomial(self, n, p, size=None):
        return _negative_binomial(self._rng, n, p, size, self._legacy)

    def hypergeometric(self, ngood, nbad, nsample, size=None):
        return _hypergeometric(self._rng, ngood, nbad, nsample, size, self._legacy)

    def logseries(self, p, size=None):
        return _logseries(self._rng, p, size)

    def zipf(self, a, size=None):
        return _zipf(self._rng, a, size)

    def triangular(self, left, mode, right, size=None):
        return _triangular(self._rng, left, mode, right, size)

    def vonmises(self, mu, kappa, size=None):
        return _vonmises(self._rng, mu, kappa, size)

    def wald(self, mean, scale, size=None):
        return _wald(self._rng, mean, scale, size)

    def multinomial(self, n, pvals, size=None):
        return _multinomial(self._rng, n, pvals, size, self._legacy)

    def dirichlet(self, alpha, size=None):
        return _dirichlet(self._rng, alpha, size, self._legacy)

    def bytes(self, length):
        return _bytes(self._rng, length)

    def permutation(self, x, axis=0):
        return _permutation(self._rng, x, axis)


class Generator(_Distributions):
    """NumPy's Generator interface over a Philox stream (not NumPy's numbers: see the module doc).

    ``Generator(seed)`` takes what ``default_rng`` takes: None, an int, a sequence of ints, a
    SeedSequence, a NumPy BitGenerator (its seed_seq)."""

    def __init__(self, seed=None):
        if isinstance(seed, _np.random.SeedSequence):
            self._seed_seq = seed
        elif seed is None:
            seed = current_session().entropy_seed()
            self._seed_seq = None
        else:
            self._seed_seq = None
        self._seed = seed
        self._rng = _new_rng(seed)

    def __repr__(self):
        return "Generator(Philox) at 0x%X" % id(self)

    def spawn(self, n_children):
        """Independent child generators (through a SeedSequence of this generator's seed)."""
        if self._seed_seq is None:
            self._seed_seq = SeedSequence(_seed_int(self._seed))
        return [Generator(c) for c in self._seed_seq.spawn(n_children)]

    def random(self, size=None, dtype=_np.float64, out=None):
        d = _float_dtype(dtype, "random")
        return _out(_draw(self._rng, "uniform", _out_size(size, out), 0.0, 1.0, d), out, d)

    def standard_normal(self, size=None, dtype=_np.float64, out=None):
        d = _float_dtype(dtype, "standard_normal")
        return _out(_draw(self._rng, "normal", _out_size(size, out), 0.0, 1.0, d), out, d)

    def integers(self, low, high=None, size=None, dtype=_np.int64, endpoint=False):
        return _integers(self._rng, low, high, size, dtype, endpoint)

    def standard_exponential(self, size=None, dtype=_np.float64, method="zig", out=None):
        d = _float_dtype(dtype, "standard_exponential")
        r = _exponential(self._rng, 1.0, _out_size(size, out))
        return _out(r if d == _np.float64 else (r.astype(d) if hasattr(r, "astype") else d.type(r)), out, d)

    def standard_gamma(self, shape, size=None, dtype=_np.float64, out=None):
        d = _float_dtype(dtype, "standard_gamma")
        r = _standard_gamma(self._rng, shape, _out_size(size, out))
        return _out(r if d == _np.float64 else (r.astype(d) if hasattr(r, "astype") else d.type(r)), out, d)

    def choice(self, a, size=None, replace=True, p=None, axis=0, shuffle=True):
        return _choice(self._rng, a, size, replace, p, axis)

    def shuffle(self, x, axis=0):
        _shuffle(self._rng, x, axis)

    def permuted(self, x, axis=None, out=None):
        return _permuted(self._rng, x, axis, out)

    def multivariate_normal(self, mean, cov, size=None, check_valid="warn", tol=1e-8, *, method="svd"):
        return _multivariate_normal(self._rng, mean, cov, size, check_valid, tol, method)


class RandomState(_Distributions):
    """NumPy's legacy RandomState interface over a Philox stream. ``RandomState(s)`` draws the same
    numbers as ``np.random.seed(s)`` followed by the module-level functions (which use a hidden
    RandomState); not NumPy's numbers (see the module doc)."""

    _legacy = True

    def __init__(self, seed=None):
        self._rng = _new_rng(seed)

    def __repr__(self):
        return "RandomState(Philox) at 0x%X" % id(self)

    def seed(self, seed=None):
        self._rng = _new_rng(seed)

    def get_state(self, legacy=True):
        raise NotImplementedError(_STATE_MSG)

    def set_state(self, state):
        raise NotImplementedError(_STATE_MSG)

    def rand(self, *shape):
        return _draw(self._rng, "uniform", shape if shape else None, 0.0, 1.0, "float64")

    def randn(self, *shape):
        return _draw(self._rng, "normal", shape if shape else None, 0.0, 1.0, "float64")

    def random_sample(self, size=None):
        return _draw(self._rng, "uniform", size, 0.0, 1.0, "float64")

    random = ranf = sample = random_sample

    def standard_normal(self, size=None):
        return _draw(self._rng, "normal", size, 0.0, 1.0, "float64")

    def randint(self, low, high=None, size=None, dtype=int):
        return _integers(self._rng, low, high, size, dtype, False, "randint")

    def integers(self, low, high=None, size=None, dtype=_np.int64):
        return _integers(self._rng, low, high, size, dtype, False)

    def random_integers(self, low, high=None, size=None):
        if high is None:
            _warnings.warn(f"This function is deprecated. Please call randint(1, {low} + 1) instead",
                           DeprecationWarning, stacklevel=2)
            low, high = 1, low
        else:
            _warnings.warn(f"This function is deprecated. Please call randint({low}, {high} + 1) instead",
                           DeprecationWarning, stacklevel=2)
        if _np.ndim(high) == 0 and not hasattr(high, "compute"):
            return self.randint(low, int(high) + 1, size)
        return self.randint(low, _host(high) + 1, size)

    def standard_exponential(self, size=None):
        return _exponential(self._rng, 1.0, size)

    def standard_gamma(self, shape, size=None):
        return _standard_gamma(self._rng, shape, size)

    def choice(self, a, size=None, replace=True, p=None):
        return _choice(self._rng, a, size, replace, p, legacy=True)

    def permutation(self, x):
        return _permutation(self._rng, x)

    def shuffle(self, x):
        _shuffle(self._rng, x)

    def multivariate_normal(self, mean, cov, size=None, check_valid="warn", tol=1e-8):
        return _multivariate_normal(self._rng, mean, cov, size, check_valid, tol, "svd")


def default_rng(seed=None):
    """A Generator: seed None (rank 0's entropy), an int, a sequence of ints, a SeedSequence, a
    NumPy BitGenerator (its seed_seq) or a starp Generator (returned as it is)."""
    if isinstance(seed, Generator):
        return seed
    return Generator(seed)


# ---- the module-level (legacy) functions: methods of a hidden RandomState on the global stream ----

class _GlobalState(RandomState):
    def __init__(self):
        pass

    @property
    def _rng(self):
        return _rng()

    @_rng.setter
    def _rng(self, value):
        _legacy["rng"] = value


_global = _GlobalState()


def seed(seed=None):
    _legacy["rng"] = _new_rng(seed)


def get_state(legacy=True):
    raise NotImplementedError(_STATE_MSG)


def set_state(state):
    raise NotImplementedError(_STATE_MSG)


rand = _global.rand
randn = _global.randn
random = random_sample = ranf = sample = _global.random_sample
uniform = _global.uniform
normal = _global.normal
standard_normal = _global.standard_normal
randint = _global.randint
integers = _global.integers
random_integers = _global.random_integers
exponential = _global.exponential
standard_exponential = _global.standard_exponential
poisson = _global.poisson
binomial = _global.binomial
choice = _global.choice
permutation = _global.permutation
shuffle = _global.shuffle
bytes = _global.bytes
gamma = _global.gamma
standard_gamma = _global.standard_gamma
beta = _global.beta
chisquare = _global.chisquare
noncentral_chisquare = _global.noncentral_chisquare
f = _global.f
noncentral_f = _global.noncentral_f
lognormal = _global.lognormal
laplace = _global.laplace
logistic = _global.logistic
gumbel = _global.gumbel
weibull = _global.weibull
pareto = _global.pareto
power = _global.power
rayleigh = _global.rayleigh
standard_cauchy = _global.standard_cauchy
standard_t = _global.standard_t
geometric = _global.geometric
negative_binomial = _global.negative_binomial
hypergeometric = _global.hypergeometric
logseries = _global.logseries
zipf = _global.zipf
triangular = _global.triangular
vonmises = _global.vonmises
wald = _global.wald
multinomial = _global.multinomial
dirichlet = _global.dirichlet
multivariate_normal = _global.multivariate_normal
