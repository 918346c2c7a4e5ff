//! Scale-out end to end: `scripts/slurm-array.sh` on a real one-node Slurm cluster
//! (`scripts/slurm-local.sh`), and the README's GNU parallel one-liner.
//!
//! The Slurm tests need root and Debian's `slurmctld slurmd slurm-client munge`; the parallel test
//! needs `parallel`. Without them the tests are skipped with a message naming the packages, except
//! under CI (`CI` set), where a missing cluster is a failure. Each Slurm test brings its own
//! cluster up and down, one test at a time.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use common::*;

const SLURM_PACKAGES: &str = "slurmctld slurmd slurm-client munge";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().unwrap()
}

fn found(tool: &str) -> bool {
    let path = std::env::var("PATH").unwrap_or_default() + ":/usr/sbin:/sbin";
    path.split(':').any(|dir| Path::new(dir).join(tool).is_file())
}

/// Whether `tools` are all here; if not: a failure under CI, a skip (with a message) elsewhere.
fn require(tools: &[&str], packages: &str) -> bool {
    let missing: Vec<&str> = tools.iter().copied().filter(|t| !found(t)).collect();
    let not_root = tools.contains(&"slurmd") && !is_root();
    if missing.is_empty() && !not_root {
        return true;
    }
    let why = if missing.is_empty() {
        "a local Slurm cluster needs root".to_string()
    } else {
        format!("{} not found (Debian packages: {packages})", missing.join(", "))
    };
    assert!(std::env::var_os("CI").is_none(), "CI must run the scale-out tests: {why}");
    eprintln!("skipped: {why}");
    false
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|o| text(&o.stdout).trim() == "0")
}

const CONFIG: &str = r#"
name = "scale-out"
seeds = [1, 2, 3, 4, 5, 6]
backends = ["flex"]
[train]
epochs = 30
batch_size = 32
eval_samples = 64
[[experiment]]
name = "circles"
activations = ["relu", "tanh", "swish", "sigmoid"]
dataset = { kind = "two-circles", n = 600 }
model = { kind = "mlp", depth = 3, width = 16 }
"#;

