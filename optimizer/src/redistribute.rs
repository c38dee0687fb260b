//! The one redistribution planner: intersect what each rank holds with what each rank needs.
//!
//! Transposes, shifted slices, broadcasts, gathers and reduction halos all become this: rank `s`
//! sends rank `d` the intersection of its box with the box `d` needs. A rank that already holds
//! what it needs receives from itself (a local copy, no message).

use ir::layout::{box_numel, intersect, IBox};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transfer {
    pub src: usize,
    pub dst: usize,
    pub region: IBox,
}

/// Every (source, destination, box) to move so that rank `d` holds `need[d]`. When several ranks
/// hold a piece (replicated data) the piece comes from the destination itself if it has it, else
/// from the lowest rank that does, so nothing is sent twice.
pub fn plan_redistribution(have: &[IBox], need: &[IBox]) -> Vec<Transfer> {
    let mut out = Vec::new();
    for (d, want) in need.iter().enumerate() {
        if box_numel(want) == 0 {
            continue;
        }
        // Pieces still missing, as boxes; carve out what each source provides.
        let mut missing = vec![want.clone()];
        let order = std::iter::once(d).chain((0..have.len()).filter(|&s| s != d));
        for s in order {
            let mut still = Vec::new();
            for m in missing {
                match intersect(&m, &have[s]) {
                    None => still.push(m),
                    Some(got) => {
                        out.push(Transfer { src: s, dst: d, region: got.clone() });
                        still.extend(subtract(&m, &got));
                    }
                }
            }
            missing = still;
            if missing.is_empty() {
                break;
            }
        }
        debug_assert!(missing.is_empty(), "rank {d} needs data that no rank holds: {missing:?}");
    }
    out
}

/// `a` minus `b` (b inside a) as disjoint boxes.
fn subtract(a: &IBox, b: &IBox) -> Vec<IBox> {
    let mut out = Vec::new();
    let mut rest = a.clone();
    for k in 0..a.len() {
        if rest[k].0 < b[k].0 {
            let mut p = rest.clone();
            p[k] = (rest[k].0, b[k].0);
            out.push(p);
        }
        if b[k].1 < rest[k].1 {
            let mut p = rest.clone();
            p[k] = (b[k].1, rest[k].1);
            out.push(p);
        }
        rest[k] = b[k];
    }
    out.retain(|p| box_numel(p) > 0);
    out
}

/// Bytes that cross between ranks (self-transfers are local copies).
pub fn bytes_moved(transfers: &[Transfer], itemsize: usize) -> usize {
    transfers.iter().filter(|t| t.src != t.dst).map(|t| box_numel(&t.region) * itemsize).sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ir::layout::Layout;

    #[test]
    fn transpose_of_blocks_is_all_to_all() {
        // A (4, 4) array in row blocks, read transposed: rank d needs columns of its rows.
        let have = Layout::block0(&[4, 4], 2).boxes;
        let need = vec![vec![(0, 4), (0, 2)], vec![(0, 4), (2, 4)]];
        let t = plan_redistribution(&have, &need);
        assert_eq!(t.len(), 4);
        assert_eq!(bytes_moved(&t, 8), 2 * 4 * 8);
    }

    #[test]
    fn replicated_sources_are_read_locally() {
        let have = Layout::replicated(&[6], 3).boxes;
        let need = Layout::block0(&[6], 3).boxes;
        let t = plan_redistribution(&have, &need);
        assert!(t.iter().all(|t| t.src == t.dst));
    }

    #[test]
    fn halo_comes_from_the_neighbour() {
        let have = Layout::block0(&[10], 2).boxes;
        let need = vec![vec![(0, 6)], vec![(4, 10)]];
        let t = plan_redistribution(&have, &need);
        assert!(t.contains(&Transfer { src: 1, dst: 0, region: vec![(5, 6)] }));
        assert!(t.contains(&Transfer { src: 0, dst: 1, region: vec![(4, 5)] }));
    }
}
