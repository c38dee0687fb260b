//! The contiguous fast path of the elementwise inner loop: 128-bit vectors (f64x2 / i64x2, or
//! f32x4 for float32 kernels), unrolled twice, then the scalar loop finishes the tail.
//!
//! Reductions use it in both modes: mode 1 folds each vector into as many accumulators (distinct
//! kept points); mode T folds a run's groups of 8 consecutive values into its 8 lanes (see
//! `interp::reduce`), held as 4 f64x2 or 2 f32x4 accumulators (the loop is unrolled to 8
//! values), which it stores to the lanes' stack slot for the scalar loop to finish the run.
//!
//! It covers the arithmetic that dominates NumPy code: loads, stores, params, int64 Linear
//! values, + - * / sqrt neg abs max min fmax fmin of floats, + - * and bitwise ops of 64-bit
//! integers, comparisons, logical ops and selects (bools live as lane masks), and bool to number
//! casts.
//! A kernel with any other live instruction, or mixing float32 with 64-bit values, runs the
//! scalar loop only. Every vector operation is lane-wise the scalar one, so results are
//! identical.

use super::emit::{mem, Em, Entry};
use super::plan::{is_comparison, Plan};
use cranelift_codegen::ir::condcodes::{FloatCC, IntCC};
use cranelift_codegen::ir::{types, Block, InstBuilder, MemFlagsData, Type, Value};
use cranelift_frontend::Variable;
use ir::dtype::{DType, Kind};
use ir::kernel::{InstrOp, Kernel};
use ir::op::{BinaryOp, ReduceOp, UnaryOp};

/// Vector iterations are unrolled this many times.
const UNROLL: usize = 2;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Class {
    /// f64 / int64 / uint64 in 2 lanes.
    L64,
    /// float32 in 4 lanes.
    L32,
}

impl Class {
    fn lanes(self) -> usize {
        match self {
            Class::L64 => 2,
            Class::L32 => 4,
        }
    }

    fn has(self, d: DType) -> bool {
        match self {
            Class::L64 => matches!(d, DType::F64 | DType::I64 | DType::U64),
            Class::L32 => d == DType::F32,
        }
    }

    fn mask(self) -> Type {
        match self {
            Class::L64 => types::I64X2,
            Class::L32 => types::I32X4,
        }
    }

    fn vty(self, d: DType) -> Type {
        match d {
            DType::F64 => types::F64X2,
            DType::F32 => types::F32X4,
            DType::I64 | DType::U64 => types::I64X2,
            _ => self.mask(),
        }
    }
}

fn supported_in(c: Class, k: &Kernel, live: &[bool]) -> bool {
    use BinaryOp::*;
    let ok = |d: DType| c.has(d) || d == DType::Bool;
    for (_, ins) in k.body.iter().enumerate().filter(|&(j, _)| live[j]) {
        let d = ins.dtype;
        let dt = |a: u32| k.body[a as usize].dtype;
        let fine = match &ins.op {
            InstrOp::Load(_) | InstrOp::Param(_) => c.has(d),
            InstrOp::Linear(_) => c == Class::L64 && d == DType::I64,
            &InstrOp::Unary(op, a) => {
                let da = dt(a);
                match op {
                    UnaryOp::Neg | UnaryOp::Abs => c.has(da) && d == da,
                    UnaryOp::Sqrt => da.is_float() && c.has(da) && d == da,
                    UnaryOp::Invert | UnaryOp::LogicalNot => da == DType::Bool && d == DType::Bool,
                    _ => false,
                }
            }
            &InstrOp::Binary(op, a, _) => {
                let da = dt(a);
                if is_comparison(op) {
                    ok(da)
                } else {
                    match da.kind() {
                        Kind::Float => c.has(da) && matches!(op, Add | Sub | Mul | Div | Max | Min | Fmax | Fmin),
                        Kind::Int | Kind::UInt => {
                            c.has(da) && matches!(op, Add | Sub | Mul | BitAnd | BitOr | BitXor | Max | Min | Fmax | Fmin)
                        }
                        Kind::Bool => matches!(
                            op,
                            Add | Max | BitOr | LogicalOr | Mul | Min | BitAnd | LogicalAnd | Sub | BitXor | LogicalXor
                                | Fmax | Fmin
                        ),
                        Kind::Complex => false,
                    }
                }
            }
            &InstrOp::Cast(a) => {
                let da = dt(a);
                (da == d && ok(d))
                    || (c == Class::L64 && c.has(da) && c.has(d) && da.is_integer() && d.is_integer())
                    || (da == DType::Bool && c.has(d))
                    || (d == DType::Bool && c.has(da))
            }
            InstrOp::Select(..) => ok(d),
            InstrOp::Random { .. } => false,
        };
        if !fine {
            return false;
        }
    }
    k.outputs.iter().all(|&o| ok(k.body[o as usize].dtype))
}

