//! G05 `relu-dies`: ReLU units can die (negative inputs give zero gradient and the unit never
//! recovers). Experiment: an MLP in a dying-prone setting (negative bias init, high learning
//! rate) with ReLU and the variants meant to fix it; the fraction of hidden units whose
//! derivative is zero on every evaluation sample, after training.

use super::compare::compare;
use super::runs::dead_fraction;
use super::thresholds::G05_DEAD_MIN;
use super::{Evidence, Finding, Guideline, Verdict};

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
        "relu's mean dead fraction > {:.0}% and above every other activation of the experiment (p < 0.05)",
        G05_DEAD_MIN * 100.0
    )
}

/// `label 12.3% ± 1.0%` for dead fractions.
pub(super) fn percent(s: &super::compare::Summary) -> String {
    format!("{} {:.1}% ± {:.1}%", s.label, 100.0 * s.mean, 100.0 * s.std)
}

fn check(e: &Evidence) -> Finding {
    let dead = |label: &str| e.runs.activation(label).summary(label, dead_fraction);
    let relu = dead("relu");
    if relu.is_empty() {
        return Finding::missing("needs relu runs");
    }
    let mut verdicts = vec![Verdict::from(relu.mean > G05_DEAD_MIN)];
    let mut evidence = vec![format!("dead units after training: {}", percent(&relu))];
    for label in e.runs.labels().into_iter().filter(|l| l != "relu") {
        let c = compare(relu.clone(), dead(&label), true);
        evidence.push(format!(
            "{} (p = {})",
            percent(&c.second),
            c.p.map(crate::report::tables::num).unwrap_or_else(|| "-".into())
        ));
        verdicts.push(c.first_better());
    }
    Finding { verdict: Verdict::all(verdicts), evidence }
}

#[cfg(test)]
pub(super) mod tests {
    use super::super::Verdict::*;
    use super::super::testing::{edit, seeds, verdict};
    use crate::run::record::CellRecord;

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
        edit(rs, |_| {})
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
        assert_eq!(
            verdict(
                "G05",
                &[
                    runs("G05", "relu", [0.0; 3], &[0.8; 3]),
                    runs("G05", "leaky-relu", [0.0; 3], &[0.9; 3])
                ]
                .concat()
            )
            .verdict,
            Fails
        );
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
