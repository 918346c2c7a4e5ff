//! G16 `deep-fnn-relu-over-sigmoid`: in a deep fully-connected net on handwritten-digit-like
//! images, ReLU beats sigmoid. Experiment: a 6-hidden-layer MLP on Fashion-MNIST when installed,
//! else on the built-in images, equal epochs.

use super::compare::compare;
use super::{Evidence, Finding, Guideline};

pub const GUIDELINE: Guideline = Guideline {
    id: "G16",
    name: "deep-fnn-relu-over-sigmoid",
    claim: "In a deep fully-connected net on handwritten-digit-like images, ReLU beats sigmoid",
    threshold,
    needs_runs: true,
    check,
};

fn threshold() -> String {
    "relu's final test accuracy above sigmoid's after equal epochs (p < 0.05)".into()
}

fn check(e: &Evidence) -> Finding {
    let (relu, sigmoid) = match e.runs.pair("relu", "sigmoid") {
        Ok(pair) => pair,
        Err(missing) => return missing,
    };
    let c = compare(
        relu.final_metric("relu"),
        sigmoid.final_metric("sigmoid"),
        e.runs.higher_is_better(),
    );
    let r = relu.0[0];
    Finding {
        verdict: c.first_better(),
        evidence: vec![format!(
            "{} after {} epochs, depth {}: {}",
            r.metric,
            r.cell.train.epochs,
            r.cell.model.depth(),
            c.text()
        )],
    }
}

#[cfg(test)]
mod tests {
    use super::super::Verdict::*;
    use super::super::testing::{seeds, verdict};

    #[test]
    fn every_outcome() {
        let relu = seeds("G16", "g16", "relu", 6, &[0.85, 0.86, 0.87]);
        assert_eq!(
            verdict(
                "G16",
                &[relu.clone(), seeds("G16", "g16", "sigmoid", 6, &[0.1, 0.1, 0.1])].concat()
            )
            .verdict,
            Holds
        );
        assert_eq!(
            verdict(
                "G16",
                &[relu.clone(), seeds("G16", "g16", "sigmoid", 6, &[0.95, 0.95, 0.96])].concat()
            )
            .verdict,
            Fails
        );
        assert_eq!(
            verdict(
                "G16",
                &[relu.clone(), seeds("G16", "g16", "sigmoid", 6, &[0.95, 0.5, 0.86])].concat()
            )
            .verdict,
            Inconclusive
        );
    }
}