/// Whether a reduction's fold has a vector form (mode 1 only: lanes are distinct kept points).
fn fold_supported(c: Class, k: &Kernel) -> bool {
    match &k.reduction {
        None => true,
        Some(r) => {
            let vd = k.body[r.value as usize].dtype;
            c.has(vd) && matches!(r.op, ReduceOp::Sum | ReduceOp::Prod | ReduceOp::Min | ReduceOp::Max)
        }
    }
}

fn class(k: &Kernel, live: &[bool]) -> Option<Class> {
    [Class::L64, Class::L32].into_iter().find(|&c| supported_in(c, k, live) && fold_supported(c, k))
}

/// The mode-1 reduction state the vector loop folds into: accumulator `j` at `acc + j * size`,
/// started from the value itself where `first` (an i8) is set.
pub(crate) struct Fold {
    pub op: ReduceOp,
    pub value: u32,
    pub acc: Value,
    pub first: Value,
}

/// The mode-T lanes the vector loop folds into: a run started at the loop's first step (`j` on
/// entry), lane `l` stored at `base + l * size` when the loop ends.
pub(crate) struct FoldT {
    pub op: ReduceOp,
    pub value: u32,
    pub base: Value,
}

/// Whether every live instruction (and the reduction's fold, if any) has a vector form.
pub(crate) fn supported(k: &Kernel, live: &[bool]) -> bool {
    class(k, live).is_some()
}

fn bitcast(em: &mut Em, t: Type, v: Value) -> Value {
    if em.b.func.dfg.value_type(v) == t {
        v
    } else {
        em.b.ins().bitcast(t, MemFlagsData::new().with_endianness(cranelift_codegen::ir::Endianness::Little), v)
    }
}

fn splat_f(em: &mut Em, t: Type, x: f64) -> Value {
    let s = if t == types::F32X4 { em.b.ins().f32const(x as f32) } else { em.b.ins().f64const(x) };
    em.b.ins().splat(t, s)
}

struct VEm<'x, 'a, 'b> {
    em: &'x mut Em<'a, 'b>,
    c: Class,
}

