"""The distributions' samplers: functions of a stream, parameters and a size, built from
starp's lazy primitives (see the package docstring for the rejection rounds)."""

import math as _math
import operator as _operator
import warnings as _warnings

import numpy as _np
from numpy.exceptions import AxisError as _AxisError

from starp._session import current_session
from starp.numpy._array import wrap

from starp.numpy.random._streams import (
    _MAX_MEAN,
    _TWO63,
    _as_int64,
    _bad,
    _broadcast_size,
    _draw,
    _f64,
    _finish,
    _host,
    _lz,
    _normal,
    _persist,
    _pick,
    _shape_of,
    _size,
    _starp,
    _std_exp,
    _uniform,
    _uniform_open,
    _until_accepted,
)


# ---- gamma family ----

def _mt_gamma(rng, shape, k, todo=None):
    """Marsaglia & Tsang (2000) for shapes k >= 1: d * v, exact (rejection in rounds).
    k: a float or a starp array broadcastable to shape (only harmless where todo is False)."""
    snp = _starp()
    d = k - 1.0 / 3.0
    c = 1.0 / _math.sqrt(9.0 * d) if isinstance(d, float) else 1.0 / snp.sqrt(9.0 * d)

    def propose():
        z = _normal(rng, shape)
        u = _uniform(rng, shape)
        t = 1.0 + c * z
        v = t * t * t
        ok = (v > 0.0) & (snp.log(u) < 0.5 * z * z + d - d * v + d * snp.log(v))
        return d * v, ok

    return _until_accepted(propose, todo)


def _std_gamma(rng, shape, k, log=False):
    """Standard gamma(k) (k: a float, a NumPy array or a starp array, broadcastable to shape),
    exact: Marsaglia-Tsang for k >= 1, G(k + 1) * U^(1/k) for k < 1. k == 0 gives 0, inf gives
    inf, NaN gives NaN (NumPy's). log=True returns log G, finite for tiny k where G underflows."""
    snp = _starp()
    if not isinstance(k, snp.ndarray):
        kh = _np.asarray(k, dtype=_np.float64)
        if kh.ndim == 0:
            kf = float(kh)
            if not 0.0 < kf < _math.inf:
                v = kf if (kf != 0.0) else (-_math.inf if log else 0.0)
                return snp.full(shape, v, dtype=_np.float64)
            if kf >= 1.0:
                g = _mt_gamma(rng, shape, kf)
                return snp.log(g) if log else g
            g = _mt_gamma(rng, shape, kf + 1.0)
            w = snp.log1p(-_uniform(rng, shape)) / kf  # log of U^(1/k), U in (0, 1]
            return snp.log(g) + w if log else g * snp.exp(w)
        okh = (kh > 0.0) & (kh < _math.inf)
        any_small, all_ok = bool(_np.any(okh & (kh < 1.0))), bool(_np.all(okh))
        kl = snp.asarray(kh)
    else:
        kl, any_small, all_ok = k, True, False
    ok = (kl > 0.0) & (kl < _math.inf)
    small = kl < 1.0
    k1 = snp.where(ok, snp.where(small, kl + 1.0, kl), 1.0)
    g = _mt_gamma(rng, shape, k1, None if all_ok else ok)
    if any_small:
        w = snp.where(ok & small, snp.log1p(-_uniform(rng, shape)) / snp.where(ok, kl, 1.0), 0.0)
        r = snp.log(g) + w if log else g * snp.exp(w)
    else:
        r = snp.log(g) if log else g
    if all_ok:
        return r
    special = snp.where(kl == 0.0, -_math.inf if log else 0.0, kl)  # inf stays inf, NaN stays NaN
    return snp.where(ok, r, special)


def _chisq(rng, shape, df):
    """Chi-square(df) = 2 Gamma(df / 2); df a host (NumPy) array."""
    return 2.0 * _std_gamma(rng, shape, _np.asarray(df) / 2.0)


# ---- Poisson with per-element means (for mixtures): NumPy's algorithms, lazily ----

_LOGGAM_A = (8.333333333333333e-02, -2.777777777777778e-03, 7.936507936507937e-04, -5.952380952380952e-04,
             8.417508417508418e-04, -1.917526917526918e-03, 6.410256410256410e-03, -2.955065359477124e-02,
             1.796443723688307e-01, -1.39243221690590e+00)


def _loggam(x):
    """log Gamma(x) for x > 0, lazily: the Stirling series at x + n >= 7 (NumPy's random_loggam)."""
    snp = _starp()
    n = snp.where(x < 7.0, snp.floor(7.0 - x), 0.0)
    x0 = x + n
    x2 = 1.0 / (x0 * x0)
    gl0 = _LOGGAM_A[9]
    for a in reversed(_LOGGAM_A[:9]):
        gl0 = gl0 * x2 + a
    gl = gl0 / x0 + 0.9189385332046727 + (x0 - 0.5) * snp.log(x0) - x0
    for j in range(1, 8):
        gl = gl - snp.where(n >= j, snp.log(x0 - float(j)), 0.0)
    return snp.where((x == 1.0) | (x == 2.0), 0.0, gl)


