//! `scripts/gpu-check.sh`: its dry run (every step at toy sizes on the machine's Vulkan driver,
//! Mesa's CPU driver in CI) writes the documented JSON, and without an NVIDIA GPU a real run stops
//! with exit code 2 and says why.

mod common;

use std::process::Command;

use common::{temp, text};
use serde_json::Value;

fn script() -> Command {
    let mut c = Command::new("bash");
    c.current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."));
    c.arg("scripts/gpu-check.sh").args(["--actbench", env!("CARGO_BIN_EXE_actbench")]);
    c
}

#[test]
fn the_dry_run_writes_every_section() {
    let out = temp("gpu-check").with_extension("json");
    let run = script().args(["--dry-run", "--out", out.to_str().unwrap()]).output().unwrap();
    assert!(run.status.success(), "{}", text(&run.stderr));
    let report: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(report["dry_run"], true);
    assert!(report["device"].as_str().unwrap().starts_with("dry run"));
    let curves = report["curves"]["wgpu"].as_object().unwrap();
    assert!(curves.len() >= 19, "every registered activation: {curves:?}");
    for (name, diff) in curves {
        for key in ["max_abs_diff_y", "max_abs_diff_dy"] {
            let d = diff[key].as_f64().unwrap();
            assert!(d < 1e-4, "{name} {key} = {d} between wgpu and flex");
        }
    }
    let run = &report["quick_run"]["wgpu"];
    assert_eq!(run["cells"], 2, "{run}");
    assert!(run["max_abs_diff_final_test_metric"].as_f64().unwrap() < 0.1, "{run}");
    let timings = report["activations"]["wgpu"].as_array().unwrap();
    assert!(timings.iter().any(|t| t["activation"] == "mish" && t["mode"] == "forward+backward"));
    let steps = report["train"]["wgpu"].as_array().unwrap();
    assert_eq!(steps.len(), 4, "2 cells, fusion on and off: {steps:#?}");
    assert!(steps.iter().all(|s| s["samples_per_s"].as_f64().unwrap() > 0.0));
    let fusion = report["fusion"]["wgpu"].as_array().unwrap();
    assert_eq!(fusion.len(), 2, "{fusion:#?}");
    for cell in fusion {
        let ratio = cell["launches_on_over_off"].as_f64().unwrap();
        assert!(ratio > 0.0 && ratio < 1.0, "fusion launches fewer kernels: {cell}");
    }
    assert!(report["pytorch"]["note"].as_str().unwrap().starts_with("not run"));
    std::fs::remove_file(&out).unwrap();
}

#[test]
fn a_real_run_needs_an_nvidia_gpu() {
    let has_gpu = Command::new("nvidia-smi").arg("-L").output().is_ok_and(|o| o.status.success());
    if has_gpu {
        eprintln!("skipped: this machine has an NVIDIA GPU");
        return;
    }
    let out = temp("gpu-check-real").with_extension("json");
    let run = script().args(["--out", out.to_str().unwrap()]).output().unwrap();
    assert_eq!(run.status.code(), Some(2), "{}", text(&run.stderr));
    assert!(text(&run.stderr).contains("no NVIDIA GPU here"), "{}", text(&run.stderr));
    assert!(!out.exists(), "nothing written");
}
