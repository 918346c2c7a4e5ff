//! Recurrent networks: vanilla, LSTM and GRU cells written out, so the gate activation and the
//! candidate/cell activation are both parameters; a dense output layer reads the last state.
//!
//! Each time step is its own tensor from the input up (only the input sequence, which needs no
//! gradient, is sliced: a slice of a tensor that needs one costs a zeroed tensor of its whole
//! size in the backward pass), and on flex and ndarray the element-wise part of an LSTM or GRU
//! step is one or two ops of ours (`kernels::lstm_step`, `kernels::gru_step`) where both
//! activations have one-pass kernels; the tensor version stays for the rest and is tested to
//! give the same bits.

use actbench_activations::{Activation, ActivationConfig};
use actbench_data::InputShape;
use burn::module::Param;
use burn::prelude::*;
use burn::tensor::Gradients;
use rand_chacha::ChaCha8Rng;

use crate::config::{ModelConfig, RnnCell};
use crate::dense::Dense;
use crate::init::param;
use crate::kernels;
use crate::stats::{GradStat, grad_stat};
use crate::trace::LayerTrace;

/// One recurrent layer.
///
/// - vanilla: `h' = f(x W + h U + b)`
/// - LSTM: `[i, f, g, o] = x W + h U + b`; `c' = s(f) c + s(i) f(g)`; `h' = s(o) f(c')`
/// - GRU: `r = s(x W_r + h U_r)`, `z = s(x W_z + h U_z)`, `n = f(x W_n + r (h U_n))`,
///   `h' = (1 - z) n + z h`
///
/// with `f` the layer's activation and `s` the gate activation.
#[derive(Module, Debug)]
pub struct RecurrentLayer {
    input: Dense,
    recurrent: Param<Tensor<2>>,
    activation: Activation,
    gate: Activation,
    hidden: usize,
    #[module(skip)]
    cell: RnnCell,
}

/// Stacked recurrent layers and a dense output layer on the last hidden state.
#[derive(Module, Debug)]
pub struct Rnn {
    layers: Vec<RecurrentLayer>,
    output: Dense,
    steps: usize,
    features: usize,
}

/// An LSTM input bias `[i, f, g, o]` with `forget_bias` added to the forget gate's units.
fn forget_gate_biased(
    bias: &Param<Tensor<1>>,
    hidden: usize,
    forget_bias: f64,
    device: &Device,
) -> Param<Tensor<1>> {
    let mut values: Vec<f32> = bias.val().into_data().try_to_vec().expect("f32 biases");
    values[hidden..2 * hidden].iter_mut().for_each(|b| *b += forget_bias as f32);
    param(values, [4 * hidden], device)
}

fn gates(cell: RnnCell) -> usize {
    match cell {
        RnnCell::Vanilla => 1,
        RnnCell::Lstm => 4,
        RnnCell::Gru => 3,
    }
}

impl Rnn {
    /// Builds the network; `config` must be an RNN config; images are read as rows.
    pub fn new(
        config: &ModelConfig,
        input: InputShape,
        outputs: usize,
        activation: &ActivationConfig,
        rng: &mut ChaCha8Rng,
        device: &Device,
    ) -> Self {
        let ModelConfig::Rnn { cell, hidden, layers, gate_activation, init, forget_bias } = config
        else {
            unreachable!("an RNN config")
        };
        let (steps, features) = match input {
            InputShape::Sequence { steps, features } => (steps, features),
            InputShape::Image { channels, height, width } => (height, channels * width),
            InputShape::Vector { .. } | InputShape::Tokens { .. } => {
                unreachable!("validated: sequence input")
            }
        };
        let g = gates(*cell);
        let mut stack = Vec::new();
        let mut inputs = features;
        for _ in 0..*layers {
            let mut input = Dense::new(inputs, g * hidden, init, None, rng, device);
            if *cell == RnnCell::Lstm && *forget_bias != 0.0 {
                input.bias = forget_gate_biased(&input.bias, *hidden, *forget_bias, device);
            }
            stack.push(RecurrentLayer {
                input,
                recurrent: param(
                    init.weights(rng, hidden * g * hidden, *hidden, g * hidden),
                    [*hidden, g * hidden],
                    device,
                ),
                activation: activation.init(device),
                gate: gate_activation.init(device),
                hidden: *hidden,
                cell: *cell,
            });
            inputs = *hidden;
        }
        let output = Dense::new(*hidden, outputs, init, None, rng, device);
        Self { layers: stack, output, steps, features }
    }

