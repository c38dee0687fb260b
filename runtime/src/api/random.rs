//! Counter-based random numbers: element i of draw k of a stream is Philox(seed, k, i), so the
//! numbers do not depend on the rank count. Each call on a generator takes the next draw.

use super::PyScalar;
use crate::session::{Arr, Session};
use ir::op::{BinaryOp, RandomDist};
use ir::{DType, Node, NodeId, Op, Result, Scalar};

/// A stream: a seed and the number of draws taken from it.
#[derive(Clone, Copy, Debug)]
pub struct RngState {
    pub seed: u64,
    pub draw: u64,
}

impl RngState {
    pub fn new(seed: u64) -> RngState {
        RngState { seed, draw: 0 }
    }

    /// An unseeded stream. (Under MPI the seed will come from rank 0.)
    pub fn from_entropy() -> RngState {
        use std::hash::{BuildHasher, Hasher};
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u128(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0));
        RngState::new(h.finish())
    }

    fn next(&mut self) -> (u64, u64) {
        let d = self.draw;
        self.draw += 1;
        (self.seed, d)
    }
}

/// What to draw.
#[derive(Clone, Copy, Debug)]
pub enum Draw {
    /// Uniform in [low, high).
    Uniform { low: f64, high: f64 },
    /// Normal(loc, scale).
    Normal { loc: f64, scale: f64 },
    /// Integers in [low, high).
    Integers { low: i128, high: i128 },
}

impl Session {
    pub fn random(&mut self, rng: &mut RngState, draw: Draw, shape: &[usize], dtype: DType) -> Result<Arr> {
        let (seed, k) = rng.next();
        let node = match draw {
            Draw::Uniform { low, high } => {
                let u = self.random_node(RandomDist::Uniform01, seed, k, 0, shape);
                self.affine_f64(u, high - low, low, shape, (low, high) == (0.0, 1.0))
            }
            Draw::Normal { loc, scale } => {
                ir::ensure!(scale >= 0.0, Value, "scale < 0");
                let z = self.random_node(RandomDist::Normal, seed, k, 0, shape);
                self.affine_f64(z, scale, loc, shape, (loc, scale) == (0.0, 1.0))
            }
            Draw::Integers { low, high } => {
                ir::ensure!(low < high, Value, "low >= high");
                if let Some((lo, hi)) = ir::dtype::int_range(dtype) {
                    ir::ensure!(low >= lo, Value, "low is out of bounds for {dtype}");
                    ir::ensure!(high - 1 <= hi, Value, "high is out of bounds for {dtype}");
                }
                let range = (high - low) as u64; // 2^64 wraps to 0, which means the full range.
                let r = self.random_node(RandomDist::Bounded, seed, k, range, shape);
                // low + r, computed in uint64 with wrapping, then reinterpreted: exact for every dtype.
                let lo = self.fill_node(&[], Scalar::UInt(low as i64 as u64), DType::U64);
                self.graph.add(Node { op: Op::Binary(BinaryOp::Add), inputs: vec![r, lo], shape: shape.to_vec(), dtype: DType::U64 })
            }
        };
        let node = self.cast_node(node, dtype);
        self.new_array(node)
    }

    fn random_node(&mut self, dist: RandomDist, seed: u64, draw: u64, range: u64, shape: &[usize]) -> NodeId {
        let dtype = if matches!(dist, RandomDist::Bounded) { DType::U64 } else { DType::F64 };
        self.graph.add(Node { op: Op::Random { dist, seed, draw, range }, inputs: vec![], shape: shape.to_vec(), dtype })
    }

    fn affine_f64(&mut self, x: NodeId, scale: f64, shift: f64, shape: &[usize], identity: bool) -> NodeId {
        if identity {
            return x;
        }
        let s = self.fill_node(&[], Scalar::Float(scale), DType::F64);
        let m = self.graph.add(Node { op: Op::Binary(BinaryOp::Mul), inputs: vec![x, s], shape: shape.to_vec(), dtype: DType::F64 });
        let c = self.fill_node(&[], Scalar::Float(shift), DType::F64);
        self.graph.add(Node { op: Op::Binary(BinaryOp::Add), inputs: vec![m, c], shape: shape.to_vec(), dtype: DType::F64 })
    }
}

/// Python ints for seeds may be negative or big: NumPy rejects negatives.
pub fn seed_from(p: PyScalar) -> Result<u64> {
    match p {
        PyScalar::Int(i) if (0..=u64::MAX as i128).contains(&i) => Ok(i as u64),
        PyScalar::Int(_) => ir::bail!(Value, "Seed must be between 0 and 2**64 - 1"),
        _ => ir::bail!(Type, "Cannot cast scalar from dtype('float64') to dtype('int64') according to the rule 'safe'"),
    }
}
