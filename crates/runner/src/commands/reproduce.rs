//! `actbench reproduce DIR...`: published results beside ours (never trains).

use std::path::PathBuf;

use actbench::error::CliError;
use actbench::records::cell as record;
use actbench::report::format::Format;
use actbench::report::output::print;
use actbench::report::reproductions::render;
use actbench::reproduce::reproductions;

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