    /// Logits for flat sequences `[batch, steps * features]`.
    pub fn forward(&self, x: Tensor<2>, mut traces: Option<&mut Vec<LayerTrace>>) -> Tensor<2> {
        let [batch, _] = x.dims();
        let (steps, features) = (self.steps, self.features);
        let sequence = x.reshape([batch, steps, features]);
        // One tensor per time step all the way up: slicing a tensor that needs a gradient costs a
        // zeroed tensor of its whole size per slice in the backward pass (burn's slice node), so
        // only the input, which needs none, is sliced.
        let mut states: Vec<Tensor<2>> = (0..steps)
            .map(|t| {
                sequence.clone().slice([0..batch, t..t + 1, 0..features]).reshape([batch, features])
            })
            .collect();
        for (i, layer) in self.layers.iter().enumerate() {
            states = layer.forward(states, i, traces.as_deref_mut());
        }
        let last = states.pop().expect("at least one time step");
        self.output.forward(last)
    }

    /// Gradient statistics per layer.
    pub fn gradient_stats(&self, grads: &Gradients) -> Vec<GradStat> {
        let mut stats = Vec::new();
        for (i, l) in self.layers.iter().enumerate() {
            stats.push(grad_stat(format!("rnn{i}.input"), &l.input.weight, grads));
            stats.push(grad_stat(format!("rnn{i}.recurrent"), &l.recurrent, grads));
        }
        stats.push(grad_stat("output".into(), &self.output.weight, grads));
        stats
    }

    /// The activation modules, by layer.
    pub fn activations(&self) -> Vec<(String, &Activation)> {
        self.layers
            .iter()
            .enumerate()
            .flat_map(|(i, l)| {
                [(format!("rnn{i}"), &l.activation), (format!("rnn{i}.gate"), &l.gate)]
            })
            .collect()
    }
}

impl RecurrentLayer {
    /// The hidden state after each time step, from each step's input `[batch, inputs]`.
    fn forward(
        &self,
        inputs: Vec<Tensor<2>>,
        index: usize,
        traces: Option<&mut Vec<LayerTrace>>,
    ) -> Vec<Tensor<2>> {
        let [batch, _] = inputs[0].dims();
        let recurrent = self.recurrent.val();
        let device = inputs[0].device();
        let mut h: Tensor<2> = Tensor::zeros([batch, self.hidden], &device);
        let mut c: Tensor<2> = Tensor::zeros([batch, self.hidden], &device);
        let mut outputs = Vec::with_capacity(inputs.len());
        let mut candidates = Vec::new();
        for x in inputs {
            let xw = self.input.forward(x);
            let hu = h.clone().matmul(recurrent.clone());
            if traces.is_some() {
                candidates.push(self.candidate_pre(&xw, &hu));
            }
            (h, c) = match self.cell {
                RnnCell::Vanilla => (self.activation.forward(xw + hu), c),
                RnnCell::Lstm => self.lstm(xw + hu, c),
                RnnCell::Gru => (self.gru(xw, hu, h), c),
            };
            outputs.push(h.clone());
        }
        if let Some(traces) = traces {
            let pre = Tensor::cat(candidates, 0);
            let post = self.activation.forward(pre.clone());
            traces.push(LayerTrace::new(
                format!("rnn{index}.recurrent"),
                &self.activation,
                pre,
                post,
            ));
        }
        outputs
    }

    /// Part `k` of a `[batch, parts * hidden]` tensor of gate pre-activations.
    fn part(&self, t: &Tensor<2>, k: usize) -> Tensor<2> {
        let [batch, _] = t.dims();
        t.clone().slice([0..batch, k * self.hidden..(k + 1) * self.hidden])
    }

    /// The pre-activation of the candidate (the activation's input), for layer traces.
    fn candidate_pre(&self, xw: &Tensor<2>, hu: &Tensor<2>) -> Tensor<2> {
        match self.cell {
            RnnCell::Vanilla => xw.clone() + hu.clone(),
            RnnCell::Lstm => self.part(&(xw.clone() + hu.clone()), 2),
            RnnCell::Gru => {
                let r = self.gate.forward(self.part(xw, 0) + self.part(hu, 0));
                self.part(xw, 2) + r * self.part(hu, 2)
            }
        }
    }

    /// `(h', c')` of an LSTM step from `z = x W + b + h U`: our cell kernels where they apply
    /// (`kernels::lstm_step`), else the same arithmetic in tensor operations.
    fn lstm(&self, z: Tensor<2>, c: Tensor<2>) -> (Tensor<2>, Tensor<2>) {
        match kernels::lstm_step(&self.gate, &self.activation, &z, &c) {
            Some((c, h)) => (h, c),
            None => self.lstm_in_tensors(z, c),
        }
    }

