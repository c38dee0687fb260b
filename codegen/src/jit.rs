//! A Cranelift JIT for the kernel IR, behind the interpreter's calling convention.
//!
//! Each distinct kernel structure (`Kernel` is the cache key; params are runtime values, so a
//! loop body compiles once) is compiled into one function that runs a 2-d block of the domain;
//! `drive` splits a call's box into blocks. Kernels the JIT does not support (see `plan`) run in
//! the interpreter, which remains the specification: every JIT result is bit-identical to the
//! interpreter's, float transcendentals included (they call the same Rust functions: `vmath`'s
//! slice functions for exp, log, sin, cos and tanh of real values, once per chunk of elements,
//! see `strips`).
//!
//! The cache is a mutex-protected map shared by every thread; compiling happens under the lock.
//! Compiled code lives in a `JITModule` generation; when the cache grows past `MAX_CACHED`
//! kernels, a new generation starts and the old one's memory is freed once the last function
//! compiled into it is no longer referenced.

mod callouts;
mod drive;
mod emit;
mod lanes;
mod plan;
mod strips;
mod vector;

#[cfg(test)]
mod tests;

use cranelift_codegen::ir::{Function, UserFuncName};
use cranelift_codegen::settings::{self, Configurable};
use cranelift_codegen::Context;
use cranelift_frontend::FunctionBuilderContext;
use cranelift_jit::{JITBuilder, JITModule};
use cranelift_module::{default_libcall_names, FuncId, Linkage, Module};
use ir::kernel::{Call, Kernel};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Instant;

use callouts::Sig;
use drive::KernelFn;
use emit::Ids;
use plan::Plan;

/// Kernels cached per module generation before a fresh generation starts.
const MAX_CACHED: usize = 4096;

/// JIT statistics since the process started.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct JitStats {
    /// Kernels compiled.
    pub compiles: u64,
    /// Calls that found their kernel already compiled.
    pub cache_hits: u64,
    /// Total time spent compiling, in nanoseconds.
    pub compile_ns: u64,
    /// Distinct kernels the JIT does not support (they run in the interpreter).
    pub fallbacks: u64,
    /// Calls run by the interpreter (JIT disabled, unsupported kernel, or a call the JIT declined).
    pub interpreted_calls: u64,
}

/// A module generation: owns the machine code of the functions compiled into it.
struct Generation {
    module: Mutex<Option<JITModule>>,
}

impl Drop for Generation {
    fn drop(&mut self) {
        let module = self.module.get_mut().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(m) = module {
            // SAFETY: every function of this module is referenced through a `Compiled` that holds
            // an `Arc` of this generation; the last one is gone, so no code of it can run again.
            unsafe { m.free_memory() };
        }
    }
}

struct Compiled {
    f: KernelFn,
    plan: Plan,
    _gen: Arc<Generation>,
}

enum Entry {
    Compiled(Arc<Compiled>),
    Unsupported,
}

struct State {
    gen: Arc<Generation>,
    ids: Ids,
    ctx: Context,
    cache: HashMap<Kernel, Entry>,
    /// Cached kernels per generation.
    cap: usize,
    stats: JitStats,
}

fn new_module() -> Result<(JITModule, Ids), String> {
    let mut flags = settings::builder();
    // The IR verifier costs a good part of a compile; it runs in this crate's tests (which
    // generate thousands of kernels) and with STARP_JIT_VERIFY=1.
    let verify = cfg!(test) || std::env::var_os("STARP_JIT_VERIFY").is_some_and(|v| v != "0");
    // Strip buffers can make a frame larger than a guard page: probe it.
    for (k, v) in [
        ("enable_verifier", if verify { "true" } else { "false" }),
        ("use_colocated_libcalls", "false"),
        ("is_pic", "false"),
        ("opt_level", "speed"),
        ("enable_probestack", "true"),
        ("probestack_strategy", "inline"),
    ] {
        flags.set(k, v).map_err(|e| e.to_string())?;
    }
    let isa = cranelift_native::builder()
        .map_err(|e| e.to_string())?
        .finish(settings::Flags::new(flags))
        .map_err(|e| e.to_string())?;
    let mut jb = JITBuilder::with_isa(isa, default_libcall_names());
    let all = callouts::all();
    for c in &all {
        jb.symbol(c.name, c.ptr);
    }
    let mut module = JITModule::new(jb);
    let mut ids = HashMap::new();
    for c in &all {
        let sig = callout_signature(&module, c.sig);
        let id = module.declare_function(c.name, Linkage::Import, &sig).map_err(|e| e.to_string())?;
        ids.insert(c.name, (id, c.sig));
    }
    Ok((module, ids))
}

