//! A decoder-only transformer over character windows (GPT-2's layout at toy scale): token and
//! learned position embeddings, `layers` pre-norm blocks of causal multi-head self-attention and
//! a feed-forward layer, a final norm and an untied output layer.
//!
//! Block `i`: `h = x + Attn(Norm(x))`, `y = h + FFN(Norm(h))`, with
//! - `FFN(x) = W2 f(x W1)` for an element-wise activation `f` (Vaswani et al. 2017), `d_ff`
//!   hidden units;
//! - `FFN(x) = W2 (f(x W) * (x V))` for a gated activation (Shazeer 2020, "GLU Variants Improve
//!   Transformer"), [`gated_width`]`(d_ff)` hidden units (2/3 of `d_ff`, rounded to a multiple of
//!   8), so that both have about the same parameters.
//!
//! Every tensor is drawn from the seeded host generator with a stream of its own, named by the
//! tensor (`block2.attention.query.weight`): for one seed, every tensor outside the feed-forward
//! layers is bit-identical whatever the activation, so paired comparisons compare like with like.
//! Weights are N(0, 0.02), the projections into the residual stream N(0, 0.02 / sqrt(2 layers))
//! (GPT-2), biases 0, norms start at scale 1 and shift 0.
//!
//! The feed-forward activation is a field of our own block, so an activation with trained
//! parameters is trained and saved (burn's `PositionWiseFeedForward` skips it as a module).

use actbench_activations::{Activation, ActivationConfig, GatedActivation};
use actbench_data::rng;
use burn::module::Param;
use burn::nn::{LayerNorm, LayerNormConfig, RmsNorm, RmsNormConfig};
use burn::prelude::*;
use burn::tensor::activation::softmax;
use burn::tensor::{Gradients, TensorData};
use rand_chacha::ChaCha8Rng;

pub use crate::config::gated_width;
use crate::config::{ModelConfig, Norm};
use crate::dense::Dense;
use crate::dropout::{Dropout, DropoutRng};
use crate::init::param;
use crate::stats::{GradStat, grad_stat};
use crate::trace::LayerTrace;

/// Standard deviation of the initial weights (GPT-2).
pub const INIT_STD: f64 = 0.02;

/// A weight drawn N(0, std^2) from the stream named `name` of `seed`.
fn normal_param<const D: usize>(
    name: &str,
    seed: u64,
    std: f64,
    shape: [usize; D],
    device: &Device,
) -> Param<Tensor<D>> {
    let mut rng: ChaCha8Rng = rng::seeded(seed, stream(name));
    let count = shape.iter().product();
    let values = (0..count).map(|_| (rng::normal(&mut rng) * std) as f32).collect();
    param(values, shape, device)
}

/// The generator stream of a tensor: FNV-1a of its name, kept clear of the small stream numbers
/// the rest of actbench uses.
fn stream(name: &str) -> u64 {
    let hash = name.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    hash | (1 << 63)
}

/// A [`Dense`] layer `[inputs, outputs]` named `name`: weights N(0, std^2) from the stream of
/// `name.weight`, biases 0.
fn linear(
    name: &str,
    inputs: usize,
    outputs: usize,
    std: f64,
    seed: u64,
    device: &Device,
) -> Dense {
    Dense {
        weight: normal_param(&format!("{name}.weight"), seed, std, [inputs, outputs], device),
        bias: param(vec![0.0; outputs], [outputs], device),
    }
}

/// LayerNorm or RMSNorm over the last dimension.
#[derive(Module, Debug)]
pub enum NormLayer {
    /// `(x - mean) / sqrt(var + 1e-5) * gamma + beta`.
    Layer(LayerNorm),
    /// `x / sqrt(mean(x^2) + 1e-5) * gamma`.
    Rms(RmsNorm),
}

impl NormLayer {
    fn new(norm: Norm, d_model: usize, device: &Device) -> Self {
        match norm {
            Norm::LayerNorm => NormLayer::Layer(LayerNormConfig::new(d_model).init(device)),
            Norm::RmsNorm => NormLayer::Rms(RmsNormConfig::new(d_model).init(device)),
        }
    }

    fn forward(&self, x: Tensor<2>) -> Tensor<2> {
        match self {
            NormLayer::Layer(n) => n.forward(x),
            NormLayer::Rms(n) => n.forward(x),
        }
    }
}

/// Causal multi-head self-attention.
#[derive(Module, Debug)]
pub struct Attention {
    query: Dense,
    key: Dense,
    value: Dense,
    out: Dense,
    heads: usize,
}

