//! Shape and data movement, as NumPy has them (issue 6).
//!
//! * Views of the same base where NumPy returns views: `expand_dims`, `squeeze`, `swapaxes`,
//!   `moveaxis`, `atleast_*d`, `flip*`, `split`/`array_split` pieces, and the read-only views
//!   `broadcast_to` (stride 0) and `diagonal` (stride s1 + s2): writes through those raise
//!   "assignment destination is read-only", as in NumPy.
//! * Copies where NumPy copies, built as one fresh base plus writes through views of it:
//!   `concatenate` (one write per input) and its stack family, `pad`, `repeat` (one write per run
//!   of equal counts), `roll` (at most 2^ndim writes), `diag` of a vector; `tile` is a copy of a
//!   stride-0 view reshaped.
//! * Elementwise compositions: `tril`/`triu` (a `where` with a mask from two aranges), `diff`,
//!   `outer`, `clip`.

use super::elementwise::can_cast_same_kind;
use super::{common_dtype, Operand, PyScalar};
use crate::session::{Arr, Session};
use ir::dtype::promote;
use ir::error::fmt_shape;
use ir::op::{BinaryOp, ReduceOp};
use ir::shape::{normalize_axis, numel};
use ir::view::{IndexItem, ViewSpec};
use ir::{DType, Error, Result, Scalar};

/// NumPy's `casting=` rules for `concatenate`/`stack`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Casting {
    No,
    Equiv,
    Safe,
    SameKind,
    Unsafe,
}

impl Casting {
    pub fn parse(s: &str) -> Result<Casting> {
        Ok(match s {
            "no" => Casting::No,
            "equiv" => Casting::Equiv,
            "safe" => Casting::Safe,
            "same_kind" => Casting::SameKind,
            "unsafe" => Casting::Unsafe,
            _ => ir::bail!(Value, "casting must be one of 'no', 'equiv', 'safe', 'same_kind', 'unsafe' (got '{s}')"),
        })
    }

    fn name(self) -> &'static str {
        match self {
            Casting::No => "no",
            Casting::Equiv => "equiv",
            Casting::Safe => "safe",
            Casting::SameKind => "same_kind",
            Casting::Unsafe => "unsafe",
        }
    }

    pub fn allows(self, from: DType, to: DType) -> bool {
        match self {
            Casting::No | Casting::Equiv => from == to,
            Casting::Safe => promote(from, to) == to,
            Casting::SameKind => promote(from, to) == to || can_cast_same_kind(from, to),
            Casting::Unsafe => true,
        }
    }

    fn check(self, from: DType, to: DType) -> Result<()> {
        ir::ensure!(
            self.allows(from, to),
            Type,
            "Cannot cast array data from dtype('{from}') to dtype('{to}') according to the rule '{}'",
            self.name()
        );
        Ok(())
    }
}

/// `indices_or_sections` of `split`/`array_split`.
#[derive(Clone, Debug)]
pub enum Sections {
    Count(i64),
    Indices(Vec<i64>),
}

/// A pad mode starp implements.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PadMode {
    Constant,
    Edge,
    /// NumPy leaves the border uninitialized; starp never exposes uninitialized memory: zeros.
    Empty,
}

impl PadMode {
    pub fn parse(s: &str) -> Result<PadMode> {
        Ok(match s {
            "constant" => PadMode::Constant,
            "edge" => PadMode::Edge,
            "empty" => PadMode::Empty,
            "wrap" | "linear_ramp" | "maximum" | "mean" | "median" | "minimum" | "reflect" | "symmetric" => {
                ir::bail!(NotImplemented, "np.pad: mode '{s}' is not supported by starp yet ('constant', 'edge' and 'empty' are)")
            }
            _ => ir::bail!(Value, "mode '{s}' is not supported"),
        })
    }
}

/// NumPy's `normalize_axis_tuple`: each axis in range (AxisError, with `argname` as prefix),
/// no repeats (`repeated`'s message), in the given order.
pub fn normalize_axis_tuple(axes: &[i64], ndim: usize, argname: Option<&str>, repeated: &str) -> Result<Vec<usize>> {
    let mut out = Vec::with_capacity(axes.len());
    for &a in axes {
        let a = axis_prefixed(a, ndim, argname)?;
        ir::ensure!(!out.contains(&a), Value, "{repeated}");
        out.push(a);
    }
    Ok(out)
}

fn axis_prefixed(axis: i64, ndim: usize, prefix: Option<&str>) -> Result<usize> {
    normalize_axis(axis, ndim).map_err(|e| match (e, prefix) {
        (Error::Axis(m), Some(p)) => Error::Axis(format!("{p}: {m}")),
        (e, _) => e,
    })
}

/// A shape as NumPy's nditer prints it in broadcast errors: `(3,2)`, `(3,)`, `()`.
fn fmt_compact(shape: &[usize]) -> String {
    let parts: Vec<String> = shape.iter().map(|d| d.to_string()).collect();
    if parts.len() == 1 { format!("({},)", parts[0]) } else { format!("({})", parts.join(",")) }
}

/// `view` with size-1 axes (stride 0) inserted at the output positions `at`.
fn insert_axes(v: &ViewSpec, at: &[usize]) -> ViewSpec {
    let n = v.shape.len() + at.len();
    let (mut shape, mut strides, mut src) = (Vec::with_capacity(n), Vec::with_capacity(n), 0);
    for i in 0..n {
        if at.contains(&i) {
            shape.push(1);
            strides.push(0);
        } else {
            shape.push(v.shape[src]);
            strides.push(v.strides[src]);
            src += 1;
        }
    }
    ViewSpec { offset: v.offset, shape, strides, readonly: v.readonly }
}

/// `v[..., lo:hi, ...]` on `axis` (Python slice semantics, negative and out-of-range bounds too).
fn slice_axis(v: &ViewSpec, axis: usize, lo: Option<i64>, hi: Option<i64>, step: Option<i64>) -> ViewSpec {
    let mut items = vec![IndexItem::Slice(None, None, None); axis];
    items.push(IndexItem::Slice(lo, hi, step));
    v.index(&items).expect("a slice of an existing axis is a valid index")
}

