//! The backend extension: the ops each CPU backend implements (`on_flex.rs`, `on_ndarray.rs`),
//! their autodiff nodes, and the tensor-level calls.

// burn 0.22 deprecates its ndarray backend (named in the extension below); our users still run it.
#![allow(deprecated)]

use burn::backend::autodiff::NodeId;
use burn::backend::autodiff::checkpoint::base::Checkpointer;
use burn::backend::autodiff::checkpoint::strategy::CheckpointStrategy;
use burn::backend::autodiff::grads::Gradients;
use burn::backend::autodiff::ops::{Backward, Ops, OpsKind, unary};
use burn::backend::tensor::FloatTensor;
use burn::backend::{Autodiff, Backend, Dispatch, TensorMetadata, backend_extension};
use burn::prelude::*;
use burn::tensor::Slice;

use super::cells::{CellKernels, LstmOp};
use super::conv::ConvShape;
use super::norm::NormShape;
use super::pool::PoolShape;

#[backend_extension(Flex: cfg(feature = "flex"), NdArray: cfg(feature = "ndarray"), Autodiff)]
pub trait ModelKernels: Backend {
    /// `conv(x, weight) + bias`: x `[n, c_in, h, w]`, weight `[c_out, c_in, k, k]` (k odd),
    /// bias `[c_out]`; stride 1, padding `k / 2`.
    fn conv2d_same(
        x: FloatTensor<Self>,
        weight: FloatTensor<Self>,
        bias: FloatTensor<Self>,
    ) -> FloatTensor<Self>;
    /// dL/dx from dL/d(output).
    fn conv2d_same_input_grad(
        weight: FloatTensor<Self>,
        grad: FloatTensor<Self>,
    ) -> FloatTensor<Self>;
    /// dL/dweight (its shape comes from x, grad and `kernel`).
    fn conv2d_same_weight_grad(
        x: FloatTensor<Self>,
        grad: FloatTensor<Self>,
        kernel: usize,
    ) -> FloatTensor<Self>;
    /// dL/dbias.
    fn conv2d_same_bias_grad(grad: FloatTensor<Self>) -> FloatTensor<Self>;
    /// 2x2 max-pooling with stride 2: `[n, c, h, w]` -> `[n, c, h / 2, w / 2]`.
    fn max_pool2x2(x: FloatTensor<Self>) -> FloatTensor<Self>;
    /// dL/dx of the pooling from x and dL/d(output).
    fn max_pool2x2_grad(x: FloatTensor<Self>, grad: FloatTensor<Self>) -> FloatTensor<Self>;
    /// Batch normalisation's statistics per channel of x `[n, c, ...]`: `[2, c]`, the means then
    /// the biased variances (`norm::stats`). Not differentiated.
    fn batch_norm_stats(x: FloatTensor<Self>) -> FloatTensor<Self>;
    /// `γ (x - μ) / sqrt(σ² + ε) + β` per channel with `stats` from
    /// [`batch_norm_stats`](ModelKernels::batch_norm_stats) (the batch's in training, the running
    /// ones in evaluation).
    fn batch_norm_apply(
        x: FloatTensor<Self>,
        stats: FloatTensor<Self>,
        gamma: FloatTensor<Self>,
        beta: FloatTensor<Self>,
        epsilon: f64,
    ) -> FloatTensor<Self>;
    /// dL/dx, dL/dγ and dL/dβ of [`batch_norm_apply`](ModelKernels::batch_norm_apply) with the
    /// batch's own statistics (their derivatives included), flattened into one 1-D tensor.
    fn batch_norm_grad(
        x: FloatTensor<Self>,
        grad: FloatTensor<Self>,
        stats: FloatTensor<Self>,
        gamma: FloatTensor<Self>,
        epsilon: f64,
    ) -> FloatTensor<Self>;
    /// One half of an LSTM step (`cells::lstm`), `[rows, hidden]`, from the gate
    /// pre-activations z `[rows, 4 hidden]` and the state c it reads (`LstmOp::State`: c, giving
    /// c'; `LstmOp::Output`: c', giving h').
    fn lstm(
        z: FloatTensor<Self>,
        c: FloatTensor<Self>,
        op: LstmOp,
        kernels: CellKernels,
    ) -> FloatTensor<Self>;
    /// dL/dz and dL/dc from the gradient of its output, flattened into one 1-D tensor.
    fn lstm_grad(
        z: FloatTensor<Self>,
        c: FloatTensor<Self>,
        grad: FloatTensor<Self>,
        op: LstmOp,
        kernels: CellKernels,
    ) -> FloatTensor<Self>;
    /// GRU step h' `[rows, hidden]` from xw = x W + b and hu = h U (`[rows, 3 hidden]` each) and
    /// h (`cells::gru`).
    fn gru_step(
        xw: FloatTensor<Self>,
        hu: FloatTensor<Self>,
        h: FloatTensor<Self>,
        kernels: CellKernels,
    ) -> FloatTensor<Self>;
    /// dL/dxw, dL/dhu and dL/dh from dL/dh', flattened into one 1-D tensor.
    fn gru_step_grad(
        xw: FloatTensor<Self>,
        hu: FloatTensor<Self>,
        h: FloatTensor<Self>,
        grad: FloatTensor<Self>,
        kernels: CellKernels,
    ) -> FloatTensor<Self>;
}

