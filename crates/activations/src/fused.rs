//! One-pass forward and backward kernels for our Swish (fixed beta), Mish and SELU on the flex
//! CPU backend, through burn's backend-extension API.
//!
//! Without this, each activation is a chain of element-wise tensor operations (about ten passes
//! over memory forward, more backward) plus the nodes that join a hand-written derivative to
//! autodiff. Here the forward pass reads x once and writes f(x) once; the autodiff node keeps x
//! and its backward pass reads x and dL/dy once and writes dL/dx = dL/dy * f'(x) once. Each
//! element is computed in f64 from the same formulas as the tensor versions (so float32 results
//! are correctly rounded), split over the CPU cores with rayon.
//!
//! Only flex is routed here. burn 0.22's extension API would also take ndarray (its tensors are
//! `ndarray` arrays behind an enum we would have to unpack) and wgpu (a CubeCL kernel); those
//! backends keep the tensor-operation versions, which are correct and tested against the same
//! golden values. See the README's performance section.

use burn::backend::autodiff::checkpoint::base::Checkpointer;
use burn::backend::autodiff::checkpoint::strategy::CheckpointStrategy;
use burn::backend::autodiff::grads::Gradients;
use burn::backend::autodiff::ops::{Backward, Ops, OpsKind, unary};
use burn::backend::flex::FlexTensor;
use burn::backend::tensor::FloatTensor;
use burn::backend::{Autodiff, Backend, Dispatch, Flex, backend_extension};
use burn::prelude::*;
use burn::tensor::DType;
use rayon::prelude::*;

/// Which function a fused kernel computes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kernel {
    /// `x * sigmoid(beta * x)`.
    Swish { beta: f64 },
    /// `x * tanh(softplus(x))`.
    Mish,
    /// `lambda * x` for x > 0, `lambda * alpha * (exp(x) - 1)` otherwise; f'(0) is the left branch.
    Selu { lambda: f64, alpha: f64 },
}

impl Kernel {
    /// `(f(x), f'(x))` for one element, in f64.
    #[inline]
    pub fn eval(self, x: f64) -> (f64, f64) {
        match self {
            Kernel::Swish { beta } => {
                let z = beta * x;
                // sigmoid(z) and 1 - sigmoid(z) from exp(-|z|), both to full relative precision.
                let e = (-z.abs()).exp();
                let big = 1.0 / (1.0 + e);
                let small = e * big;
                let (s, one_minus_s) = if z >= 0.0 { (big, small) } else { (small, big) };
                (x * s, s + z * s * one_minus_s)
            }
            Kernel::Mish => {
                if x > 20.0 {
                    return (x, 1.0);
                }
                let u = x.exp();
                let w = u * (u + 2.0);
                let gate = w / (w + 2.0);
                let sech2 = 4.0 * (w + 1.0) / ((w + 2.0) * (w + 2.0));
                let sigmoid = u / (u + 1.0);
                (x * gate, gate + x * sigmoid * sech2)
            }
            Kernel::Selu { lambda, alpha } => {
                if x > 0.0 {
                    (lambda * x, lambda)
                } else {
                    (lambda * alpha * x.exp_m1(), lambda * alpha * x.exp())
                }
            }
        }
    }
}

#[backend_extension(Flex, Autodiff)]
pub trait FusedActivation: Backend {
    /// `f(x)`, one pass.
    fn fused_forward(x: FloatTensor<Self>, kernel: Kernel) -> FloatTensor<Self>;
    /// `grad * f'(x)`, one pass.
    fn fused_backward(x: FloatTensor<Self>, grad: FloatTensor<Self>, kernel: Kernel) -> FloatTensor<Self>;
}

/// Elements per rayon task.
const CHUNK: usize = 1 << 14;

fn contiguous(t: FlexTensor) -> FlexTensor {
    if t.is_contiguous() { t } else { t.to_contiguous() }
}

/// Applies `op(x_chunk, other_chunk, out_chunk)` over matching chunks, in parallel.
fn map_flex(x: FlexTensor, other: Option<FlexTensor>, op: impl Fn(&[f64], Option<&[f64]>, &mut [f64]) + Sync, op32: impl Fn(&[f32], Option<&[f32]>, &mut [f32]) + Sync) -> FlexTensor {
    let x = contiguous(x);
    let other = other.map(contiguous);
    let mut out = FlexTensor::empty(x.layout().shape().clone(), x.dtype());
    match x.dtype() {
        DType::F64 => {
            let (xs, os) = (x.storage::<f64>(), other.as_ref().map(|o| o.storage::<f64>()));
            out.storage_mut::<f64>().par_chunks_mut(CHUNK).enumerate().for_each(|(i, chunk)| {
                let range = i * CHUNK..i * CHUNK + chunk.len();
                op(&xs[range.clone()], os.map(|o| &o[range]), chunk)
            });
        }
        DType::F32 => {
            let (xs, os) = (x.storage::<f32>(), other.as_ref().map(|o| o.storage::<f32>()));
            out.storage_mut::<f32>().par_chunks_mut(CHUNK).enumerate().for_each(|(i, chunk)| {
                let range = i * CHUNK..i * CHUNK + chunk.len();
                op32(&xs[range.clone()], os.map(|o| &o[range]), chunk)
            });
        }
        other => panic!("fused activations take float32 or float64 tensors, not {other:?}"),
    }
    out
}

