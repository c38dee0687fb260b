//! Kernel-level tests: hand-built kernels run on typed buffers against closed-form truths.

use super::*;
use ir::dtype::ALL_DTYPES;
use ir::kernel::{Instr, Operand};
use ir::op::{BinaryOp, ReduceOp, UnaryOp};
use ir::scalar::Scalar;
use std::time::Instant;

use DType::*;

/// A typed host buffer.
struct Buf {
    d: DType,
    bytes: Vec<u8>,
}

impl Buf {
    fn new(d: DType, vals: &[Scalar]) -> Buf {
        let mut bytes = Vec::with_capacity(vals.len() * d.itemsize());
        for &v in vals {
            bytes.extend(encode(d, v));
        }
        Buf { d, bytes }
    }

    fn filled(d: DType, n: usize, v: Scalar) -> Buf {
        Buf::new(d, &vec![v; n])
    }

    fn len(&self) -> usize {
        self.bytes.len() / self.d.itemsize()
    }

    fn get(&self, i: usize) -> Scalar {
        let s = self.d.itemsize();
        decode(self.d, &self.bytes[i * s..(i + 1) * s])
    }

    fn values(&self) -> Vec<Scalar> {
        (0..self.len()).map(|i| self.get(i)).collect()
    }

    fn operand(&mut self, offset: isize, strides: &[isize]) -> Operand {
        Operand { ptr: self.bytes.as_mut_ptr(), offset, strides: strides.to_vec() }
    }

    /// Row-major contiguous over `shape`.
    fn contiguous(&mut self, shape: &[usize]) -> Operand {
        let mut strides = vec![0isize; shape.len()];
        let mut s = 1isize;
        for d in (0..shape.len()).rev() {
            strides[d] = s;
            s *= shape[d] as isize;
        }
        self.operand(0, &strides)
    }
}

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

#[track_caller]
fn assert_same(got: &[Scalar], want: &[Scalar]) {
    assert_eq!(got.len(), want.len());
    for (i, (&g, &w)) in got.iter().zip(want).enumerate() {
        assert!(same(g, w), "element {i}: got {g:?}, want {w:?}\n got {got:?}\nwant {want:?}");
    }
}

fn ints(v: &[i64]) -> Vec<Scalar> {
    v.iter().map(|&x| Scalar::Int(x)).collect()
}

fn uints(v: &[u64]) -> Vec<Scalar> {
    v.iter().map(|&x| Scalar::UInt(x)).collect()
}

fn floats(v: &[f64]) -> Vec<Scalar> {
    v.iter().map(|&x| Scalar::Float(x)).collect()
}

fn kernel(ndim: usize, inputs: &[DType], params: &[DType]) -> Kernel {
    Kernel { ndim, inputs: inputs.to_vec(), params: params.to_vec(), body: vec![], outputs: vec![], reduction: None }
}

fn push(k: &mut Kernel, op: InstrOp, dtype: DType) -> u32 {
    k.body.push(Instr { op, dtype });
    (k.body.len() - 1) as u32
}

/// Runs a 1-d elementwise kernel over contiguous inputs of equal length; returns its outputs.
fn eval1(k: &Kernel, inputs: &mut [Buf], params: &[Scalar]) -> Vec<Vec<Scalar>> {
    let n = inputs.first().map_or(1, Buf::len);
    let ins: Vec<Operand> = inputs.iter_mut().map(|b| b.contiguous(&[n])).collect();
    let mut outs: Vec<Buf> =
        k.outputs.iter().map(|&o| Buf::filled(k.body[o as usize].dtype, n, Scalar::Int(0))).collect();
    let out_ops: Vec<Operand> = outs.iter_mut().map(|b| b.contiguous(&[n])).collect();
    let call = Call {
        domain: &[n],
        lo: vec![0],
        hi: vec![n],
        inputs: &ins,
        params,
        outputs: &out_ops,
        leaves: (0, 0),
        partials: None,
    };
    // SAFETY: every operand is a contiguous buffer of n elements of its dtype.
    unsafe { run(k, &call) };
    outs.iter().map(Buf::values).collect()
}

/// `a op b` elementwise at loop dtype `ld`.
fn bin(op: BinaryOp, ld: DType, a: &[Scalar], b: &[Scalar]) -> Vec<Scalar> {
    let od = op.loop_dtypes(ld).unwrap().1;
    let mut k = kernel(1, &[ld, ld], &[]);
    let x = push(&mut k, InstrOp::Load(0), ld);
    let y = push(&mut k, InstrOp::Load(1), ld);
    let z = push(&mut k, InstrOp::Binary(op, x, y), od);
    k.outputs.push(z);
    eval1(&k, &mut [Buf::new(ld, a), Buf::new(ld, b)], &[]).remove(0)
}

fn un(op: UnaryOp, d: DType, a: &[Scalar]) -> Vec<Scalar> {
    let od = op.result_dtype(d).unwrap();
    let mut k = kernel(1, &[d], &[]);
    let x = push(&mut k, InstrOp::Load(0), d);
    let z = push(&mut k, InstrOp::Unary(op, x), od);
    k.outputs.push(z);
    eval1(&k, &mut [Buf::new(d, a)], &[]).remove(0)
}

