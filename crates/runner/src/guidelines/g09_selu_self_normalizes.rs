//! G09 `selu-self-normalizes`: SELU with LeCun-normal init keeps activations at mean 0,
//! variance 1 through depth, so deep plain MLPs train without normalisation layers. Experiment:
//! plain MLPs of depth 8 to 64 on standardised inputs; the last hidden layer's activation mean
//! and variance at init, and the accuracy lost from the shallowest to the deepest net.

use super::engine::{Claim, Method, Part};
use super::judgement::Judgement;
use super::rule::{Evidence, Guideline};
use super::runs::Runs;
use super::runs::Scale;
use super::thresholds::{DELTA_ACCURACY, G09_DEPTH, G09_MEAN_BOUND, G09_VARIANCE_RANGE};
use crate::num::num;
use crate::outcome::{final_metric, last_hidden_moments};
use crate::records::cell::CellRecord;

pub const GUIDELINE: Guideline = Guideline {
    id: "G09",
    name: "selu-self-normalizes",
    claim: "SELU (lambda 1.0507, alpha 1.6733) with LeCun-normal init keeps activations at mean 0, variance 1 through depth, so deep plain MLPs train without normalisation layers",
    threshold,
    needs_runs: true,
    check,
};

fn threshold() -> String {
    format!(
        "at depth {G09_DEPTH}, at init: selu's last-hidden mean inside ±{G09_MEAN_BOUND} and variance inside [{}, {}], every other activation's variance outside it (95% CI over seeds); selu loses less accuracy from the shallowest to the deepest net than each other activation, by > {} per seed (paired)",
        G09_VARIANCE_RANGE.0, G09_VARIANCE_RANGE.1, DELTA_ACCURACY
    )
}

fn init_moment(r: &CellRecord, which: fn((f64, f64)) -> f64) -> Option<f64> {
    r.epochs.first().and_then(last_hidden_moments).map(which)
}

/// Accuracy lost per seed from the shallowest to the deepest net.
fn drops(runs: &Runs, shallow: usize, deep: usize) -> std::collections::BTreeMap<u64, f64> {
    let (s, d) =
        (runs.depth(shallow).by_seed(final_metric), runs.depth(deep).by_seed(final_metric));
    s.iter().filter_map(|(seed, a)| d.get(seed).map(|b| (*seed, a - b))).collect()
}

fn check(e: &Evidence) -> Judgement {
    let depths = e.runs.depths();
    if !depths.contains(&G09_DEPTH) || e.runs.activation("selu").is_empty() {
        return Judgement::missing(format!("needs selu runs at depth {G09_DEPTH}"));
    }
    let (mean, var) = (|m: (f64, f64)| m.0, |m: (f64, f64)| m.1);
    let at = e.runs.depth(G09_DEPTH);
    let selu = at.activation("selu");
    let moment = Scale::of("activation moment at init", true, 0.0, Method::PairedT);
    let (low, high) = G09_VARIANCE_RANGE;
    let single = |label: String, claim, runs: &Runs, which: fn((f64, f64)) -> f64| {
        super::runs::single(label, claim, runs, &moment, 0.0, move |r| init_moment(r, which))
    };
    let mut parts = vec![
        single(
            "selu mean".into(),
            Claim::Inside { low: -G09_MEAN_BOUND, high: G09_MEAN_BOUND },
            &selu,
            mean,
        ),
        single("selu variance".into(), Claim::Inside { low, high }, &selu, var),
    ];
    let mut stats = Vec::new();
    let labels = e.runs.labels();
    for label in &labels {
        let runs = at.activation(label);
        stats.push(format!(
            "{label} mean {} var {}",
            num(runs.mean(|r| init_moment(r, mean))),
            num(runs.mean(|r| init_moment(r, var)))
        ));
        if label != "selu" {
            parts.push(single(
                format!("{label} variance"),
                Claim::Outside { low, high },
                &runs,
                var,
            ));
        }
    }
    let mut evidence =
        vec![format!("last hidden layer at depth {G09_DEPTH}, init: {}", stats.join(", "))];
    let (shallow, deep) = (depths[0], depths[depths.len() - 1]);
    if shallow != deep {
        let selu_drop = drops(&e.runs.activation("selu"), shallow, deep);
        for label in labels.iter().filter(|l| *l != "selu") {
            let other = drops(&e.runs.activation(label), shallow, deep);
            let sample =
                selu_drop.iter().filter_map(|(s, d)| other.get(s).map(|o| o - d)).collect();
            parts.push(Part::new(
                format!("{label} drop - selu drop, d{shallow} to d{deep}"),
                format!("test {}", e.runs.metric()),
                Claim::Better,
                Method::PairedT,
                DELTA_ACCURACY,
                sample,
            ));
        }
    } else {
        evidence.push("one depth only: the accuracy drop is not judged".into());
    }
    Judgement::all(parts, Vec::new(), evidence)
}

#[cfg(test)]
mod tests {
    use super::super::Verdict::*;
    use super::super::testing::{edit, seeds, verdict};
    use crate::records::cell::CellRecord;

    fn runs(
        activation: &str,
        depth: usize,
        moments: (f64, f64),
        metrics: &[f64],
    ) -> Vec<CellRecord> {
        edit(seeds("G09", "g09", activation, depth, metrics), |r| {
            for l in r
                .epochs
                .iter_mut()
                .flat_map(|e| e.layers.iter_mut())
                .filter(|l| l.activation_mean.is_some())
            {
                (l.activation_mean, l.activation_variance) = (Some(moments.0), Some(moments.1));
            }
        })
    }

    fn results(selu_deep: &[f64], relu_moments: (f64, f64)) -> Vec<CellRecord> {
        [
            runs("selu", 8, (0.0, 1.0), &[0.95, 0.96, 0.97]),
            runs("selu", 32, (0.02, 0.97), selu_deep),
            runs("relu", 8, relu_moments, &[0.95, 0.96, 0.97]),
            runs("relu", 32, relu_moments, &[0.6, 0.62, 0.61]),
        ]
        .concat()
    }

    #[test]
    fn every_outcome() {
        assert_eq!(verdict("G09", &results(&[0.94, 0.95, 0.96], (0.4, 0.1))).verdict, Holds);
        // ReLU stays normalised too: the "others drift" part fails.
        assert_eq!(verdict("G09", &results(&[0.94, 0.95, 0.96], (0.0, 1.0))).verdict, Fails);
        // SELU's deep accuracy is too noisy to say it degrades less.
        assert_eq!(verdict("G09", &results(&[0.94, 0.3, 0.7], (0.4, 0.1))).verdict, Inconclusive);
    }
}
