"""``starp.numpy.random``: counter-based (Philox) streams; the same seed gives the same numbers
on any number of ranks. Values differ from NumPy's generators (a different algorithm)."""

import numpy as _np

from starp import _core
from starp._session import current_session
from starp.numpy._array import dtype_name, wrap

_legacy = {"rng": None}


def _new_rng(seed):
    # An unseeded stream takes its seed from rank 0, so every rank draws the same numbers.
    return _core.Rng(current_session().entropy_seed() if seed is None else int(seed))


def _rng():
    if _legacy["rng"] is None:
        _legacy["rng"] = _new_rng(None)
    return _legacy["rng"]


def _size(size):
    if size is None:
        return None
    if isinstance(size, (tuple, list)):
        return [int(d) for d in size]
    return [int(size)]


def _draw(rng, kind, size, p0, p1, dtype):
    s = current_session()
    shape = _size(size)
    a = wrap(s.random(rng, kind, [] if shape is None else shape, p0, p1, dtype_name(dtype)), s)
    # NumPy returns a Python-like scalar when size is None.
    return a.compute()[()] if shape is None else a


def seed(seed=None):
    _legacy["rng"] = _new_rng(seed)


def rand(*shape):
    return _draw(_rng(), "uniform", shape if shape else None, 0.0, 1.0, "float64")


def randn(*shape):
    return _draw(_rng(), "normal", shape if shape else None, 0.0, 1.0, "float64")


def random(size=None):
    return _draw(_rng(), "uniform", size, 0.0, 1.0, "float64")


random_sample = random


def uniform(low=0.0, high=1.0, size=None):
    return _draw(_rng(), "uniform", size, float(low), float(high), "float64")


def normal(loc=0.0, scale=1.0, size=None):
    return _draw(_rng(), "normal", size, float(loc), float(scale), "float64")


def standard_normal(size=None):
    return normal(size=size)


def randint(low, high=None, size=None, dtype=int):
    if high is None:
        low, high = 0, low
    return _draw(_rng(), "integers", size, int(low), int(high), dtype)


def integers(low, high=None, size=None, dtype=_np.int64):
    return randint(low, high, size, dtype)


class Generator:
    """NumPy's Generator interface over a Philox stream."""

    def __init__(self, seed=None):
        self._rng = _new_rng(seed)

    def random(self, size=None, dtype=_np.float64):
        return _draw(self._rng, "uniform", size, 0.0, 1.0, dtype)

    def uniform(self, low=0.0, high=1.0, size=None):
        return _draw(self._rng, "uniform", size, float(low), float(high), "float64")

    def normal(self, loc=0.0, scale=1.0, size=None):
        return _draw(self._rng, "normal", size, float(loc), float(scale), "float64")

    def standard_normal(self, size=None, dtype=_np.float64):
        return _draw(self._rng, "normal", size, 0.0, 1.0, dtype)

    def integers(self, low, high=None, size=None, dtype=_np.int64, endpoint=False):
        if high is None:
            low, high = 0, low
        if endpoint:
            high = high + 1
        return _draw(self._rng, "integers", size, int(low), int(high), dtype)


def default_rng(seed=None):
    return Generator(seed)


# ---- more distributions (issue 6): built on the counter-based uniforms above, so element i of a
# draw still depends on (seed, draw, i) only and the numbers are the same for any rank count.
# exponential is -log(1 - U); poisson and binomial invert the CDF (a table of the CDF over every
# value with non-negligible mass, searched with U); permutation and choice without replacement
# sort uniform keys (argsort is a replicated host op, so the order does not depend on P either).

import math as _math

from numpy.exceptions import AxisError as _AxisError

#: largest lam / n * p with an inversion table (its length grows like 40 * sqrt(lam))
_MAX_MEAN = 1e10


def _starp():
    import starp.numpy as snp

    return snp


def _shape_of(size):
    if size is None:
        return None
    return tuple(_size(size))


def _uniform(rng, shape):
    """U in [0, 1) of the given shape (a starp array; () for a scalar draw)."""
    s = current_session()
    return wrap(s.random(rng, "uniform", list(shape), 0.0, 1.0, "float64"), s)


