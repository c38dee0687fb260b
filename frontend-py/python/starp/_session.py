"""The default session and the knobs that choose it (thin: all semantics live in Rust)."""

import os

from starp import _core

_state = {"session": None}


def _env_ranks():
    v = os.environ.get("STARP_RANKS", "1")
    try:
        r = int(v)
    except ValueError:
        raise ValueError(f"STARP_RANKS must be a positive integer, got {v!r}") from None
    if r < 1:
        raise ValueError(f"STARP_RANKS must be a positive integer, got {v!r}")
    return r


def _start_mpi():
    """Under mpirun every rank runs the script (SPMD): one MPI session per process, MPI finalized
    at exit, and an uncaught exception on any rank ends the whole job instead of hanging it."""
    import atexit
    import sys

    s = _core.Session.mpi()
    if s is None:
        return None
    atexit.register(_core.mpi_finalize)
    previous = sys.excepthook

    def abort_job(kind, value, tb):
        previous(kind, value, tb)
        sys.stderr.flush()
        _core.mpi_abort(1)

    sys.excepthook = abort_job
    return s


def current_session():
    s = _state["session"]
    if s is None:
        s = _start_mpi() if _core.launched_by_mpirun() else None
        if s is None:
            s = _core.Session(_env_ranks())
        _state["session"] = s
    return s


def under_mpi():
    """True when this process is one rank of an MPI job."""
    return _core.launched_by_mpirun()


def config(ranks=None, budget=None, threads=None, exchange_round_bytes=None, memory_limit=None):
    """Configure the embedded runtime.

    ranks:  number of in-process ranks (threads running the distributed plan). Arrays made
            before the change belong to the old session and cannot be mixed with new ones.
    budget: pending graph nodes after which live arrays are computed (bounds loop memory).
    threads: threads per rank (0: the host's cores divided by the ranks on it, the default;
             STARP_THREADS sets it too). Results do not depend on it.
    exchange_round_bytes: most bytes one pair of ranks sends per round of a redistribution
             (default 256 MiB): bounds the extra memory of large transposes.
    memory_limit: bytes the job's arrays may use (None or 0: no limit). Each rank gets an equal
             share; a plan that would hold more on some rank raises MemoryError before it runs
             (on every rank); exchanges run in rounds of at most 1/32 of a share, and one whose
             source dies releases it as it goes, so `a = a.T.copy()` fits for an `a` larger
             than half the limit.
    """
    if memory_limit is not None:
        memory_limit = int(memory_limit)
        if memory_limit < 0:
            raise ValueError(f"memory_limit must be a number of bytes >= 0, got {memory_limit}")
        _core.set_memory_limit(memory_limit)
    if exchange_round_bytes is not None:
        _core.set_exchange_round_bytes(int(exchange_round_bytes))
    if threads is not None:
        _core.set_threads(int(threads))
    if ranks is not None:
        ranks = int(ranks)
        if ranks < 1:
            raise ValueError(f"ranks must be at least 1, got {ranks}")
        if under_mpi():
            if current_session().ranks != ranks:
                raise ValueError(
                    f"under mpirun the ranks are the MPI job's ({current_session().ranks}); cannot change them to {ranks}"
                )
        elif _state["session"] is None or _state["session"].ranks != ranks:
            _state["session"] = _core.Session(ranks)
    if budget is not None:
        current_session().set_budget(int(budget))
    return current_session()


def compute(*arrays):
    """Compute several arrays in one plan (shared work runs once); a tuple of numpy arrays."""
    from starp.numpy._array import fetch

    return tuple(fetch(list(arrays)))


def stats():
    """Counters of the current session: plans run, kernels run, bytes moved between ranks,
    pending graph nodes and live buffers."""
    plans, kernels, moved, pending, buffers = current_session().stats()
    return {"plans": plans, "kernels": kernels, "bytes_moved": moved, "pending_nodes": pending, "live_buffers": buffers}
