//! The activations, one file each, and the registry line that makes each one known.
//!
//! To add an activation: write `src/activation/my_act.rs` (copy `mish.rs`: a Module struct and an
//! `impl ActivationModule` with its `INFO`), then add `pub mod my_act;` and one line
//! `my_act::MyAct,` in the `registry!` list below.

use crate::prelude::*;

pub mod celu;
pub mod elu;
pub mod gelu;
pub mod gelu_tanh;
pub mod hard_sigmoid;
pub mod hard_swish;
pub mod identity;
pub mod leaky_relu;
pub mod log_sigmoid;
pub mod mish;
pub mod prelu;
pub mod relu;
pub mod relu6;
pub mod selu;
pub mod sigmoid;
pub mod softplus;
pub mod softsign;
pub mod swish;
pub mod tanh;

/// Generates, from one line per activation (`file::Type`, the file declared above):
/// - the [`Activation`](crate::Activation) enum, a burn Module with one variant per activation,
/// - [`REGISTRY`](crate::REGISTRY), the static list of [`ActivationInfo`],
/// - [`ActivationConfig::init`](crate::ActivationConfig::init).
macro_rules! registry {
    ($($file:ident :: $module:ident),+ $(,)?) => {
        /// Any registered activation, as a burn Module. Built by [`ActivationConfig::init`].
        #[derive(burn::module::Module, Debug)]
        pub enum Activation {
            $(
                #[allow(missing_docs)]
                $module($file::$module),
            )+
            /// A formula activation from a config.
            Formula(crate::formula::FormulaActivation),
        }

        /// Every registered activation, in the order tables list them.
        pub static REGISTRY: &[ActivationInfo] = &[$(<$file::$module as ActivationModule>::INFO),+];

        impl Activation {
            /// Applies the activation element-wise.
            pub fn forward<const D: usize>(&self, x: Tensor<D>) -> Tensor<D> {
                match self {
                    $(Activation::$module(m) => m.forward(x),)+
                    Activation::Formula(m) => m.forward(x),
                }
            }

            /// Registry entry of this activation.
            pub fn info(&self) -> &'static ActivationInfo {
                match self {
                    $(Activation::$module(_) => &<$file::$module as ActivationModule>::INFO,)+
                    Activation::Formula(m) => m.info(),
                }
            }

            /// Its one-pass element kernel, if it has one ([`ActivationModule::kernel`]).
            pub fn kernel(&self) -> Option<crate::fused::Kernel> {
                match self {
                    $(Activation::$module(m) => m.kernel(),)+
                    Activation::Formula(_) => None,
                }
            }

            /// Current values of its trained parameters (empty for most activations).
            pub fn learned(&self) -> Vec<(&'static str, f64)> {
                match self {
                    $(Activation::$module(m) => m.learned(),)+
                    Activation::Formula(m) => m.learned(),
                }
            }
        }

        impl ActivationConfig {
            /// Builds the activation module on `device`.
            pub fn init(&self, device: &Device) -> Activation {
                if let Some(formula) = self.formula() {
                    let values: Vec<f64> = self.info().params.iter().map(|p| self.number(p.name)).collect();
                    return Activation::Formula(crate::formula::FormulaActivation::new(formula, &values, device));
                }
                $(
                    if self.name() == <$file::$module as ActivationModule>::INFO.name {
                        return Activation::$module(<$file::$module as ActivationModule>::init(self, device));
                    }
                )+
                unreachable!("a validated config names a registered activation")
            }
        }
    };
}

registry! {
    identity::Identity,
    sigmoid::Sigmoid,
    tanh::Tanh,
    relu::Relu,
    leaky_relu::LeakyRelu,
    prelu::Prelu,
    elu::Elu,
    selu::Selu,
    celu::Celu,
    gelu::Gelu,
    gelu_tanh::GeluTanh,
    swish::Swish,
    mish::Mish,
    softplus::Softplus,
    softsign::Softsign,
    hard_sigmoid::HardSigmoid,
    hard_swish::HardSwish,
    relu6::Relu6,
    log_sigmoid::LogSigmoid,
}
