//! The communicator the executor talks to: MPI ranks or in-process ranks (threads).
//!
//! Collectives are blocking, as MPI's are, so a rank that skips a collective shows up as a hang in
//! tests. A rank that fails drops its endpoint; peers then get an error instead of waiting forever.

use ir::{Error, Result};
use std::sync::mpsc::{channel, Receiver, Sender};

pub trait Comm: Send {
    fn rank(&self) -> usize;
    fn size(&self) -> usize;
    /// Sends `send[d]` to rank `d`; returns what every rank sent to this one, by source rank.
    fn alltoallv(&self, send: Vec<Vec<u8>>) -> Result<Vec<Vec<u8>>>;

    /// Every rank's `data`, by rank.
    fn allgather(&self, data: Vec<u8>) -> Result<Vec<Vec<u8>>> {
        self.alltoallv(vec![data; self.size()])
    }
}

/// One rank of a group of threads in this process.
pub struct InProcComm {
    rank: usize,
    to: Vec<Sender<Vec<u8>>>,
    from: Vec<Receiver<Vec<u8>>>,
}

/// A group of `p` in-process ranks, one endpoint each. No global state: groups are independent.
pub fn in_process(p: usize) -> Vec<InProcComm> {
    let mut senders: Vec<Vec<Option<Sender<Vec<u8>>>>> = (0..p).map(|_| (0..p).map(|_| None).collect()).collect();
    let mut receivers: Vec<Vec<Option<Receiver<Vec<u8>>>>> = (0..p).map(|_| (0..p).map(|_| None).collect()).collect();
    for s in 0..p {
        for d in 0..p {
            let (tx, rx) = channel();
            senders[s][d] = Some(tx);
            receivers[d][s] = Some(rx);
        }
    }
    senders
        .into_iter()
        .zip(receivers)
        .enumerate()
        .map(|(rank, (to, from))| InProcComm {
            rank,
            to: to.into_iter().map(|t| t.expect("made")).collect(),
            from: from.into_iter().map(|r| r.expect("made")).collect(),
        })
        .collect()
}

fn peer_failed(rank: usize) -> Error {
    Error::Internal(format!("rank {rank} stopped in the middle of a collective (it failed; see its error)"))
}

impl Comm for InProcComm {
    fn rank(&self) -> usize {
        self.rank
    }

    fn size(&self) -> usize {
        self.to.len()
    }

    fn alltoallv(&self, send: Vec<Vec<u8>>) -> Result<Vec<Vec<u8>>> {
        for (d, msg) in send.into_iter().enumerate() {
            self.to[d].send(msg).map_err(|_| peer_failed(d))?;
        }
        self.from.iter().enumerate().map(|(s, rx)| rx.recv().map_err(|_| peer_failed(s))).collect()
    }
}

/// The single rank of an embedded session with one rank.
pub struct SoloComm;

impl Comm for SoloComm {
    fn rank(&self) -> usize {
        0
    }
    fn size(&self) -> usize {
        1
    }
    fn alltoallv(&self, send: Vec<Vec<u8>>) -> Result<Vec<Vec<u8>>> {
        Ok(send)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_to_all_between_threads() {
        let comms = in_process(3);
        let out: Vec<Vec<Vec<u8>>> = std::thread::scope(|s| {
            let hs: Vec<_> = comms
                .into_iter()
                .map(|c| s.spawn(move || c.alltoallv((0..3).map(|d| vec![c.rank() as u8 * 10 + d as u8]).collect()).unwrap()))
                .collect();
            hs.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert_eq!(out[1], vec![vec![1], vec![11], vec![21]]);
    }

    #[test]
    fn a_failed_rank_is_an_error_not_a_hang() {
        let mut comms = in_process(2);
        let c1 = comms.pop().unwrap();
        drop(comms); // rank 0 fails before the collective
        assert!(c1.alltoallv(vec![vec![], vec![]]).is_err());
    }
}

/// What a session needs when this process is one rank of an SPMD job (every rank runs the same
/// program): collectives for results, and agreement so that all ranks fail together.
pub trait SpmdComm: Comm {
    /// `data` from `root`, on every rank.
    fn broadcast_bytes(&self, root: usize, data: Vec<u8>) -> Result<Vec<u8>>;
    /// Ok on every rank if every rank is ok; otherwise the same error (the first failing rank's
    /// message) on every rank.
    fn agree_status(&self, ok: bool, message: &str) -> Result<()>;
    /// Checks that every rank planned the same thing (the hash of its plan).
    fn agree_hash(&self, h: u64) -> Result<()>;
}

/// Default implementations in terms of `alltoallv`, shared by in-process ranks and tests.
pub fn broadcast_via_alltoall(c: &dyn Comm, root: usize, data: Vec<u8>) -> Result<Vec<u8>> {
    let send = (0..c.size()).map(|_| if c.rank() == root { data.clone() } else { Vec::new() }).collect();
    let mut recv = c.alltoallv(send)?;
    Ok(std::mem::take(&mut recv[root]))
}

pub fn agree_status_via_allgather(c: &dyn Comm, ok: bool, message: &str) -> Result<()> {
    let mut msg = vec![u8::from(ok)];
    msg.extend_from_slice(message.as_bytes());
    let all = c.allgather(msg)?;
    for (r, m) in all.iter().enumerate() {
        if m.first() == Some(&0) {
            let text = String::from_utf8_lossy(&m[1..]).into_owned();
            return Err(Error::decode(&text).unwrap_or_else(|| Error::Internal(format!("rank {r} failed: {text}"))));
        }
    }
    Ok(())
}

pub fn agree_hash_via_allgather(c: &dyn Comm, h: u64) -> Result<()> {
    let all = c.allgather(h.to_le_bytes().to_vec())?;
    let hs: Vec<u64> = all.iter().map(|b| u64::from_le_bytes(b[..8].try_into().unwrap_or([0; 8]))).collect();
    let bad: Vec<usize> = (0..hs.len()).filter(|&r| hs[r] != hs[0]).collect();
    if bad.is_empty() {
        Ok(())
    } else {
        Err(Error::Internal(format!(
            "ranks {bad:?} planned a different computation than rank 0: every rank must run the same program (SPMD)"
        )))
    }
}

impl SpmdComm for InProcComm {
    fn broadcast_bytes(&self, root: usize, data: Vec<u8>) -> Result<Vec<u8>> {
        broadcast_via_alltoall(self, root, data)
    }
    fn agree_status(&self, ok: bool, message: &str) -> Result<()> {
        agree_status_via_allgather(self, ok, message)
    }
    fn agree_hash(&self, h: u64) -> Result<()> {
        agree_hash_via_allgather(self, h)
    }
}
