"""``einsum`` (and ``dot``, ``vdot``, ``inner``, ``tensordot``, ``kron``, ``cross``) in terms of
starp's own operations.

The subscripts are parsed as NumPy parses them (explicit ``->`` and implicit output, ``...``
broadcasting, the interleaved ``einsum(a, [0, 1], b, [1, 2])`` form, NumPy's error messages);
then repeated labels in one operand become ``diagonal``, labels no other operand or the output
needs are summed away, and operands are contracted pairwise, left to right: a pairwise
contraction with free labels on both sides is one (batched) ``matmul`` of transposed and
reshaped operands, otherwise a broadcasting multiply and a sum, which fuse into one kernel.
Everything stays lazy. The result dtype is NumPy's einsum dtype (``result_type`` of the
operands, no promotion of small integers; bool contractions are OR of ANDs).
"""

import math
import operator

import numpy as _np
from starp.numpy._array import namespace as _snp

__all__ = ["einsum", "dot", "vdot", "inner", "tensordot", "kron", "cross"]

_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"



def _parse_term(term, i):
    """'ab...c' -> (['a', 'b', Ellipsis, 'c'] ...) with NumPy's errors."""
    out = []
    k = 0
    while k < len(term):
        ch = term[k]
        if ch == ".":
            if term[k:k + 3] != "..." or Ellipsis in out:
                raise ValueError(
                    "einstein sum subscripts string contains a '.' that is not part of an ellipsis ('...') "
                    f"in {'the output' if i is None else f'operand {i}'}"
                )
            out.append(Ellipsis)
            k += 3
            continue
        if ch == " ":
            k += 1
            continue
        if ch not in _LETTERS:
            raise ValueError(f"invalid subscript '{ch}' in einstein sum subscripts string, subscripts must be letters")
        out.append(ch)
        k += 1
    return out


def _from_sublist(sub):
    out = []
    for s in sub:
        if s is Ellipsis:
            out.append(Ellipsis)
            continue
        s = operator.index(s)
        if not 0 <= s < 52:
            raise ValueError("subscript is not within the valid range [0, 52)")
        out.append(_LETTERS[s])
    return out


def _parse(args):
    """-> (terms: list of label lists, output: label list or None, operands)."""
    if not args:
        raise TypeError("einsum() missing required argument 'subscripts' (pos 1)")
    if isinstance(args[0], str):
        sub = args[0]
        ops = list(args[1:])
        lhs, arrow, rhs = sub.partition("->")
        if "-" in lhs or ">" in lhs:
            raise ValueError("einstein sum subscript string does not contain proper '->' output specified")
        for ch in "->":
            if ch in rhs:
                raise ValueError(f"invalid subscript '{ch}' in einstein sum subscripts string, subscripts must be letters")
        if not arrow:
            rhs = None
        terms = lhs.split(",")
        if len(terms) < len(ops):
            raise ValueError("fewer operands provided to einstein sum function than specified in the subscripts string")
        if len(terms) > len(ops):
            raise ValueError("more operands provided to einstein sum function than specified in the subscripts string")
        terms = [_parse_term(t, i) for i, t in enumerate(terms)]
        out = None if rhs is None else _parse_term(rhs, None)
        return terms, out, ops
    # interleaved: op0, sub0, op1, sub1, ..., [out]
    args = list(args)
    ops, terms = args[0::2], args[1::2]
    out = None
    if len(ops) > len(terms):
        out = _from_sublist(ops.pop())
    return [_from_sublist(t) for t in terms], out, ops


def _reduce(x, axes, dtype):
    if not axes:
        return x
    axes = tuple(axes)
    if dtype == _np.bool_:
        return x.any(axis=axes)
    return x.sum(axis=axes, dtype=dtype)


def _sum_out(x, labels, drop, dtype):
    axes = [i for i, lab in enumerate(labels) if lab in drop]
    return _reduce(x, axes, dtype), [lab for lab in labels if lab not in drop]


def _aligned(x, labels, order):
    """x (with `labels`) transposed to `order`, size-1 axes for labels it lacks."""
    have = [lab for lab in order if lab in labels]
    x = x.transpose([labels.index(lab) for lab in have])
    if len(have) != len(order):
        x = x.reshape([x.shape[have.index(lab)] if lab in have else 1 for lab in order])
    return x


def _prod(xs):
    return int(math.prod(xs))


