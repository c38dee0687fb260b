//! The Rust side of a JIT call: checks the call, fills the frame (params once, operand bases per
//! block) and splits the call's box into the 2-d blocks the compiled function runs.
//!
//! Axes are collapsed first: two neighbouring axes merge when every operand and every Linear
//! instruction steps over the outer one exactly as over the whole inner one, so a contiguous
//! array of any rank is one long inner loop. Merging keeps row-major order, which is also the
//! order of the reduction index `t` and of the partials' kept box.

use super::plan::{is_arg, Plan, F_ACC, F_ACCT, F_INIT, F_M, F_MODE, F_N, F_T0, F_VEC};
use ir::kernel::{Call, InstrOp, Kernel, LEAF};
use ir::scalar::Scalar;

/// A compiled kernel: runs one block described by the frame.
pub(crate) type KernelFn = unsafe extern "C" fn(*const i64);

/// A collapsed axis: extent and one stride per vector (operands in elements, then Linear
/// coefficients).
#[derive(Clone, Debug)]
struct Axis {
    ext: usize,
    st: Vec<i64>,
}

fn collapse(axes: &[usize], ext: impl Fn(usize) -> usize, st: &[Vec<i64>]) -> Vec<Axis> {
    let mut out: Vec<Axis> = Vec::new();
    for &a in axes {
        let e = ext(a);
        if e == 1 {
            continue;
        }
        let cur: Vec<i64> = st.iter().map(|s| s[a]).collect();
        if let Some(prev) = out.last_mut() {
            if prev.st.iter().zip(&cur).all(|(&p, &c)| p == c.wrapping_mul(e as i64)) {
                prev.ext *= e;
                prev.st = cur;
                continue;
            }
        }
        out.push(Axis { ext: e, st: cur });
    }
    out
}

/// A row-major odometer over some collapsed axes.
struct Odo<'a> {
    axes: &'a [Axis],
    idx: Vec<usize>,
}

impl<'a> Odo<'a> {
    fn new(axes: &'a [Axis]) -> Self {
        Odo { axes, idx: vec![0; axes.len()] }
    }

    fn seek(&mut self, mut lin: usize) {
        for (a, i) in self.axes.iter().zip(self.idx.iter_mut()).rev() {
            *i = lin % a.ext;
            lin /= a.ext;
        }
    }

    /// Adds `by` to the last index (which must stay within its extent or reach it exactly) and
    /// carries; false once the odometer wrapped around.
    fn advance(&mut self, by: usize) -> bool {
        let Some(last) = self.idx.len().checked_sub(1) else { return false };
        self.idx[last] += by;
        let mut k = last;
        while self.idx[k] >= self.axes[k].ext {
            self.idx[k] = 0;
            if k == 0 {
                return false;
            }
            k -= 1;
            self.idx[k] += 1;
        }
        true
    }

    fn offset(&self, v: usize) -> i64 {
        self.axes.iter().zip(&self.idx).fold(0i64, |acc, (a, &i)| acc.wrapping_add(a.st[v].wrapping_mul(i as i64)))
    }
}

fn encode(s: Scalar) -> [i64; 2] {
    match s {
        Scalar::Bool(b) => [b as i64, 0],
        Scalar::Int(i) => [i, 0],
        Scalar::UInt(u) => [u as i64, 0],
        Scalar::Float(f) => [f.to_bits() as i64, 0],
        Scalar::Complex(re, im) => [re.to_bits() as i64, im.to_bits() as i64],
    }
}

/// The vectors a call moves along: operand pointers (with item sizes) and Linear values.
struct Vectors {
    ptr: Vec<i64>,
    isz: Vec<i64>,
    /// Element offset at the origin of the domain.
    base: Vec<i64>,
    /// Per vector, per domain axis.
    st: Vec<Vec<i64>>,
    nops: usize,
}

impl Vectors {
    fn new(k: &Kernel, plan: &Plan, call: &Call) -> Vectors {
        let nd = k.ndim;
        let mut v = Vectors { ptr: vec![], isz: vec![], base: vec![], st: vec![], nops: 0 };
        let dts = k.inputs.iter().chain(k.outputs.iter().map(|&o| &k.body[o as usize].dtype));
        for (o, d) in call.inputs.iter().chain(call.outputs).zip(dts) {
            v.ptr.push(o.ptr as i64);
            v.isz.push(d.itemsize() as i64);
            v.base.push(o.offset as i64);
            v.st.push(o.strides.iter().map(|&s| s as i64).collect());
        }
        v.nops = v.ptr.len();
        for &j in &plan.linears {
            let InstrOp::Linear(terms) = &k.body[j as usize].op else { unreachable!("planned as linear") };
            let mut c = vec![0i64; nd];
            for &(a, coef) in terms {
                c[a as usize] = c[a as usize].wrapping_add(coef);
            }
            v.ptr.push(0);
            v.isz.push(1);
            v.base.push(0);
            v.st.push(c);
        }
        v
    }

