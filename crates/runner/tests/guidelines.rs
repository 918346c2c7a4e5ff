//! The guideline verdicts end to end: the quick profiles of configs/guidelines.toml and
//! configs/reproductions.toml (on built-in data) run and together judge all 18 guidelines; the
//! published reference runs are what the code makes of their configs.

mod common;

use std::path::{Path, PathBuf};

use actbench::guidelines::{evaluate, split_half};
use actbench::records::cell::read_dirs;
use actbench::report::format::Format;
use actbench::report::verdicts::render;
use common::{actbench, temp, text};
use serde_json::Value;

const CONFIG: &str = "../../configs/guidelines.toml";
const REFERENCE: &str = "../../results/reference/guidelines";
const REPRODUCTIONS: &str = "../../configs/reproductions.toml";
const TRANSFORMER: &str = "../../configs/transformer.toml";
const REPRODUCTIONS_REFERENCE: &str = "../../results/reference/reproductions";
const TRANSFORMER_REFERENCE: &str = "../../results/reference/transformer";
const REALDATA_REFERENCE: &str = "../../results/reference/realdata";

/// Every published run the verdicts read: the guideline run, the reproductions, the transformer
/// run and the real-data run.
fn reference_dirs() -> [PathBuf; 4] {
    [REFERENCE, REPRODUCTIONS_REFERENCE, TRANSFORMER_REFERENCE, REALDATA_REFERENCE]
        .map(PathBuf::from)
}

