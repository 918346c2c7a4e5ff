//! The fused kernels on ndarray: `NdArrayTensor` storage in, `NdArrayTensor` out.
// burn 0.22 deprecates its ndarray backend; our users still run it.
#![allow(deprecated)]

use burn::backend::NdArray;
use burn::backend::ndarray::NdArrayTensor;
use ndarray::{ArcArray, IxDyn};

use super::gated::FusedGated;
use super::prelu::{self, FusedPrelu};
use super::slices::Pass;
use super::{CHUNK, Element, FusedActivation, Kernel, output_buffer, parallel};

type Array<E> = ArcArray<E, IxDyn>;

/// A new standard-layout array of `shape`, written chunk by chunk by `fill(i, out)` (see
/// [`output_buffer`]).
fn new_array<E: Element>(
    shape: &[usize],
    fill: impl Fn(usize, &mut [E]) + Sync + Send,
) -> Array<E> {
    let values = output_buffer::<E>(shape.iter().product(), fill);
    ArcArray::from_shape_vec(IxDyn(shape), values).expect("the shape matches the element count")
}

/// `f(x)`: over x's own memory when x is not shared and in standard layout, else into a new array.
fn forward<E: Element>(mut x: Array<E>, kernel: Kernel) -> Array<E> {
    if x.is_unique() && x.is_standard_layout() {
        parallel(kernel, Pass::ForwardInPlace { x: x.as_slice_mut().expect("standard layout") });
        return x;
    }
    let xs = x.as_standard_layout();
    let xs = xs.as_slice().expect("standard layout");
    new_array(x.shape(), |i, out| {
        E::RUN(kernel, Pass::Forward { x: &xs[i * CHUNK..][..out.len()], out })
    })
}

/// `grad * f'(x)`: over the incoming gradient's memory when it is not shared (the usual case),
/// else into a new array.
fn backward<E: Element>(x: Array<E>, mut grad: Array<E>, kernel: Kernel) -> Array<E> {
    let xs = x.as_standard_layout();
    let xs = xs.as_slice().expect("standard layout");
    if grad.is_unique() && grad.is_standard_layout() {
        parallel(
            kernel,
            Pass::BackwardInPlace { x: xs, grad: grad.as_slice_mut().expect("standard layout") },
        );
        return grad;
    }
    let grads = grad.as_standard_layout();
    let grads = grads.as_slice().expect("standard layout");
    new_array(x.shape(), |i, out| {
        let (x, grad) = (&xs[i * CHUNK..][..out.len()], &grads[i * CHUNK..][..out.len()]);
        E::RUN(kernel, Pass::Backward { x, grad, out })
    })
}

/// Runs `$body` with the tensors named rebound to their owned float32 (or float64) arrays, all of
/// the same dtype, and wraps the array it returns back into a tensor; `$what` names the ops in the
/// panic message for other dtypes. Exported for the models' kernels on ndarray too.
#[macro_export]
macro_rules! ndarray_by_dtype {
    ($what:literal, $($t:ident),+ => $body:expr) => {
        match ($($t,)+) {
            ($($crate::burn::backend::ndarray::NdArrayTensor::F32($t),)+) => {
                $(let $t = $t.into_owned();)+
                $crate::burn::backend::ndarray::NdArrayTensor::from($body)
            }
            ($($crate::burn::backend::ndarray::NdArrayTensor::F64($t),)+) => {
                $(let $t = $t.into_owned();)+
                $crate::burn::backend::ndarray::NdArrayTensor::from($body)
            }
            ($($t,)+) => panic!(
                "{} take matching float32 or float64 tensors, not {:?}",
                $what,
                [$($crate::burn::backend::TensorMetadata::dtype(&$t)),+]
            ),
        }
    };
}

impl FusedActivation for NdArray {
    fn fused_forward(x: NdArrayTensor, kernel: Kernel) -> NdArrayTensor {
        ndarray_by_dtype!("fused activations", x => forward(x, kernel))
    }

    fn fused_backward(x: NdArrayTensor, grad: NdArrayTensor, kernel: Kernel) -> NdArrayTensor {
        ndarray_by_dtype!("fused activations", x, grad => backward(x, grad, kernel))
    }
}

/// The one element of `a` (a slope).
fn only<E: Element>(a: &Array<E>) -> E {
    *a.iter().next().expect("a one-element slope")
}

fn prelu_forward<E: Element>(x: Array<E>, alpha: Array<E>) -> Array<E> {
    let xs = x.as_standard_layout();
    let (xs, alpha) = (xs.as_slice().expect("standard layout"), only(&alpha));
    new_array(x.shape(), |i, out| prelu::forward(&xs[i * CHUNK..][..out.len()], alpha, out))
}