def _ptrs(rng, shape, lam, todo=None):
    """Poisson(lam) for lam >= 10: Hoermann's PTRS (transformed rejection with squeeze), exact."""
    snp = _starp()
    sq, lg = (_math.sqrt, _math.log) if isinstance(lam, float) else (snp.sqrt, snp.log)
    slam, loglam = sq(lam), lg(lam)
    b = 0.931 + 2.53 * slam
    a = -0.059 + 0.02483 * b
    lia = lg(1.1239 + 1.1328 / (b - 3.4))
    vr = 0.9277 - 3.6224 / (b - 2.0)

    def propose():
        u = _uniform(rng, shape) - 0.5
        v = _uniform(rng, shape)
        us = 0.5 - snp.abs(u)
        k = snp.floor((2.0 * a / us + b) * u + lam + 0.43)
        quick = (us >= 0.07) & (v <= vr)
        slow = (k >= 0.0) & ~((us < 0.013) & (v > us)) & (
            snp.log(v) + lia - snp.log(a / (us * us) + b) <= -lam + k * loglam - _loggam(k + 1.0))
        return k, quick | slow

    return _until_accepted(propose, todo)


def _poisson_inv(rng, shape, lam, todo=None, steps=8):
    """Poisson(lam) for lam < 10 by inversion: the smallest k with F(k) >= U for one uniform U per
    element, F summed term by term (p_k+1 = p_k lam / (k + 1)), ``steps`` terms per round and
    rounds until every element has stopped. Where F has converged to within rounding of 1 but
    stays below U (U within ~1e-16 of 1), the search stops at the last term of any weight."""
    snp = _starp()
    u = _uniform(rng, shape)
    p = _math.exp(-lam) if isinstance(lam, float) else snp.exp(-lam)
    p = p + 0.0 * u  # the full shape
    F = p
    x = snp.zeros(shape, dtype=_np.float64)
    pending = u > F
    if todo is not None:
        pending = pending & todo
    u.persist()
    while True:
        n = snp.count_nonzero(pending)
        _persist(x, p, F, pending, n)
        if int(n) == 0:
            return x
        for _ in range(steps):
            x = x + snp.where(pending, 1.0, 0.0)
            p = snp.where(pending, p * lam / x, p)
            F = F + snp.where(pending, p, 0.0)
            pending = pending & (u > F) & ~((x > lam) & (p <= F * 2.0 ** -60))


def _poisson_lazy(rng, shape, lam):
    """Poisson(lam) as float64 for a float or a starp array lam >= 0 (NaN gives NaN, inf inf).
    A float lam: one uniform per element inverted with the CDF table of the poisson() above
    (PTRS beyond its range); an array: PTRS (exact rejection) where lam >= 10, inversion below."""
    snp = _starp()
    if isinstance(lam, float):
        if not 0.0 < lam < _math.inf:
            return snp.full(shape, 0.0 if lam == 0.0 else lam, dtype=_np.float64)
        if lam > _MAX_MEAN:
            return _ptrs(rng, shape, lam)
        lo, F = _poisson_table(lam)
        k = snp.searchsorted(snp.asarray(F), _uniform(rng, shape), side="right").astype(_np.float64)
        return k + float(lo) if lo else k
    fin = (lam >= 0.0) & (lam < _math.inf)
    big = fin & (lam >= 10.0)
    small = fin & (lam < 10.0)
    nb, ns = snp.count_nonzero(big), snp.count_nonzero(small)
    _persist(big, small, nb, ns)
    out = lam  # NaN and inf stay
    if int(ns):  # a sampler runs only if some element needs it
        out = snp.where(small, _poisson_inv(rng, shape, snp.where(small, lam, 0.0), small), out)
    if int(nb):
        out = snp.where(big, _ptrs(rng, shape, snp.where(big, lam, 10.0), big), out)
    return out + snp.zeros(shape, dtype=_np.float64) if out is lam else out


# ---- distributions of issue 6: exponential, poisson, binomial, choice, permutation ----
# Built on the counter-based uniforms above, so element i of a draw still depends on (seed, draw,
# i) only. exponential is -log(1 - U); poisson and binomial invert the CDF (a table of the CDF over
# every value with non-negligible mass, searched with U); permutation and choice without
# replacement sort uniform keys (argsort is a replicated host op, so the order does not depend on P).


def _exponential(rng, scale, size):
    snp = _starp()
    sc = _host(scale)
    _bad(sc < 0, "scale < 0")  # NaN passes, as NumPy's (the draws are NaN)
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


def _grouped_inverse(u, keys, table):
    """Host inversion of flat uniforms u, element j with the table of its parameter row keys[j]:
    one table per distinct row (elements grouped by a stable sort, not one mask per row)."""
    out = _np.empty(u.shape[0], dtype=_np.int64)
    if u.shape[0] == 0:
        return out
    uniq, inv = _np.unique(keys, axis=0, return_inverse=True)
    inv = inv.ravel()
    order = _np.argsort(inv, kind="stable")
    bounds = _np.searchsorted(inv[order], _np.arange(len(uniq) + 1))
    for j, row in enumerate(uniq):
        idx = order[bounds[j]:bounds[j + 1]]
        lo, F = table(*row)
        out[idx] = lo + _np.searchsorted(F, u[idx], side="right")
    return out


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
    stacked = _np.stack([b.astype(_np.float64).ravel() for b in bp], axis=1) if shape else _np.zeros((0, len(ps)))
    out = _grouped_inverse(u.ravel(), stacked, table)
    return snp.asarray(out.reshape(shape))


