//! XOR: the class is whether two uniform inputs have the same sign.

use super::split::shuffled_dataset;
use crate::dataset::{Dataset, InputShape, Targets, Task};
use crate::rng;

/// `n` points uniform in [-1, 1]^2; class 1 when the signs differ; Gaussian noise of standard
/// deviation `noise` is added to the inputs after labelling.
pub fn xor(n: usize, noise: f64, seed: u64, test_fraction: f64) -> Dataset {
    let mut rng = rng::seeded(seed, 2);
    let mut inputs = Vec::with_capacity(2 * n);
    let mut classes = Vec::with_capacity(n);
    for _ in 0..n {
        let (a, b) = (rng::uniform(&mut rng, -1.0, 1.0), rng::uniform(&mut rng, -1.0, 1.0));
        classes.push(usize::from((a > 0.0) != (b > 0.0)));
        inputs.push((a + noise * rng::normal(&mut rng)) as f32);
        inputs.push((b + noise * rng::normal(&mut rng)) as f32);
    }
    let source = format!("xor (n={n}, noise={noise})");
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
