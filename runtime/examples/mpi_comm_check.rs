//! Checks `MpiComm` under `mpirun -n P` (see scripts/mpi-check): uneven all-to-alls (empty messages,
//! a rank that sends nothing, rounds), allgather, broadcast, the agreements, a poisoned exchange,
//! two communicators at once, errors after finalize, and the time of an all-to-all of P x 8 MB.
//! Prints `mpi_comm_check: P ranks OK` on rank 0; any failure aborts the job with a non-zero code.
//! `STARP_MPI_CHECK_BIG=1` adds messages larger than 2 GiB (needs P >= 2 and about 5 GiB per rank).

use ir::Error;
use starp_runtime::comm::{Comm, SpmdComm};
use starp_runtime::mpi_comm::{self, MpiComm, DEFAULT_ROUND_BYTES};
use std::time::Instant;

macro_rules! check {
    ($comm:expr, $cond:expr, $($arg:tt)*) => {
        if !$cond {
            fail($comm, format!($($arg)*));
        }
    };
}

fn fail(comm: &MpiComm, msg: String) -> ! {
    eprintln!("mpi_comm_check: rank {} of {}: FAILED: {msg}", comm.rank(), comm.size());
    comm.abort(1)
}

fn ok<T>(comm: &MpiComm, r: ir::Result<T>, what: &str) -> T {
    r.unwrap_or_else(|e| fail(comm, format!("{what}: unexpected error {e:?}")))
}

fn pattern(s: usize, d: usize, len: usize, salt: usize) -> Vec<u8> {
    (0..len).map(|i| (i.wrapping_mul(31) ^ (s * 7 + d * 13 + salt)) as u8).collect()
}

/// Uneven sizes: empty messages, and the last rank sends nothing at all.
fn uneven(s: usize, d: usize, p: usize, scale: usize) -> usize {
    if (p > 1 && s == p - 1) || (s + 2 * d + 1).is_multiple_of(3) {
        0
    } else {
        (s * 5 + d * 11) % 17 * scale + s + 1
    }
}

/// Rank 0 sends large messages, the others small ones (so only some ranks need rounds locally).
fn one_big(s: usize, d: usize, _p: usize, scale: usize) -> usize {
    if s == 0 {
        50 * scale + d
    } else {
        (s + d) % 3
    }
}

type Sizes = fn(usize, usize, usize, usize) -> usize;

fn check_alltoallv(comm: &MpiComm, sizes: Sizes, scale: usize, salt: usize, what: &str) {
    let (r, p) = (comm.rank(), comm.size());
    let send: Vec<Vec<u8>> = (0..p).map(|d| pattern(r, d, sizes(r, d, p, scale), salt)).collect();
    let expect: Vec<Vec<u8>> = (0..p).map(|s| pattern(s, r, sizes(s, r, p, scale), salt)).collect();

    let got = ok(comm, comm.alltoallv(send.clone()), what);
    check!(comm, got == expect, "{what}: alltoallv received the wrong bytes (sizes {:?})", got.iter().map(Vec::len).collect::<Vec<_>>());
    let got = ok(comm, comm.alltoallv_via_packing(send.clone()), what);
    check!(comm, got == expect, "{what}: alltoallv_via_packing received the wrong bytes");

    let counts: Vec<usize> = send.iter().map(Vec::len).collect();
    let packed: Vec<u8> = send.concat();
    let (buf, rcounts) = ok(comm, comm.alltoallv_packed(&packed, &counts), what);
    check!(comm, rcounts == expect.iter().map(Vec::len).collect::<Vec<_>>(), "{what}: alltoallv_packed counts {rcounts:?}");
    check!(comm, buf == expect.concat(), "{what}: alltoallv_packed received the wrong bytes");
}

