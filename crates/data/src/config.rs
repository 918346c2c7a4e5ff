//! Which dataset a benchmark cell uses, as written in a config file.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::dataset::Dataset;
use crate::error::DataError;
use crate::{corpus, idx, sunspots, synthetic, text};

/// Where Debian's `dataset-fashion-mnist` package installs Fashion-MNIST.
pub const FASHION_MNIST_DIR: &str = "/usr/share/datasets/fashion-mnist";

/// Characters of context a text window holds when the config sets none.
pub const DEFAULT_CONTEXT: usize = 64;

/// Most input values a generated data set may hold (800 MB of f32).
pub const MAX_GENERATED_VALUES: usize = 200_000_000;

/// The kinds of dataset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DatasetKind {
    /// Two concentric circles (scikit-learn's make_circles), binary.
    TwoCircles,
    /// XOR of the signs of two uniform inputs, binary.
    Xor,
    /// Two interleaved spirals, binary.
    Spirals,
    /// The adding problem: sum of the two marked values in a sequence (regression).
    Adding,
    /// Several linear-threshold labels per sample.
    MultiLabel,
    /// Smooth nonlinear regression with targets outside (0, 1).
    Regression,
    /// Procedural 28x28 images of 10 shape classes.
    Images,
    /// MNIST-style IDX files from a directory (Fashion-MNIST, MNIST).
    Idx,
    /// Windows of a character corpus from files (default: Debian's fortunes), next-character
    /// targets.
    Corpus,
    /// Windows of generated English-like text, next-character targets (the corpus stand-in for
    /// tests and machines without the package).
    Text,
    /// The yearly sunspot numbers 1700-1979 (built in, or a table in the same format): predict
    /// a year from the twelve before it, the classic split, the error as the average relative
    /// variance per test period, an AR(12) baseline beside (`crate::sunspots`).
    Sunspots,
}

impl DatasetKind {
    /// Kebab-case name.
    pub fn name(self) -> &'static str {
        match self {
            DatasetKind::TwoCircles => "two-circles",
            DatasetKind::Xor => "xor",
            DatasetKind::Spirals => "spirals",
            DatasetKind::Adding => "adding",
            DatasetKind::MultiLabel => "multi-label",
            DatasetKind::Regression => "regression",
            DatasetKind::Images => "images",
            DatasetKind::Idx => "idx",
            DatasetKind::Corpus => "corpus",
            DatasetKind::Text => "text",
            DatasetKind::Sunspots => "sunspots",
        }
    }

    /// Options this kind reads (beyond `kind`, `test_fraction` and `standardize`).
    pub fn options(self) -> &'static [&'static str] {
        match self {
            DatasetKind::TwoCircles => &["n", "noise", "factor"],
            DatasetKind::Xor | DatasetKind::Spirals | DatasetKind::Images => &["n", "noise"],
            DatasetKind::Adding => &["n", "steps"],
            DatasetKind::MultiLabel => &["n", "features", "labels"],
            DatasetKind::Regression => &["n", "features", "noise"],
            DatasetKind::Idx => &["dir", "limit", "test_limit"],
            DatasetKind::Corpus => &["dir", "steps", "limit", "test_limit"],
            DatasetKind::Text => &["n", "steps", "limit", "test_limit"],
            DatasetKind::Sunspots => &["file"],
        }
    }
}

/// A dataset choice: the kind plus its options (unset options take the defaults below).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatasetConfig {
    /// Which dataset.
    pub kind: DatasetKind,
    /// Number of samples, train and test together (generators). Default 1000 (two-circles, xor,
    /// spirals), 2000 (others), 3000 (images).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub n: Option<usize>,
    /// Gaussian noise standard deviation (generators). Default 0.1 (0.15 for images).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub noise: Option<f64>,
    /// Inner/outer radius ratio (two-circles). Default 0.8.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub factor: Option<f64>,
    /// Sequence length (adding; default 20), or context length in characters (corpus, text;
    /// default 64).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub steps: Option<usize>,
    /// Input features (multi-label 10, regression 8).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub features: Option<usize>,
    /// Labels per sample (multi-label). Default 5.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub labels: Option<usize>,
    /// IDX directory (default `/usr/share/datasets/fashion-mnist`), or a corpus directory in the
    /// fortunes layout or one plain-text file (default `/usr/share/games/fortunes`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dir: Option<PathBuf>,
    /// A sunspot table in the built-in format (`year,sunspots` rows; sunspots). Default: the
    /// built-in table 1700-1979.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<PathBuf>,
    /// Use only the first `limit` training images (idx), or this many training windows
    /// (corpus, text; default: windows tiling the training text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<usize>,
    /// Use only the first `test_limit` test images (idx), or this many validation windows
    /// (corpus, text; default 512).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub test_limit: Option<usize>,
    /// Fraction of generated samples held out for testing. Default 0.5 for two-circles (the
    /// classic experiment), 0.25 otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub test_fraction: Option<f64>,
    /// Standardise inputs to mean 0, variance 1 with the training statistics. Default false.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub standardize: Option<bool>,
}

