//! G04 `relu-converges-faster`: ReLU converges faster than sigmoid and tanh. Experiments: a CNN
//! on images and an MLP; epochs until the metric first reaches the experiment's `target` on the
//! split the config names (`target = { train = 0.9 }`); a run that never does counts as epochs +
//! 1, so the comparison is censored and uses the sign test.

use super::engine::Claim;
use super::judgement::{Judgement, Verdict};
use super::rule::{Evidence, Guideline};
use super::runs::{Scale, paired};
use crate::outcome::epochs_to_target;

pub const GUIDELINE: Guideline = Guideline {
    id: "G04",
    name: "relu-converges-faster",
    claim: "ReLU converges faster than sigmoid and tanh",
    threshold,
    needs_runs: true,
    check,
};

fn threshold() -> String {
    "in every experiment, relu needs fewer epochs to the target than tanh and than sigmoid, per seed (sign test on epochs, never reached = epochs + 1; median beyond half an epoch, 95% CI, Holm)".into()
}

fn check(e: &Evidence) -> Judgement {
    let (mut parts, mut checks, mut evidence) = (Vec::new(), Vec::new(), Vec::new());
    for name in e.runs.experiments() {
        let runs = e.runs.experiment(&name);
        let Some(target) = runs.target() else {
            evidence.push(format!("{name}: no target set"));
            checks.push(Verdict::Inconclusive);
            continue;
        };
        let scale = Scale::epochs(&runs, target);
        for other in ["tanh", "sigmoid"] {
            if runs.activation("relu").is_empty() || runs.activation(other).is_empty() {
                evidence.push(format!("{name}: needs relu and {other} runs"));
                checks.push(Verdict::Inconclusive);
                continue;
            }
            parts.push(paired(
                format!("{name}: relu - {other}"),
                Claim::Better,
                &runs.activation("relu"),
                &runs.activation(other),
                &scale,
                epochs_to_target,
            ));
        }
    }
    Judgement::all(parts, checks, evidence)
}

#[cfg(test)]
mod tests {
    use super::super::Verdict::*;
    use super::super::testing::{seeds, verdict};
    use crate::plan::Target;
    use crate::records::cell::{CellRecord, EpochRecord};

    /// Runs (one per entry) that reach training accuracy 0.9 at epoch `reach` of 5 (6: never).
    fn runs(activation: &str, reach: &[usize]) -> Vec<CellRecord> {
        let mut rs = seeds("G04", "g04", activation, 3, &vec![0.9; reach.len()]);
        for (r, &at) in rs.iter_mut().zip(reach) {
            r.cell.target = Some(Target::Train(0.9));
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
        rs
    }

    #[test]
    fn holds_fails_and_inconclusive() {
        let fast = runs("relu", &[1; 8]);
        let (slow, slowest) =
            (runs("tanh", &[3, 3, 4, 3, 2, 4, 3, 3]), runs("sigmoid", &[5, 6, 6, 5, 6, 6, 4, 6]));
        let v = verdict("G04", &[fast.clone(), slow.clone(), slowest.clone()].concat());
        assert_eq!(v.verdict, Holds, "{v:?}");
        let v = verdict(
            "G04",
            &[runs("relu", &[4; 8]), runs("tanh", &[1; 8]), slowest.clone()].concat(),
        );
        assert_eq!(v.verdict, Fails, "{v:?}");
        let mixed = runs("tanh", &[1, 2, 1, 1, 2, 1, 1, 1]);
        assert_eq!(
            verdict("G04", &[fast.clone(), mixed, slowest.clone()].concat()).verdict,
            Inconclusive
        );
    }

    #[test]
    fn three_seeds_cannot_decide_a_censored_metric() {
        // Unanimous but only three pairs: the sign test's smallest p-value is 0.25.
        let v = verdict(
            "G04",
            &[runs("relu", &[1; 3]), runs("tanh", &[4; 3]), runs("sigmoid", &[5; 3])].concat(),
        );
        assert_eq!(v.verdict, Inconclusive, "{v:?}");
        assert!(v.seeds_needed.is_some_and(|n| n > 3), "{v:?}");
    }
}
