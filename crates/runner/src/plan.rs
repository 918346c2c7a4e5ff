//! Config -> plan: the expanded matrix of cells, every part validated (datasets loaded, models
//! checked against their data, backends present) before any training starts.

use std::collections::{BTreeMap, BTreeSet};

use actbench_activations::backend::Backend;
use actbench_activations::{ActivationConfig, OutputActivation};
use actbench_data::{Dataset, DatasetConfig, InputShape};
use actbench_models::{Head, ModelConfig};
use serde::{Deserialize, Serialize};

pub use crate::config::Target;
use crate::config::{Config, Profile, TrainConfig};
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
    /// Metric target for "epochs to target", on the split it names.
    pub target: Option<Target>,
    /// Activation that per-epoch time is reported relative to.
    pub reference: String,
    /// Guidelines (`G01`...) this cell is evidence for.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub guidelines: Vec<String>,
    /// Why `dataset` is the experiment's fallback rather than its first choice, if it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dataset_fallback: Option<String>,
    /// The published experiment this cell's experiment reproduces.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reproduces: Option<crate::config::Reproduces>,
}

/// One name, one formula: a formula activation's name must mean the same formula (and
/// parameters) everywhere in a config, since tables, comparisons and records go by the name.
fn check_formula_names(config: &Config) -> Result<(), String> {
    let mut seen: BTreeMap<String, &ActivationConfig> = BTreeMap::new();
    for activation in config.formula_activations() {
        match seen.get(&activation.label()) {
            Some(first) if *first != activation => {
                return Err(format!(
                    "`{}` names two different formulas ({} and {}); give each formula its own name",
                    activation.label(),
                    first.info().formula,
                    activation.info().formula
                ));
            }
            _ => {
                seen.insert(activation.label(), activation);
            }
        }
    }
    Ok(())
}

impl Cell {
    /// File name of the cell's result record.
    pub fn file_name(&self) -> String {
        let safe: String = self
            .id
            .replace('/', "__")
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() || "._-".contains(c) { c } else { '_' })
            .collect();
        // Formula labels (`formula:x * sigmoid(x)`) lose more than `:` and `=` to the
        // replacement, and two could collide: a hash of the id keeps their files apart.
        let plain = self.id.chars().all(|c| c.is_ascii_alphanumeric() || "._-/:=".contains(c));
        if plain {
            format!("{safe}.json")
        } else {
            let hash = self.id.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
                (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
            });
            format!("{safe}-{hash:016x}.json")
        }
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
    /// The activation micro-benchmark to run after training, if the config asks for one.
    pub timing: Option<TimingPlan>,
    /// Notes for the user (fallback data used).
    pub notes: Vec<String>,
}

/// A validated `[bench]` section.
#[derive(Debug, Clone, PartialEq)]
pub struct TimingPlan {
    /// Activations to time.
    pub activations: Vec<ActivationConfig>,
    /// Backends to time on.
    pub backends: Vec<Backend>,
    /// Tensor sizes to time: the compute-bound one (in cache), then the memory-bound one.
    pub sizes: Vec<usize>,
    /// Timed repeats.
    pub repeats: usize,
}

/// What the command line adds to a config when planning.
#[derive(Debug, Clone, Default)]
pub struct PlanOptions {
    /// Backends overriding the config's.
    pub backends: Option<Vec<Backend>>,
    /// Profile (`[profile.<name>]`) to apply.
    pub profile: Option<String>,
    /// Directory of IDX files overriding every idx dataset's `dir`.
    pub idx_dir: Option<std::path::PathBuf>,
    /// Seeds overriding every experiment's (and the profile's): `--seeds 1-12`.
    pub seeds: Option<SeedList>,
}

/// A list of seeds as given on the command line: `1-12`, `1,2,5` or `1-3,7`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedList(pub Vec<u64>);

/// More seeds than anyone can train here is a typo.
const MAX_SEEDS: usize = 10_000;

