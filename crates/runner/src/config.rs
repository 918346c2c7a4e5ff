//! The benchmark config file (TOML), as written by users. Parsing only; `plan.rs` validates it
//! into cells.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use actbench_activations::{ActivationConfig, OutputActivation};
use actbench_data::DatasetConfig;
use actbench_data::augment::Augment;
use actbench_models::ModelConfig;
use serde::{Deserialize, Serialize};

use crate::error::CliError;

/// A benchmark matrix: experiments x activations x (depths) x (outputs) x seeds x backends.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Run name; results go to `results/<name>/` unless `--out` says otherwise.
    pub name: String,
    /// What the run is for.
    #[serde(default)]
    pub description: String,
    /// Seeds every experiment runs (each seed draws the data, the initial weights and the
    /// batch order). Default [1, 2, 3].
    #[serde(default = "default_seeds")]
    pub seeds: Vec<u64>,
    /// Backends every cell runs on. Default ["flex"]; `--backend` overrides.
    #[serde(default = "default_backends")]
    pub backends: Vec<String>,
    /// The activation per-epoch time is reported relative to. Default "relu".
    #[serde(default = "default_reference")]
    pub reference: String,
    /// Training settings for every experiment (each may override any of them).
    #[serde(default)]
    pub train: TrainOverrides,
    /// The experiments.
    #[serde(rename = "experiment")]
    pub experiments: Vec<ExperimentConfig>,
    /// Activation micro-benchmark run after training (its results feed guidelines G11, G12).
    #[serde(default)]
    #[serde(rename = "bench")]
    pub timing: Option<TimingSection>,
    /// Named profiles (`--profile quick`): fewer seeds or epochs for a faster, rougher run.
    #[serde(default)]
    pub profile: BTreeMap<String, Profile>,
}

/// `[profile.<name>]`: what a profile changes.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// Seeds of every experiment (overrides the file's and each experiment's).
    #[serde(default)]
    pub seeds: Option<Vec<u64>>,
    /// Every experiment's epochs are multiplied by this (rounded, at least 1).
    #[serde(default)]
    pub epoch_scale: Option<f64>,
    /// Repeats of the activation micro-benchmark.
    #[serde(default)]
    pub bench_repeats: Option<usize>,
    /// Every experiment that has a `fallback_dataset` uses it (the built-in data), whether or not
    /// its files are installed: a quick run that is the same on every machine.
    #[serde(default)]
    pub fallback_data: bool,
}

/// `[bench]`: the activation micro-benchmark of a run.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimingSection {
    /// Activations to time (ReLU should be among them: times are compared to it).
    pub activations: Vec<ActivationConfig>,
    /// Backends to time on (default: the run's backends).
    #[serde(default)]
    pub backends: Option<Vec<String>>,
    /// Tensor elements (float32) of the memory-bound measurement. Default 2^20.
    #[serde(default = "default_bench_elements")]
    pub elements: usize,
    /// Tensor elements of the compute-bound measurement: small enough to stay in cache, so the
    /// time is the arithmetic (G11 and G12 decide on it). Default 2^16, at most 2^16.
    #[serde(default = "default_compute_bound_elements")]
    pub compute_bound_elements: usize,
    /// Timed repeats per activation and mode. Default 15.
    #[serde(default = "default_bench_repeats")]
    pub repeats: usize,
}

fn default_bench_elements() -> usize {
    1 << 20
}
fn default_compute_bound_elements() -> usize {
    1 << 16
}
fn default_bench_repeats() -> usize {
    15
}

/// One experiment: a dataset and a model, trained with each listed activation.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExperimentConfig {
    /// Name, unique in the file (`[a-z0-9-]`).
    pub name: String,
    /// What it measures.
    #[serde(default)]
    pub description: String,
    /// Hidden activations to compare.
    pub activations: Vec<ActivationConfig>,
    /// The data.
    pub dataset: DatasetConfig,
    /// The model.
    pub model: ModelConfig,
    /// Depth sweep: the model at each of these depths (MLP hidden layers, CNN blocks per stage,
    /// RNN layers).
    #[serde(default)]
    pub depths: Vec<usize>,
    /// Output activations to train with (default: the task's natural one).
    #[serde(default)]
    pub outputs: Vec<OutputActivation>,
    /// Target for "epochs to target": a number (the test metric), `{ test = .. }` or
    /// `{ train = .. }`.
    #[serde(default)]
    pub target: Option<Target>,
    /// Seeds for this experiment (default: the file's).
    #[serde(default)]
    pub seeds: Option<Vec<u64>>,
    /// Training overrides for this experiment.
    #[serde(default)]
    pub train: TrainOverrides,
    /// Guideline ids (`G01`...) this experiment is evidence for.
    #[serde(default)]
    pub guidelines: Vec<String>,
    /// Data to use instead when `dataset`'s files are not installed (e.g. built-in images in
    /// place of Fashion-MNIST); the results say which was used.
    #[serde(default)]
    pub fallback_dataset: Option<DatasetConfig>,
    /// The published experiment this one reproduces, and what differs from it.
    #[serde(default)]
    pub reproduces: Option<Reproduces>,
}

