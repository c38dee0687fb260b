//! The physical plan: values with layouts, and the steps every rank runs in order.

use crate::affine::AffineMap;
use crate::redistribute::{bytes_moved, plan_redistribution};
use ir::kernel::Kernel;
use ir::layout::{IBox, Layout};
use ir::view::ViewSpec;
use ir::{BufferId, DType, HostOp, NodeId, Scalar};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::sync::Arc;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ValueId(pub u32);

impl fmt::Display for ValueId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "v{}", self.0)
    }
}

/// A distributed value: rank r holds `layout.boxes[r]` of `shape` in row-major order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Value {
    pub shape: Vec<usize>,
    pub dtype: DType,
    pub layout: Layout,
    /// Where the value comes from: an existing buffer, or the step that computes it.
    pub source: Option<BufferId>,
    /// The graph node this value materializes, if any.
    pub node: Option<NodeId>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KernelInput {
    pub value: ValueId,
    pub map: AffineMap,
}

/// How reduction partials become the result.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum ReduceMode {
    /// Every rank computes all leaves of its own kept coordinates.
    Local,
    /// Ranks split the leaves; partials are all-gathered and combined in leaf order on every rank.
    Gather,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReducePlan {
    pub mode: ReduceMode,
    /// Per rank, the leaves it computes.
    pub leaves: Vec<(usize, usize)>,
    pub nleaves: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KernelStep {
    pub kernel: Arc<Kernel>,
    pub domain: Vec<usize>,
    /// Per rank, the domain box it computes (for reductions, the kept axes of it).
    pub boxes: Vec<IBox>,
    pub inputs: Vec<KernelInput>,
    pub params: Vec<Scalar>,
    pub outputs: Vec<ValueId>,
    pub reduce: Option<ReducePlan>,
    /// The input whose buffer the (single) output overwrites, because the input dies here.
    #[serde(default)]
    pub reuse: Option<usize>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Step {
    /// Build `dst` (same dtype; shape either `src`'s or its flat length) from `src`, so that rank
    /// r holds `dst.layout.boxes[r]`. With `map`, `dst` has its own coordinates: its element `x`
    /// is `src`'s element `map(x)` (a permuted copy such as a transpose, written straight into
    /// the kernel output it replaced). `consume`: `src` dies here, so each round releases the part
    /// of it already sent (a transpose of an array larger than half the memory fits).
    Redistribute {
        src: ValueId,
        dst: ValueId,
        #[serde(default)]
        map: Option<AffineMap>,
        #[serde(default)]
        consume: bool,
    },
    Kernel(KernelStep),
    /// `out` = `old` with the elements of `region` (a view of the base) set from `value` read
    /// through `value_map` (region coordinates -> value coordinates). `in_place` allows reusing
    /// `old`'s buffers; rank r needs `value`'s box `value_boxes[r]`, already redistributed.
    Write { old: ValueId, value: ValueId, value_map: AffineMap, region: ViewSpec, out: ValueId, in_place: bool },
    /// 2-D product; rank r holds its rows of `a`, all of `b`.
    MatMul { a: ValueId, b: ValueId, out: ValueId },
    /// A host op (`op` is its group: output index 0) computing every requested output, `outs` =
    /// (output index, value). `mode` says where the data lives: `Replicated`, every rank holds
    /// all of each input and of each output; `Split`, every input and output is split in blocks
    /// along an axis the op does not work along and each rank runs the op on its own block;
    /// `SampleSort`, a distributed stable sort of a 1-d block-0 input into block-0
    /// outputs, with collectives inside the step (see runtime/src/sample_sort.rs).
    Host {
        op: HostOp,
        inputs: Vec<ValueId>,
        outs: Vec<(usize, ValueId)>,
        #[serde(default)]
        mode: HostMode,
    },
    /// The value is not needed any more.
    Free(ValueId),
}

/// Where a host step's data lives and who computes what (see `Step::Host`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum HostMode {
    /// Inputs and outputs replicated; every rank computes the whole result.
    #[default]
    Replicated,
    /// Inputs split in blocks along `axis` (`Layout::blocks_along`), outputs along the axis that
    /// becomes (`HostOp::split_axis_of_output`); the op works along other axes, so each rank
    /// computes its own block with no communication.
    Split { axis: usize },
    /// `HostOp::Sort` of a 1-d block-0 input: local sorts, regular samples all-gathered,
    /// splitters, one all-to-all-v of (value, global index) buckets, a merge, and an
    /// all-to-all-v back to block-0 outputs. Its traffic depends on the data, so it is counted
    /// when it runs, not by `Plan::exchange_bytes`.
    SampleSort,
}

impl HostMode {
    pub fn name(self) -> String {
        match self {
            HostMode::Replicated => "replicated".into(),
            HostMode::Split { axis } => format!("split along axis {axis}"),
            HostMode::SampleSort => "sample sort".into(),
        }
    }
}

impl Step {
    /// The values this step reads.
    pub fn reads(&self) -> Vec<ValueId> {
        match self {
            Step::Redistribute { src, .. } => vec![*src],
            Step::Kernel(k) => k.inputs.iter().map(|i| i.value).collect(),
            Step::Write { old, value, .. } => vec![*old, *value],
            Step::MatMul { a, b, .. } => vec![*a, *b],
            Step::Host { inputs, .. } => inputs.clone(),
            Step::Free(_) => vec![],
        }
    }

    /// The values this step computes.
    pub fn writes(&self) -> Vec<ValueId> {
        match self {
            Step::Redistribute { dst, .. } => vec![*dst],
            Step::Kernel(k) => k.outputs.clone(),
            Step::Write { out, .. } => vec![*out],
            Step::MatMul { out, .. } => vec![*out],
            Step::Host { outs, .. } => outs.iter().map(|(_, v)| *v).collect(),
            Step::Free(_) => vec![],
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    pub ranks: usize,
    pub values: Vec<Value>,
    pub steps: Vec<Step>,
    /// The roots and the values that hold them when the plan has run.
    pub outputs: Vec<(NodeId, ValueId)>,
}

impl Plan {
    pub fn value(&self, v: ValueId) -> &Value {
        &self.values[v.0 as usize]
    }

    pub fn kernel_count(&self) -> usize {
        self.steps.iter().filter(|s| matches!(s, Step::Kernel(_))).count()
    }

    /// Bytes that cross between ranks in each redistribution, in step order.
    pub fn exchange_bytes(&self) -> Vec<usize> {
        self.steps
            .iter()
            .filter_map(|s| match s {
                Step::Redistribute { src, dst, map, .. } => Some(self.redistribution_bytes(*src, *dst, map.as_ref())),
                _ => None,
            })
            .collect()
    }

    pub fn redistribution_bytes(&self, src: ValueId, dst: ValueId, map: Option<&AffineMap>) -> usize {
        let (have, need) = self.exchange_boxes(src, dst, map);
        bytes_moved(&plan_redistribution(&have, &need), self.value(src).dtype.itemsize())
    }

    /// What each rank holds of `src` and needs of it, in `src`'s coordinates (flat ones when
    /// `dst` is the flat form of an n-d `src`).
    pub fn exchange_boxes(&self, src: ValueId, dst: ValueId, map: Option<&AffineMap>) -> (Vec<IBox>, Vec<IBox>) {
        let (s, d) = (self.value(src), self.value(dst));
        let flat = map.is_none() && d.shape.len() == 1 && s.shape.len() != 1;
        let need = match map {
            None => d.layout.boxes.clone(),
            Some(m) => d.layout.boxes.iter().map(|b| m.image(b)).collect(),
        };
        (coords_boxes(s, flat), need)
    }
}

/// A value's boxes in its own coordinates, or as flat ranges.
pub fn coords_boxes(v: &Value, flat: bool) -> Vec<IBox> {
    if !flat {
        return v.layout.boxes.clone();
    }
    v.layout
        .boxes
        .iter()
        .map(|b| {
            let (lo, hi) = ir::layout::flat_range(b, &v.shape).expect("blocks are flat ranges");
            vec![(lo, hi)]
        })
        .collect()
}

fn fmt_shape(s: &[usize]) -> String {
    format!("[{}]", s.iter().map(|d| d.to_string()).collect::<Vec<_>>().join(", "))
}

impl fmt::Display for Plan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "plan on {} rank(s): {} step(s), {} kernel(s)", self.ranks, self.steps.len(), self.kernel_count())?;
        for (i, v) in self.values.iter().enumerate() {
            if let Some(b) = v.source {
                writeln!(f, "  v{i}: {}{} {} <- buffer {}", v.dtype, fmt_shape(&v.shape), v.layout.describe(&v.shape), b.0)?;
            }
        }
        for (n, step) in self.steps.iter().enumerate() {
            match step {
                Step::Redistribute { src, dst, map, consume } => {
                    let d = self.value(*dst);
                    let how = match map {
                        Some(_) => " permuted",
                        None => "",
                    };
                    writeln!(
                        f,
                        "  {n}. redistribute{how} {src} -> {dst}: {} {}, {} bytes moved{}",
                        fmt_shape(&d.shape),
                        d.layout.describe(&d.shape),
                        self.redistribution_bytes(*src, *dst, map.as_ref()),
                        if *consume { format!(" (releases {src} as it goes)") } else { String::new() }
                    )?;
                }
                Step::Kernel(k) => {
                    let outs: Vec<String> = k.outputs.iter().map(|o| o.to_string()).collect();
                    let ins: Vec<String> = k.inputs.iter().map(|i| i.value.to_string()).collect();
                    let what = match &k.reduce {
                        Some(r) => format!("reduce({:?}, {} leaves)", r.mode, r.nleaves),
                        None => "elementwise".into(),
                    };
                    let over = k.reuse.map(|q| format!(" (over {})", k.inputs[q].value)).unwrap_or_default();
                    writeln!(
                        f,
                        "  {n}. kernel {what} over {} ({} instrs) reads [{}] -> [{}]{over}",
                        fmt_shape(&k.domain),
                        k.kernel.body.len(),
                        ins.join(", "),
                        outs.join(", ")
                    )?;
                    for o in &k.outputs {
                        let v = self.value(*o);
                        writeln!(f, "       {o}: {}{} {}", v.dtype, fmt_shape(&v.shape), v.layout.describe(&v.shape))?;
                    }
                }
                Step::Write { old, value, out, in_place, region, .. } => writeln!(
                    f,
                    "  {n}. write {value} into {old} region {} -> {out}{}",
                    fmt_shape(&region.shape),
                    if *in_place { " (in place)" } else { "" }
                )?,
                Step::MatMul { a, b, out } => writeln!(f, "  {n}. matmul {a} @ {b} -> {out}")?,
                Step::Host { op, inputs, outs, mode } => {
                    let ins: Vec<String> = inputs.iter().map(|i| i.to_string()).collect();
                    let os: Vec<String> = outs.iter().map(|(k, v)| format!("{v}=out{k}")).collect();
                    let how = match mode {
                        HostMode::Replicated => String::new(),
                        m => format!(" ({})", m.name()),
                    };
                    writeln!(f, "  {n}. host {}{how} reads [{}] -> [{}]", op.func_name(), ins.join(", "), os.join(", "))?;
                    for (_, o) in outs {
                        let v = self.value(*o);
                        writeln!(f, "       {o}: {}{} {}", v.dtype, fmt_shape(&v.shape), v.layout.describe(&v.shape))?;
                    }
                }
                Step::Free(v) => writeln!(f, "  {n}. free {v}")?,
            }
        }
        Ok(())
    }
}
