"""PageRank by power iteration on a dense column-stochastic link matrix (Page et al. 1999; the
"PageRank" kernel of graph benchmark suites such as GAP, written densely as in the NumPy
tutorials), with dangling nodes, teleportation and an L1 convergence loop, then the top pages by
argsort.
"""


def inputs(np, n=120, seed=5):
    rng = np.random.default_rng(seed)
    links = (rng.random((n, n)) < 0.05).astype(np.float64)
    np.fill_diagonal(links, 0.0)
    links[:, :3] = 0.0  # three dangling pages (no out-links)
    return {"links": links}


def run(xp, links, damping=0.85, tol=1e-12, max_iter=200):
    A = xp.asarray(links)  # A[i, j] = 1 if page j links to page i
    n = A.shape[0]
    out = A.sum(axis=0)
    dangling = out == 0
    M = A / xp.where(dangling, 1.0, out)[None, :]
    r = xp.full(n, 1.0 / n)
    it = 0
    for it in range(1, max_iter + 1):
        leak = r[dangling].sum()  # rank held by dangling pages is spread evenly
        new = damping * (M @ r + leak / n) + (1.0 - damping) / n
        err = float(xp.abs(new - r).sum())
        r = new
        if err < tol:
            break
    top = xp.argsort(-r)[:10]
    return {"rank": r, "iterations": it, "top": top, "total": r.sum()}


if __name__ == "__main__":
    import numpy

    import starp.numpy

    for xp in (numpy, starp.numpy):
        res = run(xp, **inputs(numpy))
        print(xp.__name__, res["iterations"], numpy.asarray(res["top"]))
