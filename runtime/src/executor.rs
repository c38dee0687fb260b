//! Runs a plan on one rank. Every rank runs the same steps in the same order; collectives happen
//! only where the plan says, and every rank can tell from the plan alone whether a step needs one.

use crate::buffer::{read_scalar, window_runs, write_scalar, DstAddr, LocalBuf};
use crate::buffer_pool::BufferPool;
use crate::comm::Comm;
use crate::matmul::matmul_local;
use ir::kernel::{Call, Instr, InstrOp, Kernel, Operand};
use ir::layout::{box_numel, box_shape, contains, flat_range, local_strides, IBox};
use ir::op::ReduceOp;
use ir::shape::row_major_strides;
use ir::{BufferId, Error, NodeId, Result, Scalar};
use optimizer::affine::{preimage, view_map, AffineMap};
use optimizer::plan::{coords_boxes, HostMode, KernelStep, Plan, ReduceMode, Step, ValueId};
use optimizer::redistribute::plan_redistribution;
use std::collections::BTreeMap;
use std::sync::Arc;

/// The buffers one rank holds between plans.
#[derive(Default)]
pub struct RankStore {
    pub buffers: BTreeMap<BufferId, Arc<LocalBuf>>,
    pub pool: BufferPool,
    /// Ranks that share this host's cores (threads per rank = cores / local_ranks).
    pub local_ranks: usize,
    /// Bytes that crossed between ranks (all ranks together) in steps whose traffic depends on
    /// the data (sample sorts), since the session last took it; every rank holds the same count.
    pub data_bytes_moved: u64,
}

struct Exec<'a> {
    plan: &'a Plan,
    comm: &'a dyn Comm,
    me: usize,
    values: Vec<Option<Arc<LocalBuf>>>,
    pool: &'a mut BufferPool,
    threads: usize,
    local_ranks: usize,
}

/// Runs `plan` on this rank; returns the local buffers of the plan's outputs.
pub fn execute(plan: &Plan, comm: &dyn Comm, store: &mut RankStore) -> Result<Vec<(NodeId, LocalBuf)>> {
    let mut values: Vec<Option<Arc<LocalBuf>>> = vec![None; plan.values.len()];
    for (i, v) in plan.values.iter().enumerate() {
        if let Some(b) = v.source {
            let buf = store.buffers.get(&b).ok_or_else(|| Error::Internal(format!("buffer {} is missing on rank {}", b.0, comm.rank())))?;
            values[i] = Some(buf.clone());
        }
    }
    let mut pool = std::mem::take(&mut store.pool);
    let r = run_steps(plan, comm, store, values, &mut pool);
    store.pool = pool;
    r
}

fn run_steps(
    plan: &Plan,
    comm: &dyn Comm,
    store: &mut RankStore,
    values: Vec<Option<Arc<LocalBuf>>>,
    pool: &mut BufferPool,
) -> Result<Vec<(NodeId, LocalBuf)>> {
    let threads = crate::threads::threads_per_rank(store.local_ranks);
    let mut ex = Exec { plan, comm, me: comm.rank(), values, pool, threads, local_ranks: store.local_ranks };
    let me = ex.me;
    // A rank whose step failed keeps going only to the next collective, where every rank learns
    // of the failure (the same error everywhere) before anyone blocks in the exchange itself.
    let mut failed: Option<Error> = None;
    for (i, step) in plan.steps.iter().enumerate() {
        if comm.size() > 1 && has_collective(step) {
            let (ok, msg) = match &failed {
                None => (true, String::new()),
                Some(e) => (false, e.encode()),
            };
            crate::comm::agree_status_via_allgather(comm, ok, &msg)?;
        }
        if failed.is_some() {
            continue;
        }
        // A panic is this rank's failure like any other (unwinding past the next collective
        // would leave the other ranks waiting in it).
        let r = match injected_failure(me, i) {
            Some(e) => Err(e),
            None => std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run_step(&mut ex, plan, step, store))).unwrap_or_else(|p| {
                let msg = p.downcast_ref::<String>().cloned().or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string())).unwrap_or_default();
                Err(Error::Internal(format!("panic on rank {me} in step {i}: {msg}")))
            }),
        };
        if let Err(e) = r {
            failed = Some(e);
        }
    }
    if let Some(e) = failed {
        return Err(e);
    }
    let mut out = Vec::new();
    for (i, (node, v)) in plan.outputs.iter().enumerate() {
        // Outputs the optimizer proved equal share a value: each gets its own buffer.
        let later = plan.outputs[i + 1..].iter().any(|(_, w)| w == v);
        let slot = &mut ex.values[v.0 as usize];
        let arc = if later { slot.clone() } else { slot.take() }.ok_or_else(|| Error::Internal(format!("output {v} was never computed")))?;
        out.push((*node, Arc::try_unwrap(arc).unwrap_or_else(|a| (*a).clone())));
    }
    Ok(out)
}

