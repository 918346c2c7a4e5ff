//! Two interleaved spirals (the classic hard binary task for shallow networks).

use super::split::{scale_to_unit, shuffled_dataset};
use crate::dataset::{Dataset, InputShape, Targets, Task};
use crate::rng;

/// `n` points on two spirals of 1.5 turns each, the second rotated by pi; radius grows linearly;
/// Gaussian noise of standard deviation `noise` (relative to the outer radius 1); inputs scaled
/// to [-1, 1].
pub fn spirals(n: usize, noise: f64, seed: u64, test_fraction: f64) -> Dataset {
    let mut rng = rng::seeded(seed, 3);
    let mut inputs = Vec::with_capacity(2 * n);
    let mut classes = Vec::with_capacity(n);
    for i in 0..n {
        let class = i % 2;
        let t = rng::uniform(&mut rng, 0.05, 1.0);
        let angle = t * 3.0 * std::f64::consts::PI + class as f64 * std::f64::consts::PI;
        inputs.push((t * angle.cos() + noise * rng::normal(&mut rng)) as f32);
        inputs.push((t * angle.sin() + noise * rng::normal(&mut rng)) as f32);
        classes.push(class);
    }
    scale_to_unit(&mut inputs, 2);
    let source = format!("spirals (n={n}, noise={noise}, scaled to [-1, 1])");
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