/// Training settings as written (every field optional, so experiments override the file's).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrainOverrides {
    /// Epochs (see [`TrainConfig`] for each field's meaning and default).
    pub epochs: Option<usize>,
    /// Samples per training step.
    pub batch_size: Option<usize>,
    /// Optimizer.
    pub optimizer: Option<OptimizerKind>,
    /// Learning rate.
    pub learning_rate: Option<f64>,
    /// Momentum (SGD).
    pub momentum: Option<f64>,
    /// Samples of each split evaluated per epoch.
    pub eval_samples: Option<usize>,
    /// Training samples scored per epoch for the training metric.
    pub train_score_samples: Option<usize>,
    /// A step down of the learning rate late in training.
    pub learning_rate_drop: Option<LearningRateDrop>,
    /// Random shifts and flips of training images.
    pub augment: Option<Augment>,
}

/// The learning rate times `factor` from the epoch after `at` (a fraction) of the epochs on:
/// `{ at = 0.8, factor = 0.1 }` trains 8 of 10 epochs at the learning rate, the last 2 at a tenth
/// of it (the step schedule of He et al. 2016 and Dubey et al. 2022, once).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LearningRateDrop {
    /// Fraction of the epochs trained at the full learning rate, in (0, 1).
    pub at: f64,
    /// What the learning rate is multiplied by after that, in (0, 1).
    pub factor: f64,
}

/// Optimizers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum OptimizerKind {
    /// Stochastic gradient descent, with optional momentum.
    Sgd,
    /// Adam (beta1 0.9, beta2 0.999, eps 1e-8).
    Adam,
}

/// Complete training settings of a cell.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainConfig {
    /// Passes over the training split.
    pub epochs: usize,
    /// Samples per step.
    pub batch_size: usize,
    /// Optimizer.
    pub optimizer: OptimizerKind,
    /// Learning rate.
    pub learning_rate: f64,
    /// SGD momentum (0 = none).
    pub momentum: f64,
    /// Test samples used for per-layer statistics (gradients, activations, dead units).
    pub eval_samples: usize,
    /// Training samples (evenly spaced over the split) scored after each epoch for the training
    /// metric; all when unset. The test metric always scores the whole test split.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub train_score_samples: Option<usize>,
    /// A step down of the learning rate late in training; none when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub learning_rate_drop: Option<LearningRateDrop>,
    /// Random shifts and flips of the training images, on the host from the seed
    /// (`actbench_data::augment`); none when unset. Image datasets only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub augment: Option<Augment>,
}

impl TrainConfig {
    /// The learning rate of epoch `epoch` (1-based): [`TrainConfig::learning_rate`], times the
    /// drop's factor after the first `round(at * epochs)` epochs.
    pub fn learning_rate_at(&self, epoch: usize) -> f64 {
        match self.learning_rate_drop {
            Some(drop) if epoch as f64 > (drop.at * self.epochs as f64).round() => {
                self.learning_rate * drop.factor
            }
            _ => self.learning_rate,
        }
    }
}

impl Config {
    /// The formula activations of the experiments and of the `[bench]` section, in config order
    /// (repeats included).
    pub fn formula_activations(&self) -> impl Iterator<Item = &ActivationConfig> {
        let listed = self.experiments.iter().flat_map(|e| &e.activations);
        let benched = self.timing.iter().flat_map(|b| &b.activations);
        listed.chain(benched).filter(|a| a.formula().is_some())
    }
}

impl TrainOverrides {
    /// `self` where set, else `base`.
    pub fn over(&self, base: &TrainOverrides) -> TrainOverrides {
        TrainOverrides {
            epochs: self.epochs.or(base.epochs),
            batch_size: self.batch_size.or(base.batch_size),
            optimizer: self.optimizer.or(base.optimizer),
            learning_rate: self.learning_rate.or(base.learning_rate),
            momentum: self.momentum.or(base.momentum),
            eval_samples: self.eval_samples.or(base.eval_samples),
            train_score_samples: self.train_score_samples.or(base.train_score_samples),
            learning_rate_drop: self.learning_rate_drop.or(base.learning_rate_drop),
            augment: self.augment.or(base.augment),
        }
    }

