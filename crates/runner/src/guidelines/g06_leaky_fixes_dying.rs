//! G06 `leaky-fixes-dying`: LeakyReLU (slope 0.01) keeps a small gradient and so fixes dying
//! ReLU. Same runs as G05.

use super::engine::{Claim, Method};
use super::g05_relu_dies::percent;
use super::judgement::Judgement;
use super::rule::{Evidence, Guideline};
use super::runs::{Scale, final_metric, single};
use super::thresholds::G06_DEAD_MAX;
use crate::outcome::dead_fraction;

pub const GUIDELINE: Guideline = Guideline {
    id: "G06",
    name: "leaky-fixes-dying",
    claim: "LeakyReLU (slope 0.01) keeps a small gradient and so fixes dying ReLU",
    threshold,
    needs_runs: true,
    check,
};

fn threshold() -> String {
    format!(
        "leaky-relu's dead fraction below {:.0}% (95% CI); its accuracy not worse than relu's by more than the metric's delta (non-inferiority, paired by seed)",
        G06_DEAD_MAX * 100.0
    )
}

fn check(e: &Evidence) -> Judgement {
    let (leaky, relu) = match e.runs.pair("leaky-relu", "relu") {
        Ok(pair) => pair,
        Err(missing) => return missing,
    };
    // The distance below the line: positive when the dead fraction is under it.
    let below = Scale::of("dead fraction", false, 0.0, Method::PairedT);
    let parts = vec![
        single(
            format!("{}% - leaky-relu dead fraction", G06_DEAD_MAX * 100.0),
            Claim::Better,
            &leaky,
            &below,
            G06_DEAD_MAX,
            dead_fraction,
        ),
        final_metric("leaky-relu - relu", Claim::NotWorse, &leaky, &relu),
    ];
    let evidence =
        vec![format!("dead units: {}, {}", percent("leaky-relu", &leaky), percent("relu", &relu))];
    Judgement::all(parts, Vec::new(), evidence)
}

#[cfg(test)]
mod tests {
    use super::super::Verdict::*;
    use super::super::g05_relu_dies::tests::runs;
    use super::super::testing::verdict;

    #[test]
    fn holds_fails_and_fails_on_accuracy() {
        let relu = runs("G06", "relu", [0.3, 0.4, 0.35], &[0.80, 0.82, 0.81]);
        let leaky = |dead, metrics: &[f64]| runs("G06", "leaky-relu", dead, metrics);
        assert_eq!(
            verdict("G06", &[relu.clone(), leaky([0.0; 3], &[0.9, 0.91, 0.92])].concat()).verdict,
            Holds
        );
        assert_eq!(
            verdict("G06", &[relu.clone(), leaky([0.2; 3], &[0.9, 0.91, 0.92])].concat()).verdict,
            Fails
        );
        assert_eq!(
            verdict("G06", &[relu.clone(), leaky([0.0; 3], &[0.6, 0.61, 0.62])].concat()).verdict,
            Fails
        );
    }

    #[test]
    fn a_noisy_accuracy_tie_is_not_a_pass() {
        // The old rule held here ("not worse" unless relu was significantly better).
        let relu = runs("G06", "relu", [0.3, 0.4, 0.35], &[0.80, 0.90, 0.85]);
        let v = verdict(
            "G06",
            &[relu, runs("G06", "leaky-relu", [0.0; 3], &[0.88, 0.79, 0.86])].concat(),
        );
        assert_eq!(v.verdict, Inconclusive, "{v:?}");
    }

    #[test]
    fn inconclusive_without_leaky_runs() {
        assert_eq!(
            verdict("G06", &runs("G06", "relu", [0.3, 0.4, 0.35], &[0.8; 3])).verdict,
            Inconclusive
        );
    }
}
