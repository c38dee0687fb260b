"""starp: NumPy code, unchanged but for its import, running lazily, fused and distributed.

    import starp.numpy as np

Arrays are handles to nodes of a deferred graph; ``x.compute()``, ``numpy.asarray(x)``,
``print(x)`` and friends run it. ``starp.config(ranks=P)`` runs P in-process ranks.
"""

from starp._profile import profile
from starp._session import compute, config, current_session, stats, under_mpi

__all__ = ["compute", "config", "current_session", "profile", "stats", "under_mpi"]
__version__ = "0.1.0"
