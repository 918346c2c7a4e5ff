//! The fused kernels on flex: `FlexTensor` storage in, `FlexTensor` out.

use burn::backend::Flex;
use burn::backend::flex::FlexTensor;
use burn::tensor::DType;

use super::gated::FusedGated;
use super::prelu::{self, FusedPrelu};
use super::slices::Pass;
use super::{CHUNK, Element, FusedActivation, Kernel, output_buffer, parallel};

/// `t` with its elements in one contiguous run of its storage (copied only when they are not).
fn contiguous(t: FlexTensor) -> FlexTensor {
    if t.layout().contiguous_offsets().is_some() { t } else { t.to_contiguous() }
}

/// The elements of a contiguous tensor.
fn elements<E: Element>(t: &FlexTensor) -> &[E] {
    t.as_slice().expect("a contiguous tensor of the kernel's dtype")
}

/// The elements of `t` for writing in place, when `t` owns its data alone and is contiguous.
fn elements_mut<E: Element>(t: &mut FlexTensor) -> Option<&mut [E]> {
    let (start, end) = t.layout().contiguous_offsets()?;
    Some(&mut t.try_storage_mut::<E>()?[start..end])
}

/// A new contiguous tensor of `shape` with elements of type `E`, written chunk by chunk by
/// `fill(i, out)` (see [`output_buffer`]).
fn new_output<E: Element>(
    shape: burn::tensor::Shape,
    fill: impl Fn(usize, &mut [E]) + Sync + Send,
) -> FlexTensor {
    let values = output_buffer::<E>(shape.num_elements(), fill);
    FlexTensor::from_data(burn::tensor::TensorData::new(values, shape))
}

/// `f(x)`: over x's own memory when x is not shared (inference), else into a new tensor.
fn forward<E: Element>(mut x: FlexTensor, kernel: Kernel) -> FlexTensor {
    if let Some(values) = elements_mut::<E>(&mut x) {
        parallel(kernel, Pass::ForwardInPlace { x: values });
        return x;
    }
    let x = contiguous(x);
    let xs = elements::<E>(&x);
    new_output::<E>(x.layout().shape().clone(), |i, out| {
        E::RUN(kernel, Pass::Forward { x: &xs[i * CHUNK..][..out.len()], out })
    })
}

/// `grad * f'(x)`: over the incoming gradient's memory when it is not shared (the usual case),
/// else into a new tensor.
fn backward<E: Element>(x: FlexTensor, mut grad: FlexTensor, kernel: Kernel) -> FlexTensor {
    let x = contiguous(x);
    if let Some(values) = elements_mut::<E>(&mut grad) {
        parallel(kernel, Pass::BackwardInPlace { x: elements(&x), grad: values });
        return grad;
    }
    let grad = contiguous(grad);
    let (xs, grads) = (elements::<E>(&x), elements::<E>(&grad));
    new_output::<E>(x.layout().shape().clone(), |i, out| {
        let (x, grad) = (&xs[i * CHUNK..][..out.len()], &grads[i * CHUNK..][..out.len()]);
        E::RUN(kernel, Pass::Backward { x, grad, out })
    })
}

impl FusedActivation for Flex {
    fn fused_forward(x: FlexTensor, kernel: Kernel) -> FlexTensor {
        match x.dtype() {
            DType::F32 => forward::<f32>(x, kernel),
            DType::F64 => forward::<f64>(x, kernel),
            other => panic!("fused activations take float32 or float64 tensors, not {other:?}"),
        }
    }

    fn fused_backward(x: FlexTensor, grad: FlexTensor, kernel: Kernel) -> FlexTensor {
        match x.dtype() {
            DType::F32 => backward::<f32>(x, grad, kernel),
            DType::F64 => backward::<f64>(x, grad, kernel),
            other => panic!("fused activations take float32 or float64 tensors, not {other:?}"),
        }
    }
}

/// The one element of `t` (a slope).
fn only<E: Element>(t: FlexTensor) -> E {
    elements::<E>(&contiguous(t))[0]
}

/// A new one-element tensor.
fn scalar_tensor<E: Element>(value: E) -> FlexTensor {
    FlexTensor::from_data(burn::tensor::TensorData::new(vec![value], [1]))
}

