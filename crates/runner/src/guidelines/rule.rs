//! What a rule is: the [`Guideline`] each rule file declares and the [`Evidence`] it reads.

use super::judgement::Judgement;
use super::runs::Runs;
use crate::records::activation_timing::ActivationTiming;

/// The stored results a rule may read.
pub struct Evidence<'a> {
    /// The cells tagged with the guideline's id.
    pub runs: Runs<'a>,
    /// The run's activation micro-benchmark (empty if it had none).
    pub timings: &'a [ActivationTiming],
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
    pub check: fn(&Evidence) -> Judgement,
}
