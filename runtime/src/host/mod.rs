//! Host ops (`ir::HostOp`): library computations on one rank's full copy of their inputs.
//! Every rank runs the same op on the same replicated data with the same library, so every
//! rank ends with the same replicated outputs (no communication, and the result does not
//! depend on the rank count). Computing on one rank and scattering would use less compute; the
//! replicated form is simpler and is what the planner's one redistribution mechanism gives.

pub mod fft;
pub mod lapack;
pub mod linalg;
pub mod select;
pub mod sort;

use crate::buffer::LocalBuf;
use ir::{DType, HostOp, Result};

/// An input: the whole array, row-major.
pub struct Input<'a> {
    pub buf: &'a LocalBuf,
    pub shape: &'a [usize],
}

/// A requested output of the op.
pub struct Output {
    pub index: usize,
    pub shape: Vec<usize>,
    pub dtype: DType,
}

/// Runs `op`; one whole-array buffer per entry of `outs`, in that order.
pub fn run(op: &HostOp, ins: &[Input], outs: &[Output]) -> Result<Vec<LocalBuf>> {
    match op {
        HostOp::Fft { kind, axis, n, norm } => {
            let o = &outs[0];
            Ok(vec![fft::run(*kind, *axis, *n, *norm, &ins[0], &o.shape, o.dtype)?])
        }
        HostOp::Take | HostOp::Put => select::run(op, ins, outs),
        HostOp::Sort { .. } | HostOp::SearchSorted { .. } | HostOp::Cumulative { .. } | HostOp::Quantile { .. } | HostOp::Median { .. } => {
            sort::run(op, ins, outs)
        }
        _ => linalg::run(op, ins, outs),
    }
}

/// A buffer's elements as `T` (same size as its dtype's items).
pub(crate) fn typed<T: Copy>(b: &LocalBuf) -> &[T] {
    assert_eq!(std::mem::size_of::<T>(), b.dtype.itemsize(), "typed view of {}", b.dtype);
    let bytes = b.bytes();
    // SAFETY: the buffer's storage is 16-byte aligned and holds len() items of this size; every
    // bit pattern is a valid value of the plain numeric types used here.
    unsafe { std::slice::from_raw_parts(bytes.as_ptr() as *const T, b.len()) }
}

pub(crate) fn typed_mut<T: Copy>(b: &mut LocalBuf) -> &mut [T] {
    assert_eq!(std::mem::size_of::<T>(), b.dtype.itemsize(), "typed view of {}", b.dtype);
    let len = b.len();
    let bytes = b.bytes_mut();
    // SAFETY: as in `typed`, and we hold the only reference.
    unsafe { std::slice::from_raw_parts_mut(bytes.as_mut_ptr() as *mut T, len) }
}
