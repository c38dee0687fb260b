//! Scalar element functions with NumPy 2's semantics where Rust's operators differ: integer
//! floor division, remainder and power, float divmod, NaN-propagating max/min and the complex
//! order, division and power of NumPy's umath loops.

use super::values::C;

/// Floor division rounding toward -inf; `x // 0 = 0` and `INT_MIN // -1 = INT_MIN` (wrapped by
/// the caller for narrow types), NumPy 2's integer results.
pub(crate) fn floor_div_i(a: i64, b: i64) -> i64 {
    match b {
        0 => 0,
        -1 => a.wrapping_neg(),
        _ => {
            let q = a / b;
            if a % b != 0 && ((a < 0) != (b < 0)) {
                q - 1
            } else {
                q
            }
        }
    }
}

/// Python's `%`: the result has the divisor's sign; `x % 0 = 0`.
pub(crate) fn mod_i(a: i64, b: i64) -> i64 {
    match b {
        0 | -1 => 0,
        _ => {
            let r = a % b;
            if r != 0 && ((r < 0) != (b < 0)) {
                r + b
            } else {
                r
            }
        }
    }
}

/// Integer power by squaring, wrapping. NumPy raises "Integers to negative integer powers are not
/// allowed"; a kernel cannot raise, so it gives the truncated real result instead: 1 for base 1,
/// ±1 for base -1, 0 otherwise (including base 0).
pub(crate) fn pow_i(base: i64, exp: i64) -> i64 {
    if exp < 0 {
        return match base {
            1 => 1,
            -1 => {
                if exp & 1 == 0 {
                    1
                } else {
                    -1
                }
            }
            _ => 0,
        };
    }
    pow_u(base as u64, exp as u64) as i64
}

/// Power by squaring modulo 2^64, which the callers' wrap reduces to any narrower width.
pub(crate) fn pow_u(mut base: u64, mut exp: u64) -> u64 {
    let mut acc = 1u64;
    while exp > 0 {
        if exp & 1 == 1 {
            acc = acc.wrapping_mul(base);
        }
        exp >>= 1;
        if exp > 0 {
            base = base.wrapping_mul(base);
        }
    }
    acc
}

/// NumPy's `npy_divmod`, `npy_floor_divide` and `npy_remainder` (numpy/_core/src/npymath/
/// npy_math_internal.h.src), which follow CPython's float divmod.
macro_rules! float_divmod {
    ($t:ty, $divmod:ident, $floor_divide:ident, $remainder:ident) => {
        /// Requires `b != 0`.
        fn $divmod(a: $t, b: $t) -> ($t, $t) {
            let mut m = a % b;
            // a - m is very nearly an integer multiple of b.
            let mut div = (a - m) / b;
            if m != 0.0 {
                if (b < 0.0) != (m < 0.0) {
                    m += b;
                    div -= 1.0;
                }
            } else {
                m = (0.0 as $t).copysign(b);
            }
            let floordiv = if div != 0.0 {
                // Snap the quotient to the nearest integer.
                let f = div.floor();
                if div - f > 0.5 {
                    f + 1.0
                } else {
                    f
                }
            } else {
                (0.0 as $t).copysign(a / b)
            };
            (floordiv, m)
        }

        pub(crate) fn $floor_divide(a: $t, b: $t) -> $t {
            if b == 0.0 {
                a / b
            } else {
                $divmod(a, b).0
            }
        }

        pub(crate) fn $remainder(a: $t, b: $t) -> $t {
            if b == 0.0 {
                a % b
            } else {
                $divmod(a, b).1
            }
        }
    };
}

float_divmod!(f64, divmod_f64, floor_divide_f64, remainder_f64);
float_divmod!(f32, divmod_f32, floor_divide_f32, remainder_f32);

/// NumPy's `maximum`: NaN propagates; between equal values (±0) the first operand wins.
/// NumPy's `maximum` of floats: NaN propagates; on a tie (including +0 against -0) the second
/// operand, as NumPy's loops give.
pub(crate) fn fmax(a: f64, b: f64) -> f64 {
    if a > b || a.is_nan() {
        a
    } else {
        b
    }
}

