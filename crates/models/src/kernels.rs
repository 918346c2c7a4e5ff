//! Our CNN's convolution (stride 1, "same" padding, odd square kernel), 2x2 max-pooling and
//! batch normalisation, and the element-wise steps of our LSTM and GRU cells, as burn
//! backend-extension ops on the CPU backends (`extension.rs`; flex: `on_flex.rs`, ndarray:
//! `on_ndarray.rs`; the float types they take: `real.rs`), each with a hand-written autodiff
//! node.
//!
//! Why: profiled on flex (`perf record`, one CNN training step), burn's general 3-D convolution
//! and pooling took half the step outside the matrix products: its convolution converts NCHW to
//! NHWC and back, computes the weight gradient as a convolution of permuted tensors and the
//! input gradient as a transposed convolution, and its max-pool writes an index tensor. On
//! ndarray the same step ran 25x slower than on flex. Its batch norm (`batch_norm_train`) takes two
//! reductions over transposed copies forward and about ten passes backward: 27% of a ResNet step.
//! Here the convolution is a few shifted copies of each input channel and one matrix product per
//! kernel row and image, reading the copies in place (`conv.rs`, the `gemm` crate flex itself
//! uses), and the others one or two passes over memory (`pool.rs`, `norm.rs`), on every core, the
//! same code on both backends. Other backends (wgpu, cuda) and other dtypes keep burn's ops;
//! [`conv2d`], [`max_pool2x2`] and [`batch_norm`] choose.
//!
//! The `gemm` crate runs with its `x86-v4` feature: on a CPU with AVX-512 it picks its AVX-512
//! kernels at run time (for burn-flex's matrix products too), up to 2x faster than its AVX2
//! kernels on an Intel Xeon. The price: on AVX-512 machines the products' last bits differ from
//! those of AVX2-only machines. The same holds for float32 3x3 convolutions on small planes,
//! which run on our own AVX-512 kernels where the CPU has it (`direct.rs`), summing in another
//! order than the products.
//!
//! Results agree with burn's ops to rounding (tests below); the pooling picks the same maximum.
//!
//! The recurrent cells' element-wise steps ([`lstm_step`], [`gru_step`]; `cells.rs`) are ops of
//! the same extension, for the same reason: profiled on flex, an LSTM training step spent its
//! time in allocation and autodiff bookkeeping for the 15 small tensor operations of each time
//! step, not in arithmetic.

use actbench_activations::Activation;
#[cfg(any(feature = "flex", feature = "ndarray"))]
use actbench_activations::fused::supported_on_cpu;
use burn::nn::BatchNorm;
#[cfg(any(feature = "flex", feature = "ndarray"))]
use burn::nn::PaddingConfig2d;
use burn::nn::conv::Conv2d;
use burn::nn::pool::MaxPool2d;
use burn::prelude::*;

#[cfg(any(feature = "flex", feature = "ndarray"))]
mod cells;
#[cfg(any(feature = "flex", feature = "ndarray"))]
mod conv;
#[cfg(any(feature = "flex", feature = "ndarray"))]
mod direct;
#[cfg(any(feature = "flex", feature = "ndarray"))]
mod extension;
mod memory;
#[cfg(any(feature = "flex", feature = "ndarray"))]
mod norm;
#[cfg(feature = "flex")]
mod on_flex;
#[cfg(feature = "ndarray")]
mod on_ndarray;
#[cfg(any(feature = "flex", feature = "ndarray"))]
mod pool;
#[cfg(any(feature = "flex", feature = "ndarray"))]
mod real;

pub use memory::keep_freed_buffers;

/// `conv.forward(x)` for our CNN's convolutions (stride 1, "same" padding, odd square kernel,
/// one group, no dilation, with bias): our kernel on flex and ndarray
/// ([`supported_on_cpu`]), else burn's.
pub fn conv2d(conv: &Conv2d, x: Tensor<4>) -> Tensor<4> {
    #[cfg(any(feature = "flex", feature = "ndarray"))]
    if let Some(bias) = &conv.bias
        && supported_on_cpu(&x)
        && conv.kernel_size[0] == conv.kernel_size[1]
        && conv.kernel_size[0] % 2 == 1
        && matches!(conv.padding, PaddingConfig2d::Same)
        && conv.stride == [1, 1]
        && conv.dilation == [1, 1]
        && conv.groups == 1
    {
        return extension::conv2d_same(x, conv.weight.val(), bias.val());
    }
    conv.forward(x)
}

