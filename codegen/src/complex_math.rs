//! The complex functions of NumPy's transcendental ufuncs, with NumPy's results: sqrt exp log sin
//! cos tan sinh cosh tanh arcsin arccos arctan arcsinh arccosh arctanh expm1 log1p exp2 log2
//! log10, for complex128 (f64 parts) and complex64 (f32 parts).
//!
//! What NumPy computes. Its complex loops (umath `funcs.inc.src`) call the C library's complex
//! functions (csqrt, cexp, clog, csin, ..., catanh; the `f` versions for complex64, which run in
//! float32 arithmetic with float32's overflow thresholds), and its own short formulas for expm1,
//! log1p, exp2, log2 and log10 (`nc_expm1` and friends), again in the precision of the dtype. On
//! Linux the C library is glibc, whose complex functions implement C99 Annex G (the special values
//! of infinities, NaNs and signed zeros on the branch cuts) and avoid spurious overflow and
//! underflow. NumPy's own fallbacks (FreeBSD msun, `npy_math_complex.c.src`) are Annex G
//! conformant as well, but differ from glibc away from the special values: FreeBSD's ctanh, for
//! one, gives an imaginary part of exactly 0 once |x| >= 22 (9 for float), where glibc (and so
//! NumPy on Linux) gives the tiny 4 sin(y) cos(y) e^-2|x|. This module therefore follows glibc's
//! algorithms, step by step, in the precision of the dtype, and does its real arithmetic with the
//! platform libm (Rust's f32/f64 `sin`, `exp`, `hypot`, `atan2`, `ln_1p`, ... call it), the
//! functions glibc's complex functions use themselves: results equal NumPy's bit for bit (every
//! one of ~160k arguments compared, special-value grids and random values of every magnitude,
//! for both precisions, on glibc 2.36), and would stay within a few ulps where a libm differs.
//!
//! Everything is generic over [`Real`] (f32 and f64); [`function`] gives the element function of
//! a unary op for the interpreter's complex columns and the JIT's call-outs, so both run the same
//! code.

use ir::op::UnaryOp;
use std::ops::{Add, Div, Mul, Neg, Sub};

/// The real arithmetic and libm functions the complex functions are written in.
pub(crate) trait Real:
    Copy
    + PartialOrd
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
    + Neg<Output = Self>
    + std::fmt::Debug
{
    const ZERO: Self;
    const HALF: Self;
    const QUARTER: Self;
    const ONE: Self;
    const ONE_HALF: Self;
    const TWO: Self;
    const THREE_QUARTERS: Self;
    const FOUR: Self;
    const EIGHT: Self;
    const SIXTEEN: Self;
    const INFINITY: Self;
    const NAN: Self;
    /// The largest finite value.
    const MAX: Self;
    /// The smallest normal value (C's FLT_MIN / DBL_MIN).
    const MIN: Self;
    const EPSILON: Self;
    const LN_2: Self;
    const PI: Self;
    const FRAC_PI_2: Self;
    const FRAC_PI_4: Self;
    const LOG2_E: Self;
    const LOG10_E: Self;
    /// Mantissa digits (C's FLT_MANT_DIG / DBL_MANT_DIG).
    const MANT_DIG: i32;
    /// `(int)((MAX_EXP - 1) * ln 2)`: e^t is finite and e^(t + 1) is near overflow (709, 88).
    const EXP_T: i32;
    /// Half of that, for tan/tanh, where e^(2t) appears (354, 44).
    const TANH_T: i32;

    fn of_i32(n: i32) -> Self;
    /// 2^n, exactly (n within the normal exponent range): multiplying by it is C's scalbn.
    fn pow2(n: i32) -> Self;
    fn abs(self) -> Self;
    fn copysign(self, sign: Self) -> Self;
    fn is_nan(self) -> bool;
    fn is_infinite(self) -> bool;
    fn is_finite(self) -> bool;
    fn signbit(self) -> bool;
    fn sqrt(self) -> Self;
    fn exp(self) -> Self;
    fn exp_m1(self) -> Self;
    fn ln(self) -> Self;
    fn ln_1p(self) -> Self;
    fn sin(self) -> Self;
    fn cos(self) -> Self;
    fn sinh(self) -> Self;
    fn cosh(self) -> Self;
    fn hypot(self, other: Self) -> Self;
    fn atan2(self, other: Self) -> Self;
    /// x^2 + y^2 - 1 without the cancellation of the naive formula, for 1 > x >= y >= eps/2 and
    /// x^2 + y^2 >= 1/2 (glibc's `__x2y2m1`): clog and catan(h) take log1p of it near |z| = 1.
    fn x2y2m1(x: Self, y: Self) -> Self;
}

