//! Boolean-mask and integer-array ("fancy") indexing, `nonzero`/`argwhere`, `put` and
//! `take_along_axis`, with NumPy's rules and messages.
//!
//! The index arrays are data, and NumPy raises out-of-bounds and mask-shape errors at the call,
//! so they are computed now (a sync point, as DESIGN.md allows for data-dependent operations)
//! and turned into the flat offset, in the indexed array's base, of every selected element.
//! The selection itself stays lazy: a `HostOp::Take` (read) or `HostOp::Put` (write, in order:
//! the last of repeated indices wins) node over the base's current version, of known shape.
//! These host ops run on replicated copies (not distributed yet).
//!
//! `a[mask] = scalar` with a mask of `a`'s shape (or a prefix of it) needs no sync: it is a
//! `where` written back, distributed like any elementwise op.

use super::{Operand, PyScalar};
use crate::session::{Arr, Session};
use ir::error::fmt_shape;
use ir::shape::{broadcast_shapes, broadcasts_to, normalize_axis, numel, row_major_strides};
use ir::view::{slice_indices, IndexItem, ViewSpec};
use ir::{BaseId, DType, HostOp, Node, NodeId, Op, Result};

/// One item of an index as Python passes it.
#[derive(Clone, Debug)]
pub enum Sel {
    Basic(IndexItem),
    Array(Arr),
}

/// One axis-level item once masks and ellipses are expanded and index arrays fetched.
enum Ax {
    /// A slice of axis `axis`.
    Slice { axis: usize, start: i64, step: i64, len: usize },
    NewAxis,
    /// An index array (normalized, non-negative) on `axis`; `None` for a 0-d boolean (a new
    /// axis of length 0 or 1 that selects nothing).
    Adv { axis: Option<usize>, vals: Vec<i64>, shape: Vec<usize> },
}

/// What an advanced index selects: the result's shape and each element's offset in the base.
pub struct Selection {
    pub shape: Vec<usize>,
    pub offsets: Vec<i64>,
    /// The number of selected elements when the index is one boolean mask of `a`'s shape.
    pub mask_count: Option<usize>,
}

/// Bytes of an integer array as i64 (uint64 beyond i64::MAX saturates: out of bounds anyway).
fn ints_of(dtype: DType, bytes: &[u8]) -> Result<Vec<i64>> {
    use crate::host::sort::bytes_as;
    Ok(match dtype {
        DType::I8 => bytes_as::<i8>(bytes).into_iter().map(i64::from).collect(),
        DType::I16 => bytes_as::<i16>(bytes).into_iter().map(i64::from).collect(),
        DType::I32 => bytes_as::<i32>(bytes).into_iter().map(i64::from).collect(),
        DType::I64 => bytes_as::<i64>(bytes),
        DType::U8 => bytes_as::<u8>(bytes).into_iter().map(i64::from).collect(),
        DType::U16 => bytes_as::<u16>(bytes).into_iter().map(i64::from).collect(),
        DType::U32 => bytes_as::<u32>(bytes).into_iter().map(i64::from).collect(),
        DType::U64 => bytes_as::<u64>(bytes).into_iter().map(|v| v.min(i64::MAX as u64) as i64).collect(),
        _ => ir::bail!(Index, "arrays used as indices must be of integer (or boolean) type"),
    })
}

fn i64_bytes(v: &[i64]) -> Vec<u8> {
    v.iter().flat_map(|x| x.to_ne_bytes()).collect()
}

/// Row-major multi-indices of the nonzero entries of a `shape` mask, one vector per axis.
fn nonzero_coords(mask: &[u8], shape: &[usize]) -> Vec<Vec<i64>> {
    let nd = shape.len();
    let strides = row_major_strides(shape);
    let mut out = vec![Vec::new(); nd];
    for (flat, &m) in mask.iter().enumerate() {
        if m != 0 {
            let mut r = flat as i64;
            for d in 0..nd {
                let s = strides[d].max(1);
                out[d].push(r / s);
                r %= s;
            }
        }
    }
    out
}

fn check_bounds(vals: &mut [i64], axis: usize, n: usize) -> Result<()> {
    let n = n as i64;
    for v in vals.iter_mut() {
        let j = if *v < 0 { *v + n } else { *v };
        ir::ensure!((0..n).contains(&j), Index, "index {v} is out of bounds for axis {axis} with size {n}");
        *v = j;
    }
    Ok(())
}

