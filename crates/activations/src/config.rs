//! The one serialisable config every activation is built from.
//!
//! Two spellings, both validated against the registry:
//! - a short string: `relu`, `leaky-relu:0.1` (values in the order the activation declares its
//!   parameters), `swish:beta=1.5:learnable=true` (named values);
//! - a TOML/JSON table: `{ name = "leaky-relu", slope = 0.1 }`.
//!
//! A formula activation (see [`crate::formula`]) is a table with a `formula`
//! (`{ name = "sq-swish", formula = "x * sigmoid(x)^2" }`) or the string `formula:TEXT`.
//!
//! The constructors that look a name up in the registry (`new`, `FromStr`, `Deserialize`,
//! `formula_spec`) are in `config/parse.rs`: this file stays below the registry and the
//! activations, which build themselves from an [`ActivationConfig`].

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize, Serializer};

use crate::error::ActivationError;
use crate::formula::Formula;
use crate::info::{ActivationInfo, ParamKind, ParamSpec};

pub mod gated;
mod parse;

/// A parameter value.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ParamValue {
    /// A switch.
    Flag(bool),
    /// A number.
    Number(f64),
}

impl fmt::Display for ParamValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParamValue::Flag(b) => write!(f, "{b}"),
            ParamValue::Number(v) => write!(f, "{v}"),
        }
    }
}

/// A validated activation choice: a registry entry (or a checked formula) plus a value for every
/// parameter it declares.
#[derive(Debug, Clone)]
pub struct ActivationConfig {
    info: &'static ActivationInfo,
    values: BTreeMap<&'static str, ParamValue>,
    formula: Option<Arc<Formula>>,
    /// Gated: `f(a) * b` over the two halves of a gated feed-forward layer ([`crate::gated`]),
    /// with this activation as the gate `f`.
    gated: bool,
}

impl ActivationConfig {
    /// A formula activation with its parameters at their given values.
    pub fn from_formula(formula: Arc<Formula>) -> Self {
        let info = formula.info();
        let values = info.params.iter().map(|p| (p.name, default_value(p))).collect();
        Self { info, values, formula: Some(formula), gated: false }
    }

    /// This activation as the gate `f` of a gated activation `f(a) * b` ([`crate::gated`]):
    /// `sigmoid` gives GLU, `swish` SwiGLU, `gelu` GEGLU.
    pub fn gated(mut self) -> Self {
        self.gated = true;
        self
    }

    /// True for a gated activation `f(a) * b`, which takes two inputs (a gated feed-forward
    /// layer's two halves); false for an element-wise activation `f(x)`.
    pub fn is_gated(&self) -> bool {
        self.gated
    }

    /// The gate: this activation as the element-wise `f(x)` (itself when not gated).
    pub fn gate(&self) -> ActivationConfig {
        ActivationConfig { gated: false, ..self.clone() }
    }

    /// The formula, for a formula activation.
    pub fn formula(&self) -> Option<&Arc<Formula>> {
        self.formula.as_ref()
    }

    /// Sets one parameter, checking its name, type and range.
    pub fn with(mut self, param: &str, value: ParamValue) -> Result<Self, ActivationError> {
        let spec = self.info.param(param).ok_or_else(|| ActivationError::UnknownParam {
            activation: self.info.name.to_string(),
            param: param.to_string(),
            valid: describe_params(self.info),
        })?;
        check_value(self.info, spec, value)?;
        self.values.insert(spec.name, value);
        Ok(self)
    }

    /// Registry name (`leaky-relu`); for a gated activation, its gate's name (the label tells
    /// the two apart).
    pub fn name(&self) -> &'static str {
        self.info.name
    }

    /// The registry entry.
    pub fn info(&self) -> &'static ActivationInfo {
        self.info
    }

    /// A number parameter. Panics if the activation declares no number called `name`,
    /// which is a bug in the activation's own file, not a user error.
    pub fn number(&self, name: &str) -> f64 {
        match self.values.get(name) {
            Some(ParamValue::Number(v)) => *v,
            other => panic!(
                "activation `{}` has no number parameter `{name}` (found {other:?})",
                self.info.name
            ),
        }
    }

    /// A flag parameter. Panics like [`ActivationConfig::number`].
    pub fn flag(&self, name: &str) -> bool {
        match self.values.get(name) {
            Some(ParamValue::Flag(v)) => *v,
            other => panic!(
                "activation `{}` has no flag parameter `{name}` (found {other:?})",
                self.info.name
            ),
        }
    }

    /// All parameter values, by name.
    pub fn values(&self) -> &BTreeMap<&'static str, ParamValue> {
        &self.values
    }

    /// Short, parseable label: the name, plus the parameters that differ from their defaults
    /// (`leaky-relu:slope=0.1`); a gated activation's is its published name when it has one
    /// (`swiglu`), else `glu:` and its gate's label (`glu:leaky-relu:slope=0.1`).
    pub fn label(&self) -> String {
        if self.gated {
            let gate = self.gate().label();
            return gated::published_name(&gate)
                .map(str::to_string)
                .unwrap_or_else(|| format!("{}{gate}", gated::PREFIX));
        }
        let mut label = self.info.name.to_string();
        for spec in self.info.params {
            let value = self.values[spec.name];
            if value != default_value(spec) {
                label.push_str(&format!(":{}={}", spec.name, value));
            }
        }
        label
    }
}