fn cast_vals(from: DType, to: DType, a: &[Scalar]) -> Vec<Scalar> {
    let mut k = kernel(1, &[from], &[]);
    let x = push(&mut k, InstrOp::Load(0), from);
    let z = push(&mut k, InstrOp::Cast(x), to);
    k.outputs.push(z);
    eval1(&k, &mut [Buf::new(from, a)], &[]).remove(0)
}

#[test]
fn integer_arithmetic_wraps() {
    assert_same(&bin(BinaryOp::Add, I8, &ints(&[127, -128, 100]), &ints(&[1, -1, 27])), &ints(&[-128, 127, 127]));
    assert_same(&bin(BinaryOp::Mul, I16, &ints(&[300]), &ints(&[300])), &ints(&[90000 - 65536]));
    assert_same(&bin(BinaryOp::Sub, U8, &uints(&[0, 200]), &uints(&[1, 100])), &uints(&[255, 100]));
    assert_same(&bin(BinaryOp::Add, U8, &uints(&[200]), &uints(&[100])), &uints(&[44]));
    assert_same(&bin(BinaryOp::Add, I64, &ints(&[i64::MAX]), &ints(&[1])), &ints(&[i64::MIN]));
    assert_same(&bin(BinaryOp::Pow, I8, &ints(&[2, 3, -2, 5]), &ints(&[7, 5, 3, 0])), &ints(&[-128, -13, -8, 1]));
    assert_same(&bin(BinaryOp::Pow, I32, &ints(&[2, 1, -1, 0]), &ints(&[-1, -7, -7, -1])), &ints(&[0, 1, -1, 0]));
    assert_same(&un(UnaryOp::Abs, I8, &ints(&[-128, -5])), &ints(&[-128, 5]));
    assert_same(&un(UnaryOp::Neg, U8, &uints(&[1, 0])), &uints(&[255, 0]));
    assert_same(&un(UnaryOp::Invert, U8, &uints(&[0, 5])), &uints(&[255, 250]));
    assert_same(&un(UnaryOp::Invert, I16, &ints(&[0, -1])), &ints(&[-1, 0]));
    assert_same(&bin(BinaryOp::BitXor, U16, &uints(&[0xff00]), &uints(&[0x0ff0])), &uints(&[0xf0f0]));
}

#[test]
fn integer_floor_div_and_mod_by_zero_and_min() {
    let a = ints(&[-7, 7, -7, 5, -128, -128, 0]);
    let b = ints(&[2, -2, -2, 0, -1, 0, 0]);
    assert_same(&bin(BinaryOp::FloorDiv, I8, &a, &b), &ints(&[-4, -4, 3, 0, -128, 0, 0]));
    assert_same(&bin(BinaryOp::Mod, I8, &a, &b), &ints(&[1, -1, -1, 0, 0, 0, 0]));
    assert_same(&bin(BinaryOp::FloorDiv, I64, &ints(&[i64::MIN]), &ints(&[-1])), &ints(&[i64::MIN]));
    assert_same(&bin(BinaryOp::Mod, I64, &ints(&[i64::MIN]), &ints(&[-1])), &ints(&[0]));
    assert_same(&bin(BinaryOp::FloorDiv, U16, &uints(&[7, 7]), &uints(&[0, 2])), &uints(&[0, 3]));
    assert_same(&bin(BinaryOp::Mod, U16, &uints(&[7, 7]), &uints(&[0, 2])), &uints(&[0, 1]));
}

#[test]
fn float_floor_divide_and_remainder_signs() {
    let nan = f64::NAN;
    let inf = f64::INFINITY;
    let a = floats(&[-7.0, 7.5, 1.0, -1.0, 0.0, -0.0, 0.0]);
    let b = floats(&[2.0, -2.0, 0.0, 0.0, 0.0, 1.0, -2.0]);
    for d in [F64, F32] {
        assert_same(&bin(BinaryOp::FloorDiv, d, &a, &b), &floats(&[-4.0, -4.0, inf, -inf, nan, -0.0, -0.0]));
        assert_same(&bin(BinaryOp::Mod, d, &a, &b), &floats(&[1.0, -0.5, nan, nan, nan, 0.0, -0.0]));
    }
}

#[test]
fn float_max_min_propagate_nan() {
    let nan = f64::NAN;
    let a = floats(&[nan, 1.0, 2.0, nan]);
    let b = floats(&[1.0, nan, 3.0, nan]);
    for d in [F64, F32] {
        assert_same(&bin(BinaryOp::Max, d, &a, &b), &floats(&[nan, nan, 3.0, nan]));
        assert_same(&bin(BinaryOp::Min, d, &a, &b), &floats(&[nan, nan, 2.0, nan]));
    }
    let c = |re, im| Scalar::Complex(re, im);
    assert_same(
        &bin(BinaryOp::Max, C128, &[c(1.0, 5.0), c(1.0, 5.0), c(1.0, 0.0)], &[c(2.0, 0.0), c(1.0, 6.0), c(nan, 0.0)]),
        &[c(2.0, 0.0), c(1.0, 6.0), c(nan, 0.0)],
    );
}

