"""Seeding, the counter-based draw primitive and the helpers every sampler shares (see the
package docstring)."""


import numpy as _np

from starp import _core
from starp._session import current_session
from starp.numpy._array import dtype_name, wrap
from starp.numpy._array import namespace as _starp

class SeedSequence(_np.random.SeedSequence):
    """NumPy's SeedSequence, except that without entropy it takes rank 0's (so every rank of a job
    derives the same seeds). ``default_rng(SeedSequence(...))`` keys its stream with
    ``generate_state(1, uint64)``."""

    def __init__(self, entropy=None, *, spawn_key=(), pool_size=4, n_children_spawned=0):
        if entropy is None:
            entropy = current_session().entropy_seed()
        super().__init__(entropy, spawn_key=spawn_key, pool_size=pool_size, n_children_spawned=n_children_spawned)


_legacy = {"rng": None}


def _seed_int(seed):
    """The Philox key of a seed: an int as given (0 <= seed < 2**64, checked by the core); a
    SeedSequence (starp's or NumPy's) or a NumPy BitGenerator (its seed_seq) through
    generate_state; a sequence of ints through a SeedSequence; None: rank 0's entropy."""
    if seed is None:
        return current_session().entropy_seed()
    if isinstance(seed, (int, _np.integer)):
        return int(seed)
    if hasattr(seed, "generate_state"):
        return int(seed.generate_state(1, _np.uint64)[0])
    ss = getattr(seed, "seed_seq", None)
    if ss is not None and hasattr(ss, "generate_state"):
        return int(ss.generate_state(1, _np.uint64)[0])
    if isinstance(seed, (float, complex, _np.inexact)):
        raise TypeError("Cannot cast scalar from dtype('float64') to dtype('int64') according to the rule 'safe'")
    try:
        arr = _np.asarray(seed)
    except Exception:  # noqa: BLE001 - anything NumPy cannot read is not a seed
        arr = _np.asarray(0.0)
    if arr.ndim == 1 and (arr.dtype.kind in "iu" or arr.size == 0):
        if _np.any(arr < 0):
            raise ValueError("expected non-negative integer")
        return int(SeedSequence([int(v) for v in arr]).generate_state(1, _np.uint64)[0])
    raise TypeError(f"SeedSequence expects int or sequence of ints for entropy not {seed!r}")


def _new_rng(seed):
    # An unseeded stream takes its seed from rank 0, so every rank draws the same numbers.
    return _core.Rng(_seed_int(seed))


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
    if kind == "uniform" and (p0, p1) == (0.0, 1.0) and _np.dtype(dtype) == _np.float32:
        # float32 on its own 2^-24 grid: rounding a double near 1 to float32 would give 1.0.
        u = wrap(s.random(rng, "uniform", [] if shape is None else shape, 0.0, 1.0, "float64"), s)
        a = (_starp().floor(u * 16777216.0) * (1.0 / 16777216.0)).astype(_np.float32)
    else:
        a = wrap(s.random(rng, kind, [] if shape is None else shape, p0, p1, dtype_name(dtype)), s)
    # NumPy returns a Python-like scalar when size is None.
    return a.compute()[()] if shape is None else a


# ---- shared helpers: lazy draws, parameters, rounds of rejection ----

#: largest lam / n * p with an inversion table (its length grows like 40 * sqrt(lam))
_MAX_MEAN = 1e10
_INT64_MAX = 9223372036854775807
_TWO63 = 9.223372036854775808e18



def _shape_of(size):
    if size is None:
        return None
    return tuple(_size(size))


def _uniform(rng, shape):
    """U in [0, 1) of the given shape (a starp array; () for a scalar draw)."""
    s = current_session()
    return wrap(s.random(rng, "uniform", list(shape), 0.0, 1.0, "float64"), s)


def _normal(rng, shape):
    """Standard normals of the given shape (a starp array)."""
    s = current_session()
    return wrap(s.random(rng, "normal", list(shape), 0.0, 1.0, "float64"), s)


