//! Benchmarks: the activation micro-benchmark and training-step throughput.

pub mod activations;
pub mod training;
