//! `actbench bench activations` (the activation micro-benchmark, `bench/activations.rs`) and
//! `actbench bench train` (training throughput per cell, `bench/training.rs`).

use std::collections::BTreeMap;

use clap::ValueEnum;

use actbench_activations::ActivationConfig;
use actbench_activations::backend::Backend;
use actbench_activations::config::split_list;
use actbench_activations::gpu::fusion;

use crate::cli::{BenchActivationsArgs, BenchTrainArgs, FusionChoice};
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
    let mut cells = speed::training::cells(&plan.cells);
    if args.gpu_only {
        cells.retain(|c| c.backend.is_gpu());
    }
    let gpu = cells.iter().any(|c| c.backend.is_gpu());
    // burn reads its fusion setting once per process: fusion off where it is on here means
    // another process of ours, started with fusion off.
    let unfused_elsewhere = gpu && fusion::enabled();
    match args.fusion {
        FusionChoice::On if gpu && !fusion::compiled() => {
            return Err(CliError::Usage(
                "--fusion on: this build has no kernel fusion (rebuild with the `fusion` feature)"
                    .into(),
            ));
        }
        FusionChoice::On if gpu && !fusion::enabled() => {
            return Err(CliError::Usage(format!(
                "--fusion on: {}=0 in the environment (or a burn.toml) turns fusion off in this process",
                fusion::DISABLE_VARIABLE
            )));
        }
        FusionChoice::Off if unfused_elsewhere => {
            let output = unfused(&args, args.format)?;
            return print(&output);
        }
        _ => {}
    }
    let mut devices = BTreeMap::new();
    for cell in &cells {
        if let std::collections::btree_map::Entry::Vacant(e) = devices.entry(cell.backend) {
            e.insert(start_device(cell.backend)?);
        }
    }
    eprintln!(
        "timing {} cells: {} steps each after {} warm-up{}",
        cells.len(),
        args.steps,
        args.warmup,
        if gpu { if fusion::enabled() { ", fusion on" } else { ", fusion off" } } else { "" }
    );
    // All timing on one pool thread (`in_pool`), as `run --jobs 1` trains.
    let mut records = in_pool(cores(), || {
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
    if args.fusion == FusionChoice::Both && unfused_elsewhere {
        let output = unfused(&BenchTrainArgs { gpu_only: true, ..args.clone() }, Format::Json)?;
        let unfused: Vec<TrainingThroughput> = serde_json::from_str(&output).map_err(|e| {
            CliError::Runtime(format!("bench train: the fusion-off process wrote no records: {e}"))
        })?;
        records = side_by_side(records, unfused);
    }
    print(&match args.format {
        Format::Json => serde_json::to_string_pretty(&records).expect("records serialise") + "\n",
        Format::Csv => train_csv(&records),
        text => render_train_table(&records, text),
    })
}

/// Runs `args` again in a process of ours with burn's fusion off, and returns what it printed in
/// `format` (its progress and errors reach our stderr).
fn unfused(args: &BenchTrainArgs, format: Format) -> Result<String, CliError> {
    let exe = std::env::current_exe()
        .map_err(|e| CliError::Runtime(format!("bench train: cannot find our own binary: {e}")))?;
    let mut command = std::process::Command::new(exe);
    command.env(fusion::DISABLE_VARIABLE, "0").args(["bench", "train", "--config"]);
    command.arg(&args.config);
    if let Some(backends) = &args.backend {
        command.arg("--backend").arg(backends.join(","));
    }
    if let Some(profile) = &args.profile {
        command.args(["--profile", profile]);
    }
    if let Some(dir) = &args.idx_dir {
        command.arg("--idx-dir").arg(dir);
    }
    command.args(["--steps", &args.steps.to_string(), "--warmup", &args.warmup.to_string()]);
    let format = format.to_possible_value().expect("every format has a name");
    command.args(["--fusion", "off", "--format", format.get_name()]);
    if args.gpu_only {
        command.arg("--gpu-only");
    }
    let output = command.stderr(std::process::Stdio::inherit()).output().map_err(|e| {
        CliError::Runtime(format!("bench train: cannot start the fusion-off process: {e}"))
    })?;
    if !output.status.success() {
        return Err(CliError::Runtime(format!(
            "bench train: the fusion-off process failed ({}); its message is above",
            output.status
        )));
    }
    String::from_utf8(output.stdout).map_err(|e| {
        CliError::Runtime(format!("bench train: the fusion-off process wrote non-UTF-8: {e}"))
    })
}

/// Each cell's fusion-off record right after its fusion-on one.
fn side_by_side(
    fused: Vec<TrainingThroughput>,
    mut unfused: Vec<TrainingThroughput>,
) -> Vec<TrainingThroughput> {
    let mut out = Vec::with_capacity(fused.len() + unfused.len());
    for record in fused {
        let same = |o: &TrainingThroughput| {
            o.experiment == record.experiment
                && o.model == record.model
                && o.activation == record.activation
                && o.backend == record.backend
        };
        let partner = unfused.iter().position(same).map(|i| unfused.remove(i));
        out.push(record);
        out.extend(partner);
    }
    out.extend(unfused);
    out
}

/// Training throughput as an aligned table, with each cell's step time relative to its
/// experiment's reference activation (same model and backend).
pub fn render_train_table(records: &[TrainingThroughput], format: Format) -> String {
    let header = [
        "experiment",
        "model",
        "activation",
        "backend",
        "fusion",
        "batch",
        "samples/s",
        "ms/step",
        "min..max ms",
        "launches/step",
        "vs reference",
    ];
    let rows: Vec<Vec<String>> = records
        .iter()
        .map(|r| {
            let reference = records.iter().find(|o| {
                o.experiment == r.experiment
                    && o.model == r.model
                    && o.backend == r.backend
                    && o.fusion == r.fusion
                    && o.activation == r.reference
            });
            vec![
                r.experiment.clone(),
                r.model.clone(),
                r.activation.clone() + if r.diverged { " (diverged)" } else { "" },
                r.backend.to_string(),
                on_off(r.fusion),
                r.batch_size.to_string(),
                num(r.samples_per_s),
                num(1e3 * r.median_step_s),
                format!("{}..{}", num(1e3 * r.min_step_s), num(1e3 * r.max_step_s)),
                r.launches_per_step.map(num).unwrap_or_else(|| "-".into()),
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

/// "on", "off", or "-" where fusion does not apply (CPU backends).
fn on_off(fusion: Option<bool>) -> String {
    match fusion {
        Some(true) => "on".into(),
        Some(false) => "off".into(),
        None => "-".into(),
    }
}

fn train_csv(records: &[TrainingThroughput]) -> String {
    let mut out = String::from(
        "experiment,model,activation,backend,fusion,batch_size,steps,median_step_s,min_step_s,max_step_s,samples_per_s,launches_per_step,diverged\n",
    );
    for r in records {
        out += &format!(
            "{},{},{},{},{},{},{},{},{},{},{},{},{}\n",
            actbench::report::format::csv_field(&r.experiment),
            actbench::report::format::csv_field(&r.model),
            actbench::report::format::csv_field(&r.activation),
            r.backend,
            r.fusion.map(|f| if f { "on" } else { "off" }).unwrap_or(""),
            r.batch_size,
            r.steps,
            r.median_step_s,
            r.min_step_s,
            r.max_step_s,
            r.samples_per_s,
            r.launches_per_step.map(|l| l.to_string()).unwrap_or_default(),
            r.diverged
        );
    }
    out
}
