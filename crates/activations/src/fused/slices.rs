//! The fused kernels over contiguous slices: `y = f(x)` and `dL/dx = dL/dy * f'(x)`, each written
//! to a new slice or over its input.
//!
//! Float32 slices compute what [`Kernel::eval_f32`] says: the kernels built on `exp` and GELU in
//! float32 arithmetic (16 lanes with AVX-512), the piecewise-linear ones and softsign in float64,
//! rounded once; the compiler vectorises both. On x86-64 the loops are compiled three times, for
//! AVX-512 and AVX2 (each with FMA) and the SSE2 baseline, and the widest the CPU supports is
//! picked at run time (16, 8 or 4 float32 lanes; half as many in float64). The float32 `exp` is
//! written in fused multiply-adds (`real.rs`): with FMA one instruction each; the baseline computes
//! them in software, to the same bits, slowly (only CPUs without AVX2 and FMA run it). Float64
//! slices use [`Kernel::eval`], so float64 results keep the C library's accuracy.

use super::kernel::{
    Kernel, exp_linear, exp_linear_unit_width, gelu_f32, gelu_tanh, hard_sigmoid, hard_swish,
    leaky_relu, log_sigmoid, mish, relu, relu6, sigmoid, softplus, softsign, swish, tanh,
};

/// One pass over memory, and where it writes.
pub enum Pass<'a, E> {
    /// `out = f(x)`.
    Forward {
        /// Input.
        x: &'a [E],
        /// Output, as long as `x`.
        out: &'a mut [E],
    },
    /// `x = f(x)`.
    ForwardInPlace {
        /// Input, overwritten with the output.
        x: &'a mut [E],
    },
    /// `out = grad * f'(x)`.
    Backward {
        /// Input of the forward pass.
        x: &'a [E],
        /// dL/dy, as long as `x`.
        grad: &'a [E],
        /// dL/dx, as long as `x`.
        out: &'a mut [E],
    },
    /// `grad = grad * f'(x)`.
    BackwardInPlace {
        /// Input of the forward pass.
        x: &'a [E],
        /// dL/dy, overwritten with dL/dx.
        grad: &'a mut [E],
    },
    /// A gated activation: `out = f(a) * b`.
    GatedForward {
        /// The gate's input.
        a: &'a [E],
        /// The other half.
        b: &'a [E],
        /// Output, as long as `a`.
        out: &'a mut [E],
    },
    /// A gated activation's gradients from one evaluation of `f` and `f'`:
    /// `da = (grad * b) * f'(a)`, `db = grad * f(a)`.
    GatedBackward {
        /// The gate's input.
        a: &'a [E],
        /// The other half.
        b: &'a [E],
        /// dL/dy.
        grad: &'a [E],
        /// dL/da, as long as `a`.
        da: &'a mut [E],
        /// dL/db, as long as `a`.
        db: &'a mut [E],
    },
}

impl<E> Pass<'_, E> {
    fn check_lengths(&self) {
        let ok = match self {
            Pass::Forward { x, out } => x.len() == out.len(),
            Pass::ForwardInPlace { .. } => true,
            Pass::Backward { x, grad, out } => x.len() == out.len() && grad.len() == out.len(),
            Pass::BackwardInPlace { x, grad } => x.len() == grad.len(),
            Pass::GatedForward { a, b, out } => a.len() == out.len() && b.len() == out.len(),
            Pass::GatedBackward { a, b, grad, da, db } => {
                [a.len(), b.len(), grad.len(), db.len()].iter().all(|&n| n == da.len())
            }
        };
        assert!(ok, "fused activation: slices of different lengths");
    }
}

/// Runs `pass` over float32 slices with the widest vector instructions the CPU has.
pub fn run_f32(kernel: Kernel, pass: Pass<'_, f32>) {
    pass.check_lengths();
    run_f32_on(kernel, pass, true)
}

