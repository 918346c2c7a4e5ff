//! The ResNet's batch normalisation (`kernels::batch_norm`: ours on flex and ndarray, burn's
//! elsewhere) on every backend: batch statistics in training (on an autodiff device), running
//! statistics in evaluation; and the ResNet itself: its blocks,
//! downsampling and the train/evaluation split of its batch norms.

use actbench_activations::backend::Backend;
use actbench_activations::{ActivationConfig, OutputActivation};
use actbench_data::{InputShape, Task};
use actbench_models::{Head, Model, ModelConfig, kernels};
use burn::nn::BatchNormConfig;
use burn::prelude::*;
use burn::tensor::TensorData;

/// `[4, 2, 3, 3]`: channel 0 around 3, channel 1 around -1 with a larger spread.
fn input() -> (Vec<f32>, [usize; 4]) {
    let values = (0..72)
        .map(|i| {
            let channel = (i / 9) % 2;
            let v = ((i * 37 % 17) as f32) / 8.0 - 1.0;
            if channel == 0 { 3.0 + v } else { -1.0 + 2.5 * v }
        })
        .collect();
    (values, [4, 2, 3, 3])
}

/// Per-channel mean and biased variance of `[n, c, h, w]` values.
fn channel_stats(values: &[f32], [n, c, h, w]: [usize; 4]) -> Vec<(f64, f64)> {
    (0..c)
        .map(|ch| {
            let xs: Vec<f64> = (0..n)
                .flat_map(|b| (0..h * w).map(move |k| ((b * c + ch) * h * w + k, ())))
                .map(|(i, _)| values[i] as f64)
                .collect();
            let mean = xs.iter().sum::<f64>() / xs.len() as f64;
            let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / xs.len() as f64;
            (mean, var)
        })
        .collect()
}

fn normalised(values: &[f32], shape: [usize; 4], stats: &[(f64, f64)]) -> Vec<f64> {
    let [_, c, h, w] = shape;
    values
        .iter()
        .enumerate()
        .map(|(i, &x)| {
            let (mean, var) = stats[(i / (h * w)) % c];
            (x as f64 - mean) / (var + 1e-5).sqrt()
        })
        .collect()
}

fn close(got: &[f64], want: &[f64], what: &str) {
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        assert!((g - w).abs() < 1e-4, "{what}: element {i} is {g}, want {w}");
    }
}

fn values(t: Tensor<4>) -> Vec<f64> {
    t.into_data().iter::<f64>().collect()
}

#[test]
fn batch_norm_trains_on_batch_statistics_and_evaluates_on_running_ones() {
    let (x, shape) = input();
    let batch = channel_stats(&x, shape);
    for backend in Backend::compiled().into_iter().filter(|b| *b != Backend::Cuda) {
        let device = backend.device().unwrap();
        let train_device = device.clone().autodiff();
        let norm = BatchNormConfig::new(2).init(&train_device);
        let tensor = |d: &Device| Tensor::<4>::from_data(TensorData::new(x.clone(), shape), d);

        // Training: normalised by this batch's mean and (biased) variance.
        let trained = values(kernels::batch_norm(&norm, tensor(&train_device)));
        close(&trained, &normalised(&x, shape, &batch), &format!("{backend} training"));

        // The running statistics moved 10% of the way from (0, 1) to the batch's.
        let running_mean: Vec<f64> =
            norm.running_mean.value_sync().into_data().iter::<f64>().collect();
        let running_var: Vec<f64> =
            norm.running_var.value_sync().into_data().iter::<f64>().collect();
        for (ch, (mean, _)) in batch.iter().enumerate() {
            assert!((running_mean[ch] - 0.1 * mean).abs() < 1e-5, "{backend}: {running_mean:?}");
            assert!(running_var[ch] != 1.0, "{backend}: running variance not updated");
        }

        // Evaluation (the model on the device without autodiff): the running statistics, and
        // they stay as they are.
        let running: Vec<(f64, f64)> =
            running_mean.iter().copied().zip(running_var.iter().copied()).collect();
        let evaluator = norm.valid();
        let evaluated = values(kernels::batch_norm(&evaluator, tensor(&device)));
        close(&evaluated, &normalised(&x, shape, &running), &format!("{backend} evaluation"));
        let again = values(kernels::batch_norm(&evaluator, tensor(&device)));
        assert_eq!(again, evaluated, "{backend}: evaluation changed the running statistics");
    }
}

#[test]
fn a_resnet_downsamples_between_stages_and_evaluates_with_running_statistics() {
    let config: ModelConfig = toml::from_str("kind = \"resnet\"\nchannels = [4, 8, 8]").unwrap();
    assert_eq!(config.label(), "resnet [4, 8, 8]x1");
    let image = InputShape::Image { channels: 1, height: 12, width: 12 };
    let head =
        Head { output: OutputActivation::Softmax, task: Task::Classification { classes: 3 } };
    let relu: ActivationConfig = "relu".parse().unwrap();
    let device = Backend::Flex.device().unwrap();
    let model = Model::new(&config, image, &head, &relu, 1, &device.clone().autodiff()).unwrap();
    let x: Vec<f32> = (0..5 * 144).map(|i| ((i * 7919 % 1000) as f32 / 250.0) - 2.0).collect();
    let batch = |d: &Device| Tensor::<2>::from_data(TensorData::new(x.clone(), [5, 144]), d);
    let (logits, traces) = model.forward_traced(batch(&device.clone().autodiff()));
    assert_eq!(logits.dims(), [5, 3]);
    // Stem, then two traces per block; the stages after the first halve the image: 12, 6, 3.
    // Rows are sample x pixel, columns channels.
    let layers: Vec<(String, [usize; 2])> =
        traces.iter().map(|t| (t.layer.clone(), t.outputs.dims())).collect();
    assert_eq!(
        layers,
        [
            ("stem".to_string(), [5 * 144, 4]),
            ("block0.a".into(), [5 * 144, 4]),
            ("block0.b".into(), [5 * 144, 4]),
            ("block1.a".into(), [5 * 36, 8]),
            ("block1.b".into(), [5 * 36, 8]),
            ("block2.a".into(), [5 * 9, 8]),
            ("block2.b".into(), [5 * 9, 8]),
        ]
    );
    // In evaluation the batch norms use the running statistics: one sample's logits do not
    // depend on the rest of the batch, as they do in training.
    let evaluator = model.valid();
    let all = evaluator.forward(batch(&device)).into_data().iter::<f64>().collect::<Vec<_>>();
    let first = Tensor::<2>::from_data(TensorData::new(x[..144].to_vec(), [1, 144]), &device);
    let alone = evaluator.forward(first).into_data().iter::<f64>().collect::<Vec<_>>();
    for (a, b) in all[..3].iter().zip(&alone) {
        assert!((a - b).abs() < 1e-5, "evaluation depends on the batch: {a} against {b}");
    }
}
