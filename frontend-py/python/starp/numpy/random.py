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
