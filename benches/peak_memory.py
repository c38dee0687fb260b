"""Peak memory of Black-Scholes on n float64 values: starp's peak RSS growth next to the bytes of
its inputs and output (the issue's target: within 1.2x), and NumPy's for the same computation.

    python3 benches/peak_memory.py            # n = 1e8 (inputs 2.4 GB, output 0.8 GB)
    python3 benches/peak_memory.py --n 1e7

Each library runs in a fresh subprocess so one's peak does not hide the other's.
"""

import argparse
import os
import subprocess
import sys

CHILD = r"""
import resource, sys
sys.path.insert(0, {benches!r})
from benches_common import black_scholes
lib, n = sys.argv[1], int(float(sys.argv[2]))
def peak():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
if lib == "numpy":
    import numpy as xp
    rng = xp.random.default_rng(0)
else:
    import starp.numpy as xp
    rng = xp.random.default_rng(0)
start = peak()
S = rng.uniform(5, 30, n); X = rng.uniform(1, 100, n); T = rng.uniform(0.25, 10, n)
if lib == "starp":
    for a in (S, X, T):
        a.persist()
inputs = peak()
# `black_scholes(...).compute()`: the lazy result is a temporary, so its buffer becomes the
# NumPy array (`r = expr; r = r.compute()` would keep both until the name is rebound).
if lib == "starp":
    r = black_scholes(xp, S, X, T, 0.02, 0.3).compute()
else:
    r = black_scholes(xp, S, X, T, 0.02, 0.3)
print(start, inputs, peak(), r.nbytes)
"""


def run(lib, n):
    code = CHILD.format(benches=os.path.dirname(os.path.abspath(__file__)))
    out = subprocess.run([sys.executable, "-c", code, lib, str(n)], capture_output=True, text=True, check=True)
    start, inputs, peak, out_bytes = map(int, out.stdout.split())
    return start, inputs, peak, out_bytes


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--n", type=float, default=1e8)
    n = int(p.parse_args().n)
    need = 4 * 8 * n
    print(f"Black-Scholes, n = {n:.0e}: inputs + output = {need / 1e9:.2f} GB")
    for lib in ("numpy", "starp"):
        start, inputs, peak, _ = run(lib, n)
        grown = peak - start
        print(f"{lib:6s} peak RSS growth {grown / 1e9:6.2f} GB = {grown / need:.2f}x inputs + output")


if __name__ == "__main__":
    main()
