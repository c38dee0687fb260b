//! Passes over the pending subgraph, run by `lower_to_plan` before it decides what to fuse.
//!
//! The graph belongs to the session and lowering only reads it, so a pass does not edit nodes:
//! it returns a `Rewrite`, "node X computes the same array as node Y" (Y an existing node with
//! an id no larger than X's, of the same shape and dtype). The driver composes the rewrites so
//! that every key maps straight to its representative, then recomputes which pending nodes the
//! outputs still need (`dce::live`). Lowering reads every input edge through the rewrite.

pub mod cse;
pub mod dce;
pub mod simplify;

use ir::{Graph, NodeId};
use std::collections::BTreeMap;

/// Node -> the node it is equivalent to (its representative once the driver has composed it).
pub type Rewrite = BTreeMap<NodeId, NodeId>;

/// A pass: the rewrites it finds among the live nodes of the subgraph.
pub type Pass = fn(&Subgraph) -> Rewrite;

/// The passes `lower_to_plan` runs, in order. Simplification after CSE catches identities
/// that only show once equal operands are one node (`where(c, x, y)` with x and y equal).
pub const PASSES: &[(&str, Pass)] = &[("simplify", simplify::run), ("cse", cse::run), ("simplify", simplify::run)];

/// The pending subgraph under some outputs, seen through the rewrites found so far.
pub struct Subgraph<'a> {
    pub g: &'a Graph,
    /// The nodes the plan must produce, ascending: roots and nodes referenced from outside.
    pub outputs: Vec<NodeId>,
    /// Every rewrite so far; each key maps straight to its representative.
    pub rewrite: Rewrite,
    /// The pending nodes the outputs' representatives need, ascending (a topological order).
    pub live: Vec<NodeId>,
}

impl<'a> Subgraph<'a> {
    pub fn new(g: &'a Graph, outputs: &[NodeId]) -> Subgraph<'a> {
        let mut outputs = outputs.to_vec();
        outputs.sort();
        outputs.dedup();
        let rewrite = Rewrite::new();
        let live = dce::live(g, &outputs, &rewrite);
        Subgraph { g, outputs, rewrite, live }
    }

    /// The representative of `n`.
    pub fn resolve(&self, n: NodeId) -> NodeId {
        self.rewrite.get(&n).copied().unwrap_or(n)
    }

    /// The representative of `n` counting the rewrites `new` a pass is building, whose values are
    /// representatives already.
    pub fn resolve_with(&self, new: &Rewrite, n: NodeId) -> NodeId {
        let r = self.resolve(n);
        new.get(&r).copied().unwrap_or(r)
    }

    /// The representatives of `n`'s inputs.
    pub fn inputs(&self, n: NodeId) -> Vec<NodeId> {
        self.g.node(n).inputs.iter().map(|&i| self.resolve(i)).collect()
    }

    /// Adds a pass's rewrites (keys: live nodes; values: representatives) and drops the nodes
    /// nothing needs any more.
    pub fn apply(&mut self, new: Rewrite) {
        if new.is_empty() {
            return;
        }
        for v in self.rewrite.values_mut() {
            if let Some(&t) = new.get(v) {
                *v = t;
            }
        }
        self.rewrite.extend(new);
        self.live = dce::live(self.g, &self.outputs, &self.rewrite);
    }

    /// Forgets the rewrite of `n`: it is computed by its own node again.
    pub fn keep(&mut self, n: NodeId) {
        if self.rewrite.remove(&n).is_some() {
            self.live = dce::live(self.g, &self.outputs, &self.rewrite);
        }
    }
}

/// Runs `PASSES` over the pending subgraph under `outputs`.
pub fn optimize<'a>(g: &'a Graph, outputs: &[NodeId]) -> Subgraph<'a> {
    let mut sub = Subgraph::new(g, outputs);
    run_passes(&mut sub, PASSES);
    sub
}

/// Runs `passes` in order; in debug builds checks each one's rewrites and names the culprit.
pub fn run_passes(sub: &mut Subgraph, passes: &[(&str, Pass)]) {
    for (name, pass) in passes {
        let new = pass(sub);
        if cfg!(debug_assertions) {
            if let Err(e) = check(sub, &new) {
                panic!("optimizer pass `{name}` broke an invariant: {e}");
            }
        }
        sub.apply(new);
    }
}

/// A rewrite may only send a live node to an existing node that is no newer, is not itself
/// rewritten, and has the same shape and dtype, so that no output changes shape or dtype.
fn check(sub: &Subgraph, new: &Rewrite) -> Result<(), String> {
    let live: std::collections::BTreeSet<NodeId> = sub.live.iter().copied().collect();
    for (&k, &v) in new {
        if !live.contains(&k) {
            return Err(format!("it rewrote {k}, which is not a live pending node"));
        }
        if !sub.g.contains(v) || v >= k || sub.rewrite.contains_key(&v) || new.contains_key(&v) {
            return Err(format!("it rewrote {k} to {v}, which is not an older representative"));
        }
        let (a, b) = (sub.g.node(k), sub.g.node(v));
        if a.shape != b.shape || a.dtype != b.dtype {
            return Err(format!(
                "it rewrote {k} ({}{:?}) to {v} ({}{:?}): the shape or dtype changed",
                a.dtype, a.shape, b.dtype, b.shape
            ));
        }
    }
    Ok(())
}

