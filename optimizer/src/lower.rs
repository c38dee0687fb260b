//! Lowers the pending part of the graph under some roots to a physical plan.
//!
//! Fusion: an elementwise node (or a view) with one consumer that is itself elementwise or a
//! reduction is inlined into that consumer's kernel; every other node is materialized by a
//! step of its own. Layout planning: kernel outputs are split over ranks along axis 0
//! (reductions over axis 0 split their leaves instead and end replicated); each rank's input
//! boxes follow from its output box through the input's affine map, and a Redistribute step is
//! inserted wherever a rank does not already hold what it needs.

use crate::affine::{view_map, AffineMap};
use crate::kernel_builder::build_kernel;
use crate::plan::{coords_boxes, KernelInput, KernelStep, Plan, ReduceMode, ReducePlan, Step, Value, ValueId};
use ir::kernel::LEAF;
use ir::layout::{contains, full_box, IBox, Layout};
use ir::{BufferId, Graph, NodeId, Op, Result};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

pub struct Lowerer<'a> {
    g: &'a Graph,
    ranks: usize,
    source_layout: &'a dyn Fn(BufferId) -> Layout,
    plan: Plan,
    values: BTreeMap<NodeId, ValueId>,
}

/// Plans the computation of `roots` (pending nodes) on `ranks` ranks. `source_layout` tells
/// how existing buffers are laid out.
pub fn lower_to_plan(g: &Graph, roots: &[NodeId], ranks: usize, source_layout: &dyn Fn(BufferId) -> Layout) -> Result<Plan> {
    let nodes = g.pending_ancestors(roots);
    let pending: BTreeSet<NodeId> = nodes.iter().copied().collect();
    let mut uses: BTreeMap<NodeId, usize> = BTreeMap::new();
    let mut consumer: BTreeMap<NodeId, NodeId> = BTreeMap::new();
    for &n in &nodes {
        for &i in &g.node(n).inputs {
            *uses.entry(i).or_default() += 1;
            consumer.insert(i, n);
        }
    }
    // A node that something outside this plan still references (a live handle's base, a lazy
    // node not computed now) is kept as a buffer: then nothing pending after the plan reads a
    // buffer the plan overwrote in place, and live arrays are not computed twice.
    let mut rootset: BTreeSet<NodeId> = roots.iter().copied().collect();
    for &n in &nodes {
        if g.refs(n) as usize > uses.get(&n).copied().unwrap_or(0) {
            rootset.insert(n);
        }
    }
    let roots: Vec<NodeId> = rootset.iter().copied().collect();
    let roots = &roots[..];
    let inlined = |n: NodeId| -> bool {
        if rootset.contains(&n) || uses.get(&n).copied().unwrap_or(0) != 1 {
            return false;
        }
        let node = g.node(n);
        let inlinable = node.op.is_elementwise() || matches!(node.op, Op::View(_));
        let c = g.node(consumer[&n]);
        let fuses = matches!(c.op, Op::Unary(_) | Op::Binary(_) | Op::Cast | Op::Where | Op::Reduce { .. });
        inlinable && fuses
    };
    let materialized: BTreeSet<NodeId> = nodes.iter().copied().filter(|&n| !inlined(n)).collect();

    // Where each node is actually evaluated: its own step, or the step of the kernel inlining it.
    let mut exec_at: BTreeMap<NodeId, NodeId> = BTreeMap::new();
    for &n in nodes.iter().rev() {
        let at = if materialized.contains(&n) { n } else { exec_at[&consumer[&n]] };
        exec_at.insert(n, at);
    }

    let mut l = Lowerer { g, ranks, source_layout, plan: Plan { ranks, ..Default::default() }, values: BTreeMap::new() };
    for &n in &materialized {
        let node = g.node(n);
        match &node.op {
            Op::Write(_) => {
                let old = node.inputs[0];
                // Writing a buffer into itself (`a[::-1] = a`) must read it whole first.
                let in_place = !rootset.contains(&old)
                    && node.inputs[1] != old
                    && g.refs(old) as usize == uses.get(&old).copied().unwrap_or(0)
                    && nodes.iter().filter(|&&c| c != n && g.node(c).inputs.contains(&old)).all(|c| exec_at[c] < n);
                l.write(n, in_place)?;
            }
            Op::MatMul => l.matmul(n)?,
            _ => {
                let is_leaf = |id: NodeId| !pending.contains(&id) || materialized.contains(&id);
                l.kernel(n, &is_leaf)?;
            }
        }
    }
    l.plan.outputs = roots.iter().map(|r| (*r, l.values[r])).collect();
    l.insert_frees();
    Ok(l.plan)
}

