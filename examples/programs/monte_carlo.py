"""Monte Carlo estimates: pi from points in the unit square (the classic first parallel program),
a European call by geometric Brownian motion next to its Black-Scholes price, and an arithmetic
Asian call from whole simulated paths (cumulative sums of log-returns), as in the option-pricing
kernels of financial benchmark suites (e.g. the "Monte Carlo option pricing" examples of
Numba/CuPy/Dask). The random numbers are inputs, so NumPy and starp see the same samples.
"""

import math


def inputs(np, n=20000, paths=2000, steps=32, seed=4):
    rng = np.random.default_rng(seed)
    return {
        "u": rng.random((n, 2)),
        "z": rng.standard_normal(n),
        "zpaths": rng.standard_normal((paths, steps)),
    }


def black_scholes_call(S0, K, r, sigma, T):
    d1 = (math.log(S0 / K) + (r + 0.5 * sigma ** 2) * T) / (sigma * math.sqrt(T))
    d2 = d1 - sigma * math.sqrt(T)
    N = lambda x: 0.5 * (1.0 + math.erf(x / math.sqrt(2.0)))  # noqa: E731
    return S0 * N(d1) - K * math.exp(-r * T) * N(d2)


def run(xp, u, z, zpaths, S0=100.0, K=105.0, r=0.05, sigma=0.2, T=1.0):
    u, z, zpaths = xp.asarray(u), xp.asarray(z), xp.asarray(zpaths)
    inside = (u ** 2).sum(axis=1) <= 1.0
    pi = 4.0 * inside.mean()
    # European call
    ST = S0 * xp.exp((r - 0.5 * sigma ** 2) * T + sigma * math.sqrt(T) * z)
    payoff = xp.maximum(ST - K, 0.0)
    disc = math.exp(-r * T)
    call = disc * payoff.mean()
    stderr = disc * payoff.std(ddof=1) / math.sqrt(z.shape[0])
    # Asian call on the arithmetic mean of each path
    steps = zpaths.shape[1]
    dt = T / steps
    logS = math.log(S0) + xp.cumsum((r - 0.5 * sigma ** 2) * dt + sigma * math.sqrt(dt) * zpaths, axis=1)
    asian = disc * xp.maximum(xp.exp(logS).mean(axis=1) - K, 0.0).mean()
    return {"pi": pi, "call": call, "call_stderr": stderr, "call_exact": black_scholes_call(S0, K, r, sigma, T),
            "asian": asian, "payoff_median": xp.median(payoff), "ST_p95": xp.percentile(ST, 95)}


if __name__ == "__main__":
    import numpy

    import starp.numpy

    for xp in (numpy, starp.numpy):
        r = run(xp, **inputs(numpy))
        print(xp.__name__, float(r["pi"]), float(r["call"]), r["call_exact"], float(r["asian"]))