/// The convolution's shape from x `[n, c_in, h, w]` and the output channels and kernel side.
pub(super) fn conv_shape(x: &[usize], c_out: usize, kernel: usize) -> ConvShape {
    let &[batch, c_in, height, width] = x else { panic!("a 4-D image batch, not {x:?}") };
    ConvShape { batch, c_in, c_out, height, width, kernel }
}

/// Batch normalisation's shape from x `[n, c, ...]`.
pub(super) fn norm_shape(x: &[usize]) -> NormShape {
    let &[batch, channels, ref image @ ..] = x else { panic!("a batch of channels, not {x:?}") };
    NormShape { batch, channels, plane: image.iter().product() }
}

/// The pooling's shape from x `[n, c, h, w]`.
pub(super) fn pool_shape(x: &[usize]) -> PoolShape {
    let &[batch, channels, height, width] = x else { panic!("a 4-D image batch, not {x:?}") };
    PoolShape { planes: batch * channels, height, width }
}

/// The convolution's node: keeps x and the weight.
#[derive(Debug)]
struct ConvBackward;

impl<B: ModelKernels> Backward<B, 3> for ConvBackward {
    type State = (FloatTensor<B>, FloatTensor<B>);

    fn backward(
        self,
        ops: Ops<Self::State, 3>,
        grads: &mut Gradients,
        _checkpointer: &mut Checkpointer,
    ) {
        let [node_x, node_weight, node_bias] = ops.parents;
        let grad = grads.consume::<B>(&ops.node);
        let (x, weight) = ops.state;
        if let Some(node) = node_weight {
            let kernel = weight.shape()[3];
            let dw = B::conv2d_same_weight_grad(x, grad.clone(), kernel);
            grads.register::<B>(node.id, dw);
        }
        if let Some(node) = node_bias {
            grads.register::<B>(node.id, B::conv2d_same_bias_grad(grad.clone()));
        }
        if let Some(node) = node_x {
            grads.register::<B>(node.id, B::conv2d_same_input_grad(weight, grad));
        }
    }
}

/// The pooling's node: keeps x.
#[derive(Debug)]
struct PoolBackward;

impl<B: ModelKernels> Backward<B, 1> for PoolBackward {
    type State = FloatTensor<B>;

    fn backward(
        self,
        ops: Ops<Self::State, 1>,
        grads: &mut Gradients,
        _checkpointer: &mut Checkpointer,
    ) {
        let x = ops.state;
        unary::<B, _>(ops.parents, ops.node, grads, |grad| B::max_pool2x2_grad(x, grad));
    }
}

/// Splits a flattened gradient buffer into tensors of `shapes`, in order.
fn split<B: Backend>(flat: FloatTensor<B>, shapes: &[Shape]) -> Vec<FloatTensor<B>> {
    let mut start = 0;
    shapes
        .iter()
        .map(|shape| {
            let end = start + shape.num_elements();
            let range = Slice::new(start as isize, Some(end as isize), 1);
            start = end;
            B::float_reshape(B::float_slice(flat.clone(), &[range]), shape.clone())
        })
        .collect()
}

