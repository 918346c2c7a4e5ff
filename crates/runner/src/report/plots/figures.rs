//! Every figure, as a pure function of stored results (and, for the curves, of the activations
//! themselves).

use std::collections::BTreeMap;

use actbench_activations::backend::Backend;
use actbench_activations::burn::tensor::DType;
use actbench_activations::{ActivationConfig, Family, REGISTRY, curve, registry};

use super::chart::{Bar, Chart, Figure, Layout, Series, stem};
use crate::records::activation_timing::{ActivationTiming, COPY, Mode};
use crate::records::cell::CellRecord;
use crate::stats::{mean, std_dev};

/// Palette index of an activation: its registry position, so colours agree across figures.
/// A registered activation's colour is its place in the registry; a formula activation takes
/// the registry's colours from the end (those of the activations least often shown), one per
/// formula in the order first drawn, so two formulas never share a colour.
fn colour(label: &str) -> usize {
    static FORMULAS: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());
    let name = label.split(':').next().unwrap_or(label);
    let names = registry::names();
    if let Some(i) = names.iter().position(|n| *n == name) {
        return i;
    }
    let mut formulas = FORMULAS.lock().unwrap_or_else(|p| p.into_inner());
    let k = formulas.iter().position(|f| f == label).unwrap_or_else(|| {
        formulas.push(label.to_string());
        formulas.len() - 1
    });
    names.len() - 1 - k % names.len()
}

/// Records grouped by experiment, in config order.
fn experiments(records: &[CellRecord]) -> Vec<Vec<&CellRecord>> {
    let mut by: BTreeMap<usize, Vec<&CellRecord>> = BTreeMap::new();
    for r in records {
        by.entry(r.cell.experiment_index).or_default().push(r);
    }
    by.into_values().collect()
}

/// Activation labels of `records` in config order.
fn labels(records: &[&CellRecord]) -> Vec<String> {
    let mut seen: Vec<(usize, String)> =
        records.iter().map(|r| (r.cell.activation_index, r.cell.activation.label())).collect();
    seen.sort();
    seen.dedup();
    seen.into_iter().map(|(_, l)| l).collect()
}

fn depths(records: &[&CellRecord]) -> Vec<usize> {
    let mut d: Vec<usize> = records.iter().map(|r| r.cell.model.depth()).collect();
    d.sort();
    d.dedup();
    d
}

fn metric_label(r: &CellRecord) -> String {
    format!(
        "test {} ({})",
        r.metric,
        if r.higher_is_better { "higher is better" } else { "lower is better" }
    )
}

/// Activation curves: one grid of small panels (f solid, f' dashed), and one overlay per family.
pub fn curves() -> Vec<Figure> {
    let Some(device) = Backend::compiled().into_iter().find_map(|b| b.device().ok()) else {
        return Vec::new();
    };
    let x = curve::linspace(-5.0, 5.0, 201);
    let evaluated: Vec<(&str, Family, curve::Curve)> = REGISTRY
        .iter()
        .map(|info| {
            (
                info.name,
                info.family,
                curve::evaluate(
                    &ActivationConfig::new(info.name).expect("registered"),
                    &x,
                    DType::F32,
                    &device,
                ),
            )
        })
        .collect();
    let pair = |name: &str, c: &curve::Curve, colour: usize| {
        let f = Series::new(
            name.to_string(),
            c.x.iter().copied().zip(c.y.iter().copied()).collect(),
            colour,
        );
        let mut d = Series::new(
            format!("{name}'"),
            c.x.iter().copied().zip(c.dy.iter().copied()).collect(),
            colour,
        );
        d.dashed = true;
        [f, d]
    };
    let panels: Vec<Chart> = evaluated
        .iter()
        .map(|(name, _, c)| {
            let mut chart = Chart::lines(
                *name,
                "x",
                "f(x), f'(x) dashed",
                pair(name, c, colour(name)).to_vec(),
            );
            chart.legend = false;
            chart
        })
        .collect();
    let mut figures = vec![Figure {
        stem: "activation-curves".into(),
        caption: "Every activation f(x) (solid) and its derivative f'(x) from autodiff (dashed), x in [-5, 5].".into(),
        experiment: None,
        size: (1400, 1150),
        layout: Layout::Grid { title: "Activations: f(x) solid, f'(x) dashed".into(), columns: 5, panels },
    }];
    let mut families: Vec<Family> = evaluated.iter().map(|e| e.1).collect();
    families.dedup();
    families.sort_by_key(|f| f.name());
    families.dedup();
    for family in families {
        let series: Vec<Series> = evaluated
            .iter()
            .filter(|e| e.1 == family)
            .flat_map(|(name, _, c)| pair(name, c, colour(name)))
            .collect();
        figures.push(Figure {
            stem: stem(&["curves", family.name()]),
            caption: format!("The {} family: f(x) solid, f'(x) dashed.", family.name()),
            experiment: None,
            size: (800, 520),
            layout: Layout::Single(Chart::lines(
                format!("{} family", family.name()),
                "x",
                "f(x), f'(x)",
                series,
            )),
        });
    }
    figures
}

