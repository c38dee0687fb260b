//! Scalar values as the graph and the kernels carry them, with NumPy's casting rules.
//!
//! Every scalar is normalized to its dtype: integers are wrapped to the dtype's width, float32
//! values are rounded to f32, so `Scalar` equality is value equality for the dtype.

use crate::dtype::{DType, Kind};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum Scalar {
    Bool(bool),
    Int(i64),
    UInt(u64),
    Float(f64),
    Complex(f64, f64),
}

impl Scalar {
    pub fn zero(d: DType) -> Scalar {
        Scalar::Int(0).cast(d)
    }
    pub fn one(d: DType) -> Scalar {
        Scalar::Int(1).cast(d)
    }

    pub fn as_f64(self) -> f64 {
        match self {
            Scalar::Bool(b) => b as u8 as f64,
            Scalar::Int(i) => i as f64,
            Scalar::UInt(u) => u as f64,
            Scalar::Float(f) => f,
            Scalar::Complex(re, _) => re,
        }
    }
    pub fn as_i64(self) -> i64 {
        match self {
            Scalar::Bool(b) => b as i64,
            Scalar::Int(i) => i,
            Scalar::UInt(u) => u as i64,
            Scalar::Float(f) => float_to_i64(f),
            Scalar::Complex(re, _) => float_to_i64(re),
        }
    }
    pub fn as_u64(self) -> u64 {
        match self {
            Scalar::Bool(b) => b as u64,
            Scalar::Int(i) => i as u64,
            Scalar::UInt(u) => u,
            Scalar::Float(f) => float_to_u64(f),
            Scalar::Complex(re, _) => float_to_u64(re),
        }
    }
    pub fn as_bool(self) -> bool {
        match self {
            Scalar::Bool(b) => b,
            Scalar::Int(i) => i != 0,
            Scalar::UInt(u) => u != 0,
            Scalar::Float(f) => f != 0.0,
            Scalar::Complex(re, im) => re != 0.0 || im != 0.0,
        }
    }

    /// NumPy's unsafe cast (`astype`): integers wrap, floats truncate toward zero, complex drops
    /// the imaginary part, NaN and out-of-range floats give the integer minimum (x86's answer).
    pub fn cast(self, to: DType) -> Scalar {
        match to.kind() {
            Kind::Bool => Scalar::Bool(self.as_bool()),
            Kind::Int => Scalar::Int(wrap_signed(self.as_i64_for(to), to)),
            Kind::UInt => Scalar::UInt(wrap_unsigned(self.as_u64_for(to), to)),
            Kind::Float => {
                if to == DType::F32 {
                    // Integers round once, straight to f32 (via f64 would round twice).
                    let f = match self {
                        Scalar::Int(i) => i as f32,
                        Scalar::UInt(u) => u as f32,
                        s => s.as_f64() as f32,
                    };
                    Scalar::Float(f as f64)
                } else {
                    Scalar::Float(self.as_f64())
                }
            }
            Kind::Complex => {
                let (re, im) = match self {
                    Scalar::Complex(re, im) => (re, im),
                    s => (s.as_f64(), 0.0),
                };
                if to == DType::C64 {
                    Scalar::Complex(re as f32 as f64, im as f32 as f64)
                } else {
                    Scalar::Complex(re, im)
                }
            }
        }
    }

    /// The value stored as one element of `dtype` (native endian), after NumPy's cast.
    pub fn write_bytes(self, dtype: DType, out: &mut [u8]) {
        match (dtype, self.cast(dtype)) {
            (DType::Bool, Scalar::Bool(v)) => out[0] = v as u8,
            (DType::I8, Scalar::Int(v)) => out.copy_from_slice(&(v as i8).to_ne_bytes()),
            (DType::I16, Scalar::Int(v)) => out.copy_from_slice(&(v as i16).to_ne_bytes()),
            (DType::I32, Scalar::Int(v)) => out.copy_from_slice(&(v as i32).to_ne_bytes()),
            (DType::I64, Scalar::Int(v)) => out.copy_from_slice(&v.to_ne_bytes()),
            (DType::U8, Scalar::UInt(v)) => out[0] = v as u8,
            (DType::U16, Scalar::UInt(v)) => out.copy_from_slice(&(v as u16).to_ne_bytes()),
            (DType::U32, Scalar::UInt(v)) => out.copy_from_slice(&(v as u32).to_ne_bytes()),
            (DType::U64, Scalar::UInt(v)) => out.copy_from_slice(&v.to_ne_bytes()),
            (DType::F32, Scalar::Float(v)) => out.copy_from_slice(&(v as f32).to_ne_bytes()),
            (DType::F64, Scalar::Float(v)) => out.copy_from_slice(&v.to_ne_bytes()),
            (DType::C64, Scalar::Complex(re, im)) => {
                out[..4].copy_from_slice(&(re as f32).to_ne_bytes());
                out[4..8].copy_from_slice(&(im as f32).to_ne_bytes());
            }
            (DType::C128, Scalar::Complex(re, im)) => {
                out[..8].copy_from_slice(&re.to_ne_bytes());
                out[8..16].copy_from_slice(&im.to_ne_bytes());
            }
            (d, s) => unreachable!("cast gives {s:?} for {d}"),
        }
    }

