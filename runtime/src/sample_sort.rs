//! The distributed stable sort of a 1-d array (`Step::Host` in `HostMode::SampleSort`): NumPy's
//! order (NaNs last, complex lexicographic, ties in index order) with results that do not depend
//! on the rank count, bit for bit.
//!
//! Every element is keyed by (value, global index); keys are distinct, and ordering them by
//! NumPy's comparator first and the index second is exactly NumPy's stable order. So:
//! 1. each rank stably sorts its block-0 rows (`host::sort`'s comparators);
//! 2. each takes P to 8P regular samples of its sorted run (at most m, its length); the samples
//!    are all-gathered, sorted by key, and every rank picks the same P - 1 splitters at
//!    positions `i * S / P` (S samples). Equal values still split, by index: an all-equal array
//!    spreads over the ranks like any other;
//! 3. bucket d takes the keys in `[splitter d-1, splitter d)`; one all-to-all-v sends each
//!    bucket to rank d, which merges its P sorted runs. Only `argsort` sends the global indices:
//!    for `sort` the receiver breaks ties by (source rank, position in its run), which is the
//!    same order, because the source blocks are in index order and each run is stable;
//! 4. the bucket sizes are all-gathered, giving every rank its segment of the global order; a
//!    second all-to-all-v moves the segments to block-0 outputs (values, global indices for
//!    `argsort`, or both).
//!
//! Traffic: every element crosses at most twice (with its 8-byte index for `argsort`), plus the
//! samples (at most 8P per rank) to every rank: O(n + P^3) bytes, against n * (P - 1) elements
//! to replicate the input. With random data most elements cross once and the second exchange
//! only evens out the bucket sizes.

use crate::buffer::LocalBuf;
use crate::comm::Comm;
use crate::host::sort::{argsort_slice, order, Elem};
use crate::host::{typed, typed_mut, Output};
use ir::shape::block_range;
use ir::{DType, Result};
use std::cmp::Ordering;

/// A sort key: the value and its global index.
type Key<T> = (T, u64);

fn key_cmp<T: Elem>(a: &Key<T>, b: &Key<T>) -> Ordering {
    order(a.0, b.0).then(a.1.cmp(&b.1))
}

/// Positions of the regular samples of a sorted run of length `m` on `p` ranks, in the middle
/// of equal parts (distinct positions): `p` of them, up to `8p` when the run is long enough
/// (`m / p`) for better balanced buckets, never more than `m`.
pub fn sample_positions(m: usize, p: usize) -> Vec<usize> {
    let k = m.min((8 * p).min(m / p.max(1)).max(p));
    (0..k).map(|j| (2 * j + 1) * m / (2 * k)).collect()
}

/// The `p - 1` splitters (none when there are no samples): the samples sorted by key, at
/// positions `i * S / p`. Every rank computes the same ones from the same samples.
pub fn choose_splitters<T: Elem>(mut samples: Vec<Key<T>>, p: usize) -> Vec<Key<T>> {
    samples.sort_by(key_cmp);
    let s = samples.len();
    if s == 0 {
        return Vec::new();
    }
    (1..p).map(|i| samples[i * s / p]).collect()
}

/// Bucket boundaries in a key-sorted run: bucket d is `run[cuts[d]..cuts[d + 1]]`, the keys in
/// `[splitters[d - 1], splitters[d])`; `p + 1` cuts.
pub fn bucket_cuts<T: Elem>(run: &[Key<T>], splitters: &[Key<T>], p: usize) -> Vec<usize> {
    let mut cuts = vec![0; p + 1];
    for (d, c) in cuts.iter_mut().enumerate().skip(1) {
        *c = match splitters.get(d - 1) {
            Some(s) if d < p => run.partition_point(|e| key_cmp(e, s) == Ordering::Less),
            _ => run.len(),
        };
    }
    cuts
}

fn put<T: Copy>(out: &mut Vec<u8>, x: T) {
    // SAFETY: reading the bytes of a plain numeric value.
    let b = unsafe { std::slice::from_raw_parts(&x as *const T as *const u8, std::mem::size_of::<T>()) };
    out.extend_from_slice(b);
}

fn get<T: Copy>(bytes: &[u8], at: usize) -> T {
    assert!(at + std::mem::size_of::<T>() <= bytes.len(), "short message");
    // SAFETY: bounds checked above; every bit pattern is a valid plain numeric value.
    unsafe { std::ptr::read_unaligned(bytes[at..].as_ptr() as *const T) }
}

