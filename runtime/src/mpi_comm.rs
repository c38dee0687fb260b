//! The MPI communicator: `Comm` over rsmpi, for processes launched by `mpirun`.
//!
//! * [`init`] initializes MPI only when the process was started by a launcher (it looks at the
//!   environment first and never touches MPI otherwise), at `MPI_THREAD_SERIALIZED`, and keeps the
//!   `Universe` in a private static until [`finalize`].
//! * Every [`MpiComm`] owns a duplicate of `MPI_COMM_WORLD` with `MPI_ERRORS_RETURN`, so its traffic
//!   never mixes with another session's and a failing MPI call comes back as `Error::Internal`
//!   instead of aborting. (rsmpi's safe collectives drop MPI's return codes, so the collectives here
//!   call `mpi::ffi` directly; rsmpi provides initialization, finalization and the bindings.)
//! * MPI counts and displacements are C ints. `alltoallv` (the trait's) needs no rounds: it sends
//!   with MPI_Alltoallw and one derived datatype per message, straight from the caller's messages
//!   into the returned ones (no copy), in blocks of at most 1 GiB. `alltoallv_packed`,
//!   `alltoallv_via_packing`, `allgather` and `broadcast_bytes` use MPI_Alltoallv / MPI_Allgatherv /
//!   MPI_Bcast in rounds: each round moves at most `round_bytes / size` bytes (1 GiB / size by
//!   default) between each pair of ranks, so no rank sends or receives more than 1 GiB in one
//!   call; rounds beyond the first go through staging buffers. Messages of any size (up to memory)
//!   work (tested with 2.25 GiB).
//! * No rank is left waiting in a collective because another rank gave up: a rank with bad
//!   arguments (or that cannot allocate its send buffer) still takes part in the count exchange and
//!   poisons it; before a large receive every rank agrees that every rank could allocate it. All the
//!   ranks then return an error instead of hanging.
//! * Threading: MPI is called by one thread at a time (`MPI_THREAD_SERIALIZED`). `MpiComm` is `Send`
//!   but not `Sync`; two threads calling MPI at once get an error (not undefined behaviour).

use crate::comm::{Comm, SpmdComm};
use ir::{Error, Result};
use mpi::environment::{Threading, Universe};
use mpi::ffi;
use std::os::raw::{c_char, c_int, c_void};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

/// The most bytes one rank sends, or receives, in one MPI call (a C int must hold the total).
pub const DEFAULT_ROUND_BYTES: usize = 1 << 30;

/// Receives whose size (bounded over all ranks) reaches this are preceded by an agreement that
/// every rank could allocate its receive buffer; smaller ones are assumed to (a failure aborts).
const AGREE_ALLOC_BYTES: u64 = 1 << 20;

/// Sent instead of a rank's largest message size when the rank cannot take part in an exchange.
const POISON: u64 = u64::MAX;

/// The universe of this process, from [`init`] until [`finalize`]; `None` if we did not initialize
/// MPI (not launched by mpirun, someone else initialized it, or already finalized).
static UNIVERSE: Mutex<Option<(Universe, Threading)>> = Mutex::new(None);

/// Set while a thread is inside an MPI call made by this module (MPI_THREAD_SERIALIZED guard).
static IN_MPI: AtomicBool = AtomicBool::new(false);

/// Derived datatypes `(count, type)` for MPI_Alltoallw, freed on drop (count 0: a predefined type).
struct Types(Vec<(c_int, ffi::MPI_Datatype)>);

impl Drop for Types {
    fn drop(&mut self) {
        for (n, t) in &mut self.0 {
            if *n > 0 {
                let _ = with_mpi("MPI_Type_free", || unsafe { ffi::MPI_Type_free(t) });
            }
        }
    }
}

/// Send staging (empty, with capacity) and receive staging (zeroed) for the rounds of an exchange.
type Staging = (Vec<u8>, Vec<u8>);

/// Whether a process launcher (OpenMPI's mpirun, a PMIx or PMI launcher) started this process.
pub fn launched_by_mpirun() -> bool {
    ["OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK"].iter().any(|v| std::env::var_os(v).is_some())
}

/// The MPI communicator of a new session, or `None` when the process was not launched by mpirun
/// (then MPI is not touched at all) or MPI has already been finalized.
///
/// The first call initializes MPI (`MPI_THREAD_SERIALIZED` requested). Every call returns a new
/// communicator (a duplicate of `MPI_COMM_WORLD`), so sessions do not see each other's messages;
/// like all collectives, `init` must be called by every rank. If MPI was initialized by someone
/// else (mpi4py in the same process), it is used as is and [`finalize`] leaves it to its owner.
/// If MPI is up but the communicator cannot be created, the whole job is aborted (a rank that went
/// on alone would leave the others waiting forever).
pub fn init() -> Option<MpiComm> {
    if !launched_by_mpirun() {
        return None;
    }
    let mut universe = UNIVERSE.lock().unwrap_or_else(|e| e.into_inner());
    if mpi::environment::is_finalized() {
        return None;
    }
    if universe.is_none() && !mpi::environment::is_initialized() {
        *universe = Some(mpi::initialize_with_threading(Threading::Serialized)?);
    }
    drop(universe);
    match MpiComm::dup_world() {
        Ok(c) => Some(c),
        Err(e) => {
            eprintln!("starp: cannot create an MPI communicator: {e}");
            // SAFETY: MPI is initialized and not finalized (checked above).
            unsafe { ffi::MPI_Abort(ffi::RSMPI_COMM_WORLD, 1) };
            std::process::exit(1)
        }
    }
}

