//! Elementwise ufuncs, `where`, `astype` and in-place operators.

use super::{common_dtype, Operand};
use crate::session::{Arr, Session};
use ir::dtype::Kind;
use ir::error::fmt_shape;
use ir::op::{BinaryOp, UnaryOp};
use ir::shape::broadcast_shapes;
use ir::{DType, Node, Op, Result};

/// NumPy's `same_kind` casting, for in-place operators and `out=`.
pub fn can_cast_same_kind(from: DType, to: DType) -> bool {
    let rank = |d: DType| match d.kind() {
        Kind::Bool => 0,
        Kind::Int | Kind::UInt => 1,
        Kind::Float => 2,
        Kind::Complex => 3,
    };
    rank(from) <= rank(to)
}

impl Session {
    pub fn binary(&mut self, op: BinaryOp, a: &Operand, b: &Operand) -> Result<Arr> {
        let shape = broadcast_shapes(&a.shape(), &b.shape())?;
        let mut common = common_dtype(&[a, b]);
        if op.is_comparison() && comparison_needs_wide(a, b, common) {
            // Comparing with a Python int outside the dtype's range is still well defined.
            common = if common.kind() == Kind::UInt || common.kind() == Kind::Int { DType::F64 } else { common };
        }
        let (loop_dtype, out) = op.loop_dtypes(common)?;
        let na = self.operand_node(a, loop_dtype)?;
        let nb = self.operand_node(b, loop_dtype)?;
        let n = self.graph.add(Node { op: Op::Binary(op), inputs: vec![na, nb], shape, dtype: out });
        self.new_array(n)
    }

    pub fn unary(&mut self, op: UnaryOp, a: &Arr) -> Result<Arr> {
        let out = op.result_dtype(a.dtype)?;
        let input = match op {
            UnaryOp::LogicalNot => DType::Bool,
            UnaryOp::Abs => a.dtype,
            _ => out,
        };
        let x = self.read(a);
        let x = self.cast_node(x, input);
        let n = self.graph.add(Node { op: Op::Unary(op), inputs: vec![x], shape: a.shape().to_vec(), dtype: out });
        self.new_array(n)
    }

    pub fn where_(&mut self, cond: &Operand, a: &Operand, b: &Operand) -> Result<Arr> {
        let shape = broadcast_shapes(&cond.shape(), &a.shape()).and_then(|s| broadcast_shapes(&s, &b.shape()))?;
        let common = common_dtype(&[a, b]);
        let c = self.operand_node(cond, DType::Bool)?;
        let na = self.operand_node(a, common)?;
        let nb = self.operand_node(b, common)?;
        let n = self.graph.add(Node { op: Op::Where, inputs: vec![c, na, nb], shape, dtype: common });
        self.new_array(n)
    }

    /// `a.astype(dtype)`: a new array (a copy, as NumPy's default).
    pub fn astype(&mut self, a: &Arr, dtype: DType) -> Result<Arr> {
        let x = self.read(a);
        let n = self.cast_node(x, dtype);
        self.new_array(n)
    }

    /// `a op= b`: computes `a op b` and writes it back into `a`'s base through `a`'s view.
    pub fn inplace(&mut self, op: BinaryOp, a: &Arr, b: &Operand) -> Result<()> {
        let r = self.binary(op, &Operand::Array(a.clone()), b)?;
        let result = (r.dtype, r.shape().to_vec());
        let done = (|| {
            ir::ensure!(
                can_cast_same_kind(result.0, a.dtype),
                Type,
                "Cannot cast ufunc '{}' output from dtype('{}') to dtype('{}') with casting rule 'same_kind'",
                op.name(),
                result.0,
                a.dtype
            );
            ir::ensure!(
                result.1 == a.shape(),
                Value,
                "non-broadcastable output operand with shape {} doesn't match the broadcast shape {}",
                fmt_shape(a.shape()),
                fmt_shape(&result.1)
            );
            self.assign(a, &Operand::Array(r.clone()))
        })();
        self.drops.lock().unwrap_or_else(|e| e.into_inner()).push(r.base);
        done
    }
}

fn comparison_needs_wide(a: &Operand, b: &Operand, common: DType) -> bool {
    [a, b].iter().any(|o| matches!(o, Operand::Py(p) if p.to_dtype(common).is_err()))
}
