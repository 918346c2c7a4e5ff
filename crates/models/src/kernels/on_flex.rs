//! The models' kernels on flex: `FlexTensor` storage in, `FlexTensor` out.

use burn::backend::Flex;
use burn::backend::flex::FlexTensor;
use burn::tensor::{DType, Shape, TensorData};

use super::cells::{self, CellKernels, LstmOp};
use super::extension::{ModelKernels, conv_shape, norm_shape, pool_shape};
use super::{conv, norm, pool};

/// A contiguous copy of `t`, readable as a slice.
fn contiguous(t: FlexTensor) -> FlexTensor {
    if t.layout().contiguous_offsets().is_some() { t } else { t.to_contiguous() }
}

/// The elements of a contiguous tensor.
fn slice<E: bytemuck::Pod + burn::tensor::Element>(t: &FlexTensor) -> &[E] {
    t.as_slice().expect("a contiguous tensor of the kernel's dtype")
}

/// Runs `$body` with `$E` the element type of `$t` (float32 or float64).
macro_rules! by_dtype {
    ($t:expr, $E:ident => $body:expr) => {
        match $t.dtype() {
            DType::F32 => {
                type $E = f32;
                $body
            }
            DType::F64 => {
                type $E = f64;
                $body
            }
            other => panic!("the models' kernels take float32 or float64 tensors, not {other:?}"),
        }
    };
}

impl ModelKernels for Flex {
    fn conv2d_same(x: FlexTensor, weight: FlexTensor, bias: FlexTensor) -> FlexTensor {
        let (x, weight, bias) = (contiguous(x), contiguous(weight), contiguous(bias));
        let w = weight.layout().shape().to_vec();
        let s = conv_shape(x.layout().shape(), w[0], w[3]);
        by_dtype!(x, E => {
            let y = conv::forward(s, slice::<E>(&x), slice(&weight), slice(&bias));
            state(vec![s.batch, s.c_out, s.height, s.width], y)
        })
    }

    fn conv2d_same_input_grad(weight: FlexTensor, grad: FlexTensor) -> FlexTensor {
        let (weight, grad) = (contiguous(weight), contiguous(grad));
        let w = weight.layout().shape().to_vec();
        let g = grad.layout().shape().to_vec();
        let s = conv_shape(&[g[0], w[1], g[2], g[3]], w[0], w[3]);
        by_dtype!(grad, E => {
            let dx = conv::input_grad(s, slice::<E>(&weight), slice(&grad));
            state(vec![s.batch, s.c_in, s.height, s.width], dx)
        })
    }

    fn conv2d_same_weight_grad(x: FlexTensor, grad: FlexTensor, kernel: usize) -> FlexTensor {
        let (x, grad) = (contiguous(x), contiguous(grad));
        let s = conv_shape(x.layout().shape(), grad.layout().shape()[1], kernel);
        by_dtype!(x, E => {
            let dw = conv::weight_grad(s, slice::<E>(&x), slice(&grad));
            FlexTensor::from_data(TensorData::new(dw, [s.c_out, s.c_in, kernel, kernel]))
        })
    }

    fn conv2d_same_bias_grad(grad: FlexTensor) -> FlexTensor {
        let grad = contiguous(grad);
        let &[_, channels, height, width] = grad.layout().shape().as_ref() else {
            panic!("a 4-D gradient")
        };
        by_dtype!(grad, E => {
            let db = conv::bias_grad(channels, height * width, slice::<E>(&grad));
            FlexTensor::from_data(TensorData::new(db, [channels]))
        })
    }

    fn max_pool2x2(x: FlexTensor) -> FlexTensor {
        let x = contiguous(x);
        let dims = x.layout().shape().to_vec();
        let s = pool_shape(&dims);
        let shape = vec![dims[0], dims[1], s.out_height(), s.out_width()];
        by_dtype!(x, E => state(shape, pool::forward(s, slice::<E>(&x))))
    }

    fn max_pool2x2_grad(x: FlexTensor, grad: FlexTensor) -> FlexTensor {
        let (x, grad) = (contiguous(x), contiguous(grad));
        let dims = x.layout().shape().to_vec();
        let s = pool_shape(&dims);
        by_dtype!(x, E => state(dims, pool::backward(s, slice::<E>(&x), slice(&grad))))
    }