macro_rules! real {
    ($t:ident, $bits:ty, $mant:expr, $exp_t:expr, $tanh_t:expr) => {
        impl Real for $t {
            const ZERO: $t = 0.0;
            const HALF: $t = 0.5;
            const QUARTER: $t = 0.25;
            const ONE: $t = 1.0;
            const ONE_HALF: $t = 1.5;
            const TWO: $t = 2.0;
            const THREE_QUARTERS: $t = 0.75;
            const FOUR: $t = 4.0;
            const EIGHT: $t = 8.0;
            const SIXTEEN: $t = 16.0;
            const INFINITY: $t = $t::INFINITY;
            const NAN: $t = $t::NAN;
            const MAX: $t = $t::MAX;
            const MIN: $t = $t::MIN_POSITIVE;
            const EPSILON: $t = $t::EPSILON;
            const LN_2: $t = std::$t::consts::LN_2;
            const PI: $t = std::$t::consts::PI;
            const FRAC_PI_2: $t = std::$t::consts::FRAC_PI_2;
            const FRAC_PI_4: $t = std::$t::consts::FRAC_PI_4;
            const LOG2_E: $t = std::$t::consts::LOG2_E;
            const LOG10_E: $t = std::$t::consts::LOG10_E;
            const MANT_DIG: i32 = $mant;
            const EXP_T: i32 = $exp_t;
            const TANH_T: i32 = $tanh_t;

            #[inline]
            fn of_i32(n: i32) -> $t {
                n as $t
            }
            #[inline]
            fn pow2(n: i32) -> $t {
                // The biased exponent field of 2^n; n stays within the normal range here.
                let bias = ($t::MAX_EXP - 1) as i32;
                debug_assert!(n > -bias && n <= bias, "2^{n} is not a normal {}", stringify!($t));
                $t::from_bits(((n + bias) as $bits) << ($mant - 1))
            }
            #[inline]
            fn abs(self) -> $t {
                $t::abs(self)
            }
            #[inline]
            fn copysign(self, sign: $t) -> $t {
                $t::copysign(self, sign)
            }
            #[inline]
            fn is_nan(self) -> bool {
                $t::is_nan(self)
            }
            #[inline]
            fn is_infinite(self) -> bool {
                $t::is_infinite(self)
            }
            #[inline]
            fn is_finite(self) -> bool {
                $t::is_finite(self)
            }
            #[inline]
            fn signbit(self) -> bool {
                $t::is_sign_negative(self)
            }
            #[inline]
            fn sqrt(self) -> $t {
                $t::sqrt(self)
            }
            #[inline]
            fn exp(self) -> $t {
                $t::exp(self)
            }
            #[inline]
            fn exp_m1(self) -> $t {
                $t::exp_m1(self)
            }
            #[inline]
            fn ln(self) -> $t {
                $t::ln(self)
            }
            #[inline]
            fn ln_1p(self) -> $t {
                $t::ln_1p(self)
            }
            #[inline]
            fn sin(self) -> $t {
                $t::sin(self)
            }
            #[inline]
            fn cos(self) -> $t {
                $t::cos(self)
            }
            #[inline]
            fn sinh(self) -> $t {
                $t::sinh(self)
            }
            #[inline]
            fn cosh(self) -> $t {
                $t::cosh(self)
            }
            #[inline]
            fn hypot(self, other: $t) -> $t {
                $t::hypot(self, other)
            }
            #[inline]
            fn atan2(self, other: $t) -> $t {
                $t::atan2(self, other)
            }
            fn x2y2m1(x: $t, y: $t) -> $t {
                x2y2m1(x, y)
            }
        }
    };
}
real!(f64, u64, 53, 709, 354);
real!(f32, u32, 24, 88, 44);

trait X2y2m1 {
    fn go(x: Self, y: Self) -> Self;
}

fn x2y2m1<T: X2y2m1>(x: T, y: T) -> T {
    T::go(x, y)
}

impl X2y2m1 for f32 {
    /// In f64 the products are exact (48 bits) and their sum with -1 loses nothing that
    /// matters: one rounding to f32 at the end.
    fn go(x: f32, y: f32) -> f32 {
        let (dx, dy) = (x as f64, y as f64);
        ((dx - 1.0) * (dx + 1.0) + dy * dy) as f32
    }
}

impl X2y2m1 for f64 {
    /// x^2 and y^2 split exactly into hi + lo (the low part by a fused multiply-add), then the
    /// five terms with -1 summed from the smallest magnitude up, each step an exact two-sum
    /// (Dekker, the larger magnitude first), so that the final additions carry no cancellation.
    fn go(x: f64, y: f64) -> f64 {
        let (xx, yy) = (x * x, y * y);
        let mut v = [x.mul_add(x, -xx), xx, y.mul_add(y, -yy), yy, -1.0];
        let by_magnitude = |v: &mut [f64]| {
            // Insertion sort by |value| (stable: equal magnitudes give equal sums either way).
            for i in 1..v.len() {
                let mut j = i;
                while j > 0 && v[j - 1].abs() > v[j].abs() {
                    v.swap(j - 1, j);
                    j -= 1;
                }
            }
        };
        by_magnitude(&mut v);
        for i in 0..4 {
            let (big, small) = (v[i + 1], v[i]);
            let hi = big + small;
            v[i] = (big - hi) + small;
            v[i + 1] = hi;
            by_magnitude(&mut v[i + 1..]);
        }
        v[4] + v[3] + v[2] + v[1] + v[0]
    }
}

/// A complex value of f32 or f64 parts.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Cx<T> {
    pub re: T,
    pub im: T,
}

#[inline]
pub(crate) fn cx<T>(re: T, im: T) -> Cx<T> {
    Cx { re, im }
}

/// sin(y) and cos(y), or (y, 1) when y is zero or subnormal, as glibc's complex functions do:
/// exact there (and it keeps the sign of -0.0).
#[inline]
fn sincos<T: Real>(y: T) -> (T, T) {
    if y.abs() > T::MIN {
        (y.sin(), y.cos())
    } else {
        (y, T::ONE)
    }
}

/// The end of glibc's scaled e^x (s, c), the caller having already moved one factor e^t
/// (t = EXP_T, e^t finite) from e^x into s and c if x exceeded t: one more such factor if x
/// still exceeds t, and past that the result overflows for sure, given as MAX * s and MAX * c
/// (±inf, or a zero where s or c is zero, instead of the NaN of inf * 0). So a finite product
/// (sin y or cos y tiny, or e^x / 2 just below overflow) is not lost to an infinite e^x. Below t
/// it is the plain e^x s, e^x c, also where e^x underflows: each part is one rounding of two
/// accurate factors.
#[inline]
fn exp_tail<T: Real>(mut x: T, mut s: T, mut c: T) -> (T, T) {
    let t = T::of_i32(T::EXP_T);
    if x > t {
        let et = t.exp();
        x = x - t;
        s = s * et;
        c = c * et;
    }
    if x > t {
        (T::MAX * s, T::MAX * c)
    } else {
        let e = x.exp();
        (e * s, e * c)
    }
}

/// For |x| > EXP_T, where cosh(x) = sinh(|x|) = e^|x| / 2: e^|x| / 2 times (s, c).
#[inline]
fn half_exp_scaled<T: Real>(ax: T, s: T, c: T) -> (T, T) {
    let t = T::of_i32(T::EXP_T);
    let half_et = t.exp() / T::TWO;
    exp_tail(ax - t, s * half_et, c * half_et)
}

