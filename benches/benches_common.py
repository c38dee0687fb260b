"""Workloads shared by the bench scripts, written once for any NumPy-like module `xp`."""


def black_scholes(xp, S, X, T, r, v):
    """The NumExpr/Numba benchmark kernel, with the Abramowitz-Stegun normal CDF."""
    sqrt_t = xp.sqrt(T)
    d1 = (xp.log(S / X) + (r + 0.5 * v * v) * T) / (v * sqrt_t)
    d2 = d1 - v * sqrt_t

    def cnd(d):
        k = 1.0 / (1.0 + 0.2316419 * xp.abs(d))
        poly = k * (0.319381530 + k * (-0.356563782 + k * (1.781477937 + k * (-1.821255978 + k * 1.330274429))))
        w = 1.0 - 0.3989422804014327 * xp.exp(-0.5 * d * d) * poly
        return xp.where(d < 0, 1.0 - w, w)

    return S * cnd(d1) - X * xp.exp(-r * T) * cnd(d2)