    /// Adds `Σ st * x` over `axes` at coordinates `x` to the bases.
    fn shift(&mut self, axes: impl Iterator<Item = usize> + Clone, x: &[usize]) {
        for (b, st) in self.base.iter_mut().zip(&self.st) {
            for a in axes.clone() {
                *b = b.wrapping_add(st[a].wrapping_mul(x[a] as i64));
            }
        }
    }

    /// Writes the block's bases (`base + extra(v)`) and outer/inner steps into the frame.
    fn set(&self, frame: &mut [i64], extra: impl Fn(usize) -> i64, outer: &Axis, inner: &Axis) {
        for v in 0..self.ptr.len() {
            let s = super::plan::Plan::op_slot(v);
            let b = self.base[v].wrapping_add(extra(v));
            let isz = self.isz[v];
            frame[s] = self.ptr[v].wrapping_add(b.wrapping_mul(isz));
            frame[s + 1] = outer.st[v].wrapping_mul(isz);
            frame[s + 2] = inner.st[v].wrapping_mul(isz);
        }
    }
}

/// Whether a call has the shape the kernel expects; if not, the interpreter handles it (and
/// reports the misuse as it always has).
fn well_formed(k: &Kernel, call: &Call) -> bool {
    let nd = k.ndim;
    call.domain.len() == nd
        && call.lo.len() == nd
        && call.hi.len() == nd
        && call.inputs.len() == k.inputs.len()
        && call.outputs.len() == k.outputs.len()
        && call.inputs.iter().chain(call.outputs).all(|o| o.strides.len() == nd)
}

/// Runs `call` through the compiled `f`; false when the call must go to the interpreter instead.
///
/// # Safety
/// As `crate::run`.
pub(crate) unsafe fn run(f: KernelFn, k: &Kernel, plan: &Plan, call: &Call) -> bool {
    if !well_formed(k, call) {
        return false;
    }
    let mut frame = vec![0i64; plan.frame_len];
    for &j in &plan.params {
        let ins = &k.body[j as usize];
        let InstrOp::Param(i) = ins.op else { unreachable!("planned as param") };
        let Some(s) = call.params.get(i as usize) else { return false };
        let slot = plan.slot[j as usize];
        frame[slot..slot + 2].copy_from_slice(&encode(s.cast(ins.dtype)));
    }
    for &j in &plan.randoms {
        let InstrOp::Random { seed, draw, range, .. } = k.body[j as usize].op else { unreachable!("planned as random") };
        let p = |i: u32| call.params.get(i as usize).map(|s| s.as_u64() as i64);
        let (Some(seed), Some(draw)) = (p(seed), p(draw)) else { return false };
        let range = match range {
            Some(r) => match p(r) {
                Some(r) => r,
                None => return false,
            },
            None => 0,
        };
        let slot = plan.slot[j as usize];
        frame[slot..slot + 3].copy_from_slice(&[seed, draw, range]);
    }
    let mut vecs = Vectors::new(k, plan, call);
    // SAFETY: forwarded from the caller.
    unsafe {
        match &k.reduction {
            None => elementwise(f, plan, call, &mut vecs, &mut frame),
            Some(r) => return reduction(f, k, plan, call, &r.reduced, is_arg(r.op), &mut vecs, &mut frame),
        }
    }
    true
}

fn unit(nv: usize) -> Axis {
    Axis { ext: 1, st: vec![0; nv] }
}

unsafe fn elementwise(f: KernelFn, plan: &Plan, call: &Call, vecs: &mut Vectors, frame: &mut [i64]) {
    let nd = call.lo.len();
    if (0..nd).any(|d| call.hi[d] <= call.lo[d]) {
        return;
    }
    vecs.shift(0..nd, &call.lo);
    let all: Vec<usize> = (0..nd).collect();
    let mut axes = collapse(&all, |d| call.hi[d] - call.lo[d], &vecs.st);
    let nv = vecs.st.len();
    let inner = axes.pop().unwrap_or_else(|| unit(nv));
    let outer = axes.pop().unwrap_or_else(|| unit(nv));
    frame[F_M] = outer.ext as i64;
    frame[F_N] = inner.ext as i64;
    frame[F_VEC] = (plan.simd && (0..vecs.nops).all(|v| inner.st[v] == 1)) as i64;
    let mut odo = Odo::new(&axes);
    loop {
        vecs.set(frame, |v| odo.offset(v), &outer, &inner);
        // SAFETY: the frame addresses the block's elements, which the caller guarantees valid.
        unsafe { f(frame.as_ptr()) };
        if !odo.advance(1) {
            break;
        }
    }
}