def _host(x):
    return _np.asarray(x.compute() if hasattr(x, "compute") else x)


def _finish(a, size):
    """A Python scalar when size is None and the parameters were scalars, as NumPy."""
    return a.compute()[()] if size is None and a.ndim == 0 else a


def _broadcast_size(size, *params):
    shape = _np.broadcast_shapes(*[_np.shape(p) for p in params])
    if size is None:
        return shape
    size = _shape_of(size)
    if _np.broadcast_shapes(shape, size) != size:
        raise ValueError(f"shape mismatch: objects cannot be broadcast to a single shape.  Mismatch is between arg 0 with shape {size} and arg 1 with shape {shape}.")
    return size


def _exponential(rng, scale, size):
    snp = _starp()
    sc = _host(scale)
    if _np.any(sc < 0) or _np.any(_np.isnan(sc)):
        raise ValueError("scale < 0")
    shape = _broadcast_size(size, sc)
    e = -snp.log1p(-_uniform(rng, shape))
    if sc.ndim == 0:
        r = e if float(sc) == 1.0 else e * float(sc)
    else:
        r = e * (scale if isinstance(scale, snp.ndarray) else snp.asarray(sc.astype(_np.float64)))
    return _finish(r, size if sc.ndim == 0 else ())


def _cdf_table(lo, hi, mode, log_ratio):
    """CDF over k = lo..hi of a unimodal pmf given log p(k+1) - log p(k) = log_ratio(k), normalized
    to end at exactly 1 (the mass outside [lo, hi] is far below 1e-16)."""
    k = _np.arange(lo, hi, dtype=_np.float64)  # ratios from k to k+1
    steps = log_ratio(k) if hi > lo else _np.zeros(0)
    m = int(mode) - lo
    logp = _np.zeros(hi - lo + 1)
    logp[m + 1:] = _np.cumsum(steps[m:])
    logp[:m] = -_np.cumsum(steps[:m][::-1])[::-1]
    p = _np.exp(logp)
    F = _np.cumsum(p)
    F /= F[-1]
    F[-1] = 1.0
    return F


def _poisson_table(lam):
    if lam == 0:
        return 0, _np.ones(1)
    sd = _math.sqrt(lam)
    lo = max(0, int(_math.floor(lam - 20 * sd - 30)))
    hi = int(_math.ceil(lam + 20 * sd + 30))
    loglam = _math.log(lam)
    return lo, _cdf_table(lo, hi, min(max(_math.floor(lam), lo), hi), lambda k: loglam - _np.log(k + 1))


def _binomial_table(n, p):
    if p == 0 or n == 0:
        return 0, _np.ones(1)
    if p == 1:
        return n, _np.ones(1)
    mean, sd = n * p, _math.sqrt(n * p * (1 - p))
    lo = max(0, int(_math.floor(mean - 20 * sd - 30)))
    hi = min(n, int(_math.ceil(mean + 20 * sd + 30)))
    lodds = _math.log(p) - _math.log1p(-p)
    mode = min(max(int(_math.floor((n + 1) * p)), lo), hi)
    return lo, _cdf_table(lo, hi, mode, lambda k: _np.log(n - k) - _np.log(k + 1) + lodds)


def _param_draw(rng, size, params, table, check):
    """Scalar parameters: lazy inversion. Array parameters: one table per distinct parameter
    tuple, the uniforms inverted on the host (every rank computes the same numbers)."""
    snp = _starp()
    ps = [_host(p) for p in params]
    for p in ps:
        check(p)
    if all(p.ndim == 0 for p in ps):
        lo, F = table(*[p.item() for p in ps])
        shape_ = () if size is None else _shape_of(size)
        u = _uniform(rng, shape_)
        k = snp.searchsorted(snp.asarray(F), u, side="right")
        return _finish(k + lo if lo else k, size)
    shape = _broadcast_size(size, *ps)
    u = _host(_uniform(rng, shape))
    bp = [_np.broadcast_to(p, shape) for p in ps]
    out = _np.empty(shape, dtype=_np.int64)
    stacked = _np.stack([b.astype(_np.float64).ravel() for b in bp], axis=1) if shape else _np.zeros((0, len(ps)))
    uniq, inv = _np.unique(stacked, axis=0, return_inverse=True)
    inv = inv.ravel()
    uf, of = u.ravel(), out.reshape(-1)
    for j, row in enumerate(uniq):
        sel = inv == j
        lo, F = table(*row)
        of[sel] = lo + _np.searchsorted(F, uf[sel], side="right")
    return snp.asarray(out)


