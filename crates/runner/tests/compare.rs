//! `compare` called as a library on the published guideline run: two activations paired by seed
//! over every setting where both ran, the same comparison read from either side.

use std::path::Path;

use actbench::compare::{Metric, Outcome, compare};
use actbench::records::cell::read_dir;

const REFERENCE: &str = "../../results/reference/guidelines";

#[test]
fn swapping_the_two_activations_mirrors_every_setting() {
    let records = read_dir(Path::new(REFERENCE)).unwrap();
    let ab = compare(&records, "relu", "sigmoid", Metric::Final);
    let ba = compare(&records, "sigmoid", "relu", Metric::Final);
    assert!(!ab.settings.is_empty());
    assert_eq!(ab.settings.len(), ba.settings.len());
    assert_eq!(ab.skipped, ba.skipped);
    for (x, y) in ab.settings.iter().zip(&ba.settings) {
        assert_eq!((&x.experiment, x.depth), (&y.experiment, y.depth));
        assert_eq!(x.part.n_pairs, y.part.n_pairs, "{}", x.experiment);
        let (dx, dy) = (x.part.difference.unwrap(), y.part.difference.unwrap());
        assert!((dx + dy).abs() <= 1e-12 * dx.abs().max(1.0), "{}: {dx} vs {dy}", x.experiment);
        assert_eq!((x.mean_a, x.mean_b), (y.mean_b, y.mean_a));
        match x.outcome {
            Outcome::ABetter => assert_eq!(y.outcome, Outcome::BBetter, "{}", x.experiment),
            Outcome::BBetter => assert_eq!(y.outcome, Outcome::ABetter, "{}", x.experiment),
            _ => {}
        }
    }
    // The deep fully-connected net of G16: relu clearly ahead of sigmoid.
    let g16 = ab.settings.iter().find(|s| s.experiment.starts_with("g16")).unwrap();
    assert_eq!(g16.outcome, Outcome::ABetter, "{g16:?}");
}

#[test]
fn an_activation_without_runs_gives_no_settings() {
    let records = read_dir(Path::new(REFERENCE)).unwrap();
    let none = compare(&records, "relu", "no-such-activation", Metric::Final);
    assert!(none.settings.is_empty());
}
