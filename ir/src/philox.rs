//! Philox 4x32-10 counter-based generator (Salmon et al., SC'11, Random123) and the per-element
//! draws starp's random module is built on. Element `index` of draw `draw` of a stream seeded with
//! `seed` is a pure function of (seed, draw, index, attempt), so results never depend on how the
//! array is split over ranks or threads.

const M0: u32 = 0xD251_1F53;
const M1: u32 = 0xCD9E_8D57;
const W0: u32 = 0x9E37_79B9;
const W1: u32 = 0xBB67_AE85;
/// 2^-53: maps the top 53 bits of a u64 onto the f64 grid of [0, 1) exactly.
const TWO_POW_M53: f64 = 1.0 / (1u64 << 53) as f64;

#[inline]
fn mulhilo(a: u32, b: u32) -> (u32, u32) {
    let p = a as u64 * b as u64;
    ((p >> 32) as u32, p as u32)
}

#[inline]
fn round(c: [u32; 4], k: [u32; 2]) -> [u32; 4] {
    let (hi0, lo0) = mulhilo(M0, c[0]);
    let (hi1, lo1) = mulhilo(M1, c[2]);
    [hi1 ^ c[1] ^ k[0], lo1, hi0 ^ c[3] ^ k[1], lo0]
}

/// The Philox4x32 bijection with 10 rounds, bit-exact with Random123's `philox4x32_R(10, ..)`.
pub fn philox4x32_10(ctr: [u32; 4], key: [u32; 2]) -> [u32; 4] {
    let mut c = round(ctr, key);
    let mut k = key;
    // Random123 bumps the key *before* each of rounds 2..=10 (nine bumps), never after the last.
    for _ in 1..10 {
        k = [k[0].wrapping_add(W0), k[1].wrapping_add(W1)];
        c = round(c, k);
    }
    c
}

/// One 128-bit block of the stream.
///
/// counter layout: `[index as u32, (index >> 32) as u32, draw as u32, attempt]`;
/// key = `[seed as u32, (seed >> 32) as u32]`. The seed lives in the key (not the counter) so
/// that distinct seeds are distinct permutations rather than overlapping windows of one sequence.
/// Only the low 32 bits of `draw` are used: 2^32 draws per seed is far beyond any program.
pub fn block(seed: u64, draw: u64, index: u64, attempt: u32) -> [u32; 4] {
    philox4x32_10(
        [index as u32, (index >> 32) as u32, draw as u32, attempt],
        [seed as u32, (seed >> 32) as u32],
    )
}

#[inline]
fn word64(lo: u32, hi: u32) -> u64 {
    (hi as u64) << 32 | lo as u64
}

/// Uniform double in [0, 1) with 53 random bits (from words 0 and 1 of attempt 0).
pub fn uniform01(seed: u64, draw: u64, index: u64) -> f64 {
    let b = block(seed, draw, index, 0);
    (word64(b[0], b[1]) >> 11) as f64 * TWO_POW_M53
}

fn normal_from_block(b: [u32; 4]) -> f64 {
    // Shifting the grid up by one ulp keeps u1 away from 0, so ln(u1) is finite (|z| <= ~8.6)
    // without any rejection loop — a normal stays exactly one block per element.
    let u1 = ((word64(b[0], b[1]) >> 11) + 1) as f64 * TWO_POW_M53;
    let u2 = (word64(b[2], b[3]) >> 11) as f64 * TWO_POW_M53;
    (-2.0 * u1.ln()).sqrt() * (core::f64::consts::TAU * u2).cos()
}

/// Standard normal via Box–Muller from one block (words 0,1 -> u1 in (0,1], words 2,3 -> u2 in
/// [0,1)); deterministic, finite for every block. Only the cosine branch is used: pairing the sine
/// branch with a neighbouring element would make an element depend on its partner's index.
pub fn standard_normal(seed: u64, draw: u64, index: u64) -> f64 {
    normal_from_block(block(seed, draw, index, 0))
}

