//! Gated activations, `f(a) * b`: the feed-forward layer `W2 (f(x W) * (x V))` of Shazeer 2020,
//! "GLU Variants Improve Transformer" (arXiv 2002.05202), with any activation as the gate `f`.
//!
//! | name         | gate `f`    | source                                   |
//! |--------------|-------------|------------------------------------------|
//! | `glu`        | sigmoid     | Dauphin et al. 2017                      |
//! | `bilinear`   | identity    | Mnih & Hinton 2007                       |
//! | `reglu`      | relu        | Shazeer 2020                             |
//! | `geglu`      | gelu (erf)  | Shazeer 2020; T5 v1.1                    |
//! | `geglu-tanh` | gelu-tanh   | GEGLU with GELU's tanh form (Gemma)      |
//! | `swiglu`     | swish       | Shazeer 2020; PaLM, LLaMA                |
//! | `glu:GATE`   | any         | `glu:mish`, `glu:formula:x * tanh(x)`    |
//!
//! A config spells them as above or as a table `{ glu = "mish" }`
//! ([`ActivationConfig::is_gated`]); [`ActivationConfig::init_gated`] builds the module. The gate
//! is an ordinary [`Activation`]: a gate with a one-pass kernel makes the whole `f(a) * b` one
//! pass each way ([`crate::fused::gated`]), and a gate's trained parameters (a learnable Swish
//! beta, PReLU's slope) are trained and saved with the model.

use burn::prelude::*;

use crate::activation::Activation;
use crate::config::ActivationConfig;

pub use crate::config::gated::{PUBLISHED, Published, published_name};

/// `f(a) * b`, element-wise over two tensors of one shape.
#[derive(Module, Debug)]
pub struct GatedActivation {
    gate: Activation,
}

impl GatedActivation {
    /// `f(a) * b`. The gradients are `dL/da = (dL/dy * b) * f'(a)` and `dL/db = dL/dy * f(a)`.
    /// One pass each way where the gate has a one-pass kernel and the backend runs the kernels
    /// ([`crate::fused::gated`]); else the gate, then a product (autodiff through both).
    pub fn forward<const D: usize>(&self, a: Tensor<D>, b: Tensor<D>) -> Tensor<D> {
        match self.gate.kernel() {
            Some(kernel) if crate::fused::supported(&a) && a.dims() == b.dims() => {
                crate::fused::gated::apply(a, b, kernel)
            }
            _ => self.forward_composed(a, b),
        }
    }

    /// The composed version, `f(a)` then a product: what the one-pass kernels are tested against.
    pub fn forward_composed<const D: usize>(&self, a: Tensor<D>, b: Tensor<D>) -> Tensor<D> {
        self.gate.forward(a) * b
    }

    /// The gate `f`.
    pub fn gate(&self) -> &Activation {
        &self.gate
    }

    /// Current values of the gate's trained parameters.
    pub fn learned(&self) -> Vec<(&'static str, f64)> {
        self.gate.learned()
    }
}

impl ActivationConfig {
    /// Builds the gated activation `f(a) * b` with this config's gate `f` (for an element-wise
    /// config, that activation as the gate).
    pub fn init_gated(&self, device: &Device) -> GatedActivation {
        GatedActivation { gate: self.gate().init(device) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_parse_label_and_round_trip() {
        for (text, label, gate) in [
            ("swiglu", "swiglu", "swish"),
            ("glu", "glu", "sigmoid"),
            ("glu:sigmoid", "glu", "sigmoid"),
            ("bilinear", "bilinear", "identity"),
            ("reglu", "reglu", "relu"),
            ("geglu", "geglu", "gelu"),
            ("geglu-tanh", "geglu-tanh", "gelu-tanh"),
            ("glu:mish", "glu:mish", "mish"),
            ("swiglu:beta=2", "glu:swish:beta=2", "swish"),
            ("glu:leaky-relu:0.1", "glu:leaky-relu:slope=0.1", "leaky-relu"),
        ] {
            let c: ActivationConfig = text.parse().unwrap();
            assert!(c.is_gated(), "{text}");
            assert_eq!(c.label(), label, "{text}");
            assert_eq!(c.name(), gate, "{text}");
            assert!(!c.gate().is_gated());
            assert_eq!(c.label().parse::<ActivationConfig>().unwrap(), c, "{text}");
            let json = serde_json::to_string(&c).unwrap();
            assert_eq!(serde_json::from_str::<ActivationConfig>(&json).unwrap(), c, "{json}");
        }
        let swish: ActivationConfig = "swish".parse().unwrap();
        assert_ne!(swish, "swiglu".parse().unwrap());
        assert_eq!(
            serde_json::to_string(&swish.clone().gated()).unwrap(),
            r#"{"glu":{"name":"swish","beta":1.0,"learnable":false}}"#
        );
    }

    #[test]
    fn formula_gates_and_tables() {
        let c: ActivationConfig = "glu:formula:x * tanh(x)".parse().unwrap();
        assert!(c.is_gated() && c.formula().is_some());
        let json = serde_json::to_string(&c).unwrap();
        assert_eq!(serde_json::from_str::<ActivationConfig>(&json).unwrap(), c, "{json}");
        #[derive(serde::Deserialize)]
        struct File {
            a: ActivationConfig,
            b: ActivationConfig,
        }
        let file: File =
            toml::from_str("a = { glu = \"mish\" }\nb = { glu = { name = \"elu\", alpha = 0.5 } }")
                .unwrap();
        assert_eq!(file.a.label(), "glu:mish");
        assert_eq!(file.b.label(), "glu:elu:alpha=0.5");
    }

    #[test]
    fn bad_gates_say_what_is_allowed() {
        let e = "glu:swiglu".parse::<ActivationConfig>().unwrap_err().to_string();
        assert!(e.contains("not another gated one"), "{e}");
        let e = "glu:reul".parse::<ActivationConfig>().unwrap_err().to_string();
        assert!(e.contains("unknown activation `reul`") && e.contains("swiglu"), "{e}");
        let e = "swiglu:beta=-1".parse::<ActivationConfig>().unwrap_err().to_string();
        assert!(e.contains("`beta` = -1"), "{e}");
        let e = toml::from_str::<std::collections::BTreeMap<String, ActivationConfig>>(
            "a = { glu = { glu = \"relu\" } }",
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("not another gated one"), "{e}");
    }

    #[test]
    fn every_published_gate_is_registered() {
        for p in PUBLISHED {
            let c: ActivationConfig = p.name.parse().unwrap();
            assert_eq!(c.gate().label(), p.gate);
            assert_eq!(c.label(), p.name);
        }
    }
}
