//! Vector math: the float transcendental functions of the kernel IR over slices, the one
//! implementation the interpreter and the JIT both call (so their results stay bit-identical).
//!
//! Each function maps `x[i]` to `out[i]` for `i < min(x.len(), out.len())`; the result of an
//! element depends on its value only, never on its position or on the slice length, so any split
//! of a column into strips gives the same bits. No input value panics.
//!
//! The element kernels (`kernels.rs`) are branch-free polynomial approximations after an
//! argument reduction, in plain Rust that LLVM vectorizes: exp as 2^n e^r with a Cody-Waite
//! reduction and a degree-12 polynomial, log as fdlibm's 2^k (1+f) with s = f/(2+f), sin and cos
//! with a double-double Cody-Waite reduction by pi/2 (four parts) and fdlibm's kernels, tanh as
//! an odd polynomial below 0.5493 and as 1 - 2/(expm1(2|x|) + 2) above. Float32 functions compute in f64 with polynomials of float32 accuracy and round once.
//! Special values are NumPy's: exp(-inf) = 0, exp(inf) = inf, log(0) = -inf, log(x < 0) = nan,
//! sin/cos(±inf) = nan, tanh(±inf) = ±1, odd functions keep the sign of -0.0, nan gives nan.
//! sin and cos of |x| > 2^20 (and of ±inf) take the scalar libm functions in a second pass.
//!
//! Accuracy. Float64, largest error seen against 200-bit mpmath over ~5000 arguments per
//! function (glibc's own in brackets): exp 0.80 (0.50), expm1 1.29 (0.74), log 0.73 (0.50),
//! log1p 0.91 (0.72), sin 0.75 (0.50), cos 0.69 (0.50), tanh 1.18 (2.01) ulp. The tests check
//! 400k arguments per function against libm: at most 1 ulp apart for exp, log, log1p, sin, cos,
//! 2 for expm1 and tanh. Float32: at most 1 ulp from the correctly rounded result (the f64
//! polynomials err by ~1e-10, so all but ~0.03% of results are correctly rounded).
//!
//! On x86-64 each function is compiled three times, for the baseline (SSE2), AVX2+FMA and
//! AVX-512F, and picks the widest the CPU has at run time (`STARP_VMATH=base|avx2` caps it). The
//! variants are bit-identical: the kernels use only correctly rounded operations (+ - * /, fused
//! multiply-add through `mul_add`, comparisons, selects, bit operations), so every lane of every
//! width computes what the scalar code computes.
//!
//! FMA: the polynomials are evaluated with `mul_add` in every variant. Measured over 4096
//! cache-resident float64 on an AVX-512 machine, fusing only the Horner steps took exp from 1.57
//! to 1.09 ns/element with AVX2 and from 0.85 to 0.62 with AVX-512 (tanh 2.79 to 1.92 and 1.43
//! to 0.97). The price is the baseline variant, which only runs on CPUs without FMA (x86-64
//! before Haswell / Piledriver, or VMs hiding FMA): there `mul_add` is a call to libm's `fma`
//! per step, and exp costs ~44 ns/element instead of ~3.3 without FMA (libm's own exp: ~2.7;
//! the Base column of `bench_vmath` on the FMA machine, so with glibc's hardware `fma` behind
//! the call). Every x86-64-v3 CPU and every aarch64 CPU has FMA (on
//! aarch64 `mul_add` is an instruction and the one variant vectorizes). Replacing `madd` in
//! `kernels.rs` by a plain multiply and add (and dropping "fma" from the AVX2 variant) gives the
//! FMA-free form, with the same accuracy bounds in the tests.

mod kernels;

#[cfg(test)]
mod tests;

use std::sync::atomic::{AtomicU8, Ordering};

/// The instruction set a strip function runs with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Level {
    Base,
    #[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
    Avx2,
    #[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
    Avx512,
}

impl Level {
    /// Whether this CPU can run `self`.
    pub(crate) fn available(self) -> bool {
        match self {
            Level::Base => true,
            #[cfg(target_arch = "x86_64")]
            Level::Avx2 => std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma"),
            #[cfg(target_arch = "x86_64")]
            Level::Avx512 => std::arch::is_x86_feature_detected!("avx512f"),
            #[cfg(not(target_arch = "x86_64"))]
            _ => false,
        }
    }
}

