//! G03 `tanh-over-sigmoid`: tanh is zero-centred, so hidden layers train better with tanh than
//! with sigmoid. Experiment: a 4-layer MLP with each; mean hidden activation, epochs to the
//! experiment's target, final accuracy.

use super::engine::{Claim, Method};
use super::judgement::{Judgement, Verdict};
use super::rule::{Evidence, Guideline};
use super::runs::{Scale, final_metric, paired, single};
use super::thresholds::G03_MEAN_TOLERANCE;
use crate::outcome::{epochs_to_target, mean_activation_over_training};

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
        "mean hidden activation (over init and every epoch) inside 0 ± {t} for tanh and 0.5 ± {t} for sigmoid (95% CI); and tanh ahead per seed in epochs to the target (sign test) or in final accuracy (paired t): either suffices",
        t = G03_MEAN_TOLERANCE
    )
}

fn check(e: &Evidence) -> Judgement {
    let (tanh, sigmoid) = match e.runs.pair("tanh", "sigmoid") {
        Ok(pair) => pair,
        Err(missing) => return missing,
    };
    let mean = Scale::of("mean hidden activation", true, 0.0, Method::PairedT);
    let around =
        |c: f64| Claim::Inside { low: c - G03_MEAN_TOLERANCE, high: c + G03_MEAN_TOLERANCE };
    let mut parts = vec![
        single(
            "tanh mean activation",
            around(0.0),
            &tanh,
            &mean,
            0.0,
            mean_activation_over_training,
        ),
        single(
            "sigmoid mean activation",
            around(0.5),
            &sigmoid,
            &mean,
            0.0,
            mean_activation_over_training,
        ),
        final_metric("tanh - sigmoid", Claim::Better, &tanh, &sigmoid),
    ];
    if let Some(target) = tanh.target() {
        parts.push(paired(
            "tanh - sigmoid",
            Claim::Better,
            &tanh,
            &sigmoid,
            &Scale::epochs(&tanh, target),
            epochs_to_target,
        ));
    }
    Judgement::combined(parts, Vec::new(), |d| {
        Verdict::all([d[0], d[1], Verdict::any(d[2..].to_vec())])
    })
}

#[cfg(test)]
mod tests {
    use super::super::Verdict::*;
    use super::super::testing::{edit, seeds, verdict};
    use crate::records::cell::CellRecord;

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
        let worse =
            [runs("tanh", 0.02, &[0.7, 0.72, 0.71]), runs("sigmoid", 0.5, &[0.95, 0.96, 0.97])];
        assert_eq!(verdict("G03", &worse.concat()).verdict, Fails);
        let tie = [runs("tanh", 0.02, &[0.9, 0.8, 0.95]), runs("sigmoid", 0.5, &[0.85, 0.9, 0.88])];
        assert_eq!(verdict("G03", &tie.concat()).verdict, Inconclusive);
    }

    #[test]
    fn fails_when_tanh_is_not_centred() {
        let v = verdict(
            "G03",
            &[runs("tanh", 0.4, &[0.95, 0.96, 0.97]), runs("sigmoid", 0.5, &[0.7, 0.72, 0.71])]
                .concat(),
        );
        assert_eq!(v.verdict, Fails);
    }
}
