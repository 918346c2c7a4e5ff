//! `configs/realdata.toml`: the ResNet with its training recipe (the learning-rate drop, shifted
//! and flipped training images), the deep MLP and the sunspot models end to end on built-in
//! data, what the recipe changes, and sunspot tables that cannot be used.

mod common;

use common::*;
use serde_json::Value;

const CONFIG: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../configs/realdata.toml");
const REFERENCE: &str = "../../results/reference/realdata";

fn read(path: &std::path::Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The published run is what configs/realdata.toml plans, and its README holds the reproduction
/// tables the records make.
#[test]
fn published_reference_matches_its_config_and_readme() {
    assert_reference_has_planned_cells(CONFIG, REFERENCE);
    let records = actbench::records::cell::read_dir(std::path::Path::new(REFERENCE)).unwrap();
    let table = actbench::report::reproductions::render(
        &actbench::reproduce::reproductions(&records),
        actbench::report::format::Format::Markdown,
    );
    let readme =
        std::fs::read_to_string(std::path::Path::new(REFERENCE).join("README.md")).unwrap();
    assert!(
        readme.contains(&table),
        "results/reference/realdata/README.md is stale: re-render its tables with `actbench reproduce {REFERENCE} --format markdown`"
    );
}

/// The quick profile trains every experiment on built-in data (generated images for
/// Fashion-MNIST, the built-in sunspot table): the ResNet with its recipe and parameter count,
/// G16's deep MLP, and the sunspot models with the ARV per test period and the AR(12) baseline;
/// `actbench guidelines` judges G04, G13, G14 and G16 on it and `actbench reproduce` prints both
/// reproductions.
#[test]
fn the_quick_profile_trains_every_experiment_and_is_judged_and_reproduced() {
    let out = temp("realdata-quick");
    let started = std::time::Instant::now();
    let o = actbench(&[
        "run",
        CONFIG,
        "--profile",
        "quick",
        "--out",
        out.to_str().unwrap(),
        "--no-plots",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}\n{}", text(&o.stdout), text(&o.stderr));
    eprintln!("quick profile: {:.0} s", started.elapsed().as_secs_f64());
    let records: Vec<Value> = record_files(&out).iter().map(|p| read(p)).collect();
    let of = |experiment: &str| -> Vec<&Value> {
        records.iter().filter(|r| r["cell"]["experiment"] == experiment).collect()
    };
    let resnet = of("fashion-resnet");
    assert_eq!(resnet.len(), 9 * 2, "9 activations x 2 seeds");
    for r in &resnet {
        assert_eq!(r["status"], "finished");
        assert_eq!(r["cell"]["model"]["kind"], "resnet");
        assert_eq!(
            r["cell"]["train"]["learning_rate_drop"],
            serde_json::json!({"at": 0.8, "factor": 0.1})
        );
        // Stem and three blocks with batch norm, a projection where the channels grow, and the
        // output layer.
        assert!(r["parameters"].as_u64().unwrap() > 70_000, "{}", r["parameters"]);
        assert!(r["dataset_source"].as_str().unwrap().contains("built-in"));
    }
    assert_eq!(of("fashion-deep-mlp").len(), 2 * 2, "relu and sigmoid x 2 seeds");
    let sunspots: Vec<&Value> =
        records.iter().filter(|r| r["cell"]["dataset"]["kind"] == "sunspots").collect();
    assert_eq!(sunspots.len(), (1 + 3 + 4) * 2, "MLP, 3 vanilla RNNs, 4 gated cells x 2 seeds");
    for r in &sunspots {
        assert_eq!(r["metric"], "arv");
        let last = r["epochs"].as_array().unwrap().last().unwrap();
        let periods = &last["test_periods"];
        assert!(periods["1921-1955"].as_f64().unwrap() > 0.0, "{periods}");
        assert!(periods["1956-1979"].as_f64().unwrap() > 0.0, "{periods}");
        let baseline = &r["baseline"];
        assert_eq!(baseline["name"], "AR(12), least squares");
        assert!((0.05..0.5).contains(&baseline["test_periods"]["1921-1955"].as_f64().unwrap()));
    }
    let o = actbench(&["guidelines", out.to_str().unwrap()]);
    let judged = text(&o.stdout);
    for part in
        ["G04", "G13", "G14", "G16", "fashion-resnet: relu - tanh", "sunspots: vanilla tanh - relu"]
    {
        assert!(judged.contains(part), "{part} in {judged}");
    }
    let o = actbench(&["reproduce", out.to_str().unwrap()]);
    let reproduced = text(&o.stdout);
    for part in [
        "SqueezeNet CIFAR-10 table",
        "ordering of the nine: Kendall tau",
        "sigmoid - relu",
        "mish - relu: at least as good as relu",
        "Predicting the future",
        "12-8-1 tanh network, test 1956-1979: ARV",
        "AR(12) least squares, test 1921-1955: ARV",
    ] {
        assert!(reproduced.contains(part), "{part} in {reproduced}");
    }
}

/// A sunspot table that is not the table stops the run before training: exit 2, the file and
/// the line named, nothing written.
#[test]
fn a_bad_sunspot_table_is_refused_with_its_file_and_line() {
    let dir = temp("bad-sunspots");
    std::fs::create_dir_all(&dir).unwrap();
    let table = actbench_data::sunspots::TABLE;
    let cases = [
        ("missing-year.csv", table.replace("1750,83.4\n", ""), ":52:"),
        ("not-a-number.csv", table.replace("1750,83.4", "1750,eighty"), ":52:"),
        ("not-the-table.csv", "name,value\nfoo,1\n".to_string(), ":1:"),
    ];
    for (name, body, line) in cases {
        let file = dir.join(name);
        std::fs::write(&file, body).unwrap();
        let config = write_config(
            &format!("bad-sunspots-{name}"),
            &format!(
                r#"
name = "bad"
[[experiment]]
name = "e"
activations = ["tanh"]
dataset = {{ kind = "sunspots", file = "{}" }}
model = {{ kind = "mlp", depth = 1, width = 8 }}
"#,
                file.display()
            ),
        );
        let out = temp(&format!("bad-sunspots-out-{name}"));
        let o = actbench(&["run", config.to_str().unwrap(), "--out", out.to_str().unwrap()]);
        let stderr = text(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{name}: {stderr}");
        assert!(stderr.contains(&format!("{name}{line}")), "{name}: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert!(record_files(&out).is_empty(), "{name}: nothing trained");
    }
}

/// A two-epoch run, drop after the first: augmented and plain training differ, the same seed
/// repeats, and the drop changes the second epoch only.
#[test]
fn augmentation_and_the_learning_rate_drop_change_training_as_configured() {
    let config = |train: &str| {
        format!(
            r#"
name = "recipe"
seeds = [1]
[train]
epochs = 2
batch_size = 32
learning_rate = 0.01
{train}
[[experiment]]
name = "e"
activations = ["relu"]
dataset = {{ kind = "images", n = 200 }}
model = {{ kind = "resnet", channels = [4, 8], blocks = 1 }}
"#
        )
    };
    let metrics = |name: &str, train: &str| -> Vec<f64> {
        let path = write_config(name, &config(train));
        let out = temp(name);
        let o = actbench(&[
            "run",
            path.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--no-plots",
        ]);
        assert_eq!(o.status.code(), Some(0), "{name}: {}", text(&o.stderr));
        let r = read(&record_files(&out)[0]);
        // Epoch 0 (before training) has no training loss: -1.
        r["epochs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["train_loss"].as_f64().unwrap_or(-1.0))
            .collect()
    };
    let plain = metrics("recipe-plain", "");
    let augmented = metrics("recipe-augmented", "augment = { shift = 1, flip = true }");
    let again = metrics("recipe-augmented-again", "augment = { shift = 1, flip = true }");
    let dropped = metrics("recipe-dropped", "learning_rate_drop = { at = 0.5, factor = 0.1 }");
    assert_eq!(augmented, again, "the seed fixes the augmented batches");
    assert_ne!(augmented[1..], plain[1..], "augmentation changes the training loss");
    assert_eq!(dropped[..2], plain[..2], "the first epoch trains at the full rate");
    assert_ne!(dropped[2], plain[2], "the second at a tenth of it");
}