#[test]
fn float_arithmetic_rounds_per_dtype() {
    // 2^24 + 1 is not a float32.
    assert_same(&bin(BinaryOp::Add, F32, &floats(&[16777216.0]), &floats(&[1.0])), &floats(&[16777216.0]));
    assert_same(&bin(BinaryOp::Add, F64, &floats(&[16777216.0]), &floats(&[1.0])), &floats(&[16777217.0]));
    let third = (1.0f32 / 3.0) as f64;
    assert_same(&bin(BinaryOp::Div, F32, &floats(&[1.0]), &floats(&[3.0])), &floats(&[third]));
    let c = |re, im| Scalar::Complex(re, im);
    assert_same(&bin(BinaryOp::Div, C64, &[c(1.0, 0.0)], &[c(3.0, 0.0)]), &[c(third, 0.0)]);
    assert_same(&bin(BinaryOp::Mul, C128, &[c(1.0, 2.0)], &[c(3.0, 4.0)]), &[c(-5.0, 10.0)]);
    assert_same(&bin(BinaryOp::Pow, C128, &[c(1.0, 1.0)], &[c(2.0, 0.0)]), &[c(0.0, 2.0)]);
    assert_same(&un(UnaryOp::Abs, C128, &[c(3.0, 4.0)]), &floats(&[5.0]));
    assert_same(&un(UnaryOp::Abs, C64, &[c(1e30, 1e30)]), &floats(&[(1e30f32 as f64 * 2f64.sqrt()) as f32 as f64]));
    assert_same(&un(UnaryOp::Log, F64, &floats(&[-1.0, 0.0, 1.0])), &floats(&[f64::NAN, f64::NEG_INFINITY, 0.0]));
    assert_same(&un(UnaryOp::Sqrt, I16, &ints(&[4, -1])), &floats(&[2.0, f64::NAN]));
    let l = un(UnaryOp::Log, C128, &[c(0.0, 0.0), c(-1.0, 0.0)]);
    assert_same(&l, &[c(f64::NEG_INFINITY, 0.0), c(0.0, std::f64::consts::PI)]);
}

#[test]
fn comparisons_handle_nan_and_complex_order() {
    let nan = f64::NAN;
    let a = floats(&[nan, 1.0, 1.0, -0.0]);
    let b = floats(&[nan, nan, 2.0, 0.0]);
    let t = |v: &[bool]| v.iter().map(|&x| Scalar::Bool(x)).collect::<Vec<_>>();
    assert_same(&bin(BinaryOp::Eq, F64, &a, &b), &t(&[false, false, false, true]));
    assert_same(&bin(BinaryOp::Ne, F64, &a, &b), &t(&[true, true, true, false]));
    assert_same(&bin(BinaryOp::Lt, F64, &a, &b), &t(&[false, false, true, false]));
    assert_same(&bin(BinaryOp::Ge, F64, &a, &b), &t(&[false, false, false, true]));
    let c = |re, im| Scalar::Complex(re, im);
    let a = [c(1.0, 9.0), c(1.0, 1.0), c(1.0, nan), c(1.0, 2.0)];
    let b = [c(2.0, 0.0), c(1.0, 2.0), c(2.0, 0.0), c(1.0, 2.0)];
    assert_same(&bin(BinaryOp::Lt, C128, &a, &b), &t(&[true, true, false, false]));
    assert_same(&bin(BinaryOp::Le, C128, &a, &b), &t(&[true, true, false, true]));
    assert_same(&bin(BinaryOp::Eq, C128, &a, &b), &t(&[false, false, false, true]));
    assert_same(&bin(BinaryOp::Ne, C128, &a, &b), &t(&[true, true, true, false]));
    assert_same(&bin(BinaryOp::Gt, U64, &uints(&[u64::MAX]), &uints(&[1])), &t(&[true]));
    assert_same(&bin(BinaryOp::LogicalXor, Bool, &t(&[true, true]), &t(&[true, false])), &t(&[false, true]));
}