/// Registers each gradient (split from the flattened buffer `flat`, in the shapes of `state`'s
/// tensors) with its parent, for the parents that want one.
fn register<B: Backend, const N: usize>(
    parents: [Option<NodeId>; N],
    flat: FloatTensor<B>,
    shapes: [Shape; N],
    grads: &mut Gradients,
) {
    for (parent, gradient) in parents.into_iter().zip(split::<B>(flat, &shapes)) {
        if let Some(id) = parent {
            grads.register::<B>(id, gradient);
        }
    }
}

/// Batch normalisation's node in training: keeps x, the batch's statistics and γ.
#[derive(Debug)]
struct NormBackward(f64);

impl<B: ModelKernels> Backward<B, 3> for NormBackward {
    type State = (FloatTensor<B>, FloatTensor<B>, FloatTensor<B>);

    fn backward(
        self,
        ops: Ops<Self::State, 3>,
        grads: &mut Gradients,
        _checkpointer: &mut Checkpointer,
    ) {
        let grad = grads.consume::<B>(&ops.node);
        let (x, stats, gamma) = ops.state;
        let shapes = [x.shape(), gamma.shape(), gamma.shape()];
        let flat = B::batch_norm_grad(x, grad, stats, gamma, self.0);
        register::<B, 3>(ops.parents.map(|p| p.map(|node| node.id)), flat, shapes, grads);
    }
}

/// An LSTM op's node: keeps z and the state it read.
#[derive(Debug)]
struct LstmBackward(LstmOp, CellKernels);

impl<B: ModelKernels> Backward<B, 2> for LstmBackward {
    type State = (FloatTensor<B>, FloatTensor<B>);

    fn backward(
        self,
        ops: Ops<Self::State, 2>,
        grads: &mut Gradients,
        _checkpointer: &mut Checkpointer,
    ) {
        let grad = grads.consume::<B>(&ops.node);
        let (z, c) = ops.state;
        let shapes = [z.shape(), c.shape()];
        let flat = B::lstm_grad(z, c, grad, self.0, self.1);
        register::<B, 2>(ops.parents.map(|p| p.map(|node| node.id)), flat, shapes, grads);
    }
}

/// The GRU step's node: keeps xw, hu and h.
#[derive(Debug)]
struct GruBackward(CellKernels);

impl<B: ModelKernels> Backward<B, 3> for GruBackward {
    type State = (FloatTensor<B>, FloatTensor<B>, FloatTensor<B>);

    fn backward(
        self,
        ops: Ops<Self::State, 3>,
        grads: &mut Gradients,
        _checkpointer: &mut Checkpointer,
    ) {
        let grad = grads.consume::<B>(&ops.node);
        let (xw, hu, h) = ops.state;
        let shapes = [xw.shape(), hu.shape(), h.shape()];
        let flat = B::gru_step_grad(xw, hu, h, grad, self.0);
        register::<B, 3>(ops.parents.map(|p| p.map(|node| node.id)), flat, shapes, grads);
    }
}

impl<B: ModelKernels, C: CheckpointStrategy> ModelKernels for Autodiff<B, C> {
    fn conv2d_same(
        x: FloatTensor<Self>,
        weight: FloatTensor<Self>,
        bias: FloatTensor<Self>,
    ) -> FloatTensor<Self> {
        let nodes = [x.node(), weight.node(), bias.node()];
        match ConvBackward.prepare::<C>(nodes).compute_bound().stateful() {
            OpsKind::Tracked(prep) => {
                let (x, weight) = (x.into_primitive(), weight.into_primitive());
                let out = B::conv2d_same(x.clone(), weight.clone(), bias.into_primitive());
                prep.finish((x, weight), out)
            }
            OpsKind::UnTracked(prep) => prep.finish(B::conv2d_same(
                x.into_primitive(),
                weight.into_primitive(),
                bias.into_primitive(),
            )),
        }
    }

    fn conv2d_same_input_grad(
        weight: FloatTensor<Self>,
        grad: FloatTensor<Self>,
    ) -> FloatTensor<Self> {
        // Used only inside a backward pass; second derivatives are not supported.
        FloatTensor::<Self>::new(B::conv2d_same_input_grad(
            weight.into_primitive(),
            grad.into_primitive(),
        ))
    }

