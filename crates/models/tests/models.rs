//! Model shapes, gradient flow to every layer, learning on a tiny task, config errors.

use actbench_activations::backend::Backend;
use actbench_activations::{ActivationConfig, OutputActivation};
use actbench_data::{InputShape, Task};
use actbench_models::{Head, Model, ModelConfig};
use burn::optim::{AdamConfig, GradientsParams};
use burn::prelude::*;
use burn::tensor::TensorData;

fn device() -> Device {
    Backend::Flex.device().unwrap().autodiff()
}

fn model(toml_text: &str, input: InputShape, task: Task, activation: &str) -> (Model, Head) {
    let config: ModelConfig = toml::from_str(toml_text).unwrap();
    let head = Head { output: Head::natural_output(task), task };
    let m = Model::new(
        &config,
        input,
        &head,
        &activation.parse::<ActivationConfig>().unwrap(),
        1,
        &device(),
    )
    .unwrap();
    (m, head)
}

fn random_input(batch: usize, size: usize) -> Tensor<2> {
    let values: Vec<f32> =
        (0..batch * size).map(|i| ((i * 7919 % 1000) as f32 / 500.0) - 1.0).collect();
    Tensor::from_data(TensorData::new(values, [batch, size]), &device())
}

const IMAGE: InputShape = InputShape::Image { channels: 1, height: 28, width: 28 };
const SEQUENCE: InputShape = InputShape::Sequence { steps: 6, features: 2 };

fn cases() -> Vec<(&'static str, InputShape, Task, &'static str)> {
    vec![
        (
            "kind = \"mlp\"\ndepth = 4\nwidth = 8",
            InputShape::Vector { features: 3 },
            Task::Classification { classes: 2 },
            "relu",
        ),
        (
            "kind = \"mlp\"\ndepth = 3\nwidth = 8\nbatch_norm = true\nresidual = true",
            InputShape::Vector { features: 3 },
            Task::Classification { classes: 4 },
            "prelu",
        ),
        (
            "kind = \"cnn\"\nchannels = [4, 8]\nblocks = 2\nresidual = true\nbatch_norm = true",
            IMAGE,
            Task::Classification { classes: 10 },
            "swish:1:true",
        ),
        (
            "kind = \"mlp\"\ndepth = 3\nwidth = 8\ninit = \"lecun-normal\"\ndropout = 0.1\nalpha_dropout = true",
            InputShape::Vector { features: 3 },
            Task::Classification { classes: 2 },
            "selu",
        ),
        (
            // The Mish depth test's shape: 5x5 conv front end, dropout, dense stack with BN.
            "kind = \"cnn\"\nchannels = [4, 6]\nkernel = 5\ndense = 8\ndense_layers = 3\ndense_batch_norm = true\ndropout = 0.25\ndepth_is = \"dense-layers\"",
            IMAGE,
            Task::Classification { classes: 10 },
            "mish",
        ),
        (
            "kind = \"resnet\"\nchannels = [4, 8, 8]\nblocks = 2",
            IMAGE,
            Task::Classification { classes: 10 },
            "elu",
        ),
        (
            "kind = \"rnn\"\ncell = \"lstm\"\nhidden = 5\nforget_bias = 1.0",
            SEQUENCE,
            Task::Regression { outputs: 1 },
            "tanh",
        ),
        (
            "kind = \"rnn\"\ncell = \"vanilla\"\nhidden = 5",
            SEQUENCE,
            Task::Regression { outputs: 1 },
            "tanh",
        ),
        (
            "kind = \"rnn\"\ncell = \"lstm\"\nhidden = 5\nlayers = 2",
            SEQUENCE,
            Task::Regression { outputs: 1 },
            "tanh",
        ),
        (
            "kind = \"rnn\"\ncell = \"gru\"\nhidden = 5",
            IMAGE,
            Task::Classification { classes: 10 },
            "mish",
        ),
    ]
}

#[test]
fn output_shapes_match_the_head() {
    for (text, input, task, act) in cases() {
        let (m, head) = model(text, input, task, act);
        let logits = m.forward(random_input(3, input.size()));
        assert_eq!(logits.dims(), [3, head.outputs()], "{text}");
        let (_, traces) = m.forward_traced(random_input(3, input.size()));
        assert!(!traces.is_empty(), "{text}: traces");
    }
}

