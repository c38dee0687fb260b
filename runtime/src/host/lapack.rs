//! LAPACK through OpenBLAS (Debian's libopenblas carries LAPACK): the double and double-complex
//! routines NumPy's `linalg` uses (it computes every dtype in double precision). All matrices
//! are column-major (Fortran order); callers convert. Character arguments are followed by
//! gfortran's hidden length arguments.

use num_complex::Complex64 as C64;
use std::os::raw::c_char;

pub type Int = i32;

#[link(name = "openblas")]
extern "C" {
    fn dgesv_(n: *const Int, nrhs: *const Int, a: *mut f64, lda: *const Int, ipiv: *mut Int, b: *mut f64, ldb: *const Int, info: *mut Int);
    fn zgesv_(n: *const Int, nrhs: *const Int, a: *mut C64, lda: *const Int, ipiv: *mut Int, b: *mut C64, ldb: *const Int, info: *mut Int);
    fn dgetrf_(m: *const Int, n: *const Int, a: *mut f64, lda: *const Int, ipiv: *mut Int, info: *mut Int);
    fn zgetrf_(m: *const Int, n: *const Int, a: *mut C64, lda: *const Int, ipiv: *mut Int, info: *mut Int);
    fn dpotrf_(uplo: *const c_char, n: *const Int, a: *mut f64, lda: *const Int, info: *mut Int, l: usize);
    fn zpotrf_(uplo: *const c_char, n: *const Int, a: *mut C64, lda: *const Int, info: *mut Int, l: usize);
    fn dgeqrf_(m: *const Int, n: *const Int, a: *mut f64, lda: *const Int, tau: *mut f64, work: *mut f64, lwork: *const Int, info: *mut Int);
    fn zgeqrf_(m: *const Int, n: *const Int, a: *mut C64, lda: *const Int, tau: *mut C64, work: *mut C64, lwork: *const Int, info: *mut Int);
    fn dorgqr_(m: *const Int, n: *const Int, k: *const Int, a: *mut f64, lda: *const Int, tau: *const f64, work: *mut f64, lwork: *const Int, info: *mut Int);
    fn zungqr_(m: *const Int, n: *const Int, k: *const Int, a: *mut C64, lda: *const Int, tau: *const C64, work: *mut C64, lwork: *const Int, info: *mut Int);
    fn dsyevd_(
        jobz: *const c_char, uplo: *const c_char, n: *const Int, a: *mut f64, lda: *const Int, w: *mut f64, work: *mut f64, lwork: *const Int,
        iwork: *mut Int, liwork: *const Int, info: *mut Int, l1: usize, l2: usize,
    );
    fn zheevd_(
        jobz: *const c_char, uplo: *const c_char, n: *const Int, a: *mut C64, lda: *const Int, w: *mut f64, work: *mut C64, lwork: *const Int,
        rwork: *mut f64, lrwork: *const Int, iwork: *mut Int, liwork: *const Int, info: *mut Int, l1: usize, l2: usize,
    );
    fn dgeev_(
        jobvl: *const c_char, jobvr: *const c_char, n: *const Int, a: *mut f64, lda: *const Int, wr: *mut f64, wi: *mut f64, vl: *mut f64,
        ldvl: *const Int, vr: *mut f64, ldvr: *const Int, work: *mut f64, lwork: *const Int, info: *mut Int, l1: usize, l2: usize,
    );
    fn zgeev_(
        jobvl: *const c_char, jobvr: *const c_char, n: *const Int, a: *mut C64, lda: *const Int, w: *mut C64, vl: *mut C64, ldvl: *const Int,
        vr: *mut C64, ldvr: *const Int, work: *mut C64, lwork: *const Int, rwork: *mut f64, info: *mut Int, l1: usize, l2: usize,
    );
    fn dgesdd_(
        jobz: *const c_char, m: *const Int, n: *const Int, a: *mut f64, lda: *const Int, s: *mut f64, u: *mut f64, ldu: *const Int, vt: *mut f64,
        ldvt: *const Int, work: *mut f64, lwork: *const Int, iwork: *mut Int, info: *mut Int, l: usize,
    );
    fn zgesdd_(
        jobz: *const c_char, m: *const Int, n: *const Int, a: *mut C64, lda: *const Int, s: *mut f64, u: *mut C64, ldu: *const Int, vt: *mut C64,
        ldvt: *const Int, work: *mut C64, lwork: *const Int, rwork: *mut f64, iwork: *mut Int, info: *mut Int, l: usize,
    );
    fn dgelsd_(
        m: *const Int, n: *const Int, nrhs: *const Int, a: *mut f64, lda: *const Int, b: *mut f64, ldb: *const Int, s: *mut f64, rcond: *const f64,
        rank: *mut Int, work: *mut f64, lwork: *const Int, iwork: *mut Int, info: *mut Int,
    );
    fn zgelsd_(
        m: *const Int, n: *const Int, nrhs: *const Int, a: *mut C64, lda: *const Int, b: *mut C64, ldb: *const Int, s: *mut f64, rcond: *const f64,
        rank: *mut Int, work: *mut C64, lwork: *const Int, rwork: *mut f64, iwork: *mut Int, info: *mut Int,
    );
}

