//! G10 `swish-for-deep`: Swish suits networks deeper than about 40 layers (the first version of
//! the Swish paper: fully connected nets of growing depth, similar up to ~40 layers, Swish ahead
//! between 40 and 50). Each tagged experiment is a setting (a depth sweep); the verdict is given
//! per setting in the evidence and holds only when it holds in every setting.

use super::engine::{Claim, Part};
use super::judgement::{Judgement, Verdict};
use super::rule::{Evidence, Guideline};
use super::runs::Runs;
use super::runs::{Scale, final_metric};
use super::thresholds::G10_DEEP;
use crate::outcome;

pub const GUIDELINE: Guideline = Guideline {
    id: "G10",
    name: "swish-for-deep",
    claim: "Swish suits networks deeper than about 40 layers",
    threshold,
    needs_runs: true,
    check,
};

fn threshold() -> String {
    format!(
        "per setting: swish ahead of relu at every depth >= {G10_DEEP} by more than the metric's delta, and the per-seed swish - relu gap at the deepest net above the gap at the shallowest (paired by seed, 95% CI, Holm)"
    )
}

/// Per-seed swish - relu gap in final accuracy at `depth`.
fn gap(runs: &Runs, depth: usize) -> std::collections::BTreeMap<u64, f64> {
    let (s, r) = (
        runs.activation("swish").depth(depth).by_seed(outcome::final_metric),
        runs.activation("relu").depth(depth).by_seed(outcome::final_metric),
    );
    s.iter().filter_map(|(seed, a)| r.get(seed).map(|b| (*seed, a - b))).collect()
}

fn check(e: &Evidence) -> Judgement {
    let (mut parts, mut checks, mut evidence) = (Vec::new(), Vec::new(), Vec::new());
    for name in e.runs.experiments() {
        let runs = e.runs.experiment(&name);
        let depths = runs.depths();
        let deep: Vec<usize> = depths.iter().copied().filter(|d| *d >= G10_DEEP).collect();
        if runs.activation("swish").is_empty()
            || runs.activation("relu").is_empty()
            || deep.is_empty()
        {
            evidence.push(format!("{name}: needs swish and relu runs at depths >= {G10_DEEP}"));
            checks.push(Verdict::Inconclusive);
            continue;
        }
        for d in deep {
            let (swish, relu) =
                (runs.activation("swish").depth(d), runs.activation("relu").depth(d));
            parts.push(final_metric(
                format!("{name} d{d}: swish - relu"),
                Claim::Better,
                &swish,
                &relu,
            ));
        }
        let (shallow, deepest) = (depths[0], depths[depths.len() - 1]);
        if shallow != deepest {
            let (far, near) = (gap(&runs, deepest), gap(&runs, shallow));
            let scale = Scale::final_metric(&runs);
            let sign = if scale.higher_is_better { 1.0 } else { -1.0 };
            let sample =
                far.iter().filter_map(|(s, g)| near.get(s).map(|n| sign * (g - n))).collect();
            parts.push(Part::new(
                format!("{name}: gap d{deepest} - gap d{shallow}"),
                scale.unit,
                Claim::Better,
                scale.method,
                scale.delta,
                sample,
            ));
        }
        let means: Vec<String> = depths
            .iter()
            .map(|d| {
                let m = |a: &str| runs.activation(a).depth(*d).mean(outcome::final_metric);
                format!("d{d} {} vs {}", crate::num::num(m("swish")), crate::num::num(m("relu")))
            })
            .collect();
        evidence.push(format!(
            "{name} (swish vs relu, test {}): {}",
            runs.metric(),
            means.join(", ")
        ));
    }
    Judgement::all(parts, checks, evidence)
}

#[cfg(test)]
mod tests {
    use super::super::Verdict::*;
    use super::super::testing::{seeds, verdict};

    fn results(swish40: &[f64], relu40: &[f64]) -> Vec<crate::records::cell::CellRecord> {
        [
            seeds("G10", "g10", "swish", 10, &[0.95, 0.96, 0.97]),
            seeds("G10", "g10", "relu", 10, &[0.95, 0.96, 0.97]),
            seeds("G10", "g10", "swish", 40, swish40),
            seeds("G10", "g10", "relu", 40, relu40),
        ]
        .concat()
    }

    #[test]
    fn every_outcome() {
        assert_eq!(verdict("G10", &results(&[0.9, 0.91, 0.92], &[0.6, 0.62, 0.61])).verdict, Holds);
        assert_eq!(verdict("G10", &results(&[0.6, 0.62, 0.61], &[0.9, 0.91, 0.92])).verdict, Fails);
        assert_eq!(
            verdict("G10", &results(&[0.9, 0.5, 0.7], &[0.6, 0.8, 0.61])).verdict,
            Inconclusive
        );
    }

    #[test]
    fn each_setting_is_judged_and_named() {
        let mut second = results(&[0.6, 0.62, 0.61], &[0.9, 0.91, 0.92]);
        second.iter_mut().for_each(|r| r.cell.experiment = "g10-fashion".into());
        let v = verdict("G10", &[results(&[0.9, 0.91, 0.92], &[0.6, 0.62, 0.61]), second].concat());
        assert_eq!(v.verdict, Fails);
        assert!(
            v.evidence.contains("g10 d40: swish - relu") && v.evidence.contains("g10-fashion d40"),
            "{}",
            v.evidence
        );
    }
}
