//! GELU, tanh approximation (as in BERT/GPT-2). Hendrycks & Gimpel 2016.
//!
//! Computed as `x * sigmoid(2u)` with `u = sqrt(2/pi) (x + 0.044715 x^3)` (the same function:
//! `(1 + tanh(u)) / 2 = sigmoid(2u)`), so neither tail loses precision to `1 + tanh(u)` or
//! `1 - tanh(u)^2`. Derivative: `s + x * s (1 - s) * 2u'`.
//! Beyond |x| > 10 it is relu to double precision, and computed as such.

use crate::derivative::apply;
use crate::math::sigmoid_pair;
use crate::prelude::*;

/// `sqrt(2 / pi)`.
const SQRT_2_OVER_PI: f64 = 0.797_884_560_802_865_4;
/// The cubic coefficient.
const CUBIC: f64 = 0.044715;
/// Beyond |x| > 10 the gate is 0 or 1 to double precision (|2u| > 87): f is relu there, and the
/// cubic is not evaluated (it would overflow float32 for |x| > 1e12).
const SATURATED_ABOVE: f64 = 10.0;

/// `f(x) = x / 2 * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 x^3)))`.
#[derive(Module, Debug, Default)]
pub struct GeluTanh;

impl ActivationModule for GeluTanh {
    const INFO: ActivationInfo = ActivationInfo {
        name: "gelu-tanh",
        formula: "f(x) = x / 2 * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x^3)))",
        family: Family::SelfGated,
        properties: Properties {
            zero_centred: false,
            bounded_below: true,
            bounded_above: false,
            monotonic: false,
            smooth: true,
            needs_exp: true,
        },
        params: &[],
        reference: "Hendrycks & Gimpel 2016, Gaussian Error Linear Units (GELUs)",
    };

    fn init(_: &ActivationConfig, _: &Device) -> Self {
        Self
    }

    fn kernel(&self) -> Option<Kernel> {
        Some(Kernel::GeluTanh)
    }

    fn forward<const D: usize>(&self, x: Tensor<D>) -> Tensor<D> {
        if let Some(kernel) = self.kernel()
            && crate::fused::supported(&x)
        {
            return crate::fused::apply(x, kernel);
        }
        apply(x, |x_full, want_slope| {
            let saturated = x_full.clone().abs().greater_elem(SATURATED_ABOVE);
            let positive = x_full.clone().greater_elem(0.0);
            let input = x_full.clone().clamp(-SATURATED_ABOVE, SATURATED_ABOVE);
            let square = input.clone().square();
            let two_u = (input.clone() + input.clone() * square.clone().mul_scalar(CUBIC))
                .mul_scalar(2.0 * SQRT_2_OVER_PI);
            let (s, one_minus_s) = sigmoid_pair(two_u);
            let slope = want_slope.then(|| {
                let two_du =
                    square.mul_scalar(3.0 * CUBIC).add_scalar(1.0).mul_scalar(2.0 * SQRT_2_OVER_PI);
                let slope = s.clone() + input.clone() * s.clone() * one_minus_s * two_du;
                slope.mask_where(
                    saturated.clone(),
                    x_full.zeros_like().mask_fill(positive.clone(), 1.0),
                )
            });
            let value = (input * s).mask_where(saturated, x_full.clone().clamp_min(0.0));
            (value, slope)
        })
    }
}
