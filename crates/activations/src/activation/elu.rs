//! Exponential linear unit: the negative branch saturates at -alpha and pulls mean activations
//! toward zero (G08). Clevert, Unterthiner & Hochreiter 2016.

use crate::derivative::apply;
use crate::math::exponential_linear;
use crate::prelude::*;

/// `f(x) = x if x > 0 else alpha * (exp(x) - 1)`.
#[derive(Module, Debug)]
pub struct Elu {
    /// Saturation value for large negative inputs is `-alpha`.
    pub alpha: f64,
}

impl ActivationModule for Elu {
    const INFO: ActivationInfo = ActivationInfo {
        name: "elu",
        formula: "f(x) = x if x > 0 else alpha * (exp(x) - 1)",
        family: Family::ExponentialLinear,
        properties: Properties {
            zero_centred: false,
            bounded_below: true,
            bounded_above: false,
            monotonic: true,
            smooth: false,
            needs_exp: true,
        },
        params: &[ParamSpec::positive("alpha", 1.0, 100.0, "negative saturation value")],
        reference: "Clevert, Unterthiner & Hochreiter 2016, Fast and Accurate Deep Network Learning by ELUs",
    };

    fn init(config: &ActivationConfig, _: &Device) -> Self {
        Self { alpha: config.number("alpha") }
    }

    fn kernel(&self) -> Option<Kernel> {
        Some(Kernel::ExpLinear { scale: 1.0, alpha: self.alpha, width: 1.0 })
    }

    fn forward<const D: usize>(&self, x: Tensor<D>) -> Tensor<D> {
        if let Some(kernel) = self.kernel()
            && crate::fused::supported(&x)
        {
            return crate::fused::apply(x, kernel);
        }
        apply(x, |input, want_slope| exponential_linear(input, 1.0, self.alpha, 1.0, want_slope))
    }
}