/// `pool.forward(x)` for a 2x2 max-pool with stride 2: our kernel on flex and ndarray
/// ([`supported_on_cpu`]), else burn's.
pub fn max_pool2x2(pool: &MaxPool2d, x: Tensor<4>) -> Tensor<4> {
    #[cfg(any(feature = "flex", feature = "ndarray"))]
    if supported_on_cpu(&x)
        && pool.kernel_size == [2, 2]
        && pool.stride == [2, 2]
        && pool.dilation == [1, 1]
        && !pool.ceil_mode
        && matches!(pool.padding, PaddingConfig2d::Valid)
    {
        return extension::max_pool2x2(x);
    }
    pool.forward(x)
}

/// `norm.forward(x)`: our kernel on flex and ndarray ([`supported_on_cpu`]), else burn's. As
/// burn's: in training (on an autodiff device) with the batch's statistics, which also update the
/// running ones (`running = (1 - momentum) running + momentum batch`, biased variance); without
/// autodiff with the running statistics. On an autodiff device in evaluation mode, or with
/// parameters of another dtype than x, it is burn's.
pub fn batch_norm<const D: usize>(norm: &BatchNorm, x: Tensor<D>) -> Tensor<D> {
    #[cfg(any(feature = "flex", feature = "ndarray"))]
    if ours_apply(norm, &x) {
        let device = x.device();
        let (gamma, beta) = (norm.gamma.val(), norm.beta.val());
        if !device.is_autodiff() {
            let running = [norm.running_mean.value(), norm.running_var.value()];
            let stats = Tensor::stack::<2>(running.map(|t| t.to_device(&device)).into(), 0);
            return extension::batch_norm(x, stats, gamma, beta, norm.epsilon);
        }
        let stats = extension::batch_norm_stats(x.clone());
        let [channels] = gamma.dims();
        let batch = |row: usize| stats.clone().narrow(0, row, 1).reshape([channels]);
        let update = |running: Tensor<1>, batch: Tensor<1>| {
            running
                .to_device(&device)
                .mul_scalar(1.0 - norm.momentum)
                .add(batch.mul_scalar(norm.momentum))
                .detach()
        };
        norm.running_mean.update(update(norm.running_mean.value_sync(), batch(0)));
        norm.running_var.update(update(norm.running_var.value_sync(), batch(1)));
        return extension::batch_norm(x, stats, gamma, beta, norm.epsilon);
    }
    norm.forward(x)
}

/// Whether [`batch_norm`] runs our kernel on `x`: on flex and ndarray ([`supported_on_cpu`]),
/// with parameters of x's dtype, in training on an autodiff device or in evaluation without one.
#[cfg(any(feature = "flex", feature = "ndarray"))]
fn ours_apply<const D: usize>(norm: &BatchNorm, x: &Tensor<D>) -> bool {
    let same_dtype = |t: Tensor<1>| t.dtype() == x.dtype();
    supported_on_cpu(x)
        && same_dtype(norm.gamma.val())
        && same_dtype(norm.running_mean.value())
        && (!x.device().is_autodiff() || norm.training.is_enabled())
}

/// The kernels of a cell's gate and candidate activations, when our cell steps apply to `x`: on
/// flex and ndarray ([`supported_on_cpu`]), with activations that have a one-pass kernel.
#[cfg(any(feature = "flex", feature = "ndarray"))]
fn cell_kernels(gate: &Activation, act: &Activation, x: &Tensor<2>) -> Option<cells::CellKernels> {
    let (gate, act) = (gate.kernel()?, act.kernel()?);
    supported_on_cpu(x).then_some(cells::CellKernels { gate, act })
}