/// Finalizes MPI if [`init`] initialized it (mpirun reports an error for a process that exits
/// without). Collective: every rank must call it. Communicators still alive afterwards return
/// errors and are not freed. Calling it again, or without MPI, does nothing.
pub fn finalize() {
    let universe = UNIVERSE.lock().unwrap_or_else(|e| e.into_inner()).take();
    drop(universe); // Universe::drop calls MPI_Finalize.
}

/// The thread level MPI granted, if [`init`] initialized MPI and it is not finalized.
pub fn threading() -> Option<Threading> {
    UNIVERSE.lock().unwrap_or_else(|e| e.into_inner()).as_ref().map(|u| u.1)
}

/// How many ranks of this job run on this host (`OMPI_COMM_WORLD_LOCAL_SIZE`, or MPICH's
/// `MPI_LOCALNRANKS`; 1 when unknown), for sizing per-rank thread pools.
pub fn local_ranks_on_host() -> usize {
    ["OMPI_COMM_WORLD_LOCAL_SIZE", "MPI_LOCALNRANKS"]
        .iter()
        .find_map(|v| std::env::var(v).ok()?.trim().parse::<usize>().ok())
        .unwrap_or(1)
        .max(1)
}

/// One rank's endpoint of an MPI communicator (its own duplicate of `MPI_COMM_WORLD`).
pub struct MpiComm {
    comm: ffi::MPI_Comm,
    rank: usize,
    size: usize,
    round_bytes: usize,
}

// SAFETY: an MPI communicator handle is a process-wide object that any thread may use, provided
// MPI is not called concurrently (MPI_THREAD_SERIALIZED). `MpiComm` is not `Sync`, and every call
// goes through `MpiComm::call`, which refuses to enter MPI while another thread is inside.
unsafe impl Send for MpiComm {}

impl Drop for MpiComm {
    fn drop(&mut self) {
        if !mpi::environment::is_finalized() && !IN_MPI.swap(true, Ordering::Acquire) {
            // SAFETY: `comm` is our duplicate, not yet freed; MPI is live.
            unsafe { ffi::MPI_Comm_free(&mut self.comm) };
            IN_MPI.store(false, Ordering::Release);
        }
    }
}

fn internal(msg: String) -> Error {
    Error::Internal(msg)
}

fn error_string(code: c_int) -> String {
    let mut buf = vec![0 as c_char; ffi::MPI_MAX_ERROR_STRING as usize + 1];
    let mut len: c_int = 0;
    // SAFETY: buf holds MPI_MAX_ERROR_STRING chars, as MPI_Error_string requires.
    let rc = unsafe { ffi::MPI_Error_string(code, buf.as_mut_ptr(), &mut len) };
    if rc != ffi::MPI_SUCCESS as c_int {
        return format!("MPI error code {code}");
    }
    let bytes: Vec<u8> = buf[..len.clamp(0, ffi::MPI_MAX_ERROR_STRING as c_int) as usize].iter().map(|&c| c as u8).collect();
    format!("{} (MPI error code {code})", String::from_utf8_lossy(&bytes))
}

fn c_count(n: usize, what: &str) -> Result<c_int> {
    c_int::try_from(n).map_err(|_| internal(format!("{what}: {n} does not fit an MPI count (a C int)")))
}

/// A zero-filled buffer of `n` bytes, or `Error::Memory` instead of an abort.
fn zeroed(n: usize, what: &str) -> Result<Vec<u8>> {
    if n == 0 {
        return Ok(Vec::new());
    }
    let oom = || Error::Memory(format!("could not allocate {n} bytes to receive {what}"));
    let layout = std::alloc::Layout::array::<u8>(n).map_err(|_| oom())?;
    // SAFETY: the layout has non-zero size; a non-null result is a fresh allocation of `n` zeroed
    // bytes with the layout `Vec<u8>` uses (align 1, capacity `n`), so the Vec may own it.
    unsafe {
        let p = std::alloc::alloc_zeroed(layout);
        if p.is_null() {
            return Err(oom());
        }
        Ok(Vec::from_raw_parts(p, n, n))
    }
}

/// Rounds needed to move messages of at most `max_len` bytes, `chunk` bytes per round.
fn rounds_for(max_len: u64, chunk: usize) -> usize {
    max_len.div_ceil(chunk as u64) as usize
}

/// The byte range of a message of `len` bytes sent in round `k` of `chunk` bytes per round.
fn round_range(len: usize, chunk: usize, k: usize) -> std::ops::Range<usize> {
    let start = k.saturating_mul(chunk).min(len);
    start..start.saturating_add(chunk).min(len)
}

/// A pointer to pass MPI for a buffer. An empty Vec's pointer is `NonNull::dangling()`, which for
/// bytes is `(void *) 1`: OpenMPI's `MPI_IN_PLACE`. Empty buffers get a real (unused) address.
fn send_ptr(buf: &[u8]) -> *const c_void {
    static EMPTY: u8 = 0;
    if buf.is_empty() { &EMPTY as *const u8 as *const c_void } else { buf.as_ptr() as *const c_void }
}