fn prelu_input_grad<E: Element>(x: Array<E>, alpha: Array<E>, grad: Array<E>) -> Array<E> {
    let (xs, grads) = (x.as_standard_layout(), grad.as_standard_layout());
    let (xs, grads) = (xs.as_slice().expect("standard"), grads.as_slice().expect("standard"));
    let alpha = only(&alpha);
    new_array(x.shape(), |i, out| {
        let (x, grad) = (&xs[i * CHUNK..][..out.len()], &grads[i * CHUNK..][..out.len()]);
        prelu::input_grad(x, alpha, grad, out)
    })
}

fn prelu_alpha_grad<E: Element>(x: Array<E>, grad: Array<E>) -> Array<E> {
    let (xs, grads) = (x.as_standard_layout(), grad.as_standard_layout());
    let value = prelu::alpha_grad(
        xs.as_slice().expect("standard layout"),
        grads.as_slice().expect("standard layout"),
    );
    ArcArray::from_shape_vec(IxDyn(&[1]), vec![value]).expect("one element")
}

impl FusedPrelu for NdArray {
    fn prelu_forward(x: NdArrayTensor, alpha: NdArrayTensor) -> NdArrayTensor {
        ndarray_by_dtype!("prelu's kernels", x, alpha => prelu_forward(x, alpha))
    }

    fn prelu_input_grad(
        x: NdArrayTensor,
        alpha: NdArrayTensor,
        grad: NdArrayTensor,
    ) -> NdArrayTensor {
        ndarray_by_dtype!("prelu's kernels", x, alpha, grad => prelu_input_grad(x, alpha, grad))
    }

    fn prelu_alpha_grad(x: NdArrayTensor, grad: NdArrayTensor) -> NdArrayTensor {
        ndarray_by_dtype!("prelu's kernels", x, grad => prelu_alpha_grad(x, grad))
    }
}

fn gated_forward<E: Element>(a: Array<E>, b: Array<E>, kernel: Kernel) -> Array<E> {
    let (a_std, b_std) = (a.as_standard_layout(), b.as_standard_layout());
    let (a_all, b_all) = (a_std.as_slice().expect("standard"), b_std.as_slice().expect("standard"));
    new_array(a.shape(), |i, out| {
        let (a, b) = (&a_all[i * CHUNK..][..out.len()], &b_all[i * CHUNK..][..out.len()]);
        E::RUN(kernel, Pass::GatedForward { a, b, out })
    })
}

fn gated_backward<E: Element>(
    a: Array<E>,
    b: Array<E>,
    grad: Array<E>,
    kernel: Kernel,
) -> (Array<E>, Array<E>) {
    let (a_std, b_std, g_std) =
        (a.as_standard_layout(), b.as_standard_layout(), grad.as_standard_layout());
    let (a_s, b_s) = (a_std.as_slice().expect("standard"), b_std.as_slice().expect("standard"));
    let g_s = g_std.as_slice().expect("standard");
    let (mut da, mut db) = (new_array(a.shape(), |_, _| {}), new_array(a.shape(), |_, _| {}));
    let (da_s, db_s) = (da.as_slice_mut().expect("new"), db.as_slice_mut().expect("new"));
    parallel(kernel, Pass::GatedBackward { a: a_s, b: b_s, grad: g_s, da: da_s, db: db_s });
    (da, db)
}

impl FusedGated for NdArray {
    fn gated_forward(a: NdArrayTensor, b: NdArrayTensor, kernel: Kernel) -> NdArrayTensor {
        ndarray_by_dtype!("gated activations", a, b => gated_forward(a, b, kernel))
    }

    fn gated_backward(
        a: NdArrayTensor,
        b: NdArrayTensor,
        grad: NdArrayTensor,
        kernel: Kernel,
    ) -> (NdArrayTensor, NdArrayTensor) {
        match (a, b, grad) {
            (NdArrayTensor::F32(a), NdArrayTensor::F32(b), NdArrayTensor::F32(g)) => {
                let (da, db) =
                    gated_backward(a.into_owned(), b.into_owned(), g.into_owned(), kernel);
                (NdArrayTensor::from(da), NdArrayTensor::from(db))
            }
            (NdArrayTensor::F64(a), NdArrayTensor::F64(b), NdArrayTensor::F64(g)) => {
                let (da, db) =
                    gated_backward(a.into_owned(), b.into_owned(), g.into_owned(), kernel);
                (NdArrayTensor::from(da), NdArrayTensor::from(db))
            }
            (a, b, g) => panic!(
                "gated activations take matching float32 or float64 tensors, not {:?}",
                [a, b, g].map(|t| burn::backend::TensorMetadata::dtype(&t))
            ),
        }
    }
}
