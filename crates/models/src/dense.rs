//! A fully connected layer with host-initialised weights.

use burn::module::Param;
use burn::prelude::*;
use rand_chacha::ChaCha8Rng;

use crate::init::{InitScheme, param};

/// `y = x W + b`, `W: [inputs, outputs]`.
#[derive(Module, Debug)]
pub struct Dense {
    /// Weights `[inputs, outputs]`.
    pub weight: Param<Tensor<2>>,
    /// Biases `[outputs]`.
    pub bias: Param<Tensor<1>>,
}

impl Dense {
    /// A layer initialised with `scheme` (biases: `bias`, or the scheme's own).
    pub fn new(
        inputs: usize,
        outputs: usize,
        scheme: &InitScheme,
        bias: Option<f64>,
        rng: &mut ChaCha8Rng,
        device: &Device,
    ) -> Self {
        let weight = scheme.weights(rng, inputs * outputs, inputs, outputs);
        let biases = scheme.biases(rng, outputs, inputs, bias);
        Self {
            weight: param(weight, [inputs, outputs], device),
            bias: param(biases, [outputs], device),
        }
    }

    /// Applies the layer to `[batch, inputs]`.
    pub fn forward(&self, x: Tensor<2>) -> Tensor<2> {
        x.matmul(self.weight.val()) + self.bias.val().unsqueeze::<2>()
    }
}
