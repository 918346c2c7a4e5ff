//! The fused kernels on the CubeCL backends (wgpu, cuda): one CubeCL kernel for the forward pass
//! and one for the backward pass, each reading and writing every element once. GPUs compute in
//! the tensor's own precision (float32), with the formulas of [`Kernel::eval`]; the golden tests
//! hold them to the same tolerances as every other backend. Each thread handles a vector of as
//! many elements as the runtime reads best and the tensor's length allows.

use burn::backend::cubecl::dtype_to_storage_type;
use burn_cubecl::kernel::into_contiguous;
use burn_cubecl::ops::numeric::empty_device_dtype;
use burn_cubecl::tensor::CubeTensor;
use cubecl::ir::VectorSize;
use cubecl::prelude::*;
use cubecl::std::tensor::layout::linear::{LinearView, LinearViewMut};
use cubecl::{calculate_cube_count_elemwise, tensor_vector_size_parallel};

use super::{FusedActivation, Kernel};

/// Which formula, fixed when the kernel is compiled.
#[derive(Clone, Copy, Debug, Hash, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
enum Formula {
    /// Parameter `a`: beta.
    Swish,
    Mish,
    /// Parameters `a`: lambda, `b`: alpha.
    Selu,
}

/// The formula and its two parameters (unused ones are 0).
fn formula(kernel: Kernel) -> (Formula, f64, f64) {
    match kernel {
        Kernel::Swish { beta } => (Formula::Swish, beta, 0.0),
        Kernel::Mish => (Formula::Mish, 0.0, 0.0),
        Kernel::Selu { lambda, alpha } => (Formula::Selu, lambda, alpha),
    }
}

#[cube]
fn value<F: Float, N: Size>(
    x: Vector<F, N>,
    a: F,
    b: F,
    #[comptime] formula: Formula,
) -> Vector<F, N> {
    let one = Vector::new(F::new(1.0));
    match comptime![formula] {
        Formula::Swish => {
            let z = Vector::new(a) * x;
            x / (one + Vector::exp(Vector::new(F::new(0.0)) - z))
        }
        Formula::Mish => {
            let limit = Vector::new(F::new(20.0));
            let linear = x.greater_than(&limit);
            let u = Vector::exp(select_many(linear, limit, x));
            let w = u * (u + Vector::new(F::new(2.0)));
            select_many(linear, x, x * w / (w + Vector::new(F::new(2.0))))
        }
        Formula::Selu => {
            let zero = Vector::new(F::new(0.0));
            let positive = x.greater_than(&zero);
            let negative_part = Vector::exp_m1(select_many(positive, zero, x)) * Vector::new(a * b);
            select_many(positive, x * Vector::new(a), negative_part)
        }
    }
}

#[cube]
fn slope<F: Float, N: Size>(
    x: Vector<F, N>,
    a: F,
    b: F,
    #[comptime] formula: Formula,
) -> Vector<F, N> {
    let one = Vector::new(F::new(1.0));
    match comptime![formula] {
        Formula::Swish => {
            let z = Vector::new(a) * x;
            let s = one / (one + Vector::exp(Vector::new(F::new(0.0)) - z));
            s + z * s * (one - s)
        }
        Formula::Mish => {
            let limit = Vector::new(F::new(20.0));
            let two = Vector::new(F::new(2.0));
            let linear = x.greater_than(&limit);
            let u = Vector::exp(select_many(linear, limit, x));
            let w = u * (u + two);
            let inv = one / (w + two);
            let gate = w * inv;
            let sech2 = Vector::new(F::new(4.0)) * (w + one) * inv * inv;
            let sigmoid = u / (u + one);
            select_many(linear, one, gate + x * sigmoid * sech2)
        }
        Formula::Selu => {
            let zero = Vector::new(F::new(0.0));
            let positive = x.greater_than(&zero);
            let negative_part = Vector::exp(select_many(positive, zero, x)) * Vector::new(a * b);
            select_many(positive, Vector::new(a), negative_part)
        }
    }
}

