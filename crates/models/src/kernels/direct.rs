//! A direct 3x3 "same" convolution in float32 on AVX-512, for [`conv`](super::conv)'s small
//! planes: sixteen output channels in the lanes of one vector register, and every input value
//! broadcast to the sixteen lanes (the blocking of oneDNN's direct convolutions, Georganas et al.
//! 2018, "Anatomy of high-performance deep learning convolutions on SIMD architectures").
//!
//! - Forward (and the input gradient, the forward convolution of `dout`, see
//!   [`conv::input_grad`](super::conv::input_grad)): a tile of [`TILE`] accumulator registers,
//!   one or two blocks of sixteen output channels at one row of 14 positions or two to four rows
//!   of 7, so each weight vector loaded serves 14 or 28 fused multiply-adds and each broadcast
//!   input one or two; no position is computed that is not in the output (a matrix product over
//!   a 7x7 plane computes 64 columns for 49).
//! - Weight gradient: up to [`PASS`] accumulators, one per output-channel block, input channel
//!   and tap (three blocks of one input channel, two of one, or one block of three), stay in
//!   registers over every position of the images of one partial sum; each position loads each
//!   block's sixteen output gradients once.
//!
//! Against the matrix products of [`conv`](super::conv), each of the ResNet's 3x3 convolutions
//! timed alone (batch 128, one thread of the Intel Xeon, the two timed in turn, best of 9): on
//! 14x14 and 7x7 planes the forward pass and input gradient 1.05x-1.4x faster (1.4x on the 7x7
//! ones), and the weight gradient 1.1x-1.4x faster on every shape with more than one input channel
//! (1.4x on the 16-channel 28x28 one). The kernels run at about 80% of the core's multiply-add rate
//! in a profile; padding, scattering and transposing take the rest. An image with one channel and a
//! forward pass on rows of 28 keep the products, which are as fast or faster there.
//!
//! Inputs are read from a copy of each image with one zero row and column on every side
//! ([`Direct::pad`]), so no tap tests an edge. Sums run in a fixed order (input channel, kernel
//! row, kernel column; positions in order), so results do not depend on the number of threads.
//! Other CPUs and shapes keep the matrix products of [`conv`](super::conv).

#[cfg(target_arch = "x86_64")]
use std::arch::x86_64::{__m512, _mm512_fmadd_ps, _mm512_loadu_ps, _mm512_set1_ps};
#[cfg(target_arch = "x86_64")]
use std::arch::x86_64::{
    _mm512_i32scatter_ps, _mm512_loadu_si512, _mm512_setzero_ps, _mm512_storeu_ps,
};

/// Output channels per vector register: the float32 lanes of AVX-512.
const LANES: usize = 16;

/// Output positions per forward tile: 28 accumulator registers of the 32, the others for the
/// weight vector and the broadcast input.
const TILE: usize = 28;

/// Taps of a 3x3 kernel.
const TAPS: usize = 9;

/// Accumulator registers per weight-gradient pass at most (of the 32).
const PASS: usize = 27;

/// A 3x3 same-padded convolution of one shape that the direct kernels run on this CPU.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Direct {
    c_in: usize,
    c_out: usize,
    height: usize,
    width: usize,
}

/// What [`Direct::forward`] reads besides the image, made once per call by
/// [`Direct::prepare`].
pub(super) struct Forward {
    /// The weight as `[c_out / 16, c_in, 9, 16]`.
    packed: Vec<f32>,
    /// Per input channel and tap, in the weight's order: the padded input it reads, from a
    /// tile's top-left corner.
    taps: Vec<usize>,
    /// Per lane: output channel `lane` of a block, in elements after the block's first.
    lanes: Vec<i32>,
}

impl Direct {
    /// The direct kernels for a convolution of this shape, if the CPU has AVX-512 and the kernel
    /// is 3x3 with a multiple of 16 output channels.
    pub(super) fn new(
        c_in: usize,
        c_out: usize,
        height: usize,
        width: usize,
        kernel: usize,
    ) -> Option<Self> {
        let fits =
            kernel == 3 && c_out.is_multiple_of(LANES) && c_in > 0 && height > 0 && width > 0;
        (fits && cpu_has_avx512()).then_some(Self { c_in, c_out, height, width })
    }

    /// Whether the forward kernel takes this shape: rows of 14 or 7 positions, one row a tile's
    /// columns. Other widths keep the matrix products forward (rows of 28 ran as fast either
    /// way).
    pub(super) fn forward_fits(&self) -> bool {
        matches!(self.width, 7 | 14)
    }

