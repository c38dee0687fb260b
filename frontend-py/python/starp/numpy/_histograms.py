"""Counting and histograms with NumPy's semantics (bincount, digitize, histogram, histogram2d,
histogramdd, histogram_bin_edges), following numpy/lib/_histograms_impl.py and the C bincount;
counts are exact, weighted sums keep NumPy's order. See _statistics.py for the shared rules."""

import builtins as _builtins
import operator as _operator
import warnings as _warnings

import numpy as _np

from starp.numpy._array import ndarray
from starp.numpy._statistics import _arr, _complex_from, _depth_check, _host, _ndim, _one, _safe_cast, _snp

__all__ = ["bincount", "digitize", "histogram_bin_edges", "histogram", "histogramdd", "histogram2d"]

_range = range

#: NumPy's histogram works on blocks of this many elements (it matters for weighted sums only)
_BLOCK = 65536

#: up to this many bins, counts are a fused compare-and-sum (distributed); above, sort + searchsorted
_ONE_HOT_MAX_BINS = 64


# ---- counting: bincount, digitize ----
def _count(idx, n):
    """Exact counts of the values 0..n-1 of a 1-d int64 array whose values all lie in [0, n)."""
    snp = _snp()
    if idx.size == 0 or n == 0:
        return snp.zeros(n, dtype=_np.intp)
    if n <= _ONE_HOT_MAX_BINS:
        # A fused compare-and-sum over the distributed axis.
        return (idx[:, None] == snp.arange(n)[None, :]).sum(axis=0, dtype=_np.intp)
    cum = snp.searchsorted(snp.sort(idx), snp.arange(n + 1), side="left")
    return cum[1:] - cum[:-1]


def _weighted_count(idx, w, n):
    """float64 sums of w per value of idx (values in [0, n)), added in index order as NumPy's
    bincount does (ufunc.at: bit-identical sums)."""
    snp = _snp()
    z = snp.zeros(n, dtype=_np.float64)
    if idx.size:
        snp.add.at(z, idx, w.astype(_np.float64))
    return z


def _as_intp_list(x):
    """bincount's conversion of its first argument to a 1-d intp array."""
    if isinstance(x, ndarray):
        arr = x
    else:
        h = _np.asarray(x)
        if h.ndim >= 1 and h.size == 0 and not isinstance(x, _np.ndarray):
            h = h.astype(_np.intp)  # an empty list
        elif not isinstance(x, _np.ndarray) and h.dtype.kind not in "biu":
            # NumPy 2.1+: deprecated, still cast (unsafely) for sequences that are not arrays.
            _warnings.warn("Non-integer input passed to bincount. In a future version of NumPy, this will be an "
                           "error. (Deprecated NumPy 2.1)", DeprecationWarning, stacklevel=3)
            h = h.astype(_np.intp)
        arr = _arr(h)
    _depth_check(arr)
    if arr.dtype.kind in "iu":
        return arr.astype(_np.intp, copy=False)  # integers are force-cast
    return _safe_cast(arr, _np.intp)


def bincount(x, weights=None, minlength=0):
    """Counts (int64) or float64 sums of weights per non-negative integer value, length
    max(x) + 1 or minlength. The length and the sign check need the data: a sync point."""
    snp = _snp()
    lst = _as_intp_list(x)
    if minlength is None:
        raise TypeError("use 0 instead of None for minlength")
    minlength = _operator.index(minlength)
    if minlength < 0:
        raise ValueError("'minlength' must not be negative")
    if lst.size == 0:
        return snp.zeros(minlength, dtype=_np.intp)
    mn, mx = _host(lst.min(), lst.max())
    if mn < 0:
        raise ValueError("'list' argument must have no negative elements")
    size = _builtins.max(int(mx) + 1, minlength)
    if weights is None:
        return _count(lst, size)
    w = _arr(weights)
    _depth_check(w)
    w = _safe_cast(w, _np.float64)
    if w.size != lst.size:
        raise ValueError("The weights and list don't have the same length.")
    return _weighted_count(lst, w, size)