fn recv_ptr(buf: &mut [u8], empty: &mut u8) -> *mut c_void {
    if buf.is_empty() { empty as *mut u8 as *mut c_void } else { buf.as_mut_ptr() as *mut c_void }
}

/// Exclusive prefix sums as C ints (the caller has bounded the total).
fn displs(counts: &[c_int]) -> Vec<c_int> {
    counts
        .iter()
        .scan(0 as c_int, |acc, &c| {
            let d = *acc;
            *acc += c;
            Some(d)
        })
        .collect()
}

/// Splits a receive buffer into one message per source.
fn split(buf: &[u8], counts: &[usize]) -> Result<Vec<Vec<u8>>> {
    let mut out = Vec::with_capacity(counts.len());
    let mut at = 0;
    for &n in counts {
        let mut v = Vec::new();
        v.try_reserve_exact(n).map_err(|_| Error::Memory(format!("could not allocate {n} bytes for a received message")))?;
        v.extend_from_slice(&buf[at..at + n]);
        out.push(v);
        at += n;
    }
    Ok(out)
}

impl MpiComm {
    fn dup_world() -> Result<MpiComm> {
        let mut comm: ffi::MPI_Comm = unsafe { ffi::RSMPI_COMM_NULL };
        let world = unsafe { ffi::RSMPI_COMM_WORLD };
        with_mpi("MPI_Comm_dup", || unsafe { ffi::MPI_Comm_dup(world, &mut comm) })?;
        let mut c = MpiComm { comm, rank: 0, size: 1, round_bytes: DEFAULT_ROUND_BYTES };
        c.call("MPI_Comm_set_errhandler", || unsafe { ffi::MPI_Comm_set_errhandler(comm, ffi::RSMPI_ERRORS_RETURN) })?;
        let (mut rank, mut size): (c_int, c_int) = (0, 0);
        c.call("MPI_Comm_rank", || unsafe { ffi::MPI_Comm_rank(comm, &mut rank) })?;
        c.call("MPI_Comm_size", || unsafe { ffi::MPI_Comm_size(comm, &mut size) })?;
        c.rank = rank as usize;
        c.size = size as usize;
        Ok(c)
    }

    /// Changes the most bytes one rank moves per MPI call (default [`DEFAULT_ROUND_BYTES`]); tests
    /// use a tiny value to exercise the rounds. Every rank must set the same value.
    pub fn set_round_bytes(&mut self, n: usize) {
        self.round_bytes = n.clamp(1, DEFAULT_ROUND_BYTES);
    }

    /// Bytes moved between one pair of ranks in one round.
    fn chunk(&self) -> usize {
        (self.round_bytes / self.size).max(1)
    }

    fn call(&self, what: &str, f: impl FnOnce() -> c_int) -> Result<()> {
        with_mpi(what, f).map_err(|e| match e {
            Error::Internal(m) => internal(format!("{m} (rank {} of {})", self.rank, self.size)),
            e => e,
        })
    }

    // ---- typed wrappers around the MPI calls ----

    fn alltoall_u64(&self, send: &[u64]) -> Result<Vec<u64>> {
        let k = c_count(send.len() / self.size, "MPI_Alltoall")?;
        let mut recv = vec![0u64; send.len()];
        self.call("MPI_Alltoall", || unsafe {
            ffi::MPI_Alltoall(
                send.as_ptr() as *const c_void,
                k,
                ffi::RSMPI_UINT64_T,
                recv.as_mut_ptr() as *mut c_void,
                k,
                ffi::RSMPI_UINT64_T,
                self.comm,
            )
        })?;
        Ok(recv)
    }

    fn allgather_u64(&self, x: u64) -> Result<Vec<u64>> {
        let mut recv = vec![0u64; self.size];
        self.call("MPI_Allgather", || unsafe {
            ffi::MPI_Allgather(
                &x as *const u64 as *const c_void,
                1,
                ffi::RSMPI_UINT64_T,
                recv.as_mut_ptr() as *mut c_void,
                1,
                ffi::RSMPI_UINT64_T,
                self.comm,
            )
        })?;
        Ok(recv)
    }

    fn allreduce_min_u64(&self, x: u64) -> Result<u64> {
        let mut out = 0u64;
        self.call("MPI_Allreduce", || unsafe {
            ffi::MPI_Allreduce(
                &x as *const u64 as *const c_void,
                &mut out as *mut u64 as *mut c_void,
                1,
                ffi::RSMPI_UINT64_T,
                ffi::RSMPI_MIN,
                self.comm,
            )
        })?;
        Ok(out)
    }

    fn bcast_u64(&self, x: u64, root: usize) -> Result<u64> {
        let mut v = x;
        self.call("MPI_Bcast", || unsafe {
            ffi::MPI_Bcast(&mut v as *mut u64 as *mut c_void, 1, ffi::RSMPI_UINT64_T, root as c_int, self.comm)
        })?;
        Ok(v)
    }

