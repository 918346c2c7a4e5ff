//! Statistics of the built-in generators, and determinism.

use actbench_data::config::DatasetKind;
use actbench_data::{DatasetConfig, InputShape, Targets, Task};

fn load(kind: DatasetKind, seed: u64) -> actbench_data::Dataset {
    DatasetConfig::new(kind).load(seed).unwrap()
}

fn classes(t: &Targets) -> &[usize] {
    match t {
        Targets::Classes(c) => c,
        _ => panic!("expected classes"),
    }
}

fn values(t: &Targets) -> &[f32] {
    match t {
        Targets::Values { values, .. } => values,
        _ => panic!("expected values"),
    }
}

#[test]
fn two_circles_has_two_radii_half_train_half_test() {
    // Without noise the radii are exactly 1 and 0.8 before scaling; scaling to [-1, 1] keeps them
    // (the outer circle already spans [-1, 1]).
    let mut config = DatasetConfig::new(DatasetKind::TwoCircles);
    config.noise = Some(0.0);
    let d = config.load(1).unwrap();
    assert_eq!((d.train.len(), d.test.len()), (500, 500));
    assert_eq!(d.input, InputShape::Vector { features: 2 });
    for split in [&d.train, &d.test] {
        for (i, &c) in classes(&split.targets).iter().enumerate() {
            let (x, y) = (split.inputs[2 * i] as f64, split.inputs[2 * i + 1] as f64);
            let r = (x * x + y * y).sqrt();
            let expected = if c == 0 { 1.0 } else { 0.8 };
            assert!((r - expected).abs() < 1e-5, "class {c} at radius {r}");
        }
    }
    let noisy = load(DatasetKind::TwoCircles, 1);
    assert!(
        noisy.train.inputs.iter().all(|v| (-1.0..=1.0).contains(v)),
        "inputs scaled to [-1, 1]"
    );
    let ones = classes(&noisy.train.targets).iter().filter(|&&c| c == 1).count();
    assert!((200..300).contains(&ones), "classes roughly balanced in the training half: {ones}");
}

#[test]
fn adding_problem_target_is_the_sum_of_the_two_marked_values() {
    let d = load(DatasetKind::Adding, 3);
    let InputShape::Sequence { steps, features } = d.input else { panic!() };
    assert_eq!((steps, features), (20, 2));
    let targets = values(&d.train.targets);
    let mut mean = 0.0;
    for (i, &target) in targets.iter().enumerate() {
        let seq = &d.train.inputs[i * steps * 2..(i + 1) * steps * 2];
        let marked: Vec<f32> =
            (0..steps).filter(|t| seq[2 * t + 1] == 1.0).map(|t| seq[2 * t]).collect();
        assert_eq!(marked.len(), 2, "exactly two markers");
        assert!((marked[0] + marked[1] - target).abs() < 1e-6);
        mean += target as f64;
    }
    mean /= d.train.len() as f64;
    assert!((mean - 1.0).abs() < 0.05, "mean target {mean} (expected 1)");
}

#[test]
fn other_generators_have_the_promised_shapes() {
    let xor = load(DatasetKind::Xor, 1);
    assert_eq!(xor.task, Task::Classification { classes: 2 });
    let spirals = load(DatasetKind::Spirals, 1);
    assert_eq!(spirals.train.len() + spirals.test.len(), 1000);
    let ml = load(DatasetKind::MultiLabel, 1);
    assert_eq!(ml.task, Task::MultiLabel { labels: 5 });
    let on = values(&ml.train.targets).iter().filter(|&&v| v == 1.0).count() as f64
        / values(&ml.train.targets).len() as f64;
    assert!((0.15..0.85).contains(&on), "labels neither always on nor off: {on}");
    let reg = load(DatasetKind::Regression, 1);
    let outside = values(&reg.train.targets).iter().filter(|&&v| !(0.0..=1.0).contains(&v)).count();
    assert!(outside > reg.train.len() / 2, "most regression targets lie outside (0, 1)");
    let images = load(DatasetKind::Images, 1);
    assert_eq!(images.input, InputShape::Image { channels: 1, height: 28, width: 28 });
    assert_eq!(images.task, Task::Classification { classes: 10 });
    assert!(images.train.inputs.iter().all(|v| (0.0..=1.0).contains(v)));
    let mut counts = [0; 10];
    for &c in classes(&images.train.targets) {
        counts[c] += 1;
    }
    assert!(counts.iter().all(|&c| c > 150), "every class present: {counts:?}");
}

#[test]
fn same_seed_same_data_other_seed_other_data() {
    for kind in
        [DatasetKind::TwoCircles, DatasetKind::Spirals, DatasetKind::Adding, DatasetKind::Images]
    {
        assert_eq!(load(kind, 7), load(kind, 7), "{kind:?}");
        assert_ne!(load(kind, 7).train.inputs, load(kind, 8).train.inputs, "{kind:?}");
    }
}

#[test]
fn standardize_gives_zero_mean_unit_variance() {
    let mut config = DatasetConfig::new(DatasetKind::Regression);
    config.standardize = Some(true);
    let d = config.load(1).unwrap();
    for f in 0..8 {
        let col: Vec<f64> = d.train.inputs.iter().skip(f).step_by(8).map(|&v| v as f64).collect();
        let mean = col.iter().sum::<f64>() / col.len() as f64;
        let var = col.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / col.len() as f64;
        assert!(
            mean.abs() < 1e-5 && (var - 1.0).abs() < 1e-4,
            "feature {f}: mean {mean}, var {var}"
        );
    }
}

#[test]
fn bad_options_name_the_option_and_what_is_allowed() {
    let parse = |text: &str| toml::from_str::<DatasetConfig>(text);
    let e = parse("kind = \"two-circles\"\nsteps = 3").unwrap().validate().unwrap_err().to_string();
    assert!(e.contains("`steps`") && e.contains("takes n, noise, factor"), "{e}");
    let e =
        parse("kind = \"two-circles\"\nfactor = 1.5").unwrap().validate().unwrap_err().to_string();
    assert!(e.contains("`factor` = 1.5") && e.contains("(0, 1)"), "{e}");
    let e = parse("kind = \"circles\"").unwrap_err().to_string();
    assert!(e.contains("two-circles"), "{e}");
    let e = parse("kind = \"xor\"\nsamples = 3").unwrap_err().to_string();
    assert!(e.contains("unknown field `samples`"), "{e}");
}