def _monotonicity(b):
    """NumPy's check_array_monotonic on host values: 1 increasing, -1 decreasing, 0 neither
    (leading repeats skipped; NaNs compare as the C loop compares them)."""
    n = b.size
    if n == 0:
        return 1
    neq = _np.nonzero(b[1:] != b[0])[0]
    if neq.size == 0:
        return 1
    i = int(neq[0]) + 1
    with _np.errstate(invalid="ignore"):
        if b[0] < b[i]:
            return 0 if _np.any(b[i:-1] > b[i + 1:]) else 1
        return 0 if _np.any(b[i:-1] < b[i + 1:]) else -1


def digitize(x, bins, right=False):
    """Indices of the bins each x falls in (searchsorted on increasing or decreasing bins).
    The bins' monotonicity is checked here (a sync point on the bins only)."""
    snp = _snp()
    x = _arr(x)
    bins = _arr(bins)
    if x.dtype.kind == "c":
        raise TypeError("x may not be complex")
    _depth_check(bins)
    b = _np.asarray(_one(bins))
    b = b.astype(_np.float64, casting="safe") if b.dtype != _np.float64 else b
    mono = _monotonicity(b)
    if mono == 0:
        raise ValueError("bins must be monotonically increasing or decreasing")
    side = "left" if right else "right"
    if mono == -1:
        return len(bins) - snp.searchsorted(snp.flip(bins), x, side=side)
    return snp.searchsorted(bins, x, side=side)


# ---- histograms ----
def _unsigned_subtract(a, b):
    """NumPy's: a - b of host scalars, in the unsigned type for signed integers."""
    signed_to_unsigned = {_np.byte: _np.ubyte, _np.short: _np.ushort, _np.intc: _np.uintc,
                          _np.int_: _np.uint, _np.longlong: _np.ulonglong}
    dt = _np.result_type(a, b)
    try:
        unsigned_dt = signed_to_unsigned[dt.type]
    except KeyError:
        return _np.subtract(a, b, dtype=dt)
    return _np.subtract(_np.asarray(a, dtype=dt), _np.asarray(b, dtype=dt), casting="unsafe", dtype=unsigned_dt)


def _ravel_and_check_weights(a, weights):
    a = _arr(a)
    if a.dtype == _np.bool_:
        _warnings.warn(f"Converting input from {a.dtype} to {_np.uint8} for compatibility.", RuntimeWarning,
                       stacklevel=3)
        a = a.astype(_np.uint8)
    if weights is not None:
        weights = _arr(weights)
        if weights.shape != a.shape:
            raise ValueError("weights should have the same shape as a.")
        weights = weights.ravel()
    return a.ravel(), weights


def _host_scalar(v):
    return _one(v) if isinstance(v, ndarray) else v


def _get_outer_edges(a, range):
    if range is not None:
        first_edge, last_edge = (_host_scalar(v) for v in range)
        if first_edge > last_edge:
            raise ValueError("max must be larger than min in range parameter.")
        if not (_np.isfinite(first_edge) and _np.isfinite(last_edge)):
            raise ValueError(f"supplied range of [{first_edge}, {last_edge}] is not finite")
    elif a.size == 0:
        first_edge, last_edge = 0, 1
    else:
        first_edge, last_edge = _host(a.min(), a.max())
        if not (_np.isfinite(first_edge) and _np.isfinite(last_edge)):
            raise ValueError(f"autodetected range of [{first_edge}, {last_edge}] is not finite")
    if first_edge == last_edge:
        first_edge = first_edge - 0.5
        last_edge = last_edge + 0.5
    return first_edge, last_edge


# The bin-width estimators: NumPy's formulas on host scalars computed by starp reductions.
def _hist_ptp(x):
    mx, mn = _host(x.max(), x.min())
    return _unsigned_subtract(mx, mn)


def _hist_bin_sqrt(x, range):
    return _hist_ptp(x) / _np.sqrt(x.size)


def _hist_bin_sturges(x, range):
    return _hist_ptp(x) / (_np.log2(x.size) + 1.0)


def _hist_bin_rice(x, range):
    return _hist_ptp(x) / (2.0 * x.size ** (1.0 / 3))


def _hist_bin_scott(x, range):
    return (24.0 * _np.pi**0.5 / x.size)**(1.0 / 3.0) * _one(_snp().std(x))