    /// One MPI_Alltoallv of bytes; the caller guarantees each buffer total fits a C int.
    fn alltoallv_bytes(&self, send: &[u8], scounts: &[c_int], recv: &mut [u8], rcounts: &[c_int]) -> Result<()> {
        let (sdispls, rdispls) = (displs(scounts), displs(rcounts));
        debug_assert!(scounts.iter().map(|&c| c as usize).sum::<usize>() <= send.len());
        debug_assert!(rcounts.iter().map(|&c| c as usize).sum::<usize>() <= recv.len());
        let mut empty = 0u8;
        let rptr = recv_ptr(recv, &mut empty);
        self.call("MPI_Alltoallv", || unsafe {
            ffi::MPI_Alltoallv(
                send_ptr(send),
                scounts.as_ptr(),
                sdispls.as_ptr(),
                ffi::RSMPI_UINT8_T,
                rptr,
                rcounts.as_ptr(),
                rdispls.as_ptr(),
                ffi::RSMPI_UINT8_T,
                self.comm,
            )
        })
    }

    fn allgatherv_bytes(&self, send: &[u8], recv: &mut [u8], rcounts: &[c_int]) -> Result<()> {
        let rdispls = displs(rcounts);
        let scount = c_count(send.len(), "MPI_Allgatherv")?;
        debug_assert!(rcounts.iter().map(|&c| c as usize).sum::<usize>() <= recv.len());
        let mut empty = 0u8;
        let rptr = recv_ptr(recv, &mut empty);
        self.call("MPI_Allgatherv", || unsafe {
            ffi::MPI_Allgatherv(
                send_ptr(send),
                scount,
                ffi::RSMPI_UINT8_T,
                rptr,
                rcounts.as_ptr(),
                rdispls.as_ptr(),
                ffi::RSMPI_UINT8_T,
                self.comm,
            )
        })
    }

    /// Every rank learns whether every rank could allocate what it needs for a large receive (one
    /// tiny allreduce). `bound` is the same on every rank; below the threshold a failure aborts.
    fn agree_alloc<T>(&self, local: Result<T>, bound: u64, what: &str) -> Result<T> {
        if bound < AGREE_ALLOC_BYTES {
            return match local {
                Ok(t) => Ok(t),
                // Cannot tell the peers; die rather than leave them waiting.
                Err(_) => std::alloc::handle_alloc_error(std::alloc::Layout::new::<u8>()),
            };
        }
        let failed = self.allreduce_min_u64(if local.is_ok() { u64::MAX } else { self.rank as u64 })?;
        match local {
            Err(e) => Err(e),
            Ok(_) if failed != u64::MAX => {
                Err(Error::Memory(format!("rank {failed} could not allocate its buffer to receive {what}")))
            }
            Ok(t) => Ok(t),
        }
    }

    // ---- all-to-all ----

    /// Count exchange of an all-to-all: sends `counts[d]` and this rank's largest message to rank
    /// `d` (or POISON when `counts` is `None`). Returns the counts received, by source, and the
    /// largest message of any rank, or an error on every rank if some rank poisoned it.
    fn exchange_counts(&self, counts: Option<&[u64]>) -> Result<(Vec<usize>, u64)> {
        let p = self.size;
        let mut head = vec![0u64; 2 * p];
        match counts {
            Some(c) => {
                let my_max = c.iter().copied().max().unwrap_or(0);
                for d in 0..p {
                    head[2 * d] = c[d];
                    head[2 * d + 1] = my_max;
                }
            }
            None => head.iter_mut().for_each(|h| *h = POISON),
        }
        let got = self.alltoall_u64(&head)?;
        let poisoned: Vec<usize> = (0..p).filter(|&s| got[2 * s + 1] == POISON).collect();
        if !poisoned.is_empty() {
            return Err(internal(format!(
                "alltoallv: rank(s) {poisoned:?} could not take part in the exchange (see their error)"
            )));
        }
        let max = (0..p).map(|s| got[2 * s + 1]).max().unwrap_or(0);
        let recv = (0..p)
            .map(|s| usize::try_from(got[2 * s]).map_err(|_| internal(format!("alltoallv: {} bytes from rank {s}", got[2 * s]))))
            .collect::<Result<Vec<_>>>()?;
        Ok((recv, max))
    }

    /// Staging buffers for the rounds of an exchange: the most this rank sends in one round (as
    /// capacity) and receives in one round (zeroed), for messages of `send` and `recv` bytes.
    fn staging(&self, send: impl Iterator<Item = usize>, recv: impl Iterator<Item = usize>) -> Result<Staging> {
        let c = self.chunk();
        let (sbytes, rbytes): (usize, usize) = (send.map(|n| n.min(c)).sum(), recv.map(|n| n.min(c)).sum());
        let mut sstage = Vec::new();
        sstage
            .try_reserve_exact(sbytes)
            .map_err(|_| Error::Memory(format!("could not allocate {sbytes} bytes to stage an exchange")))?;
        Ok((sstage, zeroed(rbytes, "an exchange")?))
    }

    /// Takes part in an all-to-all that this rank cannot do, so that the others fail instead of
    /// waiting; returns `err`.
    fn poison_alltoallv<T>(&self, err: Error) -> Result<T> {
        let _ = self.exchange_counts(None);
        Err(err)
    }