/// `extern "C" fn(frame: *const i64)`.
fn kernel_signature(m: &JITModule) -> cranelift_codegen::ir::Signature {
    let mut sig = m.make_signature();
    sig.params.push(cranelift_codegen::ir::AbiParam::new(cranelift_codegen::ir::types::I64));
    sig
}

fn callout_signature(m: &JITModule, s: Sig) -> cranelift_codegen::ir::Signature {
    use cranelift_codegen::ir::{types::*, AbiParam};
    let mut sig = m.make_signature();
    let (params, ret): (&[_], Option<_>) = match s {
        Sig::F2 => (&[F64, F64], Some(F64)),
        Sig::S2 => (&[F32, F32], Some(F32)),
        Sig::I2 => (&[I64, I64], Some(I64)),
        Sig::C1 => (&[F64, F64, I64], None),
        Sig::C2 => (&[F64, F64, F64, F64, I64], None),
        Sig::R3F => (&[I64, I64, I64], Some(F64)),
        Sig::R4I => (&[I64, I64, I64, I64], Some(I64)),
        Sig::Strip => (&[I64, I64, I64], None),
        Sig::F1 => (&[F64], Some(F64)),
        Sig::S1 => (&[F32], Some(F32)),
        Sig::FI => (&[F64, I64], Some(F64)),
        Sig::F1I => (&[F64], Some(I64)),
    };
    sig.params.extend(params.iter().map(|&t| AbiParam::new(t)));
    sig.returns.extend(ret.map(AbiParam::new));
    sig
}

fn state() -> Option<&'static Mutex<State>> {
    static STATE: OnceLock<Option<Mutex<State>>> = OnceLock::new();
    STATE.get_or_init(|| State::new(MAX_CACHED).ok().map(Mutex::new)).as_ref()
}

fn lock(m: &Mutex<State>) -> std::sync::MutexGuard<'_, State> {
    // A panic while holding the lock leaves the cache consistent (entries are inserted whole).
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Whether the JIT is enabled: `STARP_JIT=0` (read once) selects the interpreter.
fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var("STARP_JIT").map_or(true, |v| v.trim() != "0"))
}

/// Emits the function of `k` into `func` (declaring call-outs in `module`).
fn build_function(st_ids: &Ids, module: &mut JITModule, fctx: &mut FunctionBuilderContext, func: &mut Function, k: &Kernel, plan: &Plan) {
    emit::build(k, plan, module, st_ids, func, fctx);
}

impl State {
    fn new(cap: usize) -> Result<State, String> {
        let (module, ids) = new_module()?;
        Ok(State {
            gen: Arc::new(Generation { module: Mutex::new(Some(module)) }),
            ids,
            ctx: Context::new(),
            cache: HashMap::new(),
            cap,
            stats: JitStats::default(),
        })
    }

    /// The compiled form of `k`, compiling it on first use; None when it is unsupported.
    fn get(&mut self, k: &Kernel) -> Option<Arc<Compiled>> {
        if let Some(e) = self.cache.get(k) {
            return match e {
                Entry::Compiled(c) => {
                    let c = c.clone();
                    self.stats.cache_hits += 1;
                    Some(c)
                }
                Entry::Unsupported => None,
            };
        }
        let e = self.compile(k);
        let c = match &e {
            Entry::Compiled(c) => Some(c.clone()),
            Entry::Unsupported => None,
        };
        self.cache.insert(k.clone(), e);
        c
    }

    /// Compiles `k`, or records that it is unsupported. A kernel whose vector path the host
    /// cannot lower is compiled again without it.
    fn compile(&mut self, k: &Kernel) -> Entry {
        let start = Instant::now();
        let mut plan = match plan::plan(k) {
            Ok(p) => p,
            Err(_) => {
                self.stats.fallbacks += 1;
                return Entry::Unsupported;
            }
        };
        let mut e = self.compile_plan(k, &plan);
        if matches!(e, Entry::Unsupported) && plan.simd {
            plan.simd = false;
            e = self.compile_plan(k, &plan);
        }
        match &e {
            Entry::Compiled(_) => {
                self.stats.compiles += 1;
                self.stats.compile_ns += start.elapsed().as_nanos() as u64;
            }
            Entry::Unsupported => self.stats.fallbacks += 1,
        }
        e
    }