def _hist_bin_stone(x, range):
    n = x.size
    ptp_x = _hist_ptp(x)
    if n <= 1 or ptp_x == 0:
        return 0

    def jhat(nbins):
        hh = ptp_x / nbins
        p_k = _np.asarray(_one(histogram(x, bins=nbins, range=range)[0])) / n
        return (2 - (n + 1) * p_k.dot(p_k)) / hh

    nbins_upper_bound = _builtins.max(100, int(_np.sqrt(n)))
    nbins = _builtins.min(_range(1, nbins_upper_bound + 1), key=jhat)
    if nbins == nbins_upper_bound:
        _warnings.warn("The number of bins estimated may be suboptimal.", RuntimeWarning, stacklevel=3)
    return ptp_x / nbins


def _hist_bin_doane(x, range):
    snp = _snp()
    if x.size > 2:
        sg1 = _np.sqrt(6.0 * (x.size - 2) / ((x.size + 1.0) * (x.size + 3)))
        sigma = snp.std(x)
        if _one(sigma) > 0.0:
            temp = x - snp.mean(x)
            temp = (temp / sigma).astype(temp.dtype)
            temp = snp.power(temp, 3)
            g1 = _one(snp.mean(temp))
            return _hist_ptp(x) / (1.0 + _np.log2(x.size) + _np.log2(1.0 + _np.absolute(g1) / sg1))
    return 0.0


def _hist_bin_fd(x, range):
    q75, q25 = _np.asarray(_one(_snp().percentile(x, [75, 25])))
    iqr = _np.subtract(q75, q25)
    return 2.0 * iqr * x.size ** (-1.0 / 3.0)


def _hist_bin_auto(x, range):
    fd_bw = _hist_bin_fd(x, range)
    sturges_bw = _hist_bin_sturges(x, range)
    sqrt_bw = _hist_bin_sqrt(x, range)
    fd_bw_corrected = _builtins.max(fd_bw, sqrt_bw / 2)
    return _builtins.min(fd_bw_corrected, sturges_bw)


_hist_bin_selectors = {"stone": _hist_bin_stone, "auto": _hist_bin_auto, "doane": _hist_bin_doane,
                       "fd": _hist_bin_fd, "rice": _hist_bin_rice, "scott": _hist_bin_scott,
                       "sqrt": _hist_bin_sqrt, "sturges": _hist_bin_sturges}


def _get_bin_edges(a, bins, range, weights):
    """(bin_edges as a starp array, (first_edge, last_edge, n) for uniform bins or None)."""
    snp = _snp()
    n_equal_bins = None
    if isinstance(bins, str):
        if bins not in _hist_bin_selectors:
            raise ValueError(f"{bins!r} is not a valid estimator for `bins`")
        if weights is not None:
            raise TypeError("Automated estimation of the number of bins is not supported for weighted data")
        first_edge, last_edge = _get_outer_edges(a, range)
        if range is not None:
            keep = (a >= first_edge) & (a <= last_edge)
            if not bool(keep.all()):
                a = a[keep]
        if a.size == 0:
            n_equal_bins = 1
        else:
            width = _hist_bin_selectors[bins](a, (first_edge, last_edge))
            if width:
                if a.dtype.kind in "iu" and width < 1:
                    width = 1
                delta = _unsigned_subtract(last_edge, first_edge)
                n_equal_bins = int(_np.ceil(delta / width))
            else:
                n_equal_bins = 1
    elif _ndim(bins) == 0:
        try:
            n_equal_bins = _operator.index(bins)
        except TypeError as e:
            raise TypeError("`bins` must be an integer, a string, or an array") from e
        if n_equal_bins < 1:
            raise ValueError("`bins` must be positive, when an integer")
        first_edge, last_edge = _get_outer_edges(a, range)
    elif _ndim(bins) == 1:
        bin_edges = _arr(bins)
        if bool((bin_edges[:-1] > bin_edges[1:]).any()):
            raise ValueError("`bins` must increase monotonically, when an array")
        return bin_edges, None
    else:
        raise ValueError("`bins` must be 1d, when an array")
    bin_type = _np.result_type(first_edge, last_edge, _np.empty(0, a.dtype))
    if bin_type.kind in "iu":
        bin_type = _np.result_type(bin_type, float)
    # The n + 1 edges from two host scalars: NumPy's linspace, rounding for rounding.
    edges = _np.linspace(first_edge, last_edge, n_equal_bins + 1, endpoint=True, dtype=bin_type)
    if _np.any(edges[:-1] >= edges[1:]):
        raise ValueError(f"Too many bins for data range. Cannot create {n_equal_bins} finite-sized bins.")
    return snp.asarray(edges), (first_edge, last_edge, n_equal_bins, edges)


