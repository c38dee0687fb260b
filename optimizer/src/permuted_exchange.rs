//! A transpose (or any axis permutation) that needs an exchange is one step, not two.
//!
//! Lowered naively, `b = a.T.copy()` on several ranks is an exchange into a temporary holding
//! each rank's column strip of `a`, then a kernel that copies the strip transposed into `b`'s
//! rows: three arrays' worth of memory per rank. When the kernel is nothing but that copy, the
//! exchange writes each element straight to its place in `b`.

use crate::affine::AffineMap;
use crate::plan::{Plan, Step, ValueId};
use ir::kernel::InstrOp;
use std::collections::BTreeSet;

/// Replaces each "exchange into a temporary + pure permuting copy of it" by one permuted exchange;
/// and a pure permuting copy of a value that dies with it (`dying`: existing buffers nothing
/// outside the plan holds) by a local permuted exchange, which releases the source as it goes.
pub fn fuse_permuting_copies(plan: &mut Plan, dying: &BTreeSet<ValueId>) {
    let outputs: BTreeSet<ValueId> = plan.outputs.iter().map(|(_, v)| *v).collect();
    let mut removed = vec![false; plan.steps.len()];
    for j in 0..plan.steps.len() {
        let Step::Kernel(k) = &plan.steps[j] else { continue };
        let pure_copy = k.reduce.is_none()
            && k.kernel.reduction.is_none()
            && k.inputs.len() == 1
            && k.outputs.len() == 1
            && k.kernel.body.len() == 1
            && k.kernel.body[0].op == InstrOp::Load(0)
            && k.kernel.body[0].dtype == k.kernel.inputs[0]
            && k.kernel.outputs == [0];
        if !pure_copy || !is_permutation(&k.inputs[0].map) {
            continue;
        }
        let (tmp, map, out) = (k.inputs[0].value, k.inputs[0].map.clone(), k.outputs[0]);
        if plan.value(out).layout.boxes != k.boxes {
            continue;
        }
        let read_elsewhere = plan.steps.iter().enumerate().any(|(x, s)| x != j && s.reads().contains(&tmp));
        // The exchange that made `tmp`, read by this kernel alone.
        let Some(i) = (0..j).rev().find(|&i| matches!(&plan.steps[i], Step::Redistribute { dst, map: None, .. } if *dst == tmp)) else {
            let t = plan.value(tmp);
            let dies = !read_elsewhere && !outputs.contains(&tmp) && (t.source.is_none() || dying.contains(&tmp));
            if dies && t.shape.len() == map.ndim && plan.value(out).shape.len() == map.ndim {
                plan.steps[j] = Step::Redistribute { src: tmp, dst: out, map: Some(map), consume: false };
            }
            continue;
        };
        if read_elsewhere {
            continue;
        }
        let Step::Redistribute { src, .. } = plan.steps[i] else { unreachable!() };
        // The flat form of an n-d source is not a permutation of it.
        if plan.value(src).shape != plan.value(tmp).shape {
            continue;
        }
        plan.steps[i] = Step::Redistribute { src, dst: out, map: Some(map), consume: false };
        removed[j] = true;
    }
    let steps = std::mem::take(&mut plan.steps);
    plan.steps = steps.into_iter().zip(removed).filter(|(_, r)| !r).map(|(s, _)| s).collect();
}

/// Each value axis follows exactly one domain axis, with coefficient 1, and every domain axis is
/// used once: an axis permutation plus an offset.
fn is_permutation(m: &AffineMap) -> bool {
    if m.flat || m.coef.len() != m.ndim {
        return false;
    }
    let mut used = vec![false; m.ndim];
    for row in &m.coef {
        let nz: Vec<usize> = (0..row.len()).filter(|&d| row[d] != 0).collect();
        if nz.len() != 1 || row[nz[0]] != 1 || used[nz[0]] {
            return false;
        }
        used[nz[0]] = true;
    }
    m.offset.iter().all(|&o| o >= 0)
}
