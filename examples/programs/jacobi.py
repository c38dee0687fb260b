"""2-D Jacobi iteration for the Laplace/heat equation with a convergence loop, as in the
Parallel Research Kernels' "Stencil" kernel and the classic heat-diffusion teaching codes.

A square plate with fixed boundary temperatures (hot top edge, a warm left edge) relaxes to the
steady state: each sweep replaces every interior point by the mean of its four neighbours, and
the loop stops when the largest change of a sweep falls below ``tol``.
"""


def inputs(np, n=32):
    """The initial plate (deterministic: boundary values, zero interior)."""
    u = np.zeros((n, n))
    u[0, :] = 100.0
    u[:, 0] = np.linspace(100.0, 0.0, n)
    return {"u0": u}


def run(xp, u0, tol=1e-3, max_iter=2000):
    u = xp.asarray(u0).copy()
    it = 0
    delta = float("inf")
    while delta > tol and it < max_iter:
        new = u.copy()
        new[1:-1, 1:-1] = 0.25 * (u[:-2, 1:-1] + u[2:, 1:-1] + u[1:-1, :-2] + u[1:-1, 2:])
        delta = float(xp.abs(new - u).max())  # the convergence check: a sync point every sweep
        u = new
        it += 1
    return {"u": u, "iterations": it, "delta": delta, "mean_temperature": u[1:-1, 1:-1].mean()}


if __name__ == "__main__":
    import numpy

    import starp.numpy

    for xp in (numpy, starp.numpy):
        r = run(xp, **inputs(numpy))
        print(xp.__name__, r["iterations"], float(r["mean_temperature"]))