/// The offsets of a resolved index over `view`.
fn plan(view: &ViewSpec, axes: Vec<Ax>) -> Result<(Vec<usize>, Vec<i64>)> {
    let adv: Vec<usize> = axes.iter().enumerate().filter(|(_, a)| matches!(a, Ax::Adv { .. })).map(|(i, _)| i).collect();
    let mut bshape: Vec<usize> = vec![];
    for &i in &adv {
        if let Ax::Adv { shape, .. } = &axes[i] {
            bshape = broadcast_shapes(&bshape, shape).map_err(|_| {
                let all: Vec<String> = adv
                    .iter()
                    .filter_map(|&k| match &axes[k] {
                        Ax::Adv { shape, axis: Some(_), .. } => Some(fmt_shape(shape) + " "),
                        _ => None,
                    })
                    .collect();
                ir::Error::Index(format!("shape mismatch: indexing arrays could not be broadcast together with shapes {}", all.join("")))
            })?;
        }
    }
    // The broadcast block's offset contributions.
    let bn = numel(&bshape);
    let mut table = vec![0i64; bn];
    for &i in &adv {
        if let Ax::Adv { axis: Some(k), vals, shape } = &axes[i] {
            let stride = view.strides[*k];
            for (t, f) in table.iter_mut().zip(ir::shape::broadcast_source_indices(shape, &bshape)) {
                *t += vals[f] * stride;
            }
        }
    }
    let adjacent = adv.is_empty() || adv[adv.len() - 1] - adv[0] + 1 == adv.len();
    // Output dims: (len, stride) or the table (stride None).
    let mut dims: Vec<(usize, Option<i64>)> = Vec::new();
    let mut shape = Vec::new();
    let mut base = view.offset;
    if !adjacent {
        dims.push((bn, None));
        shape.extend(&bshape);
    }
    for (i, a) in axes.iter().enumerate() {
        match a {
            Ax::Slice { axis, start, step, len } => {
                if *len > 0 {
                    base += start * view.strides[*axis];
                }
                dims.push((*len, Some(step * view.strides[*axis])));
                shape.push(*len);
            }
            Ax::NewAxis => {
                dims.push((1, Some(0)));
                shape.push(1);
            }
            Ax::Adv { .. } => {
                if adjacent && i == adv[0] {
                    dims.push((bn, None));
                    shape.extend(&bshape);
                }
            }
        }
    }
    let total = numel(&shape);
    let mut offsets = Vec::new();
    offsets.try_reserve_exact(total).map_err(|_| ir::Error::Memory(format!("cannot allocate the offsets of {total} selected elements")))?;
    if total > 0 {
        let mut idx = vec![0usize; dims.len()];
        loop {
            let mut o = base;
            for (&(_, s), &i) in dims.iter().zip(&idx) {
                o += match s {
                    Some(s) => i as i64 * s,
                    None => table[i],
                };
            }
            offsets.push(o);
            let mut k = dims.len();
            loop {
                if k == 0 {
                    return Ok((shape, offsets));
                }
                k -= 1;
                idx[k] += 1;
                if idx[k] < dims[k].0 {
                    break;
                }
                idx[k] = 0;
            }
        }
    }
    Ok((shape, offsets))
}

impl Session {
    /// The bytes of `a` now (a sync point): materialized, gathered, on every rank.
    pub(crate) fn fetch_arr(&mut self, a: &Arr) -> Result<Vec<u8>> {
        let n = self.read(a);
        self.fetch_node(n)
    }

    /// `a != 0` of `a` now, one byte per element (row-major).
    pub(crate) fn fetch_truth(&mut self, a: &Arr) -> Result<Vec<u8>> {
        if a.dtype == DType::Bool {
            return self.fetch_arr(a);
        }
        let ne = self.binary(ir::op::BinaryOp::Ne, &Operand::Array(a.clone()), &Operand::Py(PyScalar::Int(0)))?;
        let r = self.fetch_arr(&ne);
        self.drop_bases([ne.base]);
        r
    }

    /// A new int64 array from host values (replicated computation: every rank has them).
    pub(crate) fn i64_array(&mut self, v: &[i64], shape: &[usize]) -> Result<Arr> {
        self.from_host(DType::I64, shape, &i64_bytes(v))
    }

