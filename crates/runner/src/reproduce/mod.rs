//! Reproductions: published results beside ours. An experiment that reproduces a published
//! one names its source (`reproduces = { source = "mish-depth", differences = ".." }`); this
//! module turns the stored records of such experiments into one [`Reproduction`] per source,
//! a pure function of the records and the catalogue in `sources.rs`.

pub mod sources;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::config::OptimizerKind;
pub use crate::config::Reproduces;
use crate::outcome;
use crate::records::cell::CellRecord;
use crate::stats::{mean, mean_ci95, std_dev};
use sources::{Measure, Moment, Source, Value};

/// Whether our number agrees with the published one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Agreement {
    /// The published number lies where ours says it could.
    Agrees,
    /// It does not.
    Differs,
    /// Our interval is too wide to say (too few seeds).
    Inconclusive,
    /// The source gives no number to compare with.
    NoPublishedNumber,
}

impl Agreement {
    /// As printed: `agrees`, `differs`, `inconclusive`, `no published number`.
    pub fn name(self) -> &'static str {
        match self {
            Agreement::Agrees => "agrees",
            Agreement::Differs => "differs",
            Agreement::Inconclusive => "inconclusive",
            Agreement::NoPublishedNumber => "no published number",
        }
    }
}

/// One published number beside ours.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    /// What is compared.
    pub label: String,
    /// The published number (fraction for accuracies), if there is one.
    pub published: Option<f64>,
    /// What the source says where it gives no number, or how to read its number.
    pub published_note: String,
    /// Seeds (or seed pairs) behind our number.
    pub n: usize,
    /// Our mean over seeds.
    pub mean: f64,
    /// Standard deviation over seeds.
    pub std: f64,
    /// 95% confidence interval of our mean (t).
    pub ci: (f64, f64),
    /// 95% prediction interval for one more run (t): where a single published run should fall.
    pub one_run: (f64, f64),
    /// The difference that matters on this quantity.
    pub tolerance: f64,
    /// The reading.
    pub agreement: Agreement,
}

/// A source with our numbers beside its own.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reproduction {
    /// Source id.
    pub source: String,
    /// Who published it, where.
    pub citation: String,
    /// Its setup.
    pub setup: String,
    /// Our setup: per experiment, its description, model, data and training.
    pub ours: Vec<String>,
    /// What differs, per experiment, as the config says.
    pub differences: Vec<String>,
    /// Published numbers with ours (rows whose runs are missing are left out).
    pub rows: Vec<Row>,
    /// Published rows without any of our runs.
    pub not_run: Vec<String>,
}

/// Every source that some record reproduces, in catalogue order.
pub fn reproductions(records: &[CellRecord]) -> Vec<Reproduction> {
    sources::catalogue()
        .into_iter()
        .filter_map(|source| {
            let runs = records_of(records, source.id);
            (!runs.is_empty()).then(|| reproduce(&source, &runs))
        })
        .collect()
}

/// The records of experiments that reproduce the source `id`.
pub fn records_of<'a>(records: &'a [CellRecord], id: &str) -> Vec<&'a CellRecord> {
    records.iter().filter(|r| r.cell.reproduces.as_ref().is_some_and(|p| p.source == id)).collect()
}

/// The records that reproduce `source`, grouped into the source's rows.
fn reproduce(source: &Source, runs: &[&CellRecord]) -> Reproduction {
    let mut experiments: Vec<&CellRecord> = Vec::new();
    for r in runs {
        if !experiments.iter().any(|e| e.cell.experiment == r.cell.experiment) {
            experiments.push(r);
        }
    }
    experiments.sort_by_key(|r| r.cell.experiment_index);
    let ours = experiments.iter().map(|r| setup(r, runs)).collect();
    let differences = experiments
        .iter()
        .filter_map(|r| {
            let d = &r.cell.reproduces.as_ref()?.differences;
            Some(format!("{}: {d}", r.cell.experiment))
        })
        .collect();
    let (mut rows, mut not_run) = (Vec::new(), Vec::new());
    for published in &source.rows {
        let sample = sample(&published.measure, runs);
        if sample.is_empty() {
            not_run.push(published.label.clone());
            continue;
        }
        rows.push(row(published, &sample));
    }
    Reproduction {
        source: source.id.into(),
        citation: source.citation.into(),
        setup: source.setup.into(),
        ours,
        differences,
        rows,
        not_run,
    }
}

