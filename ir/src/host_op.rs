//! Host ops: whole-array computations done by a library on one rank's full copy of the inputs
//! (LAPACK for `numpy.linalg`, rustfft for `numpy.fft`).
//!
//! A host node's inputs are replicated on every rank before it runs, and every rank computes
//! the same output from the same data with the same library, so the output is replicated too
//! and its consumers read any slice of it without communication ("rank-local for now").
//!
//! Multi-output functions (qr, svd, eigh, slogdet, lstsq, ...) give one node per output, each
//! with its `output` index. Lowering groups the host nodes that differ only in that index and
//! read the same inputs into one step, which runs the library once and fills every requested
//! output; an output nobody asked for is never built. Every parameter that changes what is
//! computed is part of the op, so CSE merges only equal computations.
//!
//! Linear algebra runs in float64 / complex128, as NumPy's does (its `_commonType`); the graph
//! casts inputs up and results back to NumPy's result dtype around the host node.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum FftKind {
    /// Complex -> complex, forward (`fft`).
    Forward,
    /// Complex -> complex, backward (`ifft`).
    Inverse,
    /// Real -> half spectrum of `n / 2 + 1` (`rfft`).
    RealForward,
    /// Half spectrum -> `n` reals (`irfft`).
    RealInverse,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum FftNorm {
    Backward,
    Ortho,
    Forward,
}

impl FftNorm {
    pub fn name(self) -> &'static str {
        match self {
            FftNorm::Backward => "backward",
            FftNorm::Ortho => "ortho",
            FftNorm::Forward => "forward",
        }
    }
}

impl FftKind {
    pub fn name(self) -> &'static str {
        match self {
            FftKind::Forward => "fft",
            FftKind::Inverse => "ifft",
            FftKind::RealForward => "rfft",
            FftKind::RealInverse => "irfft",
        }
    }

    pub fn is_forward(self) -> bool {
        matches!(self, FftKind::Forward | FftKind::RealForward)
    }

    /// The factor the result is multiplied by (NumPy's `fct`), for transform length `n`.
    pub fn scale(self, norm: FftNorm, n: usize) -> f64 {
        let n = n as f64;
        match (norm, self.is_forward()) {
            (FftNorm::Ortho, _) => 1.0 / n.sqrt(),
            (FftNorm::Backward, true) | (FftNorm::Forward, false) => 1.0,
            (FftNorm::Backward, false) | (FftNorm::Forward, true) => 1.0 / n,
        }
    }
}