/// Steps that talk to other ranks: exchanges, sample sorts, and reductions whose ranks share
/// leaves.
fn has_collective(step: &Step) -> bool {
    match step {
        Step::Redistribute { .. } => true,
        Step::Host { mode: HostMode::SampleSort, .. } => true,
        Step::Kernel(k) => matches!(k.reduce.as_ref().map(|r| &r.mode), Some(optimizer::plan::ReduceMode::Gather)),
        _ => false,
    }
}

static INJECTED: std::sync::Mutex<Option<(usize, usize)>> = std::sync::Mutex::new(None);

/// Makes step `step` of the next plan fail on rank `rank` with a MemoryError, once: how tests
/// show that a failure on one rank becomes the same exception on every rank, with none blocked.
pub fn inject_failure(rank: usize, step: usize) {
    *INJECTED.lock().unwrap_or_else(|e| e.into_inner()) = Some((rank, step));
}

fn injected_failure(rank: usize, step: usize) -> Option<Error> {
    let mut g = INJECTED.lock().unwrap_or_else(|e| e.into_inner());
    if *g == Some((rank, step)) {
        *g = None;
        return Some(Error::Memory(format!("injected failure on rank {rank} at step {step}")));
    }
    None
}

fn run_step(ex: &mut Exec<'_>, plan: &Plan, step: &Step, store: &mut RankStore) -> Result<()> {
    let me = ex.me;
    {
        match step {
            Step::Redistribute { src, dst, map, consume } => {
                let bytes = plan.redistribution_bytes(*src, *dst, map.as_ref()) as u64;
                let shape = plan.value(*dst).shape.clone();
                crate::profile::time(me, || format!("redistribute {shape:?}"), bytes, || ex.redistribute(*src, *dst, map.as_ref(), *consume, store))?
            }
            Step::Kernel(k) => crate::profile::time(me, || crate::profile::kernel_label(k), 0, || ex.kernel(k, store))?,
            Step::Write { old, value, value_map, region, out, in_place } => {
                ex.write(*old, *value, value_map, region, *out, *in_place, store)?
            }
            Step::MatMul { a, b, out } => {
                let shape = plan.value(*out).shape.clone();
                crate::profile::time(me, || format!("matmul -> {shape:?}"), 0, || ex.matmul(*a, *b, *out))?
            }
            Step::Host { op, inputs, outs, mode: HostMode::Replicated } => {
                crate::profile::time(me, || format!("host {}", op.func_name()), 0, || ex.host(op, inputs, outs))?
            }
            Step::Host { op, inputs, outs, mode: HostMode::Split { axis } } => {
                crate::profile::time(me, || format!("host {} (split along axis {axis})", op.func_name()), 0, || ex.host_split(op, inputs, outs, *axis))?
            }
            Step::Host { op, inputs, outs, mode: HostMode::SampleSort } => {
                let moved = crate::profile::time(me, || format!("host {} (sample sort)", op.func_name()), 0, || ex.sample_sort(op, inputs, outs))?;
                store.data_bytes_moved += moved;
            }
            Step::Free(v) => {
                if let Some(Ok(buf)) = ex.values[v.0 as usize].take().map(Arc::try_unwrap) {
                    ex.pool.give(buf);
                }
            }
        }
    }
    Ok(())
}