fn check_allgather(comm: &MpiComm, scale: usize, what: &str) {
    let (r, p) = (comm.rank(), comm.size());
    let len = |s: usize| if p > 1 && s == p - 1 { 0 } else { (s * 3 + 1) * scale };
    let got = ok(comm, comm.allgather(pattern(r, 99, len(r), 5)), what);
    let expect: Vec<Vec<u8>> = (0..p).map(|s| pattern(s, 99, len(s), 5)).collect();
    check!(comm, got == expect, "{what}: allgather sizes {:?}", got.iter().map(Vec::len).collect::<Vec<_>>());
}

fn check_broadcast(comm: &MpiComm, scale: usize, what: &str) {
    let (r, p) = (comm.rank(), comm.size());
    for root in 0..p {
        for len in [0, (root + 1) * 7 * scale] {
            let mine = if r == root { pattern(root, 0, len, 3) } else { pattern(r, 1, r * 5, 4) };
            let got = ok(comm, comm.broadcast_bytes(root, mine), what);
            check!(comm, got == pattern(root, 0, len, 3), "{what}: broadcast from {root} of {len} bytes got {} bytes", got.len());
        }
    }
}

/// Every rank's `Debug` of `e`, so that ranks can check they all hold the same error.
fn same_everywhere(comm: &MpiComm, e: &Error, what: &str) {
    let mine = format!("{e:?}").into_bytes();
    let all = ok(comm, comm.allgather(mine.clone()), what);
    check!(comm, all.iter().all(|x| *x == mine), "{what}: ranks hold different errors: {:?}",
        all.iter().map(|x| String::from_utf8_lossy(x).into_owned()).collect::<Vec<_>>());
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

/// Time of one collective `run(setup())`: the slowest rank's, each repetition starting at a
/// barrier; `setup` and dropping the result are not timed.
fn time_max<T, U>(comm: &MpiComm, reps: usize, mut setup: impl FnMut() -> T, mut run: impl FnMut(T) -> U) -> f64 {
    drop(run(setup())); // warm up
    let mut times = Vec::new();
    for _ in 0..reps {
        let input = setup();
        ok(comm, comm.barrier(), "barrier");
        let t = Instant::now();
        let out = std::hint::black_box(run(input));
        let mine = t.elapsed().as_secs_f64();
        drop(out);
        let all = ok(comm, comm.allgather(mine.to_le_bytes().to_vec()), "allgather of times");
        times.push(all.iter().map(|b| f64::from_le_bytes(b[..8].try_into().unwrap())).fold(0.0, f64::max));
    }
    median(times)
}

fn big(comm: &MpiComm) {
    let (r, p) = (comm.rank(), comm.size());
    if p < 2 {
        return;
    }
    let n: usize = (9 << 28) + 12345; // 2.25 GiB + a bit
    let byte = |i: usize| (i % 251) as u8 ^ 0x5a;
    let t = Instant::now();
    for packing in [false, true] {
        let send: Vec<Vec<u8>> = (0..p).map(|d| if r == 0 && d == 1 { (0..n).map(byte).collect() } else { vec![r as u8; d % 2] }).collect();
        let got = ok(comm, if packing { comm.alltoallv_via_packing(send) } else { comm.alltoallv(send) }, "big alltoallv");
        if r == 1 {
            check!(comm, got[0].len() == n, "big alltoallv: {} bytes from rank 0", got[0].len());
            check!(comm, got[0].iter().enumerate().all(|(i, &b)| b == byte(i)), "big alltoallv (packing {packing}): wrong bytes");
        }
        for (s, m) in got.iter().enumerate() {
            if !(s == 0 && r == 1) {
                check!(comm, *m == vec![s as u8; r % 2], "big alltoallv: small message from {s}");
            }
        }
    }
    let data = if r == 0 { (0..n).map(byte).collect() } else { Vec::new() };
    let got = ok(comm, comm.broadcast_bytes(0, data), "big broadcast");
    check!(comm, got.len() == n && got.iter().enumerate().all(|(i, &b)| b == byte(i)), "big broadcast: wrong bytes");
    if r == 0 {
        println!("mpi_comm_check: messages of {:.2} GiB (alltoallv, broadcast) OK in {:.1} s", n as f64 / (1u64 << 30) as f64, t.elapsed().as_secs_f64());
    }
}

fn main() {
    let Some(mut comm) = mpi_comm::init() else {
        eprintln!("mpi_comm_check: not launched by mpirun (run scripts/mpi-check)");
        std::process::exit(2);
    };
    let (r, p) = (comm.rank(), comm.size());

    // All-to-all with uneven sizes, in one round, then in many (tiny rounds force the staging path).
    for (scale, salt) in [(1, 0), (1000, 1), (100_000, 2)] {
        check_alltoallv(&comm, uneven, scale, salt, &format!("uneven x{scale}"));
    }
    check_alltoallv(&comm, one_big, 100_000, 3, "one big sender");
    let nothing: Sizes = |_, _, _, _| 0;
    check_alltoallv(&comm, nothing, 1, 0, "all empty");
    check_allgather(&comm, 1, "allgather");
    check_allgather(&comm, 300_000, "large allgather");
    check_broadcast(&comm, 1, "broadcast");
    check_broadcast(&comm, 200_000, "large broadcast");

    comm.set_round_bytes(1000);
    check_alltoallv(&comm, uneven, 100, 7, "rounds, uneven");
    check_alltoallv(&comm, one_big, 100, 8, "rounds, one big sender");
    check_allgather(&comm, 400, "rounds, allgather");
    check_broadcast(&comm, 100, "rounds, broadcast");
    comm.set_round_bytes(DEFAULT_ROUND_BYTES);

    // Agreements: nobody fails; one rank fails; two ranks fail with a typed error.
    ok(&comm, comm.agree_status(true, ""), "agree_status, all ok");
    let e = comm.agree_status(r != p - 1, &format!("boom on rank {r}"));
    let expect = Error::Internal(format!("rank {} failed: boom on rank {}", p - 1, p - 1));
    check!(&comm, e.as_ref().err() == Some(&expect), "agree_status: got {e:?}, expected Err({expect:?})");
    same_everywhere(&comm, &e.unwrap_err(), "agree_status");
    // Through the session's trait, with an encoded error (what sessions pass): the same kind everywhere.
    let spmd: &dyn SpmdComm = &comm;
    let fails = r == p - 1 || r == p / 2;
    let e = spmd.agree_status(!fails, &Error::Value(format!("bad shape on rank {r}")).encode());
    let expect = Error::Value(format!("bad shape on rank {}", p / 2));
    check!(&comm, e.as_ref().err() == Some(&expect), "SpmdComm::agree_status: got {e:?}, expected Err({expect:?})");
    let mine: ir::Result<u32> = if r == p / 2 || r == p - 1 { Err(Error::LinAlg(format!("Singular matrix (rank {r})"))) } else { Ok(7) };
    let e = comm.agree_result(mine);
    let expect = Error::LinAlg(format!("Singular matrix (rank {})", p / 2));
    check!(&comm, e.as_ref().err() == Some(&expect), "agree_result: got {e:?}, expected Err({expect:?})");
    check!(&comm, ok(&comm, comm.agree_result(Ok(5u8)), "agree_result, all ok") == 5, "agree_result value");

    ok(&comm, comm.agree_hash(0xfeed_beef), "agree_hash, all equal");
    if p > 1 {
        let e = comm.agree_hash(if r == p - 1 { 0xbad } else { 0xfeed_beef });
        let msg = match &e {
            Err(Error::Internal(m)) => m.clone(),
            other => fail(&comm, format!("agree_hash with a mismatch: got {other:?}")),
        };
        check!(&comm, msg.contains(&format!("rank(s) [{}]", p - 1)) && msg.contains("0000000000000bad"), "agree_hash message: {msg}");
        same_everywhere(&comm, &e.unwrap_err(), "agree_hash");
    }

    // A rank that passes bad arguments: every rank gets an error, nobody hangs, and the
    // communicator still works afterwards.
    let bad = if r == p - 1 { p + 1 } else { p };
    let e = comm.alltoallv(vec![vec![1u8; 3]; bad]);
    check!(&comm, matches!(e, Err(Error::Internal(_))), "poisoned alltoallv: got {e:?}");
    let mut counts = vec![0; if r == 0 { p + 1 } else { p }];
    counts[0] = 3;
    let e = comm.alltoallv_packed(&[1, 2, 3], &counts);
    check!(&comm, matches!(e, Err(Error::Internal(_))), "poisoned alltoallv_packed: got {e:?}");
    check_alltoallv(&comm, uneven, 10, 9, "after a poisoned exchange");

    // Two communicators (two sessions) at once do not mix their messages.
    let comm2 = mpi_comm::init().unwrap_or_else(|| fail(&comm, "second init returned None".into()));
    let a = ok(&comm2, comm2.alltoallv((0..p).map(|d| vec![2, d as u8]).collect()), "second comm");
    let b = ok(&comm, comm.alltoallv((0..p).map(|d| vec![1, d as u8]).collect()), "first comm");
    check!(&comm, a.iter().all(|m| *m == vec![2, r as u8]) && b.iter().all(|m| *m == vec![1, r as u8]), "two communicators mixed");
    drop(comm2);
    ok(&comm, comm.barrier(), "barrier");

    // Time: every rank sends 8 MB to every rank.
    let mb8 = 8 << 20;
    let msgs: Vec<Vec<u8>> = (0..p).map(|d| vec![d as u8; mb8]).collect();
    let t_vec = time_max(&comm, 7, || msgs.clone(), |send| ok(&comm, comm.alltoallv(send), "timed alltoallv"));
    let t_pack = time_max(&comm, 7, || msgs.clone(), |send| ok(&comm, comm.alltoallv_via_packing(send), "timed alltoallv_via_packing"));
    // What alltoallv pays besides moving bytes: freeing the messages sent, and fresh receive
    // buffers (page faults) written once.
    let t_alloc = time_max(&comm, 7, || msgs.clone(), |send| {
        drop(send);
        (0..p).map(|_| vec![1u8; mb8]).collect::<Vec<_>>()
    });
    let packed = msgs.concat();
    let counts = vec![mb8; p];
    let t_packed = time_max(&comm, 7, || (), |()| ok(&comm, comm.alltoallv_packed(&packed, &counts), "timed alltoallv_packed"));
    if r == 0 {
        let gb = (p * mb8) as f64 / 1e9;
        println!(
            "mpi_comm_check: alltoallv of {p} x 8 MB per rank (median of 7, slowest rank): {:.1} ms \
             ({:.2} GB/s sent per rank); via packing + MPI_Alltoallv {:.1} ms; \
             alltoallv_packed (one borrowed buffer) {:.1} ms; freeing the sent and filling fresh \
             receive buffers alone {:.1} ms",
            t_vec * 1e3,
            gb / t_vec,
            t_pack * 1e3,
            t_packed * 1e3,
            t_alloc * 1e3,
        );
        println!(
            "mpi_comm_check: {} local ranks, threading {:?}",
            mpi_comm::local_ranks_on_host(),
            mpi_comm::threading()
        );
    }

    if std::env::var_os("STARP_MPI_CHECK_BIG").is_some() {
        big(&comm);
    }

    ok(&comm, comm.barrier(), "final barrier");
    mpi_comm::finalize();
    // After finalize: errors, not crashes.
    let e = comm.alltoallv(vec![Vec::new(); p]);
    if !matches!(e, Err(Error::Internal(_))) || comm.barrier().is_ok() || mpi_comm::init().is_some() {
        eprintln!("mpi_comm_check: rank {r}: FAILED: calls after finalize: {e:?}");
        std::process::exit(1);
    }
    mpi_comm::finalize(); // a second call does nothing
    drop(comm); // not freed after finalize
    if r == 0 {
        println!("mpi_comm_check: {p} ranks OK");
    }
}
