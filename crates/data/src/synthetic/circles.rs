//! Two concentric circles, with scikit-learn's `make_circles` semantics.

use super::split::{scale_to_unit, shuffled_dataset};
use crate::dataset::{Dataset, InputShape, Targets, Task};
use crate::rng;

/// `n` points: `n / 2` on the outer circle (radius 1, class 0) and the rest on the inner circle
/// (radius `factor`, class 1), at evenly spaced angles, plus Gaussian noise of standard deviation
/// `noise` on each coordinate; inputs then scaled to [-1, 1].
pub fn two_circles(n: usize, noise: f64, factor: f64, seed: u64, test_fraction: f64) -> Dataset {
    let n_out = n / 2;
    let n_in = n - n_out;
    let mut rng = rng::seeded(seed, 1);
    let mut inputs = Vec::with_capacity(2 * n);
    let mut classes = Vec::with_capacity(n);
    for (count, radius, class) in [(n_out, 1.0, 0), (n_in, factor, 1)] {
        for i in 0..count {
            let angle = 2.0 * std::f64::consts::PI * i as f64 / count as f64;
            inputs.push((radius * angle.cos() + noise * rng::normal(&mut rng)) as f32);
            inputs.push((radius * angle.sin() + noise * rng::normal(&mut rng)) as f32);
            classes.push(class);
        }
    }
    scale_to_unit(&mut inputs, 2);
    let source = format!("two-circles (n={n}, noise={noise}, factor={factor}, scaled to [-1, 1])");
    shuffled_dataset(
        source,
        Task::Classification { classes: 2 },
        InputShape::Vector { features: 2 },
        inputs,
        Targets::Classes(classes),
        seed,
        test_fraction,
    )
}
