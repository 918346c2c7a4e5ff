//! Trains one cell with our own loop (not burn's Learner) and measures it.

use std::collections::BTreeMap;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use actbench_activations::burn;
use actbench_data::augment::Augment;
use actbench_data::rng::ChaCha8Rng;
use actbench_data::{Dataset, InputShape, Split, rng};
use actbench_models::{DropoutRng, Head, Metric, Model};
use burn::optim::momentum::MomentumConfig;
use burn::optim::{AdamConfig, GradientsParams, ModuleOptimizer, SgdConfig};
use burn::prelude::*;
use burn::tensor::TensorData;

use crate::config::OptimizerKind;
use crate::plan::Cell;
use crate::records::cell::{
    CellRecord, Divergence, EpochRecord, LayerRecord, SCHEMA_VERSION, Status,
};
use crate::run::machine;

/// Samples per forward pass when evaluating whole splits.
const EVAL_BATCH: usize = 1024;

/// The generator stream of epoch e's augmentation is `AUGMENT_STREAM + e` (shuffling uses
/// 1000 + e, the model's weights 10).
const AUGMENT_STREAM: u64 = 1_000_000;

/// Trains `cell` on `dataset` on `device` (a plain device; autodiff is added here). Returns
/// `None` when `stop()` turned true before the cell finished: the cell is abandoned.
pub fn train(
    cell: &Cell,
    dataset: &Dataset,
    device: &Device,
    stop: &dyn Fn() -> bool,
) -> Option<CellRecord> {
    let started = Instant::now();
    let started_unix_s =
        SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    let Start { head, train_device, mut model, mut optimizer, batches, mut masks } =
        Start::new(cell, dataset, device);
    let eval_samples: Vec<usize> = (0..cell.train.eval_samples.min(dataset.test.len())).collect();

    let mut epochs = Vec::new();
    let mut divergence = None;
    let mut last_finite = None;
    let mut step = 0;
    let scored = Scored {
        train: evenly_spaced(dataset.train.len(), cell.train.train_score_samples),
        eval_samples: &eval_samples,
    };
    match measure(&model, &head, &batches, &scored, device, &train_device, 0, None, 0.0) {
        Some(record) => epochs.push(record),
        None => divergence = Some(Divergence { epoch: 0, step: 0, last_finite_loss: None }),
    }
    for epoch in 1..=cell.train.epochs {
        if divergence.is_some() {
            break;
        }
        let timer = Instant::now();
        let order =
            rng::permutation(&mut rng::seeded(cell.seed, 1000 + epoch as u64), dataset.train.len());
        let mut augmenting = rng::seeded(cell.seed, AUGMENT_STREAM + epoch as u64);
        // Batch losses stay on the device and are read back once per epoch (a read-back waits
        // for the device; on a GPU, every step). A non-finite loss is found here, after the
        // epoch: the steps after it ran on a broken model, but the record says the same as a
        // check at every step would (the first non-finite step, the last finite loss), and the
        // diverged epoch is never measured.
        let mut losses = Vec::new();
        let mut sizes = Vec::new();
        let first_step = step + 1;
        for chunk in order.chunks(cell.train.batch_size) {
            if stop() {
                return None;
            }
            step += 1;
            let (x, y) = match &cell.train.augment {
                Some(augment) => batches.augmented(
                    &dataset.train,
                    chunk,
                    augment,
                    &mut augmenting,
                    &train_device,
                ),
                None => batches.get(&dataset.train, chunk, &train_device),
            };
            let loss;
            (model, loss) = train_step(
                model,
                &mut optimizer,
                &head,
                cell.train.learning_rate_at(epoch),
                &mut masks,
                x,
                y,
            );
            losses.push(loss);
            sizes.push(chunk.len());
        }
        let values: Vec<f64> = Tensor::cat(losses, 0).into_data().iter::<f64>().collect();
        let (mut loss_sum, mut count) = (0.0, 0usize);
        for (k, (value, size)) in values.into_iter().zip(sizes).enumerate() {
            if !value.is_finite() {
                let step = first_step + k;
                divergence = Some(Divergence { epoch, step, last_finite_loss: last_finite });
                break;
            }
            last_finite = Some(value);
            loss_sum += value * size as f64;
            count += size;
        }
        if divergence.is_some() {
            break;
        }
        let train_time_s = timer.elapsed().as_secs_f64();
        match measure(
            &model,
            &head,
            &batches,
            &scored,
            device,
            &train_device,
            epoch,
            Some(loss_sum / count.max(1) as f64),
            train_time_s,
        ) {
            Some(record) => epochs.push(record),
            // Finite batch losses but non-finite evaluation: the weights blew up in the last step.
            None => divergence = Some(Divergence { epoch, step, last_finite_loss: last_finite }),
        }
    }
    if stop() {
        return None;
    }
    let metric = metric(&head, dataset);
    let parameters = burn::module::Module::num_params(&model) as u64;
    Some(CellRecord {
        schema_version: SCHEMA_VERSION,
        cell: cell.clone(),
        environment: machine::environment(),
        dataset_source: dataset.source.clone(),
        task: Some(dataset.task),
        metric: metric.name.to_string(),
        higher_is_better: metric.higher_is_better,
        status: if divergence.is_some() { Status::Diverged } else { Status::Finished },
        divergence,
        started_unix_s,
        wall_time_s: started.elapsed().as_secs_f64(),
        jobs: 1,
        parameters: Some(parameters),
        epochs,
        baseline: dataset.forecast.as_ref().map(|f| f.baseline.clone()),
    })
}

