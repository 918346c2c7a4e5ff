//! `actbench bench activations` (the activation micro-benchmark, `bench/activations.rs`) and
//! `actbench bench train` (training throughput per cell, `bench/training.rs`).

use std::collections::BTreeMap;

use actbench_activations::ActivationConfig;
use actbench_activations::backend::Backend;
use actbench_activations::config::split_list;

use crate::cli::{BenchActivationsArgs, BenchTrainArgs};
use actbench::error::CliError;
use actbench::num::num;
use actbench::plan::load_dataset;
use actbench::records::activation_timing::ActivationTiming;
use actbench::report::format::{Format, grid};
use actbench::report::output::print;
use actbench::run::device::start_device;
use actbench::run::pool::{cores, in_pool};
use actbench::speed::{self, training::TrainingThroughput};

pub fn activations(args: BenchActivationsArgs) -> Result<(), CliError> {
    let backends =
        args.backend.iter().map(|b| b.parse::<Backend>()).collect::<Result<Vec<_>, _>>()?;
    let specs: Vec<String> = args.activation.iter().flat_map(|a| split_list(a)).collect();
    let activations: Vec<ActivationConfig> = if specs.len() == 1 && specs[0] == "all" {
        actbench_activations::registry::names()
            .into_iter()
            .map(|n| ActivationConfig::new(n).expect("registered"))
            .collect()
    } else {
        specs
            .iter()
            .map(|a| {
                a.parse::<ActivationConfig>()
                    .map_err(|e| CliError::Usage(format!("--activation {a}: {e}")))
            })
            .collect::<Result<_, _>>()?
    };
    if !(1..=1 << 28).contains(&args.elements) {
        return Err(CliError::Usage(format!(
            "--elements {}: must be between 1 and 2^28 (268435456)",
            args.elements
        )));
    }
    if !(1..=10_000).contains(&args.repeats) {
        return Err(CliError::Usage(format!(
            "--repeats {}: must be between 1 and 10000",
            args.repeats
        )));
    }
    // All timing on one pool thread (`in_pool`), as `run` trains.
    let records = in_pool(cores(), || {
        let mut records = Vec::new();
        for backend in backends {
            let device = start_device(backend)?;
            eprintln!(
                "timing {} activations on {backend}: {} elements, {} repeats after {} warm-up",
                activations.len(),
                args.elements,
                args.repeats,
                speed::activations::WARMUP
            );
            records.extend(speed::activations::run(
                &activations,
                &args.reference,
                backend,
                &device,
                args.elements,
                args.repeats,
            ));
        }
        Ok::<_, CliError>(records)
    })??;
    print(&match args.format {
        Format::Json => serde_json::to_string_pretty(&records).expect("records serialise") + "\n",
        Format::Csv => csv(&records),
        text => render_table(&records, text),
    })
}

/// The micro-benchmark as an aligned table: median and spread, throughput, and time relative to
/// relu (when measured) and to the copy.
pub fn render_table(records: &[ActivationTiming], format: Format) -> String {
    let reference = |r: &ActivationTiming, name: &str| {
        records
            .iter()
            .find(|o| o.activation == name && o.mode == r.mode && o.backend == r.backend)
            .map(|o| r.median_s / o.median_s)
    };
    let header = [
        "backend",
        "activation",
        "implementation",
        "mode",
        "median ms",
        "min..max ms",
        "Melem/s",
        "GB/s",
        "vs relu",
        "vs copy",
    ];
    let rows: Vec<Vec<String>> = records
        .iter()
        .map(|r| {
            vec![
                r.backend.to_string(),
                r.activation.clone(),
                r.implementation.name().into(),
                r.mode.name().into(),
                num(1e3 * r.median_s),
                format!("{}..{}", num(1e3 * r.min_s), num(1e3 * r.max_s)),
                num(r.elements_per_s / 1e6),
                num(r.gb_per_s),
                reference(r, "relu").map(|x| format!("{}x", num(x))).unwrap_or_else(|| "-".into()),
                reference(r, actbench::records::activation_timing::COPY)
                    .map(|x| format!("{}x", num(x)))
                    .unwrap_or_else(|| "-".into()),
            ]
        })
        .collect();
    grid(format, &header, &rows)
}

