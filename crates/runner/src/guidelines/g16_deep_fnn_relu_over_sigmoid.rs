//! G16 `deep-fnn-relu-over-sigmoid`: in a deep fully-connected net on handwritten-digit-like
//! images, ReLU beats sigmoid. Experiment: a 6-hidden-layer MLP on Fashion-MNIST when installed,
//! else on the built-in images, equal epochs.

use super::engine::Claim;
use super::judgement::Judgement;
use super::rule::{Evidence, Guideline};
use super::runs::final_metric;

pub const GUIDELINE: Guideline = Guideline {
    id: "G16",
    name: "deep-fnn-relu-over-sigmoid",
    claim: "In a deep fully-connected net on handwritten-digit-like images, ReLU beats sigmoid",
    threshold,
    needs_runs: true,
    check,
};

fn threshold() -> String {
    "relu's final test accuracy ahead of sigmoid's by more than one point after equal epochs (paired by seed, 95% CI)".into()
}

fn check(e: &Evidence) -> Judgement {
    let (relu, sigmoid) = match e.runs.pair("relu", "sigmoid") {
        Ok(pair) => pair,
        Err(missing) => return missing,
    };
    let r = relu.0[0];
    let context = format!("{} epochs, depth {}", r.cell.train.epochs, r.cell.model.depth());
    Judgement::all(
        vec![final_metric("relu - sigmoid", Claim::Better, &relu, &sigmoid)],
        Vec::new(),
        vec![context],
    )
}

#[cfg(test)]
mod tests {
    use super::super::Verdict::*;
    use super::super::testing::{seeds, verdict};

    #[test]
    fn every_outcome() {
        let relu = seeds("G16", "g16", "relu", 6, &[0.85, 0.86, 0.87]);
        let with = |sigmoid: &[f64]| {
            verdict("G16", &[relu.clone(), seeds("G16", "g16", "sigmoid", 6, sigmoid)].concat())
                .verdict
        };
        assert_eq!(with(&[0.1, 0.1, 0.1]), Holds);
        assert_eq!(with(&[0.95, 0.95, 0.96]), Fails);
        assert_eq!(with(&[0.95, 0.5, 0.86]), Inconclusive);
        // Ahead on every seed, but by less than a point: the claimed difference is absent.
        assert_eq!(with(&[0.848, 0.857, 0.866]), Fails);
    }
}
