"""NumPy interoperability (issue 6): starp's ufunc objects (call with out=/where=/dtype=,
reduce, accumulate, outer, at), the __array_ufunc__ / __array_function__ protocols, the
array API namespace, and the module surface NumPy code expects (finfo, iinfo, version,
save/load/savez, result_type, can_cast).

Dtype rules and errors of out=/dtype=/casting= and of the ufunc methods are NumPy's own: they
are resolved by NumPy on dtypes (``ufunc.resolve_dtypes``) or on a 1-element probe of the same
dtype and number of dimensions, so the exceptions are NumPy's exceptions. Anything starp does
not implement is computed by NumPy after a one-time UserWarning naming the function."""

import types as _types
import warnings as _warnings

import numpy as _np

from starp.numpy._array import from_numpy as _from_numpy
from starp.numpy._array import ndarray
from starp.numpy._array import namespace as _snp

_NoValue = _np._NoValue

#: functions already warned about (one UserWarning per function and process)
_WARNED = set()

#: binary ufuncs whose reduce / accumulate may regroup (associative and commutative, exact or
#: reduced by starp's own fixed-tree reductions)
_REDUCTIONS = {"add": "sum", "multiply": "prod", "maximum": "max", "minimum": "min",
               "logical_and": "all", "logical_or": "any"}
_REGROUPABLE = {"add", "multiply", "maximum", "minimum", "logical_and", "logical_or", "logical_xor",
                "bitwise_and", "bitwise_or", "bitwise_xor", "fmax", "fmin", "gcd"}
_UFUNC_KWARGS = {"dtype", "casting", "order", "subok", "signature"}



def _warn_once(name):
    if name in _WARNED:
        return
    _WARNED.add(name)
    _warnings.warn(
        f"starp.numpy does not implement {name} (or these arguments of it): the starp arrays are "
        "computed and NumPy runs it (the result is a numpy.ndarray)",
        UserWarning,
        stacklevel=4,
    )


def _to_numpy(x):
    """starp arrays inside x (lists, tuples, dicts) as numpy arrays."""
    if isinstance(x, ndarray):
        return _np.asarray(x)
    if isinstance(x, (list, tuple)):
        t = [_to_numpy(v) for v in x]
        return tuple(t) if isinstance(x, tuple) else t
    if isinstance(x, dict):
        return {k: _to_numpy(v) for k, v in x.items()}
    return x


def _call_numpy(name, fn, args, kwargs):
    """The NumPy fallback: warn once, compute the starp arguments, run NumPy; starp arrays given
    as out= receive the result."""
    _warn_once(name)
    kwargs = dict(kwargs)
    out = kwargs.get("out")
    outs = out if isinstance(out, tuple) else (out,)
    back = []
    if any(isinstance(o, ndarray) for o in outs):
        tmp = []
        for o in outs:
            if isinstance(o, ndarray):
                t = _np.array(o)
                back.append((o, t))
                tmp.append(t)
            else:
                tmp.append(o)
        kwargs["out"] = tuple(tmp) if isinstance(out, tuple) else tmp[0]
    r = fn(*_to_numpy(args), **_to_numpy({k: v for k, v in kwargs.items() if k != "out"}),
           **({"out": kwargs["out"]} if "out" in kwargs else {}))
    if back:
        for o, t in back:
            o[...] = t
        return out if not isinstance(out, tuple) or len(out) != 1 else out[0]
    return r


# ---- ufunc objects ----
def _dtype_of(x):
    """What ufunc.resolve_dtypes takes for an operand (Python scalars stay weak)."""
    if isinstance(x, bool):
        return _np.dtype(bool)
    if type(x) in (int, float, complex):
        return type(x)
    return x.dtype


def _starp_dtype(d):
    # starp has no float16: NumPy's float16 loops run in float32 (README, known differences).
    return _np.dtype(_np.float32) if d == _np.float16 else d


def _one_out(out, name):
    if isinstance(out, tuple):
        if len(out) != 1:
            raise ValueError("The 'out' tuple must have exactly one entry per ufunc output")
        out = out[0]
    if out is not None and not isinstance(out, (ndarray, _np.ndarray)):
        raise TypeError("return arrays must be of ArrayType")
    return out


