//! G04 `relu-converges-faster`: ReLU converges faster than sigmoid and tanh. Experiments: a CNN
//! on images and an MLP; epochs until the training accuracy first reaches the experiment's
//! `target` (a run that never does counts as epochs + 1).

use super::compare::compare;
use super::runs::epochs_to;
use super::{Evidence, Finding, Guideline, Verdict};
use crate::report::tables::num;

pub const GUIDELINE: Guideline = Guideline {
    id: "G04",
    name: "relu-converges-faster",
    claim: "ReLU converges faster than sigmoid and tanh",
    threshold,
    needs_runs: true,
    check,
};

fn threshold() -> String {
    "in every experiment, relu needs fewer epochs to the target training accuracy than tanh and than sigmoid (p < 0.05)".into()
}

fn check(e: &Evidence) -> Finding {
    let (mut verdicts, mut evidence) = (Vec::new(), Vec::new());
    for name in e.runs.experiments() {
        let runs = e.runs.experiment(&name);
        let Some(target) = runs.0[0].cell.target else {
            evidence.push(format!("{name}: no target set"));
            verdicts.push(Verdict::Inconclusive);
            continue;
        };
        let epochs = |label: &str| {
            runs.activation(label).summary(label, |r| Some(epochs_to(r, target, true)))
        };
        let relu = epochs("relu");
        let mut parts = Vec::new();
        for other in ["tanh", "sigmoid"] {
            let c = compare(relu.clone(), epochs(other), false);
            verdicts.push(if relu.is_empty() || c.second.is_empty() {
                Verdict::Inconclusive
            } else {
                c.first_better()
            });
            parts.push(c.text());
        }
        evidence.push(format!(
            "{name}, epochs to train {} {}: {}",
            runs.0[0].metric,
            num(target),
            parts.join("; ")
        ));
    }
    Finding { verdict: Verdict::all(verdicts), evidence }
}

#[cfg(test)]
mod tests {
    use super::super::Verdict::*;
    use super::super::testing::{edit, seeds, verdict};
    use crate::run::record::{CellRecord, EpochRecord};

    /// Runs that reach training accuracy 0.9 at epoch `reach` of 5.
    fn runs(activation: &str, reach: [usize; 3]) -> Vec<CellRecord> {
        let mut rs = seeds("G04", "g04", activation, 3, &[0.9; 3]);
        for (r, at) in rs.iter_mut().zip(reach) {
            r.cell.target = Some(0.9);
            r.cell.train.epochs = 5;
            let template = r.epochs[1].clone();
            r.epochs = (0..=5)
                .map(|e| EpochRecord {
                    epoch: e,
                    train_metric: if e >= at { 0.95 } else { 0.5 },
                    ..template.clone()
                })
                .collect();
        }
        edit(rs, |_| {})
    }

    #[test]
    fn holds_fails_and_inconclusive() {
        let fast = runs("relu", [1, 1, 1]);
        assert_eq!(
            verdict(
                "G04",
                &[fast.clone(), runs("tanh", [3, 3, 4]), runs("sigmoid", [5, 6, 6])].concat()
            )
            .verdict,
            Holds
        );
        assert_eq!(
            verdict(
                "G04",
                &[runs("relu", [4, 4, 5]), runs("tanh", [1, 1, 1]), runs("sigmoid", [5, 6, 6])]
                    .concat()
            )
            .verdict,
            Fails
        );
        assert_eq!(
            verdict(
                "G04",
                &[fast.clone(), runs("tanh", [1, 2, 1]), runs("sigmoid", [5, 6, 6])].concat()
            )
            .verdict,
            Inconclusive
        );
    }
}