    pub fn to_bytes(self, dtype: DType) -> Vec<u8> {
        let mut out = vec![0; dtype.itemsize()];
        self.write_bytes(dtype, &mut out);
        out
    }

    /// One element of `dtype` read from the first `itemsize` bytes of `b` (native endian).
    pub fn from_bytes(dtype: DType, b: &[u8]) -> Scalar {
        fn arr<const N: usize>(b: &[u8], at: usize) -> [u8; N] {
            let mut a = [0u8; N];
            a.copy_from_slice(&b[at..at + N]);
            a
        }
        match dtype {
            DType::Bool => Scalar::Bool(b[0] != 0),
            DType::I8 => Scalar::Int(b[0] as i8 as i64),
            DType::I16 => Scalar::Int(i16::from_ne_bytes(arr(b, 0)) as i64),
            DType::I32 => Scalar::Int(i32::from_ne_bytes(arr(b, 0)) as i64),
            DType::I64 => Scalar::Int(i64::from_ne_bytes(arr(b, 0))),
            DType::U8 => Scalar::UInt(b[0] as u64),
            DType::U16 => Scalar::UInt(u16::from_ne_bytes(arr(b, 0)) as u64),
            DType::U32 => Scalar::UInt(u32::from_ne_bytes(arr(b, 0)) as u64),
            DType::U64 => Scalar::UInt(u64::from_ne_bytes(arr(b, 0))),
            DType::F32 => Scalar::Float(f32::from_ne_bytes(arr(b, 0)) as f64),
            DType::F64 => Scalar::Float(f64::from_ne_bytes(arr(b, 0))),
            DType::C64 => Scalar::Complex(f32::from_ne_bytes(arr(b, 0)) as f64, f32::from_ne_bytes(arr(b, 4)) as f64),
            DType::C128 => Scalar::Complex(f64::from_ne_bytes(arr(b, 0)), f64::from_ne_bytes(arr(b, 8))),
        }
    }

    fn as_i64_for(self, _to: DType) -> i64 {
        self.as_i64()
    }
    fn as_u64_for(self, _to: DType) -> u64 {
        match self {
            Scalar::Float(f) if f < 0.0 => float_to_i64(f) as u64,
            Scalar::Complex(re, _) if re < 0.0 => float_to_i64(re) as u64,
            s => s.as_u64(),
        }
    }
}

/// Float to int64 without UB: truncation, NaN and out of range give i64::MIN as x86's cvttsd2si.
pub fn float_to_i64(f: f64) -> i64 {
    if f.is_nan() || f >= 9.223372036854775807e18 || f < -9.223372036854775808e18 {
        i64::MIN
    } else {
        f as i64
    }
}

/// Float to uint64: like NumPy on x86, values up to 2^64 convert, others give 2^63.
pub fn float_to_u64(f: f64) -> u64 {
    if f.is_nan() || f >= 1.8446744073709552e19 || f <= -9.223372036854775808e18 {
        1u64 << 63
    } else if f < 0.0 {
        (f as i64) as u64
    } else {
        f as u64
    }
}

pub fn wrap_signed(v: i64, d: DType) -> i64 {
    match d {
        DType::I8 => v as i8 as i64,
        DType::I16 => v as i16 as i64,
        DType::I32 => v as i32 as i64,
        _ => v,
    }
}

pub fn wrap_unsigned(v: u64, d: DType) -> u64 {
    match d {
        DType::U8 => v as u8 as u64,
        DType::U16 => v as u16 as u64,
        DType::U32 => v as u32 as u64,
        _ => v,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn casts_wrap_and_truncate() {
        assert_eq!(Scalar::Int(300).cast(DType::U8), Scalar::UInt(44));
        assert_eq!(Scalar::Int(-1).cast(DType::U16), Scalar::UInt(65535));
        assert_eq!(Scalar::Float(-2.7).cast(DType::I32), Scalar::Int(-2));
        assert_eq!(Scalar::Float(f64::NAN).cast(DType::I64), Scalar::Int(i64::MIN));
        assert_eq!(Scalar::Float(0.1).cast(DType::F32), Scalar::Float(0.1f32 as f64));
        assert_eq!(Scalar::Complex(1.0, 2.0).cast(DType::Bool), Scalar::Bool(true));
    }

    #[test]
    fn bytes_round_trip_every_dtype() {
        for d in crate::dtype::ALL_DTYPES {
            let v = Scalar::Complex(-3.0, 2.0).cast(d);
            assert_eq!(Scalar::from_bytes(d, &v.to_bytes(d)), v, "{d}");
        }
    }
}