/// NumPy's `minimum` of floats: as `fmax`, ties give the second operand.
pub(crate) fn fmin(a: f64, b: f64) -> f64 {
    if a < b || a.is_nan() {
        a
    } else {
        b
    }
}

pub(crate) fn cnan(x: C) -> bool {
    x.re.is_nan() || x.im.is_nan()
}

// NumPy's lexicographic complex order (CLT/CLE in umath loops.c.src): a NaN imaginary part only
// spoils the real-part branch.
pub(crate) fn clt(x: C, y: C) -> bool {
    (x.re < y.re && !x.im.is_nan() && !y.im.is_nan()) || (x.re == y.re && x.im < y.im)
}

pub(crate) fn cle(x: C, y: C) -> bool {
    (x.re < y.re && !x.im.is_nan() && !y.im.is_nan()) || (x.re == y.re && x.im <= y.im)
}

pub(crate) fn cmax(a: C, b: C) -> C {
    if cnan(a) || cle(b, a) {
        a
    } else {
        b
    }
}

pub(crate) fn cmin(a: C, b: C) -> C {
    if cnan(a) || cle(a, b) {
        a
    } else {
        b
    }
}

/// NumPy's complex division (Smith's algorithm, umath loops): no overflow when |b| is huge, and
/// x / 0 gives inf/nan parts rather than the nan of the naive formula.
pub(crate) fn cdiv(a: C, b: C) -> C {
    let (br_abs, bi_abs) = (b.re.abs(), b.im.abs());
    if br_abs >= bi_abs {
        if br_abs == 0.0 && bi_abs == 0.0 {
            C::new(a.re / br_abs, a.im / br_abs)
        } else {
            let rat = b.im / b.re;
            let scl = 1.0 / (b.re + b.im * rat);
            C::new((a.re + a.im * rat) * scl, (a.im - a.re * rat) * scl)
        }
    } else {
        let rat = b.re / b.im;
        let scl = 1.0 / (b.im + b.re * rat);
        C::new((a.re * rat + a.im) * scl, (a.im * rat - a.re) * scl)
    }
}

/// NumPy's `npy_cpow`: exact small integer powers by repeated multiplication, 0**0 = 1,
/// exp(b ln a) otherwise.
pub(crate) fn cpow(a: C, b: C) -> C {
    let one = C::new(1.0, 0.0);
    if b.re == 0.0 && b.im == 0.0 {
        return one;
    }
    if a.re == 0.0 && a.im == 0.0 {
        // NumPy 2's npy_cpow: 0 to any power with a positive real part is 0, otherwise NaN.
        return if b.re > 0.0 { C::new(0.0, 0.0) } else { C::new(f64::NAN, f64::NAN) };
    }
    if b.im == 0.0 && b.re == b.re.trunc() && b.re.abs() < 100.0 {
        let n = b.re as i64;
        return match n {
            1 => a,
            2 => a * a,
            3 => a * (a * a),
            _ => {
                let (mut m, mut p, mut acc) = (n.unsigned_abs(), a, one);
                loop {
                    if m & 1 == 1 {
                        acc *= p;
                    }
                    m >>= 1;
                    if m == 0 {
                        break;
                    }
                    p = p * p;
                }
                if n < 0 {
                    cdiv(one, acc)
                } else {
                    acc
                }
            }
        };
    }
    // NumPy's fallback npy_cpow: cexp(b clog(a)), both in float64 (complex64 rounds the result).
    let l = crate::complex_math::log(crate::complex_math::cx(a.re, a.im));
    let w = crate::complex_math::exp(crate::complex_math::cx(l.re * b.re - l.im * b.im, l.re * b.im + l.im * b.re));
    C::new(w.re, w.im)
}

/// C's fmod on integers (the sign of the dividend); `x fmod 0` and `x fmod -1` are 0, NumPy 2's
/// results (no trap for INT_MIN fmod -1).
pub(crate) fn fmod_i(a: i64, b: i64) -> i64 {
    match b {
        0 | -1 => 0,
        _ => a % b,
    }
}

