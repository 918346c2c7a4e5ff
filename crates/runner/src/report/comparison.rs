//! `compare`'s tables: one row per setting, the paired difference with its interval, effect
//! size, corrected p and the decision; a summary line above.

use crate::compare::{Comparison, Outcome};
use crate::guidelines::engine::{Decision, Method};
use crate::num::num;
use crate::report::format::{Format, grid};

/// `holds`, `fails` or `inconclusive`, as the verdict tables say it.
pub fn verdict(decision: Decision) -> &'static str {
    match decision {
        Decision::Holds => "holds",
        Decision::Fails => "fails",
        Decision::Undecided => "inconclusive",
    }
}

/// The comparison in `format` (JSON: the [`Comparison`] struct).
pub fn render(c: &Comparison, format: Format) -> String {
    if format == Format::Json {
        return serde_json::to_string_pretty(c).expect("serialisable") + "\n";
    }
    let opt = |v: Option<f64>| v.map(num).unwrap_or_else(|| "-".into());
    let header = [
        "experiment",
        "depth",
        "output",
        "backend",
        "unit",
        "n",
        &format!("{} mean", c.a),
        &format!("{} mean", c.b),
        &format!("difference (+: {} better) [95% CI]", c.a),
        "effect",
        "p_adj",
        &format!("{} better", c.a),
        "reading",
    ]
    .map(String::from);
    let rows: Vec<Vec<String>> = c
        .settings
        .iter()
        .map(|s| {
            let p = &s.part;
            let effect = match (p.effect_size, p.method) {
                (Some(e), Method::Sign) => format!("sign {}", num(e)),
                (Some(e), Method::PairedT) => format!("d = {}", num(e)),
                (None, _) => "-".into(),
            };
            vec![
                s.experiment.clone(),
                s.depth.to_string(),
                s.output.clone(),
                s.backend.clone(),
                p.unit.clone(),
                p.n_pairs.to_string(),
                opt(s.mean_a),
                opt(s.mean_b),
                format!(
                    "{} [{}, {}]",
                    opt(p.difference),
                    p.ci_low.map(num).unwrap_or_else(|| "-∞".into()),
                    p.ci_high.map(num).unwrap_or_else(|| "∞".into())
                ),
                effect,
                num(p.p_adjusted),
                verdict(p.decision).into(),
                s.reading.clone(),
            ]
        })
        .collect();
    if format == Format::Csv {
        return grid(format, &header, &rows);
    }
    let count = |o: Outcome| c.settings.iter().filter(|s| s.outcome == o).count();
    let mut out = format!(
        "{a} vs {b}, {metric}: \"{a} is better than {b} by more than the difference that matters\", \
         paired by seed, 95% intervals, Holm-corrected over {n} setting{s}.\n\
         {a} better in {holds}; {b} better in {better_b}; equivalent in {tied}; inconclusive in {open}.\n\n",
        a = c.a,
        b = c.b,
        metric = match c.metric {
            crate::compare::Metric::Final => "final test metric",
            crate::compare::Metric::Epochs => "epochs to target",
            crate::compare::Metric::Time => "time per epoch",
        },
        n = c.settings.len(),
        s = if c.settings.len() == 1 { "" } else { "s" },
        holds = count(Outcome::ABetter),
        better_b = count(Outcome::BBetter),
        tied = count(Outcome::Equivalent),
        open = count(Outcome::Inconclusive),
    );
    out += &grid(format, &header, &rows);
    for s in &c.skipped {
        out += &format!("\nleft out: {s}");
    }
    if !c.skipped.is_empty() {
        out.push('\n');
    }
    out
}
