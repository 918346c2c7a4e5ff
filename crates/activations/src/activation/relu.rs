//! Rectified linear unit. Derivative 0 for x <= 0 (the kink at 0 takes 0, as PyTorch does).

use crate::prelude::*;

/// `f(x) = max(0, x)`.
#[derive(Module, Debug, Default)]
pub struct Relu;

impl ActivationModule for Relu {
    const INFO: ActivationInfo = ActivationInfo {
        name: "relu",
        formula: "f(x) = max(0, x)",
        family: Family::ReluFamily,
        properties: Properties {
            zero_centred: false,
            bounded_below: true,
            bounded_above: false,
            monotonic: true,
            smooth: false,
            needs_exp: false,
        },
        params: &[],
        reference: "Nair & Hinton 2010; Glorot, Bordes & Bengio 2011",
    };

    fn init(_: &ActivationConfig, _: &Device) -> Self {
        Self
    }

    fn kernel(&self) -> Option<Kernel> {
        Some(Kernel::Relu)
    }

    fn forward<const D: usize>(&self, x: Tensor<D>) -> Tensor<D> {
        if let Some(kernel) = self.kernel()
            && crate::fused::supported(&x)
        {
            return crate::fused::apply(x, kernel);
        }
        burn::tensor::activation::relu(x)
    }
}
