//! The training-throughput benchmark: samples per second of each model x activation cell of a
//! plan, for a few training steps, so the cost of an activation inside a real model is visible.
//!
//! Method: per cell (one seed: the first of its experiment), the model, optimizer and data are
//! built as `actbench run` builds them; `warmup` untimed steps, then `steps` timed ones. A step is
//! forward, loss, backward and optimizer update on one batch, followed by `Device::sync`; reading
//! the loss back already waits for the forward pass. Building the batch tensors from the dataset
//! is outside the timer. On the GPU backends the kernels launched inside the timed steps are
//! counted (`gpu::launches`), and whether burn's kernel fusion was on is recorded with them. All
//! steps are kept (no outlier removal): the median is the estimate, min
//! and max the spread, and samples/s is batch size / median step time.

use std::collections::BTreeSet;
use std::time::Instant;

use actbench_activations::backend::Backend;
use actbench_activations::burn;
use actbench_activations::gpu::fusion;
use actbench_activations::gpu::launches::Launches;
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
    /// Whether burn's kernel fusion was on; `None` on the CPU backends (no kernels to fuse).
    #[serde(default)]
    pub fusion: Option<bool>,
    /// GPU kernels launched per timed step (all timed steps' launches / `steps`); `None` on the
    /// CPU backends.
    #[serde(default)]
    pub launches_per_step: Option<f64>,
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
    let launches = if cell.backend.is_gpu() { Launches::watch() } else { None };
    let mut launched = 0;
    for i in 0..warmup + steps {
        // Consecutive batches of one shuffled order, wrapping around a small training split.
        let indices: Vec<usize> =
            (0..batch_size).map(|j| order[(i * batch_size + j) % order.len()]).collect();
        let (x, y) = batches.get(&dataset.train, &indices, &train_device);
        let launched_before = launches.as_ref().map_or(0, Launches::count);
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
            launched += launches.as_ref().map_or(0, Launches::count) - launched_before;
        }
    }
    let gpu = launches.map(|_| Gpu { fusion: fusion::enabled(), launches: launched });
    summarise(cell, batch_size, diverged, times, gpu)
}

/// What a GPU cell's steps did besides taking time.
struct Gpu {
    fusion: bool,
    /// Kernels launched in the timed steps.
    launches: u64,
}

fn summarise(
    cell: &Cell,
    batch_size: usize,
    diverged: bool,
    times: Vec<f64>,
    gpu: Option<Gpu>,
) -> TrainingThroughput {
    let steps = times.len();
    let spread = crate::stats::spread(&times);
    let median = spread.median;
    TrainingThroughput {
        experiment: cell.experiment.clone(),
        model: cell.model.label(),
        activation: cell.activation.label(),
        reference: cell.reference.clone(),
        backend: cell.backend,
        batch_size,
        steps,
        median_step_s: median,
        min_step_s: spread.min,
        max_step_s: spread.max,
        samples_per_s: batch_size as f64 / median,
        diverged,
        step_times_s: times,
        fusion: gpu.as_ref().map(|g| g.fusion),
        launches_per_step: gpu.map(|g| g.launches as f64 / steps as f64),
    }
}