/// `v` with axis `axis` split into (`outer`, `inner`): outer * inner must be its length.
fn split_axis(v: &ViewSpec, axis: usize, outer: usize, inner: usize) -> ViewSpec {
    let mut out = v.clone();
    let s = v.strides[axis];
    out.shape.splice(axis..=axis, [outer, inner]);
    out.strides.splice(axis..=axis, [s * inner as i64, s]);
    out
}

/// `v` without the (size-1) axes in `drop`.
fn drop_axes(v: &ViewSpec, drop: &[usize]) -> ViewSpec {
    let keep: Vec<usize> = (0..v.shape.len()).filter(|i| !drop.contains(i)).collect();
    ViewSpec {
        offset: v.offset,
        shape: keep.iter().map(|&i| v.shape[i]).collect(),
        strides: keep.iter().map(|&i| v.strides[i]).collect(),
        readonly: v.readonly,
    }
}

/// The view of `v`'s diagonal (NumPy's `PyArray_Diagonal`): axes a1 and a2 removed, the diagonal
/// appended last.
fn diagonal_view(v: &ViewSpec, offset: i64, a1: usize, a2: usize) -> ViewSpec {
    let (n1, n2) = (v.shape[a1] as i64, v.shape[a2] as i64);
    let (s1, s2) = (v.strides[a1], v.strides[a2]);
    let (start, len) = if offset >= 0 {
        let o = offset.min(n2);
        (o * s2, n1.min(n2 - o))
    } else {
        let o = (-offset).min(n1);
        (o * s1, (n1 - o).min(n2))
    };
    let len = len.max(0);
    let mut shape = vec![];
    let mut strides = vec![];
    for i in 0..v.shape.len() {
        if i != a1 && i != a2 {
            shape.push(v.shape[i]);
            strides.push(v.strides[i]);
        }
    }
    shape.push(len as usize);
    strides.push(s1 + s2);
    let empty = len == 0 || shape.contains(&0);
    ViewSpec { offset: if empty { v.offset } else { v.offset + start }, shape, strides, readonly: true }
}

/// A handle-less view of `a`'s base, for reading or writing inside one call (never returned).
fn region(a: &Arr, view: ViewSpec) -> Arr {
    Arr { base: a.base, view, dtype: a.dtype }
}

fn sub_items(axis: usize, item: IndexItem) -> Vec<IndexItem> {
    let mut items = vec![IndexItem::Slice(None, None, None); axis];
    items.push(item);
    items
}

impl Session {
    /// Releases an intermediate handle (its nodes live on while something reads them).
    fn release(&self, a: &Arr) {
        self.drops.lock().unwrap_or_else(|e| e.into_inner()).push(a.base);
    }

    /// A new base of `shape` filled with `v` (one handle).
    fn fresh(&mut self, shape: &[usize], v: Scalar, dtype: DType) -> Result<Arr> {
        let n = self.fill_node(shape, v, dtype);
        self.new_array(n)
    }

    /// A copy of `a` seen through `view` (of `a`'s base): a new base, one handle.
    fn copy_of(&mut self, a: &Arr, view: ViewSpec) -> Result<Arr> {
        self.copy(&region(a, view))
    }

    /// `fresh` (one handle, C-contiguous) reshaped to `shape`, keeping its handle.
    fn reshaped(fresh: Arr, shape: &[usize]) -> Arr {
        Arr { base: fresh.base, view: ViewSpec::identity(shape), dtype: fresh.dtype }
    }

    /// `a.ravel()`: a view when NumPy gives one, else a copy; the caller releases it.
    fn ravel(&mut self, a: &Arr) -> Result<Arr> {
        self.reshape(a, &[-1])
    }

    // ---- views ----

    pub fn expand_dims(&mut self, a: &Arr, axes: &[i64]) -> Result<Arr> {
        let nd = a.shape().len() + axes.len();
        let mut at = normalize_axis_tuple(axes, nd, None, "repeated axis")?;
        at.sort_unstable();
        Ok(self.share(a, insert_axes(&a.view, &at)))
    }

    /// `squeeze(a, axis)`; `int_axis`: the axis was one int, not a tuple (NumPy lets 0 and -1
    /// through for a 0-d array then).
    pub fn squeeze(&mut self, a: &Arr, axes: Option<&[i64]>, int_axis: bool) -> Result<Arr> {
        let shape = a.shape();
        let drop: Vec<usize> = match axes {
            None => (0..shape.len()).filter(|&i| shape[i] == 1).collect(),
            Some([0 | -1]) if int_axis && shape.is_empty() => vec![],
            Some(ax) => {
                let d = normalize_axis_tuple(ax, shape.len(), None, "duplicate value in 'axis'")?;
                ir::ensure!(
                    d.iter().all(|&i| shape[i] == 1),
                    Value,
                    "cannot select an axis to squeeze out which has size not equal to one"
                );
                d
            }
        };
        Ok(self.share(a, drop_axes(&a.view, &drop)))
    }

    pub fn swapaxes(&mut self, a: &Arr, axis1: i64, axis2: i64) -> Result<Arr> {
        let nd = a.shape().len();
        let i = axis_prefixed(axis1, nd, Some("axis1"))?;
        let j = axis_prefixed(axis2, nd, Some("axis2"))?;
        let mut perm: Vec<i64> = (0..nd as i64).collect();
        perm.swap(i, j);
        let v = a.view.transpose(Some(&perm))?;
        Ok(self.share(a, v))
    }

    pub fn moveaxis(&mut self, a: &Arr, source: &[i64], destination: &[i64]) -> Result<Arr> {
        let nd = a.shape().len();
        let src = normalize_axis_tuple(source, nd, Some("source"), "repeated axis in `source` argument")?;
        let dst = normalize_axis_tuple(destination, nd, Some("destination"), "repeated axis in `destination` argument")?;
        ir::ensure!(src.len() == dst.len(), Value, "`source` and `destination` arguments must have the same number of elements");
        let mut order: Vec<usize> = (0..nd).filter(|n| !src.contains(n)).collect();
        let mut pairs: Vec<(usize, usize)> = dst.into_iter().zip(src).collect();
        pairs.sort_unstable();
        for (d, s) in pairs {
            order.insert(d, s);
        }
        let perm: Vec<i64> = order.into_iter().map(|x| x as i64).collect();
        let v = a.view.transpose(Some(&perm))?;
        Ok(self.share(a, v))
    }

