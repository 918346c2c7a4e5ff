//! One-pass forward and backward kernels for our Swish (fixed beta), Mish and SELU on every
//! backend (flex: `on_flex.rs`, ndarray: `on_ndarray.rs`, wgpu and cuda: `on_cube.rs`, CubeCL
//! kernels), through burn's backend-extension API.
//!
//! Without this, each activation is a chain of element-wise tensor operations (about ten passes
//! over memory forward, more backward) plus the nodes that join a hand-written derivative to
//! autodiff. Here the forward pass reads x once and writes f(x) once; the autodiff node keeps x
//! and its backward pass reads x and dL/dy once and writes dL/dx = dL/dy * f'(x) once.
//!
//! On the CPU backends each element is computed from the same formulas as the tensor versions
//! (`kernel.rs`; branch-free and vectorised for float32 tensors, `slices.rs`), split over the
//! cores with rayon: for float32 tensors, the kernels built on `exp` and GELU compute in float32
//! (`real.rs`, `normal.rs`: within a few float32 epsilon, tested per kernel; in float64 they cost
//! 1.2x-1.4x ReLU's time inside models), the piecewise-linear ones in float64 rounded once;
//! float64 tensors use the C library's functions. The CubeCL kernels compute in
//! float32 on the device. With burn's kernel fusion (our `fusion` feature, `gpu::fusion`), the
//! GPU backends are `Fusion<CubeBackend>`: the extension's `Fusion` selector records each pass as
//! an opaque operation in the lazy graph (output shape and type from its input), and the fusion
//! search runs the element-wise operations around it fused and our kernel as it is.

// burn 0.22 deprecates its ndarray backend (named in the extension below); our users still run it.
#![allow(deprecated)]

use burn::backend::autodiff::checkpoint::base::Checkpointer;
use burn::backend::autodiff::checkpoint::strategy::CheckpointStrategy;
use burn::backend::autodiff::grads::Gradients;
use burn::backend::autodiff::ops::{Backward, Ops, OpsKind, unary};
use burn::backend::tensor::FloatTensor;
use burn::backend::{Autodiff, Backend, Dispatch, backend_extension};
use burn::prelude::*;
use burn::tensor::DType;
#[cfg(any(feature = "flex", feature = "ndarray"))]
use rayon::prelude::*;

// The element formulas are what the CPU kernels run; a GPU-only build keeps them for the tests.
#[cfg_attr(not(any(feature = "flex", feature = "ndarray")), allow(dead_code))]
mod exp;
pub mod gated;
#[cfg_attr(not(any(feature = "flex", feature = "ndarray")), allow(dead_code))]
mod kernel;
#[cfg_attr(not(any(feature = "flex", feature = "ndarray")), allow(dead_code))]
mod normal;
#[cfg(any(feature = "wgpu", feature = "cuda"))]
mod on_cube;
#[cfg(feature = "flex")]
mod on_flex;
#[cfg(feature = "ndarray")]
mod on_ndarray;
#[cfg(any(feature = "flex", feature = "ndarray"))]
pub mod prelu;
#[cfg_attr(not(any(feature = "flex", feature = "ndarray")), allow(dead_code))]
mod real;
#[cfg(any(feature = "flex", feature = "ndarray"))]
pub mod slices;

pub use kernel::Kernel;
#[cfg(any(feature = "flex", feature = "ndarray"))]
use slices::Pass;

/// The one-pass kernels as backend ops: each backend implements them (`on_flex.rs`,
/// `on_ndarray.rs`, `on_cube.rs`), and under autodiff one node (`FusedBackward`) joins the two.
#[backend_extension(Flex: cfg(feature = "flex"), NdArray: cfg(feature = "ndarray"), Cube: cfg(any(feature = "wgpu", feature = "cuda")), Fusion: cfg(all(feature = "fusion", any(feature = "wgpu", feature = "cuda"))), Autodiff)]
pub trait FusedActivation: Backend {
    /// `f(x)`, one pass.
    #[fusion(dtype = x, shape = x)]
    fn fused_forward(x: FloatTensor<Self>, kernel: Kernel) -> FloatTensor<Self>;
    /// `grad * f'(x)`, one pass.
    #[fusion(dtype = x, shape = x)]
    fn fused_backward(
        x: FloatTensor<Self>,
        grad: FloatTensor<Self>,
        kernel: Kernel,
    ) -> FloatTensor<Self>;
}

