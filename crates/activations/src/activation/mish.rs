//! Mish: `x * tanh(softplus(x))`, a smooth, non-monotonic self-gated activation.
//! Misra 2019, Mish: A Self Regularized Non-Monotonic Activation Function (G11).
//!
//! Written here (not burn's `mish`) with a hand-written derivative and one `exp` per element:
//! with `u = exp(x)` and `w = u * (u + 2)`, `tanh(softplus(x)) = w / (w + 2)` and
//! `1 - tanh^2(softplus(x)) = 4 (w + 1) / (w + 2)^2`, which has no cancellation anywhere.
//! Above x = 20, `f(x) = x` and `f'(x) = 1` to double precision.

use crate::derivative::apply;
use crate::prelude::*;

/// Above this input Mish equals the identity to double precision.
const LINEAR_ABOVE: f64 = 20.0;

/// `f(x) = x * tanh(ln(1 + exp(x)))`.
#[derive(Module, Debug, Default)]
pub struct Mish;

impl ActivationModule for Mish {
    const INFO: ActivationInfo = ActivationInfo {
        name: "mish",
        formula: "f(x) = x * tanh(ln(1 + exp(x)))",
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
        reference: "Misra 2019, Mish: A Self Regularized Non-Monotonic Activation Function",
    };

    fn init(_: &ActivationConfig, _: &Device) -> Self {
        Self
    }

    fn kernel(&self) -> Option<Kernel> {
        Some(Kernel::Mish)
    }

    fn forward<const D: usize>(&self, x: Tensor<D>) -> Tensor<D> {
        if let Some(kernel) = self.kernel()
            && crate::fused::supported(&x)
        {
            return crate::fused::apply(x, kernel);
        }
        apply(x, |input, want_slope| {
            let linear = input.clone().greater_elem(LINEAR_ABOVE);
            let u = input.clone().clamp_max(LINEAR_ABOVE).exp();
            let w = u.clone() * u.clone().add_scalar(2.0);
            let w_plus_2 = w.clone().add_scalar(2.0);
            let gate = w.clone() / w_plus_2.clone();
            let value = (input.clone() * gate.clone()).mask_where(linear.clone(), input.clone());
            let slope = want_slope.then(|| {
                let sech2 = w.add_scalar(1.0).mul_scalar(4.0) / w_plus_2.square();
                let sigmoid = u.clone() / u.add_scalar(1.0);
                (gate + input * sigmoid * sech2).mask_fill(linear, 1.0)
            });
            (value, slope)
        })
    }
}
