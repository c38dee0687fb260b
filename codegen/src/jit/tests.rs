//! The JIT against the interpreter: generated kernels over every dtype and op, random shapes and
//! layouts (0-d, empty, strided, broadcast, negative strides, offset boxes) and values with the
//! usual troublemakers (0, -1, INT_MIN, INT_MAX, NaN, ±inf, -0.0).

use super::*;
use crate::interp;
use ir::dtype::{DType, Kind, ALL_DTYPES};
use ir::kernel::{Instr, InstrOp, KernelReduction, Operand};
use ir::op::{BinaryOp, RandomDist, ReduceOp, UnaryOp};
use ir::scalar::Scalar;

use DType::*;

use crate::test_rng::Rng;

fn encode(d: DType, v: Scalar) -> Vec<u8> {
    v.to_bytes(d)
}

fn decode(d: DType, b: &[u8]) -> Scalar {
    Scalar::from_bytes(d, b)
}

/// Value equality that tells -0.0 from 0.0 and treats every NaN alike.
fn same(a: Scalar, b: Scalar) -> bool {
    let f = |x: f64, y: f64| (x.is_nan() && y.is_nan()) || x.to_bits() == y.to_bits();
    match (a, b) {
        (Scalar::Float(x), Scalar::Float(y)) => f(x, y),
        (Scalar::Complex(a, b), Scalar::Complex(c, d)) => f(a, c) && f(b, d),
        _ => a == b,
    }
}

const SPECIAL_F: [f64; 14] =
    [0.0, -0.0, 1.0, -1.0, f64::NAN, f64::INFINITY, f64::NEG_INFINITY, 0.5, -2.5, 3.0, 1e300, -1e-300, 7.25, 1e19];

fn value(rng: &mut Rng, d: DType) -> Scalar {
    let int = |rng: &mut Rng| -> i64 {
        match rng.below(8) {
            0 => 0,
            1 => -1,
            2 => 1,
            3 => i64::MIN,
            4 => i64::MAX,
            5 => rng.below(7) as i64 - 3,
            6 => rng.next() as i64,
            _ => rng.below(300) as i64 - 150,
        }
    };
    let float = |rng: &mut Rng| -> f64 {
        if rng.chance(0.5) {
            rng.pick(&SPECIAL_F)
        } else {
            ((rng.next() >> 11) as f64 / (1u64 << 53) as f64 - 0.5) * 8.0
        }
    };
    let s = match d.kind() {
        Kind::Bool => Scalar::Bool(rng.chance(0.5)),
        // Narrow types get the extremes of their own width too.
        Kind::Int => match rng.below(6) {
            0 => Scalar::Int(ir::dtype::int_range(d).unwrap().0 as i64),
            1 => Scalar::Int(ir::dtype::int_range(d).unwrap().1 as i64),
            _ => Scalar::Int(int(rng)),
        },
        Kind::UInt => Scalar::Int(int(rng)),
        Kind::Float => Scalar::Float(float(rng)),
        Kind::Complex => Scalar::Complex(float(rng), float(rng)),
    };
    s.cast(d)
}

/// A kernel under construction with the dtypes of its values.
struct Gen<'a> {
    rng: &'a mut Rng,
    k: Kernel,
    dtypes: Vec<DType>,
}

impl Gen<'_> {
    fn push(&mut self, op: InstrOp, dtype: DType) -> u32 {
        self.k.body.push(Instr { op, dtype });
        (self.k.body.len() - 1) as u32
    }

    fn dt(&self, v: u32) -> DType {
        self.k.body[v as usize].dtype
    }

    fn any(&mut self) -> u32 {
        let n = self.k.body.len();
        // Prefer recent values so chains grow deep.
        if self.rng.chance(0.6) {
            (n - 1 - self.rng.below(n.min(3))) as u32
        } else {
            self.rng.below(n) as u32
        }
    }

    /// A value of dtype `d`: an existing one, or a cast of one.
    fn of(&mut self, d: DType) -> u32 {
        let cands: Vec<u32> = (0..self.k.body.len() as u32).filter(|&v| self.dt(v) == d).collect();
        if !cands.is_empty() && self.rng.chance(0.7) {
            return self.rng.pick(&cands);
        }
        let a = self.any();
        if self.dt(a) == d {
            a
        } else {
            self.push(InstrOp::Cast(a), d)
        }
    }

    fn linear(&mut self) -> u32 {
        let nd = self.k.ndim;
        let terms: Vec<(u32, i64)> = (0..self.rng.below(3))
            .filter(|_| nd > 0)
            .map(|_| (self.rng.below(nd) as u32, self.rng.below(7) as i64 - 3))
            .collect();
        let d = if self.dtypes.len() < ALL_DTYPES.len() { I64 } else { self.rng.pick(&[I64, I64, I32, I8]) };
        self.push(InstrOp::Linear(terms), d)
    }

    fn leaf(&mut self) -> u32 {
        match self.rng.below(4) {
            0 if !self.k.params.is_empty() => {
                let p = self.rng.below(self.k.params.len());
                let d = if self.rng.chance(0.7) { self.k.params[p] } else { self.rng.pick(&self.dtypes.clone()) };
                self.push(InstrOp::Param(p as u32), d)
            }
            1 => self.linear(),
            _ if !self.k.inputs.is_empty() => {
                let i = self.rng.below(self.k.inputs.len());
                self.push(InstrOp::Load(i as u32), self.k.inputs[i])
            }
            _ => self.linear(),
        }
    }

    fn step(&mut self, ops: &Ops) {
        match self.rng.below(10) {
            0 => {
                self.leaf();
            }
            1 | 2 => {
                let a = self.any();
                let op = self.rng.pick(&ops.unary);
                if let Ok(od) = op.result_dtype(self.dt(a)) {
                    self.push(InstrOp::Unary(op, a), od);
                }
            }
            3..=6 => {
                let op = self.rng.pick(&ops.binary);
                let a = self.any();
                let mut d = self.dt(a);
                if self.rng.chance(0.15) {
                    d = self.rng.pick(&self.dtypes.clone());
                }
                if plan::is_comparison(op) {
                    let (a, b) = (self.of(d), self.of(d));
                    self.push(InstrOp::Binary(op, a, b), Bool);
                } else if plan::arith_supported(op, d.kind()) {
                    let (a, b) = (self.of(d), self.of(d));
                    self.push(InstrOp::Binary(op, a, b), d);
                }
            }
            7 => {
                let a = self.any();
                let d = self.rng.pick(&self.dtypes.clone());
                self.push(InstrOp::Cast(a), d);
            }
            8 => {
                let c = self.of(Bool);
                let a = self.any();
                let d = self.dt(a);
                let b = self.of(d);
                self.push(InstrOp::Select(c, a, b), d);
            }
            _ => {
                if self.k.params.len() >= 3 && ops.random {
                    let index = self.of(I64);
                    let dist = self.rng.pick(&[RandomDist::Uniform01, RandomDist::Normal, RandomDist::Bounded]);
                    let d = match dist {
                        RandomDist::Bounded => self.rng.pick(&[U64, I64, U8, I32]),
                        _ => self.rng.pick(&[F64, F32]),
                    };
                    let range = if dist == RandomDist::Bounded && self.rng.chance(0.8) { Some(2) } else { None };
                    self.push(InstrOp::Random { dist, seed: 0, draw: 1, range, index }, d);
                } else {
                    self.leaf();
                }
            }
        }
    }
}

struct Ops {
    unary: Vec<UnaryOp>,
    binary: Vec<BinaryOp>,
    random: bool,
    /// Dtypes of inputs, params, casts and linear values.
    dtypes: Vec<DType>,
}

fn all_ops() -> Ops {
    use BinaryOp::*;
    use UnaryOp::*;
    Ops {
        unary: vec![
            Neg, Abs, Sqrt, Exp, Log, Sin, Cos, Tanh, Invert, LogicalNot, Expm1, Log1p, Log2, Log10, Exp2, Cbrt, Tan,
            Arcsin, Arccos, Arctan, Sinh, Cosh, Arcsinh, Arccosh, Arctanh, Floor, Ceil, Trunc, Rint, Sign, Conj, Imag,
        ],
        binary: vec![
            Add, Sub, Mul, Div, FloorDiv, Mod, Pow, Max, Min, Eq, Ne, Lt, Le, Gt, Ge, BitAnd, BitOr, BitXor, LogicalAnd,
            LogicalOr, LogicalXor, Fmod, Arctan2, Hypot, Copysign, Logaddexp, Logaddexp2, Shl, Shr,
        ],
        random: true,
        dtypes: ALL_DTYPES.to_vec(),
    }
}

