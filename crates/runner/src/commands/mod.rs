//! One file per command; `run` dispatches.

mod bench;
mod compare;
mod curves;
mod guidelines;
mod list;
mod merge;
mod plot;
mod report;
mod reproduce;
mod run;

use actbench_activations::backend::Backend;
use actbench_activations::burn::prelude::Device;

use std::path::{Path, PathBuf};

use crate::cli::{BenchCommand, Cli, Command};
use crate::error::CliError;
use crate::run::config::{self, BenchConfig};
use crate::run::plan::{Plan, PlanOptions};

/// Runs the parsed command.
pub fn run(cli: Cli) -> Result<(), CliError> {
    match cli.command {
        Command::List { what, config, format } => list::run(what, config.as_deref(), format),
        Command::Curves(args) => curves::run(args),
        Command::Run(args) => run::run(args),
        Command::Report { dir, format } => report::run(&dir, format),
        Command::Guidelines { dirs, format, split_half } => {
            guidelines::run(&dirs, format, split_half)
        }
        Command::Reproduce { dirs, format } => reproduce::run(&dirs, format),
        Command::Plot { dir } => plot::run(&dir),
        Command::Bench(BenchCommand::Activations(args)) => bench::activations(args),
        Command::Bench(BenchCommand::Train(args)) => bench::train(args),
        Command::Merge { dirs, out, format } => merge::run(&dirs, &out, format),
        Command::Compare(args) => compare::run(args),
    }
}

/// Loads the config at `path` and validates it into a plan, with the command line's backends,
/// profile and IDX directory; prints the plan's notes. Returns the config, its text and the plan.
pub fn plan(
    path: &Path,
    backends: Option<&[String]>,
    profile: Option<String>,
    idx_dir: Option<PathBuf>,
    seeds: Option<crate::run::plan::SeedList>,
) -> Result<(BenchConfig, String, Plan), CliError> {
    let (config, text) = config::load(path)?;
    let backends = match backends {
        Some(list) => {
            Some(list.iter().map(|b| b.parse::<Backend>()).collect::<Result<Vec<_>, _>>()?)
        }
        None => None,
    };
    let plan = Plan::build(
        &config,
        &path.display().to_string(),
        &PlanOptions { backends, profile, idx_dir, seeds },
    )?;
    for note in &plan.notes {
        eprintln!("note: {note}");
    }
    Ok((config, text, plan))
}

/// Starts `backend`'s device; a GPU backend with no adapter is an error, not a panic message.
pub fn start_device(backend: Backend) -> Result<Device, CliError> {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let device = backend.device();
    std::panic::set_hook(hook);
    Ok(device?)
}
