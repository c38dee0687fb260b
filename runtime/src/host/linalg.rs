//! `numpy.linalg` on one rank's full copy of the inputs: a loop over the batch (leading) axes,
//! each matrix converted to column-major, handed to LAPACK (`lapack`), and the results written
//! back row-major. Inputs are float64 or complex128 (NumPy computes in double precision too);
//! data-dependent failures become `LinAlgError` with NumPy's messages.

use super::lapack::{Field, Int};
use super::{typed, typed_mut, Input, Output};
use crate::buffer::LocalBuf;
use ir::shape::numel;
use ir::{DType, Error, HostOp, Result};
use num_complex::Complex64 as C64;

/// Runs a linalg host op; one buffer per requested output, in `outs` order.
pub fn run(op: &HostOp, ins: &[Input], outs: &[Output]) -> Result<Vec<LocalBuf>> {
    match ins[0].buf.dtype {
        DType::F64 => run_t::<f64>(op, ins, outs),
        DType::C128 => run_t::<C64>(op, ins, outs),
        d => Err(Error::Internal(format!("linalg host op on {d} (the graph casts to float64/complex128)"))),
    }
}

/// Row-major m x n -> column-major.
fn to_cm<T: Copy>(src: &[T], m: usize, n: usize) -> Vec<T> {
    let mut cm = Vec::with_capacity(m * n);
    for j in 0..n {
        for i in 0..m {
            cm.push(src[i * n + j]);
        }
    }
    cm
}

/// Column-major (leading dimension `ld`) m x n -> row-major into `dst`.
fn from_cm<T: Copy>(cm: &[T], ld: usize, m: usize, n: usize, dst: &mut [T]) {
    for i in 0..m {
        for j in 0..n {
            dst[i * n + j] = cm[i + j * ld];
        }
    }
}

fn eye<T: Field>(dst: &mut [T], m: usize, n: usize) {
    for i in 0..m.min(n) {
        dst[i * n + i] = T::one();
    }
}

/// The requested outputs, as zeroed buffers by output index.
struct Outs {
    bufs: Vec<Option<LocalBuf>>,
}

impl Outs {
    fn new(outs: &[Output]) -> Result<Outs> {
        let mut bufs: Vec<Option<LocalBuf>> = (0..4).map(|_| None).collect();
        for o in outs {
            if bufs[o.index].is_none() {
                bufs[o.index] = Some(LocalBuf::zeroed(o.dtype, numel(&o.shape))?);
            }
        }
        Ok(Outs { bufs })
    }

    fn want(&self, k: usize) -> bool {
        self.bufs[k].is_some()
    }

    fn get<T: Copy>(&mut self, k: usize) -> Option<&mut [T]> {
        self.bufs[k].as_mut().map(|b| typed_mut::<T>(b))
    }

    fn finish(self, outs: &[Output]) -> Vec<LocalBuf> {
        outs.iter().map(|o| self.bufs[o.index].clone().expect("requested output")).collect()
    }
}

fn lapack_error(info: Int, what: &str) -> Error {
    Error::Internal(format!("LAPACK {what} rejected argument {}", -info))
}

