//! `reproduce`'s tables: per source, its setup and ours, what differs, then one row per
//! published number with ours beside it (mean, 95% CI, the 95% range of one run) and the reading.

use crate::num::num;
use crate::report::format::{Format, grid};
use crate::reproduce::{Agreement, Reproduction, Row};

/// The reproductions in `format` (JSON: the [`Reproduction`] structs).
pub fn render(reproductions: &[Reproduction], format: Format) -> String {
    match format {
        Format::Json => serde_json::to_string_pretty(reproductions).expect("serialisable") + "\n",
        Format::Csv => {
            let mut header = vec!["source".to_string()];
            header.extend(HEADER.map(String::from));
            let rows: Vec<Vec<String>> = reproductions
                .iter()
                .flat_map(|r| {
                    r.rows.iter().map(|row| {
                        let mut line = vec![r.source.clone()];
                        line.extend(cells(row, true));
                        line
                    })
                })
                .collect();
            grid(format, &header, &rows)
        }
        Format::Table | Format::Markdown => {
            let markdown = format == Format::Markdown;
            let mut out = String::new();
            for r in reproductions {
                out += &if markdown {
                    format!("### {}: {}\n\n", r.source, r.citation)
                } else {
                    format!("== {}: {} ==\n", r.source, r.citation)
                };
                let bullet = if markdown { "- " } else { "" };
                for line in heading_lines(r) {
                    out += &format!("{bullet}{line}\n");
                }
                if markdown {
                    out.push('\n');
                }
                let (header, rows) = table(r);
                out += &grid(format, &header, &rows);
                out.push('\n');
            }
            out
        }
    }
}

/// The header and rows of one reproduction's table, as the tables print them.
pub fn table(r: &Reproduction) -> (Vec<String>, Vec<Vec<String>>) {
    (HEADER.map(String::from).to_vec(), r.rows.iter().map(|row| cells(row, false)).collect())
}

/// The lines above a reproduction's table: setups, differences, the summary.
pub fn heading_lines(r: &Reproduction) -> Vec<String> {
    let mut lines = vec![format!("published setup: {}", r.setup)];
    lines.extend(r.ours.iter().map(|l| format!("our setup, {l}")));
    lines.extend(r.differences.iter().map(|l| format!("differences, {l}")));
    lines.push(summary(&r.rows));
    if !r.not_run.is_empty() {
        lines.push(format!("published but not run here: {}", r.not_run.join("; ")));
    }
    lines
}

const HEADER: [&str; 8] = [
    "result",
    "published",
    "ours: mean [95% CI]",
    "95% range of one run",
    "n",
    "tolerance",
    "reading",
    "how it is read",
];

fn cells(row: &Row, raw: bool) -> Vec<String> {
    let f = |v: f64| if raw { v.to_string() } else { num(v) };
    let interval = |(lo, hi): (f64, f64)| {
        if lo.is_finite() { format!("[{}, {}]", f(lo), f(hi)) } else { "-".into() }
    };
    vec![
        row.label.clone(),
        row.published.map(f).unwrap_or_else(|| "-".into()),
        format!("{} {}", f(row.mean), interval(row.ci)),
        interval(row.one_run),
        row.n.to_string(),
        format!("±{}", f(row.tolerance)),
        row.agreement.name().into(),
        row.published_note.clone(),
    ]
}

/// `3 agree, 1 differs, 2 without a published number`.
fn summary(rows: &[Row]) -> String {
    let count = |a: Agreement| rows.iter().filter(|r| r.agreement == a).count();
    format!(
        "published numbers: {} agree, {} differ, {} inconclusive; without a published number: {}",
        count(Agreement::Agrees),
        count(Agreement::Differs),
        count(Agreement::Inconclusive),
        count(Agreement::NoPublishedNumber)
    )
}
