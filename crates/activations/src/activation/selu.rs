//! Scaled exponential linear unit. With LeCun-normal init, activations keep mean 0 and
//! variance 1 through depth (G09). Klambauer et al. 2017, Self-Normalizing Neural Networks.
//!
//! Written here (not burn's `selu`) with a hand-written derivative: one `exp` per element,
//! no overflow in the discarded branch, and `expm1` accuracy near zero.

use crate::derivative::apply;
use crate::math::exponential_linear;
use crate::prelude::*;

/// SELU's lambda (scale), from the paper's fixed point.
pub const LAMBDA: f64 = 1.0507009873554805;
/// SELU's alpha, from the paper's fixed point.
pub const ALPHA: f64 = 1.6732632423543772;

/// `f(x) = lambda * x if x > 0 else lambda * alpha * (exp(x) - 1)`.
#[derive(Module, Debug, Default)]
pub struct Selu;

impl ActivationModule for Selu {
    const INFO: ActivationInfo = ActivationInfo {
        name: "selu",
        formula: "f(x) = lambda * (x if x > 0 else alpha * (exp(x) - 1)), lambda = 1.0507009873554805, alpha = 1.6732632423543772",
        family: Family::ExponentialLinear,
        properties: Properties {
            zero_centred: false,
            bounded_below: true,
            bounded_above: false,
            monotonic: true,
            smooth: false,
            needs_exp: true,
        },
        params: &[],
        reference: "Klambauer et al. 2017, Self-Normalizing Neural Networks",
    };

    fn init(_: &ActivationConfig, _: &Device) -> Self {
        Self
    }

    fn kernel(&self) -> Option<Kernel> {
        Some(Kernel::ExpLinear { scale: LAMBDA, alpha: ALPHA, width: 1.0 })
    }

    fn forward<const D: usize>(&self, x: Tensor<D>) -> Tensor<D> {
        if let Some(kernel) = self.kernel()
            && crate::fused::supported(&x)
        {
            return crate::fused::apply(x, kernel);
        }
        apply(x, |input, want_slope| exponential_linear(input, LAMBDA, ALPHA, 1.0, want_slope))
    }
}
