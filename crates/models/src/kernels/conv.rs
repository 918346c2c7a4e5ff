//! Stride-1 "same" convolution with an odd square kernel (our CNN's only kind), on slices in
//! NCHW order: im2col + one matrix product per image, forward and backward.
//!
//! Per image, `cols` holds the input patch of every output position: row `(ci, kh, kw)`,
//! column `oh * width + ow`, zero where the patch reaches into the padding. Then
//! - forward: `out = W cols + b` (`W` is `[c_out, c_in * k * k]`, the weight's own layout);
//! - input gradient: the forward convolution of `dout` with the kernel flipped and its channels
//!   swapped (im2col of `dout`, then one product: no scatter back into the image);
//! - weight gradient: `dW = sum over images of dout cols^T`; bias gradient: `db = sum dout`
//!   (two ops: the bias gradient needs no im2col and no product).
//!
//! Images are split over the cores; each weight-gradient partial covers a fixed group of
//! [`IMAGES_PER_PARTIAL`] images and the partials are added in order, so results do not depend
//! on the number of threads.

use rayon::prelude::*;

use super::real::Real;

/// Images per weight-gradient partial sum (fixed, so the sum's order never depends on threads).
const IMAGES_PER_PARTIAL: usize = 4;

/// The shape of one convolution: `[batch, c_in, height, width]` in, `[batch, c_out, height,
/// width]` out, weight `[c_out, c_in, kernel, kernel]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConvShape {
    pub batch: usize,
    pub c_in: usize,
    pub c_out: usize,
    pub height: usize,
    pub width: usize,
    /// Odd kernel side; the padding is `kernel / 2` on every side.
    pub kernel: usize,
}

impl ConvShape {
    /// Positions per channel plane.
    fn plane(&self) -> usize {
        self.height * self.width
    }

    /// Elements of one input patch (`c_in * k * k`): the weight's row length.
    fn patch(&self) -> usize {
        self.c_in * self.kernel * self.kernel
    }

    fn image_in(&self) -> usize {
        self.c_in * self.plane()
    }

    fn image_out(&self) -> usize {
        self.c_out * self.plane()
    }

    /// Fills `cols` (`patch x plane`) from one image, writing every element (the padding as
    /// zeros). Row `(ci, kh, kw)` is channel `ci` shifted by `(kh - pad, kw - pad)`: one copy of
    /// the shifted plane, then zeros over the rows and columns that read the padding (and so
    /// over the elements the flat copy wrapped in from the neighbouring row). 1.6x-1.8x faster
    /// than a copy per output row (one thread, the ResNet's three shapes, Intel Xeon).
    fn im2col<E: Real>(&self, image: &[E], cols: &mut [E]) {
        let (h, w, k, plane) = (self.height, self.width, self.kernel, self.plane());
        let pad = k / 2;
        for (row, out) in cols.chunks_exact_mut(plane).take(self.patch()).enumerate() {
            let (ci, kh, kw) = (row / (k * k), row / k % k, row % k);
            let channel = &image[ci * plane..][..plane];
            // Output rows top..bottom read input rows inside the image (ih = oh + kh - pad),
            // output columns left..right input columns inside it (iw = ow + kw - pad).
            let top = pad.saturating_sub(kh).min(h);
            let bottom = (h + pad).saturating_sub(kh).clamp(top, h);
            let left = pad.saturating_sub(kw).min(w);
            let right = (w + pad).saturating_sub(kw).clamp(left, w);
            out[..top * w].fill(E::ZERO);
            out[bottom * w..].fill(E::ZERO);
            if left == right || top == bottom {
                out[top * w..bottom * w].fill(E::ZERO);
                continue;
            }
            // out[i] = channel[i + shift] over the rows top..bottom, clipped to the channel.
            let shift = (kh * w + kw) as isize - (pad * w + pad) as isize;
            let first = (top * w).max((-shift).max(0) as usize);
            let last = (bottom * w).min((plane as isize - shift).max(0) as usize);
            if first < last {
                let from = (first as isize + shift) as usize;
                out[first..last].copy_from_slice(&channel[from..from + (last - first)]);
            }
            // top w <= first and last <= bottom w; when the copy is empty, these two cover it all.
            out[top * w..first].fill(E::ZERO);
            out[last..bottom * w].fill(E::ZERO);
            for oh in top..bottom {
                for c in 0..left {
                    out[oh * w + c] = E::ZERO;
                }
                for c in right..w {
                    out[oh * w + c] = E::ZERO;
                }
            }
        }
    }

