//! What the fused kernels compute, per element: `(f(x), f'(x))`, three ways.
//!
//! - [`Kernel::eval`]: float64 with the C library's `exp`/`expm1` and branches; used for float64
//!   tensors and as the reference in tests.
//! - [`Kernel::eval_fast`]: the branch-free formulas (selects instead of branches, our own `exp`,
//!   generic over [`Real`]) in float64: within 1e-13 (relative, or absolute below 1) of `eval`,
//!   which tests the formulas apart from float32 rounding (GELU, float32-only, within 4 float32
//!   epsilon). Float32 tensors run it, rounded once, for the kernels that stay in float64.
//! - [`Kernel::eval_f32`]: what a float32 tensor's element computes: the same formulas in float32
//!   for the kernels built on `exp` and GELU ([`Kernel::in_float32`]), within 2 float32 epsilon
//!   of `eval`; `eval_fast` rounded once for the others.

use super::normal::cdf_and_density;
use super::real::Real;

/// `1 / sqrt(2 pi)`.
const INV_SQRT_2PI: f64 = 0.398_942_280_401_432_7;

/// Which function a fused kernel computes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kernel {
    /// `x * sigmoid(beta * x)`.
    Swish {
        /// The fixed beta.
        beta: f64,
    },
    /// `x * tanh(softplus(x))`.
    Mish,
    /// `scale * x` for x > 0, `scale * alpha * (exp(x / width) - 1)` otherwise; f'(0) is the left
    /// branch. SELU (scale lambda, width 1), ELU (scale 1, width 1), CELU (scale 1, width alpha).
    ExpLinear {
        /// Factor of both branches (lambda for SELU).
        scale: f64,
        /// The negative branch tends to `-scale * alpha`.
        alpha: f64,
        /// Divisor of x in the exponential.
        width: f64,
    },
    /// `1 / (1 + exp(-x))`.
    Sigmoid,
    /// `tanh(x)`.
    Tanh,
    /// `x` for x > 0, `slope * x` otherwise; f'(0) = slope.
    LeakyRelu {
        /// Slope for x <= 0.
        slope: f64,
    },
    /// `0.5 x (1 + tanh(k (x + 0.044715 x^3)))` = `x * sigmoid(2k (x + 0.044715 x^3))`,
    /// k = sqrt(2 / pi).
    GeluTanh,
    /// `ln(1 + exp(beta x)) / beta`, and `x` where `beta x > threshold` (PyTorch's convention).
    Softplus {
        /// Sharpness.
        beta: f64,
        /// Above this `beta x`, the result is `x`.
        threshold: f64,
    },
    /// `x * Phi(x)`, Phi the standard normal CDF (`0.5 * erfc(-x / sqrt(2))`).
    Gelu,
    /// `-ln(1 + exp(-x))`.
    LogSigmoid,
    /// `x / (1 + |x|)`.
    Softsign,
    /// `max(x, 0)`; f' = 1 for x > 0, 0 for x <= 0 (the kink takes 0, as PyTorch). NaN passes
    /// through with its gradient, as in burn-flex's and PyTorch's ReLU.
    Relu,
    /// `min(max(x, 0), 6)`; f' = 1 on (0, 6), 0 elsewhere (kinks included, as PyTorch).
    Relu6,
    /// `min(max(x + 3, 0), 6) / 6`; f' = 1/6 on (-3, 3), 0 elsewhere.
    HardSigmoid,
    /// `x * min(max(x + 3, 0), 6) / 6`; f' = 0 for x <= -3, x/3 + 1/2 on (-3, 3), 1 for x >= 3.
    HardSwish,
}

/// sqrt(2 / pi).
const SQRT_2_OVER_PI: f64 = 0.797_884_560_802_865_4;
/// The cubic coefficient of GELU's tanh approximation.
const GELU_CUBIC: f64 = 0.044_715;
/// Beyond |x| = 30 the GELU-tanh gate is exactly 0 or 1 in float64 and float32: its argument is
/// clamped there so that x^3 never overflows.
const GELU_GATE_LIMIT: f64 = 30.0;

/// Above this, mish(x) = x and mish'(x) = 1 in float64 (tanh(softplus(20)) = 1 - 8e-18).
const MISH_LINEAR_ABOVE: f64 = 20.0;

