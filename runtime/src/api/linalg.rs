//! `numpy.linalg`: shape and dtype checks at the call, with NumPy's exceptions and messages; the
//! factorizations are host nodes (`ir::HostOp`) that run on replicated copies of their inputs
//! ("rank-local for now"). As NumPy's `_commonType` does, inputs are computed in float64 or
//! complex128 and results cast back to NumPy's result dtype (float32 stays float32, integers
//! give float64). `norm` is built from elementwise ops and reductions (distributed), except for
//! its singular-value orders.
//!
//! Two functions have a result dtype or shape that depends on the data, so they compute at the
//! call (a sync point, as DESIGN.md allows): `eig`/`eigvals` of a real matrix (real results when
//! every eigenvalue is real), and the residuals of `lstsq` when m > n (empty unless full rank).

use super::{Operand, PyScalar};
use crate::session::{Arr, Session};
use ir::op::{BinaryOp, ReduceOp, UnaryOp};
use ir::shape::{broadcast_shapes, normalize_axis};
use ir::view::ViewSpec;
use ir::{BaseId, DType, HostOp, Node, NodeId, Op, Result};

/// NumPy's `_commonType`: (the dtype LAPACK computes in, the dtype of the results).
pub fn common_type(dtypes: &[DType]) -> (DType, DType) {
    let complex = dtypes.iter().any(|d| d.is_complex());
    let double = dtypes.iter().any(|d| !d.is_inexact() || matches!(d, DType::F64 | DType::C128));
    let result = match (complex, double) {
        (true, true) => DType::C128,
        (true, false) => DType::C64,
        (false, true) => DType::F64,
        (false, false) => DType::F32,
    };
    (if complex { DType::C128 } else { DType::F64 }, result)
}

fn eps(d: DType) -> f64 {
    if d.real_part() == DType::F32 { f32::EPSILON as f64 } else { f64::EPSILON }
}

fn stacked_2d(shape: &[usize]) -> Result<()> {
    ir::ensure!(shape.len() >= 2, LinAlg, "{}-dimensional array given. Array must be at least two-dimensional", shape.len());
    Ok(())
}

fn stacked_square(shape: &[usize]) -> Result<()> {
    stacked_2d(shape)?;
    ir::ensure!(shape[shape.len() - 1] == shape[shape.len() - 2], LinAlg, "Last 2 dimensions of the array must be square");
    Ok(())
}

fn exactly_2d(shape: &[usize]) -> Result<()> {
    ir::ensure!(shape.len() == 2, LinAlg, "{}-dimensional array given. Array must be two-dimensional", shape.len());
    Ok(())
}

fn with_core(batch: &[usize], core: &[usize]) -> Vec<usize> {
    batch.iter().chain(core).copied().collect()
}

/// An `ord=` argument of `norm`.
#[derive(Clone, Debug, PartialEq)]
pub enum NormOrd {
    Default,
    Str(String),
    Num(f64),
}

impl Session {
    pub(crate) fn host_node(&mut self, op: HostOp, inputs: Vec<NodeId>, shape: Vec<usize>, dtype: DType) -> NodeId {
        self.graph.add(Node { op: Op::Host(op), inputs, shape, dtype })
    }

    /// `a` read as `dtype`.
    pub(crate) fn read_as(&mut self, a: &Arr, dtype: DType) -> NodeId {
        let n = self.read(a);
        self.cast_node(n, dtype)
    }

    /// Arrays holding `nodes`; all get their bases before a graph cut can run.
    pub(crate) fn arrays_of(&mut self, nodes: &[NodeId]) -> Result<Vec<Arr>> {
        let mut out = Vec::new();
        for (i, &n) in nodes.iter().enumerate() {
            if i + 1 == nodes.len() {
                match self.new_array(n) {
                    Ok(a) => out.push(a),
                    Err(e) => {
                        self.drop_bases(out.iter().map(|a| a.base));
                        return Err(e);
                    }
                }
            } else {
                let node = self.graph.node(n);
                let (shape, dtype) = (node.shape.clone(), node.dtype);
                let base = self.graph.new_base(n);
                out.push(Arr { base, view: ViewSpec::identity(&shape), dtype });
            }
        }
        Ok(out)
    }

