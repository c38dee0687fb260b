//! `numpy.fft`: argument handling and dtypes as NumPy 2's pocketfft wrapper does them, with
//! each 1-d transform a host node (`ir::HostOp::Fft`) over a replicated input; n-d transforms are
//! chains of 1-d ones in NumPy's order. Single precision stays single (float32 -> complex64).
//! `fftfreq`/`rfftfreq` are generator expressions and `fftshift`/`ifftshift` are rolls made of
//! two slice assignments per axis, all distributed.

use super::{Operand, PyScalar};
use crate::session::{Arr, Session};
use ir::host_op::{FftKind, FftNorm};
use ir::op::BinaryOp;
use ir::shape::normalize_axis;
use ir::view::IndexItem;
use ir::{DType, HostOp, Result};
use std::collections::BTreeMap;

/// Python's `seq[i]` for an axis: None when out of range.
fn py_index(i: i64, len: usize) -> Option<usize> {
    let n = len as i64;
    let j = if i < 0 { i + n } else { i };
    (0..n).contains(&j).then_some(j as usize)
}

fn parse_norm(norm: Option<&str>, forward: bool) -> Result<FftNorm> {
    Ok(match norm {
        None | Some("backward") => FftNorm::Backward,
        Some("ortho") => FftNorm::Ortho,
        Some("forward") => FftNorm::Forward,
        Some(other) => {
            // NumPy's two messages differ by a space.
            let sep = if forward { "," } else { ", " };
            ir::bail!(Value, "Invalid norm value {other}; should be \"backward\"{sep}\"ortho\" or \"forward\".")
        }
    })
}

impl Session {
    /// `fft`, `ifft`, `rfft`, `irfft` of `a` along `axis` with length `n`.
    pub fn fft(&mut self, a: &Arr, kind: FftKind, n: Option<i64>, axis: i64, norm: Option<&str>) -> Result<Arr> {
        let shape = a.shape().to_vec();
        let nd = shape.len();
        let n = match n {
            Some(n) => n,
            None => {
                let ax = py_index(axis, nd).ok_or_else(|| ir::Error::Index("tuple index out of range".into()))?;
                let len = shape[ax] as i64;
                if kind == FftKind::RealInverse { (len - 1) * 2 } else { len }
            }
        };
        ir::ensure!(n >= 1, Value, "Invalid number of FFT data points ({n}) specified.");
        let norm = parse_norm(norm, kind.is_forward())?;
        let ax = normalize_axis(axis, nd)?;
        let n = n as usize;
        let real = if matches!(a.dtype, DType::F32 | DType::C64) { DType::F32 } else { DType::F64 };
        let cplx = real.complex_counterpart();
        let (input, output, n_out) = match kind {
            FftKind::Forward | FftKind::Inverse => (cplx, cplx, n),
            FftKind::RealForward => {
                ir::ensure!(
                    !a.dtype.is_complex(),
                    Type,
                    "ufunc 'rfft_n_{}' not supported for the input types, and the inputs could not be safely coerced to any supported types according to the casting rule ''safe''",
                    if n.is_multiple_of(2) { "even" } else { "odd" }
                );
                (real, cplx, n / 2 + 1)
            }
            FftKind::RealInverse => (cplx, real, n),
        };
        let mut out_shape = shape;
        out_shape[ax] = n_out;
        let x = self.read_as(a, input);
        let h = self.host_node(HostOp::Fft { kind, axis: ax, n, norm }, vec![x], out_shape, output);
        self.new_array(h)
    }

    /// `fftn`/`ifftn` (`kind` Forward/Inverse), `rfftn` (RealForward), `irfftn` (RealInverse),
    /// with NumPy's `_cook_nd_args`.
    pub fn fftn(&mut self, a: &Arr, kind: FftKind, s: Option<&[i64]>, axes: Option<&[i64]>, norm: Option<&str>) -> Result<Arr> {
        let shape = a.shape().to_vec();
        let nd = shape.len();
        let take = |i: i64| -> Result<i64> {
            py_index(i, nd)
                .map(|j| shape[j] as i64)
                .ok_or_else(|| ir::Error::Index(format!("index {i} is out of bounds for axis 0 with size {nd}")))
        };
        let shapeless = s.is_none();
        let mut s: Vec<i64> = match (s, axes) {
            (Some(s), _) => s.to_vec(),
            (None, None) => shape.iter().map(|&d| d as i64).collect(),
            (None, Some(ax)) => ax.iter().map(|&i| take(i)).collect::<Result<_>>()?,
        };
        let axes: Vec<i64> = match axes {
            Some(a) => a.to_vec(),
            None => (-(s.len() as i64)..0).collect(),
        };
        ir::ensure!(s.len() == axes.len(), Value, "Shape and axes have different lengths.");
        let last = axes.len().checked_sub(1);
        if kind == FftKind::RealInverse && shapeless {
            let l = last.ok_or_else(|| ir::Error::Index("list index out of range".into()))?;
            let ax = py_index(axes[l], nd).ok_or_else(|| ir::Error::Index("tuple index out of range".into()))?;
            s[l] = (shape[ax] as i64 - 1) * 2;
        }
        for (si, &ai) in s.iter_mut().zip(&axes) {
            if *si == -1 {
                *si = shape[py_index(ai, nd).ok_or_else(|| ir::Error::Index("tuple index out of range".into()))?] as i64;
            }
        }
        // The chain of 1-d transforms, as NumPy orders it.
        let mut steps: Vec<(FftKind, usize)> = Vec::new();
        match kind {
            FftKind::Forward | FftKind::Inverse => steps.extend((0..axes.len()).rev().map(|i| (kind, i))),
            FftKind::RealForward => {
                let l = last.ok_or_else(|| ir::Error::Index("list index out of range".into()))?;
                steps.push((FftKind::RealForward, l));
                steps.extend((0..l).rev().map(|i| (FftKind::Forward, i)));
            }
            FftKind::RealInverse => {
                let l = last.ok_or_else(|| ir::Error::Index("list index out of range".into()))?;
                steps.extend((0..l).map(|i| (FftKind::Inverse, i)));
                steps.push((FftKind::RealInverse, l));
            }
        }
        if steps.is_empty() {
            return Ok(self.share(a, a.view.clone()));
        }
        let mut cur: Option<Arr> = None;
        for (k, i) in steps {
            let src = cur.clone().unwrap_or_else(|| a.clone());
            let r = self.fft(&src, k, Some(s[i]), axes[i], norm);
            if let Some(old) = cur.take() {
                self.drop_bases([old.base]);
            }
            cur = Some(r?);
        }
        Ok(cur.expect("at least one step"))
    }