fn csv(records: &[ActivationTiming]) -> String {
    let mut out = String::from(
        "backend,activation,mode,elements,median_s,min_s,max_s,elements_per_s,gb_per_s\n",
    );
    for r in records {
        out += &format!(
            "{},{},{},{},{},{},{},{},{}\n",
            r.backend,
            actbench::report::format::csv_field(&r.activation),
            r.mode.name(),
            r.elements,
            r.median_s,
            r.min_s,
            r.max_s,
            r.elements_per_s,
            r.gb_per_s
        );
    }
    out
}

pub fn train(args: BenchTrainArgs) -> Result<(), CliError> {
    if !(1..=100_000).contains(&args.steps) {
        return Err(CliError::Usage(format!(
            "--steps {}: must be between 1 and 100000",
            args.steps
        )));
    }
    if args.warmup > 100_000 {
        return Err(CliError::Usage(format!("--warmup {}: must be at most 100000", args.warmup)));
    }
    let (_, _, plan) = super::load::plan(
        &args.config,
        args.backend.as_deref(),
        args.profile.clone(),
        args.idx_dir.clone(),
        None,
    )?;
    let cells = speed::training::cells(&plan.cells);
    let mut devices = BTreeMap::new();
    for cell in &cells {
        if let std::collections::btree_map::Entry::Vacant(e) = devices.entry(cell.backend) {
            e.insert(start_device(cell.backend)?);
        }
    }
    eprintln!(
        "timing {} cells: {} steps each after {} warm-up",
        cells.len(),
        args.steps,
        args.warmup
    );
    // All timing on one pool thread (`in_pool`), as `run --jobs 1` trains.
    let records = in_pool(cores(), || {
        let mut datasets = BTreeMap::new();
        let mut records = Vec::new();
        for cell in cells {
            let key = (cell.experiment_index, cell.seed);
            if !datasets.contains_key(&key) {
                datasets.clear();
                datasets.insert(key, load_dataset(cell)?);
            }
            records.push(speed::training::run(
                cell,
                &datasets[&key],
                &devices[&cell.backend],
                args.warmup,
                args.steps,
            ));
        }
        Ok::<_, CliError>(records)
    })??;
    print(&match args.format {
        Format::Json => serde_json::to_string_pretty(&records).expect("records serialise") + "\n",
        Format::Csv => train_csv(&records),
        text => render_train_table(&records, text),
    })
}

/// Training throughput as an aligned table, with each cell's step time relative to its
/// experiment's reference activation (same model and backend).
pub fn render_train_table(records: &[TrainingThroughput], format: Format) -> String {
    let header = [
        "experiment",
        "model",
        "activation",
        "backend",
        "batch",
        "samples/s",
        "ms/step",
        "min..max ms",
        "vs reference",
    ];
    let rows: Vec<Vec<String>> = records
        .iter()
        .map(|r| {
            let reference = records.iter().find(|o| {
                o.experiment == r.experiment
                    && o.model == r.model
                    && o.backend == r.backend
                    && o.activation == r.reference
            });
            vec![
                r.experiment.clone(),
                r.model.clone(),
                r.activation.clone() + if r.diverged { " (diverged)" } else { "" },
                r.backend.to_string(),
                r.batch_size.to_string(),
                num(r.samples_per_s),
                num(1e3 * r.median_step_s),
                format!("{}..{}", num(1e3 * r.min_step_s), num(1e3 * r.max_step_s)),
                reference
                    .map(|o| {
                        format!("{}x {}", num(r.median_step_s / o.median_step_s), o.activation)
                    })
                    .unwrap_or_else(|| "-".into()),
            ]
        })
        .collect();
    grid(format, &header, &rows)
}

fn train_csv(records: &[TrainingThroughput]) -> String {
    let mut out = String::from(
        "experiment,model,activation,backend,batch_size,steps,median_step_s,min_step_s,max_step_s,samples_per_s,diverged\n",
    );
    for r in records {
        out += &format!(
            "{},{},{},{},{},{},{},{},{},{},{}\n",
            actbench::report::format::csv_field(&r.experiment),
            actbench::report::format::csv_field(&r.model),
            actbench::report::format::csv_field(&r.activation),
            r.backend,
            r.batch_size,
            r.steps,
            r.median_step_s,
            r.min_step_s,
            r.max_step_s,
            r.samples_per_s,
            r.diverged
        );
    }
    out
}
