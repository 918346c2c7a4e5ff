//! Formula activations: an activation stated as a formula in a config or on the command line,
//! with no Rust and no rebuild.
//!
//! ```toml
//! activations = [
//!     "relu",
//!     { name = "sq-swish", formula = "x * sigmoid(x)^2" },
//!     { name = "beta-swish", formula = "x * sigmoid(beta * x)", params = { beta = 1.0 }, learnable = ["beta"] },
//! ]
//! ```
//!
//! On the command line: `formula:x * sigmoid(x)^2`, with parameters as `:beta=1.5` and
//! `:learnable=beta` after the formula.
//!
//! The grammar (see [`syntax`]): numbers, `x`, parameters, `+ - * / ^`, unary minus,
//! comparisons `< <= > >= == !=` (only as the condition of `where(c, a, b)`), and the functions
//! `exp log log1p expm1 sqrt abs tanh sigmoid softplus erf sin cos min max where`. A formula is
//! evaluated as burn tensor operations, so burn's autodiff gives its derivative and every backend
//! runs it; it is composed of several operations, so it costs more than a one-pass kernel.
//!
//! Every formula is checked once, before any training: names, arities, parameters (each given one
//! is used, each used one is given), and finite values and derivatives at 3,995 points of
//! [-1e4, 1e4] in float32 ([`check`]). Checked formulas are kept for the life of the process, so
//! reading a thousand records of one formula checks it once.
//!
//! This file holds the formula types and the Module; checking a spec against the registry and
//! building it ([`FormulaSpec::build`]) is in `formula/build.rs`, so the registry's
//! [`Activation`](crate::Activation) enum can hold a formula without a loop back here.

mod build;
pub mod check;
pub mod expr;
pub mod syntax;

use std::collections::BTreeMap;
use std::sync::Arc;

use burn::module::Param;
use burn::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::ActivationError;
use crate::info::{ActivationInfo, Family, ParamSpec, Properties};
use expr::{Expr, Operand};

/// What the user wrote: the contract of a formula activation in configs and records.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FormulaSpec {
    /// Kebab-case name (`sq-swish`); none for a formula given inline as `formula:...`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The formula in `x`.
    pub formula: String,
    /// Named parameters and their (initial) values.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub params: BTreeMap<String, f64>,
    /// Parameters trained with the network (initialised to their value in `params`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub learnable: Vec<String>,
}

/// A checked formula activation.
#[derive(Debug, Clone)]
pub struct Formula {
    spec: FormulaSpec,
    expr: Expr,
    /// Parameter names, in order (alphabetical).
    names: Vec<String>,
    /// Whether each parameter is learned.
    learned: Vec<bool>,
    info: &'static ActivationInfo,
}

/// Placeholder while a formula is being checked.
static CHECKING: ActivationInfo = ActivationInfo {
    name: "formula",
    formula: "",
    family: Family::Formula,
    properties: Properties {
        zero_centred: false,
        bounded_below: false,
        bounded_above: false,
        monotonic: false,
        smooth: false,
        needs_exp: false,
    },
    params: &[],
    reference: "",
};

impl FormulaSpec {
    /// The label tables use: the name, or `formula:TEXT` plus its parameters.
    pub fn label(&self) -> String {
        match &self.name {
            Some(name) => name.clone(),
            None => {
                let mut label = format!("formula:{}", self.formula.trim());
                for (k, v) in &self.params {
                    label.push_str(&format!(":{k}={v}"));
                }
                for k in &self.learnable {
                    label.push_str(&format!(":learnable={k}"));
                }
                label
            }
        }
    }

    /// Parses the inline form `formula:TEXT[:name=value]...[:learnable=name]...` (the part
    /// after `formula:`).
    pub fn inline(rest: &str) -> Result<FormulaSpec, ActivationError> {
        let mut parts = rest.split(':');
        let formula = parts.next().unwrap_or_default().trim().to_string();
        let mut spec =
            FormulaSpec { name: None, formula, params: BTreeMap::new(), learnable: Vec::new() };
        for part in parts {
            let label = format!("formula:{rest}");
            let (key, value) = part.split_once('=').ok_or_else(|| {
                error(&label, format!("`{part}`: after the formula, give parameters as name=value and learnable=name"))
            })?;
            let (key, value) = (key.trim(), value.trim());
            if key == "learnable" {
                spec.learnable.push(value.to_string());
            } else {
                let number = value.parse::<f64>().map_err(|_| {
                    error(&label, format!("parameter `{key}` = `{value}` is not a number"))
                })?;
                spec.params.insert(key.to_string(), number);
            }
        }
        Ok(spec)
    }
}