fn ch(c: u8) -> c_char {
    c as c_char
}

fn int(n: usize) -> Int {
    Int::try_from(n).expect("matrix dimension fits LAPACK's 32-bit integers")
}

/// A workspace size LAPACK reported in a work array's first element.
fn wsize(x: f64) -> usize {
    (x.max(1.0)) as usize
}

/// The methods whose real and complex forms differ only in the routine they call:
/// (gesv, getrf, potrf, geqrf, orgqr/ungqr). The workspace query answers in `Self`; its real
/// part is the size.
macro_rules! same_shape_calls {
    ($gesv:ident, $getrf:ident, $potrf:ident, $geqrf:ident, $orgqr:ident) => {
        fn gesv(n: usize, nrhs: usize, a: &mut [Self], b: &mut [Self]) -> Int {
            let (n_, r_, ld) = (int(n), int(nrhs), int(n.max(1)));
            let mut ipiv = vec![0; n];
            let mut info = 0;
            // SAFETY: a is n x n, b n x nrhs, column-major.
            unsafe { $gesv(&n_, &r_, a.as_mut_ptr(), &ld, ipiv.as_mut_ptr(), b.as_mut_ptr(), &ld, &mut info) };
            info
        }

        fn getrf(n: usize, a: &mut [Self]) -> (Vec<Int>, Int) {
            let (n_, ld) = (int(n), int(n.max(1)));
            let mut ipiv = vec![0; n];
            let mut info = 0;
            // SAFETY: a is n x n.
            unsafe { $getrf(&n_, &n_, a.as_mut_ptr(), &ld, ipiv.as_mut_ptr(), &mut info) };
            (ipiv, info)
        }

        fn potrf(upper: bool, n: usize, a: &mut [Self]) -> Int {
            let (n_, ld) = (int(n), int(n.max(1)));
            let mut info = 0;
            // SAFETY: a is n x n.
            unsafe { $potrf(&ch(if upper { b'U' } else { b'L' }), &n_, a.as_mut_ptr(), &ld, &mut info, 1) };
            info
        }

        fn geqrf(m: usize, n: usize, a: &mut [Self], tau: &mut [Self]) -> Int {
            let (m_, n_, ld) = (int(m), int(n), int(m.max(1)));
            let mut info = 0;
            let mut q = [Self::zero()];
            // SAFETY: workspace query, then the call with the workspace it asked for.
            unsafe { $geqrf(&m_, &n_, a.as_mut_ptr(), &ld, tau.as_mut_ptr(), q.as_mut_ptr(), &-1, &mut info) };
            let mut work = vec![Self::zero(); wsize(q[0].to_c64().re)];
            unsafe { $geqrf(&m_, &n_, a.as_mut_ptr(), &ld, tau.as_mut_ptr(), work.as_mut_ptr(), &int(work.len()), &mut info) };
            info
        }

        fn orgqr(m: usize, cols: usize, k: usize, a: &mut [Self], tau: &[Self]) -> Int {
            let (m_, c_, k_, ld) = (int(m), int(cols), int(k), int(m.max(1)));
            let mut info = 0;
            let mut q = [Self::zero()];
            // SAFETY: as above; a is m x cols.
            unsafe { $orgqr(&m_, &c_, &k_, a.as_mut_ptr(), &ld, tau.as_ptr(), q.as_mut_ptr(), &-1, &mut info) };
            let mut work = vec![Self::zero(); wsize(q[0].to_c64().re)];
            unsafe { $orgqr(&m_, &c_, &k_, a.as_mut_ptr(), &ld, tau.as_ptr(), work.as_mut_ptr(), &int(work.len()), &mut info) };
            info
        }
    };
}

