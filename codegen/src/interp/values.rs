//! Per-element semantics of the kernel IR's operations (NumPy 2's ufunc loops), applied to typed
//! columns.
//!
//! Every dtype of a kind shares one column representation: integers live in `i64`/`u64` and are
//! wrapped to the instruction's width after each operation, float32 lives in `f64` and is rounded
//! to `f32` after each operation (correctly rounded for + - * / sqrt; exp, log, sin, cos and tanh
//! are `vmath`'s float32 functions, within an ulp of the correctly rounded result), complex64
//! likewise per part (its transcendental functions, `complex_math`, compute in float32 as NumPy's
//! complex64 loops do).

use ir::dtype::{DType, Kind};
use ir::op::{BinaryOp, UnaryOp};
use ir::scalar::{float_to_i64, float_to_u64, wrap_signed, wrap_unsigned, Scalar};

use crate::complex_math;
use crate::vmath::Func;

use super::ufunc_math::{
    cfmax, cfmin, fmax_f, fmin_f, frexp, gcd_i, gcd_u, heaviside, lcm_i, lcm_u, ldexp_f64, nextafter_f32, nextafter_f64,
    popcount_i, spacing_f32, spacing_f64,
};

use super::math::{
    cdiv, cle, clt, cmax, cmin, cpow, csign, floor_div_i, floor_divide_f32, floor_divide_f64, fmax, fmin, fmod_i,
    logaddexp, logaddexp2, mod_i, pow_i, pow_u, remainder_f32, remainder_f64, shl_i, shl_u, shr_i, shr_u, sign_f,
};

/// A complex element: two f64 parts (a complex64's are float32 values).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct C {
    pub re: f64,
    pub im: f64,
}

impl C {
    #[inline]
    pub(crate) const fn new(re: f64, im: f64) -> C {
        C { re, im }
    }

    #[inline]
    pub(crate) fn conj(self) -> C {
        C::new(self.re, -self.im)
    }

    /// |z| by hypot (NumPy's npy_cabs): no overflow or underflow of the squares.
    #[inline]
    pub(crate) fn norm(self) -> f64 {
        self.re.hypot(self.im)
    }
}

impl std::ops::Add for C {
    type Output = C;
    #[inline]
    fn add(self, o: C) -> C {
        C::new(self.re + o.re, self.im + o.im)
    }
}

impl std::ops::Sub for C {
    type Output = C;
    #[inline]
    fn sub(self, o: C) -> C {
        C::new(self.re - o.re, self.im - o.im)
    }
}

/// The textbook product (the JIT emits the same operations).
impl std::ops::Mul for C {
    type Output = C;
    #[inline]
    fn mul(self, o: C) -> C {
        C::new(self.re * o.re - self.im * o.im, self.re * o.im + self.im * o.re)
    }
}

impl std::ops::MulAssign for C {
    #[inline]
    fn mul_assign(&mut self, o: C) {
        *self = *self * o;
    }
}

impl std::ops::Neg for C {
    type Output = C;
    #[inline]
    fn neg(self) -> C {
        C::new(-self.re, -self.im)
    }
}

/// Elements evaluated per instruction at a time: long enough to amortize the dispatch, short
/// enough that a strip's live columns stay in L1.
pub(crate) const STRIP: usize = 256;

#[derive(Debug)]
pub(crate) enum Col {
    B(Vec<bool>),
    I(Vec<i64>),
    U(Vec<u64>),
    F(Vec<f64>),
    C(Vec<C>),
}

impl Default for Col {
    fn default() -> Self {
        Col::B(Vec::new())
    }
}

impl Col {
    pub(crate) fn new(kind: Kind, cap: usize) -> Col {
        match kind {
            Kind::Bool => Col::B(Vec::with_capacity(cap)),
            Kind::Int => Col::I(Vec::with_capacity(cap)),
            Kind::UInt => Col::U(Vec::with_capacity(cap)),
            Kind::Float => Col::F(Vec::with_capacity(cap)),
            Kind::Complex => Col::C(Vec::with_capacity(cap)),
        }
    }

