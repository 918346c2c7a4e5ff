//! G14 `rnn-sigmoid-tanh`: recurrent nets should use sigmoid/tanh (gates sigmoid, state tanh).
//! Experiments: a vanilla RNN with tanh, ReLU and sigmoid recurrence; LSTM and GRU cells with the
//! standard (sigmoid gates, tanh candidate) and swapped (tanh gates, sigmoid candidate)
//! activations. Each dataset is a setting (the synthetic adding problem; the yearly sunspot
//! numbers, a real series), judged on its own and named in the verdict. Runs of different
//! experiments with the same seed and dataset share the data, so standard and swapped cells are
//! paired by seed.

use actbench_models::ModelConfig;
use actbench_models::config::RnnCell;

use super::engine::Claim;
use super::judgement::{Judgement, Verdict};
use super::rule::{Evidence, Guideline};
use super::runs::Runs;
use super::runs::final_metric;
use crate::num::num;
use crate::records::cell::{CellRecord, Status};

pub const GUIDELINE: Guideline = Guideline {
    id: "G14",
    name: "rnn-sigmoid-tanh",
    claim: "Recurrent nets should use sigmoid/tanh (gates sigmoid, state tanh)",
    threshold,
    needs_runs: true,
    check,
};

fn threshold() -> String {
    "per setting (dataset): vanilla RNN: tanh recurrence ahead of each other recurrence; LSTM and GRU: the standard cell (sigmoid gates, tanh candidate) ahead of the swapped one; each by more than the metric's delta (MSE and ARV as log10, 12%), paired by seed, 95% CI, Holm; diverged runs count as untrained".into()
}

/// The recurrent cell and its gate activation's name, for RNN runs.
fn rnn(r: &CellRecord) -> Option<(RnnCell, &'static str)> {
    match &r.cell.model {
        ModelConfig::Rnn { cell, gate_activation, .. } => Some((*cell, gate_activation.name())),
        _ => None,
    }
}

fn diverged(label: &str, runs: &Runs) -> Option<String> {
    let n = runs.0.iter().filter(|r| r.status == Status::Diverged).count();
    (n > 0).then(|| format!("{label}: {n} of {} runs diverged", runs.0.len()))
}

/// The settings of `runs`: their datasets' kinds, in config order.
fn settings(runs: &Runs) -> Vec<&'static str> {
    let mut kinds: Vec<(usize, &'static str)> =
        runs.0.iter().map(|r| (r.cell.experiment_index, r.cell.dataset.kind.name())).collect();
    kinds.sort();
    let mut names: Vec<&'static str> = Vec::new();
    for (_, kind) in kinds {
        if !names.contains(&kind) {
            names.push(kind);
        }
    }
    names
}

fn check(e: &Evidence) -> Judgement {
    let (mut parts, mut checks, mut evidence) = (Vec::new(), Vec::new(), Vec::new());
    for setting in settings(&e.runs) {
        let runs = e.runs.filter(|r| r.cell.dataset.kind.name() == setting);
        let vanilla = runs.filter(|r| rnn(r).is_some_and(|(c, _)| c == RnnCell::Vanilla));
        if vanilla.activation("tanh").is_empty() {
            evidence.push(format!("{setting}: no vanilla RNN runs with tanh"));
            checks.push(Verdict::Inconclusive);
        } else {
            for label in vanilla.labels().into_iter().filter(|l| l != "tanh") {
                let other = vanilla.activation(&label);
                evidence.extend(diverged(&format!("{setting} vanilla {label}"), &other));
                parts.push(final_metric(
                    format!("{setting}: vanilla tanh - {label}"),
                    Claim::Better,
                    &vanilla.activation("tanh"),
                    &other,
                ));
            }
        }
        for cell in [RnnCell::Lstm, RnnCell::Gru] {
            let runs = runs.filter(|r| rnn(r).is_some_and(|(c, _)| c == cell));
            let is_standard = |r: &CellRecord| {
                rnn(r).is_some_and(|(_, gate)| gate == "sigmoid")
                    && r.cell.activation.name() == "tanh"
            };
            let (standard, swapped) = (runs.filter(is_standard), runs.filter(|r| !is_standard(r)));
            let cell_name = format!("{cell:?}").to_lowercase();
            let name = format!("{setting} {cell_name}");
            if standard.is_empty() || swapped.is_empty() {
                evidence.push(format!("{name}: needs standard and swapped runs"));
                checks.push(Verdict::Inconclusive);
                continue;
            }
            evidence.extend(diverged(&format!("{name} swapped"), &swapped));
            parts.push(final_metric(
                format!("{setting}: {cell_name} standard - swapped"),
                Claim::Better,
                &standard,
                &swapped,
            ));
        }
        // A baseline the dataset fits in closed form, for scale (the same in every record).
        if let Some((r, b)) = runs.0.iter().find_map(|r| Some((r, r.baseline.as_ref()?))) {
            evidence.push(format!(
                "{setting}: {} baseline, test {} {}",
                b.name,
                r.metric,
                num(b.test_metric)
            ));
        }
    }
    Judgement::all(parts, checks, evidence)
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
    ) -> Vec<crate::records::cell::CellRecord> {
        edit(seeds("G14", &format!("{cell:?}-{gate}"), activation, 1, mse), |r| {
            r.higher_is_better = false;
            r.metric = "mse".into();
            r.cell.model = ModelConfig::Rnn {
                cell,
                hidden: 4,
                layers: 1,
                gate_activation: ActivationConfig::new(gate).unwrap(),
                init: Default::default(),
                forget_bias: 0.0,
            };
        })
    }

    fn results(
        vanilla_relu: &[f64],
        lstm_swapped: &[f64],
    ) -> Vec<crate::records::cell::CellRecord> {
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

    #[test]
    fn each_dataset_is_a_setting_and_named() {
        use actbench_data::{DatasetConfig, DatasetKind};
        let sunspots = edit(results(&[0.001, 0.0012, 0.0011], &[0.05, 0.06, 0.055]), |r| {
            r.cell.dataset = DatasetConfig::new(DatasetKind::Sunspots);
            r.cell.experiment_index += 10;
            r.metric = "arv".into();
        });
        let both = [results(&[0.1, 0.2, 0.15], &[0.05, 0.06, 0.055]), sunspots].concat();
        let v = verdict("G14", &both);
        assert_eq!(v.verdict, Fails, "{v:?}");
        assert!(
            v.evidence.contains("two-circles: vanilla tanh - relu")
                && v.evidence.contains("sunspots: vanilla tanh - relu"),
            "{}",
            v.evidence
        );
        assert!(
            v.finding.ends_with("by setting: two-circles holds, sunspots fails"),
            "{}",
            v.finding
        );
    }
}
