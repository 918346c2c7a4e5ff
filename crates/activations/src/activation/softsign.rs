//! Softsign: like tanh, but with polynomial instead of exponential tails. Bergstra et al. 2009.

use crate::prelude::*;

/// `f(x) = x / (1 + |x|)`.
#[derive(Module, Debug, Default)]
pub struct Softsign;

impl ActivationModule for Softsign {
    const INFO: ActivationInfo = ActivationInfo {
        name: "softsign",
        formula: "f(x) = x / (1 + |x|)",
        family: Family::SigmoidFamily,
        properties: Properties {
            zero_centred: true,
            bounded_below: true,
            bounded_above: true,
            monotonic: true,
            smooth: true,
            needs_exp: false,
        },
        params: &[],
        reference: "Bergstra et al. 2009, Quadratic Polynomials Learn Better Image Features",
    };

    fn init(_: &ActivationConfig, _: &Device) -> Self {
        Self
    }

    fn kernel(&self) -> Option<Kernel> {
        Some(Kernel::Softsign)
    }

    fn forward<const D: usize>(&self, x: Tensor<D>) -> Tensor<D> {
        if let Some(kernel) = self.kernel()
            && crate::fused::supported(&x)
        {
            return crate::fused::apply(x, kernel);
        }
        burn::tensor::activation::softsign(x)
    }
}
