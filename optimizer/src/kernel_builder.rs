//! Builds one fused kernel: the expression tree of elementwise nodes under a kernel root,
//! read at the kernel's domain coordinates. Materialized nodes and views of them become loads.
//! Input edges are read through the optimizer's rewrite; a node the kernel reaches twice at the
//! same coordinates (`x*x` with x inlined) is computed once.

use crate::affine::{view_map, AffineMap};
use crate::passes::Rewrite;
use ir::kernel::{Instr, InstrOp, Kernel, KernelReduction};
use ir::op::{BinaryOp, RandomDist, ReduceOp};
use ir::shape::row_major_strides;
use ir::{DType, Graph, NodeId, Op, Scalar};
use std::collections::BTreeMap;

/// A leaf the kernel loads: a materialized node (or the base under a view) and the map from the
/// kernel's domain to its coordinates.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Leaf {
    pub node: NodeId,
    pub map: AffineMap,
}

pub struct Built {
    pub kernel: Kernel,
    pub leaves: Vec<Leaf>,
    pub params: Vec<Scalar>,
}

struct Builder<'a> {
    g: &'a Graph,
    rw: &'a Rewrite,
    is_leaf: &'a dyn Fn(NodeId) -> bool,
    ndim: usize,
    body: Vec<Instr>,
    leaves: Vec<Leaf>,
    inputs: Vec<DType>,
    params: Vec<Scalar>,
    param_dtypes: Vec<DType>,
    loads: BTreeMap<(NodeId, Vec<i64>, Vec<Vec<i64>>, bool), u32>,
    /// Computed nodes by (node, domain axes of its axes).
    computed: BTreeMap<(NodeId, Vec<Option<usize>>), u32>,
}

