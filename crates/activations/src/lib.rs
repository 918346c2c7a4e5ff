//! Activation functions as burn Modules, and the registry that describes them.
//!
//! Every activation is data (its [`ActivationInfo`]: name, formula, family, properties,
//! parameters) plus a Module (`forward`). Models and reports use the data, never the name.
//!
//! ```no_run
//! use actbench_activations::{ActivationConfig, backend::Backend};
//! use burn::prelude::*;
//!
//! let device = Backend::Flex.device().unwrap();
//! let config: ActivationConfig = "leaky-relu:0.1".parse().unwrap();
//! let activation = config.init(&device);
//! let y = activation.forward(Tensor::<1>::from_floats([-1.0, 2.0], &device));
//! ```

// `unsafe` only in the kernels (`fused/`), each block with a SAFETY comment.
#![deny(unsafe_op_in_unsafe_fn, clippy::undocumented_unsafe_blocks)]

pub mod activation;
pub mod backend;
pub mod config;
pub mod curve;
pub mod derivative;
pub mod error;
pub mod formula;
pub mod fused;
pub mod info;
pub mod math;
pub mod module;
pub mod output;
pub mod prelude;
pub mod registry;

pub use activation::{Activation, REGISTRY};
pub use burn;
pub use config::{ActivationConfig, ParamValue};
pub use error::ActivationError;
pub use formula::{Formula, FormulaSpec};
pub use info::{ActivationInfo, Family, ParamKind, ParamSpec, Properties};
pub use module::ActivationModule;
pub use output::OutputActivation;