impl Kernel {
    /// `(f(x), f'(x))` for one element, in float64, with branches and the C library's `exp`.
    #[inline]
    pub fn eval(self, x: f64) -> (f64, f64) {
        match self {
            Kernel::Swish { beta } => {
                let z = beta * x;
                let (s, one_minus_s) = sigmoid_pair_exact(z);
                (x * s, s + z * s * one_minus_s)
            }
            Kernel::Mish => {
                if x > MISH_LINEAR_ABOVE {
                    return (x, 1.0);
                }
                let u = x.exp();
                let w = u * (u + 2.0);
                let gate = w / (w + 2.0);
                let sech2 = 4.0 * (w + 1.0) / ((w + 2.0) * (w + 2.0));
                let sigmoid = u / (u + 1.0);
                (x * gate, gate + x * sigmoid * sech2)
            }
            Kernel::ExpLinear { scale, alpha, width } => {
                if x > 0.0 {
                    (scale * x, scale)
                } else {
                    let z = x / width;
                    (scale * alpha * z.exp_m1(), scale * alpha / width * z.exp())
                }
            }
            Kernel::Sigmoid => {
                let (s, one_minus_s) = sigmoid_pair_exact(x);
                (s, s * one_minus_s)
            }
            Kernel::Tanh => {
                let e = (-2.0 * x.abs()).exp();
                (x.tanh(), 4.0 * e / ((1.0 + e) * (1.0 + e)))
            }
            Kernel::LeakyRelu { slope } => {
                if x > 0.0 {
                    (x, 1.0)
                } else {
                    (slope * x, slope)
                }
            }
            Kernel::GeluTanh => {
                let c = x.clamp(-GELU_GATE_LIMIT, GELU_GATE_LIMIT);
                let u = 2.0 * SQRT_2_OVER_PI * (c + GELU_CUBIC * c * c * c);
                let du = 2.0 * SQRT_2_OVER_PI * (1.0 + 3.0 * GELU_CUBIC * c * c);
                let (s, one_minus_s) = sigmoid_pair_exact(u);
                (x * s, s + x * s * one_minus_s * du)
            }
            Kernel::Softplus { beta, threshold } => {
                let z = beta * x;
                if z > threshold {
                    return (x, 1.0);
                }
                let (s, _) = sigmoid_pair_exact(z);
                ((z.max(0.0) + (-z.abs()).exp().ln_1p()) / beta, s)
            }
            Kernel::Gelu => {
                let cdf = 0.5 * libm::erfc(-x * std::f64::consts::FRAC_1_SQRT_2);
                (x * cdf, cdf + x * (-0.5 * x * x).exp() * INV_SQRT_2PI)
            }
            Kernel::LogSigmoid => {
                let (_, one_minus_s) = sigmoid_pair_exact(x);
                (-((-x).max(0.0) + (-x.abs()).exp().ln_1p()), one_minus_s)
            }
            Kernel::Softsign => {
                let d = 1.0 + x.abs();
                (x / d, 1.0 / (d * d))
            }
            Kernel::Relu => relu(x),
            Kernel::Relu6 => (x.clamp(0.0, 6.0), if x > 0.0 && x < 6.0 { 1.0 } else { 0.0 }),
            Kernel::HardSigmoid => {
                ((x + 3.0).clamp(0.0, 6.0) / 6.0, if x > -3.0 && x < 3.0 { 1.0 / 6.0 } else { 0.0 })
            }
            Kernel::HardSwish => {
                let slope = if x <= -3.0 {
                    0.0
                } else if x < 3.0 {
                    x / 3.0 + 0.5
                } else {
                    1.0
                };
                (x * (x + 3.0).clamp(0.0, 6.0) / 6.0, slope)
            }
        }
    }

    /// Whether float32 tensors compute this kernel in float32 ([`Kernel::eval_f32`]): the ones
    /// built on `exp` and GELU. The piecewise-linear ones and softsign stay in float64, where
    /// they are correctly rounded at no cost that matters (they are memory-bound).
    pub fn in_float32(self) -> bool {
        !matches!(
            self,
            Kernel::LeakyRelu { .. }
                | Kernel::Softsign
                | Kernel::Relu
                | Kernel::Relu6
                | Kernel::HardSigmoid
                | Kernel::HardSwish
        )
    }

