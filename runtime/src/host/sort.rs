//! Sorting and order statistics on one rank's copy of its input: `sort`/`argsort` (stable,
//! NumPy's order: NaNs last, complex lexicographic with NumPy's NaN rules), `searchsorted`,
//! `cumsum`/`cumprod`, `quantile`/`percentile` (method 'linear') and `median`. Also the
//! host-side helpers of the sync points `unique` and `nonzero`, which work on fetched bytes.
//! Sorts run here on a replicated input (n-d along axis 0) or on a rank's own rows (along
//! another axis); a 1-d sort is the distributed sample sort of `crate::sample_sort`, which uses
//! these comparators.

use super::{typed, typed_mut, Input, Output};
use crate::buffer::LocalBuf;
use ir::shape::numel;
use ir::{DType, Error, HostOp, Result};
use num_complex::{Complex32, Complex64};
use std::cmp::Ordering;

/// An element type with NumPy's sort order.
pub trait Elem: Copy + 'static {
    /// `a < b` in NumPy's order (NaNs after everything).
    fn np_lt(a: Self, b: Self) -> bool;
    /// NaN (complex: either part).
    fn nan(self) -> bool {
        false
    }
    fn np_eq(a: Self, b: Self) -> bool {
        !Self::np_lt(a, b) && !Self::np_lt(b, a)
    }
}

macro_rules! int_elem {
    ($($t:ty),*) => {$(
        impl Elem for $t {
            fn np_lt(a: Self, b: Self) -> bool { a < b }
        }
    )*};
}
int_elem!(u8, i8, i16, i32, i64, u16, u32, u64);

macro_rules! float_elem {
    ($($t:ty),*) => {$(
        impl Elem for $t {
            fn np_lt(a: Self, b: Self) -> bool { a < b || (b.is_nan() && !a.is_nan()) }
            fn nan(self) -> bool { self.is_nan() }
            fn np_eq(a: Self, b: Self) -> bool { a == b || (a.is_nan() && b.is_nan()) }
        }
    )*};
}
float_elem!(f32, f64);

macro_rules! complex_elem {
    ($($t:ty),*) => {$(
        impl Elem for $t {
            /// NumPy's `CFLOAT_LT` (npysort): lexicographic, NaNs last.
            fn np_lt(a: Self, b: Self) -> bool {
                let (ar, ai, br, bi) = (a.re, a.im, b.re, b.im);
                if ar < br {
                    !ai.is_nan() || bi.is_nan()
                } else if ar > br {
                    bi.is_nan() && !ai.is_nan()
                } else if ar == br || (ar.is_nan() && br.is_nan()) {
                    ai < bi || (bi.is_nan() && !ai.is_nan())
                } else {
                    br.is_nan()
                }
            }
            fn nan(self) -> bool { self.re.is_nan() || self.im.is_nan() }
        }
    )*};
}
complex_elem!(Complex32, Complex64);

/// Runs `$body` with `$T` the element type of `$dt` (bool as u8).
#[macro_export]
macro_rules! with_elem {
    ($dt:expr, $T:ident => $body:expr) => {
        match $dt {
            ir::DType::Bool | ir::DType::U8 => { type $T = u8; $body }
            ir::DType::I8 => { type $T = i8; $body }
            ir::DType::I16 => { type $T = i16; $body }
            ir::DType::I32 => { type $T = i32; $body }
            ir::DType::I64 => { type $T = i64; $body }
            ir::DType::U16 => { type $T = u16; $body }
            ir::DType::U32 => { type $T = u32; $body }
            ir::DType::U64 => { type $T = u64; $body }
            ir::DType::F32 => { type $T = f32; $body }
            ir::DType::F64 => { type $T = f64; $body }
            ir::DType::C64 => { type $T = num_complex::Complex32; $body }
            ir::DType::C128 => { type $T = num_complex::Complex64; $body }
        }
    };
}

pub(crate) fn order<T: Elem>(a: T, b: T) -> Ordering {
    if T::np_lt(a, b) {
        Ordering::Less
    } else if T::np_lt(b, a) {
        Ordering::Greater
    } else {
        Ordering::Equal
    }
}

/// (outer, n, inner) of `shape` around `axis`: lane (o, j) holds `o*n*inner + k*inner + j`.
fn lanes(shape: &[usize], axis: usize) -> (usize, usize, usize) {
    (numel(&shape[..axis]), shape[axis], numel(&shape[axis + 1..]))
}

