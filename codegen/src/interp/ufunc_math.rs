//! Scalar element functions of the ufuncs with IR ops of their own: nextafter, spacing, ldexp,
//! frexp, gcd, lcm, bitwise_count, fmax/fmin and heaviside, with NumPy 2's results (checked
//! against NumPy 2.4 on x86-64). The JIT's call-outs are these same functions, so the two agree
//! bit for bit.

use super::math::{cle, cnan};
use super::values::C;

/// C's `nextafter` (NumPy's loop) and NumPy's `npy_spacing` for one float type: the same code
/// in each type's own spacing.
macro_rules! neighbours {
    ($t:ty, $nextafter:ident, $spacing:ident) => {
        /// The neighbour of `x` toward `y`, `y` itself when they are equal (so nextafter(0.0,
        /// -0.0) is -0.0), NaN when either is NaN.
        pub(crate) fn $nextafter(x: $t, y: $t) -> $t {
            if x.is_nan() || y.is_nan() {
                x + y
            } else if x == y {
                y
            } else if x < y {
                x.next_up()
            } else {
                x.next_down()
            }
        }

        /// The step to the next float away from zero, taken toward +inf for both zeros
        /// (spacing(-0.0) is the smallest positive subnormal); inf for the largest float, NaN
        /// for infinities and NaN.
        pub(crate) fn $spacing(x: $t) -> $t {
            if !x.is_finite() {
                <$t>::NAN
            } else if x >= 0.0 {
                x.next_up() - x
            } else {
                x.next_down() - x
            }
        }
    };
}
neighbours!(f64, nextafter_f64, spacing_f64);
neighbours!(f32, nextafter_f32, spacing_f32);

/// `x * 2**n` rounded once (C's ldexp / musl's scalbn): the scale goes in at most three exact
/// steps, the last one the only rounding, so subnormal results are correctly rounded and any
/// int64 `n` works (NumPy's int64 loop clamps to the int32 range, which gives the same results).
/// A float32 mantissa is exact in f64 and the f64 result rounds once to float32 (f64's range
/// holds every float32 subnormal exactly), so float32 uses this too.
pub(crate) fn ldexp_f64(x: f64, n: i64) -> f64 {
    let two_1023 = f64::from_bits(0x7fe0_0000_0000_0000);
    // 2**-1022 * 2**53: the result stays normal, so only the final step rounds.
    let two_m969 = f64::from_bits(0x0010_0000_0000_0000) * f64::from_bits(0x4340_0000_0000_0000);
    let (mut y, mut n) = (x, n);
    if n > 1023 {
        y *= two_1023;
        n -= 1023;
        if n > 1023 {
            y *= two_1023;
            n = (n - 1023).min(1023);
        }
    } else if n < -1022 {
        y *= two_m969;
        n += 1022 - 53;
        if n < -1022 {
            y *= two_m969;
            n = (n + 1022 - 53).max(-1022);
        }
    }
    y * f64::from_bits(((0x3ff + n) as u64) << 52)
}

/// C's `frexp`: (m, e) with x = m * 2**e and 0.5 <= |m| < 1; (x, 0) for ±0, ±inf and NaN, as
/// NumPy (glibc). Exact, so float32 values get float32's own answer.
pub(crate) fn frexp(x: f64) -> (f64, i32) {
    if x == 0.0 || !x.is_finite() {
        return (x, 0);
    }
    let bits = x.to_bits();
    let biased = ((bits >> 52) & 0x7ff) as i32;
    if biased == 0 {
        // Subnormal: scale into the normal range first (exact).
        let (m, e) = frexp(x * f64::from_bits(0x43f0_0000_0000_0000));
        return (m, e - 64);
    }
    let m = f64::from_bits((bits & !(0x7ff << 52)) | (0x3fe << 52));
    (m, biased - 1022)
}

