//! Model configs, as written in a benchmark config file.

use actbench_activations::ActivationConfig;
use actbench_data::InputShape;
use serde::{Deserialize, Serialize};

use crate::error::ModelError;
pub use crate::init::InitScheme;

/// Most parameters a model may have (400 MB of f32 weights, before gradients and optimizer state).
pub const MAX_PARAMETERS: u128 = 100_000_000;

/// Which model, with its options. In TOML: `model = { kind = "mlp", depth = 5, width = 16 }`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
pub enum ModelConfig {
    /// Fully connected network.
    Mlp {
        /// Hidden layers (1 to 200).
        #[serde(default = "default_depth")]
        depth: usize,
        /// Units per hidden layer.
        #[serde(default = "default_width")]
        width: usize,
        /// Weight initialisation.
        #[serde(default)]
        init: InitScheme,
        /// Batch normalisation before each activation.
        #[serde(default)]
        batch_norm: bool,
        /// Residual connections around hidden layers 2..depth.
        #[serde(default)]
        residual: bool,
        /// Constant initial bias for hidden layers (e.g. negative, to provoke dying units).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        bias_init: Option<f64>,
        /// Dropout rate after each hidden activation during training (0: none).
        #[serde(default, skip_serializing_if = "is_zero")]
        dropout: f64,
        /// The dropout is alpha-dropout (SELU's: keeps mean 0 and variance 1).
        #[serde(default, skip_serializing_if = "is_false")]
        alpha_dropout: bool,
    },
    /// Convolutional network: stages of (conv, \[batch-norm\], activation) blocks, each stage
    /// ending in 2x2 max-pooling, then \[dropout\], then dense hidden layers of (dense,
    /// \[batch-norm\], activation, \[dropout\]); bracketed layers are optional.
    Cnn {
        /// Channels of each stage.
        #[serde(default = "default_channels")]
        channels: Vec<usize>,
        /// Conv blocks per stage (depth sweeps); blocks after the first are residual when
        /// `residual` is set.
        #[serde(default = "one")]
        blocks: usize,
        /// Side of the square convolution kernels (odd).
        #[serde(default = "three", skip_serializing_if = "is_three")]
        kernel: usize,
        /// Units of each dense hidden layer.
        #[serde(default = "default_dense")]
        dense: usize,
        /// Dense hidden layers after the convolutional front end.
        #[serde(default = "one", skip_serializing_if = "is_one")]
        dense_layers: usize,
        /// Batch normalisation before each dense hidden layer's activation.
        #[serde(default, skip_serializing_if = "is_false")]
        dense_batch_norm: bool,
        /// Dropout rate after the front end and after each dense hidden activation during
        /// training (0: none).
        #[serde(default, skip_serializing_if = "is_zero")]
        dropout: f64,
        /// The dropout is alpha-dropout.
        #[serde(default, skip_serializing_if = "is_false")]
        alpha_dropout: bool,
        /// What a depth sweep (`depths`) varies: conv `blocks` per stage or `dense-layers`.
        #[serde(default, skip_serializing_if = "CnnDepth::is_blocks")]
        depth_is: CnnDepth,
        /// Weight initialisation.
        #[serde(default)]
        init: InitScheme,
        /// Batch normalisation before each activation.
        #[serde(default)]
        batch_norm: bool,
        /// Residual connections around blocks after the first in each stage.
        #[serde(default)]
        residual: bool,
    },
    /// Residual network with batch normalisation ([`crate::resnet`]): a stem convolution,
    /// stages of basic residual blocks (2x2 max-pooling between stages), global average pooling
    /// and the output layer.
    Resnet {
        /// Channels of each stage (the stem has the first stage's).
        #[serde(default = "default_resnet_channels")]
        channels: Vec<usize>,
        /// Basic blocks per stage (He et al.'s n: 3 is their ResNet-20; depth sweeps vary it).
        #[serde(default = "one")]
        blocks: usize,
        /// Weight initialisation.
        #[serde(default)]
        init: InitScheme,
    },
    /// Recurrent network over a sequence (images are read row by row).
    Rnn {
        /// The cell.
        #[serde(default)]
        cell: RnnCell,
        /// Hidden units per layer.
        #[serde(default = "default_hidden")]
        hidden: usize,
        /// Stacked layers.
        #[serde(default = "one")]
        layers: usize,
        /// Gate activation of LSTM/GRU cells (default sigmoid); the experiment's activation is
        /// the recurrent (vanilla) or candidate/cell (LSTM, GRU) activation.
        #[serde(default = "default_gate")]
        gate_activation: ActivationConfig,
        /// Weight initialisation.
        #[serde(default = "default_rnn_init")]
        init: InitScheme,
        /// Initial bias of the LSTM forget gate (Keras: 1; PyTorch: 0).
        #[serde(default, skip_serializing_if = "is_zero")]
        forget_bias: f64,
    },
    /// Decoder-only transformer over token windows ([`crate::transformer`]); the experiment's
    /// activation is the feed-forward layer's, element-wise (`gelu`) or gated (`swiglu`).
    Transformer {
        /// Blocks (1 to 48).
        #[serde(default = "default_layers")]
        layers: usize,
        /// Width of the residual stream.
        #[serde(default = "default_d_model")]
        d_model: usize,
        /// Attention heads (`d_model` must be a multiple).
        #[serde(default = "default_heads")]
        heads: usize,
        /// Hidden units of an element-wise feed-forward layer; a gated one gets 2/3 of them
        /// (rounded to a multiple of 8) so that parameters match.
        #[serde(default = "default_d_ff")]
        d_ff: usize,
        /// LayerNorm or RMSNorm.
        #[serde(default)]
        norm: Norm,
        /// Dropout rate after attention and after the feed-forward layer in training (0: none).
        #[serde(default, skip_serializing_if = "is_zero")]
        dropout: f64,
    },
}

