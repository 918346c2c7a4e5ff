//! G16 `deep-fnn-relu-over-sigmoid`: in a deep fully-connected net on handwritten-digit-like
//! images, ReLU beats sigmoid. Experiments: a 6-hidden-layer MLP on 5,000 Fashion-MNIST images
//! (the built-in images when it is not installed) and the same MLP on all 60,000, equal epochs.
//! Each experiment is a setting, judged on its own and named in the verdict.

use super::engine::Claim;
use super::judgement::{Judgement, Verdict};
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
    "in every experiment, relu's final test accuracy ahead of sigmoid's by more than one point after equal epochs (paired by seed, 95% CI, Holm)".into()
}

fn check(e: &Evidence) -> Judgement {
    let (mut parts, mut checks, mut evidence) = (Vec::new(), Vec::new(), Vec::new());
    for name in e.runs.experiments() {
        let runs = e.runs.experiment(&name);
        let (relu, sigmoid) = (runs.activation("relu"), runs.activation("sigmoid"));
        if relu.is_empty() || sigmoid.is_empty() {
            evidence.push(format!("{name}: needs relu and sigmoid runs"));
            checks.push(Verdict::Inconclusive);
            continue;
        }
        let r = relu.0[0];
        evidence.push(format!(
            "{name}: {} epochs, depth {}, {}",
            r.cell.train.epochs,
            r.cell.model.depth(),
            r.dataset_source
        ));
        parts.push(final_metric(format!("{name}: relu - sigmoid"), Claim::Better, &relu, &sigmoid));
    }
    Judgement::all(parts, checks, evidence)
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

    #[test]
    fn each_experiment_is_a_setting_and_named() {
        let small = [
            seeds("G16", "small", "relu", 6, &[0.85, 0.86, 0.87]),
            seeds("G16", "small", "sigmoid", 6, &[0.1, 0.1, 0.1]),
        ]
        .concat();
        // On the full data sigmoid catches up: the second setting fails.
        let full = [
            seeds("G16", "full", "relu", 6, &[0.88, 0.89, 0.9]),
            seeds("G16", "full", "sigmoid", 6, &[0.95, 0.95, 0.96]),
        ]
        .concat();
        let full = super::super::testing::edit(full, |r| r.cell.experiment_index = 1);
        let v = verdict("G16", &[small, full].concat());
        assert_eq!(v.verdict, Fails, "{v:?}");
        assert!(v.finding.ends_with("by setting: small holds, full fails"), "{}", v.finding);
    }
}