def histogram_bin_edges(a, bins=10, range=None, weights=None):
    """The edges histogram would use (estimators: host formulas on starp reductions)."""
    a, weights = _ravel_and_check_weights(a, weights)
    bin_edges, _ = _get_bin_edges(a, bins, range, weights)
    return bin_edges


def _edge_values(first_edge, last_edge, n, edges, bin_edges):
    """k -> edges[k] for an int64 array k in [0, n], lazily and without a gather: NumPy's linspace
    arithmetic k * step + start (in linspace's float type, then the edges' dtype; the last edge
    is `last`), used only when it reproduces the n + 1 edges bit for bit on the host. Otherwise
    (or if NumPy's linspace ever computes differently) a gather from the edges."""
    snp = _snp()
    dt = _np.linspace(first_edge, last_edge, 2).dtype
    delta = _np.subtract(_np.asarray(last_edge), _np.asarray(first_edge), dtype=dt)
    step = delta / n
    k = _np.arange(n + 1, dtype=dt)
    if step != 0 and _np.isfinite(step):
        start_dt = dt.type(first_edge)
        start_64 = _np.float64(first_edge)
        forms = [
            (lambda k: k * step + start_dt),  # start added in dt
            (lambda k: (k * step).astype(_np.float64) + start_64),  # start added in float64
        ]
        for form in forms:
            host = _np.asarray(form(k)).astype(edges.dtype)
            if _np.array_equal(host[:-1], edges[:-1]):
                last = edges.dtype.type(edges[-1])
                return lambda idx, form=form: snp.where(idx == n, last, form(idx.astype(dt)).astype(edges.dtype))
    return lambda idx: snp.take(bin_edges, idx)


def _uniform_indices(a, bin_edges, first_edge, last_edge, n, edges):
    """NumPy's bin index of every element for n equal bins (elements outside the range, and NaNs,
    get n): (a - first) / (last - first) * n, truncated, then corrected against the edges."""
    snp = _snp()
    edge_at = _edge_values(first_edge, last_edge, n, edges, bin_edges)
    keep = (a >= first_edge) & (a <= last_edge)
    norm_denom = _unsigned_subtract(last_edge, first_edge)
    tmp = a.astype(bin_edges.dtype, copy=False)
    dt = _np.result_type(_np.empty(0, tmp.dtype), first_edge)
    first = dt.type(first_edge)
    # Elements outside the range are computed on `first` (index 0), then sent to bin n.
    tmp = snp.where(keep, tmp, first)
    f_indices = ((tmp.astype(dt, copy=False) - first) / norm_denom) * n
    idx = f_indices.astype(_np.intp)
    idx = snp.where(idx == n, n - 1, idx)
    idx = snp.where(tmp < edge_at(idx), idx - 1, idx)
    idx = snp.where((tmp >= edge_at(idx + 1)) & (idx != n - 1), idx + 1, idx)
    return snp.where(keep, idx, n)


def _sorted_inclusive(sa, edges):
    snp = _snp()
    return snp.concatenate((snp.searchsorted(sa, edges[:-1], side="left"),
                            snp.searchsorted(sa, edges[-1:], side="right")))


