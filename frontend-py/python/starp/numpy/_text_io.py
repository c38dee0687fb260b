"""NumPy's text and raw-binary I/O for starp arrays: ``loadtxt``, ``genfromtxt``, ``fromregex``,
``savetxt``, ``frombuffer``, ``fromiter``, ``fromstring``, ``fromfile`` and ``ndarray.tofile``.

I/O is host-side: NumPy parses or formats, starp holds the data. Reading: every rank runs the
reader on the same file (each MPI rank opens it; an open file object is read by each process from
its own position) and gets the same array, which ``asarray`` turns into a starp array (a snapshot:
unlike ``numpy.frombuffer``, later writes to the buffer do not reach it). Writing: the array is
computed on every rank and rank 0 alone writes (as ``save`` / ``savez``), then the ranks meet, so
the file is complete when any rank returns.

starp holds only numeric and bool dtypes: a structured result (``names=``, mixed column types, a
structured ``dtype``) raises TypeError, a masked one (``genfromtxt(usemask=True)``)
NotImplementedError.
"""

import numpy as _np

from starp.numpy._array import ndarray as _ndarray

__all__ = [
    "loadtxt", "genfromtxt", "fromregex", "savetxt", "frombuffer", "fromiter", "fromstring", "fromfile",
]


def _to_starp(r):
    """A host result as starp arrays (tuples / lists of arrays element by element)."""
    if isinstance(r, (tuple, list)):
        return type(r)(_to_starp(x) for x in r)
    if isinstance(r, _np.ma.MaskedArray):
        raise NotImplementedError("starp has no masked arrays: genfromtxt(usemask=True) is not supported")
    r = _np.asarray(r)
    if r.dtype.names is not None:
        raise TypeError(
            f"starp does not support structured dtypes ({r.dtype}); read the columns with a plain numeric "
            "dtype (dtype=float, usecols=...) instead"
        )
    import starp.numpy as snp

    return snp.asarray(r)


# ---- reading (every rank reads the same input) ----
def loadtxt(fname, dtype=float, comments="#", delimiter=None, converters=None, skiprows=0, usecols=None,
            unpack=False, ndmin=0, encoding=None, max_rows=None, *, quotechar=None, like=None):
    """NumPy's loadtxt, parsed by NumPy on every rank; the result as a starp array (or, with
    unpack=True, its rows)."""
    r = _np.loadtxt(fname, dtype=dtype, comments=comments, delimiter=delimiter, converters=converters,
                    skiprows=skiprows, usecols=usecols, unpack=False, ndmin=ndmin, encoding=encoding,
                    max_rows=max_rows, quotechar=quotechar)
    if unpack:
        if r.dtype.names is not None:
            raise TypeError(f"starp does not support structured dtypes ({r.dtype})")
        return _to_starp(r).T
    return _to_starp(r)


def genfromtxt(fname, dtype=float, comments="#", delimiter=None, skip_header=0, skip_footer=0, converters=None,
               missing_values=None, filling_values=None, usecols=None, names=None, excludelist=None,
               deletechars=" !#$%&'()*+,-./:;<=>?@[\\]^{|}~", replace_space="_",
               autostrip=False, case_sensitive=True, defaultfmt="f%i", unpack=None, usemask=False, loose=True,
               invalid_raise=True, max_rows=None, encoding=None, *, ndmin=0, like=None):
    """NumPy's genfromtxt (missing values filled as NumPy fills them), parsed by NumPy on every
    rank. ``usemask=True`` is not supported (starp has no masked arrays)."""
    if usemask:
        raise NotImplementedError("starp has no masked arrays: genfromtxt(usemask=True) is not supported")
    r = _np.genfromtxt(fname, dtype=dtype, comments=comments, delimiter=delimiter, skip_header=skip_header,
                       skip_footer=skip_footer, converters=converters, missing_values=missing_values,
                       filling_values=filling_values, usecols=usecols, names=names, excludelist=excludelist,
                       deletechars=deletechars, replace_space=replace_space, autostrip=autostrip,
                       case_sensitive=case_sensitive, defaultfmt=defaultfmt, unpack=None, usemask=False,
                       loose=loose, invalid_raise=invalid_raise, max_rows=max_rows, encoding=encoding,
                       ndmin=ndmin)
    if unpack:
        if r.dtype.names is not None:
            raise TypeError(f"starp does not support structured dtypes ({r.dtype})")
        return _to_starp(r).T
    return _to_starp(r)


def fromregex(file, regexp, dtype, encoding=None):
    """NumPy's fromregex: its result always has a structured dtype, which starp does not hold,
    so this raises TypeError (NumPy's own TypeError for a non-structured dtype)."""
    d = dtype if isinstance(dtype, _np.dtype) else _np.dtype(dtype)
    if d.names is None:
        return _np.fromregex(file, regexp, d, encoding=encoding)  # raises NumPy's TypeError
    raise TypeError(f"starp does not support structured dtypes ({d}), the only result of fromregex")


def frombuffer(buffer, dtype=float, count=-1, offset=0, *, like=None):
    """NumPy's frombuffer; the starp array is a copy (a snapshot) of the buffer's contents, not a
    view of it as NumPy's is."""
    return _to_starp(_np.frombuffer(buffer, dtype=dtype, count=count, offset=offset))


def fromiter(iter, dtype, count=-1, *, like=None):  # noqa: A002 - NumPy's parameter name
    """NumPy's fromiter (the iterable is consumed on the host)."""
    return _to_starp(_np.fromiter(iter, dtype=dtype, count=count))


def fromstring(string, dtype=float, count=-1, *, sep="", like=None):
    """NumPy's fromstring (text mode; the binary mode, sep='', is removed in NumPy and raises its
    ValueError)."""
    return _to_starp(_np.fromstring(string, dtype=dtype, count=count, sep=sep))


def fromfile(file, dtype=float, count=-1, sep="", offset=0, *, like=None):
    """NumPy's fromfile, read by NumPy on every rank."""
    return _to_starp(_np.fromfile(file, dtype=dtype, count=count, sep=sep, offset=offset))


# ---- writing (computed on every rank, written by rank 0) ----
def savetxt(fname, X, fmt="%.18e", delimiter=" ", newline="\n", header="", footer="", comments="# ",
            encoding=None):
    """NumPy's savetxt of the computed array: rank 0 writes, the ranks meet afterwards."""
    from starp.numpy._interop import _barrier, _writer_sync

    (x,), writer = _writer_sync([X])
    if x.ndim == 0 or x.ndim > 2:
        # Raised on every rank (NumPy's check), not only on the writer.
        raise ValueError(f"Expected 1D or 2D array, got {x.ndim}D array instead")
    if writer:
        _np.savetxt(fname, x, fmt=fmt, delimiter=delimiter, newline=newline, header=header, footer=footer,
                    comments=comments, encoding=encoding)
    _barrier()


def _method_tofile(self, fid, /, sep="", format="%s"):  # noqa: A002 - NumPy's parameter name
    """NumPy's ndarray.tofile of the computed array: rank 0 writes, the ranks meet afterwards."""
    from starp.numpy._interop import _barrier, _writer_sync

    (x,), writer = _writer_sync([self])
    if writer:
        x.tofile(fid, sep=sep, format=format)
    _barrier()


_ndarray.tofile = _method_tofile
