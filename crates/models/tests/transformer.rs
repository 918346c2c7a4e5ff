//! The transformer: causal attention, equal parameters for plain and gated feed-forward layers,
//! weights outside the feed-forward layers identical across activations, learning on text.

use actbench_activations::ActivationConfig;
use actbench_activations::backend::Backend;
use actbench_data::{InputShape, Task};
use actbench_models::transformer::{Transformer, gated_width};
use actbench_models::{Head, Model, ModelConfig};
use burn::module::Module;
use burn::optim::{AdamConfig, GradientsParams};
use burn::prelude::*;
use burn::tensor::TensorData;

const CONTEXT: usize = 16;
const VOCAB: usize = 20;
const INPUT: InputShape = InputShape::Tokens { context: CONTEXT, vocab: VOCAB };
const TASK: Task = Task::NextToken { vocab: VOCAB, context: CONTEXT };

fn config(text: &str) -> ModelConfig {
    toml::from_str(&format!("kind = \"transformer\"\n{text}")).unwrap()
}

fn build(config: &ModelConfig, activation: &str, device: &Device) -> Transformer {
    let activation: ActivationConfig = activation.parse().unwrap();
    Transformer::new(config, CONTEXT, VOCAB, &activation, 7, device)
}

fn tokens(rows: &[Vec<usize>], device: &Device) -> Tensor<2> {
    let values: Vec<f32> = rows.iter().flatten().map(|&t| t as f32).collect();
    Tensor::from_data(TensorData::new(values, [rows.len(), CONTEXT]), device)
}

fn window(seed: usize) -> Vec<usize> {
    (0..CONTEXT).map(|i| (i * 7 + seed * 3) % VOCAB).collect()
}

#[test]
fn a_later_token_never_changes_an_earlier_position() {
    for backend in Backend::compiled().into_iter().filter(|b| *b != Backend::Cuda) {
        let device = backend.device().unwrap();
        for activation in ["gelu", "swiglu"] {
            let model = build(
                &config("layers = 2\nd_model = 16\nheads = 2\nd_ff = 32"),
                activation,
                &device,
            );
            let mut changed = window(1);
            let t = 9;
            changed[t] = (changed[t] + 5) % VOCAB;
            let logits = model.forward(tokens(&[window(1), changed], &device), None, None);
            let values: Vec<f32> = logits.into_data().iter::<f32>().collect();
            let (a, b) = values.split_at(CONTEXT * VOCAB);
            assert_eq!(
                &a[..t * VOCAB],
                &b[..t * VOCAB],
                "{backend} {activation}: positions before {t}"
            );
            assert_ne!(
                &a[t * VOCAB..],
                &b[t * VOCAB..],
                "{backend} {activation}: position {t} and after"
            );
        }
    }
}

#[test]
fn plain_and_gated_layers_have_equal_parameters_within_one_percent() {
    let device = Backend::Flex.device().unwrap();
    for text in
        ["", "layers = 2\nd_model = 64\nheads = 4\nd_ff = 256", "d_ff = 120\nnorm = \"rms-norm\""]
    {
        let config = config(text);
        let plain = build(&config, "relu", &device).num_params();
        let gated = build(&config, "swiglu", &device).num_params();
        assert_eq!(plain as u128, config.transformer_parameters(CONTEXT, VOCAB, false), "{text}");
        assert_eq!(gated as u128, config.transformer_parameters(CONTEXT, VOCAB, true), "{text}");
        let ratio = gated as f64 / plain as f64;
        assert!((ratio - 1.0).abs() < 0.01, "{text}: plain {plain}, gated {gated}");
    }
    assert_eq!(
        (gated_width(384), gated_width(3072), gated_width(100), gated_width(4)),
        (256, 2048, 64, 8)
    );
}

