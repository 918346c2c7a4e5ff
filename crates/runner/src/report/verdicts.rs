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

/// The verdict table: the finding first (one sentence per verdict), then the evidence and the
/// thresholds behind it; CSV has one row per part.
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
                        r.finding.clone(),
                        format!("**{}**", verdict_text(r)),
                        evidence(r),
                        r.threshold.clone(),
                    ]
                })
                .collect();
            markdown_table(&["id", "claim", "finding", "verdict", "evidence", "threshold"], &rows)
                + &format!("\n{summary}\n")
        }
        Format::Csv => csv(results),
        Format::Table => {
            let mut builder = Builder::default();
            builder.push_record(["id", "claim", "finding", "verdict", "evidence", "threshold"]);
            for r in results {
                builder.push_record([
                    id(r, results, r.name.clone()),
                    r.claim.clone(),
                    r.finding.clone(),
                    verdict_text(r),
                    evidence(r),
                    r.threshold.clone(),
                ]);
            }
            let mut table = builder.build();
            table
                .with(Style::sharp())
                .with(Modify::new(Columns::one(0)).with(Width::wrap(18)))
                .with(Modify::new(Columns::one(1)).with(Width::wrap(30).keep_words(true)))
                .with(Modify::new(Columns::one(2)).with(Width::wrap(50).keep_words(true)))
                .with(Modify::new(Columns::one(3)).with(Width::wrap(16).keep_words(true)))
                .with(Modify::new(Columns::one(4)).with(Width::wrap(60).keep_words(true)))
                .with(Modify::new(Columns::one(5)).with(Width::wrap(36).keep_words(true)));
            format!("{table}\n{summary}\n")
        }
    }
}

/// CSV: one row per part (a rule without parts, one row with the part columns empty); the
/// guideline's columns repeat on each of its rows.
fn csv(results: &[GuidelineResult]) -> String {
    let header = [
        "id",
        "name",
        "backend",
        "verdict",
        "seeds_needed",
        "finding",
        "part",
        "unit",
        "claim_of_part",
        "a",
        "a_value",
        "b",
        "b_value",
        "higher_is_better",
        "difference",
        "ci_low",
        "ci_high",
        "delta",
        "effect_size",
        "n_pairs",
        "p_adjusted",
        "decision",
        "claim",
        "threshold",
        "data",
        "seeds",
    ];
    let opt = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
    let mut rows = Vec::new();
    for r in results {
        let guideline = |part: Vec<String>| -> Vec<String> {
            [
                vec![
                    r.id.clone(),
                    r.name.clone(),
                    r.backend.clone(),
                    r.verdict.name().into(),
                    r.seeds_needed.map(|n| n.to_string()).unwrap_or_default(),
                    r.finding.clone(),
                ],
                part,
                vec![r.claim.clone(), r.threshold.clone(), r.data.clone(), r.seeds.to_string()],
            ]
            .concat()
        };
        if r.parts.is_empty() {
            rows.push(guideline(vec![String::new(); 16]));
        }
        for p in &r.parts {
            let claim = serde_json::to_value(p.claim).expect("claims serialise");
            let g = p.groups.as_ref();
            rows.push(guideline(vec![
                p.label.clone(),
                p.unit.clone(),
                claim["claim"].as_str().unwrap_or_default().to_string(),
                g.map(|g| g.a.clone()).unwrap_or_default(),
                opt(g.map(|g| g.a_value)),
                g.map(|g| g.b.clone()).unwrap_or_default(),
                opt(g.map(|g| g.b_value)),
                g.map(|g| g.higher_is_better.to_string()).unwrap_or_default(),
                opt(p.difference),
                opt(p.ci_low),
                opt(p.ci_high),
                opt(p.delta),
                opt(p.effect_size),
                p.n_pairs.to_string(),
                p.p_adjusted.to_string(),
                p.decision.name().into(),
            ]));
        }
    }
    csv_table(&header, &rows)
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
