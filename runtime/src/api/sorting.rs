//! Sorting and order statistics: `sort`/`argsort`, `searchsorted`, `cumsum`/`cumprod`,
//! `quantile`/`percentile`/`median` as lazy host nodes of known shape, and `unique`, whose
//! shape depends on the data, as a sync point computed at the call.

use super::{common_dtype, Operand};
use crate::session::{Arr, Session};
use ir::shape::normalize_axis;
use ir::{DType, HostOp, Result};

impl Session {
    /// `np.sort` (`arg`: `np.argsort`) along `axis`; None sorts the flattened array. Planned as
    /// a distributed step (`optimizer::plan::HostMode`): a sample sort in 1-d, each rank's own
    /// rows along an axis other than 0, a replicated sort of an n-d array along axis 0.
    pub fn sort(&mut self, a: &Arr, axis: Option<i64>, arg: bool) -> Result<Arr> {
        let Some(axis) = axis else {
            let flat = self.reshape(a, &[-1])?;
            let r = self.sort(&flat, Some(0), arg);
            self.drop_bases([flat.base]);
            return r;
        };
        let axis = normalize_axis(axis, a.shape().len())?;
        let x = self.read(a);
        let dtype = if arg { DType::I64 } else { a.dtype };
        let h = self.host_node(HostOp::Sort { axis, output: usize::from(arg) }, vec![x], a.shape().to_vec(), dtype);
        self.new_array(h)
    }

    /// `np.searchsorted(a, v, side)` of a sorted 1-d `a` (the caller applies `sorter`).
    pub fn searchsorted(&mut self, a: &Arr, v: &Operand, right: bool) -> Result<Arr> {
        let nd = a.shape().len();
        ir::ensure!(nd <= 1, Value, "object too deep for desired array");
        ir::ensure!(nd == 1, Value, "object of too small depth for desired array");
        let t = common_dtype(&[&Operand::Array(a.clone()), v]);
        let x = self.read_as(a, t);
        let y = self.operand_node(v, t)?;
        let h = self.host_node(HostOp::SearchSorted { right }, vec![x, y], v.shape(), DType::I64);
        self.new_array(h)
    }

    /// `cumsum`/`cumprod` along `axis` accumulating in `dtype` (the caller picks NumPy's).
    pub fn cumulative(&mut self, a: &Arr, axis: Option<i64>, prod: bool, dtype: DType) -> Result<Arr> {
        let Some(axis) = axis else {
            let flat = self.reshape(a, &[-1])?;
            let r = self.cumulative(&flat, Some(0), prod, dtype);
            self.drop_bases([flat.base]);
            return r;
        };
        let axis = normalize_axis(axis, a.shape().len())?;
        ir::ensure!(dtype != DType::Bool, NotImplemented, "starp's cumsum/cumprod do not support dtype=bool yet");
        let x = self.read_as(a, dtype);
        let h = self.host_node(HostOp::Cumulative { prod, axis }, vec![x], a.shape().to_vec(), dtype);
        self.new_array(h)
    }

    /// `quantile(a, q, axis)` (method 'linear') with the result in `out` (float32 only for a
    /// float32 `a` with a Python-scalar q, as NumPy's weak promotion gives): shape
    /// `(len(q),) + a.shape without axis`. `f32_index`: q is a float32 array (`HostOp::Quantile`).
    pub fn quantile(&mut self, a: &Arr, q: &[f64], axis: i64, out: DType, f32_index: bool) -> Result<Arr> {
        ir::ensure!(!a.dtype.is_complex(), Type, "a must be an array of real numbers");
        ir::ensure!(a.dtype != DType::Bool, Type, "numpy boolean subtract, the `-` operator, is not supported, use the bitwise_xor, the `^` operator, or the logical_xor function instead.");
        let nd = a.shape().len();
        let axis = normalize_axis(axis, nd)?;
        ir::ensure!(a.shape()[axis] > 0 || q.is_empty(), Index, "index -1 is out of bounds for axis 0 with size 0");
        let t = if matches!(a.dtype, DType::F32 | DType::F64) { a.dtype } else { DType::F64 };
        let out = if t == DType::F64 { DType::F64 } else { out };
        let x = self.read_as(a, t);
        let mut shape = vec![q.len()];
        shape.extend(a.shape().iter().enumerate().filter(|(i, _)| *i != axis).map(|(_, &d)| d));
        let h = self.host_node(HostOp::Quantile { axis, q: q.to_vec(), f32_index }, vec![x], shape, out);
        self.new_array(h)
    }

    /// `median(a, axis)`: float32 for float32, float64 otherwise.
    pub fn median(&mut self, a: &Arr, axis: i64) -> Result<Arr> {
        ir::ensure!(!a.dtype.is_complex(), NotImplemented, "starp's median does not support complex arrays yet");
        let nd = a.shape().len();
        let axis = normalize_axis(axis, nd)?;
        let t = if a.dtype == DType::F32 { DType::F32 } else { DType::F64 };
        let x = self.read_as(a, t);
        let shape: Vec<usize> = a.shape().iter().enumerate().filter(|(i, _)| *i != axis).map(|(_, &d)| d).collect();
        let h = self.host_node(HostOp::Median { axis }, vec![x], shape, t);
        self.new_array(h)
    }

    /// `np.unique(a)` of the flattened array (a sync point): [values, first index, inverse
    /// (flat), counts].
    pub fn unique(&mut self, a: &Arr) -> Result<Vec<Arr>> {
        let bytes = self.fetch_arr(a)?;
        let u = crate::host::sort::unique(a.dtype, &bytes);
        let mut out: Vec<Arr> = Vec::new();
        let r = (|| {
            out.push(self.from_host(a.dtype, &[u.count], &u.values)?);
            out.push(self.i64_array(&u.index, &[u.count])?);
            out.push(self.i64_array(&u.inverse, &[u.inverse.len()])?);
            out.push(self.i64_array(&u.counts, &[u.count])?);
            Ok(())
        })();
        if let Err(e) = r {
            self.drop_bases(out.iter().map(|x| x.base));
            return Err(e);
        }
        Ok(out)
    }
}
