//! What the JIT needs to know about a kernel before emitting it: whether it supports it at all
//! (every live instruction well formed and of an (op, dtype) loop the interpreter has), which
//! instructions are live, and where each runtime value lives in the call frame.
//!
//! Anything rejected here runs in the interpreter, which is the specification: a kernel the JIT
//! declines is never run with different results, only more slowly (or, if malformed, panics in
//! the interpreter exactly as it would without the JIT).

use ir::dtype::{DType, Kind};
use ir::kernel::{InstrOp, Kernel};
use ir::op::{BinaryOp, RandomDist, ReduceOp, UnaryOp};

/// Frame slots (i64 each) shared by every kernel; operand, linear, param and random slots follow.
pub(crate) const F_MODE: usize = 0;
pub(crate) const F_M: usize = 1;
pub(crate) const F_N: usize = 2;
pub(crate) const F_INIT: usize = 3;
pub(crate) const F_T0: usize = 4;
pub(crate) const F_ACC: usize = 5;
pub(crate) const F_ACCT: usize = 6;
pub(crate) const F_VEC: usize = 7;
/// Mode T of a `by_lanes` reduction: the run length E (>= 8) when runs fold by lanes, else 0.
pub(crate) const F_RUN: usize = 8;
/// Mode T: the partials' entry and t steps per outer step (1 and 0 for a block of kept points,
/// the kept box's size and LEAF for a block of leaves of one kept point).
pub(crate) const F_ASTEP: usize = 9;
pub(crate) const F_TSTEP: usize = 10;
pub(crate) const F_OPS: usize = 11;

/// Kernels longer than this are left to the interpreter: compile time grows with the body and a
/// huge body is usually a one-off.
pub(crate) const MAX_BODY: usize = 20_000;

#[derive(Debug, Clone)]
pub(crate) struct Plan {
    pub live: Vec<bool>,
    /// Frame slot of each Linear (3 slots: base, outer, inner), Param (2 slots: the value cast to
    /// the instruction's dtype) and Random (3 slots: seed, draw, range) instruction.
    pub slot: Vec<usize>,
    pub linears: Vec<u32>,
    pub params: Vec<u32>,
    pub randoms: Vec<u32>,
    pub frame_len: usize,
    /// Whether the contiguous vector fast path is emitted: for the elementwise loop, for a
    /// reduction's mode 1 (one accumulator per kept point, so folding a vector of kept points
    /// at a time changes nothing), and for mode T of float reductions folded by lanes (a vector
    /// holds consecutive lanes).
    pub simd: bool,
    /// How float transcendentals run by strips (`strips`); None when the kernel has none, or
    /// they run one element per call.
    pub strips: Option<super::strips::Strips>,
}

impl Plan {
    pub(crate) fn op_slot(k: usize) -> usize {
        F_OPS + 3 * k
    }
}

pub(crate) fn operands(op: &InstrOp) -> Vec<u32> {
    match *op {
        InstrOp::Load(_) | InstrOp::Param(_) | InstrOp::Linear(_) => vec![],
        InstrOp::Unary(_, a) | InstrOp::Cast(a) => vec![a],
        InstrOp::Binary(_, a, b) => vec![a, b],
        InstrOp::Select(c, a, b) => vec![c, a, b],
        InstrOp::Random { index, .. } => vec![index],
    }
}

pub(crate) fn is_comparison(op: BinaryOp) -> bool {
    use BinaryOp::*;
    matches!(op, Eq | Ne | Lt | Le | Gt | Ge)
}

/// Whether the interpreter has an element loop for non-comparison `op` at kind `k`.
pub(crate) fn arith_supported(op: BinaryOp, k: Kind) -> bool {
    use BinaryOp::*;
    if ufunc_arith_supported(op, k) {
        return true;
    }
    match k {
        Kind::Bool => matches!(
            op,
            Add | Max | BitOr | LogicalOr | Mul | Min | BitAnd | LogicalAnd | FloorDiv | Sub | BitXor | LogicalXor | Mod | Pow
        ),
        Kind::Int | Kind::UInt => {
            matches!(op, Add | Sub | Mul | FloorDiv | Mod | Pow | Max | Min | BitAnd | BitOr | BitXor | Fmod | Shl | Shr)
        }
        Kind::Float => matches!(
            op,
            Add | Sub | Mul | Div | FloorDiv | Mod | Pow | Max | Min | Fmod | Arctan2 | Hypot | Copysign | Logaddexp | Logaddexp2
        ),
        Kind::Complex => matches!(op, Add | Sub | Mul | Div | Pow | Max | Min),
    }
}