/// A transformer's normalisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Norm {
    /// LayerNorm (Ba et al. 2016): centred and scaled, with a learned scale and shift.
    #[default]
    LayerNorm,
    /// RMSNorm (Zhang & Sennrich 2019): scaled by the root mean square, learned scale only.
    RmsNorm,
}

/// What a CNN's depth is, for depth sweeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum CnnDepth {
    /// Conv blocks per stage.
    #[default]
    Blocks,
    /// Dense hidden layers after the front end.
    DenseLayers,
}

impl CnnDepth {
    fn is_blocks(&self) -> bool {
        *self == CnnDepth::Blocks
    }
}

/// Recurrent cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum RnnCell {
    /// `h' = f(x W + h U + b)`.
    Vanilla,
    /// Long short-term memory.
    #[default]
    Lstm,
    /// Gated recurrent unit.
    Gru,
}

fn default_depth() -> usize {
    3
}
fn default_width() -> usize {
    32
}
fn default_channels() -> Vec<usize> {
    vec![8, 16]
}
fn default_resnet_channels() -> Vec<usize> {
    vec![16, 32, 64]
}
fn default_dense() -> usize {
    32
}
fn default_hidden() -> usize {
    32
}
fn default_layers() -> usize {
    4
}
fn default_d_model() -> usize {
    96
}
fn default_heads() -> usize {
    3
}
fn default_d_ff() -> usize {
    384
}
fn one() -> usize {
    1
}
fn three() -> usize {
    3
}
fn is_one(n: &usize) -> bool {
    *n == 1
}
fn is_three(n: &usize) -> bool {
    *n == 3
}
fn is_zero(x: &f64) -> bool {
    *x == 0.0
}
fn is_false(b: &bool) -> bool {
    !*b
}
fn default_gate() -> ActivationConfig {
    ActivationConfig::new("sigmoid").expect("registered")
}
fn default_rnn_init() -> InitScheme {
    InitScheme::XavierUniform
}

