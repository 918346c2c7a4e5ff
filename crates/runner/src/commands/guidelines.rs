//! `actbench guidelines DIR...`: the verdict of every guideline on stored results (never trains).

use std::path::PathBuf;

use actbench::error::CliError;
use actbench::guidelines::{evaluate, split_half};
use actbench::records::cell as record;
use actbench::report::format::Format;
use actbench::report::output::print;
use actbench::report::verdicts::{render, render_split_half};

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