    /// Resolves an advanced index of `a` (computing its index arrays now).
    pub fn select(&mut self, a: &Arr, items: &[Sel]) -> Result<Selection> {
        let shape = a.shape().to_vec();
        let nd = shape.len();
        let mut consumed = 0;
        let mut ellipses = 0;
        for it in items {
            match it {
                Sel::Basic(IndexItem::Int(_) | IndexItem::Slice(..)) => consumed += 1,
                Sel::Basic(IndexItem::Ellipsis) => ellipses += 1,
                Sel::Basic(IndexItem::NewAxis) => {}
                Sel::Array(x) if x.dtype == DType::Bool => consumed += x.shape().len(),
                Sel::Array(x) => {
                    ir::ensure!(x.dtype.is_integer(), Index, "arrays used as indices must be of integer (or boolean) type");
                    consumed += 1;
                }
            }
        }
        ir::ensure!(ellipses <= 1, Index, "an index can only have a single ellipsis ('...')");
        ir::ensure!(consumed <= nd, Index, "too many indices for array: array is {nd}-dimensional, but {consumed} were indexed");
        let masks: Vec<&Arr> = items.iter().filter_map(|i| if let Sel::Array(x) = i { Some(x) } else { None }).collect();
        let single_mask = masks.len() == 1 && masks[0].dtype == DType::Bool && masks[0].shape() == &shape[..] && nd > 0;
        let mut axes = Vec::new();
        let mut k = 0usize;
        let full = |k: usize| Ax::Slice { axis: k, start: 0, step: 1, len: shape[k] };
        let mut count = 0;
        for it in items {
            match it {
                Sel::Basic(IndexItem::Ellipsis) => {
                    for _ in 0..nd - consumed {
                        axes.push(full(k));
                        k += 1;
                    }
                }
                Sel::Basic(IndexItem::NewAxis) => axes.push(Ax::NewAxis),
                Sel::Basic(IndexItem::Int(i)) => {
                    let mut v = vec![*i];
                    check_bounds(&mut v, k, shape[k])?;
                    axes.push(Ax::Adv { axis: Some(k), vals: v, shape: vec![] });
                    k += 1;
                }
                Sel::Basic(IndexItem::Slice(s, e, st)) => {
                    let (start, len, step) = slice_indices(*s, *e, *st, shape[k] as i64)?;
                    axes.push(Ax::Slice { axis: k, start, step, len: len as usize });
                    k += 1;
                }
                Sel::Array(x) if x.dtype == DType::Bool => {
                    let bs = x.shape().to_vec();
                    for (j, &b) in bs.iter().enumerate() {
                        ir::ensure!(
                            b == shape[k + j],
                            Index,
                            "boolean index did not match indexed array along axis {}; size of axis is {} but size of corresponding boolean axis is {b}",
                            k + j,
                            shape[k + j]
                        );
                    }
                    let m = self.fetch_arr(x)?;
                    if bs.is_empty() {
                        let c = usize::from(m[0] != 0);
                        axes.push(Ax::Adv { axis: None, vals: vec![0; c], shape: vec![c] });
                        continue;
                    }
                    let coords = nonzero_coords(&m, &bs);
                    count = coords[0].len();
                    for (j, c) in coords.into_iter().enumerate() {
                        let n = c.len();
                        axes.push(Ax::Adv { axis: Some(k + j), vals: c, shape: vec![n] });
                    }
                    k += bs.len();
                }
                Sel::Array(x) => {
                    let bytes = self.fetch_arr(x)?;
                    let mut v = ints_of(x.dtype, &bytes)?;
                    check_bounds(&mut v, k, shape[k])?;
                    axes.push(Ax::Adv { axis: Some(k), vals: v, shape: x.shape().to_vec() });
                    k += 1;
                }
            }
        }
        while k < nd {
            axes.push(full(k));
            k += 1;
        }
        let (shape, offsets) = plan(&a.view, axes)?;
        Ok(Selection { shape, offsets, mask_count: single_mask.then_some(count) })
    }

    /// A lazy gather of `offsets` from `a`'s base.
    fn take_offsets(&mut self, a: &Arr, shape: &[usize], offsets: &[i64]) -> Result<Arr> {
        if offsets.is_empty() {
            let z = self.fill_node(shape, ir::Scalar::Int(0), a.dtype);
            return self.new_array(z);
        }
        let idx = self.i64_array(offsets, &[offsets.len()])?;
        let inode = self.graph.base(idx.base).version;
        let base = self.graph.base(a.base).version;
        let t = self.host_node(HostOp::Take, vec![base, inode], shape.to_vec(), a.dtype);
        let r = self.new_array(t);
        self.drop_bases([idx.base]);
        r
    }

    /// `a[items]` with at least one index array.
    pub fn getitem_adv(&mut self, a: &Arr, items: &[Sel]) -> Result<Arr> {
        let s = self.select(a, items)?;
        self.take_offsets(a, &s.shape, &s.offsets)
    }

