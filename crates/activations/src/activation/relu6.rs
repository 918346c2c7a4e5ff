//! ReLU6: ReLU capped at 6 (MobileNet). Derivative 1 on the open interval (0, 6), 0 elsewhere.

use crate::activation::hard_sigmoid::open_interval;
use crate::derivative::apply;
use crate::prelude::*;

/// `f(x) = min(max(x, 0), 6)`.
#[derive(Module, Debug, Default)]
pub struct Relu6;

impl ActivationModule for Relu6 {
    const INFO: ActivationInfo = ActivationInfo {
        name: "relu6",
        formula: "f(x) = min(max(x, 0), 6)",
        family: Family::ReluFamily,
        properties: Properties {
            zero_centred: false,
            bounded_below: true,
            bounded_above: true,
            monotonic: true,
            smooth: false,
            needs_exp: false,
        },
        params: &[],
        reference: "Krizhevsky 2010; Howard et al. 2017, MobileNets",
    };

    fn init(_: &ActivationConfig, _: &Device) -> Self {
        Self
    }

    fn kernel(&self) -> Option<Kernel> {
        Some(Kernel::Relu6)
    }

    fn forward<const D: usize>(&self, x: Tensor<D>) -> Tensor<D> {
        if let Some(kernel) = self.kernel()
            && crate::fused::supported(&x)
        {
            return crate::fused::apply(x, kernel);
        }
        apply(x, |input, want_slope| {
            let slope = want_slope
                .then(|| input.zeros_like().mask_fill(open_interval(&input, 0.0, 6.0), 1.0));
            (input.clamp(0.0, 6.0), slope)
        })
    }
}