    /// Drops the handles of temporary arrays (applied at the next call, as Python's drops are).
    pub(crate) fn drop_bases(&mut self, bases: impl IntoIterator<Item = BaseId>) {
        self.drops.lock().unwrap_or_else(|e| e.into_inner()).extend(bases);
    }

    /// Computes `nodes` now (a sync point) and returns the bytes of the first; the caller's
    /// temporary handles keep them alive until `drop_bases`.
    fn compute_now(&mut self, nodes: &[NodeId]) -> Result<(Vec<BaseId>, Vec<u8>)> {
        let mut bases = Vec::new();
        for &n in nodes {
            bases.push(self.graph.new_base(n));
        }
        let r = self.materialize(nodes).and_then(|_| self.fetch_node(nodes[0]));
        match r {
            Ok(bytes) => Ok((bases, bytes)),
            Err(e) => {
                self.drop_bases(bases);
                self.collect();
                Err(e)
            }
        }
    }

    pub fn linalg_inv(&mut self, a: &Arr) -> Result<Arr> {
        stacked_square(a.shape())?;
        let (t, rt) = common_type(&[a.dtype]);
        let x = self.read_as(a, t);
        let h = self.host_node(HostOp::Inv, vec![x], a.shape().to_vec(), t);
        let r = self.cast_node(h, rt);
        self.new_array(r)
    }

    pub fn linalg_solve(&mut self, a: &Arr, b: &Arr) -> Result<Arr> {
        stacked_square(a.shape())?;
        let (sa, sb) = (a.shape().to_vec(), b.shape().to_vec());
        let nd = sa.len();
        let m = sa[nd - 1];
        let vector = sb.len() == 1;
        let out_shape = if vector {
            ir::ensure!(
                sb[0] == m,
                Value,
                "solve1: Input operand 1 has a mismatch in its core dimension 0, with gufunc signature (m,m),(m)->(m) (size {} is different from {m})",
                sb[0]
            );
            with_core(&sa[..nd - 2], &[m])
        } else {
            const SIG: &str = "with gufunc signature (m,m),(m,n)->(m,n)";
            ir::ensure!(
                sb.len() >= 2,
                Value,
                "solve: Input operand 1 does not have enough dimensions (has {}, gufunc core {SIG} requires 2)",
                sb.len()
            );
            let bm = sb[sb.len() - 2];
            ir::ensure!(bm == m, Value, "solve: Input operand 1 has a mismatch in its core dimension 0, {SIG} (size {bm} is different from {m})");
            let batch = broadcast_shapes(&sa[..nd - 2], &sb[..sb.len() - 2]).map_err(|_| {
                ir::Error::Value(format!(
                    "solve: the batch dimensions of the operands could not be broadcast together: {} and {}",
                    ir::error::fmt_shape(&sa),
                    ir::error::fmt_shape(&sb)
                ))
            })?;
            with_core(&batch, &[m, sb[sb.len() - 1]])
        };
        let (t, rt) = common_type(&[a.dtype, b.dtype]);
        let x = self.read_as(a, t);
        let y = self.read_as(b, t);
        let h = self.host_node(HostOp::Solve { vector }, vec![x, y], out_shape, t);
        let r = self.cast_node(h, rt);
        self.new_array(r)
    }

    pub fn linalg_det(&mut self, a: &Arr) -> Result<Arr> {
        stacked_square(a.shape())?;
        let (t, rt) = common_type(&[a.dtype]);
        let batch = a.shape()[..a.shape().len() - 2].to_vec();
        let x = self.read_as(a, t);
        let h = self.host_node(HostOp::Det { output: 2 }, vec![x], batch, t);
        let r = self.cast_node(h, rt);
        self.new_array(r)
    }

