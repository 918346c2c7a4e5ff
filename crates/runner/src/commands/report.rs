//! `actbench report DIR`: re-renders the tables from stored results, without training.

use std::path::Path;

use crate::error::CliError;
use crate::report::format::Format;
use crate::report::output::print;
use crate::report::render::render;
use crate::report::tables::tables;
use crate::run::record;

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