/// A mean line `(x, y)` and its ± std area `(x, low, high)`.
type Band = (Vec<(f64, f64)>, Vec<(f64, f64, f64)>);

/// Mean ± std over runs of `value` at each epoch (epochs present in every run).
fn band(runs: &[&CellRecord], value: impl Fn(&crate::records::cell::EpochRecord) -> f64) -> Band {
    let epochs = runs.iter().map(|r| r.epochs.len()).min().unwrap_or(0);
    let (mut line, mut area) = (Vec::new(), Vec::new());
    for e in 0..epochs {
        let v: Vec<f64> = runs.iter().map(|r| value(&r.epochs[e])).collect();
        let (m, s) = (mean(&v), std_dev(&v));
        line.push((e as f64, m));
        area.push((e as f64, m - s, m + s));
    }
    (line, area)
}

/// Learning curves of each experiment: test metric against epoch, mean ± std over seeds; one
/// panel per (depth, output, backend) variant.
pub fn learning_curves(records: &[CellRecord]) -> Vec<Figure> {
    experiments(records)
        .into_iter()
        .map(|runs| {
            let first = runs[0];
            let mut variants: Vec<_> = runs
                .iter()
                .map(|r| (r.cell.model.depth(), r.cell.output, r.cell.backend))
                .collect();
            variants.sort();
            variants.dedup();
            let panels: Vec<Chart> = variants
                .iter()
                .map(|&(depth, output, backend)| {
                    let series = labels(&runs)
                        .into_iter()
                        .filter_map(|label| {
                            let group: Vec<&CellRecord> = runs
                                .iter()
                                .copied()
                                .filter(|r| {
                                    r.cell.activation.label() == label
                                        && (r.cell.model.depth(), r.cell.output, r.cell.backend)
                                            == (depth, output, backend)
                                })
                                .collect();
                            (!group.is_empty()).then(|| {
                                let (points, area) = band(&group, |e| e.test_metric);
                                Series {
                                    band: area,
                                    ..Series::new(label.clone(), points, colour(&label))
                                }
                            })
                        })
                        .collect();
                    let title = if variants.len() > 1 {
                        format!("depth {depth}, {} output, {backend}", output.name())
                    } else {
                        first.cell.experiment.clone()
                    };
                    Chart::lines(title, "epoch", metric_label(first), series)
                })
                .collect();
            let layout = if panels.len() == 1 {
                Layout::Single(panels.into_iter().next().expect("one panel"))
            } else {
                Layout::Grid {
                    title: format!("{}: learning curves", first.cell.experiment),
                    columns: panels.len().min(3),
                    panels,
                }
            };
            let rows = match &layout {
                Layout::Grid { panels, columns, .. } => panels.len().div_ceil(*columns) as u32,
                Layout::Single(_) => 1,
            };
            Figure {
                stem: stem(&["learning", &first.cell.experiment]),
                caption: format!(
                    "{}: test {} per epoch (epoch 0 = untrained), mean ± std over seeds.",
                    first.cell.experiment, first.metric
                ),
                experiment: Some(first.cell.experiment.clone()),
                size: (
                    if rows > 1 || matches!(layout, Layout::Grid { .. }) { 1300 } else { 800 },
                    480 * rows + 40,
                ),
                layout,
            }
        })
        .collect()
}

/// Geometric mean over runs of a per-layer positive quantity, per layer index.
fn per_layer(
    runs: &[&CellRecord],
    epoch: impl Fn(&CellRecord) -> Option<&crate::records::cell::EpochRecord>,
    value: impl Fn(&crate::records::cell::LayerRecord) -> Option<f64>,
    geometric: bool,
) -> Vec<(f64, f64)> {
    let layers = runs
        .iter()
        .filter_map(|r| epoch(r))
        .map(|e| e.layers.iter().filter(|l| value(l).is_some()).count())
        .min()
        .unwrap_or(0);
    (0..layers)
        .filter_map(|i| {
            let v: Vec<f64> = runs
                .iter()
                .filter_map(|r| epoch(r)?.layers.iter().filter_map(&value).nth(i))
                .collect();
            let m = if geometric { crate::stats::geometric_mean(&v)? } else { mean(&v) };
            Some(((i + 1) as f64, m))
        })
        .collect()
}

/// Hidden layers of an experiment's deepest model.
fn deepest<'a>(runs: &[&'a CellRecord]) -> (usize, Vec<&'a CellRecord>) {
    let d = *depths(runs).last().expect("runs");
    (d, runs.iter().copied().filter(|r| r.cell.model.depth() == d).collect())
}