/// [`run_f32`] with the widest instructions (`wide`) or the baseline only (for tests).
fn run_f32_on(kernel: Kernel, pass: Pass<'_, f32>, wide: bool) {
    // One small function per kernel and instruction set (see `widest`): a single function
    // holding every kernel's loops grows past what LLVM vectorises.
    match kernel {
        // Float32 arithmetic (see `Kernel::in_float32`).
        Kernel::Swish { beta } => {
            let beta = beta as f32;
            widest(pass, InF32(|x| swish(beta, x)), wide)
        }
        Kernel::Mish => widest(pass, InF32(mish), wide),
        Kernel::ExpLinear { scale, alpha, width: 1.0 } => {
            let (scale, alpha) = (scale as f32, alpha as f32);
            widest(pass, InF32(|x| exp_linear_unit_width(scale, alpha, x)), wide)
        }
        Kernel::ExpLinear { scale, alpha, width } => {
            let (scale, alpha, width) = (scale as f32, alpha as f32, width as f32);
            widest(pass, InF32(|x| exp_linear(scale, alpha, width, x)), wide)
        }
        Kernel::Sigmoid => widest(pass, InF32(sigmoid), wide),
        Kernel::Tanh => widest(pass, InF32(tanh), wide),
        Kernel::GeluTanh => widest(pass, InF32(gelu_tanh), wide),
        Kernel::Softplus { beta, threshold } => {
            let (beta, threshold) = (beta as f32, threshold as f32);
            widest(pass, InF32(|x| softplus(beta, threshold, x)), wide)
        }
        // GELU's body is large: without the forced inline, LLVM calls it per element instead
        // of inlining and vectorising it (measured 7x slower).
        #[allow(clippy::redundant_closure)]
        Kernel::Gelu => widest(
            pass,
            InF32(
                #[inline(always)]
                |x| gelu_f32(x),
            ),
            wide,
        ),
        Kernel::LogSigmoid => widest(pass, InF32(log_sigmoid), wide),
        // Float64 arithmetic, rounded once.
        Kernel::LeakyRelu { slope } => widest(pass, InF64(|x| leaky_relu(slope, x)), wide),
        Kernel::Softsign => widest(pass, InF64(softsign), wide),
        Kernel::Relu => widest(pass, InF64(relu), wide),
        Kernel::Relu6 => widest(pass, InF64(relu6), wide),
        Kernel::HardSigmoid => widest(pass, InF64(hard_sigmoid), wide),
        Kernel::HardSwish => widest(pass, InF64(hard_swish), wide),
    }
}

/// Runs `pass` over float64 slices at reference accuracy ([`Kernel::eval`]).
pub fn run_f64(kernel: Kernel, pass: Pass<'_, f64>) {
    pass.check_lengths();
    each(pass, InF64(|x| kernel.eval(x)));
}

/// `each(pass, f)`, compiled (per `f`) for AVX-512 and AVX2, each with FMA, and the baseline;
/// runs the widest.
#[inline(always)]
fn widest<F: Element<f32>>(pass: Pass<'_, f32>, f: F, wide: bool) {
    #[cfg(target_arch = "x86_64")]
    if wide && std::arch::is_x86_feature_detected!("fma") {
        if std::arch::is_x86_feature_detected!("avx512f") {
            // SAFETY: the CPU supports AVX-512F and FMA (checked just above).
            return unsafe { each_avx512(pass, f) };
        }
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU supports AVX2 and FMA (checked just above).
            return unsafe { each_avx2(pass, f) };
        }
    }
    each(pass, f)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,fma")]
