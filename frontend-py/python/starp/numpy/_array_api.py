"""The array API standard's names that NumPy 2 has and that are compositions of starp functions
already there (argument parsing only, as the rest of starp.numpy).

Not here, because starp lacks the operation itself: ``from_dlpack``.
"""

from collections import namedtuple as _namedtuple

import numpy as _np
from numpy.lib.array_utils import normalize_axis_index as _normalize_axis_index
from starp.numpy._array import namespace as _np_starp

__all__ = [
    "pow", "bitwise_invert", "positive", "signbit", "concat", "permute_dims", "matrix_transpose",
    "vecdot", "broadcast_arrays", "unstack", "isdtype", "cumulative_sum", "cumulative_prod",
    "unique_values", "unique_counts", "unique_inverse", "unique_all", "from_dlpack",
]



def pow(x1, x2, /):  # noqa: A001 - the standard's name
    return _np_starp().power(x1, x2)


def bitwise_invert(x, /):
    return _np_starp().invert(x)


def positive(x, /):
    snp = _np_starp()
    x = snp.asarray(x)
    if x.dtype == _np.bool_:
        raise TypeError("ufunc 'positive' did not contain a loop with signature matching types <class 'numpy.dtypes.BoolDType'> -> None")
    return x.copy()


def signbit(x, /):
    snp = _np_starp()
    x = snp.asarray(x)
    if x.dtype.kind == "c":
        raise TypeError("ufunc 'signbit' not supported for the input types")
    if x.dtype.kind in "biu":
        return x < 0
    # copysign keeps the sign bit of -0.0 and of NaNs.
    return snp.copysign(snp.ones((), dtype=x.dtype), x) < 0


def concat(arrays, /, *, axis=0):
    snp = _np_starp()
    if axis is None:
        return snp.concatenate([snp.ravel(a) for a in arrays])
    return snp.concatenate(arrays, axis=axis)


def permute_dims(x, /, axes):
    return _np_starp().transpose(x, axes)


def matrix_transpose(x, /):
    snp = _np_starp()
    x = snp.asarray(x)
    if x.ndim < 2:
        raise ValueError(f"Input array must be at least 2-dimensional, but it is {x.ndim}")
    return snp.swapaxes(x, -1, -2)


def vecdot(x1, x2, /, *, axis=-1):
    snp = _np_starp()
    x1, x2 = snp.asarray(x1), snp.asarray(x2)
    if x1.shape[axis] != x2.shape[axis]:
        raise ValueError(
            f"vecdot: Input operand 1 has a mismatch in its core dimension 0, with gufunc signature "
            f"(n),(n)->() (size {x2.shape[axis]} is different from {x1.shape[axis]})"
        )
    a = snp.conj(x1) if x1.dtype.kind == "c" else x1
    prod = a * x2
    # A gufunc keeps the product's dtype (sum alone would widen small integers).
    return snp.sum(prod, axis=axis, dtype=prod.dtype)


def broadcast_arrays(*args):
    snp = _np_starp()
    arrays = [snp.asarray(a) for a in args]
    shape = _np.broadcast_shapes(*(a.shape for a in arrays))
    return tuple(snp.broadcast_to(a, shape) for a in arrays)


def unstack(x, /, *, axis=0):
    snp = _np_starp()
    x = snp.asarray(x)
    if x.ndim == 0:
        raise ValueError("Input array must be at least 1-d.")
    axis = _normalize_axis_index(axis, x.ndim)
    moved = snp.moveaxis(x, axis, 0)
    return tuple(moved[i] for i in range(moved.shape[0]))


def isdtype(dtype, kind):
    if not isinstance(dtype, type) and hasattr(dtype, "dtype"):
        dtype = dtype.dtype
    return _np.isdtype(_np.dtype(dtype), kind)


def _cumulative(op, x, axis, dtype, include_initial):
    snp = _np_starp()
    x = snp.asarray(x)
    if axis is None:
        if x.ndim > 1:
            raise ValueError("axis must be specified for multi-dimensional arrays")
        axis = 0
    if x.ndim == 0:
        raise ValueError("cumulative functions need an array of at least one dimension")
    axis = _normalize_axis_index(axis, x.ndim)
    r = getattr(snp, op)(x, axis=axis, dtype=dtype)
    if not include_initial:
        return r
    shape = list(r.shape)
    shape[axis] = 1
    first = snp.zeros(tuple(shape), dtype=r.dtype) if op == "cumsum" else snp.ones(tuple(shape), dtype=r.dtype)
    return snp.concatenate([first, r], axis=axis)


def cumulative_sum(x, /, *, axis=None, dtype=None, out=None, include_initial=False):
    if out is not None:
        raise NotImplementedError("starp: cumulative_sum(out=...) is not supported yet")
    return _cumulative("cumsum", x, axis, dtype, include_initial)


def cumulative_prod(x, /, *, axis=None, dtype=None, out=None, include_initial=False):
    if out is not None:
        raise NotImplementedError("starp: cumulative_prod(out=...) is not supported yet")
    return _cumulative("cumprod", x, axis, dtype, include_initial)


UniqueAllResult = _namedtuple("UniqueAllResult", ["values", "indices", "inverse_indices", "counts"])
UniqueCountsResult = _namedtuple("UniqueCountsResult", ["values", "counts"])
UniqueInverseResult = _namedtuple("UniqueInverseResult", ["values", "inverse_indices"])


def unique_values(x):
    return _np_starp().unique(x)


def unique_counts(x):
    return UniqueCountsResult(*_np_starp().unique(x, return_counts=True))


def unique_inverse(x):
    values, inverse = _np_starp().unique(x, return_inverse=True)
    return UniqueInverseResult(values, inverse.reshape(_np_starp().asarray(x).shape))


def unique_all(x):
    values, index, inverse, counts = _np_starp().unique(x, return_index=True, return_inverse=True, return_counts=True)
    return UniqueAllResult(values, index, inverse.reshape(_np_starp().asarray(x).shape), counts)


def from_dlpack(x, /, *, device=None, copy=None):
    """A starp array of the values of any DLPack producer (a NumPy array, a torch CPU tensor, a
    starp array...): read through NumPy's from_dlpack, then copied into starp's buffers."""
    snp = _np_starp()
    if isinstance(x, snp.ndarray):
        return x.copy() if copy else x
    if copy is False:
        raise ValueError("starp cannot share memory with a DLPack producer: from_dlpack(copy=False)")
    return snp.asarray(_np.from_dlpack(x, device=device))
