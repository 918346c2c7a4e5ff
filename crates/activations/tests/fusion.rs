//! burn's kernel fusion on wgpu (Mesa's CPU Vulkan driver in CI), on in the default build: it
//! really fuses (an element-wise chain launches fewer kernels than it has operations), and our
//! one-pass kernels inside a fused graph give the values and gradients flex gives, with
//! element-wise operations fused on both sides of them. Every other wgpu test of this crate runs
//! with fusion on as well; `bench train` (runner tests) compares launches with fusion off.
//!
//! A binary of its own, its tests one at a time ([`ONE_AT_A_TIME`]): the launch count is
//! process-wide.
#![cfg(all(feature = "wgpu", feature = "fusion", feature = "flex"))]

use actbench_activations::backend::Backend;
use actbench_activations::gpu::fusion;
use actbench_activations::gpu::launches::Launches;
use actbench_activations::{ActivationConfig, burn};
use burn::prelude::*;
use burn::tensor::{DType, TensorCreationOptions, TensorData};

/// Held by each test: another test's kernels would count as this one's.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn tensor(values: &[f64], device: &Device) -> Tensor<1> {
    let options = TensorCreationOptions::new(device.clone()).with_dtype(DType::F32);
    Tensor::from_data(TensorData::new(values.to_vec(), [values.len()]), options)
}

fn to_vec(t: Tensor<1>) -> Vec<f64> {
    t.into_data().iter::<f64>().collect()
}

/// Inputs from -6 to 6.
fn inputs(n: usize) -> Vec<f64> {
    (0..n).map(|i| -6.0 + 12.0 * i as f64 / (n - 1) as f64).collect()
}

/// `3 f(2x + 0.5) - 1` (for a gated activation `3 f(2x + 0.5) * (x - 1) - 1`) and the gradient
/// of its sum with respect to x: our kernel between fusable element-wise operations.
fn sandwich(config: &ActivationConfig, xs: &[f64], device: &Device) -> (Vec<f64>, Vec<f64>) {
    let device = device.clone().autodiff();
    let x = tensor(xs, &device).require_grad();
    let inner = x.clone() * 2.0 + 0.5;
    let activated = if config.is_gated() {
        config.init_gated(&device).forward(inner, x.clone() - 1.0)
    } else {
        config.init(&device).forward(inner)
    };
    let y = activated * 3.0 - 1.0;
    let grads = y.clone().sum().backward();
    (to_vec(y.detach()), to_vec(x.grad(&grads).expect("x takes part")))
}

#[test]
fn our_kernels_inside_a_fused_graph_match_flex() {
    let _alone = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    assert!(fusion::enabled(), "the default build fuses on the GPU backends");
    let wgpu = Backend::Wgpu.device().unwrap_or_else(|e| panic!("{e}"));
    let flex = Backend::Flex.device().unwrap();
    let xs: Vec<f64> = inputs(2001).into_iter().map(|x| x as f32 as f64).collect();
    let mut failures = Vec::new();
    for name in ["mish", "swish", "selu", "gelu", "gelu-tanh", "elu", "sigmoid", "tanh", "swiglu"] {
        let config: ActivationConfig = name.parse().unwrap();
        let (y_gpu, dy_gpu) = sandwich(&config, &xs, &wgpu);
        let (y_cpu, dy_cpu) = sandwich(&config, &xs, &flex);
        for (what, gpu, cpu) in [("value", &y_gpu, &y_cpu), ("gradient", &dy_gpu, &dy_cpu)] {
            for (i, (g, c)) in gpu.iter().zip(cpu.iter()).enumerate() {
                // The tolerance of the crate's wgpu-against-flex curves, scaled by the factors.
                if (g - c).abs() > 1e-5 * (1.0 + c.abs()) {
                    failures.push(format!("{name} {what} at x = {}: wgpu {g}, flex {c}", xs[i]));
                    break;
                }
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn an_elementwise_chain_is_one_kernel() {
    let _alone = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    assert!(fusion::enabled(), "the default build fuses on the GPU backends");
    let device = Backend::Wgpu.device().unwrap_or_else(|e| panic!("{e}"));
    let x = tensor(&inputs(4096), &device);
    // Six element-wise operations, read back once.
    let chain = |x: Tensor<1>| ((((x.exp() * 2.0) + 1.0).tanh() - 0.5).abs() * 3.0).into_data();
    chain(x.clone()); // the first time explores and compiles
    let launches = Launches::watch().expect("wgpu is compiled");
    chain(x);
    let count = launches.count();
    eprintln!("6 element-wise operations: {count} kernel launches");
    assert!(count <= 2, "6 element-wise operations took {count} kernel launches with fusion on");
}
