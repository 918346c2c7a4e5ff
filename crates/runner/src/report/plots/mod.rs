//! Figures drawn from a run's own measurements (`actbench plot DIR`, and the end of
//! `actbench run`): what to draw is computed from stored results (`figures.rs`, into the data
//! types of `chart.rs`); `draw.rs` renders each figure to SVG and PNG.

pub mod chart;
mod draw;
mod figures;

use std::path::{Path, PathBuf};

use crate::error::CliError;
use crate::records::activation_timing::ActivationTiming;
use crate::records::cell::CellRecord;

pub use chart::Figure;

/// Folder of the figures inside a results directory.
pub const DIR: &str = "plots";

/// Every figure of a run, in report order: activation curves, then per experiment (learning
/// curves, gradients by layer, layer statistics, depth, dead units), the published curves beside ours, then the cost comparison.
pub fn figures(records: &[CellRecord], bench: &[ActivationTiming]) -> Vec<Figure> {
    let mut all = figures::curves();
    all.extend(figures::learning_curves(records));
    all.extend(figures::gradients(records));
    all.extend(figures::depth_sweeps(records));
    all.extend(figures::dead_units(records));
    all.extend(figures::reproductions(records));
    // Costs relative to the run's reference activation (the config's `reference`, relu by default).
    let reference = records.first().map(|r| r.cell.reference.as_str()).unwrap_or("relu");
    all.extend(figures::cost(bench, reference));
    all.retain(|f| !f.is_empty());
    all
}

/// Draws `figures` into `dir/plots/` (SVG and PNG each). The folder is built under a temporary
/// name and then swapped in, so an interrupted run never leaves half the figures.
pub fn write(dir: &Path, figures: &[Figure]) -> Result<Vec<PathBuf>, CliError> {
    let tmp = dir.join(format!(".{DIR}.tmp-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(&tmp)
        .map_err(|e| CliError::Runtime(format!("{}: cannot create: {e}", tmp.display())))?;
    for figure in figures {
        draw::write(figure, &tmp)?;
    }
    let target = dir.join(DIR);
    if target.exists() {
        std::fs::remove_dir_all(&target)
            .map_err(|e| CliError::Runtime(format!("{}: cannot replace: {e}", target.display())))?;
    }
    std::fs::rename(&tmp, &target).map_err(|e| {
        CliError::Runtime(format!("{}: cannot rename into place: {e}", target.display()))
    })?;
    Ok(figures
        .iter()
        .flat_map(|f| ["svg", "png"].map(|ext| target.join(format!("{}.{ext}", f.stem))))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::chart::stem;

    #[test]
    fn stems_are_file_name_safe() {
        assert_eq!(stem(&["learning", "G01 circles/mlp5"]), "learning-g01-circles-mlp5");
        assert_eq!(stem(&["--a", "b--"]), "a-b");
    }
}
