//! `compare`: two activations, paired by seed, over every setting of a run where both appear,
//! decided by the guidelines' engine (one part per setting, Holm-corrected together).
//!
//! A setting is one experiment at one depth, output and backend. The claim of every part is
//! "A is better than B by more than the difference that matters"; it holds, fails (B is better,
//! or the two are equivalent within the difference that matters) or stays inconclusive, with the
//! seeds that would decide it.

use serde::Serialize;

use crate::guidelines::engine::{Claim, Decision, Method, Part, decide};
use crate::guidelines::runs::{Runs, Scale, paired};
use crate::guidelines::thresholds::DELTA_LN_COST;
use crate::outcome;
use crate::records::cell::CellRecord;

/// What is compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Metric {
    /// The final test metric (accuracy; log10 MSE for regression).
    Final,
    /// Epochs to the experiment's target (settings without a target are left out).
    Epochs,
    /// Training time per epoch (compared as ln of seconds: lower is better).
    Time,
}

/// One setting's comparison: the contract of `compare --format json` (`settings`).
#[derive(Debug, Clone, Serialize)]
pub struct Setting {
    /// Experiment name.
    pub experiment: String,
    /// Hidden layers.
    pub depth: usize,
    /// Output activation.
    pub output: String,
    /// Backend the runs trained on.
    pub backend: String,
    /// Mean of A's and B's values over their paired seeds, in the part's unit.
    pub mean_a: Option<f64>,
    /// Mean of B's values over the same seeds.
    pub mean_b: Option<f64>,
    /// The paired comparison A - B (positive: A better).
    #[serde(flatten)]
    pub part: Part,
    /// What the decision says.
    #[serde(skip)]
    pub outcome: Outcome,
    /// The outcome in words: `A better`, `B better`, `equivalent`, `inconclusive`.
    pub reading: String,
}

/// What a setting's decision says about A and B.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Holds: A better by more than delta.
    ABetter,
    /// Fails with the interval below zero.
    BBetter,
    /// Fails with the interval inside ±delta.
    Equivalent,
    /// Undecided.
    Inconclusive,
}

impl Outcome {
    /// The outcome of a decided part.
    pub fn of(part: &Part) -> Outcome {
        match part.decision {
            Decision::Holds => Outcome::ABetter,
            Decision::Fails if part.ci_high.is_some_and(|h| h < 0.0) => Outcome::BBetter,
            Decision::Fails => Outcome::Equivalent,
            Decision::Undecided => Outcome::Inconclusive,
        }
    }
}

/// The whole comparison: the contract of `compare --format json`.
#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    /// Activation A (its label).
    pub a: String,
    /// Activation B.
    pub b: String,
    /// What is compared.
    pub metric: Metric,
    /// One comparison per setting where both ran.
    pub settings: Vec<Setting>,
    /// Settings where only one of the two ran, or (epochs) without a target.
    pub skipped: Vec<String>,
}

/// Compares `a` with `b` over `records` (already filtered to the experiments asked for).
pub fn compare(records: &[CellRecord], a: &str, b: &str, metric: Metric) -> Comparison {
    let all = Runs(records.iter().collect());
    let mut keys: Vec<(usize, String, usize, String, String)> = records
        .iter()
        .map(|r| {
            let c = &r.cell;
            let output = c.output.name().to_string();
            (
                c.experiment_index,
                c.experiment.clone(),
                c.model.depth(),
                output,
                c.backend.to_string(),
            )
        })
        .collect();
    keys.sort();
    keys.dedup();
    let mut settings = Vec::new();
    let mut parts = Vec::new();
    let mut skipped = Vec::new();
    for (_, experiment, depth, output, backend) in keys {
        let here = all.filter(|r| {
            r.cell.experiment == experiment
                && r.cell.model.depth() == depth
                && r.cell.output.name() == output
                && r.cell.backend.to_string() == backend
        });
        let (runs_a, runs_b) = (here.activation(a), here.activation(b));
        let name = format!("{experiment} d{depth} {output} {backend}");
        if runs_a.is_empty() || runs_b.is_empty() {
            if !(runs_a.is_empty() && runs_b.is_empty()) {
                let missing = if runs_a.is_empty() { a } else { b };
                skipped.push(format!("{name}: no {missing} runs"));
            }
            continue;
        }
        let value: fn(&CellRecord) -> Option<f64> = match metric {
            Metric::Final => outcome::final_metric,
            Metric::Epochs => outcome::epochs_to_target,
            Metric::Time => |r| outcome::epoch_time_s(r).map(f64::ln),
        };
        let scale = match metric {
            Metric::Final => Scale::final_metric(&runs_a),
            Metric::Epochs => match runs_a.target() {
                Some(target) => Scale::epochs(&runs_a, target),
                None => {
                    skipped.push(format!("{name}: no target, so no epochs to target"));
                    continue;
                }
            },
            Metric::Time => {
                Scale::of("ln seconds per epoch", false, DELTA_LN_COST, Method::PairedT)
            }
        };
        let label = format!("{a} - {b}, {name}");
        parts.push(paired(label, Claim::Better, &runs_a, &runs_b, &scale, value));
        let paired_mean = |runs: &Runs, other: &Runs| {
            let mine = runs.by_seed(value);
            let theirs = other.by_seed(value);
            let shown = |v: f64| if scale.log10 { v.log10() } else { v };
            let values: Vec<f64> = mine
                .iter()
                .filter(|(s, _)| theirs.contains_key(s))
                .map(|(_, v)| shown(*v))
                .collect();
            let m = crate::stats::mean(&values);
            m.is_finite().then_some(m)
        };
        settings.push((
            experiment,
            depth,
            output,
            backend,
            paired_mean(&runs_a, &runs_b),
            paired_mean(&runs_b, &runs_a),
        ));
    }
    decide(&mut parts);
    let settings = settings
        .into_iter()
        .zip(parts)
        .map(|((experiment, depth, output, backend, mean_a, mean_b), part)| {
            let outcome = Outcome::of(&part);
            let reading = reading(outcome, &part, a, b);
            Setting { experiment, depth, output, backend, mean_a, mean_b, part, outcome, reading }
        })
        .collect();
    Comparison { a: a.to_string(), b: b.to_string(), metric, settings, skipped }
}

/// The outcome in words, with the margin or the seeds that would decide.
fn reading(outcome: Outcome, part: &Part, a: &str, b: &str) -> String {
    match outcome {
        Outcome::ABetter => format!("{a} better"),
        Outcome::BBetter => format!("{b} better"),
        Outcome::Equivalent => format!("equivalent (within ±{})", part.delta.unwrap_or(0.0)),
        Outcome::Inconclusive => match part.seeds_needed {
            Some(n) => format!("inconclusive (~{n} seeds would decide)"),
            None => "inconclusive".to_string(),
        },
    }
}