#[test]
fn quick_profile_judges_every_guideline() {
    let out = temp("guidelines-quick");
    let run = actbench(&["run", CONFIG, "--profile", "quick", "--out", out.to_str().unwrap()]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    let stdout = text(&run.stdout);
    assert!(stdout.contains("== guideline verdicts =="), "{stdout}");
    for i in 1..=18 {
        assert!(stdout.contains(&format!("G{i:02} ")), "G{i:02} missing from\n{stdout}");
    }
    assert!(out.join("bench-activations.json").exists());

    // The reproductions' quick profile on the built-in data (an IDX directory with nothing in
    // it): G10, G11 and G17 read it, and it sets the published numbers beside its own.
    let repro = temp("reproductions-quick");
    let nowhere = temp("no-idx-files");
    std::fs::create_dir_all(&nowhere).unwrap();
    let run = actbench(&[
        "run",
        REPRODUCTIONS,
        "--profile",
        "quick",
        "--out",
        repro.to_str().unwrap(),
        "--idx-dir",
        nowhere.to_str().unwrap(),
    ]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    assert!(
        text(&run.stdout).contains("== published results beside ours"),
        "{}",
        text(&run.stdout)
    );
    let reproduced = actbench(&["reproduce", repro.to_str().unwrap(), "--format", "json"]);
    assert!(reproduced.status.success(), "{}", text(&reproduced.stderr));
    let reproduced: Vec<Value> = serde_json::from_slice(&reproduced.stdout).unwrap();
    assert_eq!(reproduced.len(), 4, "every source reproduced");
    for source in &reproduced {
        assert!(!source["rows"].as_array().unwrap().is_empty(), "{source}");
        for row in source["rows"].as_array().unwrap() {
            // Two seeds: never enough to say a published number agrees or differs.
            let reading = row["agreement"].as_str().unwrap();
            assert!(["inconclusive", "no-published-number"].contains(&reading), "{row}");
        }
    }
    let figures = common::figure_stems(&repro);
    assert!(figures.contains(&"reproduction-mish-depth".to_string()), "{figures:?}");
    let page = std::fs::read_to_string(repro.join("report.html")).unwrap();
    assert!(page.contains("Published results beside ours"));
    assert!(page.contains("<figure id=\"fig-reproduction-mish-depth\">"));
    let repro = repro.to_str().unwrap();

    // The transformer config's quick profile (the built-in text): G18 reads it.
    let transformer = temp("transformer-quick-for-guidelines");
    let run = actbench(&[
        "run",
        TRANSFORMER,
        "--profile",
        "quick",
        "--out",
        transformer.to_str().unwrap(),
        "--no-plots",
    ]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    let transformer = transformer.to_str().unwrap();

    let json =
        actbench(&["guidelines", out.to_str().unwrap(), repro, transformer, "--format", "json"]);
    assert!(json.status.success(), "{}", text(&json.stderr));
    let verdicts: Vec<Value> = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(verdicts.len(), 18);
    for (i, v) in verdicts.iter().enumerate() {
        assert_eq!(v["id"], format!("G{:02}", i + 1));
        for key in ["name", "claim", "evidence", "threshold"] {
            assert!(v[key].as_str().is_some_and(|s| !s.is_empty()), "{key} of {v}");
        }
        assert!(
            ["holds", "fails", "inconclusive"].contains(&v["verdict"].as_str().unwrap()),
            "{v}"
        );
        // Every guideline ran: none is inconclusive for want of an experiment.
        assert!(!v["evidence"].as_str().unwrap().starts_with("not run"), "{v}");
    }
    // G13 and G16 say which images they used.
    for id in [12, 15] {
        let data = verdicts[id]["data"].as_str().unwrap();
        assert!(data.contains("IDX images from") || data.contains("fallback"), "{data}");
    }
    // Two seeds: every rule that compares groups says it had no t-test.
    // Two seeds are too few pairs to decide a part on training runs (the micro-benchmark's
    // parts pair its repeats).
    for v in &verdicts {
        for part in v["parts"].as_array().unwrap() {
            for key in [
                "difference",
                "ci_low",
                "ci_high",
                "delta",
                "p_adjusted",
                "effect_size",
                "n_pairs",
                "decision",
                "label",
                "claim",
            ] {
                assert!(part.get(key).is_some(), "{key} missing from {part}");
            }
            if part["n_pairs"].as_u64().unwrap() < 3 {
                assert_eq!(part["decision"], "undecided", "{part}");
            }
        }
    }
    let g16 = &verdicts[15];
    assert_eq!(g16["verdict"], "inconclusive");
    assert_eq!(g16["parts"][0]["n_pairs"], 2, "{g16}");
    assert!(g16["seeds_needed"].as_u64().is_some_and(|n| n >= 3), "{g16}");

    let split = actbench(&["guidelines", out.to_str().unwrap(), repro, "--split-half"]);
    assert!(split.status.success(), "{}", text(&split.stderr));
    let split = text(&split.stdout);
    assert!(
        split.contains("odd seeds") && split.contains("even seeds") && split.contains("G17"),
        "{split}"
    );

    let markdown = text(
        &actbench(&["guidelines", out.to_str().unwrap(), repro, "--format", "markdown"]).stdout,
    );
    assert_eq!(markdown.lines().filter(|l| l.starts_with("| G")).count(), 18, "{markdown}");

    // The run drew its figures and wrote the report: every verdict and every figure is in the
    // self-contained page, and report.md links every figure.
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    let report_md = std::fs::read_to_string(out.join("report.md")).unwrap();
    for i in 1..=18 {
        assert!(html.contains(&format!("<tr id=\"G{i:02}\">")), "G{i:02} not in report.html");
    }
    let figures = common::figure_stems(&out);
    assert!(figures.len() >= 20, "{figures:?}");
    for stem in &figures {
        assert!(
            html.contains(&format!("<figure id=\"fig-{stem}\">")),
            "{stem} not inlined in report.html"
        );
        assert!(
            report_md.contains(&format!("(plots/{stem}.svg)")),
            "{stem} not linked from report.md"
        );
    }
    for stem in [
        "cost-vs-reference",
        "gradients-g02-vanishing",
        "layer-statistics-g09-selu-depth",
        "depth-g10-depth-sweep",
        "dead-units-g05-dying",
        "learning-g13-cnn-fashion",
        "activation-curves",
        "curves-self-gated",
    ] {
        assert!(figures.contains(&stem.to_string()), "{stem} missing from {figures:?}");
    }
    assert!(html.contains("class=\"forest\""), "verdict rows carry forest plots");
    for loader in ["<script", "<link", "<img", "src=\"http", "url(http"] {
        assert!(!html.contains(loader), "report.html must load nothing from outside ({loader})");
    }
    std::fs::remove_dir_all(&out).unwrap();
    std::fs::remove_dir_all(repro).unwrap();
}

/// The published reference run was made from configs/guidelines.toml as it is now: same cells,
/// and its committed verdict table is what the library renders for its records.
#[test]
fn published_reference_matches_its_config_and_verdicts() {
    common::assert_reference_has_planned_cells(CONFIG, REFERENCE);
    let (records, timings) = read_dirs(&reference_dirs()).unwrap();
    let verdicts = render(&evaluate(&records, &timings), Format::Markdown);
    let published = std::fs::read_to_string(Path::new(REFERENCE).join("verdicts.md")).unwrap();
    assert!(
        published.contains(&verdicts),
        "results/reference/guidelines/verdicts.md is stale: re-render it with `actbench guidelines {REFERENCE} {REPRODUCTIONS_REFERENCE} {TRANSFORMER_REFERENCE} {REALDATA_REFERENCE} --format markdown`"
    );
}

/// A verdict is a pure function of the records: the same records in any order give the same
/// table, and the split-half check on the published run is the one docs/statistics.md reports.
#[test]
fn verdicts_are_a_pure_function_of_the_records() {
    let (mut records, timings) = read_dirs(&reference_dirs()).unwrap();
    let first = evaluate(&records, &timings);
    records.reverse();
    for (a, b) in evaluate(&records, &timings).iter().zip(&first) {
        let (a, b) = (serde_json::to_value(a).unwrap(), serde_json::to_value(b).unwrap());
        for (key, value) in a.as_object().unwrap() {
            assert_eq!(value, &b[key], "{} {key}", b["id"]);
        }
    }
    assert_eq!(first.len(), actbench::guidelines::CATALOGUE.len());
    // The split-half check as docs/statistics.md reports it for the published run.
    let halves = split_half(&records, &timings);
    let decisive =
        halves.iter().filter(|h| h.all_seeds != actbench::guidelines::Verdict::Inconclusive);
    let stable = decisive.clone().filter(|h| !h.unstable).count();
    let docs = std::fs::read_to_string("../../docs/statistics.md").unwrap().replace('\n', " ");
    let reported = format!(
        "**{} decisive verdicts, {stable} reproduced by the odd and by the even seeds alone**",
        decisive.count()
    );
    assert!(docs.contains(&reported), "docs/statistics.md should say: {reported}");
}

#[test]
fn guidelines_refuses_an_empty_directory_and_unknown_profiles() {
    let empty = temp("guidelines-empty");
    std::fs::create_dir_all(&empty).unwrap();
    let out = actbench(&["guidelines", empty.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("no result records"), "{}", text(&out.stderr));

    let out = actbench(&["run", CONFIG, "--profile", "nope", "--dry-run"]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.contains("guidelines.toml") && err.contains("--profile nope") && err.contains("quick"),
        "{err}"
    );
}

/// Without the IDX files an experiment with a fallback runs on it, says so on stderr, records the
/// reason, and the verdict table shows the data used; without a fallback it is an error naming
/// the directory.
#[test]
fn missing_fashion_mnist_falls_back_to_built_in_images() {
    let config = common::write_config(
        "fallback",
        r#"name = "fallback"
seeds = [1, 2]
[train]
epochs = 1
[[experiment]]
name = "g16-deep-mlp"
guidelines = ["G16"]
activations = ["relu", "sigmoid"]
dataset = { kind = "idx", dir = "/nonexistent/fashion" }
fallback_dataset = { kind = "images", n = 200 }
model = { kind = "mlp", depth = 6, width = 8 }
"#,
    );
    let out = temp("fallback-run");
    let run = actbench(&["run", config.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    assert!(
        text(&run.stderr).contains("note: experiment `g16-deep-mlp`: /nonexistent/fashion"),
        "{}",
        text(&run.stderr)
    );
    let records = common::records(&out);
    assert_eq!(records.len(), 4);
    assert!(records.iter().all(|r| r["cell"]["dataset"]["kind"] == "images"
        && r["cell"]["dataset_fallback"].as_str().is_some()));
    let verdicts =
        text(&actbench(&["guidelines", out.to_str().unwrap(), "--format", "markdown"]).stdout);
    let g16 = verdicts.lines().find(|l| l.starts_with("| G16")).unwrap();
    assert!(g16.contains("[data: built-in images") && g16.contains("fallback"), "{g16}");

    // --idx-dir points every idx dataset elsewhere: still missing, so still the fallback.
    let dry =
        actbench(&["run", config.to_str().unwrap(), "--dry-run", "--idx-dir", "/also/missing"]);
    assert!(text(&dry.stderr).contains("/also/missing"), "{}", text(&dry.stderr));

    let strict = config.with_file_name("strict.toml");
    std::fs::write(
        &strict,
        std::fs::read_to_string(&config)
            .unwrap()
            .replace("fallback_dataset = { kind = \"images\", n = 200 }\n", ""),
    )
    .unwrap();
    let err = actbench(&["run", strict.to_str().unwrap(), "--dry-run"]);
    assert_eq!(err.status.code(), Some(2));
    assert!(text(&err.stderr).contains("/nonexistent/fashion"), "{}", text(&err.stderr));
    std::fs::remove_dir_all(&out).unwrap();
}
