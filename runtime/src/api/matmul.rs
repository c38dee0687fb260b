//! `matmul` / `@` for 1-d and 2-d operands (batched n-d comes later).

use crate::session::{Arr, Session};
use ir::dtype::promote;
use ir::{Node, Op, Result};

impl Session {
    pub fn matmul(&mut self, a: &Arr, b: &Arr) -> Result<Arr> {
        let (sa, sb) = (a.shape().to_vec(), b.shape().to_vec());
        for (i, s) in [&sa, &sb].iter().enumerate() {
            ir::ensure!(
                !s.is_empty(),
                Value,
                "matmul: Input operand {i} does not have enough dimensions (has 0, gufunc core with signature (n?,k),(k,m?)->(n?,m?) requires 1)"
            );
            ir::ensure!(s.len() <= 2, NotImplemented, "starp's matmul supports 1-d and 2-d operands so far (got {}-d)", s.len());
        }
        let k_a = *sa.last().expect("1-d at least");
        let k_b = if sb.len() == 1 { sb[0] } else { sb[0] };
        ir::ensure!(
            k_a == k_b,
            Value,
            "matmul: Input operand 1 has a mismatch in its core dimension 0, with gufunc signature (n?,k),(k,m?)->(n?,m?) (size {k_b} is different from {k_a})"
        );
        let dtype = promote(a.dtype, b.dtype);
        let a2 = if sa.len() == 1 { self.reshape(a, &[1, k_a as i64])? } else { self.share(a, a.view.clone()) };
        let b2 = if sb.len() == 1 { self.reshape(b, &[k_b as i64, 1])? } else { self.share(b, b.view.clone()) };
        let (m, n) = (a2.shape()[0], b2.shape()[1]);
        let na = self.read(&a2);
        let na = self.cast_node(na, dtype);
        let nb = self.read(&b2);
        let nb = self.cast_node(nb, dtype);
        {
            let mut d = self.drops.lock().unwrap_or_else(|e| e.into_inner());
            d.push(a2.base);
            d.push(b2.base);
        }
        let node = self.graph.add(Node { op: Op::MatMul, inputs: vec![na, nb], shape: vec![m, n], dtype });
        let out = self.new_array(node)?;
        let mut final_shape = vec![];
        if sa.len() == 2 {
            final_shape.push(m as i64);
        }
        if sb.len() == 2 {
            final_shape.push(n as i64);
        }
        if final_shape.len() == 2 {
            return Ok(out);
        }
        let r = self.reshape(&out, &final_shape)?;
        self.drops.lock().unwrap_or_else(|e| e.into_inner()).push(out.base);
        Ok(r)
    }
}
