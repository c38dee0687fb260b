//! The operations of the logical graph, and their result dtypes.

use crate::dtype::{DType, Kind};
use crate::error::Result;
use crate::scalar::Scalar;
use crate::{bail, ensure};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum UnaryOp {
    Neg,
    Abs,
    Sqrt,
    Exp,
    Log,
    Sin,
    Cos,
    Tanh,
    /// `~`: bitwise not, logical not for bool.
    Invert,
    LogicalNot,
    // Float functions (integers and bool go to their float counterpart, as `Sqrt`).
    Expm1,
    Log1p,
    Log2,
    Log10,
    Exp2,
    Cbrt,
    Tan,
    Arcsin,
    Arccos,
    Arctan,
    Sinh,
    Cosh,
    Arcsinh,
    Arccosh,
    Arctanh,
    /// floor/ceil/trunc: the identity on integers and bool (NumPy 2.x keeps their dtype).
    Floor,
    Ceil,
    Trunc,
    /// Round half to even; integers and bool go to their float counterpart; complex per part.
    Rint,
    /// -1/0/1 (NaN for NaN); complex: z/|z| (NumPy 2).
    Sign,
    /// Complex conjugate (complex only; the runtime copies real arrays).
    Conj,
    /// Imaginary part of a complex (the runtime gives zeros for real arrays).
    Imag,
    // NumPy ufuncs of their own (float loops only; integers go to their float counterpart).
    /// Distance to the next float away from zero (toward +inf for ±0); NaN for inf and NaN.
    Spacing,
    /// The mantissa of `frexp` (in [0.5, 1) in magnitude; x itself for 0, inf and NaN).
    FrexpMantissa,
    /// The int32 exponent of `frexp` (0 for 0, inf and NaN).
    FrexpExponent,
    /// Number of 1 bits of |x| (integers; uint8 result).
    BitwiseCount,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum BinaryOp {
    Add,
    Sub,
    Mul,
    /// True division `/`.
    Div,
    FloorDiv,
    /// Python's `%` (sign of the divisor).
    Mod,
    Pow,
    Max,
    Min,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    BitAnd,
    BitOr,
    BitXor,
    LogicalAnd,
    LogicalOr,
    LogicalXor,
    /// C's fmod: the sign of the dividend; integer `x fmod 0` is 0.
    Fmod,
    Arctan2,
    Hypot,
    Copysign,
    Logaddexp,
    Logaddexp2,
    /// `<<`, `>>`: shifts of at least the bit width (or negative) give 0 (`>>` of a negative: -1).
    Shl,
    Shr,
    /// C's nextafter: the next float after x1 toward x2 (x2 itself when equal).
    Nextafter,
    /// x1 * 2**x2 rounded once: the one binary op whose operands differ in dtype (a float
    /// mantissa and an int64 exponent; `Session::ldexp` resolves NumPy's loop).
    Ldexp,
    /// Greatest common divisor of |x1| and |x2| (integers; wraps like NumPy for INT_MIN).
    Gcd,
    /// |x1| / gcd * |x2| modulo 2**bits (0 if either is 0).
    Lcm,
    /// NaN-ignoring maximum/minimum (NumPy's lexicographic order for complex).
    Fmax,
    Fmin,
    /// 0 for x1 < 0, x2 for x1 == 0, 1 for x1 > 0, NaN for NaN.
    Heaviside,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ReduceOp {
    Sum,
    Prod,
    Min,
    Max,
    ArgMin,
    ArgMax,
    Any,
    All,
}

/// What a random node draws per element (see `philox`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum RandomDist {
    /// Uniform in [0, 1).
    Uniform01,
    /// Standard normal.
    Normal,
    /// Uniform integer in [0, range); range is the node's parameter.
    Bounded,
}

impl UnaryOp {
    pub fn name(self) -> &'static str {
        use UnaryOp::*;
        match self {
            Neg => "negative",
            Abs => "absolute",
            Sqrt => "sqrt",
            Exp => "exp",
            Log => "log",
            Sin => "sin",
            Cos => "cos",
            Tanh => "tanh",
            Invert => "invert",
            LogicalNot => "logical_not",
            Expm1 => "expm1",
            Log1p => "log1p",
            Log2 => "log2",
            Log10 => "log10",
            Exp2 => "exp2",
            Cbrt => "cbrt",
            Tan => "tan",
            Arcsin => "arcsin",
            Arccos => "arccos",
            Arctan => "arctan",
            Sinh => "sinh",
            Cosh => "cosh",
            Arcsinh => "arcsinh",
            Arccosh => "arccosh",
            Arctanh => "arctanh",
            Floor => "floor",
            Ceil => "ceil",
            Trunc => "trunc",
            Rint => "rint",
            Sign => "sign",
            Conj => "conjugate",
            Imag => "imag",
            Spacing => "spacing",
            FrexpMantissa => "frexp_mantissa",
            FrexpExponent => "frexp_exponent",
            BitwiseCount => "bitwise_count",
        }
    }

    /// The float functions of one argument (`Sqrt` aside): their integer and bool inputs are
    /// computed in the float counterpart, complex inputs in their own dtype (`Cbrt` aside, which
    /// NumPy has no complex loop for).
    pub fn is_float_function(self) -> bool {
        use UnaryOp::*;
        matches!(
            self,
            Expm1 | Log1p | Log2 | Log10 | Exp2 | Cbrt | Tan | Arcsin | Arccos | Arctan | Sinh | Cosh | Arcsinh | Arccosh | Arctanh
        )
    }

    /// Result dtype for an input dtype, as NumPy's ufunc loops give it.
    pub fn result_dtype(self, d: DType) -> Result<DType> {
        use UnaryOp::*;
        if let Some(r) = self.more_result_dtype(d) {
            return r;
        }
        Ok(match self {
            Neg => {
                ensure!(
                    d != DType::Bool,
                    Type,
                    "The numpy boolean negative, the `-` operator, is not supported, use the `~` operator or the logical_not function instead."
                );
                d
            }
            Abs => d.real_part(),
            Sqrt | Exp | Log | Sin | Cos | Tanh => {
                if d.is_inexact() {
                    d
                } else {
                    d.float_counterpart()
                }
            }
            Invert => {
                ensure!(
                    d.is_integer() || d == DType::Bool,
                    Type,
                    "ufunc 'invert' not supported for the input types, and the inputs could not be safely coerced to any supported types according to the casting rule ''safe''"
                );
                d
            }
            LogicalNot => DType::Bool,
            _ if self.is_float_function() => {
                // NumPy has no complex cbrt at all.
                if d.is_complex() && self == Cbrt {
                    bail!(Type, "ufunc 'cbrt' not supported for the input types, and the inputs could not be safely coerced to any supported types according to the casting rule ''safe''");
                }
                if d.is_inexact() {
                    d
                } else {
                    d.float_counterpart()
                }
            }
            Floor | Ceil | Trunc => {
                ensure!(
                    !d.is_complex(),
                    Type,
                    "ufunc '{}' not supported for the input types, and the inputs could not be safely coerced to any supported types according to the casting rule ''safe''",
                    self.name()
                );
                d
            }
            Rint => {
                if d.is_inexact() {
                    d
                } else {
                    d.float_counterpart()
                }
            }
            Sign => {
                ensure!(
                    d != DType::Bool,
                    Type,
                    "ufunc 'sign' did not contain a loop with signature matching types <class 'numpy.dtypes.BoolDType'> -> None"
                );
                d
            }
            Conj => {
                ensure!(d.is_complex(), Type, "conjugate of {d}: only complex values have a kernel conjugate");
                d
            }
            Imag => {
                ensure!(d.is_complex(), Type, "imag of {d}: only complex values have a kernel imaginary part");
                d.real_part()
            }
            _ => unreachable!("every op is matched"),
        })
    }
}

