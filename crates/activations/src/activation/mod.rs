//! The activations, one file each, and the registry line that makes each one known.
//!
//! To add an activation: write `src/activation/my_act.rs` (copy `mish.rs`: a Module struct and an
//! `impl ActivationModule` with its `INFO`), then add one line `my_act::MyAct,` below.

use crate::prelude::*;

crate::registry::registry! {
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
