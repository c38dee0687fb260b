//! Local buffers: one rank's box of a value, row-major, 16-byte aligned, allocated fallibly.

use ir::layout::{box_shape, IBox};
use ir::shape::numel;
use ir::{DType, Error, Result};

#[derive(Clone, Debug)]
pub struct LocalBuf {
    pub dtype: DType,
    len: usize,
    /// u128 words give every dtype (complex128 included) its alignment.
    words: Vec<u128>,
}

impl LocalBuf {
    /// A zeroed buffer of `len` elements; MemoryError instead of an abort when memory is short.
    pub fn zeroed(dtype: DType, len: usize) -> Result<LocalBuf> {
        LocalBuf::alloc_zeroed(dtype, len, true)
    }

    /// A zeroed buffer whose pages become resident only as they are written (no huge pages):
    /// the destination of an exchange that releases its source as it goes.
    pub fn zeroed_lazily(dtype: DType, len: usize) -> Result<LocalBuf> {
        LocalBuf::alloc_zeroed(dtype, len, false)
    }

    fn alloc_zeroed(dtype: DType, len: usize, huge: bool) -> Result<LocalBuf> {
        let bytes = len.checked_mul(dtype.itemsize()).ok_or_else(|| too_big(dtype, len))?;
        let n = bytes.div_ceil(16);
        if n == 0 {
            return Ok(LocalBuf { dtype, len, words: Vec::new() });
        }
        // calloc-style: large zeroed allocations come as untouched zero pages from the OS
        // instead of being written twice (zeros, then the kernel's results).
        let layout = std::alloc::Layout::array::<u128>(n).map_err(|_| too_big(dtype, len))?;
        // SAFETY: layout has non-zero size; a null return is handled; the memory is zeroed,
        // which is a valid u128 bit pattern, and owned by the Vec with the same layout.
        let words = unsafe {
            let p = std::alloc::alloc_zeroed(layout) as *mut u128;
            if p.is_null() {
                return Err(too_big(dtype, len));
            }
            if huge {
                advise_huge_pages(p as *mut u8, n * 16);
            }
            Vec::from_raw_parts(p, n, n)
        };
        Ok(LocalBuf { dtype, len, words })
    }

    /// A copy made by `threads` threads (fetching a large result to the host is a copy of
    /// memory-bandwidth size; one thread reaches about half the bandwidth).
    pub fn duplicate(&self, threads: usize) -> Result<LocalBuf> {
        let mut out = LocalBuf::zeroed(self.dtype, self.len)?;
        self.copy_into(&mut out, threads);
        Ok(out)
    }

    /// Copies all of this buffer into `out` (of the same size) with `threads` threads.
    pub fn copy_into(&self, out: &mut LocalBuf, threads: usize) {
        let src = self.bytes();
        let dst = out.bytes_mut();
        let chunk = src.len().div_ceil(threads.max(1)).max(1 << 20);
        std::thread::scope(|s| {
            for (d, c) in dst.chunks_mut(chunk).zip(src.chunks(chunk)) {
                s.spawn(move || d.copy_from_slice(c));
            }
        });
    }

