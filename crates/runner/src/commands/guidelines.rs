//! `actbench guidelines DIR...`: the verdict of every guideline on stored results (never trains).

use std::path::PathBuf;

use crate::error::CliError;
use crate::guidelines::{evaluate, split_half};
use crate::report::format::Format;
use crate::report::output::print;
use crate::report::verdicts::{render, render_split_half};
use crate::run::record;

pub fn run(dirs: &[PathBuf], format: Format, split: bool) -> Result<(), CliError> {
    let (records, bench) = record::read_dirs(dirs)?;
    if records.is_empty() && bench.is_empty() {
        return Err(CliError::Usage(format!(
            "{}: no result records (*.json) here; run `actbench run configs/guidelines.toml --out {}` first",
            dirs[0].display(),
            dirs[0].display()
        )));
    }
    if split {
        return print(&render_split_half(&split_half(&records, &bench), format));
    }
    print(&render(&evaluate(&records, &bench), format))
}