impl UnaryOp {
    /// Result dtypes of spacing, frexp and bitwise_count (None for the other ops).
    fn more_result_dtype(self, d: DType) -> Option<Result<DType>> {
        use UnaryOp::*;
        let name = match self {
            Spacing => "spacing",
            FrexpMantissa | FrexpExponent => "frexp",
            BitwiseCount => "bitwise_count",
            _ => return None,
        };
        Some(match self {
            BitwiseCount if d.is_integer() || d == DType::Bool => Ok(DType::U8),
            _ if self == BitwiseCount || d.is_complex() => Err(crate::Error::Type(no_loop_message(name))),
            FrexpExponent => float_loop(d, name, false).map(|_| DType::I32),
            _ => float_loop(d, name, self == Spacing),
        })
    }
}

/// NumPy's TypeError message for a ufunc without a loop for the input types.
pub fn no_loop_message(name: &str) -> String {
    format!(
        "ufunc '{name}' not supported for the input types, and the inputs could not be safely coerced to any supported types according to the casting rule ''safe''"
    )
}

/// The float loop NumPy runs a float-only ufunc in for a real dtype `d`: `d` itself for floats,
/// else the smallest float `d` casts to safely. NumPy's float16 loop (bool, int8, uint8) runs in
/// float32 (starp has no float16, README) unless `exact_precision`: for nextafter, spacing and
/// ldexp, whose results are the float16 format's own (its spacing, its overflow), that raises
/// NotImplementedError.
pub fn float_loop(d: DType, name: &str, exact_precision: bool) -> Result<DType> {
    if d.is_float() {
        return Ok(d);
    }
    let float16 = matches!(d, DType::Bool | DType::I8 | DType::U8);
    ensure!(
        !(float16 && exact_precision),
        NotImplemented,
        "starp has no float16: {name} of {d} (NumPy's float16 loop) is not supported; cast to float32 first"
    );
    Ok(d.float_counterpart())
}

