"""Conjugate gradient on the 2-D Poisson matrix (5-point Laplacian), the solver at the heart of
the NAS Parallel Benchmarks' CG and of HPCG, with the matrix applied matrix-free as a stencil
on the grid, dot products as reductions, and a residual-norm convergence loop.
"""


def inputs(np, n=24):
    i = np.arange(n)
    b = np.sin(np.pi * (i[:, None] + 1) / (n + 1)) * np.cos(2 * np.pi * i[None, :] / n)
    return {"b": b}


def laplacian(xp, x):
    """y = A x for the 5-point Laplacian with zero Dirichlet boundaries (A is SPD)."""
    p = xp.pad(x, 1)
    return 4.0 * x - p[:-2, 1:-1] - p[2:, 1:-1] - p[1:-1, :-2] - p[1:-1, 2:]


def run(xp, b, tol=1e-10, max_iter=500):
    b = xp.asarray(b)
    x = xp.zeros_like(b)
    r = b - laplacian(xp, x)
    p = r.copy()
    rs = float((r * r).sum())
    bnorm = float(xp.sqrt((b * b).sum()))
    it = 0
    while it < max_iter and rs ** 0.5 > tol * bnorm:
        Ap = laplacian(xp, p)
        alpha = rs / float((p * Ap).sum())
        x = x + alpha * p
        r = r - alpha * Ap
        rs_new = float((r * r).sum())
        p = r + (rs_new / rs) * p
        rs = rs_new
        it += 1
    return {"x": x, "iterations": it, "residual": xp.linalg.norm(b - laplacian(xp, x)) / bnorm}


if __name__ == "__main__":
    import numpy

    import starp.numpy

    for xp in (numpy, starp.numpy):
        r = run(xp, **inputs(numpy))
        print(xp.__name__, r["iterations"], float(r["residual"]))