def _check_lam(lam):
    if _np.any(~(lam >= 0)):
        raise ValueError("lam < 0 or lam is NaN")
    if _np.any(lam > _MAX_MEAN):
        raise ValueError("lam value too large")


def _poisson(rng, lam, size):
    return _param_draw(rng, size, [lam], lambda l: _poisson_table(float(l)), _check_lam)


def _binomial(rng, n, p, size):
    def check_n(x):
        if _np.any(x < 0):
            raise ValueError("n < 0")

    def check_p(x):
        if _np.any(~((x >= 0) & (x <= 1))):
            raise ValueError("p < 0, p > 1 or p is NaN")

    na, pa = _host(n), _host(p)
    if na.dtype.kind == "f":
        na = na.astype(_np.int64)
    if _np.any(na * pa.astype(_np.float64) > _MAX_MEAN):
        raise ValueError("n * p too large for starp's binomial")
    check_n(na)
    check_p(pa)
    return _param_draw(rng, size, [na, pa], lambda nn, pp: _binomial_table(int(nn), float(pp)), lambda x: None)


def _perm_indices(rng, n):
    """A uniformly random permutation of range(n): the argsort of n uniform keys."""
    return _starp().argsort(_uniform(rng, (n,)), kind="stable")


def _permutation(rng, x, axis=0):
    snp = _starp()
    if isinstance(x, (int, _np.integer)):
        return _perm_indices(rng, int(x))
    a = snp.asarray(x)
    if a.ndim == 0:
        raise _AxisError(f"axis {axis} is out of bounds for array of dimension 0")
    if not -a.ndim <= axis < a.ndim:
        raise _AxisError(f"axis {axis} is out of bounds for array of dimension {a.ndim}")
    axis %= a.ndim
    return snp.take(a, _perm_indices(rng, a.shape[axis]), axis=axis)


def _shuffle(rng, x, axis=0):
    snp = _starp()
    if not isinstance(x, (snp.ndarray, _np.ndarray)):
        if hasattr(x, "__len__"):
            raise NotImplementedError("starp's shuffle takes a starp or NumPy array")
        raise TypeError(f"object of type '{type(x).__name__}' has no len()")
    if x.ndim == 0:
        raise _AxisError(f"axis {axis} is out of bounds for array of dimension 0")
    r = _permutation(rng, x if isinstance(x, snp.ndarray) else snp.asarray(x), axis)
    if isinstance(x, snp.ndarray):
        x[...] = r
    else:
        x[...] = r.compute()


