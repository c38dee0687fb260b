//! Algebraic simplification: a node that an identity says equals one of its operands is
//! rewritten to that operand (`x*1 -> x`). Only identities whose result is bit-identical to
//! NumPy's for every value of the dtype are in the table: NaN, ±inf, -0.0, integer wrap-around.
//! So `x+0 -> x` holds for integers but for floats only with -0.0 (`-0.0 + 0.0` is `+0.0`), and
//! nothing multiplies by 1 in complex (`(inf*j) * 1` is `nan+inf*j` in NumPy). Signalling NaNs,
//! which an arithmetic operation would quiet, are not kept apart.
//!
//! A rule fires only when the operand has the node's shape and dtype (a broadcast `x*1` of a
//! larger constant changes the shape). Constants are `Fill` nodes, also seen through exact casts.
//! One ascending sweep reaches a fixpoint (`(x*1)*1 -> x`, `--(x+0) -> x`); idempotent. Nothing
//! is folded into new nodes.

use super::{Rewrite, Subgraph};
use ir::op::{BinaryOp, UnaryOp};
use ir::{DType, NodeId, Op, Scalar};

/// Which operand of a binary op is the constant.
#[derive(Clone, Copy)]
enum Side {
    Left,
    Right,
}

enum Rule {
    /// `op(x, c) -> x` (`c` on the `Side`) when `unit(dtype, c)`.
    Unit(BinaryOp, Side, fn(DType, Scalar) -> bool),
    /// `f(f(x)) -> x`.
    Involution(UnaryOp),
    /// `astype(x, x.dtype) -> x`.
    SameCast,
    /// `astype(astype(x, B), A) -> x` for x of dtype A when every A value survives B.
    CastRoundTrip,
    /// `where(c, x, x) -> x`.
    SameBranches,
}

use Rule::*;
use Side::*;

const RULES: &[Rule] = &[
    Unit(BinaryOp::Mul, Right, one),      // x*1 -> x    (not complex)
    Unit(BinaryOp::Mul, Left, one),       // 1*x -> x    (not complex)
    Unit(BinaryOp::Add, Right, add_zero), // x+0 -> x    (integers, bool; x + -0.0 for inexact)
    Unit(BinaryOp::Add, Left, add_zero),  // 0+x -> x    (integers, bool; -0.0 + x for inexact)
    Unit(BinaryOp::Sub, Right, sub_zero), // x-0 -> x    (integers; x - +0.0 for inexact)
    Unit(BinaryOp::Div, Right, real_one), // x/1 -> x    (float32/64 only: complex division is not exact)
    Involution(UnaryOp::Neg),             // --x -> x    (integers wrap back: -(-MIN) is MIN)
    Involution(UnaryOp::Invert),          // ~~x -> x
    Involution(UnaryOp::LogicalNot),      // !!x -> x    (bool x only, by the dtype check)
    SameCast,                             // astype(x, x.dtype) -> x
    CastRoundTrip,                        // astype(astype(x: A, B), A) -> x    (A -> B lossless: f32 -> f64 -> f32)
    SameBranches,                         // where(c, x, x) -> x
];

/// `a` and `b` are the same value bit for bit (so -0.0 is not 0.0 and NaN is NaN).
pub fn same_scalar(a: Scalar, b: Scalar) -> bool {
    match (a, b) {
        (Scalar::Float(x), Scalar::Float(y)) => x.to_bits() == y.to_bits(),
        (Scalar::Complex(xr, xi), Scalar::Complex(yr, yi)) => xr.to_bits() == yr.to_bits() && xi.to_bits() == yi.to_bits(),
        _ => a == b,
    }
}

fn one(d: DType, c: Scalar) -> bool {
    !d.is_complex() && same_scalar(c, Scalar::one(d))
}

fn add_zero(d: DType, c: Scalar) -> bool {
    match d {
        DType::F32 | DType::F64 => same_scalar(c, Scalar::Float(-0.0)),
        DType::C64 | DType::C128 => same_scalar(c, Scalar::Complex(-0.0, -0.0)),
        _ => same_scalar(c, Scalar::zero(d)),
    }
}

fn sub_zero(d: DType, c: Scalar) -> bool {
    match d {
        DType::Bool => false,
        DType::F32 | DType::F64 => same_scalar(c, Scalar::Float(0.0)),
        DType::C64 | DType::C128 => same_scalar(c, Scalar::Complex(0.0, 0.0)),
        _ => same_scalar(c, Scalar::zero(d)),
    }
}

fn real_one(d: DType, c: Scalar) -> bool {
    d.is_float() && same_scalar(c, Scalar::Float(1.0))
}

/// Casting `from -> to -> from` gives back every value bit for bit: bool to anything, integers
/// to integers at least as wide (wrap-around is a bijection), integers to floats whose
/// significand holds them, floats and complex to wider or equal precision.
pub fn lossless(from: DType, to: DType) -> bool {
    use ir::dtype::Kind;
    let significand = |d: DType| match d.real_part() {
        DType::F32 => 24,
        _ => 53,
    };
    match (from.kind(), to.kind()) {
        (Kind::Bool, _) => true,
        (Kind::Int | Kind::UInt, Kind::Int | Kind::UInt) => to.itemsize() >= from.itemsize(),
        (Kind::Int | Kind::UInt, Kind::Float | Kind::Complex) => from.itemsize() * 8 <= significand(to),
        (Kind::Float, Kind::Float | Kind::Complex) | (Kind::Complex, Kind::Complex) => {
            to.real_part().itemsize() >= from.real_part().itemsize()
        }
        _ => false,
    }
}

