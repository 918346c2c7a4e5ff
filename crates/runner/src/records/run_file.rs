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
        super::atomic::write_atomically(
            &dir.join(RUN_FILE),
            &(serde_json::to_string_pretty(self).expect("json") + "\n"),
        )
    }

    /// Reads `dir/run.json`.
    pub fn read(dir: &Path) -> Result<RunFile, CliError> {
        let path = dir.join(RUN_FILE);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            CliError::Usage(format!(
                "{}: cannot read ({e}); is {} a directory written by `actbench run`?",
                path.display(),
                dir.display()
            ))
        })?;
        let mut run: RunFile = serde_json::from_str(&text)
            .map_err(|e| CliError::Usage(format!("{}: damaged run file: {e}", path.display())))?;
        if run.total_cells == 0 {
            run.total_cells = run.cells;
        }
        Ok(run)
    }
}

/// The command line of this process as the user typed it, without machine paths: the program's
/// file name (not where the build put it), and absolute paths inside the working directory made
/// relative.
pub fn command_line() -> String {
    let cwd = std::env::current_dir().ok();
    describe(std::env::args(), cwd.as_deref())
}

fn describe(mut args: impl Iterator<Item = String>, cwd: Option<&Path>) -> String {
    let program = args
        .next()
        .and_then(|p| Path::new(&p).file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "actbench".into());
    let relative = |arg: String| match cwd.and_then(|cwd| Path::new(&arg).strip_prefix(cwd).ok()) {
        Some(inside) if inside.as_os_str().is_empty() => ".".to_string(),
        Some(inside) => inside.display().to_string(),
        None => arg,
    };
    std::iter::once(program).chain(args.map(relative)).collect::<Vec<_>>().join(" ")
}
