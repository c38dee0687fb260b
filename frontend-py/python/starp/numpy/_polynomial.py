"""NumPy's legacy polynomial functions (``numpy.lib._polynomial_impl``), ``vander`` and ``unwrap``,
written over starp's own operations so that they stay lazy.

NumPy's Python code is followed line by line (same operations in the same order, so the same
dtypes and, for the elementwise steps, the same values). Where NumPy decides something from the
values (the leading zeros ``poly1d`` trims, ``roots``' nonzero range, ``polydiv``'s remainder
trimming, ``poly``'s real-or-complex result, ``polyfit``'s RankWarning), that value is computed
at the call: a sync point, as ``nonzero`` is. NumPy's ``convolve`` (``polymul``, ``poly1d``
products) is an outer product whose anti-diagonals are summed (``_convolve``): the same terms,
summed in starp's order, so the last bits of float results may differ from NumPy's dot products.
"""

import operator
import warnings

import numpy as _np
from starp.numpy._array import namespace as _snp

__all__ = [
    "poly", "roots", "polyint", "polyder", "polyfit", "polyval", "polyadd", "polysub", "polymul", "polydiv",
    "poly1d", "vander", "unwrap",
]



def _iterable_argument(x):
    """NumPy's poly and roots dispatch on their argument itself, so a scalar or 0-d array is a
    TypeError there (before the function runs)."""
    if not _np.iterable(x):
        raise TypeError("dispatcher for __array_function__ did not return an iterable")


def _atleast_1d(x):
    snp = _snp()
    return snp.atleast_1d(snp.asarray(x))


def _trim_leading_zeros(c):
    """NumPy's trim_zeros(c, trim='f') of a 1-d array (a sync point: the cut is data)."""
    import starp

    snp = _snp()
    nz = c != 0
    first, some = starp.compute(snp.argmax(nz), snp.any(nz))
    if not bool(some):
        return c[:0]
    first = int(first)
    return c[first:] if first else c


def _convolve(a, v):
    """NumPy's convolve(a, v, mode='full') of two non-empty 1-d arrays: the outer product, each
    row shifted one place further right (a reshape of the zero-padded rows), summed by column."""
    snp = _snp()
    if a.shape[0] == 0:
        raise ValueError("a cannot be empty")
    if v.shape[0] == 0:
        raise ValueError("v cannot be empty")
    dtype = _np.result_type(a.dtype, v.dtype)
    a, v = a.astype(dtype, copy=False), v.astype(dtype, copy=False)
    n, m = a.shape[0], v.shape[0]
    prod = a[:, None] * v[None, :]
    # row i of the (n, m + n) padded product, read with row length m + n - 1, starts i places later
    padded = snp.concatenate([prod, snp.zeros((n, n), dtype=dtype)], axis=1)
    skewed = padded.ravel()[: n * (m + n - 1)].reshape(n, m + n - 1)
    if dtype == _np.bool_:
        return skewed.any(axis=0)  # NumPy's bool dot is an OR of ANDs
    return skewed.sum(axis=0, dtype=dtype)