    fn plane(&self) -> usize {
        self.height * self.width
    }

    /// Row length of the padded copy.
    fn stride(&self) -> usize {
        self.width + 2
    }

    /// Elements per channel of the padded copy.
    fn channel(&self) -> usize {
        (self.height + 2) * self.stride()
    }

    /// Elements of one image's padded copy.
    pub(super) fn padded_len(&self) -> usize {
        self.c_in * self.channel()
    }

    fn blocks(&self) -> usize {
        self.c_out / LANES
    }

    /// Writes every element of `padded` ([`padded_len`](Self::padded_len)): each channel of
    /// `image` (`[c_in, height, width]`) with a zero border one element wide.
    pub(super) fn pad(&self, image: &[f32], padded: &mut [f32]) {
        let (w, stride) = (self.width, self.stride());
        for (channel, out) in
            image.chunks_exact(self.plane()).zip(padded.chunks_exact_mut(self.channel()))
        {
            out[..stride].fill(0.0);
            out[(self.height + 1) * stride..].fill(0.0);
            for (row, out) in channel.chunks_exact(w).zip(out[stride..].chunks_exact_mut(stride)) {
                out[0] = 0.0;
                out[1..=w].copy_from_slice(row);
                out[w + 1] = 0.0;
            }
        }
    }

    /// Where element `(co, tap)` of a `[c_out, c_in * 9]` weight (or weight gradient) lies in
    /// the packed layout `[c_out / 16, c_in, 9, 16]`: per block of sixteen output channels, one
    /// vector per input channel and tap.
    fn packed_index(&self, co: usize, tap: usize) -> usize {
        ((co / LANES) * self.c_in * TAPS + tap) * LANES + co % LANES
    }

    /// What the forward passes of one call share, made once: the weight `[c_out, c_in, 3, 3]`
    /// packed, and the offsets the tiles read and write. Panics unless
    /// [`forward_fits`](Self::forward_fits).
    pub(super) fn prepare(&self, weight: &[f32]) -> Forward {
        assert!(self.forward_fits(), "rows of 14 or 7 positions");
        let mut packed = vec![0.0; weight.len()];
        for (co, filter) in weight.chunks_exact(self.c_in * TAPS).enumerate() {
            for (tap, &value) in filter.iter().enumerate() {
                packed[self.packed_index(co, tap)] = value;
            }
        }
        // the padded input each tap reads, from a tile's top-left corner, in the weight's order
        let stride = self.stride();
        let taps = (0..self.c_in * TAPS)
            .map(|t| tap_offset(t / TAPS, t % TAPS, self.channel(), stride))
            .collect();
        // output channel `lane` of a block lies `lane * plane` elements after the block's first
        let lanes = (0..LANES)
            .map(|lane| i32::try_from(lane * self.plane()))
            .collect::<Result<_, _>>()
            .expect("an output image of fewer than 2^31 elements");
        Forward { packed, taps, lanes }
    }

    /// One image's convolution `[c_out, height, width]` from its padded copy and what
    /// [`prepare`](Self::prepare) made, plus `bias` when there is one. Panics unless the slices
    /// have this shape's lengths.
    pub(super) fn forward(
        &self,
        padded: &[f32],
        prepared: &Forward,
        bias: Option<&[f32]>,
        out: &mut [f32],
    ) {
        let Forward { packed, taps, lanes } = prepared;
        assert_eq!(padded.len(), self.padded_len(), "one padded image");
        assert_eq!(packed.len(), self.c_out * self.c_in * TAPS, "the packed weight");
        assert_eq!(out.len(), self.c_out * self.plane(), "one output image");
        let (stride, plane, block_len) = (self.stride(), self.plane(), self.c_in * TAPS * LANES);
        // a tile's columns are the output row
        let columns = self.width;
        // blocks of sixteen output channels per tile: two where they divide the channels (the
        // weight vectors then serve 14 positions each, each broadcast input two blocks; on the
        // Intel Xeon four blocks of one 7-wide row ran slower, their weights out of L1), else one
        let group =
            [2, 1].into_iter().find(|g| self.blocks().is_multiple_of(*g) && g * columns <= TILE);
        let group = group.expect("one block of sixteen output channels and one row of positions");
        let rows_per_tile = TILE / (group * columns);
        for first in (0..self.blocks()).step_by(group) {
            let weight = &packed[first * block_len..][..group * block_len];
            let bias = bias.map(|b| &b[first * LANES..][..group * LANES]);
            let out = &mut out[first * LANES * plane..][..group * LANES * plane];
            for top in (0..self.height).step_by(rows_per_tile) {
                let rows = rows_per_tile.min(self.height - top);
                let tile =
                    Tile { blocks: group, rows, columns, stride, lanes, block_step: plane * LANES };
                tile.run(&padded[top * stride..], taps, weight, bias, &mut out[top * columns..]);
            }
        }
    }

