//! The logical graph: an ordered arena of nodes with counted references, and the bases that
//! Python handles point at.
//!
//! Ids are counters, so a node's inputs always have smaller ids than the node: ascending id order
//! is a topological order, and no traversal needs recursion. A base is a sequence of versions;
//! a write appends a version, and every handle on the base reads the newest one.

use crate::dtype::DType;
use crate::host_op::HostOp;
use crate::op::{BinaryOp, RandomDist, ReduceOp, UnaryOp};
use crate::scalar::Scalar;
use crate::view::ViewSpec;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct NodeId(pub u64);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct BaseId(pub u64);

/// Names a materialized buffer held by the runtime.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct BufferId(pub u64);

impl fmt::Display for NodeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "%{}", self.0)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Op {
    /// Data the runtime holds.
    Source(BufferId),
    /// Every element equal to one value (also how Python scalars enter expressions).
    Fill(Scalar),
    /// `start + i * step` along the only axis.
    Arange { start: Scalar, step: Scalar },
    /// NumPy's `linspace` along the only axis.
    Linspace { start: f64, stop: f64, num: usize, endpoint: bool },
    /// Ones where `col - row == k`.
    Eye { k: i64 },
    /// Element i of draw `draw` of the stream `seed` (plus `range` for bounded integers).
    Random { dist: RandomDist, seed: u64, draw: u64, range: u64 },
    Unary(UnaryOp),
    /// Both inputs already have the loop dtype; broadcasting is implicit.
    Binary(BinaryOp),
    /// Cast to the node's dtype.
    Cast,
    /// Inputs: condition (bool), then the two branches (node dtype).
    Where,
    /// Reduce `axes` (sorted); the node dtype is the accumulator's.
    Reduce { op: ReduceOp, axes: Vec<usize>, keepdims: bool },
    /// A view of the input, which is a whole base version.
    View(ViewSpec),
    /// A new version of a base: input 0 (old version) with the view region replaced by input 1
    /// (broadcast to the region, already of the base dtype).
    Write(ViewSpec),
    /// 2-D matrix product of two inputs of the node dtype.
    MatMul,
    /// A whole-array library computation (linalg, fft) on replicated inputs; see `host_op`.
    Host(HostOp),
}

impl Op {
    pub fn name(&self) -> String {
        match self {
            Op::Source(b) => format!("source(buf{})", b.0),
            Op::Fill(s) => format!("fill({})", fmt_scalar(s)),
            Op::Arange { start, step } => format!("arange(start={}, step={})", fmt_scalar(start), fmt_scalar(step)),
            Op::Linspace { start, stop, num, endpoint } => {
                format!("linspace({start}, {stop}, num={num}, endpoint={endpoint})")
            }
            Op::Eye { k } => format!("eye(k={k})"),
            Op::Random { dist, seed, draw, .. } => format!("random.{dist:?}(seed={seed}, draw={draw})"),
            Op::Unary(u) => u.name().into(),
            Op::Binary(b) => b.name().into(),
            Op::Cast => "astype".into(),
            Op::Where => "where".into(),
            Op::Reduce { op, axes, keepdims } => format!("{}(axes={axes:?}{})", op.name(), if *keepdims { ", keepdims" } else { "" }),
            Op::View(v) => format!("view(offset={}, strides={:?})", v.offset, v.strides),
            Op::Write(v) => format!("write(offset={}, shape={:?}, strides={:?})", v.offset, v.shape, v.strides),
            Op::MatMul => "matmul".into(),
            Op::Host(h) => h.name(),
        }
    }

    /// Elementwise ops and generators: what a fused kernel can compute per element.
    pub fn is_elementwise(&self) -> bool {
        matches!(
            self,
            Op::Fill(_) | Op::Arange { .. } | Op::Linspace { .. } | Op::Eye { .. } | Op::Random { .. }
                | Op::Unary(_) | Op::Binary(_) | Op::Cast | Op::Where
        )
    }
}

