//! Identity (linear) activation: no nonlinearity at all. The control in the
//! "nonlinearity is needed" guideline (G01), and the regression output.

use crate::prelude::*;

/// `f(x) = x`.
#[derive(Module, Debug, Default)]
pub struct Identity;

impl ActivationModule for Identity {
    const INFO: ActivationInfo = ActivationInfo {
        name: "identity",
        formula: "f(x) = x",
        family: Family::Linear,
        properties: Properties {
            zero_centred: true,
            bounded_below: false,
            bounded_above: false,
            monotonic: true,
            smooth: true,
            needs_exp: false,
        },
        params: &[],
        reference: "linear unit",
    };

    fn init(_: &ActivationConfig, _: &Device) -> Self {
        Self
    }

    fn forward<const D: usize>(&self, x: Tensor<D>) -> Tensor<D> {
        x
    }
}
