//! Criterion benchmarks of our CNN kernels against burn's own ops, side by side in one run:
//! `cargo bench -p actbench-models --bench cnn_kernels`.
//!
//! Forward + backward under autodiff (the input and the parameters require gradients, as in
//! training) at the shapes of the speed config's `cnn-32-64` cell, batch 64: the first
//! convolution (1 -> 32 channels, 28x28), the second (32 -> 64, 14x14) and the first pooling
//! (32 channels, 28x28), on flex and ndarray. Criterion reports each mean with its 95% interval.

use actbench_models::kernels;
use burn::nn::PaddingConfig2d;
use burn::nn::conv::Conv2dConfig;
use burn::nn::pool::MaxPool2dConfig;
use burn::prelude::*;
use burn::tensor::Distribution;
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};

fn devices() -> Vec<(&'static str, Device)> {
    #[allow(deprecated)]
    let ndarray = Device::ndarray();
    vec![("flex", Device::flex().autodiff()), ("ndarray", ndarray.autodiff())]
}

fn convolution(c: &mut Criterion) {
    let mut group = c.benchmark_group("conv-forward-backward");
    group.sample_size(20);
    for (backend, device) in devices() {
        for (name, [batch, c_in, c_out, size]) in
            [("1x28x28-to-32", [64, 1, 32, 28]), ("32x14x14-to-64", [64, 32, 64, 14])]
        {
            let conv = Conv2dConfig::new([c_in, c_out], [3, 3])
                .with_padding(PaddingConfig2d::Same)
                .init(&device);
            let x = Tensor::<4>::random([batch, c_in, size, size], Distribution::Default, &device);
            let step = |ours: bool| {
                let x = x.clone().require_grad();
                let y =
                    if ours { kernels::conv2d(&conv, x.clone()) } else { conv.forward(x.clone()) };
                let grads = y.sum().backward();
                x.grad(&grads).expect("gradient")
            };
            for (who, ours) in [("ours", true), ("burn", false)] {
                let id = BenchmarkId::new(format!("{backend}/{name}"), who);
                group.bench_function(id, |b| b.iter(|| step(ours)));
            }
        }
    }
    group.finish();
}

fn pooling(c: &mut Criterion) {
    let mut group = c.benchmark_group("max-pool-forward-backward");
    group.sample_size(20);
    let pool = MaxPool2dConfig::new([2, 2]).init();
    for (backend, device) in devices() {
        let x = Tensor::<4>::random([64, 32, 28, 28], Distribution::Default, &device);
        let step = |ours: bool| {
            let x = x.clone().require_grad();
            let y =
                if ours { kernels::max_pool2x2(&pool, x.clone()) } else { pool.forward(x.clone()) };
            let grads = y.sum().backward();
            x.grad(&grads).expect("gradient")
        };
        for (who, ours) in [("ours", true), ("burn", false)] {
            group.bench_function(BenchmarkId::new(format!("{backend}/32x28x28"), who), |b| {
                b.iter(|| step(ours))
            });
        }
    }
    group.finish();
}

criterion_group!(benches, convolution, pooling);
criterion_main!(benches);
