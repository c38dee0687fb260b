//! Accuracy of the vector functions against libm (glibc's exp, log, sin, cos are within an ulp
//! of the exact result, mostly correctly rounded; float32 is checked against the f64 libm result
//! rounded to float32, which is the correctly rounded result but for rare double roundings),
//! NumPy's special values, and bit-identity across instruction-set variants and strip splits.

use super::*;
use std::time::Instant;

use crate::test_rng::Rng;

fn ord64(x: f64) -> i64 {
    let b = x.to_bits() as i64;
    if b < 0 {
        i64::MIN - b
    } else {
        b
    }
}

fn ulps64(a: f64, b: f64) -> u64 {
    if a.is_nan() || b.is_nan() {
        return if a.is_nan() && b.is_nan() { 0 } else { u64::MAX };
    }
    ord64(a).abs_diff(ord64(b))
}

fn ulps32(a: f32, b: f32) -> u64 {
    if a.is_nan() || b.is_nan() {
        return if a.is_nan() && b.is_nan() { 0 } else { u64::MAX };
    }
    let o = |x: f32| {
        let b = x.to_bits() as i32 as i64;
        if b < 0 {
            i32::MIN as i64 - b
        } else {
            b
        }
    };
    o(a).abs_diff(o(b))
}

type F64Fn = fn(&[f64], &mut [f64]);
type F32Fn = fn(&[f32], &mut [f32]);
type At64 = fn(Level, &[f64], &mut [f64]);
type At32 = fn(Level, &[f32], &mut [f32]);

struct Case64 {
    name: &'static str,
    f: F64Fn,
    truth: fn(f64) -> f64,
    gen: fn(&mut Rng) -> f64,
    max_ulp: u64,
}

fn special_bits(rng: &mut Rng) -> f64 {
    f64::from_bits(rng.next())
}

fn cases64() -> Vec<Case64> {
    vec![
        Case64 { name: "exp", f: exp_f64, truth: f64::exp, gen: |r| gen_exp(r), max_ulp: 1 },
        Case64 { name: "expm1", f: expm1_f64, truth: f64::exp_m1, gen: |r| gen_expm1(r), max_ulp: 2 },
        Case64 { name: "log", f: log_f64, truth: f64::ln, gen: |r| gen_log(r), max_ulp: 1 },
        Case64 { name: "log1p", f: log1p_f64, truth: f64::ln_1p, gen: |r| gen_log1p(r), max_ulp: 1 },
        Case64 { name: "sin", f: sin_f64, truth: f64::sin, gen: |r| gen_trig(r), max_ulp: 1 },
        Case64 { name: "cos", f: cos_f64, truth: f64::cos, gen: |r| gen_trig(r), max_ulp: 1 },
        Case64 { name: "tanh", f: tanh_f64, truth: f64::tanh, gen: |r| gen_tanh(r), max_ulp: 2 },
    ]
}

fn gen_exp(r: &mut Rng) -> f64 {
    match r.next() % 6 {
        0 => r.range(-746.0, 710.0),
        1 => r.range(-1.0, 1.0),
        2 => r.log_uniform(-60, 9, true),
        3 => r.range(-745.2, -700.0),
        4 => r.range(700.0, 709.9),
        _ => special_bits(r),
    }
}

fn gen_expm1(r: &mut Rng) -> f64 {
    match r.next() % 5 {
        0 => r.range(-50.0, 710.0),
        1 => r.range(-2.0, 2.0),
        2 => r.log_uniform(-70, 6, true),
        3 => r.range(700.0, 709.9),
        _ => special_bits(r),
    }
}

fn gen_log(r: &mut Rng) -> f64 {
    match r.next() % 5 {
        0 => r.log_uniform(-1074, 1023, false),
        1 => r.range(0.5, 2.0),
        2 => 1.0 + r.log_uniform(-60, -1, true),
        3 => f64::from_bits(r.next() >> 1), // any positive, subnormals included
        _ => special_bits(r),
    }
}

fn gen_log1p(r: &mut Rng) -> f64 {
    match r.next() % 5 {
        0 => r.log_uniform(-80, 1023, false),
        1 => r.range(-1.0, 1.0),
        2 => -1.0 + r.log_uniform(-60, -1, false),
        3 => r.log_uniform(-1074, -1, true),
        _ => special_bits(r),
    }
}

