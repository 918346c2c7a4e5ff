//! `configs/realdata.toml`: the ResNet with its training recipe (the learning-rate drop, shifted
//! and flipped training images) end to end on the built-in images, and what the recipe changes.

mod common;

use common::*;
use serde_json::Value;

const CONFIG: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../configs/realdata.toml");

fn read(path: &std::path::Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The quick profile trains the nine activations on the built-in images, and every record holds
/// the recipe and the ResNet's parameter count.
#[test]
fn the_quick_profile_trains_the_resnet_with_its_recipe() {
    let out = temp("realdata-quick");
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
    let records = record_files(&out);
    assert_eq!(records.len(), 9 * 2, "9 activations x 2 seeds");
    for path in &records {
        let r = read(path);
        assert_eq!(r["status"], "finished", "{}", path.display());
        assert_eq!(r["cell"]["model"]["kind"], "resnet");
        assert_eq!(r["cell"]["train"]["augment"], serde_json::json!({"shift": 2, "flip": true}));
        assert_eq!(
            r["cell"]["train"]["learning_rate_drop"],
            serde_json::json!({"at": 0.8, "factor": 0.1})
        );
        // Stem and three blocks with batch norm, a projection where the channels grow, and the
        // output layer, plus burn's running statistics (2 per batch-norm channel).
        assert!(r["parameters"].as_u64().unwrap() > 70_000, "{}", r["parameters"]);
        assert!(
            r["dataset_source"].as_str().unwrap().contains("built-in"),
            "{}",
            r["dataset_source"]
        );
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
