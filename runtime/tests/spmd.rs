//! SPMD sessions: P copies of one program, each a rank over a communicator, agree on results and
//! fail together. In-process ranks stand in for MPI here; the same code runs under mpirun.

use starp_runtime::api::Operand;
use starp_runtime::comm::in_process;
use starp_runtime::Session;
use ir::op::{BinaryOp, ReduceOp};
use ir::DType;

/// The program every rank runs: (x + x.T).sum(axis=0) and x.sum(), on a 7x7 array.
fn program(s: &mut Session) -> ir::Result<(Vec<f64>, f64)> {
    let data: Vec<f64> = (0..49).map(|i| i as f64 * 0.5 - 3.0).collect();
    let bytes: Vec<u8> = data.iter().flat_map(|v| v.to_ne_bytes()).collect();
    let x = s.from_host(DType::F64, &[7, 7], &bytes)?;
    let t = s.transpose(&x, None)?;
    let y = s.binary(BinaryOp::Add, &Operand::Array(x.clone()), &Operand::Array(t))?;
    let col = s.reduce(ReduceOp::Sum, &y, Some(&[0]), false)?;
    let all = s.reduce(ReduceOp::Sum, &x, None, false)?;
    let got = s.fetch_many(&[col, all], &[false, false])?;
    let f = |b: &[u8]| b.chunks_exact(8).map(|c| f64::from_ne_bytes(c.try_into().unwrap())).collect::<Vec<_>>();
    Ok((f(got[0].bytes()), f(got[1].bytes())[0]))
}

#[test]
fn every_rank_gets_the_same_answer_as_one_rank() {
    let mut solo = Session::new(1).unwrap();
    let want = program(&mut solo).unwrap();
    for p in 1..=4 {
        let results: Vec<_> = std::thread::scope(|sc| {
            let hs: Vec<_> = in_process(p)
                .into_iter()
                .map(|c| sc.spawn(move || program(&mut Session::spmd(Box::new(c)).unwrap()).unwrap()))
                .collect();
            hs.into_iter().map(|h| h.join().unwrap()).collect()
        });
        for r in &results {
            assert_eq!(r, &want, "P = {p}");
        }
    }
}

#[test]
fn a_rank_that_plans_differently_fails_on_every_rank() {
    let results: Vec<ir::Result<()>> = std::thread::scope(|sc| {
        let hs: Vec<_> = in_process(3)
            .into_iter()
            .enumerate()
            .map(|(r, c)| {
                sc.spawn(move || {
                    let mut s = Session::spmd(Box::new(c))?;
                    let n = if r == 1 { 5 } else { 6 };
                    let a = s.full(&[n], starp_runtime::api::PyScalar::Float(1.0), DType::F64)?;
                    s.fetch_many(&[a], &[false]).map(|_| ())
                })
            })
            .collect();
        hs.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for r in results {
        let e = r.expect_err("every rank must fail");
        assert!(e.to_string().contains("planned a different computation"), "{e}");
    }
}
