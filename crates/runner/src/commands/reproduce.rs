//! `actbench reproduce DIR...`: published results beside ours (never trains).

use std::path::PathBuf;

use crate::error::CliError;
use crate::report::format::Format;
use crate::report::output::print;
use crate::report::reproductions::render;
use crate::reproduce::reproductions;
use crate::run::record;

pub fn run(dirs: &[PathBuf], format: Format) -> Result<(), CliError> {
    let (records, _) = record::read_dirs(dirs)?;
    let found = reproductions(&records);
    if found.is_empty() {
        let names: Vec<String> = dirs.iter().map(|d| d.display().to_string()).collect();
        return Err(CliError::Usage(format!(
            "{}: no records of an experiment that reproduces a published one (`reproduces = {{ source = .. }}`); run `actbench run configs/reproductions.toml` first",
            names.join(", ")
        )));
    }
    print(&render(&found, format))
}
