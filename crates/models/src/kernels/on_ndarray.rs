//! The models' kernels on ndarray: `NdArrayTensor` storage in, `NdArrayTensor` out.
// burn 0.22 deprecates its ndarray backend; our users still run it.
#![allow(deprecated)]

use burn::backend::NdArray;
use burn::backend::ndarray::NdArrayTensor;
use ndarray::{ArcArray, CowArray, IxDyn};

use super::cells::{self, CellKernels, LstmOp};
use super::extension::{ModelKernels, conv_shape, norm_shape, pool_shape};
use super::{conv, norm, pool};

type Array<E> = ArcArray<E, IxDyn>;

/// The elements of `a` in standard (row-major) order, copied only when not already so.
fn standard<E: Clone>(a: &Array<E>) -> CowArray<'_, E, IxDyn> {
    a.as_standard_layout()
}

/// Runs `$body` on the tensors' float32 or float64 arrays (`actbench_activations`' macro).
macro_rules! by_dtype {
    ($($t:ident),+ => $body:expr) => {
        actbench_activations::ndarray_by_dtype!("the models' kernels", $($t),+ => $body)
    };
}

fn slice<'a, E>(a: &'a CowArray<'_, E, IxDyn>) -> &'a [E] {
    a.as_slice().expect("standard layout")
}

impl ModelKernels for NdArray {
    fn conv2d_same(x: NdArrayTensor, weight: NdArrayTensor, bias: NdArrayTensor) -> NdArrayTensor {
        by_dtype!(x, weight, bias => {
            let (x, weight, bias) = (standard(&x), standard(&weight), standard(&bias));
            let s = conv_shape(x.shape(), weight.shape()[0], weight.shape()[3]);
            let y = conv::forward(s, slice(&x), slice(&weight), slice(&bias));
            array(&[s.batch, s.c_out, s.height, s.width], y)
        })
    }

    fn conv2d_same_input_grad(weight: NdArrayTensor, grad: NdArrayTensor) -> NdArrayTensor {
        by_dtype!(weight, grad => {
            let (weight, grad) = (standard(&weight), standard(&grad));
            let (w, g) = (weight.shape(), grad.shape());
            let s = conv_shape(&[g[0], w[1], g[2], g[3]], w[0], w[3]);
            let dx = conv::input_grad(s, slice(&weight), slice(&grad));
            array(&[s.batch, s.c_in, s.height, s.width], dx)
        })
    }

    fn conv2d_same_weight_grad(
        x: NdArrayTensor,
        grad: NdArrayTensor,
        kernel: usize,
    ) -> NdArrayTensor {
        by_dtype!(x, grad => {
            let (x, grad) = (standard(&x), standard(&grad));
            let s = conv_shape(x.shape(), grad.shape()[1], kernel);
            array(&[s.c_out, s.c_in, kernel, kernel], conv::weight_grad(s, slice(&x), slice(&grad)))
        })
    }

    fn conv2d_same_bias_grad(grad: NdArrayTensor) -> NdArrayTensor {
        by_dtype!(grad => {
            let grad = standard(&grad);
            let &[_, channels, height, width] = grad.shape() else { panic!("a 4-D gradient") };
            let db = conv::bias_grad(channels, height * width, slice(&grad));
            ArcArray::from_shape_vec(IxDyn(&[channels]), db).expect("the bias's shape")
        })
    }

    fn max_pool2x2(x: NdArrayTensor) -> NdArrayTensor {
        by_dtype!(x => {
            let x = standard(&x);
            let s = pool_shape(x.shape());
            let shape = [x.shape()[0], x.shape()[1], s.out_height(), s.out_width()];
            array(&shape, pool::forward(s, slice(&x)))
        })
    }

    fn max_pool2x2_grad(x: NdArrayTensor, grad: NdArrayTensor) -> NdArrayTensor {
        by_dtype!(x, grad => {
            let (x, grad) = (standard(&x), standard(&grad));
            let s = pool_shape(x.shape());
            array(x.shape(), pool::backward(s, slice(&x), slice(&grad)))
        })
    }

