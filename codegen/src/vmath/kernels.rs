//! The element kernels of `vmath`: branch-free scalar functions that LLVM inlines into the strip
//! loops and vectorizes. Only correctly rounded IEEE operations (`+ - * /` and fused
//! multiply-add through `mul_add`), comparisons, selects and bit operations are used (no other
//! libm function, no float/int conversions), so every lane of every vector width computes
//! exactly what the scalar code computes.
//!
//! Integer arithmetic wraps explicitly: garbage bits from NaN or out-of-range lanes must not
//! trip overflow checks; such lanes are replaced by a select at the end.

/// `x + SHIFT - SHIFT` rounds `x` (|x| < 2^51) to the nearest integer, and the low bits of
/// `(x + SHIFT).to_bits()` are that integer in two's complement.
const SHIFT: f64 = 6755399441055744.0; // 1.5 * 2^52
const MANT: u64 = 0x000f_ffff_ffff_ffff;

#[inline(always)]
fn sel(c: bool, a: f64, b: f64) -> f64 {
    if c {
        a
    } else {
        b
    }
}

/// `a * b + c` rounded once (a vector FMA where the variant has FMA, libm's `fma` otherwise).
#[inline(always)]
fn madd(a: f64, b: f64, c: f64) -> f64 {
    a.mul_add(b, c)
}

/// `c[0] + c[1] x + c[2] x^2 + ...`, Horner's scheme with fused multiply-adds.
#[inline(always)]
fn horner<const N: usize>(x: f64, c: &[f64; N]) -> f64 {
    let mut acc = c[N - 1];
    let mut i = N - 1;
    while i > 0 {
        i -= 1;
        acc = madd(acc, x, c[i]);
    }
    acc
}

/// 2^k for -1022 <= k <= 1023.
#[inline(always)]
fn pow2(k: i64) -> f64 {
    f64::from_bits((k.wrapping_add(1023) as u64) << 52)
}

/// The integer `k` (|k| < 2^51) as an f64, without a conversion instruction.
#[inline(always)]
fn int_f64(k: i64) -> f64 {
    f64::from_bits(SHIFT.to_bits().wrapping_add(k as u64)) - SHIFT
}

/// `(round(v), round(v) as i64)` for |v| < 2^51.
#[inline(always)]
fn round_int(v: f64) -> (f64, i64) {
    let t = v + SHIFT;
    (t - SHIFT, (t.to_bits() as i64).wrapping_sub(SHIFT.to_bits() as i64))
}

#[inline(always)]
fn copysign(mag: f64, sign: f64) -> f64 {
    f64::from_bits((mag.to_bits() & !(1 << 63)) | (sign.to_bits() & (1 << 63)))
}

/// `a + b = s + e` exactly (Knuth's TwoSum).
#[inline(always)]
fn two_sum(a: f64, b: f64) -> (f64, f64) {
    let s = a + b;
    let bb = s - a;
    (s, (a - (s - bb)) + (b - bb))
}

// ---- exp, expm1 ----

const LOG2E: f64 = std::f64::consts::LOG2_E;
/// ln 2 = LN2_HI + LN2_LO; LN2_HI has 32 significant bits, so n * LN2_HI is exact for |n| < 2^21.
const LN2_HI: f64 = f64::from_bits(0x3fe6_2e42_fee0_0000);
const LN2_LO: f64 = f64::from_bits(0x3dea_39ef_3579_3c76);
const LN2: f64 = std::f64::consts::LN_2;

/// `(e^r - 1 - r) / r^2` on |r| <= ln2/2: Chebyshev fit, abs error 2.6e-18.
const EXP_Q: [f64; 11] = [
    0.5,
    0.1666666666666667,
    0.04166666666666667,
    0.008333333333326141,
    0.0013888888888883752,
    0.00019841269874801073,
    2.480158732553378e-05,
    2.7557255425009614e-06,
    2.7557273660822466e-07,
    2.510520668068106e-08,
    2.0914679595617734e-09,
];

