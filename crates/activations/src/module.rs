//! The trait every activation implements, so the registry can build and run it.

use burn::prelude::*;

use crate::config::ActivationConfig;
use crate::fused::Kernel;
use crate::info::ActivationInfo;

/// An activation function as a burn Module.
///
/// Implementations live one per file in `src/activation/`; the registry
/// (`src/activation/mod.rs`) lists them. Everything the rest of actbench needs to know about an
/// activation comes from [`ActivationModule::INFO`], never from its name.
pub trait ActivationModule: Sized {
    /// The registry entry: name, formula, family, properties, parameters.
    const INFO: ActivationInfo;

    /// Builds the module from a validated config (its parameters are all present and in range).
    fn init(config: &ActivationConfig, device: &Device) -> Self;

    /// Applies the activation element-wise.
    fn forward<const D: usize>(&self, x: Tensor<D>) -> Tensor<D>;

    /// The one-pass element kernel this activation runs on the backends that have the kernels
    /// (`fused::supported`), if it has one: [`ActivationModule::forward`] uses it, and models use it
    /// to fuse a whole step (a recurrent cell) around the activation. `None` (the default) for
    /// activations with trained parameters or without an element formula in `fused::Kernel`.
    fn kernel(&self) -> Option<Kernel> {
        None
    }

    /// Current values of trained parameters (PReLU's slope, learnable Swish's beta).
    fn learned(&self) -> Vec<(&'static str, f64)> {
        Vec::new()
    }
}
