//! The verdict table as text, markdown or JSON.

use tabled::builder::Builder;
use tabled::settings::object::Columns;
use tabled::settings::{Modify, Style, Width};

use std::collections::BTreeSet;

use crate::guidelines::{GuidelineResult, SplitHalf, Verdict};
use crate::report::format::{Format, csv_table, grid, markdown_table};

/// The evidence cell: the numbers, plus the data when it is a file dataset or a fallback (so the
/// table says whether Fashion-MNIST or the built-in images were used).
fn evidence(r: &GuidelineResult) -> String {
    if r.data_matters { format!("{} [data: {}]", r.evidence, r.data) } else { r.evidence.clone() }
}

/// Renders the verdicts with a one-line count of each outcome.
/// The verdict as shown: an inconclusive verdict says how many seeds would decide it.
pub fn verdict_text(r: &GuidelineResult) -> String {
    match (r.verdict, r.seeds_needed) {
        (Verdict::Inconclusive, Some(n)) => format!("inconclusive (~{n} seeds would decide)"),
        (v, _) => v.name().to_string(),
    }
}

/// The row's backend when `results` hold several (each backend is judged on its own), else none.
pub fn shown_backend<'a>(r: &'a GuidelineResult, results: &[GuidelineResult]) -> Option<&'a str> {
    let backends: BTreeSet<&str> =
        results.iter().map(|r| r.backend.as_str()).filter(|b| *b != "-").collect();
    (backends.len() > 1).then_some(r.backend.as_str())
}

/// The id cell (`name` already formatted), with the backend when the results hold several.
fn id(r: &GuidelineResult, results: &[GuidelineResult], name: String) -> String {
    match shown_backend(r, results) {
        Some(backend) => format!("{} {name} ({backend})", r.id),
        None => format!("{} {name}", r.id),
    }
}

/// The verdict table with a one-line count of each outcome, in `format`.
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
                        id(r, results, format!("`{}`", r.name)),
                        r.claim.clone(),
                        evidence(r),
                        r.threshold.clone(),
                        format!("**{}**", verdict_text(r)),
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
                        r.backend.clone(),
                        r.verdict.name().into(),
                        r.seeds_needed.map(|n| n.to_string()).unwrap_or_default(),
                        r.claim.clone(),
                        r.evidence.clone(),
                        r.threshold.clone(),
                        r.data.clone(),
                        r.seeds.to_string(),
                    ]
                })
                .collect();
            csv_table(
                &[
                    "id",
                    "name",
                    "backend",
                    "verdict",
                    "seeds_needed",
                    "claim",
                    "evidence",
                    "threshold",
                    "data",
                    "seeds",
                ],
                &rows,
            )
        }
        Format::Table => {
            let mut builder = Builder::default();
            builder.push_record(["id", "claim", "evidence", "threshold", "verdict"]);
            for r in results {
                builder.push_record([
                    id(r, results, r.name.clone()),
                    r.claim.clone(),
                    evidence(r),
                    r.threshold.clone(),
                    verdict_text(r),
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

/// The stability check: each guideline on all seeds, on the odd and on the even seeds.
pub fn render_split_half(rows: &[SplitHalf], format: Format) -> String {
    if format == Format::Json {
        return serde_json::to_string_pretty(rows).expect("rows serialise") + "\n";
    }
    let header = ["id", "backend", "all seeds", "odd seeds", "even seeds", "stable"];
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                format!("{} {}", r.id, r.name),
                r.backend.clone(),
                r.all_seeds.name().into(),
                format!("{} (n = {})", r.odd_seeds.name(), r.odd_n),
                format!("{} (n = {})", r.even_seeds.name(), r.even_n),
                match (r.unstable, r.all_seeds) {
                    (true, _) => "NO: a half disagrees".into(),
                    (false, Verdict::Inconclusive) => "-".into(),
                    (false, _) => "yes".into(),
                },
            ]
        })
        .collect();
    let decisive = rows.iter().filter(|r| r.all_seeds != Verdict::Inconclusive).count();
    let unstable: Vec<&str> = rows.iter().filter(|r| r.unstable).map(|r| r.id.as_str()).collect();
    let summary = format!(
        "{decisive} decisive verdicts; {} agree in both halves{}",
        decisive - unstable.len(),
        if unstable.is_empty() {
            String::new()
        } else {
            format!("; unstable: {}", unstable.join(", "))
        }
    );
    match format {
        Format::Csv => grid(format, &header, &cells),
        _ => grid(format, &header, &cells) + &format!("\n{summary}\n"),
    }
}