impl Builder<'_> {
    /// The representative of `n`.
    fn resolve(&self, n: NodeId) -> NodeId {
        self.rw.get(&n).copied().unwrap_or(n)
    }

    fn push(&mut self, op: InstrOp, dtype: DType) -> u32 {
        self.body.push(Instr { op, dtype });
        (self.body.len() - 1) as u32
    }

    fn param(&mut self, s: Scalar, dtype: DType) -> u32 {
        let p = self.params.len() as u32;
        self.params.push(s);
        self.param_dtypes.push(dtype);
        self.push(InstrOp::Param(p), dtype)
    }

    fn load(&mut self, node: NodeId, map: AffineMap, dtype: DType) -> u32 {
        let key = (node, map.offset.clone(), map.coef.clone(), map.flat);
        if let Some(&i) = self.loads.get(&key) {
            return i;
        }
        let k = self.leaves.len() as u32;
        self.leaves.push(Leaf { node, map });
        self.inputs.push(dtype);
        let i = self.push(InstrOp::Load(k), dtype);
        self.loads.insert(key, i);
        i
    }

    fn linear(&mut self, terms: Vec<(u32, i64)>) -> u32 {
        self.push(InstrOp::Linear(terms), DType::I64)
    }

    fn cast(&mut self, v: u32, to: DType) -> u32 {
        if self.body[v as usize].dtype == to {
            v
        } else {
            self.push(InstrOp::Cast(v), to)
        }
    }

    /// The instruction computing `root` at domain coordinates (`dims[k]`: the domain axis that
    /// the node's axis k follows). Iterative: chains may be 10^5 deep.
    fn expr(&mut self, root: NodeId, root_dims: Vec<Option<usize>>) -> u32 {
        enum Frame {
            Enter(NodeId, Vec<Option<usize>>, bool),
            Exit(NodeId, Vec<Option<usize>>),
        }
        let mut stack = vec![Frame::Enter(root, root_dims, true)];
        let mut results: Vec<u32> = Vec::new();
        while let Some(f) = stack.pop() {
            match f {
                Frame::Enter(id, dims, is_root) => {
                    let n = self.g.node(id);
                    if let Some(&i) = self.computed.get(&(id, dims.clone())) {
                        results.push(i);
                    } else if let Op::View(spec) = &n.op {
                        let base = self.resolve(n.inputs[0]);
                        let bshape = &self.g.node(base).shape;
                        let map = view_map(spec, bshape).compose(&AffineMap::broadcast(&dims, self.ndim));
                        let i = self.load(base, map, n.dtype);
                        results.push(i);
                    } else if !is_root && (self.is_leaf)(id) {
                        let i = self.load(id, AffineMap::broadcast(&dims, self.ndim), n.dtype);
                        results.push(i);
                    } else {
                        stack.push(Frame::Exit(id, dims.clone()));
                        for &c in n.inputs.iter().rev() {
                            let c = self.resolve(c);
                            let cs = &self.g.node(c).shape;
                            let off = n.shape.len() - cs.len();
                            let cd = cs.iter().enumerate().map(|(j, &len)| if len == 1 { None } else { dims[off + j] }).collect();
                            stack.push(Frame::Enter(c, cd, false));
                        }
                    }
                }
                Frame::Exit(id, dims) => {
                    let n = self.g.node(id);
                    let args: Vec<u32> = results.split_off(results.len() - n.inputs.len());
                    let i = self.op(&n.op, &args, &n.shape, &dims, n.dtype);
                    self.computed.insert((id, dims), i);
                    results.push(i);
                }
            }
        }
        results.pop().expect("one result")
    }

    fn op(&mut self, op: &Op, args: &[u32], shape: &[usize], dims: &[Option<usize>], dtype: DType) -> u32 {
        let axis_terms = |coefs: &[(usize, i64)]| -> Vec<(u32, i64)> {
            coefs.iter().filter_map(|&(k, c)| dims[k].map(|d| (d as u32, c))).collect()
        };
        match op {
            Op::Fill(s) => self.param(*s, dtype),
            Op::Arange { start, step } => {
                let i = self.linear(axis_terms(&[(0, 1)]));
                let work = if dtype.is_integer() { dtype } else { DType::F64.max(dtype) };
                let work = if work.is_complex() { DType::C128 } else { work };
                let fi = self.cast(i, work);
                let st = self.param(step.cast(work), work);
                let sa = self.param(start.cast(work), work);
                let m = self.push(InstrOp::Binary(BinaryOp::Mul, fi, st), work);
                let y = self.push(InstrOp::Binary(BinaryOp::Add, m, sa), work);
                self.cast(y, dtype)
            }
            Op::Linspace { start, stop, num, endpoint } => {
                let div = if *endpoint { num.saturating_sub(1) } else { *num }.max(1) as f64;
                let delta = stop - start;
                let step = delta / div;
                let i = self.linear(axis_terms(&[(0, 1)]));
                let fi = self.cast(i, DType::F64);
                let sa = self.param(Scalar::Float(*start), DType::F64);
                let y = if step != 0.0 {
                    let st = self.param(Scalar::Float(step), DType::F64);
                    self.push(InstrOp::Binary(BinaryOp::Mul, fi, st), DType::F64)
                } else {
                    let dv = self.param(Scalar::Float(div), DType::F64);
                    let q = self.push(InstrOp::Binary(BinaryOp::Div, fi, dv), DType::F64);
                    let de = self.param(Scalar::Float(delta), DType::F64);
                    self.push(InstrOp::Binary(BinaryOp::Mul, q, de), DType::F64)
                };
                let mut y = self.push(InstrOp::Binary(BinaryOp::Add, y, sa), DType::F64);
                if *endpoint && *num > 1 {
                    let last = self.param(Scalar::Int(*num as i64 - 1), DType::I64);
                    let is_last = self.push(InstrOp::Binary(BinaryOp::Eq, i, last), DType::Bool);
                    let sp = self.param(Scalar::Float(*stop), DType::F64);
                    y = self.push(InstrOp::Select(is_last, sp, y), DType::F64);
                }
                if dtype.is_integer() {
                    // NumPy 2 floors before casting linspace to an integer dtype.
                    let one = self.param(Scalar::Float(1.0), DType::F64);
                    y = self.push(InstrOp::Binary(BinaryOp::FloorDiv, y, one), DType::F64);
                }
                self.cast(y, dtype)
            }
            Op::Eye { k } => {
                let diff = self.linear(axis_terms(&[(1, 1), (0, -1)]));
                let kk = self.param(Scalar::Int(*k), DType::I64);
                let on = self.push(InstrOp::Binary(BinaryOp::Eq, diff, kk), DType::Bool);
                self.cast(on, dtype)
            }
            Op::Random { dist, seed, draw, range } => {
                let strides = row_major_strides(shape);
                let terms: Vec<(usize, i64)> = strides.iter().enumerate().map(|(k, &s)| (k, s)).collect();
                let index = self.linear(axis_terms(&terms));
                let seed = self.param(Scalar::UInt(*seed), DType::U64);
                let draw = self.param(Scalar::UInt(*draw), DType::U64);
                let (seed, draw) = (param_index(&self.body, seed), param_index(&self.body, draw));
                let (range, out) = match dist {
                    RandomDist::Bounded => {
                        let r = self.param(Scalar::UInt(*range), DType::U64);
                        (Some(param_index(&self.body, r)), DType::U64)
                    }
                    _ => (None, DType::F64),
                };
                let v = self.push(InstrOp::Random { dist: *dist, seed, draw, range, index }, out);
                self.cast(v, dtype)
            }
            Op::Unary(u) => self.push(InstrOp::Unary(*u, args[0]), dtype),
            Op::Binary(b) => self.push(InstrOp::Binary(*b, args[0], args[1]), dtype),
            Op::Cast => self.cast(args[0], dtype),
            Op::Where => self.push(InstrOp::Select(args[0], args[1], args[2]), dtype),
            other => unreachable!("{} is not elementwise", other.name()),
        }
    }
}