# ---- poly1d ----
class poly1d:
    """NumPy's one-dimensional polynomial class, its coefficients a starp array (highest power
    first, leading zeros trimmed at construction). Arithmetic, evaluation, ``deriv``, ``integ``
    and ``roots`` are the functions of this module; ``str``/``repr`` compute the coefficients."""

    __hash__ = None

    @property
    def coeffs(self):
        """The polynomial coefficients."""
        return self._coeffs

    @coeffs.setter
    def coeffs(self, value):
        # allowing this makes p.coeffs *= 2 legal
        if value is not self._coeffs:
            raise AttributeError("Cannot set attribute")

    @property
    def variable(self):
        """The name of the polynomial variable."""
        return self._variable

    @property
    def order(self):
        """The order or degree of the polynomial."""
        return len(self._coeffs) - 1

    @property
    def roots(self):
        """The roots of the polynomial, where self(x) == 0."""
        return roots(self._coeffs)

    # our internal _coeffs property needs to be backed by __dict__['coeffs'] for scipy to work
    @property
    def _coeffs(self):
        return self.__dict__["coeffs"]

    @_coeffs.setter
    def _coeffs(self, coeffs):
        self.__dict__["coeffs"] = coeffs

    # alias attributes
    r = roots
    c = coef = coefficients = coeffs
    o = order

    def __init__(self, c_or_r, r=False, variable=None):
        snp = _snp()
        if isinstance(c_or_r, (poly1d, _np.poly1d)):
            self._variable = c_or_r._variable
            self._coeffs = snp.asarray(c_or_r._coeffs)
            if set(c_or_r.__dict__) - set(self.__dict__):
                msg = (
                    "In the future extra properties will not be copied across when constructing one poly1d "
                    "from another"
                )
                warnings.warn(msg, FutureWarning, stacklevel=2)
                self.__dict__.update(c_or_r.__dict__)
                self._coeffs = snp.asarray(c_or_r._coeffs)
            if variable is not None:
                self._variable = variable
            return
        if r:
            c_or_r = poly(c_or_r)
        c_or_r = _atleast_1d(c_or_r)
        if c_or_r.ndim > 1:
            raise ValueError("Polynomial must be 1d only.")
        c_or_r = _trim_leading_zeros(c_or_r)
        if len(c_or_r) == 0:
            c_or_r = snp.array([0], dtype=c_or_r.dtype)
        self._coeffs = c_or_r
        if variable is None:
            variable = "x"
        self._variable = variable

    def __array__(self, t=None, copy=None):
        x = _np.asarray(self.coeffs)
        return x.astype(t, copy=False) if t else x

    def __repr__(self):
        vals = repr(_np.asarray(self.coeffs))
        vals = vals[6:-1]
        return f"poly1d({vals})"

    def __len__(self):
        return self.order

    def __str__(self):
        # NumPy's formatting of the computed coefficients (already trimmed, as NumPy's are)
        return str(_np.poly1d(_np.asarray(self.coeffs), variable=self.variable))

    def __call__(self, val):
        return polyval(self.coeffs, val)

    def __neg__(self):
        return poly1d(-self.coeffs)

    def __pos__(self):
        return self

    def __mul__(self, other):
        if _np.isscalar(other):
            return poly1d(self.coeffs * other)
        other = poly1d(other)
        return poly1d(polymul(self.coeffs, other.coeffs))

    def __rmul__(self, other):
        if _np.isscalar(other):
            return poly1d(other * self.coeffs)
        other = poly1d(other)
        return poly1d(polymul(self.coeffs, other.coeffs))

    def __add__(self, other):
        other = poly1d(other)
        return poly1d(polyadd(self.coeffs, other.coeffs))

    def __radd__(self, other):
        other = poly1d(other)
        return poly1d(polyadd(self.coeffs, other.coeffs))

    def __pow__(self, val):
        if not _np.isscalar(val) or int(val) != val or val < 0:
            raise ValueError("Power to non-negative integers only.")
        res = [1]
        for _ in range(val):
            res = polymul(self.coeffs, res)
        return poly1d(res)

    def __sub__(self, other):
        other = poly1d(other)
        return poly1d(polysub(self.coeffs, other.coeffs))

    def __rsub__(self, other):
        other = poly1d(other)
        return poly1d(polysub(other.coeffs, self.coeffs))

    def __truediv__(self, other):
        if _np.isscalar(other):
            return poly1d(self.coeffs / other)
        other = poly1d(other)
        return polydiv(self, other)

    def __rtruediv__(self, other):
        if _np.isscalar(other):
            return poly1d(other / self.coeffs)
        other = poly1d(other)
        return polydiv(other, self)

    def __eq__(self, other):
        if not isinstance(other, poly1d):
            return NotImplemented
        if self.coeffs.shape != other.coeffs.shape:
            return False
        return (self.coeffs == other.coeffs).all()

    def __ne__(self, other):
        if not isinstance(other, poly1d):
            return NotImplemented
        return not self.__eq__(other)

    def __getitem__(self, val):
        ind = self.order - val
        if val > self.order:
            return self.coeffs.dtype.type(0)
        if val < 0:
            return self.coeffs.dtype.type(0)
        return self.coeffs[ind]

    def __setitem__(self, key, val):
        snp = _snp()
        ind = self.order - key
        if key < 0:
            raise ValueError("Does not support negative powers.")
        if key > self.order:
            zr = snp.zeros(key - self.order, self.coeffs.dtype)
            self._coeffs = snp.concatenate((zr, self.coeffs))
            ind = 0
        self._coeffs[ind] = val

    def __iter__(self):
        return iter(self.coeffs)

    def integ(self, m=1, k=0):
        """The m-th antiderivative (integration constants k), as polyint."""
        return poly1d(polyint(self.coeffs, m=m, k=k))

    def deriv(self, m=1):
        """The m-th derivative, as polyder."""
        return poly1d(polyder(self.coeffs, m=m))