def _check_lam(lam):
    _bad(~(lam >= 0), "lam < 0 or lam is NaN", lam)
    if _np.any(lam > _MAX_MEAN):
        raise ValueError("lam value too large")


def _poisson(rng, lam, size):
    return _param_draw(rng, size, [lam], lambda l: _poisson_table(float(l)), _check_lam)


def _binomial(rng, n, p, size):
    def check_n(x):
        if _np.any(x < 0):
            raise ValueError("n < 0")

    def check_p(x):
        _bad(~((x >= 0) & (x <= 1)), "p < 0, p > 1 or p is NaN", x)

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


def _permuted(rng, x, axis, out):
    """Generator.permuted: every 1-d slice along axis (the flattened array for axis=None) shuffled
    independently: the stable argsort of uniform keys of x's shape along that axis."""
    snp = _starp()
    a = snp.asarray(x)
    if axis is None:
        r = snp.take(a.ravel(), _perm_indices(rng, a.size)).reshape(a.shape)
    else:
        if not -a.ndim <= axis < a.ndim:
            raise _AxisError(f"axis {axis} is out of bounds for array of dimension {a.ndim}")
        idx = snp.argsort(_uniform(rng, a.shape), axis=axis, kind="stable")
        r = snp.take_along_axis(a, idx, axis=axis)
    if out is None:
        return r
    if tuple(out.shape) != tuple(a.shape):
        raise ValueError("out must have the same shape as x")
    out[...] = r if isinstance(out, snp.ndarray) else r.compute()
    return out


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


# ---- integers with array bounds ----

def _obj_ints(h):
    """An array of Python ints (object dtype): exact arithmetic on bounds up to 2^64."""
    return _np.array([int(v) for v in h.ravel()] or [], dtype=object).reshape(h.shape)


def _u64(h):
    """Python ints (object array) mod 2^64 as uint64."""
    return _np.array([int(v) & ((1 << 64) - 1) for v in h.ravel()], dtype=_np.uint64).reshape(h.shape)


def _int_bounds(low, high, dtype, endpoint):
    """Host low/high as Python-int object arrays, checked as NumPy's integers()."""
    dt = _np.dtype(dtype)
    if dt.kind not in "iub":
        raise TypeError(f"Unsupported dtype {dt!r} for integers")
    lo = _np.asarray(_host(low))
    hi = _np.asarray(_host(high))
    for h in (lo, hi):
        if h.dtype.kind == "f" and _np.any(_np.isnan(h)):
            raise ValueError("cannot convert float NaN to integer")
    lo, hi = _obj_ints(lo), _obj_ints(hi)
    if endpoint:
        hi = _np.asarray(hi + 1, dtype=object)
    info = (0, 1) if dt.kind == "b" else (int(_np.iinfo(dt).min), int(_np.iinfo(dt).max))
    if _np.any(lo < info[0]):
        raise ValueError(f"low is out of bounds for {dt.name}")
    if _np.any(hi - 1 > info[1]):
        raise ValueError(f"high is out of bounds for {dt.name}")
    if _np.any(lo >= hi):
        raise ValueError("low > high" if endpoint else "low >= high")
    return lo, hi


def _integers_array(rng, low, high, size, dtype, endpoint):
    """integers() with array bounds: a full-range uint64 draw per element, reduced modulo the
    element's range and rejected above the largest multiple of it (exact; rounds until accepted)."""
    snp = _starp()
    s = current_session()
    lo, hi = _int_bounds(low, high, dtype, endpoint)
    shape = _broadcast_size(size, lo, hi)
    rng_ = _np.asarray(hi - lo, dtype=object)  # 1 .. 2^64, Python ints
    rem = _np.array([(1 << 64) % int(r) for r in rng_.ravel()], dtype=object).reshape(rng_.shape)
    rng_u = _u64(rng_)  # 2^64 wraps to 0
    limit = _u64(_np.asarray((1 << 64) - rem, dtype=object))  # accept x < limit: below the largest multiple
    exact = _np.array([int(m) == 0 for m in rem.ravel()], dtype=bool).reshape(rem.shape)
    lo_u = _u64(lo)
    full = _np.all(rng_u == 0)  # every range is 2^64

    def propose():
        x = wrap(s.random(rng, "integers", list(shape), 0, 1 << 64, "uint64"), s)
        if full:
            return x, x == x
        r = snp.where(_lz(rng_u == 0), x, x % snp.asarray(_np.where(rng_u == 0, 1, rng_u).astype(_np.uint64)))
        ok = _lz(exact) | (x < snp.asarray(limit))
        return r, ok

    r = _until_accepted(propose) if not _np.all(exact) else propose()[0]
    v = (r + snp.asarray(lo_u)).astype(dtype)
    return _finish(v, size)