    pub(crate) fn zeroed(kind: Kind, len: usize) -> Col {
        match kind {
            Kind::Bool => Col::B(vec![false; len]),
            Kind::Int => Col::I(vec![0; len]),
            Kind::UInt => Col::U(vec![0; len]),
            Kind::Float => Col::F(vec![0.0; len]),
            Kind::Complex => Col::C(vec![C::new(0.0, 0.0); len]),
        }
    }

    fn tag(&self) -> &'static str {
        match self {
            Col::B(_) => "bool",
            Col::I(_) => "signed",
            Col::U(_) => "unsigned",
            Col::F(_) => "float",
            Col::C(_) => "complex",
        }
    }
}

#[cold]
#[track_caller]
pub(crate) fn malformed(what: std::fmt::Arguments) -> ! {
    panic!("malformed kernel: {what}")
}

#[cold]
#[track_caller]
fn unsupported(op: impl std::fmt::Debug, d: DType) -> ! {
    malformed(format_args!("{op:?} has no {d} loop"))
}

/// A column element type.
pub(crate) trait Elem: Copy + 'static {
    fn slice(c: &Col) -> &[Self];
    fn slice_mut(c: &mut Col) -> &mut [Self];
    /// The column as this type, emptied of other types' storage if it held another type.
    fn vec(c: &mut Col) -> &mut Vec<Self>;
    /// From a scalar already normalized to a dtype of this element's kind.
    fn of_scalar(s: Scalar) -> Self;
    fn to_scalar(self) -> Scalar;
}

macro_rules! elem {
    ($t:ty, $v:ident, $name:literal, |$s:ident| $of:expr, |$x:ident| $to:expr) => {
        impl Elem for $t {
            fn slice(c: &Col) -> &[Self] {
                match c {
                    Col::$v(v) => v,
                    other => malformed(format_args!("expected a {} value, found a {} one", $name, other.tag())),
                }
            }
            fn slice_mut(c: &mut Col) -> &mut [Self] {
                match c {
                    Col::$v(v) => v,
                    other => malformed(format_args!("expected a {} value, found a {} one", $name, other.tag())),
                }
            }
            fn vec(c: &mut Col) -> &mut Vec<Self> {
                if !matches!(c, Col::$v(_)) {
                    *c = Col::$v(Vec::with_capacity(STRIP));
                }
                match c {
                    Col::$v(v) => v,
                    _ => unreachable!("just replaced"),
                }
            }
            fn of_scalar($s: Scalar) -> Self {
                $of
            }
            fn to_scalar(self) -> Scalar {
                let $x = self;
                $to
            }
        }
    };
}

elem!(bool, B, "bool", |s| s.as_bool(), |x| Scalar::Bool(x));
elem!(i64, I, "signed", |s| s.as_i64(), |x| Scalar::Int(x));
elem!(u64, U, "unsigned", |s| s.as_u64(), |x| Scalar::UInt(x));
elem!(f64, F, "float", |s| s.as_f64(), |x| Scalar::Float(x));
elem!(
    C,
    C,
    "complex",
    |s| match s {
        Scalar::Complex(re, im) => C::new(re, im),
        s => C::new(s.as_f64(), 0.0),
    },
    |x| Scalar::Complex(x.re, x.im)
);

#[inline]
pub(crate) fn map1<T: Elem, U: Elem>(a: &Col, out: &mut Col, f: impl Fn(T) -> U) {
    let a = T::slice(a);
    let o = U::vec(out);
    o.clear();
    o.extend(a.iter().map(|&x| f(x)));
}

#[inline]
pub(crate) fn map2<T: Elem, U: Elem>(a: &Col, b: &Col, out: &mut Col, f: impl Fn(T, T) -> U) {
    let (a, b) = (T::slice(a), T::slice(b));
    let o = U::vec(out);
    o.clear();
    o.extend(a.iter().zip(b).map(|(&x, &y)| f(x, y)));
}

pub(crate) fn fill<T: Elem>(s: Scalar, n: usize, out: &mut Col) {
    let o = T::vec(out);
    o.clear();
    o.resize(n, T::of_scalar(s));
}

/// Receives the element function of an operation whose operands and result share a type, so one
/// definition serves the elementwise loop, the in-leaf fold and the runtime's pairwise combine.
pub(crate) trait ArithVisit {
    type Out;
    fn visit<T: Elem>(self, f: impl Fn(T, T) -> T) -> Self::Out;
}

