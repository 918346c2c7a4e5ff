//! Constructed records for tests: finished runs with exactly the numbers a test needs.

use std::collections::BTreeMap;

use actbench_activations::backend::Backend;
use actbench_activations::{ActivationConfig, OutputActivation};
use actbench_data::{DatasetConfig, DatasetKind, Task};
use actbench_models::ModelConfig;

use crate::config::{OptimizerKind, TrainConfig};
use crate::plan::Cell;
use crate::records::cell::{
    CellRecord, Environment, EpochRecord, LayerRecord, SCHEMA_VERSION, Status,
};

/// A finished run of `activation` in `experiment` (tagged `guideline`) on an MLP of `depth`
/// hidden layers, seed `seed`: epoch 0 at chance (0.5) and one trained epoch with test metric
/// `metric`; every hidden layer alive, mean 0, variance 1, gradient norm 1.
pub fn run(
    guideline: &str,
    experiment: &str,
    activation: &str,
    depth: usize,
    seed: u64,
    metric: f64,
) -> CellRecord {
    let activation: ActivationConfig = activation.split(':').next().unwrap().parse().unwrap();
    let layers: Vec<LayerRecord> = (0..depth)
        .map(|i| LayerRecord {
            layer: format!("hidden{i}"),
            grad_norm: 1.0,
            grad_mean_abs: 0.1,
            activation_mean: Some(0.0),
            activation_variance: Some(1.0),
            dead_fraction: Some(0.0),
        })
        .chain([LayerRecord {
            layer: "output".into(),
            grad_norm: 1.0,
            grad_mean_abs: 0.1,
            activation_mean: None,
            activation_variance: None,
            dead_fraction: None,
        }])
        .collect();
    let epoch = |epoch: usize, m: f64| EpochRecord {
        epoch,
        train_loss: (epoch > 0).then_some(0.1),
        test_loss: 0.1,
        train_metric: m,
        test_metric: m,
        test_periods: BTreeMap::new(),
        test_f1: None,
        train_time_s: 0.01,
        eval_time_s: 0.01,
        layers: layers.clone(),
        learned: BTreeMap::new(),
    };
    CellRecord {
        schema_version: SCHEMA_VERSION,
        cell: Cell {
            id: format!("{experiment}/{}/d{depth}/sigmoid/s{seed}/flex", activation.label()),
            experiment: experiment.into(),
            experiment_index: 0,
            activation_index: 0,
            description: String::new(),
            activation,
            model: ModelConfig::Mlp {
                depth,
                width: 8,
                init: Default::default(),
                batch_norm: false,
                residual: false,
                bias_init: None,
                dropout: 0.0,
                alpha_dropout: false,
            },
            dataset: DatasetConfig::new(DatasetKind::TwoCircles),
            output: OutputActivation::Sigmoid,
            train: TrainConfig {
                epochs: 1,
                batch_size: 32,
                optimizer: OptimizerKind::Adam,
                learning_rate: 0.01,
                momentum: 0.0,
                eval_samples: 8,
                train_score_samples: None,
                learning_rate_drop: None,
                augment: None,
            },
            seed,
            backend: Backend::Flex,
            target: None,
            reference: "relu".into(),
            guidelines: vec![guideline.into()],
            dataset_fallback: None,
            reproduces: None,
        },
        environment: Environment {
            actbench_version: "test".into(),
            burn_version: "test".into(),
            git_commit: None,
            git_dirty: None,
            cpu_model: "test".into(),
            cpu_count: 1,
        },
        dataset_source: "two-circles (test)".into(),
        task: Some(Task::Classification { classes: 2 }),
        metric: "accuracy".into(),
        higher_is_better: true,
        status: Status::Finished,
        divergence: None,
        started_unix_s: 0,
        wall_time_s: 0.1,
        jobs: 1,
        parameters: None,
        epochs: vec![epoch(0, 0.5), epoch(1, metric)],
        baseline: None,
    }
}

/// Three seeds of `activation` with final metrics `metrics`.
pub fn seeds(
    guideline: &str,
    experiment: &str,
    activation: &str,
    depth: usize,
    metrics: &[f64],
) -> Vec<CellRecord> {
    metrics
        .iter()
        .enumerate()
        .map(|(i, m)| run(guideline, experiment, activation, depth, i as u64 + 1, *m))
        .collect()
}

/// `records` with `edit` applied to each.
pub fn edit(mut records: Vec<CellRecord>, edit: impl Fn(&mut CellRecord)) -> Vec<CellRecord> {
    records.iter_mut().for_each(edit);
    records
}
