//! What the GPU backends (wgpu, cuda) do beyond computing: whether burn's kernel fusion is on
//! ([`fusion`]) and how many kernels a piece of work launches ([`launches`]). Both are answered
//! on any machine, Mesa's CPU Vulkan driver included, so the GPU cost of a training step can be
//! followed without a GPU.

pub mod fusion;
pub mod launches;
