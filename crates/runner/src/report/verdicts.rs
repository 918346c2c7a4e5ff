//! The verdict table as text, markdown or JSON.

use tabled::builder::Builder;
use tabled::settings::object::Columns;
use tabled::settings::{Modify, Style, Width};

use crate::guidelines::{GuidelineResult, Verdict};
use crate::report::format::{Format, csv_table, markdown_table};

/// The evidence cell: the numbers, plus the data when it is a file dataset or a fallback (so the
/// table says whether Fashion-MNIST or the built-in images were used).
fn evidence(r: &GuidelineResult) -> String {
    if r.data_matters { format!("{} [data: {}]", r.evidence, r.data) } else { r.evidence.clone() }
}

/// Renders the verdicts with a one-line count of each outcome.
pub fn render(results: &[GuidelineResult], format: Format) -> String {
    let count = |v: Verdict| results.iter().filter(|r| r.verdict == v).count();
    let summary = format!(
        "{} guidelines: {} hold, {} fail, {} inconclusive",
        results.len(),
        count(Verdict::Holds),
        count(Verdict::Fails),
        count(Verdict::Inconclusive)
    );
    match format {
        Format::Json => serde_json::to_string_pretty(results).expect("verdicts serialise") + "\n",
        Format::Markdown => {
            let rows: Vec<Vec<String>> = results
                .iter()
                .map(|r| {
                    vec![
                        format!("{} `{}`", r.id, r.name),
                        r.claim.clone(),
                        evidence(r),
                        r.threshold.clone(),
                        format!("**{}**", r.verdict.name()),
                    ]
                })
                .collect();
            markdown_table(&["id", "claim", "evidence", "threshold", "verdict"], &rows)
                + &format!("\n{summary}\n")
        }
        Format::Csv => {
            let rows: Vec<Vec<String>> = results
                .iter()
                .map(|r| {
                    vec![
                        r.id.clone(),
                        r.name.clone(),
                        r.verdict.name().into(),
                        r.claim.clone(),
                        r.evidence.clone(),
                        r.threshold.clone(),
                        r.data.clone(),
                        r.seeds.to_string(),
                    ]
                })
                .collect();
            csv_table(
                &["id", "name", "verdict", "claim", "evidence", "threshold", "data", "seeds"],
                &rows,
            )
        }
        Format::Table => {
            let mut builder = Builder::default();
            builder.push_record(["id", "claim", "evidence", "threshold", "verdict"]);
            for r in results {
                builder.push_record([
                    format!("{} {}", r.id, r.name),
                    r.claim.clone(),
                    evidence(r),
                    r.threshold.clone(),
                    r.verdict.name().to_string(),
                ]);
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