    /// `(f(x), f'(x))` as a float32 tensor's element computes it: in float32 where
    /// [`Kernel::in_float32`], else [`Kernel::eval_fast`] rounded once.
    #[inline(always)]
    pub fn eval_f32(self, x: f32) -> (f32, f32) {
        let c = |v: f64| v as f32;
        match self {
            Kernel::Swish { beta } => swish(c(beta), x),
            Kernel::Mish => mish(x),
            Kernel::ExpLinear { scale, alpha, width } => {
                exp_linear(c(scale), c(alpha), c(width), x)
            }
            Kernel::Sigmoid => sigmoid(x),
            Kernel::Tanh => tanh(x),
            Kernel::GeluTanh => gelu_tanh(x),
            Kernel::Softplus { beta, threshold } => softplus(c(beta), c(threshold), x),
            Kernel::Gelu => gelu_f32(x),
            Kernel::LogSigmoid => log_sigmoid(x),
            Kernel::LeakyRelu { .. }
            | Kernel::Softsign
            | Kernel::Relu
            | Kernel::Relu6
            | Kernel::HardSigmoid
            | Kernel::HardSwish => {
                let (f, d) = self.eval_fast(x as f64);
                (f as f32, d as f32)
            }
        }
    }

    /// What a float32 kernel pass writes for input `x` and incoming gradient `g`: `(f(x),
    /// g f'(x))`, the product in float32 or, for the float64 kernels, in float64 rounded once.
    #[cfg(test)]
    pub(crate) fn expected_f32(self, x: f32, g: f32) -> (f32, f32) {
        if self.in_float32() {
            let (f, d) = self.eval_f32(x);
            (f, g * d)
        } else {
            let (f, d) = self.eval_fast(x as f64);
            (f as f32, (g as f64 * d) as f32)
        }
    }

    /// `(f(x), f'(x))` without branches or library calls (see the module doc). NaN stays NaN.
    #[inline(always)]
    pub fn eval_fast(self, x: f64) -> (f64, f64) {
        match self {
            Kernel::Swish { beta } => swish(beta, x),
            Kernel::Mish => mish(x),
            Kernel::ExpLinear { scale, alpha, width } => exp_linear(scale, alpha, width, x),
            Kernel::Sigmoid => sigmoid(x),
            Kernel::Tanh => tanh(x),
            Kernel::LeakyRelu { slope } => leaky_relu(slope, x),
            Kernel::GeluTanh => gelu_tanh(x),
            Kernel::Softplus { beta, threshold } => softplus(beta, threshold, x),
            Kernel::Gelu => {
                let (f, d) = gelu_f32(x as f32);
                (f as f64, d as f64)
            }
            Kernel::LogSigmoid => log_sigmoid(x),
            Kernel::Softsign => softsign(x),
            Kernel::Relu => relu(x),
            Kernel::Relu6 => relu6(x),
            Kernel::HardSigmoid => hard_sigmoid(x),
            Kernel::HardSwish => hard_swish(x),
        }
    }
}

/// `(sigmoid(z), 1 - sigmoid(z))`, both to full relative precision, from one `exp(-|z|)`.
#[inline]
fn sigmoid_pair_exact(z: f64) -> (f64, f64) {
    let e = (-z.abs()).exp();
    let big = 1.0 / (1.0 + e);
    let small = e * big;
    if z >= 0.0 { (big, small) } else { (small, big) }
}

/// [`sigmoid_pair_exact`], branch-free.
#[inline(always)]
fn sigmoid_pair<F: Real>(z: F) -> (F, F) {
    let e = (-z.magnitude()).exp();
    let big = F::c(1.0) / (F::c(1.0) + e);
    let small = e * big;
    let positive = z >= F::c(0.0);
    (if positive { big } else { small }, if positive { small } else { big })
}

/// Sigmoid, branch-free.
#[inline(always)]
pub fn sigmoid<F: Real>(x: F) -> (F, F) {
    let (s, one_minus_s) = sigmoid_pair(x);
    (s, s * one_minus_s)
}