    /// (sign, logabsdet).
    pub fn linalg_slogdet(&mut self, a: &Arr) -> Result<Vec<Arr>> {
        stacked_square(a.shape())?;
        let (t, rt) = common_type(&[a.dtype]);
        let batch = a.shape()[..a.shape().len() - 2].to_vec();
        let x = self.read_as(a, t);
        let s = self.host_node(HostOp::Det { output: 0 }, vec![x], batch.clone(), t);
        let l = self.host_node(HostOp::Det { output: 1 }, vec![x], batch, DType::F64);
        let s = self.cast_node(s, rt);
        let l = self.cast_node(l, rt.real_part());
        self.arrays_of(&[s, l])
    }

    pub fn linalg_cholesky(&mut self, a: &Arr, upper: bool) -> Result<Arr> {
        stacked_square(a.shape())?;
        let (t, rt) = common_type(&[a.dtype]);
        let x = self.read_as(a, t);
        let h = self.host_node(HostOp::Cholesky { upper }, vec![x], a.shape().to_vec(), t);
        let r = self.cast_node(h, rt);
        self.new_array(r)
    }

    /// `qr(a, mode)`: [Q, R], or [R] for mode 'r'. ('full'/'f' arrive as 'reduced'.)
    pub fn linalg_qr(&mut self, a: &Arr, mode: &str) -> Result<Vec<Arr>> {
        match mode {
            "reduced" | "complete" | "r" => {}
            "raw" | "economic" | "e" => ir::bail!(NotImplemented, "starp's qr does not support mode='{mode}' yet"),
            _ => ir::bail!(Value, "Unrecognized mode '{mode}'"),
        }
        stacked_2d(a.shape())?;
        let (t, rt) = common_type(&[a.dtype]);
        let shape = a.shape();
        let nd = shape.len();
        let (batch, m, n) = (&shape[..nd - 2], shape[nd - 2], shape[nd - 1]);
        let complete = mode == "complete";
        let mc = if complete && m > n { m } else { m.min(n) };
        let x = self.read_as(a, t);
        let r = self.host_node(HostOp::Qr { complete, output: 1 }, vec![x], with_core(batch, &[mc, n]), t);
        let r = self.cast_node(r, rt);
        if mode == "r" {
            return self.arrays_of(&[r]);
        }
        let q = self.host_node(HostOp::Qr { complete, output: 0 }, vec![x], with_core(batch, &[m, mc]), t);
        let q = self.cast_node(q, rt);
        self.arrays_of(&[q, r])
    }

    /// `eigh` ([w, v]) or `eigvalsh` ([w]).
    pub fn linalg_eigh(&mut self, a: &Arr, uplo: &str, vectors: bool) -> Result<Vec<Arr>> {
        let upper = match uplo.to_uppercase().as_str() {
            "L" => false,
            "U" => true,
            _ => ir::bail!(Value, "UPLO argument must be 'L' or 'U'"),
        };
        stacked_square(a.shape())?;
        let (t, rt) = common_type(&[a.dtype]);
        let shape = a.shape().to_vec();
        let n = shape[shape.len() - 1];
        let batch = &shape[..shape.len() - 2];
        let x = self.read_as(a, t);
        let w = self.host_node(HostOp::Eigh { upper, vectors, output: 0 }, vec![x], with_core(batch, &[n]), DType::F64);
        let w = self.cast_node(w, rt.real_part());
        if !vectors {
            return self.arrays_of(&[w]);
        }
        let v = self.host_node(HostOp::Eigh { upper, vectors, output: 1 }, vec![x], shape.clone(), t);
        let v = self.cast_node(v, rt);
        self.arrays_of(&[w, v])
    }