impl FusedActivation for Flex {
    fn fused_forward(x: FlexTensor, kernel: Kernel) -> FlexTensor {
        map_flex(
            x,
            None,
            |x, _, out| out.iter_mut().zip(x).for_each(|(o, &v)| *o = kernel.eval(v).0),
            |x, _, out| out.iter_mut().zip(x).for_each(|(o, &v)| *o = kernel.eval(v as f64).0 as f32),
        )
    }

    fn fused_backward(x: FlexTensor, grad: FlexTensor, kernel: Kernel) -> FlexTensor {
        map_flex(
            x,
            Some(grad),
            |x, g, out| out.iter_mut().zip(x).zip(g.expect("grad")).for_each(|((o, &v), &g)| *o = g * kernel.eval(v).1),
            |x, g, out| out.iter_mut().zip(x).zip(g.expect("grad")).for_each(|((o, &v), &g)| *o = (g as f64 * kernel.eval(v as f64).1) as f32),
        )
    }
}

/// The autodiff node: keeps x, and its backward is one fused pass.
#[derive(Debug)]
struct FusedBackward(Kernel);

impl<B: FusedActivation> Backward<B, 1> for FusedBackward {
    type State = FloatTensor<B>;

    fn backward(self, ops: Ops<Self::State, 1>, grads: &mut Gradients, _checkpointer: &mut Checkpointer) {
        let (x, kernel) = (ops.state, self.0);
        unary::<B, _>(ops.parents, ops.node, grads, |grad| B::fused_backward(x, grad, kernel));
    }
}

impl<B: FusedActivation, C: CheckpointStrategy> FusedActivation for Autodiff<B, C> {
    fn fused_forward(x: FloatTensor<Self>, kernel: Kernel) -> FloatTensor<Self> {
        match FusedBackward(kernel).prepare::<C>([x.node()]).compute_bound().stateful() {
            OpsKind::Tracked(prep) => {
                let input = x.into_primitive();
                prep.finish(input.clone(), B::fused_forward(input, kernel))
            }
            OpsKind::UnTracked(prep) => prep.finish(B::fused_forward(x.into_primitive(), kernel)),
        }
    }

    fn fused_backward(x: FloatTensor<Self>, grad: FloatTensor<Self>, kernel: Kernel) -> FloatTensor<Self> {
        // Used only inside a backward pass; second derivatives are not supported.
        FloatTensor::<Self>::new(B::fused_backward(x.into_primitive(), grad.into_primitive(), kernel))
    }
}

/// Whether the fused kernels apply to `x`: a float32 or float64 tensor on flex (with or without
/// autodiff).
pub fn supported<const D: usize>(x: &Tensor<D>) -> bool {
    matches!(x.dtype(), DType::F32 | DType::F64) && x.device().without_autodiff() == Device::flex()
}

/// `kernel` applied to `x` in one pass, with a one-pass backward under autodiff. Call only when
/// [`supported`] is true for `x`'s device.
pub fn apply<const D: usize>(x: Tensor<D>, kernel: Kernel) -> Tensor<D> {
    Tensor::from_dispatch(<Dispatch as FusedActivation>::fused_forward(x.into_dispatch(), kernel))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fused_matches_the_element_formulas_and_autodiff_sees_the_derivative() {
        let device = Device::flex().autodiff();
        let xs = [-30.0f32, -3.0, -0.5, 0.0, 0.5, 3.0, 25.0];
        for kernel in [Kernel::Swish { beta: 1.0 }, Kernel::Swish { beta: 2.5 }, Kernel::Mish, Kernel::Selu { lambda: 1.0507009873554805, alpha: 1.6732632423543772 }] {
            let x = Tensor::<1>::from_floats(xs, &device).require_grad();
            let y = apply(x.clone(), kernel);
            let grads = (y.clone() * Tensor::from_floats([1.0f32, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0], &device)).sum().backward();
            let dx: Vec<f32> = x.grad(&grads).unwrap().into_data().try_to_vec::<f32>().unwrap();
            let y: Vec<f32> = y.into_data().try_to_vec::<f32>().unwrap();
            for (i, &v) in xs.iter().enumerate() {
                let (f, d) = kernel.eval(v as f64);
                assert_eq!(y[i], f as f32, "{kernel:?} f({v})");
                assert_eq!(dx[i], ((i + 1) as f64 * d) as f32, "{kernel:?} f'({v})");
            }
        }
    }
}
