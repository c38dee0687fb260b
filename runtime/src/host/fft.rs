//! `numpy.fft` along one axis with rustfft: every 1-d lane along the axis is truncated or
//! zero-padded to the transform length, transformed, scaled by NumPy's factor for the norm and
//! written out. Single precision stays single (complex64 in, complex64 out), as in NumPy 2.

use super::{typed, typed_mut, Input};
use crate::buffer::LocalBuf;
use ir::host_op::{FftKind, FftNorm};
use ir::shape::numel;
use ir::{DType, Error, Result};
use num_complex::Complex;
use rustfft::num_traits::{Float, FromPrimitive, Zero};
use rustfft::{FftDirection, FftNum, FftPlanner};

pub fn run(kind: FftKind, axis: usize, n: usize, norm: FftNorm, input: &Input, out_shape: &[usize], out_dtype: DType) -> Result<LocalBuf> {
    let mut out = LocalBuf::zeroed(out_dtype, numel(out_shape))?;
    match out_dtype {
        DType::F32 | DType::C64 => transform::<f32>(kind, axis, n, norm, input, &mut out, out_shape),
        DType::F64 | DType::C128 => transform::<f64>(kind, axis, n, norm, input, &mut out, out_shape),
        d => return Err(Error::Internal(format!("fft producing {d}"))),
    }
    Ok(out)
}

fn transform<T: FftNum + Float + FromPrimitive>(
    kind: FftKind,
    axis: usize,
    n: usize,
    norm: FftNorm,
    input: &Input,
    out: &mut LocalBuf,
    out_shape: &[usize],
) {
    let shape = input.shape;
    let outer = numel(&shape[..axis]);
    let inner = numel(&shape[axis + 1..]);
    let (len_in, len_out) = (shape[axis], out_shape[axis]);
    let lanes = outer * inner;
    if lanes == 0 || n == 0 {
        return;
    }
    let take = match kind {
        FftKind::RealInverse => len_in.min(n / 2 + 1),
        _ => len_in.min(n),
    };
    let mut buf = vec![Complex::<T>::zero(); lanes * n];
    let read = |lane: usize, k: usize| -> usize { ((lane / inner) * len_in + k) * inner + lane % inner };
    if kind == FftKind::RealForward {
        let x = typed::<T>(input.buf);
        for lane in 0..lanes {
            for k in 0..take {
                buf[lane * n + k] = Complex::new(x[read(lane, k)], T::zero());
            }
        }
    } else {
        let x = typed::<Complex<T>>(input.buf);
        for lane in 0..lanes {
            for k in 0..take {
                buf[lane * n + k] = x[read(lane, k)];
            }
        }
    }
    if kind == FftKind::RealInverse {
        // The full Hermitian spectrum of the half one; the imaginary parts of the zero-frequency
        // term (and of the Nyquist term for even n) are ignored, as pocketfft does.
        for lane in buf.chunks_exact_mut(n) {
            lane[0].im = T::zero();
            if n.is_multiple_of(2) {
                lane[n / 2].im = T::zero();
            }
            for k in 1..n.div_ceil(2) {
                lane[n - k] = lane[k].conj();
            }
        }
    }
    let dir = if kind.is_forward() { FftDirection::Forward } else { FftDirection::Inverse };
    FftPlanner::<T>::new().plan_fft(n, dir).process(&mut buf);
    let fct = T::from_f64(kind.scale(norm, n)).expect("a float");
    let one = fct == T::one();
    let write = |lane: usize, k: usize| -> usize { ((lane / inner) * len_out + k) * inner + lane % inner };
    if kind == FftKind::RealInverse {
        let y = typed_mut::<T>(out);
        for lane in 0..lanes {
            for k in 0..len_out {
                let v = buf[lane * n + k].re;
                y[write(lane, k)] = if one { v } else { v * fct };
            }
        }
    } else {
        let y = typed_mut::<Complex<T>>(out);
        for lane in 0..lanes {
            for k in 0..len_out {
                let v = buf[lane * n + k];
                y[write(lane, k)] = if one { v } else { v * fct };
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use num_complex::Complex64;

    fn buf_c(xs: &[Complex64]) -> LocalBuf {
        let mut b = LocalBuf::zeroed(DType::C128, xs.len()).unwrap();
        typed_mut::<Complex64>(&mut b).copy_from_slice(xs);
        b
    }

    #[test]
    fn a_constant_has_only_a_zero_frequency() {
        let x = buf_c(&[Complex64::new(1.0, 0.0); 4]);
        let out = run(FftKind::Forward, 0, 4, FftNorm::Backward, &Input { buf: &x, shape: &[4] }, &[4], DType::C128).unwrap();
        let y = typed::<Complex64>(&out);
        assert_eq!(y[0], Complex64::new(4.0, 0.0));
        assert!(y[1..].iter().all(|z| z.norm() < 1e-12));
    }

    #[test]
    fn irfft_inverts_rfft_along_the_last_axis() {
        let mut x = LocalBuf::zeroed(DType::F64, 10).unwrap();
        typed_mut::<f64>(&mut x).copy_from_slice(&[1.0, 2.0, -1.0, 0.5, 3.0, 0.0, 1.0, 1.0, 2.0, 5.0]);
        let h = run(FftKind::RealForward, 1, 5, FftNorm::Ortho, &Input { buf: &x, shape: &[2, 5] }, &[2, 3], DType::C128).unwrap();
        let back = run(FftKind::RealInverse, 1, 5, FftNorm::Ortho, &Input { buf: &h, shape: &[2, 3] }, &[2, 5], DType::F64).unwrap();
        for (a, b) in typed::<f64>(&back).iter().zip(typed::<f64>(&x)) {
            assert!((a - b).abs() < 1e-12, "{a} vs {b}");
        }
    }
}
