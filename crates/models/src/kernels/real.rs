//! The float types the kernels take (f32 and f64), below every kernel file and the extension.

use actbench_activations::fused::Kernel;
use actbench_activations::fused::slices::{self, Float, Pass};

/// The float types the kernels take.
pub(super) trait Real:
    Copy
    + PartialOrd
    + std::ops::Add<Output = Self>
    + std::ops::AddAssign
    + std::ops::Mul<Output = Self>
    + std::ops::Sub<Output = Self>
    + bytemuck::Pod
    + burn::tensor::Element
    + Float
    + Send
    + Sync
    + 'static
{
    const ZERO: Self;
    const ONE: Self;
    /// The activation kernels' pass over slices of this type.
    const RUN: fn(Kernel, Pass<'_, Self>);
    fn is_nan(self) -> bool;
}

impl Real for f32 {
    const ZERO: Self = 0.0;
    const ONE: Self = 1.0;
    const RUN: fn(Kernel, Pass<'_, Self>) = slices::run_f32;
    fn is_nan(self) -> bool {
        self.is_nan()
    }
}

impl Real for f64 {
    const ZERO: Self = 0.0;
    const ONE: Self = 1.0;
    const RUN: fn(Kernel, Pass<'_, Self>) = slices::run_f64;
    fn is_nan(self) -> bool {
        self.is_nan()
    }
}

/// `values` as float32 slices, when `E` is float32 (the type of the direct convolution).
pub(super) fn as_f32<E: Real>(values: &[E]) -> Option<&[f32]> {
    is_f32::<E>().then(|| bytemuck::cast_slice(values))
}

/// [`as_f32`] for a mutable slice.
pub(super) fn as_f32_mut<E: Real>(values: &mut [E]) -> Option<&mut [f32]> {
    is_f32::<E>().then(|| bytemuck::cast_slice_mut(values))
}

/// Whether `E` is float32.
pub(super) fn is_f32<E: Real>() -> bool {
    std::any::TypeId::of::<E>() == std::any::TypeId::of::<f32>()
}

/// Partial sums per plane in [`plane_sum`]: four SSE2 vector registers of float32, so four
/// additions run at once (with 8, the loop waited on two chains of dependent additions; the
/// norm and bias-gradient passes ran that much slower).
const LANES: usize = 16;

/// `Σ f(i)` over a plane's positions, in [`LANES`] partial sums of `E`, returned in float64:
/// a fixed order, so the same bits whoever calls it.
#[inline(always)]
pub(super) fn plane_sum<E: Real>(len: usize, f: impl Fn(usize) -> E) -> f64 {
    let mut lanes = [E::ZERO; LANES];
    let whole = len / LANES * LANES;
    for start in (0..whole).step_by(LANES) {
        for (l, lane) in lanes.iter_mut().enumerate() {
            *lane += f(start + l);
        }
    }
    let tail = (whole..len).fold(0.0, |sum, i| sum + f(i).to_f64());
    lanes.iter().fold(tail, |sum, lane| sum + lane.to_f64())
}
