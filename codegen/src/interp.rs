//! The reference interpreter of the kernel IR.
//!
//! A call is evaluated strip by strip: up to 256 points of the box are gathered (their
//! global coordinates, one column per varying axis) and every live instruction is evaluated over
//! the whole strip into a typed column, so the per-op dispatch is paid once per strip, not once
//! per element. Columns live in slots reused once their last user has run, which keeps long
//! bodies in cache.

pub(crate) mod math;
mod memory;
mod reduce;
pub(crate) mod ufunc_math;
mod values;

#[cfg(test)]
mod tests;

pub use reduce::{combine, combine_arg};
pub(crate) use reduce::{by_lanes, order, LANES};
pub(crate) use values::C;

use ir::dtype::{DType, Kind};
use ir::kernel::{Call, InstrOp, Kernel, KernelReduction, LEAF};
use ir::op::RandomDist;
use ir::philox;
use ir::scalar::{wrap_signed, wrap_unsigned};
use memory::{load, offsets, store, Points, Walk};
use reduce::Acc;
use std::ops::Range;
use values::{binary, cast, fill, malformed, map1, round_f, select, unary, Col, Elem, STRIP};

/// Runs `call` of `kernel`; see `ir::kernel` for the calling convention.
///
/// Elementwise kernels store each output at every coordinate of the box. Reduction kernels write
/// the partials of leaves `call.leaves` for the kept coordinates of the box; their outputs, if
/// any, are stored at every coordinate a call visits.
///
/// # Safety
/// Every operand's pointer, offset and strides must address valid memory of the operand's dtype
/// for every coordinate of the call's box (for a reduction: every kept coordinate of the box with
/// every reduced coordinate of the called leaves), and the partials must have room for
/// `(leaf_hi - leaf_lo) * kept-box` elements of the reduced value's dtype (and as many u64 for
/// argmin/argmax).
pub unsafe fn run(kernel: &Kernel, call: &Call) {
    let ndim = kernel.ndim;
    debug_assert_eq!(call.domain.len(), ndim);
    debug_assert!(call.lo.len() == ndim && call.hi.len() == ndim);
    debug_assert_eq!(call.inputs.len(), kernel.inputs.len());
    debug_assert_eq!(call.outputs.len(), kernel.outputs.len());
    debug_assert!(call.params.len() >= kernel.params.len());
    debug_assert!(call.inputs.iter().chain(call.outputs).all(|o| o.strides.len() == ndim));
    let mut m = Machine::new(kernel, call);
    // SAFETY: forwarded from the caller.
    unsafe {
        match &kernel.reduction {
            None => elementwise(&mut m, call),
            Some(r) => reduction(&mut m, r, call),
        }
    }
}

unsafe fn elementwise(m: &mut Machine, call: &Call) {
    let ndim = m.kernel.ndim;
    let mut walk = Walk::new((0..ndim).collect(), &call.lo, &call.hi);
    let total = walk.len();
    let mut pts = Points::new(ndim, vec![true; ndim]);
    let mut done = 0;
    while done < total {
        let n = STRIP.min(total - done);
        walk.fill(n, &mut pts);
        m.eval(&pts);
        // SAFETY: every point is in the box.
        unsafe { m.store_outputs(&pts) };
        done += n;
    }
}

