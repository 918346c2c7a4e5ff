//! The run's report pages: `report.html` (one self-contained page, figures inlined as SVG, no
//! network needed) and `report.md` (the same tables, figures linked from `plots/`, for
//! committing). Both are pure functions of the stored results and the drawn figures.

use std::collections::BTreeSet;
use std::path::Path;

use crate::error::CliError;
use crate::guidelines::{self, GuidelineResult};
use crate::num::num;
use crate::records::activation_timing::ActivationTiming;
use crate::records::atomic::write_atomically;
use crate::records::cell::CellRecord;
use crate::records::run_file::RunFile;
use crate::report::plots::{self, Figure};
use crate::report::tables::{ExperimentTable, columns, tables};
use crate::reproduce::Reproduction;

/// What the pages are made from.
pub struct Inputs<'a> {
    /// `run.json`, if the directory has one.
    pub run: Option<&'a RunFile>,
    /// The records.
    pub records: &'a [CellRecord],
    /// The micro-benchmark.
    pub bench: &'a [ActivationTiming],
    /// The figures (already drawn under `plots/`).
    pub figures: &'a [Figure],
}

/// Writes `dir/report.html` and `dir/report.md`.
pub fn write(dir: &Path, inputs: &Inputs) -> Result<(), CliError> {
    let verdicts = guidelines::any_tagged(inputs.records)
        .then(|| guidelines::evaluate(inputs.records, inputs.bench));
    let tables = tables(inputs.records);
    let reproduced = crate::reproduce::reproductions(inputs.records);
    let svg = |f: &Figure| {
        let path = dir.join(plots::DIR).join(format!("{}.svg", f.stem));
        std::fs::read_to_string(&path)
            .map_err(|e| CliError::Runtime(format!("{}: cannot read figure: {e}", path.display())))
    };
    let mut inlined = Vec::new();
    for f in inputs.figures {
        inlined.push((f, svg(f)?));
    }
    write_atomically(
        &dir.join("report.html"),
        &html(inputs, verdicts.as_deref(), &reproduced, &tables, &inlined),
    )?;
    write_atomically(
        &dir.join("report.md"),
        &markdown(inputs, verdicts.as_deref(), &reproduced, &tables),
    )
}

/// Facts about the run: name, description, config, machine, backends, versions.
/// Which commit made the records, with counts when several did, and whether the tree had
/// uncommitted changes (so a published run says exactly what code it came from).
fn code_versions(records: &[CellRecord]) -> String {
    let mut counts: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
    for r in records {
        let e = &r.environment;
        let commit =
            e.git_commit.as_deref().map(|c| &c[..c.len().min(12)]).unwrap_or("unknown commit");
        let state = match e.git_dirty {
            Some(true) => " with uncommitted changes",
            Some(false) => "",
            None => " (uncommitted changes not recorded)",
        };
        *counts.entry(format!("{commit}{state}")).or_default() += 1;
    }
    match counts.len() {
        0 => "-".into(),
        1 => format!("{} (every record)", counts.keys().next().expect("one")),
        _ => counts
            .iter()
            .map(|(code, n)| format!("{code}: {n} records"))
            .collect::<Vec<_>>()
            .join("; "),
    }
}

