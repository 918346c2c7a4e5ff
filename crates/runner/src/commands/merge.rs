//! `actbench merge DIR... --out OUT`: combines the results of a run's shards.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use actbench::error::CliError;
use actbench::records::cell::{self as record, CellRecord};
use actbench::records::run_file::{RunFile, command_line};
use actbench::report::format::Format;
use actbench::report::output::print;
use actbench::report::render::render;
use actbench::report::tables::tables;

pub fn run(dirs: &[PathBuf], out: &Path, format: Format) -> Result<(), CliError> {
    let mut first: Option<(PathBuf, RunFile)> = None;
    let mut cells: BTreeMap<String, (PathBuf, CellRecord)> = BTreeMap::new();
    for dir in dirs {
        let run = RunFile::read(dir)?;
        match &first {
            None => first = Some((dir.clone(), run.clone())),
            Some((first_dir, first_run))
                if first_run.config != run.config || first_run.name != run.name =>
            {
                return Err(CliError::Usage(format!(
                    "mixed configs: {} is run `{}` of {} and {} is run `{}` of {} with a different config; merge only the shards of one run",
                    first_dir.display(),
                    first_run.name,
                    first_run.config_file,
                    dir.display(),
                    run.name,
                    run.config_file
                )));
            }
            Some(_) => {}
        }
        for r in record::read_dir(dir)? {
            if let Some((other, _)) = cells.get(&r.cell.id) {
                return Err(CliError::Usage(format!(
                    "cell {} is in both {} and {}; each cell must come from one shard",
                    r.cell.id,
                    other.display(),
                    dir.display()
                )));
            }
            cells.insert(r.cell.id.clone(), (dir.clone(), r));
        }
    }
    let (_, run) = first
        .ok_or_else(|| CliError::Usage("merge: give at least one results directory".into()))?;
    std::fs::create_dir_all(out)
        .map_err(|e| CliError::Usage(format!("{}: cannot create: {e}", out.display())))?;
    if !record::read_dir(out)?.is_empty() {
        return Err(CliError::Usage(format!(
            "{}: already holds results; merge into an empty directory",
            out.display()
        )));
    }
    for (_, r) in cells.values() {
        record::write(out, r)?;
    }
    // The micro-benchmark runs on shard 1 only; carry it over.
    if let Some(dir) =
        dirs.iter().find(|d| d.join(actbench::records::activation_timing::FILE).exists())
    {
        let text = std::fs::read_to_string(dir.join(actbench::records::activation_timing::FILE))
            .map_err(|e| {
                CliError::Usage(format!(
                    "{}: cannot read: {e}",
                    dir.join(actbench::records::activation_timing::FILE).display()
                ))
            })?;
        actbench::records::atomic::write_atomically(
            &out.join(actbench::records::activation_timing::FILE),
            &text,
        )?;
    }
    RunFile {
        shard: None,
        cells: cells.len(),
        merged_from: dirs.iter().map(|d| d.display().to_string()).collect(),
        command: command_line(),
        ..run.clone()
    }
    .write(out)?;
    let missing = run.total_cells.saturating_sub(cells.len());
    eprintln!(
        "merged {} cells from {} directories into {}",
        cells.len(),
        dirs.len(),
        out.display()
    );
    if missing > 0 {
        eprintln!(
            "warning: {missing} of the run's {} cells are missing (a shard not finished or not given?)",
            run.total_cells
        );
    }
    print(&render(&tables(&cells.into_values().map(|(_, r)| r).collect::<Vec<_>>()), format))
}