/// The same to float32 accuracy: abs error 1.4e-9 (relative 1.7e-10 in e^r).
const EXP32_Q: [f64; 6] = [
    0.500000001345796,
    0.16666666681614514,
    0.041666465003710317,
    0.008333310934190145,
    0.001393364129062974,
    0.0001989098115697468,
];

/// `x = n ln2 + r + c` with |r| <= ln2/2 (plus rounding) and c the rounding error of r: returns
/// `(n, r, c)`. Requires |x| < 2^20.
#[inline(always)]
fn exp_reduce(x: f64) -> (i64, f64, f64) {
    let (n, ni) = round_int(x * LOG2E);
    let hi = x - n * LN2_HI;
    let lo = n * LN2_LO;
    let r = hi - lo;
    (ni, r, (hi - r) - lo)
}

/// e^(r + c) - 1 for the reduced argument.
#[inline(always)]
fn expm1_reduced(r: f64, c: f64) -> f64 {
    r + (r * r * horner(r, &EXP_Q) + c)
}

#[inline(always)]
pub(super) fn exp_f64(x: f64) -> f64 {
    // Beyond these, the scaling below overflows to inf or rounds to 0 by itself; NaN passes.
    let xc = sel(x > 709.8, 709.8, sel(x < -745.2, -745.2, x));
    let (n, r, c) = exp_reduce(xc);
    let y = 1.0 + expm1_reduced(r, c);
    // 2^n in two factors, both normal for n in [-1075, 1024]: the first product is exact and
    // the second rounds once (to a subnormal, or to inf).
    let n1 = n >> 1;
    y * pow2(n1) * pow2(n.wrapping_sub(n1))
}

/// e^x - 1 of a reduced-range argument (|x| < 700), accurate relative to the result.
#[inline(always)]
fn expm1_core(x: f64) -> f64 {
    let (n, r, c) = exp_reduce(x);
    let p = expm1_reduced(r, c);
    // 2^n (1 + p) - 1 = 2^n p + (2^n - 1), where 2^n - 1 is exact for -53 <= n <= 53.
    let s = pow2(n);
    s * p + (s - 1.0)
}

#[inline(always)]
pub(super) fn expm1_f64(x: f64) -> f64 {
    // Below -40, e^x - 1 rounds to -1.
    let xc = sel(x > 709.8, 709.8, sel(x < -40.0, -40.0, x));
    // For n >= 1023 the result is 2 * (2^(n-1) (1 + p) - 1/2), the 1/2 being far below an ulp.
    let big = xc > 700.0;
    let (n, r, c) = exp_reduce(xc);
    let p = expm1_reduced(r, c);
    let s = pow2(n.wrapping_sub(big as i64));
    let y = (s * p + (s - 1.0)) * sel(big, 2.0, 1.0);
    // Tiny arguments (±0 and subnormals included) are their own result.
    sel(x.abs() < f64::from_bits(0x3c90_0000_0000_0000), x, y)
}

#[inline(always)]
pub(super) fn exp_f32(x: f32) -> f32 {
    let x = x as f64;
    // e^89 overflows float32 and e^-104 rounds to 0 in it; the f64 scale stays normal.
    let xc = sel(x > 89.0, 89.0, sel(x < -104.0, -104.0, x));
    let (n, ni) = round_int(xc * LOG2E);
    let r = xc - n * LN2;
    let y = 1.0 + (r + r * r * horner(r, &EXP32_Q));
    (y * pow2(ni)) as f32
}

/// e^x - 1 to float32 accuracy (relative), for |x| <= 30.
#[inline(always)]
fn expm1_core32(x: f64) -> f64 {
    let (n, ni) = round_int(x * LOG2E);
    let r = x - n * LN2;
    let p = r + r * r * horner(r, &EXP32_Q);
    let s = pow2(ni);
    s * p + (s - 1.0)
}

// ---- log, log1p ----