/// `experiment: model (deepest); depths; data; training; n seeds`.
fn setup(first: &CellRecord, runs: &[&CellRecord]) -> String {
    let mine: Vec<&CellRecord> =
        runs.iter().copied().filter(|r| r.cell.experiment == first.cell.experiment).collect();
    let deepest = mine.iter().max_by_key(|r| r.cell.model.depth()).unwrap_or(&first);
    let c = &deepest.cell;
    let seeds: std::collections::BTreeSet<u64> = mine.iter().map(|r| r.cell.seed).collect();
    let depths: std::collections::BTreeSet<usize> =
        mine.iter().map(|r| r.cell.model.depth()).collect();
    let depths: Vec<String> = depths.iter().map(|d| d.to_string()).collect();
    let t = &c.train;
    let optimizer = match t.optimizer {
        OptimizerKind::Sgd if t.momentum > 0.0 => {
            format!("sgd {} momentum {}", t.learning_rate, t.momentum)
        }
        OptimizerKind::Sgd => format!("sgd {}", t.learning_rate),
        OptimizerKind::Adam => format!("adam {}", t.learning_rate),
    };
    // Parameter counts, where the records have them: one per distinct count, with its activations.
    let mut counts: Vec<(u64, Vec<String>)> = Vec::new();
    for r in &mine {
        let Some(n) = r.parameters else { continue };
        let label = r.cell.activation.label();
        match counts.iter_mut().find(|(m, _)| *m == n) {
            Some((_, labels)) if !labels.contains(&label) => labels.push(label),
            Some(_) => {}
            None => counts.push((n, vec![label])),
        }
    }
    let parameters = if counts.is_empty() {
        String::new()
    } else {
        let counts: Vec<String> =
            counts.iter().map(|(n, labels)| format!("{n} ({})", labels.join(", "))).collect();
        format!("; parameters {}", counts.join(", "))
    };
    format!(
        "{}: {} (depths {}){parameters}; {}; {} epochs, batch {}, {optimizer}; {} seeds",
        c.experiment,
        c.model.label(),
        depths.join(", "),
        first.dataset_source,
        t.epochs,
        t.batch_size,
        seeds.len()
    )
}

/// Our per-seed values of `measure`.
fn sample(measure: &Measure, runs: &[&CellRecord]) -> Vec<f64> {
    let by_seed = |activation: &str, depth: usize, value: &dyn Fn(&CellRecord) -> Option<f64>| {
        runs.iter()
            .filter(|r| r.cell.activation.label() == activation && r.cell.model.depth() == depth)
            .filter_map(|r| Some((r.cell.seed, value(r)?)))
            .collect::<BTreeMap<u64, f64>>()
    };
    // `combine(a, b)` of each seed that has both.
    let paired = |a: BTreeMap<u64, f64>, b: BTreeMap<u64, f64>, combine: fn(f64, f64) -> f64| {
        a.iter().filter_map(|(s, x)| b.get(s).map(|y| combine(*x, *y))).collect::<Vec<f64>>()
    };
    let difference = |x: f64, y: f64| x - y;
    match measure {
        Measure::Final { activation, depth, init } => {
            let init = init.as_ref().map(|i| i.label());
            let value = |r: &CellRecord| {
                let matches = match (&init, &r.cell.model) {
                    (Some(i), actbench_models::ModelConfig::Mlp { init: ours, .. }) => {
                        *i == ours.label()
                    }
                    _ => true,
                };
                if matches { outcome::final_metric(r) } else { None }
            };
            by_seed(activation, *depth, &value).into_values().collect()
        }
        Measure::Gap { a, b, depth } => paired(
            by_seed(a, *depth, &outcome::final_metric),
            by_seed(b, *depth, &outcome::final_metric),
            difference,
        ),
        Measure::Drop { activation, from, to } => paired(
            by_seed(activation, *to, &outcome::final_metric),
            by_seed(activation, *from, &outcome::final_metric),
            difference,
        ),
        Measure::RelativeGap { a, b, depth } => paired(
            by_seed(a, *depth, &outcome::final_metric),
            by_seed(b, *depth, &outcome::final_metric),
            |x, y| (x - y) / y,
        ),
        Measure::RankCorrelation { published, depth } => {
            let ours: Vec<BTreeMap<u64, f64>> = published
                .iter()
                .map(|(activation, _)| by_seed(activation, *depth, &outcome::final_metric))
                .collect();
            let theirs: Vec<f64> = published.iter().map(|(_, v)| *v).collect();
            let seeds: std::collections::BTreeSet<u64> =
                ours.iter().flat_map(|m| m.keys().copied()).collect();
            seeds
                .into_iter()
                .filter_map(|seed| {
                    let mine: Option<Vec<f64>> =
                        ours.iter().map(|m| m.get(&seed).copied()).collect();
                    kendall_tau(&theirs, &mine?)
                })
                .collect()
        }
        Measure::Span { activation, depth, span } => {
            let value = |r: &CellRecord| {
                let last = outcome::judged_epoch(r)?;
                span.pick(last.train_metric, &last.test_periods)
            };
            by_seed(activation, *depth, &value).into_values().collect()
        }
        Measure::Baseline { activation, depth, span } => {
            let value = |r: &CellRecord| {
                let b = r.baseline.as_ref()?;
                span.pick(b.train_metric, &b.test_periods)
            };
            by_seed(activation, *depth, &value).into_values().collect()
        }
        Measure::LastLayer { activation, depth, moment, trained } => {
            let value = |r: &CellRecord| {
                let epoch = if *trained { outcome::judged_epoch(r)? } else { r.epochs.first()? };
                let (m, v) = outcome::last_hidden_moments(epoch)?;
                Some(if *moment == Moment::Mean { m } else { v })
            };
            by_seed(activation, *depth, &value).into_values().collect()
        }
    }
}

