//! What every generator shares: feature scaling and the shuffled train/test split.

use crate::dataset::{Dataset, InputShape, Split, Targets, Task};
use crate::rng;

/// Min-max scales every feature of row-major `inputs` to [-1, 1].
pub(crate) fn scale_to_unit(inputs: &mut [f32], size: usize) {
    for f in 0..size {
        let column = inputs.iter().skip(f).step_by(size);
        let lo = column.clone().fold(f32::INFINITY, |a, &b| a.min(b));
        let hi = column.fold(f32::NEG_INFINITY, |a, &b| a.max(b));
        let span = if hi > lo { hi - lo } else { 1.0 };
        for v in inputs.iter_mut().skip(f).step_by(size) {
            *v = 2.0 * (*v - lo) / span - 1.0;
        }
    }
}

/// Shuffles samples with `seed` and splits them into train and test.
pub(crate) fn shuffled_dataset(
    source: String,
    task: Task,
    input: InputShape,
    inputs: Vec<f32>,
    targets: Targets,
    seed: u64,
    test_fraction: f64,
) -> Dataset {
    let all = Split { inputs, targets };
    let order = rng::permutation(&mut rng::seeded(seed, 99), all.len());
    let shuffled = all.subset(&order, input.size());
    Dataset::from_samples(source, task, input, shuffled, test_fraction)
}
