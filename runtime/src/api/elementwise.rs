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
    // Within a kind any size goes; across kinds only upward (uint -> int, not int -> uint).
    let rank = |d: DType| match d.kind() {
        Kind::Bool => 0,
        Kind::UInt => 1,
        Kind::Int => 2,
        Kind::Float => 3,
        Kind::Complex => 4,
    };
    rank(from) <= rank(to)
}

impl Session {
    pub fn binary(&mut self, op: BinaryOp, a: &Operand, b: &Operand) -> Result<Arr> {
        if op == BinaryOp::Ldexp {
            return self.ldexp(a, b);
        }
        let shape = broadcast_shapes(&a.shape(), &b.shape())?;
        let mut common = common_dtype(&[a, b]);
        if let Some(n) = self.mixed_sign_comparison(op, a, b, &shape)? {
            return self.new_array(n);
        }
        if op == BinaryOp::Pow && (common.kind() == Kind::Int || common == DType::Bool) {
            let negative = |o: &Operand| match o {
                Operand::Py(super::PyScalar::Int(i)) => *i < 0,
                Operand::Np(s, d) => d.is_integer() && s.as_i64() < 0 && d.kind() == Kind::Int,
                _ => false,
            };
            ir::ensure!(!negative(b), Value, "Integers to negative integer powers are not allowed.");
        }
        if op.is_comparison() && comparison_needs_wide(a, b, common) {
            // Comparing with a Python int outside the dtype's range is still well defined.
            common = if common.kind() == Kind::UInt || common.kind() == Kind::Int { DType::F64 } else { common };
        }
        let (loop_dtype, out) = op.loop_dtypes(common)?;
        check_c_long(op, a, b)?;
        let na = self.operand_node(a, loop_dtype)?;
        if op == BinaryOp::Pow && shape == a.shape() {
            if let Some(n) = self.fast_scalar_power(na, b, loop_dtype, &shape) {
                return self.new_array(n);
            }
        }
        let nb = self.operand_node(b, loop_dtype)?;
        let n = self.graph.add(Node { op: Op::Binary(op), inputs: vec![na, nb], shape, dtype: out });
        self.new_array(n)
    }

    /// NumPy's fast_scalar_power: `x**2` is `x*x`, `x**0.5` is `sqrt(x)`, `x**-1` is `1/x`
    /// (inexact dtypes), `x**1` is a copy, as NumPy computes them (also for -0.0 and inf).
    fn fast_scalar_power(&mut self, x: ir::NodeId, b: &Operand, dtype: DType, shape: &[usize]) -> Option<ir::NodeId> {
        let e = match b {
            Operand::Py(super::PyScalar::Int(i)) => *i as f64,
            Operand::Py(super::PyScalar::Float(f)) => *f,
            Operand::Np(s, d) if !d.is_complex() => s.as_f64(),
            _ => return None,
        };
        let node = |op, inputs| Node { op, inputs, shape: shape.to_vec(), dtype };
        if e == 2.0 {
            return Some(self.graph.add(node(Op::Binary(BinaryOp::Mul), vec![x, x])));
        }
        if !dtype.is_inexact() {
            return None;
        }
        if e == 0.5 {
            return Some(self.graph.add(node(Op::Unary(UnaryOp::Sqrt), vec![x])));
        }
        if e == -1.0 {
            let one = self.fill_node(&[], ir::Scalar::Int(1), dtype);
            return Some(self.graph.add(node(Op::Binary(BinaryOp::Div), vec![one, x])));
        }
        None
    }