fn run_t<T: Field>(op: &HostOp, ins: &[Input], outs: &[Output]) -> Result<Vec<LocalBuf>> {
    let mut o = Outs::new(outs)?;
    let a = typed::<T>(ins[0].buf);
    let shape = ins[0].shape;
    let nd = shape.len();
    let (m, n) = (shape[nd - 2], shape[nd - 1]);
    let batch = numel(&shape[..nd - 2]);
    let mat = |b: usize| &a[b * m * n..(b + 1) * m * n];
    let k = m.min(n);
    match *op {
        HostOp::Inv => {
            let out = o.get::<T>(0).expect("output");
            for b in 0..batch {
                let mut f = to_cm(mat(b), n, n);
                let mut x = vec![T::zero(); n * n];
                eye(&mut x, n, n);
                let info = T::gesv(n, n, &mut f, &mut x);
                if info > 0 {
                    return Err(Error::LinAlg("Singular matrix".into()));
                } else if info < 0 {
                    return Err(lapack_error(info, "gesv"));
                }
                from_cm(&x, n, n, n, &mut out[b * n * n..(b + 1) * n * n]);
            }
        }
        HostOp::Solve { vector } => {
            let bv = typed::<T>(ins[1].buf);
            let bshape = ins[1].shape;
            let nrhs = if vector { 1 } else { bshape[bshape.len() - 1] };
            let out_shape = &outs[0].shape;
            let out_batch = &out_shape[..out_shape.len() - if vector { 1 } else { 2 }];
            let amap = ir::shape::broadcast_source_indices(&shape[..nd - 2], out_batch);
            let bmap = ir::shape::broadcast_source_indices(&bshape[..bshape.len() - if vector { 1 } else { 2 }], out_batch);
            let out = o.get::<T>(0).expect("output");
            for (ob, (&ia, &ib)) in amap.iter().zip(&bmap).enumerate() {
                let mut f = to_cm(mat(ia), n, n);
                let mut x = to_cm(&bv[ib * n * nrhs..(ib + 1) * n * nrhs], n, nrhs);
                if n > 0 && nrhs > 0 {
                    let info = T::gesv(n, nrhs, &mut f, &mut x);
                    if info > 0 {
                        return Err(Error::LinAlg("Singular matrix".into()));
                    } else if info < 0 {
                        return Err(lapack_error(info, "gesv"));
                    }
                }
                from_cm(&x, n, n, nrhs, &mut out[ob * n * nrhs..(ob + 1) * n * nrhs]);
            }
        }
        HostOp::Det { .. } => {
            for b in 0..batch {
                let (sign, logdet) = slogdet(n, mat(b));
                if let Some(s) = o.get::<T>(0) {
                    s[b] = sign;
                }
                if let Some(l) = o.get::<f64>(1) {
                    l[b] = logdet;
                }
                if let Some(d) = o.get::<T>(2) {
                    d[b] = sign.scale(logdet.exp());
                }
            }
        }
        HostOp::Cholesky { upper } => {
            let out = o.get::<T>(0).expect("output");
            for b in 0..batch {
                let mut f = to_cm(mat(b), n, n);
                if n > 0 {
                    let info = T::potrf(upper, n, &mut f);
                    if info > 0 {
                        return Err(Error::LinAlg("Matrix is not positive definite".into()));
                    } else if info < 0 {
                        return Err(lapack_error(info, "potrf"));
                    }
                }
                let dst = &mut out[b * n * n..(b + 1) * n * n];
                from_cm(&f, n, n, n, dst);
                for i in 0..n {
                    for j in 0..n {
                        if (upper && j < i) || (!upper && j > i) {
                            dst[i * n + j] = T::zero();
                        }
                    }
                }
            }
        }
        HostOp::Qr { complete, .. } => {
            let mc = if complete && m > n { m } else { k };
            for b in 0..batch {
                let mut f = to_cm(mat(b), m, n);
                let mut tau = vec![T::zero(); k];
                if k > 0 {
                    let info = T::geqrf(m, n, &mut f, &mut tau);
                    if info != 0 {
                        return Err(Error::LinAlg("Incorrect argument found while performing QR factorization".into()));
                    }
                }
                if let Some(r) = o.get::<T>(1) {
                    let dst = &mut r[b * mc * n..(b + 1) * mc * n];
                    for i in 0..mc.min(m) {
                        for j in i..n {
                            dst[i * n + j] = f[i + j * m];
                        }
                    }
                }
                if let Some(q) = o.get::<T>(0) {
                    let dst = &mut q[b * m * mc..(b + 1) * m * mc];
                    if k == 0 {
                        eye(dst, m, mc);
                    } else {
                        let mut qf = vec![T::zero(); m * mc];
                        let cols = n.min(mc);
                        qf[..m * cols].copy_from_slice(&f[..m * cols]);
                        let info = T::orgqr(m, mc, k, &mut qf, &tau);
                        if info != 0 {
                            return Err(Error::LinAlg("Incorrect argument found while performing QR factorization".into()));
                        }
                        from_cm(&qf, m, m, mc, dst);
                    }
                }
            }
        }
        HostOp::Eigh { upper, vectors, .. } => {
            for b in 0..batch {
                let mut f = to_cm(mat(b), n, n);
                let mut w = vec![0.0; n];
                if n > 0 {
                    let info = T::heevd(vectors, upper, n, &mut f, &mut w);
                    if info > 0 {
                        return Err(Error::LinAlg("Eigenvalues did not converge".into()));
                    } else if info < 0 {
                        return Err(lapack_error(info, "syevd/heevd"));
                    }
                }
                if let Some(out) = o.get::<f64>(0) {
                    out[b * n..(b + 1) * n].copy_from_slice(&w);
                }
                if let Some(out) = o.get::<T>(1) {
                    from_cm(&f, n, n, n, &mut out[b * n * n..(b + 1) * n * n]);
                }
            }
        }
        HostOp::Eig { vectors, .. } => {
            if !a.iter().all(|x| x.is_finite()) {
                return Err(Error::LinAlg("Array must not contain infs or NaNs".into()));
            }
            for b in 0..batch {
                if n == 0 {
                    continue;
                }
                let mut f = to_cm(mat(b), n, n);
                let (w, v, info) = T::geev(vectors && o.want(1), n, &mut f);
                if info > 0 {
                    return Err(Error::LinAlg("Eigenvalues did not converge".into()));
                } else if info < 0 {
                    return Err(lapack_error(info, "geev"));
                }
                if let Some(out) = o.get::<C64>(0) {
                    out[b * n..(b + 1) * n].copy_from_slice(&w);
                }
                if let Some(out) = o.get::<C64>(1) {
                    from_cm(&v, n, n, n, &mut out[b * n * n..(b + 1) * n * n]);
                }
            }
        }
        HostOp::Svd { full_matrices, compute_uv, .. } => {
            let (ucols, vrows) = if full_matrices { (m, n) } else { (k, k) };
            let uv = compute_uv && (o.want(0) || o.want(2));
            for b in 0..batch {
                let (s, u, vt) = svd::<T>(mat(b), m, n, full_matrices, uv)?;
                if let Some(out) = o.get::<f64>(1) {
                    out[b * k..(b + 1) * k].copy_from_slice(&s);
                }
                if let Some(out) = o.get::<T>(0) {
                    let dst = &mut out[b * m * ucols..(b + 1) * m * ucols];
                    if k == 0 { eye(dst, m, ucols) } else { from_cm(&u, m, m, ucols, dst) }
                }
                if let Some(out) = o.get::<T>(2) {
                    let dst = &mut out[b * vrows * n..(b + 1) * vrows * n];
                    if k == 0 { eye(dst, vrows, n) } else { from_cm(&vt, vrows, vrows, n, dst) }
                }
            }
        }
        HostOp::Lstsq { rcond, .. } => lstsq::<T>(a, m, n, typed::<T>(ins[1].buf), ins[1].shape[1], rcond, &mut o)?,
        HostOp::Pinv { rcond } => {
            let out = o.get::<T>(0).expect("output");
            for b in 0..batch {
                let dst = &mut out[b * n * m..(b + 1) * n * m];
                if k == 0 {
                    continue;
                }
                let (s, u, vt) = svd::<T>(mat(b), m, n, false, true)?;
                let cutoff = rcond * s.iter().cloned().fold(0.0, f64::max);
                let sinv: Vec<f64> = s.iter().map(|&x| if x > cutoff { 1.0 / x } else { 0.0 }).collect();
                // pinv = V diag(sinv) U^H; u is m x k and vt k x n, column-major. Row i of the
                // result accumulates rows of U^H, so the inner loop runs along contiguous memory.
                for i in 0..n {
                    let row = &mut dst[i * m..(i + 1) * m];
                    for (l, &si) in sinv.iter().enumerate() {
                        if si == 0.0 {
                            continue;
                        }
                        let coef = vt[l + i * k].conj().scale(si);
                        for (d, &uj) in row.iter_mut().zip(&u[l * m..(l + 1) * m]) {
                            *d = d.add(coef.mul(uj.conj()));
                        }
                    }
                }
            }
        }
        HostOp::MatrixRank { tol, rtol, single } => {
            let out = o.get::<i64>(0).expect("output");
            for (b, r) in out.iter_mut().enumerate().take(batch) {
                let (mut s, _, _) = svd::<T>(mat(b), m, n, false, false)?;
                if single {
                    s.iter_mut().for_each(|x| *x = *x as f32 as f64);
                }
                let thresh = match tol {
                    Some(t) => t,
                    None if single => (s.iter().cloned().fold(0.0f64, f64::max) as f32 * rtol as f32) as f64,
                    None => s.iter().cloned().fold(0.0f64, f64::max) * rtol,
                };
                *r = s.iter().filter(|&&x| x > thresh).count() as i64;
            }
        }
        HostOp::Fft { .. } => unreachable!("fft is not a linalg op"),
        _ => return Err(Error::Internal(format!("{} is not a linalg op", op.name()))),
    }
    Ok(o.finish(outs))
}

