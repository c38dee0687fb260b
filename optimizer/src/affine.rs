//! Affine index maps from a kernel's domain to the coordinates of a value it reads, and the
//! decomposition of NumPy views into such maps.
//!
//! A value is addressed either in its own N-d coordinates or, when a view cannot be written per
//! axis (a reshape that merges axes), in the flat row-major coordinate of the whole value. Blocks
//! are contiguous flat ranges, so both are boxes and one redistribution planner serves both.

use ir::layout::IBox;
use ir::shape::{numel, row_major_strides};
use ir::view::ViewSpec;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AffineMap {
    /// `coord[k] = offset[k] + Σ_d coef[k][d] * x[d]`.
    pub offset: Vec<i64>,
    pub coef: Vec<Vec<i64>>,
    /// Coordinates are the flat row-major index of the value (one coordinate).
    pub flat: bool,
    /// Number of domain axes (a 0-d value read in an n-d domain has no rows to tell).
    pub ndim: usize,
}

impl AffineMap {
    /// Reads a value of `shape` at the domain position given by `dims` (value axis k follows
    /// domain axis `dims[k]`, or is 0 when broadcast).
    pub fn broadcast(dims: &[Option<usize>], domain_ndim: usize) -> AffineMap {
        let coef = dims
            .iter()
            .map(|d| {
                let mut row = vec![0; domain_ndim];
                if let Some(d) = d {
                    row[*d] = 1;
                }
                row
            })
            .collect();
        AffineMap { offset: vec![0; dims.len()], coef, flat: false, ndim: domain_ndim }
    }

    /// `self` composed after a map from the domain to this map's input (`inner`): x -> self(inner(x)).
    pub fn compose(&self, inner: &AffineMap) -> AffineMap {
        let nd = inner.ndim;
        let mut offset = self.offset.clone();
        let mut coef = vec![vec![0i64; nd]; self.coef.len()];
        for k in 0..self.coef.len() {
            for (j, &c) in self.coef[k].iter().enumerate() {
                if c == 0 {
                    continue;
                }
                offset[k] += c * inner.offset[j];
                for d in 0..nd {
                    coef[k][d] += c * inner.coef[j][d];
                }
            }
        }
        AffineMap { offset, coef, flat: self.flat, ndim: nd }
    }

    /// The bounding box of the image of a domain box (empty when the box is empty).
    pub fn image(&self, b: &IBox) -> IBox {
        if b.iter().any(|(lo, hi)| lo >= hi) {
            return vec![(0, 0); self.offset.len()];
        }
        self.offset
            .iter()
            .zip(&self.coef)
            .map(|(&o, row)| {
                let (mut lo, mut hi) = (o, o);
                for (d, &c) in row.iter().enumerate() {
                    let (a, z) = (c * b[d].0 as i64, c * (b[d].1 as i64 - 1));
                    lo += a.min(z);
                    hi += a.max(z);
                }
                (lo.max(0) as usize, (hi + 1).max(0) as usize)
            })
            .collect()
    }

    /// Per-domain-axis strides and the offset of the first element, for a local buffer that
    /// holds box `local` (in this map's coordinates) in row-major order.
    pub fn operand(&self, local: &IBox) -> (isize, Vec<isize>) {
        let lshape: Vec<usize> = local.iter().map(|(lo, hi)| hi - lo).collect();
        let ls = row_major_strides(&lshape);
        let nd = self.ndim;
        let mut offset = 0i64;
        let mut strides = vec![0i64; nd];
        for k in 0..self.offset.len() {
            offset += ls[k] * (self.offset[k] - local[k].0 as i64);
            for d in 0..nd {
                strides[d] += ls[k] * self.coef[k][d];
            }
        }
        (offset as isize, strides.into_iter().map(|s| s as isize).collect())
    }
}

/// The map from a view's coordinates to its base's coordinates: per axis when every view axis
/// stays inside one base axis, else flat.
pub fn view_map(view: &ViewSpec, base_shape: &[usize]) -> AffineMap {
    let nd = view.shape.len();
    if let Some(m) = axis_map(view, base_shape) {
        return m;
    }
    let mut coef = vec![vec![0i64; nd]];
    for d in 0..nd {
        coef[0][d] = if view.shape[d] > 1 { view.strides[d] } else { 0 };
    }
    AffineMap { offset: vec![view.offset], coef, flat: true, ndim: nd }
}

