//! Training-time image augmentation on the host, from the seed: a random shift (the "random crop
//! with padding" of He et al. 2016: pad by `shift` pixels, crop back to the image size at a
//! random offset; pixels shifted in are 0) and a random horizontal flip (probability 1/2).
//!
//! Each image of a batch draws its offset and flip from the generator in order, so a seed gives
//! the same augmented batches on every backend and job count. Evaluation never augments.

use rand::RngExt;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

/// What to do to each training image. In TOML: `augment = { shift = 2, flip = true }`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Augment {
    /// Largest shift in pixels, each direction and axis (0: none).
    #[serde(default)]
    pub shift: usize,
    /// Mirror left-right with probability 1/2.
    #[serde(default)]
    pub flip: bool,
}

impl Augment {
    /// Whether it changes anything.
    pub fn is_identity(&self) -> bool {
        self.shift == 0 && !self.flip
    }

    /// Augments `images`, rows of `[channels, height, width]` values, in place, drawing from
    /// `rng` (per image: the vertical and horizontal offsets when `shift` > 0, then the flip when
    /// `flip`).
    pub fn apply(
        &self,
        images: &mut [f32],
        [channels, height, width]: [usize; 3],
        rng: &mut ChaCha8Rng,
    ) {
        let size = channels * height * width;
        if self.is_identity() || size == 0 {
            return;
        }
        let mut source = vec![0.0f32; size];
        let s = self.shift as i64;
        for image in images.chunks_exact_mut(size) {
            let (dy, dx) = if s > 0 {
                (rng.random_range(-s..=s) as isize, rng.random_range(-s..=s) as isize)
            } else {
                (0, 0)
            };
            let flip = self.flip && rng.random::<bool>();
            source.copy_from_slice(image);
            for c in 0..channels {
                for y in 0..height {
                    for x in 0..width {
                        // Output (y, x) shows input (y + dy, x' + dx), x' mirrored when flipped.
                        let x_in = if flip { width - 1 - x } else { x } as isize + dx;
                        let y_in = y as isize + dy;
                        let inside = (0..height as isize).contains(&y_in)
                            && (0..width as isize).contains(&x_in);
                        image[(c * height + y) * width + x] = if inside {
                            source[(c * height + y_in as usize) * width + x_in as usize]
                        } else {
                            0.0
                        };
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::seeded;

    fn image(h: usize, w: usize) -> Vec<f32> {
        (0..h * w).map(|i| i as f32 + 1.0).collect()
    }

    #[test]
    fn no_augmentation_leaves_images_and_the_generator_alone() {
        let mut x = image(3, 4);
        let mut rng = seeded(1, 2);
        Augment { shift: 0, flip: false }.apply(&mut x, [1, 3, 4], &mut rng);
        assert_eq!(x, image(3, 4));
        assert_eq!(rng.random::<u64>(), seeded(1, 2).random::<u64>());
    }

    #[test]
    fn a_flip_mirrors_rows_and_a_shift_moves_the_image_filling_zeros() {
        // Over many draws, every image is the original, shifted by at most 1 pixel and maybe
        // mirrored, with zeros shifted in; all 9 offsets and both flips occur.
        let (h, w) = (3, 4);
        let original = image(h, w);
        let mut seen = std::collections::BTreeSet::new();
        let mut rng = seeded(7, 3);
        for _ in 0..400 {
            let mut x = original.clone();
            Augment { shift: 1, flip: true }.apply(&mut x, [1, h, w], &mut rng);
            let matching = (-1isize..=1)
                .flat_map(|dy| (-1isize..=1).flat_map(move |dx| [(dy, dx, false), (dy, dx, true)]))
                .find(|&(dy, dx, flip)| {
                    (0..h).all(|y| {
                        (0..w).all(|xx| {
                            let xi = if flip { w - 1 - xx } else { xx } as isize + dx;
                            let yi = y as isize + dy;
                            let want =
                                if (0..h as isize).contains(&yi) && (0..w as isize).contains(&xi) {
                                    original[yi as usize * w + xi as usize]
                                } else {
                                    0.0
                                };
                            x[y * w + xx] == want
                        })
                    })
                });
            seen.insert(matching.expect("a shifted, maybe mirrored copy"));
        }
        assert_eq!(seen.len(), 18, "{seen:?}");
    }

    #[test]
    fn the_same_seed_gives_the_same_batch() {
        let batch: Vec<f32> = (0..2 * 3 * 5 * 5).map(|i| i as f32).collect();
        let run = || {
            let mut x = batch.clone();
            Augment { shift: 2, flip: true }.apply(&mut x, [3, 5, 5], &mut seeded(4, 9));
            x
        };
        assert_eq!(run(), run());
        assert_ne!(run(), batch);
    }
}
