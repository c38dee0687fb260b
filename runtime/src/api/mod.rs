//! NumPy's semantics as graph construction: every shape, dtype and axis check happens here, at
//! the call, with NumPy's exception types and messages.

pub mod creation;
pub mod elementwise;
pub mod fft;
pub mod indexing;
pub mod linalg;
pub mod matmul;
pub mod nan;
pub mod random;
pub mod reductions;
pub mod select;
pub mod sorting;
pub mod shape;

use crate::session::{Arr, Session};
use ir::dtype::{int_range, promote_weak, WeakKind};
use ir::{DType, Node, NodeId, Op, Result, Scalar};

/// An operand as Python passes it.
#[derive(Clone, Debug)]
pub enum Operand {
    Array(Arr),
    /// A Python scalar: weak in promotion (NEP 50). Ints arrive as i128 to check overflow.
    Py(PyScalar),
    /// A NumPy scalar: strong, like a 0-d array.
    Np(Scalar, DType),
}

#[derive(Clone, Copy, Debug)]
pub enum PyScalar {
    Bool(bool),
    Int(i128),
    Float(f64),
    Complex(f64, f64),
}

impl PyScalar {
    pub fn kind(self) -> WeakKind {
        match self {
            PyScalar::Bool(_) => WeakKind::Bool,
            PyScalar::Int(_) => WeakKind::Int,
            PyScalar::Float(_) => WeakKind::Float,
            PyScalar::Complex(..) => WeakKind::Complex,
        }
    }

    /// The value in `dtype`, or OverflowError for a Python int that does not fit an integer dtype.
    pub fn to_dtype(self, dtype: DType) -> Result<Scalar> {
        Ok(match self {
            PyScalar::Bool(b) => Scalar::Bool(b).cast(dtype),
            PyScalar::Int(i) => {
                if let Some((lo, hi)) = int_range(dtype) {
                    ir::ensure!(i >= lo && i <= hi, Overflow, "Python integer {i} out of bounds for {dtype}");
                    if dtype.kind() == ir::dtype::Kind::UInt { Scalar::UInt(i as u64) } else { Scalar::Int(i as i64) }
                } else if dtype == DType::Bool {
                    Scalar::Bool(i != 0)
                } else {
                    Scalar::Float(i as f64).cast(dtype)
                }
            }
            PyScalar::Float(f) => Scalar::Float(f).cast(dtype),
            PyScalar::Complex(re, im) => Scalar::Complex(re, im).cast(dtype),
        })
    }
}

impl Operand {
    pub fn shape(&self) -> Vec<usize> {
        match self {
            Operand::Array(a) => a.shape().to_vec(),
            _ => vec![],
        }
    }
}

/// The common dtype of operands under NEP 50: strong dtypes promote; Python scalars adopt it.
pub fn common_dtype(ops: &[&Operand]) -> DType {
    let strong: Vec<DType> = ops
        .iter()
        .filter_map(|o| match o {
            Operand::Array(a) => Some(a.dtype),
            Operand::Np(_, d) => Some(*d),
            Operand::Py(_) => None,
        })
        .collect();
    let strong = ir::dtype::promote_many(&strong);
    let weak = ops.iter().filter_map(|o| if let Operand::Py(p) = o { Some(p.kind()) } else { None });
    match strong {
        Some(s) => weak.fold(s, promote_weak),
        None => {
            let k = weak.max_by_key(|k| *k as u8).unwrap_or(WeakKind::Bool);
            ir::dtype::default_dtype(k)
        }
    }
}

impl Session {
    /// The node for an operand in `dtype` (cast when needed).
    pub fn operand_node(&mut self, o: &Operand, dtype: DType) -> Result<NodeId> {
        match o {
            Operand::Array(a) => {
                let n = self.read(a);
                Ok(self.cast_node(n, dtype))
            }
            Operand::Py(p) => {
                let v = p.to_dtype(dtype)?;
                Ok(self.fill_node(&[], v, dtype))
            }
            Operand::Np(s, _) => Ok(self.fill_node(&[], s.cast(dtype), dtype)),
        }
    }

    pub fn fill_node(&mut self, shape: &[usize], v: Scalar, dtype: DType) -> NodeId {
        self.graph.add(Node { op: Op::Fill(v.cast(dtype)), inputs: vec![], shape: shape.to_vec(), dtype })
    }

    pub fn cast_node(&mut self, n: NodeId, dtype: DType) -> NodeId {
        let node = self.graph.node(n);
        if node.dtype == dtype {
            return n;
        }
        let shape = node.shape.clone();
        self.graph.add(Node { op: Op::Cast, inputs: vec![n], shape, dtype })
    }
}