fn encode_keys<T: Copy>(keys: &[Key<T>]) -> Vec<u8> {
    let mut b = Vec::with_capacity(keys.len() * (std::mem::size_of::<T>() + 8));
    for &(v, i) in keys {
        put(&mut b, v);
        put(&mut b, i);
    }
    b
}

fn decode_keys<T: Copy>(bytes: &[u8]) -> Vec<Key<T>> {
    let rec = std::mem::size_of::<T>() + 8;
    (0..bytes.len() / rec).map(|k| (get::<T>(bytes, k * rec), get::<u64>(bytes, k * rec + std::mem::size_of::<T>()))).collect()
}

/// Sorts the 1-d array of length `n` whose block-0 rows this rank holds in `x`; returns this
/// rank's block-0 rows of each requested output (index 0 the values, 1 the int64 global
/// permutation) and the bytes that crossed between ranks, all ranks together (the same count on
/// every rank). Every rank makes the same collective calls whatever its data.
pub fn sample_sort(comm: &dyn Comm, x: &LocalBuf, n: usize, outs: &[Output]) -> Result<(Vec<LocalBuf>, u64)> {
    crate::with_elem!(x.dtype, T => sort_t::<T>(comm, x, n, outs))
}

fn sort_t<T: Elem>(comm: &dyn Comm, x: &LocalBuf, n: usize, outs: &[Output]) -> Result<(Vec<LocalBuf>, u64)> {
    let (p, me) = (comm.size(), comm.rank());
    let v: &[T] = typed(x);
    let m = v.len();
    let (lo, hi) = block_range(n, p, me);
    ir::ensure!(hi - lo == m, Internal, "sample sort: rank {me} holds {m} elements, not its block {lo}..{hi}");
    let isz = std::mem::size_of::<T>();
    let want_vals = outs.iter().any(|o| o.index == 0);
    let want_idx = outs.iter().any(|o| o.index == 1);
    let local: Vec<Key<T>> = argsort_slice(v).into_iter().map(|i| (v[i], (lo + i) as u64)).collect();
    let mut moved = 0u64;

    // Splitters from the all-gathered regular samples.
    let splitters = if p > 1 {
        let samples: Vec<Key<T>> = sample_positions(m, p).into_iter().map(|j| local[j]).collect();
        let parts = comm.allgather(encode_keys(&samples))?;
        moved += parts.iter().map(|q| q.len() as u64).sum::<u64>() * (p as u64 - 1);
        choose_splitters(parts.iter().flat_map(|q| decode_keys::<T>(q)).collect(), p)
    } else {
        Vec::new()
    };

    // Buckets to their ranks; each rank merges the sorted runs it receives.
    let cuts = bucket_cuts(&local, &splitters, p);
    let mut sent = 0u64;
    let mine: Vec<Key<T>> = if p > 1 {
        let rec = isz + if want_idx { 8 } else { 0 };
        let send: Vec<Vec<u8>> = (0..p)
            .map(|d| {
                let mut b = Vec::new();
                if d != me {
                    let keys = &local[cuts[d]..cuts[d + 1]];
                    b.reserve(keys.len() * rec);
                    keys.iter().for_each(|k| put(&mut b, k.0));
                    if want_idx {
                        keys.iter().for_each(|k| put(&mut b, k.1));
                    }
                }
                b
            })
            .collect();
        sent = send.iter().map(|b| b.len() as u64).sum();
        let recv = comm.alltoallv(send)?;
        let mut all: Vec<Key<T>> = Vec::with_capacity(recv.iter().map(|r| r.len() / rec).sum::<usize>() + cuts[me + 1] - cuts[me]);
        // Without the indices, a key's second part is its position in source-rank order.
        for (s, r) in recv.iter().enumerate() {
            let at = all.len() as u64;
            if s == me {
                let keys = &local[cuts[me]..cuts[me + 1]];
                all.extend(keys.iter().enumerate().map(|(j, k)| (k.0, if want_idx { k.1 } else { at + j as u64 })));
                continue;
            }
            ir::ensure!(r.len() % rec == 0, Internal, "sample sort: rank {s} sent rank {me} {} bytes", r.len());
            let c = r.len() / rec;
            all.extend((0..c).map(|j| (get::<T>(r, j * isz), if want_idx { get::<u64>(r, c * isz + j * 8) } else { at + j as u64 })));
        }
        // Sorted runs, one per source: the sort merges them.
        all.sort_by(key_cmp);
        all
    } else {
        local
    };

    // Every rank's segment of the global order.
    let counts: Vec<(u64, u64)> = if p > 1 {
        let mut msg = Vec::new();
        put(&mut msg, mine.len() as u64);
        put(&mut msg, sent);
        let parts = comm.allgather(msg)?;
        moved += parts.iter().map(|q| q.len() as u64).sum::<u64>() * (p as u64 - 1);
        parts.iter().map(|q| (get::<u64>(q, 0), get::<u64>(q, 8))).collect()
    } else {
        vec![(mine.len() as u64, 0)]
    };
    moved += counts.iter().map(|c| c.1).sum::<u64>();
    let total: u64 = counts.iter().map(|c| c.0).sum();
    ir::ensure!(total == n as u64, Internal, "sample sort: {total} elements after the exchange, {n} before");
    let offsets: Vec<usize> = counts.iter().scan(0usize, |acc, c| {
        let o = *acc;
        *acc += c.0 as usize;
        Some(o)
    }).collect();

    let payload = if want_vals { isz } else { 0 } + if want_idx { 8 } else { 0 };
    // Overlap of rank s's segment with rank d's block, in global positions.
    let overlap = |s: usize, d: usize| {
        let (b0, b1) = block_range(n, p, d);
        let (s0, s1) = (offsets[s], offsets[s] + counts[s].0 as usize);
        let a = s0.max(b0).min(s1);
        (a, s1.min(b1).max(a))
    };
    for s in 0..p {
        let (a, b) = overlap(s, s);
        moved += ((counts[s].0 as usize - (b - a)) * payload) as u64;
    }

    // Segments to block-0 rows.
    let mut vals: Vec<T> = Vec::with_capacity(m);
    let mut idx: Vec<i64> = Vec::with_capacity(m);
    let piece = |d: usize| {
        let (a, b) = overlap(me, d);
        &mine[a - offsets[me]..b - offsets[me]]
    };
    if p > 1 {
        let send: Vec<Vec<u8>> = (0..p)
            .map(|d| {
                if d == me {
                    return Vec::new();
                }
                let keys = piece(d);
                let mut b = Vec::with_capacity(keys.len() * payload);
                if want_vals {
                    keys.iter().for_each(|k| put(&mut b, k.0));
                }
                if want_idx {
                    keys.iter().for_each(|k| put(&mut b, k.1 as i64));
                }
                b
            })
            .collect();
        let recv = comm.alltoallv(send)?;
        // Sources in rank order hold consecutive pieces of this rank's block.
        for (s, r) in recv.iter().enumerate() {
            if s == me {
                let keys = piece(me);
                vals.extend(keys.iter().map(|k| k.0));
                idx.extend(keys.iter().map(|k| k.1 as i64));
                continue;
            }
            let (a, b) = overlap(s, me);
            let c = b - a;
            ir::ensure!(r.len() == c * payload, Internal, "sample sort: rank {s} sent rank {me} {} bytes, not {}", r.len(), c * payload);
            if want_vals {
                vals.extend((0..c).map(|k| get::<T>(r, k * isz)));
            }
            if want_idx {
                let at = if want_vals { c * isz } else { 0 };
                idx.extend((0..c).map(|k| get::<i64>(r, at + k * 8)));
            }
        }
    } else {
        vals.extend(mine.iter().map(|k| k.0));
        idx.extend(mine.iter().map(|k| k.1 as i64));
    }

    let mut results = Vec::new();
    for o in outs {
        let mut b = LocalBuf::zeroed(if o.index == 0 { o.dtype } else { DType::I64 }, m)?;
        if o.index == 0 {
            ir::ensure!(vals.len() == m, Internal, "sample sort: rank {me} got {} values, not {m}", vals.len());
            typed_mut::<T>(&mut b).copy_from_slice(&vals);
        } else {
            ir::ensure!(idx.len() == m, Internal, "sample sort: rank {me} got {} indices, not {m}", idx.len());
            typed_mut::<i64>(&mut b).copy_from_slice(&idx);
        }
        results.push(b);
    }
    Ok((results, moved))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::comm::in_process;

    #[test]
    fn splitters_of_all_equal_values_split_by_index() {
        // Four ranks of three equal values: the samples differ only in their index, so the
        // splitters still cut the array into equal parts.
        let samples: Vec<Key<f64>> = (0..12u64).filter(|i| i % 3 == 1).map(|i| (2.0, i)).collect();
        let s = choose_splitters(samples, 4);
        assert_eq!(s, vec![(2.0, 4), (2.0, 7), (2.0, 10)]);
        let run: Vec<Key<f64>> = (0..12u64).map(|i| (2.0, i)).collect();
        assert_eq!(bucket_cuts(&run, &s, 4), vec![0, 4, 7, 10, 12]);
    }

    #[test]
    fn duplicate_splitters_leave_empty_buckets() {
        // Fewer samples than ranks: some positions repeat, their buckets are empty.
        let s = choose_splitters(vec![(1i64, 5u64), (0, 9)], 4);
        assert_eq!(s, vec![(0, 9), (1, 5), (1, 5)]);
        let run: Vec<Key<i64>> = vec![(0, 1), (0, 9), (1, 2), (1, 5), (3, 0)];
        assert_eq!(bucket_cuts(&run, &s, 4), vec![0, 1, 3, 3, 5]);
        assert!(choose_splitters::<i64>(vec![], 3).is_empty());
        assert_eq!(bucket_cuts::<i64>(&[], &[], 3), vec![0, 0, 0, 0]);
    }

    #[test]
    fn nan_splitters_sort_last_and_samples_are_distinct() {
        let s = choose_splitters(vec![(f64::NAN, 0), (1.0, 3), (f64::NAN, 2), (-0.0, 1)], 2);
        assert_eq!(s.len(), 1);
        assert!(s[0].0.is_nan() && s[0].1 == 0);
        for (m, p) in [(1, 4), (3, 4), (4, 4), (10, 3), (7, 7), (1000, 4), (0, 2)] {
            let pos = sample_positions(m, p);
            assert!(pos.len() >= m.min(p) && pos.len() <= m.min(8 * p), "{m} {p} {pos:?}");
            assert!(pos.windows(2).all(|w| w[0] < w[1]) && pos.iter().all(|&j| j < m));
        }
    }

    /// Runs the sort of `data` on `p` in-process ranks; the gathered (values, indices, moved).
    fn run_sort(data: &[f64], p: usize) -> (Vec<f64>, Vec<i64>, u64) {
        let n = data.len();
        let handles: Vec<_> = in_process(p)
            .into_iter()
            .map(|c| {
                let (lo, hi) = block_range(n, p, c.rank());
                let mine = data[lo..hi].to_vec();
                std::thread::spawn(move || {
                    let mut x = LocalBuf::zeroed(DType::F64, mine.len()).unwrap();
                    typed_mut::<f64>(&mut x).copy_from_slice(&mine);
                    let outs = [Output { index: 0, shape: vec![hi - lo], dtype: DType::F64 }, Output { index: 1, shape: vec![hi - lo], dtype: DType::I64 }];
                    let (r, moved) = sample_sort(&c, &x, n, &outs).unwrap();
                    // Values alone (no indices sent) come out the same.
                    let (v, _) = sample_sort(&c, &x, n, &outs[..1]).unwrap();
                    assert_eq!(typed::<f64>(&v[0]).iter().map(|x| x.to_bits()).collect::<Vec<_>>(), typed::<f64>(&r[0]).iter().map(|x| x.to_bits()).collect::<Vec<_>>());
                    (typed::<f64>(&r[0]).to_vec(), typed::<i64>(&r[1]).to_vec(), moved)
                })
            })
            .collect();
        let (mut v, mut i, mut m) = (Vec::new(), Vec::new(), Vec::new());
        for h in handles {
            let (a, b, c) = h.join().unwrap();
            v.extend(a);
            i.extend(b);
            m.push(c);
        }
        assert!(m.iter().all(|&x| x == m[0]), "ranks disagree on bytes moved: {m:?}");
        (v, i, m[0])
    }

    #[test]
    fn results_do_not_depend_on_the_rank_count() {
        let data: Vec<f64> = (0..23).map(|k| [3.0, -0.0, f64::NAN, 0.0, 1.5, -2.0, 3.0][k % 7] + if k % 5 == 0 { 0.0 } else { (k % 3) as f64 }).collect();
        let want = argsort_slice(&data);
        for p in 1..=6 {
            let (v, i, moved) = run_sort(&data, p);
            assert_eq!(i, want.iter().map(|&j| j as i64).collect::<Vec<_>>(), "p={p}");
            let bits: Vec<u64> = v.iter().map(|x| x.to_bits()).collect();
            assert_eq!(bits, want.iter().map(|&j| data[j].to_bits()).collect::<Vec<_>>(), "p={p}");
            if p == 1 {
                assert_eq!(moved, 0);
            }
        }
        // More ranks than elements, and nothing at all.
        assert_eq!(run_sort(&[2.0, 1.0], 5).1, vec![1, 0]);
        assert_eq!(run_sort(&[], 3).0, Vec::<f64>::new());
    }
}
