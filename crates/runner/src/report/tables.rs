//! Tables from stored results: a pure function of the records, so `actbench report` re-renders
//! exactly what `actbench run` printed, without training.

use std::collections::BTreeMap;

use actbench_activations::OutputActivation;
use actbench_activations::backend::Backend;
use serde::Serialize;

use crate::num::num;
use crate::outcome;
use crate::plan::Target;
use crate::records::cell::{CellRecord, Status};
use crate::stats::{geometric_mean, mean, std_dev};

/// One experiment's comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExperimentTable {
    /// Experiment name.
    pub experiment: String,
    /// Its description.
    pub description: String,
    /// Data used.
    pub dataset: String,
    /// Test metric name.
    pub metric: String,
    /// Whether larger is better.
    pub higher_is_better: bool,
    /// Target of "epochs to target", if set.
    pub target: Option<Target>,
    /// Activation times are relative to.
    pub reference: String,
    /// Most cells that trained side by side (`run --jobs`) among the table's records: with more
    /// than one, time columns compare only within this run.
    pub parallel_jobs: usize,
    /// One row per activation (and depth, output, backend when they vary).
    pub rows: Vec<Row>,
}

/// One activation's results over seeds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    /// Activation label.
    pub activation: String,
    /// Model depth.
    pub depth: usize,
    /// Output activation.
    pub output: String,
    /// Backend.
    pub backend: String,
    /// Seeds run.
    pub seeds: usize,
    /// Seeds whose training diverged.
    pub diverged: usize,
    /// Mean final test metric over seeds.
    pub metric_mean: f64,
    /// Sample standard deviation of the final test metric.
    pub metric_std: f64,
    /// Rank among the activations with the same depth, output and backend (1 = best).
    pub rank: usize,
    /// Mean first epoch reaching the target, over the seeds that reached it.
    pub epochs_to_target: Option<f64>,
    /// Seeds that reached the target.
    pub reached_target: usize,
    /// Mean training time per epoch, seconds.
    pub epoch_time_s: f64,
    /// Epoch time relative to the reference activation.
    pub epoch_time_relative: Option<f64>,
    /// Mean dead-unit fraction over hidden layers after training.
    pub dead_fraction: Option<f64>,
    /// First / last hidden layer weight-gradient norm after training (geometric mean over seeds).
    pub gradient_ratio: Option<f64>,
}

/// Groups records into experiments and rows.
pub fn tables(records: &[CellRecord]) -> Vec<ExperimentTable> {
    let mut by_experiment: BTreeMap<usize, Vec<&CellRecord>> = BTreeMap::new();
    for r in records {
        by_experiment.entry(r.cell.experiment_index).or_default().push(r);
    }
    by_experiment.into_values().map(|records| experiment_table(&records)).collect()
}

type VariantKey = (usize, OutputActivation, Backend);

fn experiment_table(records: &[&CellRecord]) -> ExperimentTable {
    let first = records[0];
    // Rows in the config's order of activations.
    let mut groups: BTreeMap<(VariantKey, usize), Vec<&CellRecord>> = BTreeMap::new();
    for r in records {
        groups
            .entry(((r.cell.model.depth(), r.cell.output, r.cell.backend), r.cell.activation_index))
            .or_default()
            .push(r);
    }
    let mut rows: Vec<(VariantKey, Row)> = groups
        .iter()
        .map(|((key, _), rs)| (*key, row(&rs[0].cell.activation.label(), *key, rs)))
        .collect();
    // Rank and relative time within each (depth, output, backend) variant.
    let keys: Vec<VariantKey> = rows.iter().map(|(k, _)| *k).collect();
    for key in keys.iter().copied().collect::<std::collections::BTreeSet<_>>() {
        let members: Vec<usize> = (0..rows.len()).filter(|&i| keys[i] == key).collect();
        let mut ranked = members.clone();
        ranked.sort_by(|&a, &b| {
            let (x, y) = (rows[a].1.metric_mean, rows[b].1.metric_mean);
            let ord = x.partial_cmp(&y).unwrap_or(std::cmp::Ordering::Equal);
            if first.higher_is_better { ord.reverse() } else { ord }
        });
        for (rank, &i) in ranked.iter().enumerate() {
            rows[i].1.rank = rank + 1;
        }
        let reference = members
            .iter()
            .find(|&&i| rows[i].1.activation == first.cell.reference)
            .map(|&i| rows[i].1.epoch_time_s);
        for &i in &members {
            rows[i].1.epoch_time_relative =
                reference.filter(|r| *r > 0.0).map(|r| rows[i].1.epoch_time_s / r);
        }
    }
    ExperimentTable {
        experiment: first.cell.experiment.clone(),
        description: first.cell.description.clone(),
        dataset: first.dataset_source.clone(),
        metric: first.metric.clone(),
        higher_is_better: first.higher_is_better,
        target: first.cell.target,
        reference: first.cell.reference.clone(),
        parallel_jobs: records.iter().map(|r| r.jobs).max().unwrap_or(1),
        rows: rows.into_iter().map(|(_, r)| r).collect(),
    }
}

