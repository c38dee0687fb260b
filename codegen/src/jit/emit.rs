//! Cranelift IR for one kernel.
//!
//! The function takes a pointer to the call frame (see `plan`) and runs a 2-d block of the
//! kernel's domain: `m` outer by `n` inner steps, every operand at `base + i * outer + j * inner`
//! bytes and every Linear value at `base + i * outer + j * inner`. The Rust driver (`drive`)
//! splits a call's box into such blocks. Reductions come in the two modes of the fold order
//! (`interp::reduce`, which the JIT follows bit for bit), chosen at run time:
//!
//! - mode 0 ("T") folds along the inner steps into one accumulator per outer step, kept in
//!   registers: outer step `i` accumulates into entry `i * astep` of the partials, at
//!   `t = t0 + i * tstep + j` (a block of kept points: astep 1, tstep 0; or a block of one kept
//!   point's leaves: astep the kept box's size, tstep LEAF). Float and complex sum, prod, max and
//!   min run the inner loop run by run (runs end where t is a multiple of E = `F_RUN`, E >= 8;
//!   E = 0 means no run needs lanes): a run of 8 values or more folds value `j` into lane
//!   `j % 8` (see `lanes`; the vector loop folds groups of 8 into 4 f64x2 or 2 f32x4
//!   accumulators), then folds its total ((l0 op l1) op (l2 op l3)) op ((l4 op l5) op (l6 op l7))
//!   into the accumulator; shorter runs, and every other reduction, fold value by value in t
//!   order.
//! - mode 1 ("K") folds the outer steps into one accumulator per inner step (`t = t0 + i`),
//!   the accumulators being the call's partials, value by value in t order.
//!
//! `init` says the block (every outer step of it, in mode T) starts its leaf: the first value, or
//! run total, then starts the fold instead of the stored partial.
//!
//! Values follow the interpreter's representation: every integer lives in an i64 (wrapped to
//! its dtype after each operation), bools in an i8 that is 0 or 1, float32 in an f32 (its + - * /
//! and sqrt are the f64 ones rounded to f32, which is what the interpreter computes), float64 in
//! an f64, and complex numbers as two f64 (rounded to f32 after each operation for complex64).
//!
//! Kernels with exp, log, sin, cos or tanh of real values run their inner loop by chunks (see
//! `strips`): per chunk, one scalar loop per phase, and between phases `vmath`'s slice functions
//! on buffers in the stack frame (or on the arrays themselves where that is all a phase does and
//! they are contiguous). Kernels whose buffers would not fit call the slice functions one element
//! at a time.

use super::callouts::Sig;
use super::lanes::Lanes;
use super::plan::{
    self, is_arg, is_comparison, Plan, F_ACC, F_ACCT, F_ASTEP, F_INIT, F_M, F_MODE, F_N, F_RUN, F_T0, F_TSTEP, F_VEC,
};
use super::strips::{self, Strips};
use super::vector;
use crate::vmath::Func;
use cranelift_codegen::ir::condcodes::{FloatCC, IntCC};
use cranelift_codegen::ir::{
    types, Block, Function, InstBuilder, MemFlagsData, StackSlot, StackSlotData, StackSlotKind, Type, Value,
};
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext, Variable};
use cranelift_jit::JITModule;
use cranelift_module::{FuncId, Module};
use ir::dtype::{DType, Kind};
use ir::kernel::{InstrOp, Kernel};
use ir::op::{BinaryOp, RandomDist, ReduceOp, UnaryOp};
use std::collections::HashMap;

pub(crate) type Ids = HashMap<&'static str, (FuncId, Sig)>;

/// An SSA value of the kernel: one machine value, or the two parts of a complex.
#[derive(Clone, Copy, Debug)]
pub(crate) enum V {
    S(Value),
    C(Value, Value),
}

impl V {
    pub(crate) fn s(self) -> Value {
        match self {
            V::S(v) => v,
            V::C(..) => unreachable!("complex value where a scalar was planned"),
        }
    }
    fn c(self) -> (Value, Value) {
        match self {
            V::C(r, i) => (r, i),
            V::S(_) => unreachable!("scalar value where a complex was planned"),
        }
    }
}

/// The machine type of a dtype's values (per part for complex).
pub(crate) fn ty(d: DType) -> Type {
    match d {
        DType::Bool => types::I8,
        DType::F32 => types::F32,
        DType::F64 | DType::C64 | DType::C128 => types::F64,
        _ => types::I64,
    }
}

pub(crate) fn mem() -> MemFlagsData {
    MemFlagsData::new().with_notrap()
}

/// The kernel's per-element operations, emitted into a function under construction.
pub(crate) struct Em<'a, 'b> {
    pub b: &'a mut FunctionBuilder<'b>,
    module: &'a mut JITModule,
    ids: &'a Ids,
    refs: HashMap<&'static str, cranelift_codegen::ir::FuncRef>,
    cslot: Option<StackSlot>,
    /// 16 bytes for a one-element strip call (argument at 0, result at 8).
    sslot: Option<StackSlot>,
    /// The buffers of a strip schedule.
    bslot: Option<StackSlot>,
}

impl<'a, 'b> Em<'a, 'b> {
    pub(crate) fn new(b: &'a mut FunctionBuilder<'b>, module: &'a mut JITModule, ids: &'a Ids) -> Self {
        Em { b, module, ids, refs: HashMap::new(), cslot: None, sslot: None, bslot: None }
    }

    pub(crate) fn iconst(&mut self, v: i64) -> Value {
        self.b.ins().iconst(types::I64, v)
    }

    fn bconst(&mut self, v: bool) -> Value {
        self.b.ins().iconst(types::I8, v as i64)
    }

    fn fconst(&mut self, t: Type, v: f64) -> Value {
        if t == types::F32 {
            self.b.ins().f32const(v as f32)
        } else {
            self.b.ins().f64const(v)
        }
    }

    fn callee(&mut self, name: &'static str) -> cranelift_codegen::ir::FuncRef {
        if let Some(&r) = self.refs.get(name) {
            return r;
        }
        let (id, _) = self.ids[name];
        let r = self.module.declare_func_in_func(id, self.b.func);
        self.refs.insert(name, r);
        r
    }

    fn call(&mut self, name: &'static str, args: &[Value]) -> Option<Value> {
        let f = self.callee(name);
        let inst = self.b.ins().call(f, args);
        self.b.inst_results(inst).first().copied()
    }

    fn call1(&mut self, name: &'static str, args: &[Value]) -> Value {
        self.call(name, args).expect("call-out with a result")
    }

    /// Calls a complex call-out that writes its result through an out pointer.
    fn call_c(&mut self, name: &'static str, args: &[Value]) -> (Value, Value) {
        let slot = *self
            .cslot
            .get_or_insert_with(|| self.b.create_sized_stack_slot(StackSlotData::new(StackSlotKind::ExplicitSlot, 16, 3)));
        let p = self.b.ins().stack_addr(types::I64, slot, 0);
        let mut a = args.to_vec();
        a.push(p);
        self.call(name, &a);
        let re = self.b.ins().stack_load(types::I64, types::F64, slot, 0);
        let im = self.b.ins().stack_load(types::I64, types::F64, slot, 8);
        (re, im)
    }

    // ---- representation helpers ----

    /// Wraps an i64 to the width of integer dtype `d`, as `wrap_signed` / `wrap_unsigned`.
    pub(crate) fn wrap(&mut self, d: DType, v: Value) -> Value {
        let (t, signed) = match d {
            DType::I8 => (types::I8, true),
            DType::I16 => (types::I16, true),
            DType::I32 => (types::I32, true),
            DType::U8 => (types::I8, false),
            DType::U16 => (types::I16, false),
            DType::U32 => (types::I32, false),
            _ => return v,
        };
        let r = self.b.ins().ireduce(t, v);
        if signed {
            self.b.ins().sextend(types::I64, r)
        } else {
            self.b.ins().uextend(types::I64, r)
        }
    }

    /// A float value of dtype `d`'s representation, widened to f64 (exact).
    fn to_f64(&mut self, d: DType, x: Value) -> Value {
        if d == DType::F32 {
            self.b.ins().fpromote(types::F64, x)
        } else {
            x
        }
    }

    /// An f64 rounded into float dtype `d`'s representation (`round_f`).
    fn from_f64(&mut self, d: DType, x: Value) -> Value {
        if d == DType::F32 {
            self.b.ins().fdemote(types::F32, x)
        } else {
            x
        }
    }

    /// `round_c` for one part: complex64 parts are f64 values rounded to f32.
    fn round_part(&mut self, d: DType, x: Value) -> Value {
        if d == DType::C64 {
            let s = self.b.ins().fdemote(types::F32, x);
            self.b.ins().fpromote(types::F64, s)
        } else {
            x
        }
    }

    fn round_c(&mut self, d: DType, re: Value, im: Value) -> V {
        let re = self.round_part(d, re);
        let im = self.round_part(d, im);
        V::C(re, im)
    }

    // ---- memory ----

    pub(crate) fn load(&mut self, d: DType, p: Value) -> V {
        let f = mem();
        let ins = self.b.ins();
        V::S(match d {
            DType::Bool => {
                let x = ins.load(types::I8, f, p, 0);
                self.b.ins().icmp_imm_s(IntCC::NotEqual, x, 0)
            }
            DType::I8 => ins.sload8(types::I64, f, p, 0),
            DType::I16 => ins.sload16(types::I64, f, p, 0),
            DType::I32 => ins.sload32(f, p, 0),
            DType::U8 => ins.uload8(types::I64, f, p, 0),
            DType::U16 => ins.uload16(types::I64, f, p, 0),
            DType::U32 => ins.uload32(f, p, 0),
            DType::I64 | DType::U64 => ins.load(types::I64, f, p, 0),
            DType::F32 => ins.load(types::F32, f, p, 0),
            DType::F64 => ins.load(types::F64, f, p, 0),
            DType::C64 => {
                let re = ins.load(types::F32, f, p, 0);
                let im = self.b.ins().load(types::F32, f, p, 4);
                let re = self.b.ins().fpromote(types::F64, re);
                let im = self.b.ins().fpromote(types::F64, im);
                return V::C(re, im);
            }
            DType::C128 => {
                let re = ins.load(types::F64, f, p, 0);
                let im = self.b.ins().load(types::F64, f, p, 8);
                return V::C(re, im);
            }
        })
    }

