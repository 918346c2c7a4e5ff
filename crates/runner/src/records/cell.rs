//! The result record: one JSON file per cell, the contract between training and reports.
//! Every field says its unit; times are wall-clock seconds.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::atomic::write_atomically;
use crate::error::CliError;
use crate::plan::Cell;

/// Version of this record layout; readers refuse others.
pub const SCHEMA_VERSION: u32 = 1;

/// Everything one cell produced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CellRecord {
    /// [`SCHEMA_VERSION`] of the writer.
    pub schema_version: u32,
    /// The cell, complete: activation, model, dataset, output, training settings, seed, backend.
    pub cell: Cell,
    /// Where and with what it ran.
    pub environment: Environment,
    /// The data actually used (generator and options, or directory and counts).
    pub dataset_source: String,
    /// What the targets are (classes, labels or regression outputs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task: Option<actbench_data::Task>,
    /// Name of the test metric (`accuracy`, `exact-match`, `mse`).
    pub metric: String,
    /// Whether a larger metric is better.
    pub higher_is_better: bool,
    /// `finished` or `diverged`.
    pub status: Status,
    /// Set when the loss became NaN or infinite.
    pub divergence: Option<Divergence>,
    /// Start time, seconds since the Unix epoch.
    pub started_unix_s: u64,
    /// Whole cell, seconds (data loading, training, evaluation).
    pub wall_time_s: f64,
    /// Cells that trained side by side while this one did (`run --jobs`; 1 for records written
    /// before the option existed): times from a parallel run compare only within that run.
    #[serde(default = "one_job")]
    pub jobs: usize,
    /// Trained parameters of the model as built (every weight, bias, norm scale and activation
    /// parameter); absent in records written before the field existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parameters: Option<u64>,
    /// Epoch 0 is the untrained model; then one entry per finished epoch.
    pub epochs: Vec<EpochRecord>,
    /// A model the dataset fits in closed form (forecasting datasets: AR(12) by least squares),
    /// scored in the same metric beside the trained one; absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<actbench_data::Baseline>,
}

/// How a cell ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// All epochs ran.
    Finished,
    /// The loss became NaN or infinite; training stopped.
    Diverged,
}

/// Where a diverged cell stopped.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Divergence {
    /// Epoch (1-based) in which the loss stopped being finite.
    pub epoch: usize,
    /// Optimizer step within the run (1-based).
    pub step: usize,
    /// Last finite training-batch loss.
    pub last_finite_loss: Option<f64>,
}

/// Software and machine.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Environment {
    /// actbench version.
    pub actbench_version: String,
    /// burn version.
    pub burn_version: String,
    /// `git rev-parse HEAD` of the working directory, if any.
    pub git_commit: Option<String>,
    /// Whether tracked files outside `results/` had uncommitted changes (none: unknown, e.g.
    /// records written before this field existed, or no git).
    #[serde(default)]
    pub git_dirty: Option<bool>,
    /// CPU model from /proc/cpuinfo.
    pub cpu_model: String,
    /// Logical CPUs.
    pub cpu_count: usize,
}

/// Measurements after one epoch (epoch 0: before training).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EpochRecord {
    /// 0 = untrained.
    pub epoch: usize,
    /// Mean training-batch loss during the epoch (none for epoch 0).
    pub train_loss: Option<f64>,
    /// Loss on the whole test split.
    pub test_loss: f64,
    /// Metric on the whole training split.
    pub train_metric: f64,
    /// Metric on the whole test split.
    pub test_metric: f64,
    /// Metric on each named period of the test split (forecasting datasets; empty otherwise).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub test_periods: BTreeMap<String, f64>,
    /// Micro-F1 on the test split (multi-label tasks).
    pub test_f1: Option<f64>,
    /// Seconds spent in training steps (0 for epoch 0).
    pub train_time_s: f64,
    /// Seconds spent evaluating and measuring.
    pub eval_time_s: f64,
    /// Per-layer statistics on the evaluation samples, input side first.
    pub layers: Vec<LayerRecord>,
    /// Trained activation parameters (`hidden0.alpha`, `rnn0.beta`, ...).
    pub learned: BTreeMap<String, f64>,
}

/// One layer's statistics on the evaluation samples.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LayerRecord {
    /// Layer name.
    pub layer: String,
    /// L2 norm of the weight gradient of the evaluation-batch loss.
    pub grad_norm: f64,
    /// Mean |weight gradient|.
    pub grad_mean_abs: f64,
    /// Mean activation output (hidden layers only).
    pub activation_mean: Option<f64>,
    /// Variance of the activation output (hidden layers only).
    pub activation_variance: Option<f64>,
    /// Fraction of units with zero activation derivative on every evaluation sample.
    pub dead_fraction: Option<f64>,
}

