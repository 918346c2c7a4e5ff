//! `actbench bench activations` and `actbench bench train`: output contracts and bad input.
//! (Timings are only checked for consistency, never against the clock.)

mod common;

use common::{actbench, text, write_config};
use serde_json::Value;

fn json(args: &[&str]) -> Vec<Value> {
    let out = actbench(args);
    assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
    serde_json::from_slice::<Value>(&out.stdout).expect("JSON").as_array().expect("array").clone()
}

#[test]
fn activations_json_has_copy_references_and_both_modes() {
    let rows = json(&[
        "bench",
        "activations",
        "--activation",
        "relu,mish",
        "--reference",
        "burn-mish",
        "--elements",
        "4096",
        "--repeats",
        "3",
        "--format",
        "json",
    ]);
    let labels: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (r["activation"].as_str().unwrap(), r["mode"].as_str().unwrap()))
        .collect();
    let mut expected = Vec::new();
    for name in ["copy", "burn-mish", "relu", "mish"] {
        expected.push((name, "forward"));
        expected.push((name, "forward+backward"));
    }
    assert_eq!(labels, expected);
    for r in &rows {
        let (median, min, max) = (
            r["median_s"].as_f64().unwrap(),
            r["min_s"].as_f64().unwrap(),
            r["max_s"].as_f64().unwrap(),
        );
        assert!(0.0 < min && min <= median && median <= max, "{r}");
        assert_eq!(r["elements"], 4096);
        assert_eq!(r["backend"], "flex");
        assert_eq!(r["times_s"].as_array().unwrap().len(), 3);
        assert!(
            (r["elements_per_s"].as_f64().unwrap() - 4096.0 / median).abs()
                <= 1e-9 * 4096.0 / median
        );
        let bytes = if r["mode"] == "forward" { 8.0 } else { 20.0 };
        assert!(
            (r["gb_per_s"].as_f64().unwrap() - 4096.0 * bytes / median / 1e9).abs()
                <= 1e-9 * r["gb_per_s"].as_f64().unwrap()
        );
    }
}

