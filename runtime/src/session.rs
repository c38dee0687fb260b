//! The embedded session: the graph, the buffers every rank holds, and materialization.
//!
//! `P` in-process ranks are threads that run the same plan with their own stores and an
//! in-process communicator, exactly as MPI ranks will; one rank runs on the caller's thread.

use crate::buffer::LocalBuf;
use crate::comm::{SoloComm, SpmdComm};
use crate::executor::{execute, RankStore};
use crate::rank_pool::RankPool;
use ir::layout::{flat_range, Layout};
use ir::view::ViewSpec;
use ir::{BaseId, BufferId, DType, Error, Graph, NodeId, Op, Result};
use optimizer::plan::{Plan, Step, Value, ValueId};
use optimizer::lower_to_plan;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

/// What a Python array handle holds: a base and a view of it.
#[derive(Clone, Debug)]
pub struct Arr {
    pub base: BaseId,
    pub view: ViewSpec,
    pub dtype: DType,
}

impl Arr {
    pub fn shape(&self) -> &[usize] {
        &self.view.shape
    }
}

#[derive(Clone, Debug)]
pub struct BufInfo {
    pub layout: Layout,
    pub shape: Vec<usize>,
    pub dtype: DType,
}

/// Counters `starp.profile()` and `explain` report.
#[derive(Clone, Debug, Default)]
pub struct Stats {
    pub plans: u64,
    pub kernels: u64,
    pub bytes_moved: u64,
}

/// Where a session's ranks run.
enum Engine {
    /// One rank, on the caller's thread.
    Solo(RankStore),
    /// P in-process ranks (threads), each with its own store.
    Threads(RankPool),
    /// This process is one rank of an SPMD job (MPI): it holds only its own store, and every
    /// rank runs the same program, so each plans for itself and checks that all agree.
    Spmd { comm: Box<dyn SpmdComm>, store: RankStore },
}

pub struct Session {
    pub graph: Graph,
    ranks: usize,
    engine: Engine,
    infos: BTreeMap<BufferId, BufInfo>,
    next_buffer: u64,
    /// Pending nodes after which the graph is computed (a loop must not grow it forever).
    pub budget: usize,
    /// Handles dropped by Python, applied at the next call (never a lock inside `__del__`).
    pub drops: Arc<Mutex<Vec<BaseId>>>,
    /// Buffers handed to NumPy whose arrays died: back to this process's pool at the next call,
    /// so a loop of `compute()`s reuses memory instead of faulting in fresh pages.
    pub returned: Arc<Mutex<Vec<LocalBuf>>>,
    pub stats: Stats,
    pub legacy_rng: crate::api::random::RngState,
}

impl Session {
    pub fn new(ranks: usize) -> Result<Session> {
        ir::ensure!(ranks >= 1, Value, "ranks must be at least 1, got {ranks}");
        // Deterministic LAPACK: OpenBLAS itself single-threaded (matmul splits rows itself).
        crate::matmul::set_blas_threads(1);
        Ok(Session {
            graph: Graph::new(),
            ranks,
            engine: if ranks > 1 { Engine::Threads(RankPool::new(ranks)?) } else { Engine::Solo(RankStore { local_ranks: 1, ..Default::default() }) },
            infos: BTreeMap::new(),
            next_buffer: 0,
            budget: 2000,
            drops: Arc::new(Mutex::new(Vec::new())),
            returned: Arc::new(Mutex::new(Vec::new())),
            stats: Stats::default(),
            legacy_rng: crate::api::random::RngState::from_entropy(),
        })
    }

    pub fn ranks(&self) -> usize {
        self.ranks
    }

