//! `starp._core`: thin PyO3 bindings over `runtime::Session`. Each method parses arguments and
//! delegates; semantics live in the runtime. Errors map to NumPy's exception types in one place,
//! and Rust panics become RuntimeError instead of crossing into Python.

mod data_dependent;
mod errors;
mod linalg_fft;

use ir::op::{BinaryOp, ReduceOp, UnaryOp};
use ir::view::IndexItem;
use ir::{BaseId, DType, Scalar};
use pyo3::exceptions::{PyIndexError, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyComplex, PyEllipsis, PyFloat, PyInt, PySlice, PyTuple};
use runtime::api::random::{Draw, RngState};
use runtime::api::nan::NanOp;
use runtime::api::shape::{PadMode, Sections};
use runtime::api::{Operand, PyScalar};
use runtime::{Arr, Session};
use std::sync::{Arc, Mutex};

type Shared = Arc<Mutex<Session>>;

/// Locks the session, runs `f`, maps errors and panics to Python exceptions.
fn with<T>(py: Python<'_>, s: &Shared, f: impl FnOnce(&mut Session) -> ir::Result<T>) -> PyResult<T> {
    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let mut g = s.lock().unwrap_or_else(|e| e.into_inner());
        f(&mut g)
    }));
    match r {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(errors::to_py(py, e)),
        Err(p) => {
            let msg = p.downcast_ref::<String>().cloned().or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string())).unwrap_or_default();
            Err(errors::to_py(py, ir::Error::Internal(format!("panic: {msg}"))))
        }
    }
}

fn dtype(name: &str) -> PyResult<DType> {
    DType::from_name(name).ok_or_else(|| PyTypeError::new_err(format!("data type '{name}' not understood")))
}

/// A handle: a base and a view of it. Dropping it queues the handle's release.
#[pyclass(frozen, module = "starp._core")]
pub struct Array {
    sess: Shared,
    drops: Arc<Mutex<Vec<BaseId>>>,
    arr: Arr,
    /// Set when `compute()` handed this temporary's buffer to NumPy and released the handle.
    consumed: std::sync::atomic::AtomicBool,
}

impl Drop for Array {
    fn drop(&mut self) {
        if self.consumed.load(std::sync::atomic::Ordering::Relaxed) {
            return;
        }
        if let Ok(mut d) = self.drops.lock() {
            d.push(self.arr.base);
        }
    }
}

#[pymethods]
impl Array {
    #[getter]
    fn shape(&self) -> Vec<usize> {
        self.arr.shape().to_vec()
    }
    #[getter]
    fn dtype(&self) -> &'static str {
        self.arr.dtype.name()
    }
}

/// Computed bytes handed to NumPy without a copy: `numpy.frombuffer` wraps this object's memory
/// (writable, owned by the NumPy array through the buffer protocol).
#[pyclass(module = "starp._core")]
pub struct HostBuffer {
    data: runtime::buffer::LocalBuf,
    /// Where the memory goes when NumPy's array dies (the session's pool).
    recycle: Arc<Mutex<Vec<runtime::buffer::LocalBuf>>>,
}

impl Drop for HostBuffer {
    fn drop(&mut self) {
        let data = std::mem::replace(&mut self.data, runtime::buffer::LocalBuf::empty());
        if let Ok(mut r) = self.recycle.lock() {
            r.push(data);
        }
    }
}

#[pymethods]
impl HostBuffer {
    /// # Safety
    /// Called by CPython with a valid `view`; the data lives as long as `slf`, which the view
    /// holds a reference to, and is never reallocated.
    unsafe fn __getbuffer__(slf: Bound<'_, Self>, view: *mut pyo3::ffi::Py_buffer, flags: std::os::raw::c_int) -> PyResult<()> {
        let (ptr, len) = {
            let mut b = slf.borrow_mut();
            let len = b.data.bytes().len();
            (b.data.as_mut_ptr(), len)
        };
        // SAFETY: see above; PyBuffer_FillInfo fills a 1-d unsigned-byte view and increfs slf.
        let rc = unsafe { pyo3::ffi::PyBuffer_FillInfo(view, slf.as_ptr(), ptr as *mut std::os::raw::c_void, len as isize, 0, flags) };
        if rc == -1 {
            return Err(PyErr::fetch(slf.py()));
        }
        Ok(())
    }

    unsafe fn __releasebuffer__(&self, _view: *mut pyo3::ffi::Py_buffer) {}

    fn __len__(&self) -> usize {
        self.data.bytes().len()
    }
}

#[pyclass(module = "starp._core")]
pub struct Rng {
    state: Mutex<RngState>,
}

#[pymethods]
impl Rng {
    #[new]
    #[pyo3(signature = (seed=None))]
    fn new(seed: Option<&Bound<'_, PyAny>>) -> PyResult<Rng> {
        let state = match seed {
            None => RngState::from_entropy(),
            Some(s) => {
                let p = scalar(s)?;
                RngState::new(runtime::api::random::seed_from(p).map_err(|e| errors::to_py(s.py(), e))?)
            }
        };
        Ok(Rng { state: Mutex::new(state) })
    }
}

