//! What [`Model::forward_traced`](crate::Model::forward_traced) records of each hidden layer.

use actbench_activations::Activation;
use burn::prelude::*;

use crate::stats::{ActivationStat, activation_stat};

/// A hidden layer's outputs on a batch, with its activation's derivative at the
/// pre-activations (both `[samples, units]`), recorded by
/// [`Model::forward_traced`](crate::Model::forward_traced).
#[derive(Debug, Clone)]
pub struct LayerTrace {
    /// Layer name.
    pub layer: String,
    /// Outputs, one column per unit (channels for conv layers, hidden units for RNNs).
    pub outputs: Tensor<2>,
    /// f'(pre-activation), same shape.
    pub slopes: Tensor<2>,
}

/// A convolution's `[n, c, h, w]` as trace units `[n * h * w, c]`: one column per channel.
pub fn channel_units(t: Tensor<4>) -> Tensor<2> {
    let [n, c, h, w] = t.dims();
    t.permute([0, 2, 3, 1]).reshape([n * h * w, c])
}

impl LayerTrace {
    /// Records `activation` applied to `pre`, whose result is `outputs` (needs an autodiff device).
    pub fn new(layer: String, activation: &Activation, pre: Tensor<2>, outputs: Tensor<2>) -> Self {
        let x = pre.detach().require_grad();
        let y = activation.forward(x.clone());
        let grads = y.sum().backward();
        let slopes = x.grad(&grads).expect("pre-activation gradient");
        Self { layer, outputs: outputs.detach(), slopes }
    }

    /// Mean, variance and dead-unit fraction.
    pub fn stat(self) -> ActivationStat {
        activation_stat(self.layer, self.outputs, self.slopes)
    }
}
