//! Starting a backend's device.

use actbench_activations::backend::Backend;
use actbench_activations::burn::prelude::Device;

use crate::error::CliError;

/// Starts `backend`'s device; a GPU backend with no adapter is an error, not a panic message.
pub fn start_device(backend: Backend) -> Result<Device, CliError> {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let device = backend.device();
    std::panic::set_hook(hook);
    Ok(device?)
}