/// One LSTM step's new cell state and output `(c', h')` from the gate pre-activations `z`
/// (`[rows, 4 hidden]`, parts `[i, f, g, o]`) and the state `c`: `c' = s(z_f) c + s(z_i) f(z_g)`,
/// `h' = s(z_o) f(c')`, with `s` = `gate` and `f` = `act`. Our kernels, or `None` where they
/// do not apply (the caller writes the step out in tensor operations).
#[cfg_attr(not(any(feature = "flex", feature = "ndarray")), allow(unused_variables))]
pub fn lstm_step(
    gate: &Activation,
    act: &Activation,
    z: &Tensor<2>,
    c: &Tensor<2>,
) -> Option<(Tensor<2>, Tensor<2>)> {
    #[cfg(any(feature = "flex", feature = "ndarray"))]
    if let Some(k) = cell_kernels(gate, act, z) {
        let state = extension::lstm(z.clone(), c.clone(), cells::LstmOp::State, k);
        let output = extension::lstm(z.clone(), state.clone(), cells::LstmOp::Output, k);
        return Some((state, output));
    }
    None
}

/// One GRU step's output `h'` from `xw = x W + b` and `hu = h U` (`[rows, 3 hidden]`, parts
/// `[r, z, n]`) and `h`: `r = s(xw_r + hu_r)`, `z = s(xw_z + hu_z)`, `n = f(xw_n + r hu_n)`,
/// `h' = (1 - z) n + z h`. Our kernel, or `None` where it does not apply.
#[cfg_attr(not(any(feature = "flex", feature = "ndarray")), allow(unused_variables))]
pub fn gru_step(
    gate: &Activation,
    act: &Activation,
    xw: &Tensor<2>,
    hu: &Tensor<2>,
    h: &Tensor<2>,
) -> Option<Tensor<2>> {
    #[cfg(any(feature = "flex", feature = "ndarray"))]
    if let Some(k) = cell_kernels(gate, act, xw) {
        return Some(extension::gru_step(xw.clone(), hu.clone(), h.clone(), k));
    }
    None
}

#[cfg(test)]
// burn 0.22 deprecates its ndarray backend; our users still run it.
#[allow(deprecated)]
mod tests {
    use burn::nn::BatchNormConfig;
    use burn::nn::conv::Conv2dConfig;
    use burn::nn::pool::MaxPool2dConfig;
    use burn::tensor::{DType, Distribution, TensorData};

    use super::*;
    use crate::testing::{bits, cpu_devices as devices};

    /// Our output and gradients (x, weight, bias) in `dtype`, or burn's when `!ours`, for
    /// `sum(conv(x) * g)` with fixed pseudo-random values.
    fn conv_results(
        device: &Device,
        dtype: DType,
        ours: bool,
        [batch, c_in, c_out, h, w, k]: [usize; 6],
    ) -> [Vec<f64>; 4] {
        let ad = device.clone().autodiff();
        let values = |shape: Vec<usize>, seed: usize| {
            let n: usize = shape.iter().product();
            let v: Vec<f64> =
                (0..n).map(|i| ((i * 7919 + seed * 104729) % 2001) as f64 / 1000.0 - 1.0).collect();
            Tensor::<4>::from_data(TensorData::new(v, shape), &ad).cast(dtype)
        };
        let mut conv =
            Conv2dConfig::new([c_in, c_out], [k, k]).with_padding(PaddingConfig2d::Same).init(&ad);
        conv.weight = burn::module::Param::from_tensor(values(vec![c_out, c_in, k, k], 1));
        let bias = values(vec![1, 1, 1, c_out], 2).reshape([c_out]);
        conv.bias = Some(burn::module::Param::from_tensor(bias));
        let x = values(vec![batch, c_in, h, w], 3).require_grad();
        let g = values(vec![batch, c_out, h, w], 4);
        assert!(supported_on_cpu(&x), "our kernel runs on {device:?} {dtype:?}");
        let out = if ours { conv2d(&conv, x.clone()) } else { conv.forward(x.clone()) };
        let grads = (out.clone() * g).sum().backward();
        let bias = conv.bias.as_ref().unwrap().val();
        let host = |t: Tensor<4>| t.into_data().convert::<f64>().try_to_vec::<f64>().unwrap();
        let db = bias.grad(&grads).unwrap().reshape([1, 1, 1, c_out]);
        [
            host(out),
            host(x.grad(&grads).unwrap()),
            host(conv.weight.val().grad(&grads).unwrap()),
            host(db),
        ]
    }

