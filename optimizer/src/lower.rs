//! Lowers the pending part of the graph under some roots to a physical plan.
//!
//! First the passes (`crate::passes`) find which nodes equal others; from then on every input
//! edge is read through that rewrite, and only nodes the outputs still need are visited.
//! Fusion: an elementwise node (or a view) whose consumers all fuse (elementwise ops and
//! reductions) and all run in one kernel is inlined into that kernel, which computes it once
//! per element even when it reads it twice (`x*x`); constants and other generators without
//! inputs are recomputed in every kernel that reads them. Every other node is materialized by a
//! step of its own. Layout planning: kernel outputs are split over ranks along axis 0
//! (reductions over axis 0 split their leaves instead and end replicated); each rank's input
//! boxes follow from its output box through the input's affine map, and a Redistribute step is
//! inserted wherever a rank does not already hold what it needs.

use crate::affine::{view_map, AffineMap};
use crate::kernel_builder::build_kernel;
use crate::merge_kernels::merge_sibling_kernels;
use crate::permuted_exchange::fuse_permuting_copies;
use crate::reuse_inputs::reuse_dying_inputs;
use crate::passes::{self, Rewrite};
use crate::plan::{coords_boxes, HostMode, KernelInput, KernelStep, Plan, ReduceMode, ReducePlan, Step, Value, ValueId};
use ir::kernel::LEAF;
use ir::layout::{contains, full_box, IBox, Layout};
use ir::{BufferId, Graph, NodeId, Op, Result};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

pub struct Lowerer<'a> {
    g: &'a Graph,
    rw: &'a Rewrite,
    ranks: usize,
    source_layout: &'a dyn Fn(BufferId) -> Layout,
    plan: Plan,
    values: BTreeMap<NodeId, ValueId>,
}

/// Plans the computation of `roots` (pending nodes) on `ranks` ranks. `source_layout` tells
/// how existing buffers are laid out. Each root, and each pending node something outside the
/// plan still references, is an output of the plan under its own id, even when the passes found
/// it equal to another node: then it has that node's value (the executor gives each its own
/// buffer).
pub fn lower_to_plan(g: &Graph, roots: &[NodeId], ranks: usize, source_layout: &dyn Fn(BufferId) -> Layout) -> Result<Plan> {
    let (mut plan, dying) = lower_steps(g, roots, ranks, source_layout)?;
    merge_sibling_kernels(&mut plan);
    fuse_permuting_copies(&mut plan, &dying);
    reuse_dying_inputs(&mut plan, &dying);
    insert_frees(&mut plan);
    Ok(plan)
}

