//! Derivatives checked without PyTorch: central finite differences in float64, the gradients of
//! trained parameters, agreement of our Swish/Mish/SELU with burn's built-ins, finiteness at
//! extreme inputs, and the same outputs on every compiled backend.

mod common;

use actbench_activations::backend::Backend;
use actbench_activations::{ActivationConfig, REGISTRY, burn};
use burn::prelude::*;
use burn::tensor::{TensorCreationOptions, TensorData};
use common::*;

/// Points away from every kink (0, +-3, 6) and from softplus's threshold.
const SMOOTH_POINTS: [f64; 10] = [-7.3, -3.7, -2.2, -1.3, -0.4, 0.3, 1.1, 2.9, 4.4, 7.9];

fn configs_under_test() -> Vec<ActivationConfig> {
    let mut configs: Vec<ActivationConfig> =
        REGISTRY.iter().map(|i| ActivationConfig::new(i.name).unwrap()).collect();
    for spec in [
        "leaky-relu:0.2",
        "prelu:0.1",
        "elu:0.5",
        "celu:2",
        "swish:1.7",
        "swish:0.5:true",
        "softplus:2:20",
    ] {
        configs.push(spec.parse().unwrap());
    }
    configs
}

fn flex() -> Device {
    Backend::Flex.device().unwrap()
}