    fn conv2d_same_weight_grad(
        x: FloatTensor<Self>,
        grad: FloatTensor<Self>,
        kernel: usize,
    ) -> FloatTensor<Self> {
        FloatTensor::<Self>::new(B::conv2d_same_weight_grad(
            x.into_primitive(),
            grad.into_primitive(),
            kernel,
        ))
    }

    fn conv2d_same_bias_grad(grad: FloatTensor<Self>) -> FloatTensor<Self> {
        FloatTensor::<Self>::new(B::conv2d_same_bias_grad(grad.into_primitive()))
    }

    fn max_pool2x2(x: FloatTensor<Self>) -> FloatTensor<Self> {
        match PoolBackward.prepare::<C>([x.node()]).compute_bound().stateful() {
            OpsKind::Tracked(prep) => {
                let x = x.into_primitive();
                prep.finish(x.clone(), B::max_pool2x2(x))
            }
            OpsKind::UnTracked(prep) => prep.finish(B::max_pool2x2(x.into_primitive())),
        }
    }

    fn max_pool2x2_grad(x: FloatTensor<Self>, grad: FloatTensor<Self>) -> FloatTensor<Self> {
        FloatTensor::<Self>::new(B::max_pool2x2_grad(x.into_primitive(), grad.into_primitive()))
    }

    fn batch_norm_stats(x: FloatTensor<Self>) -> FloatTensor<Self> {
        FloatTensor::<Self>::new(B::batch_norm_stats(x.into_primitive()))
    }

    fn batch_norm_apply(
        x: FloatTensor<Self>,
        stats: FloatTensor<Self>,
        gamma: FloatTensor<Self>,
        beta: FloatTensor<Self>,
        epsilon: f64,
    ) -> FloatTensor<Self> {
        let nodes = [x.node(), gamma.node(), beta.node()];
        match NormBackward(epsilon).prepare::<C>(nodes).compute_bound().stateful() {
            OpsKind::Tracked(prep) => {
                let (x, stats, gamma) =
                    (x.into_primitive(), stats.into_primitive(), gamma.into_primitive());
                let out = B::batch_norm_apply(
                    x.clone(),
                    stats.clone(),
                    gamma.clone(),
                    beta.into_primitive(),
                    epsilon,
                );
                prep.finish((x, stats, gamma), out)
            }
            OpsKind::UnTracked(prep) => prep.finish(B::batch_norm_apply(
                x.into_primitive(),
                stats.into_primitive(),
                gamma.into_primitive(),
                beta.into_primitive(),
                epsilon,
            )),
        }
    }

    fn batch_norm_grad(
        x: FloatTensor<Self>,
        grad: FloatTensor<Self>,
        stats: FloatTensor<Self>,
        gamma: FloatTensor<Self>,
        epsilon: f64,
    ) -> FloatTensor<Self> {
        FloatTensor::<Self>::new(B::batch_norm_grad(
            x.into_primitive(),
            grad.into_primitive(),
            stats.into_primitive(),
            gamma.into_primitive(),
            epsilon,
        ))
    }

    fn lstm(
        z: FloatTensor<Self>,
        c: FloatTensor<Self>,
        op: LstmOp,
        kernels: CellKernels,
    ) -> FloatTensor<Self> {
        let nodes = [z.node(), c.node()];
        match LstmBackward(op, kernels).prepare::<C>(nodes).compute_bound().stateful() {
            OpsKind::Tracked(prep) => {
                let (z, c) = (z.into_primitive(), c.into_primitive());
                prep.finish((z.clone(), c.clone()), B::lstm(z, c, op, kernels))
            }
            OpsKind::UnTracked(prep) => {
                prep.finish(B::lstm(z.into_primitive(), c.into_primitive(), op, kernels))
            }
        }
    }

    fn lstm_grad(
        z: FloatTensor<Self>,
        c: FloatTensor<Self>,
        grad: FloatTensor<Self>,
        op: LstmOp,
        kernels: CellKernels,
    ) -> FloatTensor<Self> {
        FloatTensor::<Self>::new(B::lstm_grad(
            z.into_primitive(),
            c.into_primitive(),
            grad.into_primitive(),
            op,
            kernels,
        ))
    }

