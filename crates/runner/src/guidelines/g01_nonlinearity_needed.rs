//! G01 `nonlinearity-needed`: without a nonlinear activation a deep network is only a linear
//! model. Experiment: identity at depth 1 (a linear model: the logistic-regression baseline) and
//! identity plus the standard nonlinearities at depth 5, on two circles.

use super::compare::compare;
use super::thresholds::{G01_IDENTITY_NEAR_LINEAR, G01_NONLINEAR_MARGIN};
use super::{Evidence, Finding, Guideline, Verdict};
use crate::report::tables::num;

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
        "deep identity within {} points of the linear baseline; every nonlinearity ahead of deep identity by >= {} points (p < 0.05)",
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
    let (shallow, deep) = (depths[0], depths[depths.len() - 1]);
    let higher = e.runs.higher_is_better();
    let baseline =
        identity.depth(shallow).final_metric(format!("linear baseline (identity d{shallow})"));
    let deep_identity = identity.depth(deep).final_metric(format!("identity d{deep}"));
    let gap = (deep_identity.mean - baseline.mean).abs();
    let near = if gap <= G01_IDENTITY_NEAR_LINEAR {
        Verdict::Holds
    } else {
        match compare(deep_identity.clone(), baseline.clone(), higher).outcome {
            super::compare::Outcome::Tie => Verdict::Inconclusive,
            _ => Verdict::Fails,
        }
    };
    let mut evidence =
        vec![format!("{} vs {} (gap {})", deep_identity.text(), baseline.text(), num(gap))];
    let mut verdicts = vec![near];
    let (mut ahead, mut behind) = (Vec::new(), Vec::new());
    for label in e.runs.depth(deep).labels().into_iter().filter(|l| l != "identity") {
        let nonlinear = e.runs.depth(deep).activation(&label).final_metric(label.clone());
        let c = compare(
            nonlinear.shifted(-G01_NONLINEAR_MARGIN, &label),
            deep_identity.clone(),
            higher,
        );
        let verdict = c.first_better();
        verdicts.push(verdict);
        let text = format!(
            "{} {} ({:+})",
            label,
            num(nonlinear.mean),
            num(nonlinear.mean - deep_identity.mean)
        );
        if verdict == Verdict::Holds {
            ahead.push(text)
        } else {
            behind.push(format!("{text} [{}]", verdict.name()))
        }
    }
    if !ahead.is_empty() {
        evidence.push(format!("ahead by the margin: {}", ahead.join(", ")));
    }
    if !behind.is_empty() {
        evidence.push(format!("not clearly ahead: {}", behind.join(", ")));
    }
    Finding { verdict: Verdict::all(verdicts), evidence }
}

#[cfg(test)]
mod tests {
    use super::super::Verdict::*;
    use super::super::testing::{seeds, verdict};

    fn results(relu: &[f64], deep_identity: &[f64]) -> Vec<crate::run::record::CellRecord> {
        [
            seeds("G01", "g01", "identity", 1, &[0.50, 0.52, 0.51]),
            seeds("G01", "g01", "identity", 5, deep_identity),
            seeds("G01", "g01", "relu", 5, relu),
        ]
        .concat()
    }

    #[test]
    fn holds_when_nonlinear_wins_by_the_margin() {
        let v = verdict("G01", &results(&[0.97, 0.98, 0.99], &[0.5, 0.51, 0.49]));
        assert_eq!(v.verdict, Holds, "{v:?}");
        assert!(v.evidence.contains("ahead by the margin: relu"));
    }

    #[test]
    fn fails_when_a_nonlinearity_is_clearly_short_of_the_margin() {
        assert_eq!(
            verdict("G01", &results(&[0.55, 0.56, 0.54], &[0.5, 0.51, 0.49])).verdict,
            Fails
        );
    }

    #[test]
    fn fails_when_deep_identity_is_not_linear_and_inconclusive_when_noisy() {
        assert_eq!(
            verdict("G01", &results(&[0.97, 0.98, 0.99], &[0.70, 0.71, 0.72])).verdict,
            Fails
        );
        assert_eq!(
            verdict("G01", &results(&[0.97, 0.98, 0.99], &[0.4, 0.9, 0.5])).verdict,
            Inconclusive
        );
    }
}