def _contract(a, la, b, lb, keep, dtype):
    """Contract two labelled operands, keeping the labels in `keep` (a set)."""
    # labels of size 1 on one side and n on the other that are summed: the size-1 side just drops
    # the axis (sum over one element), the other side sums it out on its own below
    for lab in [lab for lab in la if lab in lb and lab not in keep]:
        na, nb = a.shape[la.index(lab)], b.shape[lb.index(lab)]
        if na != nb:
            if na == 1:
                a, la = _sum_out(a, la, {lab}, dtype)
            else:
                b, lb = _sum_out(b, lb, {lab}, dtype)
    a, la = _sum_out(a, la, {lab for lab in la if lab not in lb and lab not in keep}, dtype)
    b, lb = _sum_out(b, lb, {lab for lab in lb if lab not in la and lab not in keep}, dtype)
    batch = [lab for lab in la if lab in lb and lab in keep]
    summed = [lab for lab in la if lab in lb and lab not in keep]
    afree = [lab for lab in la if lab not in lb]
    bfree = [lab for lab in lb if lab not in la]
    if summed and afree and bfree and dtype != _np.bool_:
        # one (batched) matmul: (batch..., M, C) @ (batch..., C, N)
        at = a.transpose([la.index(lab) for lab in batch + afree + summed])
        bt = b.transpose([lb.index(lab) for lab in batch + summed + bfree])
        nb = len(batch)
        asz = [at.shape[nb + i] for i in range(len(afree))]
        bsz = [bt.shape[nb + len(summed) + i] for i in range(len(bfree))]
        c = _prod(at.shape[nb + len(afree):])
        at = at.reshape(list(at.shape[:nb]) + [_prod(asz), c])
        bt = bt.reshape(list(bt.shape[:nb]) + [c, _prod(bsz)])
        r = at @ bt
        r = r.reshape(list(r.shape[:nb]) + asz + bsz)
        return r, batch + afree + bfree
    order = batch + afree + bfree + summed
    r = _aligned(a, la, order) * _aligned(b, lb, order)
    n = len(order) - len(summed)
    return _reduce(r, list(range(n, len(order))), dtype), order[:n]


def einsum(*operands, out=None, dtype=None, order="K", casting="safe", optimize=False):
    """NumPy's einsum: contractions left to right (``optimize`` is accepted and ignored)."""
    snp = _snp()
    if out is not None:
        raise NotImplementedError("starp does not support out= yet")
    terms, output, ops = _parse(operands)
    ops = [snp.asarray(o) for o in ops]
    if dtype is not None:
        ops = [o.astype(dtype) for o in ops]
    res_dtype = _np.result_type(*[o.dtype for o in ops])

    # expand each term to one label per axis; ellipsis axes get labels 0..m-1 (right aligned)
    n_ell = 0
    labels = []
    for i, (t, o) in enumerate(zip(terms, ops)):
        named = [lab for lab in t if lab is not Ellipsis]
        if Ellipsis in t:
            k = o.ndim - len(named)
            if k < 0:
                raise ValueError(f"einstein sum subscripts string contains too many subscripts for operand {i}")
            n_ell = max(n_ell, k)
        elif len(named) != o.ndim:
            if len(named) > o.ndim:
                raise ValueError(f"einstein sum subscripts string contains too many subscripts for operand {i}")
            raise ValueError(
                "operand has more dimensions than subscripts given in einstein sum, but no '...' ellipsis "
                "provided to broadcast the extra dimensions."
            )
    for t, o in zip(terms, ops):
        if Ellipsis in t:
            e = t.index(Ellipsis)
            k = o.ndim - (len(t) - 1)
            labels.append(t[:e] + list(range(n_ell - k, n_ell)) + t[e + 1:])
        else:
            labels.append(list(t))

    counts = {}
    for lab in (lab for ls in labels for lab in ls):
        counts[lab] = counts.get(lab, 0) + 1
    if output is None:
        output = list(range(n_ell)) + sorted(lab for lab, c in counts.items() if isinstance(lab, str) and c == 1)
    else:
        seen = set()
        for lab in output:
            if lab is not Ellipsis and lab in seen:
                raise ValueError(f"einstein sum subscripts string includes output subscript '{lab}' multiple times")
            seen.add(lab)
            if lab is not Ellipsis and lab not in counts:
                raise ValueError(
                    f"einstein sum subscripts string included output subscript '{lab}' which never appeared in an input"
                )
        if Ellipsis in output:
            e = output.index(Ellipsis)
            output = output[:e] + list(range(n_ell)) + output[e + 1:]
        elif n_ell:
            raise ValueError(
                "output has more dimensions than subscripts given in einstein sum, but no '...' ellipsis "
                "provided to broadcast the extra dimensions."
            )

    # sizes: equal, or 1 (broadcast)
    sizes = {}
    for o, ls in zip(ops, labels):
        for lab, n in zip(ls, o.shape):
            m = sizes.get(lab, 1)
            if n != 1 and m != 1 and n != m:
                shapes = " ".join(f"({','.join(map(str, x.shape))})" for x in ops)
                raise ValueError(
                    "operands could not be broadcast together with remapped shapes [original->remapped]: " + shapes
                )
            sizes[lab] = n if m == 1 else m

    # repeated labels within an operand: take the diagonal
    for i, (o, ls) in enumerate(zip(ops, labels)):
        while len(set(ls)) != len(ls):
            lab = next(lab for lab in ls if ls.count(lab) > 1)
            p = ls.index(lab)
            q = ls.index(lab, p + 1)
            if o.shape[p] != o.shape[q]:
                name = lab if isinstance(lab, str) else "..."
                raise ValueError(
                    f"dimensions in operand {i} for collapsing index '{name}' don't match ({o.shape[p]} != {o.shape[q]})"
                )
            o = snp.diagonal(o, 0, p, q)
            ls = [x for j, x in enumerate(ls) if j not in (p, q)] + [lab]
        ops[i], labels[i] = o, ls

    out_set = set(output)
    r, lr = ops[0], labels[0]
    for j in range(1, len(ops)):
        keep = out_set.union(*[set(ls) for ls in labels[j + 1:]])
        r, lr = _contract(r, lr, ops[j], labels[j], keep, res_dtype)
    r, lr = _sum_out(r, lr, {lab for lab in lr if lab not in out_set}, res_dtype)
    # a label of size 1 here may be wider in the output (broadcast against a summed operand)
    r = r.transpose([lr.index(lab) for lab in output])
    if tuple(r.shape) != tuple(sizes[lab] for lab in output):
        r = snp.broadcast_to(r, [sizes[lab] for lab in output])
    if r.dtype != res_dtype:
        r = r.astype(res_dtype)
    return r