fn facts(inputs: &Inputs) -> Vec<(String, String)> {
    let mut facts = Vec::new();
    if let Some(run) = inputs.run {
        facts.push(("config".into(), run.config_file.clone()));
        facts.push(("command".into(), run.command.clone()));
        facts.push(("cells".into(), format!("{} of {}", inputs.records.len(), run.total_cells)));
    }
    let distinct = |f: &dyn Fn(&CellRecord) -> String| {
        inputs
            .records
            .iter()
            .map(f)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect::<Vec<_>>()
            .join(", ")
    };
    facts.push(("backends".into(), distinct(&|r| r.cell.backend.to_string())));
    facts.push((
        "machine".into(),
        distinct(&|r| {
            format!("{} ({} logical CPUs)", r.environment.cpu_model, r.environment.cpu_count)
        }),
    ));
    facts.push((
        "versions".into(),
        distinct(&|r| {
            format!(
                "actbench {}, burn {}",
                r.environment.actbench_version, r.environment.burn_version
            )
        }),
    ));
    facts.push(("code".into(), code_versions(inputs.records)));
    let formulas: BTreeSet<String> = inputs
        .records
        .iter()
        .filter(|r| r.cell.activation.formula().is_some())
        .map(|r| format!("{}: {}", r.cell.activation.label(), r.cell.activation.info().formula))
        .collect();
    if !formulas.is_empty() {
        let list = formulas.into_iter().collect::<Vec<_>>().join("; ");
        facts.push(("formula activations".into(), format!("{list} (composed tensor operations)")));
    }
    let seconds: f64 = inputs.records.iter().map(|r| r.wall_time_s).sum();
    facts.push(("training time".into(), format!("{} min summed over cells", num(seconds / 60.0))));
    facts
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn html_table(header: &[String], rows: &[Vec<String>]) -> String {
    let mut out = String::from("<table>\n<thead><tr>");
    for h in header {
        out += &format!("<th>{}</th>", escape(h));
    }
    out += "</tr></thead>\n<tbody>\n";
    for row in rows {
        out += "<tr>";
        for cell in row {
            out += &format!("<td>{}</td>", escape(cell));
        }
        out += "</tr>\n";
    }
    out + "</tbody>\n</table>\n"
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:1400px;margin:2em auto;padding:0 1em;color:#222}\
table{border-collapse:collapse;margin:1em 0;font-size:0.9em}th,td{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}\
th{background:#f3f3f3}figure{margin:1.5em 0}figure svg{max-width:100%;height:auto}figcaption{color:#555;font-size:0.9em}\
.holds{color:#08660f;font-weight:bold}.fails{color:#a40000;font-weight:bold}.inconclusive{color:#8a6100;font-weight:bold}\
pre{background:#f6f6f6;padding:1em;overflow:auto}\
table.verdicts td.claim{max-width:16em}table.verdicts td.finding{max-width:36em}\
details summary{cursor:pointer;color:#555;font-size:0.9em;margin-top:0.3em}";

fn html(
    inputs: &Inputs,
    verdicts: Option<&[GuidelineResult]>,
    reproduced: &[Reproduction],
    tables: &[ExperimentTable],
    figures: &[(&Figure, String)],
) -> String {
    let name = inputs
        .run
        .map(|r| r.name.clone())
        .or_else(|| inputs.records.first().map(|r| r.cell.experiment.clone()))
        .unwrap_or_default();
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>actbench: {}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>actbench run <code>{}</code></h1>\n",
        escape(&name),
        escape(&name)
    );
    if let Some(run) = inputs.run {
        out += &format!("<p>{}</p>\n", escape(&run.description));
    }
    out += "<table>\n";
    for (k, v) in facts(inputs) {
        out += &format!("<tr><th>{}</th><td>{}</td></tr>\n", escape(&k), escape(&v));
    }
    out += "</table>\n";
    if let Some(run) = inputs.run {
        out += &format!(
            "<details><summary>config file</summary><pre>{}</pre></details>\n",
            escape(&run.config)
        );
    }
    if let Some(verdicts) = verdicts {
        out += "<h2 id=\"verdicts\">Guideline verdicts</h2>\n<table class=\"verdicts\">\n<thead><tr><th>id</th><th>claim</th><th>parts: 95% CI vs 0 and ±delta</th><th>finding</th><th>verdict</th></tr></thead>\n<tbody>\n";
        for v in verdicts {
            let evidence = if v.data_matters {
                format!("{} [data: {}]", v.evidence, v.data)
            } else {
                v.evidence.clone()
            };
            out += &format!(
                "<tr id=\"{}\"><td>{} <code>{}</code>{}</td><td class=\"claim\">{}</td><td>{}</td><td class=\"finding\">{}<details><summary>evidence and thresholds</summary><p>{}</p><p>thresholds: {}</p></details></td><td class=\"{}\">{}</td></tr>\n",
                v.id,
                v.id,
                escape(&v.name),
                super::verdicts::shown_backend(v, verdicts)
                    .map(|b| format!(" ({})", escape(b)))
                    .unwrap_or_default(),
                escape(&v.claim),
                super::forest::svg(&v.parts),
                escape(&v.finding),
                escape(&evidence),
                escape(&v.threshold),
                v.verdict.name(),
                super::verdicts::verdict_text(v)
            );
        }
        out += "</tbody>\n</table>\n";
    }
    if !reproduced.is_empty() {
        out += "<h2 id=\"reproductions\">Published results beside ours</h2>\n";
        for r in reproduced {
            out += &format!("<h3>{}: {}</h3>\n", escape(&r.source), escape(&r.citation));
            for line in super::reproductions::heading_lines(r) {
                out += &format!("<p>{}</p>\n", escape(&line));
            }
            let (header, rows) = super::reproductions::table(r);
            out += &html_table(&header, &rows);
        }
    }
    let figure_html = |f: &Figure, svg: &str| {
        let svg = svg
            .trim_start_matches(|c| c != '<')
            .trim_start_matches("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
        format!(
            "<figure id=\"fig-{}\">\n{}\n<figcaption>{}</figcaption>\n</figure>\n",
            f.stem,
            svg.trim(),
            escape(&f.caption)
        )
    };
    for t in tables {
        out += &format!("<h2 id=\"{}\">{}</h2>\n", escape(&t.experiment), escape(&t.experiment));
        for line in crate::report::tables::heading_lines(t) {
            out += &format!("<p>{}</p>\n", escape(&line));
        }
        let (header, rows) = columns(t);
        out += &html_table(&header, &rows);
        for (f, svg) in
            figures.iter().filter(|(f, _)| f.experiment.as_deref() == Some(t.experiment.as_str()))
        {
            out += &figure_html(f, svg);
        }
    }
    let general: Vec<&(&Figure, String)> =
        figures.iter().filter(|(f, _)| f.experiment.is_none()).collect();
    if !general.is_empty() {
        out += "<h2 id=\"activations\">Activations and their cost</h2>\n";
        for (f, svg) in general {
            out += &figure_html(f, svg);
        }
    }
    out + "</body>\n</html>\n"
}

fn markdown(
    inputs: &Inputs,
    verdicts: Option<&[GuidelineResult]>,
    reproduced: &[Reproduction],
    tables: &[ExperimentTable],
) -> String {
    let name = inputs.run.map(|r| r.name.clone()).unwrap_or_default();
    let mut out = format!("# actbench run `{name}`\n\n");
    if let Some(run) = inputs.run {
        out += &format!("{}\n\n", run.description);
    }
    for (k, v) in facts(inputs) {
        out += &format!("- {k}: {}\n", v.replace('|', "\\|"));
    }
    if let Some(verdicts) = verdicts {
        out += &format!(
            "\n## Guideline verdicts\n\n{}",
            crate::report::verdicts::render(verdicts, crate::report::format::Format::Markdown)
        );
    }
    if !reproduced.is_empty() {
        out += &format!(
            "\n## Published results beside ours\n\n{}",
            super::reproductions::render(reproduced, crate::report::format::Format::Markdown)
        );
    }
    let figure_md =
        |f: &Figure| format!("![{}]({}/{}.svg)\n\n*{}*\n\n", f.stem, plots::DIR, f.stem, f.caption);
    for t in tables {
        out += &format!(
            "\n## {}\n\n{}\n\n",
            t.experiment,
            crate::report::tables::heading_lines(t).join("  \n")
        );
        let (header, rows) = columns(t);
        out += &format!("| {} |\n|{}\n", header.join(" | "), "---|".repeat(header.len()));
        for row in rows {
            out += &format!("| {} |\n", row.join(" | "));
        }
        out += "\n";
        for f in
            inputs.figures.iter().filter(|f| f.experiment.as_deref() == Some(t.experiment.as_str()))
        {
            out += &figure_md(f);
        }
    }
    let general: Vec<&Figure> = inputs.figures.iter().filter(|f| f.experiment.is_none()).collect();
    if !general.is_empty() {
        out += "\n## Activations and their cost\n\n";
        for f in general {
            out += &figure_md(f);
        }
    }
    out
}
