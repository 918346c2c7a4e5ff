//! Criterion benchmarks of the hot activation kernels: `cargo bench -p actbench-activations`.
//!
//! - `slice/*`: the fused float32 kernels on one thread over 2^20 elements (no tensor, no
//!   allocation): the arithmetic cost per element.
//! - `flex/*`: forward+backward through the activation modules on flex with autodiff, 2^20
//!   elements, as a model calls them, next to ReLU and burn's built-in mish.
//!
//! Criterion reports the mean time per iteration with a 95% confidence interval from bootstrap
//! resampling, classifies outliers (Tukey fences) and reports them, but keeps every sample.

use actbench_activations::ActivationConfig;
use actbench_activations::burn;
use actbench_activations::fused::Kernel;
use actbench_activations::fused::slices::{Pass, run_f32};
use burn::prelude::*;
use burn::tensor::TensorData;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

const ELEMENTS: usize = 1 << 20;

fn inputs() -> Vec<f32> {
    (0..ELEMENTS).map(|i| ((i * 7919) % ELEMENTS) as f32 / ELEMENTS as f32 * 10.0 - 5.0).collect()
}

fn kernels() -> [(&'static str, Kernel); 4] {
    [
        ("swish", Kernel::Swish { beta: 1.0 }),
        ("gelu", Kernel::Gelu),
        ("mish", Kernel::Mish),
        (
            "selu",
            Kernel::ExpLinear {
                scale: 1.050_700_987_355_480_5,
                alpha: 1.673_263_242_354_377_2,
                width: 1.0,
            },
        ),
    ]
}

fn slice_kernels(c: &mut Criterion) {
    let x = inputs();
    let grad: Vec<f32> = x.iter().map(|v| 1.0 - 0.1 * v).collect();
    let mut out = vec![0.0f32; ELEMENTS];
    let mut group = c.benchmark_group("slice");
    group.throughput(Throughput::Elements(ELEMENTS as u64));
    for (name, kernel) in kernels() {
        group.bench_function(BenchmarkId::new("forward", name), |b| {
            b.iter(|| run_f32(kernel, Pass::Forward { x: &x, out: &mut out }))
        });
        group.bench_function(BenchmarkId::new("backward", name), |b| {
            b.iter(|| run_f32(kernel, Pass::Backward { x: &x, grad: &grad, out: &mut out }))
        });
    }
    group.finish();
}

fn flex_forward_backward(c: &mut Criterion) {
    let device = Device::flex().autodiff();
    let x = Tensor::<1>::from_data(TensorData::new(inputs(), [ELEMENTS]), &device);
    let mut group = c.benchmark_group("flex-forward-backward");
    group.throughput(Throughput::Elements(ELEMENTS as u64));
    group.sample_size(30);
    let fwd_bwd = |f: &dyn Fn(Tensor<1>) -> Tensor<1>| {
        let input = x.clone().require_grad();
        let grads = f(input.clone()).backward();
        input.grad(&grads).expect("gradient")
    };
    for name in ["relu", "swish", "mish", "selu", "gelu"] {
        let module = name.parse::<ActivationConfig>().expect("registered").init(&device);
        group.bench_function(name, |b| b.iter(|| fwd_bwd(&|t| module.forward(t))));
    }
    group.bench_function("burn-mish", |b| {
        b.iter(|| fwd_bwd(&|t| burn::tensor::activation::mish(t)))
    });
    group.finish();
}

criterion_group!(benches, slice_kernels, flex_forward_backward);
criterion_main!(benches);
