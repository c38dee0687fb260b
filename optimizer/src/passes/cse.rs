//! Common subexpression elimination: a live node that is structurally equal to an older one
//! (same op with bit-identical parameters, same inputs after rewriting, same shape and dtype) is
//! rewritten to the older one, so `(a+b)*(a+b)` computes `a+b` once. Constants merge as well
//! (`fill(2.0)` twice), but `fill(0.0)` and `fill(-0.0)` stay apart.
//!
//! Writes are never merged (each is its own version of a base and may run in place); sources
//! are not pending. Random nodes merge only when dist, seed, draw and range are all equal, which
//! means they draw the same numbers. One ascending sweep is a fixpoint; idempotent.

use super::simplify::same_scalar;
use super::{Rewrite, Subgraph};
use ir::{DType, NodeId, Op};
use std::collections::BTreeMap;

/// Equal ops, comparing floating-point parameters bit for bit.
fn same_op(a: &Op, b: &Op) -> bool {
    match (a, b) {
        (Op::Source(_) | Op::Write(_), _) | (_, Op::Source(_) | Op::Write(_)) => false,
        (Op::Fill(x), Op::Fill(y)) => same_scalar(*x, *y),
        (Op::Arange { start: s1, step: t1 }, Op::Arange { start: s2, step: t2 }) => same_scalar(*s1, *s2) && same_scalar(*t1, *t2),
        (Op::Linspace { start: a1, stop: b1, num: n1, endpoint: e1 }, Op::Linspace { start: a2, stop: b2, num: n2, endpoint: e2 }) => {
            a1.to_bits() == a2.to_bits() && b1.to_bits() == b2.to_bits() && n1 == n2 && e1 == e2
        }
        _ => a == b,
    }
}

/// Candidates for equality: (op name, inputs, shape, dtype); `same_op` settles what the name
/// rounds (float parameters).
type Key = (String, Vec<NodeId>, Vec<usize>, DType);

/// Rewrites each live node to the first live node it is structurally equal to.
pub fn run(sub: &Subgraph) -> Rewrite {
    let mut new = Rewrite::new();
    let mut seen: BTreeMap<Key, Vec<NodeId>> = BTreeMap::new();
    for &n in &sub.live {
        let node = sub.g.node(n);
        if matches!(node.op, Op::Source(_) | Op::Write(_)) {
            continue;
        }
        let inputs: Vec<NodeId> = node.inputs.iter().map(|&i| sub.resolve_with(&new, i)).collect();
        let group = seen.entry((node.op.name(), inputs, node.shape.clone(), node.dtype)).or_default();
        match group.iter().find(|&&m| same_op(&sub.g.node(m).op, &node.op)) {
            Some(&m) => {
                new.insert(n, m);
            }
            None => group.push(n),
        }
    }
    new
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;
    use ir::op::{BinaryOp, UnaryOp};
    use ir::view::ViewSpec;
    use ir::Scalar;

    fn show(t: &T, root: NodeId) -> String {
        super::super::testing::show("cse", run, &t.g, &[root])
    }

    #[test]
    fn equal_subexpressions_and_constants_become_one_node() {
        let mut t = T::default();
        let (a, b) = (t.source(&[3], DType::F64), t.source(&[3], DType::F64));
        let two1 = t.scalar(Scalar::Float(2.0), DType::F64);
        let x1 = t.bin(BinaryOp::Add, a, b);
        let y1 = t.bin(BinaryOp::Mul, x1, two1);
        let two2 = t.scalar(Scalar::Float(2.0), DType::F64);
        let x2 = t.bin(BinaryOp::Add, a, b);
        let y2 = t.bin(BinaryOp::Mul, x2, two2);
        let s = t.bin(BinaryOp::Sub, y1, y2);
        assert_eq!(
            show(&t, s),
            "%0 = source(buf0)() : float64[3]\n\
             %1 = source(buf1)() : float64[3]\n\
             %2 = fill(2.0)() : float64[]\n\
             %3 = add(%0, %1) : float64[3]\n\
             %4 = multiply(%3, %2) : float64[3]\n\
             %5 = fill(2.0)() : float64[]\n\
             %6 = add(%0, %1) : float64[3]\n\
             %7 = multiply(%6, %5) : float64[3]\n\
             %8 = subtract(%4, %7) : float64[3]\n\
             => cse\n\
             %5 -> %2\n\
             %6 -> %3\n\
             %7 -> %4\n\
             %0 = source(buf0)() : float64[3]\n\
             %1 = source(buf1)() : float64[3]\n\
             %2 = fill(2.0)() : float64[]\n\
             %3 = add(%0, %1) : float64[3]\n\
             %4 = multiply(%3, %2) : float64[3]\n\
             %8 = subtract(%4, %4) : float64[3]\n"
        );
    }

    #[test]
    fn signed_zeros_operand_order_shapes_and_writes_stay_apart() {
        let mut t = T::default();
        let (a, b) = (t.source(&[3], DType::F64), t.source(&[3], DType::F64));
        let z = t.scalar(Scalar::Float(0.0), DType::F64);
        let nz = t.scalar(Scalar::Float(-0.0), DType::F64);
        let p = t.bin(BinaryOp::Add, a, z);
        let q = t.bin(BinaryOp::Add, a, nz);
        let ab = t.bin(BinaryOp::Sub, a, b);
        let ba = t.bin(BinaryOp::Sub, b, a);
        let e1 = t.un(UnaryOp::Exp, a);
        let e2 = t.add(Op::Unary(UnaryOp::Exp), vec![a], &[1, 3], DType::F64);
        let region = ViewSpec::identity(&[3]);
        let w1 = t.add(Op::Write(region.clone()), vec![a, p], &[3], DType::F64);
        let w2 = t.add(Op::Write(region), vec![a, p], &[3], DType::F64);
        let mut s = t.bin(BinaryOp::Add, p, q);
        for x in [ab, ba, e1, e2, w1, w2] {
            s = t.bin(BinaryOp::Add, s, x);
        }
        assert_eq!(
            show(&t, s),
            "%0 = source(buf0)() : float64[3]\n\
             %1 = source(buf1)() : float64[3]\n\
             %2 = fill(0.0)() : float64[]\n\
             %3 = fill(-0.0)() : float64[]\n\
             %4 = add(%0, %2) : float64[3]\n\
             %5 = add(%0, %3) : float64[3]\n\
             %6 = subtract(%0, %1) : float64[3]\n\
             %7 = subtract(%1, %0) : float64[3]\n\
             %8 = exp(%0) : float64[3]\n\
             %9 = exp(%0) : float64[1, 3]\n\
             %10 = write(offset=0, shape=[3], strides=[1])(%0, %4) : float64[3]\n\
             %11 = write(offset=0, shape=[3], strides=[1])(%0, %4) : float64[3]\n\
             %12 = add(%4, %5) : float64[3]\n\
             %13 = add(%12, %6) : float64[3]\n\
             %14 = add(%13, %7) : float64[3]\n\
             %15 = add(%14, %8) : float64[3]\n\
             %16 = add(%15, %9) : float64[1, 3]\n\
             %17 = add(%16, %10) : float64[1, 3]\n\
             %18 = add(%17, %11) : float64[1, 3]\n\
             => cse: unchanged\n"
        );
    }
}
