//! A model that cannot be built for its dataset.

use thiserror::Error;

/// The model config does not fit the data or is out of range.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum ModelError {
    /// An option is out of range.
    #[error("model `{model}`: `{option}` = {value} is not allowed; it must be {allowed}")]
    BadOption {
        /// The model kind.
        model: &'static str,
        /// The option.
        option: &'static str,
        /// The value given.
        value: String,
        /// What the option allows.
        allowed: String,
    },
    /// Too many parameters to train here.
    #[error(
        "model `{model}` would have {parameters} parameters; the limit is {limit} (use a smaller depth, width or channels)"
    )]
    TooLarge {
        /// The model kind.
        model: &'static str,
        /// Parameters the config asks for.
        parameters: u128,
        /// The most allowed.
        limit: u128,
    },
    /// The model cannot use this activation or output for this task.
    #[error("model `{model}`: {problem}")]
    Unsupported {
        /// The model kind.
        model: &'static str,
        /// What it cannot do, and what to use instead.
        problem: String,
    },
    /// The dataset's inputs do not have the shape this model reads.
    #[error("model `{model}` cannot read {input}: {hint}")]
    WrongInput {
        /// The model kind.
        model: &'static str,
        /// The dataset's input shape.
        input: String,
        /// Which shape the model reads, and what to use instead.
        hint: &'static str,
    },
}
