//! G15 `output-layer-choice`: output layer: regression linear; binary sigmoid; multi-class
//! softmax; multi-label sigmoid. Experiments: one task per case, each trained with every output
//! activation and its matching loss.

use actbench_activations::OutputActivation;
use actbench_data::Task;

use super::engine::Claim;
use super::judgement::{Judgement, Verdict};
use super::rule::{Evidence, Guideline};
use super::runs::final_metric;
use crate::num::num;
use crate::outcome;

pub const GUIDELINE: Guideline = Guideline {
    id: "G15",
    name: "output-layer-choice",
    claim: "Output layer: regression linear; binary sigmoid; multi-class softmax; multi-label sigmoid",
    threshold,
    needs_runs: true,
    check,
};

fn threshold() -> String {
    "per case, the recommended output activation not worse than each other one by more than the metric's delta (non-inferiority, paired by seed, Holm): best or tied-best".into()
}

/// The claim's recommendation for a task, and the case's name.
fn recommended(task: Task) -> (OutputActivation, &'static str) {
    match task {
        Task::Regression { .. } => (OutputActivation::Identity, "regression"),
        Task::Classification { classes: 2 } => (OutputActivation::Sigmoid, "binary"),
        Task::Classification { .. } => (OutputActivation::Softmax, "multi-class"),
        Task::MultiLabel { .. } => (OutputActivation::Sigmoid, "multi-label"),
        Task::NextToken { .. } => (OutputActivation::Softmax, "next-token"),
    }
}

fn check(e: &Evidence) -> Judgement {
    let (mut parts, mut checks, mut evidence) = (Vec::new(), Vec::new(), Vec::new());
    for name in e.runs.experiments() {
        let runs = e.runs.experiment(&name);
        let Some(task) = runs.0[0].task else {
            evidence.push(format!("{name}: results predate the task field"));
            checks.push(Verdict::Inconclusive);
            continue;
        };
        let (best, case) = recommended(task);
        let with = |o: OutputActivation| runs.filter(|r| r.cell.output == o);
        if with(best).is_empty() {
            evidence.push(format!("{case} ({name}): {} not trained", best.name()));
            checks.push(Verdict::Inconclusive);
            continue;
        }
        let mut shown = Vec::new();
        for o in OutputActivation::ALL {
            let runs = with(o);
            if runs.is_empty() {
                continue;
            }
            shown.push(format!("{} {}", o.name(), num(runs.mean(outcome::final_metric))));
            if o != best {
                parts.push(final_metric(
                    format!("{case}: {} - {}", best.name(), o.name()),
                    Claim::NotWorse,
                    &with(best),
                    &runs,
                ));
            }
        }
        evidence.push(format!("{case} ({name}, test {}): {}", runs.metric(), shown.join(", ")));
    }
    Judgement::all(parts, checks, evidence)
}

#[cfg(test)]
mod tests {
    use super::super::Verdict::*;
    use super::super::testing::{edit, seeds, verdict};
    use actbench_activations::OutputActivation;

    fn runs(output: OutputActivation, metrics: &[f64]) -> Vec<crate::records::cell::CellRecord> {
        edit(seeds("G15", "binary", "relu", 2, metrics), |r| r.cell.output = output)
    }

    #[test]
    fn every_outcome() {
        let sigmoid = runs(OutputActivation::Sigmoid, &[0.95, 0.96, 0.97]);
        let v = verdict(
            "G15",
            &[
                sigmoid.clone(),
                runs(OutputActivation::Softmax, &[0.95, 0.96, 0.97]),
                runs(OutputActivation::Identity, &[0.8, 0.8, 0.81]),
            ]
            .concat(),
        );
        assert_eq!(v.verdict, Holds, "{v:?}");
        let v = verdict(
            "G15",
            &[sigmoid.clone(), runs(OutputActivation::Identity, &[1.0, 1.0, 1.0])].concat(),
        );
        assert_eq!(v.verdict, Fails, "{v:?}");
        let mut old = sigmoid.clone();
        old.iter_mut().for_each(|r| r.task = None);
        assert_eq!(verdict("G15", &old).verdict, Inconclusive);
    }

    #[test]
    fn a_noisy_tie_is_not_tied_best() {
        // The old rule held ("no other output significantly better"); three seeds that disagree
        // by two points do not show the recommended output is within a point of the best.
        let sigmoid = runs(OutputActivation::Sigmoid, &[0.95, 0.96, 0.97]);
        let v = verdict(
            "G15",
            &[sigmoid, runs(OutputActivation::Softmax, &[0.97, 0.94, 0.98])].concat(),
        );
        assert_eq!(v.verdict, Inconclusive, "{v:?}");
    }
}
