//! The contract on disk: what a run stores and every later command reads back (cell records,
//! the run file, the activation timings).

pub mod cell;
pub mod run_file;
