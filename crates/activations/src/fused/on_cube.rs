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

use super::gated::FusedGated;
use super::{FusedActivation, Kernel};

/// Which formula, fixed when the kernel is compiled.
#[derive(Clone, Copy, Debug, Hash, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
enum Formula {
    /// Parameter `a`: beta.
    Swish,
    Mish,
    /// Parameters `a`: scale, `b`: scale * alpha, `c`: 1 / width.
    ExpLinear,
    Sigmoid,
    Tanh,
    /// Parameter `a`: slope.
    LeakyRelu,
    GeluTanh,
    /// Parameters `a`: beta, `b`: threshold.
    Softplus,
    Gelu,
    LogSigmoid,
    Softsign,
    Relu,
    Relu6,
    HardSigmoid,
    HardSwish,
}

/// The formula and its three parameters (unused ones are 0).
fn formula(kernel: Kernel) -> (Formula, f64, f64, f64) {
    match kernel {
        Kernel::Swish { beta } => (Formula::Swish, beta, 0.0, 0.0),
        Kernel::Mish => (Formula::Mish, 0.0, 0.0, 0.0),
        Kernel::ExpLinear { scale, alpha, width } => {
            (Formula::ExpLinear, scale, scale * alpha, 1.0 / width)
        }
        Kernel::Sigmoid => (Formula::Sigmoid, 0.0, 0.0, 0.0),
        Kernel::Tanh => (Formula::Tanh, 0.0, 0.0, 0.0),
        Kernel::LeakyRelu { slope } => (Formula::LeakyRelu, slope, 0.0, 0.0),
        Kernel::GeluTanh => (Formula::GeluTanh, 0.0, 0.0, 0.0),
        Kernel::Softplus { beta, threshold } => (Formula::Softplus, beta, threshold, 0.0),
        Kernel::Gelu => (Formula::Gelu, 0.0, 0.0, 0.0),
        Kernel::LogSigmoid => (Formula::LogSigmoid, 0.0, 0.0, 0.0),
        Kernel::Softsign => (Formula::Softsign, 0.0, 0.0, 0.0),
        Kernel::Relu => (Formula::Relu, 0.0, 0.0, 0.0),
        Kernel::Relu6 => (Formula::Relu6, 0.0, 0.0, 0.0),
        Kernel::HardSigmoid => (Formula::HardSigmoid, 0.0, 0.0, 0.0),
        Kernel::HardSwish => (Formula::HardSwish, 0.0, 0.0, 0.0),
    }
}

/// `(sigmoid(z), 1 - sigmoid(z))`, both to full relative precision, from one `exp(-|z|)`.
#[cube]
fn sigmoid_pair<F: Float, N: Size>(z: Vector<F, N>) -> (Vector<F, N>, Vector<F, N>) {
    let zero = Vector::new(F::new(0.0));
    let e = Vector::exp(zero - Vector::abs(z));
    let big = Vector::new(F::new(1.0)) / (Vector::new(F::new(1.0)) + e);
    let small = e * big;
    let positive = z.greater_equal(&zero);
    (select_many(positive, big, small), select_many(positive, small, big))
}

/// `min(max(v, lo), hi)` with selects.
#[cube]
fn clamp<F: Float, N: Size>(v: Vector<F, N>, lo: F, hi: F) -> Vector<F, N> {
    let (lo, hi) = (Vector::new(lo), Vector::new(hi));
    select_many(v.greater_than(&hi), hi, select_many(v.less_than(&lo), lo, v))
}

/// 1 where `lo < x < hi`, else 0.
#[cube]
fn inside<F: Float, N: Size>(x: Vector<F, N>, lo: F, hi: F) -> Vector<F, N> {
    let zero = Vector::new(F::new(0.0));
    let one = Vector::new(F::new(1.0));
    let above = select_many(x.greater_than(&Vector::new(lo)), one, zero);
    select_many(x.less_than(&Vector::new(hi)), above, zero)
}

/// The standard normal CDF, `(1 + erf(x / sqrt(2))) / 2`.
#[cube]
fn gelu_cdf<F: Float, N: Size>(x: Vector<F, N>) -> Vector<F, N> {
    let half = Vector::new(F::new(0.5));
    let erf = Vector::erf(x * Vector::new(F::new(std::f32::consts::FRAC_1_SQRT_2)));
    half * (Vector::new(F::new(1.0)) + erf)
}

