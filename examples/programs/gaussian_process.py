"""Gaussian-process regression through a Cholesky factorization (Rasmussen & Williams,
"Gaussian Processes for Machine Learning", Algorithm 2.1), which is also the Cholesky-based
least-squares recipe of the normal equations: factor K = L L^T once, then two triangular-shaped
solves give the weights, the predictive mean and variance, and the log marginal likelihood.
"""


def inputs(np, n=60, m=25, seed=3):
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(-3, 3, size=n))
    y = np.sin(x) + 0.1 * rng.standard_normal(n)
    xs = np.linspace(-3.5, 3.5, m)
    return {"x": x, "y": y, "xs": xs}


def rbf(xp, a, b, length, variance):
    return variance * xp.exp(-0.5 * (a[:, None] - b[None, :]) ** 2 / length ** 2)


def run(xp, x, y, xs, length=1.0, variance=1.0, noise=0.1):
    x, y, xs = xp.asarray(x), xp.asarray(y), xp.asarray(xs)
    n = x.shape[0]
    K = rbf(xp, x, x, length, variance) + noise ** 2 * xp.eye(n)
    L = xp.linalg.cholesky(K)
    alpha = xp.linalg.solve(L.T, xp.linalg.solve(L, y))
    Ks = rbf(xp, x, xs, length, variance)  # (n, m)
    mean = Ks.T @ alpha
    v = xp.linalg.solve(L, Ks)
    var = variance - (v ** 2).sum(axis=0)
    logml = -0.5 * (y @ alpha) - xp.log(xp.diag(L)).sum() - 0.5 * n * xp.log(2 * xp.pi)
    # the same fit as a ridge least-squares problem: Cholesky of the normal equations
    A = xp.stack([xp.ones(n), x, x ** 2, x ** 3], axis=1)
    G = A.T @ A + 1e-8 * xp.eye(4)
    R = xp.linalg.cholesky(G)
    coef = xp.linalg.solve(R.T, xp.linalg.solve(R, A.T @ y))
    return {"mean": mean, "var": var, "logml": logml, "coef": coef, "residual": xp.linalg.norm(A @ coef - y)}


if __name__ == "__main__":
    import numpy

    import starp.numpy

    for xp in (numpy, starp.numpy):
        r = run(xp, **inputs(numpy))
        print(xp.__name__, float(r["logml"]), numpy.asarray(r["coef"]))