    /// Whether `cols` is the image itself (a 1x1 kernel).
    fn pointwise(&self) -> bool {
        self.kernel == 1
    }
}

/// `out = conv(x, weight) + bias`; `out` is `[batch, c_out, height, width]`.
pub fn forward<E: Real>(s: ConvShape, x: &[E], weight: &[E], bias: &[E], out: &mut [E]) {
    let (plane, patch) = (s.plane(), s.patch());
    out.par_chunks_mut(s.image_out()).zip(x.par_chunks(s.image_in())).for_each_init(
        || vec![E::ZERO; if s.pointwise() { 0 } else { patch * plane }],
        |cols, (out, image)| {
            for (channel, &b) in out.chunks_mut(plane).zip(bias) {
                channel.fill(b);
            }
            let cols: &[E] = if s.pointwise() {
                image
            } else {
                s.im2col(image, cols);
                cols
            };
            // out [c_out x plane] += weight [c_out x patch] * cols [patch x plane]
            product(
                out,
                true,
                Matrix::rows(weight, s.c_out, patch),
                Matrix::rows(cols, patch, plane),
            );
        },
    );
}

/// `dx` (`[batch, c_in, height, width]`) from the output gradient `grad`: the same-padded
/// convolution of `grad` with the kernel flipped in both directions and its channels swapped,
/// `dx[ci, y, x] = sum over co, kh, kw of grad[co, y + kh - pad, x + kw - pad]
/// W[co, ci, k-1-kh, k-1-kw]`, computed by [`forward`] (zero bias).
pub fn input_grad<E: Real>(s: ConvShape, weight: &[E], grad: &[E], dx: &mut [E]) {
    let k = s.kernel;
    let mut flipped = vec![E::ZERO; weight.len()];
    for co in 0..s.c_out {
        for ci in 0..s.c_in {
            for kh in 0..k {
                for kw in 0..k {
                    let from = ((co * s.c_in + ci) * k + (k - 1 - kh)) * k + (k - 1 - kw);
                    flipped[((ci * s.c_out + co) * k + kh) * k + kw] = weight[from];
                }
            }
        }
    }
    let swapped = ConvShape { c_in: s.c_out, c_out: s.c_in, ..s };
    forward(swapped, grad, &flipped, &vec![E::ZERO; s.c_in], dx);
}

/// The weight gradient `dW = sum over images of dout cols^T`, `[c_out, c_in, k, k]`.
pub fn weight_grad<E: Real>(s: ConvShape, x: &[E], grad: &[E]) -> Vec<E> {
    let (plane, patch) = (s.plane(), s.patch());
    let partials = x
        .par_chunks(s.image_in() * IMAGES_PER_PARTIAL)
        .zip(grad.par_chunks(s.image_out() * IMAGES_PER_PARTIAL))
        .map(|(images, grads)| {
            let mut dw = vec![E::ZERO; s.c_out * patch];
            let mut cols = vec![E::ZERO; if s.pointwise() { 0 } else { patch * plane }];
            for (i, (image, grad)) in
                images.chunks(s.image_in()).zip(grads.chunks(s.image_out())).enumerate()
            {
                let cols: &[E] = if s.pointwise() {
                    image
                } else {
                    s.im2col(image, &mut cols);
                    &cols
                };
                // dW^T [patch x c_out] += cols [patch x plane] * grad^T [plane x c_out], written
                // column-major into dW [c_out x patch] (gemm runs this orientation up to 1.8x
                // faster than dW = grad cols^T: it packs the small grad^T, not grad)
                let grad_t = Matrix::rows(grad, s.c_out, plane).transposed();
                product_into(&mut dw, true, i > 0, Matrix::rows(cols, patch, plane), grad_t);
            }
            dw
        })
        .collect();
    add_in_order(partials)
}