impl PartialEq for ActivationConfig {
    fn eq(&self, other: &Self) -> bool {
        self.info.name == other.info.name
            && self.gated == other.gated
            && self.values == other.values
            && self.formula.as_ref().map(|f| f.spec()) == other.formula.as_ref().map(|f| f.spec())
    }
}

impl fmt::Display for ActivationConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label())
    }
}

/// Splits a comma-separated list of activations, leaving commas inside parentheses alone:
/// `relu,formula:max(x, 0)` is two activations.
pub fn split_list(text: &str) -> Vec<String> {
    let (mut items, mut current, mut depth) = (Vec::new(), String::new(), 0i32);
    for c in text.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth <= 0 => {
                items.push(std::mem::take(&mut current).trim().to_string());
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    items.push(current.trim().to_string());
    items.into_iter().filter(|s| !s.is_empty()).collect()
}

fn default_value(spec: &ParamSpec) -> ParamValue {
    match spec.kind {
        ParamKind::Number { default, .. } => ParamValue::Number(default),
        ParamKind::Flag { default } => ParamValue::Flag(default),
    }
}

fn check_value(
    info: &ActivationInfo,
    spec: &ParamSpec,
    value: ParamValue,
) -> Result<(), ActivationError> {
    let ok = match (spec.kind, value) {
        (ParamKind::Number { min, max, min_exclusive, .. }, ParamValue::Number(v)) => {
            v.is_finite() && v <= max && (v > min || (!min_exclusive && v == min))
        }
        (ParamKind::Flag { .. }, ParamValue::Flag(_)) => true,
        _ => false,
    };
    if ok { Ok(()) } else { Err(bad_value(info, spec, value.to_string())) }
}

fn bad_value(info: &ActivationInfo, spec: &ParamSpec, value: String) -> ActivationError {
    ActivationError::BadValue {
        activation: info.name.to_string(),
        param: spec.name.to_string(),
        value,
        allowed: spec.allowed(),
    }
}

/// `slope (a number in [0, 1], default 0.01)`, one per parameter; "none" when there are none.
pub(crate) fn describe_params(info: &ActivationInfo) -> String {
    if info.params.is_empty() {
        return format!("`{}` takes no parameters", info.name);
    }
    let list: Vec<String> = info
        .params
        .iter()
        .map(|p| format!("{} ({}, default {})", p.name, p.allowed(), p.default_text()))
        .collect();
    format!("`{}` takes: {}", info.name, list.join(", "))
}

impl Serialize for ActivationConfig {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        if self.gated {
            let mut map = serializer.serialize_map(Some(1))?;
            map.serialize_entry(gated::KEY, &self.gate())?;
            return map.end();
        }
        if let Some(formula) = &self.formula {
            // The current values become the formula's values, so the record rebuilds it exactly.
            let mut spec = formula.spec().clone();
            for (name, value) in &self.values {
                if let ParamValue::Number(v) = value {
                    spec.params.insert(name.to_string(), *v);
                }
            }
            return spec.serialize(serializer);
        }
        let mut map = serializer.serialize_map(Some(1 + self.values.len()))?;
        map.serialize_entry("name", self.info.name)?;
        for spec in self.info.params {
            map.serialize_entry(spec.name, &self.values[spec.name])?;
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_form_positional_and_named() {
        let c: ActivationConfig = "leaky-relu:0.1".parse().unwrap();
        assert_eq!(c.name(), "leaky-relu");
        assert_eq!(c.number("slope"), 0.1);
        let c: ActivationConfig = "swish:beta=1.5:learnable=true".parse().unwrap();
        assert_eq!((c.number("beta"), c.flag("learnable")), (1.5, true));
        let c: ActivationConfig = "swish:2:true".parse().unwrap();
        assert_eq!((c.number("beta"), c.flag("learnable")), (2.0, true));
        assert_eq!("relu".parse::<ActivationConfig>().unwrap().label(), "relu");
    }

    #[test]
    fn lists_split_outside_parentheses() {
        assert_eq!(split_list("relu, mish"), ["relu", "mish"]);
        assert_eq!(
            split_list("relu,formula:where(x > 0, x, min(x, 0)),swish"),
            ["relu", "formula:where(x > 0, x, min(x, 0))", "swish"]
        );
        assert!(split_list(" , ").is_empty());
    }

    #[test]
    fn label_is_canonical_and_round_trips() {
        let c: ActivationConfig = "elu:alpha=0.5".parse().unwrap();
        assert_eq!(c.label(), "elu:alpha=0.5");
        assert_eq!(c.label().parse::<ActivationConfig>().unwrap(), c);
        assert_eq!("leaky-relu:0.01".parse::<ActivationConfig>().unwrap().label(), "leaky-relu");
    }

    #[test]
    fn toml_table_and_string_forms() {
        #[derive(Deserialize)]
        struct File {
            a: ActivationConfig,
            b: ActivationConfig,
            c: ActivationConfig,
        }
        let file: File = toml::from_str("a = \"mish\"\nb = { name = \"leaky-relu\", slope = 0.2 }\nc = { name = \"elu\", alpha = 2 }").unwrap();
        assert_eq!(file.a.name(), "mish");
        assert_eq!(file.b.number("slope"), 0.2);
        assert_eq!(file.c.number("alpha"), 2.0);
    }

    #[test]
    fn serialises_as_a_full_table() {
        let c: ActivationConfig = "swish:1.5".parse().unwrap();
        let json = serde_json::to_string(&c).unwrap();
        assert_eq!(json, r#"{"name":"swish","beta":1.5,"learnable":false}"#);
        assert_eq!(serde_json::from_str::<ActivationConfig>(&json).unwrap(), c);
    }

    #[test]
    fn unknown_name_lists_valid_names_and_suggests() {
        let e = "reul".parse::<ActivationConfig>().unwrap_err().to_string();
        assert!(e.contains("unknown activation `reul`"), "{e}");
        assert!(e.contains("did you mean `relu`"), "{e}");
        assert!(e.contains("leaky-relu") && e.contains("mish") && e.contains("selu"), "{e}");
    }

    #[test]
    fn bad_parameters_say_what_is_allowed() {
        let e = "leaky-relu:2".parse::<ActivationConfig>().unwrap_err().to_string();
        assert!(e.contains("`slope` = 2 is not allowed") && e.contains("[0, 1]"), "{e}");
        let e = "elu:alpha=-1".parse::<ActivationConfig>().unwrap_err().to_string();
        assert!(e.contains("(0, 100]"), "{e}");
        let e = "elu:beta=1".parse::<ActivationConfig>().unwrap_err().to_string();
        assert!(e.contains("no parameter `beta`") && e.contains("alpha"), "{e}");
        let e = "relu:0.1".parse::<ActivationConfig>().unwrap_err().to_string();
        assert!(e.contains("takes no parameters"), "{e}");
        let e = "swish:abc".parse::<ActivationConfig>().unwrap_err().to_string();
        assert!(e.contains("`beta` = abc"), "{e}");
        let e = "swish:1:maybe".parse::<ActivationConfig>().unwrap_err().to_string();
        assert!(e.contains("true or false"), "{e}");
        let e = "leaky-relu:nan".parse::<ActivationConfig>().unwrap_err().to_string();
        assert!(e.contains("not allowed"), "{e}");
        let e = toml::from_str::<std::collections::BTreeMap<String, ActivationConfig>>(
            "a = { name = \"elu\", alpha = \"x\" }",
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("`alpha` = x") || e.contains("alpha"), "{e}");
    }

    #[test]
    fn every_registry_entry_has_valid_defaults() {
        for info in crate::REGISTRY {
            let c = ActivationConfig::new(info.name).unwrap();
            assert_eq!(c.label(), info.name);
            assert!(
                info.name
                    .chars()
                    .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-'),
                "{} is not kebab-case",
                info.name
            );
        }
        let mut names = crate::registry::names();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), crate::REGISTRY.len(), "registry names are unique");
    }
}