    /// `broadcast_to`: a read-only view (stride 0 along broadcast axes).
    pub fn broadcast_to(&mut self, a: &Arr, shape: &[i64]) -> Result<Arr> {
        let v = broadcast_view(&a.view, shape)?;
        Ok(self.share(a, v))
    }

    /// `atleast_1d/2d/3d` of one array: a view (the same shape when it has `n` dims already).
    pub fn atleast_nd(&mut self, a: &Arr, n: usize) -> Result<Arr> {
        let v = atleast_view(&a.view, n);
        Ok(self.share(a, v))
    }

    pub fn flip(&mut self, a: &Arr, axes: Option<&[i64]>) -> Result<Arr> {
        let nd = a.shape().len();
        let axes = match axes {
            None => (0..nd).collect(),
            Some(ax) => normalize_axis_tuple(ax, nd, None, "repeated axis")?,
        };
        let items: Vec<IndexItem> =
            (0..nd).map(|i| IndexItem::Slice(None, None, if axes.contains(&i) { Some(-1) } else { None })).collect();
        let v = a.view.index(&items)?;
        Ok(self.share(a, v))
    }

    pub fn fliplr(&mut self, a: &Arr) -> Result<Arr> {
        ir::ensure!(a.shape().len() >= 2, Value, "Input must be >= 2-d.");
        self.flip(a, Some(&[1]))
    }

    pub fn flipud(&mut self, a: &Arr) -> Result<Arr> {
        ir::ensure!(!a.shape().is_empty(), Value, "Input must be >= 1-d.");
        self.flip(a, Some(&[0]))
    }

    /// `split` (`equal`: sections must divide the axis) and `array_split`: views of `a`.
    pub fn array_split(&mut self, a: &Arr, sections: &Sections, axis: i64, equal: bool) -> Result<Vec<Arr>> {
        let nd = a.shape().len() as i64;
        // NumPy reads `ary.shape[axis]` first: a plain IndexError.
        ir::ensure!(axis >= -nd && axis < nd, Index, "tuple index out of range");
        let ax = if axis < 0 { axis + nd } else { axis } as usize;
        let total = a.shape()[ax] as i64;
        let points: Vec<i64> = match sections {
            Sections::Count(n) => {
                let n = *n;
                if equal {
                    ir::ensure!(n != 0, Value, "integer modulo by zero");
                    ir::ensure!(total % n == 0, Value, "array split does not result in an equal division");
                }
                ir::ensure!(n > 0, Value, "number sections must be larger than 0.");
                let (each, extras) = (total / n, total % n);
                let mut p = vec![0i64];
                for i in 0..n {
                    p.push(p[i as usize] + each + i64::from(i < extras));
                }
                p
            }
            Sections::Indices(idx) => std::iter::once(0).chain(idx.iter().copied()).chain(std::iter::once(total)).collect(),
        };
        let mut out = Vec::with_capacity(points.len().saturating_sub(1));
        for w in points.windows(2) {
            let v = a.view.index(&sub_items(ax, IndexItem::Slice(Some(w[0]), Some(w[1]), None)))?;
            out.push(self.share(a, v));
        }
        Ok(out)
    }

    /// `diagonal`: a read-only strided view.
    pub fn diagonal(&mut self, a: &Arr, offset: i64, axis1: i64, axis2: i64) -> Result<Arr> {
        let v = self.diagonal_spec(a, offset, axis1, axis2)?;
        Ok(self.share(a, v))
    }

    fn diagonal_spec(&self, a: &Arr, offset: i64, axis1: i64, axis2: i64) -> Result<ViewSpec> {
        let nd = a.shape().len();
        ir::ensure!(nd >= 2, Value, "diag requires an array of at least two dimensions");
        let i = axis_prefixed(axis1, nd, Some("axis1"))?;
        let j = axis_prefixed(axis2, nd, Some("axis2"))?;
        ir::ensure!(i != j, Value, "axis1 and axis2 cannot be the same");
        Ok(diagonal_view(&a.view, offset, i, j))
    }

    // ---- copies: a fresh base and writes through views of it ----

    pub fn concatenate(&mut self, xs: &[Arr], axis: Option<i64>, dtype: Option<DType>, casting: &str) -> Result<Arr> {
        let casting = Casting::parse(casting)?;
        ir::ensure!(!xs.is_empty(), Value, "need at least one array to concatenate");
        // The target of each input: a slice of the result (reshaped to the input for axis=None).
        let (shape, targets): (Vec<usize>, Vec<ViewSpec>) = match axis {
            None => {
                let total: usize = xs.iter().map(|x| numel(x.shape())).sum();
                let full = ViewSpec::identity(&[total]);
                let mut start = 0usize;
                let mut targets = vec![];
                for x in xs {
                    let n = numel(x.shape());
                    let s = slice_axis(&full, 0, Some(start as i64), Some((start + n) as i64), None);
                    targets.push(s.reshape(x.shape()).expect("a contiguous run reshapes as a view"));
                    start += n;
                }
                (vec![total], targets)
            }
            Some(axis) => {
                let nd = xs[0].shape().len();
                ir::ensure!(nd > 0, Value, "zero-dimensional arrays cannot be concatenated");
                let ax = normalize_axis(axis, nd)?;
                let mut shape = xs[0].shape().to_vec();
                for (i, x) in xs.iter().enumerate().skip(1) {
                    let xn = x.shape().len();
                    ir::ensure!(
                        xn == nd,
                        Value,
                        "all the input arrays must have same number of dimensions, but the array at index 0 has {nd} dimension(s) and the array at index {i} has {xn} dimension(s)"
                    );
                    for (d, (&want, &got)) in shape.iter().zip(x.shape()).enumerate() {
                        ir::ensure!(
                            d == ax || got == want,
                            Value,
                            "all the input array dimensions except for the concatenation axis must match exactly, but along dimension {d}, the array at index 0 has size {want} and the array at index {i} has size {got}"
                        );
                    }
                    shape[ax] += x.shape()[ax];
                }
                let full = ViewSpec::identity(&shape);
                let mut start = 0usize;
                let mut targets = vec![];
                for x in xs {
                    let n = x.shape()[ax];
                    targets.push(slice_axis(&full, ax, Some(start as i64), Some((start + n) as i64), None));
                    start += n;
                }
                (shape, targets)
            }
        };
        let all: Vec<DType> = xs.iter().map(|x| x.dtype).collect();
        let out_dtype = dtype.unwrap_or_else(|| ir::dtype::promote_many(&all).expect("at least one array"));
        for x in xs {
            casting.check(x.dtype, out_dtype)?;
        }
        let out = self.fresh(&shape, Scalar::zero(out_dtype), out_dtype)?;
        for (x, target) in xs.iter().zip(targets) {
            if numel(x.shape()) > 0 {
                self.assign(&region(&out, target), &Operand::Array(x.clone()))?;
            }
        }
        Ok(out)
    }

