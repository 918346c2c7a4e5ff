//! The actbench engine: a matrix of model x activation cells from a config, trained into
//! records, judged against the guideline catalogue, and rendered for people.
//!
//! The modules are layers in the order data flows; each imports only the layers above it in
//! this list (`tests/layers.rs` keeps it so):
//!
//! | layer | modules | what it does |
//! |---|---|---|
//! | leaves | [`error`], [`num`], [`stats`] | errors with exit codes, number formatting, statistics |
//! | config | [`config`] | TOML -> typed config |
//! | plan | [`plan`] | config -> a complete, validated plan (nothing trains before it is valid) |
//! | records | [`records`] | the contract on disk: cell records, the run file, activation timings |
//! | run | [`run`] | trains cells (one at a time or `--jobs` side by side), interrupts |
//! | speed | [`speed`] | activation timings and training throughput |
//! | outcome | [`outcome`] | records -> per-cell outcomes (the one place that computes them) |
//! | verdicts | [`guidelines`], [`compare`], [`reproduce`] | outcomes -> verdicts, comparisons, published-vs-ours |
//! | report | [`report`] | tables, markdown, csv, json, html, figures |
//!
//! The `actbench` binary (`main.rs`, `cli.rs`, `commands/`) only parses the command line, calls
//! this library and prints.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod error;
pub mod num;
pub mod stats;

pub mod config;
pub mod plan;
pub mod records;
pub mod run;
pub mod speed;

pub mod outcome;

pub mod guidelines;

pub mod compare;
pub mod reproduce;

pub mod report;

/// The ids a config may name: the guideline catalogue's and the reproduction sources'. The plan
/// sits below both catalogues, so they are handed to [`plan::Plan::build`] from here.
pub fn known_ids() -> plan::KnownIds {
    plan::KnownIds {
        guidelines: guidelines::CATALOGUE.iter().map(|g| g.id.to_string()).collect(),
        sources: reproduce::sources::catalogue().iter().map(|s| s.id.to_string()).collect(),
    }
}