def _choice(rng, a, size, replace, p, axis=0, legacy=False):
    snp = _starp()
    if isinstance(a, (int, _np.integer)) or (_np.ndim(a) == 0 and not isinstance(a, snp.ndarray)):
        if not isinstance(a, (int, _np.integer)):
            a = _np.asarray(a)
            if a.dtype.kind not in "iu":
                raise ValueError("a must be a sequence or an integer, not <class 'float'>" if legacy
                                 else "a must be a sequence or an integer")
        pop, n = None, int(a)
    else:
        pop = snp.asarray(a)
        if legacy and pop.ndim != 1:
            raise ValueError("a must be 1-dimensional")
        if pop.ndim == 0:
            raise ValueError("a must be a sequence or an integer")
        axis = axis % pop.ndim
        n = pop.shape[axis]
    shape = () if size is None else _shape_of(size)
    k = int(_np.prod(shape, dtype=_np.int64))
    if n <= 0 and k > 0:
        if pop is not None:
            raise ValueError("a cannot be empty unless no samples are taken")
        raise ValueError("a must be greater than 0 unless no samples are taken" if legacy
                         else "a must be a positive integer unless no samples are taken")
    if n < 0:
        raise ValueError("a must be greater than 0 unless no samples are taken" if legacy
                         else "a must be a positive integer unless no samples are taken")
    pr = None
    if p is not None:
        pr = _host(p).astype(_np.float64)
        if pr.ndim != 1:
            raise ValueError("p must be 1-dimensional" if not legacy else "'p' must be 1-dimensional")
        if pr.size != n:
            raise ValueError("a and p must have same size")
        if _np.any(_np.isnan(pr)) or _np.any(pr < 0):
            raise ValueError("probabilities are not non-negative" if legacy else "Probabilities are not non-negative")
        if abs(pr.sum() - 1.0) > _math.sqrt(_np.finfo(_np.float64).eps):
            raise ValueError("probabilities do not sum to 1" if legacy else
                             "Probabilities do not sum to 1. See Notes section of docstring for more information.")
    if replace:
        if pr is None:
            idx = wrap(current_session().random(rng, "integers", list(shape), 0, max(n, 1), "int64"), current_session())
        else:
            F = _np.cumsum(pr)
            F /= F[-1]
            F[-1] = 1.0
            idx = snp.minimum(snp.searchsorted(snp.asarray(F), _uniform(rng, shape), side="right"), n - 1)
    else:
        if k > n:
            raise ValueError("Cannot take a larger sample than population when 'replace=False'" if legacy
                             else "Cannot take a larger sample than population when replace is False")
        if pr is None:
            idx = _perm_indices(rng, n)[:k].reshape(shape)
        else:
            if _np.count_nonzero(pr > 0) < k:
                raise ValueError("Fewer non-zero entries in p than size")
            # Efraimidis-Spirakis: the k largest keys U^(1/p) (compared as log(U)/p) are a
            # weighted sample without replacement, drawn in successive-draw order.
            keys = snp.log1p(-_uniform(rng, (n,))) / snp.asarray(pr)
            idx = snp.argsort(-keys, kind="stable")[:k].reshape(shape)
    if pop is not None:
        r = snp.take(pop, idx, axis=axis)
        return r.compute()[()] if size is None and pop.ndim == 1 else r
    return _finish(idx, size)


def _gen_exponential(self, scale=1.0, size=None):
    return _exponential(self._rng, scale, size)


def _gen_standard_exponential(self, size=None, dtype=_np.float64, method="zig", out=None):
    r = _exponential(self._rng, 1.0, size)
    return r if _np.dtype(dtype) == _np.float64 else r.astype(dtype)


def _gen_poisson(self, lam=1.0, size=None):
    return _poisson(self._rng, lam, size)


def _gen_binomial(self, n, p, size=None):
    return _binomial(self._rng, n, p, size)


def _gen_choice(self, a, size=None, replace=True, p=None, axis=0, shuffle=True):
    return _choice(self._rng, a, size, replace, p, axis)


def _gen_permutation(self, x, axis=0):
    return _permutation(self._rng, x, axis)


def _gen_shuffle(self, x, axis=0):
    _shuffle(self._rng, x, axis)


Generator.exponential = _gen_exponential
Generator.standard_exponential = _gen_standard_exponential
Generator.poisson = _gen_poisson
Generator.binomial = _gen_binomial
Generator.choice = _gen_choice
Generator.permutation = _gen_permutation
Generator.shuffle = _gen_shuffle


def exponential(scale=1.0, size=None):
    return _exponential(_rng(), scale, size)


def standard_exponential(size=None):
    return _exponential(_rng(), 1.0, size)


def poisson(lam=1.0, size=None):
    return _poisson(_rng(), lam, size)


def binomial(n, p, size=None):
    return _binomial(_rng(), n, p, size)


def choice(a, size=None, replace=True, p=None):
    return _choice(_rng(), a, size, replace, p, legacy=True)


def permutation(x):
    return _permutation(_rng(), x)


def shuffle(x):
    _shuffle(_rng(), x)


random_sample = ranf = sample = random
