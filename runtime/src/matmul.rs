//! Local matrix products: OpenBLAS for floats and complex, exact wrapping loops for integers
//! and bool (as NumPy computes them).

use crate::buffer::{read_scalar, write_scalar, LocalBuf};
use ir::{DType, Result, Scalar};
use std::os::raw::c_int;

const ROW_MAJOR: c_int = 101;
const NO_TRANS: c_int = 111;

#[link(name = "openblas")]
extern "C" {
    fn openblas_set_num_threads(n: c_int);
    fn cblas_sgemm(o: c_int, ta: c_int, tb: c_int, m: c_int, n: c_int, k: c_int, alpha: f32, a: *const f32, lda: c_int, b: *const f32, ldb: c_int, beta: f32, c: *mut f32, ldc: c_int);
    fn cblas_dgemm(o: c_int, ta: c_int, tb: c_int, m: c_int, n: c_int, k: c_int, alpha: f64, a: *const f64, lda: c_int, b: *const f64, ldb: c_int, beta: f64, c: *mut f64, ldc: c_int);
    fn cblas_cgemm(o: c_int, ta: c_int, tb: c_int, m: c_int, n: c_int, k: c_int, alpha: *const f32, a: *const f32, lda: c_int, b: *const f32, ldb: c_int, beta: *const f32, c: *mut f32, ldc: c_int);
    fn cblas_zgemm(o: c_int, ta: c_int, tb: c_int, m: c_int, n: c_int, k: c_int, alpha: *const f64, a: *const f64, lda: c_int, b: *const f64, ldb: c_int, beta: *const f64, c: *mut f64, ldc: c_int);
}

/// Sizes OpenBLAS's thread pool, so that ranks x BLAS threads stay within the host's cores.
pub fn set_blas_threads(n: usize) {
    // SAFETY: a plain setter of OpenBLAS's global thread count.
    unsafe { openblas_set_num_threads(n.max(1) as c_int) };
}

/// `out[o_off.., rows x n] = a[a_off.., rows x k] @ b[b_off.., k x n]`, all row-major, offsets
/// in elements; `local_ranks` share the host's cores.
#[allow(clippy::too_many_arguments)]
pub fn matmul_local(a: &LocalBuf, a_off: usize, b: &LocalBuf, b_off: usize, out: &mut LocalBuf, o_off: usize, rows: usize, k: usize, n: usize, local_ranks: usize) -> Result<()> {
    if rows == 0 || n == 0 {
        return Ok(());
    }
    let d = out.dtype;
    let isz = d.itemsize();
    if k == 0 {
        // An empty sum: zeros (the buffer starts zeroed, but be explicit for reused buffers).
        out.bytes_mut()[o_off * isz..(o_off + rows * n) * isz].fill(0);
        return Ok(());
    }
    if !d.is_inexact() {
        return exact(a, a_off, b, b_off, out, o_off, rows, k, n);
    }
    // OpenBLAS runs single-threaded (its thread split can change LAPACK's rounding); rows are
    // split over starp's threads instead, each a gemm of its own: every output element is the
    // same dot product whatever the split.
    let threads = crate::threads::threads_per_rank(local_ranks);
    let parts = if threads > 1 && rows >= 2 && rows * n * k >= 1 << 18 { threads.min(rows) } else { 1 };
    let ap = a.bytes()[a_off * isz..].as_ptr() as usize;
    let bp = b.bytes()[b_off * isz..].as_ptr() as usize;
    let cp = out.bytes_mut()[o_off * isz..].as_mut_ptr() as usize;
    std::thread::scope(|s| {
        for t in 0..parts {
            let (r0, r1) = ir::shape::block_range(rows, parts, t);
            let job = move || {
                // SAFETY: row blocks [r0, r1) of a and out are disjoint per thread and in bounds.
                unsafe { gemm(d, (ap + r0 * k * isz) as *const u8, bp as *const u8, (cp + r0 * n * isz) as *mut u8, r1 - r0, k, n) }
            };
            if t + 1 == parts {
                job();
            } else {
                s.spawn(job);
            }
        }
    });
    Ok(())
}

/// One row-major gemm of an inexact dtype.
///
/// # Safety
/// `ap` holds rows*k, `bp` k*n and `cp` rows*n elements of `d`.
unsafe fn gemm(d: DType, ap: *const u8, bp: *const u8, cp: *mut u8, rows: usize, k: usize, n: usize) {
    if rows == 0 {
        return;
    }
    let (m_, n_, k_) = (rows as c_int, n as c_int, k as c_int);
    let lda = k.max(1) as c_int;
    let ldb = n.max(1) as c_int;
    // SAFETY: as the caller promises.
    unsafe {
        match d {
            DType::F32 => cblas_sgemm(ROW_MAJOR, NO_TRANS, NO_TRANS, m_, n_, k_, 1.0, ap as _, lda, bp as _, ldb, 0.0, cp as _, n_),
            DType::F64 => cblas_dgemm(ROW_MAJOR, NO_TRANS, NO_TRANS, m_, n_, k_, 1.0, ap as _, lda, bp as _, ldb, 0.0, cp as _, n_),
            DType::C64 => {
                let (one, zero) = ([1.0f32, 0.0], [0.0f32, 0.0]);
                cblas_cgemm(ROW_MAJOR, NO_TRANS, NO_TRANS, m_, n_, k_, one.as_ptr(), ap as _, lda, bp as _, ldb, zero.as_ptr(), cp as _, n_)
            }
            DType::C128 => {
                let (one, zero) = ([1.0f64, 0.0], [0.0f64, 0.0]);
                cblas_zgemm(ROW_MAJOR, NO_TRANS, NO_TRANS, m_, n_, k_, one.as_ptr(), ap as _, lda, bp as _, ldb, zero.as_ptr(), cp as _, n_)
            }
            _ => unreachable!("integer products are computed exactly"),
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn exact(a: &LocalBuf, skip: usize, b: &LocalBuf, b_off: usize, out: &mut LocalBuf, o_off: usize, rows: usize, k: usize, n: usize) -> Result<()> {
    let d = out.dtype;
    for i in 0..rows {
        for j in 0..n {
            let s = match d {
                DType::Bool => Scalar::Bool((0..k).any(|p| read_scalar(a.bytes(), d, skip + i * k + p).as_bool() && read_scalar(b.bytes(), d, b_off + p * n + j).as_bool())),
                d if d.kind() == ir::dtype::Kind::UInt => {
                    let mut acc = 0u64;
                    for p in 0..k {
                        acc = acc.wrapping_add(read_scalar(a.bytes(), d, skip + i * k + p).as_u64().wrapping_mul(read_scalar(b.bytes(), d, b_off + p * n + j).as_u64()));
                    }
                    Scalar::UInt(acc)
                }
                _ => {
                    let mut acc = 0i64;
                    for p in 0..k {
                        acc = acc.wrapping_add(read_scalar(a.bytes(), d, skip + i * k + p).as_i64().wrapping_mul(read_scalar(b.bytes(), d, b_off + p * n + j).as_i64()));
                    }
                    Scalar::Int(acc)
                }
            };
            write_scalar(out.bytes_mut(), d, o_off + i * n + j, s);
        }
    }
    Ok(())
}