    /// The weight gradient of some images, `Σ over images and positions of dout ⊗ taps`, in the
    /// packed layout `[c_out / 16, c_in, 9, 16]`, from the images' padded copies (`images x
    /// padded_len`) and output gradients (`images x [c_out, height, width]`). `transposed` is
    /// scratch space, reused between calls.
    pub(super) fn weight_grad(
        &self,
        padded: &[f32],
        grads: &[f32],
        transposed: &mut Vec<f32>,
    ) -> Vec<f32> {
        let (plane, image_out) = (self.plane(), self.c_out * self.plane());
        let images = grads.len() / image_out;
        assert_eq!(grads.len(), images * image_out, "whole output images");
        assert_eq!(padded.len(), images * self.padded_len(), "one padded copy per image");
        // dout as [image, block, position, 16]
        transposed.clear();
        transposed.resize(grads.len(), 0.0);
        for (grad, out) in grads.chunks_exact(image_out).zip(transposed.chunks_exact_mut(image_out))
        {
            for (co, channel) in grad.chunks_exact(plane).enumerate() {
                let (block, lane) = (co / LANES, co % LANES);
                let out = &mut out[block * plane * LANES..][..plane * LANES];
                for (position, &value) in channel.iter().enumerate() {
                    out[position * LANES + lane] = value;
                }
            }
        }
        // per pass, `blocks` blocks of sixteen output channels and up to `group` input channels:
        // three blocks of one channel, two of one, or one of three (27, 18 or 27 accumulators)
        let (blocks, group) = match self.blocks() {
            b if b % 3 == 0 => (3, 1),
            b if b % 2 == 0 => (2, 1),
            _ => (1, 3),
        };
        let mut dw = vec![0.0; self.c_out * self.c_in * TAPS];
        let mut sums = [0.0f32; PASS * LANES];
        for first_block in (0..self.blocks()).step_by(blocks) {
            for first in (0..self.c_in).step_by(group) {
                let group = group.min(self.c_in - first);
                let pass = Pass {
                    blocks,
                    group,
                    channel: self.channel(),
                    stride: self.stride(),
                    height: self.height,
                    width: self.width,
                };
                let sums = &mut sums[..blocks * group * TAPS * LANES];
                sums.fill(0.0);
                for image in 0..images {
                    let x = &padded[image * self.padded_len() + first * self.channel()..];
                    let g = &transposed[(image * self.blocks() + first_block) * plane * LANES..]
                        [..blocks * plane * LANES];
                    pass.run(x, g, sums);
                }
                let len = group * TAPS * LANES;
                for (block, sums) in sums.chunks_exact(len).enumerate() {
                    let at = ((first_block + block) * self.c_in + first) * TAPS * LANES;
                    dw[at..][..len].copy_from_slice(sums);
                }
            }
        }
        dw
    }

    /// A weight gradient from [`weight_grad`](Self::weight_grad)'s packed layout to the weight's
    /// `[c_out, c_in, 3, 3]`.
    pub(super) fn unpack(&self, packed: &[f32]) -> Vec<f32> {
        let mut weight = vec![0.0; packed.len()];
        for (co, filter) in weight.chunks_exact_mut(self.c_in * TAPS).enumerate() {
            for (tap, value) in filter.iter_mut().enumerate() {
                *value = packed[self.packed_index(co, tap)];
            }
        }
        weight
    }
}

/// Where tap `tap` (`kh * 3 + kw`) of input channel `i` reads a padded copy (`channel` elements
/// per channel, rows of `stride`), from the top-left corner of the window at an output position.
#[inline(always)]
fn tap_offset(i: usize, tap: usize, channel: usize, stride: usize) -> usize {
    i * channel + tap / 3 * stride + tap % 3
}

#[cfg(target_arch = "x86_64")]
fn cpu_has_avx512() -> bool {
    std::arch::is_x86_feature_detected!("avx512f")
}

#[cfg(not(target_arch = "x86_64"))]
fn cpu_has_avx512() -> bool {
    false
}