/// What a host node computes. Matrix functions work on the last two axes and loop over the
/// leading (batch) axes; inputs arrive as float64 or complex128.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum HostOp {
    /// `inv(a)`.
    Inv,
    /// `solve(a, b)`; `vector`: b is `(m,)` (NumPy's `solve1`), else `(..., m, k)`. Batch axes
    /// broadcast.
    Solve { vector: bool },
    /// LU-based determinant pieces: output 0 sign, 1 log|det|, 2 det (= sign * exp(log|det|),
    /// as NumPy computes it).
    Det { output: usize },
    /// `cholesky(a, upper=)`.
    Cholesky { upper: bool },
    /// Householder QR: output 0 Q, 1 R; `complete`: Q is m x m (and R m x n) when m > n.
    Qr { complete: bool, output: usize },
    /// `eigh` / `eigvalsh`: output 0 eigenvalues (float64, ascending), 1 eigenvectors.
    Eigh { upper: bool, vectors: bool, output: usize },
    /// `eig` / `eigvals`: output 0 eigenvalues, 1 eigenvectors, both complex128.
    Eig { vectors: bool, output: usize },
    /// `svd`: output 0 U, 1 S (float64, descending), 2 Vh.
    Svd { full_matrices: bool, compute_uv: bool, output: usize },
    /// `lstsq` of 2-d a and b: output 0 x, 1 residuals (per column of b, float64), 2 rank
    /// (int32), 3 singular values (float64).
    Lstsq { rcond: f64, output: usize },
    /// `pinv(a, rcond)`.
    Pinv { rcond: f64 },
    /// `matrix_rank`: singular values above `tol` (absolute) or above `rtol * max(S)`; `single`
    /// compares in float32 as NumPy does for single-precision inputs.
    MatrixRank { tol: Option<f64>, rtol: f64, single: bool },
    /// A 1-d FFT of length `n` along `axis` (input truncated or zero-padded to `n`, or to
    /// `n / 2 + 1` for `RealInverse`), in the input's precision.
    Fft { kind: FftKind, axis: usize, n: usize, norm: FftNorm },
    // ---- data-dependent selection and sorting (runtime/src/host/{select,sort}.rs) ----
    /// Gather: output element i is the element at flat offset `idx[i]` (input 1, int64) of
    /// input 0 read as one row-major array (fancy and boolean-mask reads, `take`).
    Take,
    /// Scatter: a copy of input 0 with the element at flat offset `idx[i]` (input 1, int64) set
    /// to `values[i % len(values)]` (input 2), in order: the last write wins (`a[idx] = v`, `put`).
    Put,
    /// Stable sort along `axis` in NumPy's order (NaNs last, complex lexicographic): output 0
    /// the sorted values, 1 the int64 permutation (`argsort`).
    Sort { axis: usize, output: usize },
    /// `searchsorted(a, v)`: input 0 the sorted 1-d `a`, input 1 `v` (same dtype); int64.
    SearchSorted { right: bool },
    /// `cumsum` (or `cumprod` when `prod`) along `axis`, in the input's dtype (integers wrap).
    Cumulative { prod: bool, axis: usize },
    /// `quantile(method='linear')` along `axis` at each of `q`, in NumPy's arithmetic: the
    /// difference in the input's precision, the interpolation in the output's. Output shape
    /// `(len(q),) + the other axes`; a lane holding a NaN gives NaN. `f32_index`: q was a
    /// float32 array, so NumPy computes the virtual index, its fraction and `1 - fraction` in
    /// float32.
    Quantile {
        axis: usize,
        q: Vec<f64>,
        #[serde(default)]
        f32_index: bool,
    },
    /// `median` along `axis`: the middle element, or the mean of the middle two, in the
    /// input's dtype (the graph casts integers to float64); NaN when the lane holds one.
    Median { axis: usize },
}

impl HostOp {
    /// Which output of the computation this node is.
    pub fn output(&self) -> usize {
        match self {
            HostOp::Det { output }
            | HostOp::Qr { output, .. }
            | HostOp::Eigh { output, .. }
            | HostOp::Eig { output, .. }
            | HostOp::Svd { output, .. }
            | HostOp::Lstsq { output, .. }
            | HostOp::Sort { output, .. } => *output,
            _ => 0,
        }
    }

    /// The same computation with output 0: equal for nodes one step computes together.
    pub fn group(&self) -> HostOp {
        let mut g = self.clone();
        match &mut g {
            HostOp::Det { output }
            | HostOp::Qr { output, .. }
            | HostOp::Eigh { output, .. }
            | HostOp::Eig { output, .. }
            | HostOp::Svd { output, .. }
            | HostOp::Lstsq { output, .. }
            | HostOp::Sort { output, .. } => *output = 0,
            _ => {}
        }
        g
    }

    /// The axis along which the op works line by line (each 1-d line along it independently),
    /// so that it can run on blocks of its input split along any other axis; None for ops that
    /// need their whole input.
    pub fn line_axis(&self) -> Option<usize> {
        match self {
            HostOp::Sort { axis, .. }
            | HostOp::Cumulative { axis, .. }
            | HostOp::Fft { axis, .. }
            | HostOp::Quantile { axis, .. }
            | HostOp::Median { axis } => Some(*axis),
            _ => None,
        }
    }

