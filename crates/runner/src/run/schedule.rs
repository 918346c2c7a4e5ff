//! Training a plan's cells: `--jobs` workers take cells in plan order, each in its own thread
//! pool with its share of the cores, and store each record as soon as it is finished; a results
//! directory is checked before a run starts or resumes.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use actbench_activations::backend::Backend;
use actbench_activations::burn::prelude::Device;
use actbench_data::Dataset;
use indicatif::ProgressBar;

use super::interrupt;
use super::pool::{cores, in_pool};
use super::train::train;
use crate::error::CliError;
use crate::plan::{Cell, Plan, load_dataset};
use crate::records::cell as record;

/// Creates `out`, or checks what it holds: without `--resume` it must hold no results; with it,
/// every record there must belong to this plan, unchanged. Returns the ids already done.
pub fn prepare(out: &Path, plan: &Plan, resume: bool) -> Result<BTreeSet<String>, CliError> {
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
pub fn jobs(asked: Option<usize>, cells: usize) -> Result<usize, CliError> {
    let jobs = match asked {
        Some(n) if !(1..=256).contains(&n) => {
            return Err(CliError::Usage(format!("--jobs {n}: must be between 1 and 256")));
        }
        Some(n) => n,
        None => cores(),
    };
    Ok(jobs.min(cells.max(1)))
}

/// Trains `todo` with `jobs` workers that take cells in plan order and store each record as soon
/// as it is finished. Returns the cells an interrupt abandoned. Each job trains in its own pool
/// with its share of the cores (`in_pool`; one job gets them all), so that jobs do not fight over
/// the same threads.
pub fn train_all(
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
    let threads = (cores() / jobs).max(1);
    let job = || {
        if let Err(e) = in_pool(threads, worker) {
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