    pub fn stack(&mut self, xs: &[Arr], axis: i64, dtype: Option<DType>, casting: &str) -> Result<Arr> {
        ir::ensure!(!xs.is_empty(), Value, "need at least one array to stack");
        let shape = xs[0].shape().to_vec();
        ir::ensure!(xs.iter().all(|x| x.shape() == shape.as_slice()), Value, "all input arrays must have the same shape");
        let ax = normalize_axis(axis, shape.len() + 1)?;
        let expanded: Vec<Arr> = xs.iter().map(|x| region(x, insert_axes(&x.view, &[ax]))).collect();
        self.concatenate(&expanded, Some(ax as i64), dtype, casting)
    }

    pub fn vstack(&mut self, xs: &[Arr], dtype: Option<DType>, casting: &str) -> Result<Arr> {
        let v: Vec<Arr> = xs.iter().map(|x| region(x, atleast_view(&x.view, 2))).collect();
        self.concatenate(&v, Some(0), dtype, casting)
    }

    pub fn hstack(&mut self, xs: &[Arr], dtype: Option<DType>, casting: &str) -> Result<Arr> {
        let v: Vec<Arr> = xs.iter().map(|x| region(x, atleast_view(&x.view, 1))).collect();
        let axis = if v.first().is_some_and(|x| x.shape().len() == 1) { 0 } else { 1 };
        self.concatenate(&v, Some(axis), dtype, casting)
    }

    pub fn dstack(&mut self, xs: &[Arr]) -> Result<Arr> {
        let v: Vec<Arr> = xs.iter().map(|x| region(x, atleast_view(&x.view, 3))).collect();
        self.concatenate(&v, Some(2), None, "same_kind")
    }

    /// `column_stack`: 0-d and 1-d inputs become columns, the rest are taken as they are.
    pub fn column_stack(&mut self, xs: &[Arr]) -> Result<Arr> {
        let v: Vec<Arr> = xs
            .iter()
            .map(|x| match x.shape().len() {
                0 | 1 => region(x, atleast_view(&x.view, 2).transpose(None).expect("2-d")),
                _ => x.clone(),
            })
            .collect();
        self.concatenate(&v, Some(1), None, "same_kind")
    }

    /// `tile(A, reps)`: a copy of a view that repeats each axis with stride 0, reshaped.
    pub fn tile(&mut self, a: &Arr, reps: &[i64]) -> Result<Arr> {
        ir::ensure!(reps.iter().all(|&r| r >= 0), Value, "negative dimensions are not allowed");
        // NumPy's `array(A, ndmin=len(reps))`: leading axes.
        let lead: Vec<usize> = (0..reps.len().saturating_sub(a.shape().len())).collect();
        let c = insert_axes(&a.view, &lead);
        let nd = c.shape.len();
        let reps: Vec<usize> = std::iter::repeat_n(1, nd - reps.len()).chain(reps.iter().map(|&r| r as usize)).collect();
        let (mut shape, mut strides, mut out_shape) = (vec![], vec![], vec![]);
        for ((&r, &d), &st) in reps.iter().zip(&c.shape).zip(&c.strides) {
            shape.extend([r, d]);
            strides.extend([0, st]);
            out_shape.push(r * d);
        }
        let spread = ViewSpec { offset: c.offset, shape, strides, readonly: false };
        let copy = self.copy_of(a, spread)?;
        Ok(Self::reshaped(copy, &out_shape))
    }

    /// `repeat(a, repeats, axis)`: `repeats` is one count (`scalar`, or a 1-element sequence) or
    /// one per element along the axis; a fresh base and one write per run of equal counts.
    pub fn repeat(&mut self, a: &Arr, repeats: &[i64], repeats_shape: &[usize], axis: Option<i64>) -> Result<Arr> {
        // NumPy's PyArray_CheckAxis: a 0-d array repeats as a 1-d one.
        let (src, ax, flat) = match axis {
            None => (self.ravel(a)?, 0, true),
            Some(x) if a.shape().is_empty() => (self.ravel(a)?, normalize_axis(x, 1)?, true),
            Some(x) => (a.clone(), normalize_axis(x, a.shape().len())?, false),
        };
        let r = self.repeat_along(&src, repeats, repeats_shape, ax);
        if flat {
            self.release(&src);
        }
        r
    }

    fn repeat_along(&mut self, src: &Arr, repeats: &[i64], repeats_shape: &[usize], ax: usize) -> Result<Arr> {
        ir::ensure!(
            repeats_shape.len() <= 1,
            Value,
            "setting an array element with a sequence. The requested array would exceed the maximum number of dimension of 1."
        );
        let n = src.shape()[ax];
        let counts: Vec<usize> = if repeats.len() == 1 {
            // One count for all: NumPy's error is the result's negative length.
            ir::ensure!(repeats[0] >= 0 || n == 0, Value, "negative dimensions are not allowed");
            vec![repeats[0].max(0) as usize; n]
        } else {
            ir::ensure!(
                repeats.len() == n,
                Value,
                "operands could not be broadcast together with shape {} {}",
                fmt_shape(&[n]),
                fmt_shape(&[repeats.len()])
            );
            ir::ensure!(repeats.iter().all(|&r| r >= 0), Value, "repeats may not contain negative values.");
            repeats.iter().map(|&r| r as usize).collect()
        };
        let mut shape = src.shape().to_vec();
        shape[ax] = counts.iter().sum();
        let out = self.fresh(&shape, Scalar::zero(src.dtype), src.dtype)?;
        if numel(&shape) == 0 {
            return Ok(out);
        }
        let (mut i, mut start) = (0usize, 0usize);
        while i < n {
            let r = counts[i];
            let mut j = i + 1;
            while j < n && counts[j] == r {
                j += 1;
            }
            if r > 0 {
                let len = (j - i) * r;
                let t = slice_axis(&out.view, ax, Some(start as i64), Some((start + len) as i64), None);
                let t = split_axis(&t, ax, j - i, r);
                let v = slice_axis(&src.view, ax, Some(i as i64), Some(j as i64), None);
                let v = insert_axes(&v, &[ax + 1]);
                self.assign(&region(&out, t), &Operand::Array(region(src, v)))?;
                start += len;
            }
            i = j;
        }
        Ok(out)
    }