    fn gru_step(
        xw: FloatTensor<Self>,
        hu: FloatTensor<Self>,
        h: FloatTensor<Self>,
        kernels: CellKernels,
    ) -> FloatTensor<Self> {
        let nodes = [xw.node(), hu.node(), h.node()];
        match GruBackward(kernels).prepare::<C>(nodes).compute_bound().stateful() {
            OpsKind::Tracked(prep) => {
                let (xw, hu, h) = (xw.into_primitive(), hu.into_primitive(), h.into_primitive());
                prep.finish((xw.clone(), hu.clone(), h.clone()), B::gru_step(xw, hu, h, kernels))
            }
            OpsKind::UnTracked(prep) => prep.finish(B::gru_step(
                xw.into_primitive(),
                hu.into_primitive(),
                h.into_primitive(),
                kernels,
            )),
        }
    }

    fn gru_step_grad(
        xw: FloatTensor<Self>,
        hu: FloatTensor<Self>,
        h: FloatTensor<Self>,
        grad: FloatTensor<Self>,
        kernels: CellKernels,
    ) -> FloatTensor<Self> {
        FloatTensor::<Self>::new(B::gru_step_grad(
            xw.into_primitive(),
            hu.into_primitive(),
            h.into_primitive(),
            grad.into_primitive(),
            kernels,
        ))
    }
}

/// `conv(x, weight) + bias` with our kernels: x `[n, c_in, h, w]` on flex or ndarray.
pub(super) fn conv2d_same(x: Tensor<4>, weight: Tensor<4>, bias: Tensor<1>) -> Tensor<4> {
    Tensor::from_dispatch(<Dispatch as ModelKernels>::conv2d_same(
        x.into_dispatch(),
        weight.into_dispatch(),
        bias.into_dispatch(),
    ))
}

/// 2x2 max-pooling with stride 2 with our kernels: x `[n, c, h, w]` on flex or ndarray.
pub(super) fn max_pool2x2(x: Tensor<4>) -> Tensor<4> {
    Tensor::from_dispatch(<Dispatch as ModelKernels>::max_pool2x2(x.into_dispatch()))
}

/// Batch normalisation's statistics of x `[n, c, ...]` with our kernel: `[2, c]`, the means
/// then the biased variances; not tracked by autodiff.
pub(super) fn batch_norm_stats<const D: usize>(x: Tensor<D>) -> Tensor<2> {
    Tensor::from_dispatch(<Dispatch as ModelKernels>::batch_norm_stats(x.into_dispatch()))
}

/// `γ (x - μ) / sqrt(σ² + ε) + β` per channel with our kernel; `stats` `[2, c]` as
/// [`batch_norm_stats`] gives them. Differentiated as training's batch normalisation: `stats`
/// must be x's own.
pub(super) fn batch_norm<const D: usize>(
    x: Tensor<D>,
    stats: Tensor<2>,
    gamma: Tensor<1>,
    beta: Tensor<1>,
    epsilon: f64,
) -> Tensor<D> {
    Tensor::from_dispatch(<Dispatch as ModelKernels>::batch_norm_apply(
        x.into_dispatch(),
        stats.into_dispatch(),
        gamma.into_dispatch(),
        beta.into_dispatch(),
        epsilon,
    ))
}

/// One half of an LSTM step with our kernel (`ModelKernels::lstm`): z `[rows, 4 hidden]`, c
/// `[rows, hidden]`.
pub(super) fn lstm(z: Tensor<2>, c: Tensor<2>, op: LstmOp, kernels: CellKernels) -> Tensor<2> {
    Tensor::from_dispatch(<Dispatch as ModelKernels>::lstm(
        z.into_dispatch(),
        c.into_dispatch(),
        op,
        kernels,
    ))
}

/// The GRU step h' with our kernel: xw, hu `[rows, 3 hidden]`, h `[rows, hidden]`.
pub(super) fn gru_step(
    xw: Tensor<2>,
    hu: Tensor<2>,
    h: Tensor<2>,
    kernels: CellKernels,
) -> Tensor<2> {
    Tensor::from_dispatch(<Dispatch as ModelKernels>::gru_step(
        xw.into_dispatch(),
        hu.into_dispatch(),
        h.into_dispatch(),
        kernels,
    ))
}
