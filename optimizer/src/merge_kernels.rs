//! Sibling elementwise kernels become one kernel with several outputs.
//!
//! `starp.compute(a + b, a * b)` plans two kernels over the same domain that read the same
//! inputs; run separately they read `a` and `b` twice. Merged, one pass over memory loads each
//! input once and stores both results. Two kernel steps merge when both are elementwise over the
//! same domain split the same way over ranks, and everything the later one reads exists before
//! the earlier one runs (so it can move up without reordering a dependency).

use crate::plan::{KernelInput, KernelStep, Plan, Step, ValueId};
use ir::kernel::{Instr, InstrOp, Kernel};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// Merges each elementwise kernel step into the first earlier sibling it can join.
pub fn merge_sibling_kernels(plan: &mut Plan) {
    // Step index that defines each value (sources are defined before every step).
    let mut defined_at: BTreeMap<ValueId, usize> = BTreeMap::new();
    let mut merged_into: Vec<Option<usize>> = vec![None; plan.steps.len()];
    for j in 0..plan.steps.len() {
        let target = match &plan.steps[j] {
            Step::Kernel(kj) if mergeable(kj) => (0..j).find(|&i| {
                merged_into[i].is_none()
                    && matches!(&plan.steps[i], Step::Kernel(ki) if mergeable(ki) && ki.domain == kj.domain && ki.boxes == kj.boxes)
                    && kj.inputs.iter().all(|inp| defined_at.get(&inp.value).is_none_or(|&d| d < i))
            }),
            _ => None,
        };
        let outs = plan.steps[j].writes();
        match target {
            Some(i) => {
                let Step::Kernel(kj) = std::mem::replace(&mut plan.steps[j], Step::Free(ValueId(u32::MAX))) else { unreachable!() };
                let Step::Kernel(ki) = &mut plan.steps[i] else { unreachable!() };
                join(ki, kj);
                merged_into[j] = Some(i);
                for o in outs {
                    defined_at.insert(o, i);
                }
            }
            None => {
                for o in outs {
                    defined_at.insert(o, j);
                }
            }
        }
    }
    let steps = std::mem::take(&mut plan.steps);
    plan.steps = steps.into_iter().zip(merged_into).filter(|(_, m)| m.is_none()).map(|(s, _)| s).collect();
}

fn mergeable(k: &KernelStep) -> bool {
    k.reduce.is_none() && k.kernel.reduction.is_none()
}

/// Appends `b`'s body and outputs to `a`: shared inputs load once, and an instruction equal to
/// one already in the body (same operation on the same operands) is reused.
fn join(a: &mut KernelStep, b: KernelStep) {
    let mut k: Kernel = (*a.kernel).clone();
    let mut input_of: Vec<u32> = Vec::new();
    for (q, inp) in b.inputs.iter().enumerate() {
        let at = a.inputs.iter().position(|x| x == inp).unwrap_or_else(|| {
            a.inputs.push(KernelInput { value: inp.value, map: inp.map.clone() });
            k.inputs.push(b.kernel.inputs[q]);
            a.inputs.len() - 1
        });
        input_of.push(at as u32);
    }
    let param0 = k.params.len() as u32;
    k.params.extend(b.kernel.params.iter().copied());
    a.params.extend(b.params);
    let mut existing: HashMap<Instr, u32> = k.body.iter().enumerate().map(|(i, ins)| (ins.clone(), i as u32)).collect();
    let mut new_id: Vec<u32> = Vec::with_capacity(b.kernel.body.len());
    for ins in &b.kernel.body {
        let m = |x: &u32| new_id[*x as usize];
        let op = match &ins.op {
            InstrOp::Load(q) => InstrOp::Load(input_of[*q as usize]),
            InstrOp::Param(p) => InstrOp::Param(param0 + p),
            InstrOp::Linear(t) => InstrOp::Linear(t.clone()),
            InstrOp::Unary(u, x) => InstrOp::Unary(*u, m(x)),
            InstrOp::Binary(o, x, y) => InstrOp::Binary(*o, m(x), m(y)),
            InstrOp::Cast(x) => InstrOp::Cast(m(x)),
            InstrOp::Select(c, x, y) => InstrOp::Select(m(c), m(x), m(y)),
            InstrOp::Random { dist, seed, draw, range, index } => {
                InstrOp::Random { dist: *dist, seed: param0 + seed, draw: param0 + draw, range: range.map(|r| param0 + r), index: m(index) }
            }
        };
        let instr = Instr { op, dtype: ins.dtype };
        let id = *existing.entry(instr.clone()).or_insert_with(|| {
            k.body.push(instr);
            (k.body.len() - 1) as u32
        });
        new_id.push(id);
    }
    k.outputs.extend(b.kernel.outputs.iter().map(|&o| new_id[o as usize]));
    a.outputs.extend(b.outputs);
    a.kernel = Arc::new(k);
}
