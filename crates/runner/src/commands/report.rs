//! `actbench report DIR`: re-renders the tables from stored results, without training.

use std::path::Path;

use actbench::error::CliError;
use actbench::records::cell as record;
use actbench::report::format::Format;
use actbench::report::output::print;
use actbench::report::render::render;
use actbench::report::tables::tables;

pub fn run(dir: &Path, format: Format) -> Result<(), CliError> {
    let records = record::read_dir(dir)?;
    if records.is_empty() {
        return Err(CliError::Usage(format!(
            "{}: no result records (*.json) here; run `actbench run CONFIG --out {}` first",
            dir.display(),
            dir.display()
        )));
    }
    print(&render(&tables(&records), format))
}
