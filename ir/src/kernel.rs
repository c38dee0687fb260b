//! The kernel IR: what one fused kernel computes per element, and how it is called.
//!
//! A kernel runs over a box of its N-d domain in *global* coordinates. Operand `i` is a pointer, an
//! offset and one stride per domain axis (in elements; stride 0 broadcasts), so the element of
//! operand `i` at global coordinate `x` lives at `ptr + itemsize * (offset + Σ strides[d] * x[d])`.
//! The body is SSA: instruction `j` may use only instructions before it. No instruction traps:
//! integer division by zero, INT_MIN / -1 and float-to-int casts of NaN are defined (NumPy's
//! results), so a kernel can never kill the process.
//!
//! A reduction kernel reduces the `reduced` axes of its domain in a fixed tree: the reduced
//! coordinates are flattened row-major into `t in [0, R)`, leaf `k` covers
//! `t in [k * LEAF, (k + 1) * LEAF)`; the runtime combines leaves pairwise. Within a leaf the
//! fold order is a function of the domain and the reduced axes alone (codegen's
//! `interp::reduce` defines it; the JIT follows it bit for bit): the values are folded in t order
//! into one accumulator, started by the leaf's first value, except that float and complex
//! sum, prod, max and min, when they run along t ("mode T": the innermost axis of extent > 1 is
//! reduced and at least 8 long, or the reduced axes give the longer inner loop), cut the leaf
//! into runs along the innermost reduced axis of extent > 1 and fold each run of 8 values or more
//! into 8 interleaved lanes (value `j` of the run into lane `j % 8`, each lane started by its
//! first value), combined as `((l0 + l1) + (l2 + l3)) + ((l4 + l5) + (l6 + l7))` and folded into
//! the accumulator as one value: NumPy's pairwise-sum block, shorter dependency chains and a
//! smaller rounding error. A call computes the partials of leaves `[leaf_lo, leaf_hi)` for the
//! kept coordinates of its box, so the result does not depend on how leaves or kept coordinates
//! are split over ranks or threads, nor on the operands' layout.

use crate::dtype::DType;
use crate::op::{BinaryOp, RandomDist, ReduceOp, UnaryOp};
use crate::scalar::Scalar;
use serde::{Deserialize, Serialize};

/// Elements per reduction leaf.
pub const LEAF: usize = 1024;

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum InstrOp {
    /// Element of input operand `i` at the current coordinate.
    Load(u32),
    /// Runtime scalar `i` (not part of the kernel's identity, so loops compile once).
    Param(u32),
    /// `Σ coef * x[axis]` over global coordinates, as int64.
    Linear(Vec<(u32, i64)>),
    Unary(UnaryOp, u32),
    /// Operands have the loop dtype; the result has the instruction's dtype.
    Binary(BinaryOp, u32, u32),
    Cast(u32),
    /// `cond ? a : b`, `cond` bool.
    Select(u32, u32, u32),
    /// Philox draw: params `seed`, `draw` (uint64), optional `range` (uint64), at element `index`
    /// (an int64 instruction).
    Random { dist: RandomDist, seed: u32, draw: u32, range: Option<u32>, index: u32 },
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Instr {
    pub op: InstrOp,
    pub dtype: DType,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct KernelReduction {
    pub op: ReduceOp,
    /// The instruction whose values are reduced (already of the accumulator dtype).
    pub value: u32,
    /// Per domain axis: reduced or kept.
    pub reduced: Vec<bool>,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Kernel {
    pub ndim: usize,
    pub inputs: Vec<DType>,
    pub params: Vec<DType>,
    pub body: Vec<Instr>,
    /// Instructions stored elementwise to output operands.
    pub outputs: Vec<u32>,
    pub reduction: Option<KernelReduction>,
}

/// Pointer, offset and per-axis strides of one operand (see the module docs).
#[derive(Clone, Debug)]
pub struct Operand {
    pub ptr: *mut u8,
    pub offset: isize,
    pub strides: Vec<isize>,
}

/// One call of a kernel over a box of its domain.
pub struct Call<'a> {
    /// Global shape of the domain.
    pub domain: &'a [usize],
    /// The box: for a reduction only the kept axes matter (reduced axes come from the leaves).
    pub lo: Vec<usize>,
    pub hi: Vec<usize>,
    pub inputs: &'a [Operand],
    pub params: &'a [Scalar],
    pub outputs: &'a [Operand],
    /// Reductions: leaves to compute.
    pub leaves: (usize, usize),
    /// Reductions: partial values, laid out `[leaf - leaf_lo][kept box, row-major]`, and for
    /// argmin/argmax the matching int64 `t` indices in the same layout.
    pub partials: Option<(*mut u8, Option<*mut u64>)>,
}

impl Kernel {
    /// Number of reduced elements R and leaves for a domain.
    pub fn reduction_extent(&self, domain: &[usize]) -> (usize, usize) {
        let r = self.reduction.as_ref().expect("reduction kernel");
        let n: usize = domain.iter().zip(&r.reduced).filter(|(_, &red)| red).map(|(&d, _)| d).product();
        (n, n.div_ceil(LEAF))
    }

    /// A stable text form, also the kernel's cache identity.
    pub fn dump(&self) -> String {
        let mut s = format!(
            "kernel(ndim={}, inputs=[{}], params=[{}])\n",
            self.ndim,
            self.inputs.iter().map(|d| d.name()).collect::<Vec<_>>().join(", "),
            self.params.iter().map(|d| d.name()).collect::<Vec<_>>().join(", ")
        );
        for (i, ins) in self.body.iter().enumerate() {
            let rhs = match &ins.op {
                InstrOp::Load(k) => format!("load in{k}"),
                InstrOp::Param(k) => format!("param p{k}"),
                InstrOp::Linear(t) => {
                    let parts: Vec<String> = t.iter().map(|(a, c)| format!("{c}*x{a}")).collect();
                    format!("linear {}", if parts.is_empty() { "0".into() } else { parts.join(" + ") })
                }
                InstrOp::Unary(u, a) => format!("{} v{a}", u.name()),
                InstrOp::Binary(b, x, y) => format!("{} v{x}, v{y}", b.name()),
                InstrOp::Cast(a) => format!("cast v{a}"),
                InstrOp::Select(c, a, b) => format!("select v{c}, v{a}, v{b}"),
                InstrOp::Random { dist, seed, draw, range, index } => {
                    format!("random.{dist:?} seed=p{seed} draw=p{draw}{} at v{index}", range.map(|r| format!(" range=p{r}")).unwrap_or_default())
                }
            };
            s += &format!("  v{i}: {} = {rhs}\n", ins.dtype);
        }
        for (k, o) in self.outputs.iter().enumerate() {
            s += &format!("  out{k} <- v{o}\n");
        }
        if let Some(r) = &self.reduction {
            s += &format!("  reduce {} v{} over axes {:?}\n", r.op.name(), r.value, r.reduced.iter().enumerate().filter(|(_, &b)| b).map(|(i, _)| i).collect::<Vec<_>>());
        }
        s
    }
}
