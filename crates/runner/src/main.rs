//! `actbench`: parse the command line, run the command, turn errors into messages and exit codes.

#![forbid(unsafe_code)]
// The doc comments of the command-line types are clap's help text, where `results/<name>/` is a
// placeholder, not an HTML tag.
#![allow(rustdoc::invalid_html_tags)]

mod cli;
mod commands;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    actbench_models::kernels::keep_freed_buffers();
    let cli = cli::Cli::parse();
    match commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(error.exit_code())
        }
    }
}
