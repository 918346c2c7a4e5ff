//! G02 `sigmoid-vanishes`: sigmoid saturates, its derivative is at most 0.25, so gradients vanish
//! in deep nets. Experiment: MLPs of depth 10 and 20 with sigmoid and ReLU; the ratio of the
//! first to the last hidden layer's weight-gradient norm, at init and after every epoch.

use actbench_activations::ActivationConfig;

use super::engine::{Claim, Method};
use super::judgement::{Judgement, Verdict};
use super::rule::{Evidence, Guideline};
use super::runs::{Scale, paired};
use super::thresholds::{G02_DEPTH, G02_RATIO_FACTOR, G02_SIGMOID_MAX_SLOPE, G02_SLOPE_TOLERANCE};
use crate::num::num;
use crate::outcome::{gradient_ratio, mean_of};
use crate::records::cell::CellRecord;
use crate::speed::activations::max_slope;

pub const GUIDELINE: Guideline = Guideline {
    id: "G02",
    name: "sigmoid-vanishes",
    claim: "Sigmoid saturates; its derivative is at most 0.25, so gradients vanish in deep nets",
    threshold,
    needs_runs: true,
    check,
};

fn threshold() -> String {
    format!(
        "at depth {G02_DEPTH}, relu's log10 first/last-hidden gradient-norm ratio (mean over init and every epoch) above sigmoid's by > log10({}) = {} per seed (paired, 95% CI); max sigmoid'(x) = {G02_SIGMOID_MAX_SLOPE} within {G02_SLOPE_TOLERANCE:e}",
        num(G02_RATIO_FACTOR),
        num(G02_RATIO_FACTOR.log10())
    )
}

/// log10 of the gradient ratio, averaged over init and every epoch.
fn log_ratio_through_training(r: &CellRecord) -> Option<f64> {
    mean_of(r.epochs.iter().filter_map(gradient_ratio).map(f64::log10))
}

fn check(e: &Evidence) -> Judgement {
    let depths = e.runs.depths();
    let depth = if depths.contains(&G02_DEPTH) { G02_DEPTH } else { *depths.last().expect("runs") };
    let mut evidence = Vec::new();
    for d in &depths {
        let at = |label: &str, epoch: fn(&CellRecord) -> Option<f64>| {
            let runs = e.runs.depth(*d).activation(label);
            let v = runs.mean(epoch);
            format!("{label} {}", if v.is_nan() { "-".into() } else { num(10f64.powf(v)) })
        };
        let init = |r: &CellRecord| r.epochs.first().and_then(gradient_ratio).map(f64::log10);
        let trained = |r: &CellRecord| r.epochs.last().and_then(gradient_ratio).map(f64::log10);
        evidence.push(format!(
            "first/last gradient ratio at depth {d}: init {}, {}; trained {}, {}",
            at("sigmoid", init),
            at("relu", init),
            at("sigmoid", trained),
            at("relu", trained)
        ));
    }
    let (sigmoid, relu) =
        (e.runs.depth(depth).activation("sigmoid"), e.runs.depth(depth).activation("relu"));
    if sigmoid.is_empty() || relu.is_empty() {
        return Judgement::missing(format!("needs sigmoid and relu runs at depth {depth}"));
    }
    let scale = Scale::of("log10 gradient ratio", true, G02_RATIO_FACTOR.log10(), Method::PairedT);
    let part = paired(
        format!("relu - sigmoid at d{depth}"),
        Claim::Better,
        &relu,
        &sigmoid,
        &scale,
        log_ratio_through_training,
    );
    let slope = match max_slope(&ActivationConfig::new("sigmoid").expect("registered")) {
        Some(s) => {
            evidence
                .push(format!("max sigmoid'(x) = {s:.9} (float64, 400001 points on [-20, 20])"));
            Verdict::from((s - G02_SIGMOID_MAX_SLOPE).abs() <= G02_SLOPE_TOLERANCE)
        }
        None => {
            evidence.push("max sigmoid'(x) not checked: no float64 backend in this build".into());
            Verdict::Inconclusive
        }
    };
    Judgement::all(vec![part], vec![slope], evidence)
}

#[cfg(test)]
mod tests {
    use super::super::Verdict::*;
    use super::super::testing::{seeds, verdict};

    /// Runs at depth 20 whose first hidden layer's gradient norm is `first` (last layer: 1).
    fn with_first_layer(
        activation: &str,
        first: [f64; 3],
    ) -> Vec<crate::records::cell::CellRecord> {
        let mut rs = seeds("G02", "g02", activation, 20, &[0.6, 0.6, 0.6]);
        for (r, f) in rs.iter_mut().zip(first) {
            for e in &mut r.epochs {
                e.layers[0].grad_norm = f;
            }
        }
        rs
    }

    #[test]
    fn holds_when_sigmoid_gradients_vanish() {
        let v = verdict(
            "G02",
            &[
                with_first_layer("sigmoid", [1e-5, 2e-5, 3e-5]),
                with_first_layer("relu", [0.4, 0.5, 0.3]),
            ]
            .concat(),
        );
        assert_eq!(v.verdict, Holds, "{v:?}");
        assert!(v.evidence.contains("max sigmoid'(x) = 0.250000000"), "{}", v.evidence);
    }

    #[test]
    fn fails_when_sigmoid_keeps_its_gradients() {
        let v = verdict(
            "G02",
            &[
                with_first_layer("sigmoid", [0.4, 0.5, 0.6]),
                with_first_layer("relu", [0.4, 0.5, 0.3]),
            ]
            .concat(),
        );
        assert_eq!(v.verdict, Fails, "{v:?}");
    }

    #[test]
    fn inconclusive_when_only_10x_apart_with_noise() {
        let v = verdict(
            "G02",
            &[
                with_first_layer("sigmoid", [1e-4, 1e-1, 1e-2]),
                with_first_layer("relu", [0.4, 0.5, 0.3]),
            ]
            .concat(),
        );
        assert_eq!(v.verdict, Inconclusive, "{v:?}");
    }
}
