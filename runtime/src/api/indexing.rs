//! Basic indexing, transposes and reshapes as views; assignment as a new version of the base.

use super::Operand;
use crate::session::{Arr, Session};
use ir::error::fmt_shape;
use ir::shape::broadcasts_to;
use ir::view::{resolve_reshape, IndexItem, ViewSpec};
use ir::{Node, Op, Result};

impl Session {
    /// `a[items]`: a view of the same base.
    pub fn getitem(&mut self, a: &Arr, items: &[IndexItem]) -> Result<Arr> {
        let v = a.view.index(items)?;
        let scalar = items.len() == a.shape().len() && items.iter().all(|i| matches!(i, IndexItem::Int(_)));
        if scalar {
            // NumPy returns a scalar here: a copy, not a view.
            let view = Arr { base: a.base, view: v, dtype: a.dtype };
            return self.copy(&view);
        }
        Ok(self.share(a, v))
    }

    pub fn transpose(&mut self, a: &Arr, axes: Option<&[i64]>) -> Result<Arr> {
        let v = a.view.transpose(axes)?;
        Ok(self.share(a, v))
    }

    /// `a.reshape(shape)`: a view when NumPy gives one, else a copy (a new base).
    pub fn reshape(&mut self, a: &Arr, shape: &[i64]) -> Result<Arr> {
        let new = resolve_reshape(a.shape(), shape)?;
        if let Some(v) = a.view.reshape(&new) {
            return Ok(self.share(a, v));
        }
        let copy = self.copy(a)?;
        let v = copy.view.reshape(&new).expect("a fresh copy is contiguous");
        let out = self.share(&copy, v);
        self.drops.lock().unwrap_or_else(|e| e.into_inner()).push(copy.base);
        Ok(out)
    }

    /// A new base with `a`'s current values (later writes to either do not reach the other).
    pub fn copy(&mut self, a: &Arr) -> Result<Arr> {
        let n = self.read(a);
        self.new_array(n)
    }

    /// `a[items] = value`.
    pub fn setitem(&mut self, a: &Arr, items: &[IndexItem], value: &Operand) -> Result<()> {
        let region = a.view.index(items)?;
        let target = Arr { base: a.base, view: region, dtype: a.dtype };
        self.assign(&target, value)
    }

    /// Writes `value` (broadcast, cast unsafely to the array's dtype as NumPy's assignment does)
    /// into `a`'s view of its base: a new version of the base that every handle sees.
    pub fn assign(&mut self, a: &Arr, value: &Operand) -> Result<()> {
        ir::ensure!(!a.view.readonly, Value, "assignment destination is read-only");
        let vshape = value.shape();
        ir::ensure!(
            broadcasts_to(&vshape, a.shape()),
            Value,
            "could not broadcast input array from shape {} into shape {}",
            fmt_shape(&vshape),
            fmt_shape(a.shape())
        );
        if let Operand::Py(super::PyScalar::Float(f)) = value {
            ir::ensure!(!(f.is_nan() && a.dtype.is_integer()), Value, "cannot convert float NaN to integer");
        }
        let v = self.operand_node(value, a.dtype)?;
        // Drop leading size-1 axes the region does not have.
        let vnode = self.graph.node(v);
        let v = if vnode.shape.len() > a.shape().len() {
            let extra = vnode.shape.len() - a.shape().len();
            let inner = vnode.shape[extra..].to_vec();
            let full = ViewSpec::identity(&vnode.shape);
            let spec = full.reshape(&inner).expect("dropping size-1 axes is a view");
            let dtype = vnode.dtype;
            self.graph.add(Node { op: Op::View(spec), inputs: vec![v], shape: inner, dtype })
        } else {
            v
        };
        let base = self.graph.base(a.base).version;
        let bshape = self.graph.node(base).shape.clone();
        let w = self.graph.add(Node { op: Op::Write(a.view.clone()), inputs: vec![base, v], shape: bshape, dtype: a.dtype });
        self.set_version(a, w)
    }
}