    /// The rounds of an all-to-all too large for one MPI call: round `k` moves bytes
    /// `[k * chunk, (k + 1) * chunk)` of every message through staging buffers.
    /// `stage` comes from [`staging`](Self::staging).
    fn alltoallv_rounds(&self, srcs: &[&[u8]], dsts: &mut [&mut [u8]], rounds: usize, stage: Staging) -> Result<()> {
        let c = self.chunk();
        let (mut sstage, mut rstage) = stage;
        let mut scounts = vec![0 as c_int; self.size];
        let mut rcounts = vec![0 as c_int; self.size];
        for k in 0..rounds {
            sstage.clear();
            for (d, s) in srcs.iter().enumerate() {
                let r = round_range(s.len(), c, k);
                scounts[d] = r.len() as c_int;
                sstage.extend_from_slice(&s[r]);
            }
            for (s, d) in dsts.iter().enumerate() {
                rcounts[s] = round_range(d.len(), c, k).len() as c_int;
            }
            self.alltoallv_bytes(&sstage, &scounts, &mut rstage, &rcounts)?;
            let mut at = 0;
            for d in dsts.iter_mut() {
                let r = round_range(d.len(), c, k);
                let n = r.len();
                d[r].copy_from_slice(&rstage[at..at + n]);
                at += n;
            }
        }
        Ok(())
    }

    /// All-to-all on one contiguous send buffer (messages to rank 0, 1, ... back to back, sizes
    /// `send_counts`), through MPI_Alltoallv: returns the received bytes, by source rank, and
    /// their sizes. Copies nothing when every message fits one round (1 GiB / size); larger ones
    /// go in rounds through staging buffers.
    pub fn alltoallv_packed(&self, send: &[u8], send_counts: &[usize]) -> Result<(Vec<u8>, Vec<usize>)> {
        let p = self.size;
        if send_counts.len() != p || send_counts.iter().sum::<usize>() != send.len() {
            return self.poison_alltoallv(internal(format!(
                "alltoallv: {} counts summing to {} for {p} ranks and a {}-byte buffer",
                send_counts.len(),
                send_counts.iter().sum::<usize>(),
                send.len()
            )));
        }
        let counts: Vec<u64> = send_counts.iter().map(|&n| n as u64).collect();
        let (rcounts, max) = self.exchange_counts(Some(&counts))?;
        let total: usize = rcounts.iter().sum();
        let rounds = rounds_for(max, self.chunk());
        let bound = max.saturating_mul(p as u64);
        let bufs = zeroed(total, "an all-to-all").and_then(|recv| {
            let stage = if rounds > 1 { Some(self.staging(send_counts.iter().copied(), rcounts.iter().copied())?) } else { None };
            Ok((recv, stage))
        });
        let (mut recv, stage) = self.agree_alloc(bufs, bound, "an all-to-all")?;
        if let Some(stage) = stage {
            let mut srcs = Vec::with_capacity(p);
            let mut at = 0;
            for &n in send_counts {
                srcs.push(&send[at..at + n]);
                at += n;
            }
            let mut dsts = Vec::with_capacity(p);
            let mut rest = &mut recv[..];
            for &n in &rcounts {
                let (head, tail) = rest.split_at_mut(n);
                dsts.push(head);
                rest = tail;
            }
            self.alltoallv_rounds(&srcs, &mut dsts, rounds, stage)?;
        } else if rounds == 1 {
            let sc: Vec<c_int> = send_counts.iter().map(|&n| n as c_int).collect();
            let rc: Vec<c_int> = rcounts.iter().map(|&n| n as c_int).collect();
            self.alltoallv_bytes(send, &sc, &mut recv, &rc)?;
        }
        Ok((recv, rcounts))
    }

    /// A datatype covering `buf` at its absolute address (for MPI_BOTTOM), in blocks of at most
    /// `round_bytes` (a block length is a C int); `(0, bytes)` for an empty buffer.
    fn abs_type(&self, buf: &[u8]) -> Result<(c_int, ffi::MPI_Datatype)> {
        let byte = unsafe { ffi::RSMPI_UINT8_T };
        if buf.is_empty() {
            return Ok((0, byte));
        }
        let lens: Vec<c_int> = buf.chunks(self.round_bytes).map(|c| c.len() as c_int).collect();
        let addrs: Vec<ffi::MPI_Aint> = buf.chunks(self.round_bytes).map(|c| c.as_ptr() as ffi::MPI_Aint).collect();
        let n = c_count(lens.len(), "MPI_Type_create_hindexed")?;
        let mut t = byte;
        self.call("MPI_Type_create_hindexed", || unsafe {
            ffi::MPI_Type_create_hindexed(n, lens.as_ptr(), addrs.as_ptr(), byte, &mut t)
        })?;
        let made = Types(vec![(1, t)]); // freed if the commit fails
        self.call("MPI_Type_commit", || unsafe { ffi::MPI_Type_commit(&mut t) })?;
        std::mem::forget(made);
        Ok((1, t))
    }

