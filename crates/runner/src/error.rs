//! Errors the CLI reports, each with its exit code: 2 for bad input (usage, config, data),
//! 1 for failures while running.

use thiserror::Error;

/// Exit code after an interrupt (128 + SIGINT, as shells report it).
pub const INTERRUPTED: u8 = 130;

/// Anything that stops a command.
#[derive(Debug, Error)]
pub enum CliError {
    /// The user asked for something invalid.
    #[error("{0}")]
    Usage(String),
    /// Something failed while running.
    #[error("{0}")]
    Runtime(String),
    /// The user interrupted the run (Ctrl-C, SIGTERM).
    #[error("{0}")]
    Interrupted(String),
}

impl CliError {
    /// Process exit code.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Usage(_) => 2,
            CliError::Runtime(_) => 1,
            CliError::Interrupted(_) => INTERRUPTED,
        }
    }
}

impl From<actbench_activations::ActivationError> for CliError {
    fn from(e: actbench_activations::ActivationError) -> Self {
        CliError::Usage(e.to_string())
    }
}

impl From<actbench_activations::backend::BackendError> for CliError {
    fn from(e: actbench_activations::backend::BackendError) -> Self {
        use actbench_activations::backend::BackendError::*;
        match e {
            NoDevice { .. } => CliError::Runtime(e.to_string()),
            NotCompiled { .. } | Unknown(_) => CliError::Usage(e.to_string()),
        }
    }
}