/// A random kernel: `ninstr` generated instructions; outputs or a reduction of the last value.
fn gen_kernel(rng: &mut Rng, ndim: usize, ops: &Ops, ninstr: usize, reduce: Option<ReduceOp>) -> Kernel {
    let ninputs = rng.below(3) + usize::from(rng.chance(0.8));
    let inputs: Vec<DType> = (0..ninputs).map(|_| rng.pick(&ops.dtypes)).collect();
    // Params 0..2 feed random draws (seed, draw, range) when there are 3 or more.
    let mut params: Vec<DType> = (0..rng.below(3)).map(|_| rng.pick(&ops.dtypes)).collect();
    if ops.random && rng.chance(0.3) {
        params = vec![U64, U64, U64, F64];
    }
    let k = Kernel { ndim, inputs, params, body: vec![], outputs: vec![], reduction: None };
    let mut g = Gen { rng, k, dtypes: ops.dtypes.clone() };
    g.leaf();
    for _ in 0..ninstr {
        g.step(ops);
    }
    let n = g.k.body.len() as u32;
    match reduce {
        None => {
            let nout = 1 + g.rng.below(3);
            for q in 0..nout {
                let o = if q == 0 { n - 1 } else { g.rng.below(n as usize) as u32 };
                g.k.outputs.push(o);
            }
        }
        Some(op) => {
            let last = n - 1;
            let d = g.dt(last);
            let value = if plan::is_arg(op) { last } else { g.of(op.result_dtype(d)) };
            let reduced: Vec<bool> = (0..ndim).map(|_| g.rng.chance(0.6)).collect();
            if g.rng.chance(0.2) {
                g.k.outputs.push(g.rng.below(n as usize) as u32);
            }
            g.k.reduction = Some(KernelReduction { op, value, reduced });
        }
    }
    g.k
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Layout {
    Contiguous,
    /// Strided, possibly negative, never broadcast (outputs).
    Injective,
    Any,
}

/// A buffer with an operand view over a domain: per-axis strides (0, ±1x or ±2x the row-major
/// stride) and the offset that keeps every element of the domain inside.
struct Buf {
    d: DType,
    bytes: Vec<u8>,
    offset: isize,
    strides: Vec<isize>,
}

impl Buf {
    fn new(rng: &mut Rng, d: DType, dom: &[usize], layout: Layout, fill: &mut dyn FnMut(&mut Rng) -> Scalar) -> Buf {
        let nd = dom.len();
        let mut strides = vec![0isize; nd];
        let mut s = 1isize;
        let contiguous = layout == Layout::Contiguous;
        let broadcast_ok = layout == Layout::Any;
        let factor = if !contiguous && rng.chance(0.2) { 2 } else { 1 };
        for a in (0..nd).rev() {
            strides[a] = s * factor;
            s *= dom[a].max(1) as isize;
        }
        for st in strides.iter_mut().filter(|_| !contiguous) {
            if broadcast_ok && rng.chance(0.15) {
                *st = 0;
            } else if rng.chance(0.2) {
                *st = -*st;
            }
        }
        let offset: isize = (0..nd).filter(|&a| strides[a] < 0).map(|a| -strides[a] * (dom[a].max(1) as isize - 1)).sum();
        let max: isize = offset + (0..nd).filter(|&a| strides[a] > 0).map(|a| strides[a] * (dom[a].max(1) as isize - 1)).sum::<isize>();
        let n = max as usize + 1;
        let mut bytes = Vec::with_capacity(n * d.itemsize());
        for _ in 0..n {
            bytes.extend(encode(d, fill(rng)));
        }
        Buf { d, bytes, offset, strides }
    }

    fn operand(&mut self) -> Operand {
        Operand { ptr: self.bytes.as_mut_ptr(), offset: self.offset, strides: self.strides.clone() }
    }

    fn values(&self) -> Vec<Scalar> {
        self.bytes.chunks(self.d.itemsize()).map(|c| decode(self.d, c)).collect()
    }
}

fn gen_domain(rng: &mut Rng, ndim: usize, big: bool) -> Vec<usize> {
    (0..ndim)
        .map(|_| match rng.below(10) {
            0 => 0,
            1 => 1,
            2 if big => 1100 + rng.below(1500),
            _ => 1 + rng.below(7),
        })
        .collect()
}

fn gen_box(rng: &mut Rng, dom: &[usize]) -> (Vec<usize>, Vec<usize>) {
    dom.iter()
        .map(|&n| {
            if n == 0 || rng.chance(0.5) {
                (0, n)
            } else {
                let a = rng.below(n + 1);
                let b = rng.below(n + 1);
                (a.min(b), a.max(b))
            }
        })
        .unzip()
}

fn gen_params(rng: &mut Rng, k: &Kernel) -> Vec<Scalar> {
    k.params
        .iter()
        .enumerate()
        .map(|(i, &d)| if i < 3 && k.params.len() >= 3 { Scalar::UInt(rng.next() % 50) } else { value(rng, d) })
        .collect()
}

/// Everything one call reads and writes, so it can run twice (JIT, interpreter) on equal copies.
struct Case {
    k: Kernel,
    dom: Vec<usize>,
    lo: Vec<usize>,
    hi: Vec<usize>,
    params: Vec<Scalar>,
    inputs: Vec<Buf>,
    outputs: Vec<Buf>,
}

impl Case {
    fn new(rng: &mut Rng, k: Kernel, dom: Vec<usize>, contiguous: bool) -> Case {
        let (lo, hi) = if contiguous { (vec![0; dom.len()], dom.clone()) } else { gen_box(rng, &dom) };
        let params = gen_params(rng, &k);
        let (il, ol) = if contiguous { (Layout::Contiguous, Layout::Contiguous) } else { (Layout::Any, Layout::Injective) };
        let inputs = k.inputs.iter().map(|&d| Buf::new(rng, d, &dom, il, &mut |r| value(r, d))).collect();
        let outputs = k
            .outputs
            .iter()
            .map(|&o| {
                let d = k.body[o as usize].dtype;
                Buf::new(rng, d, &dom, ol, &mut |_| Scalar::Int(-7))
            })
            .collect();
        Case { k, dom, lo, hi, params, inputs, outputs }
    }

    /// Runs on copies of the output buffers; returns outputs and partials (values, t).
    fn run(&mut self, jit: bool, leaves: (usize, usize)) -> Option<(Vec<Vec<Scalar>>, Vec<Scalar>, Vec<u64>)> {
        let ins: Vec<Operand> = self.inputs.iter_mut().map(Buf::operand).collect();
        let mut outs: Vec<Buf> = self
            .outputs
            .iter()
            .map(|b| Buf { d: b.d, bytes: b.bytes.clone(), offset: b.offset, strides: b.strides.clone() })
            .collect();
        let out_ops: Vec<Operand> = outs.iter_mut().map(Buf::operand).collect();
        let (mut pv, mut pt, vd) = match &self.k.reduction {
            Some(r) => {
                let kn: usize = (0..self.k.ndim).filter(|&a| !r.reduced[a]).map(|a| self.hi[a] - self.lo[a]).product();
                let np = leaves.1.saturating_sub(leaves.0) * kn;
                let vd = self.k.body[r.value as usize].dtype;
                (vec![0xA5u8; np * vd.itemsize()], vec![u64::MAX; np], Some(vd))
            }
            None => (vec![], vec![], None),
        };
        let call = Call {
            domain: &self.dom,
            lo: self.lo.clone(),
            hi: self.hi.clone(),
            inputs: &ins,
            params: &self.params,
            outputs: &out_ops,
            leaves,
            partials: vd.map(|_| (pv.as_mut_ptr(), Some(pt.as_mut_ptr()))),
        };
        // SAFETY: every buffer covers the whole domain through its operand; partials are sized
        // for the called leaves and the kept box.
        unsafe {
            if jit {
                if !run_jit_only(&self.k, &call) {
                    return None;
                }
            } else {
                interp::run(&self.k, &call);
            }
        }
        let partials = vd.map_or(vec![], |d| pv.chunks(d.itemsize()).map(|c| decode(d, c)).collect());
        let pt = std::mem::take(&mut pt);
        Some((outs.iter().map(Buf::values).collect(), partials, pt))
    }
}

fn report(k: &Kernel, what: &str, i: usize, got: Scalar, want: Scalar, case: &Case) -> String {
    format!(
        "{what} element {i}: jit {got:?}, interpreter {want:?}\ndomain {:?} box {:?}..{:?} params {:?}\n{}",
        case.dom,
        case.lo,
        case.hi,
        case.params,
        k.dump()
    )
}

/// Whether a kernel's outputs may differ from the interpreter's in the last bits: none may (the
/// transcendentals call the interpreter's own functions), so this is exact everywhere.
fn check_equal(case: &mut Case, leaves: (usize, usize)) -> bool {
    let Some((jo, jp, jt)) = case.run(true, leaves) else { return false };
    let (io, ip, it) = case.run(false, leaves).expect("interpreter");
    for (q, (a, b)) in jo.iter().zip(&io).enumerate() {
        for (i, (&g, &w)) in a.iter().zip(b).enumerate() {
            assert!(same(g, w), "{}", report(&case.k, &format!("output {q}"), i, g, w, case));
        }
    }
    for (i, (&g, &w)) in jp.iter().zip(&ip).enumerate() {
        assert!(same(g, w), "{}", report(&case.k, "partial", i, g, w, case));
    }
    if let Some(r) = &case.k.reduction {
        if plan::is_arg(r.op) {
            assert_eq!(jt, it, "argmin/argmax t\n{}", case.k.dump());
        }
    }
    true
}

#[test]
fn elementwise_kernels_match_the_interpreter() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let ops = all_ops();
    let (mut ran, mut total) = (0, 0);
    for it in 0..1500 {
        let ndim = rng.below(5);
        let ninstr = 1 + rng.below(if it % 10 == 0 { 40 } else { 8 });
        let k = gen_kernel(&mut rng, ndim, &ops, ninstr, None);
        let dom = gen_domain(&mut rng, ndim, false);
        let mut case = Case::new(&mut rng, k, dom, false);
        total += 1;
        if check_equal(&mut case, (0, 0)) {
            ran += 1;
        }
    }
    // Every generated kernel is well formed, so the JIT must take all of them.
    assert_eq!(ran, total, "kernels the JIT declined");
}

