"""Set operations, lexsort, sort_complex and bit packing with NumPy's semantics, built on
starp's sort, argsort, unique, searchsorted, concatenate and boolean masks (so they run
distributed; the results of unique and of masks are sync points, as there).

NaN: ``unique`` collapses NaNs and NaN never equals NaN, so as in NumPy a NaN is never "in"
another array (isin, intersect1d) and both NaNs survive setxor1d. ``in1d`` is gone from
NumPy 2.4, so it is not here either.
"""

import operator as _operator

import numpy as _np
from numpy.lib.array_utils import normalize_axis_index as _normalize_axis_index

from starp.numpy._array import ndarray
from starp.numpy._array import namespace as _snp

__all__ = [
    "intersect1d", "union1d", "setdiff1d", "setxor1d", "isin", "lexsort", "sort_complex",
    "packbits", "unpackbits",
]

_INT64_MAX = _np.iinfo(_np.int64).max



# ---- membership ----
def _member(ar1, ar2):
    """ar1 (1-d) found in ar2 (1-d), comparing in their common dtype: sort ar2, search every
    element of ar1, compare with what is there."""
    snp = _snp()
    if ar2.size == 0:
        return snp.zeros(ar1.shape, bool)
    dt = _np.result_type(ar1.dtype, ar2.dtype)
    a1, a2 = ar1.astype(dt, copy=False), ar2.astype(dt, copy=False)
    s = snp.sort(a2)
    idx = snp.minimum(snp.searchsorted(s, a1), ar2.size - 1)
    return snp.take(s, idx) == a1


def _member_exact_ints(ar1, ar2):
    """_member on integers whose common dtype is float64 (a signed type with uint64), compared
    exactly as NumPy's table method does: in uint64, with the values no uint64 can equal
    (negative ones) or no signed value can equal (above int64's max) masked out."""
    if ar1.dtype.kind == "i":
        return _member(ar1.astype(_np.uint64), ar2) & (ar1 >= 0)
    return _member(ar1, ar2.astype(_np.uint64)) & (ar1 <= _np.uint64(_INT64_MAX))


#: NumPy's kind='table' allocation of this many flags cannot succeed on any machine (256 TiB)
_TABLE_LIMIT = 2**48


def _check_table_size(n):
    """NumPy's kind='table' allocates n flags: its errors when that cannot be. starp needs no
    table; the limit is fixed (not this host's memory) so that every rank decides the same."""
    if n > _np.iinfo(_np.intp).max:
        raise ValueError("Maximum allowed dimension exceeded")
    if n > _TABLE_LIMIT:
        raise MemoryError(f"Unable to allocate {n} bytes for an array with shape ({n},) and data type bool")


def _isin(ar1, ar2, assume_unique=False, invert=False, *, kind=None):
    """NumPy's _isin on flattened arrays. assume_unique does not change the answer here (the
    search is right whether or not the inputs are unique)."""
    snp = _snp()
    ar1 = snp.asarray(ar1).ravel()
    ar2 = snp.asarray(ar2).ravel()
    if kind not in {None, "sort", "table"}:
        raise ValueError(f"Invalid kind: '{kind}'. Please use None, 'sort' or 'table'.")
    is_int_arrays = all(a.dtype.kind in "uib" for a in (ar1, ar2))
    if kind == "table" and not is_int_arrays:
        raise ValueError("The 'table' method is only supported for boolean or integer arrays. "
                         "Please select 'sort' or None for kind.")
    # A signed type with uint64 is the one case where NumPy's methods disagree: its table and
    # its loop over a short ar2 compare exactly, its sorting compares in float64.
    promoted_float = is_int_arrays and _np.result_type(ar1.dtype, ar2.dtype).kind == "f"
    exact = promoted_float and ar2.size < 10 * ar1.size ** 0.145
    if ar2.size and (kind == "table" or (promoted_float and kind is None and not exact)):
        # NumPy's choice of its table depends on ar2's range: computed here (a sync) only when
        # kind='table' may have to raise or the answers can differ.
        a2 = ar2.astype(_np.uint8) if ar2.dtype == _np.bool_ else ar2
        lo, hi = (int(v) for v in _np.asarray(snp.stack([a2.min(), a2.max()])))
        rng = hi - lo
        if rng <= _np.iinfo(a2.dtype).max and (rng <= 6 * (ar1.size + ar2.size) or kind == "table"):
            _check_table_size(rng + 1)
            exact = True
        elif kind == "table":
            raise RuntimeError(
                "You have specified kind='table', but the range of values in `ar2` or `ar1` exceed the "
                "maximum integer of the datatype. Please set `kind` to None or 'sort'."
            )
    found = _member_exact_ints(ar1, ar2) if exact and promoted_float else _member(ar1, ar2)
    return ~found if invert else found