/// Receives a predicate on two elements (comparisons, argmin/argmax's "b beats a").
pub(crate) trait PredVisit {
    type Out;
    fn visit<T: Elem>(self, f: impl Fn(T, T) -> bool) -> Self::Out;
}

pub(crate) struct Map2<'a> {
    pub a: &'a Col,
    pub b: &'a Col,
    pub out: &'a mut Col,
}

impl ArithVisit for Map2<'_> {
    type Out = ();
    fn visit<T: Elem>(self, f: impl Fn(T, T) -> T) {
        map2(self.a, self.b, self.out, f)
    }
}

impl PredVisit for Map2<'_> {
    type Out = ();
    fn visit<T: Elem>(self, f: impl Fn(T, T) -> bool) {
        map2(self.a, self.b, self.out, f)
    }
}

#[inline]
pub(crate) fn round_f(x: f64, d: DType) -> f64 {
    if d == DType::F32 {
        x as f32 as f64
    } else {
        x
    }
}

#[inline]
pub(crate) fn round_c(x: C, d: DType) -> C {
    if d == DType::C64 {
        C::new(x.re as f32 as f64, x.im as f32 as f64)
    } else {
        x
    }
}

pub(crate) fn is_comparison(op: BinaryOp) -> bool {
    use BinaryOp::*;
    matches!(op, Eq | Ne | Lt | Le | Gt | Ge)
}

/// `op` on two columns of the loop dtype `ld`.
pub(crate) fn binary(op: BinaryOp, ld: DType, a: &Col, b: &Col, out: &mut Col) {
    if op == BinaryOp::Ldexp {
        return ldexp(ld, a, b, out);
    }
    let v = Map2 { a, b, out };
    if is_comparison(op) {
        compare(op, ld, v)
    } else {
        arith(op, ld, v)
    }
}

/// `ldexp` of a float column of dtype `d` and an int64 exponent column.
fn ldexp(d: DType, a: &Col, b: &Col, out: &mut Col) {
    let (x, n) = (f64::slice(a), i64::slice(b));
    let o = f64::vec(out);
    o.clear();
    o.extend(x.iter().zip(n).map(|(&x, &n)| round_f(ldexp_f64(x, n), d)));
}

