//! Parametric ReLU: the negative slope is a trained parameter (one per layer), initialised to
//! 0.25 (G07). Derivative at 0 is the slope, as in PyTorch.

use crate::prelude::*;

/// `f(x) = x if x > 0 else alpha * x`, with `alpha` learned.
#[derive(Module, Debug)]
pub struct Prelu {
    /// The learned negative slope, shape `[1]`.
    pub alpha: Param<Tensor<1>>,
}

impl ActivationModule for Prelu {
    const INFO: ActivationInfo = ActivationInfo {
        name: "prelu",
        formula: "f(x) = x if x > 0 else alpha * x  (alpha learned)",
        family: Family::ReluFamily,
        properties: Properties {
            zero_centred: false,
            bounded_below: false,
            bounded_above: false,
            monotonic: true,
            smooth: false,
            needs_exp: false,
        },
        params: &[ParamSpec::number("alpha", 0.25, -1.0, 1.0, "initial negative slope").trained()],
        reference: "He et al. 2015, Delving Deep into Rectifiers",
    };

    fn init(config: &ActivationConfig, device: &Device) -> Self {
        let alpha = Tensor::from_floats([config.number("alpha") as f32], device);
        Self { alpha: Param::from_tensor(alpha) }
    }

    fn forward<const D: usize>(&self, x: Tensor<D>) -> Tensor<D> {
        #[cfg(any(feature = "flex", feature = "ndarray"))]
        if crate::fused::supported_on_cpu(&x) {
            let alpha = self.alpha.val().cast(x.dtype());
            return crate::fused::prelu::apply(x, alpha);
        }
        let alpha = self.alpha.val().cast(x.dtype()).reshape([1; D]);
        let positive = x.clone().greater_elem(0.0);
        (x.clone() * alpha).mask_where(positive, x)
    }

    fn learned(&self) -> Vec<(&'static str, f64)> {
        vec![("alpha", scalar(self.alpha.val()))]
    }
}