    /// `eig` ([w, v]) or `eigvals` ([w]). For a real matrix the results are real when every
    /// eigenvalue is, which is known only once computed: then this computes at the call.
    pub fn linalg_eig(&mut self, a: &Arr, vectors: bool) -> Result<Vec<Arr>> {
        stacked_square(a.shape())?;
        let (t, rt) = common_type(&[a.dtype]);
        let shape = a.shape().to_vec();
        let n = shape[shape.len() - 1];
        let batch = &shape[..shape.len() - 2];
        let x = self.read_as(a, t);
        let mut nodes = vec![self.host_node(HostOp::Eig { vectors, output: 0 }, vec![x], with_core(batch, &[n]), DType::C128)];
        if vectors {
            nodes.push(self.host_node(HostOp::Eig { vectors, output: 1 }, vec![x], shape.clone(), DType::C128));
        }
        if t.is_complex() {
            let outs: Vec<NodeId> = nodes.iter().map(|&h| self.cast_node(h, rt)).collect();
            return self.arrays_of(&outs);
        }
        let (tmp, w) = self.compute_now(&nodes)?;
        let all_real = w.chunks_exact(16).all(|c| f64::from_ne_bytes(c[8..16].try_into().expect("8 bytes")) == 0.0);
        let dtype = if all_real { rt } else { rt.complex_counterpart() };
        let outs: Vec<NodeId> = nodes.iter().map(|&h| self.cast_node(h, dtype)).collect();
        let r = self.arrays_of(&outs);
        self.drop_bases(tmp);
        r
    }

    /// `svd`: [U, S, Vh], or [S] without `compute_uv`. (`hermitian` uses the general SVD: the
    /// same factorization up to the signs NumPy's eigh-based one picks.)
    pub fn linalg_svd(&mut self, a: &Arr, full_matrices: bool, compute_uv: bool, hermitian: bool) -> Result<Vec<Arr>> {
        if hermitian {
            stacked_square(a.shape())?;
        }
        stacked_2d(a.shape())?;
        let (t, rt) = common_type(&[a.dtype]);
        let shape = a.shape();
        let nd = shape.len();
        let (batch, m, n) = (&shape[..nd - 2], shape[nd - 2], shape[nd - 1]);
        let k = m.min(n);
        let x = self.read_as(a, t);
        let op = |output| HostOp::Svd { full_matrices, compute_uv, output };
        let s = self.host_node(op(1), vec![x], with_core(batch, &[k]), DType::F64);
        let s = self.cast_node(s, rt.real_part());
        if !compute_uv {
            return self.arrays_of(&[s]);
        }
        let (ucols, vrows) = if full_matrices { (m, n) } else { (k, k) };
        let u = self.host_node(op(0), vec![x], with_core(batch, &[m, ucols]), t);
        let vh = self.host_node(op(2), vec![x], with_core(batch, &[vrows, n]), t);
        let u = self.cast_node(u, rt);
        let vh = self.cast_node(vh, rt);
        self.arrays_of(&[u, s, vh])
    }

    /// `lstsq(a, b, rcond)`: [x, residuals, rank, s]. The residuals' shape depends on the rank
    /// when m > n, so then this computes at the call.
    pub fn linalg_lstsq(&mut self, a: &Arr, b: &Arr, rcond: Option<f64>) -> Result<Vec<Arr>> {
        let is_1d = b.shape().len() == 1;
        let b2 = if is_1d { self.reshape(b, &[b.shape()[0] as i64, 1])? } else { self.share(b, b.view.clone()) };
        let r = self.lstsq_2d(a, &b2, rcond, is_1d);
        self.drop_bases([b2.base]);
        r
    }

    fn lstsq_2d(&mut self, a: &Arr, b: &Arr, rcond: Option<f64>, is_1d: bool) -> Result<Vec<Arr>> {
        exactly_2d(a.shape())?;
        exactly_2d(b.shape())?;
        let (m, n) = (a.shape()[0], a.shape()[1]);
        let (m2, nrhs) = (b.shape()[0], b.shape()[1]);
        ir::ensure!(m == m2, LinAlg, "Incompatible dimensions");
        let (t, rt) = common_type(&[a.dtype, b.dtype]);
        let real = rt.real_part();
        let rcond = rcond.unwrap_or(f64::EPSILON * m.max(n) as f64);
        let x = self.read_as(a, t);
        let y = self.read_as(b, t);
        let op = |output| HostOp::Lstsq { rcond, output };
        let xs = self.host_node(op(0), vec![x, y], vec![n, nrhs], t);
        let res = self.host_node(op(1), vec![x, y], vec![nrhs], DType::F64);
        let rank = self.host_node(op(2), vec![x, y], vec![], DType::I32);
        let s = self.host_node(op(3), vec![x, y], vec![m.min(n)], DType::F64);
        let xs = self.cast_node(xs, rt);
        let s = self.cast_node(s, real);
        let mut tmp = Vec::new();
        let keep_res = if m > n {
            let (bases, bytes) = self.compute_now(&[rank, xs, res, s])?;
            tmp = bases;
            i32::from_ne_bytes(bytes[..4].try_into().expect("4 bytes")) as usize == n
        } else {
            false
        };
        let res = if keep_res {
            self.cast_node(res, real)
        } else {
            let freed = self.graph.discard_if_unused(res);
            debug_assert!(freed.is_empty());
            self.fill_node(&[0], ir::Scalar::Float(0.0), real)
        };
        let r = self.arrays_of(&[xs, res, rank, s]);
        self.drop_bases(tmp);
        let mut r = r?;
        if is_1d {
            let x1 = self.reshape(&r[0], &[n as i64])?;
            let old = std::mem::replace(&mut r[0], x1);
            self.drop_bases([old.base]);
        }
        Ok(r)
    }