/// cexp: e^x (cos y + i sin y).
pub(crate) fn exp<T: Real>(z: Cx<T>) -> Cx<T> {
    let (x, y) = (z.re, z.im);
    if x.is_finite() {
        if y.is_finite() {
            let (mut s, mut c) = sincos(y);
            let t = T::of_i32(T::EXP_T);
            let mut x = x;
            if x > t {
                let et = t.exp();
                x = x - t;
                s = s * et;
                c = c * et;
            }
            let (s, c) = exp_tail(x, s, c);
            cx(c, s)
        } else {
            // G.6.3.1: cexp(x + i inf) and cexp(x + i NaN) are NaN + i NaN for finite x.
            cx(T::NAN, T::NAN)
        }
    } else if x.is_infinite() {
        if y.is_finite() {
            // cexp(+inf + iy) = inf cis(y), cexp(-inf + iy) = +0 cis(y): the signs of the parts
            // are those of cos y and sin y; y = ±0 keeps its sign in the imaginary part.
            let v = if x.signbit() { T::ZERO } else { T::INFINITY };
            if y == T::ZERO {
                cx(v, y)
            } else {
                let (s, c) = sincos(y);
                cx(v.copysign(c), v.copysign(s))
            }
        } else if !x.signbit() {
            // cexp(+inf + i inf) = ±inf + i NaN (glibc: +inf), cexp(+inf + i NaN) = ±inf + i NaN.
            cx(T::INFINITY, y - y)
        } else {
            // cexp(-inf + i inf) and cexp(-inf + i NaN) = ±0 ± i0 (glibc: +0, sign of y).
            cx(T::ZERO, T::ZERO.copysign(y))
        }
    } else {
        // cexp(NaN + i0) = NaN + i0 (the zero keeps its sign); otherwise NaN + i NaN.
        cx(T::NAN, if y == T::ZERO { y } else { T::NAN })
    }
}

/// csinh: sinh(x) cos(y) + i cosh(x) sin(y), computed for |x| (the sign goes into cos y, since
/// sinh is odd and cosh even).
pub(crate) fn sinh<T: Real>(z: Cx<T>) -> Cx<T> {
    let negate = z.re.signbit();
    let (x, y) = (z.re.abs(), z.im);
    if x.is_finite() {
        if y.is_finite() {
            let (s, mut c) = sincos(y);
            if negate {
                c = -c;
            }
            if x > T::of_i32(T::EXP_T) {
                // sinh(x) = cosh(x) = e^x / 2 here: scale e^x into the factors so that a finite
                // result (sin y or cos y small) does not become inf or NaN.
                let (s2, c2) = half_exp_scaled(x, s, c);
                cx(c2, s2)
            } else {
                cx(x.sinh() * c, x.cosh() * s)
            }
        } else if x == T::ZERO {
            // G.6.2.5: csinh(+0 + i inf) = ±0 + i NaN (glibc: the sign of the input's real part).
            cx(T::ZERO.copysign(if negate { -T::ONE } else { T::ONE }), y - y)
        } else {
            cx(T::NAN, T::NAN)
        }
    } else if x.is_infinite() {
        if y.is_finite() && y != T::ZERO {
            // csinh(±inf + iy) = ±inf cos(y) + i inf sin(y).
            let (s, c) = sincos(y);
            let re = T::INFINITY.copysign(c);
            cx(if negate { -re } else { re }, T::INFINITY.copysign(s))
        } else if y == T::ZERO {
            cx(if negate { -T::INFINITY } else { T::INFINITY }, y)
        } else {
            // csinh(±inf + i inf) and csinh(±inf + i NaN) = ±inf + i NaN (glibc: +inf).
            cx(T::INFINITY, y - y)
        }
    } else {
        // csinh(NaN + i0) = NaN + i0; NaN + i NaN otherwise.
        cx(T::NAN, if y == T::ZERO { y } else { T::NAN })
    }
}

/// ccosh: cosh(x) cos(y) + i sinh(x) sin(y).
pub(crate) fn cosh<T: Real>(z: Cx<T>) -> Cx<T> {
    let (x, y) = (z.re, z.im);
    if x.is_finite() {
        if y.is_finite() {
            let (mut s, c) = sincos(y);
            if x.abs() > T::of_i32(T::EXP_T) {
                // As in `sinh`: e^|x| / 2 scaled into the factors, the sign of x into sin y.
                if x.signbit() {
                    s = -s;
                }
                let (s2, c2) = half_exp_scaled(x.abs(), s, c);
                cx(c2, s2)
            } else {
                cx(x.cosh() * c, x.sinh() * s)
            }
        } else {
            // G.6.2.4: ccosh(+0 + i inf) = NaN ± i0 (glibc: +0); ccosh(x + i inf) = NaN + i NaN.
            cx(y - y, if x == T::ZERO { T::ZERO } else { T::NAN })
        }
    } else if x.is_infinite() {
        if y.is_finite() && y != T::ZERO {
            // ccosh(±inf + iy) = +inf cos(y) ± i inf sin(y).
            let (s, c) = sincos(y);
            cx(T::INFINITY.copysign(c), T::INFINITY.copysign(s) * T::ONE.copysign(x))
        } else if y == T::ZERO {
            cx(T::INFINITY, y * T::ONE.copysign(x))
        } else {
            // ccosh(±inf + i inf) and ccosh(±inf + i NaN) = +inf + i NaN.
            cx(T::INFINITY, y - y)
        }
    } else {
        // ccosh(NaN + i0) = NaN ± i0 (glibc: the zero of the input); NaN + i NaN otherwise.
        cx(T::NAN, if y == T::ZERO { y } else { T::NAN })
    }
}

