//! Datasets for actbench: built-in tasks generated from a seed (no download), real images
//! from local IDX files (MNIST, Fashion-MNIST), and character text (Debian's fortunes, or
//! generated text) for a language model.
//!
//! Everything is a [`Dataset`]: inputs as row-major `f32` rows, targets as class indices or
//! values, a train and a test split, and a [`Task`] that says what the targets mean.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod augment;
pub mod config;
pub mod corpus;
pub mod dataset;
pub mod error;
pub mod idx;
pub mod rng;
pub mod sunspots;
pub mod synthetic;
pub mod text;

pub use config::{DatasetConfig, DatasetKind};
pub use dataset::{Baseline, Dataset, Forecast, InputShape, Period, Split, Targets, Task};
pub use error::DataError;