// fdlibm's e_log.c: log(1+f) = 2s + s R(s^2), s = f / (2 + f); error below 1 ulp.
const LG1: f64 = 0.6666666666666735;
const LG2: f64 = 0.3999999999940942;
const LG3: f64 = 0.2857142874366239;
const LG4: f64 = 0.22222198432149784;
const LG5: f64 = 0.1818357216161805;
const LG6: f64 = 0.15313837699209373;
const LG7: f64 = 0.14798198605116586;

/// `(2 atanh(s) - 2s) / s^3` as a polynomial in z = s^2 on [0, 0.02944], abs error 1.2e-9.
const LOG32_G: [f64; 4] = [0.6666666655449179, 0.40000121844138115, 0.2855082032450042, 0.23330480589270547];

/// `x = 2^k m` with sqrt(2)/2 <= m < sqrt(2), for a positive normal x: `(k, m - 1)`.
#[inline(always)]
fn log_split(x: f64) -> (i64, f64) {
    // Adding 1 - 0x3fe6a09e (sqrt(2)/2's high word) to the exponent field moves m >= sqrt(2)
    // into the next binade; fdlibm's trick on the whole 64-bit word.
    let b = x.to_bits().wrapping_add(0x3ff0_0000_0000_0000 - 0x3fe6_a09e_0000_0000);
    let k = ((b >> 52) as i64).wrapping_sub(1023);
    let m = f64::from_bits((b & MANT).wrapping_add(0x3fe6_a09e_0000_0000));
    (k, m - 1.0)
}

/// log x for a positive normal x (`kadj` is subtracted from its exponent).
#[inline(always)]
fn log_core(x: f64, kadj: i64) -> f64 {
    let (k, f) = log_split(x);
    let dk = int_f64(k.wrapping_sub(kadj));
    let hfsq = 0.5 * f * f;
    let s = f / (2.0 + f);
    let z = s * s;
    let w = z * z;
    let t1 = w * madd(w, madd(w, LG6, LG4), LG2);
    let t2 = z * madd(w, madd(w, madd(w, LG7, LG5), LG3), LG1);
    let r = t2 + t1;
    s * (hfsq + r) + dk * LN2_LO - hfsq + f + dk * LN2_HI
}

/// The result of log for the arguments `log_core` does not take: log(±0) = -inf,
/// log(x < 0) = nan, log(inf) = inf, log(nan) = nan.
#[inline(always)]
fn log_special(x: f64) -> f64 {
    sel(x == 0.0, f64::NEG_INFINITY, sel(x == f64::INFINITY, x, sel(x < 0.0, f64::NAN, x)))
}

#[inline(always)]
pub(super) fn log_f64(x: f64) -> f64 {
    let sub = x < f64::MIN_POSITIVE;
    let xs = sel(sub, x * f64::from_bits(0x4350_0000_0000_0000), x); // 2^54
    let y = log_core(xs, if sub { 54 } else { 0 });
    sel((x > 0.0) & (x < f64::INFINITY), y, log_special(x))
}

#[inline(always)]
pub(super) fn log1p_f64(x: f64) -> f64 {
    let u = 1.0 + x;
    // log1p(x) = log(u) + log(1 + c/u), c being what rounding u lost.
    let c = sel(u < 2.0, x - (u - 1.0), 1.0 - (u - x));
    let y = log_core(u, 0) + c / u;
    let y = sel(x.abs() < f64::from_bits(0x3c90_0000_0000_0000), x, y);
    let ok = (x > -1.0) & (x < f64::INFINITY);
    sel(ok, y, sel(x == -1.0, f64::NEG_INFINITY, sel(x < -1.0, f64::NAN, x)))
}

#[inline(always)]
pub(super) fn log_f32(x: f32) -> f32 {
    let xd = x as f64; // float32 subnormals are normal doubles
    let (k, f) = log_split(xd);
    let s = f / (2.0 + f);
    let z = s * s;
    let y = int_f64(k) * LN2 + (2.0 * s + s * z * horner(z, &LOG32_G));
    sel((xd > 0.0) & (xd < f64::INFINITY), y, log_special(xd)) as f32
}