#[test]
fn casts_agree_with_scalar_cast() {
    let nan = f64::NAN;
    let probe = [
        Scalar::Bool(true),
        Scalar::Int(0),
        Scalar::Int(-1),
        Scalar::Int(300),
        Scalar::Int(i64::MIN),
        Scalar::UInt(u64::MAX),
        Scalar::Float(nan),
        Scalar::Float(f64::INFINITY),
        Scalar::Float(f64::NEG_INFINITY),
        Scalar::Float(-1.5),
        Scalar::Float(2.7),
        Scalar::Float(1e20),
        Scalar::Float(0.1),
        Scalar::Complex(-1.5, 2.0),
        Scalar::Complex(0.0, 1.0),
    ];
    for from in ALL_DTYPES {
        let vals: Vec<Scalar> = probe.iter().map(|v| v.cast(from)).collect();
        for to in ALL_DTYPES {
            let want: Vec<Scalar> = vals.iter().map(|v| v.cast(to)).collect();
            let got = cast_vals(from, to, &vals);
            for ((g, w), v) in got.iter().zip(&want).zip(&vals) {
                assert!(same(*g, *w), "{from} -> {to} of {v:?}: got {g:?}, want {w:?}");
            }
        }
    }
    // NaN and infinities: NumPy's x86 answers, no UB or panic.
    assert_same(&cast_vals(F64, I64, &floats(&[nan, f64::INFINITY])), &ints(&[i64::MIN, i64::MIN]));
    assert_same(&cast_vals(F64, U8, &floats(&[nan, -1.5])), &uints(&[0, 255]));
    assert_same(
        &cast_vals(F64, Bool, &floats(&[nan, 0.0, -0.0])),
        &[Scalar::Bool(true), Scalar::Bool(false), Scalar::Bool(false)],
    );
    // int64 -> float32 rounds once: 2^60 + 2^36 + 1 is just above a float32 midpoint.
    let x = (1i64 << 60) + (1 << 36) + 1;
    assert_same(&cast_vals(I64, F32, &ints(&[x])), &floats(&[((1i64 << 60) + (1 << 37)) as f64]));
}

#[test]
fn strided_broadcast_and_negative_stride_operands() {
    let n = 5;
    let mut k = kernel(1, &[F64, F64, F64], &[]);
    let a = push(&mut k, InstrOp::Load(0), F64);
    let b = push(&mut k, InstrOp::Load(1), F64);
    let c = push(&mut k, InstrOp::Load(2), F64);
    let ab = push(&mut k, InstrOp::Binary(BinaryOp::Add, a, b), F64);
    let abc = push(&mut k, InstrOp::Binary(BinaryOp::Add, ab, c), F64);
    k.outputs.push(abc);
    let mut a_buf = Buf::new(F64, &floats(&(0..10).map(|i| i as f64).collect::<Vec<_>>()));
    let mut b_buf = Buf::new(F64, &floats(&[100.0]));
    let mut c_buf = Buf::new(F64, &floats(&[0.5, 1.5, 2.5, 3.5, 4.5]));
    let mut out = Buf::filled(F64, n, Scalar::Float(-1.0));
    let ins = [a_buf.operand(0, &[2]), b_buf.operand(0, &[0]), c_buf.operand(4, &[-1])];
    let outs = [out.operand(4, &[-1])];
    let call = Call {
        domain: &[n],
        lo: vec![0],
        hi: vec![n],
        inputs: &ins,
        params: &[],
        outputs: &outs,
        leaves: (0, 0),
        partials: None,
    };
    // SAFETY: a: 2i < 10, b: one element, c and out: 4 - i in [0, 5).
    unsafe { run(&k, &call) };
    // out[4 - i] = 2i + 100 + c[4 - i]
    assert_same(&out.values(), &floats(&[108.5, 107.5, 106.5, 105.5, 104.5]));

    // 2-d outer sum with a row (0, 1) and a column (1, 0) broadcast.
    let (r, cc) = (3, 4);
    let mut k = kernel(2, &[I32, I32], &[]);
    let x = push(&mut k, InstrOp::Load(0), I32);
    let y = push(&mut k, InstrOp::Load(1), I32);
    let z = push(&mut k, InstrOp::Binary(BinaryOp::Sub, x, y), I32);
    k.outputs.push(z);
    let mut row = Buf::new(I32, &ints(&[10, 20, 30, 40]));
    let mut col = Buf::new(I32, &ints(&[1, 2, 3]));
    let mut out = Buf::filled(I32, r * cc, Scalar::Int(0));
    let ins = [row.operand(0, &[0, 1]), col.operand(0, &[1, 0])];
    let outs = [out.contiguous(&[r, cc])];
    let call = Call {
        domain: &[r, cc],
        lo: vec![0, 0],
        hi: vec![r, cc],
        inputs: &ins,
        params: &[],
        outputs: &outs,
        leaves: (0, 0),
        partials: None,
    };
    // SAFETY: in bounds by construction.
    unsafe { run(&k, &call) };
    let want: Vec<i64> = (0..r).flat_map(|i| (0..cc).map(move |j| 10 * (j as i64 + 1) - (i as i64 + 1))).collect();
    assert_same(&out.values(), &ints(&want));
}

#[test]
fn zero_d_kernel_is_one_element() {
    let mut k = kernel(0, &[F64], &[F64]);
    let a = push(&mut k, InstrOp::Load(0), F64);
    let p = push(&mut k, InstrOp::Param(0), F64);
    let z = push(&mut k, InstrOp::Binary(BinaryOp::Mul, a, p), F64);
    k.outputs.push(z);
    let mut a_buf = Buf::new(F64, &floats(&[2.0]));
    let mut out = Buf::filled(F64, 1, Scalar::Float(0.0));
    let ins = [a_buf.operand(0, &[])];
    let outs = [out.operand(0, &[])];
    let params = [Scalar::Float(3.0)];
    let call = Call {
        domain: &[],
        lo: vec![],
        hi: vec![],
        inputs: &ins,
        params: &params,
        outputs: &outs,
        leaves: (0, 0),
        partials: None,
    };
    // SAFETY: one element each.
    unsafe { run(&k, &call) };
    assert_same(&out.values(), &floats(&[6.0]));
}

