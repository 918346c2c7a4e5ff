//! The activation micro-benchmark: forward and forward+backward time of each activation on one
//! float32 tensor, per backend, next to a plain element-wise copy of the same tensor as the
//! memory-bandwidth reference.
//!
//! Method: the input is drawn once (uniform in [-5, 5]); every timed repeat runs the operation,
//! waits for the device (`Device::sync`) and reads the result's first element back, all inside
//! the timer, so queued GPU work and lazily deferred CPU work are counted; two untimed warm-up
//! repeats of each operation come first. The repeats run in rounds: each round times every
//! operation once, in the same order, so repeat i of every operation comes from round i, close
//! in time. A shared machine's slow phases then hit every operation alike, and the cost verdicts
//! (G11, G12) compare operations round by round. All repeats are kept (no outlier removal): the
//! median is the estimate, min and max the spread. Bytes moved assume the minimum traffic of a fused
//! kernel: forward reads x and writes y (8 bytes per element); forward+backward also reads x
//! and the output gradient and writes the input gradient (20 bytes per element).
//!
//! A gated activation `f(a) * b` (`swiglu`) takes a second tensor `b` of the same size (drawn
//! the same way), and under autodiff both inputs get gradients; its rows count 12 and 32 bytes
//! per element (a and b read, y written; then a, b and dL/dy read, both gradients written). Each
//! gated activation is timed twice: one pass (its label) and composed, `f(a)` then the product
//! (`swiglu (composed)`, a reference row).

use actbench_activations::backend::Backend;
use actbench_activations::burn;
use actbench_activations::{ActivationConfig, curve};
use actbench_data::rng;
use burn::prelude::*;
use burn::tensor::TensorData;

use crate::records::activation_timing::{ActivationTiming, COPY, Implementation, Mode};

/// Untimed repeats before timing.
pub const WARMUP: usize = 2;

/// Reference operations timed on request, next to the copy (which is always timed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Reference {
    /// burn's built-in `mish` (`burn::tensor::activation::mish`): separate element-wise tensor
    /// operations, differentiated by autodiff node by node.
    #[value(name = "burn-mish")]
    BurnMish,
}

impl Reference {
    /// Row label.
    pub fn label(self) -> &'static str {
        match self {
            Reference::BurnMish => "burn-mish",
        }
    }

    fn apply(self, x: Tensor<1>) -> Tensor<1> {
        match self {
            Reference::BurnMish => burn::tensor::activation::mish(x),
        }
    }
}