#[test]
fn reduction_kernels_match_the_interpreter_and_do_not_depend_on_the_leaf_split() {
    let mut rng = Rng(0xD1B5_4A32_D192_ED03);
    let ops = all_ops();
    let red_ops = [
        ReduceOp::Sum,
        ReduceOp::Prod,
        ReduceOp::Min,
        ReduceOp::Max,
        ReduceOp::ArgMin,
        ReduceOp::ArgMax,
        ReduceOp::Any,
        ReduceOp::All,
    ];
    for it in 0..600 {
        let ndim = rng.below(5);
        let op = rng.pick(&red_ops);
        let ni = 1 + rng.below(6);
        let mut k = gen_kernel(&mut rng, ndim, &ops, ni, Some(op));
        if matches!(op, ReduceOp::Any | ReduceOp::All) {
            let r = k.reduction.as_mut().unwrap();
            let v = r.value;
            if k.body[v as usize].dtype != Bool {
                k.body.push(Instr { op: InstrOp::Cast(v), dtype: Bool });
                k.reduction.as_mut().unwrap().value = (k.body.len() - 1) as u32;
            }
        }
        let dom = gen_domain(&mut rng, ndim, it % 3 == 0);
        let mut case = Case::new(&mut rng, k, dom, false);
        let (_, nleaves) = case.k.reduction_extent(&case.dom);
        let a = rng.below(nleaves + 1);
        let b = rng.below(nleaves + 1);
        let leaves = (a.min(b), a.max(b).max(a.min(b) + usize::from(nleaves > 0)));
        let leaves = (leaves.0, leaves.1.min(nleaves));
        assert!(check_equal(&mut case, leaves), "JIT declined\n{}", case.k.dump());
        // The same leaves computed in two calls give the same partials.
        if leaves.1 > leaves.0 + 1 {
            let s = leaves.0 + 1 + rng.below(leaves.1 - leaves.0 - 1);
            let (_, whole, wt) = case.run(true, leaves).unwrap();
            let (_, mut split, mut st) = case.run(true, (leaves.0, s)).unwrap();
            let (_, p2, t2) = case.run(true, (s, leaves.1)).unwrap();
            split.extend(p2);
            st.extend(t2);
            for (i, (&g, &w)) in split.iter().zip(&whole).enumerate() {
                assert!(same(g, w), "split partial {i}: {g:?} vs {w:?}\n{}", case.k.dump());
            }
            if plan::is_arg(op) {
                assert_eq!(st, wt);
            }
        }
    }
}

/// Contiguous float/int arithmetic of the kind the vector path handles, at lengths around the
/// vector width (and whatever else such kernels generate, which takes the scalar loop).
#[test]
fn contiguous_arithmetic_matches_the_interpreter() {
    use BinaryOp::*;
    let mut rng = Rng(77);
    let mut vectorized = 0;
    for it in 0..600 {
        let d = rng.pick(&[F64, F32, I64, U64]);
        let ops = Ops {
            unary: vec![UnaryOp::Neg, UnaryOp::Abs, UnaryOp::Sqrt, UnaryOp::LogicalNot, UnaryOp::Invert],
            binary: vec![Add, Sub, Mul, Div, Max, Min, Lt, Eq, Ge, Ne, BitAnd, BitXor, BitOr, LogicalAnd, LogicalOr],
            random: false,
            dtypes: if it % 4 == 0 { vec![d, Bool] } else { vec![d] },
        };
        let ndim = 1 + rng.below(2);
        let ni = 1 + rng.below(8);
        let k = gen_kernel(&mut rng, ndim, &ops, ni, None);
        let p = plan::plan(&k).expect("well formed");
        vectorized += p.simd as usize;
        let dom: Vec<usize> = (0..ndim).map(|_| rng.below(if ndim == 1 { 40 } else { 12 })).collect();
        let mut case = Case::new(&mut rng, k, dom, true);
        assert!(check_equal(&mut case, (0, 0)), "JIT declined\n{}", case.k.dump());
    }
    assert!(vectorized > 200, "only {vectorized} kernels took the vector path");
}

/// Reductions over contiguous inputs, where mode 1 (one accumulator per kept point) folds whole
/// vectors of kept points.
#[test]
fn contiguous_reductions_match_the_interpreter() {
    use BinaryOp::*;
    let mut rng = Rng(991);
    let mut vectorized = 0;
    for _ in 0..300 {
        let d = rng.pick(&[F64, F32, I64, U64]);
        let ops = Ops {
            unary: vec![UnaryOp::Neg, UnaryOp::Abs],
            binary: vec![Add, Sub, Mul, Max, Min, Lt],
            random: false,
            dtypes: vec![d],
        };
        let ndim = 2 + rng.below(2);
        let ni = rng.below(4);
        let op = rng.pick(&[ReduceOp::Sum, ReduceOp::Prod, ReduceOp::Min, ReduceOp::Max, ReduceOp::ArgMax]);
        let mut k = gen_kernel(&mut rng, ndim, &ops, ni, Some(op));
        // Mode 1 needs a reduced axis outside a kept one.
        k.reduction.as_mut().unwrap().reduced = (0..ndim).map(|a| a == 0 || (a < ndim - 1 && rng.chance(0.5))).collect();
        vectorized += plan::plan(&k).expect("well formed").simd as usize;
        let dom: Vec<usize> = (0..ndim).map(|a| if a == 0 { 1 + rng.below(1500) } else { 1 + rng.below(9) }).collect();
        let mut case = Case::new(&mut rng, k, dom, true);
        let (_, nl) = case.k.reduction_extent(&case.dom);
        assert!(check_equal(&mut case, (0, nl)), "JIT declined\n{}", case.k.dump());
    }
    assert!(vectorized > 100, "only {vectorized} kernels took the vector path");
}

/// Mode T with runs folded by lanes (float and complex sum, prod, max, min): innermost reduced
/// extents around 8 (runs shorter than 8, exactly 8, a few lanes over, cut by leaf boundaries),
/// several reduced axes, contiguous (the vector loop) and strided layouts, leaf splits; and the
/// partials of a kept point do not depend on the box it is computed in (a rank's share).
#[test]
fn mode_t_runs_by_lanes_match_the_interpreter_for_any_split() {
    use BinaryOp::*;
    let mut rng = Rng(0x1A7E_5EED);
    let (mut lanes_t, mut vec_t) = (0, 0);
    for it in 0..700 {
        let d = rng.pick(&[F64, F32, F64, F32, C128, C64]);
        let ops = Ops {
            unary: vec![UnaryOp::Neg, UnaryOp::Abs, UnaryOp::Sqrt],
            binary: vec![Add, Sub, Mul, Div, Max, Min, Lt],
            random: false,
            dtypes: vec![d],
        };
        let op = rng.pick(&[ReduceOp::Sum, ReduceOp::Prod, ReduceOp::Max, ReduceOp::Min, ReduceOp::Sum]);
        let ndim = 1 + rng.below(3);
        let ni = rng.below(3);
        let mut k = gen_kernel(&mut rng, ndim, &ops, ni, Some(op));
        // Kept axes short, reduced ones long enough for several leaves now and then; the
        // innermost reduced extent around the lane count.
        let mut reduced: Vec<bool> = (0..ndim).map(|_| rng.chance(0.6)).collect();
        if !reduced.iter().any(|&r| r) {
            reduced[ndim - 1] = true;
        }
        let inner = (0..ndim).rev().find(|&a| reduced[a]).unwrap();
        let dom: Vec<usize> = (0..ndim)
            .map(|a| match (reduced[a], a == inner) {
                (true, true) => rng.pick(&[1, 3, 7, 8, 9, 15, 16, 17, 23, 40, 100, 1030, 2100]),
                (true, false) => 1 + rng.below(60),
                (false, _) => 1 + rng.below(4),
            })
            .collect();
        k.reduction.as_mut().unwrap().reduced = reduced.clone();
        let vd = k.body[k.reduction.as_ref().unwrap().value as usize].dtype;
        let ord = interp::order(&dom, &reduced);
        if ord.along_t && interp::by_lanes(op, vd) && ord.run >= 8 {
            lanes_t += 1;
        }
        let contiguous = it % 2 == 0;
        if contiguous && ord.along_t && ord.run >= 8 && vd.is_float() && plan::plan(&k).unwrap().simd {
            vec_t += 1;
        }
        let mut case = Case::new(&mut rng, k, dom.clone(), contiguous);
        case.lo = vec![0; ndim];
        case.hi = dom.clone();
        if it % 3 != 0 {
            // Values of many magnitudes and few specials, so that a different order rounds
            // differently.
            for b in &mut case.inputs {
                let (d, n) = (b.d, b.bytes.len() / b.d.itemsize());
                let f = |rng: &mut Rng| {
                    if rng.chance(0.02) {
                        rng.pick(&SPECIAL_F)
                    } else {
                        ((rng.next() >> 11) as f64 / (1u64 << 53) as f64 - 0.4) * 10f64.powi(rng.below(7) as i32 - 3)
                    }
                };
                b.bytes = (0..n)
                    .flat_map(|_| {
                        let v = match d.kind() {
                            Kind::Complex => Scalar::Complex(f(&mut rng), f(&mut rng)),
                            Kind::Float => Scalar::Float(f(&mut rng)),
                            _ => value(&mut rng, d),
                        };
                        encode(d, v.cast(d))
                    })
                    .collect();
            }
        }
        let (_, nl) = case.k.reduction_extent(&dom);
        let a = rng.below(nl + 1);
        let b = rng.below(nl + 1);
        let leaves = (a.min(b), a.max(b).max(a.min(b) + usize::from(nl > 0)).min(nl));
        assert!(check_equal(&mut case, leaves), "JIT declined\n{}", case.k.dump());
        // A share of the kept box (as a rank holds) gives its kept points the same partials.
        let Some(ax) = (0..ndim).find(|&x| !reduced[x] && dom[x] >= 2) else { continue };
        let (_, whole, _) = case.run(true, leaves).unwrap();
        let s = 1 + rng.below(dom[ax] - 1);
        case.lo[ax] = s;
        let (_, part, _) = case.run(true, leaves).unwrap();
        let (_, ipart, _) = case.run(false, leaves).unwrap();
        let kept: Vec<usize> = (0..ndim).filter(|&x| !reduced[x]).collect();
        let kn: usize = kept.iter().map(|&x| dom[x]).product();
        let pn: usize = kept.iter().map(|&x| case.hi[x] - case.lo[x]).product();
        for leaf in 0..leaves.1 - leaves.0 {
            for q in 0..pn {
                // Kept coordinates of entry q of the share, and their entry in the whole box.
                let (mut rest, mut full, mut mul) = (q, 0, 1);
                for &x in kept.iter().rev() {
                    let ext = case.hi[x] - case.lo[x];
                    full += (case.lo[x] + rest % ext) * mul;
                    rest /= ext;
                    mul *= dom[x];
                }
                let (g, w) = (part[leaf * pn + q], whole[leaf * kn + full]);
                assert!(
                    same(g, w),
                    "share entry {q} of leaf {leaf}: {g:?} vs {w:?}\ndomain {dom:?}\n{}",
                    case.k.dump()
                );
                assert!(same(ipart[leaf * pn + q], w), "interpreter share entry {q}\n{}", case.k.dump());
            }
        }
    }
    assert!(lanes_t > 250 && vec_t > 60, "{lanes_t} kernels folded runs by lanes, {vec_t} contiguous float ones");
}