def _write_out(r, out, casting, npufunc):
    """Write r into out (NumPy's output casting rule and broadcasting); returns out."""
    if not _np.can_cast(r.dtype, out.dtype, casting):
        try:
            exc = _np._core._exceptions._UFuncOutputCastingError(npufunc, casting, r.dtype, out.dtype, 0)
        except Exception:  # noqa: BLE001 - NumPy's private class moved: a plain TypeError
            exc = TypeError(f"Cannot cast ufunc {npufunc.__name__!r} output from {r.dtype!r} to "
                            f"{out.dtype!r} with casting rule {casting!r}")
        raise exc
    rs, os_ = tuple(r.shape), tuple(out.shape)
    try:
        ok = _np.broadcast_shapes(rs, os_) == os_
    except ValueError:
        ok = False
    if not ok:
        raise ValueError(f"non-broadcastable output operand with shape {os_} doesn't match the "
                         f"broadcast shape {rs}")
    if isinstance(out, ndarray):
        out[...] = r
    else:
        out[...] = _np.asarray(r)
    return out


def _broadcasts(a, b):
    try:
        _np.broadcast_shapes(tuple(a), tuple(b))
        return True
    except ValueError:
        return False


class ufunc:
    """A starp ufunc: callable like NumPy's (lazily), with out=, where=, dtype=, casting=, and
    the methods reduce, accumulate, outer, at (reduceat: by NumPy, with a warning)."""

    def __init__(self, f, npufunc):
        self._f = f
        self._np = npufunc
        self.__name__ = npufunc.__name__
        self.__qualname__ = npufunc.__name__
        self.__doc__ = f.__doc__
        self.nin = npufunc.nin
        self.nout = npufunc.nout
        self.nargs = npufunc.nargs

    def __getattr__(self, name):
        # identity, ntypes, types, signature... are NumPy's.
        if name.startswith("__") or name in ("_f", "_np"):
            raise AttributeError(name)
        return getattr(self._np, name)

    def __repr__(self):
        return f"<starp ufunc {self.__name__!r}>"

    def __reduce__(self):
        return (getattr, (_snp(), self.__name__))

    # -- the general call (out=, where=, dtype=, casting=, order=, subok=, signature=) --
    def _general(self, inputs, out, where, kw):
        name = self.__name__
        for k in kw:
            if k not in _UFUNC_KWARGS:
                raise TypeError(f"'{k}' is an invalid keyword to ufunc '{name}'")
        casting = kw.get("casting", "same_kind")
        if kw.get("order", "K") not in ("K", "A", "C", None):
            raise NotImplementedError("starp arrays are C-ordered: order='F' is not supported")
        if kw.get("subok", True) is not True:
            raise NotImplementedError("starp does not support subok=False")
        out = _one_out(out, name)
        snp = _snp()
        s = next((x._s for x in (*inputs, out) if isinstance(x, ndarray)), None)
        inputs = [x if isinstance(x, (ndarray, bool, int, float, complex, _np.generic))
                  else _from_numpy(_np.asarray(x), s) for x in inputs]
        sig = kw.get("signature")
        dtype = kw.get("dtype")
        if dtype is not None:
            if sig is not None:
                raise TypeError("cannot specify both 'signature' and 'dtype'")
            sig = (None,) * self.nin + (_np.dtype(dtype),)
        # NumPy resolves the loop (and raises its own casting errors) on the dtypes alone.
        dts = tuple(_dtype_of(x) for x in inputs) + (None if out is None else out.dtype,)
        loop = self._np.resolve_dtypes(dts, casting=casting) if sig is None else \
            self._np.resolve_dtypes(dts, signature=sig, casting=casting)
        if sig is not None:
            cast = []
            for x, d in zip(inputs, loop[: self.nin]):
                d = _starp_dtype(d)
                if isinstance(x, ndarray):
                    x = x.astype(d, copy=False)
                elif isinstance(x, _np.generic):
                    x = d.type(x)
                cast.append(x)
            inputs = cast
        r = self._f(*inputs)
        want = _starp_dtype(loop[self.nin])
        if r.dtype != want and sig is not None:
            r = r.astype(want)
        if where is not True:
            w = where if isinstance(where, ndarray) else _from_numpy(_np.asarray(where, dtype=bool), r._s)
            if w.dtype != bool:
                raise TypeError("Cannot cast array data from dtype('%s') to dtype('bool') according to "
                                "the rule 'safe'" % w.dtype)
            if out is None:
                shape = _np.broadcast_shapes(r.shape, w.shape)
                base = snp.zeros(shape, r.dtype)
            else:
                base = out if isinstance(out, ndarray) else _from_numpy(out, r._s)
                r = r.astype(out.dtype, copy=False) if _np.can_cast(r.dtype, out.dtype, casting) else r
            if r.dtype == base.dtype:
                r = snp.where(w, r, base)
        if out is None:
            return r
        return _write_out(r, out, casting, self._np)

    # -- methods --
    def _probe(self, a):
        return _np.ones(tuple(min(d, 1) for d in a.shape), a.dtype)

    def reduce(self, array, axis=0, dtype=None, out=None, keepdims=False, initial=_NoValue, where=True):
        name = self.__name__
        args = dict(axis=axis, dtype=dtype, keepdims=keepdims)
        if initial is not _NoValue:
            args["initial"] = initial
        out = _one_out(out, name)
        if where is not True or name not in _REGROUPABLE:
            return _call_numpy(f"numpy.{name}.reduce", self._np.reduce, (array,),
                               dict(args, out=out, where=where))
        snp = _snp()
        a = snp.asarray(array)
        if dtype is None and out is not None:
            args["dtype"] = dtype = out.dtype
        # NumPy checks the axes and dtypes (and raises) on a probe of the same dtype and ndim.
        pr = _np.asarray(self._np.reduce(self._probe(a), **args))
        rd = _starp_dtype(pr.dtype)
        axes = tuple(range(a.ndim)) if axis is None else (axis if isinstance(axis, tuple) else (axis,))
        axes = tuple(sorted(int(x) % a.ndim for x in axes)) if a.ndim else ()
        count = 1
        for x in axes:
            count *= a.shape[x]
        if count == 0 and initial is not _NoValue:
            shape = tuple(1 if i in axes else d for i, d in enumerate(a.shape) if keepdims or i not in axes)
            r = snp.full(shape, initial, rd)
        elif name in _REDUCTIONS:
            x = a.astype(dtype) if dtype is not None and name in ("add", "multiply") else a
            r = getattr(x, _REDUCTIONS[name])(axis=axes, keepdims=keepdims)
        elif name in ("fmax", "fmin") and axes and a.dtype.kind != "c":
            r = _nan_ignoring_extremum(a.astype(rd, copy=False), name == "fmax", axes, keepdims)
        else:
            r = a.astype(rd, copy=False)
            for ax in reversed(axes):
                r = _fold(self._f, r, ax, self._np.identity, rd)
            if keepdims:
                for ax in axes:
                    r = snp.expand_dims(r, ax)
        if initial is not _NoValue and count:
            r = self._f(r, initial)
        if r.dtype != rd:
            r = r.astype(rd)
        if out is None:
            return r
        return _write_out(r, out, "unsafe" if dtype is not None else "same_kind", self._np)

    def accumulate(self, array, axis=0, dtype=None, out=None):
        name = self.__name__
        out = _one_out(out, name)
        if name not in _REGROUPABLE:
            return _call_numpy(f"numpy.{name}.accumulate", self._np.accumulate, (array,),
                               dict(axis=axis, dtype=dtype, out=out))
        snp = _snp()
        a = snp.asarray(array)
        if dtype is None and out is not None:
            dtype = out.dtype
        pr = self._np.accumulate(self._probe(a), axis=axis, dtype=dtype)
        rd = _starp_dtype(pr.dtype)
        ax = int(axis) % a.ndim
        if name in ("add", "multiply"):
            f = snp.cumsum if name == "add" else snp.cumprod
            r = f(a, axis=ax, dtype=rd)
        else:
            r = _scan(self._f, a.astype(rd, copy=False), ax)
        if r.dtype != rd:
            r = r.astype(rd)
        if out is None:
            return r
        return _write_out(r, out, "unsafe" if dtype is not None else "same_kind", self._np)

    def outer(self, A, B, /, **kwargs):
        if self.nin != 2:
            raise ValueError("method outer is only supported for binary functions")
        snp = _snp()
        a, b = snp.asarray(A), snp.asarray(B)
        r = self(a.reshape(a.shape + (1,) * b.ndim), b, **kwargs)
        if r.ndim == 0:
            r._scalar = True
        return r

    def at(self, a, indices, b=None, /):
        """Unbuffered in place (repeated indices accumulate): computed with NumPy's ufunc.at on
        the values, then written back as a new version of a."""
        idx = _to_numpy(indices)
        args = () if b is None else (_to_numpy(b),)
        if isinstance(a, ndarray):
            x = _np.array(a)
            self._np.at(x, idx, *args)
            a[...] = x
            return None
        return self._np.at(a, idx, *args)

    def reduceat(self, array, indices, axis=0, dtype=None, out=None):
        return _call_numpy(f"numpy.{self.__name__}.reduceat", self._np.reduceat, (array, indices),
                           dict(axis=axis, dtype=dtype, out=out))


