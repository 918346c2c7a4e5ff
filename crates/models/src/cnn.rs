//! Convolutional network: stages of conv blocks (3x3 unless `kernel` says otherwise), each stage
//! ending in 2x2 max-pooling, then (optional) dropout, dense hidden layers and the output layer.

use actbench_activations::{Activation, ActivationConfig};
use actbench_data::InputShape;
use burn::nn::conv::Conv2d;
use burn::nn::pool::{MaxPool2d, MaxPool2dConfig};
use burn::nn::{BatchNorm, BatchNormConfig};
use burn::prelude::*;
use burn::tensor::Gradients;
use rand_chacha::ChaCha8Rng;

use crate::config::ModelConfig;
use crate::dense::Dense;
use crate::dropout::{Dropout, DropoutRng};
use crate::init::conv_layer;
use crate::kernels;
use crate::stats::{GradStat, grad_stat};
use crate::trace::{LayerTrace, channel_units};

/// Conv block: `a = f(BN(conv(h))) (+ h when residual)`; after the front end
/// `h = dropout(h)`; dense layer: `a = dropout(f(BN(W h + b)))`.
#[derive(Module, Debug)]
pub struct Cnn {
    convs: Vec<Conv2d>,
    norms: Vec<BatchNorm>,
    activations: Vec<Activation>,
    /// Per block: add the block's input to its output.
    residual: Vec<bool>,
    /// Per block: 2x2 max-pool after it (the last block of each stage).
    pool_after: Vec<bool>,
    pool: MaxPool2d,
    dropout: Dropout,
    dense: Vec<Dense>,
    dense_norms: Vec<BatchNorm>,
    dense_activations: Vec<Activation>,
    output: Dense,
    /// Input layout `[channels, height, width]`.
    image: [usize; 3],
}

impl Cnn {
    /// The batch-norm layers (empty without batch norm).
    pub(crate) fn norms_mut(&mut self) -> impl Iterator<Item = &mut BatchNorm> {
        self.norms.iter_mut().chain(self.dense_norms.iter_mut())
    }

    /// Builds the network; `config` must be a CNN config and `input` an image.
    pub fn new(
        config: &ModelConfig,
        input: InputShape,
        outputs: usize,
        activation: &ActivationConfig,
        rng: &mut ChaCha8Rng,
        device: &Device,
    ) -> Self {
        let ModelConfig::Cnn {
            channels,
            blocks,
            kernel,
            dense,
            dense_layers,
            dense_batch_norm,
            init,
            batch_norm,
            residual,
            dropout,
            alpha_dropout,
            ..
        } = config
        else {
            unreachable!("a CNN config")
        };
        let InputShape::Image { channels: in_channels, height, width } = input else {
            unreachable!("validated: image input")
        };
        let (mut convs, mut norms, mut activations, mut residuals, mut pool_after) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let mut c_in = in_channels;
        for &c_out in channels {
            for b in 0..*blocks {
                convs.push(conv_layer(c_in, c_out, *kernel, init, rng, device));
                if *batch_norm {
                    norms.push(BatchNormConfig::new(c_out).init(device));
                }
                activations.push(activation.init(device));
                residuals.push(*residual && b > 0);
                pool_after.push(b + 1 == *blocks);
                c_in = c_out;
            }
        }
        let shrink = 1 << channels.len();
        let mut inputs = c_in * (height / shrink) * (width / shrink);
        let (mut dense_stack, mut dense_norms, mut dense_activations) =
            (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..*dense_layers {
            dense_stack.push(Dense::new(inputs, *dense, init, None, rng, device));
            if *dense_batch_norm {
                dense_norms.push(BatchNormConfig::new(*dense).init(device));
            }
            dense_activations.push(activation.init(device));
            inputs = *dense;
        }
        Self {
            convs,
            norms,
            activations,
            residual: residuals,
            pool_after,
            pool: MaxPool2dConfig::new([2, 2]).init(),
            dropout: Dropout::new(*dropout, *alpha_dropout),
            dense: dense_stack,
            dense_norms,
            dense_activations,
            output: Dense::new(*dense, outputs, init, None, rng, device),
            image: [in_channels, height, width],
        }
    }

    /// Logits for flat images `[batch, channels * height * width]`; dropout when `masks` is given
    /// (training).
    pub fn forward(
        &self,
        x: Tensor<2>,
        mut traces: Option<&mut Vec<LayerTrace>>,
        mut masks: Option<&mut DropoutRng>,
    ) -> Tensor<2> {
        let [batch, _] = x.dims();
        let [c, h, w] = self.image;
        let mut x = x.reshape([batch, c, h, w]);
        for (i, (conv, activation)) in self.convs.iter().zip(&self.activations).enumerate() {
            let mut z = kernels::conv2d(conv, x.clone());
            if let Some(norm) = self.norms.get(i) {
                z = kernels::batch_norm(norm, z);
            }
            let mut a = activation.forward(z.clone());
            if let Some(traces) = traces.as_deref_mut() {
                traces.push(LayerTrace::new(
                    format!("conv{i}"),
                    activation,
                    channel_units(z),
                    channel_units(a.clone()),
                ));
            }
            if self.residual[i] {
                a = a + x;
            }
            x = if self.pool_after[i] { kernels::max_pool2x2(&self.pool, a) } else { a };
        }
        let [batch, c, h, w] = x.dims();
        let mut h = self.dropout.forward(x.reshape([batch, c * h * w]), masks.as_deref_mut());
        for (i, (layer, activation)) in self.dense.iter().zip(&self.dense_activations).enumerate() {
            let mut z = layer.forward(h);
            if let Some(norm) = self.dense_norms.get(i) {
                z = kernels::batch_norm(norm, z);
            }
            let a = activation.forward(z.clone());
            if let Some(traces) = traces.as_deref_mut() {
                traces.push(LayerTrace::new(dense_name(i), activation, z, a.clone()));
            }
            h = self.dropout.forward(a, masks.as_deref_mut());
        }
        self.output.forward(h)
    }

    /// Gradient statistics per layer.
    pub fn gradient_stats(&self, grads: &Gradients) -> Vec<GradStat> {
        let mut stats: Vec<GradStat> = self
            .convs
            .iter()
            .enumerate()
            .map(|(i, c)| grad_stat(format!("conv{i}"), &c.weight, grads))
            .collect();
        stats.extend(
            self.dense.iter().enumerate().map(|(i, l)| grad_stat(dense_name(i), &l.weight, grads)),
        );
        stats.push(grad_stat("output".into(), &self.output.weight, grads));
        stats
    }

    /// The activation modules, by layer.
    pub fn activations(&self) -> Vec<(String, &Activation)> {
        let mut all: Vec<(String, &Activation)> =
            self.activations.iter().enumerate().map(|(i, a)| (format!("conv{i}"), a)).collect();
        all.extend(self.dense_activations.iter().enumerate().map(|(i, a)| (dense_name(i), a)));
        all
    }
}

/// `dense` for the first dense hidden layer (the only one of most CNNs), `dense1`... after it.
fn dense_name(i: usize) -> String {
    if i == 0 { "dense".into() } else { format!("dense{i}") }
}
