//! Dead-node elimination: the pending nodes that the outputs still need once every input edge
//! is read through the rewrite. A node whose consumers were all rewritten away drops out, and
//! lowering never visits it; nothing is removed from the graph (the session frees such nodes
//! when it materializes the outputs). Not a pass of its own: the driver recomputes the live set
//! after every pass, so each pass sees only live nodes.

use super::Rewrite;
use ir::{Graph, NodeId, Op};
use std::collections::BTreeSet;

/// The pending ancestors of the outputs' representatives, through rewritten edges, ascending
/// (a topological order). Sources are not pending. Iterative: chains may be 10^5 deep.
pub fn live(g: &Graph, outputs: &[NodeId], rw: &Rewrite) -> Vec<NodeId> {
    let resolve = |n: NodeId| rw.get(&n).copied().unwrap_or(n);
    let mut seen = BTreeSet::new();
    let mut work: Vec<NodeId> = outputs.iter().map(|&o| resolve(o)).collect();
    while let Some(id) = work.pop() {
        let n = g.node(id);
        if matches!(n.op, Op::Source(_)) || !seen.insert(id) {
            continue;
        }
        work.extend(n.inputs.iter().map(|&i| resolve(i)));
    }
    seen.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::super::{dump, Subgraph};
    use ir::op::{BinaryOp, UnaryOp};
    use ir::{DType, NodeId, Scalar};

    /// The subgraph under `root` after `rewrite` (as an earlier pass would hand it over).
    fn after(t: &T, root: NodeId, rewrite: &[(NodeId, NodeId)]) -> String {
        let mut sub = Subgraph::new(&t.g, &[root]);
        sub.apply(rewrite.iter().copied().collect());
        dump(&sub)
    }

    #[test]
    fn the_condition_of_a_removed_where_drops_out() {
        let mut t = T::default();
        let a = t.source(&[3], DType::F64);
        let zero = t.scalar(Scalar::Float(0.0), DType::F64);
        let c = t.bin(BinaryOp::Gt, a, zero);
        let e = t.un(UnaryOp::Exp, a);
        let w = t.where_(c, e, e);
        let r = t.un(UnaryOp::Sqrt, w);
        assert_eq!(
            ir::dump::text(&t.g, &[r]),
            "%0 = source(buf0)() : float64[3]\n\
             %1 = fill(0.0)() : float64[]\n\
             %2 = greater(%0, %1) : bool[3]\n\
             %3 = exp(%0) : float64[3]\n\
             %4 = where(%2, %3, %3) : float64[3]\n\
             %5 = sqrt(%4) : float64[3]\n"
        );
        // where(c, x, x) -> x: the comparison and its constant are no longer needed.
        assert_eq!(
            after(&t, r, &[(w, e)]),
            "%4 -> %3\n\
             %0 = source(buf0)() : float64[3]\n\
             %3 = exp(%0) : float64[3]\n\
             %5 = sqrt(%3) : float64[3]\n"
        );
    }

    #[test]
    fn without_rewrites_every_pending_ancestor_is_live() {
        let mut t = T::default();
        let a = t.source(&[3], DType::F64);
        let e = t.un(UnaryOp::Exp, a);
        let s = t.bin(BinaryOp::Add, e, a);
        assert_eq!(after(&t, s, &[]), ir::dump::text(&t.g, &[s]));
        assert_eq!(super::live(&t.g, &[s], &Default::default()), t.g.pending_ancestors(&[s]));
    }
}