struct Ctx<'a, 'g> {
    sub: &'a Subgraph<'g>,
    new: &'a Rewrite,
}

impl Ctx<'_, '_> {
    fn inputs(&self, n: NodeId) -> Vec<NodeId> {
        self.sub.g.node(n).inputs.iter().map(|&i| self.sub.resolve_with(self.new, i)).collect()
    }

    /// The value of every element of `n`, when it is a constant.
    fn constant(&self, mut n: NodeId) -> Option<Scalar> {
        let mut casts = Vec::new();
        loop {
            let node = self.sub.g.node(n);
            match &node.op {
                Op::Fill(s) => {
                    return Some(casts.into_iter().rev().fold(*s, |s, d| s.cast(d)));
                }
                Op::Cast => {
                    let input = self.inputs(n)[0];
                    if !lossless(self.sub.g.node(input).dtype, node.dtype) {
                        return None;
                    }
                    casts.push(node.dtype);
                    n = input;
                }
                _ => return None,
            }
        }
    }

    /// The operand `rule` says `node` (inputs `ins`, resolved) equals, if it applies.
    fn apply(&self, rule: &Rule, node: &ir::Node, ins: &[NodeId]) -> Option<NodeId> {
        match (rule, &node.op) {
            (Unit(op, side, unit), Op::Binary(b)) if op == b => {
                let (x, c) = match side {
                    Left => (ins[1], ins[0]),
                    Right => (ins[0], ins[1]),
                };
                let cd = self.sub.g.node(c).dtype;
                (cd == node.dtype && unit(cd, self.constant(c)?)).then_some(x)
            }
            (Involution(u), Op::Unary(v)) if u == v => match &self.sub.g.node(ins[0]).op {
                Op::Unary(w) if w == u => Some(self.inputs(ins[0])[0]),
                _ => None,
            },
            (SameCast, Op::Cast) => (self.sub.g.node(ins[0]).dtype == node.dtype).then_some(ins[0]),
            (CastRoundTrip, Op::Cast) => {
                let inner = self.sub.g.node(ins[0]);
                if !matches!(inner.op, Op::Cast) {
                    return None;
                }
                let x = self.inputs(ins[0])[0];
                let xd = self.sub.g.node(x).dtype;
                (xd == node.dtype && lossless(xd, inner.dtype)).then_some(x)
            }
            (SameBranches, Op::Where) => (ins[1] == ins[2]).then_some(ins[1]),
            _ => None,
        }
    }
}

