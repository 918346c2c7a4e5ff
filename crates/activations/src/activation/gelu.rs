//! Gaussian error linear unit, exact (erf) form. Hendrycks & Gimpel 2016.
//!
//! The derivative is written by hand, `Phi(x) + x * phi(x)`: burn 0.22's own `gelu` backward is
//! off by up to 1e-3 on the ndarray and wgpu backends (the golden tests caught it).

use crate::derivative::apply;
use crate::prelude::*;

/// `1 / sqrt(2 pi)`.
const INV_SQRT_2PI: f64 = 0.398_942_280_401_432_7;

/// `f(x) = x * Phi(x) = x / 2 * (1 + erf(x / sqrt(2)))`.
#[derive(Module, Debug, Default)]
pub struct Gelu;

impl ActivationModule for Gelu {
    const INFO: ActivationInfo = ActivationInfo {
        name: "gelu",
        formula: "f(x) = x * Phi(x) = x / 2 * (1 + erf(x / sqrt(2)))",
        family: Family::SelfGated,
        properties: Properties {
            zero_centred: false,
            bounded_below: true,
            bounded_above: false,
            monotonic: false,
            smooth: true,
            needs_exp: true,
        },
        params: &[],
        reference: "Hendrycks & Gimpel 2016, Gaussian Error Linear Units (GELUs)",
    };

    fn init(_: &ActivationConfig, _: &Device) -> Self {
        Self
    }

    fn kernel(&self) -> Option<Kernel> {
        Some(Kernel::Gelu)
    }

    fn forward<const D: usize>(&self, x: Tensor<D>) -> Tensor<D> {
        if let Some(kernel) = self.kernel()
            && crate::fused::supported(&x)
        {
            return crate::fused::apply(x, kernel);
        }
        apply(x, |input, want_slope| {
            let cdf = input
                .clone()
                .mul_scalar(std::f64::consts::FRAC_1_SQRT_2)
                .erf()
                .add_scalar(1.0)
                .mul_scalar(0.5);
            let slope = want_slope.then(|| {
                let pdf = input.clone().square().mul_scalar(-0.5).exp().mul_scalar(INV_SQRT_2PI);
                cdf.clone() + input.clone() * pdf
            });
            (input * cdf, slope)
        })
    }
}
