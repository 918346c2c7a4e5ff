//! Stride-1 "same" convolution with an odd square kernel (our CNN's only kind), on slices in
//! NCHW order: per image, `k` shifted copies of each input channel and `k` matrix products,
//! forward and backward.
//!
//! im2col would write the input patch of every output position: `c_in * k * k` rows (row `(ci,
//! kh, kw)`, column `oh * width + ow`), `k * k` times the image. Here each channel is copied `k`
//! times instead ([`ConvShape::shift_columns`]): copy `(ci, kw)` is the channel shifted by `kw -
//! pad` columns, zero where that reads past a row's edge, with `pad` zero rows above and below.
//! im2col's rows `(ci, kh, kw)` for one `kh` are then these copies read from row `kh` on: a
//! strided matrix of `c_in * k` rows (`taps_kh`) the products read in place. So
//! - forward: `out = b + sum over kh of W_kh taps_kh`, where `W_kh` is `[c_out, c_in * k]`, the
//!   weight's taps of row `kh` (the weight reordered once per call to `[c_out, k, c_in, k]`);
//! - input gradient: the forward convolution of `dout` with the kernel flipped and its channels
//!   swapped (no scatter back into the image);
//! - weight gradient: `dW_kh = sum over images of dout taps_kh^T`; bias gradient: `db = sum
//!   dout` (two ops: the bias gradient needs no copies and no product).
//!
//! A single input channel (an image's first layer) is the exception: there the `k` rows are
//! unfolded into im2col's matrix, copied from the shifted copies, and one product reads it
//! ([`ConvShape::unfolded`]). A 1x1 kernel reads the image itself.
//!
//! Against im2col + one product per image (the previous version, commit 955c2b9), batch 128 on
//! both cores of the Intel Xeon, one convolution of each of the ResNet's shapes, the two
//! versions timed in turn in one process: the forward pass 17.6 -> 14.2 ms, the input gradient
//! 21.1 -> 14.7 ms, the weight gradient 20.9 -> 16.3 ms (1.32x in all).
//!
//! In float32 on a CPU with AVX-512, 3x3 convolutions with a multiple of 16 output channels run
//! on the direct kernels of [`Direct`] instead: the weight gradient for more than one input
//! channel, the forward pass and input gradient on rows of 14 or 7 positions, where they are
//! faster than these products (measured in `direct.rs`).
//!
//! Images are split over the cores; each weight-gradient partial covers a fixed group of
//! [`IMAGES_PER_PARTIAL`] images and the partials are added in order, so results do not depend
//! on the number of threads.

use actbench_activations::fused::filled;
use rayon::prelude::*;