    /// `pinv(a, rcond=, rtol=)`: `rcond` None with `rtol` not given is NumPy's 1e-15;
    /// `rtol_given` with `rtol` None is max(m, n) * eps.
    pub fn linalg_pinv(&mut self, a: &Arr, rcond: Option<f64>, rtol: Option<f64>, rtol_given: bool, hermitian: bool) -> Result<Arr> {
        stacked_2d(a.shape())?;
        let shape = a.shape().to_vec();
        let nd = shape.len();
        let (m, n) = (shape[nd - 2], shape[nd - 1]);
        let rcond = match (rcond, rtol_given, rtol) {
            (Some(_), true, _) => ir::bail!(Value, "`rtol` and `rcond` can't be both set."),
            (Some(r), false, _) => r,
            (None, false, _) => 1e-15,
            (None, true, Some(r)) => r,
            (None, true, None) => {
                ir::ensure!(a.dtype.is_inexact(), Value, "data type <class 'numpy.{}'> not inexact", a.dtype.name());
                m.max(n) as f64 * eps(a.dtype)
            }
        };
        if hermitian {
            stacked_square(&shape)?;
        }
        let out_shape = with_core(&shape[..nd - 2], &[n, m]);
        if m * n == 0 {
            let z = self.fill_node(&out_shape, ir::Scalar::Int(0), a.dtype);
            return self.new_array(z);
        }
        let (t, rt) = common_type(&[a.dtype]);
        let x = self.read_as(a, t);
        let h = self.host_node(HostOp::Pinv { rcond }, vec![x], out_shape, t);
        let r = self.cast_node(h, rt);
        self.new_array(r)
    }

    pub fn linalg_matrix_rank(&mut self, a: &Arr, tol: Option<f64>, rtol: Option<f64>, hermitian: bool) -> Result<Arr> {
        ir::ensure!(!(tol.is_some() && rtol.is_some()), Value, "`tol` and `rtol` can't be both set.");
        let shape = a.shape().to_vec();
        let nd = shape.len();
        if nd < 2 {
            // int(not all(A == 0))
            let ne = self.binary(BinaryOp::Ne, &Operand::Array(a.clone()), &Operand::Py(PyScalar::Int(0)))?;
            let any = self.reduce(ReduceOp::Any, &ne, None, false);
            let r = any.as_ref().map_err(Clone::clone).and_then(|any| self.astype(any, DType::I64));
            let mut tmp = vec![ne.base];
            if let Ok(any) = any {
                tmp.push(any.base);
            }
            self.drop_bases(tmp);
            return r;
        }
        if hermitian {
            stacked_square(&shape)?;
        }
        let (t, rt) = common_type(&[a.dtype]);
        let real = rt.real_part();
        let (m, n) = (shape[nd - 2], shape[nd - 1]);
        let single = real == DType::F32;
        let (tol, rtol, single) = match (tol, rtol) {
            (Some(t), _) => (Some(t), 0.0, single),
            (None, Some(r)) => (None, r, false),
            (None, None) => (None, m.max(n) as f64 * eps(real), single),
        };
        let x = self.read_as(a, t);
        let h = self.host_node(HostOp::MatrixRank { tol, rtol, single }, vec![x], shape[..nd - 2].to_vec(), DType::I64);
        self.new_array(h)
    }