    /// [`RecurrentLayer::lstm`] in tensor operations.
    fn lstm_in_tensors(&self, z: Tensor<2>, c: Tensor<2>) -> (Tensor<2>, Tensor<2>) {
        let (i, f, g, o) = (
            self.gate.forward(self.part(&z, 0)),
            self.gate.forward(self.part(&z, 1)),
            self.activation.forward(self.part(&z, 2)),
            self.gate.forward(self.part(&z, 3)),
        );
        let c = f * c + i * g;
        (o * self.activation.forward(c.clone()), c)
    }

    /// `h'` of a GRU step from `xw = x W + b` and `hu = h U`: our cell kernel where it applies
    /// (`kernels::gru_step`), else the same arithmetic in tensor operations.
    fn gru(&self, xw: Tensor<2>, hu: Tensor<2>, h: Tensor<2>) -> Tensor<2> {
        match kernels::gru_step(&self.gate, &self.activation, &xw, &hu, &h) {
            Some(h) => h,
            None => self.gru_in_tensors(xw, hu, h),
        }
    }

    /// [`RecurrentLayer::gru`] in tensor operations.
    fn gru_in_tensors(&self, xw: Tensor<2>, hu: Tensor<2>, h: Tensor<2>) -> Tensor<2> {
        let r = self.gate.forward(self.part(&xw, 0) + self.part(&hu, 0));
        let z = self.gate.forward(self.part(&xw, 1) + self.part(&hu, 1));
        let n = self.activation.forward(self.part(&xw, 2) + r * self.part(&hu, 2));
        (z.clone().neg().add_scalar(1.0)) * n + z * h
    }
}

#[cfg(test)]
mod tests {
    use burn::tensor::{DType, TensorData};

    use super::*;
    use crate::testing::bits;

    fn bias(forget_bias: f64) -> Vec<f32> {
        let config = ModelConfig::Rnn {
            cell: RnnCell::Lstm,
            hidden: 3,
            layers: 2,
            gate_activation: ActivationConfig::new("sigmoid").unwrap(),
            init: crate::InitScheme::XavierUniform,
            forget_bias,
        };
        let input = InputShape::Sequence { steps: 4, features: 2 };
        let tanh = ActivationConfig::new("tanh").unwrap();
        let rnn = Rnn::new(
            &config,
            input,
            1,
            &tanh,
            &mut actbench_data::rng::seeded(1, 10),
            &Device::flex(),
        );
        rnn.layers
            .iter()
            .flat_map(|l| l.input.bias.val().into_data().try_to_vec::<f32>().unwrap())
            .collect()
    }

    #[test]
    fn forget_bias_starts_the_forget_gate_open() {
        // Keras initialises the forget gate's bias to 1, PyTorch to 0; the gate order is
        // [i, f, g, o], so units 3..6 of each layer's 12 biases move by 1, the rest stay.
        let (plain, keras) = (bias(0.0), bias(1.0));
        assert_eq!(plain.len(), 24);
        for (k, (p, b)) in plain.iter().zip(&keras).enumerate() {
            let expected = if (k % 12) / 3 == 1 { p + 1.0 } else { *p };
            assert_eq!(*b, expected, "bias {k}");
        }
    }

    /// A one-layer network's recurrent layer with `cell`, `gate` and `act`, hidden size 5.
    fn layer(cell: RnnCell, gate: &str, act: &str, device: &Device) -> RecurrentLayer {
        let config = ModelConfig::Rnn {
            cell,
            hidden: 5,
            layers: 1,
            gate_activation: ActivationConfig::new(gate).unwrap(),
            init: crate::InitScheme::XavierUniform,
            forget_bias: 0.0,
        };
        let input = InputShape::Sequence { steps: 2, features: 3 };
        let act = ActivationConfig::new(act).unwrap();
        let mut rng = actbench_data::rng::seeded(1, 10);
        Rnn::new(&config, input, 1, &act, &mut rng, device).layers.remove(0)
    }

    /// A `[rows, width]` tensor of fixed values in [-4, 4], needing a gradient, in `dtype`.
    fn values(rows: usize, width: usize, seed: usize, dtype: DType, device: &Device) -> Tensor<2> {
        let v: Vec<f64> = (0..rows * width)
            .map(|i| ((i * 7919 + seed * 104729) % 2001) as f64 / 250.0 - 4.0)
            .collect();
        Tensor::<2>::from_data(TensorData::new(v, [rows, width]), device).cast(dtype).require_grad()
    }