/// The element function of a non-comparison binary op at dtype `d` (operands and result),
/// including the wrap/round to `d`.
pub(crate) fn arith<V: ArithVisit>(op: BinaryOp, d: DType, v: V) -> V::Out {
    use BinaryOp::*;
    match d.kind() {
        // NumPy's bool loops: + is or, * is and; the others only arise from malformed loop
        // dtypes, and are given the value the integer loop would produce, cast back to bool.
        Kind::Bool => match op {
            Add | Max | BitOr | LogicalOr => v.visit(|a: bool, b: bool| a | b),
            Mul | Min | BitAnd | LogicalAnd | FloorDiv => v.visit(|a: bool, b: bool| a & b),
            Sub | BitXor | LogicalXor => v.visit(|a: bool, b: bool| a ^ b),
            Mod => v.visit(|_: bool, _: bool| false),
            Pow => v.visit(|a: bool, b: bool| a | !b),
            Fmax => v.visit(|a: bool, b: bool| a | b),
            Fmin => v.visit(|a: bool, b: bool| a & b),
            _ => unsupported(op, d),
        },
        Kind::Int => match op {
            Add => v.visit(move |a: i64, b: i64| wrap_signed(a.wrapping_add(b), d)),
            Sub => v.visit(move |a: i64, b: i64| wrap_signed(a.wrapping_sub(b), d)),
            Mul => v.visit(move |a: i64, b: i64| wrap_signed(a.wrapping_mul(b), d)),
            FloorDiv => v.visit(move |a: i64, b: i64| wrap_signed(floor_div_i(a, b), d)),
            Mod => v.visit(mod_i),
            Pow => v.visit(move |a: i64, b: i64| wrap_signed(pow_i(a, b), d)),
            Max => v.visit(|a: i64, b: i64| a.max(b)),
            Min => v.visit(|a: i64, b: i64| a.min(b)),
            BitAnd => v.visit(|a: i64, b: i64| a & b),
            BitOr => v.visit(|a: i64, b: i64| a | b),
            BitXor => v.visit(|a: i64, b: i64| a ^ b),
            Fmod => v.visit(fmod_i),
            Shl => v.visit(move |a: i64, b: i64| wrap_signed(shl_i(a, b, bits(d)), d)),
            Shr => v.visit(move |a: i64, b: i64| shr_i(a, b, bits(d))),
            Fmax => v.visit(|a: i64, b: i64| a.max(b)),
            Fmin => v.visit(|a: i64, b: i64| a.min(b)),
            Gcd => v.visit(move |a: i64, b: i64| wrap_signed(gcd_i(a, b), d)),
            Lcm => v.visit(move |a: i64, b: i64| wrap_signed(lcm_i(a, b), d)),
            _ => unsupported(op, d),
        },
        Kind::UInt => match op {
            Add => v.visit(move |a: u64, b: u64| wrap_unsigned(a.wrapping_add(b), d)),
            Sub => v.visit(move |a: u64, b: u64| wrap_unsigned(a.wrapping_sub(b), d)),
            Mul => v.visit(move |a: u64, b: u64| wrap_unsigned(a.wrapping_mul(b), d)),
            // NumPy 2 gives 0 (with a warning) for an integer division or remainder by zero.
            FloorDiv => v.visit(|a: u64, b: u64| a.checked_div(b).unwrap_or(0)),
            Mod => v.visit(|a: u64, b: u64| a.checked_rem(b).unwrap_or(0)),
            Pow => v.visit(move |a: u64, b: u64| wrap_unsigned(pow_u(a, b), d)),
            Max => v.visit(|a: u64, b: u64| a.max(b)),
            Min => v.visit(|a: u64, b: u64| a.min(b)),
            BitAnd => v.visit(|a: u64, b: u64| a & b),
            BitOr => v.visit(|a: u64, b: u64| a | b),
            BitXor => v.visit(|a: u64, b: u64| a ^ b),
            Fmod => v.visit(|a: u64, b: u64| a.checked_rem(b).unwrap_or(0)),
            Shl => v.visit(move |a: u64, b: u64| wrap_unsigned(shl_u(a, b, bits(d)), d)),
            Shr => v.visit(move |a: u64, b: u64| shr_u(a, b, bits(d))),
            Fmax => v.visit(|a: u64, b: u64| a.max(b)),
            Fmin => v.visit(|a: u64, b: u64| a.min(b)),
            Gcd => v.visit(gcd_u),
            Lcm => v.visit(move |a: u64, b: u64| wrap_unsigned(lcm_u(a, b), d)),
            _ => unsupported(op, d),
        },
        Kind::Float => match op {
            Add => v.visit(move |a: f64, b: f64| round_f(a + b, d)),
            Sub => v.visit(move |a: f64, b: f64| round_f(a - b, d)),
            Mul => v.visit(move |a: f64, b: f64| round_f(a * b, d)),
            Div => v.visit(move |a: f64, b: f64| round_f(a / b, d)),
            // divmod's fmod/floor steps are not correctly rounded in f64 for float32 inputs, so
            // float32 runs NumPy's float32 algorithm.
            FloorDiv if d == DType::F32 => v.visit(|a: f64, b: f64| floor_divide_f32(a as f32, b as f32) as f64),
            FloorDiv => v.visit(floor_divide_f64),
            Mod if d == DType::F32 => v.visit(|a: f64, b: f64| remainder_f32(a as f32, b as f32) as f64),
            Mod => v.visit(remainder_f64),
            Pow => v.visit(move |a: f64, b: f64| round_f(a.powf(b), d)),
            Max => v.visit(fmax),
            Min => v.visit(fmin),
            // Exact (C's fmod), so the float64 operation is also float32's.
            Fmod => v.visit(|a: f64, b: f64| a % b),
            Arctan2 => v.visit(move |a: f64, b: f64| round_f(a.atan2(b), d)),
            Hypot => v.visit(move |a: f64, b: f64| round_f(a.hypot(b), d)),
            Copysign => v.visit(|a: f64, b: f64| a.copysign(b)),
            Logaddexp => v.visit(move |a: f64, b: f64| round_f(logaddexp(a, b), d)),
            Logaddexp2 => v.visit(move |a: f64, b: f64| round_f(logaddexp2(a, b), d)),
            Nextafter if d == DType::F32 => v.visit(|a: f64, b: f64| nextafter_f32(a as f32, b as f32) as f64),
            Nextafter => v.visit(nextafter_f64),
            // Exact: the result is an operand or a constant.
            Fmax => v.visit(fmax_f),
            Fmin => v.visit(fmin_f),
            Heaviside => v.visit(heaviside),
            _ => unsupported(op, d),
        },
        Kind::Complex => match op {
            Add => v.visit(move |a: C, b: C| round_c(a + b, d)),
            Sub => v.visit(move |a: C, b: C| round_c(a - b, d)),
            Mul => v.visit(move |a: C, b: C| round_c(a * b, d)),
            Div => v.visit(move |a: C, b: C| round_c(cdiv(a, b), d)),
            Pow => v.visit(move |a: C, b: C| round_c(cpow(a, b), d)),
            Max => v.visit(cmax),
            Min => v.visit(cmin),
            Fmax => v.visit(cfmax),
            Fmin => v.visit(cfmin),
            _ => unsupported(op, d),
        },
    }
}

