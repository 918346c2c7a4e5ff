//! The contract on disk: what a run stores and every later command reads back (cell records,
//! the run file, the activation timings).

pub mod activation_timing;
pub mod atomic;
pub mod cell;
pub mod run_file;
#[cfg(test)]
pub mod testing;