fn gen_trig(r: &mut Rng) -> f64 {
    match r.next() % 7 {
        0 => r.range(-10.0, 10.0),
        1 => r.range(-1.1e6, 1.1e6),
        2 => r.log_uniform(-40, 22, true),
        // Near multiples of pi/2 (the hard cases of the reduction).
        3 => {
            let k = (r.next() % 700_000) as f64;
            let x = k * std::f64::consts::FRAC_PI_2;
            f64::from_bits(x.to_bits().wrapping_add(r.next() % 5).wrapping_sub(2))
        }
        4 => r.log_uniform(-1074, -1000, true),
        5 => r.log_uniform(20, 1023, true),
        _ => special_bits(r),
    }
}

fn gen_tanh(r: &mut Rng) -> f64 {
    match r.next() % 5 {
        0 => r.range(-25.0, 25.0),
        1 => r.range(-1.0, 1.0),
        2 => r.log_uniform(-40, 5, true),
        3 => r.log_uniform(-1074, -20, true),
        _ => special_bits(r),
    }
}

const N: usize = 400_000;

/// Max ulp error per function against libm, and a histogram of the errors.
#[test]
fn float64_accuracy() {
    let mut report = String::new();
    for c in cases64() {
        let mut rng = Rng(0x1234_5678_9abc_def1 ^ c.name.len() as u64);
        let x: Vec<f64> = (0..N).map(|_| (c.gen)(&mut rng)).collect();
        let mut out = vec![0.0; N];
        (c.f)(&x, &mut out);
        let mut worst = (0u64, 0.0f64);
        let mut hist = [0usize; 3];
        for (&x, &y) in x.iter().zip(&out) {
            let want = (c.truth)(x);
            let u = ulps64(y, want);
            assert!(u <= c.max_ulp, "{}({x:e} = {:#x}): {y:e}, libm {want:e}, {u} ulp", c.name, x.to_bits());
            hist[(u as usize).min(2)] += 1;
            if u > worst.0 {
                worst = (u, x);
            }
        }
        report += &format!(
            "{} f64: max {} ulp (at {:e}), exact {} / 1 ulp {} / 2 ulp {}\n",
            c.name, worst.0, worst.1, hist[0], hist[1], hist[2]
        );
    }
    println!("{report}");
}

struct Case32 {
    name: &'static str,
    f: F32Fn,
    truth: fn(f64) -> f64,
    gen: fn(&mut Rng) -> f64,
}

#[test]
fn float32_accuracy() {
    let cases = [
        Case32 {
            name: "exp",
            f: exp_f32,
            truth: f64::exp,
            gen: |r| if r.next() % 4 == 0 { special_bits(r) } else { r.range(-110.0, 95.0) },
        },
        Case32 { name: "expm1", f: expm1_f32, truth: f64::exp_m1, gen: gen_expm1 },
        Case32 { name: "log", f: log_f32, truth: f64::ln, gen: gen_log },
        Case32 { name: "log1p", f: log1p_f32, truth: f64::ln_1p, gen: gen_log1p },
        Case32 { name: "sin", f: sin_f32, truth: f64::sin, gen: gen_trig },
        Case32 { name: "cos", f: cos_f32, truth: f64::cos, gen: gen_trig },
        Case32 { name: "tanh", f: tanh_f32, truth: f64::tanh, gen: gen_tanh },
    ];
    let mut report = String::new();
    for c in cases {
        let mut rng = Rng(0xfeed_beef_0000_0001 ^ c.name.len() as u64);
        let mut x: Vec<f32> = (0..N).map(|_| (c.gen)(&mut rng) as f32).collect();
        // Every float32 of a few binades near 1, too.
        x.extend((0..200_000u32).map(|i| f32::from_bits(0x3f00_0000 + i * 41)));
        let mut out = vec![0.0f32; x.len()];
        (c.f)(&x, &mut out);
        let (mut worst, mut off) = ((0u64, 0.0f32), 0usize);
        for (&x, &y) in x.iter().zip(&out) {
            let want = (c.truth)(x as f64) as f32;
            let u = ulps32(y, want);
            assert!(u <= 1, "{}({x:e} = {:#x}): {y:e}, libm {want:e}, {u} ulp", c.name, x.to_bits());
            off += (u > 0) as usize;
            if u > worst.0 {
                worst = (u, x);
            }
        }
        report +=
            &format!("{} f32: max {} ulp (at {:e}), {off} of {} not correctly rounded\n", c.name, worst.0, worst.1, x.len());
    }
    println!("{report}");
}

fn same64(a: f64, b: f64) -> bool {
    (a.is_nan() && b.is_nan()) || a.to_bits() == b.to_bits()
}

