//! Models whose hidden activation is a parameter: MLP, CNN and RNN (vanilla, LSTM, GRU), each
//! with an output head (identity, sigmoid or softmax) paired with its loss.
//!
//! Models never look at an activation's name: they build whatever [`ActivationConfig`] they are
//! given, one module per layer (so PReLU learns one slope per layer).
//!
//! [`ActivationConfig`]: actbench_activations::ActivationConfig

// `unsafe` only in `kernels` (a matrix-product call), with its SAFETY comment.
#![deny(unsafe_code)]

pub mod cnn;
pub mod config;
pub mod dense;
pub mod dropout;
pub mod error;
pub mod head;
pub mod init;
#[allow(unsafe_code)]
pub mod kernels;
pub mod mlp;
pub mod model;
pub mod rnn;
pub mod stats;
#[cfg(test)]
mod testing;

pub use config::{InitScheme, ModelConfig};
pub use dropout::DropoutRng;
pub use error::ModelError;
pub use head::{Head, Metric};
pub use model::{LayerTrace, Model};
