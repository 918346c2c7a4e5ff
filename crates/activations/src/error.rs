//! Errors a user can cause by naming or configuring an activation.

use thiserror::Error;

/// A bad activation name or parameter. Every message says what is valid.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum ActivationError {
    /// No registry entry has this name.
    #[error("unknown activation `{name}`{suggestion}; valid activations: {valid}")]
    UnknownActivation {
        /// The name given.
        name: String,
        /// A " (did you mean `...`?)" hint, or empty.
        suggestion: String,
        /// Every registered name.
        valid: String,
    },
    /// The activation declares no such parameter.
    #[error("activation `{activation}` has no parameter `{param}`; {valid}")]
    UnknownParam {
        /// The activation.
        activation: String,
        /// The parameter name given.
        param: String,
        /// The parameters it takes.
        valid: String,
    },
    /// The value has the wrong type or is out of range.
    #[error(
        "activation `{activation}`: `{param}` = {value} is not allowed; `{param}` must be {allowed}"
    )]
    BadValue {
        /// The activation.
        activation: String,
        /// The parameter.
        param: String,
        /// The value given.
        value: String,
        /// What the parameter allows.
        allowed: String,
    },
    /// More positional values than declared parameters.
    #[error("`{text}` gives more values than the activation has parameters; {valid}")]
    TooManyValues {
        /// The activation.
        activation: String,
        /// The text given.
        text: String,
        /// The parameters it takes.
        valid: String,
    },
    /// A gated activation whose gate is itself gated (`glu:swiglu`).
    #[error(
        "`{text}`: the gate of a gated activation is an element-wise activation (`glu:mish`, `glu:formula:x * tanh(x)`), not another gated one"
    )]
    NestedGate {
        /// The text given.
        text: String,
    },
    /// A formula activation that does not parse, resolve or pass the finiteness check.
    #[error("formula activation `{label}`: {message}")]
    Formula {
        /// The formula's label (its name, or `formula:TEXT`).
        label: String,
        /// What is wrong, and where.
        message: String,
    },
}
