//! zeros/ones/full/empty, arange, linspace, eye: generator nodes, computed where they are used.

use super::PyScalar;
use crate::session::{Arr, Session};
use ir::{DType, Node, Op, Result, Scalar};

impl Session {
    pub fn full(&mut self, shape: &[usize], value: PyScalar, dtype: DType) -> Result<Arr> {
        let v = match (value, dtype.is_integer()) {
            (PyScalar::Float(f), true) if !f.is_finite() => ir::bail!(Value, "cannot convert float {} to integer", if f.is_nan() { "NaN".into() } else { f.to_string() }),
            // `full` casts like `astype`, so a Python int out of range wraps only through a float.
            _ => value.to_dtype(dtype)?,
        };
        let n = self.fill_node(shape, v, dtype);
        self.new_array(n)
    }

    /// `arange(start, stop, step)`; the Python layer picks the dtype as NumPy does.
    pub fn arange(&mut self, start: PyScalar, stop: PyScalar, step: PyScalar, dtype: DType) -> Result<Arr> {
        let len = match (start, stop, step) {
            (PyScalar::Int(a), PyScalar::Int(b), PyScalar::Int(s)) => {
                ir::ensure!(s != 0, Value, "Maximum allowed size exceeded");
                let n = (b - a + s - s.signum()) / s;
                n.max(0) as usize
            }
            _ => {
                let f = |p: PyScalar| match p {
                    PyScalar::Bool(b) => b as u8 as f64,
                    PyScalar::Int(i) => i as f64,
                    PyScalar::Float(x) => x,
                    PyScalar::Complex(re, _) => re,
                };
                let (a, b, s) = (f(start), f(stop), f(step));
                ir::ensure!(s != 0.0 && s.is_finite(), Value, "Maximum allowed size exceeded");
                let n = ((b - a) / s).ceil();
                ir::ensure!(n.is_finite(), Value, "arange: cannot compute length");
                n.max(0.0) as usize
            }
        };
        let to = |p: PyScalar| -> Scalar {
            match p {
                PyScalar::Bool(b) => Scalar::Int(b as i64),
                PyScalar::Int(i) => Scalar::Int(i as i64),
                PyScalar::Float(x) => Scalar::Float(x),
                PyScalar::Complex(re, im) => Scalar::Complex(re, im),
            }
        };
        let n = self.graph.add(Node { op: Op::Arange { start: to(start), step: to(step) }, inputs: vec![], shape: vec![len], dtype });
        self.new_array(n)
    }

    pub fn linspace(&mut self, start: f64, stop: f64, num: i64, endpoint: bool, dtype: DType) -> Result<Arr> {
        ir::ensure!(num >= 0, Value, "Number of samples, {num}, must be non-negative.");
        let n = self.graph.add(Node {
            op: Op::Linspace { start, stop, num: num as usize, endpoint },
            inputs: vec![],
            shape: vec![num as usize],
            dtype,
        });
        self.new_array(n)
    }

    pub fn eye(&mut self, n: usize, m: usize, k: i64, dtype: DType) -> Result<Arr> {
        let node = self.graph.add(Node { op: Op::Eye { k }, inputs: vec![], shape: vec![n, m], dtype });
        self.new_array(node)
    }
}
