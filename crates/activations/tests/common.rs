//! Helpers shared by the activation test files.
#![allow(dead_code)]

use actbench_activations::backend::Backend;
use actbench_activations::{ActivationConfig, burn};
use burn::prelude::*;
use burn::tensor::DType;
use serde_json::Value;

/// Precision a test runs in.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Precision {
    F32,
    F64,
}

impl Precision {
    pub fn eps(self) -> f64 {
        match self {
            Precision::F32 => f32::EPSILON as f64,
            Precision::F64 => f64::EPSILON,
        }
    }
    pub fn dtype(self) -> DType {
        match self {
            Precision::F32 => DType::F32,
            Precision::F64 => DType::F64,
        }
    }
}

/// Every compiled backend with its device; panics (fails the test) if one cannot start, so a
/// missing Vulkan driver is a failure, not a skip.
pub fn backends() -> Vec<(Backend, Device)> {
    Backend::compiled()
        .into_iter()
        .filter(|b| *b != Backend::Cuda || std::env::var_os("ACTBENCH_TEST_CUDA").is_some())
        .map(|b| (b, b.device().unwrap_or_else(|e| panic!("{e}"))))
        .collect()
}

/// Precisions a backend computes in.
pub fn precisions(backend: Backend) -> Vec<Precision> {
    if backend.supports_f64() { vec![Precision::F32, Precision::F64] } else { vec![Precision::F32] }
}

/// `(f(x), f'(x))` through burn's autodiff (gradient of `sum(f(x))`), as f64 vectors.
pub fn value_and_derivative(
    config: &ActivationConfig,
    xs: &[f64],
    precision: Precision,
    device: &Device,
) -> (Vec<f64>, Vec<f64>) {
    let curve = actbench_activations::curve::evaluate(config, xs, precision.dtype(), device);
    (curve.y, curve.dy)
}

pub fn to_vec<const D: usize>(t: Tensor<D>) -> Vec<f64> {
    t.into_data().iter::<f64>().collect()
}

/// Error in units of `eps * max(1, |reference|)`: relative for large values, absolute near zero.
pub fn mixed_error(got: f64, reference: f64, eps: f64) -> f64 {
    if got == reference {
        return 0.0;
    }
    if !got.is_finite() {
        return f64::INFINITY;
    }
    (got - reference).abs() / (eps * reference.abs().max(1.0))
}

/// The golden file: PyTorch and mpmath reference values (`tests/data/golden_activations.json`).
pub fn golden() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/golden_activations.json");
    serde_json::from_str(&std::fs::read_to_string(path).expect("golden file")).expect("golden JSON")
}

/// A JSON array of numbers.
pub fn floats(v: &Value) -> Vec<f64> {
    v.as_array().expect("array").iter().map(|x| x.as_f64().expect("number")).collect()
}