    /// Writes `value` (cast to `a`'s dtype) at `offsets` of `a`'s base, in order; `values`
    /// is a node of `numel(shape)` elements (or cycled when shorter, as `put` does).
    fn put_offsets(&mut self, a: &Arr, offsets: &[i64], values: NodeId) -> Result<()> {
        if offsets.is_empty() {
            return Ok(());
        }
        let idx = self.i64_array(offsets, &[offsets.len()])?;
        let inode = self.graph.base(idx.base).version;
        let base = self.graph.base(a.base).version;
        let bshape = self.graph.node(base).shape.clone();
        let w = self.graph.add(Node { op: Op::Host(HostOp::Put), inputs: vec![base, inode, values], shape: bshape, dtype: a.dtype });
        let r = self.set_version(a, w);
        self.drop_bases([idx.base]);
        r
    }

    fn check_value(&self, a: &Arr, value: &Operand) -> Result<()> {
        ir::ensure!(!a.view.readonly, Value, "assignment destination is read-only");
        if let Operand::Py(PyScalar::Float(f)) = value {
            ir::ensure!(!(f.is_nan() && a.dtype.is_integer()), Value, "cannot convert float NaN to integer");
        }
        Ok(())
    }

    /// `value` as a node of `a`'s dtype broadcast to `shape`.
    fn broadcast_value(&mut self, value: &Operand, dtype: DType, shape: &[usize]) -> Result<NodeId> {
        let v = self.operand_node(value, dtype)?;
        let vs = self.graph.node(v).shape.clone();
        if vs == shape {
            return Ok(v);
        }
        let rs = row_major_strides(&vs);
        let off = shape.len() as i64 - vs.len() as i64;
        let strides: Vec<i64> = (0..shape.len())
            .map(|i| {
                let j = i as i64 - off;
                if j >= 0 && vs[j as usize] != 1 { rs[j as usize] } else { 0 }
            })
            .collect();
        let spec = ViewSpec { offset: 0, shape: shape.to_vec(), strides, readonly: false };
        Ok(self.graph.add(Node { op: Op::View(spec), inputs: vec![v], shape: shape.to_vec(), dtype }))
    }

    /// `a[items] = value` with at least one index array.
    pub fn setitem_adv(&mut self, a: &Arr, items: &[Sel], value: &Operand) -> Result<()> {
        self.check_value(a, value)?;
        let vshape = value.shape();
        // A mask of a's shape (or a prefix of it) and one value: `where`, no sync.
        if let [Sel::Array(m)] = items {
            let ms = m.shape();
            let nd = a.shape().len();
            if m.dtype == DType::Bool && !ms.is_empty() && ms.len() <= nd && ms == &a.shape()[..ms.len()] && vshape.is_empty() {
                return self.mask_fill(a, m, value);
            }
        }
        let s = self.select(a, items)?;
        if !broadcasts_to(&vshape, &s.shape) {
            if let (Some(c), 1) = (s.mask_count, vshape.len()) {
                ir::bail!(
                    Value,
                    "NumPy boolean array indexing assignment cannot assign {} input values to the {c} output values where the mask is true",
                    vshape[0]
                );
            }
            ir::bail!(
                Value,
                "shape mismatch: value array of shape {} could not be broadcast to indexing result of shape {}",
                fmt_shape(&vshape),
                fmt_shape(&s.shape)
            );
        }
        if s.offsets.is_empty() {
            return Ok(());
        }
        let v = self.broadcast_value(value, a.dtype, &s.shape)?;
        self.put_offsets(a, &s.offsets, v)
    }

    /// `a[mask] = value` for a single value: `a = where(mask, value, a)`.
    fn mask_fill(&mut self, a: &Arr, m: &Arr, value: &Operand) -> Result<()> {
        let nd = a.shape().len();
        let mut tmp: Vec<BaseId> = Vec::new();
        let r = (|| {
            let cond = if m.shape().len() < nd {
                let mut s: Vec<i64> = m.shape().iter().map(|&d| d as i64).collect();
                s.resize(nd, 1);
                let c = self.reshape(m, &s)?;
                tmp.push(c.base);
                c
            } else {
                m.clone()
            };
            let v = match value {
                Operand::Py(p) => Operand::Np(p.to_dtype(a.dtype)?, a.dtype),
                Operand::Np(s, _) => Operand::Np(s.cast(a.dtype), a.dtype),
                Operand::Array(x) => {
                    let c = self.astype(x, a.dtype)?;
                    tmp.push(c.base);
                    Operand::Array(c)
                }
            };
            let w = self.where_(&Operand::Array(cond), &v, &Operand::Array(a.clone()))?;
            tmp.push(w.base);
            self.assign(a, &Operand::Array(w))
        })();
        self.drop_bases(tmp);
        r
    }

