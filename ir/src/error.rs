//! The one error type of starp. Each variant becomes the NumPy exception of the same name at the
//! Python boundary; messages reuse NumPy's wording and name the shapes involved.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Error {
    /// Bad value for an argument: broadcast mismatch, reshape size, matmul shapes (`ValueError`).
    Value(String),
    /// Unsupported dtype or operand (`TypeError`).
    Type(String),
    /// Index out of range or too many indices (`IndexError`).
    Index(String),
    /// Axis out of range (`numpy.exceptions.AxisError`, a ValueError and an IndexError).
    Axis(String),
    /// A Python int that does not fit the dtype (`OverflowError`).
    Overflow(String),
    /// An allocation failed (`MemoryError`).
    Memory(String),
    /// Singular matrix and friends (`numpy.linalg.LinAlgError`).
    LinAlg(String),
    /// Part of NumPy that starp does not cover yet (`NotImplementedError`).
    NotImplemented(String),
    /// A bug in starp, never the user's fault (`RuntimeError`).
    Internal(String),
}

pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    /// A one-line form that `decode` turns back into the same error (to agree across ranks).
    pub fn encode(&self) -> String {
        let (k, m) = match self {
            Error::Value(m) => ("Value", m),
            Error::Type(m) => ("Type", m),
            Error::Index(m) => ("Index", m),
            Error::Axis(m) => ("Axis", m),
            Error::Overflow(m) => ("Overflow", m),
            Error::Memory(m) => ("Memory", m),
            Error::LinAlg(m) => ("LinAlg", m),
            Error::NotImplemented(m) => ("NotImplemented", m),
            Error::Internal(m) => ("Internal", m),
        };
        format!("{k}:{m}")
    }

    pub fn decode(s: &str) -> Option<Error> {
        let (k, m) = s.split_once(':')?;
        let m = m.to_string();
        Some(match k {
            "Value" => Error::Value(m),
            "Type" => Error::Type(m),
            "Index" => Error::Index(m),
            "Axis" => Error::Axis(m),
            "Overflow" => Error::Overflow(m),
            "Memory" => Error::Memory(m),
            "LinAlg" => Error::LinAlg(m),
            "NotImplemented" => Error::NotImplemented(m),
            "Internal" => Error::Internal(m),
            _ => return None,
        })
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Value(m)
            | Error::Type(m)
            | Error::Index(m)
            | Error::Axis(m)
            | Error::Overflow(m)
            | Error::Memory(m)
            | Error::LinAlg(m)
            | Error::NotImplemented(m) => f.write_str(m),
            Error::Internal(m) => write!(f, "internal error (a starp bug, please report it): {m}"),
        }
    }
}

impl std::error::Error for Error {}

/// Return early with an error: `bail!(Value, "operands could not be broadcast ...")`.
#[macro_export]
macro_rules! bail {
    ($kind:ident, $($arg:tt)*) => {
        return Err($crate::Error::$kind(format!($($arg)*)))
    };
}

/// Check a condition or return the error: `ensure!(a == b, Value, "...")`.
#[macro_export]
macro_rules! ensure {
    ($cond:expr, $kind:ident, $($arg:tt)*) => {
        if !$cond {
            $crate::bail!($kind, $($arg)*);
        }
    };
}

/// Formats a shape as NumPy does: `(3,)`, `(2, 4)`, `()`.
pub fn fmt_shape(shape: &[usize]) -> String {
    match shape.len() {
        0 => "()".into(),
        1 => format!("({},)", shape[0]),
        _ => format!(
            "({})",
            shape.iter().map(|d| d.to_string()).collect::<Vec<_>>().join(", ")
        ),
    }
}
