//! The rules' tests: constructed result sets (`records::testing`) and the verdict of one rule
//! on them.

use crate::records::activation_timing::ActivationTiming;
use crate::records::cell::CellRecord;
pub use crate::records::testing::{edit, run, seeds};

/// The verdict of guideline `id` on `records`.
pub fn verdict(id: &str, records: &[CellRecord]) -> super::GuidelineResult {
    verdict_with_bench(id, records, &[])
}

/// The verdict of guideline `id` on `records` and micro-benchmark `bench`.
pub fn verdict_with_bench(
    id: &str,
    records: &[CellRecord],
    bench: &[ActivationTiming],
) -> super::GuidelineResult {
    super::evaluate(records, bench).into_iter().find(|r| r.id == id).unwrap()
}