def isin(element, test_elements, assume_unique=False, invert=False, *, kind=None):
    """Whether each element is in test_elements (flattened), shaped like element; NumPy's
    equality in the common dtype (a NaN is never found), kind=None/'sort'/'table'."""
    snp = _snp()
    element = snp.asarray(element)
    return _isin(element, test_elements, assume_unique=assume_unique, invert=invert,
                 kind=kind).reshape(element.shape)


# ---- set operations ----
def intersect1d(ar1, ar2, assume_unique=False, return_indices=False):
    """The sorted unique values in both arrays (and, with return_indices, the indices of their
    first occurrences in each flattened input)."""
    snp = _snp()
    ar1 = snp.asarray(ar1)
    ar2 = snp.asarray(ar2)
    if not assume_unique:
        if return_indices:
            ar1, ind1 = snp.unique(ar1, return_index=True)
            ar2, ind2 = snp.unique(ar2, return_index=True)
        else:
            ar1 = snp.unique(ar1)
            ar2 = snp.unique(ar2)
    else:
        ar1 = ar1.ravel()
        ar2 = ar2.ravel()
    aux = snp.concatenate((ar1, ar2))
    if return_indices:
        aux_sort_indices = snp.argsort(aux, kind="mergesort")
        aux = snp.take(aux, aux_sort_indices)
    else:
        aux = snp.sort(aux)
    mask = aux[1:] == aux[:-1]
    int1d = aux[:-1][mask]
    if return_indices:
        ar1_indices = aux_sort_indices[:-1][mask]
        ar2_indices = aux_sort_indices[1:][mask] - ar1.size
        if not assume_unique:
            ar1_indices = snp.take(ind1, ar1_indices)
            ar2_indices = snp.take(ind2, ar2_indices)
        return int1d, ar1_indices, ar2_indices
    return int1d


def union1d(ar1, ar2):
    """The sorted unique values of both arrays (flattened)."""
    snp = _snp()
    return snp.unique(snp.concatenate((ar1, ar2), axis=None))


def setdiff1d(ar1, ar2, assume_unique=False):
    """The values of ar1 not in ar2: sorted and unique, or ar1's order if assume_unique."""
    snp = _snp()
    if assume_unique:
        ar1 = snp.asarray(ar1).ravel()
    else:
        ar1 = snp.unique(ar1)
        ar2 = snp.unique(ar2)
    return ar1[_isin(ar1, ar2, assume_unique=True, invert=True)]


def setxor1d(ar1, ar2, assume_unique=False):
    """The sorted values in exactly one of the arrays."""
    snp = _snp()
    if not assume_unique:
        ar1 = snp.unique(ar1)
        ar2 = snp.unique(ar2)
    aux = snp.concatenate((ar1, ar2), axis=None)
    if aux.size == 0:
        return aux
    aux = snp.sort(aux)
    flag = snp.concatenate(([True], aux[1:] != aux[:-1], [True]))
    return aux[flag[1:] & flag[:-1]]


# ---- sorting ----
def lexsort(keys, axis=-1):
    """Indices sorting by several keys, the last key primary (a stable argsort per key, from
    the least significant one: NaNs last, as NumPy)."""
    snp = _snp()
    if isinstance(keys, ndarray):
        if keys.ndim == 0:
            raise TypeError("need sequence of keys with len > 0 in lexsort")
        keys = [keys[i] for i in range(keys.shape[0])]
    elif isinstance(keys, (list, tuple)):
        keys = [snp.asarray(k) for k in keys]
    else:
        keys = [snp.asarray(k) for k in _np.asarray(keys)] if _np.ndim(keys) else []
    if len(keys) == 0:
        raise TypeError("need sequence of keys with len > 0 in lexsort")
    shape = keys[0].shape
    if any(k.shape != shape for k in keys):
        raise ValueError("all keys need to be the same shape")
    axis = _operator.index(axis)
    if len(shape) == 0:
        r = snp.zeros((), _np.intp)
        r._scalar = True
        return r
    axis = _normalize_axis_index(axis, len(shape))
    idx = snp.argsort(keys[0], axis=axis)
    for k in keys[1:]:
        order = snp.argsort(snp.take_along_axis(k, idx, axis=axis), axis=axis)
        idx = snp.take_along_axis(idx, order, axis=axis)
    return idx