impl std::str::FromStr for SeedList {
    type Err = String;

    fn from_str(text: &str) -> Result<SeedList, String> {
        let allowed = "expected seeds like `1-12`, `1,2,5` or `1-3,7` (non-negative integers, ranges low-high)";
        let number = |t: &str| {
            t.trim().parse::<u64>().map_err(|_| format!("`{}` is not a seed: {allowed}", t.trim()))
        };
        let mut seeds = Vec::new();
        for part in text.split(',') {
            match part.split_once('-') {
                Some((low, high)) => {
                    let (low, high) = (number(low)?, number(high)?);
                    if low > high || (high - low) as usize >= MAX_SEEDS {
                        return Err(format!(
                            "`{}`: a range goes from low to high, at most {MAX_SEEDS} seeds",
                            part.trim()
                        ));
                    }
                    seeds.extend(low..=high);
                }
                None => seeds.push(number(part)?),
            }
        }
        let unique: BTreeSet<u64> = seeds.iter().copied().collect();
        if unique.len() != seeds.len() {
            return Err(format!("`{text}` names a seed twice"));
        }
        if seeds.len() > MAX_SEEDS {
            return Err(format!("`{text}`: at most {MAX_SEEDS} seeds"));
        }
        Ok(SeedList(seeds))
    }
}

impl std::fmt::Display for SeedList {
    /// As `--seeds` takes it back: `1,2,5`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let seeds: Vec<String> = self.0.iter().map(u64::to_string).collect();
        f.write_str(&seeds.join(","))
    }
}

/// Allowed name characters.
fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

/// The ids a config may name, from the catalogues that live above the plan (the guidelines and
/// the reproduction sources): `actbench::known_ids()` gives the real ones.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct KnownIds {
    /// Guideline ids (`G01`...), matched without regard to case.
    pub guidelines: Vec<String>,
    /// Reproduction source ids (`two-circles`...).
    pub sources: Vec<String>,
}

impl Plan {
    /// Expands and validates `config` (read from `file`) with the command line's `options`;
    /// guideline tags and reproduction sources must be among `known`.
    pub fn build(
        config: &Config,
        file: &str,
        options: &PlanOptions,
        known: &KnownIds,
    ) -> Result<Plan, CliError> {
        let bad = |what: String| CliError::Usage(format!("{file}: {what}"));
        let profile = profile(config, options).map_err(bad)?;
        if !valid_name(&config.name) {
            return Err(bad(format!(
                "name = {:?}: use 1 to 64 of a-z, 0-9, '-' and '_'",
                config.name
            )));
        }
        let backends = backends(config, options).map_err(bad)?;
        for b in &backends {
            if !b.is_compiled() {
                return Err(CliError::from(b.device().unwrap_err()));
            }
        }
        let reference: ActivationConfig =
            config.reference.parse().map_err(|e| bad(format!("reference: {e}")))?;
        if config.experiments.is_empty() {
            return Err(bad("no [[experiment]]; add at least one".into()));
        }
        check_formula_names(config).map_err(bad)?;
        let mut names = BTreeSet::new();
        let mut cells = Vec::new();
        let mut notes = Vec::new();
        for (index, experiment) in config.experiments.iter().enumerate() {
            if !names.insert(experiment.name.clone()) {
                return Err(bad(format!(
                    "two experiments are called `{}`; names must be unique",
                    experiment.name
                )));
            }
            let at = |what: String| bad(format!("experiment `{}`: {what}", experiment.name));
            let expanded = Experiment::validate(
                config, experiment, options, profile, known, &backends, &reference, index,
            )
            .map_err(|e| match e {
                ExperimentError::Name(what) => bad(what),
                ExperimentError::At(what) => at(what),
            })?;
            if let Some(reason) = &expanded.dataset_fallback {
                notes.push(format!("experiment `{}`: {reason}", experiment.name));
            }
            cells.extend(expanded.cells);
        }
        let timing = match &config.timing {
            None => None,
            Some(section) => Some(
                timing_plan(section, &backends, profile.and_then(|p| p.bench_repeats))
                    .map_err(|e| bad(format!("bench: {e}")))?,
            ),
        };
        Ok(Plan {
            name: config.name.clone(),
            description: config.description.clone(),
            cells,
            timing,
            notes,
        })
    }
}

