//! `actbench guidelines DIR`: the verdict of every guideline on stored results (never trains).

use std::path::Path;

use crate::activation_bench;
use crate::error::CliError;
use crate::guidelines::evaluate;
use crate::guidelines::render::{VerdictFormat, render};
use crate::output::print;
use crate::record;

pub fn run(dir: &Path, format: VerdictFormat) -> Result<(), CliError> {
    let records = record::read_dir(dir)?;
    let bench = activation_bench::read(dir)?;
    if records.is_empty() && bench.is_empty() {
        return Err(CliError::Usage(format!(
            "{}: no result records (*.json) here; run `actbench run configs/guidelines.toml --out {}` first",
            dir.display(),
            dir.display()
        )));
    }
    print(&render(&evaluate(&records, &bench), format))
}