fn error(label: &str, message: String) -> ActivationError {
    ActivationError::Formula { label: label.to_string(), message }
}

impl Formula {
    /// The registry-style entry of this formula (built once per formula and process).
    fn leak_info(&self, label: String, properties: Properties) -> &'static ActivationInfo {
        let params: Vec<ParamSpec> = self
            .names
            .iter()
            .zip(&self.learned)
            .map(|(name, learned)| {
                let name: &'static str = Box::leak(name.clone().into_boxed_str());
                let spec = ParamSpec::number(
                    name,
                    self.spec.params[name],
                    f64::NEG_INFINITY,
                    f64::INFINITY,
                    "formula parameter",
                );
                if *learned { spec.trained() } else { spec }
            })
            .collect();
        Box::leak(Box::new(ActivationInfo {
            name: Box::leak(label.into_boxed_str()),
            formula: Box::leak(format!("f(x) = {}", self.spec.formula.trim()).into_boxed_str()),
            family: Family::Formula,
            properties,
            params: Box::leak(params.into_boxed_slice()),
            reference: "formula from the config: composed tensor operations, derivative by autodiff",
        }))
    }

    /// What the user wrote.
    pub fn spec(&self) -> &FormulaSpec {
        &self.spec
    }

    /// Its registry-style entry (name, formula, estimated properties, parameters).
    pub fn info(&self) -> &'static ActivationInfo {
        self.info
    }

    /// The parameters' given values, in order.
    pub fn defaults(&self) -> Vec<f64> {
        self.names.iter().map(|n| self.spec.params[n]).collect()
    }
}

/// A formula activation as a burn Module: fixed parameters as numbers, learned ones as `[1]`
/// parameters.
#[derive(Module, Debug)]
pub struct FormulaActivation {
    #[module(skip)]
    formula: Arc<Formula>,
    #[module(skip)]
    values: Vec<f64>,
    /// The learned parameters, in the order of the formula's learnable ones.
    pub learned: Vec<Param<Tensor<1>>>,
}

impl FormulaActivation {
    /// Builds the module with parameter `values` (in the formula's order).
    pub fn new(formula: &Arc<Formula>, values: &[f64], device: &Device) -> Self {
        let learned = values
            .iter()
            .zip(&formula.learned)
            .filter(|(_, learned)| **learned)
            .map(|(v, _)| Param::from_tensor(Tensor::from_floats([*v as f32], device)))
            .collect();
        Self { formula: formula.clone(), values: values.to_vec(), learned }
    }

    /// Applies the formula element-wise.
    pub fn forward<const D: usize>(&self, x: Tensor<D>) -> Tensor<D> {
        let mut learned = self.learned.iter();
        let operands: Vec<Operand<D>> = self
            .values
            .iter()
            .zip(&self.formula.learned)
            .map(|(v, is_learned)| match is_learned.then(|| learned.next()).flatten() {
                Some(p) => Operand::Tensor(p.val().cast(x.dtype()).reshape([1; D])),
                None => Operand::Number(*v),
            })
            .collect();
        self.formula.expr.eval(&x, &operands)
    }

    /// Its registry-style entry.
    pub fn info(&self) -> &'static ActivationInfo {
        self.formula.info
    }

    /// The learned parameters with their names.
    pub fn learned_params(&self) -> impl Iterator<Item = (&str, &Param<Tensor<1>>)> {
        let names = self.formula.names.iter().zip(&self.formula.learned);
        names.filter(|(_, l)| **l).map(|(n, _)| n.as_str()).zip(&self.learned)
    }

    /// Current values of the learned parameters.
    pub fn learned(&self) -> Vec<(&'static str, f64)> {
        let names = self.info().params.iter().filter(|p| p.learnable).map(|p| p.name);
        names.zip(&self.learned).map(|(n, p)| (n, crate::math::scalar(p.val()))).collect()
    }
}