/// The profile `--profile` names (checked to exist), after checking every profile's values.
fn profile<'a>(config: &'a Config, options: &PlanOptions) -> Result<Option<&'a Profile>, String> {
    for (name, p) in &config.profile {
        if let Some(scale) = p.epoch_scale
            && !(scale.is_finite() && scale > 0.0 && scale <= 100.0)
        {
            return Err(format!(
                "profile.{name}.epoch_scale = {scale}: must be a number in (0, 100]"
            ));
        }
        if let Some(seeds) = &p.seeds {
            check_seeds(seeds).map_err(|e| format!("profile.{name}.seeds {e}"))?;
        }
    }
    match &options.profile {
        None => Ok(None),
        Some(name) => config.profile.get(name).map(Some).ok_or_else(|| {
            let known: Vec<&str> = config.profile.keys().map(String::as_str).collect();
            format!(
                "--profile {name}: no [profile.{name}] in this config; it has: {}",
                if known.is_empty() { "none".to_string() } else { known.join(", ") }
            )
        }),
    }
}

/// The command line's backends, or else the config's; at least one.
fn backends(config: &Config, options: &PlanOptions) -> Result<Vec<Backend>, String> {
    let backends = match &options.backends {
        Some(b) => b.clone(),
        None => config
            .backends
            .iter()
            .map(|b| b.parse::<Backend>().map_err(|e| format!("backends: {e}")))
            .collect::<Result<Vec<_>, _>>()?,
    };
    if backends.is_empty() {
        return Err("backends: give at least one (flex, ndarray, wgpu, cuda)".into());
    }
    Ok(backends)
}

/// The one check of a seed list, wherever it comes from (config, experiment or profile; the
/// command line's `--seeds` is checked as it is parsed).
fn check_seeds(seeds: &[u64]) -> Result<(), String> {
    if seeds.is_empty() || seeds.iter().collect::<BTreeSet<_>>().len() != seeds.len() {
        return Err("must be a non-empty list without repeats".into());
    }
    Ok(())
}

/// Why an experiment is refused: its name (reported on the file), or anything else (reported
/// on the experiment).
enum ExperimentError {
    Name(String),
    At(String),
}

impl From<String> for ExperimentError {
    fn from(what: String) -> Self {
        ExperimentError::At(what)
    }
}

/// One experiment, validated and expanded into its cells.
struct Experiment {
    cells: Vec<Cell>,
    dataset_fallback: Option<String>,
}

