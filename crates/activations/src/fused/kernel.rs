//! What the fused kernels compute, per element: `(f(x), f'(x))`, twice.
//!
//! - [`Kernel::eval`]: float64 with the C library's `exp`/`expm1` and branches; used for float64
//!   tensors and as the reference in tests.
//! - [`Kernel::eval_fast`]: float64 with the branch-free [`exp`](super::exp::exp) and selects
//!   instead of branches, so loops over float32 tensors vectorise. Within 1e-13 (relative, or
//!   absolute below 1) of `eval`, so float32 results agree with `eval`'s except at rare near-ties.

use super::exp::exp;

/// Which function a fused kernel computes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kernel {
    /// `x * sigmoid(beta * x)`.
    Swish { beta: f64 },
    /// `x * tanh(softplus(x))`.
    Mish,
    /// `lambda * x` for x > 0, `lambda * alpha * (exp(x) - 1)` otherwise; f'(0) is the left branch.
    Selu { lambda: f64, alpha: f64 },
}

/// Above this, mish(x) = x and mish'(x) = 1 in float64 (tanh(softplus(20)) = 1 - 8e-18).
const MISH_LINEAR_ABOVE: f64 = 20.0;

impl Kernel {
    /// `(f(x), f'(x))` for one element, in float64, with branches and the C library's `exp`.
    #[inline]
    pub fn eval(self, x: f64) -> (f64, f64) {
        match self {
            Kernel::Swish { beta } => {
                let z = beta * x;
                // sigmoid(z) and 1 - sigmoid(z) from exp(-|z|), both to full relative precision.
                let e = (-z.abs()).exp();
                let big = 1.0 / (1.0 + e);
                let small = e * big;
                let (s, one_minus_s) = if z >= 0.0 { (big, small) } else { (small, big) };
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
            Kernel::Selu { lambda, alpha } => {
                if x > 0.0 {
                    (lambda * x, lambda)
                } else {
                    (lambda * alpha * x.exp_m1(), lambda * alpha * x.exp())
                }
            }
        }
    }

    /// `(f(x), f'(x))` without branches or library calls (see the module doc). NaN stays NaN.
    #[inline(always)]
    pub fn eval_fast(self, x: f64) -> (f64, f64) {
        match self {
            Kernel::Swish { beta } => swish(beta, x),
            Kernel::Mish => mish(x),
            Kernel::Selu { lambda, alpha } => selu(lambda, alpha, x),
        }
    }
}

/// Swish, branch-free: the formulas of [`Kernel::eval`] with selects.
#[inline(always)]
pub fn swish(beta: f64, x: f64) -> (f64, f64) {
    let z = beta * x;
    let e = exp(-z.abs());
    let big = 1.0 / (1.0 + e);
    let small = e * big;
    let positive = z >= 0.0;
    let s = if positive { big } else { small };
    let one_minus_s = if positive { small } else { big };
    (x * s, s + z * s * one_minus_s)
}

/// Mish, branch-free; one division fewer than [`Kernel::eval`] (`1 / (w + 2)` is shared).
#[inline(always)]
pub fn mish(x: f64) -> (f64, f64) {
    let linear = x > MISH_LINEAR_ABOVE;
    let u = exp(if linear { MISH_LINEAR_ABOVE } else { x });
    let w = u * (u + 2.0);
    let inv = 1.0 / (w + 2.0);
    let gate = w * inv;
    let sech2 = 4.0 * (w + 1.0) * inv * inv;
    let sigmoid = u / (u + 1.0);
    let (f, d) = (x * gate, gate + x * sigmoid * sech2);
    (if linear { x } else { f }, if linear { 1.0 } else { d })
}

/// SELU, branch-free. `exp(x) - 1` has an absolute error of about 1e-16, too much relative to a
/// tiny result, so for |x| < 2e-3 the Taylor polynomial of `expm1` to degree 5 is used instead
/// (relative error below `|x|^5 / 720 = 5e-17` there; `exp(x) - 1` is within 6e-14 beyond it).
#[inline(always)]
pub fn selu(lambda: f64, alpha: f64, x: f64) -> (f64, f64) {
    let positive = x > 0.0;
    let n = if positive { 0.0 } else { x };
    let u = exp(n);
    let taylor =
        n * (1.0 + n * (1.0 / 2.0 + n * (1.0 / 6.0 + n * (1.0 / 24.0 + n * (1.0 / 120.0)))));
    let expm1 = if n > -2e-3 { taylor } else { u - 1.0 };
    let scale = lambda * alpha;
    (if positive { lambda * x } else { scale * expm1 }, if positive { lambda } else { scale * u })
}

#[cfg(test)]
mod tests {
    use super::*;

    const KERNELS: [Kernel; 5] = [
        Kernel::Swish { beta: 1.0 },
        Kernel::Swish { beta: 2.5 },
        Kernel::Swish { beta: -0.7 },
        Kernel::Mish,
        Kernel::Selu { lambda: 1.050_700_987_355_480_5, alpha: 1.673_263_242_354_377_2 },
    ];

    /// Relative error, or absolute where the reference is below 1.
    fn mixed(a: f64, b: f64) -> f64 {
        (a - b).abs() / b.abs().max(1.0)
    }

    #[test]
    fn fast_agrees_with_the_reference_to_1e_13() {
        let mut points: Vec<f64> = (-200_000..=200_000).map(|i| i as f64 * 5e-4).collect();
        points.extend([
            -1e-6, 1e-6, -1e-5, -9.9e-6, 1e-30, -1e-30, 0.0, -0.0, 19.999, 20.0, 20.001, 700.0,
            -700.0, -1e4, 1e4,
        ]);
        for kernel in KERNELS {
            for &x in &points {
                let (f, d) = kernel.eval(x);
                let (ff, fd) = kernel.eval_fast(x);
                assert!(mixed(ff, f) < 1e-13, "{kernel:?} f({x}): {ff} vs {f}");
                assert!(mixed(fd, d) < 1e-13, "{kernel:?} f'({x}): {fd} vs {d}");
            }
        }
    }

    #[test]
    fn selu_near_zero_keeps_relative_precision() {
        let k = Kernel::Selu { lambda: 1.0, alpha: 1.0 };
        for x in [-1e-30, -1e-12, -3e-6, -1e-5, -1e-3, -1.999e-3, -2e-3, -2.001e-3, -0.01, -0.1] {
            let (f, _) = k.eval_fast(x);
            assert!((f - x.exp_m1()).abs() <= 1e-13 * x.abs(), "{x}: {f} vs {}", x.exp_m1());
        }
    }

    #[test]
    fn nan_stays_nan() {
        for kernel in KERNELS {
            let (f, d) = kernel.eval_fast(f64::NAN);
            assert!(f.is_nan() && d.is_nan(), "{kernel:?}");
        }
    }
}