def histogram(a, bins=10, range=None, density=None, weights=None):
    """NumPy's histogram: counts (int64) or sums of weights (weights' dtype) per bin, and the edges.
    Equal bins: NumPy's index arithmetic and edge corrections, then exact counts; explicit edges:
    the bin of each value by searchsorted. Weighted sums are accumulated in NumPy's order and
    blocks (bincount's sequential sums; cumulative sums over sorted data for explicit edges)."""
    snp = _snp()
    a, weights = _ravel_and_check_weights(a, weights)
    bin_edges, uniform_bins = _get_bin_edges(a, bins, range, weights)
    ntype = _np.dtype(_np.intp) if weights is None else weights.dtype
    if uniform_bins is not None:
        first_edge, last_edge, nb, edges = uniform_bins
        idx = _uniform_indices(a, bin_edges, first_edge, last_edge, nb, edges)
        if weights is None:
            n = _count(idx, nb + 1)[:nb]
        else:
            n = _uniform_weighted(idx, weights, nb, ntype)
    elif weights is None:
        # NumPy counts the sorted data between the edges; the same sets, without sorting: the last
        # edge <= each value (the last bin closed), values outside and NaNs to a dropped bin.
        nb = bin_edges.shape[0] - 1
        if nb < 1:
            return snp.zeros(0, dtype=_np.intp), bin_edges
        idx = snp.searchsorted(bin_edges, a, side="right") - 1
        idx = snp.where(a == bin_edges[nb], nb - 1, idx)
        idx = snp.where((idx < 0) | (idx >= nb), nb, idx)
        n = _count(idx, nb + 1)[:nb]
    else:
        n = _sorted_weighted(a, weights, bin_edges, ntype)
    if density:
        db = snp.diff(bin_edges).astype(_np.float64)
        return n / db / n.sum(), bin_edges
    return n, bin_edges


def _uniform_weighted(idx, weights, nb, ntype):
    """n += bincount(block, weights).astype(ntype) per block of NumPy's (real and imaginary
    parts separately for complex weights)."""
    snp = _snp()
    if ntype.kind == "c":
        part = _np.dtype(_np.float32 if ntype == _np.complex64 else _np.float64)
        re = snp.zeros(nb, dtype=part)
        im = snp.zeros(nb, dtype=part)
        wr, wi = snp.real(weights), snp.imag(weights)
        for i in _range(0, idx.size, _BLOCK):
            sl = slice(i, i + _BLOCK)
            re = (re + _weighted_count(idx[sl], wr[sl], nb + 1)[:nb]).astype(part)
            im = (im + _weighted_count(idx[sl], wi[sl], nb + 1)[:nb]).astype(part)
        return _complex_from(re, im, ntype)
    n = snp.zeros(nb, dtype=ntype)
    for i in _range(0, idx.size, _BLOCK):
        sl = slice(i, i + _BLOCK)
        n = (n + _weighted_count(idx[sl], weights[sl], nb + 1)[:nb].astype(ntype)).astype(ntype)
    return n


def _sorted_weighted(a, weights, bin_edges, ntype):
    """NumPy's explicit-edges weighted histogram: per block, cumulative sums of the weights in
    sorted order, read at the edges; the counts are their differences."""
    snp = _snp()
    cum_n = snp.zeros(bin_edges.shape, dtype=ntype)
    zero = snp.zeros(1, dtype=ntype)
    for i in _range(0, a.size, _BLOCK):
        tmp_a = a[i:i + _BLOCK]
        tmp_w = weights[i:i + _BLOCK]
        order = snp.argsort(tmp_a)
        sa = snp.take(tmp_a, order)
        sw = snp.take(tmp_w, order)
        cw = snp.concatenate((zero, snp.cumsum(sw)))
        add = snp.take(cw, _sorted_inclusive(sa, bin_edges))
        if not _np.can_cast(_np.result_type(cum_n.dtype, add.dtype), ntype, "same_kind"):
            raise TypeError(f"Cannot cast ufunc 'add' output from {add.dtype!r} to {ntype!r} with casting "
                            "rule 'same_kind'")
        cum_n = (cum_n + add).astype(ntype)
    return snp.diff(cum_n)


def _sample_2d(sample):
    snp = _snp()
    if isinstance(sample, (list, tuple)) and _builtins.any(isinstance(s, ndarray) for s in sample):
        sample = snp.stack([_arr(s) for s in sample])
    else:
        sample = _arr(sample)
    return sample