/// NumPy's slogdet of one row-major n x n matrix: (sign, log|det|); singular gives (0, -inf).
fn slogdet<T: Field>(n: usize, a: &[T]) -> (T, f64) {
    if n == 0 {
        return (T::one(), 0.0);
    }
    let mut f = to_cm(a, n, n);
    let (ipiv, info) = T::getrf(n, &mut f);
    if info != 0 {
        return (T::zero(), f64::NEG_INFINITY);
    }
    let swaps = ipiv.iter().enumerate().filter(|(i, &p)| p as usize != i + 1).count();
    let mut sign = if swaps % 2 == 1 { T::from_re(-1.0) } else { T::one() };
    let mut logdet = 0.0;
    for i in 0..n {
        let d = f[i + i * n];
        let ad = d.abs();
        sign = if T::COMPLEX { sign.mul(T::from_c64(d.to_c64() / ad)) } else if d.to_c64().re < 0.0 { sign.scale(-1.0) } else { sign };
        logdet += ad.ln();
    }
    (sign, logdet)
}

/// SVD of one row-major m x n matrix: (S, U column-major m x ucols, Vh column-major vrows x n).
#[allow(clippy::type_complexity)]
fn svd<T: Field>(a: &[T], m: usize, n: usize, full: bool, uv: bool) -> Result<(Vec<f64>, Vec<T>, Vec<T>)> {
    let k = m.min(n);
    if k == 0 {
        return Ok((vec![], vec![], vec![]));
    }
    let mut f = to_cm(a, m, n);
    let mut s = vec![0.0; k];
    let (jobz, ucols, vrows) = match (uv, full) {
        (false, _) => (b'N', 0, 0),
        (true, true) => (b'A', m, n),
        (true, false) => (b'S', k, k),
    };
    let mut u = vec![T::zero(); m * ucols];
    let mut vt = vec![T::zero(); vrows * n];
    let info = T::gesdd(jobz, m, n, &mut f, &mut s, &mut u, m, &mut vt, vrows.max(1));
    // NumPy reports any failure of gesdd as non-convergence: a NaN in the input makes gesdd
    // (or the dlascl it calls) reject its argument 4 rather than fail to converge.
    if info != 0 {
        return Err(Error::LinAlg("SVD did not converge".into()));
    }
    Ok((s, u, vt))
}