/// Our number from `sample`, beside the published one.
fn row(published: &sources::Published, sample: &[f64]) -> Row {
    let n = sample.len();
    let (m, s) = (mean(sample), std_dev(sample));
    let unbounded = (f64::NEG_INFINITY, f64::INFINITY);
    let ci = mean_ci95(sample).unwrap_or(unbounded);
    // One more run: t s sqrt(1 + 1/n), the CI's half-width times sqrt(n + 1).
    let spread = (ci.1 - m) * ((n + 1) as f64).sqrt();
    let one_run = if n >= 2 { (m - spread, m + spread) } else { unbounded };
    let tol = published.tolerance;
    let agreement = match published.value {
        Value::Statement(_) => Agreement::NoPublishedNumber,
        _ if n < 3 => Agreement::Inconclusive,
        Value::Run(v) if one_run.0 - tol <= v && v <= one_run.1 + tol => Agreement::Agrees,
        Value::Run(_) => Agreement::Differs,
        Value::Exact(v) if v - tol <= ci.0 && ci.1 <= v + tol => Agreement::Agrees,
        Value::Exact(v) if ci.1 < v - tol || ci.0 > v + tol => Agreement::Differs,
        Value::Exact(_) => Agreement::Inconclusive,
        Value::Mean(v) if ci.0 - tol <= v && v <= ci.1 + tol => Agreement::Agrees,
        Value::Mean(_) => Agreement::Differs,
        Value::AtLeast(v) if ci.0 >= v - tol => Agreement::Agrees,
        Value::AtLeast(v) if ci.1 < v - tol => Agreement::Differs,
        Value::AtLeast(_) => Agreement::Inconclusive,
        Value::SameOrder if ci.0 > 0.0 => Agreement::Agrees,
        Value::SameOrder if ci.1 < 0.0 => Agreement::Differs,
        Value::SameOrder => Agreement::Inconclusive,
    };
    let (number, note) = (number_of(&published.value), reading(&published.value));
    Row {
        label: published.label.clone(),
        published: number,
        published_note: note,
        n,
        mean: m,
        std: s,
        ci,
        one_run,
        tolerance: tol,
        agreement,
    }
}

fn number_of(value: &Value) -> Option<f64> {
    match value {
        Value::Run(v) | Value::Exact(v) | Value::Mean(v) | Value::AtLeast(v) => Some(*v),
        Value::SameOrder => Some(1.0),
        Value::Statement(_) => None,
    }
}