    pub fn unary(&mut self, op: UnaryOp, a: &Arr) -> Result<Arr> {
        let out = op.result_dtype(a.dtype)?;
        let input = match op {
            UnaryOp::LogicalNot => DType::Bool,
            UnaryOp::Abs | UnaryOp::Imag | UnaryOp::BitwiseCount => a.dtype,
            // The exponent of frexp comes from the mantissa's float loop.
            UnaryOp::FrexpExponent => UnaryOp::FrexpMantissa.result_dtype(a.dtype)?,
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
        ir::ensure!(!a.view.readonly, Value, "output array is read-only");
        check_c_long(op, &Operand::Array(a.clone()), b)?;
        // NumPy checks the output cast before it computes anything.
        let (_, out) = op.loop_dtypes(common_dtype(&[&Operand::Array(a.clone()), b]))?;
        ir::ensure!(
            can_cast_same_kind(out, a.dtype),
            Type,
            "Cannot cast ufunc '{}' output from dtype('{}') to dtype('{}') with casting rule 'same_kind'",
            op.name(),
            out,
            a.dtype
        );
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

impl Session {
    /// NumPy's ldexp(x, n): x in its float loop (float32 stays float32, integers go to their
    /// float counterpart; NumPy's float16 loop raises NotImplementedError, as the overflow of
    /// float16 results is their point), n as int64: NumPy's int32 loop for exponents of at most
    /// 32 bits and Python ints (which must fit int32 then), its int64 loop for int64 and uint32.
    /// Two Python scalars are both strong (their default dtypes), as in NumPy. Errors come in
    /// NumPy's order: no loop (TypeError), then the float16 loop, then a Python int's overflow.
    pub fn ldexp(&mut self, x: &Operand, n: &Operand) -> Result<Arr> {
        use super::PyScalar::{Bool, Float, Int};
        let shape = broadcast_shapes(&x.shape(), &n.shape())?;
        let both_weak = matches!((x, n), (Operand::Py(_), Operand::Py(_)));
        let strong = |o: &Operand| match o {
            Operand::Array(a) => Some(a.dtype),
            Operand::Np(_, d) => Some(*d),
            Operand::Py(p) if both_weak => Some(ir::dtype::default_dtype(p.kind())),
            Operand::Py(_) => None,
        };
        // The mantissa's dtype; None for a weak Python int (or bool), which meets NumPy's
        // float16 loop first.
        let mantissa = match (strong(x), x) {
            (Some(d), _) if !d.is_complex() => Some(d),
            (None, Operand::Py(Float(_))) => Some(DType::F64),
            (None, Operand::Py(Int(_) | Bool(_))) => None,
            _ => ir::bail!(Type, "{}", ir::op::no_loop_message("ldexp")),
        };
        // The exponent: an integer of at most 32 bits, int64 or uint32 (uint64 has no loop).
        let exponent_ok = match (strong(n), n) {
            (Some(d), _) => d != DType::U64 && !d.is_inexact(),
            (None, p) => matches!(p, Operand::Py(Int(_) | Bool(_))),
        };
        ir::ensure!(exponent_ok, Type, "{}", ir::op::no_loop_message("ldexp"));
        let fd = match mantissa {
            Some(d) => ir::op::float_loop(d, "ldexp", true)?,
            None => ir::bail!(
                NotImplemented,
                "starp has no float16: ldexp of a Python int and an integer array is NumPy's float16 loop; pass a float mantissa (e.g. 1.0) instead"
            ),
        };
        let nn = match n {
            // A weak exponent is read as an int32 (OverflowError beyond), then widened.
            Operand::Py(p) if !both_weak => self.fill_node(&[], p.to_dtype(DType::I32)?, DType::I64),
            _ => self.operand_node(n, DType::I64)?,
        };
        let nx = self.operand_node(x, fd)?;
        let node = Node { op: Op::Binary(BinaryOp::Ldexp), inputs: vec![nx, nn], shape, dtype: fd };
        let id = self.graph.add(node);
        self.new_array(id)
    }

    /// int64 against uint64 has no common integer dtype; NumPy still compares them exactly, as
    /// `a < 0 or uint(a) < b` and its relatives.
    fn mixed_sign_comparison(&mut self, op: BinaryOp, a: &Operand, b: &Operand, shape: &[usize]) -> Result<Option<ir::NodeId>> {
        use BinaryOp::*;
        let strong = |o: &Operand| match o {
            Operand::Array(x) => Some(x.dtype),
            Operand::Np(_, d) => Some(*d),
            Operand::Py(_) => None,
        };
        let (Some(da), Some(db)) = (strong(a), strong(b)) else { return Ok(None) };
        if !matches!(op, Eq | Ne | Lt | Le | Gt | Ge) || ir::dtype::promote(da, db) != DType::F64 || !da.is_integer() || !db.is_integer() {
            return Ok(None);
        }
        // Put the signed operand first.
        let (s, u, op) = if da.kind() == Kind::Int {
            (a, b, op)
        } else {
            let flipped = match op {
                Lt => Gt,
                Le => Ge,
                Gt => Lt,
                Ge => Le,
                o => o,
            };
            (b, a, flipped)
        };
        let sn = self.operand_node(s, DType::I64)?;
        let un = self.operand_node(u, DType::U64)?;
        let su = self.cast_node(sn, DType::U64);
        let zero = self.fill_node(&[], ir::Scalar::Int(0), DType::I64);
        let sshape = self.graph.node(sn).shape.clone();
        let neg = self.graph.add(Node { op: Op::Binary(Lt), inputs: vec![sn, zero], shape: sshape, dtype: DType::Bool });
        let cmp = self.graph.add(Node { op: Op::Binary(op), inputs: vec![su, un], shape: shape.to_vec(), dtype: DType::Bool });
        let n = match op {
            // A negative signed value is below every unsigned one.
            Lt | Le | Ne => self.graph.add(Node { op: Op::Binary(LogicalOr), inputs: vec![neg, cmp], shape: shape.to_vec(), dtype: DType::Bool }),
            _ => {
                let nn = self.graph.add(Node { op: Op::Unary(UnaryOp::LogicalNot), inputs: vec![neg], shape: self.graph.node(neg).shape.clone(), dtype: DType::Bool });
                self.graph.add(Node { op: Op::Binary(LogicalAnd), inputs: vec![nn, cmp], shape: shape.to_vec(), dtype: DType::Bool })
            }
        };
        Ok(Some(n))
    }
}

/// With a bool array, NumPy converts a Python int to a C long (int64) before anything else.
fn check_c_long(op: BinaryOp, a: &Operand, b: &Operand) -> Result<()> {
    let (natural_loop, _) = op.loop_dtypes(common_dtype(&[a, b]))?;
    let bool_array = [a, b].iter().any(|o| matches!(o, Operand::Array(x) if x.dtype == DType::Bool));
    if bool_array && natural_loop == DType::I64 {
        for o in [a, b] {
            if let Operand::Py(super::PyScalar::Int(i)) = o {
                ir::ensure!(i64::try_from(*i).is_ok(), Overflow, "Python int too large to convert to C long");
            }
        }
    }
    Ok(())
}

fn comparison_needs_wide(a: &Operand, b: &Operand, common: DType) -> bool {
    [a, b].iter().any(|o| matches!(o, Operand::Py(p) if p.to_dtype(common).is_err()))
}