/// The stable sorting permutation of `v` in NumPy's order.
pub fn argsort_slice<T: Elem>(v: &[T]) -> Vec<usize> {
    let mut p: Vec<usize> = (0..v.len()).collect();
    p.sort_by(|&i, &j| order(v[i], v[j]));
    p
}

pub fn run(op: &HostOp, ins: &[Input], outs: &[Output]) -> Result<Vec<LocalBuf>> {
    let x = ins[0].buf;
    let shape = ins[0].shape;
    match op {
        HostOp::Sort { axis, .. } => with_elem!(x.dtype, T => sort_t::<T>(typed::<T>(x), shape, *axis, outs)),
        HostOp::SearchSorted { right } => {
            let v = ins[1].buf;
            let mut out = LocalBuf::zeroed(DType::I64, v.len())?;
            let o = typed_mut::<i64>(&mut out);
            with_elem!(x.dtype, T => {
                let a = typed::<T>(x);
                for (r, &q) in o.iter_mut().zip(typed::<T>(v)) {
                    *r = if *right { a.partition_point(|&e| !T::np_lt(q, e)) } else { a.partition_point(|&e| T::np_lt(e, q)) } as i64;
                }
            });
            Ok(vec![out])
        }
        HostOp::Cumulative { prod, axis } => {
            let mut out = x.clone();
            let (outer, n, inner) = lanes(shape, *axis);
            macro_rules! scan {
                ($T:ty, $add:expr, $mul:expr) => {{
                    let d = typed_mut::<$T>(&mut out);
                    for o in 0..outer {
                        for k in 1..n {
                            for j in 0..inner {
                                let i = (o * n + k) * inner + j;
                                let prev = d[i - inner];
                                d[i] = if *prod { $mul(prev, d[i]) } else { $add(prev, d[i]) };
                            }
                        }
                    }
                }};
            }
            match x.dtype {
                DType::Bool => return Err(Error::Internal("cumulative op on bool (the graph casts)".into())),
                DType::I8 => scan!(i8, i8::wrapping_add, i8::wrapping_mul),
                DType::I16 => scan!(i16, i16::wrapping_add, i16::wrapping_mul),
                DType::I32 => scan!(i32, i32::wrapping_add, i32::wrapping_mul),
                DType::I64 => scan!(i64, i64::wrapping_add, i64::wrapping_mul),
                DType::U8 => scan!(u8, u8::wrapping_add, u8::wrapping_mul),
                DType::U16 => scan!(u16, u16::wrapping_add, u16::wrapping_mul),
                DType::U32 => scan!(u32, u32::wrapping_add, u32::wrapping_mul),
                DType::U64 => scan!(u64, u64::wrapping_add, u64::wrapping_mul),
                DType::F32 => scan!(f32, |a, b| a + b, |a, b| a * b),
                DType::F64 => scan!(f64, |a, b| a + b, |a, b| a * b),
                DType::C64 => scan!(Complex32, |a, b| a + b, |a, b| a * b),
                DType::C128 => scan!(Complex64, |a, b| a + b, |a, b| a * b),
            }
            Ok(vec![out])
        }
        HostOp::Quantile { axis, q, f32_index } => {
            let od = outs[0].dtype;
            let f32i = *f32_index;
            match (x.dtype, od) {
                (DType::F32, DType::F32) => quantile_t::<f32, f32>(typed(x), shape, *axis, q, f32i, od),
                (DType::F32, DType::F64) => quantile_t::<f32, f64>(typed(x), shape, *axis, q, f32i, od),
                (DType::F64, DType::F64) => quantile_t::<f64, f64>(typed(x), shape, *axis, q, f32i, od),
                (a, b) => Err(Error::Internal(format!("quantile from {a} to {b}"))),
            }
        }
        HostOp::Median { axis } => match x.dtype {
            DType::F32 => median_t::<f32>(typed(x), shape, *axis),
            DType::F64 => median_t::<f64>(typed(x), shape, *axis),
            d => Err(Error::Internal(format!("median of {d} (the graph casts)"))),
        },
        _ => Err(Error::Internal(format!("{} is not a sort op", op.name()))),
    }
}

