//! Config -> plan: the expanded matrix of cells, every part validated (datasets loaded, models
//! checked against their data, backends present) before any training starts.

use std::collections::BTreeSet;

use actbench_activations::backend::Backend;
use actbench_activations::{ActivationConfig, OutputActivation};
use actbench_data::{Dataset, DatasetConfig};
use actbench_models::{Head, ModelConfig};
use serde::{Deserialize, Serialize};

use crate::config::{BenchConfig, TrainConfig};
use crate::error::CliError;

/// One training run: everything needed to reproduce it. Stored in its result record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cell {
    /// `experiment/activation/d<depth>/<output>/s<seed>/<backend>`.
    pub id: String,
    /// Experiment name.
    pub experiment: String,
    /// Position of the experiment in the config (report order).
    pub experiment_index: usize,
    /// Position of the activation in the experiment's list (report order).
    pub activation_index: usize,
    /// Experiment description.
    pub description: String,
    /// Hidden activation.
    pub activation: ActivationConfig,
    /// The model (at this cell's depth).
    pub model: ModelConfig,
    /// The data.
    pub dataset: DatasetConfig,
    /// Output activation.
    pub output: OutputActivation,
    /// Training settings.
    pub train: TrainConfig,
    /// Seed for data, initial weights and batch order.
    pub seed: u64,
    /// Backend.
    pub backend: Backend,
    /// Test-metric target for "epochs to target".
    pub target: Option<f64>,
    /// Activation that per-epoch time is reported relative to.
    pub reference: String,
}

impl Cell {
    /// File name of the cell's result record.
    pub fn file_name(&self) -> String {
        let safe: String = self.id.replace('/', "__").chars().map(|c| if c.is_ascii_alphanumeric() || "._-".contains(c) { c } else { '_' }).collect();
        format!("{safe}.json")
    }
}

/// The validated matrix.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Run name.
    pub name: String,
    /// Run description.
    pub description: String,
    /// Cells in run order.
    pub cells: Vec<Cell>,
}

/// Allowed name characters.
fn valid_name(name: &str) -> bool {
    !name.is_empty() && name.len() <= 64 && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

impl Plan {
    /// Expands and validates `config` (read from `file`); `backends` overrides the file's.
    pub fn build(config: &BenchConfig, file: &str, backends: Option<Vec<Backend>>) -> Result<Plan, CliError> {
        let bad = |what: String| CliError::Usage(format!("{file}: {what}"));
        if !valid_name(&config.name) {
            return Err(bad(format!("name = {:?}: use 1 to 64 of a-z, 0-9, '-' and '_'", config.name)));
        }
        let backends = match backends {
            Some(b) => b,
            None => config
                .backends
                .iter()
                .map(|b| b.parse::<Backend>().map_err(|e| bad(format!("backends: {e}"))))
                .collect::<Result<Vec<_>, _>>()?,
        };
        if backends.is_empty() {
            return Err(bad("backends: give at least one (flex, ndarray, wgpu, cuda)".into()));
        }
        for b in &backends {
            if !b.is_compiled() {
                return Err(CliError::from(b.device().unwrap_err()));
            }
        }
        let reference: ActivationConfig = config.reference.parse().map_err(|e| bad(format!("reference: {e}")))?;
        if config.experiments.is_empty() {
            return Err(bad("no [[experiment]]; add at least one".into()));
        }
        let mut names = BTreeSet::new();
        let mut cells = Vec::new();
        for (index, experiment) in config.experiments.iter().enumerate() {
            let at = |what: String| bad(format!("experiment `{}`: {what}", experiment.name));
            if !valid_name(&experiment.name) {
                return Err(bad(format!("experiment name {:?}: use 1 to 64 of a-z, 0-9, '-' and '_'", experiment.name)));
            }
            if !names.insert(experiment.name.clone()) {
                return Err(bad(format!("two experiments are called `{}`; names must be unique", experiment.name)));
            }
            if experiment.activations.is_empty() {
                return Err(at("`activations` is empty; list at least one (see `actbench list activations`)".into()));
            }
            let labels: BTreeSet<String> = experiment.activations.iter().map(|a| a.label()).collect();
            if labels.len() != experiment.activations.len() {
                return Err(at("`activations` lists the same activation twice".into()));
            }
            let seeds = experiment.seeds.clone().unwrap_or_else(|| config.seeds.clone());
            if seeds.is_empty() || seeds.iter().collect::<BTreeSet<_>>().len() != seeds.len() {
                return Err(at("`seeds` must be a non-empty list without repeats".into()));
            }
            let train = experiment.train.over(&config.train).complete();
            validate_train(&train).map_err(|e| at(e))?;
            if let Some(t) = experiment.target {
                if !t.is_finite() {
                    return Err(at(format!("`target` = {t} must be a finite number")));
                }
            }
            // Load the data once now: bad options, missing or corrupt files fail before training.
            let dataset = experiment.dataset.load(seeds[0]).map_err(|e| at(format!("dataset: {e}")))?;
            if dataset.train.len() < train.batch_size.min(2) || dataset.test.is_empty() {
                return Err(at(format!("dataset: {} training and {} test samples is too few", dataset.train.len(), dataset.test.len())));
            }
            let depths = if experiment.depths.is_empty() { vec![experiment.model.depth()] } else { experiment.depths.clone() };
            let outputs = if experiment.outputs.is_empty() { vec![Head::natural_output(dataset.task)] } else { experiment.outputs.clone() };
            for &depth in &depths {
                let model = experiment.model.clone().with_depth(depth);
                model.validate(dataset.input).map_err(|e| at(format!("model: {e}")))?;
                for &output in &outputs {
                    for (activation_index, activation) in experiment.activations.iter().enumerate() {
                        for &seed in &seeds {
                            for &backend in &backends {
                                cells.push(Cell {
                                    id: format!("{}/{}/d{depth}/{}/s{seed}/{backend}", experiment.name, activation.label(), output.name()),
                                    experiment: experiment.name.clone(),
                                    experiment_index: index,
                                    activation_index,
                                    description: experiment.description.clone(),
                                    activation: activation.clone(),
                                    model: model.clone(),
                                    dataset: experiment.dataset.clone(),
                                    output,
                                    train: train.clone(),
                                    seed,
                                    backend,
                                    target: experiment.target,
                                    reference: reference.label(),
                                });
                            }
                        }
                    }
                }
            }
        }
        Ok(Plan { name: config.name.clone(), description: config.description.clone(), cells })
    }
}

fn validate_train(t: &TrainConfig) -> Result<(), String> {
    let bad = |key: &str, value: String, allowed: &str| Err(format!("train.{key} = {value} is not allowed; it must be {allowed}"));
    if !(1..=100_000).contains(&t.epochs) {
        return bad("epochs", t.epochs.to_string(), "between 1 and 100000");
    }
    if !(1..=1_000_000).contains(&t.batch_size) {
        return bad("batch_size", t.batch_size.to_string(), "between 1 and 1000000");
    }
    if !(t.learning_rate.is_finite() && t.learning_rate > 0.0 && t.learning_rate <= 100.0) {
        return bad("learning_rate", t.learning_rate.to_string(), "a number in (0, 100]");
    }
    if !(0.0..1.0).contains(&t.momentum) {
        return bad("momentum", t.momentum.to_string(), "a number in [0, 1)");
    }
    if t.eval_samples == 0 {
        return bad("eval_samples", "0".into(), "at least 1");
    }
    Ok(())
}

/// Loads a cell's dataset (the plan already loaded it once, so this does not fail on a config
/// error; a file changed since is reported).
pub fn load_dataset(cell: &Cell) -> Result<Dataset, CliError> {
    cell.dataset.load(cell.seed).map_err(|e| CliError::Runtime(format!("{}: dataset: {e}", cell.id)))
}

/// One of N deterministic, balanced parts of a plan: `--shard I/N` takes the cells at positions
/// I-1, I-1+N, I-1+2N, ... of the plan, so every experiment's cells spread evenly over shards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// 1-based shard number.
    pub index: usize,
    /// Number of shards.
    pub count: usize,
}