    /// One datatype per buffer (see `abs_type`); those made so far are freed on an error.
    fn abs_types<'a>(&self, bufs: impl Iterator<Item = &'a [u8]>) -> Result<Types> {
        let mut types = Types(Vec::new());
        for b in bufs {
            types.0.push(self.abs_type(b)?);
        }
        Ok(types)
    }

    /// [`Comm::alltoallv`] without copies (the trait method calls it): MPI_Alltoall of the sizes,
    /// then one MPI_Alltoallw with a derived datatype per message (its absolute address, relative
    /// to MPI_BOTTOM, in blocks of at most 1 GiB), so that MPI reads the caller's messages and
    /// writes the returned ones directly: no packing, no splitting, no rounds, whatever the sizes.
    pub fn alltoallv_zero_copy(&self, send: Vec<Vec<u8>>) -> Result<Vec<Vec<u8>>> {
        let p = self.size;
        if send.len() != p {
            return self.poison_alltoallv(internal(format!("alltoallv: {} messages for {p} ranks", send.len())));
        }
        let stypes = match self.abs_types(send.iter().map(|m| &m[..])) {
            Ok(t) => t,
            Err(e) => return self.poison_alltoallv(e),
        };
        let counts: Vec<u64> = send.iter().map(|m| m.len() as u64).collect();
        let (rcounts, max) = self.exchange_counts(Some(&counts))?;
        let bufs = rcounts.iter().map(|&n| zeroed(n, "an all-to-all")).collect::<Result<Vec<Vec<u8>>>>().and_then(|outs| {
            let rtypes = self.abs_types(outs.iter().map(|m| &m[..]))?; // heap addresses: stable when `outs` moves
            Ok((outs, rtypes))
        });
        let (outs, rtypes) = self.agree_alloc(bufs, max.saturating_mul(p as u64), "an all-to-all")?;
        if max == 0 {
            return Ok(outs);
        }
        let (sc, st): (Vec<c_int>, Vec<ffi::MPI_Datatype>) = stypes.0.iter().copied().unzip();
        let (rc, rt): (Vec<c_int>, Vec<ffi::MPI_Datatype>) = rtypes.0.iter().copied().unzip();
        let zeros = vec![0 as c_int; p];
        self.call("MPI_Alltoallw", || unsafe {
            ffi::MPI_Alltoallw(
                std::ptr::null(), // MPI_BOTTOM (0 in OpenMPI and MPICH): the types hold addresses
                sc.as_ptr(),
                zeros.as_ptr(),
                st.as_ptr(),
                std::ptr::null_mut(),
                rc.as_ptr(),
                zeros.as_ptr(),
                rt.as_ptr(),
                self.comm,
            )
        })?;
        drop(send);
        Ok(outs)
    }

    /// [`Comm::alltoallv`] through MPI_Alltoallv: MPI_Alltoall of the sizes, then MPI_Alltoallv of
    /// the bytes. The messages are packed into one buffer (one copy) and the received buffer is
    /// split into messages (a second copy); messages larger than a round (1 GiB / size) go in
    /// several rounds through staging buffers. Slower than `alltoallv_zero_copy` (the default;
    /// 2x at 4 ranks x 8 MB); kept for MPI libraries whose MPI_Alltoallw is slow or broken.
    pub fn alltoallv_via_packing(&self, send: Vec<Vec<u8>>) -> Result<Vec<Vec<u8>>> {
        let p = self.size;
        if send.len() != p {
            return self.poison_alltoallv(internal(format!("alltoallv: {} messages for {p} ranks", send.len())));
        }
        let counts: Vec<u64> = send.iter().map(|m| m.len() as u64).collect();
        let my_max = counts.iter().copied().max().unwrap_or(0);
        let c = self.chunk();
        if my_max > c as u64 {
            // Several rounds for this rank, hence for all: stage each round from the messages.
            let (rcounts, max) = self.exchange_counts(Some(&counts))?;
            let bufs = rcounts.iter().map(|&n| zeroed(n, "an all-to-all")).collect::<Result<Vec<Vec<u8>>>>().and_then(|outs| {
                Ok((outs, self.staging(send.iter().map(Vec::len), rcounts.iter().copied())?))
            });
            let (mut outs, stage) = self.agree_alloc(bufs, max.saturating_mul(p as u64), "an all-to-all")?;
            let srcs: Vec<&[u8]> = send.iter().map(|m| &m[..]).collect();
            let mut dsts: Vec<&mut [u8]> = outs.iter_mut().map(|m| &mut m[..]).collect();
            self.alltoallv_rounds(&srcs, &mut dsts, rounds_for(max, c), stage)?;
            return Ok(outs);
        }
        // The common case: pack (freeing each message once copied), then exchange the buffer.
        let total: usize = send.iter().map(Vec::len).sum();
        let mut packed = Vec::new();
        if packed.try_reserve_exact(total).is_err() {
            return self.poison_alltoallv(Error::Memory(format!("could not allocate {total} bytes to send an all-to-all")));
        }
        for m in send {
            packed.extend_from_slice(&m);
        }
        let counts: Vec<usize> = counts.iter().map(|&n| n as usize).collect();
        let (recv, rcounts) = self.alltoallv_packed(&packed, &counts)?;
        drop(packed);
        split(&recv, &rcounts)
    }

    // ---- one-to-all and agreements ----

    /// Rank `root`'s `data` on every rank (the other ranks' `data` is ignored).
    pub fn broadcast_bytes(&self, root: usize, data: Vec<u8>) -> Result<Vec<u8>> {
        if root >= self.size {
            return Err(internal(format!("broadcast from rank {root} of {}", self.size)));
        }
        let len = self.bcast_u64(data.len() as u64, root)?;
        let mut buf = if self.rank == root {
            self.agree_alloc(Ok(data), len, "a broadcast")?
        } else {
            drop(data);
            let n = usize::try_from(len).map_err(|_| internal(format!("broadcast of {len} bytes")));
            self.agree_alloc(n.and_then(|n| zeroed(n, "a broadcast")), len, "a broadcast")?
        };
        for piece in buf.chunks_mut(self.round_bytes) {
            let n = piece.len() as c_int;
            self.call("MPI_Bcast", || unsafe {
                ffi::MPI_Bcast(piece.as_mut_ptr() as *mut c_void, n, ffi::RSMPI_UINT8_T, root as c_int, self.comm)
            })?;
        }
        Ok(buf)
    }

    /// Every rank learns whether some rank failed this step. `Ok(())` everywhere if every rank
    /// passed `None`; otherwise every rank returns the error of the lowest failing rank, the same
    /// variant and message (so a `LinAlg` error on rank 2 is a `LinAlgError` on every rank).
    /// One tiny allreduce when all is well.
    pub fn agree_error(&self, local: Option<&Error>) -> Result<()> {
        let failed = self.allreduce_min_u64(if local.is_none() { u64::MAX } else { self.rank as u64 })?;
        if failed == u64::MAX {
            return Ok(());
        }
        let root = failed as usize;
        let payload = match local {
            // Encoding an `Error` (an enum of strings) into a Vec does not fail; if it did, the
            // peers would report that they could not decode it.
            Some(e) if self.rank == root => postcard::to_allocvec(e).unwrap_or_default(),
            _ => Vec::new(),
        };
        let bytes = self.broadcast_bytes(root, payload)?;
        Err(postcard::from_bytes::<Error>(&bytes)
            .unwrap_or_else(|e| internal(format!("rank {root} failed, and its error could not be decoded: {e}"))))
    }

    /// [`agree_error`](Self::agree_error) on a result: `Ok(t)` if every rank succeeded, else the
    /// same error on every rank.
    pub fn agree_result<T>(&self, local: Result<T>) -> Result<T> {
        match local {
            Ok(t) => self.agree_error(None).map(|()| t),
            Err(e) => {
                self.agree_error(Some(&e))?;
                Err(e) // unreachable: agree_error returns the (lowest) failing rank's error
            }
        }
    }

    /// Every rank learns whether any rank failed ([`SpmdComm::agree_status`]): `Ok(())` everywhere
    /// if all are ok, else on every rank the same error, from the lowest failing rank's `message`:
    /// the error it encodes (`Error::encode`), or `Internal("rank R failed: <message>")`.
    pub fn agree_status(&self, ok: bool, message: &str) -> Result<()> {
        let err = (!ok).then(|| {
            Error::decode(message).unwrap_or_else(|| internal(format!("rank {} failed: {message}", self.rank)))
        });
        self.agree_error(err.as_ref())
    }

    /// Checks that every rank built the same plan: an error on every rank naming the ranks whose
    /// hash differs from rank 0's.
    pub fn agree_hash(&self, h: u64) -> Result<()> {
        let all = self.allgather_u64(h)?;
        let differ: Vec<usize> = (1..self.size).filter(|&r| all[r] != all[0]).collect();
        if differ.is_empty() {
            return Ok(());
        }
        let hashes: Vec<String> = differ.iter().map(|&r| format!("rank {r}: {:016x}", all[r])).collect();
        Err(internal(format!(
            "the plan differs between ranks: rank(s) {differ:?} built a different plan from rank 0 \
             (rank 0: {:016x}, {}); every rank must run the same program on the same data (SPMD)",
            all[0],
            hashes.join(", ")
        )))
    }

    pub fn barrier(&self) -> Result<()> {
        self.call("MPI_Barrier", || unsafe { ffi::MPI_Barrier(self.comm) })
    }

    /// Aborts every rank of the job with exit code `code` (for a failure that cannot be agreed on).
    pub fn abort(&self, code: i32) -> ! {
        if !mpi::environment::is_finalized() {
            // SAFETY: MPI is live; MPI_Abort does not return on success.
            unsafe { ffi::MPI_Abort(self.comm, code as c_int) };
        }
        std::process::exit(code)
    }
}

