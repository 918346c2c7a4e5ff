//! The compute threads: every training and timing runs inside a rayon pool of its own.

use crate::error::CliError;

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
