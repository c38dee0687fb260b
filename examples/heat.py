"""2-D heat equation with a convergence check: plain NumPy code, run by starp embedded, on
in-process ranks (STARP_RANKS=4) or as an SPMD job (mpirun -n 4 python3 examples/heat.py).
The printed residuals and checksum are identical for any number of ranks.

    python3 examples/heat.py [--n 200] [--numpy]
"""

import argparse
import sys


def solve(np, n, alpha=0.2, tol=2e-2, max_iter=5000, check_every=50):
    u = np.zeros((n, n))
    u[0, :] = 100.0  # hot top edge; the other edges stay at 0
    u[:, 0] = 50.0
    for it in range(1, max_iter + 1):
        c = u[1:-1, 1:-1]
        lap = u[:-2, 1:-1] + u[2:, 1:-1] + u[1:-1, :-2] + u[1:-1, 2:] - 4.0 * c
        step = alpha * lap
        u[1:-1, 1:-1] = c + step
        if it % check_every == 0:
            residual = float(np.abs(step).max())
            print(f"iteration {it:5d}  max update {residual:.6e}")
            if residual < tol:
                break
    return u, it


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--n", type=int, default=200)
    p.add_argument("--numpy", action="store_true", help="run with NumPy itself, for comparison")
    args = p.parse_args()
    if args.numpy:
        import numpy as np
    else:
        import starp.numpy as np
    u, iters = solve(np, args.n)
    total = float(u.sum())
    print(f"converged after {iters} iterations; checksum {total:.10f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
