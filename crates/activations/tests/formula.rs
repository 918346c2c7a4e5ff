//! Formula activations: every grammar element against the registry activation it spells (on the
//! golden grid, against the exact values, on every compiled backend), the remaining elements
//! against float64 closed forms, learnable parameters, refused formulas and a parser fuzz.
//!
//! Float32 only (what training uses): in float64, burn's autodiff applies the derivative of a
//! scalar operation (`x / 6`) and of `erf` with float32 constants, so float64 derivatives of
//! formulas are good to about 3e-8 relative (1/6 comes back as 0.16666667163), a burn limitation
//! outside the formula code.

mod common;

use actbench_activations::formula::{FormulaSpec, check};
use actbench_activations::{ActivationConfig, ActivationError, burn};
use burn::prelude::*;
use common::*;
use proptest::prelude::*;

/// Float32 tolerance in `eps * max(1, |exact|)`, as for the registry activations.
const TOL_F32: f64 = 8.0;

fn formula(text: &str) -> ActivationConfig {
    format!("formula:{text}").parse().unwrap_or_else(|e| panic!("{text}: {e}"))
}

/// Golden key, the formula that spells it, and the points where the derivative has a kink (the
/// formula's one-sided choice there is burn's, not PyTorch's: not compared).
fn cases() -> Vec<(&'static str, &'static str, &'static [f64])> {
    vec![
        ("identity", "x", &[]),
        ("sigmoid", "sigmoid(x)", &[]),
        ("tanh", "tanh(x)", &[]),
        ("relu", "max(x, 0)", &[0.0]),
        ("leaky_relu", "where(x > 0, x, 0.01 * x)", &[]),
        ("prelu", "where(x > 0, x, a * x):a=0.25", &[]),
        ("elu", "where(x > 0, x, expm1(min(x, 0)))", &[0.0]),
        (
            "selu",
            "1.0507009873554805 * where(x > 0, x, 1.6732632423543772 * expm1(min(x, 0)))",
            &[0.0],
        ),
        ("celu", "max(x, 0) + min(expm1(min(x, 0) / 1), 0)", &[0.0]),
        ("gelu", "x * 0.5 * (1 + erf(x / sqrt(2)))", &[]),
        (
            "gelu_tanh",
            "0.5 * x * (1 + tanh(sqrt(2 / 3.141592653589793) * (x + 0.044715 * x^3)))",
            &[],
        ),
        ("silu", "x * sigmoid(x)", &[]),
        ("mish", "x * tanh(softplus(x))", &[]),
        ("softsign", "x / (1 + abs(x))", &[0.0]),
        ("hardswish", "x * min(max(x + 3, 0), 6) / 6", &[-3.0, 3.0]),
        ("hardsigmoid", "min(max(x / 6 + 0.5, 0), 1)", &[-3.0, 3.0]),
        ("log_sigmoid", "-softplus(-x)", &[]),
        ("relu6", "min(max(x, 0), 6)", &[0.0, 6.0]),
    ]
}

