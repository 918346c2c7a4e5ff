//! Checking a [`FormulaSpec`] into a [`Formula`], once per process: its name against the
//! registry, its parameters, its syntax, and its values and derivatives ([`check`](super::check)).

use std::sync::{Arc, Mutex};

use super::expr::{self, Function};
use super::{CHECKING, Formula, FormulaSpec, check, error, syntax};
use crate::error::ActivationError;
use crate::registry;

/// Checked formulas, kept for the life of the process (each one's registry entry is built once).
static CHECKED: Mutex<Vec<Arc<Formula>>> = Mutex::new(Vec::new());

impl FormulaSpec {
    /// Checks the formula (once per process) and returns it.
    pub fn build(&self) -> Result<Arc<Formula>, ActivationError> {
        let mut checked = CHECKED.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(found) = checked.iter().find(|f| &f.spec == self) {
            return Ok(found.clone());
        }
        let formula = Arc::new(Formula::check(self.clone())?);
        checked.push(formula.clone());
        Ok(formula)
    }
}

/// `message at column N` with the formula and a caret under the column.
fn at(text: &str, offset: usize, message: &str) -> String {
    let offset = offset.min(text.len());
    let column = text[..offset].chars().count() + 1;
    format!("{message} (column {column})\n    {text}\n    {}^", " ".repeat(column - 1))
}

impl Formula {
    fn check(spec: FormulaSpec) -> Result<Formula, ActivationError> {
        let label = spec.label();
        let fail = |message: String| Err(error(&label, message));
        if let Some(name) = &spec.name {
            let kebab = name.starts_with(|c: char| c.is_ascii_lowercase())
                && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
            if !kebab {
                return fail(format!(
                    "the name `{name}` is not allowed: a name is kebab-case (lower-case letters, digits and -, starting with a letter)"
                ));
            }
            if registry::info(name).is_ok() {
                return fail(format!(
                    "the name `{name}` is already a registered activation; pick another name (registered: {})",
                    registry::names().join(", ")
                ));
            }
        }
        let names: Vec<String> = spec.params.keys().cloned().collect();
        for (name, value) in &spec.params {
            let identifier = name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            if !identifier || name == "x" || Function::named(name).is_some() {
                return fail(format!(
                    "parameter name `{name}` is not allowed: it must be a name (letters, digits, _) other than x and the function names"
                ));
            }
            if !value.is_finite() {
                return fail(format!("parameter `{name}` = {value} is not a finite number"));
            }
        }
        for name in &spec.learnable {
            if !spec.params.contains_key(name) {
                return fail(format!(
                    "learnable parameter `{name}` is not in params; give its initial value: params = {{ {name} = 1.0 }}"
                ));
            }
        }
        let text = spec.formula.as_str();
        let syntax = syntax::parse(text).map_err(|e| {
            error(&label, at(text, e.offset, &format!("syntax error: {}", e.message)))
        })?;
        let expr = expr::resolve(&syntax, &names, text)
            .map_err(|e| error(&label, at(text, e.span.start, &e.message)))?;
        if !expr.uses_x() {
            return fail(format!("the formula `{text}` does not use x"));
        }
        if let Some((_, name)) = names.iter().enumerate().find(|(i, _)| !expr.uses_param(*i)) {
            return fail(format!("parameter `{name}` is given but the formula does not use it"));
        }
        let learned = names.iter().map(|n| spec.learnable.contains(n)).collect();
        let mut formula = Formula { spec, expr, names, learned, info: &CHECKING };
        let sampled = check::sample(&Arc::new(formula.clone())).map_err(|e| error(&label, e))?;
        if let Some(problem) = check::problem(&formula, &sampled) {
            return fail(problem);
        }
        let properties = check::properties(&formula, &sampled);
        formula.info = formula.leak_info(label, properties);
        Ok(formula)
    }
}