/// Tanh, branch-free: `sign(x) (1 - e) / (1 + e)` and `4e / (1 + e)^2` with `e = exp(-2|x|)`,
/// `1 - e` from `expm1` so small |x| keeps its relative precision.
#[inline(always)]
pub fn tanh<F: Real>(x: F) -> (F, F) {
    let (e, e_minus_one) = (F::c(-2.0) * x.magnitude()).exp_and_expm1();
    let magnitude = -e_minus_one / (F::c(2.0) + e_minus_one);
    let one_plus_e = F::c(1.0) + e;
    (if x < F::c(0.0) { -magnitude } else { magnitude }, F::c(4.0) * e / (one_plus_e * one_plus_e))
}

/// Leaky ReLU, branch-free.
#[inline(always)]
pub fn leaky_relu(slope: f64, x: f64) -> (f64, f64) {
    let positive = x > 0.0;
    (if positive { x } else { slope * x }, if positive { 1.0 } else { slope })
}

/// GELU (tanh approximation), branch-free: `x * sigmoid(u)`, `u = 2k (x + 0.044715 x^3)`.
#[inline(always)]
pub fn gelu_tanh<F: Real>(x: F) -> (F, F) {
    let limit = F::c(GELU_GATE_LIMIT);
    let c = if x < -limit { -limit } else { x };
    let c = if c > limit { limit } else { c };
    let (k, cubic) = (F::c(2.0 * SQRT_2_OVER_PI), F::c(GELU_CUBIC));
    let u = k * (c + cubic * c * c * c);
    let du = k * (F::c(1.0) + F::c(3.0) * cubic * c * c);
    let (s, one_minus_s) = sigmoid_pair(u);
    (x * s, s + x * s * one_minus_s * du)
}

/// Softplus, branch-free: `(max(z, 0) + ln(1 + exp(-|z|))) / beta` with `z = beta x`, and `x`
/// above the threshold.
#[inline(always)]
pub fn softplus<F: Real>(beta: F, threshold: F, x: F) -> (F, F) {
    let z = beta * x;
    let linear = z > threshold;
    let (s, _) = sigmoid_pair(z);
    let positive_part = if z > F::c(0.0) { z } else { F::c(0.0) };
    let f = (positive_part + (-z.magnitude()).exp().log1p_unit()) / beta;
    (if linear { x } else { f }, if linear { F::c(1.0) } else { s })
}

/// GELU (erf) for float32 tensors, in float32 arithmetic: `x * Phi(x)`, slope
/// `Phi(x) + x * phi(x)`, branch-free with one `exp` and one division ([`cdf_and_density`]).
/// The only kernel not computed in float64: GELU in float64 (even branch-free) cost 1.4x ReLU's
/// time inside models, this one less than Swish per element. Its error is a few float32
/// epsilon instead of correct rounding (see `normal.rs`; tested).
#[inline(always)]
pub fn gelu_f32(x: f32) -> (f32, f32) {
    let (cdf, density) = cdf_and_density(x);
    (x * cdf, cdf + x * density)
}

/// Log-sigmoid, branch-free: `-softplus(-x)`, slope `1 - sigmoid(x)`.
#[inline(always)]
pub fn log_sigmoid<F: Real>(x: F) -> (F, F) {
    let (_, one_minus_s) = sigmoid_pair(x);
    let negative_part = if x < F::c(0.0) { -x } else { F::c(0.0) };
    (-(negative_part + (-x.magnitude()).exp().log1p_unit()), one_minus_s)
}

/// Softsign, branch-free.
#[inline(always)]
pub fn softsign(x: f64) -> (f64, f64) {
    let d = 1.0 + x.abs();
    (x / d, 1.0 / (d * d))
}

/// `min(max(v, lo), hi)` with selects (NaN stays NaN).
#[inline(always)]
fn clamp(v: f64, lo: f64, hi: f64) -> f64 {
    let low = if v < lo { lo } else { v };
    if low > hi { hi } else { low }
}

/// ReLU, branch-free: `x <= 0` is false for NaN, so NaN keeps its value and its gradient.
#[inline(always)]
pub fn relu(x: f64) -> (f64, f64) {
    let clipped = x <= 0.0;
    (if clipped { 0.0 } else { x }, if clipped { 0.0 } else { 1.0 })
}

/// ReLU6, branch-free.
#[inline(always)]
pub fn relu6(x: f64) -> (f64, f64) {
    (clamp(x, 0.0, 6.0), if x > 0.0 && x < 6.0 { 1.0 } else { 0.0 })
}