#[test]
fn empty_box_writes_nothing() {
    let mut k = kernel(2, &[], &[]);
    let z = push(&mut k, InstrOp::Linear(vec![(0, 1), (1, 1)]), I64);
    k.outputs.push(z);
    let mut out = Buf::filled(I64, 20, Scalar::Int(-7));
    let outs = [out.contiguous(&[4, 5])];
    let call = Call {
        domain: &[4, 5],
        lo: vec![1, 2],
        hi: vec![1, 5],
        inputs: &[],
        params: &[],
        outputs: &outs,
        leaves: (0, 0),
        partials: None,
    };
    // SAFETY: nothing is addressed.
    unsafe { run(&k, &call) };
    assert!(out.values().iter().all(|&v| v == Scalar::Int(-7)));
}

#[test]
fn three_d_box_with_offset_lo() {
    let dom = [4usize, 5, 6];
    let (lo, hi) = (vec![1, 2, 3], vec![3, 5, 6]);
    let mut k = kernel(3, &[I16], &[]);
    let lin = push(&mut k, InstrOp::Linear(vec![(0, 100), (1, 10), (2, 1)]), I64);
    let x = push(&mut k, InstrOp::Load(0), I16);
    let xw = push(&mut k, InstrOp::Cast(x), I64);
    let s = push(&mut k, InstrOp::Binary(BinaryOp::Add, lin, xw), I64);
    let narrow = push(&mut k, InstrOp::Cast(s), I16);
    k.outputs.extend([lin, narrow]);
    let n: usize = dom.iter().product();
    let mut input = Buf::new(I16, &ints(&(0..n as i64).map(|i| 1000 * (i % 3)).collect::<Vec<_>>()));
    let mut out_lin = Buf::filled(I64, n, Scalar::Int(-1));
    let mut out_sum = Buf::filled(I16, n, Scalar::Int(-1));
    let ins = [input.contiguous(&dom)];
    let outs = [out_lin.contiguous(&dom), out_sum.contiguous(&dom)];
    let call = Call {
        domain: &dom,
        lo: lo.clone(),
        hi: hi.clone(),
        inputs: &ins,
        params: &[],
        outputs: &outs,
        leaves: (0, 0),
        partials: None,
    };
    // SAFETY: contiguous buffers over the whole domain.
    unsafe { run(&k, &call) };
    for i in 0..dom[0] {
        for j in 0..dom[1] {
            for l in 0..dom[2] {
                let flat = (i * dom[1] + j) * dom[2] + l;
                let inside = (lo[0]..hi[0]).contains(&i) && (lo[1]..hi[1]).contains(&j) && (lo[2]..hi[2]).contains(&l);
                let v = (100 * i + 10 * j + l) as i64;
                let (want_lin, want_sum) = if inside { (v, v + 1000 * (flat as i64 % 3)) } else { (-1, -1) };
                assert_eq!(out_lin.get(flat), Scalar::Int(want_lin), "({i},{j},{l})");
                assert_eq!(out_sum.get(flat), Scalar::Int(want_sum), "({i},{j},{l})");
            }
        }
    }
}

/// A reduction call of the kernel `value = load(in0)` over a contiguous input of `dom`.
#[derive(Clone, Copy)]
struct Red<'a> {
    op: ReduceOp,
    d: DType,
    dom: &'a [usize],
    reduced: &'a [bool],
    lo: &'a [usize],
    hi: &'a [usize],
    leaves: (usize, usize),
}

/// The call's partials and argmin/argmax t's.
fn reduce_call(r: Red, input: &mut Buf) -> (Vec<Scalar>, Vec<u64>) {
    let Red { op, d, dom, reduced, lo, hi, leaves } = r;
    let mut k = kernel(dom.len(), &[d], &[]);
    let v = push(&mut k, InstrOp::Load(0), d);
    k.reduction = Some(KernelReduction { op, value: v, reduced: reduced.to_vec() });
    let kn: usize = (0..dom.len()).filter(|&a| !reduced[a]).map(|a| hi[a] - lo[a]).product();
    let np = (leaves.1 - leaves.0) * kn;
    let mut pv = Buf::filled(d, np, Scalar::Int(0));
    let mut pt = vec![u64::MAX; np];
    let ins = [input.contiguous(dom)];
    let call = Call {
        domain: dom,
        lo: lo.to_vec(),
        hi: hi.to_vec(),
        inputs: &ins,
        params: &[],
        outputs: &[],
        leaves,
        partials: Some((pv.bytes.as_mut_ptr(), Some(pt.as_mut_ptr()))),
    };
    // SAFETY: contiguous input over the domain; partials sized for the leaves and kept box.
    unsafe { run(&k, &call) };
    (pv.values(), pt)
}