fn scalar(ob: &Bound<'_, PyAny>) -> PyResult<PyScalar> {
    if ob.is_instance_of::<PyBool>() {
        return Ok(PyScalar::Bool(ob.extract()?));
    }
    if ob.is_instance_of::<PyInt>() {
        return match ob.extract::<i128>() {
            Ok(i) => Ok(PyScalar::Int(i)),
            Err(_) => Ok(PyScalar::Float(ob.extract::<f64>()?)),
        };
    }
    if ob.is_instance_of::<PyFloat>() {
        return Ok(PyScalar::Float(ob.extract()?));
    }
    if ob.is_instance_of::<PyComplex>() {
        let c: num_complex::Complex64 = ob.extract()?;
        return Ok(PyScalar::Complex(c.re, c.im));
    }
    Err(PyTypeError::new_err(format!("expected a Python scalar, got {}", ob.get_type().name()?)))
}

fn operand(ob: &Bound<'_, PyAny>) -> PyResult<Operand> {
    if let Ok(a) = ob.cast::<Array>() {
        return Ok(Operand::Array(a.get().arr.clone()));
    }
    let py = ob.py();
    // numpy.generic, looked up once (an import per operand cost more than building the node).
    static GENERIC: pyo3::sync::PyOnceLock<Py<PyAny>> = pyo3::sync::PyOnceLock::new();
    let generic = GENERIC.get_or_try_init(py, || py.import("numpy")?.getattr("generic").map(|g| g.unbind()))?.bind(py);
    if ob.is_instance(generic)? {
        let d = dtype(&ob.getattr("dtype")?.getattr("name")?.extract::<String>()?)?;
        let v = scalar(&ob.call_method0("item")?)?;
        let s = match v {
            PyScalar::Bool(b) => Scalar::Bool(b),
            PyScalar::Int(i) if d.kind() == ir::dtype::Kind::UInt => Scalar::UInt(i as u64),
            PyScalar::Int(i) => Scalar::Int(i as i64),
            PyScalar::Float(f) => Scalar::Float(f),
            PyScalar::Complex(re, im) => Scalar::Complex(re, im),
        };
        return Ok(Operand::Np(s.cast(d), d));
    }
    Ok(Operand::Py(scalar(ob)?))
}

fn index_items(key: &Bound<'_, PyAny>) -> PyResult<Vec<IndexItem>> {
    let items: Vec<Bound<'_, PyAny>> = match key.cast::<PyTuple>() {
        Ok(t) => t.iter().collect(),
        Err(_) => vec![key.clone()],
    };
    let opt = |o: Bound<'_, PyAny>| -> PyResult<Option<i64>> { if o.is_none() { Ok(None) } else { Ok(Some(o.call_method0("__index__")?.extract()?)) } };
    items
        .into_iter()
        .map(|it| {
            if it.is_none() {
                Ok(IndexItem::NewAxis)
            } else if it.is_instance_of::<PyEllipsis>() {
                Ok(IndexItem::Ellipsis)
            } else if let Ok(s) = it.cast::<PySlice>() {
                Ok(IndexItem::Slice(opt(s.getattr("start")?)?, opt(s.getattr("stop")?)?, opt(s.getattr("step")?)?))
            } else if !it.is_instance_of::<PyBool>() && it.hasattr("__index__")? && it.getattr("ndim").map(|n| n.extract::<usize>().unwrap_or(0) == 0).unwrap_or(true) {
                Ok(IndexItem::Int(it.call_method0("__index__")?.extract()?))
            } else if it.cast::<Array>().is_ok() || it.hasattr("__len__")? {
                Err(pyo3::exceptions::PyNotImplementedError::new_err(
                    "advanced indexing (integer or boolean arrays) is not supported yet; basic indices (ints, slices, None, ...) are",
                ))
            } else {
                Err(PyIndexError::new_err(
                    "only integers, slices (`:`), ellipsis (`...`), numpy.newaxis (`None`) and integer or boolean arrays are valid indices",
                ))
            }
        })
        .collect()
}

fn binary_op(name: &str) -> PyResult<BinaryOp> {
    use BinaryOp::*;
    Ok(match name {
        "add" => Add,
        "subtract" => Sub,
        "multiply" => Mul,
        "divide" | "true_divide" => Div,
        "floor_divide" => FloorDiv,
        "remainder" | "mod" => Mod,
        "power" => Pow,
        "maximum" => Max,
        "minimum" => Min,
        "equal" => Eq,
        "not_equal" => Ne,
        "less" => Lt,
        "less_equal" => Le,
        "greater" => Gt,
        "greater_equal" => Ge,
        "bitwise_and" => BitAnd,
        "bitwise_or" => BitOr,
        "bitwise_xor" => BitXor,
        "logical_and" => LogicalAnd,
        "logical_or" => LogicalOr,
        "logical_xor" => LogicalXor,
        "fmod" => Fmod,
        "arctan2" => Arctan2,
        "hypot" => Hypot,
        "copysign" => Copysign,
        "logaddexp" => Logaddexp,
        "logaddexp2" => Logaddexp2,
        "left_shift" => Shl,
        "right_shift" => Shr,
        "nextafter" => Nextafter,
        "ldexp" => Ldexp,
        "gcd" => Gcd,
        "lcm" => Lcm,
        "fmax" => Fmax,
        "fmin" => Fmin,
        "heaviside" => Heaviside,
        _ => return Err(PyTypeError::new_err(format!("unknown binary op {name}"))),
    })
}