    pub(crate) fn store(&mut self, d: DType, v: V, p: Value) {
        let f = mem();
        match (d, v) {
            (DType::I8 | DType::U8, V::S(x)) => {
                self.b.ins().istore8(f, x, p, 0);
            }
            (DType::I16 | DType::U16, V::S(x)) => {
                self.b.ins().istore16(f, x, p, 0);
            }
            (DType::I32 | DType::U32, V::S(x)) => {
                self.b.ins().istore32(f, x, p, 0);
            }
            (DType::C64, V::C(re, im)) => {
                let re = self.b.ins().fdemote(types::F32, re);
                let im = self.b.ins().fdemote(types::F32, im);
                self.b.ins().store(f, re, p, 0);
                self.b.ins().store(f, im, p, 4);
            }
            (DType::C128, V::C(re, im)) => {
                self.b.ins().store(f, re, p, 0);
                self.b.ins().store(f, im, p, 8);
            }
            (_, V::S(x)) => {
                self.b.ins().store(f, x, p, 0);
            }
            (_, V::C(..)) => unreachable!("complex value of a real dtype"),
        }
    }

    /// A param slot (two u64 words at `frame + 8 * slot`) as dtype `d`.
    pub(crate) fn param(&mut self, d: DType, frame: Value, slot: usize) -> V {
        let off = (8 * slot) as i32;
        let f = MemFlagsData::trusted();
        match d.kind() {
            Kind::Bool => V::S(self.b.ins().load(types::I8, f, frame, off)),
            Kind::Int | Kind::UInt => V::S(self.b.ins().load(types::I64, f, frame, off)),
            Kind::Float => {
                let x = self.b.ins().load(types::F64, f, frame, off);
                V::S(self.from_f64(d, x))
            }
            Kind::Complex => {
                let re = self.b.ins().load(types::F64, f, frame, off);
                let im = self.b.ins().load(types::F64, f, frame, off + 8);
                V::C(re, im)
            }
        }
    }

    // ---- operations ----

    /// The argument of a float function (sqrt, or a strip function: `strips::strip_func`) of a
    /// real value of dtype `da` whose result has dtype `od`: the value as f64 (the column
    /// `values::unary` gives `float_fn`), rounded to float32 for a float32 result.
    pub(crate) fn float_arg(&mut self, da: DType, od: DType, a: V) -> Value {
        let x = match da.kind() {
            Kind::Float => self.to_f64(da, a.s()),
            Kind::Int => self.b.ins().fcvt_from_sint(types::F64, a.s()),
            Kind::UInt => self.b.ins().fcvt_from_uint(types::F64, a.s()),
            _ => {
                let w = self.b.ins().uextend(types::I64, a.s());
                self.b.ins().fcvt_from_uint(types::F64, w)
            }
        };
        self.from_f64(od, x)
    }

    /// Calls the strip function of `f` (float32 or float64) on `n` elements at `x`, into `out`.
    pub(crate) fn strip_call(&mut self, f: Func, f32: bool, x: Value, out: Value, n: Value) {
        self.call(super::callouts::strip_name(f, f32), &[x, out, n]);
    }

    /// The stack slot of the strip buffers (one per function).
    fn strip_slot(&mut self, bytes: usize) -> StackSlot {
        *self.bslot.get_or_insert_with(|| {
            self.b.create_sized_stack_slot(StackSlotData::new(StackSlotKind::ExplicitSlot, bytes as u32, 6))
        })
    }

    /// A strip function applied to one element (kernels without a strip schedule).
    fn strip_one(&mut self, f: Func, od: DType, x: Value) -> Value {
        let slot = *self
            .sslot
            .get_or_insert_with(|| self.b.create_sized_stack_slot(StackSlotData::new(StackSlotKind::ExplicitSlot, 16, 4)));
        let p = self.b.ins().stack_addr(types::I64, slot, 0);
        let q = self.b.ins().iadd_imm_s(p, 8);
        self.b.ins().store(mem(), x, p, 0);
        let one = self.iconst(1);
        self.strip_call(f, od == DType::F32, p, q, one);
        self.b.ins().load(ty(od), mem(), q, 0)
    }

    /// `op` on a value of dtype `da`; `od` is the result dtype (`values::unary`).
    pub(crate) fn unary(&mut self, op: UnaryOp, da: DType, od: DType, a: V) -> V {
        use UnaryOp::*;
        let k = da.kind();
        match (op, k) {
            (Neg | Abs, Kind::Bool) => a,
            (Neg, Kind::Int | Kind::UInt) => {
                let x = self.b.ins().ineg(a.s());
                V::S(self.wrap(od, x))
            }
            (Neg, Kind::Float) => V::S(self.b.ins().fneg(a.s())),
            (Neg, Kind::Complex) => {
                let (re, im) = a.c();
                V::C(self.b.ins().fneg(re), self.b.ins().fneg(im))
            }
            (Abs, Kind::Int) => {
                let x = self.b.ins().iabs(a.s());
                V::S(self.wrap(od, x))
            }
            (Abs, Kind::UInt) => a,
            (Abs, Kind::Float) => V::S(self.b.ins().fabs(a.s())),
            (Abs, Kind::Complex) => {
                let (re, im) = a.c();
                let r = self.call1("starp_hypot_", &[re, im]);
                V::S(self.from_f64(od, r))
            }
            (_, Kind::Complex) if super::callouts::complex_name(op, od == DType::C64).is_some() => {
                // complex_math's function of the dtype's precision: complex64 results are float32
                // values already.
                let name = super::callouts::complex_name(op, od == DType::C64).expect("a complex function");
                let (re, im) = a.c();
                let (r, i) = self.call_c(name, &[re, im]);
                V::C(r, i)
            }
            (Sqrt, _) => {
                let x = self.float_arg(da, DType::F64, a);
                let r = self.b.ins().sqrt(x);
                V::S(self.from_f64(od, r))
            }
            (_, Kind::Bool | Kind::Int | Kind::UInt | Kind::Float) if Func::of(op).is_some() => {
                let x = self.float_arg(da, od, a);
                let f = Func::of(op).expect("a strip function");
                V::S(self.strip_one(f, od, x))
            }
            (Invert, Kind::Bool) => V::S(self.b.ins().bxor_imm_s(a.s(), 1)),
            (Invert, Kind::Int) => V::S(self.b.ins().bnot(a.s())),
            (Invert, Kind::UInt) => {
                let x = self.b.ins().bnot(a.s());
                V::S(self.wrap(od, x))
            }
            (LogicalNot, Kind::Bool) => V::S(self.b.ins().bxor_imm_s(a.s(), 1)),
            (LogicalNot, Kind::Int | Kind::UInt) => V::S(self.b.ins().icmp_imm_s(IntCC::Equal, a.s(), 0)),
            (LogicalNot, Kind::Float) => {
                let z = self.fconst(ty(da), 0.0);
                V::S(self.b.ins().fcmp(FloatCC::Equal, a.s(), z))
            }
            (LogicalNot, Kind::Complex) => {
                let (re, im) = a.c();
                let z = self.fconst(types::F64, 0.0);
                let r = self.b.ins().fcmp(FloatCC::Equal, re, z);
                let i = self.b.ins().fcmp(FloatCC::Equal, im, z);
                V::S(self.b.ins().band(r, i))
            }
            (Floor | Ceil | Trunc, Kind::Bool | Kind::Int | Kind::UInt) => a,
            (Floor, Kind::Float) => V::S(self.b.ins().floor(a.s())),
            (Ceil, Kind::Float) => V::S(self.b.ins().ceil(a.s())),
            (Trunc, Kind::Float) => V::S(self.b.ins().trunc(a.s())),
            (Rint, Kind::Complex) => {
                let (re, im) = a.c();
                V::C(self.b.ins().nearest(re), self.b.ins().nearest(im))
            }
            (Rint, _) => {
                let x = self.float_arg(da, od, a);
                V::S(self.b.ins().nearest(x))
            }
            (Sign, Kind::Int) => {
                let m1 = self.iconst(-1);
                let one = self.iconst(1);
                let x = self.b.ins().smax(a.s(), m1);
                V::S(self.b.ins().smin(x, one))
            }
            (Sign, Kind::UInt) => {
                let one = self.iconst(1);
                V::S(self.b.ins().umin(a.s(), one))
            }
            (Sign, Kind::Float) => {
                // x > 0 ? 1 : x < 0 ? -1 : x == 0 ? 0 : x (NaN).
                let x = a.s();
                let t = ty(da);
                let (z, one, m1) = (self.fconst(t, 0.0), self.fconst(t, 1.0), self.fconst(t, -1.0));
                let gt = self.b.ins().fcmp(FloatCC::GreaterThan, x, z);
                let lt = self.b.ins().fcmp(FloatCC::LessThan, x, z);
                let eq = self.b.ins().fcmp(FloatCC::Equal, x, z);
                let r = self.b.ins().select(eq, z, x);
                let r = self.b.ins().select(lt, m1, r);
                V::S(self.b.ins().select(gt, one, r))
            }
            (Sign, Kind::Complex) => {
                let (re, im) = a.c();
                let name = if od == DType::C64 { "starp_csign32_" } else { "starp_csign_" };
                let (r, i) = self.call_c(name, &[re, im]);
                V::C(r, i)
            }
            (Conj, Kind::Complex) => {
                let (re, im) = a.c();
                V::C(re, self.b.ins().fneg(im))
            }
            (Imag, Kind::Complex) => {
                let (_, im) = a.c();
                V::S(self.from_f64(od, im))
            }
            // Integers and bool first go to f64 (`values::float_bits_fn`); spacing rounds to its
            // float loop, frexp is exact, so float32 goes through f64 unchanged.
            (Spacing, _) => {
                let x = self.float_arg(da, od, a);
                let name = if od == DType::F32 { "starp_spacing32_" } else { "starp_spacing_" };
                V::S(self.call1(name, &[x]))
            }
            (FrexpMantissa, _) => {
                let x = self.float_arg(da, DType::F64, a);
                let m = self.call1("starp_frexp_mantissa_", &[x]);
                V::S(self.from_f64(od, m))
            }
            (FrexpExponent, _) => {
                let x = self.float_arg(da, DType::F64, a);
                V::S(self.call1("starp_frexp_exponent_", &[x]))
            }
            (BitwiseCount, Kind::Bool) => V::S(self.b.ins().uextend(types::I64, a.s())),
            // iabs(INT_MIN) is INT_MIN, whose one bit is NumPy's count of |INT_MIN|.
            (BitwiseCount, Kind::Int) => {
                let x = self.b.ins().iabs(a.s());
                V::S(self.b.ins().popcnt(x))
            }
            (BitwiseCount, Kind::UInt) => V::S(self.b.ins().popcnt(a.s())),
            (Invert, _) => unreachable!("rejected by the plan"),
            _ => unreachable!("rejected by the plan"),
        }
    }

