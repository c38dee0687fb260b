//! The ufuncs with IR ops of their own (nextafter, spacing, ldexp, frexp, gcd, lcm,
//! bitwise_count, fmax, fmin, heaviside): the JIT accepts them on every dtype they have a loop
//! for and matches the interpreter bit for bit, alone, inside fused chains and under reductions,
//! on the values that matter to them (±0, subnormals, the largest float, ±inf, NaN, INT_MIN).

use super::*;

/// Float values every op here must get right.
const EDGE_F: [f64; 16] = [
    0.0,
    -0.0,
    5e-324,
    -5e-324,
    2.2250738585072014e-308,
    1.1754943508222875e-38,
    1.401298464324817e-45,
    f64::MAX,
    -f64::MAX,
    3.4028234663852886e38,
    f64::INFINITY,
    f64::NEG_INFINITY,
    f64::NAN,
    1.0,
    -1.5,
    0.75,
];

/// Exponents around the float formats' limits.
const EDGE_EXP: [i64; 14] = [0, 1, -1, 127, 128, -149, -150, 1023, 1024, -1074, -1075, 2098, i64::MAX, i64::MIN];

fn edge(rng: &mut Rng, d: DType) -> Scalar {
    match d.kind() {
        Kind::Float if rng.chance(0.6) => Scalar::Float(rng.pick(&EDGE_F)).cast(d),
        Kind::Complex if rng.chance(0.6) => Scalar::Complex(rng.pick(&EDGE_F), rng.pick(&EDGE_F)).cast(d),
        Kind::Int if d == I64 && rng.chance(0.3) => Scalar::Int(rng.pick(&EDGE_EXP)),
        _ => value(rng, d),
    }
}

/// Refills a case's inputs with `edge` values (same layouts).
fn refill(rng: &mut Rng, case: &mut Case) {
    for b in &mut case.inputs {
        let n = b.bytes.len() / b.d.itemsize();
        b.bytes = (0..n).flat_map(|_| encode(b.d, edge(rng, b.d))).collect();
    }
}

fn run_both(rng: &mut Rng, k: Kernel, dom: Vec<usize>, contiguous: bool, leaves: (usize, usize)) {
    let mut case = Case::new(rng, k, dom, contiguous);
    refill(rng, &mut case);
    assert!(check_equal(&mut case, leaves), "the JIT declines\n{}", case.k.dump());
}

fn new_unary() -> [UnaryOp; 4] {
    use UnaryOp::*;
    [Spacing, FrexpMantissa, FrexpExponent, BitwiseCount]
}

fn new_binary() -> [BinaryOp; 6] {
    use BinaryOp::*;
    [Nextafter, Gcd, Lcm, Fmax, Fmin, Heaviside]
}

#[test]
fn new_ops_alone_on_every_dtype() {
    let mut rng = Rng(0x0F0F_1234_5678);
    let mut ran = 0;
    for d in ALL_DTYPES {
        for op in new_unary() {
            let Ok(od) = op.result_dtype(d) else { continue };
            // The runtime feeds frexp's exponent and spacing their float loop's values.
            if !d.is_float() && op != UnaryOp::BitwiseCount {
                continue;
            }
            let k = unary_kernel(op, d, od);
            for contiguous in [true, false] {
                run_both(&mut rng, k.clone(), vec![301], contiguous, (0, 0));
                ran += 1;
            }
        }
        for op in new_binary() {
            if !plan::arith_supported(op, d.kind()) {
                continue;
            }
            let k = binary_kernel(op, d);
            for contiguous in [true, false] {
                run_both(&mut rng, k.clone(), vec![301], contiguous, (0, 0));
                ran += 1;
            }
        }
        if d.is_float() {
            // ldexp: a float mantissa and an int64 exponent.
            let body = vec![
                Instr { op: InstrOp::Load(0), dtype: d },
                Instr { op: InstrOp::Load(1), dtype: I64 },
                Instr { op: InstrOp::Binary(BinaryOp::Ldexp, 0, 1), dtype: d },
            ];
            let k = Kernel { ndim: 1, inputs: vec![d, I64], params: vec![], body, outputs: vec![2], reduction: None };
            for contiguous in [true, false] {
                run_both(&mut rng, k.clone(), vec![301], contiguous, (0, 0));
                ran += 1;
            }
        }
    }
    assert!(ran > 90, "{ran} kernels");
}

