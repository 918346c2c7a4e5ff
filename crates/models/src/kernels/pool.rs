//! 2x2 max-pooling with stride 2 (our CNN's only kind), on slices in NCHW order, forward and
//! backward in one pass each.
//!
//! Odd heights and widths drop their last row or column, as burn's and PyTorch's pooling do.
//! Within a window the maximum is the first largest element in row-major order, and a NaN wins
//! (the last NaN when there are several), exactly burn's rule: the gradient goes to the same
//! element burn's pooling sends it to. Backward does not keep indices: it finds the maximum
//! again in x, which costs one read of x and no stored index tensor.

use actbench_activations::fused::filled;

use super::real::Real;

/// Elements per rayon task (whole channel planes are never split).
const TASK_ELEMENTS: usize = 1 << 14;

/// `[planes, height, width]` in, `[planes, height / 2, width / 2]` out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolShape {
    /// Batch times channels.
    pub planes: usize,
    pub height: usize,
    pub width: usize,
}

impl PoolShape {
    pub fn out_height(&self) -> usize {
        self.height / 2
    }

    pub fn out_width(&self) -> usize {
        self.width / 2
    }

    fn plane_in(&self) -> usize {
        self.height * self.width
    }

    fn plane_out(&self) -> usize {
        self.out_height() * self.out_width()
    }

    /// Planes per rayon task.
    fn planes_per_task(&self) -> usize {
        (TASK_ELEMENTS / self.plane_in().max(1)).max(1)
    }

    /// For each output row: the two input rows it pools (row-major, `width` each).
    fn row_pairs<'a, E>(&self, plane: &'a [E]) -> impl Iterator<Item = (&'a [E], &'a [E])> {
        plane.chunks_exact(2 * self.width).map(|rows| rows.split_at(self.width))
    }
}

/// The maximum of a window's four elements `[top-left, top-right, bottom-left, bottom-right]`
/// by burn's rule: a later element wins only when larger, or when NaN.
#[inline(always)]
fn window_max<E: Real>(w: [E; 4]) -> E {
    let mut max = w[0];
    for &v in &w[1..] {
        max = if (v > max) | v.is_nan() { v } else { max };
    }
    max
}

/// Which element [`window_max`] picked: the first equal to the maximum, or the last NaN.
/// Arithmetic on the comparisons, no branches: with real data they are unpredictable, and a
/// branchy version made the backward pass 8x slower.
#[inline(always)]
fn winner<E: Real>(w: [E; 4]) -> usize {
    let max = window_max(w);
    let [e0, e1, e2, _] = w.map(|v| (v == max) as usize);
    let first_equal = (1 - e0) * (1 + (1 - e1) * (1 + (1 - e2)));
    let [n0, n1, n2, n3] = w.map(|v| v.is_nan() as usize);
    let last_nan = n3 * 3 + (1 - n3) * (n2 * 2 + (1 - n2) * n1);
    let any_nan = n0 | n1 | n2 | n3;
    any_nan * last_nan + (1 - any_nan) * first_equal
}

/// `out[p, oh, ow] = max of x[p, 2oh..2oh+2, 2ow..2ow+2]`, `[planes, height / 2, width / 2]`.
pub fn forward<E: Real>(s: PoolShape, x: &[E]) -> Vec<E> {
    let per_task = s.planes_per_task();
    let out_len = s.planes * s.plane_out();
    filled(
        out_len,
        0,
        s.plane_out() * per_task,
        || (),
        |_, i, out| {
            let x = &x[i * s.plane_in() * per_task..];
            for (out, plane) in out.chunks_mut(s.plane_out()).zip(x.chunks(s.plane_in())) {
                for (out, (top, bottom)) in out.chunks_mut(s.out_width()).zip(s.row_pairs(plane)) {
                    let pairs = top.chunks_exact(2).zip(bottom.chunks_exact(2));
                    for (o, (t, b)) in out.iter_mut().zip(pairs) {
                        *o = window_max([t[0], t[1], b[0], b[1]]);
                    }
                }
            }
        },
    )
}

/// `dx`, `[planes, height, width]`: each window's gradient at its maximum, zero elsewhere
/// (including the rows and columns no window covers, with odd sizes: [`filled`] hands out its
/// chunks zeroed).
pub fn backward<E: Real>(s: PoolShape, x: &[E], grad: &[E]) -> Vec<E> {
    let per_task = s.planes_per_task();
    let (w, ow) = (s.width, s.out_width());
    filled(
        s.planes * s.plane_in(),
        0,
        s.plane_in() * per_task,
        || (),
        |_, i, dx| {
            if s.plane_out() == 0 {
                return;
            }
            let x = &x[i * s.plane_in() * per_task..];
            let grad = &grad[i * s.plane_out() * per_task..];
            let planes = dx.chunks_mut(s.plane_in()).zip(x.chunks(s.plane_in()));
            for ((dx, plane), grad) in planes.zip(grad.chunks(s.plane_out())) {
                let dx_pairs = dx.chunks_exact_mut(2 * w);
                for ((d, (top, bottom)), g) in dx_pairs.zip(s.row_pairs(plane)).zip(grad.chunks(ow))
                {
                    let windows = top.chunks_exact(2).zip(bottom.chunks_exact(2));
                    for (j, ((t, b), &g)) in windows.zip(g).enumerate() {
                        let at = winner([t[0], t[1], b[0], b[1]]);
                        // Element `at` of window j: row at / 2 of the pair, column 2j + at % 2.
                        d[(at >> 1) * w + 2 * j + (at & 1)] = g;
                    }
                }
            }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_the_first_maximum_lets_nan_win_and_drops_odd_edges() {
        let s = PoolShape { planes: 1, height: 3, width: 5 };
        let nan = f32::NAN;
        #[rustfmt::skip]
        let x = [
            1.0, 2.0,   5.0, 5.0,   9.0,
            2.0, 0.0,   nan, 1.0,   9.0,
            7.0, 7.0,   7.0, 7.0,   7.0,
        ];
        let out = forward(s, &x);
        assert_eq!(out[0], 2.0);
        assert!(out[1].is_nan());
        let dx = backward(s, &x, &[10.0, 20.0]);
        #[rustfmt::skip]
        let expected = [
            0.0, 10.0,  0.0, 0.0,   0.0,
            0.0, 0.0,   20.0, 0.0,  0.0,
            0.0, 0.0,   0.0, 0.0,   0.0,
        ];
        assert_eq!(dx, expected);
        // Ties: the first in row-major order.
        let tie = PoolShape { planes: 2, height: 2, width: 2 };
        let dx = backward(tie, &[3.0, 3.0, 3.0, 3.0, 0.0, 1.0, 1.0, 0.0], &[1.0, 2.0]);
        assert_eq!(dx, [1.0, 0.0, 0.0, 0.0, 0.0, 2.0, 0.0, 0.0]);
    }
}