    /// `norm(x, ord, axis, keepdims)`, composed as NumPy composes it.
    pub fn linalg_norm(&mut self, a: &Arr, ord: &NormOrd, axis: Option<&[i64]>, keepdims: bool) -> Result<Arr> {
        let mut tmp = Vec::new();
        let r = self.norm_inner(a, ord, axis, keepdims, &mut tmp);
        if let Ok(r) = &r {
            tmp.retain(|b| *b != r.base);
        }
        self.drop_bases(tmp);
        r
    }

    fn norm_inner(&mut self, a: &Arr, ord: &NormOrd, axis: Option<&[i64]>, keepdims: bool, tmp: &mut Vec<BaseId>) -> Result<Arr> {
        macro_rules! t {
            ($e:expr) => {{
                let v: Arr = $e?;
                tmp.push(v.base);
                v
            }};
        }
        let nd = a.shape().len();
        let x = if a.dtype.is_inexact() { a.clone() } else { t!(self.astype(a, DType::F64)) };
        let is_str = |s: &str| matches!(ord, NormOrd::Str(o) if o == s);
        let is_num = |v: f64| matches!(ord, NormOrd::Num(o) if *o == v);
        let inf = f64::INFINITY;
        if axis.is_none() && (*ord == NormOrd::Default || ((is_str("fro") || is_str("f")) && nd == 2) || (is_num(2.0) && nd == 1)) {
            let flat = t!(self.reshape(&x, &[-1]));
            let sq = t!(self.abs_squared(&flat, tmp));
            let s = t!(self.reduce(ReduceOp::Sum, &sq, None, false));
            let mut r = t!(self.unary(UnaryOp::Sqrt, &s));
            if keepdims {
                r = t!(self.reshape(&r, &vec![1; nd]));
            }
            return Ok(r);
        }
        let axes: Vec<i64> = match axis {
            Some(a) => a.to_vec(),
            None => (0..nd as i64).collect(),
        };
        match axes.len() {
            1 => {
                let ax = Some(&axes[..]);
                if is_num(inf) {
                    let ab = t!(self.unary(UnaryOp::Abs, &x));
                    let k = normalize_axis(axes[0], nd)?;
                    return self.max_or_zero(&ab, k, keepdims);
                }
                if is_num(-inf) {
                    let ab = t!(self.unary(UnaryOp::Abs, &x));
                    return self.reduce(ReduceOp::Min, &ab, ax, keepdims);
                }
                if is_num(0.0) {
                    let ne = t!(self.binary(BinaryOp::Ne, &Operand::Array(x.clone()), &Operand::Py(PyScalar::Int(0))));
                    let f = t!(self.astype(&ne, x.dtype.real_part()));
                    return self.reduce(ReduceOp::Sum, &f, ax, keepdims);
                }
                if is_num(1.0) {
                    let ab = t!(self.unary(UnaryOp::Abs, &x));
                    return self.reduce(ReduceOp::Sum, &ab, ax, keepdims);
                }
                match ord {
                    NormOrd::Default | NormOrd::Num(2.0) => {
                        let sq = t!(self.abs_squared(&x, tmp));
                        let s = t!(self.reduce(ReduceOp::Sum, &sq, ax, keepdims));
                        self.unary(UnaryOp::Sqrt, &s)
                    }
                    NormOrd::Str(s) => ir::bail!(Value, "Invalid norm order '{s}' for vectors"),
                    NormOrd::Num(p) => {
                        let ab = t!(self.unary(UnaryOp::Abs, &x));
                        let pw = t!(self.binary(BinaryOp::Pow, &Operand::Array(ab), &Operand::Py(PyScalar::Float(*p))));
                        let s = t!(self.reduce(ReduceOp::Sum, &pw, ax, keepdims));
                        self.binary(BinaryOp::Pow, &Operand::Array(s), &Operand::Py(PyScalar::Float(1.0 / *p)))
                    }
                }
            }
            2 => {
                let r = normalize_axis(axes[0], nd)?;
                let c = normalize_axis(axes[1], nd)?;
                ir::ensure!(r != c, Value, "Duplicate axes given.");
                let ret = if is_num(2.0) || is_num(-2.0) || is_str("nuc") {
                    let mut perm: Vec<i64> = (0..nd).filter(|&i| i != r && i != c).map(|i| i as i64).collect();
                    perm.extend([r as i64, c as i64]);
                    let y = t!(self.transpose(&x, Some(&perm)));
                    let s = self.linalg_svd(&y, true, false, false)?.remove(0);
                    let s = t!(Ok::<Arr, ir::Error>(s));
                    let last = s.shape().len() - 1;
                    if is_num(2.0) {
                        t!(self.max_or_zero(&s, last, false))
                    } else if is_num(-2.0) {
                        t!(self.reduce(ReduceOp::Min, &s, Some(&[last as i64]), false))
                    } else {
                        t!(self.reduce(ReduceOp::Sum, &s, Some(&[last as i64]), false))
                    }
                } else if is_num(1.0) || is_num(-1.0) {
                    let ab = t!(self.unary(UnaryOp::Abs, &x));
                    let s = t!(self.reduce(ReduceOp::Sum, &ab, Some(&[r as i64]), false));
                    let c2 = if c > r { c - 1 } else { c };
                    if is_num(1.0) { t!(self.max_or_zero(&s, c2, false)) } else { t!(self.reduce(ReduceOp::Min, &s, Some(&[c2 as i64]), false)) }
                } else if is_num(inf) || is_num(-inf) {
                    let ab = t!(self.unary(UnaryOp::Abs, &x));
                    let s = t!(self.reduce(ReduceOp::Sum, &ab, Some(&[c as i64]), false));
                    let r2 = if r > c { r - 1 } else { r };
                    if is_num(inf) { t!(self.max_or_zero(&s, r2, false)) } else { t!(self.reduce(ReduceOp::Min, &s, Some(&[r2 as i64]), false)) }
                } else if *ord == NormOrd::Default || is_str("fro") || is_str("f") {
                    let sq = t!(self.abs_squared(&x, tmp));
                    let s = t!(self.reduce(ReduceOp::Sum, &sq, Some(&[r as i64, c as i64]), false));
                    t!(self.unary(UnaryOp::Sqrt, &s))
                } else {
                    ir::bail!(Value, "Invalid norm order for matrices.");
                };
                if keepdims {
                    let mut shape: Vec<i64> = x.shape().iter().map(|&d| d as i64).collect();
                    shape[r] = 1;
                    shape[c] = 1;
                    return self.reshape(&ret, &shape);
                }
                Ok(ret)
            }
            _ => ir::bail!(Value, "Improper number of dimensions to norm."),
        }
    }

    /// |x|^2 in x's real dtype: x*x for reals, |x|*|x| for complex (NumPy: (x.conj()*x).real).
    fn abs_squared(&mut self, x: &Arr, tmp: &mut Vec<BaseId>) -> Result<Arr> {
        let base = if x.dtype.is_complex() {
            let ab = self.unary(UnaryOp::Abs, x)?;
            tmp.push(ab.base);
            ab
        } else {
            x.clone()
        };
        self.binary(BinaryOp::Mul, &Operand::Array(base.clone()), &Operand::Array(base))
    }

    /// `x.max(axis=k, keepdims=, initial=0)` of a non-negative x: zeros when the axis is empty.
    fn max_or_zero(&mut self, x: &Arr, k: usize, keepdims: bool) -> Result<Arr> {
        if x.shape()[k] > 0 {
            return self.reduce(ReduceOp::Max, x, Some(&[k as i64]), keepdims);
        }
        let shape: Vec<usize> =
            x.shape().iter().enumerate().filter_map(|(i, &d)| if i == k { keepdims.then_some(1) } else { Some(d) }).collect();
        let z = self.fill_node(&shape, ir::Scalar::Float(0.0), x.dtype);
        self.new_array(z)
    }
}
