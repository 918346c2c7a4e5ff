//! Swish: `x * sigmoid(beta * x)`. With beta = 1 it is SiLU. Beta may be fixed or learned.
//! Ramachandran, Zoph & Le 2017, Searching for Activation Functions (G10).
//!
//! Written here (not burn's `silu`) with a hand-written derivative: one `exp` per element, and
//! `sigmoid` and `1 - sigmoid` each to full precision, so the gradient is right at +-100.

use crate::derivative::with_derivative;
use crate::math::sigmoid_pair;
use crate::prelude::*;

/// `f(x) = x * sigmoid(beta * x)`.
#[derive(Module, Debug)]
pub struct Swish {
    /// Beta when it is fixed.
    pub beta: f64,
    /// Beta when it is learned (initialised to `beta`), shape `[1]`.
    pub learned_beta: Option<Param<Tensor<1>>>,
}

impl ActivationModule for Swish {
    const INFO: ActivationInfo = ActivationInfo {
        name: "swish",
        formula: "f(x) = x * sigmoid(beta * x)  (beta = 1: SiLU)",
        family: Family::SelfGated,
        properties: Properties {
            zero_centred: false,
            bounded_below: true,
            bounded_above: false,
            monotonic: false,
            smooth: true,
            needs_exp: true,
        },
        params: &[
            ParamSpec::number(
                "beta",
                1.0,
                0.0,
                100.0,
                "gate sharpness (initial value when learnable)",
            ),
            ParamSpec::flag("learnable", false, "train beta as a parameter").trained(),
        ],
        reference: "Ramachandran, Zoph & Le 2017, Searching for Activation Functions; Elfwing et al. 2018 (SiLU)",
    };

    fn init(config: &ActivationConfig, device: &Device) -> Self {
        let beta = config.number("beta");
        let learned_beta = config
            .flag("learnable")
            .then(|| Param::from_tensor(Tensor::from_floats([beta as f32], device)));
        Self { beta, learned_beta }
    }

    fn kernel(&self) -> Option<Kernel> {
        self.learned_beta.is_none().then_some(Kernel::Swish { beta: self.beta })
    }

    fn forward<const D: usize>(&self, x: Tensor<D>) -> Tensor<D> {
        if let Some(kernel) = self.kernel()
            && crate::fused::supported(&x)
        {
            return crate::fused::apply(x, kernel);
        }
        let beta_tensor =
            self.learned_beta.as_ref().map(|p| p.val().cast(x.dtype()).reshape([1; D]));
        let beta_tracked = beta_tensor.as_ref().is_some_and(|b| b.is_tracked());
        let tracked = x.is_tracked() || beta_tracked;
        let input = x.clone().detach();
        let z = match &beta_tensor {
            Some(beta) => input.clone() * beta.clone().detach(),
            None => input.clone().mul_scalar(self.beta),
        };
        let (s, one_minus_s) = sigmoid_pair(z.clone());
        let value = input.clone() * s.clone();
        if !tracked {
            return value;
        }
        // d/dx = s * (1 + beta * x * (1 - s)); d/dbeta = x^2 * s * (1 - s).
        let gate_slope = s.clone() * one_minus_s.clone();
        let dx = s.clone() + z * gate_slope;
        let y = with_derivative(x, input.clone(), value, dx);
        match beta_tensor {
            Some(beta) if beta_tracked => {
                let constant = beta.clone().detach();
                // x^2 s (1 - s) as (x s)(x (1 - s)): no inf * 0 for huge |x|.
                let dbeta = (input.clone() * s) * (input * one_minus_s);
                y + (beta - constant) * dbeta
            }
            _ => y,
        }
    }

    fn learned(&self) -> Vec<(&'static str, f64)> {
        self.learned_beta.iter().map(|p| ("beta", scalar(p.val()))).collect()
    }
}
