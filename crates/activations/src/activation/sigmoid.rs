//! Logistic sigmoid. Saturates on both sides; its derivative peaks at 0.25 (G02).
//!
//! Computed here from one `exp(-|x|)`, with `sigmoid` and `1 - sigmoid` each to full precision, so
//! the derivative `s (1 - s)` is exact in both tails and float64 stays float64 on every backend.

use crate::derivative::apply;
use crate::math::sigmoid_pair;
use crate::prelude::*;

/// `f(x) = 1 / (1 + exp(-x))`.
#[derive(Module, Debug, Default)]
pub struct Sigmoid;

impl ActivationModule for Sigmoid {
    const INFO: ActivationInfo = ActivationInfo {
        name: "sigmoid",
        formula: "f(x) = 1 / (1 + exp(-x))",
        family: Family::SigmoidFamily,
        properties: Properties {
            zero_centred: false,
            bounded_below: true,
            bounded_above: true,
            monotonic: true,
            smooth: true,
            needs_exp: true,
        },
        params: &[],
        reference: "logistic function; Rumelhart, Hinton & Williams 1986",
    };

    fn init(_: &ActivationConfig, _: &Device) -> Self {
        Self
    }

    fn kernel(&self) -> Option<Kernel> {
        Some(Kernel::Sigmoid)
    }

    fn forward<const D: usize>(&self, x: Tensor<D>) -> Tensor<D> {
        if let Some(kernel) = self.kernel()
            && crate::fused::supported(&x)
        {
            return crate::fused::apply(x, kernel);
        }
        apply(x, |input, want_slope| {
            let (s, one_minus_s) = sigmoid_pair(input);
            let slope = want_slope.then(|| s.clone() * one_minus_s);
            (s, slope)
        })
    }
}
