//! Reduction accumulators: the in-leaf fold and the pairwise combine the runtime applies to
//! partials share one element function per (op, dtype), so splitting leaves over calls, ranks or
//! threads cannot change a result.
//!
//! The fold order within a leaf is a function of the domain and the reduced axes only ([`order`]),
//! never of the call's box, the operands' layout, the leaf split or the JIT's blocks; the JIT
//! implements exactly the same order. A reduction runs in one of two modes:
//!
//! - **Mode T** (along t; one accumulator per kept point): the leaf's t range is cut into *runs*,
//!   the t with the same `t / E`, where `E` (`Order::run`) is the extent of the innermost reduced
//!   axis that is not 1. For float and complex sum, prod, max and min ([`by_lanes`]) a run of
//!   `n >= 8` values folds into 8 interleaved lanes: value `j` of the run (0-based) goes to lane
//!   `j % 8`, lane `l` starts from value `l` (no identity, so -0.0 and NaN behave as NumPy's) and
//!   folds the later ones in order; the run's total is
//!   `((l0 op l1) op (l2 op l3)) op ((l4 op l5) op (l6 op l7))`, and it is folded into the
//!   accumulator as one value (it *is* the accumulator when the run starts the leaf). Runs of
//!   fewer than 8 values (always the case when `E < 8`), and every other reduction (integers,
//!   bools, argmin/argmax), fold value by value into the accumulator in t order. The leaf's first
//!   value starts the accumulator.
//! - **Mode K** (along the kept points; one accumulator per kept point, visited once per t): every
//!   reduction folds value by value in t order, as above without lanes.
//!
//! Which mode a reduction runs in is part of the order, so it is chosen from the domain alone
//! ([`order`]): mode T when the innermost axis is reduced and at least 8 long, or the reduced axes
//! give the longer inner loop.

use super::math::cnan;
use super::values::{arith, malformed, ArithVisit, Col, Elem, PredVisit, C};
use ir::dtype::{DType, Kind};
use ir::op::{BinaryOp, ReduceOp};
use ir::scalar::Scalar;

/// The binary op a value reduction folds with. Arg reductions fold their values like min/max
/// (the winner's value is the extreme, NaN included), which keeps `combine` total.
fn fold_op(op: ReduceOp) -> BinaryOp {
    match op {
        ReduceOp::Sum => BinaryOp::Add,
        ReduceOp::Prod => BinaryOp::Mul,
        ReduceOp::Min | ReduceOp::ArgMin => BinaryOp::Min,
        ReduceOp::Max | ReduceOp::ArgMax => BinaryOp::Max,
        ReduceOp::Any => BinaryOp::LogicalOr,
        ReduceOp::All => BinaryOp::LogicalAnd,
    }
}

pub(crate) fn is_arg(op: ReduceOp) -> bool {
    matches!(op, ReduceOp::ArgMin | ReduceOp::ArgMax)
}

/// Whether mode T folds runs of `op` over values of `dtype` by 8 interleaved lanes (see the
/// module docs): float and complex sum, prod, max and min.
pub(crate) fn by_lanes(op: ReduceOp, dtype: DType) -> bool {
    matches!(op, ReduceOp::Sum | ReduceOp::Prod | ReduceOp::Max | ReduceOp::Min)
        && matches!(dtype.kind(), Kind::Float | Kind::Complex)
}

/// Lanes of the interleaved fold.
pub(crate) const LANES: usize = 8;

/// The fold order of a reduction over a domain (see the module docs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Order {
    /// Mode T (fold along t per kept point) or mode K (fold per kept point, t outermost).
    pub(crate) along_t: bool,
    /// Mode T's run length `E`: the extent of the innermost reduced axis of extent > 1, or 1.
    pub(crate) run: usize,
}

/// The fold order of a reduction with axes `reduced` over `domain`: a function of these alone, so
/// that every call, rank, thread and operand layout folds a leaf the same way.
///
/// The mode follows the inner loop each would run over a row-major layout (which is how the
/// operands of a reduction usually come): mode T when the innermost axis of extent > 1 is reduced
/// and has at least 8 elements (so a row-major layout is read row by row, and the runs fold by
/// lanes); otherwise the innermost group of adjacent axes of extent > 1 that are all reduced (at
/// most a leaf of them) against the innermost such group of kept axes, with a bias of 4 towards
/// the kind of the innermost axis, usually the contiguous one.
pub(crate) fn order(domain: &[usize], reduced: &[bool]) -> Order {
    debug_assert_eq!(domain.len(), reduced.len());
    // Axes of extent > 1, innermost first.
    let axes: Vec<usize> = (0..domain.len().min(reduced.len())).rev().filter(|&a| domain[a] != 1).collect();
    let run = axes.iter().find(|&&a| reduced[a]).map_or(1, |&a| domain[a]);
    let group = |red: bool| -> usize {
        let mut p = 1usize;
        let mut inside = false;
        for &a in &axes {
            if reduced[a] == red {
                p = p.saturating_mul(domain[a]);
                inside = true;
            } else if inside {
                break;
            }
        }
        p
    };
    let (len_t, len_k) = (group(true).min(ir::kernel::LEAF), group(false));
    let along_t = if axes.first().is_some_and(|&a| reduced[a]) {
        run >= LANES || len_t.saturating_mul(4) >= len_k
    } else {
        len_t >= len_k.saturating_mul(4)
    };
    Order { along_t, run }
}

