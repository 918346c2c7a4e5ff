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
use actbench::error::CliError;
use actbench::config::{self, BenchConfig};
use actbench::plan::{Plan, PlanOptions};

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
    seeds: Option<actbench::plan::SeedList>,
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

/// Cores this process may use.
pub fn cores() -> usize {
    std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)
}

/// Runs `work` on a thread of a new rayon pool of `threads` threads. The kernels' parallel loops
/// (the fused activations, the CNN's convolution and pooling) then start on a pool thread, where
/// a loop of one task runs inline; started from outside a pool, every loop hands its work to
/// rayon's global pool and waits for it, which cost `actbench run configs/default.toml --jobs 1`
/// about 8% of its time. The threads get the main thread's 8 MiB of stack.
pub fn in_pool<T: Send>(threads: usize, work: impl FnOnce() -> T + Send) -> Result<T, CliError> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .stack_size(8 << 20)
        .build()
        .map_err(|e| CliError::Runtime(format!("cannot start the compute threads: {e}")))?;
    Ok(pool.install(work))
}

/// Starts `backend`'s device; a GPU backend with no adapter is an error, not a panic message.
pub fn start_device(backend: Backend) -> Result<Device, CliError> {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let device = backend.device();
    std::panic::set_hook(hook);
    Ok(device?)
}
