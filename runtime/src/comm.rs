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