    /// `roll(a, shift, axis)`: `shift` and `axis` broadcast together (their shapes given; `axis`
    /// None rolls the flattened array); a fresh base and at most 2^ndim writes.
    pub fn roll(&mut self, a: &Arr, shift: &[i64], shift_shape: &[usize], axis: Option<(&[i64], &[usize])>) -> Result<Arr> {
        let nd = a.shape().len();
        // NumPy pairs up an empty product of slices here and fails to unpack it.
        ir::ensure!(
            !(nd == 0 && matches!(axis, Some((x, _)) if x.is_empty())),
            Value,
            "not enough values to unpack (expected 2, got 0)"
        );
        let axes: Vec<usize> = match axis {
            None => vec![0],
            Some((ax, _)) => ax.iter().map(|&x| normalize_axis(x, nd)).collect::<Result<_>>()?,
        };
        let axis_shape: Vec<usize> = match axis {
            None => vec![],
            Some((_, s)) => s.to_vec(),
        };
        let b = broadcast_pair(shift_shape, &axis_shape)?;
        ir::ensure!(b.len() <= 1, Value, "'shift' and 'axis' should be scalars or 1D sequences");
        let len = b.first().copied().unwrap_or(1);
        let pick = |v: &[i64], shape: &[usize], i: usize| if shape.is_empty() || shape[0] == 1 { v[0] } else { v[i] };
        let pick_u = |v: &[usize], shape: &[usize], i: usize| if shape.is_empty() || shape[0] == 1 { v[0] } else { v[i] };
        let mut shifts: Vec<i128> = vec![0; if axis.is_none() { 1 } else { nd }];
        for i in 0..len {
            let s = pick(shift, shift_shape, i);
            let ax = pick_u(&axes, &axis_shape, i);
            shifts[ax] += s as i128;
        }
        if axis.is_none() {
            let flat = self.ravel(a)?;
            let r = self.roll_axes(&flat, &shifts);
            self.release(&flat);
            return Ok(Self::reshaped(r?, a.shape()));
        }
        self.roll_axes(a, &shifts)
    }

    fn roll_axes(&mut self, a: &Arr, shifts: &[i128]) -> Result<Arr> {
        let shape = a.shape().to_vec();
        // Per axis: (source item, target item) pairs, as NumPy's roll builds them.
        let mut rolls: Vec<Vec<(IndexItem, IndexItem)>> = vec![];
        for (ax, &s) in shifts.iter().enumerate() {
            let n = shape[ax].max(1) as i128;
            let off = s.rem_euclid(n) as i64;
            let all = IndexItem::Slice(None, None, None);
            rolls.push(if off != 0 {
                vec![
                    (IndexItem::Slice(None, Some(-off), None), IndexItem::Slice(Some(off), None, None)),
                    (IndexItem::Slice(Some(-off), None, None), IndexItem::Slice(None, Some(off), None)),
                ]
            } else {
                vec![(all.clone(), all)]
            });
        }
        let out = self.fresh(&shape, Scalar::zero(a.dtype), a.dtype)?;
        if numel(&shape) == 0 {
            return Ok(out);
        }
        let combos: usize = rolls.iter().map(|r| r.len()).product();
        for mut c in 0..combos {
            let (mut src, mut dst) = (vec![], vec![]);
            for r in &rolls {
                let (s, d) = r[c % r.len()].clone();
                c /= r.len();
                src.push(s);
                dst.push(d);
            }
            let v = region(a, a.view.index(&src)?);
            let t = region(&out, out.view.index(&dst)?);
            self.assign(&t, &Operand::Array(v))?;
        }
        Ok(out)
    }

    /// `diff(a, n, axis, prepend, append)` for n >= 1 (n == 0 returns `a` itself, in Python).
    pub fn diff(&mut self, a: &Arr, n: i64, axis: i64, prepend: Option<&Arr>, append: Option<&Arr>) -> Result<Arr> {
        ir::ensure!(n >= 0, Value, "order must be non-negative but got {n}");
        let nd = a.shape().len();
        ir::ensure!(nd > 0, Value, "diff requires input that is at least one dimensional");
        let ax = normalize_axis(axis, nd)?;
        let edge = |x: &Arr| -> Result<Arr> {
            if x.shape().is_empty() {
                let mut s: Vec<i64> = a.shape().iter().map(|&d| d as i64).collect();
                s[ax] = 1;
                Ok(region(x, broadcast_view(&x.view, &s)?))
            } else {
                Ok(x.clone())
            }
        };
        let mut parts = vec![];
        if let Some(p) = prepend {
            parts.push(edge(p)?);
        }
        parts.push(a.clone());
        if let Some(p) = append {
            parts.push(edge(p)?);
        }
        let mut cur = if parts.len() > 1 { self.concatenate(&parts, Some(ax as i64), None, "same_kind")? } else { self.share(a, a.view.clone()) };
        for _ in 0..n {
            let op = if cur.dtype == DType::Bool { BinaryOp::Ne } else { BinaryOp::Sub };
            let hi = region(&cur, slice_axis(&cur.view, ax, Some(1), None, None));
            let lo = region(&cur, slice_axis(&cur.view, ax, None, Some(-1), None));
            let next = self.binary(op, &Operand::Array(hi), &Operand::Array(lo));
            self.release(&cur);
            cur = next?;
        }
        Ok(cur)
    }

