//! G03 `tanh-over-sigmoid`: tanh is zero-centred, so hidden layers train better with tanh than
//! with sigmoid. Experiment: a 4-layer MLP with each; mean hidden activation, epochs to the
//! experiment's target, final accuracy.

use super::compare::{Summary, compare};
use super::runs::{epochs_to, mean_activation_over_training};
use super::thresholds::MEAN_ACTIVATION_TOLERANCE;
use super::{Evidence, Finding, Guideline, Verdict};
use crate::report::tables::num;

pub const GUIDELINE: Guideline = Guideline {
    id: "G03",
    name: "tanh-over-sigmoid",
    claim: "Tanh is zero-centred, so hidden layers train better with tanh than with sigmoid",
    threshold,
    needs_runs: true,
    check,
};

fn threshold() -> String {
    format!(
        "mean hidden activation (over init and every epoch): tanh within ±{t} of 0, sigmoid within ±{t} of 0.5; and tanh reaches the target in fewer epochs or ends more accurate (p < 0.05)",
        t = MEAN_ACTIVATION_TOLERANCE
    )
}

fn near(s: &Summary, centre: f64) -> Verdict {
    Verdict::from((s.mean - centre).abs() <= MEAN_ACTIVATION_TOLERANCE)
}

fn check(e: &Evidence) -> Finding {
    let (tanh, sigmoid) = match e.runs.pair("tanh", "sigmoid") {
        Ok(pair) => pair,
        Err(missing) => return missing,
    };
    let higher = e.runs.higher_is_better();
    let tanh_mean = tanh.summary("tanh", mean_activation_over_training);
    let sigmoid_mean = sigmoid.summary("sigmoid", mean_activation_over_training);
    let mut evidence =
        vec![format!("mean hidden activation: {}, {}", tanh_mean.text(), sigmoid_mean.text())];
    let mut better = Vec::new();
    if let Some(target) = tanh.0[0].cell.target {
        let epochs = |runs: &super::Runs, label: &str| {
            runs.summary(label, |r| Some(epochs_to(r, target, false)))
        };
        let c = compare(epochs(&tanh, "tanh"), epochs(&sigmoid, "sigmoid"), false);
        evidence.push(format!(
            "epochs to test {} {} (not reached = epochs + 1): {}",
            tanh.0[0].metric,
            num(target),
            c.text()
        ));
        better.push(c.first_better());
    }
    let c = compare(tanh.final_metric("tanh"), sigmoid.final_metric("sigmoid"), higher);
    evidence.push(format!("final test {}: {}", tanh.0[0].metric, c.text()));
    better.push(c.first_better());
    Finding {
        verdict: Verdict::all([
            near(&tanh_mean, 0.0),
            near(&sigmoid_mean, 0.5),
            Verdict::any(better),
        ]),
        evidence,
    }
}

#[cfg(test)]
mod tests {
    use super::super::Verdict::*;
    use super::super::testing::{edit, seeds, verdict};
    use crate::run::record::CellRecord;

    fn runs(activation: &str, mean: f64, metrics: &[f64]) -> Vec<CellRecord> {
        edit(seeds("G03", "g03", activation, 4, metrics), |r| {
            r.epochs.iter_mut().flat_map(|e| e.layers.iter_mut()).for_each(|l| {
                if l.activation_mean.is_some() {
                    l.activation_mean = Some(mean)
                }
            })
        })
    }

    #[test]
    fn holds_when_tanh_is_centred_and_more_accurate() {
        let v = verdict(
            "G03",
            &[runs("tanh", 0.02, &[0.95, 0.96, 0.97]), runs("sigmoid", 0.5, &[0.7, 0.72, 0.71])]
                .concat(),
        );
        assert_eq!(v.verdict, Holds, "{v:?}");
    }

    #[test]
    fn fails_when_sigmoid_is_more_accurate_and_inconclusive_on_a_tie() {
        assert_eq!(
            verdict(
                "G03",
                &[
                    runs("tanh", 0.02, &[0.7, 0.72, 0.71]),
                    runs("sigmoid", 0.5, &[0.95, 0.96, 0.97])
                ]
                .concat()
            )
            .verdict,
            Fails
        );
        assert_eq!(
            verdict(
                "G03",
                &[runs("tanh", 0.02, &[0.9, 0.8, 0.95]), runs("sigmoid", 0.5, &[0.85, 0.9, 0.88])]
                    .concat()
            )
            .verdict,
            Inconclusive
        );
    }

    #[test]
    fn fails_when_tanh_is_not_centred() {
        assert_eq!(
            verdict(
                "G03",
                &[runs("tanh", 0.4, &[0.95, 0.96, 0.97]), runs("sigmoid", 0.5, &[0.7, 0.72, 0.71])]
                    .concat()
            )
            .verdict,
            Fails
        );
    }
}
