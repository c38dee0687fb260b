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