/// NumPy's `npy_lshift`: a shift by the bit width `bits` of the dtype or more (or by a negative
/// amount, which is huge as an unsigned size) gives 0. The caller wraps to the dtype.
pub(crate) fn shl_i(a: i64, b: i64, bits: u32) -> i64 {
    if (b as u64) < bits as u64 {
        a.wrapping_shl(b as u32)
    } else {
        0
    }
}

/// NumPy's `npy_rshift` of signed values: out-of-range shifts give the sign (-1 or 0).
pub(crate) fn shr_i(a: i64, b: i64, bits: u32) -> i64 {
    if (b as u64) < bits as u64 {
        a >> b
    } else if a < 0 {
        -1
    } else {
        0
    }
}

pub(crate) fn shl_u(a: u64, b: u64, bits: u32) -> u64 {
    if b < bits as u64 {
        a << b
    } else {
        0
    }
}

pub(crate) fn shr_u(a: u64, b: u64, bits: u32) -> u64 {
    if b < bits as u64 {
        a >> b
    } else {
        0
    }
}

/// NumPy's `sign` of a real: 1, -1, 0 (+0.0 also for -0.0), NaN for NaN.
pub(crate) fn sign_f(x: f64) -> f64 {
    if x > 0.0 {
        1.0
    } else if x < 0.0 {
        -1.0
    } else if x == 0.0 {
        0.0
    } else {
        x
    }
}

/// NumPy 2's complex `sign`: z / |z| (|z| by hypot), 0 for 0, NaN for NaN parts, the direction
/// of the infinite part when one part is infinite, NaN when both are. `f32`: complex64, whose
/// |z| and quotients NumPy rounds to float32 (each rounding here is the float32 operation's).
pub(crate) fn csign(z: C, f32: bool) -> C {
    let r = |x: f64| if f32 { x as f32 as f64 } else { x };
    let abs = r(z.re.hypot(z.im));
    let nan = f64::NAN;
    if abs.is_nan() {
        C::new(nan, nan)
    } else if abs.is_infinite() {
        if z.re.is_infinite() {
            if z.im.is_infinite() {
                C::new(nan, nan)
            } else {
                C::new(if z.re > 0.0 { 1.0 } else { -1.0 }, 0.0)
            }
        } else {
            C::new(0.0, if z.im > 0.0 { 1.0 } else { -1.0 })
        }
    } else if abs == 0.0 {
        C::new(0.0, 0.0)
    } else {
        C::new(r(z.re / abs), r(z.im / abs))
    }
}

/// NumPy's `npy_logaddexp`: log(e^x + e^y) without overflow; equal arguments (also equal
/// infinities) give x + ln 2, NaN propagates.
pub(crate) fn logaddexp(x: f64, y: f64) -> f64 {
    if x == y {
        return x + std::f64::consts::LN_2;
    }
    let t = x - y;
    if t > 0.0 {
        x + (-t).exp().ln_1p()
    } else if t <= 0.0 {
        y + t.exp().ln_1p()
    } else {
        t
    }
}