#[test]
fn special_values_follow_numpy() {
    let (inf, nan) = (f64::INFINITY, f64::NAN);
    let min_sub = f64::from_bits(1);
    #[rustfmt::skip]
    let cases: &[(F64Fn, &str, f64, f64)] = &[
        (exp_f64, "exp", -inf, 0.0), (exp_f64, "exp", inf, inf), (exp_f64, "exp", nan, nan),
        (exp_f64, "exp", 0.0, 1.0), (exp_f64, "exp", -0.0, 1.0), (exp_f64, "exp", 710.0, inf),
        (exp_f64, "exp", -746.0, 0.0), (exp_f64, "exp", 709.782712893384, 1.7976931348622732e308),
        (exp_f64, "exp", -745.1332191019411, min_sub),
        (log_f64, "log", 0.0, -inf), (log_f64, "log", -0.0, -inf), (log_f64, "log", -1.0, nan),
        (log_f64, "log", -inf, nan), (log_f64, "log", inf, inf), (log_f64, "log", nan, nan),
        (log_f64, "log", 1.0, 0.0), (log_f64, "log", min_sub, -744.4400719213812),
        (sin_f64, "sin", inf, nan), (sin_f64, "sin", -inf, nan), (sin_f64, "sin", nan, nan),
        (sin_f64, "sin", 0.0, 0.0), (sin_f64, "sin", -0.0, -0.0), (sin_f64, "sin", -min_sub, -min_sub),
        (cos_f64, "cos", inf, nan), (cos_f64, "cos", -inf, nan), (cos_f64, "cos", nan, nan),
        (cos_f64, "cos", 0.0, 1.0), (cos_f64, "cos", -0.0, 1.0),
        (tanh_f64, "tanh", inf, 1.0), (tanh_f64, "tanh", -inf, -1.0), (tanh_f64, "tanh", nan, nan),
        (tanh_f64, "tanh", 0.0, 0.0), (tanh_f64, "tanh", -0.0, -0.0), (tanh_f64, "tanh", -min_sub, -min_sub),
        (tanh_f64, "tanh", 30.0, 1.0), (tanh_f64, "tanh", -30.0, -1.0),
        (expm1_f64, "expm1", -inf, -1.0), (expm1_f64, "expm1", inf, inf), (expm1_f64, "expm1", -0.0, -0.0),
        (expm1_f64, "expm1", 710.0, inf), (expm1_f64, "expm1", nan, nan), (expm1_f64, "expm1", -min_sub, -min_sub),
        (log1p_f64, "log1p", -1.0, -inf), (log1p_f64, "log1p", -2.0, nan), (log1p_f64, "log1p", inf, inf),
        (log1p_f64, "log1p", -0.0, -0.0), (log1p_f64, "log1p", nan, nan), (log1p_f64, "log1p", -inf, nan),
    ];
    for &(f, name, x, want) in cases {
        let mut out = [0.0];
        f(&[x], &mut out);
        assert!(same64(out[0], want), "{name}({x:e}) = {:e}, want {want:e}", out[0]);
        // float32 likewise.
        if let Some(f32fn) = [
            ("exp", exp_f32 as F32Fn),
            ("log", log_f32),
            ("sin", sin_f32),
            ("cos", cos_f32),
            ("tanh", tanh_f32),
            ("expm1", expm1_f32),
            ("log1p", log1p_f32),
        ]
        .iter()
        .find(|(n, _)| *n == name)
        .map(|&(_, f)| f)
        {
            let x32 = x as f32;
            if x32 as f64 == x || x.is_nan() {
                let mut o = [0.0f32];
                f32fn(&[x32], &mut o);
                let w = want as f32;
                assert!(
                    (o[0].is_nan() && w.is_nan()) || o[0].to_bits() == w.to_bits(),
                    "{name}_f32({x32:e}) = {:e}, want {w:e}",
                    o[0]
                );
            }
        }
    }
    let mut o = [0.0f32; 4];
    exp_f32(&[89.0, -104.0, 88.0, -103.0], &mut o);
    assert_eq!(o[..2], [f32::INFINITY, 0.0]);
    assert!(o[2].is_finite() && o[3] > 0.0);
}

