//! Continuously differentiable ELU: the negative branch is `alpha * (exp(x / alpha) - 1)`, so the
//! derivative is continuous at 0 for any alpha. Barron 2017.

use crate::derivative::apply;
use crate::math::exponential_linear;
use crate::prelude::*;

/// `f(x) = x if x > 0 else alpha * (exp(x / alpha) - 1)`.
#[derive(Module, Debug)]
pub struct Celu {
    /// Width and saturation of the negative branch.
    pub alpha: f64,
}

impl ActivationModule for Celu {
    const INFO: ActivationInfo = ActivationInfo {
        name: "celu",
        formula: "f(x) = x if x > 0 else alpha * (exp(x / alpha) - 1)",
        family: Family::ExponentialLinear,
        properties: Properties {
            zero_centred: false,
            bounded_below: true,
            bounded_above: false,
            monotonic: true,
            smooth: true,
            needs_exp: true,
        },
        params: &[ParamSpec::positive("alpha", 1.0, 100.0, "width and negative saturation value")],
        reference: "Barron 2017, Continuously Differentiable Exponential Linear Units",
    };

    fn init(config: &ActivationConfig, _: &Device) -> Self {
        Self { alpha: config.number("alpha") }
    }

    fn kernel(&self) -> Option<Kernel> {
        Some(Kernel::ExpLinear { scale: 1.0, alpha: self.alpha, width: self.alpha })
    }

    fn forward<const D: usize>(&self, x: Tensor<D>) -> Tensor<D> {
        if let Some(kernel) = self.kernel()
            && crate::fused::supported(&x)
        {
            return crate::fused::apply(x, kernel);
        }
        apply(x, |input, want_slope| {
            exponential_linear(input, 1.0, self.alpha, self.alpha, want_slope)
        })
    }
}
