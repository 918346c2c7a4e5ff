//! The one output format every command takes (`--format`), and the grid renderers they share.

use clap::ValueEnum;

use super::output::table;

/// How a command prints its result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Aligned table for people.
    Table,
    /// Markdown tables (for READMEs and committed reports).
    Markdown,
    /// Comma-separated values, one observation per line, raw numbers.
    Csv,
    /// JSON for programs.
    Json,
}

/// Quotes a CSV field when it needs it.
pub fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// A markdown table; `|` inside a cell is escaped.
pub fn markdown_table<S: AsRef<str>>(header: &[S], rows: &[Vec<String>]) -> String {
    let cell = |s: &str| s.replace('|', "\\|").replace('\n', " ");
    let mut out = format!(
        "| {} |\n|{}\n",
        header.iter().map(|h| cell(h.as_ref())).collect::<Vec<_>>().join(" | "),
        "---|".repeat(header.len())
    );
    for row in rows {
        out += &format!("| {} |\n", row.iter().map(|c| cell(c)).collect::<Vec<_>>().join(" | "));
    }
    out
}

/// CSV with a header line.
pub fn csv_table<S: AsRef<str>>(header: &[S], rows: &[Vec<String>]) -> String {
    let mut out = header.iter().map(|h| csv_field(h.as_ref())).collect::<Vec<_>>().join(",") + "\n";
    for row in rows {
        out += &(row.iter().map(|f| csv_field(f)).collect::<Vec<_>>().join(",") + "\n");
    }
    out
}

/// A header and rows in `format`: an aligned table, markdown, CSV, or (for JSON) an array of
/// objects keyed by the header. Commands with a richer JSON contract print their own struct.
pub fn grid<S: AsRef<str>>(format: Format, header: &[S], rows: &[Vec<String>]) -> String {
    match format {
        Format::Table => table(header, rows),
        Format::Markdown => markdown_table(header, rows),
        Format::Csv => csv_table(header, rows),
        Format::Json => {
            let objects: Vec<serde_json::Map<String, serde_json::Value>> = rows
                .iter()
                .map(|row| {
                    header
                        .iter()
                        .zip(row)
                        .map(|(h, c)| {
                            (h.as_ref().to_string(), serde_json::Value::String(c.clone()))
                        })
                        .collect()
                })
                .collect();
            serde_json::to_string_pretty(&objects).expect("strings serialise") + "\n"
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_format_renders_a_grid() {
        let rows = vec![vec!["a|b".to_string(), "1,5".to_string()]];
        assert_eq!(markdown_table(&["x", "y"], &rows), "| x | y |\n|---|---|\n| a\\|b | 1,5 |\n");
        assert_eq!(csv_table(&["x", "y"], &rows), "x,y\na|b,\"1,5\"\n");
        assert!(grid(Format::Table, &["x", "y"], &rows).contains("a|b"));
        assert_eq!(
            grid(Format::Json, &["x"], &[vec!["1".to_string()]]),
            "[\n  {\n    \"x\": \"1\"\n  }\n]\n"
        );
    }
}
