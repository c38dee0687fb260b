//! Views as NumPy has them: an offset and strides (in elements) over a base's row-major buffer.
//!
//! Basic indexing, transposes and the reshapes NumPy answers with a view all produce a
//! `ViewSpec` of the same base, so a write through one handle is seen through every other.

use crate::error::{fmt_shape, Result};
use crate::shape::{numel, row_major_strides};
use crate::{bail, ensure};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ViewSpec {
    pub offset: i64,
    pub shape: Vec<usize>,
    pub strides: Vec<i64>,
    /// NumPy's read-only views (`broadcast_to`, `diagonal`): a write through one raises
    /// "assignment destination is read-only". Views taken of such a view stay read-only.
    #[serde(default)]
    pub readonly: bool,
}

/// One item of a basic index, after the Python layer has parsed `a[...]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IndexItem {
    Int(i64),
    Slice(Option<i64>, Option<i64>, Option<i64>),
    NewAxis,
    Ellipsis,
}

impl ViewSpec {
    pub fn identity(shape: &[usize]) -> ViewSpec {
        ViewSpec { offset: 0, shape: shape.to_vec(), strides: row_major_strides(shape), readonly: false }
    }

    pub fn ndim(&self) -> usize {
        self.shape.len()
    }

    /// Whether this view is the whole base in its own order.
    pub fn is_identity_of(&self, base_shape: &[usize]) -> bool {
        self.shape == base_shape && (self.offset == 0 && self.is_c_contiguous() || numel(base_shape) == 0)
    }

    pub fn is_c_contiguous(&self) -> bool {
        if numel(&self.shape) == 0 {
            return true;
        }
        let want = row_major_strides(&self.shape);
        self.shape.iter().zip(self.strides.iter().zip(&want)).all(|(&d, (s, w))| d == 1 || s == w)
    }

    /// `a[items]` for basic indices (ints, slices, None, Ellipsis).
    pub fn index(&self, items: &[IndexItem]) -> Result<ViewSpec> {
        let consumed = items.iter().filter(|i| matches!(i, IndexItem::Int(_) | IndexItem::Slice(..))).count();
        let ellipses = items.iter().filter(|i| matches!(i, IndexItem::Ellipsis)).count();
        ensure!(ellipses <= 1, Index, "an index can only have a single ellipsis ('...')");
        ensure!(
            consumed <= self.ndim(),
            Index,
            "too many indices for array: array is {}-dimensional, but {} were indexed",
            self.ndim(),
            consumed
        );
        let mut out = ViewSpec { offset: self.offset, shape: vec![], strides: vec![], readonly: self.readonly };
        let mut dim = 0usize;
        for item in items {
            match item {
                IndexItem::Ellipsis => {
                    let rest = self.ndim() - consumed;
                    for _ in 0..rest {
                        out.shape.push(self.shape[dim]);
                        out.strides.push(self.strides[dim]);
                        dim += 1;
                    }
                }
                IndexItem::NewAxis => {
                    out.shape.push(1);
                    out.strides.push(0);
                }
                IndexItem::Int(i) => {
                    let n = self.shape[dim] as i64;
                    let j = if *i < 0 { i + n } else { *i };
                    ensure!(
                        (0..n).contains(&j),
                        Index,
                        "index {i} is out of bounds for axis {dim} with size {n}"
                    );
                    out.offset += j * self.strides[dim];
                    dim += 1;
                }
                IndexItem::Slice(start, stop, step) => {
                    let n = self.shape[dim] as i64;
                    let (start, len, step) = slice_indices(*start, *stop, *step, n)?;
                    out.offset += if len > 0 { start * self.strides[dim] } else { 0 };
                    out.shape.push(len as usize);
                    out.strides.push(step * self.strides[dim]);
                    dim += 1;
                }
            }
        }
        while dim < self.ndim() {
            out.shape.push(self.shape[dim]);
            out.strides.push(self.strides[dim]);
            dim += 1;
        }
        Ok(out)
    }

