//! The published reference of the reproductions: made from configs/reproductions.toml as it is
//! now, its README table is what the library renders for its records, and that table is a pure
//! function of the records. (The quick profile runs in tests/guidelines.rs, beside the guideline
//! run it completes.)

mod common;

use std::path::Path;

use actbench::records::cell::read_dir;
use actbench::report::format::Format;
use actbench::report::reproductions::render;
use actbench::reproduce::reproductions;
use common::{actbench, temp, text};

const CONFIG: &str = "../../configs/reproductions.toml";
const REFERENCE: &str = "../../results/reference/reproductions";

#[test]
fn published_reference_matches_its_config_and_readme() {
    common::assert_reference_has_planned_cells(CONFIG, REFERENCE);
    let records = read_dir(Path::new(REFERENCE)).unwrap();
    let table = render(&reproductions(&records), Format::Markdown);
    let readme = std::fs::read_to_string(Path::new(REFERENCE).join("README.md")).unwrap();
    assert!(
        readme.contains(&table),
        "results/reference/reproductions/README.md is stale: re-render its table with `actbench reproduce {REFERENCE} --format markdown`"
    );
}

#[test]
fn the_table_is_a_pure_function_of_the_records() {
    // Only the record files, without the run file, figures or reports: the same table.
    let copy = temp("reproduce-records-only");
    std::fs::create_dir_all(&copy).unwrap();
    for file in common::record_files(Path::new(REFERENCE)) {
        std::fs::copy(&file, copy.join(file.file_name().unwrap())).unwrap();
    }
    let published = reproductions(&read_dir(Path::new(REFERENCE)).unwrap());
    let copied = reproductions(&read_dir(&copy).unwrap());
    for format in [Format::Table, Format::Json, Format::Csv] {
        assert_eq!(render(&published, format), render(&copied, format), "{format:?}");
    }
    let sources: Vec<&str> = published.iter().map(|r| r.source.as_str()).collect();
    assert_eq!(sources, ["two-circles", "swish-depth", "mish-depth", "selu-fixed-point"]);
    // Records in another order: the same reproductions.
    let mut shuffled = read_dir(Path::new(REFERENCE)).unwrap();
    shuffled.reverse();
    assert_eq!(render(&reproductions(&shuffled), Format::Json), render(&published, Format::Json));
    std::fs::remove_dir_all(&copy).unwrap();
}

#[test]
fn reproduce_refuses_runs_without_reproductions() {
    let out = actbench(&["reproduce", "../../results/reference/default"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("no records of an experiment that reproduces"),
        "{}",
        text(&out.stderr)
    );
    let both = actbench(&["guidelines", REFERENCE, REFERENCE]);
    assert_eq!(both.status.code(), Some(2));
    assert!(
        text(&both.stderr).contains("name each run's directory once"),
        "{}",
        text(&both.stderr)
    );
}
