//! Executes kernel IR. For now this is the reference interpreter ([`interp`]): it evaluates a
//! kernel strip-wise over typed columns with NumPy 2's per-element semantics for every dtype of
//! the IR, and defines the reduction combine the runtime applies to partials. A Cranelift JIT is
//! meant to replace it on hot paths and is checked against it.

pub mod interp;
pub use interp::run;
