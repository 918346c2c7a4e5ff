//! G17 `two-circles-depth`, the classic experiment: on two concentric circles a 5-layer tanh MLP
//! learns poorly, a 5-layer ReLU MLP learns well, a 15-layer ReLU MLP still learns, and tanh's
//! first layers get much smaller gradients. Tanh runs with both the classic U(0, 1) init and
//! He-uniform; the verdict is given per tanh init.

use actbench_models::ModelConfig;

use super::compare::{Summary, compare};
use super::runs::mean_of;
use super::thresholds::G17_ABOVE_CHANCE;
use super::{Evidence, Finding, Guideline, Runs, Verdict};
use crate::run::record::CellRecord;

pub const GUIDELINE: Guideline = Guideline {
    id: "G17",
    name: "two-circles-depth",
    claim: "On two concentric circles, a 5-layer tanh MLP learns poorly, a 5-layer ReLU MLP learns well, a 15-layer ReLU MLP still learns; tanh's first layers get much smaller gradients",
    threshold,
    needs_runs: true,
    check,
};

fn threshold() -> String {
    format!(
        "per tanh init: shallow relu not less accurate than tanh (p < 0.05), deep relu above {G17_ABOVE_CHANCE} accuracy (p < 0.05), relu's first-layer mean |gradient| over all epochs above tanh's (p < 0.05); inits that disagree make the overall verdict inconclusive"
    )
}

fn init(r: &CellRecord) -> String {
    match &r.cell.model {
        ModelConfig::Mlp { init, .. } => init.label(),
        other => other.label(),
    }
}

/// The first layer's mean |weight gradient|, averaged over init and every epoch.
fn first_layer_gradient(r: &CellRecord) -> Option<f64> {
    mean_of(r.epochs.iter().filter_map(|e| e.layers.first().map(|l| l.grad_mean_abs)))
}

fn check(e: &Evidence) -> Finding {
    let (relu, tanh) = (e.runs.activation("relu"), e.runs.activation("tanh"));
    let relu_depths = relu.depths();
    if relu_depths.is_empty() || tanh.is_empty() {
        return Finding::missing("needs relu and tanh runs");
    }
    let (shallow, deep) = (relu_depths[0], relu_depths[relu_depths.len() - 1]);
    let higher = e.runs.higher_is_better();
    let relu_shallow = relu.depth(shallow);
    let deep_acc = relu.depth(deep).final_metric(format!("relu d{deep}"));
    let above_chance = compare(
        deep_acc.clone(),
        Summary::constant("chance line", G17_ABOVE_CHANCE, deep_acc.values.len()),
        higher,
    );
    let mut evidence = vec![format!("{} vs {G17_ABOVE_CHANCE}", deep_acc.text())];
    let mut inits: Vec<String> = tanh.0.iter().map(|r| init(r)).collect();
    inits.sort();
    inits.dedup();
    let mut per_init = Vec::new();
    for i in inits {
        let t: Runs = tanh.depth(shallow).filter(|r| init(r) == i);
        let accuracy = compare(
            relu_shallow.final_metric(format!("relu d{shallow}")),
            t.final_metric(format!("tanh d{shallow}")),
            higher,
        );
        let gradient = compare(
            relu_shallow.summary("relu", first_layer_gradient),
            t.summary("tanh", first_layer_gradient),
            true,
        );
        let v = Verdict::all([
            accuracy.first_not_worse(),
            above_chance.first_better(),
            gradient.first_better(),
        ]);
        evidence.push(format!(
            "tanh init {i}: accuracy {}; first-layer mean |grad| {} → {}",
            accuracy.text(),
            gradient.text(),
            v.name()
        ));
        per_init.push(v);
    }
    let verdict =
        if per_init.windows(2).all(|w| w[0] == w[1]) { per_init[0] } else { Verdict::Inconclusive };
    Finding { verdict, evidence }
}

#[cfg(test)]
mod tests {
    use super::super::Verdict::*;
    use super::super::testing::{edit, seeds, verdict};
    use actbench_models::{InitScheme, ModelConfig};

    fn tanh(init: InitScheme, metrics: &[f64], grad: f64) -> Vec<crate::run::record::CellRecord> {
        edit(seeds("G17", "g17", "tanh", 5, metrics), |r| {
            r.cell.model = ModelConfig::Mlp {
                depth: 5,
                width: 5,
                init,
                batch_norm: false,
                residual: false,
                bias_init: None,
            };
            r.epochs.iter_mut().for_each(|e| e.layers[0].grad_mean_abs = grad);
        })
    }

    fn results(tanh_uniform: &[f64], tanh_he: &[f64]) -> Vec<crate::run::record::CellRecord> {
        [
            seeds("G17", "g17", "relu", 5, &[0.9, 0.91, 0.92]),
            seeds("G17", "g17", "relu", 15, &[0.95, 0.9, 0.97]),
            tanh(InitScheme::Uniform { min: 0.0, max: 1.0 }, tanh_uniform, 0.001),
            tanh(InitScheme::HeUniform, tanh_he, 0.001),
        ]
        .concat()
    }

    #[test]
    fn every_outcome() {
        assert_eq!(verdict("G17", &results(&[0.5, 0.52, 0.5], &[0.88, 0.93, 0.91])).verdict, Holds);
        assert_eq!(verdict("G17", &results(&[1.0, 1.0, 1.0], &[1.0, 1.0, 1.0])).verdict, Fails);
        let v = verdict("G17", &results(&[0.5, 0.52, 0.5], &[1.0, 1.0, 1.0]));
        assert_eq!(v.verdict, Inconclusive);
        assert!(
            v.evidence.contains("tanh init uniform(0, 1)") && v.evidence.contains("→ fails"),
            "{}",
            v.evidence
        );
    }
}