/// `(e, e - 1)` with `e = exp(-2|x|)`: tanh's building block.
#[cube]
fn tanh_parts<F: Float, N: Size>(x: Vector<F, N>) -> (Vector<F, N>, Vector<F, N>) {
    let n = Vector::new(F::new(-2.0)) * Vector::abs(x);
    (Vector::exp(n), Vector::exp_m1(n))
}

/// GELU-tanh's gate argument `u` and its derivative, from x clamped to +-30.
#[cube]
fn gelu_parts<F: Float, N: Size>(x: Vector<F, N>) -> (Vector<F, N>, Vector<F, N>) {
    let c = clamp::<F, N>(x, F::new(-30.0), F::new(30.0));
    let k2 = Vector::new(F::new(1.595_769_2));
    let cubic = Vector::new(F::new(0.044_715));
    let u = k2 * (c + cubic * c * c * c);
    let du = k2 * (Vector::new(F::new(1.0)) + Vector::new(F::new(3.0)) * cubic * c * c);
    (u, du)
}

#[cube]
fn value<F: Float, N: Size>(
    x: Vector<F, N>,
    a: F,
    b: F,
    c: F,
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
        Formula::ExpLinear => {
            let zero = Vector::new(F::new(0.0));
            let positive = x.greater_than(&zero);
            let z = select_many(positive, zero, x) * Vector::new(c);
            select_many(positive, x * Vector::new(a), Vector::exp_m1(z) * Vector::new(b))
        }
        Formula::Sigmoid => one / (one + Vector::exp(Vector::new(F::new(0.0)) - x)),
        Formula::Tanh => {
            let (_, e_minus_one) = tanh_parts::<F, N>(x);
            let magnitude =
                (Vector::new(F::new(0.0)) - e_minus_one) / (Vector::new(F::new(2.0)) + e_minus_one);
            let negative = x.less_than(&Vector::new(F::new(0.0)));
            select_many(negative, Vector::new(F::new(0.0)) - magnitude, magnitude)
        }
        Formula::LeakyRelu => {
            let positive = x.greater_than(&Vector::new(F::new(0.0)));
            select_many(positive, x, x * Vector::new(a))
        }
        Formula::GeluTanh => {
            let (u, _) = gelu_parts::<F, N>(x);
            x / (one + Vector::exp(Vector::new(F::new(0.0)) - u))
        }
        Formula::Softplus => {
            let z = Vector::new(a) * x;
            let linear = z.greater_than(&Vector::new(b));
            let zero = Vector::new(F::new(0.0));
            let e = Vector::exp(zero - Vector::abs(z));
            let positive_part = select_many(z.greater_than(&zero), z, zero);
            let f = (positive_part + Vector::ln(one + e)) / Vector::new(a);
            select_many(linear, x, f)
        }
        Formula::Gelu => x * gelu_cdf::<F, N>(x),
        Formula::LogSigmoid => {
            let zero = Vector::new(F::new(0.0));
            let e = Vector::exp(zero - Vector::abs(x));
            let negative_part = select_many(x.less_than(&zero), zero - x, zero);
            zero - (negative_part + Vector::ln(one + e))
        }
        Formula::Softsign => x / (one + Vector::abs(x)),
        // `x < 0`, not `x > 0`: NaN passes through (a zero input stays +0 or -0).
        Formula::Relu => {
            let negative = x.less_than(&Vector::new(F::new(0.0)));
            select_many(negative, Vector::new(F::new(0.0)), x)
        }
        Formula::Relu6 => clamp::<F, N>(x, F::new(0.0), F::new(6.0)),
        Formula::HardSigmoid => {
            clamp::<F, N>(x + Vector::new(F::new(3.0)), F::new(0.0), F::new(6.0))
                / Vector::new(F::new(6.0))
        }
        Formula::HardSwish => {
            x * clamp::<F, N>(x + Vector::new(F::new(3.0)), F::new(0.0), F::new(6.0))
                / Vector::new(F::new(6.0))
        }
    }
}