impl ModelConfig {
    /// `mlp`, `cnn` or `rnn`.
    pub fn kind(&self) -> &'static str {
        match self {
            ModelConfig::Mlp { .. } => "mlp",
            ModelConfig::Cnn { .. } => "cnn",
            ModelConfig::Resnet { .. } => "resnet",
            ModelConfig::Rnn { .. } => "rnn",
            ModelConfig::Transformer { .. } => "transformer",
        }
    }

    /// The depth a sweep varies: hidden layers (MLP), blocks per stage (CNN, ResNet), layers
    /// (RNN, transformer).
    pub fn depth(&self) -> usize {
        match self {
            ModelConfig::Mlp { depth, .. } => *depth,
            ModelConfig::Cnn { blocks, depth_is: CnnDepth::Blocks, .. }
            | ModelConfig::Resnet { blocks, .. } => *blocks,
            ModelConfig::Cnn { dense_layers, .. } => *dense_layers,
            ModelConfig::Rnn { layers, .. } | ModelConfig::Transformer { layers, .. } => *layers,
        }
    }

    /// The same model at another depth.
    pub fn with_depth(mut self, d: usize) -> Self {
        match &mut self {
            ModelConfig::Mlp { depth, .. } => *depth = d,
            ModelConfig::Cnn { blocks, depth_is: CnnDepth::Blocks, .. }
            | ModelConfig::Resnet { blocks, .. } => *blocks = d,
            ModelConfig::Cnn { dense_layers, .. } => *dense_layers = d,
            ModelConfig::Rnn { layers, .. } | ModelConfig::Transformer { layers, .. } => {
                *layers = d
            }
        }
        self
    }

    /// Short description for tables: `mlp d5 w16 he-uniform`.
    pub fn label(&self) -> String {
        match self {
            ModelConfig::Mlp {
                depth,
                width,
                init,
                batch_norm,
                residual,
                dropout,
                alpha_dropout,
                ..
            } => {
                format!(
                    "mlp d{depth} w{width} {}{}{}{}",
                    init.label(),
                    if *batch_norm { " bn" } else { "" },
                    if *residual { " res" } else { "" },
                    dropout_label(*dropout, *alpha_dropout)
                )
            }
            ModelConfig::Cnn {
                channels,
                blocks,
                kernel,
                dense,
                dense_layers,
                dropout,
                alpha_dropout,
                ..
            } => {
                let mut label = format!("cnn {channels:?}x{blocks}");
                if *kernel != 3 {
                    label += &format!(" k{kernel}");
                }
                if *dense_layers != 1 {
                    label += &format!(" dense {dense_layers}x{dense}");
                }
                label + &dropout_label(*dropout, *alpha_dropout)
            }
            ModelConfig::Resnet { channels, blocks, .. } => format!("resnet {channels:?}x{blocks}"),
            ModelConfig::Rnn { cell, hidden, layers, .. } => {
                format!("{cell:?} h{hidden} l{layers}").to_lowercase()
            }
            ModelConfig::Transformer { layers, d_model, heads, d_ff, norm, dropout } => {
                format!(
                    "transformer l{layers} d{d_model} h{heads} ff{d_ff}{}{}",
                    if *norm == Norm::RmsNorm { " rms" } else { "" },
                    dropout_label(*dropout, false)
                )
            }
        }
    }

    /// Weights and biases of the hidden layers for inputs of `input` (the output layer, a few
    /// units wide, is left out; a ResNet's batch-norm scales and shifts are counted, the optional
    /// batch norm of MLPs and CNNs is not).
    pub fn parameter_count(&self, input: InputShape) -> u128 {
        let n = input.size() as u128;
        match self {
            ModelConfig::Mlp { depth, width, .. } => {
                let (d, w) = (*depth as u128, *width as u128);
                (n + 1) * w + d.saturating_sub(1) * (w + 1) * w
            }
            ModelConfig::Cnn { channels, blocks, kernel, dense, dense_layers, .. } => {
                let InputShape::Image { channels: c0, height, width } = input else { return 0 };
                let (mut c_in, mut total) = (c0 as u128, 0u128);
                let taps = (*kernel as u128).pow(2);
                for &c in channels {
                    for _ in 0..*blocks {
                        total += (c_in * taps + 1) * c as u128;
                        c_in = c as u128;
                    }
                }
                let shrink = 1u128 << channels.len().min(64);
                let (d, layers) = (*dense as u128, *dense_layers as u128);
                total
                    + (c_in * (height as u128 / shrink) * (width as u128 / shrink) + 1) * d
                    + layers.saturating_sub(1) * (d + 1) * d
            }
            ModelConfig::Resnet { channels, blocks, .. } => {
                let InputShape::Image { channels: c0, .. } = input else { return 0 };
                // A convolution with bias, and a batch norm's scale and shift.
                let conv = |c_in: u128, c_out: u128, k: u128| (c_in * k * k + 1) * c_out;
                let norm = |c: u128| 2 * c;
                let first = channels[0] as u128;
                let (mut c_in, mut total) = (first, conv(c0 as u128, first, 3) + norm(first));
                for &c in channels {
                    let c = c as u128;
                    for _ in 0..*blocks {
                        total += conv(c_in, c, 3) + norm(c) + conv(c, c, 3) + norm(c);
                        if c_in != c {
                            total += conv(c_in, c, 1);
                        }
                        c_in = c;
                    }
                }
                total
            }
            ModelConfig::Rnn { cell, hidden, layers, .. } => {
                let gates: u128 = match cell {
                    RnnCell::Vanilla => 1,
                    RnnCell::Lstm => 4,
                    RnnCell::Gru => 3,
                };
                let features = match input {
                    InputShape::Sequence { features, .. } => features,
                    InputShape::Image { channels, width, .. } => channels * width,
                    InputShape::Vector { features }
                    | InputShape::Tokens { context: features, .. } => features,
                } as u128;
                let h = *hidden as u128;
                gates * h * (features + h + 1)
                    + (*layers as u128).saturating_sub(1) * gates * h * (2 * h + 1)
            }
            ModelConfig::Transformer { .. } => {
                let InputShape::Tokens { context, vocab } = input else { return 0 };
                self.transformer_parameters(context, vocab, false)
            }
        }
    }

    /// Every trained parameter of a transformer (embeddings, blocks, norms, output layer) for
    /// windows of `context` tokens of `vocab`, with an element-wise or a gated feed-forward
    /// layer. 0 for other models.
    pub fn transformer_parameters(&self, context: usize, vocab: usize, gated: bool) -> u128 {
        let ModelConfig::Transformer { layers, d_model, d_ff, norm, .. } = self else { return 0 };
        let (d, v, c) = (*d_model as u128, vocab as u128, context as u128);
        let norm_params = if *norm == Norm::LayerNorm { 2 * d } else { d };
        let ffn = if gated {
            let w = gated_width(*d_ff) as u128;
            2 * (d * w + w) + w * d + d
        } else {
            let w = *d_ff as u128;
            d * w + w + w * d + d
        };
        let block = 4 * (d * d + d) + ffn + 2 * norm_params;
        v * d + c * d + *layers as u128 * block + norm_params + d * v + v
    }

    /// Checks ranges and that the model can read `input`.
    pub fn validate(&self, input: InputShape) -> Result<(), ModelError> {
        let kind: &'static str = self.kind();
        let range = |option: &'static str, value: usize, lo: usize, hi: usize| {
            if (lo..=hi).contains(&value) {
                Ok(())
            } else {
                Err(ModelError::BadOption {
                    model: kind,
                    option,
                    value: value.to_string(),
                    allowed: format!("between {lo} and {hi}"),
                })
            }
        };
        match self {
            ModelConfig::Mlp { depth, width, init, dropout, alpha_dropout, .. } => {
                range("depth", *depth, 1, 200)?;
                range("width", *width, 1, 4096)?;
                check_init(kind, init)?;
                check_dropout(kind, *dropout, *alpha_dropout)?;
            }
            ModelConfig::Cnn {
                channels,
                blocks,
                kernel,
                dense,
                dense_layers,
                init,
                dropout,
                alpha_dropout,
                ..
            } => {
                if channels.is_empty() || channels.iter().any(|&c| c == 0 || c > 512) {
                    return Err(ModelError::BadOption {
                        model: kind,
                        option: "channels",
                        value: format!("{channels:?}"),
                        allowed: "a non-empty list of 1 to 512".into(),
                    });
                }
                range("blocks", *blocks, 1, 50)?;
                if kernel % 2 == 0 || !(1..=11).contains(kernel) {
                    return Err(ModelError::BadOption {
                        model: kind,
                        option: "kernel",
                        value: kernel.to_string(),
                        allowed: "odd, between 1 and 11 (convolutions keep the image size)".into(),
                    });
                }
                range("dense", *dense, 1, 4096)?;
                range("dense_layers", *dense_layers, 1, 200)?;
                check_init(kind, init)?;
                check_dropout(kind, *dropout, *alpha_dropout)?;
                let InputShape::Image { height, width, .. } = input else {
                    return Err(ModelError::WrongInput {
                        model: kind,
                        input: describe(input),
                        hint: "a CNN needs images; use the `images` or `idx` dataset",
                    });
                };
                let shrink = 1usize << channels.len();
                if height < shrink || width < shrink {
                    return Err(ModelError::WrongInput {
                        model: kind,
                        input: describe(input),
                        hint: "too small for that many pooling stages; use fewer `channels` entries",
                    });
                }
            }
            ModelConfig::Resnet { channels, blocks, init } => {
                if channels.is_empty() || channels.iter().any(|&c| c == 0 || c > 512) {
                    return Err(ModelError::BadOption {
                        model: kind,
                        option: "channels",
                        value: format!("{channels:?}"),
                        allowed: "a non-empty list of 1 to 512".into(),
                    });
                }
                range("blocks", *blocks, 1, 18)?;
                check_init(kind, init)?;
                let InputShape::Image { height, width, .. } = input else {
                    return Err(ModelError::WrongInput {
                        model: kind,
                        input: describe(input),
                        hint: "a ResNet needs images; use the `images` or `idx` dataset",
                    });
                };
                let shrink = 1usize << (channels.len() - 1);
                if height < shrink || width < shrink {
                    return Err(ModelError::WrongInput {
                        model: kind,
                        input: describe(input),
                        hint: "too small for that many stages (each after the first halves the image); use fewer `channels` entries",
                    });
                }
            }
            ModelConfig::Rnn { cell, hidden, layers, init, forget_bias, .. } => {
                range("hidden", *hidden, 1, 4096)?;
                range("layers", *layers, 1, 20)?;
                check_init(kind, init)?;
                if *forget_bias != 0.0 && (*cell != RnnCell::Lstm || !forget_bias.is_finite()) {
                    return Err(ModelError::BadOption {
                        model: kind,
                        option: "forget_bias",
                        value: forget_bias.to_string(),
                        allowed: "a finite number, and only for `cell = \"lstm\"` (the only cell with a forget gate)".into(),
                    });
                }
                if let InputShape::Vector { .. } | InputShape::Tokens { .. } = input {
                    return Err(ModelError::WrongInput {
                        model: kind,
                        input: describe(input),
                        hint: "an RNN needs sequences or images (read row by row); use `adding`, `images` or `idx`",
                    });
                }
            }
            // Checked below, with the input every other model rejects.
            ModelConfig::Transformer { .. } => {}
        }
        if let ModelConfig::Transformer { layers, d_model, heads, d_ff, dropout, .. } = self {
            range("layers", *layers, 1, 48)?;
            range("d_model", *d_model, 1, 4096)?;
            range("heads", *heads, 1, 64)?;
            range("d_ff", *d_ff, 1, 16384)?;
            if d_model % heads != 0 {
                return Err(ModelError::BadOption {
                    model: kind,
                    option: "heads",
                    value: heads.to_string(),
                    allowed: format!("a divisor of d_model = {d_model}"),
                });
            }
            check_dropout(kind, *dropout, false)?;
            if !matches!(input, InputShape::Tokens { .. }) {
                return Err(ModelError::WrongInput {
                    model: kind,
                    input: describe(input),
                    hint: "a transformer reads windows of characters; use the `corpus` or `text` dataset",
                });
            }
        } else if let InputShape::Tokens { .. } = input {
            return Err(ModelError::WrongInput {
                model: kind,
                input: describe(input),
                hint: "windows of characters are read by the `transformer` model only",
            });
        }
        let parameters = self.parameter_count(input);
        if parameters > MAX_PARAMETERS {
            return Err(ModelError::TooLarge { model: kind, parameters, limit: MAX_PARAMETERS });
        }
        Ok(())
    }
}