impl BinaryOp {
    pub fn name(self) -> &'static str {
        use BinaryOp::*;
        match self {
            Add => "add",
            Sub => "subtract",
            Mul => "multiply",
            Div => "divide",
            FloorDiv => "floor_divide",
            Mod => "remainder",
            Pow => "power",
            Max => "maximum",
            Min => "minimum",
            Eq => "equal",
            Ne => "not_equal",
            Lt => "less",
            Le => "less_equal",
            Gt => "greater",
            Ge => "greater_equal",
            BitAnd => "bitwise_and",
            BitOr => "bitwise_or",
            BitXor => "bitwise_xor",
            LogicalAnd => "logical_and",
            LogicalOr => "logical_or",
            LogicalXor => "logical_xor",
            Fmod => "fmod",
            Arctan2 => "arctan2",
            Hypot => "hypot",
            Copysign => "copysign",
            Logaddexp => "logaddexp",
            Logaddexp2 => "logaddexp2",
            Shl => "left_shift",
            Shr => "right_shift",
            Nextafter => "nextafter",
            Ldexp => "ldexp",
            Gcd => "gcd",
            Lcm => "lcm",
            Fmax => "fmax",
            Fmin => "fmin",
            Heaviside => "heaviside",
        }
    }

    pub fn is_comparison(self) -> bool {
        use BinaryOp::*;
        matches!(self, Eq | Ne | Lt | Le | Gt | Ge | LogicalAnd | LogicalOr | LogicalXor)
    }

    /// The dtype both operands are cast to (the loop dtype) and the result dtype, given the
    /// already promoted common dtype.
    pub fn loop_dtypes(self, common: DType) -> Result<(DType, DType)> {
        use BinaryOp::*;
        let unsupported = || {
            Err(crate::Error::Type(format!(
                "ufunc '{}' not supported for the input types, and the inputs could not be safely coerced to any supported types according to the casting rule ''safe''",
                self.name()
            )))
        };
        Ok(match self {
            Add | Mul | Max | Min => (common, common),
            Sub => {
                if common == DType::Bool {
                    bail!(
                        Type,
                        "numpy boolean subtract, the `-` operator, is not supported, use the bitwise_xor, the `^` operator, or the logical_xor function instead."
                    );
                }
                (common, common)
            }
            Div => {
                let d = if common.is_inexact() { common } else { DType::F64 };
                (d, d)
            }
            FloorDiv | Mod | Fmod => {
                if common.is_complex() {
                    return unsupported();
                }
                let d = if common == DType::Bool { DType::I8 } else { common };
                (d, d)
            }
            Pow => {
                let d = if common == DType::Bool { DType::I8 } else { common };
                (d, d)
            }
            Eq | Ne | Lt | Le | Gt | Ge => (common, DType::Bool),
            BitAnd | BitOr | BitXor => {
                if !(common.is_integer() || common == DType::Bool) {
                    return unsupported();
                }
                (common, common)
            }
            LogicalAnd | LogicalOr | LogicalXor => (DType::Bool, DType::Bool),
            Arctan2 | Hypot | Copysign | Logaddexp | Logaddexp2 => {
                if common.is_complex() {
                    return unsupported();
                }
                let d = if common.is_float() { common } else { common.float_counterpart() };
                (d, d)
            }
            Shl | Shr => {
                if !(common.is_integer() || common == DType::Bool) {
                    return unsupported();
                }
                let d = if common == DType::Bool { DType::I8 } else { common };
                (d, d)
            }
            Fmax | Fmin => (common, common),
            Nextafter | Heaviside => {
                if common.is_complex() {
                    return unsupported();
                }
                let d = float_loop(common, self.name(), self == Nextafter)?;
                (d, d)
            }
            Gcd | Lcm => {
                // NumPy has no bool loop (and no mixed int64/uint64 one: their common dtype is
                // float64), so only integers get here.
                ensure!(
                    common.is_integer(),
                    Type,
                    "ufunc '{}' did not contain a loop with signature matching types ({common}, {common}) -> None",
                    self.name()
                );
                (common, common)
            }
            Ldexp => bail!(Internal, "ldexp has a (float, int64) loop: Session::ldexp resolves its dtypes"),
        })
    }
}

impl ReduceOp {
    pub fn name(self) -> &'static str {
        use ReduceOp::*;
        match self {
            Sum => "sum",
            Prod => "prod",
            Min => "minimum",
            Max => "maximum",
            ArgMin => "argmin",
            ArgMax => "argmax",
            Any => "any",
            All => "all",
        }
    }

    /// The accumulator (and result) dtype: NumPy sums small integers in the platform integer.
    pub fn result_dtype(self, d: DType) -> DType {
        use ReduceOp::*;
        match self {
            Sum | Prod => match d.kind() {
                Kind::Bool => DType::I64,
                Kind::Int => DType::I64,
                Kind::UInt => DType::U64,
                _ => d,
            },
            Min | Max => d,
            ArgMin | ArgMax => DType::I64,
            Any | All => DType::Bool,
        }
    }

    /// The identity, or None where an empty reduction is an error (min, max, argmin, argmax).
    pub fn identity(self, d: DType) -> Option<Scalar> {
        use ReduceOp::*;
        match self {
            Sum => Some(Scalar::zero(d)),
            Prod => Some(Scalar::one(d)),
            Any => Some(Scalar::Bool(false)),
            All => Some(Scalar::Bool(true)),
            Min | Max | ArgMin | ArgMax => None,
        }
    }
}
