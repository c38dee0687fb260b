//! The Rust functions JIT code calls for what it does not emit inline: transcendental functions,
//! NumPy's float divmod, integer powers, the complex operations of `interp::math` and the Philox
//! draws. Each one is the interpreter's own element function, so a call-out result is
//! bit-identical to the interpreter's.

use crate::interp::math::{
    cdiv, cmax, cmin, cpow, floor_divide_f32, floor_divide_f64, pow_i, pow_u, remainder_f32, remainder_f64,
};
use ir::philox;
use num_complex::Complex64 as C;

/// Argument and result shape of a call-out, from which its Cranelift signature follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Sig {
    /// f64 -> f64
    F1,
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
}

pub(crate) struct Callout {
    pub name: &'static str,
    pub sig: Sig,
    pub ptr: *const u8,
}

extern "C" fn exp_(x: f64) -> f64 {
    x.exp()
}
extern "C" fn ln_(x: f64) -> f64 {
    x.ln()
}
extern "C" fn sin_(x: f64) -> f64 {
    x.sin()
}
extern "C" fn cos_(x: f64) -> f64 {
    x.cos()
}
extern "C" fn tanh_(x: f64) -> f64 {
    x.tanh()
}
extern "C" fn pow_(a: f64, b: f64) -> f64 {
    a.powf(b)
}
extern "C" fn hypot_(a: f64, b: f64) -> f64 {
    C::new(a, b).norm()
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

macro_rules! complex_unary {
    ($($name:ident => $f:ident),* $(,)?) => {$(
        extern "C" fn $name(re: f64, im: f64, out: *mut f64) {
            put(out, C::new(re, im).$f())
        }
    )*};
}
complex_unary!(csqrt_ => sqrt, cexp_ => exp, cln_ => ln, csin_ => sin, ccos_ => cos, ctanh_ => tanh);

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

/// Every call-out, registered with the JIT module under its name.
pub(crate) fn all() -> Vec<Callout> {
    macro_rules! c {
        ($name:ident, $sig:ident) => {
            Callout { name: concat!("starp_", stringify!($name)), sig: Sig::$sig, ptr: $name as *const u8 }
        };
    }
    vec![
        c!(exp_, F1),
        c!(ln_, F1),
        c!(sin_, F1),
        c!(cos_, F1),
        c!(tanh_, F1),
        c!(pow_, F2),
        c!(hypot_, F2),
        c!(floor_divide_f64_, F2),
        c!(remainder_f64_, F2),
        c!(floor_divide_f32_, S2),
        c!(remainder_f32_, S2),
        c!(pow_i_, I2),
        c!(pow_u_, I2),
        c!(csqrt_, C1),
        c!(cexp_, C1),
        c!(cln_, C1),
        c!(csin_, C1),
        c!(ccos_, C1),
        c!(ctanh_, C1),
        c!(cdiv_, C2),
        c!(cpow_, C2),
        c!(cmax_, C2),
        c!(cmin_, C2),
        c!(uniform01_, R3F),
        c!(normal_, R3F),
        c!(bounded_, R4I),
    ]
}
