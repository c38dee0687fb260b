//! Bindings of the data-dependent operations (`runtime::api::{select, sorting}`): boolean and
//! integer-array indexing, nonzero/argwhere, put/take_along_axis, sort/argsort, searchsorted,
//! cumsum/cumprod, quantile/median, unique. Argument parsing only.

use crate::{dtype, operand, with, Array, PySession};
use ir::view::IndexItem;
use pyo3::exceptions::PyIndexError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyEllipsis, PySlice};
use crate::linalg_fft::{arr, many, one};
use runtime::api::select::Sel;


/// Index items: starp arrays (index arrays and masks), None, Ellipsis, slices, integers.
fn sels(s: &Bound<'_, PySession>, items: &[Bound<'_, PyAny>]) -> PyResult<Vec<Sel>> {
    let opt = |o: Bound<'_, PyAny>| -> PyResult<Option<i64>> { if o.is_none() { Ok(None) } else { Ok(Some(o.call_method0("__index__")?.extract()?)) } };
    items
        .iter()
        .map(|it| {
            if let Ok(a) = it.cast::<Array>() {
                Ok(Sel::Array(arr(s, a)?))
            } else if it.is_none() {
                Ok(Sel::Basic(IndexItem::NewAxis))
            } else if it.is_instance_of::<PyEllipsis>() {
                Ok(Sel::Basic(IndexItem::Ellipsis))
            } else if let Ok(sl) = it.cast::<PySlice>() {
                Ok(Sel::Basic(IndexItem::Slice(opt(sl.getattr("start")?)?, opt(sl.getattr("stop")?)?, opt(sl.getattr("step")?)?)))
            } else if !it.is_instance_of::<PyBool>() && it.hasattr("__index__")? {
                Ok(Sel::Basic(IndexItem::Int(it.call_method0("__index__")?.extract()?)))
            } else {
                Err(PyIndexError::new_err(
                    "only integers, slices (`:`), ellipsis (`...`), numpy.newaxis (`None`) and integer or boolean arrays are valid indices",
                ))
            }
        })
        .collect()
}

#[pyfunction]
fn getitem_adv(py: Python<'_>, s: &Bound<'_, PySession>, a: &Bound<'_, Array>, items: Vec<Bound<'_, PyAny>>) -> PyResult<Array> {
    let (a, items) = (arr(s, a)?, sels(s, &items)?);
    one(py, s, |x| x.getitem_adv(&a, &items))
}

#[pyfunction]
fn setitem_adv(py: Python<'_>, s: &Bound<'_, PySession>, a: &Bound<'_, Array>, items: Vec<Bound<'_, PyAny>>, value: &Bound<'_, PyAny>) -> PyResult<()> {
    let (a, items, v) = (arr(s, a)?, sels(s, &items)?, operand(value)?);
    with(py, &s.get().inner, |x| x.setitem_adv(&a, &items, &v))
}

#[pyfunction]
fn nonzero(py: Python<'_>, s: &Bound<'_, PySession>, a: &Bound<'_, Array>) -> PyResult<Vec<Array>> {
    let a = arr(s, a)?;
    many(py, s, |x| x.nonzero(&a))
}

#[pyfunction]
fn argwhere(py: Python<'_>, s: &Bound<'_, PySession>, a: &Bound<'_, Array>) -> PyResult<Array> {
    let a = arr(s, a)?;
    one(py, s, |x| x.argwhere(&a))
}

#[pyfunction]
fn put(py: Python<'_>, s: &Bound<'_, PySession>, a: &Bound<'_, Array>, ind: &Bound<'_, Array>, value: &Bound<'_, PyAny>) -> PyResult<()> {
    let (a, ind, v) = (arr(s, a)?, arr(s, ind)?, operand(value)?);
    with(py, &s.get().inner, |x| x.put(&a, &ind, &v))
}

#[pyfunction]
fn take_along_axis(py: Python<'_>, s: &Bound<'_, PySession>, a: &Bound<'_, Array>, ind: &Bound<'_, Array>, axis: i64) -> PyResult<Array> {
    let (a, ind) = (arr(s, a)?, arr(s, ind)?);
    one(py, s, |x| x.take_along_axis(&a, &ind, axis))
}

#[pyfunction]
fn sort(py: Python<'_>, s: &Bound<'_, PySession>, a: &Bound<'_, Array>, axis: Option<i64>, arg: bool) -> PyResult<Array> {
    let a = arr(s, a)?;
    one(py, s, |x| x.sort(&a, axis, arg))
}

#[pyfunction]
fn searchsorted(py: Python<'_>, s: &Bound<'_, PySession>, a: &Bound<'_, Array>, v: &Bound<'_, PyAny>, right: bool) -> PyResult<Array> {
    let (a, v) = (arr(s, a)?, operand(v)?);
    one(py, s, |x| x.searchsorted(&a, &v, right))
}

#[pyfunction]
fn cumulative(py: Python<'_>, s: &Bound<'_, PySession>, a: &Bound<'_, Array>, axis: Option<i64>, prod: bool, dt: &str) -> PyResult<Array> {
    let (a, d) = (arr(s, a)?, dtype(dt)?);
    one(py, s, |x| x.cumulative(&a, axis, prod, d))
}

#[pyfunction]
#[pyo3(signature = (s, a, q, axis, dt, f32_index=false))]
fn quantile(py: Python<'_>, s: &Bound<'_, PySession>, a: &Bound<'_, Array>, q: Vec<f64>, axis: i64, dt: &str, f32_index: bool) -> PyResult<Array> {
    let (a, d) = (arr(s, a)?, dtype(dt)?);
    one(py, s, |x| x.quantile(&a, &q, axis, d, f32_index))
}

#[pyfunction]
fn median(py: Python<'_>, s: &Bound<'_, PySession>, a: &Bound<'_, Array>, axis: i64) -> PyResult<Array> {
    let a = arr(s, a)?;
    one(py, s, |x| x.median(&a, axis))
}

#[pyfunction]
fn unique(py: Python<'_>, s: &Bound<'_, PySession>, a: &Bound<'_, Array>) -> PyResult<Vec<Array>> {
    let a = arr(s, a)?;
    many(py, s, |x| x.unique(&a))
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(getitem_adv, m)?)?;
    m.add_function(wrap_pyfunction!(setitem_adv, m)?)?;
    m.add_function(wrap_pyfunction!(nonzero, m)?)?;
    m.add_function(wrap_pyfunction!(argwhere, m)?)?;
    m.add_function(wrap_pyfunction!(put, m)?)?;
    m.add_function(wrap_pyfunction!(take_along_axis, m)?)?;
    m.add_function(wrap_pyfunction!(sort, m)?)?;
    m.add_function(wrap_pyfunction!(searchsorted, m)?)?;
    m.add_function(wrap_pyfunction!(cumulative, m)?)?;
    m.add_function(wrap_pyfunction!(quantile, m)?)?;
    m.add_function(wrap_pyfunction!(median, m)?)?;
    m.add_function(wrap_pyfunction!(unique, m)?)?;
    Ok(())
}