    /// `np.nonzero(a)`: one int64 array per axis (a sync point).
    pub fn nonzero(&mut self, a: &Arr) -> Result<Vec<Arr>> {
        ir::ensure!(
            !a.shape().is_empty(),
            Value,
            "Calling nonzero on 0d arrays is not allowed. Use np.atleast_1d(scalar).nonzero() instead."
        );
        let m = self.fetch_truth(a)?;
        let coords = nonzero_coords(&m, a.shape());
        let mut out = Vec::new();
        for c in coords {
            match self.i64_array(&c, &[c.len()]) {
                Ok(x) => out.push(x),
                Err(e) => {
                    self.drop_bases(out.iter().map(|x: &Arr| x.base));
                    return Err(e);
                }
            }
        }
        Ok(out)
    }

    /// `np.argwhere(a)`: (count, ndim) int64 (a sync point); a 0-d `a` gives (0 or 1, 0).
    pub fn argwhere(&mut self, a: &Arr) -> Result<Arr> {
        let m = self.fetch_truth(a)?;
        let shape = a.shape().to_vec();
        if shape.is_empty() {
            return self.i64_array(&[], &[usize::from(m[0] != 0), 0]);
        }
        let coords = nonzero_coords(&m, &shape);
        let (n, nd) = (coords[0].len(), shape.len());
        let mut flat = vec![0i64; n * nd];
        for (d, c) in coords.iter().enumerate() {
            for (i, &v) in c.iter().enumerate() {
                flat[i * nd + d] = v;
            }
        }
        self.i64_array(&flat, &[n, nd])
    }

    /// The base offset of every element of `a`'s view, row-major.
    fn view_offsets(a: &Arr) -> Vec<i64> {
        let v = &a.view;
        let total = numel(&v.shape);
        let mut out = Vec::with_capacity(total);
        let mut idx = vec![0usize; v.shape.len()];
        for _ in 0..total {
            out.push(v.offset + idx.iter().zip(&v.strides).map(|(&i, &s)| i as i64 * s).sum::<i64>());
            for k in (0..idx.len()).rev() {
                idx[k] += 1;
                if idx[k] < v.shape[k] {
                    break;
                }
                idx[k] = 0;
            }
        }
        out
    }

    /// `np.put(a, ind, v)` (mode 'raise'): `a.flat[ind] = v`, `v` cycled, the last write wins.
    pub fn put(&mut self, a: &Arr, ind: &Arr, value: &Operand) -> Result<()> {
        self.check_value(a, value)?;
        ir::ensure!(ind.dtype.is_integer(), Type, "Cannot cast array data from dtype('{}') to dtype('int64') according to the rule 'safe'", ind.dtype);
        let bytes = self.fetch_arr(ind)?;
        let mut v = ints_of(ind.dtype, &bytes)?;
        let size = numel(a.shape());
        check_bounds(&mut v, 0, size)?;
        if v.is_empty() || numel(&value.shape()) == 0 {
            return Ok(());
        }
        let flat = Self::view_offsets(a);
        let offsets: Vec<i64> = v.iter().map(|&i| flat[i as usize]).collect();
        let vals = self.operand_node(value, a.dtype)?;
        self.put_offsets(a, &offsets, vals)
    }

    /// `np.take_along_axis(a, indices, axis)` (an integer `axis`; the caller flattens for None).
    pub fn take_along_axis(&mut self, a: &Arr, ind: &Arr, axis: i64) -> Result<Arr> {
        ir::ensure!(ind.dtype.is_integer(), Index, "`indices` must be an integer array");
        let (sa, si) = (a.shape().to_vec(), ind.shape().to_vec());
        ir::ensure!(sa.len() == si.len(), Value, "`indices` and `arr` must have the same number of dimensions");
        let nd = sa.len();
        let axis = normalize_axis(axis, nd)?;
        let bytes = self.fetch_arr(ind)?;
        let mut v = ints_of(ind.dtype, &bytes)?;
        check_bounds(&mut v, axis, sa[axis])?;
        let mut axes = Vec::new();
        for d in 0..nd {
            if d == axis {
                axes.push(Ax::Adv { axis: Some(d), vals: std::mem::take(&mut v), shape: si.clone() });
            } else {
                let mut shape = vec![1; nd];
                shape[d] = sa[d];
                axes.push(Ax::Adv { axis: Some(d), vals: (0..sa[d] as i64).collect(), shape });
            }
        }
        let (shape, offsets) = plan(&a.view, axes)?;
        self.take_offsets(a, &shape, &offsets)
    }
}
