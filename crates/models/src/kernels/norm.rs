//! Batch normalisation over the channels of an NCHW batch (Ioffe and Szegedy, "Batch
//! Normalization: Accelerating Deep Network Training by Reducing Internal Covariate Shift", ICML
//! 2015), on slices: the statistics in one pass over x (each plane's mean and squared deviations
//! about it, from the core's cache), the output in one pass, and the backward pass in two.
//!
//! With `x̂ = (x - μ) / sqrt(σ² + ε)` per channel (μ and the biased σ² over the batch and the
//! image):
//! - forward: `y = γ x̂ + β`;
//! - backward: `dβ = Σ dy`, `dγ = Σ dy x̂`, and
//!   `dx = γ / sqrt(σ² + ε) (dy - mean(dy) - x̂ mean(dy x̂))` (the statistics' own derivatives
//!   included: the gradient of burn's `batch_norm_train`).
//!
//! Sums run over each channel plane in independent partial sums of the element type
//! ([`plane_sum`]), then over a channel's planes in float64, in image order: the same bits for any
//! number of threads. burn's version takes two reductions over transposed copies forward and six
//! element-wise passes and four reductions backward.

use actbench_activations::fused::filled;
use rayon::prelude::*;

use super::real::{Real, plane_sum};

/// Elements per rayon task of the element-wise passes (whole images).
const TASK_ELEMENTS: usize = 1 << 14;

/// `[batch, channels, plane]`: a batch of images, `plane` positions per channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NormShape {
    pub batch: usize,
    pub channels: usize,
    pub plane: usize,
}

impl NormShape {
    /// The plane of image `n` and channel `c`.
    fn plane<'a, E>(&self, values: &'a [E], n: usize, c: usize) -> &'a [E] {
        &values[(n * self.channels + c) * self.plane..][..self.plane]
    }

    /// `sum(n, c)` for every plane, as `[image][channel]`: in parallel over images, in memory
    /// order (reading one channel's planes across the batch instead, a jump after every plane, had
    /// made the backward pass's sums 8% of a ResNet step).
    fn plane_sums<const K: usize>(
        &self,
        sum: impl Fn(usize, usize) -> [f64; K] + Sync,
    ) -> Vec<[f64; K]> {
        let mut sums = vec![[0.0; K]; self.batch * self.channels];
        sums.par_chunks_mut(self.channels.max(1)).enumerate().for_each(|(n, image)| {
            image.iter_mut().enumerate().for_each(|(c, s)| *s = sum(n, c));
        });
        sums
    }

    /// Channel `c`'s values of [`NormShape::plane_sums`], image by image: callers add them in
    /// this fixed order, so the statistics have the same bits for any number of threads.
    fn channel<const K: usize>(
        &self,
        sums: &[[f64; K]],
        c: usize,
    ) -> impl Iterator<Item = [f64; K]> {
        sums[c..].iter().step_by(self.channels.max(1)).copied()
    }

    /// Elements per rayon task of the element-wise passes: whole images, about
    /// [`TASK_ELEMENTS`].
    fn task(&self) -> usize {
        let image = self.channels * self.plane;
        (TASK_ELEMENTS / image.max(1)).max(1) * image
    }

    /// Calls `each(channel, start, end)` for the channel runs of a task's elements.
    fn runs(&self, len: usize, mut each: impl FnMut(usize, usize, usize)) {
        for (i, start) in (0..len).step_by(self.plane.max(1)).enumerate() {
            each(i % self.channels, start, start + self.plane);
        }
    }

    /// Values per channel.
    fn count(&self) -> f64 {
        (self.batch * self.plane) as f64
    }
}

/// Per channel: the mean and the biased variance of `x`, as `[means..., variances...]`. Each
/// plane gives its mean and its squared deviations about that mean `M2` (two reads of the plane,
/// the second from the core's cache), and the planes combine in image order as in Chan, Golub and
/// LeVeque's pairwise update ("Algorithms for computing the sample variance", 1983):
/// `M2 = Σ (M2_p + len (μ_p - μ)²)`, as exact as two passes over the channel.
pub fn stats<E: Real>(s: NormShape, x: &[E]) -> Vec<E> {
    let len = s.plane as f64;
    let plane_stats = |n, c| {
        let p = s.plane(x, n, c);
        let mean = plane_sum(p.len(), |i| p[i]) / len;
        let m = E::from_f64(mean);
        // Σ (x - m)² = M2 + len (μ_p - m)², with m the plane mean rounded to E.
        let shift = mean - m.to_f64();
        [mean, plane_sum(p.len(), |i| (p[i] - m) * (p[i] - m)) - len * shift * shift]
    };
    let sums = s.plane_sums(plane_stats);
    let per_channel: Vec<(f64, f64)> = (0..s.channels)
        .map(|c| {
            let mean = s.channel(&sums, c).map(|[m, _]| m).sum::<f64>() / s.batch as f64;
            let m2 = s.channel(&sums, c).map(|[m, m2]| m2 + len * (m - mean) * (m - mean));
            (mean, m2.sum::<f64>() / s.count())
        })
        .collect();
    let means = per_channel.iter().map(|&(mean, _)| E::from_f64(mean));
    means.chain(per_channel.iter().map(|&(_, var)| E::from_f64(var))).collect()
}