def sort_complex(a):
    """a sorted along its last axis as complex numbers (real part first): complex64 for 8- and
    16-bit integers, complex128 for the other real dtypes."""
    snp = _snp()
    b = snp.sort(snp.asarray(a))
    if b.dtype.kind != "c":
        return b.astype(_np.complex64 if b.dtype.char in "bhBH" else _np.complex128)
    return b


# ---- bits ----
def _bit_axis(a, axis):
    if axis is None:
        return a.ravel(), 0
    if a.ndim == 0:
        a = a.reshape(1)  # NumPy treats a 0-d input as 1-d on any axis
    return a, _normalize_axis_index(axis, a.ndim)


def _weights(axis, ndim, little):
    w = _np.arange(8, dtype=_np.uint8) if little else _np.arange(7, -1, -1, dtype=_np.uint8)
    return w.reshape((8,) + (1,) * (ndim - axis - 1))


def packbits(a, /, axis=None, bitorder="big"):
    """Each 8 elements (nonzero or not) along axis (of the flattened a when None) packed into a
    uint8, the first one in the most significant bit ('big') or the least ('little');
    zero-padded at the end."""
    snp = _snp()
    if not isinstance(bitorder, str):
        raise TypeError(f"pack() argument 3 must be str, not {type(bitorder).__name__}")
    if bitorder.startswith("little"):
        little = True
    elif bitorder.startswith("big"):
        little = False
    else:
        raise ValueError("'order' must be either 'little' or 'big'")
    a = snp.asarray(a)
    if a.dtype.kind not in "biu":
        raise TypeError("Expected an input array of integer or boolean data type")
    a, axis = _bit_axis(a, axis)
    n = a.shape[axis]
    m = -(-n // 8)
    bits = (a != 0).astype(_np.uint8)
    if m * 8 != n:
        pad = list(a.shape)
        pad[axis] = m * 8 - n
        bits = snp.concatenate([bits, snp.zeros(tuple(pad), _np.uint8)], axis=axis)
    bits = bits.reshape(a.shape[:axis] + (m, 8) + a.shape[axis + 1:])
    shifted = bits << _weights(axis + 1, bits.ndim, little)
    return snp.sum(shifted, axis=axis + 1, dtype=_np.uint8)


def unpackbits(a, /, axis=None, count=None, bitorder="big"):
    """Each uint8 along axis (of the flattened a when None) unpacked into 8 elements of 0/1
    (uint8), most significant bit first ('big') or last ('little'); count keeps that many
    (zero-padded beyond 8 * n; negative: drops from the end)."""
    snp = _snp()
    if not isinstance(bitorder, str):
        raise TypeError(f"unpack() argument 4 must be str, not {type(bitorder).__name__}")
    if bitorder[:1] == "l":
        little = True
    elif bitorder[:1] == "b":
        little = False
    else:
        raise ValueError("'order' must begin with 'l' or 'b'")
    if count is not None:
        count = _operator.index(count)
    a = snp.asarray(a)
    if a.dtype != _np.uint8:
        raise TypeError("Expected an input array of unsigned byte data type")
    a, axis = _bit_axis(a, axis)
    n = a.shape[axis]
    shifts = _weights(axis + 1, a.ndim + 1, little)
    bits = (snp.expand_dims(a, axis + 1) >> shifts) & _np.uint8(1)
    total = 8 * n
    shape = a.shape[:axis] + (total,) + a.shape[axis + 1:]
    bits = bits.reshape(shape)
    if count is None or count == total:
        return bits
    if count < 0:
        if -count > total:
            raise ValueError("-count larger than number of elements")
        count = total + count
    if count <= total:
        return bits[(slice(None),) * axis + (slice(0, count),)]
    pad = list(shape)
    pad[axis] = count - total
    return snp.concatenate([bits, snp.zeros(tuple(pad), _np.uint8)], axis=axis)
