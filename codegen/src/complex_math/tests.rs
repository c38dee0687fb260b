use super::*;

/// Distance in units in the last place between two finite values of one precision.
fn ulps(a: f64, b: f64, single: bool) -> u64 {
    fn ord64(x: f64) -> i128 {
        let i = x.to_bits() as i64;
        (if i < 0 { i64::MIN - i } else { i }) as i128
    }
    fn ord32(x: f32) -> i128 {
        let i = x.to_bits() as i32;
        (if i < 0 { i32::MIN - i } else { i }) as i128
    }
    let d = if single { ord32(a as f32) - ord32(b as f32) } else { ord64(a) - ord64(b) };
    d.unsigned_abs() as u64
}

/// Compares one part as the Python tests do: NaN-ness, infinities with their sign, zeros with
/// their sign (the sign of a NaN is not compared), finite values within `bound` ulps.
fn part_mismatch(got: f64, want: f64, single: bool) -> Option<u64> {
    if got.is_nan() || want.is_nan() {
        return if got.is_nan() == want.is_nan() { None } else { Some(u64::MAX) };
    }
    if got.is_infinite() || want.is_infinite() || got == 0.0 || want == 0.0 {
        return if got.to_bits() == want.to_bits() { None } else { Some(u64::MAX) };
    }
    if got.is_sign_negative() != want.is_sign_negative() {
        return Some(u64::MAX);
    }
    Some(ulps(got, want, single)).filter(|&d| d > 0)
}

/// Development aid: compares against a file of NumPy results (lines `name c64|c128 re im
/// want_re want_im`, the f64 bits in hex) given by STARP_CMATH_REF, and prints per function the
/// largest ulp difference and every special-value mismatch.
#[test]
#[ignore]
fn numpy_reference_file() {
    let Ok(path) = std::env::var("STARP_CMATH_REF") else { return };
    let text = std::fs::read_to_string(path).expect("reference file");
    let op_of = |name: &str| -> UnaryOp {
        use UnaryOp::*;
        match name {
            "sqrt" => Sqrt,
            "exp" => Exp,
            "log" => Log,
            "sin" => Sin,
            "cos" => Cos,
            "tan" => Tan,
            "sinh" => Sinh,
            "cosh" => Cosh,
            "tanh" => Tanh,
            "arcsin" => Arcsin,
            "arccos" => Arccos,
            "arctan" => Arctan,
            "arcsinh" => Arcsinh,
            "arccosh" => Arccosh,
            "arctanh" => Arctanh,
            "expm1" => Expm1,
            "log1p" => Log1p,
            "exp2" => Exp2,
            "log2" => Log2,
            "log10" => Log10,
            _ => panic!("{name}"),
        }
    };
    let mut worst: std::collections::BTreeMap<(String, String), (u64, String)> = Default::default();
    let mut bad = 0;
    for line in text.lines() {
        let w: Vec<&str> = line.split(' ').collect();
        let h = |s: &str| f64::from_bits(u64::from_str_radix(s, 16).unwrap());
        let (re, im, wr, wi) = (h(w[2]), h(w[3]), h(w[4]), h(w[5]));
        let single = w[1] == "c64";
        let f = function(op_of(w[0]), single).unwrap();
        let (gr, gi) = f(re, im);
        let e = worst.entry((w[0].to_string(), w[1].to_string())).or_insert((0, String::new()));
        for (g, want, part) in [(gr, wr, "re"), (gi, wi, "im")] {
            match part_mismatch(g, want, single) {
                None => {}
                Some(u64::MAX) => {
                    bad += 1;
                    if bad < 200 {
                        println!("SPECIAL {} {} ({re:e}, {im:e}) {part}: got {g:e} want {want:e}", w[0], w[1]);
                    }
                }
                Some(d) => {
                    if d > e.0 {
                        *e = (d, format!("({re:e}, {im:e}) {part}: got {g:e} want {want:e}"));
                    }
                }
            }
        }
    }
    for ((name, t), (d, at)) in &worst {
        println!("{name:8} {t:5} max {d} ulp {at}");
    }
    println!("special mismatches: {bad}");
}

fn close(a: Cx<f64>, b: Cx<f64>, rel: f64) -> bool {
    let err = (a.re - b.re).hypot(a.im - b.im);
    err <= rel * b.re.hypot(b.im).max(f64::MIN_POSITIVE)
}

