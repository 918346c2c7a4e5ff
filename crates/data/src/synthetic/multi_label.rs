//! A multi-label task: several independent yes/no labels per sample.

use super::split::shuffled_dataset;
use crate::dataset::{Dataset, InputShape, Targets, Task};
use crate::rng;

/// `n` samples of `features` standard-normal inputs; label j is on when a fixed random
/// projection `w_j . x + 0.5 * x_j^2 - 0.5` is positive (so labels overlap and are not mutually
/// exclusive: softmax is the wrong output for them).
pub fn multi_label(
    n: usize,
    features: usize,
    labels: usize,
    seed: u64,
    test_fraction: f64,
) -> Dataset {
    let mut rng = rng::seeded(seed, 5);
    let weights: Vec<f64> = (0..labels * features).map(|_| rng::normal(&mut rng)).collect();
    let mut inputs = Vec::with_capacity(n * features);
    let mut values = Vec::with_capacity(n * labels);
    for _ in 0..n {
        let x: Vec<f64> = (0..features).map(|_| rng::normal(&mut rng)).collect();
        for j in 0..labels {
            let projection: f64 =
                (0..features).map(|f| weights[j * features + f] * x[f]).sum::<f64>()
                    / (features as f64).sqrt();
            let quadratic = 0.5 * x[j % features].powi(2) - 0.5;
            values.push(if projection + quadratic > 0.0 { 1.0 } else { 0.0 });
        }
        inputs.extend(x.iter().map(|&v| v as f32));
    }
    let source = format!("multi-label (n={n}, features={features}, labels={labels})");
    let input = InputShape::Vector { features };
    shuffled_dataset(
        source,
        Task::MultiLabel { labels },
        input,
        inputs,
        Targets::Values { values, width: labels },
        seed,
        test_fraction,
    )
}