/// The same matrix in one process, for comparison.
fn single_process_run(config: &Path) -> PathBuf {
    let out = temp("scale-out-single");
    let o =
        actbench(&["run", config.to_str().unwrap(), "--out", out.to_str().unwrap(), "--no-plots"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    out
}

/// Same records (apart from times) and tables as one process.
fn assert_same_as(merged: &Path, single: &Path) {
    assert_eq!(records(merged).len(), 24, "every cell once");
    assert_eq!(all_metrics(merged), all_metrics(single));
    assert_eq!(tables_without_times(merged), tables_without_times(single));
}

/// A running one-node cluster, stopped when dropped. One at a time (they share ports).
struct Cluster {
    dir: PathBuf,
    _turn: std::sync::MutexGuard<'static, ()>,
}

static TURN: Mutex<()> = Mutex::new(());

impl Cluster {
    fn start() -> Option<Cluster> {
        let tools = ["sbatch", "squeue", "scontrol", "slurmctld", "slurmd", "munged"];
        if !require(&tools, SLURM_PACKAGES) {
            return None;
        }
        let turn = TURN.lock().unwrap_or_else(|p| p.into_inner());
        let cluster =
            Cluster { dir: std::env::temp_dir().join("actbench-slurm-test"), _turn: turn };
        let o = cluster.script("scripts/slurm-local.sh", &["start"]);
        assert!(o.status.success(), "slurm-local.sh start: {}{}", text(&o.stdout), text(&o.stderr));
        Some(cluster)
    }

    fn conf(&self) -> PathBuf {
        self.dir.join("slurm.conf")
    }

    fn command(&self, program: &str) -> Command {
        let mut c = Command::new(program);
        c.current_dir(root())
            .env("ACTBENCH_SLURM_DIR", &self.dir)
            .env("SLURM_CONF", self.conf())
            .env("ACTBENCH", env!("CARGO_BIN_EXE_actbench"))
            .env("PATH", format!("{}:/usr/sbin:/sbin", std::env::var("PATH").unwrap()));
        c
    }

    fn script(&self, script: &str, args: &[&str]) -> Output {
        self.command("bash").arg(script).args(args).output().unwrap()
    }

    /// Submits through `scripts/slurm-array.sh`; returns (array job, merge job).
    fn submit(
        &self,
        config: &Path,
        shards: &str,
        out: &Path,
        tasks: Option<&str>,
    ) -> (String, String) {
        let mut args = vec![config.to_str().unwrap(), shards, out.to_str().unwrap()];
        args.extend(tasks);
        let o = self.script("scripts/slurm-array.sh", &args);
        assert!(o.status.success(), "slurm-array.sh: {}{}", text(&o.stdout), text(&o.stderr));
        let jobs = std::fs::read_to_string(out.join("logs/jobs.txt")).unwrap();
        let last = jobs.lines().last().unwrap().to_string();
        let field = |key: &str| {
            last.split_whitespace()
                .find_map(|f| f.strip_prefix(key))
                .unwrap_or_else(|| panic!("no {key} in {last}"))
                .to_string()
        };
        (field("array="), field("merge="))
    }

    /// Waits until none of `jobs` is pending or running.
    fn wait(&self, jobs: &[&str]) {
        let start = Instant::now();
        loop {
            let o = self.command("squeue").args(["-h", "-j", &jobs.join(",")]).output().unwrap();
            if text(&o.stdout).trim().is_empty() {
                return;
            }
            assert!(
                start.elapsed() < Duration::from_secs(600),
                "jobs still queued:\n{}",
                text(&o.stdout)
            );
            std::thread::sleep(Duration::from_millis(300));
        }
    }

    /// `scontrol show job` as text.
    fn show(&self, job: &str) -> String {
        text(&self.command("scontrol").args(["show", "job", job]).output().unwrap().stdout)
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = self.script("scripts/slurm-local.sh", &["stop"]);
    }
}

#[test]
fn slurm_array_and_merge_give_the_same_results_as_one_process() {
    let Some(cluster) = Cluster::start() else { return };
    let config = write_config("scale-out", CONFIG);
    let out = temp("slurm-array");
    let (array, merge) = cluster.submit(&config, "3", &out, None);
    cluster.wait(&[&array, &merge]);
    assert!(cluster.show(&merge).contains("JobState=COMPLETED"), "{}", cluster.show(&merge));
    let log = std::fs::read_to_string(out.join("logs/merge.log")).unwrap();
    assert!(log.contains("| relu |"), "the merge job prints the tables:\n{log}");
    for shard in 1..=3 {
        assert!(out.join(format!("logs/shard-{shard}.log")).exists());
        assert!(out.join(format!("shard-{shard}-of-3")).is_dir());
    }
    assert_same_as(&out, &single_process_run(&config));
}

#[test]
fn a_requeued_shard_resumes_and_loses_or_repeats_nothing() {
    let Some(cluster) = Cluster::start() else { return };
    let config = write_config("scale-out", CONFIG);
    let out = temp("slurm-requeue");
    let (array, merge) = cluster.submit(&config, "3", &out, None);
    // Requeue shard 1 once it has written a record and is still running.
    let task = format!("{array}_1");
    let start = Instant::now();
    loop {
        let done = record_files(&out.join("shard-1-of-3")).len();
        let running = cluster.show(&task).contains("JobState=RUNNING");
        if done >= 1 && running {
            break;
        }
        assert!(done < 8, "shard 1 finished before it could be requeued");
        assert!(start.elapsed() < Duration::from_secs(300), "shard 1 never ran");
        std::thread::sleep(Duration::from_millis(20));
    }
    let o = cluster.command("scontrol").args(["requeue", &task]).output().unwrap();
    assert!(o.status.success(), "scontrol requeue: {}", text(&o.stderr));
    cluster.wait(&[&array, &merge]);
    assert!(cluster.show(&task).contains("Restarts=1"), "{}", cluster.show(&task));
    assert!(cluster.show(&merge).contains("JobState=COMPLETED"), "{}", cluster.show(&merge));
    assert!(!out.join("logs/failed-shards.txt").exists(), "a requeue is not a failure");
    assert_same_as(&out, &single_process_run(&config));
}

#[test]
fn a_failed_shard_stops_the_merge_and_says_how_to_resubmit_it() {
    let Some(cluster) = Cluster::start() else { return };
    let config = write_config("scale-out", CONFIG);
    let out = temp("slurm-failure");
    // Shard 2 cannot create its results directory: a file stands in the way.
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("shard-2-of-3"), "in the way").unwrap();
    let (array, merge) = cluster.submit(&config, "3", &out, None);
    cluster.wait(&[&array, &merge]);
    let shown = cluster.show(&merge);
    assert!(
        shown.contains("JobState=CANCELLED") && shown.contains("DependencyNeverSatisfied"),
        "{shown}"
    );
    assert!(!out.join("logs/merge.log").exists(), "the merge job never ran");
    assert!(record_files(&out).is_empty(), "nothing merged");
    let failed = std::fs::read_to_string(out.join("logs/failed-shards.txt")).unwrap();
    let log = std::fs::read_to_string(out.join("logs/shard-2.log")).unwrap();
    assert!(failed.contains("shard 2/3 failed (exit 2)"), "{failed}");
    assert!(
        log.contains("cannot create results directory") && log.contains("shard 2/3 failed"),
        "{log}"
    );
    // The advice works: remove the cause, run the command it gives.
    let resubmit = failed
        .lines()
        .next()
        .unwrap()
        .split("resubmit this shard and the merge with: ")
        .nth(1)
        .unwrap();
    let args: Vec<&str> = resubmit.split_whitespace().collect();
    assert_eq!(args[0], "scripts/slurm-array.sh");
    assert_eq!(args.last(), Some(&"2"));
    std::fs::remove_file(out.join("shard-2-of-3")).unwrap();
    let (config_arg, shards, out_arg, tasks) = (args[1], args[2], Path::new(args[3]), args[4]);
    let (array, merge) = cluster.submit(Path::new(config_arg), shards, out_arg, Some(tasks));
    cluster.wait(&[&array, &merge]);
    assert!(cluster.show(&merge).contains("JobState=COMPLETED"), "{}", cluster.show(&merge));
    assert_same_as(&out, &single_process_run(&config));
}

/// The README's GNU parallel one-liner, as written there (config and results paths replaced).
#[test]
fn the_readme_gnu_parallel_one_liner_gives_the_same_results_as_one_process() {
    if !require(&["parallel"], "parallel") {
        return;
    }
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let lines: Vec<&str> = readme.lines().collect();
    let at =
        lines.iter().position(|l| l.starts_with("parallel actbench run")).expect("the one-liner");
    let one_liner = format!("{}\n{}", lines[at], lines[at + 1]);
    assert!(one_liner.contains("actbench merge"), "{one_liner}");
    let config = write_config("scale-out", CONFIG);
    let one_liner = one_liner
        .replace("configs/default.toml", config.to_str().unwrap())
        .replace("results/default", "results/scale-out");
    let cwd = temp("parallel-cwd");
    std::fs::create_dir_all(&cwd).unwrap();
    let bin = Path::new(env!("CARGO_BIN_EXE_actbench")).parent().unwrap();
    let o = Command::new("bash")
        .args(["-c", &one_liner])
        .current_dir(&cwd)
        .env("PATH", format!("{}:{}", bin.display(), std::env::var("PATH").unwrap()))
        .output()
        .unwrap();
    assert!(o.status.success(), "{one_liner}\n{}{}", text(&o.stdout), text(&o.stderr));
    assert_same_as(&cwd.join("results/scale-out"), &single_process_run(&config));
}