    /// NumPy's fmax/fmin of floats (`ufunc_math::fmax_f`): a NaN second operand loses, the first
    /// operand wins ties.
    fn fmaxmin_nan_ignoring(&mut self, max: bool, a: Value, b: Value) -> Value {
        let cc = if max { FloatCC::GreaterThanOrEqual } else { FloatCC::LessThanOrEqual };
        let c1 = self.b.ins().fcmp(cc, a, b);
        let c2 = self.b.ins().fcmp(FloatCC::Unordered, b, b);
        let c = self.b.ins().bor(c1, c2);
        self.b.ins().select(c, a, b)
    }

    /// `ufunc_math::heaviside`: NaN for NaN, h at ±0, 0 below, 1 above.
    fn heaviside(&mut self, d: DType, x: Value, h: Value) -> Value {
        let t = ty(d);
        let (z, one, nan) = (self.fconst(t, 0.0), self.fconst(t, 1.0), self.fconst(t, f64::NAN));
        let eq = self.b.ins().fcmp(FloatCC::Equal, x, z);
        let lt = self.b.ins().fcmp(FloatCC::LessThan, x, z);
        let gt = self.b.ins().fcmp(FloatCC::GreaterThan, x, z);
        let r = self.b.ins().select(eq, h, nan);
        let r = self.b.ins().select(lt, z, r);
        self.b.ins().select(gt, one, r)
    }

    /// `<<` / `>>` at integer dtype `d` (`math::shl_i` and friends): shifts of at least the
    /// width (or negative, as unsigned) give 0, or the sign for `>>` of a signed value.
    fn shift(&mut self, left: bool, d: DType, x: Value, y: Value) -> Value {
        let bits = 8 * d.itemsize() as i64;
        let ok = self.b.ins().icmp_imm_u(IntCC::UnsignedLessThan, y, bits);
        let signed = d.kind() == Kind::Int;
        let r = if left {
            let r = self.b.ins().ishl(x, y);
            self.wrap(d, r)
        } else if signed {
            self.b.ins().sshr(x, y)
        } else {
            self.b.ins().ushr(x, y)
        };
        let sat = if !left && signed {
            // x >> 63 is -1 or 0.
            self.b.ins().sshr_imm_s(x, 63)
        } else {
            self.iconst(0)
        };
        self.b.ins().select(ok, r, sat)
    }

    /// A float64 call-out of two float values of dtype `d` (float32 widened, the result rounded).
    fn call_f2(&mut self, name: &'static str, d: DType, x: Value, y: Value) -> Value {
        let (x, y) = (self.to_f64(d, x), self.to_f64(d, y));
        let r = self.call1(name, &[x, y]);
        self.from_f64(d, r)
    }

    /// NumPy's maximum/minimum of floats: NaN propagates, the first operand wins ties.
    fn fmaxmin(&mut self, max: bool, a: Value, b: Value) -> Value {
        // `math::fmax`/`fmin`: a tie (+0 against -0 included) gives the second operand.
        let cc = if max { FloatCC::GreaterThan } else { FloatCC::LessThan };
        let c1 = self.b.ins().fcmp(cc, a, b);
        let c2 = self.b.ins().fcmp(FloatCC::Unordered, a, a);
        let c = self.b.ins().bor(c1, c2);
        self.b.ins().select(c, a, b)
    }

    /// Signed floor division with NumPy 2's results for 0 and -1 divisors (`floor_div_i`).
    fn floor_div_i(&mut self, a: Value, b: Value) -> Value {
        let zero = self.b.ins().icmp_imm_s(IntCC::Equal, b, 0);
        let m1 = self.b.ins().icmp_imm_s(IntCC::Equal, b, -1);
        let bad = self.b.ins().bor(zero, m1);
        let one = self.iconst(1);
        let bs = self.b.ins().select(bad, one, b);
        let q = self.b.ins().sdiv(a, bs);
        let r = self.b.ins().srem(a, bs);
        // q - 1 when the remainder is nonzero and its sign differs from the divisor's.
        let rnz = self.b.ins().icmp_imm_s(IntCC::NotEqual, r, 0);
        let x = self.b.ins().bxor(r, bs);
        let diff = self.b.ins().icmp_imm_s(IntCC::SignedLessThan, x, 0);
        let adj = self.b.ins().band(rnz, diff);
        let adj = self.b.ins().uextend(types::I64, adj);
        let q = self.b.ins().isub(q, adj);
        let neg = self.b.ins().ineg(a);
        let q = self.b.ins().select(m1, neg, q);
        let z = self.iconst(0);
        self.b.ins().select(zero, z, q)
    }

    /// Python's `%` on signed integers (`mod_i`).
    fn mod_i(&mut self, a: Value, b: Value) -> Value {
        let zero = self.b.ins().icmp_imm_s(IntCC::Equal, b, 0);
        let m1 = self.b.ins().icmp_imm_s(IntCC::Equal, b, -1);
        let bad = self.b.ins().bor(zero, m1);
        let one = self.iconst(1);
        let bs = self.b.ins().select(bad, one, b);
        let r = self.b.ins().srem(a, bs);
        let rnz = self.b.ins().icmp_imm_s(IntCC::NotEqual, r, 0);
        let x = self.b.ins().bxor(r, bs);
        let diff = self.b.ins().icmp_imm_s(IntCC::SignedLessThan, x, 0);
        let adj = self.b.ins().band(rnz, diff);
        let rb = self.b.ins().iadd(r, bs);
        let r = self.b.ins().select(adj, rb, r);
        let z = self.iconst(0);
        self.b.ins().select(bad, z, r)
    }

    /// Non-comparison `op` at dtype `d` (operands and result), `values::arith`.
    pub(crate) fn arith(&mut self, op: BinaryOp, d: DType, a: V, b: V) -> V {
        use BinaryOp::*;
        match d.kind() {
            Kind::Bool => {
                let (x, y) = (a.s(), b.s());
                V::S(match op {
                    Add | Max | BitOr | LogicalOr => self.b.ins().bor(x, y),
                    Mul | Min | BitAnd | LogicalAnd | FloorDiv => self.b.ins().band(x, y),
                    Sub | BitXor | LogicalXor => self.b.ins().bxor(x, y),
                    Mod => self.bconst(false),
                    Pow => {
                        let ny = self.b.ins().bxor_imm_s(y, 1);
                        self.b.ins().bor(x, ny)
                    }
                    Fmax => self.b.ins().bor(x, y),
                    Fmin => self.b.ins().band(x, y),
                    _ => unreachable!("rejected by the plan"),
                })
            }
            Kind::Int | Kind::UInt => {
                let signed = d.kind() == Kind::Int;
                let (x, y) = (a.s(), b.s());
                let r = match op {
                    Add => self.b.ins().iadd(x, y),
                    Sub => self.b.ins().isub(x, y),
                    Mul => self.b.ins().imul(x, y),
                    FloorDiv if signed => self.floor_div_i(x, y),
                    Mod if signed => return V::S(self.mod_i(x, y)),
                    FloorDiv | Mod => {
                        let zero = self.b.ins().icmp_imm_s(IntCC::Equal, y, 0);
                        let one = self.iconst(1);
                        let ys = self.b.ins().select(zero, one, y);
                        let q = if op == FloorDiv { self.b.ins().udiv(x, ys) } else { self.b.ins().urem(x, ys) };
                        let z = self.iconst(0);
                        return V::S(self.b.ins().select(zero, z, q));
                    }
                    Pow => self.call1(if signed { "starp_pow_i_" } else { "starp_pow_u_" }, &[x, y]),
                    Max => return V::S(if signed { self.b.ins().smax(x, y) } else { self.b.ins().umax(x, y) }),
                    Min => return V::S(if signed { self.b.ins().smin(x, y) } else { self.b.ins().umin(x, y) }),
                    BitAnd => return V::S(self.b.ins().band(x, y)),
                    BitOr => return V::S(self.b.ins().bor(x, y)),
                    BitXor => return V::S(self.b.ins().bxor(x, y)),
                    Fmod => {
                        // C's %, with 0 for divisors 0 and -1 (no trap for INT_MIN % -1).
                        let zero = self.b.ins().icmp_imm_s(IntCC::Equal, y, 0);
                        let bad = if signed {
                            let m1 = self.b.ins().icmp_imm_s(IntCC::Equal, y, -1);
                            self.b.ins().bor(zero, m1)
                        } else {
                            zero
                        };
                        let one = self.iconst(1);
                        let ys = self.b.ins().select(bad, one, y);
                        let r = if signed { self.b.ins().srem(x, ys) } else { self.b.ins().urem(x, ys) };
                        let z = self.iconst(0);
                        return V::S(self.b.ins().select(bad, z, r));
                    }
                    Shl => return V::S(self.shift(true, d, x, y)),
                    Shr => return V::S(self.shift(false, d, x, y)),
                    Fmax => return V::S(if signed { self.b.ins().smax(x, y) } else { self.b.ins().umax(x, y) }),
                    Fmin => return V::S(if signed { self.b.ins().smin(x, y) } else { self.b.ins().umin(x, y) }),
                    Gcd => self.call1(if signed { "starp_gcd_i_" } else { "starp_gcd_u_" }, &[x, y]),
                    Lcm => self.call1(if signed { "starp_lcm_i_" } else { "starp_lcm_u_" }, &[x, y]),
                    _ => unreachable!("rejected by the plan"),
                };
                V::S(self.wrap(d, r))
            }
            Kind::Float => {
                let (x, y) = (a.s(), b.s());
                V::S(match op {
                    Add => self.b.ins().fadd(x, y),
                    Sub => self.b.ins().fsub(x, y),
                    Mul => self.b.ins().fmul(x, y),
                    Div => self.b.ins().fdiv(x, y),
                    FloorDiv if d == DType::F32 => self.call1("starp_floor_divide_f32_", &[x, y]),
                    FloorDiv => self.call1("starp_floor_divide_f64_", &[x, y]),
                    Mod if d == DType::F32 => self.call1("starp_remainder_f32_", &[x, y]),
                    Mod => self.call1("starp_remainder_f64_", &[x, y]),
                    Pow => {
                        let (x, y) = (self.to_f64(d, x), self.to_f64(d, y));
                        let r = self.call1("starp_pow_", &[x, y]);
                        self.from_f64(d, r)
                    }
                    Max => self.fmaxmin(true, x, y),
                    Min => self.fmaxmin(false, x, y),
                    Fmod => self.call_f2("starp_fmod_", d, x, y),
                    Arctan2 => self.call_f2("starp_atan2_", d, x, y),
                    Hypot => self.call_f2("starp_hypot_", d, x, y),
                    Logaddexp => self.call_f2("starp_logaddexp_", d, x, y),
                    Logaddexp2 => self.call_f2("starp_logaddexp2_", d, x, y),
                    Copysign => self.b.ins().fcopysign(x, y),
                    Nextafter if d == DType::F32 => self.call1("starp_nextafter32_", &[x, y]),
                    Nextafter => self.call1("starp_nextafter_", &[x, y]),
                    Fmax => self.fmaxmin_nan_ignoring(true, x, y),
                    Fmin => self.fmaxmin_nan_ignoring(false, x, y),
                    Heaviside => self.heaviside(d, x, y),
                    // y is the int64 exponent (the plan checks ldexp's operands).
                    Ldexp => {
                        let x = self.to_f64(d, x);
                        let r = self.call1("starp_ldexp_", &[x, y]);
                        self.from_f64(d, r)
                    }
                    _ => unreachable!("rejected by the plan"),
                })
            }
            Kind::Complex => {
                let ((ar, ai), (br, bi)) = (a.c(), b.c());
                match op {
                    Add => {
                        let re = self.b.ins().fadd(ar, br);
                        let im = self.b.ins().fadd(ai, bi);
                        self.round_c(d, re, im)
                    }
                    Sub => {
                        let re = self.b.ins().fsub(ar, br);
                        let im = self.b.ins().fsub(ai, bi);
                        self.round_c(d, re, im)
                    }
                    Mul => {
                        let p = self.b.ins().fmul(ar, br);
                        let q = self.b.ins().fmul(ai, bi);
                        let re = self.b.ins().fsub(p, q);
                        let p = self.b.ins().fmul(ar, bi);
                        let q = self.b.ins().fmul(ai, br);
                        let im = self.b.ins().fadd(p, q);
                        self.round_c(d, re, im)
                    }
                    Div | Pow => {
                        let name = if op == Div { "starp_cdiv_" } else { "starp_cpow_" };
                        let (re, im) = self.call_c(name, &[ar, ai, br, bi]);
                        self.round_c(d, re, im)
                    }
                    Max | Min => {
                        let name = if op == Max { "starp_cmax_" } else { "starp_cmin_" };
                        let (re, im) = self.call_c(name, &[ar, ai, br, bi]);
                        V::C(re, im)
                    }
                    Fmax | Fmin => {
                        let name = if op == Fmax { "starp_cfmax_" } else { "starp_cfmin_" };
                        let (re, im) = self.call_c(name, &[ar, ai, br, bi]);
                        V::C(re, im)
                    }
                    _ => unreachable!("rejected by the plan"),
                }
            }
        }
    }