/// Times the copy, `references` and `activations`, in both modes, on `backend`.
pub fn run(
    activations: &[ActivationConfig],
    references: &[Reference],
    backend: Backend,
    device: &Device,
    elements: usize,
    repeats: usize,
) -> Vec<ActivationTiming> {
    let mut data = rng::seeded(0, 77);
    let values: Vec<f32> =
        (0..elements).map(|_| rng::uniform(&mut data, -5.0, 5.0) as f32).collect();
    let x = Tensor::<1>::from_data(TensorData::new(values.clone(), [elements]), device);
    let grad_device = device.clone().autodiff();
    let x_grad = Tensor::<1>::from_data(TensorData::new(values, [elements]), &grad_device);
    // Every operation with its label: `plain` on the device, `tracked` on its autodiff twin.
    let copy = |x: Tensor<1>| x.mul_scalar(1.0);
    let mut ops = vec![Op::new(COPY.into(), Implementation::Reference, copy, copy)];
    // The second input of gated activations, on both devices.
    let others: Vec<f32> =
        (0..elements).map(|_| rng::uniform(&mut data, -5.0, 5.0) as f32).collect();
    let other = Tensor::<1>::from_data(TensorData::new(others.clone(), [elements]), device);
    let other_grad = Tensor::<1>::from_data(TensorData::new(others, [elements]), &grad_device);
    for &reference in references {
        let apply = move |x| reference.apply(x);
        ops.push(Op::new(reference.label().into(), Implementation::Reference, apply, apply));
    }
    for config in activations.iter().filter(|c| c.is_gated()) {
        let (plain, tracked) = (config.init_gated(device), config.init_gated(&grad_device));
        let (b, b_grad) = (other.clone(), other_grad.clone());
        let (plain_composed, tracked_composed) = (plain.clone(), tracked.clone());
        let (b_composed, b_grad_composed) = (other.clone(), other_grad.clone());
        ops.push(Op::gated(
            config.label(),
            Implementation::BuiltIn,
            move |x| plain.forward(x, b.clone()),
            move |x| tracked.forward(x, b_grad.clone().require_grad()),
        ));
        ops.push(Op::gated(
            format!("{} (composed)", config.label()),
            Implementation::Reference,
            move |x| plain_composed.forward_composed(x, b_composed.clone()),
            move |x| tracked_composed.forward_composed(x, b_grad_composed.clone().require_grad()),
        ));
    }
    for config in activations.iter().filter(|c| !c.is_gated()) {
        let (plain, tracked) = (config.init(device), config.init(&grad_device));
        let implementation = match config.formula() {
            Some(_) => Implementation::Formula,
            None => Implementation::BuiltIn,
        };
        ops.push(Op::new(
            config.label(),
            implementation,
            move |x| plain.forward(x),
            move |x| tracked.forward(x),
        ));
    }
    let forward: Vec<Box<dyn Fn() -> Tensor<1> + '_>> =
        ops.iter().map(|op| Box::new(|| (op.plain)(x.clone())) as Box<dyn Fn() -> _>).collect();
    let forward_backward: Vec<Box<dyn Fn() -> Tensor<1> + '_>> = ops
        .iter()
        .map(|op| {
            Box::new(|| {
                let input = x_grad.clone().require_grad();
                let grads = (op.tracked)(input.clone()).backward();
                input.grad(&grads).expect("the input requires a gradient")
            }) as Box<dyn Fn() -> _>
        })
        .collect();
    let forward = time_in_rounds(device, repeats, &forward);
    let forward_backward = time_in_rounds(&grad_device, repeats, &forward_backward);
    ops.iter()
        .zip(forward.into_iter().zip(forward_backward))
        .flat_map(|(op, (forward, forward_backward))| {
            let label = &op.label;
            [(Mode::Forward, forward), (Mode::ForwardBackward, forward_backward)].map(
                |(mode, times)| {
                    let bytes = op.bytes_per_element(mode);
                    let r = summarise(label.clone(), mode, elements, backend, times);
                    ActivationTiming {
                        implementation: op.implementation,
                        gb_per_s: elements as f64 * bytes / r.median_s / 1e9,
                        ..r
                    }
                },
            )
        })
        .collect()
}

/// One benchmarked operation: on the device (`plain`) and on its autodiff twin (`tracked`).
struct Op<'a> {
    label: String,
    implementation: Implementation,
    /// Reads a second tensor (a gated activation).
    gated: bool,
    plain: Box<dyn Fn(Tensor<1>) -> Tensor<1> + 'a>,
    tracked: Box<dyn Fn(Tensor<1>) -> Tensor<1> + 'a>,
}

impl<'a> Op<'a> {
    fn new(
        label: String,
        implementation: Implementation,
        plain: impl Fn(Tensor<1>) -> Tensor<1> + 'a,
        tracked: impl Fn(Tensor<1>) -> Tensor<1> + 'a,
    ) -> Self {
        let (plain, tracked) = (Box::new(plain), Box::new(tracked));
        Self { label, implementation, gated: false, plain, tracked }
    }

    /// A gated activation's op: `x` is `a`, the closures hold `b`.
    fn gated(
        label: String,
        implementation: Implementation,
        plain: impl Fn(Tensor<1>) -> Tensor<1> + 'a,
        tracked: impl Fn(Tensor<1>) -> Tensor<1> + 'a,
    ) -> Self {
        Self { gated: true, ..Self::new(label, implementation, plain, tracked) }
    }

    /// Minimum memory traffic per element (see the module doc).
    fn bytes_per_element(&self, mode: Mode) -> f64 {
        match (self.gated, mode) {
            (false, mode) => mode.bytes_per_element(),
            (true, Mode::Forward) => 12.0,
            (true, Mode::ForwardBackward) => 32.0,
        }
    }
}

