//! Element types and NumPy 2 type promotion (NEP 50).
//!
//! Arrays and NumPy scalars are *strong*: their dtype takes part in promotion. Python scalars
//! (`bool`, `int`, `float`, `complex` literals) are *weak*: they adopt the array's dtype when its
//! kind can hold them, so `float32_array + 1.5` stays float32 and `int8_array + 1` stays int8.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum DType {
    Bool,
    I8,
    I16,
    I32,
    I64,
    U8,
    U16,
    U32,
    U64,
    F32,
    F64,
    C64,
    C128,
}

/// The kind of a dtype, NumPy's `dtype.kind` ordered by promotion rank.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Kind {
    Bool,
    UInt,
    Int,
    Float,
    Complex,
}

/// A Python scalar's kind, for weak promotion.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum WeakKind {
    Bool,
    Int,
    Float,
    Complex,
}

pub const ALL_DTYPES: [DType; 13] = [
    DType::Bool,
    DType::I8,
    DType::I16,
    DType::I32,
    DType::I64,
    DType::U8,
    DType::U16,
    DType::U32,
    DType::U64,
    DType::F32,
    DType::F64,
    DType::C64,
    DType::C128,
];

impl DType {
    pub fn itemsize(self) -> usize {
        use DType::*;
        match self {
            Bool | I8 | U8 => 1,
            I16 | U16 => 2,
            I32 | U32 | F32 => 4,
            I64 | U64 | F64 | C64 => 8,
            C128 => 16,
        }
    }

    pub fn kind(self) -> Kind {
        use DType::*;
        match self {
            Bool => Kind::Bool,
            I8 | I16 | I32 | I64 => Kind::Int,
            U8 | U16 | U32 | U64 => Kind::UInt,
            F32 | F64 => Kind::Float,
            C64 | C128 => Kind::Complex,
        }
    }

    pub fn is_integer(self) -> bool {
        matches!(self.kind(), Kind::Int | Kind::UInt)
    }
    pub fn is_float(self) -> bool {
        self.kind() == Kind::Float
    }
    pub fn is_complex(self) -> bool {
        self.kind() == Kind::Complex
    }
    pub fn is_inexact(self) -> bool {
        self.is_float() || self.is_complex()
    }

    /// NumPy's name, as `numpy.dtype(name)` accepts it.
    pub fn name(self) -> &'static str {
        use DType::*;
        match self {
            Bool => "bool",
            I8 => "int8",
            I16 => "int16",
            I32 => "int32",
            I64 => "int64",
            U8 => "uint8",
            U16 => "uint16",
            U32 => "uint32",
            U64 => "uint64",
            F32 => "float32",
            F64 => "float64",
            C64 => "complex64",
            C128 => "complex128",
        }
    }

    pub fn from_name(name: &str) -> Option<DType> {
        ALL_DTYPES.iter().copied().find(|d| d.name() == name)
    }

    fn int_of(signed: bool, size: usize) -> DType {
        use DType::*;
        match (signed, size) {
            (true, 1) => I8,
            (true, 2) => I16,
            (true, 4) => I32,
            (true, _) => I64,
            (false, 1) => U8,
            (false, 2) => U16,
            (false, 4) => U32,
            (false, _) => U64,
        }
    }

    /// The float dtype that holds this dtype's values: the precision of a float or complex, or
    /// the float NumPy's inexact ufuncs use for an integer (float16 is not supported, so the
    /// 1-byte types that NumPy sends to float16 get float32).
    pub fn float_counterpart(self) -> DType {
        use DType::*;
        match self {
            F32 | C64 => F32,
            F64 | C128 => F64,
            Bool | I8 | U8 | I16 | U16 => F32,
            I32 | U32 | I64 | U64 => F64,
        }
    }

    /// The complex dtype with this dtype's float precision.
    pub fn complex_counterpart(self) -> DType {
        match self.float_counterpart() {
            DType::F32 => DType::C64,
            _ => DType::C128,
        }
    }

    /// The real dtype of a complex (abs(), .real); identity for the others.
    pub fn real_part(self) -> DType {
        match self {
            DType::C64 => DType::F32,
            DType::C128 => DType::F64,
            d => d,
        }
    }
}

impl fmt::Display for DType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// `numpy.result_type(a, b)` for two strong dtypes.
pub fn promote(a: DType, b: DType) -> DType {
    use DType::*;
    if a == b {
        return a;
    }
    let (ka, kb) = (a.kind(), b.kind());
    // Order so that `a` has the lower kind.
    let (a, b, ka, kb) = if ka <= kb { (a, b, ka, kb) } else { (b, a, kb, ka) };
    match (ka, kb) {
        (Kind::Bool, _) => b,
        (Kind::UInt, Kind::UInt) | (Kind::Int, Kind::Int) => {
            if a.itemsize() >= b.itemsize() {
                a
            } else {
                b
            }
        }
        (Kind::UInt, Kind::Int) => {
            // A signed type holds an unsigned one only when it is strictly wider.
            if b.itemsize() > a.itemsize() {
                b
            } else if a == U64 {
                F64
            } else {
                DType::int_of(true, a.itemsize() * 2)
            }
        }
        (Kind::UInt | Kind::Int, Kind::Float) => {
            if b == F64 || a.itemsize() >= 4 {
                F64
            } else {
                F32
            }
        }
        (Kind::UInt | Kind::Int, Kind::Complex) => {
            if b == C128 || a.itemsize() >= 4 {
                C128
            } else {
                C64
            }
        }
        (Kind::Float, Kind::Float) => F64,
        (Kind::Float, Kind::Complex) => {
            if a == F64 || b == C128 {
                C128
            } else {
                C64
            }
        }
        (Kind::Complex, Kind::Complex) => C128,
        _ => unreachable!("kinds are ordered"),
    }
}