/// The same partials by definition: per leaf, per kept point (row-major), fold in t order with
/// `combine`/`combine_arg`, except that mode T folds float runs of 8 or more values by 8 lanes
/// (see `reduce`).
fn naive_partials(r: Red, input: &Buf) -> (Vec<Scalar>, Vec<u64>) {
    let Red { op, d, dom, reduced, lo, hi, leaves } = r;
    let nd = dom.len();
    let points = |axes: Vec<usize>, lo: Vec<usize>, hi: Vec<usize>| -> Vec<Vec<usize>> {
        let mut pts = vec![vec![0usize; nd]];
        for (a, (l, h)) in axes.into_iter().zip(lo.into_iter().zip(hi)) {
            pts = pts
                .into_iter()
                .flat_map(|p| {
                    (l..h).map(move |x| {
                        let mut q = p.clone();
                        q[a] = x;
                        q
                    })
                })
                .collect();
        }
        pts
    };
    let kept_axes: Vec<usize> = (0..nd).filter(|&a| !reduced[a]).collect();
    let red_axes: Vec<usize> = (0..nd).filter(|&a| reduced[a]).collect();
    let kept = points(
        kept_axes.clone(),
        kept_axes.iter().map(|&a| lo[a]).collect(),
        kept_axes.iter().map(|&a| hi[a]).collect(),
    );
    let red = points(red_axes.clone(), vec![0; red_axes.len()], red_axes.iter().map(|&a| dom[a]).collect());
    let flat = |kp: &Vec<usize>, rp: &Vec<usize>| {
        (0..nd).fold(0, |acc, a| acc * dom[a] + if reduced[a] { rp[a] } else { kp[a] })
    };
    let ord = reduce::order(dom, reduced);
    let lanes = ord.along_t && reduce::by_lanes(op, d);
    let f = |a: Scalar, b: Scalar| combine(op, d, a, b);
    let (mut vals, mut ts) = (vec![], vec![]);
    for leaf in leaves.0..leaves.1 {
        let (t_lo, t_hi) = (leaf * LEAF, ((leaf + 1) * LEAF).min(red.len()));
        for kp in &kept {
            let mut acc: Option<(Scalar, u64)> = None;
            let mut t = t_lo;
            while t < t_hi {
                // The run from t: up to the next multiple of the innermost reduced extent.
                let end = if lanes { ((t / ord.run + 1) * ord.run).min(t_hi) } else { t_hi };
                let run: Vec<Scalar> = (t..end).map(|u| input.get(flat(kp, &red[u]))).collect();
                if lanes && run.len() >= 8 {
                    let mut l: Vec<Scalar> = run[..8].to_vec();
                    for (j, &v) in run.iter().enumerate().skip(8) {
                        l[j % 8] = f(l[j % 8], v);
                    }
                    let total = f(f(f(l[0], l[1]), f(l[2], l[3])), f(f(l[4], l[5]), f(l[6], l[7])));
                    acc = Some(match acc {
                        None => (total, 0),
                        Some((a, _)) => (f(a, total), 0),
                    });
                } else {
                    for (u, v) in (t..).zip(run) {
                        acc = Some(match acc {
                            None => (v, u as u64),
                            Some(a) if reduce::is_arg(op) => combine_arg(op, d, a, (v, u as u64)),
                            Some((a, at)) => (f(a, v), at),
                        });
                    }
                }
                t = end;
            }
            let (v, t) = acc.unwrap();
            vals.push(v);
            ts.push(t);
        }
    }
    (vals, ts)
}

fn check_reduction(r: Red, input: &mut Buf) -> Vec<Scalar> {
    let (got, got_t) = reduce_call(r, input);
    let (want, want_t) = naive_partials(r, input);
    assert_same(&got, &want);
    if reduce::is_arg(r.op) {
        assert_eq!(got_t, want_t);
    }
    got
}

#[test]
fn reduction_over_axis_1_of_2d() {
    // Long rows (strips along t) and short rows (strips along the kept axis), both with a kept
    // box that starts past 0.
    for (dom, lo, hi) in [([3usize, 2000usize], [1, 0], [3, 0]), ([2000, 3], [5, 0], [1500, 0])] {
        let n = dom[0] * dom[1];
        let mut input = Buf::new(
            I64,
            &ints(&(0..n as i64).map(|i| (i / dom[1] as i64) * 1000 + i % dom[1] as i64).collect::<Vec<_>>()),
        );
        let leaves = (0, dom[1].div_ceil(LEAF));
        let got = check_reduction(
            Red { op: ReduceOp::Sum, d: I64, dom: &dom, reduced: &[false, true], lo: &lo, hi: &hi, leaves },
            &mut input,
        );
        // Closed form: leaf [a, b) of row i sums (b - a) * 1000 i + (a + ... + b - 1).
        let kn = hi[0] - lo[0];
        for leaf in leaves.0..leaves.1 {
            let (a, b) = (leaf * LEAF, ((leaf + 1) * LEAF).min(dom[1]));
            for (k, i) in (lo[0]..hi[0]).enumerate() {
                let want = ((b - a) * 1000 * i + (a + b - 1) * (b - a) / 2) as i64;
                assert_eq!(got[leaf * kn + k], Scalar::Int(want));
            }
        }
    }
}