impl Lowerer<'_> {
    fn new_value(&mut self, v: Value) -> ValueId {
        self.plan.values.push(v);
        ValueId((self.plan.values.len() - 1) as u32)
    }

    /// The value holding node `n`: computed earlier in this plan, or an existing buffer.
    fn value_of(&mut self, n: NodeId) -> ValueId {
        if let Some(v) = self.values.get(&n) {
            return *v;
        }
        let node = self.g.node(n);
        let Op::Source(b) = node.op else { unreachable!("{n} is neither computed nor a source") };
        let v = self.new_value(Value {
            shape: node.shape.clone(),
            dtype: node.dtype,
            layout: (self.source_layout)(b),
            source: Some(b),
            node: Some(n),
        });
        self.values.insert(n, v);
        v
    }

    /// `v` as rank r needs it (`need[r]`, in the coordinates of `flat`); the value itself when
    /// every rank already holds its part, else a redistributed copy.
    fn ensure_boxes(&mut self, v: ValueId, need: Vec<IBox>, flat: bool) -> ValueId {
        let val = self.plan.value(v).clone();
        let have = coords_boxes(&val, flat);
        if have.iter().zip(&need).all(|(h, n)| contains(h, n)) {
            return v;
        }
        let shape = if flat { vec![ir::shape::numel(&val.shape)] } else { val.shape.clone() };
        let dst = self.new_value(Value { shape, dtype: val.dtype, layout: Layout { boxes: need }, source: None, node: None });
        self.plan.steps.push(Step::Redistribute { src: v, dst });
        dst
    }

    fn kernel(&mut self, n: NodeId, is_leaf: &dyn Fn(NodeId) -> bool) -> Result<()> {
        let node = self.g.node(n);
        let built = build_kernel(self.g, n, is_leaf);
        let (boxes, reduce, out_layout) = match &built.kernel.reduction {
            None => {
                let l = Layout::block0(&node.shape, self.ranks);
                (l.boxes.clone(), None, l)
            }
            Some(r) => {
                let domain = &self.g.node(node.inputs[0]).shape;
                self.reduction_layout(domain, &r.reduced, &node.shape)
            }
        };
        let mut inputs = Vec::new();
        for leaf in &built.leaves {
            let v = self.value_of(leaf.node);
            let need: Vec<IBox> = boxes.iter().map(|b| leaf.map.image(b)).collect();
            let v = self.ensure_boxes(v, need, leaf.map.flat);
            inputs.push(KernelInput { value: v, map: leaf.map.clone() });
        }
        let out = self.new_value(Value { shape: node.shape.clone(), dtype: node.dtype, layout: out_layout, source: None, node: Some(n) });
        self.values.insert(n, out);
        let domain = match &node.op {
            Op::Reduce { .. } => self.g.node(node.inputs[0]).shape.clone(),
            _ => node.shape.clone(),
        };
        self.plan.steps.push(Step::Kernel(KernelStep {
            kernel: Arc::new(built.kernel),
            domain,
            boxes,
            inputs,
            params: built.params,
            outputs: vec![out],
            reduce,
        }));
        Ok(())
    }

    /// Domain boxes per rank, the reduction plan and the output layout of a reduction.
    fn reduction_layout(&self, domain: &[usize], reduced: &[bool], out_shape: &[usize]) -> (Vec<IBox>, Option<ReducePlan>, Layout) {
        let p = self.ranks;
        let r_total: usize = domain.iter().zip(reduced).filter(|(_, &r)| r).map(|(&d, _)| d).product();
        let nleaves = r_total.div_ceil(LEAF);
        if domain.is_empty() || !reduced[0] {
            // Kept axis 0: each rank reduces its own rows completely.
            let boxes = Layout::block0(domain, p).boxes;
            let plan = ReducePlan { mode: ReduceMode::Local, leaves: vec![(0, nleaves); p], nleaves };
            return (boxes, Some(plan), Layout::block0(out_shape, p));
        }
        // Reduced axis 0: rank r takes the leaves that start in its rows, and reads past its rows
        // to the end of its last leaf (a halo), so leaves never depend on the rank count.
        let rows = domain[0];
        let inner = if rows == 0 { 0 } else { r_total / rows };
        let mut boxes = Vec::new();
        let mut leaves = Vec::new();
        for r in 0..p {
            let (r0, r1) = ir::shape::block_range(rows, p, r);
            let k0 = (r0 * inner).div_ceil(LEAF);
            let k1 = if r == p - 1 { nleaves } else { (r1 * inner).div_ceil(LEAF) };
            let mut b = full_box(domain);
            if k1 > k0 && inner > 0 {
                b[0] = ((k0 * LEAF) / inner, (r_total.min(k1 * LEAF)).div_ceil(inner));
            } else {
                b[0] = (0, 0);
            }
            boxes.push(b);
            leaves.push((k0, k1.max(k0)));
        }
        let plan = ReducePlan { mode: ReduceMode::Gather, leaves, nleaves };
        (boxes, Some(plan), Layout::replicated(out_shape, p))
    }

    fn write(&mut self, n: NodeId, in_place: bool) -> Result<()> {
        let node = self.g.node(n);
        let Op::Write(region) = &node.op else { unreachable!() };
        let (old_n, val_n) = (node.inputs[0], node.inputs[1]);
        let old = self.value_of(old_n);
        let val = self.value_of(val_n);
        let layout = self.plan.value(old).layout.clone();
        let vshape = self.plan.value(val).shape.clone();
        // Region axes -> value axes, right-aligned; extra leading value axes have size 1.
        let rn = region.shape.len();
        let dims: Vec<Option<usize>> = vshape
            .iter()
            .enumerate()
            .map(|(j, &len)| {
                let k = (j + rn).checked_sub(vshape.len());
                if len == 1 { None } else { k }
            })
            .collect();
        let value_map = AffineMap::broadcast(&dims, rn);
        let rmap = view_map(region, &node.shape);
        let need: Vec<IBox> = layout
            .boxes
            .iter()
            .map(|owned| value_map.image(&crate::affine::preimage(&rmap, region, owned, &node.shape)))
            .collect();
        let val = self.ensure_boxes(val, need, false);
        let out = self.new_value(Value { shape: node.shape.clone(), dtype: node.dtype, layout, source: None, node: Some(n) });
        self.values.insert(n, out);
        self.plan.steps.push(Step::Write { old, value: val, value_map, region: region.clone(), out, in_place });
        Ok(())
    }

    fn matmul(&mut self, n: NodeId) -> Result<()> {
        let node = self.g.node(n);
        let (a, b) = (self.value_of(node.inputs[0]), self.value_of(node.inputs[1]));
        let out_layout = Layout::block0(&node.shape, self.ranks);
        let ashape = self.plan.value(a).shape.clone();
        let bshape = self.plan.value(b).shape.clone();
        let nd = node.shape.len();
        // Rank r needs, of each operand, the batch entries its output box covers (broadcast
        // axes: entry 0), its rows of `a` and all of `b`'s core matrix.
        let need_of = |shape: &[usize], ob: &IBox, rows: bool| -> IBox {
            let off = nd - shape.len();
            shape
                .iter()
                .enumerate()
                .map(|(j, &len)| {
                    if j + 2 >= shape.len() {
                        if rows && j + 2 == shape.len() { ob[nd - 2] } else { (0, len) }
                    } else if len == 1 {
                        (0, usize::from(ob[off + j].0 < ob[off + j].1))
                    } else {
                        ob[off + j]
                    }
                })
                .collect()
        };
        let empty = |b: &IBox| b.iter().any(|(lo, hi)| lo >= hi);
        let need_a: Vec<IBox> = out_layout.boxes.iter().map(|ob| if empty(ob) { vec![(0, 0); ashape.len()] } else { need_of(&ashape, ob, true) }).collect();
        let need_b: Vec<IBox> = out_layout.boxes.iter().map(|ob| if empty(ob) { vec![(0, 0); bshape.len()] } else { need_of(&bshape, ob, false) }).collect();
        let a = self.ensure_boxes(a, need_a, false);
        let b = self.ensure_boxes(b, need_b, false);
        let out = self.new_value(Value { shape: node.shape.clone(), dtype: node.dtype, layout: out_layout, source: None, node: Some(n) });
        self.values.insert(n, out);
        self.plan.steps.push(Step::MatMul { a, b, out });
        Ok(())
    }

    /// Frees every computed value after its last use, unless it is an output or was written in place.
    fn insert_frees(&mut self) {
        let keep: BTreeSet<ValueId> = self.plan.outputs.iter().map(|(_, v)| *v).collect();
        let mut last: BTreeMap<ValueId, usize> = BTreeMap::new();
        let mut consumed: BTreeSet<ValueId> = BTreeSet::new();
        for (i, s) in self.plan.steps.iter().enumerate() {
            let reads: Vec<ValueId> = match s {
                Step::Redistribute { src, .. } => vec![*src],
                Step::Kernel(k) => k.inputs.iter().map(|i| i.value).collect(),
                Step::Write { old, value, in_place, .. } => {
                    if *in_place {
                        consumed.insert(*old);
                    }
                    vec![*old, *value]
                }
                Step::MatMul { a, b, .. } => vec![*a, *b],
                Step::Free(_) => vec![],
            };
            for r in reads {
                last.insert(r, i);
            }
        }
        let mut frees: BTreeMap<usize, Vec<ValueId>> = BTreeMap::new();
        for (v, i) in last {
            let val = self.plan.value(v);
            if val.source.is_none() && !keep.contains(&v) && !consumed.contains(&v) {
                frees.entry(i).or_default().push(v);
            }
        }
        let old = std::mem::take(&mut self.plan.steps);
        for (i, s) in old.into_iter().enumerate() {
            self.plan.steps.push(s);
            for v in frees.remove(&i).unwrap_or_default() {
                self.plan.steps.push(Step::Free(v));
            }
        }
    }
}