class _ufunc1(ufunc):
    def __call__(self, x, /, out=None, *, where=True, **kw):
        if out is None and where is True and not kw:
            return self._f(x)
        return self._general((x,), out, where, kw)


class _ufunc2(ufunc):
    def __call__(self, x1, x2, /, out=None, *, where=True, **kw):
        if out is None and where is True and not kw:
            return self._f(x1, x2)
        return self._general((x1, x2), out, where, kw)


def _along(ax, sl):
    return (slice(None),) * ax + (sl,)


def _fold(f, x, ax, identity, dtype):
    """Reduce axis ax by pairwise halving (lazy, log2(n) steps; for regroupable f only)."""
    snp = _snp()
    n = x.shape[ax]
    if n == 0:
        shape = x.shape[:ax] + x.shape[ax + 1:]
        return snp.full(shape, _np.asarray(identity).astype(dtype)[()], dtype)
    while n > 1:
        h = n // 2
        y = f(x[_along(ax, slice(0, h))], x[_along(ax, slice(h, 2 * h))])
        if n % 2:
            y = snp.concatenate([y, x[_along(ax, slice(2 * h, n))]], axis=ax)
        x, n = y, n - h
    return snp.squeeze(x, axis=ax)


def _nan_ignoring_extremum(x, is_max, axes, keepdims):
    """fmax/fmin.reduce of real values by starp's fixed-tree max/min reduction (one pass, not
    log2(n) folds): NaNs count as -inf (+inf for fmin), and a slice of NaNs only gives NaN."""
    snp = _snp()
    extremum = "max" if is_max else "min"
    if x.dtype.kind != "f":
        return getattr(x, extremum)(axis=axes, keepdims=keepdims)
    nan = snp.isnan(x)
    r = getattr(snp.where(nan, -_np.inf if is_max else _np.inf, x), extremum)(axis=axes, keepdims=keepdims)
    return snp.where(nan.all(axis=axes, keepdims=keepdims), _np.nan, r)