/// The bias gradient `db = sum of dout` per channel of `dout` (`[batch, channels, plane]`), over
/// the same groups of images as [`weight_grad`].
pub fn bias_grad<E: Real>(channels: usize, plane: usize, grad: &[E]) -> Vec<E> {
    let image = channels * plane;
    let partials = grad
        .par_chunks(image * IMAGES_PER_PARTIAL)
        .map(|grads| {
            let mut db = vec![E::ZERO; channels];
            for grad in grads.chunks(image) {
                for (db, channel) in db.iter_mut().zip(grad.chunks(plane)) {
                    *db += channel.iter().fold(E::ZERO, |sum, &g| sum + g);
                }
            }
            db
        })
        .collect();
    add_in_order(partials)
}

/// The element-wise sum of per-group partials, added in group order (so the result does not
/// depend on how rayon scheduled the groups).
fn add_in_order<E: Real>(partials: Vec<Vec<E>>) -> Vec<E> {
    let mut partials = partials.into_iter();
    let mut sum = partials.next().expect("a batch of at least one image");
    for partial in partials {
        sum.iter_mut().zip(partial).for_each(|(s, p)| *s += p);
    }
    sum
}

/// A matrix read from a slice: element `(i, j)` is `values[i * row_step + j * column_step]`.
#[derive(Clone, Copy)]
struct Matrix<'a, E> {
    values: &'a [E],
    rows: usize,
    columns: usize,
    row_step: usize,
    column_step: usize,
}

impl<'a, E> Matrix<'a, E> {
    /// A row-major `[rows x columns]` matrix.
    fn rows(values: &'a [E], rows: usize, columns: usize) -> Self {
        assert!(values.len() >= rows * columns, "a {rows} x {columns} matrix");
        Self { values, rows, columns, row_step: columns, column_step: 1 }
    }

    /// The same elements read as the transpose.
    fn transposed(self) -> Self {
        Self {
            rows: self.columns,
            columns: self.rows,
            row_step: self.column_step,
            column_step: self.row_step,
            ..self
        }
    }
}

/// `dst = lhs * rhs`, or `dst += lhs * rhs` when `accumulate`; `dst` is row-major
/// `[lhs.rows x rhs.columns]`. One thread (callers split the work over images).
fn product<E: Real>(dst: &mut [E], accumulate: bool, lhs: Matrix<'_, E>, rhs: Matrix<'_, E>) {
    product_into(dst, false, accumulate, lhs, rhs)
}