#[cube]
fn slope<F: Float, N: Size>(
    x: Vector<F, N>,
    a: F,
    b: F,
    c: F,
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
        Formula::ExpLinear => {
            let zero = Vector::new(F::new(0.0));
            let positive = x.greater_than(&zero);
            let z = select_many(positive, zero, x) * Vector::new(c);
            select_many(positive, Vector::new(a), Vector::exp(z) * Vector::new(b * c))
        }
        Formula::Sigmoid => {
            let (s, one_minus_s) = sigmoid_pair::<F, N>(x);
            s * one_minus_s
        }
        Formula::Tanh => {
            let (e, _) = tanh_parts::<F, N>(x);
            let one_plus_e = one + e;
            Vector::new(F::new(4.0)) * e / (one_plus_e * one_plus_e)
        }
        Formula::LeakyRelu => {
            let positive = x.greater_than(&Vector::new(F::new(0.0)));
            select_many(positive, one, Vector::new(a))
        }
        Formula::GeluTanh => {
            let (u, du) = gelu_parts::<F, N>(x);
            let (s, one_minus_s) = sigmoid_pair::<F, N>(u);
            s + x * s * one_minus_s * du
        }
        Formula::Softplus => {
            let z = Vector::new(a) * x;
            let linear = z.greater_than(&Vector::new(b));
            let s = one / (one + Vector::exp(Vector::new(F::new(0.0)) - z));
            select_many(linear, one, s)
        }
        Formula::Gelu => {
            let pdf =
                Vector::exp(Vector::new(F::new(-0.5)) * x * x) * Vector::new(F::new(0.398_942_3));
            gelu_cdf::<F, N>(x) + x * pdf
        }
        Formula::LogSigmoid => {
            let (_, one_minus_s) = sigmoid_pair::<F, N>(x);
            one_minus_s
        }
        Formula::Softsign => {
            let d = one + Vector::abs(x);
            one / (d * d)
        }
        // Slope 0 at the kink; here (only) a NaN input's gradient is 0 too.
        Formula::Relu => {
            let positive = x.greater_than(&Vector::new(F::new(0.0)));
            select_many(positive, one, Vector::new(F::new(0.0)))
        }
        Formula::Relu6 => inside::<F, N>(x, F::new(0.0), F::new(6.0)),
        Formula::HardSigmoid => {
            inside::<F, N>(x, F::new(-3.0), F::new(3.0)) / Vector::new(F::new(6.0))
        }
        Formula::HardSwish => {
            let middle = x / Vector::new(F::new(3.0)) + Vector::new(F::new(0.5));
            let slope = inside::<F, N>(x, F::new(-3.0), F::new(3.0)) * middle;
            let upper = x.greater_equal(&Vector::new(F::new(3.0)));
            select_many(upper, one, slope)
        }
    }
}

#[cube(launch, address_type = "dynamic")]
fn forward_kernel<F: Float, N: Size>(
    input: LinearView<'_, Vector<F, N>>,
    mut output: LinearViewMut<'_, Vector<F, N>>,
    a: InputScalar,
    b: InputScalar,
    c: InputScalar,
    #[comptime] formula: Formula,
    #[define(F)] _dtype: ElemType,
) {
    if !output.is_in_bounds(ABSOLUTE_POS) {
        terminate!();
    }
    let x = input.read(ABSOLUTE_POS);
    output.write(ABSOLUTE_POS, value::<F, N>(x, a.get::<F>(), b.get::<F>(), c.get::<F>(), formula));
}

#[cube(launch, address_type = "dynamic")]
fn backward_kernel<F: Float, N: Size>(
    input: LinearView<'_, Vector<F, N>>,
    grad: LinearView<'_, Vector<F, N>>,
    mut output: LinearViewMut<'_, Vector<F, N>>,
    a: InputScalar,
    b: InputScalar,
    c: InputScalar,
    #[comptime] formula: Formula,
    #[define(F)] _dtype: ElemType,
) {
    if !output.is_in_bounds(ABSOLUTE_POS) {
        terminate!();
    }
    let x = input.read(ABSOLUTE_POS);
    output.write(
        ABSOLUTE_POS,
        grad.read(ABSOLUTE_POS)
            * slope::<F, N>(x, a.get::<F>(), b.get::<F>(), c.get::<F>(), formula),
    );
}

#[cube(launch, address_type = "dynamic")]
fn gated_forward_kernel<F: Float, N: Size>(
    gate: LinearView<'_, Vector<F, N>>,
    other: LinearView<'_, Vector<F, N>>,
    mut output: LinearViewMut<'_, Vector<F, N>>,
    a: InputScalar,
    b: InputScalar,
    c: InputScalar,
    #[comptime] formula: Formula,
    #[define(F)] _dtype: ElemType,
) {
    if !output.is_in_bounds(ABSOLUTE_POS) {
        terminate!();
    }
    let x = gate.read(ABSOLUTE_POS);
    let f = value::<F, N>(x, a.get::<F>(), b.get::<F>(), c.get::<F>(), formula);
    output.write(ABSOLUTE_POS, f * other.read(ABSOLUTE_POS));
}