fn prelu_forward<E: Element>(x: FlexTensor, alpha: FlexTensor) -> FlexTensor {
    let x = contiguous(x);
    let (xs, alpha) = (elements::<E>(&x), only(alpha));
    new_output::<E>(x.layout().shape().clone(), |i, out| {
        prelu::forward(&xs[i * CHUNK..][..out.len()], alpha, out)
    })
}

fn prelu_input_grad<E: Element>(x: FlexTensor, alpha: FlexTensor, grad: FlexTensor) -> FlexTensor {
    let (x, grad) = (contiguous(x), contiguous(grad));
    let (xs, grads, alpha) = (elements::<E>(&x), elements::<E>(&grad), only(alpha));
    new_output::<E>(x.layout().shape().clone(), |i, out| {
        let (x, grad) = (&xs[i * CHUNK..][..out.len()], &grads[i * CHUNK..][..out.len()]);
        prelu::input_grad(x, alpha, grad, out)
    })
}

fn prelu_alpha_grad<E: Element>(x: FlexTensor, grad: FlexTensor) -> FlexTensor {
    let (x, grad) = (contiguous(x), contiguous(grad));
    scalar_tensor(prelu::alpha_grad::<E>(elements(&x), elements(&grad)))
}

/// Runs `$f::<E>(args)` with `E` the dtype of `$x` (float32 or float64).
macro_rules! by_dtype {
    ($x:expr, $f:ident($($arg:expr),*)) => {
        match $x.dtype() {
            DType::F32 => $f::<f32>($($arg),*),
            DType::F64 => $f::<f64>($($arg),*),
            other => panic!("fused activations take float32 or float64 tensors, not {other:?}"),
        }
    };
}

impl FusedPrelu for Flex {
    fn prelu_forward(x: FlexTensor, alpha: FlexTensor) -> FlexTensor {
        by_dtype!(x, prelu_forward(x, alpha))
    }

    fn prelu_input_grad(x: FlexTensor, alpha: FlexTensor, grad: FlexTensor) -> FlexTensor {
        by_dtype!(x, prelu_input_grad(x, alpha, grad))
    }

    fn prelu_alpha_grad(x: FlexTensor, grad: FlexTensor) -> FlexTensor {
        by_dtype!(x, prelu_alpha_grad(x, grad))
    }
}

fn gated_forward<E: Element>(a: FlexTensor, b: FlexTensor, kernel: Kernel) -> FlexTensor {
    let (a, b) = (contiguous(a), contiguous(b));
    let (a_all, b_all) = (elements::<E>(&a), elements::<E>(&b));
    new_output::<E>(a.layout().shape().clone(), |i, out| {
        let (a, b) = (&a_all[i * CHUNK..][..out.len()], &b_all[i * CHUNK..][..out.len()]);
        E::RUN(kernel, Pass::GatedForward { a, b, out })
    })
}

fn gated_backward<E: Element>(
    a: FlexTensor,
    b: FlexTensor,
    grad: FlexTensor,
    kernel: Kernel,
) -> (FlexTensor, FlexTensor) {
    let (a, b, grad) = (contiguous(a), contiguous(b), contiguous(grad));
    let mut da = new_output::<E>(a.layout().shape().clone(), |_, _| {});
    let mut db = new_output::<E>(a.layout().shape().clone(), |_, _| {});
    let (a, b, grad) = (elements::<E>(&a), elements(&b), elements(&grad));
    let (da_out, db_out) = (da.storage_mut(), db.storage_mut());
    parallel(kernel, Pass::GatedBackward { a, b, grad, da: da_out, db: db_out });
    (da, db)
}

impl FusedGated for Flex {
    fn gated_forward(a: FlexTensor, b: FlexTensor, kernel: Kernel) -> FlexTensor {
        by_dtype!(a, gated_forward(a, b, kernel))
    }

    fn gated_backward(
        a: FlexTensor,
        b: FlexTensor,
        grad: FlexTensor,
        kernel: Kernel,
    ) -> (FlexTensor, FlexTensor) {
        by_dtype!(a, gated_backward(a, b, grad, kernel))
    }
}
