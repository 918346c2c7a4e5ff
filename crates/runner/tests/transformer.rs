//! The transformer config end to end on the built-in text, and corpus files that cannot be used.

mod common;

use std::path::Path;

use actbench::records::cell::read_dir;
use actbench::report::format::Format;
use actbench::report::reproductions::render;
use actbench::reproduce::reproductions;
use common::*;

const CONFIG: &str = "../../configs/transformer.toml";
const REFERENCE: &str = "../../results/reference/transformer";

/// The published run is what configs/transformer.toml plans, and its README holds the table the
/// records make.
#[test]
fn published_reference_matches_its_config_and_readme() {
    assert_reference_has_planned_cells(CONFIG, REFERENCE);
    let table = render(&reproductions(&read_dir(Path::new(REFERENCE)).unwrap()), Format::Markdown);
    let readme = std::fs::read_to_string(Path::new(REFERENCE).join("README.md")).unwrap();
    assert!(
        readme.contains(&table),
        "results/reference/transformer/README.md is stale: re-render its table with `actbench reproduce {REFERENCE} --format markdown`"
    );
}

/// `configs/transformer.toml --profile quick`: every activation of the glu-variants experiment
/// on the generated text, judged by G18 and set beside Shazeer's table.
#[test]
fn the_quick_profile_trains_every_variant_and_is_judged_and_reproduced() {
    let out = temp("transformer-quick");
    let config = concat!(env!("CARGO_MANIFEST_DIR"), "/../../configs/transformer.toml");
    let o = actbench(&[
        "run",
        config,
        "--profile",
        "quick",
        "--out",
        out.to_str().unwrap(),
        "--no-plots",
    ]);
    let stdout = text(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "{stdout}\n{}", text(&o.stderr));
    let records = record_files(&out);
    assert_eq!(records.len(), 8 * 2, "8 activations x 2 seeds");
    let record: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&records[0]).unwrap()).unwrap();
    assert_eq!(record["metric"], "bits-per-character");
    // Every record says how many parameters its model has: plain and gated within 1%.
    let parameters: Vec<f64> = records
        .iter()
        .map(|path| {
            let r: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
            r["parameters"].as_f64().unwrap_or_else(|| panic!("{}: no parameters", path.display()))
        })
        .collect();
    let (low, high) = parameters.iter().fold((f64::MAX, 0.0f64), |(l, h), &p| (l.min(p), h.max(p)));
    assert!(high / low < 1.01, "parameters from {low} to {high}");
    assert!(record["dataset_source"].as_str().unwrap().starts_with("generated text"));
    for label in ["swiglu", "geglu", "bilinear", "reglu", "glu"] {
        assert!(stdout.contains(label), "{label} in {stdout}");
    }
    let o = actbench(&["reproduce", out.to_str().unwrap()]);
    let reproduced = text(&o.stdout);
    assert!(reproduced.contains("GLU Variants Improve Transformer"), "{reproduced}");
    assert!(reproduced.contains("ordering of the eight: Kendall tau"), "{reproduced}");
    assert!(reproduced.contains("swiglu vs relu"), "{reproduced}");
    assert!(reproduced.contains("; parameters "), "{reproduced}");
    let o = actbench(&["guidelines", out.to_str().unwrap()]);
    let judged = text(&o.stdout);
    assert!(judged.contains("G18") && judged.contains("gelu - relu"), "{judged}");
}

/// An empty or binary corpus file is refused with its path, exit 2, nothing written.
#[test]
fn a_corpus_file_that_is_empty_or_binary_is_refused_with_its_path() {
    let dir = temp("bad-corpus");
    std::fs::create_dir_all(&dir).unwrap();
    let empty = dir.join("empty.txt");
    std::fs::write(&empty, "\n\n").unwrap();
    let binary = dir.join("binary.txt");
    std::fs::write(&binary, [b'a', 0, 1, 2, b'\n']).unwrap();
    for (file, expected) in [(&empty, "holds no text"), (&binary, "not a text file")] {
        let config = write_config(
            "corpus",
            &format!(
                "name = \"c\"\n[[experiment]]\nname = \"e\"\nactivations = [\"gelu\"]\ndataset = {{ kind = \"corpus\", dir = \"{}\" }}\nmodel = {{ kind = \"transformer\" }}\n",
                file.display()
            ),
        );
        let out = temp("bad-corpus-out");
        let o = actbench(&["run", config.to_str().unwrap(), "--out", out.to_str().unwrap()]);
        let stderr = text(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{stderr}");
        assert!(
            stderr.contains(&file.display().to_string()) && stderr.contains(expected),
            "{stderr}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert!(!out.exists());
    }
}