/// Runs every op `WARMUP` times, then `repeats` rounds that each time every op once, in order;
/// returns each op's timed repeats (repeat i from round i).
fn time_in_rounds(
    device: &Device,
    repeats: usize,
    ops: &[Box<dyn Fn() -> Tensor<1> + '_>],
) -> Vec<Vec<f64>> {
    for op in ops {
        for _ in 0..WARMUP {
            time_once(device, op);
        }
    }
    let mut times = vec![Vec::with_capacity(repeats); ops.len()];
    for _ in 0..repeats {
        for (op, times) in ops.iter().zip(&mut times) {
            times.push(time_once(device, op));
        }
    }
    times
}

/// Seconds for one run of `op`: inside the timer the device is synchronised and the result's
/// first element read back, so a backend that defers work cannot skip or postpone it (the
/// read-back costs microseconds).
fn time_once(device: &Device, op: &dyn Fn() -> Tensor<1>) -> f64 {
    let start = std::time::Instant::now();
    let result = op();
    device.sync().expect("device sync");
    let _first: f64 = result.slice(0..1).into_scalar();
    start.elapsed().as_secs_f64()
}

fn summarise(
    activation: String,
    mode: Mode,
    elements: usize,
    backend: Backend,
    times: Vec<f64>,
) -> ActivationTiming {
    let spread = crate::stats::spread(&times);
    let median = spread.median;
    ActivationTiming {
        activation,
        mode,
        elements,
        median_s: median,
        min_s: spread.min,
        max_s: spread.max,
        elements_per_s: elements as f64 / median,
        gb_per_s: elements as f64 * mode.bytes_per_element() / median / 1e9,
        backend,
        implementation: Implementation::BuiltIn,
        times_s: times,
    }
}

/// The largest |f'(x)| of `config` on a fine grid over [-20, 20], in float64 on the first
/// compiled CPU backend (used to check claims such as max sigmoid'(x) = 0.25).
pub fn max_slope(config: &ActivationConfig) -> Option<f64> {
    let backend = Backend::compiled().into_iter().find(|b| b.supports_f64())?;
    let device = backend.device().ok()?;
    let curve = curve::evaluate(
        config,
        &curve::linspace(-20.0, 20.0, 400_001),
        burn::tensor::DType::F64,
        &device,
    );
    curve.dy.iter().copied().map(f64::abs).reduce(f64::max)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Warm-up first, then rounds: repeat i of every operation is timed in round i.
    #[test]
    #[cfg(feature = "flex")]
    fn repeats_run_in_rounds_of_every_operation() {
        let device = Device::flex();
        let calls = std::cell::RefCell::new(Vec::new());
        let op = |k: usize| {
            let (calls, device) = (&calls, &device);
            Box::new(move || {
                calls.borrow_mut().push(k);
                Tensor::<1>::from_floats([k as f32], device)
            }) as Box<dyn Fn() -> Tensor<1>>
        };
        let times = time_in_rounds(&device, 3, &[op(0), op(1), op(2)]);
        assert_eq!(times.iter().map(Vec::len).collect::<Vec<_>>(), [3, 3, 3]);
        let warm_up = [0, 1, 2].map(|k| [k; WARMUP]).concat();
        let rounds = [0, 1, 2].repeat(3);
        assert_eq!(*calls.borrow(), [warm_up, rounds].concat());
    }

    #[test]
    fn summary_statistics() {
        let r = summarise(
            "relu".into(),
            Mode::ForwardBackward,
            1000,
            Backend::Flex,
            vec![0.3, 0.1, 0.2, 0.4],
        );
        assert_eq!((r.median_s, r.min_s, r.max_s), (0.25, 0.1, 0.4));
        assert_eq!(r.elements_per_s, 4000.0);
        assert!((r.gb_per_s - 1000.0 * 20.0 / 0.25 / 1e9).abs() < 1e-15);
        assert_eq!(r.times_s, vec![0.3, 0.1, 0.2, 0.4]);
    }

    #[test]
    fn json_names_the_mode_as_documented() {
        let r = summarise("mish".into(), Mode::ForwardBackward, 8, Backend::Flex, vec![1.0]);
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json["mode"], "forward+backward");
        assert_eq!(json["backend"], "flex");
        for key in [
            "activation",
            "mode",
            "elements",
            "median_s",
            "min_s",
            "max_s",
            "elements_per_s",
            "gb_per_s",
            "backend",
        ] {
            assert!(json.get(key).is_some(), "{key}");
        }
    }

    #[test]
    fn sigmoid_slope_peaks_at_a_quarter() {
        let max = max_slope(&ActivationConfig::new("sigmoid").unwrap()).unwrap();
        assert!((max - 0.25).abs() < 1e-12, "{max}");
    }
}