/// csin, computed directly as glibc does (NumPy's fallback takes -i csinh(iz)):
/// sin(x) cosh(y) + i cos(x) sinh(y), computed for |x| with the sign put into sin x.
pub(crate) fn sin<T: Real>(z: Cx<T>) -> Cx<T> {
    let negate = z.re.signbit();
    let (x, y) = (z.re.abs(), z.im);
    if y.is_finite() {
        if x.is_finite() {
            let (mut s, mut c) = sincos(x);
            if negate {
                s = -s;
            }
            if y.abs() > T::of_i32(T::EXP_T) {
                if y.signbit() {
                    c = -c;
                }
                let (s2, c2) = half_exp_scaled(y.abs(), s, c);
                cx(s2, c2)
            } else {
                cx(y.cosh() * s, y.sinh() * c)
            }
        } else if y == T::ZERO {
            // csin(±inf + i0) = NaN ± i0 (x - x is NaN for inf and NaN alike).
            cx(x - x, y)
        } else {
            cx(T::NAN, T::NAN)
        }
    } else if y.is_infinite() {
        if x == T::ZERO {
            // csin(±0 ± i inf) = ±0 ± i inf.
            cx(T::ZERO.copysign(if negate { -T::ONE } else { T::ONE }), y)
        } else if x.is_finite() {
            // csin(x ± i inf) = ±inf sin(x) ± i inf cos(x) in the signs of sin x and cos x.
            let (s, c) = sincos(x);
            let mut re = T::INFINITY.copysign(s);
            let mut im = T::INFINITY.copysign(c);
            if negate {
                re = -re;
            }
            if y.signbit() {
                im = -im;
            }
            cx(re, im)
        } else {
            cx(x - x, T::INFINITY)
        }
    } else {
        // y is NaN: csin(±0 + i NaN) = ±0 + i NaN, NaN + i NaN otherwise.
        let re = if x == T::ZERO { T::ZERO.copysign(if negate { -T::ONE } else { T::ONE }) } else { T::NAN };
        cx(re, T::NAN)
    }
}

/// ccos(z) = ccosh(iz) = ccosh(-y + ix).
pub(crate) fn cos<T: Real>(z: Cx<T>) -> Cx<T> {
    cosh(cx(-z.im, z.re))
}

/// ctanh: (sinh(x) cosh(x) + i sin(y) cos(y)) / (sinh(x)^2 + cos(y)^2), the form without the
/// cancellation of (sinh 2x + i sin 2y) / (cosh 2x + cos 2y) near the poles.
pub(crate) fn tanh<T: Real>(z: Cx<T>) -> Cx<T> {
    let (x, y) = (z.re, z.im);
    if !x.is_finite() || !y.is_finite() {
        if x.is_infinite() {
            // ctanh(±inf + iy) = ±1 + i0 sin(2y) for finite y, ±1 ± i0 for infinite or NaN y.
            let im = if y.is_finite() && y.abs() > T::ONE {
                let (s, c) = sincos(y);
                T::ZERO.copysign(s * c)
            } else {
                T::ZERO.copysign(y)
            };
            cx(T::ONE.copysign(x), im)
        } else if y == T::ZERO {
            // ctanh(NaN ± i0) = NaN ± i0.
            z
        } else {
            // ctanh(±0 + i inf) and ctanh(±0 + i NaN) = ±0 + i NaN (glibc keeps the zero, as
            // C23 does); NaN + i NaN otherwise.
            cx(if x == T::ZERO { x } else { T::NAN }, T::NAN)
        }
    } else {
        let t = T::of_i32(T::TANH_T);
        let (s, c) = sincos(y);
        if x.abs() > t {
            // sinh(x)^2 would overflow: the real part is ±1 and the imaginary part is
            // 4 sin(y) cos(y) / e^(2|x|), divided by e^(2t) once or twice so that a subnormal
            // result is still computed (FreeBSD's version flushes it to 0; glibc, NumPy's
            // library on Linux, does not).
            let e2t = (T::TWO * t).exp();
            let mut im = T::FOUR * s * c;
            let rx = x.abs() - t;
            im = im / e2t;
            if rx > t {
                im = im / e2t;
            } else {
                im = im / (T::TWO * rx).exp();
            }
            cx(T::ONE.copysign(x), im)
        } else {
            let (sh, ch) = if x.abs() > T::MIN { (x.sinh(), x.cosh()) } else { (x, T::ONE) };
            // sinh(x)^2 below the rounding of cos(y)^2 is dropped (it could underflow).
            let den = if sh.abs() > c.abs() * T::EPSILON { sh * sh + c * c } else { c * c };
            cx(sh * ch / den, s * c / den)
        }
    }
}

/// ctan: the same formula as ctanh with the roles of the parts exchanged (ctan(z) = -i
/// ctanh(iz)): (sin(x) cos(x) + i sinh(y) cosh(y)) / (cos(x)^2 + sinh(y)^2).
pub(crate) fn tan<T: Real>(z: Cx<T>) -> Cx<T> {
    let (x, y) = (z.re, z.im);
    if !x.is_finite() || !y.is_finite() {
        if y.is_infinite() {
            let re = if x.is_finite() && x.abs() > T::ONE {
                let (s, c) = sincos(x);
                T::ZERO.copysign(s * c)
            } else {
                T::ZERO.copysign(x)
            };
            cx(re, T::ONE.copysign(y))
        } else if x == T::ZERO {
            z
        } else {
            cx(T::NAN, if y == T::ZERO { y } else { T::NAN })
        }
    } else {
        let t = T::of_i32(T::TANH_T);
        let (s, c) = sincos(x);
        if y.abs() > t {
            let e2t = (T::TWO * t).exp();
            let mut re = T::FOUR * s * c;
            let ry = y.abs() - t;
            re = re / e2t;
            if ry > t {
                re = re / e2t;
            } else {
                re = re / (T::TWO * ry).exp();
            }
            cx(re, T::ONE.copysign(y))
        } else {
            let (sh, ch) = if y.abs() > T::MIN { (y.sinh(), y.cosh()) } else { (y, T::ONE) };
            let den = if sh.abs() > c.abs() * T::EPSILON { c * c + sh * sh } else { c * c };
            cx(s * c / den, sh * ch / den)
        }
    }
}

