//! A small procedurally generated 10-class image task (28x28, one channel, like MNIST), so the
//! CNN and the sequence models have a real job without any files.

use super::split::shuffled_dataset;
use crate::dataset::{Dataset, InputShape, Targets, Task};
use crate::rng;

/// Image side, in pixels.
pub const SIDE: usize = 28;

/// Class names, in class-index order.
pub const CLASSES: [&str; 10] = [
    "horizontal bar",
    "vertical bar",
    "falling diagonal",
    "rising diagonal",
    "ring",
    "disk",
    "plus",
    "cross",
    "double bar",
    "square",
];

/// `n` images, classes balanced; each shape is drawn at a random offset (+-4 px), scale
/// (0.7-1.2), rotation (+-0.3 rad), stroke width (1.2-2.5 px) and brightness (0.6-1), with
/// Gaussian pixel noise of standard deviation `noise`; pixels in [0, 1].
pub fn images(n: usize, noise: f64, seed: u64, test_fraction: f64) -> Dataset {
    let mut rng = rng::seeded(seed, 7);
    let mut inputs = Vec::with_capacity(n * SIDE * SIDE);
    let mut classes = Vec::with_capacity(n);
    for i in 0..n {
        let class = i % CLASSES.len();
        let cx = 13.5 + rng::uniform(&mut rng, -4.0, 4.0);
        let cy = 13.5 + rng::uniform(&mut rng, -4.0, 4.0);
        let scale = rng::uniform(&mut rng, 0.7, 1.2);
        let (sin, cos) = rng::uniform(&mut rng, -0.3, 0.3).sin_cos();
        let stroke = rng::uniform(&mut rng, 1.2, 2.5);
        let brightness = rng::uniform(&mut rng, 0.6, 1.0);
        for row in 0..SIDE {
            for col in 0..SIDE {
                // Shape coordinates: centred, unrotated, unscaled.
                let (dx, dy) = (col as f64 - cx, row as f64 - cy);
                let x = (cos * dx + sin * dy) / scale;
                let y = (-sin * dx + cos * dy) / scale;
                let d = distance(class, x, y) * scale;
                let ink = (stroke - d + 0.5).clamp(0.0, 1.0) * brightness;
                let pixel = ink + noise * rng::normal(&mut rng);
                inputs.push(pixel.clamp(0.0, 1.0) as f32);
            }
        }
        classes.push(class);
    }
    let source = format!("built-in images (n={n}, 10 shape classes, 28x28, noise={noise})");
    let input = InputShape::Image { channels: 1, height: SIDE, width: SIDE };
    shuffled_dataset(
        source,
        Task::Classification { classes: CLASSES.len() },
        input,
        inputs,
        Targets::Classes(classes),
        seed,
        test_fraction,
    )
}

/// Distance from (x, y) to the stroke of shape `class` (shapes span about +-8 px).
fn distance(class: usize, x: f64, y: f64) -> f64 {
    let segment = |ax: f64, ay: f64, bx: f64, by: f64| {
        let (vx, vy) = (bx - ax, by - ay);
        let t = (((x - ax) * vx + (y - ay) * vy) / (vx * vx + vy * vy)).clamp(0.0, 1.0);
        ((x - ax - t * vx).powi(2) + (y - ay - t * vy).powi(2)).sqrt()
    };
    let r = (x * x + y * y).sqrt();
    match class {
        0 => segment(-8.0, 0.0, 8.0, 0.0),
        1 => segment(0.0, -8.0, 0.0, 8.0),
        2 => segment(-6.0, -6.0, 6.0, 6.0),
        3 => segment(-6.0, 6.0, 6.0, -6.0),
        4 => (r - 7.0).abs(),
        5 => (r - 5.0).max(0.0),
        6 => segment(-8.0, 0.0, 8.0, 0.0).min(segment(0.0, -8.0, 0.0, 8.0)),
        7 => segment(-6.0, -6.0, 6.0, 6.0).min(segment(-6.0, 6.0, 6.0, -6.0)),
        8 => segment(-8.0, -4.0, 8.0, -4.0).min(segment(-8.0, 4.0, 8.0, 4.0)),
        _ => (x.abs().max(y.abs()) - 7.0).abs(),
    }
}
