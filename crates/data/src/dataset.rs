//! The dataset contract: what every source (generator or file) produces.

use serde::{Deserialize, Serialize};

/// What the targets mean, and so which losses and metrics apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum Task {
    /// One class per sample (binary when `classes == 2`).
    Classification {
        /// Number of classes.
        classes: usize,
    },
    /// Several independent yes/no labels per sample.
    MultiLabel {
        /// Number of labels.
        labels: usize,
    },
    /// Real-valued targets.
    Regression {
        /// Number of values per sample.
        outputs: usize,
    },
    /// The next token at every position of a window (a language model): the targets are
    /// `context` token ids per sample.
    NextToken {
        /// Tokens the model may predict.
        vocab: usize,
        /// Positions per window.
        context: usize,
    },
}

impl Task {
    /// Number of target values per sample once encoded (one-hot for classes).
    pub fn target_width(self) -> usize {
        match self {
            Task::Classification { classes } => classes,
            Task::MultiLabel { labels } => labels,
            Task::Regression { outputs } => outputs,
            Task::NextToken { context, .. } => context,
        }
    }
}

/// How a sample's inputs are laid out; every model reads the flat row in this shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum InputShape {
    /// A feature vector.
    Vector {
        /// Number of features.
        features: usize,
    },
    /// An image, channels first.
    Image {
        /// Number of channels.
        channels: usize,
        /// Rows of pixels.
        height: usize,
        /// Columns of pixels.
        width: usize,
    },
    /// A sequence of feature vectors, step-major.
    Sequence {
        /// Number of time steps.
        steps: usize,
        /// Features per step.
        features: usize,
    },
    /// A window of token ids (stored as `f32`, exact below 2^24).
    Tokens {
        /// Tokens per window.
        context: usize,
        /// Distinct token ids (`0..vocab`).
        vocab: usize,
    },
}

impl InputShape {
    /// Values per sample.
    pub fn size(self) -> usize {
        match self {
            InputShape::Vector { features } => features,
            InputShape::Image { channels, height, width } => channels * height * width,
            InputShape::Sequence { steps, features } => steps * features,
            InputShape::Tokens { context, .. } => context,
        }
    }
}

/// Targets of one split.
#[derive(Debug, Clone, PartialEq)]
pub enum Targets {
    /// Class index per sample.
    Classes(Vec<usize>),
    /// `width` values per sample, row-major (multi-label 0/1 or regression).
    Values {
        /// The values, `width` per sample.
        values: Vec<f32>,
        /// Values per sample.
        width: usize,
    },
}

/// One split: `len` samples.
#[derive(Debug, Clone, PartialEq)]
pub struct Split {
    /// Row-major inputs, `len * input.size()` values.
    pub inputs: Vec<f32>,
    /// Targets.
    pub targets: Targets,
}

impl Split {
    /// Number of samples.
    pub fn len(&self) -> usize {
        match &self.targets {
            Targets::Classes(c) => c.len(),
            Targets::Values { values, width } => values.len() / width,
        }
    }

    /// True when the split has no samples.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Targets as a dense row-major matrix `[len, width]`: one-hot for classes.
    pub fn dense_targets(&self, indices: &[usize], width: usize) -> Vec<f32> {
        let mut out = vec![0.0; indices.len() * width];
        for (row, &i) in indices.iter().enumerate() {
            match &self.targets {
                Targets::Classes(c) => out[row * width + c[i]] = 1.0,
                Targets::Values { values, width: w } => {
                    out[row * width..(row + 1) * width].copy_from_slice(&values[i * w..(i + 1) * w])
                }
            }
        }
        out
    }

    /// Inputs of the samples `indices`, row-major.
    pub fn gather_inputs(&self, indices: &[usize], size: usize) -> Vec<f32> {
        let mut out = Vec::with_capacity(indices.len() * size);
        for &i in indices {
            out.extend_from_slice(&self.inputs[i * size..(i + 1) * size]);
        }
        out
    }