    /// Applies queued handle drops.
    pub fn collect(&mut self) {
        let drops = std::mem::take(&mut *self.drops.lock().unwrap_or_else(|e| e.into_inner()));
        for b in drops {
            let freed = self.graph.drop_handle(b);
            self.free_buffers(freed);
        }
        let returned = std::mem::take(&mut *self.returned.lock().unwrap_or_else(|e| e.into_inner()));
        if !returned.is_empty() {
            let me = self.rank();
            self.with_store(me, |s| returned.into_iter().for_each(|b| s.pool.give(b)));
        }
    }

    fn free_buffers(&mut self, freed: Vec<BufferId>) {
        for b in freed {
            self.infos.remove(&b);
            self.with_stores(|_, s| {
                // A buffer nobody else holds goes back to the pool for the next step of its size.
                if let Some(Ok(buf)) = s.buffers.remove(&b).map(Arc::try_unwrap) {
                    s.pool.give(buf);
                }
            });
        }
    }

    // ---- handles ----

    /// A new base holding `node`, with one handle.
    pub fn new_array(&mut self, node: NodeId) -> Result<Arr> {
        let n = self.graph.node(node);
        let (shape, dtype) = (n.shape.clone(), n.dtype);
        let base = self.graph.new_base(node);
        self.maybe_cut()?;
        Ok(Arr { base, view: ViewSpec::identity(&shape), dtype })
    }

    /// One more handle on `a`'s base, for a new Python object.
    pub fn share(&mut self, a: &Arr, view: ViewSpec) -> Arr {
        self.graph.add_handle(a.base);
        Arr { base: a.base, view, dtype: a.dtype }
    }

    /// The node that reads `a` now: the base's newest version, through the view.
    pub fn read(&mut self, a: &Arr) -> NodeId {
        let base = self.graph.base(a.base);
        let version = base.version;
        let bshape = self.graph.node(version).shape.clone();
        if a.view.is_identity_of(&bshape) {
            return version;
        }
        self.graph.add(ir::Node { op: Op::View(a.view.clone()), inputs: vec![version], shape: a.view.shape.clone(), dtype: a.dtype })
    }

    pub fn base_shape(&self, a: &Arr) -> Vec<usize> {
        self.graph.node(self.graph.base(a.base).version).shape.clone()
    }

    /// Makes `version` the newest version of `a`'s base.
    pub fn set_version(&mut self, a: &Arr, version: NodeId) -> Result<()> {
        let freed = self.graph.set_version(a.base, version);
        self.free_buffers(freed);
        self.maybe_cut()
    }

    // ---- data in and out ----

    /// A new array from host bytes (row-major, native endian), split over the ranks.
    pub fn from_host(&mut self, dtype: DType, shape: &[usize], bytes: &[u8]) -> Result<Arr> {
        let layout = Layout::block0(shape, self.ranks);
        let id = BufferId(self.next_buffer);
        self.next_buffer += 1;
        for (r, b) in layout.boxes.iter().enumerate() {
            let (lo, hi) = flat_range(b, shape).expect("blocks are flat ranges");
            let isz = dtype.itemsize();
            let part = if hi > lo { &bytes[lo * isz..hi * isz] } else { &[][..] };
            let buf = Arc::new(LocalBuf::from_bytes(dtype, part)?);
            self.with_store(r, |s| s.buffers.insert(id, buf));
        }
        self.infos.insert(id, BufInfo { layout, shape: shape.to_vec(), dtype });
        let node = self.graph.add(ir::Node { op: Op::Source(id), inputs: vec![], shape: shape.to_vec(), dtype });
        self.new_array(node)
    }