    /// NumPy's lexicographic complex `<` (`le` false) or `<=` (`le` true).
    fn clt(&mut self, le: bool, x: (Value, Value), y: (Value, Value)) -> Value {
        let lt_re = self.b.ins().fcmp(FloatCC::LessThan, x.0, y.0);
        let ord = self.b.ins().fcmp(FloatCC::Ordered, x.1, y.1);
        let first = self.b.ins().band(lt_re, ord);
        let eq_re = self.b.ins().fcmp(FloatCC::Equal, x.0, y.0);
        let cc = if le { FloatCC::LessThanOrEqual } else { FloatCC::LessThan };
        let im = self.b.ins().fcmp(cc, x.1, y.1);
        let second = self.b.ins().band(eq_re, im);
        self.b.ins().bor(first, second)
    }

    /// Comparison `op` at loop dtype `d`, giving a bool.
    pub(crate) fn compare(&mut self, op: BinaryOp, d: DType, a: V, b: V) -> V {
        use BinaryOp::*;
        let k = d.kind();
        V::S(match k {
            Kind::Bool | Kind::Int | Kind::UInt => {
                let signed = k == Kind::Int;
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
                    (Ge, false) => IntCC::UnsignedGreaterThanOrEqual,
                    _ => unreachable!("not a comparison"),
                };
                self.b.ins().icmp(cc, a.s(), b.s())
            }
            Kind::Float => {
                let cc = match op {
                    Eq => FloatCC::Equal,
                    Ne => FloatCC::NotEqual,
                    Lt => FloatCC::LessThan,
                    Le => FloatCC::LessThanOrEqual,
                    Gt => FloatCC::GreaterThan,
                    Ge => FloatCC::GreaterThanOrEqual,
                    _ => unreachable!("not a comparison"),
                };
                self.b.ins().fcmp(cc, a.s(), b.s())
            }
            Kind::Complex => {
                let (x, y) = (a.c(), b.c());
                match op {
                    Eq | Ne => {
                        let cc = if op == Eq { FloatCC::Equal } else { FloatCC::NotEqual };
                        let r = self.b.ins().fcmp(cc, x.0, y.0);
                        let i = self.b.ins().fcmp(cc, x.1, y.1);
                        if op == Eq {
                            self.b.ins().band(r, i)
                        } else {
                            self.b.ins().bor(r, i)
                        }
                    }
                    Lt => self.clt(false, x, y),
                    Le => self.clt(true, x, y),
                    Gt => self.clt(false, y, x),
                    Ge => self.clt(true, y, x),
                    _ => unreachable!("not a comparison"),
                }
            }
        })
    }

    /// `float_to_i64`: truncation; NaN and out of range give i64::MIN.
    fn f2i(&mut self, x: Value) -> Value {
        let lo = self.fconst(types::F64, -9.223372036854775808e18);
        let hi = self.fconst(types::F64, 9.223372036854775808e18);
        let a = self.b.ins().fcmp(FloatCC::GreaterThanOrEqual, x, lo);
        let c = self.b.ins().fcmp(FloatCC::LessThan, x, hi);
        let ok = self.b.ins().band(a, c);
        let v = self.b.ins().fcvt_to_sint_sat(types::I64, x);
        let min = self.iconst(i64::MIN);
        self.b.ins().select(ok, v, min)
    }

    /// `float_to_unsigned`: negative values through int64, others truncated; NaN and values from
    /// 2^64 on give 2^63.
    fn f2u(&mut self, x: Value) -> Value {
        let z = self.fconst(types::F64, 0.0);
        let neg = self.b.ins().fcmp(FloatCC::LessThan, x, z);
        let a = self.f2i(x);
        let hi = self.fconst(types::F64, 1.8446744073709552e19);
        let ok = self.b.ins().fcmp(FloatCC::LessThan, x, hi);
        let u = self.b.ins().fcvt_to_uint_sat(types::I64, x);
        let top = self.iconst(i64::MIN);
        let b = self.b.ins().select(ok, u, top);
        self.b.ins().select(neg, a, b)
    }

    /// A real value of dtype `from` (not complex) as the f64 that `cast` to float would give
    /// for `to_f32` false, or the f32-rounded value for `to_f32`, in f64 or f32 representation
    /// (`rep32`).
    fn real_to_float(&mut self, from: DType, x: Value, t: Type) -> Value {
        match from.kind() {
            Kind::Bool => {
                let one = self.fconst(t, 1.0);
                let zero = self.fconst(t, 0.0);
                self.b.ins().select(x, one, zero)
            }
            Kind::Int => self.b.ins().fcvt_from_sint(t, x),
            Kind::UInt => self.b.ins().fcvt_from_uint(t, x),
            Kind::Float => {
                if ty(from) == t {
                    x
                } else if t == types::F32 {
                    self.b.ins().fdemote(t, x)
                } else {
                    self.b.ins().fpromote(t, x)
                }
            }
            Kind::Complex => unreachable!("complex handled by the caller"),
        }
    }

    /// NumPy's unsafe cast, `values::cast`.
    pub(crate) fn cast(&mut self, from: DType, to: DType, a: V) -> V {
        let fk = from.kind();
        match to.kind() {
            Kind::Bool => V::S(match (fk, a) {
                (Kind::Bool, V::S(x)) => x,
                (Kind::Int | Kind::UInt, V::S(x)) => self.b.ins().icmp_imm_s(IntCC::NotEqual, x, 0),
                (Kind::Float, V::S(x)) => {
                    let z = self.fconst(ty(from), 0.0);
                    self.b.ins().fcmp(FloatCC::NotEqual, x, z)
                }
                (_, V::C(re, im)) => {
                    let z = self.fconst(types::F64, 0.0);
                    let r = self.b.ins().fcmp(FloatCC::NotEqual, re, z);
                    let i = self.b.ins().fcmp(FloatCC::NotEqual, im, z);
                    self.b.ins().bor(r, i)
                }
                _ => unreachable!("value representation"),
            }),
            Kind::Int | Kind::UInt => {
                let v = match (fk, a) {
                    (Kind::Bool, V::S(x)) => self.b.ins().uextend(types::I64, x),
                    (Kind::Int | Kind::UInt, V::S(x)) => x,
                    (Kind::Float, V::S(x)) => {
                        let x = self.to_f64(from, x);
                        if to.kind() == Kind::Int {
                            self.f2i(x)
                        } else {
                            self.f2u(x)
                        }
                    }
                    (_, V::C(re, _)) => {
                        if to.kind() == Kind::Int {
                            self.f2i(re)
                        } else {
                            self.f2u(re)
                        }
                    }
                    _ => unreachable!("value representation"),
                };
                V::S(self.wrap(to, v))
            }
            Kind::Float => V::S(match a {
                V::C(re, _) => self.from_f64(to, re),
                V::S(x) => self.real_to_float(from, x, ty(to)),
            }),
            Kind::Complex => match a {
                V::C(re, im) => self.round_c(to, re, im),
                V::S(x) => {
                    let re = match fk {
                        // Integers round once, to the complex's part precision.
                        Kind::Int | Kind::UInt => {
                            let part = to.real_part();
                            let r = self.real_to_float(from, x, ty(part));
                            self.to_f64(part, r)
                        }
                        _ => {
                            let r = self.real_to_float(from, x, types::F64);
                            self.round_part(to, r)
                        }
                    };
                    let im = self.fconst(types::F64, 0.0);
                    V::C(re, im)
                }
            },
        }
    }

    pub(crate) fn select(&mut self, c: V, a: V, b: V) -> V {
        let c = c.s();
        match (a, b) {
            (V::S(x), V::S(y)) => V::S(self.b.ins().select(c, x, y)),
            (V::C(xr, xi), V::C(yr, yi)) => V::C(self.b.ins().select(c, xr, yr), self.b.ins().select(c, xi, yi)),
            _ => unreachable!("select of mixed values"),
        }
    }

    pub(crate) fn random(&mut self, dist: RandomDist, d: DType, sdr: [Value; 3], index: Value) -> V {
        let [seed, draw, range] = sdr;
        V::S(match dist {
            RandomDist::Uniform01 | RandomDist::Normal => {
                let name = if dist == RandomDist::Uniform01 { "starp_uniform01_" } else { "starp_normal_" };
                let r = self.call1(name, &[seed, draw, index]);
                self.from_f64(d, r)
            }
            RandomDist::Bounded => {
                let r = self.call1("starp_bounded_", &[seed, draw, index, range]);
                self.wrap(d, r)
            }
        })
    }

    /// "Candidate `b` replaces the winner `a`" of argmin/argmax (`reduce::arg_better`).
    pub(crate) fn arg_better(&mut self, op: ReduceOp, d: DType, a: V, b: V) -> Value {
        let max = op == ReduceOp::ArgMax;
        match d.kind() {
            Kind::Bool => {
                let (x, y) = if max { (a.s(), b.s()) } else { (b.s(), a.s()) };
                // max: b & !a; min: a & !b.
                let nx = self.b.ins().bxor_imm_s(x, 1);
                self.b.ins().band(y, nx)
            }
            Kind::Int | Kind::UInt => {
                let cc = match (d.kind() == Kind::Int, max) {
                    (true, true) => IntCC::SignedGreaterThan,
                    (true, false) => IntCC::SignedLessThan,
                    (false, true) => IntCC::UnsignedGreaterThan,
                    (false, false) => IntCC::UnsignedLessThan,
                };
                self.b.ins().icmp(cc, b.s(), a.s())
            }
            Kind::Float => {
                let (x, y) = (a.s(), b.s());
                let a_ok = self.b.ins().fcmp(FloatCC::Ordered, x, x);
                let b_nan = self.b.ins().fcmp(FloatCC::Unordered, y, y);
                let cc = if max { FloatCC::GreaterThan } else { FloatCC::LessThan };
                let beats = self.b.ins().fcmp(cc, y, x);
                let c = self.b.ins().bor(b_nan, beats);
                self.b.ins().band(a_ok, c)
            }
            Kind::Complex => {
                let ((ar, ai), (br, bi)) = (a.c(), b.c());
                let a_nan = self.b.ins().fcmp(FloatCC::Unordered, ar, ai);
                let b_nan = self.b.ins().fcmp(FloatCC::Unordered, br, bi);
                let cc = if max { FloatCC::GreaterThan } else { FloatCC::LessThan };
                let re = self.b.ins().fcmp(cc, br, ar);
                let eq = self.b.ins().fcmp(FloatCC::Equal, br, ar);
                let im = self.b.ins().fcmp(cc, bi, ai);
                let tie = self.b.ins().band(eq, im);
                let c = self.b.ins().bor(b_nan, re);
                let c = self.b.ins().bor(c, tie);
                let a_ok = self.b.ins().bxor_imm_s(a_nan, 1);
                self.b.ins().band(a_ok, c)
            }
        }
    }
}