impl Exec<'_> {
    fn get(&self, v: ValueId) -> Result<Arc<LocalBuf>> {
        self.values[v.0 as usize].clone().ok_or_else(|| Error::Internal(format!("value {v} used before it was computed")))
    }

    /// Batched product over this rank's output box: one gemm per batch entry.
    fn matmul(&mut self, a: ValueId, b: ValueId, out: ValueId) -> Result<()> {
        let me = self.me;
        let (av, bv, ov) = (self.plan.value(a), self.plan.value(b), self.plan.value(out));
        let (abuf, bbuf) = (self.get(a)?, self.get(b)?);
        let (abox, bbox, obox) = (&av.layout.boxes[me], &bv.layout.boxes[me], &ov.layout.boxes[me]);
        let mut o = LocalBuf::for_box(ov.dtype, obox)?;
        let nd = ov.shape.len();
        if box_numel(obox) > 0 {
            let k = av.shape[av.shape.len() - 1];
            let rows = obox[nd - 2].1 - obox[nd - 2].0;
            let n = ov.shape[nd - 1];
            let (ast, bst, ost) = (local_strides(abox), local_strides(bbox), local_strides(obox));
            let batch: IBox = obox[..nd - 2].to_vec();
            let mut idx: Vec<usize> = batch.iter().map(|r| r.0).collect();
            loop {
                // Offsets of this batch entry in each local buffer (broadcast axes stay at 0).
                let off = |shape: &[usize], bx: &IBox, st: &[i64]| -> usize {
                    let extra = nd - shape.len();
                    (0..shape.len().saturating_sub(2))
                        .map(|j| {
                            let c = if shape[j] == 1 { 0 } else { idx[extra + j] };
                            (c - bx[j].0) as i64 * st[j]
                        })
                        .sum::<i64>() as usize
                };
                let a_off = off(&av.shape, abox, &ast) + (obox[nd - 2].0 - abox[av.shape.len() - 2].0) * k;
                let b_off = off(&bv.shape, bbox, &bst);
                let o_off = (0..nd - 2).map(|j| (idx[j] - obox[j].0) as i64 * ost[j]).sum::<i64>() as usize;
                matmul_local(&abuf, a_off, &bbuf, b_off, &mut o, o_off, rows, k, n, self.local_ranks)?;
                if !next_index(&mut idx, &batch) {
                    break;
                }
            }
        }
        self.values[out.0 as usize] = Some(Arc::new(o));
        Ok(())
    }

    /// A host op on this rank's full copies of its inputs; its outputs are replicated.
    fn host(&mut self, op: &ir::HostOp, inputs: &[ValueId], outs: &[(usize, ValueId)]) -> Result<()> {
        let bufs: Vec<Arc<LocalBuf>> = inputs.iter().map(|v| self.get(*v)).collect::<Result<_>>()?;
        let ins: Vec<crate::host::Input> =
            inputs.iter().zip(&bufs).map(|(v, b)| crate::host::Input { buf: b, shape: &self.plan.value(*v).shape }).collect();
        let specs: Vec<crate::host::Output> = outs
            .iter()
            .map(|(k, v)| {
                let val = self.plan.value(*v);
                crate::host::Output { index: *k, shape: val.shape.clone(), dtype: val.dtype }
            })
            .collect();
        let results = crate::host::run(op, &ins, &specs)?;
        drop(ins);
        for ((_, v), b) in outs.iter().zip(results) {
            self.values[v.0 as usize] = Some(Arc::new(b));
        }
        Ok(())
    }

    /// This rank's block-0 rows of input `v` (its local buffer may hold more rows, e.g. when
    /// it is replicated), as a buffer of their own when they are not the whole local buffer.
    fn rows_of(&self, v: ValueId) -> Result<(Arc<LocalBuf>, Vec<usize>)> {
        self.block_of(v, 0)
    }

    /// This rank's block of `v` split along `axis` (`Layout::blocks_along`), from the box it
    /// holds (the block itself, or a box containing it).
    fn block_of(&self, v: ValueId, axis: usize) -> Result<(Arc<LocalBuf>, Vec<usize>)> {
        let me = self.me;
        let val = self.plan.value(v);
        let buf = self.get(v)?;
        let want = ir::layout::Layout::blocks_along(&val.shape, self.plan.ranks, axis).boxes[me].clone();
        let have = &val.layout.boxes[me];
        let local_shape = box_shape(&want);
        if *have == want {
            return Ok((buf, local_shape));
        }
        let isz = val.dtype.itemsize();
        if box_numel(&want) == 0 {
            return Ok((Arc::new(LocalBuf::zeroed(val.dtype, 0)?), local_shape));
        }
        if !contains(have, &want) {
            return Err(Error::Internal(format!("rank {me} does not hold its block {want:?} of {v}")));
        }
        if axis != 0 {
            return Ok((Arc::new(buf.sub_box(have, &want)?), local_shape));
        }
        let bad = || Error::Internal(format!("rank {me} does not hold its rows of {v} as a flat range"));
        let (h0, _) = flat_range(have, &val.shape).ok_or_else(bad)?;
        let (w0, w1) = flat_range(&want, &val.shape).ok_or_else(bad)?;
        let bytes = buf.bytes().get((w0 - h0) * isz..(w1 - h0) * isz).ok_or_else(bad)?;
        Ok((Arc::new(LocalBuf::from_bytes(val.dtype, bytes)?), local_shape))
    }

    fn out_specs(&self, outs: &[(usize, ValueId)]) -> Vec<crate::host::Output> {
        outs.iter()
            .map(|(k, v)| {
                let val = self.plan.value(*v);
                crate::host::Output { index: *k, shape: box_shape(&val.layout.boxes[self.me]), dtype: val.dtype }
            })
            .collect()
    }

    /// A host op on this rank's block of its inputs split along `axis` (the op works along
    /// another axis); its outputs are this rank's blocks.
    fn host_split(&mut self, op: &ir::HostOp, inputs: &[ValueId], outs: &[(usize, ValueId)], axis: usize) -> Result<()> {
        let rows: Vec<(Arc<LocalBuf>, Vec<usize>)> = inputs.iter().map(|v| self.block_of(*v, axis)).collect::<Result<_>>()?;
        let ins: Vec<crate::host::Input> = rows.iter().map(|(b, s)| crate::host::Input { buf: b, shape: s }).collect();
        let results = crate::host::run(op, &ins, &self.out_specs(outs))?;
        drop(ins);
        for ((_, v), b) in outs.iter().zip(results) {
            self.values[v.0 as usize] = Some(Arc::new(b));
        }
        Ok(())
    }

    /// A distributed sort of a 1-d input (see `crate::sample_sort`); the bytes it moved.
    fn sample_sort(&mut self, op: &ir::HostOp, inputs: &[ValueId], outs: &[(usize, ValueId)]) -> Result<u64> {
        let ir::HostOp::Sort { .. } = op else { return Err(Error::Internal(format!("sample sort of {}", op.name()))) };
        let (x, _) = self.rows_of(inputs[0])?;
        let n = self.plan.value(inputs[0]).shape[0];
        let specs = self.out_specs(outs);
        let (results, moved) = crate::sample_sort::sample_sort(self.comm, &x, n, &specs)?;
        for ((_, v), b) in outs.iter().zip(results) {
            self.values[v.0 as usize] = Some(Arc::new(b));
        }
        Ok(moved)
    }

    /// Rounds: round k moves, from every rank, the parts of its transfers that lie in bytes
    /// `[k * W, (k + 1) * W)` of its source buffer (W = the exchange round size), local copies
    /// included. Messages are therefore bounded by W, every rank derives the same round count from
    /// the plan, and a consumed source can release each window once it has gone.
    fn redistribute(&mut self, src: ValueId, dst: ValueId, map: Option<&AffineMap>, consume: bool, store: &mut RankStore) -> Result<()> {
        let me = self.me;
        let (have, need) = self.plan.exchange_boxes(src, dst, map);
        let d = self.plan.value(dst);
        let isz = d.dtype.itemsize();
        let transfers = plan_redistribution(&have, &need);
        let sarc = if consume {
            let a = self.values[src.0 as usize].take().ok_or_else(|| Error::Internal(format!("value {src} used before it was computed")))?;
            if let Some(b) = self.plan.value(src).source {
                store.buffers.remove(&b);
            }
            a
        } else {
            self.get(src)?
        };
        // A source we hold alone can give back what it has sent.
        let mut owned = if consume { Arc::try_unwrap(sarc) } else { Err(sarc) };
        let dlen = box_numel(&d.layout.boxes[me]);
        let mut out = if consume { LocalBuf::zeroed_lazily(d.dtype, dlen)? } else { self.pool.take(d.dtype, dlen)? };
        let addr = match map {
            None => DstAddr::row_major(&need[me]),
            Some(m) => DstAddr::permuted(m, &d.layout.boxes[me]),
        };
        let page = 4096;
        let p = self.comm.size();
        let window = crate::memory::round_bytes(p).max(isz).next_multiple_of(isz * page);
        let remote = transfers.iter().any(|t| t.src != t.dst);
        let rounds = have.iter().map(|b| (box_numel(b) * isz).div_ceil(window)).max().unwrap_or(0).max(1);
        for k in 0..rounds {
            let (lo, hi) = (k * window, (k + 1) * window);
            let sbytes = match &owned {
                Ok(b) => b.bytes(),
                Err(a) => a.bytes(),
            };
            for t in transfers.iter().filter(|t| t.src == me && t.dst == me) {
                window_runs(&t.region, &have[me], isz, lo, hi, |so, n, c| addr.put(out.bytes_mut(), c, &sbytes[so..so + n * isz], isz));
            }
            if remote {
                let mut send: Vec<Vec<u8>> = vec![Vec::new(); p];
                for t in transfers.iter().filter(|t| t.src == me && t.dst != me) {
                    let buf = &mut send[t.dst];
                    window_runs(&t.region, &have[me], isz, lo, hi, |so, n, _| buf.extend_from_slice(&sbytes[so..so + n * isz]));
                }
                let recv = self.comm.alltoallv(send)?;
                let mut used = vec![0usize; p];
                for t in transfers.iter().filter(|t| t.dst == me && t.src != me) {
                    let data = &recv[t.src];
                    let u = &mut used[t.src];
                    let mut bad = false;
                    window_runs(&t.region, &have[t.src], isz, lo, hi, |_, n, c| match data.get(*u..*u + n * isz) {
                        Some(bytes) => {
                            addr.put(out.bytes_mut(), c, bytes, isz);
                            *u += n * isz;
                        }
                        None => bad = true,
                    });
                    if bad {
                        return Err(Error::Internal(format!("rank {} sent rank {me} fewer bytes than the plan says", t.src)));
                    }
                }
            }
            if let Ok(b) = &mut owned {
                b.release_bytes(lo, hi);
            }
        }
        self.values[dst.0 as usize] = Some(Arc::new(out));
        Ok(())
    }

    fn kernel(&mut self, k: &KernelStep, store: &mut RankStore) -> Result<()> {
        let me = self.me;
        let bx = &k.boxes[me];
        // An input that dies here lends its buffer to the output (read and written element by
        // element at the same place); the planner checked nothing reads it afterwards.
        let mut reused: Option<(ValueId, Arc<LocalBuf>)> = None;
        if let Some(q) = k.reuse {
            let v = k.inputs[q].value;
            let arc = self.values[v.0 as usize].take().ok_or_else(|| Error::Internal(format!("value {v} used before it was computed")))?;
            if let Some(b) = self.plan.value(v).source {
                store.buffers.remove(&b);
            }
            let own = Arc::try_unwrap(arc).unwrap_or_else(|a| (*a).clone());
            reused = Some((v, Arc::new(own)));
        }
        let mut ins = Vec::new();
        let mut keep: Vec<Arc<LocalBuf>> = Vec::new();
        for input in &k.inputs {
            let v = self.plan.value(input.value);
            let buf = match &reused {
                Some((rv, b)) if *rv == input.value => b.clone(),
                _ => self.get(input.value)?,
            };
            let local = coords_boxes(v, input.map.flat)[me].clone();
            let (offset, strides) = input.map.operand(&local);
            ins.push(Operand { ptr: buf.as_ptr(), offset, strides });
            keep.push(buf);
        }
        let lo: Vec<usize> = bx.iter().map(|r| r.0).collect();
        let hi: Vec<usize> = bx.iter().map(|r| r.1).collect();
        let Some(red) = &k.reduce else {
            let mut outs = Vec::new();
            if let Some((_, b)) = reused {
                // Only `b` and its clone in `keep` remain: drop the clone (the other inputs stay
                // alive in `self.values`) and write through the pointer the inputs also read
                // (each element is read before it is written).
                keep.clear();
                outs.push(Arc::try_unwrap(b).map_err(|_| Error::Internal("a reused buffer is still shared".into()))?);
            }
            for o in &k.outputs[outs.len()..] {
                let v = self.plan.value(*o);
                outs.push(self.pool.take(v.dtype, box_numel(&v.layout.boxes[me]))?);
            }
            if box_numel(bx) > 0 || bx.is_empty() {
                let ops: Vec<Operand> = outs
                    .iter_mut()
                    .map(|b| {
                        let id = AffineMap::broadcast(&(0..k.domain.len()).map(Some).collect::<Vec<_>>(), k.domain.len());
                        let (offset, strides) = id.operand(bx);
                        Operand { ptr: b.as_mut_ptr(), offset, strides }
                    })
                    .collect();
                let call = Call { domain: &k.domain, lo, hi, inputs: &ins, params: &k.params, outputs: &ops, leaves: (0, 0), partials: None };
                // SAFETY: operands address the local buffers of the boxes the planner gave this rank.
                unsafe { crate::threads::run_elementwise(&k.kernel, &call, self.threads) };
            }
            for (o, b) in k.outputs.iter().zip(outs) {
                self.values[o.0 as usize] = Some(Arc::new(b));
            }
            return Ok(());
        };
        let r = k.kernel.reduction.as_ref().expect("reduction kernel");
        let op = r.op;
        let vdtype = k.kernel.body[r.value as usize].dtype;
        let kept_box: IBox = bx.iter().zip(&r.reduced).filter(|(_, &red)| !red).map(|(b, _)| *b).collect();
        let kept_n = box_numel(&kept_box);
        let (l0, l1) = red.leaves[me];
        let nl = l1 - l0;
        let is_arg = matches!(op, ReduceOp::ArgMin | ReduceOp::ArgMax);
        let mut pv = LocalBuf::zeroed(vdtype, nl * kept_n)?;
        let mut pi = vec![0u64; if is_arg { nl * kept_n } else { 0 }];
        if nl > 0 && kept_n > 0 {
            let call = Call {
                domain: &k.domain,
                lo,
                hi,
                inputs: &ins,
                params: &k.params,
                outputs: &[],
                leaves: (l0, l1),
                partials: Some((pv.as_mut_ptr(), if is_arg { Some(pi.as_mut_ptr()) } else { None })),
            };
            let (r_total, _) = k.kernel.reduction_extent(&k.domain);
            let per_leaf = ir::kernel::LEAF.min(r_total) * kept_n;
            // SAFETY: partial buffers hold nl * kept_n elements.
            unsafe { crate::threads::run_reduction(&k.kernel, &call, self.threads, vdtype.itemsize(), kept_n, per_leaf) };
        }
        drop(keep);
        // All leaves of the kept coordinates this rank outputs, in leaf order.
        let (all_v, all_i, kept_out) = match red.mode {
            ReduceMode::Local => (pv.bytes().to_vec(), pi, kept_n),
            ReduceMode::Gather => {
                let mut msg = pv.bytes().to_vec();
                for t in &pi {
                    msg.extend_from_slice(&t.to_ne_bytes());
                }
                let parts = if self.comm.size() > 1 { self.comm.allgather(msg)? } else { vec![msg] };
                let (mut vs, mut is) = (Vec::new(), Vec::new());
                for (rank, p) in parts.iter().enumerate() {
                    let (a, b) = red.leaves[rank];
                    let nb = (b - a) * kept_n * vdtype.itemsize();
                    vs.extend_from_slice(&p[..nb]);
                    if is_arg {
                        is.extend(p[nb..].chunks_exact(8).map(|c| u64::from_ne_bytes(c.try_into().expect("8"))));
                    }
                }
                (vs, is, kept_n)
            }
        };
        let ov = self.plan.value(k.outputs[0]);
        let mut out = LocalBuf::for_box(ov.dtype, &ov.layout.boxes[me])?;
        let n_out = out.len();
        debug_assert!(n_out == kept_out || n_out == 0, "reduction output {n_out} vs kept {kept_out}");
        let nleaves = all_v.len() / vdtype.itemsize() / kept_out.max(1);
        for j in 0..n_out {
            let leaf = |l: usize| (read_scalar(&all_v, vdtype, l * kept_out + j), if is_arg { all_i[l * kept_out + j] } else { 0 });
            let res = if nleaves == 0 {
                op.identity(ov.dtype).ok_or_else(|| Error::Value(format!("zero-size array to reduction operation {} which has no identity", op.name())))?
            } else {
                let (v, t) = tree(0, nleaves, &leaf, &|a, b| {
                    if is_arg {
                        codegen::interp::combine_arg(op, vdtype, a, b)
                    } else {
                        (codegen::interp::combine(op, vdtype, a.0, b.0), 0)
                    }
                });
                if is_arg { Scalar::Int(t as i64) } else { v }
            };
            write_scalar(out.bytes_mut(), ov.dtype, j, res);
        }
        self.values[k.outputs[0].0 as usize] = Some(Arc::new(out));
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn write(
        &mut self,
        old: ValueId,
        value: ValueId,
        value_map: &AffineMap,
        region: &ir::view::ViewSpec,
        out: ValueId,
        in_place: bool,
        store: &mut RankStore,
    ) -> Result<()> {
        let me = self.me;
        let ov = self.plan.value(old);
        let mut buf = if in_place {
            let arc = self.values[old.0 as usize].take().expect("old version present");
            if let Some(b) = ov.source {
                store.buffers.remove(&b);
            }
            Arc::try_unwrap(arc).unwrap_or_else(|a| (*a).clone())
        } else {
            (*self.get(old)?).clone()
        };
        let owned = &ov.layout.boxes[me];
        let (f0, f1) = flat_range(owned, &ov.shape).expect("blocks are flat ranges");
        let vv = self.plan.value(value);
        let vbuf = self.get(value)?;
        let vbox = &vv.layout.boxes[me];
        let vstr = row_major_strides(&box_shape(vbox));
        let isz = ov.dtype.itemsize();
        let rmap = view_map(region, &ov.shape);
        let pb = preimage(&rmap, region, owned, &ov.shape);
        // When every element of the region box lands in this rank's rows, the write is a copy
        // kernel: the value read through its map, stored through the region's strides (compiled
        // once per dtype and rank count, split over threads).
        if box_numel(&pb) > 0 && vv.dtype == ov.dtype && !rmap.flat && !value_map.flat && contains(owned, &rmap.image(&pb)) {
            let copy = Kernel {
                ndim: region.shape.len(),
                inputs: vec![vv.dtype],
                params: vec![],
                body: vec![Instr { op: InstrOp::Load(0), dtype: ov.dtype }],
                outputs: vec![0],
                reduction: None,
            };
            let (voff, vst) = value_map.operand(vbox);
            let ins = [Operand { ptr: vbuf.as_ptr(), offset: voff, strides: vst }];
            let outs = [Operand {
                ptr: buf.as_mut_ptr(),
                offset: (region.offset - f0 as i64) as isize,
                strides: region.strides.iter().map(|&s| s as isize).collect(),
            }];
            let call = Call {
                domain: &region.shape,
                lo: pb.iter().map(|r| r.0).collect(),
                hi: pb.iter().map(|r| r.1).collect(),
                inputs: &ins,
                params: &[],
                outputs: &outs,
                leaves: (0, 0),
                partials: None,
            };
            // SAFETY: the value operand addresses this rank's box of the value; the region box's
            // targets lie in this rank's rows of `buf` (checked above), which we own.
            unsafe { crate::threads::run_elementwise(&copy, &call, self.threads) };
            self.values[out.0 as usize] = Some(Arc::new(buf));
            return Ok(());
        }
        if box_numel(&pb) > 0 {
            let mut idx: Vec<usize> = pb.iter().map(|r| r.0).collect();
            let dst = buf.bytes_mut();
            loop {
                let target = region.flat_index(&idx);
                if target >= f0 as i64 && target < f1 as i64 {
                    let mut src = 0i64;
                    for (k, row) in value_map.coef.iter().enumerate() {
                        let c: i64 = value_map.offset[k] + row.iter().zip(&idx).map(|(a, &x)| a * x as i64).sum::<i64>();
                        src += (c - vbox[k].0 as i64) * vstr[k];
                    }
                    let (s, t) = (src as usize * isz, (target as usize - f0) * isz);
                    dst[t..t + isz].copy_from_slice(&vbuf.bytes()[s..s + isz]);
                }
                if !next_index(&mut idx, &pb) {
                    break;
                }
            }
        }
        self.values[out.0 as usize] = Some(Arc::new(buf));
        Ok(())
    }
}

/// Advances `idx` through `b` in row-major order; false after the last index (a 0-d box has
/// exactly one).
fn next_index(idx: &mut [usize], b: &IBox) -> bool {
    for k in (0..idx.len()).rev() {
        idx[k] += 1;
        if idx[k] < b[k].1 {
            return true;
        }
        idx[k] = b[k].0;
    }
    false
}

/// Pairwise combination of leaves `[lo, hi)` in a shape fixed by the leaf count alone.
fn tree(lo: usize, hi: usize, leaf: &dyn Fn(usize) -> (Scalar, u64), f: &dyn Fn((Scalar, u64), (Scalar, u64)) -> (Scalar, u64)) -> (Scalar, u64) {
    // Iterative bottom-up pairing: level by level, (0,1), (2,3), ...; an odd last one moves up.
    let mut level: Vec<(Scalar, u64)> = (lo..hi).map(leaf).collect();
    while level.len() > 1 {
        let mut next = Vec::with_capacity(level.len().div_ceil(2));
        let mut it = level.into_iter();
        while let Some(a) = it.next() {
            match it.next() {
                Some(b) => next.push(f(a, b)),
                None => next.push(a),
            }
        }
        level = next;
    }
    level.pop().expect("at least one leaf")
}