// ---- sin, cos ----

/// Above this, sin and cos take the scalar fallback (whose argument reduction is exact).
pub(super) const TRIG_VECTOR_MAX: f64 = 1048576.0; // 2^20

const INV_PIO2: f64 = f64::from_bits(0x3fe4_5f30_6dc9_c883);
/// pi/2 = PIO2_1 + PIO2_2 + PIO2_3 + PIO2_3T; the first three have 33 significant bits, so
/// their products with n < 2^20 are exact.
const PIO2_1: f64 = f64::from_bits(0x3ff9_21fb_5440_0000);
const PIO2_2: f64 = f64::from_bits(0x3dd0_b461_1a60_0000);
const PIO2_2T: f64 = f64::from_bits(0x3ba3_198a_2e03_7073);
const PIO2_3: f64 = f64::from_bits(0x3ba3_198a_2e00_0000);
const PIO2_3T: f64 = f64::from_bits(0x397b_839a_2520_49c1);

// fdlibm's k_sin.c / k_cos.c on [-pi/4, pi/4], with a tail y of the argument.
const S1: f64 = -0.16666666666666632;
const S2: f64 = 0.00833333333332249;
const S3: f64 = -0.0001984126982985795;
const S4: f64 = 2.7557313707070068e-06;
const S5: f64 = -2.5050760253406863e-08;
const S6: f64 = 1.58969099521155e-10;
const C1: f64 = 0.0416666666666666;
const C2: f64 = -0.001388888888887411;
const C3: f64 = 2.480158728947673e-05;
const C4: f64 = -2.7557314351390663e-07;
const C5: f64 = 2.087572321298175e-09;
const C6: f64 = -1.1359647557788195e-11;

/// `(sin r - r) / r^3` and `(cos r - 1 + r^2/2) / r^4` in z = r^2 on |r| <= pi/4 (abs errors
/// 2.8e-11 and 2.4e-12: float32 accuracy).
const SIN32_S: [f64; 4] = [-0.16666666663854168, 0.008333331874273714, -0.000198400864995936, 2.724989523061168e-06];
const COS32_C: [f64; 4] = [0.041666666664320264, -0.0013888887671652504, 2.480060018036381e-05, -2.7300933687212943e-07];

/// `x = q pi/2 + hi + lo` with |hi| <= ~pi/4, as a double-double; q mod 4 in the low bits of
/// the third result. Requires |x| <= TRIG_VECTOR_MAX.
#[inline(always)]
fn trig_reduce(x: f64) -> (f64, f64, u64) {
    let t = x * INV_PIO2 + SHIFT;
    let n = t - SHIFT;
    let r0 = x - n * PIO2_1; // exact
    let (s1, e1) = two_sum(r0, -(n * PIO2_2));
    let (s2, e2) = two_sum(s1, -(n * PIO2_3));
    let tail = (e1 + e2) - n * PIO2_3T;
    let hi = s2 + tail;
    (hi, (s2 - hi) + tail, t.to_bits())
}

#[inline(always)]
fn ksin(x: f64, y: f64) -> f64 {
    let z = x * x;
    let w = z * z;
    let r = madd(z, madd(z, S4, S3), S2) + z * w * madd(z, S6, S5);
    let v = z * x;
    x - ((z * (0.5 * y - v * r) - y) - v * S1)
}

#[inline(always)]
fn kcos(x: f64, y: f64) -> f64 {
    let z = x * x;
    let w = z * z;
    let r = z * madd(z, madd(z, C3, C2), C1) + w * w * madd(z, madd(z, C6, C5), C4);
    let hz = 0.5 * z;
    let w = 1.0 - hz;
    w + (((1.0 - w) - hz) + (z * r - x * y))
}