def _integers(rng, low, high, size, dtype, endpoint, name="integers"):
    if _np.dtype(dtype).kind not in "iub":
        raise TypeError(f"Unsupported dtype {_np.dtype(dtype)!r} for {name}")
    if high is None:
        low, high = 0, low
    if _np.ndim(low) == 0 and _np.ndim(high) == 0 and not hasattr(low, "compute") and not hasattr(high, "compute"):
        if endpoint:
            high = int(high) + 1
        return _draw(rng, "integers", size, int(low), int(high), dtype)
    return _integers_array(rng, low, high, size, dtype, endpoint)


# ---- the continuous distributions ----

def _setup(size, *params):
    hs = [_f64(p) for p in params]
    return hs, _broadcast_size(size, *hs)


def _uniform_p(rng, low, high, size, dtype=_np.float64):
    lh, hh = _f64(low), _f64(high)
    if lh.ndim == 0 and hh.ndim == 0:
        if not _math.isfinite(float(hh) - float(lh)) and _math.isfinite(float(hh)) and _math.isfinite(float(lh)):
            raise OverflowError("Range exceeds valid bounds")
        return _draw(rng, "uniform", size, float(lh), float(hh), dtype)
    shape = _broadcast_size(size, lh, hh)
    with _np.errstate(all="ignore"):
        span = hh - lh
    if _np.any(~_np.isfinite(span) & _np.isfinite(hh) & _np.isfinite(lh)):
        raise OverflowError("Range exceeds valid bounds")
    return _lz(lh) + _lz(span) * _uniform(rng, shape)


def _normal_p(rng, loc, scale, size):
    mh, sh = _f64(loc), _f64(scale)
    _bad(sh < 0, "scale < 0")
    if mh.ndim == 0 and sh.ndim == 0:
        return _draw(rng, "normal", size, float(mh), float(sh), "float64")
    shape = _broadcast_size(size, mh, sh)
    return _lz(mh) + _lz(sh) * _normal(rng, shape)


def _standard_gamma(rng, shape_p, size):
    (k,), shape = _setup(size, shape_p)
    _bad(k < 0, "shape < 0")
    return _finish(_std_gamma(rng, shape, k), size)


def _gamma(rng, shape_p, scale, size):
    (k, sc), shape = _setup(size, shape_p, scale)
    _bad(k < 0, "shape < 0")
    _bad(sc < 0, "scale < 0")
    g = _std_gamma(rng, shape, k)
    return _finish(g if (sc.ndim == 0 and float(sc) == 1.0) else g * _lz(sc), size)


def _beta(rng, a, b, size):
    (ah, bh), shape = _setup(size, a, b)
    _bad(ah <= 0, "a <= 0")
    _bad(bh <= 0, "b <= 0")
    snp = _starp()
    # X / (X + Y) from log X and log Y: no 0 / 0 when both gammas underflow (tiny a and b).
    lx = _std_gamma(rng, shape, ah, log=True)
    ly = _std_gamma(rng, shape, bh, log=True)
    return _finish(1.0 / (1.0 + snp.exp(ly - lx)), size)


def _chisquare(rng, df, size):
    (dh,), shape = _setup(size, df)
    _bad(dh <= 0, "df <= 0")
    return _finish(_chisq(rng, shape, dh), size)


def _nc_chisq(rng, shape, dh, nh):
    """Noncentral chi-square as NumPy: chi2(df) when nonc == 0; chi2(df - 1) + (Z + sqrt(nonc))^2
    when df > 1; chi2(df + 2 Poisson(nonc / 2)) otherwise."""
    snp = _starp()
    with _np.errstate(all="ignore"):
        big = dh > 1
        nonc0 = nh == 0

    def central():
        return _chisq(rng, shape, dh)

    def normal_part():
        d1 = _np.where(big, dh - 1.0, 1.0)
        return _chisq(rng, shape, d1) + (_normal(rng, shape) + _lz(_np.sqrt(nh))) ** 2

    def poisson_mix():
        lam = nh / 2.0
        p = _poisson_lazy(rng, shape, float(lam) if lam.ndim == 0 else snp.asarray(lam))
        return 2.0 * _std_gamma(rng, shape, _lz(dh / 2.0) + p)

    return _pick([(nonc0, central), (big, normal_part), (~big, poisson_mix)], shape)


def _noncentral_chisquare(rng, df, nonc, size):
    (dh, nh), shape = _setup(size, df, nonc)
    _bad(dh <= 0, "df <= 0")
    _bad(nh < 0, "nonc < 0")
    return _finish(_nc_chisq(rng, shape, dh, nh), size)


def _f(rng, dfnum, dfden, size):
    (a, b), shape = _setup(size, dfnum, dfden)
    _bad(a <= 0, "dfnum <= 0")
    _bad(b <= 0, "dfden <= 0")
    return _finish((_chisq(rng, shape, a) * _lz(b)) / (_chisq(rng, shape, b) * _lz(a)), size)


def _noncentral_f(rng, dfnum, dfden, nonc, size):
    (a, b, nh), shape = _setup(size, dfnum, dfden, nonc)
    _bad(a <= 0, "dfnum <= 0")
    _bad(b <= 0, "dfden <= 0")
    _bad(nh < 0, "nonc < 0")
    t = _nc_chisq(rng, shape, a, nh) * _lz(b)
    return _finish(t / (_chisq(rng, shape, b) * _lz(a)), size)


