//! Reductions: sum, prod, min, max, argmin, argmax, any, all, and mean/var/std built from them.

use super::{Operand, PyScalar};
use crate::session::{Arr, Session};
use ir::op::{BinaryOp, ReduceOp, UnaryOp};
use ir::shape::normalize_axes;
use ir::{DType, Node, NodeId, Op, Result};

impl Session {
    pub(crate) fn reduce_node(&mut self, op: ReduceOp, x: NodeId, axes: Option<&[i64]>, keepdims: bool) -> Result<NodeId> {
        let node = self.graph.node(x);
        let (shape, dtype) = (node.shape.clone(), node.dtype);
        let axes = match (op, axes) {
            (ReduceOp::ArgMin | ReduceOp::ArgMax, Some(a)) => {
                ir::ensure!(a.len() == 1, Type, "'tuple' object cannot be interpreted as an integer");
                normalize_axes(Some(a), shape.len())?
            }
            _ => normalize_axes(axes, shape.len())?,
        };
        let r: usize = axes.iter().map(|&a| shape[a]).product();
        if r == 0 && op.identity(dtype).is_none() {
            match op {
                ReduceOp::ArgMin | ReduceOp::ArgMax => ir::bail!(Value, "attempt to get {} of an empty sequence", op.name()),
                _ => ir::bail!(Value, "zero-size array to reduction operation {} which has no identity", op.name()),
            }
        }
        let out_shape: Vec<usize> = shape
            .iter()
            .enumerate()
            .filter_map(|(i, &d)| if axes.contains(&i) { keepdims.then_some(1) } else { Some(d) })
            .collect();
        let out_dtype = op.result_dtype(dtype);
        Ok(self.graph.add(Node { op: Op::Reduce { op, axes, keepdims }, inputs: vec![x], shape: out_shape, dtype: out_dtype }))
    }

    pub fn reduce(&mut self, op: ReduceOp, a: &Arr, axes: Option<&[i64]>, keepdims: bool) -> Result<Arr> {
        let x = self.read(a);
        let n = self.reduce_node(op, x, axes, keepdims)?;
        self.new_array(n)
    }

    /// Number of elements reduced by `axes`.
    fn count(&self, a: &Arr, axes: Option<&[i64]>) -> Result<usize> {
        let axes = normalize_axes(axes, a.shape().len())?;
        Ok(axes.iter().map(|&i| a.shape()[i]).product())
    }

    /// The dtype NumPy's mean/var accumulate in: float64 for integers and bool.
    fn mean_dtype(d: DType) -> DType {
        if d.is_inexact() { d } else { DType::F64 }
    }

    pub fn mean(&mut self, a: &Arr, axes: Option<&[i64]>, keepdims: bool) -> Result<Arr> {
        let n = self.count(a, axes)?;
        let x = self.read(a);
        let x = self.cast_node(x, Self::mean_dtype(a.dtype));
        let s = self.reduce_node(ReduceOp::Sum, x, axes, keepdims)?;
        let m = self.divide_by_count(s, n as f64)?;
        self.new_array(m)
    }

    fn divide_by_count(&mut self, s: NodeId, n: f64) -> Result<NodeId> {
        let node = self.graph.node(s);
        let (shape, dtype) = (node.shape.clone(), node.dtype);
        let c = PyScalar::Float(n).to_dtype(dtype)?;
        let c = self.fill_node(&[], c, dtype);
        Ok(self.graph.add(Node { op: Op::Binary(BinaryOp::Div), inputs: vec![s, c], shape, dtype }))
    }

    /// `var` as NumPy computes it: mean of |x - mean(x)|^2 over `count - ddof`.
    pub fn var(&mut self, a: &Arr, axes: Option<&[i64]>, ddof: f64, keepdims: bool) -> Result<Arr> {
        let v = self.var_node(a, axes, ddof, keepdims)?;
        self.new_array(v)
    }

    pub fn std(&mut self, a: &Arr, axes: Option<&[i64]>, ddof: f64, keepdims: bool) -> Result<Arr> {
        let v = self.var_node(a, axes, ddof, keepdims)?;
        let node = self.graph.node(v);
        let (shape, dtype) = (node.shape.clone(), node.dtype);
        let s = self.graph.add(Node { op: Op::Unary(UnaryOp::Sqrt), inputs: vec![v], shape, dtype });
        self.new_array(s)
    }

    fn var_node(&mut self, a: &Arr, axes: Option<&[i64]>, ddof: f64, keepdims: bool) -> Result<NodeId> {
        let n = self.count(a, axes)?;
        let work = Self::mean_dtype(a.dtype);
        let x = self.read(a);
        let x = self.cast_node(x, work);
        let s = self.reduce_node(ReduceOp::Sum, x, axes, true)?;
        let m = self.divide_by_count(s, n as f64)?;
        let shape = a.shape().to_vec();
        let d = self.graph.add(Node { op: Op::Binary(BinaryOp::Sub), inputs: vec![x, m], shape: shape.clone(), dtype: work });
        let real = work.real_part();
        let d = if work.is_complex() {
            self.graph.add(Node { op: Op::Unary(UnaryOp::Abs), inputs: vec![d], shape: shape.clone(), dtype: real })
        } else {
            d
        };
        let sq = self.graph.add(Node { op: Op::Binary(BinaryOp::Mul), inputs: vec![d, d], shape, dtype: real });
        let ss = self.reduce_node(ReduceOp::Sum, sq, axes, keepdims)?;
        self.divide_by_count(ss, (n as f64 - ddof).max(0.0))
    }
}

/// Operands of reductions are arrays; this keeps the signature uniform for the Python layer.
pub fn as_array(o: &Operand) -> Option<&Arr> {
    match o {
        Operand::Array(a) => Some(a),
        _ => None,
    }
}