/// The widest level this CPU has (detected once; `STARP_VMATH=base|avx2` caps it).
pub(crate) fn level() -> Level {
    static LEVEL: AtomicU8 = AtomicU8::new(0);
    match LEVEL.load(Ordering::Relaxed) {
        1 => Level::Base,
        2 => Level::Avx2,
        3 => Level::Avx512,
        _ => {
            let cap = std::env::var("STARP_VMATH").unwrap_or_default();
            let l = match cap.trim() {
                "base" => Level::Base,
                "avx2" if Level::Avx2.available() => Level::Avx2,
                _ if Level::Avx512.available() => Level::Avx512,
                _ if Level::Avx2.available() => Level::Avx2,
                _ => Level::Base,
            };
            LEVEL.store(
                match l {
                    Level::Base => 1,
                    Level::Avx2 => 2,
                    Level::Avx512 => 3,
                },
                Ordering::Relaxed,
            );
            l
        }
    }
}

/// Defines `pub fn $name(x, out)` and `pub(crate) fn $at(level, x, out)` mapping `$k` over the
/// slices, then running `$fix` (a scalar fix-up pass) if given.
macro_rules! strip {
    ($(#[$m:meta])* $name:ident, $at:ident, $t:ty, $k:path $(, $fix:expr)?) => {
        $(#[$m])*
        pub fn $name(x: &[$t], out: &mut [$t]) {
            $at(level(), x, out)
        }

        pub(crate) fn $at(l: Level, x: &[$t], out: &mut [$t]) {
            #[inline(always)]
            fn body(x: &[$t], out: &mut [$t]) {
                for (o, &v) in out.iter_mut().zip(x) {
                    *o = $k(v);
                }
            }
            let n = x.len().min(out.len());
            let (x, out) = (&x[..n], &mut out[..n]);
            #[cfg(target_arch = "x86_64")]
            {
                #[target_feature(enable = "avx2,fma")]
                unsafe fn avx2(x: &[$t], out: &mut [$t]) {
                    body(x, out)
                }
                #[target_feature(enable = "avx512f")]
                unsafe fn avx512(x: &[$t], out: &mut [$t]) {
                    body(x, out)
                }
                match l {
                    // SAFETY: the level is only used when the CPU has it.
                    Level::Avx512 if l.available() => unsafe { avx512(x, out) },
                    // SAFETY: as above.
                    Level::Avx2 if l.available() => unsafe { avx2(x, out) },
                    _ => body(x, out),
                }
            }
            #[cfg(not(target_arch = "x86_64"))]
            {
                let _ = l;
                body(x, out);
            }
            $($fix(x, out);)?
        }
    };
}

/// sin/cos of the elements the vector kernel does not reduce (|x| > 2^20, ±inf) by libm.
macro_rules! trig_fix {
    ($name:ident, $t:ty, $f:ident) => {
        fn $name(x: &[$t], out: &mut [$t]) {
            for (o, &v) in out.iter_mut().zip(x) {
                if (v as f64).abs() > kernels::TRIG_VECTOR_MAX {
                    *o = (v as f64).$f() as $t;
                }
            }
        }
    };
}
trig_fix!(sin_fix_f64, f64, sin);
trig_fix!(cos_fix_f64, f64, cos);
trig_fix!(sin_fix_f32, f32, sin);
trig_fix!(cos_fix_f32, f32, cos);

strip!(
    /// e^x.
    exp_f64, exp_f64_at, f64, kernels::exp_f64
);
strip!(
    /// e^x - 1.
    expm1_f64, expm1_f64_at, f64, kernels::expm1_f64
);
strip!(
    /// The natural logarithm.
    log_f64, log_f64_at, f64, kernels::log_f64
);
strip!(
    /// ln(1 + x).
    log1p_f64, log1p_f64_at, f64, kernels::log1p_f64
);
strip!(
    /// sin x.
    sin_f64, sin_f64_at, f64, kernels::sin_f64, sin_fix_f64
);
strip!(
    /// cos x.
    cos_f64, cos_f64_at, f64, kernels::cos_f64, cos_fix_f64
);
strip!(
    /// tanh x.
    tanh_f64, tanh_f64_at, f64, kernels::tanh_f64
);
strip!(
    /// e^x.
    exp_f32, exp_f32_at, f32, kernels::exp_f32
);
strip!(
    /// e^x - 1.
    expm1_f32, expm1_f32_at, f32, kernels::expm1_f32
);
strip!(
    /// The natural logarithm.
    log_f32, log_f32_at, f32, kernels::log_f32
);
strip!(
    /// ln(1 + x).
    log1p_f32, log1p_f32_at, f32, kernels::log1p_f32
);
strip!(
    /// sin x.
    sin_f32, sin_f32_at, f32, kernels::sin_f32, sin_fix_f32
);
strip!(
    /// cos x.
    cos_f32, cos_f32_at, f32, kernels::cos_f32, cos_fix_f32
);
strip!(
    /// tanh x.
    tanh_f32, tanh_f32_at, f32, kernels::tanh_f32
);

/// The functions of the C library (glibc's libm: correctly rounded or within 1 ulp in float64)
/// that Rust's std does not call for these three (its asinh/acosh/atanh are formulas of its own).
mod libm {
    extern "C" {
        pub fn asinh(x: f64) -> f64;
        pub fn acosh(x: f64) -> f64;
        pub fn atanh(x: f64) -> f64;
    }
}

/// Scalar element functions (libm per element, no vector kernel of our own yet) mapped over the
/// slices. Float32 computes the float64 function of the (exact) widened argument and rounds
/// once: within an ulp of the correctly rounded float32 result (double rounding aside).
macro_rules! scalar_strip {
    ($($(#[$m:meta])* $f64n:ident, $f32n:ident, |$x:ident| $e:expr;)*) => {$(
        $(#[$m])*
        pub fn $f64n(x: &[f64], out: &mut [f64]) {
            for (o, &$x) in out.iter_mut().zip(x) {
                *o = $e;
            }
        }
        $(#[$m])*
        pub fn $f32n(x: &[f32], out: &mut [f32]) {
            for (o, &v) in out.iter_mut().zip(x) {
                let $x = v as f64;
                *o = ($e) as f32;
            }
        }
    )*};
}

scalar_strip!(
    /// log2 x.
    log2_f64, log2_f32, |x| x.log2();
    /// log10 x.
    log10_f64, log10_f32, |x| x.log10();
    /// 2^x.
    exp2_f64, exp2_f32, |x| x.exp2();
    /// The real cube root.
    cbrt_f64, cbrt_f32, |x| x.cbrt();
    /// tan x.
    tan_f64, tan_f32, |x| x.tan();
    /// arcsin x (NaN outside [-1, 1]).
    arcsin_f64, arcsin_f32, |x| x.asin();
    /// arccos x (NaN outside [-1, 1]).
    arccos_f64, arccos_f32, |x| x.acos();
    /// arctan x.
    arctan_f64, arctan_f32, |x| x.atan();
    /// sinh x.
    sinh_f64, sinh_f32, |x| x.sinh();
    /// cosh x.
    cosh_f64, cosh_f32, |x| x.cosh();
    /// arcsinh x.
    // SAFETY: a pure libm function.
    arcsinh_f64, arcsinh_f32, |x| unsafe { libm::asinh(x) };
    /// arccosh x (NaN below 1).
    // SAFETY: a pure libm function.
    arccosh_f64, arccosh_f32, |x| unsafe { libm::acosh(x) };
    /// arctanh x (±inf at ±1, NaN outside).
    // SAFETY: a pure libm function.
    arctanh_f64, arctanh_f32, |x| unsafe { libm::atanh(x) };
);

/// One row per function: the `UnaryOp` (and `Func`) name, its float64 and float32 strips.
macro_rules! funcs {
    ($($f:ident => $f64:path, $f32:path;)*) => {
        /// A transcendental function of the kernel IR that `vmath` computes.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub(crate) enum Func {
            $($f,)*
        }

        impl Func {
            pub(crate) fn of(op: ir::op::UnaryOp) -> Option<Func> {
                Some(match op {
                    $(ir::op::UnaryOp::$f => Func::$f,)*
                    _ => return None,
                })
            }

            pub(crate) fn f64(self) -> fn(&[f64], &mut [f64]) {
                match self {
                    $(Func::$f => $f64,)*
                }
            }

            pub(crate) fn f32(self) -> fn(&[f32], &mut [f32]) {
                match self {
                    $(Func::$f => $f32,)*
                }
            }
        }
    };
}

funcs!(
    Exp => exp_f64, exp_f32;
    Log => log_f64, log_f32;
    Sin => sin_f64, sin_f32;
    Cos => cos_f64, cos_f32;
    Tanh => tanh_f64, tanh_f32;
    Expm1 => expm1_f64, expm1_f32;
    Log1p => log1p_f64, log1p_f32;
    Log2 => log2_f64, log2_f32;
    Log10 => log10_f64, log10_f32;
    Exp2 => exp2_f64, exp2_f32;
    Cbrt => cbrt_f64, cbrt_f32;
    Tan => tan_f64, tan_f32;
    Arcsin => arcsin_f64, arcsin_f32;
    Arccos => arccos_f64, arccos_f32;
    Arctan => arctan_f64, arctan_f32;
    Sinh => sinh_f64, sinh_f32;
    Cosh => cosh_f64, cosh_f32;
    Arcsinh => arcsinh_f64, arcsinh_f32;
    Arccosh => arccosh_f64, arccosh_f32;
    Arctanh => arctanh_f64, arctanh_f32;
);