def _scan(f, x, ax):
    """Inclusive scan along ax by doubling (Hillis-Steele; lazy, log2(n) steps, regroupable f)."""
    snp = _snp()
    n = x.shape[ax]
    k = 1
    while k < n:
        x = snp.concatenate(
            [x[_along(ax, slice(0, k))], f(x[_along(ax, slice(k, n))], x[_along(ax, slice(0, n - k))])],
            axis=ax)
        k *= 2
    return x


def install_ufuncs(namespace):
    """Replace every elementwise function of `namespace` named like a NumPy ufunc (aliases keep
    sharing one object) by a starp ufunc object."""
    made = {}
    for name, f in list(namespace.items()):
        if name.startswith("_") or isinstance(f, ufunc) or not callable(f) or isinstance(f, type):
            continue
        npu = getattr(_np, name, None)
        if not isinstance(npu, _np.ufunc) or npu.signature is not None or npu.nout != 1 or npu.nin > 2:
            continue
        if not (getattr(f, "__module__", "") or "").startswith("starp"):
            continue
        if id(f) not in made:
            made[id(f)] = (_ufunc1 if npu.nin == 1 else _ufunc2)(f, npu)
        namespace[name] = made[id(f)]


# ---- __array_ufunc__ / __array_function__ ----
def _foreign(objs):
    for x in objs:
        if hasattr(x, "__array_ufunc__") and not isinstance(x, (ndarray, _np.ndarray, _np.generic)):
            return True
    return False


def array_ufunc(uf, method, inputs, kwargs):
    outs = kwargs.get("out", ())
    if _foreign(inputs) or _foreign(outs if isinstance(outs, tuple) else (outs,)):
        return NotImplemented
    snp = _snp()
    name = getattr(uf, "__name__", "?")
    sp = getattr(snp, name, None)
    if isinstance(sp, ufunc) and sp._np is uf:
        if method == "__call__":
            if len(inputs) != sp.nin:
                raise TypeError(f"{name}() takes from {sp.nin} to {sp.nargs} positional arguments but {len(inputs)} were given")
            return sp(*inputs, **kwargs)
        if method in ("reduce", "accumulate", "outer", "at", "reduceat"):
            return getattr(sp, method)(*inputs, **kwargs)
    elif method == "__call__" and not kwargs and callable(sp) and \
            (getattr(sp, "__module__", "") or "").startswith("starp"):
        return sp(*inputs)  # e.g. matmul
    label = f"numpy.{name}" if method == "__call__" else f"numpy.{name}.{method}"
    return _call_numpy(label, getattr(uf, method), inputs, kwargs)


