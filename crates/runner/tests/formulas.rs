//! Formula activations through the CLI (run, resume, report, list, curves, bench) and
//! `actbench compare`.

mod common;

use common::*;
use serde_json::Value;

const CONFIG: &str = r#"
name = "formulas"
seeds = [1, 2, 3, 4]
backends = ["flex"]
[train]
epochs = 12
batch_size = 32
learning_rate = 0.02
eval_samples = 64
[[experiment]]
name = "circles"
activations = [
    "identity",
    "relu",
    { name = "sq-swish", formula = "x * sigmoid(x)^2" },
    { name = "beta-swish", formula = "x * sigmoid(beta * x)", params = { beta = 1.5 }, learnable = ["beta"] },
    "formula:x * x * 0 + max(x, 0.1 * x)",
    "formula:x * x * 0 + max(x, 0.1 + x)",
]
dataset = { kind = "two-circles", n = 400, noise = 0.05 }
model = { kind = "mlp", depth = 3, width = 16 }
target = 0.9
"#;

#[test]
fn formula_activations_run_resume_report_and_compare() {
    let config = write_config("formulas", CONFIG);
    let out = temp("formulas-out");
    let (config, dir) = (config.to_str().unwrap(), out.to_str().unwrap());
    let o = actbench(&["run", config, "--out", dir, "--no-plots"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let records = records(&out);
    assert_eq!(records.len(), 24);
    // Records carry the formula (so report and compare never need the config); the learned
    // parameter moved.
    let beta = records
        .iter()
        .find(|r| r["cell"]["activation"]["name"] == "beta-swish")
        .expect("a beta-swish record");
    assert_eq!(beta["cell"]["activation"]["formula"], "x * sigmoid(beta * x)");
    assert_eq!(beta["cell"]["activation"]["learnable"][0], "beta");
    // Two unnamed formulas that differ only in symbols have their own record files.
    let files: Vec<String> = record_files(&out)
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .filter(|n| n.contains("formula_"))
        .collect();
    assert_eq!(files.len(), 8, "{files:?}");
    // Resume reads the formula records back as the same cells: nothing to do.
    let o = actbench(&["run", config, "--out", dir, "--resume", "--no-plots"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let said = text(&o.stderr) + &text(&o.stdout);
    assert!(said.contains("0 cells trained, 24 already done"), "{said}");
    // report works from the records alone (the config is gone).
    std::fs::remove_file(config).unwrap();
    let o = actbench(&["report", dir]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let table = text(&o.stdout);
    for label in ["sq-swish", "beta-swish", "formula:x * x * 0 + max(x, 0.1 * x)"] {
        assert!(table.contains(label), "{label} missing from:\n{table}");
    }

    // compare: relu against the identity on circles is a clear win; JSON has every number.
    let o = actbench(&["compare", dir, "relu", "identity", "--format", "json"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let json: Value = serde_json::from_slice(&o.stdout).unwrap();
    let setting = &json["settings"][0];
    assert_eq!(json["a"], "relu");
    assert_eq!(setting["experiment"], "circles");
    assert_eq!(setting["n_pairs"], 4);
    assert_eq!(setting["decision"], "holds", "{setting}");
    assert_eq!(setting["reading"], "relu better");
    assert!(setting["ci_low"].as_f64().unwrap() > 0.0);
    assert!(setting["effect_size"].as_f64().unwrap() > 0.0);
    let o = actbench(&["compare", dir, "identity", "relu"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let table = text(&o.stdout);
    assert!(table.contains("identity better in 0; relu better in 1"), "{table}");
    assert!(table.contains("fails") && table.contains("relu better"), "{table}");
    let o = actbench(&["compare", dir, "sq-swish", "beta-swish", "--metric", "epochs"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(text(&o.stdout).contains("epochs to test accuracy 0.9"), "{}", text(&o.stdout));

    // Bad requests: exit 2, saying what is there.
    for (args, expected) in [
        (vec!["compare", dir, "mish", "relu"], "activation `mish` has no runs"),
        (vec!["compare", dir, "relu", "relu"], "name two activations"),
        (vec!["compare", dir, "relu", "sq-swish", "--experiment", "x"], "its experiments: circles"),
        (vec!["compare", "/nonexistent/dir", "a", "b"], "/nonexistent/dir"),
    ] {
        let o = actbench(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", text(&o.stderr));
        assert!(text(&o.stderr).contains(expected), "{args:?}: {}", text(&o.stderr));
    }
}

#[test]
fn list_curves_and_bench_take_formulas() {
    let config = write_config("formula-list", CONFIG);
    let o = actbench(&[
        "list",
        "activations",
        "--config",
        config.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let list: Value = serde_json::from_slice(&o.stdout).unwrap();
    let beta = list.as_array().unwrap().iter().find(|a| a["name"] == "beta-swish").expect("listed");
    assert_eq!(beta["formula"], "f(x) = x * sigmoid(beta * x)");
    assert_eq!(beta["family"], "formula");
    assert_eq!(beta["parameters"][0]["learnable"], true);

    // A formula and the registry activation it spells give the same curve; commas inside the
    // formula's parentheses stay with it.
    let o = actbench(&[
        "curves",
        "--activation",
        "relu,formula:max(x, 0)",
        "--from",
        "-3",
        "--to",
        "3",
        "--points",
        "13",
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let curves: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(curves.as_array().unwrap().len(), 2);
    assert_eq!(curves[0]["y"], curves[1]["y"]);

    let o = actbench(&[
        "bench",
        "activations",
        "--activation",
        "relu,formula:x * sigmoid(x)^2",
        "--elements",
        "4096",
        "--repeats",
        "2",
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let bench: Value = serde_json::from_slice(&o.stdout).unwrap();
    let kinds: Vec<(&str, &str)> = bench
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["activation"].as_str().unwrap(), r["implementation"].as_str().unwrap()))
        .collect();
    assert!(kinds.contains(&("relu", "built-in")), "{kinds:?}");
    assert!(kinds.contains(&("copy", "reference")), "{kinds:?}");
    assert!(kinds.contains(&("formula:x * sigmoid(x)^2", "formula")), "{kinds:?}");

    // A bad formula on the command line: exit 2 with the column.
    let o = actbench(&["curves", "--activation", "formula:x * sigmod(x)"]);
    assert_eq!(o.status.code(), Some(2));
    let stderr = text(&o.stderr);
    assert!(stderr.contains("did you mean `sigmoid`") && stderr.contains("column 5"), "{stderr}");
}