/// Hard sigmoid, branch-free.
#[inline(always)]
pub fn hard_sigmoid(x: f64) -> (f64, f64) {
    (clamp(x + 3.0, 0.0, 6.0) / 6.0, if x > -3.0 && x < 3.0 { 1.0 / 6.0 } else { 0.0 })
}

/// Hard swish, branch-free.
#[inline(always)]
pub fn hard_swish(x: f64) -> (f64, f64) {
    let inside = x / 3.0 + 0.5;
    let slope = if x <= -3.0 {
        0.0
    } else if x < 3.0 {
        inside
    } else {
        1.0
    };
    (x * clamp(x + 3.0, 0.0, 6.0) / 6.0, slope)
}

/// Swish, branch-free: the formulas of [`Kernel::eval`] with selects.
#[inline(always)]
pub fn swish<F: Real>(beta: F, x: F) -> (F, F) {
    let z = beta * x;
    let (s, one_minus_s) = sigmoid_pair(z);
    (x * s, s + z * s * one_minus_s)
}

/// Mish, branch-free; one division fewer than [`Kernel::eval`] (`1 / (w + 2)` is shared).
#[inline(always)]
pub fn mish<F: Real>(x: F) -> (F, F) {
    let linear = x > F::c(MISH_LINEAR_ABOVE);
    let u = (if linear { F::c(MISH_LINEAR_ABOVE) } else { x }).exp();
    let (one, two) = (F::c(1.0), F::c(2.0));
    let w = u * (u + two);
    let inv = one / (w + two);
    let gate = w * inv;
    let sech2 = F::c(4.0) * (w + one) * inv * inv;
    let sigmoid = u / (u + one);
    let (f, d) = (x * gate, gate + x * sigmoid * sech2);
    (if linear { x } else { f }, if linear { one } else { d })
}

/// SELU, ELU and CELU, branch-free (see [`Real::exp_and_expm1`] for `expm1` near zero).
#[inline(always)]
pub fn exp_linear<F: Real>(scale: F, alpha: F, width: F, x: F) -> (F, F) {
    // A product with the reciprocal (hoisted out of the loop) instead of a division per element.
    let inverse_width = F::c(1.0) / width;
    let positive = x > F::c(0.0);
    let n = if positive { F::c(0.0) } else { x * inverse_width };
    let (u, expm1) = n.exp_and_expm1();
    let a = scale * alpha;
    let slope = a * inverse_width * u;
    (if positive { scale * x } else { a * expm1 }, if positive { scale } else { slope })
}

/// [`exp_linear`] with `width = 1` (ELU, SELU): two multiplications fewer per element, which
/// the memory-bound SELU pass measurably feels.
#[inline(always)]
pub fn exp_linear_unit_width<F: Real>(scale: F, alpha: F, x: F) -> (F, F) {
    let positive = x > F::c(0.0);
    let n = if positive { F::c(0.0) } else { x };
    let (u, expm1) = n.exp_and_expm1();
    let a = scale * alpha;
    (if positive { scale * x } else { a * expm1 }, if positive { scale } else { a * u })
}

/// One kernel of each kind, some with unusual parameters, for the tests of every pass.
#[cfg(test)]
pub(crate) const EXAMPLES: [Kernel; 19] = [
    Kernel::Swish { beta: 1.0 },
    Kernel::Swish { beta: 2.5 },
    Kernel::Swish { beta: -0.7 },
    Kernel::Mish,
    Kernel::ExpLinear {
        scale: 1.050_700_987_355_480_5,
        alpha: 1.673_263_242_354_377_2,
        width: 1.0,
    },
    Kernel::ExpLinear { scale: 1.0, alpha: 0.5, width: 0.5 },
    Kernel::Sigmoid,
    Kernel::Tanh,
    Kernel::LeakyRelu { slope: 0.01 },
    Kernel::GeluTanh,
    Kernel::Softplus { beta: 1.0, threshold: 20.0 },
    Kernel::Softplus { beta: 2.0, threshold: 5.0 },
    Kernel::Gelu,
    Kernel::LogSigmoid,
    Kernel::Softsign,
    Kernel::Relu,
    Kernel::Relu6,
    Kernel::HardSigmoid,
    Kernel::HardSwish,
];