    fn compile_plan(&mut self, k: &Kernel, plan: &Plan) -> Entry {
        if self.cache.len() >= self.cap {
            match new_module() {
                Ok((module, ids)) => {
                    self.cache.clear();
                    self.gen = Arc::new(Generation { module: Mutex::new(Some(module)) });
                    self.ids = ids;
                }
                Err(_) => return Entry::Unsupported,
            }
        }
        let gen = self.gen.clone();
        let mut guard = gen.module.lock().unwrap_or_else(|e| e.into_inner());
        let Some(module) = guard.as_mut() else { return Entry::Unsupported };
        let result = (|| -> Result<KernelFn, String> {
            let sig = kernel_signature(module);
            let id: FuncId = module.declare_anonymous_function(&sig).map_err(|e| e.to_string())?;
            self.ctx.clear();
            self.ctx.func.signature = sig;
            self.ctx.func.name = UserFuncName::user(0, id.as_u32());
            // A fresh builder context each time: one left dirty by a failed build cannot leak.
            build_function(&self.ids, module, &mut FunctionBuilderContext::new(), &mut self.ctx.func, k, plan);
            module.define_function(id, &mut self.ctx).map_err(|e| format!("{e:?}"))?;
            module.clear_context(&mut self.ctx);
            module.finalize_definitions().map_err(|e| e.to_string())?;
            let p = module.get_finalized_function(id);
            // SAFETY: `p` is the entry of the function just compiled with the signature
            // `extern "C" fn(*const i64)` (the module's default call convention is the host's C
            // convention), and it stays mapped while its generation lives.
            Ok(unsafe { std::mem::transmute::<*const u8, KernelFn>(p) })
        })();
        drop(guard);
        match result {
            Ok(f) => Entry::Compiled(Arc::new(Compiled { f, plan: plan.clone(), _gen: gen })),
            Err(_) => {
                self.ctx.clear();
                Entry::Unsupported
            }
        }
    }
}

/// The compiled form of `k`, compiling it on first use; None when it runs in the interpreter.
fn lookup(k: &Kernel) -> Option<Arc<Compiled>> {
    if !enabled() {
        return None;
    }
    lock(state()?).get(k)
}

fn count_interpreted() {
    if let Some(st) = state() {
        lock(st).stats.interpreted_calls += 1;
    }
}

/// Runs `call` of `kernel` through the JIT (compiled once per distinct kernel structure, then
/// cached), or through the interpreter when `STARP_JIT=0` or the JIT does not support the kernel.
/// Results are the interpreter's (see `interp::run` for the calling convention).
///
/// # Safety
/// As [`crate::interp::run`]: every operand must address valid memory of its dtype at every
/// coordinate of the call's box (for a reduction: every kept coordinate of the box with every
/// reduced coordinate of the called leaves), and the partials must have room for the called
/// leaves.
pub unsafe fn run(kernel: &Kernel, call: &Call) {
    if let Some(c) = lookup(kernel) {
        // SAFETY: forwarded from the caller.
        if unsafe { drive::run(c.f, kernel, &c.plan, call) } {
            return;
        }
    }
    count_interpreted();
    // SAFETY: forwarded from the caller.
    unsafe { crate::interp::run(kernel, call) }
}

/// Runs `call` through the JIT only; false (and nothing run) when the JIT would fall back.
///
/// # Safety
/// As [`run`].
#[cfg(test)]
pub(crate) unsafe fn run_jit_only(kernel: &Kernel, call: &Call) -> bool {
    match lookup(kernel) {
        // SAFETY: forwarded from the caller.
        Some(c) => unsafe { drive::run(c.f, kernel, &c.plan, call) },
        None => false,
    }
}

/// JIT statistics since the process started.
pub fn jit_stats() -> JitStats {
    state().map(|st| lock(st).stats).unwrap_or_default()
}

/// The Cranelift IR of `kernel`'s function (for `STARP_DUMP` / explain), or None when the kernel
/// runs in the interpreter.
pub fn jit_ir(kernel: &Kernel) -> Option<String> {
    if !enabled() {
        return None;
    }
    let plan = plan::plan(kernel).ok()?;
    let st = state()?;
    let mut s = lock(st);
    let s = &mut *s;
    let gen = s.gen.clone();
    let mut guard = gen.module.lock().unwrap_or_else(|e| e.into_inner());
    let module = guard.as_mut()?;
    let mut func = Function::with_name_signature(UserFuncName::user(0, 0), kernel_signature(module));
    build_function(&s.ids, module, &mut FunctionBuilderContext::new(), &mut func, kernel, &plan);
    Some(func.display().to_string())
}