fn sort_t<T: Elem>(x: &[T], shape: &[usize], axis: usize, outs: &[Output]) -> Result<Vec<LocalBuf>> {
    let (outer, n, inner) = lanes(shape, axis);
    let total = x.len();
    let want_vals = outs.iter().any(|o| o.index == 0);
    let want_idx = outs.iter().any(|o| o.index == 1);
    let dtype = outs.iter().find(|o| o.index == 0).map(|o| o.dtype);
    let mut vals = match dtype {
        Some(d) if want_vals => Some(LocalBuf::zeroed(d, total)?),
        _ => None,
    };
    let mut idx = if want_idx { Some(LocalBuf::zeroed(DType::I64, total)?) } else { None };
    let mut lane = Vec::with_capacity(n);
    for o in 0..outer {
        for j in 0..inner {
            lane.clear();
            lane.extend((0..n).map(|k| x[(o * n + k) * inner + j]));
            let p = argsort_slice(&lane);
            if let Some(v) = vals.as_mut() {
                let v = typed_mut::<T>(v);
                for (k, &pk) in p.iter().enumerate() {
                    v[(o * n + k) * inner + j] = lane[pk];
                }
            }
            if let Some(ix) = idx.as_mut() {
                let ix = typed_mut::<i64>(ix);
                for (k, &pk) in p.iter().enumerate() {
                    ix[(o * n + k) * inner + j] = pk as i64;
                }
            }
        }
    }
    Ok(outs.iter().map(|o| if o.index == 0 { vals.clone().expect("values") } else { idx.clone().expect("indices") }).collect())
}

/// The float types quantile works in.
pub trait Flt: Elem + std::ops::Add<Output = Self> + std::ops::Sub<Output = Self> + std::ops::Mul<Output = Self> + std::ops::Div<Output = Self> {
    fn from_f64(v: f64) -> Self;
    fn to_f64(self) -> f64;
    const NAN: Self;
}
impl Flt for f32 {
    fn from_f64(v: f64) -> Self {
        v as f32
    }
    fn to_f64(self) -> f64 {
        self as f64
    }
    const NAN: Self = f32::NAN;
}
impl Flt for f64 {
    fn from_f64(v: f64) -> Self {
        v
    }
    fn to_f64(self) -> f64 {
        self
    }
    const NAN: Self = f64::NAN;
}

/// The sorted lanes of `x` along `axis`, one after another.
fn sorted_lanes<T: Elem>(x: &[T], shape: &[usize], axis: usize) -> (Vec<T>, usize, usize, usize) {
    let (outer, n, inner) = lanes(shape, axis);
    let mut s = Vec::with_capacity(x.len());
    let mut lane = Vec::with_capacity(n);
    for o in 0..outer {
        for j in 0..inner {
            lane.clear();
            lane.extend((0..n).map(|k| x[(o * n + k) * inner + j]));
            lane.sort_by(|a, b| order(*a, *b));
            s.extend_from_slice(&lane);
        }
    }
    (s, outer, n, inner)
}

/// NumPy's `_quantile` with method 'linear': virtual index `(n - 1) * q` in q's precision
/// (float32 when `f32_index`, else float64), neighbours clamped as `_get_indexes` does, the
/// difference `b - a` in the input's precision `T` and `_lerp` in the output's `O` (with the
/// fraction and its `1 - fraction` in q's precision, as NumPy's `1 - t` of a float32 `t`).
fn quantile_t<T: Flt, O: Flt>(x: &[T], shape: &[usize], axis: usize, q: &[f64], f32_index: bool, od: DType) -> Result<Vec<LocalBuf>> {
    let (s, outer, n, inner) = sorted_lanes(x, shape, axis);
    let lanes_n = outer * inner;
    let mut out = LocalBuf::zeroed(od, q.len() * lanes_n)?;
    let o = typed_mut::<O>(&mut out);
    for (qi, &qv) in q.iter().enumerate() {
        let virt = if f32_index { ((n as f32 - 1.0) * qv as f32) as f64 } else { (n as f64 - 1.0) * qv };
        let (prev, next): (i64, i64) = if virt.is_nan() || virt >= n as f64 - 1.0 {
            (-1, -1)
        } else if virt < 0.0 {
            (0, 0)
        } else {
            let p = virt.floor() as i64;
            (p, p + 1)
        };
        let gamma = if f32_index { (virt as f32 - prev as f32) as f64 } else { virt - prev as f64 };
        let one_minus_gamma = if f32_index { (1.0f32 - gamma as f32) as f64 } else { 1.0 - gamma };
        let at = |i: i64| if i < 0 { (n as i64 + i) as usize } else { i as usize };
        for l in 0..lanes_n {
            let lane = &s[l * n..(l + 1) * n];
            ir::ensure!(n > 0, Index, "index -1 is out of bounds for axis 0 with size 0");
            let (a, b) = (lane[at(prev)], lane[at(next)]);
            let diff = O::from_f64((b - a).to_f64());
            let (a, b) = (O::from_f64(a.to_f64()), O::from_f64(b.to_f64()));
            let mut r = a + diff * O::from_f64(gamma);
            if gamma >= 0.5 {
                r = b - diff * O::from_f64(one_minus_gamma);
            }
            if lane[n - 1].nan() {
                r = O::NAN;
            }
            o[qi * lanes_n + l] = r;
        }
    }
    Ok(vec![out])
}