#[allow(clippy::too_many_arguments)]
unsafe fn reduction(
    f: KernelFn,
    k: &Kernel,
    plan: &Plan,
    call: &Call,
    reduced: &[bool],
    arg: bool,
    vecs: &mut Vectors,
    frame: &mut [i64],
) -> bool {
    let nd = k.ndim;
    let kept_axes: Vec<usize> = (0..nd).filter(|&d| !reduced[d]).collect();
    let red_axes: Vec<usize> = (0..nd).filter(|&d| reduced[d]).collect();
    let kn: usize = kept_axes.iter().map(|&d| call.hi[d].saturating_sub(call.lo[d])).product();
    let rn: usize = red_axes.iter().map(|&d| call.domain[d]).product();
    let (leaf_lo, leaf_hi) = call.leaves;
    if kn == 0 || rn == 0 || leaf_lo >= leaf_hi {
        return true;
    }
    let Some((pv, pt)) = call.partials else { return false };
    if arg && pt.is_none() {
        return false;
    }
    let r = k.reduction.as_ref().expect("reduction kernel");
    let isz = k.body[r.value as usize].dtype.itemsize() as i64;
    vecs.shift(kept_axes.iter().copied(), &call.lo);
    let nv = vecs.st.len();
    let mut kax = collapse(&kept_axes, |d| call.hi[d] - call.lo[d], &vecs.st);
    let mut rax = collapse(&red_axes, |d| call.domain[d], &vecs.st);
    let kin = kax.pop().unwrap_or_else(|| unit(nv));
    let rin_ext = rax.last().map_or(1, |a| a.ext);
    if rax.is_empty() {
        rax.push(unit(nv));
    }
    let rin = rax.last().expect("non-empty").clone();
    // Fold along t (one accumulator per kept point) or along the kept row (one per t), whichever
    // has the longer inner loop; the last domain axis, usually the contiguous one, gets a bias.
    let (len_t, len_k) = (rin_ext.min(LEAF), kin.ext);
    let along_t = if nd > 0 && reduced[nd - 1] { 4 * len_t >= len_k } else { len_t >= 4 * len_k };
    frame[F_MODE] = (!along_t) as i64;
    frame[F_VEC] = (plan.simd && !along_t && (0..vecs.nops).all(|v| kin.st[v] == 1)) as i64;
    let pv = pv as i64;
    let pt = pt.map_or(0, |p| p as i64);
    let mut rodo = Odo::new(&rax);
    for leaf in leaf_lo..leaf_hi {
        let (t_lo, t_hi) = (leaf * LEAF, ((leaf + 1) * LEAF).min(rn));
        if t_lo >= t_hi {
            continue;
        }
        let pbase = (leaf - leaf_lo) * kn;
        rodo.seek(t_lo);
        let mut t = t_lo;
        while t < t_hi {
            let last = rodo.idx.len() - 1;
            let run = (t_hi - t).min(rin.ext - rodo.idx[last]);
            let roff: Vec<i64> = (0..nv).map(|v| rodo.offset(v)).collect();
            let (m, n, outer, inner) = if along_t { (kin.ext, run, &kin, &rin) } else { (run, kin.ext, &rin, &kin) };
            frame[F_M] = m as i64;
            frame[F_N] = n as i64;
            frame[F_INIT] = (t == t_lo) as i64;
            frame[F_T0] = t as i64;
            let mut kodo = Odo::new(&kax);
            let mut kpos = 0usize;
            loop {
                vecs.set(frame, |v| kodo.offset(v).wrapping_add(roff[v]), outer, inner);
                let e = (pbase + kpos) as i64;
                frame[F_ACC] = pv.wrapping_add(e.wrapping_mul(isz));
                frame[F_ACCT] = if arg { pt.wrapping_add(e.wrapping_mul(8)) } else { 0 };
                // SAFETY: the block's elements and partials are within what the caller
                // guarantees valid.
                unsafe { f(frame.as_ptr()) };
                kpos += kin.ext;
                if !kodo.advance(1) {
                    break;
                }
            }
            t += run;
            rodo.advance(run);
        }
    }
    true
}