    /// Gives the whole pages inside bytes `[lo, hi)` back to the OS; they read as zeros after.
    /// For a buffer whose contents are dead (an exchange's consumed source).
    pub fn release_bytes(&mut self, lo: usize, hi: usize) {
        #[cfg(target_os = "linux")]
        {
            let page = 4096usize;
            let n = self.words.len() * 16;
            let base = self.words.as_mut_ptr() as usize;
            let start = (base + lo.min(n)).next_multiple_of(page);
            let end = (base + hi.min(n)) & !(page - 1);
            if end > start {
                // SAFETY: the range lies inside this buffer, which we own exclusively; MADV_DONTNEED
                // on private anonymous memory makes it read as zeros, a valid u128 pattern.
                unsafe { libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_DONTNEED) };
            }
        }
        #[cfg(not(target_os = "linux"))]
        let _ = (lo, hi);
    }

    /// A buffer of no elements (allocates nothing).
    pub fn empty() -> LocalBuf {
        LocalBuf { dtype: DType::U8, len: 0, words: Vec::new() }
    }

    /// A buffer over existing words (from the pool); `words` must hold `len` elements.
    pub fn from_words(dtype: DType, len: usize, words: Vec<u128>) -> LocalBuf {
        debug_assert!(words.len() * 16 >= len * dtype.itemsize());
        LocalBuf { dtype, len, words }
    }

    pub fn into_words(self) -> Vec<u128> {
        self.words
    }

    pub fn for_box(dtype: DType, b: &IBox) -> Result<LocalBuf> {
        LocalBuf::zeroed(dtype, numel(&box_shape(b)))
    }

    /// The elements of box `want` of this buffer, which holds box `have` (containing `want`),
    /// both row-major.
    pub fn sub_box(&self, have: &IBox, want: &IBox) -> Result<LocalBuf> {
        let mut out = LocalBuf::for_box(self.dtype, want)?;
        let n = want.len();
        if out.is_empty() {
            return Ok(out);
        }
        if n == 0 {
            out.bytes_mut().copy_from_slice(self.bytes());
            return Ok(out);
        }
        let isz = self.dtype.itemsize();
        let strides = ir::layout::local_strides(have);
        let run = (want[n - 1].1 - want[n - 1].0) * isz;
        let (src, dst) = (self.bytes(), out.bytes_mut());
        // One contiguous run per index of the leading axes of `want`, in row-major order.
        let mut idx: Vec<usize> = want[..n - 1].iter().map(|r| r.0).collect();
        let mut at = 0;
        loop {
            let mut off = (want[n - 1].0 - have[n - 1].0) as i64;
            for (j, &i) in idx.iter().enumerate() {
                off += (i - have[j].0) as i64 * strides[j];
            }
            let o = off as usize * isz;
            dst[at..at + run].copy_from_slice(&src[o..o + run]);
            at += run;
            let mut j = n - 1;
            loop {
                if j == 0 {
                    return Ok(out);
                }
                j -= 1;
                idx[j] += 1;
                if idx[j] < want[j].1 {
                    break;
                }
                idx[j] = want[j].0;
            }
        }
    }

    pub fn from_bytes(dtype: DType, bytes: &[u8]) -> Result<LocalBuf> {
        let mut b = LocalBuf::zeroed(dtype, bytes.len() / dtype.itemsize())?;
        b.bytes_mut().copy_from_slice(bytes);
        Ok(b)
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn bytes(&self) -> &[u8] {
        let n = self.len * self.dtype.itemsize();
        // SAFETY: the words hold at least n initialized bytes.
        unsafe { std::slice::from_raw_parts(self.words.as_ptr() as *const u8, n) }
    }

    pub fn bytes_mut(&mut self) -> &mut [u8] {
        let n = self.len * self.dtype.itemsize();
        // SAFETY: as above, and we hold the only reference.
        unsafe { std::slice::from_raw_parts_mut(self.words.as_mut_ptr() as *mut u8, n) }
    }

    pub fn as_mut_ptr(&mut self) -> *mut u8 {
        self.words.as_mut_ptr() as *mut u8
    }

    /// For operands the kernel only reads; the calling convention takes `*mut` for both.
    pub fn as_ptr(&self) -> *mut u8 {
        self.words.as_ptr() as *mut u8
    }
}

