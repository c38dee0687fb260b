//! Where a strip's points are and how their elements are read and written: odometers over
//! boxes, per-operand element offsets, and typed loads and stores of every dtype.

use super::values::{Col, Elem, C, STRIP};
use ir::dtype::DType;
use ir::kernel::Operand;
use std::ops::Range;

/// The points of one strip: fixed coordinates for the axes that do not vary within it, and a
/// coordinate column for each axis that does.
pub(crate) struct Points {
    pub(crate) n: usize,
    pub(crate) x: Vec<i64>,
    pub(crate) varying: Vec<bool>,
    pub(crate) xs: Vec<Vec<i64>>,
}

impl Points {
    pub(crate) fn new(ndim: usize, varying: Vec<bool>) -> Points {
        let xs = varying.iter().map(|&v| if v { vec![0; STRIP] } else { Vec::new() }).collect();
        Points { n: 0, x: vec![0; ndim], varying, xs }
    }
}

/// A row-major odometer over a box of some axes.
pub(crate) struct Walk {
    axes: Vec<usize>,
    lo: Vec<usize>,
    hi: Vec<usize>,
    cur: Vec<usize>,
}

impl Walk {
    pub(crate) fn new(axes: Vec<usize>, lo: &[usize], hi: &[usize]) -> Walk {
        let lo: Vec<usize> = axes.iter().map(|&a| lo[a]).collect();
        let hi: Vec<usize> = axes.iter().map(|&a| hi[a]).collect();
        Walk { cur: lo.clone(), axes, lo, hi }
    }

    pub(crate) fn len(&self) -> usize {
        self.lo.iter().zip(&self.hi).map(|(&l, &h)| h.saturating_sub(l)).product()
    }

    /// Moves to the `lin`-th point (row-major) of a non-empty box.
    pub(crate) fn seek(&mut self, mut lin: usize) {
        for k in (0..self.axes.len()).rev() {
            let ext = self.hi[k] - self.lo[k];
            self.cur[k] = self.lo[k] + lin % ext;
            lin /= ext;
        }
    }

    pub(crate) fn write_coords(&self, x: &mut [i64]) {
        for (&a, &c) in self.axes.iter().zip(&self.cur) {
            x[a] = c as i64;
        }
    }

    fn carry(&mut self) {
        let mut k = self.cur.len() - 1;
        while k > 0 && self.cur[k] >= self.hi[k] {
            self.cur[k] = self.lo[k];
            k -= 1;
            self.cur[k] += 1;
        }
    }

    pub(crate) fn step(&mut self) {
        if let Some(c) = self.cur.last_mut() {
            *c += 1;
            self.carry();
        }
    }

    /// Writes the next `n` points into the walked axes' coordinate columns and advances.
    pub(crate) fn fill(&mut self, n: usize, pts: &mut Points) {
        pts.n = n;
        let Some(w) = self.axes.len().checked_sub(1) else { return };
        let mut i = 0;
        while i < n {
            let c = self.cur[w];
            let run = (n - i).min(self.hi[w].saturating_sub(c));
            if run == 0 {
                debug_assert!(false, "walked past the end of the box");
                break;
            }
            for (k, &a) in self.axes[..w].iter().enumerate() {
                pts.xs[a][i..i + run].fill(self.cur[k] as i64);
            }
            for (q, x) in pts.xs[self.axes[w]][i..i + run].iter_mut().enumerate() {
                *x = (c + q) as i64;
            }
            i += run;
            self.cur[w] += run;
            self.carry();
        }
    }
}

/// Element offsets of an operand at the strip's points.
pub(crate) fn offsets(op: &Operand, pts: &Points, offs: &mut Vec<isize>) {
    let mut base = op.offset;
    for (d, &s) in op.strides.iter().enumerate() {
        if !pts.varying[d] {
            base = base.wrapping_add(s.wrapping_mul(pts.x[d] as isize));
        }
    }
    offs.clear();
    offs.resize(pts.n, base);
    for (d, &s) in op.strides.iter().enumerate() {
        if pts.varying[d] && s != 0 {
            for (o, &x) in offs.iter_mut().zip(&pts.xs[d][..pts.n]) {
                *o = o.wrapping_add(s.wrapping_mul(x as isize));
            }
        }
    }
}

