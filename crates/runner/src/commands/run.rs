//! `actbench run CONFIG`: plan, train every cell not yet done, store each record atomically,
//! print the tables.

use std::collections::{BTreeMap, BTreeSet};
use std::io::IsTerminal;
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use actbench_activations::backend::Backend;
use actbench_activations::burn::prelude::Device;
use actbench_data::Dataset;
use indicatif::{ProgressBar, ProgressStyle};

use actbench::speed;
use crate::cli::RunArgs;
use actbench::error::CliError;
use actbench::guidelines;
use actbench::report::format::Format;
use actbench::report::output::{print, table};
use actbench::report::render::render;
use actbench::report::tables::tables;
use actbench::config;
use actbench::run::interrupt;
use actbench::plan::{Cell, Plan, load_dataset};
use actbench::records::cell as record;
use actbench::records::run_file::{RunFile, command_line};
use actbench::run::train::train;

pub fn run(args: RunArgs) -> Result<(), CliError> {
    let (config, text, plan) = super::plan(
        &args.config,
        args.backend.as_deref(),
        args.profile.clone(),
        args.idx_dir.clone(),
        args.seeds.clone(),
    )?;
    let total_cells = plan.cells.len();
    let plan = match args.shard {
        Some(shard) => plan.shard(shard),
        None => plan,
    };
    if args.dry_run {
        return match args.format {
            Format::Json => {
                print(&(serde_json::to_string_pretty(&plan.cells).expect("cells serialise") + "\n"))
            }
            _ => print(&dry_run(&plan)),
        };
    }
    let out = args.out.clone().unwrap_or_else(|| match args.shard {
        Some(shard) => config::default_out(&config, args.profile.as_deref())
            .join(format!("shard-{}-of-{}", shard.index, shard.count)),
        None => config::default_out(&config, args.profile.as_deref()),
    });
    let done = prepare(&out, &plan, args.resume)?;
    let mut devices = BTreeMap::new();
    for backend in plan.cells.iter().map(|c| c.backend).collect::<BTreeSet<_>>() {
        devices.insert(backend, super::start_device(backend)?);
    }
    RunFile {
        name: plan.name.clone(),
        description: plan.description.clone(),
        config_file: args.config.display().to_string(),
        config: text,
        shard: args.shard.map(|s| s.to_string()),
        cells: plan.cells.len(),
        total_cells,
        merged_from: Vec::new(),
        command: command_line(),
    }
    .write(&out)?;
    interrupt::install();

    let todo: Vec<&Cell> = plan.cells.iter().filter(|c| !done.contains(&c.id)).collect();
    let jobs = jobs(args.jobs, todo.len())?;
    let progress = progress_bar(todo.len());
    let abandoned = train_all(&todo, jobs, &devices, &out, &progress)?;
    if !abandoned.is_empty() {
        progress.finish_and_clear();
        let finished = done.len() + progress.position() as usize;
        return Err(CliError::Interrupted(format!(
            "interrupted: {finished} of {} cells are done and stored in {}; the unfinished {} {} abandoned (no partial result). Resume with:\n  {}",
            plan.cells.len(),
            out.display(),
            if abandoned.len() == 1 { "cell" } else { "cells" },
            abandoned.join(", ") + if abandoned.len() == 1 { " was" } else { " were" },
            resume_command(&args, &out)
        )));
    }
    progress.finish_and_clear();
    // The micro-benchmark runs once per run (on the first shard), after training.
    if let Some(bench) = plan.bench.as_ref().filter(|_| args.shard.is_none_or(|s| s.index == 1))
        && !out.join(speed::activations::FILE).exists()
    {
        // On one pool thread (`in_pool`), as the cells trained.
        let results = super::in_pool(super::cores(), || {
            let mut results = Vec::new();
            for &backend in &bench.backends {
                let device = match devices.get(&backend) {
                    Some(d) => d.clone(),
                    None => super::start_device(backend)?,
                };
                for &elements in &bench.sizes {
                    eprintln!(
                        "activation micro-benchmark on {backend}: {} activations, {elements} elements, {} repeats",
                        bench.activations.len(),
                        bench.repeats
                    );
                    results.extend(speed::activations::run(
                        &bench.activations,
                        &[],
                        backend,
                        &device,
                        elements,
                        bench.repeats,
                    ));
                }
                if interrupt::requested() {
                    return Err(CliError::Interrupted(format!(
                        "interrupted during the micro-benchmark; every cell is stored in {}. Resume with:\n  {}",
                        out.display(),
                        resume_command(&args, &out)
                    )));
                }
            }
            Ok(results)
        })??;
        record::write_atomically(
            &out.join(speed::activations::FILE),
            &(serde_json::to_string_pretty(&results).expect("bench results serialise") + "\n"),
        )?;
    }
    eprintln!(
        "{} cells trained, {} already done; results in {} (re-render with `actbench report {}`)",
        todo.len(),
        done.len(),
        out.display(),
        out.display()
    );
    let records = record::read_dir(&out)?;
    print(&render(&tables(&records), args.format))?;
    if !args.no_plots {
        let n = super::plot::write_all(&out)?;
        eprintln!(
            "{n} figures in {}; report: {}",
            out.join(actbench::report::plots::DIR).display(),
            out.join("report.html").display()
        );
    }
    if guidelines::any_tagged(&records) {
        let bench = speed::activations::read(&out)?;
        print(&format!(
            "\n== guideline verdicts ==\n{}",
            actbench::report::verdicts::render(&guidelines::evaluate(&records, &bench), Format::Table)
        ))?;
    }
    let reproduced = actbench::reproduce::reproductions(&records);
    if !reproduced.is_empty() {
        print(&format!(
            "\n== published results beside ours (`actbench reproduce {}`) ==\n{}",
            out.display(),
            actbench::report::reproductions::render(&reproduced, Format::Table)
        ))?;
    }
    Ok(())
}