/// Elements per rayon task.
#[cfg(any(feature = "flex", feature = "ndarray"))]
const CHUNK: usize = 1 << 14;

/// The float types the kernels take, with their slice runner.
#[cfg(any(feature = "flex", feature = "ndarray"))]
trait Element: slices::Float + burn::tensor::Element + bytemuck::Pod + Send + Sync {
    const RUN: fn(Kernel, Pass<'_, Self>);
}

#[cfg(any(feature = "flex", feature = "ndarray"))]
impl Element for f32 {
    const RUN: fn(Kernel, Pass<'_, Self>) = slices::run_f32;
}

#[cfg(any(feature = "flex", feature = "ndarray"))]
impl Element for f64 {
    const RUN: fn(Kernel, Pass<'_, Self>) = slices::run_f64;
}

/// Runs `pass` in parallel over chunks of `CHUNK` elements.
#[cfg(any(feature = "flex", feature = "ndarray"))]
fn parallel<E: Element>(kernel: Kernel, pass: Pass<'_, E>) {
    match pass {
        Pass::Forward { x, out } => out
            .par_chunks_mut(CHUNK)
            .zip(x.par_chunks(CHUNK))
            .for_each(|(out, x)| E::RUN(kernel, Pass::Forward { x, out })),
        Pass::ForwardInPlace { x } => {
            x.par_chunks_mut(CHUNK).for_each(|x| E::RUN(kernel, Pass::ForwardInPlace { x }))
        }
        Pass::Backward { x, grad, out } => out
            .par_chunks_mut(CHUNK)
            .zip(x.par_chunks(CHUNK))
            .zip(grad.par_chunks(CHUNK))
            .for_each(|((out, x), grad)| E::RUN(kernel, Pass::Backward { x, grad, out })),
        Pass::BackwardInPlace { x, grad } => grad
            .par_chunks_mut(CHUNK)
            .zip(x.par_chunks(CHUNK))
            .for_each(|(grad, x)| E::RUN(kernel, Pass::BackwardInPlace { x, grad })),
        Pass::GatedForward { a, b, out } => out
            .par_chunks_mut(CHUNK)
            .zip(a.par_chunks(CHUNK))
            .zip(b.par_chunks(CHUNK))
            .for_each(|((out, a), b)| E::RUN(kernel, Pass::GatedForward { a, b, out })),
        Pass::GatedBackward { a, b, grad, da, db } => da
            .par_chunks_mut(CHUNK)
            .zip(db.par_chunks_mut(CHUNK))
            .zip(a.par_chunks(CHUNK).zip(b.par_chunks(CHUNK)))
            .zip(grad.par_chunks(CHUNK))
            .for_each(|(((da, db), (a, b)), grad)| {
                E::RUN(kernel, Pass::GatedBackward { a, b, grad, da, db })
            }),
    }
}

/// A kernel's output of `n` elements, written by `fill` over chunks of [`CHUNK`] elements in
/// parallel: `fill(i, out)` writes chunk `i` (see [`filled`]), in buffers large enough advised for
/// transparent huge pages (2 MiB), so that a fresh one faults in a page per 2 MiB instead of one
/// per 4 KiB. Advice only: when the kernel ignores it (THP disabled) nothing changes.
#[cfg(any(feature = "flex", feature = "ndarray"))]
fn output_buffer<E: Element>(n: usize, fill: impl Fn(usize, &mut [E]) + Sync + Send) -> Vec<E> {
    filled(n, 0, CHUNK, || (), |_, i, out| fill(i, out))
}

/// A new buffer of `n` elements (with room for `spare` more) that `fill(state, i, out)` writes
/// chunk by chunk, in parallel: chunk `i` is elements `i * chunk..` (the last one may be
/// shorter), and `state` comes from `init`, once per rayon task (scratch buffers). Each chunk is
/// zeroed just before `fill` gets it, while it is in the core's cache: a kernel that writes all of
/// its output then sends it to memory once. Zeroing whole buffers first, a separate pass over
/// megabytes, had taken 4-8% of a ResNet step's samples (`perf record`, Intel Xeon).
#[cfg(any(feature = "flex", feature = "ndarray"))]
pub fn filled<E, S>(
    n: usize,
    spare: usize,
    chunk: usize,
    init: impl Fn() -> S + Sync + Send,
    fill: impl Fn(&mut S, usize, &mut [E]) + Sync + Send,
) -> Vec<E>
where
    E: bytemuck::Zeroable + Copy + Send,
{
    let mut values = Vec::with_capacity(n + spare);
    advise_huge_pages::<E>(values.as_ptr() as usize, n);
    values.spare_capacity_mut()[..n].par_chunks_mut(chunk.max(1)).enumerate().for_each_init(
        init,
        |state, (i, out)| {
            out.fill(std::mem::MaybeUninit::zeroed());
            // SAFETY: every element of `out` was just written with a valid `E` (all-zero bits, a
            // valid value of a `Zeroable` type), and `MaybeUninit<E>` has the layout of `E`.
            let out = unsafe { &mut *(out as *mut [std::mem::MaybeUninit<E>] as *mut [E]) };
            fill(state, i, out);
        },
    );
    // SAFETY: the capacity is at least `n`, and the loop above wrote all of the first `n`
    // elements (its chunks cover them, and each chunk was zeroed before `fill` saw it).
    unsafe { values.set_len(n) };
    values
}

/// Buffers this large are worth transparent huge pages.
#[cfg(any(feature = "flex", feature = "ndarray"))]
const HUGE_PAGE_MIN_BYTES: usize = 4 << 20;

/// Asks Linux to back the `n` elements of `E` from address `start` with transparent huge pages,
/// when they span at least [`HUGE_PAGE_MIN_BYTES`].
#[cfg(any(feature = "flex", feature = "ndarray"))]
fn advise_huge_pages<E>(start: usize, n: usize) {
    let bytes = n * std::mem::size_of::<E>();
    if bytes < HUGE_PAGE_MIN_BYTES {
        return;
    }
    #[cfg(target_os = "linux")]
    {
        const PAGE: usize = 4096;
        let aligned = start.next_multiple_of(PAGE);
        let len = (start + bytes - aligned) / PAGE * PAGE;
        // SAFETY: [aligned, aligned + len) lies inside the allocation of `n` elements at `start`;
        // MADV_HUGEPAGE only changes how the kernel backs those pages, never their contents.
        unsafe {
            libc::madvise(aligned as *mut libc::c_void, len, libc::MADV_HUGEPAGE);
        }
    }
}

/// The autodiff node: keeps x, and its backward is one fused pass.
#[derive(Debug)]
struct FusedBackward(Kernel);

impl<B: FusedActivation> Backward<B, 1> for FusedBackward {
    type State = FloatTensor<B>;

