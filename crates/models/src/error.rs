//! A model that cannot be built for its dataset.

use thiserror::Error;

/// The model config does not fit the data or is out of range.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum ModelError {
    /// An option is out of range.
    #[error("model `{model}`: `{option}` = {value} is not allowed; it must be {allowed}")]
    BadOption { model: &'static str, option: &'static str, value: String, allowed: String },
    /// Too many parameters to train here.
    #[error(
        "model `{model}` would have {parameters} parameters; the limit is {limit} (use a smaller depth, width or channels)"
    )]
    TooLarge { model: &'static str, parameters: u128, limit: u128 },
    /// The dataset's inputs do not have the shape this model reads.
    #[error("model `{model}` cannot read {input}: {hint}")]
    WrongInput { model: &'static str, input: String, hint: &'static str },
}
