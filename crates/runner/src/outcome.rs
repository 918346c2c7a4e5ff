//! Records -> outcomes: the only place that turns a stored run into the numbers that tables,
//! verdicts and figures show, so they cannot disagree.
//!
//! One definition of a run's outcome:
//! - a finished run is judged by its last epoch;
//! - a diverged run is judged by its untrained model (epoch 0), so divergence is never rewarded
//!   with the score of its last finite epoch; a run that diverged before epoch 0 could be
//!   measured has no outcome at all (`None`), and every reader says how many such runs it left
//!   out;
//! - "epochs to target" is the first trained epoch whose metric (on the split the config names:
//!   `target = { test = .. }` or `{ train = .. }`) reaches the target; a run that never does,
//!   diverged runs included, counts as one epoch more than it trained (censored).

use crate::plan::Target;
use crate::records::cell::{CellRecord, EpochRecord, Status};
use crate::stats::mean;

/// The epoch a run is judged by: the last one when it finished, the untrained model (epoch 0)
/// when it diverged; none when it diverged before epoch 0 was measured.
pub fn judged_epoch(r: &CellRecord) -> Option<&EpochRecord> {
    match r.status {
        Status::Finished => r.epochs.last(),
        Status::Diverged => r.epochs.first(),
    }
}

/// The final test metric ([`judged_epoch`]).
pub fn final_metric(r: &CellRecord) -> Option<f64> {
    judged_epoch(r).map(|e| e.test_metric)
}

/// The final training metric ([`judged_epoch`]): whether the model fitted its training data.
pub fn final_train_metric(r: &CellRecord) -> Option<f64> {
    judged_epoch(r).map(|e| e.train_metric)
}

/// Epochs until the metric first reaches `target` on its split; never reached (or diverged):
/// epochs + 1.
pub fn epochs_to(r: &CellRecord, target: Target) -> f64 {
    let reached = |e: &&EpochRecord| {
        let v = match target {
            Target::Test(_) => e.test_metric,
            Target::Train(_) => e.train_metric,
        };
        if r.higher_is_better { v >= target.value() } else { v <= target.value() }
    };
    let first = match r.status {
        Status::Finished => r.epochs.iter().filter(|e| e.epoch > 0).find(reached),
        Status::Diverged => None,
    };
    first.map(|e| e.epoch as f64).unwrap_or((r.cell.train.epochs + 1) as f64)
}

/// Epochs to the cell's own target (none when it has no target).
pub fn epochs_to_target(r: &CellRecord) -> Option<f64> {
    r.cell.target.map(|t| epochs_to(r, t))
}

/// Whether the run reached its target (none when it has no target).
pub fn reached_target(r: &CellRecord) -> Option<bool> {
    epochs_to_target(r).map(|e| e <= r.cell.train.epochs as f64)
}

/// Mean training time per trained epoch, seconds (none before the first trained epoch).
pub fn epoch_time_s(r: &CellRecord) -> Option<f64> {
    let times: Vec<f64> = r.epochs.iter().filter(|e| e.epoch > 0).map(|e| e.train_time_s).collect();
    (!times.is_empty()).then(|| mean(&times))
}

/// Mean dead-unit fraction over hidden layers at the judged epoch.
pub fn dead_fraction(r: &CellRecord) -> Option<f64> {
    mean_of(judged_epoch(r)?.layers.iter().filter_map(|l| l.dead_fraction))
}

/// First-layer / last-hidden-layer weight-gradient norm at `e` (the output layer excluded).
pub fn gradient_ratio(e: &EpochRecord) -> Option<f64> {
    let hidden: Vec<f64> =
        e.layers.iter().filter(|l| l.layer != "output").map(|l| l.grad_norm).collect();
    (hidden.len() >= 2 && hidden[hidden.len() - 1] > 0.0)
        .then(|| hidden[0] / hidden[hidden.len() - 1])
}

/// [`gradient_ratio`] at the judged epoch.
pub fn final_gradient_ratio(r: &CellRecord) -> Option<f64> {
    gradient_ratio(judged_epoch(r)?)
}

/// Mean over hidden layers of the activation mean at `e`.
pub fn mean_activation(e: &EpochRecord) -> Option<f64> {
    mean_of(e.layers.iter().filter_map(|l| l.activation_mean))
}

/// Mean over all recorded epochs of [`mean_activation`].
pub fn mean_activation_over_training(r: &CellRecord) -> Option<f64> {
    mean_of(r.epochs.iter().filter_map(mean_activation))
}

/// The last hidden layer's (activation mean, variance) at `e`.
pub fn last_hidden_moments(e: &EpochRecord) -> Option<(f64, f64)> {
    e.layers.iter().rev().find_map(|l| Some((l.activation_mean?, l.activation_variance?)))
}

/// Mean |change| of the trained activation parameters from init to the judged epoch.
pub fn learned_movement(r: &CellRecord) -> Option<f64> {
    let (first, last) = (r.epochs.first()?, judged_epoch(r)?);
    mean_of(first.learned.iter().filter_map(|(k, v0)| last.learned.get(k).map(|v| (v - v0).abs())))
}

/// The first layer's mean |weight gradient|, averaged over init and every epoch.
pub fn first_layer_gradient(r: &CellRecord) -> Option<f64> {
    mean_of(r.epochs.iter().filter_map(|e| e.layers.first().map(|l| l.grad_mean_abs)))
}

/// The arithmetic mean, none for no values.
pub fn mean_of(values: impl Iterator<Item = f64>) -> Option<f64> {
    let v: Vec<f64> = values.collect();
    (!v.is_empty()).then(|| mean(&v))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::testing::run;

    #[test]
    fn a_run_that_diverged_at_initialisation_has_no_outcome() {
        let mut r = run("G01", "e", "relu", 3, 1, 0.9);
        r.status = Status::Diverged;
        r.epochs.clear();
        assert_eq!((final_metric(&r), dead_fraction(&r), learned_movement(&r)), (None, None, None));
        assert_eq!(final_gradient_ratio(&r), None);
        r.cell.target = Some(Target::Test(0.8));
        assert_eq!(epochs_to_target(&r), Some(2.0), "never reached: epochs + 1");
        assert_eq!(epoch_time_s(&r), None);
    }

    #[test]
    fn a_diverged_run_counts_as_its_untrained_model() {
        let mut r = run("G01", "e", "relu", 3, 1, 0.9);
        assert_eq!(final_metric(&r), Some(0.9));
        r.status = Status::Diverged;
        assert_eq!(final_metric(&r), Some(0.5), "epoch 0, not the last finite epoch");
        r.cell.target = Some(Target::Test(0.8));
        assert_eq!(epochs_to_target(&r), Some(2.0));
    }

    #[test]
    fn targets_read_the_split_they_name() {
        let mut r = run("G01", "e", "relu", 3, 1, 0.9);
        r.epochs[1].train_metric = 0.7;
        assert_eq!(epochs_to(&r, Target::Test(0.8)), 1.0);
        assert_eq!(epochs_to(&r, Target::Train(0.8)), 2.0);
        assert_eq!(reached_target(&r), None);
    }
}
