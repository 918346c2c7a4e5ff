//! The training-throughput benchmark: samples per second of each model x activation cell of a
//! plan, for a few training steps, so the cost of an activation inside a real model is visible.
//!
//! Method: per cell (one seed: the first of its experiment), the model, optimizer and data are
//! built as `actbench run` builds them; `warmup` untimed steps, then `steps` timed ones. A step is
//! forward, loss, backward and optimizer update on one batch, followed by `Device::sync`; reading
//! the loss back already waits for the forward pass. Building the batch tensors from the dataset
//! is outside the timer. All steps are kept (no outlier removal): the median is the estimate, min
//! and max the spread, and samples/s is batch size / median step time.

use std::collections::BTreeSet;
use std::time::Instant;

use actbench_activations::backend::Backend;
use actbench_activations::burn;
use actbench_data::{Dataset, rng};
use burn::prelude::*;
use serde::{Deserialize, Serialize};

use crate::plan::Cell;
use crate::run::train::{Start, train_step};

/// One cell's training throughput: the contract of `actbench bench train --format json`.
/// Times in seconds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainingThroughput {
    /// Experiment name.
    pub experiment: String,
    /// Model, as labelled in reports (e.g. `mlp d5 w64 he-normal`).
    pub model: String,
    /// Hidden activation label.
    pub activation: String,
    /// Activation the experiment reports time relative to.
    pub reference: String,
    /// Backend.
    pub backend: Backend,
    /// Samples per step.
    pub batch_size: usize,
    /// Timed steps.
    pub steps: usize,
    /// Median time of one training step, seconds.
    pub median_step_s: f64,
    /// Fastest step, seconds.
    pub min_step_s: f64,
    /// Slowest step, seconds.
    pub max_step_s: f64,
    /// Training samples per second at the median step time.
    pub samples_per_s: f64,
    /// Whether a batch loss came out non-finite (the step then skips its update; times still count).
    pub diverged: bool,
    /// Every timed step, seconds.
    pub step_times_s: Vec<f64>,
}

/// The cells to time: one per experiment, model, activation, output and backend (the first seed).
pub fn cells(plan_cells: &[Cell]) -> Vec<&Cell> {
    let mut seen = BTreeSet::new();
    plan_cells
        .iter()
        .filter(|c| {
            seen.insert((
                c.experiment_index,
                c.activation_index,
                c.model.label(),
                c.output.name(),
                c.backend,
            ))
        })
        .collect()
}

/// Times `warmup + steps` training steps of `cell` on `dataset` (`device` without autodiff).
pub fn run(
    cell: &Cell,
    dataset: &Dataset,
    device: &Device,
    warmup: usize,
    steps: usize,
) -> TrainingThroughput {
    let Start { head, train_device, mut model, mut optimizer, batches, mut masks } =
        Start::new(cell, dataset, device);
    let batch_size = cell.train.batch_size.min(dataset.train.len());
    let order = rng::permutation(&mut rng::seeded(cell.seed, 1000), dataset.train.len());
    let mut diverged = false;
    let mut times = Vec::with_capacity(steps);
    for i in 0..warmup + steps {
        // Consecutive batches of one shuffled order, wrapping around a small training split.
        let indices: Vec<usize> =
            (0..batch_size).map(|j| order[(i * batch_size + j) % order.len()]).collect();
        let (x, y) = batches.get(&dataset.train, &indices, &train_device);
        let start = Instant::now();
        let loss;
        (model, loss) =
            train_step(model, &mut optimizer, &head, cell.train.learning_rate, &mut masks, x, y);
        train_device.sync().expect("device sync");
        let elapsed = start.elapsed().as_secs_f64();
        // Read back outside the timer, as training reads a whole epoch's losses at once.
        diverged |= !loss.into_scalar::<f64>().is_finite();
        if i >= warmup {
            times.push(elapsed);
        }
    }
    summarise(cell, batch_size, diverged, times)
}

fn summarise(
    cell: &Cell,
    batch_size: usize,
    diverged: bool,
    times: Vec<f64>,
) -> TrainingThroughput {
    let spread = crate::stats::spread(&times);
    let median = spread.median;
    TrainingThroughput {
        experiment: cell.experiment.clone(),
        model: cell.model.label(),
        activation: cell.activation.label(),
        reference: cell.reference.clone(),
        backend: cell.backend,
        batch_size,
        steps: times.len(),
        median_step_s: median,
        min_step_s: spread.min,
        max_step_s: spread.max,
        samples_per_s: batch_size as f64 / median,
        diverged,
        step_times_s: times,
    }
}