impl VEm<'_, '_, '_> {
    fn fcmp(&mut self, cc: FloatCC, a: Value, b: Value) -> Value {
        self.em.b.ins().fcmp(cc, a, b)
    }

    /// Float maximum/minimum: NaN propagates, the first operand wins ties.
    fn fmaxmin(&mut self, max: bool, a: Value, b: Value) -> Value {
        // `math::fmax`/`fmin`: a tie (+0 against -0 included) gives the second operand.
        let cc = if max { FloatCC::GreaterThan } else { FloatCC::LessThan };
        let c1 = self.fcmp(cc, a, b);
        let c2 = self.fcmp(FloatCC::Unordered, a, a);
        let c = self.em.b.ins().bor(c1, c2);
        let t = self.em.b.func.dfg.value_type(a);
        let c = bitcast(self.em, t, c);
        self.em.b.ins().bitselect(c, a, b)
    }

    /// NumPy's fmax/fmin of floats (`ufunc_math::fmax_f`): a NaN second operand loses, the first
    /// operand wins ties.
    fn fmaxmin_nan_ignoring(&mut self, max: bool, a: Value, b: Value) -> Value {
        let cc = if max { FloatCC::GreaterThanOrEqual } else { FloatCC::LessThanOrEqual };
        let c1 = self.fcmp(cc, a, b);
        let c2 = self.fcmp(FloatCC::Unordered, b, b);
        let c = self.em.b.ins().bor(c1, c2);
        let t = self.em.b.func.dfg.value_type(a);
        let c = bitcast(self.em, t, c);
        self.em.b.ins().bitselect(c, a, b)
    }

    fn unary(&mut self, op: UnaryOp, da: DType, a: Value) -> Value {
        let ins = self.em.b.ins();
        match (op, da.kind()) {
            (UnaryOp::Neg, Kind::Float) => ins.fneg(a),
            (UnaryOp::Neg, _) => ins.ineg(a),
            (UnaryOp::Abs, Kind::Float) => ins.fabs(a),
            (UnaryOp::Abs, Kind::Int) => ins.iabs(a),
            (UnaryOp::Abs, _) => a,
            (UnaryOp::Sqrt, _) => ins.sqrt(a),
            (UnaryOp::Invert | UnaryOp::LogicalNot, _) => ins.bnot(a),
            _ => unreachable!("not planned for vectors"),
        }
    }

    fn binary(&mut self, op: BinaryOp, da: DType, a: Value, b: Value) -> Value {
        use BinaryOp::*;
        if is_comparison(op) {
            if da.is_float() {
                let cc = match op {
                    Eq => FloatCC::Equal,
                    Ne => FloatCC::NotEqual,
                    Lt => FloatCC::LessThan,
                    Le => FloatCC::LessThanOrEqual,
                    Gt => FloatCC::GreaterThan,
                    _ => FloatCC::GreaterThanOrEqual,
                };
                let m = self.fcmp(cc, a, b);
                return bitcast(self.em, self.c.mask(), m);
            }
            // Bool masks are all ones for true, so false < true in the unsigned order.
            let signed = da.kind() == Kind::Int;
            let cc = match (op, signed) {
                (Eq, _) => IntCC::Equal,
                (Ne, _) => IntCC::NotEqual,
                (Lt, true) => IntCC::SignedLessThan,
                (Le, true) => IntCC::SignedLessThanOrEqual,
                (Gt, true) => IntCC::SignedGreaterThan,
                (Ge, true) => IntCC::SignedGreaterThanOrEqual,
                (Lt, false) => IntCC::UnsignedLessThan,
                (Le, false) => IntCC::UnsignedLessThanOrEqual,
                (Gt, false) => IntCC::UnsignedGreaterThan,
                _ => IntCC::UnsignedGreaterThanOrEqual,
            };
            let m = self.em.b.ins().icmp(cc, a, b);
            return bitcast(self.em, self.c.mask(), m);
        }
        match da.kind() {
            Kind::Float => match op {
                Add => self.em.b.ins().fadd(a, b),
                Sub => self.em.b.ins().fsub(a, b),
                Mul => self.em.b.ins().fmul(a, b),
                Div => self.em.b.ins().fdiv(a, b),
                Max => self.fmaxmin(true, a, b),
                Fmax => self.fmaxmin_nan_ignoring(true, a, b),
                Fmin => self.fmaxmin_nan_ignoring(false, a, b),
                _ => self.fmaxmin(false, a, b),
            },
            Kind::Int | Kind::UInt => {
                let signed = da.kind() == Kind::Int;
                match op {
                    Add => self.em.b.ins().iadd(a, b),
                    Sub => self.em.b.ins().isub(a, b),
                    Mul => self.em.b.ins().imul(a, b),
                    BitAnd => self.em.b.ins().band(a, b),
                    BitOr => self.em.b.ins().bor(a, b),
                    Max | Fmax if signed => self.em.b.ins().smax(a, b),
                    Max | Fmax => self.em.b.ins().umax(a, b),
                    Min | Fmin if signed => self.em.b.ins().smin(a, b),
                    Min | Fmin => self.em.b.ins().umin(a, b),
                    _ => self.em.b.ins().bxor(a, b),
                }
            }
            _ => match op {
                Add | Max | BitOr | LogicalOr | Fmax => self.em.b.ins().bor(a, b),
                Mul | Min | BitAnd | LogicalAnd | Fmin => self.em.b.ins().band(a, b),
                _ => self.em.b.ins().bxor(a, b),
            },
        }
    }

    fn cast(&mut self, from: DType, to: DType, a: Value) -> Value {
        if from == to || (from.is_integer() && to.is_integer()) {
            return a;
        }
        if from == DType::Bool {
            let t = self.c.vty(to);
            return if to.is_float() {
                let one = splat_f(self.em, t, 1.0);
                let zero = splat_f(self.em, t, 0.0);
                let m = bitcast(self.em, t, a);
                self.em.b.ins().bitselect(m, one, zero)
            } else {
                let one = self.em.iconst(1);
                let one = self.em.b.ins().splat(t, one);
                self.em.b.ins().band(a, one)
            };
        }
        // To bool: nonzero (NaN included).
        let t = self.c.vty(from);
        if from.is_float() {
            let z = splat_f(self.em, t, 0.0);
            let m = self.fcmp(FloatCC::NotEqual, a, z);
            bitcast(self.em, self.c.mask(), m)
        } else {
            let z = self.em.iconst(0);
            let z = self.em.b.ins().splat(t, z);
            self.em.b.ins().icmp(IntCC::NotEqual, a, z)
        }
    }

    /// Stores a vector of dtype `d` at `p + off`; bool masks lane by lane as bytes.
    fn store(&mut self, d: DType, v: Value, p: Value, off: i32) {
        if d != DType::Bool {
            self.em.b.ins().store(mem(), v, p, off);
            return;
        }
        let lt = if self.c == Class::L64 { types::I64 } else { types::I32 };
        for l in 0..self.c.lanes() {
            let x = self.em.b.ins().extractlane(v, l as u8);
            let x = self.em.b.ins().band_imm_s(x, 1);
            let x = if lt == types::I64 { x } else { self.em.b.ins().uextend(types::I64, x) };
            self.em.b.ins().istore8(mem(), x, p, off + l as i32);
        }
    }
}

