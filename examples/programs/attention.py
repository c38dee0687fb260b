"""Multi-head scaled dot-product self-attention (Vaswani et al., "Attention Is All You Need"),
written with ``einsum`` the way NumPy reference implementations of transformers (e.g. picoGPT,
"GPT in 60 lines of NumPy") write it: projections, per-head scores, a causal mask, a stable
softmax, the weighted sum of values, the output projection and a residual + layer norm.
"""


def inputs(np, batch=2, seq=12, d_model=16, heads=4, seed=6):
    rng = np.random.default_rng(seed)
    s = d_model ** -0.5
    return {
        "x": rng.standard_normal((batch, seq, d_model)),
        "Wq": rng.standard_normal((d_model, d_model)) * s,
        "Wk": rng.standard_normal((d_model, d_model)) * s,
        "Wv": rng.standard_normal((d_model, d_model)) * s,
        "Wo": rng.standard_normal((d_model, d_model)) * s,
        "heads": heads,
    }


def layer_norm(xp, x, eps=1e-5):
    mu = x.mean(axis=-1, keepdims=True)
    var = x.var(axis=-1, keepdims=True)
    return (x - mu) / xp.sqrt(var + eps)


def run(xp, x, Wq, Wk, Wv, Wo, heads):
    x, Wq, Wk, Wv, Wo = (xp.asarray(a) for a in (x, Wq, Wk, Wv, Wo))
    b, t, d = x.shape
    dh = d // heads
    q = xp.einsum("btd,de->bte", x, Wq).reshape(b, t, heads, dh)
    k = xp.einsum("btd,de->bte", x, Wk).reshape(b, t, heads, dh)
    v = xp.einsum("btd,de->bte", x, Wv).reshape(b, t, heads, dh)
    scores = xp.einsum("bqhd,bkhd->bhqk", q, k) / dh ** 0.5
    causal = xp.tril(xp.ones((t, t), dtype=bool))
    scores = xp.where(causal, scores, -1e9)
    scores = scores - scores.max(axis=-1, keepdims=True)
    w = xp.exp(scores)
    w = w / w.sum(axis=-1, keepdims=True)
    ctx = xp.einsum("bhqk,bkhd->bqhd", w, v).reshape(b, t, d)
    y = layer_norm(xp, x + ctx @ Wo)
    entropy = -(w * xp.log(w + 1e-30)).sum(axis=-1).mean()
    return {"y": y, "weights": w, "entropy": entropy, "trace": xp.einsum("ii", xp.dot(Wq, Wk.T))}


if __name__ == "__main__":
    import numpy

    import starp.numpy

    for xp in (numpy, starp.numpy):
        r = run(xp, **inputs(numpy))
        print(xp.__name__, float(r["entropy"]), float(r["trace"]))