impl std::str::FromStr for Shard {
    type Err = CliError;

    fn from_str(s: &str) -> Result<Self, CliError> {
        let bad = || CliError::Usage(format!("--shard {s}: expected I/N with 1 <= I <= N, e.g. --shard 2/4"));
        let (i, n) = s.split_once('/').ok_or_else(bad)?;
        let (index, count) = (i.trim().parse::<usize>().map_err(|_| bad())?, n.trim().parse::<usize>().map_err(|_| bad())?);
        if index == 0 || index > count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl Plan {
    /// Keeps this shard's cells.
    pub fn shard(mut self, shard: Shard) -> Plan {
        self.cells = self.cells.into_iter().enumerate().filter(|(i, _)| i % shard.count == shard.index - 1).map(|(_, c)| c).collect();
        self
    }
}

#[cfg(test)]
mod fuzz {
    //! Property tests (proptest) of the config path: any mutation of a valid config file parses
    //! or fails with a message, and a parsed config plans or fails with a message naming the
    //! file; never a panic.

    use proptest::prelude::*;

    use super::Plan;
    use crate::config::BenchConfig;

    const VALID: &str = r#"name = "fuzz"
seeds = [1, 2]
backends = ["flex"]
[train]
epochs = 2
batch_size = 8
learning_rate = 0.01
[[experiment]]
name = "e"
activations = ["relu", "leaky-relu:0.1", { name = "elu", alpha = 0.5 }]
dataset = { kind = "xor", n = 40, noise = 0.1 }
model = { kind = "mlp", depth = 2, width = 4, init = "he-uniform" }
depths = [1, 2]
target = 0.8
"#;

    /// Replacement snippets that keep the text TOML-shaped, so mutations reach validation.
    const SNIPPETS: &[&str] = &[
        "0", "-1", "1e9", "nan", "\"\"", "\"x\"", "[]", "{}", "true", "= =", "[[experiment]]", "\n", "kind", "\"cnn\"",
        "\"images\"", "\"idx\"", "depth", "width", "99999", "0.0", "\"swishh\"", "\"prelu:2\"",
    ];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn mutated_configs_never_panic(
            edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<prop::sample::Index>(), prop::sample::select(SNIPPETS)), 1..4)
        ) {
            let mut text = VALID.to_string();
            for (at, len, snippet) in edits {
                let start = at.index(text.len());
                let end = (start + len.index(6)).min(text.len());
                if text.is_char_boundary(start) && text.is_char_boundary(end) {
                    text.replace_range(start..end, snippet);
                }
            }
            if let Ok(config) = toml::from_str::<BenchConfig>(&text) {
                if let Err(e) = Plan::build(&config, "fuzz.toml", None) {
                    prop_assert!(e.to_string().contains("fuzz.toml"), "{}", e);
                }
            }
        }
    }

    #[test]
    fn the_unmutated_config_plans() {
        let config: BenchConfig = toml::from_str(VALID).unwrap();
        assert_eq!(Plan::build(&config, "fuzz.toml", None).unwrap().cells.len(), 3 * 2 * 2);
    }
}