/// csqrt: the principal root, real part >= 0, the imaginary part with the sign of y (so
/// csqrt(x - i0) = ±0 - i sqrt(-x) on the branch cut x < 0).
pub(crate) fn sqrt<T: Real>(z: Cx<T>) -> Cx<T> {
    let (x, y) = (z.re, z.im);
    if !x.is_finite() || !y.is_finite() {
        if y.is_infinite() {
            // G.6.4.2: csqrt(x ± i inf) = +inf ± i inf for every x, NaN included.
            cx(T::INFINITY, y)
        } else if x.is_infinite() {
            if x < T::ZERO {
                // csqrt(-inf + iy) = +0 + i inf sign(y); csqrt(-inf + i NaN) = NaN ± i inf.
                cx(if y.is_nan() { T::NAN } else { T::ZERO }, T::INFINITY.copysign(y))
            } else {
                // csqrt(+inf + iy) = +inf + i0 sign(y); csqrt(+inf + i NaN) = +inf + i NaN.
                cx(x, if y.is_nan() { T::NAN } else { T::ZERO.copysign(y) })
            }
        } else {
            cx(T::NAN, T::NAN)
        }
    } else if y == T::ZERO {
        if x < T::ZERO {
            cx(T::ZERO, (-x).sqrt().copysign(y))
        } else {
            cx(x.sqrt().abs(), T::ZERO.copysign(y))
        }
    } else if x == T::ZERO {
        // sqrt(i y) = sqrt(|y| / 2) (1 + i sign(y)); for a subnormal y, |y| / 2 would lose a bit.
        let r =
            if y.abs() >= T::TWO * T::MIN { (T::HALF * y.abs()).sqrt() } else { T::HALF * (T::TWO * y.abs()).sqrt() };
        cx(r, r.copysign(y))
    } else {
        // Scale huge arguments by 1/4 (the root by 1/2) so that hypot and d + |x| do not
        // overflow, and tiny ones up so that the root keeps its precision.
        let (mut a, mut b) = (x, y);
        let mut scale = 0;
        if a.abs() > T::MAX / T::FOUR {
            scale = 1;
            a = a * T::pow2(-2);
            b = b * T::pow2(-2);
        } else if b.abs() > T::MAX / T::FOUR {
            scale = 1;
            a = if a.abs() >= T::FOUR * T::MIN { a * T::pow2(-2) } else { T::ZERO };
            b = b * T::pow2(-2);
        } else if a.abs() < T::TWO * T::MIN && b.abs() < T::TWO * T::MIN {
            scale = -((T::MANT_DIG + 1) / 2);
            a = a * T::pow2(-2 * scale);
            b = b * T::pow2(-2 * scale);
        }
        let d = a.hypot(b);
        // One part is sqrt((d + |a|) / 2), free of cancellation; the other follows from
        // 2 Re(w) Im(w) = b.
        let (mut r, mut s);
        if a > T::ZERO {
            r = (T::HALF * (d + a)).sqrt();
            if scale == 1 && b.abs() < T::ONE {
                // b / (2r) could underflow before the rescaling: fold the factor 2 in first.
                s = b / r;
                r = r * T::pow2(scale);
                scale = 0;
            } else {
                s = T::HALF * (b / r);
            }
        } else {
            s = (T::HALF * (d - a)).sqrt();
            if scale == 1 && b.abs() < T::ONE {
                r = (b / s).abs();
                s = s * T::pow2(scale);
                scale = 0;
            } else {
                r = (T::HALF * (b / s)).abs();
            }
        }
        if scale != 0 {
            r = r * T::pow2(scale);
            s = s * T::pow2(scale);
        }
        cx(r, s.copysign(b))
    }
}

/// clog: ln|z| + i arg(z). Near |z| = 1, ln|z| is log1p(x^2 + y^2 - 1) / 2 with x^2 + y^2 - 1
/// computed without cancellation; tiny and huge |z| are scaled by powers of 2 first.
pub(crate) fn log<T: Real>(z: Cx<T>) -> Cx<T> {
    let (x, y) = (z.re, z.im);
    if x == T::ZERO && y == T::ZERO {
        // G.6.3.2: clog(-0 ± i0) = -inf ± i pi, clog(+0 ± i0) = -inf ± i0.
        let im = if x.signbit() { T::PI } else { T::ZERO };
        cx(-T::ONE / x.abs(), im.copysign(y))
    } else if !x.is_nan() && !y.is_nan() {
        let (mut ax, mut ay) = (x.abs(), y.abs());
        if ax < ay {
            std::mem::swap(&mut ax, &mut ay);
        }
        let mut scale = 0;
        if ax > T::MAX / T::TWO {
            scale = -1;
            ax = ax * T::pow2(-1);
            ay = if ay >= T::MIN * T::TWO { ay * T::pow2(-1) } else { T::ZERO };
        } else if ax < T::MIN && ay < T::MIN {
            scale = T::MANT_DIG;
            ax = ax * T::pow2(T::MANT_DIG);
            ay = ay * T::pow2(T::MANT_DIG);
        }
        let re = if ax == T::ONE && scale == 0 {
            (ay * ay).ln_1p() / T::TWO
        } else if ax > T::ONE && ax < T::TWO && ay < T::ONE && scale == 0 {
            // ax - 1 is exact here (Sterbenz), so (ax - 1)(ax + 1) rounds once where ax * ax - 1
            // would cancel.
            let mut d2m1 = (ax - T::ONE) * (ax + T::ONE);
            if ay >= T::EPSILON {
                d2m1 = d2m1 + ay * ay;
            }
            d2m1.ln_1p() / T::TWO
        } else if ax < T::ONE && ax >= T::HALF && ay < T::EPSILON / T::TWO && scale == 0 {
            ((ax - T::ONE) * (ax + T::ONE)).ln_1p() / T::TWO
        } else if ax < T::ONE && ax >= T::HALF && scale == 0 && ax * ax + ay * ay >= T::HALF {
            T::x2y2m1(ax, ay).ln_1p() / T::TWO
        } else {
            ax.hypot(ay).ln() - T::of_i32(scale) * T::LN_2
        };
        cx(re, y.atan2(x))
    } else {
        // clog(±inf + i NaN) and clog(NaN ± i inf) = +inf + i NaN; NaN + i NaN otherwise.
        let re = if x.is_infinite() || y.is_infinite() { T::INFINITY } else { T::NAN };
        cx(re, T::NAN)
    }
}

