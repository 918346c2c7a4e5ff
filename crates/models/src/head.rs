//! The output head: output activation, its loss, and the metric a task is scored by.

use actbench_activations::OutputActivation;
use actbench_data::Task;
use burn::prelude::*;
use burn::tensor::activation::{log_softmax, sigmoid, softmax};
use serde::{Deserialize, Serialize};

/// Output activation + task: decides the output width, the loss and the metric.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Head {
    /// What the last layer applies.
    pub output: OutputActivation,
    /// What the targets mean.
    pub task: Task,
}

/// How a task is scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Metric {
    /// `accuracy`, `exact-match` or `mse`.
    pub name: &'static str,
    /// Whether larger is better.
    pub higher_is_better: bool,
}

/// A split's score.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Score {
    /// The task's metric.
    pub value: f64,
    /// Micro-averaged F1 (multi-label only).
    pub f1: Option<f64>,
}

impl Head {
    /// The natural output activation of a task (what the guideline recommends).
    pub fn natural_output(task: Task) -> OutputActivation {
        match task {
            Task::Classification { classes: 2 } => OutputActivation::Sigmoid,
            Task::Classification { .. } => OutputActivation::Softmax,
            Task::MultiLabel { .. } => OutputActivation::Sigmoid,
            Task::Regression { .. } => OutputActivation::Identity,
            Task::NextToken { .. } => OutputActivation::Softmax,
        }
    }

    /// Units of the last layer: one for a binary task with a sigmoid, else the target width.
    pub fn outputs(&self) -> usize {
        match (self.task, self.output) {
            (Task::Classification { classes: 2 }, OutputActivation::Sigmoid) => 1,
            (Task::NextToken { vocab, context }, _) => vocab * context,
            (task, _) => task.target_width(),
        }
    }

    /// The metric.
    pub fn metric(&self) -> Metric {
        match self.task {
            Task::Classification { .. } => Metric { name: "accuracy", higher_is_better: true },
            Task::MultiLabel { .. } => Metric { name: "exact-match", higher_is_better: true },
            Task::Regression { .. } => Metric { name: "mse", higher_is_better: false },
            Task::NextToken { .. } => {
                Metric { name: "bits-per-character", higher_is_better: false }
            }
        }
    }

    /// The loss paired with the output activation, averaged over the batch. `targets` is dense
    /// (`[batch, task.target_width()]`, one-hot for classes).
    pub fn loss(&self, logits: Tensor<2>, targets: Tensor<2>) -> Tensor<1> {
        if let Task::NextToken { vocab, .. } = self.task {
            // Mean cross-entropy over every position: targets hold the next token's id.
            let [batch, context] = targets.dims();
            let log_p = log_softmax(logits.reshape([batch * context, vocab]), 1);
            let ids = targets.int().reshape([batch * context, 1]);
            return log_p.gather(1, ids).mean().neg();
        }
        match (self.task, self.output) {
            (_, OutputActivation::Identity) => mse(logits, targets),
            (Task::Regression { .. }, OutputActivation::Sigmoid) => mse(sigmoid(logits), targets),
            (Task::Regression { .. }, OutputActivation::Softmax) => {
                mse(softmax(logits, 1), targets)
            }
            (_, OutputActivation::Softmax) => {
                // Cross-entropy against the targets normalised to a distribution.
                let mass = targets.clone().sum_dim(1).clamp_min(1e-12);
                let distribution = targets / mass;
                (distribution * log_softmax(logits, 1)).sum_dim(1).neg().mean()
            }
            (_, OutputActivation::Sigmoid) => {
                let [batch, width] = targets.dims();
                let targets =
                    if self.outputs() == 1 { targets.slice([0..batch, 1..width]) } else { targets };
                binary_cross_entropy_with_logits(logits, targets)
            }
        }
    }

    /// Applies the output activation.
    /// For a next-token task: the log-probabilities of every token at every position, laid out
    /// as the logits.
    pub fn predict(&self, logits: Tensor<2>) -> Tensor<2> {
        if let Task::NextToken { vocab, .. } = self.task {
            let [batch, width] = logits.dims();
            let log_p = log_softmax(logits.reshape([batch * width / vocab, vocab]), 1);
            return log_p.reshape([batch, width]);
        }
        self.output.forward(logits)
    }

    /// Scores activated outputs (`n * outputs()` values) against dense targets
    /// (`n * task.target_width()` values).
    pub fn score(&self, outputs: &[f32], targets: &[f32]) -> Score {
        let width = self.task.target_width();
        let out_width = self.outputs();
        let n = targets.len() / width;
        let rows = (0..n).map(|i| {
            (&outputs[i * out_width..(i + 1) * out_width], &targets[i * width..(i + 1) * width])
        });
        match self.task {
            Task::Classification { .. } => {
                let correct = rows
                    .filter(|(o, t)| {
                        let predicted =
                            if out_width == 1 { usize::from(o[0] > 0.5) } else { argmax(o) };
                        predicted == argmax(t)
                    })
                    .count();
                Score { value: correct as f64 / n.max(1) as f64, f1: None }
            }
            Task::MultiLabel { labels } => {
                let threshold = match self.output {
                    OutputActivation::Softmax => 0.5 / labels as f32,
                    _ => 0.5,
                };
                let (mut exact, mut tp, mut fp, mut fneg) = (0usize, 0usize, 0usize, 0usize);
                for (o, t) in rows {
                    let mut all = true;
                    for (p, y) in o.iter().zip(t) {
                        let (p, y) = (*p > threshold, *y > 0.5);
                        all &= p == y;
                        tp += usize::from(p && y);
                        fp += usize::from(p && !y);
                        fneg += usize::from(!p && y);
                    }
                    exact += usize::from(all);
                }
                let f1 = if tp == 0 { 0.0 } else { 2.0 * tp as f64 / (2 * tp + fp + fneg) as f64 };
                Score { value: exact as f64 / n.max(1) as f64, f1: Some(f1) }
            }
            Task::NextToken { vocab, .. } => {
                // Bits per character: the mean of -log2 p(next character) over every position.
                let nats: f64 = rows
                    .flat_map(|(o, t)| {
                        t.iter()
                            .enumerate()
                            .map(move |(k, &id)| -(o[k * vocab + id as usize] as f64))
                    })
                    .sum();
                Score { value: nats / (n * width).max(1) as f64 / std::f64::consts::LN_2, f1: None }
            }
            Task::Regression { .. } => {
                let sum: f64 = rows
                    .flat_map(|(o, t)| {
                        o.iter().zip(t).map(|(a, b)| (*a as f64 - *b as f64).powi(2))
                    })
                    .sum();
                Score { value: sum / (n * width).max(1) as f64, f1: None }
            }
        }
    }
}

fn argmax(values: &[f32]) -> usize {
    values.iter().enumerate().fold(0, |best, (i, v)| if *v > values[best] { i } else { best })
}

fn mse(prediction: Tensor<2>, targets: Tensor<2>) -> Tensor<1> {
    (prediction - targets).square().mean()
}

/// `max(z, 0) - z t + ln(1 + exp(-|z|))`: binary cross-entropy of `sigmoid(z)`, stable for any z.
fn binary_cross_entropy_with_logits(logits: Tensor<2>, targets: Tensor<2>) -> Tensor<1> {
    let softplus_tail = logits.clone().abs().neg().exp().log1p();
    (logits.clone().clamp_min(0.0) - logits * targets + softplus_tail).mean()
}