fn unary_op(name: &str) -> PyResult<UnaryOp> {
    use UnaryOp::*;
    Ok(match name {
        "negative" => Neg,
        "absolute" => Abs,
        "sqrt" => Sqrt,
        "exp" => Exp,
        "log" => Log,
        "sin" => Sin,
        "cos" => Cos,
        "tanh" => Tanh,
        "invert" => Invert,
        "logical_not" => LogicalNot,
        "expm1" => Expm1,
        "log1p" => Log1p,
        "log2" => Log2,
        "log10" => Log10,
        "exp2" => Exp2,
        "cbrt" => Cbrt,
        "tan" => Tan,
        "arcsin" => Arcsin,
        "arccos" => Arccos,
        "arctan" => Arctan,
        "sinh" => Sinh,
        "cosh" => Cosh,
        "arcsinh" => Arcsinh,
        "arccosh" => Arccosh,
        "arctanh" => Arctanh,
        "floor" => Floor,
        "ceil" => Ceil,
        "trunc" => Trunc,
        "rint" => Rint,
        "sign" => Sign,
        "conjugate" => Conj,
        "imag" => Imag,
        "spacing" => Spacing,
        "frexp_mantissa" => FrexpMantissa,
        "frexp_exponent" => FrexpExponent,
        "bitwise_count" => BitwiseCount,
        _ => return Err(PyTypeError::new_err(format!("unknown unary op {name}"))),
    })
}

fn reduce_op(name: &str) -> PyResult<ReduceOp> {
    use ReduceOp::*;
    Ok(match name {
        "sum" => Sum,
        "prod" => Prod,
        "min" => Min,
        "max" => Max,
        "argmin" => ArgMin,
        "argmax" => ArgMax,
        "any" => Any,
        "all" => All,
        _ => return Err(PyTypeError::new_err(format!("unknown reduction {name}"))),
    })
}

#[pyclass(frozen, module = "starp._core", name = "Session")]
pub struct PySession {
    inner: Shared,
    drops: Arc<Mutex<Vec<BaseId>>>,
    returned: Arc<Mutex<Vec<runtime::buffer::LocalBuf>>>,
}

impl PySession {
    fn wrap(&self, arr: Arr) -> Array {
        Array { sess: self.inner.clone(), drops: self.drops.clone(), arr, consumed: Default::default() }
    }

    fn arr<'a>(&self, a: &'a Bound<'_, Array>) -> PyResult<&'a Arr> {
        let a = a.get();
        if !Arc::ptr_eq(&a.sess, &self.inner) {
            return Err(pyo3::exceptions::PyValueError::new_err(
                "this array belongs to another starp session (made before starp.config changed the ranks)",
            ));
        }
        if a.consumed.load(std::sync::atomic::Ordering::Relaxed) {
            return Err(pyo3::exceptions::PyRuntimeError::new_err(
                "this starp array was a temporary whose memory compute() handed to NumPy; it no longer exists",
            ));
        }
        Ok(&a.arr)
    }

    fn arrs(&self, xs: &[Bound<'_, Array>]) -> PyResult<Vec<Arr>> {
        xs.iter().map(|a| self.arr(a).cloned()).collect()
    }

    fn wrap_all(&self, v: Vec<Arr>) -> Vec<Array> {
        v.into_iter().map(|a| self.wrap(a)).collect()
    }
}

#[pymethods]
impl PySession {
    #[new]
    fn new(py: Python<'_>, ranks: usize) -> PyResult<PySession> {
        let s = Session::new(ranks).map_err(|e| errors::to_py(py, e))?;
        let (drops, returned) = (s.drops.clone(), s.returned.clone());
        Ok(PySession { inner: Arc::new(Mutex::new(s)), drops, returned })
    }

    /// A session that is this process's rank of the MPI job it was launched in by mpirun;
    /// None when not launched by mpirun (or built without MPI).
    #[staticmethod]
    fn mpi(py: Python<'_>) -> PyResult<Option<PySession>> {
        #[cfg(feature = "mpi")]
        {
            let Some(comm) = runtime::mpi_comm::init() else { return Ok(None) };
            let s = Session::spmd(Box::new(comm)).map_err(|e| errors::to_py(py, e))?;
            let (drops, returned) = (s.drops.clone(), s.returned.clone());
            Ok(Some(PySession { inner: Arc::new(Mutex::new(s)), drops, returned }))
        }
        #[cfg(not(feature = "mpi"))]
        {
            let _ = py;
            Ok(None)
        }
    }

    /// This process's rank (0 unless it is one rank of an MPI job).
    #[getter]
    fn rank(&self) -> usize {
        self.inner.lock().map(|s| s.rank()).unwrap_or(0)
    }

    #[getter]
    fn ranks(&self) -> usize {
        self.inner.lock().map(|s| s.ranks()).unwrap_or(1)
    }

