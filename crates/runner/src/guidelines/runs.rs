//! Queries over stored records for the rules: pick runs by activation, depth, experiment or
//! model, and turn each run into the number a rule compares (one value per seed).

use std::collections::BTreeSet;

use crate::run::record::{CellRecord, EpochRecord, Status};

use super::compare::Summary;

/// A set of runs (cells), in the order of the records.
#[derive(Debug, Clone, Default)]
pub struct Runs<'a>(pub Vec<&'a CellRecord>);

impl<'a> Runs<'a> {
    /// The runs tagged with guideline `id`.
    pub fn tagged(records: &'a [CellRecord], id: &str) -> Runs<'a> {
        Runs(records.iter().filter(|r| r.cell.guidelines.iter().any(|g| g == id)).collect())
    }

    /// No runs.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The runs for which `keep` is true.
    pub fn filter(&self, keep: impl Fn(&CellRecord) -> bool) -> Runs<'a> {
        Runs(self.0.iter().copied().filter(|r| keep(r)).collect())
    }

    /// Runs of the activation with this label (`relu`, `leaky-relu:0.1`) or registry name.
    pub fn activation(&self, label: &str) -> Runs<'a> {
        self.filter(|r| r.cell.activation.label() == label || r.cell.activation.name() == label)
    }

    /// The runs of activations `a` and `b`; when either has none, the finding that says so.
    pub fn pair(&self, a: &str, b: &str) -> Result<(Runs<'a>, Runs<'a>), super::Finding> {
        let (first, second) = (self.activation(a), self.activation(b));
        if first.is_empty() || second.is_empty() {
            return Err(super::Finding::missing(format!("needs {a} and {b} runs")));
        }
        Ok((first, second))
    }

    /// Runs at model depth `depth`.
    pub fn depth(&self, depth: usize) -> Runs<'a> {
        self.filter(|r| r.cell.model.depth() == depth)
    }

    /// Runs of experiment `name`.
    pub fn experiment(&self, name: &str) -> Runs<'a> {
        self.filter(|r| r.cell.experiment == name)
    }

    /// Activation labels, in the config's order.
    pub fn labels(&self) -> Vec<String> {
        let mut seen: Vec<(usize, usize, String)> = self
            .0
            .iter()
            .map(|r| (r.cell.experiment_index, r.cell.activation_index, r.cell.activation.label()))
            .collect();
        seen.sort();
        let mut labels: Vec<String> = Vec::new();
        for (_, _, l) in seen {
            if !labels.contains(&l) {
                labels.push(l);
            }
        }
        labels
    }

    /// Depths present, ascending.
    pub fn depths(&self) -> Vec<usize> {
        self.0.iter().map(|r| r.cell.model.depth()).collect::<BTreeSet<_>>().into_iter().collect()
    }

    /// Experiment names, in config order.
    pub fn experiments(&self) -> Vec<String> {
        let mut named: Vec<(usize, String)> =
            self.0.iter().map(|r| (r.cell.experiment_index, r.cell.experiment.clone())).collect();
        named.sort();
        named.dedup();
        named.into_iter().map(|(_, n)| n).collect()
    }

    /// The data used, each source once (with the reason when a fallback replaced the first
    /// choice).
    pub fn data(&self) -> String {
        let mut sources: Vec<String> = Vec::new();
        for r in &self.0 {
            let text = match &r.cell.dataset_fallback {
                Some(reason) => format!("{} (fallback: {reason})", r.dataset_source),
                None => r.dataset_source.clone(),
            };
            if !sources.contains(&text) {
                sources.push(text);
            }
        }
        sources.join("; ")
    }

    /// Seeds in the smallest (experiment, activation, depth, output, backend) group.
    pub fn min_seeds(&self) -> usize {
        let mut groups = std::collections::BTreeMap::new();
        for r in &self.0 {
            *groups
                .entry((
                    r.cell.experiment_index,
                    r.cell.activation_index,
                    r.cell.model.depth(),
                    r.cell.output,
                    r.cell.backend,
                ))
                .or_insert(0) += 1;
        }
        groups.values().copied().min().unwrap_or(0)
    }

    /// Whether the runs' metric is better when larger (accuracy: yes; MSE: no).
    pub fn higher_is_better(&self) -> bool {
        self.0.first().is_none_or(|r| r.higher_is_better)
    }

    /// `value` of every run (sorted by seed, then backend), as a group called `label`; runs
    /// where `value` is undefined are left out.
    pub fn summary(
        &self,
        label: impl Into<String>,
        value: impl Fn(&CellRecord) -> Option<f64>,
    ) -> Summary {
        let mut runs = self.0.clone();
        runs.sort_by_key(|r| (r.cell.seed, r.cell.backend));
        Summary::new(label, runs.iter().filter_map(|r| value(r)).collect())
    }

    /// The final test metric of every run ([`final_metric`]).
    pub fn final_metric(&self, label: impl Into<String>) -> Summary {
        self.summary(label, |r| Some(final_metric(r)))
    }
}