/// Reads elements of dtype `d` at element offsets `offs` from `ptr`.
pub(crate) unsafe fn load(ptr: *const u8, d: DType, offs: &[isize], out: &mut Col) {
    macro_rules! go {
        ($e:ty, $raw:ty, $conv:expr) => {{
            let conv = $conv;
            let v = <$e as Elem>::vec(out);
            v.clear();
            v.extend(offs.iter().map(|&o| {
                let p = ptr.wrapping_offset(o.wrapping_mul(size_of::<$raw>() as isize)).cast::<$raw>();
                // SAFETY: the caller guarantees the element is valid; NumPy data need not be
                // aligned.
                conv(unsafe { p.read_unaligned() })
            }));
        }};
    }
    match d {
        // Any nonzero byte is true, so a stray bool byte cannot be UB.
        DType::Bool => go!(bool, u8, |x: u8| x != 0),
        DType::I8 => go!(i64, i8, |x: i8| x as i64),
        DType::I16 => go!(i64, i16, |x: i16| x as i64),
        DType::I32 => go!(i64, i32, |x: i32| x as i64),
        DType::I64 => go!(i64, i64, |x: i64| x),
        DType::U8 => go!(u64, u8, |x: u8| x as u64),
        DType::U16 => go!(u64, u16, |x: u16| x as u64),
        DType::U32 => go!(u64, u32, |x: u32| x as u64),
        DType::U64 => go!(u64, u64, |x: u64| x),
        DType::F32 => go!(f64, f32, |x: f32| x as f64),
        DType::F64 => go!(f64, f64, |x: f64| x),
        DType::C64 => go!(C, [f32; 2], |x: [f32; 2]| C::new(x[0] as f64, x[1] as f64)),
        DType::C128 => go!(C, [f64; 2], |x: [f64; 2]| C::new(x[0], x[1])),
    }
}

/// Writes `col[range]` (already normalized to `d`) as dtype `d` at element offsets `offs` from
/// `ptr`.
pub(crate) unsafe fn store(col: &Col, range: Range<usize>, d: DType, ptr: *mut u8, offs: impl Iterator<Item = isize>) {
    macro_rules! go {
        ($e:ty, $raw:ty, $conv:expr) => {{
            let conv = $conv;
            for (&x, o) in <$e as Elem>::slice(col)[range].iter().zip(offs) {
                let p = ptr.wrapping_offset(o.wrapping_mul(size_of::<$raw>() as isize)).cast::<$raw>();
                // SAFETY: the caller guarantees the element is valid.
                unsafe { p.write_unaligned(conv(x)) }
            }
        }};
    }
    match d {
        DType::Bool => go!(bool, u8, |x: bool| x as u8),
        DType::I8 => go!(i64, i8, |x: i64| x as i8),
        DType::I16 => go!(i64, i16, |x: i64| x as i16),
        DType::I32 => go!(i64, i32, |x: i64| x as i32),
        DType::I64 => go!(i64, i64, |x: i64| x),
        DType::U8 => go!(u64, u8, |x: u64| x as u8),
        DType::U16 => go!(u64, u16, |x: u64| x as u16),
        DType::U32 => go!(u64, u32, |x: u64| x as u32),
        DType::U64 => go!(u64, u64, |x: u64| x),
        DType::F32 => go!(f64, f32, |x: f64| x as f32),
        DType::F64 => go!(f64, f64, |x: f64| x),
        DType::C64 => go!(C, [f32; 2], |x: C| [x.re as f32, x.im as f32]),
        DType::C128 => go!(C, [f64; 2], |x: C| [x.re, x.im]),
    }
}