#[test]
fn reductions_agree_with_in_order_fold_for_every_layout() {
    // f32 sums depend on order, so agreement with the naive fold checks the t order of each strip
    // layout the interpreter picks.
    let shapes: [(&[usize], &[bool]); 6] = [
        (&[3, 2000], &[false, true]),
        (&[3, 2000], &[true, false]),
        (&[2000, 3], &[false, true]),
        (&[2000, 3], &[true, false]),
        (&[7, 11, 13], &[true, false, true]),
        (&[7, 11, 13], &[false, true, false]),
    ];
    for (dom, reduced) in shapes {
        let n: usize = dom.iter().product();
        let vals: Vec<f64> = (0..n).map(|i| ((i as f64) * 0.731).sin() * 1000.0).collect();
        let mut f32_in = Buf::new(F32, &floats(&vals));
        let lo = vec![0; dom.len()];
        let hi = dom.to_vec();
        let rn: usize = (0..dom.len()).filter(|&a| reduced[a]).map(|a| dom[a]).product();
        let leaves = (0, rn.div_ceil(LEAF));
        let r = Red { op: ReduceOp::Sum, d: F32, dom, reduced, lo: &lo, hi: &hi, leaves };
        for op in [ReduceOp::Sum, ReduceOp::Prod, ReduceOp::Max, ReduceOp::ArgMin, ReduceOp::ArgMax] {
            check_reduction(Red { op, ..r }, &mut f32_in);
        }
        let mut i8_in = Buf::new(I8, &ints(&(0..n as i64).map(|i| (i * 37) % 256 - 128).collect::<Vec<_>>()));
        for op in [ReduceOp::Sum, ReduceOp::Prod, ReduceOp::Min, ReduceOp::ArgMax] {
            check_reduction(Red { op, d: I8, ..r }, &mut i8_in);
        }
        let mut b_in = Buf::new(Bool, &(0..n).map(|i| Scalar::Bool(i % 5 == 0)).collect::<Vec<_>>());
        for op in [ReduceOp::Any, ReduceOp::All] {
            check_reduction(Red { op, d: Bool, ..r }, &mut b_in);
        }
    }
}

#[test]
fn full_reduction_split_over_calls_matches_one_call() {
    let dom = [50usize, 60];
    let n = 3000;
    let vals: Vec<f64> = (0..n).map(|i| ((i as f64) * 0.37).cos() / 3.0).collect();
    let mut input = Buf::new(F32, &floats(&vals));
    let all = [true, true];
    let (lo, hi) = ([0, 0], [0, 0]);
    let sum = Red { op: ReduceOp::Sum, d: F32, dom: &dom, reduced: &all, lo: &lo, hi: &hi, leaves: (0, 3) };
    let one = check_reduction(sum, &mut input);
    let mut split = check_reduction(Red { leaves: (0, 1), ..sum }, &mut input);
    split.extend(check_reduction(Red { leaves: (1, 3), ..sum }, &mut input));
    assert_eq!(one.len(), 3);
    assert_same(&split, &one);
    let argmax = Red { op: ReduceOp::ArgMax, ..sum };
    let (a, at) = reduce_call(argmax, &mut input);
    let (b0, bt0) = reduce_call(Red { leaves: (0, 2), ..argmax }, &mut input);
    let (b1, bt1) = reduce_call(Red { leaves: (2, 3), ..argmax }, &mut input);
    assert_same(&[b0, b1].concat(), &a);
    assert_eq!([bt0, bt1].concat(), at);
}

#[test]
fn argmax_argmin_ties_and_nan() {
    let nan = f64::NAN;
    let run1 = |op, v: &[f64]| {
        let mut input = Buf::new(F64, &floats(v));
        let dom = [1, v.len()];
        reduce_call(
            Red { op, d: F64, dom: &dom, reduced: &[false, true], lo: &[0, 0], hi: &[1, 0], leaves: (0, 1) },
            &mut input,
        )
        .1[0]
    };
    assert_eq!(run1(ReduceOp::ArgMax, &[1.0, 3.0, 3.0, 2.0]), 1);
    assert_eq!(run1(ReduceOp::ArgMin, &[2.0, 1.0, 1.0, 3.0]), 1);
    assert_eq!(run1(ReduceOp::ArgMax, &[1.0, 3.0, 3.0, nan, 5.0, nan, 7.0]), 3);
    assert_eq!(run1(ReduceOp::ArgMin, &[1.0, 3.0, 3.0, nan, -5.0, nan]), 3);
    assert_eq!(run1(ReduceOp::ArgMax, &[nan, 1.0]), 0);

    // Equal maxima in different leaves: the first leaf's t survives the runtime's combine.
    let mut v = vec![0.0; 3000];
    v[100] = 9.0;
    v[2500] = 9.0;
    let mut input = Buf::new(F64, &floats(&v));
    let (pv, pt) = reduce_call(
        Red { op: ReduceOp::ArgMax, d: F64, dom: &[3000], reduced: &[true], lo: &[0], hi: &[0], leaves: (0, 3) },
        &mut input,
    );
    let parts: Vec<(Scalar, u64)> = pv.into_iter().zip(pt).collect();
    assert_eq!(parts[0].1, 100);
    assert_eq!(parts[1].1, 1024);
    assert_eq!(parts[2].1, 2500);
    let best = parts[1..].iter().fold(parts[0], |a, &b| combine_arg(ReduceOp::ArgMax, F64, a, b));
    assert_eq!(best, (Scalar::Float(9.0), 100));
}