/// The scalars LAPACK works in: float64 and complex128.
pub trait Field: Copy + Default + PartialEq + Send + Sync + std::fmt::Debug + 'static {
    const COMPLEX: bool;
    fn zero() -> Self;
    fn one() -> Self;
    fn from_re(x: f64) -> Self;
    fn from_c64(z: C64) -> Self;
    fn to_c64(self) -> C64;
    fn abs(self) -> f64;
    fn abs2(self) -> f64;
    fn conj(self) -> Self;
    fn mul(self, o: Self) -> Self;
    fn add(self, o: Self) -> Self;
    fn scale(self, x: f64) -> Self;
    fn is_finite(self) -> bool;

    /// Solves `a x = b` in place (b becomes x); LAPACK's info.
    fn gesv(n: usize, nrhs: usize, a: &mut [Self], b: &mut [Self]) -> Int;
    /// LU of an n x n matrix in place; (pivots, info).
    fn getrf(n: usize, a: &mut [Self]) -> (Vec<Int>, Int);
    fn potrf(upper: bool, n: usize, a: &mut [Self]) -> Int;
    /// QR of an m x n matrix (lda m) in place; tau has min(m, n) entries.
    fn geqrf(m: usize, n: usize, a: &mut [Self], tau: &mut [Self]) -> Int;
    /// The first `cols` columns of Q from `geqrf`'s reflectors (a is m x cols, lda m).
    fn orgqr(m: usize, cols: usize, k: usize, a: &mut [Self], tau: &[Self]) -> Int;
    /// Symmetric / Hermitian eigendecomposition; eigenvectors overwrite `a` when `vectors`.
    fn heevd(vectors: bool, upper: bool, n: usize, a: &mut [Self], w: &mut [f64]) -> Int;
    /// General eigendecomposition: eigenvalues and (right) eigenvectors, column-major.
    fn geev(vectors: bool, n: usize, a: &mut [Self]) -> (Vec<C64>, Vec<C64>, Int);
    /// SVD by divide and conquer; `jobz` is b'A', b'S' or b'N'.
    #[allow(clippy::too_many_arguments)]
    fn gesdd(jobz: u8, m: usize, n: usize, a: &mut [Self], s: &mut [f64], u: &mut [Self], ldu: usize, vt: &mut [Self], ldvt: usize) -> Int;
    /// Minimum-norm least squares; b is ldb x nrhs and holds x in its first n rows. (rank, info)
    #[allow(clippy::too_many_arguments)]
    fn gelsd(m: usize, n: usize, nrhs: usize, a: &mut [Self], b: &mut [Self], ldb: usize, s: &mut [f64], rcond: f64) -> (Int, Int);
}

impl Field for f64 {
    const COMPLEX: bool = false;
    fn zero() -> Self {
        0.0
    }
    fn one() -> Self {
        1.0
    }
    fn from_re(x: f64) -> Self {
        x
    }
    fn from_c64(z: C64) -> Self {
        z.re
    }
    fn to_c64(self) -> C64 {
        C64::new(self, 0.0)
    }
    fn abs(self) -> f64 {
        f64::abs(self)
    }
    fn abs2(self) -> f64 {
        self * self
    }
    fn conj(self) -> Self {
        self
    }
    fn mul(self, o: Self) -> Self {
        self * o
    }
    fn add(self, o: Self) -> Self {
        self + o
    }
    fn scale(self, x: f64) -> Self {
        self * x
    }
    fn is_finite(self) -> bool {
        f64::is_finite(self)
    }

    same_shape_calls!(dgesv_, dgetrf_, dpotrf_, dgeqrf_, dorgqr_);

    fn heevd(vectors: bool, upper: bool, n: usize, a: &mut [Self], w: &mut [f64]) -> Int {
        let (n_, ld) = (int(n), int(n.max(1)));
        let (jobz, uplo) = (ch(if vectors { b'V' } else { b'N' }), ch(if upper { b'U' } else { b'L' }));
        let mut info = 0;
        let (mut q, mut iq) = ([0.0], [0 as Int]);
        // SAFETY: workspace query, then the call.
        unsafe { dsyevd_(&jobz, &uplo, &n_, a.as_mut_ptr(), &ld, w.as_mut_ptr(), q.as_mut_ptr(), &-1, iq.as_mut_ptr(), &-1, &mut info, 1, 1) };
        let mut work = vec![0.0; wsize(q[0])];
        let mut iwork = vec![0 as Int; (iq[0] as usize).max(1)];
        unsafe {
            dsyevd_(
                &jobz, &uplo, &n_, a.as_mut_ptr(), &ld, w.as_mut_ptr(), work.as_mut_ptr(), &int(work.len()), iwork.as_mut_ptr(), &int(iwork.len()),
                &mut info, 1, 1,
            )
        };
        info
    }