# ---- the functions ----
def poly(seq_of_zeros):
    """Coefficients of the monic polynomial with the given roots (or the characteristic
    polynomial of a square matrix): one two-term convolution per root, in NumPy's order; a
    complex result whose roots come in conjugate pairs is returned real (decided at the call)."""
    snp = _snp()
    _iterable_argument(seq_of_zeros)
    seq_of_zeros = _atleast_1d(seq_of_zeros)
    sh = seq_of_zeros.shape
    if len(sh) == 2 and sh[0] == sh[1] and sh[0] != 0:
        seq_of_zeros = snp.linalg.eigvals(seq_of_zeros)
    elif len(sh) == 1:
        seq_of_zeros = seq_of_zeros.astype(_np.mintypecode(seq_of_zeros.dtype.char))
    else:
        raise ValueError("input must be 1d or non-empty square 2d array.")
    if len(seq_of_zeros) == 0:
        return 1.0
    dt = seq_of_zeros.dtype
    a = snp.ones((1,), dtype=dt)
    for zero in seq_of_zeros:
        # convolve(a, [1, -zero]): a[k] * 1 + a[k - 1] * (-zero), the ends having one term
        nz = -zero
        a = snp.concatenate([a[:1], a[1:] + a[:-1] * nz, a[-1:] * nz])
    if a.dtype.kind == "c":
        # if the complex roots are all complex conjugates, the roots are real
        rts = seq_of_zeros.astype(_np.complex128)
        if bool(snp.all(snp.sort(rts) == snp.sort(rts.conjugate()))):
            a = a.real.copy()
    return a


def roots(p):
    """Roots of the polynomial with coefficients p: eigenvalues of the companion matrix of its
    nonzero range (found at the call), plus one zero per trailing zero coefficient."""
    snp = _snp()
    _iterable_argument(p)
    p = _atleast_1d(p)
    if p.ndim != 1:
        raise ValueError("Input must be a rank-1 array.")
    non_zero = snp.nonzero(snp.ravel(p))[0]
    if len(non_zero) == 0:
        return snp.array([])
    nzv = _np.asarray(non_zero)  # computed at the call already (nonzero is a sync point)
    first, last = int(nzv[0]), int(nzv[-1])
    trailing_zeros = len(p) - last - 1
    p = p[first:last + 1]
    if p.dtype.kind not in "fc":
        p = p.astype(float)
    N = len(p)
    if N > 1:
        A = snp.diag(snp.ones((N - 2,), p.dtype), -1)
        A[0, :] = -p[1:] / p[0]
        rts = snp.linalg.eigvals(A)
    else:
        rts = snp.array([])
    return snp.hstack((rts, snp.zeros(trailing_zeros, rts.dtype)))


def polyint(p, m=1, k=None):
    """The m-th antiderivative of p; k the integration constants (scalar, or one per order)."""
    snp = _snp()
    m = int(m)
    if m < 0:
        raise ValueError("Order of integral must be positive (see polyder)")
    if k is None:
        k = snp.zeros(m, float)
    k = _atleast_1d(k)
    if len(k) == 1 and m > 1:
        k = k[0] * snp.ones(m, float)
    if len(k) < m:
        raise ValueError("k must be a scalar or a rank-1 array of length 1 or >m.")
    truepoly = isinstance(p, poly1d)
    p = snp.asarray(p)
    if m == 0:
        if truepoly:
            return poly1d(p)
        return p
    # k[0:1] is NumPy's [k[0]]: a 1-d array of k's dtype
    y = snp.concatenate((p / snp.arange(len(p), 0, -1), k[0:1]))
    val = polyint(y, m - 1, k=k[1:])
    if truepoly:
        return poly1d(val)
    return val


