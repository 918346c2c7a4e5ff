//! What an activation file needs, in one import.

pub use burn::module::Param;
pub use burn::prelude::*;

pub use crate::config::ActivationConfig;
pub use crate::fused::Kernel;
pub use crate::info::{ActivationInfo, Family, ParamSpec, Properties};
pub use crate::math::scalar;
pub use crate::module::ActivationModule;
