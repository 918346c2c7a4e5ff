//! Recurrent networks: vanilla, LSTM and GRU cells written out, so the gate activation and the
//! candidate/cell activation are both parameters; a dense output layer reads the last state.

use actbench_activations::{Activation, ActivationConfig};
use actbench_data::InputShape;
use burn::module::Param;
use burn::prelude::*;
use burn::tensor::Gradients;
use rand_chacha::ChaCha8Rng;

use crate::config::{ModelConfig, RnnCell};
use crate::dense::Dense;
use crate::init::param;
use crate::model::LayerTrace;
use crate::stats::{GradStat, grad_stat};

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
            InputShape::Vector { .. } => unreachable!("validated: sequence input"),
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
        let mut sequence = x.reshape([batch, self.steps, self.features]);
        for (i, layer) in self.layers.iter().enumerate() {
            sequence = layer.forward(sequence, i, traces.as_deref_mut());
        }
        let [batch, steps, hidden] = sequence.dims();
        let last = sequence.slice([0..batch, steps - 1..steps, 0..hidden]).reshape([batch, hidden]);
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
    /// `[batch, steps, inputs]` -> `[batch, steps, hidden]`.
    fn forward(
        &self,
        sequence: Tensor<3>,
        index: usize,
        traces: Option<&mut Vec<LayerTrace>>,
    ) -> Tensor<3> {
        let [batch, steps, inputs] = sequence.dims();
        let h_size = self.hidden;
        let width = gates(self.cell) * h_size;
        let projected = self
            .input
            .forward(sequence.reshape([batch * steps, inputs]))
            .reshape([batch, steps, width]);
        let recurrent = self.recurrent.val();
        let device = projected.device();
        let mut h: Tensor<2> = Tensor::zeros([batch, h_size], &device);
        let mut c: Tensor<2> = Tensor::zeros([batch, h_size], &device);
        let mut outputs = Vec::with_capacity(steps);
        let mut candidates = Vec::new();
        let tracing = traces.is_some();
        let part =
            |t: &Tensor<2>, k: usize| t.clone().slice([0..batch, k * h_size..(k + 1) * h_size]);
        for t in 0..steps {
            let xw: Tensor<2> =
                projected.clone().slice([0..batch, t..t + 1, 0..width]).reshape([batch, width]);
            let candidate_pre = match self.cell {
                RnnCell::Vanilla => {
                    let pre = xw + h.clone().matmul(recurrent.clone());
                    h = self.activation.forward(pre.clone());
                    pre
                }
                RnnCell::Lstm => {
                    let z = xw + h.clone().matmul(recurrent.clone());
                    let (i, f, g, o) = (
                        self.gate.forward(part(&z, 0)),
                        self.gate.forward(part(&z, 1)),
                        part(&z, 2),
                        self.gate.forward(part(&z, 3)),
                    );
                    c = f * c + i * self.activation.forward(g.clone());
                    h = o * self.activation.forward(c.clone());
                    g
                }
                RnnCell::Gru => {
                    let hu = h.clone().matmul(recurrent.clone());
                    let r = self.gate.forward(part(&xw, 0) + part(&hu, 0));
                    let z = self.gate.forward(part(&xw, 1) + part(&hu, 1));
                    let pre = part(&xw, 2) + r * part(&hu, 2);
                    let n = self.activation.forward(pre.clone());
                    h = (z.clone().neg().add_scalar(1.0)) * n + z * h;
                    pre
                }
            };
            if tracing {
                candidates.push(candidate_pre);
            }
            outputs.push(h.clone().unsqueeze_dim::<3>(1));
        }
        let out = Tensor::cat(outputs, 1);
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
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