def polyder(p, m=1):
    """The m-th derivative of p."""
    snp = _snp()
    m = int(m)
    if m < 0:
        raise ValueError("Order of derivative must be positive (see polyint)")
    truepoly = isinstance(p, poly1d)
    p = snp.asarray(p)
    n = len(p) - 1
    y = p[:-1] * snp.arange(n, 0, -1)
    if m == 0:
        val = p
    else:
        val = polyder(y, m - 1)
    if truepoly:
        val = poly1d(val)
    return val


def polyfit(x, y, deg, rcond=None, full=False, w=None, cov=False):
    """Least-squares polynomial fit, as NumPy: the Vandermonde matrix (weighted by w, columns
    scaled to unit norm) solved with starp's lstsq; full= returns (c, residuals, rank, s, rcond),
    cov= the (scaled or 'unscaled') covariance. The RankWarning needs the rank at the call."""
    snp = _snp()
    order = int(deg) + 1
    x = snp.asarray(x) + 0.0
    y = snp.asarray(y) + 0.0
    if deg < 0:
        raise ValueError("expected deg >= 0")
    if x.ndim != 1:
        raise TypeError("expected 1D vector for x")
    if x.size == 0:
        raise TypeError("expected non-empty vector for x")
    if y.ndim < 1 or y.ndim > 2:
        raise TypeError("expected 1D or 2D array for y")
    if x.shape[0] != y.shape[0]:
        raise TypeError("expected x and y to have same length")
    if rcond is None:
        rcond = len(x) * _np.finfo(x.dtype).eps
    lhs = vander(x, order)
    rhs = y
    if w is not None:
        w = snp.asarray(w) + 0.0
        if w.ndim != 1:
            raise TypeError("expected a 1-d array for weights")
        if w.shape[0] != y.shape[0]:
            raise TypeError("expected w and y to have the same length")
        # in place, as NumPy: the products keep lhs's and rhs's dtypes
        lhs *= w[:, None]
        if rhs.ndim == 2:
            rhs *= w[:, None]
        else:
            rhs *= w
    # scale lhs to improve condition number and solve
    scale = snp.sqrt((lhs * lhs).sum(axis=0))
    lhs /= scale
    c, resids, rank, s = snp.linalg.lstsq(lhs, rhs, rcond)
    c = (c.T / scale).T  # broadcast scale coefficients
    if not full and int(rank) != order:
        warnings.warn("Polyfit may be poorly conditioned", _np.exceptions.RankWarning, stacklevel=2)
    if full:
        return c, resids, rank, s, rcond
    elif cov:
        Vbase = snp.linalg.inv(snp.dot(lhs.T, lhs))
        Vbase /= snp.outer(scale, scale)
        if cov == "unscaled":
            fac = 1
        else:
            if len(x) <= order:
                raise ValueError("the number of data points must exceed order to scale the covariance matrix")
            fac = resids / (len(x) - order)
        if y.ndim == 1:
            return c, Vbase * fac
        return c, Vbase[:, :, None] * fac
    return c


def polyval(p, x):
    """p evaluated at x by Horner's scheme (y = y * x + p[i]), as NumPy, in x's dtype promoted
    with p's; x may be a poly1d (composition)."""
    snp = _snp()
    p = snp.asarray(p)
    if isinstance(x, poly1d):
        y = 0
    else:
        x = snp.asarray(x)
        y = snp.zeros_like(x)
    for pv in p:
        y = y * x + pv
    return y


def _combine(a1, a2, op):
    """NumPy's polyadd/polysub: the shorter coefficient array padded with leading zeros (of its
    own dtype), op applied; a poly1d when either operand is one."""
    snp = _snp()
    truepoly = isinstance(a1, poly1d) or isinstance(a2, poly1d)
    a1 = _atleast_1d(a1)
    a2 = _atleast_1d(a2)
    diff = len(a2) - len(a1)
    if diff > 0:
        a1 = snp.concatenate((snp.zeros(diff, a1.dtype), a1))
    elif diff < 0:
        a2 = snp.concatenate((snp.zeros(-diff, a2.dtype), a2))
    val = op(a1, a2)
    return poly1d(val) if truepoly else val


def polyadd(a1, a2):
    """Sum of two polynomials (the shorter padded with leading zeros)."""
    return _combine(a1, a2, lambda x, y: x + y)


def polysub(a1, a2):
    """Difference of two polynomials (the shorter padded with leading zeros)."""
    return _combine(a1, a2, lambda x, y: x - y)