/// The output positions and channels that one forward call computes: `blocks` blocks of
/// sixteen output channels at `rows` whole output rows of `columns` positions (a shape
/// [`Direct::forward`] chooses).
#[derive(Clone, Copy)]
struct Tile<'a> {
    blocks: usize,
    rows: usize,
    columns: usize,
    /// Row length of the padded input.
    stride: usize,
    /// Output channel `lane` of a block lies `lanes[lane]` elements after the block's first.
    lanes: &'a [i32],
    /// Elements from one block's first output channel to the next block's.
    block_step: usize,
}

impl Tile<'_> {
    /// Writes the tile into `out`, from its first position in the first output channel.
    /// Reads `x` from the tile's top-left padded input at the offsets `taps` (one per input
    /// channel and tap, in the weight's order), and the weight and bias of the tile's blocks.
    #[cfg_attr(not(target_arch = "x86_64"), allow(unused_variables))]
    fn run(self, x: &[f32], taps: &[usize], weight: &[f32], bias: Option<&[f32]>, out: &mut [f32]) {
        #[cfg(target_arch = "x86_64")]
        {
            let Self { blocks, rows, columns, stride, lanes, block_step } = self;
            let reach = taps.iter().max().map_or(0, |t| t + (rows - 1) * stride + columns - 1);
            assert!(reach < x.len() && blocks * rows * columns <= TILE);
            assert!(weight.len() == blocks * taps.len() * LANES && lanes.len() == LANES);
            assert!(bias.is_none_or(|b| b.len() == blocks * LANES));
            let lane = lanes.iter().map(|&l| l as usize).max().unwrap_or(0);
            let last = (blocks - 1) * block_step + lane + (rows - 1) * columns + columns - 1;
            assert!(last < out.len() && cpu_has_avx512());
            let (x, w, b) = (x.as_ptr(), weight.as_ptr(), bias.map(<[f32]>::as_ptr));
            let (lanes, out) = (lanes.as_ptr(), out.as_mut_ptr());
            let block_len = taps.len() * LANES;
            let to = Scatter { lanes, block_step, out };
            // SAFETY: the CPU has AVX-512 (checked above, and by `Direct::new`). The tile reads x
            // at offset + r * stride + c for each of `taps`' offsets, r < rows and c < columns,
            // at most `reach` (checked in bounds above); the weight's blocks * taps.len()
            // vectors and the bias's blocks * 16 lanes; and writes `out` at block * block_step +
            // lane + r * columns + c, at most `last` (checked in bounds above).
            unsafe {
                match (blocks, rows, columns) {
                    (2, 1, 14) => tile_avx512::<2, 1, 14>(x, stride, taps, w, block_len, b, to),
                    (1, 2, 14) => tile_avx512::<1, 2, 14>(x, stride, taps, w, block_len, b, to),
                    (1, 1, 14) => tile_avx512::<1, 1, 14>(x, stride, taps, w, block_len, b, to),
                    (2, 2, 7) => tile_avx512::<2, 2, 7>(x, stride, taps, w, block_len, b, to),
                    (2, 1, 7) => tile_avx512::<2, 1, 7>(x, stride, taps, w, block_len, b, to),
                    (1, 4, 7) => tile_avx512::<1, 4, 7>(x, stride, taps, w, block_len, b, to),
                    (1, 3, 7) => tile_avx512::<1, 3, 7>(x, stride, taps, w, block_len, b, to),
                    (1, 2, 7) => tile_avx512::<1, 2, 7>(x, stride, taps, w, block_len, b, to),
                    (1, 1, 7) => tile_avx512::<1, 1, 7>(x, stride, taps, w, block_len, b, to),
                    _ => unreachable!("a tile of {blocks} x {rows} x {columns}"),
                }
            }
        }
        #[cfg(not(target_arch = "x86_64"))]
        unreachable!("`Direct::new` finds no AVX-512 off x86-64")
    }
}

/// Where a tile's accumulators go: position `(r, c)` of output channel `lane` of block `b` at
/// `out + b * block_step + lanes[lane] + r * COLUMNS + c` (a tile's columns are whole output
/// rows).
#[cfg(target_arch = "x86_64")]
#[derive(Clone, Copy)]
struct Scatter {
    lanes: *const i32,
    block_step: usize,
    out: *mut f32,
}

