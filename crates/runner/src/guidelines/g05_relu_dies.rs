//! G05 `relu-dies`: ReLU units can die (negative inputs give zero gradient and the unit never
//! recovers). Experiment: an MLP in a dying-prone setting (negative bias init, high learning
//! rate) with ReLU and the variants meant to fix it; the fraction of hidden units whose
//! derivative is zero on every evaluation sample, after training.

use super::engine::{Claim, Method};
use super::judgement::Judgement;
use super::rule::{Evidence, Guideline};
use super::runs::{Runs, Scale, paired, single};
use super::thresholds::{DELTA_DEAD_FRACTION, G05_DEAD_MIN};
use crate::outcome::dead_fraction;

pub const GUIDELINE: Guideline = Guideline {
    id: "G05",
    name: "relu-dies",
    claim: "ReLU units can die: negative inputs give zero gradient, and the unit never recovers",
    threshold,
    needs_runs: true,
    check,
};

fn threshold() -> String {
    format!(
        "relu's dead fraction above {:.0}% (95% CI), and above every other activation of the experiment by > {:.0} points per seed (paired, Holm)",
        G05_DEAD_MIN * 100.0,
        DELTA_DEAD_FRACTION * 100.0
    )
}

/// `relu 12.3%` (mean dead fraction of `runs`).
pub(super) fn percent(label: &str, runs: &Runs) -> String {
    format!("{label} {:.1}%", 100.0 * runs.mean(dead_fraction))
}

fn check(e: &Evidence) -> Judgement {
    let relu = e.runs.activation("relu");
    if relu.is_empty() {
        return Judgement::missing("needs relu runs");
    }
    let dead = Scale::of("dead fraction", true, G05_DEAD_MIN, Method::PairedT);
    let mut parts =
        vec![single("relu dead fraction", Claim::Better, &relu, &dead, 0.0, dead_fraction)];
    let more = Scale { delta: DELTA_DEAD_FRACTION, ..dead };
    let mut shown = vec![percent("relu", &relu)];
    for label in e.runs.labels().into_iter().filter(|l| l != "relu") {
        let other = e.runs.activation(&label);
        shown.push(percent(&label, &other));
        parts.push(paired(
            format!("relu - {label}"),
            Claim::Better,
            &relu,
            &other,
            &more,
            dead_fraction,
        ));
    }
    Judgement::all(
        parts,
        Vec::new(),
        vec![format!("dead units after training: {}", shown.join(", "))],
    )
}

#[cfg(test)]
pub(super) mod tests {
    use super::super::Verdict::*;
    use super::super::testing::{seeds, verdict};
    use crate::records::cell::CellRecord;

    pub fn runs(
        guideline: &str,
        activation: &str,
        dead: [f64; 3],
        metrics: &[f64],
    ) -> Vec<CellRecord> {
        let mut rs = seeds(guideline, "dying", activation, 3, metrics);
        for (r, d) in rs.iter_mut().zip(dead) {
            r.epochs
                .last_mut()
                .unwrap()
                .layers
                .iter_mut()
                .filter(|l| l.dead_fraction.is_some())
                .for_each(|l| l.dead_fraction = Some(d));
        }
        rs
    }

    #[test]
    fn holds_when_relu_dies_and_the_others_do_not() {
        let v = verdict(
            "G05",
            &[
                runs("G05", "relu", [0.3, 0.4, 0.35], &[0.8; 3]),
                runs("G05", "leaky-relu", [0.0; 3], &[0.9; 3]),
                runs("G05", "elu", [0.0, 0.01, 0.0], &[0.9; 3]),
            ]
            .concat(),
        );
        assert_eq!(v.verdict, Holds, "{v:?}");
        assert!(v.evidence.contains("relu 35.0%"), "{}", v.evidence);
    }

    #[test]
    fn fails_when_relu_stays_alive() {
        let v = verdict(
            "G05",
            &[
                runs("G05", "relu", [0.0; 3], &[0.8; 3]),
                runs("G05", "leaky-relu", [0.0; 3], &[0.9; 3]),
            ]
            .concat(),
        );
        assert_eq!(v.verdict, Fails);
    }

    #[test]
    fn inconclusive_when_the_variant_dies_about_as_much() {
        let v = verdict(
            "G05",
            &[
                runs("G05", "relu", [0.3, 0.4, 0.35], &[0.8; 3]),
                runs("G05", "elu", [0.2, 0.45, 0.3], &[0.9; 3]),
            ]
            .concat(),
        );
        assert_eq!(v.verdict, Inconclusive, "{v:?}");
    }
}