use super::direct::Direct;
use super::real::{Real, as_f32, as_f32_mut, is_f32, plane_sum};

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

    fn pad(&self) -> usize {
        self.kernel / 2
    }

    /// Taps per output channel (`c_in * k * k`): the weight's row length.
    fn patch(&self) -> usize {
        self.c_in * self.kernel * self.kernel
    }

    fn image_in(&self) -> usize {
        self.c_in * self.plane()
    }

    fn image_out(&self) -> usize {
        self.c_out * self.plane()
    }

    /// Rows of one kernel row's product (`c_in * k`: one per channel and kernel column).
    fn row_taps(&self) -> usize {
        self.c_in * self.kernel
    }

    /// Length of one shifted copy: the plane with `pad` zero rows above and below.
    fn copy_len(&self) -> usize {
        (self.height + 2 * self.pad()) * self.width
    }

    /// Whether the shifted copies are the image itself (a 1x1 kernel).
    fn pointwise(&self) -> bool {
        self.kernel == 1
    }

    /// Whether the products read the taps unfolded, im2col's way, instead of in place: for a
    /// single input channel, where `k` products of `k` rows each would re-read and re-write the
    /// output `k` times for little arithmetic (on one thread of the Intel Xeon, a 1 -> 8, 16 or
    /// 32 channel 28x28 forward pass ran 1.2x-1.6x faster unfolded).
    fn unfolded(&self) -> bool {
        self.c_in == 1 && !self.pointwise()
    }

    /// Kernel rows per product: all of them unfolded, else one.
    fn rows_per_product(&self) -> usize {
        if self.unfolded() { self.kernel } else { 1 }
    }

    /// Products per image.
    fn products(&self) -> usize {
        self.kernel / self.rows_per_product()
    }

    /// Taps per product and output channel: the inner dimension of each product.
    fn product_taps(&self) -> usize {
        self.rows_per_product() * self.row_taps()
    }

    /// The columns (output positions) each forward product computes: the plane, or, when the
    /// products read the shifted copies in place, the plane rounded up to a multiple of 16. gemm
    /// reads its left operand in place only when that count is a multiple of its vector width
    /// (16 float32 lanes with AVX-512) and copies all of it otherwise; the extra columns read
    /// past each copy's end into the next (or the buffer's slack) and are dropped. On one thread
    /// of the Intel Xeon the forward pass of 14x14 shapes ran 1.25x-1.6x faster this way, 7x7
    /// shapes 1.0x-1.15x.
    fn columns(&self) -> usize {
        if self.pointwise() || self.unfolded() {
            self.plane()
        } else {
            self.plane().next_multiple_of(16)
        }
    }

    /// Elements of the buffer [`taps`](Self::taps) fills: the shifted copies, then, unfolded,
    /// the `k * k * plane` rows of im2col.
    fn buffer_len(&self) -> usize {
        match (self.pointwise(), self.unfolded()) {
            (true, _) => 0,
            // and room for the products' padded columns to read past the last copy
            (false, false) => self.row_taps() * self.copy_len() + self.columns() - self.plane(),
            (false, true) => self.row_taps() * self.copy_len() + self.patch() * self.plane(),
        }
    }

    /// Fills `shifted` (`c_in * k` copies of `copy_len` elements) from one image, writing every
    /// element: copy `ci * k + kw` is `pad` zero rows, then channel `ci` with element `(ih, iw)`
    /// at `(ih, iw - (kw - pad))` (zero where `iw` would leave the row), then `pad` zero rows.
    /// Element `kh * width + oh * width + ow` of copy `(ci, kw)` is then the input that tap `(ci,
    /// kh, kw)` of output `(oh, ow)` reads, or zero in the padding.
    fn shift_columns<E: Real>(&self, image: &[E], shifted: &mut [E]) {
        let (w, plane, pad) = (self.width, self.plane(), self.pad());
        let copies = shifted.chunks_exact_mut(self.copy_len()).take(self.row_taps());
        for (copy, out) in copies.enumerate() {
            let (ci, kw) = (copy / self.kernel, copy % self.kernel);
            let channel = &image[ci * plane..][..plane];
            let (above, rest) = out.split_at_mut(pad * w);
            let (body, below) = rest.split_at_mut(plane);
            above.fill(E::ZERO);
            below.fill(E::ZERO);
            // body[i] = channel[i + shift], then zeros over the columns that left their row:
            // the first `pad - kw` columns, or the last `kw - pad` (where the flat copy read the
            // neighbouring row, or nothing).
            let (left, right) = (pad.saturating_sub(kw).min(w), (kw.saturating_sub(pad)).min(w));
            if kw >= pad {
                let shift = kw - pad;
                body[..plane - shift.min(plane)].copy_from_slice(&channel[shift.min(plane)..]);
            } else {
                let shift = (pad - kw).min(plane);
                body[shift..].copy_from_slice(&channel[..plane - shift]);
            }
            for row in body.chunks_exact_mut(w) {
                row[..left].fill(E::ZERO);
                row[w - right..].fill(E::ZERO);
            }
        }
    }

    /// The `[product_taps, columns]` matrix product `p` reads from a buffer
    /// [`taps`](Self::taps) filled: row `(kh, ci, kw)` holds tap `(ci, kh, kw)` of every output
    /// position, for the kernel rows `kh` of product `p`; `columns` is the plane or
    /// [`columns`](Self::columns).
    fn taps_of<'a, E>(&self, taps: &'a [E], p: usize, columns: usize) -> Matrix<'a, E> {
        if self.unfolded() {
            let rows = &taps[self.row_taps() * self.copy_len()..];
            Matrix::rows(rows, self.patch(), self.plane())
        } else {
            let values = &taps[p * self.width..];
            Matrix::strided(values, self.row_taps(), columns, self.copy_len(), 1)
        }
    }

    /// The direct kernels for this shape in float32 ([`Direct`]), when `E` is float32 and the CPU
    /// and shape allow them.
    fn direct<E: Real>(&self) -> Option<Direct> {
        if !is_f32::<E>() || self.unfolded() {
            return None;
        }
        Direct::new(self.c_in, self.c_out, self.height, self.width, self.kernel)
    }

    /// The weight `[c_out, c_in, k, k]` reordered to `[c_out, k, c_in, k]` (by kernel row).
    fn by_kernel_row<E: Real>(&self, weight: &[E]) -> Vec<E> {
        let k = self.kernel;
        let mut rows = vec![E::ZERO; weight.len()];
        for (co, filter) in weight.chunks_exact(self.patch()).enumerate() {
            for (tap, &value) in filter.iter().enumerate() {
                let (ci, kh, kw) = (tap / (k * k), tap / k % k, tap % k);
                rows[co * self.patch() + (kh * self.c_in + ci) * k + kw] = value;
            }
        }
        rows
    }

    /// The weight gradient from its layout in [`weight_grad`], `[k, c_in, k, c_out]` (kernel row,
    /// channel, kernel column, output channel), to the weight's `[c_out, c_in, k, k]`.
    fn tap_major_to_weight<E: Real>(&self, taps: &[E]) -> Vec<E> {
        let k = self.kernel;
        let mut weight = vec![E::ZERO; taps.len()];
        for (co, filter) in weight.chunks_exact_mut(self.patch()).enumerate() {
            for (tap, value) in filter.iter_mut().enumerate() {
                let (ci, kh, kw) = (tap / (k * k), tap / k % k, tap % k);
                *value = taps[((kh * self.c_in + ci) * k + kw) * self.c_out + co];
            }
        }
        weight
    }

    /// The taps of `image` for [`taps_of`](Self::taps_of): `image` itself for a 1x1 kernel,
    /// else `buffer` with the shifted copies (and, unfolded, im2col's rows copied from them).
    fn taps<'a, E: Real>(&self, image: &'a [E], buffer: &'a mut [E]) -> &'a [E] {
        if self.pointwise() {
            return image;
        }
        let (copies, rows) = buffer.split_at_mut(self.row_taps() * self.copy_len());
        self.shift_columns(image, copies);
        if self.unfolded() {
            // row (kh, ci, kw) is copy (ci, kw) from row kh on
            let (w, plane, row_taps) = (self.width, self.plane(), self.row_taps());
            for (row, out) in rows.chunks_exact_mut(plane).enumerate() {
                let (kh, copy) = (row / row_taps, row % row_taps);
                out.copy_from_slice(&copies[copy * self.copy_len() + kh * w..][..plane]);
            }
        }
        buffer
    }
}