/// NumPy's `npy_logaddexp2`: log2(2^x + 2^y).
pub(crate) fn logaddexp2(x: f64, y: f64) -> f64 {
    if x == y {
        return x + 1.0;
    }
    let t = x - y;
    if t > 0.0 {
        x + std::f64::consts::LOG2_E * (-t).exp2().ln_1p()
    } else if t <= 0.0 {
        y + std::f64::consts::LOG2_E * t.exp2().ln_1p()
    } else {
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ir::dtype::DType;
    use ir::scalar::wrap_signed;

    fn same(a: f64, b: f64) -> bool {
        (a.is_nan() && b.is_nan()) || a.to_bits() == b.to_bits()
    }

    #[test]
    fn integer_floor_div_and_mod_follow_python() {
        assert_eq!((floor_div_i(-7, 2), mod_i(-7, 2)), (-4, 1));
        assert_eq!((floor_div_i(7, -2), mod_i(7, -2)), (-4, -1));
        assert_eq!((floor_div_i(-7, -2), mod_i(-7, -2)), (3, -1));
        assert_eq!((floor_div_i(6, -3), mod_i(6, -3)), (-2, 0));
        assert_eq!((floor_div_i(5, 0), mod_i(5, 0)), (0, 0));
        assert_eq!((floor_div_i(i64::MIN, -1), mod_i(i64::MIN, -1)), (i64::MIN, 0));
        assert_eq!(wrap_signed(floor_div_i(-128, -1), DType::I8), -128);
    }

    #[test]
    fn float_floor_divide_and_remainder_follow_numpy() {
        let cases: [(f64, f64, f64, f64); 10] = [
            (-7.0, 2.0, -4.0, 1.0),
            (7.5, -2.0, -4.0, -0.5),
            (7.5, 2.0, 3.0, 1.5),
            (1.0, 0.0, f64::INFINITY, f64::NAN),
            (-1.0, 0.0, f64::NEG_INFINITY, f64::NAN),
            (1.0, -0.0, f64::NEG_INFINITY, f64::NAN),
            (0.0, 0.0, f64::NAN, f64::NAN),
            (-0.0, 1.0, -0.0, 0.0),
            (0.0, -2.0, -0.0, -0.0),
            (f64::INFINITY, 2.0, f64::NAN, f64::NAN),
        ];
        for (a, b, q, r) in cases {
            assert!(same(floor_divide_f64(a, b), q), "{a} // {b} = {}", floor_divide_f64(a, b));
            assert!(same(remainder_f64(a, b), r), "{a} % {b} = {}", remainder_f64(a, b));
            let (q32, r32) = (floor_divide_f32(a as f32, b as f32), remainder_f32(a as f32, b as f32));
            assert!(same(q32 as f64, q) && same(r32 as f64, r), "f32 {a} {b}: {q32} {r32}");
        }
        // Python: 0.5 // 0.1 == 4.0 and 0.5 % 0.1 == 0.09999999999999998 (0.1 is a bit above 1/10).
        assert_eq!(floor_divide_f64(0.5, 0.1), 4.0);
        assert_eq!(remainder_f64(0.5, 0.1), 0.09999999999999998);
    }

    #[test]
    fn shifts_fmod_sign_and_logaddexp_follow_numpy() {
        assert_eq!((fmod_i(-7, 2), fmod_i(7, -2), fmod_i(5, 0), fmod_i(i64::MIN, -1)), (-1, 1, 0, 0));
        assert_eq!(wrap_signed(shl_i(1, 7, 8), DType::I8), -128);
        assert_eq!((shl_i(1, 8, 8), shl_i(3, -1, 64), shl_i(1, 63, 64)), (0, 0, i64::MIN));
        assert_eq!((shr_i(-5, 8, 8), shr_i(5, 100, 8), shr_i(-128, -1, 8), shr_i(-5, 1, 8)), (-1, 0, -1, -3));
        assert_eq!((shl_u(1, 64, 64), shr_u(u64::MAX, 63, 64), shr_u(3, 200, 8)), (0, 1, 0));
        assert!(sign_f(-0.0).is_sign_positive() && sign_f(f64::NAN).is_nan());
        assert_eq!((sign_f(-3.0), sign_f(f64::INFINITY)), (-1.0, 1.0));
        let c = C::new;
        assert_eq!(csign(c(3.0, 4.0), false), c(0.6, 0.8));
        assert_eq!(csign(c(0.0, -0.0), false), c(0.0, 0.0));
        assert_eq!(csign(c(f64::NEG_INFINITY, 2.0), false), c(-1.0, 0.0));
        assert_eq!(csign(c(1.0, f64::INFINITY), true), c(0.0, 1.0));
        assert!(cnan(csign(c(f64::INFINITY, f64::INFINITY), false)) && cnan(csign(c(f64::NAN, 0.0), false)));
        assert_eq!(logaddexp(f64::INFINITY, f64::INFINITY), f64::INFINITY);
        assert_eq!(logaddexp(f64::NEG_INFINITY, 0.0), 0.0);
        assert!((logaddexp(0.0, 0.0) - std::f64::consts::LN_2).abs() < 1e-16);
        assert!(logaddexp(f64::NAN, 1.0).is_nan());
        assert_eq!(logaddexp2(3.0, 3.0), 4.0);
        assert!((logaddexp2(1000.0, 0.0) - 1000.0).abs() < 1e-12);
    }

    #[test]
    fn integer_powers() {
        assert_eq!(pow_i(3, 4), 81);
        assert_eq!(pow_i(0, 0), 1);
        assert_eq!(wrap_signed(pow_i(2, 7), DType::I8), -128);
        assert_eq!(wrap_signed(pow_i(3, 5), DType::I8), 243 - 256);
        assert_eq!(pow_i(2, 64), 0);
        assert_eq!(pow_i(-1, i64::MAX), -1);
        assert_eq!((pow_i(2, -1), pow_i(1, -5), pow_i(-1, -3), pow_i(-1, -4), pow_i(0, -1)), (0, 1, -1, 1, 0));
        assert_eq!(pow_u(u64::MAX, u64::MAX), u64::MAX);
    }

    #[test]
    fn float_max_min_propagate_nan() {
        let nan = f64::NAN;
        assert!(fmax(nan, 1.0).is_nan() && fmax(1.0, nan).is_nan());
        assert!(fmin(nan, 1.0).is_nan() && fmin(1.0, nan).is_nan());
        assert_eq!((fmax(1.0, 2.0), fmin(1.0, 2.0)), (2.0, 1.0));
        // Ties give the second operand, as NumPy's loops do.
        assert!(fmax(-0.0, 0.0).is_sign_positive() && fmax(0.0, -0.0).is_sign_negative());
        assert!(fmin(-0.0, 0.0).is_sign_positive() && fmin(0.0, -0.0).is_sign_negative());
    }

    #[test]
    fn complex_order_division_and_power() {
        let c = C::new;
        assert_eq!(cmax(c(1.0, 5.0), c(2.0, 0.0)), c(2.0, 0.0));
        assert_eq!(cmax(c(1.0, 5.0), c(1.0, 6.0)), c(1.0, 6.0));
        assert_eq!(cmin(c(1.0, 5.0), c(1.0, 6.0)), c(1.0, 5.0));
        assert!(cnan(cmax(c(1.0, 0.0), c(0.0, f64::NAN))));
        assert!(cnan(cmin(c(f64::NAN, 0.0), c(0.0, 0.0))));
        assert!(clt(c(1.0, 9.0), c(2.0, 0.0)) && !clt(c(1.0, f64::NAN), c(2.0, 0.0)));
        assert_eq!(cdiv(c(1e300, 1e300), c(1e300, 1e300)), c(1.0, 0.0));
        let z = cdiv(c(1.0, 0.0), c(0.0, 0.0));
        assert!(z.re.is_infinite() && z.im.is_nan());
        assert_eq!(cpow(c(1.0, 1.0), c(2.0, 0.0)), c(0.0, 2.0));
        assert_eq!(cpow(c(0.0, 1.0), c(4.0, 0.0)), c(1.0, 0.0));
        assert_eq!(cpow(c(2.0, 0.0), c(-2.0, 0.0)), c(0.25, 0.0));
        assert_eq!(cpow(c(0.0, 0.0), c(0.0, 0.0)), c(1.0, 0.0));
        assert_eq!(cpow(c(0.0, 0.0), c(2.5, 0.0)), c(0.0, 0.0));
        assert!(cnan(cpow(c(0.0, 0.0), c(-1.0, 0.0))));
        let r = cpow(c(-1.0, 0.0), c(0.5, 0.0));
        assert!(r.re.abs() < 1e-15 && (r.im - 1.0).abs() < 1e-15);
    }
}