#[test]
fn activations_table_shows_relative_columns() {
    let out = actbench(&[
        "bench",
        "activations",
        "--activation",
        "relu,swish",
        "--elements",
        "1024",
        "--repeats",
        "1",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let table = text(&out.stdout);
    for column in [
        "median ms",
        "min..max ms",
        "Melem/s",
        "GB/s",
        "vs relu",
        "vs copy",
        "swish",
        "forward+backward",
    ] {
        assert!(table.contains(column), "{column} missing:\n{table}");
    }
}

#[test]
fn train_json_has_one_record_per_cell_with_consistent_numbers() {
    let rows = json(&[
        "bench",
        "train",
        "--config",
        "../../configs/quick.toml",
        "--steps",
        "3",
        "--warmup",
        "1",
        "--format",
        "json",
    ]);
    // quick.toml: mlp-circles x 5 activations, cnn-images x 2, rnn-adding x 2, one seed each.
    assert_eq!(rows.len(), 9, "{rows:?}");
    for r in &rows {
        let median = r["median_step_s"].as_f64().unwrap();
        assert!(
            r["min_step_s"].as_f64().unwrap() <= median
                && median <= r["max_step_s"].as_f64().unwrap()
        );
        assert_eq!(r["steps"], 3);
        assert_eq!(r["step_times_s"].as_array().unwrap().len(), 3);
        let batch = r["batch_size"].as_f64().unwrap();
        assert!(
            (r["samples_per_s"].as_f64().unwrap() - batch / median).abs() <= 1e-9 * batch / median
        );
        for key in ["experiment", "model", "activation", "reference", "backend", "diverged"] {
            assert!(r.get(key).is_some(), "{key} missing in {r}");
        }
    }
    let experiments: Vec<&str> = rows.iter().map(|r| r["experiment"].as_str().unwrap()).collect();
    assert_eq!(experiments.iter().filter(|e| **e == "cnn-images").count(), 2);
}

/// A small MLP with a one-pass activation (mish) and a plain one (relu), on flex and wgpu.
const TWO_BACKENDS: &str = r#"
name = "fusion"
seeds = [1]
backends = ["flex", "wgpu"]
[train]
batch_size = 16
[[experiment]]
name = "circles"
activations = ["relu", "mish"]
dataset = { kind = "two-circles", n = 64 }
model = { kind = "mlp", depth = 3, width = 16 }
"#;

#[test]
fn train_on_wgpu_counts_launches_with_fusion_on_and_off() {
    let config = write_config("bench-fusion", TWO_BACKENDS);
    let config = config.to_str().unwrap();
    let args = ["bench", "train", "--config", config, "--steps", "3", "--warmup", "2"];
    let rows = json(&[&args[..], &["--format", "json"]].concat());
    let describe = |r: &Value| {
        format!("{} {} {}", r["backend"], r["activation"], r["fusion"]).replace('"', "")
    };
    let labels: Vec<String> = rows.iter().map(describe).collect();
    // Each GPU cell with fusion on, then off (a second process); CPU cells once, without either.
    assert_eq!(
        labels,
        [
            "flex relu null",
            "wgpu relu true",
            "wgpu relu false",
            "flex mish null",
            "wgpu mish true",
            "wgpu mish false"
        ],
        "{rows:#?}"
    );
    for r in &rows {
        let launches = r["launches_per_step"].as_f64();
        if r["backend"] == "flex" {
            assert_eq!(launches, None, "{r}");
        } else {
            assert!(launches.unwrap() >= 1.0, "{r}");
        }
    }
    for pair in [&rows[1..3], &rows[4..6]] {
        let (on, off) = (&pair[0], &pair[1]);
        let (on, off) =
            (on["launches_per_step"].as_f64().unwrap(), off["launches_per_step"].as_f64().unwrap());
        assert!(on < off, "fusion on launches {on} kernels per step, off {off}: {pair:#?}");
    }

    // The table says the same; `--fusion off` alone and `--fusion on` alone give one row each.
    let out = actbench(&[&args[..], &["--backend", "wgpu"]].concat());
    assert!(out.status.success(), "{}", text(&out.stderr));
    let table = text(&out.stdout);
    assert!(table.contains("launches/step") && table.contains("fusion"), "{table}");
    for (choice, flag) in [("off", false), ("on", true)] {
        let rows = json(
            &[&args[..], &["--backend", "wgpu", "--fusion", choice, "--format", "json"]].concat(),
        );
        assert_eq!(rows.len(), 2, "{rows:#?}");
        assert!(rows.iter().all(|r| r["fusion"] == flag), "{rows:#?}");
    }
    std::fs::remove_file(config).unwrap();
}

#[test]
fn train_table_reports_time_relative_to_the_reference() {
    let out = actbench(&[
        "bench",
        "train",
        "--config",
        "../../configs/quick.toml",
        "--steps",
        "1",
        "--warmup",
        "0",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let table = text(&out.stdout);
    assert!(table.contains("samples/s") && table.contains("vs reference"), "{table}");
    assert!(table.lines().any(|l| l.contains("│ relu ") && l.contains("1.00x relu")), "{table}");
}

#[test]
fn bad_bench_input_is_a_clear_error() {
    for (args, expected) in [
        (vec!["bench", "activations", "--elements", "0"], "--elements 0"),
        (vec!["bench", "activations", "--repeats", "0"], "--repeats 0"),
        (vec!["bench", "activations", "--reference", "torch"], "possible values: burn-mish"),
        (vec!["bench", "activations", "--activation", "reul"], "did you mean `relu`"),
        (vec!["bench", "activations", "--backend", "tpu"], "valid backends"),
        (
            vec!["bench", "train", "--config", "../../configs/quick.toml", "--steps", "0"],
            "--steps 0",
        ),
        (vec!["bench", "train", "--config", "no/such.toml"], "no/such.toml"),
        (
            vec!["bench", "train", "--config", "../../configs/quick.toml", "--profile", "nope"],
            "nope",
        ),
    ] {
        let out = actbench(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", text(&out.stderr));
        assert!(text(&out.stderr).contains(expected), "{args:?}: {}", text(&out.stderr));
        assert!(!text(&out.stderr).contains("panicked"), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?} printed a partial result");
    }
}