/// lstsq of a (m x n) and b (m x nrhs): outputs 0 x (n x nrhs), 1 residuals (nrhs, valid when
/// m > n and the rank is n), 2 rank (int32), 3 singular values.
fn lstsq<T: Field>(a: &[T], m: usize, n: usize, b: &[T], nrhs: usize, rcond: f64, o: &mut Outs) -> Result<()> {
    let k = m.min(n);
    let ldb = m.max(n).max(1);
    // LAPACK cannot take nrhs = 0: solve for one zero column and drop it.
    let cols = nrhs.max(1);
    let mut bf = vec![T::zero(); ldb * cols];
    for i in 0..m {
        for j in 0..nrhs {
            bf[i + j * ldb] = b[i * nrhs + j];
        }
    }
    let mut s = vec![0.0; k];
    let mut rank: Int = 0;
    if k > 0 {
        let mut f = to_cm(a, m, n);
        let (r, info) = T::gelsd(m, n, cols, &mut f, &mut bf, ldb, &mut s, rcond);
        // As for gesdd: a NaN input is rejected as an argument, NumPy calls it non-convergence.
        if info != 0 {
            return Err(Error::LinAlg("SVD did not converge in Linear Least Squares".into()));
        }
        rank = r;
    }
    if let Some(x) = o.get::<T>(0) {
        if k > 0 {
            from_cm(&bf, ldb, n, nrhs, x);
        }
    }
    if let Some(res) = o.get::<f64>(1) {
        if m > n {
            for (j, r) in res.iter_mut().enumerate().take(nrhs) {
                *r = (n..m).map(|i| bf[i + j * ldb].abs2()).sum();
            }
        }
    }
    if let Some(r) = o.get::<i32>(2) {
        r[0] = rank;
    }
    if let Some(sv) = o.get::<f64>(3) {
        sv.copy_from_slice(&s);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batch_map_broadcasts_size_one_axes() {
        assert_eq!(ir::shape::broadcast_source_indices(&[3], &[2, 3]), vec![0, 1, 2, 0, 1, 2]);
        assert_eq!(ir::shape::broadcast_source_indices(&[2, 1], &[2, 3]), vec![0, 0, 0, 1, 1, 1]);
        assert_eq!(ir::shape::broadcast_source_indices(&[], &[2]), vec![0, 0]);
        assert_eq!(ir::shape::broadcast_source_indices(&[], &[]), vec![0]);
    }

    #[test]
    fn inverse_and_determinant_of_a_small_matrix() {
        let a = [4.0, 7.0, 2.0, 6.0];
        let (s, l) = slogdet(2, &a);
        assert!((s * l.exp() - 10.0).abs() < 1e-12);
        let mut f = to_cm(&a, 2, 2);
        let mut x = vec![0.0; 4];
        eye(&mut x, 2, 2);
        assert_eq!(f64::gesv(2, 2, &mut f, &mut x), 0);
        let mut inv = vec![0.0; 4];
        from_cm(&x, 2, 2, 2, &mut inv);
        let want = [0.6, -0.7, -0.2, 0.4];
        assert!(inv.iter().zip(want).all(|(a, b)| (a - b).abs() < 1e-12), "{inv:?}");
    }

    #[test]
    fn singular_matrices_have_zero_determinant() {
        let (s, l) = slogdet(2, &[1.0, 2.0, 2.0, 4.0]);
        assert_eq!((s, l), (0.0, f64::NEG_INFINITY));
    }
}
