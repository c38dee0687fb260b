//! Persistent in-process ranks: one thread per rank, each owning its store, waiting for plans.
//!
//! Like MPI ranks, they live as long as the session; a plan is sent to every rank together with
//! a fresh communicator group, so a rank that fails drops its endpoint and its peers see an error
//! rather than waiting forever.

use crate::buffer::LocalBuf;
use crate::comm::{in_process, InProcComm};
use crate::executor::{execute, RankStore};
use ir::{Error, NodeId, Result};
use optimizer::plan::Plan;
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

pub type RankOutputs = Vec<(NodeId, LocalBuf)>;

struct Job {
    plan: Arc<Plan>,
    comm: InProcComm,
}

pub struct RankPool {
    pub stores: Vec<Arc<Mutex<RankStore>>>,
    jobs: Vec<Sender<Job>>,
    results: Receiver<(usize, Result<RankOutputs>)>,
    threads: Vec<JoinHandle<()>>,
}

impl RankPool {
    pub fn new(ranks: usize) -> Result<RankPool> {
        let stores: Vec<Arc<Mutex<RankStore>>> = (0..ranks).map(|_| Arc::new(Mutex::new(RankStore { local_ranks: ranks, ..Default::default() }))).collect();
        let (res_tx, results) = channel();
        let mut jobs = Vec::new();
        let mut threads = Vec::new();
        for (rank, store) in stores.iter().enumerate() {
            let (tx, rx) = channel::<Job>();
            let store = store.clone();
            let res_tx = res_tx.clone();
            let t = std::thread::Builder::new()
                .name(format!("starp-rank-{rank}"))
                .spawn(move || {
                    while let Ok(job) = rx.recv() {
                        let r = {
                            let mut st = store.lock().unwrap_or_else(|e| e.into_inner());
                            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| execute(&job.plan, &job.comm, &mut st)))
                        };
                        drop(job.comm);
                        let r = r.unwrap_or_else(|p| Err(crate::session::panic_error(p)));
                        if res_tx.send((rank, r)).is_err() {
                            break;
                        }
                    }
                })
                .map_err(|e| Error::Internal(format!("cannot start rank thread {rank}: {e}")))?;
            jobs.push(tx);
            threads.push(t);
        }
        Ok(RankPool { stores, jobs, results, threads })
    }

    /// Runs `plan` on every rank; each rank's outputs, by rank.
    pub fn run(&self, plan: Arc<Plan>) -> Result<Vec<RankOutputs>> {
        let p = self.jobs.len();
        for (tx, comm) in self.jobs.iter().zip(in_process(p)) {
            tx.send(Job { plan: plan.clone(), comm }).map_err(|_| Error::Internal("a rank thread has exited".into()))?;
        }
        let mut out: Vec<Option<Result<RankOutputs>>> = (0..p).map(|_| None).collect();
        for _ in 0..p {
            let (r, res) = self.results.recv().map_err(|_| Error::Internal("a rank thread has exited".into()))?;
            out[r] = Some(res);
        }
        let results: Vec<Result<RankOutputs>> = out.into_iter().map(|r| r.expect("every rank answered")).collect();
        // Report the root cause, not a peer's "rank stopped" echo of it.
        if results.iter().any(|r| r.is_err()) {
            let errs: Vec<Error> = results.into_iter().filter_map(|r| r.err()).collect();
            let root = errs.iter().find(|e| !e.to_string().contains("stopped in the middle of a collective")).cloned();
            return Err(root.unwrap_or_else(|| errs[0].clone()));
        }
        results.into_iter().collect()
    }
}

impl Drop for RankPool {
    fn drop(&mut self) {
        self.jobs.clear();
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }
}