def _standard_t(rng, df, size):
    (dh,), shape = _setup(size, df)
    _bad(dh <= 0, "df <= 0")
    snp = _starp()
    num = _normal(rng, shape)
    denom = _std_gamma(rng, shape, dh / 2.0)
    return _finish(_lz(_np.sqrt(dh / 2.0)) * num / snp.sqrt(denom), size)


def _standard_cauchy(rng, size):
    shape = () if size is None else _shape_of(size)
    snp = _starp()
    return _finish(snp.tan(_math.pi * (_uniform(rng, shape) - 0.5)), size)


def _lognormal(rng, mean, sigma, size):
    (mh, sh), shape = _setup(size, mean, sigma)
    _bad(sh < 0, "sigma < 0")
    return _finish(_starp().exp(_lz(mh) + _lz(sh) * _normal(rng, shape)), size)


def _signed_half(rng, shape):
    """(s, V): a sign (U < 1/2) and V uniform on [0, 1) (the other 52 bits of the same U)."""
    snp = _starp()
    u = _uniform(rng, shape)
    s = u < 0.5
    return s, snp.where(s, 2.0 * u, 2.0 * u - 1.0)


def _laplace(rng, loc, scale, size):
    (lh, sh), shape = _setup(size, loc, scale)
    _bad(sh < 0, "scale < 0")
    snp = _starp()
    s, v = _signed_half(rng, shape)
    e = -snp.log1p(-v)  # |X - loc| / scale ~ Exp(1), finite
    return _finish(_lz(lh) + _lz(sh) * snp.where(s, -e, e), size)


def _logistic(rng, loc, scale, size):
    (lh, sh), shape = _setup(size, loc, scale)
    _bad(sh < 0, "scale < 0")
    snp = _starp()
    s, v = _signed_half(rng, shape)
    t = snp.log1p(v) - snp.log1p(-v)  # |X - loc| / scale = log((1 + V) / (1 - V)), finite
    return _finish(_lz(lh) + _lz(sh) * snp.where(s, -t, t), size)


def _gumbel(rng, loc, scale, size):
    (lh, sh), shape = _setup(size, loc, scale)
    _bad(sh < 0, "scale < 0")
    snp = _starp()
    e = -snp.log1p(-_uniform_open(rng, shape))  # Exp(1) in (0, 37]
    return _finish(_lz(lh) - _lz(sh) * snp.log(e), size)


def _weibull(rng, a, size):
    (ah,), shape = _setup(size, a)
    _bad(ah < 0, "a < 0")
    snp = _starp()
    with _np.errstate(all="ignore"):
        inv = _np.where(ah == 0, 1.0, 1.0 / ah)
    r = _std_exp(rng, shape) ** _lz(inv)
    if _np.any(ah == 0):
        r = snp.where(_lz(ah == 0), 0.0, r)
    return _finish(r, size)


def _pareto(rng, a, size):
    (ah,), shape = _setup(size, a)
    _bad(ah <= 0, "a <= 0")
    return _finish(_starp().expm1(_std_exp(rng, shape) * _lz(1.0 / ah)), size)


def _power(rng, a, size):
    (ah,), shape = _setup(size, a)
    _bad(ah <= 0, "a <= 0")
    snp = _starp()
    return _finish((-snp.expm1(-_std_exp(rng, shape))) ** _lz(1.0 / ah), size)


def _rayleigh(rng, scale, size):
    (sh,), shape = _setup(size, scale)
    _bad(sh < 0, "scale < 0")
    return _finish(_lz(sh) * _starp().sqrt(2.0 * _std_exp(rng, shape)), size)


def _triangular(rng, left, mode, right, size):
    (lh, mh, rh), shape = _setup(size, left, mode, right)
    _bad(lh > mh, "left > mode")
    _bad(mh > rh, "mode > right")
    _bad(lh == rh, "left == right")
    snp = _starp()
    with _np.errstate(all="ignore"):
        base = rh - lh
        leftbase = mh - lh
        ratio = leftbase / base
        leftprod = leftbase * base
        rightprod = (rh - mh) * base
    u = _uniform(rng, shape)
    r = snp.where(u <= _lz(ratio), _lz(lh) + snp.sqrt(u * _lz(leftprod)), _lz(rh) - snp.sqrt((1.0 - u) * _lz(rightprod)))
    return _finish(r, size)


