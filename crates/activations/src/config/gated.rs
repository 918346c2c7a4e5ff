//! How gated activations are spelled: the published names (`swiglu`), `glu:GATE` for any gate,
//! and the `{ glu = GATE }` table. The modules themselves are in [`crate::gated`].

/// The prefix that makes any activation a gate: `glu:mish`, `glu:leaky-relu:0.1`,
/// `glu:formula:x * tanh(x)`.
pub const PREFIX: &str = "glu:";

/// The key of the table spelling, `{ glu = "mish" }`, and of the serialised form.
pub const KEY: &str = "glu";

/// A gated activation with a name of its own in the literature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Published {
    /// Its name in configs and tables.
    pub name: &'static str,
    /// The gate `f` in `f(a) * b`, as an activation label.
    pub gate: &'static str,
    /// Where it comes from.
    pub reference: &'static str,
}

/// The gated activations of Shazeer 2020, "GLU Variants Improve Transformer" (arXiv
/// 2002.05202), Table 1, in his order, plus GEGLU with GELU's tanh form.
pub const PUBLISHED: &[Published] = &[
    Published {
        name: "glu",
        gate: "sigmoid",
        reference: "Dauphin, Fan, Auli & Grangier 2017, Language Modeling with Gated Convolutional Networks",
    },
    Published {
        name: "bilinear",
        gate: "identity",
        reference: "Mnih & Hinton 2007; Shazeer 2020, GLU Variants Improve Transformer",
    },
    Published {
        name: "reglu",
        gate: "relu",
        reference: "Shazeer 2020, GLU Variants Improve Transformer",
    },
    Published {
        name: "geglu",
        gate: "gelu",
        reference: "Shazeer 2020, GLU Variants Improve Transformer (T5 v1.1)",
    },
    Published {
        name: "geglu-tanh",
        gate: "gelu-tanh",
        reference: "Shazeer 2020 with GELU's tanh approximation (T5 v1.1's code, Gemma)",
    },
    Published {
        name: "swiglu",
        gate: "swish",
        reference: "Shazeer 2020, GLU Variants Improve Transformer (PaLM, LLaMA)",
    },
];

/// The published name of the gated activation whose gate has the label `gate`, if it has one.
pub fn published_name(gate: &str) -> Option<&'static str> {
    PUBLISHED.iter().find(|p| p.gate == gate).map(|p| p.name)
}

/// The gate's spelling when `text` spells a gated activation: `glu:REST` gives `REST`, a
/// published name gives its gate (`swiglu` -> `swish`), with any parameters after it kept
/// (`swiglu:beta=2` -> `swish:beta=2`). `None` for an element-wise activation.
pub fn gate_text(text: &str) -> Option<String> {
    if let Some(rest) = text.strip_prefix(PREFIX) {
        return Some(rest.to_string());
    }
    PUBLISHED.iter().find_map(|p| {
        if text == p.name {
            Some(p.gate.to_string())
        } else {
            text.strip_prefix(p.name)
                .and_then(|rest| rest.strip_prefix(':'))
                .map(|params| format!("{}:{params}", p.gate))
        }
    })
}

/// `glu, bilinear, reglu, geglu, geglu-tanh, swiglu, glu:GATE`, for error messages and `list`.
pub fn spellings() -> String {
    let mut names: Vec<&str> = PUBLISHED.iter().map(|p| p.name).collect();
    names.push("glu:GATE (any activation as the gate)");
    names.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_names_and_prefix_spell_their_gates() {
        assert_eq!(gate_text("swiglu").as_deref(), Some("swish"));
        assert_eq!(gate_text("swiglu:beta=2").as_deref(), Some("swish:beta=2"));
        assert_eq!(gate_text("glu").as_deref(), Some("sigmoid"));
        assert_eq!(gate_text("glu:mish").as_deref(), Some("mish"));
        assert_eq!(gate_text("glu:formula:x * tanh(x)").as_deref(), Some("formula:x * tanh(x)"));
        assert_eq!(gate_text("gelu"), None);
        assert_eq!(gate_text("gluon"), None);
        assert_eq!(published_name("gelu-tanh"), Some("geglu-tanh"));
        assert_eq!(published_name("mish"), None);
    }
}