fn param_index(body: &[Instr], instr: u32) -> u32 {
    match body[instr as usize].op {
        InstrOp::Param(p) => p,
        _ => unreachable!("a param instruction"),
    }
}

/// The kernel that computes `root` (an elementwise node or a view) over its shape, or for a
/// reduction node, reduces its input over its domain. Inputs are read through `rw`.
pub fn build_kernel(g: &Graph, rw: &Rewrite, root: NodeId, is_leaf: &dyn Fn(NodeId) -> bool) -> Built {
    let n = g.node(root);
    let resolve = |i: NodeId| rw.get(&i).copied().unwrap_or(i);
    let (domain_shape, red) = match &n.op {
        Op::Reduce { op, axes, .. } => (g.node(resolve(n.inputs[0])).shape.clone(), Some((*op, axes.clone()))),
        _ => (n.shape.clone(), None),
    };
    let ndim = domain_shape.len();
    let mut b = Builder {
        g,
        rw,
        is_leaf,
        ndim,
        body: vec![],
        leaves: vec![],
        inputs: vec![],
        params: vec![],
        param_dtypes: vec![],
        loads: BTreeMap::new(),
        computed: BTreeMap::new(),
    };
    let dims: Vec<Option<usize>> = (0..ndim).map(Some).collect();
    let (outputs, reduction) = match red {
        None => {
            let v = b.expr(root, dims);
            (vec![v], None)
        }
        Some((op, axes)) => {
            let input = resolve(n.inputs[0]);
            let mut v = b.expr_or_leaf(input, dims);
            if !matches!(op, ReduceOp::ArgMin | ReduceOp::ArgMax) {
                v = b.cast(v, n.dtype);
            }
            let reduced = (0..ndim).map(|d| axes.contains(&d)).collect();
            (vec![], Some(KernelReduction { op, value: v, reduced }))
        }
    };
    let kernel = Kernel { ndim, inputs: b.inputs, params: b.param_dtypes, body: b.body, outputs, reduction };
    Built { kernel, leaves: b.leaves, params: b.params }
}

impl Builder<'_> {
    fn expr_or_leaf(&mut self, id: NodeId, dims: Vec<Option<usize>>) -> u32 {
        let n = self.g.node(id);
        if !matches!(n.op, Op::View(_)) && (self.is_leaf)(id) {
            let map = AffineMap::broadcast(&dims, self.ndim);
            return self.load(id, map, n.dtype);
        }
        self.expr(id, dims)
    }
}