/// casinh of a finite nonzero z, or, with `adj`, the value cacos and cacosh are built from (the
/// imaginary part pi/2 - Im(casinh z), taken with atan2 of swapped arguments so that it keeps
/// full precision). Works on |x|, |y| (the first quadrant, no cancellation), with a formula per
/// region: log(2|z|) for |z| >= 1/eps, and near the branch points ±i, where the textbook
/// log(z + sqrt(z^2 + 1)) loses everything, expansions in the small quantities.
fn kernel_asinh<T: Real>(z: Cx<T>, adj: bool) -> Cx<T> {
    let (rx, ix) = (z.re.abs(), z.im.abs());
    let (re, im);
    if rx >= T::ONE / T::EPSILON || ix >= T::ONE / T::EPSILON {
        // z + sqrt(1 + z^2) is 2z to working precision; log(2z) avoids squaring a huge value.
        let mut w = cx(rx, ix);
        if adj {
            w = cx(w.im.copysign(z.im), w.re);
        }
        let l = log(w);
        re = l.re + T::LN_2;
        im = l.im;
    } else if rx >= T::HALF && ix < T::EPSILON / T::EIGHT {
        let s = T::ONE.hypot(rx);
        re = (rx + s).ln();
        im = if adj { s.atan2(z.im) } else { ix.atan2(s) };
    } else if rx < T::EPSILON / T::EIGHT && ix >= T::ONE_HALF {
        let s = ((ix + T::ONE) * (ix - T::ONE)).sqrt();
        re = (ix + s).ln();
        im = if adj { rx.atan2(s.copysign(z.im)) } else { s.atan2(rx) };
    } else if ix > T::ONE && ix < T::ONE_HALF && rx < T::HALF {
        if rx < T::EPSILON * T::EPSILON {
            let ix2m1 = (ix + T::ONE) * (ix - T::ONE);
            let s = ix2m1.sqrt();
            re = (T::TWO * (ix2m1 + ix * s)).ln_1p() / T::TWO;
            im = if adj { rx.atan2(s.copysign(z.im)) } else { s.atan2(rx) };
        } else {
            let ix2m1 = (ix + T::ONE) * (ix - T::ONE);
            let rx2 = rx * rx;
            let f = rx2 * (T::TWO + rx2 + T::TWO * ix * ix);
            let d = (ix2m1 * ix2m1 + f).sqrt();
            let dp = d + ix2m1;
            let dm = f / dp;
            let r1 = ((dm + rx2) / T::TWO).sqrt();
            let r2 = rx * ix / r1;
            re = (rx2 + dp + T::TWO * (rx * r1 + ix * r2)).ln_1p() / T::TWO;
            im = if adj { (rx + r1).atan2((ix + r2).copysign(z.im)) } else { (ix + r2).atan2(rx + r1) };
        }
    } else if ix == T::ONE && rx < T::HALF {
        if rx < T::EPSILON / T::EIGHT {
            re = (T::TWO * (rx + rx.sqrt())).ln_1p() / T::TWO;
            im = if adj { rx.sqrt().atan2(T::ONE.copysign(z.im)) } else { T::ONE.atan2(rx.sqrt()) };
        } else {
            let d = rx * (T::FOUR + rx * rx).sqrt();
            let s1 = ((d + rx * rx) / T::TWO).sqrt();
            let s2 = ((d - rx * rx) / T::TWO).sqrt();
            re = (rx * rx + d + T::TWO * (rx * s1 + s2)).ln_1p() / T::TWO;
            im = if adj { (rx + s1).atan2((T::ONE + s2).copysign(z.im)) } else { (T::ONE + s2).atan2(rx + s1) };
        }
    } else if ix < T::ONE && rx < T::HALF {
        if ix >= T::EPSILON {
            if rx < T::EPSILON * T::EPSILON {
                let onemix2 = (T::ONE + ix) * (T::ONE - ix);
                let s = onemix2.sqrt();
                re = (T::TWO * rx / s).ln_1p() / T::TWO;
                im = if adj { s.atan2(z.im) } else { ix.atan2(s) };
            } else {
                let onemix2 = (T::ONE + ix) * (T::ONE - ix);
                let rx2 = rx * rx;
                let f = rx2 * (T::TWO + rx2 + T::TWO * ix * ix);
                let d = (onemix2 * onemix2 + f).sqrt();
                let dp = d + onemix2;
                let dm = f / dp;
                let r1 = ((dp + rx2) / T::TWO).sqrt();
                let r2 = rx * ix / r1;
                re = (rx2 + dm + T::TWO * (rx * r1 + ix * r2)).ln_1p() / T::TWO;
                im = if adj { (rx + r1).atan2((ix + r2).copysign(z.im)) } else { (ix + r2).atan2(rx + r1) };
            }
        } else {
            let s = T::ONE.hypot(rx);
            re = (T::TWO * rx * (rx + s)).ln_1p() / T::TWO;
            im = if adj { s.atan2(z.im) } else { ix.atan2(s) };
        }
    } else {
        // Away from the branch points: log(z + sqrt(z^2 + 1)) with z^2 + 1 formed as
        // (x - y)(x + y) + 1 + 2ixy.
        let w = sqrt(cx((rx - ix) * (rx + ix) + T::ONE, T::TWO * rx * ix));
        let mut w = cx(w.re + rx, w.im + ix);
        if adj {
            w = cx(w.im.copysign(z.im), w.re);
        }
        let l = log(w);
        re = l.re;
        im = l.im;
    }
    cx(re.copysign(z.re), im.copysign(if adj { T::ONE } else { z.im }))
}

/// casinh: log(z + sqrt(z^2 + 1)), odd in each part.
pub(crate) fn asinh<T: Real>(z: Cx<T>) -> Cx<T> {
    let (x, y) = (z.re, z.im);
    if !x.is_finite() || !y.is_finite() {
        if y.is_infinite() {
            // G.6.2.2: casinh(x ± i inf) = ±inf ± i pi/2 (finite x), ±inf ± i pi/4 (infinite x),
            // ±inf + i NaN (x NaN).
            let im = if x.is_nan() {
                T::NAN
            } else if x.is_finite() {
                T::FRAC_PI_2.copysign(y)
            } else {
                T::FRAC_PI_4.copysign(y)
            };
            cx(T::INFINITY.copysign(x), im)
        } else if !x.is_finite() {
            // casinh(±inf + iy) = ±inf ± i0; casinh(NaN ± i0) = NaN ± i0; NaN imaginary part
            // otherwise.
            let im = if (x.is_infinite() && y.is_finite()) || (x.is_nan() && y == T::ZERO) {
                T::ZERO.copysign(y)
            } else {
                T::NAN
            };
            cx(x, im)
        } else {
            cx(T::NAN, T::NAN)
        }
    } else if x == T::ZERO && y == T::ZERO {
        z
    } else {
        kernel_asinh(z, false)
    }
}