    /// `a.transpose(axes)`; `None` reverses the axes.
    pub fn transpose(&self, axes: Option<&[i64]>) -> Result<ViewSpec> {
        let n = self.ndim();
        let perm: Vec<usize> = match axes {
            None => (0..n).rev().collect(),
            Some(ax) => {
                ensure!(ax.len() == n, Value, "axes don't match array");
                let mut p = Vec::with_capacity(n);
                for &a in ax {
                    let a = crate::shape::normalize_axis(a, n)?;
                    ensure!(!p.contains(&a), Value, "repeated axis in transpose");
                    p.push(a);
                }
                p
            }
        };
        Ok(ViewSpec {
            offset: self.offset,
            shape: perm.iter().map(|&p| self.shape[p]).collect(),
            strides: perm.iter().map(|&p| self.strides[p]).collect(),
            readonly: self.readonly,
        })
    }

    /// `a.reshape(newshape)` as a view, or `None` when NumPy would have to copy.
    /// `newshape` must already be resolved (see [`resolve_reshape`]).
    pub fn reshape(&self, new: &[usize]) -> Option<ViewSpec> {
        if numel(&self.shape) == 0 || self.is_c_contiguous() {
            return Some(ViewSpec { offset: self.offset, shape: new.to_vec(), strides: row_major_strides(new), readonly: self.readonly });
        }
        // NumPy's _attempt_nocopy_reshape: match runs of old and new dims with equal products,
        // each old run must be contiguous.
        let (od, os): (Vec<i64>, Vec<i64>) = self
            .shape
            .iter()
            .zip(&self.strides)
            .filter(|(&d, _)| d != 1)
            .map(|(&d, &s)| (d as i64, s))
            .unzip();
        let nd: Vec<i64> = new.iter().map(|&d| d as i64).collect();
        let mut ns = vec![0i64; nd.len()];
        let (mut oi, mut oj, mut ni, mut nj) = (0usize, 1usize, 0usize, 1usize);
        while ni < nd.len() && oi < od.len() {
            let mut np = nd[ni];
            let mut op = od[oi];
            while np != op {
                if np < op {
                    np *= *nd.get(nj)?;
                    nj += 1;
                } else {
                    op *= *od.get(oj)?;
                    oj += 1;
                }
            }
            for ok in oi..oj - 1 {
                if os[ok] != od[ok + 1] * os[ok + 1] {
                    return None;
                }
            }
            ns[nj - 1] = os[oj - 1];
            for nk in (ni + 1..nj).rev() {
                ns[nk - 1] = ns[nk] * nd[nk];
            }
            ni = nj;
            nj += 1;
            oi = oj;
            oj += 1;
        }
        let last = if ni >= 1 { ns[ni - 1] } else { 1 };
        for s in ns.iter_mut().skip(ni) {
            *s = last;
        }
        Some(ViewSpec { offset: self.offset, shape: new.to_vec(), strides: ns, readonly: self.readonly })
    }

    /// The base flat index of view element `idx`.
    pub fn flat_index(&self, idx: &[usize]) -> i64 {
        self.offset + idx.iter().zip(&self.strides).map(|(&i, &s)| i as i64 * s).sum::<i64>()
    }
}

/// Python's `slice.indices` for a dimension of size `n`: (start, length, step).
pub fn slice_indices(start: Option<i64>, stop: Option<i64>, step: Option<i64>, n: i64) -> Result<(i64, i64, i64)> {
    let step = step.unwrap_or(1);
    ensure!(step != 0, Value, "slice step cannot be zero");
    let clamp = |v: i64, lo: i64, hi: i64| v.max(lo).min(hi);
    let (lo, hi) = if step > 0 { (0, n) } else { (-1, n - 1) };
    let norm = |v: Option<i64>, default: i64| match v {
        None => default,
        Some(v) if v < 0 => clamp(v + n, lo, hi),
        Some(v) => clamp(v, lo, hi),
    };
    let (start, stop) = if step > 0 { (norm(start, 0), norm(stop, n)) } else { (norm(start, n - 1), norm(stop, -1)) };
    let len = if step > 0 {
        if stop > start { (stop - start + step - 1) / step } else { 0 }
    } else if start > stop {
        (start - stop + (-step) - 1) / (-step)
    } else {
        0
    };
    Ok((start, len, step))
}