/// Per-kernel values loaded once at function entry.
pub(crate) struct Entry {
    pub frame: Value,
    pub m: Value,
    pub n: Value,
    /// Per operand (inputs then outputs): base address, outer and inner byte strides.
    pub ops: Vec<[Value; 3]>,
    /// Per Linear instruction (indexed like `plan.linears`).
    pub lins: Vec<[Value; 3]>,
    /// Per body instruction: its param value, if a Param.
    pub params: Vec<Option<V>>,
    pub randoms: Vec<Option<[Value; 3]>>,
}

/// Evaluates instruction `j` at one element from its operands' values. `ptrs` are the operand
/// element addresses; `lin` is the value of `j` if it is a Linear instruction.
fn eval_one(em: &mut Em, k: &Kernel, e: &Entry, j: usize, ptrs: &[Value], lin: Option<Value>, vals: &[Option<V>]) -> V {
    let ins = &k.body[j];
    let d = ins.dtype;
    let val = |a: u32| vals[a as usize].expect("operands are live and earlier");
    let dt = |a: u32| k.body[a as usize].dtype;
    match &ins.op {
        &InstrOp::Load(i) => em.load(d, ptrs[i as usize]),
        InstrOp::Param(_) => e.params[j].expect("param loaded at entry"),
        InstrOp::Linear(_) => V::S(em.wrap(d, lin.expect("linear value"))),
        &InstrOp::Unary(op, a) => em.unary(op, dt(a), d, val(a)),
        &InstrOp::Binary(op, a, b) => {
            if is_comparison(op) {
                em.compare(op, dt(a), val(a), val(b))
            } else {
                em.arith(op, d, val(a), val(b))
            }
        }
        &InstrOp::Cast(a) => em.cast(dt(a), d, val(a)),
        &InstrOp::Select(c, a, b) => em.select(val(c), val(a), val(b)),
        &InstrOp::Random { dist, index, .. } => {
            let sdr = e.randoms[j].expect("random params loaded at entry");
            em.random(dist, d, sdr, val(index).s())
        }
    }
}

/// Evaluates every live instruction at one element. `ptrs` are the operand element addresses,
/// `lins` the values of the Linear instructions (in `plan.linears` order).
pub(crate) fn eval(em: &mut Em, k: &Kernel, plan: &Plan, e: &Entry, ptrs: &[Value], lins: &[Value]) -> Vec<Option<V>> {
    let mut vals: Vec<Option<V>> = vec![None; k.body.len()];
    let mut lin_ix = 0;
    for j in 0..k.body.len() {
        if !plan.live[j] {
            continue;
        }
        let lin = if matches!(k.body[j].op, InstrOp::Linear(_)) {
            lin_ix += 1;
            Some(lins[lin_ix - 1])
        } else {
            None
        };
        vals[j] = Some(eval_one(em, k, e, j, ptrs, lin, &vals));
    }
    vals
}

/// One phase of a strip schedule at one element: the values computed here, and those read
/// back from the buffers of earlier phases.
struct PhaseEval<'s> {
    s: &'s Strips,
    p: usize,
    /// Address of the buffer slot.
    base: Value,
    /// The element's index in the chunk.
    ev: Value,
    /// `base + ev * size` per element size.
    addrs: Vec<(usize, Value)>,
    vals: Vec<Option<V>>,
}

impl PhaseEval<'_> {
    fn addr(&mut self, em: &mut Em, size: usize) -> Value {
        if let Some(&(_, a)) = self.addrs.iter().find(|(s, _)| *s == size) {
            return a;
        }
        let off = em.b.ins().imul_imm_s(self.ev, size as i64);
        let a = em.b.ins().iadd(self.base, off);
        self.addrs.push((size, a));
        a
    }

    /// The value of instruction `a`, from a buffer if an earlier phase (or call) computed it.
    fn get(&mut self, em: &mut Em, k: &Kernel, a: usize) -> V {
        if let Some(v) = self.vals[a] {
            return v;
        }
        let b = self.s.keep[a].expect("a value of an earlier phase is kept");
        let ea = self.addr(em, b.size);
        let d = k.body[a].dtype;
        let off = b.off as i32;
        let v = if d.is_complex() {
            let re = em.b.ins().load(types::F64, mem(), ea, off);
            let im = em.b.ins().load(types::F64, mem(), ea, off + 8);
            V::C(re, im)
        } else {
            V::S(em.b.ins().load(ty(d), mem(), ea, off))
        };
        self.vals[a] = Some(v);
        v
    }

    /// Evaluates this phase's instructions.
    fn run(&mut self, em: &mut Em, k: &Kernel, e: &Entry, ptrs: &[Value], lins: &[Option<Value>]) {
        let (s, p) = (self.s, self.p);
        for (j, &lin) in lins.iter().enumerate() {
            let here = if s.remat[j] { s.remat_in[p][j] } else { s.phase[j] == p && strips::strip_func(k, j).is_none() };
            if !here {
                continue;
            }
            for a in plan::operands(&k.body[j].op) {
                self.get(em, k, a as usize);
            }
            let v = eval_one(em, k, e, j, ptrs, lin, &self.vals);
            self.vals[j] = Some(v);
        }
        // Values later phases read.
        for j in 0..k.body.len() {
            if s.phase[j] != p || strips::strip_func(k, j).is_some() {
                continue;
            }
            if let Some(b) = s.keep[j] {
                let ea = self.addr(em, b.size);
                match self.vals[j].expect("computed in this phase") {
                    V::S(x) => {
                        em.b.ins().store(mem(), x, ea, b.off as i32);
                    }
                    V::C(re, im) => {
                        em.b.ins().store(mem(), re, ea, b.off as i32);
                        em.b.ins().store(mem(), im, ea, b.off as i32 + 8);
                    }
                }
            }
        }
        // Arguments of the calls after this phase.
        for &t in &s.calls[p] {
            let t = t as usize;
            let InstrOp::Unary(_, a) = k.body[t].op else { unreachable!("a strip function is unary") };
            let v = self.get(em, k, a as usize);
            let x = em.float_arg(k.body[a as usize].dtype, k.body[t].dtype, v);
            let b = s.arg[t].expect("argument buffer");
            let ea = self.addr(em, b.size);
            em.b.ins().store(mem(), x, ea, b.off as i32);
        }
    }
}