#[test]
fn every_layer_gets_a_gradient() {
    for (text, input, task, act) in cases() {
        let (m, head) = model(text, input, task, act);
        let targets = Tensor::<2>::from_data(
            TensorData::new(vec![1.0f32; 3 * task.target_width()], [3, task.target_width()]),
            &device(),
        );
        let loss = head.loss(m.forward(random_input(3, input.size())), targets);
        let grads = loss.backward();
        for stat in m.gradient_stats(&grads) {
            assert!(
                stat.grad_norm > 0.0 && stat.grad_norm.is_finite(),
                "{text}: {} has gradient {}",
                stat.layer,
                stat.grad_norm
            );
        }
    }
}

#[test]
fn loss_decreases_on_a_tiny_task() {
    // y = class of x0 > 0, on 64 points: an MLP with Adam must fit it quickly.
    let device = device();
    let (mut m, head) = model(
        "kind = \"mlp\"\ndepth = 2\nwidth = 16",
        InputShape::Vector { features: 2 },
        Task::Classification { classes: 2 },
        "tanh",
    );
    let xs: Vec<f32> = (0..128).map(|i| ((i * 37 % 101) as f32 / 50.0) - 1.0).collect();
    let ys: Vec<f32> =
        (0..64).flat_map(|i| if xs[2 * i] > 0.0 { [0.0, 1.0] } else { [1.0, 0.0] }).collect();
    let x = Tensor::<2>::from_data(TensorData::new(xs, [64, 2]), &device);
    let y = Tensor::<2>::from_data(TensorData::new(ys, [64, 2]), &device);
    let mut optim = AdamConfig::new().init();
    let first = head.loss(m.forward(x.clone()), y.clone()).into_scalar::<f32>();
    for _ in 0..60 {
        let loss = head.loss(m.forward(x.clone()), y.clone());
        let grads = GradientsParams::from_grads(loss.backward(), &m);
        m = optim.step(0.05, m, grads);
    }
    let last = head.loss(m.forward(x), y).into_scalar::<f32>();
    assert!(last < 0.3 * first, "loss went from {first} to {last}");
}

#[test]
fn same_seed_same_weights() {
    let (a, _) = model(cases()[0].0, cases()[0].1, cases()[0].2, "relu");
    let (b, _) = model(cases()[0].0, cases()[0].1, cases()[0].2, "relu");
    let x = random_input(2, 3);
    assert_eq!(a.forward(x.clone()).into_data(), b.forward(x).into_data());
}

#[test]
fn prelu_slopes_are_per_layer_and_reported() {
    let (m, _) = model(
        "kind = \"mlp\"\ndepth = 3\nwidth = 4",
        InputShape::Vector { features: 2 },
        Task::Classification { classes: 2 },
        "prelu",
    );
    let learned = m.learned();
    assert_eq!(
        learned.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>(),
        ["hidden0.alpha", "hidden1.alpha", "hidden2.alpha"]
    );
}

#[test]
fn heads_pair_activation_and_loss() {
    let binary =
        Head { output: OutputActivation::Sigmoid, task: Task::Classification { classes: 2 } };
    assert_eq!(binary.outputs(), 1);
    assert_eq!(binary.score(&[0.9, 0.2], &[0.0, 1.0, 1.0, 0.0]).value, 1.0);
    let softmax =
        Head { output: OutputActivation::Softmax, task: Task::Classification { classes: 3 } };
    assert_eq!(
        softmax.score(&[0.1, 0.7, 0.2, 0.5, 0.3, 0.2], &[0.0, 1.0, 0.0, 0.0, 0.0, 1.0]).value,
        0.5
    );
    let regression =
        Head { output: OutputActivation::Identity, task: Task::Regression { outputs: 1 } };
    assert_eq!(regression.score(&[1.0, 3.0], &[2.0, 3.0]).value, 0.5);
    assert!(!regression.metric().higher_is_better);
    let labels = Head { output: OutputActivation::Sigmoid, task: Task::MultiLabel { labels: 2 } };
    let s = labels.score(&[0.9, 0.1, 0.9, 0.9], &[1.0, 0.0, 1.0, 0.0]);
    assert_eq!((s.value, s.f1), (0.5, Some(0.8)));
    // Stable BCE: huge logits give finite losses.
    let d = device();
    let z = Tensor::<2>::from_data(TensorData::new(vec![1000.0f32, -1000.0], [2, 1]), &d);
    let t = Tensor::<2>::from_data(TensorData::new(vec![0.0f32, 1.0, 1.0, 0.0], [2, 2]), &d);
    let loss = binary.loss(z, t).into_scalar::<f32>();
    assert!(loss.is_finite() && loss < 1e-3, "{loss}");
}