    /// Forward and every gradient of ours against burn's `Conv2d` computed in float64, on each
    /// CPU backend, in float32 and float64; and without autodiff (evaluation).
    #[test]
    fn convolution_matches_burns() {
        for device in devices() {
            for shape in [[5, 1, 8, 28, 28, 3], [3, 4, 6, 7, 9, 5], [2, 3, 2, 4, 4, 1]] {
                let reference = conv_results(&device, DType::F64, false, shape);
                for dtype in [DType::F64, DType::F32] {
                    let ours = conv_results(&device, dtype, true, shape);
                    // Float32 weight gradients sum up to 3920 products of values up to 1 (and the
                    // reference's are float64): 2e-5 of the largest value of each result.
                    let tolerance = if dtype == DType::F64 { 1e-12 } else { 2e-5 };
                    for (what, (ours, reference)) in
                        ["forward", "dx", "dW", "db"].iter().zip(ours.iter().zip(&reference))
                    {
                        let scale = reference.iter().fold(1.0f64, |m, v| m.max(v.abs()));
                        for (i, (a, b)) in ours.iter().zip(reference).enumerate() {
                            assert!(
                                (a - b).abs() <= tolerance * scale,
                                "{device:?} {dtype:?} {shape:?} {what}[{i}]: {a} vs {b}"
                            );
                        }
                    }
                }
            }
            let conv =
                Conv2dConfig::new([2, 3], [3, 3]).with_padding(PaddingConfig2d::Same).init(&device);
            let x = Tensor::<4>::random([2, 2, 5, 5], Distribution::Default, &device);
            let (ours, burns) = (conv2d(&conv, x.clone()), conv.forward(x));
            let diff: f32 = (ours - burns).abs().max().into_scalar();
            assert!(diff < 1e-6, "{device:?} without autodiff: {diff}");
        }
    }

    /// Forward and gradient, ours against burn's `MaxPool2d`, with ties (ReLU zeros), a NaN and
    /// odd sizes; exactly equal, since both pick the same element. burn-ndarray's pooling skips
    /// NaN where flex (and PyTorch) let it win; ours lets it win on both, so the NaN case is
    /// compared with flex only.
    #[test]
    fn max_pooling_matches_burns_exactly() {
        let pool = MaxPool2dConfig::new([2, 2]).init();
        for device in devices() {
            let ad = device.clone().autodiff();
            for dtype in [DType::F32, DType::F64] {
                for shape in [[4, 3, 28, 28], [2, 5, 7, 7], [1, 2, 5, 4]] {
                    let values = Tensor::<4>::random(shape, Distribution::Normal(0.0, 1.0), &ad);
                    // ReLU-like: about half the elements tie at zero; one NaN on flex.
                    let mut data = values.clamp_min(0.0).into_data().try_to_vec::<f32>().unwrap();
                    if device == Device::flex() {
                        data[5] = f32::NAN;
                    }
                    let x = Tensor::<4>::from_data(TensorData::new(data, shape), &ad)
                        .cast(dtype)
                        .require_grad();
                    let case = format!("{device:?} {dtype:?} {shape:?}");
                    let ours = max_pool2x2(&pool, x.clone());
                    let burns = pool.forward(x.clone());
                    let out = [shape[0], shape[1], shape[2] / 2, shape[3] / 2];
                    let g =
                        Tensor::<4>::random(out, Distribution::Normal(0.0, 1.0), &ad).cast(dtype);
                    let same = |a: Vec<u64>, b: Vec<u64>, what: &str| {
                        let first = a.iter().zip(&b).position(|(a, b)| a != b);
                        assert!(
                            first.is_none(),
                            "{case} {what}: first difference at {first:?}: {} vs burn {}",
                            f64::from_bits(a[first.unwrap()]),
                            f64::from_bits(b[first.unwrap()])
                        );
                    };
                    same(bits(ours.clone()), bits(burns.clone()), "forward");
                    let dx_ours = x.grad(&(ours * g.clone()).sum().backward()).unwrap();
                    let dx_burn = x.grad(&(burns * g).sum().backward()).unwrap();
                    same(bits(dx_ours), bits(dx_burn), "dx");
                }
            }
        }
    }

