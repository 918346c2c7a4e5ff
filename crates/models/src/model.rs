//! Any model, built from its config; what the trainer calls.

use actbench_activations::{Activation, ActivationConfig};
use actbench_data::InputShape;
use burn::module::Param;
use burn::prelude::*;
use burn::tensor::Gradients;

use crate::cnn::Cnn;
use crate::config::ModelConfig;
use crate::dropout::DropoutRng;
use crate::error::ModelError;
use crate::head::Head;
use crate::mlp::Mlp;
use crate::resnet::Resnet;
use crate::rnn::Rnn;
use crate::stats::GradStat;
use crate::trace::LayerTrace;
use crate::transformer::Transformer;

/// A model: an MLP, a CNN, a ResNet, an RNN or a transformer, with its hidden activation and
/// output layer.
#[derive(Module, Debug)]
#[allow(clippy::large_enum_variant)]
pub enum Model {
    /// Fully connected.
    Mlp(Mlp),
    /// Convolutional.
    Cnn(Cnn),
    /// Residual convolutional, with batch norm.
    Resnet(Resnet),
    /// Recurrent.
    Rnn(Rnn),
    /// Decoder-only transformer.
    Transformer(Transformer),
}

impl Model {
    /// Builds `config` for inputs of shape `input`, hidden activation `activation`, output head
    /// `head`; weights drawn from `seed`.
    pub fn new(
        config: &ModelConfig,
        input: InputShape,
        head: &Head,
        activation: &ActivationConfig,
        seed: u64,
        device: &Device,
    ) -> Result<Self, ModelError> {
        config.validate(input)?;
        check_activation(config, head, activation)?;
        let mut rng = actbench_data::rng::seeded(seed, 10);
        Ok(match config {
            ModelConfig::Mlp { .. } => {
                Model::Mlp(Mlp::new(config, input, head.outputs(), activation, &mut rng, device))
            }
            ModelConfig::Cnn { .. } => {
                Model::Cnn(Cnn::new(config, input, head.outputs(), activation, &mut rng, device))
            }
            ModelConfig::Resnet { .. } => Model::Resnet(Resnet::new(
                config,
                input,
                head.outputs(),
                activation,
                &mut rng,
                device,
            )),
            ModelConfig::Rnn { .. } => {
                Model::Rnn(Rnn::new(config, input, head.outputs(), activation, &mut rng, device))
            }
            ModelConfig::Transformer { .. } => {
                let InputShape::Tokens { context, vocab } = input else {
                    unreachable!("validated: a transformer reads tokens")
                };
                Model::Transformer(Transformer::new(
                    config, context, vocab, activation, seed, device,
                ))
            }
        })
    }

    /// Logits `[batch, outputs]` for flat inputs `[batch, input size]`, as evaluated (no
    /// dropout).
    pub fn forward(&self, x: Tensor<2>) -> Tensor<2> {
        self.run(x, None, None)
    }

    /// Logits as in training: dropout layers drop units with masks drawn from `masks`.
    pub fn forward_training(&self, x: Tensor<2>, masks: &mut DropoutRng) -> Tensor<2> {
        self.run(x, None, Some(masks))
    }

    /// Logits and a trace of every hidden layer (needs an autodiff device; no dropout).
    pub fn forward_traced(&self, x: Tensor<2>) -> (Tensor<2>, Vec<LayerTrace>) {
        let mut traces = Vec::new();
        let logits = self.run(x, Some(&mut traces), None);
        (logits, traces)
    }

    fn run(
        &self,
        x: Tensor<2>,
        traces: Option<&mut Vec<LayerTrace>>,
        masks: Option<&mut DropoutRng>,
    ) -> Tensor<2> {
        match self {
            Model::Mlp(m) => m.forward(x, traces, masks),
            Model::Cnn(m) => m.forward(x, traces, masks),
            Model::Resnet(m) => m.forward(x, traces),
            Model::Rnn(m) => m.forward(x, traces),
            Model::Transformer(m) => m.forward(x, traces, masks),
        }
    }

    /// A copy for measuring the model without training it: its batch-norm layers normalise with
    /// their running statistics and leave them untouched (a training-mode pass would fold the
    /// measured samples, test data included, into them). Weights are shared and gradients still
    /// flow, so per-layer gradient statistics can be taken on it.
    pub fn for_measurement(&self) -> Model {
        let mut copy = self.clone();
        let freeze = |norm: &mut burn::nn::BatchNorm| norm.training = Param::from_bool(false);
        match &mut copy {
            Model::Mlp(m) => m.norms_mut().for_each(freeze),
            Model::Cnn(m) => m.norms_mut().for_each(freeze),
            Model::Resnet(m) => m.norms_mut().for_each(freeze),
            Model::Rnn(_) | Model::Transformer(_) => {}
        }
        copy
    }

    /// Weight-gradient statistics of every layer, input side first, output layer last.
    pub fn gradient_stats(&self, grads: &Gradients) -> Vec<GradStat> {
        match self {
            Model::Mlp(m) => m.gradient_stats(grads),
            Model::Cnn(m) => m.gradient_stats(grads),
            Model::Resnet(m) => m.gradient_stats(grads),
            Model::Rnn(m) => m.gradient_stats(grads),
            Model::Transformer(m) => m.gradient_stats(grads),
        }
    }

    /// Current values of trained activation parameters, as `layer.parameter`.
    pub fn learned(&self) -> Vec<(String, f64)> {
        let activations: Vec<(String, &Activation)> = match self {
            Model::Mlp(m) => m.activations(),
            Model::Cnn(m) => m.activations(),
            Model::Resnet(m) => m.activations(),
            Model::Rnn(m) => m.activations(),
            Model::Transformer(m) => return m.learned(),
        };
        activations
            .into_iter()
            .flat_map(|(layer, a)| {
                a.learned().into_iter().map(move |(name, v)| (format!("{layer}.{name}"), v))
            })
            .collect()
    }
}

/// Checks what [`Model::new`] checks beyond the config's own [`ModelConfig::validate`]: a gated
/// activation needs the two inputs only a transformer's feed-forward layer gives it, and a
/// next-token task needs the softmax output.
pub fn check_activation(
    config: &ModelConfig,
    head: &Head,
    activation: &ActivationConfig,
) -> Result<(), ModelError> {
    let transformer = matches!(config, ModelConfig::Transformer { .. });
    if activation.is_gated() && !transformer {
        return Err(ModelError::Unsupported {
            model: config.kind(),
            problem: format!(
                "`{}` is a gated activation, f(a) * b over two inputs; only the `transformer` model's feed-forward layer takes one (use an element-wise activation here)",
                activation.label()
            ),
        });
    }
    if matches!(head.task, actbench_data::Task::NextToken { .. })
        && head.output != actbench_activations::OutputActivation::Softmax
    {
        return Err(ModelError::Unsupported {
            model: config.kind(),
            problem: format!(
                "predicting the next character needs the `softmax` output, not `{}`",
                head.output.name()
            ),
        });
    }
    Ok(())
}