    /// Computes `nodes` (and whatever live arrays they share work with) and keeps their buffers.
    pub fn materialize(&mut self, nodes: &[NodeId]) -> Result<()> {
        self.collect();
        let pending: Vec<NodeId> = nodes.iter().copied().filter(|n| !matches!(self.graph.node(*n).op, Op::Source(_))).collect();
        if pending.is_empty() {
            return Ok(());
        }
        let plan = self.plan(&pending)?;
        crate::profile::dump_plan(&plan);
        if crate::memory::memory_limit().is_some() {
            crate::memory::check_plan(&plan, &self.held_outside(&plan))?;
        }
        let outs = self.run(&plan)?;
        self.stats.plans += 1;
        self.stats.kernels += plan.kernel_count() as u64;
        self.stats.bytes_moved += plan.exchange_bytes().iter().sum::<usize>() as u64;
        // Plus what data-dependent steps (sample sorts) moved: the same total on every rank.
        let mut data_moved = 0u64;
        self.with_stores(|_, s| data_moved = data_moved.max(std::mem::take(&mut s.data_bytes_moved)));
        self.stats.bytes_moved += data_moved;
        let nout = plan.outputs.len();
        let ids: Vec<BufferId> = (0..nout).map(|i| BufferId(self.next_buffer + i as u64)).collect();
        self.next_buffer += nout as u64;
        for (r, rank_outs) in outs {
            for (i, (_, buf)) in rank_outs.into_iter().enumerate() {
                let id = ids[i];
                self.with_store(r, |s| s.buffers.insert(id, Arc::new(buf)));
            }
        }
        for (i, (node, v)) in plan.outputs.iter().enumerate() {
            let val = plan.value(*v);
            self.infos.insert(ids[i], BufInfo { layout: val.layout.clone(), shape: val.shape.clone(), dtype: val.dtype });
            let freed = self.graph.materialize(*node, ids[i]);
            self.free_buffers(freed);
        }
        Ok(())
    }

    /// Bytes each rank holds in buffers the plan does not read (they stay resident throughout).
    fn held_outside(&self, plan: &Plan) -> Vec<usize> {
        let read: std::collections::BTreeSet<BufferId> = plan.values.iter().filter_map(|v| v.source).collect();
        let mut held = vec![0usize; self.ranks];
        for (b, info) in &self.infos {
            if read.contains(b) {
                continue;
            }
            for (r, h) in held.iter_mut().enumerate() {
                *h += ir::layout::box_numel(&info.layout.boxes[r]) * info.dtype.itemsize();
            }
        }
        held
    }

    pub fn plan(&self, roots: &[NodeId]) -> Result<Plan> {
        let infos = &self.infos;
        let layout_of = |b: BufferId| infos.get(&b).map(|i| i.layout.clone()).expect("buffer has a layout");
        lower_to_plan(&self.graph, roots, self.ranks, &layout_of)
    }

