//! The Rust functions JIT code calls for what it does not emit inline: the strip functions of
//! `vmath` (exp, log, sin, cos, tanh of float32 and float64 slices), powers, NumPy's float divmod, integer powers, the complex operations of `interp::math`, the complex
//! functions of `complex_math` and the Philox draws. Each one is the interpreter's own element function, so a call-out result is
//! bit-identical to the interpreter's.

use crate::interp::math::{
    cdiv, cmax, cmin, cpow, csign, floor_divide_f32, floor_divide_f64, logaddexp, logaddexp2, pow_i, pow_u,
    remainder_f32, remainder_f64,
};
use crate::complex_math;
use crate::interp::C;
use crate::interp::ufunc_math;
use crate::vmath::{self, Func};
use ir::op::UnaryOp;
use ir::philox;

/// Argument and result shape of a call-out, from which its Cranelift signature follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Sig {
    /// (f64, f64) -> f64
    F2,
    /// (f32, f32) -> f32
    S2,
    /// (i64, i64) -> i64
    I2,
    /// (re, im, out: *mut [f64; 2])
    C1,
    /// (ar, ai, br, bi, out: *mut [f64; 2])
    C2,
    /// (seed, draw, index) -> f64
    R3F,
    /// (seed, draw, index, range) -> u64
    R4I,
    /// (x: *const T, out: *mut T, n)
    Strip,
    /// (f64) -> f64
    F1,
    /// (f32) -> f32
    S1,
    /// (f64, i64) -> f64
    FI,
    /// (f64) -> i64
    F1I,
}

pub(crate) struct Callout {
    pub name: &'static str,
    pub sig: Sig,
    pub ptr: *const u8,
}

/// Applies a strip function to `n` elements at `x` into `out`. JIT code passes its own buffers
/// or, for contiguous aligned operands, the arrays themselves: an output may then be its input
/// (an in-place kernel), which goes through a copy of the input, as would any other overlap.
fn strip<T: Copy + Default>(f: fn(&[T], &mut [T]), x: *const T, out: *mut T, n: i64) {
    let n = n.max(0) as usize;
    if n == 0 {
        return;
    }
    let bytes = n * std::mem::size_of::<T>();
    let (xa, oa) = (x as usize, out as usize);
    if xa + bytes <= oa || oa + bytes <= xa {
        // SAFETY: JIT code passes n valid aligned elements at each pointer; they do not overlap.
        let (x, out) = unsafe { (std::slice::from_raw_parts(x, n), std::slice::from_raw_parts_mut(out, n)) };
        return f(x, out);
    }
    let mut tmp = [T::default(); 256];
    let mut at = 0;
    while at < n {
        let len = (n - at).min(tmp.len());
        // SAFETY: n valid aligned elements at each pointer; the slices are of the copy and of
        // the output only.
        unsafe {
            std::ptr::copy(x.add(at), tmp.as_mut_ptr(), len);
            f(&tmp[..len], std::slice::from_raw_parts_mut(out.add(at), len));
        }
        at += len;
    }
}

macro_rules! strip_fns {
    ($($name:ident => $f:ident: $t:ty),* $(,)?) => {$(
        extern "C" fn $name(x: *const $t, out: *mut $t, n: i64) {
            strip(vmath::$f, x, out, n)
        }
    )*};
}
strip_fns!(
    vexp_f64_ => exp_f64: f64, vlog_f64_ => log_f64: f64, vsin_f64_ => sin_f64: f64, vcos_f64_ => cos_f64: f64,
    vtanh_f64_ => tanh_f64: f64, vexp_f32_ => exp_f32: f32, vlog_f32_ => log_f32: f32, vsin_f32_ => sin_f32: f32,
    vcos_f32_ => cos_f32: f32, vtanh_f32_ => tanh_f32: f32,
);

