//! The Rust side of a JIT call: checks the call, fills the frame (params once, operand bases per
//! block) and splits the call's box into the 2-d blocks the compiled function runs.
//!
//! Axes are collapsed first: two neighbouring axes merge when every operand and every Linear
//! instruction steps over the outer one exactly as over the whole inner one, so a contiguous
//! array of any rank is one long inner loop. Merging keeps row-major order, which is also the
//! order of the reduction index `t` and of the partials' kept box.
//!
//! A reduction's mode and runs come from the domain (`interp::reduce::order`), never from the
//! collapsed axes or the box, so the blocks may be cut any way that starts each of them at a run
//! boundary; see `reduction`.

use super::plan::{is_arg, Plan, F_ACC, F_ACCT, F_ASTEP, F_INIT, F_M, F_MODE, F_N, F_RUN, F_T0, F_TSTEP, F_VEC};
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
    if rax.is_empty() {
        rax.push(unit(nv));
    }
    let rin = rax.last().expect("non-empty").clone();
    // Fold along t (mode T: one accumulator per kept point) or along the kept row (mode K: one
    // per t) as the domain's fold order says (the interpreter's, see `interp::reduce`). Every
    // outer step of a mode-T block starts at a leaf's start or where the innermost collapsed
    // reduced axis wraps; the latter is a multiple of the run length E (that axis's extent is E
    // times the extents of the reduced axes merged into it), so it covers a whole number of runs
    // and the kernel finds the runs' boundaries from its first t and E.
    let ord = crate::interp::order(call.domain, reduced);
    let along_t = ord.along_t;
    let vd = k.body[r.value as usize].dtype;
    let lanes = along_t && crate::interp::by_lanes(r.op, vd) && ord.run >= 8;
    frame[F_MODE] = (!along_t) as i64;
    frame[F_RUN] = if lanes { ord.run as i64 } else { 0 };
    let (vec_ok, vin) = if along_t { (lanes && vd.is_float(), &rin) } else { (true, &kin) };
    frame[F_VEC] = (plan.simd && vec_ok && (0..vecs.nops).all(|v| vin.st[v] == 1)) as i64;
    let pv = pv as i64;
    let pt = pt.map_or(0, |p| p as i64);
    // One block: the run of `run` reduced steps from t (at reduced offsets `roff`), for `rows`
    // kept points from the kept offsets `koff` whose partials start at entry `e` of the leaf.
    let block = |frame: &mut [i64],
                 t: usize,
                 run: usize,
                 init: bool,
                 koff: &dyn Fn(usize) -> i64,
                 roff: &[i64],
                 rows: usize,
                 e: usize| {
        let (m, n, outer, inner) = if along_t { (rows, run, &kin, &rin) } else { (run, rows, &rin, &kin) };
        frame[F_M] = m as i64;
        frame[F_N] = n as i64;
        frame[F_INIT] = init as i64;
        frame[F_T0] = t as i64;
        frame[F_ASTEP] = 1;
        frame[F_TSTEP] = 0;
        vecs.set(frame, |v| koff(v).wrapping_add(roff[v]), outer, inner);
        let e = e as i64;
        frame[F_ACC] = pv.wrapping_add(e.wrapping_mul(isz));
        frame[F_ACCT] = if arg { pt.wrapping_add(e.wrapping_mul(8)) } else { 0 };
        // SAFETY: the block's elements and partials are within what the caller guarantees
        // valid.
        unsafe { f(frame.as_ptr()) };
    };
    // The runs of a leaf: (t, run, reduced offsets).
    let mut rodo = Odo::new(&rax);
    let mut runs = |leaf: usize, out: &mut Vec<(usize, usize, Vec<i64>)>| {
        out.clear();
        let (t_lo, t_hi) = (leaf * LEAF, ((leaf + 1) * LEAF).min(rn));
        if t_lo >= t_hi {
            return;
        }
        rodo.seek(t_lo);
        let mut t = t_lo;
        while t < t_hi {
            let last = rodo.idx.len() - 1;
            let run = (t_hi - t).min(rin.ext - rodo.idx[last]);
            out.push((t, run, (0..nv).map(|v| rodo.offset(v)).collect()));
            t += run;
            rodo.advance(run);
        }
    };
    let mut leaf_runs = Vec::new();
    let mut kodo = Odo::new(&kax);
    // With several leaves per kept point and long runs, mode T goes kept point by kept point
    // through all the leaves, so that each kept point's reduced values are read as one stream,
    // as a row-major layout stores them, rather than a leaf's worth of every kept point at a
    // time (3x slower for the row sums of a large matrix). When the reduced axes collapse into
    // one, a kept point's full leaves are one block, a leaf per outer step.
    if along_t && rn > LEAF && rin.ext >= 256 {
        let full_hi = leaf_hi.min(rn / LEAF);
        let mut kpos = 0usize;
        loop {
            for r0 in 0..kin.ext {
                let koff = |v: usize| kodo.offset(v).wrapping_add(kin.st[v].wrapping_mul(r0 as i64));
                let mut leaf = leaf_lo;
                if rax.len() == 1 && full_hi > leaf_lo + 1 {
                    let nl = full_hi - leaf_lo;
                    let outer = Axis { ext: nl, st: rin.st.iter().map(|&s| s.wrapping_mul(LEAF as i64)).collect() };
                    let t0 = leaf_lo * LEAF;
                    frame[F_M] = nl as i64;
                    frame[F_N] = LEAF as i64;
                    frame[F_INIT] = 1;
                    frame[F_T0] = t0 as i64;
                    frame[F_ASTEP] = kn as i64;
                    frame[F_TSTEP] = LEAF as i64;
                    vecs.set(frame, |v| koff(v).wrapping_add(rin.st[v].wrapping_mul(t0 as i64)), &outer, &rin);
                    let e = (kpos + r0) as i64;
                    frame[F_ACC] = pv.wrapping_add(e.wrapping_mul(isz));
                    frame[F_ACCT] = if arg { pt.wrapping_add(e.wrapping_mul(8)) } else { 0 };
                    // SAFETY: full leaves of one kept point, within what the caller guarantees
                    // valid.
                    unsafe { f(frame.as_ptr()) };
                    leaf = full_hi;
                }
                for leaf in leaf..leaf_hi {
                    runs(leaf, &mut leaf_runs);
                    let pbase = (leaf - leaf_lo) * kn;
                    for (q, (t, run, roff)) in leaf_runs.iter().enumerate() {
                        block(frame, *t, *run, q == 0, &koff, roff, 1, pbase + kpos + r0);
                    }
                }
            }
            kpos += kin.ext;
            if !kodo.advance(1) {
                break;
            }
        }
    } else {
        for leaf in leaf_lo..leaf_hi {
            runs(leaf, &mut leaf_runs);
            let pbase = (leaf - leaf_lo) * kn;
            for (q, (t, run, roff)) in leaf_runs.iter().enumerate() {
                kodo.seek(0);
                let mut kpos = 0usize;
                loop {
                    block(frame, *t, *run, q == 0, &|v| kodo.offset(v), roff, kin.ext, pbase + kpos);
                    kpos += kin.ext;
                    if !kodo.advance(1) {
                        break;
                    }
                }
            }
        }
    }
    true
}
