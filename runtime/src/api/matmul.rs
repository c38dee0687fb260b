//! `matmul` / `@`: 1-d operands are promoted to matrices and the added axis removed again, as
//! NumPy does; leading (batch) axes broadcast.

use crate::session::{Arr, Session};
use ir::dtype::promote;
use ir::error::fmt_shape;
use ir::shape::broadcast_shapes;
use ir::{Node, Op, Result};

const SIGNATURE: &str = "with gufunc signature (n?,k),(k,m?)->(n?,m?)";

impl Session {
    pub fn matmul(&mut self, a: &Arr, b: &Arr) -> Result<Arr> {
        let (sa, sb) = (a.shape().to_vec(), b.shape().to_vec());
        for (i, s) in [&sa, &sb].iter().enumerate() {
            ir::ensure!(
                !s.is_empty(),
                Value,
                "matmul: Input operand {i} does not have enough dimensions (has 0, gufunc core {SIGNATURE} requires 1)"
            );
        }
        let k_a = sa[sa.len() - 1];
        let k_b = if sb.len() == 1 { sb[0] } else { sb[sb.len() - 2] };
        ir::ensure!(
            k_a == k_b,
            Value,
            "matmul: Input operand 1 has a mismatch in its core dimension 0, {SIGNATURE} (size {k_b} is different from {k_a})"
        );
        let batch_a = &sa[..sa.len().saturating_sub(2)];
        let batch_b = &sb[..sb.len().saturating_sub(2)];
        let batch = broadcast_shapes(batch_a, batch_b).map_err(|_| {
            ir::Error::Value(format!(
                "matmul: the batch dimensions of the operands could not be broadcast together: {} @ {}",
                fmt_shape(&sa),
                fmt_shape(&sb)
            ))
        })?;
        let dtype = promote(a.dtype, b.dtype);
        let mut a_shape: Vec<i64> = sa.iter().map(|&d| d as i64).collect();
        if sa.len() == 1 {
            a_shape.insert(0, 1);
        }
        let mut b_shape: Vec<i64> = sb.iter().map(|&d| d as i64).collect();
        if sb.len() == 1 {
            b_shape.push(1);
        }
        let a2 = self.reshape(a, &a_shape)?;
        let b2 = self.reshape(b, &b_shape)?;
        let (m, n) = (a2.shape()[a2.shape().len() - 2], b2.shape()[b2.shape().len() - 1]);
        let na = self.read(&a2);
        let na = self.cast_node(na, dtype);
        let nb = self.read(&b2);
        let nb = self.cast_node(nb, dtype);
        {
            let mut d = self.drops.lock().unwrap_or_else(|e| e.into_inner());
            d.push(a2.base);
            d.push(b2.base);
        }
        let mut out_shape = batch.clone();
        out_shape.extend([m, n]);
        let node = self.graph.add(Node { op: Op::MatMul, inputs: vec![na, nb], shape: out_shape, dtype });
        let out = self.new_array(node)?;
        if sa.len() > 1 && sb.len() > 1 {
            return Ok(out);
        }
        let mut final_shape: Vec<i64> = batch.iter().map(|&d| d as i64).collect();
        if sa.len() > 1 {
            final_shape.push(m as i64);
        }
        if sb.len() > 1 {
            final_shape.push(n as i64);
        }
        let r = self.reshape(&out, &final_shape)?;
        self.drops.lock().unwrap_or_else(|e| e.into_inner()).push(out.base);
        Ok(r)
    }
}