/// casin(z) = -i casinh(iz).
pub(crate) fn asin<T: Real>(z: Cx<T>) -> Cx<T> {
    if z.re.is_nan() || z.im.is_nan() {
        if z.re == T::ZERO {
            z
        } else if z.re.is_infinite() || z.im.is_infinite() {
            cx(T::NAN, T::INFINITY.copysign(z.im))
        } else {
            cx(T::NAN, T::NAN)
        }
    } else {
        let w = asinh(cx(-z.im, z.re));
        cx(w.im, -w.re)
    }
}

/// cacos(z) = pi/2 - casin(z), with the real part taken directly (atan2 in `kernel_asinh`)
/// where pi/2 - Re(casin z) would cancel (z near 1).
pub(crate) fn acos<T: Real>(z: Cx<T>) -> Cx<T> {
    let (x, y) = (z.re, z.im);
    if !x.is_finite() || !y.is_finite() || (x == T::ZERO && y == T::ZERO) {
        let w = asin(z);
        let mut re = T::FRAC_PI_2 - w.re;
        if re == T::ZERO {
            re = T::ZERO;
        }
        cx(re, -w.im)
    } else {
        let w = kernel_asinh(cx(-y, x), true);
        cx(w.im, w.re)
    }
}

/// cacosh(z) = ±i cacos(z), the sign making the real part >= 0.
pub(crate) fn acosh<T: Real>(z: Cx<T>) -> Cx<T> {
    let (x, y) = (z.re, z.im);
    if !x.is_finite() || !y.is_finite() {
        if y.is_infinite() {
            // G.6.2.1: cacosh(x ± i inf) = +inf ± i pi/2, cacosh(-inf ± i inf) = +inf ± i 3pi/4,
            // cacosh(+inf ± i inf) = +inf ± i pi/4, cacosh(NaN ± i inf) = +inf + i NaN.
            let im = if x.is_nan() {
                T::NAN
            } else if x.is_infinite() {
                (if x < T::ZERO { T::PI - T::FRAC_PI_4 } else { T::FRAC_PI_4 }).copysign(y)
            } else {
                T::FRAC_PI_2.copysign(y)
            };
            cx(T::INFINITY, im)
        } else if x.is_infinite() {
            // cacosh(-inf ± iy) = +inf ± i pi, cacosh(+inf ± iy) = +inf ± i0, NaN y: +inf + i NaN.
            let im = if y.is_finite() { (if x.signbit() { T::PI } else { T::ZERO }).copysign(y) } else { T::NAN };
            cx(T::INFINITY, im)
        } else {
            // cacosh(±0 + i NaN) = NaN + i pi/2 (glibc); NaN + i NaN otherwise.
            cx(T::NAN, if x == T::ZERO { T::FRAC_PI_2 } else { T::NAN })
        }
    } else if x == T::ZERO && y == T::ZERO {
        cx(T::ZERO, T::FRAC_PI_2.copysign(y))
    } else {
        let w = kernel_asinh(cx(-y, x), true);
        if y.signbit() {
            cx(w.re, -w.im)
        } else {
            cx(-w.re, w.im)
        }
    }
}

/// The denominator of the atan2 in catan/catanh: 1 - x^2 - y^2 for the larger |part| `ax` and
/// the smaller `ay`, free of cancellation near the unit circle.
fn one_minus_x2y2<T: Real>(x: T, y: T) -> T {
    let (mut ax, mut ay) = (x.abs(), y.abs());
    if ax < ay {
        std::mem::swap(&mut ax, &mut ay);
    }
    if ay < T::EPSILON / T::TWO {
        let den = (T::ONE - ax) * (T::ONE + ax);
        if den == T::ZERO {
            T::ZERO
        } else {
            den
        }
    } else if ax >= T::ONE {
        (T::ONE - ax) * (T::ONE + ax) - ay * ay
    } else if ax >= T::THREE_QUARTERS || ay >= T::HALF {
        -T::x2y2m1(ax, ay)
    } else {
        (T::ONE - ax) * (T::ONE + ax) - ay * ay
    }
}

/// (1/4) log(((1 + u)^2 + v^2) / ((1 - u)^2 + v^2)), the real part of catanh(u + iv) (and the
/// imaginary part of catan with the parts exchanged): log1p(4u / den) once the ratio is >= 1/2,
/// where log of the ratio would lose the small result.
fn quarter_log_ratio<T: Real>(u: T, v: T) -> T {
    if u.abs() == T::ONE && v.abs() < T::EPSILON * T::EPSILON {
        // At the branch point the ratio is 4 / v^2.
        T::HALF.copysign(u) * (T::LN_2 - v.abs().ln())
    } else {
        let v2 = if v.abs() >= T::EPSILON * T::EPSILON { v * v } else { T::ZERO };
        let num = T::ONE + u;
        let num = v2 + num * num;
        let den = T::ONE - u;
        let den = v2 + den * den;
        let f = num / den;
        if f < T::HALF {
            T::QUARTER * f.ln()
        } else {
            T::QUARTER * (T::FOUR * u / den).ln_1p()
        }
    }
}

/// catanh: (1/2) log((1 + z) / (1 - z)).
pub(crate) fn atanh<T: Real>(z: Cx<T>) -> Cx<T> {
    let (x, y) = (z.re, z.im);
    if !x.is_finite() || !y.is_finite() {
        if y.is_infinite() {
            // G.6.2.3: catanh(x ± i inf) = ±0 ± i pi/2 (NaN x included, sign of 0 unspecified).
            cx(T::ZERO.copysign(x), T::FRAC_PI_2.copysign(y))
        } else if x.is_infinite() || x == T::ZERO {
            // catanh(±inf + iy) = ±0 ± i pi/2; catanh(±0 + i NaN) = ±0 + i NaN.
            cx(T::ZERO.copysign(x), if y.is_finite() { T::FRAC_PI_2.copysign(y) } else { T::NAN })
        } else {
            cx(T::NAN, T::NAN)
        }
    } else if x == T::ZERO && y == T::ZERO {
        z
    } else if x.abs() >= T::SIXTEEN / T::EPSILON || y.abs() >= T::SIXTEEN / T::EPSILON {
        // catanh(z) = 1/z + i pi/2 sign(y) to working precision; Re(1/z) = x / |z|^2 without
        // overflow in |z|^2.
        let re = if y.abs() <= T::ONE {
            T::ONE / x
        } else if x.abs() <= T::ONE {
            x / y / y
        } else {
            let h = (x / T::TWO).hypot(y / T::TWO);
            x / h / h / T::FOUR
        };
        cx(re, T::FRAC_PI_2.copysign(y))
    } else {
        let re = quarter_log_ratio(x, y);
        let im = T::HALF * (T::TWO * y).atan2(one_minus_x2y2(x, y));
        cx(re, im)
    }
}

