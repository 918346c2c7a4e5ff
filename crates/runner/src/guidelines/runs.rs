//! Queries over stored records for the rules: pick runs by activation label, depth, experiment
//! or model; pair two sets of runs by seed and turn them into the engine's parts. Runs are
//! never pooled: `evaluate` judges each backend on its own, activations match by their full
//! label (`leaky-relu` is not `leaky-relu:slope=0.1`), and a seed with two runs in one set
//! (a rule that forgot to pick a depth or an experiment) is left out of the pairs rather than
//! counted twice.

use std::collections::{BTreeMap, BTreeSet};

use super::engine::{Claim, Groups, Method, Part};
use super::judgement::Judgement;
use super::thresholds::{DELTA_ACCURACY, DELTA_BITS_PER_CHARACTER, DELTA_EPOCHS, DELTA_LOG10_MSE};
use crate::outcome;
use crate::plan::Target;
use crate::records::cell::CellRecord;

/// A set of runs (cells), in the order of the records.
#[derive(Debug, Clone, Default)]
pub struct Runs<'a>(pub Vec<&'a CellRecord>);

impl<'a> Runs<'a> {
    /// The runs tagged with guideline `id`.
    pub fn tagged(records: &'a [CellRecord], id: &str) -> Runs<'a> {
        Runs(records.iter().filter(|r| r.cell.guidelines.iter().any(|g| g == id)).collect())
    }

    /// No runs.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The runs for which `keep` is true.
    pub fn filter(&self, keep: impl Fn(&CellRecord) -> bool) -> Runs<'a> {
        Runs(self.0.iter().copied().filter(|r| keep(r)).collect())
    }