fn bits(a: Cx<f64>) -> (u64, u64) {
    (a.re.to_bits(), a.im.to_bits())
}

#[test]
fn branch_cuts_follow_the_sign_of_zero() {
    let (pi, l) = (std::f64::consts::PI, 1.3169578969248166);
    assert_eq!(bits(sqrt(cx(-4.0, 0.0))), bits(cx(0.0, 2.0)));
    assert_eq!(bits(sqrt(cx(-4.0, -0.0))), bits(cx(0.0, -2.0)));
    assert_eq!(bits(log(cx(-1.0, 0.0))), bits(cx(0.0, pi)));
    assert_eq!(bits(log(cx(-1.0, -0.0))), bits(cx(0.0, -pi)));
    assert_eq!(asin(cx(2.0, 0.0)), cx(std::f64::consts::FRAC_PI_2, l));
    assert_eq!(asin(cx(2.0, -0.0)), cx(std::f64::consts::FRAC_PI_2, -l));
    assert_eq!(acosh(cx(-2.0, 0.0)), cx(l, pi));
    assert_eq!(acosh(cx(-2.0, -0.0)), cx(l, -pi));
    assert_eq!(atanh(cx(2.0, 0.0)), cx(0.5493061443340549, std::f64::consts::FRAC_PI_2));
    assert_eq!(atanh(cx(2.0, -0.0)), cx(0.5493061443340549, -std::f64::consts::FRAC_PI_2));
    assert_eq!(bits(acos(cx(2.0, 0.0))), bits(cx(0.0, -l)));
}

#[test]
fn annex_g_special_values() {
    let (inf, nan) = (f64::INFINITY, f64::NAN);
    let is = |z: Cx<f64>, re: f64, im: f64| {
        let p = |a: f64, b: f64| (a.is_nan() && b.is_nan()) || a.to_bits() == b.to_bits();
        p(z.re, re) && p(z.im, im)
    };
    assert!(is(sqrt(cx(nan, inf)), inf, inf));
    assert!(is(sqrt(cx(-inf, 1.0)), 0.0, inf));
    assert!(is(sqrt(cx(inf, -1.0)), inf, -0.0));
    assert!(is(exp(cx(-inf, 2.0)), -0.0, 0.0));
    assert!(is(exp(cx(inf, 0.0)), inf, 0.0));
    assert!(is(exp(cx(nan, -0.0)), nan, -0.0));
    assert!(is(log(cx(-0.0, -0.0)), -inf, -std::f64::consts::PI));
    assert!(is(log(cx(nan, inf)), inf, nan));
    assert!(is(tanh(cx(inf, nan)), 1.0, 0.0));
    assert!(is(tanh(cx(-inf, 2.0)), -1.0, -0.0));
    assert!(is(sinh(cx(-0.0, inf)), -0.0, nan));
    assert!(is(cosh(cx(0.0, nan)), nan, 0.0));
    assert!(is(asinh(cx(inf, inf)), inf, std::f64::consts::FRAC_PI_4));
    assert!(is(acosh(cx(-inf, inf)), inf, 3.0 * std::f64::consts::FRAC_PI_4));
    assert!(is(atanh(cx(1.0, 0.0)), inf, 0.0));
    assert!(is(atan(cx(0.0, 1.0)), 0.0, inf));
    // Finite results next to overflow stay finite: the huge factor is scaled into the small one.
    assert!(is(exp(cx(1000.0, 1e-300)), inf, 1.970071114017047e134));
    assert!(is(sinh(cx(800.0, 1e-300)), inf, 1.3631872860562834e47));
}