struct Loop {
    i: Variable,
    ptrs: Vec<Variable>,
    lins: Vec<Variable>,
    /// Where mode T's current segment of the inner loop ends, when it runs by segments (the
    /// inner loop ends at `n` otherwise).
    end: Option<Variable>,
}

impl Loop {
    fn end(&self, em: &mut Em, e: &Entry) -> Value {
        self.end.map_or(e.n, |v| em.b.use_var(v))
    }
}

/// Builds the whole function for `k` into `func`.
pub(crate) fn build(
    k: &Kernel,
    plan: &Plan,
    module: &mut JITModule,
    ids: &Ids,
    func: &mut Function,
    fctx: &mut FunctionBuilderContext,
) {
    let config = module.target_config();
    let mut b = FunctionBuilder::new(func, fctx);
    let entry_block = b.create_block();
    b.append_block_params_for_function_params(entry_block);
    b.switch_to_block(entry_block);
    let frame = b.block_params(entry_block)[0];
    let mut em = Em::new(&mut b, module, ids);
    let e = load_entry(&mut em, k, plan, frame);
    let exit = em.b.create_block();
    match &k.reduction {
        None => {
            let vec_block = if plan.simd { Some(em.b.ins().load(types::I64, MemFlagsData::trusted(), frame, 8 * F_VEC as i32)) } else { None };
            nest(&mut em, k, plan, &e, Mode::Elementwise { vec: vec_block }, exit);
        }
        Some(_) => {
            let mode = em.b.ins().load(types::I64, MemFlagsData::trusted(), frame, 8 * F_MODE as i32);
            let vec_flag = if plan.simd { Some(em.b.ins().load(types::I64, MemFlagsData::trusted(), frame, 8 * F_VEC as i32)) } else { None };
            let t_block = em.b.create_block();
            let k_block = em.b.create_block();
            em.b.ins().brif(mode, k_block, &[], t_block, &[]);
            em.b.switch_to_block(t_block);
            let r = k.reduction.as_ref().expect("reduction");
            let lanes = crate::interp::by_lanes(r.op, k.body[r.value as usize].dtype);
            nest(&mut em, k, plan, &e, Mode::AlongT { lanes }, exit);
            em.b.switch_to_block(k_block);
            nest(&mut em, k, plan, &e, Mode::AlongK { vec: vec_flag }, exit);
        }
    }
    em.b.switch_to_block(exit);
    em.b.ins().return_(&[]);
    drop(em);
    b.seal_all_blocks();
    b.finalize(config);
}

fn load_entry(em: &mut Em, k: &Kernel, plan: &Plan, frame: Value) -> Entry {
    let f = MemFlagsData::trusted();
    let ld = |em: &mut Em, slot: usize| em.b.ins().load(types::I64, f, frame, (8 * slot) as i32);
    let m = ld(em, F_M);
    let n = ld(em, F_N);
    let nops = k.inputs.len() + k.outputs.len();
    let ops = (0..nops)
        .map(|q| {
            let s = Plan::op_slot(q);
            [ld(em, s), ld(em, s + 1), ld(em, s + 2)]
        })
        .collect();
    let lins = plan
        .linears
        .iter()
        .map(|&j| {
            let s = plan.slot[j as usize];
            [ld(em, s), ld(em, s + 1), ld(em, s + 2)]
        })
        .collect();
    let mut params = vec![None; k.body.len()];
    for &j in &plan.params {
        params[j as usize] = Some(em.param(k.body[j as usize].dtype, frame, plan.slot[j as usize]));
    }
    let mut randoms = vec![None; k.body.len()];
    for &j in &plan.randoms {
        let s = plan.slot[j as usize];
        randoms[j as usize] = Some([ld(em, s), ld(em, s + 1), ld(em, s + 2)]);
    }
    Entry { frame, m, n, ops, lins, params, randoms }
}

#[derive(Clone, Copy)]
enum Mode {
    /// Elementwise; `vec` is the run-time "contiguous inner axis" flag when a vector path exists.
    Elementwise { vec: Option<Value> },
    /// Mode T; `lanes`: float runs of 8 values or more fold by lanes when F_RUN is not 0.
    AlongT { lanes: bool },
    /// Mode 1; `vec` as for elementwise (the vector path folds whole vectors of kept points).
    AlongK { vec: Option<Value> },
}