def _uniform_open(rng, shape):
    """U in (0, 1): the 2^-53 grid of [0, 1) with 0 moved to 2^-54 (so log U and log(-log(1-U))
    are finite without a rejection round)."""
    u = _uniform(rng, shape)
    return _starp().where(u == 0.0, 2.0 ** -54, u)


def _std_exp(rng, shape):
    """Standard exponentials -log(1 - U), in [0, 37]."""
    return -_starp().log1p(-_uniform(rng, shape))


def _host(x):
    return _np.asarray(x.compute() if hasattr(x, "compute") else x)


def _f64(p):
    """A parameter as a float64 NumPy array (a starp array is computed: parameters are checked at
    the call, as NumPy does)."""
    h = _host(p)
    if h.dtype.kind == "c":
        raise TypeError("starp's random distributions take real parameters, not complex ones")
    return h.astype(_np.float64, copy=False)


def _lz(h):
    """A host parameter as a lazy operand: a Python float when 0-d, else a starp array."""
    h = _np.asarray(h)
    if h.ndim == 0:
        return bool(h) if h.dtype == bool else float(h)
    return _starp().asarray(h)


def _bad(cond, msg, param=None):
    """ValueError(msg) if cond holds anywhere; NumPy says "contains NaNs" for array parameters
    where it says "is NaN" for scalars."""
    if _np.any(cond):
        if param is not None and _np.ndim(param) > 0:
            msg = msg.replace("is NaN", "contains NaNs")
        raise ValueError(msg)


def _finish(a, size):
    """A Python scalar when size is None and the parameters were scalars, as NumPy."""
    return a.compute()[()] if size is None and a.ndim == 0 else a


def _broadcast_size(size, *params):
    """The output shape: the parameters' broadcast shape, or size, which it must broadcast to
    (NumPy's errors: a mismatch names size as arg 0 and the parameters as args 1, 2, ...)."""
    shapes = [_np.shape(p) for p in params]
    shape = _np.broadcast_shapes(*shapes)
    if size is None:
        return shape
    size = _shape_of(size)
    if _np.broadcast_shapes(size, *shapes) != size:
        raise ValueError(f"Output size {size} is not compatible with broadcast dimensions of inputs {shape}.")
    return size


def _persist(*arrays):
    current_session().persist([a._a for a in arrays])


def _until_accepted(propose, todo=None):
    """Exact rejection sampling in rounds. ``propose()`` draws fresh numbers (new draws of the whole
    shape) and returns (candidate, accepted), lazily; element i keeps the candidate of the first
    round that accepted it. ``todo``: a starp bool array of the elements that need a sample (the
    others keep whatever the first round gave). One sync point (the count of pending elements)
    per round; the loop ends only when nothing is pending."""
    snp = _starp()
    cand, ok = propose()
    out = cand
    pending = ~ok if todo is None else (todo & ~ok)
    while True:
        n = snp.count_nonzero(pending)
        _persist(out, pending, n)
        if int(n) == 0:
            return out
        cand, ok = propose()
        out = snp.where(pending & ok, cand, out)
        pending = pending & ~ok


def _pick(cases, shape, fill=_np.nan):
    """cases: (host bool mask broadcastable to shape, thunk) in priority order; the lazy value of
    the first case whose mask holds (``fill`` where none does). A thunk runs only if its mask holds
    somewhere, so scalar parameters build exactly one branch."""
    snp = _starp()
    active = [(_np.asarray(m, dtype=bool), f) for m, f in cases if _np.any(m)]
    out = None
    for m, f in reversed(active):
        v = f()
        if out is None:
            out = v if _np.all(m) else snp.where(_lz(m), v, fill)
        else:
            out = snp.where(_lz(m), v, out)
    return snp.full(shape, fill, dtype=_np.float64) if out is None else out


def _as_int64(x, clip=True):
    """Float-valued integers as int64; values >= 2^63 become INT64_MAX (NumPy's Generator clips;
    its legacy functions wrap to INT64_MIN, which the guarded cast gives with clip=False)."""
    snp = _starp()
    r = x.astype(_np.int64)
    return snp.where(x >= _TWO63, _INT64_MAX, r) if clip else r
