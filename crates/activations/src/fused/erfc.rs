//! A branch-free `erfc` in float64, so that GELU's loops over float32 tensors vectorise (the C
//! library's `erfc` branches on the argument's range, and a call per element cannot vectorise).
//!
//! Method: the rational approximations of FreeBSD's and musl's `erfc` (Sun Microsystems, 1993;
//! the `libm` crate's `erf.rs`), four ranges of `|z|`:
//! - `|z| < 0.84375`: `erfc(z) = 1 - z - z R(z^2)`;
//! - `[0.84375, 1.25)`: `erfc(|z|) = 1 - erx - P(|z| - 1) / Q(|z| - 1)`;
//! - `[1.25, 1 / 0.35)` and `[1 / 0.35, 28)`: `erfc(|z|) = exp(-z^2 - 0.5625 + R(1/z^2) / S(1/z^2)) / |z|`;
//!
//! and `erfc(z) = 2 - erfc(|z|)` for negative `z` outside the first range. Every range is
//! computed for every element and the right one selected. `exp` is our branch-free one, whose
//! argument is `-z^2 - 0.5625 + ...` as one float64 sum (the library splits `z^2` to keep 1e-16
//! there; we lose about `z^2 * 2e-16`). Relative error against the library's `erfc` below
//! `1e-14 + 3e-16 z^2` (tested): under 4e-14 for `|z| < 10`, beyond which GELU's float32 result
//! is zero; far inside float32's 6e-8 everywhere.

// The constants exactly as the library publishes them (each rounds to the same float64).
#![allow(clippy::excessive_precision)]

use super::exp::exp;

const ERX: f64 = 8.45062911510467529297e-01;
/// Small range: `R(z^2) = PP(z^2) / QQ(z^2)`, coefficients from degree 0 up.
const PP: [f64; 5] = [
    1.28379167095512558561e-01,
    -3.25042107247001499370e-01,
    -2.84817495755985104766e-02,
    -5.77027029648944159157e-03,
    -2.37630166566501626084e-05,
];
const QQ: [f64; 6] = [
    1.0,
    3.97917223959155352819e-01,
    6.50222499887672944485e-02,
    5.08130628187576562776e-03,
    1.32494738004321644526e-04,
    -3.96022827877536812320e-06,
];
/// Range around 1: `P(s) / Q(s)` with `s = |z| - 1`.
const PA: [f64; 7] = [
    -2.36211856075265944077e-03,
    4.14856118683748331666e-01,
    -3.72207876035701323847e-01,
    3.18346619901161753674e-01,
    -1.10894694282396677476e-01,
    3.54783043256182359371e-02,
    -2.16637559486879084300e-03,
];
const QA: [f64; 7] = [
    1.0,
    1.06420880400844228286e-01,
    5.40397917702171048937e-01,
    7.18286544141962662868e-02,
    1.26171219808761642112e-01,
    1.36370839120290507362e-02,
    1.19844998467991074170e-02,
];
/// First tail range: `R(s) / S(s)` with `s = 1 / z^2`.
const RA: [f64; 8] = [
    -9.86494403484714822705e-03,
    -6.93858572707181764372e-01,
    -1.05586262253232909814e+01,
    -6.23753324503260060396e+01,
    -1.62396669462573470355e+02,
    -1.84605092906711035994e+02,
    -8.12874355063065934246e+01,
    -9.81432934416914548592e+00,
];
const SA: [f64; 9] = [
    1.0,
    1.96512716674392571292e+01,
    1.37657754143519042600e+02,
    4.34565877475229228821e+02,
    6.45387271733267880336e+02,
    4.29008140027567833386e+02,
    1.08635005541779435134e+02,
    6.57024977031928170135e+00,
    -6.04244152148580987438e-02,
];
/// Second tail range, the same form.
const RB: [f64; 7] = [
    -9.86494292470009928597e-03,
    -7.99283237680523006574e-01,
    -1.77579549177547519889e+01,
    -1.60636384855821916062e+02,
    -6.37566443368389627722e+02,
    -1.02509513161107724954e+03,
    -4.83519191608651397019e+02,
];
const SB: [f64; 8] = [
    1.0,
    3.03380607434824582924e+01,
    3.25792512996573918826e+02,
    1.53672958608443695994e+03,
    3.19985821950859553908e+03,
    2.55305040643316442583e+03,
    4.74528541206955367215e+02,
    -2.24409524465858183362e+01,
];

/// Where the ranges meet.
const SMALL_BELOW: f64 = 0.843_75;
const NEAR_ONE_BELOW: f64 = 1.25;
const FIRST_TAIL_BELOW: f64 = 1.0 / 0.35;
/// From here on `erfc(|z|)` is below float64's smallest normal; the argument is clamped.
const TAIL_CLAMP: f64 = 27.0;

