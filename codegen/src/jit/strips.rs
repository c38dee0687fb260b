//! The strip schedule of a kernel with float transcendentals (exp, log, sin, cos, tanh of a real
//! value), which the JIT evaluates with `vmath`'s slice functions, the interpreter's own.
//!
//! The inner loop runs in chunks of `len` elements. Each chunk goes through `nphases` scalar
//! loops; between phase `p` and `p + 1` every transcendental of `calls[p]` is applied to the
//! chunk at once: its argument, converted to the function's float type, was stored into an input
//! buffer by phase `p`, and its results land in an output buffer that later phases read. A
//! transcendental's phase (`level`) is one more than its argument's; other instructions run as
//! late as their users allow, so fewer values cross phases. A value used in a phase after its
//! own is kept in a buffer; loads, params and Linear values are evaluated again in each phase
//! that uses them instead. Outputs are stored and reductions folded in the last phase only, so
//! an output written over its own input is read first, as in the one-loop form.
//!
//! Buffers (one stack slot, bytes per element: 4 or 8 for function arguments and results, 8 for
//! kept values, 16 for complex ones) are shared by values whose lifetimes do not overlap.

use super::plan::operands;
use crate::vmath::Func;
use ir::dtype::{DType, Kind};
use ir::kernel::{InstrOp, Kernel};

/// Elements per chunk at most (a strip of the interpreter).
const MAX_LEN: usize = 256;
/// Below this chunk length the per-element calls are used instead.
const MIN_LEN: usize = 16;
/// Stack bytes the buffers may take.
const BUDGET: usize = 32 << 10;

/// A buffer: byte offset (of element 0) in the slot and bytes per element.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Buf {
    pub off: usize,
    pub size: usize,
}

#[derive(Clone, Debug)]
pub(crate) struct Strips {
    pub len: usize,
    pub nphases: usize,
    /// Per instruction: the phase it is evaluated in (for a transcendental, the first phase its
    /// result is available in); usize::MAX for dead ones and for loads, params and Linears.
    pub phase: Vec<usize>,
    /// Per instruction: loads, params and Linears evaluated in each phase (`rematerialized`).
    pub remat: Vec<bool>,
    /// Per phase and instruction: whether a rematerialized instruction is used there.
    pub remat_in: Vec<Vec<bool>>,
    /// Per instruction: where its value is kept for later phases (a transcendental's results).
    pub keep: Vec<Option<Buf>>,
    /// Per transcendental instruction: its argument buffer.
    pub arg: Vec<Option<Buf>>,
    /// The transcendentals applied after each phase.
    pub calls: Vec<Vec<u32>>,
    /// Bytes of the stack slot.
    pub bytes: usize,
    /// Per phase: (instruction, input) of each call after it, when storing their arguments is
    /// all the phase does and each argument is a load of the function's own float type. Where
    /// those inputs are contiguous, the calls read them in place and the phase loop is skipped.
    pub direct_args: Vec<Option<Vec<(u32, u32)>>>,
    /// (instruction, output) of each output, when storing them is all the last phase does and
    /// each is a transcendental used nowhere else (an elementwise kernel). Where those outputs
    /// are contiguous, the calls write them in place and the last loop is skipped.
    pub direct_outs: Option<Vec<(u32, u32)>>,
}

/// The function of a transcendental instruction the JIT applies by strips, if `j` is one.
pub(crate) fn strip_func(k: &Kernel, j: usize) -> Option<Func> {
    match k.body[j].op {
        InstrOp::Unary(op, a) if k.body[a as usize].dtype.kind() != Kind::Complex => Func::of(op),
        _ => None,
    }
}

/// Whether the function of instruction `j` runs in float32 (its result dtype is float32).
pub(crate) fn is_f32(k: &Kernel, j: usize) -> bool {
    k.body[j].dtype == DType::F32
}