def _vonmises(rng, mu, kappa, size):
    (mh, kh), shape = _setup(size, mu, kappa)
    _bad(kh < 0, "kappa < 0")
    snp = _starp()
    pi = _math.pi
    with _np.errstate(all="ignore"):
        tiny = kh < 1e-8
        huge = kh > 1e6
        mid = (kh >= 1e-8) & (kh <= 1e6)
        r = 1.0 + _np.sqrt(1.0 + 4.0 * kh * kh)
        rho = (r - _np.sqrt(2.0 * r)) / (2.0 * kh)
        s_h = _np.where(kh < 1e-5, 1.0 / kh + kh, (1.0 + rho * rho) / (2.0 * rho))
        s_h = _np.where(mid, s_h, 2.0)
        k_h = _np.where(mid, kh, 1.0)

    def uniform_circle():  # kappa < 1e-8: uniform on the circle (NumPy ignores mu there)
        return pi * (2.0 * _uniform(rng, shape) - 1.0)

    def wrapped_normal():  # kappa > 1e6
        x = _lz(mh) + _lz(_np.sqrt(1.0 / _np.where(huge, kh, 1.0))) * _normal(rng, shape)
        x = snp.where(x < -pi, x + 2.0 * pi, x)
        return snp.where(x > pi, x - 2.0 * pi, x)

    def best_fisher():  # Best & Fisher's rejection sampler, as NumPy's
        s, kap = _lz(s_h), _lz(k_h)

        def propose():
            z = snp.cos(pi * _uniform(rng, shape))
            w = (1.0 + s * z) / (s + z)
            y = kap * (s - w)
            v = _uniform(rng, shape)
            ok = (y * (2.0 - y) - v >= 0.0) | (snp.log(y / v) + 1.0 - y >= 0.0)
            return w, ok

        todo = None if _np.all(mid) else snp.asarray(_np.broadcast_to(mid, shape).copy())
        w = _until_accepted(propose, todo)
        res = snp.arccos(w)
        res = snp.where(_uniform(rng, shape) < 0.5, -res, res) + _lz(mh)
        m = snp.fmod(snp.abs(res) + pi, 2.0 * pi) - pi
        return snp.where(res < 0.0, -m, m)

    return _finish(_pick([(tiny, uniform_circle), (huge, wrapped_normal), (mid, best_fisher)], shape), size)


def _wald(rng, mean, scale, size):
    (mh, sh), shape = _setup(size, mean, scale)
    _bad(mh <= 0, "mean <= 0")
    _bad(sh <= 0, "scale <= 0")
    snp = _starp()
    m, sc, mu_2l = _lz(mh), _lz(sh), _lz(mh / (2.0 * sh))
    z = _normal(rng, shape)
    y = m * z * z
    x = m + mu_2l * (y - snp.sqrt(4.0 * sc * y + y * y))
    u = _uniform(rng, shape)
    return _finish(snp.where(u <= m / (m + x), x, m * m / x), size)


# ---- the discrete distributions ----

def _geometric(rng, p, size, legacy):
    (ph,), shape = _setup(size, p)
    _bad(~((ph > 0) & (ph <= 1)), "p <= 0, p > 1 or p contains NaNs")
    snp = _starp()
    with _np.errstate(all="ignore"):
        lq = _np.log1p(-ph)  # -inf for p == 1, whose draws are all 1
    # inversion: the smallest k >= 1 with 1 - (1-p)^k >= U, i.e. ceil(log(1 - U) / log(1 - p))
    x = snp.maximum(snp.ceil(snp.log1p(-_uniform(rng, shape)) / _lz(lq)), 1.0)
    return _finish(_as_int64(x, clip=not legacy), size)


def _negative_binomial(rng, n, p, size, legacy):
    (nh, ph), shape = _setup(size, n, p)
    _bad(nh <= 0, "n <= 0")
    if legacy:
        _bad(~((ph >= 0) & (ph <= 1)), "p < 0, p > 1 or p is NaN", ph)
    else:
        _bad(_np.isnan(nh), "n must not be NaN")
        _bad(~((ph > 0) & (ph <= 1)), "p <= 0, p > 1 or p contains NaNs")
    with _np.errstate(all="ignore"):
        odds = (1.0 - ph) / ph
    # Poisson(Gamma(n, (1-p)/p)): a gamma-Poisson mixture, each element with its own mean.
    y = _std_gamma(rng, shape, nh) * _lz(odds)
    return _finish(_as_int64(_poisson_lazy(rng, shape, y), clip=False), size)


def _int_param(p):
    h = _host(p)
    if h.dtype.kind == "f":
        if _np.any(_np.isnan(h)):
            raise ValueError("cannot convert float NaN to integer")
        h = h.astype(_np.int64)
    elif h.dtype.kind not in "iub":
        h = h.astype(_np.int64)
    return h.astype(_np.int64, copy=False)