/// Weight-gradient norm by layer (log scale), at init (dashed) and after training (solid), for
/// experiments with at least 5 layers.
pub fn gradients(records: &[CellRecord]) -> Vec<Figure> {
    experiments(records)
        .into_iter()
        .filter(|runs| runs[0].cell.model.kind() == "mlp" && *depths(runs).last().expect("runs") >= 5)
        .map(|runs| {
            let (depth, deep) = deepest(&runs);
            let mut series = Vec::new();
            for label in labels(&deep) {
                let group: Vec<&CellRecord> = deep.iter().copied().filter(|r| r.cell.activation.label() == label).collect();
                let layer = |l: &crate::records::cell::LayerRecord| (l.layer != "output").then_some(l.grad_norm);
                series.push(Series::new(format!("{label} trained"), per_layer(&group, crate::outcome::judged_epoch, layer, true), colour(&label)));
                let mut init = Series::new(format!("{label} init"), per_layer(&group, |r| r.epochs.first(), layer, true), colour(&label));
                init.dashed = true;
                series.push(init);
            }
            let name = &runs[0].cell.experiment;
            Figure {
                stem: stem(&["gradients", name]),
                caption: format!("{name}: L2 norm of each hidden layer's weight gradient at depth {depth} (layer 1 = input side), geometric mean over seeds; dashed: at init, solid: after training."),
                experiment: Some(name.clone()),
                size: (800, 520),
                layout: Layout::Single(Chart::lines(format!("{name}: gradient norm by layer, depth {depth}"), "hidden layer", "weight-gradient L2 norm (log)", series).log()),
            }
        })
        .collect()
}

/// For depth sweeps: per-layer activation mean and variance at init of the deepest model, and
/// the final metric against depth.
pub fn depth_sweeps(records: &[CellRecord]) -> Vec<Figure> {
    let mut figures = Vec::new();
    for runs in experiments(records).into_iter().filter(|runs| depths(runs).len() > 1) {
        let name = runs[0].cell.experiment.clone();
        let (depth, deep) = deepest(&runs);
        let (mut means, mut variances) = (Vec::new(), Vec::new());
        for label in labels(&deep) {
            let group: Vec<&CellRecord> =
                deep.iter().copied().filter(|r| r.cell.activation.label() == label).collect();
            means.push(Series::new(
                label.clone(),
                per_layer(&group, |r| r.epochs.first(), |l| l.activation_mean, false),
                colour(&label),
            ));
            variances.push(Series::new(
                label.clone(),
                per_layer(&group, |r| r.epochs.first(), |l| l.activation_variance, true),
                colour(&label),
            ));
        }
        figures.push(Figure {
            stem: stem(&["layer-statistics", &name]),
            caption: format!("{name}: mean and variance of each hidden layer's output at init, depth {depth}, over the evaluation samples (averaged over seeds)."),
            experiment: Some(name.clone()),
            size: (1300, 520),
            layout: Layout::Grid {
                title: format!("{name}: activation statistics by layer at init, depth {depth}"),
                columns: 2,
                panels: vec![Chart::lines("mean", "hidden layer", "mean activation", means), Chart::lines("variance (log)", "hidden layer", "activation variance", variances).log()],
            },
        });
        let series = labels(&runs)
            .into_iter()
            .map(|label| {
                let (mut points, mut area) = (Vec::new(), Vec::new());
                for d in depths(&runs) {
                    let v: Vec<f64> = runs
                        .iter()
                        .filter(|r| r.cell.activation.label() == label && r.cell.model.depth() == d)
                        .filter_map(|r| crate::outcome::final_metric(r))
                        .collect();
                    if !v.is_empty() {
                        let (m, s) = (mean(&v), std_dev(&v));
                        points.push((d as f64, m));
                        area.push((d as f64, m - s, m + s));
                    }
                }
                Series { band: area, ..Series::new(label.clone(), points, colour(&label)) }
            })
            .collect();
        figures.push(Figure {
            stem: stem(&["depth", &name]),
            caption: format!("{name}: final test {} against depth, mean ± std over seeds (a diverged run counts as untrained).", runs[0].metric),
            experiment: Some(name.clone()),
            size: (800, 520),
            layout: Layout::Single(Chart::lines(format!("{name}: {} vs depth", runs[0].metric), "depth (hidden layers)", metric_label(runs[0]), series)),
        });
    }
    figures
}