/// The metric of `head` on `dataset`: a forecasting dataset's error is relative to its series'
/// variance (the average relative variance, `arv`), every other one is the head's own.
pub fn metric(head: &Head, dataset: &Dataset) -> Metric {
    match dataset.forecast {
        Some(_) => Metric { name: "arv", higher_is_better: false },
        None => head.metric(),
    }
}

/// What training a cell starts from (for a run and for `bench train` alike).
pub struct Start<'a> {
    /// The output layer and loss.
    pub head: Head,
    /// `device` with autodiff.
    pub train_device: Device,
    /// The model, freshly initialised from the cell's seed.
    pub model: Model,
    /// The cell's optimizer.
    pub optimizer: ModuleOptimizer,
    /// Batches of the dataset.
    pub batches: Batches<'a>,
    /// Dropout masks, from the cell's seed.
    pub masks: DropoutRng,
}

impl<'a> Start<'a> {
    /// The start of `cell` on `dataset` (`device` without autodiff).
    pub fn new(cell: &Cell, dataset: &'a Dataset, device: &Device) -> Start<'a> {
        let head = Head { output: cell.output, task: dataset.task };
        let train_device = device.clone().autodiff();
        let model = Model::new(
            &cell.model,
            dataset.input,
            &head,
            &cell.activation,
            cell.seed,
            &train_device,
        )
        .expect("the plan validated the model");
        Start {
            head,
            train_device,
            model,
            optimizer: optimizer(cell),
            batches: Batches::new(dataset),
            masks: DropoutRng::new(cell.seed),
        }
    }
}

/// The optimizer `cell`'s training settings ask for.
pub fn optimizer(cell: &Cell) -> ModuleOptimizer {
    match cell.train.optimizer {
        OptimizerKind::Adam => AdamConfig::new().with_epsilon(1e-8).init(),
        OptimizerKind::Sgd if cell.train.momentum > 0.0 => SgdConfig::new()
            .with_momentum(Some(
                MomentumConfig::new().with_momentum(cell.train.momentum).with_dampening(0.0),
            ))
            .init(),
        OptimizerKind::Sgd => SgdConfig::new().init(),
    }
}

/// One training step on the batch `(x, y)`: forward, loss, backward, optimizer update. Returns
/// the updated model and the batch loss, shape `[1]`, detached and still on the device (reading
/// it back waits for the device: callers read a whole epoch's losses at once).
pub fn train_step(
    model: Model,
    optimizer: &mut ModuleOptimizer,
    head: &Head,
    learning_rate: f64,
    masks: &mut DropoutRng,
    x: Tensor<2>,
    y: Tensor<2>,
) -> (Model, Tensor<1>) {
    let loss = head.loss(model.forward_training(x, masks), y);
    let value = loss.clone().detach().reshape([1]);
    let grads = GradientsParams::from_grads(loss.backward(), &model);
    (optimizer.step(learning_rate, model, grads), value)
}

/// Turns sample indices into input and target tensors.
pub struct Batches<'a> {
    dataset: &'a Dataset,
    size: usize,
    width: usize,
}

impl<'a> Batches<'a> {
    /// Batches of `dataset`.
    pub fn new(dataset: &'a Dataset) -> Self {
        Batches { dataset, size: dataset.input.size(), width: dataset.task.target_width() }
    }

    /// Inputs and dense targets of the samples `indices` of `split`.
    pub fn get(&self, split: &Split, indices: &[usize], device: &Device) -> (Tensor<2>, Tensor<2>) {
        self.tensors(split.gather_inputs(indices, self.size), split, indices, device)
    }

    /// As [`Batches::get`], the images augmented on the host first (training batches).
    pub fn augmented(
        &self,
        split: &Split,
        indices: &[usize],
        augment: &Augment,
        rng: &mut ChaCha8Rng,
        device: &Device,
    ) -> (Tensor<2>, Tensor<2>) {
        let InputShape::Image { channels, height, width } = self.dataset.input else {
            unreachable!("validated: augmentation needs images")
        };
        let mut inputs = split.gather_inputs(indices, self.size);
        augment.apply(&mut inputs, [channels, height, width], rng);
        self.tensors(inputs, split, indices, device)
    }