unsafe fn reduction(m: &mut Machine, r: &KernelReduction, call: &Call) {
    let ndim = m.kernel.ndim;
    assert_eq!(r.reduced.len(), ndim, "malformed kernel: reduced axes");
    let kept_axes: Vec<usize> = (0..ndim).filter(|&d| !r.reduced[d]).collect();
    let red_axes: Vec<usize> = (0..ndim).filter(|&d| r.reduced[d]).collect();
    let mut kept = Walk::new(kept_axes, &call.lo, &call.hi);
    let mut red = Walk::new(red_axes, &vec![0; ndim], call.domain);
    let (kn, rn) = (kept.len(), red.len());
    let (leaf_lo, leaf_hi) = call.leaves;
    if kn == 0 || rn == 0 || leaf_lo >= leaf_hi {
        return;
    }
    debug_assert!(leaf_hi <= rn.div_ceil(LEAF), "leaves {leaf_lo}..{leaf_hi} of {rn} elements");
    let (pv, pt) = call.partials.expect("a reduction call needs partials");
    let pt = if reduce::is_arg(r.op) { Some(pt.expect("argmin/argmax need a t buffer")) } else { None };
    let value = r.value as usize;
    let vd = m.kernel.body[value].dtype;

    // Strips run along t (for each kept point: mode T) or along the kept box (for each t: mode
    // K), as the fold order says; mode T folds float runs by lanes (see `reduce`).
    let ord = order(call.domain, &r.reduced);
    let along_t = ord.along_t;
    let runs = by_lanes(r.op, vd) && ord.run >= reduce::LANES;
    let mut pts = Points::new(ndim, r.reduced.iter().map(|&red| red == along_t).collect());
    let mut acc = Acc::new(r.op, vd, if along_t { 1 } else { kn });

    for leaf in leaf_lo..leaf_hi {
        let (t_lo, t_hi) = (leaf * LEAF, ((leaf + 1) * LEAF).min(rn));
        if t_lo >= t_hi {
            continue;
        }
        let base = (leaf - leaf_lo) * kn;
        if along_t {
            kept.seek(0);
            for k in 0..kn {
                kept.write_coords(&mut pts.x);
                red.seek(t_lo);
                let mut t = t_lo;
                while t < t_hi {
                    let n = STRIP.min(t_hi - t);
                    red.fill(n, &mut pts);
                    m.eval(&pts);
                    // SAFETY: every point is in the called part of the domain.
                    unsafe { m.store_outputs(&pts) };
                    if runs {
                        acc.fold_runs(m.value(value), t, (t_lo, t_hi), ord.run);
                    } else {
                        acc.fold_seq(0, m.value(value), t as u64, t == t_lo);
                    }
                    t += n;
                }
                // SAFETY: entry base + k < (leaf_hi - leaf_lo) * kn.
                unsafe { store_partials(&acc, vd, pv, pt, 0..1, base + k) };
                kept.step();
            }
        } else {
            red.seek(t_lo);
            for t in t_lo..t_hi {
                red.write_coords(&mut pts.x);
                kept.seek(0);
                let mut k = 0;
                while k < kn {
                    let n = STRIP.min(kn - k);
                    kept.fill(n, &mut pts);
                    m.eval(&pts);
                    // SAFETY: as above.
                    unsafe { m.store_outputs(&pts) };
                    acc.fold_cols(k, m.value(value), t as u64, t == t_lo);
                    k += n;
                }
                red.step();
            }
            // SAFETY: entries base..base + kn are this leaf's.
            unsafe { store_partials(&acc, vd, pv, pt, 0..kn, base) };
        }
    }
}

unsafe fn store_partials(acc: &Acc, vd: DType, pv: *mut u8, pt: Option<*mut u64>, range: Range<usize>, at: usize) {
    let offs = (at..at + range.len()).map(|i| i as isize);
    // SAFETY: forwarded from the caller.
    unsafe {
        store(&acc.vals, range.clone(), vd, pv, offs);
        if let Some(pt) = pt {
            for (i, &t) in acc.ts[range].iter().enumerate() {
                pt.add(at + i).write_unaligned(t);
            }
        }
    }
}

fn operands(op: &InstrOp) -> Vec<usize> {
    let mut v: Vec<usize> = match *op {
        InstrOp::Load(_) | InstrOp::Param(_) | InstrOp::Linear(_) => vec![],
        InstrOp::Unary(_, a) | InstrOp::Cast(a) => vec![a as usize],
        InstrOp::Binary(_, a, b) => vec![a as usize, b as usize],
        InstrOp::Select(c, a, b) => vec![c as usize, a as usize, b as usize],
        InstrOp::Random { index, .. } => vec![index as usize],
    };
    v.sort_unstable();
    v.dedup();
    v
}

