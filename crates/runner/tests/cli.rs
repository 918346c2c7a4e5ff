//! The `actbench` binary as a user runs it: output, formats, errors and exit codes.

use std::process::{Command, Output};

use serde_json::Value;

fn actbench(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_actbench")).args(args).output().expect("run actbench")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn list_activations_shows_every_registered_activation() {
    let out = actbench(&["list", "activations"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    for info in actbench_activations::REGISTRY {
        assert!(
            text.contains(info.name) && text.contains(info.family.name()),
            "missing {}",
            info.name
        );
    }
    let json: Value =
        serde_json::from_slice(&actbench(&["list", "activations", "--format", "json"]).stdout)
            .unwrap();
    let published = actbench_activations::gated::PUBLISHED;
    assert_eq!(
        json.as_array().unwrap().len(),
        actbench_activations::REGISTRY.len() + published.len()
    );
    for p in published {
        assert!(text.contains(p.name), "missing gated {}", p.name);
    }
    assert!(text.contains("glu:GATE"));
    let swiglu = &json[actbench_activations::REGISTRY.len() + 5];
    assert_eq!(swiglu["name"], "swiglu");
    assert_eq!(
        (swiglu["gate"].as_str(), swiglu["family"].as_str()),
        (Some("swish"), Some("gated"))
    );
    assert_eq!(json[5]["name"], "prelu");
    assert_eq!(json[5]["parameters"][0]["learnable"], true);
}

#[test]
fn curves_json_for_mish_matches_pytorch_float32() {
    let golden: Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../activations/tests/data/golden_activations.json"
        ))
        .unwrap(),
    )
    .unwrap();
    let mish = &golden["activations"]["mish"];
    let out = actbench(&["curves", "--activation", "mish", "--format", "json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let curve = &json[0];
    assert_eq!(curve["activation"], "mish");
    let xs: Vec<f64> = curve["x"].as_array().unwrap().iter().map(|v| v.as_f64().unwrap()).collect();
    assert_eq!(xs.len(), 201);
    let mut matched = 0;
    for (i, gx) in mish["x_f32"].as_array().unwrap().iter().enumerate() {
        let gx = gx.as_f64().unwrap();
        let Some(j) = xs.iter().position(|x| *x == gx) else { continue };
        for (ours, theirs) in [("y", "y_f32"), ("dy", "dy_f32")] {
            let a = curve[ours][j].as_f64().unwrap();
            let b = mish[theirs][i].as_f64().unwrap();
            // Float32 precision: within 4 ulp-sized steps of PyTorch's float32 result.
            assert!(
                (a - b).abs() <= 4.0 * f32::EPSILON as f64 * b.abs().max(1.0),
                "mish {ours}({gx}): actbench {a}, pytorch {b}"
            );
        }
        matched += 1;
    }
    assert!(matched >= 11, "only {matched} golden points lie on the default grid");
}

#[test]
fn curves_csv_and_table_formats() {
    let out = actbench(&[
        "curves",
        "--activation",
        "relu,leaky-relu:0.1",
        "--from",
        "-1",
        "--to",
        "1",
        "--points",
        "3",
        "--format",
        "csv",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "activation,x,y,dy\nrelu,-1,0,0\nrelu,0,0,0\nrelu,1,1,1\nleaky-relu:slope=0.1,-1,-0.1,0.1\nleaky-relu:slope=0.1,0,0,0.1\nleaky-relu:slope=0.1,1,1,1\n"
    );
    let out = actbench(&[
        "curves",
        "--activation",
        "selu",
        "--points",
        "2",
        "--dtype",
        "f64",
        "--format",
        "table",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("selu'(x)"));
}

#[test]
fn curves_on_every_default_backend() {
    for backend in ["flex", "ndarray", "wgpu"] {
        let out = actbench(&[
            "curves",
            "--activation",
            "swish",
            "--points",
            "3",
            "--format",
            "csv",
            "--backend",
            backend,
        ]);
        assert!(out.status.success(), "{backend}: {}", stderr(&out));
        assert!(stdout(&out).contains("swish,0,0,0.5"), "{backend}: {}", stdout(&out));
    }
}

#[test]
fn bad_input_is_a_clear_error_with_exit_code_2() {
    for (args, expected) in [
        (vec!["curves", "--activation", "reul"], "did you mean `relu`"),
        (vec!["curves", "--activation", "leaky-relu:5"], "[0, 1]"),
        (vec!["curves", "--from", "3", "--to", "1"], "--from <= --to"),
        (vec!["curves", "--points", "0"], "--points 0"),
        (vec!["curves", "--backend", "tpu"], "valid backends: flex, ndarray, wgpu, cuda"),
        (vec!["curves", "--backend", "wgpu", "--dtype", "f64"], "float32 only"),
        (vec!["curves", "--format", "xml"], "possible values"),
        (vec!["list", "models"], "possible values"),
    ] {
        let out = actbench(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(expected), "{args:?}: {}", stderr(&out));
        assert!(!stderr(&out).contains("panicked"), "{args:?}: {}", stderr(&out));
        assert!(out.stdout.is_empty(), "{args:?} printed a partial result");
    }
}

#[test]
fn help_carries_examples() {
    for args in [vec!["--help"], vec!["curves", "--help"], vec!["list", "--help"]] {
        let out = actbench(&args);
        assert!(out.status.success());
        assert!(stdout(&out).contains("Examples:"), "{args:?}");
    }
}
