//! `actbench run CONFIG`: plan, train every cell not yet done, store each record atomically,
//! print the tables.

use std::collections::{BTreeMap, BTreeSet};
use std::io::IsTerminal;
use std::path::Path;

use indicatif::{ProgressBar, ProgressStyle};

use crate::cli::RunArgs;
use actbench::config;
use actbench::error::CliError;
use actbench::guidelines;
use actbench::plan::{Cell, Plan};
use actbench::records::cell as record;
use actbench::records::run_file::{RunFile, command_line};
use actbench::report::format::Format;
use actbench::report::output::{print, table};
use actbench::report::render::render;
use actbench::report::tables::tables;
use actbench::run::device::start_device;
use actbench::run::interrupt;
use actbench::run::pool::{cores, in_pool};
use actbench::run::schedule;
use actbench::speed;

pub fn run(args: RunArgs) -> Result<(), CliError> {
    let (config, text, plan) = super::load::plan(
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
    let done = schedule::prepare(&out, &plan, args.resume)?;
    let mut devices = BTreeMap::new();
    for backend in plan.cells.iter().map(|c| c.backend).collect::<BTreeSet<_>>() {
        devices.insert(backend, start_device(backend)?);
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
    let jobs = schedule::jobs(args.jobs, todo.len())?;
    let progress = progress_bar(todo.len());
    let abandoned = schedule::train_all(&todo, jobs, &devices, &out, &progress)?;
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
    if let Some(bench) = plan.timing.as_ref().filter(|_| args.shard.is_none_or(|s| s.index == 1))
        && !out.join(actbench::records::activation_timing::FILE).exists()
    {
        // On one pool thread (`in_pool`), as the cells trained.
        let results = in_pool(cores(), || {
            let mut results = Vec::new();
            for &backend in &bench.backends {
                let device = match devices.get(&backend) {
                    Some(d) => d.clone(),
                    None => start_device(backend)?,
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
        actbench::records::atomic::write_atomically(
            &out.join(actbench::records::activation_timing::FILE),
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
        let bench = actbench::records::activation_timing::read(&out)?;
        print(&format!(
            "\n== guideline verdicts ==\n{}",
            actbench::report::verdicts::render(
                &guidelines::evaluate(&records, &bench),
                Format::Table
            )
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

/// The command that resumes this run: the same config, results directory and every flag that
/// shapes the run (profile, IDX directory, backends, seeds, shard, jobs, no plots).
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
    if let Some(seeds) = &args.seeds {
        command += &format!(" --seeds {seeds}");
    }
    if let Some(shard) = args.shard {
        command += &format!(" --shard {shard}");
    }
    if let Some(jobs) = args.jobs {
        command += &format!(" --jobs {jobs}");
    }
    if args.no_plots {
        command += " --no-plots";
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
