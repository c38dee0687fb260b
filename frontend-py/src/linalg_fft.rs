//! Bindings of `starp.numpy.linalg` and `starp.numpy.fft`: module-level functions taking the
//! session and arrays; they parse arguments and delegate to `runtime::api::{linalg, fft}`.

use crate::{with, Array, PySession};
use ir::host_op::FftKind;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::PyString;
use runtime::api::linalg::NormOrd;
use runtime::{Arr, Session};

/// Runs `f` on the session with `a` resolved; wraps the result.
pub(crate) fn one(py: Python<'_>, s: &Bound<'_, PySession>, f: impl FnOnce(&mut Session) -> ir::Result<Arr>) -> PyResult<Array> {
    let s = s.get();
    with(py, &s.inner, f).map(|a| s.wrap(a))
}

pub(crate) fn many(py: Python<'_>, s: &Bound<'_, PySession>, f: impl FnOnce(&mut Session) -> ir::Result<Vec<Arr>>) -> PyResult<Vec<Array>> {
    let s = s.get();
    with(py, &s.inner, f).map(|v| v.into_iter().map(|a| s.wrap(a)).collect())
}

pub(crate) fn arr(s: &Bound<'_, PySession>, a: &Bound<'_, Array>) -> PyResult<Arr> {
    s.get().arr(a).cloned()
}

#[pyfunction]
fn linalg_inv(py: Python<'_>, s: &Bound<'_, PySession>, a: &Bound<'_, Array>) -> PyResult<Array> {
    let a = arr(s, a)?;
    one(py, s, |x| x.linalg_inv(&a))
}

#[pyfunction]
fn linalg_solve(py: Python<'_>, s: &Bound<'_, PySession>, a: &Bound<'_, Array>, b: &Bound<'_, Array>) -> PyResult<Array> {
    let (a, b) = (arr(s, a)?, arr(s, b)?);
    one(py, s, |x| x.linalg_solve(&a, &b))
}

#[pyfunction]
fn linalg_det(py: Python<'_>, s: &Bound<'_, PySession>, a: &Bound<'_, Array>) -> PyResult<Array> {
    let a = arr(s, a)?;
    one(py, s, |x| x.linalg_det(&a))
}

#[pyfunction]
fn linalg_slogdet(py: Python<'_>, s: &Bound<'_, PySession>, a: &Bound<'_, Array>) -> PyResult<Vec<Array>> {
    let a = arr(s, a)?;
    many(py, s, |x| x.linalg_slogdet(&a))
}

#[pyfunction]
fn linalg_cholesky(py: Python<'_>, s: &Bound<'_, PySession>, a: &Bound<'_, Array>, upper: bool) -> PyResult<Array> {
    let a = arr(s, a)?;
    one(py, s, |x| x.linalg_cholesky(&a, upper))
}

#[pyfunction]
fn linalg_qr(py: Python<'_>, s: &Bound<'_, PySession>, a: &Bound<'_, Array>, mode: &str) -> PyResult<Vec<Array>> {
    let a = arr(s, a)?;
    many(py, s, |x| x.linalg_qr(&a, mode))
}

#[pyfunction]
fn linalg_eigh(py: Python<'_>, s: &Bound<'_, PySession>, a: &Bound<'_, Array>, uplo: &str, vectors: bool) -> PyResult<Vec<Array>> {
    let a = arr(s, a)?;
    many(py, s, |x| x.linalg_eigh(&a, uplo, vectors))
}

#[pyfunction]
fn linalg_eig(py: Python<'_>, s: &Bound<'_, PySession>, a: &Bound<'_, Array>, vectors: bool) -> PyResult<Vec<Array>> {
    let a = arr(s, a)?;
    many(py, s, |x| x.linalg_eig(&a, vectors))
}

#[pyfunction]
fn linalg_svd(
    py: Python<'_>,
    s: &Bound<'_, PySession>,
    a: &Bound<'_, Array>,
    full_matrices: bool,
    compute_uv: bool,
    hermitian: bool,
) -> PyResult<Vec<Array>> {
    let a = arr(s, a)?;
    many(py, s, |x| x.linalg_svd(&a, full_matrices, compute_uv, hermitian))
}

#[pyfunction]
#[pyo3(signature = (s, a, b, rcond=None))]
fn linalg_lstsq(py: Python<'_>, s: &Bound<'_, PySession>, a: &Bound<'_, Array>, b: &Bound<'_, Array>, rcond: Option<f64>) -> PyResult<Vec<Array>> {
    let (a, b) = (arr(s, a)?, arr(s, b)?);
    many(py, s, |x| x.linalg_lstsq(&a, &b, rcond))
}

#[pyfunction]
#[pyo3(signature = (s, a, rcond, rtol, rtol_given, hermitian))]
fn linalg_pinv(
    py: Python<'_>,
    s: &Bound<'_, PySession>,
    a: &Bound<'_, Array>,
    rcond: Option<f64>,
    rtol: Option<f64>,
    rtol_given: bool,
    hermitian: bool,
) -> PyResult<Array> {
    let a = arr(s, a)?;
    one(py, s, |x| x.linalg_pinv(&a, rcond, rtol, rtol_given, hermitian))
}