/// One 2-d loop nest over the block, ending in a jump to `exit`.
fn nest(em: &mut Em, k: &Kernel, plan: &Plan, e: &Entry, mode: Mode, exit: cranelift_codegen::ir::Block) {
    let i64t = types::I64;
    let red = k.reduction.as_ref();
    let vd = red.map(|r| k.body[r.value as usize].dtype);
    let isz = vd.map_or(0, |d| d.itemsize() as i64);
    let lp = Loop {
        i: em.b.declare_var(i64t),
        ptrs: e.ops.iter().map(|_| em.b.declare_var(i64t)).collect(),
        lins: e.lins.iter().map(|_| em.b.declare_var(i64t)).collect(),
        end: matches!(mode, Mode::AlongT { lanes: true }).then(|| em.b.declare_var(i64t)),
    };
    let j = em.b.declare_var(i64t);
    let zero = em.iconst(0);
    em.b.def_var(lp.i, zero);
    let f = MemFlagsData::trusted();
    let (init, t0, acc, acct) = if red.is_some() {
        let l = |em: &mut Em, s: usize| em.b.ins().load(i64t, f, e.frame, (8 * s) as i32);
        (Some(l(em, F_INIT)), Some(l(em, F_T0)), Some(l(em, F_ACC)), Some(l(em, F_ACCT)))
    } else {
        (None, None, None, None)
    };
    // Mode T: outer step i accumulates into entry `i * astep` of the partials, from t =
    // `t0 + i * tstep`.
    let steps = match mode {
        Mode::AlongT { .. } => {
            let l = |em: &mut Em, s: usize| em.b.ins().load(i64t, f, e.frame, (8 * s) as i32);
            Some((l(em, F_ASTEP), l(em, F_TSTEP)))
        }
        _ => None,
    };
    // Mode T folding runs by lanes: the inner loop runs segment by segment, each one run folded
    // by lanes (E = F_RUN >= 8 and 8 values or more) or values folded one by one into the
    // accumulator (shorter runs; E = 0 makes the whole block one such segment). An outer step
    // starts a run (see `drive`); its first run ends `E - t % E` values in, the others E values
    // after their start.
    let lanes = match (mode, red) {
        (Mode::AlongT { lanes: true }, Some(r)) => {
            let ln = Lanes::new(em, r.op, vd.expect("reduction"));
            let run = em.b.ins().load(i64t, f, e.frame, (8 * F_RUN) as i32);
            let off = em.b.ins().icmp_imm_s(IntCC::Equal, run, 0);
            let one = em.iconst(1);
            let ed = em.b.ins().select(off, one, run);
            let left1 = em.b.ins().select(off, e.n, ed);
            let on = em.b.ins().bxor_imm_s(off, 1);
            Some((ln, on, off, ed, left1))
        }
        _ => None,
    };

    let outer_head = em.b.create_block();
    let outer_body = em.b.create_block();
    let inner_head = em.b.create_block();
    let inner_body = em.b.create_block();
    let inner_exit = em.b.create_block();
    em.b.ins().jump(outer_head, &[]);

    em.b.switch_to_block(outer_head);
    let i = em.b.use_var(lp.i);
    let c = em.b.ins().icmp(IntCC::SignedLessThan, i, e.m);
    em.b.ins().brif(c, outer_body, &[], exit, &[]);

    em.b.switch_to_block(outer_body);
    let i = em.b.use_var(lp.i);
    for (q, o) in e.ops.iter().enumerate() {
        let off = em.b.ins().imul(i, o[1]);
        let p = em.b.ins().iadd(o[0], off);
        em.b.def_var(lp.ptrs[q], p);
    }
    for (q, l) in e.lins.iter().enumerate() {
        let off = em.b.ins().imul(i, l[1]);
        let v = em.b.ins().iadd(l[0], off);
        em.b.def_var(lp.lins[q], v);
    }
    em.b.def_var(j, zero);
    // Mode T: this outer step's partial entry and first t.
    let (ent, t_i) = match steps {
        Some((astep, tstep)) => {
            let di = em.b.ins().imul(i, tstep);
            (Some(em.b.ins().imul(i, astep)), Some(em.b.ins().iadd(t0.expect("reduction"), di)))
        }
        None => (None, t0),
    };
    let left0 = lanes.as_ref().map(|(_, _, off, ed, _)| {
        let r0 = em.b.ins().urem(t_i.expect("reduction"), *ed);
        let left = em.b.ins().isub(*ed, r0);
        em.b.ins().select(*off, e.n, left)
    });

    // Accumulator state of mode T, kept in variables across the inner loop.
    let acc_vars = match (mode, red) {
        (Mode::AlongT { .. }, Some(r)) => {
            let vd = vd.expect("reduction");
            let initb = em.b.ins().icmp_imm_s(IntCC::NotEqual, init.expect("reduction"), 0);
            let parts = if vd.is_complex() { 2 } else { 1 };
            let vars: Vec<Variable> = (0..parts).map(|_| em.b.declare_var(ty(vd))).collect();
            let bt = em.b.declare_var(i64t);
            // Start from the stored partial (a garbage value when `init`, never used then).
            let ent = ent.expect("mode T");
            let off = em.b.ins().imul_imm_s(ent, isz);
            let pa = em.b.ins().iadd(acc.expect("reduction"), off);
            let cur = em.load(vd, pa);
            match cur {
                V::S(x) => em.b.def_var(vars[0], x),
                V::C(re, im) => {
                    em.b.def_var(vars[0], re);
                    em.b.def_var(vars[1], im);
                }
            }
            if is_arg(r.op) {
                let off = em.b.ins().imul_imm_s(ent, 8);
                let pt = em.b.ins().iadd(acct.expect("reduction"), off);
                let t = em.b.ins().load(i64t, mem(), pt, 0);
                em.b.def_var(bt, t);
            } else {
                em.b.def_var(bt, zero);
            }
            Some((initb, vars, bt))
        }
        _ => None,
    };
    // Mode K: the first outer step of a leaf starts every accumulator.
    let first_row = match mode {
        Mode::AlongK { .. } => {
            let a = em.b.ins().icmp_imm_s(IntCC::NotEqual, init.expect("reduction"), 0);
            let b = em.b.ins().icmp_imm_s(IntCC::Equal, i, 0);
            Some(em.b.ins().band(a, b))
        }
        _ => None,
    };

    let vec = match mode {
        Mode::Elementwise { vec } => vec.map(|f| (f, None)),
        Mode::AlongK { vec } => vec.map(|f| {
            let r = red.expect("reduction");
            let fold = vector::Fold { op: r.op, value: r.value, acc: acc.expect("reduction"), first: first_row.expect("mode K") };
            (f, Some(fold))
        }),
        Mode::AlongT { .. } => None,
    };
    // Mode T by lanes: the segment loop's head (the next segment, or the end of the outer step)
    // and exit (the end of a segment).
    let seg = lanes.as_ref().map(|_| (em.b.create_block(), em.b.create_block()));
    if let (Some((ln, on_run, _, _, left1)), Some(left0), Some((seg_head, _))) = (&lanes, left0, seg) {
        em.b.ins().jump(seg_head, &[]);
        em.b.switch_to_block(seg_head);
        let jv = em.b.use_var(j);
        let more = em.b.ins().icmp(IntCC::SignedLessThan, jv, e.n);
        let seg_setup = em.b.create_block();
        em.b.ins().brif(more, seg_setup, &[], inner_exit, &[]);
        em.b.switch_to_block(seg_setup);
        let rem = em.b.ins().isub(e.n, jv);
        let at0 = em.b.ins().icmp_imm_s(IntCC::Equal, jv, 0);
        let left = em.b.ins().select(at0, left0, *left1);
        let short = em.b.ins().icmp(IntCC::SignedLessThan, rem, left);
        let len = em.b.ins().select(short, rem, left);
        let endv = em.b.ins().iadd(jv, len);
        em.b.def_var(lp.end.expect("segments"), endv);
        let long = em.b.ins().icmp_imm_s(IntCC::SignedGreaterThanOrEqual, len, crate::interp::LANES as i64);
        let on = em.b.ins().band(long, *on_run);
        em.b.def_var(ln.on, on);
        em.b.def_var(ln.start, jv);
        let r = red.expect("reduction");
        if plan.simd && vd.expect("reduction").is_float() {
            let flag = em.b.ins().load(i64t, f, e.frame, (8 * F_VEC) as i32);
            let flag = em.b.ins().icmp_imm_s(IntCC::NotEqual, flag, 0);
            let go = em.b.ins().band(flag, on);
            let vec_entry = em.b.create_block();
            em.b.ins().brif(go, vec_entry, &[], inner_head, &[]);
            em.b.switch_to_block(vec_entry);
            let fold_t = vector::FoldT { op: r.op, value: r.value, base: ln.base };
            vector::inner_loop(em, k, plan, e, &lp.ptrs, &lp.lins, j, endv, None, Some(fold_t), inner_head);
        } else {
            em.b.ins().jump(inner_head, &[]);
        }
    } else if let Some((flag, fold)) = vec {
        let vec_entry = em.b.create_block();
        em.b.ins().brif(flag, vec_entry, &[], inner_head, &[]);
        em.b.switch_to_block(vec_entry);
        vector::inner_loop(em, k, plan, e, &lp.ptrs, &lp.lins, j, e.n, fold, None, inner_head);
    } else {
        em.b.ins().jump(inner_head, &[]);
    }

    em.b.switch_to_block(inner_head);
    let jv = em.b.use_var(j);
    let endv = lp.end(em, e);
    let c = em.b.ins().icmp(IntCC::SignedLessThan, jv, endv);
    em.b.ins().brif(c, inner_body, &[], seg.map_or(inner_exit, |s| s.1), &[]);

    em.b.switch_to_block(inner_body);
    let tail = Tail {
        mode,
        red,
        vd,
        isz,
        acc_vars: acc_vars.as_ref(),
        lanes: lanes.as_ref().map(|l| &l.0),
        first_row,
        t0: t_i,
        acc,
        acct,
        i,
        zero,
    };
    match &plan.strips {
        None => {
            let jv = em.b.use_var(j);
            let ptrs: Vec<Value> = lp.ptrs.iter().map(|&v| em.b.use_var(v)).collect();
            let lins: Vec<Value> = lp.lins.iter().map(|&v| em.b.use_var(v)).collect();
            let vals = eval(em, k, plan, e, &ptrs, &lins);
            tail.emit(em, k, &vals, &ptrs, jv);
            for (q, o) in e.ops.iter().enumerate() {
                let p = em.b.ins().iadd(ptrs[q], o[2]);
                em.b.def_var(lp.ptrs[q], p);
            }
            for (q, l) in e.lins.iter().enumerate() {
                let x = em.b.ins().iadd(lins[q], l[2]);
                em.b.def_var(lp.lins[q], x);
            }
            let jn = em.b.ins().iadd_imm_s(jv, 1);
            em.b.def_var(j, jn);
            em.b.ins().jump(inner_head, &[]);
        }
        Some(s) => chunk(em, k, plan, e, s, &lp, j, &tail, inner_head),
    }

    // The end of a segment: a run folded by lanes folds its total into the accumulator.
    if let (Some((ln, ..)), Some((initb, vars, _)), Some((seg_head, seg_exit))) = (&lanes, &acc_vars, seg) {
        em.b.switch_to_block(seg_exit);
        let vd = vd.expect("reduction");
        let on = em.b.use_var(ln.on);
        let comb = em.b.create_block();
        em.b.ins().brif(on, comb, &[], seg_head, &[]);
        em.b.switch_to_block(comb);
        let total = ln.total(em);
        // The run starts the leaf when the block does and the run starts the block.
        let start = em.b.use_var(ln.start);
        let at0 = em.b.ins().icmp_imm_s(IntCC::Equal, start, 0);
        let fst = em.b.ins().band(*initb, at0);
        let cur = if vd.is_complex() {
            V::C(em.b.use_var(vars[0]), em.b.use_var(vars[1]))
        } else {
            V::S(em.b.use_var(vars[0]))
        };
        let (nv, _) = fold(em, ln.op, vd, fst, cur, total, zero, zero);
        match nv {
            V::S(x) => em.b.def_var(vars[0], x),
            V::C(re, im) => {
                em.b.def_var(vars[0], re);
                em.b.def_var(vars[1], im);
            }
        }
        em.b.ins().jump(seg_head, &[]);
    }

    em.b.switch_to_block(inner_exit);
    let i = em.b.use_var(lp.i);
    if let (Some((_, vars, bt)), Some(r), Some(ent)) = (&acc_vars, red, ent) {
        let vd = vd.expect("reduction");
        let cur = if vd.is_complex() {
            V::C(em.b.use_var(vars[0]), em.b.use_var(vars[1]))
        } else {
            V::S(em.b.use_var(vars[0]))
        };
        let off = em.b.ins().imul_imm_s(ent, isz);
        let pa = em.b.ins().iadd(acc.expect("reduction"), off);
        em.store(vd, cur, pa);
        if is_arg(r.op) {
            let off = em.b.ins().imul_imm_s(ent, 8);
            let pt = em.b.ins().iadd(acct.expect("reduction"), off);
            let t = em.b.use_var(*bt);
            em.b.ins().store(mem(), t, pt, 0);
        }
    }
    let inext = em.b.ins().iadd_imm_s(i, 1);
    em.b.def_var(lp.i, inext);
    em.b.ins().jump(outer_head, &[]);
}

/// What the last step of an element needs: its mode and reduction state.
struct Tail<'x> {
    mode: Mode,
    red: Option<&'x ir::kernel::KernelReduction>,
    vd: Option<DType>,
    isz: i64,
    /// Mode T: whether the block starts its leaf, accumulator parts, winning t.
    acc_vars: Option<&'x (Value, Vec<Variable>, Variable)>,
    /// Mode T folding runs by lanes.
    lanes: Option<&'x Lanes>,
    first_row: Option<Value>,
    t0: Option<Value>,
    acc: Option<Value>,
    acct: Option<Value>,
    /// The outer index.
    i: Value,
    zero: Value,
}

