//! Weight initialisation, on the host from a seeded generator, so that a seed gives the same
//! initial weights on every backend.

use actbench_data::rng;
use burn::module::Param;
use burn::nn::PaddingConfig2d;
use burn::nn::conv::{Conv2d, Conv2dConfig};
use burn::prelude::*;
use burn::tensor::TensorData;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

/// How weights (and biases) start.
/// In TOML: `"he-uniform"`, `"lecun-normal"`, ... or `{ kind = "uniform", min = 0, max = 1 }`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
#[serde(try_from = "RawInit", into = "RawInit")]
pub enum InitScheme {
    /// He/Kaiming uniform: U(+-sqrt(6 / fan_in)); biases 0. For the ReLU family.
    #[default]
    HeUniform,
    /// He/Kaiming normal: N(0, 2 / fan_in); biases 0.
    HeNormal,
    /// LeCun normal: N(0, 1 / fan_in); biases 0. What SELU's self-normalisation assumes.
    LecunNormal,
    /// Glorot/Xavier uniform: U(+-sqrt(6 / (fan_in + fan_out))); biases 0. For tanh/sigmoid.
    XavierUniform,
    /// burn's Linear default: weights and biases U(+-1 / sqrt(fan_in)).
    BurnDefault,
    /// Weights and biases U(min, max), e.g. the classic two-circles setup's U(0, 1).
    Uniform {
        /// Lower bound.
        min: f64,
        /// Upper bound.
        max: f64,
    },
}

impl InitScheme {
    /// Short name for tables.
    pub fn label(&self) -> String {
        match self {
            InitScheme::HeUniform => "he-uniform".into(),
            InitScheme::HeNormal => "he-normal".into(),
            InitScheme::LecunNormal => "lecun-normal".into(),
            InitScheme::XavierUniform => "xavier-uniform".into(),
            InitScheme::BurnDefault => "burn-default".into(),
            InitScheme::Uniform { min, max } => format!("uniform({min}, {max})"),
        }
    }

    /// `count` weight values for a layer with the given fans.
    pub fn weights(
        &self,
        rng: &mut ChaCha8Rng,
        count: usize,
        fan_in: usize,
        fan_out: usize,
    ) -> Vec<f32> {
        let (fan_in, fan_out) = (fan_in.max(1) as f64, fan_out.max(1) as f64);
        (0..count)
            .map(|_| {
                (match *self {
                    InitScheme::HeUniform => rng::uniform(rng, -1.0, 1.0) * (6.0 / fan_in).sqrt(),
                    InitScheme::HeNormal => rng::normal(rng) * (2.0 / fan_in).sqrt(),
                    InitScheme::LecunNormal => rng::normal(rng) * (1.0 / fan_in).sqrt(),
                    InitScheme::XavierUniform => {
                        rng::uniform(rng, -1.0, 1.0) * (6.0 / (fan_in + fan_out)).sqrt()
                    }
                    InitScheme::BurnDefault => rng::uniform(rng, -1.0, 1.0) / fan_in.sqrt(),
                    InitScheme::Uniform { min, max } => rng::uniform(rng, min, max),
                }) as f32
            })
            .collect()
    }

    /// `count` bias values; `constant` overrides the scheme.
    pub fn biases(
        &self,
        rng: &mut ChaCha8Rng,
        count: usize,
        fan_in: usize,
        constant: Option<f64>,
    ) -> Vec<f32> {
        if let Some(c) = constant {
            return vec![c as f32; count];
        }
        match *self {
            InitScheme::BurnDefault => (0..count)
                .map(|_| (rng::uniform(rng, -1.0, 1.0) / (fan_in.max(1) as f64).sqrt()) as f32)
                .collect(),
            InitScheme::Uniform { min, max } => {
                (0..count).map(|_| rng::uniform(rng, min, max) as f32).collect()
            }
            _ => vec![0.0; count],
        }
    }
}

/// A square `k` x `k` convolution with "same" padding and a bias, its weights from `scheme`
/// (fan-in `c_in k k`, fan-out `c_out k k`) and its biases after them, from `rng`.
pub fn conv_layer(
    c_in: usize,
    c_out: usize,
    k: usize,
    scheme: &InitScheme,
    rng: &mut ChaCha8Rng,
    device: &Device,
) -> Conv2d {
    let mut conv =
        Conv2dConfig::new([c_in, c_out], [k, k]).with_padding(PaddingConfig2d::Same).init(device);
    let fan_in = c_in * k * k;
    conv.weight = param(
        scheme.weights(rng, c_out * fan_in, fan_in, c_out * k * k),
        [c_out, c_in, k, k],
        device,
    );
    conv.bias = Some(param(scheme.biases(rng, c_out, fan_in, None), [c_out], device));
    conv
}

/// A trainable parameter from host values.
pub fn param<const D: usize>(
    values: Vec<f32>,
    shape: [usize; D],
    device: &Device,
) -> Param<Tensor<D>> {
    Param::from_tensor(Tensor::from_data(TensorData::new(values, shape), device))
}

/// The two spellings of an init scheme in a config file.
#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum RawInit {
    Name(String),
    Uniform { kind: String, min: f64, max: f64 },
}

impl TryFrom<RawInit> for InitScheme {
    type Error = String;

    fn try_from(raw: RawInit) -> Result<Self, String> {
        let valid = "valid: \"he-uniform\", \"he-normal\", \"lecun-normal\", \"xavier-uniform\", \"burn-default\", { kind = \"uniform\", min = .., max = .. }";
        match raw {
            RawInit::Name(name) => match name.as_str() {
                "he-uniform" => Ok(InitScheme::HeUniform),
                "he-normal" => Ok(InitScheme::HeNormal),
                "lecun-normal" => Ok(InitScheme::LecunNormal),
                "xavier-uniform" => Ok(InitScheme::XavierUniform),
                "burn-default" => Ok(InitScheme::BurnDefault),
                other => Err(format!("unknown init `{other}`; {valid}")),
            },
            RawInit::Uniform { kind, min, max } if kind == "uniform" => {
                Ok(InitScheme::Uniform { min, max })
            }
            RawInit::Uniform { kind, .. } => Err(format!("unknown init kind `{kind}`; {valid}")),
        }
    }
}

impl From<InitScheme> for RawInit {
    fn from(scheme: InitScheme) -> Self {
        match scheme {
            InitScheme::Uniform { min, max } => {
                RawInit::Uniform { kind: "uniform".into(), min, max }
            }
            other => RawInit::Name(other.label()),
        }
    }
}
