//! G10 `swish-for-deep`: Swish suits networks deeper than about 40 layers. Experiment: plain
//! MLPs of depth 10/20/40/60 with Swish and ReLU.

use super::compare::{Summary, compare};
use super::runs::{final_metric, paired_difference};
use super::thresholds::G10_DEEP;
use super::{Evidence, Finding, Guideline, Verdict};
use crate::report::tables::num;

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
        "swish beats relu at every depth >= {G10_DEEP} (p < 0.05), and the per-seed swish - relu gap at the deepest net exceeds the gap at the shallowest (p < 0.05)"
    )
}

fn check(e: &Evidence) -> Finding {
    let (swish, relu) = (e.runs.activation("swish"), e.runs.activation("relu"));
    let depths = e.runs.depths();
    let deep: Vec<usize> = depths.iter().copied().filter(|d| *d >= G10_DEEP).collect();
    if swish.is_empty() || relu.is_empty() || deep.is_empty() {
        return Finding::missing(format!("needs swish and relu runs at depths >= {G10_DEEP}"));
    }
    let higher = e.runs.higher_is_better();
    let (mut verdicts, mut per_depth) = (Vec::new(), Vec::new());
    for &d in &depths {
        let c = compare(
            swish.depth(d).final_metric("swish"),
            relu.depth(d).final_metric("relu"),
            higher,
        );
        per_depth.push(format!("d{d}: {}", c.text()));
        if d >= G10_DEEP {
            verdicts.push(c.first_better());
        }
    }
    let gap = |d: usize| {
        Summary::new(
            format!("gap d{d}"),
            paired_difference(&swish.depth(d), &relu.depth(d), |r| Some(final_metric(r))),
        )
    };
    let (shallow, deepest) = (depths[0], depths[depths.len() - 1]);
    let c = compare(gap(deepest), gap(shallow), higher);
    verdicts.push(if shallow == deepest { Verdict::Inconclusive } else { c.first_better() });
    Finding {
        verdict: Verdict::all(verdicts),
        evidence: vec![
            format!("test {}: {}", e.runs.0[0].metric, per_depth.join("; ")),
            format!(
                "swish - relu gap: d{deepest} {} vs d{shallow} {}",
                num(c.first.mean),
                num(c.second.mean)
            ),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::super::Verdict::*;
    use super::super::testing::{seeds, verdict};

    fn results(swish40: &[f64], relu40: &[f64]) -> Vec<crate::run::record::CellRecord> {
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
}