    /// Fills the defaults: 10 epochs, batch 32, Adam, learning rate 0.01 (Adam) / 0.1 (SGD),
    /// momentum 0, 256 evaluation samples.
    pub fn complete(&self) -> TrainConfig {
        let optimizer = self.optimizer.unwrap_or(OptimizerKind::Adam);
        TrainConfig {
            epochs: self.epochs.unwrap_or(10),
            batch_size: self.batch_size.unwrap_or(32),
            optimizer,
            learning_rate: self.learning_rate.unwrap_or(if optimizer == OptimizerKind::Adam {
                0.01
            } else {
                0.1
            }),
            momentum: self.momentum.unwrap_or(0.0),
            eval_samples: self.eval_samples.unwrap_or(256),
            train_score_samples: self.train_score_samples,
            learning_rate_drop: self.learning_rate_drop,
            augment: self.augment.filter(|a| !a.is_identity()),
        }
    }
}

fn default_seeds() -> Vec<u64> {
    vec![1, 2, 3]
}
fn default_backends() -> Vec<String> {
    vec!["flex".into()]
}
fn default_reference() -> String {
    "relu".into()
}

/// Reads and parses a config file; errors name the file, the line and the key.
pub fn load(path: &Path) -> Result<(Config, String), CliError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| CliError::Usage(format!("{}: cannot read config: {e}", path.display())))?;
    let config = toml::from_str::<Config>(&text).map_err(|e| {
        CliError::Usage(format!("{}: {}", path.display(), e.to_string().trim_end()))
    })?;
    Ok((config, text))
}

/// Where results go by default: `results/<name>/`, or `results/<name>-<profile>/`.
pub fn default_out(config: &Config, profile: Option<&str>) -> PathBuf {
    match profile {
        Some(p) => PathBuf::from("results").join(format!("{}-{p}", config.name)),
        None => PathBuf::from("results").join(&config.name),
    }
}

/// A metric target for "epochs to target", on the split it names: `target = 0.9` (the test
/// metric), `target = { test = 0.9 }` or `target = { train = 0.9 }`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Target {
    /// The test metric.
    Test(f64),
    /// The training metric.
    Train(f64),
}

impl Target {
    /// The metric value to reach.
    pub fn value(self) -> f64 {
        match self {
            Target::Test(v) | Target::Train(v) => v,
        }
    }

    /// `test` or `train`.
    pub fn split(self) -> &'static str {
        match self {
            Target::Test(_) => "test",
            Target::Train(_) => "train",
        }
    }
}

impl<'de> Deserialize<'de> for Target {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        const EXPECTED: &str = "a number (the test metric), { test = .. } or { train = .. }";
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Target;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(EXPECTED)
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Target, E> {
                Ok(Target::Test(v))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Target, E> {
                Ok(Target::Test(v as f64))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Target, E> {
                Ok(Target::Test(v as f64))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Target, A::Error> {
                use serde::de::Error;
                let Some(key) = map.next_key::<String>()? else {
                    return Err(A::Error::custom(format!("empty target: expected {EXPECTED}")));
                };
                let value: f64 = map.next_value()?;
                let target = match key.as_str() {
                    "test" => Target::Test(value),
                    "train" => Target::Train(value),
                    other => {
                        return Err(A::Error::custom(format!(
                            "unknown target split `{other}`: expected {EXPECTED}"
                        )));
                    }
                };
                if map.next_key::<String>()?.is_some() {
                    return Err(A::Error::custom(format!(
                        "one split per target: expected {EXPECTED}"
                    )));
                }
                Ok(target)
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// An experiment's claim to reproduce a published one, as written in the config.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reproduces {
    /// The source's id (see `actbench reproduce --help`).
    pub source: String,
    /// What differs from the source, and why (CPU budget, Fashion-MNIST for MNIST...).
    pub differences: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_learning_rate_drops_after_its_fraction_of_the_epochs() {
        let mut train = TrainOverrides { epochs: Some(10), ..Default::default() }.complete();
        train.learning_rate = 0.001;
        assert!((1..=10).all(|e| train.learning_rate_at(e) == 0.001), "no drop: constant");
        train.learning_rate_drop = Some(LearningRateDrop { at: 0.8, factor: 0.1 });
        let rates: Vec<f64> = (1..=10).map(|e| train.learning_rate_at(e)).collect();
        assert_eq!(rates, [[0.001; 8].as_slice(), &[0.001 * 0.1; 2]].concat());
        train.epochs = 3; // 0.8 * 3 = 2.4: two epochs at the full rate
        assert_eq!(train.learning_rate_at(2), 0.001);
        assert_eq!(train.learning_rate_at(3), 0.001 * 0.1);
    }
}