#[pyfunction]
#[pyo3(signature = (s, a, tol, rtol, hermitian))]
fn linalg_matrix_rank(
    py: Python<'_>,
    s: &Bound<'_, PySession>,
    a: &Bound<'_, Array>,
    tol: Option<f64>,
    rtol: Option<f64>,
    hermitian: bool,
) -> PyResult<Array> {
    let a = arr(s, a)?;
    one(py, s, |x| x.linalg_matrix_rank(&a, tol, rtol, hermitian))
}

#[pyfunction]
#[pyo3(signature = (s, a, ord, axis, keepdims))]
fn linalg_norm(
    py: Python<'_>,
    s: &Bound<'_, PySession>,
    a: &Bound<'_, Array>,
    ord: Option<&Bound<'_, PyAny>>,
    axis: Option<Vec<i64>>,
    keepdims: bool,
) -> PyResult<Array> {
    let a = arr(s, a)?;
    let ord = match ord {
        None => NormOrd::Default,
        Some(o) if o.is_instance_of::<PyString>() => NormOrd::Str(o.extract()?),
        Some(o) => NormOrd::Num(o.extract::<f64>().map_err(|_| PyTypeError::new_err(format!("invalid norm order {o}")))?),
    };
    one(py, s, |x| x.linalg_norm(&a, &ord, axis.as_deref(), keepdims))
}

fn fft_kind(kind: &str) -> PyResult<FftKind> {
    Ok(match kind {
        "fft" => FftKind::Forward,
        "ifft" => FftKind::Inverse,
        "rfft" => FftKind::RealForward,
        "irfft" => FftKind::RealInverse,
        _ => return Err(PyTypeError::new_err(format!("unknown fft kind {kind}"))),
    })
}

#[pyfunction]
#[pyo3(signature = (s, a, kind, n, axis, norm))]
fn fft_1d(py: Python<'_>, s: &Bound<'_, PySession>, a: &Bound<'_, Array>, kind: &str, n: Option<i64>, axis: i64, norm: Option<String>) -> PyResult<Array> {
    let (a, kind) = (arr(s, a)?, fft_kind(kind)?);
    one(py, s, |x| x.fft(&a, kind, n, axis, norm.as_deref()))
}

#[pyfunction]
#[pyo3(signature = (s, a, kind, shape, axes, norm))]
fn fft_nd(
    py: Python<'_>,
    s: &Bound<'_, PySession>,
    a: &Bound<'_, Array>,
    kind: &str,
    shape: Option<Vec<i64>>,
    axes: Option<Vec<i64>>,
    norm: Option<String>,
) -> PyResult<Array> {
    let (a, kind) = (arr(s, a)?, fft_kind(kind)?);
    one(py, s, |x| x.fftn(&a, kind, shape.as_deref(), axes.as_deref(), norm.as_deref()))
}

#[pyfunction]
#[pyo3(signature = (s, a, axes, inverse))]
fn fft_shift(py: Python<'_>, s: &Bound<'_, PySession>, a: &Bound<'_, Array>, axes: Option<Vec<i64>>, inverse: bool) -> PyResult<Array> {
    let a = arr(s, a)?;
    one(py, s, |x| x.fftshift(&a, axes.as_deref(), inverse))
}

#[pyfunction]
fn fft_freq(py: Python<'_>, s: &Bound<'_, PySession>, n: i64, val: f64, real: bool) -> PyResult<Array> {
    one(py, s, |x| x.fftfreq(n, val, real))
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(linalg_inv, m)?)?;
    m.add_function(wrap_pyfunction!(linalg_solve, m)?)?;
    m.add_function(wrap_pyfunction!(linalg_det, m)?)?;
    m.add_function(wrap_pyfunction!(linalg_slogdet, m)?)?;
    m.add_function(wrap_pyfunction!(linalg_cholesky, m)?)?;
    m.add_function(wrap_pyfunction!(linalg_qr, m)?)?;
    m.add_function(wrap_pyfunction!(linalg_eigh, m)?)?;
    m.add_function(wrap_pyfunction!(linalg_eig, m)?)?;
    m.add_function(wrap_pyfunction!(linalg_svd, m)?)?;
    m.add_function(wrap_pyfunction!(linalg_lstsq, m)?)?;
    m.add_function(wrap_pyfunction!(linalg_pinv, m)?)?;
    m.add_function(wrap_pyfunction!(linalg_matrix_rank, m)?)?;
    m.add_function(wrap_pyfunction!(linalg_norm, m)?)?;
    m.add_function(wrap_pyfunction!(fft_1d, m)?)?;
    m.add_function(wrap_pyfunction!(fft_nd, m)?)?;
    m.add_function(wrap_pyfunction!(fft_shift, m)?)?;
    m.add_function(wrap_pyfunction!(fft_freq, m)?)?;
    Ok(())
}
