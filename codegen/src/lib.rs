//! Executes kernel IR: a Cranelift JIT ([`jit`]) compiles each distinct kernel structure once and
//! runs it; the reference interpreter ([`interp`]) evaluates a kernel strip-wise over typed
//! columns with NumPy 2's per-element semantics for every dtype of the IR, defines the reduction
//! combine the runtime applies to partials, and runs what the JIT does not support. The JIT is
//! checked against the interpreter by property tests.

pub(crate) mod complex_math;
pub mod interp;
pub mod jit;
pub mod vmath;
#[cfg(test)]
mod test_rng;
pub use jit::{jit_ir, jit_stats, run, JitStats};