/// Hidden units of a gated feed-forward layer standing in for a plain one of `d_ff`: `2 d_ff / 3`
/// rounded to the nearest multiple of 8 (at least 8), as Shazeer 2020 keeps parameters equal.
pub fn gated_width(d_ff: usize) -> usize {
    (((2 * d_ff) as f64 / 3.0 / 8.0).round() as usize).max(1) * 8
}

fn check_init(model: &'static str, init: &InitScheme) -> Result<(), ModelError> {
    if let InitScheme::Uniform { min, max } = *init
        && !(min.is_finite() && max.is_finite() && min < max)
    {
        return Err(ModelError::BadOption {
            model,
            option: "init",
            value: format!("uniform({min}, {max})"),
            allowed: "uniform with finite min < max".into(),
        });
    }
    Ok(())
}

/// ` dropout 0.25`, ` alpha-dropout 0.1`, or nothing.
fn dropout_label(rate: f64, alpha: bool) -> String {
    match (rate, alpha) {
        (0.0, _) => String::new(),
        (r, false) => format!(" dropout {r}"),
        (r, true) => format!(" alpha-dropout {r}"),
    }
}

fn check_dropout(model: &'static str, rate: f64, alpha: bool) -> Result<(), ModelError> {
    if !(0.0..1.0).contains(&rate) {
        return Err(ModelError::BadOption {
            model,
            option: "dropout",
            value: rate.to_string(),
            allowed: "a rate in [0, 1)".into(),
        });
    }
    if alpha && rate == 0.0 {
        return Err(ModelError::BadOption {
            model,
            option: "alpha_dropout",
            value: "true".into(),
            allowed: "used with a `dropout` rate above 0".into(),
        });
    }
    Ok(())
}

fn describe(input: InputShape) -> String {
    match input {
        InputShape::Vector { features } => format!("vectors of {features} features"),
        InputShape::Image { channels, height, width } => {
            format!("{channels}x{height}x{width} images")
        }
        InputShape::Sequence { steps, features } => {
            format!("sequences of {steps} steps x {features} features")
        }
        InputShape::Tokens { context, vocab } => {
            format!("windows of {context} tokens of a {vocab}-token vocabulary")
        }
    }
}