/// Resolves a `reshape` argument with at most one -1 against `size` elements.
pub fn resolve_reshape(from: &[usize], new: &[i64]) -> Result<Vec<usize>> {
    let size = numel(from);
    let unknown: Vec<usize> = new.iter().enumerate().filter(|(_, &d)| d == -1).map(|(i, _)| i).collect();
    ensure!(unknown.len() <= 1, Value, "can only specify one unknown dimension");
    ensure!(new.iter().all(|&d| d >= -1), Value, "negative dimensions not allowed");
    let known: usize = new.iter().filter(|&&d| d != -1).map(|&d| d as usize).product();
    let mut out: Vec<usize> = new.iter().map(|&d| d.max(0) as usize).collect();
    if let Some(&u) = unknown.first() {
        if known == 0 || size % known != 0 {
            bail!(Value, "cannot reshape array of size {size} into shape {}", fmt_new(new));
        }
        out[u] = size / known;
    } else if known != size {
        bail!(Value, "cannot reshape array of size {size} into shape {}", fmt_new(new));
    }
    Ok(out)
}

fn fmt_new(new: &[i64]) -> String {
    let v: Vec<usize> = new.iter().map(|&d| d.max(0) as usize).collect();
    let s = fmt_shape(&v);
    if new.contains(&-1) {
        // NumPy prints the -1 literally.
        let parts: Vec<String> = new.iter().map(|d| d.to_string()).collect();
        if parts.len() == 1 { format!("({},)", parts[0]) } else { format!("({})", parts.join(", ")) }
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use IndexItem::*;

    #[test]
    fn slicing_matches_python() {
        assert_eq!(slice_indices(None, None, Some(-1), 5).unwrap(), (4, 5, -1));
        assert_eq!(slice_indices(Some(1), Some(-1), None, 5).unwrap(), (1, 3, 1));
        assert_eq!(slice_indices(Some(10), None, None, 5).unwrap().1, 0);
        assert_eq!(slice_indices(Some(-2), Some(0), Some(-1), 5).unwrap(), (3, 3, -1));
    }

    #[test]
    fn index_and_transpose() {
        let v = ViewSpec::identity(&[3, 4]);
        let r = v.index(&[Int(1), Slice(None, None, Some(-2))]).unwrap();
        assert_eq!((r.offset, r.shape.clone(), r.strides.clone()), (7, vec![2], vec![-2]));
        let t = v.transpose(None).unwrap();
        assert_eq!(t.strides, vec![1, 4]);
        assert!(v.index(&[Int(3)]).is_err());
        assert!(v.index(&[Int(0), Int(0), Int(0)]).is_err());
        let e = v.index(&[Ellipsis, NewAxis]).unwrap();
        assert_eq!(e.shape, vec![3, 4, 1]);
    }

    #[test]
    fn reshape_views_and_copies() {
        let v = ViewSpec::identity(&[4, 6]);
        let cols = v.index(&[Slice(None, None, None), Slice(None, None, Some(2))]).unwrap(); // (4,3) strides (6,2)
        let r = cols.reshape(&[2, 2, 3]).unwrap();
        assert_eq!(r.strides, vec![12, 6, 2]);
        assert_eq!(cols.reshape(&[12]).unwrap().strides, vec![2], "stride-2 columns of rows of 6 are evenly spaced");
        let left = v.index(&[Slice(None, None, None), Slice(None, Some(3), None)]).unwrap();
        assert!(left.reshape(&[12]).is_none());
        assert!(v.transpose(None).unwrap().reshape(&[24]).is_none());
        assert_eq!(resolve_reshape(&[4, 6], &[-1, 8]).unwrap(), vec![3, 8]);
        assert!(resolve_reshape(&[4, 6], &[5, -1]).is_err());
    }
}
