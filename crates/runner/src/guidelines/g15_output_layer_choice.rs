//! G15 `output-layer-choice`: output layer: regression linear; binary sigmoid; multi-class
//! softmax; multi-label sigmoid. Experiments: one task per case, each trained with every output
//! activation and its matching loss.

use actbench_activations::OutputActivation;
use actbench_data::Task;

use super::compare::compare;
use super::{Evidence, Finding, Guideline, Verdict};
use crate::report::tables::num;

pub const GUIDELINE: Guideline = Guideline {
    id: "G15",
    name: "output-layer-choice",
    claim: "Output layer: regression linear; binary sigmoid; multi-class softmax; multi-label sigmoid",
    threshold,
    needs_runs: true,
    check,
};

fn threshold() -> String {
    "per case, no other output activation beats the recommended one (p < 0.05): best or tied-best"
        .into()
}

/// The claim's recommendation for a task, and the case's name.
fn recommended(task: Task) -> (OutputActivation, &'static str) {
    match task {
        Task::Regression { .. } => (OutputActivation::Identity, "regression"),
        Task::Classification { classes: 2 } => (OutputActivation::Sigmoid, "binary"),
        Task::Classification { .. } => (OutputActivation::Softmax, "multi-class"),
        Task::MultiLabel { .. } => (OutputActivation::Sigmoid, "multi-label"),
    }
}

fn check(e: &Evidence) -> Finding {
    let (mut verdicts, mut evidence) = (Vec::new(), Vec::new());
    for name in e.runs.experiments() {
        let runs = e.runs.experiment(&name);
        let Some(task) = runs.0[0].task else {
            evidence.push(format!("{name}: results predate the task field"));
            verdicts.push(Verdict::Inconclusive);
            continue;
        };
        let (best, case) = recommended(task);
        let with = |o: OutputActivation| runs.filter(|r| r.cell.output == o).final_metric(o.name());
        let chosen = with(best);
        if chosen.is_empty() {
            evidence.push(format!("{case} ({name}): {} not trained", best.name()));
            verdicts.push(Verdict::Inconclusive);
            continue;
        }
        let mut parts = vec![format!("{} {}", best.name(), num(chosen.mean))];
        let mut case_verdicts = Vec::new();
        for other in OutputActivation::ALL.into_iter().filter(|o| *o != best) {
            let s = with(other);
            if s.is_empty() {
                continue;
            }
            let c = compare(chosen.clone(), s, runs.higher_is_better());
            parts.push(format!(
                "{} {}{}",
                other.name(),
                num(c.second.mean),
                if c.first_not_worse() == Verdict::Fails { " (better)" } else { "" }
            ));
            case_verdicts.push(c.first_not_worse());
        }
        let v = Verdict::all(case_verdicts);
        evidence.push(format!(
            "{case} ({}): {} → {}",
            runs.0[0].metric,
            parts.join(", "),
            v.name()
        ));
        verdicts.push(v);
    }
    Finding { verdict: Verdict::all(verdicts), evidence }
}

#[cfg(test)]
mod tests {
    use super::super::Verdict::*;
    use super::super::testing::{edit, seeds, verdict};
    use actbench_activations::OutputActivation;

    fn runs(output: OutputActivation, metrics: &[f64]) -> Vec<crate::run::record::CellRecord> {
        edit(seeds("G15", "binary", "relu", 2, metrics), |r| r.cell.output = output)
    }

    #[test]
    fn every_outcome() {
        let sigmoid = runs(OutputActivation::Sigmoid, &[0.95, 0.96, 0.97]);
        assert_eq!(
            verdict(
                "G15",
                &[
                    sigmoid.clone(),
                    runs(OutputActivation::Softmax, &[0.95, 0.97, 0.96]),
                    runs(OutputActivation::Identity, &[0.8, 0.8, 0.81])
                ]
                .concat()
            )
            .verdict,
            Holds
        );
        assert_eq!(
            verdict(
                "G15",
                &[sigmoid.clone(), runs(OutputActivation::Identity, &[0.99, 0.995, 0.99])].concat()
            )
            .verdict,
            Fails
        );
        let mut old = sigmoid.clone();
        old.iter_mut().for_each(|r| r.task = None);
        assert_eq!(verdict("G15", &old).verdict, Inconclusive);
    }
}