    /// Runs a plan on the ranks of this process; returns each local rank's outputs, by rank.
    fn run(&mut self, plan: &Plan) -> Result<Vec<(usize, Vec<(NodeId, LocalBuf)>)>> {
        match &mut self.engine {
            Engine::Solo(store) => {
                let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| execute(plan, &SoloComm, store)));
                Ok(vec![(0, r.map_err(panic_error)??)])
            }
            Engine::Threads(pool) => Ok(pool.run(Arc::new(plan.clone()))?.into_iter().enumerate().collect()),
            Engine::Spmd { comm, store } => {
                comm.agree_hash(plan_hash(plan))?;
                let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| execute(plan, comm.as_ref(), store)));
                let r = r.map_err(panic_error).and_then(|r| r);
                let status = match &r {
                    Ok(_) => comm.agree_status(true, ""),
                    Err(e) => comm.agree_status(false, &e.encode()),
                };
                status?;
                Ok(vec![(comm.rank(), r?)])
            }
        }
    }

    /// Runs `f` on rank r's store if this process holds it.
    fn with_store<T>(&mut self, r: usize, f: impl FnOnce(&mut RankStore) -> T) -> Option<T> {
        match &mut self.engine {
            Engine::Solo(s) => Some(f(s)),
            Engine::Threads(p) => Some(f(&mut p.stores[r].lock().unwrap_or_else(|e| e.into_inner()))),
            Engine::Spmd { comm, store } => (comm.rank() == r).then(|| f(store)),
        }
    }

    fn with_stores(&mut self, mut f: impl FnMut(usize, &mut RankStore)) {
        for r in 0..self.ranks {
            self.with_store(r, |s| f(r, s));
        }
    }

    /// This process's rank in an SPMD job (0 otherwise).
    pub fn rank(&self) -> usize {
        match &self.engine {
            Engine::Spmd { comm, .. } => comm.rank(),
            _ => 0,
        }
    }

    /// Ranks of this job sharing this host's cores.
    fn local_ranks(&self) -> usize {
        match &self.engine {
            Engine::Solo(s) | Engine::Spmd { store: s, .. } => s.local_ranks,
            Engine::Threads(_) => self.ranks,
        }
    }

    /// A session that is one rank of an SPMD job over `comm`.
    pub fn spmd(comm: Box<dyn SpmdComm>) -> Result<Session> {
        let mut s = Session::new(1)?;
        s.ranks = comm.size();
        // Ranks of this job that share this host (OpenMPI says how many), so threads x ranks
        // stay within the cores.
        let local = std::env::var("OMPI_COMM_WORLD_LOCAL_SIZE").ok().and_then(|v| v.parse().ok()).unwrap_or(1);
        crate::matmul::set_blas_threads(1);
        s.engine = Engine::Spmd { comm, store: RankStore { local_ranks: local, ..Default::default() } };
        Ok(s)
    }

    /// Bytes of rank `root`, on every rank of the process group.
    pub fn broadcast_bytes(&self, root: usize, data: Vec<u8>) -> Result<Vec<u8>> {
        match &self.engine {
            Engine::Spmd { comm, .. } => comm.broadcast_bytes(root, data),
            _ => Ok(data),
        }
    }

    /// The full array of a materialized node, as row-major bytes on the caller.
    pub fn fetch_node(&mut self, node: NodeId) -> Result<Vec<u8>> {
        self.fetch_buf(node).map(|b| b.bytes().to_vec())
    }

    fn fetch_buf(&mut self, node: NodeId) -> Result<LocalBuf> {
        self.graph.pin(node);
        let r = self.materialize(&[node]).and_then(|_| self.gather(node));
        let freed = self.graph.release(node);
        self.free_buffers(freed);
        r
    }

    /// The whole array of a computed node on this process, in a buffer of its own (the caller
    /// hands it to NumPy, which may write to it; the store's copy stays the node's value).
    fn gather(&mut self, node: NodeId) -> Result<LocalBuf> {
        let Op::Source(b) = self.graph.node(node).op else {
            return Err(Error::Internal("gathering a node that was not computed".into()));
        };
        let info = self.infos[&b].clone();
        if self.ranks == 1 || info.layout.is_replicated(&info.shape) {
            let me = self.rank();
            let threads = crate::threads::threads_per_rank(self.local_ranks());
            // Into pooled memory: fresh pages cost more than the copy.
            return self
                .with_store(me, |s| {
                    let src = s.buffers[&b].clone();
                    let mut out = s.pool.take(src.dtype, src.len())?;
                    src.copy_into(&mut out, threads);
                    Ok(out)
                })
                .ok_or_else(|| Error::Internal("no local store".into()))?;
        }
        // The same planner as every other exchange: everything to rank 0.
        let src = Value { shape: info.shape.clone(), dtype: info.dtype, layout: info.layout.clone(), source: Some(b), node: None };
        let dst = Value { shape: info.shape.clone(), dtype: info.dtype, layout: Layout::on_rank(&info.shape, self.ranks, 0), source: None, node: Some(node) };
        let plan = Plan {
            ranks: self.ranks,
            values: vec![src, dst],
            steps: vec![Step::Redistribute { src: ValueId(0), dst: ValueId(1), map: None, consume: false }],
            outputs: vec![(node, ValueId(1))],
        };
        self.stats.bytes_moved += plan.exchange_bytes().iter().sum::<usize>() as u64;
        let outs = self.run(&plan)?;
        // Rank 0 holds the array (a fresh buffer: handed over, not copied); in an SPMD job every
        // rank gets it (as NumPy would compute it).
        let mine = outs.into_iter().find(|(r, _)| *r == 0).and_then(|(_, mut o)| o.pop()).map(|(_, b)| b);
        match &self.engine {
            Engine::Spmd { comm, .. } => {
                let bytes = comm.broadcast_bytes(0, mine.map(|b| b.bytes().to_vec()).unwrap_or_default())?;
                LocalBuf::from_bytes(info.dtype, &bytes)
            }
            _ => mine.ok_or_else(|| Error::Internal("rank 0 returned no gathered buffer".into())),
        }
    }

    /// Computes every live array that has pending work once the graph passes the node budget.
    fn maybe_cut(&mut self) -> Result<()> {
        if self.graph.pending() <= self.budget {
            return Ok(());
        }
        self.collect();
        let roots: Vec<NodeId> = self
            .graph
            .bases()
            .map(|(_, b)| b.version)
            .filter(|v| !matches!(self.graph.node(*v).op, Op::Source(_)))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        self.materialize(&roots)
    }

    pub fn live_buffers(&self) -> usize {
        self.infos.len()
    }
}

