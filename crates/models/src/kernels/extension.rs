//! The backend extension: the ops each CPU backend implements (`on_flex.rs`, `on_ndarray.rs`),
//! their autodiff nodes, and the tensor-level calls.

// burn 0.22 deprecates its ndarray backend (named in the extension below); our users still run it.
#![allow(deprecated)]

use burn::backend::autodiff::checkpoint::base::Checkpointer;
use burn::backend::autodiff::checkpoint::strategy::CheckpointStrategy;
use burn::backend::autodiff::grads::Gradients;
use burn::backend::autodiff::ops::{Backward, Ops, OpsKind, unary};
use burn::backend::tensor::FloatTensor;
use burn::backend::{Autodiff, Backend, Dispatch, TensorMetadata, backend_extension};
use burn::prelude::*;

use super::conv::ConvShape;
use super::pool::PoolShape;

#[backend_extension(Flex: cfg(feature = "flex"), NdArray: cfg(feature = "ndarray"), Autodiff)]
pub trait CnnKernels: Backend {
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
}

/// The float types the kernels take.
pub(super) trait Real:
    Copy
    + PartialOrd
    + std::ops::Add<Output = Self>
    + std::ops::AddAssign
    + bytemuck::Pod
    + burn::tensor::Element
    + Send
    + Sync
    + 'static
{
    const ZERO: Self;
    const ONE: Self;
    fn is_nan(self) -> bool;
}

impl Real for f32 {
    const ZERO: Self = 0.0;
    const ONE: Self = 1.0;
    fn is_nan(self) -> bool {
        self.is_nan()
    }
}

impl Real for f64 {
    const ZERO: Self = 0.0;
    const ONE: Self = 1.0;
    fn is_nan(self) -> bool {
        self.is_nan()
    }
}

/// The convolution's shape from x `[n, c_in, h, w]` and the output channels and kernel side.
pub(super) fn conv_shape(x: &[usize], c_out: usize, kernel: usize) -> ConvShape {
    let &[batch, c_in, height, width] = x else { panic!("a 4-D image batch, not {x:?}") };
    ConvShape { batch, c_in, c_out, height, width, kernel }
}

/// The pooling's shape from x `[n, c, h, w]`.
pub(super) fn pool_shape(x: &[usize]) -> PoolShape {
    let &[batch, channels, height, width] = x else { panic!("a 4-D image batch, not {x:?}") };
    PoolShape { planes: batch * channels, height, width }
}

/// The convolution's node: keeps x and the weight.
#[derive(Debug)]
struct ConvBackward;

impl<B: CnnKernels> Backward<B, 3> for ConvBackward {
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

impl<B: CnnKernels> Backward<B, 1> for PoolBackward {
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

impl<B: CnnKernels, C: CheckpointStrategy> CnnKernels for Autodiff<B, C> {
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
}

/// `conv(x, weight) + bias` with our kernels: x `[n, c_in, h, w]` on flex or ndarray.
pub(super) fn conv2d_same(x: Tensor<4>, weight: Tensor<4>, bias: Tensor<1>) -> Tensor<4> {
    Tensor::from_dispatch(<Dispatch as CnnKernels>::conv2d_same(
        x.into_dispatch(),
        weight.into_dispatch(),
        bias.into_dispatch(),
    ))
}

/// 2x2 max-pooling with stride 2 with our kernels: x `[n, c, h, w]` on flex or ndarray.
pub(super) fn max_pool2x2(x: Tensor<4>) -> Tensor<4> {
    Tensor::from_dispatch(<Dispatch as CnnKernels>::max_pool2x2(x.into_dispatch()))
}
