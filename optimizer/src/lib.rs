//! starp's optimizer: from the logical graph to a physical plan of fused kernels and
//! redistributions. Passes over the pending subgraph (simplification, CSE, DCE) find which nodes
//! equal others without editing the graph; lowering then fuses and plans layouts.

pub mod affine;
pub mod kernel_builder;
pub mod lower;
pub mod merge_kernels;
pub mod passes;
pub mod permuted_exchange;
pub mod plan;
pub mod redistribute;
pub mod reuse_inputs;

pub use lower::lower_to_plan;
pub use plan::{Plan, Step, ValueId};