    fn backward(
        self,
        ops: Ops<Self::State, 1>,
        grads: &mut Gradients,
        _checkpointer: &mut Checkpointer,
    ) {
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

    fn fused_backward(
        x: FloatTensor<Self>,
        grad: FloatTensor<Self>,
        kernel: Kernel,
    ) -> FloatTensor<Self> {
        // Used only inside a backward pass; second derivatives are not supported.
        FloatTensor::<Self>::new(B::fused_backward(
            x.into_primitive(),
            grad.into_primitive(),
            kernel,
        ))
    }
}

/// Whether `x` is a float32 or float64 tensor on flex or ndarray, with or without autodiff: where
/// the CPU kernels apply (every fused activation, [`prelu`], and the models' CNN kernels).
pub fn supported_on_cpu<const D: usize>(x: &Tensor<D>) -> bool {
    let cpu = match x.device().without_autodiff().as_dispatch() {
        #[cfg(feature = "flex")]
        burn::backend::DispatchDevice::Flex(_) => true,
        #[cfg(feature = "ndarray")]
        burn::backend::DispatchDevice::NdArray(_) => true,
        _ => false,
    };
    cpu && matches!(x.dtype(), DType::F32 | DType::F64)
}

/// Whether the fused kernels apply to `x`: [`supported_on_cpu`], or a float32 tensor on a
/// CubeCL backend (wgpu, cuda); with or without autodiff.
pub fn supported<const D: usize>(x: &Tensor<D>) -> bool {
    match x.device().without_autodiff().as_dispatch() {
        #[cfg(any(feature = "wgpu", feature = "cuda"))]
        burn::backend::DispatchDevice::Cube(_) => x.dtype() == DType::F32,
        _ => supported_on_cpu(x),
    }
}

/// `kernel` applied to `x` in one pass, with a one-pass backward under autodiff. Call only when
/// [`supported`] is true for `x`'s device.
pub fn apply<const D: usize>(x: Tensor<D>, kernel: Kernel) -> Tensor<D> {
    Tensor::from_dispatch(<Dispatch as FusedActivation>::fused_forward(x.into_dispatch(), kernel))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The CubeCL kernels compute in float32 on the device: within 8 eps (mixed error) of the
    /// float64 reference, like every backend in the golden tests.
    #[cfg(feature = "wgpu")]
    #[test]
    fn wgpu_runs_the_cube_kernels_within_float32_tolerance() {
        let device = Device::wgpu(burn::tensor::DeviceKind::DefaultDevice).autodiff();
        let all: Vec<f32> = (-400..=400)
            .map(|i| i as f32 * 0.075)
            .chain([-90.0, -1e-6, 1e-6, 19.99, 20.01, 90.0])
            .collect();
        // 807 elements (one per thread) and 800 (vectors of several elements per thread).
        for n in [all.len(), 800] {
            let xs = &all[all.len() - n..];
            let x =
                Tensor::<1>::from_data(burn::tensor::TensorData::new(xs.to_vec(), [n]), &device)
                    .require_grad();
            assert!(supported(&x), "wgpu float32 tensors take the fused path");
            for kernel in [
                Kernel::Swish { beta: 1.0 },
                Kernel::Swish { beta: 2.5 },
                Kernel::Mish,
                Kernel::ExpLinear {
                    scale: 1.050_700_987_355_480_5,
                    alpha: 1.673_263_242_354_377_2,
                    width: 1.0,
                },
            ] {
                let y = apply(x.clone(), kernel);
                let grads = y.clone().backward();
                let (y, dx): (Vec<f32>, Vec<f32>) = (
                    y.into_data().try_to_vec().unwrap(),
                    x.grad(&grads).unwrap().into_data().try_to_vec().unwrap(),
                );
                let eps = f32::EPSILON as f64;
                for (i, &v) in xs.iter().enumerate() {
                    let (f, d) = kernel.eval(v as f64);
                    assert!(
                        (y[i] as f64 - f).abs() <= 8.0 * eps * f.abs().max(1.0),
                        "{kernel:?} f({v}) = {} vs {f}",
                        y[i]
                    );
                    assert!(
                        (dx[i] as f64 - d).abs() <= 8.0 * eps * d.abs().max(1.0),
                        "{kernel:?} f'({v}) = {} vs {d}",
                        dx[i]
                    );
                }
            }
        }
    }

    /// Our ReLU kernel gives burn-flex's ReLU exactly: values, gradients, the kink at 0 and NaN.
    #[test]
    fn relu_kernel_matches_burn_flex_relu() {
        let device = Device::flex().autodiff();
        let xs = [-2.0f32, -0.0, 0.0, 1e-30, 3.5, f32::NAN, f32::NEG_INFINITY, f32::INFINITY];
        let run = |fused: bool| {
            let x = Tensor::<1>::from_floats(xs, &device).require_grad();
            let y = if fused {
                apply(x.clone(), Kernel::Relu)
            } else {
                burn::tensor::activation::relu(x.clone())
            };
            let grads = (y.clone() * Tensor::ones([xs.len()], &device)).sum().backward();
            let bits = |t: Tensor<1>| -> Vec<u32> {
                t.into_data().try_to_vec::<f32>().unwrap().iter().map(|v| v.to_bits()).collect()
            };
            (bits(y), bits(x.grad(&grads).unwrap()))
        };
        assert_eq!(run(true), run(false));
    }

    #[test]
    fn large_outputs_with_huge_page_advice_hold_the_right_values() {
        // 2^21 float32 = 8 MiB: above HUGE_PAGE_MIN_BYTES, so both new outputs are advised.
        let n = 1 << 21;
        let mut devices = vec![Device::flex().autodiff()];
        #[cfg(feature = "ndarray")]
        devices.push(Device::ndarray().autodiff());
        for device in devices {
            let values: Vec<f32> = (0..n).map(|i| (i % 1000) as f32 * 0.01 - 5.0).collect();
            let kernel = Kernel::ExpLinear {
                scale: 1.050_700_987_355_480_5,
                alpha: 1.673_263_242_354_377_2,
                width: 1.0,
            };
            let x =
                Tensor::<1>::from_data(burn::tensor::TensorData::new(values.clone(), [n]), &device)
                    .require_grad();
            let y = apply(x.clone(), kernel);
            let grads = y.clone().backward();
            let (y, dx): (Vec<f32>, Vec<f32>) = (
                y.into_data().try_to_vec().unwrap(),
                x.grad(&grads).unwrap().into_data().try_to_vec().unwrap(),
            );
            for i in [0, 1, 999, 4096, n / 2 + 7, n - 1] {
                let expected = kernel.expected_f32(values[i], 1.0);
                assert_eq!((y[i], dx[i]), expected, "{device:?} element {i}");
            }
        }
    }

    #[test]
    fn views_with_an_offset_and_shared_inputs_are_read_correctly_and_left_alone() {
        let kernel = Kernel::Mish;
        let mut devices = vec![Device::flex(), Device::flex().autodiff()];
        #[cfg(feature = "ndarray")]
        devices.extend([Device::ndarray(), Device::ndarray().autodiff()]);
        for device in devices {
            let whole = Tensor::<1>::from_floats([-2.0f32, -1.0, 0.0, 1.0, 2.0, 3.0], &device);
            // A contiguous view that starts at element 2 of its storage.
            let view = whole.clone().slice(2..6);
            let y: Vec<f32> = apply(view, kernel).into_data().try_to_vec().unwrap();
            let expected: Vec<f32> =
                [0.0f32, 1.0, 2.0, 3.0].iter().map(|&v| kernel.eval_f32(v).0).collect();
            assert_eq!(y, expected);
            // `whole` is shared with the view above: it must be unchanged.
            assert_eq!(
                whole.clone().into_data().try_to_vec::<f32>().unwrap(),
                vec![-2.0, -1.0, 0.0, 1.0, 2.0, 3.0]
            );
            // A transposed (non-contiguous) input.
            let m = Tensor::<2>::from_floats([[-1.0f32, 0.5], [2.0, -3.0]], &device);
            let y: Vec<f32> =
                apply(m.clone().transpose(), kernel).into_data().try_to_vec().unwrap();
            let expected: Vec<f32> =
                [-1.0f32, 2.0, 0.5, -3.0].iter().map(|&v| kernel.eval_f32(v).0).collect();
            assert_eq!(y, expected);
        }
    }

    #[test]
    fn fused_matches_the_element_formulas_and_autodiff_sees_the_derivative() {
        let mut devices = vec![Device::flex().autodiff()];
        #[cfg(feature = "ndarray")]
        devices.push(Device::ndarray().autodiff());
        for device in devices {
            let xs = [-30.0f32, -3.0, -0.5, 0.0, 0.5, 3.0, 25.0];
            for kernel in [
                Kernel::Swish { beta: 1.0 },
                Kernel::Swish { beta: 2.5 },
                Kernel::Mish,
                Kernel::ExpLinear {
                    scale: 1.0507009873554805,
                    alpha: 1.6732632423543772,
                    width: 1.0,
                },
            ] {
                let x = Tensor::<1>::from_floats(xs, &device).require_grad();
                let y = apply(x.clone(), kernel);
                let grads = (y.clone()
                    * Tensor::from_floats([1.0f32, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0], &device))
                .sum()
                .backward();
                let dx: Vec<f32> = x.grad(&grads).unwrap().into_data().try_to_vec::<f32>().unwrap();
                let y: Vec<f32> = y.into_data().try_to_vec::<f32>().unwrap();
                for (i, &v) in xs.iter().enumerate() {
                    let (f, d) = kernel.expected_f32(v, (i + 1) as f32);
                    assert_eq!(y[i], f, "{kernel:?} f({v})");
                    assert_eq!(dx[i], d, "{kernel:?} f'({v})");
                }
            }
        }
    }
}