/// Dead-unit fraction per activation, for experiments where some activation has more than 5%
/// dead units.
pub fn dead_units(records: &[CellRecord]) -> Vec<Figure> {
    experiments(records)
        .into_iter()
        .filter_map(|runs| {
            let (depth, deep) = deepest(&runs);
            let bars: Vec<Bar> = labels(&deep)
                .into_iter()
                .filter_map(|label| {
                    let v: Vec<f64> = deep.iter().filter(|r| r.cell.activation.label() == label).filter_map(|r| crate::outcome::dead_fraction(r)).map(|d| 100.0 * d).collect();
                    (!v.is_empty()).then(|| Bar { value: mean(&v), error: Some(std_dev(&v)), colour: colour(&label), label })
                })
                .collect();
            let name = runs[0].cell.experiment.clone();
            bars.iter().any(|b| b.value > 5.0).then(|| Figure {
                stem: stem(&["dead-units", &name]),
                caption: format!("{name}: hidden units whose derivative is zero on every evaluation sample after training, depth {depth}, mean ± std over seeds."),
                experiment: Some(name.clone()),
                size: (800, 480),
                layout: Layout::Single(Chart::bars(format!("{name}: dead units after training"), "activation", "dead units (%)", bars)),
            })
        })
        .collect()
}

/// Forward+backward time relative to ReLU, one panel per benchmarked backend.
pub fn cost(bench: &[ActivationTiming], reference: &str) -> Vec<Figure> {
    let mut backends: Vec<(Backend, usize)> =
        bench.iter().map(|b| (b.backend, b.elements)).collect();
    backends.sort();
    backends.dedup();
    let panels: Vec<Chart> = backends
        .iter()
        .filter_map(|&(backend, elements)| {
            let rows: Vec<&ActivationTiming> = bench
                .iter()
                .filter(|b| {
                    b.backend == backend
                        && b.elements == elements
                        && b.mode == Mode::ForwardBackward
                        && b.activation != COPY
                })
                .collect();
            let relu = rows.iter().find(|b| b.activation == reference)?.median_s;
            let bars = rows
                .iter()
                .map(|b| Bar {
                    label: b.activation.clone(),
                    value: b.median_s / relu,
                    error: Some((b.max_s - b.min_s) / 2.0 / relu),
                    colour: colour(&b.activation),
                })
                .collect();
            Some(Chart::bars(
                format!("{backend} ({} elements)", rows[0].elements),
                "activation",
                format!("forward+backward time / {reference}'s"),
                bars,
            ))
        })
        .collect();
    if panels.is_empty() {
        return Vec::new();
    }
    vec![Figure {
        stem: "cost-vs-reference".into(),
        caption: format!(
            "Forward+backward time of each activation relative to {reference} on the same tensor, per backend and tensor size (in cache: compute-bound; large: memory-bound): median over repeats, error bar half the min-max range."
        ),
        experiment: None,
        size: (700 * panels.len().min(3) as u32, 480),
        layout: Layout::Grid {
            title: format!("Activation cost relative to {reference}"),
            columns: panels.len().min(3),
            panels,
        },
    }]
}

/// For each reproduced source with a published curve (Mish's accuracy against depth): the
/// published curves (dashed) and ours (solid, with the 95% CI of the mean over seeds as band),
/// on the source's x axis.
pub fn reproductions(records: &[CellRecord]) -> Vec<Figure> {
    let mut figures = Vec::new();
    for source in crate::reproduce::sources::catalogue() {
        let Some(curve) = &source.curve else { continue };
        let runs = crate::reproduce::records_of(records, source.id);
        if runs.is_empty() {
            continue;
        }
        let mut series = Vec::new();
        for (activation, points) in &curve.series {
            series.push(Series {
                dashed: true,
                ..Series::new(
                    format!("{activation} (published, {})", curve.data),
                    points.clone(),
                    colour(activation),
                )
            });
            let (mut ours, mut band) = (Vec::new(), Vec::new());
            for d in depths(&runs) {
                let v: Vec<f64> = runs
                    .iter()
                    .filter(|r| r.cell.activation.label() == *activation)
                    .filter(|r| r.cell.model.depth() == d)
                    .filter_map(|r| crate::outcome::final_metric(r))
                    .collect();
                if v.is_empty() {
                    continue;
                }
                let x = (d + curve.offset) as f64;
                ours.push((x, mean(&v)));
                if let Some((low, high)) = crate::stats::mean_ci95(&v) {
                    band.push((x, low, high));
                }
            }
            series.push(Series {
                band,
                ..Series::new(format!("{activation} (ours)"), ours, colour(activation))
            });
        }
        figures.push(Figure {
            stem: stem(&["reproduction", source.id]),
            caption: format!(
                "{}: test accuracy against depth, published ({}, dashed) and ours ({}, solid, mean with 95% CI over seeds).",
                source.citation, curve.data, runs[0].dataset_source
            ),
            experiment: Some(runs[0].cell.experiment.clone()),
            size: (900, 560),
            layout: Layout::Single(Chart::lines(
                format!("{}: published and ours", source.id),
                curve.x_label,
                "test accuracy",
                series,
            )),
        });
    }
    figures
}
