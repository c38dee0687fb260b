"""Softmax classifier on a 2-layer MLP: forward pass (affine, ReLU, affine, numerically stable
softmax), cross-entropy loss, accuracy, and the backward pass with one SGD step, the way the
NumPy neural-network tutorials (CS231n, "neural network from scratch") write it.
"""


def inputs(np, n=256, d=20, h=32, c=5, seed=2):
    rng = np.random.default_rng(seed)
    return {
        "X": rng.standard_normal((n, d)),
        "y": rng.integers(0, c, size=n),
        "W1": rng.standard_normal((d, h)) * (2.0 / d) ** 0.5,
        "b1": np.zeros(h),
        "W2": rng.standard_normal((h, c)) * (2.0 / h) ** 0.5,
        "b2": np.zeros(c),
    }


def softmax(xp, z):
    z = z - z.max(axis=1, keepdims=True)
    e = xp.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def run(xp, X, y, W1, b1, W2, b2, lr=0.1, steps=3):
    X, y = xp.asarray(X), xp.asarray(y)
    W1, b1, W2, b2 = (xp.asarray(a) for a in (W1, b1, W2, b2))
    n = X.shape[0]
    losses = []
    for _ in range(steps):
        h_pre = X @ W1 + b1
        h = xp.maximum(h_pre, 0.0)
        logits = h @ W2 + b2
        p = softmax(xp, logits)
        loss = -xp.log(p[xp.arange(n), y]).mean()  # fancy indexing picks each row's label
        losses.append(float(loss))
        # backward
        dlogits = p.copy()
        dlogits[xp.arange(n), y] -= 1.0
        dlogits = dlogits / n
        dW2 = h.T @ dlogits
        db2 = dlogits.sum(axis=0)
        dh = dlogits @ W2.T
        dh = xp.where(h_pre > 0, dh, 0.0)
        dW1 = X.T @ dh
        db1 = dh.sum(axis=0)
        W1, b1, W2, b2 = W1 - lr * dW1, b1 - lr * db1, W2 - lr * dW2, b2 - lr * db2
    p = softmax(xp, xp.maximum(X @ W1 + b1, 0.0) @ W2 + b2)
    accuracy = (xp.argmax(p, axis=1) == y).mean()
    return {"probs": p, "losses": losses, "accuracy": accuracy, "W1": W1, "W2": W2}


if __name__ == "__main__":
    import numpy

    import starp.numpy

    for xp in (numpy, starp.numpy):
        r = run(xp, **inputs(numpy))
        print(xp.__name__, r["losses"], float(r["accuracy"]))