    /// NumPy's `_as_pairs(pad_width, ndim, as_index=True)`: (before, after) per axis.
    pub fn pad_pairs(&self, ndim: usize, widths: &[i64], shape: &[usize]) -> Result<Vec<(usize, usize)>> {
        // NumPy checks the signs before it broadcasts (an empty pad_width has no minimum).
        let special = shape.len() < 3 && (numel(shape) == 1 || (numel(shape) == 2 && shape != [2, 1]));
        ir::ensure!(special || !widths.is_empty(), Value, "zero-size array to reduction operation minimum which has no identity");
        ir::ensure!(widths.iter().all(|&w| w >= 0), Value, "index can't contain negative values");
        let pairs = as_pairs(widths, shape, ndim)?;
        Ok(pairs.into_iter().map(|(a, b)| (a as usize, b as usize)).collect())
    }

    /// `pad(a, pad_width, mode)`; `values` (constant mode) as NumPy's `constant_values` (flat,
    /// with its shape), each cast to `a`'s dtype as NumPy's assignment does.
    pub fn pad(&mut self, a: &Arr, pads: &[(usize, usize)], mode: PadMode, values: &[PyScalar], values_shape: &[usize]) -> Result<Arr> {
        let nd = a.shape().len();
        ir::ensure!(pads.len() == nd, Value, "pad_width must have one (before, after) pair per axis");
        let shape = a.shape().to_vec();
        let out_shape: Vec<usize> = (0..nd).map(|i| shape[i] + pads[i].0 + pads[i].1).collect();
        // The value pairs, converted as `padded[...] = value` converts them.
        let vals: Vec<(Scalar, Scalar)> = match mode {
            PadMode::Constant => {
                let idx = as_pairs_index(values_shape, nd)?;
                let conv = |i: usize| assigned_scalar(values[i], a.dtype);
                idx.into_iter().map(|(l, r)| Ok((conv(l)?, conv(r)?))).collect::<Result<_>>()?
            }
            _ => vec![(Scalar::zero(a.dtype), Scalar::zero(a.dtype)); nd],
        };
        if mode == PadMode::Edge && numel(&shape) == 0 {
            for i in 0..nd {
                ir::ensure!(
                    shape[i] > 0 || (pads[i].0 == 0 && pads[i].1 == 0),
                    Value,
                    "can't extend empty axis {i} using modes other than 'constant' or 'empty'"
                );
            }
        }
        let same = vals.iter().flat_map(|(l, r)| [l, r]).all(|v| Some(v) == vals.first().map(|p| &p.0));
        let fill = if same && mode == PadMode::Constant { vals.first().map(|p| p.0).unwrap_or(Scalar::zero(a.dtype)) } else { Scalar::zero(a.dtype) };
        let out = self.fresh(&out_shape, fill, a.dtype)?;
        let center: Vec<IndexItem> = (0..nd).map(|i| IndexItem::Slice(Some(pads[i].0 as i64), Some((pads[i].0 + shape[i]) as i64), None)).collect();
        if numel(&shape) > 0 {
            let t = region(&out, out.view.index(&center)?);
            self.assign(&t, &Operand::Array(a.clone()))?;
        }
        if (mode == PadMode::Constant && same) || mode == PadMode::Empty || numel(&out_shape) == 0 {
            return Ok(out);
        }
        for ax in 0..nd {
            let (l, r) = pads[ax];
            // Axes before and at `ax` whole, later axes only their original extent.
            let mut roi: Vec<IndexItem> = (0..nd).map(|i| if i <= ax { IndexItem::Slice(None, None, None) } else { center[i].clone() }).collect();
            let mut part = |lo: i64, hi: i64| {
                roi[ax] = IndexItem::Slice(Some(lo), Some(hi), None);
                out.view.index(&roi)
            };
            let (left, right) = (part(0, l as i64)?, part((l + shape[ax]) as i64, out_shape[ax] as i64)?);
            let (first, last) = match mode {
                PadMode::Edge => (Some(part(l as i64, l as i64 + 1)?), Some(part((l + shape[ax]) as i64 - 1, (l + shape[ax]) as i64)?)),
                _ => (None, None),
            };
            for (target, edge, v, width) in [(left, first, vals[ax].0, l), (right, last, vals[ax].1, r)] {
                if width == 0 || numel(&target.shape) == 0 {
                    continue;
                }
                let value = match edge {
                    Some(e) => Operand::Array(region(&out, e)),
                    None => Operand::Np(v, a.dtype),
                };
                self.assign(&region(&out, target), &value)?;
            }
        }
        Ok(out)
    }

    /// `diag(v, k)`: a 1-d `v` on the k-th diagonal of a fresh square array; the read-only
    /// diagonal view of a 2-d `v`.
    pub fn diag(&mut self, v: &Arr, k: i64) -> Result<Arr> {
        match v.shape().len() {
            1 => {
                let len = v.shape()[0];
                let n = len + k.unsigned_abs() as usize;
                let out = self.fresh(&[n, n], Scalar::zero(v.dtype), v.dtype)?;
                if len > 0 {
                    let start = if k >= 0 { k } else { -k * n as i64 };
                    let d = ViewSpec { offset: start, shape: vec![len], strides: vec![n as i64 + 1], readonly: false };
                    self.assign(&region(&out, d), &Operand::Array(v.clone()))?;
                }
                Ok(out)
            }
            2 => self.diagonal(v, k, 0, 1),
            _ => ir::bail!(Value, "Input must be 1- or 2-d."),
        }
    }

    /// `tril(m, k)` (`upper`: `triu`): `where(j - i <= k, m, 0)` over the last two axes.
    pub fn tri_part(&mut self, m: &Arr, k: i64, upper: bool) -> Result<Arr> {
        let shape = m.shape().to_vec();
        ir::ensure!(!shape.is_empty(), Type, "tri() missing 1 required positional argument: 'N'");
        let (rows, cols) = if shape.len() == 1 { (shape[0], shape[0]) } else { (shape[shape.len() - 2], shape[shape.len() - 1]) };
        let i = self.arange(PyScalar::Int(0), PyScalar::Int(rows as i128), PyScalar::Int(1), DType::I64)?;
        let j = self.arange(PyScalar::Int(0), PyScalar::Int(cols as i128), PyScalar::Int(1), DType::I64)?;
        let col = region(&i, ViewSpec { offset: 0, shape: vec![rows, 1], strides: vec![1, 0], readonly: false });
        let d = self.binary(BinaryOp::Sub, &Operand::Array(j.clone()), &Operand::Array(col));
        self.release(&i);
        self.release(&j);
        let d = d?;
        let zero = Operand::Np(Scalar::zero(m.dtype), m.dtype);
        let r = if upper {
            let mask = self.binary(BinaryOp::Ge, &Operand::Array(d.clone()), &Operand::Py(PyScalar::Int(k as i128)))?;
            let r = self.where_(&Operand::Array(mask.clone()), &Operand::Array(m.clone()), &zero);
            self.release(&mask);
            r
        } else {
            let mask = self.binary(BinaryOp::Le, &Operand::Array(d.clone()), &Operand::Py(PyScalar::Int(k as i128)))?;
            let r = self.where_(&Operand::Array(mask.clone()), &Operand::Array(m.clone()), &zero);
            self.release(&mask);
            r
        };
        self.release(&d);
        r
    }

