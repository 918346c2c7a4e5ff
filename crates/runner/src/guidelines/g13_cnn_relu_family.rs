//! G13 `cnn-relu-family`: convolutional nets should use ReLU and its variants (LeakyReLU, PReLU,
//! ELU, SELU) in hidden layers, not sigmoid/tanh. Families come from the registry: the ReLU
//! and exponential-linear families against the sigmoid family. Experiment: a CNN on
//! Fashion-MNIST when installed, else on the built-in images (the table says which).

use actbench_activations::Family;

use super::compare::compare;
use super::{Evidence, Finding, Guideline, Verdict};
use crate::report::tables::num;

pub const GUIDELINE: Guideline = Guideline {
    id: "G13",
    name: "cnn-relu-family",
    claim: "Convolutional nets should use ReLU and its variants (LeakyReLU, PReLU, ELU, SELU) in hidden layers, not sigmoid/tanh",
    threshold,
    needs_runs: true,
    check,
};

fn threshold() -> String {
    "in every experiment, the best relu-family activation (by mean) beats each sigmoid-family one (p < 0.05)".into()
}

fn check(e: &Evidence) -> Finding {
    let (mut verdicts, mut evidence) = (Vec::new(), Vec::new());
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
        let higher = runs.higher_is_better();
        let best = relu_family.iter().map(|l| runs.activation(l).final_metric(l.as_str())).max_by(
            |a, b| {
                let ord = a.mean.total_cmp(&b.mean);
                if higher { ord } else { ord.reverse() }
            },
        );
        let Some(best) = best.filter(|_| !saturating.is_empty()) else {
            evidence.push(format!("{name}: needs relu-family and sigmoid-family activations"));
            verdicts.push(Verdict::Inconclusive);
            continue;
        };
        let mut parts = Vec::new();
        for l in saturating {
            let c = compare(best.clone(), runs.activation(l).final_metric(l.as_str()), higher);
            parts.push(c.text());
            verdicts.push(c.first_better());
        }
        let all: Vec<String> = labels
            .iter()
            .map(|l| format!("{l} {}", num(runs.activation(l).final_metric("").mean)))
            .collect();
        evidence.push(format!(
            "{name} (test {}: {}): best relu-family: {}",
            runs.0[0].metric,
            all.join(", "),
            parts.join("; ")
        ));
    }
    Finding { verdict: Verdict::all(verdicts), evidence }
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
        assert_eq!(
            verdict(
                "G13",
                &[
                    family.clone(),
                    seeds("G13", "cnn", "tanh", 1, &[0.8, 0.81, 0.8]),
                    seeds("G13", "cnn", "sigmoid", 1, &[0.5, 0.6, 0.55])
                ]
                .concat()
            )
            .verdict,
            Holds
        );
        assert_eq!(
            verdict(
                "G13",
                &[family.clone(), seeds("G13", "cnn", "tanh", 1, &[0.95, 0.96, 0.95])].concat()
            )
            .verdict,
            Fails
        );
        assert_eq!(
            verdict(
                "G13",
                &[family.clone(), seeds("G13", "cnn", "tanh", 1, &[0.95, 0.8, 0.85])].concat()
            )
            .verdict,
            Inconclusive
        );
    }
}
