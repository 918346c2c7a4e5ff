//! The verdict table as text, markdown or JSON.

use clap::ValueEnum;
use tabled::builder::Builder;
use tabled::settings::object::Columns;
use tabled::settings::{Modify, Style, Width};

use crate::guidelines::{GuidelineResult, Verdict};

/// Formats of `actbench guidelines`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum VerdictFormat {
    /// An aligned table, long cells wrapped.
    Table,
    /// A markdown table (README, committed reports).
    Markdown,
    /// An array of objects: id, name, claim, evidence, threshold, verdict, data, experiments, seeds.
    Json,
}

/// The evidence cell: the numbers, plus the data when it is a file dataset or a fallback (so the
/// table says whether Fashion-MNIST or the built-in images were used).
fn evidence(r: &GuidelineResult) -> String {
    if r.data_matters {
        format!("{} [data: {}]", r.evidence, r.data)
    } else {
        r.evidence.clone()
    }
}

/// Renders the verdicts with a one-line count of each outcome.
pub fn render(results: &[GuidelineResult], format: VerdictFormat) -> String {
    let count = |v: Verdict| results.iter().filter(|r| r.verdict == v).count();
    let summary = format!(
        "{} guidelines: {} hold, {} fail, {} inconclusive",
        results.len(),
        count(Verdict::Holds),
        count(Verdict::Fails),
        count(Verdict::Inconclusive)
    );
    match format {
        VerdictFormat::Json => serde_json::to_string_pretty(results).expect("verdicts serialise") + "\n",
        VerdictFormat::Markdown => {
            let mut out = String::from("| id | claim | evidence | threshold | verdict |\n|---|---|---|---|---|\n");
            for r in results {
                let cell = |s: &str| s.replace('|', "\\|");
                out += &format!("| {} `{}` | {} | {} | {} | **{}** |\n", r.id, r.name, cell(&r.claim), cell(&evidence(r)), cell(&r.threshold), r.verdict.name());
            }
            out + &format!("\n{summary}\n")
        }
        VerdictFormat::Table => {
            let mut builder = Builder::default();
            builder.push_record(["id", "claim", "evidence", "threshold", "verdict"]);
            for r in results {
                builder.push_record([format!("{} {}", r.id, r.name), r.claim.clone(), evidence(r), r.threshold.clone(), r.verdict.name().to_string()]);
            }
            let mut table = builder.build();
            table
                .with(Style::sharp())
                .with(Modify::new(Columns::one(0)).with(Width::wrap(18)))
                .with(Modify::new(Columns::one(1)).with(Width::wrap(36).keep_words(true)))
                .with(Modify::new(Columns::one(2)).with(Width::wrap(70).keep_words(true)))
                .with(Modify::new(Columns::one(3)).with(Width::wrap(40).keep_words(true)));
            format!("{table}\n{summary}\n")
        }
    }
}
