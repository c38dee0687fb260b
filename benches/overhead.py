"""Graph-building overhead per elementwise op and the cost of a computed tiny op, next to NumPy
in the same run. Targets (issue 3): < 5 us per op built, < 50 us per tiny computed op.

    python3 benches/overhead.py [--ranks P]
"""

import argparse
import statistics
import time

import numpy

import starp
import starp.numpy as snp


def median_time(fn, repeat=7, number=1):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        for _ in range(number):
            fn()
        times.append((time.perf_counter() - t) / number)
    return statistics.median(times)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--ranks", type=int, default=1)
    args = p.parse_args()
    starp.config(ranks=args.ranks)
    n_ops = 1000

    def build_starp():
        a = snp.ones(10)
        for _ in range(n_ops):
            a = a * 1.0001 + 0.5
        return a

    def build_numpy():
        a = numpy.ones(10)
        for _ in range(n_ops):
            a = a * 1.0001 + 0.5
        return a

    # Budget high enough that building does not compute.
    starp.config(budget=10 * n_ops)
    t_build = median_time(build_starp) / (2 * n_ops)
    t_np_op = median_time(build_numpy) / (2 * n_ops)

    x, xn = snp.ones(10), numpy.ones(10)
    t_tiny = median_time(lambda: (x + 1).compute(), number=200)
    t_np_tiny = median_time(lambda: xn + 1, number=200)

    rows = [
        ("build one elementwise op (lazy)", t_build, t_np_op, 5e-6),
        ("compute a tiny op (10 elements)", t_tiny, t_np_tiny, 50e-6),
    ]
    print(f"ranks={args.ranks}")
    print(f"{'case':40s} {'starp':>10s} {'numpy':>10s} {'starp/numpy':>12s} {'target':>10s}")
    for name, ts, tn, target in rows:
        print(f"{name:40s} {ts * 1e6:8.2f}us {tn * 1e6:8.2f}us {ts / tn:12.1f} {'<' + format(target * 1e6, '.0f') + 'us':>10s}")


if __name__ == "__main__":
    main()