/// Creates `out`, or checks what it holds: without `--resume` it must hold no results; with it,
/// every record there must belong to this plan, unchanged. Returns the ids already done.
fn prepare(out: &Path, plan: &Plan, resume: bool) -> Result<BTreeSet<String>, CliError> {
    std::fs::create_dir_all(out).map_err(|e| {
        CliError::Usage(format!("{}: cannot create results directory: {e}", out.display()))
    })?;
    record::remove_stale_temporaries(out);
    let existing = record::read_dir(out)?;
    if existing.is_empty() {
        return Ok(BTreeSet::new());
    }
    if !resume {
        return Err(CliError::Usage(format!(
            "{} already holds {} result records; pass --resume to finish that run, or --out another directory",
            out.display(),
            existing.len()
        )));
    }
    let cells: BTreeMap<&str, _> = plan.cells.iter().map(|c| (c.id.as_str(), c)).collect();
    let mut done = BTreeSet::new();
    for r in existing {
        match cells.get(r.cell.id.as_str()) {
            Some(cell) if **cell == r.cell => {
                done.insert(r.cell.id.clone());
            }
            Some(_) => {
                return Err(CliError::Usage(format!(
                    "{}: cell {} was run with different settings than the config now asks for; use another --out for the new settings",
                    out.join(r.cell.file_name()).display(),
                    r.cell.id
                )));
            }
            None => {
                return Err(CliError::Usage(format!(
                    "{}: cell {} is not part of this config; --resume continues the same config, use another --out",
                    out.join(r.cell.file_name()).display(),
                    r.cell.id
                )));
            }
        }
    }
    Ok(done)
}

/// `--jobs`, checked: at least 1, at most 256, and no more than there are cells to train.
fn jobs(asked: Option<usize>, cells: usize) -> Result<usize, CliError> {
    let jobs = match asked {
        Some(n) if !(1..=256).contains(&n) => {
            return Err(CliError::Usage(format!("--jobs {n}: must be between 1 and 256")));
        }
        Some(n) => n,
        None => super::cores(),
    };
    Ok(jobs.min(cells.max(1)))
}

