"""Distributed scaling, run as an MPI job (rank 0 prints). Driven by benches/mpi-scaling, which
runs it on 1, 2 and 4 ranks next to the embedded runtime and a hand-written mpi4py stencil.

    scripts/mpirun-local -n 4 python3 benches/mpi_scaling.py [--n 4000] [--what all|transpose|bs|stencil|mpi4py]
"""

import argparse
import time

import numpy


def timed(fn, repeat=3, barrier=None):
    fn()
    best = float("inf")
    for _ in range(repeat):
        if barrier:
            barrier()
        t = time.perf_counter()
        fn()
        if barrier:
            barrier()
        best = min(best, time.perf_counter() - t)
    return best


def starp_rows(n, steps, what):
    import starp
    import starp.numpy as np

    s = starp.current_session()
    rows = []
    if what in ("all", "transpose"):
        a = np.random.default_rng(0).random((n, n)).persist()
        t = timed(lambda: a.T.copy().persist())
        rows.append((f"transpose {n}x{n} float64", t, 8 * n * n / t / 1e9, "GB/s"))
    if what in ("all", "bs"):
        m = n * n // 2
        rng = np.random.default_rng(1)
        S, X, T = (rng.uniform(lo, hi, m).persist() for lo, hi in ((5, 30), (1, 100), (0.25, 10)))

        def bs():
            from benches_common import black_scholes
            return black_scholes(np, S, X, T, 0.02, 0.3).persist()

        t = timed(bs)
        rows.append((f"black-scholes {m:.0e}", t, m / t / 1e6, "Mopt/s"))
    if what in ("all", "stencil"):
        def heat():
            u = np.zeros((n, n))
            u[0, :] = 100.0
            for _ in range(steps):
                c = u[1:-1, 1:-1]
                u[1:-1, 1:-1] = c + 0.2 * (u[:-2, 1:-1] + u[2:, 1:-1] + u[1:-1, :-2] + u[1:-1, 2:] - 4.0 * c)
            return u.persist()

        t = timed(heat, repeat=2)
        rows.append((f"stencil {n}x{n} x{steps}", t, n * n * steps / t / 1e6, "Mcell/s"))
    return s.rank, s.ranks, rows


def mpi4py_stencil(n, steps):
    """The same heat steps by hand: row blocks, one halo row exchanged with each neighbour."""
    from mpi4py import MPI

    comm = MPI.COMM_WORLD
    r, p = comm.rank, comm.size
    lo, hi = r * n // p, (r + 1) * n // p

    def run():
        u = numpy.zeros((hi - lo + 2, n))  # one ghost row above and below
        if lo == 0:
            u[1, :] = 100.0
        for _ in range(steps):
            up, down = r - 1 if r > 0 else MPI.PROC_NULL, r + 1 if r < p - 1 else MPI.PROC_NULL
            comm.Sendrecv(u[1], dest=up, recvbuf=u[-1], source=down)
            comm.Sendrecv(u[-2], dest=down, recvbuf=u[0], source=up)
            a, b = max(1, 1 - lo + 1), min(hi - lo, n - 1 - lo)  # interior rows of the global grid
            c = u[a:b + 1, 1:-1]
            new = c + 0.2 * (u[a - 1:b, 1:-1] + u[a + 1:b + 2, 1:-1] + u[a:b + 1, :-2] + u[a:b + 1, 2:] - 4.0 * c)
            u[a:b + 1, 1:-1] = new
        return u

    t = timed(run, repeat=2, barrier=comm.Barrier)
    return r, p, [(f"mpi4py stencil {n}x{n} x{steps}", t, n * n * steps / t / 1e6, "Mcell/s")]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--what", default="all")
    args = ap.parse_args()
    if args.what == "mpi4py":
        rank, p, rows = mpi4py_stencil(args.n, args.steps)
    else:
        rank, p, rows = starp_rows(args.n, args.steps, args.what)
    if rank == 0:
        for name, t, rate, unit in rows:
            print(f"P={p} | {name:34s} | {t * 1e3:10.1f} ms | {rate:10.2f} {unit}")


if __name__ == "__main__":
    import os
    import sys

    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    main()
