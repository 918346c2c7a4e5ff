//! An activation's curve: f(x) and f'(x) at given points, the derivative from burn's autodiff.

use burn::prelude::*;
use burn::tensor::{DType, TensorCreationOptions, TensorData};

use crate::config::ActivationConfig;

/// Values and derivatives of one activation at the points `x`.
#[derive(Debug, Clone, PartialEq)]
pub struct Curve {
    /// The points.
    pub x: Vec<f64>,
    /// f(x).
    pub y: Vec<f64>,
    /// f'(x), from autodiff of `sum(f(x))`.
    pub dy: Vec<f64>,
}

/// Evaluates `config`'s activation at `x` in `dtype` on `device` (autodiff is enabled here).
/// The points are first rounded to `dtype`, and `Curve::x` holds the rounded points.
pub fn evaluate(config: &ActivationConfig, x: &[f64], dtype: DType, device: &Device) -> Curve {
    let device = device.clone().autodiff();
    let activation = config.init(&device);
    let options = TensorCreationOptions::new(device).with_dtype(dtype);
    let input =
        Tensor::<1>::from_data(TensorData::new(x.to_vec(), [x.len()]), options).require_grad();
    let y = activation.forward(input.clone());
    let grads = y.clone().sum().backward();
    let dy = input.grad(&grads).expect("the input requires a gradient");
    Curve { x: to_vec(input.detach()), y: to_vec(y.detach()), dy: to_vec(dy) }
}

/// `points` evenly spaced values from `from` to `to`, both included.
pub fn linspace(from: f64, to: f64, points: usize) -> Vec<f64> {
    match points {
        0 => Vec::new(),
        1 => vec![from],
        n => (0..n).map(|i| from + (to - from) * i as f64 / (n - 1) as f64).collect(),
    }
}

fn to_vec(t: Tensor<1>) -> Vec<f64> {
    t.into_data().iter::<f64>().collect()
}
