//! Leaky ReLU: a small fixed slope for negative inputs keeps the gradient alive (G06).
//! Derivative at 0 is the slope, as in PyTorch.

use crate::derivative::apply;
use crate::prelude::*;

/// `f(x) = x if x > 0 else slope * x`.
#[derive(Module, Debug)]
pub struct LeakyRelu {
    /// Slope for negative inputs.
    pub slope: f64,
}

impl ActivationModule for LeakyRelu {
    const INFO: ActivationInfo = ActivationInfo {
        name: "leaky-relu",
        formula: "f(x) = x if x > 0 else slope * x",
        family: Family::ReluFamily,
        properties: Properties {
            zero_centred: false,
            bounded_below: false,
            bounded_above: false,
            monotonic: true,
            smooth: false,
            needs_exp: false,
        },
        params: &[ParamSpec::number("slope", 0.01, 0.0, 1.0, "slope for negative inputs")],
        reference: "Maas, Hannun & Ng 2013, Rectifier Nonlinearities Improve Neural Network Acoustic Models",
    };

    fn init(config: &ActivationConfig, _: &Device) -> Self {
        Self { slope: config.number("slope") }
    }

    fn kernel(&self) -> Option<Kernel> {
        Some(Kernel::LeakyRelu { slope: self.slope })
    }

    fn forward<const D: usize>(&self, x: Tensor<D>) -> Tensor<D> {
        if let Some(kernel) = self.kernel()
            && crate::fused::supported(&x)
        {
            return crate::fused::apply(x, kernel);
        }
        apply(x, |input, want_slope| {
            let positive = input.clone().greater_elem(0.0);
            let slope = want_slope
                .then(|| input.ones_like().mul_scalar(self.slope).mask_fill(positive.clone(), 1.0));
            (input.clone().mul_scalar(self.slope).mask_where(positive, input), slope)
        })
    }
}
