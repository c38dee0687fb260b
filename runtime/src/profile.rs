//! `starp.profile()`: per-kernel wall time, bytes moved per exchange and JIT compile time while a
//! profile is active; and `STARP_DUMP=dir`, which writes every plan with its kernels' IR.

use optimizer::plan::{Plan, Step};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Instant;

static ACTIVE: AtomicBool = AtomicBool::new(false);
static ROWS: Mutex<BTreeMap<String, Row>> = Mutex::new(BTreeMap::new());
static JIT_AT_START: Mutex<Option<codegen::JitStats>> = Mutex::new(None);
static DUMPED: AtomicU64 = AtomicU64::new(0);

#[derive(Clone, Debug, Default)]
pub struct Row {
    pub calls: u64,
    pub seconds: f64,
    pub bytes: u64,
}

pub fn start() {
    ROWS.lock().unwrap_or_else(|e| e.into_inner()).clear();
    *JIT_AT_START.lock().unwrap_or_else(|e| e.into_inner()) = Some(codegen::jit_stats());
    ACTIVE.store(true, Ordering::Relaxed);
}

pub fn active() -> bool {
    ACTIVE.load(Ordering::Relaxed)
}

/// Times `f` under `label` (rank 0 only records, so P ranks do not count P times).
pub fn time<T>(rank: usize, label: impl FnOnce() -> String, bytes: u64, f: impl FnOnce() -> T) -> T {
    if !active() || rank != 0 {
        return f();
    }
    let t = Instant::now();
    let r = f();
    let dt = t.elapsed().as_secs_f64();
    let mut rows = ROWS.lock().unwrap_or_else(|e| e.into_inner());
    let row = rows.entry(label()).or_default();
    row.calls += 1;
    row.seconds += dt;
    row.bytes += bytes;
    r
}

/// Stops profiling; the rows by label and the JIT's work during the profile.
pub fn stop() -> (Vec<(String, Row)>, codegen::JitStats) {
    ACTIVE.store(false, Ordering::Relaxed);
    let rows = std::mem::take(&mut *ROWS.lock().unwrap_or_else(|e| e.into_inner()));
    let start = JIT_AT_START.lock().unwrap_or_else(|e| e.into_inner()).take().unwrap_or_default();
    let now = codegen::jit_stats();
    let jit = codegen::JitStats {
        compiles: now.compiles - start.compiles,
        cache_hits: now.cache_hits - start.cache_hits,
        compile_ns: now.compile_ns - start.compile_ns,
        fallbacks: now.fallbacks - start.fallbacks,
        interpreted_calls: now.interpreted_calls - start.interpreted_calls,
    };
    let mut rows: Vec<(String, Row)> = rows.into_iter().collect();
    rows.sort_by(|a, b| b.1.seconds.total_cmp(&a.1.seconds));
    (rows, jit)
}

/// A short name for a kernel: what it computes, by its ops.
pub fn kernel_label(k: &optimizer::plan::KernelStep) -> String {
    use ir::kernel::InstrOp;
    let ops: Vec<String> = k
        .kernel
        .body
        .iter()
        .filter_map(|i| match &i.op {
            InstrOp::Unary(u, _) => Some(u.name().to_string()),
            InstrOp::Binary(b, ..) => Some(b.name().to_string()),
            InstrOp::Select(..) => Some("where".into()),
            InstrOp::Random { .. } => Some("random".into()),
            _ => None,
        })
        .collect();
    let mut short: Vec<String> = ops.iter().take(6).cloned().collect();
    if ops.len() > 6 {
        short.push(format!("+{} more", ops.len() - 6));
    }
    let what = match &k.kernel.reduction {
        Some(r) => format!("{}({})", r.op.name(), short.join(" ")),
        None => short.join(" "),
    };
    format!("kernel {} over {:?}", if what.is_empty() { "copy".into() } else { what }, k.domain)
}

/// With `STARP_DUMP=dir`: writes the plan and the Cranelift IR of each of its kernels.
pub fn dump_plan(plan: &Plan) {
    // An empty value (`STARP_DUMP= cmd`) is off, not the current directory.
    let Some(dir) = std::env::var_os("STARP_DUMP").filter(|d| !d.is_empty()) else { return };
    let n = DUMPED.fetch_add(1, Ordering::Relaxed);
    let mut text = plan.to_string();
    for (i, s) in plan.steps.iter().enumerate() {
        if let Step::Kernel(k) = s {
            text += &format!("\n== step {i}: kernel IR ==\n{}", k.kernel.dump());
            if let Some(ir) = codegen::jit_ir(&k.kernel) {
                text += &format!("== step {i}: Cranelift IR ==\n{ir}\n");
            }
        }
    }
    let _ = std::fs::create_dir_all(&dir);
    let path = std::path::Path::new(&dir).join(format!("plan-{:05}-pid{}.txt", n, std::process::id()));
    if let Err(e) = std::fs::write(&path, text) {
        eprintln!("starp: STARP_DUMP could not write {}: {e}", path.display());
    }
}
