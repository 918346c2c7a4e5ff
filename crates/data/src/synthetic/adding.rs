//! The adding problem (Hochreiter & Schmidhuber 1997): a sequence of (value, marker) pairs; the
//! target is the sum of the two marked values. A long-memory test for recurrent nets.

use rand::RngExt;

use super::split::shuffled_dataset;
use crate::dataset::{Dataset, InputShape, Targets, Task};
use crate::rng;

/// `n` sequences of `steps` steps, 2 features per step: a value uniform in [0, 1] and a marker
/// that is 1 at exactly two steps (one in each half of the sequence) and 0 elsewhere. Target: the
/// sum of the two marked values, in [0, 2]. Predicting the mean (1) gives MSE 1/6.
pub fn adding(n: usize, steps: usize, seed: u64, test_fraction: f64) -> Dataset {
    let mut rng = rng::seeded(seed, 4);
    let mut inputs = Vec::with_capacity(n * steps * 2);
    let mut targets = Vec::with_capacity(n);
    let half = steps / 2;
    for _ in 0..n {
        let first = rng.random_range(0..half);
        let second = rng.random_range(half..steps);
        let mut sum = 0.0;
        for t in 0..steps {
            let value = rng::uniform(&mut rng, 0.0, 1.0);
            let marked = t == first || t == second;
            if marked {
                sum += value;
            }
            inputs.push(value as f32);
            inputs.push(if marked { 1.0 } else { 0.0 });
        }
        targets.push(sum as f32);
    }
    let source = format!("adding problem (n={n}, steps={steps})");
    let input = InputShape::Sequence { steps, features: 2 };
    shuffled_dataset(
        source,
        Task::Regression { outputs: 1 },
        input,
        inputs,
        Targets::Values { values: targets, width: 1 },
        seed,
        test_fraction,
    )
}
