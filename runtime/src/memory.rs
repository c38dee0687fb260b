//! `starp.config(memory_limit=...)`: the memory the job's arrays may use.
//!
//! Each rank gets an equal share. Before a plan runs, every process works out, for every rank,
//! the most array memory the plan will hold at once on it (buffers it keeps from earlier plans,
//! plus the plan's values from their first step to their `Free`); a plan that would exceed a
//! rank's share fails with MemoryError before anything runs, the same on every rank (all of them
//! compute the same numbers from the same plan). Exchanges run in rounds of at most 1/32 of the
//! share, and an exchange whose source dies releases it as it sends it, so a transpose of an
//! array larger than half of the limit (`a = a.T.copy()`) fits.

use ir::layout::box_numel;
use ir::{Error, Result};
use optimizer::plan::{Plan, Step, ValueId};
use std::sync::atomic::{AtomicUsize, Ordering};

static LIMIT: AtomicUsize = AtomicUsize::new(0);

/// Sets the job's limit in bytes (0: none).
pub fn set_memory_limit(bytes: usize) {
    LIMIT.store(bytes, Ordering::Relaxed);
}

pub fn memory_limit() -> Option<usize> {
    Some(LIMIT.load(Ordering::Relaxed)).filter(|&b| b > 0)
}

/// The round size of exchanges: the configured one, at most 1/32 of a rank's share.
pub fn round_bytes(ranks: usize) -> usize {
    let r = crate::threads::exchange_round_bytes();
    match memory_limit() {
        Some(l) => r.min((l / ranks.max(1) / 32).max(1)),
        None => r,
    }
}

/// The most bytes the plan holds at once on `rank`, and the step where it does.
pub fn plan_peak(plan: &Plan, rank: usize) -> (usize, usize) {
    let bytes = |v: ValueId| {
        let val = plan.value(v);
        box_numel(&val.layout.boxes[rank]) * val.dtype.itemsize()
    };
    let round = round_bytes(plan.ranks);
    let mut live: usize = plan.values.iter().enumerate().filter(|(_, v)| v.source.is_some()).map(|(i, _)| bytes(ValueId(i as u32))).sum();
    let (mut peak, mut at) = (live, 0);
    for (i, s) in plan.steps.iter().enumerate() {
        let (during, after) = match s {
            Step::Redistribute { src, dst, consume, .. } => {
                let (sb, db) = (bytes(*src), bytes(*dst));
                // Send and receive buffers of one round; a consumed source shrinks as the
                // destination fills.
                if *consume {
                    (live - sb + sb.max(db) + 2 * round, live - sb + db)
                } else {
                    (live + db + 2 * round, live + db)
                }
            }
            Step::Kernel(k) => {
                let reused = k.reuse.map_or(0, |_| bytes(k.outputs[0]));
                let new: usize = k.outputs.iter().map(|o| bytes(*o)).sum::<usize>() - reused;
                (live + new, live + new)
            }
            Step::Write { out, in_place, .. } => {
                let new = if *in_place { 0 } else { bytes(*out) };
                (live + new, live + new)
            }
            Step::MatMul { out, .. } => (live + bytes(*out), live + bytes(*out)),
            Step::Host { outs, .. } => {
                let new: usize = outs.iter().map(|(_, v)| bytes(*v)).sum();
                (live + new, live + new)
            }
            Step::Free(v) => (live, live.saturating_sub(bytes(*v))),
        };
        if during > peak {
            (peak, at) = (during, i);
        }
        live = after;
    }
    (peak, at)
}

/// MemoryError when the plan would hold more than a rank's share on some rank; `kept[r]` is
/// what rank r holds outside the plan.
pub fn check_plan(plan: &Plan, kept: &[usize]) -> Result<()> {
    let Some(limit) = memory_limit() else { return Ok(()) };
    let share = limit / plan.ranks.max(1);
    for r in 0..plan.ranks {
        let (peak, step) = plan_peak(plan, r);
        let total = peak + kept.get(r).copied().unwrap_or(0);
        if total > share {
            return Err(Error::Memory(format!(
                "the plan needs {} on rank {r} (at step {step}; {} of it held from earlier), more than its share {} of memory_limit={} over {} rank(s)",
                crate::buffer::human_bytes(total as f64),
                crate::buffer::human_bytes(kept.get(r).copied().unwrap_or(0) as f64),
                crate::buffer::human_bytes(share as f64),
                crate::buffer::human_bytes(limit as f64),
                plan.ranks
            )));
        }
    }
    Ok(())
}