/// Uniform integer in [0, range) (range == 0 means the full 2^64), unbiased: Lemire's
/// multiply-and-reject on 64-bit words (words 0,1 of a block form one u64, words 2,3 a second
/// one); when rejected, continue with the next word / next attempt counter of the SAME element,
/// so rejection never touches another element's sub-stream.
pub fn bounded_u64(seed: u64, draw: u64, index: u64, range: u64) -> u64 {
    let mut attempt = 0u32;
    let mut b = block(seed, draw, index, attempt);
    if range == 0 {
        return word64(b[0], b[1]);
    }
    // Products whose low half falls below 2^64 mod range are the surplus that would bias the
    // result; computing the threshold lazily skips the division on the common accept path.
    let mut threshold: Option<u64> = None;
    let mut second = false;
    loop {
        let x = if second { word64(b[2], b[3]) } else { word64(b[0], b[1]) };
        let m = x as u128 * range as u128;
        let lo = m as u64;
        if lo >= range || lo >= *threshold.get_or_insert_with(|| range.wrapping_neg() % range) {
            return (m >> 64) as u64;
        }
        if second {
            // Each try is rejected with probability < 1/2, so exhausting 2^33 tries is impossible
            // in practice; wrapping keeps the function total rather than panicking.
            attempt = attempt.wrapping_add(1);
            b = block(seed, draw, index, attempt);
        }
        second = !second;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Random123 `philox4x32 10` known answers: (counter, key, expected). Copied from
    /// DEShawResearch/Random123-Boost libs/random/test/test_philox.cpp @ 916db91a ("cut-and-pasted
    /// from the kat_vectors file in the original Random123 distribution"); identical to the
    /// `tests/kat_vectors` rows quoted elsewhere.
    const KAT: [([u32; 4], [u32; 2], [u32; 4]); 3] = [
        ([0, 0, 0, 0], [0, 0], [0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8]),
        ([0xffffffff; 4], [0xffffffff; 2], [0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd]),
        (
            [0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344],
            [0xa4093822, 0x299f31d0],
            [0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1],
        ),
    ];

    #[test]
    fn philox_known_answers() {
        for (ctr, key, want) in KAT {
            assert_eq!(philox4x32_10(ctr, key), want, "ctr={ctr:08x?} key={key:08x?}");
        }
        // Ties the public counter/key layout to the cipher: seed 0, draw 0, index 0 is KAT 1.
        assert_eq!(block(0, 0, 0, 0), KAT[0].2);
    }

    #[test]
    fn uniform01_range_and_mean() {
        let n = 100_000u64;
        let mut sum = 0.0;
        for i in 0..n {
            let u = uniform01(42, 7, i);
            assert!((0.0..1.0).contains(&u), "u={u}");
            sum += u;
        }
        // sd of the mean is sqrt(1/12/n) ~ 0.0009; 0.005 is > 5 sigma.
        assert!((sum / n as f64 - 0.5).abs() < 0.005);
    }

    #[test]
    fn standard_normal_moments() {
        let n = 100_000u64;
        let (mut s1, mut s2) = (0.0, 0.0);
        for i in 0..n {
            let z = standard_normal(0xDEAD_BEEF_0000_0001, 3, i);
            assert!(z.is_finite());
            s1 += z;
            s2 += z * z;
        }
        let mean = s1 / n as f64;
        let var = s2 / n as f64 - mean * mean;
        assert!(mean.abs() < 0.02, "mean={mean}");
        assert!((var - 1.0).abs() < 0.03, "var={var}");
        // The extreme blocks are where a naive Box–Muller would produce ln(0) = -inf.
        for b in [[0; 4], [u32::MAX; 4], [0, 0, u32::MAX, u32::MAX], [u32::MAX, u32::MAX, 0, 0]] {
            let z = normal_from_block(b);
            assert!(z.is_finite() && z.abs() < 9.0, "z={z}");
        }
    }

    #[test]
    fn bounded_in_range() {
        let ranges = [1u64, 3, 7, (1 << 63) + 5, u64::MAX];
        for &r in &ranges {
            for i in 0..20_000 {
                assert!(bounded_u64(9, 1, i, r) < r, "range={r}");
            }
        }
        assert!((0..1000).all(|i| bounded_u64(9, 1, i, 1) == 0));
        // range 0 is the raw word: must cover the top half of u64 too.
        assert!((0..1000).any(|i| bounded_u64(9, 1, i, 0) > u64::MAX / 2));
    }

    #[test]
    fn bounded_buckets_range_10() {
        let n = 100_000u64;
        let mut counts = [0u64; 10];
        for i in 0..n {
            counts[bounded_u64(1234, 0, i, 10) as usize] += 1;
        }
        let e = n as f64 / 10.0;
        let chi2: f64 = counts.iter().map(|&c| (c as f64 - e).powi(2) / e).sum();
        // 9 degrees of freedom: P(chi2 > 27.9) = 0.001.
        assert!(chi2 < 27.9, "chi2={chi2} counts={counts:?}");
    }

    #[test]
    fn deterministic() {
        for i in [0u64, 1, 77, u32::MAX as u64 + 3, u64::MAX] {
            assert_eq!(block(5, 6, i, 2), block(5, 6, i, 2));
            assert_eq!(uniform01(5, 6, i).to_bits(), uniform01(5, 6, i).to_bits());
            assert_eq!(standard_normal(5, 6, i).to_bits(), standard_normal(5, 6, i).to_bits());
            // (1<<63)+5 rejects about half the time, so this exercises the retry path.
            let r = (1u64 << 63) + 5;
            assert_eq!(bounded_u64(5, 6, i, r), bounded_u64(5, 6, i, r));
        }
        // The high half of the index must reach the cipher, or elements 2^32 apart would collide.
        assert_ne!(block(5, 6, 1, 0), block(5, 6, 1 + (1 << 32), 0));
        assert_ne!(uniform01(5, 6, 0), uniform01(6, 6, 0));
        assert_ne!(uniform01(5, 6, 0), uniform01(5, 7, 0));
    }
}
