//! `run.json`: what a results directory is a run of (config text, shard), so that `--resume` and
//! `merge` can tell runs apart.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::CliError;

/// File name inside a results directory.
pub const RUN_FILE: &str = "run.json";

/// Description of a run (or a shard of one).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunFile {
    /// Run name from the config.
    pub name: String,
    /// Run description.
    pub description: String,
    /// Path of the config file as given.
    pub config_file: String,
    /// The config file's text.
    pub config: String,
    /// `I/N` for a shard; none for a whole run or a merge.
    pub shard: Option<String>,
    /// Cells in this directory's part of the plan.
    pub cells: usize,
    /// Cells in the whole plan (run files written before this field existed read as `cells`).
    #[serde(default)]
    pub total_cells: usize,
    /// Directories a merge combined.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub merged_from: Vec<String>,
    /// Command line that wrote it.
    pub command: String,
}

impl RunFile {
    /// Writes `dir/run.json` atomically.
    pub fn write(&self, dir: &Path) -> Result<(), CliError> {
        crate::run::record::write_atomically(&dir.join(RUN_FILE), &(serde_json::to_string_pretty(self).expect("json") + "\n"))
    }

    /// Reads `dir/run.json`.
    pub fn read(dir: &Path) -> Result<RunFile, CliError> {
        let path = dir.join(RUN_FILE);
        let text = std::fs::read_to_string(&path)
            .map_err(|e| CliError::Usage(format!("{}: cannot read ({e}); is {} a directory written by `actbench run`?", path.display(), dir.display())))?;
        let mut run: RunFile = serde_json::from_str(&text).map_err(|e| CliError::Usage(format!("{}: damaged run file: {e}", path.display())))?;
        if run.total_cells == 0 {
            run.total_cells = run.cells;
        }
        Ok(run)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_files_from_before_shards_still_read() {
        let dir = std::env::temp_dir().join(format!("actbench-run-file-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let old = r#"{"cells": 3, "command": "actbench run c.toml", "config": "name = \"c\"", "config_file": "c.toml", "description": "d", "name": "c"}"#;
        std::fs::write(dir.join(RUN_FILE), old).unwrap();
        let run = RunFile::read(&dir).unwrap();
        assert_eq!((run.name.as_str(), run.cells, run.total_cells, run.shard), ("c", 3, 3, None));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

/// The command line of this process.
pub fn command_line() -> String {
    std::env::args().collect::<Vec<_>>().join(" ")
}