    /// `trace(a, offset, axis1, axis2, dtype)`: the sum of the diagonal view.
    pub fn trace(&mut self, a: &Arr, offset: i64, axis1: i64, axis2: i64, dtype: Option<DType>) -> Result<Arr> {
        let v = self.diagonal_spec(a, offset, axis1, axis2)?;
        let x = self.read(&region(a, v));
        let x = match dtype {
            Some(d) => self.cast_node(x, d),
            None => x,
        };
        let s = self.reduce_node(ReduceOp::Sum, x, Some(&[-1]), false)?;
        let s = match dtype {
            Some(d) => self.cast_node(s, d),
            None => s,
        };
        self.new_array(s)
    }

    /// `meshgrid(*xs, copy, sparse, indexing)`.
    pub fn meshgrid(&mut self, xs: &[Arr], indexing: &str, sparse: bool, copy: bool) -> Result<Vec<Arr>> {
        let xy = match indexing {
            "xy" => true,
            "ij" => false,
            _ => ir::bail!(Value, "Valid values for `indexing` are 'xy' and 'ij'."),
        };
        let nd = xs.len();
        let mut out = vec![];
        for (i, x) in xs.iter().enumerate() {
            let mut s = vec![1i64; nd];
            let at = if xy && nd > 1 && i < 2 { 1 - i } else { i };
            s[at] = -1;
            out.push(self.reshape(x, &s)?);
        }
        if !sparse {
            let mut shape = vec![];
            for o in &out {
                shape = ir::shape::broadcast_shapes(&shape, o.shape())?;
            }
            let s: Vec<i64> = shape.iter().map(|&d| d as i64).collect();
            for o in out.iter_mut() {
                let v = broadcast_view(&o.view, &s)?;
                // The handle moves to the broadcast view of the same base.
                o.view = v;
            }
        }
        if copy {
            for o in out.iter_mut() {
                let c = self.copy(o)?;
                self.release(o);
                *o = c;
            }
        }
        Ok(out)
    }

    /// `outer(a, b)`: `ravel(a)[:, None] * ravel(b)[None, :]`.
    pub fn outer(&mut self, a: &Arr, b: &Arr) -> Result<Arr> {
        let (fa, fb) = (self.ravel(a)?, self.ravel(b)?);
        let ca = region(&fa, insert_axes(&fa.view, &[1]));
        let rb = region(&fb, insert_axes(&fb.view, &[0]));
        let r = self.binary(BinaryOp::Mul, &Operand::Array(ca), &Operand::Array(rb));
        self.release(&fa);
        self.release(&fb);
        r
    }

    /// `fill_diagonal(a, val, wrap)`: writes in place through views of `a`. An array `val` is
    /// flattened and cycled over the diagonal, as NumPy's `a.flat[...] = val` does.
    pub fn fill_diagonal(&mut self, a: &Arr, val: &Operand, wrap: bool) -> Result<()> {
        let shape = a.shape().to_vec();
        let nd = shape.len();
        ir::ensure!(nd >= 2, Value, "array must be at least 2-d");
        // The diagonal as views of `a`'s base, in flat order.
        let mut pieces: Vec<ViewSpec> = vec![];
        if nd > 2 {
            ir::ensure!(shape.iter().all(|&d| d == shape[0]), Value, "All dimensions of input must be of equal length");
            pieces.push(ViewSpec { offset: a.view.offset, shape: vec![shape[0]], strides: vec![a.view.strides.iter().sum()], readonly: false });
        } else {
            let (n0, n1) = (shape[0], shape[1]);
            let main = diagonal_view(&a.view, 0, 0, 1);
            pieces.push(ViewSpec { readonly: false, ..main });
            if wrap && n0 > n1 + 1 && n1 > 0 {
                if let Some(flat) = a.view.reshape(&[n0 * n1]) {
                    // `a.flat[::n1 + 1]` is one strided view when `a` ravels as a view.
                    pieces = vec![flat.index(&[IndexItem::Slice(None, None, Some(n1 as i64 + 1))])?];
                } else {
                    // Past the first square the flat positions restart every n1 + 1 rows.
                    let mut r = n1 + 1;
                    while r < n0 {
                        let rows = a.view.index(&[IndexItem::Slice(Some(r as i64), None, None)])?;
                        let d = diagonal_view(&rows, 0, 0, 1);
                        pieces.push(ViewSpec { readonly: false, ..d });
                        r += n1 + 1;
                    }
                }
            }
        }
        ir::ensure!(!a.view.readonly, Value, "underlying array is read-only");
        let count: usize = pieces.iter().map(|p| p.shape[0]).sum();
        if count == 0 {
            return Ok(());
        }
        let value = match val {
            Operand::Array(v) if !v.shape().is_empty() => {
                let k = numel(v.shape());
                if k == 0 {
                    return Ok(());
                }
                let flat = self.ravel(v)?;
                let cycled = if k >= count {
                    flat
                } else {
                    let reps = count.div_ceil(k);
                    let spread = ViewSpec { offset: flat.view.offset, shape: vec![reps, k], strides: vec![0, flat.view.strides[0]], readonly: false };
                    let c = self.copy_of(&flat, spread)?;
                    self.release(&flat);
                    Self::reshaped(c, &[reps * k])
                };
                Some(cycled)
            }
            _ => None,
        };
        let mut start = 0usize;
        let mut r = Ok(());
        for p in pieces {
            let len = p.shape[0];
            if len == 0 {
                continue;
            }
            let v = match &value {
                Some(c) => Operand::Array(region(c, slice_axis(&c.view, 0, Some(start as i64), Some((start + len) as i64), None))),
                None => val.clone(),
            };
            r = self.assign(&region(a, p), &v);
            if r.is_err() {
                break;
            }
            start += len;
        }
        if let Some(c) = &value {
            self.release(c);
        }
        r
    }