/// How a published number is judged.
fn reading(value: &Value) -> String {
    match value {
        Value::Run(_) => "one run: inside our 95% range for one run?".into(),
        Value::Exact(_) => "fixed point: our 95% CI within the tolerance?".into(),
        Value::Mean(_) => "a mean of many runs: within the tolerance of our 95% CI?".into(),
        Value::AtLeast(_) => {
            "a lower bound: our 95% CI above it, less the tolerance (non-inferiority)?".into()
        }
        Value::SameOrder => "the same order (tau 1): our 95% CI of tau above 0?".into(),
        Value::Statement(text) => text.to_string(),
    }
}

/// Kendall's tau-b between two equally long lists (ties counted as neither concordant nor
/// discordant); `None` for fewer than two items or a list of all-equal values.
pub fn kendall_tau(x: &[f64], y: &[f64]) -> Option<f64> {
    let n = x.len().min(y.len());
    let (mut concordant, mut discordant, mut ties_x, mut ties_y) = (0.0f64, 0.0, 0.0, 0.0);
    for i in 0..n {
        for j in i + 1..n {
            let (dx, dy) = (x[i] - x[j], y[i] - y[j]);
            match (dx == 0.0, dy == 0.0) {
                (true, true) => {}
                (true, false) => ties_x += 1.0,
                (false, true) => ties_y += 1.0,
                _ if (dx > 0.0) == (dy > 0.0) => concordant += 1.0,
                _ => discordant += 1.0,
            }
        }
    }
    let denominator =
        ((concordant + discordant + ties_x) * (concordant + discordant + ties_y)).sqrt();
    (denominator > 0.0).then(|| (concordant - discordant) / denominator)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::testing::{edit, seeds};
    use actbench_models::{InitScheme, ModelConfig};

    /// Runs of `activation` at `depth` reproducing `source`, with these final metrics.
    fn runs(source: &str, activation: &str, depth: usize, metrics: &[f64]) -> Vec<CellRecord> {
        let source = source.to_string();
        edit(seeds("G17", "repro", activation, depth, metrics), move |r| {
            r.cell.reproduces =
                Some(Reproduces { source: source.clone(), differences: "test".into() });
            if let ModelConfig::Mlp { init, .. } = &mut r.cell.model {
                *init = InitScheme::Uniform { min: 0.0, max: 1.0 };
            }
        })
    }

    fn row<'a>(r: &'a Reproduction, label: &str) -> &'a Row {
        r.rows
            .iter()
            .find(|row| row.label.starts_with(label))
            .unwrap_or_else(|| panic!("no row {label:?}; not run: {:?}", r.not_run))
    }

    #[test]
    fn one_published_run_is_read_against_our_range_for_one_run() {
        // Brownlee's depth-5 tanh run: 0.468. Ours spread around 0.5 agrees; tightly around
        // 0.9 differs; two seeds are too few.
        let near = reproductions(&runs("two-circles", "tanh", 5, &[0.45, 0.5, 0.55, 0.52]));
        let near = row(&near[0], "tanh U(0, 1), 5 hidden");
        assert_eq!(near.agreement, Agreement::Agrees);
        assert_eq!(near.published, Some(0.468));
        assert!(near.one_run.0 < near.ci.0 && near.ci.1 < near.one_run.1, "{near:?}");
        let far = reproductions(&runs("two-circles", "tanh", 5, &[0.9, 0.91, 0.9, 0.92]));
        assert_eq!(row(&far[0], "tanh U(0, 1), 5 hidden").agreement, Agreement::Differs);
        let few = reproductions(&runs("two-circles", "tanh", 5, &[0.45, 0.5]));
        assert_eq!(row(&few[0], "tanh U(0, 1), 5 hidden").agreement, Agreement::Inconclusive);
        // The depth-1 and ReLU rows have no runs: listed as not run, not as rows.
        assert!(near_rows_not_run(&reproductions(&runs("two-circles", "tanh", 5, &[0.5; 3]))));
    }

    fn near_rows_not_run(r: &[Reproduction]) -> bool {
        r[0].not_run.iter().any(|l| l.starts_with("tanh U(0, 1), 1 hidden"))
            && r[0].rows.iter().all(|row| !row.label.starts_with("relu"))
    }

    #[test]
    fn gaps_are_paired_by_seed_and_statements_have_no_number() {
        let records = [
            runs("mish-depth", "mish", 22, &[0.80, 0.82, 0.84]),
            runs("mish-depth", "swish", 22, &[0.50, 0.51, 0.55]),
            runs("swish-depth", "swish", 40, &[0.9, 0.9, 0.9]),
            runs("swish-depth", "relu", 40, &[0.8, 0.81, 0.79]),
        ]
        .concat();
        let all = reproductions(&records);
        let ids: Vec<&str> = all.iter().map(|r| r.source.as_str()).collect();
        assert_eq!(ids, ["swish-depth", "mish-depth"]);
        let gap = row(&all[1], "mish - swish, 25 layers");
        assert_eq!(gap.n, 3);
        assert!((gap.mean - (0.82 - 0.52)).abs() < 1e-9, "{gap:?}");
        // Published: 85.16 - 39.68 = 45.5 points; ours 30 +- 1.5: differs.
        assert_eq!(gap.agreement, Agreement::Differs);
        let swish = row(&all[0], "swish - relu, 40 layers");
        assert_eq!((swish.published, swish.agreement), (None, Agreement::NoPublishedNumber));
        assert!((swish.mean - 0.1).abs() < 1e-9);
    }

    #[test]
    fn a_fixed_point_agrees_when_the_whole_interval_is_near_it() {
        // testing::run gives every hidden layer mean 0, variance 1.
        let at_fixed_point = reproductions(&runs("selu-fixed-point", "selu", 32, &[0.8; 4]));
        let mean = row(&at_fixed_point[0], "selu, last of 32 layers, at init: output mean");
        assert_eq!((mean.published, mean.agreement), (Some(0.0), Agreement::Agrees));
        let drifted = reproductions(&edit(runs("selu-fixed-point", "selu", 32, &[0.8; 4]), |r| {
            for e in &mut r.epochs {
                for l in &mut e.layers {
                    l.activation_variance =
                        l.activation_variance.map(|_| 3.0 + r.cell.seed as f64 * 0.01);
                }
            }
        }));
        let variance = row(&drifted[0], "selu, last of 32 layers, after training: output variance");
        assert_eq!(variance.agreement, Agreement::Differs);
    }

    #[test]
    fn kendall_tau_counts_pairs_in_the_same_order() {
        assert_eq!(kendall_tau(&[1.0, 2.0, 3.0], &[10.0, 20.0, 30.0]), Some(1.0));
        assert_eq!(kendall_tau(&[1.0, 2.0, 3.0], &[3.0, 2.0, 1.0]), Some(-1.0));
        // One swapped pair of three: (2 - 1) / 3.
        assert!(
            (kendall_tau(&[1.0, 2.0, 3.0], &[1.0, 3.0, 2.0]).unwrap() - 1.0 / 3.0).abs() < 1e-12
        );
        assert_eq!(kendall_tau(&[1.0], &[1.0]), None);
        assert_eq!(kendall_tau(&[1.0, 1.0], &[1.0, 2.0]), None);
    }

    #[test]
    fn glu_variants_compares_relative_changes_and_the_order() {
        let bpc = |activation: &str, values: &[f64]| {
            edit(runs("glu-variants", activation, 4, values), |r| {
                r.metric = "bits-per-character".into();
                r.higher_is_better = false;
            })
        };
        // Ours in the paper's order (relu worst ... geglu best), with seed noise.
        let labels = ["relu", "swish", "gelu", "glu", "bilinear", "reglu", "swiglu", "geglu"];
        let records: Vec<CellRecord> = labels
            .iter()
            .enumerate()
            .flat_map(|(k, l)| {
                let base = 2.4 - 0.01 * k as f64;
                bpc(l, &[base, base + 0.002, base - 0.001, base + 0.001])
            })
            .collect();
        let all = reproductions(&records);
        let order = row(&all[0], "ordering of the eight");
        assert_eq!(order.n, 4);
        assert_eq!(order.agreement, Agreement::Agrees, "{order:?}");
        let swiglu = row(&all[0], "swiglu vs relu");
        assert!((swiglu.mean - (-0.06 / 2.4)).abs() < 1e-3, "{swiglu:?}");
        // Reversed: the order differs.
        let reversed: Vec<CellRecord> = labels
            .iter()
            .enumerate()
            .flat_map(|(k, l)| {
                let base = 2.3 + 0.01 * k as f64;
                bpc(l, &[base, base + 0.002, base - 0.001, base + 0.001])
            })
            .collect();
        let all = reproductions(&reversed);
        assert_eq!(row(&all[0], "ordering of the eight").agreement, Agreement::Differs);
    }

    #[test]
    fn mish_cifar_order_reads_means_and_lower_bounds() {
        let accuracy = |activation: &str, base: f64| {
            runs("mish-cifar-order", activation, 1, &[base, base + 0.002, base - 0.002, base])
        };
        // The table's order, sigmoid 11.8 points and tanh 3.5 points behind relu; mish level
        // with relu, gelu two points behind.
        let records = [
            accuracy("mish", 0.900),
            accuracy("gelu", 0.880),
            accuracy("swish", 0.8995),
            edit(accuracy("leaky-relu", 0.8993), |r| {
                r.cell.activation = "leaky-relu:0.3".parse().unwrap();
            }),
            accuracy("relu", 0.899),
            accuracy("elu", 0.898),
            accuracy("selu", 0.88),
            accuracy("tanh", 0.864),
            accuracy("sigmoid", 0.781),
        ]
        .concat();
        let all = reproductions(&records);
        assert_eq!(all[0].source, "mish-cifar-order");
        let order = row(&all[0], "ordering of the nine");
        assert_eq!((order.n, order.agreement), (4, Agreement::Agrees), "{order:?}");
        let sigmoid = row(&all[0], "sigmoid - relu");
        assert!((sigmoid.published.unwrap() - (74.82 - 86.66) / 100.0).abs() < 1e-12);
        assert_eq!(sigmoid.agreement, Agreement::Agrees, "{sigmoid:?}");
        assert_eq!(row(&all[0], "tanh - relu").agreement, Agreement::Agrees);
        assert_eq!(row(&all[0], "mish - relu").agreement, Agreement::Agrees);
        assert_eq!(row(&all[0], "gelu - relu").agreement, Agreement::Differs);
        // Sigmoid level with relu: far from the table's gap.
        let level: Vec<CellRecord> = records
            .iter()
            .filter(|r| r.cell.activation.label() != "sigmoid")
            .cloned()
            .chain(accuracy("sigmoid", 0.899))
            .collect();
        let all = reproductions(&level);
        assert_eq!(row(&all[0], "sigmoid - relu").agreement, Agreement::Differs);
    }

    #[test]
    fn sunspots_weigend_reads_each_period_and_the_baseline() {
        // ARVs per seed: 1921-1955 near the published 0.086, 1956-1979 far above 0.35.
        let records = edit(runs("sunspots-weigend", "tanh", 1, &[0.2, 0.21, 0.19, 0.2]), |r| {
            let k = r.cell.seed as f64 * 0.002;
            r.metric = "arv".into();
            r.higher_is_better = false;
            let last = r.epochs.last_mut().unwrap();
            last.train_metric = 0.08 + k;
            last.test_periods =
                [("1921-1955".to_string(), 0.085 + k), ("1956-1979".to_string(), 0.6 + k)]
                    .into_iter()
                    .collect();
            r.baseline = Some(actbench_data::Baseline {
                name: "AR(12), least squares".into(),
                train_metric: 0.13,
                test_metric: 0.2,
                test_periods: [("1921-1955".to_string(), 0.13), ("1956-1979".to_string(), 0.37)]
                    .into_iter()
                    .collect(),
            });
        });
        let all = reproductions(&records);
        assert_eq!(all[0].source, "sunspots-weigend");
        let early = row(&all[0], "12-8-1 tanh network, test 1921-1955");
        assert_eq!(
            (early.n, early.published, early.agreement),
            (4, Some(0.086), Agreement::Agrees)
        );
        let late = row(&all[0], "12-8-1 tanh network, test 1956-1979");
        assert_eq!(late.agreement, Agreement::Differs, "{late:?}");
        assert_eq!(row(&all[0], "12-8-1 tanh network, training").agreement, Agreement::Agrees);
        let ar = row(&all[0], "AR(12) least squares, test 1956-1979");
        assert_eq!((ar.mean, ar.agreement), (0.37, Agreement::NoPublishedNumber));
    }

    #[test]
    fn records_of_other_experiments_are_left_out() {
        let plain = seeds("G17", "other", "tanh", 5, &[0.5, 0.5, 0.5]);
        assert!(reproductions(&plain).is_empty());
    }
}