impl Experiment {
    #[allow(clippy::too_many_arguments)]
    fn validate(
        config: &Config,
        experiment: &crate::config::ExperimentConfig,
        options: &PlanOptions,
        profile: Option<&Profile>,
        known: &KnownIds,
        backends: &[Backend],
        reference: &ActivationConfig,
        index: usize,
    ) -> Result<Experiment, ExperimentError> {
        if !valid_name(&experiment.name) {
            return Err(ExperimentError::Name(format!(
                "experiment name {:?}: use 1 to 64 of a-z, 0-9, '-' and '_'",
                experiment.name
            )));
        }
        if experiment.activations.is_empty() {
            return Err(
                "`activations` is empty; list at least one (see `actbench list activations`)"
                    .to_string()
                    .into(),
            );
        }
        let labels: BTreeSet<String> = experiment.activations.iter().map(|a| a.label()).collect();
        if labels.len() != experiment.activations.len() {
            return Err("`activations` lists the same activation twice".to_string().into());
        }
        check_ids(experiment, known)?;
        let seeds = match (&options.seeds, profile.and_then(|p| p.seeds.clone())) {
            (Some(list), _) => list.0.clone(),
            (None, Some(seeds)) => seeds,
            (None, None) => experiment.seeds.clone().unwrap_or_else(|| config.seeds.clone()),
        };
        check_seeds(&seeds).map_err(|e| format!("`seeds` {e}"))?;
        let mut train = experiment.train.over(&config.train).complete();
        if let Some(scale) = profile.and_then(|p| p.epoch_scale) {
            train.epochs = ((train.epochs as f64 * scale).round() as usize).max(1);
        }
        validate_train(&train)?;
        if let Some(t) = experiment.target
            && !t.value().is_finite()
        {
            return Err(format!("`target` = {} must be a finite number", t.value()).into());
        }
        // Load the data once now: bad options, missing or corrupt files fail before training.
        let (dataset_config, dataset_fallback, dataset) = choose_dataset(
            experiment,
            options,
            profile.is_some_and(|p| p.fallback_data),
            seeds[0],
        )?;
        if dataset.train.len() < train.batch_size.min(2) || dataset.test.is_empty() {
            return Err(format!(
                "dataset: {} training and {} test samples is too few",
                dataset.train.len(),
                dataset.test.len()
            )
            .into());
        }
        let depths = if experiment.depths.is_empty() {
            vec![experiment.model.depth()]
        } else {
            experiment.depths.clone()
        };
        let outputs = if experiment.outputs.is_empty() {
            vec![Head::natural_output(dataset.task)]
        } else {
            experiment.outputs.clone()
        };
        if let Some(augment) = train.augment {
            let InputShape::Image { height, width, .. } = dataset.input else {
                return Err(format!(
                    "train.augment shifts and flips images; this experiment's inputs are {:?} (use an `images` or `idx` dataset, or drop `augment`)",
                    dataset.input
                )
                .into());
            };
            if augment.shift > height.min(width) / 2 {
                return Err(format!(
                    "train.augment.shift = {} is not allowed; it must be at most half the image side ({})",
                    augment.shift,
                    height.min(width) / 2
                )
                .into());
            }
        }
        let mut cells = Vec::new();
        for &depth in &depths {
            let model = experiment.model.clone().with_depth(depth);
            model.validate(dataset.input).map_err(|e| format!("model: {e}"))?;
            for &output in &outputs {
                let head = Head { output, task: dataset.task };
                for activation in &experiment.activations {
                    actbench_models::model::check_activation(&model, &head, activation)
                        .map_err(|e| format!("model: {e}"))?;
                }
                for (activation_index, activation) in experiment.activations.iter().enumerate() {
                    for &seed in &seeds {
                        for &backend in backends {
                            cells.push(Cell {
                                id: format!(
                                    "{}/{}/d{depth}/{}/s{seed}/{backend}",
                                    experiment.name,
                                    activation.label(),
                                    output.name()
                                ),
                                experiment: experiment.name.clone(),
                                experiment_index: index,
                                activation_index,
                                description: experiment.description.clone(),
                                activation: activation.clone(),
                                model: model.clone(),
                                dataset: dataset_config.clone(),
                                output,
                                train: train.clone(),
                                seed,
                                backend,
                                target: experiment.target,
                                reference: reference.label(),
                                guidelines: experiment.guidelines.clone(),
                                dataset_fallback: dataset_fallback.clone(),
                                reproduces: experiment.reproduces.clone(),
                            });
                        }
                    }
                }
            }
        }
        Ok(Experiment { cells, dataset_fallback })
    }
}

