//! Gather (`HostOp::Take`) and scatter (`HostOp::Put`) by flat offsets on one rank's full copy
//! of the inputs: the execution of fancy and boolean-mask indexing, `take`, `put` and
//! `take_along_axis` once the offsets are known (the api layer computes them at the call, a
//! sync point, so that out-of-bounds indices raise there as in NumPy). Byte copies, any dtype.

use super::{typed, Input, Output};
use crate::buffer::LocalBuf;
use ir::{Error, HostOp, Result};

pub fn run(op: &HostOp, ins: &[Input], outs: &[Output]) -> Result<Vec<LocalBuf>> {
    let src = ins[0].buf;
    let idx = typed::<i64>(ins[1].buf);
    let isz = src.dtype.itemsize();
    let n = src.len() as i64;
    let check = |o: i64| -> Result<usize> {
        if o < 0 || o >= n {
            return Err(Error::Internal(format!("flat offset {o} outside an array of {n} elements")));
        }
        Ok(o as usize)
    };
    match op {
        HostOp::Take => {
            let o = &outs[0];
            let mut out = LocalBuf::zeroed(o.dtype, idx.len())?;
            let (s, d) = (src.bytes(), out.bytes_mut());
            for (i, &off) in idx.iter().enumerate() {
                let off = check(off)?;
                d[i * isz..(i + 1) * isz].copy_from_slice(&s[off * isz..(off + 1) * isz]);
            }
            Ok(vec![out])
        }
        HostOp::Put => {
            let vals = ins[2].buf;
            let m = vals.len();
            let mut out = src.clone();
            if m == 0 {
                if !idx.is_empty() {
                    return Err(Error::Internal("put with no values".into()));
                }
                return Ok(vec![out]);
            }
            let (v, d) = (vals.bytes(), out.bytes_mut());
            for (i, &off) in idx.iter().enumerate() {
                let off = check(off)?;
                let j = i % m;
                d[off * isz..(off + 1) * isz].copy_from_slice(&v[j * isz..(j + 1) * isz]);
            }
            Ok(vec![out])
        }
        _ => Err(Error::Internal(format!("{} is not a select op", op.name()))),
    }
}