def polymul(a1, a2):
    """Product of two polynomials: the convolution of their (leading-zero-trimmed) coefficients."""
    truepoly = isinstance(a1, poly1d) or isinstance(a2, poly1d)
    a1, a2 = poly1d(a1), poly1d(a2)
    val = _convolve(a1.coeffs, a2.coeffs)
    if truepoly:
        val = poly1d(val)
    return val


def polydiv(u, v):
    """Quotient and remainder of u / v by NumPy's long division; leading remainder terms with
    |r| <= 1e-8 are dropped (NumPy's allclose(r[0], 0), found at the call)."""
    snp = _snp()
    truepoly = isinstance(u, poly1d) or isinstance(v, poly1d)
    u = _atleast_1d(u) + 0.0
    v = _atleast_1d(v) + 0.0
    # w has the common type
    w = u[0] + v[0]
    m = len(u) - 1
    n = len(v) - 1
    scale = 1.0 / v[0]
    q = snp.zeros((max(m - n + 1, 1),), w.dtype)
    r = u.astype(w.dtype)
    for k in range(m - n + 1):
        d = scale * r[k]
        q[k] = d
        r[k:k + n + 1] -= d * v
    # NumPy strips one leading term at a time while allclose(r[0], 0, rtol=1e-14), i.e.
    # |r[0]| <= 1e-8 (False for NaN and inf), keeping at least one: one look at all of them
    close = _np.asarray(snp.abs(r) <= 1e-8)
    drop = 0
    while drop < len(close) - 1 and close[drop]:
        drop += 1
    if drop:
        r = r[drop:]
    if truepoly:
        return poly1d(q), poly1d(r)
    return q, r


def vander(x, N=None, increasing=False):
    """The Vandermonde matrix of 1-d x: columns x**(N-1), ..., x, 1 (reversed if increasing),
    as NumPy's running products (multiply.accumulate) in promote_types(x.dtype, int)."""
    snp = _snp()
    x = snp.asarray(x)
    if x.ndim != 1:
        raise ValueError("x must be a one-dimensional array or sequence.")
    if N is None:
        N = len(x)
    N = operator.index(N)
    if N < 0:
        raise ValueError("negative dimensions are not allowed")
    dtype = _np.promote_types(x.dtype, int)
    n = len(x)
    cols = [snp.ones((n, min(N, 1)), dtype=dtype)]
    if N > 1:
        # column k >= 1 is x multiplied k - 1 times by x (not by 1 first: 1 * x is not x for
        # every complex x)
        cols.append(snp.cumprod(snp.broadcast_to(x.astype(dtype)[:, None], (n, N - 1)), axis=1))
    v = snp.concatenate(cols, axis=1) if len(cols) > 1 else cols[0]
    return v if increasing else snp.flip(v, axis=1)


def unwrap(p, discont=None, axis=-1, *, period=2 * _np.pi):
    """NumPy's unwrap: differences along `axis` larger than max(discont, period/2) are replaced
    by their period-complement, and the corrections are accumulated (cumsum)."""
    snp = _snp()
    p = snp.asarray(p)
    nd = p.ndim
    dd = snp.diff(p, axis=axis)
    if discont is None:
        discont = period / 2
    slice1 = [slice(None, None)] * nd  # full slices
    slice1[axis] = slice(1, None)
    slice1 = tuple(slice1)
    dtype = _np.result_type(dd.dtype, period)
    if _np.issubdtype(dtype, _np.integer):
        interval_high, rem = divmod(period, 2)
        boundary_ambiguous = rem == 0
    else:
        interval_high = period / 2
        boundary_ambiguous = True
    interval_low = -interval_high
    ddmod = snp.mod(dd - interval_low, period) + interval_low
    if boundary_ambiguous:
        # for `mask = (abs(dd) == period/2)`, the above line made `ddmod[mask] == -period/2`.
        # correct these such that `ddmod[mask] == sign(dd[mask])*period/2`. (NumPy's copyto
        # casts the value into ddmod's dtype.)
        ddmod = snp.where((ddmod == interval_low) & (dd > 0), ddmod.dtype.type(interval_high), ddmod)
    ph_correct = ddmod - dd
    ph_correct = snp.where(snp.abs(dd) < discont, ph_correct.dtype.type(0), ph_correct)
    up = p.astype(dtype)
    up[slice1] = p[slice1] + ph_correct.cumsum(axis)
    return up
