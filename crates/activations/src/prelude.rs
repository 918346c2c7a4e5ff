//! What an activation file needs, in one import.

pub use burn::module::Param;
pub use burn::prelude::*;

pub use crate::config::ActivationConfig;
pub use crate::fused::Kernel;
pub use crate::info::{ActivationInfo, Family, ParamSpec, Properties};
pub use crate::module::ActivationModule;

/// The value of a one-element tensor, as f64 (for recording trained parameters).
pub fn scalar(t: Tensor<1>) -> f64 {
    t.into_data().iter::<f64>().next().unwrap_or(f64::NAN)
}
