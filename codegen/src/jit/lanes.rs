//! Mode T's interleaved fold (the order is the interpreter's, see `interp::reduce`): the run
//! being folded keeps its 8 lanes in a stack slot, lane `l` at `base + l * size` (`size` 4 for
//! float32, 8 for float64, 16 for complex, two f64 parts), so the scalar loop, the strip chunks
//! and the vector loop (which keeps the lanes in registers and stores them when it ends) all
//! hand the lanes on through memory.

use super::emit::{mem, ty, Em, V};
use super::plan::fold_op;
use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{types, InstBuilder, StackSlotData, StackSlotKind, Value};
use cranelift_frontend::Variable;
use ir::dtype::DType;
use ir::op::ReduceOp;

pub(crate) const LANES: usize = crate::interp::LANES;

/// The lanes of one loop nest's current run.
pub(crate) struct Lanes {
    pub op: ReduceOp,
    pub vd: DType,
    /// Address of lane 0.
    pub base: Value,
    /// i8: whether the current segment of the inner loop is a run folded by lanes (otherwise it
    /// folds value by value into the accumulator).
    pub on: Variable,
    /// The inner index where the current run started.
    pub start: Variable,
}

impl Lanes {
    /// Allocates the slot; the caller defines `on` and `start` at each run's start.
    pub(crate) fn new(em: &mut Em, op: ReduceOp, vd: DType) -> Lanes {
        let slot = em.b.create_sized_stack_slot(StackSlotData::new(StackSlotKind::ExplicitSlot, 16 * LANES as u32, 4));
        let base = em.b.ins().stack_addr(types::I64, slot, 0);
        let on = em.b.declare_var(types::I8);
        let start = em.b.declare_var(types::I64);
        let f = em.b.ins().iconst(types::I8, 0);
        em.b.def_var(on, f);
        let z = em.iconst(0);
        em.b.def_var(start, z);
        Lanes { op, vd, base, on, start }
    }

    fn size(&self) -> i64 {
        if self.vd.is_complex() {
            16
        } else {
            ty(self.vd).bytes() as i64
        }
    }

    fn load(&self, em: &mut Em, p: Value, off: i32) -> V {
        if self.vd.is_complex() {
            let re = em.b.ins().load(types::F64, mem(), p, off);
            let im = em.b.ins().load(types::F64, mem(), p, off + 8);
            V::C(re, im)
        } else {
            V::S(em.b.ins().load(ty(self.vd), mem(), p, off))
        }
    }

    fn store(&self, em: &mut Em, v: V, p: Value) {
        match v {
            V::S(x) => {
                em.b.ins().store(mem(), x, p, 0);
            }
            V::C(re, im) => {
                em.b.ins().store(mem(), re, p, 0);
                em.b.ins().store(mem(), im, p, 8);
            }
        }
    }

    /// Folds `v`, the value at inner index `jv` of the current run, into lane
    /// `(jv - start) % 8`; the run's first 8 values start their lanes.
    pub(crate) fn fold(&self, em: &mut Em, v: V, jv: Value) {
        let start = em.b.use_var(self.start);
        let pos = em.b.ins().isub(jv, start);
        let l = em.b.ins().band_imm_s(pos, LANES as i64 - 1);
        let off = em.b.ins().imul_imm_s(l, self.size());
        let p = em.b.ins().iadd(self.base, off);
        let cur = self.load(em, p, 0);
        let next = em.arith(fold_op(self.op), self.vd, cur, v);
        let fresh = em.b.ins().icmp_imm_s(IntCC::SignedLessThan, pos, LANES as i64);
        let next = em.select(V::S(fresh), v, next);
        self.store(em, next, p);
    }

    /// The run's total: ((l0 op l1) op (l2 op l3)) op ((l4 op l5) op (l6 op l7)).
    pub(crate) fn total(&self, em: &mut Em) -> V {
        let size = self.size() as i32;
        let mut level: Vec<V> = (0..LANES as i32).map(|l| self.load(em, self.base, l * size)).collect();
        let op = fold_op(self.op);
        while level.len() > 1 {
            level = level.chunks(2).map(|p| em.arith(op, self.vd, p[0], p[1])).collect();
        }
        level[0]
    }
}