    fn set_budget(&self, n: usize) {
        if let Ok(mut s) = self.inner.lock() {
            s.budget = n.max(1);
        }
    }

    fn from_bytes(&self, py: Python<'_>, dt: &str, shape: Vec<usize>, data: &[u8]) -> PyResult<Array> {
        let d = dtype(dt)?;
        with(py, &self.inner, |s| s.from_host(d, &shape, data)).map(|a| self.wrap(a))
    }

    fn full(&self, py: Python<'_>, shape: Vec<usize>, value: &Bound<'_, PyAny>, dt: &str) -> PyResult<Array> {
        let (d, v) = (dtype(dt)?, scalar(value)?);
        with(py, &self.inner, |s| s.full(&shape, v, d)).map(|a| self.wrap(a))
    }

    fn arange(&self, py: Python<'_>, start: &Bound<'_, PyAny>, stop: &Bound<'_, PyAny>, step: &Bound<'_, PyAny>, dt: &str) -> PyResult<Array> {
        let (a, b, c, d) = (scalar(start)?, scalar(stop)?, scalar(step)?, dtype(dt)?);
        with(py, &self.inner, |s| s.arange(a, b, c, d)).map(|a| self.wrap(a))
    }

    fn linspace(&self, py: Python<'_>, start: f64, stop: f64, num: i64, endpoint: bool, dt: &str) -> PyResult<Array> {
        let d = dtype(dt)?;
        with(py, &self.inner, |s| s.linspace(start, stop, num, endpoint, d)).map(|a| self.wrap(a))
    }

    fn eye(&self, py: Python<'_>, n: usize, m: usize, k: i64, dt: &str) -> PyResult<Array> {
        let d = dtype(dt)?;
        with(py, &self.inner, |s| s.eye(n, m, k, d)).map(|a| self.wrap(a))
    }

    fn binary(&self, py: Python<'_>, op: &str, a: &Bound<'_, PyAny>, b: &Bound<'_, PyAny>) -> PyResult<Array> {
        let (op, a, b) = (binary_op(op)?, operand(a)?, operand(b)?);
        with(py, &self.inner, |s| s.binary(op, &a, &b)).map(|a| self.wrap(a))
    }

    fn unary(&self, py: Python<'_>, op: &str, a: &Bound<'_, Array>) -> PyResult<Array> {
        let (op, a) = (unary_op(op)?, self.arr(a)?);
        with(py, &self.inner, |s| s.unary(op, a)).map(|a| self.wrap(a))
    }

    fn where_(&self, py: Python<'_>, c: &Bound<'_, PyAny>, a: &Bound<'_, PyAny>, b: &Bound<'_, PyAny>) -> PyResult<Array> {
        let (c, a, b) = (operand(c)?, operand(a)?, operand(b)?);
        with(py, &self.inner, |s| s.where_(&c, &a, &b)).map(|a| self.wrap(a))
    }

    fn astype(&self, py: Python<'_>, a: &Bound<'_, Array>, dt: &str) -> PyResult<Array> {
        let (a, d) = (self.arr(a)?, dtype(dt)?);
        with(py, &self.inner, |s| s.astype(a, d)).map(|a| self.wrap(a))
    }

    #[pyo3(signature = (op, a, axis, keepdims))]
    fn reduce(&self, py: Python<'_>, op: &str, a: &Bound<'_, Array>, axis: Option<Vec<i64>>, keepdims: bool) -> PyResult<Array> {
        let (op, a) = (reduce_op(op)?, self.arr(a)?);
        with(py, &self.inner, |s| s.reduce(op, a, axis.as_deref(), keepdims)).map(|a| self.wrap(a))
    }

    fn mean(&self, py: Python<'_>, a: &Bound<'_, Array>, axis: Option<Vec<i64>>, keepdims: bool) -> PyResult<Array> {
        let a = self.arr(a)?;
        with(py, &self.inner, |s| s.mean(a, axis.as_deref(), keepdims)).map(|a| self.wrap(a))
    }

    fn var(&self, py: Python<'_>, a: &Bound<'_, Array>, axis: Option<Vec<i64>>, ddof: f64, keepdims: bool) -> PyResult<Array> {
        let a = self.arr(a)?;
        with(py, &self.inner, |s| s.var(a, axis.as_deref(), ddof, keepdims)).map(|a| self.wrap(a))
    }

    fn std(&self, py: Python<'_>, a: &Bound<'_, Array>, axis: Option<Vec<i64>>, ddof: f64, keepdims: bool) -> PyResult<Array> {
        let a = self.arr(a)?;
        with(py, &self.inner, |s| s.std(a, axis.as_deref(), ddof, keepdims)).map(|a| self.wrap(a))
    }

    fn getitem(&self, py: Python<'_>, a: &Bound<'_, Array>, key: &Bound<'_, PyAny>) -> PyResult<Array> {
        let (a, items) = (self.arr(a)?, index_items(key)?);
        with(py, &self.inner, |s| s.getitem(a, &items)).map(|a| self.wrap(a))
    }