/// Numerator and denominator coefficients of one range, padded with zeros to one length.
struct Ratio {
    numerator: [f64; 8],
    denominator: [f64; 9],
}

const fn padded<const N: usize, const M: usize>(c: [f64; N]) -> [f64; M] {
    let mut out = [0.0; M];
    let mut i = 0;
    while i < N {
        out[i] = c[i];
        i += 1;
    }
    out
}

/// The four ranges' rational functions, in order: small, near one, first tail, second tail.
const RATIOS: [Ratio; 4] = [
    Ratio { numerator: padded(PP), denominator: padded(QQ) },
    Ratio { numerator: padded(PA), denominator: padded(QA) },
    Ratio { numerator: padded(RA), denominator: SA },
    Ratio { numerator: padded(RB), denominator: padded(SB) },
];

/// `c0 + v (c1 + v (c2 + ...))`, written out: a loop here kept LLVM from vectorising the
/// loops that call [`erfc`].
macro_rules! horner {
    ($v:expr; $c:expr) => { $c };
    ($v:expr; $c:expr, $($rest:expr),+) => { $c + $v * horner!($v; $($rest),+) };
}

/// `erfc(z)`, branch-free; NaN stays NaN. Each element picks its range's coefficients and
/// variable by selects, so one rational function (one division) serves all four ranges.
#[inline(always)]
pub fn erfc(z: f64) -> f64 {
    let a = z.abs();
    // A comparison, not min, so that NaN passes through.
    let t = if a > TAIL_CLAMP { TAIL_CLAMP } else { a };
    let (small, near_one, first_tail) = (a < SMALL_BELOW, a < NEAR_ONE_BELOW, t < FIRST_TAIL_BELOW);
    let variable = if small {
        z * z
    } else if near_one {
        a - 1.0
    } else {
        1.0 / (t * t)
    };
    let n = |i: usize| pick_at(small, near_one, first_tail, |r| r.numerator[i]);
    let d = |i: usize| pick_at(small, near_one, first_tail, |r| r.denominator[i]);
    let v = variable;
    let numerator = horner!(v; n(0), n(1), n(2), n(3), n(4), n(5), n(6), n(7));
    let denominator = horner!(v; d(0), d(1), d(2), d(3), d(4), d(5), d(6), d(7), d(8));
    let ratio = numerator / denominator;
    // |z| < 0.84375: 1 - (z + z R); the library's 0.5 - (z - 0.5 + z R) for z >= 1/4 keeps
    // the same accuracy where the result is below 1/2.
    let small_value = if z >= 0.25 { 0.5 - (z - 0.5 + z * ratio) } else { 1.0 - (z + z * ratio) };
    let tail = exp(-t * t - 0.5625 + ratio) / t;
    let positive = if near_one { 1.0 - ERX - ratio } else { tail };
    let signed = if z < 0.0 { 2.0 - positive } else { positive };
    if small { small_value } else { signed }
}

/// One coefficient, chosen by the element's range.
#[inline(always)]
fn pick_at(small: bool, near_one: bool, first_tail: bool, k: impl Fn(&Ratio) -> f64) -> f64 {
    let tail = if first_tail { k(&RATIOS[2]) } else { k(&RATIOS[3]) };
    let middle = if near_one { k(&RATIOS[1]) } else { tail };
    if small { k(&RATIOS[0]) } else { middle }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_library_erfc_within_the_stated_error() {
        let bound = |z: f64| 1e-14 + 3e-16 * z * z;
        let mut worst: f64 = 0.0;
        let n = 400_000;
        for i in 0..=n {
            // -6 to 26.5: beyond, erfc is 2 or below 1e-300 (float32 GELU is x or 0 long before).
            let z = -6.0 + 32.5 * i as f64 / n as f64;
            let reference = libm::erfc(z);
            worst = worst.max((erfc(z) - reference).abs() / reference / bound(z));
        }
        for z in [0.0, 1e-300, -1e-20, 0.25, SMALL_BELOW, NEAR_ONE_BELOW, FIRST_TAIL_BELOW, 10.0] {
            for z in [z, -z, z.next_up(), z.next_down()] {
                let reference = libm::erfc(z);
                worst = worst.max((erfc(z) - reference).abs() / reference / bound(z));
            }
        }
        assert!(worst < 1.0, "relative error up to {worst} times 1e-14 + 3e-16 z^2");
    }

    #[test]
    fn keeps_nan_and_the_limits() {
        assert!(erfc(f64::NAN).is_nan());
        assert_eq!(erfc(f64::NEG_INFINITY), 2.0);
        assert!(erfc(f64::INFINITY) < 1e-300);
        assert!(erfc(40.0) < 1e-300);
    }
}