#[cfg(test)]
mod tests {
    use super::*;

    /// Relative error, or absolute where the reference is below 1.
    fn mixed(a: f64, b: f64) -> f64 {
        (a - b).abs() / b.abs().max(1.0)
    }

    #[test]
    fn fast_agrees_with_the_reference_to_1e_13_and_gelu_to_4_float32_epsilon() {
        let mut points: Vec<f64> = (-200_000..=200_000).map(|i| i as f64 * 5e-4).collect();
        points.extend([
            -1e-6, 1e-6, -1e-5, -9.9e-6, 1e-30, -1e-30, 0.0, -0.0, 19.999, 20.0, 20.001, 700.0,
            -700.0, -1e4, 1e4,
        ]);
        for kernel in EXAMPLES {
            let tolerance = match kernel {
                Kernel::Gelu => 4.0 * f32::EPSILON as f64,
                _ => 1e-13,
            };
            for &x in &points {
                // GELU's fast version takes float32: compare at the same input.
                let x = if kernel == Kernel::Gelu { x as f32 as f64 } else { x };
                let (f, d) = kernel.eval(x);
                let (ff, fd) = kernel.eval_fast(x);
                assert!(mixed(ff, f) < tolerance, "{kernel:?} f({x}): {ff} vs {f}");
                assert!(mixed(fd, d) < tolerance, "{kernel:?} f'({x}): {fd} vs {d}");
            }
        }
    }

    #[test]
    fn float32_kernels_are_within_2_float32_epsilon_of_the_exact_values() {
        // Mixed error (relative, or absolute below 1), as in the golden tests (8 epsilon there).
        let eps = f32::EPSILON as f64;
        let mut points: Vec<f32> = (-400_000..=400_000).map(|i| i as f32 * 1e-4).collect();
        points.extend((-1000..=1000).map(|i| i as f32 * 0.1));
        points.extend([1e-30, -1e-30, 1e-7, -1e-7, 0.0, -0.0, 87.0, -87.0, -103.0, 1e4, -1e4]);
        let mut worst = Vec::new();
        for kernel in EXAMPLES.into_iter().filter(|k| k.in_float32()) {
            let (mut value, mut slope): (f64, f64) = (0.0, 0.0);
            for &x in &points {
                let (f, d) = kernel.eval(x as f64);
                let (ff, fd) = kernel.eval_f32(x);
                value = value.max(mixed(ff as f64, f) / eps);
                slope = slope.max(mixed(fd as f64, d) / eps);
            }
            worst.push((kernel, value, slope));
        }
        // Measured: at most 1.5 for the values, 1.7 for the slopes (GELU's).
        for (kernel, value, slope) in worst {
            assert!(value < 2.0 && slope < 2.0, "{kernel:?}: f {value:.2}, f' {slope:.2} epsilon");
        }
    }

    #[test]
    fn selu_near_zero_keeps_relative_precision() {
        let k = Kernel::ExpLinear { scale: 1.0, alpha: 1.0, width: 1.0 };
        for x in [-1e-30, -1e-12, -3e-6, -1e-5, -1e-3, -1.999e-3, -2e-3, -2.001e-3, -0.01, -0.1] {
            let (f, _) = k.eval_fast(x);
            assert!((f - x.exp_m1()).abs() <= 1e-13 * x.abs(), "{x}: {f} vs {}", x.exp_m1());
            let (t, _) = Kernel::Tanh.eval_fast(x);
            assert!((t - x.tanh()).abs() <= 1e-13 * x.abs(), "tanh {x}: {t} vs {}", x.tanh());
        }
    }

    #[test]
    fn nan_stays_nan() {
        // A piecewise-linear slope is a constant on each side: only its value carries the NaN.
        let piecewise = |k: &Kernel| {
            matches!(
                k,
                Kernel::LeakyRelu { .. }
                    | Kernel::Relu
                    | Kernel::Relu6
                    | Kernel::HardSigmoid
                    | Kernel::HardSwish
            )
        };
        for kernel in EXAMPLES.into_iter().filter(|k| !piecewise(k)) {
            let (f, d) = kernel.eval_fast(f64::NAN);
            assert!(f.is_nan() && d.is_nan(), "{kernel:?}");
        }
    }
}