/// `conv(x, weight) + bias`, `[batch, c_out, height, width]`.
pub fn forward<E: Real>(s: ConvShape, x: &[E], weight: &[E], bias: &[E]) -> Vec<E> {
    convolve(s, x, weight, Some(bias))
}

/// `conv(x, weight)`, plus `bias` when there is one; written image by image.
fn convolve<E: Real>(s: ConvShape, x: &[E], weight: &[E], bias: Option<&[E]>) -> Vec<E> {
    if let Some(direct) = s.direct::<E>().filter(Direct::forward_fits) {
        return convolve_direct(s, direct, x, weight, bias);
    }
    let (plane, columns) = (s.plane(), s.columns());
    let rows = s.by_kernel_row(weight);
    let wide_len = if columns == plane { 0 } else { s.c_out * columns };
    filled(
        s.batch * s.image_out(),
        0,
        s.image_out(),
        || (vec![E::ZERO; s.buffer_len()], vec![E::ZERO; wide_len]),
        |(buffer, wide), n, out| {
            let image = &x[n * s.image_in()..][..s.image_in()];
            let taps = s.taps(image, buffer);
            // the products' destination: `out` (after the bias, if any), or `wide`, copied out
            // after
            let (dst, filled): (&mut [E], bool) = match bias {
                _ if columns != plane => (wide, false),
                Some(bias) => {
                    for (channel, &b) in out.chunks_mut(plane).zip(bias) {
                        channel.fill(b);
                    }
                    (out, true)
                }
                None => (out, false),
            };
            for p in 0..s.products() {
                // dst [c_out x columns] (+)= W_p [c_out x taps] * taps_p [taps x columns]
                let inner = s.product_taps();
                let weight = Matrix::strided(&rows[p * inner..], s.c_out, inner, s.patch(), 1);
                let dst = Destination::rows(dst, s.c_out, columns);
                product(dst, filled || p > 0, weight, s.taps_of(taps, p, columns));
            }
            if columns != plane {
                for (c, (out, wide)) in out.chunks_mut(plane).zip(wide.chunks(columns)).enumerate()
                {
                    match bias {
                        Some(bias) => out.iter_mut().zip(wide).for_each(|(o, &v)| *o = v + bias[c]),
                        None => out.copy_from_slice(&wide[..plane]),
                    }
                }
            }
        },
    )
}

