//! Hand-written derivatives that burn's autodiff applies as they are.
//!
//! For an element-wise `f`, [`apply`] runs a closure that computes `f(x)` (and, when a gradient
//! will be asked for, `f'(x)`) on an untracked copy of `x`, from formulas that stay finite for
//! every input. The result has the value `f(x)` and the gradient `f'(x)`: the autodiff graph holds
//! three cheap nodes instead of the chain of intermediate operations, and no kink convention is
//! left to chance.

use burn::prelude::*;

/// Runs `f(input, want_slope) -> (value, slope)` on an untracked copy of `x` and joins the result
/// to `x`'s autodiff graph with `slope` as the derivative. `slope` must be `Some` when
/// `want_slope` is true.
pub fn apply<const D: usize>(
    x: Tensor<D>,
    f: impl FnOnce(Tensor<D>, bool) -> (Tensor<D>, Option<Tensor<D>>),
) -> Tensor<D> {
    let tracked = x.is_tracked();
    let input = x.clone().detach();
    let (value, slope) = f(input.clone(), tracked);
    match slope {
        Some(slope) if tracked => with_derivative(x, input, value, slope),
        _ => value,
    }
}

/// `value + (x - input) * slope`, with `input` the untracked copy of `x`: equals `value` (the
/// second term is exactly zero for finite `x`) and has gradient `slope` with respect to `x`.
pub fn with_derivative<const D: usize>(
    x: Tensor<D>,
    input: Tensor<D>,
    value: Tensor<D>,
    slope: Tensor<D>,
) -> Tensor<D> {
    value + (x - input) * slope
}
