"""k-means clustering by Lloyd's algorithm (as in scikit-learn's ``KMeans(algorithm="lloyd")``
and the Rodinia / NU-MineBench k-means kernels): assign every point to its nearest centroid
(argmin over a broadcast distance matrix), then move each centroid to the mean of its points
(boolean masks), until the assignment stops changing.
"""


def inputs(np, k=4, per_cluster=150, dim=2, seed=1):
    rng = np.random.default_rng(seed)
    centers = rng.uniform(-10, 10, size=(k, dim))
    X = np.concatenate([c + rng.standard_normal((per_cluster, dim)) for c in centers])
    X = X[rng.permutation(len(X))]
    return {"X": X, "init": X[:k].copy()}


def run(xp, X, init, max_iter=50):
    X = xp.asarray(X)
    C = xp.asarray(init).copy()
    k = C.shape[0]
    labels = None
    it = 0
    for it in range(1, max_iter + 1):
        d2 = ((X[:, None, :] - C[None, :, :]) ** 2).sum(axis=2)  # (n, k)
        new_labels = xp.argmin(d2, axis=1)
        if labels is not None and bool((new_labels == labels).all()):
            break
        labels = new_labels
        for j in range(k):
            members = X[labels == j]  # boolean mask: a data-dependent shape
            if members.shape[0] > 0:
                C[j] = members.mean(axis=0)
    d2 = ((X[:, None, :] - C[None, :, :]) ** 2).sum(axis=2)
    inertia = d2.min(axis=1).sum()
    # cluster sizes, bincount-like: sum of a one-hot matrix
    sizes = (labels[:, None] == xp.arange(k)[None, :]).sum(axis=0)
    return {"centroids": C, "labels": labels, "inertia": inertia, "sizes": sizes, "iterations": it}


if __name__ == "__main__":
    import numpy

    import starp.numpy

    for xp in (numpy, starp.numpy):
        r = run(xp, **inputs(numpy))
        print(xp.__name__, r["iterations"], float(r["inertia"]), numpy.asarray(r["sizes"]))
