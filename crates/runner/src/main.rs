//! `actbench`: parse the command line, run the command, turn errors into messages and exit codes.

mod activation_bench;
mod cli;
mod commands;
mod config;
mod error;
mod format;
mod guidelines;
mod interrupt;
mod machine;
mod output;
mod plan;
mod plots;
mod record;
mod render;
mod report;
mod report_page;
mod run_file;
mod stats;
mod train;
mod train_bench;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(error.exit_code())
        }
    }
}