fn one_job() -> usize {
    1
}

/// Writes `record` to `dir/<cell file>` atomically (temporary file, then rename): a crash leaves
/// either the complete old state or the complete new file, never half a record.
pub fn write(dir: &Path, record: &CellRecord) -> Result<PathBuf, CliError> {
    let path = dir.join(record.cell.file_name());
    write_atomically(
        &path,
        // Compact: records hold per-epoch, per-layer arrays (pretty-printing tripled their size).
        &(serde_json::to_string(record).expect("records serialise") + "\n"),
    )?;
    Ok(path)
}

/// Reads one record, refusing other schema versions.
pub fn read(path: &Path) -> Result<CellRecord, CliError> {
    let text = read_text(path)?;
    let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
        CliError::Usage(format!("{}: not a result record (invalid JSON: {e})", path.display()))
    })?;
    match value.get("schema_version").and_then(|v| v.as_u64()) {
        Some(v) if v == SCHEMA_VERSION as u64 => {}
        Some(v) => {
            return Err(CliError::Usage(format!(
                "{}: result schema version {v}, this actbench reads version {SCHEMA_VERSION}; use the actbench version that wrote it",
                path.display()
            )));
        }
        None => {
            return Err(CliError::Usage(format!(
                "{}: not a result record (no schema_version)",
                path.display()
            )));
        }
    }
    serde_json::from_value(value)
        .map_err(|e| CliError::Usage(format!("{}: damaged result record: {e}", path.display())))
}

/// Every record in `dir` (files `*.json` other than `run.json` and the micro-benchmark's
/// `bench-activations.json`; hidden temporary files are skipped), sorted by cell id.
/// A record file's text; `*.json.gz` (how published runs store their records) is decompressed.
fn read_text(path: &Path) -> Result<String, CliError> {
    let cannot =
        |e: std::io::Error| CliError::Usage(format!("{}: cannot read: {e}", path.display()));
    if path.extension().is_some_and(|e| e == "gz") {
        let mut text = String::new();
        let file = std::fs::File::open(path).map_err(cannot)?;
        std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(file), &mut text)
            .map_err(cannot)?;
        Ok(text)
    } else {
        std::fs::read_to_string(path).map_err(cannot)
    }
}

/// Whether `name` is a result record's file name (`*.json` or `*.json.gz`; not the run file,
/// the micro-benchmark or a hidden temporary).
pub fn is_record_file(name: &str) -> bool {
    (name.ends_with(".json") || name.ends_with(".json.gz"))
        && !name.starts_with('.')
        && name != crate::records::run_file::RUN_FILE
        && name != crate::records::activation_timing::FILE
}

/// Every result record in `dir`, sorted by cell id.
pub fn read_dir(dir: &Path) -> Result<Vec<CellRecord>, CliError> {
    let entries = std::fs::read_dir(dir).map_err(|e| {
        CliError::Usage(format!("{}: cannot read results directory: {e}", dir.display()))
    })?;
    let mut records = Vec::new();
    for entry in entries {
        let path = entry.map_err(|e| CliError::Usage(format!("{}: {e}", dir.display())))?.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        if is_record_file(name) {
            records.push(read(&path)?);
        }
    }
    records.sort_by(|a, b| a.cell.id.cmp(&b.cell.id));
    Ok(records)
}

/// The records and micro-benchmark timings of several results directories, judged together
/// (e.g. the guideline run and the reproduction run). A cell present in two of them is an error.
pub fn read_dirs(
    dirs: &[PathBuf],
) -> Result<(Vec<CellRecord>, Vec<crate::records::activation_timing::ActivationTiming>), CliError> {
    let (mut records, mut bench) = (Vec::new(), Vec::new());
    let mut seen: std::collections::BTreeMap<String, &Path> = Default::default();
    for dir in dirs {
        for record in read_dir(dir)? {
            if let Some(first) = seen.insert(record.cell.id.clone(), dir) {
                return Err(CliError::Usage(format!(
                    "cell {} is in both {} and {}; name each run's directory once",
                    record.cell.id,
                    first.display(),
                    dir.display()
                )));
            }
            records.push(record);
        }
        bench.extend(crate::records::activation_timing::read(dir)?);
    }
    records.sort_by(|a, b| a.cell.id.cmp(&b.cell.id));
    Ok((records, bench))
}

/// Removes temporary files a killed process left behind (`.<name>.tmp-<pid>`).
pub fn remove_stale_temporaries(dir: &Path) {
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') && name.contains(".tmp-") {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
}
