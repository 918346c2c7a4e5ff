//! `actbench list activations|backends`.

use std::path::Path;

use actbench_activations::backend::Backend;
use actbench_activations::gated::PUBLISHED;
use actbench_activations::{ActivationInfo, ParamKind, REGISTRY, registry};
use serde_json::json;

use crate::cli::ListWhat;
use actbench::error::CliError;
use actbench::report::format::{Format, grid};
use actbench::report::output::print;

pub fn run(what: ListWhat, config: Option<&Path>, format: Format) -> Result<(), CliError> {
    let (header, rows, json) = match what {
        ListWhat::Activations => {
            let mut infos: Vec<&'static ActivationInfo> = REGISTRY.iter().collect();
            if let Some(path) = config {
                infos.extend(formulas(path)?);
            }
            let (header, mut rows, mut json) = activations(&infos);
            let (gated_rows, gated_json) = gated();
            rows.extend(gated_rows);
            json.as_array_mut().expect("a list").extend(gated_json);
            (header, rows, json)
        }
        ListWhat::Backends if config.is_some() => {
            return Err(CliError::Usage(
                "--config lists a config's activations: use it with `list activations`".into(),
            ));
        }
        ListWhat::Backends => backends(),
    };
    let text = match format {
        Format::Json => serde_json::to_string_pretty(&json).expect("serialisable") + "\n",
        text => grid(text, &header, &rows),
    };
    print(&text)
}

type Listing = (Vec<&'static str>, Vec<Vec<String>>, serde_json::Value);

/// The formula activations of the config at `path`, each once, in the config's order.
fn formulas(path: &Path) -> Result<Vec<&'static ActivationInfo>, CliError> {
    let (config, _) = actbench::config::load(path)?;
    let mut infos: Vec<&'static ActivationInfo> = Vec::new();
    for activation in config.formula_activations() {
        if !infos.iter().any(|i| i.name == activation.info().name) {
            infos.push(activation.info());
        }
    }
    Ok(infos)
}

fn activations(infos: &[&'static ActivationInfo]) -> Listing {
    let header = vec!["name", "formula", "family", "properties", "parameters"];
    let rows = infos
        .iter()
        .map(|info| {
            let params: Vec<String> = info
                .params
                .iter()
                .map(|p| {
                    let learned = if p.learnable { ", learned" } else { "" };
                    format!("{}={}{learned}", p.name, p.default_text())
                })
                .collect();
            vec![
                info.name.to_string(),
                info.formula.to_string(),
                info.family.name().to_string(),
                info.properties.names().join(", "),
                if params.is_empty() { "-".to_string() } else { params.join(", ") },
            ]
        })
        .collect();
    let json = infos
        .iter()
        .map(|info| {
            json!({
                "name": info.name,
                "formula": info.formula,
                "family": info.family.name(),
                "properties": info.properties,
                "parameters": info.params.iter().map(|p| json!({
                    "name": p.name,
                    "help": p.help,
                    "default": match p.kind { ParamKind::Number { default, .. } => json!(default), ParamKind::Flag { default } => json!(default) },
                    "allowed": p.allowed(),
                    "learnable": p.learnable,
                })).collect::<Vec<_>>(),
                "reference": info.reference,
            })
        })
        .collect();
    (header, rows, json)
}

/// The gated activations `f(a) * b` (two inputs, for a transformer's feed-forward layer): the
/// published ones, then `glu:GATE`.
fn gated() -> (Vec<Vec<String>>, Vec<serde_json::Value>) {
    let mut rows = Vec::new();
    let mut json = Vec::new();
    for p in PUBLISHED {
        let gate = registry::info(p.gate).expect("a published gate is registered");
        rows.push(vec![
            p.name.to_string(),
            format!("f(a) * b with f = {}: {}", gate.name, gate.formula),
            "gated".to_string(),
            "two inputs".to_string(),
            format!("those of {}", gate.name),
        ]);
        json.push(
            json!({"name": p.name, "gate": p.gate, "family": "gated", "reference": p.reference}),
        );
    }
    rows.push(vec![
        "glu:GATE".to_string(),
        "f(a) * b with any activation above as f (glu:mish, glu:formula:x * tanh(x))".to_string(),
        "gated".to_string(),
        "two inputs".to_string(),
        "the gate's".to_string(),
    ]);
    (rows, json)
}

fn backends() -> Listing {
    let header = vec!["backend", "compiled", "float64", "cargo feature"];
    let rows = Backend::ALL
        .iter()
        .map(|b| {
            let yes_no = |v: bool| if v { "yes" } else { "no" }.to_string();
            vec![
                b.name().to_string(),
                yes_no(b.is_compiled()),
                yes_no(b.supports_f64()),
                b.feature().to_string(),
            ]
        })
        .collect();
    let json = Backend::ALL
        .iter()
        .map(|b| json!({"backend": b.name(), "compiled": b.is_compiled(), "float64": b.supports_f64(), "feature": b.feature()}))
        .collect();
    (header, rows, json)
}