# ---- dot and friends (the contractions NumPy programs write without einsum) ----
def tensordot(a, b, axes=2):
    snp = _snp()
    a, b = snp.asarray(a), snp.asarray(b)
    try:
        iter(axes)
    except TypeError:
        n = operator.index(axes)
        axes_a = list(range(a.ndim - n, a.ndim))
        axes_b = list(range(n))
    else:
        axes_a, axes_b = axes
        axes_a = [axes_a] if isinstance(axes_a, int) else list(axes_a)
        axes_b = [axes_b] if isinstance(axes_b, int) else list(axes_b)
    if len(axes_a) != len(axes_b):
        raise ValueError("shape-mismatch for sum")
    axes_a = [x % a.ndim if a.ndim else x for x in axes_a]
    axes_b = [x % b.ndim if b.ndim else x for x in axes_b]
    for x, y in zip(axes_a, axes_b):
        if x >= a.ndim or y >= b.ndim or a.shape[x] != b.shape[y]:
            raise ValueError("shape-mismatch for sum")
    la = [_LETTERS[i] for i in range(a.ndim)]
    lb = [_LETTERS[26 + i] for i in range(b.ndim)]
    for x, y in zip(axes_a, axes_b):
        lb[y] = la[x]
    out = [lab for i, lab in enumerate(la) if i not in axes_a] + [lab for i, lab in enumerate(lb) if i not in axes_b]
    return einsum("".join(la) + "," + "".join(lb) + "->" + "".join(out), a, b)


def dot(a, b, out=None):
    snp = _snp()
    if out is not None:
        raise NotImplementedError("starp does not support out= yet")
    a, b = snp.asarray(a), snp.asarray(b)
    if a.ndim == 0 or b.ndim == 0:
        return snp.multiply(a, b)
    if a.shape[-1] != b.shape[-2 if b.ndim >= 2 else 0]:
        raise ValueError(
            f"shapes {a.shape} and {b.shape} not aligned: {a.shape[-1]} (dim {a.ndim - 1}) != "
            f"{b.shape[-2 if b.ndim >= 2 else 0]} (dim {max(b.ndim - 2, 0)})"
        )
    if b.ndim <= 2:
        return a @ b
    return tensordot(a, b, axes=([a.ndim - 1], [b.ndim - 2]))


def vdot(a, b):
    snp = _snp()
    a, b = snp.asarray(a).ravel(), snp.asarray(b).ravel()
    if a.shape != b.shape:
        raise ValueError("cannot reshape array: vdot needs inputs of the same size")
    if a.dtype.kind == "c":
        a = a.conj()
    return einsum("i,i", a, b)


