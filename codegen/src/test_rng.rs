//! The tests' random numbers: xorshift64*, small, deterministic, no dependency.

pub(crate) struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }

    /// A value with a uniformly random exponent in [emin, emax] and sign.
    pub fn log_uniform(&mut self, emin: i32, emax: i32, signed: bool) -> f64 {
        let e = emin + (self.next() % (emax - emin + 1) as u64) as i32;
        let m = 1.0 + self.unit();
        let v = m * 2f64.powi(e);
        if signed && self.next() & 1 == 1 {
            -v
        } else {
            v
        }
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    pub fn pick<T: Copy>(&mut self, v: &[T]) -> T {
        v[self.below(v.len())]
    }
}
