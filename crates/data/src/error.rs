//! Data errors: every message names the file (or the dataset option) and what is wrong.

use std::path::PathBuf;

use thiserror::Error;

/// A dataset that cannot be built or read.
#[derive(Debug, Error)]
pub enum DataError {
    /// A file could not be opened or read.
    #[error("{path}: cannot read: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why it could not be read.
        source: std::io::Error,
    },
    /// A file's content is not what its format requires.
    #[error("{path}: {problem}")]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        problem: String,
    },
    /// The images and labels files disagree.
    #[error("{images} has {image_count} images but {labels} has {label_count} labels")]
    CountMismatch {
        /// The images file.
        images: PathBuf,
        /// Images it holds.
        image_count: usize,
        /// The labels file.
        labels: PathBuf,
        /// Labels it holds.
        label_count: usize,
    },
    /// A directory lacks a file it needs.
    #[error(
        "{dir}: no `{name}` (or `{name}.gz`); an IDX dataset directory holds train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte, raw or gzipped (Debian: apt-get install dataset-fashion-mnist)"
    )]
    MissingFile {
        /// The dataset directory.
        dir: PathBuf,
        /// The file it lacks.
        name: String,
    },
    /// A generator option is out of range.
    #[error("dataset `{dataset}`: `{option}` = {value} is not allowed; it must be {allowed}")]
    BadOption {
        /// The dataset.
        dataset: String,
        /// The option.
        option: String,
        /// The value given.
        value: String,
        /// What the option allows.
        allowed: String,
    },
    /// A text corpus that cannot be read or used (the message names the path and, for the
    /// default corpus, the package).
    #[error(transparent)]
    Corpus(#[from] crate::corpus::CorpusError),
    /// A sunspot table that cannot be read or used (the message names the file and line).
    #[error(transparent)]
    Sunspots(#[from] crate::sunspots::SunspotError),
}

impl DataError {
    /// True when the data is simply not installed (a missing file or directory), as opposed to
    /// present but damaged or misconfigured.
    pub fn is_missing_files(&self) -> bool {
        match self {
            DataError::MissingFile { .. } => true,
            DataError::Io { source, .. } => source.kind() == std::io::ErrorKind::NotFound,
            DataError::Corpus(e) => e.is_missing(),
            DataError::Sunspots(crate::sunspots::SunspotError::Io { source, .. }) => {
                source.kind() == std::io::ErrorKind::NotFound
            }
            _ => false,
        }
    }
}