/// The experiment's guideline tags and reproduction source are in the catalogues.
fn check_ids(experiment: &crate::config::ExperimentConfig, known: &KnownIds) -> Result<(), String> {
    for id in &experiment.guidelines {
        if !known.guidelines.iter().any(|k| k.eq_ignore_ascii_case(id)) {
            return Err(format!(
                "guidelines: unknown id {id:?}; the catalogue has {} to {}",
                known.guidelines.first().map(String::as_str).unwrap_or("none"),
                known.guidelines.last().map(String::as_str).unwrap_or("none"),
            ));
        }
    }
    if let Some(r) = &experiment.reproduces
        && !known.sources.contains(&r.source)
    {
        return Err(format!(
            "reproduces: unknown source {:?}; the catalogue has {}",
            r.source,
            known.sources.join(", ")
        ));
    }
    Ok(())
}

/// The experiment's dataset (with `--idx-dir` applied), or its fallback when the dataset's files
/// are missing; with the reason for the fallback and the loaded data.
fn choose_dataset(
    experiment: &crate::config::ExperimentConfig,
    options: &PlanOptions,
    fallback_data: bool,
    seed: u64,
) -> Result<(DatasetConfig, Option<String>, Dataset), String> {
    let with_dir = |d: &DatasetConfig| {
        let mut d = d.clone();
        if d.kind == actbench_data::DatasetKind::Idx && options.idx_dir.is_some() {
            d.dir = options.idx_dir.clone();
        }
        d
    };
    if let (true, Some(fallback)) = (fallback_data, &experiment.fallback_dataset) {
        let fallback = with_dir(fallback);
        let data = fallback.load(seed).map_err(|e| format!("fallback_dataset: {e}"))?;
        let reason = "the profile asks for the built-in data (`fallback_data = true`)".to_string();
        return Ok((fallback, Some(reason), data));
    }
    let primary = with_dir(&experiment.dataset);
    match (primary.load(seed), &experiment.fallback_dataset) {
        (Ok(data), _) => Ok((primary, None, data)),
        (Err(e), Some(fallback)) if e.is_missing_files() => {
            let fallback = with_dir(fallback);
            let data = fallback.load(seed).map_err(|e| format!("fallback_dataset: {e}"))?;
            Ok((
                fallback,
                Some(format!(
                    "{e}; using the fallback dataset `{}` instead",
                    experiment.fallback_dataset.as_ref().map(|d| d.kind.name()).unwrap_or_default()
                )),
                data,
            ))
        }
        (Err(e), _) => Err(format!("dataset: {e}")),
    }
}

fn timing_plan(
    section: &crate::config::TimingSection,
    run_backends: &[Backend],
    repeats: Option<usize>,
) -> Result<TimingPlan, String> {
    if section.activations.is_empty() {
        return Err("`activations` is empty; list at least one".into());
    }
    let backends = match &section.backends {
        None => run_backends.to_vec(),
        Some(list) => list
            .iter()
            .map(|b| b.parse::<Backend>().map_err(|e| format!("backends: {e}")))
            .collect::<Result<Vec<_>, _>>()?,
    };
    for b in &backends {
        if !b.is_compiled() {
            return Err(b.device().unwrap_err().to_string());
        }
    }
    if !(1..=1 << 28).contains(&section.elements) {
        return Err(format!("elements = {}: must be between 1 and 2^28", section.elements));
    }
    if !(1..=1 << 16).contains(&section.compute_bound_elements) {
        return Err(format!(
            "compute_bound_elements = {}: must be between 1 and 2^16 (65536), to stay in cache",
            section.compute_bound_elements
        ));
    }
    let repeats = repeats.unwrap_or(section.repeats);
    if !(1..=10_000).contains(&repeats) {
        return Err(format!("repeats = {repeats}: must be between 1 and 10000"));
    }
    Ok(TimingPlan {
        activations: section.activations.clone(),
        backends,
        sizes: if section.compute_bound_elements == section.elements {
            vec![section.elements]
        } else {
            vec![section.compute_bound_elements, section.elements]
        },
        repeats,
    })
}

