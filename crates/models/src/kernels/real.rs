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