    fn geev(vectors: bool, n: usize, a: &mut [Self]) -> (Vec<C64>, Vec<C64>, Int) {
        let (n_, ld) = (int(n), int(n.max(1)));
        let (jl, jr) = (ch(b'N'), ch(if vectors { b'V' } else { b'N' }));
        let (mut wr, mut wi) = (vec![0.0; n], vec![0.0; n]);
        let mut vr = vec![0.0; if vectors { n * n } else { 1 }];
        let mut vl = [0.0];
        let ldvr = int(if vectors { n.max(1) } else { 1 });
        let mut info = 0;
        let mut q = [0.0];
        // SAFETY: workspace query, then the call.
        unsafe {
            dgeev_(
                &jl, &jr, &n_, a.as_mut_ptr(), &ld, wr.as_mut_ptr(), wi.as_mut_ptr(), vl.as_mut_ptr(), &1, vr.as_mut_ptr(), &ldvr, q.as_mut_ptr(), &-1,
                &mut info, 1, 1,
            )
        };
        let mut work = vec![0.0; wsize(q[0])];
        unsafe {
            dgeev_(
                &jl, &jr, &n_, a.as_mut_ptr(), &ld, wr.as_mut_ptr(), wi.as_mut_ptr(), vl.as_mut_ptr(), &1, vr.as_mut_ptr(), &ldvr, work.as_mut_ptr(),
                &int(work.len()), &mut info, 1, 1,
            )
        };
        let w: Vec<C64> = wr.iter().zip(&wi).map(|(&r, &i)| C64::new(r, i)).collect();
        let mut v = Vec::new();
        if vectors && info == 0 {
            // A complex pair (j, j+1) stores re in column j and im in column j+1.
            v = vec![C64::new(0.0, 0.0); n * n];
            let mut j = 0;
            while j < n {
                if wi[j] == 0.0 || j + 1 == n {
                    for i in 0..n {
                        v[i + j * n] = C64::new(vr[i + j * n], 0.0);
                    }
                    j += 1;
                } else {
                    for i in 0..n {
                        let (re, im) = (vr[i + j * n], vr[i + (j + 1) * n]);
                        v[i + j * n] = C64::new(re, im);
                        v[i + (j + 1) * n] = C64::new(re, -im);
                    }
                    j += 2;
                }
            }
        }
        (w, v, info)
    }

    fn gesdd(jobz: u8, m: usize, n: usize, a: &mut [Self], s: &mut [f64], u: &mut [Self], ldu: usize, vt: &mut [Self], ldvt: usize) -> Int {
        let (m_, n_, ld, ldu_, ldvt_) = (int(m), int(n), int(m.max(1)), int(ldu.max(1)), int(ldvt.max(1)));
        let j = ch(jobz);
        let mut iwork = vec![0 as Int; 8 * m.min(n).max(1)];
        let mut info = 0;
        let mut q = [0.0];
        let (mut u1, mut vt1) = ([0.0], [0.0]);
        let (up, vp) = if u.is_empty() { (u1.as_mut_ptr(), vt1.as_mut_ptr()) } else { (u.as_mut_ptr(), vt.as_mut_ptr()) };
        // SAFETY: workspace query, then the call; u and vt are ldu x ucols and ldvt x n.
        unsafe {
            dgesdd_(&j, &m_, &n_, a.as_mut_ptr(), &ld, s.as_mut_ptr(), up, &ldu_, vp, &ldvt_, q.as_mut_ptr(), &-1, iwork.as_mut_ptr(), &mut info, 1)
        };
        let mut work = vec![0.0; wsize(q[0])];
        unsafe {
            dgesdd_(
                &j, &m_, &n_, a.as_mut_ptr(), &ld, s.as_mut_ptr(), up, &ldu_, vp, &ldvt_, work.as_mut_ptr(), &int(work.len()), iwork.as_mut_ptr(),
                &mut info, 1,
            )
        };
        info
    }