fn each_avx512<F: Element<f32>>(pass: Pass<'_, f32>, f: F) {
    each(pass, f)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
fn each_avx2<F: Element<f32>>(pass: Pass<'_, f32>, f: F) {
    each(pass, f)
}

/// Element type of a pass: computed in float64.
pub trait Float: Copy {
    /// The value as float64 (exact).
    fn to_f64(self) -> f64;
    /// `x` rounded to this type.
    fn from_f64(x: f64) -> Self;
}

impl Float for f32 {
    #[inline(always)]
    fn to_f64(self) -> f64 {
        self as f64
    }
    #[inline(always)]
    fn from_f64(x: f64) -> Self {
        x as f32
    }
}

impl Float for f64 {
    #[inline(always)]
    fn to_f64(self) -> f64 {
        self
    }
    #[inline(always)]
    fn from_f64(x: f64) -> Self {
        x
    }
}

/// How one element of an `E` slice is computed: `f(x)` and `g * f'(x)`.
trait Element<E> {
    fn value(&self, x: E) -> E;
    fn scaled_slope(&self, x: E, g: E) -> E;
}

/// `(f, f')` computed in float64 and rounded to `E` once.
struct InF64<F>(F);

impl<E: Float, F: Fn(f64) -> (f64, f64)> Element<E> for InF64<F> {
    #[inline(always)]
    fn value(&self, x: E) -> E {
        E::from_f64((self.0)(x.to_f64()).0)
    }
    #[inline(always)]
    fn scaled_slope(&self, x: E, g: E) -> E {
        E::from_f64(g.to_f64() * (self.0)(x.to_f64()).1)
    }
}

/// `(f, f')` computed in float32.
struct InF32<F>(F);

impl<F: Fn(f32) -> (f32, f32)> Element<f32> for InF32<F> {
    #[inline(always)]
    fn value(&self, x: f32) -> f32 {
        (self.0)(x).0
    }
    #[inline(always)]
    fn scaled_slope(&self, x: f32, g: f32) -> f32 {
        g * (self.0)(x).1
    }
}

#[inline(always)]
#[allow(clippy::needless_range_loop)] // indexed on purpose: see the comment inside
fn each<E: Copy + std::ops::Mul<Output = E>>(pass: Pass<'_, E>, f: impl Element<E>) {
    let value = |x: E| f.value(x);
    let scaled_slope = |x: E, g: E| f.scaled_slope(x, g);
    // Plain indexed loops (lengths checked): iterator adapters compile to `fold` functions,
    // which LLVM may leave outlined, outside the caller's `target_feature` and unvectorised.
    match pass {
        Pass::Forward { x, out } => {
            let x = &x[..out.len()];
            for i in 0..out.len() {
                out[i] = value(x[i]);
            }
        }
        Pass::ForwardInPlace { x } => {
            for i in 0..x.len() {
                x[i] = value(x[i]);
            }
        }
        Pass::Backward { x, grad, out } => {
            let (x, grad) = (&x[..out.len()], &grad[..out.len()]);
            for i in 0..out.len() {
                out[i] = scaled_slope(x[i], grad[i]);
            }
        }
        Pass::BackwardInPlace { x, grad } => {
            let x = &x[..grad.len()];
            for i in 0..grad.len() {
                grad[i] = scaled_slope(x[i], grad[i]);
            }
        }
        // Rounded as the composed version rounds: the gate, then the product; autodiff's
        // product rule, then the gate's backward. `f` and `f'` of one element share their work.
        Pass::GatedForward { a, b, out } => {
            let (a, b) = (&a[..out.len()], &b[..out.len()]);
            for i in 0..out.len() {
                out[i] = value(a[i]) * b[i];
            }
        }
        Pass::GatedBackward { a, b, grad, da, db } => {
            let n = da.len();
            let (a, b, grad, db) = (&a[..n], &b[..n], &grad[..n], &mut db[..n]);
            for i in 0..n {
                da[i] = scaled_slope(a[i], grad[i] * b[i]);
                db[i] = grad[i] * value(a[i]);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_pass_and_instruction_set_gives_the_element_functions_values() {
        let xs: Vec<f32> = (-4000..4000).map(|i| i as f32 * 0.01 + 0.003).collect();
        let grads: Vec<f32> = xs.iter().map(|x| 1.5 - x * 0.1).collect();
        let n = xs.len();
        for kernel in crate::fused::kernel::EXAMPLES {
            let expected_f: Vec<f32> = xs.iter().map(|&x| kernel.expected_f32(x, 1.0).0).collect();
            let expected_d: Vec<f32> =
                xs.iter().zip(&grads).map(|(&x, &g)| kernel.expected_f32(x, g).1).collect();
            type Runner = fn(Kernel, Pass<'_, f32>);
            let runners: [(&str, Runner); 2] =
                [("dispatched", run_f32), ("portable", |k, p| run_f32_on(k, p, false))];
            for (name, run) in runners {
                let mut out = vec![0.0; n];
                run(kernel, Pass::Forward { x: &xs, out: &mut out });
                assert_eq!(out, expected_f, "{name} {kernel:?} forward");
                let mut x = xs.clone();
                run(kernel, Pass::ForwardInPlace { x: &mut x });
                assert_eq!(x, expected_f, "{name} {kernel:?} forward in place");
                run(kernel, Pass::Backward { x: &xs, grad: &grads, out: &mut out });
                assert_eq!(out, expected_d, "{name} {kernel:?} backward");
                let mut g = grads.clone();
                run(kernel, Pass::BackwardInPlace { x: &xs, grad: &mut g });
                assert_eq!(g, expected_d, "{name} {kernel:?} backward in place");
            }
        }
    }

    #[test]
    fn float64_uses_the_reference_formulas() {
        let xs = [-3.0, -1e-9, 0.0, 0.5, 21.0];
        let kernel = Kernel::Mish;
        let mut out = [0.0; 5];
        run_f64(kernel, Pass::Forward { x: &xs, out: &mut out });
        for (o, &x) in out.iter().zip(&xs) {
            assert_eq!(*o, kernel.eval(x).0);
        }
    }

    #[test]
    #[should_panic(expected = "slices of different lengths")]
    fn mismatched_lengths_panic() {
        run_f32(Kernel::Mish, Pass::Forward { x: &[1.0, 2.0], out: &mut [0.0] });
    }
}
