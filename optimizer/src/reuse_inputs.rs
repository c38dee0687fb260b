//! Kernels write into inputs that die with them.
//!
//! `x = x * 2 + 1` in a loop: the old `x` is read once, element by element, by the kernel that
//! computes the new one, and nothing reads it afterwards. Writing the result over it keeps one
//! buffer alive instead of two (and touches no fresh memory). A kernel may take an input's buffer
//! when it is elementwise with one output, reads that input only at the element it writes (the
//! identity map, same shape, dtype and layout), no later step reads the input, and the input is
//! either computed inside the plan or an existing buffer that nothing outside the plan holds.
//! An exchange whose source dies the same way releases the source as it sends it.

use crate::affine::AffineMap;
use crate::plan::{Plan, Step, ValueId};
use std::collections::BTreeSet;

/// Sets `reuse` on each kernel step that can write over a dying input; `dying` are the existing
/// buffers (source values) that nothing outside the plan references.
pub fn reuse_dying_inputs(plan: &mut Plan, dying: &BTreeSet<ValueId>) {
    let outputs: BTreeSet<ValueId> = plan.outputs.iter().map(|(_, v)| *v).collect();
    let mut read_later: BTreeSet<ValueId> = BTreeSet::new();
    // Backwards, so `read_later` holds what the steps after the current one read.
    for i in (0..plan.steps.len()).rev() {
        if let Step::Kernel(k) = &plan.steps[i] {
            if k.reduce.is_none() && k.kernel.reduction.is_none() && k.outputs.len() == 1 {
                let out = plan.value(k.outputs[0]).clone();
                let pick = k.inputs.iter().position(|inp| {
                    let v = plan.value(inp.value);
                    let whole = k.inputs.iter().filter(|o| o.value == inp.value).all(|o| is_identity(&o.map, out.shape.len()));
                    whole
                        && !inp.map.flat
                        && v.shape == out.shape
                        && v.dtype == out.dtype
                        && v.layout == out.layout
                        && !read_later.contains(&inp.value)
                        && !outputs.contains(&inp.value)
                        && (v.source.is_none() || dying.contains(&inp.value))
                });
                if let Step::Kernel(k) = &mut plan.steps[i] {
                    k.reuse = pick;
                }
            }
        }
        if let Step::Redistribute { src, consume, .. } = &mut plan.steps[i] {
            let v = plan.values[src.0 as usize].source;
            *consume = !read_later.contains(src) && !outputs.contains(src) && (v.is_none() || dying.contains(src));
        }
        read_later.extend(plan.steps[i].reads());
    }
}

fn is_identity(m: &AffineMap, ndim: usize) -> bool {
    m.ndim == ndim
        && m.offset.len() == ndim
        && m.offset.iter().all(|&o| o == 0)
        && m.coef.iter().enumerate().all(|(k, row)| row.iter().enumerate().all(|(d, &c)| c == i64::from(k == d)))
}