/// The run of `n` values `x` folded as the lanes do.
fn lanes_fold<T: Copy>(x: &[T], f: impl Fn(T, T) -> T) -> T {
    let mut l: Vec<T> = x[..8].to_vec();
    for (j, &v) in x.iter().enumerate().skip(8) {
        l[j % 8] = f(l[j % 8], v);
    }
    f(f(f(l[0], l[1]), f(l[2], l[3])), f(f(l[4], l[5]), f(l[6], l[7])))
}

/// A float64 sum of 1024 values (one leaf, one run) is the 8-lane fold: lane l sums values
/// l, l + 8, ... in order, then ((l0 + l1) + (l2 + l3)) + ((l4 + l5) + (l6 + l7)); through the
/// vector loop (contiguous), the scalar one (negative stride), and the interpreter. So are runs
/// whose length is not a multiple of 8 (the vector loop hands the lanes to the scalar loop),
/// and a run shorter than 8 is the fold in order.
#[test]
fn float_sum_of_a_leaf_is_the_8_lane_fold() {
    let mut rng = Rng(8);
    let x: Vec<f64> = (0..LEAF_N)
        .map(|i| ((rng.next() >> 11) as f64 / (1u64 << 53) as f64 - 0.3) * 10f64.powi((i % 13) as i32 - 6))
        .collect();
    let mut l = [0f64; 8];
    for (j, &v) in x.iter().enumerate() {
        l[j % 8] = if j < 8 { v } else { l[j % 8] + v };
    }
    let want = ((l[0] + l[1]) + (l[2] + l[3])) + ((l[4] + l[5]) + (l[6] + l[7]));
    assert_eq!(want.to_bits(), lanes_fold(&x, |a, b| a + b).to_bits());
    let seq = x.iter().skip(1).fold(x[0], |a, &v| a + v);
    assert_ne!(want.to_bits(), seq.to_bits(), "order-independent data");
    for n in [LEAF_N, 1021, 13, 7] {
        let x = &x[..n];
        let want = if n >= 8 { lanes_fold(x, |a, b| a + b) } else { x.iter().skip(1).fold(x[0], |a, &v| a + v) };
        for (reversed, jit) in [(false, true), (true, true), (false, false)] {
            let data: Vec<f64> = if reversed { x.iter().rev().copied().collect() } else { x.to_vec() };
            let (offset, stride) = if reversed { (n as isize - 1, -1) } else { (0, 1) };
            let k = Kernel {
                ndim: 1,
                inputs: vec![F64],
                params: vec![],
                body: vec![Instr { op: InstrOp::Load(0), dtype: F64 }],
                outputs: vec![],
                reduction: Some(KernelReduction { op: ReduceOp::Sum, value: 0, reduced: vec![true] }),
            };
            let ins = [Operand { ptr: data.as_ptr() as *mut u8, offset, strides: vec![stride] }];
            let mut pv = [0f64; 1];
            let call = Call {
                domain: &[n],
                lo: vec![0],
                hi: vec![n],
                inputs: &ins,
                params: &[],
                outputs: &[],
                leaves: (0, 1),
                partials: Some((pv.as_mut_ptr() as *mut u8, None)),
            };
            // SAFETY: the input covers the domain; one partial.
            unsafe {
                if jit {
                    assert!(run_jit_only(&k, &call));
                } else {
                    interp::run(&k, &call);
                }
            }
            assert_eq!(pv[0].to_bits(), want.to_bits(), "n {n}, reversed {reversed}, jit {jit}: {} vs {want}", pv[0]);
        }
    }
}

const LEAF_N: usize = ir::kernel::LEAF;

/// The sum of 1e6 float64 0.1 through `run`, its leaves combined pairwise as the runtime does,
/// is within a few ulps of 1e5 (NumPy's pairwise sum: 2.4e-16 relative; a fold in order within
/// the leaves: 1.5e-14; the lanes: 2.4e-15).
#[test]
fn float_sum_of_a_million_tenths_is_accurate() {
    let n = 1_000_000usize;
    let x = vec![0.1f64; n];
    let k = Kernel {
        ndim: 1,
        inputs: vec![F64],
        params: vec![],
        body: vec![Instr { op: InstrOp::Load(0), dtype: F64 }],
        outputs: vec![],
        reduction: Some(KernelReduction { op: ReduceOp::Sum, value: 0, reduced: vec![true] }),
    };
    let (_, nl) = k.reduction_extent(&[n]);
    let mut pv = vec![0f64; nl];
    let ins = [Operand { ptr: x.as_ptr() as *mut u8, offset: 0, strides: vec![1] }];
    let call = Call {
        domain: &[n],
        lo: vec![0],
        hi: vec![n],
        inputs: &ins,
        params: &[],
        outputs: &[],
        leaves: (0, nl),
        partials: Some((pv.as_mut_ptr() as *mut u8, None)),
    };
    // SAFETY: the input covers the domain; nl partials.
    unsafe { crate::run(&k, &call) };
    let mut level = pv;
    while level.len() > 1 {
        level = level.chunks(2).map(|p| if p.len() == 2 { p[0] + p[1] } else { p[0] }).collect();
    }
    let rel = (level[0] - 1e5).abs() / 1e5;
    assert!(rel < 1e-14, "sum {} relative error {rel:e}", level[0]);
}

/// `op(x)`: one 1-d input of dtype `d`, the result of dtype `od`.
fn unary_kernel(op: UnaryOp, d: DType, od: DType) -> Kernel {
    let body = vec![Instr { op: InstrOp::Load(0), dtype: d }, Instr { op: InstrOp::Unary(op, 0), dtype: od }];
    Kernel { ndim: 1, inputs: vec![d], params: vec![], body, outputs: vec![1], reduction: None }
}

/// `op(x, y)`: two 1-d inputs and the result, all of dtype `d`.
fn binary_kernel(op: BinaryOp, d: DType) -> Kernel {
    let body = vec![
        Instr { op: InstrOp::Load(0), dtype: d },
        Instr { op: InstrOp::Load(1), dtype: d },
        Instr { op: InstrOp::Binary(op, 0, 1), dtype: d },
    ];
    Kernel { ndim: 1, inputs: vec![d, d], params: vec![], body, outputs: vec![2], reduction: None }
}

fn simple_kernel(d: DType) -> Kernel {
    // out = a * p + b
    Kernel {
        ndim: 1,
        inputs: vec![d, d],
        params: vec![d],
        body: vec![
            Instr { op: InstrOp::Load(0), dtype: d },
            Instr { op: InstrOp::Param(0), dtype: d },
            Instr { op: InstrOp::Binary(BinaryOp::Mul, 0, 1), dtype: d },
            Instr { op: InstrOp::Load(1), dtype: d },
            Instr { op: InstrOp::Binary(BinaryOp::Add, 2, 3), dtype: d },
        ],
        outputs: vec![4],
        reduction: None,
    }
}

