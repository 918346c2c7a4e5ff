//! Hard sigmoid: the piecewise-linear sigmoid of MobileNetV3 (PyTorch's `hardsigmoid`).
//! Derivative 1/6 on the open interval (-3, 3), 0 elsewhere (0 at +-3, as PyTorch).

use crate::derivative::apply;
use crate::prelude::*;

/// `f(x) = min(max(x / 6 + 1/2, 0), 1)`.
#[derive(Module, Debug, Default)]
pub struct HardSigmoid;

impl ActivationModule for HardSigmoid {
    const INFO: ActivationInfo = ActivationInfo {
        name: "hard-sigmoid",
        formula: "f(x) = min(max(x / 6 + 1/2, 0), 1)",
        family: Family::SigmoidFamily,
        properties: Properties {
            zero_centred: false,
            bounded_below: true,
            bounded_above: true,
            monotonic: true,
            smooth: false,
            needs_exp: false,
        },
        params: &[],
        reference: "Howard et al. 2019, Searching for MobileNetV3",
    };

    fn init(_: &ActivationConfig, _: &Device) -> Self {
        Self
    }

    fn kernel(&self) -> Option<Kernel> {
        Some(Kernel::HardSigmoid)
    }

    fn forward<const D: usize>(&self, x: Tensor<D>) -> Tensor<D> {
        if let Some(kernel) = self.kernel()
            && crate::fused::supported(&x)
        {
            return crate::fused::apply(x, kernel);
        }
        apply(x, |input, want_slope| {
            let slope = want_slope
                .then(|| input.zeros_like().mask_fill(open_interval(&input, -3.0, 3.0), 1.0 / 6.0));
            (input.add_scalar(3.0).clamp(0.0, 6.0).div_scalar(6.0), slope)
        })
    }
}

/// `lo < x < hi`, element-wise.
pub(crate) fn open_interval<const D: usize>(x: &Tensor<D>, lo: f64, hi: f64) -> Tensor<D, Bool> {
    x.clone().greater_elem(lo).bool_and(x.clone().lower_elem(hi))
}
