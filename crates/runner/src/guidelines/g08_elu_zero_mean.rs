//! G08 `elu-zero-mean`: ELU's negative part pulls mean activations toward zero and speeds
//! convergence. Experiment: an 8-layer MLP with ELU and ReLU; mean hidden activation and epochs
//! to the experiment's target.

use super::engine::{Claim, Method};
use super::judgement::{Judgement, Verdict};
use super::rule::{Evidence, Guideline};
use super::runs::{Scale, paired};
use super::thresholds::DELTA_MEAN_ACTIVATION;
use crate::outcome::{epochs_to_target, mean_activation_over_training};

pub const GUIDELINE: Guideline = Guideline {
    id: "G08",
    name: "elu-zero-mean",
    claim: "ELU's negative part pulls mean activations toward zero and speeds convergence",
    threshold,
    needs_runs: true,
    check,
};

fn threshold() -> String {
    format!(
        "elu's |mean hidden activation| (over init and every epoch) below relu's by > {DELTA_MEAN_ACTIVATION} per seed (paired t); and elu not slower to the target by more than half an epoch (non-inferiority, sign test)"
    )
}

fn check(e: &Evidence) -> Judgement {
    let (elu, relu) = match e.runs.pair("elu", "relu") {
        Ok(pair) => pair,
        Err(missing) => return missing,
    };
    let centred =
        Scale::of("|mean hidden activation|", false, DELTA_MEAN_ACTIVATION, Method::PairedT);
    let abs_mean =
        |r: &crate::records::cell::CellRecord| mean_activation_over_training(r).map(f64::abs);
    let mut parts = vec![paired("elu - relu", Claim::Better, &elu, &relu, &centred, abs_mean)];
    let (mut checks, mut evidence) = (Vec::new(), Vec::new());
    match elu.target() {
        Some(target) => parts.push(paired(
            "elu - relu",
            Claim::NotWorse,
            &elu,
            &relu,
            &Scale::epochs(&elu, target),
            epochs_to_target,
        )),
        None => {
            evidence.push("no target set: convergence not judged".into());
            checks.push(Verdict::Inconclusive);
        }
    }
    Judgement::all(parts, checks, evidence)
}

#[cfg(test)]
mod tests {
    use super::super::Verdict::*;
    use super::super::testing::{seeds, verdict};
    use crate::plan::Target;
    use crate::records::cell::CellRecord;

    fn runs(activation: &str, means: &[f64]) -> Vec<CellRecord> {
        let mut rs = seeds("G08", "g08", activation, 3, &vec![0.9; means.len()]);
        for (r, m) in rs.iter_mut().zip(means) {
            r.cell.target = Some(Target::Test(0.85));
            r.epochs
                .iter_mut()
                .flat_map(|e| e.layers.iter_mut())
                .filter(|l| l.activation_mean.is_some())
                .for_each(|l| l.activation_mean = Some(*m));
        }
        rs
    }

    #[test]
    fn every_outcome() {
        let relu = runs("relu", &[0.5, 0.6, 0.55, 0.52, 0.58, 0.6, 0.5, 0.55]);
        let v = verdict(
            "G08",
            &[runs("elu", &[0.05, -0.02, 0.1, 0.0, 0.03, 0.02, -0.01, 0.05]), relu.clone()]
                .concat(),
        );
        assert_eq!(v.verdict, Holds, "{v:?}");
        let v = verdict(
            "G08",
            &[runs("elu", &[0.9, 0.8, 1.0, 0.9, 0.85, 0.95, 0.9, 0.8]), relu.clone()].concat(),
        );
        assert_eq!(v.verdict, Fails);
        let v = verdict(
            "G08",
            &[runs("elu", &[0.1, 0.9, 0.5, 0.7, 0.2, 0.8, 0.6, 0.4]), relu.clone()].concat(),
        );
        assert_eq!(v.verdict, Inconclusive);
    }

    #[test]
    fn three_seeds_cannot_show_convergence_no_slower() {
        let v = verdict(
            "G08",
            &[runs("elu", &[0.05, -0.02, 0.1]), runs("relu", &[0.5, 0.6, 0.55])].concat(),
        );
        assert_eq!(v.verdict, Inconclusive, "{v:?}");
    }
}