impl Attention {
    /// `x: [batch * context, d_model]` -> same shape; position `t` sees positions `0..=t` only.
    fn forward(&self, x: Tensor<2>, batch: usize, context: usize, mask: Tensor<4>) -> Tensor<2> {
        let d_model = x.dims()[1];
        let head = d_model / self.heads;
        let split = |t: Tensor<2>| t.reshape([batch, context, self.heads, head]).swap_dims(1, 2);
        let q = split(self.query.forward(x.clone()));
        let k = split(self.key.forward(x.clone()));
        let v = split(self.value.forward(x));
        let scores = q.matmul(k.swap_dims(2, 3)).mul_scalar(1.0 / (head as f64).sqrt()) + mask;
        let weights = softmax(scores, 3);
        let mixed = weights.matmul(v).swap_dims(1, 2).reshape([batch * context, d_model]);
        self.out.forward(mixed)
    }
}

/// `W2 f(x W1)`.
#[derive(Module, Debug)]
pub struct PlainFfn {
    input: Dense,
    activation: Activation,
    output: Dense,
}

/// `W2 (f(x W) * (x V))`.
#[derive(Module, Debug)]
pub struct GatedFfn {
    gate: Dense,
    value: Dense,
    activation: GatedActivation,
    output: Dense,
}

/// The feed-forward layer: plain or gated.
#[derive(Module, Debug)]
pub enum FeedForward {
    /// `W2 f(x W1)`.
    Plain(PlainFfn),
    /// `W2 (f(x W) * (x V))`.
    Gated(GatedFfn),
}

impl FeedForward {
    /// The output, and the hidden layer's trace when asked.
    fn forward(&self, x: Tensor<2>, layer: &str, trace: bool) -> (Tensor<2>, Option<LayerTrace>) {
        match self {
            FeedForward::Plain(f) => {
                let z = f.input.forward(x);
                let a = f.activation.forward(z.clone());
                let traced =
                    trace.then(|| LayerTrace::new(layer.into(), &f.activation, z, a.clone()));
                (f.output.forward(a), traced)
            }
            FeedForward::Gated(f) => {
                let z = f.gate.forward(x.clone());
                let a = f.activation.forward(z.clone(), f.value.forward(x));
                let traced =
                    trace.then(|| LayerTrace::new(layer.into(), f.activation.gate(), z, a.clone()));
                (f.output.forward(a), traced)
            }
        }
    }

    /// The weight whose gradient stands for the layer (`W1`, or the gate's `W`).
    fn input_weight(&self) -> &Param<Tensor<2>> {
        match self {
            FeedForward::Plain(f) => &f.input.weight,
            FeedForward::Gated(f) => &f.gate.weight,
        }
    }

    fn learned(&self) -> Vec<(&'static str, f64)> {
        match self {
            FeedForward::Plain(f) => f.activation.learned(),
            FeedForward::Gated(f) => f.activation.learned(),
        }
    }
}

/// One pre-norm block.
#[derive(Module, Debug)]
pub struct Block {
    attention_norm: NormLayer,
    attention: Attention,
    ffn_norm: NormLayer,
    ffn: FeedForward,
}

/// The decoder-only transformer.
#[derive(Module, Debug)]
pub struct Transformer {
    tokens: Param<Tensor<2>>,
    positions: Param<Tensor<2>>,
    blocks: Vec<Block>,
    final_norm: NormLayer,
    output: Dense,
    dropout: Dropout,
}

impl Transformer {
    /// Builds the model for windows of `context` tokens of a `vocab`-token vocabulary; `config`
    /// must be a transformer config (validated).
    pub fn new(
        config: &ModelConfig,
        context: usize,
        vocab: usize,
        activation: &ActivationConfig,
        seed: u64,
        device: &Device,
    ) -> Self {
        let ModelConfig::Transformer { layers, d_model, heads, d_ff, norm, dropout } = config
        else {
            unreachable!("a transformer config")
        };
        let (d, layers) = (*d_model, *layers);
        let residual_std = INIT_STD / ((2 * layers) as f64).sqrt();
        let blocks = (0..layers)
            .map(|i| {
                let name = |part: &str| format!("block{i}.{part}");
                let linear = |part: &str, inputs, outputs, std| {
                    linear(&name(part), inputs, outputs, std, seed, device)
                };
                let ffn = if activation.is_gated() {
                    let width = gated_width(*d_ff);
                    FeedForward::Gated(GatedFfn {
                        gate: linear("ffn.gate", d, width, INIT_STD),
                        value: linear("ffn.value", d, width, INIT_STD),
                        activation: activation.init_gated(device),
                        output: linear("ffn.output", width, d, residual_std),
                    })
                } else {
                    FeedForward::Plain(PlainFfn {
                        input: linear("ffn.input", d, *d_ff, INIT_STD),
                        activation: activation.init(device),
                        output: linear("ffn.output", *d_ff, d, residual_std),
                    })
                };
                Block {
                    attention_norm: NormLayer::new(*norm, d, device),
                    attention: Attention {
                        query: linear("attention.query", d, d, INIT_STD),
                        key: linear("attention.key", d, d, INIT_STD),
                        value: linear("attention.value", d, d, INIT_STD),
                        out: linear("attention.out", d, d, residual_std),
                        heads: *heads,
                    },
                    ffn_norm: NormLayer::new(*norm, d, device),
                    ffn,
                }
            })
            .collect();
        Self {
            tokens: normal_param("embedding.tokens", seed, INIT_STD, [vocab, d], device),
            positions: normal_param("embedding.positions", seed, INIT_STD, [context, d], device),
            blocks,
            final_norm: NormLayer::new(*norm, d, device),
            output: linear("output", d, vocab, INIT_STD, seed, device),
            dropout: Dropout::new(*dropout, false),
        }
    }