    /// The samples `indices`, in that order.
    pub fn subset(&self, indices: &[usize], size: usize) -> Split {
        Split {
            inputs: self.gather_inputs(indices, size),
            targets: match &self.targets {
                Targets::Classes(c) => Targets::Classes(indices.iter().map(|&i| c[i]).collect()),
                Targets::Values { values, width } => Targets::Values {
                    values: indices
                        .iter()
                        .flat_map(|&i| values[i * width..(i + 1) * width].iter().copied())
                        .collect(),
                    width: *width,
                },
            },
        }
    }
}

/// A complete dataset.
#[derive(Debug, Clone, PartialEq)]
pub struct Dataset {
    /// Short description of where it came from (generator and options, or directory).
    pub source: String,
    /// What the targets mean.
    pub task: Task,
    /// Layout of one sample's inputs.
    pub input: InputShape,
    /// Training split.
    pub train: Split,
    /// Test split.
    pub test: Split,
    /// What a forecasting dataset adds (named test periods, the error relative to the series'
    /// variance, a closed-form baseline); `None` for every other dataset.
    pub forecast: Option<Forecast>,
}

/// What a time-series forecasting dataset adds to its splits.
#[derive(Debug, Clone, PartialEq)]
pub struct Forecast {
    /// Consecutive named ranges of the test split, each also scored on its own.
    pub periods: Vec<Period>,
    /// The variance the error is relative to, in the units of the (scaled) targets: the metric
    /// is the average relative variance, `arv = mse / variance`.
    pub variance: f64,
    /// A baseline fitted to the training split in closed form, and its scores.
    pub baseline: Baseline,
}

/// A named range of a test split: samples `start..start + len`.
#[derive(Debug, Clone, PartialEq)]
pub struct Period {
    /// Its name (`1921-1955`).
    pub name: String,
    /// First sample.
    pub start: usize,
    /// Samples.
    pub len: usize,
}

/// A model fitted in closed form beside the trained ones, with the scores it reached (in the
/// dataset's metric).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Baseline {
    /// What it is (`AR(12), least squares`).
    pub name: String,
    /// Its metric on the whole training split.
    pub train_metric: f64,
    /// Its metric on the whole test split.
    pub test_metric: f64,
    /// Its metric on each test period, by name.
    pub test_periods: std::collections::BTreeMap<String, f64>,
}

impl Dataset {
    /// Splits `all` (already shuffled) into train and test, `test_fraction` of it for test.
    pub fn from_samples(
        source: String,
        task: Task,
        input: InputShape,
        all: Split,
        test_fraction: f64,
    ) -> Self {
        let n = all.len();
        let n_test = ((n as f64) * test_fraction).round() as usize;
        let n_train = n - n_test;
        let size = input.size();
        let train_idx: Vec<usize> = (0..n_train).collect();
        let test_idx: Vec<usize> = (n_train..n).collect();
        Dataset {
            source,
            task,
            input,
            train: all.subset(&train_idx, size),
            test: all.subset(&test_idx, size),
            forecast: None,
        }
    }

    /// Standardises every input feature to mean 0 and variance 1, with the training split's
    /// statistics (applied to both splits).
    pub fn standardize(&mut self) {
        let size = self.input.size();
        let n = self.train.len().max(1) as f64;
        for f in 0..size {
            let column = self.train.inputs.iter().skip(f).step_by(size);
            let mean = column.clone().map(|&v| v as f64).sum::<f64>() / n;
            let var = column.map(|&v| (v as f64 - mean).powi(2)).sum::<f64>() / n;
            let std = if var > 1e-12 { var.sqrt() } else { 1.0 };
            for split in [&mut self.train, &mut self.test] {
                for v in split.inputs.iter_mut().skip(f).step_by(size) {
                    *v = ((*v as f64 - mean) / std) as f32;
                }
            }
        }
    }
}
