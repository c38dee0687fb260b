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


def current_session():
    s = _state["session"]
    if s is None:
        s = _core.Session(_env_ranks())
        _state["session"] = s
    return s


def config(ranks=None, budget=None):
    """Configure the embedded runtime.

    ranks:  number of in-process ranks (threads running the distributed plan). Arrays made
            before the change belong to the old session and cannot be mixed with new ones.
    budget: pending graph nodes after which live arrays are computed (bounds loop memory).
    """
    if ranks is not None:
        ranks = int(ranks)
        if ranks < 1:
            raise ValueError(f"ranks must be at least 1, got {ranks}")
        if _state["session"] is None or _state["session"].ranks != ranks:
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