    fn batch_norm_stats(x: NdArrayTensor) -> NdArrayTensor {
        by_dtype!(x => {
            let x = standard(&x);
            let s = norm_shape(x.shape());
            array(&[2, s.channels], norm::stats(s, slice(&x)))
        })
    }

    fn batch_norm_apply(
        x: NdArrayTensor,
        stats: NdArrayTensor,
        gamma: NdArrayTensor,
        beta: NdArrayTensor,
        epsilon: f64,
    ) -> NdArrayTensor {
        by_dtype!(x, stats, gamma, beta => {
            let (x, stats) = (standard(&x), standard(&stats));
            let (gamma, beta) = (standard(&gamma), standard(&beta));
            let s = norm_shape(x.shape());
            let (stats, gamma, beta) = (slice(&stats), slice(&gamma), slice(&beta));
            let y = norm::forward(s, slice(&x), stats, gamma, beta, epsilon);
            array(x.shape(), y)
        })
    }

    fn batch_norm_grad(
        x: NdArrayTensor,
        grad: NdArrayTensor,
        stats: NdArrayTensor,
        gamma: NdArrayTensor,
        epsilon: f64,
    ) -> NdArrayTensor {
        by_dtype!(x, grad, stats, gamma => {
            let (x, grad) = (standard(&x), standard(&grad));
            let (stats, gamma) = (standard(&stats), standard(&gamma));
            let s = norm_shape(x.shape());
            flat(norm::backward(s, slice(&x), slice(&grad), slice(&stats), slice(&gamma), epsilon))
        })
    }

    fn lstm(z: NdArrayTensor, c: NdArrayTensor, op: LstmOp, kernels: CellKernels) -> NdArrayTensor {
        by_dtype!(z, c => {
            let (z, c) = (standard(&z), standard(&c));
            array(c.shape(), cells::lstm(op, kernels, c.shape()[1], slice(&z), slice(&c)))
        })
    }

    fn lstm_grad(
        z: NdArrayTensor,
        c: NdArrayTensor,
        grad: NdArrayTensor,
        op: LstmOp,
        kernels: CellKernels,
    ) -> NdArrayTensor {
        by_dtype!(z, c, grad => {
            let (z, c, grad) = (standard(&z), standard(&c), standard(&grad));
            let hidden = c.shape()[1];
            flat(cells::lstm_grad(op, kernels, hidden, slice(&z), slice(&c), slice(&grad)))
        })
    }

    fn gru_step(
        xw: NdArrayTensor,
        hu: NdArrayTensor,
        h: NdArrayTensor,
        kernels: CellKernels,
    ) -> NdArrayTensor {
        by_dtype!(xw, hu, h => {
            let (xw, hu, h) = (standard(&xw), standard(&hu), standard(&h));
            array(h.shape(), cells::gru(kernels, h.shape()[1], slice(&xw), slice(&hu), slice(&h)))
        })
    }

    fn gru_step_grad(
        xw: NdArrayTensor,
        hu: NdArrayTensor,
        h: NdArrayTensor,
        grad: NdArrayTensor,
        kernels: CellKernels,
    ) -> NdArrayTensor {
        by_dtype!(xw, hu, h, grad => {
            let (xw, hu, h, grad) = (standard(&xw), standard(&hu), standard(&h), standard(&grad));
            let hidden = h.shape()[1];
            flat(cells::gru_grad(kernels, hidden, slice(&xw), slice(&hu), slice(&h), slice(&grad)))
        })
    }
}

/// An array of `shape` from its elements.
fn array<E>(shape: &[usize], values: Vec<E>) -> Array<E> {
    ArcArray::from_shape_vec(IxDyn(shape), values).expect("the shape matches the element count")
}

/// A 1-D array of flattened gradients.
fn flat<E>(values: Vec<E>) -> Array<E> {
    let n = values.len();
    array(&[n], values)
}