fn axis_map(view: &ViewSpec, base_shape: &[usize]) -> Option<AffineMap> {
    let n = base_shape.len();
    let nd = view.shape.len();
    if numel(base_shape) == 0 || numel(&view.shape) == 0 {
        return None;
    }
    let bs = row_major_strides(base_shape);
    // The offset as base coordinates.
    let mut rest = view.offset;
    let mut start = vec![0i64; n];
    for k in 0..n {
        start[k] = rest / bs[k];
        rest %= bs[k];
    }
    let mut coef = vec![vec![0i64; nd]; n];
    for d in 0..nd {
        let (len, s) = (view.shape[d] as i64, view.strides[d]);
        if len == 1 || s == 0 {
            continue;
        }
        // The outermost base axis whose stride divides s and keeps the whole run in bounds.
        let k = (0..n).find(|&k| {
            s % bs[k] == 0 && {
                let m = s / bs[k];
                let end = start[k] + m * (len - 1);
                end >= 0 && end < base_shape[k] as i64 && base_shape[k] > 1
            }
        })?;
        coef[k][d] = s / bs[k];
    }
    // Every base coordinate must stay in range over the whole view (then the flat index has a
    // unique per-axis form equal to this map).
    for k in 0..n {
        let (mut lo, mut hi) = (start[k], start[k]);
        for d in 0..nd {
            let c = coef[k][d] * (view.shape[d] as i64 - 1);
            lo += c.min(0);
            hi += c.max(0);
        }
        if lo < 0 || hi >= base_shape[k] as i64 {
            return None;
        }
    }
    Some(AffineMap { offset: start, coef, flat: false, ndim: nd })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ir::view::IndexItem::*;

    #[test]
    fn transposes_and_slices_map_per_axis() {
        let v = ViewSpec::identity(&[4, 5]).transpose(None).unwrap();
        let m = view_map(&v, &[4, 5]);
        assert!(!m.flat);
        assert_eq!(m.coef, vec![vec![0, 1], vec![1, 0]]);
        let s = ViewSpec::identity(&[4, 5]).index(&[Slice(Some(1), None, None), Slice(None, None, Some(-2))]).unwrap();
        let m = view_map(&s, &[4, 5]);
        assert_eq!(m.offset, vec![1, 4]);
        assert_eq!(m.image(&vec![(0, 3), (0, 3)]), vec![(1, 4), (0, 5)]);
    }

    #[test]
    fn merging_reshape_goes_flat() {
        let v = ViewSpec::identity(&[3, 4]).reshape(&[12]).unwrap();
        let m = view_map(&v, &[3, 4]);
        assert!(m.flat);
        assert_eq!(m.image(&vec![(2, 7)]), vec![(2, 7)]);
        let split = ViewSpec::identity(&[12]).reshape(&[3, 4]).unwrap();
        let m = view_map(&split, &[12]);
        assert!(!m.flat, "splitting one axis is still per axis");
        assert_eq!(m.coef, vec![vec![4, 1]]);
    }

    #[test]
    fn operand_strides_in_local_buffers() {
        let m = AffineMap { offset: vec![1, 0], coef: vec![vec![0, 1], vec![1, 0]], flat: false, ndim: 2 };
        // local box rows 1..3 of a (4, 5) value
        let (off, st) = m.operand(&vec![(1, 3), (0, 5)]);
        assert_eq!((off, st), (0, vec![1, 5]));
    }
}

/// The bounding box, in view coordinates, of the view elements that land in `owned` (a box of
/// the base). Exact per axis when each view axis has a base axis of its own; otherwise the whole
/// view (the writer then filters element by element).
pub fn preimage(map: &AffineMap, view: &ViewSpec, owned: &IBox, base_shape: &[usize]) -> IBox {
    let nd = view.shape.len();
    let full: IBox = view.shape.iter().map(|&d| (0, d)).collect();
    if owned.iter().any(|(lo, hi)| lo >= hi) || numel(&view.shape) == 0 {
        return vec![(0, 0); nd];
    }
    if map.flat {
        let _ = base_shape;
        return full;
    }
    let mut out = full;
    for (k, row) in map.coef.iter().enumerate() {
        let users: Vec<usize> = (0..nd).filter(|&d| row[d] != 0).collect();
        let (lo, hi) = (owned[k].0 as i64, owned[k].1 as i64);
        match users.as_slice() {
            [] => {
                if map.offset[k] < lo || map.offset[k] >= hi {
                    return vec![(0, 0); nd];
                }
            }
            [d] => {
                let (o, m, len) = (map.offset[k], row[*d], view.shape[*d] as i64);
                // i with lo <= o + m*i < hi
                let (a, b) = if m > 0 {
                    (div_ceil(lo - o, m), div_ceil(hi - o, m))
                } else {
                    (div_floor(o - hi, -m) + 1, div_floor(o - lo, -m) + 1)
                };
                let (a, b) = (a.max(0), b.min(len));
                if a >= b {
                    return vec![(0, 0); nd];
                }
                out[*d] = (a as usize, b as usize);
            }
            _ => {}
        }
    }
    out
}

fn div_floor(a: i64, b: i64) -> i64 {
    a.div_euclid(b)
}

fn div_ceil(a: i64, b: i64) -> i64 {
    -((-a).div_euclid(b))
}