    /// The CPU devices with autodiff.
    fn devices() -> Vec<Device> {
        crate::testing::cpu_devices().into_iter().map(|d| d.autodiff()).collect()
    }

    const ACTIVATIONS: [(&str, &str); 4] =
        [("sigmoid", "tanh"), ("hard-sigmoid", "relu"), ("sigmoid", "gelu"), ("softsign", "mish")];

    /// The LSTM cell kernels give the tensor version's values and gradients, to the bit.
    #[test]
    fn lstm_cell_kernels_match_the_tensor_operations_exactly() {
        for device in devices() {
            for dtype in [DType::F32, DType::F64] {
                for (gate, act) in ACTIVATIONS {
                    let layer = layer(RnnCell::Lstm, gate, act, &device);
                    let (z, c) =
                        (values(7, 20, 1, dtype, &device), values(7, 5, 2, dtype, &device));
                    let (gh, gc) =
                        (values(7, 5, 3, dtype, &device), values(7, 5, 4, dtype, &device));
                    let case = format!("{device:?} {dtype:?} {gate}/{act}");
                    assert!(
                        kernels::lstm_step(&layer.gate, &layer.activation, &z, &c).is_some(),
                        "{case}: the kernels apply"
                    );
                    let run = |fused: bool| {
                        let (h, c1) = if fused {
                            layer.lstm(z.clone(), c.clone())
                        } else {
                            layer.lstm_in_tensors(z.clone(), c.clone())
                        };
                        let loss = (h.clone() * gh.clone()).sum() + (c1.clone() * gc.clone()).sum();
                        let grads = loss.backward();
                        [h, c1, z.grad(&grads).unwrap(), c.grad(&grads).unwrap()].map(bits)
                    };
                    let (ours, tensors) = (run(true), run(false));
                    for (what, (a, b)) in
                        ["h", "c", "dz", "dc"].iter().zip(ours.iter().zip(&tensors))
                    {
                        assert_eq!(a, b, "{case} {what}");
                    }
                }
            }
        }
    }

    /// The GRU cell kernel gives the tensor version's values and gradients, to the bit.
    #[test]
    fn gru_cell_kernel_matches_the_tensor_operations_exactly() {
        for device in devices() {
            for dtype in [DType::F32, DType::F64] {
                for (gate, act) in ACTIVATIONS {
                    let layer = layer(RnnCell::Gru, gate, act, &device);
                    let (xw, hu) =
                        (values(7, 15, 1, dtype, &device), values(7, 15, 2, dtype, &device));
                    let (h, gh) =
                        (values(7, 5, 3, dtype, &device), values(7, 5, 4, dtype, &device));
                    let case = format!("{device:?} {dtype:?} {gate}/{act}");
                    assert!(
                        kernels::gru_step(&layer.gate, &layer.activation, &xw, &hu, &h).is_some(),
                        "{case}: the kernel applies"
                    );
                    let run = |fused: bool| {
                        let next = if fused {
                            layer.gru(xw.clone(), hu.clone(), h.clone())
                        } else {
                            layer.gru_in_tensors(xw.clone(), hu.clone(), h.clone())
                        };
                        let grads = (next.clone() * gh.clone()).sum().backward();
                        [
                            next,
                            xw.grad(&grads).unwrap(),
                            hu.grad(&grads).unwrap(),
                            h.grad(&grads).unwrap(),
                        ]
                        .map(bits)
                    };
                    let (ours, tensors) = (run(true), run(false));
                    for (what, (a, b)) in
                        ["h", "dxw", "dhu", "dh"].iter().zip(ours.iter().zip(&tensors))
                    {
                        assert_eq!(a, b, "{case} {what}");
                    }
                }
            }
        }
    }

    /// Activations without a one-pass kernel (PReLU's slope is trained) keep the tensor version.
    #[test]
    fn cells_without_kernels_use_the_tensor_operations() {
        let device = Device::flex().autodiff();
        let layer = layer(RnnCell::Lstm, "sigmoid", "prelu", &device);
        let (z, c) = (values(2, 20, 1, DType::F32, &device), values(2, 5, 2, DType::F32, &device));
        assert!(kernels::lstm_step(&layer.gate, &layer.activation, &z, &c).is_none());
        let (xw, h) = (values(2, 15, 1, DType::F32, &device), values(2, 5, 2, DType::F32, &device));
        assert!(kernels::gru_step(&layer.gate, &layer.activation, &xw, &xw, &h).is_none());
    }
}