/// `1 / sqrt(σ² + ε)` per channel.
fn inverse_std<E: Real>(var: &[E], epsilon: f64) -> Vec<f64> {
    var.iter().map(|v| 1.0 / (v.to_f64() + epsilon).sqrt()).collect()
}

/// `γ (x - μ) / sqrt(σ² + ε) + β`, with `stats` as [`stats`] returns them.
pub fn forward<E: Real>(
    s: NormShape,
    x: &[E],
    stats: &[E],
    gamma: &[E],
    beta: &[E],
    epsilon: f64,
) -> Vec<E> {
    let (mean, var) = stats.split_at(s.channels);
    let inv = inverse_std(var, epsilon);
    let scale: Vec<E> = gamma.iter().zip(&inv).map(|(g, i)| E::from_f64(g.to_f64() * i)).collect();
    filled(
        x.len(),
        0,
        s.task(),
        || (),
        |_, i, out| {
            let x = &x[i * s.task()..][..out.len()];
            s.runs(x.len(), |c, start, end| {
                let (m, a, b) = (mean[c], scale[c], beta[c]);
                for (y, &x) in out[start..end].iter_mut().zip(&x[start..end]) {
                    *y = (x - m) * a + b;
                }
            })
        },
    )
}

/// `[dx..., dγ..., dβ...]` from x, the output gradient `grad` and the forward pass's `stats`.
pub fn backward<E: Real>(
    s: NormShape,
    x: &[E],
    grad: &[E],
    stats: &[E],
    gamma: &[E],
    epsilon: f64,
) -> Vec<E> {
    let (mean, var) = stats.split_at(s.channels);
    let inv = inverse_std(var, epsilon);
    // Per channel: Σ dy and Σ dy (x - μ).
    let plane_sums = |n, c| {
        let (x, g, m) = (s.plane(x, n, c), s.plane(grad, n, c), mean[c]);
        [plane_sum(x.len(), |i| g[i]), plane_sum(x.len(), |i| g[i] * (x[i] - m))]
    };
    let per_plane = s.plane_sums(plane_sums);
    let sums: Vec<(f64, f64)> = (0..s.channels)
        .map(|c| s.channel(&per_plane, c).fold((0.0, 0.0), |(dy, dyx), [g, gx]| (dy + g, dyx + gx)))
        .collect();
    let n = s.count();
    // dx = a dy + b (x - μ) + k per channel, with a = γ/std, b = -a mean(dy x̂)/std, k = -a mean(dy).
    let coefficients: Vec<[E; 3]> = (0..s.channels)
        .map(|c| {
            let (dy, dyx) = sums[c];
            let a = gamma[c].to_f64() * inv[c];
            let mean_dy_xhat = dyx * inv[c] / n;
            [a, -a * mean_dy_xhat * inv[c], -a * dy / n].map(E::from_f64)
        })
        .collect();
    let task = s.task();
    let mut out = filled(
        x.len(),
        2 * s.channels,
        task,
        || (),
        |_, i, dx| {
            let (x, g) = (&x[i * task..][..dx.len()], &grad[i * task..][..dx.len()]);
            s.runs(x.len(), |c, start, end| {
                let ([a, b, k], m) = (coefficients[c], mean[c]);
                let (x, g) = (&x[start..end], &g[start..end]);
                for ((d, &x), &g) in dx[start..end].iter_mut().zip(x).zip(g) {
                    *d = a * g + b * (x - m) + k;
                }
            })
        },
    );
    // dγ, then dβ, in the room `filled` left after dx
    out.extend((0..s.channels).map(|c| E::from_f64(sums[c].1 * inv[c])));
    out.extend((0..s.channels).map(|c| E::from_f64(sums[c].0)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(n: usize, seed: u64, offset: f64) -> Vec<f64> {
        (0..n)
            .map(|i| (((i as u64 * 2654435761 + seed * 97) % 1000) as f64 / 250.0) - 2.0 + offset)
            .collect()
    }

    /// The textbook formulas, one channel at a time, in float64.
    fn naive(s: NormShape, x: &[f64], dy: &[f64], gamma: &[f64], eps: f64) -> [Vec<f64>; 4] {
        let index = |n: usize, c: usize, p: usize| (n * s.channels + c) * s.plane + p;
        let (mut y, mut dx) = (vec![0.0; x.len()], vec![0.0; x.len()]);
        let (mut dgamma, mut dbeta) = (vec![0.0; s.channels], vec![0.0; s.channels]);
        let count = s.count();
        for c in 0..s.channels {
            let all = || (0..s.batch).flat_map(move |n| (0..s.plane).map(move |p| index(n, c, p)));
            let mean = all().map(|i| x[i]).sum::<f64>() / count;
            let var = all().map(|i| (x[i] - mean).powi(2)).sum::<f64>() / count;
            let std = (var + eps).sqrt();
            let xhat = |i: usize| (x[i] - mean) / std;
            dbeta[c] = all().map(|i| dy[i]).sum();
            dgamma[c] = all().map(|i| dy[i] * xhat(i)).sum();
            for i in all() {
                y[i] = gamma[c] * xhat(i) + 0.5;
                dx[i] = gamma[c] / std * (dy[i] - dbeta[c] / count - xhat(i) * dgamma[c] / count);
            }
        }
        [y, dx, dgamma, dbeta]
    }

    #[test]
    fn matches_the_textbook_formulas() {
        for s in [
            NormShape { batch: 3, channels: 4, plane: 37 },
            NormShape { batch: 1, channels: 1, plane: 5 },
            NormShape { batch: 8, channels: 2, plane: 64 },
        ] {
            let len = s.batch * s.channels * s.plane;
            // Channels far from zero: the centred forms must not cancel.
            let x = values(len, 1, 100.0);
            let dy = values(len, 2, 0.3);
            let gamma = values(s.channels, 3, 1.0);
            let eps = 1e-5;
            let [y_want, dx_want, dgamma_want, dbeta_want] = naive(s, &x, &dy, &gamma, eps);
            let st = stats(s, &x);
            let y = forward(s, &x, &st, &gamma, &vec![0.5; s.channels], eps);
            let grads = backward(s, &x, &dy, &st, &gamma, eps);
            let (dx, rest) = grads.split_at(len);
            let (dgamma, dbeta) = rest.split_at(s.channels);
            for (what, ours, want) in [
                ("y", &y[..], &y_want[..]),
                ("dx", dx, &dx_want[..]),
                ("dgamma", dgamma, &dgamma_want[..]),
                ("dbeta", dbeta, &dbeta_want[..]),
            ] {
                let scale = want.iter().fold(1.0f64, |m, v| m.max(v.abs()));
                for (i, (a, b)) in ours.iter().zip(want).enumerate() {
                    assert!((a - b).abs() <= 1e-12 * scale, "{s:?} {what}[{i}]: {a} vs {b}");
                }
            }
            // Float32: the same within float32 rounding.
            let x32: Vec<f32> = x.iter().map(|&v| v as f32).collect();
            let st32 = stats(s, &x32);
            for c in 0..s.channels {
                assert!((st32[c] as f64 - st[c]).abs() < 1e-5 * st[c].abs().max(1.0));
                let (v32, v) = (st32[s.channels + c] as f64, st[s.channels + c]);
                assert!((v32 - v).abs() < 1e-4 * v, "variance {v32} vs {v}");
            }
        }
    }

    #[test]
    fn the_statistics_and_gradients_do_not_depend_on_the_thread_count() {
        let s = NormShape { batch: 13, channels: 5, plane: 23 };
        let len = s.batch * s.channels * s.plane;
        let x: Vec<f32> = values(len, 1, 3.0).iter().map(|&v| v as f32).collect();
        let dy: Vec<f32> = values(len, 2, 0.1).iter().map(|&v| v as f32).collect();
        let gamma = vec![1.5f32; s.channels];
        let on = |threads| {
            rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap().install(|| {
                let st = stats(s, &x);
                let grads = backward(s, &x, &dy, &st, &gamma, 1e-5);
                (st, grads)
            })
        };
        let one = on(1);
        for threads in [2, 3, 8] {
            assert_eq!(on(threads), one, "{threads} threads");
        }
    }
}
