//! Gated activations `y = f(a) * b` in one pass on every backend, for gates with a one-pass
//! element kernel ([`Kernel`]):
//! - forward: reads `a` and `b` once, writes `y` once;
//! - backward: `dL/da = (g * b) * f'(a)` and `dL/db = g * f(a)` in one pass (reads `a`, `b` and
//!   `g` once, writes both gradients once; on the CPU `f` and `f'` of an element share their
//!   work; on CubeCL two kernels, one per gradient).
//!
//! Each result is rounded as the composed version (the gate's one-pass kernel, then burn's
//! element-wise product, and autodiff's product rule) rounds it: on flex and ndarray the two give
//! the same bits (tested), so records do not depend on which path ran.

// burn 0.22 deprecates its ndarray backend (named in the extension below); our users still run it.
#![allow(deprecated)]

use burn::backend::autodiff::checkpoint::base::Checkpointer;
use burn::backend::autodiff::checkpoint::strategy::CheckpointStrategy;
use burn::backend::autodiff::grads::Gradients;
use burn::backend::autodiff::ops::{Backward, Ops, OpsKind};
use burn::backend::tensor::FloatTensor;
use burn::backend::{Autodiff, Backend, Dispatch, backend_extension};
use burn::prelude::*;

use super::Kernel;

/// The gated passes as backend ops (`on_flex.rs`, `on_ndarray.rs`, `on_cube.rs`), with their
/// autodiff node.
#[backend_extension(Flex: cfg(feature = "flex"), NdArray: cfg(feature = "ndarray"), Cube: cfg(any(feature = "wgpu", feature = "cuda")), Fusion: cfg(all(feature = "fusion", any(feature = "wgpu", feature = "cuda"))), Autodiff)]
pub trait FusedGated: Backend {
    /// `f(a) * b`.
    #[fusion(dtype = a, shape = a)]
    fn gated_forward(
        a: FloatTensor<Self>,
        b: FloatTensor<Self>,
        kernel: Kernel,
    ) -> FloatTensor<Self>;
    /// `(dL/da, dL/db) = ((g * b) * f'(a), g * f(a))` from `g = dL/dy`.
    #[fusion(meta = |a, b, _grad, _kernel| (a.clone(), b.clone()))]
    fn gated_backward(
        a: FloatTensor<Self>,
        b: FloatTensor<Self>,
        grad: FloatTensor<Self>,
        kernel: Kernel,
    ) -> (FloatTensor<Self>, FloatTensor<Self>);
}

/// The node: keeps `a` and `b`.
#[derive(Debug)]
struct GatedBackward(Kernel);

impl<B: FusedGated> Backward<B, 2> for GatedBackward {
    type State = (FloatTensor<B>, FloatTensor<B>);

    fn backward(
        self,
        ops: Ops<Self::State, 2>,
        grads: &mut Gradients,
        _checkpointer: &mut Checkpointer,
    ) {
        let [node_a, node_b] = ops.parents;
        let grad = grads.consume::<B>(&ops.node);
        let (a, b) = ops.state;
        let (da, db) = B::gated_backward(a, b, grad, self.0);
        if let Some(node) = node_a {
            grads.register::<B>(node.id, da);
        }
        if let Some(node) = node_b {
            grads.register::<B>(node.id, db);
        }
    }
}

impl<B: FusedGated, C: CheckpointStrategy> FusedGated for Autodiff<B, C> {
    fn gated_forward(
        a: FloatTensor<Self>,
        b: FloatTensor<Self>,
        kernel: Kernel,
    ) -> FloatTensor<Self> {
        match GatedBackward(kernel).prepare::<C>([a.node(), b.node()]).compute_bound().stateful() {
            OpsKind::Tracked(prep) => {
                let (a, b) = (a.into_primitive(), b.into_primitive());
                let y = B::gated_forward(a.clone(), b.clone(), kernel);
                prep.finish((a, b), y)
            }
            OpsKind::UnTracked(prep) => {
                prep.finish(B::gated_forward(a.into_primitive(), b.into_primitive(), kernel))
            }
        }
    }

    fn gated_backward(
        a: FloatTensor<Self>,
        b: FloatTensor<Self>,
        grad: FloatTensor<Self>,
        kernel: Kernel,
    ) -> (FloatTensor<Self>, FloatTensor<Self>) {
        // Used only inside a backward pass; second derivatives are not supported.
        let (da, db) = B::gated_backward(
            a.into_primitive(),
            b.into_primitive(),
            grad.into_primitive(),
            kernel,
        );
        (FloatTensor::<Self>::new(da), FloatTensor::<Self>::new(db))
    }
}

/// `f(a) * b` in one pass with a one-pass backward under autodiff. Call only when
/// [`super::supported`] is true for `a` and `b` has `a`'s shape, device and dtype.
pub fn apply<const D: usize>(a: Tensor<D>, b: Tensor<D>, kernel: Kernel) -> Tensor<D> {
    Tensor::from_dispatch(<Dispatch as FusedGated>::gated_forward(
        a.into_dispatch(),
        b.into_dispatch(),
        kernel,
    ))
}