/// `arith_supported` for the ufuncs with IR ops of their own (ldexp, whose operands differ in
/// dtype, is checked apart).
fn ufunc_arith_supported(op: BinaryOp, k: Kind) -> bool {
    use BinaryOp::*;
    match k {
        Kind::Bool | Kind::Complex => matches!(op, Fmax | Fmin),
        Kind::Int | Kind::UInt => matches!(op, Fmax | Fmin | Gcd | Lcm),
        Kind::Float => matches!(op, Fmax | Fmin | Nextafter | Heaviside),
    }
}

/// `unary_kind` of spacing, frexp and bitwise_count (None for the other ops).
fn ufunc_unary_kind(op: UnaryOp, k: Kind) -> Option<Option<Kind>> {
    use UnaryOp::*;
    Some(match (op, k) {
        (Spacing | FrexpMantissa, Kind::Float | Kind::Bool | Kind::Int | Kind::UInt) => Some(Kind::Float),
        (FrexpExponent, Kind::Float | Kind::Bool | Kind::Int | Kind::UInt) => Some(Kind::Int),
        (BitwiseCount, Kind::Bool | Kind::Int | Kind::UInt) => Some(Kind::UInt),
        (Spacing | FrexpMantissa | FrexpExponent | BitwiseCount, _) => None,
        _ => return None,
    })
}

/// The kind of the interpreter's result column for `op` on a value of kind `k`, or None where it
/// has no loop.
pub(crate) fn unary_kind(op: UnaryOp, k: Kind) -> Option<Kind> {
    use UnaryOp::*;
    if let Some(r) = ufunc_unary_kind(op, k) {
        return r;
    }
    Some(match (op, k) {
        (Neg | Abs, Kind::Bool) => Kind::Bool,
        (Neg, k) => k,
        (Abs, Kind::Complex) => Kind::Float,
        (Abs, k) => k,
        (_, Kind::Complex) if crate::complex_math::function(op, false).is_some() => Kind::Complex,
        (Sqrt | Exp | Log | Sin | Cos | Tanh, _) => Kind::Float,
        (Invert, Kind::Bool | Kind::Int | Kind::UInt) => k,
        (Invert, _) => return None,
        (LogicalNot, _) => Kind::Bool,
        (Floor | Ceil | Trunc, Kind::Complex) => return None,
        (Floor | Ceil | Trunc, k) => k,
        (Rint, Kind::Complex) => Kind::Complex,
        (Rint, _) => Kind::Float,
        (Sign, Kind::Bool) => return None,
        (Sign, k) => k,
        (Conj, Kind::Complex) => Kind::Complex,
        (Imag, Kind::Complex) => Kind::Float,
        (Conj | Imag, _) => return None,
        (_, Kind::Complex) => return None,
        (_, _) => Kind::Float,
    })
}