#[test]
fn formulas_match_the_registry_activations_they_spell() {
    let golden = golden();
    let mut failures = Vec::new();
    let mut checked = 0;
    for (backend, device) in backends() {
        for precision in [Precision::F32] {
            for (key, text, kinks) in cases() {
                let entry = &golden["activations"][key];
                let (x, exact_y, exact_dy) = match precision {
                    Precision::F32 => {
                        (floats(&entry["x_f32"]), "y_exact_at_x_f32", "dy_exact_at_x_f32")
                    }
                    Precision::F64 => (floats(&entry["x"]), "y_exact", "dy_exact"),
                };
                let (exact_y, exact_dy) = (floats(&entry[exact_y]), floats(&entry[exact_dy]));
                let (y, dy) = value_and_derivative(&formula(text), &x, precision, &device);
                let tol = TOL_F32;
                for i in 0..x.len() {
                    for (what, got, exact) in [("f", y[i], exact_y[i]), ("f'", dy[i], exact_dy[i])]
                    {
                        if what == "f'" && kinks.contains(&x[i]) {
                            continue;
                        }
                        checked += 1;
                        let err = mixed_error(got, exact, precision.eps());
                        if err > tol {
                            failures.push(format!(
                                "{backend} {precision:?} {key} = {text}: {what}({}) = {got:e}, exact {exact:e} ({err:.1} eps)",
                                x[i]
                            ));
                        }
                    }
                }
            }
        }
    }
    assert!(checked > 1000, "checked only {checked}");
    assert!(failures.is_empty(), "{} mismatches:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn formula_mish_equals_our_mish_in_float32_on_every_backend() {
    let xs: Vec<f64> = (-400..=400).map(|k| k as f64 / 20.0).collect();
    let ours: ActivationConfig = "mish".parse().unwrap();
    for (backend, device) in backends() {
        let (y, dy) = value_and_derivative(&ours, &xs, Precision::F32, &device);
        let (fy, fdy) =
            value_and_derivative(&formula("x * tanh(softplus(x))"), &xs, Precision::F32, &device);
        for i in 0..xs.len() {
            for (what, a, b) in [("f", fy[i], y[i]), ("f'", fdy[i], dy[i])] {
                let err = mixed_error(a, b, f32::EPSILON as f64);
                assert!(
                    err <= TOL_F32,
                    "{backend} {what}({}): formula {a:e} vs mish {b:e} ({err:.1} eps)",
                    xs[i]
                );
            }
        }
    }
}

/// The elements no registry activation spells, against float64 closed forms and derivatives.
#[test]
fn remaining_elements_match_closed_forms() {
    type F = fn(f64) -> f64;
    let cases: [(&str, F, F); 9] = [
        ("exp(sin(x))", |x| x.sin().exp(), |x| x.cos() * x.sin().exp()),
        ("log(1 + x^2)", |x| (1.0 + x * x).ln(), |x| 2.0 * x / (1.0 + x * x)),
        ("log1p(x^2) - x", |x| (x * x).ln_1p() - x, |x| 2.0 * x / (1.0 + x * x) - 1.0),
        ("sqrt(1 + x^2)", |x| (1.0 + x * x).sqrt(), |x| x / (1.0 + x * x).sqrt()),
        ("sin(x) + cos(x) / 2", |x| x.sin() + x.cos() / 2.0, |x| x.cos() - x.sin() / 2.0),
        (
            "2^sin(x) - (x^2 + 1)^0.5",
            |x| x.sin().exp2() - (x * x + 1.0).sqrt(),
            |x| x.sin().exp2() * 2f64.ln() * x.cos() - x / (x * x + 1.0).sqrt(),
        ),
        (
            "-x / (2 + x^2) - +x",
            |x| -x / (2.0 + x * x) - x,
            |x| (x * x - 2.0) / (2.0 + x * x).powi(2) - 1.0,
        ),
        (
            "where(x >= 1, x, 0) + where(x < -1, 1, 0) + where(x <= 0, 2 * x, 0) + where(x != 2, 3, x) + where(x == 0, 4, 0)",
            |x| {
                (if x >= 1.0 { x } else { 0.0 })
                    + (if x < -1.0 { 1.0 } else { 0.0 })
                    + (if x <= 0.0 { 2.0 * x } else { 0.0 })
                    + (if x != 2.0 { 3.0 } else { x })
                    + (if x == 0.0 { 4.0 } else { 0.0 })
            },
            |x| {
                (if x >= 1.0 { 1.0 } else { 0.0 })
                    + (if x <= 0.0 { 2.0 } else { 0.0 })
                    + (if x == 2.0 { 1.0 } else { 0.0 })
            },
        ),
        (
            "x * exp(-x^2) + min(x, 1) * 0 + max(1, 2) * x",
            |x| x * (-x * x).exp() + 2.0 * x,
            |x| (1.0 - 2.0 * x * x) * (-x * x).exp() + 2.0,
        ),
    ];
    // Points away from the comparisons' switches, float32-exact, plus the switches 0 and 2.
    let xs: Vec<f64> =
        (-40..=40).map(|k| k as f64 / 4.0 + 0.125).chain([-1.5, 0.0, 2.0, 3.0]).collect();
    for (backend, device) in backends() {
        for precision in [Precision::F32] {
            for (text, f, df) in &cases {
                let (y, dy) = value_and_derivative(&formula(text), &xs, precision, &device);
                for i in 0..xs.len() {
                    for (what, got, exact) in [("f", y[i], f(xs[i])), ("f'", dy[i], df(xs[i]))] {
                        let err = mixed_error(got, exact, precision.eps());
                        let tol = TOL_F32 * 4.0;
                        assert!(
                            err <= tol,
                            "{backend} {precision:?} {text}: {what}({}) = {got:e}, exact {exact:e} ({err:.1} eps)",
                            xs[i]
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn learnable_parameters_receive_their_gradient() {
    let toml = r#"a = { name = "beta-swish", formula = "x * sigmoid(beta * x)", params = { beta = 1.5 }, learnable = ["beta"] }"#;
    let config = toml::from_str::<std::collections::BTreeMap<String, ActivationConfig>>(toml)
        .unwrap()["a"]
        .clone();
    assert_eq!(config.label(), "beta-swish");
    let xs = [-3.0f64, -1.0, 0.5, 2.0, 4.0];
    for (backend, device) in backends() {
        let device = device.autodiff();
        let activation = config.init(&device);
        assert_eq!(activation.learned(), vec![("beta", 1.5)], "{backend}");
        let x = Tensor::<1>::from_floats([-3.0, -1.0, 0.5, 2.0, 4.0], &device);
        let y = activation.forward(x);
        let grads = y.sum().backward();
        let params = match &activation {
            actbench_activations::Activation::Formula(m) => m.learned.clone(),
            other => panic!("not a formula: {other:?}"),
        };
        assert_eq!(params.len(), 1);
        let got = to_vec(params[0].grad(&grads).expect("beta has a gradient"))[0];
        // d/dbeta sum x sigmoid(beta x) = sum x^2 s (1 - s).
        let exact: f64 = xs
            .iter()
            .map(|x| {
                let s = 1.0 / (1.0 + (-1.5 * x).exp());
                x * x * s * (1.0 - s)
            })
            .sum();
        assert!((got - exact).abs() <= 1e-5 * exact.abs(), "{backend}: {got} vs {exact}");
    }
}

#[test]
fn a_formula_serialises_with_its_formula_and_reads_back() {
    let config = formula("x * sigmoid(beta * x):beta=2:learnable=beta");
    let json = serde_json::to_string(&config).unwrap();
    assert_eq!(
        json,
        r#"{"formula":"x * sigmoid(beta * x)","params":{"beta":2.0},"learnable":["beta"]}"#
    );
    assert_eq!(serde_json::from_str::<ActivationConfig>(&json).unwrap(), config);
    assert_eq!(config.label().parse::<ActivationConfig>().unwrap(), config);
    let info = config.info();
    assert_eq!(info.formula, "f(x) = x * sigmoid(beta * x)");
    assert_eq!(info.family.name(), "formula");
    assert!(info.properties.smooth && info.properties.needs_exp && !info.properties.monotonic);
    let relu = formula("max(x, 0)").info().properties;
    assert!(relu.monotonic && relu.bounded_below && !relu.bounded_above && !relu.smooth);
    let tanh = formula("tanh(x)").info().properties;
    assert!(tanh.zero_centred && tanh.bounded_below && tanh.bounded_above && tanh.monotonic);
}

/// Refused formulas: each with the words a user needs.
#[test]
fn bad_formulas_are_refused_with_their_reason() {
    let spec = |name: Option<&str>, formula: &str, params: &[(&str, f64)], learnable: &[&str]| {
        FormulaSpec {
            name: name.map(String::from),
            formula: formula.into(),
            params: params.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
            learnable: learnable.iter().map(|s| s.to_string()).collect(),
        }
    };
    let cases = [
        (spec(None, "", &[], &[]), "the formula is empty"),
        (spec(None, "x +", &[], &[]), "column 4"),
        (spec(None, "x * (1 + x", &[], &[]), "column 11"),
        (spec(None, "x $ 2", &[], &[]), "unexpected `$` (column 3)"),
        (spec(None, "x * sigmod(x)", &[], &[]), "did you mean `sigmoid`"),
        (spec(None, "x * foo(x)", &[], &[]), "unknown function `foo`"),
        (spec(None, "x * beta", &[], &[]), "unknown name `beta`"),
        (spec(None, "exp + x", &[], &[]), "`exp` is a function"),
        (spec(None, "max(x)", &[], &[]), "`max` takes 2 arguments, not 1"),
        (spec(None, "where(x, 1, 2)", &[], &[]), "must be a comparison"),
        (spec(None, "x * (x > 0)", &[], &[]), "column 6"),
        (spec(None, "x > 0", &[], &[]), "is a comparison, not a number"),
        (spec(None, "sigmoid(2)", &[], &[]), "does not use x"),
        (spec(None, "exp(x)", &[], &[]), "f(x) is inf at x = 89.1"),
        (spec(None, "log(x)", &[], &[]), "f(x) is"),
        (spec(None, "1 / x", &[], &[]), "at x = 0"),
        (spec(None, "sqrt(abs(x))", &[], &[]), "f'(x) is NaN at x = 0"),
        (spec(None, "where(x > 0, x, exp(x) - 1)", &[], &[]), "zero gradient to the branch"),
        (
            spec(None, "x * a", &[("a", 1.0), ("b", 2.0)], &[]),
            "parameter `b` is given but the formula does not use it",
        ),
        (spec(None, "x * a", &[("a", 1.0)], &["c"]), "learnable parameter `c` is not in params"),
        (spec(None, "x * exp", &[("exp", 1.0)], &[]), "parameter name `exp` is not allowed"),
        (spec(None, "x * a", &[("a", f64::INFINITY)], &[]), "not a finite number"),
        (spec(Some("mish"), "x * tanh(softplus(x))", &[], &[]), "already a registered activation"),
        (spec(Some("My Act"), "x", &[], &[]), "kebab-case"),
        (
            spec(None, &format!("{}x{}", "(".repeat(70), ")".repeat(70)), &[], &[]),
            "nest more than 64 deep",
        ),
    ];
    for (spec, expected) in cases {
        let message = match spec.build() {
            Ok(_) => panic!("{spec:?} was accepted"),
            Err(e) => e.to_string(),
        };
        assert!(
            message.contains(expected),
            "{:?}: {message}\n(expected {expected:?})",
            spec.formula
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    /// Random text: parsing never panics; an accepted formula is recorded as written and is
    /// finite, with a finite derivative, on the check grid; a refused one is a formula error
    /// under its label that points at a column inside the text (syntax, unknown names) or names
    /// the whole formula's fault (no x, not finite).
    #[test]
    fn random_text_never_panics(text in "[x0-9a-z .+*/^()<>=!,é-]{0,30}") {
        let spec = FormulaSpec {
            name: None,
            formula: text.clone(),
            params: Default::default(),
            learnable: vec![],
        };
        match spec.build() {
            Ok(f) => {
                prop_assert_eq!(f.info().name, spec.label());
                prop_assert_eq!(f.info().formula, format!("f(x) = {}", text.trim()));
                let sampled = check::sample(&f).unwrap();
                let finite = sampled.y.iter().chain(&sampled.dy).all(|v| v.is_finite());
                prop_assert!(finite, "{text:?} was accepted but is not finite on the grid");
            }
            Err(ActivationError::Formula { label, message }) => {
                prop_assert_eq!(label, spec.label());
                let lines: Vec<&str> = message.lines().collect();
                match lines[0].rsplit_once(" (column ") {
                    Some((_, column)) => {
                        let column: usize = column.trim_end_matches(')').parse().unwrap();
                        prop_assert!((1..=text.chars().count() + 1).contains(&column), "{message}");
                        prop_assert_eq!(lines.len(), 3, "{}", message);
                        prop_assert_eq!(lines[1], format!("    {text}"));
                        prop_assert_eq!(lines[2], format!("    {}^", " ".repeat(column - 1)));
                    }
                    None => prop_assert!(
                        message == format!("the formula `{text}` does not use x")
                            || message.contains("a formula must be finite"),
                        "{text:?}: {message}"
                    ),
                }
            }
            Err(other) => prop_assert!(false, "{text:?}: not a formula error: {other:?}"),
        }
    }

    /// Random token sequences (closer to real formulas than random characters).
    #[test]
    fn random_tokens_never_panic(tokens in proptest::collection::vec(proptest::sample::select(vec![
        "x", "beta", "1", "0.5", "2e3", "+", "-", "*", "/", "^", "(", ")", ",", "<", ">=", "==", "!=",
        "exp(", "log(", "sqrt(", "tanh(", "sigmoid(", "softplus(", "erf(", "min(", "max(", "where(", "abs(",
    ]), 0..16)) {
        let formula = tokens.concat();
        let params = [("beta".to_string(), 1.0)].into_iter().collect();
        if let Ok(f) = (FormulaSpec { name: None, formula, params, learnable: vec![] }).build() {
            prop_assert!(f.info().formula.starts_with("f(x) = "));
        }
    }
}