    fn setitem(&self, py: Python<'_>, a: &Bound<'_, Array>, key: &Bound<'_, PyAny>, value: &Bound<'_, PyAny>) -> PyResult<()> {
        let (a, items, v) = (self.arr(a)?, index_items(key)?, operand(value)?);
        with(py, &self.inner, |s| s.setitem(a, &items, &v))
    }

    fn transpose(&self, py: Python<'_>, a: &Bound<'_, Array>, axes: Option<Vec<i64>>) -> PyResult<Array> {
        let a = self.arr(a)?;
        with(py, &self.inner, |s| s.transpose(a, axes.as_deref())).map(|a| self.wrap(a))
    }

    fn reshape(&self, py: Python<'_>, a: &Bound<'_, Array>, shape: Vec<i64>) -> PyResult<Array> {
        let a = self.arr(a)?;
        with(py, &self.inner, |s| s.reshape(a, &shape)).map(|a| self.wrap(a))
    }

    fn copy(&self, py: Python<'_>, a: &Bound<'_, Array>) -> PyResult<Array> {
        let a = self.arr(a)?;
        with(py, &self.inner, |s| s.copy(a)).map(|a| self.wrap(a))
    }

    fn inplace(&self, py: Python<'_>, op: &str, a: &Bound<'_, Array>, b: &Bound<'_, PyAny>) -> PyResult<()> {
        let (op, a, b) = (binary_op(op)?, self.arr(a)?, operand(b)?);
        with(py, &self.inner, |s| s.inplace(op, a, &b))
    }

    fn matmul(&self, py: Python<'_>, a: &Bound<'_, Array>, b: &Bound<'_, Array>) -> PyResult<Array> {
        let (a, b) = (self.arr(a)?, self.arr(b)?);
        with(py, &self.inner, |s| s.matmul(a, b)).map(|a| self.wrap(a))
    }

    fn random(&self, py: Python<'_>, rng: &Rng, kind: &str, shape: Vec<usize>, p0: &Bound<'_, PyAny>, p1: &Bound<'_, PyAny>, dt: &str) -> PyResult<Array> {
        let d = dtype(dt)?;
        let f = |o: &Bound<'_, PyAny>| o.extract::<f64>();
        let draw = match kind {
            "uniform" => Draw::Uniform { low: f(p0)?, high: f(p1)? },
            "normal" => Draw::Normal { loc: f(p0)?, scale: f(p1)? },
            "integers" => Draw::Integers { low: p0.extract()?, high: p1.extract()? },
            _ => return Err(PyTypeError::new_err(format!("unknown distribution {kind}"))),
        };
        let mut st = rng.state.lock().unwrap_or_else(|e| e.into_inner());
        with(py, &self.inner, |s| s.random(&mut st, draw, &shape, d)).map(|a| self.wrap(a))
    }

    // ---- shape and data movement (runtime/src/api/shape.rs, nan.rs) ----

    fn expand_dims(&self, py: Python<'_>, a: &Bound<'_, Array>, axes: Vec<i64>) -> PyResult<Array> {
        let a = self.arr(a)?;
        with(py, &self.inner, |s| s.expand_dims(a, &axes)).map(|a| self.wrap(a))
    }

    fn squeeze(&self, py: Python<'_>, a: &Bound<'_, Array>, axes: Option<Vec<i64>>, int_axis: bool) -> PyResult<Array> {
        let a = self.arr(a)?;
        with(py, &self.inner, |s| s.squeeze(a, axes.as_deref(), int_axis)).map(|a| self.wrap(a))
    }

    fn swapaxes(&self, py: Python<'_>, a: &Bound<'_, Array>, axis1: i64, axis2: i64) -> PyResult<Array> {
        let a = self.arr(a)?;
        with(py, &self.inner, |s| s.swapaxes(a, axis1, axis2)).map(|a| self.wrap(a))
    }

    fn moveaxis(&self, py: Python<'_>, a: &Bound<'_, Array>, source: Vec<i64>, destination: Vec<i64>) -> PyResult<Array> {
        let a = self.arr(a)?;
        with(py, &self.inner, |s| s.moveaxis(a, &source, &destination)).map(|a| self.wrap(a))
    }

    fn broadcast_to(&self, py: Python<'_>, a: &Bound<'_, Array>, shape: Vec<i64>) -> PyResult<Array> {
        let a = self.arr(a)?;
        with(py, &self.inner, |s| s.broadcast_to(a, &shape)).map(|a| self.wrap(a))
    }

    fn atleast_nd(&self, py: Python<'_>, a: &Bound<'_, Array>, n: usize) -> PyResult<Array> {
        let a = self.arr(a)?;
        with(py, &self.inner, |s| s.atleast_nd(a, n)).map(|a| self.wrap(a))
    }

    fn flip(&self, py: Python<'_>, a: &Bound<'_, Array>, axes: Option<Vec<i64>>) -> PyResult<Array> {
        let a = self.arr(a)?;
        with(py, &self.inner, |s| s.flip(a, axes.as_deref())).map(|a| self.wrap(a))
    }

    fn fliplr(&self, py: Python<'_>, a: &Bound<'_, Array>) -> PyResult<Array> {
        let a = self.arr(a)?;
        with(py, &self.inner, |s| s.fliplr(a)).map(|a| self.wrap(a))
    }

