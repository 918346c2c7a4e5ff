//! Writing results to the terminal: tables, and stdout that tolerates a closed pipe.

use std::io::Write;

use tabled::builder::Builder;
use tabled::settings::Style;

use crate::error::CliError;

/// A table with a header row.
pub fn table<S: AsRef<str>>(header: &[S], rows: &[Vec<String>]) -> String {
    let mut builder = Builder::default();
    builder.push_record(header.iter().map(|h| h.as_ref().to_string()));
    for row in rows {
        builder.push_record(row.clone());
    }
    let mut table = builder.build();
    table.with(Style::sharp());
    table.to_string() + "\n"
}

/// Prints to stdout; a reader that went away (`| head`) is not an error.
pub fn print(text: &str) -> Result<(), CliError> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(CliError::Runtime(format!("cannot write to stdout: {e}"))),
    }
}
