"""Side by side, in one run: NumPy, NumExpr (all cores), Dask and starp on the workloads of
issue 4, with medians, ratios and the machine's bandwidth bound.

    python3 benches/compare.py                # sizes for this 2-core machine
    python3 benches/compare.py --quick        # small sizes, a smoke run
    python3 benches/compare.py --ranks 2      # starp on 2 in-process ranks

The bandwidth bound of a row is the bytes it must move (inputs read once, outputs written
once) divided by a measured triad bandwidth (a = b + s*c in NumPy, the best of several runs).
Needs `pip install numexpr dask[array]` (not installed by the test setup).
"""

import argparse
import math
import os
import sys
import statistics
import time

import numpy

try:
    import numexpr
except ImportError:  # pragma: no cover
    numexpr = None
try:
    import dask.array as da
except ImportError:  # pragma: no cover
    da = None

import starp
import starp.numpy as snp

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benches_common import black_scholes as black_scholes_np  # noqa: E402


def timeit(fn, repeat):
    fn()  # warm up (JIT compile, page faults)
    ts = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - t)
    return statistics.median(ts)


def triad_bandwidth(n=20_000_000):
    b, c = numpy.random.rand(n), numpy.random.rand(n)
    a = numpy.empty(n)
    best = min(timeit(lambda: numpy.add(b, numpy.multiply(c, 3.0, out=a), out=a), 1) for _ in range(5))
    # b and c read, a written twice (the temporary is a itself): 4 * 8n bytes.
    return 4 * 8 * n / best


BS_NE = (
    "S * where(d1 < 0, 1 - w1, w1) - X * exp(-r * T) * where(d2 < 0, 1 - w2, w2)"
)


def bs_numexpr(S, X, T, r, v):
    env = {"S": S, "X": X, "T": T, "r": r, "v": v}

    def ev(expr):
        return numexpr.evaluate(expr, local_dict=env)

    env["d1"] = ev("(log(S / X) + (r + 0.5 * v * v) * T) / (v * sqrt(T))")
    env["d2"] = ev("d1 - v * sqrt(T)")
    w = "1 - 0.3989422804014327 * exp(-0.5 * {d} * {d}) * ({k} * (0.319381530 + {k} * (-0.356563782 + {k} * (1.781477937 + {k} * (-1.821255978 + {k} * 1.330274429)))))"
    env["k1"] = ev("1 / (1 + 0.2316419 * abs(d1))")
    env["k2"] = ev("1 / (1 + 0.2316419 * abs(d2))")
    env["w1"] = ev(w.format(d="d1", k="k1"))
    env["w2"] = ev(w.format(d="d2", k="k2"))
    return ev(BS_NE)


