//! Speed measurements: the activation timings (forward and forward+backward of each activation
//! on one tensor) and training throughput (samples per second of a config's cells).

pub mod activations;
pub mod training;
