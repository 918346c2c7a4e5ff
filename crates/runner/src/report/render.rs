//! Renders experiment tables as text, markdown, CSV or JSON.

use crate::report::format::{Format, csv_field, markdown_table};
use crate::report::output::table;
use crate::report::tables::{ExperimentTable, columns};

/// Renders `tables`.
pub fn render(tables: &[ExperimentTable], format: Format) -> String {
    match format {
        Format::Table => tables
            .iter()
            .map(|t| {
                let (header, rows) = columns(t);
                format!("{}\n{}", heading(t), table(&header, &rows))
            })
            .collect::<Vec<_>>()
            .join("\n"),
        Format::Markdown => tables
            .iter()
            .map(|t| {
                let (header, rows) = columns(t);
                format!(
                    "### {}\n\n{}\n\n{}",
                    t.experiment,
                    crate::report::tables::heading_lines(t).join("  \n"),
                    markdown_table(&header, &rows)
                )
            })
            .collect::<Vec<_>>()
            .join("\n"),
        Format::Csv => {
            let mut out = String::from(
                "experiment,activation,depth,output,backend,metric,seeds,diverged,metric_mean,metric_std,rank,epochs_to_target,reached_target,epoch_time_s,epoch_time_relative,dead_fraction,gradient_ratio\n",
            );
            let opt = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
            for t in tables {
                for r in &t.rows {
                    out += &format!(
                        "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n",
                        csv_field(&t.experiment),
                        csv_field(&r.activation),
                        r.depth,
                        r.output,
                        r.backend,
                        t.metric,
                        r.seeds,
                        r.diverged,
                        r.metric_mean,
                        r.metric_std,
                        r.rank,
                        opt(r.epochs_to_target),
                        r.reached_target,
                        r.epoch_time_s,
                        opt(r.epoch_time_relative),
                        opt(r.dead_fraction),
                        opt(r.gradient_ratio)
                    );
                }
            }
            out
        }
        Format::Json => serde_json::to_string_pretty(tables).expect("tables serialise") + "\n",
    }
}

fn heading(t: &ExperimentTable) -> String {
    let mut lines = vec![format!("== {} ==", t.experiment)];
    lines.extend(crate::report::tables::heading_lines(t));
    lines.join("\n")
}