def inner(a, b):
    snp = _snp()
    a, b = snp.asarray(a), snp.asarray(b)
    if a.ndim == 0 or b.ndim == 0:
        return snp.multiply(a, b)
    if a.shape[-1] != b.shape[-1]:
        raise ValueError(
            f"shapes {a.shape} and {b.shape} not aligned: {a.shape[-1]} (dim {a.ndim - 1}) != "
            f"{b.shape[-1]} (dim {b.ndim - 1})"
        )
    return tensordot(a, b, axes=([a.ndim - 1], [b.ndim - 1]))


# ---- kron and cross (NumPy's code over starp's broadcasting multiplies) ----
def kron(a, b):
    """Kronecker product: a's and b's axes interleaved by a broadcasting multiply, then merged;
    the operand with fewer axes gets leading 1s (NumPy's array(a, ndmin=b.ndim))."""
    snp = _snp()
    b = snp.asarray(b)
    a = snp.asarray(a)
    if a.ndim < b.ndim:
        a = a.reshape((1,) * (b.ndim - a.ndim) + tuple(a.shape))
    ndb, nda = b.ndim, a.ndim
    if nda == 0 or ndb == 0:
        return snp.multiply(a, b)
    as_ = (1,) * max(0, ndb - nda) + tuple(a.shape)
    bs = (1,) * max(0, nda - ndb) + tuple(b.shape)
    # (a0, 1, a1, 1, ...) * (1, b0, 1, b1, ...) -> (a0*b0, a1*b1, ...)
    a_arr = a.reshape(sum(((n, 1) for n in as_), ()))
    b_arr = b.reshape(sum(((1, n) for n in bs), ()))
    result = snp.multiply(a_arr, b_arr)
    return result.reshape(tuple(x * y for x, y in zip(as_, bs)))


def cross(a, b, axisa=-1, axisb=-1, axisc=-1, axis=None):
    """NumPy's cross: 3-vectors (or 2-vectors, deprecated, taken as z = 0) along axisa/axisb,
    broadcast over the other axes, computed in promote_types(a.dtype, b.dtype) with NumPy's
    products and differences; the 3-vector result along axisc, a 2x2 cross gives the z only."""
    import warnings

    from numpy.lib.array_utils import normalize_axis_index

    snp = _snp()
    if axis is not None:
        axisa, axisb, axisc = (axis,) * 3
    a = snp.asarray(a)
    b = snp.asarray(b)
    if a.ndim < 1 or b.ndim < 1:
        raise ValueError("At least one array has zero dimension")
    axisa = normalize_axis_index(axisa, a.ndim, msg_prefix="axisa")
    axisb = normalize_axis_index(axisb, b.ndim, msg_prefix="axisb")
    a = snp.moveaxis(a, axisa, -1)
    b = snp.moveaxis(b, axisb, -1)
    if a.shape[-1] not in (2, 3) or b.shape[-1] not in (2, 3):
        raise ValueError("incompatible dimensions for cross product\n(dimension must be 2 or 3)")
    if a.shape[-1] == 2 or b.shape[-1] == 2:
        warnings.warn(
            "Arrays of 2-dimensional vectors are deprecated. Use arrays of 3-dimensional vectors instead. "
            "(deprecated in NumPy 2.0)",
            DeprecationWarning,
            stacklevel=2,
        )
    shape = _np.broadcast_shapes(a.shape[:-1], b.shape[:-1])
    if a.shape[-1] == 3 or b.shape[-1] == 3:
        shape += (3,)
        axisc = normalize_axis_index(axisc, len(shape), msg_prefix="axisc")
    dtype = _np.promote_types(a.dtype, b.dtype)
    a = a.astype(dtype)
    b = b.astype(dtype)
    a0, a1 = a[..., 0], a[..., 1]
    b0, b1 = b[..., 0], b[..., 1]
    a2 = a[..., 2] if a.shape[-1] == 3 else None
    b2 = b[..., 2] if b.shape[-1] == 3 else None

    # every component below is a product of an `a` and a `b` component, so it already has the
    # broadcast shape and dtype NumPy's out= arrays have
    if a.shape[-1] == 2:
        if b.shape[-1] == 2:
            return a0 * b1 - a1 * b0
        cp0 = a1 * b2
        cp1 = snp.negative(a0 * b2)
        cp2 = a0 * b1 - a1 * b0
    elif b.shape[-1] == 3:
        cp0 = a1 * b2 - a2 * b1
        cp1 = a2 * b0 - a0 * b2
        cp2 = a0 * b1 - a1 * b0
    else:
        cp0 = snp.negative(a2 * b1)
        cp1 = a2 * b0
        cp2 = a0 * b1 - a1 * b0
    cp = snp.stack([cp0, cp1, cp2], axis=-1)
    return snp.moveaxis(cp, -1, axisc)
