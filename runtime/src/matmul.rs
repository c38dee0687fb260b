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
/// in elements.
#[allow(clippy::too_many_arguments)]
pub fn matmul_local(a: &LocalBuf, a_off: usize, b: &LocalBuf, b_off: usize, out: &mut LocalBuf, o_off: usize, rows: usize, k: usize, n: usize) -> Result<()> {
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
    let ap = a.bytes()[a_off * isz..].as_ptr();
    let bp = b.bytes()[b_off * isz..].as_ptr();
    let cp = out.bytes_mut()[o_off * isz..].as_mut_ptr();
    let (m_, n_, k_) = (rows as c_int, n as c_int, k as c_int);
    let lda = k.max(1) as c_int;
    let ldb = n.max(1) as c_int;
    // SAFETY: a holds rows*k elements after skip, b holds k*n, out rows*n, all of dtype d.
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
            _ => return exact(a, a_off, b, b_off, out, o_off, rows, k, n),
        }
    }
    Ok(())
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