    /// Where input axis `k` (not the line axis) lies in the output: `median` drops the line
    /// axis, `quantile` drops it and puts the q axis first, the others keep their axes.
    pub fn output_axis(&self, k: usize) -> usize {
        let dropped = |axis: usize| if k > axis { k - 1 } else { k };
        match self {
            HostOp::Median { axis } => dropped(*axis),
            HostOp::Quantile { axis, .. } => 1 + dropped(*axis),
            _ => k,
        }
    }

    /// The function's name, for dumps and profiles (without the output index).
    pub fn func_name(&self) -> String {
        match self {
            HostOp::Inv => "linalg.inv".into(),
            HostOp::Solve { vector } => format!("linalg.solve(vector={vector})"),
            HostOp::Det { .. } => "linalg.det".into(),
            HostOp::Cholesky { upper } => format!("linalg.cholesky(upper={upper})"),
            HostOp::Qr { complete, .. } => format!("linalg.qr(complete={complete})"),
            HostOp::Eigh { upper, vectors, .. } => format!("linalg.eigh(upper={upper}, vectors={vectors})"),
            HostOp::Eig { vectors, .. } => format!("linalg.eig(vectors={vectors})"),
            HostOp::Svd { full_matrices, compute_uv, .. } => {
                format!("linalg.svd(full_matrices={full_matrices}, compute_uv={compute_uv})")
            }
            HostOp::Lstsq { rcond, .. } => format!("linalg.lstsq(rcond={rcond:?})"),
            HostOp::Pinv { rcond } => format!("linalg.pinv(rcond={rcond:?})"),
            HostOp::MatrixRank { tol, rtol, .. } => format!("linalg.matrix_rank(tol={tol:?}, rtol={rtol:?})"),
            HostOp::Fft { kind, axis, n, norm } => format!("fft.{}(n={n}, axis={axis}, norm={})", kind.name(), norm.name()),
            HostOp::Take => "take".into(),
            HostOp::Put => "put".into(),
            HostOp::Sort { axis, .. } => format!("sort(axis={axis})"),
            HostOp::SearchSorted { right } => format!("searchsorted(side={})", if *right { "right" } else { "left" }),
            HostOp::Cumulative { prod, axis } => format!("{}(axis={axis})", if *prod { "cumprod" } else { "cumsum" }),
            HostOp::Quantile { axis, q, f32_index } => {
                format!("quantile(q={q:?}, axis={axis}{})", if *f32_index { ", float32 index" } else { "" })
            }
            HostOp::Median { axis } => format!("median(axis={axis})"),
        }
    }

    /// Name with the output index when the function has several outputs.
    pub fn name(&self) -> String {
        match self {
            HostOp::Det { .. } | HostOp::Qr { .. } | HostOp::Eigh { .. } | HostOp::Eig { .. } | HostOp::Svd { .. } | HostOp::Lstsq { .. } | HostOp::Sort { .. } => {
                format!("{}[{}]", self.func_name(), self.output())
            }
            _ => self.func_name(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outputs_of_one_computation_share_a_group() {
        let u = HostOp::Svd { full_matrices: true, compute_uv: true, output: 0 };
        let s = HostOp::Svd { full_matrices: true, compute_uv: true, output: 1 };
        let other = HostOp::Svd { full_matrices: false, compute_uv: true, output: 1 };
        assert_eq!(u.group(), s.group());
        assert_ne!(s.group(), other.group());
        assert_eq!(s.output(), 1);
        assert_eq!(s.name(), "linalg.svd(full_matrices=true, compute_uv=true)[1]");
    }

    #[test]
    fn fft_scales_follow_numpy() {
        assert_eq!(FftKind::Forward.scale(FftNorm::Backward, 8), 1.0);
        assert_eq!(FftKind::Inverse.scale(FftNorm::Backward, 8), 0.125);
        assert_eq!(FftKind::RealForward.scale(FftNorm::Forward, 4), 0.25);
        assert_eq!(FftKind::RealInverse.scale(FftNorm::Forward, 4), 1.0);
        assert_eq!(FftKind::Inverse.scale(FftNorm::Ortho, 4), 0.5);
    }
}
