//! Building a config from what the user wrote (a name, a short string, a TOML/JSON table, a
//! formula), validated against the registry.

use std::collections::BTreeMap;
use std::str::FromStr;

use serde::{Deserialize, Deserializer};

use super::{ActivationConfig, ParamValue, bad_value, default_value, describe_params};
use crate::error::ActivationError;
use crate::formula::FormulaSpec;
use crate::info::{ActivationInfo, ParamKind, ParamSpec};
use crate::registry;

impl ActivationConfig {
    /// The activation called `name` with default parameters.
    pub fn new(name: &str) -> Result<Self, ActivationError> {
        let info = registry::info(name)?;
        let values = info.params.iter().map(|p| (p.name, default_value(p))).collect();
        Ok(Self { info, values, formula: None, gated: false })
    }

    /// Checks `spec` (see [`crate::formula`]) and builds its config.
    pub fn formula_spec(spec: &FormulaSpec) -> Result<Self, ActivationError> {
        spec.build().map(Self::from_formula)
    }
}

impl FromStr for ActivationConfig {
    type Err = ActivationError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        if let Some(gate) = super::gated::gate_text(text.trim()) {
            let gate: ActivationConfig = gate.parse()?;
            if gate.is_gated() {
                return Err(ActivationError::NestedGate { text: text.trim().to_string() });
            }
            return Ok(gate.gated());
        }
        if let Some(rest) = text.trim().strip_prefix("formula:") {
            return Self::formula_spec(&FormulaSpec::inline(rest)?);
        }
        let mut parts = text.trim().split(':');
        let name = parts.next().unwrap_or_default().trim();
        let mut config = Self::new(name)?;
        let info = config.info;
        for (position, part) in parts.enumerate() {
            let part = part.trim();
            let (spec, raw) = match part.split_once('=') {
                Some((key, raw)) => {
                    let spec =
                        info.param(key.trim()).ok_or_else(|| ActivationError::UnknownParam {
                            activation: info.name.to_string(),
                            param: key.trim().to_string(),
                            valid: describe_params(info),
                        })?;
                    (spec, raw.trim())
                }
                None => {
                    let spec = info.params.get(position).ok_or_else(|| {
                        ActivationError::TooManyValues {
                            activation: info.name.to_string(),
                            text: text.to_string(),
                            valid: describe_params(info),
                        }
                    })?;
                    (spec, part)
                }
            };
            let value = parse_value(info, spec, raw)?;
            config = config.with(spec.name, value)?;
        }
        Ok(config)
    }
}

fn parse_value(
    info: &ActivationInfo,
    spec: &ParamSpec,
    raw: &str,
) -> Result<ParamValue, ActivationError> {
    let parsed = match spec.kind {
        ParamKind::Number { .. } => raw.parse::<f64>().ok().map(ParamValue::Number),
        ParamKind::Flag { .. } => raw.parse::<bool>().ok().map(ParamValue::Flag),
    };
    parsed.ok_or_else(|| bad_value(info, spec, raw.to_string()))
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawConfig {
    Short(String),
    Formula(FormulaSpec),
    Gated(GatedTable),
    Table {
        name: String,
        #[serde(flatten)]
        params: BTreeMap<String, ParamValue>,
    },
}

/// `{ glu = GATE }`: a gated activation with any activation as its gate.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GatedTable {
    glu: ActivationConfig,
}

impl<'de> Deserialize<'de> for ActivationConfig {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = RawConfig::deserialize(deserializer).map_err(|_| {
            serde::de::Error::custom(
                "an activation is a string like \"leaky-relu:0.1\" or \"swiglu\", a table like { name = \"leaky-relu\", slope = 0.1 }, a gated activation like { glu = \"mish\" }, or a formula like { name = \"my-act\", formula = \"x * sigmoid(beta * x)\", params = { beta = 1.0 }, learnable = [\"beta\"] } (params: numbers; learnable: parameter names; no other keys)",
            )
        })?;
        let config = match raw {
            RawConfig::Short(text) => text.parse(),
            RawConfig::Formula(spec) => ActivationConfig::formula_spec(&spec),
            RawConfig::Gated(GatedTable { glu }) if glu.is_gated() => {
                Err(ActivationError::NestedGate { text: glu.label() })
            }
            RawConfig::Gated(GatedTable { glu }) => Ok(glu.gated()),
            RawConfig::Table { name, params } => ActivationConfig::new(&name).and_then(|config| {
                params.into_iter().try_fold(config, |config, (key, value)| config.with(&key, value))
            }),
        };
        config.map_err(serde::de::Error::custom)
    }
}