/// "Candidate `b` (later in t) replaces the current winner `a`": strictly better only, so the
/// first occurrence wins ties; a NaN beats everything and, once held, nothing beats it (NumPy's
/// argmin/argmax).
fn arg_better<V: PredVisit>(op: ReduceOp, d: DType, v: V) -> V::Out {
    let max = op == ReduceOp::ArgMax;
    match (d.kind(), max) {
        (Kind::Bool, true) => v.visit(|a: bool, b: bool| b & !a),
        (Kind::Bool, false) => v.visit(|a: bool, b: bool| a & !b),
        (Kind::Int, true) => v.visit(|a: i64, b: i64| b > a),
        (Kind::Int, false) => v.visit(|a: i64, b: i64| b < a),
        (Kind::UInt, true) => v.visit(|a: u64, b: u64| b > a),
        (Kind::UInt, false) => v.visit(|a: u64, b: u64| b < a),
        (Kind::Float, true) => v.visit(|a: f64, b: f64| !a.is_nan() && (b.is_nan() || b > a)),
        (Kind::Float, false) => v.visit(|a: f64, b: f64| !a.is_nan() && (b.is_nan() || b < a)),
        // NumPy's complex argmax: plain lexicographic order, NaN in either part is extreme.
        (Kind::Complex, true) => {
            v.visit(|a: C, b: C| !cnan(a) && (cnan(b) || b.re > a.re || (b.re == a.re && b.im > a.im)))
        }
        (Kind::Complex, false) => {
            v.visit(|a: C, b: C| !cnan(a) && (cnan(b) || b.re < a.re || (b.re == a.re && b.im < a.im)))
        }
    }
}

/// Combines two partials of a value reduction (`a` covers earlier t than `b`) exactly as the
/// fold within a leaf does. `dtype` is the accumulator dtype (the reduced value's).
pub fn combine(op: ReduceOp, dtype: DType, a: Scalar, b: Scalar) -> Scalar {
    struct Pair(Scalar, Scalar);
    impl ArithVisit for Pair {
        type Out = Scalar;
        fn visit<T: Elem>(self, f: impl Fn(T, T) -> T) -> Scalar {
            f(T::of_scalar(self.0), T::of_scalar(self.1)).to_scalar()
        }
    }
    let d = if matches!(op, ReduceOp::Any | ReduceOp::All) { DType::Bool } else { dtype };
    arith(fold_op(op), d, Pair(a.cast(d), b.cast(d)))
}

/// Combines two argmin/argmax partials (value, t); `a` covers earlier t than `b`, so it wins
/// ties.
pub fn combine_arg(op: ReduceOp, dtype: DType, a: (Scalar, u64), b: (Scalar, u64)) -> (Scalar, u64) {
    struct Pair(Scalar, Scalar);
    impl PredVisit for Pair {
        type Out = bool;
        fn visit<T: Elem>(self, f: impl Fn(T, T) -> bool) -> bool {
            f(T::of_scalar(self.0), T::of_scalar(self.1))
        }
    }
    let (va, vb) = (a.0.cast(dtype), b.0.cast(dtype));
    if arg_better(op, dtype, Pair(va, vb)) {
        (vb, b.1)
    } else {
        (va, a.1)
    }
}

/// Running partials for some kept coordinates of one leaf.
pub(crate) struct Acc {
    op: ReduceOp,
    dtype: DType,
    pub(crate) vals: Col,
    /// Winning t per entry (arg reductions only).
    pub(crate) ts: Vec<u64>,
    /// The lanes of mode T's current run (`by_lanes` reductions).
    lanes: Col,
}

impl Acc {
    pub(crate) fn new(op: ReduceOp, dtype: DType, len: usize) -> Acc {
        let d = if matches!(op, ReduceOp::Any | ReduceOp::All) { DType::Bool } else { dtype };
        if d != dtype {
            malformed(format_args!("{} reduces bool values, not {dtype}", op.name()));
        }
        let ts = if is_arg(op) { vec![0; len] } else { Vec::new() };
        let lanes = Col::zeroed(dtype.kind(), if by_lanes(op, dtype) { LANES } else { 0 });
        Acc { op, dtype, vals: Col::zeroed(dtype.kind(), len), ts, lanes }
    }