/// The bit width of integer dtype `d` (shift amounts from it on give NumPy's saturated results).
#[inline]
pub(crate) fn bits(d: DType) -> u32 {
    8 * d.itemsize() as u32
}

/// The predicate of a comparison at loop dtype `d`.
pub(crate) fn compare<V: PredVisit>(op: BinaryOp, d: DType, v: V) -> V::Out {
    match d.kind() {
        Kind::Bool => ordered::<bool, V>(op, d, v),
        Kind::Int => ordered::<i64, V>(op, d, v),
        Kind::UInt => ordered::<u64, V>(op, d, v),
        // IEEE comparisons are NumPy's: false with a NaN, except `!=`.
        Kind::Float => ordered::<f64, V>(op, d, v),
        Kind::Complex => {
            use BinaryOp::*;
            match op {
                Eq => v.visit(|a: C, b: C| a == b),
                Ne => v.visit(|a: C, b: C| a != b),
                Lt => v.visit(clt),
                Le => v.visit(cle),
                Gt => v.visit(|a: C, b: C| clt(b, a)),
                Ge => v.visit(|a: C, b: C| cle(b, a)),
                _ => unsupported(op, d),
            }
        }
    }
}

fn ordered<T: Elem + PartialOrd, V: PredVisit>(op: BinaryOp, d: DType, v: V) -> V::Out {
    use BinaryOp::*;
    match op {
        Eq => v.visit(|a: T, b: T| a == b),
        Ne => v.visit(|a: T, b: T| a != b),
        Lt => v.visit(|a: T, b: T| a < b),
        Le => v.visit(|a: T, b: T| a <= b),
        Gt => v.visit(|a: T, b: T| a > b),
        Ge => v.visit(|a: T, b: T| a >= b),
        _ => unsupported(op, d),
    }
}

