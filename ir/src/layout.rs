//! Layouts: which box of an array each rank holds.
//!
//! A box is a half-open index range per dimension. A rank's local buffer of a value is its box in
//! row-major order. `Block` splits axis 0 evenly (the first `n % P` ranks hold one more row), so
//! every block is also a contiguous range of the array's flat index.

use crate::shape::{block_range, numel, row_major_strides};
use serde::{Deserialize, Serialize};

/// Half-open ranges, one per dimension.
pub type IBox = Vec<(usize, usize)>;

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Layout {
    pub boxes: Vec<IBox>,
}

impl Layout {
    pub fn ranks(&self) -> usize {
        self.boxes.len()
    }

    /// Axis 0 split evenly over `ranks`; 0-d arrays are replicated.
    pub fn block0(shape: &[usize], ranks: usize) -> Layout {
        Layout::blocks_along(shape, ranks, 0)
    }

    /// `axis` split evenly over `ranks` as `block0` splits axis 0 (for ops that work along
    /// another axis); 0-d arrays are replicated.
    pub fn blocks_along(shape: &[usize], ranks: usize, axis: usize) -> Layout {
        if shape.is_empty() {
            return Layout::replicated(shape, ranks);
        }
        let boxes = (0..ranks)
            .map(|r| {
                let (lo, hi) = block_range(shape[axis], ranks, r);
                let mut b = full_box(shape);
                b[axis] = (lo, hi);
                b
            })
            .collect();
        Layout { boxes }
    }

    pub fn replicated(shape: &[usize], ranks: usize) -> Layout {
        Layout { boxes: vec![full_box(shape); ranks] }
    }

    /// The whole array on `root`, nothing elsewhere (a gather target).
    pub fn on_rank(shape: &[usize], ranks: usize, root: usize) -> Layout {
        let boxes = (0..ranks).map(|r| if r == root { full_box(shape) } else { empty_box(shape.len()) }).collect();
        Layout { boxes }
    }

    pub fn is_replicated(&self, shape: &[usize]) -> bool {
        self.boxes.iter().all(|b| *b == full_box(shape))
    }

    /// Short text for dumps: `block0[0:3|3:5]`, `replicated`.
    pub fn describe(&self, shape: &[usize]) -> String {
        if self.is_replicated(shape) {
            return "replicated".into();
        }
        let parts: Vec<String> = self
            .boxes
            .iter()
            .map(|b| b.iter().map(|(lo, hi)| format!("{lo}:{hi}")).collect::<Vec<_>>().join(","))
            .collect();
        format!("boxes[{}]", parts.join(" | "))
    }
}

pub fn full_box(shape: &[usize]) -> IBox {
    shape.iter().map(|&d| (0, d)).collect()
}

pub fn empty_box(ndim: usize) -> IBox {
    vec![(0, 0); ndim]
}

pub fn box_shape(b: &IBox) -> Vec<usize> {
    b.iter().map(|(lo, hi)| hi.saturating_sub(*lo)).collect()
}

pub fn box_numel(b: &IBox) -> usize {
    numel(&box_shape(b))
}

pub fn intersect(a: &IBox, b: &IBox) -> Option<IBox> {
    let r: IBox = a.iter().zip(b).map(|(x, y)| (x.0.max(y.0), x.1.min(y.1))).collect();
    if r.iter().all(|(lo, hi)| lo < hi) { Some(r) } else { None }
}

pub fn contains(outer: &IBox, inner: &IBox) -> bool {
    box_numel(inner) == 0 || outer.iter().zip(inner).all(|(o, i)| o.0 <= i.0 && i.1 <= o.1)
}

/// The flat range a box covers when it is full in every dimension but the first (as blocks are).
pub fn flat_range(b: &IBox, shape: &[usize]) -> Option<(usize, usize)> {
    if b.is_empty() {
        return Some((0, 1));
    }
    if box_numel(b) == 0 {
        return Some((0, 0));
    }
    if b[1..].iter().zip(&shape[1..]).any(|(r, &d)| *r != (0, d)) {
        return None;
    }
    let inner = numel(&shape[1..]);
    Some((b[0].0 * inner, b[0].1 * inner))
}

/// Offsets of a box's elements inside a local buffer that holds `outer` in row-major order.
pub fn local_strides(outer: &IBox) -> Vec<i64> {
    row_major_strides(&box_shape(outer))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_and_flat_ranges() {
        let l = Layout::block0(&[5, 3], 2);
        assert_eq!(l.boxes[0], vec![(0, 3), (0, 3)]);
        assert_eq!(flat_range(&l.boxes[1], &[5, 3]), Some((9, 15)));
        assert_eq!(intersect(&vec![(0, 3)], &vec![(3, 5)]), None);
        let more_ranks = Layout::block0(&[2, 3], 4);
        assert_eq!(box_numel(&more_ranks.boxes[3]), 0);
    }
}
