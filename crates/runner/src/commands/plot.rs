//! `actbench plot DIR`: draws the run's figures into DIR/plots/ and writes DIR/report.html and
//! DIR/report.md (never trains).

use std::path::Path;

use actbench::error::CliError;
use actbench::records::cell as record;
use actbench::records::run_file::RunFile;
use actbench::report::page::{self, Inputs};
use actbench::report::plots;

/// Draws the figures and writes both report pages; returns how many figures were drawn.
pub fn write_all(dir: &Path) -> Result<usize, CliError> {
    let records = record::read_dir(dir)?;
    let bench = actbench::records::activation_timing::read(dir)?;
    if records.is_empty() && bench.is_empty() {
        return Err(CliError::Usage(format!(
            "{}: no result records (*.json) here; run `actbench run CONFIG --out {}` first",
            dir.display(),
            dir.display()
        )));
    }
    let run = RunFile::read(dir).ok();
    let figures = plots::figures(&records, &bench);
    plots::write(dir, &figures)?;
    page::write(
        dir,
        &Inputs { run: run.as_ref(), records: &records, bench: &bench, figures: &figures },
    )?;
    Ok(figures.len())
}

pub fn run(dir: &Path) -> Result<(), CliError> {
    let n = write_all(dir)?;
    eprintln!(
        "{n} figures (SVG and PNG) in {}; report: {} and {}",
        dir.join(plots::DIR).display(),
        dir.join("report.html").display(),
        dir.join("report.md").display()
    );
    Ok(())
}
