//! starp's runtime: buffers, communicators, the executor and sessions, and the NumPy-semantics
//! API the Python layer calls (every semantic decision lives here, not in Python).

pub mod api;
pub mod buffer;
pub mod buffer_pool;
pub mod comm;
pub mod executor;
pub mod host;
pub mod matmul;
pub mod memory;
pub mod profile;
#[cfg(feature = "mpi")] pub mod mpi_comm;
pub mod rank_pool;
pub mod sample_sort;
pub mod session;
pub mod threads;

pub use session::{Arr, Session};