#[test]
fn bad_model_configs_are_clear_errors() {
    let head =
        Head { output: OutputActivation::Softmax, task: Task::Classification { classes: 2 } };
    let relu: ActivationConfig = "relu".parse().unwrap();
    let build = |text: &str, input| {
        toml::from_str::<ModelConfig>(text).map_err(|e| e.to_string()).and_then(|c| {
            Model::new(&c, input, &head, &relu, 1, &device()).map(|_| ()).map_err(|e| e.to_string())
        })
    };
    let vector = InputShape::Vector { features: 2 };
    for (text, input, expected) in [
        ("kind = \"mlp\"\ndepth = 0", vector, "`depth` = 0"),
        ("kind = \"mlp\"\ndepht = 3", vector, "unknown field `depht`"),
        ("kind = \"resnett\"", vector, "unknown variant `resnett`"),
        ("kind = \"resnet\"", vector, "a ResNet needs images"),
        (
            "kind = \"resnet\"\nblocks = 0",
            InputShape::Image { channels: 1, height: 28, width: 28 },
            "`blocks` = 0",
        ),
        (
            "kind = \"resnet\"\nchannels = [4, 4, 4, 4, 4, 4]",
            InputShape::Image { channels: 1, height: 16, width: 16 },
            "too small for that many stages",
        ),
        ("kind = \"transformer\"", vector, "use the `corpus` or `text` dataset"),
        ("kind = \"cnn\"", vector, "a CNN needs images"),
        ("kind = \"rnn\"", vector, "an RNN needs sequences"),
        ("kind = \"mlp\"\ninit = \"he-uniformm\"", vector, "unknown init `he-uniformm`"),
        (
            "kind = \"mlp\"\ninit = { kind = \"uniform\", min = 1, max = 0 }",
            vector,
            "finite min < max",
        ),
        (
            "kind = \"cnn\"\nchannels = [4, 4, 4, 4, 4, 4]",
            InputShape::Image { channels: 1, height: 28, width: 28 },
            "too small",
        ),
        (
            "kind = \"cnn\"\nkernel = 4",
            InputShape::Image { channels: 1, height: 28, width: 28 },
            "`kernel` = 4 is not allowed; it must be odd",
        ),
        ("kind = \"mlp\"\ndropout = 1.0", vector, "`dropout` = 1 is not allowed"),
        ("kind = \"mlp\"\nalpha_dropout = true", vector, "with a `dropout` rate above 0"),
        (
            "kind = \"rnn\"\ncell = \"gru\"\nforget_bias = 1.0",
            SEQUENCE,
            "only for `cell = \"lstm\"`",
        ),
        (
            "kind = \"rnn\"\ngate_activation = \"sigmoidd\"",
            SEQUENCE,
            "unknown activation `sigmoidd`",
        ),
    ] {
        let e = build(text, input).unwrap_err();
        assert!(e.contains(expected), "{text}: {e}");
    }
}

#[test]
fn measuring_a_batch_norm_model_leaves_its_running_statistics_alone() {
    // A training-mode pass updates the running statistics; the measurement copy must not.
    let (m, _) = model(
        "kind = \"mlp\"\ndepth = 2\nwidth = 8\nbatch_norm = true",
        InputShape::Vector { features: 3 },
        Task::Classification { classes: 2 },
        "relu",
    );
    let plain = Backend::Flex.device().unwrap();
    let values = vec![0.1f32, -0.3, 0.7, 1.2, -0.5, 0.2, 0.9, -1.0, 0.0, 0.4, 0.3, -0.2];
    let probe = Tensor::<2>::from_data(TensorData::new(values, [4, 3]), &plain);
    let eval = |m: &Model| m.valid().forward(probe.clone()).into_data();
    let before = eval(&m);
    let shifted = random_input(64, 3).mul_scalar(5.0).add_scalar(3.0);
    let (logits, _) = m.for_measurement().forward_traced(shifted.clone());
    let _ = logits.sum().backward();
    assert_eq!(eval(&m), before, "measuring changed the running statistics");
    let _ = m.forward_traced(shifted);
    assert_ne!(eval(&m), before, "a training-mode pass does update them (the test can fail)");
}

