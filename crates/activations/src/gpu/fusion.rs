//! burn's kernel fusion on the GPU backends: compiled in with our `fusion` feature, switched off
//! for one process by [`DISABLE_VARIABLE`].
//!
//! With fusion, a GPU backend records operations lazily and runs a chain of element-wise
//! operations (and reductions and matrix products around them) as one kernel; our one-pass
//! kernels (`fused.rs`) join that graph as opaque operations. burn reads its configuration once
//! per process, so "fusion off" is a process started with `BURN_FUSION_MAX_EXPLORATIONS=0`: its
//! fusion search never runs, and every operation is launched as its own kernel, as a build
//! without the feature launches it (the queue in front of the kernels remains).

/// The environment variable burn reads at start-up; `0` turns the fusion search off.
pub const DISABLE_VARIABLE: &str = "BURN_FUSION_MAX_EXPLORATIONS";

/// Whether this build has burn's fusion (our `fusion` feature) for a GPU backend.
pub fn compiled() -> bool {
    cfg!(all(feature = "fusion", any(feature = "wgpu", feature = "cuda")))
}

/// Whether the GPU backends fuse in this process: compiled in, and not switched off by
/// [`DISABLE_VARIABLE`] (or a `burn.toml`) when burn first read its configuration.
pub fn enabled() -> bool {
    compiled() && burn::runtime_config().fusion().beam_search.max_explorations != Some(0)
}