/// [`product`], with `dst` column-major when `column_major` (`dst` then holds the row-major
/// transpose of the product).
fn product_into<E: Real>(
    dst: &mut [E],
    column_major: bool,
    accumulate: bool,
    lhs: Matrix<'_, E>,
    rhs: Matrix<'_, E>,
) {
    let (m, k, n) = (lhs.rows, lhs.columns, rhs.columns);
    assert_eq!(rhs.rows, k, "inner dimensions agree");
    assert!(dst.len() >= m * n, "the destination holds {m} x {n}");
    if m == 0 || n == 0 {
        return;
    }
    if k == 0 {
        if !accumulate {
            dst[..m * n].fill(E::ZERO);
        }
        return;
    }
    let step = |s: usize| s as isize;
    let (dst_row_step, dst_column_step) = if column_major { (1, m) } else { (n, 1) };
    // SAFETY: every element gemm reads or writes lies inside its slice: `Matrix::rows` checked
    // that `values` holds `rows * columns` elements in row-major order (a transpose reads the
    // same elements), and `dst` holds `m * n` elements, checked above, in row-major or
    // column-major order. `dst` is a
    // unique borrow, so it overlaps neither operand.
    unsafe {
        gemm::gemm(
            m,
            n,
            k,
            dst.as_mut_ptr(),
            step(dst_column_step),
            step(dst_row_step),
            accumulate,
            lhs.values.as_ptr(),
            step(lhs.column_step),
            step(lhs.row_step),
            rhs.values.as_ptr(),
            step(rhs.column_step),
            step(rhs.row_step),
            E::ONE,
            E::ONE,
            false,
            false,
            false,
            gemm::Parallelism::None,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The textbook definition, one output at a time.
    fn naive(s: ConvShape, x: &[f64], w: &[f64], b: &[f64]) -> Vec<f64> {
        let (h, wd, k) = (s.height as isize, s.width as isize, s.kernel as isize);
        let pad = k / 2;
        let mut out = vec![0.0; s.batch * s.image_out()];
        for n in 0..s.batch {
            for co in 0..s.c_out {
                for oh in 0..h {
                    for ow in 0..wd {
                        let mut acc = b[co];
                        for ci in 0..s.c_in {
                            for kh in 0..k {
                                for kw in 0..k {
                                    let (ih, iw) = (oh + kh - pad, ow + kw - pad);
                                    if ih < 0 || ih >= h || iw < 0 || iw >= wd {
                                        continue;
                                    }
                                    let xi = ((n * s.c_in + ci) as isize * h + ih) * wd + iw;
                                    let wi = ((co * s.c_in + ci) as isize * k + kh) * k + kw;
                                    acc += x[xi as usize] * w[wi as usize];
                                }
                            }
                        }
                        out[((n * s.c_out + co) as isize * h * wd + oh * wd + ow) as usize] = acc;
                    }
                }
            }
        }
        out
    }

    fn values(n: usize, seed: u64) -> Vec<f64> {
        (0..n)
            .map(|i| (((i as u64 * 2654435761 + seed * 97) % 1000) as f64 / 500.0) - 1.0)
            .collect()
    }

    fn shapes() -> Vec<ConvShape> {
        let s = |batch, c_in, c_out, height, width, kernel| ConvShape {
            batch,
            c_in,
            c_out,
            height,
            width,
            kernel,
        };
        vec![
            s(3, 2, 3, 5, 4, 3),
            s(9, 1, 2, 6, 6, 5),
            s(2, 3, 2, 3, 2, 5), // kernel wider than the image
            s(2, 2, 3, 2, 9, 5), // kernel taller than the image, not wider
            s(5, 4, 3, 4, 3, 1),
            s(1, 2, 2, 7, 7, 11),
        ]
    }

    #[test]
    fn forward_and_gradients_match_the_definition() {
        for s in shapes() {
            let x = values(s.batch * s.image_in(), 1);
            let w = values(s.c_out * s.patch(), 2);
            let b = values(s.c_out, 3);
            let g = values(s.batch * s.image_out(), 4);
            let mut out = vec![0.0; s.batch * s.image_out()];
            forward(s, &x, &w, &b, &mut out);
            let expected = naive(s, &x, &w, &b);
            for (a, e) in out.iter().zip(&expected) {
                assert!((a - e).abs() < 1e-12, "{s:?}: {a} vs {e}");
            }
            // The convolution is linear: each gradient is <grad, conv> differentiated, checked
            // against the definition with one input, weight or bias element moved by 1.
            let loss = |x: &[f64], w: &[f64], b: &[f64]| -> f64 {
                naive(s, x, w, b).iter().zip(&g).map(|(o, g)| o * g).sum()
            };
            let base = loss(&x, &w, &b);
            let mut dx = vec![0.0; x.len()];
            input_grad(s, &w, &g, &mut dx);
            for i in 0..x.len() {
                let mut moved = x.clone();
                moved[i] += 1.0;
                let e = loss(&moved, &w, &b) - base;
                assert!((dx[i] - e).abs() < 1e-9, "{s:?} dx[{i}]: {} vs {e}", dx[i]);
            }
            let (dw, db) = (weight_grad(s, &x, &g), bias_grad(s.c_out, s.plane(), &g));
            for i in 0..w.len() {
                let mut moved = w.clone();
                moved[i] += 1.0;
                let e = loss(&x, &moved, &b) - base;
                assert!((dw[i] - e).abs() < 1e-9, "{s:?} dw[{i}]: {} vs {e}", dw[i]);
            }
            for i in 0..b.len() {
                let mut moved = b.clone();
                moved[i] += 1.0;
                let e = loss(&x, &w, &moved) - base;
                assert!((db[i] - e).abs() < 1e-9, "{s:?} db[{i}]: {} vs {e}", db[i]);
            }
        }
    }

    #[test]
    fn the_parameter_gradients_do_not_depend_on_the_thread_count() {
        let s = ConvShape { batch: 13, c_in: 3, c_out: 4, height: 6, width: 5, kernel: 3 };
        let x: Vec<f32> = values(s.batch * s.image_in(), 5).iter().map(|&v| v as f32).collect();
        let g: Vec<f32> = values(s.batch * s.image_out(), 6).iter().map(|&v| v as f32).collect();
        let on = |threads| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap()
                .install(|| (weight_grad(s, &x, &g), bias_grad(s.c_out, s.plane(), &g)))
        };
        let one = on(1);
        for threads in [2, 3, 8] {
            assert_eq!(on(threads), one, "{threads} threads");
        }
    }
}