/// Trains `todo` with `jobs` workers that take cells in plan order and store each record as soon
/// as it is finished. Returns the cells an interrupt abandoned. Each job trains in its own pool
/// with its share of the cores (`in_pool`; one job gets them all), so that jobs do not fight over
/// the same threads.
fn train_all(
    todo: &[&Cell],
    jobs: usize,
    devices: &BTreeMap<Backend, Device>,
    out: &Path,
    progress: &ProgressBar,
) -> Result<Vec<String>, CliError> {
    let next = AtomicUsize::new(0);
    let failing = AtomicBool::new(false);
    let error: Mutex<Option<CliError>> = Mutex::new(None);
    let abandoned: Mutex<Vec<String>> = Mutex::new(Vec::new());
    let stop = || interrupt::requested() || failing.load(Ordering::SeqCst);
    let fail = |e: CliError| {
        failing.store(true, Ordering::SeqCst);
        error.lock().expect("not poisoned").get_or_insert(e);
    };
    let worker = || {
        let mut datasets: BTreeMap<(usize, u64), Dataset> = BTreeMap::new();
        while !stop() {
            let Some(cell) = todo.get(next.fetch_add(1, Ordering::SeqCst)) else { break };
            progress.set_message(cell.id.clone());
            datasets.retain(|(experiment, _), _| *experiment == cell.experiment_index);
            let key = (cell.experiment_index, cell.seed);
            if let std::collections::btree_map::Entry::Vacant(slot) = datasets.entry(key) {
                match load_dataset(cell) {
                    Ok(d) => {
                        slot.insert(d);
                    }
                    Err(e) => return fail(e),
                }
            }
            let Some(mut record) = train(cell, &datasets[&key], &devices[&cell.backend], &stop)
            else {
                abandoned.lock().expect("not poisoned").push(cell.id.clone());
                return;
            };
            record.jobs = jobs;
            if let Err(e) = record::write(out, &record) {
                return fail(e);
            }
            progress.inc(1);
        }
    };
    let threads = (super::cores() / jobs).max(1);
    let job = || {
        if let Err(e) = super::in_pool(threads, worker) {
            fail(e)
        }
    };
    if jobs == 1 {
        job();
    } else {
        std::thread::scope(|scope| {
            for _ in 0..jobs {
                scope.spawn(job);
            }
        });
    }
    if let Some(e) = error.into_inner().expect("not poisoned") {
        return Err(e);
    }
    let mut abandoned = abandoned.into_inner().expect("not poisoned");
    abandoned.sort();
    Ok(abandoned)
}

/// The command that resumes this run.
fn resume_command(args: &RunArgs, out: &Path) -> String {
    let mut command =
        format!("actbench run {} --out {} --resume", args.config.display(), out.display());
    if let Some(profile) = &args.profile {
        command += &format!(" --profile {profile}");
    }
    if let Some(dir) = &args.idx_dir {
        command += &format!(" --idx-dir {}", dir.display());
    }
    if let Some(backends) = &args.backend {
        command += &format!(" --backend {}", backends.join(","));
    }
    if let Some(shard) = args.shard {
        command += &format!(" --shard {shard}");
    }
    if let Some(jobs) = args.jobs {
        command += &format!(" --jobs {jobs}");
    }
    command
}

fn progress_bar(len: usize) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len as u64);
    bar.set_style(
        ProgressStyle::with_template(
            "{bar:30} {pos}/{len} cells, {elapsed} elapsed, ETA {eta}  {msg}",
        )
        .expect("template"),
    );
    bar
}

fn dry_run(plan: &Plan) -> String {
    let header = ["#", "cell", "model", "dataset", "epochs", "batch", "optimizer", "lr"];
    let rows: Vec<Vec<String>> = plan
        .cells
        .iter()
        .enumerate()
        .map(|(i, c)| {
            vec![
                (i + 1).to_string(),
                c.id.clone(),
                c.model.label(),
                c.dataset.kind.name().to_string(),
                c.train.epochs.to_string(),
                c.train.batch_size.to_string(),
                format!("{:?}", c.train.optimizer).to_lowercase(),
                c.train.learning_rate.to_string(),
            ]
        })
        .collect();
    format!("{}{} cells planned for run `{}`\n", table(&header, &rows), plan.cells.len(), plan.name)
}
