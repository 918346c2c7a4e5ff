//! The fused kernels on ndarray: `NdArrayTensor` storage in, `NdArrayTensor` out.
// burn 0.22 deprecates its ndarray backend; our users still run it.
#![allow(deprecated)]

use burn::backend::ndarray::NdArrayTensor;
use burn::backend::{NdArray, TensorMetadata};
use ndarray::{ArcArray, IxDyn};

use super::prelu::{self, FusedPrelu};
use super::slices::Pass;
use super::{Element, FusedActivation, Kernel, output_buffer, parallel};

type Array<E> = ArcArray<E, IxDyn>;

/// A new standard-layout array of `shape` from the elements `fill` writes (storage not yet
/// touched before that; see [`output_buffer`]).
fn new_array<E: Element>(shape: &[usize], fill: impl FnOnce(&mut [E])) -> Array<E> {
    let mut values = output_buffer::<E>(shape.iter().product());
    fill(&mut values);
    ArcArray::from_shape_vec(IxDyn(shape), values).expect("the shape matches the element count")
}

/// `f(x)`: over x's own memory when x is not shared and in standard layout, else into a new array.
fn forward<E: Element>(mut x: Array<E>, kernel: Kernel) -> Array<E> {
    if x.is_unique() && x.is_standard_layout() {
        parallel(kernel, Pass::ForwardInPlace { x: x.as_slice_mut().expect("standard layout") });
        return x;
    }
    let xs = x.as_standard_layout();
    new_array(x.shape(), |out| {
        parallel(kernel, Pass::Forward { x: xs.as_slice().expect("standard layout"), out })
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
    new_array(x.shape(), |out| {
        parallel(
            kernel,
            Pass::Backward { x: xs, grad: grads.as_slice().expect("standard layout"), out },
        )
    })
}

impl FusedActivation for NdArray {
    fn fused_forward(x: NdArrayTensor, kernel: Kernel) -> NdArrayTensor {
        match x {
            NdArrayTensor::F32(x) => forward(x.into_owned(), kernel).into(),
            NdArrayTensor::F64(x) => forward(x.into_owned(), kernel).into(),
            other => {
                panic!("fused activations take float32 or float64 tensors, not {:?}", other.dtype())
            }
        }
    }

    fn fused_backward(x: NdArrayTensor, grad: NdArrayTensor, kernel: Kernel) -> NdArrayTensor {
        match (x, grad) {
            (NdArrayTensor::F32(x), NdArrayTensor::F32(grad)) => {
                backward(x.into_owned(), grad.into_owned(), kernel).into()
            }
            (NdArrayTensor::F64(x), NdArrayTensor::F64(grad)) => {
                backward(x.into_owned(), grad.into_owned(), kernel).into()
            }
            (x, grad) => panic!(
                "fused activations take matching float32 or float64 tensors, not {:?} and {:?}",
                x.dtype(),
                grad.dtype()
            ),
        }
    }
}

/// The one element of `a` (a slope).
fn only<E: Element>(a: &Array<E>) -> E {
    *a.iter().next().expect("a one-element slope")
}

fn prelu_forward<E: Element>(x: Array<E>, alpha: Array<E>) -> Array<E> {
    let xs = x.as_standard_layout();
    new_array(x.shape(), |out| {
        prelu::forward(xs.as_slice().expect("standard layout"), only(&alpha), out)
    })
}

fn prelu_input_grad<E: Element>(x: Array<E>, alpha: Array<E>, grad: Array<E>) -> Array<E> {
    let (xs, grads) = (x.as_standard_layout(), grad.as_standard_layout());
    new_array(x.shape(), |out| {
        let (xs, grads) = (xs.as_slice(), grads.as_slice());
        prelu::input_grad(xs.expect("standard"), only(&alpha), grads.expect("standard"), out)
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
        match (x, alpha) {
            (NdArrayTensor::F32(x), NdArrayTensor::F32(a)) => {
                prelu_forward(x.into_owned(), a.into_owned()).into()
            }
            (NdArrayTensor::F64(x), NdArrayTensor::F64(a)) => {
                prelu_forward(x.into_owned(), a.into_owned()).into()
            }
            (x, a) => {
                panic!("prelu takes matching float tensors, not {:?} {:?}", x.dtype(), a.dtype())
            }
        }
    }

    fn prelu_input_grad(
        x: NdArrayTensor,
        alpha: NdArrayTensor,
        grad: NdArrayTensor,
    ) -> NdArrayTensor {
        match (x, alpha, grad) {
            (NdArrayTensor::F32(x), NdArrayTensor::F32(a), NdArrayTensor::F32(g)) => {
                prelu_input_grad(x.into_owned(), a.into_owned(), g.into_owned()).into()
            }
            (NdArrayTensor::F64(x), NdArrayTensor::F64(a), NdArrayTensor::F64(g)) => {
                prelu_input_grad(x.into_owned(), a.into_owned(), g.into_owned()).into()
            }
            (x, _, _) => panic!("prelu takes matching float tensors, not {:?}", x.dtype()),
        }
    }

    fn prelu_alpha_grad(x: NdArrayTensor, grad: NdArrayTensor) -> NdArrayTensor {
        match (x, grad) {
            (NdArrayTensor::F32(x), NdArrayTensor::F32(g)) => {
                prelu_alpha_grad(x.into_owned(), g.into_owned()).into()
            }
            (NdArrayTensor::F64(x), NdArrayTensor::F64(g)) => {
                prelu_alpha_grad(x.into_owned(), g.into_owned()).into()
            }
            (x, _) => panic!("prelu takes matching float tensors, not {:?}", x.dtype()),
        }
    }
}
