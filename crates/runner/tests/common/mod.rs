//! Helpers shared by the runner's integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

/// The `actbench` binary, run from the runner crate's directory.
pub fn actbench_command() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_actbench"));
    c.current_dir(env!("CARGO_MANIFEST_DIR"));
    c
}

/// Runs `actbench args` to completion.
pub fn actbench(args: &[&str]) -> Output {
    actbench_command().args(args).output().expect("run actbench")
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A fresh (removed) path under the temporary directory, unique to this call (tests of one
/// binary run in parallel threads of one process, so the process id alone is not enough).
pub fn temp(name: &str) -> PathBuf {
    static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let call = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir =
        std::env::temp_dir().join(format!("actbench-test-{name}-{}-{call}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// Writes a config file `<name>.toml` into a fresh directory.
pub fn write_config(name: &str, body: &str) -> PathBuf {
    let dir = temp(&format!("config-{name}"));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}.toml"));
    std::fs::write(&path, body).unwrap();
    path
}

/// Result record files of `dir` (as the library tells them apart), sorted.
pub fn record_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| {
            d.map(|e| e.unwrap().path())
                .filter(|p| {
                    actbench::records::cell::is_record_file(
                        &p.file_name().unwrap().to_string_lossy(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

/// The parsed records of `dir`, in file order.
pub fn records(dir: &Path) -> Vec<Value> {
    record_files(dir)
        .iter()
        .map(|p| {
            let text = if p.extension().is_some_and(|e| e == "gz") {
                let mut text = String::new();
                let file = std::fs::File::open(p).unwrap();
                std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(file), &mut text)
                    .unwrap();
                text
            } else {
                std::fs::read_to_string(p).unwrap()
            };
            serde_json::from_str(&text).unwrap()
        })
        .collect()
}

/// The metrics of a record, without anything that depends on the clock or the machine.
pub fn metrics(record: &Value) -> Value {
    let epochs: Vec<Value> = record["epochs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            serde_json::json!([
                e["epoch"],
                e["train_loss"],
                e["test_loss"],
                e["train_metric"],
                e["test_metric"],
                e["layers"],
                e["learned"]
            ])
        })
        .collect();
    serde_json::json!([record["cell"], record["status"], epochs])
}

/// [`metrics`] of every record in `dir`.
pub fn all_metrics(dir: &Path) -> Vec<Value> {
    records(dir).iter().map(metrics).collect()
}

/// Stems of the figures in `dir/plots/`, each checked to exist as a well-formed SVG and a PNG
/// with a valid signature, non-zero size and a complete image stream.
pub fn figure_stems(dir: &Path) -> Vec<String> {
    let plots = dir.join("plots");
    let mut stems: Vec<String> = std::fs::read_dir(&plots)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "svg"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    stems.sort();
    for stem in &stems {
        let svg = std::fs::read_to_string(plots.join(format!("{stem}.svg"))).unwrap();
        assert!(
            svg.contains("<svg") && svg.trim_end().ends_with("</svg>"),
            "{stem}.svg is not a complete SVG"
        );
        assert!(
            svg.contains("<text")
                && (svg.contains("<polyline") || svg.contains("<path") || svg.contains("<rect")),
            "{stem}.svg draws nothing"
        );
        let png = std::fs::read(plots.join(format!("{stem}.png"))).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "{stem}.png signature");
        let (width, height) = (
            u32::from_be_bytes(png[16..20].try_into().unwrap()),
            u32::from_be_bytes(png[20..24].try_into().unwrap()),
        );
        assert!(width >= 400 && height >= 300, "{stem}.png is {width}x{height}");
        assert!(
            png.ends_with(&[0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82]),
            "{stem}.png has no IEND chunk"
        );
    }
    stems
}

/// `actbench report DIR` without the time column (times differ between runs; nothing else may).
pub fn tables_without_times(dir: &Path) -> String {
    let o = actbench(&["report", dir.to_str().unwrap()]);
    assert!(o.status.success(), "report {}: {}", dir.display(), text(&o.stderr));
    text(&o.stdout)
        .lines()
        .filter(|l| !l.starts_with("times:"))
        .map(|l| {
            l.split('│')
                .enumerate()
                .filter(|(i, _)| *i != 5)
                .map(|(_, c)| c)
                .collect::<Vec<_>>()
                .join("│")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Asserts that the reference run in `reference` holds exactly the cells `config` plans now,
/// each recorded with the same settings (cells whose Fashion-MNIST is not installed here plan
/// their fallback data, so those are counted, not compared).
pub fn assert_reference_has_planned_cells(config: &str, reference: &str) {
    let plan = actbench(&["run", config, "--dry-run", "--format", "json"]);
    assert!(plan.status.success(), "{}", text(&plan.stderr));
    let cells: Vec<Value> = serde_json::from_slice(&plan.stdout).unwrap();
    let records = records(Path::new(reference));
    assert_eq!(records.len(), cells.len(), "{reference} has every cell {config} plans");
    let mut skipped = 0;
    for cell in &cells {
        let record = records
            .iter()
            .find(|r| r["cell"]["id"] == cell["id"])
            .unwrap_or_else(|| panic!("{} not in {reference}", cell["id"]));
        if cell.get("dataset_fallback").is_some()
            && record["cell"].get("dataset_fallback").is_none()
        {
            skipped += 1;
            continue;
        }
        assert_eq!(&record["cell"], cell, "cell {} differs from {config}", cell["id"]);
    }
    if skipped > 0 {
        eprintln!(
            "note: {skipped} Fashion-MNIST cells of {reference} not compared (Fashion-MNIST is not installed here)"
        );
    }
}
