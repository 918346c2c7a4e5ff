//! The standard normal distribution's CDF and density for GELU's float32 kernels, branch-free
//! and in float32 arithmetic: one `exp`, one division and a polynomial per element, so the loops
//! vectorise with twice float64's lanes (GELU in float64, even branch-free, cost 1.4x ReLU's time
//! inside models; this costs less than Swish per element).
//!
//! Method: with `z = |x| / sqrt(2)`, the lower tail is `Phi(-|x|) = erfc(z) / 2` and
//! `erfc(z) = exp(-z^2) erfcx(z)`, where `erfcx`, the scaled complementary error function, is
//! smooth and bounded on `[0, inf)`. With `t = 1 / (1 + P z)`, which maps `[0, inf)` onto
//! `(0, 1]`, `erfcx(z) / t` is a polynomial of degree 11 in `t`: a weighted least-squares
//! Chebyshev fit, relative error 2.2e-8 with its coefficients rounded to float32
//! (`scripts/fit_erfcx.py` makes it). The factor `exp(-x^2 / 2)` ([`gaussian`]) is shared with
//! the density; `Phi(x) = 1 - Phi(-x)` for `x > 0`.
//!
//! Error against the C library's `erfc` and `exp` in float64 (tested; float32 epsilon 1.2e-7):
//! absolute below 2 epsilon; relative, for the lower tail and the density, below 5 epsilon
//! (measured 4.2 near `x = -0.85`, where the rounding of `t` is amplified about 3x), down to
//! `x = -13.2`, below which they are subnormal (and 0 beyond `|x| = 14.4`). So the left
//! tail keeps its relative precision, which `1 + erf(x / sqrt(2))` would lose; the results are
//! not correctly rounded, as the other kernels' (computed in float64) are, but well within the
//! golden tests' 8 epsilon.

// The fitted coefficients as the script prints them (each rounds to the same float32).
#![allow(clippy::excessive_precision)]

use super::real::exp_f32_split;

/// `t = 1 / (1 + P z)`.
const P: f32 = 0.35;

/// `erfcx(z) / t` as a polynomial in `t`, coefficients from degree 0 up
/// (`scripts/fit_erfcx.py`); the constant term is the limit `P / sqrt(pi)` at `z = inf`.
const Q: [f32; 12] = [
    0.19746635854244232,
    0.19746620953083038,
    0.18537934124469757,
    0.1610124111175537,
    0.12900233268737793,
    0.07542620599269867,
    0.09818772971630096,
    -0.11298384517431259,
    0.2138175517320633,
    -0.23851501941680908,
    0.1137542799115181,
    -0.02001354843378067,
];

/// `1 / sqrt(2 pi)`.
const INV_SQRT_2PI: f32 = 0.398_942_28;

/// Below this `-x^2 / 2` the Gaussian is under float32's smallest subnormal: 0.
const GAUSSIAN_MIN_EXPONENT: f32 = -104.0;

/// `(Phi(x), phi(x))`, the standard normal CDF and density; NaN stays NaN.
#[inline(always)]
pub fn cdf_and_density(x: f32) -> (f32, f32) {
    let gaussian = gaussian(x);
    let t = 1.0 / (1.0 + P * (x.abs() * std::f32::consts::FRAC_1_SQRT_2));
    let t2 = t * t;
    let t4 = t2 * t2;
    let t8 = t4 * t4;
    // Estrin's scheme (pairs, then pairs of pairs with t^2, t^4, t^8): five multiply-adds deep
    // instead of Horner's eleven, so the CPU overlaps them instead of waiting on latency; each a
    // fused multiply-add (one rounding; the loops are compiled with FMA where the CPU has it).
    let degree1 = |i: usize| t.mul_add(Q[i + 1], Q[i]);
    let degree3 = |i: usize| t2.mul_add(degree1(i + 2), degree1(i));
    let degree7 = |i: usize| t4.mul_add(degree3(i + 4), degree3(i));
    let polynomial = t8.mul_add(degree3(8), degree7(0));
    let lower_tail = 0.5 * gaussian * (t * polynomial);
    // `x < 0` is false for NaN, and `1 - NaN` is NaN.
    let cdf = if x < 0.0 { lower_tail } else { 1.0 - lower_tail };
    (cdf, gaussian * INV_SQRT_2PI)
}

/// `exp(-x^2 / 2)` in float32, to about one unit in the last place: `x^2` is kept exactly as
/// `hi^2 + (x - hi)(x + hi)`, `hi` being `x` with its low 12 significand bits cleared (so `hi^2`
/// is exact; the method of musl's `erfcf`), and the small second part joins the reduced argument
/// of the float32 `exp`.
#[inline(always)]
fn gaussian(x: f32) -> f32 {
    let hi = f32::from_bits(x.to_bits() & 0xffff_f000);
    let exponent = -0.5 * (hi * hi); // exact
    let low_part = -0.5 * ((x - hi) * (x + hi));
    // A comparison that is false for NaN, so NaN passes through (and infinities give 0, not
    // the NaN of `inf - inf` in `low_part`).
    if exponent < GAUSSIAN_MIN_EXPONENT { 0.0 } else { exp_f32_split(exponent, low_part) }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EPS: f64 = f32::EPSILON as f64;

    /// `(Phi(x), phi(x))` in float64 from the C library.
    fn reference(x: f64) -> (f64, f64) {
        let cdf = 0.5 * libm::erfc(-x * std::f64::consts::FRAC_1_SQRT_2);
        (cdf, (-0.5 * x * x).exp() / (2.0 * std::f64::consts::PI).sqrt())
    }

    #[test]
    fn within_2_epsilon_absolute_and_5_relative_in_the_lower_tail_and_density() {
        let (mut relative, mut absolute): (f64, f64) = (0.0, 0.0);
        let n = 2_000_000;
        for i in 0..=n {
            let x = (-14.0 + 28.0 * i as f64 / n as f64) as f32;
            let (cdf, density) = cdf_and_density(x);
            let (exact_cdf, exact_density) = reference(x as f64);
            absolute = absolute.max((cdf as f64 - exact_cdf).abs() / EPS);
            // Relative where float32 has normal numbers: the lower tail, and the density.
            if x <= 0.0 && exact_cdf > 1e-36 {
                relative = relative.max((cdf as f64 - exact_cdf).abs() / exact_cdf / EPS);
            }
            if exact_density > 1e-36 {
                relative =
                    relative.max((density as f64 - exact_density).abs() / exact_density / EPS);
            }
        }
        assert!(absolute < 2.0, "absolute error up to {absolute} epsilon");
        assert!(relative < 5.0, "relative error up to {relative} epsilon");
    }

    #[test]
    fn keeps_nan_and_the_limits() {
        let (cdf, density) = cdf_and_density(f32::NAN);
        assert!(cdf.is_nan() && density.is_nan());
        assert_eq!(cdf_and_density(f32::INFINITY), (1.0, 0.0));
        assert_eq!(cdf_and_density(f32::NEG_INFINITY), (0.0, 0.0));
        assert_eq!(cdf_and_density(15.0), (1.0, 0.0));
        assert_eq!(cdf_and_density(-15.0), (0.0, 0.0));
        assert_eq!(cdf_and_density(0.0), (0.5, INV_SQRT_2PI));
    }
}