    /// Logits `[batch, context * vocab]` (position-major) for token ids `[batch, context]`
    /// stored as floats; dropout when `masks` is given (training).
    pub fn forward(
        &self,
        x: Tensor<2>,
        mut traces: Option<&mut Vec<LayerTrace>>,
        mut masks: Option<&mut DropoutRng>,
    ) -> Tensor<2> {
        let [batch, context] = x.dims();
        let device = x.device();
        let d_model = self.tokens.dims()[1];
        let ids = x.int().reshape([batch * context]);
        let positions = self.positions.val().slice([0..context, 0..d_model]);
        let mut h = (self.tokens.val().select(0, ids).reshape([batch, context, d_model])
            + positions.unsqueeze::<3>())
        .reshape([batch * context, d_model]);
        let mask = causal_mask(context, &device);
        for (i, block) in self.blocks.iter().enumerate() {
            let attended = block.attention.forward(
                block.attention_norm.forward(h.clone()),
                batch,
                context,
                mask.clone(),
            );
            h = h + self.dropout.forward(attended, masks.as_deref_mut());
            let (fed, trace) = block.ffn.forward(
                block.ffn_norm.forward(h.clone()),
                &format!("block{i}"),
                traces.is_some(),
            );
            if let (Some(traces), Some(trace)) = (traces.as_deref_mut(), trace) {
                traces.push(trace);
            }
            h = h + self.dropout.forward(fed, masks.as_deref_mut());
        }
        let logits = self.output.forward(self.final_norm.forward(h));
        let vocab = logits.dims()[1];
        logits.reshape([batch, context * vocab])
    }

    /// Gradient statistics: the token embedding, each block's feed-forward input weight, the
    /// output layer.
    pub fn gradient_stats(&self, grads: &Gradients) -> Vec<GradStat> {
        let mut stats = vec![grad_stat("embedding".into(), &self.tokens, grads)];
        for (i, block) in self.blocks.iter().enumerate() {
            stats.push(grad_stat(format!("block{i}"), block.ffn.input_weight(), grads));
        }
        stats.push(grad_stat("output".into(), &self.output.weight, grads));
        stats
    }

    /// Current values of trained activation parameters, by block.
    pub fn learned(&self) -> Vec<(String, f64)> {
        self.blocks
            .iter()
            .enumerate()
            .flat_map(|(i, b)| {
                b.ffn.learned().into_iter().map(move |(name, v)| (format!("block{i}.{name}"), v))
            })
            .collect()
    }

    /// The weights outside the feed-forward layers, by tensor name, as host values: the same
    /// for every activation at one seed (see the module documentation).
    pub fn shared_weights(&self) -> Vec<(String, Vec<f32>)> {
        let values = |t: Tensor<2>| t.into_data().iter::<f32>().collect::<Vec<f32>>();
        let mut weights = vec![
            ("embedding.tokens".to_string(), values(self.tokens.val())),
            ("embedding.positions".to_string(), values(self.positions.val())),
        ];
        for (i, block) in self.blocks.iter().enumerate() {
            let a = &block.attention;
            for (part, linear) in
                [("query", &a.query), ("key", &a.key), ("value", &a.value), ("out", &a.out)]
            {
                weights.push((
                    format!("block{i}.attention.{part}.weight"),
                    values(linear.weight.val()),
                ));
            }
        }
        weights.push(("output.weight".to_string(), values(self.output.weight.val())));
        weights
    }
}

/// `[1, 1, context, context]`: 0 where a position may look (itself and earlier), -1e30 where it
/// may not (later positions).
fn causal_mask(context: usize, device: &Device) -> Tensor<4> {
    let values: Vec<f32> = (0..context * context)
        .map(|k| if k % context > k / context { -1e30 } else { 0.0 })
        .collect();
    Tensor::<2>::from_data(TensorData::new(values, [context, context]), device).unsqueeze::<4>()
}
