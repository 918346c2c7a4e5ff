//! The guideline verdicts: every rule of the catalogue (`docs/guidelines.md`, G01 to G18) as a
//! pure function of stored results. Each guideline lives in its own file with the claim, the
//! thresholds it prints, the rule and tests on constructed result sets; `thresholds.rs` holds
//! every number; `engine.rs` decides every part of every rule the same way (paired by seed, 95%
//! intervals, minimal differences that matter, Holm within a guideline); `runs.rs` picks and
//! pairs the runs.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::records::activation_timing::ActivationTiming;
use crate::records::cell::CellRecord;

mod cost;
pub mod engine;
pub mod judgement;
pub mod rule;
pub mod runs;
pub mod sentence;
pub mod thresholds;

mod g01_nonlinearity_needed;
mod g02_sigmoid_vanishes;
mod g03_tanh_over_sigmoid;
mod g04_relu_converges_faster;
mod g05_relu_dies;
mod g06_leaky_fixes_dying;
mod g07_prelu_learns_slope;
mod g08_elu_zero_mean;
mod g09_selu_self_normalizes;
mod g10_swish_for_deep;
mod g11_mish_smooth_costly;
mod g12_exp_activations_cost;
mod g13_cnn_relu_family;
mod g14_rnn_sigmoid_tanh;
mod g15_output_layer_choice;
mod g16_deep_fnn_relu_over_sigmoid;
mod g17_two_circles_depth;
mod g18_transformer_ffn;
#[cfg(test)]
pub mod testing;

use engine::Part;
pub use judgement::{Judgement, Verdict};
pub use rule::{Evidence, Guideline};
pub use runs::Runs;

/// The catalogue, in order.
pub const CATALOGUE: [Guideline; 18] = [
    g01_nonlinearity_needed::GUIDELINE,
    g02_sigmoid_vanishes::GUIDELINE,
    g03_tanh_over_sigmoid::GUIDELINE,
    g04_relu_converges_faster::GUIDELINE,
    g05_relu_dies::GUIDELINE,
    g06_leaky_fixes_dying::GUIDELINE,
    g07_prelu_learns_slope::GUIDELINE,
    g08_elu_zero_mean::GUIDELINE,
    g09_selu_self_normalizes::GUIDELINE,
    g10_swish_for_deep::GUIDELINE,
    g11_mish_smooth_costly::GUIDELINE,
    g12_exp_activations_cost::GUIDELINE,
    g13_cnn_relu_family::GUIDELINE,
    g14_rnn_sigmoid_tanh::GUIDELINE,
    g15_output_layer_choice::GUIDELINE,
    g16_deep_fnn_relu_over_sigmoid::GUIDELINE,
    g17_two_circles_depth::GUIDELINE,
    g18_transformer_ffn::GUIDELINE,
];

/// The guideline with this id (`G05`, case-insensitive).
pub fn find(id: &str) -> Option<&'static Guideline> {
    CATALOGUE.iter().find(|g| g.id.eq_ignore_ascii_case(id))
}

/// One row of the verdict table: the contract of `actbench guidelines --format json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GuidelineResult {
    /// `G01`...
    pub id: String,
    /// Kebab-case name.
    pub name: String,
    /// The claim.
    pub claim: String,
    /// What was found, in one sentence generated from the verdict and its parts: the verdict,
    /// the deciding parts with their values and directions, the rule's notes, and which
    /// settings agree where a rule has several.
    pub finding: String,
    /// Backend the runs were trained on (each backend is judged on its own).
    pub backend: String,
    /// The numbers behind the verdict: the context clauses, then every part.
    pub evidence: String,
    /// The thresholds used.
    pub threshold: String,
    /// `holds`, `fails` or `inconclusive`.
    pub verdict: Verdict,
    /// Every part with its difference, 95% interval, delta, Holm-adjusted p, effect size, pairs
    /// and decision.
    pub parts: Vec<Part>,
    /// For an inconclusive verdict: seeds per group that would decide it at the observed spread
    /// (none: more seeds would not, at the observed effects).
    pub seeds_needed: Option<usize>,
    /// The data the evidence comes from.
    pub data: String,
    /// Whether the data is worth printing beside the evidence: files (Fashion-MNIST, MNIST) or a
    /// fallback for missing files.
    #[serde(skip)]
    pub data_matters: bool,
    /// Experiments read.
    pub experiments: Vec<String>,
    /// Seeds per group (the smallest group).
    pub seeds: usize,
}