/// catan(z) = -i catanh(iz), computed directly with the parts' roles exchanged.
pub(crate) fn atan<T: Real>(z: Cx<T>) -> Cx<T> {
    let (x, y) = (z.re, z.im);
    if !x.is_finite() || !y.is_finite() {
        if x.is_infinite() {
            cx(T::FRAC_PI_2.copysign(x), T::ZERO.copysign(y))
        } else if y.is_infinite() {
            cx(if x.is_finite() { T::FRAC_PI_2.copysign(x) } else { T::NAN }, T::ZERO.copysign(y))
        } else if y == T::ZERO {
            cx(T::NAN, T::ZERO.copysign(y))
        } else {
            cx(T::NAN, T::NAN)
        }
    } else if x == T::ZERO && y == T::ZERO {
        z
    } else if x.abs() >= T::SIXTEEN / T::EPSILON || y.abs() >= T::SIXTEEN / T::EPSILON {
        let im = if x.abs() <= T::ONE {
            T::ONE / y
        } else if y.abs() <= T::ONE {
            y / x / x
        } else {
            let h = (x / T::TWO).hypot(y / T::TWO);
            y / h / h / T::FOUR
        };
        cx(T::FRAC_PI_2.copysign(x), im)
    } else {
        let re = T::HALF * (T::TWO * x).atan2(one_minus_x2y2(x, y));
        cx(re, quarter_log_ratio(y, x))
    }
}

// NumPy's own formulas (umath funcs.inc.src), in the dtype's precision like NumPy's loops.

/// NumPy's `nc_expm1`: Re = expm1(x) cos(y) - 2 sin^2(y/2) (the cos(y) - 1 part without
/// cancellation), Im = e^x sin(y).
pub(crate) fn expm1<T: Real>(z: Cx<T>) -> Cx<T> {
    let (x, y) = (z.re, z.im);
    let a = (y / T::TWO).sin();
    cx(x.exp_m1() * y.cos() - T::TWO * a * a, x.exp() * y.sin())
}

/// NumPy's `nc_log1p`: log|1 + z| + i arg(1 + z), with 1 + x rounded first (NumPy's result, which
/// loses the relative accuracy of a tiny z: log1p(1e-10 + 1e-10j) is not 1e-10 to the last digit).
pub(crate) fn log1p<T: Real>(z: Cx<T>) -> Cx<T> {
    let xp1 = z.re + T::ONE;
    let l = xp1.hypot(z.im);
    cx(l.ln(), z.im.atan2(xp1))
}

/// NumPy's `nc_exp2`: cexp(z ln 2).
pub(crate) fn exp2<T: Real>(z: Cx<T>) -> Cx<T> {
    exp(cx(z.re * T::LN_2, z.im * T::LN_2))
}

/// NumPy's `nc_log2`: clog(z) log2(e), per part.
pub(crate) fn log2<T: Real>(z: Cx<T>) -> Cx<T> {
    let l = log(z);
    cx(l.re * T::LOG2_E, l.im * T::LOG2_E)
}

/// NumPy's `nc_log10`: clog(z) log10(e), per part.
pub(crate) fn log10<T: Real>(z: Cx<T>) -> Cx<T> {
    let l = log(z);
    cx(l.re * T::LOG10_E, l.im * T::LOG10_E)
}

/// The element function on (re, im) given as f64 (the interpreter's and the JIT's complex
/// representation; complex64 parts are float32 values).
pub(crate) type ElemFn = fn(f64, f64) -> (f64, f64);

macro_rules! functions {
    ($($op:ident => $f:ident),* $(,)?) => {
        /// Monomorphic wrappers on the f64 representation of each function.
        mod wrap {
            $(
                pub(super) mod $f {
                    use super::super::{cx, $f};
                    pub(crate) fn f64(re: f64, im: f64) -> (f64, f64) {
                        let w = $f::<f64>(cx(re, im));
                        (w.re, w.im)
                    }
                    /// Complex64: the parts are float32 values (the conversion is exact),
                    /// computed in float32 like NumPy's complex64 loop.
                    pub(crate) fn f32(re: f64, im: f64) -> (f64, f64) {
                        let w = $f::<f32>(cx(re as f32, im as f32));
                        (w.re as f64, w.im as f64)
                    }
                }
            )*
        }

        /// The element function of `op` on complex values (complex64 when `single`), or None
        /// when `op` has no complex loop here.
        pub(crate) fn function(op: UnaryOp, single: bool) -> Option<ElemFn> {
            Some(match (op, single) {
                $(
                    (UnaryOp::$op, false) => wrap::$f::f64 as ElemFn,
                    (UnaryOp::$op, true) => wrap::$f::f32 as ElemFn,
                )*
                _ => return None,
            })
        }

        /// The unary ops [`function`] has a complex loop for.
        #[cfg(test)]
        pub(crate) const OPS: &[UnaryOp] = &[$(UnaryOp::$op),*];
    };
}

functions!(
    Sqrt => sqrt, Exp => exp, Log => log, Sin => sin, Cos => cos, Tan => tan, Sinh => sinh, Cosh => cosh,
    Tanh => tanh, Arcsin => asin, Arccos => acos, Arctan => atan, Arcsinh => asinh, Arccosh => acosh,
    Arctanh => atanh, Expm1 => expm1, Log1p => log1p, Exp2 => exp2, Log2 => log2, Log10 => log10,
);

#[cfg(test)]
mod tests;
