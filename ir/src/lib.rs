//! starp's intermediate representation: dtypes and promotion, shapes, views, layouts, the
//! logical graph and the kernel IR, with their dumps.

pub mod dtype;
pub mod dump;
pub mod error;
pub mod graph;
pub mod host_op;
pub mod kernel;
pub mod layout;
pub mod op;
pub mod philox;
pub mod scalar;
pub mod shape;
pub mod view;

pub use dtype::DType;
pub use error::{Error, Result};
pub use graph::{BaseId, BufferId, Graph, Node, NodeId, Op};
pub use host_op::HostOp;
pub use scalar::Scalar;