/// `numpy.result_type(*dtypes)` for strong dtypes (None for none). Not a left fold of
/// [`promote`]: NumPy promotes every dtype with one of the highest category (bool < integers <
/// floats < complex) and folds those results, so `int8, uint16, float32` gives float32 where
/// `(int8 + uint16) + float32` would give float64. Checked against NumPy on all 2-, 3- and
/// 4-tuples of the supported dtypes.
pub fn promote_many(dtypes: &[DType]) -> Option<DType> {
    let category = |d: DType| match d.kind() {
        Kind::Bool => 0,
        Kind::UInt | Kind::Int => 1,
        Kind::Float => 2,
        Kind::Complex => 3,
    };
    let top = dtypes.iter().map(|&d| category(d)).max()?;
    let main = *dtypes.iter().find(|&&d| category(d) == top)?;
    dtypes.iter().map(|&d| promote(main, d)).reduce(promote)
}

/// The dtype of `array op python_scalar` under NEP 50: the weak scalar adopts the array's dtype
/// when the array's kind is at least the scalar's; otherwise the default dtype of the scalar's kind,
/// at the array's precision where NumPy keeps it (`float32_array + 1j` is complex64).
pub fn promote_weak(strong: DType, weak: WeakKind) -> DType {
    use DType::*;
    match (strong.kind(), weak) {
        (_, WeakKind::Bool) => strong,
        (Kind::Bool, WeakKind::Int) => I64,
        (_, WeakKind::Int) => strong,
        (Kind::Bool | Kind::Int | Kind::UInt, WeakKind::Float) => F64,
        (_, WeakKind::Float) => strong,
        (Kind::Bool | Kind::Int | Kind::UInt, WeakKind::Complex) => C128,
        (Kind::Float, WeakKind::Complex) => strong.complex_counterpart(),
        (Kind::Complex, WeakKind::Complex) => strong,
    }
}

/// The dtype a lone Python scalar gets (`np.asarray(1.5)`).
pub fn default_dtype(weak: WeakKind) -> DType {
    match weak {
        WeakKind::Bool => DType::Bool,
        WeakKind::Int => DType::I64,
        WeakKind::Float => DType::F64,
        WeakKind::Complex => DType::C128,
    }
}

/// Range of an integer dtype as i128, for OverflowError checks on Python ints.
pub fn int_range(d: DType) -> Option<(i128, i128)> {
    use DType::*;
    Some(match d {
        I8 => (i8::MIN as i128, i8::MAX as i128),
        I16 => (i16::MIN as i128, i16::MAX as i128),
        I32 => (i32::MIN as i128, i32::MAX as i128),
        I64 => (i64::MIN as i128, i64::MAX as i128),
        U8 => (0, u8::MAX as i128),
        U16 => (0, u16::MAX as i128),
        U32 => (0, u32::MAX as i128),
        U64 => (0, u64::MAX as i128),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use DType::*;

    #[test]
    fn promotion_is_symmetric() {
        for a in ALL_DTYPES {
            for b in ALL_DTYPES {
                assert_eq!(promote(a, b), promote(b, a), "{a} {b}");
            }
        }
    }

    #[test]
    fn promote_many_is_numpys_result_type() {
        use DType::*;
        assert_eq!(promote_many(&[I8, U16, F32]), Some(F32));
        assert_eq!(promote_many(&[U32, I8, F32]), Some(F64));
        assert_eq!(promote_many(&[I8, U16, I32]), Some(I32));
        assert_eq!(promote_many(&[Bool, U8, I8]), Some(I16));
        assert_eq!(promote_many(&[U64, I8, C64]), Some(C128));
        assert_eq!(promote_many(&[]), None);
    }

    #[test]
    fn numpy_corner_cases() {
        assert_eq!(promote(U8, I8), I16);
        assert_eq!(promote(U64, I64), F64);
        assert_eq!(promote(I16, F32), F32);
        assert_eq!(promote(I32, F32), F64);
        assert_eq!(promote(F32, C64), C64);
        assert_eq!(promote(F64, C64), C128);
        assert_eq!(promote(Bool, U16), U16);
        assert_eq!(promote_weak(F32, WeakKind::Float), F32);
        assert_eq!(promote_weak(I8, WeakKind::Int), I8);
        assert_eq!(promote_weak(Bool, WeakKind::Int), I64);
        assert_eq!(promote_weak(F32, WeakKind::Complex), C64);
    }
}