/// `op` on a column; `od` is the result dtype. `scratch` holds integer operands converted to
/// float for the float functions (NumPy runs those in the float loop of the result dtype).
pub(crate) fn unary(op: UnaryOp, od: DType, a: &Col, out: &mut Col, scratch: &mut Col) {
    use UnaryOp::*;
    match (op, a) {
        // -x and |x| are nonzero exactly when x is, so bool keeps its value.
        (Neg | Abs, Col::B(_)) => map1(a, out, |x: bool| x),
        (Neg, Col::I(_)) => map1(a, out, move |x: i64| wrap_signed(x.wrapping_neg(), od)),
        (Neg, Col::U(_)) => map1(a, out, move |x: u64| wrap_unsigned(x.wrapping_neg(), od)),
        (Neg, Col::F(_)) => map1(a, out, |x: f64| -x),
        (Neg, Col::C(_)) => map1(a, out, |x: C| -x),
        // abs(INT_MIN) wraps back to INT_MIN, as NumPy.
        (Abs, Col::I(_)) => map1(a, out, move |x: i64| wrap_signed(x.wrapping_abs(), od)),
        (Abs, Col::U(_)) => map1(a, out, |x: u64| x),
        (Abs, Col::F(_)) => map1(a, out, |x: f64| x.abs()),
        // norm() is hypot, NumPy's npy_cabs: no overflow for large parts.
        (Abs, Col::C(_)) => map1(a, out, move |x: C| round_f(x.norm(), od)),
        (Floor | Ceil | Trunc, Col::B(_)) => map1(a, out, |x: bool| x),
        (Floor | Ceil | Trunc, Col::I(_)) => map1(a, out, |x: i64| x),
        (Floor | Ceil | Trunc, Col::U(_)) => map1(a, out, |x: u64| x),
        // Exact: the float32 results of float32 values are the float64 ones.
        (Floor, Col::F(_)) => map1(a, out, |x: f64| x.floor()),
        (Ceil, Col::F(_)) => map1(a, out, |x: f64| x.ceil()),
        (Trunc, Col::F(_)) => map1(a, out, |x: f64| x.trunc()),
        (Rint, Col::F(_)) => map1(a, out, |x: f64| x.round_ties_even()),
        (Rint, Col::C(_)) => map1(a, out, |x: C| C::new(x.re.round_ties_even(), x.im.round_ties_even())),
        (Sign, Col::I(_)) => map1(a, out, |x: i64| x.signum()),
        (Sign, Col::U(_)) => map1(a, out, |x: u64| x.min(1)),
        (Sign, Col::F(_)) => map1(a, out, sign_f),
        (Sign, Col::C(_)) => map1(a, out, move |x: C| csign(x, od == DType::C64)),
        (Conj, Col::C(_)) => map1(a, out, |x: C| x.conj()),
        (Imag, Col::C(_)) => map1(a, out, |x: C| x.im),
        (Sqrt, Col::F(_)) => float_fn(op, od, a, out),
        (_, Col::C(_)) if complex_math::function(op, false).is_some() => complex_fn(op, od, a, out),
        (_, Col::F(_)) if Func::of(op).is_some() => float_fn(op, od, a, out),
        (_, Col::B(_) | Col::I(_) | Col::U(_)) if op == Sqrt || op == Rint || Func::of(op).is_some() => {
            match a {
                Col::B(_) => map1(a, scratch, |x: bool| x as u8 as f64),
                Col::I(_) => map1(a, scratch, |x: i64| x as f64),
                Col::U(_) => map1(a, scratch, |x: u64| x as f64),
                _ => unreachable!("float and complex matched above"),
            }
            float_fn(op, od, scratch, out)
        }
        (Invert, Col::B(_)) => map1(a, out, |x: bool| !x),
        // Sign extension keeps !x in range of the narrow signed type.
        (Invert, Col::I(_)) => map1(a, out, |x: i64| !x),
        (Invert, Col::U(_)) => map1(a, out, move |x: u64| wrap_unsigned(!x, od)),
        (LogicalNot, Col::B(_)) => map1(a, out, |x: bool| !x),
        (LogicalNot, Col::I(_)) => map1(a, out, |x: i64| x == 0),
        (LogicalNot, Col::U(_)) => map1(a, out, |x: u64| x == 0),
        (LogicalNot, Col::F(_)) => map1(a, out, |x: f64| x == 0.0),
        (LogicalNot, Col::C(_)) => map1(a, out, |x: C| x.re == 0.0 && x.im == 0.0),
        (Spacing | FrexpMantissa | FrexpExponent, Col::F(_)) => float_bits_fn(op, od, a, out),
        (Spacing | FrexpMantissa | FrexpExponent, Col::B(_) | Col::I(_) | Col::U(_)) => {
            to_f64(a, scratch);
            float_bits_fn(op, od, scratch, out)
        }
        (BitwiseCount, Col::B(_)) => map1(a, out, |x: bool| x as u64),
        (BitwiseCount, Col::I(_)) => map1(a, out, popcount_i),
        (BitwiseCount, Col::U(_)) => map1(a, out, |x: u64| x.count_ones() as u64),
        (Invert, _) => unsupported(op, od),
        _ => unsupported(op, od),
    }
}