/// Every guideline's verdict on `records` (and the micro-benchmark `bench`), one row per
/// guideline and backend of the tagged runs. Pure: the same results always give the same table.
pub fn evaluate(records: &[CellRecord], bench: &[ActivationTiming]) -> Vec<GuidelineResult> {
    let mut results = Vec::new();
    for g in &CATALOGUE {
        let tagged = Runs::tagged(records, g.id);
        let mut backends: Vec<_> =
            tagged.0.iter().map(|r| r.cell.backend).collect::<BTreeSet<_>>().into_iter().collect();
        if backends.is_empty() {
            backends.push(actbench_activations::backend::Backend::Flex);
        }
        for backend in backends {
            let runs = tagged.filter(|r| r.cell.backend == backend);
            let judgement = if g.needs_runs && runs.is_empty() {
                Judgement::missing(format!(
                    "not run: no experiment in these results is tagged {} (see configs/guidelines.toml and configs/reproductions.toml; `actbench guidelines` reads several run directories)",
                    g.id
                ))
            } else {
                (g.check)(&Evidence { runs: runs.clone(), timings: bench })
            };
            let seeds_needed = judgement.seeds_needed();
            let evidence: Vec<String> = judgement
                .evidence
                .iter()
                .cloned()
                .chain(judgement.parts.iter().map(Part::text))
                .collect();
            results.push(GuidelineResult {
                id: g.id.into(),
                name: g.name.into(),
                claim: g.claim.into(),
                backend: if runs.is_empty() { "-".into() } else { backend.to_string() },
                evidence: evidence.join("; "),
                threshold: (g.threshold)(),
                finding: sentence::finding(
                    judgement.verdict,
                    seeds_needed,
                    &judgement.parts,
                    &judgement.notes,
                    &judgement.evidence,
                ),
                verdict: judgement.verdict,
                seeds_needed,
                parts: judgement.parts,
                data: runs.data(),
                data_matters: runs.0.iter().any(|r| {
                    r.cell.dataset.kind == actbench_data::DatasetKind::Idx
                        || r.cell.dataset_fallback.is_some()
                }),
                experiments: runs.experiments(),
                seeds: runs.min_seeds(),
            });
        }
    }
    results
}

/// One guideline judged on all the seeds and on the odd and the even seeds alone.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SplitHalf {
    /// `G01`...
    pub id: String,
    /// Kebab-case name.
    pub name: String,
    /// Backend of the runs.
    pub backend: String,
    /// The verdict on every seed.
    pub all_seeds: Verdict,
    /// On the odd seeds alone.
    pub odd_seeds: Verdict,
    /// On the even seeds alone.
    pub even_seeds: Verdict,
    /// Seeds in the smallest group of each half.
    pub odd_n: usize,
    /// The same for the even half.
    pub even_n: usize,
    /// True when the full run is decisive and a half says otherwise (either half decisive
    /// the other way, or inconclusive).
    pub unstable: bool,
}

/// The stability check: verdicts on the odd and on the even seeds, beside the full verdict.
pub fn split_half(records: &[CellRecord], bench: &[ActivationTiming]) -> Vec<SplitHalf> {
    let half = |odd: bool| -> Vec<CellRecord> {
        records.iter().filter(|r| (r.cell.seed % 2 == 1) == odd).cloned().collect()
    };
    let (all, odd, even) =
        (evaluate(records, bench), evaluate(&half(true), bench), evaluate(&half(false), bench));
    all.iter()
        .map(|a| {
            let find = |rows: &[GuidelineResult]| {
                rows.iter()
                    .find(|r| r.id == a.id && r.backend == a.backend)
                    .map(|r| (r.verdict, r.seeds))
            };
            let (odd_verdict, odd_n) = find(&odd).unwrap_or((Verdict::Inconclusive, 0));
            let (even_verdict, even_n) = find(&even).unwrap_or((Verdict::Inconclusive, 0));
            SplitHalf {
                id: a.id.clone(),
                name: a.name.clone(),
                backend: a.backend.clone(),
                all_seeds: a.verdict,
                odd_seeds: odd_verdict,
                even_seeds: even_verdict,
                odd_n,
                even_n,
                unstable: a.verdict != Verdict::Inconclusive
                    && (odd_verdict != a.verdict || even_verdict != a.verdict),
            }
        })
        .collect()
}

