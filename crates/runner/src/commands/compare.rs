//! `actbench compare DIR A B`: the paired comparison of two activations on stored results
//! (never trains).

use std::path::Path;

use crate::cli::CompareArgs;
use actbench::compare::compare;
use actbench::error::CliError;
use actbench::guidelines::runs::Runs;
use actbench::records::cell as record;
use actbench::report::comparison::render;
use actbench::report::output::print;

pub fn run(args: CompareArgs) -> Result<(), CliError> {
    let dir: &Path = &args.dir;
    let mut records = record::read_dir(dir)?;
    if records.is_empty() {
        return Err(CliError::Usage(format!(
            "{}: no result records (*.json) here; run `actbench run CONFIG --out {}` first",
            dir.display(),
            dir.display()
        )));
    }
    let all = Runs(records.iter().collect());
    if let Some(experiment) = &args.experiment {
        let names = all.experiments();
        if !names.contains(experiment) {
            return Err(CliError::Usage(format!(
                "--experiment {experiment}: not in {}; its experiments: {}",
                dir.display(),
                names.join(", ")
            )));
        }
    }
    let labels = all.labels();
    for label in [&args.a, &args.b] {
        if !labels.contains(label) {
            return Err(CliError::Usage(format!(
                "activation `{label}` has no runs in {}; its activations: {}",
                dir.display(),
                labels.join(", ")
            )));
        }
    }
    if args.a == args.b {
        return Err(CliError::Usage(format!(
            "A and B are both `{}`: name two activations",
            args.a
        )));
    }
    if let Some(experiment) = &args.experiment {
        records.retain(|r| &r.cell.experiment == experiment);
    }
    let comparison = compare(&records, &args.a, &args.b, args.metric);
    if comparison.settings.is_empty() {
        return Err(CliError::Usage(format!(
            "`{}` and `{}` never ran in the same setting (experiment, depth, output, backend) in {}",
            args.a,
            args.b,
            dir.display()
        )));
    }
    print(&render(&comparison, args.format))
}