fn row(label: &str, (depth, output, backend): VariantKey, records: &[&CellRecord]) -> Row {
    let finals: Vec<f64> = records.iter().filter_map(|r| outcome::final_metric(r)).collect();
    let reached: Vec<f64> = records
        .iter()
        .filter(|r| outcome::reached_target(r) == Some(true))
        .filter_map(|r| outcome::epochs_to_target(r))
        .collect();
    let epoch_times: Vec<f64> = records.iter().filter_map(|r| outcome::epoch_time_s(r)).collect();
    let dead: Vec<f64> = records.iter().filter_map(|r| outcome::dead_fraction(r)).collect();
    let ratios: Vec<f64> =
        records.iter().filter_map(|r| outcome::final_gradient_ratio(r)).collect();
    Row {
        activation: label.to_string(),
        depth,
        output: output.name().to_string(),
        backend: backend.name().to_string(),
        seeds: records.len(),
        diverged: records.iter().filter(|r| r.status == Status::Diverged).count(),
        metric_mean: mean(&finals),
        metric_std: std_dev(&finals),
        rank: 0,
        epochs_to_target: (!reached.is_empty()).then(|| mean(&reached)),
        reached_target: reached.len(),
        epoch_time_s: if epoch_times.is_empty() { 0.0 } else { mean(&epoch_times) },
        epoch_time_relative: None,
        dead_fraction: (!dead.is_empty()).then(|| mean(&dead)),
        gradient_ratio: if ratios.len() == records.len() { geometric_mean(&ratios) } else { None },
    }
}

/// Column headers and cells of a table, for any format.
pub fn columns(table: &ExperimentTable) -> (Vec<String>, Vec<Vec<String>>) {
    let varies = |f: fn(&Row) -> String| {
        table.rows.iter().map(f).collect::<std::collections::BTreeSet<_>>().len() > 1
    };
    let (show_depth, show_output, show_backend) = (
        varies(|r| r.depth.to_string()),
        varies(|r| r.output.clone()),
        varies(|r| r.backend.clone()),
    );
    let direction = if table.higher_is_better { "higher is better" } else { "lower is better" };
    let mut header = vec!["activation".to_string()];
    if show_depth {
        header.push("depth".into());
    }
    if show_output {
        header.push("output".into());
    }
    if show_backend {
        header.push("backend".into());
    }
    header.extend([
        format!("test {} ({direction}), mean ± std", table.metric),
        "rank".into(),
        match table.target {
            Some(t) => format!("epochs to {} {}", t.split(), num(t.value())),
            None => "epochs to target".into(),
        },
        format!("time/epoch vs {}", table.reference),
        "dead units".into(),
        "grad first/last".into(),
        "seeds".into(),
    ]);
    let rows = table
        .rows
        .iter()
        .map(|r| {
            let mut cells = vec![r.activation.clone()];
            if show_depth {
                cells.push(r.depth.to_string());
            }
            if show_output {
                cells.push(r.output.clone());
            }
            if show_backend {
                cells.push(r.backend.clone());
            }
            cells.extend([
                format!("{} ± {}", num(r.metric_mean), num(r.metric_std)),
                r.rank.to_string(),
                match r.epochs_to_target {
                    Some(e) if r.reached_target == r.seeds => num(e),
                    Some(e) => format!("{} ({}/{} seeds)", num(e), r.reached_target, r.seeds),
                    None if table.target.is_some() => "not reached".into(),
                    None => "-".into(),
                },
                r.epoch_time_relative
                    .map(|t| format!("{}x", num(t)))
                    .unwrap_or_else(|| "n/a".into()),
                r.dead_fraction.map(|d| format!("{:.1}%", 100.0 * d)).unwrap_or_else(|| "-".into()),
                r.gradient_ratio.map(num).unwrap_or_else(|| "-".into()),
                if r.diverged > 0 {
                    format!("{} ({} diverged)", r.seeds, r.diverged)
                } else {
                    r.seeds.to_string()
                },
            ]);
            cells
        })
        .collect();
    (header, rows)
}

/// The lines under a table's title: description, data, target, and how times were measured.
pub fn heading_lines(t: &ExperimentTable) -> Vec<String> {
    let mut lines = vec![t.description.clone(), format!("data: {}", t.dataset)];
    if let Some(target) = t.target {
        lines.push(format!(
            "target: {} {} {} {}",
            target.split(),
            t.metric,
            if t.higher_is_better { ">=" } else { "<=" },
            num(target.value())
        ));
    }
    if t.parallel_jobs > 1 {
        lines.push(format!(
            "times: {n} cells trained side by side (--jobs {n}), so time columns compare within this run only; use --jobs 1 for timings",
            n = t.parallel_jobs
        ));
    }
    lines.retain(|l| !l.is_empty());
    lines
}