    fn tensors(
        &self,
        inputs: Vec<f32>,
        split: &Split,
        indices: &[usize],
        device: &Device,
    ) -> (Tensor<2>, Tensor<2>) {
        let n = indices.len();
        let x = Tensor::from_data(TensorData::new(inputs, [n, self.size]), device);
        let y = Tensor::from_data(
            TensorData::new(split.dense_targets(indices, self.width), [n, self.width]),
            device,
        );
        (x, y)
    }

    /// Loss, metric and micro-F1 of `model` (without autodiff) on the samples `all` of a split.
    fn score(
        &self,
        model: &Model,
        head: &Head,
        split: &Split,
        all: &[usize],
        device: &Device,
    ) -> (f64, f64, Option<f64>) {
        let (mut loss_sum, mut outputs) = (0.0, Vec::with_capacity(all.len() * head.outputs()));
        for chunk in all.chunks(EVAL_BATCH) {
            let (x, y) = self.get(split, chunk, device);
            let logits = model.forward(x);
            loss_sum += head.loss(logits.clone(), y).into_scalar::<f64>() * chunk.len() as f64;
            outputs.extend(head.predict(logits).into_data().iter::<f32>());
        }
        let targets = split.dense_targets(all, self.width);
        let score = head.score(&outputs, &targets);
        // A forecasting dataset's MSE relative to its series' variance: the ARV.
        let value = match &self.dataset.forecast {
            Some(f) => score.value / f.variance,
            None => score.value,
        };
        (loss_sum / all.len().max(1) as f64, value, score.f1)
    }
}

/// Which samples each evaluation scores.
struct Scored<'a> {
    /// Training samples scored for the training metric.
    train: Vec<usize>,
    /// Test samples the per-layer statistics are taken on.
    eval_samples: &'a [usize],
}

/// `count` indices evenly spaced over `0..len` (all of them when `count` is unset or larger).
fn evenly_spaced(len: usize, count: Option<usize>) -> Vec<usize> {
    match count {
        Some(n) if n < len => (0..n).map(|k| k * len / n).collect(),
        _ => (0..len).collect(),
    }
}

/// Evaluates both splits and measures every layer on the evaluation samples. `None` when a
/// number came out non-finite.
#[allow(clippy::too_many_arguments)]
fn measure(
    model: &Model,
    head: &Head,
    batches: &Batches,
    scored: &Scored,
    device: &Device,
    train_device: &Device,
    epoch: usize,
    train_loss: Option<f64>,
    train_time_s: f64,
) -> Option<EpochRecord> {
    let timer = Instant::now();
    let plain = model.valid();
    let (train, test) = (&batches.dataset.train, &batches.dataset.test);
    let (_, train_metric, _) = batches.score(&plain, head, train, &scored.train, device);
    let all_test: Vec<usize> = (0..test.len()).collect();
    let (test_loss, test_metric, test_f1) = batches.score(&plain, head, test, &all_test, device);
    let periods = batches.dataset.forecast.iter().flat_map(|f| &f.periods);
    let test_periods: BTreeMap<String, f64> = periods
        .map(|p| {
            let samples: Vec<usize> = (p.start..p.start + p.len).collect();
            (p.name.clone(), batches.score(&plain, head, test, &samples, device).1)
        })
        .collect();

    let (x, y) = batches.get(test, scored.eval_samples, train_device);
    // Statistics without training: batch norm must not learn from the evaluation samples.
    let probe = model.for_measurement();
    let (logits, traces) = probe.forward_traced(x);
    let grads = head.loss(logits, y).backward();
    let activation_stats: Vec<_> = traces.into_iter().map(|t| t.stat()).collect();
    let layers: Vec<LayerRecord> = probe
        .gradient_stats(&grads)
        .into_iter()
        .map(|g| {
            let a = activation_stats.iter().find(|a| a.layer == g.layer);
            LayerRecord {
                layer: g.layer,
                grad_norm: g.grad_norm,
                grad_mean_abs: g.grad_mean_abs,
                activation_mean: a.map(|a| a.mean),
                activation_variance: a.map(|a| a.variance),
                dead_fraction: a.map(|a| a.dead_fraction),
            }
        })
        .collect();
    let learned: BTreeMap<String, f64> = model.learned().into_iter().collect();
    let finite = [test_loss, train_metric, test_metric].iter().all(|v| v.is_finite())
        && test_periods.values().all(|v| v.is_finite())
        && layers.iter().all(|l| {
            l.grad_norm.is_finite()
                && l.activation_mean.is_none_or(f64::is_finite)
                && l.activation_variance.is_none_or(f64::is_finite)
        })
        && learned.values().all(|v| v.is_finite());
    finite.then(|| EpochRecord {
        epoch,
        train_loss,
        test_loss,
        train_metric,
        test_metric,
        test_periods,
        test_f1,
        train_time_s,
        eval_time_s: timer.elapsed().as_secs_f64(),
        layers,
        learned,
    })
}
