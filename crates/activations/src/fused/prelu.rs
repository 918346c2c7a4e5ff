//! PReLU in one pass forward and one backward on the CPU backends (flex, ndarray), with the
//! learned slope as a tensor input and its gradient from the same backward pass.
//!
//! As a chain of tensor operations (compare, multiply by the broadcast slope, select) PReLU cost
//! 2.7x ReLU's time in the speed config's `cnn-8-16` cell: the broadcast multiply's backward
//! alone reduces a full-size product for the slope's gradient. Here:
//! - forward: `y = x if x > 0 else a * x`;
//! - backward: `dx = g if x > 0 else a * g`, and `da = sum of g * x over x <= 0`, summed in
//!   float64 over fixed chunks of `CHUNK` (2^14) elements added in order (the same result for any
//!   number of threads).
//!
//! The derivative at 0 is the slope, as in PyTorch. Products of two float32 values are rounded
//! once, as the float64 formulas rounded to float32 would be.

// burn 0.22 deprecates its ndarray backend (named in the extension below); our users still run it.
#![allow(deprecated)]

use burn::backend::autodiff::checkpoint::base::Checkpointer;
use burn::backend::autodiff::checkpoint::strategy::CheckpointStrategy;
use burn::backend::autodiff::grads::Gradients;
use burn::backend::autodiff::ops::{Backward, Ops, OpsKind};
use burn::backend::tensor::FloatTensor;
use burn::backend::{Autodiff, Backend, Dispatch, backend_extension};
use burn::prelude::*;
use rayon::prelude::*;

use super::{CHUNK, Element};

/// PReLU's two passes as backend ops, implemented by flex and ndarray (`on_flex.rs`,
/// `on_ndarray.rs`), with their autodiff node.
#[backend_extension(Flex: cfg(feature = "flex"), NdArray: cfg(feature = "ndarray"), Autodiff)]
pub trait FusedPrelu: Backend {
    /// `x if x > 0 else alpha * x`; alpha has one element.
    fn prelu_forward(x: FloatTensor<Self>, alpha: FloatTensor<Self>) -> FloatTensor<Self>;
    /// dL/dx from dL/dy.
    fn prelu_input_grad(
        x: FloatTensor<Self>,
        alpha: FloatTensor<Self>,
        grad: FloatTensor<Self>,
    ) -> FloatTensor<Self>;
    /// dL/dalpha (one element) from dL/dy.
    fn prelu_alpha_grad(x: FloatTensor<Self>, grad: FloatTensor<Self>) -> FloatTensor<Self>;
}

/// The factor PReLU multiplies `x` (or its gradient) by: 1 or alpha. A select, not a branch:
/// the sign of x is unpredictable, and branching made the passes several times slower.
#[inline(always)]
fn factor(x: f64, alpha: f64) -> f64 {
    if x > 0.0 { 1.0 } else { alpha }
}

/// `y = x if x > 0 else alpha * x`.
pub(super) fn forward<E: Element>(x: &[E], alpha: E, out: &mut [E]) {
    let alpha = alpha.to_f64();
    out.par_chunks_mut(CHUNK).zip(x.par_chunks(CHUNK)).for_each(|(out, x)| {
        for (o, &x) in out.iter_mut().zip(x) {
            let v = x.to_f64();
            *o = E::from_f64(v * factor(v, alpha));
        }
    });
}

/// `dx = g if x > 0 else alpha * g`.
pub(super) fn input_grad<E: Element>(x: &[E], alpha: E, grad: &[E], out: &mut [E]) {
    let alpha = alpha.to_f64();
    out.par_chunks_mut(CHUNK).zip(x.par_chunks(CHUNK)).zip(grad.par_chunks(CHUNK)).for_each(
        |((out, x), grad)| {
            for ((o, &x), &g) in out.iter_mut().zip(x).zip(grad) {
                *o = E::from_f64(g.to_f64() * factor(x.to_f64(), alpha));
            }
        },
    );
}

/// Accumulators per chunk sum (a fixed number, so the order of additions is fixed too).
const LANES: usize = 8;

/// `da = sum of g * x over x <= 0`, in float64: per chunk in [`LANES`] interleaved sums, the
/// chunk sums added in order.
pub(super) fn alpha_grad<E: Element>(x: &[E], grad: &[E]) -> E {
    let chunk_sum = |x: &[E], grad: &[E]| {
        let mut lanes = [0.0f64; LANES];
        for (i, (&x, &g)) in x.iter().zip(grad).enumerate() {
            let v = x.to_f64();
            // A select keeps NaN (NaN > 0 is false).
            lanes[i % LANES] += g.to_f64() * if v > 0.0 { 0.0 } else { v };
        }
        lanes.iter().sum::<f64>()
    };
    let partials: Vec<f64> =
        x.par_chunks(CHUNK).zip(grad.par_chunks(CHUNK)).map(|(x, g)| chunk_sum(x, g)).collect();
    E::from_f64(partials.iter().sum())
}

