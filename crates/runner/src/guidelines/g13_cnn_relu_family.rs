//! G13 `cnn-relu-family`: convolutional nets should use ReLU and its variants (LeakyReLU, PReLU,
//! ELU, SELU) in hidden layers, not sigmoid/tanh. Families come from the registry: the ReLU
//! and exponential-linear families against the sigmoid family. Experiment: a CNN on
//! Fashion-MNIST when installed, else on the built-in images (the table says which).

use actbench_activations::Family;

use super::engine::Claim;
use super::judgement::{Judgement, Verdict};
use super::rule::{Evidence, Guideline};
use super::runs::final_metric;
use crate::num::num;
use crate::outcome;

pub const GUIDELINE: Guideline = Guideline {
    id: "G13",
    name: "cnn-relu-family",
    claim: "Convolutional nets should use ReLU and its variants (LeakyReLU, PReLU, ELU, SELU) in hidden layers, not sigmoid/tanh",
    threshold,
    needs_runs: true,
    check,
};

fn threshold() -> String {
    "in every experiment, the best relu-family activation (by mean) ahead of each sigmoid-family one by more than the metric's delta (paired by seed, 95% CI, Holm)".into()
}

fn check(e: &Evidence) -> Judgement {
    let (mut parts, mut checks, mut evidence) = (Vec::new(), Vec::new(), Vec::new());
    for name in e.runs.experiments() {
        let runs = e.runs.experiment(&name);
        let family = |label: &str| runs.activation(label).0[0].cell.activation.info().family;
        let labels = runs.labels();
        let relu_family: Vec<&String> = labels
            .iter()
            .filter(|l| matches!(family(l), Family::ReluFamily | Family::ExponentialLinear))
            .collect();
        let saturating: Vec<&String> =
            labels.iter().filter(|l| family(l) == Family::SigmoidFamily).collect();
        let sign = if runs.higher_is_better() { 1.0 } else { -1.0 };
        let best = relu_family
            .iter()
            .max_by(|a, b| {
                let m = |l: &str| sign * runs.activation(l).mean(outcome::final_metric);
                m(a).total_cmp(&m(b))
            })
            .filter(|_| !saturating.is_empty());
        let Some(best) = best else {
            evidence.push(format!("{name}: needs relu-family and sigmoid-family activations"));
            checks.push(Verdict::Inconclusive);
            continue;
        };
        for l in saturating {
            parts.push(final_metric(
                format!("{name}: {best} - {l}"),
                Claim::Better,
                &runs.activation(best),
                &runs.activation(l),
            ));
        }
        let all: Vec<String> = labels
            .iter()
            .map(|l| format!("{l} {}", num(runs.activation(l).mean(outcome::final_metric))))
            .collect();
        evidence.push(format!(
            "{name} (test {}): {}; best relu-family: {best}",
            runs.metric(),
            all.join(", ")
        ));
    }
    Judgement::all(parts, checks, evidence)
}

#[cfg(test)]
mod tests {
    use super::super::Verdict::*;
    use super::super::testing::{seeds, verdict};

    #[test]
    fn every_outcome() {
        let family = [
            seeds("G13", "cnn", "relu", 1, &[0.85, 0.86, 0.87]),
            seeds("G13", "cnn", "elu", 1, &[0.88, 0.89, 0.9]),
        ]
        .concat();
        let with = |others: Vec<crate::records::cell::CellRecord>| {
            verdict("G13", &[family.clone(), others].concat()).verdict
        };
        let both = [
            seeds("G13", "cnn", "tanh", 1, &[0.8, 0.81, 0.8]),
            seeds("G13", "cnn", "sigmoid", 1, &[0.5, 0.6, 0.55]),
        ]
        .concat();
        assert_eq!(with(both), Holds);
        assert_eq!(with(seeds("G13", "cnn", "tanh", 1, &[0.95, 0.96, 0.95])), Fails);
        assert_eq!(with(seeds("G13", "cnn", "tanh", 1, &[0.95, 0.8, 0.85])), Inconclusive);
    }
}
