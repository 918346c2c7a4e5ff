//! Activation timing records: forward and forward+backward time of each activation on one
//! float32 tensor, per backend (how they are measured: `speed::activations`). The contract of
//! `actbench bench activations --format json` and of `bench-activations.json` in a results
//! directory; the cost verdicts (G11, G12) read them.

use actbench_activations::backend::Backend;
use serde::{Deserialize, Serialize};

use crate::error::CliError;

/// What is timed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Mode {
    /// y = f(x).
    #[serde(rename = "forward")]
    Forward,
    /// y = f(x), then dL/dx from dL/dy = 1 through autodiff.
    #[serde(rename = "forward+backward")]
    ForwardBackward,
}

impl Mode {
    /// As printed.
    pub fn name(self) -> &'static str {
        match self {
            Mode::Forward => "forward",
            Mode::ForwardBackward => "forward+backward",
        }
    }

    /// Bytes of memory traffic per element (see the module doc).
    pub fn bytes_per_element(self) -> f64 {
        match self {
            Mode::Forward => 8.0,
            Mode::ForwardBackward => 20.0,
        }
    }
}

/// Label of the memory-bandwidth reference row.
pub const COPY: &str = "copy";

/// How a timed operation is implemented, so that unlike things are not compared as if alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Implementation {
    /// A registered activation (its own file: a one-pass kernel or burn operations).
    #[default]
    BuiltIn,
    /// A formula from a config: composed tensor operations, derivative by autodiff.
    Formula,
    /// A reference operation (`copy`, `burn-mish`).
    Reference,
}

impl Implementation {
    /// As printed.
    pub fn name(self) -> &'static str {
        match self {
            Implementation::BuiltIn => "built-in",
            Implementation::Formula => "formula (composed ops)",
            Implementation::Reference => "reference",
        }
    }
}

/// One activation, mode and backend: the contract of `actbench bench activations --format json`
/// and of `bench-activations.json` in a results directory. Times in seconds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActivationTiming {
    /// Activation label, or `copy` for the reference (x * 1).
    pub activation: String,
    /// `forward` or `forward+backward`.
    pub mode: Mode,
    /// Elements of the float32 tensor.
    pub elements: usize,
    /// Median time of one pass over the tensor, seconds.
    pub median_s: f64,
    /// Fastest repeat, seconds.
    pub min_s: f64,
    /// Slowest repeat, seconds.
    pub max_s: f64,
    /// Elements per second at the median.
    pub elements_per_s: f64,
    /// Effective memory bandwidth at the median, GB/s (10^9 bytes), by the traffic model above.
    pub gb_per_s: f64,
    /// Backend.
    pub backend: Backend,
    /// Built-in activation, formula (composed tensor operations) or reference operation.
    #[serde(default)]
    pub implementation: Implementation,
    /// Every timed repeat, seconds.
    pub times_s: Vec<f64>,
}

/// File of a run's micro-benchmark inside its results directory.
pub const FILE: &str = "bench-activations.json";

/// Reads `dir/bench-activations.json`, if the run has one.
pub fn read(dir: &std::path::Path) -> Result<Vec<ActivationTiming>, CliError> {
    let path = dir.join(FILE);
    if !path.exists() {
        return Ok(Vec::new());
    }
    let text = std::fs::read_to_string(&path)
        .map_err(|e| CliError::Usage(format!("{}: cannot read: {e}", path.display())))?;
    serde_json::from_str(&text).map_err(|e| {
        CliError::Usage(format!("{}: damaged micro-benchmark results: {e}", path.display()))
    })
}
