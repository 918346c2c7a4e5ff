//! Hyperbolic tangent: a zero-centred, rescaled sigmoid (`tanh(x) = 2 sigmoid(2x) - 1`).

use crate::prelude::*;

/// `f(x) = tanh(x)`.
#[derive(Module, Debug, Default)]
pub struct Tanh;

impl ActivationModule for Tanh {
    const INFO: ActivationInfo = ActivationInfo {
        name: "tanh",
        formula: "f(x) = (exp(x) - exp(-x)) / (exp(x) + exp(-x))",
        family: Family::SigmoidFamily,
        properties: Properties {
            zero_centred: true,
            bounded_below: true,
            bounded_above: true,
            monotonic: true,
            smooth: true,
            needs_exp: true,
        },
        params: &[],
        reference: "LeCun et al. 1998, Efficient BackProp",
    };

    fn init(_: &ActivationConfig, _: &Device) -> Self {
        Self
    }

    fn kernel(&self) -> Option<Kernel> {
        Some(Kernel::Tanh)
    }

    fn forward<const D: usize>(&self, x: Tensor<D>) -> Tensor<D> {
        if let Some(kernel) = self.kernel()
            && crate::fused::supported(&x)
        {
            return crate::fused::apply(x, kernel);
        }
        x.tanh()
    }
}
