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
//!
//! # In your own burn model
//!
//! An [`Activation`] is a burn Module, so it is a field like any layer. Here an MLP with two
//! hidden layers: the first uses Mish (a registry entry), the second a formula activation,
//! `x * sigmoid(beta * x)` with a learned `beta` (see [`formula`]; it is checked once, when
//! the text is parsed):
//!
//! ```
//! use actbench_activations::burn;
//! use actbench_activations::{Activation, ActivationConfig, ActivationError};
//! use burn::nn::{Linear, LinearConfig};
//! use burn::prelude::*;
//!
//! #[derive(Module, Debug)]
//! struct Mlp {
//!     hidden: Linear,
//!     mish: Activation,
//!     middle: Linear,
//!     swish: Activation,
//!     output: Linear,
//! }
//!
//! impl Mlp {
//!     fn new(device: &Device) -> Result<Self, ActivationError> {
//!         let mish: ActivationConfig = "mish".parse()?;
//!         let swish: ActivationConfig =
//!             "formula:x * sigmoid(beta * x):beta=1.5:learnable=beta".parse()?;
//!         Ok(Self {
//!             hidden: LinearConfig::new(4, 16).init(device),
//!             mish: mish.init(device),
//!             middle: LinearConfig::new(16, 16).init(device),
//!             swish: swish.init(device),
//!             output: LinearConfig::new(16, 3).init(device),
//!         })
//!     }
//!
//!     fn forward(&self, x: Tensor<2>) -> Tensor<2> {
//!         let x = self.mish.forward(self.hidden.forward(x));
//!         let x = self.swish.forward(self.middle.forward(x));
//!         self.output.forward(x)
//!     }
//! }
//!
//! let device = Device::flex();
//! let model = Mlp::new(&device)?;
//! let logits = model.forward(Tensor::ones([8, 4], &device));
//! assert_eq!(logits.dims(), [8, 3]);
//! assert_eq!(model.mish.info().name, "mish");
//! assert_eq!(model.swish.learned(), [("beta", 1.5)]);
//! # Ok::<(), ActivationError>(())
//! ```

#![warn(missing_docs)]

pub mod activation;
pub mod backend;
mod closest;
pub mod config;
pub mod curve;
pub mod derivative;
pub mod error;
pub mod formula;
// `unsafe` only in the kernels (`fused/`), each block with a SAFETY comment (workspace lints).
#[allow(unsafe_code)]
pub mod fused;
pub mod gated;
pub mod gpu;
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
pub use gated::GatedActivation;
pub use info::{ActivationInfo, Family, ParamKind, ParamSpec, Properties};
pub use module::ActivationModule;
pub use output::OutputActivation;