/// Picks sin or cos of the reduced argument by quadrant: `cos` selects cos(x).
#[inline(always)]
fn quadrant(q: u64, s: f64, c: f64, cos: bool) -> f64 {
    let q = q.wrapping_add(cos as u64);
    let v = if q & 1 == 0 { s } else { c };
    f64::from_bits(v.to_bits() ^ ((q & 2) << 62))
}

#[inline(always)]
pub(super) fn sin_f64(x: f64) -> f64 {
    let (hi, lo, q) = trig_reduce(x);
    let v = quadrant(q, ksin(hi, lo), kcos(hi, lo), false);
    // sin x rounds to x below 2^-26 (and ±0 keeps its sign).
    sel(x.abs() < f64::from_bits(0x3e50_0000_0000_0000), x, v)
}

#[inline(always)]
pub(super) fn cos_f64(x: f64) -> f64 {
    let (hi, lo, q) = trig_reduce(x);
    quadrant(q, ksin(hi, lo), kcos(hi, lo), true)
}

/// sin and cos of a float32 (as f64) to float32 accuracy.
#[inline(always)]
fn sincos32(x: f64, cos: bool) -> f64 {
    let t = x * INV_PIO2 + SHIFT;
    let n = t - SHIFT;
    let r = ((x - n * PIO2_1) - n * PIO2_2) - n * PIO2_2T;
    let z = r * r;
    let s = r + r * z * horner(z, &SIN32_S);
    let c = 1.0 + z * (-0.5 + z * horner(z, &COS32_C));
    quadrant(t.to_bits(), s, c, cos)
}

#[inline(always)]
pub(super) fn sin_f32(x: f32) -> f32 {
    let x = x as f64;
    sel(x == 0.0, x, sincos32(x, false)) as f32
}

#[inline(always)]
pub(super) fn cos_f32(x: f32) -> f32 {
    sincos32(x as f64, true) as f32
}

// ---- tanh ----

/// `(tanh x - x) / x^3` in z = x^2 for |x| <= 0.5493: Chebyshev fit, relative error 6.5e-20.
const TANH_P: [f64; 12] = [
    -0.3333333333333333,
    0.13333333333333314,
    -0.053968253968221136,
    0.021869488534115918,
    -0.00886323546433501,
    0.003592126789486707,
    -0.0014558192964197294,
    0.000589906598818346,
    -0.00023847817264807826,
    9.456544915576983e-05,
    -3.37414295654308e-05,
    7.887261570780392e-06,
];

#[inline(always)]
pub(super) fn tanh_f64(x: f64) -> f64 {
    // |x| <= 0.5493: x + x^3 P(x^2) (expm1's t/(t+2) loses up to 3 ulp there);
    // 0.5493 < |x| <= 20: 1 - 2/(t+2), t = expm1(2|x|), as musl's s_tanh.c; 20 < |x|: 1.
    // Both are computed, then selected.
    let ax = x.abs();
    let t = expm1_core(2.0 * sel(ax > 20.0, 20.0, ax));
    let big = 1.0 - 2.0 / (t + 2.0);
    let z = ax * ax;
    let p = ax + ax * z * horner(z, &TANH_P);
    let r = sel(ax > 20.0, 1.0, sel(ax <= 0.5493, p, big));
    copysign(r, x)
}

#[inline(always)]
pub(super) fn tanh_f32(x: f32) -> f32 {
    let x = x as f64;
    let ax = x.abs();
    // tanh(10) rounds to 1 in float32; t/(t+2) loses nothing in f64.
    let t = expm1_core32(2.0 * sel(ax > 10.0, 10.0, ax));
    copysign(t / (t + 2.0), x) as f32
}

#[inline(always)]
pub(super) fn expm1_f32(x: f32) -> f32 {
    expm1_f64(x as f64) as f32
}

#[inline(always)]
pub(super) fn log1p_f32(x: f32) -> f32 {
    log1p_f64(x as f64) as f32
}