fn kind_index(k: Kind) -> usize {
    match k {
        Kind::Bool => 0,
        Kind::Int => 1,
        Kind::UInt => 2,
        Kind::Float => 3,
        Kind::Complex => 4,
    }
}

/// A kernel's body bound to one call, with its column slots.
struct Machine<'a> {
    kernel: &'a Kernel,
    call: &'a Call<'a>,
    /// Instructions some output or the reduction depends on; the others are skipped.
    live: Vec<bool>,
    slot_of: Vec<usize>,
    slots: Vec<Col>,
    offs: Vec<isize>,
    scratch: Col,
}

impl<'a> Machine<'a> {
    fn new(kernel: &'a Kernel, call: &'a Call<'a>) -> Machine<'a> {
        let body = &kernel.body;
        let m = body.len();
        let ops: Vec<Vec<usize>> = body.iter().map(|ins| operands(&ins.op)).collect();
        for (j, o) in ops.iter().enumerate() {
            if let Some(&a) = o.iter().find(|&&a| a >= j) {
                malformed(format_args!("v{j} uses v{a}, which is not before it"));
            }
        }
        let roots: Vec<usize> = kernel
            .outputs
            .iter()
            .map(|&o| o as usize)
            .chain(kernel.reduction.as_ref().map(|r| r.value as usize))
            .collect();
        let mut live = vec![false; m];
        for &r in &roots {
            live[r] = true;
        }
        for j in (0..m).rev() {
            if live[j] {
                for &a in &ops[j] {
                    live[a] = true;
                }
            }
        }
        let mut last_use = vec![0; m];
        for j in (0..m).filter(|&j| live[j]) {
            for &a in &ops[j] {
                last_use[a] = j;
            }
        }
        for &r in &roots {
            last_use[r] = usize::MAX;
        }
        // A slot is freed only after its last user's own slot is taken, so an instruction never
        // writes a column it reads.
        let mut free: [Vec<usize>; 5] = Default::default();
        let mut slots = Vec::new();
        let mut slot_of = vec![usize::MAX; m];
        for j in (0..m).filter(|&j| live[j]) {
            let kind = body[j].dtype.kind();
            slot_of[j] = free[kind_index(kind)].pop().unwrap_or_else(|| {
                slots.push(Col::new(kind, STRIP));
                slots.len() - 1
            });
            for &a in &ops[j] {
                if last_use[a] == j {
                    free[kind_index(body[a].dtype.kind())].push(slot_of[a]);
                }
            }
        }
        Machine { kernel, call, live, slot_of, slots, offs: Vec::with_capacity(STRIP), scratch: Col::default() }
    }

    fn value(&self, j: usize) -> &Col {
        &self.slots[self.slot_of[j]]
    }

    /// Evaluates every live instruction at the strip's points.
    fn eval(&mut self, pts: &Points) {
        let Machine { kernel, call, live, slot_of, slots, offs, scratch } = self;
        let body = &kernel.body;
        for (j, ins) in body.iter().enumerate() {
            if !live[j] {
                continue;
            }
            let mut out = std::mem::take(&mut slots[slot_of[j]]);
            let arg = |a: u32| &slots[slot_of[a as usize]];
            let d = ins.dtype;
            match &ins.op {
                &InstrOp::Load(i) => {
                    let i = i as usize;
                    debug_assert_eq!(kernel.inputs[i], d, "v{j}: load dtype");
                    offsets(&call.inputs[i], pts, offs);
                    // SAFETY: `run`'s caller guarantees the operand is valid at every point.
                    unsafe { load(call.inputs[i].ptr, kernel.inputs[i], offs, &mut out) }
                }
                &InstrOp::Param(i) => {
                    let s = call.params[i as usize].cast(d);
                    match d.kind() {
                        Kind::Bool => fill::<bool>(s, pts.n, &mut out),
                        Kind::Int => fill::<i64>(s, pts.n, &mut out),
                        Kind::UInt => fill::<u64>(s, pts.n, &mut out),
                        Kind::Float => fill::<f64>(s, pts.n, &mut out),
                        Kind::Complex => fill::<C>(s, pts.n, &mut out),
                    }
                }
                InstrOp::Linear(terms) => linear(terms, d, pts, &mut out),
                &InstrOp::Unary(op, a) => unary(op, d, arg(a), &mut out, scratch),
                &InstrOp::Binary(op, a, b) => {
                    let ld = body[a as usize].dtype;
                    // ldexp alone takes an int64 exponent with its float mantissa.
                    debug_assert!(ld == body[b as usize].dtype || op == ir::op::BinaryOp::Ldexp, "v{j}: operand dtypes");
                    debug_assert!(values::is_comparison(op) || ld == d, "v{j}: {op:?} of {ld} gives {ld}, not {d}");
                    binary(op, ld, arg(a), arg(b), &mut out)
                }
                &InstrOp::Cast(a) => cast(body[a as usize].dtype, d, arg(a), &mut out),
                &InstrOp::Select(c, a, b) => select(arg(c), arg(a), arg(b), &mut out),
                &InstrOp::Random { dist, seed, draw, range, index } => {
                    let p = |i: u32| call.params[i as usize].as_u64();
                    let (seed, draw) = (p(seed), p(draw));
                    // philox::bounded_u64 reads range 0 as the full 2^64.
                    let range = range.map_or(0, p);
                    let idx = arg(index);
                    match (dist, d.kind()) {
                        (RandomDist::Uniform01, Kind::Float) => {
                            map1(idx, &mut out, |i: i64| round_f(philox::uniform01(seed, draw, i as u64), d))
                        }
                        (RandomDist::Normal, Kind::Float) => {
                            map1(idx, &mut out, |i: i64| round_f(philox::standard_normal(seed, draw, i as u64), d))
                        }
                        (RandomDist::Bounded, Kind::UInt) => map1(idx, &mut out, |i: i64| {
                            wrap_unsigned(philox::bounded_u64(seed, draw, i as u64, range), d)
                        }),
                        (RandomDist::Bounded, Kind::Int) => map1(idx, &mut out, |i: i64| {
                            wrap_signed(philox::bounded_u64(seed, draw, i as u64, range) as i64, d)
                        }),
                        _ => malformed(format_args!("v{j}: {dist:?} draws into {d}")),
                    }
                }
            }
            slots[slot_of[j]] = out;
        }
    }

    /// Stores the outputs at the strip's points.
    unsafe fn store_outputs(&mut self, pts: &Points) {
        for (k, &o) in self.kernel.outputs.iter().enumerate() {
            let op = &self.call.outputs[k];
            offsets(op, pts, &mut self.offs);
            let col = &self.slots[self.slot_of[o as usize]];
            // SAFETY: `run`'s caller guarantees the operand is valid at every point.
            unsafe { store(col, 0..pts.n, self.kernel.body[o as usize].dtype, op.ptr, self.offs.iter().copied()) }
        }
    }
}

/// `Σ coef * x[axis]`, wrapping.
fn linear(terms: &[(u32, i64)], d: DType, pts: &Points, out: &mut Col) {
    let mut base = 0i64;
    for &(a, c) in terms {
        if !pts.varying[a as usize] {
            base = base.wrapping_add(c.wrapping_mul(pts.x[a as usize]));
        }
    }
    let v = i64::vec(out);
    v.clear();
    v.resize(pts.n, base);
    for &(a, c) in terms {
        if pts.varying[a as usize] {
            for (o, &x) in v.iter_mut().zip(&pts.xs[a as usize][..pts.n]) {
                *o = o.wrapping_add(c.wrapping_mul(x));
            }
        }
    }
    if d != DType::I64 {
        debug_assert_eq!(d.kind(), Kind::Int, "linear dtype");
        for x in v.iter_mut() {
            *x = wrap_signed(*x, d);
        }
    }
}