impl DatasetConfig {
    /// A config of `kind` with every option at its default.
    pub fn new(kind: DatasetKind) -> Self {
        Self {
            kind,
            n: None,
            noise: None,
            factor: None,
            steps: None,
            features: None,
            labels: None,
            dir: None,
            file: None,
            limit: None,
            test_limit: None,
            test_fraction: None,
            standardize: None,
        }
    }

    /// Checks options apply to this kind and are in range; does not touch files.
    pub fn validate(&self) -> Result<(), DataError> {
        let set: [(&str, bool); 10] = [
            ("n", self.n.is_some()),
            ("noise", self.noise.is_some()),
            ("factor", self.factor.is_some()),
            ("steps", self.steps.is_some()),
            ("features", self.features.is_some()),
            ("labels", self.labels.is_some()),
            ("dir", self.dir.is_some()),
            ("file", self.file.is_some()),
            ("limit", self.limit.is_some()),
            ("test_limit", self.test_limit.is_some()),
        ];
        for (option, is_set) in set {
            if is_set && !self.kind.options().contains(&option) {
                return Err(self.bad(
                    option,
                    "set",
                    &format!(
                        "unset: `{}` takes {}, test_fraction, standardize",
                        self.kind.name(),
                        self.kind.options().join(", ")
                    ),
                ));
            }
        }
        let check = |ok: bool, option: &str, value: String, allowed: &str| {
            if ok { Ok(()) } else { Err(self.bad(option, &value, allowed)) }
        };
        if let Some(n) = self.n {
            check((8..=10_000_000).contains(&n), "n", n.to_string(), "between 8 and 10000000")?;
        }
        if let Some(v) = self.noise {
            check(
                v.is_finite() && (0.0..=10.0).contains(&v),
                "noise",
                v.to_string(),
                "a number in [0, 10]",
            )?;
        }
        if let Some(v) = self.factor {
            check(v > 0.0 && v < 1.0, "factor", v.to_string(), "a number in (0, 1)")?;
        }
        if let Some(v) = self.steps {
            check((2..=10_000).contains(&v), "steps", v.to_string(), "between 2 and 10000")?;
        }
        if let Some(v) = self.features {
            check((1..=10_000).contains(&v), "features", v.to_string(), "between 1 and 10000")?;
        }
        if let Some(v) = self.labels {
            check((1..=1000).contains(&v), "labels", v.to_string(), "between 1 and 1000")?;
        }
        if let Some(v) = self.limit.or(self.test_limit) {
            check(v >= 1, "limit", v.to_string(), "at least 1")?;
        }
        if matches!(self.kind, DatasetKind::Corpus | DatasetKind::Text) {
            if let Some(v) = self.test_fraction {
                return Err(self.bad(
                    "test_fraction",
                    &v.to_string(),
                    "unset: a corpus holds out every 20th document for validation",
                ));
            }
            if self.standardize == Some(true) {
                return Err(self.bad(
                    "standardize",
                    "true",
                    "unset or false: the inputs are character ids",
                ));
            }
        }
        if self.kind == DatasetKind::Sunspots {
            if let Some(v) = self.test_fraction {
                return Err(self.bad(
                    "test_fraction",
                    &v.to_string(),
                    "unset: the sunspot task has the classic split (train 1712-1920, test 1921-1955 and 1956-1979)",
                ));
            }
            if self.standardize.is_some() {
                return Err(self.bad(
                    "standardize",
                    &self.standardize.unwrap_or(false).to_string(),
                    "unset: the sunspot numbers are always scaled by the training targets' mean and standard deviation",
                ));
            }
        }
        if let Some(v) = self.test_fraction {
            check(v > 0.0 && v < 1.0, "test_fraction", v.to_string(), "a number in (0, 1)")?;
        }
        if let Some(per_sample) = self.generated_input_size() {
            let n = self.n.unwrap_or(3000);
            let values = n.saturating_mul(per_sample);
            check(
                values <= MAX_GENERATED_VALUES,
                "n",
                n.to_string(),
                &format!(
                    "small enough that n x {per_sample} input values stay within {MAX_GENERATED_VALUES} (this data set would be too large to hold in memory)"
                ),
            )?;
        }
        Ok(())
    }

