//! How the process's allocator treats the large buffers a training step frees and allocates
//! again.
//!
//! A CNN step allocates and frees the same few-megabyte buffers (activations, gradients, the
//! convolution's shifted copies) every step. glibc serves buffers above its mmap threshold (128 KiB
//! at start, raised to the largest freed one up to 32 MiB) with fresh `mmap`s, and returns free
//! memory at the top of its heap to the kernel beyond its trim threshold: either way the next
//! step's buffers fault in page by page, and the kernel zeroes each page. Profiled on flex (`perf
//! record`, the speed config's `cnn-32-64` cell), page faults, page clearing and unmapping took 14%
//! of the step. Raising both thresholds keeps freed memory in the process for reuse: the step went
//! from 42 ms to 28 ms on the 2-core reference machine. Peak memory stays what the step needs;
//! memory freed at the end of a cell is reused by the next.
//!
//! Training runs on rayon's threads (`in_pool`), and glibc gives each thread its own arena: heaps
//! of 64 MiB that it unmaps whole once their top is free, whatever the trim threshold. The
//! ResNet step still faulted in about 6,000 pages (4 KiB) a step that way. One arena for every
//! thread puts all buffers on the main heap, which the trim threshold governs (the threads take
//! few, large allocations, so they hardly wait on its lock). With it, and the activation outputs
//! zeroed on every core, a 33-step `bench train` of the ResNet ReLU cell faulted 26-29 thousand
//! times instead of 200-270 thousand, and its median step went from 96-104 ms to 82-94 ms (six
//! runs of each, interleaved, Intel Xeon, 2 cores).

/// Buffers up to this size come from the heap (glibc's own ceiling for its adaptive threshold).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const MMAP_THRESHOLD_BYTES: i32 = 32 << 20;

/// Free heap memory up to this size is kept for reuse rather than returned to the kernel.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const TRIM_THRESHOLD_BYTES: i32 = 256 << 20;

/// Keeps freed buffers of up to 32 MiB in the process for reuse, in one arena for every thread
/// (see the module's doc). Call once at start, before other threads allocate. Elsewhere than
/// glibc on Linux: nothing.
pub fn keep_freed_buffers() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes three allocator parameters; it is called before any other
    // thread exists, and an unsupported parameter makes it return 0 without effect.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES);
        libc::mallopt(libc::M_TRIM_THRESHOLD, TRIM_THRESHOLD_BYTES);
        libc::mallopt(libc::M_ARENA_MAX, 1);
    }
}