    fn flipud(&self, py: Python<'_>, a: &Bound<'_, Array>) -> PyResult<Array> {
        let a = self.arr(a)?;
        with(py, &self.inner, |s| s.flipud(a)).map(|a| self.wrap(a))
    }

    #[pyo3(signature = (a, count, indices, axis, equal))]
    fn array_split(&self, py: Python<'_>, a: &Bound<'_, Array>, count: Option<i64>, indices: Option<Vec<i64>>, axis: i64, equal: bool) -> PyResult<Vec<Array>> {
        let (a, sec) = (self.arr(a)?, count.map_or_else(|| Sections::Indices(indices.unwrap_or_default()), Sections::Count));
        with(py, &self.inner, |s| s.array_split(a, &sec, axis, equal)).map(|v| self.wrap_all(v))
    }

    fn diagonal(&self, py: Python<'_>, a: &Bound<'_, Array>, offset: i64, axis1: i64, axis2: i64) -> PyResult<Array> {
        let a = self.arr(a)?;
        with(py, &self.inner, |s| s.diagonal(a, offset, axis1, axis2)).map(|a| self.wrap(a))
    }

    #[pyo3(signature = (xs, axis, dt, casting))]
    fn concatenate(&self, py: Python<'_>, xs: Vec<Bound<'_, Array>>, axis: Option<i64>, dt: Option<&str>, casting: &str) -> PyResult<Array> {
        let (xs, d) = (self.arrs(&xs)?, dt.map(dtype).transpose()?);
        with(py, &self.inner, |s| s.concatenate(&xs, axis, d, casting)).map(|a| self.wrap(a))
    }

    #[pyo3(signature = (kind, xs, axis, dt, casting))]
    fn stack(&self, py: Python<'_>, kind: &str, xs: Vec<Bound<'_, Array>>, axis: i64, dt: Option<&str>, casting: &str) -> PyResult<Array> {
        let (xs, d) = (self.arrs(&xs)?, dt.map(dtype).transpose()?);
        with(py, &self.inner, |s| match kind {
            "vstack" => s.vstack(&xs, d, casting),
            "hstack" => s.hstack(&xs, d, casting),
            "dstack" => s.dstack(&xs),
            "column_stack" => s.column_stack(&xs),
            _ => s.stack(&xs, axis, d, casting),
        })
        .map(|a| self.wrap(a))
    }

    fn tile(&self, py: Python<'_>, a: &Bound<'_, Array>, reps: Vec<i64>) -> PyResult<Array> {
        let a = self.arr(a)?;
        with(py, &self.inner, |s| s.tile(a, &reps)).map(|a| self.wrap(a))
    }

    #[pyo3(signature = (a, repeats, repeats_shape, axis))]
    fn repeat(&self, py: Python<'_>, a: &Bound<'_, Array>, repeats: Vec<i64>, repeats_shape: Vec<usize>, axis: Option<i64>) -> PyResult<Array> {
        let a = self.arr(a)?;
        with(py, &self.inner, |s| s.repeat(a, &repeats, &repeats_shape, axis)).map(|a| self.wrap(a))
    }

    #[pyo3(signature = (a, shift, shift_shape, axis, axis_shape))]
    fn roll(&self, py: Python<'_>, a: &Bound<'_, Array>, shift: Vec<i64>, shift_shape: Vec<usize>, axis: Option<Vec<i64>>, axis_shape: Vec<usize>) -> PyResult<Array> {
        let a = self.arr(a)?;
        with(py, &self.inner, |s| s.roll(a, &shift, &shift_shape, axis.as_deref().map(|x| (x, axis_shape.as_slice())))).map(|a| self.wrap(a))
    }

    #[pyo3(signature = (a, n, axis, prepend, append))]
    fn diff(&self, py: Python<'_>, a: &Bound<'_, Array>, n: i64, axis: i64, prepend: Option<Bound<'_, Array>>, append: Option<Bound<'_, Array>>) -> PyResult<Array> {
        let (a, p, q) = (self.arr(a)?, prepend.map(|x| self.arr(&x).cloned()).transpose()?, append.map(|x| self.arr(&x).cloned()).transpose()?);
        with(py, &self.inner, |s| s.diff(a, n, axis, p.as_ref(), q.as_ref())).map(|a| self.wrap(a))
    }

    fn pad_pairs(&self, py: Python<'_>, ndim: usize, widths: Vec<i64>, shape: Vec<usize>) -> PyResult<Vec<(usize, usize)>> {
        with(py, &self.inner, |s| s.pad_pairs(ndim, &widths, &shape))
    }

    fn pad(&self, py: Python<'_>, a: &Bound<'_, Array>, pads: Vec<(usize, usize)>, mode: &str, values: Vec<Bound<'_, PyAny>>, values_shape: Vec<usize>) -> PyResult<Array> {
        let (a, vals) = (self.arr(a)?, values.iter().map(scalar).collect::<PyResult<Vec<_>>>()?);
        with(py, &self.inner, |s| s.pad(a, &pads, PadMode::parse(mode)?, &vals, &values_shape)).map(|a| self.wrap(a))
    }

