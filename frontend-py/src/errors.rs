//! The one mapping from starp errors to Python exceptions (NumPy's types).

use ir::Error;
use pyo3::exceptions::{PyIndexError, PyMemoryError, PyNotImplementedError, PyOverflowError, PyRuntimeError, PyTypeError, PyValueError};
use pyo3::prelude::*;

pub fn to_py(py: Python<'_>, e: Error) -> PyErr {
    let numpy_exc = |module: &str, name: &str, msg: String| -> PyErr {
        match py.import(module).and_then(|m| m.getattr(name)) {
            Ok(t) => match t.call1((msg.clone(),)) {
                Ok(inst) => PyErr::from_value(inst),
                Err(e) => e,
            },
            Err(_) => PyValueError::new_err(msg),
        }
    };
    match e {
        Error::Value(m) => PyValueError::new_err(m),
        Error::Type(m) => PyTypeError::new_err(m),
        Error::Index(m) => PyIndexError::new_err(m),
        Error::Axis(m) => numpy_exc("numpy.exceptions", "AxisError", m),
        Error::Overflow(m) => PyOverflowError::new_err(m),
        Error::Memory(m) => PyMemoryError::new_err(m),
        Error::LinAlg(m) => numpy_exc("numpy.linalg", "LinAlgError", m),
        Error::NotImplemented(m) => PyNotImplementedError::new_err(m),
        e @ Error::Internal(_) => PyRuntimeError::new_err(e.to_string()),
    }
}