/// `BLOCKS x ROWS x COLUMNS` accumulators, one register each: for block `b` of sixteen output
/// channels and position `(r, c)`, `Σ over taps t of x[offset_t + r * stride + c] w_b[t]` plus
/// the bias, scattered to the sixteen channels at the end.
///
/// Each input value is broadcast once per tap and serves the `BLOCKS` blocks; each weight vector
/// serves the `ROWS x COLUMNS` positions. The taps are one loop over offsets read from memory:
/// with the kernel's rows and columns unrolled, LLVM kept the broadcasts that neighbouring taps
/// share in registers and spilled accumulators to the stack (on the Intel Xeon such a tile ran at
/// a third of the multiply-add rate).
///
/// # Safety
/// The CPU has AVX-512; `x` is readable at every `offset + r * stride + c` for `offset` in
/// `taps`, `r < ROWS`, `c < COLUMNS`; `w` for `BLOCKS * block_len` elements (`block_len =
/// taps.len() * 16`), `b` (if any) for `BLOCKS * 16`; `to.lanes` for 16, and `to.out` writable
/// at every `b * block_step + lane + r * COLUMNS + c` for `lane` in `to.lanes` and `b < BLOCKS`.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
unsafe fn tile_avx512<const BLOCKS: usize, const ROWS: usize, const COLUMNS: usize>(
    x: *const f32,
    stride: usize,
    taps: &[usize],
    w: *const f32,
    block_len: usize,
    b: Option<*const f32>,
    to: Scatter,
) {
    let mut acc = [[[_mm512_setzero_ps(); COLUMNS]; ROWS]; BLOCKS];
    if let Some(b) = b {
        for (block, acc) in acc.iter_mut().enumerate() {
            // SAFETY: `b` holds BLOCKS * 16 lanes.
            let bias = unsafe { _mm512_loadu_ps(b.add(block * LANES)) };
            *acc = [[bias; COLUMNS]; ROWS];
        }
    }
    for (tap, &offset) in taps.iter().enumerate() {
        // SAFETY: `w` holds BLOCKS * block_len elements, block_len = taps.len() * 16.
        let weight: [__m512; BLOCKS] = std::array::from_fn(|block| unsafe {
            _mm512_loadu_ps(w.add(block * block_len + tap * LANES))
        });
        for r in 0..ROWS {
            // SAFETY: offset + r * stride lies in `x`, as does every column c < COLUMNS after it.
            let row = unsafe { x.add(offset + r * stride) };
            for c in 0..COLUMNS {
                // SAFETY: offset + r * stride + c is readable (the caller guarantees it).
                let input = _mm512_set1_ps(unsafe { *row.add(c) });
                for (block, acc) in acc.iter_mut().enumerate() {
                    acc[r][c] = _mm512_fmadd_ps(input, weight[block], acc[r][c]);
                }
            }
        }
    }
    // SAFETY: `to.lanes` holds 16 offsets.
    let lanes = unsafe { _mm512_loadu_si512(to.lanes.cast()) };
    for (block, acc) in acc.iter().enumerate() {
        for (r, acc) in acc.iter().enumerate() {
            for (c, &acc) in acc.iter().enumerate() {
                let at = block * to.block_step + r * COLUMNS + c;
                // SAFETY: each lane + r * COLUMNS + c of block b is writable (the caller
                // guarantees).
                unsafe { _mm512_i32scatter_ps::<4>(to.out.add(at), lanes, acc) };
            }
        }
    }
}

/// One weight-gradient pass: `blocks` blocks of sixteen output channels by `group` input
/// channels, `blocks * group * 9 <= PASS` accumulators.
#[derive(Clone, Copy)]
struct Pass {
    blocks: usize,
    group: usize,
    /// Elements per channel of the padded input.
    channel: usize,
    /// Row length of the padded input.
    stride: usize,
    height: usize,
    width: usize,
}