/// Why the direct kernels' slices convert: [`ConvShape::direct`] offers them for float32 only.
const FLOAT32: &str = "the direct kernel's slices are float32";

/// [`convolve`] by the direct kernel, image by image.
fn convolve_direct<E: Real>(
    s: ConvShape,
    direct: Direct,
    x: &[E],
    weight: &[E],
    bias: Option<&[E]>,
) -> Vec<E> {
    let (x, prepared) = (as_f32(x).expect(FLOAT32), direct.prepare(as_f32(weight).expect(FLOAT32)));
    let bias = bias.map(|b| as_f32(b).expect(FLOAT32));
    filled(
        s.batch * s.image_out(),
        0,
        s.image_out(),
        || vec![0.0; direct.padded_len()],
        |padded, n, out| {
            direct.pad(&x[n * s.image_in()..][..s.image_in()], padded);
            direct.forward(padded, &prepared, bias, as_f32_mut(out).expect(FLOAT32));
        },
    )
}

/// `dx` (`[batch, c_in, height, width]`) from the output gradient `grad`: the same-padded
/// convolution of `grad` with the kernel flipped in both directions and its channels swapped,
/// `dx[ci, y, x] = sum over co, kh, kw of grad[co, y + kh - pad, x + kw - pad]
/// W[co, ci, k-1-kh, k-1-kw]`, computed by [`forward`]'s convolution (no bias).
pub fn input_grad<E: Real>(s: ConvShape, weight: &[E], grad: &[E]) -> Vec<E> {
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
    convolve(swapped, grad, &flipped, None)
}