    /// `fftshift` (or `ifftshift` when `inverse`) over `axes` (None: all).
    pub fn fftshift(&mut self, a: &Arr, axes: Option<&[i64]>, inverse: bool) -> Result<Arr> {
        let shape = a.shape().to_vec();
        let nd = shape.len();
        let axes: Vec<usize> = match axes {
            None => (0..nd).collect(),
            Some(ax) => ax.iter().map(|&i| py_index(i, nd).ok_or_else(|| ir::Error::Index("tuple index out of range".into()))).collect::<Result<_>>()?,
        };
        // np.roll adds the shifts of a repeated axis.
        let mut shifts: BTreeMap<usize, i64> = BTreeMap::new();
        for ax in axes {
            let h = (shape[ax] / 2) as i64;
            *shifts.entry(ax).or_default() += if inverse { -h } else { h };
        }
        self.fft_roll(a, &shifts)
    }

    /// `np.roll` by `shifts[axis]` along each axis: out[(i + s) % n] = a[i].
    fn fft_roll(&mut self, a: &Arr, shifts: &BTreeMap<usize, i64>) -> Result<Arr> {
        let shape = a.shape().to_vec();
        let mut cur = self.copy(a)?;
        for (&ax, &sh) in shifts {
            let n = shape[ax] as i64;
            if n == 0 {
                continue;
            }
            let s = sh.rem_euclid(n);
            if s == 0 {
                continue;
            }
            let items = |lo: i64, hi: i64| -> Vec<IndexItem> {
                let mut v = vec![IndexItem::Slice(None, None, None); ax];
                v.push(IndexItem::Slice(Some(lo), Some(hi), None));
                v
            };
            let out = self.full(&shape, PyScalar::Int(0), a.dtype)?;
            let r = (|| {
                let head = self.getitem(&cur, &items(0, n - s))?;
                let w = self.setitem(&out, &items(s, n), &Operand::Array(head.clone()));
                self.drop_bases([head.base]);
                w?;
                let tail = self.getitem(&cur, &items(n - s, n))?;
                let w = self.setitem(&out, &items(0, s), &Operand::Array(tail.clone()));
                self.drop_bases([tail.base]);
                w
            })();
            let old = std::mem::replace(&mut cur, out);
            self.drop_bases([old.base]);
            r?;
        }
        Ok(cur)
    }

    /// `fftfreq(n, d)` (`real`: `rfftfreq`), given `val = 1 / (n * d)`.
    pub fn fftfreq(&mut self, n: i64, val: f64, real: bool) -> Result<Arr> {
        ir::ensure!(n >= 0, Value, "negative dimensions are not allowed");
        let int = |i: i64| PyScalar::Int(i as i128);
        let stop = if real { n / 2 + 1 } else { n };
        let i = self.arange(int(0), int(stop), int(1), DType::I64)?;
        let k = if real {
            i
        } else {
            let half = (n - 1).div_euclid(2) + 1;
            let lt = self.binary(BinaryOp::Lt, &Operand::Array(i.clone()), &Operand::Py(int(half)));
            let neg = self.binary(BinaryOp::Sub, &Operand::Array(i.clone()), &Operand::Py(int(n)));
            let k = match (&lt, &neg) {
                (Ok(lt), Ok(neg)) => self.where_(&Operand::Array(lt.clone()), &Operand::Array(i.clone()), &Operand::Array(neg.clone())),
                (Err(e), _) | (_, Err(e)) => Err(e.clone()),
            };
            let mut tmp = vec![i.base];
            tmp.extend(lt.iter().map(|a| a.base));
            tmp.extend(neg.iter().map(|a| a.base));
            self.drop_bases(tmp);
            k?
        };
        let r = self.binary(BinaryOp::Mul, &Operand::Array(k.clone()), &Operand::Py(PyScalar::Float(val)));
        self.drop_bases([k.base]);
        r
    }
}
