//! Multi-layer perceptron: `depth` hidden layers of `width` units.

use actbench_activations::{Activation, ActivationConfig};
use actbench_data::InputShape;
use burn::nn::{BatchNorm, BatchNormConfig};
use burn::prelude::*;
use burn::tensor::Gradients;
use rand_chacha::ChaCha8Rng;

use crate::config::ModelConfig;
use crate::dense::Dense;
use crate::dropout::{Dropout, DropoutRng};
use crate::kernels;
use crate::stats::{GradStat, grad_stat};
use crate::trace::LayerTrace;

/// Hidden layer i: `a_i = dropout(f(BN(W_i a_{i-1} + b_i))) (+ a_{i-1} when residual and i > 0)`.
#[derive(Module, Debug)]
pub struct Mlp {
    hidden: Vec<Dense>,
    norms: Vec<BatchNorm>,
    activations: Vec<Activation>,
    residual: bool,
    dropout: Dropout,
    output: Dense,
}

impl Mlp {
    /// The batch-norm layers (empty without batch norm).
    pub(crate) fn norms_mut(&mut self) -> impl Iterator<Item = &mut BatchNorm> {
        self.norms.iter_mut()
    }

    /// Builds the network; `config` must be an MLP config.
    pub fn new(
        config: &ModelConfig,
        input: InputShape,
        outputs: usize,
        activation: &ActivationConfig,
        rng: &mut ChaCha8Rng,
        device: &Device,
    ) -> Self {
        let ModelConfig::Mlp {
            depth,
            width,
            init,
            batch_norm,
            residual,
            bias_init,
            dropout,
            alpha_dropout,
        } = config
        else {
            unreachable!("an MLP config")
        };
        let mut hidden = Vec::new();
        let mut inputs = input.size();
        for _ in 0..*depth {
            hidden.push(Dense::new(inputs, *width, init, *bias_init, rng, device));
            inputs = *width;
        }
        let norms = if *batch_norm {
            (0..*depth).map(|_| BatchNormConfig::new(*width).init(device)).collect()
        } else {
            Vec::new()
        };
        let activations = (0..*depth).map(|_| activation.init(device)).collect();
        let output = Dense::new(*width, outputs, init, None, rng, device);
        let dropout = Dropout::new(*dropout, *alpha_dropout);
        Self { hidden, norms, activations, residual: *residual, dropout, output }
    }

    /// Logits for `[batch, features]`; dropout when `masks` is given (training).
    pub fn forward(
        &self,
        x: Tensor<2>,
        mut traces: Option<&mut Vec<LayerTrace>>,
        mut masks: Option<&mut DropoutRng>,
    ) -> Tensor<2> {
        let mut h = x;
        for (i, (layer, activation)) in self.hidden.iter().zip(&self.activations).enumerate() {
            let mut z = layer.forward(h.clone());
            if let Some(norm) = self.norms.get(i) {
                z = kernels::batch_norm(norm, z);
            }
            let mut a = activation.forward(z.clone());
            if let Some(traces) = traces.as_deref_mut() {
                traces.push(LayerTrace::new(format!("hidden{i}"), activation, z, a.clone()));
            }
            a = self.dropout.forward(a, masks.as_deref_mut());
            if self.residual && i > 0 {
                a = a + h;
            }
            h = a;
        }
        self.output.forward(h)
    }

    /// Gradient statistics per layer.
    pub fn gradient_stats(&self, grads: &Gradients) -> Vec<GradStat> {
        let mut stats: Vec<GradStat> = self
            .hidden
            .iter()
            .enumerate()
            .map(|(i, l)| grad_stat(format!("hidden{i}"), &l.weight, grads))
            .collect();
        stats.push(grad_stat("output".into(), &self.output.weight, grads));
        stats
    }

    /// The activation modules, by layer.
    pub fn activations(&self) -> Vec<(String, &Activation)> {
        self.activations.iter().enumerate().map(|(i, a)| (format!("hidden{i}"), a)).collect()
    }
}
