//! Counting the GPU kernels a piece of work launches, through CubeCL's launch observer: each
//! kernel that the wgpu or cuda backend issues (a fused kernel counts once) is reported on the
//! thread that issued it, before it is submitted.
//!
//! Launches are the GPU cost that a CPU can measure: on a GPU each costs a few microseconds of
//! submission whatever its size, which is what dominates the step of a small model. The count is
//! process-wide, so it is taken while nothing else launches kernels (`actbench bench train` times
//! one cell at a time).

/// A running count of kernel launches, from [`Launches::watch`] until it is dropped.
#[derive(Debug)]
pub struct Launches {
    #[cfg(any(feature = "wgpu", feature = "cuda"))]
    counter: std::sync::Arc<observer::Counter>,
    #[cfg(any(feature = "wgpu", feature = "cuda"))]
    _observation: cubecl::logging::LaunchObservation,
}

impl Launches {
    /// Starts counting; `None` when this build has no GPU backend (nothing to count).
    pub fn watch() -> Option<Launches> {
        #[cfg(any(feature = "wgpu", feature = "cuda"))]
        {
            let counter = std::sync::Arc::new(observer::Counter::default());
            let observation = cubecl::logging::LaunchObservation::new(counter.clone());
            Some(Launches { counter, _observation: observation })
        }
        #[cfg(not(any(feature = "wgpu", feature = "cuda")))]
        None
    }

    /// Kernels launched since [`Launches::watch`].
    pub fn count(&self) -> u64 {
        #[cfg(any(feature = "wgpu", feature = "cuda"))]
        {
            self.counter.0.load(std::sync::atomic::Ordering::Relaxed)
        }
        #[cfg(not(any(feature = "wgpu", feature = "cuda")))]
        0
    }
}

#[cfg(any(feature = "wgpu", feature = "cuda"))]
mod observer {
    use std::sync::atomic::{AtomicU64, Ordering};

    /// Adds one per launch.
    #[derive(Debug, Default)]
    pub(super) struct Counter(pub(super) AtomicU64);

    impl cubecl::logging::LaunchObserver for Counter {
        fn launched(&self, _kernel: &'static str) {
            self.0.fetch_add(1, Ordering::Relaxed);
        }
    }
}