pub(crate) fn fold_op(op: ReduceOp) -> BinaryOp {
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

/// Checks one live instruction against the interpreter's loops; Err names what is unsupported.
fn check(k: &Kernel, j: usize) -> Result<(), String> {
    let ins = &k.body[j];
    let d = ins.dtype;
    let dt = |a: u32| k.body[a as usize].dtype;
    match &ins.op {
        &InstrOp::Load(i) => {
            if k.inputs.get(i as usize) != Some(&d) {
                return Err(format!("v{j}: load of in{i} as {d}"));
            }
        }
        InstrOp::Param(_) | InstrOp::Cast(_) => {}
        InstrOp::Linear(terms) => {
            if d.kind() != Kind::Int || terms.iter().any(|&(a, _)| a as usize >= k.ndim) {
                return Err(format!("v{j}: malformed linear"));
            }
        }
        &InstrOp::Unary(op, a) => {
            let da = dt(a);
            let rk = unary_kind(op, da.kind()).ok_or_else(|| format!("v{j}: {op:?} of {da}"))?;
            if rk != d.kind() {
                return Err(format!("v{j}: {op:?} of {da} gives {d}"));
            }
            // Negation and absolute value of a float do not round to the result dtype.
            use UnaryOp::*;
            // The rounding functions, sign and the complex parts give exactly their dtype.
            if matches!(op, Floor | Ceil | Trunc | Rint | Sign | Conj | Imag) && op.result_dtype(da).ok() != Some(d) {
                return Err(format!("v{j}: {op:?} of {da} gives {d}"));
            }
            if matches!(op, Neg | Abs) && da.kind() == Kind::Float && d != da {
                return Err(format!("v{j}: {op:?} of {da} gives {d}"));
            }
            // Spacing, frexp and bitwise_count give exactly their dtype too.
            if matches!(op, Spacing | FrexpMantissa | FrexpExponent | BitwiseCount) && op.result_dtype(da).ok() != Some(d) {
                return Err(format!("v{j}: {op:?} of {da} gives {d}"));
            }
        }
        &InstrOp::Binary(BinaryOp::Ldexp, a, b) => {
            let (da, db) = (dt(a), dt(b));
            if !da.is_float() || db != DType::I64 || d != da {
                return Err(format!("v{j}: ldexp of {da} and {db} gives {d}"));
            }
        }
        &InstrOp::Binary(op, a, b) => {
            let (da, db) = (dt(a), dt(b));
            if da != db {
                return Err(format!("v{j}: {op:?} of {da} and {db}"));
            }
            if is_comparison(op) {
                if d != DType::Bool {
                    return Err(format!("v{j}: comparison gives {d}"));
                }
            } else if d != da || !arith_supported(op, da.kind()) {
                return Err(format!("v{j}: {op:?} of {da} gives {d}"));
            }
        }
        &InstrOp::Select(c, a, b) => {
            if dt(c) != DType::Bool || dt(a) != d || dt(b) != d {
                return Err(format!("v{j}: malformed select"));
            }
        }
        &InstrOp::Random { dist, index, .. } => {
            let ok = matches!(
                (dist, d.kind()),
                (RandomDist::Uniform01 | RandomDist::Normal, Kind::Float) | (RandomDist::Bounded, Kind::UInt | Kind::Int)
            );
            if !ok || dt(index).kind() != Kind::Int {
                return Err(format!("v{j}: {dist:?} draws into {d}"));
            }
        }
    }
    Ok(())
}

/// The plan of a kernel the JIT supports, or why it does not.
pub(crate) fn plan(k: &Kernel) -> Result<Plan, String> {
    let m = k.body.len();
    if m > MAX_BODY {
        return Err(format!("{m} instructions"));
    }
    for (j, ins) in k.body.iter().enumerate() {
        if operands(&ins.op).iter().any(|&a| a as usize >= j) {
            return Err(format!("v{j} uses a later value"));
        }
    }
    let mut roots: Vec<usize> = k.outputs.iter().map(|&o| o as usize).collect();
    if let Some(r) = &k.reduction {
        roots.push(r.value as usize);
        if r.reduced.len() != k.ndim {
            return Err("reduced axes".into());
        }
        let vd = k.body.get(r.value as usize).map(|i| i.dtype);
        if matches!(r.op, ReduceOp::Any | ReduceOp::All) && vd != Some(DType::Bool) {
            return Err(format!("{} of {vd:?}", r.op.name()));
        }
    }
    if roots.iter().any(|&r| r >= m) {
        return Err("output out of range".into());
    }
    let mut live = vec![false; m];
    for &r in &roots {
        live[r] = true;
    }
    for j in (0..m).rev() {
        if live[j] {
            for a in operands(&k.body[j].op) {
                live[a as usize] = true;
            }
        }
    }
    let (mut linears, mut params, mut randoms) = (vec![], vec![], vec![]);
    for j in (0..m).filter(|&j| live[j]) {
        check(k, j)?;
        match k.body[j].op {
            InstrOp::Linear(_) => linears.push(j as u32),
            InstrOp::Param(_) => params.push(j as u32),
            InstrOp::Random { .. } => randoms.push(j as u32),
            _ => {}
        }
    }
    // Linear instructions move with the operands (`drive` treats them alike), so their slots
    // follow the operands'; params and random draws come after.
    let mut slot = vec![usize::MAX; m];
    let nops = k.inputs.len() + k.outputs.len();
    for (q, &j) in linears.iter().enumerate() {
        slot[j as usize] = Plan::op_slot(nops + q);
    }
    let mut next = Plan::op_slot(nops + linears.len());
    for &j in &params {
        slot[j as usize] = next;
        next += 2;
    }
    for &j in &randoms {
        slot[j as usize] = next;
        next += 3;
    }
    let simd = super::vector::supported(k, &live);
    let strips = super::strips::schedule(k, &live);
    Ok(Plan { live, slot, linears, params, randoms, frame_len: next, simd, strips })
}
