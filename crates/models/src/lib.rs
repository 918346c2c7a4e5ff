//! Models whose hidden activation is a parameter: MLP, CNN, ResNet, RNN (vanilla, LSTM, GRU) and a
//! decoder-only transformer (element-wise or gated feed-forward layers), each with an output head (identity, sigmoid or softmax) paired with its loss.
//!
//! Models never look at an activation's name: they build whatever [`ActivationConfig`] they are
//! given, one module per layer (so PReLU learns one slope per layer).
//!
//! [`ActivationConfig`]: actbench_activations::ActivationConfig

#![warn(missing_docs)]

pub mod cnn;
pub mod config;
pub mod dense;
pub mod dropout;
pub mod error;
pub mod head;
pub mod init;
// `unsafe` only in `kernels` (a matrix-product call, `mallopt`), each block with its SAFETY
// comment; the workspace lints deny it everywhere else.
#[allow(unsafe_code)]
pub mod kernels;
pub mod mlp;
pub mod model;
pub mod resnet;
pub mod rnn;
pub mod stats;
#[cfg(test)]
mod testing;
pub mod trace;
pub mod transformer;

pub use config::{InitScheme, ModelConfig, Norm};
pub use dropout::DropoutRng;
pub use error::ModelError;
pub use head::{Head, Metric};
pub use model::Model;
pub use trace::LayerTrace;
