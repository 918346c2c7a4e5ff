//! Gated activations `f(a) * b` against their definition: on every compiled backend, in float32,
//! the values and both gradients match `f(a) * b`, `g * f'(a) * b` and `g * f(a)` computed in
//! float64 from the gate's own `f(a)` and `f'(a)` on that backend, within 8 float32 epsilon.

mod common;

use actbench_activations::config::gated::PUBLISHED;
use actbench_activations::{ActivationConfig, burn, curve};
use burn::prelude::*;
use burn::tensor::{DType, TensorCreationOptions, TensorData};
use common::*;

/// Gate inputs from -12 to 12 (both tails of every gate) and values of both signs.
fn inputs(n: usize) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let a = (0..n).map(|i| -12.0 + 24.0 * i as f64 / (n - 1) as f64).collect();
    let b = (0..n).map(|i| ((i * 7919 % 997) as f64 / 498.5) - 1.0).collect();
    let g = (0..n).map(|i| ((i * 104_729 % 991) as f64 / 495.5) - 1.0).collect();
    (a, b, g)
}

fn tensor(values: &[f64], device: &Device) -> Tensor<1> {
    let options = TensorCreationOptions::new(device.clone()).with_dtype(DType::F32);
    Tensor::from_data(TensorData::new(values.to_vec(), [values.len()]), options)
}

/// Rounds to float32, as the backend sees the inputs.
fn f32s(values: &[f64]) -> Vec<f64> {
    values.iter().map(|&v| v as f32 as f64).collect()
}

#[test]
fn every_gated_activation_is_its_definition_on_every_backend() {
    let mut configs: Vec<ActivationConfig> =
        PUBLISHED.iter().map(|p| p.name.parse().unwrap()).collect();
    for text in ["glu:mish", "glu:leaky-relu:0.2", "glu:selu", "glu:formula:x * tanh(x)"] {
        configs.push(text.parse().unwrap());
    }
    let (a, b, g) = inputs(4001);
    let (a, b, g) = (f32s(&a), f32s(&b), f32s(&g));
    let eps = f32::EPSILON as f64;
    let mut failures = Vec::new();
    for (backend, device) in backends() {
        let device = device.autodiff();
        for config in &configs {
            assert!(config.is_gated());
            let gated = config.init_gated(&device);
            let (ta, tb) = (tensor(&a, &device).require_grad(), tensor(&b, &device).require_grad());
            let y = gated.forward(ta.clone(), tb.clone());
            let grads = (y.clone() * tensor(&g, &device)).sum().backward();
            let (y, da, db) = (
                to_vec(y.detach()),
                to_vec(ta.grad(&grads).unwrap()),
                to_vec(tb.grad(&grads).unwrap()),
            );
            let gate = curve::evaluate(&config.gate(), &a, DType::F32, &device);
            for i in 0..a.len() {
                let (f, df) = (gate.y[i], gate.dy[i]);
                let want = [f * b[i], g[i] * df * b[i], g[i] * f];
                let got = [y[i], da[i], db[i]];
                for (what, (got, want)) in
                    ["f(a) * b", "dL/da", "dL/db"].iter().zip(got.iter().zip(want))
                {
                    if (got - want).abs() > 8.0 * eps * want.abs().max(1.0) {
                        failures.push(format!(
                            "{backend} {}: {what} at a = {}, b = {}: {got} vs {want}",
                            config.label(),
                            a[i],
                            b[i]
                        ));
                    }
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} mismatches, first: {:?}",
        failures.len(),
        &failures[..failures.len().min(5)]
    );
}

/// The one-pass kernels give the composed version's bits on the CPU backends (so records do not
/// depend on which path ran), for every gate with a kernel, in float32 and float64.
#[test]
fn one_pass_gated_kernels_give_the_composed_bits_on_the_cpu_backends() {
    let (a, b, g) = inputs(40_001);
    let mut checked = 0;
    for (backend, device) in backends() {
        if !backend.supports_f64() {
            continue; // the CPU backends
        }
        let device = device.autodiff();
        for text in [
            "glu",
            "reglu",
            "geglu",
            "geglu-tanh",
            "swiglu",
            "glu:mish",
            "glu:selu",
            "glu:leaky-relu:0.2",
        ] {
            let config: ActivationConfig = text.parse().unwrap();
            let gated = config.init_gated(&device);
            assert!(gated.gate().kernel().is_some(), "{text} has a one-pass gate");
            for dtype in [DType::F32, DType::F64] {
                let t = |v: &[f64]| {
                    let options = TensorCreationOptions::new(device.clone()).with_dtype(dtype);
                    Tensor::<2>::from_data(TensorData::new(v.to_vec(), [v.len() / 7, 7]), options)
                };
                let n = a.len() / 7 * 7;
                let run = |fused: bool| {
                    let (ta, tb) = (t(&a[..n]).require_grad(), t(&b[..n]).require_grad());
                    let y = if fused {
                        gated.forward(ta.clone(), tb.clone())
                    } else {
                        gated.forward_composed(ta.clone(), tb.clone())
                    };
                    let grads = (y.clone() * t(&g[..n])).sum().backward();
                    let bits = |x: Tensor<2>| -> Vec<u64> {
                        x.into_data().iter::<f64>().map(f64::to_bits).collect()
                    };
                    (
                        bits(y.detach()),
                        bits(ta.grad(&grads).unwrap()),
                        bits(tb.grad(&grads).unwrap()),
                    )
                };
                assert!(
                    run(true) == run(false),
                    "{backend} {text} {dtype:?}: one-pass and composed differ"
                );
                checked += 1;
            }
        }
    }
    assert!(checked >= 16, "flex and ndarray both checked ({checked})");
}
