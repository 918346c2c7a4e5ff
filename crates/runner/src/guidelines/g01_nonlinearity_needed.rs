//! G01 `nonlinearity-needed`: without a nonlinear activation a deep network is only a linear
//! model. Experiment: identity at depth 1 (a linear model: the logistic-regression baseline),
//! and identity plus the standard nonlinearities at depth 2 and 5, on two circles.

use super::engine::Claim;
use super::finding::{Finding, Verdict};
use super::rule::{Evidence, Guideline};
use super::runs::{Scale, paired};
use super::thresholds::{G01_IDENTITY_NEAR_LINEAR, G01_NONLINEAR_MARGIN, G01_SHALLOW_DEPTH};
use crate::outcome;

pub const GUIDELINE: Guideline = Guideline {
    id: "G01",
    name: "nonlinearity-needed",
    claim: "Without a nonlinear activation a deep network is only a linear model",
    threshold,
    needs_runs: true,
    check,
};

fn threshold() -> String {
    format!(
        "deepest identity net tied with the linear baseline (identity at depth 1) within ±{} points; at depth {G01_SHALLOW_DEPTH}, every nonlinearity ahead of identity by > {} points (paired by seed, 95% CI, Holm)",
        G01_IDENTITY_NEAR_LINEAR * 100.0,
        G01_NONLINEAR_MARGIN * 100.0
    )
}

fn check(e: &Evidence) -> Finding {
    let identity = e.runs.activation("identity");
    let depths = identity.depths();
    if depths.len() < 2 {
        return Finding::missing(
            "needs identity at two depths: the shallowest is the linear baseline, the deepest the deep linear net",
        );
    }
    let (baseline, deep) = (depths[0], depths[depths.len() - 1]);
    let scale = Scale::final_metric(&e.runs);
    let near = Scale { delta: G01_IDENTITY_NEAR_LINEAR, ..scale.clone() };
    let mut parts = vec![paired(
        format!("identity d{deep} - linear baseline (identity d{baseline})"),
        Claim::Tied,
        &identity.depth(deep),
        &identity.depth(baseline),
        &near,
        outcome::final_metric,
    )];
    let (mut checks, mut evidence) = (Vec::new(), Vec::new());
    let shallow = e.runs.depth(G01_SHALLOW_DEPTH);
    let nonlinear: Vec<String> = shallow.labels().into_iter().filter(|l| l != "identity").collect();
    if shallow.activation("identity").is_empty() || nonlinear.is_empty() {
        evidence.push(format!("needs identity and nonlinear runs at depth {G01_SHALLOW_DEPTH}"));
        checks.push(Verdict::Inconclusive);
    }
    let margin = Scale { delta: G01_NONLINEAR_MARGIN, ..scale };
    for label in nonlinear {
        parts.push(paired(
            format!("{label} - identity at d{G01_SHALLOW_DEPTH}"),
            Claim::Better,
            &shallow.activation(&label),
            &shallow.activation("identity"),
            &margin,
            outcome::final_metric,
        ));
    }
    Finding::all(parts, checks, evidence)
}

#[cfg(test)]
mod tests {
    use super::super::Verdict::*;
    use super::super::testing::{seeds, verdict};

    fn results(relu: &[f64], deep_identity: &[f64]) -> Vec<crate::records::cell::CellRecord> {
        [
            seeds("G01", "g01-linear", "identity", 1, &[0.50, 0.52, 0.51]),
            seeds("G01", "g01", "identity", 2, &[0.50, 0.51, 0.49]),
            seeds("G01", "g01", "relu", 2, relu),
            seeds("G01", "g01", "identity", 5, deep_identity),
        ]
        .concat()
    }

    #[test]
    fn holds_when_nonlinear_wins_by_the_margin_and_deep_identity_is_linear() {
        let v = verdict("G01", &results(&[0.97, 0.98, 0.99], &[0.50, 0.52, 0.51]));
        assert_eq!(v.verdict, Holds, "{v:?}");
        assert!(
            v.evidence.contains("relu - identity at d2: relu 0.980 vs identity at d2 0.500 test accuracy, higher is better: relu better by 0.480"),
            "{}",
            v.evidence
        );
        assert_eq!(v.parts.len(), 2);
    }

    #[test]
    fn fails_when_a_nonlinearity_is_clearly_short_of_the_margin() {
        let v = verdict("G01", &results(&[0.55, 0.56, 0.54], &[0.50, 0.52, 0.51]));
        assert_eq!(v.verdict, Fails, "{v:?}");
    }

    #[test]
    fn fails_when_deep_identity_is_not_linear_and_inconclusive_when_noisy() {
        assert_eq!(
            verdict("G01", &results(&[0.97, 0.98, 0.99], &[0.70, 0.71, 0.72])).verdict,
            Fails
        );
        let v = verdict("G01", &results(&[0.97, 0.98, 0.99], &[0.4, 0.9, 0.5]));
        assert_eq!(v.verdict, Inconclusive);
        assert!(v.seeds_needed.is_some(), "{v:?}");
    }

    #[test]
    fn a_tie_on_three_noisy_seeds_is_not_a_pass() {
        // The deep identity net is near the baseline on average but the seeds disagree: the
        // old rule called this "near"; the equivalence test does not.
        let v = verdict("G01", &results(&[0.97, 0.98, 0.99], &[0.49, 0.56, 0.47]));
        assert_eq!(v.verdict, Inconclusive, "{v:?}");
    }
}