def _hypergeometric_table(g, b, s):
    g, b, s = int(g), int(b), int(s)
    n = g + b
    lo_s, hi_s = max(0, s - b), min(s, g)
    if lo_s >= hi_s:
        return lo_s, _np.ones(1)
    mean = s * g / n
    var = s * (g / n) * (b / n) * (n - s) / (n - 1)
    sd = _math.sqrt(var)
    lo = max(lo_s, int(_math.floor(mean - 20 * sd - 30)))
    hi = min(hi_s, int(_math.ceil(mean + 20 * sd + 30)))
    mode = min(max(int((s + 1) * (g + 1) // (n + 2)), lo), hi)
    return lo, _cdf_table(lo, hi, mode, lambda k: _np.log(g - k) + _np.log(s - k) - _np.log(k + 1) - _np.log(b - s + k + 1))


def _hypergeometric(rng, ngood, nbad, nsample, size, legacy):
    g, b, s = _int_param(ngood), _int_param(nbad), _int_param(nsample)
    if not legacy and (_np.any(g >= 10 ** 9) or _np.any(b >= 10 ** 9)):
        raise ValueError("both ngood and nbad must be less than 1000000000")
    _bad(g < 0, "ngood < 0")
    _bad(b < 0, "nbad < 0")
    if legacy:
        _bad(s < 1, "nsample < 1 or nsample is NaN", s)
    else:
        _bad(s < 0, "nsample < 0")
    _bad(g.astype(object) + b < s, "ngood + nbad < nsample")
    gb = _np.broadcast_arrays(g.astype(_np.float64), b.astype(_np.float64), s.astype(_np.float64))
    with _np.errstate(all="ignore"):
        tot = gb[0] + gb[1]
        var = gb[2] * (gb[0] / tot) * (gb[1] / tot) * (tot - gb[2]) / (tot - 1)
    if _np.any(var > _MAX_MEAN):
        raise ValueError("ngood, nbad and nsample too large for starp's hypergeometric")
    return _param_draw(rng, size, [g, b, s], _hypergeometric_table, lambda x: None)


def _logseries(rng, p, size):
    (ph,), shape = _setup(size, p)
    _bad(~((ph >= 0) & (ph < 1)), "p < 0, p >= 1 or p is NaN", ph)
    snp = _starp()
    r, pl = _lz(_np.log1p(-ph)), _lz(ph)

    def propose():  # Kemp's second accelerated generator (NumPy's random_logseries)
        v = _uniform(rng, shape)
        u = _uniform(rng, shape)
        q = -snp.expm1(r * u)
        qq = q * q
        x = snp.floor(1.0 + snp.log(v) / snp.log(q))
        res = snp.where(v >= pl, 1.0, snp.where(v <= qq, x, snp.where(v >= q, 1.0, 2.0)))
        ok = ~((v < pl) & (v <= qq) & ((x < 1.0) | (v == 0.0)))
        return res, ok

    return _finish(_as_int64(_until_accepted(propose), clip=False), size)


def _zipf(rng, a, size):
    (ah,), shape = _setup(size, a)
    _bad(~(ah > 1), "a <= 1 or a is NaN", ah)
    snp = _starp()
    # For a >= 1025, 2^(a-1) overflows and P(X >= 2) < 2^-1024: every draw is 1 (NumPy loops forever).
    one = ah >= 1025.0
    am1_h = _np.where(one, 2.0, ah) - 1.0
    am1, b, ninv = _lz(am1_h), _lz(2.0 ** am1_h), _lz(-1.0 / am1_h)

    def draw():
        def propose():
            u = 1.0 - _uniform(rng, shape)  # (0, 1]
            v = _uniform(rng, shape)
            x = snp.floor(u ** ninv)
            t = (1.0 + 1.0 / x) ** am1
            ok = (x < _TWO63) & (x >= 1.0) & (v * x * (t - 1.0) / (b - 1.0) <= t / b)
            return x, ok

        todo = None if not _np.any(one) else snp.asarray(_np.broadcast_to(~one, shape).copy())
        return _until_accepted(propose, todo)

    x = _pick([(one, lambda: snp.full(shape, 1.0, dtype=_np.float64)), (~one, draw)], shape)
    return _finish(_as_int64(x, clip=False), size)


# ---- multivariate ----

def _multinomial(rng, n, pvals, size, legacy):
    snp = _starp()
    ph = _host(pvals)
    if legacy:
        if ph.ndim == 0:
            raise TypeError("pvals must be a 1-d sequence")
        if ph.ndim != 1:
            raise ValueError("object too deep for desired array")
        if _np.ndim(n) != 0:
            raise TypeError("an integer is required")
    elif ph.ndim == 0 or ph.shape[-1] == 0:
        raise ValueError("pvals must have at least 1 dimension and the last dimension of pvals must be greater than 0.")
    if ph.shape[-1] == 0:  # legacy: an empty draw
        _bad(_int_param(n) < 0, "n < 0")
        return snp.zeros((() if size is None else _shape_of(size)) + (0,), dtype=_np.int64)
    ph = ph.astype(_np.float64)
    nh = _int_param(n)
    _bad(nh < 0, "n < 0")
    _bad(~((ph >= 0) & (ph <= 1)), "pvals < 0, pvals > 1 or pvals contains NaNs")
    if ph.shape[-1] > 1 and _np.any(_np.sum(ph[..., :-1], axis=-1) > 1.0 + 1e-12):
        raise ValueError("sum(pvals[:-1]) > 1.0")
    if _np.any(nh > _MAX_MEAN):
        raise ValueError("n too large for starp's multinomial")
    k = ph.shape[-1]
    shape = _broadcast_size(size, nh, ph[..., 0])
    out = _np.zeros(tuple(shape) + (k,), dtype=_np.int64)
    rem = _np.array(_np.broadcast_to(nh, shape), dtype=_np.int64)
    P = _np.broadcast_to(ph, tuple(shape) + (k,))
    remp = _np.ones(shape)
    # conditional binomials: X_j ~ Binomial(n - X_0 - ... - X_{j-1}, p_j / (1 - p_0 - ... - p_{j-1}))
    for j in range(k - 1):
        with _np.errstate(all="ignore"):
            pj = _np.clip(_np.nan_to_num(P[..., j] / remp, nan=0.0, posinf=1.0), 0.0, 1.0)
        u = _host(_uniform(rng, shape)).ravel()
        keys = _np.stack([rem.ravel().astype(_np.float64), pj.ravel()], axis=1)
        x = _grouped_inverse(u, keys, lambda nn, pp: _binomial_table(int(nn), float(pp))).reshape(shape)
        out[..., j] = x
        rem = rem - x
        remp = remp - P[..., j]
    out[..., k - 1] = rem
    return snp.asarray(out)


def _dirichlet(rng, alpha, size, legacy):
    snp = _starp()
    a = _host(alpha)
    if a.ndim == 0:
        raise ValueError("object of too small depth for desired array")
    if a.ndim != 1:
        raise ValueError("setting an array element with a sequence. "
                         "The requested array would exceed the maximum number of dimension of 1.")
    a = a.astype(_np.float64)
    if legacy:
        _bad(a <= 0, "alpha <= 0")
    else:
        _bad(a < 0, "alpha < 0")
    shape = (() if size is None else _shape_of(size)) + (a.size,)
    if a.size == 0 or 0 in shape or (not _np.any(a > 0) and not _np.any(_np.isnan(a))):
        return snp.zeros(shape, dtype=_np.float64)
    # normalized gammas, from their logs (no 0 / 0 when every gamma underflows: tiny alphas)
    lg = _std_gamma(rng, shape, a, log=True)
    e = snp.exp(lg - lg.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def _multivariate_normal(rng, mean, cov, size, check_valid, tol, method):
    snp = _starp()
    if method not in ("svd", "eigh", "cholesky"):
        raise ValueError("method must be one of {'eigh', 'svd', 'cholesky'}")
    mean = snp.asarray(mean)
    cov = snp.asarray(cov)
    if size is None:
        shape = []
    elif isinstance(size, (int, _np.integer)):
        shape = [int(size)]
    else:
        shape = [int(d) for d in size]
    if mean.ndim != 1:
        raise ValueError("mean must be 1 dimensional")
    if cov.ndim != 2 or cov.shape[0] != cov.shape[1]:
        raise ValueError("cov must be 2 dimensional and square")
    if mean.shape[0] != cov.shape[0]:
        raise ValueError("mean and cov must have same length")
    n = mean.shape[0]
    final_shape = tuple(shape) + (n,)
    if n == 0:
        raise ValueError(f"cannot reshape array of size 0 into shape ({n})")
    x = _normal(rng, final_shape).reshape(-1, n)
    cov = cov.astype(_np.float64)
    if method == "svd":
        u, s, vh = snp.linalg.svd(cov)
    elif method == "eigh":
        s, u = snp.linalg.eigh(cov)
    else:
        factor = snp.linalg.cholesky(cov)
        factor.persist()  # a matrix that is not positive definite raises LinAlgError here, as NumPy's
    if check_valid != "ignore" and method != "cholesky":
        if check_valid not in ("warn", "raise"):
            raise ValueError("check_valid must equal 'warn', 'raise', or 'ignore'")
        if method == "svd":
            back = (vh.T * s) @ vh
            psd = bool(snp.all(snp.abs(back - cov) <= tol + tol * snp.abs(cov)))
        else:
            psd = not bool(snp.any(s < -tol))
        if not psd:
            if check_valid == "warn":
                _warnings.warn("covariance is not symmetric positive-semidefinite.", RuntimeWarning, stacklevel=3)
            else:
                raise ValueError("covariance is not symmetric positive-semidefinite.")
    if method == "eigh":
        factor = u * snp.sqrt(snp.abs(s))
    elif method == "svd":
        factor = u * snp.sqrt(s)
    r = mean.astype(_np.float64) + x @ factor.T
    return r.reshape(final_shape)


def _bytes(rng, length):
    n = _operator.index(length)
    s = current_session()
    return wrap(s.random(rng, "integers", [n], 0, 256, "uint8"), s).compute().tobytes()


def _float_dtype(dtype, name):
    d = _np.dtype(dtype)
    if d not in (_np.dtype(_np.float64), _np.dtype(_np.float32)):
        raise TypeError(f"Unsupported dtype {d!r} for {name}")
    return d


def _out(r, out, dtype):
    """Generator's out=: the result written into out (a starp or NumPy array), which is returned."""
    if out is None:
        return r
    if not isinstance(out, (_starp().ndarray, _np.ndarray)):
        raise TypeError("out must be a numpy array")
    if out.dtype != dtype:
        raise TypeError(f"Supplied output array has the wrong type. Expected {dtype.name}, got {out.dtype.name}")
    out[...] = r if isinstance(out, _starp().ndarray) else _np.asarray(r.compute() if hasattr(r, "compute") else r)
    return out


def _out_size(size, out):
    if out is None:
        return size
    if size is not None and tuple(_size(size)) != tuple(out.shape):
        raise ValueError("size must match out.shape when used together")
    return tuple(out.shape)


_STATE_MSG = ("starp's random streams are counter-based (Philox 4x32-10: a seed and a count of draws), "
              "not NumPy's MT19937, so their state cannot be expressed as a NumPy state; "
              "reseed with seed(s), RandomState(s) or default_rng(s) to repeat a stream")