/// The schedule of `k`, or None when it has no transcendental (or would need too much stack).
pub(crate) fn schedule(k: &Kernel, live: &[bool]) -> Option<Strips> {
    let m = k.body.len();
    let is_t: Vec<bool> = (0..m).map(|j| live[j] && strip_func(k, j).is_some()).collect();
    if !is_t.iter().any(|&t| t) {
        return None;
    }
    let remat: Vec<bool> =
        (0..m).map(|j| live[j] && matches!(k.body[j].op, InstrOp::Load(_) | InstrOp::Param(_) | InstrOp::Linear(_))).collect();
    let ops: Vec<Vec<usize>> = k.body.iter().map(|i| operands(&i.op).into_iter().map(|a| a as usize).collect()).collect();

    // Earliest phases.
    let mut level = vec![0usize; m];
    for j in (0..m).filter(|&j| live[j]) {
        let l = ops[j].iter().map(|&a| level[a]).max().unwrap_or(0);
        level[j] = if is_t[j] { l + 1 } else { l };
    }
    let last = (0..m).filter(|&j| live[j]).map(|j| level[j]).max().unwrap_or(0);
    let nphases = last + 1;

    // Latest phases: each instruction in the first phase one of its users needs it in.
    let mut need = vec![usize::MAX; m];
    for &o in k.outputs.iter().chain(k.reduction.as_ref().map(|r| &r.value)) {
        need[o as usize] = last;
    }
    let mut phase = vec![usize::MAX; m];
    // Phases each value is read in.
    let mut uses: Vec<Vec<usize>> = vec![vec![]; m];
    for &o in k.outputs.iter().chain(k.reduction.as_ref().map(|r| &r.value)) {
        uses[o as usize].push(last);
    }
    for j in (0..m).rev().filter(|&j| live[j]) {
        if remat[j] {
            continue;
        }
        let at = if is_t[j] {
            level[j]
        } else {
            debug_assert!(need[j] != usize::MAX && need[j] >= level[j], "v{j} is used");
            need[j].max(level[j])
        };
        phase[j] = at;
        // A transcendental reads its argument in the phase before its own.
        let read = if is_t[j] { at - 1 } else { at };
        for &a in &ops[j] {
            need[a] = need[a].min(read);
            uses[a].push(read);
        }
    }
    let mut remat_in = vec![vec![false; m]; nphases];
    for j in (0..m).filter(|&j| remat[j]) {
        for &p in &uses[j] {
            remat_in[p][j] = true;
        }
    }
    let mut calls = vec![vec![]; nphases];
    for j in (0..m).filter(|&j| is_t[j]) {
        calls[level[j] - 1].push(j as u32);
    }

    // Buffer lifetimes in half-phases (phase p's loop at 2p, the calls after it at 2p + 1).
    struct Want {
        start: usize,
        end: usize,
        size: usize,
        /// (instruction, is the argument buffer)
        who: (usize, bool),
    }
    let mut wants = vec![];
    for j in (0..m).filter(|&j| live[j] && !remat[j]) {
        let last_use = uses[j].iter().copied().max().unwrap_or(0);
        if is_t[j] {
            let size = if is_f32(k, j) { 4 } else { 8 };
            let cp = level[j] - 1;
            wants.push(Want { start: 2 * cp, end: 2 * cp + 1, size, who: (j, true) });
            wants.push(Want { start: 2 * cp + 1, end: 2 * last_use.max(level[j]), size, who: (j, false) });
        } else if last_use > phase[j] {
            let size = if k.body[j].dtype.is_complex() { 16 } else { 8 };
            wants.push(Want { start: 2 * phase[j], end: 2 * last_use, size, who: (j, false) });
        }
    }
    wants.sort_by_key(|w| w.start);
    // (size, end of its last lifetime) per buffer.
    let mut bufs: Vec<(usize, usize)> = vec![];
    let mut at = vec![0usize; wants.len()];
    for (w, a) in wants.iter().zip(at.iter_mut()) {
        match bufs.iter().position(|&(s, e)| s == w.size && e < w.start) {
            Some(b) => {
                bufs[b].1 = w.end;
                *a = b;
            }
            None => {
                bufs.push((w.size, w.end));
                *a = bufs.len() - 1;
            }
        }
    }
    let per_elem: usize = bufs.iter().map(|&(s, _)| s).sum();
    let mut len = MAX_LEN;
    while len > MIN_LEN && len * per_elem > BUDGET {
        len /= 2;
    }
    if len * per_elem > BUDGET {
        return None;
    }
    // Offsets: each buffer 64-byte aligned.
    let mut offs = vec![];
    let mut bytes = 0;
    for &(s, _) in &bufs {
        offs.push(bytes);
        bytes += (s * len).div_ceil(64) * 64;
    }
    let mut keep = vec![None; m];
    let mut arg = vec![None; m];
    for (w, &b) in wants.iter().zip(&at) {
        let buf = Buf { off: offs[b], size: w.size };
        if w.who.1 {
            arg[w.who.0] = Some(buf);
        } else {
            keep[w.who.0] = Some(buf);
        }
    }
    // Phases that only pass loads to the functions.
    let evaluated = |p: usize| (0..m).any(|j| live[j] && !remat[j] && !is_t[j] && phase[j] == p);
    let direct_args = (0..nphases)
        .map(|p| {
            if calls[p].is_empty() || evaluated(p) {
                return None;
            }
            let mut v = vec![];
            for &t in &calls[p] {
                let InstrOp::Unary(_, a) = k.body[t as usize].op else { return None };
                match k.body[a as usize].op {
                    InstrOp::Load(q) if k.body[a as usize].dtype == k.body[t as usize].dtype => v.push((t, q)),
                    _ => return None,
                }
            }
            // Every rematerialized value this phase uses is one of these arguments.
            let args: Vec<usize> = calls[p]
                .iter()
                .map(|&t| match k.body[t as usize].op {
                    InstrOp::Unary(_, a) => a as usize,
                    _ => unreachable!("checked above"),
                })
                .collect();
            (0..m).all(|j| !remat_in[p][j] || args.contains(&j)).then_some(v)
        })
        .collect();
    let direct_outs = (|| {
        if k.reduction.is_some() || evaluated(last) || remat_in[last].iter().any(|&r| r) {
            return None;
        }
        let mut v = vec![];
        for (q, &o) in k.outputs.iter().enumerate() {
            let once = k.outputs.iter().filter(|&&x| x == o).count() == 1;
            if !is_t[o as usize] || !once || uses[o as usize].len() != 1 {
                return None;
            }
            v.push((o, q as u32));
        }
        Some(v)
    })();
    Some(Strips { len, nphases, phase, remat, remat_in, keep, arg, calls, bytes, direct_args, direct_outs })
}