/// The strip call-outs of the functions added with issue 6 (the libm-backed ones and expm1 /
/// log1p of `vmath`): their extern fns, names and registrations.
macro_rules! more_strips {
    ($($func:ident: $n64:ident => $f64:ident, $n32:ident => $f32:ident;)*) => {
        $(
            extern "C" fn $n64(x: *const f64, out: *mut f64, n: i64) {
                strip(vmath::$f64, x, out, n)
            }
            extern "C" fn $n32(x: *const f32, out: *mut f32, n: i64) {
                strip(vmath::$f32, x, out, n)
            }
        )*

        fn more_strip_name(f: Func, f32: bool) -> &'static str {
            match (f, f32) {
                $(
                    (Func::$func, false) => concat!("starp_", stringify!($n64)),
                    (Func::$func, true) => concat!("starp_", stringify!($n32)),
                )*
                _ => unreachable!("the first five functions are named in strip_name"),
            }
        }

        fn more_strips() -> Vec<Callout> {
            vec![$(
                Callout { name: concat!("starp_", stringify!($n64)), sig: Sig::Strip, ptr: $n64 as *const u8 },
                Callout { name: concat!("starp_", stringify!($n32)), sig: Sig::Strip, ptr: $n32 as *const u8 },
            )*]
        }
    };
}
more_strips!(
    Expm1: vexpm1_f64_ => expm1_f64, vexpm1_f32_ => expm1_f32;
    Log1p: vlog1p_f64_ => log1p_f64, vlog1p_f32_ => log1p_f32;
    Log2: vlog2_f64_ => log2_f64, vlog2_f32_ => log2_f32;
    Log10: vlog10_f64_ => log10_f64, vlog10_f32_ => log10_f32;
    Exp2: vexp2_f64_ => exp2_f64, vexp2_f32_ => exp2_f32;
    Cbrt: vcbrt_f64_ => cbrt_f64, vcbrt_f32_ => cbrt_f32;
    Tan: vtan_f64_ => tan_f64, vtan_f32_ => tan_f32;
    Arcsin: varcsin_f64_ => arcsin_f64, varcsin_f32_ => arcsin_f32;
    Arccos: varccos_f64_ => arccos_f64, varccos_f32_ => arccos_f32;
    Arctan: varctan_f64_ => arctan_f64, varctan_f32_ => arctan_f32;
    Sinh: vsinh_f64_ => sinh_f64, vsinh_f32_ => sinh_f32;
    Cosh: vcosh_f64_ => cosh_f64, vcosh_f32_ => cosh_f32;
    Arcsinh: varcsinh_f64_ => arcsinh_f64, varcsinh_f32_ => arcsinh_f32;
    Arccosh: varccosh_f64_ => arccosh_f64, varccosh_f32_ => arccosh_f32;
    Arctanh: varctanh_f64_ => arctanh_f64, varctanh_f32_ => arctanh_f32;
);

/// The call-out name of the strip function of `f` (float32 or float64).
pub(crate) fn strip_name(f: Func, f32: bool) -> &'static str {
    match (f, f32) {
        (Func::Exp, false) => "starp_vexp_f64_",
        (Func::Log, false) => "starp_vlog_f64_",
        (Func::Sin, false) => "starp_vsin_f64_",
        (Func::Cos, false) => "starp_vcos_f64_",
        (Func::Tanh, false) => "starp_vtanh_f64_",
        (Func::Exp, true) => "starp_vexp_f32_",
        (Func::Log, true) => "starp_vlog_f32_",
        (Func::Sin, true) => "starp_vsin_f32_",
        (Func::Cos, true) => "starp_vcos_f32_",
        (Func::Tanh, true) => "starp_vtanh_f32_",
        _ => more_strip_name(f, f32),
    }
}
extern "C" fn pow_(a: f64, b: f64) -> f64 {
    a.powf(b)
}
extern "C" fn hypot_(a: f64, b: f64) -> f64 {
    C::new(a, b).norm()
}
extern "C" fn fmod_(a: f64, b: f64) -> f64 {
    a % b
}
extern "C" fn atan2_(a: f64, b: f64) -> f64 {
    a.atan2(b)
}
extern "C" fn logaddexp_(a: f64, b: f64) -> f64 {
    logaddexp(a, b)
}
extern "C" fn logaddexp2_(a: f64, b: f64) -> f64 {
    logaddexp2(a, b)
}
extern "C" fn csign_(re: f64, im: f64, out: *mut f64) {
    put(out, csign(C::new(re, im), false))
}
extern "C" fn csign32_(re: f64, im: f64, out: *mut f64) {
    put(out, csign(C::new(re, im), true))
}
extern "C" fn floor_divide_f64_(a: f64, b: f64) -> f64 {
    floor_divide_f64(a, b)
}
extern "C" fn remainder_f64_(a: f64, b: f64) -> f64 {
    remainder_f64(a, b)
}
extern "C" fn floor_divide_f32_(a: f32, b: f32) -> f32 {
    floor_divide_f32(a, b)
}
extern "C" fn remainder_f32_(a: f32, b: f32) -> f32 {
    remainder_f32(a, b)
}
extern "C" fn pow_i_(a: i64, b: i64) -> i64 {
    pow_i(a, b)
}
extern "C" fn pow_u_(a: i64, b: i64) -> i64 {
    pow_u(a as u64, b as u64) as i64
}