def histogramdd(sample, bins=10, range=None, density=None, weights=None):
    """NumPy's histogramdd: per dimension searchsorted(edges, x, 'right') (the last edge inclusive),
    the flat bin index, exact counts (or weighted sums), as float64."""
    snp = _snp()
    if isinstance(sample, ndarray) or isinstance(sample, _np.ndarray):
        sample = _arr(sample)
        if sample.ndim != 2:
            sample = snp.atleast_2d(sample).T
    else:
        sample = snp.atleast_2d(_sample_2d(sample)).T
    N, D = sample.shape
    nbin = _np.empty(D, _np.intp)
    edges = D * [None]
    dedges = D * [None]
    if weights is not None:
        weights = _arr(weights)
    try:
        M = len(bins)
        if M != D:
            raise ValueError("The dimension of bins must be equal to the dimension of the sample x.")
    except TypeError:
        bins = D * [bins]
    if range is None:
        range = (None,) * D
    elif len(range) != D:
        raise ValueError("range argument must have one entry per dimension")
    lows = highs = None
    for i in _range(D):
        if _ndim(bins[i]) == 0:
            if bins[i] < 1:
                raise ValueError(f"`bins[{i}]` must be positive, when an integer")
            if range[i] is None and N > 0:
                if lows is None:
                    lows, highs = (_np.asarray(v) for v in _host(sample.min(axis=0), sample.max(axis=0)))
                smin, smax = lows[i], highs[i]
                if not (_np.isfinite(smin) and _np.isfinite(smax)):
                    raise ValueError(f"autodetected range of [{smin}, {smax}] is not finite")
                if smin == smax:
                    smin, smax = smin - 0.5, smax + 0.5
            else:
                smin, smax = _get_outer_edges(sample[:, i], range[i])
            try:
                n = _operator.index(bins[i])
            except TypeError as e:
                raise TypeError(f"`bins[{i}]` must be an integer, when a scalar") from e
            edges[i] = snp.asarray(_np.linspace(smin, smax, n + 1))
        elif _ndim(bins[i]) == 1:
            edges[i] = _arr(bins[i])
            if bool((edges[i][:-1] > edges[i][1:]).any()):
                raise ValueError(f"`bins[{i}]` must be monotonically increasing, when an array")
        else:
            raise ValueError(f"`bins[{i}]` must be a scalar or 1d array")
        nbin[i] = len(edges[i]) + 1
        dedges[i] = snp.diff(edges[i])
    xy = None
    stride = 1
    for i in reversed(_range(D)):
        col = sample[:, i]
        c = snp.searchsorted(edges[i], col, side="right")
        c = snp.where(col == edges[i][-1], c - 1, c)
        xy = c * stride if xy is None else xy + c * stride
        stride *= int(nbin[i])
    total = int(_np.prod(nbin))
    if xy is None:
        xy = snp.zeros(0, dtype=_np.intp)
    if weights is None or xy.size == 0:
        # (NumPy's bincount of an empty list ignores the weights.)
        hist = _count(xy, total)
    else:
        _depth_check(weights)
        w = _safe_cast(weights, _np.float64)
        if w.size != xy.size:
            raise ValueError("The weights and list don't have the same length.")
        hist = _weighted_count(xy, w, total)
    hist = hist.reshape(tuple(int(v) for v in nbin)).astype(_np.float64)
    hist = hist[D * (slice(1, -1),)]
    if density:
        s = hist.sum()
        for i in _range(D):
            shape = [1] * D
            shape[i] = int(nbin[i]) - 2
            hist = hist / dedges[i].reshape(shape)
        hist = hist / s
    return hist, edges


def histogram2d(x, y, bins=10, range=None, density=None, weights=None):
    """histogramdd of the pairs (x, y): (H, xedges, yedges)."""
    if len(x) != len(y):
        raise ValueError("x and y must have the same length.")
    try:
        N = len(bins)
    except TypeError:
        N = 1
    if N not in {1, 2}:
        xedges = yedges = _arr(bins)
        bins = [xedges, yedges]
    hist, edges = histogramdd([_arr(x), _arr(y)], bins, range, density, weights)
    return hist, edges[0], edges[1]