    /// Mode T of a `by_lanes` reduction: folds `vals` (consecutive t from `t0`, within the leaf
    /// `t_lo..t_hi`) into entry 0 by runs of `run` (see the module docs). Consecutive calls must
    /// continue where the previous one stopped, from the leaf's start.
    pub(crate) fn fold_runs(&mut self, vals: &Col, t0: usize, (t_lo, t_hi): (usize, usize), run: usize) {
        debug_assert!(by_lanes(self.op, self.dtype) && run >= 1);
        let v = Runs { acc: &mut self.vals, lanes: &mut self.lanes, vals, t0, t_lo, t_hi, run };
        arith(fold_op(self.op), self.dtype, v)
    }

    /// Folds `vals` (consecutive t from `t0`) in order into entry `idx`; `init` starts the entry
    /// from `vals[0]` (a leaf's first element, so no identity is needed and -0.0 / NaN survive).
    pub(crate) fn fold_seq(&mut self, idx: usize, vals: &Col, t0: u64, init: bool) {
        if is_arg(self.op) {
            arg_better(self.op, self.dtype, SeqArg { acc: &mut self.vals, ts: &mut self.ts, idx, vals, t0, init })
        } else {
            arith(fold_op(self.op), self.dtype, Seq { acc: &mut self.vals, idx, vals, init })
        }
    }

    /// Folds `vals[i]` (all at the same `t`) into entry `start + i`.
    pub(crate) fn fold_cols(&mut self, start: usize, vals: &Col, t: u64, init: bool) {
        if is_arg(self.op) {
            arg_better(self.op, self.dtype, ColsArg { acc: &mut self.vals, ts: &mut self.ts, start, vals, t, init })
        } else {
            arith(fold_op(self.op), self.dtype, Cols { acc: &mut self.vals, start, vals, init })
        }
    }
}

struct Seq<'a> {
    acc: &'a mut Col,
    idx: usize,
    vals: &'a Col,
    init: bool,
}

impl ArithVisit for Seq<'_> {
    type Out = ();
    fn visit<T: Elem>(self, f: impl Fn(T, T) -> T) {
        let vals = T::slice(self.vals);
        let acc = &mut T::slice_mut(self.acc)[self.idx];
        let (first, rest) = match (self.init, vals.split_first()) {
            (true, Some((&v, rest))) => (v, rest),
            (true, None) => return,
            (false, _) => (*acc, vals),
        };
        *acc = rest.iter().fold(first, |x, &v| f(x, v));
    }
}

struct Runs<'a> {
    acc: &'a mut Col,
    lanes: &'a mut Col,
    vals: &'a Col,
    t0: usize,
    t_lo: usize,
    t_hi: usize,
    run: usize,
}

impl ArithVisit for Runs<'_> {
    type Out = ();
    fn visit<T: Elem>(self, f: impl Fn(T, T) -> T) {
        let vals = T::slice(self.vals);
        let acc = &mut T::slice_mut(self.acc)[0];
        let lanes = T::slice_mut(self.lanes);
        let end = self.t0 + vals.len();
        let mut t = self.t0;
        while t < end {
            // The run containing t, and the part of it in this strip.
            let q = t - t % self.run;
            let (a, b) = (q.max(self.t_lo), (q + self.run).min(self.t_hi));
            let stop = b.min(end);
            let part = &vals[t - self.t0..stop - self.t0];
            if b - a >= LANES {
                for (p, &v) in (t - a..).zip(part) {
                    let l = &mut lanes[p % LANES];
                    *l = if p < LANES { v } else { f(*l, v) };
                }
                if stop == b {
                    let l = &*lanes;
                    let total = f(f(f(l[0], l[1]), f(l[2], l[3])), f(f(l[4], l[5]), f(l[6], l[7])));
                    *acc = if a == self.t_lo { total } else { f(*acc, total) };
                }
            } else {
                for (u, &v) in (t..).zip(part) {
                    *acc = if u == self.t_lo { v } else { f(*acc, v) };
                }
            }
            t = stop;
        }
    }
}

struct Cols<'a> {
    acc: &'a mut Col,
    start: usize,
    vals: &'a Col,
    init: bool,
}

impl ArithVisit for Cols<'_> {
    type Out = ();
    fn visit<T: Elem>(self, f: impl Fn(T, T) -> T) {
        let vals = T::slice(self.vals);
        let acc = &mut T::slice_mut(self.acc)[self.start..self.start + vals.len()];
        if self.init {
            acc.copy_from_slice(vals);
        } else {
            for (a, &v) in acc.iter_mut().zip(vals) {
                *a = f(*a, v);
            }
        }
    }
}

