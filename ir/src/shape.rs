//! Shapes, broadcasting and axis normalization, with NumPy's error messages.

use crate::error::{fmt_shape, Result};
use crate::{bail, ensure};

pub type Shape = Vec<usize>;

pub fn numel(shape: &[usize]) -> usize {
    shape.iter().product()
}

/// Row-major strides, in elements.
pub fn row_major_strides(shape: &[usize]) -> Vec<i64> {
    let mut s = vec![0i64; shape.len()];
    let mut acc = 1i64;
    for d in (0..shape.len()).rev() {
        s[d] = acc;
        acc *= shape[d].max(1) as i64;
    }
    s
}

/// NumPy broadcasting of two shapes.
pub fn broadcast_shapes(a: &[usize], b: &[usize]) -> Result<Shape> {
    let n = a.len().max(b.len());
    let mut out = vec![0; n];
    for i in 0..n {
        let da = if i + a.len() >= n { a[i + a.len() - n] } else { 1 };
        let db = if i + b.len() >= n { b[i + b.len() - n] } else { 1 };
        out[i] = if da == db || db == 1 {
            da
        } else if da == 1 {
            db
        } else {
            bail!(
                Value,
                "operands could not be broadcast together with shapes {} {}",
                fmt_shape(a),
                fmt_shape(b)
            );
        };
    }
    Ok(out)
}

/// Whether `from` broadcasts to exactly `to` (assignment and `broadcast_to`).
pub fn broadcasts_to(from: &[usize], to: &[usize]) -> bool {
    if from.len() > to.len() {
        // Leading size-1 dims may be dropped, as NumPy allows in assignment.
        let extra = from.len() - to.len();
        return from[..extra].iter().all(|&d| d == 1) && broadcasts_to(&from[extra..], to);
    }
    let off = to.len() - from.len();
    from.iter().enumerate().all(|(i, &d)| d == 1 || d == to[off + i])
}

/// Normalizes one axis against `ndim` (negative counts from the end).
pub fn normalize_axis(axis: i64, ndim: usize) -> Result<usize> {
    let n = ndim as i64;
    ensure!(
        axis >= -n && axis < n,
        Axis,
        "axis {axis} is out of bounds for array of dimension {ndim}"
    );
    Ok(if axis < 0 { axis + n } else { axis } as usize)
}

/// Normalizes an `axis=` argument: None means all axes; repeated axes are an error.
pub fn normalize_axes(axes: Option<&[i64]>, ndim: usize) -> Result<Vec<usize>> {
    let Some(axes) = axes else {
        return Ok((0..ndim).collect());
    };
    let mut out = Vec::with_capacity(axes.len());
    for &a in axes {
        let a = normalize_axis(a, ndim)?;
        ensure!(!out.contains(&a), Value, "duplicate value in 'axis'");
        out.push(a);
    }
    out.sort_unstable();
    Ok(out)
}

/// The balanced split of `n` over `parts`: the first `n % parts` parts hold one more.
pub fn block_range(n: usize, parts: usize, i: usize) -> (usize, usize) {
    let base = n / parts;
    let extra = n % parts;
    let lo = i * base + i.min(extra);
    let hi = lo + base + usize::from(i < extra);
    (lo, hi)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broadcasting() {
        assert_eq!(broadcast_shapes(&[3, 1], &[4]).unwrap(), vec![3, 4]);
        assert_eq!(broadcast_shapes(&[], &[2, 0]).unwrap(), vec![2, 0]);
        let e = broadcast_shapes(&[3], &[4]).unwrap_err();
        assert!(e.to_string().contains("(3,) (4,)"));
    }

    #[test]
    fn blocks_cover_and_balance() {
        for n in 0..20 {
            for p in 1..6 {
                let mut next = 0;
                for i in 0..p {
                    let (lo, hi) = block_range(n, p, i);
                    assert_eq!(lo, next);
                    assert!(hi - lo == n / p || hi - lo == n / p + 1);
                    next = hi;
                }
                assert_eq!(next, n);
            }
        }
    }
}

/// For each element of the broadcast shape `out` (row-major), the flat index of the element of
/// `shape` (right-aligned, size-1 axes broadcast) it reads.
pub fn broadcast_source_indices(shape: &[usize], out: &[usize]) -> Vec<usize> {
    let total = numel(out);
    let off = out.len() - shape.len();
    let strides = row_major_strides(shape);
    let mut idx = vec![0usize; out.len()];
    let mut r = Vec::with_capacity(total);
    for _ in 0..total {
        let mut f = 0i64;
        for (j, &len) in shape.iter().enumerate() {
            if len != 1 {
                f += idx[off + j] as i64 * strides[j];
            }
        }
        r.push(f as usize);
        for k in (0..out.len()).rev() {
            idx[k] += 1;
            if idx[k] < out[k] {
                break;
            }
            idx[k] = 0;
        }
    }
    r
}