_SUBMODULES = {"numpy": "", "numpy.linalg": "linalg", "numpy.fft": "fft", "numpy.lib.scimath": "emath"}


def array_function(func, types_, args, kwargs):
    for t in types_:
        if not issubclass(t, (ndarray, _np.ndarray)):
            return NotImplemented
    mod = getattr(func, "__module__", None)
    sub = _SUBMODULES.get(mod)
    name = getattr(func, "__name__", "?")
    if sub is not None:
        target = _snp()
        if sub:
            target = getattr(target, sub)
        sp = getattr(target, name, None)
        if sp is not None and sp is not func and (
                isinstance(sp, ufunc) or (getattr(sp, "__module__", "") or "").startswith("starp")):
            try:
                return sp(*args, **kwargs)
            except NotImplementedError:
                pass
    return _call_numpy(f"{mod}.{name}", getattr(func, "_implementation", func), args, kwargs)


def array_namespace(api_version=None):
    if api_version is not None and api_version not in ("2021.12", "2022.12", "2023.12", "2024.12"):
        raise ValueError(f"Unrecognized array API version: {api_version!r}")
    return _snp()


# ---- module surface ----
def _dt(x):
    if isinstance(x, ndarray):
        return x.dtype
    return x


def finfo(dtype):
    """NumPy's finfo (starp arrays and dtypes accepted)."""
    return _np.finfo(_dt(dtype))


def iinfo(int_type):
    """NumPy's iinfo (starp arrays and dtypes accepted)."""
    return _np.iinfo(_dt(int_type))


def result_type(*arrays_and_dtypes):
    """NumPy's result_type on the dtypes (a starp array counts by its dtype, as NumPy's do)."""
    return _np.result_type(*[_np.empty(0, x.dtype) if isinstance(x, ndarray) else x
                             for x in arrays_and_dtypes])


def can_cast(from_, to, casting="safe"):
    if isinstance(from_, ndarray):
        from_ = from_.dtype
    return _np.can_cast(from_, _dt(to), casting)


version = _types.ModuleType("starp.numpy.version", "The NumPy version whose semantics starp.numpy follows.")
version.version = version.full_version = version.__version__ = _np.__version__
version.short_version = _np.version.short_version
version.git_revision = _np.version.git_revision
version.release = _np.version.release


def _writer_sync(arrays):
    """Compute the arrays on every rank; True on the rank that writes (rank 0)."""
    arrays = [_np.asarray(a) for a in arrays]
    import starp

    return arrays, starp.current_session().rank == 0


def _barrier():
    import starp

    if starp.under_mpi():
        snp = _snp()
        float(snp.arange(starp.current_session().ranks * 2).sum())


def save(file, arr, allow_pickle=False, fix_imports=_NoValue):
    """Compute arr and write it as .npy with numpy.save (rank 0 writes)."""
    (x,), writer = _writer_sync([arr])
    if writer:
        _np.save(file, x, allow_pickle=allow_pickle)
    _barrier()


def _savez(fn, file, args, kwds):
    xs, writer = _writer_sync(list(args) + list(kwds.values()))
    if writer:
        fn(file, *xs[: len(args)], **dict(zip(kwds, xs[len(args):])))
    _barrier()


def savez(file, *args, **kwds):
    _savez(_np.savez, file, args, kwds)


def savez_compressed(file, *args, **kwds):
    _savez(_np.savez_compressed, file, args, kwds)


class NpzFile:
    """numpy.load's NpzFile whose arrays come out as starp arrays."""

    def __init__(self, z):
        self._z = z
        self.files = z.files

    def __getitem__(self, key):
        return _snp().asarray(self._z[key])

    def __contains__(self, key):
        return key in self._z

    def __iter__(self):
        return iter(self._z)

    def __len__(self):
        return len(self._z)

    def keys(self):
        return self._z.keys()

    def items(self):
        return [(k, self[k]) for k in self._z.keys()]

    def close(self):
        self._z.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def load(file, mmap_mode=None, allow_pickle=False, fix_imports=True, encoding="ASCII", *,
         max_header_size=None):
    """numpy.load; an array comes back as a starp array, an .npz as a mapping of starp arrays."""
    kw = {} if max_header_size is None else {"max_header_size": max_header_size}
    r = _np.load(file, mmap_mode=None, allow_pickle=allow_pickle, fix_imports=fix_imports,
                 encoding=encoding, **kw)
    if isinstance(r, _np.ndarray):
        return _snp().asarray(r)
    if isinstance(r, _np.lib.npyio.NpzFile):
        return NpzFile(r)
    return r