pub fn fmt_scalar(s: &Scalar) -> String {
    match s {
        Scalar::Bool(b) => b.to_string(),
        Scalar::Int(i) => i.to_string(),
        Scalar::UInt(u) => u.to_string(),
        Scalar::Float(f) => format!("{f:?}"),
        Scalar::Complex(re, im) => format!("({re:?}{im:+?}j)"),
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Node {
    pub op: Op,
    pub inputs: Vec<NodeId>,
    pub shape: Vec<usize>,
    pub dtype: DType,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
struct Entry {
    node: Node,
    /// Consumers plus bases whose current version this is, plus pins held by the caller.
    refs: u32,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Base {
    pub version: NodeId,
    pub handles: u32,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Graph {
    nodes: BTreeMap<NodeId, Entry>,
    bases: BTreeMap<BaseId, Base>,
    next_node: u64,
    next_base: u64,
    pending: usize,
}

impl Graph {
    pub fn new() -> Graph {
        Graph::default()
    }

    /// Adds a node; it holds a reference on each input. The new node starts unreferenced:
    /// give it to a base, use it as an input, or `pin` it.
    pub fn add(&mut self, node: Node) -> NodeId {
        for i in &node.inputs {
            self.entry_mut(*i).refs += 1;
        }
        if !matches!(node.op, Op::Source(_)) {
            self.pending += 1;
        }
        let id = NodeId(self.next_node);
        self.next_node += 1;
        self.nodes.insert(id, Entry { node, refs: 0 });
        id
    }

    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes.get(&id).unwrap_or_else(|| panic!("node {id} is not in the graph")).node
    }

    pub fn contains(&self, id: NodeId) -> bool {
        self.nodes.contains_key(&id)
    }

    pub fn refs(&self, id: NodeId) -> u32 {
        self.nodes.get(&id).map_or(0, |e| e.refs)
    }

    fn entry_mut(&mut self, id: NodeId) -> &mut Entry {
        self.nodes.get_mut(&id).unwrap_or_else(|| panic!("node {id} is not in the graph"))
    }

    /// Nodes that are not yet materialized.
    pub fn pending(&self) -> usize {
        self.pending
    }

    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    pub fn pin(&mut self, id: NodeId) {
        self.entry_mut(id).refs += 1;
    }

    /// Drops one reference; frees every node that becomes unreferenced and returns the buffers
    /// of the freed sources, for the runtime to release.
    pub fn release(&mut self, id: NodeId) -> Vec<BufferId> {
        let mut freed = Vec::new();
        let mut work = vec![id];
        while let Some(id) = work.pop() {
            let e = self.entry_mut(id);
            e.refs -= 1;
            if e.refs > 0 {
                continue;
            }
            let e = self.nodes.remove(&id).expect("present");
            match e.node.op {
                Op::Source(b) => freed.push(b),
                _ => self.pending -= 1,
            }
            work.extend(e.node.inputs);
        }
        freed
    }

    /// Frees a node that nothing references (a node built for an operation that then failed).
    pub fn discard_if_unused(&mut self, id: NodeId) -> Vec<BufferId> {
        if self.refs(id) == 0 && self.contains(id) {
            self.pin(id);
            self.release(id)
        } else {
            vec![]
        }
    }

    /// Turns a computed node into a source of `buffer`; its inputs lose a consumer.
    pub fn materialize(&mut self, id: NodeId, buffer: BufferId) -> Vec<BufferId> {
        let e = self.entry_mut(id);
        let was_source = matches!(e.node.op, Op::Source(_));
        let old_inputs = std::mem::take(&mut e.node.inputs);
        let old = std::mem::replace(&mut e.node.op, Op::Source(buffer));
        if !was_source {
            self.pending -= 1;
        }
        let mut freed = match old {
            Op::Source(b) if b != buffer => vec![b],
            _ => vec![],
        };
        for i in old_inputs {
            freed.extend(self.release(i));
        }
        freed
    }

    // ---- bases ----

    pub fn new_base(&mut self, version: NodeId) -> BaseId {
        self.pin(version);
        let id = BaseId(self.next_base);
        self.next_base += 1;
        self.bases.insert(id, Base { version, handles: 1 });
        id
    }

    pub fn base(&self, id: BaseId) -> &Base {
        self.bases.get(&id).unwrap_or_else(|| panic!("base {} is not in the graph", id.0))
    }

    pub fn bases(&self) -> impl Iterator<Item = (&BaseId, &Base)> {
        self.bases.iter()
    }

    pub fn add_handle(&mut self, id: BaseId) {
        self.bases.get_mut(&id).expect("live base").handles += 1;
    }

    /// Drops one handle; the last one frees the base's version if nothing else needs it.
    pub fn drop_handle(&mut self, id: BaseId) -> Vec<BufferId> {
        let Some(b) = self.bases.get_mut(&id) else { return vec![] };
        b.handles -= 1;
        if b.handles > 0 {
            return vec![];
        }
        let b = self.bases.remove(&id).expect("present");
        self.release(b.version)
    }

    /// Makes `version` the newest version of `base`.
    pub fn set_version(&mut self, base: BaseId, version: NodeId) -> Vec<BufferId> {
        self.pin(version);
        let old = std::mem::replace(&mut self.bases.get_mut(&base).expect("live base").version, version);
        self.release(old)
    }

    /// The nodes that must run to compute `roots`: every non-source ancestor, in ascending id
    /// order (a topological order).
    pub fn pending_ancestors(&self, roots: &[NodeId]) -> Vec<NodeId> {
        let mut seen = std::collections::BTreeSet::new();
        let mut work: Vec<NodeId> = roots.to_vec();
        while let Some(id) = work.pop() {
            let n = self.node(id);
            if matches!(n.op, Op::Source(_)) || !seen.insert(id) {
                continue;
            }
            work.extend(n.inputs.iter().copied());
        }
        seen.into_iter().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leaf(g: &mut Graph) -> NodeId {
        g.add(Node { op: Op::Fill(Scalar::Float(1.0)), inputs: vec![], shape: vec![3], dtype: DType::F64 })
    }

    #[test]
    fn long_chains_free_without_recursion() {
        let mut g = Graph::new();
        let mut x = leaf(&mut g);
        for _ in 0..200_000 {
            x = g.add(Node { op: Op::Unary(UnaryOp::Neg), inputs: vec![x], shape: vec![3], dtype: DType::F64 });
        }
        let b = g.new_base(x);
        assert_eq!(g.pending_ancestors(&[x]).len(), 200_001);
        g.drop_handle(b);
        assert!(g.is_empty());
        assert_eq!(g.pending(), 0);
    }

    #[test]
    fn versions_keep_what_earlier_nodes_read() {
        let mut g = Graph::new();
        let v0 = leaf(&mut g);
        let b = g.new_base(v0);
        let reader = g.add(Node { op: Op::Unary(UnaryOp::Neg), inputs: vec![v0], shape: vec![3], dtype: DType::F64 });
        let r = g.new_base(reader);
        let v1 = leaf(&mut g);
        g.set_version(b, v1);
        assert!(g.contains(v0), "the reader still needs version 0");
        g.drop_handle(r);
        assert!(!g.contains(v0));
        g.drop_handle(b);
        assert!(g.is_empty());
    }
}

#[cfg(test)]
mod serde_tests {
    use super::*;
    use crate::kernel::{Instr, InstrOp, Kernel};

    #[test]
    fn graphs_and_kernels_survive_a_round_trip() {
        let mut g = Graph::new();
        let a = g.add(Node { op: Op::Arange { start: Scalar::Int(0), step: Scalar::Int(2) }, inputs: vec![], shape: vec![5], dtype: DType::I64 });
        let v = g.add(Node { op: Op::View(ViewSpec::identity(&[5]).transpose(None).unwrap()), inputs: vec![a], shape: vec![5], dtype: DType::I64 });
        g.new_base(v);
        let bytes = postcard::to_allocvec(&g).unwrap();
        let back: Graph = postcard::from_bytes(&bytes).unwrap();
        assert_eq!(crate::dump::text(&back, &[v]), crate::dump::text(&g, &[v]));
        let k = Kernel {
            ndim: 1,
            inputs: vec![DType::F32],
            params: vec![DType::F32],
            body: vec![
                Instr { op: InstrOp::Load(0), dtype: DType::F32 },
                Instr { op: InstrOp::Param(0), dtype: DType::F32 },
                Instr { op: InstrOp::Binary(crate::op::BinaryOp::Mul, 0, 1), dtype: DType::F32 },
            ],
            outputs: vec![2],
            reduction: None,
        };
        let back: Kernel = postcard::from_bytes(&postcard::to_allocvec(&k).unwrap()).unwrap();
        assert_eq!(back, k);
        assert_eq!(back.dump(), k.dump());
    }
}