/// fmax/fmin run in the vector loop where maximum/minimum do (the test above checks them there).
#[test]
fn fmax_fmin_take_the_vector_path() {
    for d in [F64, F32, I64, U64] {
        for op in [BinaryOp::Fmax, BinaryOp::Fmin] {
            let k = binary_kernel(op, d);
            assert!(plan::plan(&k).expect("supported").simd, "{op:?} of {d}");
        }
    }
}

#[test]
fn malformed_new_ops_are_declined_not_miscompiled() {
    let ldexp_of = |a: DType, b: DType| Kernel {
        ndim: 1,
        inputs: vec![a, b],
        params: vec![],
        body: vec![
            Instr { op: InstrOp::Load(0), dtype: a },
            Instr { op: InstrOp::Load(1), dtype: b },
            Instr { op: InstrOp::Binary(BinaryOp::Ldexp, 0, 1), dtype: a },
        ],
        outputs: vec![2],
        reduction: None,
    };
    assert!(plan::plan(&ldexp_of(F64, I64)).is_ok());
    assert!(plan::plan(&ldexp_of(F64, F64)).is_err());
    assert!(plan::plan(&ldexp_of(F64, I32)).is_err());
    assert!(plan::plan(&ldexp_of(I64, I64)).is_err());
    let spacing_to = |od: DType| Kernel {
        ndim: 1,
        inputs: vec![F64],
        params: vec![],
        body: vec![Instr { op: InstrOp::Load(0), dtype: F64 }, Instr { op: InstrOp::Unary(UnaryOp::Spacing, 0), dtype: od }],
        outputs: vec![1],
        reduction: None,
    };
    assert!(plan::plan(&spacing_to(F64)).is_ok());
    assert!(plan::plan(&spacing_to(F32)).is_err());
}

/// A kernel generator step for ldexp (the generic generator gives binary ops one dtype).
fn push_ldexp(g: &mut Gen) {
    let d = if g.rng.chance(0.5) { F64 } else { F32 };
    let (x, n) = (g.of(d), g.of(I64));
    g.push(InstrOp::Binary(BinaryOp::Ldexp, x, n), d);
}

#[test]
fn new_ops_fuse_with_the_others() {
    use BinaryOp::*;
    use UnaryOp::*;
    let mut rng = Rng(0xFEED_0BAD_5EED);
    let red_ops = [ReduceOp::Sum, ReduceOp::Max, ReduceOp::Min, ReduceOp::ArgMax, ReduceOp::Prod];
    let is_new = |op: &InstrOp| match op {
        InstrOp::Unary(u, _) => new_unary().contains(u),
        InstrOp::Binary(b, ..) => new_binary().contains(b) || *b == Ldexp,
        _ => false,
    };
    let mut with_new = 0;
    for it in 0..400 {
        let mut unary = new_unary().to_vec();
        unary.extend([Neg, Abs, Sqrt, Exp, Floor, Sign]);
        let mut binary = new_binary().to_vec();
        binary.extend([Add, Mul, Max, Lt, Sub, Div, Copysign]);
        let ops = Ops { unary, binary, random: false, dtypes: vec![F64, F32, I64, I8, U16, U64, Bool, C128, C64, I32] };
        let ndim = 1 + rng.below(3);
        let reduce = if it % 3 == 0 { Some(rng.pick(&red_ops)) } else { None };
        let ninstr = 2 + rng.below(10);
        let mut k = gen_kernel(&mut rng, ndim, &ops, ninstr, None);
        // Splice in ldexp steps and reduce (or output) the last value.
        let mut g = Gen { rng: &mut rng, k, dtypes: ops.dtypes.clone() };
        for _ in 0..g.rng.below(3) {
            push_ldexp(&mut g);
            g.step(&ops);
        }
        k = g.k;
        let last = (k.body.len() - 1) as u32;
        k.outputs = vec![last];
        if let Some(op) = reduce {
            let d = k.body[last as usize].dtype;
            let value = if plan::is_arg(op) || op.result_dtype(d) == d {
                last
            } else {
                k.body.push(Instr { op: InstrOp::Cast(last), dtype: op.result_dtype(d) });
                last + 1
            };
            let reduced: Vec<bool> = (0..ndim).map(|a| a == ndim - 1 || rng.chance(0.4)).collect();
            k.reduction = Some(KernelReduction { op, value, reduced });
        }
        with_new += k.body.iter().any(|i| is_new(&i.op)) as usize;
        let dom = gen_domain(&mut rng, ndim, it % 4 == 0);
        let leaves = if k.reduction.is_some() { (0, k.reduction_extent(&dom).1) } else { (0, 0) };
        run_both(&mut rng, k, dom, it % 2 == 0, leaves);
    }
    assert!(with_new > 300, "{with_new} kernels with the new ops");
}