#[cube(launch, address_type = "dynamic")]
fn forward_kernel<F: Float, N: Size>(
    input: LinearView<'_, Vector<F, N>>,
    mut output: LinearViewMut<'_, Vector<F, N>>,
    a: InputScalar,
    b: InputScalar,
    #[comptime] formula: Formula,
    #[define(F)] _dtype: ElemType,
) {
    if !output.is_in_bounds(ABSOLUTE_POS) {
        terminate!();
    }
    let x = input.read(ABSOLUTE_POS);
    output.write(ABSOLUTE_POS, value::<F, N>(x, a.get::<F>(), b.get::<F>(), formula));
}

#[cube(launch, address_type = "dynamic")]
fn backward_kernel<F: Float, N: Size>(
    input: LinearView<'_, Vector<F, N>>,
    grad: LinearView<'_, Vector<F, N>>,
    mut output: LinearViewMut<'_, Vector<F, N>>,
    a: InputScalar,
    b: InputScalar,
    #[comptime] formula: Formula,
    #[define(F)] _dtype: ElemType,
) {
    if !output.is_in_bounds(ABSOLUTE_POS) {
        terminate!();
    }
    let x = input.read(ABSOLUTE_POS);
    output.write(
        ABSOLUTE_POS,
        grad.read(ABSOLUTE_POS) * slope::<F, N>(x, a.get::<F>(), b.get::<F>(), formula),
    );
}

/// Everything one launch needs besides its tensors: the output, the launch geometry (one thread
/// per vector of elements: as wide as the runtime reads best and every tensor's contiguous last
/// dimension allows), and the kernel's formula and parameters.
struct Launch {
    output: CubeTensor,
    count: CubeCount,
    dim: CubeDim,
    address: AddressType,
    vectors: VectorSize,
    formula: Formula,
    a: InputScalar,
    b: InputScalar,
    storage: ElemType,
}

impl Launch {
    /// Plans an element-wise launch over the contiguous `inputs` (the first is x), writing a new
    /// tensor shaped like x.
    fn new(inputs: &[&CubeTensor], kernel: Kernel) -> Launch {
        let x = inputs[0];
        let output =
            empty_device_dtype(x.client.clone(), x.device.clone(), x.meta.shape().clone(), x.dtype);
        let all = || inputs.iter().copied().chain([&output]);
        let vectors = all()
            .map(|t| {
                tensor_vector_size_parallel(
                    t.client.io_optimized_vector_sizes(t.dtype.size()),
                    t.meta.shape(),
                    t.meta.strides(),
                    t.meta.num_dims() - 1,
                )
            })
            .min()
            .unwrap_or(1);
        let units = x.meta.num_elements() / vectors;
        let dim = CubeDim::new(&x.client, units);
        let count = calculate_cube_count_elemwise(&x.client, units, dim);
        let address = all().map(|t| t.required_address_type()).max().unwrap_or_default();
        let (formula, a, b) = formula(kernel);
        let storage = dtype_to_storage_type(x.dtype);
        Launch {
            output,
            count,
            dim,
            address,
            vectors,
            formula,
            a: InputScalar::new(a, storage),
            b: InputScalar::new(b, storage),
            storage,
        }
    }
}

impl FusedActivation for burn_cubecl::CubeBackend {
    fn fused_forward(x: CubeTensor, kernel: Kernel) -> CubeTensor {
        let x = into_contiguous(x);
        let l = Launch::new(&[&x], kernel);
        let client = x.client.clone();
        forward_kernel::launch(
            &client,
            l.count,
            l.dim,
            l.address,
            l.vectors,
            x.into_linear_view(),
            l.output.clone().into_linear_view(),
            l.a,
            l.b,
            l.formula,
            l.storage,
        );
        l.output
    }

    fn fused_backward(x: CubeTensor, grad: CubeTensor, kernel: Kernel) -> CubeTensor {
        let (x, grad) = (into_contiguous(x), into_contiguous(grad));
        let l = Launch::new(&[&x, &grad], kernel);
        let client = x.client.clone();
        backward_kernel::launch(
            &client,
            l.count,
            l.dim,
            l.address,
            l.vectors,
            x.into_linear_view(),
            grad.into_linear_view(),
            l.output.clone().into_linear_view(),
            l.a,
            l.b,
            l.formula,
            l.storage,
        );
        l.output
    }
}
