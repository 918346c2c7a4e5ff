//! G14 `rnn-sigmoid-tanh`: recurrent nets should use sigmoid/tanh (gates sigmoid, state tanh).
//! Experiments: a vanilla RNN with tanh, ReLU and sigmoid recurrence; LSTM and GRU cells with the
//! standard (sigmoid gates, tanh candidate) and swapped (tanh gates, sigmoid candidate)
//! activations; the adding problem.

use actbench_models::ModelConfig;
use actbench_models::config::RnnCell;

use super::compare::compare;
use super::{Evidence, Finding, Guideline, Runs, Verdict};
use crate::run::record::{CellRecord, Status};

pub const GUIDELINE: Guideline = Guideline {
    id: "G14",
    name: "rnn-sigmoid-tanh",
    claim: "Recurrent nets should use sigmoid/tanh (gates sigmoid, state tanh)",
    threshold,
    needs_runs: true,
    check,
};

fn threshold() -> String {
    "vanilla RNN: tanh recurrence beats each other recurrence (p < 0.05); LSTM and GRU: the standard cell (sigmoid gates, tanh candidate) beats the swapped one (p < 0.05); diverged runs count as untrained".into()
}

/// The recurrent cell and its gate activation's name, for RNN runs.
fn rnn(r: &CellRecord) -> Option<(RnnCell, &'static str)> {
    match &r.cell.model {
        ModelConfig::Rnn { cell, gate_activation, .. } => Some((*cell, gate_activation.name())),
        _ => None,
    }
}

fn diverged(runs: &Runs) -> String {
    let n = runs.0.iter().filter(|r| r.status == Status::Diverged).count();
    if n == 0 { String::new() } else { format!(" [{n} diverged]") }
}

fn check(e: &Evidence) -> Finding {
    let (mut verdicts, mut evidence) = (Vec::new(), Vec::new());
    let higher = e.runs.higher_is_better();
    let vanilla = e.runs.filter(|r| rnn(r).is_some_and(|(c, _)| c == RnnCell::Vanilla));
    if vanilla.is_empty() {
        evidence.push("no vanilla RNN runs".into());
        verdicts.push(Verdict::Inconclusive);
    } else {
        let tanh = vanilla.activation("tanh").final_metric("tanh");
        for label in vanilla.labels().into_iter().filter(|l| l != "tanh") {
            let other = vanilla.activation(&label);
            let c = compare(tanh.clone(), other.final_metric(label.as_str()), higher);
            evidence.push(format!("vanilla: {}{}", c.text(), diverged(&other)));
            verdicts.push(if tanh.is_empty() { Verdict::Inconclusive } else { c.first_better() });
        }
    }
    for cell in [RnnCell::Lstm, RnnCell::Gru] {
        let runs = e.runs.filter(|r| rnn(r).is_some_and(|(c, _)| c == cell));
        let standard = runs.filter(|r| {
            rnn(r).is_some_and(|(_, gate)| gate == "sigmoid") && r.cell.activation.name() == "tanh"
        });
        let swapped = runs.filter(|r| {
            !(rnn(r).is_some_and(|(_, gate)| gate == "sigmoid")
                && r.cell.activation.name() == "tanh")
        });
        let name = format!("{cell:?}").to_lowercase();
        if standard.is_empty() || swapped.is_empty() {
            evidence.push(format!("{name}: needs standard and swapped runs"));
            verdicts.push(Verdict::Inconclusive);
            continue;
        }
        let c = compare(
            standard.final_metric(format!("{name} standard")),
            swapped.final_metric(format!("{name} swapped")),
            higher,
        );
        evidence.push(format!("{}{}", c.text(), diverged(&swapped)));
        verdicts.push(c.first_better());
    }
    Finding { verdict: Verdict::all(verdicts), evidence }
}

#[cfg(test)]
mod tests {
    use super::super::Verdict::*;
    use super::super::testing::{edit, seeds, verdict};
    use actbench_activations::ActivationConfig;
    use actbench_models::ModelConfig;
    use actbench_models::config::RnnCell;

    fn runs(
        cell: RnnCell,
        gate: &str,
        activation: &str,
        mse: &[f64],
    ) -> Vec<crate::run::record::CellRecord> {
        edit(seeds("G14", &format!("{cell:?}-{gate}"), activation, 1, mse), |r| {
            r.higher_is_better = false;
            r.metric = "mse".into();
            r.cell.model = ModelConfig::Rnn {
                cell,
                hidden: 4,
                layers: 1,
                gate_activation: ActivationConfig::new(gate).unwrap(),
                init: Default::default(),
            };
        })
    }

    fn results(vanilla_relu: &[f64], lstm_swapped: &[f64]) -> Vec<crate::run::record::CellRecord> {
        [
            runs(RnnCell::Vanilla, "sigmoid", "tanh", &[0.01, 0.012, 0.011]),
            runs(RnnCell::Vanilla, "sigmoid", "relu", vanilla_relu),
            runs(RnnCell::Lstm, "sigmoid", "tanh", &[0.01, 0.012, 0.011]),
            runs(RnnCell::Lstm, "tanh", "sigmoid", lstm_swapped),
            runs(RnnCell::Gru, "sigmoid", "tanh", &[0.01, 0.012, 0.011]),
            runs(RnnCell::Gru, "tanh", "sigmoid", &[0.05, 0.06, 0.055]),
        ]
        .concat()
    }

    #[test]
    fn every_outcome() {
        assert_eq!(
            verdict("G14", &results(&[0.1, 0.2, 0.15], &[0.05, 0.06, 0.055])).verdict,
            Holds
        );
        assert_eq!(
            verdict("G14", &results(&[0.001, 0.0012, 0.0011], &[0.05, 0.06, 0.055])).verdict,
            Fails
        );
        assert_eq!(
            verdict("G14", &results(&[0.1, 0.2, 0.15], &[0.005, 0.06, 0.02])).verdict,
            Inconclusive
        );
    }
}