    /// Runs of the activation with exactly this label (`relu`, `leaky-relu:slope=0.1`).
    pub fn activation(&self, label: &str) -> Runs<'a> {
        self.filter(|r| r.cell.activation.label() == label)
    }

    /// The runs of activations `a` and `b`; when either has none, the finding that says so.
    pub fn pair(&self, a: &str, b: &str) -> Result<(Runs<'a>, Runs<'a>), Judgement> {
        let (first, second) = (self.activation(a), self.activation(b));
        if first.is_empty() || second.is_empty() {
            return Err(Judgement::missing(format!("needs {a} and {b} runs")));
        }
        Ok((first, second))
    }

    /// Runs at model depth `depth`.
    pub fn depth(&self, depth: usize) -> Runs<'a> {
        self.filter(|r| r.cell.model.depth() == depth)
    }

    /// Runs of experiment `name`.
    pub fn experiment(&self, name: &str) -> Runs<'a> {
        self.filter(|r| r.cell.experiment == name)
    }

    /// Activation labels, in the config's order.
    pub fn labels(&self) -> Vec<String> {
        let mut seen: Vec<(usize, usize, String)> = self
            .0
            .iter()
            .map(|r| (r.cell.experiment_index, r.cell.activation_index, r.cell.activation.label()))
            .collect();
        seen.sort();
        let mut labels: Vec<String> = Vec::new();
        for (_, _, l) in seen {
            if !labels.contains(&l) {
                labels.push(l);
            }
        }
        labels
    }

    /// Depths present, ascending.
    pub fn depths(&self) -> Vec<usize> {
        self.0.iter().map(|r| r.cell.model.depth()).collect::<BTreeSet<_>>().into_iter().collect()
    }

    /// Experiment names, in config order.
    pub fn experiments(&self) -> Vec<String> {
        let mut named: Vec<(usize, String)> =
            self.0.iter().map(|r| (r.cell.experiment_index, r.cell.experiment.clone())).collect();
        named.sort();
        named.dedup();
        named.into_iter().map(|(_, n)| n).collect()
    }

    /// The data used, each source once (with the reason when a fallback replaced the first
    /// choice), in the order of the experiments (as [`Runs::experiments`]), whatever the order of
    /// the records.
    pub fn data(&self) -> String {
        let mut described: Vec<(usize, &str, String)> = self
            .0
            .iter()
            .map(|r| {
                let text = match &r.cell.dataset_fallback {
                    Some(reason) => format!("{} (fallback: {reason})", r.dataset_source),
                    None => r.dataset_source.clone(),
                };
                (r.cell.experiment_index, r.cell.experiment.as_str(), text)
            })
            .collect();
        described.sort();
        let mut sources: Vec<String> = Vec::new();
        for (_, _, text) in described {
            if !sources.contains(&text) {
                sources.push(text);
            }
        }
        sources.join("; ")
    }

    /// Seeds in the smallest (experiment, activation, depth, output, backend) group.
    pub fn min_seeds(&self) -> usize {
        let mut groups = BTreeMap::new();
        for r in &self.0 {
            let key = (
                r.cell.experiment_index,
                r.cell.activation.label(),
                r.cell.model.depth(),
                r.cell.output,
                r.cell.backend,
            );
            *groups.entry(key).or_insert(0) += 1;
        }
        groups.values().copied().min().unwrap_or(0)
    }

    /// Whether the runs' metric is better when larger (accuracy: yes; MSE: no).
    pub fn higher_is_better(&self) -> bool {
        self.0.first().is_none_or(|r| r.higher_is_better)
    }

    /// The test metric's name (`accuracy`, `mse`...).
    pub fn metric(&self) -> String {
        self.0.first().map(|r| r.metric.clone()).unwrap_or_default()
    }

    /// The runs' target for "epochs to target" (the first run's).
    pub fn target(&self) -> Option<Target> {
        self.0.first().and_then(|r| r.cell.target)
    }

    /// `value` per seed; seeds with no value (no outcome) or with two runs in this set are left
    /// out.
    pub fn by_seed(&self, value: impl Fn(&CellRecord) -> Option<f64>) -> BTreeMap<u64, f64> {
        let mut count: BTreeMap<u64, usize> = BTreeMap::new();
        for r in &self.0 {
            *count.entry(r.cell.seed).or_default() += 1;
        }
        self.0
            .iter()
            .filter(|r| count[&r.cell.seed] == 1)
            .filter_map(|r| value(r).map(|v| (r.cell.seed, v)))
            .collect()
    }

    /// `value` of every run, in seed order (see [`Runs::by_seed`]).
    pub fn values(&self, value: impl Fn(&CellRecord) -> Option<f64>) -> Vec<f64> {
        self.by_seed(value).into_values().collect()
    }

    /// Mean of `value` over the runs (NaN without values), for evidence text.
    pub fn mean(&self, value: impl Fn(&CellRecord) -> Option<f64>) -> f64 {
        crate::stats::mean(&self.values(value))
    }
}

/// How a metric is compared: its unit, direction, minimal difference that matters, and method.
#[derive(Debug, Clone, PartialEq)]
pub struct Scale {
    /// Unit, as printed beside the numbers.
    pub unit: String,
    /// Whether larger is better.
    pub higher_is_better: bool,
    /// Minimal difference that matters, in the compared unit.
    pub delta: f64,
    /// Estimate and interval.
    pub method: Method,
    /// Compare log10 of the values (scale-free metrics such as MSE).
    pub log10: bool,
}

impl Scale {
    /// The final test metric of `runs`: accuracy-like metrics as they are (delta one point),
    /// MSE and the ARV (an MSE over a fixed variance) as log10 (delta 12%), bits per character
    /// as they are (delta 0.01 bit).
    pub fn final_metric(runs: &Runs) -> Scale {
        let metric = runs.metric();
        let log10 = matches!(metric.as_str(), "mse" | "arv");
        let delta = match metric.as_str() {
            "mse" | "arv" => DELTA_LOG10_MSE,
            "bits-per-character" => DELTA_BITS_PER_CHARACTER,
            _ => DELTA_ACCURACY,
        };
        Scale {
            unit: if log10 { format!("log10 test {metric}") } else { format!("test {metric}") },
            higher_is_better: runs.higher_is_better(),
            delta,
            method: Method::PairedT,
            log10,
        }
    }

