//! What the registry knows about an activation: data, not code.

use serde::Serialize;

/// Static description of one activation function. Every activation file declares one.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct ActivationInfo {
    /// Kebab-case name used in configs, results and tables (`leaky-relu`).
    pub name: &'static str,
    /// Plain-text formula.
    pub formula: &'static str,
    /// The family it belongs to.
    pub family: Family,
    /// Mathematical properties, used by reports and guidelines instead of names.
    pub properties: Properties,
    /// Parameters the config may set, in the order the short form `name:v1:v2` takes them.
    pub params: &'static [ParamSpec],
    /// Paper or source that introduced it.
    pub reference: &'static str,
}

impl ActivationInfo {
    /// The parameter spec called `name`, if any.
    pub fn param(&self, name: &str) -> Option<&'static ParamSpec> {
        self.params.iter().find(|p| p.name == name)
    }
}

/// Activation families, as the guideline catalogue groups them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Family {
    /// No nonlinearity at all.
    Linear,
    /// Logistic-shaped, saturating on both sides (sigmoid, tanh, softsign, hard-sigmoid).
    SigmoidFamily,
    /// Piecewise linear with a kink at zero (ReLU and its variants).
    ReluFamily,
    /// Exponential negative branch (ELU, SELU, CELU).
    ExponentialLinear,
    /// x times a gate computed from x (Swish, Mish, GELU, hard-swish).
    SelfGated,
    /// Smooth approximations of ReLU (softplus).
    SmoothRelu,
    /// A formula from a config (its properties are estimated on a grid).
    Formula,
}

impl Family {
    /// Kebab-case name, as printed in tables.
    pub fn name(self) -> &'static str {
        match self {
            Family::Linear => "linear",
            Family::SigmoidFamily => "sigmoid-family",
            Family::ReluFamily => "relu-family",
            Family::ExponentialLinear => "exponential-linear",
            Family::SelfGated => "self-gated",
            Family::SmoothRelu => "smooth-relu",
            Family::Formula => "formula",
        }
    }
}

/// Mathematical properties of an activation (with its default parameters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Properties {
    /// f(0) = 0 and outputs take both signs, so mean activations can sit near zero.
    pub zero_centred: bool,
    /// Bounded below.
    pub bounded_below: bool,
    /// Bounded above.
    pub bounded_above: bool,
    /// Monotonic non-decreasing.
    pub monotonic: bool,
    /// Continuously differentiable everywhere.
    pub smooth: bool,
    /// Needs an exponential (or erf/tanh) per element.
    pub needs_exp: bool,
}

impl Properties {
    /// The names of the properties that hold, for tables.
    pub fn names(&self) -> Vec<&'static str> {
        let all = [
            (self.zero_centred, "zero-centred"),
            (self.bounded_below, "bounded-below"),
            (self.bounded_above, "bounded-above"),
            (self.monotonic, "monotonic"),
            (self.smooth, "smooth"),
            (self.needs_exp, "needs-exp"),
        ];
        all.iter().filter(|(on, _)| *on).map(|(_, n)| *n).collect()
    }
}

/// One parameter an activation's config may set.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct ParamSpec {
    /// Name in configs (`slope`, `alpha`, `beta`, `learnable`).
    pub name: &'static str,
    /// What it means.
    pub help: &'static str,
    /// Its type, default and allowed range.
    pub kind: ParamKind,
    /// True when the value is the initial value of a trained parameter.
    pub learnable: bool,
}

/// Type, default and allowed values of a parameter.
#[derive(Debug, Clone, Copy, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ParamKind {
    /// A real number in `[min, max]`, or `(min, max]` when `min_exclusive`.
    Number {
        /// Value when the config does not set it.
        default: f64,
        /// Lower bound.
        min: f64,
        /// Upper bound (inclusive).
        max: f64,
        /// Whether `min` itself is excluded.
        min_exclusive: bool,
    },
    /// A switch.
    Flag {
        /// Value when the config does not set it.
        default: bool,
    },
}

impl ParamSpec {
    /// A number parameter with an inclusive range.
    pub const fn number(
        name: &'static str,
        default: f64,
        min: f64,
        max: f64,
        help: &'static str,
    ) -> Self {
        Self {
            name,
            help,
            kind: ParamKind::Number { default, min, max, min_exclusive: false },
            learnable: false,
        }
    }

    /// A number parameter that must be strictly above `min`.
    pub const fn positive(name: &'static str, default: f64, max: f64, help: &'static str) -> Self {
        Self {
            name,
            help,
            kind: ParamKind::Number { default, min: 0.0, max, min_exclusive: true },
            learnable: false,
        }
    }

    /// A switch.
    pub const fn flag(name: &'static str, default: bool, help: &'static str) -> Self {
        Self { name, help, kind: ParamKind::Flag { default }, learnable: false }
    }

    /// Marks the parameter as the initial value of a trained parameter.
    pub const fn trained(mut self) -> Self {
        self.learnable = true;
        self
    }

    /// Human-readable description of the allowed values.
    pub fn allowed(&self) -> String {
        match self.kind {
            ParamKind::Number { min, max, min_exclusive, .. } => {
                let lo = if min_exclusive { "(" } else { "[" };
                format!("a number in {lo}{}, {}]", fmt_bound(min), fmt_bound(max))
            }
            ParamKind::Flag { .. } => "true or false".to_string(),
        }
    }

    /// The default, as text.
    pub fn default_text(&self) -> String {
        match self.kind {
            ParamKind::Number { default, .. } => format!("{default}"),
            ParamKind::Flag { default } => format!("{default}"),
        }
    }
}

fn fmt_bound(v: f64) -> String {
    if v.is_infinite() {
        if v > 0.0 { "inf".into() } else { "-inf".into() }
    } else {
        format!("{v}")
    }
}