/// The node: keeps x and alpha.
#[derive(Debug)]
struct PreluBackward;

impl<B: FusedPrelu> Backward<B, 2> for PreluBackward {
    type State = (FloatTensor<B>, FloatTensor<B>);

    fn backward(
        self,
        ops: Ops<Self::State, 2>,
        grads: &mut Gradients,
        _checkpointer: &mut Checkpointer,
    ) {
        let [node_x, node_alpha] = ops.parents;
        let grad = grads.consume::<B>(&ops.node);
        let (x, alpha) = ops.state;
        if let Some(node) = node_alpha {
            grads.register::<B>(node.id, B::prelu_alpha_grad(x.clone(), grad.clone()));
        }
        if let Some(node) = node_x {
            grads.register::<B>(node.id, B::prelu_input_grad(x, alpha, grad));
        }
    }
}

impl<B: FusedPrelu, C: CheckpointStrategy> FusedPrelu for Autodiff<B, C> {
    fn prelu_forward(x: FloatTensor<Self>, alpha: FloatTensor<Self>) -> FloatTensor<Self> {
        match PreluBackward.prepare::<C>([x.node(), alpha.node()]).compute_bound().stateful() {
            OpsKind::Tracked(prep) => {
                let (x, alpha) = (x.into_primitive(), alpha.into_primitive());
                let y = B::prelu_forward(x.clone(), alpha.clone());
                prep.finish((x, alpha), y)
            }
            OpsKind::UnTracked(prep) => {
                prep.finish(B::prelu_forward(x.into_primitive(), alpha.into_primitive()))
            }
        }
    }

    fn prelu_input_grad(
        x: FloatTensor<Self>,
        alpha: FloatTensor<Self>,
        grad: FloatTensor<Self>,
    ) -> FloatTensor<Self> {
        // Used only inside a backward pass; second derivatives are not supported.
        FloatTensor::<Self>::new(B::prelu_input_grad(
            x.into_primitive(),
            alpha.into_primitive(),
            grad.into_primitive(),
        ))
    }

    fn prelu_alpha_grad(x: FloatTensor<Self>, grad: FloatTensor<Self>) -> FloatTensor<Self> {
        FloatTensor::<Self>::new(B::prelu_alpha_grad(x.into_primitive(), grad.into_primitive()))
    }
}

/// PReLU of `x` with the one-element slope `alpha` (same dtype), gradients to both. Call only
/// where [`supported_on_cpu`](super::supported_on_cpu).
pub fn apply<const D: usize>(x: Tensor<D>, alpha: Tensor<1>) -> Tensor<D> {
    Tensor::from_dispatch(<Dispatch as FusedPrelu>::prelu_forward(
        x.into_dispatch(),
        alpha.into_dispatch(),
    ))
}

#[cfg(test)]
// burn 0.22 deprecates its ndarray backend; our users still run it.
#[allow(deprecated)]
mod tests {
    use super::*;

    /// Values and both gradients against the chain of tensor operations, on each CPU backend.
    #[test]
    fn matches_the_tensor_formula_and_its_gradients() {
        let mut devices = vec![Device::flex().autodiff()];
        #[cfg(feature = "ndarray")]
        devices.push(Device::ndarray().autodiff());
        for device in devices {
            let xs = [-3.0f32, -0.5, 0.0, 0.25, 2.0, -1e-3];
            let weights = Tensor::<1>::from_floats([1.0f32, 2.0, 3.0, 4.0, 5.0, 6.0], &device);
            let run = |fused: bool| {
                let x = Tensor::<1>::from_floats(xs, &device).require_grad();
                let alpha = Tensor::<1>::from_floats([0.25f32], &device).require_grad();
                let y = if fused {
                    apply(x.clone(), alpha.clone())
                } else {
                    let positive = x.clone().greater_elem(0.0);
                    (x.clone() * alpha.clone()).mask_where(positive, x.clone())
                };
                let grads = (y.clone() * weights.clone()).sum().backward();
                let host = |t: Tensor<1>| t.into_data().try_to_vec::<f32>().unwrap();
                (host(y), host(x.grad(&grads).unwrap()), host(alpha.grad(&grads).unwrap()))
            };
            assert_eq!(run(true), run(false), "{device:?}");
        }
    }

    #[test]
    fn the_slope_gradient_does_not_depend_on_the_thread_count() {
        let n = 5 * CHUNK + 17;
        let x: Vec<f32> = (0..n).map(|i| ((i * 7919) % 1000) as f32 / 100.0 - 6.0).collect();
        let g: Vec<f32> = (0..n).map(|i| ((i * 104_729) % 997) as f32 / 500.0 - 1.0).collect();
        let on = |threads| {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            pool.install(|| alpha_grad(&x, &g))
        };
        let one = on(1);
        for threads in [2, 3, 8] {
            assert_eq!(on(threads).to_bits(), one.to_bits(), "{threads} threads");
        }
    }
}
