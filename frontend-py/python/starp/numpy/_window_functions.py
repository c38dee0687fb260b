"""NumPy's window functions (bartlett, blackman, hamming, hanning, kaiser), sinc and i0, written
over starp's elementwise operations so that they stay lazy and fuse.

NumPy's Python code is followed line by line: the same arange, the same products and sums in
the same order, and for ``i0`` Clenshaw's recurrence on NumPy's own Chebyshev coefficients
(Cephes'), so results equal NumPy's up to the last-bit differences of starp's vectorized
``cos``/``sin``/``exp`` from NumPy's.
"""

import numpy as _np

from starp.numpy._array import wrap as _wrap
from starp.numpy._array import namespace as _snp

__all__ = ["bartlett", "blackman", "hamming", "hanning", "kaiser", "sinc", "i0"]



def _window_length(M):
    """NumPy's ``values = np.array([0.0, M]); M = values[1]``: M as a float64 (NumPy scalar)."""
    values = _np.array([0.0, M])
    return values.dtype, values[1]


def _window(M, shape):
    """NumPy's window skeleton: an empty window for M < 1, [1.0] for M == 1, otherwise
    shape(n, M) at the sample positions n = arange(1 - M, M, 2) of a symmetric window."""
    snp = _snp()
    dtype, M = _window_length(M)
    if M < 1:
        return snp.array([], dtype=dtype)
    if M == 1:
        return snp.ones(1, dtype=dtype)
    return shape(snp.arange(1 - M, M, 2), M)


def bartlett(M):
    """The Bartlett (triangular) window of M points (empty for M < 1)."""
    snp = _snp()
    return _window(M, lambda n, M: snp.where(snp.less_equal(n, 0), 1 + n / (M - 1), 1 - n / (M - 1)))


def blackman(M):
    """The Blackman window of M points (empty for M < 1)."""
    snp = _snp()
    return _window(M, lambda n, M: 0.42 + 0.5 * snp.cos(_np.pi * n / (M - 1))
                   + 0.08 * snp.cos(2.0 * _np.pi * n / (M - 1)))


def hanning(M):
    """The Hann window of M points (empty for M < 1)."""
    snp = _snp()
    return _window(M, lambda n, M: 0.5 + 0.5 * snp.cos(_np.pi * n / (M - 1)))


def hamming(M):
    """The Hamming window of M points (empty for M < 1)."""
    snp = _snp()
    return _window(M, lambda n, M: 0.54 + 0.46 * snp.cos(_np.pi * n / (M - 1)))


# Cephes' Chebyshev coefficients for exp(-x) I0(x) on [0, 8] (A) and exp(-x) sqrt(x) I0(x) on
# (8, inf) (B), as numpy.lib._function_base_impl has them.
_i0A = [
    -4.41534164647933937950E-18,
    3.33079451882223809783E-17,
    -2.43127984654795469359E-16,
    1.71539128555513303061E-15,
    -1.16853328779934516808E-14,
    7.67618549860493561688E-14,
    -4.85644678311192946090E-13,
    2.95505266312963983461E-12,
    -1.72682629144155570723E-11,
    9.67580903537323691224E-11,
    -5.18979560163526290666E-10,
    2.65982372468238665035E-9,
    -1.30002500998624804212E-8,
    6.04699502254191894932E-8,
    -2.67079385394061173391E-7,
    1.11738753912010371815E-6,
    -4.41673835845875056359E-6,
    1.64484480707288970893E-5,
    -5.75419501008210370398E-5,
    1.88502885095841655729E-4,
    -5.76375574538582365885E-4,
    1.63947561694133579842E-3,
    -4.32430999505057594430E-3,
    1.05464603945949983183E-2,
    -2.37374148058994688156E-2,
    4.93052842396707084878E-2,
    -9.49010970480476444210E-2,
    1.71620901522208775349E-1,
    -3.04682672343198398683E-1,
    6.76795274409476084995E-1,
]

_i0B = [
    -7.23318048787475395456E-18,
    -4.83050448594418207126E-18,
    4.46562142029675999901E-17,
    3.46122286769746109310E-17,
    -2.82762398051658348494E-16,
    -3.42548561967721913462E-16,
    1.77256013305652638360E-15,
    3.81168066935262242075E-15,
    -9.55484669882830764870E-15,
    -4.15056934728722208663E-14,
    1.54008621752140982691E-14,
    3.85277838274214270114E-13,
    7.18012445138366623367E-13,
    -1.79417853150680611778E-12,
    -1.32158118404477131188E-11,
    -3.14991652796324136454E-11,
    1.18891471078464383424E-11,
    4.94060238822496958910E-10,
    3.39623202570838634515E-9,
    2.26666899049817806459E-8,
    2.04891858946906374183E-7,
    2.89137052083475648297E-6,
    6.88975834691682398426E-5,
    3.36911647825569408990E-3,
    8.04490411014108831608E-1,
]


def _chbevl(x, vals):
    """Clenshaw's recurrence for sum(vals[i] T_i(x / 2)), exactly NumPy's steps."""
    b0 = vals[0]
    b1 = 0.0
    for i in range(1, len(vals)):
        b2 = b1
        b1 = b0
        b0 = x * b1 - b2 + vals[i]
    return 0.5 * (b0 - b2)


def _i0_1(x):
    snp = _snp()
    return snp.exp(x) * _chbevl(x / 2.0 - 2, _i0A)


def _i0_2(x):
    snp = _snp()
    return snp.exp(x) * _chbevl(32.0 / x - 2.0, _i0B) / snp.sqrt(x)


def i0(x):
    """The modified Bessel function of the first kind, order 0, by NumPy's Chebyshev series:
    float inputs keep their dtype, others are computed in float64; complex is a TypeError."""
    snp = _snp()
    x = snp.asarray(x)
    if x.dtype.kind == "c":
        raise TypeError("i0 not supported for complex values")
    if x.dtype.kind != "f":
        x = x.astype(float)
    x = snp.abs(x)
    # NumPy's piecewise evaluates each branch on its own elements; elementwise, evaluating both
    # everywhere and selecting gives the same values (the other branch's inf/NaN is dropped)
    r = snp.where(x <= 8.0, _i0_1(x), _i0_2(x))
    # piecewise returns an array, also for a 0-d x (it prints as array(...), not as a scalar)
    return _wrap(r._a, r._s, scalar=False)


def kaiser(M, beta):
    """The Kaiser window of M points with shape parameter beta."""
    snp = _snp()
    values = _np.array([0.0, M, beta])
    M = values[1]
    beta = values[2]
    if M == 1:
        return snp.ones(1, dtype=values.dtype)
    n = snp.arange(0, M)
    alpha = (M - 1) / 2.0
    t = (n - alpha) / alpha
    # NumPy's t**2.0 is its square fast path: t * t
    return i0(beta * snp.sqrt(1 - t * t)) / i0(beta)


def sinc(x):
    """sin(pi x) / (pi x), 1 at 0 (NumPy's trick: 0 replaced by eps, or 1e-20 for complex)."""
    snp = _snp()
    x = snp.asarray(x)
    x = _np.pi * x
    eps = _np.finfo(x.dtype).eps if x.dtype.kind == "f" else 1e-20
    y = snp.where(x, x, eps)
    return snp.sin(y) / y
