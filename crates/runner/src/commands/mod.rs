//! One file per command; `run` dispatches.

mod bench;
mod compare;
mod curves;
mod guidelines;
mod list;
mod load;
mod merge;
mod plot;
mod report;
mod reproduce;
mod run;

use crate::cli::{BenchCommand, Cli, Command};
use actbench::error::CliError;

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
