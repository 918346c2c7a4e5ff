//! A branch-free `exp` in float64, so that loops over float32 tensors vectorise (a call to the C
//! library's `exp` per element cannot).
//!
//! Method (Cody and Waite): `exp(x) = 2^k * exp(r)` with `k = round(x / ln 2)` and
//! `r = x - k ln 2` in `[-ln2/2, ln2/2]`, `ln 2` split in two so `k * LN2_HI` is exact; `exp(r)` is
//! its Taylor polynomial to degree 11 (truncation error below `0.347^12 / 12! = 7e-15`); `2^k` is
//! built from its bits. Rounding `x / ln 2` uses the `1.5 * 2^52` shift, so no float-to-int
//! conversion is needed. Relative error below 1e-14 (tested against `f64::exp`), far inside
//! float32's 6e-8, so float32 results round as from the exact value in all but rare near-ties.

/// Inputs are clamped to `[MIN_X, MAX_X]`, where `2^k` is a normal float64.
pub const MIN_X: f64 = -708.0;
/// Upper clamp.
pub const MAX_X: f64 = 708.0;

const LN2_HI: f64 = 6.931_471_803_691_238e-1;
const LN2_LO: f64 = 1.908_214_929_270_587_7e-10;
const SHIFT: f64 = 6_755_399_441_055_744.0; // 1.5 * 2^52: adding it rounds to an integer

/// `1 / n!` for n = 11 down to 2.
const TAYLOR: [f64; 10] = [
    1.0 / 39_916_800.0,
    1.0 / 3_628_800.0,
    1.0 / 362_880.0,
    1.0 / 40_320.0,
    1.0 / 5_040.0,
    1.0 / 720.0,
    1.0 / 120.0,
    1.0 / 24.0,
    1.0 / 6.0,
    1.0 / 2.0,
];

/// `exp(x)` for `x` in `[MIN_X, MAX_X]` (outside, the clamped value); NaN stays NaN.
#[inline(always)]
pub fn exp(x: f64) -> f64 {
    // Comparisons, not min/max, so that NaN passes through.
    let x = if x < MIN_X { MIN_X } else { x };
    let x = if x > MAX_X { MAX_X } else { x };
    let shifted = x * std::f64::consts::LOG2_E + SHIFT;
    let k = shifted - SHIFT;
    let r = (x - k * LN2_HI) - k * LN2_LO;
    let mut p = TAYLOR[0];
    for c in &TAYLOR[1..] {
        p = p * r + c;
    }
    let p = (p * r + 1.0) * r + 1.0;
    // In [2^52, 2^53) consecutive floats are consecutive integers, so the bit difference is k.
    let k_int = shifted.to_bits() as i64 - SHIFT.to_bits() as i64;
    p * f64::from_bits(((k_int + 1023) as u64) << 52)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_library_exp_to_1e_14() {
        let mut worst: f64 = 0.0;
        let n = 200_000;
        for i in 0..=n {
            let x = MIN_X + (MAX_X - MIN_X) * i as f64 / n as f64;
            worst = worst.max((exp(x) - x.exp()).abs() / x.exp());
        }
        for x in [
            0.0,
            1e-300,
            -1e-20,
            0.5,
            -0.5,
            1.0,
            -1.0,
            0.346_573_590_279_972_6,
            -87.3,
            88.7,
            -103.9,
        ] {
            worst = worst.max((exp(x) - x.exp()).abs() / x.exp());
        }
        assert!(worst < 1e-14, "worst relative error {worst:e}");
        assert_eq!(exp(0.0), 1.0);
    }

    #[test]
    fn clamps_and_keeps_nan() {
        assert!(exp(f64::NAN).is_nan());
        assert_eq!(exp(-1e9), exp(MIN_X));
        assert!(exp(f64::NEG_INFINITY) < 1e-300);
        assert!(exp(f64::INFINITY).is_finite());
    }
}
