//! G17 `two-circles-depth`, the classic experiment: on two concentric circles a 5-layer tanh MLP
//! learns poorly, a 5-layer ReLU MLP learns well, a 15-layer ReLU MLP still learns, and tanh's
//! first layers get much smaller gradients. Tanh runs with both the classic U(0, 1) init and
//! He-uniform; the verdict is given per tanh init, and the evidence counts the seeds that learn
//! (the article shows one run per model).

use actbench_models::ModelConfig;

use super::engine::{Claim, Method};
use super::judgement::{Judgement, Verdict};
use super::rule::{Evidence, Guideline};
use super::runs::Runs;
use super::runs::{Scale, final_metric, paired, single};
use super::thresholds::{DELTA_LOG10_GRADIENT, G17_ABOVE_CHANCE};
use crate::outcome;
use crate::records::cell::CellRecord;

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
        "per tanh init: shallow relu not less accurate than tanh (non-inferiority, paired by seed), deep relu above {G17_ABOVE_CHANCE} accuracy (95% CI), relu's log10 first-layer mean |gradient| over all epochs above tanh's by > {DELTA_LOG10_GRADIENT} (a factor of 2; paired); Holm over all parts; inits that disagree make the verdict inconclusive"
    )
}

fn init(r: &CellRecord) -> String {
    match &r.cell.model {
        ModelConfig::Mlp { init, .. } => init.label(),
        other => other.label(),
    }
}

/// `relu d5 7/9` seeds at or above the chance line.
fn learned(label: &str, runs: &Runs) -> String {
    let values = runs.values(outcome::final_metric);
    format!(
        "{label} {}/{}",
        values.iter().filter(|v| **v >= G17_ABOVE_CHANCE).count(),
        values.len()
    )
}

fn check(e: &Evidence) -> Judgement {
    let (relu, tanh) = (e.runs.activation("relu"), e.runs.activation("tanh"));
    let relu_depths = relu.depths();
    if relu_depths.is_empty() || tanh.is_empty() {
        return Judgement::missing("needs relu and tanh runs");
    }
    let (shallow, deep) = (relu_depths[0], relu_depths[relu_depths.len() - 1]);
    let accuracy = Scale { delta: 0.0, ..Scale::final_metric(&relu) };
    let mut parts = vec![single(
        format!("relu d{deep} - {G17_ABOVE_CHANCE}"),
        Claim::Better,
        &relu.depth(deep),
        &accuracy,
        G17_ABOVE_CHANCE,
        outcome::final_metric,
    )];
    let mut counts = vec![
        learned(&format!("relu d{shallow}"), &relu.depth(shallow)),
        learned(&format!("relu d{deep}"), &relu.depth(deep)),
    ];
    let mut inits: Vec<String> = tanh.0.iter().map(|r| init(r)).collect();
    inits.sort();
    inits.dedup();
    let gradient =
        Scale::of("log10 first-layer mean |grad|", true, DELTA_LOG10_GRADIENT, Method::PairedT);
    let log_gradient = |r: &CellRecord| outcome::first_layer_gradient(r).map(f64::log10);
    for i in &inits {
        let t: Runs = tanh.depth(shallow).filter(|r| &init(r) == i);
        counts.push(learned(&format!("tanh d{shallow} {i}"), &t));
        parts.push(final_metric(
            format!("tanh init {i}: relu d{shallow} - tanh"),
            Claim::NotWorse,
            &relu.depth(shallow),
            &t,
        ));
        parts.push(paired(
            format!("tanh init {i}: relu - tanh first-layer gradient"),
            Claim::Better,
            &relu.depth(shallow),
            &t,
            &gradient,
            log_gradient,
        ));
    }
    let mut evidence = vec![format!(
        "seeds that learn (test accuracy >= {G17_ABOVE_CHANCE}): {}",
        counts.join(", ")
    )];
    let mut finding = Judgement::combined(parts, Vec::new(), |d| {
        let per_init: Vec<Verdict> =
            d[1..].chunks(2).map(|c| Verdict::all([d[0], c[0], c[1]])).collect();
        if per_init.windows(2).all(|w| w[0] == w[1]) { per_init[0] } else { Verdict::Inconclusive }
    });
    for (i, chunk) in inits.iter().zip(finding.parts[1..].chunks(2)) {
        let v = Verdict::all([
            finding.parts[0].decision.into(),
            chunk[0].decision.into(),
            chunk[1].decision.into(),
        ]);
        evidence.push(format!("tanh init {i} → {}", v.name()));
    }
    finding.evidence = evidence;
    finding
}

#[cfg(test)]
mod tests {
    use super::super::Verdict::*;
    use super::super::testing::{edit, seeds, verdict};
    use actbench_models::{InitScheme, ModelConfig};

    fn tanh(init: InitScheme, metrics: &[f64], grad: f64) -> Vec<crate::records::cell::CellRecord> {
        edit(seeds("G17", "g17", "tanh", 5, metrics), |r| {
            r.cell.model = ModelConfig::Mlp {
                depth: 5,
                width: 5,
                init,
                batch_norm: false,
                residual: false,
                bias_init: None,
                dropout: 0.0,
                alpha_dropout: false,
            };
            r.epochs.iter_mut().for_each(|e| e.layers[0].grad_mean_abs = grad);
        })
    }

    fn results(tanh_uniform: &[f64], tanh_he: &[f64]) -> Vec<crate::records::cell::CellRecord> {
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
        let v = verdict("G17", &results(&[0.5, 0.52, 0.5], &[0.9, 0.91, 0.92]));
        assert_eq!(v.verdict, Holds, "{v:?}");
        assert!(
            v.evidence.contains("relu d15 3/3") && v.evidence.contains("tanh d5 uniform(0, 1) 0/3"),
            "{}",
            v.evidence
        );
        assert_eq!(verdict("G17", &results(&[1.0, 1.0, 1.0], &[1.0, 1.0, 1.0])).verdict, Fails);
        let v = verdict("G17", &results(&[0.5, 0.52, 0.5], &[1.0, 1.0, 1.0]));
        assert_eq!(v.verdict, Inconclusive);
        assert!(
            v.evidence.contains("tanh init uniform(0, 1) → holds")
                && v.evidence.contains("→ fails"),
            "{}",
            v.evidence
        );
    }
}
