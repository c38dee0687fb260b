//! `isnan`/`isinf`/`isfinite` and the NaN-ignoring reductions, built from comparisons: NaN is
//! `x != x` (for complex: either part), infinity is `abs(x) == inf`. Integers and bools have
//! neither, as in NumPy.

use crate::session::{Arr, Session};
use ir::op::{BinaryOp, ReduceOp, UnaryOp};
use ir::shape::{broadcast_shapes, normalize_axes};
use ir::{DType, Node, NodeId, Op, Result, Scalar};

/// The NaN-ignoring reductions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NanOp {
    Sum,
    Prod,
    Mean,
    Max,
    Min,
}

impl NanOp {
    pub fn parse(s: &str) -> Option<NanOp> {
        Some(match s {
            "nansum" => NanOp::Sum,
            "nanprod" => NanOp::Prod,
            "nanmean" => NanOp::Mean,
            "nanmax" => NanOp::Max,
            "nanmin" => NanOp::Min,
            _ => return None,
        })
    }
}

impl Session {
    /// `nansum`... `nanmin` with NumPy's arguments; `int_axis`: the axis was one int (NumPy lets
    /// 0 and -1 through for a 0-d array then, except in `mean`, which integers reach).
    pub fn nan_reduce(&mut self, op: NanOp, a: &Arr, axes: Option<&[i64]>, int_axis: bool, dtype: Option<DType>, keepdims: bool) -> Result<Arr> {
        let via_mean = op == NanOp::Mean && !a.dtype.is_inexact();
        let axes = match axes {
            Some([0 | -1]) if int_axis && a.shape().is_empty() && !via_mean => None,
            ax => ax,
        };
        match op {
            NanOp::Sum => self.nansum(a, axes, dtype, keepdims),
            NanOp::Prod => self.nanprod(a, axes, dtype, keepdims),
            NanOp::Mean => self.nanmean(a, axes, dtype, keepdims),
            NanOp::Max => self.nan_extremum(a, axes, keepdims, true),
            NanOp::Min => self.nan_extremum(a, axes, keepdims, false),
        }
    }

    fn node_binary(&mut self, op: BinaryOp, a: NodeId, b: NodeId, dtype: DType) -> NodeId {
        let shape = broadcast_shapes(&self.graph.node(a).shape, &self.graph.node(b).shape).expect("shapes broadcast");
        self.graph.add(Node { op: Op::Binary(op), inputs: vec![a, b], shape, dtype })
    }

    fn node_where(&mut self, c: NodeId, a: NodeId, b: NodeId) -> NodeId {
        let (ca, cb) = (&self.graph.node(a), &self.graph.node(b));
        let dtype = ca.dtype;
        let shape = broadcast_shapes(&ca.shape, &cb.shape).and_then(|s| broadcast_shapes(&s, &self.graph.node(c).shape)).expect("shapes broadcast");
        self.graph.add(Node { op: Op::Where, inputs: vec![c, a, b], shape, dtype })
    }

    /// `x != x` for inexact `x`; all false otherwise.
    fn isnan_node(&mut self, x: NodeId) -> NodeId {
        let n = self.graph.node(x);
        if n.dtype.is_inexact() {
            self.node_binary(BinaryOp::Ne, x, x, DType::Bool)
        } else {
            let shape = n.shape.clone();
            self.fill_node(&shape, Scalar::Bool(false), DType::Bool)
        }
    }

    /// `abs(x) == inf` for inexact `x`; all false otherwise.
    fn isinf_node(&mut self, x: NodeId) -> NodeId {
        let n = self.graph.node(x);
        let (shape, dtype) = (n.shape.clone(), n.dtype);
        if !dtype.is_inexact() {
            return self.fill_node(&shape, Scalar::Bool(false), DType::Bool);
        }
        let real = dtype.real_part();
        let ab = self.graph.add(Node { op: Op::Unary(UnaryOp::Abs), inputs: vec![x], shape, dtype: real });
        let inf = self.fill_node(&[], Scalar::Float(f64::INFINITY), real);
        self.node_binary(BinaryOp::Eq, ab, inf, DType::Bool)
    }

    pub fn isnan(&mut self, a: &Arr) -> Result<Arr> {
        let x = self.read(a);
        let n = self.isnan_node(x);
        self.new_array(n)
    }

    pub fn isinf(&mut self, a: &Arr) -> Result<Arr> {
        let x = self.read(a);
        let n = self.isinf_node(x);
        self.new_array(n)
    }

    /// Neither NaN nor infinite: `(x == x) & (abs(x) != inf)`; all true for integers and bools.
    pub fn isfinite(&mut self, a: &Arr) -> Result<Arr> {
        let x = self.read(a);
        if !a.dtype.is_inexact() {
            let n = self.fill_node(a.shape(), Scalar::Bool(true), DType::Bool);
            return self.new_array(n);
        }
        let nan = self.isnan_node(x);
        let inf = self.isinf_node(x);
        let bad = self.node_binary(BinaryOp::LogicalOr, nan, inf, DType::Bool);
        let shape = a.shape().to_vec();
        let n = self.graph.add(Node { op: Op::Unary(UnaryOp::LogicalNot), inputs: vec![bad], shape, dtype: DType::Bool });
        self.new_array(n)
    }

