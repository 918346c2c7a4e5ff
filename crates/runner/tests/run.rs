//! `actbench run` and `actbench report` end to end: results on disk, resume, report, determinism,
//! divergence, backends, and refused configs.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use serde_json::Value;

const QUICK: &str = "../../configs/quick.toml";

#[test]
fn quick_config_runs_resumes_and_reports() {
    let out = temp("quick");
    let o = out.to_str().unwrap();
    let first = actbench(&["run", QUICK, "--out", o]);
    assert!(first.status.success(), "{}", text(&first.stderr));
    let table = text(&first.stdout);
    for experiment in ["mlp-circles", "cnn-images", "rnn-adding"] {
        assert!(table.contains(&format!("== {experiment} ==")), "{table}");
    }
    let stored = records(&out);
    assert_eq!(stored.len(), 18, "5x2 + 2x2 + 2x2 cells");
    for r in &stored {
        assert_eq!(r["schema_version"], 1);
        assert_eq!(r["status"], "finished");
        assert_eq!(r["environment"]["burn_version"], "0.22.1");
        assert!(r["epochs"].as_array().unwrap().len() >= 3, "epoch 0 plus training epochs");
        assert!(
            r["epochs"][1]["layers"]
                .as_array()
                .unwrap()
                .iter()
                .any(|l| l["dead_fraction"].is_number())
        );
    }
    assert!(out.join("run.json").is_file());
    assert!(
        !std::fs::read_dir(&out).unwrap().any(|e| e
            .unwrap()
            .file_name()
            .to_string_lossy()
            .contains(".tmp")),
        "no temporary files left"
    );

    let again = actbench(&["run", QUICK, "--out", o, "--resume"]);
    assert!(again.status.success(), "{}", text(&again.stderr));
    assert!(
        text(&again.stderr).contains("0 cells trained, 18 already done"),
        "{}",
        text(&again.stderr)
    );
    assert_eq!(records(&out), stored, "resume rewrote nothing");

    let report = actbench(&["report", o]);
    assert!(report.status.success());
    assert_eq!(text(&report.stdout), table, "report re-renders exactly the run's tables");
    let markdown = text(&actbench(&["report", o, "--format", "markdown"]).stdout);
    assert!(markdown.contains("### mlp-circles") && markdown.contains("| relu |"), "{markdown}");
    let json: Value =
        serde_json::from_slice(&actbench(&["report", o, "--format", "json"]).stdout).unwrap();
    assert_eq!(json.as_array().unwrap().len(), 3);
    assert_eq!(json[0]["rows"][0]["activation"], "relu", "rows in config order");
    let csv = text(&actbench(&["report", o, "--format", "csv"]).stdout);
    assert_eq!(csv.lines().count(), 1 + 5 + 2 + 2);

    let refused = actbench(&["run", QUICK, "--out", o]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(text(&refused.stderr).contains("pass --resume"), "{}", text(&refused.stderr));
}

#[test]
fn same_config_seed_and_backend_give_the_same_metrics() {
    let config = write_config(
        "determinism",
        r#"name = "det"
seeds = [5]
[[experiment]]
name = "e"
activations = ["prelu", "swish:1:true"]
dataset = { kind = "spirals", n = 200 }
model = { kind = "mlp", depth = 2, width = 8, batch_norm = true }
train = { epochs = 3, batch_size = 16 }
"#,
    );
    let (a, b) = (temp("det-a"), temp("det-b"));
    for out in [&a, &b] {
        let o = actbench(&["run", config.to_str().unwrap(), "--out", out.to_str().unwrap()]);
        assert!(o.status.success(), "{}", text(&o.stderr));
    }
    let (ra, rb) = (records(&a), records(&b));
    assert_eq!(ra.len(), 2);
    for (x, y) in ra.iter().zip(&rb) {
        assert_eq!(metrics(x), metrics(y));
    }
    assert!(
        ra[0]["epochs"][3]["learned"]["hidden0.alpha"].as_f64().unwrap() != 0.25,
        "PReLU's slope moved"
    );
}

#[test]
fn exploding_cells_are_marked_diverged_and_the_matrix_goes_on() {
    let config = write_config(
        "diverge",
        r#"name = "diverge"
seeds = [1]
[[experiment]]
name = "explode"
activations = ["relu", "tanh"]
dataset = { kind = "regression", n = 200 }
model = { kind = "mlp", depth = 3, width = 32 }
train = { epochs = 5, optimizer = "sgd", learning_rate = 50.0 }
"#,
    );
    let out = temp("diverge");
    let o = actbench(&["run", config.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let stored = records(&out);
    assert_eq!(stored.len(), 2, "both cells recorded");
    let relu = stored.iter().find(|r| r["cell"]["activation"]["name"] == "relu").unwrap();
    assert_eq!(relu["status"], "diverged", "{relu}");
    assert!(relu["divergence"]["epoch"].as_u64().unwrap() >= 1);
    assert!(text(&o.stdout).contains("diverged"), "{}", text(&o.stdout));
}

#[test]
fn other_backends_run_the_same_matrix() {
    let config = write_config(
        "backends",
        r#"name = "backends"
seeds = [1]
[[experiment]]
name = "tiny"
activations = ["relu", "mish"]
dataset = { kind = "xor", n = 200 }
model = { kind = "mlp", depth = 2, width = 8 }
train = { epochs = 2 }
[[experiment]]
name = "tiny-cnn"
activations = ["elu"]
dataset = { kind = "images", n = 100 }
model = { kind = "cnn", channels = [2], dense = 8 }
train = { epochs = 1 }
[[experiment]]
name = "tiny-gru"
activations = ["tanh"]
dataset = { kind = "adding", n = 100, steps = 4 }
model = { kind = "rnn", cell = "gru", hidden = 4 }
train = { epochs = 1 }
"#,
    );
    let out = temp("backends");
    let o = actbench(&[
        "run",
        config.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--backend",
        "flex,ndarray,wgpu",
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let stored = records(&out);
    assert_eq!(stored.len(), 4 * 3);
    for backend in ["flex", "ndarray", "wgpu"] {
        assert_eq!(
            stored
                .iter()
                .filter(|r| r["cell"]["backend"] == backend && r["status"] == "finished")
                .count(),
            4,
            "{backend}"
        );
    }
}

#[test]
fn dry_run_prints_the_plan_and_trains_nothing() {
    let out = temp("dry");
    let o = actbench(&["run", QUICK, "--dry-run", "--out", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(text(&o.stdout).contains("18 cells planned for run `quick`"), "{}", text(&o.stdout));
    assert!(text(&o.stdout).contains("mlp-circles/relu/d3/sigmoid/s1/flex"));
    assert!(!out.exists());
}

/// Every file in `tests/bad-configs/` starts with `# expect: <text>`: running it must exit with
/// code 2, print that text and the file's name, not panic, and write nothing.
#[test]
fn bad_config_corpus_is_refused_with_the_file_key_and_what_is_valid() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad-configs");
    let mut files: Vec<PathBuf> =
        std::fs::read_dir(&corpus).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    assert!(files.len() >= 25, "the corpus has {} files", files.len());
    for path in files {
        let body = std::fs::read_to_string(&path).unwrap();
        let expected = body
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("# expect: "))
            .unwrap_or_else(|| panic!("{}: no `# expect:` line", path.display()));
        let out = temp(&format!("bad-{}", path.file_stem().unwrap().to_string_lossy()));
        let o = actbench(&["run", path.to_str().unwrap(), "--out", out.to_str().unwrap()]);
        let stderr = text(&o.stderr);
        let name = path.file_name().unwrap().to_str().unwrap();
        assert_eq!(o.status.code(), Some(2), "{name}: {stderr}");
        assert!(stderr.contains(expected), "{name}: expected {expected:?} in: {stderr}");
        assert!(stderr.contains(name), "{name}: the message names the file: {stderr}");
        assert!(!stderr.contains("panicked"), "{name}: {stderr}");
        assert!(!out.exists(), "{name}: nothing written");
    }
    let o = actbench(&["run", "/nonexistent/config.toml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("/nonexistent/config.toml: cannot read config"));
}

#[test]
fn damaged_data_files_are_refused_before_training() {
    let data = temp("damaged-data");
    std::fs::create_dir_all(&data).unwrap();
    for name in [
        "train-images-idx3-ubyte",
        "train-labels-idx1-ubyte",
        "t10k-images-idx3-ubyte",
        "t10k-labels-idx1-ubyte",
    ] {
        std::fs::write(data.join(name), [0u8, 0, 8, 3, 0, 0, 0, 9, 0, 0]).unwrap();
    }
    let config = write_config(
        "damaged",
        &format!(
            "name = \"damaged\"\n[[experiment]]\nname = \"e\"\nactivations = [\"relu\"]\ndataset = {{ kind = \"idx\", dir = \"{}\" }}\nmodel = {{ kind = \"cnn\" }}\n",
            data.display()
        ),
    );
    let out = temp("damaged-out");
    let o = actbench(&["run", config.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    let stderr = text(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("train-images-idx3-ubyte") && stderr.contains("truncated header"),
        "{stderr}"
    );
    assert!(!out.exists());
}

#[test]
fn reports_refuse_records_of_another_schema() {
    let out = temp("schema");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("x.json"), r#"{"schema_version": 99, "cell": {}}"#).unwrap();
    let o = actbench(&["report", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr).contains("schema version 99, this actbench reads version 1"),
        "{}",
        text(&o.stderr)
    );
    std::fs::write(out.join("x.json"), "{ not json").unwrap();
    let o = actbench(&["report", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("x.json: not a result record"), "{}", text(&o.stderr));
    let empty = temp("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let o = actbench(&["report", empty.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
}

/// A cell whose loss was non-finite before epoch 0 could be measured is stored with no epochs;
/// every reader reports it instead of panicking.
#[test]
fn a_cell_that_diverged_at_initialisation_is_reported_not_a_panic() {
    let out = temp("diverged-at-init");
    let merged = temp("diverged-at-init-merged");
    let run = actbench(&["run", QUICK, "--out", out.to_str().unwrap(), "--no-plots"]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    let file = record_files(&out)[0].clone();
    let mut record: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    record["status"] = "diverged".into();
    record["divergence"] = serde_json::json!({"epoch": 0, "step": 0, "last_finite_loss": null});
    record["epochs"] = serde_json::json!([]);
    std::fs::write(&file, serde_json::to_string(&record).unwrap()).unwrap();
    let dir = out.to_str().unwrap();
    for args in [
        vec!["report", dir],
        vec!["report", dir, "--format", "json"],
        vec!["guidelines", dir],
        vec!["plot", dir],
        vec!["merge", dir, "--out", merged.to_str().unwrap()],
    ] {
        let o = actbench(&args);
        let err = text(&o.stderr);
        assert!(o.status.success() && !err.contains("panicked"), "{args:?}: {err}");
    }
    let report = text(&actbench(&["report", dir]).stdout);
    assert!(report.contains("diverged"), "{report}");
    std::fs::remove_dir_all(&out).unwrap();
    std::fs::remove_dir_all(&merged).unwrap();
}

/// Cells trained side by side give exactly the records one at a time gives; the tables say when
/// their time columns came from a parallel run; a bad job count is refused.
#[test]
fn jobs_1_and_2_give_the_same_records_and_the_tables_say_which() {
    let (one, two) = (temp("jobs-1"), temp("jobs-2"));
    for (dir, jobs) in [(&one, "1"), (&two, "2")] {
        let o =
            actbench(&["run", QUICK, "--out", dir.to_str().unwrap(), "--jobs", jobs, "--no-plots"]);
        assert!(o.status.success(), "--jobs {jobs}: {}", text(&o.stderr));
    }
    assert_eq!(all_metrics(&one), all_metrics(&two), "same cells, same metrics");
    assert!(records(&two).iter().all(|r| r["jobs"] == 2));
    let note = "cells trained side by side (--jobs 2)";
    assert!(text(&actbench(&["report", two.to_str().unwrap()]).stdout).contains(note));
    assert!(!text(&actbench(&["report", one.to_str().unwrap()]).stdout).contains("side by side"));
    let o = actbench(&["run", QUICK, "--out", temp("jobs-0").to_str().unwrap(), "--jobs", "0"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("--jobs 0: must be between 1 and 256"), "{}", text(&o.stderr));
    std::fs::remove_dir_all(&one).unwrap();
    std::fs::remove_dir_all(&two).unwrap();
}

/// Every config the project ships validates into a plan (its formulas checked too).
#[test]
fn every_shipped_config_validates() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../configs");
    let mut configs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    configs.sort();
    assert!(configs.len() >= 5, "{configs:?}");
    for config in configs {
        let o = actbench(&["run", config.to_str().unwrap(), "--dry-run"]);
        assert!(o.status.success(), "{}: {}", config.display(), text(&o.stderr));
        assert!(text(&o.stdout).contains("cells planned"), "{}", config.display());
    }
}
