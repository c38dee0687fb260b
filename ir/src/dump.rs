//! Text and DOT dumps of the logical graph. One line per node, inputs first:
//! `%7 = add(%5, %6) : float64[3, 4]`.

use crate::graph::{Graph, NodeId, Op};

pub fn node_line(g: &Graph, id: NodeId) -> String {
    let n = g.node(id);
    let args: Vec<String> = n.inputs.iter().map(|i| i.to_string()).collect();
    let shape: Vec<String> = n.shape.iter().map(|d| d.to_string()).collect();
    format!("{id} = {}({}) : {}[{}]", n.op.name(), args.join(", "), n.dtype, shape.join(", "))
}

/// The subgraph that computes `roots`, sources included, in topological order.
pub fn text(g: &Graph, roots: &[NodeId]) -> String {
    let mut ids = std::collections::BTreeSet::new();
    let mut work = roots.to_vec();
    while let Some(id) = work.pop() {
        if ids.insert(id) {
            work.extend(g.node(id).inputs.iter().copied());
        }
    }
    ids.into_iter().map(|id| node_line(g, id) + "\n").collect()
}

pub fn dot(g: &Graph, roots: &[NodeId]) -> String {
    let mut ids = std::collections::BTreeSet::new();
    let mut work = roots.to_vec();
    while let Some(id) = work.pop() {
        if ids.insert(id) {
            work.extend(g.node(id).inputs.iter().copied());
        }
    }
    let mut s = String::from("digraph starp {\n  rankdir=BT;\n  node [shape=box, fontname=\"monospace\"];\n");
    for id in &ids {
        let n = g.node(*id);
        let shape: Vec<String> = n.shape.iter().map(|d| d.to_string()).collect();
        let style = if matches!(n.op, Op::Source(_)) { ", style=filled, fillcolor=\"#dde8f5\"" } else { "" };
        let label = format!("{id} {}\\n{}[{}]", n.op.name(), n.dtype, shape.join(", ")).replace('"', "'");
        s += &format!("  n{} [label=\"{label}\"{style}];\n", id.0);
        for i in &n.inputs {
            s += &format!("  n{} -> n{};\n", i.0, id.0);
        }
    }
    s + "}\n"
}
