//! starp's optimizer: from the logical graph to a physical plan of fused kernels and
//! redistributions. The full pass set (simplification, CSE, DCE, multi-output fusion) comes with
//! the JIT; what is here is the boundary every later pass plugs into.

pub mod affine;
pub mod kernel_builder;
pub mod lower;
pub mod plan;
pub mod redistribute;

pub use lower::lower_to_plan;
pub use plan::{Plan, Step, ValueId};
