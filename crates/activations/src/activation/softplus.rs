//! Softplus: a smooth ReLU. Above `beta * x > threshold` it returns x (PyTorch's convention).
//! Dugas et al. 2001.

use crate::prelude::*;

/// `f(x) = ln(1 + exp(beta * x)) / beta`, and `x` where `beta * x > threshold`.
#[derive(Module, Debug)]
pub struct Softplus {
    /// Sharpness.
    pub beta: f64,
    /// Above `beta * x > threshold` the function is the identity.
    pub threshold: f64,
}

impl ActivationModule for Softplus {
    const INFO: ActivationInfo = ActivationInfo {
        name: "softplus",
        formula: "f(x) = ln(1 + exp(beta * x)) / beta  (x where beta * x > threshold)",
        family: Family::SmoothRelu,
        properties: Properties {
            zero_centred: false,
            bounded_below: true,
            bounded_above: false,
            monotonic: true,
            smooth: true,
            needs_exp: true,
        },
        params: &[
            ParamSpec::positive("beta", 1.0, 100.0, "sharpness"),
            ParamSpec::positive("threshold", 20.0, 1000.0, "linear above beta * x > threshold"),
        ],
        reference: "Dugas et al. 2001, Incorporating Second-Order Functional Knowledge for Better Option Pricing",
    };

    fn init(config: &ActivationConfig, _: &Device) -> Self {
        Self { beta: config.number("beta"), threshold: config.number("threshold") }
    }

    fn kernel(&self) -> Option<Kernel> {
        Some(Kernel::Softplus { beta: self.beta, threshold: self.threshold })
    }

    fn forward<const D: usize>(&self, x: Tensor<D>) -> Tensor<D> {
        if let Some(kernel) = self.kernel()
            && crate::fused::supported(&x)
        {
            return crate::fused::apply(x, kernel);
        }
        burn::tensor::activation::softplus_with_threshold(x, self.beta, self.threshold)
    }
}