    /// Epochs to `target` (censored: sign method, delta half an epoch).
    pub fn epochs(runs: &Runs, target: Target) -> Scale {
        Scale {
            unit: format!("epochs to {} {} {}", target.split(), runs.metric(), target.value()),
            higher_is_better: false,
            delta: DELTA_EPOCHS,
            method: Method::Sign,
            log10: false,
        }
    }

    /// Any other quantity.
    pub fn of(
        unit: impl Into<String>,
        higher_is_better: bool,
        delta: f64,
        method: Method,
    ) -> Scale {
        Scale { unit: unit.into(), higher_is_better, delta, method, log10: false }
    }

    fn value(&self, v: f64) -> f64 {
        if self.log10 { v.log10() } else { v }
    }
}

/// The part "`a` compared with `b`" per seed: the per-seed difference of `value` (on `scale`),
/// positive when `a` is better. The label reads "a - b" (after an optional "context: "); the
/// part carries both groups' values so that it prints them with the direction in words.
pub fn paired(
    label: impl Into<String>,
    claim: Claim,
    a: &Runs,
    b: &Runs,
    scale: &Scale,
    value: impl Fn(&CellRecord) -> Option<f64>,
) -> Part {
    let label = label.into();
    let (first, second) = (a.by_seed(&value), b.by_seed(&value));
    let sign = if scale.higher_is_better { 1.0 } else { -1.0 };
    let pairs: Vec<(f64, f64)> = first
        .iter()
        .filter_map(|(seed, x)| second.get(seed).map(|y| (scale.value(*x), scale.value(*y))))
        .collect();
    let sample = pairs.iter().map(|(x, y)| sign * (x - y)).collect();
    let part = Part::new(label.clone(), &scale.unit, claim, scale.method, scale.delta, sample);
    let finite: Vec<(f64, f64)> = pairs.into_iter().filter(|(x, y)| (x - y).is_finite()).collect();
    let centre = |values: Vec<f64>| match scale.method {
        Method::PairedT => crate::stats::mean(&values),
        Method::Sign => crate::stats::median(&values),
    };
    match group_names(&label) {
        Some((a_name, b_name)) if !finite.is_empty() => part.with_groups(Groups {
            a: a_name,
            a_value: centre(finite.iter().map(|p| p.0).collect()),
            b: b_name,
            b_value: centre(finite.iter().map(|p| p.1).collect()),
            higher_is_better: scale.higher_is_better,
        }),
        _ => part,
    }
}

/// The setting a part's label names and the rest: "fashion: relu - tanh" -> (Some("fashion"),
/// "relu - tanh"). Labels read "[context: ]a - b[, detail]".
pub fn split_context(label: &str) -> (Option<&str>, &str) {
    match label.rsplit_once(": ") {
        Some((context, rest)) => (Some(context), rest),
        None => (None, label),
    }
}

/// The two group names of a label "context: a - b, detail" (context and detail optional).
fn group_names(label: &str) -> Option<(String, String)> {
    let (_, tail) = split_context(label);
    let compared = tail.split_once(", ").map_or(tail, |(c, _)| c);
    let (a, b) = compared.split_once(" - ")?;
    (!a.is_empty() && !b.is_empty() && !b.contains(" - ")).then(|| (a.to_string(), b.to_string()))
}

/// "`a` better than `b` on the final test metric" per seed.
pub fn final_metric(label: impl Into<String>, claim: Claim, a: &Runs, b: &Runs) -> Part {
    paired(label, claim, a, b, &Scale::final_metric(a), outcome::final_metric)
}

/// A part on the values of `runs` themselves (one per seed): a range, or (with `line`) the
/// distance above a fixed line, `value - line`.
pub fn single(
    label: impl Into<String>,
    claim: Claim,
    runs: &Runs,
    scale: &Scale,
    line: f64,
    value: impl Fn(&CellRecord) -> Option<f64>,
) -> Part {
    let sign = if scale.higher_is_better { 1.0 } else { -1.0 };
    let sample = runs.values(value).into_iter().map(|v| sign * (scale.value(v) - line)).collect();
    Part::new(label, &scale.unit, claim, scale.method, scale.delta, sample)
}