/// The weight gradient `dW = sum over images of dout taps^T`, `[c_out, c_in, k, k]`.
pub fn weight_grad<E: Real>(s: ConvShape, x: &[E], grad: &[E]) -> Vec<E> {
    if let Some(direct) = s.direct::<E>() {
        return weight_grad_direct(s, direct, x, grad);
    }
    let plane = s.plane();
    let partials = x
        .par_chunks(s.image_in() * IMAGES_PER_PARTIAL)
        .zip(grad.par_chunks(s.image_out() * IMAGES_PER_PARTIAL))
        .map_init(
            || vec![E::ZERO; s.buffer_len()],
            |buffer, (images, grads)| {
                // dW as [k, c_in, k, c_out]; the first image's products write all of it
                let mut dw = vec![E::ZERO; s.c_out * s.patch()];
                for (i, (image, grad)) in
                    images.chunks(s.image_in()).zip(grads.chunks(s.image_out())).enumerate()
                {
                    let taps = s.taps(image, buffer);
                    for p in 0..s.products() {
                        // dW_p [c_out x taps] += grad [c_out x plane] * taps_p^T [plane x taps],
                        // written column-major: in this orientation gemm packs only grad and
                        // reads the copies in place, 1.1x-1.4x faster than dW_p^T = taps_p
                        // grad^T on the ResNet's shapes (one thread, Intel Xeon)
                        let columns = s.product_taps();
                        let dst = Destination {
                            values: &mut dw[p * columns * s.c_out..],
                            rows: s.c_out,
                            columns,
                            row_step: 1,
                            column_step: s.c_out,
                        };
                        let grad = Matrix::rows(grad, s.c_out, plane);
                        product(dst, i > 0, grad, s.taps_of(taps, p, plane).transposed());
                    }
                }
                dw
            },
        )
        .collect();
    s.tap_major_to_weight(&add_in_order(partials))
}

