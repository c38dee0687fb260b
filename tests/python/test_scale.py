"""Scale: long loops of writes and long op chains.

No timing assertions: the only time limits are pytest-timeout marks that
stop a hung or pathologically slow run.  Deselect with ``-m "not slow"``.
"""

import gc
import json
import os
import subprocess
import sys

import numpy as np
import pytest

import starp.numpy as snp
from _helpers import AGAINST_NUMPY, assert_same, to_numpy

HERE = os.path.dirname(os.path.abspath(__file__))

pytestmark = pytest.mark.slow

# Runs in a fresh interpreter so that ru_maxrss (a high-water mark) measures
# this loop only, not the tests that ran before it.
_WRITE_LOOP = r"""
import json, resource, sys
import numpy as np
import starp, starp.numpy as snp

n = int(sys.argv[1])

def to_numpy(x):
    return x.compute() if hasattr(x, "compute") else np.asarray(x)

a = snp.zeros(n, dtype=np.int64)
to_numpy(a)
to_numpy(a[1:3] + 1)  # warm-up: runtime threads, first compute
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
for i in range(1, n):
    a[i] = a[i - 1] + 1
res = to_numpy(a)
total = int(to_numpy(a.sum()))
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
ok = bool(np.array_equal(res, np.arange(n, dtype=np.int64))) and res.dtype == np.int64
print(json.dumps({"ok": ok, "total": total, "growth_kib": after - before}))
"""


def _child_env(ranks):
    env = dict(os.environ)
    env["STARP_RANKS"] = str(ranks)
    paths = [p for p in sys.path if p and os.path.isdir(p)]
    if AGAINST_NUMPY:
        paths.insert(0, os.path.join(HERE, "_numpy_as_starp"))
    env["PYTHONPATH"] = os.pathsep.join(paths)
    return env


@pytest.mark.own_process
@pytest.mark.timeout(600, method="thread")
def test_loop_of_10000_writes_memory(ranks):
    n = 10_000
    out = subprocess.run(
        [sys.executable, "-c", _WRITE_LOOP, str(n)], env=_child_env(ranks),
        capture_output=True, text=True, timeout=570,
    )
    assert out.returncode == 0, out.stderr[-4000:]
    res = json.loads(out.stdout.strip().splitlines()[-1])
    assert res["ok"], res
    assert res["total"] == n * (n - 1) // 2
    growth_mb = res["growth_kib"] / 1024  # ru_maxrss is in KiB on Linux
    assert growth_mb < 200, f"peak RSS grew by {growth_mb:.0f} MB during the loop"


@pytest.mark.timeout(600, method="thread")
def test_loop_of_10000_writes_in_process():
    """Same loop in the test process, against NumPy's answer."""
    n = 10_000
    e = np.zeros(n, dtype=np.int64)
    a = snp.array(e)
    for i in range(1, n):
        a[i] = a[i - 1] + 1
        e[i] = e[i - 1] + 1
    assert_same(a, e)
    del a
    gc.collect()


@pytest.mark.timeout(120, method="thread")
def test_chain_of_100000_ops():
    """x = x + 1, 100,000 times: no RecursionError / stack overflow when
    building, computing or freeing the graph."""
    x0 = np.arange(5, dtype=np.float64)
    x = snp.array(x0)
    for _ in range(100_000):
        x = x + 1
    assert_same(x, x0 + 100_000.0, rtol=0)
    y = x * 2  # the chain stays usable after compute
    assert_same(y, (x0 + 100_000.0) * 2, rtol=0)
    del x, y
    gc.collect()


@pytest.mark.timeout(120, method="thread")
def test_chain_of_100000_ops_not_computed_then_freed():
    x = snp.zeros(3, dtype=np.int64)
    for _ in range(100_000):
        x = x + 1
    del x  # dropping a deep uncomputed graph must not overflow the stack
    gc.collect()
    z = snp.ones(3) * 2
    assert_same(z, np.full(3, 2.0))


@pytest.mark.timeout(300, method="thread")
def test_chain_with_views_and_writes():
    e = np.zeros((4, 6))
    a = snp.array(e)
    for i in range(2_000):
        r = i % 4
        a[r] = a[(r + 3) % 4][::-1] * 0.5 + i
        e[r] = e[(r + 3) % 4][::-1] * 0.5 + i
    assert_same(a, e, rtol=1e-12)
    assert_same(a.sum(axis=0), e.sum(axis=0), rtol=1e-12)
    assert to_numpy(a).shape == (4, 6)