/// Runs one MPI call, unless MPI is finalized or another thread is inside MPI; a failure is an
/// `Error::Internal` with MPI's message.
fn with_mpi(what: &str, f: impl FnOnce() -> c_int) -> Result<()> {
    if mpi::environment::is_finalized() {
        return Err(internal(format!("{what} called after MPI was finalized")));
    }
    if IN_MPI.swap(true, Ordering::Acquire) {
        return Err(internal(format!(
            "{what}: two threads called MPI at the same time (MPI runs at MPI_THREAD_SERIALIZED)"
        )));
    }
    let rc = f();
    IN_MPI.store(false, Ordering::Release);
    if rc == ffi::MPI_SUCCESS as c_int {
        Ok(())
    } else {
        Err(internal(format!("{what} failed: {}", error_string(rc))))
    }
}

impl Comm for MpiComm {
    fn rank(&self) -> usize {
        self.rank
    }

    fn size(&self) -> usize {
        self.size
    }

    /// MPI_Alltoall of the sizes, then MPI_Alltoallw of the bytes straight from and into the
    /// messages ([`alltoallv_zero_copy`](MpiComm::alltoallv_zero_copy)).
    fn alltoallv(&self, send: Vec<Vec<u8>>) -> Result<Vec<Vec<u8>>> {
        self.alltoallv_zero_copy(send)
    }