/// Writes a complex result through the out pointer the JIT passes (a 16-byte stack slot).
fn put(out: *mut f64, z: C) {
    // SAFETY: JIT code passes the address of a 16-byte stack slot of its own frame.
    unsafe {
        out.write_unaligned(z.re);
        out.add(1).write_unaligned(z.im);
    }
}

/// The complex functions of `complex_math`: one call-out per function and precision (complex64
/// computes in float32), each the interpreter's element function.
macro_rules! complex_functions {
    ($($op:ident: $n64:ident, $n32:ident;)*) => {
        $(
            extern "C" fn $n64(re: f64, im: f64, out: *mut f64) {
                let f = complex_math::function(UnaryOp::$op, false).expect("a complex function");
                let (r, i) = f(re, im);
                put(out, C::new(r, i))
            }
            extern "C" fn $n32(re: f64, im: f64, out: *mut f64) {
                let f = complex_math::function(UnaryOp::$op, true).expect("a complex function");
                let (r, i) = f(re, im);
                put(out, C::new(r, i))
            }
        )*

        /// The call-out name of the complex function `op` (complex64 when `single`), if any.
        pub(crate) fn complex_name(op: UnaryOp, single: bool) -> Option<&'static str> {
            Some(match (op, single) {
                $(
                    (UnaryOp::$op, false) => concat!("starp_", stringify!($n64)),
                    (UnaryOp::$op, true) => concat!("starp_", stringify!($n32)),
                )*
                _ => return None,
            })
        }

        fn complex_functions() -> Vec<Callout> {
            vec![$(
                Callout { name: concat!("starp_", stringify!($n64)), sig: Sig::C1, ptr: $n64 as *const u8 },
                Callout { name: concat!("starp_", stringify!($n32)), sig: Sig::C1, ptr: $n32 as *const u8 },
            )*]
        }
    };
}
complex_functions!(
    Sqrt: csqrt_, csqrt32_;
    Exp: cexp_, cexp32_;
    Log: clog_, clog32_;
    Sin: csin_, csin32_;
    Cos: ccos_, ccos32_;
    Tan: ctan_, ctan32_;
    Sinh: csinh_, csinh32_;
    Cosh: ccosh_, ccosh32_;
    Tanh: ctanh_, ctanh32_;
    Arcsin: casin_, casin32_;
    Arccos: cacos_, cacos32_;
    Arctan: catan_, catan32_;
    Arcsinh: casinh_, casinh32_;
    Arccosh: cacosh_, cacosh32_;
    Arctanh: catanh_, catanh32_;
    Expm1: cexpm1_, cexpm132_;
    Log1p: clog1p_, clog1p32_;
    Exp2: cexp2_, cexp232_;
    Log2: clog2_, clog232_;
    Log10: clog10_, clog1032_;
);

macro_rules! complex_binary {
    ($($name:ident => $f:ident),* $(,)?) => {$(
        extern "C" fn $name(ar: f64, ai: f64, br: f64, bi: f64, out: *mut f64) {
            put(out, $f(C::new(ar, ai), C::new(br, bi)))
        }
    )*};
}
complex_binary!(cdiv_ => cdiv, cpow_ => cpow, cmax_ => cmax, cmin_ => cmin);

extern "C" fn uniform01_(seed: u64, draw: u64, index: i64) -> f64 {
    philox::uniform01(seed, draw, index as u64)
}
extern "C" fn normal_(seed: u64, draw: u64, index: i64) -> f64 {
    philox::standard_normal(seed, draw, index as u64)
}
extern "C" fn bounded_(seed: u64, draw: u64, index: i64, range: u64) -> u64 {
    philox::bounded_u64(seed, draw, index as u64, range)
}