/// True when any record is tagged with a guideline (so the run prints the verdict table).
pub fn any_tagged(records: &[CellRecord]) -> bool {
    records.iter().any(|r| !r.cell.guidelines.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdict_combinators() {
        use Verdict::*;
        assert_eq!(Verdict::all([Holds, Holds]), Holds);
        assert_eq!(Verdict::all([Holds, Inconclusive]), Inconclusive);
        assert_eq!(Verdict::all([Inconclusive, Fails]), Fails);
        assert_eq!(Verdict::all([]), Inconclusive);
        assert_eq!(Verdict::any([Fails, Holds]), Holds);
        assert_eq!(Verdict::any([Fails, Inconclusive]), Inconclusive);
        assert_eq!(Verdict::any([Fails, Fails]), Fails);
    }

    #[test]
    fn the_catalogue_is_complete_and_in_order() {
        for (i, g) in CATALOGUE.iter().enumerate() {
            assert_eq!(g.id, format!("G{:02}", i + 1));
            assert!(!g.claim.is_empty() && !(g.threshold)().is_empty());
        }
        assert_eq!(find("g05").unwrap().name, "relu-dies");
    }

    /// A/A through a whole rule: relu and sigmoid runs whose accuracies come from the same
    /// distribution (a shared per-seed effect plus independent training noise) must not make
    /// G16 hold in more than 5% of simulated seed sets.
    #[test]
    fn a_versus_a_through_a_rule() {
        let mut noise = super::engine::tests::Noise::new(11);
        let sets = 400;
        let held = (0..sets)
            .filter(|_| {
                let seed_effect: Vec<f64> = (0..8).map(|_| 0.05 * noise.normal()).collect();
                let mut draw = |_: &str| -> Vec<f64> {
                    seed_effect.iter().map(|e| 0.8 + e + 0.02 * noise.normal()).collect()
                };
                let (a, b) = (draw("relu"), draw("sigmoid"));
                let records = [
                    testing::seeds("G16", "g16", "relu", 6, &a),
                    testing::seeds("G16", "g16", "sigmoid", 6, &b),
                ]
                .concat();
                testing::verdict("G16", &records).verdict == Verdict::Holds
            })
            .count();
        assert!(held as f64 / sets as f64 <= 0.05, "G16 held in {held} of {sets} A/A seed sets");
    }

    #[test]
    fn runs_of_other_backends_and_parameters_are_never_pooled() {
        let relu = testing::seeds("G16", "g16", "relu", 6, &[0.85, 0.86, 0.87]);
        let sigmoid = testing::seeds("G16", "g16", "sigmoid", 6, &[0.5, 0.5, 0.5]);
        let mut ndarray = [relu.clone(), sigmoid.clone()].concat();
        ndarray
            .iter_mut()
            .for_each(|r| r.cell.backend = actbench_activations::backend::Backend::Ndarray);
        let rows = evaluate(&[relu, sigmoid, ndarray].concat(), &[]);
        let g16: Vec<&GuidelineResult> = rows.iter().filter(|r| r.id == "G16").collect();
        assert_eq!(g16.len(), 2, "one row per backend");
        assert!(g16.iter().all(|r| r.parts[0].n_pairs == 3), "each seed counted once per backend");
        // leaky-relu with another slope is another activation.
        let mut records = testing::seeds("G06", "dying", "leaky-relu", 5, &[0.9, 0.9, 0.9]);
        let mut other = records.clone();
        other.iter_mut().for_each(|r| r.cell.activation = "leaky-relu:slope=0.1".parse().unwrap());
        records.extend(other);
        let runs = Runs(records.iter().collect());
        assert_eq!(runs.activation("leaky-relu").0.len(), 3);
    }

    #[test]
    fn no_results_give_inconclusive_everywhere() {
        let table = evaluate(&[], &[]);
        assert_eq!(table.len(), 18);
        assert!(table.iter().all(|r| r.verdict == Verdict::Inconclusive), "{table:#?}");
        assert!(table[0].evidence.contains("not run"));
    }
}
