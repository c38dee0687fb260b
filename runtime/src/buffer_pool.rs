//! A rank's pool of freed buffers, reused by later steps of the same size.
//!
//! Fresh large allocations cost page faults (an 80 MB output ~6 ms, more than a fused a*b+c
//! kernel); a loop that computes the same shapes again reuses the same memory. Pooled buffers
//! are handed out with stale contents: every step that takes one writes all of it.

use crate::buffer::LocalBuf;
use ir::{DType, Result};
use std::collections::BTreeMap;

/// Buffers smaller than this are cheap to allocate and not kept.
const MIN_POOLED_BYTES: usize = 64 * 1024;

pub struct BufferPool {
    free: BTreeMap<usize, Vec<Vec<u128>>>,
    held: usize,
    /// Most bytes the pool keeps.
    pub cap: usize,
    pub hits: u64,
    pub misses: u64,
}

impl Default for BufferPool {
    fn default() -> Self {
        BufferPool { free: BTreeMap::new(), held: 0, cap: 256 << 20, hits: 0, misses: 0 }
    }
}

impl BufferPool {
    /// A buffer of `len` elements whose contents the caller overwrites entirely.
    pub fn take(&mut self, dtype: DType, len: usize) -> Result<LocalBuf> {
        let words = (len * dtype.itemsize()).div_ceil(16);
        if let Some(v) = self.free.get_mut(&words).and_then(|l| l.pop()) {
            self.held -= words * 16;
            self.hits += 1;
            return Ok(LocalBuf::from_words(dtype, len, v));
        }
        if words * 16 >= MIN_POOLED_BYTES {
            self.misses += 1;
        }
        LocalBuf::zeroed(dtype, len)
    }

    pub fn give(&mut self, buf: LocalBuf) {
        let words = buf.into_words();
        let bytes = words.len() * 16;
        if bytes < MIN_POOLED_BYTES || self.held + bytes > self.cap {
            return;
        }
        self.held += bytes;
        self.free.entry(words.len()).or_default().push(words);
    }

    pub fn held_bytes(&self) -> usize {
        self.held
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_size_buffers_are_reused_small_ones_are_not() {
        let mut p = BufferPool::default();
        let a = p.take(DType::F64, 100_000).unwrap();
        let ptr = a.as_ptr();
        p.give(a);
        let b = p.take(DType::F64, 100_000).unwrap();
        assert_eq!(b.as_ptr(), ptr);
        assert_eq!(p.hits, 1);
        p.give(LocalBuf::zeroed(DType::F64, 10).unwrap());
        assert_eq!(p.held_bytes(), 0);
    }
}