#[test]
fn weights_outside_the_feed_forward_layers_are_the_same_for_every_activation() {
    let device = Backend::Flex.device().unwrap();
    let config = config("layers = 2\nd_model = 16\nheads = 2\nd_ff = 48");
    let relu = build(&config, "relu", &device).shared_weights();
    assert_eq!(relu.len(), 2 + 2 * 4 + 1);
    for activation in ["gelu", "swiglu", "glu:mish", "prelu"] {
        assert_eq!(build(&config, activation, &device).shared_weights(), relu, "{activation}");
    }
    let other_seed =
        Transformer::new(&config, CONTEXT, VOCAB, &"relu".parse().unwrap(), 8, &device);
    assert_ne!(other_seed.shared_weights(), relu);
}

#[test]
fn it_learns_a_repeating_text_and_trains_a_learnable_gate() {
    let device = Backend::Flex.device().unwrap().autodiff();
    let config = config("layers = 1\nd_model = 32\nheads = 2\nd_ff = 64");
    let head = Head { output: Head::natural_output(TASK), task: TASK };
    let activation: ActivationConfig = "swiglu:learnable=true".parse().unwrap();
    let mut model = Model::new(&config, INPUT, &head, &activation, 3, &device).unwrap();
    let mut optimizer = AdamConfig::new().init();
    let rows: Vec<Vec<usize>> = (0..8).map(window).collect();
    let targets: Vec<Vec<usize>> =
        (0..8).map(|s| (1..=CONTEXT).map(|i| (i * 7 + s * 3) % VOCAB).collect()).collect();
    let (x, y) = (tokens(&rows, &device), tokens(&targets, &device));
    let first = head.loss(model.forward(x.clone()), y.clone()).into_scalar::<f64>();
    assert!((first - (VOCAB as f64).ln()).abs() < 0.2, "starts near uniform: {first}");
    for _ in 0..60 {
        let loss = head.loss(model.forward(x.clone()), y.clone());
        let grads = GradientsParams::from_grads(loss.backward(), &model);
        model = optimizer.step(3e-3, model, grads);
    }
    let last = head.loss(model.forward(x), y).into_scalar::<f64>();
    assert!(last < first / 4.0, "{first} -> {last}");
    let learned = model.learned();
    assert_eq!(learned.len(), 1, "{learned:?}");
    assert_eq!(learned[0].0, "block0.beta");
    assert_ne!(learned[0].1, 1.0, "the gate's beta trained");
}

#[test]
fn misuse_is_a_clear_error() {
    let device = Backend::Flex.device().unwrap();
    let head = Head { output: Head::natural_output(TASK), task: TASK };
    let swiglu: ActivationConfig = "swiglu".parse().unwrap();
    let mlp: ModelConfig = toml::from_str("kind = \"mlp\"").unwrap();
    let vector = InputShape::Vector { features: 4 };
    let classes = Head {
        output: Head::natural_output(Task::Classification { classes: 3 }),
        task: Task::Classification { classes: 3 },
    };
    let e = Model::new(&mlp, vector, &classes, &swiglu, 1, &device).unwrap_err().to_string();
    assert!(e.contains("gated activation") && e.contains("transformer"), "{e}");
    let e = Model::new(&config(""), vector, &classes, &swiglu, 1, &device).unwrap_err().to_string();
    assert!(e.contains("`corpus` or `text`"), "{e}");
    let e = Model::new(&mlp, INPUT, &head, &"relu".parse().unwrap(), 1, &device)
        .unwrap_err()
        .to_string();
    assert!(e.contains("transformer"), "{e}");
    let e = config("heads = 5").validate(INPUT).unwrap_err().to_string();
    assert!(e.contains("divisor of d_model = 96"), "{e}");
    let sigmoid = Head { output: actbench_activations::OutputActivation::Sigmoid, task: TASK };
    let e = Model::new(&config(""), INPUT, &sigmoid, &swiglu, 1, &device).unwrap_err().to_string();
    assert!(e.contains("softmax"), "{e}");
}
