//! Errors a user can cause by naming or configuring an activation.

use thiserror::Error;

/// A bad activation name or parameter. Every message says what is valid.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum ActivationError {
    /// No registry entry has this name.
    #[error("unknown activation `{name}`{suggestion}; valid activations: {valid}")]
    UnknownActivation { name: String, suggestion: String, valid: String },
    /// The activation declares no such parameter.
    #[error("activation `{activation}` has no parameter `{param}`; {valid}")]
    UnknownParam { activation: String, param: String, valid: String },
    /// The value has the wrong type or is out of range.
    #[error(
        "activation `{activation}`: `{param}` = {value} is not allowed; `{param}` must be {allowed}"
    )]
    BadValue { activation: String, param: String, value: String, allowed: String },
    /// More positional values than declared parameters.
    #[error("`{text}` gives more values than the activation has parameters; {valid}")]
    TooManyValues { activation: String, text: String, valid: String },
    /// A formula activation that does not parse, resolve or pass the finiteness check.
    #[error("formula activation `{label}`: {message}")]
    Formula { label: String, message: String },
}