    /// Batch normalisation, ours against burn's `BatchNorm` in float64, on each CPU backend in
    /// float32 and float64: training's output and gradients (x, γ, β) and running statistics
    /// after two steps, evaluation's output, 4-D and 2-D (the MLP's) inputs; channels far from
    /// zero, where the centred forms matter.
    #[test]
    fn batch_norm_matches_burns() {
        let values = |n: usize, seed: usize, offset: f64| -> Vec<f64> {
            (0..n)
                .map(|i| ((i * 7919 + seed * 104729) % 2001) as f64 / 500.0 - 2.0 + offset)
                .collect()
        };
        for device in devices() {
            for shape in [vec![5, 3, 6, 7], vec![16, 4]] {
                let n: usize = shape.iter().product();
                let channels = shape[1];
                // Ours or burn's for two training steps and an evaluation, in `dtype`.
                let results = |dtype: DType, ours: bool| -> Vec<Vec<f64>> {
                    let ad = device.clone().autodiff();
                    let tensor = |v: Vec<f64>, shape: [usize; 4], d: &Device| {
                        Tensor::<4>::from_data(TensorData::new(v, shape), d).cast(dtype)
                    };
                    let shape4: [usize; 4] = if shape.len() == 2 {
                        [shape[0], shape[1], 1, 1]
                    } else {
                        [shape[0], shape[1], shape[2], shape[3]]
                    };
                    let mut norm = BatchNormConfig::new(channels).init(&ad);
                    let gamma = tensor(values(channels, 5, 1.0), [1, 1, 1, channels], &ad);
                    norm.gamma = burn::module::Param::from_tensor(gamma.reshape([channels]));
                    let beta = tensor(values(channels, 6, 0.0), [1, 1, 1, channels], &ad);
                    norm.beta = burn::module::Param::from_tensor(beta.reshape([channels]));
                    norm.running_mean =
                        burn::module::RunningState::new(norm.running_mean.value().cast(dtype));
                    norm.running_var =
                        burn::module::RunningState::new(norm.running_var.value().cast(dtype));
                    let host =
                        |t: Tensor<4>| t.into_data().convert::<f64>().try_to_vec::<f64>().unwrap();
                    let host1 =
                        |t: Tensor<1>| t.into_data().convert::<f64>().try_to_vec::<f64>().unwrap();
                    let mut out = Vec::new();
                    for step in 0..2 {
                        let x =
                            tensor(values(n, step, 50.0 * step as f64), shape4, &ad).require_grad();
                        let g = tensor(values(n, 3 + step, 0.2), shape4, &ad);
                        if ours {
                            assert!(ours_apply(&norm, &x), "{device:?} {dtype:?}: our kernel runs");
                        }
                        let y = if ours {
                            if shape.len() == 2 {
                                batch_norm(&norm, x.clone().reshape([shape[0], channels]))
                                    .reshape(shape4)
                            } else {
                                batch_norm(&norm, x.clone())
                            }
                        } else {
                            norm.forward(x.clone())
                        };
                        let grads = (y.clone() * g).sum().backward();
                        out.push(host(y));
                        out.push(host(x.grad(&grads).unwrap()));
                        out.push(host1(norm.gamma.val().grad(&grads).unwrap()));
                        out.push(host1(norm.beta.val().grad(&grads).unwrap()));
                        out.push(host1(norm.running_mean.value_sync()));
                        out.push(host1(norm.running_var.value_sync()));
                    }
                    let eval = norm.valid();
                    let x = tensor(values(n, 9, 20.0), shape4, &device);
                    assert!(!ours || ours_apply(&eval, &x), "{device:?} {dtype:?}: ours evaluates");
                    out.push(host(if ours { batch_norm(&eval, x) } else { eval.forward(x) }));
                    out
                };
                let reference = results(DType::F64, false);
                for dtype in [DType::F64, DType::F32] {
                    let ours = results(dtype, true);
                    let tolerance = if dtype == DType::F64 { 1e-10 } else { 2e-4 };
                    for (k, (ours, reference)) in ours.iter().zip(&reference).enumerate() {
                        let scale = reference.iter().fold(1.0f64, |m, v| m.max(v.abs()));
                        for (i, (a, b)) in ours.iter().zip(reference).enumerate() {
                            assert!(
                                (a - b).abs() <= tolerance * scale,
                                "{device:?} {dtype:?} {shape:?} result {k}[{i}]: {a} vs burn's {b}"
                            );
                        }
                    }
                }
            }
        }
    }
}