/// Asks Linux for transparent huge pages on large buffers (as NumPy does): first touches of an
/// 80 MB buffer then fault 40 pages instead of 20,000, which cost more than the kernel itself.
fn advise_huge_pages(p: *mut u8, bytes: usize) {
    const HUGE_MIN: usize = 4 << 20;
    #[cfg(target_os = "linux")]
    if bytes >= HUGE_MIN {
        let page = 4096usize;
        let start = (p as usize).next_multiple_of(page);
        let end = (p as usize + bytes) & !(page - 1);
        if end > start {
            // SAFETY: the range lies inside an allocation we own; madvise only changes how the
            // kernel backs it, and a failure (THP disabled) is harmless.
            unsafe { libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_HUGEPAGE) };
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = (p, bytes, HUGE_MIN);
}

fn too_big(dtype: DType, len: usize) -> Error {
    Error::Memory(format!(
        "Unable to allocate {} for an array with {len} elements of type {dtype}",
        human_bytes(len as f64 * dtype.itemsize() as f64)
    ))
}

pub fn human_bytes(b: f64) -> String {
    let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
    let mut v = b;
    let mut u = 0;
    while v >= 1024.0 && u + 1 < units.len() {
        v /= 1024.0;
        u += 1;
    }
    format!("{v:.2} {}", units[u])
}

/// Where elements go in a destination buffer: the element at source coordinate `s` lives at
/// element `offset + Σ strides[k] * s[k]` of it.
#[derive(Clone, Debug)]
pub struct DstAddr {
    pub offset: i64,
    pub strides: Vec<i64>,
}

impl DstAddr {
    /// A row-major buffer holding box `b` of the source's own coordinates.
    pub fn row_major(b: &IBox) -> DstAddr {
        let rs = ir::shape::row_major_strides(&box_shape(b));
        DstAddr { offset: -(0..b.len()).map(|k| b[k].0 as i64 * rs[k]).sum::<i64>(), strides: rs }
    }

    /// A row-major buffer holding box `b` of destination coordinates, where destination element
    /// `x` is source element `map(x)` and `map` permutes axes (plus an offset).
    pub fn permuted(map: &optimizer::affine::AffineMap, b: &IBox) -> DstAddr {
        let rs = ir::shape::row_major_strides(&box_shape(b));
        let mut offset = 0;
        let mut strides = vec![0; map.coef.len()];
        for (k, row) in map.coef.iter().enumerate() {
            let d = row.iter().position(|&c| c != 0).expect("a permutation row");
            strides[k] = rs[d];
            offset -= (map.offset[k] + b[d].0 as i64) * rs[d];
        }
        DstAddr { offset, strides }
    }

    fn at(&self, c: &[usize]) -> usize {
        (self.offset + c.iter().zip(&self.strides).map(|(&x, &s)| x as i64 * s).sum::<i64>()) as usize
    }

    /// Writes `n` elements (`bytes`, contiguous) whose first has source coordinate `c` and the
    /// rest follow along the source's last axis.
    pub fn put(&self, dst: &mut [u8], c: &[usize], bytes: &[u8], itemsize: usize) {
        let at = self.at(c) * itemsize;
        let step = self.strides.last().copied().unwrap_or(1);
        if step == 1 || bytes.len() == itemsize {
            dst[at..at + bytes.len()].copy_from_slice(bytes);
            return;
        }
        let step = step as usize * itemsize;
        for (i, e) in bytes.chunks_exact(itemsize).enumerate() {
            dst[at + i * step..at + i * step + itemsize].copy_from_slice(e);
        }
    }
}

/// Calls `f(src_byte_offset, elements, coords of the first)` for each run of `region` (global
/// coordinates, row-major order) inside a buffer holding box `from`, clipped to the source bytes
/// `[lo, hi)`: the part of a region that one round of an exchange moves.
pub fn window_runs(region: &IBox, from: &IBox, itemsize: usize, lo: usize, hi: usize, mut f: impl FnMut(usize, usize, &[usize])) {
    let n = region.len();
    if region.iter().any(|(a, b)| a >= b) || lo >= hi {
        return;
    }
    let st = ir::shape::row_major_strides(&box_shape(from));
    let mut idx: Vec<usize> = region.iter().map(|r| r.0).collect();
    if n == 0 {
        if lo == 0 {
            f(0, 1, &idx);
        }
        return;
    }
    let run = region[n - 1].1 - region[n - 1].0;
    loop {
        let off = (0..n).map(|k| (idx[k] - from[k].0) as i64 * st[k]).sum::<i64>() as usize * itemsize;
        let (a, b) = (off.max(lo), (off + run * itemsize).min(hi));
        if a < b {
            let skip = (a - off) / itemsize;
            let mut c = idx.clone();
            c[n - 1] += skip;
            f(a, (b - a) / itemsize, &c);
        }
        let mut k = n - 1;
        loop {
            if k == 0 {
                return;
            }
            k -= 1;
            idx[k] += 1;
            if idx[k] < region[k].1 {
                break;
            }
            idx[k] = region[k].0;
        }
    }
}

/// Element `i` of a buffer of `dtype`, as a scalar.
pub fn read_scalar(bytes: &[u8], dtype: DType, i: usize) -> ir::Scalar {
    let n = dtype.itemsize();
    ir::Scalar::from_bytes(dtype, &bytes[i * n..(i + 1) * n])
}

/// Stores `s` (cast to `dtype`) as element `i`.
pub fn write_scalar(bytes: &mut [u8], dtype: DType, i: usize, s: ir::Scalar) {
    let n = dtype.itemsize();
    s.write_bytes(dtype, &mut bytes[i * n..(i + 1) * n]);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bytes_of(v: &[f64]) -> Vec<u8> {
        v.iter().flat_map(|x| x.to_le_bytes()).collect()
    }

    #[test]
    fn sub_box_copies_the_inner_box_row_major() {
        // A 3x4x5 box starting at (1, 0, 2) holding value = its global flat index in a 9x4x9
        // array; the inner box (2..4, 1..3, 3..6) is read back in row-major order.
        let have: IBox = vec![(1, 4), (0, 4), (2, 7)];
        let flat = |i: usize, j: usize, k: usize| (i * 36 + j * 9 + k) as f64;
        let mut vals = Vec::new();
        for i in 1..4 {
            for j in 0..4 {
                for k in 2..7 {
                    vals.push(flat(i, j, k));
                }
            }
        }
        let buf = LocalBuf::from_bytes(DType::F64, &bytes_of(&vals)).unwrap();
        let want: IBox = vec![(2, 4), (1, 3), (3, 6)];
        let mut expect = Vec::new();
        for i in 2..4 {
            for j in 1..3 {
                for k in 3..6 {
                    expect.push(flat(i, j, k));
                }
            }
        }
        assert_eq!(buf.sub_box(&have, &want).unwrap().bytes(), &bytes_of(&expect)[..]);
        assert_eq!(buf.sub_box(&have, &vec![(2, 2), (0, 4), (2, 7)]).unwrap().len(), 0);
        assert_eq!(buf.sub_box(&have, &have).unwrap().bytes(), buf.bytes());
    }

    #[test]
    fn windows_cover_a_region_once_in_order() {
        // Rows 1..3, columns 1..4 of a 4x5 box starting at row 2, in 16-byte windows.
        let (from, region) = (vec![(2, 6), (0, 5)], vec![(3, 5), (1, 4)]);
        let mut got = Vec::new();
        for k in 0..10 {
            window_runs(&region, &from, 8, 16 * k, 16 * (k + 1), |off, n, c| got.push((off / 8, n, c.to_vec())));
        }
        let elems: Vec<usize> = got.iter().flat_map(|(o, n, _)| *o..*o + *n).collect();
        assert_eq!(elems, vec![6, 7, 8, 11, 12, 13]);
        assert_eq!(got[0].2, vec![3, 1]);
        assert!(got.iter().all(|(o, n, _)| o / 2 == (o + n - 1) / 2), "a run never crosses a window: {got:?}");
    }

    #[test]
    fn a_permuted_destination_receives_the_transpose() {
        // Source 2x3 (rows 0..2); destination x (3x2) is source (x1, x0): a transpose.
        let map = optimizer::affine::AffineMap { offset: vec![0, 0], coef: vec![vec![0, 1], vec![1, 0]], flat: false, ndim: 2 };
        let addr = DstAddr::permuted(&map, &vec![(0, 3), (0, 2)]);
        let src = [0.0, 1.0, 2.0, 10.0, 11.0, 12.0];
        let mut dst = vec![0u8; 48];
        window_runs(&vec![(0, 2), (0, 3)], &vec![(0, 2), (0, 3)], 8, 0, 48, |off, n, c| {
            addr.put(&mut dst, c, &bytes_of(&src)[off..off + n * 8], 8)
        });
        assert_eq!(dst, bytes_of(&[0.0, 10.0, 1.0, 11.0, 2.0, 12.0]));
    }

    #[test]
    fn released_pages_read_as_zeros_and_the_rest_is_kept() {
        let mut b = LocalBuf::zeroed_lazily(DType::F64, 4096).unwrap();
        b.bytes_mut().fill(1);
        b.release_bytes(0, 16384);
        let bytes = b.bytes();
        let base = bytes.as_ptr() as usize;
        let first_whole = (base.next_multiple_of(4096) - base).min(16384);
        assert!(bytes[first_whole..first_whole + 4096].iter().all(|&x| x == 0));
        assert!(bytes[16384 + 4096..].iter().all(|&x| x == 1));
    }
}
