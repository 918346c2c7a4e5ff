//! Hard swish: `x * hard-sigmoid(x)`, MobileNetV3's cheap Swish. Derivative `x / 3 + 1/2` on the
//! open interval (-3, 3), 0 for x <= -3 and 1 for x >= 3 (PyTorch's convention).

use crate::activation::hard_sigmoid::open_interval;
use crate::derivative::apply;
use crate::prelude::*;

/// `f(x) = x * min(max(x + 3, 0), 6) / 6`.
#[derive(Module, Debug, Default)]
pub struct HardSwish;

impl ActivationModule for HardSwish {
    const INFO: ActivationInfo = ActivationInfo {
        name: "hard-swish",
        formula: "f(x) = x * min(max(x + 3, 0), 6) / 6",
        family: Family::SelfGated,
        properties: Properties {
            zero_centred: false,
            bounded_below: true,
            bounded_above: false,
            monotonic: false,
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
        Some(Kernel::HardSwish)
    }

    fn forward<const D: usize>(&self, x: Tensor<D>) -> Tensor<D> {
        if let Some(kernel) = self.kernel()
            && crate::fused::supported(&x)
        {
            return crate::fused::apply(x, kernel);
        }
        apply(x, |input, want_slope| {
            let slope = want_slope.then(|| {
                let inside = open_interval(&input, -3.0, 3.0);
                let upper = input.clone().greater_equal_elem(3.0);
                input
                    .clone()
                    .div_scalar(3.0)
                    .add_scalar(0.5)
                    .mask_fill(inside.bool_not(), 0.0)
                    .mask_fill(upper, 1.0)
            });
            (input.clone() * input.add_scalar(3.0).clamp(0.0, 6.0).div_scalar(6.0), slope)
        })
    }
}
