"""starp in one minute: the same NumPy code, lazily built, fused, run over ranks, and checked
against NumPy itself. Run: python3 examples/quickstart.py  (STARP_RANKS=4 to use 4 ranks)."""

import numpy

import starp
import starp.numpy as np

# Ordinary NumPy code. Nothing runs yet: each line adds a node to a graph.
x = np.linspace(0.0, 1.0, 1_000_001)
a = np.arange(12.0).reshape(3, 4)
y = np.exp(-x) * 3 + np.sin(x) ** 2
total = (y * y).sum()

row_norms = np.sqrt((a * a).sum(axis=1))

# Views see writes, as in NumPy.
col = a[:, 1]
a[0, 1] = 100.0

print("explain() of the reduction, before anything ran:")
print(total.explain())

# compute() runs the plan (fused kernels, redistribution over ranks) and returns NumPy arrays.
got_total, got_norms, got_col = starp.compute(total, row_norms, col)

# The same program in NumPy.
xn = numpy.linspace(0.0, 1.0, 1_000_001)
an = numpy.arange(12.0).reshape(3, 4)
yn = numpy.exp(-xn) * 3 + numpy.sin(xn) ** 2
want_total = (yn * yn).sum()
want_norms = numpy.sqrt((an * an).sum(axis=1))
coln = an[:, 1]
an[0, 1] = 100.0

print(f"sum((exp(-x)*3 + sin(x)**2)**2) = {float(got_total):.12g}  (NumPy: {want_total:.12g})")
print("row norms:", got_norms, " (NumPy:", want_norms, ")")
print("column view after the write:", got_col, " (NumPy:", coln, ")")
numpy.testing.assert_allclose(got_total, want_total, rtol=1e-12)
numpy.testing.assert_allclose(got_norms, want_norms, rtol=1e-12)
numpy.testing.assert_array_equal(got_col, coln)
print(f"ranks: {starp.current_session().ranks}; stats: {starp.stats()}")
print("OK: starp matches NumPy")
