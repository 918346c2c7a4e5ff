//! Per-layer measurements: weight-gradient norms, activation statistics, dead units.

use burn::module::Param;
use burn::prelude::*;
use burn::tensor::Gradients;
use serde::{Deserialize, Serialize};

/// The gradient of one layer's weights.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GradStat {
    /// Layer name (`hidden0`, `conv1.0`, `rnn0.recurrent`, `output`).
    pub layer: String,
    /// L2 norm of the weight gradient.
    pub grad_norm: f64,
    /// Mean absolute value of the weight gradient.
    pub grad_mean_abs: f64,
}

/// Gradient statistics of `weight` in `grads` (zero when it got no gradient).
pub fn grad_stat<const D: usize>(
    layer: String,
    weight: &Param<Tensor<D>>,
    grads: &Gradients,
) -> GradStat {
    match weight.val().grad(grads) {
        Some(g) => {
            let values: Vec<f64> = g.into_data().iter::<f64>().collect();
            let norm = values.iter().map(|v| v * v).sum::<f64>().sqrt();
            let mean_abs = values.iter().map(|v| v.abs()).sum::<f64>() / values.len().max(1) as f64;
            GradStat { layer, grad_norm: norm, grad_mean_abs: mean_abs }
        }
        None => GradStat { layer, grad_norm: 0.0, grad_mean_abs: 0.0 },
    }
}

/// Activation statistics of one hidden layer on the evaluation samples.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActivationStat {
    /// Layer name.
    pub layer: String,
    /// Mean of the layer's outputs.
    pub mean: f64,
    /// Variance of the layer's outputs.
    pub variance: f64,
    /// Fraction of units whose activation derivative is zero on every evaluation sample (so no
    /// gradient reaches their weights): dead units.
    pub dead_fraction: f64,
}

/// Statistics from a layer's outputs `[samples, units]` and its activation derivative at the
/// pre-activations, same shape.
pub fn activation_stat(layer: String, outputs: Tensor<2>, slopes: Tensor<2>) -> ActivationStat {
    let [samples, units] = outputs.dims();
    let values: Vec<f64> = outputs.into_data().iter::<f64>().collect();
    let n = values.len().max(1) as f64;
    let mean = values.iter().sum::<f64>() / n;
    let variance = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n;
    let slopes: Vec<f64> = slopes.into_data().iter::<f64>().collect();
    let dead = (0..units).filter(|&u| (0..samples).all(|s| slopes[s * units + u] == 0.0)).count();
    ActivationStat { layer, mean, variance, dead_fraction: dead as f64 / units.max(1) as f64 }
}