impl Pass {
    /// Adds to `sums` (`[block, group, 9, 16]`) one image's `Σ over positions of g_block[position]
    /// x[i, oh + kh, ow + kw]`, from the group's padded input channels `x` and the blocks'
    /// output gradients `g` (`[block, position, 16]`).
    #[cfg_attr(not(target_arch = "x86_64"), allow(unused_variables))]
    fn run(self, x: &[f32], g: &[f32], sums: &mut [f32]) {
        #[cfg(target_arch = "x86_64")]
        {
            let Self { blocks, group, channel, stride, height, width } = self;
            assert!(blocks * group * TAPS <= PASS && sums.len() == blocks * group * TAPS * LANES);
            assert!(x.len() >= group * channel && channel >= (height + 2) * stride);
            assert!(g.len() == blocks * height * width * LANES && stride == width + 2);
            assert!(cpu_has_avx512());
            let (x, g, s) = (x.as_ptr(), g.as_ptr(), sums.as_mut_ptr());
            // SAFETY: the CPU has AVX-512 (checked above). Position (oh, ow) with tap (kh, kw)
            // reads x at i * channel + (oh + kh) * stride + ow + kw < group * channel, since oh +
            // kh <= height + 1 and ow + kw <= width + 1 = stride - 1; g at block * height *
            // width * 16 + (oh * width + ow) * 16 + 15 < g.len(); and `sums` holds blocks *
            // group * 9 vectors (all checked above).
            unsafe {
                match (blocks, group) {
                    (3, 1) => taps_avx512::<3, 1>(x, self, g, s),
                    (2, 1) => taps_avx512::<2, 1>(x, self, g, s),
                    (1, 3) => taps_avx512::<1, 3>(x, self, g, s),
                    (1, 2) => taps_avx512::<1, 2>(x, self, g, s),
                    (1, 1) => taps_avx512::<1, 1>(x, self, g, s),
                    _ => unreachable!("a pass of {blocks} blocks and {group} channels"),
                }
            }
        }
        #[cfg(not(target_arch = "x86_64"))]
        unreachable!("`Direct::new` finds no AVX-512 off x86-64")
    }
}

/// `s[b, i, kh * 3 + kw] += Σ over (oh, ow) of g[b, oh * width + ow] x[i * channel + (oh + kh)
/// * stride + ow + kw]` for `b < BLOCKS`, `i < GROUP`: one accumulator register each, every
/// input value broadcast once per position and used by the `BLOCKS` blocks.
///
/// # Safety
/// The CPU has AVX-512; `pass.channel` is at least `(pass.height + 2) * pass.stride` and
/// `pass.stride` is `pass.width + 2`; `x` is readable for `GROUP * pass.channel` elements, `g`
/// for `BLOCKS * pass.height * pass.width * 16`, and `s` readable and writable for `BLOCKS *
/// GROUP * 9 * 16`.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
unsafe fn taps_avx512<const BLOCKS: usize, const GROUP: usize>(
    x: *const f32,
    pass: Pass,
    g: *const f32,
    s: *mut f32,
) {
    let Pass { channel, stride, height, width, .. } = pass;
    let block_len = height * width * LANES;
    let mut acc = [[[_mm512_setzero_ps(); TAPS]; GROUP]; BLOCKS];
    for (b, acc) in acc.iter_mut().enumerate() {
        for (i, acc) in acc.iter_mut().enumerate() {
            for (tap, acc) in acc.iter_mut().enumerate() {
                // SAFETY: `s` holds BLOCKS * GROUP * 9 vectors.
                *acc = unsafe { _mm512_loadu_ps(s.add(((b * GROUP + i) * TAPS + tap) * LANES)) };
            }
        }
    }
    for oh in 0..height {
        for ow in 0..width {
            let position = (oh * width + ow) * LANES;
            // SAFETY: `g` holds BLOCKS * height * width vectors; position < height * width * 16.
            let grad: [__m512; BLOCKS] = std::array::from_fn(|b| unsafe {
                _mm512_loadu_ps(g.add(b * block_len + position))
            });
            // SAFETY: oh * stride + ow lies in `x` (oh < height, ow < width).
            let at = unsafe { x.add(oh * stride + ow) };
            for i in 0..GROUP {
                for tap in 0..TAPS {
                    let offset = tap_offset(i, tap, channel, stride);
                    // SAFETY: i * channel + (oh + kh) * stride + ow + kw < GROUP * channel, as
                    // oh + kh <= height + 1 and ow + kw < stride.
                    let input = _mm512_set1_ps(unsafe { *at.add(offset) });
                    for (b, acc) in acc.iter_mut().enumerate() {
                        acc[i][tap] = _mm512_fmadd_ps(input, grad[b], acc[i][tap]);
                    }
                }
            }
        }
    }
    for (b, acc) in acc.iter().enumerate() {
        for (i, acc) in acc.iter().enumerate() {
            for (tap, &acc) in acc.iter().enumerate() {
                // SAFETY: `s` holds BLOCKS * GROUP * 9 vectors.
                unsafe { _mm512_storeu_ps(s.add(((b * GROUP + i) * TAPS + tap) * LANES), acc) };
            }
        }
    }
}
