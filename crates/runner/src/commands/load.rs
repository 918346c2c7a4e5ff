//! What `run` and `bench train` share: a config loaded and validated into a plan.

use std::path::{Path, PathBuf};

use actbench::config::{self, Config};
use actbench::error::CliError;
use actbench::plan::{Plan, PlanOptions};
use actbench_activations::backend::Backend;

/// Loads the config at `path` and validates it into a plan, with the command line's backends,
/// profile and IDX directory; prints the plan's notes. Returns the config, its text and the plan.
pub fn plan(
    path: &Path,
    backends: Option<&[String]>,
    profile: Option<String>,
    idx_dir: Option<PathBuf>,
    seeds: Option<actbench::plan::SeedList>,
) -> Result<(Config, String, Plan), CliError> {
    let (config, text) = config::load(path)?;
    let backends = match backends {
        Some(list) => {
            Some(list.iter().map(|b| b.parse::<Backend>()).collect::<Result<Vec<_>, _>>()?)
        }
        None => None,
    };
    let plan = Plan::build(
        &config,
        &path.display().to_string(),
        &PlanOptions { backends, profile, idx_dir, seeds },
        &actbench::known_ids(),
    )?;
    for note in &plan.notes {
        eprintln!("note: {note}");
    }
    Ok((config, text, plan))
}