/// The rewritten subgraph: one `%x -> %y` line per rewrite, then the live nodes and the sources
/// they read, with their inputs resolved, in `ir::dump` format.
pub fn dump(sub: &Subgraph) -> String {
    let mut s: String = sub.rewrite.iter().map(|(k, v)| format!("{k} -> {v}\n")).collect();
    let mut ids: std::collections::BTreeSet<NodeId> = sub.live.iter().copied().collect();
    for &n in &sub.live {
        ids.extend(sub.inputs(n));
    }
    ids.extend(sub.outputs.iter().map(|&o| sub.resolve(o)));
    for id in ids {
        let n = sub.g.node(id);
        let args: Vec<String> = sub.inputs(id).iter().map(|i| i.to_string()).collect();
        let shape: Vec<String> = n.shape.iter().map(|d| d.to_string()).collect();
        s += &format!("{id} = {}({}) : {}[{}]\n", n.op.name(), args.join(", "), n.dtype, shape.join(", "));
    }
    s
}

#[cfg(test)]
pub(crate) mod testing {
    //! A small graph builder and the before/after dump of one pass.

    use super::*;
    use ir::op::{BinaryOp, UnaryOp};
    use ir::{BufferId, DType, Node, Op, Scalar};

    #[derive(Default)]
    pub struct T {
        pub g: Graph,
        next_buffer: u64,
    }

    impl T {
        pub fn add(&mut self, op: Op, inputs: Vec<NodeId>, shape: &[usize], dtype: DType) -> NodeId {
            self.g.add(Node { op, inputs, shape: shape.to_vec(), dtype })
        }
        pub fn source(&mut self, shape: &[usize], dtype: DType) -> NodeId {
            self.next_buffer += 1;
            let n = self.add(Op::Source(BufferId(self.next_buffer - 1)), vec![], shape, dtype);
            self.g.pin(n);
            n
        }
        /// A 0-d constant, as a Python scalar enters an expression.
        pub fn scalar(&mut self, v: Scalar, dtype: DType) -> NodeId {
            self.add(Op::Fill(v.cast(dtype)), vec![], &[], dtype)
        }
        pub fn bin(&mut self, op: BinaryOp, a: NodeId, b: NodeId) -> NodeId {
            let (na, nb) = (self.g.node(a), self.g.node(b));
            let shape = ir::shape::broadcast_shapes(&na.shape, &nb.shape).unwrap();
            let dtype = op.loop_dtypes(na.dtype).unwrap().1;
            self.add(Op::Binary(op), vec![a, b], &shape, dtype)
        }
        pub fn un(&mut self, op: UnaryOp, a: NodeId) -> NodeId {
            let n = self.g.node(a);
            let (shape, dtype) = (n.shape.clone(), op.result_dtype(n.dtype).unwrap());
            self.add(Op::Unary(op), vec![a], &shape, dtype)
        }
        pub fn cast(&mut self, a: NodeId, dtype: DType) -> NodeId {
            let shape = self.g.node(a).shape.clone();
            self.add(Op::Cast, vec![a], &shape, dtype)
        }
        pub fn where_(&mut self, c: NodeId, a: NodeId, b: NodeId) -> NodeId {
            let s = ir::shape::broadcast_shapes(&self.g.node(c).shape, &self.g.node(a).shape).unwrap();
            let s = ir::shape::broadcast_shapes(&s, &self.g.node(b).shape).unwrap();
            let dtype = self.g.node(a).dtype;
            self.add(Op::Where, vec![c, a, b], &s, dtype)
        }
    }

    /// The dump of the subgraph under `roots`, then `=> name` and the dump after `pass` alone
    /// (or `=> name: unchanged`).
    pub fn show(name: &str, pass: Pass, g: &Graph, roots: &[NodeId]) -> String {
        let before = ir::dump::text(g, roots);
        let mut sub = Subgraph::new(g, roots);
        run_passes(&mut sub, &[(name, pass)]);
        if sub.rewrite.is_empty() {
            format!("{before}=> {name}: unchanged\n")
        } else {
            format!("{before}=> {name}\n{}", dump(&sub))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::testing::*;
    use super::*;
    use ir::op::BinaryOp;
    use ir::{DType, Scalar};

    /// A wrong pass: claims the last node equals its f32 constant operand.
    fn equal_to_the_constant(sub: &Subgraph) -> Rewrite {
        let last = *sub.live.last().unwrap();
        let first = sub.g.node(last).inputs[1];
        Rewrite::from([(last, first)])
    }

    #[test]
    #[should_panic(expected = "optimizer pass `bad` broke an invariant: it rewrote %2 (float64[3]) to %1 (float32[])")]
    fn the_driver_names_the_pass_that_changed_a_dtype() {
        let mut t = T::default();
        let a = t.source(&[3], DType::F64);
        let c = t.scalar(Scalar::Float(2.0), DType::F32);
        let m = t.add(ir::Op::Binary(BinaryOp::Mul), vec![a, c], &[3], DType::F64);
        let mut sub = Subgraph::new(&t.g, &[m]);
        run_passes(&mut sub, &[("bad", equal_to_the_constant)]);
    }

    #[test]
    fn the_pipeline_runs_simplify_again_after_cse() {
        // where(c, a+b, a+b) with two add nodes: CSE makes the branches one node, and the second
        // simplify removes the where.
        let mut t = T::default();
        let (a, b, c) = (t.source(&[3], DType::F64), t.source(&[3], DType::F64), t.source(&[3], DType::Bool));
        let s1 = t.bin(BinaryOp::Add, a, b);
        let s2 = t.bin(BinaryOp::Add, a, b);
        let w = t.where_(c, s1, s2);
        let sub = optimize(&t.g, &[w]);
        assert_eq!(
            dump(&sub),
            "%4 -> %3\n\
             %5 -> %3\n\
             %0 = source(buf0)() : float64[3]\n\
             %1 = source(buf1)() : float64[3]\n\
             %3 = add(%0, %1) : float64[3]\n"
        );
    }
}