/// The plan's steps one per materialized node, before kernels merge and frees are placed; and
/// the existing buffers it reads that nothing outside the plan holds (they die with it).
pub(crate) fn lower_steps(g: &Graph, roots: &[NodeId], ranks: usize, source_layout: &dyn Fn(BufferId) -> Layout) -> Result<(Plan, BTreeSet<ValueId>)> {
    // A node that something outside this plan still references (a live handle's base, a lazy
    // node not computed now) is kept as a buffer: then nothing pending after the plan reads a
    // buffer the plan overwrote in place, and live arrays are not computed twice.
    let mut graph_uses: BTreeMap<NodeId, usize> = BTreeMap::new();
    let ancestors = g.pending_ancestors(roots);
    for &n in &ancestors {
        for &i in &g.node(n).inputs {
            *graph_uses.entry(i).or_default() += 1;
        }
    }
    let external = |n: NodeId| g.refs(n) as usize > graph_uses.get(&n).copied().unwrap_or(0);
    let mut outputs: BTreeSet<NodeId> = roots.iter().copied().collect();
    outputs.extend(ancestors.iter().copied().filter(|&n| external(n)));
    let outputs: Vec<NodeId> = outputs.into_iter().collect();

    let sub = passes::optimize(g, &outputs);
    let nodes = &sub.live;
    let pending: BTreeSet<NodeId> = nodes.iter().copied().collect();
    let mut consumers: BTreeMap<NodeId, BTreeSet<NodeId>> = BTreeMap::new();
    for &n in nodes {
        for i in sub.inputs(n) {
            consumers.entry(i).or_default().insert(n);
        }
    }
    // The nodes holding the outputs' values are buffers of their own.
    let kept: BTreeSet<NodeId> = outputs.iter().map(|&o| sub.resolve(o)).collect();

    // Where each node is evaluated: its own step, or the step of the kernel inlining it. Visited
    // consumers first (descending ids), so a node sees where all its consumers run.
    let mut exec_at: BTreeMap<NodeId, NodeId> = BTreeMap::new();
    let mut materialized: BTreeSet<NodeId> = BTreeSet::new();
    for &n in nodes.iter().rev() {
        let node = g.node(n);
        let cs = consumers.get(&n);
        let fuse = |c: &NodeId| matches!(g.node(*c).op, Op::Unary(_) | Op::Binary(_) | Op::Cast | Op::Where | Op::Reduce { .. });
        let kernels: BTreeSet<NodeId> = cs.into_iter().flatten().map(|c| exec_at[c]).collect();
        let generator = node.inputs.is_empty() && node.op.is_elementwise() && !matches!(node.op, Op::Random { .. });
        let inlinable = node.op.is_elementwise() || matches!(node.op, Op::View(_));
        let inline = !kept.contains(&n)
            && cs.is_some_and(|cs| cs.iter().all(fuse))
            && ((inlinable && kernels.len() == 1) || generator);
        let at = if inline { *kernels.first().expect("a consumer") } else { n };
        if !inline {
            materialized.insert(n);
        }
        exec_at.insert(n, at);
    }

    // Host nodes that differ only in their output index and read the same inputs run as one
    // step (the library computes all outputs at once): leader (lowest id) -> members.
    let mut host_groups: BTreeMap<NodeId, Vec<NodeId>> = BTreeMap::new();
    {
        let mut leaders: Vec<(ir::HostOp, Vec<NodeId>, NodeId)> = Vec::new();
        for &n in &materialized {
            let Op::Host(h) = &g.node(n).op else { continue };
            let (key, ins) = (h.group(), sub.inputs(n));
            match leaders.iter().find(|(k, i, _)| *k == key && *i == ins) {
                Some((_, _, leader)) => host_groups.get_mut(leader).expect("leader").push(n),
                None => {
                    host_groups.insert(n, vec![n]);
                    leaders.push((key, ins, n));
                }
            }
        }
    }

    let mut l = Lowerer { g, rw: &sub.rewrite, ranks, source_layout, plan: Plan { ranks, ..Default::default() }, values: BTreeMap::new() };
    for &n in &materialized {
        let node = g.node(n);
        match &node.op {
            Op::Write(_) => {
                let (old, value) = (sub.resolve(node.inputs[0]), sub.resolve(node.inputs[1]));
                // Writing a buffer into itself (`a[::-1] = a`) must read it whole first.
                let in_place = !kept.contains(&old)
                    && !external(old)
                    && value != old
                    && consumers[&old].iter().all(|&c| c == n || exec_at[&c] < n);
                l.write(n, in_place)?;
            }
            Op::MatMul => l.matmul(n)?,
            Op::Host(_) => {
                // Members other than the leader were computed by the leader's step.
                if let Some(members) = host_groups.get(&n) {
                    l.host(members)?;
                }
            }
            _ => {
                let is_leaf = |id: NodeId| !pending.contains(&id) || materialized.contains(&id);
                l.kernel(n, &is_leaf)?;
            }
        }
    }
    l.plan.outputs = outputs.iter().map(|&o| (o, l.value_of(sub.resolve(o)))).collect();
    let dying = l
        .values
        .iter()
        .filter(|(&n, &v)| l.plan.value(v).source.is_some() && !external(n) && !kept.contains(&n))
        .map(|(_, &v)| v)
        .collect();
    Ok((l.plan, dying))
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
        self.plan.steps.push(Step::Redistribute { src: v, dst, map: None, consume: false });
        dst
    }

    /// The representative of `n`.
    fn resolve(&self, n: NodeId) -> NodeId {
        self.rw.get(&n).copied().unwrap_or(n)
    }

    fn kernel(&mut self, n: NodeId, is_leaf: &dyn Fn(NodeId) -> bool) -> Result<()> {
        let node = self.g.node(n);
        let built = build_kernel(self.g, self.rw, n, is_leaf);
        let (boxes, reduce, out_layout) = match &built.kernel.reduction {
            None => {
                let l = Layout::block0(&node.shape, self.ranks);
                (l.boxes.clone(), None, l)
            }
            Some(r) => {
                let domain = &self.g.node(self.resolve(node.inputs[0])).shape;
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
            Op::Reduce { .. } => self.g.node(self.resolve(node.inputs[0])).shape.clone(),
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
            reuse: None,
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
        let (old_n, val_n) = (self.resolve(node.inputs[0]), self.resolve(node.inputs[1]));
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
        let (a, b) = (self.value_of(self.resolve(node.inputs[0])), self.value_of(self.resolve(node.inputs[1])));
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

    /// How a host step is distributed: ops that work line by line along one axis of an n-d
    /// input run on blocks split along another axis (axis 0 when they can, else the longest);
    /// a 1-d sort is a sample sort; everything else is replicated.
    fn host_mode(&self, op: &ir::HostOp, input_shape: &[usize]) -> HostMode {
        match op.line_axis() {
            Some(_) if input_shape.len() == 1 && matches!(op, ir::HostOp::Sort { .. }) => HostMode::SampleSort,
            Some(line) if input_shape.len() >= 2 => {
                let split = if line != 0 {
                    0
                } else {
                    (1..input_shape.len()).max_by_key(|&k| (input_shape[k], std::cmp::Reverse(k))).unwrap_or(1)
                };
                HostMode::Split { axis: split }
            }
            _ => HostMode::Replicated,
        }
    }

    /// One step computes the host nodes `members` (same computation, different outputs), with
    /// its inputs and outputs laid out as `host_mode` says.
    fn host(&mut self, members: &[NodeId]) -> Result<()> {
        let first = self.g.node(members[0]);
        let Op::Host(op) = &first.op else { unreachable!() };
        let op = op.group();
        let in_shape = self.g.node(self.resolve(first.inputs[0])).shape.clone();
        let mode = self.host_mode(&op, &in_shape);
        let mut inputs = Vec::new();
        for &i in &first.inputs {
            let v = self.value_of(self.resolve(i));
            let shape = self.plan.value(v).shape.clone();
            let need = match mode {
                HostMode::Replicated => vec![full_box(&shape); self.ranks],
                HostMode::Split { axis } => Layout::blocks_along(&shape, self.ranks, axis).boxes,
                HostMode::SampleSort => Layout::block0(&shape, self.ranks).boxes,
            };
            inputs.push(self.ensure_boxes(v, need, false));
        }
        let mut outs = Vec::new();
        for &m in members {
            let node = self.g.node(m);
            let Op::Host(h) = &node.op else { unreachable!() };
            let layout = match mode {
                HostMode::Replicated => Layout::replicated(&node.shape, self.ranks),
                HostMode::Split { axis } => Layout::blocks_along(&node.shape, self.ranks, op.output_axis(axis)),
                HostMode::SampleSort => Layout::block0(&node.shape, self.ranks),
            };
            let out = self.new_value(Value { shape: node.shape.clone(), dtype: node.dtype, layout, source: None, node: Some(m) });
            self.values.insert(m, out);
            outs.push((h.output(), out));
        }
        self.plan.steps.push(Step::Host { op, inputs, outs, mode });
        Ok(())
    }
}

/// Frees every computed value after its last use, unless it is an output or was written in place.
fn insert_frees(plan: &mut Plan) {
    let keep: BTreeSet<ValueId> = plan.outputs.iter().map(|(_, v)| *v).collect();
    let mut last: BTreeMap<ValueId, usize> = BTreeMap::new();
    let mut consumed: BTreeSet<ValueId> = BTreeSet::new();
    for (i, s) in plan.steps.iter().enumerate() {
        if let Step::Write { old, in_place: true, .. } = s {
            consumed.insert(*old);
        }
        let reads = s.reads();
        for r in reads {
            last.insert(r, i);
        }
    }
    let mut frees: BTreeMap<usize, Vec<ValueId>> = BTreeMap::new();
    for (v, i) in last {
        let val = plan.value(v);
        if val.source.is_none() && !keep.contains(&v) && !consumed.contains(&v) {
            frees.entry(i).or_default().push(v);
        }
    }
    let old = std::mem::take(&mut plan.steps);
    for (i, s) in old.into_iter().enumerate() {
        plan.steps.push(s);
        for v in frees.remove(&i).unwrap_or_default() {
            plan.steps.push(Step::Free(v));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ir::op::{BinaryOp, ReduceOp, UnaryOp};
    use ir::view::{IndexItem, ViewSpec};
    use ir::{DType, Node, Scalar};

    struct G {
        g: Graph,
        ranks: usize,
        sources: BTreeMap<BufferId, Vec<usize>>,
    }

    impl G {
        fn new(ranks: usize) -> G {
            G { g: Graph::new(), ranks, sources: BTreeMap::new() }
        }
        fn source(&mut self, shape: &[usize]) -> NodeId {
            let b = BufferId(self.sources.len() as u64);
            self.sources.insert(b, shape.to_vec());
            let n = self.g.add(Node { op: Op::Source(b), inputs: vec![], shape: shape.to_vec(), dtype: DType::F64 });
            self.g.pin(n);
            n
        }
        fn add(&mut self, op: Op, inputs: Vec<NodeId>, shape: &[usize]) -> NodeId {
            self.g.add(Node { op, inputs, shape: shape.to_vec(), dtype: DType::F64 })
        }
        fn bin(&mut self, op: BinaryOp, a: NodeId, b: NodeId) -> NodeId {
            let s = ir::shape::broadcast_shapes(&self.g.node(a).shape, &self.g.node(b).shape).unwrap();
            self.add(Op::Binary(op), vec![a, b], &s)
        }
        fn un(&mut self, op: UnaryOp, a: NodeId) -> NodeId {
            let s = self.g.node(a).shape.clone();
            self.add(Op::Unary(op), vec![a], &s)
        }
        fn scalar(&mut self, v: f64) -> NodeId {
            self.add(Op::Fill(Scalar::Float(v)), vec![], &[])
        }
        fn plan(&mut self, root: NodeId) -> Plan {
            self.g.pin(root);
            let (ranks, sources) = (self.ranks, self.sources.clone());
            let layout = move |b: BufferId| Layout::block0(&sources[&b], ranks);
            lower_to_plan(&self.g, &[root], self.ranks, &layout).unwrap()
        }
    }

    impl G {
        fn plan_steps(&mut self, roots: &[NodeId], merge: bool) -> Plan {
            for &r in roots {
                self.g.pin(r);
            }
            let (ranks, sources) = (self.ranks, self.sources.clone());
            let layout = move |b: BufferId| Layout::block0(&sources[&b], ranks);
            let (mut p, _) = lower_steps(&self.g, roots, self.ranks, &layout).unwrap();
            if merge {
                merge_sibling_kernels(&mut p);
            }
            p
        }
    }

    #[test]
    fn sibling_elementwise_kernels_share_one_pass() {
        // starp.compute(a + b, a * b, b - 1): one kernel, each input loaded once, three outputs.
        let mut t = G::new(2);
        let (a, b) = (t.source(&[5, 3]), t.source(&[5, 3]));
        let x = t.bin(BinaryOp::Add, a, b);
        let y = t.bin(BinaryOp::Mul, a, b);
        let one = t.scalar(1.0);
        let z = t.bin(BinaryOp::Sub, b, one);
        let before = t.plan_steps(&[x, y, z], false);
        let after = t.plan_steps(&[x, y, z], true);
        assert_eq!(
            before.to_string(),
            "plan on 2 rank(s): 3 step(s), 3 kernel(s)\n\
             \x20 v0: float64[5, 3] boxes[0:3,0:3 | 3:5,0:3] <- buffer 0\n\
             \x20 v1: float64[5, 3] boxes[0:3,0:3 | 3:5,0:3] <- buffer 1\n\
             \x20 0. kernel elementwise over [5, 3] (3 instrs) reads [v0, v1] -> [v2]\n\
             \x20      v2: float64[5, 3] boxes[0:3,0:3 | 3:5,0:3]\n\
             \x20 1. kernel elementwise over [5, 3] (3 instrs) reads [v0, v1] -> [v3]\n\
             \x20      v3: float64[5, 3] boxes[0:3,0:3 | 3:5,0:3]\n\
             \x20 2. kernel elementwise over [5, 3] (3 instrs) reads [v1] -> [v4]\n\
             \x20      v4: float64[5, 3] boxes[0:3,0:3 | 3:5,0:3]\n"
        );
        assert_eq!(
            after.to_string(),
            "plan on 2 rank(s): 1 step(s), 1 kernel(s)\n\
             \x20 v0: float64[5, 3] boxes[0:3,0:3 | 3:5,0:3] <- buffer 0\n\
             \x20 v1: float64[5, 3] boxes[0:3,0:3 | 3:5,0:3] <- buffer 1\n\
             \x20 0. kernel elementwise over [5, 3] (6 instrs) reads [v0, v1] -> [v2, v3, v4]\n\
             \x20      v2: float64[5, 3] boxes[0:3,0:3 | 3:5,0:3]\n\
             \x20      v3: float64[5, 3] boxes[0:3,0:3 | 3:5,0:3]\n\
             \x20      v4: float64[5, 3] boxes[0:3,0:3 | 3:5,0:3]\n"
        );
        let Step::Kernel(k) = &after.steps[0] else { panic!() };
        assert_eq!(
            k.kernel.dump(),
            "kernel(ndim=2, inputs=[float64, float64], params=[float64])\n\
             \x20 v0: float64 = load in0\n\
             \x20 v1: float64 = load in1\n\
             \x20 v2: float64 = add v0, v1\n\
             \x20 v3: float64 = multiply v0, v1\n\
             \x20 v4: float64 = param p0\n\
             \x20 v5: float64 = subtract v1, v4\n\
             \x20 out0 <- v2\n\
             \x20 out1 <- v3\n\
             \x20 out2 <- v5\n"
        );
    }

    #[test]
    fn a_kernel_reading_a_siblings_result_stays_after_it() {
        // y = x.sum() is a reduction; w = x * 2 where x is kept: w reads x, so it cannot join
        // x's kernel; and a reduction never merges.
        let mut t = G::new(1);
        let a = t.source(&[6]);
        let x = t.un(UnaryOp::Exp, a);
        let two = t.scalar(2.0);
        let w = t.bin(BinaryOp::Mul, x, two);
        let s = t.add(Op::Reduce { op: ReduceOp::Sum, axes: vec![0], keepdims: false }, vec![a], &[]);
        let p = t.plan_steps(&[x, w, s], true);
        assert_kernels(&p, 3);
    }

    #[test]
    fn a_kernel_writes_over_an_input_that_dies_with_it() {
        // x = x * 2 + 1 after the old x's handle is gone: the old buffer takes the result. A live
        // input (pinned by a handle) and a shifted read are never overwritten.
        let mut t = G::new(2);
        let live = t.source(&[7]);
        let old = t.source(&[7]);
        let two = t.scalar(2.0);
        let x2 = t.bin(BinaryOp::Mul, old, two);
        let x = t.bin(BinaryOp::Add, x2, live);
        t.g.release(old); // its handle is gone; only the kernel reads it
        let p = t.plan(x);
        assert_eq!(
            p.to_string(),
            "plan on 2 rank(s): 1 step(s), 1 kernel(s)\n\
             \x20 v0: float64[7] boxes[0:4 | 4:7] <- buffer 1\n\
             \x20 v1: float64[7] boxes[0:4 | 4:7] <- buffer 0\n\
             \x20 0. kernel elementwise over [7] (5 instrs) reads [v0, v1] -> [v2] (over v0)\n\
             \x20      v2: float64[7] boxes[0:4 | 4:7]\n"
        );
        let mut t = G::new(1);
        let old = t.source(&[7]);
        let shifted = t.add(Op::View(ViewSpec { shape: vec![6], offset: 1, strides: vec![1], readonly: false }), vec![old], &[6]);
        let head = t.add(Op::View(ViewSpec { shape: vec![6], offset: 0, strides: vec![1], readonly: false }), vec![old], &[6]);
        let d = t.bin(BinaryOp::Sub, shifted, head);
        t.g.release(old);
        let p = t.plan(d);
        assert!(!p.to_string().contains("(over"), "{p}");
    }

    #[test]
    fn a_transpose_copy_is_one_permuted_exchange_that_consumes_a_dying_source() {
        // a = a.T.copy() on 2 ranks, the old a's handle gone: before, an exchange into column
        // strips and a copying kernel; after, one exchange writing b's rows, releasing a.
        let mut t = G::new(2);
        let a = t.source(&[5, 3]);
        let at = t.add(Op::View(ViewSpec { shape: vec![3, 5], offset: 0, strides: vec![1, 3], readonly: false }), vec![a], &[3, 5]);
        t.g.release(a);
        t.g.pin(at);
        let (ranks, sources) = (t.ranks, t.sources.clone());
        let layout = move |b: BufferId| Layout::block0(&sources[&b], ranks);
        let (before, dying) = lower_steps(&t.g, &[at], 2, &layout).unwrap();
        assert_eq!(
            before.to_string(),
            "plan on 2 rank(s): 2 step(s), 1 kernel(s)\n\
             \x20 v0: float64[5, 3] boxes[0:3,0:3 | 3:5,0:3] <- buffer 0\n\
             \x20 0. redistribute v0 -> v1: [5, 3] boxes[0:5,0:2 | 0:5,2:3], 56 bytes moved\n\
             \x20 1. kernel elementwise over [3, 5] (1 instrs) reads [v1] -> [v2]\n\
             \x20      v2: float64[3, 5] boxes[0:2,0:5 | 2:3,0:5]\n"
        );
        let after = lower_to_plan(&t.g, &[at], 2, &layout).unwrap();
        assert!(dying.contains(&ValueId(0)));
        assert_eq!(
            after.to_string(),
            "plan on 2 rank(s): 1 step(s), 0 kernel(s)\n\
             \x20 v0: float64[5, 3] boxes[0:3,0:3 | 3:5,0:3] <- buffer 0\n\
             \x20 0. redistribute permuted v0 -> v2: [3, 5] boxes[0:2,0:5 | 2:3,0:5], 56 bytes moved (releases v0 as it goes)\n"
        );
        // While a handle still holds a, the exchange must not release it.
        let mut t = G::new(2);
        let a = t.source(&[5, 3]);
        let at = t.add(Op::View(ViewSpec { shape: vec![3, 5], offset: 0, strides: vec![1, 3], readonly: false }), vec![a], &[3, 5]);
        let p = t.plan(at);
        assert!(p.to_string().contains("redistribute permuted v0 -> v2") && !p.to_string().contains("releases"), "{p}");
    }

    /// Fails with the plan printed, like tinygrad's check_schedule.
    fn assert_kernels(p: &Plan, n: usize) {
        assert_eq!(p.kernel_count(), n, "expected {n} kernel(s), got {}:\n{p}", p.kernel_count());
    }

    #[test]
    fn squared_difference_sum_is_one_kernel() {
        let mut t = G::new(1);
        let (a, b) = (t.source(&[4, 5]), t.source(&[4, 5]));
        let d = t.bin(BinaryOp::Sub, a, b);
        let two = t.scalar(2.0);
        let sq = t.bin(BinaryOp::Pow, d, two);
        let s = t.add(Op::Reduce { op: ReduceOp::Sum, axes: vec![1], keepdims: false }, vec![sq], &[4]);
        let p = t.plan(s);
        assert_kernels(&p, 1);
        assert_eq!(
            p.to_string(),
            "plan on 1 rank(s): 1 step(s), 1 kernel(s)\n\
             \x20 v0: float64[4, 5] replicated <- buffer 0\n\
             \x20 v1: float64[4, 5] replicated <- buffer 1\n\
             \x20 0. kernel reduce(Local, 1 leaves) over [4, 5] (5 instrs) reads [v0, v1] -> [v2]\n\
             \x20      v2: float64[4] replicated\n"
        );
    }

    /// The number of instructions of each kernel, in step order.
    fn instrs(p: &Plan) -> Vec<usize> {
        p.steps.iter().filter_map(|s| if let Step::Kernel(k) = s { Some(k.kernel.body.len()) } else { None }).collect()
    }

    #[test]
    fn an_intermediate_read_twice_by_one_kernel_is_computed_once_in_it() {
        let mut t = G::new(1);
        let a = t.source(&[8]);
        let one = t.scalar(1.0);
        let x = t.bin(BinaryOp::Add, a, one);
        let y = t.bin(BinaryOp::Mul, x, x);
        let p = t.plan(y);
        assert_kernels(&p, 1);
        // load a, param 1.0, add, multiply: x is not materialized and not computed twice.
        assert_eq!(instrs(&p), vec![4], "{p}");
    }

    #[test]
    fn an_intermediate_two_kernels_read_is_computed_once_and_freed() {
        let mut t = G::new(1);
        let a = t.source(&[8]);
        let one = t.scalar(1.0);
        let x = t.bin(BinaryOp::Add, a, one);
        let s = t.add(Op::Reduce { op: ReduceOp::Sum, axes: vec![0], keepdims: false }, vec![x], &[]);
        let y = t.bin(BinaryOp::Mul, x, s);
        let p = t.plan(y);
        assert_kernels(&p, 3);
        // The intermediate is freed once its last consumer ran.
        assert!(p.steps.iter().any(|s| matches!(s, Step::Free(_))), "{p}");
    }

    #[test]
    fn identities_leave_the_kernel() {
        // a*1 + 0*b: a*1 -> a; 0*b stays (0 * nan is nan, 0 * -1 is -0.0).
        let mut t = G::new(1);
        let (a, b) = (t.source(&[4]), t.source(&[4]));
        let (one, zero) = (t.scalar(1.0), t.scalar(0.0));
        let a1 = t.bin(BinaryOp::Mul, a, one);
        let b0 = t.bin(BinaryOp::Mul, zero, b);
        let s = t.bin(BinaryOp::Add, a1, b0);
        let p = t.plan(s);
        assert_kernels(&p, 1);
        // load a, param 0.0, load b, multiply, add (7 without the rewrite).
        assert_eq!(instrs(&p), vec![5], "{p}");
    }

    #[test]
    fn an_identity_removes_a_materialization() {
        // t = a+b; y = t * (t*1): t*1 -> t, so t is read twice by one kernel and not materialized.
        let mut t = G::new(1);
        let (a, b) = (t.source(&[4]), t.source(&[4]));
        let ab = t.bin(BinaryOp::Add, a, b);
        let one = t.scalar(1.0);
        let u = t.bin(BinaryOp::Mul, ab, one);
        let y = t.bin(BinaryOp::Mul, ab, u);
        assert_kernels(&t.plan(y), 1);
    }

    #[test]
    fn an_identity_on_a_buffer_needs_no_kernel() {
        let mut t = G::new(2);
        let a = t.source(&[4]);
        let one = t.scalar(1.0);
        let y = t.bin(BinaryOp::Mul, a, one);
        let p = t.plan(y);
        assert_kernels(&p, 0);
        // The root is an output under its own id, holding the source's value.
        assert_eq!(p.outputs, vec![(y, ValueId(0))]);
        assert_eq!(p.value(ValueId(0)).source, Some(BufferId(0)));
    }

    #[test]
    fn a_root_equal_to_another_node_shares_its_value() {
        let mut t = G::new(1);
        let (a, b) = (t.source(&[4]), t.source(&[4]));
        let x = t.bin(BinaryOp::Add, a, b);
        let one = t.scalar(1.0);
        let y = t.bin(BinaryOp::Mul, x, one);
        let p = t.plan(y);
        assert_kernels(&p, 1);
        let v = p.outputs[0].1;
        assert_eq!(p.outputs, vec![(y, v)]);
        assert_eq!(p.value(v).node, Some(x), "{p}");
    }

    #[test]
    fn two_outputs_equal_to_one_node_share_its_value() {
        // x is live (pinned), y = x*1 is the root: both are outputs, and y is x.
        let mut t = G::new(1);
        let (a, b) = (t.source(&[4]), t.source(&[4]));
        let x = t.bin(BinaryOp::Add, a, b);
        t.g.pin(x);
        let one = t.scalar(1.0);
        let y = t.bin(BinaryOp::Mul, x, one);
        let p = t.plan(y);
        assert_kernels(&p, 1);
        assert_eq!((p.outputs[0].0, p.outputs[1].0), (x, y));
        assert_eq!(p.outputs[0].1, p.outputs[1].1, "{p}");
    }

    #[test]
    fn cse_computes_a_repeated_sum_once() {
        // (a+b)*(a+b) with two add nodes: one add after CSE, read twice inside one kernel.
        let mut t = G::new(1);
        let (a, b) = (t.source(&[4]), t.source(&[4]));
        let s1 = t.bin(BinaryOp::Add, a, b);
        let s2 = t.bin(BinaryOp::Add, a, b);
        let y = t.bin(BinaryOp::Mul, s1, s2);
        let p = t.plan(y);
        assert_kernels(&p, 1);
        assert_eq!(
            p.steps.iter().find_map(|s| if let Step::Kernel(k) = s { Some(k.kernel.dump()) } else { None }).unwrap(),
            "kernel(ndim=1, inputs=[float64, float64], params=[])\n\
             \x20 v0: float64 = load in0\n\
             \x20 v1: float64 = load in1\n\
             \x20 v2: float64 = add v0, v1\n\
             \x20 v3: float64 = multiply v2, v2\n\
             \x20 out0 <- v3\n"
        );
    }

    #[test]
    fn cse_keeps_a_shared_exp_inside_the_kernel_of_its_consumers() {
        // sin(exp(a)) + cos(exp(a)): one exp, and it runs in the kernel that reads it.
        let mut t = G::new(1);
        let a = t.source(&[4]);
        let e1 = t.un(UnaryOp::Exp, a);
        let e2 = t.un(UnaryOp::Exp, a);
        let s = t.un(UnaryOp::Sin, e1);
        let c = t.un(UnaryOp::Cos, e2);
        let y = t.bin(BinaryOp::Add, s, c);
        let p = t.plan(y);
        assert_kernels(&p, 1);
        assert_eq!(instrs(&p), vec![5], "{p}");
    }

    #[test]
    fn merged_constants_are_recomputed_in_each_kernel() {
        // Both 2.0s become one fill node read by two kernels: each kernel has it as a parameter.
        let mut t = G::new(1);
        let (a, b) = (t.source(&[4]), t.source(&[4]));
        let two = t.scalar(2.0);
        let a2 = t.bin(BinaryOp::Mul, a, two);
        let s = t.add(Op::Reduce { op: ReduceOp::Sum, axes: vec![0], keepdims: false }, vec![a2], &[]);
        let two = t.scalar(2.0);
        let b2 = t.bin(BinaryOp::Mul, b, two);
        let y = t.bin(BinaryOp::Add, b2, s);
        assert_kernels(&t.plan(y), 2);
    }

    #[test]
    fn nothing_to_simplify_leaves_the_plan_as_it_was() {
        let mut t = G::new(1);
        let (a, b) = (t.source(&[4]), t.source(&[4]));
        let s = t.bin(BinaryOp::Add, a, b);
        let d = t.bin(BinaryOp::Sub, a, b);
        let y = t.bin(BinaryOp::Mul, s, d);
        let p = t.plan(y);
        assert!(crate::passes::optimize(&t.g, &[y]).rewrite.is_empty());
        assert_kernels(&p, 1);
        assert_eq!(
            p.to_string(),
            "plan on 1 rank(s): 1 step(s), 1 kernel(s)\n\
             \x20 v0: float64[4] replicated <- buffer 0\n\
             \x20 v1: float64[4] replicated <- buffer 1\n\
             \x20 0. kernel elementwise over [4] (5 instrs) reads [v0, v1] -> [v2]\n\
             \x20      v2: float64[4] replicated\n"
        );
    }

    #[test]
    fn shifted_slices_move_one_halo_element() {
        let mut t = G::new(2);
        let a = t.source(&[10]);
        let full = ViewSpec::identity(&[10]);
        let hi = full.index(&[IndexItem::Slice(Some(1), None, None)]).unwrap();
        let lo = full.index(&[IndexItem::Slice(None, Some(-1), None)]).unwrap();
        let va = t.add(Op::View(hi), vec![a], &[9]);
        let vb = t.add(Op::View(lo), vec![a], &[9]);
        let d = t.bin(BinaryOp::Sub, va, vb);
        let p = t.plan(d);
        assert_kernels(&p, 1);
        // Output rows 0..5 | 5..9; rank 0 needs a[1..6] (a[5] from rank 1), rank 1 needs a[5..9]
        // and a[6..10] (a[5] is its own): exactly one float64 crosses.
        assert_eq!(p.exchange_bytes().iter().sum::<usize>(), 8, "{p}");
    }

    #[test]
    fn transposed_reads_are_an_all_to_all() {
        let mut t = G::new(2);
        let a = t.source(&[4, 4]);
        let tr = ViewSpec::identity(&[4, 4]).transpose(None).unwrap();
        let v = t.add(Op::View(tr), vec![a], &[4, 4]);
        let one = t.scalar(1.0);
        let s = t.bin(BinaryOp::Add, v, one);
        let p = t.plan(s);
        assert_kernels(&p, 1);
        // Each rank keeps the 2x2 block it has and receives the other: 2 * 4 elements cross.
        assert_eq!(p.exchange_bytes(), vec![2 * 4 * 8], "{p}");
    }

    #[test]
    fn reducing_the_split_axis_gathers_leaf_partials() {
        let mut t = G::new(3);
        let a = t.source(&[7, 3]);
        let s = t.add(Op::Reduce { op: ReduceOp::Sum, axes: vec![0], keepdims: false }, vec![a], &[3]);
        let p = t.plan(s);
        let k = p.steps.iter().find_map(|s| if let Step::Kernel(k) = s { Some(k) } else { None }).expect("a kernel");
        let r = k.reduce.as_ref().unwrap();
        assert_eq!(r.mode, ReduceMode::Gather);
        // 7 * 1 reduced elements fit in one leaf: rank 0 computes it and reads every row.
        assert_eq!(r.leaves, vec![(0, 1), (1, 1), (1, 1)]);
        assert!(p.value(k.outputs[0]).layout.is_replicated(&[3]));
    }

    #[test]
    fn host_outputs_of_one_computation_run_as_one_replicated_step() {
        // U and S of one svd, read by one kernel: the input is replicated once, one host step
        // fills both outputs (replicated), and the kernel reads its rows of them in place.
        let mut t = G::new(3);
        let a = t.source(&[4, 4]);
        let svd = |output| Op::Host(ir::HostOp::Svd { full_matrices: true, compute_uv: true, output });
        let u = t.add(svd(0), vec![a], &[4, 4]);
        let s = t.add(svd(1), vec![a], &[4]);
        let y = t.bin(BinaryOp::Mul, u, s);
        let p = t.plan(y);
        assert_kernels(&p, 1);
        let hosts: Vec<&Step> = p.steps.iter().filter(|s| matches!(s, Step::Host { .. })).collect();
        assert_eq!(hosts.len(), 1, "{p}");
        let Step::Host { op, inputs, outs, .. } = hosts[0] else { unreachable!() };
        assert_eq!(op.output(), 0);
        assert_eq!(outs.iter().map(|(k, _)| *k).collect::<Vec<_>>(), vec![0, 1]);
        assert!(p.value(inputs[0]).layout.is_replicated(&[4, 4]));
        assert!(outs.iter().all(|(_, v)| p.value(*v).layout.is_replicated(&p.value(*v).shape)));
        // Only the gather of the input moves data.
        assert_eq!(p.exchange_bytes().len(), 1, "{p}");
        assert!(p.to_string().contains("host linalg.svd(full_matrices=true, compute_uv=true) reads"), "{p}");
    }

    #[test]
    fn line_ops_are_planned_as_distributed_host_steps() {
        // Along axis 1 each rank sorts its own rows: no exchange at all. A 1-d sort is a sample
        // sort of block-0 rows into block-0 outputs.
        let mut t = G::new(3);
        let a = t.source(&[7, 5]);
        let sort = |axis, output| Op::Host(ir::HostOp::Sort { axis, output });
        let s = t.add(sort(1, 0), vec![a], &[7, 5]);
        let p = t.plan(s);
        assert!(p.exchange_bytes().is_empty(), "{p}");
        let Some(Step::Host { mode, outs, .. }) = p.steps.iter().find(|s| matches!(s, Step::Host { .. })) else { panic!("{p}") };
        assert_eq!(*mode, HostMode::Split { axis: 0 });
        assert_eq!(p.value(outs[0].1).layout, Layout::block0(&[7, 5], 3));
        assert!(p.to_string().contains("host sort(axis=1) (split along axis 0) reads"), "{p}");

        let mut t = G::new(3);
        let b = t.source(&[10]);
        let v = t.add(sort(0, 0), vec![b], &[10]);
        let i = t.add(sort(0, 1), vec![b], &[10]);
        let y = t.bin(BinaryOp::Add, v, i);
        let p = t.plan(y);
        let hosts: Vec<&Step> = p.steps.iter().filter(|s| matches!(s, Step::Host { .. })).collect();
        assert_eq!(hosts.len(), 1, "{p}");
        let Step::Host { mode, outs, .. } = hosts[0] else { unreachable!() };
        assert_eq!((*mode, outs.len()), (HostMode::SampleSort, 2));
        assert!(p.exchange_bytes().is_empty(), "{p}");

        // Along axis 0 of an n-d array the input is split along its longest other axis: one
        // exchange there, the sort, and the result in those blocks (no gather to every rank).
        let mut t = G::new(3);
        let c = t.source(&[7, 2, 5]);
        let s = t.add(sort(0, 0), vec![c], &[7, 2, 5]);
        let p = t.plan(s);
        let Some(Step::Host { mode, outs, .. }) = p.steps.iter().find(|s| matches!(s, Step::Host { .. })) else { panic!("{p}") };
        assert_eq!(*mode, HostMode::Split { axis: 2 });
        assert_eq!(p.value(outs[0].1).layout, Layout::blocks_along(&[7, 2, 5], 3, 2));
        let moved: usize = p.exchange_bytes().iter().sum();
        assert!(moved < 7 * 2 * 5 * 8, "only the off-block parts move: {p}");

        // median along axis 0 of (7, 5): the result (5,) is split as the input's axis 1 was;
        // quantile's q axis comes first.
        let mut t = G::new(2);
        let d = t.source(&[7, 5]);
        let m = t.add(Op::Host(ir::HostOp::Median { axis: 0 }), vec![d], &[5]);
        let p = t.plan(m);
        let Some(Step::Host { mode, outs, .. }) = p.steps.iter().find(|s| matches!(s, Step::Host { .. })) else { panic!("{p}") };
        assert_eq!(*mode, HostMode::Split { axis: 1 });
        assert_eq!(p.value(outs[0].1).layout, Layout::blocks_along(&[5], 2, 0));
        let mut t = G::new(2);
        let e = t.source(&[7, 5]);
        let q = t.add(Op::Host(ir::HostOp::Quantile { axis: 0, q: vec![0.1, 0.5, 0.9], f32_index: false }), vec![e], &[3, 5]);
        let p = t.plan(q);
        let Some(Step::Host { outs, .. }) = p.steps.iter().find(|s| matches!(s, Step::Host { .. })) else { panic!("{p}") };
        assert_eq!(p.value(outs[0].1).layout, Layout::blocks_along(&[3, 5], 2, 1));

        // Ops that need their whole input stay replicated.
        let mut t = G::new(3);
        let f = t.source(&[4, 4]);
        let inv = t.add(Op::Host(ir::HostOp::Inv), vec![f], &[4, 4]);
        let p = t.plan(inv);
        assert!(p.steps.iter().any(|s| matches!(s, Step::Host { mode: HostMode::Replicated, .. })), "{p}");
    }

    #[test]
    fn host_nodes_with_other_parameters_are_separate_steps() {
        let mut t = G::new(2);
        let a = t.source(&[4, 4]);
        let f = |axis| Op::Host(ir::HostOp::Fft { kind: ir::host_op::FftKind::Forward, axis, n: 4, norm: ir::host_op::FftNorm::Backward });
        let x = t.add(f(0), vec![a], &[4, 4]);
        let y = t.add(f(1), vec![a], &[4, 4]);
        let z = t.bin(BinaryOp::Add, x, y);
        let p = t.plan(z);
        assert_eq!(p.steps.iter().filter(|s| matches!(s, Step::Host { .. })).count(), 2, "{p}");
    }

    #[test]
    fn elementwise_chain_stays_one_kernel_and_unchanged_when_nothing_fuses() {
        let mut t = G::new(1);
        let a = t.source(&[3]);
        let mut x = a;
        for _ in 0..50 {
            let c = t.scalar(0.5);
            x = t.bin(BinaryOp::Mul, x, c);
        }
        assert_kernels(&t.plan(x), 1);
        let mut u = G::new(1);
        let b = u.source(&[3]);
        let m = u.add(Op::MatMul, vec![b, b], &[3]);
        let p = u.plan(m);
        assert_kernels(&p, 0);
        assert!(matches!(p.steps[0], Step::MatMul { .. }));
    }
}
