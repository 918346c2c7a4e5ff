//! A smooth nonlinear regression task whose targets lie well outside (0, 1), so a sigmoid output
//! cannot reach them (G15).

use super::split::shuffled_dataset;
use crate::dataset::{Dataset, InputShape, Targets, Task};
use crate::rng;

/// `n` samples of `features` inputs uniform in [-1, 1]; target
/// `y = 3 sin(2 x_0) + 2 x_1^2 + sum_j x_j - 1` plus Gaussian noise of standard deviation `noise`
/// (roughly in [-6, 6]).
pub fn regression(n: usize, features: usize, noise: f64, seed: u64, test_fraction: f64) -> Dataset {
    let mut rng = rng::seeded(seed, 6);
    let mut inputs = Vec::with_capacity(n * features);
    let mut values = Vec::with_capacity(n);
    for _ in 0..n {
        let x: Vec<f64> = (0..features).map(|_| rng::uniform(&mut rng, -1.0, 1.0)).collect();
        let x1 = x.get(1).copied().unwrap_or(0.0);
        let y = 3.0 * (2.0 * x[0]).sin() + 2.0 * x1 * x1 + x.iter().sum::<f64>() - 1.0
            + noise * rng::normal(&mut rng);
        values.push(y as f32);
        inputs.extend(x.iter().map(|&v| v as f32));
    }
    let source = format!("regression (n={n}, features={features}, noise={noise})");
    let input = InputShape::Vector { features };
    shuffled_dataset(
        source,
        Task::Regression { outputs: 1 },
        input,
        inputs,
        Targets::Values { values, width: 1 },
        seed,
        test_fraction,
    )
}