    fn batch_norm_stats(x: FlexTensor) -> FlexTensor {
        let x = contiguous(x);
        let s = norm_shape(x.layout().shape());
        by_dtype!(x, E => state(vec![2, s.channels], norm::stats::<E>(s, slice(&x))))
    }

    fn batch_norm_apply(
        x: FlexTensor,
        stats: FlexTensor,
        gamma: FlexTensor,
        beta: FlexTensor,
        epsilon: f64,
    ) -> FlexTensor {
        let (x, stats) = (contiguous(x), contiguous(stats));
        let (gamma, beta) = (contiguous(gamma), contiguous(beta));
        let shape = x.layout().shape().to_vec();
        let s = norm_shape(&shape);
        by_dtype!(x, E => {
            let (stats, gamma, beta) = (slice(&stats), slice(&gamma), slice(&beta));
            let y = norm::forward::<E>(s, slice(&x), stats, gamma, beta, epsilon);
            state(shape, y)
        })
    }

    fn batch_norm_grad(
        x: FlexTensor,
        grad: FlexTensor,
        stats: FlexTensor,
        gamma: FlexTensor,
        epsilon: f64,
    ) -> FlexTensor {
        let (x, grad) = (contiguous(x), contiguous(grad));
        let (stats, gamma) = (contiguous(stats), contiguous(gamma));
        let s = norm_shape(x.layout().shape());
        by_dtype!(x, E => flat(norm::backward::<E>(s, slice(&x), slice(&grad), slice(&stats), slice(&gamma), epsilon)))
    }

    fn lstm(z: FlexTensor, c: FlexTensor, op: LstmOp, kernels: CellKernels) -> FlexTensor {
        let (z, c) = (contiguous(z), contiguous(c));
        let shape = c.layout().shape().to_vec();
        by_dtype!(z, E => state(shape.clone(), cells::lstm::<E>(op, kernels, shape[1], slice(&z), slice(&c))))
    }

    fn lstm_grad(
        z: FlexTensor,
        c: FlexTensor,
        grad: FlexTensor,
        op: LstmOp,
        kernels: CellKernels,
    ) -> FlexTensor {
        let (z, c, grad) = (contiguous(z), contiguous(c), contiguous(grad));
        let hidden = c.layout().shape()[1];
        by_dtype!(z, E => flat(cells::lstm_grad::<E>(op, kernels, hidden, slice(&z), slice(&c), slice(&grad))))
    }

    fn gru_step(xw: FlexTensor, hu: FlexTensor, h: FlexTensor, kernels: CellKernels) -> FlexTensor {
        let (xw, hu, h) = (contiguous(xw), contiguous(hu), contiguous(h));
        let shape = h.layout().shape().to_vec();
        by_dtype!(xw, E => state(shape.clone(), cells::gru::<E>(kernels, shape[1], slice(&xw), slice(&hu), slice(&h))))
    }

    fn gru_step_grad(
        xw: FlexTensor,
        hu: FlexTensor,
        h: FlexTensor,
        grad: FlexTensor,
        kernels: CellKernels,
    ) -> FlexTensor {
        let (xw, hu, h, grad) = (contiguous(xw), contiguous(hu), contiguous(h), contiguous(grad));
        let hidden = h.layout().shape()[1];
        by_dtype!(xw, E => flat(cells::gru_grad::<E>(kernels, hidden, slice(&xw), slice(&hu), slice(&h), slice(&grad))))
    }
}

/// A tensor of `shape` from its elements.
fn state<E: bytemuck::Pod + burn::tensor::Element>(
    shape: Vec<usize>,
    values: Vec<E>,
) -> FlexTensor {
    FlexTensor::from_data(TensorData::new(values, Shape::from(shape)))
}

/// A 1-D tensor of flattened gradients.
fn flat<E: bytemuck::Pod + burn::tensor::Element>(values: Vec<E>) -> FlexTensor {
    let n = values.len();
    FlexTensor::from_data(TensorData::new(values, [n]))
}