    /// Input values per sample of a generated dataset (none for files).
    fn generated_input_size(&self) -> Option<usize> {
        Some(match self.kind {
            DatasetKind::TwoCircles | DatasetKind::Xor | DatasetKind::Spirals => 2,
            DatasetKind::Adding => 2 * self.steps.unwrap_or(20),
            DatasetKind::MultiLabel => self.features.unwrap_or(10),
            DatasetKind::Regression => self.features.unwrap_or(8),
            DatasetKind::Images => 28 * 28,
            DatasetKind::Idx | DatasetKind::Corpus | DatasetKind::Sunspots => return None,
            DatasetKind::Text => self.steps.unwrap_or(DEFAULT_CONTEXT),
        })
    }

    /// The IDX directory this config reads, if it is an IDX dataset.
    pub fn idx_dir(&self) -> Option<PathBuf> {
        (self.kind == DatasetKind::Idx)
            .then(|| self.dir.clone().unwrap_or_else(|| PathBuf::from(FASHION_MNIST_DIR)))
    }

    /// The corpus file or directory this config reads, if it is a corpus dataset.
    pub fn corpus_path(&self) -> Option<PathBuf> {
        (self.kind == DatasetKind::Corpus)
            .then(|| self.dir.clone().unwrap_or_else(|| PathBuf::from(corpus::DEFAULT_DIR)))
    }

    /// Builds the dataset; generated data depends only on the options and `seed`.
    pub fn load(&self, seed: u64) -> Result<Dataset, DataError> {
        self.validate()?;
        let n = self.n.unwrap_or(match self.kind {
            DatasetKind::TwoCircles | DatasetKind::Xor | DatasetKind::Spirals => 1000,
            DatasetKind::Images => 3000,
            _ => 2000,
        });
        let noise = self.noise.unwrap_or(if self.kind == DatasetKind::Images { 0.15 } else { 0.1 });
        let test_fraction = self.test_fraction.unwrap_or(if self.kind == DatasetKind::TwoCircles {
            0.5
        } else {
            0.25
        });
        let mut dataset = match self.kind {
            DatasetKind::TwoCircles => {
                synthetic::two_circles(n, noise, self.factor.unwrap_or(0.8), seed, test_fraction)
            }
            DatasetKind::Xor => synthetic::xor(n, noise, seed, test_fraction),
            DatasetKind::Spirals => synthetic::spirals(n, noise, seed, test_fraction),
            DatasetKind::Adding => {
                synthetic::adding(n, self.steps.unwrap_or(20), seed, test_fraction)
            }
            DatasetKind::MultiLabel => synthetic::multi_label(
                n,
                self.features.unwrap_or(10),
                self.labels.unwrap_or(5),
                seed,
                test_fraction,
            ),
            DatasetKind::Regression => {
                synthetic::regression(n, self.features.unwrap_or(8), noise, seed, test_fraction)
            }
            DatasetKind::Images => synthetic::images(n, noise, seed, test_fraction),
            DatasetKind::Idx => {
                idx::load_dir(&self.idx_dir().expect("idx"), self.limit, self.test_limit)?
            }
            DatasetKind::Corpus => {
                let path = self.corpus_path().expect("corpus");
                let corpus = if path.is_dir() {
                    corpus::read_dir(&path)?
                } else {
                    corpus::read_file(&path)?
                };
                self.text(&corpus)?
            }
            DatasetKind::Text => self.text(&corpus::generated(seed, n))?,
            DatasetKind::Sunspots => match &self.file {
                Some(path) => {
                    sunspots::dataset(&sunspots::read(path)?, &path.display().to_string())?
                }
                None => sunspots::dataset(&sunspots::builtin(), sunspots::TABLE_NAME)?,
            },
        };
        if self.standardize.unwrap_or(false) {
            dataset.standardize();
            dataset.source.push_str(", standardised");
        }
        Ok(dataset)
    }

    fn text(&self, corpus: &corpus::Corpus) -> Result<Dataset, DataError> {
        let context = self.steps.unwrap_or(DEFAULT_CONTEXT);
        Ok(text::dataset(corpus, context, self.limit, self.test_limit)?)
    }

    fn bad(&self, option: &str, value: &str, allowed: &str) -> DataError {
        DataError::BadOption {
            dataset: self.kind.name().to_string(),
            option: option.to_string(),
            value: value.to_string(),
            allowed: allowed.to_string(),
        }
    }
}
