//! Splits one rank's kernel call over threads, with the same rule as over ranks: boxes along an
//! outer axis, or whole reduction leaves. Operands address global coordinates, so a sub-box call
//! uses the same operands; a leaf split writes its own rows of the partials. Results therefore do
//! not depend on the thread count.

use ir::kernel::{Call, Kernel};
use std::sync::atomic::{AtomicUsize, Ordering};

static THREADS: AtomicUsize = AtomicUsize::new(0);
static ROUND_BYTES: AtomicUsize = AtomicUsize::new(256 << 20);

/// Most bytes one pair of ranks exchanges per round of a redistribution.
pub fn exchange_round_bytes() -> usize {
    ROUND_BYTES.load(Ordering::Relaxed)
}

/// Sets the round size (`starp.config(exchange_round_bytes=...)`); smaller rounds bound the
/// extra memory of a large transpose at the cost of more messages.
pub fn set_exchange_round_bytes(n: usize) {
    ROUND_BYTES.store(n.max(1), Ordering::Relaxed);
}

/// Calls smaller than this many elements run on one thread (spawning costs ~20 us).
const MIN_SPLIT: usize = 1 << 16;

/// Threads each rank may use: `STARP_THREADS`, else the host's cores divided by the ranks this
/// host runs (so ranks x threads never exceed the cores).
pub fn threads_per_rank(local_ranks: usize) -> usize {
    let set = THREADS.load(Ordering::Relaxed);
    if set > 0 {
        return set;
    }
    let cores = std::env::var("STARP_THREADS")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        .filter(|&n| n > 0)
        .map(|n| n * local_ranks.max(1))
        .unwrap_or_else(host_cores);
    (cores / local_ranks.max(1)).max(1)
}

/// The host's cores, read once: `available_parallelism` reads cgroup files on every call,
/// which cost more than a small kernel.
fn host_cores() -> usize {
    static CORES: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *CORES.get_or_init(|| std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1))
}

/// Overrides the thread count (tests of thread-count independence).
pub fn set_threads(n: usize) {
    THREADS.store(n, Ordering::Relaxed);
}

struct SendPtr<T>(T);
// SAFETY: the pointers inside a Call address disjoint regions per thread (disjoint boxes or
// disjoint leaf rows), and the buffers outlive the scoped threads.
unsafe impl<T> Send for SendPtr<T> {}
unsafe impl<T> Sync for SendPtr<T> {}

/// Runs an elementwise call, split along its outermost axis of extent >= 2.
///
/// # Safety
/// As `codegen::run` for the whole call.
pub unsafe fn run_elementwise(kernel: &Kernel, call: &Call, threads: usize) {
    let n: usize = call.lo.iter().zip(&call.hi).map(|(l, h)| h.saturating_sub(*l)).product();
    let axis = (0..call.lo.len()).find(|&d| call.hi[d] - call.lo[d] >= 2);
    let (Some(axis), true) = (axis, threads > 1 && n >= MIN_SPLIT) else {
        return codegen::run(kernel, call);
    };
    let (lo, hi) = (call.lo[axis], call.hi[axis]);
    let parts = threads.min(hi - lo);
    let shared = SendPtr(call);
    std::thread::scope(|s| {
        for t in 0..parts {
            let (a, b) = ir::shape::block_range(hi - lo, parts, t);
            let shared = &shared;
            let body = move || {
                let call = shared.0;
                let (mut l, mut h) = (call.lo.clone(), call.hi.clone());
                l[axis] = lo + a;
                h[axis] = lo + b;
                let sub = Call { lo: l, hi: h, ..*call };
                // SAFETY: a sub-box of the caller's box.
                unsafe { codegen::run(kernel, &sub) };
            };
            if t + 1 == parts {
                body();
            } else {
                s.spawn(body);
            }
        }
    });
}

/// Runs a reduction call, splitting its leaves over threads (each writes its own rows of the
/// partials); with fewer leaves than threads, one thread does it all.
///
/// # Safety
/// As `codegen::run` for the whole call; `value_size` is the partial dtype's itemsize and
/// `kept_n` the number of kept coordinates in the call's box.
pub unsafe fn run_reduction(kernel: &Kernel, call: &Call, threads: usize, value_size: usize, kept_n: usize, per_leaf: usize) {
    let (l0, l1) = call.leaves;
    let nl = l1 - l0;
    if threads < 2 || nl < 2 || nl * per_leaf < MIN_SPLIT {
        return codegen::run(kernel, call);
    }
    let parts = threads.min(nl);
    let shared = SendPtr(call);
    std::thread::scope(|s| {
        for t in 0..parts {
            let (a, b) = ir::shape::block_range(nl, parts, t);
            let shared = &shared;
            let body = move || {
                let call = shared.0;
                let partials = call.partials.map(|(v, i)| {
                    // SAFETY: rows a.. of the partials belong to this thread alone.
                    unsafe { (v.add(a * kept_n * value_size), i.map(|p| p.add(a * kept_n))) }
                });
                let sub = Call { leaves: (l0 + a, l0 + b), partials, lo: call.lo.clone(), hi: call.hi.clone(), ..*call };
                // SAFETY: as the caller's call, on a subset of its leaves.
                unsafe { codegen::run(kernel, &sub) };
            };
            if t + 1 == parts {
                body();
            } else {
                s.spawn(body);
            }
        }
    });
}
