//! G18 `transformer-ffn`: in transformer feed-forward layers GELU does at least as well as
//! ReLU, and the gated variants GEGLU and SwiGLU do better than both at equal parameters
//! (Hendrycks & Gimpel 2016 for GELU in BERT and GPT-2; Shazeer 2020, "GLU Variants Improve
//! Transformer", for the gated ones). Experiment: a small decoder-only transformer on
//! characters of Debian's fortunes, the gated layers at 2/3 of the hidden width.

use super::engine::Claim;
use super::judgement::{Judgement, Verdict};
use super::rule::{Evidence, Guideline};
use super::runs::final_metric;
use crate::num::num;
use crate::outcome;

pub const GUIDELINE: Guideline = Guideline {
    id: "G18",
    name: "transformer-ffn",
    claim: "In transformer feed-forward layers GELU does at least as well as ReLU, and the gated variants GEGLU and SwiGLU do better than both at equal parameters",
    threshold,
    needs_runs: true,
    check,
};

/// The plain activations the gated ones must beat.
const PLAIN: [&str; 2] = ["relu", "gelu"];
/// The gated activations of the claim.
const GATED: [&str; 2] = ["geglu", "swiglu"];

fn threshold() -> String {
    "in every experiment: gelu not worse than relu by more than the metric's delta (non-inferiority), and geglu and swiglu each better than relu and than gelu by more than it (paired by seed, 95% CI, Holm)".into()
}

fn check(e: &Evidence) -> Judgement {
    let (mut parts, mut checks, mut evidence) = (Vec::new(), Vec::new(), Vec::new());
    for name in e.runs.experiments() {
        let runs = e.runs.experiment(&name);
        let labels = runs.labels();
        let missing: Vec<&str> = PLAIN
            .iter()
            .chain(&GATED)
            .copied()
            .filter(|l| !labels.iter().any(|x| x == l))
            .collect();
        if !missing.is_empty() {
            evidence.push(format!("{name}: lacks {}", missing.join(", ")));
            checks.push(Verdict::Inconclusive);
            continue;
        }
        let of = |label: &str| runs.activation(label);
        parts.push(final_metric(
            format!("{name}: gelu - relu"),
            Claim::NotWorse,
            &of("gelu"),
            &of("relu"),
        ));
        for gated in GATED {
            for plain in PLAIN {
                parts.push(final_metric(
                    format!("{name}: {gated} - {plain}"),
                    Claim::Better,
                    &of(gated),
                    &of(plain),
                ));
            }
        }
        let means: Vec<String> = labels
            .iter()
            .map(|l| format!("{l} {}", num(runs.activation(l).mean(outcome::final_metric))))
            .collect();
        evidence.push(format!("{name} (test {}): {}", runs.metric(), means.join(", ")));
    }
    Judgement::all(parts, checks, evidence)
}

#[cfg(test)]
mod tests {
    use super::super::Verdict::*;
    use super::super::testing::{seeds, verdict};
    use crate::records::cell::CellRecord;
    use crate::records::testing::edit;

    /// Runs with bits per character (lower is better).
    fn bpc(activation: &str, values: &[f64]) -> Vec<CellRecord> {
        edit(seeds("G18", "tf", activation, 4, values), |r| {
            r.metric = "bits-per-character".into();
            r.higher_is_better = false;
        })
    }

    #[test]
    fn every_outcome() {
        let plain =
            [bpc("relu", &[2.30, 2.31, 2.32, 2.30]), bpc("gelu", &[2.29, 2.30, 2.31, 2.29])]
                .concat();
        let with = |gated: Vec<CellRecord>| verdict("G18", &[plain.clone(), gated].concat());
        let better =
            [bpc("geglu", &[2.20, 2.21, 2.22, 2.2]), bpc("swiglu", &[2.21, 2.2, 2.23, 2.2])];
        assert_eq!(with(better.concat()).verdict, Holds);
        let worse = [bpc("geglu", &[2.40, 2.41, 2.42, 2.4]), bpc("swiglu", &[2.2, 2.2, 2.21, 2.2])];
        assert_eq!(with(worse.concat()).verdict, Fails);
        let noisy = [bpc("geglu", &[2.1, 2.5, 2.2, 2.4]), bpc("swiglu", &[2.2, 2.2, 2.21, 2.2])];
        assert_eq!(with(noisy.concat()).verdict, Inconclusive);
        let missing = verdict("G18", &plain);
        assert_eq!(missing.verdict, Inconclusive);
    }
}