    fn diag(&self, py: Python<'_>, a: &Bound<'_, Array>, k: i64) -> PyResult<Array> {
        let a = self.arr(a)?;
        with(py, &self.inner, |s| s.diag(a, k)).map(|a| self.wrap(a))
    }

    fn tri_part(&self, py: Python<'_>, a: &Bound<'_, Array>, k: i64, upper: bool) -> PyResult<Array> {
        let a = self.arr(a)?;
        with(py, &self.inner, |s| s.tri_part(a, k, upper)).map(|a| self.wrap(a))
    }

    #[pyo3(signature = (a, offset, axis1, axis2, dt))]
    fn trace(&self, py: Python<'_>, a: &Bound<'_, Array>, offset: i64, axis1: i64, axis2: i64, dt: Option<&str>) -> PyResult<Array> {
        let (a, d) = (self.arr(a)?, dt.map(dtype).transpose()?);
        with(py, &self.inner, |s| s.trace(a, offset, axis1, axis2, d)).map(|a| self.wrap(a))
    }

    fn meshgrid(&self, py: Python<'_>, xs: Vec<Bound<'_, Array>>, indexing: &str, sparse: bool, copy: bool) -> PyResult<Vec<Array>> {
        let xs = self.arrs(&xs)?;
        with(py, &self.inner, |s| s.meshgrid(&xs, indexing, sparse, copy)).map(|v| self.wrap_all(v))
    }

    fn outer(&self, py: Python<'_>, a: &Bound<'_, Array>, b: &Bound<'_, Array>) -> PyResult<Array> {
        let (a, b) = (self.arr(a)?, self.arr(b)?);
        with(py, &self.inner, |s| s.outer(a, b)).map(|a| self.wrap(a))
    }

    fn fill_diagonal(&self, py: Python<'_>, a: &Bound<'_, Array>, val: &Bound<'_, PyAny>, wrap: bool) -> PyResult<()> {
        let (a, v) = (self.arr(a)?, operand(val)?);
        with(py, &self.inner, |s| s.fill_diagonal(a, &v, wrap))
    }

    #[pyo3(signature = (a, lo, hi))]
    fn clip(&self, py: Python<'_>, a: &Bound<'_, Array>, lo: Option<Bound<'_, PyAny>>, hi: Option<Bound<'_, PyAny>>) -> PyResult<Array> {
        let (a, lo, hi) = (self.arr(a)?, lo.as_ref().map(operand).transpose()?, hi.as_ref().map(operand).transpose()?);
        with(py, &self.inner, |s| s.clip(a, lo.as_ref(), hi.as_ref())).map(|a| self.wrap(a))
    }

    /// isnan, isinf, isfinite.
    fn classify(&self, py: Python<'_>, what: &str, a: &Bound<'_, Array>) -> PyResult<Array> {
        let a = self.arr(a)?;
        with(py, &self.inner, |s| match what {
            "isnan" => s.isnan(a),
            "isinf" => s.isinf(a),
            _ => s.isfinite(a),
        })
        .map(|a| self.wrap(a))
    }

    /// nansum, nanprod, nanmean, nanmax, nanmin.
    #[pyo3(signature = (op, a, axis, int_axis, dt, keepdims))]
    fn nanreduce(&self, py: Python<'_>, op: &str, a: &Bound<'_, Array>, axis: Option<Vec<i64>>, int_axis: bool, dt: Option<&str>, keepdims: bool) -> PyResult<Array> {
        let (a, d) = (self.arr(a)?, dt.map(dtype).transpose()?);
        let op = NanOp::parse(op).ok_or_else(|| PyTypeError::new_err(format!("unknown reduction {op}")))?;
        with(py, &self.inner, |s| s.nan_reduce(op, a, axis.as_deref(), int_axis, d, keepdims)).map(|a| self.wrap(a))
    }