/// Rewrites each live node that a rule of the table reduces to one of its operands.
pub fn run(sub: &Subgraph) -> Rewrite {
    let mut new = Rewrite::new();
    for &n in &sub.live {
        let node = sub.g.node(n);
        let ctx = Ctx { sub, new: &new };
        let ins = ctx.inputs(n);
        let found = RULES.iter().find_map(|r| {
            let x = ctx.apply(r, node, &ins)?;
            let xn = sub.g.node(x);
            (xn.shape == node.shape && xn.dtype == node.dtype).then_some(x)
        });
        if let Some(x) = found {
            new.insert(n, x);
        }
    }
    new
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;
    use ir::op::BinaryOp::*;
    use ir::dtype::ALL_DTYPES;

    fn show(t: &T, root: NodeId) -> String {
        super::super::testing::show("simplify", run, &t.g, &[root])
    }

    #[test]
    fn units_and_double_negation_reduce_to_the_operand() {
        let mut t = T::default();
        let (a, b) = (t.source(&[3], DType::I32), t.source(&[3], DType::I32));
        let one = t.scalar(Scalar::Int(1), DType::I32);
        let zero = t.scalar(Scalar::Int(0), DType::I32);
        let a1 = t.bin(Mul, a, one);
        let b0 = t.bin(Add, zero, b);
        let nb = t.un(UnaryOp::Neg, b0);
        let nnb = t.un(UnaryOp::Neg, nb);
        let s = t.bin(Sub, a1, nnb);
        assert_eq!(
            show(&t, s),
            "%0 = source(buf0)() : int32[3]\n\
             %1 = source(buf1)() : int32[3]\n\
             %2 = fill(1)() : int32[]\n\
             %3 = fill(0)() : int32[]\n\
             %4 = multiply(%0, %2) : int32[3]\n\
             %5 = add(%3, %1) : int32[3]\n\
             %6 = negative(%5) : int32[3]\n\
             %7 = negative(%6) : int32[3]\n\
             %8 = subtract(%4, %7) : int32[3]\n\
             => simplify\n\
             %4 -> %0\n\
             %5 -> %1\n\
             %7 -> %1\n\
             %0 = source(buf0)() : int32[3]\n\
             %1 = source(buf1)() : int32[3]\n\
             %8 = subtract(%0, %1) : int32[3]\n"
        );
    }

    #[test]
    fn float_zero_broadcast_and_lossy_casts_stay() {
        let mut t = T::default();
        let a = t.source(&[3], DType::F32);
        let zero = t.scalar(Scalar::Float(0.0), DType::F32);
        let plus0 = t.bin(Add, a, zero); // -0.0 + 0.0 is +0.0
        let ones = t.add(Op::Fill(Scalar::Float(1.0)), vec![], &[2, 3], DType::F32);
        let wide = t.bin(Mul, plus0, ones); // the result is [2, 3], not [3]
        let i = t.cast(wide, DType::I64);
        let back = t.cast(i, DType::F32); // 0.5 -> 0 -> 0.0
        assert_eq!(
            show(&t, back),
            "%0 = source(buf0)() : float32[3]\n\
             %1 = fill(0.0)() : float32[]\n\
             %2 = add(%0, %1) : float32[3]\n\
             %3 = fill(1.0)() : float32[2, 3]\n\
             %4 = multiply(%2, %3) : float32[2, 3]\n\
             %5 = astype(%4) : int64[2, 3]\n\
             %6 = astype(%5) : float32[2, 3]\n\
             => simplify: unchanged\n"
        );
    }

    #[test]
    fn exact_float_identities_casts_and_where() {
        let mut t = T::default();
        let a = t.source(&[3], DType::F32);
        let c = t.source(&[3], DType::Bool);
        let wide = t.cast(a, DType::F64);
        let narrow = t.cast(wide, DType::F32); // f32 -> f64 -> f32 -> x
        let neg0 = t.scalar(Scalar::Float(-0.0), DType::F32);
        let p = t.bin(Add, narrow, neg0); // x + -0.0 -> x
        let pos0 = t.scalar(Scalar::Float(0.0), DType::F32);
        let m = t.bin(Sub, p, pos0); // x - 0.0 -> x
        let one = t.scalar(Scalar::Float(1.0), DType::F32);
        let d = t.bin(Div, m, one); // x / 1 -> x
        let w = t.where_(c, d, a); // where(c, x, x) -> x
        let same = t.cast(w, DType::F32); // astype(x, float32) -> x
        // Everything reduces to the source: the root is an output holding buf0's value.
        assert_eq!(
            show(&t, same),
            "%0 = source(buf0)() : float32[3]\n\
             %1 = source(buf1)() : bool[3]\n\
             %2 = astype(%0) : float64[3]\n\
             %3 = astype(%2) : float32[3]\n\
             %4 = fill(-0.0)() : float32[]\n\
             %5 = add(%3, %4) : float32[3]\n\
             %6 = fill(0.0)() : float32[]\n\
             %7 = subtract(%5, %6) : float32[3]\n\
             %8 = fill(1.0)() : float32[]\n\
             %9 = divide(%7, %8) : float32[3]\n\
             %10 = where(%1, %9, %0) : float32[3]\n\
             %11 = astype(%10) : float32[3]\n\
             => simplify\n\
             %3 -> %0\n\
             %5 -> %0\n\
             %7 -> %0\n\
             %9 -> %0\n\
             %10 -> %0\n\
             %11 -> %0\n\
             %0 = source(buf0)() : float32[3]\n"
        );
    }

    #[test]
    fn unit_constants_are_exact_only_where_numpy_agrees() {
        for d in ALL_DTYPES {
            let c = |v| Scalar::Float(v).cast(d);
            assert_eq!(one(d, c(1.0)), !d.is_complex(), "{d}");
            assert!(!add_zero(d, Scalar::Float(0.0).cast(d)) || !d.is_inexact(), "{d}: -0.0 + 0.0 is 0.0");
            assert!(!sub_zero(d, Scalar::Float(-0.0).cast(d)) || !d.is_inexact(), "{d}: -0.0 - -0.0 is 0.0");
            assert_eq!(real_one(d, c(1.0)), d.is_float(), "{d}");
            assert!(lossless(d, d), "{d}");
        }
        assert!(add_zero(DType::F64, Scalar::Float(-0.0)));
        assert!(add_zero(DType::Bool, Scalar::Bool(false)));
        assert!(lossless(DType::U32, DType::F64) && !lossless(DType::I64, DType::F64) && !lossless(DType::I32, DType::F32));
        assert!(lossless(DType::I8, DType::U8) && lossless(DType::U16, DType::I64) && !lossless(DType::I16, DType::I8));
        assert!(lossless(DType::F32, DType::C64) && !lossless(DType::F64, DType::C64) && !lossless(DType::F32, DType::I64));
        // The arithmetic behind the float rules.
        assert_eq!((-0.0f64 + 0.0).to_bits(), 0.0f64.to_bits());
        assert_eq!((-0.0f64 + -0.0).to_bits(), (-0.0f64).to_bits());
        assert_eq!((-0.0f64 - 0.0).to_bits(), (-0.0f64).to_bits());
        assert_eq!((-0.0f64 / 1.0).to_bits(), (-0.0f64).to_bits());
    }
}
