"""Whole MPI jobs (mpirun as a subprocess): results agree on every rank, an error on one rank is
the same exception on every rank, and a rank that dies or raises ends the job quickly."""

import os
import shutil
import subprocess
import sys
import textwrap
import time

import pytest

from _helpers import AGAINST_NUMPY

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MPIRUN = os.path.join(ROOT, "scripts", "mpirun-local")

pytestmark = [
    pytest.mark.own_process,
    pytest.mark.cross_ranks,
    pytest.mark.skipif(AGAINST_NUMPY or shutil.which("mpirun") is None, reason="needs starp and mpirun"),
]


PREAMBLE = """
import os, sys
# Each rank writes its own file: mpirun interleaves the ranks' stdout.
sys.stdout = open(os.path.join(os.environ["STARP_JOB_OUT"], "rank%s.txt" % os.environ["OMPI_COMM_WORLD_RANK"]), "w", buffering=1)
"""


def run_job(p, script, tmp_path, timeout=120):
    """Runs `script` on p ranks; (CompletedProcess, seconds, {rank: stdout lines})."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OMPI_", "PMIX_"))}
    env["STARP_JOB_OUT"] = str(tmp_path)
    t = time.monotonic()
    out = subprocess.run(
        [MPIRUN, "-n", str(p), sys.executable, "-c", PREAMBLE + textwrap.dedent(script)],
        capture_output=True, text=True, timeout=timeout, env=env,
    )
    took = time.monotonic() - t
    ranks = {}
    for f in sorted(tmp_path.glob("rank*.txt")):
        ranks[int(f.stem[4:])] = f.read_text().splitlines()
        f.unlink()
    return out, took, ranks


@pytest.mark.parametrize("p", [1, 2, 3, 4])
def test_every_rank_computes_the_same_array(p, tmp_path):
    out, _, ranks = run_job(p, """
        import numpy, starp, starp.numpy as np
        s = starp.current_session()
        a = np.arange(35.0).reshape(7, 5)
        r = (a.T @ a + np.sin(a).sum(axis=0)).compute()
        e = numpy.arange(35.0).reshape(7, 5)
        numpy.testing.assert_allclose(r, e.T @ e + numpy.sin(e).sum(axis=0), rtol=1e-12)
        print(f"rank {s.rank}/{s.ranks} checksum {r.sum():.12e}")
    """, tmp_path)
    assert out.returncode == 0, out.stderr
    assert sorted(ranks) == list(range(p))
    sums = {r: [l.split("checksum")[1] for l in lines if "checksum" in l] for r, lines in ranks.items()}
    assert len({tuple(v) for v in sums.values()}) == 1, sums


@pytest.mark.parametrize("p", [2, 3])
def test_an_error_is_the_same_exception_on_every_rank(p, tmp_path):
    out, _, ranks = run_job(p, """
        import starp, starp.numpy as np
        s = starp.current_session()
        a = np.ones((4, 3))
        try:
            a.reshape(5, 2)
        except ValueError as e:
            print(f"rank {s.rank} ValueError: {e}")
        try:
            np.zeros(10**13).compute()  # every rank fails to allocate its block
        except MemoryError:
            print(f"rank {s.rank} MemoryError")
        print(f"rank {s.rank} still works: {float(a.sum())}")
    """, tmp_path)
    assert out.returncode == 0, out.stderr
    text = "\n".join(l for lines in ranks.values() for l in lines)
    for r in range(p):
        assert f"rank {r} ValueError: cannot reshape array of size 12 into shape (5, 2)" in text
        assert f"rank {r} still works: 12.0" in text


def test_an_exception_on_one_rank_ends_the_job(tmp_path):
    out, took, _ = run_job(3, """
        import starp, starp.numpy as np
        s = starp.current_session()
        a = np.ones(10)
        if s.rank == 1:
            raise RuntimeError("only rank 1 fails")
        float((a + 1).sum())  # ranks 0 and 2 would wait for rank 1 here forever
        print("unreachable on a healthy job")
    """, tmp_path, timeout=60)
    assert out.returncode != 0
    assert "only rank 1 fails" in out.stderr
    assert took < 30, f"the job took {took:.1f} s to end"


def test_a_killed_rank_ends_the_job(tmp_path):
    out, took, _ = run_job(3, """
        import os, signal, starp, starp.numpy as np
        s = starp.current_session()
        a = np.ones(10)
        if s.rank == 2:
            os.kill(os.getpid(), signal.SIGKILL)
        float((a + 1).sum())
    """, tmp_path, timeout=60)
    assert out.returncode != 0
    assert took < 30, f"the job took {took:.1f} s to end"


def test_heat_example_is_identical_on_1_and_4_ranks(tmp_path):
    outs = []
    for p in (1, 4):
        out, _, ranks = run_job(p, f"""
            import runpy, sys
            sys.argv = ["heat.py", "--n", "60"]
            runpy.run_path({os.path.join(ROOT, "examples", "heat.py")!r}, run_name="__main__")
        """, tmp_path)
        assert out.returncode == 0, out.stderr
        assert sorted(ranks) == list(range(p))
        # Every rank printed the same lines, and they are the same as on one rank.
        assert all(lines == ranks[0] for lines in ranks.values())
        outs.append(ranks[0])
    assert outs[0] == outs[1]
    assert any("converged" in l for l in outs[0])


@pytest.mark.parametrize("p", [2, 3, 4])
def test_a_failure_on_one_rank_mid_plan_is_the_same_exception_everywhere(p, tmp_path):
    # Rank 1 fails in the plan's first step (a kernel that only it would fail: an injected
    # MemoryError, as a short allocation on one host would be); the later steps exchange data,
    # so the other ranks would block there if they did not learn of it first.
    out, took, ranks = run_job(p, """
        import numpy, starp, starp.numpy as np
        from starp import _core
        s = starp.current_session()
        a = np.arange(23.0).reshape(23, 1) * np.ones((1, 5))
        a.persist()
        _core.inject_failure(1, 0)
        try:
            (np.exp(a).T @ a).sum(axis=0).compute()
        except MemoryError as e:
            print(f"rank {s.rank} MemoryError: {e}")
        r = (np.exp(a).T @ a).sum(axis=0).compute()
        e = numpy.arange(23.0).reshape(23, 1) * numpy.ones((1, 5))
        numpy.testing.assert_allclose(r, (numpy.exp(e).T @ e).sum(axis=0), rtol=1e-12)
        print(f"rank {s.rank} recovered")
    """, tmp_path, timeout=120)
    assert out.returncode == 0, out.stderr
    for r in range(p):
        assert ranks[r] == [
            f"rank {r} MemoryError: injected failure on rank 1 at step 0",
            f"rank {r} recovered",
        ], (r, ranks, out.stderr)


def test_a_transpose_of_60_percent_of_the_memory_limit_stays_under_it_per_rank(tmp_path):
    # 2 ranks, a 640 MB job limit (320 MB per rank), a 384 MB array: the transpose must release
    # the source as it sends it. Peak RSS growth of each rank process is measured by the kernel.
    out, took, ranks = run_job(2, """
        import numpy, starp, starp.numpy as np
        def rss(field):
            for line in open("/proc/self/status"):
                if line.startswith(field):
                    return int(line.split()[1]) * 1024
        s = starp.current_session()
        limit = 640 << 20
        n = int((0.6 * limit / 8) ** 0.5)
        base = rss("VmRSS:")
        starp.config(memory_limit=limit)
        k = np.arange(n, dtype=np.float64)
        a = k.reshape(n, 1) * n + k  # a[i, j] = i * n + j, one kernel writing it
        a.persist()
        try:
            a.T.copy().persist()  # a stays alive: refused before running
        except MemoryError:
            print(f"rank {s.rank} refused")
        a = a.T.copy()
        a.persist()
        grown = rss("VmHWM:") - base
        share = limit // 2
        print(f"rank {s.rank} grown {grown / 2**20:.0f} MiB of {share / 2**20:.0f} MiB: {'ok' if grown < share else 'OVER'}")
        starp.config(memory_limit=0)
        corner = a[:3, :4].compute()
        i, j = numpy.meshgrid(numpy.arange(3), numpy.arange(4), indexing="ij")
        assert numpy.array_equal(corner, j * n + i), corner
        rows = a.sum(axis=1).compute()
        k = numpy.arange(n, dtype=numpy.float64)
        numpy.testing.assert_allclose(rows, n * (n - 1) / 2 * n + n * k, rtol=1e-12)
        print(f"rank {s.rank} values ok")
    """, tmp_path, timeout=300)
    assert out.returncode == 0, out.stderr
    for r in range(2):
        lines = ranks[r]
        assert lines[0] == f"rank {r} refused", lines
        assert lines[1].endswith(": ok"), lines
        assert lines[2] == f"rank {r} values ok", lines