#[test]
fn min_max_reductions_of_ties_keep_the_later_element() {
    let run1 = |op, v: &[f64]| {
        let mut input = Buf::new(F64, &floats(v));
        reduce_call(
            Red { op, d: F64, dom: &[v.len()], reduced: &[true], lo: &[0], hi: &[0], leaves: (0, 1) },
            &mut input,
        )
        .0[0]
    };
    // As NumPy's min/max of [-0.0, 0.0] and [0.0, -0.0]: a tie keeps the later element.
    assert_same(&[run1(ReduceOp::Min, &[-0.0, 0.0])], &floats(&[0.0]));
    assert_same(&[run1(ReduceOp::Min, &[0.0, -0.0])], &floats(&[-0.0]));
    assert_same(&[run1(ReduceOp::Max, &[-0.0, 0.0])], &floats(&[0.0]));
    assert_same(&[run1(ReduceOp::Sum, &[-0.0, -0.0])], &floats(&[-0.0]));
    assert_same(&[run1(ReduceOp::Max, &[1.0, f64::NAN, 5.0])], &floats(&[f64::NAN]));
    assert_same(&[run1(ReduceOp::Min, &[f64::INFINITY, f64::NAN, f64::NEG_INFINITY])], &floats(&[f64::NAN]));
}

#[test]
fn select_linear_and_random() {
    let n = 600;
    let mut k = kernel(1, &[], &[U64, U64, U64, I64]);
    let i = push(&mut k, InstrOp::Linear(vec![(0, 3)]), I64);
    let u = push(&mut k, InstrOp::Random { dist: RandomDist::Uniform01, seed: 0, draw: 1, range: None, index: i }, F64);
    let g = push(&mut k, InstrOp::Random { dist: RandomDist::Normal, seed: 0, draw: 1, range: None, index: i }, F64);
    let b =
        push(&mut k, InstrOp::Random { dist: RandomDist::Bounded, seed: 0, draw: 1, range: Some(2), index: i }, U64);
    let half = push(&mut k, InstrOp::Param(3), I64);
    let c = push(&mut k, InstrOp::Binary(BinaryOp::Lt, i, half), Bool);
    let s = push(&mut k, InstrOp::Select(c, i, half), I64);
    k.outputs.extend([u, g, b, s]);
    let params = [Scalar::UInt(42), Scalar::UInt(7), Scalar::UInt(10), Scalar::Int(900)];
    let mut outs: Vec<Buf> = [F64, F64, U64, I64].iter().map(|&d| Buf::filled(d, n, Scalar::Int(0))).collect();
    let ops: Vec<Operand> = outs.iter_mut().map(|b| b.contiguous(&[n])).collect();
    let call = Call {
        domain: &[n],
        lo: vec![0],
        hi: vec![n],
        inputs: &[],
        params: &params,
        outputs: &ops,
        leaves: (0, 0),
        partials: None,
    };
    // SAFETY: contiguous outputs of n elements.
    unsafe { run(&k, &call) };
    for e in 0..n {
        let idx = 3 * e as u64;
        assert_eq!(outs[0].get(e), Scalar::Float(philox::uniform01(42, 7, idx)));
        assert_eq!(outs[1].get(e), Scalar::Float(philox::standard_normal(42, 7, idx)));
        assert_eq!(outs[2].get(e), Scalar::UInt(philox::bounded_u64(42, 7, idx, 10)));
        assert_eq!(outs[3].get(e), Scalar::Int((3 * e as i64).min(900)));
    }
}

#[test]
fn long_chain_evaluates_quickly() {
    let n = 1000;
    let mut k = kernel(1, &[F64], &[F64]);
    let mut v = push(&mut k, InstrOp::Load(0), F64);
    let one = push(&mut k, InstrOp::Param(0), F64);
    while k.body.len() < 10_000 {
        v = push(&mut k, InstrOp::Binary(BinaryOp::Add, v, one), F64);
    }
    k.outputs.push(v);
    let adds = (k.body.len() - 2) as f64;
    let input: Vec<f64> = (0..n).map(|i| i as f64).collect();
    let start = Instant::now();
    let out = eval1(&k, &mut [Buf::new(F64, &floats(&input))], &[Scalar::Float(1.0)]).remove(0);
    let took = start.elapsed();
    assert_same(&out, &floats(&input.iter().map(|x| x + adds).collect::<Vec<_>>()));
    assert!(took.as_secs_f64() < 1.0, "10k-instruction chain over {n} elements took {took:?}");
}