/// NumPy's `median`: the mean of the middle one or two of the sorted lane (NaN if any is NaN).
fn median_t<T: Flt>(x: &[T], shape: &[usize], axis: usize) -> Result<Vec<LocalBuf>> {
    let (s, outer, n, inner) = sorted_lanes(x, shape, axis);
    let lanes_n = outer * inner;
    let dtype = if std::mem::size_of::<T>() == 4 { DType::F32 } else { DType::F64 };
    let mut out = LocalBuf::zeroed(dtype, lanes_n)?;
    let o = typed_mut::<T>(&mut out);
    for (l, r) in o.iter_mut().enumerate() {
        let lane = &s[l * n..(l + 1) * n];
        *r = if n == 0 || lane[n - 1].nan() {
            T::NAN
        } else if n % 2 == 1 {
            lane[n / 2]
        } else {
            (lane[n / 2 - 1] + lane[n / 2]) / T::from_f64(2.0)
        };
    }
    Ok(vec![out])
}

/// The results of `unique` on a flat array.
pub struct Unique {
    /// The unique values (bytes of the input's dtype).
    pub values: Vec<u8>,
    pub count: usize,
    pub index: Vec<i64>,
    pub inverse: Vec<i64>,
    pub counts: Vec<i64>,
}

/// NumPy 2's `unique` (equal_nan=True: all NaNs are one value, complex ones included) of the
/// flat array in `bytes`; `index` the first occurrences (a stable sort).
pub fn unique(dtype: DType, bytes: &[u8]) -> Unique {
    with_elem!(dtype, T => unique_t::<T>(bytes_as::<T>(bytes)))
}

pub(crate) fn bytes_as<T: Copy>(bytes: &[u8]) -> Vec<T> {
    let sz = std::mem::size_of::<T>();
    bytes
        .chunks_exact(sz)
        .map(|c| {
            // SAFETY: c holds size_of::<T>() bytes; plain numeric types accept every bit pattern.
            unsafe { std::ptr::read_unaligned(c.as_ptr() as *const T) }
        })
        .collect()
}

fn unique_t<T: Elem>(v: Vec<T>) -> Unique {
    let p = argsort_slice(&v);
    let mut values: Vec<T> = Vec::new();
    let mut index = Vec::new();
    let mut counts: Vec<i64> = Vec::new();
    let mut inverse = vec![0i64; v.len()];
    for &i in &p {
        let x = v[i];
        let same = match values.last() {
            Some(&last) => T::np_eq(last, x) || (last.nan() && x.nan()),
            None => false,
        };
        if !same {
            values.push(x);
            index.push(i as i64);
            counts.push(0);
        }
        *counts.last_mut().expect("a group") += 1;
        inverse[i] = values.len() as i64 - 1;
    }
    let sz = std::mem::size_of::<T>();
    let mut bytes = vec![0u8; values.len() * sz];
    for (k, x) in values.iter().enumerate() {
        // SAFETY: the destination holds sz bytes at k*sz.
        unsafe { std::ptr::write_unaligned(bytes[k * sz..].as_mut_ptr() as *mut T, *x) };
    }
    Unique { count: values.len(), values: bytes, index, inverse, counts }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nans_sort_last_and_complex_is_lexicographic() {
        let v = [2.0, f64::NAN, -1.0, 2.0, f64::NEG_INFINITY];
        assert_eq!(argsort_slice(&v), vec![4, 2, 0, 3, 1]);
        let c = [Complex64::new(1.0, f64::NAN), Complex64::new(1.0, 2.0), Complex64::new(f64::NAN, 0.0), Complex64::new(1.0, -1.0)];
        assert_eq!(argsort_slice(&c), vec![3, 1, 0, 2]);
    }

    #[test]
    fn unique_collapses_nans_and_keeps_first_index() {
        let v: Vec<f64> = vec![3.0, f64::NAN, 1.0, 3.0, f64::NAN];
        let bytes: Vec<u8> = v.iter().flat_map(|x| x.to_ne_bytes()).collect();
        let u = unique(DType::F64, &bytes);
        assert_eq!(u.count, 3);
        assert_eq!(u.index, vec![2, 0, 1]);
        assert_eq!(u.inverse, vec![1, 2, 0, 1, 2]);
        assert_eq!(u.counts, vec![1, 2, 2]);
    }
}