/// Runs `k` over n contiguous elements (inputs `ins`, one output) through a given cache.
fn run_with_state(st: &mut State, k: &Kernel, ins: &[&[f64]], params: &[Scalar], out: &mut [f64]) {
    let n = out.len();
    let ops: Vec<Operand> = ins.iter().map(|v| Operand { ptr: v.as_ptr() as *mut u8, offset: 0, strides: vec![1] }).collect();
    let outs = [Operand { ptr: out.as_mut_ptr() as *mut u8, offset: 0, strides: vec![1] }];
    let call = Call { domain: &[n], lo: vec![0], hi: vec![n], inputs: &ops, params, outputs: &outs, leaves: (0, 0), partials: None };
    let c = st.get(k).expect("supported");
    // SAFETY: every operand is n contiguous f64.
    assert!(unsafe { drive::run(c.f, k, &c.plan, &call) });
}

#[test]
fn same_structure_with_other_params_hits_the_cache() {
    let mut st = State::new(MAX_CACHED).unwrap();
    let k = simple_kernel(F64);
    let (a, b) = ([0.0, 1.0, 2.0, 3.0, 4.0], [0.5; 5]);
    let mut out = [0f64; 5];
    for p in 0..20 {
        run_with_state(&mut st, &k, &[&a, &b], &[Scalar::Float(p as f64)], &mut out);
        assert_eq!(out[3], 3.0 * p as f64 + 0.5);
    }
    assert_eq!((st.stats.compiles, st.stats.cache_hits), (1, 19));
    // A different structure compiles once more.
    let mut k2 = k.clone();
    k2.body[4].op = InstrOp::Binary(BinaryOp::Sub, 2, 3);
    run_with_state(&mut st, &k2, &[&a, &b], &[Scalar::Float(2.0)], &mut out);
    assert_eq!(out, [-0.5, 1.5, 3.5, 5.5, 7.5]);
    assert_eq!(st.stats.compiles, 2);
    assert!(st.stats.compile_ns > 0);
}

#[test]
fn global_cache_serves_repeated_calls() {
    let mut k = simple_kernel(F64);
    k.body.push(Instr { op: InstrOp::Unary(UnaryOp::Neg, 4), dtype: F64 });
    k.outputs = vec![5];
    let (a, b) = ([1.0, 2.0, 3.0], [10.0, 20.0, 30.0]);
    let hits = jit_stats().cache_hits;
    for p in 0..10 {
        let mut out = [0f64; 3];
        let ins: Vec<Operand> = [&a, &b].iter().map(|v| Operand { ptr: v.as_ptr() as *mut u8, offset: 0, strides: vec![1] }).collect();
        let outs = [Operand { ptr: out.as_mut_ptr() as *mut u8, offset: 0, strides: vec![1] }];
        let params = [Scalar::Float(p as f64)];
        let call = Call { domain: &[3], lo: vec![0], hi: vec![3], inputs: &ins, params: &params, outputs: &outs, leaves: (0, 0), partials: None };
        // SAFETY: 3 contiguous f64 each.
        unsafe { crate::run(&k, &call) };
        assert_eq!(out, [-(p as f64 + 10.0), -(2.0 * p as f64 + 20.0), -(3.0 * p as f64 + 30.0)]);
    }
    assert!(jit_stats().cache_hits >= hits + 9);
    let ir = jit_ir(&k).expect("compiled");
    assert!(ir.contains("fmul") && ir.contains("fneg"), "{ir}");
}

/// A cache of 8 kernels per generation: compiling 40 distinct kernels retires 4 generations
/// while functions of older ones are still held and called.
#[test]
fn generations_roll_over_without_freeing_live_code() {
    let mut st = State::new(8).unwrap();
    let (a, b) = ([1.0, 2.0], [3.0, 4.0]);
    let mut held = Vec::new();
    for q in 0..40 {
        let mut k = simple_kernel(F64);
        for _ in 0..q % 5 {
            k.body.push(Instr { op: InstrOp::Unary(UnaryOp::Neg, (k.body.len() - 1) as u32), dtype: F64 });
        }
        k.body.push(Instr { op: InstrOp::Param(0), dtype: I64 });
        k.body.push(Instr { op: InstrOp::Cast((k.body.len() - 1) as u32), dtype: F64 });
        let sign = if (q % 5) % 2 == 0 { 1.0 } else { -1.0 };
        // Distinct structures: the param's dtype differs by q.
        k.body.last_mut().unwrap().dtype = F64;
        k.params = vec![F64; 1 + q / 5];
        let last = (k.body.len() - 3) as u32;
        k.outputs = vec![last];
        held.push((st.get(&k).unwrap(), k, sign));
        for (c, k, sign) in &held {
            let mut out = [0f64; 2];
            let ins: Vec<Operand> = [&a, &b].iter().map(|v| Operand { ptr: v.as_ptr() as *mut u8, offset: 0, strides: vec![1] }).collect();
            let outs = [Operand { ptr: out.as_mut_ptr() as *mut u8, offset: 0, strides: vec![1] }];
            let params = vec![Scalar::Float(2.0); k.params.len()];
            let call = Call { domain: &[2], lo: vec![0], hi: vec![2], inputs: &ins, params: &params, outputs: &outs, leaves: (0, 0), partials: None };
            // SAFETY: 2 contiguous f64 each.
            assert!(unsafe { drive::run(c.f, k, &c.plan, &call) });
            assert_eq!(out, [sign * 5.0, sign * 8.0]);
        }
    }
    assert_eq!(st.stats.compiles, 40);
    assert!(st.cache.len() <= 8);
}