def rows(n, quick):
    """(name, bytes moved, {impl: thunk})"""
    rng = numpy.random.default_rng(0)
    out = []

    def add(name, nbytes, impls):
        out.append((name, nbytes, impls))

    # Black-Scholes
    for size in ([n] if quick else [n, 10 * n]):
        S = rng.uniform(5, 30, size)
        X = rng.uniform(1, 100, size)
        T = rng.uniform(0.25, 10, size)
        r, v = 0.02, 0.30
        sS, sX, sT = snp.asarray(S), snp.asarray(X), snp.asarray(T)
        # Default arguments bind this size's arrays (a plain closure would see the next size's).
        impls = {
            "numpy": lambda S=S, X=X, T=T: black_scholes_np(numpy, S, X, T, r, v),
            "starp": lambda S=sS, X=sX, T=sT: black_scholes_np(snp, S, X, T, r, v).compute(),
        }
        if numexpr:
            impls["numexpr"] = lambda S=S, X=X, T=T: bs_numexpr(S, X, T, r, v)
        if da:
            dS, dX, dT = (da.from_array(a, chunks=size // 4 or 1) for a in (S, X, T))
            impls["dask"] = lambda S=dS, X=dX, T=dT: black_scholes_np(da, S, X, T, r, v).compute()
        add(f"black-scholes {size:.0e}", 4 * 8 * size, impls)

    a, b, c = (rng.random(n) for _ in range(3))
    sa, sb, sc = (snp.asarray(x) for x in (a, b, c))
    impls = {"numpy": lambda: a * b + c, "starp": lambda: (sa * sb + sc).compute()}
    if numexpr:
        impls["numexpr"] = lambda: numexpr.evaluate("a * b + c", local_dict={"a": a, "b": b, "c": c})
    if da:
        dA, dB, dC = (da.from_array(x, chunks=n // 4) for x in (a, b, c))
        impls["dask"] = lambda: (dA * dB + dC).compute()
    add("a*b+c", 4 * 8 * n, impls)

    impls = {"numpy": lambda: ((a - b) ** 2).sum(), "starp": lambda: float(((sa - sb) ** 2).sum())}
    if numexpr:
        impls["numexpr"] = lambda: numexpr.evaluate("sum((a - b) ** 2)", local_dict={"a": a, "b": b})
    if da:
        impls["dask"] = lambda: ((dA - dB) ** 2).sum().compute()
    add("sum((a-b)**2)", 2 * 8 * n, impls)

    side = int(math.sqrt(n))
    m = rng.random((side // 4, side * 4))
    sm = snp.asarray(m)

    def softmax(xp, x):
        e = xp.exp(x - x.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)

    impls = {"numpy": lambda: softmax(numpy, m), "starp": lambda: softmax(snp, sm).compute()}
    if da:
        dm = da.from_array(m, chunks=(max(1, m.shape[0] // 4), m.shape[1]))
        impls["dask"] = lambda: softmax(da, dm).compute()
    add(f"softmax rows {m.shape}", 2 * 8 * m.size, impls)

    g = rng.random((side, side))
    sg = snp.asarray(g)

    def stencil(x):
        return 0.25 * (x[:-2, 1:-1] + x[2:, 1:-1] + x[1:-1, :-2] + x[1:-1, 2:]) - x[1:-1, 1:-1]

    impls = {"numpy": lambda: stencil(g), "starp": lambda: stencil(sg).compute()}
    if numexpr:
        def ne_stencil():
            n_, s_, w_, e_, c_ = g[:-2, 1:-1], g[2:, 1:-1], g[1:-1, :-2], g[1:-1, 2:], g[1:-1, 1:-1]
            return numexpr.evaluate("0.25 * (n_ + s_ + w_ + e_) - c_", local_dict=locals())
        impls["numexpr"] = ne_stencil
    if da:
        dg = da.from_array(g, chunks=(side // 4, side))
        impls["dask"] = lambda: stencil(dg).compute()
    add(f"5-point stencil {g.shape}", 2 * 8 * g.size, impls)
    return out


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--n", type=int, default=10_000_000)
    p.add_argument("--quick", action="store_true")
    p.add_argument("--ranks", type=int, default=1)
    p.add_argument("--repeat", type=int, default=5)
    args = p.parse_args()
    n = 1_000_000 if args.quick else args.n
    starp.config(ranks=args.ranks)
    if numexpr:
        numexpr.set_num_threads(numexpr.detect_number_of_cores())
    bw = triad_bandwidth(min(n, 20_000_000))
    print(f"triad bandwidth {bw / 1e9:.1f} GB/s; starp ranks={args.ranks}")
    names = ["numpy", "numexpr", "dask", "starp"]
    print(f"{'row':32s}" + "".join(f"{x:>11s}" for x in names) + f"{'bound':>10s}{'np/starp':>10s}{'ne/starp':>10s}{'starp/bound':>12s}")
    jit_lines = []
    for name, nbytes, impls in rows(n, args.quick):
        # The first starp run compiles what the cache lacks; the timed runs must compile nothing.
        with starp.profile(quiet=True) as first:
            impls["starp"]()
        t = {k: timeit(f, args.repeat) for k, f in impls.items() if k != "starp"}
        with starp.profile(quiet=True) as timed:
            t["starp"] = timeit(impls["starp"], args.repeat)
        j0, j1 = first.jit, timed.jit
        per = j0["compile_seconds"] / j0["compiles"] * 1e3 if j0["compiles"] else 0.0
        jit_lines.append(f"{name:32s}{j0['compiles']:9d} compiled ({per:.2f} ms each); timed runs: {j1['compiles']} compiled, {j1['cache_hits']} cache hits")
        bound = nbytes / bw
        cells = "".join(f"{t[k] * 1e3:9.1f}ms" if k in t else f"{'-':>11s}" for k in names)
        ratio = lambda k: f"{t[k] / t['starp']:10.2f}" if k in t else f"{'-':>10s}"
        print(f"{name:32s}{cells}{bound * 1e3:8.1f}ms{ratio('numpy')}{ratio('numexpr')}{t['starp'] / bound:12.2f}")
    print("\nstarp JIT per row (first run, then the timed runs):")
    for line in jit_lines:
        print(line)


if __name__ == "__main__":
    main()
