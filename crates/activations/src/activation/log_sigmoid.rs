//! Log-sigmoid: `ln(sigmoid(x))`, a smooth, negative-valued ReLU mirror.

use crate::prelude::*;

/// `f(x) = -ln(1 + exp(-x))`.
#[derive(Module, Debug, Default)]
pub struct LogSigmoid;

impl ActivationModule for LogSigmoid {
    const INFO: ActivationInfo = ActivationInfo {
        name: "log-sigmoid",
        formula: "f(x) = -ln(1 + exp(-x))",
        family: Family::SmoothRelu,
        properties: Properties {
            zero_centred: false,
            bounded_below: false,
            bounded_above: true,
            monotonic: true,
            smooth: true,
            needs_exp: true,
        },
        params: &[],
        reference: "log of the logistic function",
    };

    fn init(_: &ActivationConfig, _: &Device) -> Self {
        Self
    }

    fn kernel(&self) -> Option<Kernel> {
        Some(Kernel::LogSigmoid)
    }

    fn forward<const D: usize>(&self, x: Tensor<D>) -> Tensor<D> {
        if let Some(kernel) = self.kernel()
            && crate::fused::supported(&x)
        {
            return crate::fused::apply(x, kernel);
        }
        burn::tensor::activation::log_sigmoid(x)
    }
}