impl Tail<'_> {
    /// Stores the element's outputs and folds its reduced value; `jv` is its inner index.
    fn emit(&self, em: &mut Em, k: &Kernel, vals: &[Option<V>], ptrs: &[Value], jv: Value) {
        let nin = k.inputs.len();
        for (q, &o) in k.outputs.iter().enumerate() {
            let v = vals[o as usize].expect("outputs are live");
            em.store(k.body[o as usize].dtype, v, ptrs[nin + q]);
        }
        if let Some(r) = self.red {
            let vd = self.vd.expect("reduction");
            let v = vals[r.value as usize].expect("the reduced value is live");
            match self.mode {
                Mode::AlongT { .. } if self.lanes.is_some() => {
                    let ln = self.lanes.expect("lanes");
                    let on = em.b.use_var(ln.on);
                    let (by_lanes, seq, join) = (em.b.create_block(), em.b.create_block(), em.b.create_block());
                    em.b.ins().brif(on, by_lanes, &[], seq, &[]);
                    em.b.switch_to_block(by_lanes);
                    ln.fold(em, v, jv);
                    em.b.ins().jump(join, &[]);
                    em.b.switch_to_block(seq);
                    self.fold_t(em, r, vd, v, jv);
                    em.b.ins().jump(join, &[]);
                    em.b.switch_to_block(join);
                }
                Mode::AlongT { .. } => self.fold_t(em, r, vd, v, jv),
                Mode::AlongK { .. } => {
                    let off = em.b.ins().imul_imm_s(jv, self.isz);
                    let pa = em.b.ins().iadd(self.acc.expect("reduction"), off);
                    let cur = em.load(vd, pa);
                    let t = em.b.ins().iadd(self.t0.expect("reduction"), self.i);
                    let (pt, btv) = if is_arg(r.op) {
                        let off = em.b.ins().imul_imm_s(jv, 8);
                        let pt = em.b.ins().iadd(self.acct.expect("reduction"), off);
                        (Some(pt), em.b.ins().load(types::I64, mem(), pt, 0))
                    } else {
                        (None, self.zero)
                    };
                    let (nv, nt) = fold(em, r.op, vd, self.first_row.expect("mode K"), cur, v, btv, t);
                    em.store(vd, nv, pa);
                    if let Some(pt) = pt {
                        em.b.ins().store(mem(), nt, pt, 0);
                    }
                }
                Mode::Elementwise { .. } => unreachable!("reduction in elementwise mode"),
            }
        }
    }

    /// Mode T: folds `v` (at inner index `jv`) into the accumulator variables.
    fn fold_t(&self, em: &mut Em, r: &ir::kernel::KernelReduction, vd: DType, v: V, jv: Value) {
        let (initb, vars, bt) = self.acc_vars.expect("mode T state");
        // The value starts the fold when the block starts the leaf and it starts the block.
        let at0 = em.b.ins().icmp_imm_s(IntCC::Equal, jv, 0);
        let fst = em.b.ins().band(*initb, at0);
        let cur = if vd.is_complex() {
            V::C(em.b.use_var(vars[0]), em.b.use_var(vars[1]))
        } else {
            V::S(em.b.use_var(vars[0]))
        };
        let t = em.b.ins().iadd(self.t0.expect("reduction"), jv);
        let btv = em.b.use_var(*bt);
        let (nv, nt) = fold(em, r.op, vd, fst, cur, v, btv, t);
        match nv {
            V::S(x) => em.b.def_var(vars[0], x),
            V::C(re, im) => {
                em.b.def_var(vars[0], re);
                em.b.def_var(vars[1], im);
            }
        }
        em.b.def_var(*bt, nt);
    }
}

/// The inner loop body of a kernel with a strip schedule: one chunk of up to `s.len` elements
/// from `j`, phase by phase with the strip calls between them, then on to the next chunk.
#[allow(clippy::too_many_arguments)]
fn chunk(em: &mut Em, k: &Kernel, plan: &Plan, e: &Entry, s: &Strips, lp: &Loop, j: Variable, tail: &Tail, inner_head: Block) {
    let i64t = types::I64;
    let m = k.body.len();
    let j0 = em.b.use_var(j);
    let end = lp.end(em, e);
    let rem = em.b.ins().isub(end, j0);
    let cap = em.iconst(s.len as i64);
    let short = em.b.ins().icmp(IntCC::SignedLessThan, rem, cap);
    let len = em.b.ins().select(short, rem, cap);
    let bases: Vec<Value> = lp.ptrs.iter().map(|&v| em.b.use_var(v)).collect();
    let lbases: Vec<Value> = lp.lins.iter().map(|&v| em.b.use_var(v)).collect();
    let slot = em.strip_slot(s.bytes);
    let base = em.b.ins().stack_addr(i64t, slot, 0);
    // Position of each Linear instruction in `plan.linears`.
    let mut lin_pos = vec![usize::MAX; m];
    for (q, &l) in plan.linears.iter().enumerate() {
        lin_pos[l as usize] = q;
    }
    let nin = k.inputs.len();
    // Whether all the given operands step by one element from an aligned address: then calls
    // read and write them in place (as slices) and the phase loops that would only copy are
    // skipped.
    let contiguous = |em: &mut Em, qs: &mut dyn Iterator<Item = usize>| -> Value {
        let mut all = em.bconst(true);
        for q in qs {
            let d = if q < nin { k.inputs[q] } else { k.body[k.outputs[q - nin] as usize].dtype };
            let isz = d.itemsize() as i64;
            let c = em.b.ins().icmp_imm_s(IntCC::Equal, e.ops[q][2], isz);
            let low = em.b.ins().band_imm_s(bases[q], isz - 1);
            let a = em.b.ins().icmp_imm_s(IntCC::Equal, low, 0);
            let c = em.b.ins().band(c, a);
            all = em.b.ins().band(all, c);
        }
        all
    };
    let out_flag = s.direct_outs.as_ref().map(|v| contiguous(em, &mut v.iter().map(|&(_, q)| nin + q as usize)));
    for p in 0..s.nphases {
        let last = p + 1 == s.nphases;
        let arg_flag = s.direct_args[p].as_ref().map(|v| contiguous(em, &mut v.iter().map(|&(_, q)| q as usize)));
        let skip = if last { out_flag } else { arg_flag };
        // The operands and Linear values this phase steps through.
        let mut need_op = vec![last; bases.len()];
        need_op[..nin].fill(false);
        let mut need_lin = vec![false; lbases.len()];
        for jj in (0..m).filter(|&jj| s.remat[jj] && s.remat_in[p][jj]) {
            match k.body[jj].op {
                InstrOp::Load(q) => need_op[q as usize] = true,
                InstrOp::Linear(_) => need_lin[lin_pos[jj]] = true,
                _ => {}
            }
        }
        let ev = em.b.declare_var(i64t);
        let zero = em.iconst(0);
        em.b.def_var(ev, zero);
        let vars = |em: &mut Em, need: &[bool], init: &[Value]| -> Vec<Option<Variable>> {
            need.iter()
                .zip(init)
                .map(|(&n, &x)| {
                    n.then(|| {
                        let v = em.b.declare_var(i64t);
                        em.b.def_var(v, x);
                        v
                    })
                })
                .collect()
        };
        let pvars = vars(em, &need_op, &bases);
        let lvars = vars(em, &need_lin, &lbases);
        let head = em.b.create_block();
        let body = em.b.create_block();
        let done = em.b.create_block();
        match skip {
            Some(f) => {
                em.b.ins().brif(f, done, &[], head, &[]);
            }
            None => {
                em.b.ins().jump(head, &[]);
            }
        }

        em.b.switch_to_block(head);
        let evv = em.b.use_var(ev);
        let c = em.b.ins().icmp(IntCC::SignedLessThan, evv, len);
        em.b.ins().brif(c, body, &[], done, &[]);

        em.b.switch_to_block(body);
        let evv = em.b.use_var(ev);
        let ptrs: Vec<Value> = pvars.iter().zip(&bases).map(|(v, &b)| v.map_or(b, |v| em.b.use_var(v))).collect();
        let lins: Vec<Value> = lvars.iter().zip(&lbases).map(|(v, &b)| v.map_or(b, |v| em.b.use_var(v))).collect();
        let lin_of: Vec<Option<Value>> = (0..m).map(|jj| (lin_pos[jj] != usize::MAX).then(|| lins[lin_pos[jj]])).collect();
        let mut pe = PhaseEval { s, p, base, ev: evv, addrs: vec![], vals: vec![None; m] };
        pe.run(em, k, e, &ptrs, &lin_of);
        if last {
            for &o in k.outputs.iter().chain(k.reduction.as_ref().map(|r| &r.value)) {
                pe.get(em, k, o as usize);
            }
            let jv = em.b.ins().iadd(j0, evv);
            tail.emit(em, k, &pe.vals, &ptrs, jv);
        }
        for (q, v) in pvars.iter().enumerate() {
            if let Some(v) = *v {
                let np = em.b.ins().iadd(ptrs[q], e.ops[q][2]);
                em.b.def_var(v, np);
            }
        }
        for (q, v) in lvars.iter().enumerate() {
            if let Some(v) = *v {
                let nl = em.b.ins().iadd(lins[q], e.lins[q][2]);
                em.b.def_var(v, nl);
            }
        }
        let en = em.b.ins().iadd_imm_s(evv, 1);
        em.b.def_var(ev, en);
        em.b.ins().jump(head, &[]);

        em.b.switch_to_block(done);
        for &t in &s.calls[p] {
            let t = t as usize;
            let f = strips::strip_func(k, t).expect("a strip function");
            let (a, o) = (s.arg[t].expect("argument buffer"), s.keep[t].expect("result buffer"));
            let mut xa = em.b.ins().iadd_imm_s(base, a.off as i64);
            let mut oa = em.b.ins().iadd_imm_s(base, o.off as i64);
            if let (Some(f), Some(v)) = (arg_flag, &s.direct_args[p]) {
                let &(_, q) = v.iter().find(|&&(tt, _)| tt as usize == t).expect("every call's argument");
                xa = em.b.ins().select(f, bases[q as usize], xa);
            }
            if let (Some(f), Some(v)) = (out_flag, &s.direct_outs) {
                if let Some(&(_, q)) = v.iter().find(|&&(tt, _)| tt as usize == t) {
                    oa = em.b.ins().select(f, bases[nin + q as usize], oa);
                }
            }
            em.strip_call(f, strips::is_f32(k, t), xa, oa, len);
        }
    }
    // On to the next chunk.
    for (q, o) in e.ops.iter().enumerate() {
        let step = em.b.ins().imul(len, o[2]);
        let np = em.b.ins().iadd(bases[q], step);
        em.b.def_var(lp.ptrs[q], np);
    }
    for (q, l) in e.lins.iter().enumerate() {
        let step = em.b.ins().imul(len, l[2]);
        let nl = em.b.ins().iadd(lbases[q], step);
        em.b.def_var(lp.lins[q], nl);
    }
    let jn = em.b.ins().iadd(j0, len);
    em.b.def_var(j, jn);
    em.b.ins().jump(inner_head, &[]);
}

/// One fold step: `first` starts from `v` (at `t`), otherwise `v` is folded into `cur` (whose
/// winning t is `bt` for argmin/argmax). Returns the new accumulator and t.
#[allow(clippy::too_many_arguments)]
fn fold(em: &mut Em, op: ReduceOp, vd: DType, first: Value, cur: V, v: V, bt: Value, t: Value) -> (V, Value) {
    if is_arg(op) {
        let better = em.arg_better(op, vd, cur, v);
        let take = em.b.ins().bor(first, better);
        let nv = em.select(V::S(take), v, cur);
        let nt = em.b.ins().select(take, t, bt);
        (nv, nt)
    } else {
        let d = if matches!(op, ReduceOp::Any | ReduceOp::All) { DType::Bool } else { vd };
        let f = em.arith(plan::fold_op(op), d, cur, v);
        (em.select(V::S(first), v, f), bt)
    }
}
