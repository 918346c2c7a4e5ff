//! `cargo run --release` and `cargo test --release --workspace` share one build of burn and its
//! backends only if every crate the run builds gets the same features in both. Dev-dependencies
//! (criterion, proptest) turn extra features on in the test build; the runner's Cargo.toml turns
//! the same ones on for the run. This test fails when a new dependency brings the split back.

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

/// Package (`name vX.Y.Z`) -> the union of its enabled features, as `cargo tree` resolves them.
fn features(selection: &[&str]) -> BTreeMap<String, BTreeSet<String>> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let out = Command::new(cargo)
        .current_dir(root)
        .args(["tree", "--offline", "--prefix", "none", "--format", "{p}|{f}"])
        .args(selection)
        .output()
        .expect("cargo runs");
    assert!(out.status.success(), "cargo tree failed: {}", String::from_utf8_lossy(&out.stderr));
    let mut packages: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let Some((package, features)) = line.split_once('|') else { continue };
        let name: Vec<&str> = package.split_whitespace().take(2).collect();
        let features = features.trim_end_matches("(*)").trim();
        packages
            .entry(name.join(" "))
            .or_default()
            .extend(features.split(',').filter(|f| !f.is_empty()).map(str::to_string));
    }
    packages
}

#[test]
fn the_run_and_the_tests_share_one_build() {
    let run = features(&["-p", "actbench", "-e", "normal,build"]);
    let test = features(&["--workspace", "-e", "normal,build,dev"]);
    assert!(run.keys().any(|p| p.starts_with("burn ")), "burn is in the run's graph");
    let differ: Vec<String> = run
        .iter()
        .filter(|(package, features)| test.get(*package) != Some(features))
        .map(|(package, features)| {
            format!("{package}: run {features:?}, test {:?}", test.get(package))
        })
        .collect();
    assert!(
        differ.is_empty(),
        "features differ, so cargo builds these twice:\n{}",
        differ.join("\n")
    );
}