/// Euclid's gcd of two magnitudes.
pub(crate) fn gcd_u(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// NumPy's signed gcd: the gcd of |a| and |b| as unsigned values (|INT_MIN| is 2**(bits-1));
/// the caller wraps to the dtype, so gcd(INT_MIN, 0) is INT_MIN as in NumPy.
pub(crate) fn gcd_i(a: i64, b: i64) -> i64 {
    gcd_u(a.unsigned_abs(), b.unsigned_abs()) as i64
}

/// NumPy's `npy_lcmu`: a / gcd * b modulo 2**64 (the caller wraps to narrower widths, which is
/// NumPy's arithmetic modulo 2**bits), 0 when both are 0.
pub(crate) fn lcm_u(a: u64, b: u64) -> u64 {
    a.checked_div(gcd_u(a, b)).map_or(0, |q| q.wrapping_mul(b))
}

pub(crate) fn lcm_i(a: i64, b: i64) -> i64 {
    lcm_u(a.unsigned_abs(), b.unsigned_abs()) as i64
}

/// NumPy's bitwise_count of a signed value: the 1 bits of |x| (|INT_MIN| has one).
pub(crate) fn popcount_i(x: i64) -> u64 {
    x.unsigned_abs().count_ones() as u64
}

/// NumPy's fmax: a NaN operand is ignored (NaN only when both are). Between +0.0 and -0.0 NumPy's
/// answer depends on its loop (SIMD lanes, scalar tail, libm); starp returns the first operand.
pub(crate) fn fmax_f(a: f64, b: f64) -> f64 {
    if a >= b || b.is_nan() {
        a
    } else {
        b
    }
}

pub(crate) fn fmin_f(a: f64, b: f64) -> f64 {
    if a <= b || b.is_nan() {
        a
    } else {
        b
    }
}

/// NumPy's complex fmax (umath loops: `isnan(b) || CGE(a, b) ? a : b`): NaN parts make an
/// operand lose, the order is lexicographic. Bit-exact against NumPy, signed zeros included.
pub(crate) fn cfmax(a: C, b: C) -> C {
    if cnan(b) || cle(b, a) {
        a
    } else {
        b
    }
}

/// `isnan(b) || CLE(a, b) ? a : b`.
pub(crate) fn cfmin(a: C, b: C) -> C {
    if cnan(b) || cle(a, b) {
        a
    } else {
        b
    }
}

/// NumPy's `npy_heaviside`: NaN for NaN, `h` at 0 (either sign), 0 below, 1 above.
pub(crate) fn heaviside(x: f64, h: f64) -> f64 {
    if x.is_nan() {
        f64::NAN
    } else if x == 0.0 {
        h
    } else if x < 0.0 {
        0.0
    } else {
        1.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same(a: f64, b: f64) -> bool {
        (a.is_nan() && b.is_nan()) || a.to_bits() == b.to_bits()
    }

    const MIN_SUB: f64 = 5e-324;

    #[test]
    fn nextafter_and_spacing_follow_numpy() {
        let inf = f64::INFINITY;
        assert!(same(nextafter_f64(0.0, -0.0), -0.0) && same(nextafter_f64(-0.0, 0.0), 0.0));
        assert_eq!((nextafter_f64(0.0, 1.0), nextafter_f64(-0.0, -1.0)), (MIN_SUB, -MIN_SUB));
        assert_eq!((nextafter_f64(f64::MAX, inf), nextafter_f64(inf, 0.0)), (inf, f64::MAX));
        assert!(nextafter_f64(f64::NAN, 1.0).is_nan() && nextafter_f64(1.0, f64::NAN).is_nan());
        assert_eq!(nextafter_f32(1.0, 2.0), 1.0 + f32::EPSILON);
        assert!(same(spacing_f64(0.0), MIN_SUB) && same(spacing_f64(-0.0), MIN_SUB));
        assert_eq!((spacing_f64(1.0), spacing_f64(-1.0)), (f64::EPSILON, -f64::EPSILON));
        assert_eq!((spacing_f64(f64::MAX), spacing_f64(f64::MIN)), (inf, -inf));
        assert!(spacing_f64(inf).is_nan() && spacing_f64(-inf).is_nan() && spacing_f64(f64::NAN).is_nan());
        assert_eq!((spacing_f32(1.0), spacing_f32(f32::MAX)), (f32::EPSILON, f32::INFINITY));
        assert_eq!(spacing_f32(-0.0).to_bits(), 1);
    }

    #[test]
    fn ldexp_is_exact_with_subnormals_and_huge_exponents() {
        assert_eq!(ldexp_f64(1.5, -1074), 2.0 * MIN_SUB); // 1.5 ulp rounds to even: 2
        assert_eq!(ldexp_f64(1.5, -1075), MIN_SUB);
        assert_eq!(ldexp_f64(3.0, -1075), 2.0 * MIN_SUB);
        assert_eq!(ldexp_f64(1.0, 1023), f64::from_bits(0x7fe0_0000_0000_0000));
        assert_eq!(ldexp_f64(1.0, 1024), f64::INFINITY);
        assert_eq!(ldexp_f64(MIN_SUB, 2097), 2f64.powi(1023));
        assert_eq!(ldexp_f64(MIN_SUB, 1074), 1.0);
        assert_eq!((ldexp_f64(f64::MAX, -2098), ldexp_f64(f64::MAX, -2099)), (MIN_SUB, 0.0));
        assert_eq!(ldexp_f64(f64::MAX, -2046), f64::MIN_POSITIVE); // (2^52 - 0.5) * 2^-1074: ties to even
        assert_eq!((ldexp_f64(1.0, i64::MAX), ldexp_f64(-1.0, i64::MIN)), (f64::INFINITY, -0.0));
        assert!(same(ldexp_f64(-0.0, 5), -0.0) && ldexp_f64(f64::NAN, -3).is_nan());
        assert_eq!(ldexp_f64(f64::NEG_INFINITY, -5000), f64::NEG_INFINITY);
        // float32: one rounding of the exact f64 product.
        assert_eq!(ldexp_f64(1.5, -149) as f32, 2.0 * f32::from_bits(1));
        assert_eq!(ldexp_f64(1.0, 128) as f32, f32::INFINITY);
    }

    #[test]
    fn frexp_follows_glibc() {
        assert_eq!(frexp(1.0), (0.5, 1));
        assert_eq!(frexp(-3.0), (-0.75, 2));
        assert_eq!(frexp(MIN_SUB), (0.5, -1073));
        assert_eq!(frexp(f64::MAX), (1.0 - f64::EPSILON / 2.0, 1024));
        assert_eq!(frexp(f64::INFINITY), (f64::INFINITY, 0));
        assert!(same(frexp(-0.0).0, -0.0) && frexp(f64::NAN).0.is_nan() && frexp(f64::NAN).1 == 0);
        assert_eq!(frexp(f32::from_bits(1) as f64), (0.5, -148));
    }

    #[test]
    fn gcd_lcm_and_popcount_wrap_like_numpy() {
        use ir::dtype::DType;
        use ir::scalar::{wrap_signed, wrap_unsigned};
        assert_eq!((gcd_i(-6, -4), gcd_i(6, 0), gcd_i(0, 0)), (2, 6, 0));
        assert_eq!(wrap_signed(gcd_i(-128, 0), DType::I8), -128);
        assert_eq!(wrap_signed(gcd_i(-128, 6), DType::I8), 2);
        assert_eq!((gcd_i(i64::MIN, 0), gcd_i(i64::MIN, i64::MIN)), (i64::MIN, i64::MIN));
        assert_eq!(wrap_signed(lcm_i(127, 126), DType::I8), -126);
        assert_eq!(wrap_signed(lcm_i(-128, 3), DType::I8), -128);
        assert_eq!((lcm_i(-6, 4), lcm_i(0, 0), lcm_i(5, 0)), (12, 0, 0));
        assert_eq!((wrap_unsigned(lcm_u(255, 2), DType::U8), wrap_unsigned(lcm_u(255, 254), DType::U8)), (254, 2));
        assert_eq!(lcm_u(u64::MAX, u64::MAX - 1), 2);
        assert_eq!((popcount_i(-1), popcount_i(-128), popcount_i(i64::MIN), popcount_i(5)), (1, 1, 1, 2));
    }

    #[test]
    fn fmax_fmin_ignore_nan_and_heaviside() {
        let nan = f64::NAN;
        assert_eq!((fmax_f(nan, 1.0), fmax_f(1.0, nan), fmin_f(nan, -1.0)), (1.0, 1.0, -1.0));
        assert!(fmax_f(nan, nan).is_nan());
        let c = C::new;
        assert_eq!(cfmax(c(nan, 0.0), c(1.0, 0.0)), c(1.0, 0.0));
        assert_eq!(cfmax(c(1.0, 0.0), c(0.0, nan)), c(1.0, 0.0));
        assert_eq!(cfmax(c(1.0, 2.0), c(1.0, 3.0)), c(1.0, 3.0));
        assert_eq!(cfmin(c(1.0, 2.0), c(1.0, 3.0)), c(1.0, 2.0));
        assert!(cnan(cfmin(c(nan, 1.0), c(1.0, nan))));
        assert_eq!((heaviside(-1.0, 0.5), heaviside(-0.0, 0.5), heaviside(3.0, 0.5)), (0.0, 0.5, 1.0));
        assert!(heaviside(nan, 0.5).is_nan() && heaviside(0.0, nan).is_nan());
        assert_eq!(heaviside(f64::NEG_INFINITY, 0.5), 0.0);
    }
}