    /// `clip(a, a_min, a_max)` as NumPy's `_clip`: Python-int bounds beyond an integer dtype's
    /// range are dropped; then `minimum(maximum(a, a_min), a_max)` in the common dtype of all
    /// three (NEP 50).
    pub fn clip(&mut self, a: &Arr, lo: Option<&Operand>, hi: Option<&Operand>) -> Result<Arr> {
        let mut lo = lo.cloned();
        let mut hi = hi.cloned();
        if let Some((min, max)) = ir::dtype::int_range(a.dtype) {
            if matches!(lo, Some(Operand::Py(PyScalar::Int(i))) if i <= min) {
                lo = None;
            }
            if matches!(hi, Some(Operand::Py(PyScalar::Int(i))) if i >= max) {
                hi = None;
            }
        }
        let me = Operand::Array(a.clone());
        if lo.is_none() && hi.is_none() {
            ir::ensure!(
                a.dtype != DType::Bool,
                Type,
                "ufunc 'positive' did not contain a loop with signature matching types <class 'numpy.dtypes.BoolDType'> -> None"
            );
            return self.copy(a);
        }
        let mut all = vec![&me];
        all.extend(lo.iter());
        all.extend(hi.iter());
        let common = common_dtype(&all);
        let x = if common == a.dtype { a.clone() } else { self.astype(a, common)? };
        let mut cur = Operand::Array(x);
        // maximum/minimum give their second operand on a tie (+0 against -0): NumPy's clip keeps
        // the bound with one bound and the value with two, so the operands go in that order.
        let both = lo.is_some() && hi.is_some();
        for (op, bound) in [(BinaryOp::Max, &lo), (BinaryOp::Min, &hi)] {
            if let Some(b) = bound {
                let next = if both { self.binary(op, b, &cur) } else { self.binary(op, &cur, b) };
                if let Operand::Array(c) = &cur {
                    if c.base != a.base {
                        self.release(c);
                    }
                }
                cur = Operand::Array(next?);
            }
        }
        match cur {
            Operand::Array(r) => Ok(r),
            _ => unreachable!("an array"),
        }
    }
}

/// The read-only view of `v` broadcast to `shape` (NumPy's `broadcast_to` errors).
fn broadcast_view(v: &ViewSpec, shape: &[i64]) -> Result<ViewSpec> {
    ir::ensure!(!shape.is_empty() || v.shape.is_empty(), Value, "cannot broadcast a non-scalar to a scalar array");
    ir::ensure!(shape.iter().all(|&d| d >= 0), Value, "all elements of broadcast shape must be non-negative");
    let to: Vec<usize> = shape.iter().map(|&d| d as usize).collect();
    ir::ensure!(v.shape.len() <= to.len(), Value, "input operand has more dimensions than allowed by the axis remapping");
    let off = to.len() - v.shape.len();
    let mut strides = vec![0i64; to.len()];
    for (j, (&d, &s)) in v.shape.iter().zip(&v.strides).enumerate() {
        let t = to[off + j];
        if d == t {
            strides[off + j] = s;
        } else if d != 1 {
            ir::bail!(
                Value,
                "operands could not be broadcast together with remapped shapes [original->remapped]: {}  and requested shape {}",
                fmt_compact(&v.shape),
                fmt_compact(&to)
            );
        }
    }
    Ok(ViewSpec { offset: v.offset, shape: to, strides, readonly: true })
}

/// `atleast_{n}d` as a view: 1-d (N,) -> (1, N) for n = 2 and (1, N, 1) for n = 3; 2-d
/// (M, N) -> (M, N, 1) for n = 3; 0-d -> all ones. `n` beyond 3 prepends axes (tile's ndmin).
fn atleast_view(v: &ViewSpec, n: usize) -> ViewSpec {
    let nd = v.shape.len();
    if nd >= n {
        return v.clone();
    }
    let at: Vec<usize> = match (n, nd) {
        (3, 1) => vec![0, 2],
        (3, 2) => vec![2],
        _ => (0..n - nd).collect(),
    };
    insert_axes(v, &at)
}

/// The broadcast shape of two shapes, with `np.broadcast`'s message.
fn broadcast_pair(a: &[usize], b: &[usize]) -> Result<Vec<usize>> {
    ir::shape::broadcast_shapes(a, b).map_err(|_| {
        Error::Value(format!(
            "shape mismatch: objects cannot be broadcast to a single shape.  Mismatch is between arg 0 with shape {} and arg 1 with shape {}.",
            fmt_shape(a),
            fmt_shape(b)
        ))
    })
}

/// NumPy's `_as_pairs(x, ndim)` on a flat `x` of shape `shape`, as indices into `x`.
fn as_pairs_index(shape: &[usize], ndim: usize) -> Result<Vec<(usize, usize)>> {
    let size = numel(shape);
    if shape.len() < 3 {
        if size == 1 {
            return Ok(vec![(0, 0); ndim]);
        }
        if size == 2 && shape != [2, 1] {
            return Ok(vec![(0, 1); ndim]);
        }
    }
    let b = broadcast_view(&ViewSpec::identity(shape), &[ndim as i64, 2])?;
    Ok((0..ndim).map(|i| (b.flat_index(&[i, 0]) as usize, b.flat_index(&[i, 1]) as usize)).collect())
}

fn as_pairs(values: &[i64], shape: &[usize], ndim: usize) -> Result<Vec<(i64, i64)>> {
    Ok(as_pairs_index(shape, ndim)?.into_iter().map(|(l, r)| (values[l], values[r])).collect())
}

/// A Python scalar as `array[...] = value` stores it in `dtype` (errors for NaN and infinity
/// into integers, and for Python ints out of range).
fn assigned_scalar(v: PyScalar, dtype: DType) -> Result<Scalar> {
    if let PyScalar::Float(f) = v {
        if dtype.is_integer() {
            ir::ensure!(!f.is_nan(), Value, "cannot convert float NaN to integer");
            ir::ensure!(f.is_finite(), Overflow, "cannot convert float infinity to integer");
        }
    }
    v.to_dtype(dtype)
}
