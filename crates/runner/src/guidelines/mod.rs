//! The guideline verdicts: every rule of the catalogue (`shared/guidelines.md`, G01 to G17) as a
//! pure function of stored results. Each guideline lives in its own file with the claim, the
//! thresholds it prints, the rule and tests on constructed result sets; `thresholds.rs` holds
//! every number; `compare.rs` the statistics of "A beats B".

use serde::Serialize;

use crate::bench::activations::BenchRecord;
use crate::run::record::CellRecord;

pub mod compare;
mod runs;
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
#[cfg(test)]
mod testing;

pub use runs::{Runs, dead_fraction, final_metric};

/// What the measurements say about a claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// The claim holds on these runs.
    Holds,
    /// The measurements contradict the claim.
    Fails,
    /// Not enough evidence either way (noise, too few seeds, or no experiment for it).
    Inconclusive,
}

impl Verdict {
    /// As printed.
    pub fn name(self) -> &'static str {
        match self {
            Verdict::Holds => "holds",
            Verdict::Fails => "fails",
            Verdict::Inconclusive => "inconclusive",
        }
    }

    /// `holds` if `condition`, else `fails`.
    pub fn from(condition: bool) -> Verdict {
        if condition { Verdict::Holds } else { Verdict::Fails }
    }

    /// Every part must hold: fails if any part fails, holds if all hold (and there is at least
    /// one), else inconclusive.
    pub fn all(parts: impl IntoIterator<Item = Verdict>) -> Verdict {
        let parts: Vec<Verdict> = parts.into_iter().collect();
        if parts.contains(&Verdict::Fails) {
            Verdict::Fails
        } else if !parts.is_empty() && parts.iter().all(|v| *v == Verdict::Holds) {
            Verdict::Holds
        } else {
            Verdict::Inconclusive
        }
    }

    /// One part suffices: holds if any part holds, fails if all fail, else inconclusive.
    pub fn any(parts: impl IntoIterator<Item = Verdict>) -> Verdict {
        let parts: Vec<Verdict> = parts.into_iter().collect();
        if parts.contains(&Verdict::Holds) {
            Verdict::Holds
        } else if !parts.is_empty() && parts.iter().all(|v| *v == Verdict::Fails) {
            Verdict::Fails
        } else {
            Verdict::Inconclusive
        }
    }
}

/// What a rule found: the verdict and the numbers behind it.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// The verdict.
    pub verdict: Verdict,
    /// Evidence, one clause per check, numbers included.
    pub evidence: Vec<String>,
}

impl Finding {
    /// Inconclusive because the results hold nothing to judge by.
    pub fn missing(what: impl Into<String>) -> Finding {
        Finding { verdict: Verdict::Inconclusive, evidence: vec![what.into()] }
    }
}

/// The stored results a rule may read.
pub struct Evidence<'a> {
    /// The cells tagged with the guideline's id.
    pub runs: Runs<'a>,
    /// The run's activation micro-benchmark (empty if it had none).
    pub bench: &'a [BenchRecord],
}

/// One guideline of the catalogue.
pub struct Guideline {
    /// `G01`...
    pub id: &'static str,
    /// Kebab-case name (`sigmoid-vanishes`).
    pub name: &'static str,
    /// The claim as practitioners state it.
    pub claim: &'static str,
    /// The thresholds the rule uses, as printed beside the verdict.
    pub threshold: fn() -> String,
    /// Whether the rule reads training runs (tagged experiments); G12 reads only the
    /// micro-benchmark.
    pub needs_runs: bool,
    /// The rule.
    pub check: fn(&Evidence) -> Finding,
}

/// The catalogue, in order.
pub const CATALOGUE: [Guideline; 17] = [
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
    /// The numbers behind the verdict.
    pub evidence: String,
    /// The thresholds used.
    pub threshold: String,
    /// `holds`, `fails` or `inconclusive`.
    pub verdict: Verdict,
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

/// Every guideline's verdict on `records` (and the micro-benchmark `bench`). Pure: the same
/// results always give the same table.
pub fn evaluate(records: &[CellRecord], bench: &[BenchRecord]) -> Vec<GuidelineResult> {
    CATALOGUE
        .iter()
        .map(|g| {
            let runs = Runs::tagged(records, g.id);
            let finding = if g.needs_runs && runs.is_empty() {
                Finding::missing(format!("not run: no experiment in these results is tagged {} (see configs/guidelines.toml)", g.id))
            } else {
                (g.check)(&Evidence { runs: runs.clone(), bench })
            };
            GuidelineResult {
                id: g.id.into(),
                name: g.name.into(),
                claim: g.claim.into(),
                evidence: finding.evidence.join("; "),
                threshold: (g.threshold)(),
                verdict: finding.verdict,
                data: runs.data(),
                data_matters: runs.0.iter().any(|r| r.cell.dataset.kind == actbench_data::DatasetKind::Idx || r.cell.dataset_fallback.is_some()),
                experiments: runs.experiments(),
                seeds: runs.min_seeds(),
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

    #[test]
    fn no_results_give_inconclusive_everywhere() {
        let table = evaluate(&[], &[]);
        assert_eq!(table.len(), 17);
        assert!(table.iter().all(|r| r.verdict == Verdict::Inconclusive), "{table:#?}");
        assert!(table[0].evidence.contains("not run"));
    }
}
