//! Nothing lost: interrupts, kill -9 and resume, shards and merge, the Slurm script.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::*;
use serde_json::Value;

/// A matrix of 8 cells that takes a few seconds, so a signal can land in the middle.
fn config(name: &str) -> PathBuf {
    write_config(
        name,
        r#"name = "resilience"
seeds = [1, 2]
[train]
epochs = 10
batch_size = 16
[[experiment]]
name = "spirals"
activations = ["relu", "tanh", "swish", "prelu"]
dataset = { kind = "spirals", n = 1200 }
model = { kind = "mlp", depth = 4, width = 32 }
"#,
    )
}

fn wait_for_records(dir: &Path, at_least: usize, child: &mut std::process::Child) {
    let start = Instant::now();
    while record_files(dir).len() < at_least {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the run ended before it could be interrupted"
        );
        assert!(start.elapsed() < Duration::from_secs(120), "no records appeared");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Runs `config` into `out` with `flags`, sends SIGINT once the first record is stored, and
/// returns the run's stderr after checking it exited with the interrupt's code.
fn interrupted_run(config: &Path, out: &Path, flags: &[&str]) -> String {
    let mut child = actbench_command()
        .args(["run", config.to_str().unwrap(), "--out", out.to_str().unwrap()])
        .args(flags)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_for_records(out, 1, &mut child);
    assert!(
        Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap().success()
    );
    let o = child.wait_with_output().unwrap();
    let stderr = text(&o.stderr);
    assert_eq!(o.status.code(), Some(130), "{stderr}");
    stderr
}

fn reference_run(config: &Path) -> PathBuf {
    let out = temp("reference");
    let o = actbench(&["run", config.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    out
}

#[test]
fn kill_9_then_resume_loses_and_duplicates_nothing() {
    let config = config("kill");
    let reference = reference_run(&config);
    let out = temp("killed");
    let mut child = actbench_command()
        .args(["run", config.to_str().unwrap(), "--out", out.to_str().unwrap(), "--jobs", "2"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    wait_for_records(&out, 2, &mut child);
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let before = record_files(&out).len();
    assert!(before < 8, "killed before the end ({before} of 8 records)");
    let o =
        actbench(&["run", config.to_str().unwrap(), "--out", out.to_str().unwrap(), "--resume"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(
        text(&o.stderr).contains(&format!("{} cells trained, {before} already done", 8 - before)),
        "{}",
        text(&o.stderr)
    );
    assert_eq!(
        all_metrics(&out),
        all_metrics(&reference),
        "same cells, same metrics as an uninterrupted run"
    );
    assert!(
        !std::fs::read_dir(&out).unwrap().any(|e| e
            .unwrap()
            .file_name()
            .to_string_lossy()
            .contains(".tmp-")),
        "no temporary files left"
    );
}

#[test]
fn sigint_stops_cleanly_and_says_how_to_resume() {
    let config = config("sigint");
    let out = temp("sigint");
    let stderr = interrupted_run(&config, &out, &["--jobs", "2"]);
    assert!(stderr.contains("interrupted:") && stderr.contains("--resume"), "{stderr}");
    assert!(stderr.contains("no partial result"), "{stderr}");
    for file in record_files(&out) {
        let r: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap())
            .expect("every stored record is complete");
        assert_eq!(r["epochs"].as_array().unwrap().len(), 11, "{}", file.display());
    }
    let o =
        actbench(&["run", config.to_str().unwrap(), "--out", out.to_str().unwrap(), "--resume"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert_eq!(record_files(&out).len(), 8);
}

/// The resume command printed after an interrupt keeps every flag that shapes the run: run as
/// printed, it finishes the same run (`--seeds 1,2` of a config that names seeds 1, 2 and 3).
#[test]
fn the_printed_resume_command_finishes_the_same_run() {
    let config = write_config(
        "resume-seeds",
        &std::fs::read_to_string(config("resume-seeds-base"))
            .unwrap()
            .replace("seeds = [1, 2]", "seeds = [1, 2, 3]"),
    );
    let out = temp("resume-seeds");
    let stderr = interrupted_run(&config, &out, &["--seeds", "1,2", "--jobs", "2", "--no-plots"]);
    let printed = stderr
        .lines()
        .skip_while(|l| !l.ends_with("Resume with:"))
        .nth(1)
        .unwrap_or_else(|| panic!("no resume command in\n{stderr}"))
        .trim()
        .to_string();
    assert!(printed.contains("--seeds 1,2") && printed.contains("--jobs 2"), "{printed}");
    let words: Vec<&str> = printed.split_whitespace().collect();
    assert_eq!(words[0], "actbench", "{printed}");
    let resumed = actbench(&words[1..]);
    assert!(resumed.status.success(), "{printed}\n{}", text(&resumed.stderr));
    // The run is complete: 4 activations x seeds 1 and 2, and no seed 3.
    let records = records(&out);
    assert_eq!(records.len(), 8, "{printed}");
    assert!(records.iter().all(|r| [1, 2].contains(&r["cell"]["seed"].as_u64().unwrap())));
    std::fs::remove_dir_all(&out).unwrap();
}

#[test]
fn shards_plus_merge_give_the_same_tables_as_one_run() {
    let config = config("shards");
    let reference = reference_run(&config);
    let root = temp("shards");
    let mut dirs = Vec::new();
    let mut sizes = Vec::new();
    for i in 1..=3 {
        let dir = root.join(format!("shard-{i}-of-3"));
        let o = actbench(&[
            "run",
            config.to_str().unwrap(),
            "--shard",
            &format!("{i}/3"),
            "--out",
            dir.to_str().unwrap(),
            "--jobs",
            "2",
        ]);
        assert!(o.status.success(), "{}", text(&o.stderr));
        sizes.push(record_files(&dir).len());
        dirs.push(dir);
    }
    assert_eq!(sizes, [3, 3, 2], "balanced shards");
    let merged = root.join("merged");
    let mut args = vec!["merge".to_string()];
    args.extend(dirs.iter().map(|d| d.display().to_string()));
    args.extend(["--out".to_string(), merged.display().to_string()]);
    let o = actbench_command().args(&args).output().unwrap();
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert_eq!(all_metrics(&merged), all_metrics(&reference));
    assert_eq!(
        tables_without_times(&merged),
        tables_without_times(&reference),
        "same tables apart from the time column"
    );

    // Refusals: a shard twice (duplicate cells), and shards of another config.
    let twice = actbench(&[
        "merge",
        dirs[0].to_str().unwrap(),
        dirs[0].to_str().unwrap(),
        "--out",
        root.join("twice").to_str().unwrap(),
    ]);
    assert_eq!(twice.status.code(), Some(2));
    assert!(text(&twice.stderr).contains("is in both"), "{}", text(&twice.stderr));
    let other_config = temp("other-config").join("other.toml");
    std::fs::create_dir_all(other_config.parent().unwrap()).unwrap();
    std::fs::write(
        &other_config,
        std::fs::read_to_string(&config).unwrap().replace("epochs = 10", "epochs = 1"),
    )
    .unwrap();
    let other = root.join("other");
    assert!(
        actbench(&[
            "run",
            other_config.to_str().unwrap(),
            "--shard",
            "2/3",
            "--out",
            other.to_str().unwrap()
        ])
        .status
        .success()
    );
    let mixed = actbench(&[
        "merge",
        dirs[0].to_str().unwrap(),
        other.to_str().unwrap(),
        "--out",
        root.join("mixed").to_str().unwrap(),
    ]);
    assert_eq!(mixed.status.code(), Some(2));
    assert!(text(&mixed.stderr).contains("mixed configs"), "{}", text(&mixed.stderr));
    let bad_shard = actbench(&["run", config.to_str().unwrap(), "--shard", "4/3"]);
    assert_eq!(bad_shard.status.code(), Some(2));
    assert!(
        text(&bad_shard.stderr).contains("expected I/N with 1 <= I <= N"),
        "{}",
        text(&bad_shard.stderr)
    );
}

#[test]
fn slurm_script_submits_one_task_per_shard_and_a_merge_job() {
    let bin = temp("fake-slurm");
    std::fs::create_dir_all(&bin).unwrap();
    let log = bin.join("sbatch.log");
    let sbatch = bin.join("sbatch");
    std::fs::write(&sbatch, format!("#!/bin/sh\necho \"$@\" >> {}\necho 4242\n", log.display()))
        .unwrap();
    Command::new("chmod").args(["+x", sbatch.to_str().unwrap()]).status().unwrap();
    let out = temp("slurm-out");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let o = Command::new("bash")
        .arg("scripts/slurm-array.sh")
        .args(["configs/quick.toml", "4", out.to_str().unwrap()])
        .current_dir(&root)
        .env("PATH", format!("{}:{}", bin.display(), std::env::var("PATH").unwrap()))
        .env("ACTBENCH", env!("CARGO_BIN_EXE_actbench"))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}{}", text(&o.stdout), text(&o.stderr));
    let submitted = std::fs::read_to_string(&log).unwrap();
    let lines: Vec<&str> = submitted.lines().collect();
    assert_eq!(lines.len(), 2, "{submitted}");
    assert!(
        lines[0].contains("--array=1-4")
            && lines[0].contains("--shard ${SLURM_ARRAY_TASK_ID}/4")
            && lines[0].contains("--resume"),
        "{}",
        lines[0]
    );
    assert!(
        lines[1].contains("--dependency=afterok:4242")
            && lines[1].contains("merge")
            && lines[1].contains("shard-*-of-4"),
        "{}",
        lines[1]
    );
    let usage =
        Command::new("bash").arg("scripts/slurm-array.sh").current_dir(&root).output().unwrap();
    assert_eq!(usage.status.code(), Some(2));
}