    fn gelsd(m: usize, n: usize, nrhs: usize, a: &mut [Self], b: &mut [Self], ldb: usize, s: &mut [f64], rcond: f64) -> (Int, Int) {
        let (m_, n_, r_, ld, ldb_) = (int(m), int(n), int(nrhs), int(m.max(1)), int(ldb.max(1)));
        let mut rank = 0;
        let mut info = 0;
        let (mut q, mut iq) = ([0.0], [0 as Int]);
        // SAFETY: workspace query (iwork size in iq[0]), then the call.
        unsafe {
            dgelsd_(&m_, &n_, &r_, a.as_mut_ptr(), &ld, b.as_mut_ptr(), &ldb_, s.as_mut_ptr(), &rcond, &mut rank, q.as_mut_ptr(), &-1, iq.as_mut_ptr(), &mut info)
        };
        let mut work = vec![0.0; wsize(q[0])];
        let mut iwork = vec![0 as Int; (iq[0] as usize).max(1)];
        unsafe {
            dgelsd_(
                &m_, &n_, &r_, a.as_mut_ptr(), &ld, b.as_mut_ptr(), &ldb_, s.as_mut_ptr(), &rcond, &mut rank, work.as_mut_ptr(), &int(work.len()),
                iwork.as_mut_ptr(), &mut info,
            )
        };
        (rank, info)
    }
}

impl Field for C64 {
    const COMPLEX: bool = true;
    fn zero() -> Self {
        C64::new(0.0, 0.0)
    }
    fn one() -> Self {
        C64::new(1.0, 0.0)
    }
    fn from_re(x: f64) -> Self {
        C64::new(x, 0.0)
    }
    fn from_c64(z: C64) -> Self {
        z
    }
    fn to_c64(self) -> C64 {
        self
    }
    fn abs(self) -> f64 {
        self.norm()
    }
    fn abs2(self) -> f64 {
        self.norm_sqr()
    }
    fn conj(self) -> Self {
        C64::conj(&self)
    }
    fn mul(self, o: Self) -> Self {
        self * o
    }
    fn add(self, o: Self) -> Self {
        self + o
    }
    fn scale(self, x: f64) -> Self {
        self * x
    }
    fn is_finite(self) -> bool {
        self.re.is_finite() && self.im.is_finite()
    }

    same_shape_calls!(zgesv_, zgetrf_, zpotrf_, zgeqrf_, zungqr_);

    fn heevd(vectors: bool, upper: bool, n: usize, a: &mut [Self], w: &mut [f64]) -> Int {
        let (n_, ld) = (int(n), int(n.max(1)));
        let (jobz, uplo) = (ch(if vectors { b'V' } else { b'N' }), ch(if upper { b'U' } else { b'L' }));
        let mut info = 0;
        let (mut q, mut rq, mut iq) = ([Self::zero()], [0.0], [0 as Int]);
        // SAFETY: workspace query (work, rwork, iwork), then the call.
        unsafe {
            zheevd_(
                &jobz, &uplo, &n_, a.as_mut_ptr(), &ld, w.as_mut_ptr(), q.as_mut_ptr(), &-1, rq.as_mut_ptr(), &-1, iq.as_mut_ptr(), &-1, &mut info, 1,
                1,
            )
        };
        let mut work = vec![Self::zero(); wsize(q[0].re)];
        let mut rwork = vec![0.0; wsize(rq[0])];
        let mut iwork = vec![0 as Int; (iq[0] as usize).max(1)];
        unsafe {
            zheevd_(
                &jobz, &uplo, &n_, a.as_mut_ptr(), &ld, w.as_mut_ptr(), work.as_mut_ptr(), &int(work.len()), rwork.as_mut_ptr(), &int(rwork.len()),
                iwork.as_mut_ptr(), &int(iwork.len()), &mut info, 1, 1,
            )
        };
        info
    }