/// `(g * b) * f'(a)`.
#[cube(launch, address_type = "dynamic")]
fn gated_grad_a_kernel<F: Float, N: Size>(
    gate: LinearView<'_, Vector<F, N>>,
    other: LinearView<'_, Vector<F, N>>,
    grad: LinearView<'_, Vector<F, N>>,
    mut output: LinearViewMut<'_, Vector<F, N>>,
    a: InputScalar,
    b: InputScalar,
    c: InputScalar,
    #[comptime] formula: Formula,
    #[define(F)] _dtype: ElemType,
) {
    if !output.is_in_bounds(ABSOLUTE_POS) {
        terminate!();
    }
    let x = gate.read(ABSOLUTE_POS);
    let d = slope::<F, N>(x, a.get::<F>(), b.get::<F>(), c.get::<F>(), formula);
    output.write(ABSOLUTE_POS, (grad.read(ABSOLUTE_POS) * other.read(ABSOLUTE_POS)) * d);
}

/// `g * f(a)`.
#[cube(launch, address_type = "dynamic")]
fn gated_grad_b_kernel<F: Float, N: Size>(
    gate: LinearView<'_, Vector<F, N>>,
    grad: LinearView<'_, Vector<F, N>>,
    mut output: LinearViewMut<'_, Vector<F, N>>,
    a: InputScalar,
    b: InputScalar,
    c: InputScalar,
    #[comptime] formula: Formula,
    #[define(F)] _dtype: ElemType,
) {
    if !output.is_in_bounds(ABSOLUTE_POS) {
        terminate!();
    }
    let x = gate.read(ABSOLUTE_POS);
    let f = value::<F, N>(x, a.get::<F>(), b.get::<F>(), c.get::<F>(), formula);
    output.write(ABSOLUTE_POS, grad.read(ABSOLUTE_POS) * f);
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
    c: InputScalar,
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
        let (formula, a, b, c) = formula(kernel);
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
            c: InputScalar::new(c, storage),
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
            l.c,
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
            l.c,
            l.formula,
            l.storage,
        );
        l.output
    }
}

impl FusedGated for burn_cubecl::CubeBackend {
    fn gated_forward(a: CubeTensor, b: CubeTensor, kernel: Kernel) -> CubeTensor {
        let (a, b) = (into_contiguous(a), into_contiguous(b));
        let l = Launch::new(&[&a, &b], kernel);
        let client = a.client.clone();
        gated_forward_kernel::launch(
            &client,
            l.count,
            l.dim,
            l.address,
            l.vectors,
            a.into_linear_view(),
            b.into_linear_view(),
            l.output.clone().into_linear_view(),
            l.a,
            l.b,
            l.c,
            l.formula,
            l.storage,
        );
        l.output
    }

    fn gated_backward(
        a: CubeTensor,
        b: CubeTensor,
        grad: CubeTensor,
        kernel: Kernel,
    ) -> (CubeTensor, CubeTensor) {
        let (a, b, grad) = (into_contiguous(a), into_contiguous(b), into_contiguous(grad));
        (gated_grad_a(a.clone(), b, grad.clone(), kernel), gated_grad_b(a, grad, kernel))
    }
}

/// `(g * b) * f'(a)`, one launch over contiguous tensors.
fn gated_grad_a(a: CubeTensor, b: CubeTensor, grad: CubeTensor, kernel: Kernel) -> CubeTensor {
    let l = Launch::new(&[&a, &b, &grad], kernel);
    let client = a.client.clone();
    gated_grad_a_kernel::launch(
        &client,
        l.count,
        l.dim,
        l.address,
        l.vectors,
        a.into_linear_view(),
        b.into_linear_view(),
        grad.into_linear_view(),
        l.output.clone().into_linear_view(),
        l.a,
        l.b,
        l.c,
        l.formula,
        l.storage,
    );
    l.output
}

/// `g * f(a)`, one launch over contiguous tensors.
fn gated_grad_b(a: CubeTensor, grad: CubeTensor, kernel: Kernel) -> CubeTensor {
    let l = Launch::new(&[&a, &grad], kernel);
    let client = a.client.clone();
    gated_grad_b_kernel::launch(
        &client,
        l.count,
        l.dim,
        l.address,
        l.vectors,
        a.into_linear_view(),
        grad.into_linear_view(),
        l.output.clone().into_linear_view(),
        l.a,
        l.b,
        l.c,
        l.formula,
        l.storage,
    );
    l.output
}