struct SeqArg<'a> {
    acc: &'a mut Col,
    ts: &'a mut [u64],
    idx: usize,
    vals: &'a Col,
    t0: u64,
    init: bool,
}

impl PredVisit for SeqArg<'_> {
    type Out = ();
    fn visit<T: Elem>(self, better: impl Fn(T, T) -> bool) {
        let vals = T::slice(self.vals);
        let acc = &mut T::slice_mut(self.acc)[self.idx];
        let (mut best, mut bt, skip) = if self.init {
            match vals.first() {
                Some(&v) => (v, self.t0, 1),
                None => return,
            }
        } else {
            (*acc, self.ts[self.idx], 0)
        };
        for (i, &v) in vals.iter().enumerate().skip(skip) {
            if better(best, v) {
                best = v;
                bt = self.t0 + i as u64;
            }
        }
        *acc = best;
        self.ts[self.idx] = bt;
    }
}

struct ColsArg<'a> {
    acc: &'a mut Col,
    ts: &'a mut [u64],
    start: usize,
    vals: &'a Col,
    t: u64,
    init: bool,
}

impl PredVisit for ColsArg<'_> {
    type Out = ();
    fn visit<T: Elem>(self, better: impl Fn(T, T) -> bool) {
        let vals = T::slice(self.vals);
        let range = self.start..self.start + vals.len();
        let acc = &mut T::slice_mut(self.acc)[range.clone()];
        let ts = &mut self.ts[range];
        for ((a, t), &v) in acc.iter_mut().zip(ts).zip(vals) {
            if self.init || better(*a, v) {
                *a = v;
                *t = self.t;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn combine_matches_numpy_semantics() {
        use ReduceOp::*;
        assert_eq!(combine(Sum, DType::I8, Scalar::Int(100), Scalar::Int(100)), Scalar::Int(-56));
        assert_eq!(combine(Prod, DType::U8, Scalar::UInt(16), Scalar::UInt(17)), Scalar::UInt(16));
        assert_eq!(combine(Sum, DType::F32, Scalar::Float(1.0), Scalar::Float(1e-8)), Scalar::Float(1.0));
        assert!(
            matches!(combine(Max, DType::F64, Scalar::Float(f64::NAN), Scalar::Float(1.0)), Scalar::Float(x) if x.is_nan())
        );
        assert!(
            matches!(combine(Min, DType::F64, Scalar::Float(1.0), Scalar::Float(f64::NAN)), Scalar::Float(x) if x.is_nan())
        );
        assert_eq!(combine(Any, DType::Bool, Scalar::Bool(false), Scalar::Bool(true)), Scalar::Bool(true));
        assert_eq!(combine(All, DType::Bool, Scalar::Bool(false), Scalar::Bool(true)), Scalar::Bool(false));
        assert_eq!(
            combine(Sum, DType::C128, Scalar::Complex(1.0, 2.0), Scalar::Complex(3.0, -1.0)),
            Scalar::Complex(4.0, 1.0)
        );
    }

    #[test]
    fn combine_arg_first_wins_and_nan_sticks() {
        use ReduceOp::*;
        let f = Scalar::Float;
        let nan = f64::NAN;
        assert_eq!(combine_arg(ArgMax, DType::F64, (f(3.0), 1), (f(3.0), 5)), (f(3.0), 1));
        assert_eq!(combine_arg(ArgMax, DType::F64, (f(3.0), 1), (f(4.0), 5)), (f(4.0), 5));
        assert_eq!(combine_arg(ArgMin, DType::F64, (f(3.0), 1), (f(4.0), 5)), (f(3.0), 1));
        assert_eq!(combine_arg(ArgMax, DType::F64, (f(1.0), 0), (f(nan), 2)).1, 2);
        assert_eq!(combine_arg(ArgMin, DType::F64, (f(nan), 4), (f(nan), 9)).1, 4);
        assert_eq!(combine_arg(ArgMin, DType::F64, (f(nan), 4), (f(-1e300), 9)).1, 4);
        assert_eq!(combine_arg(ArgMax, DType::Bool, (Scalar::Bool(true), 0), (Scalar::Bool(true), 1)).1, 0);
        assert_eq!(combine_arg(ArgMin, DType::I64, (Scalar::Int(2), 0), (Scalar::Int(-2), 1)).1, 1);
        let c = Scalar::Complex;
        assert_eq!(combine_arg(ArgMax, DType::C128, (c(1.0, 2.0), 0), (c(1.0, 3.0), 1)).1, 1);
        assert_eq!(combine_arg(ArgMax, DType::C128, (c(1.0, 2.0), 0), (c(0.0, nan), 1)).1, 1);
    }
}
