//! Looking activations up in the registry ([`REGISTRY`], every activation actbench knows,
//! generated from the list in `src/activation/mod.rs`).

use crate::activation::REGISTRY;
use crate::closest::closest;
use crate::error::ActivationError;
use crate::info::ActivationInfo;

/// The registry entry called `name`, or an error listing every valid name.
pub fn info(name: &str) -> Result<&'static ActivationInfo, ActivationError> {
    REGISTRY.iter().find(|info| info.name == name).ok_or_else(|| {
        ActivationError::UnknownActivation {
            name: name.to_string(),
            suggestion: closest(name, REGISTRY.iter().map(|i| i.name))
                .map(|n| format!(" (did you mean `{n}`?)"))
                .unwrap_or_default(),
            valid: format!(
                "{}; gated (two inputs, for gated feed-forward layers): {}",
                names().join(", "),
                crate::config::gated::spellings()
            ),
        }
    })
}

/// Every registered name, in table order.
pub fn names() -> Vec<&'static str> {
    REGISTRY.iter().map(|i| i.name).collect()
}