fn validate_train(t: &TrainConfig) -> Result<(), String> {
    let bad = |key: &str, value: String, allowed: &str| {
        Err(format!("train.{key} = {value} is not allowed; it must be {allowed}"))
    };
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
    if t.train_score_samples == Some(0) {
        return bad("train_score_samples", "0".into(), "at least 1, or unset for all");
    }
    if t.eval_samples == 0 {
        return bad("eval_samples", "0".into(), "at least 1");
    }
    if let Some(drop) = t.learning_rate_drop {
        if !(drop.at > 0.0 && drop.at < 1.0) {
            return bad(
                "learning_rate_drop.at",
                drop.at.to_string(),
                "a fraction of the epochs in (0, 1)",
            );
        }
        if !(drop.factor > 0.0 && drop.factor < 1.0) {
            return bad("learning_rate_drop.factor", drop.factor.to_string(), "a number in (0, 1)");
        }
    }
    Ok(())
}

/// Loads a cell's dataset (the plan already loaded it once, so this does not fail on a config
/// error; a file changed since is reported).
pub fn load_dataset(cell: &Cell) -> Result<Dataset, CliError> {
    cell.dataset
        .load(cell.seed)
        .map_err(|e| CliError::Runtime(format!("{}: dataset: {e}", cell.id)))
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
        let bad = || {
            CliError::Usage(format!("--shard {s}: expected I/N with 1 <= I <= N, e.g. --shard 2/4"))
        };
        let (i, n) = s.split_once('/').ok_or_else(bad)?;
        let (index, count) = (
            i.trim().parse::<usize>().map_err(|_| bad())?,
            n.trim().parse::<usize>().map_err(|_| bad())?,
        );
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
        self.cells = self
            .cells
            .into_iter()
            .enumerate()
            .filter(|(i, _)| i % shard.count == shard.index - 1)
            .map(|(_, c)| c)
            .collect();
        self
    }
}

#[cfg(test)]
mod fuzz {
    //! Property tests (proptest) of the config path: any mutation of a valid config file parses
    //! or fails with a message, and a parsed config plans or fails with a message naming the
    //! file; never a panic.

    use proptest::prelude::*;

    use super::{KnownIds, Plan};
    use crate::config::Config;

    /// Catalogue ids as the plan sees them (the real ones live above it).
    fn known() -> KnownIds {
        KnownIds {
            guidelines: (1..=17).map(|i| format!("G{i:02}")).collect(),
            sources: vec!["two-circles".into()],
        }
    }

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
        "0",
        "-1",
        "1e9",
        "nan",
        "\"\"",
        "\"x\"",
        "[]",
        "{}",
        "true",
        "= =",
        "[[experiment]]",
        "\n",
        "kind",
        "\"cnn\"",
        "\"images\"",
        "\"idx\"",
        "depth",
        "width",
        "99999",
        "0.0",
        "\"swishh\"",
        "\"prelu:2\"",
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
            if let Ok(config) = toml::from_str::<Config>(&text)
                && let Err(e) = Plan::build(&config, "fuzz.toml", &Default::default(), &known()) {
                    prop_assert!(e.to_string().contains("fuzz.toml"), "{}", e);
                }
        }
    }

    #[test]
    fn seed_lists_parse_and_bad_ones_are_refused() {
        let parse = |t: &str| t.parse::<super::SeedList>().map(|l| l.0);
        assert_eq!(parse("1-4"), Ok(vec![1, 2, 3, 4]));
        assert_eq!(parse("1,3, 7-8"), Ok(vec![1, 3, 7, 8]));
        for bad in ["", "a", "3-1", "1,1", "1-2,2", "-1", "0-99999"] {
            assert!(parse(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn the_unmutated_config_plans() {
        let config: Config = toml::from_str(VALID).unwrap();
        assert_eq!(
            Plan::build(&config, "fuzz.toml", &Default::default(), &known()).unwrap().cells.len(),
            3 * 2 * 2
        );
    }
}