/// Emits the vector loop over groups of `UNROLL * lanes` inner steps (8 for a mode-T fold) up to
/// `end`, then jumps to `tail` (the scalar loop) with `j`, the operand pointers and the Linear
/// values advanced past them.
#[allow(clippy::too_many_arguments)]
pub(crate) fn inner_loop(
    em: &mut Em,
    k: &Kernel,
    plan: &Plan,
    e: &Entry,
    ptrs: &[Variable],
    lins: &[Variable],
    j: Variable,
    end: Value,
    fold: Option<Fold>,
    fold_t: Option<FoldT>,
    tail: Block,
) {
    let c = class(k, &plan.live).expect("planned vector path");
    let w = c.lanes();
    let unroll = if fold_t.is_some() { super::lanes::LANES / w } else { UNROLL };
    let step = (unroll * w) as i64;
    let nin = k.inputs.len();
    // Mode T: one accumulator vector per unrolled step; the first group starts them.
    let j_entry = em.b.use_var(j);
    let tacc: Vec<Variable> = match &fold_t {
        Some(f) => {
            let t = c.vty(k.body[f.value as usize].dtype);
            (0..unroll)
                .map(|_| {
                    let v = em.b.declare_var(t);
                    let z = splat_f(em, t, 0.0);
                    em.b.def_var(v, z);
                    v
                })
                .collect()
        }
        None => vec![],
    };

    // Loop invariants: params as splats, the lane offsets of Linear values.
    let mut params: Vec<Option<Value>> = vec![None; k.body.len()];
    for &jj in &plan.params {
        let d = k.body[jj as usize].dtype;
        let s = e.params[jj as usize].expect("param loaded").s();
        params[jj as usize] = Some(em.b.ins().splat(c.vty(d), s));
    }
    // [0, inner] per Linear (L64 only).
    let lane_off: Vec<Value> = e
        .lins
        .iter()
        .map(|l| {
            let z = em.iconst(0);
            let v = em.b.ins().scalar_to_vector(types::I64X2, z);
            em.b.ins().insertlane(v, l[2], 1)
        })
        .collect();
    let head = em.b.create_block();
    let body = em.b.create_block();
    let done = if fold_t.is_some() { em.b.create_block() } else { tail };
    em.b.ins().jump(head, &[]);

    em.b.switch_to_block(head);
    let jv = em.b.use_var(j);
    let jn = em.b.ins().iadd_imm_s(jv, step);
    let cond = em.b.ins().icmp(IntCC::SignedLessThanOrEqual, jn, end);
    em.b.ins().brif(cond, body, &[], done, &[]);

    em.b.switch_to_block(body);
    let jv = em.b.use_var(j);
    let pv: Vec<Value> = ptrs.iter().map(|&v| em.b.use_var(v)).collect();
    let lv: Vec<Value> = lins.iter().map(|&v| em.b.use_var(v)).collect();
    let dts: Vec<DType> = k.inputs.iter().copied().chain(k.outputs.iter().map(|&o| k.body[o as usize].dtype)).collect();
    let first_group = fold_t.as_ref().map(|_| em.b.ins().icmp(IntCC::Equal, jv, j_entry));
    let mut ve = VEm { em, c };
    for u in 0..unroll {
        let mut vals: Vec<Option<Value>> = vec![None; k.body.len()];
        let mut lin_ix = 0;
        for (jj, ins) in k.body.iter().enumerate() {
            if !plan.live[jj] {
                continue;
            }
            let d = ins.dtype;
            let val = |a: u32| vals[a as usize].expect("operands are live and earlier");
            let dt = |a: u32| k.body[a as usize].dtype;
            let v = match &ins.op {
                &InstrOp::Load(i) => {
                    let off = (u * w * dts[i as usize].itemsize()) as i32;
                    ve.em.b.ins().load(c.vty(d), mem(), pv[i as usize], off)
                }
                InstrOp::Param(_) => params[jj].expect("param splat"),
                InstrOp::Linear(_) => {
                    let q = lin_ix;
                    lin_ix += 1;
                    let si = e.lins[q][2];
                    let d0 = ve.em.b.ins().imul_imm_s(si, (u * w) as i64);
                    let base = ve.em.b.ins().iadd(lv[q], d0);
                    let base = ve.em.b.ins().splat(types::I64X2, base);
                    ve.em.b.ins().iadd(base, lane_off[q])
                }
                &InstrOp::Unary(op, a) => ve.unary(op, dt(a), val(a)),
                &InstrOp::Binary(op, a, b) => ve.binary(op, dt(a), val(a), val(b)),
                &InstrOp::Cast(a) => ve.cast(dt(a), d, val(a)),
                &InstrOp::Select(cnd, a, b) => {
                    let t = c.vty(d);
                    let m = bitcast(ve.em, t, val(cnd));
                    ve.em.b.ins().bitselect(m, val(a), val(b))
                }
                InstrOp::Random { .. } => unreachable!("not planned for vectors"),
            };
            vals[jj] = Some(v);
        }
        for (q, &o) in k.outputs.iter().enumerate() {
            let d = k.body[o as usize].dtype;
            let v = vals[o as usize].expect("outputs are live");
            let off = (u * w * d.itemsize()) as i32;
            ve.store(d, v, pv[nin + q], off);
        }
        if let Some(f) = &fold {
            let vd = k.body[f.value as usize].dtype;
            let v = vals[f.value as usize].expect("the reduced value is live");
            let isz = vd.itemsize() as i64;
            let off = ve.em.b.ins().imul_imm_s(jv, isz);
            let pa = ve.em.b.ins().iadd(f.acc, off);
            let o = (u * w) as i32 * isz as i32;
            let cur = ve.em.b.ins().load(c.vty(vd), mem(), pa, o);
            let op = super::plan::fold_op(f.op);
            let next = ve.binary(op, vd, cur, v);
            let next = ve.em.b.ins().select(f.first, v, next);
            ve.em.b.ins().store(mem(), next, pa, o);
        }
        if let (Some(f), Some(first), Some(&a)) = (&fold_t, first_group, tacc.get(u)) {
            let vd = k.body[f.value as usize].dtype;
            let v = vals[f.value as usize].expect("the reduced value is live");
            let cur = ve.em.b.use_var(a);
            let next = ve.binary(super::plan::fold_op(f.op), vd, cur, v);
            let next = ve.em.b.ins().select(first, v, next);
            ve.em.b.def_var(a, next);
        }
    }
    let em = ve.em;
    for (q, &p) in pv.iter().enumerate() {
        let np = em.b.ins().iadd_imm_s(p, step * dts[q].itemsize() as i64);
        em.b.def_var(ptrs[q], np);
    }
    for (q, &l) in lv.iter().enumerate() {
        let d = em.b.ins().imul_imm_s(e.lins[q][2], step);
        let nl = em.b.ins().iadd(l, d);
        em.b.def_var(lins[q], nl);
    }
    let jn = em.b.ins().iadd_imm_s(jv, step);
    em.b.def_var(j, jn);
    em.b.ins().jump(head, &[]);

    if let Some(f) = &fold_t {
        // Vector u holds lanes u * w .. (u + 1) * w, which is their order in the slot.
        em.b.switch_to_block(done);
        for (u, &a) in tacc.iter().enumerate() {
            let v = em.b.use_var(a);
            em.b.ins().store(mem(), v, f.base, 16 * u as i32);
        }
        em.b.ins().jump(tail, &[]);
    }
}