// The ufuncs with IR ops of their own (`interp::ufunc_math`).
extern "C" fn nextafter_(a: f64, b: f64) -> f64 {
    ufunc_math::nextafter_f64(a, b)
}
extern "C" fn nextafter32_(a: f32, b: f32) -> f32 {
    ufunc_math::nextafter_f32(a, b)
}
extern "C" fn spacing_(x: f64) -> f64 {
    ufunc_math::spacing_f64(x)
}
extern "C" fn spacing32_(x: f32) -> f32 {
    ufunc_math::spacing_f32(x)
}
extern "C" fn ldexp_(x: f64, n: i64) -> f64 {
    ufunc_math::ldexp_f64(x, n)
}
extern "C" fn frexp_mantissa_(x: f64) -> f64 {
    ufunc_math::frexp(x).0
}
extern "C" fn frexp_exponent_(x: f64) -> i64 {
    ufunc_math::frexp(x).1 as i64
}
extern "C" fn gcd_i_(a: i64, b: i64) -> i64 {
    ufunc_math::gcd_i(a, b)
}
extern "C" fn gcd_u_(a: i64, b: i64) -> i64 {
    ufunc_math::gcd_u(a as u64, b as u64) as i64
}
extern "C" fn lcm_i_(a: i64, b: i64) -> i64 {
    ufunc_math::lcm_i(a, b)
}
extern "C" fn lcm_u_(a: i64, b: i64) -> i64 {
    ufunc_math::lcm_u(a as u64, b as u64) as i64
}
extern "C" fn cfmax_(ar: f64, ai: f64, br: f64, bi: f64, out: *mut f64) {
    put(out, ufunc_math::cfmax(C::new(ar, ai), C::new(br, bi)))
}
extern "C" fn cfmin_(ar: f64, ai: f64, br: f64, bi: f64, out: *mut f64) {
    put(out, ufunc_math::cfmin(C::new(ar, ai), C::new(br, bi)))
}

fn ufunc_callouts() -> Vec<Callout> {
    macro_rules! c {
        ($name:ident, $sig:ident) => {
            Callout { name: concat!("starp_", stringify!($name)), sig: Sig::$sig, ptr: $name as *const u8 }
        };
    }
    vec![
        c!(nextafter_, F2),
        c!(nextafter32_, S2),
        c!(spacing_, F1),
        c!(spacing32_, S1),
        c!(ldexp_, FI),
        c!(frexp_mantissa_, F1),
        c!(frexp_exponent_, F1I),
        c!(gcd_i_, I2),
        c!(gcd_u_, I2),
        c!(lcm_i_, I2),
        c!(lcm_u_, I2),
        c!(cfmax_, C2),
        c!(cfmin_, C2),
    ]
}

/// Every call-out, registered with the JIT module under its name.
pub(crate) fn all() -> Vec<Callout> {
    macro_rules! c {
        ($name:ident, $sig:ident) => {
            Callout { name: concat!("starp_", stringify!($name)), sig: Sig::$sig, ptr: $name as *const u8 }
        };
    }
    let mut v = vec![
        c!(fmod_, F2),
        c!(atan2_, F2),
        c!(logaddexp_, F2),
        c!(logaddexp2_, F2),
        c!(csign_, C1),
        c!(csign32_, C1),
    ];
    v.extend(more_strips());
    v.extend(complex_functions());
    v.extend(ufunc_callouts());
    v.extend([
        c!(vexp_f64_, Strip),
        c!(vlog_f64_, Strip),
        c!(vsin_f64_, Strip),
        c!(vcos_f64_, Strip),
        c!(vtanh_f64_, Strip),
        c!(vexp_f32_, Strip),
        c!(vlog_f32_, Strip),
        c!(vsin_f32_, Strip),
        c!(vcos_f32_, Strip),
        c!(vtanh_f32_, Strip),
        c!(pow_, F2),
        c!(hypot_, F2),
        c!(floor_divide_f64_, F2),
        c!(remainder_f64_, F2),
        c!(floor_divide_f32_, S2),
        c!(remainder_f32_, S2),
        c!(pow_i_, I2),
        c!(pow_u_, I2),
        c!(cdiv_, C2),
        c!(cpow_, C2),
        c!(cmax_, C2),
        c!(cmin_, C2),
        c!(uniform01_, R3F),
        c!(normal_, R3F),
        c!(bounded_, R4I),
    ]);
    v
}