#[test]
fn float32_has_float32_thresholds() {
    // cosh(90) overflows float32 (not float64); e^100 sin(1e-45) is finite although e^100 is not.
    assert!(cosh(cx(90f32, 0.0)).re.is_infinite() && cosh(cx(90f64, 0.0)).re.is_finite());
    let z = exp(cx(100f32, f32::from_bits(1)));
    assert!(z.re.is_infinite() && z.im == 0.037668545);
    // tanh keeps the tiny imaginary part 4 sin cos e^-2x (float32's underflow is at e^-2x ~ 1e-45).
    assert_eq!(tanh(cx(50f32, 1.0)), cx(1.0, 6.7e-44));
    assert_eq!(tanh(cx(100f32, 1.0)), cx(1.0, 0.0));
    // NumPy's log1p rounds 1 + x first: for float32, 1 + 1e-10 is 1.
    assert_eq!(log1p(cx(1e-10f32, 1e-10)), cx(0.0, 1e-10));
    // In float64 the rounding of 1 + 1e-10 shows in the 8th digit (NumPy's value; log1p(x) of the
    // real line would give 1e-10 to the last digit).
    assert!(close(log1p(cx(1e-10f64, 1e-10)), cx(1.000000082690371e-10, 9.999999999e-11), 1e-15));
}

#[test]
fn identities_hold_to_rounding() {
    let mut s = 0x1234_5678_9abc_def0u64;
    let mut next = || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        (s >> 11) as f64 / (1u64 << 53) as f64 * 6.0 - 3.0
    };
    let add = |a: Cx<f64>, b: Cx<f64>| cx(a.re + b.re, a.im + b.im);
    let mul = |a: Cx<f64>, b: Cx<f64>| cx(a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re);
    let div = |a: Cx<f64>, b: Cx<f64>| {
        let d = b.re * b.re + b.im * b.im;
        cx((a.re * b.re + a.im * b.im) / d, (a.im * b.re - a.re * b.im) / d)
    };
    for _ in 0..2000 {
        let z = cx(next(), next());
        let one = cx(1.0, 0.0);
        assert!(close(mul(sqrt(z), sqrt(z)), z, 1e-15), "sqrt {z:?}");
        assert!(close(exp(log(z)), z, 1e-14), "exp log {z:?}");
        assert!(close(add(mul(sin(z), sin(z)), mul(cos(z), cos(z))), one, 1e-13), "sin^2 + cos^2 {z:?}");
        assert!(close(tanh(z), div(sinh(z), cosh(z)), 1e-14), "tanh {z:?}");
        assert!(close(tan(z), div(sin(z), cos(z)), 1e-13), "tan {z:?}");
        assert!(close(sinh(asinh(z)), z, 1e-13), "sinh asinh {z:?}");
        assert!(close(cosh(acosh(z)), z, 1e-13), "cosh acosh {z:?}");
        assert!(close(tanh(atanh(z)), z, 1e-13), "tanh atanh {z:?}");
        assert!(close(sin(asin(z)), z, 1e-13), "sin asin {z:?}");
        assert!(close(add(acos(z), asin(z)), cx(std::f64::consts::FRAC_PI_2, 0.0), 1e-15), "acos + asin {z:?}");
        assert!(close(tan(atan(z)), z, 1e-13), "tan atan {z:?}");
        assert!(close(add(expm1(z), one), exp(z), 1e-14), "expm1 {z:?}");
        assert!(close(log1p(z), log(add(z, one)), 1e-13), "log1p {z:?}");
        assert!(close(exp2(z), exp(mul(z, cx(std::f64::consts::LN_2, 0.0))), 1e-15), "exp2 {z:?}");
        assert!(close(mul(log2(z), cx(std::f64::consts::LN_2, 0.0)), log(z), 1e-15), "log2 {z:?}");
        assert!(close(mul(log10(z), cx(std::f64::consts::LN_10, 0.0)), log(z), 1e-15), "log10 {z:?}");
    }
    // Where the textbook formulas cancel: expm1 of a tiny z, log near |z| = 1, asinh near i.
    assert!(close(expm1(cx(1e-10, 1e-10)), cx(1e-10, 1.0000000001000001e-10), 1e-15));
    assert!(close(log(cx(1.0 + 1e-9, 1e-9)), cx(1.000000082740371e-09, 9.99999999e-10), 1e-15));
    // asinh(i(1 + d)) = acosh(1 + d) + i pi/2 = sqrt(2d) (1 - d/12 + ...) + i pi/2.
    let d = 2f64.powi(-40);
    let w = asinh(cx(0.0, 1.0 + d));
    let want = (2.0 * d).sqrt() * (1.0 - d / 12.0);
    assert!((w.re - want).abs() <= 2e-16 * want && w.im == std::f64::consts::FRAC_PI_2, "{w:?}");
}