/// The three instruction-set variants and every split of a slice give the same bits.
#[test]
fn variants_and_splits_are_bit_identical() {
    let mut rng = Rng(42);
    let x: Vec<f64> = (0..20_000)
        .map(|i| match i % 4 {
            0 => gen_trig(&mut rng),
            1 => gen_exp(&mut rng),
            2 => gen_log(&mut rng),
            _ => gen_tanh(&mut rng),
        })
        .collect();
    let x32: Vec<f32> = x.iter().map(|&v| v as f32).collect();
    let f64s: [(&str, At64); 7] = [
        ("exp", exp_f64_at),
        ("expm1", expm1_f64_at),
        ("log", log_f64_at),
        ("log1p", log1p_f64_at),
        ("sin", sin_f64_at),
        ("cos", cos_f64_at),
        ("tanh", tanh_f64_at),
    ];
    let f32s: [(&str, At32); 7] = [
        ("exp", exp_f32_at),
        ("expm1", expm1_f32_at),
        ("log", log_f32_at),
        ("log1p", log1p_f32_at),
        ("sin", sin_f32_at),
        ("cos", cos_f32_at),
        ("tanh", tanh_f32_at),
    ];
    let levels: Vec<Level> = [Level::Base, Level::Avx2, Level::Avx512].into_iter().filter(|l| l.available()).collect();
    println!("levels: {levels:?}");
    for (name, f) in f64s {
        let mut want = vec![0.0; x.len()];
        f(Level::Base, &x, &mut want);
        for &l in &levels {
            let mut got = vec![0.0; x.len()];
            f(l, &x, &mut got);
            for i in 0..x.len() {
                assert!(same64(got[i], want[i]), "{name} {l:?} x={:e}: {:e} vs {:e}", x[i], got[i], want[i]);
            }
            // Odd splits, and one element at a time.
            let mut got = vec![0.0; x.len()];
            let mut at = 0;
            while at < x.len() {
                let len = (1 + (at * 7) % 37).min(x.len() - at);
                f(l, &x[at..at + len], &mut got[at..at + len]);
                at += len;
            }
            assert!(got.iter().zip(&want).all(|(&a, &b)| same64(a, b)), "{name} {l:?} split");
        }
    }
    for (name, f) in f32s {
        let mut want = vec![0.0f32; x.len()];
        f(Level::Base, &x32, &mut want);
        for &l in &levels {
            let mut got = vec![0.0f32; x.len()];
            f(l, &x32, &mut got);
            for i in 0..x.len() {
                let ok = (got[i].is_nan() && want[i].is_nan()) || got[i].to_bits() == want[i].to_bits();
                assert!(ok, "{name} f32 {l:?} x={:e}: {:e} vs {:e}", x32[i], got[i], want[i]);
            }
        }
    }
    // Mismatched lengths do the common prefix.
    let mut out = [7.0; 3];
    exp_f64(&[0.0, 0.0], &mut out);
    assert_eq!(out, [1.0, 1.0, 7.0]);
}

/// ns per element of each function over 4096 cache-resident elements, per variant; libm for
/// reference.
#[test]
#[ignore]
fn bench_vmath() {
    let n = 4096;
    let reps = 500;
    let mut rng = Rng(7);
    let x: Vec<f64> = (0..n).map(|_| rng.range(-5.0, 5.0)).collect();
    let xp: Vec<f64> = x.iter().map(|v| v.abs() + 0.01).collect();
    let x32: Vec<f32> = x.iter().map(|&v| v as f32).collect();
    let xp32: Vec<f32> = xp.iter().map(|&v| v as f32).collect();
    let time = |f: &mut dyn FnMut()| {
        f();
        let mut best = f64::MAX;
        for _ in 0..5 {
            let t = Instant::now();
            for _ in 0..reps {
                f();
            }
            best = best.min(t.elapsed().as_secs_f64());
        }
        best * 1e9 / (n * reps) as f64
    };
    let levels: Vec<Level> = [Level::Base, Level::Avx2, Level::Avx512].into_iter().filter(|l| l.available()).collect();
    type Bench = (&'static str, At64, At32, fn(f64) -> f64, bool);
    let fs: [Bench; 5] = [
        ("exp", exp_f64_at, exp_f32_at, f64::exp, false),
        ("log", log_f64_at, log_f32_at, f64::ln, true),
        ("sin", sin_f64_at, sin_f32_at, f64::sin, false),
        ("cos", cos_f64_at, cos_f32_at, f64::cos, false),
        ("tanh", tanh_f64_at, tanh_f32_at, f64::tanh, false),
    ];
    for (name, f64f, f32f, libm, pos) in fs {
        let (a, a32) = if pos { (&xp, &xp32) } else { (&x, &x32) };
        let mut out = vec![0.0; n];
        let mut out32 = vec![0.0f32; n];
        let mut line = format!("{name:5}");
        for &l in &levels {
            let t64 = time(&mut || f64f(l, a, &mut out));
            let t32 = time(&mut || f32f(l, a32, &mut out32));
            line += &format!(" | {l:?}: f64 {t64:.3} f32 {t32:.3}");
        }
        let tl = time(&mut || {
            for (o, &v) in out.iter_mut().zip(a.iter()) {
                *o = libm(v);
            }
        });
        println!("{line} | libm f64 {tl:.3} ns/elem");
    }
}