/// The final test metric; a diverged run counts as its untrained model (epoch 0), so divergence
/// is never rewarded with the score of its last finite epoch.
pub fn final_metric(r: &CellRecord) -> f64 {
    match r.status {
        Status::Finished => r.last().test_metric,
        Status::Diverged => r.epochs.first().map(|e| e.test_metric).unwrap_or(f64::NAN),
    }
}

/// First epoch whose metric (`train` or test) reaches `target`; a run that never does counts as
/// one epoch more than it trained (censored).
pub fn epochs_to(r: &CellRecord, target: f64, train: bool) -> f64 {
    let reached = |e: &&EpochRecord| {
        let v = if train { e.train_metric } else { e.test_metric };
        if r.higher_is_better { v >= target } else { v <= target }
    };
    match (r.status, r.epochs.iter().filter(|e| e.epoch > 0).find(reached)) {
        (_, Some(e)) => e.epoch as f64,
        _ => (r.cell.train.epochs + 1) as f64,
    }
}

/// Mean over hidden layers of the activation mean at `epoch`.
pub fn mean_activation(e: &EpochRecord) -> Option<f64> {
    mean_of(e.layers.iter().filter_map(|l| l.activation_mean))
}

/// Mean over all recorded epochs of [`mean_activation`].
pub fn mean_activation_over_training(r: &CellRecord) -> Option<f64> {
    mean_of(r.epochs.iter().filter_map(mean_activation))
}

/// Mean dead-unit fraction over hidden layers after training.
pub fn dead_fraction(r: &CellRecord) -> Option<f64> {
    mean_of(r.last().layers.iter().filter_map(|l| l.dead_fraction))
}

/// First-layer / last-hidden-layer weight-gradient norm at `e` (the output layer excluded).
pub fn gradient_ratio(e: &EpochRecord) -> Option<f64> {
    let hidden: Vec<f64> =
        e.layers.iter().filter(|l| l.layer != "output").map(|l| l.grad_norm).collect();
    (hidden.len() >= 2 && hidden[hidden.len() - 1] > 0.0)
        .then(|| hidden[0] / hidden[hidden.len() - 1])
}

/// The last hidden layer's (activation mean, variance) at `e`.
pub fn last_hidden_moments(e: &EpochRecord) -> Option<(f64, f64)> {
    e.layers.iter().rev().find_map(|l| Some((l.activation_mean?, l.activation_variance?)))
}

/// Mean |change| of the trained activation parameters from init to the end of training.
pub fn learned_movement(r: &CellRecord) -> Option<f64> {
    let (first, last) = (r.epochs.first()?, r.last());
    mean_of(first.learned.iter().filter_map(|(k, v0)| last.learned.get(k).map(|v| (v - v0).abs())))
}

/// The arithmetic mean, none for no values.
pub fn mean_of(values: impl Iterator<Item = f64>) -> Option<f64> {
    let v: Vec<f64> = values.collect();
    (!v.is_empty()).then(|| crate::stats::mean(&v))
}

/// Per-seed difference `a - b` of `value` between two sets of runs (seeds present in both).
pub fn paired_difference(
    a: &Runs,
    b: &Runs,
    value: impl Fn(&CellRecord) -> Option<f64>,
) -> Vec<f64> {
    let mut out = Vec::new();
    let mut seeds: Vec<u64> = a.0.iter().map(|r| r.cell.seed).collect();
    seeds.sort();
    seeds.dedup();
    for s in seeds {
        let find = |runs: &Runs| runs.0.iter().find(|r| r.cell.seed == s).and_then(|r| value(r));
        if let (Some(x), Some(y)) = (find(a), find(b)) {
            out.push(x - y);
        }
    }
    out
}
