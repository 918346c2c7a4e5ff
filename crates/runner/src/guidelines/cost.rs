//! Timings from the run's activation micro-benchmark, for the cost rules (G11, G12). The
//! catalogue asks for cost measured two ways: compute-bound (a tensor small enough to stay in
//! cache: ns per element) decides; memory-bound (the largest tensor: GB/s, where every one-pass
//! activation costs about a copy) is reported beside it.

use actbench_activations::backend::Backend;

use super::engine::{Claim, Method, Part};
use super::thresholds::{COMPUTE_BOUND_MAX_ELEMENTS, DELTA_LN_COST};
use crate::num::num;
use crate::records::activation_timing::{ActivationTiming, Mode};
use crate::stats::median;

/// Backends in the micro-benchmark, in order.
pub fn backends(bench: &[ActivationTiming]) -> Vec<Backend> {
    bench.iter().map(|b| b.backend).collect::<std::collections::BTreeSet<_>>().into_iter().collect()
}

/// The compute-bound tensor size benchmarked on `backend` (the smallest, if in cache), and the
/// memory-bound one (the largest, if larger).
pub fn sizes(bench: &[ActivationTiming], backend: Backend) -> (Option<usize>, Option<usize>) {
    let sizes: std::collections::BTreeSet<usize> =
        bench.iter().filter(|b| b.backend == backend).map(|b| b.elements).collect();
    let compute = sizes.first().copied().filter(|n| *n <= COMPUTE_BOUND_MAX_ELEMENTS);
    let memory = sizes.last().copied().filter(|n| *n > COMPUTE_BOUND_MAX_ELEMENTS);
    (compute, memory)
}

/// The evidence line of the memory-bound times of `activations` on `backend` (none when the
/// benchmark has no memory-bound size there).
pub fn memory_bound(
    bench: &[ActivationTiming],
    backend: Backend,
    activations: &[String],
) -> Option<String> {
    let n = sizes(bench, backend).1?;
    let shown: Vec<String> = activations
        .iter()
        .filter_map(|a| times(bench, a, backend, n).map(|t| per_element(a, t, n)))
        .collect();
    Some(format!("{backend} memory-bound ({n} elements): {}", shown.join(", ")))
}

/// The compute-bound size benchmarked on `backend`, or the evidence that says cost cannot be
/// judged there.
pub fn compute_bound(bench: &[ActivationTiming], backend: Backend) -> Result<usize, String> {
    sizes(bench, backend).0.ok_or_else(|| {
        format!("{backend}: no compute-bound (in-cache) size benchmarked: cost not judged")
    })
}

/// The forward+backward repeats of `activation` on `backend` at `elements`.
pub fn times<'a>(
    bench: &'a [ActivationTiming],
    activation: &str,
    backend: Backend,
    elements: usize,
) -> Option<&'a [f64]> {
    bench
        .iter()
        .find(|b| {
            b.activation == activation
                && b.backend == backend
                && b.elements == elements
                && b.mode == Mode::ForwardBackward
        })
        .map(|b| b.times_s.as_slice())
}

/// The part "`slow` costs more than `fast`": ln(time) difference, repeats paired by round (the
/// micro-benchmark times every operation once per round).
pub fn costs_more(label: String, slow: &[f64], fast: &[f64]) -> Part {
    let sample = slow.iter().zip(fast).map(|(s, f)| s.ln() - f.ln()).collect();
    Part::new(label, "ln time ratio", Claim::Better, Method::PairedT, DELTA_LN_COST, sample)
}

/// `mish 1.23 ns/elem` at the median.
pub fn per_element(label: &str, times: &[f64], elements: usize) -> String {
    format!("{label} {} ns/elem", num(1e9 * median(times) / elements as f64))
}