/// Several threads run the same and different kernels at once through the global cache.
#[test]
fn concurrent_calls_agree_with_the_interpreter() {
    let threads: Vec<_> = (0..4u64)
        .map(|t| {
            std::thread::spawn(move || {
                let mut rng = Rng(1000 + t % 2);
                let ops = all_ops();
                for _ in 0..150 {
                    let ndim = rng.below(3);
                    let k = gen_kernel(&mut rng, ndim, &ops, 4, None);
                    let dom = gen_domain(&mut rng, ndim, false);
                    let mut case = Case::new(&mut rng, k, dom, false);
                    assert!(check_equal(&mut case, (0, 0)));
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
}

/// Every op of issue 6 on every dtype it has a loop for (as a unary op of a load, or a binary op
/// of two loads, in contiguous and strided layouts): the JIT accepts it and matches the
/// interpreter bit for bit on the special values (0, -0.0, -1, INT_MIN, NaN, ±inf, shifts by
/// more than the width, out-of-domain arguments).
#[test]
fn issue6_ops_run_in_the_jit_on_every_dtype() {
    use BinaryOp::*;
    use UnaryOp::*;
    let mut rng = Rng(0x1550_E6);
    let unary = [
        Expm1, Log1p, Log2, Log10, Exp2, Cbrt, Tan, Arcsin, Arccos, Arctan, Sinh, Cosh, Arcsinh, Arccosh, Arctanh, Floor, Ceil,
        Trunc, Rint, Sign, Conj, Imag,
    ];
    let binary = [Fmod, Arctan2, Hypot, Copysign, Logaddexp, Logaddexp2, Shl, Shr];
    let mut ran = 0;
    for d in ALL_DTYPES {
        for op in unary {
            let Ok(od) = op.result_dtype(d) else { continue };
            let k = unary_kernel(op, d, od);
            for contiguous in [true, false] {
                let mut case = Case::new(&mut rng, k.clone(), vec![300], contiguous);
                assert!(check_equal(&mut case, (0, 0)), "the JIT declines {op:?} of {d}");
                ran += 1;
            }
        }
        for op in binary {
            if !plan::arith_supported(op, d.kind()) {
                continue;
            }
            let k = binary_kernel(op, d);
            for contiguous in [true, false] {
                let mut case = Case::new(&mut rng, k.clone(), vec![300], contiguous);
                assert!(check_equal(&mut case, (0, 0)), "the JIT declines {op:?} of {d}");
                ran += 1;
            }
        }
    }
    assert!(ran > 300, "{ran} kernels");
}

/// Kernels heavy in float transcendentals, which the JIT runs by strips (`strips`): chains of
/// them (several phases), values of every kind kept across phases, long inner loops (several
/// chunks and a partial one), reductions in both orientations.
#[test]
fn strip_schedules_match_the_interpreter() {
    use BinaryOp::*;
    use UnaryOp::*;
    let mut rng = Rng(0x5EED_0F57_1195);
    let (mut phased, mut multi) = (0, 0);
    for it in 0..500 {
        let d = rng.pick(&[F64, F32, F64, F32, I32, C128, C64]);
        let ops = Ops {
            unary: if it % 2 == 0 {
                vec![Exp, Log, Sin, Cos, Tanh, Exp, Sin, Tanh, Neg, Abs, Sqrt]
            } else {
                vec![Expm1, Log1p, Log2, Tan, Arcsin, Arccosh, Arctanh, Cbrt, Sinh, Floor, Rint, Sign, Sqrt]
            },
            binary: vec![Add, Sub, Mul, Div, Max, Lt, Pow, Arctan2, Hypot, Logaddexp, Fmod],
            random: it % 5 == 0,
            dtypes: vec![d, F64, F32, Bool, I64],
        };
        let ndim = 1 + rng.below(2);
        let ni = 2 + rng.below(12);
        let reduce = if it % 3 == 0 { Some(rng.pick(&[ReduceOp::Sum, ReduceOp::Max, ReduceOp::ArgMin, ReduceOp::Prod])) } else { None };
        let k = gen_kernel(&mut rng, ndim, &ops, ni, reduce);
        let p = plan::plan(&k).expect("well formed");
        if let Some(s) = &p.strips {
            phased += 1;
            multi += (s.nphases > 2) as usize;
        }
        let dom: Vec<usize> = (0..ndim).map(|a| if a == ndim - 1 { 1 + rng.below(700) } else { 1 + rng.below(4) }).collect();
        let mut case = Case::new(&mut rng, k, dom, it % 2 == 0);
        let leaves = match &case.k.reduction {
            Some(_) => (0, case.k.reduction_extent(&case.dom).1),
            None => (0, 0),
        };
        assert!(check_equal(&mut case, leaves), "JIT declined\n{}", case.k.dump());
    }
    assert!(phased > 150 && multi > 25, "{phased} kernels ran by strips, {multi} in more than two phases");
}

/// A kernel keeping more values across a transcendental than the strip buffers may hold calls
/// the strip functions one element at a time instead, with the same results.
#[test]
fn too_many_kept_values_fall_back_to_one_element_calls() {
    let n_keep = 700;
    // v1 = x * x, v2 = x * v1, ...; exp(v_last) + v1 + v2 + ...: every v is computed before the
    // exp and kept for after it.
    let mut body = vec![Instr { op: InstrOp::Load(0), dtype: F64 }];
    for q in 0..n_keep {
        let prev = if q == 0 { 0 } else { body.len() as u32 - 1 };
        body.push(Instr { op: InstrOp::Binary(BinaryOp::Mul, 0, prev), dtype: F64 });
    }
    body.push(Instr { op: InstrOp::Unary(UnaryOp::Exp, n_keep as u32), dtype: F64 });
    let mut acc = body.len() as u32 - 1;
    for q in 0..n_keep {
        body.push(Instr { op: InstrOp::Binary(BinaryOp::Add, acc, 1 + q as u32), dtype: F64 });
        acc = body.len() as u32 - 1;
    }
    let k = Kernel { ndim: 1, inputs: vec![F64], params: vec![], body, outputs: vec![acc], reduction: None };
    let p = plan::plan(&k).expect("well formed");
    assert!(p.strips.is_none(), "a strip schedule within the stack budget");
    // Two values kept: a schedule.
    let mut k2 = k.clone();
    k2.body.truncate(3);
    k2.body.push(Instr { op: InstrOp::Unary(UnaryOp::Sin, 2), dtype: F64 });
    k2.body.push(Instr { op: InstrOp::Binary(BinaryOp::Add, 3, 1), dtype: F64 });
    k2.outputs = vec![4];
    assert!(plan::plan(&k2).unwrap().strips.is_some());
    let mut rng = Rng(3);
    for k in [k, k2] {
        let mut case = Case::new(&mut rng, k, vec![300], true);
        assert!(check_equal(&mut case, (0, 0)));
    }
}

/// One-function kernels, which call the strip functions on the arrays themselves when they are
/// contiguous and aligned: separate, in place (output = input), strided and unaligned, against
/// the interpreter.
#[test]
fn one_function_kernels_in_place_and_strided() {
    let mut rng = Rng(99);
    use UnaryOp::*;
    let ops = [
        Exp, Log, Sin, Cos, Tanh, Expm1, Log1p, Log2, Log10, Exp2, Cbrt, Tan, Arcsin, Arccos, Arctan, Sinh, Cosh, Arcsinh,
        Arccosh, Arctanh,
    ];
    for op in ops {
        for d in [F64, F32] {
            let k = Kernel {
                ndim: 1,
                inputs: vec![d],
                params: vec![],
                body: vec![Instr { op: InstrOp::Load(0), dtype: d }, Instr { op: InstrOp::Unary(op, 0), dtype: d }],
                outputs: vec![1],
                reduction: None,
            };
            let s = plan::plan(&k).unwrap().strips.expect("a strip schedule");
            assert!(s.direct_args[0].is_some() && s.direct_outs.is_some());
            for n in [1usize, 255, 256, 257, 1000] {
                let x: Vec<Scalar> = (0..2 * n).map(|_| value(&mut rng, d)).collect();
                let bytes: Vec<u8> = x.iter().flat_map(|&v| encode(d, v)).collect();
                for (stride, in_place, shift) in [(1isize, false, 0), (1, true, 0), (2, false, 0), (-1, false, 0), (1, false, 1)] {
                    let run = |jit: bool| -> Vec<u8> {
                        // `shift` misaligns both arrays.
                        let mut src = vec![0u8; shift];
                        src.extend(&bytes);
                        let mut dst = vec![0u8; bytes.len() + shift];
                        let off = if stride < 0 { n as isize - 1 } else { 0 };
                        // SAFETY: shift < the buffers' lengths.
                        let (sp, dp) = unsafe { (src.as_mut_ptr().add(shift), dst.as_mut_ptr().add(shift)) };
                        let inp = [Operand { ptr: sp, offset: off, strides: vec![stride] }];
                        let optr = if in_place { sp } else { dp };
                        let outs = [Operand { ptr: optr, offset: off, strides: vec![stride] }];
                        let call = Call { domain: &[n], lo: vec![0], hi: vec![n], inputs: &inp, params: &[], outputs: &outs, leaves: (0, 0), partials: None };
                        // SAFETY: 2n elements cover every view.
                        unsafe {
                            if jit {
                                assert!(run_jit_only(&k, &call));
                            } else {
                                interp::run(&k, &call);
                            }
                        }
                        if in_place {
                            src[shift..].to_vec()
                        } else {
                            dst[shift..].to_vec()
                        }
                    };
                    let (j, i) = (run(true), run(false));
                    let (jv, iv): (Vec<Scalar>, Vec<Scalar>) = (
                        j.chunks(d.itemsize()).map(|c| decode(d, c)).collect(),
                        i.chunks(d.itemsize()).map(|c| decode(d, c)).collect(),
                    );
                    for (e, (&a, &b)) in jv.iter().zip(&iv).enumerate() {
                        assert!(same(a, b), "{op:?} {d} n={n} stride={stride} in_place={in_place} element {e}: jit {a:?}, interpreter {b:?}");
                    }
                }
            }
        }
    }
}

/// exp and sin over 1e6 float64 through `run` (one-instruction kernels), JIT and interpreter,
/// ns per element. NumPy 2.4.6 on the same machine, for comparison (measured separately with
/// `python3 -c "import numpy as np, timeit; x=np.random.rand(10**6); print(timeit.timeit(lambda:
/// np.exp(x), number=50)/50/1e6*1e9)"`): exp 0.59, sin 7.7 ns per element (AVX-512 machine).
#[test]
#[ignore]
fn bench_transcendentals_1e6() {
    let n = 1_000_000usize;
    let mut rng = Rng(11);
    let x: Vec<f64> = (0..n).map(|_| (rng.next() >> 11) as f64 / (1u64 << 53) as f64).collect();
    let mut out = vec![0f64; n];
    for op in [UnaryOp::Exp, UnaryOp::Sin, UnaryOp::Log, UnaryOp::Cos, UnaryOp::Tanh] {
        let k = Kernel {
            ndim: 1,
            inputs: vec![F64],
            params: vec![],
            body: vec![Instr { op: InstrOp::Load(0), dtype: F64 }, Instr { op: InstrOp::Unary(op, 0), dtype: F64 }],
            outputs: vec![1],
            reduction: None,
        };
        let ins = [Operand { ptr: x.as_ptr() as *mut u8, offset: 0, strides: vec![1] }];
        let outs = [Operand { ptr: out.as_mut_ptr() as *mut u8, offset: 0, strides: vec![1] }];
        let call = Call { domain: &[n], lo: vec![0], hi: vec![n], inputs: &ins, params: &[], outputs: &outs, leaves: (0, 0), partials: None };
        let time = |f: &dyn Fn()| {
            f();
            let mut best = f64::MAX;
            for _ in 0..7 {
                let t = Instant::now();
                f();
                best = best.min(t.elapsed().as_secs_f64());
            }
            best * 1e9 / n as f64
        };
        // SAFETY: n contiguous f64 each.
        let jit = time(&|| unsafe { crate::run(&k, &call) });
        // SAFETY: as above.
        let interp = time(&|| unsafe { interp::run(&k, &call) });
        println!("{op:?}, 1e6 f64 through run: jit {jit:.3} ns/elem, interpreter {interp:.3} ns/elem");
    }
    println!("NumPy 2.4.6 (measured separately on the dev machine): exp 0.59, sin 7.7, log 0.55, cos 7.3, tanh 0.77 ns/elem");
}

/// `a * b + c` over contiguous float64, JIT against the interpreter, ns per element: 1e7
/// elements (memory bound) and 4096 elements repeated (cache resident); then the average
/// compile time of generated kernels.
#[test]
#[ignore]
fn bench_fma_1e7() {
    let k = Kernel {
        ndim: 1,
        inputs: vec![F64, F64, F64],
        params: vec![],
        body: vec![
            Instr { op: InstrOp::Load(0), dtype: F64 },
            Instr { op: InstrOp::Load(1), dtype: F64 },
            Instr { op: InstrOp::Binary(BinaryOp::Mul, 0, 1), dtype: F64 },
            Instr { op: InstrOp::Load(2), dtype: F64 },
            Instr { op: InstrOp::Binary(BinaryOp::Add, 2, 3), dtype: F64 },
        ],
        outputs: vec![4],
        reduction: None,
    };
    for (n, reps) in [(10_000_000usize, 1usize), (4096, 2500)] {
        let a: Vec<f64> = (0..n).map(|i| i as f64 * 0.5).collect();
        let b: Vec<f64> = (0..n).map(|i| 1.0 / (i + 1) as f64).collect();
        let c: Vec<f64> = vec![1.0; n];
        let mut out = vec![0f64; n];
        let ins: Vec<Operand> =
            [&a, &b, &c].iter().map(|v| Operand { ptr: v.as_ptr() as *mut u8, offset: 0, strides: vec![1] }).collect();
        let outs = [Operand { ptr: out.as_mut_ptr() as *mut u8, offset: 0, strides: vec![1] }];
        let call =
            Call { domain: &[n], lo: vec![0], hi: vec![n], inputs: &ins, params: &[], outputs: &outs, leaves: (0, 0), partials: None };
        let time = |f: &dyn Fn()| {
            f();
            let mut best = f64::MAX;
            for _ in 0..5 {
                let t = Instant::now();
                for _ in 0..reps {
                    f();
                }
                best = best.min(t.elapsed().as_secs_f64());
            }
            best * 1e9 / (n * reps) as f64
        };
        // SAFETY: n contiguous f64 each.
        let jit = time(&|| unsafe { assert!(run_jit_only(&k, &call)) });
        let want: Vec<f64> = (0..n).map(|i| a[i] * b[i] + c[i]).collect();
        assert_eq!(out, want);
        // SAFETY: as above.
        let interp = time(&|| unsafe { interp::run(&k, &call) });
        // A plain Rust loop as the reference.
        let o2 = vec![0f64; n];
        let native = time(&|| {
            let o = o2.as_ptr() as *mut f64;
            for i in 0..n {
                // SAFETY: i < n.
                unsafe { *o.add(i) = a[i] * b[i] + c[i] };
            }
        });
        println!(
            "a*b+c, {n} f64 x {reps}: jit {jit:.3} ns/elem, interpreter {interp:.3} ns/elem ({:.1}x), rust loop {native:.3} ns/elem",
            interp / jit
        );
    }
    // A transcendental: exp over 4096 float64, cache resident.
    let n = 4096;
    let reps = 500;
    let mut k = simple_kernel(F64);
    k.body.truncate(1);
    k.body.push(Instr { op: InstrOp::Unary(UnaryOp::Exp, 0), dtype: F64 });
    k.inputs.truncate(1);
    k.params.clear();
    k.outputs = vec![1];
    let a: Vec<f64> = (0..n).map(|i| (i as f64) * 1e-3 - 2.0).collect();
    let mut out = vec![0f64; n];
    let ins = [Operand { ptr: a.as_ptr() as *mut u8, offset: 0, strides: vec![1] }];
    let outs = [Operand { ptr: out.as_mut_ptr() as *mut u8, offset: 0, strides: vec![1] }];
    let call = Call { domain: &[n], lo: vec![0], hi: vec![n], inputs: &ins, params: &[], outputs: &outs, leaves: (0, 0), partials: None };
    let time = |f: &dyn Fn()| {
        f();
        let t = Instant::now();
        for _ in 0..reps {
            f();
        }
        t.elapsed().as_secs_f64() * 1e9 / (n * reps) as f64
    };
    // SAFETY: n contiguous f64 each.
    let jit = time(&|| unsafe { assert!(run_jit_only(&k, &call)) });
    // SAFETY: as above.
    let interp = time(&|| unsafe { interp::run(&k, &call) });
    println!("exp, {n} f64 x {reps}: jit {jit:.3} ns/elem, interpreter {interp:.3} ns/elem ({:.1}x)", interp / jit);

    // Compile time of generated kernels (distinct structures), measured around the compile.
    let mut rng = Rng(4242);
    let ops = all_ops();
    let before = jit_stats();
    let mut n = 0;
    for _ in 0..300 {
        let k = gen_kernel(&mut rng, 2, &ops, 8, None);
        n += lookup(&k).is_some() as u64;
    }
    let after = jit_stats();
    let compiles = after.compiles - before.compiles;
    println!(
        "compile: {:.3} ms per kernel over {compiles} generated kernels of ~10 instructions ({n} compiled or cached)",
        (after.compile_ns - before.compile_ns) as f64 / 1e6 / compiles.max(1) as f64
    );
    let mut k = simple_kernel(F64);
    let mut v = 4u32;
    while k.body.len() < 10_000 {
        k.body.push(Instr { op: InstrOp::Binary(BinaryOp::Add, v, 1), dtype: F64 });
        v = (k.body.len() - 1) as u32;
    }
    k.outputs = vec![v];
    let t = Instant::now();
    assert!(lookup(&k).is_some());
    println!("compile: 10k-instruction chain in {:.1} ms", t.elapsed().as_secs_f64() * 1e3);
}

/// Reductions: full sum of contiguous float64 and a column sum (axis 0 of a row-major matrix),
/// JIT against the interpreter, ns per element.
#[test]
#[ignore]
fn bench_sum() {
    let n = 1 << 20;
    let a: Vec<f64> = (0..n).map(|i| (i % 1000) as f64 * 0.001).collect();
    for (name, dom, reduced) in [
        ("sum all", vec![n], vec![true]),
        ("sum axis 1 of (1024, 1024)", vec![1024, 1024], vec![false, true]),
        ("sum axis 0 of (1024, 1024)", vec![1024, 1024], vec![true, false]),
    ] {
        for op in [ReduceOp::Sum, ReduceOp::Max] {
            let k = Kernel {
                ndim: dom.len(),
                inputs: vec![F64],
                params: vec![],
                body: vec![Instr { op: InstrOp::Load(0), dtype: F64 }],
                outputs: vec![],
                reduction: Some(KernelReduction { op, value: 0, reduced: reduced.clone() }),
            };
            let (_, nl) = k.reduction_extent(&dom);
            let kept: usize = dom.iter().zip(&reduced).filter(|(_, &r)| !r).map(|(&d, _)| d).product();
            let mut pv = vec![0f64; nl * kept];
            let strides: Vec<isize> = if dom.len() == 1 { vec![1] } else { vec![1024, 1] };
            let ins = [Operand { ptr: a.as_ptr() as *mut u8, offset: 0, strides }];
            let call = Call {
                domain: &dom,
                lo: vec![0; dom.len()],
                hi: dom.clone(),
                inputs: &ins,
                params: &[],
                outputs: &[],
                leaves: (0, nl),
                partials: Some((pv.as_mut_ptr() as *mut u8, None)),
            };
            let time = |f: &dyn Fn()| {
                f();
                let mut best = f64::MAX;
                for _ in 0..5 {
                    let t = Instant::now();
                    for _ in 0..10 {
                        f();
                    }
                    best = best.min(t.elapsed().as_secs_f64());
                }
                best * 1e9 / (n * 10) as f64
            };
            // SAFETY: the input covers the domain; partials hold nl * kept values.
            let jit = time(&|| unsafe { assert!(run_jit_only(&k, &call)) });
            // SAFETY: as above.
            let interp = time(&|| unsafe { interp::run(&k, &call) });
            println!("{name} {op:?}: jit {jit:.3} ns/elem, interpreter {interp:.3} ns/elem ({:.1}x)", interp / jit);
        }
    }
}

/// The row-wise float64 sum of a contiguous (790, 12648) array through `crate::run`: one call
/// (one thread), and the leaves split over two threads as the runtime does; best of 10, in ms.
/// On the 2-core dev machine: 13.4 ms (1 thread) and 6.7 ms (2 threads) with the in-order fold
/// within leaves, 2.7 ms and 2.35 ms with runs folded by lanes (a plain Rust loop with 8
/// accumulators: 2.1 ms on one thread; the data is 80 MB, so this is about memory bound).
#[test]
#[ignore]
fn bench_row_sum_790x12648() {
    let dom = vec![790usize, 12648];
    let n = dom[0] * dom[1];
    let mut rng = Rng(5);
    let a: Vec<f64> = (0..n).map(|_| (rng.next() >> 11) as f64 / (1u64 << 53) as f64).collect();
    let k = Kernel {
        ndim: 2,
        inputs: vec![F64],
        params: vec![],
        body: vec![Instr { op: InstrOp::Load(0), dtype: F64 }],
        outputs: vec![],
        reduction: Some(KernelReduction { op: ReduceOp::Sum, value: 0, reduced: vec![false, true] }),
    };
    let (_, nl) = k.reduction_extent(&dom);
    let kept = dom[0];
    let mut pv = vec![0f64; nl * kept];
    let (ap, pvp) = (a.as_ptr() as usize, pv.as_mut_ptr() as usize);
    // Runs leaves l0..l1 (addresses as integers, so threads can share them).
    let run_leaves = |l0: usize, l1: usize, jit: bool| {
        let ins = [Operand { ptr: ap as *mut u8, offset: 0, strides: vec![dom[1] as isize, 1] }];
        let call = Call {
            domain: &dom,
            lo: vec![0; 2],
            hi: dom.clone(),
            inputs: &ins,
            params: &[],
            outputs: &[],
            leaves: (l0, l1),
            partials: Some(((pvp + l0 * kept * 8) as *mut u8, None)),
        };
        // SAFETY: the input covers the domain; leaves l0..l1 have their rows of the partials.
        unsafe {
            if jit {
                crate::run(&k, &call)
            } else {
                interp::run(&k, &call)
            }
        }
    };
    let time = |f: &dyn Fn()| {
        f();
        let mut best = f64::MAX;
        for _ in 0..10 {
            let t = Instant::now();
            f();
            best = best.min(t.elapsed().as_secs_f64());
        }
        best * 1e3
    };
    let one = time(&|| run_leaves(0, nl, true));
    let two = time(&|| {
        std::thread::scope(|s| {
            let h = s.spawn(|| run_leaves(0, nl / 2, true));
            run_leaves(nl / 2, nl, true);
            h.join().unwrap();
        })
    });
    let interp = time(&|| run_leaves(0, nl, false));
    let total: f64 = pv.iter().sum();
    // A plain Rust loop with 8 accumulators per row, one thread: the memory-bound floor.
    let native = time(&|| {
        let mut s = 0.0;
        for row in a.chunks(dom[1]) {
            let mut l = [0f64; 8];
            for c in row.chunks_exact(8) {
                for q in 0..8 {
                    l[q] += c[q];
                }
            }
            s += l.iter().sum::<f64>();
        }
        std::hint::black_box(s);
    });
    println!(
        "row sum (790, 12648) f64: jit {one:.2} ms (1 thread), {two:.2} ms (2 threads); interpreter {interp:.2} ms; \
         rust loop {native:.2} ms (1 thread); checksum {total}"
    );
}

/// Reductions of a few shapes through `crate::run` (one thread, no leaf split), best of 5, ms.
#[test]
#[ignore]
fn bench_reduction_shapes() {
    type Shape = (&'static str, Vec<usize>, Vec<bool>, ReduceOp, DType);
    let cases: Vec<Shape> = vec![
        ("row sum (790, 12648) f64", vec![790, 12648], vec![false, true], ReduceOp::Sum, F64),
        ("row sum (790, 12648) f32", vec![790, 12648], vec![false, true], ReduceOp::Sum, F32),
        ("row max (790, 12648) f64", vec![790, 12648], vec![false, true], ReduceOp::Max, F64),
        ("row sum (790, 6324) c128", vec![790, 6324], vec![false, true], ReduceOp::Sum, C128),
        ("sum all (10_000_000) f64", vec![10_000_000], vec![true], ReduceOp::Sum, F64),
        ("sum all (1_000_000, 10) f64", vec![1_000_000, 10], vec![true, true], ReduceOp::Sum, F64),
        ("sum all (1_000_000, 3) f64", vec![1_000_000, 3], vec![true, true], ReduceOp::Sum, F64),
        ("sum axis 1 (4000, 1024) f64", vec![4000, 1024], vec![false, true], ReduceOp::Sum, F64),
        ("sum axis 1 (100_000, 100) f64", vec![100_000, 100], vec![false, true], ReduceOp::Sum, F64),
        ("sum axis 1 (1_000_000, 10) f64", vec![1_000_000, 10], vec![false, true], ReduceOp::Sum, F64),
        ("sum axis 1 (1_000_000, 3) f64", vec![1_000_000, 3], vec![false, true], ReduceOp::Sum, F64),
        ("sum axis 0 (12648, 790) f64", vec![12648, 790], vec![true, false], ReduceOp::Sum, F64),
        ("sum axes 0,2 (100, 1000, 100) f64", vec![100, 1000, 100], vec![true, false, true], ReduceOp::Sum, F64),
        ("sum axis 1 (2000, 5000) i64", vec![2000, 5000], vec![false, true], ReduceOp::Sum, I64),
    ];
    for (name, dom, reduced, op, d) in cases {
        let n: usize = dom.iter().product();
        let bytes = vec![0u8; n * d.itemsize()];
        let mut rng = Rng(3);
        let mut bytes = bytes;
        for c in bytes.chunks_mut(d.itemsize()) {
            c.copy_from_slice(&encode(d, Scalar::Float((rng.next() >> 11) as f64 / (1u64 << 53) as f64).cast(d)));
        }
        let k = Kernel {
            ndim: dom.len(),
            inputs: vec![d],
            params: vec![],
            body: vec![Instr { op: InstrOp::Load(0), dtype: d }],
            outputs: vec![],
            reduction: Some(KernelReduction { op, value: 0, reduced: reduced.clone() }),
        };
        let (_, nl) = k.reduction_extent(&dom);
        let kept: usize = dom.iter().zip(&reduced).filter(|(_, &r)| !r).map(|(&e, _)| e).product();
        let mut pv = vec![0u8; nl * kept * d.itemsize()];
        let mut strides = vec![0isize; dom.len()];
        let mut s = 1isize;
        for a in (0..dom.len()).rev() {
            strides[a] = s;
            s *= dom[a] as isize;
        }
        let ins = [Operand { ptr: bytes.as_ptr() as *mut u8, offset: 0, strides }];
        let call = Call {
            domain: &dom,
            lo: vec![0; dom.len()],
            hi: dom.clone(),
            inputs: &ins,
            params: &[],
            outputs: &[],
            leaves: (0, nl),
            partials: Some((pv.as_mut_ptr(), None)),
        };
        let time = |f: &dyn Fn()| {
            f();
            let mut best = f64::MAX;
            for _ in 0..5 {
                let t = Instant::now();
                f();
                best = best.min(t.elapsed().as_secs_f64());
            }
            best * 1e3
        };
        // SAFETY: the input covers the domain; partials hold nl * kept values.
        let jit = time(&|| unsafe { crate::run(&k, &call) });
        println!("{name}: jit {jit:.2} ms");
    }
}

/// The complex functions (`complex_math`), which the JIT calls out for: every one of them, in
/// both precisions, alone, in a fused chain and under a reduction, gives the interpreter's bits
/// on the special-value grid of C99 Annex G (every pair of 0, -0, the smallest subnormal, ±0.5,
/// ±1, ±2, ±huge, ±inf, NaN) and on random values over many magnitudes.
#[test]
fn complex_functions_match_the_interpreter_bit_for_bit() {
    let mut rng = Rng(0xC0_4F1E);
    let grid = |d: DType| -> Vec<f64> {
        let (tiny, big) = if d == C64 { (f32::from_bits(1) as f64, 1e38) } else { (f64::from_bits(1), 1e300) };
        vec![0.0, -0.0, tiny, 0.5, -0.5, 1.0, -1.0, 2.0, -2.0, big, -big, f64::INFINITY, f64::NEG_INFINITY, f64::NAN]
    };
    let mut ran = 0;
    for d in [C64, C128] {
        let g = grid(d);
        let n = g.len() * g.len();
        for &op in crate::complex_math::OPS {
            let od = op.result_dtype(d).expect("a complex loop");
            assert_eq!(od, d, "{op:?} of {d}");
            let kernels = [
                // f(z) alone.
                (vec![Instr { op: InstrOp::Load(0), dtype: d }, Instr { op: InstrOp::Unary(op, 0), dtype: d }], None),
                // f(z * z) * z: the call-out between inline complex arithmetic.
                (
                    vec![
                        Instr { op: InstrOp::Load(0), dtype: d },
                        Instr { op: InstrOp::Binary(BinaryOp::Mul, 0, 0), dtype: d },
                        Instr { op: InstrOp::Unary(op, 1), dtype: d },
                        Instr { op: InstrOp::Binary(BinaryOp::Mul, 2, 0), dtype: d },
                    ],
                    None,
                ),
                // sum(f(z)) along the axis.
                (
                    vec![Instr { op: InstrOp::Load(0), dtype: d }, Instr { op: InstrOp::Unary(op, 0), dtype: d }],
                    Some(KernelReduction { op: ReduceOp::Sum, value: 1, reduced: vec![true] }),
                ),
            ];
            for (body, reduction) in kernels {
                let out = body.len() as u32 - 1;
                let outputs = if reduction.is_some() { vec![] } else { vec![out] };
                let k = Kernel { ndim: 1, inputs: vec![d], params: vec![], body, outputs, reduction };
                for contiguous in [true, false] {
                    // The grid in order, then random values of every magnitude.
                    let mut at = 0;
                    let mut fill = |r: &mut Rng| {
                        let i = at;
                        at += 1;
                        let (re, im) = if i < n {
                            (g[i / g.len()], g[i % g.len()])
                        } else {
                            let part = |r: &mut Rng| {
                                let m = (r.below(1000) as f64 / 1000.0 - 0.5) * 40.0;
                                let s = if r.chance(0.5) { -1.0 } else { 1.0 };
                                s * 10f64.powf(m) * (1.0 + r.below(1000) as f64 / 1000.0)
                            };
                            (part(r), part(r))
                        };
                        Scalar::Complex(re, im).cast(d)
                    };
                    let dom = vec![n + 300];
                    let (il, ol) =
                        if contiguous { (Layout::Contiguous, Layout::Contiguous) } else { (Layout::Any, Layout::Injective) };
                    let inputs = vec![Buf::new(&mut rng, d, &dom, il, &mut fill)];
                    let outputs =
                        k.outputs.iter().map(|_| Buf::new(&mut rng, d, &dom, ol, &mut |_| Scalar::Int(-7))).collect();
                    let mut case =
                        Case { k: k.clone(), lo: vec![0], hi: dom.clone(), dom, params: vec![], inputs, outputs };
                    let leaves = if k.reduction.is_some() { (0, case.k.reduction_extent(&case.dom).1) } else { (0, 0) };
                    assert!(check_equal(&mut case, leaves), "the JIT declines {op:?} of {d}");
                    ran += 1;
                }
            }
        }
    }
    assert_eq!(ran, 2 * 20 * 3 * 2);
}

/// The ufuncs with IR ops of their own.
mod ufunc_ops;