/// [`weight_grad`] by the direct kernel, over the same groups of images.
fn weight_grad_direct<E: Real>(s: ConvShape, direct: Direct, x: &[E], grad: &[E]) -> Vec<E> {
    let (x, grad) = (as_f32(x).expect(FLOAT32), as_f32(grad).expect(FLOAT32));
    let partials = x
        .par_chunks(s.image_in() * IMAGES_PER_PARTIAL)
        .zip(grad.par_chunks(s.image_out() * IMAGES_PER_PARTIAL))
        .map_init(
            || (Vec::new(), Vec::new()),
            |(padded, transposed), (images, grads)| {
                padded.resize(images.len() / s.image_in() * direct.padded_len(), 0.0);
                let copies = padded.chunks_exact_mut(direct.padded_len());
                for (image, copy) in images.chunks_exact(s.image_in()).zip(copies) {
                    direct.pad(image, copy);
                }
                direct.weight_grad(padded, grads, transposed)
            },
        )
        .collect();
    let dw = direct.unpack(&add_in_order(partials));
    dw.into_iter().map(|v| E::from_f64(f64::from(v))).collect()
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
                    *db += E::from_f64(plane_sum(plane, |i| channel[i]));
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

/// Whether a `rows x columns` matrix with these steps reads only `values[..len]`.
fn fits(len: usize, rows: usize, columns: usize, row_step: usize, column_step: usize) -> bool {
    rows == 0 || columns == 0 || (rows - 1) * row_step + (columns - 1) * column_step < len
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
    /// A matrix with the given steps; panics unless every element lies in `values`.
    fn strided(
        values: &'a [E],
        rows: usize,
        columns: usize,
        row_step: usize,
        column_step: usize,
    ) -> Self {
        assert!(
            fits(values.len(), rows, columns, row_step, column_step),
            "a {rows} x {columns} matrix with steps {row_step}, {column_step} in {} elements",
            values.len()
        );
        Self { values, rows, columns, row_step, column_step }
    }

    /// A row-major `[rows x columns]` matrix.
    fn rows(values: &'a [E], rows: usize, columns: usize) -> Self {
        Self::strided(values, rows, columns, columns, 1)
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

/// Where a product goes: element `(i, j)` is `values[i * row_step + j * column_step]`.
struct Destination<'a, E> {
    values: &'a mut [E],
    rows: usize,
    columns: usize,
    row_step: usize,
    column_step: usize,
}

impl<'a, E> Destination<'a, E> {
    /// A row-major `[rows x columns]` destination.
    fn rows(values: &'a mut [E], rows: usize, columns: usize) -> Self {
        Self { values, rows, columns, row_step: columns, column_step: 1 }
    }
}

/// `dst = lhs * rhs`, or `dst += lhs * rhs` when `accumulate`. One thread (callers split the
/// work over images). Panics unless the shapes agree and every element lies in its slice.
fn product<E: Real>(
    dst: Destination<'_, E>,
    accumulate: bool,
    lhs: Matrix<'_, E>,
    rhs: Matrix<'_, E>,
) {
    let (m, k, n) = (lhs.rows, lhs.columns, rhs.columns);
    assert_eq!(rhs.rows, k, "inner dimensions agree");
    assert_eq!((dst.rows, dst.columns), (m, n), "the destination is {m} x {n}");
    assert!(
        fits(dst.values.len(), m, n, dst.row_step, dst.column_step),
        "the destination's elements lie in its slice"
    );
    if m == 0 || n == 0 {
        return;
    }
    if k == 0 {
        if !accumulate {
            for i in 0..m {
                for j in 0..n {
                    dst.values[i * dst.row_step + j * dst.column_step] = E::ZERO;
                }
            }
        }
        return;
    }
    let step = |s: usize| s as isize;
    // SAFETY: every element gemm reads or writes lies inside its slice: `Matrix::strided` checked
    // that element (rows - 1, columns - 1), the one with the largest offset, lies in `values`
    // (a transpose reads the same elements), and the assertion above checks the same for `dst`.
    // `dst` is a unique borrow, so it overlaps neither operand.
    unsafe {
        gemm::gemm(
            m,
            n,
            k,
            dst.values.as_mut_ptr(),
            step(dst.column_step),
            step(dst.row_step),
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
            s(2, 2, 3, 4, 8, 3), // a plane of 32: the products write the output directly
            s(2, 1, 3, 4, 4, 3), // one input channel: im2col's rows unfolded
        ]
    }

    #[test]
    fn forward_and_gradients_match_the_definition() {
        for s in shapes() {
            let x = values(s.batch * s.image_in(), 1);
            let w = values(s.c_out * s.patch(), 2);
            let b = values(s.c_out, 3);
            let g = values(s.batch * s.image_out(), 4);
            let out = forward(s, &x, &w, &b);
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
            let dx = input_grad(s, &w, &g);
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

    /// `dx` and `dW` of `<g, conv(x, w)>` by the definition, one tap at a time.
    fn naive_grads(s: ConvShape, x: &[f64], w: &[f64], g: &[f64]) -> (Vec<f64>, Vec<f64>) {
        let (h, wd, k) = (s.height as isize, s.width as isize, s.kernel as isize);
        let (mut dx, mut dw) = (vec![0.0; x.len()], vec![0.0; w.len()]);
        for n in 0..s.batch as isize {
            for co in 0..s.c_out as isize {
                for ci in 0..s.c_in as isize {
                    for (kh, kw) in (0..k).flat_map(|kh| (0..k).map(move |kw| (kh, kw))) {
                        let wi = (((co * s.c_in as isize + ci) * k + kh) * k + kw) as usize;
                        for (oh, ow) in (0..h).flat_map(|oh| (0..wd).map(move |ow| (oh, ow))) {
                            let (ih, iw) = (oh + kh - k / 2, ow + kw - k / 2);
                            if ih < 0 || ih >= h || iw < 0 || iw >= wd {
                                continue;
                            }
                            let xi = (((n * s.c_in as isize + ci) * h + ih) * wd + iw) as usize;
                            let gi = (((n * s.c_out as isize + co) * h + oh) * wd + ow) as usize;
                            dx[xi] += g[gi] * w[wi];
                            dw[wi] += g[gi] * x[xi];
                        }
                    }
                }
            }
        }
        (dx, dw)
    }

    /// Float32 shapes the direct kernels run (on a CPU with AVX-512): rows of 7 and 14 with one,
    /// two and three blocks of sixteen output channels, heights that leave a partial tile, input
    /// channels not a multiple of the weight gradient's group of three; and widths of 28 and 6,
    /// whose forward pass keeps the products while their weight gradient runs direct.
    fn direct_shapes() -> Vec<ConvShape> {
        let s = |batch, c_in, c_out, height, width| ConvShape {
            batch,
            c_in,
            c_out,
            height,
            width,
            kernel: 3,
        };
        vec![
            s(2, 4, 16, 9, 7),
            s(2, 3, 32, 7, 7),
            s(3, 5, 32, 9, 14),
            s(2, 3, 16, 5, 14),
            s(2, 2, 48, 7, 7),
            s(2, 16, 16, 6, 7),
            s(5, 2, 16, 5, 28),
            s(2, 2, 16, 3, 6),
        ]
    }

    #[test]
    fn the_direct_kernels_match_the_definition() {
        let float32 = |v: Vec<f64>| -> Vec<f32> { v.into_iter().map(|v| v as f32).collect() };
        let close = |what: &str, s: ConvShape, got: &[f32], want: &[f64]| {
            assert_eq!(got.len(), want.len(), "{what} {s:?}");
            for (i, (&a, &e)) in got.iter().zip(want).enumerate() {
                let tolerance = 1e-5 * (1.0 + e.abs()) * (s.batch * s.patch()) as f64;
                assert!((f64::from(a) - e).abs() < tolerance, "{what} {s:?} [{i}]: {a} vs {e}");
            }
        };
        for s in direct_shapes() {
            let has_avx512 = Direct::new(s.c_in, s.c_out, s.height, s.width, 3).is_some();
            assert_eq!(s.direct::<f32>().is_some(), has_avx512, "{s:?}");
            assert!(s.direct::<f64>().is_none(), "float64 keeps the products");
            let (x, w) = (values(s.batch * s.image_in(), 7), values(s.c_out * s.patch(), 8));
            let (b, g) = (values(s.c_out, 9), values(s.batch * s.image_out(), 10));
            let out = forward(s, &float32(x.clone()), &float32(w.clone()), &float32(b.clone()));
            close("forward", s, &out, &naive(s, &x, &w, &b));
            let (dx, dw) = naive_grads(s, &x, &w, &g);
            close("dx", s, &input_grad(s, &float32(w.clone()), &float32(g.clone())), &dx);
            close("dW", s, &weight_grad(s, &float32(x.clone()), &float32(g.clone())), &dw);
        }
    }

    #[test]
    fn the_parameter_gradients_do_not_depend_on_the_thread_count() {
        let shapes = [
            ConvShape { batch: 13, c_in: 3, c_out: 4, height: 6, width: 5, kernel: 3 },
            // the direct kernels, on a CPU with AVX-512
            ConvShape { batch: 13, c_in: 4, c_out: 16, height: 7, width: 7, kernel: 3 },
        ];
        for s in shapes {
            let x: Vec<f32> = values(s.batch * s.image_in(), 5).iter().map(|&v| v as f32).collect();
            let g: Vec<f32> =
                values(s.batch * s.image_out(), 6).iter().map(|&v| v as f32).collect();
            let on = |threads| {
                rayon::ThreadPoolBuilder::new()
                    .num_threads(threads)
                    .build()
                    .unwrap()
                    .install(|| (weight_grad(s, &x, &g), bias_grad(s.c_out, s.plane(), &g)))
            };
            let one = on(1);
            for threads in [2, 3, 8] {
                assert_eq!(on(threads), one, "{s:?}, {threads} threads");
            }
        }
    }
}