    /// `a` with NaNs replaced by `v` (a no-op for integers and bools).
    fn replace_nan(&mut self, a: &Arr, v: Scalar) -> NodeId {
        let x = self.read(a);
        if !a.dtype.is_inexact() {
            return x;
        }
        let nan = self.isnan_node(x);
        let fill = self.fill_node(&[], v, a.dtype);
        self.node_where(nan, fill, x)
    }

    /// `sum`/`prod` of `x` accumulated in `dtype` when given (the result in `dtype` too).
    fn reduce_in(&mut self, op: ReduceOp, x: NodeId, axes: Option<&[i64]>, keepdims: bool, dtype: Option<DType>) -> Result<NodeId> {
        let x = match dtype {
            Some(d) => self.cast_node(x, d),
            None => x,
        };
        let r = self.reduce_node(op, x, axes, keepdims)?;
        Ok(match dtype {
            Some(d) => self.cast_node(r, d),
            None => r,
        })
    }

    pub fn nansum(&mut self, a: &Arr, axes: Option<&[i64]>, dtype: Option<DType>, keepdims: bool) -> Result<Arr> {
        let x = self.replace_nan(a, Scalar::Int(0));
        let r = self.reduce_in(ReduceOp::Sum, x, axes, keepdims, dtype)?;
        self.new_array(r)
    }

    pub fn nanprod(&mut self, a: &Arr, axes: Option<&[i64]>, dtype: Option<DType>, keepdims: bool) -> Result<Arr> {
        let x = self.replace_nan(a, Scalar::Int(1));
        let r = self.reduce_in(ReduceOp::Prod, x, axes, keepdims, dtype)?;
        self.new_array(r)
    }

    /// `nanmean`: `mean` for integers and bools; else the sum of the non-NaN values over their
    /// count (NaN where there are none), divided as NumPy's `_divide_by_count` does.
    pub fn nanmean(&mut self, a: &Arr, axes: Option<&[i64]>, dtype: Option<DType>, keepdims: bool) -> Result<Arr> {
        if !a.dtype.is_inexact() {
            return match dtype {
                None => self.mean(a, axes, keepdims),
                Some(d) => {
                    let c = self.astype(a, d)?;
                    let r = self.mean(&c, axes, keepdims);
                    self.drops.lock().unwrap_or_else(|e| e.into_inner()).push(c.base);
                    r
                }
            };
        }
        if let Some(d) = dtype {
            ir::ensure!(d.is_inexact(), Type, "If a is inexact, then dtype must be inexact");
        }
        let x = self.read(a);
        let nan = self.isnan_node(x);
        let shape = a.shape().to_vec();
        let ok = self.graph.add(Node { op: Op::Unary(UnaryOp::LogicalNot), inputs: vec![nan], shape, dtype: DType::Bool });
        let cnt = self.reduce_node(ReduceOp::Sum, ok, axes, keepdims)?;
        let fill = self.fill_node(&[], Scalar::Int(0), a.dtype);
        let replaced = self.node_where(nan, fill, x);
        let tot = self.reduce_in(ReduceOp::Sum, replaced, axes, keepdims, dtype)?;
        let td = self.graph.node(tot).dtype;
        let wide = ir::dtype::promote(td, DType::I64);
        let (t, c) = (self.cast_node(tot, wide), self.cast_node(cnt, wide));
        let q = self.node_binary(BinaryOp::Div, t, c, wide);
        let q = self.cast_node(q, td);
        self.new_array(q)
    }

    /// `nanmax`/`nanmin` (NumPy's `fmax.reduce`/`fmin.reduce`): NaNs are skipped; a slice of
    /// NaNs only gives NaN.
    pub fn nan_extremum(&mut self, a: &Arr, axes: Option<&[i64]>, keepdims: bool, max: bool) -> Result<Arr> {
        let norm = normalize_axes(axes, a.shape().len())?;
        let r: usize = norm.iter().map(|&i| a.shape()[i]).product();
        let name = if max { "fmax" } else { "fmin" };
        ir::ensure!(r > 0, Value, "zero-size array to reduction operation {name} which has no identity");
        let op = if max { ReduceOp::Max } else { ReduceOp::Min };
        if !a.dtype.is_inexact() {
            let x = self.read(a);
            let n = self.reduce_node(op, x, axes, keepdims)?;
            return self.new_array(n);
        }
        let inf = if max { f64::NEG_INFINITY } else { f64::INFINITY };
        let worst = if a.dtype.is_complex() { Scalar::Complex(inf, inf) } else { Scalar::Float(inf) };
        let replaced = self.replace_nan(a, worst);
        let m = self.reduce_node(op, replaced, axes, keepdims)?;
        let x = self.read(a);
        let nan = self.isnan_node(x);
        let all = self.reduce_node(ReduceOp::All, nan, axes, keepdims)?;
        let nanv = if a.dtype.is_complex() { Scalar::Complex(f64::NAN, f64::NAN) } else { Scalar::Float(f64::NAN) };
        let nanv = self.fill_node(&[], nanv, a.dtype);
        let n = self.node_where(all, nanv, m);
        self.new_array(n)
    }
}