    /// MPI_Allgather of the sizes, then MPI_Allgatherv of the bytes (in rounds when large).
    fn allgather(&self, data: Vec<u8>) -> Result<Vec<Vec<u8>>> {
        let p = self.size;
        let counts = self.allgather_u64(data.len() as u64)?;
        let max = counts.iter().copied().max().unwrap_or(0);
        let counts = counts
            .iter()
            .map(|&n| usize::try_from(n).map_err(|_| internal(format!("allgather of {n} bytes"))))
            .collect::<Result<Vec<usize>>>()?;
        let c = self.chunk();
        let rounds = rounds_for(max, c);
        let bound = max.saturating_mul(p as u64);
        if rounds <= 1 {
            let total: usize = counts.iter().sum();
            let mut recv = self.agree_alloc(zeroed(total, "an allgather"), bound, "an allgather")?;
            if rounds == 1 {
                let rc: Vec<c_int> = counts.iter().map(|&n| n as c_int).collect();
                self.allgatherv_bytes(&data, &mut recv, &rc)?;
            }
            drop(data);
            return split(&recv, &counts);
        }
        let bufs = counts.iter().map(|&n| zeroed(n, "an allgather")).collect::<Result<Vec<Vec<u8>>>>().and_then(|outs| {
            Ok((outs, zeroed(counts.iter().map(|&n| n.min(c)).sum(), "an allgather")?))
        });
        let (mut outs, mut stage) = self.agree_alloc(bufs, bound, "an allgather")?;
        let mut rc = vec![0 as c_int; p];
        for k in 0..rounds {
            for (s, &n) in counts.iter().enumerate() {
                rc[s] = round_range(n, c, k).len() as c_int;
            }
            self.allgatherv_bytes(&data[round_range(data.len(), c, k)], &mut stage, &rc)?;
            let mut at = 0;
            for out in outs.iter_mut() {
                let r = round_range(out.len(), c, k);
                let n = r.len();
                out[r].copy_from_slice(&stage[at..at + n]);
                at += n;
            }
        }
        Ok(outs)
    }
}

impl SpmdComm for MpiComm {
    fn broadcast_bytes(&self, root: usize, data: Vec<u8>) -> Result<Vec<u8>> {
        MpiComm::broadcast_bytes(self, root, data)
    }
    fn agree_status(&self, ok: bool, message: &str) -> Result<()> {
        MpiComm::agree_status(self, ok, message)
    }
    fn agree_hash(&self, h: u64) -> Result<()> {
        MpiComm::agree_hash(self, h)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_cover_every_byte_once() {
        for chunk in [1, 3, 7, 64] {
            for len in [0usize, 1, 2, 6, 7, 8, 63, 64, 65, 200] {
                let rounds = rounds_for(len as u64, chunk);
                let mut covered = 0;
                for k in 0..rounds + 2 {
                    let r = round_range(len, chunk, k);
                    assert!(r.len() <= chunk);
                    if k < rounds {
                        assert_eq!(r.start, covered);
                    } else {
                        assert!(r.is_empty());
                    }
                    covered += r.len();
                }
                assert_eq!(covered, len, "len {len} chunk {chunk}");
            }
        }
        assert_eq!(rounds_for(0, 5), 0);
        assert_eq!(rounds_for(5, 5), 1);
        assert_eq!(rounds_for(6, 5), 2);
    }

    #[test]
    fn prefix_sums() {
        assert_eq!(displs(&[3, 0, 2, 5]), vec![0, 3, 3, 5]);
        assert_eq!(split(&[1, 2, 3, 4, 5], &[2, 0, 3]).unwrap(), vec![vec![1, 2], vec![], vec![3, 4, 5]]);
    }

    #[test]
    fn zeroed_buffers() {
        assert!(zeroed(0, "x").unwrap().is_empty());
        assert!(zeroed(1 << 20, "x").unwrap().iter().all(|&b| b == 0));
        assert!(matches!(zeroed(usize::MAX / 2, "x"), Err(Error::Memory(_))));
    }

    #[test]
    fn not_launched_by_mpirun_means_no_mpi() {
        if !launched_by_mpirun() {
            assert!(init().is_none());
            assert!(!mpi::environment::is_initialized());
            finalize(); // a no-op
        }
        assert!(local_ranks_on_host() >= 1);
    }
}

/// Aborts every rank of the job (from Python's excepthook: an uncaught exception on one rank
/// must end the job rather than leave the other ranks waiting in a collective).
pub fn abort_world(code: i32) -> ! {
    if mpi::environment::is_initialized() && !mpi::environment::is_finalized() {
        // SAFETY: MPI is initialized and not finalized; MPI_Abort does not return on success.
        unsafe { ffi::MPI_Abort(ffi::RSMPI_COMM_WORLD, code as c_int) };
    }
    std::process::exit(code)
}