/// An integer or bool column as f64 (exact up to 53 bits, NumPy's conversion beyond).
fn to_f64(a: &Col, out: &mut Col) {
    match a {
        Col::B(_) => map1(a, out, |x: bool| x as u8 as f64),
        Col::I(_) => map1(a, out, |x: i64| x as f64),
        Col::U(_) => map1(a, out, |x: u64| x as f64),
        _ => malformed(format_args!("expected an integer or bool value, found a {} one", a.tag())),
    }
}

/// spacing and frexp of a float column. Integers come converted to f64, which is their float
/// loop's value: those whose loop is float32 have at most 16 bits, exact in both formats.
fn float_bits_fn(op: UnaryOp, od: DType, a: &Col, out: &mut Col) {
    match op {
        UnaryOp::Spacing if od == DType::F32 => map1(a, out, |x: f64| spacing_f32(x as f32) as f64),
        UnaryOp::Spacing => map1(a, out, spacing_f64),
        // Exact, so a float32 value's answer is float32's.
        UnaryOp::FrexpMantissa => map1(a, out, |x: f64| frexp(x).0),
        UnaryOp::FrexpExponent => map1(a, out, |x: f64| frexp(x).1 as i64),
        _ => unsupported(op, od),
    }
}

/// A float function on a float column (integers already converted): sqrt per element, the
/// transcendentals by `vmath`'s slice functions. A float32 result is the float32 function of the
/// argument rounded to float32 (exact for float32 values and small integers).
fn float_fn(op: UnaryOp, od: DType, a: &Col, out: &mut Col) {
    let Some(f) = Func::of(op) else {
        match op {
            UnaryOp::Sqrt => map1(a, out, move |x: f64| round_f(x.sqrt(), od)),
            // An integer converted to float64, rounded to float32 for a float32 result (exact:
            // those come from integers of at most 16 bits).
            UnaryOp::Rint => map1(a, out, move |x: f64| round_f(x, od).round_ties_even()),
            _ => unsupported(op, od),
        }
        return;
    };
    let x = f64::slice(a);
    let o = f64::vec(out);
    o.clear();
    o.resize(x.len(), 0.0);
    if od == DType::F32 {
        let (mut xs, mut ys) = ([0f32; STRIP], [0f32; STRIP]);
        for (xc, oc) in x.chunks(STRIP).zip(o.chunks_mut(STRIP)) {
            let n = xc.len();
            for (d, &v) in xs.iter_mut().zip(xc) {
                *d = v as f32;
            }
            f.f32()(&xs[..n], &mut ys[..n]);
            for (d, &v) in oc.iter_mut().zip(&ys[..n]) {
                *d = v as f64;
            }
        }
    } else {
        f.f64()(x, o);
    }
}

/// A complex function (`complex_math`) on a complex column: complex64 computes in float32 as
/// NumPy's complex64 loops do, so its results are float32 values already.
fn complex_fn(op: UnaryOp, od: DType, a: &Col, out: &mut Col) {
    let Some(f) = complex_math::function(op, od == DType::C64) else { unsupported(op, od) };
    map1(a, out, move |x: C| {
        let (re, im) = f(x.re, x.im);
        C::new(re, im)
    });
}

/// Float to unsigned as `Scalar::cast`: negative values go through int64 so that -1.0 wraps to
/// the maximum, as NumPy does on x86.
fn float_to_unsigned(f: f64) -> u64 {
    if f < 0.0 {
        float_to_i64(f) as u64
    } else {
        float_to_u64(f)
    }
}