    /// Computes the arrays (shared work once) and returns their bytes. An array flagged in
    /// `consume` is a temporary nothing else can reach (the caller checked Python's reference
    /// counts): its handle is released with the fetch, so its buffer can become NumPy's without a
    /// copy when nothing else in the graph holds it.
    #[pyo3(signature = (arrays, consume=None))]
    fn fetch<'py>(&self, py: Python<'py>, arrays: Vec<Bound<'py, Array>>, consume: Option<Vec<bool>>) -> PyResult<Vec<Bound<'py, HostBuffer>>> {
        let arrs: Vec<Arr> = arrays.iter().map(|a| self.arr(a).cloned()).collect::<PyResult<_>>()?;
        let consume = consume.unwrap_or_else(|| vec![false; arrs.len()]);
        if consume.len() != arrs.len() {
            return Err(pyo3::exceptions::PyValueError::new_err("consume needs one flag per array"));
        }
        // A consumed handle is released by the fetch, whatever its outcome; its Drop must not
        // release it again.
        for (a, &c) in arrays.iter().zip(&consume) {
            if c {
                a.get().consumed.store(true, std::sync::atomic::Ordering::Relaxed);
            }
        }
        let inner = self.inner.clone();
        let bytes = py.detach(move || {
            let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| inner.lock().unwrap_or_else(|e| e.into_inner()).fetch_many(&arrs, &consume)));
            r.unwrap_or_else(|_| Err(ir::Error::Internal("panic while computing".into())))
        });
        let bytes = bytes.map_err(|e| errors::to_py(py, e))?;
        bytes.into_iter().map(|data| Bound::new(py, HostBuffer { data, recycle: self.returned.clone() })).collect()
    }

    /// Computes the arrays' bases where they live, without gathering them.
    fn persist(&self, py: Python<'_>, arrays: Vec<Bound<'_, Array>>) -> PyResult<()> {
        let arrs: Vec<Arr> = arrays.iter().map(|a| self.arr(a).cloned()).collect::<PyResult<_>>()?;
        with(py, &self.inner, |s| s.persist(&arrs))
    }

    fn explain(&self, py: Python<'_>, a: &Bound<'_, Array>) -> PyResult<String> {
        let a = self.arr(a)?;
        with(py, &self.inner, |s| s.explain(a))
    }

    fn dot(&self, py: Python<'_>, a: &Bound<'_, Array>) -> PyResult<String> {
        let a = self.arr(a)?;
        with(py, &self.inner, |s| Ok(s.dot(a)))
    }

    fn entropy_seed(&self, py: Python<'_>) -> PyResult<u64> {
        with(py, &self.inner, |s| s.entropy_seed())
    }

    fn stats(&self, py: Python<'_>) -> PyResult<(u64, u64, u64, usize, usize)> {
        with(py, &self.inner, |s| {
            s.collect();
            Ok((s.stats.plans, s.stats.kernels, s.stats.bytes_moved, s.graph.pending(), s.live_buffers()))
        })
    }
}

/// Whether this process was started by mpirun (a rank of an SPMD job).
#[pyfunction]
fn launched_by_mpirun() -> bool {
    #[cfg(feature = "mpi")]
    return runtime::mpi_comm::launched_by_mpirun();
    #[cfg(not(feature = "mpi"))]
    false
}

/// Finalizes MPI (from an atexit hook; mpirun reports failure for jobs that do not).
#[pyfunction]
fn mpi_finalize() {
    #[cfg(feature = "mpi")]
    runtime::mpi_comm::finalize();
}

/// Ends the whole MPI job (an uncaught exception on one rank must not leave the others waiting).
#[pyfunction]
fn mpi_abort(code: i32) {
    #[cfg(feature = "mpi")]
    runtime::mpi_comm::abort_world(code);
    #[cfg(not(feature = "mpi"))]
    std::process::exit(code);
}

/// Threads per rank (0: the host's cores divided by the ranks on it).
#[pyfunction]
fn set_threads(n: usize) {
    runtime::threads::set_threads(n);
}

/// Most bytes a pair of ranks exchanges per round of a redistribution.
#[pyfunction]
fn set_exchange_round_bytes(n: usize) {
    runtime::threads::set_exchange_round_bytes(n);
}

/// `starp.config(memory_limit=...)`: bytes the job's arrays may use (0: no limit).
#[pyfunction]
fn set_memory_limit(bytes: usize) {
    runtime::memory::set_memory_limit(bytes);
}

/// Tests only: step `step` of the next plan fails on rank `rank` with a MemoryError.
#[pyfunction]
fn inject_failure(rank: usize, step: usize) {
    runtime::executor::inject_failure(rank, step);
}

#[pyfunction]
fn profile_start() {
    runtime::profile::start();
}

/// (rows, jit): rows are (label, calls, seconds, bytes moved); jit is (compiles, cache hits,
/// compile seconds, kernels run by the interpreter).
#[pyfunction]
#[allow(clippy::type_complexity)]
fn profile_stop() -> (Vec<(String, u64, f64, u64)>, (u64, u64, f64, u64)) {
    let (rows, jit) = runtime::profile::stop();
    let rows = rows.into_iter().map(|(l, r)| (l, r.calls, r.seconds, r.bytes)).collect();
    (rows, (jit.compiles, jit.cache_hits, jit.compile_ns as f64 * 1e-9, jit.interpreted_calls))
}

#[pymodule]
fn _core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(profile_start, m)?)?;
    m.add_function(wrap_pyfunction!(inject_failure, m)?)?;
    m.add_function(wrap_pyfunction!(set_memory_limit, m)?)?;
    m.add_function(wrap_pyfunction!(profile_stop, m)?)?;
    m.add_function(wrap_pyfunction!(set_threads, m)?)?;
    m.add_function(wrap_pyfunction!(set_exchange_round_bytes, m)?)?;
    m.add_function(wrap_pyfunction!(launched_by_mpirun, m)?)?;
    m.add_function(wrap_pyfunction!(mpi_finalize, m)?)?;
    m.add_function(wrap_pyfunction!(mpi_abort, m)?)?;
    m.add_class::<PySession>()?;
    m.add_class::<Array>()?;
    m.add_class::<Rng>()?;
    m.add_class::<HostBuffer>()?;
    linalg_fft::register(m)?;
    data_dependent::register(m)?;
    Ok(())
}
