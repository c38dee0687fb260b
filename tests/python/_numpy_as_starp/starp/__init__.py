"""A stand-in for ``starp`` that maps everything to NumPy itself.

It is put on ``sys.path`` by ``tests/python/conftest.py`` only when the
environment variable ``STARP_TEST_AGAINST_NUMPY=1`` is set.  Running the suite
against it proves that every expectation in the suite is NumPy's own
behaviour.  It is never used when testing the real starp.

* ``starp.numpy`` is ``numpy``;
* ``starp.config(ranks=P)`` only validates its argument;
* ``starp.compute(*xs)`` returns ``tuple(numpy.asarray(x) for x in xs)``.

NumPy arrays have no ``.compute()``, ``.explain()`` or ``.visualize()``; the
tests use ``_helpers.to_numpy`` instead of ``.compute()`` and skip the
starp-only tests in this mode.
"""

import os as _os
import sys as _sys

import numpy as _np

IS_NUMPY_STAND_IN = True

numpy = _np
_sys.modules[__name__ + ".numpy"] = _np

_ranks = int(_os.environ.get("STARP_RANKS", "1"))


def config(ranks=1):
    """No-op (NumPy has one 'rank'); keeps the value for introspection."""
    global _ranks
    ranks = int(ranks)
    if not 1 <= ranks <= 4:
        raise ValueError(f"ranks must be in 1..4, got {ranks}")
    _ranks = ranks


def compute(*xs):
    return tuple(_np.asarray(x) for x in xs)


def under_mpi():
    """NumPy runs in one process: never under mpirun."""
    return False