/// Each kernel's expression and the bytes it reads and writes (over all ranks).
fn kernel_details(p: &Plan) -> String {
    let mut s = String::new();
    for (i, step) in p.steps.iter().enumerate() {
        let Step::Kernel(k) = step else { continue };
        let read: usize = k
            .inputs
            .iter()
            .map(|inp| {
                let v = p.value(inp.value);
                k.boxes.iter().map(|b| ir::layout::box_numel(&inp.map.image(b))).sum::<usize>() * v.dtype.itemsize()
            })
            .sum();
        let written: usize = k.outputs.iter().map(|o| {
            let v = p.value(*o);
            v.layout.boxes.iter().map(ir::layout::box_numel).sum::<usize>() * v.dtype.itemsize()
        }).sum();
        s += &format!("  -- step {i}: reads {read} bytes, writes {written} bytes --\n");
        for line in k.kernel.dump().lines() {
            s += &format!("     {line}\n");
        }
    }
    s
}

/// A hash of a plan that is the same on every rank that planned the same computation.
fn plan_hash(plan: &Plan) -> u64 {
    let bytes = postcard::to_allocvec(plan).unwrap_or_default();
    // FNV-1a: stable across processes and builds, unlike std's hasher.
    bytes.iter().fold(0xcbf29ce484222325u64, |h, &b| (h ^ b as u64).wrapping_mul(0x100000001b3))
}

pub(crate) fn panic_error(p: Box<dyn std::any::Any + Send>) -> Error {
    let msg = p.downcast_ref::<String>().cloned().or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string())).unwrap_or_default();
    Error::Internal(format!("a rank panicked: {msg}"))
}

impl Session {
    /// The logical graph under `a`, and the plan that would compute it, without running it.
    pub fn explain(&mut self, a: &Arr) -> Result<String> {
        self.collect();
        let node = self.read(a);
        self.graph.pin(node);
        let logical = ir::dump::text(&self.graph, &[node]);
        let physical = if matches!(self.graph.node(node).op, Op::Source(_)) {
            "  (already computed)\n".to_string()
        } else {
            match self.plan(&[node]) {
                Ok(p) => p.to_string() + &kernel_details(&p),
                Err(e) => format!("  planning failed: {e}\n"),
            }
        };
        let freed = self.graph.release(node);
        self.free_buffers(freed);
        let info = format!(
            "session: {} rank(s), {} pending node(s), {} live buffer(s)\n",
            self.ranks,
            self.graph.pending(),
            self.infos.len()
        );
        Ok(format!("== logical graph ==\n{logical}== physical plan ==\n{physical}== {info}"))
    }