#[test]
fn autodiff_matches_central_finite_differences_in_f64() {
    let device = flex();
    let h = 1e-6;
    let mut failures = Vec::new();
    for config in configs_under_test() {
        let (_, dy) = value_and_derivative(&config, &SMOOTH_POINTS, Precision::F64, &device);
        let plus: Vec<f64> = SMOOTH_POINTS.iter().map(|x| x + h).collect();
        let minus: Vec<f64> = SMOOTH_POINTS.iter().map(|x| x - h).collect();
        let (y_plus, _) = value_and_derivative(&config, &plus, Precision::F64, &device);
        let (y_minus, _) = value_and_derivative(&config, &minus, Precision::F64, &device);
        for i in 0..SMOOTH_POINTS.len() {
            let numeric = (y_plus[i] - y_minus[i]) / (2.0 * h);
            if (numeric - dy[i]).abs() > 1e-6 * dy[i].abs().max(1.0) {
                failures.push(format!(
                    "{} at {}: autodiff {} vs finite difference {}",
                    config.label(),
                    SMOOTH_POINTS[i],
                    dy[i],
                    numeric
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// `sum(f(x))` and the gradient of the activation's one trained parameter.
fn parameter_gradient(config: &ActivationConfig, xs: &[f64], device: &Device) -> (f64, f64) {
    let device = device.clone().autodiff();
    let activation = config.init(&device);
    let options = TensorCreationOptions::new(device.clone()).with_dtype(burn::tensor::DType::F64);
    let x = Tensor::<1>::from_data(TensorData::new(xs.to_vec(), [xs.len()]), options);
    let total = activation.forward(x).sum();
    let value = to_vec(total.clone().detach())[0];
    let grads = total.backward();
    let mut gradient = None;
    // Visit the module's parameters: each activation has at most one trained parameter.
    struct Grab<'a>(&'a burn::tensor::Gradients, &'a mut Option<f64>);
    impl burn::module::ModuleVisitor for Grab<'_> {
        fn visit_float<const D: usize>(&mut self, param: &burn::module::Param<Tensor<D>>) {
            *self.1 = param.val().grad(self.0).map(|g| to_vec(g)[0]);
        }
    }
    activation.visit(&mut Grab(&grads, &mut gradient));
    (value, gradient.expect("a trained parameter with a gradient"))
}

#[test]
fn trained_parameters_get_the_right_gradient() {
    let device = flex();
    let h = 1e-6;
    for (spec, at) in [("prelu:0.25", 0.25), ("swish:1.3:true", 1.3)] {
        let (_, gradient) = parameter_gradient(&spec.parse().unwrap(), &SMOOTH_POINTS, &device);
        let name = if spec.starts_with("prelu") { "alpha" } else { "beta" };
        let shifted = |v: f64| {
            let config: ActivationConfig = spec
                .parse::<ActivationConfig>()
                .unwrap()
                .with(name, actbench_activations::ParamValue::Number(v))
                .unwrap();
            parameter_gradient(&config, &SMOOTH_POINTS, &device).0
        };
        // Parameters are stored in float32, so the step is larger than for inputs.
        let numeric = (shifted(at + 1e3 * h) - shifted(at - 1e3 * h)) / (2e3 * h);
        assert!(
            (numeric - gradient).abs() < 1e-4 * gradient.abs().max(1.0),
            "{spec}: autodiff {gradient} vs finite difference {numeric}"
        );
    }
    // PReLU: d/dalpha sum(f(x)) = sum of the negative inputs.
    let (_, gradient) = parameter_gradient(&"prelu".parse().unwrap(), &SMOOTH_POINTS, &device);
    let expected: f64 = SMOOTH_POINTS.iter().filter(|x| **x < 0.0).sum();
    assert!(
        (gradient - expected).abs() < 1e-6 * expected.abs(),
        "prelu alpha gradient {gradient}, expected {expected}"
    );
}

#[test]
fn learned_values_are_reported() {
    let device = flex();
    let prelu = "prelu:0.3".parse::<ActivationConfig>().unwrap().init(&device);
    assert_eq!(prelu.learned().len(), 1);
    assert!((prelu.learned()[0].1 - 0.3).abs() < 1e-6);
    assert!("swish".parse::<ActivationConfig>().unwrap().init(&device).learned().is_empty());
    assert_eq!(
        "swish:2:true".parse::<ActivationConfig>().unwrap().init(&device).learned()[0].0,
        "beta"
    );
}

#[test]
fn our_swish_mish_selu_agree_with_burns_builtins() {
    let xs: Vec<f64> = (0..=400).map(|i| -10.0 + i as f64 * 0.05).collect();
    type Builtin = fn(Tensor<1>) -> Tensor<1>;
    let builtins: [(&str, Builtin); 3] = [
        ("swish", burn::tensor::activation::silu),
        ("mish", burn::tensor::activation::mish),
        ("selu", burn::tensor::activation::selu),
    ];
    for (backend, device) in backends() {
        for (name, builtin) in builtins {
            let ours = value_and_derivative(&name.parse().unwrap(), &xs, Precision::F32, &device);
            let ad = device.clone().autodiff();
            let x =
                Tensor::<1>::from_data(TensorData::new(xs.clone(), [xs.len()]), &ad).require_grad();
            let y = builtin(x.clone());
            let grads = y.clone().sum().backward();
            let theirs = (to_vec(y), to_vec(x.grad(&grads).unwrap()));
            for (i, &x) in xs.iter().enumerate() {
                if x == 0.0 && name == "selu" {
                    // Kink: burn takes the right branch (lambda), we take PyTorch's left one
                    // (lambda * alpha), which the golden tests check.
                    continue;
                }
                for (what, a, b) in [("f", ours.0[i], theirs.0[i]), ("f'", ours.1[i], theirs.1[i])]
                {
                    // burn's compositions lose a few bits in the tails; ours match PyTorch (golden tests).
                    assert!(
                        (a - b).abs() <= 1e-5 * b.abs().max(1.0),
                        "{backend} {name} {what}({}) ours {a} vs burn {b}",
                        x
                    );
                }
            }
        }
    }
}

#[test]
fn values_and_gradients_stay_finite_at_extreme_inputs() {
    let xs = [-1e30, -1e4, -100.0, -88.8, 88.8, 100.0, 1e4, 1e30];
    for (backend, device) in backends() {
        for precision in precisions(backend) {
            for config in configs_under_test() {
                let (y, dy) = value_and_derivative(&config, &xs, precision, &device);
                for (i, &x) in xs.iter().enumerate() {
                    assert!(
                        y[i].is_finite() && dy[i].is_finite(),
                        "{backend} {precision:?} {} at {}: f = {}, f' = {}",
                        config.label(),
                        x,
                        y[i],
                        dy[i]
                    );
                }
            }
        }
    }
}

#[test]
fn every_backend_gives_the_same_outputs() {
    let xs: Vec<f64> = (0..=2000).map(|i| -20.0 + i as f64 * 0.02).collect();
    let all = backends();
    let (reference_backend, reference_device) = &all[0];
    for config in configs_under_test() {
        let reference = value_and_derivative(&config, &xs, Precision::F32, reference_device);
        for (backend, device) in &all[1..] {
            let other = value_and_derivative(&config, &xs, Precision::F32, device);
            for (i, &x) in xs.iter().enumerate() {
                for (what, a, b) in
                    [("f", other.0[i], reference.0[i]), ("f'", other.1[i], reference.1[i])]
                {
                    let err = mixed_error(a, b, f32::EPSILON as f64);
                    assert!(
                        err <= 16.0,
                        "{} {what}({}): {backend} {a} vs {reference_backend} {b} ({err:.1} eps)",
                        config.label(),
                        x
                    );
                }
            }
        }
    }
}