    fn geev(vectors: bool, n: usize, a: &mut [Self]) -> (Vec<C64>, Vec<C64>, Int) {
        let (n_, ld) = (int(n), int(n.max(1)));
        let (jl, jr) = (ch(b'N'), ch(if vectors { b'V' } else { b'N' }));
        let mut w = vec![Self::zero(); n];
        let mut vr = vec![Self::zero(); if vectors { n * n } else { 1 }];
        let mut vl = [Self::zero()];
        let ldvr = int(if vectors { n.max(1) } else { 1 });
        let mut rwork = vec![0.0; 2 * n.max(1)];
        let mut info = 0;
        let mut q = [Self::zero()];
        // SAFETY: workspace query, then the call.
        unsafe {
            zgeev_(
                &jl, &jr, &n_, a.as_mut_ptr(), &ld, w.as_mut_ptr(), vl.as_mut_ptr(), &1, vr.as_mut_ptr(), &ldvr, q.as_mut_ptr(), &-1, rwork.as_mut_ptr(),
                &mut info, 1, 1,
            )
        };
        let mut work = vec![Self::zero(); wsize(q[0].re)];
        unsafe {
            zgeev_(
                &jl, &jr, &n_, a.as_mut_ptr(), &ld, w.as_mut_ptr(), vl.as_mut_ptr(), &1, vr.as_mut_ptr(), &ldvr, work.as_mut_ptr(), &int(work.len()),
                rwork.as_mut_ptr(), &mut info, 1, 1,
            )
        };
        if !vectors {
            vr.clear();
        }
        (w, vr, info)
    }

    fn gesdd(jobz: u8, m: usize, n: usize, a: &mut [Self], s: &mut [f64], u: &mut [Self], ldu: usize, vt: &mut [Self], ldvt: usize) -> Int {
        let (m_, n_, ld, ldu_, ldvt_) = (int(m), int(n), int(m.max(1)), int(ldu.max(1)), int(ldvt.max(1)));
        let j = ch(jobz);
        let (mn, mx) = (m.min(n), m.max(n));
        let lrwork = if jobz == b'N' { 7 * mn } else { (5 * mn * mn + 5 * mn).max(2 * mx * mn + 2 * mn * mn + mn) };
        let mut rwork = vec![0.0; lrwork.max(1)];
        let mut iwork = vec![0 as Int; 8 * mn.max(1)];
        let mut info = 0;
        let mut q = [Self::zero()];
        let (mut u1, mut vt1) = ([Self::zero()], [Self::zero()]);
        let (up, vp) = if u.is_empty() { (u1.as_mut_ptr(), vt1.as_mut_ptr()) } else { (u.as_mut_ptr(), vt.as_mut_ptr()) };
        // SAFETY: workspace query, then the call.
        unsafe {
            zgesdd_(
                &j, &m_, &n_, a.as_mut_ptr(), &ld, s.as_mut_ptr(), up, &ldu_, vp, &ldvt_, q.as_mut_ptr(), &-1, rwork.as_mut_ptr(), iwork.as_mut_ptr(),
                &mut info, 1,
            )
        };
        let mut work = vec![Self::zero(); wsize(q[0].re)];
        unsafe {
            zgesdd_(
                &j, &m_, &n_, a.as_mut_ptr(), &ld, s.as_mut_ptr(), up, &ldu_, vp, &ldvt_, work.as_mut_ptr(), &int(work.len()), rwork.as_mut_ptr(),
                iwork.as_mut_ptr(), &mut info, 1,
            )
        };
        info
    }

    fn gelsd(m: usize, n: usize, nrhs: usize, a: &mut [Self], b: &mut [Self], ldb: usize, s: &mut [f64], rcond: f64) -> (Int, Int) {
        let (m_, n_, r_, ld, ldb_) = (int(m), int(n), int(nrhs), int(m.max(1)), int(ldb.max(1)));
        let mut rank = 0;
        let mut info = 0;
        let (mut q, mut rq, mut iq) = ([Self::zero()], [0.0], [0 as Int]);
        // SAFETY: workspace query (rwork and iwork sizes in rq[0], iq[0]), then the call.
        unsafe {
            zgelsd_(
                &m_, &n_, &r_, a.as_mut_ptr(), &ld, b.as_mut_ptr(), &ldb_, s.as_mut_ptr(), &rcond, &mut rank, q.as_mut_ptr(), &-1, rq.as_mut_ptr(),
                iq.as_mut_ptr(), &mut info,
            )
        };
        let mut work = vec![Self::zero(); wsize(q[0].re)];
        let mut rwork = vec![0.0; wsize(rq[0])];
        let mut iwork = vec![0 as Int; (iq[0] as usize).max(1)];
        unsafe {
            zgelsd_(
                &m_, &n_, &r_, a.as_mut_ptr(), &ld, b.as_mut_ptr(), &ldb_, s.as_mut_ptr(), &rcond, &mut rank, work.as_mut_ptr(), &int(work.len()),
                rwork.as_mut_ptr(), iwork.as_mut_ptr(), &mut info,
            )
        };
        (rank, info)
    }
}
