//! Dropout during training, off at evaluation: standard (Srivastava et al. 2014, zero a unit
//! with probability `rate` and scale the rest by `1 / (1 - rate)`) or alpha-dropout (Klambauer et
//! al., "Self-Normalizing Neural Networks", 2017: a dropped unit takes SELU's saturation value
//! `-lambda * alpha`, then an affine map restores mean 0 and variance 1).
//!
//! Masks are drawn on the host from the cell's seeded [`DropoutRng`], not from the backend's
//! generator: one seed gives every activation, backend and job count the same masks, like it
//! gives them the same data and batch order.

use burn::prelude::*;
use burn::tensor::TensorData;
use rand::RngExt;
use rand_chacha::ChaCha8Rng;

/// SELU's lambda * alpha: a dropped unit of alpha-dropout becomes `-LAMBDA_ALPHA`.
const LAMBDA_ALPHA: f64 = 1.050_700_987_355_480_5 * 1.673_263_242_354_377_2;

/// The masks of one training run (stream 20 of the cell's seed).
pub struct DropoutRng(ChaCha8Rng);

impl DropoutRng {
    /// The generator for a cell with seed `seed`.
    pub fn new(seed: u64) -> Self {
        Self(actbench_data::rng::seeded(seed, 20))
    }
}

/// A dropout layer; `rate = 0` is the identity.
#[derive(Module, Debug)]
pub struct Dropout {
    /// Probability of dropping a unit, in `[0, 1)`.
    pub rate: f64,
    /// Alpha-dropout instead of standard dropout.
    pub alpha: bool,
}

impl Dropout {
    /// A layer dropping units with probability `rate`.
    pub fn new(rate: f64, alpha: bool) -> Self {
        Self { rate, alpha }
    }

    /// Applies dropout when `rng` is given (training); returns `x` unchanged otherwise.
    pub fn forward<const D: usize>(&self, x: Tensor<D>, rng: Option<&mut DropoutRng>) -> Tensor<D> {
        let Some(DropoutRng(rng)) = rng else { return x };
        if self.rate == 0.0 {
            return x;
        }
        let shape = x.shape();
        let device = x.device();
        let keep = 1.0 - self.rate;
        let kept: Vec<bool> =
            (0..shape.num_elements()).map(|_| rng.random::<f64>() < keep).collect();
        let tensor = |values: Vec<f32>| {
            Tensor::<D>::from_data(TensorData::new(values, shape.clone()), &device)
        };
        if !self.alpha {
            let scale = (1.0 / keep) as f32;
            return x * tensor(kept.iter().map(|&k| if k { scale } else { 0.0 }).collect());
        }
        // y = a (x m + a' (1 - m)) + b with a' = -lambda alpha, a = (q + a'^2 q (1 - q))^(-1/2),
        // b = -a a' (1 - q), q the keep probability: mean 0 and variance 1 in, the same out.
        let dropped = -LAMBDA_ALPHA;
        let a = (keep + dropped * dropped * keep * (1.0 - keep)).powf(-0.5);
        let b = -a * dropped * (1.0 - keep);
        let scale = kept.iter().map(|&k| if k { a as f32 } else { 0.0 }).collect();
        let shift =
            kept.iter().map(|&k| if k { b as f32 } else { (a * dropped + b) as f32 }).collect();
        x * tensor(scale) + tensor(shift)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn device() -> Device {
        Device::flex()
    }

    /// Standard normal samples from a fixed seed.
    fn normal(n: usize) -> Tensor<1> {
        let mut rng = actbench_data::rng::seeded(7, 0);
        let values: Vec<f32> =
            (0..n).map(|_| actbench_data::rng::normal(&mut rng) as f32).collect();
        Tensor::from_data(TensorData::new(values, [n]), &device())
    }

    fn moments(t: Tensor<1>) -> (f64, f64) {
        let v: Vec<f64> = t.into_data().iter::<f64>().collect();
        let mean = v.iter().sum::<f64>() / v.len() as f64;
        (mean, v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / v.len() as f64)
    }

    #[test]
    fn evaluation_leaves_inputs_alone() {
        let x = normal(1000);
        for alpha in [false, true] {
            let y = Dropout::new(0.5, alpha).forward(x.clone(), None);
            assert_eq!(y.into_data(), x.clone().into_data());
        }
        let mut rng = DropoutRng::new(1);
        let y = Dropout::new(0.0, false).forward(x.clone(), Some(&mut rng));
        assert_eq!(y.into_data(), x.into_data());
    }

    #[test]
    fn standard_dropout_zeroes_a_share_and_keeps_the_mean() {
        let x = Tensor::<1>::ones([100_000], &device());
        let mut rng = DropoutRng::new(3);
        let v: Vec<f32> = Dropout::new(0.25, false)
            .forward(x, Some(&mut rng))
            .into_data()
            .try_to_vec::<f32>()
            .unwrap();
        let zeros = v.iter().filter(|&&y| y == 0.0).count() as f64 / v.len() as f64;
        assert!((zeros - 0.25).abs() < 0.01, "{zeros}");
        assert!(v.iter().all(|&y| y == 0.0 || (y - 1.0 / 0.75).abs() < 1e-6));
        let mean = v.iter().map(|&y| y as f64).sum::<f64>() / v.len() as f64;
        assert!((mean - 1.0).abs() < 0.01, "{mean}");
    }

    #[test]
    fn alpha_dropout_keeps_mean_zero_and_variance_one() {
        for rate in [0.05, 0.1, 0.25] {
            let mut rng = DropoutRng::new(5);
            let y = Dropout::new(rate, true).forward(normal(200_000), Some(&mut rng));
            let (mean, variance) = moments(y);
            assert!(mean.abs() < 0.01, "rate {rate}: mean {mean}");
            assert!((variance - 1.0).abs() < 0.02, "rate {rate}: variance {variance}");
        }
        // Standard dropout does not: it inflates the variance by 1 / (1 - rate).
        let mut rng = DropoutRng::new(5);
        let (_, variance) =
            moments(Dropout::new(0.25, false).forward(normal(200_000), Some(&mut rng)));
        assert!((variance - 1.0 / 0.75).abs() < 0.03, "{variance}");
    }

    #[test]
    fn masks_follow_the_seed() {
        let x = normal(64);
        let draw = |seed| {
            Dropout::new(0.5, false)
                .forward(x.clone(), Some(&mut DropoutRng::new(seed)))
                .into_data()
        };
        assert_eq!(draw(1), draw(1));
        assert_ne!(draw(1), draw(2));
    }
}
