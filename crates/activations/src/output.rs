//! Output activations: what the last layer applies, each paired with its natural loss (G15).

use burn::prelude::*;
use serde::{Deserialize, Serialize};

/// The activation of a model's output layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum OutputActivation {
    /// Linear output (regression), paired with mean squared error.
    Identity,
    /// Independent probabilities (binary or multi-label), paired with binary cross-entropy.
    Sigmoid,
    /// One distribution over classes, paired with cross-entropy.
    Softmax,
}

impl OutputActivation {
    /// Every output activation.
    pub const ALL: [OutputActivation; 3] = [Self::Identity, Self::Sigmoid, Self::Softmax];

    /// Kebab-case name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Identity => "identity",
            Self::Sigmoid => "sigmoid",
            Self::Softmax => "softmax",
        }
    }

    /// Applies it to logits of shape `[batch, outputs]` (softmax over the last dimension).
    pub fn forward(self, logits: Tensor<2>) -> Tensor<2> {
        match self {
            Self::Identity => logits,
            Self::Sigmoid => burn::tensor::activation::sigmoid(logits),
            Self::Softmax => burn::tensor::activation::softmax(logits, 1),
        }
    }
}