/// NumPy's unsafe cast (`astype`) of a column from dtype `from` to `to`, value for value as
/// `Scalar::cast`, except that integers go to float32 in one correctly rounded step (NumPy's C
/// cast) rather than through f64.
pub(crate) fn cast(from: DType, to: DType, a: &Col, out: &mut Col) {
    match (a, to.kind()) {
        (Col::B(_), Kind::Bool) => map1(a, out, |x: bool| x),
        (Col::I(_), Kind::Bool) => map1(a, out, |x: i64| x != 0),
        (Col::U(_), Kind::Bool) => map1(a, out, |x: u64| x != 0),
        (Col::F(_), Kind::Bool) => map1(a, out, |x: f64| x != 0.0),
        (Col::C(_), Kind::Bool) => map1(a, out, |x: C| x.re != 0.0 || x.im != 0.0),

        (Col::B(_), Kind::Int) => map1(a, out, |x: bool| x as i64),
        (Col::I(_), Kind::Int) => map1(a, out, move |x: i64| wrap_signed(x, to)),
        (Col::U(_), Kind::Int) => map1(a, out, move |x: u64| wrap_signed(x as i64, to)),
        (Col::F(_), Kind::Int) => map1(a, out, move |x: f64| wrap_signed(float_to_i64(x), to)),
        (Col::C(_), Kind::Int) => map1(a, out, move |x: C| wrap_signed(float_to_i64(x.re), to)),

        (Col::B(_), Kind::UInt) => map1(a, out, |x: bool| x as u64),
        (Col::I(_), Kind::UInt) => map1(a, out, move |x: i64| wrap_unsigned(x as u64, to)),
        (Col::U(_), Kind::UInt) => map1(a, out, move |x: u64| wrap_unsigned(x, to)),
        (Col::F(_), Kind::UInt) => map1(a, out, move |x: f64| wrap_unsigned(float_to_unsigned(x), to)),
        (Col::C(_), Kind::UInt) => map1(a, out, move |x: C| wrap_unsigned(float_to_unsigned(x.re), to)),

        (Col::B(_), Kind::Float) => map1(a, out, |x: bool| x as u8 as f64),
        (Col::I(_), Kind::Float) => map1(a, out, move |x: i64| int_to_float(x, to)),
        (Col::U(_), Kind::Float) => map1(a, out, move |x: u64| uint_to_float(x, to)),
        (Col::F(_), Kind::Float) => map1(a, out, move |x: f64| round_f(x, to)),
        (Col::C(_), Kind::Float) => map1(a, out, move |x: C| round_f(x.re, to)),

        (Col::B(_), Kind::Complex) => map1(a, out, |x: bool| C::new(x as u8 as f64, 0.0)),
        (Col::I(_), Kind::Complex) => map1(a, out, move |x: i64| C::new(int_to_float(x, to.real_part()), 0.0)),
        (Col::U(_), Kind::Complex) => map1(a, out, move |x: u64| C::new(uint_to_float(x, to.real_part()), 0.0)),
        (Col::F(_), Kind::Complex) => map1(a, out, move |x: f64| round_c(C::new(x, 0.0), to)),
        (Col::C(_), Kind::Complex) => map1(a, out, move |x: C| round_c(x, to)),
    }
    debug_assert!(matches!(
        (from.kind(), a),
        (Kind::Bool, Col::B(_))
            | (Kind::Int, Col::I(_))
            | (Kind::UInt, Col::U(_))
            | (Kind::Float, Col::F(_))
            | (Kind::Complex, Col::C(_))
    ));
}

#[inline]
fn int_to_float(x: i64, to: DType) -> f64 {
    if to == DType::F32 {
        x as f32 as f64
    } else {
        x as f64
    }
}

#[inline]
fn uint_to_float(x: u64, to: DType) -> f64 {
    if to == DType::F32 {
        x as f32 as f64
    } else {
        x as f64
    }
}

/// `c ? a : b`.
pub(crate) fn select(c: &Col, a: &Col, b: &Col, out: &mut Col) {
    fn go<T: Elem>(c: &[bool], a: &Col, b: &Col, out: &mut Col) {
        let (a, b) = (T::slice(a), T::slice(b));
        let o = T::vec(out);
        o.clear();
        o.extend(c.iter().zip(a.iter().zip(b)).map(|(&c, (&x, &y))| if c { x } else { y }));
    }
    let c = bool::slice(c);
    match a {
        Col::B(_) => go::<bool>(c, a, b, out),
        Col::I(_) => go::<i64>(c, a, b, out),
        Col::U(_) => go::<u64>(c, a, b, out),
        Col::F(_) => go::<f64>(c, a, b, out),
        Col::C(_) => go::<C>(c, a, b, out),
    }
}