    pub fn dot(&mut self, a: &Arr) -> String {
        let node = self.read(a);
        self.graph.pin(node);
        let s = ir::dump::dot(&self.graph, &[node]);
        let freed = self.graph.release(node);
        self.free_buffers(freed);
        s
    }

    /// Computes arrays and keeps them where they are (no gather): `x.persist()`.
    pub fn persist(&mut self, arrs: &[Arr]) -> Result<()> {
        let nodes: Vec<NodeId> = arrs.iter().map(|a| self.graph.base(a.base).version).collect();
        self.materialize(&nodes)
    }

    /// Materializes several arrays in one plan (shared work runs once), then fetches each. The
    /// handles of arrays flagged in `consume` are released; a buffer that nothing else holds
    /// afterwards is handed over instead of copied (on one rank, where it is the whole array).
    pub fn fetch_many(&mut self, arrs: &[Arr], consume: &[bool]) -> Result<Vec<LocalBuf>> {
        let nodes: Vec<NodeId> = arrs.iter().map(|a| self.read(a)).collect();
        for n in &nodes {
            self.graph.pin(*n);
        }
        let computed = self.materialize(&nodes);
        let buffer_of = |g: &Graph, n: NodeId| if let Op::Source(b) = g.node(n).op { Some(b) } else { None };
        let bufs: Vec<Option<BufferId>> = nodes.iter().map(|&n| buffer_of(&self.graph, n)).collect();
        let mut out: Vec<Option<LocalBuf>> = vec![None; nodes.len()];
        let r = computed.and_then(|_| {
            for (i, &n) in nodes.iter().enumerate() {
                let movable = self.ranks == 1 && consume.get(i).copied().unwrap_or(false) && !bufs[i + 1..].contains(&bufs[i]);
                if !movable {
                    out[i] = Some(self.gather(n)?);
                }
            }
            Ok(())
        });
        // Release our pins and the consumed handles; what that frees may move to the caller.
        let mut freed = Vec::new();
        for &n in &nodes {
            freed.extend(self.graph.release(n));
        }
        for (a, _) in arrs.iter().zip(consume).filter(|(_, &c)| c) {
            freed.extend(self.graph.drop_handle(a.base));
        }
        let mut moved = Vec::new();
        let r = r.and_then(|_| {
            for (i, b) in bufs.iter().enumerate() {
                if out[i].is_some() {
                    continue;
                }
                let b = b.ok_or_else(|| Error::Internal("a computed node is not a buffer".into()))?;
                if freed.contains(&b) {
                    let mine = self.rank();
                    moved.push((i, b, self.with_store(mine, |s| s.buffers.remove(&b)).flatten()));
                } else {
                    // Something else still holds it (its node is alive): copy.
                    out[i] = Some(self.gather(nodes[i])?);
                }
            }
            Ok(())
        });
        self.free_buffers(freed);
        r?;
        for (i, b, taken) in moved {
            out[i] = Some(match taken.map(Arc::try_unwrap) {
                Some(Ok(buf)) => buf,
                // Still shared (another node's value): copy it.
                Some(Err(shared)) => shared.duplicate(crate::threads::threads_per_rank(self.local_ranks()))?,
                None => return Err(Error::Internal(format!("buffer {} of a fetched array is gone", b.0))),
            });
        }
        Ok(out.into_iter().map(|b| b.expect("every output fetched")).collect())
    }
}

impl Session {
    /// A seed for an unseeded generator: from the OS on rank 0, the same on every rank.
    pub fn entropy_seed(&self) -> Result<u64> {
        let mine = crate::api::random::RngState::from_entropy().seed;
        let b = self.broadcast_bytes(0, mine.to_le_bytes().to_vec())?;
        Ok(u64::from_le_bytes(b[..8].try_into().map_err(|_| Error::Internal("short seed broadcast".into()))?))
    }
}