#[test]
fn dropout_is_on_in_training_and_off_at_evaluation() {
    for (text, input, task) in [
        (
            "kind = \"mlp\"\ndepth = 3\nwidth = 16\ndropout = 0.5",
            InputShape::Vector { features: 3 },
            Task::Classification { classes: 2 },
        ),
        (
            "kind = \"mlp\"\ndepth = 3\nwidth = 16\ndropout = 0.5\nalpha_dropout = true",
            InputShape::Vector { features: 3 },
            Task::Classification { classes: 2 },
        ),
        (
            "kind = \"cnn\"\nchannels = [4]\nkernel = 5\ndense = 16\ndense_layers = 2\ndropout = 0.5",
            IMAGE,
            Task::Classification { classes: 10 },
        ),
    ] {
        let (m, _) = model(text, input, task, "relu");
        let x = random_input(8, input.size());
        let evaluated = m.forward(x.clone()).into_data();
        assert_eq!(
            m.forward(x.clone()).into_data(),
            evaluated,
            "{text}: evaluation is deterministic"
        );
        let mut masks = actbench_models::DropoutRng::new(1);
        let trained = m.forward_training(x.clone(), &mut masks).into_data();
        assert_ne!(trained, evaluated, "{text}: training drops units");
        let again = m.forward_training(x.clone(), &mut masks).into_data();
        assert_ne!(again, trained, "{text}: each step draws new masks");
        let replay = m.forward_training(x, &mut actbench_models::DropoutRng::new(1)).into_data();
        assert_eq!(replay, trained, "{text}: masks follow the seed");
    }
    // Without dropout, training and evaluation compute the same logits.
    let (m, _) = model(
        "kind = \"mlp\"\ndepth = 3\nwidth = 16",
        InputShape::Vector { features: 3 },
        Task::Classification { classes: 2 },
        "relu",
    );
    let x = random_input(8, 3);
    let mut masks = actbench_models::DropoutRng::new(1);
    assert_eq!(m.forward_training(x.clone(), &mut masks).into_data(), m.forward(x).into_data());
}

#[test]
fn parameter_count_matches_the_built_model() {
    for (text, input, task, _) in cases().into_iter().filter(|c| !c.0.contains("batch_norm")) {
        let config: ModelConfig = toml::from_str(text).unwrap();
        let (m, head) = model(text, input, task, "relu");
        let width = match &config {
            ModelConfig::Mlp { width, .. } => *width,
            ModelConfig::Cnn { dense, .. } => *dense,
            ModelConfig::Resnet { channels, .. } => *channels.last().unwrap(),
            ModelConfig::Rnn { hidden, .. } => *hidden,
            ModelConfig::Transformer { .. } => unreachable!("tests/transformer.rs counts these"),
        };
        let output = (width + 1) * head.outputs();
        // burn counts a batch norm's running mean and variance as parameters; they are not
        // trained. A ResNet has one batch norm in its stem and two per block.
        let running = match &config {
            ModelConfig::Resnet { channels, blocks, .. } => {
                2 * (channels[0] + 2 * blocks * channels.iter().sum::<usize>())
            }
            _ => 0,
        };
        assert_eq!(
            m.num_params() as u128,
            config.parameter_count(input) + (output + running) as u128,
            "{text}"
        );
    }
}

#[test]
fn a_cnn_sweeps_dense_layers_when_asked() {
    let config: ModelConfig =
        toml::from_str("kind = \"cnn\"\ndense_layers = 2\ndepth_is = \"dense-layers\"").unwrap();
    assert_eq!(config.depth(), 2);
    let deeper = config.with_depth(12);
    assert!(matches!(deeper, ModelConfig::Cnn { dense_layers: 12, blocks: 1, .. }), "{deeper:?}");
    assert!(deeper.label().contains("dense 12x32"), "{}", deeper.label());
    let blocks: ModelConfig = toml::from_str("kind = \"cnn\"").unwrap();
    assert!(matches!(blocks.with_depth(3), ModelConfig::Cnn { blocks: 3, dense_layers: 1, .. }));
}
